"""Tasks queued in the database before the move keep running: their dotted paths follow the code.

django-tasks-db stores each task by dotted path; a READY row naming a module that no longer
exists would fail when a worker picks it up. (Jobs queued in Redis for RQ are not rewritten:
drain the RQ queues before deploying this release; see README, Production.)
"""

from django.db import migrations

MOVED = {
    "lms.tasks.officer_invitations_send": "hr.tasks.officer_invitations_send",
    "certificates.hr.tasks.export_xlsx_build": "hr.tasks.export_xlsx_build",
}


def _rewrite(apps, schema_editor, mapping):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")  # the app label of django_tasks_db
    db = schema_editor.connection.alias
    for old, new in mapping.items():
        DBTaskResult.objects.using(db).filter(status="READY", task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _rewrite(apps, schema_editor, MOVED)


def backwards(apps, schema_editor):
    _rewrite(apps, schema_editor, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("hr", "0001_initial"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
