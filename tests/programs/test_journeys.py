"""Program journeys: the pure rule (``programs.journeys``), the services that mark a step done or undo it, and
the selector that computes each pairing's journey (``programs.selectors.attach_journeys``)."""

import datetime as dt
import doctest
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, active_mentorship
from tests.factories.core import ObjectiveFactory
from tests.factories.training import TrainingLibraryPageFactory, TrainingResourcePageFactory
from wagtail_mentoring.models import (
    Feedback,
    JourneyStepCompletion,
    LearningPath,
    LearningPathItem,
    MentoringProgramPage,
    Mentorship,
    TrainingCompletion,
)
from wagtail_mentoring.programs import journeys
from wagtail_mentoring.programs.journeys import JourneyStep, compute_journey, step_state
from wagtail_mentoring.programs.selectors import attach_journeys
from wagtail_mentoring.programs.services import complete_journey_step, pause, undo_journey_step

START = dt.date(2026, 1, 1)


# --- the pure rule ----------------------------------------------------------------------------------
def test_docstring_examples():
    assert doctest.testmod(journeys).failed == 0


@pytest.mark.parametrize(
    ("due", "today", "state"),
    [
        (dt.date(2026, 1, 10), dt.date(2026, 1, 2), "upcoming"),  # 8 days ahead
        (dt.date(2026, 1, 10), dt.date(2026, 1, 3), "due"),  # 7 days ahead: in the window
        (dt.date(2026, 1, 10), dt.date(2026, 1, 10), "due"),  # today
        (dt.date(2026, 1, 10), dt.date(2026, 1, 11), "overdue"),
        (None, dt.date(2026, 1, 11), "upcoming"),  # the pairing has not started
    ],
)
def test_step_state(due, today, state):
    assert step_state(due, False, today) == state
    assert step_state(due, True, today) == "done"


def demo_steps():
    return [
        JourneyStep("agreement", "Agreement", 0),
        JourneyStep("objectives", "First objectives", 14, completes_when=journeys.OBJECTIVES),
        JourneyStep("check", "30-day check", 30, completes_when=journeys.SURVEY, survey_kind="pairing_check"),
        JourneyStep("mid", "Mid-point review", 180),
        JourneyStep("closing", "Closing", 360),
    ]


def test_compute_journey_due_dates_states_and_summary():
    at = dt.datetime(2026, 1, 2, 9, tzinfo=dt.UTC)
    journey = compute_journey(START, demo_steps(), {"agreement": at}, ["check"], today=dt.date(2026, 2, 1))
    assert [(s.step.id, s.due, s.state) for s in journey.steps] == [
        ("agreement", START, "done"),
        ("objectives", dt.date(2026, 1, 15), "overdue"),
        ("check", dt.date(2026, 1, 31), "done"),
        ("mid", dt.date(2026, 6, 30), "upcoming"),
        ("closing", dt.date(2026, 12, 27), "upcoming"),
    ]
    assert journey.steps[0].completed_at == at and not journey.steps[0].automatic
    assert journey.steps[2].automatic and journey.steps[2].completed_at is None
    summary = journey.summary
    assert (summary.done, summary.total, summary.overdue) == (2, 5, 1)
    assert summary.next_step.step.id == "objectives"
    assert summary.text == "2 of 5 steps, 1 overdue"
    assert [s.step.id for s in journey.overdue] == ["objectives"]


def test_a_manual_step_is_not_done_by_something_happening_and_unknown_completions_are_ignored():
    journey = compute_journey(START, demo_steps()[:1], {"gone": None}, ["agreement"], today=START)
    assert journey.steps[0].state == "due"
    assert journey.summary.text == "0 of 1 step"
    assert compute_journey(START, [], {}, today=START).summary.text == ""


def test_today_is_required():
    with pytest.raises(ValueError):
        compute_journey(START, [], {})


# --- services ---------------------------------------------------------------------------------------
def step(step_id, title, days, **value):
    return {
        "type": "step",
        "id": step_id,
        "value": {
            "title": title,
            "days_after_start": days,
            "description": "",
            "resource": None,
            "path": None,
            "survey_kind": "",
            "completes_when": "manual",
            **value,
        },
    }


