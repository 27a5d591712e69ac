from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Sertifikat")

    def ready(self):
        # Inside ready(): the receivers import the models, which are not importable before the app registry is.
        from certificates import checks, receivers  # noqa: F401
