"""The platform's entries in Wagtail's audit log (Reports > Riwayat situs / Site history).

One place for every action type: add a line to ACTIONS, then call

    from lms import audit
    audit.record(certificate, "certificates.issue", data={"serial": certificate.serial})

`record()` takes the acting user from the request (Wagtail's log context, set for
every logged-in request by `LogContextMiddleware`) unless `user=` is given. The
message may use `%(key)s` placeholders filled from `data`.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogContext, LogFormatter, log

ROLE_ADDED = "lms.role.add"
ROLE_REMOVED = "lms.role.remove"
SUPERUSER_GRANTED = "lms.role.superuser_grant"
SUPERUSER_REVOKED = "lms.role.superuser_revoke"
LOCKOUT_RESET = "lms.lockout.reset"
LEGAL_PROVISION_CHANGED = "lms.legal.provision_change"
LEGAL_PROVISION_EDITED = "lms.legal.provision_edit"
LEGAL_CHANGE_APPLIED = "lms.legal.change_apply"
# Written by courses (reviews of content a change touches), named here with every other action.
LEGAL_REVIEW_OPENED = "courses.legal_review.open"
LEGAL_REVIEW_CLEARED = "courses.legal_review.clear"
QUESTION_WITHHELD = "courses.question.withhold"
QUESTION_CONFIRMED = "courses.question.confirm"

# action: (label in the report's filter, message; %(key)s placeholders come from the entry's data)
ACTIONS = {
    ROLE_ADDED: (_("Peran: ditambahkan"), _("Peran ditambahkan ke %(user)s: %(groups)s")),
    ROLE_REMOVED: (_("Peran: dicabut"), _("Peran dicabut dari %(user)s: %(groups)s")),
    SUPERUSER_GRANTED: (_("Peran: admin diberikan"), _("%(user)s dijadikan administrator")),
    SUPERUSER_REVOKED: (_("Peran: admin dicabut"), _("Hak administrator %(user)s dicabut")),
    LOCKOUT_RESET: (_("Masuk: kunci dibuka"), _("Kunci masuk dibuka untuk %(target)s")),
    LEGAL_PROVISION_CHANGED: (
        _("Pasal: status diubah"),
        _("%(provision)s: %(old)s → %(new)s oleh %(instrument)s"),
    ),
    LEGAL_PROVISION_EDITED: (_("Pasal: disunting"), _("%(provision)s disunting: %(fields)s")),
    LEGAL_CHANGE_APPLIED: (
        _("Perubahan peraturan: diterapkan"),
        _("%(instrument)s (berlaku %(in_force_on)s) diterapkan pada %(provisions)s"),
    ),
    LEGAL_REVIEW_OPENED: (_("Tinjauan materi: dibuka"), _("Modul “%(module)s” perlu ditinjau karena %(change)s")),
    LEGAL_REVIEW_CLEARED: (
        _("Tinjauan materi: selesai"),
        _("Tinjauan modul “%(module)s” (%(change)s) selesai: %(resolution)s. Komentar: %(comment)s"),
    ),
    QUESTION_WITHHELD: (_("Soal: ditahan"), _("Soal ditahan karena %(change)s: “%(question)s”")),
    QUESTION_CONFIRMED: (
        _("Soal: dikonfirmasi"),
        _("Soal dikonfirmasi setelah %(change)s: “%(question)s”. Komentar: %(comment)s"),
    ),
}


class DataLogFormatter(LogFormatter):
    def format_message(self, log_entry):
        try:
            return str(self.message) % (log_entry.data or {})
        except (KeyError, TypeError, ValueError):
            return str(self.label)


def register_actions(actions) -> None:
    """Wagtail's `register_log_actions` hook (wired in lms/wagtail_hooks.py)."""
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action)(type("LmsLogFormatter", (DataLogFormatter,), {"label": label, "message": message}))


def record(instance, action: str, *, user=None, data=None):
    if action not in ACTIONS:
        raise KeyError(f"Audit action {action!r} is not registered in lms.audit.ACTIONS.")
    return log(instance=instance, action=action, user=user, data=data or {})


def role_change_record(*, user, added=(), removed=()) -> None:
    """One entry per direction of a group membership change of `user`."""
    if added:
        record(user, ROLE_ADDED, data={"user": user.get_username(), "groups": ", ".join(sorted(added))})
    if removed:
        record(user, ROLE_REMOVED, data={"user": user.get_username(), "groups": ", ".join(sorted(removed))})


def superuser_change_record(*, user) -> None:
    action = SUPERUSER_GRANTED if user.is_superuser else SUPERUSER_REVOKED
    record(user, action, data={"user": user.get_username()})


# --- wiring (connected in lms.apps) ---------------------------------------------------
# Group membership changes are recorded from m2m_changed because it is the one point
# every path crosses (Wagtail's user form, the group's user_set, django-admin, shell):
# an audit log that only covered one form would be incomplete.


def on_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # pk_set is not given for clear(): remember what is about to go.
        instance._lms_cleared = (
            list(instance.groups.values_list("name", flat=True))
            if not reverse
            else list(instance.user_set.all())
        )
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    key = "added" if action == "post_add" else "removed"
    if not reverse:  # user.groups.add/remove/clear(groups)
        names = (
            instance.__dict__.pop("_lms_cleared", [])
            if action == "post_clear"
            else list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        )
        if names:
            role_change_record(user=instance, **{key: names})
    else:  # group.user_set.add/remove/clear(users)
        users = (
            instance.__dict__.pop("_lms_cleared", [])
            if action == "post_clear"
            else list(get_user_model().objects.filter(pk__in=pk_set))
        )
        for user in users:
            role_change_record(user=user, **{key: [instance.name]})


def on_user_pre_save(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and "is_superuser" not in update_fields):
        return
    previous = (
        sender.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first() if instance.pk else None
    )
    instance._lms_superuser_changed = bool(instance.is_superuser) != bool(previous)


def on_user_post_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.__dict__.pop("_lms_superuser_changed", False):
        superuser_change_record(user=instance)


class LogContextMiddleware:
    """Name the logged-in user as the actor of audit entries written during the request
    (Wagtail does this for its admin views only; this covers django-admin and our own views)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            with LogContext(user=user):
                return self.get_response(request)
        return self.get_response(request)
