"""The goals a mentee writes when applying become draft objectives of their pairing when it is approved (issue 15,
the shared plan): after the approval commits, through ``snippets.services.drafts_from_enrolment_goals``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from tests.factories import UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Objective
from wagtail_mentoring.programs import services
from wagtail_mentoring.snippets.services import drafts_from_enrolment_goals

pytestmark = pytest.mark.django_db


def _proposal(program, goals: str, mentor_goals: str = "Grow as a leader"):
    mentor = mentor_enrolment(program, goals=mentor_goals).user
    mentee = mentee_enrolment(program, goals=goals).user
    return services.propose(program, mentor, mentee)


def drafts(pairing) -> list[tuple]:
    return list(
        Objective.objects.filter(mentorship=pairing)
        .order_by("pk")
        .values_list("title", "owner_id", "level", "status", "program_id")
    )


def test_each_line_of_the_goals_becomes_a_draft_once_the_approval_commits(program, django_capture_on_commit_callbacks):
    coordinator = UserFactory()
    pairing = _proposal(program, "Present to leadership\n\n  Lead a project end to end  ")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve(pairing, by=coordinator, notify=False)
    assert drafts(pairing) == []  # nothing inside the approval's transaction
    for callback in callbacks:
        callback()
    mentee = pairing.mentee_id
    assert drafts(pairing) == [
        ("Present to leadership", mentee, "mentee", "draft", program.pk),
        ("Lead a project end to end", mentee, "mentee", "draft", program.pk),
    ]  # the mentor's goals stay theirs: only the mentee's application becomes drafts
    first = Objective.objects.filter(mentorship=pairing).earliest("pk")
    entry = ModelLogEntry.objects.for_instance(first).get()
    assert (entry.action, entry.user) == ("wagtail.create", coordinator)
    # Approving again (or running it twice) adds nothing.
    assert drafts_from_enrolment_goals([pairing]) == []


def test_bulk_approval_makes_the_drafts_of_every_pair(program, django_capture_on_commit_callbacks):
    mentor = mentor_enrolment(program, capacity=3).user
    pairs = services.propose_many(
        program, [(mentor, mentee_enrolment(program, goals=f"Goal {n}").user, 0.5, {}) for n in range(3)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_many(pairs, notify=False)
    assert [[row[0] for row in drafts(pair)] for pair in pairs] == [["Goal 0"], ["Goal 1"], ["Goal 2"]]


def test_the_pairings_objective_limit_keeps_the_rest_in_the_application(program, django_capture_on_commit_callbacks):
    program.max_objectives = 2
    program.save_revision().publish()
    pairing = _proposal(program, "One\nTwo\nThree")
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(pairing, notify=False)
    assert [row[0] for row in drafts(pairing)] == ["One", "Two"]


def test_no_goals_no_drafts_and_a_long_goal_keeps_its_words(program, django_capture_on_commit_callbacks):
    empty = _proposal(program, "")
    long_goal = "Learn " + "very " * 80 + "much"
    long = _proposal(program, long_goal)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_many([empty, long], notify=False)
    assert drafts(empty) == []
    (objective,) = Objective.objects.filter(mentorship=long)
    assert len(objective.title) <= 255 and objective.title.endswith("…") and long_goal in objective.description


def test_the_cost_is_the_same_for_every_draft(program):
    """The drafts are written in one statement; what grows is Wagtail's per-object index upkeep (reference and
    search index, as saving any objective does): the same for each draft, whatever the number of pairs."""
    mentor = mentor_enrolment(program, capacity=60).user
    counts = {}
    for n in (5, 10, 50):
        pairs = [services.propose(program, mentor, mentee_enrolment(program, goals=f"Goal {n}").user) for _ in range(n)]
        with CaptureQueriesContext(connection) as queries:
            assert len(drafts_from_enrolment_goals(pairs)) == n
        counts[n] = len(queries)
    assert counts[50] - counts[5] == 9 * (counts[10] - counts[5]), counts
