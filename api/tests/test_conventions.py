"""The API's conventions: cursor pages, problems, ETags, rate limits, query counts, writes and their audit."""

import datetime
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from api import audit
from api.tests.builders import bearer, make_api_client, make_token
from certificates.models import Certificate
from certificates.tests.factories import make_certificate, make_program
from courses.services import enrollment_create
from courses.tests.builders import make_course
from hr import officer_import
from hr.tabular import Table
from hr.tests.builders import make_world
from certificates.services import certificate_revoke
from lms import cache as lms_cache
from lms.models import OfficerProfile
from lms.tests.factories import AgencyFactory, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def central():
    return make_api_client(name="SDM Pusat")


@pytest.fixture
def headers(central):
    return bearer(make_token(central))


def all_pages(client, path, headers, limit, between=None):
    seen, cursor, pages = [], None, 0
    while True:
        separator = "&" if "?" in path else "?"
        url = f"{path}{separator}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, **headers)
        assert response.status_code == 200, response.content
        body = response.json()
        seen.extend(body["items"])
        pages += 1
        if between:
            between(pages)
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


def many_certificates(count, *, agency=None):
    agency = agency or AgencyFactory()
    course = make_course(agency=agency, modules=1)
    return [make_certificate(holder=make_officer(), course=course) for _ in range(count)]


def test_certificate_pages_neither_skip_nor_repeat_while_certificates_are_added(client, headers):
    first = many_certificates(7)
    course = make_course(agency=first[0].agency, modules=1)
    added = []

    def add_one(page_number):
        added.append(make_certificate(holder=make_officer(), course=course))

    seen = all_pages(client, "/api/v1/certificates/", headers, 3, between=add_one)
    ids = [item["id"] for item in seen]
    assert len(ids) == len(set(ids)), "a certificate came twice"
    assert {certificate.pk for certificate in first} <= set(ids), "a certificate was skipped"
    # Rows added meanwhile come after, in the same order (updated_at, id): a sync that goes on sees them.
    assert [item["updated_at"] for item in seen] == sorted(item["updated_at"] for item in seen)
    assert added[0].pk in ids


def test_updated_since_returns_what_changed_after_a_time_including_revocations(client, central):
    headers = bearer(make_token(central, expires_in=4 * 3600))
    old = many_certificates(3)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        since = timezone.localtime().isoformat()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        new = many_certificates(1)[0]
        response = client.post(
            f"/api/v1/certificates/{old[1].pk}/revoke", json.dumps({"reason": "misconduct"}),
            content_type="application/json", **headers,
        )
        assert response.status_code == 200
    changed = client.get("/api/v1/certificates/", {"updated_since": since}, **headers).json()["items"]
    assert {item["id"] for item in changed} == {new.pk, old[1].pk}
    assert next(item for item in changed if item["id"] == old[1].pk)["status"] == "revoked"

    naive = client.get("/api/v1/certificates/", {"updated_since": "2026-11-30T08:00:00"}, **headers)
    assert naive.status_code == 422 and naive["Content-Type"] == "application/problem+json"


def test_officer_pages_are_stable_and_filtered(client, headers, world):
    for _ in range(5):
        make_officer(office=world.bandung)
    seen = all_pages(client, "/api/v1/officers/?office=KANIM-BDG", headers, 2)
    nips = [item["nip"] for item in seen]
    assert nips == sorted(nips) and len(nips) == len(set(nips))
    assert set(nips) == set(OfficerProfile.objects.filter(office=world.bandung).values_list("nip", flat=True))
    medan = client.get("/api/v1/officers/", {"q": "joko"}, **headers).json()["items"]
    assert [item["nip"] for item in medan] == [world.joko.officer_profile.nip]


