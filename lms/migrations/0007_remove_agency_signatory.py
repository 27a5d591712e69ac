"""The agencies' signatory name and title now live in the register of signatories
(certificates.Signatory; moved there by certificates 0013, which runs before this)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0006_agency_serial_format"),
    ]

    operations = [
        migrations.RemoveField(model_name="agency", name="signatory_name"),
        migrations.RemoveField(model_name="agency", name="signatory_title"),
    ]
