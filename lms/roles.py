"""The platform's roles as Django groups, and the permissions each one holds.

Group names are stable identifiers used in code and data migrations; their
display is translated in templates. Every `sync_*` function is idempotent; they
run from data migrations (with historical models, `apps=`) and again from
`seed_demo` and from the course save hook (with the real models).

How a trainer is confined to their agency (README "Roles and security"):
- On the catalog, trainer groups hold only `add_page`: enough to create a course.
- On each course, the trainer group of the course's agency holds `add_page` and
  `change_page` (`sync_course_permissions`, run whenever a course is saved), so
  that group edits the course and adds/edits its modules.
- Wagtail lets a permission flow down the whole tree, so the catalog's `add_page`
  would also reach into other agencies' courses; `courses.permissions` stops it
  at the course boundary, on the server, for every admin view.
- No trainer group holds `publish_page` anywhere: changes go live through the
  review workflow (`sync_review_workflow`), which the Reviewer group approves.
- Images and documents: each trainer group adds, edits and chooses in its own
  agency's collection only; reviewers choose from all.
"""

from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _

from lms.models import Agency

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

# The image/document collection of each agency, by agency code.
AGENCY_COLLECTIONS = {"IMI": "Imigrasi", "BP2MI": "BP2MI", "POLRI": "Polri"}

REVIEW_WORKFLOW = "Tinjauan materi kursus"
REVIEW_TASK = "Persetujuan peninjau"

# Model permissions per role, as "app_label.codename". Image and document rights are
# not here: Wagtail grants those per collection (COLLECTION_PERMISSIONS).
# Law (README "The law changes"): trainers edit a provision's wording and heading and see the
# recorded changes; reviewers also add provisions and legal bases and record changes (which
# applies them). Nobody but an administrator deletes them or edits a change once recorded.
_LAW_TRAINER = ["lms.view_legalprovision", "lms.change_legalprovision", "lms.view_legalchange"]
_LAW_REVIEWER = [
    *_LAW_TRAINER,
    "lms.add_legalprovision",
    "lms.add_legalchange",
    "lms.add_legalbasis",
    "lms.change_legalbasis",
]
MODEL_PERMISSIONS = {
    OFFICER: [],
    TRAINER_IMIGRASI: ["wagtailadmin.access_admin", *_LAW_TRAINER],
    TRAINER_BP2MI: ["wagtailadmin.access_admin", *_LAW_TRAINER],
    TRAINER_POLRI: ["wagtailadmin.access_admin", *_LAW_TRAINER],
    REVIEWER: ["wagtailadmin.access_admin", *_LAW_REVIEWER],
    HR: [],
}

_MEDIA_AUTHORING = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]
_MEDIA_CHOOSING = ["wagtailimages.choose_image", "wagtaildocs.choose_document"]

# Page permissions on the catalog (and, by Wagtail's rules, below it).
CATALOG_PERMISSIONS = {
    TRAINER_IMIGRASI: ["add_page"],
    TRAINER_BP2MI: ["add_page"],
    TRAINER_POLRI: ["add_page"],
    REVIEWER: ["change_page", "publish_page"],
}
# Page permissions of the agency's trainer group on each of its courses.
COURSE_PERMISSIONS = ["add_page", "change_page"]


def _models(apps):
    return global_apps if apps is None else apps


def _permission(apps, dotted):
    app_label, codename = dotted.split(".")
    return (
        _models(apps)
        .get_model("auth", "Permission")
        .objects.filter(content_type__app_label=app_label, codename=codename)
        .first()
    )


def _page_permission(apps, codename):
    return _permission(apps, f"wagtailcore.{codename}")


def sync_role_permissions(*, apps=None) -> None:
    """Create the groups, set their model permissions and their collection permissions."""
    apps = _models(apps)
    Group = apps.get_model("auth", "Group")
    for name in ALL_GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set([p for p in (_permission(apps, d) for d in MODEL_PERMISSIONS[name]) if p is not None])
    sync_collection_permissions(apps=apps)


def _child_collection(apps, root, name):
    """The collection `name` directly under the root, created if missing.

    Paths are written by hand (treebeard's add_child is not available on the
    historical models a migration gets)."""
    Collection = apps.get_model("wagtailcore", "Collection")
    existing = Collection.objects.filter(depth=root.depth + 1, path__startswith=root.path, name=name).first()
    if existing:
        return existing
    last = Collection.objects.filter(depth=root.depth + 1, path__startswith=root.path).order_by("-path").first()
    steplen = 4
    number = int(last.path[-steplen:], 36) + 1 if last else 1
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = alphabet[digit] + step
    collection = Collection.objects.create(
        name=name, depth=root.depth + 1, path=root.path + step.rjust(steplen, "0"), numchild=0
    )
    Collection.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    root.numchild += 1
    return collection


