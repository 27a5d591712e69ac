"""Move the signatory names and titles typed on agencies and templates into the register of signatories,
and set certificate titles apart from the sentence of their templates.

Nothing is lost: every agency's signatory name and title becomes a Signatory row of that
agency (appointment open on both ends, since it was never recorded), chosen by the agency's
general templates; every template's own signatory name, title and signature image becomes a
Signatory row chosen by that template. A template body that names the title ({judul}) is split
around it into the text before the title and the closing text after it; the old default text
becomes the new default pair.
"""

from django.db import migrations

OLD_DEFAULT_BODY = (
    "telah menyelesaikan pelatihan daring {judul} sebanyak {jp} jam pelajaran (JP) "
    "yang diselenggarakan oleh {instansi} dalam rangka peningkatan kapasitas "
    "Petugas Imigrasi Pembina Desa (Pimpasa)."
)
NEW_DEFAULT_BODY = "telah mengikuti dan menyelesaikan dengan baik {jenis}"
NEW_DEFAULT_CLOSING = (
    "yang diselenggarakan oleh {instansi} dalam rangka peningkatan kapasitas "
    "Petugas Imigrasi Pembina Desa (Pimpasa)."
)


def split_body(body: str) -> tuple[str, str]:
    if body.strip() == OLD_DEFAULT_BODY:
        return NEW_DEFAULT_BODY, NEW_DEFAULT_CLOSING
    if "{judul}" not in body:
        return body, ""
    before, _title, after = body.partition("{judul}")
    # Any further {judul} in the closing part is written out, so no placeholder is lost.
    return before.strip(), after.replace("{judul}", "").strip()


def forwards(apps, schema_editor):
    Agency = apps.get_model("lms", "Agency")
    Signatory = apps.get_model("certificates", "Signatory")
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")

    agency_signatory = {}
    for agency in Agency.objects.order_by("pk"):
        if agency.signatory_name.strip() or agency.signatory_title.strip():
            agency_signatory[agency.pk] = Signatory.objects.create(
                agency=agency,
                name=agency.signatory_name.strip() or agency.signatory_title.strip(),
                position=agency.signatory_title.strip(),
            )

    for template in CertificateTemplate.objects.order_by("pk"):
        template.body_text, template.closing_text = split_body(template.body_text)
        if template.signatory_name.strip() or template.signatory_title.strip() or template.signature_image_id:
            agency_default = agency_signatory.get(template.agency_id)
            template.signatory = Signatory.objects.create(
                agency_id=template.agency_id,
                name=template.signatory_name.strip() or (agency_default.name if agency_default else ""),
                position=template.signatory_title.strip() or (agency_default.position if agency_default else ""),
                signature_image_id=template.signature_image_id,
            )
        elif template.course_id is None and template.program_id is None:
            template.signatory = agency_signatory.get(template.agency_id)
        template.save(update_fields=["body_text", "closing_text", "signatory"])


def backwards(apps, schema_editor):
    Agency = apps.get_model("lms", "Agency")
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    Signatory = apps.get_model("certificates", "Signatory")
    for agency in Agency.objects.all():
        signatory = Signatory.objects.filter(agency=agency).order_by("pk").first()
        if signatory is not None:
            agency.signatory_name, agency.signatory_title = signatory.name, signatory.position
            agency.save(update_fields=["signatory_name", "signatory_title"])
    for template in CertificateTemplate.objects.select_related("signatory"):
        if template.signatory is not None:
            template.signatory_name = template.signatory.name
            template.signatory_title = template.signatory.position
            template.signature_image_id = template.signatory.signature_image_id
        if template.closing_text:
            template.body_text = f"{template.body_text} {{judul}} {template.closing_text}".strip()
        template.save(update_fields=["signatory_name", "signatory_title", "signature_image", "body_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0012_signatories"),
        ("lms", "0006_agency_serial_format"),
    ]
    # The agencies' old fields are read here, before lms removes them.
    run_before = [("lms", "0007_remove_agency_signatory")]

    operations = [migrations.RunPython(forwards, backwards)]
