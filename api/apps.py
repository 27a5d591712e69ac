from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API integrasi")

    def ready(self):
        # Inside ready(): the receivers import the models, which are not importable before the app registry is.
        from api import receivers  # noqa: F401
        from api.webhooks import receivers as webhook_receivers  # noqa: F401
