from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from courses import selectors, views_admin
from courses.models import CourseIndexPage
from lms import roles


@hooks.register("register_admin_urls")
def register_quiz_statistics_urls():
    return [
        path("statistik-kuis/", views_admin.quiz_statistics_index, name="quiz_statistics"),
        path("statistik-kuis/<int:module_id>/", views_admin.quiz_statistics_detail, name="quiz_statistics_detail"),
        path("perlu-ditinjau/", views_admin.legal_reviews, name="legal_reviews"),
        path("perlu-ditinjau/<int:review_id>/", views_admin.legal_review_detail, name="legal_review"),
        path(
            "perlu-ditinjau/soal/<int:hold_id>/konfirmasi/",
            views_admin.question_hold_release,
            name="legal_question_release",
        ),
    ]


class QuizStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(roles.agencies_for_user(request.user))


@hooks.register("register_reports_menu_item")
def register_quiz_statistics_menu_item():
    return QuizStatisticsMenuItem(_("Statistik kuis"), reverse("quiz_statistics"), icon_name="table", order=100)


def open_review_count(request) -> int:
    """The open reviews of the user's agencies, counted once per request (menu and dashboard)."""
    if not hasattr(request, "_open_review_count"):
        agencies = roles.agencies_for_user(request.user)
        request._open_review_count = selectors.open_review_count([a.pk for a in agencies]) if agencies else None
    return request._open_review_count


class LegalReviewMenuItem(MenuItem):
    """"Perlu ditinjau (3)": the count of open reviews is in the label, so it is read out too."""

    def is_shown(self, request):
        return open_review_count(request) is not None

    def render_component(self, request):
        component = super().render_component(request)
        count = open_review_count(request)
        if count:
            component.label = f"{self.label} ({count})"
        return component


@hooks.register("register_admin_menu_item")
def register_legal_review_menu_item():
    return LegalReviewMenuItem(_("Perlu ditinjau"), reverse("legal_reviews"), icon_name="warning", order=245)


class LegalReviewDashboardPanel(Component):
    name = "legal_reviews"
    order = 50
    template_name = "courses/admin/legal_review_dashboard_panel.html"

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context=None):
        return {"count": self.count, "url": reverse("legal_reviews")}


@hooks.register("construct_homepage_panels")
def add_legal_review_panel(request, panels):
    count = open_review_count(request)
    if count:
        panels.append(LegalReviewDashboardPanel(count))


@hooks.register("after_create_page")
def set_up_a_new_catalog(request, page):
    """A catalog made by hand in the admin gets the same permissions and review workflow as the demo's."""
    if isinstance(page.specific, CourseIndexPage):
        roles.sync_catalog(catalog=page)
