"""Audit-log actions of the API (labels shown in Wagtail's site history).

Writes made through the API are recorded under the client's service user (ApiClient.service_user,
the OAuth application's user), so the site history names the client as the actor.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

CLIENT_REGISTER = "api.client_register"
CLIENT_UPDATE = "api.client_update"
CLIENT_SECRET_ROTATE = "api.client_secret_rotate"
OFFICER_CREATE = "api.officer_create"
OFFICER_UPDATE = "api.officer_update"


@hooks.register("register_log_actions")
def register_api_actions(actions):
    actions.register_action(CLIENT_REGISTER, _("Klien API didaftarkan"), _("Klien API didaftarkan"))
    actions.register_action(CLIENT_UPDATE, _("Klien API diubah"), _("Klien API diubah"))
    actions.register_action(CLIENT_SECRET_ROTATE, _("Rahasia klien API diganti"), _("Rahasia klien API diganti"))
    actions.register_action(OFFICER_CREATE, _("Petugas ditambahkan lewat API"), _("Petugas ditambahkan lewat API"))
    actions.register_action(OFFICER_UPDATE, _("Petugas diubah lewat API"), _("Petugas diubah lewat API"))
