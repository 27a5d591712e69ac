"""Bahasa Indonesia first, English second: catalogues, switching, formats, admin language."""

import datetime
import re
import shutil
from pathlib import Path

import polib
import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from courses.services import enrollment_create
from courses.tests.builders import make_course
from lms import roles
from lms.tests.factories import UserFactory
from lms.tests.requirements import missing

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = [LOCALE / language / "LC_MESSAGES" / "django.po" for language in ("id", "en")]


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def current_language_button(soup) -> str:
    return soup.select_one(".lang-switch button[aria-current]")["value"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(path):
    catalogue = polib.pofile(str(path))
    assert len(catalogue) > 100
    assert not catalogue.metadata_is_fuzzy
    assert [entry.msgid for entry in catalogue if "fuzzy" in entry.flags and not entry.obsolete] == []
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []


def test_catalogues_hold_the_same_messages_with_the_same_placeholders():
    indonesian, english = (polib.pofile(str(path)) for path in CATALOGUES)
    assert {entry.msgid for entry in indonesian} == {entry.msgid for entry in english}
    for entry in english:
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            # A lost or renamed %(name)s placeholder would crash or garble the English page.
            assert sorted(polib.re.findall(r"%\(\w+\)[sd]", text)) == sorted(
                polib.re.findall(r"%\(\w+\)[sd]", entry.msgid)
            ), entry.msgid


def test_catalogues_hold_every_string_in_the_source(tmp_path, monkeypatch, settings):
    """Fails when someone adds a string without `make messages`: run it, translate
    the new English entries, commit both .po files."""
    if not shutil.which("xgettext"):
        missing("GNU gettext's xgettext (.ci/install-system-deps)")
    for name in ("lms", "courses", "certificates", "hr", "api", "demo", "templates"):
        shutil.copytree(
            Path(settings.BASE_DIR) / name, tmp_path / name, ignore=shutil.ignore_patterns("tests", "__pycache__")
        )
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["en"], verbosity=0)
    in_source = {entry.msgid for entry in polib.pofile(str(tmp_path / "locale/en/LC_MESSAGES/django.po"))}
    in_catalogue = {entry.msgid for entry in polib.pofile(str(CATALOGUES[1])) if not entry.obsolete}
    assert sorted(in_source - in_catalogue) == [], "run `make messages` and translate the new English entries"
    assert sorted(in_catalogue - in_source) == [], "run `make messages` to drop strings the source no longer has"


def test_indonesian_is_the_default(catalog, client):
    soup = page(client.get(catalog.url))
    assert soup.html["lang"] == "id"
    assert soup.select_one("nav .nav").get_text(" ", strip=True) == "Katalog Masuk"
    assert current_language_button(soup) == "id"


def test_a_browser_asking_for_english_gets_english(catalog, client):
    soup = page(client.get(catalog.url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))
    assert soup.html["lang"] == "en"
    assert soup.select_one("nav .nav").get_text(" ", strip=True) == "Catalogue Log in"
    assert soup.select_one(".skip-link").get_text() == "Skip to content"
    assert soup.select_one("button[type=submit].button").get_text() == "Apply"
    assert current_language_button(soup) == "en"


def test_language_switcher_changes_the_language_and_returns_to_the_page(catalog, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": catalog.url})
    assert response.status_code == 302
    assert response["Location"] == catalog.url
    soup = page(client.get(catalog.url))
    assert soup.html["lang"] == "en"
    assert current_language_button(soup) == "en"
    assert "Filter courses" in soup.select_one("form.filters")["aria-label"]

    client.post(reverse("set_language"), {"language": "id", "next": catalog.url})
    assert page(client.get(catalog.url)).html["lang"] == "id"


def test_language_switcher_is_on_every_page_and_names_languages_in_their_own_language(catalog, officer, client):
    course = make_course(catalog=catalog, modules=1)
    enrollment_create(user=officer, course=course)
    module = course.get_children().first()
    anonymous = [catalog.get_parent().url, catalog.url, course.url, reverse("login")]
    for path in anonymous + [module.url, reverse("my_learning")]:
        if path == module.url:
            client.force_login(officer)
        soup = page(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))
        buttons = soup.select(".lang-switch button")
        assert [(button["value"], button.get_text(" ", strip=True)) for button in buttons] == [
            ("id", "ID Bahasa Indonesia"),
            ("en", "EN English"),
        ], path
        assert soup.select_one(".lang-switch input[name=next]")["value"] == path


def test_course_page_in_english(catalog, client):
    course = make_course(catalog=catalog, modules=2, duration_minutes=90, lesson_hours=2)
    soup = page(client.get(course.url, HTTP_ACCEPT_LANGUAGE="en"))
    facts = soup.select_one("dl.facts").get_text(" ", strip=True)
    assert "Estimated duration 90 minutes" in facts
    assert "Lesson hours 2 lesson hours" in facts
    assert soup.find("h2", string="Modules")
    assert soup.select_one("a.button").get_text() == "Log in to enrol"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "23 November 2026 | 23 November 2026, 09.05 | 83,33 | 1.234.567"),
        ("en", "23 November 2026 | 23 November 2026, 09:05 | 83.33 | 1,234,567"),
    ],
)
def test_dates_and_numbers_follow_the_language(language, expected):
    template = Template(
        '{% load humanize %}{{ day|date }} | {{ moment|date:"DATETIME_FORMAT" }} | '
        '{{ score|floatformat:"-2" }} | {{ count|intcomma }}'
    )
    context = Context(
        {"day": datetime.date(2026, 11, 23), "moment": datetime.datetime(2026, 11, 23, 9, 5), "score": 83.3333}
        | {"count": 1234567}
    )
    with translation.override(language):
        assert template.render(context) == expected


