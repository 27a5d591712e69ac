"""Admin for webhooks (superusers only): each client's endpoints, and the delivery log with "Kirim ulang".

Wired from api/wagtail_hooks.py. A new endpoint's secret, and a rotated one, is shown
once, on the page the form leads to; it is kept in the session only until that page
reads it, and is never shown again (rotate it when lost). The same page says until when
a rotated-out secret still signs, and ends that grace period on request ("Akhiri masa transisi").
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.admin.ui.menus import MenuItem
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from api.webhooks import services, signing
from api.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from api.webhooks.scope import EVENT_SCOPES, events_allowed

SECRET_SESSION_KEY = "api.webhook_secret.%s"


class SuperuserPolicy(BasePermissionPolicy):
    """Only active superusers, and only for the given actions (the delivery log is read-only)."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return bool(user.is_active and user.is_superuser and action in self.actions)

    def users_with_any_permission(self, actions):
        if not self.actions.intersection(actions):
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


endpoint_policy = SuperuserPolicy(WebhookEndpoint, ["add", "change", "delete", "view"])
delivery_policy = SuperuserPolicy(WebhookDelivery, ["view"])
register_permission_policy(WebhookEndpoint, endpoint_policy)
register_permission_policy(WebhookDelivery, delivery_policy)


def _superuser(request):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied


# --- endpoints ----------------------------------------------------------------------------


class WebhookEndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Peristiwa"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Klien hanya dapat berlangganan peristiwa yang dapat dibacanya: sertifikat (certificates:read), "
            "kemajuan (progress:read), petugas (officers:read)."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        client, events = cleaned.get("client"), cleaned.get("events") or []
        if client is not None:
            allowed = set(events_allowed(client))
            missing = [event for event in events if event not in allowed]
            if missing:
                self.add_error(
                    "events",
                    _("Klien %(client)s tidak memiliki cakupan untuk: %(events)s.")
                    % {"client": client, "events": ", ".join(f"{e} ({EVENT_SCOPES[e]})" for e in missing)},
                )
        return cleaned


class WebhookEndpointCreateView(generic.CreateView):
    secret_url_name = None  # given by the viewset

    def save_instance(self):
        self.secret = signing.secret_generate()
        self.form.instance.secret = self.secret
        return super().save_instance()

    def get_success_url(self):
        self.request.session[SECRET_SESSION_KEY % self.object.pk] = self.secret
        return reverse(self.secret_url_name, args=[self.object.pk])

    def get_success_message(self, instance):
        return _("Alamat webhook %(url)s ditambahkan. Simpan rahasianya sekarang.") % {"url": instance.url}


class WebhookEndpointIndexView(generic.IndexView):
    secret_url_name = None  # given by the viewset

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("client")  # the "client" column, not a query a row

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(_("Rahasia penandatanganan"), url=reverse(self.secret_url_name, args=[instance.pk]),
                     icon_name="key", priority=15),
        ]


class WebhookEndpointEditView(generic.EditView):
    secret_url_name = None  # given by the viewset

    @property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(_("Rahasia penandatanganan"), url=reverse(self.secret_url_name, args=[self.object.pk]),
                   icon_name="key", priority=15),
        ]


