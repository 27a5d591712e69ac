"""Create or rotate the Ed25519 key that signs portable credentials (certificates/credentials/keys.py).

Idempotent without --rotate: a file that already holds a key is left as it is
(`make run` calls this every time). With --rotate a new key is added and becomes
the active one; the older keys stay in the file so that the DID document keeps
publishing them and the credentials they signed keep verifying.
The file is written atomically with mode 0600. Never stored in the database.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certificates.credentials import keys as credential_keys


class Command(BaseCommand):
    help = (
        "Create the credential signing key file (Ed25519, mode 0600) named by --file or CREDENTIAL_KEYS_FILE; "
        "kept when it holds a key already. --rotate adds a new active key and keeps the old ones published."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default="", help="The key file (default: the CREDENTIAL_KEYS_FILE setting)")
        parser.add_argument("--rotate", action="store_true", help="Add a new key that signs from now on")

    def handle(self, *args, file, rotate, **options):
        path_text = file or getattr(settings, "CREDENTIAL_KEYS_FILE", "")
        if not path_text:
            raise CommandError("Name the key file: --file PATH, or set CREDENTIAL_KEYS_FILE.")
        path = Path(path_text)
        if not path.is_absolute():
            path = Path(settings.BASE_DIR) / path
        existing = ()
        if path.exists():
            try:
                existing = credential_keys.parse_keys(path.read_text(encoding="utf-8"), source=str(path))
            except (credential_keys.CredentialKeyError, OSError) as error:
                raise CommandError(f"{path} exists and is left alone: {error}") from None
        if existing and not rotate:
            self.stdout.write(f"Credential key kept: {existing[-1].kid} in {path} ({len(existing)} key(s)).")
            return
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        if existing and now <= existing[-1].created:
            now = existing[-1].created + datetime.timedelta(seconds=1)  # the new key sorts last, its kid is new
        key = credential_keys.new_key(now)
        credential_keys.write_keys_file(path, (*existing, key))
        verb = "rotated: new active key" if existing else "created"
        self.stdout.write(f"Credential key {verb} {key.kid} in {path} (mode 0600; older keys stay published).")