def test_my_learning_shows_the_completion_date_in_indonesian(catalog, officer, client):
    enrollment = enrollment_create(user=officer, course=make_course(catalog=catalog, modules=1))
    completed = timezone.make_aware(datetime.datetime(2026, 11, 23, 10, 0))
    type(enrollment).objects.filter(pk=enrollment.pk).update(completed_at=completed)
    client.force_login(officer)
    assert "Selesai · 23 November 2026" in page(client.get(reverse("my_learning"))).get_text()
    text = page(client.get(reverse("my_learning"), HTTP_ACCEPT_LANGUAGE="en")).get_text()
    assert "Completed · 23 November 2026" in text


def test_login_errors_in_english(catalog, client):
    soup = page(
        client.post(reverse("login"), {"username": "siapa", "password": "salah-sekali"}, HTTP_ACCEPT_LANGUAGE="en")
    )
    alert = soup.select_one("[role=alert]")
    assert alert.p.get_text() == "Please check the following:"
    assert alert.li.get_text().startswith("Wrong username or password.")


@pytest.fixture
def trainer(db):
    return UserFactory(username="pelatih", groups=[roles.TRAINER_IMIGRASI])


@pytest.mark.parametrize(
    ("preference", "dashboard", "lang"),
    [(None, "Dasbor", "id"), ("id", "Dasbor", "id"), ("en", "Dashboard", "en")],
)
def test_wagtail_admin_speaks_the_trainers_chosen_language(trainer, client, preference, dashboard, lang):
    if preference:
        UserProfile.objects.update_or_create(user=trainer, defaults={"preferred_language": preference})
    client.force_login(trainer)
    soup = page(client.get(reverse("wagtailadmin_home")))
    assert soup.html["lang"] == lang
    assert soup.find("title").get_text(strip=True).startswith(dashboard)


def test_trainer_can_choose_indonesian_or_english_in_the_admin(trainer, client):
    client.force_login(trainer)
    soup = page(client.get(reverse("wagtailadmin_account")))
    options = {option["value"] for option in soup.select("select[name='locale-preferred_language'] option")}
    assert {"id", "en"} <= options


def test_login_field_errors_are_summarised_announced_and_linked_to_their_fields(catalog, client):
    soup = page(client.post(reverse("login"), {"username": "", "password": ""}))
    alert = soup.select_one("[role=alert]")
    assert alert.has_attr("autofocus") and alert["tabindex"] == "-1"
    links = alert.select("a")
    # Each entry names its field, so two identical messages are still told apart.
    texts = [" ".join(link.get_text().split()) for link in links]
    labels = [soup.find("label", attrs={"for": link["href"][1:]}).get_text(strip=True).rstrip(":") for link in links]
    assert texts == [f"{label}: Kolom ini harus diisi." for label in labels]
    assert len(set(texts)) == 2
    for link in links:
        field = soup.select_one(link["href"])
        assert field["aria-invalid"] == "true"
        assert " ".join(soup.find(id=field["aria-describedby"]).get_text().split()) == "Kolom ini harus diisi."


# --- The Wagtail admin's Indonesian (locale/wagtail/, tools/i18n.py says why it is apart) ---

WAGTAIL_CATALOGUES = sorted((LOCALE / "wagtail" / "id" / "LC_MESSAGES").glob("*.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def wagtail_english_msgids(domain: str) -> set[str]:
    import wagtail

    root = Path(wagtail.__file__).parent
    return {entry.msgid for path in root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po") for entry in polib.pofile(str(path))}


def test_the_admin_catalogues_exist_and_are_served_with_the_projects():
    assert [path.name for path in WAGTAIL_CATALOGUES] == ["django.po", "djangojs.po"]
    assert LOCALE / "wagtail" in [Path(path) for path in settings.LOCALE_PATHS]


@pytest.mark.parametrize("path", WAGTAIL_CATALOGUES, ids=lambda path: path.stem)
def test_admin_catalogue_translates_wagtails_own_strings_keeping_their_placeholders(path):
    catalogue = polib.pofile(str(path))
    assert len(catalogue) > 40
    assert [entry.msgid for entry in catalogue if "fuzzy" in entry.flags or not entry.translated()] == []
    # A msgid Wagtail no longer has is dead weight: re-check the strings after a Wagtail upgrade.
    assert sorted({entry.msgid for entry in catalogue} - wagtail_english_msgids(path.stem)) == []
    for entry in catalogue:
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            expected = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
            assert set(PLACEHOLDER.findall(text)) <= expected, entry.msgid
            assert set(PLACEHOLDER.findall(entry.msgid)) <= set(PLACEHOLDER.findall(text)) or entry.msgid_plural, (
                entry.msgid
            )


def test_fill_id_leaves_the_admin_catalogues_alone(tmp_path, monkeypatch):
    """fill-id copies msgid into msgstr for Indonesian: done to Wagtail's English msgids,
    it would put the English back on every admin screen."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("i18n_tool", Path(settings.BASE_DIR) / "tools" / "i18n.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    shutil.copytree(LOCALE, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "LOCALE", tmp_path / "locale")
    monkeypatch.setattr(tool, "WAGTAIL_LOCALE", tmp_path / "locale" / "wagtail")
    tool.fill_source_language()
    for path in WAGTAIL_CATALOGUES:
        assert (tmp_path / "locale" / "wagtail" / "id" / "LC_MESSAGES" / path.name).read_text() == path.read_text()
    assert str(tmp_path / "locale" / "wagtail" / "id" / "LC_MESSAGES" / "django.po") in map(str, tool.all_catalogues())
