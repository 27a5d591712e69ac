"""The site's own error pages: in the site's frame, Indonesian first and English beneath.

The 500 page renders when the database is what failed (no query, no context processor)."""

from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import path

from lms import urls as site_urls

pytestmark = pytest.mark.django_db

handler500 = "lms.errors.server_error"


def boom(request):
    raise RuntimeError("a bug")


def database_down(request):
    connection.ensure_connection()  # what any query does first
    raise AssertionError("unreachable")


urlpatterns = [path("uji/galat/", boom), path("uji/basis-data/", database_down), *site_urls.urlpatterns]


def assert_site_page(body: str, indonesian: str, english: str):
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert indonesian in body and english in body
    assert body.index(indonesian) < body.index(english), "Indonesian comes first"
    assert 'lang="en"' in body
    assert "DEBUG" not in body and "Django" not in body


def test_unknown_address_gets_the_sites_404(client, catalog):
    response = client.get("/tidak-ada-halaman-seperti-ini/")
    assert response.status_code == 404
    assert_site_page(response.content.decode(), "Halaman tidak ditemukan", "Page not found")


def test_officer_opening_hr_gets_the_sites_403(client, officer):
    client.force_login(officer)
    response = client.get("/hr/")
    assert response.status_code == 403
    body = response.content.decode()
    assert_site_page(body, "Akses ditolak", "Access denied")
    assert "403 Forbidden" not in body


def test_form_without_csrf_token_gets_the_sites_page_without_debug_advice(catalog):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "siapa", "password": "apa-saja-0123"})
    assert response.status_code == 403
    body = response.content.decode()
    assert_site_page(body, "Formulir tidak dapat dikirim", "The form could not be sent")
    assert "CSRF" not in body


@pytest.mark.urls(__name__)
def test_an_unhandled_error_gets_the_sites_500(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/uji/galat/")
    assert response.status_code == 500
    assert_site_page(response.content.decode(), "Terjadi kesalahan pada server", "Server error")


@pytest.mark.urls(__name__)
def test_the_500_page_renders_with_the_database_down(settings):
    settings.DEBUG = False
    refused = OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
    with mock.patch.object(type(connections["default"]), "ensure_connection", side_effect=refused) as connect:
        response = Client(raise_request_exception=False).get("/uji/basis-data/")
    assert connect.called  # the view did hit the dead database
    assert response.status_code == 500
    assert_site_page(response.content.decode(), "Terjadi kesalahan pada server", "Server error")


def test_the_500_page_runs_no_query(django_assert_num_queries, rf):
    from lms.errors import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
