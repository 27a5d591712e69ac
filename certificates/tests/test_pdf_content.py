"""Every field a certificate prints, read back from the PDF with pypdf: the holder as at issue, the
training (title apart, period, mode, JP, score, the laws in full), the signatory block in its usual
order, the optional page of material, and long text that wraps or shrinks but is never cut."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from pypdf import PdfReader
from wagtail.images import get_image_model

from certificates.models import Certificate, CertificateTemplate, Signatory
from certificates.services import certificate_issue, certificate_render, program_complete_if_finished
from certificates.subjects import Subject
from certificates.tests.factories import make_certificate, make_program
from courses.models import Choice
from courses.services import enrollment_create, module_complete, quiz_attempt_start, quiz_attempt_submit
from courses.tests.builders import make_course, make_module, quiz_questions
from lms.tests.factories import AgencyFactory, LegalBasisFactory, OfficeFactory, make_officer

pytestmark = pytest.mark.django_db

CURRICULUM = json.loads((Path(__file__).resolve().parents[2] / "demo" / "curriculum.json").read_text())
LONGEST_COURSE_TITLE = max((course["title"] for course in CURRICULUM["courses"]), key=len)
SEEDED_LAWS = [basis["title"] for basis in CURRICULUM["legal_bases"]]
TITLE_300 = (
    "Penguatan Kapasitas Petugas Imigrasi Pembina Desa dalam Pencegahan Tindak Pidana Perdagangan Orang "
    "dan Penyelundupan Manusia melalui Deteksi Dini, Edukasi Migrasi Aman, Koordinasi Gugus Tugas, "
    "serta Pelindungan Calon Pekerja Migran Indonesia dan Keluarganya di Desa Binaan Imigrasi Seluruh Indonesia."
)
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def indonesian(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def flat(text: str) -> str:
    return " ".join(text.split())


def pages_of(certificate) -> list[str]:
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [flat(page.extract_text()) for page in reader.pages]


def image(title: str, size=(400, 160)):
    buffer = io.BytesIO()
    PillowImage.new("RGBA", size, (20, 30, 90, 255)).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


@pytest.fixture
def imigrasi(db):
    return AgencyFactory(code="IMI", name="Direktorat Jenderal Imigrasi", short_name="Imigrasi")


@pytest.fixture
def director(imigrasi):
    return Signatory.objects.create(
        agency=imigrasi,
        name="Dr. Contoh Penandatangan, S.H., M.Hum.",
        id_number="197501012000031001",
        position="Direktur Jenderal Imigrasi (contoh)",
        place="Jakarta",
        signature_image=image("tanda-tangan"),
        stamp_image=image("cap", (300, 300)),
        valid_from=datetime.date(2024, 1, 2),
    )


@pytest.fixture
def holder(db):
    return make_officer(
        full_name="Ni Luh Putu Ayu Saraswati, S.H.",
        nip="199001012015032001",
        rank="Penata Muda Tingkat I (III/b)",
        position="Analis Keimigrasian Ahli Pertama",
        office=OfficeFactory(code="kanim-denpasar", name="Kantor Imigrasi Kelas I TPI Denpasar"),
    )


def answer(user, module, wrong=0):
    attempt = quiz_attempt_start(user=user, module=module)
    answers = {}
    for index, entry in enumerate(attempt.layout):
        right = set(Choice.objects.filter(question_id=entry["question"], is_correct=True).values_list("pk", flat=True))
        answers[entry["question"]] = frozenset(set(entry["choices"]) - right if index < wrong else right)
    quiz_attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


def test_every_field_of_a_course_certificate_reads_back_and_the_material_page_follows(
    catalog, imigrasi, director, holder, django_capture_on_commit_callbacks
):
    laws = [LegalBasisFactory(title=title) for title in SEEDED_LAWS[:2]]
    course = make_course(catalog=catalog, agency=imigrasi, title="Paspor dan Pencegahan TPPM", lesson_hours=6,
                         legal_bases=laws, validity_months=24)
    make_module(course=course, title="Modul 1: Paspor dan Migrasi Aman", duration_minutes=90,
                questions=quiz_questions(4), quiz_pass_mark=50)
    make_module(course=course, title="Modul 2: Mengenali TPPO dan TPPM", duration_minutes=45)
    CertificateTemplate.objects.create(agency=imigrasi, signatory=director, logo=image("lambang", (360, 360)),
                                       show_score=True, show_syllabus=True)
    enrollment_create(user=holder, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        answer(holder, course.get_modules()[0].specific, wrong=1)  # 75 %
        module_complete(user=holder, module=course.get_modules()[1].specific)

    certificate = Certificate.objects.get(holder=holder)
    assert certificate.signatory == director
    main, material = pages_of(certificate)

    issued = indonesian(certificate.issued_on)
    for printed in [
        "DIREKTORAT JENDERAL IMIGRASI", "SERTIFIKAT", f"Nomor: {certificate.serial}", "diberikan kepada",
        "Ni Luh Putu Ayu Saraswati, S.H.",
        "NIP : 199001012015032001", "Pangkat/golongan : Penata Muda Tingkat I (III/b)",
        "Jabatan : Analis Keimigrasian Ahli Pertama", "Unit kerja : Kantor Imigrasi Kelas I TPI Denpasar",
        "telah mengikuti dan menyelesaikan dengan baik kursus Paspor dan Pencegahan TPPM yang diselenggarakan oleh "
        "Direktorat Jenderal Imigrasi dalam rangka peningkatan kapasitas Petugas Imigrasi Pembina Desa (Pimpasa).",
        f"Periode {issued} s.d. {issued}", "Moda Daring", "Jam pelajaran 6 JP", "Nilai akhir 75,00",
        f"Berlaku sampai {indonesian(certificate.expires_on)}",
        "Materi berdasarkan: " + "; ".join(SEEDED_LAWS[:2]) + ".",
        certificate.verification_url, "Kode verifikasi:",
    ]:
        assert printed in main, printed
    # The signatory block in the usual order: place and date, position, (signature), name, NIP.
    assert re.search(
        rf"Jakarta, {issued} Direktur Jenderal Imigrasi \(contoh\), Dr\. Contoh Penandatangan, S\.H\., M\.Hum\. "
        r"NIP 197501012000031001",
        main,
    ), main
    assert "Dasar hukum" not in main
    for printed in ["Daftar materi", "Paspor dan Pencegahan TPPM", certificate.serial,
                    "No. Modul JP", "1 Modul 1: Paspor dan Migrasi Aman 4", "2 Modul 2: Mengenali TPPO dan TPPM 2",
                    "Jumlah 6"]:
        assert printed in material, printed


def test_the_score_prints_only_when_the_template_asks(catalog, imigrasi, director, holder):
    course = make_course(catalog=catalog, agency=imigrasi, modules=1)
    certificate = make_certificate(holder=holder, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(score="91.50", signatory=director)
    template = CertificateTemplate.objects.create(agency=imigrasi, signatory=director)
    (main,) = pages_of(certificate_render(certificate=certificate))
    assert "Nilai" not in main and "91,50" not in main

    template.show_score = True
    template.save()
    (main, ) = pages_of(certificate_render(certificate=certificate))
    assert "Nilai akhir 91,50" in main


@pytest.mark.parametrize("title", [LONGEST_COURSE_TITLE, TITLE_300], ids=["longest-seeded", "300-characters"])
def test_long_titles_wrap_or_shrink_never_cut_and_the_main_page_stays_one_page(catalog, imigrasi, director, title):
    assert len(TITLE_300) == 300
    long_holder = make_officer(
        full_name="Raden Roro Anastasia Kusumawardhani Puspitaningrum Hadiningrat, S.H., M.H., M.Kn.",
        nip="198503122010012001",
        rank="Pembina Utama Muda (IV/c)",
        position="Kepala Seksi Intelijen dan Penindakan Keimigrasian pada Kantor Imigrasi Kelas I Khusus TPI",
        office=OfficeFactory(code="kanim-soetta", name="Kantor Imigrasi Kelas I Khusus TPI Bandara Soekarno-Hatta"),
    )
    course = make_course(catalog=catalog, agency=imigrasi, modules=1,
                         legal_bases=[LegalBasisFactory(title=law) for law in SEEDED_LAWS])
    certificate = certificate_issue(user=long_holder, subject=Subject.of(course))
    Certificate.objects.filter(pk=certificate.pk).update(title=title)
    CertificateTemplate.objects.create(agency=imigrasi, signatory=director)

    pages = pages_of(certificate_render(certificate=certificate))
    assert len(pages) == 1
    (main,) = pages
    for printed in [title, "Raden Roro Anastasia Kusumawardhani Puspitaningrum Hadiningrat, S.H., M.H., M.Kn.",
                    "Pembina Utama Muda (IV/c)", "Kepala Seksi Intelijen dan Penindakan Keimigrasian pada Kantor "
                    "Imigrasi Kelas I Khusus TPI", "Kantor Imigrasi Kelas I Khusus TPI Bandara Soekarno-Hatta",
                    *SEEDED_LAWS, director.name, "NIP 197501012000031001"]:
        assert printed in main, printed


def test_a_program_certificate_totals_its_courses_jp_and_says_it_adds_none(catalog, imigrasi, director, holder):
    polri = AgencyFactory(code="POLRI", name="Kepolisian Negara Republik Indonesia")
    courses = [
        make_course(catalog=catalog, agency=imigrasi, title="Paspor dan Pencegahan TPPM", modules=1, lesson_hours=4),
        make_course(catalog=catalog, agency=polri, title="TPPO dan Gugus Tugas", modules=1, lesson_hours=6),
    ]
    program = make_program(courses=courses, agency=imigrasi)
    CertificateTemplate.objects.create(agency=imigrasi, signatory=director, show_syllabus=True)
    for course in courses:
        certificate_issue(user=holder, subject=Subject.of(course))
    certificate = program_complete_if_finished(user=holder, program=program)
    assert certificate.lesson_hours == 10 and certificate.syllabus == [["Paspor dan Pencegahan TPPM", 4],
                                                                        ["TPPO dan Gugus Tugas", 6]]

    main, courses_page = pages_of(certificate_render(certificate=certificate))
    assert "telah mengikuti dan menyelesaikan dengan baik program Program Dasar Pimpasa" in main
    assert "Total JP dari kursus penyusun 10 JP" in main
    assert "JP dicatat pada sertifikat kursus penyusunnya; sertifikat program ini tidak menambah JP." in main
    assert "Jam pelajaran" not in main
    for printed in ["Daftar kursus penyusun", "No. Kursus JP", "1 Paspor dan Pencegahan TPPM 4",
                    "2 TPPO dan Gugus Tugas 6", "Total JP dari kursus penyusun 10"]:
        assert printed in courses_page, printed


def test_a_certificate_from_before_signatories_gets_the_official_in_office_on_its_issue_date(catalog, imigrasi, holder):
    Signatory.objects.create(agency=imigrasi, name="Dr. Pejabat Lama", position="Direktur Jenderal Imigrasi (contoh)",
                             valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2024, 12, 31))
    Signatory.objects.create(agency=imigrasi, name="Dr. Pejabat Baru", position="Direktur Jenderal Imigrasi (contoh)",
                             valid_from=datetime.date(2025, 1, 1))
    course = make_course(catalog=catalog, agency=imigrasi, modules=1)
    old = make_certificate(holder=holder, course=course, issued_on=datetime.date(2024, 6, 3))
    assert old.signatory_id is None
    (main,) = pages_of(certificate_render(certificate=old))
    assert "Dr. Pejabat Lama" in main and "Dr. Pejabat Baru" not in main
    assert Certificate.objects.get(pk=old.pk).signatory_id is None  # rendering never writes the record


def solid(title: str, size, colour):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"))


def embedded_images(certificate) -> list[tuple[tuple[int, int], tuple[int, int, int]]]:
    """(pixel size, centre colour) of every image the PDF's first page draws, read from its XObjects."""
    with certificate.pdf.open("rb") as handle:
        page = PdfReader(io.BytesIO(handle.read())).pages[0]
    found = []
    for embedded in page.images:
        picture = embedded.image.convert("RGB")
        found.append((picture.size, picture.getpixel((picture.width // 2, picture.height // 2))))
    return found


def test_the_emblem_signature_and_stamp_are_drawn_and_no_stamp_without_one(catalog, imigrasi, holder):
    # distinct sizes and colours, all within their renditions' bounds so they are embedded as uploaded
    emblem = ((240, 240), (200, 20, 20))
    signature = ((420, 140), (20, 160, 40))
    stamp = ((180, 180), (30, 40, 210))
    signatory = Signatory.objects.create(
        agency=imigrasi, name="Dr. Contoh Penandatangan", position="Direktur Jenderal Imigrasi (contoh)",
        signature_image=solid("tanda-tangan", *signature), stamp_image=solid("cap", *stamp),
        valid_from=datetime.date(2024, 1, 2),
    )
    CertificateTemplate.objects.create(agency=imigrasi, signatory=signatory, logo=solid("lambang", *emblem))
    course = make_course(catalog=catalog, agency=imigrasi, modules=1)
    certificate = make_certificate(holder=holder, course=course)
    Certificate.objects.filter(pk=certificate.pk).update(signatory=signatory)

    drawn = embedded_images(certificate_render(certificate=certificate))
    for expected in (emblem, signature, stamp):
        assert expected in drawn, (expected, drawn)

    signatory.stamp_image = None
    signatory.save()
    drawn = embedded_images(certificate_render(certificate=Certificate.objects.get(pk=certificate.pk)))
    assert emblem in drawn and signature in drawn, drawn
    assert stamp not in drawn and all(size != stamp[0] for size, _colour in drawn), drawn
