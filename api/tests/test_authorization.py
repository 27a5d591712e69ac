"""The API's authorization matrix: every operation × every scope × agency (own, other, central).

Like tests/test_authorization.py for the web pages: each operation is requested with no token,
an expired token, a token of an inactive client, a token of each single scope, and by clients of
the owning agency, of another agency and of central HR. A new operation must get a row here
(test_every_operation_has_a_row compares with the schema).
"""

import json
from dataclasses import dataclass

import pytest
from django.test import Client

from api import scopes
from api.tests.builders import ALL_SCOPES, bearer, make_api_client, make_token
from certificates.models import Certificate
from hr.tests.builders import make_world

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    operation: str
    method: str
    path: str  # {keys} from the world
    scope: str | None  # None: any valid token
    owner: str | None  # "imigrasi" / "polri": the agency whose client sees it; None: every client
    body: dict | None = None
    ok: int = 200


NEW_NIP = "199505052020121001"
ROWS = [
    Row("officers_list", "get", "/api/v1/officers/", scopes.OFFICERS_READ, None),
    Row("officers_detail", "get", "/api/v1/officers/{budi_nip}", scopes.OFFICERS_READ, None),
    Row("officers_put", "put", "/api/v1/officers/{budi_nip}", scopes.OFFICERS_WRITE, None,
        body={"full_name": "Budi Santoso, S.H.", "office": "KANIM-BDG"}),
    Row("officers_enrolments", "get", "/api/v1/officers/{budi_nip}/enrolments", scopes.PROGRESS_READ, None),
    Row("officers_jp", "get", "/api/v1/officers/{budi_nip}/jp", scopes.PROGRESS_READ, None),
    Row("officers_siasn", "get", "/api/v1/officers/{budi_nip}/siasn-records", scopes.PROGRESS_READ, None),
    Row("certificates_list", "get", "/api/v1/certificates/", scopes.CERTIFICATES_READ, None),
    Row("certificates_detail", "get", "/api/v1/certificates/{imigrasi_certificate}", scopes.CERTIFICATES_READ,
        "imigrasi"),
    Row("certificates_detail", "get", "/api/v1/certificates/{polri_certificate}", scopes.CERTIFICATES_READ, "polri"),
    Row("certificates_revoke", "post", "/api/v1/certificates/{imigrasi_certificate}/revoke",
        scopes.CERTIFICATES_REVOKE, "imigrasi", body={"reason": "issued_in_error", "note": "uji"}),
    Row("certificates_revoke", "post", "/api/v1/certificates/{polri_certificate}/revoke",
        scopes.CERTIFICATES_REVOKE, "polri", body={"reason": "issued_in_error", "note": "uji"}),
    Row("courses_list", "get", "/api/v1/courses", None, None),
    Row("courses_detail", "get", "/api/v1/courses/{imigrasi_course}", None, "imigrasi"),
    Row("courses_detail", "get", "/api/v1/courses/{polri_course}", None, "polri"),
    Row("programs_list", "get", "/api/v1/programs", None, None),
    Row("programs_detail", "get", "/api/v1/programs/{imigrasi_program}", None, "imigrasi"),
]

# Who asks: (agency key or None for central, scopes, active, token expired)
CALLERS = {
    "central_all": (None, ALL_SCOPES),
    "imigrasi_all": ("imigrasi", ALL_SCOPES),
    "polri_all": ("polri", ALL_SCOPES),
    **{f"central_{scope}": (None, scope) for scope in scopes.SCOPES},
    **{f"imigrasi_{scope}": ("imigrasi", scope) for scope in scopes.SCOPES},
}


def expected(row: Row, caller: str) -> int:
    agency, held = CALLERS[caller]
    if row.scope is not None and row.scope not in held.split():
        return 403
    if row.owner is not None and agency is not None and agency != row.owner:
        return 404  # another agency's object does not exist for this client
    return row.ok


@pytest.fixture
def world():
    w = make_world()
    ids = {
        "budi_nip": w.budi.officer_profile.nip,
        "imigrasi_certificate": w.certificates["budi_a"].pk,
        "polri_certificate": w.certificates["joko_b"].pk,
        "imigrasi_course": w.course_a.pk,
        "polri_course": w.course_b.pk,
        "imigrasi_program": w.program.pk,
    }
    agencies = {"imigrasi": w.imigrasi, "polri": w.polri}
    tokens = {}
    for name, (agency, held) in CALLERS.items():
        client = make_api_client(name=name, agency=agencies.get(agency), scopes=held)
        tokens[name] = make_token(client)
    return ids, tokens


def request(row: Row, ids, headers):
    client = Client()
    path = row.path.format(**ids)
    if row.body is None:
        return getattr(client, row.method)(path, **headers)
    return getattr(client, row.method)(path, json.dumps(row.body), content_type="application/json", **headers)


def test_every_operation_has_a_row(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = {
        operation["operationId"]
        for path_item in schema["paths"].values()
        for operation in path_item.values()
        if operation.get("security") != []  # the public verification JSON
    }
    assert operations == {row.operation for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.path}")
def test_the_matrix(row, world):
    ids, tokens = world
    failures = []
    for caller, token in tokens.items():
        response = request(row, ids, bearer(token))
        want = expected(row, caller)
        if response.status_code != want:
            failures.append(f"{caller}: {response.status_code}, expected {want}")
        elif want != row.ok:
            assert response["Content-Type"] == "application/problem+json"
        if response.status_code == 200 and row.method == "post":
            # Revoked; put it back so that the next caller meets the same world.
            Certificate.objects.update(revoked_at=None, revoked_by=None, revocation_reason="", revocation_note="")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.path}")
def test_no_token_a_wrong_one_an_expired_one_or_an_inactive_client_is_refused(row, world):
    ids, _tokens = world
    expired_client = make_api_client(name="kedaluwarsa")
    inactive = make_api_client(name="nonaktif")
    inactive_token = make_token(inactive)
    inactive.is_active = False
    inactive.save()
    for headers in (
        {},
        bearer("bukan-token"),
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        bearer(make_token(expired_client, expires_in=-1)),
        bearer(inactive_token),
    ):
        response = request(row, ids, headers)
        assert response.status_code == 401, headers
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
