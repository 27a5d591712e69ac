"""Build the demo site from `curriculum.json`, idempotently.

Everything is looked up by a natural key (code, slug, username) and created
only when missing, so running it again changes nothing — including content a
trainer has since edited in the admin.
"""

import datetime
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from certificates.models import Certificate
from certificates.refreshers import refreshers_require
from courses.models import Choice, CoursePage, CourseIndexPage, ModulePage, Question
from demo import certificates as demo_certificates
from lms import roles
from lms.legal import legal_change_apply
from lms.models import (
    Agency,
    HomePage,
    LegalBasis,
    LegalChange,
    LegalChangeItem,
    LegalProvision,
    OfficerProfile,
    Office,
    Village,
)

logger = logging.getLogger(__name__)

CURRICULUM_PATH = Path(__file__).with_name("curriculum.json")
# The demo officers' jabatan (the functional position of immigration officers), printed on their certificates.
DEMO_POSITION = "Analis Keimigrasian Ahli Pertama"
# Demo-only password, printed in the README; never used outside a demo database.
DEMO_PASSWORD = "Pimpasa-Demo-2026"

STAFF_ACCOUNTS = [
    # username, first name, last name, group, is_superuser
    ("admin", "Admin", "Pimpasa", None, True),
    ("pelatih.imigrasi", "Rina", "Pelatih Imigrasi", roles.TRAINER_IMIGRASI, False),
    ("pelatih.bp2mi", "Bayu", "Pelatih BP2MI", roles.TRAINER_BP2MI, False),
    ("pelatih.polri", "Dewi", "Pelatih Polri", roles.TRAINER_POLRI, False),
    ("peninjau", "Hendra", "Peninjau", roles.REVIEWER, False),
    ("sdm", "Sari", "SDM", roles.HR, False),
]


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1

    def __str__(self):
        if not self.created:
            return "Demo data already present; nothing changed."
        return "Created: " + ", ".join(f"{count} {kind}" for kind, count in sorted(self.created.items()))


def load_curriculum() -> dict:
    with CURRICULUM_PATH.open(encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def seed_demo() -> SeedReport:
    data = load_curriculum()
    report = SeedReport()
    roles.sync_role_permissions()
    home = _seed_home(report)
    catalog = _seed_catalog(home, report)
    roles.sync_catalog(catalog=catalog)
    legal_bases = _seed_legal_bases(data["legal_bases"], report)
    provisions = _seed_provisions(data["provisions"], legal_bases, report)
    agencies = _seed_agencies(data["agencies"], report)
    for course_data in data["courses"]:
        _seed_course(catalog, course_data, agencies, legal_bases, provisions, report)
    offices = _seed_offices(data["offices"], report)
    villages = _seed_villages(data["villages"], offices, report)
    _seed_staff(report)
    _seed_officers(data["officers"], offices, villages, report)
    _seed_certificates(data, agencies, report)
    _seed_legal_changes(data["legal_changes"], legal_bases, provisions, report)
    _seed_refresher(report)
    return report


def _seed_certificates(data, agencies, report) -> None:
    demo_certificates.seed_program(data["program"], report)
    demo_certificates.seed_signatories(data["agencies"], agencies, report)
    demo_certificates.seed_templates(agencies.values(), report)
    demo_certificates.seed_certificates(report)


def _seed_home(report: SeedReport) -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Pimpasa LMS",
                slug="pimpasa",
                intro=(
                    "<p>Pelatihan daring bagi Petugas Imigrasi Pembina Desa (Pimpasa): materi dari Imigrasi, "
                    "BP2MI, dan Polri tentang migrasi aman serta pencegahan TPPO dan TPPM.</p>"
                ),
            )
        )
        report.add("home page", True)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="Pimpasa LMS")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "Pimpasa LMS"
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" placeholder has no place here.
        if old_root.specific_class is Page and old_root.depth == 2:
            old_root.delete()
    return home


