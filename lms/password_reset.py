"""Forgotten passwords: one flow for everyone, two doors.

Officers and HR ask at /accounts/sandi/lupa/ (the site's pages, Bahasa Indonesia),
trainers, reviewers and admins at the Wagtail admin's /admin/password_reset/. Either
door only queues a task with the typed address and answers the same neutral page,
so no one learns whether an address has an account, and the request neither waits
for the mail server nor takes longer when the address exists. The worker then mails
each active account with that address a link to the door that fits the account: the
admin's reset pages for those who may use the admin, the site's for everyone else.
An officer asking at the admin's door is therefore sent to the officer pages, never
into an admin they cannot enter.

Both doors share two budgets (settings.RATE_LIMITS): per client address and per
typed e-mail address, so twelve requests no longer make twelve mails.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from lms import tasks

ADMIN_ACCESS = "wagtailadmin.access_admin"


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()


def email_key(group, request) -> str:
    """django-ratelimit key of the per-account budget: the typed address, however it is cased."""
    return normalize_email(request.POST.get("email", ""))


def password_reset_request(*, email: str, request) -> None:
    """Queue the reset mail(s) for `email`; the page never says whether any account has it."""
    base_url = f"{request.scheme}://{request.get_host()}"
    language = translation.get_language() or settings.LANGUAGE_CODE
    tasks.password_reset_send.enqueue(email=normalize_email(email), base_url=base_url, language=language)


def reset_link(user, *, base_url: str, admin: bool) -> str:
    """A one-time link to the reset pages that fit the account (see the module's docstring)."""
    name = "wagtailadmin_password_reset_confirm" if admin else "password_reset_confirm"
    path = reverse(
        name,
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return base_url.rstrip("/") + path


def accounts_with_email(email: str) -> list:
    """Active accounts with a usable password and this address, as Django's reset form picks
    them (an account without a password is set up by its invitation), officers' names joined."""
    User = get_user_model()
    field = User.get_email_field_name()
    users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True}).select_related(
        "officer_profile"
    )
    return [user for user in users if user.has_usable_password()]


def password_reset_send_now(*, email: str, base_url: str, language: str) -> int:
    """Mail a reset link to each account with this address, in one connection."""
    users = accounts_with_email(email)
    if not users:
        return 0
    may_use_admin = get_user_model().objects.with_perm(ADMIN_ACCESS, backend="django.contrib.auth.backends.ModelBackend")
    admins = set(may_use_admin.filter(pk__in=[user.pk for user in users]).values_list("pk", flat=True))
    field = get_user_model().get_email_field_name()
    messages = []
    with translation.override(language):
        for user in users:
            context = {
                "user": user,
                "link": reset_link(user, base_url=base_url, admin=user.pk in admins),
                "site_name": settings.WAGTAIL_SITE_NAME,
                "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            }
            messages.append(
                EmailMessage(
                    subject=_("Atur ulang kata sandi %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
                    body=render_to_string("lms/email/password_reset.txt", context),
                    to=[getattr(user, field)],
                )
            )
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
