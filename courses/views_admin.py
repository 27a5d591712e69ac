"""Admin views for trainers: quiz statistics, and the modules to review after a change in the law."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import selectors, services, statistics
from courses.admin_forms import HoldReleaseForm, ReviewClearForm
from courses.models import ContentReview, ModulePage, QuestionHold
from lms import roles


def quiz_statistics_index(request):
    agencies = roles.agencies_for_user(request.user)
    if not agencies:
        raise PermissionDenied
    sections = [
        {
            "agency": agency,
            "modules": statistics.quiz_modules_for_agencies([agency]),
            "provisions": statistics.provision_statistics(agency),
        }
        for agency in agencies
    ]
    return TemplateResponse(
        request, "courses/admin/quiz_statistics_index.html", {"sections": sections, "title": _("Statistik kuis")}
    )


def quiz_statistics_detail(request, module_id):
    module = get_object_or_404(ModulePage, pk=module_id)
    if module.course.agency not in roles.agencies_for_user(request.user):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "courses/admin/quiz_statistics_detail.html",
        {"module": module, "course": module.course, "title": _("Statistik kuis"), **statistics.quiz_statistics(module)},
    )


# --- "Perlu ditinjau": modules a change in the law touches, for their agency's trainers.


def _agency_ids(user) -> list[int]:
    agencies = roles.agencies_for_user(user)
    if not agencies:
        raise PermissionDenied
    return [agency.pk for agency in agencies]


def legal_reviews(request):
    """The open reviews of the user's agencies (every agency for reviewers), and the latest cleared ones."""
    agency_ids = _agency_ids(request.user)
    cleared = (
        ContentReview.objects.filter(status=ContentReview.Status.CLEARED, course__agency_id__in=agency_ids)
        .select_related("module", "course", "change__instrument", "cleared_by")
        .order_by("-cleared_at")[:20]
    )
    return TemplateResponse(
        request,
        "courses/admin/legal_reviews.html",
        {"title": _("Perlu ditinjau"), "rows": selectors.review_rows(selectors.open_reviews(agency_ids)), "cleared": cleared},
    )


def _review_for(request, review_id) -> ContentReview:
    review = get_object_or_404(
        ContentReview.objects.select_related("module", "course__agency", "change__instrument", "cleared_by"), pk=review_id
    )
    if review.course.agency_id not in _agency_ids(request.user):
        raise PermissionDenied
    return review


def _may_decide(user, review) -> bool:
    """Whoever may edit the module decides on it: its agency's trainers, reviewers, admins."""
    return review.module.permissions_for_user(user).can_edit()


def legal_review_detail(request, review_id):
    """One review: the change, what of the module it touches, the held questions; clear it with a comment."""
    review = _review_for(request, review_id)
    form = ReviewClearForm(request.POST or None)
    if request.method == "POST":
        if not _may_decide(request.user, review):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.content_review_clear(
                    review=review, resolution=form.cleaned_data["resolution"], comment=form.cleaned_data["comment"],
                    user=request.user,
                )
            except services.ReviewError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Tinjauan modul “%(module)s” selesai.") % {"module": review.module.title})
                return redirect("legal_reviews")
    row = selectors.review_rows([review])[0]
    return TemplateResponse(
        request,
        "courses/admin/legal_review_detail.html",
        {
            "title": _("Tinjau: %(module)s") % {"module": review.module.title},
            "row": row,
            "review": review,
            "form": form,
            "release_form": HoldReleaseForm(),
            "may_decide": _may_decide(request.user, review),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def question_hold_release(request, hold_id):
    """"Konfirmasi soal": new attempts draw the question again."""
    hold = get_object_or_404(QuestionHold.objects.select_related("question__page"), pk=hold_id)
    review = get_object_or_404(ContentReview, module_id=hold.question.page_id, change_id=hold.change_id)
    review = _review_for(request, review.pk)
    if not _may_decide(request.user, review):
        raise PermissionDenied
    form = HoldReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis komentar untuk mengonfirmasi soal ini."))
    else:
        try:
            services.question_hold_release(hold=hold, comment=form.cleaned_data["comment"], user=request.user)
        except services.ReviewError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Soal dikonfirmasi; kuis menariknya lagi untuk percobaan baru."))
    return redirect("legal_review", review.pk)
