"""Retire Wagtail's default "Editors" and "Moderators" groups.

Wagtail creates them with add/change/publish rights on the whole page tree and
every collection. A trainer put into one of them by mistake would escape the
agency restriction (lms/page_permissions.py) and could publish without review,
so the project's own groups (lms/roles.py) replace them. Groups that already
have members are left alone, so an existing installation loses nobody's access
silently; the default "Moderators approval" task is given to the Reviewer group,
so pages outside the catalog (the home page) are still reviewed by reviewers.
"""

from django.db import migrations

DEFAULT_GROUPS = ("Editors", "Moderators")
REVIEWER = "Reviewer"


def retire(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    reviewer = Group.objects.filter(name=REVIEWER).first()
    for task in GroupApprovalTask.objects.filter(groups__name="Moderators"):
        if reviewer is not None:
            task.groups.add(reviewer)
    for group in Group.objects.filter(name__in=DEFAULT_GROUPS):
        if not group.user_set.exists():
            group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0003_agency_permissions_and_review"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
