"""Officer-facing views that are not Wagtail pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from courses import offline, selectors
from courses.models import CoursePage


@login_required
def my_learning(request):
    return render(request, "lms/my_learning.html", {
        "courses": selectors.my_learning_for_user(user=request.user),
        "panels": selectors.my_learning_panels(user=request.user),
    })


@login_required
def offline_saved(request):
    """The courses saved on this phone, their size and "Hapus": the page script lists them from Cache Storage."""
    return render(request, "courses/offline_saved.html")


@require_GET
@login_required
def offline_bundle(request, course_id):
    """What "Simpan untuk offline" saves of a course (courses.offline), for an enrolled officer."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    bundle = offline.offline_bundle(user=request.user, course=course)
    if bundle is None:
        raise Http404
    return JsonResponse(bundle)
