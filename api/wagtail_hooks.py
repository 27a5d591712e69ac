"""Admin wiring of the API: audit actions (api/audit.py registers them on import), webhook endpoints and deliveries."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

from api import audit  # noqa: F401
from api.webhooks import admin as webhooks_admin


class WebhooksViewSetGroup(ModelViewSetGroup):
    menu_label = _("Webhook API")
    menu_icon = "link-external"
    menu_order = 950
    items = (webhooks_admin.WebhookEndpointViewSet, webhooks_admin.WebhookDeliveryViewSet)


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return WebhooksViewSetGroup()


@hooks.register("register_log_actions")
def register_webhook_actions(actions):
    webhooks_admin.register_log_actions(actions)
