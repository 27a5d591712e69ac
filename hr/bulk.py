"""Bulk verification: is each officer on a list certified for one course or program?

`parse_pasted` / `parse_table` read a pasted list or the NIP column of an uploaded
sheet; `without_duplicates` keeps each NIP once (a list pasted from two sheets
often repeats some); `verify_nips` answers every NIP in two queries however long
the list is.

Dates are kept as ISO text in the stored result; pages show them as "1 Desember
2026" (`result_rows`), downloads as dates (`export_table`: ISO in CSV, date cells
in XLSX), the same way in every date column of a file.
"""

import datetime
import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certificates.models import Certificate, CertificateStatus
from certificates.subjects import Subject
from hr.exports import Identifier
from hr.tabular import Table, TableError
from lms.models import OfficerProfile
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
    duplicate_lines: list[int] = field(default_factory=list)  # other lines with the same NIP, not counted again


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


def without_duplicates(items: list[NipInput]) -> tuple[list[NipInput], list[list[int]]]:
    """Each NIP once, at its first line, however it was typed ("19850312 201001 1 001" is 198503122010011001);
    and beside each kept item, the lines that repeated it."""
    position: dict[str, int] = {}
    kept: list[NipInput] = []
    repeats: list[list[int]] = []
    for item in items:
        key = normalize_nip(item.raw)
        if key in position:
            repeats[position[key]].append(item.line)
        else:
            position[key] = len(kept)
            kept.append(item)
            repeats.append([])
    return kept, repeats


def verify_nips(*, items: list[NipInput], subject: Subject, today=None) -> list[NipResult]:
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
        Certificate.objects.filter(subject.q(), holder_id__in=[p.user_id for p in profiles.values()])
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
    """Per state, each NIP once; under "duplicates", how many repeated lines were left out."""
    totals = dict.fromkeys(STATE_ORDER, 0)
    for result in results:
        totals[result.state] += 1
    totals["duplicates"] = sum(len(result.duplicate_lines) for result in results)
    return totals


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def result_rows(results: list[dict]) -> list[dict]:
    """A stored result for its page: the state's label, dates as dates (the template writes "1 Desember 2026")."""
    return [
        {**row, "label": STATE_LABELS[row["state"]], "issued_on": _date(row["issued_on"]),
         "expires_on": _date(row["expires_on"]), "duplicate_lines": row.get("duplicate_lines", [])}
        for row in results
    ]


def as_json(results: list[NipResult]) -> list[dict]:
    return [asdict(result) for result in results]


def export_table(results: list[dict]) -> tuple[list[str], list[list]]:
    """A stored result (BulkVerification.results) as a header in Bahasa Indonesia and rows; dates as dates."""
    with translation.override("id"):
        header = [_("Baris"), _("NIP"), _("Nama"), _("Kantor"), _("Status"), _("Nomor Seri"), _("Tanggal Terbit"),
                  _("Berlaku Sampai"), _("Kode Verifikasi")]
        labels = {state: str(label) for state, label in STATE_LABELS.items()}
    rows = [
        [r["line"], Identifier(r["nip"] or r["input"]), r["name"], r["office"], labels[r["state"]],
         Identifier(r["serial"]), _date(r["issued_on"]), _date(r["expires_on"]), Identifier(r["code"])]
        for r in results
    ]
    return header, rows