def _seed_catalog(home: HomePage, report: SeedReport) -> CourseIndexPage:
    catalog = CourseIndexPage.objects.child_of(home).filter(slug="kursus").first()
    if catalog is None:
        catalog = home.add_child(
            instance=CourseIndexPage(
                title="Katalog Kursus",
                slug="kursus",
                intro="<p>Kursus dari Imigrasi, BP2MI, dan Polri untuk Petugas Imigrasi Pembina Desa.</p>",
            )
        )
        report.add("catalog page", True)
    return catalog


def _seed_legal_bases(rows, report) -> dict[str, LegalBasis]:
    result = {}
    for row in rows:
        obj, created = LegalBasis.objects.get_or_create(
            code=row["code"],
            defaults={key: row[key] for key in ("short_name", "title", "kind", "number", "year", "summary") if key in row},
        )
        report.add("legal bases", created)
        result[obj.code] = obj
    return result


def _seed_provisions(rows, legal_bases, report) -> dict[str, LegalProvision]:
    """The provisions the demo cites and tests, by their key in curriculum.json. `text` only where
    the wording itself is stored; every other citation is shown as a summary ("Ringkasan")."""
    result = {}
    for row in rows:
        obj, created = LegalProvision.objects.get_or_create(
            legal_basis=legal_bases[row["legal_basis"]],
            pasal=row["pasal"],
            ayat=row.get("ayat", ""),
            butir=row.get("butir", ""),
            defaults={"heading": row.get("heading", ""), "text": row.get("text", "")},
        )
        if created:
            obj.save_revision(clean=False)
        report.add("legal provisions", created)
        result[row["key"]] = obj
    return result


def _seed_legal_changes(rows, legal_bases, provisions, report) -> None:
    """The changes in force since 2 January 2026 (KUHP, UU 1/2026), recorded by the demo reviewer and
    applied as a reviewer's recording applies them: the provisions go under review, the lessons and
    questions that use them are flagged, the penalty questions withheld (lms.legal.legal_change_apply)."""
    reviewer = get_user_model().objects.filter(username="peninjau").first()
    for row in rows:
        instrument = legal_bases[row["instrument"]]
        in_force_on = datetime.date.fromisoformat(row["in_force_on"])
        change = LegalChange.objects.filter(instrument=instrument, in_force_on=in_force_on).first()
        if change is None:
            change = LegalChange.objects.create(
                instrument=instrument,
                in_force_on=in_force_on,
                summary=row["summary"],
                withhold_questions=row.get("withhold_questions", True),
                recorded_by=reviewer,
            )
            LegalChangeItem.objects.bulk_create(
                LegalChangeItem(
                    change=change,
                    provision=provisions[item["provision"]],
                    new_status=item.get("new_status", LegalProvision.Status.DITINJAU),
                    replacement=provisions.get(item.get("replacement") or ""),
                    note=item.get("note", ""),
                    sort_order=index,
                )
                for index, item in enumerate(row["items"])
            )
            report.add("legal changes", True)
        legal_change_apply(change, user=reviewer)  # once: a change already applied is left as it is


def _seed_refresher(report) -> None:
    """HR (`sdm`) has asked `petugas1` for a refresher of the Polri course after UU 1/2026, so My
    learning shows one; the other holders on HR's page are left for HR to try (idempotent)."""
    change = LegalChange.objects.filter(instrument__code="UU-1-2026").first()
    certificate = Certificate.objects.valid().filter(
        holder__username="petugas1", course__slug=demo_certificates.POLRI
    ).first()
    if change is None or certificate is None:
        return
    hr = get_user_model().objects.filter(username="sdm").first()
    result = refreshers_require(certificates=[certificate], change=change, by=hr)
    report.add("refreshers", bool(result.created))


def _seed_agencies(rows, report) -> dict[str, Agency]:
    result = {}
    fields = ("name", "short_name", "description", "accent_color")
    for row in rows:
        obj, created = Agency.objects.get_or_create(
            code=row["code"], defaults={key: row[key] for key in fields if key in row}
        )
        report.add("agencies", created)
        result[obj.code] = obj
    return result


def _citation(value: dict, provisions: dict[str, LegalProvision]) -> dict:
    """A citation block's value: "quote" shows the provision's stored wording, "summary" the text given."""
    return {"provision": provisions[value["provision"]], "mode": value["mode"], "text": value["text"]}


