"""Audit-log actions of the HR workspace (labels shown in Wagtail's site history)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

EXPORT = "hr.export"
BULK_VERIFY = "hr.bulk_verify"
OFFICER_IMPORT = "hr.officer_import"
OFFICER_INVITE = "lms.officer_invite"
BULK_ISSUE = "hr.bulk_issue"


@hooks.register("register_log_actions")
def register_hr_actions(actions):
    actions.register_action(EXPORT, _("Registri sertifikat diekspor"), _("Registri sertifikat diekspor"))
    actions.register_action(BULK_VERIFY, _("Verifikasi massal NIP"), _("Verifikasi massal NIP"))
    actions.register_action(OFFICER_IMPORT, _("Petugas diimpor"), _("Petugas diimpor"))
    actions.register_action(BULK_ISSUE, _("Sertifikat diterbitkan massal"), _("Sertifikat diterbitkan massal"))
    actions.register_action(OFFICER_INVITE, _("Undangan petugas dikirim ulang"), _("Undangan petugas dikirim ulang"))
