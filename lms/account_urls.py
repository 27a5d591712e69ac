"""Account pages outside the Wagtail admin: officers invited by HR set their password here,
and officers and HR who forgot theirs get a new one (lms/password_reset.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from lms import accounts
from lms.ratelimits import rate_limited

urlpatterns = [
    # Before "sandi/<uidb64>/<token>/", which would take "lupa/terkirim/" for a uid and a token.
    path("sandi/lupa/", accounts.password_reset, name="password_reset"),
    path("sandi/lupa/terkirim/", accounts.password_reset_done, name="password_reset_done"),
    path("sandi/lupa/selesai/", accounts.password_reset_complete, name="password_reset_complete"),
    path("sandi/lupa/<uidb64>/<token>/", accounts.password_reset_confirm, name="password_reset_confirm"),
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
