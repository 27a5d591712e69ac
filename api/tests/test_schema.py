"""The OpenAPI 3.1 document is valid, and the running API keeps to it (schemathesis, in process).

schemathesis generates requests from the schema (valid and invalid ones) for every operation and
sends them through the WSGI application with a real token of a central client holding every
scope, over a small world of officers and certificates: no answer is a server error, and every
status, content type, header and body is one the schema declares.
"""

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from api.tests.builders import make_api_client, make_token
from hr.tests.builders import make_world

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    validate(document)  # raises on any violation of the OpenAPI 3.1 specification
    assert document["components"]["securitySchemes"]["OAuth2"]["flows"]["clientCredentials"]["tokenUrl"] == (
        "/api/v1/oauth/token/"
    )
    assert "/api/v1/verify/{code}/" in document["paths"]


@pytest.fixture
def world_token(db):
    make_world()
    return make_token(make_api_client(name="SDM Pusat", rate_limit_per_minute=1_000_000))


@pytest.fixture
def connections_kept():
    """schemathesis calls the WSGI application itself, not through Django's test client: keep the
    test's database connection across its requests as the test client does (Django closes "old"
    connections when a request starts and ends; with the browser tests' event loop running in this
    thread, the request sees a connection of its own context and closes it under the test)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded from the application itself at collection (the schema needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_every_operation_keeps_to_the_schema(case, world_token, connections_kept):
    # Not "schema-valid data is accepted": an opaque cursor or an officer row can fit the schema and
    # still be refused with a problem (400 for a cursor the API did not give, 422 with the HR
    # import's own messages); every other built-in check runs. Identity encoding: schemathesis's WSGI
    # transport does not undo Content-Encoding (the gzip variant is test_certificate_page.py's).
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world_token}", "Accept-Encoding": "identity"},
        excluded_checks=[positive_data_acceptance],
    )
