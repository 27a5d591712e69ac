"""Logins and passwords: the lockout page, the rate-limited login views, password change.

Lockout counting is django-axes' (settings AXES_*); the budget per address is
lms.ratelimits'. Both answer 429, each with its own page.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from wagtail.admin.views.account import LoginView as WagtailAdminLoginView

from lms.forms import LoginForm, PasswordChangeForm
from lms.ratelimits import rate_limited


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: a page that says what happened and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    response = render(
        request,
        "lms/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response


# Only POSTs count: showing the form costs nothing, guessing passwords is what is limited.
login = rate_limited("login", methods=("POST",))(
    auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True)
)
admin_login = rate_limited("login", methods=("POST",))(WagtailAdminLoginView.as_view())
django_admin_login = rate_limited("login", methods=("POST",))(admin.site.login)

# Django keeps this session and ends every other session of the account
# (the session hash changes with the password).
password_change = auth_views.PasswordChangeView.as_view(
    form_class=PasswordChangeForm, success_url=reverse_lazy("password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
