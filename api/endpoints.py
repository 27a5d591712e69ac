"""The integration API: /api/v1/ (django-ninja), its OpenAPI 3.1 schema and docs page.

Operations stay thin: scope and rate limit in `auth` (api/auth.py), reads through api/selectors.py,
writes through the services of hr and certificates, errors as problems (api/problems.py), lists
by cursor (api/pagination.py), details with an ETag.
"""

import datetime
import gzip
import hashlib
import json
import re

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Router, Status
from ninja.openapi.docs import Swagger

from api import openapi, problems, selectors, writes
from api import scopes as s
from api.auth import ClientToken
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, page
from api.problems import Problem
from api.schemas import (
    CertificateOut,
    CertificatePage,
    CourseOut,
    CoursePage,
    EnrollmentList,
    EnrollmentOut,
    JpOut,
    OfficerIn,
    OfficerOut,
    OfficerPage,
    ProblemOut,
    ProgramOut,
    ProgramPage,
    RevokeIn,
    SiasnList,
)
from api.serializers import (
    CERTIFICATE_COLUMNS,
    certificate_out,
    certificate_page_json,
    course_out,
    enrollment_out,
    officer_out,
    program_out,
)
from lms import cache as lms_cache


class PimpasaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return openapi.finish(schema, scopes=SCOPE_OF, etags=WITH_ETAG)


api = PimpasaAPI(
    title="Pimpasa LMS API",
    version="1.0.0",
    description=openapi.DESCRIPTION,
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
)
problems.install(api)

LIST_CACHE_SECONDS = 300
SCOPE_OF: dict[str, str] = {}  # operationId -> the scope it needs (the schema's `security`)
WITH_ETAG: set[str] = set()  # operationIds answering 304 to If-None-Match


def errors(*statuses):
    return {status: ProblemOut for status in (400, 401, 403, 429, *statuses)}


def op(scope: str | None, operation_id: str, *, etag: bool = False, versions: tuple[str, ...] = ()) -> dict:
    """`auth` and `operation_id` of an operation needing `scope` (None: any valid token); `versions`: the
    lms.cache scopes it reads, fetched with the token."""
    SCOPE_OF[operation_id] = scope
    if etag:
        WITH_ETAG.add(operation_id)
    return {"auth": ClientToken(scope, versions=versions), "operation_id": operation_id}


def with_etag(request, schema, data: dict) -> HttpResponse:
    """The JSON of `data` with a strong ETag over it; 304 when the client's If-None-Match names it."""
    body = json.dumps(schema.model_validate(data).model_dump(mode="json"), ensure_ascii=False).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    given = request.headers.get("If-None-Match", "")
    tags = {tag.strip().removeprefix("W/") for tag in given.split(",")}
    if etag in tags or given.strip() == "*":
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    return response


Id = Path(..., ge=1, le=2**63 - 1)
Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, 1 to {MAX_LIMIT}.")
Cursor = Query(None, max_length=200, description="`next_cursor` of the previous page.")


# --- officers -------------------------------------------------------------------------

officers = Router(tags=["officers"])


@officers.get("/", response={200: OfficerPage, **errors(422)}, **op(s.OFFICERS_READ, "officers_list"))
def officers_list(
    request,
    cursor: str | None = Cursor,
    limit: int = Limit,
    office: str = Query("", max_length=30, description="Office code, e.g. KANIM-BDG"),
    province: str = Query("", max_length=100, description="Province of the office or the village"),
    q: str = Query("", max_length=100, description="Part of the name"),
):
    """Officers by NIP; every client with officers:read sees the programme's roster."""
    rows, next_cursor = page(
        selectors.officers(office=office, province=province, q=q), key="nip", cursor=cursor, limit=limit
    )
    return {"items": [officer_out(row) for row in rows], "next_cursor": next_cursor}


NIP_PATTERN = r"^[0-9]{18}$"


def _officer(nip: str):
    officer = selectors.officer_by_nip(nip)
    if officer is None:
        raise Problem(404, _("Tidak ada petugas dengan NIP %(nip)s.") % {"nip": nip})
    return officer


@officers.get(
    "/{nip}", response={200: OfficerOut, **errors(404, 422)}, **op(s.OFFICERS_READ, "officers_detail", etag=True)
)
def officers_detail(request, nip: str):
    return with_etag(request, OfficerOut, officer_out(_officer(nip)))


