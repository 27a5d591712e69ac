"""Officer-facing views that are not Wagtail pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from courses import selectors


@login_required
def my_learning(request):
    return render(request, "lms/my_learning.html", {
        "courses": selectors.my_learning_for_user(user=request.user),
        "panels": selectors.my_learning_panels(user=request.user),
    })