def _lesson_body(blocks: list[dict], provisions: dict[str, LegalProvision]) -> list[tuple]:
    body = []
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "heading" and isinstance(value, str):
            value = {"text": value, "level": "h2"}
        elif kind == "legal_citation":
            value = _citation(value, provisions)
        body.append((kind, value))
    return body


def _seed_course(catalog, data, agencies, legal_bases, provisions, report) -> CoursePage:
    course = CoursePage.objects.child_of(catalog).filter(slug=data["slug"]).first()
    if course is None:
        course = catalog.add_child(
            instance=CoursePage(
                title=data["title"],
                slug=data["slug"],
                agency=agencies[data["agency"]],
                summary=data["summary"],
                level=data["level"],
                duration_minutes=data["duration_minutes"],
                lesson_hours=data["lesson_hours"],
                validity_months=data.get("validity_months"),
            )
        )
        course.legal_bases.set([legal_bases[code] for code in data["legal_bases"]])
        course.save_revision().publish()
        report.add("courses", True)
    for module_data in data["modules"]:
        _seed_module(course, module_data, legal_bases, provisions, report)
    return course


def _seed_module(course, data, legal_bases, provisions, report) -> ModulePage | None:
    if ModulePage.objects.child_of(course).filter(slug=data["slug"]).exists():
        return None
    quiz = data.get("quiz") or {}
    module = ModulePage(
        title=data["title"],
        slug=data["slug"],
        summary=data.get("summary", ""),
        duration_minutes=data.get("duration_minutes", 20),
        body=_lesson_body(data.get("body", []), provisions),
        quiz_pass_mark=quiz.get("pass_mark", 70),
    )
    for question_data in quiz.get("questions", []):
        question = Question(
            text=question_data["text"],
            kind=question_data.get("kind", "single"),
            points=question_data.get("points", 1),
            explanation=question_data.get("explanation", ""),
            legal_basis=legal_bases.get(question_data.get("legal_basis") or ""),
        )
        question.choices = [Choice(text=c["text"], is_correct=c["correct"]) for c in question_data["choices"]]
        question.provisions = [provisions[key] for key in question_data.get("provisions", [])]
        module.questions.add(question)
    course.add_child(instance=module)
    module.save_revision().publish()
    report.add("modules", True)
    return module


def _seed_offices(rows, report) -> dict[str, Office]:
    result = {}
    for row in rows:
        obj, created = Office.objects.get_or_create(
            code=row["code"],
            defaults={key: row[key] for key in ("name", "kind", "city", "province")},
        )
        report.add("offices", created)
        result[obj.code] = obj
    return result


def _seed_villages(rows, offices, report) -> dict[str, Village]:
    result = {}
    for row in rows:
        obj, created = Village.objects.get_or_create(
            name=row["name"],
            district=row["district"],
            regency=row["regency"],
            defaults={"province": row["province"], "office": offices[row["office"]]},
        )
        report.add("villages", created)
        result[obj.name] = obj
    return result


def _demo_user(username, *, email, first_name, last_name, is_superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "is_staff": is_superuser,
            "is_superuser": is_superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


def _seed_staff(report) -> None:
    for username, first_name, last_name, group_name, is_superuser in STAFF_ACCOUNTS:
        user, created = _demo_user(
            username,
            email=f"{username}@pimpasa.example",
            first_name=first_name,
            last_name=last_name,
            is_superuser=is_superuser,
        )
        report.add("staff accounts", created)
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))


def _seed_officers(rows, offices, villages, report) -> None:
    officer_group = Group.objects.get(name=roles.OFFICER)
    for row in rows:
        first, _space, last = row["full_name"].partition(" ")
        user, created = _demo_user(row["username"], email=row["email"], first_name=first, last_name=last)
        report.add("officer accounts", created)
        user.groups.add(officer_group)
        _profile, created = OfficerProfile.objects.get_or_create(
            user=user,
            defaults={
                "nip": row["nip"],
                "full_name": row["full_name"],
                "rank": row["rank"],
                "position": row.get("position", DEMO_POSITION),
                "office": offices[row["office"]],
                "village": villages.get(row["village"]),
            },
        )
        report.add("officer profiles", created)
