"""The Wagtail admin as trainers and reviewers meet it: no third-party avatars,
Indonesian throughout, and only the actions each role may take."""

import hashlib
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.users.models import UserProfile

from courses.models import ModulePage
from courses.tests.builders import make_course
from lms import roles
from lms.tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_world(catalog):
    """An Imigrasi course whose module a trainer has submitted for review."""
    roles.sync_catalog(catalog=catalog)
    course = make_course(catalog=catalog, agency=AgencyFactory(code="IMI"), modules=1)
    module = ModulePage.objects.child_of(course).get()
    trainer = UserFactory(username="pelatih", groups=[roles.TRAINER_IMIGRASI])
    reviewer = UserFactory(username="peninjau", groups=[roles.REVIEWER])
    revision = module.save_revision(user=trainer)
    module.get_workflow().start(module, trainer)
    task_state = module.current_workflow_task_state
    return {
        "course": course,
        "module": module,
        "trainer": trainer,
        "reviewer": reviewer,
        "revision": revision,
        "task_state": task_state,
    }


def admin_urls(world, role: str) -> list[str]:
    """The admin screens a trainer or a reviewer works in."""
    course, module, task_state = world["course"], world["module"], world["task_state"]
    urls = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[course.pk]),
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        reverse("wagtailadmin_pages:history", args=[module.pk]),
        reverse("wagtailadmin_pages:workflow_history", args=[module.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[module.pk, "live", world["revision"].pk]),
        reverse("wagtailadmin_pages:search") + "?q=modul",
        reverse("wagtailadmin_account"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("quiz_statistics"),
    ]
    if role == "trainer":
        urls += [
            reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk]),
            # What a trainer opens while writing a lesson: choosers and uploads.
            reverse("wagtailimages_chooser:choose"),
            reverse("wagtaildocs_chooser:choose"),
            reverse("wagtailadmin_choose_page"),
            reverse("wagtailimages:index"),
            reverse("wagtailimages:add_multiple"),
            reverse("wagtaildocs:add_multiple"),
        ]
    else:
        urls.append(reverse("wagtailadmin_pages:workflow_action", args=[module.pk, "reject", task_state.pk]))
    return urls


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("role", ["trainer", "reviewer"])
def test_no_admin_page_sends_the_users_email_hash_to_gravatar(client, admin_world, role):
    user = admin_world[role]
    email_hash = hashlib.md5(user.email.lower().encode()).hexdigest()
    pages = {reverse("wagtailadmin_login"): get_ok(client, reverse("wagtailadmin_login"))}
    client.force_login(user)
    pages |= {url: get_ok(client, url) for url in admin_urls(admin_world, role)}
    for url, html in pages.items():
        assert "gravatar" not in html.lower(), url
        assert email_hash not in html, url


def bulk_actions(client, user, url) -> dict[str, str]:
    """The page listing's bulk action buttons: action type -> label."""
    client.force_login(user)
    soup = BeautifulSoup(get_ok(client, url), "html.parser")
    return {
        button["href"].rstrip("/").rsplit("/", 1)[-1]: button["aria-label"]
        for button in soup.select(".bulk-actions-buttons [data-bulk-action-button]")
    }


def test_trainers_are_not_offered_bulk_publishing_reviewers_and_admins_are(client, admin_world):
    course = admin_world["course"]
    listings = [
        reverse("wagtailadmin_explore", args=[course.pk]),
        reverse("wagtailadmin_explore", args=[course.get_parent().pk]),
        reverse("wagtailadmin_pages:search") + "?q=modul",
    ]
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    for url in listings:
        trainer = bulk_actions(client, admin_world["trainer"], url)
        assert "publish" not in trainer and "unpublish" not in trainer, url
        assert "Publish selected pages" not in str(trainer.values()), url
        for user in (admin_world["reviewer"], admin):
            actions = bulk_actions(client, user, url)
            assert {"publish", "unpublish"} <= actions.keys(), (url, user)



# English that trainers and reviewers met on these screens before the admin catalogue
# (locale/wagtail/id/) filled what Wagtail's own Indonesian lacks.
KNOWN_ENGLISH = [
    "Username",
    "Password",
    "Forgotten password?",
    "Remember me",
    "Reports",
    "Workflows",
    "Workflow tasks",
    "Site history",
    "Aging pages",
    "Help",
    "Editor Guide",
    "Toggle sidebar",
    "Autosave is paused",
    "Toggle preview",
    "Toggle comments",
    "Comments",
    "Checks",
    "Content metrics",
    "More actions",
    "Request changes",
    "Approve with comment",
    "Workflow history",
    "Requested by",
    "Bulk actions",
    "Publish selected pages",
    "Move selected pages",
    "Filter by",
    "Page type",
    "Sort by",
    "Owner",
    "View history",
    "Privacy and access",
    "Download XLSX",
    "Keyboard shortcuts",
    "just now",
    "Maximum filesize",
    "You haven't uploaded any images.",
]


def english_on(html: str) -> list[str]:
    """The known English phrases in a page: its text, attributes and embedded JSON."""
    return [phrase for phrase in KNOWN_ENGLISH if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", html)]


@pytest.mark.parametrize("preference", [None, "id"], ids=["browser-default", "chose-indonesian"])
def test_admin_screens_speak_indonesian_to_trainers_and_reviewers(client, admin_world, preference):
    pages = {"login": get_ok(client, reverse("wagtailadmin_login"))}
    for role in ("trainer", "reviewer"):
        user = admin_world[role]
        if preference:
            UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": preference})
        client.force_login(user)
        pages |= {f"{role} {url}": get_ok(client, url) for url in admin_urls(admin_world, role)}
    found = {name: english for name, html in pages.items() if (english := english_on(html))}
    assert found == {}
    # The reviewer's workflow actions say what they do in Indonesian.
    edit = pages[f"reviewer {reverse('wagtailadmin_pages:edit', args=[admin_world['module'].pk])}"]
    assert "Minta perubahan" in edit and "Setujui dengan komentar" in edit


def test_the_admin_javascript_catalogue_is_indonesian(client, admin_world):
    client.force_login(admin_world["trainer"])
    catalogue = client.get("/admin/jsi18n/").content.decode()
    for english, indonesian in [("Collapse all", "Ciutkan semua"), ("Autosave in progress\\u2026", "Menyimpan otomatis\\u2026")]:
        assert f'"{english}": "{indonesian}"' in catalogue
