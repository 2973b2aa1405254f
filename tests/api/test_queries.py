"""Every list endpoint runs the same number of SQL queries with 5 rows as with 50.

The rows are built as cheaply as they can be while staying what the endpoints list: rows without
``save()`` logic in one INSERT per model (``post_save`` still sent, as saving each would), pages saved
once each, and no search indexing while building (no list endpoint reads the search index).
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import client_for
from tests.dashboards.conftest import _bulk_create as bulk_create
from tests.factories import (
    CheckInFactory,
    EnrolmentFactory,
    InitiativeFactory,
    KeyResultFactory,
    MentoringProgramPageFactory,
    MentorshipFactory,
    ObjectiveFactory,
    RealignmentFactory,
    UserFactory,
)
from tests.factories.api import FeedbackFactory, SessionFactory, TrainingEventFactory, TrainingResourcePageFactory
from tests.factories.okr import objective_template
from wagtail_mentoring import models

pytestmark = pytest.mark.django_db


def _objectives(w, n):
    for _i in range(n):
        o = ObjectiveFactory(owner=w.roles["mentee"], mentorship=w.roles["mentorship"])
        bulk_create(models.KeyResult, [KeyResultFactory.build(objective=o) for _k in range(2)])


def _key_results(w, n):
    bulk_create(models.KeyResult, [KeyResultFactory.build(objective=w.o_pair) for _i in range(n)])


def _check_ins(w, n):
    bulk_create(models.CheckIn, [CheckInFactory.build(key_result=w.kr_pair) for _i in range(n)])


def _realignments(w, n):
    bulk_create(models.Realignment, [RealignmentFactory.build(key_result=w.kr_pair) for _i in range(n)])


def _initiatives(w, n):
    bulk_create(
        models.Initiative,
        [InitiativeFactory.build(objective=w.o_pair, assignee=w.roles["mentee"]) for _i in range(n)],
    )


def _sessions(w, n):
    sessions = bulk_create(
        models.MentoringSession,
        [SessionFactory.build(mentorship=w.roles["mentorship"], created_by=w.roles["mentor"]) for _i in range(n)],
    )
    through = models.MentoringSession.key_results_discussed.through
    through.objects.bulk_create([through(**{"mentoringsession": s, "keyresult": w.kr_pair}) for s in sessions])


def _mentorships(w, n):
    for _i in range(n):
        MentorshipFactory(program=w.program)


def _enrolments(w, n):
    for _i in range(n):
        EnrolmentFactory(program=w.program, user=UserFactory())


def _feedback(w, n):
    bulk_create(
        models.Feedback,
        [
            FeedbackFactory.build(mentorship=w.roles["mentorship"], program=w.program, author=w.roles["mentee"])
            for _i in range(n)
        ],
    )


def _skill_ratings(w, n):
    """``n`` skills of the program, each rated by the mentee and, at closing, by their mentor."""
    skills = bulk_create(
        models.ProgramSkill, [models.ProgramSkill(program=w.program, name=f"Skill {i}") for i in range(n)]
    )
    bulk_create(
        models.SkillRating,
        [
            models.SkillRating(skill=s, subject=w.roles["mentee"], rater=rater, moment=moment, level=3)
            for s in skills
            for rater, moment in ((w.roles["mentee"], "start"), (w.roles["mentor"], "closing"))
        ],
    )


def _programs(w, n):
    for _i in range(n):
        MentoringProgramPageFactory(parent=w.program.get_parent())


def _resources(w, n):
    library = w.r_public.get_parent()
    for _i in range(n):
        page = TrainingResourcePageFactory.build()
        page.topics.add("listening", "feedback")  # saved with the page: one save, as an editor's publish
        library.add_child(instance=page)


def _completions(w, n):
    library = w.r_public.get_parent()
    pages = [TrainingResourcePageFactory(parent=library) for _i in range(n)]
    bulk_create(
        models.TrainingCompletion, [models.TrainingCompletion(user=w.roles["mentee"], resource=p) for p in pages]
    )


def _events(w, n):
    events = bulk_create(models.TrainingEvent, [TrainingEventFactory.build() for _i in range(n)])
    bulk_create(
        models.TrainingRegistration,
        [models.TrainingRegistration(user=w.roles["mentee"], event=event) for event in events],
    )


def _registrations(w, n):
    _events(w, n)


def _templates(w, n):
    for i in range(n):
        objective_template(f"Template {i}", programs=[w.program, w.other_program] if i % 2 else [], n=3)


def unindexed():
    """Saves that do not update the search index (``AUTO_UPDATE`` off): indexing was half the cost of
    building the pages, and no list endpoint reads the index."""
    backends = {name: {**conf, "AUTO_UPDATE": False} for name, conf in settings.WAGTAILSEARCH_BACKENDS.items()}
    return override_settings(WAGTAILSEARCH_BACKENDS=backends)


CASES = {
    "objectives": ("coordinator", _objectives),
    "key-results": ("coordinator", _key_results),
    "check-ins": ("coordinator", _check_ins),
    "realignments": ("mentor", _realignments),
    "initiatives": ("mentee", _initiatives),
    "sessions": ("mentee", _sessions),
    "mentorships": ("coordinator", _mentorships),
    "enrolments": ("coordinator", _enrolments),
    "feedback": ("mentee", _feedback),
    "skill-ratings": ("mentor", _skill_ratings),
    "programs": ("mentee", _programs),
    "training-resources": ("mentee", _resources),
    "completions": ("mentee", _completions),
    "events": ("mentee", _events),
    "registrations": ("mentee", _registrations),
    "objective-templates": ("mentee", _templates),
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
    with unindexed():
        build(world, 5)
    few, rows_few = _count(client, endpoint)
    with unindexed():
        build(world, 45)
    many, rows_many = _count(client, endpoint)
    assert rows_many >= rows_few + 45
    assert few == many, f"{endpoint}: {few} queries with {rows_few} rows, {many} with {rows_many}"