@officers.put(
    "/{nip}",
    response={200: OfficerOut, 201: OfficerOut, **errors(404, 409, 422)},
    **op(s.OFFICERS_WRITE, "officers_put"),
)
def officers_put(request, nip: str, payload: OfficerIn):
    """Create or update the officer of this NIP, checked exactly as one row of the HR import.

    201 when created (the officer is e-mailed an invitation to set a password), 200 otherwise."""
    created = writes.officer_put(client=request.auth, nip=nip, data=payload.model_dump())
    return Status(201 if created else 200, officer_out(_officer(nip)))


@officers.get(
    "/{nip}/enrolments", response={200: EnrollmentList, **errors(404, 422)}, **op(s.PROGRESS_READ, "officers_enrolments")
)
def officers_enrolments(request, nip: str):
    """The officer's enrolments in the client's agency's courses (all agencies for central HR) with progress."""
    officer = _officer(nip)
    enrollments = selectors.enrollments(client=request.auth, officer=officer)
    return {"nip": officer.nip, "items": enrollment_out(officer, enrollments)}


def _year(year: int | None) -> int:
    return year or timezone.localdate().year


Year = Query(None, ge=2000, le=2100, description="Calendar year (Asia/Jakarta); this year when omitted.")


@officers.get("/{nip}/jp", response={200: JpOut, **errors(404, 422)}, **op(s.PROGRESS_READ, "officers_jp"))
def officers_jp(request, nip: str, year: int | None = Year):
    """JP (lesson hours) the officer earned in the year from the client's agency's courses (all for central HR),
    against the yearly target; the same figures as the HR JP ledger."""
    officer, year = _officer(nip), _year(year)
    row = selectors.jp_for_officer(client=request.auth, officer=officer, year=year)
    if row is None:
        raise Problem(404, _("Petugas %(nip)s tidak aktif.") % {"nip": nip})
    return {"nip": officer.nip, "year": year, "agency": None if request.auth.is_central else request.auth.agency.code,
            "jp_earned": row.earned, "courses": row.courses, "jp_target": row.target, "shortfall": row.shortfall,
            "below_target": row.below_target}


@officers.get(
    "/{nip}/siasn-records", response={200: SiasnList, **errors(404, 422)}, **op(s.PROGRESS_READ, "officers_siasn")
)
def officers_siasn(request, nip: str, year: int | None = Year):
    """The officer's training records of the year shaped for SIASN (riwayat kursus), as the HR SIASN export."""
    officer, year = _officer(nip), _year(year)
    items = selectors.siasn_records_for_officer(client=request.auth, officer=officer, year=year)
    return {"nip": officer.nip, "year": year, "items": items}


# --- certificates ---------------------------------------------------------------------

certificates = Router(tags=["certificates"])


@certificates.get(
    "/",
    response={200: CertificatePage, **errors(422)},
    **op(s.CERTIFICATES_READ, "certificates_list", versions=(lms_cache.CERTIFICATES,)),
)
def certificates_list(
    request,
    cursor: str | None = Cursor,
    limit: int = Limit,
    updated_since: str | None = Query(
        None,
        max_length=64,
        description="Only certificates issued, revoked or re-rendered after this time (RFC 3339, with offset).",
        example="2026-11-30T08:00:00+07:00",
    ),
    nip: str = Query("", pattern=r"^([0-9]{18})?$", description="Holder's NIP"),
    status: str = Query("", pattern=r"^(valid|expired|revoked)?$"),
    course: int | None = Query(None, ge=1, le=2**31 - 1),
    program: int | None = Query(None, ge=1, le=2**31 - 1),
):
    """Certificates of the client's agency, ordered by (updated_at, id): page through with `cursor` and keep the
    last page's time as the next `updated_since` to synchronise."""
    since = _moment(updated_since) if updated_since is not None else None
    query = {"cursor": cursor, "limit": limit, "since": since.isoformat() if since else None, "nip": nip,
             "status": status, "course": course, "program": program}
    # A page is the same for every client of one agency (or every central one) until a certificate
    # changes (lms.cache.CERTIFICATES) or the day does (statuses): served from the shared cache.
    key = "api:certificates:{}:{}:{}:{}".format(
        lms_cache.scope_version(lms_cache.CERTIFICATES), timezone.localdate().isoformat(),
        request.auth.agency_id or "all", hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest(),
    )
    compressed = cache.get(key)
    if compressed is None:
        today = timezone.localdate()
        rows = selectors.certificates(
            client=request.auth, updated_since=since, nip=nip, status=status, course=course, program=program,
            today=today,
        ).with_status(today).values(*CERTIFICATE_COLUMNS)
        rows, next_cursor = page(rows, key="updated_at", cursor=cursor, limit=limit, key_type=datetime.datetime)
        # Built without model instances or per-row validation (a fresh page of 100 is the cost of a
        # first synchronisation); the same bytes as CertificatePage of certificate_out (api/serializers.py).
        compressed = gzip.compress(certificate_page_json(rows, next_cursor), compresslevel=1, mtime=0)
        cache.set(key, compressed, timeout=LIST_CACHE_SECONDS)
    return gzipped_json(request, compressed)


ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def gzipped_json(request, compressed: bytes) -> HttpResponse:
    """JSON kept gzip-compressed (a page of 100 certificates: 55 KB, 7 KB compressed): sent as it is to a
    client that accepts gzip, as every HTTP library does by default, else decompressed."""
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressed, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type="application/json")
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _moment(value: str) -> datetime.datetime:
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Problem(
            422,
            _("updated_since harus berupa waktu RFC 3339 dengan zona waktu, mis. 2026-11-30T08:00:00+07:00."),
            errors=[{"loc": ["query", "updated_since"], "msg": "RFC 3339 date-time with offset expected"}],
        )
    return moment


