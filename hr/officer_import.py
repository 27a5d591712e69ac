"""Importing officers in batches from the spreadsheet HR keeps (CSV or XLSX).

One file goes through three steps: `read_table` (hr/tabular.py) turns bytes
into text rows, `officer_import_plan` checks every row against the database
and says what would happen (the dry-run preview), and `officer_import_apply`
writes exactly that plan — all of it or, if any row is invalid, nothing.
Officers are matched on NIP, so importing the same file twice changes nothing
and a changed row updates that officer. New officers get an account without a
usable password and an invitation e-mail with a link to set one.

The plan reads the database in a fixed number of queries and the writes are
bulk inserts/updates, so 10,000 rows stay well inside 30 seconds
(bench/officer_import.py prints the figure).
"""

import re
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from hr import tasks
from hr.tabular import Table, TableError
from lms import queueing, roles
from lms.errors import DomainError
from lms.models import OfficerProfile, Office, Village
from lms.signals import officer_profiles_written
from lms.validators import normalize_nip, validate_nip

User = get_user_model()

# field: (header as HR writes it, other spellings accepted). A header is compared by `_key`: lower
# case, letters and digits only, so "E-mail", "Pangkat / Golongan" and "KABUPATEN/KOTA" all match.
COLUMNS = {
    "nip": (gettext_lazy("NIP"), ["nip", "nomorindukpegawai", "nipbaru", "employeeid", "employeenumber"]),
    "full_name": (gettext_lazy("Nama Lengkap"), ["nama", "namalengkap", "fullname", "name", "namapegawai",
                                                  "namapetugas", "officername"]),
    "email": (gettext_lazy("Email"), ["email", "surel", "emailaddress", "alamatemail", "alamatsurel", "mail",
                                      "suratelektronik"]),
    "rank": (gettext_lazy("Pangkat/Golongan"), ["pangkat", "pangkatgolongan", "golongan", "golonganruang",
                                                "pangkatgolonganruang", "rank", "grade", "rankgrade"]),
    # Optional: a file without it leaves every officer's jabatan as it is.
    "position": (gettext_lazy("Jabatan"), ["jabatan", "namajabatan", "jabatanfungsional", "position", "jobtitle"]),
    "office": (gettext_lazy("Kantor"), ["kantor", "kodekantor", "kantorimigrasi", "namakantor", "office",
                                        "officecode", "unitkerja", "satker", "satuankerja", "immigrationoffice"]),
    "village": (gettext_lazy("Desa Binaan"), ["desa", "desabinaan", "desakelurahan", "kelurahan", "village",
                                              "assignedvillage"]),
    "regency": (gettext_lazy("Kabupaten/Kota"), ["kabupaten", "kabupatenkota", "kabkota", "kota", "regency",
                                                 "regencycity", "city"]),
    "province": (gettext_lazy("Provinsi"), ["provinsi", "province"]),
}
# What the database can hold per column; a longer value is refused with its line, never cut short.
MAX_LENGTHS = {"full_name": 200, "email": 254, "rank": 100, "position": 200, "village": 100, "regency": 100, "province": 100}
REQUIRED_COLUMNS = ("nip", "full_name", "email", "office")


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


class ImportRejected(DomainError):
    """The file has invalid rows; nothing was written. `plan` says which and why."""

    def __init__(self, plan):
        super().__init__(_("Impor dibatalkan: %(count)d baris tidak valid. Tidak ada data yang diubah.") % {
            "count": len(plan.invalid_lines)
        })
        self.plan = plan


@dataclass
class RowIssue:
    line: int
    nip: str
    message: str


@dataclass
class PlannedRow:
    line: int
    nip: str
    full_name: str
    email: str
    rank: str
    office: Office | None
    village_key: tuple[str, str] | None  # (name, regency) as written; resolved to a Village on apply
    action: str = Action.CREATE
    changes: list[str] = field(default_factory=list)
    profile: OfficerProfile | None = None
    position: str | None = None  # None: the file has no Jabatan column


