"""The Ed25519 keys that sign portable credentials (Open Badges 3.0, status lists, QR tokens).

Keys never live in the database. They come from a JSON file named by the
environment variable `CREDENTIAL_KEYS_FILE` (mode 0600, written by
`manage.py create_credential_key`), or, for deployments that inject secrets as
variables, from `CREDENTIAL_KEYS` holding the same JSON text. The file:

    {"keys": [{"kid": "key-20261201T001500Z", "created": "2026-12-01T00:15:00Z",
               "privateKeyMultibase": "z3u2..."}]}

`privateKeyMultibase` is the Multikey form (multicodec ed25519-priv + the
32-byte seed, base58btc); a PEM "privateKeyPem" (PKCS#8) is read as well. The key
created last is the active one, which signs; every key in the file stays
published in the DID document (`public_keys()`), so credentials signed before a
rotation keep verifying. Remove a key from the file only to withdraw every
credential it signed.
"""

import datetime
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Multicodec prefixes (varint) of Multikey, https://www.w3.org/TR/controller-document/#Multikey
ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_PRIVATE_PREFIX = b"\x80\x26"


class CredentialKeyError(ImproperlyConfigured):
    """The key configuration is missing or broken; the message says what to do."""


@dataclass(frozen=True)
class IssuerKey:
    kid: str
    created: datetime.datetime
    private_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()

    @property
    def public_key_multibase(self) -> str:
        return public_multibase(self.public_key)

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def public_multibase(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(ED25519_PUBLIC_PREFIX + raw).decode()


def private_multibase(key: Ed25519PrivateKey) -> str:
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return "z" + base58.b58encode(ED25519_PRIVATE_PREFIX + raw).decode()


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    decoded = base58.b58decode(value[1:])
    if decoded[:2] != ED25519_PUBLIC_PREFIX or len(decoded) != 34:
        raise ValueError("not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def _private_key(entry: dict) -> Ed25519PrivateKey:
    if "privateKeyMultibase" in entry:
        value = entry["privateKeyMultibase"]
        if not isinstance(value, str) or not value.startswith("z"):
            raise ValueError("privateKeyMultibase must be base58btc (begin with 'z')")
        decoded = base58.b58decode(value[1:])
        if decoded[:2] != ED25519_PRIVATE_PREFIX or len(decoded) != 34:
            raise ValueError("privateKeyMultibase is not an Ed25519 private key")
        return Ed25519PrivateKey.from_private_bytes(decoded[2:])
    if "privateKeyPem" in entry:
        key = serialization.load_pem_private_key(entry["privateKeyPem"].encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("privateKeyPem is not an Ed25519 key")
        return key
    raise ValueError("neither privateKeyMultibase nor privateKeyPem")


def parse_keys(text: str, *, source: str) -> tuple[IssuerKey, ...]:
    """The keys of a key file's text, oldest first. Raises CredentialKeyError saying what is wrong."""
    try:
        data = json.loads(text)
        entries = data["keys"] if isinstance(data, dict) else data
        if not isinstance(entries, list):
            raise ValueError('expected {"keys": [...]}')
        keys = []
        for number, entry in enumerate(entries, start=1):
            try:
                kid = entry["kid"]
                if not isinstance(kid, str) or not kid or not all(c.isalnum() or c in "-_." for c in kid):
                    raise ValueError("kid must be letters, digits, '-', '_' or '.'")
                created = datetime.datetime.fromisoformat(entry["created"].replace("Z", "+00:00"))
                if created.tzinfo is None:
                    raise ValueError("created needs a time zone")
                keys.append(IssuerKey(kid=kid, created=created, private_key=_private_key(entry)))
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ValueError(f"key {number}: {error}") from None
    except (ValueError, KeyError, TypeError) as error:
        raise CredentialKeyError(f"Credential keys in {source} cannot be read: {error}.") from None
    if len({key.kid for key in keys}) != len(keys):
        raise CredentialKeyError(f"Credential keys in {source}: two keys share a kid.")
    return tuple(sorted(keys, key=lambda key: key.created))


@functools.lru_cache(maxsize=4)
def _load_file(path: str, mtime_ns: int, size: int) -> tuple[IssuerKey, ...]:
    # Keyed by modification time and size: a rotated file is read again without a restart.
    return parse_keys(Path(path).read_text(encoding="utf-8"), source=path)


@functools.lru_cache(maxsize=4)
def _load_text(text: str) -> tuple[IssuerKey, ...]:
    return parse_keys(text, source="CREDENTIAL_KEYS")


def configured_keys() -> tuple[IssuerKey, ...]:
    """Every configured key, oldest first; () when none is configured. Raises CredentialKeyError when broken."""
    text = getattr(settings, "CREDENTIAL_KEYS", "")
    if text:
        return _load_text(text)
    path = getattr(settings, "CREDENTIAL_KEYS_FILE", "")
    if not path:
        return ()
    try:
        stat = os.stat(path)
    except OSError as error:
        raise CredentialKeyError(
            f"CREDENTIAL_KEYS_FILE is {path}, which cannot be read ({error.strerror or error}). "
            "Create it with `manage.py create_credential_key --file PATH`."
        ) from None
    return _load_file(str(path), stat.st_mtime_ns, stat.st_size)


def keys_configured() -> bool:
    return bool(configured_keys())


def active_key() -> IssuerKey | None:
    """The key that signs now (the newest); None when no key is configured."""
    keys = configured_keys()
    return keys[-1] if keys else None


def required_active_key() -> IssuerKey:
    """The active key, or CredentialKeyError with what to do (production refuses to issue without one)."""
    key = active_key()
    if key is None:
        raise CredentialKeyError(
            "No credential signing key is configured: certificates cannot be issued as signed credentials. "
            "Run `manage.py create_credential_key --file /path/to/credential-keys.json` and set "
            "CREDENTIAL_KEYS_FILE to that path (README \"Portable credentials\")."
        )
    return key


def key_by_kid(kid: str) -> IssuerKey | None:
    return next((key for key in configured_keys() if key.kid == kid), None)


def public_keys() -> dict[str, Ed25519PublicKey]:
    """kid -> public key, for every key still published (old ones included), oldest first."""
    return {key.kid: key.public_key for key in configured_keys()}


def did_host() -> str:
    """The did:web method-specific identifier of PUBLIC_BASE_URL: host, port percent-encoded, path as ':'."""
    parts = urlsplit(settings.PUBLIC_BASE_URL)
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}:{parts.port}"
    segments = [quote(host, safe="")] + [quote(part, safe="") for part in parts.path.strip("/").split("/") if part]
    return ":".join(segments)


def issuer_did() -> str:
    """The platform's DID: did:web of PUBLIC_BASE_URL (its document is /.well-known/did.json)."""
    return f"did:web:{did_host()}"


def verification_method_id(kid: str) -> str:
    return f"{issuer_did()}#{kid}"


def new_key(now: datetime.datetime | None = None) -> IssuerKey:
    now = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).replace(microsecond=0)
    return IssuerKey(kid="key-" + now.strftime("%Y%m%dT%H%M%SZ"), created=now, private_key=Ed25519PrivateKey.generate())


def serialize_keys(keys) -> str:
    return json.dumps(
        {
            "keys": [
                {
                    "kid": key.kid,
                    "created": key.created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "publicKeyMultibase": key.public_key_multibase,
                    "privateKeyMultibase": private_multibase(key.private_key),
                }
                for key in keys
            ]
        },
        indent=2,
    ) + "\n"


def write_keys_file(path: Path, keys) -> None:
    """Write the file atomically with mode 0600 (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(serialize_keys(keys))
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
