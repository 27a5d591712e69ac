"""Make the self-made DEMO signing key that `make run` signs certificate PDFs with (certificates/demo_signing.py).

Idempotent: a demo key already at the path that stays valid for another 30 days is kept,
so PDFs signed with it stay current; an expiring one is replaced. A file there that is
not a demo key this password opens is never touched.
"""

import datetime
from pathlib import Path

from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates import demo_signing
from lms.pkcs12 import Pkcs12Error, load_pkcs12

RENEW_BEFORE = datetime.timedelta(days=30)


class Command(BaseCommand):
    help = (
        "Create a self-made DEMO signing certificate (CA 'Pimpasa DEMO — bukan BSrE' and a signer) as a PKCS#12 "
        "file for CERTIFICATE_SIGNING_P12, with its CA certificate beside it (*-ca.pem). Not a BSrE certificate: "
        "for the demo and development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(demo_signing.DEMO_PATH),
            help=f"Where to write the PKCS#12 file, relative to the project (default {demo_signing.DEMO_PATH})",
        )
        parser.add_argument("--password", default=demo_signing.DEMO_PASSWORD, help="Password of the PKCS#12 file")

    def handle(self, *args, output, password, **options):
        path = Path(output)
        if not path.is_absolute():
            path = Path(settings.BASE_DIR) / path
        if path.exists():
            if self._current_demo(path, password):
                self.stdout.write(f"Demo signing certificate kept: {path}")
                return
        files = demo_signing.make_signing_files(password=password)
        demo_signing.write_private(path, files.p12)
        demo_signing.write_private(demo_signing.ca_pem_path(path), files.ca_pem)
        self.stdout.write(
            f"Demo signing certificate written: {path} (its CA: {demo_signing.ca_pem_path(path).name}). "
            "DEMO only, not a BSrE certificate."
        )

    def _current_demo(self, path: Path, password: str) -> bool:
        """True: a demo key good for RENEW_BEFORE more; False: an expiring demo key (replace it); else refuse."""
        try:
            keys = load_pkcs12(path, password, check_validity=False)
        except Pkcs12Error as error:
            raise CommandError(f"{path} exists and is left alone: {error}. Remove it or choose another --output.")
        issuer = [attribute.value for attribute in keys.certificate.issuer.get_attributes_for_oid(NameOID.COMMON_NAME)]
        if issuer != [demo_signing.DEMO_CA_NAME]:
            raise CommandError(
                f"{path} exists and holds a certificate issued by {', '.join(issuer) or 'another CA'}, not the demo "
                "CA; it is left alone. Remove it or choose another --output."
            )
        now = datetime.datetime.now(datetime.UTC)
        return keys.certificate.not_valid_before_utc <= now and keys.certificate.not_valid_after_utc - now > RENEW_BEFORE