def sync_collection_permissions(*, apps=None) -> None:
    """One collection per agency; its trainers author there, reviewers choose everywhere."""
    apps = _models(apps)
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    wanted = {REVIEWER: [(root, _MEDIA_CHOOSING)]}
    for code, group_name in TRAINER_GROUPS.items():
        wanted[group_name] = [(_child_collection(apps, root, AGENCY_COLLECTIONS[code]), _MEDIA_AUTHORING)]
    for group_name, grants in wanted.items():
        group = Group.objects.get(name=group_name)
        keep = set()
        for collection, dotted_names in grants:
            for dotted in dotted_names:
                permission = _permission(apps, dotted)
                row, _created = GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
                keep.add(row.pk)
        GroupCollectionPermission.objects.filter(group=group).exclude(pk__in=keep).delete()


def sync_catalog_permissions(*, catalog, apps=None) -> None:
    """Set the catalog-level page permissions of every managed group, exactly."""
    apps = _models(apps)
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for name, codenames in CATALOG_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        permissions = [_page_permission(apps, codename) for codename in codenames]
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page_id=catalog.pk, permission=permission)
        GroupPagePermission.objects.filter(group=group, page_id=catalog.pk).exclude(
            permission__in=permissions
        ).delete()


def sync_course_permissions(*, course, apps=None) -> None:
    """Give the course's agency trainers add/change on it; take them from any other trainer group."""
    apps = _models(apps)
    Group = apps.get_model("auth", "Group")
    Agency = apps.get_model("lms", "Agency")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    code = Agency.objects.filter(pk=course.agency_id).values_list("code", flat=True).first()
    owner_group = Group.objects.filter(name=TRAINER_GROUPS.get(code, "")).first()
    GroupPagePermission.objects.filter(page_id=course.pk, group__name__in=TRAINER_GROUPS.values()).exclude(
        group=owner_group
    ).delete()
    if owner_group is not None:
        for codename in COURSE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=owner_group, page_id=course.pk, permission=_page_permission(apps, codename)
            )


def sync_review_workflow(*, catalog=None, apps=None):
    """The review workflow (one task: the Reviewer group approves), assigned to the catalog."""
    apps = _models(apps)
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        content_type, _created = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=REVIEW_TASK, content_type=content_type, active=True)
    task.groups.set([Group.objects.get(name=REVIEWER)])
    workflow, _created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    if catalog is not None:
        WorkflowPage.objects.update_or_create(page_id=catalog.pk, defaults={"workflow": workflow})
    return workflow


def sync_catalog(*, catalog, apps=None) -> None:
    """Everything a catalog needs: groups, catalog and course permissions, the workflow."""
    apps = _models(apps)
    sync_role_permissions(apps=apps)
    sync_catalog_permissions(catalog=catalog, apps=apps)
    sync_review_workflow(catalog=catalog, apps=apps)
    CoursePage = apps.get_model("courses", "CoursePage")
    prefix, depth = catalog.path, catalog.depth + 1
    for course in CoursePage.objects.filter(path__startswith=prefix, depth=depth).only("pk", "agency_id"):
        sync_course_permissions(course=course, apps=apps)


# Roles that never enter the Wagtail admin: pages skip the admin-permission check (two queries) for them.
ROLES_WITHOUT_ADMIN = frozenset(
    name for name, permissions in MODEL_PERMISSIONS.items() if "wagtailadmin.access_admin" not in permissions
)


def group_names(user) -> frozenset[str]:
    """The user's group names, read in one query and kept on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_group_names", None)
    if cached is None:
        cached = user._group_names = frozenset(user.groups.values_list("name", flat=True))
    return cached


def may_enter_admin(user) -> bool:
    """Whether pages should offer this user Wagtail's user bar (edit this page, go to the admin).

    Officers and HR, the roles without admin access, are answered from their group names
    alone; anyone else (trainers, reviewers, superusers, custom groups) by Wagtail's own
    permission check.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    names = group_names(user)
    if names and names <= ROLES_WITHOUT_ADMIN:
        return False
    return user.has_perm("wagtailadmin.access_admin")


def is_hr(user) -> bool:
    """HR or superuser: who may enter /hr/ and sees every certificate; the group names are read once per request."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or HR in group_names(user)


def agencies_for_user(user):
    """Agencies whose courses `user` may author: trainers their own, reviewers and admins all."""
    agencies = Agency.objects.order_by("short_name")
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(agencies)
    names = {group.name for group in user.groups.all()}
    if REVIEWER in names:
        return list(agencies)
    return list(agencies.filter(code__in=[code for code, group in TRAINER_GROUPS.items() if group in names]))


def on_course_saved(sender, instance, raw=False, **kwargs):
    """post_save wiring (courses.apps): whoever saves a course — admin form, publish, copy,
    seed — its agency's trainers get its page permissions, the others lose them."""
    if not raw:
        sync_course_permissions(course=instance)
