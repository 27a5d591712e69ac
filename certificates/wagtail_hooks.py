"""Admin wiring for certificates: programs as snippets, audit-log labels, the legal impact pages, refreshers."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import admin_views
from certificates.models import CertificateTemplate, Program, Signatory
from certificates.services import certificate_template_changed, signatory_changed
from lms import roles
from lms.wagtail_hooks import LEGAL_MENU_HOOK
from lms.models import LegalChange, LegalProvision


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

    def get_queryset(self, request):
        return CertificateTemplate.objects.select_related("agency", "course", "program")  # what __str__ names


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

    def get_queryset(self, request):
        return Signatory.objects.select_related("agency")  # the "agency" column, not a query a row


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
    actions.register_action(
        "certificates.refresher_require", _("Penyegaran diminta"), _("Penyegaran diminta karena perubahan peraturan")
    )
    actions.register_action(
        "certificates.refresher_complete", _("Penyegaran selesai"), _("Penyegaran selesai; sertifikat diperbarui")
    )



# --- The impact of a change in the law: a page per change and per provision, linked from their snippets.


@hooks.register("register_admin_urls")
def register_legal_impact_urls():
    return [
        path("dampak-hukum/perubahan/<int:change_id>/", admin_views.legal_impact_change, name="legal_impact_change"),
        path("dampak-hukum/pasal/<int:provision_id>/", admin_views.legal_impact_provision, name="legal_impact_provision"),
        path("penyegaran/", admin_views.refreshers, name="refreshers"),
    ]


@hooks.register("register_snippet_listing_buttons")
def legal_impact_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, LegalChange):
        url = reverse("legal_impact_change", args=[snippet.pk])
    elif isinstance(snippet, LegalProvision):
        url = reverse("legal_impact_provision", args=[snippet.pk])
    else:
        return []
    # Once per listing, not per row: the answer is kept on the request's user object.
    if not hasattr(user, "_sees_legal_impact"):
        user._sees_legal_impact = bool(roles.agencies_for_user(user))
    if not user._sees_legal_impact:
        return []
    return [Button(_("Dampak"), url, icon_name="warning", priority=15)]


# --- Refreshers (penyegaran): a read-only list, in the "Peraturan" menu beside the recorded changes.


class RefresherMenuItem(MenuItem):
    """Shown to whoever the list shows something: trainers, reviewers, HR, admins."""

    def is_shown(self, request):
        return bool(admin_views.refresher_agencies(request))


@hooks.register(LEGAL_MENU_HOOK)
def register_refresher_menu_item():
    return RefresherMenuItem(_("Penyegaran"), reverse("refreshers"), name="refreshers", icon_name="rotate", order=400)
