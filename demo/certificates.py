"""Demo certificates: the program and officers who earned valid, expiring, expired and revoked certificates.

Called by `seed_demo`. Idempotent: a certificate is looked up by holder and
course (or program) and created only when missing; PDFs are rendered right
here, synchronously (a command, not a request), so they are there at once
after `make run` — and rendered again only if their file went missing.
"""

import datetime
import io
import math

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from certificates.models import (
    Certificate,
    CertificateTemplate,
    OfficialIdKind,
    Program,
    ProgramCourse,
    RevocationReason,
    Signatory,
)
from certificates.services import (
    add_months,
    certificate_issue,
    certificate_render,
    certificate_revoke,
    program_complete_if_finished,
)
from certificates.subjects import Subject
from courses.models import CoursePage, Enrollment, ModuleProgress

IMI, BP2MI, POLRI = (
    "imigrasi-paspor-dan-pencegahan-tppm",
    "bp2mi-migrasi-aman-dan-prosedural",
    "polri-tppo-dan-gugus-tugas",
)
PROGRAM_CODE = "PDP"

# username → [(course slug, state)]; states: valid, expiring (within 30 days), expired, revoked.
DEMO_HOLDERS = {
    "petugas1": [(IMI, "valid"), (BP2MI, "valid"), (POLRI, "valid")],  # and the program certificate
    "petugas2": [(IMI, "expiring"), (BP2MI, "valid")],
    "petugas3": [(IMI, "expired")],
    "petugas4": [(BP2MI, "revoked")],
}


def seed_program(data: dict, report) -> Program:
    courses = {course.slug: course for course in CoursePage.objects.filter(slug__in=data["courses"])}
    program = Program.objects.filter(slug=data["slug"]).first()
    if program is None:
        program = Program.objects.create(
            code=PROGRAM_CODE,
            slug=data["slug"],
            title=data["title"],
            description=data.get("summary", ""),
            agency=courses[data["courses"][0]].agency,
            validity_months=data.get("validity_months"),
        )
        ProgramCourse.objects.bulk_create(
            ProgramCourse(program=program, course=courses[slug], sort_order=index)
            for index, slug in enumerate(data["courses"])
        )
        report.add("programs", True)
    return program


# Clearly demo officials: the names and positions say "contoh" (example); the numbers are made up.
DEMO_SIGNATORY_NUMBERS = {
    "IMI": (OfficialIdKind.NIP, "197501012000031001"),
    "BP2MI": (OfficialIdKind.NIP, "197803152003122002"),
    "POLRI": (OfficialIdKind.NRP, "75010123"),
}
DEMO_APPOINTED_ON = datetime.date(2024, 1, 2)  # covers the demo's oldest (expired) certificates


def _demo_image(title: str, draw) -> object:
    """A Wagtail image drawn with Pillow, found by its title on later runs."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    canvas = draw()
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG")
    file_name = title.lower().replace(" ", "-").replace("(", "").replace(")", "") + ".png"
    image = Image(title=title, file=ImageFile(buffer, name=file_name))
    image.save()
    return image


def _hex_rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[index : index + 2], 16) for index in (1, 3, 5))


def _draw_emblem(code: str, color: str):
    """A round emblem in the agency's colour: a ring, a five-pointed star and a shield. Not a real emblem."""

    def draw():
        rgb = _hex_rgb(color)
        canvas = PillowImage.new("RGBA", (360, 360), (0, 0, 0, 0))
        pen = ImageDraw.Draw(canvas)
        pen.ellipse((8, 8, 352, 352), fill=rgb + (255,))
        pen.ellipse((30, 30, 330, 330), outline=(242, 200, 75, 255), width=10)
        pen.polygon([(180, 250), (115, 200), (115, 120), (245, 120), (245, 200)], fill=(255, 255, 255, 255))
        star = [
            (180 + (42 if point % 2 == 0 else 17) * math.sin(math.pi * point / 5),
             170 - (42 if point % 2 == 0 else 17) * math.cos(math.pi * point / 5))
            for point in range(10)
        ]
        pen.polygon(star, fill=(242, 200, 75, 255))
        pen.text((180, 290), code, fill=(255, 255, 255, 255), anchor="mm", font_size=34)
        return canvas

    return draw


def _draw_signature(seed: int):
    def draw():
        canvas = PillowImage.new("RGBA", (600, 240), (0, 0, 0, 0))
        points = [(30 + step * 45, 150 + int(70 * math.sin(step * 1.3 + seed))) for step in range(13)]
        ImageDraw.Draw(canvas).line(points, fill=(22, 34, 96, 255), width=7, joint="curve")
        return canvas

    return draw


def _draw_stamp(code: str, color: str):
    def draw():
        rgb = _hex_rgb(color)
        canvas = PillowImage.new("RGBA", (300, 300), (0, 0, 0, 0))
        pen = ImageDraw.Draw(canvas)
        pen.ellipse((10, 10, 290, 290), outline=rgb + (190,), width=9)
        pen.ellipse((45, 45, 255, 255), outline=rgb + (190,), width=4)
        pen.text((150, 130), "CAP CONTOH", fill=rgb + (190,), anchor="mm", font_size=30)
        pen.text((150, 175), code, fill=rgb + (190,), anchor="mm", font_size=30)
        return canvas

    return draw


