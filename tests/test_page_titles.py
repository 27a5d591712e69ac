"""Every page's <title>: its own title, then the site's name, never the name twice."""

import re

import pytest
from django.urls import reverse

from courses.tests.builders import make_course
from lms.models import HomePage

pytestmark = pytest.mark.django_db


def title(response) -> str:
    assert response.status_code == 200, response.status_code
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL)
    assert match, "no <title>"
    return match[1]


def test_home_page_titled_after_the_site_names_it_once(catalog, client):
    HomePage.objects.update(title="Pimpasa LMS")
    assert title(client.get("/")) == "Pimpasa LMS"


def test_a_title_that_already_ends_with_the_site_name_is_kept(catalog, client):
    HomePage.objects.update(title="Beranda", seo_title="Pelatihan Pimpasa LMS")
    assert title(client.get("/")) == "Pelatihan Pimpasa LMS"


def test_other_pages_add_the_site_name_once(catalog, officer, client):
    HomePage.objects.update(title="Beranda")
    course = make_course(catalog=catalog, title="Pencegahan TPPO & TPPM")
    assert title(client.get("/")) == "Beranda · Pimpasa LMS"
    assert title(client.get(course.url)) == "Pencegahan TPPO &amp; TPPM · Pimpasa LMS"
    assert title(client.get(reverse("certificates:verify_form"))) == "Verifikasi sertifikat · Pimpasa LMS"
    client.force_login(officer)
    assert title(client.get(reverse("certificates:mine"))) == "Sertifikat saya · Pimpasa LMS"


def test_the_site_name_comes_from_the_settings_and_is_escaped(catalog, client, settings):
    settings.WAGTAIL_SITE_NAME = "Pimpasa <Uji>"
    HomePage.objects.update(title="Beranda")
    assert title(client.get("/")) == "Beranda · Pimpasa &lt;Uji&gt;"
