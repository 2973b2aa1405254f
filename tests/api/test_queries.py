"""Every list endpoint runs the same number of SQL queries with 5 rows as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import client_for
from tests.factories import (
    CheckInFactory,
    EnrolmentFactory,
    InitiativeFactory,
    KeyResultFactory,
    MentoringProgramPageFactory,
    MentorshipFactory,
    ObjectiveFactory,
    UserFactory,
)
from tests.factories.api import FeedbackFactory, SessionFactory, TrainingEventFactory, TrainingResourcePageFactory
from wagtail_mentoring import models

pytestmark = pytest.mark.django_db


def _objectives(w, n):
    for _i in range(n):
        o = ObjectiveFactory(owner=w.roles["mentee"], mentorship=w.roles["mentorship"])
        KeyResultFactory(objective=o)
        KeyResultFactory(objective=o)


def _key_results(w, n):
    for _i in range(n):
        KeyResultFactory(objective=w.o_pair)


def _check_ins(w, n):
    for _i in range(n):
        CheckInFactory(key_result=w.kr_pair)


def _initiatives(w, n):
    for _i in range(n):
        InitiativeFactory(objective=w.o_pair, assignee=w.roles["mentee"])


def _sessions(w, n):
    for _i in range(n):
        s = SessionFactory(mentorship=w.roles["mentorship"], created_by=w.roles["mentor"])
        s.key_results_discussed.set([w.kr_pair])


def _mentorships(w, n):
    for _i in range(n):
        MentorshipFactory(program=w.program)


def _enrolments(w, n):
    for _i in range(n):
        EnrolmentFactory(program=w.program, user=UserFactory())


def _feedback(w, n):
    for _i in range(n):
        FeedbackFactory(mentorship=w.roles["mentorship"], program=w.program, author=w.roles["mentee"])


def _programs(w, n):
    for _i in range(n):
        MentoringProgramPageFactory(parent=w.program.get_parent())


def _resources(w, n):
    library = w.r_public.get_parent()
    for _i in range(n):
        page = TrainingResourcePageFactory(parent=library)
        page.topics.add("listening", "feedback")
        page.save()


def _completions(w, n):
    library = w.r_public.get_parent()
    for _i in range(n):
        page = TrainingResourcePageFactory(parent=library)
        models.TrainingCompletion.objects.create(user=w.roles["mentee"], resource=page)


def _events(w, n):
    for _i in range(n):
        event = TrainingEventFactory()
        models.TrainingRegistration.objects.create(user=w.roles["mentee"], event=event)


def _registrations(w, n):
    _events(w, n)


CASES = {
    "objectives": ("coordinator", _objectives),
    "key-results": ("coordinator", _key_results),
    "check-ins": ("coordinator", _check_ins),
    "initiatives": ("mentee", _initiatives),
    "sessions": ("mentee", _sessions),
    "mentorships": ("coordinator", _mentorships),
    "enrolments": ("coordinator", _enrolments),
    "feedback": ("mentee", _feedback),
    "programs": ("mentee", _programs),
    "training-resources": ("mentee", _resources),
    "completions": ("mentee", _completions),
    "events": ("mentee", _events),
    "registrations": ("mentee", _registrations),
    "me": ("mentee", _objectives),
}


def _count(client, endpoint):
    url = f"/api/mentoring/v1/{endpoint}/"
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"page_size": 100} if endpoint != "me" else None)
    assert response.status_code == 200, response.content
    body = response.json()
    rows = len(body["results"]) if "results" in body else len(body["objectives"])
    return len(queries), rows


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_list_queries_do_not_grow(world, endpoint):
    role, build = CASES[endpoint]
    client = client_for(world.roles, role)
    build(world, 5)
    few, rows_few = _count(client, endpoint)
    build(world, 45)
    many, rows_many = _count(client, endpoint)
    assert rows_many >= rows_few + 45
    assert few == many, f"{endpoint}: {few} queries with {rows_few} rows, {many} with {rows_many}"