AGREEMENT = str(uuid.UUID(int=101))
OBJECTIVES = str(uuid.UUID(int=102))
CHECK = str(uuid.UUID(int=103))
TRAINING = str(uuid.UUID(int=104))


def set_journey(program, *steps):
    program.journey = list(steps)
    program.save()
    return MentoringProgramPage.objects.get(pk=program.pk)


@pytest.fixture
def journey_program(roles, program):
    return set_journey(
        program,
        step(AGREEMENT, "Agreement", 0),
        step(OBJECTIVES, "First objectives", 14, completes_when="objectives"),
        step(CHECK, "30-day check", 30, completes_when="survey", survey_kind="pairing_check"),
    )


def fresh(mentorship):
    return Mentorship.objects.select_related("program").get(pk=mentorship.pk)


@pytest.mark.django_db
def test_the_program_reads_its_steps_with_their_block_ids(journey_program):
    assert [s.id for s in journey_program.journey_steps] == [AGREEMENT, OBJECTIVES, CHECK]
    assert journey_program.journey_step(CHECK).survey_kind == "pairing_check"
    assert journey_program.journey_step("nope") is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_the_pair_completes_and_undoes_a_step_idempotently(roles, journey_program, who):
    mentorship, user = roles["mentorship"], roles[who]
    first = complete_journey_step(mentorship, AGREEMENT, user)
    again = complete_journey_step(mentorship, AGREEMENT, roles["mentee"])
    assert again.pk == first.pk and again.completed_by == user
    assert JourneyStepCompletion.objects.filter(mentorship=mentorship).count() == 1
    undo_journey_step(mentorship, AGREEMENT, user)
    undo_journey_step(mentorship, AGREEMENT, user)
    assert not JourneyStepCompletion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "superuser", "employee", "other_mentee", "inactive"])
def test_nobody_outside_the_active_pair_marks_a_step(roles, journey_program, who):
    with pytest.raises(ValidationError) as exc:
        complete_journey_step(roles["mentorship"], AGREEMENT, roles[who])
    assert exc.value.code == "not_in_pair"
    with pytest.raises(ValidationError):
        complete_journey_step(roles["mentorship"], AGREEMENT, None)
    assert not JourneyStepCompletion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("step_id", ["nope", "", 12, None])
def test_an_unknown_step_is_refused(roles, journey_program, step_id):
    with pytest.raises(ValidationError) as exc:
        complete_journey_step(roles["mentorship"], step_id, roles["mentee"])
    assert "step_id" in exc.value.message_dict
    with pytest.raises(ValidationError):
        undo_journey_step(roles["mentorship"], step_id, roles["mentee"])
    assert not JourneyStepCompletion.objects.exists()


@pytest.mark.django_db
def test_a_step_of_another_program_is_unknown(roles, journey_program, other_program):
    set_journey(other_program, step(str(uuid.UUID(int=999)), "Elsewhere", 0))
    with pytest.raises(ValidationError):
        complete_journey_step(roles["mentorship"], str(uuid.UUID(int=999)), roles["mentee"])


@pytest.mark.django_db
def test_a_paused_pairing_journey_does_not_change(roles, journey_program):
    mentorship = roles["mentorship"]
    pause(mentorship)
    with pytest.raises(ValidationError):
        complete_journey_step(fresh(mentorship), AGREEMENT, roles["mentee"])
    assert not JourneyStepCompletion.objects.exists()


# --- the selector -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_steps_are_done_when_the_linked_thing_happened(roles, journey_program):
    mentorship = roles["mentorship"]
    today = mentorship.started_on + dt.timedelta(days=40)
    (before,) = attach_journeys([fresh(mentorship)], today=today)
    assert [s.state for s in before.journey.steps] == ["overdue", "overdue", "overdue"]
    complete_journey_step(mentorship, AGREEMENT, roles["mentee"])
    ObjectiveFactory(owner=roles["mentee"], mentorship=mentorship, status="active")
    Feedback.objects.create(mentorship=mentorship, author=roles["mentee"], kind="pairing_check", rating=4)
    (after,) = attach_journeys([fresh(mentorship)], today=today)
    assert [(s.state, s.automatic) for s in after.journey.steps] == [
        ("done", False),
        ("done", True),
        ("done", True),
    ]
    assert after.journey.summary.text == "3 of 3 steps"