@pytest.mark.parametrize("cursor", ["rubbish", "W10", "WyJ4IiwxXQ"])  # not base64 JSON; []; ["x", 1] for a time key
def test_a_cursor_the_api_did_not_give_is_a_400_problem(client, headers, cursor):
    response = client.get("/api/v1/certificates/", {"cursor": cursor}, **headers)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path, size",
    [("/api/v1/certificates/", "certificates"), ("/api/v1/officers/", "officers"), ("/api/v1/courses", "courses"),
     ("/api/v1/programs", "programs")],
)
def test_queries_do_not_grow_with_the_page(client, headers, path, size):
    def count(n):
        client.get(path, {"limit": n}, **headers)  # warm the shared caches (site root paths)
        lms_cache.invalidate(lms_cache.CERTIFICATES)  # but build the certificate page again
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, {"limit": n}, **headers)
        assert response.status_code == 200
        assert len(response.json()["items"]) == n
        return len(queries)

    agency = AgencyFactory()
    if size == "certificates":
        many_certificates(12, agency=agency)
    elif size == "officers":
        for _ in range(12):
            make_officer()
    elif size == "courses":
        for _ in range(12):
            make_course(agency=agency, modules=1)
    else:
        for number in range(12):
            courses = [make_course(agency=agency, modules=1) for _ in range(2)]
            make_program(courses=courses, agency=agency, code=f"P{number}", title=f"Program {number}")
    assert count(2) == count(12)


def test_enrolments_queries_do_not_grow_with_the_enrolments(client, headers, world):
    officer = world.budi.officer_profile
    courses = [make_course(agency=world.imigrasi, modules=2) for _ in range(6)]
    def count():
        client.get(f"/api/v1/officers/{officer.nip}/enrolments", **headers)  # warm the course outlines' cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/officers/{officer.nip}/enrolments", **headers)
        assert response.status_code == 200
        return len(queries), len(response.json()["items"])

    enrollment_create(user=world.budi, course=courses[0])
    few = count()
    for course in courses[1:]:
        enrollment_create(user=world.budi, course=course)
    many = count()
    assert (few[1], many[1]) == (1, 6)
    assert few[0] == many[0]


