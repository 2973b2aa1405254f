"""Fuzz the front-end forms: whatever a mentee, a mentor or a coordinator posts, no 500, no partial write.

Hypothesis draws each form's fields (a valid value, an edge value of the input policy, or any text;
sometimes left out) and posts them, the roles taking turns. A response that is not a redirect (the form again
with its errors, a 400, a 404) must leave every table of the package as it was. Kept small (few
examples, derandomized, no example database) so it runs in seconds.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import InitiativeFactory, KeyResultFactory, ObjectiveFactory
from tests.factories.engagement import MentoringSessionFactory
from tests.factories.training import TrainingEventFactory
from wagtail_mentoring import inputs
from wagtail_mentoring.notifications.models import NotificationKind

pytestmark = pytest.mark.django_db

ROLES = ("mentee", "mentor", "coordinator")
OMIT = object()
#: Values at and beyond the input policy's limits, and classic malformed input.
EDGES = (
    "",
    "0",
    "-1",
    "1e309",
    "nan",
    "inf",
    "true",
    "on",
    str(inputs.ID_MAX),
    str(inputs.ID_MAX + 1),
    str(2**64),
    "9999-12-31T23:59",
    "0001-01-01",
    "1999-12-31",
    "2101-01-01",
    "2026-02-30",
    "\uff15",
    "\x00",
    "=HYPERLINK(1)",
    "<script>alert(1)</script>",
    "x" * (inputs.MAX_TEXT_LENGTH + 1),
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
SETTINGS = settings(
    max_examples=4,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def field(*valid) -> st.SearchStrategy:
    """A field's value: one of ``valid``, an edge value, any text, or left out."""
    options = [st.sampled_from(EDGES), TEXT, st.just(OMIT)]
    if valid:
        options.insert(0, st.sampled_from([str(v) for v in valid]))
    return st.one_of(*options)


def form(fields: dict) -> st.SearchStrategy:
    return st.fixed_dictionaries(fields).map(lambda data: {k: v for k, v in data.items() if v is not OMIT})


def url_pk(real: int) -> st.SearchStrategy:
    return st.sampled_from([real, real, 0, inputs.ID_MAX + 1, 2**64])


def row_counts() -> dict[str, int]:
    """Rows in every table of the package, in one query."""
    tables = sorted({m._meta.db_table for m in apps.get_app_config("wagtail_mentoring").get_models()})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608 - our own tables
        cursor.execute(f"SELECT {counts}")  # noqa: S608
        return dict(zip(tables, cursor.fetchone(), strict=True))


SESSION_FIELDS = {
    "session_date": field("2026-02-01T10:00", "2026-02-01"),
    "duration_minutes": field(30, 1440, 1441),
    "format": field("video", "phone", "in_person"),
    "agenda": field("Plan"),
    "notes": field("Notes"),
    "next_steps": field("Next"),
}


@pytest.fixture
def fuzz_world(roles, program, dashboard, settings):
    """Objects each form refers to, in the example site's time zone (UTC would hide date overflows)."""
    settings.TIME_ZONE = "Europe/Rome"
    today = timezone.localdate()
    objective = ObjectiveFactory(
        owner=roles["mentee"],
        mentorship=roles["mentorship"],
        program=program,
        level="pairing",
        start_date=today - dt.timedelta(days=10),
        due_date=today + dt.timedelta(days=60),
    )
    kr = KeyResultFactory(objective=objective)
    other_kr = KeyResultFactory(objective=ObjectiveFactory(owner=roles["other_mentee"]))
    session = MentoringSessionFactory(mentorship=roles["mentorship"], date=timezone.now() - dt.timedelta(days=1))
    world = {
        "objective": objective,
        "kr": kr,
        "other_kr": other_kr,
        "initiative": InitiativeFactory(objective=objective),
        "session": session,
        "event": TrainingEventFactory(),
        "program": program,
        "mentorship": roles["mentorship"],
    }
    return world