@pytest.mark.django_db
def test_a_draft_objective_or_another_survey_does_not_count(roles, journey_program):
    mentorship = roles["mentorship"]
    ObjectiveFactory(owner=roles["mentee"], mentorship=mentorship, status="draft")
    Feedback.objects.create(mentorship=mentorship, author=roles["mentee"], kind="closing", rating=4)
    (pairing,) = attach_journeys([fresh(mentorship)], today=mentorship.started_on)
    assert [s.done for s in pairing.journey.steps] == [False, False, False]


@pytest.mark.django_db
def test_a_training_step_is_done_when_the_mentee_completes_the_path(roles, program, home_page):
    library = TrainingLibraryPageFactory(parent=home_page)
    resources = [TrainingResourcePageFactory(parent=library) for _ in range(2)]
    path = LearningPath.objects.create(title="Start here")
    for i, resource in enumerate(resources):
        LearningPathItem.objects.create(path=path, resource=resource, sort_order=i)
    set_journey(program, step(TRAINING, "Training", 7, completes_when="path", path=path.pk))
    mentorship = roles["mentorship"]
    TrainingCompletion.objects.create(user=roles["mentee"], resource=resources[0])
    TrainingCompletion.objects.create(user=roles["mentor"], resource=resources[1])  # the mentor's does not count
    (pairing,) = attach_journeys([fresh(mentorship)], today=mentorship.started_on)
    assert not pairing.journey.steps[0].done and pairing.journey_rows[0].path == path
    TrainingCompletion.objects.create(user=roles["mentee"], resource=resources[1])
    (pairing,) = attach_journeys([fresh(mentorship)], today=mentorship.started_on)
    assert pairing.journey.steps[0].done


@pytest.mark.django_db
def test_attach_journeys_runs_the_same_queries_for_5_and_50_pairings(journey_program):
    def add(n):
        for _ in range(n):
            mentorship = active_mentorship(program=journey_program, mentor=UserFactory(), mentee=UserFactory())
            complete_journey_step(mentorship, AGREEMENT, mentorship.mentee)
            Feedback.objects.create(mentorship=mentorship, author=mentorship.mentee, kind="pairing_check", rating=3)

    def count():
        pairings = Mentorship.objects.filter(program=journey_program).select_related("program")
        with CaptureQueriesContext(connection) as ctx:
            result = attach_journeys(pairings, today=dt.date(2026, 3, 1))
        assert all(p.journey.summary.total == 3 for p in result)
        return len(ctx.captured_queries), len(result)

    add(5)
    small, n_small = count()
    add(45)
    large, n_large = count()
    assert (n_small, n_large) == (6, 51)  # and the roles pairing
    assert large == small


# --- the block and the editor -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"completes_when": "survey", "survey_kind": ""}, "survey_kind"),
        ({"completes_when": "path"}, "path"),
    ],
)
def test_the_block_refuses_a_step_without_what_completes_it(value, field):
    from wagtail.blocks import StructBlockValidationError

    from wagtail_mentoring.programs.blocks import JourneyStepBlock

    block = JourneyStepBlock()
    data = block.to_python({"title": "Check", "days_after_start": 30, **value})
    with pytest.raises(StructBlockValidationError) as exc:
        block.clean(data)
    assert field in exc.value.block_errors
    ok = block.to_python(
        {"title": "Check", "days_after_start": 30, "completes_when": "survey", "survey_kind": "closing"}
    )
    assert block.clean(ok)["survey_kind"] == "closing"


def test_the_survey_choices_are_the_pairing_surveys():
    from wagtail_mentoring.programs.blocks import pairing_survey_kinds

    assert [kind for kind, _label in pairing_survey_kinds()] == ["", "session", "pairing_check", "midpoint", "closing"]


@pytest.mark.django_db
def test_the_editor_has_a_journey_tab(client, journey_program):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/pages/{journey_program.pk}/edit/").content.decode()
    assert ">Journey<" in html and "Days after the pairing starts" in html
    page = client.get(journey_program.url).content.decode()
    assert "s journey</h2>" in page and "30-day check" in page
