"""The officer's pages of courses that are not Wagtail pages (included by lms/urls.py)."""

from django.urls import path

from courses import views

urlpatterns = [
    path("my/learning/", views.my_learning, name="my_learning"),
]
