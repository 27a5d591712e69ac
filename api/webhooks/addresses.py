"""Which addresses a webhook may be sent to: https only; plain http only to this machine, where allowed."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    host = (host or "").lower().rstrip(".")
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_webhook_url(value: str) -> None:
    """https://…, or http://127.0.0.1…/localhost when WEBHOOKS["ALLOW_INSECURE_LOOPBACK"] is on (dev, tests)."""
    parts = urlsplit(value)
    if not parts.hostname:
        raise ValidationError(_("Masukkan alamat URL lengkap, misalnya https://sdm.instansi.go.id/webhook."))
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and settings.WEBHOOKS["ALLOW_INSECURE_LOOPBACK"] and is_loopback(parts.hostname):
        return
    raise ValidationError(
        _("Alamat webhook harus memakai https:// (isi pesan berisi data pribadi petugas)."), code="insecure"
    )
