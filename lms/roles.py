"""The platform's roles as Django groups, and the permissions each one holds.

Group names are stable identifiers used in code and data migrations; their
display is translated in templates. `sync_role_permissions` is idempotent and
runs from a data migration and again from `seed_demo` (page permissions need
the catalog page, which exists only once content is there).
"""

from django.utils.translation import gettext_lazy as _

OFFICER = "Officer"
TRAINER_IMIGRASI = "Trainer Imigrasi"
TRAINER_BP2MI = "Trainer BP2MI"
TRAINER_POLRI = "Trainer Polri"
REVIEWER = "Reviewer"
HR = "HR"

TRAINER_GROUPS = {"IMI": TRAINER_IMIGRASI, "BP2MI": TRAINER_BP2MI, "POLRI": TRAINER_POLRI}
ALL_GROUPS = [OFFICER, TRAINER_IMIGRASI, TRAINER_BP2MI, TRAINER_POLRI, REVIEWER, HR]

LABELS = {
    OFFICER: _("Petugas"),
    TRAINER_IMIGRASI: _("Pelatih Imigrasi"),
    TRAINER_BP2MI: _("Pelatih BP2MI"),
    TRAINER_POLRI: _("Pelatih Polri"),
    REVIEWER: _("Peninjau"),
    HR: _("SDM"),
}

# Model permissions per role, as "app_label.codename".
_TRAINER_MODEL_PERMS = [
    "wagtailadmin.access_admin",
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
MODEL_PERMISSIONS = {
    OFFICER: [],
    TRAINER_IMIGRASI: _TRAINER_MODEL_PERMS,
    TRAINER_BP2MI: _TRAINER_MODEL_PERMS,
    TRAINER_POLRI: _TRAINER_MODEL_PERMS,
    REVIEWER: ["wagtailadmin.access_admin", "wagtailimages.choose_image", "wagtaildocs.choose_document"],
    HR: [],
}

# Page permissions on the course catalog and everything below it.
PAGE_PERMISSIONS = {
    TRAINER_IMIGRASI: ["add_page", "change_page"],
    TRAINER_BP2MI: ["add_page", "change_page"],
    TRAINER_POLRI: ["add_page", "change_page"],
    REVIEWER: ["add_page", "change_page", "publish_page"],
}


def sync_role_permissions(*, apps=None) -> None:
    """Create the groups and (re)grant their permissions. Safe to run any number of times."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in ALL_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in MODEL_PERMISSIONS.get(name, []):
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)


def sync_page_permissions(*, catalog) -> None:
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    for name, codenames in PAGE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        for codename in codenames:
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=catalog, permission=permission)
