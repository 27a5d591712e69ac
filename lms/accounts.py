"""Logins and passwords: the lockout rules and page, the rate-limited login views, password change.

Lockouts are django-axes' (settings AXES_*), with two limits (LockoutHandler): an
account is locked for the address that failed on it, so a stranger guessing a
password locks only themselves out, never the owner at their own desk; and an
address that fails on many accounts is locked whole, at a higher limit. The request
budget per address is lms.ratelimits'. All answer 429, each with its own page.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import LoginView as WagtailAdminLoginView
from wagtail.admin.views.account import PasswordResetConfirmView as WagtailAdminPasswordResetConfirmView
from wagtail.admin.views.account import PasswordResetView as WagtailAdminPasswordResetView

from lms.forms import AdminPasswordResetForm, LoginForm, PasswordChangeForm, PasswordResetRequestForm
from lms.password_reset import email_key
from lms.ratelimits import rate_limited

LOCKED_ACCOUNT, LOCKED_ADDRESS = "account", "address"


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler (AXES_HANDLER) with a second limit per address.

    AXES_LOCKOUT_PARAMETERS locks the (username, address) pair after AXES_FAILURE_LIMIT
    failures; on top of that an address is locked for every account once its failures
    on all accounts reach AXES_ADDRESS_FAILURE_LIMIT, counted from the same records
    (so the admin's "Login terkunci" page lists and unlocks both).
    """

    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0

    def address_locked(self, request) -> bool:
        return self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            request.lms_lockout = LOCKED_ACCOUNT
            return True
        if self.address_locked(request):
            request.lms_lockout = LOCKED_ADDRESS
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or self.is_whitelisted(request, credentials):
            return
        if request.axes_locked_out:
            request.lms_lockout = getattr(request, "lms_lockout", LOCKED_ACCOUNT)
        elif self.address_locked(request):
            request.lms_lockout = LOCKED_ADDRESS
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: a page that says what happened and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    scope = getattr(request, "lms_lockout", LOCKED_ACCOUNT)
    response = render(
        request,
        "lms/lockout.html",
        {
            "address_locked": scope == LOCKED_ADDRESS,
            "failure_limit": settings.AXES_ADDRESS_FAILURE_LIMIT if scope == LOCKED_ADDRESS else settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": minutes,
        },
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


# --- Forgotten passwords (lms/password_reset.py): two doors, one task, two budgets ---


def reset_budgets(view):
    """Per client address, then per typed e-mail address; only sending the form counts."""
    per_account = rate_limited(
        "password_reset_account",
        methods=("POST",),
        key=email_key,
        message=_("Tautan atur ulang untuk alamat email ini sudah beberapa kali diminta. Periksa kotak masuk dan folder spam."),
    )
    return rate_limited("password_reset", methods=("POST",))(per_account(view))


class AdminPasswordResetView(WagtailAdminPasswordResetView):
    def get_form_class(self):
        return AdminPasswordResetForm


admin_password_reset = reset_budgets(AdminPasswordResetView.as_view())
password_reset = reset_budgets(
    auth_views.PasswordResetView.as_view(
        form_class=PasswordResetRequestForm,
        template_name="registration/password_reset_form.html",
        success_url=reverse_lazy("password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")


class ClearLockoutOnResetMixin:
    """Whoever sets a new password through the mailed link holds the account's mailbox:
    the account's lockouts go, so an owner who mistyped at their own desk is not kept
    out for the rest of the cool-off by the very mistake the reset repairs."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetConfirmView(ClearLockoutOnResetMixin, auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


class AdminPasswordResetConfirmView(ClearLockoutOnResetMixin, WagtailAdminPasswordResetConfirmView):
    pass


# Tokens are unguessable; the login budget still caps how fast anyone can try.
password_reset_confirm = rate_limited("login")(PasswordResetConfirmView.as_view())
admin_password_reset_confirm = rate_limited("login")(AdminPasswordResetConfirmView.as_view())
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)
