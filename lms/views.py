"""Officer-facing views that are not Wagtail pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from courses.selectors import my_learning_for_user


@login_required
def my_learning(request):
    return render(request, "lms/my_learning.html", {"courses": my_learning_for_user(user=request.user)})
