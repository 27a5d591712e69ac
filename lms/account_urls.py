"""Account pages outside the Wagtail admin: officers invited by HR set their password here."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lms.ratelimits import rate_limited

urlpatterns = [
    path(
        "sandi/<uidb64>/<token>/",
        # Tokens are unguessable; the login budget still caps how fast anyone can try.
        rate_limited("login")(
            auth_views.PasswordResetConfirmView.as_view(
                template_name="registration/password_set_confirm.html",
                success_url=reverse_lazy("password_set_done"),
            )
        ),
        name="password_set",
    ),
    path(
        "sandi/selesai/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_set_done.html"),
        name="password_set_done",
    ),
]
