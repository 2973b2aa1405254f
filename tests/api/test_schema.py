"""The OpenAPI schema is valid, served, and tells the truth: Schemathesis, with every check, finds no
server error, no undeclared status code or content type, no response off the schema, no valid request
refused and no invalid one accepted, as a mentee and as a coordinator.

Schemathesis's phases, each bounded to keep the suite fast (about 11 s of CPU for the coverage and
stateful tests together): examples and fuzzing on every operation (4 examples each); coverage on the
routes of one object (bounds and types of the id, a method the route lacks); stateful scenarios that
follow the schema's links from a created object (8 scenarios of up to 4 steps per role). The full
coverage phase (about 4,000 cases per role) does not fit that budget."""

import copy
import functools
import io
import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import patched_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.relations import ManyRelatedField
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import client_for
from tests.factories.api import token_for
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.api.schema import SCHEMA_SETTINGS
from wagtail_mentoring.api.serializers import AccessRelatedField
from wagtail_mentoring.api.throttling import DEFAULT_RATES as THROTTLE_SCOPES
from wagtail_mentoring.api.urls import router
from wagtail_mentoring.inputs import parse_id
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import KeyResult

pytestmark = pytest.mark.django_db

API = "/api/mentoring/v1/"
FUZZ_ROLES = ("mentee", "coordinator")


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


def generated_schema() -> dict:
    """The API's OpenAPI schema as drf-spectacular generates it; a copy of one generation per process
    (seven tests ask for it, each generation costs 0.15-0.25 s of CPU; each caller may change its copy)."""
    return copy.deepcopy(_generate_schema())


@functools.cache
def _generate_schema() -> dict:
    with patched_settings(SCHEMA_SETTINGS):
        return SchemaGenerator(urlconf="tests.api.schema_urls").get_schema(request=None, public=True)


