from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses import views_admin
from courses.models import CourseIndexPage
from lms import roles


@hooks.register("register_admin_urls")
def register_quiz_statistics_urls():
    return [
        path("statistik-kuis/", views_admin.quiz_statistics_index, name="quiz_statistics"),
        path("statistik-kuis/<int:module_id>/", views_admin.quiz_statistics_detail, name="quiz_statistics_detail"),
    ]


class QuizStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(roles.agencies_for_user(request.user))


@hooks.register("register_reports_menu_item")
def register_quiz_statistics_menu_item():
    return QuizStatisticsMenuItem(_("Statistik kuis"), reverse("quiz_statistics"), icon_name="table", order=100)


@hooks.register("after_create_page")
def set_up_a_new_catalog(request, page):
    """A catalog made by hand in the admin gets the same permissions and review workflow as the demo's."""
    if isinstance(page.specific, CourseIndexPage):
        roles.sync_catalog(catalog=page)
