"""Admin wiring for certificates: programs as snippets, audit-log labels."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.models import CertificateTemplate, Program, Signatory
from certificates.services import certificate_template_changed, signatory_changed


class ProgramViewSet(SnippetViewSet):
    model = Program
    icon = "list-ol"
    menu_label = _("Program")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "code", "agency", "validity_months"]
    search_fields = ["title", "code"]


register_snippet(ProgramViewSet)


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Templat sertifikat")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["__str__", "language", "title_text", "updated_at"]
    list_filter = ["agency", "language"]


register_snippet(CertificateTemplateViewSet)


class SignatoryViewSet(SnippetViewSet):
    """The register of officials who sign each agency's certificates, with their periods of appointment."""

    model = Signatory
    icon = "user"
    menu_label = _("Penandatangan")
    menu_order = 225
    add_to_admin_menu = True
    list_display = ["name", "position", "agency", "id_number", Column("appointment_display", label=_("Masa jabatan"))]
    list_filter = ["agency"]
    search_fields = ["name", "position"]


register_snippet(SignatoryViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def mark_pdfs_outdated_after_template_edit(request, instance):
    """New PDFs follow the edited template; existing ones are re-rendered when next asked for."""
    if isinstance(instance, CertificateTemplate):
        certificate_template_changed(template=instance)
    elif isinstance(instance, Signatory):
        signatory_changed(signatory=instance)


@hooks.register("after_delete_snippet")
def mark_pdfs_outdated_after_template_delete(request, instances):
    for instance in instances:
        if isinstance(instance, CertificateTemplate):
            certificate_template_changed(template=instance)


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action("certificates.issue", _("Sertifikat diterbitkan"), _("Sertifikat diterbitkan"))
    actions.register_action("certificates.render", _("PDF sertifikat dirender"), _("PDF sertifikat dirender"))
    actions.register_action("certificates.revoke", _("Sertifikat dicabut"), _("Sertifikat dicabut"))