def test_schema_declares_errors_and_query_constraints():
    """Each operation declares the errors it can answer, with the error bodies, and its query
    parameters' constraints (the values the server accepts)."""
    schema = generated_schema()
    paths = schema["paths"]
    components = schema["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert "additionalProperties" in components["FieldErrors"]

    def codes(path, method):
        return set(paths[API + path][method]["responses"])

    assert codes("objectives/", "get") == {"200", "400", "401", "404", "429"}
    assert codes("objectives/", "post") == {"201", "400", "401", "403", "409", "413", "415", "429"}
    assert codes("objectives/{id}/", "get") == {"200", "401", "404", "429"}
    assert codes("objectives/{id}/", "patch") == {"200", "400", "401", "403", "404", "413", "415", "429"}
    assert codes("objectives/{id}/", "delete") == {"204", "400", "401", "403", "404", "429"}
    assert codes("me/", "get") == {"200", "401", "429"}
    bad_request = paths[API + "objectives/"]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
    assert bad_request == {
        "anyOf": [{"$ref": "#/components/schemas/FieldErrors"}, {"$ref": "#/components/schemas/Error"}]
    }
    # public reads: anonymous access is declared; a bad token is still a 401
    assert {} in paths[API + "programs/"]["get"]["security"]
    assert {} not in paths[API + "objectives/"]["get"]["security"]

    params = {p["name"]: p for p in paths[API + "initiatives/"]["get"]["parameters"]}
    assert params["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1}
    assert params["objective"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    assert params["done"]["schema"] == {"type": "boolean"}
    assert params["ordering"]["schema"]["items"]["enum"] == [
        "due_date",
        "-due_date",
        "title",
        "-title",
        "sort_order",
        "-sort_order",
    ]
    path_id = paths[API + "initiatives/{id}/"]["get"]["parameters"][0]["schema"]
    assert path_id == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    feedback = components["FeedbackRequest"]
    assert feedback["properties"]["program"]["maximum"] == 2**63 - 1
    assert [(branch["properties"]["kind"]["enum"], branch["required"]) for branch in feedback["anyOf"]] == [
        (["session"], ["kind", "mentorship", "session"]),
        (["pairing_check"], ["kind", "mentorship"]),
        (["midpoint"], ["kind", "mentorship"]),
        (["closing"], ["kind", "mentorship"]),
        (["program"], ["kind", "program"]),
        (["before_launch"], ["kind", "program"]),
    ]
    assert feedback["anyOf"][4]["properties"]["mentorship"] == {"nullable": True, "enum": [None]}


def test_text_that_may_not_be_blank_needs_a_character_that_is_not_white_space(world):
    """DRF trims text before it checks for blank, so the schema's pattern asks for one character that is not
    white space (and never NUL); a client that follows the schema is not told 400 for a title of spaces."""
    title = generated_schema()["components"]["schemas"]["ObjectiveRequest"]["properties"]["title"]
    pattern = re.compile(title["pattern"])
    assert [bool(pattern.search(text)) for text in ("Grow", " a ", "   ", "\u00a0\t", "a\u0000")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    response = client_for(world.roles, "mentee").post(f"{API}objectives/", {"title": "   "}, format="json")
    assert response.status_code == 400 and "title" in response.json()


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=",
        "page_size=0",
        "page_size=x",
        "done=",
        "done=maybe",
        "objective=",
        "objective=1.5",
        f"objective={2**63}",
        "ordering=secret",
        "ordering=",
        "ordering=title,",
        "ordering=-title,nope",
    ],
)
def test_invalid_query_values_are_400(world, query):
    response = client_for(world.roles, "mentee").get(f"{API}initiatives/?{query}")
    assert response.status_code == 400, response.content
    name = query.split("=")[0]
    assert name in response.json()


@pytest.mark.parametrize("query", ["page=1", "page_size=500", "done=true", "done=False", "ordering=-title,due_date"])
def test_valid_query_values_are_accepted(world, query):
    assert client_for(world.roles, "mentee").get(f"{API}initiatives/?{query}").status_code == 200


def test_page_past_the_last_is_404(world):
    response = client_for(world.roles, "mentee").get(f"{API}initiatives/?page=99")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_date_time_filters_at_the_calendar_limits(world, value):
    response = client_for(world.roles, "mentee").get(f"{API}sessions/", {"date_after": value})
    assert response.status_code == 200


@pytest.mark.parametrize("path_id", ["abc", "1.5", "-1", "1e3"])
def test_malformed_ids_are_json_404(world, path_id):
    response = client_for(world.roles, "mentee").get(f"{API}objectives/{path_id}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("route", ["programs", "training-resources", "objectives"])
def test_ids_beyond_the_database_range_are_404(world, route):
    """Found by the coverage phase: a page's id past 2^63 - 1 was a 500 (``OverflowError``)."""
    for role in ("mentee", "anonymous"):
        response = client_for(world.roles, role).get(f"{API}{route}/{2**63}/")
        assert response.status_code == (404 if role == "mentee" or route != "objectives" else 401), role


@pytest.fixture
def wsgi_app():
    """The project as a WSGI app in this thread (same test database connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(world, wsgi_app, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": dict.fromkeys(THROTTLE_SCOPES)}
    schema = schemathesis.openapi.from_dict(generated_schema())
    schema.app = wsgi_app  # probes of the checks (auth, methods) go to the same app
    schema.config.phases.coverage.enabled = False  # keep it bounded: explicit examples + fuzzing only
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


def related_fields(path: str) -> dict:
    """Request-body fields of the operation at ``path`` that name other objects: name -> (field, many)."""
    prefix = path.removeprefix(API).split("/")[0]
    viewset = next(viewset for registered, viewset, _basename in router.registry if registered == prefix)
    fields = {}
    for name, field in viewset.serializer_class().fields.items():
        if isinstance(field, ManyRelatedField) and isinstance(field.child_relation, AccessRelatedField):
            fields[name] = (field.child_relation, True)
        elif isinstance(field, AccessRelatedField) and not field.read_only:
            fields[name] = (field, False)
    return fields


def with_usable_ids(case, user) -> bool:
    """Make a schema-valid body's references ids ``user`` may use, as a real client sends them.

    The schema cannot say which ids exist; every other value stays as generated. Returns False when
    ``user`` may use no object at all for some reference (the request cannot be valid for them).
    """
    within_documented_rules(case)
    if not isinstance(case.body, dict) or not case.path.startswith(API) or case.path.startswith(f"{API}me/"):
        return True
    if case.path == f"{API}feedback/" and case.body.get("mentorship") is not None:
        return with_usable_pairing(case.body, user)
    usable_everywhere = True
    for name, (field, many) in related_fields(case.path).items():
        if case.body.get(name) is None:
            continue
        usable = field.access(user)
        own = parse_id(str((case.path_parameters or {}).get("id", "")))
        if name == "parent" and own is not None:
            # As the docs state: an objective is aligned neither to itself nor to one of its own children.
            usable = usable.exclude(pk=own).exclude(parent_id=own)
        first = usable.order_by("pk").values_list("pk", flat=True).first()
        if first is None:
            usable_everywhere = False
        else:  # the first usable object: a pairing's session and its program then belong together
            case.body[name] = [first for _ in case.body[name]] if many else first
    within_the_key_results_kind(case)
    return usable_everywhere


def within_the_key_results_kind(case) -> None:
    """A check-in's value, or a realignment's new target, as the API docs state it for the key result it names
    (the schema cannot make a value depend on another object): a check-in takes 0 or 1 for yes/no and
    milestones, 0-100 for a percentage (``validate_check_in_value``); a new target is for a numeric key result
    only, and differs from its start (``validate_key_result_target``)."""
    if case.path == f"{API}realignments/" and isinstance(case.body, dict):
        target, key_result = case.body.get("target_value"), case.body.get("key_result")
        if isinstance(target, int | float) and not isinstance(target, bool) and isinstance(key_result, int):
            kind, start = KeyResult.objects.filter(pk=key_result).values_list("kind", "start_value").first() or (
                None,
                None,
            )
            if kind in scoring.BINARY_KINDS:
                del case.body["target_value"]
            elif start is not None and target == start:
                case.body["target_value"] = start + 1
        return
    if case.path != f"{API}check-ins/" or not isinstance(case.body, dict):
        return
    value, key_result = case.body.get("value"), case.body.get("key_result")
    if not isinstance(value, int | float) or isinstance(value, bool) or not isinstance(key_result, int):
        return
    kind = KeyResult.objects.filter(pk=key_result).values_list("kind", flat=True).first()
    if kind in scoring.BINARY_KINDS:
        case.body["value"] = 1 if value else 0
    elif kind == scoring.PERCENT_KIND:
        case.body["value"] = min(max(value, 0), 100)


def within_documented_rules(case) -> None:
    """Shape what the schema cannot state but the API docs do, as a client that read them sends it: a
    realignment's new due date is today or later (``realign_key_result``; OpenAPI has no minimum for dates)."""
    if case.path == f"{API}realignments/" and isinstance(case.body, dict):
        due = case.body.get("due_date")
        today = timezone.localdate().isoformat()
        if isinstance(due, str) and due < today:
            case.body["due_date"] = today


def with_usable_pairing(body: dict, user) -> bool:
    """A pairing feedback body: the first pairing on which ``user`` may give its kind (and that pairing's
    program and session where the body names them). False when there is none."""
    mentorship = access.feedback_mentorships(user, body.get("kind")).order_by("pk").first()
    if mentorship is None:
        return False
    body["mentorship"] = mentorship.pk
    if body.get("program") is not None:
        if not access.feedback_programs(user).filter(pk=mentorship.program_id).exists():
            return False
        body["program"] = mentorship.program_id
    if body.get("session") is not None:
        session = access.feedback_sessions(user).filter(mentorship=mentorship).order_by("pk").first()
        if session is None:
            return False
        body["session"] = session.pk
    return True


def fuzz(case, world, role: str) -> None:
    """Send ``case`` as ``role`` and run every Schemathesis check on the response.

    A positive case is only held to "valid data is accepted" when its references can name objects the
    role may use (a coordinator may not check in on anyone's key result: no id is valid for them).
    """
    user = world.roles[role]
    excluded = []
    if case.meta is not None and case.meta.generation.mode.is_positive and not with_usable_ids(case, user):
        excluded.append(positive_data_acceptance)
    headers = {"Authorization": f"Token {token_for(user)}"}
    response = case.call(headers=headers)
    case.validate_response(response, headers=headers, excluded_checks=excluded)  # every other check


FUZZ_SETTINGS = hypothesis_settings(
    max_examples=4,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


#: The schema document itself is checked by ``test_schema_validates_without_warnings`` and
#: ``test_schema_is_served``; generating it for every fuzzed case cost more than a second a case.
fuzzed = schema.exclude(path_regex=r"/schema/$")


@fuzzed.parametrize()
@FUZZ_SETTINGS
def test_api_fuzz_as_mentee(case, world):
    fuzz(case, world, "mentee")


@pytest.fixture
def coverage_api_schema(api_schema):
    """The schema with Schemathesis's coverage phase only: each path's methods that do not exist, and each
    id at and beyond its bounds, in the wrong type, or missing."""
    phases = api_schema.config.phases
    phases.examples.enabled = phases.fuzzing.enabled = False
    phases.coverage.enabled = True
    phases.coverage.unexpected_methods = {"trace"}
    return api_schema


coverage_schema = schemathesis.pytest.from_fixture("coverage_api_schema")


@coverage_schema.include(path_regex=r"\{id\}/$", method=["GET", "DELETE"]).parametrize()
@FUZZ_SETTINGS
def test_api_coverage_of_object_routes(case, world):
    """The coverage phase on the routes of one object (as a mentee): bounds and types of the id, and
    the methods a route does not have (``unsupported_method``)."""
    fuzz(case, world, "mentee")


#: The stateful phase: scenarios that follow the schema's links (a created object is then read, changed
#: and deleted), so that ``use_after_free`` and ``ensure_resource_availability`` have something to check.
STATEFUL_SETTINGS = hypothesis_settings(
    max_examples=8,
    stateful_step_count=4,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("role", FUZZ_ROLES)
def test_api_stateful(api_schema, world, role):
    """Create, then read, change and delete what was created, following the schema's links."""
    user = world.roles[role]
    headers = {"Authorization": f"Token {token_for(user)}"}
    steps = []

    class Workflow(api_schema.as_state_machine()):
        def before_call(self, case):
            positive = case.meta is not None and case.meta.generation.mode.is_positive
            self.excluded = [positive_data_acceptance] if positive and not with_usable_ids(case, user) else []

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            steps.append((case.method, case.path, response.status_code))
            excluded = self.excluded
            case.validate_response(
                response, headers=headers, excluded_checks=excluded, transport_kwargs=kwargs, recorder=self.recorder
            )

    Workflow.run(settings=STATEFUL_SETTINGS)
    assert steps  # every response was validated in validate_response
    # Which links a run follows depends on which random creations succeed against this database's ids
    # (and on the dependency versions): the links themselves are checked by
    # test_creations_link_to_the_created_object.


def test_creations_link_to_the_created_object():
    """Every ``POST`` that answers 201 links to each operation on ``{id}`` with the created ``id``."""
    from wagtail_mentoring.api.schema import DETAIL_LINKS

    paths = generated_schema()["paths"]
    checked = 0
    for path, operations in paths.items():
        detail = paths.get(f"{path}{{id}}/")
        created = operations.get("post", {}).get("responses", {}).get("201")
        if created is None or detail is None:
            continue
        expected = {name: detail[method]["operationId"] for method, name in DETAIL_LINKS.items() if method in detail}
        links = created.get("links", {})
        assert {name: link["operationId"] for name, link in links.items()} == expected, path
        assert all(link["parameters"] == {"id": "$response.body#/id"} for link in links.values()), path
        checked += 1
    assert checked >= 5


@fuzzed.parametrize()
@hypothesis_settings(FUZZ_SETTINGS, max_examples=2)
def test_api_fuzz_as_coordinator(case, world):
    """The coordinator's responses and permissions on every operation (the inputs themselves are fuzzed
    as the mentee, with twice the examples)."""
    fuzz(case, world, "coordinator")


def test_applying_twice_is_a_409_with_field_errors(world):
    client = client_for(world.roles, "mentee")
    body = {"program": world.program.pk, "role": "mentee"}
    response = client.post(f"{API}enrolments/", body, format="json")
    assert response.status_code == 409, response.content
    assert response.json() == {"non_field_errors": ["You have already applied to this program in this role."]}


@pytest.mark.parametrize(
    ("query", "status"),
    [("lang=xx", 400), ("format=", 400), ("format=xml", 400), ("lang=it", 200), ("format=json", 200)],
)
def test_schema_parameters_are_checked(world, query, status):
    response = client_for(world.roles, "anonymous").get(f"{API}schema/?{query}")
    assert response.status_code == status


def test_fields_that_may_be_empty_are_declared_nullable():
    """What an answer may leave empty is ``nullable`` in the schema (the stateful test found each of these)."""
    components = generated_schema()["components"]["schemas"]
    assert components["JourneyStep"]["properties"]["resource"]["nullable"] is True
    assert components["JourneyStep"]["properties"]["path"]["nullable"] is True
    assert components["Journey"]["properties"]["next_step"]["nullable"] is True
    assert components["Mentorship"]["properties"]["next_session_due"]["nullable"] is True