def _certificate(request, pk: int):
    certificate = selectors.certificate(client=request.auth, pk=pk)
    if certificate is None:
        raise Problem(404, _("Tidak ada sertifikat %(id)s untuk klien ini.") % {"id": pk})
    return certificate


@certificates.get(
    "/{pk}",
    response={200: CertificateOut, **errors(404, 422)},
    **op(s.CERTIFICATES_READ, "certificates_detail", etag=True),
)
def certificates_detail(request, pk: int = Id):
    return with_etag(request, CertificateOut, certificate_out(_certificate(request, pk)))


@certificates.post(
    "/{pk}/revoke",
    response={200: CertificateOut, **errors(404, 409, 422)},
    **op(s.CERTIFICATES_REVOKE, "certificates_revoke"),
)
def certificates_revoke(request, payload: RevokeIn, pk: int = Id):
    """Revoke with a reason; the certificate stays on record as revoked (409 if it already is)."""
    certificate = writes.certificate_revoke(
        client=request.auth, certificate=_certificate(request, pk), reason=payload.reason, note=payload.note
    )
    return certificate_out(certificate)


# --- catalog --------------------------------------------------------------------------

catalog = Router(tags=["catalog"])


@catalog.get("/courses", response={200: CoursePage, **errors(422)}, **op(None, "courses_list"))
def courses_list(request, cursor: str | None = Cursor, limit: int = Limit):
    rows, next_cursor = page(selectors.courses(client=request.auth), key="pk", cursor=cursor, limit=limit, key_type=int)
    return {"items": [course_out(row) for row in rows], "next_cursor": next_cursor}


@catalog.get(
    "/courses/{pk}",
    response={200: CourseOut, **errors(404, 422)},
    **op(None, "courses_detail", etag=True),
)
def courses_detail(request, pk: int = Id):
    course = selectors.courses(client=request.auth).filter(pk=pk).first()
    if course is None:
        raise Problem(404)
    return with_etag(request, CourseOut, course_out(course))


@catalog.get("/programs", response={200: ProgramPage, **errors(422)}, **op(None, "programs_list"))
def programs_list(request, cursor: str | None = Cursor, limit: int = Limit):
    rows, next_cursor = page(selectors.programs(client=request.auth), key="pk", cursor=cursor, limit=limit, key_type=int)
    return {"items": [program_out(row) for row in rows], "next_cursor": next_cursor}


@catalog.get(
    "/programs/{pk}",
    response={200: ProgramOut, **errors(404, 422)},
    **op(None, "programs_detail", etag=True),
)
def programs_detail(request, pk: int = Id):
    program = selectors.programs(client=request.auth).filter(pk=pk).first()
    if program is None:
        raise Problem(404)
    return with_etag(request, ProgramOut, program_out(program))


api.add_router("/officers/", officers)
api.add_router("/certificates/", certificates)
api.add_router("/", catalog)
