"""Registering a client in the Wagtail admin: superusers only, the secret shown once and stored hashed."""

import base64
import re

import pytest
from django.contrib.auth.hashers import check_password

from api.models import ApiClient
from api.tests.builders import make_api_client
from lms import roles
from lms.tests.factories import AgencyFactory, UserFactory
from lms.tests.query_budget import assert_flat_query_count

pytestmark = pytest.mark.django_db


def test_a_superuser_registers_a_client_sees_the_secret_once_and_it_gets_a_token(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    agency = AgencyFactory()
    client.force_login(admin)
    assert client.get("/admin/api_clients/new/").status_code == 200
    response = client.post(
        "/admin/api_clients/new/",
        {"name": "SDM BP2MI", "agency": agency.pk, "scope_choices": ["certificates:read", "progress:read"],
         "rate_limit_per_minute": 60, "is_active": "on"},
    )
    assert response.status_code == 200, response.content[:2000]
    page = response.content.decode()
    registered = ApiClient.objects.get(name="SDM BP2MI")
    assert registered.scopes == "certificates:read progress:read" and registered.created_by == admin
    secret = re.search(r"<dt>client_secret</dt><dd><code>([^<]+)</code>", page).group(1)
    assert secret not in registered.application.client_secret
    assert check_password(secret, registered.application.client_secret)
    edit = client.get(f"/admin/api_clients/edit/{registered.pk}/").content.decode()
    assert secret not in edit
    assert 'name="scope_choices"' in edit and 'value="progress:read"' in edit

    credentials = base64.b64encode(f"{registered.application.client_id}:{secret}".encode()).decode()
    token = client.post("/api/v1/oauth/token/", {"grant_type": "client_credentials"},
                        HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert token.status_code == 200

    rotated = client.post(f"/admin/klien-api/{registered.pk}/ganti-rahasia/")
    assert rotated.status_code == 200
    stale = client.post("/api/v1/oauth/token/", {"grant_type": "client_credentials"},
                        HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert stale.status_code == 401


@pytest.mark.parametrize("group", [roles.HR, roles.REVIEWER])
def test_other_staff_cannot_see_or_register_clients(client, group):
    user = UserFactory(groups=[group], is_staff=True)
    client.force_login(user)
    for url in ("/admin/api_clients/", "/admin/api_clients/new/"):
        response = client.get(url)
        assert response.status_code in (302, 403)
    assert client.post("/admin/klien-api/1/ganti-rahasia/").status_code in (302, 403)


def test_the_client_list_costs_the_same_with_many_clients(client, django_assert_num_queries):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    make_api_client(name="SDM Imigrasi", agency=AgencyFactory())

    def more_clients():
        for _ in range(10):
            make_api_client(agency=AgencyFactory())

    _small, large = assert_flat_query_count(
        django_assert_num_queries, small=lambda: client.get("/admin/api_clients/"), grow=more_clients, budget=14
    )
    page = large.content.decode()
    assert len(set(re.findall(r"/admin/api_clients/edit/(\d+)/", page))) == 11
    assert all(f">{client.agency}<" in page for client in ApiClient.objects.select_related("agency"))
