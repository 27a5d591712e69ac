"""The demo is current in 2026: the KUHP and UU 1/2026 (in force 2 January 2026) are recorded as
changes that put the penalty provisions the demo teaches under review, so a fresh seed shows the
officers' notice, withholds the penalty questions and lists the holders on HR's page."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certificates.models import Certificate
from courses import selectors as courses_selectors
from courses import services as courses_services
from courses.models import ContentReview, CoursePage, ModulePage, Question, QuestionHold
from demo.seed import DEMO_PASSWORD, load_curriculum
from lms.models import LegalChange, LegalProvision

pytestmark = pytest.mark.django_db

User = get_user_model()
PENALTIES = {  # what the demo's penalty questions test
    ("UU 6/2011", "Pasal 120"), ("UU 21/2007", "Pasal 2 ayat (1)"), ("UU 21/2007", "Pasal 17"),
    ("UU 18/2017", "Pasal 80"), ("UU 18/2017", "Pasal 81"),
}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO())


def module(slug) -> ModulePage:
    return ModulePage.objects.get(slug=slug)


def withheld_tags() -> set[tuple[str, str]]:
    held = Question.objects.filter(
        pk__in=QuestionHold.objects.filter(released_at__isnull=True).values("question_id")
    ).prefetch_related("provisions__legal_basis")
    return {(p.legal_basis.short_name, p.label) for question in held for p in question.provisions.all()}


def test_the_2026_changes_are_recorded_applied_and_put_the_penalties_under_review(seeded, client):
    changes = {change.instrument.short_name: change for change in LegalChange.objects.select_related("instrument")}
    assert set(changes) == {"KUHP (UU 1/2023)", "UU 1/2026"}
    for change in changes.values():
        assert change.in_force_on == datetime.date(2026, 1, 2)
        assert change.applied_at is not None and change.withhold_questions
        assert change.recorded_by.username == "peninjau"
    under_review = {
        (p.legal_basis.short_name, p.label)
        for p in LegalProvision.objects.filter(status=LegalProvision.Status.DITINJAU).select_related("legal_basis")
    }
    assert PENALTIES | {("UU 6/2011", "Pasal 113"), ("UU 18/2017", "Pasal 82")} == under_review
    pasal_120 = LegalProvision.objects.get(legal_basis__code="UU-6-2011", pasal="120")
    assert str(pasal_120.changed_by_provision) == "KUHP (UU 1/2023) Pasal 457"
    assert LegalProvision.objects.get(legal_basis__code="UU-1-2023", pasal="457").status == LegalProvision.Status.BERLAKU

    # Every penalty question is withheld, and only those.
    assert withheld_tags() == PENALTIES
    # Each quiz keeps at least four questions to draw.
    for page in ModulePage.objects.all():
        assert len(courses_selectors.quiz_question_bank(page)) >= 4, page.title

    # The modules teaching them are under review; the officer sees the notice there.
    reviewed = set(ContentReview.objects.values_list("module__slug", flat=True))
    assert {"paspor-dan-pencegahan-tppm", "penempatan-non-prosedural-dan-sanksi",
            "definisi-dan-tindak-pidana-perdagangan-orang"} <= reviewed
    assert "hak-korban-dan-gugus-tugas-tppo" not in reviewed and "syarat-dan-dokumen-pmi" not in reviewed
    client.force_login(User.objects.get(username="petugas1"))
    page = module("definisi-dan-tindak-pidana-perdagangan-orang")
    text = BeautifulSoup(client.get(page.url).content, "html.parser").get_text(" ", strip=True)
    assert "Materi ini sedang ditinjau karena perubahan peraturan" in text
    assert "UU 1/2026" in text


def test_a_new_attempt_never_draws_a_withheld_penalty_question(seeded, client):
    officer = User.objects.get(username="petugas5")
    course = CoursePage.objects.get(slug="imigrasi-paspor-dan-pencegahan-tppm")
    courses_services.enrollment_create(user=officer, course=course)
    first, second = course.get_modules()
    courses_services.module_complete(user=officer, module=first.specific, by_quiz=True)
    client.force_login(officer)
    response = client.post(f"{second.url}kuis/")
    assert response.status_code == 302
    attempt = officer.quiz_attempts.get()
    drawn = Question.objects.filter(pk__in=[row["question"] for row in attempt.layout])
    assert drawn.count() == 4
    assert not QuestionHold.objects.filter(question__in=drawn, released_at__isnull=True).exists()
    assert not drawn.filter(provisions__pasal="120").exists()


def test_hr_sees_the_holders_of_changed_content(seeded, client):
    client.force_login(User.objects.get(username="sdm"))
    change = LegalChange.objects.get(instrument__code="UU-1-2026")
    listing = client.get("/hr/perubahan-peraturan/").content.decode()
    assert f"/hr/perubahan-peraturan/{change.pk}/" in listing
    soup = BeautifulSoup(client.get(f"/hr/perubahan-peraturan/{change.pk}/").content, "html.parser")
    names = {row.select("td")[1].get_text(strip=True) for row in soup.select("table.data tbody tr") if len(row.select("td")) == 8}
    holders = {User.objects.get(username=username).officer_profile.full_name for username in ("petugas1", "petugas2")}
    assert names == holders


def test_the_curriculum_dates_what_may_have_changed_and_labels_citations():
    data = load_curriculum()
    text = str(data)
    assert "perangkat daerah terkait" not in text and "Pasal 30 ayat (4)" not in text
    questions = {q["text"]: q for c in data["courses"] for m in c["modules"] for q in m["quiz"]["questions"]}
    assert "Pihak mana saja yang menjadi narasumber pembekalan Pimpasa pada 5 November 2024?" in questions
    assert not any(t.startswith("Instansi mana saja") for t in questions)
    # Task-force roles are dated to the Perpres text (ministries were reorganised in October 2024).
    for sentence in re.findall(r"[^.]*Ketua Harian[^.]*\.", text):
        assert "menurut teks perpres 49/2023" in sentence.lower(), sentence
    # A citation quotes ("Bunyi pasal") only a provision whose wording is stored; the rest are summaries.
    stored = {p["key"] for p in data["provisions"] if p.get("text")}
    citations = [b["value"] for c in data["courses"] for m in c["modules"] for b in m["body"] if b["type"] == "legal_citation"]
    assert citations and all(c["mode"] in ("quote", "summary") for c in citations)
    assert all(c["provision"] in stored for c in citations if c["mode"] == "quote")
    summaries = {c["provision"] for c in citations if c["mode"] == "summary"}
    assert {"uu21-2-1", "uu21-48", "uu21-54", "uu6-113", "uu6-120", "perpres49-30"} <= summaries
    assert not stored & {"uu21-2-1", "uu21-48", "uu21-54", "uu6-113", "uu6-120", "perpres49-30"}
    bases = {b["code"]: b for b in data["legal_bases"]}
    assert bases["UU-1-2023"]["title"].endswith("Kitab Undang-Undang Hukum Pidana")
    assert "UU-1-2026" in bases


def test_the_demo_officer_sees_a_refresher_of_the_changed_modules_only(seeded, client):
    client.force_login(User.objects.get(username="petugas1"))
    soup = BeautifulSoup(client.get("/my/learning/").content, "html.parser")
    notes = soup.select(".refresher-note")
    assert len(notes) == 1
    assert [a.get_text(strip=True) for a in notes[0].select("a")] == ["Definisi dan Tindak Pidana Perdagangan Orang"]


def kuhp_change_expected():
    """What the KUHP change touches, read from the seeded records themselves: the questions tagged
    with its provisions, their modules and courses, and who holds a certificate of those courses."""
    change = LegalChange.objects.select_related("instrument").get(instrument__code="UU-1-2023")
    changed = [item.provision_id for item in change.items.all()]
    questions = list(Question.objects.filter(provisions__in=changed).distinct().select_related("page"))
    modules = {question.page.specific for question in questions}
    courses = {module.get_parent().specific for module in modules}
    holders = set(
        Certificate.objects.filter(course__in=[course.pk for course in courses]).values_list("holder_name", flat=True)
    )
    return change, questions, modules, courses, holders


def test_the_reviewer_opens_the_kuhp_change_impact_page_on_the_demo(seeded, client):
    change, questions, modules, courses, holders = kuhp_change_expected()
    assert questions and holders  # the demo teaches the penalty the KUHP changed, and has certificate holders
    assert client.post("/admin/login/", {"username": "peninjau", "password": DEMO_PASSWORD}).status_code == 302
    response = client.get(f"/admin/dampak-hukum/perubahan/{change.pk}/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    text = " ".join(soup.get_text(" ").split())
    assert "KUHP (UU 1/2023)" in text and "Pasal 120" in text
    for course in courses:
        assert course.title in text, course.title
    for module in modules:
        assert module.title in text, module.title
    for question in questions:
        assert " ".join(question.text.split())[:60] in text, question.text
    heading = next(h2 for h2 in soup.select("h2") if "Pemegang sertifikat" in h2.get_text())
    shown = {row.select("td")[0].get_text(strip=True) for row in heading.find_next("table").select("tbody tr")}
    assert shown and shown <= holders, (shown, holders)


def test_legal_impact_command_lists_the_kuhp_change_on_the_demo(seeded):
    change, questions, modules, courses, holders = kuhp_change_expected()
    out = StringIO()
    call_command("legal_impact", "UU-1-2023", stdout=out)
    printed = out.getvalue()
    assert f"Perubahan #{change.pk}: KUHP (UU 1/2023), berlaku 2026-01-02" in printed
    assert f"Soal ({len(questions)}):" in printed, printed
    for course in courses:
        assert course.title in printed, course.title
    for module in modules:
        assert f"{module.get_parent().title} / {module.title}" in printed, module.title
    for question in questions:
        assert f"{question.page.title}: “{question.text}”" in printed
    listed = re.findall(r"^  - (.+?) \(\d*\) — ", printed, flags=re.MULTILINE)
    assert listed and set(listed) <= holders, (listed, holders)


def test_the_readme_legal_impact_example_names_a_demo_instrument(seeded):
    """README's `manage.py legal_impact UU-1-2023` runs on a fresh demo and lists the KUHP change."""
    out = StringIO()
    call_command("legal_impact", "UU-1-2023", stdout=out)
    assert "KUHP (UU 1/2023)" in out.getvalue() and "UU 6/2011 Pasal 120" in out.getvalue()
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "legal_impact UU-1-2023" in readme and "legal_impact KUHP-2023" not in readme
