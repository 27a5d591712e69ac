"""System checks: a signing key that is configured but cannot be loaded stops `manage.py check`, `runserver`
and `migrate` (production settings refuse to load at all, lms/settings/production.py)."""

from django.core import checks

from certificates import signing


@checks.register(checks.Tags.security)
def signing_key_loads(app_configs=None, **kwargs):
    try:
        signing.configured_identity()
    except signing.Pkcs12Error as error:
        return [
            checks.Error(
                f"CERTIFICATE_SIGNING_P12 is set, but the signing key cannot be loaded: {error}.",
                hint="Fix the path or CERTIFICATE_SIGNING_P12_PASSWORD, or unset CERTIFICATE_SIGNING_P12 to "
                "issue unsigned PDFs (`make run` makes a demo key: manage.py create_demo_signing_certificate).",
                id="certificates.E001",
            )
        ]
    return []
