"""Invitations for new officers: a link to set their password, e-mailed by a background task
(`hr.tasks.officer_invitations_send`, queued by the officer import and the officer page's resend)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

User = get_user_model()


def invitation_link(user) -> str:
    path = reverse(
        "password_set",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def officer_invitations_send_now(*, user_ids: list[int]) -> int:
    """E-mail each new officer a link to set their password; one mail connection for all."""
    users = User.objects.filter(pk__in=user_ids).exclude(email="").select_related("officer_profile")
    messages = []
    for user in users:
        context = {"user": user, "link": invitation_link(user), "site_name": settings.WAGTAIL_SITE_NAME}
        messages.append(
            EmailMessage(
                subject=_("Undangan %(site)s: atur kata sandi Anda") % {"site": settings.WAGTAIL_SITE_NAME},
                body=render_to_string("lms/email/officer_invitation.txt", context),
                to=[user.email],
            )
        )
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
