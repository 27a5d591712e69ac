"""Admin wiring for certificates: programs as snippets, audit-log labels."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.models import Program


class ProgramViewSet(SnippetViewSet):
    model = Program
    icon = "list-ol"
    menu_label = _("Program")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "code", "agency", "validity_months"]
    search_fields = ["title", "code"]


register_snippet(ProgramViewSet)


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action("certificates.issue", _("Sertifikat diterbitkan"), _("Sertifikat diterbitkan"))
    actions.register_action("certificates.render", _("PDF sertifikat dirender"), _("PDF sertifikat dirender"))
    actions.register_action("certificates.revoke", _("Sertifikat dicabut"), _("Sertifikat dicabut"))


from certificates.hr import audit as _hr_audit  # noqa: E402,F401  (registers the HR workspace's log actions)
