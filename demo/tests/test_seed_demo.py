import io
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count, Q
from pypdf import PdfReader
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page, Revision, Site

from certificates.models import Certificate, CertificateTemplate, Program, Signatory
from courses.models import Choice, CourseIndexPage, CoursePage, Enrollment, ModulePage, ModuleProgress, Question
from lms import roles
from demo.seed import DEMO_PASSWORD, STAFF_ACCOUNTS, load_curriculum
from lms.models import Agency, HomePage, LegalBasis, Office, OfficerProfile, Village

pytestmark = pytest.mark.django_db

User = get_user_model()


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    """Row counts of everything the seed writes, including page revisions and join tables."""
    return {
        "users": User.objects.count(),
        "user groups": User.groups.through.objects.count(),
        "groups": Group.objects.count(),
        "group permissions": Group.permissions.through.objects.count(),
        "group page permissions": GroupPagePermission.objects.count(),
        "agencies": Agency.objects.count(),
        "legal bases": LegalBasis.objects.count(),
        "offices": Office.objects.count(),
        "villages": Village.objects.count(),
        "officer profiles": OfficerProfile.objects.count(),
        "pages": Page.objects.count(),
        "courses": CoursePage.objects.count(),
        "course legal bases": CoursePage.legal_bases.through.objects.count(),
        "modules": ModulePage.objects.count(),
        "questions": Question.objects.count(),
        "choices": Choice.objects.count(),
        "sites": Site.objects.count(),
        "page revisions": Revision.page_revisions.count(),
        "programs": Program.objects.count(),
        "certificate templates": CertificateTemplate.objects.count(),
        "signatories": Signatory.objects.count(),
        "images": get_image_model().objects.count(),
        "certificates": Certificate.objects.count(),
        "rendered certificate files": Certificate.objects.exclude(pdf="").count(),
        "enrollments": Enrollment.objects.count(),
        "module progress": ModuleProgress.objects.count(),
    }


def certificate_files() -> dict[int, tuple[str, str]]:
    return dict((pk, (name, sha)) for pk, name, sha in Certificate.objects.values_list("pk", "pdf", "pdf_sha256"))


@pytest.fixture
def seeded(db):
    seed()


class TestSeedDemoContent:
    def test_creates_the_three_agencies_and_four_legal_bases(self, seeded):
        assert set(Agency.objects.values_list("code", flat=True)) == {"IMI", "BP2MI", "POLRI"}
        assert LegalBasis.objects.count() == 4

    def test_creates_three_live_courses_with_two_live_modules_each(self, seeded):
        catalog = CourseIndexPage.objects.get(slug="kursus")
        courses = CoursePage.objects.live().child_of(catalog)
        assert courses.count() == 3
        assert {course.agency.code for course in courses} == {"IMI", "BP2MI", "POLRI"}
        for course in courses:
            assert course.get_modules().count() == 2, course.title
            assert course.legal_bases.exists(), course.title

    def test_creates_24_questions_each_with_exactly_one_correct_choice(self, seeded):
        questions = Question.objects.annotate(
            correct=Count("choices", filter=Q(choices__is_correct=True)), total=Count("choices")
        )
        assert questions.count() == 24
        assert sorted({question.correct for question in questions}) == [1]
        assert all(question.total >= 2 for question in questions)
        assert not ModulePage.objects.annotate(n=Count("questions")).filter(n=0).exists()

    def test_creates_the_staff_accounts_with_their_roles(self, seeded):
        for username, _first, _last, group_name, is_superuser in STAFF_ACCOUNTS:
            user = User.objects.get(username=username)
            assert user.is_superuser == is_superuser
            assert user.check_password(DEMO_PASSWORD)
            if group_name:
                assert list(user.groups.values_list("name", flat=True)) == [group_name]

    def test_each_trainer_is_in_the_group_of_their_agency(self, seeded):
        for code, group_name in roles.TRAINER_GROUPS.items():
            trainers = User.objects.filter(groups__name=group_name)
            assert trainers.count() == 1, code
            assert Agency.objects.filter(code=code).exists()

    def test_creates_twelve_officers_with_profiles_in_the_officer_group(self, seeded):
        officers = User.objects.filter(groups__name=roles.OFFICER)
        assert officers.count() == 12
        assert OfficerProfile.objects.filter(user__in=officers).count() == 12
        assert User.objects.count() == len(STAFF_ACCOUNTS) + 12
        for profile in OfficerProfile.objects.all():
            profile.full_clean()  # every demo NIP passes the real validator

    def test_default_site_is_rooted_at_the_home_page(self, seeded):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        assert Site.objects.count() == 1
        # Wagtail's welcome placeholder is gone; the home page is the only top-level page.
        assert [page.specific_class for page in Page.get_first_root_node().get_children()] == [HomePage]


