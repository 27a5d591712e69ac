"""Trainers author only their own agency's courses, never publish; reviewers approve
or reject through the workflow; role changes land in the audit log."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images.models import Image
from wagtail.models import Collection, ModelLogEntry, Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text

from courses.models import CoursePage, ModulePage
from courses.tests.builders import make_course
from courses.tests.test_admin_authoring import add_url, course_form, module_form
from lms import audit, roles
from lms.tests.factories import AgencyFactory, LegalBasisFactory, LegalProvisionFactory, UserFactory

pytestmark = pytest.mark.django_db

DENIED = "/admin/"  # Wagtail answers a refused admin action with a redirect to the dashboard


@pytest.fixture
def world(catalog):
    roles.sync_catalog(catalog=catalog)
    imi = AgencyFactory(code="IMI", short_name="Imigrasi")
    polri = AgencyFactory(code="POLRI", short_name="Polri")
    imi_course = make_course(catalog=catalog, agency=imi, title="Kursus Imigrasi", modules=1)
    law = LegalBasisFactory(code="UU-21-2007", short_name="UU 21/2007")
    return {
        "catalog": catalog,
        "agency": polri,  # for course_form()/module_form() of the Polri trainer
        "imi": imi,
        "polri": polri,
        "law": law,
        **provisions_of(law),
        "imi_course": imi_course,
        "imi_module": ModulePage.objects.child_of(imi_course).get(),
        "polri_trainer": UserFactory(username="pelatih-polri", groups=[roles.TRAINER_POLRI]),
        "imi_trainer": UserFactory(username="pelatih-imi", groups=[roles.TRAINER_IMIGRASI]),
        "reviewer": UserFactory(username="peninjau", groups=[roles.REVIEWER]),
    }


def provisions_of(law) -> dict:
    """The provisions module_form() cites and tags (courses.tests.test_admin_authoring)."""
    return {
        "pasal2_1": LegalProvisionFactory(legal_basis=law, pasal="2", ayat="1"),
        "pasal2": LegalProvisionFactory(legal_basis=law, pasal="2"),
    }


def login(client, user):
    client.force_login(user)
    return client


def edit_url(page):
    return f"/admin/pages/{page.pk}/edit/"


def page_form(page, **changes) -> dict:
    """The edit form of `page` as the admin would post it back (module or course)."""
    if isinstance(page, CoursePage):
        data = course_form(
            {"agency": page.agency, "law": LegalBasisFactory(code="UU-21-2007")}, title=page.title, slug=page.slug
        )
    else:
        law = LegalBasisFactory(code="UU-21-2007")
        data = module_form({"law": law, **provisions_of(law)}, title=page.title, slug=page.slug)
    data.update(nested_form_data(changes))
    return data


class TestTrainerConfinedToOwnAgency:
    def test_other_agency_course_and_module_cannot_be_opened_for_editing(self, client, world):
        login(client, world["polri_trainer"])
        for page in (world["imi_course"], world["imi_module"]):
            response = client.get(edit_url(page))
            assert response.status_code == 302 and response["Location"] == DENIED

    def test_other_agency_course_cannot_be_changed_by_post(self, client, world):
        login(client, world["polri_trainer"])
        course = world["imi_course"]
        revisions = course.revisions.count()
        response = client.post(edit_url(course), page_form(course, title="Diubah Polri"))
        assert response.status_code == 302 and response["Location"] == DENIED
        course.refresh_from_db()
        assert course.title == "Kursus Imigrasi"
        assert course.revisions.count() == revisions

    def test_no_module_can_be_added_under_another_agencys_course(self, client, world):
        login(client, world["polri_trainer"])
        course = world["imi_course"]
        assert client.get(add_url("modulepage", course))["Location"] == DENIED
        response = client.post(add_url("modulepage", course), module_form(world))
        assert response.status_code == 302 and response["Location"] == DENIED
        assert ModulePage.objects.child_of(course).count() == 1

    def test_course_for_another_agency_is_refused_by_the_form(self, client, world):
        login(client, world["polri_trainer"])
        response = client.post(add_url("coursepage", world["catalog"]), course_form({**world, "agency": world["imi"]}))
        assert response.status_code == 200
        assert "agency" in response.context["form"].errors
        assert not CoursePage.objects.filter(slug="pencegahan-tppo").exists()
        # and the form only offers their own agency
        form = client.get(add_url("coursepage", world["catalog"])).context["form"]
        assert list(form.fields["agency"].queryset) == [world["polri"]]

    def test_own_course_and_module_can_be_created_and_edited(self, client, world):
        login(client, world["polri_trainer"])
        assert client.post(add_url("coursepage", world["catalog"]), course_form(world)).status_code == 302
        course = CoursePage.objects.get(slug="pencegahan-tppo")
        assert client.post(add_url("modulepage", course), module_form(world)).status_code == 302
        module = ModulePage.objects.child_of(course).get()
        response = client.post(edit_url(module), page_form(module, title="Jalur Resmi (revisi)"))
        assert response.status_code == 302 and response["Location"] != DENIED
        module.refresh_from_db()
        assert module.get_latest_revision().as_object().title == "Jalur Resmi (revisi)"

    def test_another_trainer_of_the_same_agency_edits_the_course(self, client, world):
        login(client, world["imi_trainer"])
        assert client.get(edit_url(world["imi_course"])).status_code == 200
        assert client.get(edit_url(world["imi_module"])).status_code == 200
        assert client.get(add_url("modulepage", world["imi_course"])).status_code == 200

    def test_trainer_cannot_publish(self, client, world):
        login(client, world["imi_trainer"])
        module = world["imi_module"]
        live_title = module.title
        client.post(edit_url(module), {**page_form(module, title="Langsung terbit?"), "action-publish": "publish"})
        module.refresh_from_db()
        assert module.title == live_title
        assert module.live_revision_id != module.latest_revision_id

    def test_own_module_cannot_be_moved_into_another_agencys_course(self, client, world):
        login(client, world["polri_trainer"])
        client.post(add_url("coursepage", world["catalog"]), course_form(world))
        course = CoursePage.objects.get(slug="pencegahan-tppo")
        client.post(add_url("modulepage", course), module_form(world))
        module = ModulePage.objects.child_of(course).get()
        response = client.post(f"/admin/pages/{module.pk}/move/{world['imi_course'].pk}/confirm/")
        assert response.status_code == 302
        assert Page.objects.get(pk=module.pk).get_parent().pk == course.pk

    def test_trainer_uploads_only_into_their_agency_collection(self, client, world):
        login(client, world["polri_trainer"])
        own = Collection.objects.get(name="Polri")
        other = Collection.objects.get(name="Imigrasi")
        # With one collection to choose from, Wagtail offers no choice and files go there,
        # whatever collection a forged form names.
        assert "collection" not in client.get("/admin/images/add/").context["form"].fields
        png = SimpleUploadedFile("foto.png", png_bytes(), content_type="image/png")
        response = client.post("/admin/images/add/", {"title": "Foto", "file": png, "collection": other.pk})
        assert response.status_code == 302
        assert [image.collection for image in Image.objects.all()] == [own]


def png_bytes(size=(2, 2)) -> bytes:
    from io import BytesIO

    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_migrations_create_the_roles_collections_and_workflow():
    """On a freshly migrated database, before any demo data."""
    assert set(roles.ALL_GROUPS) <= set(Group.objects.values_list("name", flat=True))
    assert set(roles.AGENCY_COLLECTIONS.values()) <= set(Collection.objects.values_list("name", flat=True))
    workflow = Workflow.objects.get(name=roles.REVIEW_WORKFLOW)
    assert [t.specific.groups.get().name for t in workflow.tasks] == [roles.REVIEWER]
    assert not Group.objects.get(name=roles.TRAINER_POLRI).permissions.filter(codename__startswith="publish").exists()


def test_a_catalog_created_in_the_admin_gets_permissions_and_the_workflow(client):
    from lms.models import HomePage

    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Beranda", slug="beranda"))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        f"/admin/pages/add/courses/courseindexpage/{home.pk}/",
        nested_form_data({"title": "Katalog Baru", "slug": "katalog-baru", "intro": rich_text("")}),
    )
    assert response.status_code == 302
    catalog = Page.objects.get(slug="katalog-baru")
    assert catalog.get_workflow().name == roles.REVIEW_WORKFLOW
    assert catalog.group_permissions.filter(group__name=roles.TRAINER_POLRI, permission__codename="add_page").exists()


class TestReviewWorkflow:
    def test_the_review_workflow_exists_and_covers_the_catalog(self, world):
        workflow = Workflow.objects.get(name=roles.REVIEW_WORKFLOW)
        assert world["imi_module"].get_workflow() == workflow
        [task] = [t.specific for t in workflow.tasks]
        assert [group.name for group in task.groups.all()] == [roles.REVIEWER]

    def submit(self, client, world, title):
        login(client, world["imi_trainer"])
        module = world["imi_module"]
        response = client.post(edit_url(module), {**page_form(module, title=title), "action-submit": "submit"})
        assert response.status_code == 302
        state = WorkflowState.objects.get(object_id=str(module.pk), status="in_progress")
        client.logout()
        return module, state.current_task_state

    def act(self, client, world, module, task_state, action, **data):
        login(client, world["reviewer"])
        url = f"/admin/pages/workflow/action/{module.pk}/{action}/{task_state.pk}/"
        return client.post(url, data, headers={"x-requested-with": "XMLHttpRequest"})

    def test_reviewer_approves_and_the_change_goes_live(self, client, world):
        module, task_state = self.submit(client, world, "Judul yang disetujui")
        assert ModulePage.objects.get(pk=module.pk).title != "Judul yang disetujui"
        response = self.act(client, world, module, task_state, "approve", comment="Bagus.")
        assert response.status_code == 200, response.content
        assert ModulePage.objects.get(pk=module.pk).title == "Judul yang disetujui"

    def test_reviewer_rejects_with_a_comment_the_trainer_reads(self, client, world):
        module, task_state = self.submit(client, world, "Judul yang ditolak")
        comment = "Pasal 2 dikutip keliru; perbaiki kutipannya."
        response = self.act(client, world, module, task_state, "reject", comment=comment)
        assert response.status_code == 200, response.content
        assert ModulePage.objects.get(pk=module.pk).title != "Judul yang ditolak"
        client.logout()

        login(client, world["imi_trainer"])
        history = client.get(f"/admin/pages/{module.pk}/history/").content.decode()
        assert comment in history
        edit_page = client.get(edit_url(module)).content.decode()
        assert "Perubahan diminta" in edit_page or "Changes requested" in edit_page

    def test_trainer_of_another_agency_cannot_act_on_the_review(self, client, world):
        module, task_state = self.submit(client, world, "Judul dalam tinjauan")
        login(client, world["polri_trainer"])
        response = client.post(f"/admin/pages/workflow/action/{module.pk}/approve/{task_state.pk}/", {"comment": ""})
        assert response.status_code in {302, 403}
        assert ModulePage.objects.get(pk=module.pk).title != "Judul dalam tinjauan"


class TestRoleChangesAudited:
    def test_group_change_in_the_wagtail_admin_is_logged_with_the_actor(self, client, world):
        admin = UserFactory(username="admin-uji", is_superuser=True, is_staff=True)
        officer = UserFactory(username="petugas-uji", groups=[roles.OFFICER])
        login(client, admin)
        reviewer_group = Group.objects.get(name=roles.REVIEWER)
        before = ModelLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.post(
            f"/admin/users/edit/{officer.pk}/",
            {
                "username": officer.username,
                "email": officer.email,
                "first_name": "Uji",
                "last_name": "Petugas",
                "is_active": "on",
                "groups": [reviewer_group.pk],
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        assert set(officer.groups.values_list("name", flat=True)) == {roles.REVIEWER}
        entries = ModelLogEntry.objects.filter(object_id=str(officer.pk), action__startswith="lms.role", pk__gt=before)
        by_action = {entry.action: entry for entry in entries}
        assert by_action[audit.ROLE_ADDED].data["groups"] == roles.REVIEWER
        assert by_action[audit.ROLE_REMOVED].data["groups"] == roles.OFFICER
        assert {entry.user_id for entry in entries} == {admin.pk}

        report = client.get("/admin/reports/site-history/").content.decode()
        assert f"Peran ditambahkan ke {officer.username}: {roles.REVIEWER}" in report

    def test_superuser_flag_is_a_role_change_too(self, world):
        user = UserFactory(username="calon-admin")
        user.is_superuser = True
        user.save()
        assert ModelLogEntry.objects.filter(object_id=str(user.pk), action=audit.SUPERUSER_GRANTED).exists()


def test_wagtail_default_groups_that_would_bypass_the_agency_restriction_are_gone():
    from wagtail.models import GroupApprovalTask

    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()
    # Pages outside the catalog still go through a reviewer.
    assert all(
        task.groups.filter(name=roles.REVIEWER).exists()
        for task in GroupApprovalTask.objects.filter(name="Moderators approval")
    )
