"""Certificate.updated_at for the API's synchronisation feed; existing rows get their last known change."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce


def fill_updated_at(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    # A revoked certificate last changed when it was revoked; any other one when it was created
    # (a later PDF render is not known; at worst an integrator reads it once more).
    Certificate.objects.update(updated_at=Coalesce(F("revoked_at"), F("created_at")))


class Migration(migrations.Migration):

    dependencies = [
        ("certificates", "0015_certificate_pdf_signature"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="updated_at",
            field=models.DateTimeField(null=True, verbose_name="diubah pada"),
        ),
        migrations.RunPython(fill_updated_at, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="certificate",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="diubah pada"),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["updated_at", "id"], name="certificate_updated"),
        ),
        migrations.AddIndex(
            model_name="certificate",
            index=models.Index(fields=["agency", "updated_at", "id"], name="certificate_agency_updated"),
        ),
    ]
