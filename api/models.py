"""An API client: one agency's HR system (or central HR's) holding an OAuth 2.0 client-credentials application."""

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from api import scopes as api_scopes
# The webhook models live beside their code in api/webhooks/; imported here so Django registers them.
from api.webhooks.models import CertificateExpiryEmission, WebhookDelivery, WebhookEndpoint  # noqa: F401


class ApiClient(models.Model):
    """Who calls the API, for which agency, with which scopes and how often.

    The credentials live in django-oauth-toolkit's Application (client id, hashed secret,
    grant type client credentials); this row says what the holder of a token may see:
    `agency` null is central HR (every agency), otherwise only that agency's courses,
    their certificates and progress.
    """

    name = models.CharField(
        _("nama"), max_length=100, unique=True, help_text=_("Mis. Sistem SDM Imigrasi; tampil di riwayat situs.")
    )
    agency = models.ForeignKey(
        "lms.Agency",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text=_("Kosongkan untuk SDM pusat (semua instansi)."),
    )
    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        verbose_name=_("aplikasi OAuth"),
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    scopes = models.CharField(
        _("cakupan"),
        max_length=255,
        validators=[api_scopes.validate_scopes],
        help_text=format_lazy(_("Dipisahkan spasi, dari: {scopes}."), scopes=" ".join(api_scopes.SCOPES)),
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        _("batas permintaan per menit"), default=120, help_text=_("Lebih dari ini dijawab 429 dengan Retry-After.")
    )
    is_active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Klien nonaktif tidak mendapat token dan tokennya ditolak.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("didaftarkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("didaftarkan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("klien API")
        verbose_name_plural = _("klien API")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate_limit_per_minute__gte=1), name="api_client_rate_limit_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return api_scopes.parse_scopes(self.scopes)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scope_list

    @property
    def is_central(self) -> bool:
        return self.agency_id is None
