from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Pimpasa")

    def ready(self):
        # Inside ready(): the models are not importable before the app registry is.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_save, pre_save

        from lms import audit, roles

        User = get_user_model()
        m2m_changed.connect(audit.on_groups_changed, sender=User.groups.through, dispatch_uid="lms_audit_groups")
        pre_save.connect(audit.on_user_pre_save, sender=User, dispatch_uid="lms_audit_superuser_pre")
        post_save.connect(audit.on_user_post_save, sender=User, dispatch_uid="lms_audit_superuser_post")

        # Also inside ready(), for the same reason: its receivers are connected to the models on import.
        from lms import cache_invalidation  # noqa: F401
