"""Id guessing: every object-taking admin, front-end and API URL answers 404 to users who may not see the object.

The URL list is discovered from the URL resolver, so a new view taking an id is covered (or, when its
object kind is unknown here, makes ``test_every_object_url_is_covered`` fail until it is added).
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

#: URL kwargs naming the object the route is about.
OBJECT_KWARGS = {"pk", "program_id", "revision_id", "revision_id_a", "revision_id_b"}

#: Route name (namespace stripped of the "wagtailsnippets_wagtail_mentoring_" family) -> object kind.
ROUTE_KINDS = {
    "wagtail_mentoring_dashboards:program": "program",
    "wagtail_mentoring_dashboards:pair": "mentorship",
    "wagtail_mentoring_matching_review": "program",
    "wagtail_mentoring_matching_progress": "program",
    "wagtail_mentoring_import": "program",
    "wagtail_mentoring_import_template": "program",
    "wagtail_mentoring_reports:program": "program",
    "wagtail_mentoring_reports:program_surveys": "program",
    "wagtail_mentoring_coordinator:program": "program",
    "wagtail_mentoring_coordinator:training": "program",
    "wagtail_mentoring_coordinator:training_results": "program",
    "wagtail_mentoring:survey_session": "session",
    "wagtail_mentoring:survey_pairing_check": "mentorship",
    "wagtail_mentoring:survey_closing": "ended_mentorship",
    "wagtail_mentoring:survey_program": "program",
    "wagtail_mentoring:survey_midpoint": "mentorship",
    "wagtail_mentoring:survey_before_launch": "before-launch-program",
    "wagtail_mentoring:kudos": "mentorship",
    "wagtail_mentoring:certificate": "mentorship",
    "wagtail_mentoring:dismiss_celebration": "celebration",
    "wagtail_mentoring_api:enrolment-detail": "enrolment",
    "wagtail_mentoring_api:mentorship-detail": "mentorship",
    "wagtail_mentoring_api:objective-detail": "objective",
    "wagtail_mentoring_api:key-result-detail": "keyresult",
    "wagtail_mentoring_api:check-in-detail": "checkin",
    "wagtail_mentoring_api:realignment-detail": "realignment",
    "wagtail_mentoring_api:initiative-detail": "initiative",
    "wagtail_mentoring_api:session-detail": "session",
    "wagtail_mentoring_api:session-confirm": "session",
    "wagtail_mentoring_api:session-cancel": "session",
    "wagtail_mentoring_api:session-held": "session",
    "wagtail_mentoring_api:session-ics": "session",
    "wagtail_mentoring_api:availability-slot-detail": "availabilityslot",
    "wagtail_mentoring_api:feedback-detail": "feedback",
    "wagtail_mentoring_api:skill-rating-detail": "skillrating",
    "wagtail_mentoring_api:registration-detail": "registration",
    "wagtail_mentoring_api:completion-detail": "completion",
    "wagtail_mentoring_api:mentorship-approve": "mentorship",
    "wagtail_mentoring_api:mentorship-pause": "mentorship",
    "wagtail_mentoring_api:mentorship-resume": "mentorship",
    "wagtail_mentoring_api:mentorship-complete": "mentorship",
    "wagtail_mentoring_api:mentorship-end": "mentorship",
    "wagtail_mentoring_api:mentorship-journey": "mentorship",
    "wagtail_mentoring_api:mentorship-journey-complete": "mentorship",
    "wagtail_mentoring_api:mentorship-journey-undo": "mentorship",
    "wagtail_mentoring_api:objective-template-detail": "objectivetemplate",
    "wagtail_mentoring_api:objective-template-use": "objectivetemplate",
    "wagtail_mentoring_api:mentorship-request-detail": "mentorshiprequest",
    "wagtail_mentoring_api:group-detail": "mentoringgroup",
    "wagtail_mentoring_api:group-session-detail": "groupsession",
    "wagtail_mentoring_api:mentorship-request-accept": "mentorshiprequest",
    "wagtail_mentoring_api:mentorship-request-decline": "mentorshiprequest",
    "wagtail_mentoring_api:mentorship-request-withdraw": "mentorshiprequest",
    "wagtail_mentoring_outcome_person_chooser:chosen": "person",
}

#: Object URLs whose objects are not private to a pairing or program (catalogue data) and so are
#: visible to every signed-in user by design: training resources and events are public to their audience,
#: learning paths, OKR cycles and programs are catalogue data, chooser "chosen" views re-check nothing
#: beyond the listing queryset (covered separately for the private kinds). Objective templates are the
#: library's examples, readable wherever their program is (a template of a hidden program is a 404:
#: ``tests/api/test_permission_matrix.py``, ``tests/snippets/test_templates_admin.py``).
PUBLIC_KINDS = {
    "learningpath",
    "trainingevent",
    "okrcycle",
    "program-api",
    "training-resource",
    "event",
    "objectivetemplate",
    # A program's before-launch survey is open to every active employee who may view the program page, by
    # design (closed: 404 for all; anonymous, inactive and page privacy: tests/engagement/test_editor_surveys.py).
    "before-launch-program",
}
#: POST-only views: a GET is refused (405) before any lookup, which reveals nothing.
POST_ONLY = {
    "wagtail_mentoring:dismiss_celebration",
    "wagtail_mentoring_api:session-confirm",
    "wagtail_mentoring_api:session-cancel",
    "wagtail_mentoring_api:session-held",
    "wagtail_mentoring_api:mentorship-approve",
    "wagtail_mentoring_api:mentorship-pause",
    "wagtail_mentoring_api:mentorship-resume",
    "wagtail_mentoring_api:mentorship-complete",
    "wagtail_mentoring_api:mentorship-end",
    "wagtail_mentoring_api:mentorship-journey-complete",
    "wagtail_mentoring_api:mentorship-journey-undo",
    "wagtail_mentoring_api:mentorship-request-accept",
    "wagtail_mentoring_api:mentorship-request-decline",
    "wagtail_mentoring_api:mentorship-request-withdraw",
}

SNIPPET_RE = re.compile(r"^wagtailsnippet(?:s|choosers)_wagtail_mentoring_(?P<model>\w+):(?P<action>\w+)$")


def _walk(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _walk(pattern, f"{namespace}:{ns}" if namespace and ns else (ns or namespace))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def object_routes() -> list[str]:
    """Names of every mentoring route that takes an object id (format-suffix duplicates excluded)."""
    names = []
    for name, pattern in _walk(get_resolver()):
        if "mentoring" not in name:
            continue
        keys = set(pattern.pattern.regex.groupindex)
        if keys & OBJECT_KWARGS and "format" not in keys and name not in names:
            names.append(name)
    return names


def kind_of(name: str) -> str | None:
    if name in ROUTE_KINDS:
        return ROUTE_KINDS[name]
    match = SNIPPET_RE.match(name)
    if match:
        return match["model"]
    api = re.match(r"^wagtail_mentoring_api:(?P<kind>[\w-]+)-detail$", name)
    if api:
        return {"program": "program-api", "training-resource": "training-resource", "event": "event"}.get(api["kind"])
    if name.startswith("wagtail_mentoring:training:"):
        return "trainingevent" if "event" in name else "training-resource"
    return None


ROUTES = object_routes()
PRIVATE_ROUTES = [name for name in ROUTES if kind_of(name) not in PUBLIC_KINDS]


def test_discovery_finds_the_package_views():
    for expected in (
        "wagtailsnippets_wagtail_mentoring_objective:revisions_compare",
        "wagtailsnippets_wagtail_mentoring_objective:revisions_revert",
        "wagtailsnippets_wagtail_mentoring_enrolment:inspect",
        "wagtail_mentoring_dashboards:pair",
        "wagtail_mentoring:kudos",
        "wagtail_mentoring_api:session-detail",
    ):
        assert expected in ROUTES
    assert len(PRIVATE_ROUTES) > 40


def test_every_object_url_is_covered():
    """A new object-taking route must be given a kind here, so it is exercised by the 404 tests."""
    assert [name for name in ROUTES if kind_of(name) is None] == []


def url_for(name: str, foreign: dict) -> str:
    from django.urls import reverse

    kind = kind_of(name)
    obj = foreign[kind]
    _, pattern = next((n, p) for n, p in _walk(get_resolver()) if n == name)
    keys = set(pattern.pattern.regex.groupindex)
    kwargs = {}
    for key in keys:
        if key in ("pk", "program_id"):
            kwargs[key] = obj.pk
        elif key == "revision_id":
            kwargs[key] = foreign["revision"].pk
        elif key == "revision_id_a":
            kwargs[key] = foreign["first_revision"].pk
        elif key == "revision_id_b":
            kwargs[key] = foreign["revision"].pk
        elif key == "step_id":
            kwargs[key] = "a-journey-step"
    return reverse(name, kwargs=kwargs)


#: Signed-in users outside the other pairing and program: a participant and a coordinator of another
#: program, an editor and an employee who takes part in nothing.
OUTSIDERS = ("mentee", "coordinator", "editor", "employee")


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES)
def test_outsiders_get_404_for_foreign_objects(route, foreign, admin_roles, client_for):
    """Every user outside the other pairing and program gets 404, on GET and on POST, and nothing changes."""
    url = url_for(route, foreign)
    api = route.startswith("wagtail_mentoring_api:")
    objective_title = foreign["objective"].title
    for name in OUTSIDERS:
        client = client_for(admin_roles[name])
        response = client.get(url)
        expected = 405 if route in POST_ONLY else 404
        assert response.status_code == expected, (route, name, url, response.status_code)
        post = client.post(
            url, {"title": "pwned", "message": "pwned", "rating": 5}, **({"format": "json"} if api else {})
        )
        # A view may refuse the method (405) before looking the object up; it must never succeed.
        assert post.status_code in ((404,) if route in POST_ONLY else (404, 405)), (
            route,
            name,
            "POST",
            post.status_code,
        )
        if api:
            for method in ("patch", "put", "delete"):
                resp = getattr(client, method)(url, {"title": "pwned"}, content_type="application/json")
                assert resp.status_code in (404, 405), (route, name, method, resp.status_code)
    # Control: the same URL is reachable by someone entitled (so the 404s above are not vacuous).
    codes = [
        client_for(admin_roles[name]).get(url).status_code
        for name in ("superuser", "other_mentee", "other_mentor", "other_coordinator")
    ]
    assert 500 not in codes, (route, codes)
    assert any(code != 404 for code in codes), (route, codes)
    foreign["objective"].refresh_from_db()
    assert foreign["objective"].title == objective_title
    for key in ("objective", "checkin", "enrolment", "mentorship", "session", "feedback", "kudos", "celebration"):
        assert type(foreign[key]).objects.filter(pk=foreign[key].pk).exists(), key


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES)
def test_anonymous_and_inactive_users_are_sent_to_log_in(route, foreign, admin_roles):
    """Anonymous and inactive users reach no private object: the login page (or 401/403 from the API)."""
    from django.test import Client

    url = url_for(route, foreign)
    inactive = Client(raise_request_exception=False)
    inactive.force_login(admin_roles["inactive"])
    for name, client in (("anonymous", Client(raise_request_exception=False)), ("inactive", inactive)):
        response = client.get(url)
        if route.startswith("wagtail_mentoring_api:"):
            assert response.status_code in ((401, 403, 405) if route in POST_ONLY else (401, 403)), (route, name)
        elif route in POST_ONLY and response.status_code == 405:
            continue
        else:
            assert response.status_code == 302, (route, name, response.status_code)
            assert "login" in response["Location"], (route, name, response["Location"])
