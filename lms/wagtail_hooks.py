"""Admin wiring for the site-wide snippets and people data."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail import hooks

from lms import admin_views, audit, roles
from lms.legal import legal_change_apply
from lms.models import Agency, LegalBasis, LegalChange, LegalProvision, OfficerProfile, Office, Village


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "group"
    list_display = ["short_name", "name", "code"]
    search_fields = ["name", "short_name"]


class LegalBasisViewSet(SnippetViewSet):
    model = LegalBasis
    icon = "doc-full"
    list_display = ["short_name", "title", "year"]
    list_filter = ["kind"]
    search_fields = ["title", "short_name"]


class LegalProvisionEditView(snippet_views.EditView):
    """Editing a provision: besides Wagtail's revision and "edited" entry, an audit line naming the fields."""

    def save_instance(self):
        instance = super().save_instance()
        if self.form.changed_data:
            audit.record(
                instance,
                audit.LEGAL_PROVISION_EDITED,
                user=self.request.user,
                data={"provision": str(instance), "fields": ", ".join(self.form.changed_data)},
            )
        return instance


class LegalProvisionViewSet(SnippetViewSet):
    model = LegalProvision
    icon = "openquote"
    menu_label = _("Pasal")
    edit_view_class = LegalProvisionEditView
    list_display = ["__str__", "heading", "status", "in_force_until"]
    list_filter = ["legal_basis", "status"]
    list_per_page = 50


class RecordLegalChangeView(snippet_views.CreateView):
    """Recording a change applies it at once, in the same transaction (lms.legal)."""

    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        instance = super().save_instance()
        legal_change_apply(instance, user=self.request.user)
        return instance

    def get_success_message(self, instance=None):
        return _("Perubahan peraturan %(change)s dicatat dan diterapkan pada %(count)s pasal.") % {
            "change": instance or self.object,
            "count": (instance or self.object).items.count(),
        }


class LegalChangeEditView(snippet_views.EditView):
    """A change already applied is history: it is not edited; record a new change instead."""

    def dispatch(self, request, *args, **kwargs):
        change = LegalChange.objects.filter(pk=kwargs.get("pk")).only("applied_at").first()
        if change is not None and change.applied_at is not None:
            messages.error(
                request, _("Perubahan yang sudah diterapkan tidak dapat diubah; catat perubahan baru bila perlu.")
            )
            return redirect("wagtailsnippets_lms_legalchange:inspect", change.pk)
        return super().dispatch(request, *args, **kwargs)


class LegalChangeViewSet(SnippetViewSet):
    model = LegalChange
    icon = "warning"
    menu_label = _("Perubahan peraturan")
    add_view_class = RecordLegalChangeView
    edit_view_class = LegalChangeEditView
    inspect_view_enabled = True
    inspect_view_fields = ["instrument", "in_force_on", "summary", "withhold_questions", "recorded_by", "recorded_at", "applied_at"]
    list_display = ["instrument", "in_force_on", "recorded_by", "applied_at"]
    list_filter = ["instrument"]

    def get_queryset(self, request):
        return LegalChange.objects.select_related("instrument", "recorded_by")  # the columns, not queries a row


# Apps above lms add their own items to the "Peraturan" menu through this hook
# (certificates: "Penyegaran"), so this module needs none of their views.
LEGAL_MENU_HOOK = "register_legal_menu_item"


class LegalBasisGroup(SnippetViewSetGroup):
    menu_label = _("Peraturan")
    menu_icon = "doc-full"
    menu_order = 250
    items = (LegalBasisViewSet, LegalProvisionViewSet, LegalChangeViewSet)
    submenu_hook = LEGAL_MENU_HOOK


register_snippet(AgencyViewSet)
register_snippet(LegalBasisGroup)


class OfficeViewSet(ModelViewSet):
    model = Office
    icon = "home"
    form_fields = ["code", "name", "kind", "city", "province"]
    list_display = ["name", "city", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "city", "province"]
    add_to_admin_menu = False


class VillageViewSet(ModelViewSet):
    model = Village
    icon = "site"
    form_fields = ["name", "district", "regency", "province", "office"]
    list_display = ["name", "district", "regency", "province", "office"]
    list_filter = ["province"]
    search_fields = ["name", "regency"]


class OfficerProfileViewSet(ModelViewSet):
    model = OfficerProfile
    icon = "user"
    form_fields = ["user", "nip", "full_name", "rank", "position", "office", "village"]
    list_display = ["full_name", "nip", "rank", "office"]
    list_filter = ["office"]
    search_fields = ["full_name", "nip"]


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("Petugas & wilayah")
    menu_icon = "user"
    menu_order = 300
    items = (OfficerProfileViewSet, OfficeViewSet, VillageViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()


# --- Roles and security -------------------------------------------------------------


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    audit.register_actions(actions)


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [path("login-terkunci/", admin_views.lockouts, name="lms_lockouts")]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def register_lockouts_menu_item():
    return SuperuserMenuItem(_("Masuk terkunci"), reverse("lms_lockouts"), icon_name="lock", order=900)
