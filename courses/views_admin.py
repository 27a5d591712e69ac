"""Admin report views: quiz statistics for the agency's trainers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from courses import statistics
from lms import roles
from courses.models import ModulePage


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