@pytest.mark.parametrize(
    "language, title",
    [("id", "Token akses tidak ada, tidak sah atau kedaluwarsa"), ("en", "Access token missing, invalid or expired")],
)
def test_problems_are_titled_in_the_language_asked_for(client, language, title):
    response = client.get("/api/v1/certificates/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == title
    assert body["status"] == 401 and body["type"].endswith("/unauthorized") and body["instance"] == "/api/v1/certificates/"


def test_invalid_input_is_a_422_problem_naming_the_field(client, headers, world):
    response = client.post(
        f"/api/v1/certificates/{world.certificates['budi_a'].pk}/revoke",
        json.dumps({"reason": "bosan"}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["title"] == "Invalid data"
    assert any(error["loc"][-1] == "reason" for error in body["errors"])
    assert not Certificate.objects.get(pk=world.certificates["budi_a"].pk).revoked_at


def test_details_carry_an_etag_and_answer_304_until_they_change(client, headers, world):
    path = f"/api/v1/certificates/{world.certificates['budi_a'].pk}"
    first = client.get(path, **headers)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert "no-store" in first["Cache-Control"]  # NIPs: no shared cache keeps it (lms/no_store.py)
    again = client.get(path, HTTP_IF_NONE_MATCH=etag, **headers)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    client.post(f"{path}/revoke", json.dumps({"reason": "other"}), content_type="application/json", **headers)
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag, **headers)
    assert changed.status_code == 200 and changed["ETag"] != etag and changed.json()["status"] == "revoked"
    officer = client.get(f"/api/v1/officers/{world.budi.officer_profile.nip}", **headers)
    assert client.get(
        f"/api/v1/officers/{world.budi.officer_profile.nip}", HTTP_IF_NONE_MATCH=f'"x", {officer["ETag"]}', **headers
    ).status_code == 304


def test_a_client_over_its_rate_limit_gets_429_with_retry_after_and_others_do_not(client, world):
    slow = make_api_client(name="Lambat", rate_limit_per_minute=3)
    other = bearer(make_token(make_api_client(name="Lain", rate_limit_per_minute=3)))
    token = bearer(make_token(slow))
    statuses = [client.get("/api/v1/courses", **token).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/courses", HTTP_ACCEPT_LANGUAGE="en", **token)
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited.json()["title"] == "Too many requests"
    assert client.get("/api/v1/courses", **other).status_code == 200


def test_put_creates_then_updates_an_officer_with_the_client_in_the_audit_log(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    writer = make_api_client(name="SDM Imigrasi", agency=world.imigrasi, scopes="officers:write officers:read")
    headers = bearer(make_token(writer))
    nip = "199505052020121001"
    body = {"full_name": "Ani Lestari", "email": "ani@example.com", "rank": "Penata (III/c)", "office": "KANIM-BDG",
            "village": "Desa Sukamaju", "regency": "Kabupaten Garut", "province": "Jawa Barat"}
    with django_capture_on_commit_callbacks(execute=True):
        created = client.put(f"/api/v1/officers/{nip}", json.dumps(body), content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    assert created.json()["village"]["name"] == "Desa Sukamaju"
    assert [message.to for message in mailoutbox] == [["ani@example.com"]]  # the import's invitation
    updated = client.put(
        f"/api/v1/officers/{nip}", json.dumps({**body, "rank": "Penata Tingkat I (III/d)"}),
        content_type="application/json", **headers,
    )
    assert updated.status_code == 200 and updated.json()["rank"] == "Penata Tingkat I (III/d)"
    unchanged = client.put(
        f"/api/v1/officers/{nip}", json.dumps({**body, "rank": "Penata Tingkat I (III/d)"}),
        content_type="application/json", **headers,
    )
    assert unchanged.status_code == 200
    entries = ModelLogEntry.objects.filter(action__in=[audit.OFFICER_CREATE, audit.OFFICER_UPDATE]).order_by("pk")
    assert [entry.action for entry in entries] == [audit.OFFICER_CREATE, audit.OFFICER_UPDATE]
    assert {entry.user.get_full_name() for entry in entries} == {"API SDM Imigrasi"}
    assert entries[1].data["changes"] == ["Pangkat/Golongan"]


def test_put_refuses_what_the_hr_import_refuses_with_its_messages_and_writes_nothing(client, headers, world):
    body = {"full_name": "", "email": world.budi.email, "office": "KANIM-XXX", "village": "Desa Baru"}
    nip = "1995050520201210"
    response = client.put(f"/api/v1/officers/{nip}", json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 422
    row = dict.fromkeys(officer_import.COLUMNS, "") | {
        "nip": nip, "email": world.budi.email, "office": "KANIM-XXX", "village": "Desa Baru"
    }
    row = list(row.values())
    plan = officer_import.officer_import_plan(table=Table(header=officer_import.expected_header(), rows=[(1, row)]))
    assert [error["msg"] for error in response.json()["errors"]] == [issue.message for issue in plan.issues]
    assert len(plan.issues) >= 4
    assert not OfficerProfile.objects.filter(full_name="").exists()


def test_revoke_is_recorded_under_the_client_and_a_second_revoke_is_a_409(client, world):
    revoker = make_api_client(name="SDM Imigrasi", agency=world.imigrasi, scopes="certificates:revoke")
    headers = bearer(make_token(revoker))
    certificate = world.certificates["budi_a"]
    path = f"/api/v1/certificates/{certificate.pk}/revoke"
    response = client.post(path, json.dumps({"reason": "misconduct", "note": "kuis"}), content_type="application/json",
                           **headers)
    assert response.status_code == 200 and response.json()["revocation_reason"] == "misconduct"
    certificate.refresh_from_db()
    assert certificate.revoked_by.get_full_name() == "API SDM Imigrasi"
    entry = ModelLogEntry.objects.get(action="certificates.revoke", object_id=str(certificate.pk))
    assert entry.user == certificate.revoked_by
    again = client.post(path, json.dumps({"reason": "other"}), content_type="application/json", **headers)
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"


def test_an_agency_client_sees_only_its_agencys_certificates_and_enrolments(client, world):
    polri = bearer(make_token(make_api_client(name="SDM Polri", agency=world.polri)))
    items = client.get("/api/v1/certificates/", **polri).json()["items"]
    assert {item["agency"] for item in items} == {"POLRI"}
    assert {item["id"] for item in items} == set(
        Certificate.objects.filter(agency=world.polri).values_list("pk", flat=True)
    )
    enrollment_create(user=world.budi, course=world.course_a)
    enrollment_create(user=world.budi, course=world.course_b)
    enrolments = client.get(f"/api/v1/officers/{world.budi.officer_profile.nip}/enrolments", **polri).json()["items"]
    assert [item["course_id"] for item in enrolments] == [world.course_b.pk]


def test_a_cached_certificate_page_is_renewed_when_a_certificate_changes(client, headers, world):
    def statuses():
        items = client.get("/api/v1/certificates/", {"limit": 100}, **headers).json()["items"]
        return {item["id"]: item["status"] for item in items}

    before = statuses()
    with CaptureQueriesContext(connection) as queries:
        assert statuses() == before
    assert len(queries) == 0  # the token's client and the page both came from the shared cache
    budi_a = world.certificates["budi_a"]
    certificate_revoke(certificate=budi_a, by=make_officer(), reason="other")  # as on the HR page
    assert statuses()[budi_a.pk] == "revoked"
    newcomer = make_certificate(holder=make_officer(), course=world.course_a)
    assert newcomer.pk in statuses()


def test_a_cached_certificate_page_costs_two_cache_reads_and_no_query(client, headers, world, settings):
    """Each cache call is a Redis round trip in production: the token's client and the certificates'
    version come in one, the page in the other; the anonymous page cache is not consulted for a request
    carrying credentials. (The per-client rate-limit counter, switched off here, adds its own.)"""
    from django.core.cache import cache

    settings.RATELIMIT_ENABLE = False
    client.get("/api/v1/certificates/", {"limit": 100}, **headers)  # fills the page
    calls, inside = [], []
    real = {name: getattr(cache, name) for name in ("get", "get_many", "add", "set", "incr", "delete")}

    def counting(name):
        def call(*args, **kwargs):
            if not inside:  # locmem's get_many calls get: count what the code asked for
                calls.append(name)
            inside.append(name)
            try:
                return real[name](*args, **kwargs)
            finally:
                inside.pop()
        return call

    with CaptureQueriesContext(connection) as queries:
        for name in real:
            setattr(cache, name, counting(name))
        try:
            response = client.get("/api/v1/certificates/", {"limit": 100}, **headers)
        finally:
            for name in real:
                delattr(cache, name)
    assert response.status_code == 200 and len(response.json()["items"]) == len(world.certificates)
    assert len(queries) == 0
    assert calls == ["get_many", "get"]


@pytest.mark.postgres
def test_a_later_page_starts_in_the_index_at_the_cursor_when_many_share_a_time(client, headers):
    """A bulk change gives thousands of certificates one updated_at: the page after a cursor must be
    sought in the (updated_at, id) index, not found by filtering every row before it. (PostgreSQL, the
    database for volume; SQLite's plan names only the index's first column either way.)"""
    from django.db import transaction

    many_certificates(7)
    Certificate.objects.update(updated_at=timezone.now())
    cursor = client.get("/api/v1/certificates/", {"limit": 3}, **headers).json()["next_cursor"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/v1/certificates/", {"limit": 3, "cursor": cursor}, **headers)
    assert [item["id"] for item in second.json()["items"]] == list(
        Certificate.objects.order_by("updated_at", "pk").values_list("pk", flat=True)[3:6]
    )
    (page_sql,) = [q["sql"] for q in queries if 'FROM "certificates_certificate"' in q["sql"]]
    with transaction.atomic(), connection.cursor() as db:
        # Tiny test tables are cheaper to scan whole: ask how the index would be used.
        db.execute("SET LOCAL enable_seqscan = off")
        db.execute("SET LOCAL enable_sort = off")
        db.execute("EXPLAIN " + page_sql)
        plan = [row[0] for row in db.fetchall()]
    assert any("Index Cond" in line and "updated_at" in line for line in plan), "\n".join(plan)
