"""Build the demo site from `curriculum.json`, idempotently.

Everything is looked up by a natural key (code, slug, username) and created
only when missing, so running it again changes nothing — including content a
trainer has since edited in the admin.
"""

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from courses.models import Choice, CoursePage, CourseIndexPage, ModulePage, Question
from demo import certificates as demo_certificates
from lms import roles
from lms.models import Agency, HomePage, LegalBasis, OfficerProfile, Office, Village

logger = logging.getLogger(__name__)

CURRICULUM_PATH = Path(__file__).with_name("curriculum.json")
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
    agencies = _seed_agencies(data["agencies"], report)
    for course_data in data["courses"]:
        _seed_course(catalog, course_data, agencies, legal_bases, report)
    offices = _seed_offices(data["offices"], report)
    villages = _seed_villages(data["villages"], offices, report)
    _seed_staff(report)
    _seed_officers(data["officers"], offices, villages, report)
    _seed_certificates(data, agencies, report)
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


def _lesson_body(blocks: list[dict], legal_bases: dict[str, LegalBasis]) -> list[tuple]:
    body = []
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "heading" and isinstance(value, str):
            value = {"text": value, "level": "h2"}
        elif kind == "legal_citation":
            value = {**value, "legal_basis": legal_bases[value["legal_basis"]]}
        body.append((kind, value))
    return body


def _seed_course(catalog, data, agencies, legal_bases, report) -> CoursePage:
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
        _seed_module(course, module_data, legal_bases, report)
    return course


def _seed_module(course, data, legal_bases, report) -> ModulePage | None:
    if ModulePage.objects.child_of(course).filter(slug=data["slug"]).exists():
        return None
    quiz = data.get("quiz") or {}
    module = ModulePage(
        title=data["title"],
        slug=data["slug"],
        summary=data.get("summary", ""),
        duration_minutes=data.get("duration_minutes", 20),
        body=_lesson_body(data.get("body", []), legal_bases),
        quiz_pass_mark=quiz.get("pass_mark", 70),
    )
    for question_data in quiz.get("questions", []):
        question = Question(
            text=question_data["text"],
            kind=question_data.get("kind", "single"),
            points=question_data.get("points", 1),
            explanation=question_data.get("explanation", ""),
            legal_basis=legal_bases.get(question_data.get("legal_basis") or ""),
            provision=question_data.get("provision") or "",
        )
        question.choices = [Choice(text=c["text"], is_correct=c["correct"]) for c in question_data["choices"]]
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
                "office": offices[row["office"]],
                "village": villages.get(row["village"]),
            },
        )
        report.add("officer profiles", created)