class EventsColumn(Column):
    def get_value(self, instance):
        labels = dict(WebhookEvent.choices)
        return ", ".join(str(labels.get(event, event)) for event in instance.events or [])


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "webhook_endpoints"
    url_prefix = "webhook/alamat"
    icon = "link-external"
    menu_label = gettext_lazy("Alamat webhook")
    add_to_settings_menu = True
    menu_order = 910
    add_view_class = WebhookEndpointCreateView
    index_view_class = WebhookEndpointIndexView
    edit_view_class = WebhookEndpointEditView
    copy_view_enabled = False
    list_display = ["url", "client", EventsColumn("events", label=gettext_lazy("Peristiwa")), "is_active", "created_at"]
    list_filter = ["client", "is_active"]
    search_fields = ["url", "description"]
    edit_handler = ObjectList(
        [FieldPanel("client"), FieldPanel("url"), FieldPanel("description"), FieldPanel("events"),
         FieldPanel("is_active")],
        base_form_class=WebhookEndpointForm,
    )

    def get_permissions_to_register(self):
        return Permission.objects.none()  # superusers only: nothing a group could be given

    def get_add_view_kwargs(self, **kwargs):
        return super().get_add_view_kwargs(secret_url_name=self.get_url_name("secret"), **kwargs)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(secret_url_name=self.get_url_name("secret"), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(secret_url_name=self.get_url_name("secret"), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("rahasia/<int:pk>/", self.secret_view, name="secret"),
            path("ganti-rahasia/<int:pk>/", self.rotate_view, name="rotate"),
            path("akhiri-transisi/<int:pk>/", self.grace_end_view, name="grace_end"),
        ]

    def secret_view(self, request, pk):
        return endpoint_secret(request, pk, rotate_url=reverse(self.get_url_name("rotate"), args=[pk]),
                               grace_end_url=reverse(self.get_url_name("grace_end"), args=[pk]),
                               index_url=reverse(self.get_url_name("index")))

    def rotate_view(self, request, pk):
        return endpoint_secret_rotate(request, pk, secret_url=reverse(self.get_url_name("secret"), args=[pk]))

    def grace_end_view(self, request, pk):
        return endpoint_secret_grace_end(request, pk, secret_url=reverse(self.get_url_name("secret"), args=[pk]))


def _when(moment) -> str:
    """A moment as the admin reads it: local date and time with the zone, e.g. "2 Desember 2026 10.00 WIB"."""
    return formats.date_format(timezone.localtime(moment), "j F Y H.i T")


def _secret_state(endpoint: WebhookEndpoint) -> dict:
    """What the secret pages say about the old secret: until when it still signs (None: it does not)."""
    until = endpoint.previous_secret_until(timezone.now())
    return {
        "previous_secret_until": _when(until) if until else None,
        "secret_rotated_at": _when(endpoint.secret_rotated_at) if endpoint.secret_rotated_at else None,
        "grace_hours": settings.WEBHOOKS["SECRET_GRACE_HOURS"],
    }


def endpoint_secret(request, pk, *, rotate_url, grace_end_url, index_url):
    """The new secret, once: the session forgets it as this page is rendered. And the old secret's grace period."""
    _superuser(request)
    endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("client"), pk=pk)
    secret = request.session.pop(SECRET_SESSION_KEY % pk, None)
    response = TemplateResponse(
        request,
        "api/admin/webhook_secret.html",
        {"title": _("Rahasia webhook"), "endpoint": endpoint, "secret": secret, "rotate_url": rotate_url,
         "grace_end_url": grace_end_url, "index_url": index_url, **_secret_state(endpoint)},
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def endpoint_secret_rotate(request, pk, *, secret_url):
    _superuser(request)
    endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("client"), pk=pk)
    if request.method == "POST":
        secret = services.webhook_endpoint_secret_rotate(endpoint=endpoint, by=request.user)
        request.session[SECRET_SESSION_KEY % pk] = secret
        until = endpoint.previous_secret_until(timezone.now())
        if until:
            messages.success(
                request,
                _("Rahasia diganti. Sampai %(until)s setiap pesan ditandatangani dengan rahasia baru dan rahasia lama.")
                % {"until": _when(until)},
            )
        else:
            messages.success(request, _("Rahasia diganti. Pesan berikutnya ditandatangani dengan rahasia baru saja."))
        return redirect(secret_url)
    return TemplateResponse(
        request,
        "api/admin/webhook_secret_rotate.html",
        {"title": _("Ganti rahasia webhook"), "endpoint": endpoint, "cancel_url": secret_url,
         **_secret_state(endpoint)},
    )


@require_http_methods(["GET", "POST"])
def endpoint_secret_grace_end(request, pk, *, secret_url):
    """Confirm (GET), then stop signing with the old secret at once (POST): the leak case."""
    _superuser(request)
    endpoint = get_object_or_404(WebhookEndpoint.objects.select_related("client"), pk=pk)
    if request.method == "POST":
        if services.webhook_endpoint_secret_grace_end(endpoint=endpoint, by=request.user):
            messages.success(request, _("Masa transisi diakhiri. Rahasia lama tidak lagi menandatangani pesan apa pun."))
        else:
            messages.info(request, _("Tidak ada masa transisi yang berjalan: rahasia lama sudah tidak dipakai."))
        return redirect(secret_url)
    return TemplateResponse(
        request,
        "api/admin/webhook_secret_grace_end.html",
        {"title": _("Akhiri masa transisi"), "endpoint": endpoint, "cancel_url": secret_url,
         **_secret_state(endpoint)},
    )


