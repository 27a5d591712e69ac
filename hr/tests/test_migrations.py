"""The HR models moved from `certificates` to `hr` by migration state alone (certificates 0009, hr 0001):
a database built before the move keeps every row, and its content types, permissions and audit-log
entries keep pointing at them; tasks queued in the database under the old module paths still run (hr 0002)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

BEFORE_THE_MOVE = [("certificates", "0008_glossary_wording")]  # unapplies certificates 0009 and hr 0001-0002
TABLES = ["certificates_exportjob", "certificates_bulkverification", "certificates_officerimport"]
MODELS = ["exportjob", "bulkverification", "officerimport"]
OLD_PATHS = ["lms.tasks.officer_invitations_send", "certificates.hr.tasks.export_xlsx_build"]


def migrate_to(targets=None):
    """Migrate to `targets` (all leaf nodes when None); the historical apps at that point."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # starts from what the migrations created
def test_rows_content_types_permissions_log_entries_and_queued_tasks_survive_the_move():
    try:
        old = migrate_to(BEFORE_THE_MOVE)
        ContentType = old.get_model("contenttypes", "ContentType")
        User = old.get_model("auth", "User")
        hr_user = User.objects.create(username="sdm-migration", is_superuser=True)
        Agency = old.get_model("lms", "Agency")
        Program = old.get_model("certificates", "Program")
        program = Program.objects.create(
            code="PDP", slug="pdp", title="Program Dasar",
            agency=Agency.objects.create(code="IMI", name="Imigrasi", short_name="Imigrasi"),
        )
        job = old.get_model("certificates", "ExportJob").objects.create(created_by=hr_user, format="csv", status="done")
        old.get_model("certificates", "BulkVerification").objects.create(
            created_by=hr_user, program=program, subject_title=program.title, results=[], counts={}
        )
        old.get_model("certificates", "OfficerImport").objects.create(
            created_by=hr_user, file="hr/imports/x.csv", filename="x.csv", sha256="0" * 64
        )
        export_type = ContentType.objects.get_or_create(app_label="certificates", model="exportjob")[0]
        old.get_model("wagtailcore", "ModelLogEntry").objects.create(
            content_type=export_type, object_id=str(job.pk), label="Ekspor", action="hr.export",
            timestamp=timezone.now(), user_id=hr_user.pk, data={},
        )
        queued = {  # django-tasks-db's own table, unchanged by the move
            path: DBTaskResult.objects.create(
                task_path=path, status="READY", args_kwargs={"args": [], "kwargs": {}}, backend_name="default",
                run_after=timezone.now(),
            ).pk
            for path in OLD_PATHS
        }
        finished = DBTaskResult.objects.create(
            task_path=OLD_PATHS[0], status="SUCCESSFUL", args_kwargs={"args": [], "kwargs": {}},
            backend_name="default", run_after=timezone.now(),
        ).pk
        before = {table: count(table) for table in TABLES}
        types_before = dict(ContentType.objects.filter(model__in=MODELS).values_list("model", "pk"))
        permissions_before = count("auth_permission")

        new = migrate_to()

        assert {table: count(table) for table in TABLES} == before == dict.fromkeys(TABLES, 1)
        ContentType = new.get_model("contenttypes", "ContentType")
        assert dict(ContentType.objects.filter(app_label="hr").values_list("model", "pk")) == types_before
        assert not ContentType.objects.filter(app_label="certificates", model__in=MODELS).exists()
        assert count("auth_permission") == permissions_before
        entry = new.get_model("wagtailcore", "ModelLogEntry").objects.get(action="hr.export")
        assert (entry.content_type.app_label, entry.object_id) == ("hr", str(job.pk))
        assert new.get_model("hr", "ExportJob").objects.get().pk == job.pk
        # Queued tasks now name the moved functions, and a worker can import them; history is left as it was.
        paths = dict(DBTaskResult.objects.filter(pk__in=queued.values()).values_list("pk", "task_path"))
        assert paths == {
            queued[OLD_PATHS[0]]: "hr.tasks.officer_invitations_send",
            queued[OLD_PATHS[1]]: "hr.tasks.export_xlsx_build",
        }
        assert {import_string(path).name for path in paths.values()} == {"officer_invitations_send", "export_xlsx_build"}
        assert DBTaskResult.objects.get(pk=finished).task_path == OLD_PATHS[0]
    finally:
        migrate_to()  # leave the schema as every other test expects it
