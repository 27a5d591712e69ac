"""Admin wiring of the API: the API clients, webhook endpoints and the webhook delivery log
(Settings > Klien API / Alamat webhook / Log pengiriman webhook, superusers), audit actions."""

from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from api import admin_views
from api import audit  # noqa: F401  (registers the audit actions)
from api.models import ApiClient
from api.webhooks import admin as webhooks_admin

register_permission_policy(ApiClient, admin_views.SuperusersOnly(ApiClient), exact_class=True)


@hooks.register("register_admin_viewset")
def register_api_client_viewset():
    return admin_views.ApiClientViewSet("api_clients")


@hooks.register("register_admin_urls")
def register_api_client_urls():
    return [path("klien-api/<int:pk>/ganti-rahasia/", admin_views.secret_rotate, name="api_client_secret_rotate")]


@hooks.register("register_admin_viewset")
def register_webhook_endpoint_viewset():
    return webhooks_admin.WebhookEndpointViewSet()


@hooks.register("register_admin_viewset")
def register_webhook_delivery_viewset():
    return webhooks_admin.WebhookDeliveryViewSet()


@hooks.register("register_log_actions")
def register_webhook_actions(actions):
    webhooks_admin.register_log_actions(actions)