def seed_signatories(rows, agencies, report) -> None:
    """One demo official per agency, in office since 2024, with a drawn signature and stamp."""
    for index, row in enumerate(rows):
        agency = agencies[row["code"]]
        kind, number = DEMO_SIGNATORY_NUMBERS.get(agency.code, (OfficialIdKind.NIP, ""))
        values = {
            "id_kind": kind,
            "id_number": number,
            "position": row.get("signatory_title", ""),
            "place": "Jakarta",
            "valid_from": DEMO_APPOINTED_ON,
            "signature_image": _demo_image(f"Tanda tangan contoh {agency.code}", _draw_signature(index)),
            "stamp_image": _demo_image(f"Cap dinas contoh {agency.code}", _draw_stamp(agency.code, agency.accent_color)),
        }
        signatory, created = Signatory.objects.get_or_create(
            agency=agency, name=row.get("signatory_name") or f"Pejabat Contoh {agency.code}", defaults=values
        )
        if not created:
            # A row the migration made from the agency's old fields: complete what it could not know.
            missing = {key: value for key, value in values.items() if not getattr(signatory, key)}
            for key, value in missing.items():
                setattr(signatory, key, value)
            if missing:
                signatory.save(update_fields=list(missing))
        report.add("signatories", created)
        if agency.logo_id is None:
            agency.logo = _demo_image(f"Lambang contoh {agency.code}", _draw_emblem(agency.code, agency.accent_color))
            agency.save(update_fields=["logo"])


def seed_templates(agencies, report) -> None:
    """A general template per agency with its demo emblem and official; Imigrasi's also prints the score
    and lists its modules on a second page."""
    for agency in agencies:
        signatory = Signatory.objects.filter(agency=agency).order_by("pk").first()
        emblem = _demo_image(f"Lambang contoh {agency.code}", _draw_emblem(agency.code, agency.accent_color))
        template, created = CertificateTemplate.objects.get_or_create(
            agency=agency,
            course=None,
            program=None,
            defaults={
                "title_text": "Sertifikat Pelatihan",
                "signatory": signatory,
                "logo": emblem,
                "show_score": agency.code == "IMI",
                "show_syllabus": agency.code == "IMI",
            },
        )
        if not created and template.signatory_id is None and signatory is not None:
            template.signatory = signatory
            template.save(update_fields=["signatory"])
        report.add("certificate templates", created)


def _issued_on(state: str, validity_months: int, today: datetime.date) -> datetime.date:
    if state == "expiring":
        return add_months(today, -validity_months) + datetime.timedelta(days=20)
    if state == "expired":
        return add_months(today, -validity_months) - datetime.timedelta(days=60)
    return today - datetime.timedelta(days=30)


def _complete_course(user, course, completed_at) -> None:
    Enrollment.objects.get_or_create(user=user, course=course, defaults={"completed_at": completed_at})
    for module in course.get_modules():
        ModuleProgress.objects.get_or_create(
            user=user, module_id=module.pk, defaults={"course": course, "completed_at": completed_at}
        )


def seed_certificates(report, *, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    users = {user.username: user for user in get_user_model().objects.filter(username__in=[*DEMO_HOLDERS, "sdm"])}
    courses = {course.slug: course for course in CoursePage.objects.filter(slug__in=[IMI, BP2MI, POLRI])}
    hr = users.get("sdm")
    for username, earned in DEMO_HOLDERS.items():
        user = users.get(username)
        if user is None:
            continue
        for slug, state in earned:
            course = courses[slug]
            if Certificate.objects.filter(holder=user, course=course).exists():
                continue
            issued_on = _issued_on(state, course.validity_months or 24, today)
            completed_at = timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time(10)))
            _complete_course(user, course, completed_at)
            certificate = certificate_issue(user=user, subject=Subject.of(course), issued_on=issued_on)
            if state == "revoked":
                certificate_revoke(
                    certificate=certificate,
                    by=hr,
                    reason=RevocationReason.DATA_CORRECTION,
                    note="Demo: NIP pada sertifikat salah ketik; diterbitkan ulang setelah koreksi data.",
                )
            report.add("certificates", True)
    program = Program.objects.filter(code=PROGRAM_CODE).first()
    if program is not None and "petugas1" in users:
        if not Certificate.objects.filter(holder=users["petugas1"], program=program).exists():
            issued = program_complete_if_finished(
                user=users["petugas1"], program=program, today=today - datetime.timedelta(days=30)
            )
            report.add("certificates", issued is not None)
    _render_missing()


def _render_missing() -> None:
    """Render demo PDFs now, so they are there before the worker starts; only missing or stale files.

    Stale includes a PDF rendered for another PUBLIC_BASE_URL: `make run PORT=8031`
    after a run on port 8000 prints QR codes and links for port 8031.
    """
    demo = Certificate.objects.filter(holder__username__in=list(DEMO_HOLDERS))
    for certificate in demo:
        if not certificate.pdf_ready or not default_storage.exists(certificate.pdf.name):
            certificate_render(certificate=certificate)