class TestSeedDemoCertificates:
    def test_creates_the_program_of_the_three_courses(self, seeded):
        program = Program.objects.get(slug="program-dasar-pimpasa")
        assert program.title == "Program Dasar Pimpasa"
        assert [course.slug for course in program.courses()] == load_curriculum()["program"]["courses"]

    def test_new_users_see_valid_expiring_expired_and_revoked_certificates_with_pdfs(self, seeded):
        certificates = Certificate.objects.with_status()
        assert {certificate.status for certificate in certificates} == {"valid", "expired", "revoked"}
        assert Certificate.objects.expiring_within(30).exists()
        assert Certificate.objects.filter(program__slug="program-dasar-pimpasa", holder__username="petugas1").exists()
        assert all(certificate.pdf and certificate.pdf_sha256 for certificate in certificates)

    def test_demo_holder_sees_and_downloads_their_certificates(self, client, seeded):
        response = client.post("/accounts/login/", {"username": "petugas1", "password": DEMO_PASSWORD})
        assert response.status_code == 302  # the demo password in the README works
        html = client.get("/my/certificates/").content.decode()
        assert "Program Dasar Pimpasa" in html and "Unduh PDF" in html
        certificate = Certificate.objects.filter(holder__username="petugas1").first()
        response = client.get(f"/certificates/{certificate.pk}/pdf/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    def test_demo_certificates_are_signed_by_demo_officials_under_an_emblem(self, seeded):
        for certificate in Certificate.objects.select_related("signatory"):
            signatory = certificate.signatory
            assert signatory is not None and signatory.covers(certificate.issued_on)
            assert "contoh" in signatory.position.lower() or "contoh" in signatory.name.lower()
            assert signatory.place and signatory.id_number and signatory.signature_image_id and signatory.stamp_image_id
            assert certificate.holder_rank and certificate.holder_unit and certificate.period_end
        assert all(template.logo_id and template.signatory_id for template in CertificateTemplate.objects.all())
        program_certificate = Certificate.objects.get(program__slug="program-dasar-pimpasa")
        assert program_certificate.lesson_hours == sum(hours for _title, hours in program_certificate.syllabus)
        with program_certificate.pdf.open("rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert "Total JP dari kursus penyusun" in text and "Daftar kursus penyusun" in text
        assert program_certificate.signatory.name in text and "Jakarta," in text

    def test_revoked_demo_certificate_verifies_as_revoked(self, client, seeded):
        revoked = Certificate.objects.revoked().get()
        assert client.get(f"/api/v1/verify/{revoked.code}/").json()["status"] == "revoked"


class TestSeedDemoIsIdempotent:
    def test_second_run_changes_nothing(self, seeded):
        before, files = snapshot(), certificate_files()
        output = seed()
        assert snapshot() == before
        assert certificate_files() == files  # no PDF rendered again
        assert "nothing changed" in output

    def test_second_run_keeps_a_title_a_trainer_edited(self, seeded):
        course = CoursePage.objects.get(agency__code="BP2MI")
        course.title = "Migrasi Aman (edisi revisi pelatih)"
        course.save_revision().publish()
        seed()
        course.refresh_from_db()
        assert course.title == "Migrasi Aman (edisi revisi pelatih)"
        assert course.get_latest_revision().as_object().title == "Migrasi Aman (edisi revisi pelatih)"
        assert CoursePage.objects.count() == 3


class TestDemoOfficerLogin:
    def test_demo_officer_logs_in_and_lands_on_my_learning(self, client, seeded):
        username = load_curriculum()["officers"][0]["username"]
        assert client.get("/accounts/login/").status_code == 200
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
        assert response.redirect_chain[-1] == ("/my/learning/", 302)
        assert response.status_code == 200
        assert response.wsgi_request.user.username == username
        assert "Pembelajaran saya" in response.content.decode()
