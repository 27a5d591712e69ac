"""The fixed list of scopes an API client may hold, and django-oauth-toolkit's scopes backend.

A client may ask a token for any of the scopes it was registered with and for no other; a token
asked for without `scope` gets all of them (OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"]).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

OFFICERS_READ = "officers:read"
OFFICERS_WRITE = "officers:write"
CERTIFICATES_READ = "certificates:read"
CERTIFICATES_REVOKE = "certificates:revoke"
PROGRESS_READ = "progress:read"

# scope: what it lets a client do (shown in the admin, in the token endpoint's answer and in the docs)
SCOPES = {
    OFFICERS_READ: _("Membaca data petugas"),
    OFFICERS_WRITE: _("Menambah dan mengubah data petugas"),
    CERTIFICATES_READ: _("Membaca sertifikat"),
    CERTIFICATES_REVOKE: _("Mencabut sertifikat"),
    PROGRESS_READ: _("Membaca pendaftaran, kemajuan dan JP"),
}

# The same in English, for the OpenAPI document (one language; its descriptions are English).
SCOPE_DOCS = {
    OFFICERS_READ: "Read officers",
    OFFICERS_WRITE: "Create and update officers",
    CERTIFICATES_READ: "Read certificates",
    CERTIFICATES_REVOKE: "Revoke certificates",
    PROGRESS_READ: "Read enrolments, progress and training hours (JP)",
}


def parse_scopes(value: str) -> list[str]:
    """The scopes of a space-separated string, in the order of SCOPES, without repeats."""
    given = set((value or "").split())
    return [scope for scope in SCOPES if scope in given]


def validate_scopes(value: str) -> None:
    unknown = sorted(set((value or "").split()) - set(SCOPES))
    if unknown:
        raise ValidationError(
            _("Cakupan tidak dikenal: %(unknown)s. Pilih dari: %(known)s."),
            params={"unknown": ", ".join(unknown), "known": ", ".join(SCOPES)},
            code="unknown_scope",
        )


class ApiClientScopes(BaseScopes):
    """Each application may use exactly the scopes of its ApiClient (none when it has none or is inactive)."""

    def get_all_scopes(self):
        return {scope: str(label) for scope, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        client = getattr(application, "api_client", None) if application is not None else None
        if client is None or not client.is_active:
            return []
        return client.scope_list

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self.get_available_scopes(application, request, *args, **kwargs)
