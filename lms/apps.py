from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Pimpasa")

    def ready(self):
        from lms import cache_invalidation  # noqa: F401
