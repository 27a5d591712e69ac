"""Registering API clients in the Wagtail admin (superusers only); the secret is shown once, never stored plain."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy

from api import services
from api.admin_forms import ApiClientForm
from api.models import ApiClient


class SuperusersOnly(BasePermissionPolicy):
    """API clients read and change the whole platform's data: only superusers manage them."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


def credentials_response(request, credentials, *, title):
    return TemplateResponse(
        request,
        "api/admin/credentials.html",
        {"title": title, "credentials": credentials, "token_url": request.build_absolute_uri("/api/v1/oauth/token/")},
    )


class ApiClientCreateView(generic.CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        credentials = services.api_client_register(
            name=data["name"], agency=data["agency"], scopes=form.instance.scopes,
            rate_limit_per_minute=data["rate_limit_per_minute"], is_active=data["is_active"], by=self.request.user,
        )
        return credentials_response(self.request, credentials, title=_("Klien API didaftarkan"))


@require_http_methods(["GET", "POST"])
def secret_rotate(request, pk):
    if not request.user.is_superuser:
        raise PermissionDenied
    client = get_object_or_404(ApiClient, pk=pk)
    if request.method == "POST":
        credentials = services.api_client_secret_rotate(client=client, by=request.user)
        return credentials_response(request, credentials, title=_("Rahasia klien API diganti"))
    return TemplateResponse(request, "api/admin/secret_rotate.html", {"title": _("Ganti rahasia"), "client": client})


class ApiClientIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("agency")  # the "agency" column, not a query a row


class ApiClientViewSet(ModelViewSet):
    model = ApiClient
    icon = "key"
    menu_label = gettext_lazy("Klien API")
    add_to_settings_menu = True
    add_view_class = ApiClientCreateView
    index_view_class = ApiClientIndexView
    list_display = ["name", "agency", "scopes", "rate_limit_per_minute", "is_active", "created_at"]
    list_filter = ["agency", "is_active"]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        return ApiClientForm
