"""The officer's pages of courses that are not Wagtail pages (included by lms/urls.py)."""

from django.urls import path

from courses import views

urlpatterns = [
    path("my/learning/", views.my_learning, name="my_learning"),
    # Offline reading (courses/offline.py, README "Offline").
    path("my/offline/", views.offline_saved, name="offline_saved"),
    path("my/offline/kursus/<int:course_id>/", views.offline_bundle, name="offline_bundle"),
]
