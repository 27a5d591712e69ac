"""Admin wiring for the site-wide snippets and people data."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail import hooks

from lms import admin_views, audit, roles
from lms.models import Agency, LegalBasis, OfficerProfile, Office, Village


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


register_snippet(AgencyViewSet)
register_snippet(LegalBasisViewSet)


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
