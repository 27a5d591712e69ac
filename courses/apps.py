from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kursus")

    def ready(self):
        # Inside ready(): the models are not importable before the app registry is.
        from django.db.models.signals import post_save

        from courses.models import CoursePage
        from lms import roles

        # Whoever saves a course (admin form, publish, copy, seed), its agency's trainers get its page permissions.
        post_save.connect(roles.on_course_saved, sender=CoursePage, dispatch_uid="lms_course_permissions")

        # Also inside ready(): the receivers import the models.
        from courses import receivers  # noqa: F401
