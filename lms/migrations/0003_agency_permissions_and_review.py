"""Confine trainers to their agency's courses and collection, and route their
changes through the review workflow (see lms/roles.py). Runs again safely."""

from django.db import migrations


def apply_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    # Inside the function: migrations load app code only when the operation runs (lms.roles imports
    # lms.models, the current models, which are not needed just to build the migration graph).
    from lms import roles

    roles.sync_role_permissions(apps=apps)
    roles.sync_review_workflow(apps=apps)
    for catalog in apps.get_model("courses", "CourseIndexPage").objects.all():
        roles.sync_catalog(catalog=catalog, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_roles"),
        ("courses", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(apply_roles, migrations.RunPython.noop)]