def objective_fields(w) -> dict:
    return {
        "title": field("Present to leadership"),
        "description": field("Why"),
        "category": field("skills", "other"),
        "mentorship": field(w["mentorship"].pk),
        "start_date": field("2026-01-01"),
        "due_date": field("2026-06-30"),
        "status": field("active", "draft", "archived"),
        "kr-TOTAL_FORMS": field(1, 2, 1000),
        "kr-INITIAL_FORMS": field(0),
        "kr-0-title": field("Talks given"),
        "kr-0-kind": field("number", "boolean"),
        "kr-0-start_value": field(0),
        "kr-0-target_value": field(5, 0),
        "kr-0-weight": field(1),
        "kr-0-due_date": field("2026-06-30"),
    }


#: Each form: ``(url, fields)`` from the fuzz world; ``url`` may be a strategy (ids in the path).
FORMS = {
    "check-in": lambda w: (
        "/mentoring/check-in/",
        {
            "key_result": field(w["kr"].pk, w["other_kr"].pk),
            "value": field(3, 0.5),
            "confidence": field(0, 10, 11),
            "note": field("ok"),
            "log_session": field("on"),
            **SESSION_FIELDS,
        },
    ),
    "session": lambda w: (
        "/mentoring/session/",
        {
            "mentorship": field(w["mentorship"].pk),
            "key_results_discussed": field(w["kr"].pk, w["other_kr"].pk),
            **SESSION_FIELDS,
        },
    ),
    "objective-new": lambda w: ("/mentoring/objectives/new/", objective_fields(w)),
    "objective-edit": lambda w: (
        url_pk(w["objective"].pk).map("/mentoring/objective/{}/edit/".format),
        objective_fields(w),
    ),
    "initiative": lambda w: (
        url_pk(w["initiative"].pk).map("/mentoring/initiative/{}/toggle/".format),
        {"done": field("on")},
    ),
    "enrolment": lambda w: (
        f"{w['program'].url}enrol/",
        {
            "role": field("mentee", "mentor"),
            "goals": field("Grow"),
            "skills_sought": field("python"),
            "skills_offered": field("sql"),
            "interests": field("chess"),
            "languages": field("en"),
            "availability": field("Mondays"),
            "capacity": field(1, 3),
            "job_title": field("Analyst"),
            "department": field("IT"),
            "location": field("Rome"),
            "time_zone": field("Europe/Rome"),
            "seniority": field(1, 10),
            "career_goals": field("Lead"),
        },
    ),
    "profile": lambda w: (
        f"{w['program'].get_parent().url}profile/",
        {
            "job_title": field("Analyst"),
            "department": field("IT"),
            "location": field("Rome"),
            "time_zone": field("Europe/Rome"),
            "seniority": field(1, 10),
            "career_goals": field("Lead"),
            "languages": field("en, it"),
            "skills": field("python"),
            "interests": field("chess"),
            "bio": field("Hello"),
        },
    ),
    "session-rating": lambda w: (
        url_pk(w["session"].pk).map("/mentoring-app/surveys/session/{}/".format),
        {"rating": field(1, 5), "nps": field(0, 10), "comment": field("Useful")},
    ),
    "program-survey": lambda w: (
        url_pk(w["program"].pk).map("/mentoring-app/surveys/program/{}/".format),
        {"rating": field(1, 5), "nps": field(0, 10), "comment": field("Useful")},
    ),
    "kudos": lambda w: (
        url_pk(w["mentorship"].pk).map("/mentoring-app/kudos/{}/".format),
        {"message": field("Well done")},
    ),
    "preferences": lambda w: (
        "/mentoring-app/notifications/preferences/",
        {kind: field("on") for kind in NotificationKind.values},
    ),
    "event-registration": lambda w: (
        url_pk(w["event"].pk).map("/mentoring-app/training/events/{}/register/".format),
        {},
    ),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_fuzzed_form_posts_never_fail_or_half_write(name, fuzz_world, roles, client_for):
    url, fields = FORMS[name](fuzz_world)
    urls = url if isinstance(url, st.SearchStrategy) else st.just(url)
    clients = [(role, client_for(roles[role])) for role in ROLES]
    posted = []

    @SETTINGS
    @given(path=urls, data=form(fields))
    def run(path: str, data: dict) -> None:
        role, client = clients[len(posted) % len(clients)]  # the roles take turns: each posts at least once
        posted.append(role)
        before = row_counts()
        response = client.post(path, data)
        assert response.status_code < 500, (role, path, data)
        if response.status_code not in (301, 302, 303):
            assert row_counts() == before, (role, path, response.status_code, data)

    run()
    assert set(posted) == set(ROLES)
