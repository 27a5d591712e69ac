"""Webhook subscriptions of API clients and the log of every message sent to them.

A delivery row is one message (one event for one endpoint). Its `event_id` is the
Standard Webhooks `webhook-id`: the receiver's idempotency key, the same on every
retry and on a redelivery from the admin, unique across all messages.
"""

import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.webhooks.addresses import validate_webhook_url


class WebhookEvent(models.TextChoices):
    CERTIFICATE_ISSUED = "certificate.issued", _("Sertifikat diterbitkan")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Sertifikat dicabut")
    CERTIFICATE_EXPIRED = "certificate.expired", _("Sertifikat kedaluwarsa")
    COURSE_COMPLETED = "course.completed", _("Kursus diselesaikan")
    OFFICER_UPDATED = "officer.updated", _("Data petugas diperbarui")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    DELIVERED = "delivered", _("Terkirim")
    FAILED = "failed", _("Gagal")


def event_id_new() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookEndpoint(models.Model):
    """An https address of a client's system and the events it wants; signed with its own secret."""

    client = models.ForeignKey(
        "api.ApiClient", verbose_name=_("klien API"), on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(
        _("alamat URL"),
        max_length=500,
        validators=[validate_webhook_url],
        help_text=_("Alamat https sistem penerima. Setiap pesan dikirim dengan POST berisi JSON."),
    )
    description = models.CharField(_("keterangan"), max_length=200, blank=True)
    events = models.JSONField(
        _("peristiwa"), default=list, help_text=_("Peristiwa yang dikirim ke alamat ini.")
    )
    # HMAC needs the secret itself to sign, so it cannot be stored as a hash. It is shown
    # once (when created or rotated) and is never put in a form, a listing or a log.
    secret = models.CharField(_("rahasia penandatanganan"), max_length=100, editable=False)
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Alamat yang tidak aktif tidak menerima pesan baru.")
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("rahasia diganti pada"), null=True, blank=True, editable=False)
    # After a rotation the secret it replaced still signs every message (a second signature
    # beside the new one) until `previous_secret_expires_at`, so that a receiver still holding
    # it keeps accepting messages while the new one is deployed. Then it is forgotten.
    previous_secret = models.CharField(_("rahasia sebelumnya"), max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        _("rahasia sebelumnya berlaku sampai"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["client", "url"]
        verbose_name = _("alamat webhook")
        verbose_name_plural = _("alamat webhook")
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_secret="", previous_secret_expires_at__isnull=True)
                | (~Q(previous_secret="") & Q(previous_secret_expires_at__isnull=False)),
                name="webhook_previous_secret_has_expiry",
            ),
        ]

    def __str__(self):
        return f"{self.client} → {self.url}"

    def subscribes(self, event_type: str) -> bool:
        return event_type in (self.events or [])

    def previous_secret_until(self, at: datetime.datetime) -> datetime.datetime | None:
        """Until when the previous secret still signs, if it still does at `at`; else None."""
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and at < expires:
            return expires
        return None

    def signing_secrets(self, at: datetime.datetime) -> list[str]:
        """The secrets a message sent at `at` is signed with: the current one, then the previous one in its grace period."""
        if self.previous_secret_until(at):
            return [self.secret, self.previous_secret]
        return [self.secret]


class WebhookDeliveryQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)


class WebhookDelivery(models.Model):
    """One message to one endpoint: its payload as first built, and how sending it went."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("alamat webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.CharField(_("ID peristiwa"), max_length=40, unique=True, default=event_id_new, editable=False)
    event_type = models.CharField(_("peristiwa"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("isi pesan"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    # When the next try is due. While a worker sends it, this is pushed forward by the
    # send lease, so that no second worker takes it (a killed worker's lease runs out).
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True, default=timezone.now)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    last_response_code = models.PositiveSmallIntegerField(_("kode jawaban terakhir"), null=True, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    task_id = models.CharField(_("tugas pengiriman"), max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat pada"), default=timezone.now, db_index=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.DELIVERED, delivered_at__isnull=False)
                | (~Q(status=DeliveryStatus.DELIVERED) & Q(delivered_at__isnull=True)),
                name="webhook_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=False)
                | (~Q(status=DeliveryStatus.PENDING) & Q(next_attempt_at__isnull=True)),
                name="webhook_pending_has_next_attempt",
            ),
        ]
        indexes = [
            # The sweep's question, "which messages are due?", reads only the pending rows.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status=DeliveryStatus.PENDING), name="webhook_delivery_due"
            ),
            models.Index(fields=["endpoint", "created_at"]),
        ]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"


class CertificateExpiryEmission(models.Model):
    """Marks a certificate whose `certificate.expired` event was emitted: once per certificate, ever."""

    certificate = models.OneToOneField(
        "certificates.Certificate", verbose_name=_("sertifikat"), on_delete=models.CASCADE, related_name="+"
    )
    # Which run wrote the mark: a run emits only what it marked itself (two runs at once share nothing).
    run = models.UUIDField(_("proses"))
    emitted_at = models.DateTimeField(_("dikirim pada"), default=timezone.now)

    class Meta:
        verbose_name = _("kedaluwarsa sertifikat terkirim")
        verbose_name_plural = _("kedaluwarsa sertifikat terkirim")
