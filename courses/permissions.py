"""Keep trainers inside their own agency's courses (see lms/roles.py for the grants).

Wagtail page permissions flow down the tree: `add_page` on the catalog, which a
trainer needs to create a course, would also let them add modules to — and then
edit their own modules in — any other agency's course. Wagtail calls
`Page.permissions_for_user()` for every admin action (edit, add, move, copy,
delete, publish, workflow), and allows page classes to override it; CoursePage and
ModulePage do, through `CourseScopedPermissionsMixin`, and the tester below drops
an `add` granted *above* the course. Inside a course only grants on the course
itself count (its agency's trainer group; reviewers' change/publish on the
catalog are unaffected).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import PagePermissionTester

from courses.tree import course_path_of
from lms.roles import agencies_for_user


class CourseScopedPermissionTester(PagePermissionTester):
    def __init__(self, user, page, *, course_path):
        super().__init__(user, page)
        if user.is_active and not user.is_superuser:
            self.permissions = {
                perm.permission.codename.rsplit("_", maxsplit=1)[0]
                for perm in self.permission_policy.get_cached_permissions_for_user(user)
                if page.path.startswith(perm.page.path)
                and not (perm.permission.codename == "add_page" and len(perm.page.path) < len(course_path))
            }

    def can_copy(self):
        # A copy is a new page with the same agency; copy only what you may edit.
        return super().can_copy() and self.can_edit()


class CourseScopedPermissionsMixin:
    """For CoursePage (the course is the page) and ModulePage (the course is the parent)."""

    def course_path(self) -> str:
        """The tree path of the course this page belongs to; CoursePage answers its own."""
        return course_path_of(self)

    def permissions_for_user(self, user):
        return CourseScopedPermissionTester(user, self, course_path=self.course_path())


class AgencyScopedPageForm(WagtailAdminPageForm):
    """The course form offers only the agencies the editor may author for, and refuses others."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "agency" in self.fields:
            allowed = agencies_for_user(self.for_user)
            self.fields["agency"].queryset = self.fields["agency"].queryset.filter(pk__in=[a.pk for a in allowed])
            self._allowed_agency_ids = {agency.pk for agency in allowed}

    def clean_agency(self):
        agency = self.cleaned_data.get("agency")
        allowed = getattr(self, "_allowed_agency_ids", None)
        if agency is not None and allowed is not None and agency.pk not in allowed:
            raise ValidationError(_("Anda hanya dapat menyusun kursus untuk instansi Anda sendiri."))
        return agency
