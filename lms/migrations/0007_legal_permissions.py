"""Trainers edit provisions' wording; reviewers also add provisions and legal bases and record
changes of the law (lms/roles.py MODEL_PERMISSIONS). Runs again safely."""

from django.db import migrations


def apply_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    # Inside the function, as in 0003: lms.roles imports the current models.
    from lms import roles

    roles.sync_role_permissions(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0006_legalprovision_pasal_number"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
