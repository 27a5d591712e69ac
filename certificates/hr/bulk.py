"""Bulk verification: is each officer on a list certified for one course or program?

`parse_nips` reads a pasted list or the first NIP column of an uploaded sheet;
`verify_nips` answers every NIP in two queries however long the list is.
"""

import re
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.hr.selectors import subject_filter
from certificates.models import Certificate, CertificateStatus
from lms.models import OfficerProfile
from lms.tabular import Table, TableError
from lms.validators import normalize_nip, validate_nip

MAX_NIPS = 5_000


class State:
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    NONE = "none"
    UNKNOWN = "unknown"
    MALFORMED = "malformed"


STATE_LABELS = {
    State.VALID: gettext_lazy("Berlaku"),
    State.EXPIRED: gettext_lazy("Kedaluwarsa"),
    State.REVOKED: gettext_lazy("Dicabut"),
    State.NONE: gettext_lazy("Belum bersertifikat"),
    State.UNKNOWN: gettext_lazy("NIP tidak terdaftar"),
    State.MALFORMED: gettext_lazy("NIP tidak sah"),
}
STATE_ORDER = [State.VALID, State.EXPIRED, State.REVOKED, State.NONE, State.UNKNOWN, State.MALFORMED]


@dataclass
class NipInput:
    line: int
    raw: str


@dataclass
class NipResult:
    line: int
    input: str
    nip: str
    state: str
    name: str = ""
    office: str = ""
    serial: str = ""
    issued_on: str = ""
    expires_on: str = ""
    code: str = ""


_SPLIT = re.compile(r"[\n,;\t]+")


def parse_pasted(text: str) -> list[NipInput]:
    """One NIP per line (commas, semicolons and tabs also separate); spaces inside an NIP are allowed."""
    items = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        for token in _SPLIT.split(line):
            if token.strip():
                items.append(NipInput(line=line_number, raw=token.strip()))
    return _limit(items)


def parse_table(table: Table) -> list[NipInput]:
    """The column headed "NIP" if there is one, else the first non-empty cell of each row."""
    rows = table.rows
    column = None
    _first_line, first_cells = rows[0]
    for index, cell in enumerate(first_cells):
        if re.sub(r"[^a-z]", "", cell.lower()) == "nip":
            column = index
            rows = rows[1:]
            break
    items = []
    for line, cells in rows:
        if column is not None:
            value = cells[column] if column < len(cells) else ""
        else:
            value = next((cell for cell in cells if cell), "")
        if value:
            items.append(NipInput(line=line, raw=value))
    return _limit(items)


def _limit(items: list[NipInput]) -> list[NipInput]:
    if not items:
        raise TableError(_("Tidak ada NIP yang dapat dibaca."))
    if len(items) > MAX_NIPS:
        raise TableError(_("Paling banyak %(max)d NIP sekali periksa (Anda mengirim %(count)d).") % {
            "max": MAX_NIPS, "count": len(items)
        })
    return items


def verify_nips(*, items: list[NipInput], subject, today=None) -> list[NipResult]:
    """Per NIP: the officer's name and their best certificate for `subject` — valid over expired over revoked."""
    today = today or timezone.localdate()
    results, wellformed = [], set()
    for item in items:
        nip = normalize_nip(item.raw)
        try:
            validate_nip(nip)
        except ValidationError:
            results.append(NipResult(line=item.line, input=item.raw, nip=nip, state=State.MALFORMED))
            continue
        wellformed.add(nip)
        results.append(NipResult(line=item.line, input=item.raw, nip=nip, state=State.NONE))

    profiles = {
        profile.nip: profile
        for profile in OfficerProfile.objects.filter(nip__in=wellformed).select_related("office").only(
            "nip", "full_name", "user_id", "office__name"
        )
    }
    rank = {CertificateStatus.VALID: 0, CertificateStatus.EXPIRED: 1, CertificateStatus.REVOKED: 2}
    best: dict[int, Certificate] = {}
    certificates = (
        Certificate.objects.filter(subject_filter(subject), holder_id__in=[p.user_id for p in profiles.values()])
        .with_status(today)
        .only("holder_id", "serial", "issued_on", "expires_on", "code", "revoked_at", "cycle")
        .order_by("-cycle")
    )
    for certificate in certificates:
        current = best.get(certificate.holder_id)
        if current is None or rank[certificate.status] < rank[current.status]:
            best[certificate.holder_id] = certificate

    for result in results:
        if result.state == State.MALFORMED:
            continue
        profile = profiles.get(result.nip)
        if profile is None:
            result.state = State.UNKNOWN
            continue
        result.name = profile.full_name
        result.office = profile.office.name if profile.office else ""
        certificate = best.get(profile.user_id)
        if certificate is not None:
            result.state = certificate.status.value
            result.serial = certificate.serial
            result.code = certificate.code
            result.issued_on = certificate.issued_on.isoformat()
            result.expires_on = certificate.expires_on.isoformat() if certificate.expires_on else ""
    return results


def counts(results: list[NipResult]) -> dict[str, int]:
    totals = dict.fromkeys(STATE_ORDER, 0)
    for result in results:
        totals[result.state] += 1
    return totals


def as_json(results: list[NipResult]) -> list[dict]:
    return [asdict(result) for result in results]


def export_table(results: list[dict]) -> tuple[list[str], list[list]]:
    """A stored result (BulkVerification.results) as a header in Bahasa Indonesia and rows."""
    with translation.override("id"):
        header = [_("Baris"), _("NIP"), _("Nama"), _("Kantor"), _("Status"), _("Nomor Seri"), _("Tanggal Terbit"),
                  _("Berlaku Sampai"), _("Kode Verifikasi")]
        labels = {state: str(label) for state, label in STATE_LABELS.items()}
    rows = [
        [r["line"], r["nip"] or r["input"], r["name"], r["office"], labels[r["state"]], r["serial"], r["issued_on"],
         r["expires_on"], r["code"]]
        for r in results
    ]
    return header, rows
