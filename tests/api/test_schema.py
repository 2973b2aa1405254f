"""The OpenAPI schema is valid, served, and the API answers Schemathesis-generated requests with no
server error and no response that does not match the schema."""

import io

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import client_for
from tests.factories.api import token_for
from wagtail_mentoring.api.schema import SCHEMA_SETTINGS
from wagtail_mentoring.api.throttling import DEFAULT_RATES as THROTTLE_SCOPES

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "tests.api.schema_urls",
        "--custom-settings",
        "wagtail_mentoring.api.schema.SCHEMA_SETTINGS",
        "--file",
        str(tmp_path / "schema.yaml"),
        stderr=io.StringIO(),
    )
    text = (tmp_path / "schema.yaml").read_text()
    for route in ("objectives", "key-results", "check-ins", "sessions", "me", "training-resources", "events"):
        assert f"/api/mentoring/v1/{route}/" in text


def test_schema_is_served(world):
    response = client_for(world.roles, "mentee").get("/api/mentoring/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/mentoring/v1/objectives/{id}/" in paths
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert operation.get("summary") or operation.get("description"), (path, method)
    docs = client_for(world.roles, "anonymous").get("/api/mentoring/v1/docs/")
    assert docs.status_code == 200


@pytest.fixture
def api_schema(world):
    with patched_settings(SCHEMA_SETTINGS):
        raw = SchemaGenerator(urlconf="tests.api.schema_urls").get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.phases.coverage.enabled = False  # keep it bounded: explicit examples + fuzzing only
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def wsgi_app():
    """The project as a WSGI app in this thread (same test database connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=4,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case, world, wsgi_app, settings):
    settings.REST_FRAMEWORK = {"DEFAULT_THROTTLE_RATES": dict.fromkeys(THROTTLE_SCOPES)}  # no 429s here
    headers = {"Authorization": f"Token {token_for(world.roles['mentee'])}"}
    response = case.call(app=wsgi_app, headers=headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