@dataclass
class NewVillage:
    name: str
    regency: str
    province: str
    office: Office


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    new_villages: dict[tuple[str, str], NewVillage] = field(default_factory=dict)
    existing_villages: dict[tuple[str, str], Village] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)  # headers that are no column of the import

    @property
    def is_valid(self) -> bool:
        return not self.issues

    @property
    def invalid_lines(self) -> list[int]:
        return sorted({issue.line for issue in self.issues})

    def _count(self, action) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self._count(Action.CREATE)

    @property
    def updated(self) -> int:
        return self._count(Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(Action.UNCHANGED)

    def summary(self) -> dict:
        return {
            "rows": len(self.rows),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "new_villages": len(self.new_villages),
            "invalid_rows": len(self.invalid_lines),
        }


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _map_columns(header: list[str]) -> dict[str, int]:
    """Which column holds which field; a missing required header, or one given twice, is refused by name."""
    aliases = {alias: name for name, (_label, spellings) in COLUMNS.items() for alias in spellings}
    positions, unknown, twice = {}, [], []
    for index, title in enumerate(header):
        if not title:
            continue
        name = aliases.get(_key(title))
        if name is None:
            unknown.append(title)
        elif name in positions:
            twice.append(title)
        else:
            positions[name] = index
    if twice:
        raise TableError(
            _("Kolom ganda: %(columns)s. Setiap kolom hanya boleh ada sekali; hapus salah satunya.")
            % {"columns": ", ".join(f"\u201c{title}\u201d" for title in twice)}
        )
    missing = [str(COLUMNS[name][0]) for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        message = _("Kolom wajib tidak ada: %(missing)s. Baris judul berkas: %(found)s.") % {
            "missing": ", ".join(missing), "found": ", ".join(cell for cell in header if cell) or "—"
        }
        if unknown:
            message += " " + _unknown_columns_message(unknown)
        raise TableError(message)
    return positions


def _unknown_columns_message(unknown: list[str]) -> str:
    return _("Kolom tidak dikenal (diabaikan): %(columns)s. Judul yang dikenal: %(known)s.") % {
        "columns": ", ".join(f"\u201c{title}\u201d" for title in unknown),
        "known": ", ".join(expected_header()),
    }


def unknown_columns(header: list[str]) -> list[str]:
    """Headers of `header` that are no column of the import (shown on the preview: their data is ignored)."""
    aliases = {alias for _label, spellings in COLUMNS.values() for alias in spellings}
    return [title for title in header if title and _key(title) not in aliases]


def expected_header() -> list[str]:
    """The header row of the downloadable template, always in Bahasa Indonesia."""
    with translation.override("id"):
        return [str(label) for label, _spellings in COLUMNS.values()]


def example_row() -> list[str]:
    """A filled-in example for the downloadable template."""
    return ["198503122010011001", "Budi Santoso, S.H.", "budi.santoso@imigrasi.go.id", "Penata Muda (III/a)",
            "Analis Keimigrasian Ahli Pertama", "KANIM-BDG", "Desa Binong", "Kabupaten Subang", "Jawa Barat"]


def officer_import_plan(*, table: Table) -> ImportPlan:
    """What importing `table` would do, row by row; reads only, in five queries whatever the size."""
    positions = _map_columns(table.header)

    def cell(cells, name):
        index = positions.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    records = [
        (line, {name: cell(cells, name) for name in COLUMNS}) for line, cells in table.rows
    ]
    nips = {normalize_nip(record["nip"]) for _line, record in records}
    emails = {record["email"].lower() for _line, record in records if record["email"]}

    profiles = {
        profile.nip: profile
        for profile in OfficerProfile.objects.filter(nip__in=nips).select_related("user", "office", "village")
    }
    offices = {}
    for office in Office.objects.all():
        offices[office.code.lower()] = office
        offices[office.name.lower()] = office
    villages: dict[tuple[str, str], list[Village]] = {}
    for village in Village.objects.all():
        villages.setdefault((village.name.lower(), village.regency.lower()), []).append(village)
    email_owners = {}
    for email, user_id in (
        User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails).values_list("email_lower", "pk")
    ):
        email_owners.setdefault(email, set()).add(user_id)
    taken_usernames = set(User.objects.filter(username__in=nips).values_list("username", flat=True))

    plan = ImportPlan(ignored_columns=unknown_columns(table.header))
    seen_nips: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for line, record in records:
        problems = []
        nip = normalize_nip(record["nip"])
        try:
            validate_nip(nip)
        except ValidationError as error:
            hint = _(" Di Excel, format kolom NIP sebagai Teks.") if "e+" in record["nip"].lower() else ""
            problems.append(_("NIP %(nip)s salah: %(reason)s") % {"nip": record["nip"] or "—", "reason": error.messages[0]} + hint)
        else:
            if nip in seen_nips:
                problems.append(_("NIP sama dengan baris %(line)d.") % {"line": seen_nips[nip]})
            seen_nips.setdefault(nip, line)
        full_name = record["full_name"]
        if not full_name:
            problems.append(_("Nama lengkap kosong."))
        for name, limit in MAX_LENGTHS.items():
            if len(record[name]) > limit:
                problems.append(_("%(column)s lebih dari %(max)d karakter.") % {"column": COLUMNS[name][0], "max": limit})
        profile = profiles.get(nip)
        email = record["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("Email tidak sah: %(email)s.") % {"email": email})
            else:
                if email.lower() in seen_emails:
                    problems.append(_("Email sama dengan baris %(line)d.") % {"line": seen_emails[email.lower()]})
                seen_emails.setdefault(email.lower(), line)
                owners = email_owners.get(email.lower(), set()) - ({profile.user_id} if profile else set())
                if owners:
                    problems.append(_("Email %(email)s sudah dipakai akun lain.") % {"email": email})
        elif profile is None:
            problems.append(_("Email wajib untuk petugas baru (untuk undangan mengatur kata sandi)."))
        if profile is None and nip in taken_usernames:
            problems.append(_("Sudah ada akun dengan nama pengguna %(nip)s tanpa profil petugas.") % {"nip": nip})
        office = offices.get(record["office"].lower())
        if office is None:
            problems.append(_("Kantor tidak dikenal: %(office)s.") % {"office": record["office"] or "—"})
        village_key = _plan_village(plan, record, office, villages, problems)

        if problems:
            plan.issues.extend(RowIssue(line=line, nip=record["nip"], message=message) for message in problems)
            continue
        row = PlannedRow(
            line=line,
            nip=nip,
            full_name=full_name,
            email=email,
            rank=record["rank"],
            office=office,
            village_key=village_key,
            profile=profile,
            position=record["position"] if "position" in positions else None,
        )
        if profile is not None:
            row.changes = _changes(row, profile, plan)
            row.action = Action.UPDATE if row.changes else Action.UNCHANGED
        plan.rows.append(row)
    return plan


def _plan_village(plan, record, office, villages, problems):
    name, regency, province = record["village"], record["regency"], record["province"]
    if not name:
        return None
    if not regency:
        problems.append(_("Kabupaten/kota wajib diisi bila desa binaan diisi."))
        return None
    key = (name.lower(), regency.lower())
    found = villages.get(key, [])
    if len(found) > 1:
        problems.append(_("Desa %(village)s di %(regency)s ada lebih dari satu; hubungi admin.") % {
            "village": name, "regency": regency,
        })
        return None
    if found:
        plan.existing_villages[key] = found[0]
    elif key not in plan.new_villages:
        if not province:
            problems.append(_("Provinsi wajib diisi untuk desa baru %(village)s.") % {"village": name})
            return None
        if office is not None:
            plan.new_villages[key] = NewVillage(name=name, regency=regency, province=province, office=office)
    return key


def _changes(row: PlannedRow, profile: OfficerProfile, plan: ImportPlan) -> list[str]:
    village = plan.existing_villages.get(row.village_key) if row.village_key else None
    changed = []
    if row.full_name != profile.full_name:
        changed.append(str(COLUMNS["full_name"][0]))
    if row.email and row.email.lower() != profile.user.email.lower():
        changed.append(str(COLUMNS["email"][0]))
    if row.rank != profile.rank:
        changed.append(str(COLUMNS["rank"][0]))
    if row.position is not None and row.position != profile.position:
        changed.append(str(COLUMNS["position"][0]))
    if row.office.pk != profile.office_id:
        changed.append(str(COLUMNS["office"][0]))
    if row.village_key and (village is None or village.pk != profile.village_id):
        changed.append(str(COLUMNS["village"][0]))
    return changed


def _unusable_password() -> str:
    # What make_password(None) stores ("!" + random), without its 40 random.choice calls per row.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _split_name(full_name: str) -> tuple[str, str]:
    first, _space, last = full_name.partition(" ")
    return first[:150], last[:150]


@transaction.atomic
def officer_import_apply(*, table: Table, by=None) -> ImportPlan:
    """Write the plan for `table`: every row or, if any row is invalid, none (raises ImportRejected).

    Invitations to new officers are sent by a background task once the
    transaction has committed.
    """
    plan = officer_import_plan(table=table)
    if not plan.is_valid:
        raise ImportRejected(plan)
    try:
        new_user_ids = _write(plan)
    except IntegrityError:
        # Another import or an admin wrote the same NIP or village in the meantime.
        raise DomainError(_("Data petugas berubah selama impor. Tidak ada data yang diubah; ulangi impor.")) from None
    if new_user_ids:
        transaction.on_commit(lambda: _invitations_enqueue(tasks.officer_invitations_send, new_user_ids, imported=True))
    return plan


def _invitations_enqueue(task, user_ids: list[int], *, imported: bool) -> None:
    try:
        queueing.enqueue(task, user_ids=user_ids)
    except queueing.QueueUnavailable:
        if not imported:
            raise
        raise queueing.QueueUnavailable(gettext_lazy("Impor sudah selesai dan tersimpan, tetapi undangan email untuk petugas baru "
                                          "belum dapat diantrekan karena antrean tugas sedang tidak dapat dihubungi. "
                                          "Kirim ulang undangan dari halaman petugas nanti.")) from None


def _write(plan: ImportPlan) -> list[int]:
    with transaction.atomic():
        created_villages = Village.objects.bulk_create(
            [
                Village(name=v.name, district="", regency=v.regency, province=v.province, office=v.office)
                for v in plan.new_villages.values()
            ]
        )
        village_by_key = dict(plan.existing_villages)
        village_by_key.update({(v.name.lower(), v.regency.lower()): v for v in created_villages})

        new_rows = [row for row in plan.rows if row.action == Action.CREATE]
        users = User.objects.bulk_create(
            [
                User(
                    username=row.nip,
                    email=row.email,
                    first_name=_split_name(row.full_name)[0],
                    last_name=_split_name(row.full_name)[1],
                    password=_unusable_password(),
                )
                for row in new_rows
            ],
            batch_size=1000,
        )
        if not all(user.pk for user in users):  # a backend that cannot return ids on bulk insert
            ids = dict(User.objects.filter(username__in=[row.nip for row in new_rows]).values_list("username", "pk"))
            for user in users:
                user.pk = ids[user.username]
        officer_group, _created = Group.objects.get_or_create(name=roles.OFFICER)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=officer_group.pk) for user in users], batch_size=1000
        )
        new_profiles = OfficerProfile.objects.bulk_create(
            [
                OfficerProfile(
                    user=user,
                    nip=row.nip,
                    full_name=row.full_name,
                    rank=row.rank,
                    position=row.position or "",
                    office=row.office,
                    village=village_by_key.get(row.village_key) if row.village_key else None,
                )
                for row, user in zip(new_rows, users)
            ],
            batch_size=1000,
        )

        changed_profiles, changed_users = [], []
        for row in plan.rows:
            if row.action != Action.UPDATE:
                continue
            profile = row.profile
            profile.full_name, profile.rank, profile.office = row.full_name, row.rank, row.office
            if row.position is not None:
                profile.position = row.position
            if row.village_key:
                profile.village = village_by_key[row.village_key]
            changed_profiles.append(profile)
            user = profile.user
            if row.email:
                user.email = row.email
            user.first_name, user.last_name = _split_name(row.full_name)
            changed_users.append(user)
        OfficerProfile.objects.bulk_update(
            changed_profiles, ["full_name", "rank", "position", "office", "village"], batch_size=1000
        )
        User.objects.bulk_update(changed_users, ["email", "first_name", "last_name"], batch_size=1000)
        officer_profiles_written.send(
            sender=OfficerProfile,
            created=_profile_ids(new_profiles),
            updated=[profile.pk for profile in changed_profiles],
        )
    return [user.pk for user in users]


def _profile_ids(profiles: list[OfficerProfile]) -> list[int]:
    if all(profile.pk for profile in profiles):
        return [profile.pk for profile in profiles]
    # A backend that cannot return ids on bulk insert.
    return list(OfficerProfile.objects.filter(nip__in=[p.nip for p in profiles]).values_list("pk", flat=True))


def officer_invitation_resend(*, user, by) -> None:
    """Queue a fresh invitation for an officer who has not set a password yet (links expire)."""
    log(user, "lms.officer_invite", user=by, data={"email": user.email})
    transaction.on_commit(lambda: _invitations_enqueue(tasks.officer_invitations_send, [user.pk], imported=False))
