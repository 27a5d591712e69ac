"""A provision's pasal number, for the natural order ("2" before "10")."""

import re

from django.db import migrations, models


def fill_numbers(apps, schema_editor):
    LegalProvision = apps.get_model("lms", "LegalProvision")
    for provision in LegalProvision.objects.all():
        match = re.match(r"\s*(\d+)", provision.pasal)
        provision.pasal_number = int(match.group(1)) if match else 0
        provision.save(update_fields=["pasal_number"])


class Migration(migrations.Migration):

    dependencies = [
        ('lms', '0005_legal_provisions_and_changes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='legalprovision',
            options={'ordering': ['legal_basis__year', 'legal_basis__short_name', 'pasal_number', 'pasal', 'ayat', 'butir'], 'verbose_name': 'pasal', 'verbose_name_plural': 'pasal'},
        ),
        migrations.AddField(
            model_name='legalprovision',
            name='pasal_number',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(fill_numbers, migrations.RunPython.noop),
    ]