# --- deliveries ---------------------------------------------------------------------------


class WebhookDeliveryFilterSet(WagtailFilterSet):
    class Meta:
        model = WebhookDelivery
        fields = ["status", "event_type", "endpoint"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each endpoint's option names its client (WebhookEndpoint.__str__): loaded with it, not a query each.
        self.filters["endpoint"].queryset = WebhookEndpoint.objects.select_related("client")


class WebhookDeliveryIndexView(generic.IndexView):
    redeliver_url_name = None  # given by the viewset

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("endpoint__client")

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(_("Kirim ulang"), url=reverse(self.redeliver_url_name, args=[instance.pk]), icon_name="resubmit",
                     priority=15),
        ]


class WebhookDeliveryInspectView(generic.InspectView):
    redeliver_url_name = None  # given by the viewset

    @property
    def header_more_buttons(self):
        return [Button(_("Kirim ulang"), url=reverse(self.redeliver_url_name, args=[self.object.pk]),
                       icon_name="resubmit", priority=10)]

    def get_payload_display_value(self):
        return signing.body_encode(self.object.payload)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "webhook_deliveries"
    url_prefix = "webhook/pengiriman"
    icon = "list-ul"
    menu_label = gettext_lazy("Log pengiriman webhook")
    add_to_settings_menu = True
    menu_order = 920
    index_view_class = WebhookDeliveryIndexView
    inspect_view_class = WebhookDeliveryInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # never created or edited here (delivery_policy grants "view" only)
    list_display = ["event_type", "endpoint", "status", "attempts", "last_response_code", "created_at", "delivered_at"]
    filterset_class = WebhookDeliveryFilterSet
    search_fields = ["event_id"]
    inspect_view_fields = [
        "event_id", "event_type", "endpoint", "status", "attempts", "next_attempt_at", "last_attempt_at",
        "last_response_code", "last_error", "delivered_at", "created_at", "payload",
    ]

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(redeliver_url_name=self.get_url_name("redeliver"), **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(redeliver_url_name=self.get_url_name("redeliver"), **kwargs)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("kirim-ulang/<int:pk>/", self.redeliver_view, name="redeliver")]

    def redeliver_view(self, request, pk):
        return delivery_redeliver(request, pk, done_url=reverse(self.get_url_name("inspect"), args=[pk]))


@require_http_methods(["GET", "POST"])
def delivery_redeliver(request, pk, *, done_url):
    """Confirm (GET), then send again with the same event id (POST)."""
    _superuser(request)
    delivery = get_object_or_404(WebhookDelivery.objects.select_related("endpoint__client"), pk=pk)
    if request.method == "POST":
        services.webhook_redeliver(delivery=delivery, by=request.user)
        messages.success(
            request, _("Pesan %(event_id)s diantrekan untuk dikirim ulang.") % {"event_id": delivery.event_id}
        )
        return redirect(done_url)
    return TemplateResponse(
        request,
        "api/admin/webhook_redeliver.html",
        {"title": _("Kirim ulang pesan webhook"), "delivery": delivery, "cancel_url": done_url,
         "is_delivered": delivery.status == DeliveryStatus.DELIVERED},
    )


def register_log_actions(actions):
    """Wagtail's `register_log_actions` hook (wired in api/wagtail_hooks.py)."""
    actions.register_action(services.REDELIVER, gettext_lazy("Webhook dikirim ulang"), gettext_lazy("Webhook dikirim ulang"))
    actions.register_action(
        services.SECRET_ROTATE, gettext_lazy("Rahasia webhook diganti"), gettext_lazy("Rahasia webhook diganti")
    )
    actions.register_action(
        services.SECRET_GRACE_END,
        gettext_lazy("Masa transisi rahasia webhook diakhiri"),
        gettext_lazy("Masa transisi rahasia webhook diakhiri"),
    )
