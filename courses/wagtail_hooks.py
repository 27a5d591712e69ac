from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from courses import views_admin
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
