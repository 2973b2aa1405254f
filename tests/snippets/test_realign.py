"""Review and realign: the rules (``scoring``), the target in force at a past moment, and the one write path
(``snippets.services.realign_key_result``): all or nothing, with field errors."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import CheckInFactory, KeyResultFactory, ObjectiveFactory, UserFactory
from wagtail_mentoring.models import KeyResult, Realignment
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.services import realign_key_result

D = dt.date(2026, 4, 1)


@pytest.mark.parametrize(
    ("health", "progress", "due", "expected"),
    [
        (scoring.HEALTH_ON_TRACK, 0.5, None, False),
        (scoring.HEALTH_ACHIEVED, 1.0, D - dt.timedelta(days=9), False),
        (scoring.HEALTH_AT_RISK, 0.3, None, True),
        (scoring.HEALTH_OFF_TRACK, 0.1, None, True),
        # On track by the margin, but the due date has passed without the target: missed.
        (scoring.HEALTH_ON_TRACK, 0.95, D - dt.timedelta(days=1), True),
        (scoring.HEALTH_ON_TRACK, 0.95, D, False),  # due today: not missed yet
    ],
)
def test_needs_review(health, progress, due, expected):
    assert scoring.needs_review(health, progress, due, D) is expected


def test_target_in_force_is_the_previous_target_of_the_first_later_change():
    t1, t2 = dt.datetime(2026, 2, 1, 9), dt.datetime(2026, 3, 1, 9)
    changes = [(t2, 8.0), (t1, 10.0)]  # any order
    assert scoring.target_in_force(changes, 6.0, t1 - dt.timedelta(seconds=1)) == 10.0
    assert scoring.target_in_force(changes, 6.0, t1) == 8.0
    assert scoring.target_in_force(changes, 6.0, t2 + dt.timedelta(days=1)) == 6.0
    assert scoring.target_in_force([], 6.0, t1) == 6.0


@pytest.fixture
def missed(db):
    """A key result due in March, at 2 of 10: missed today (1 Dec 2026 or later)."""
    owner = UserFactory()
    objective = ObjectiveFactory(owner=owner, start_date=dt.date(2026, 1, 1), due_date=dt.date(2026, 3, 31))
    return KeyResultFactory(objective=objective, current_value=2, unit="talks")


def _later(days=30):
    return timezone.localdate() + dt.timedelta(days=days)


def test_realign_keeps_the_old_and_new_target_and_due_date(missed):
    author = missed.objective.owner
    review = realign_key_result(
        missed, author, "Two talks were cancelled.", "Ask for slots a month ahead.", target_value=6, due_date=_later()
    )
    missed.refresh_from_db()
    assert (missed.target_value, missed.due_date) == (6, _later())
    assert (review.previous_target, review.target_value) == (10, 6)
    assert (review.previous_due_date, review.due_date) == (None, _later())
    assert review.health == scoring.HEALTH_OFF_TRACK and review.progress == pytest.approx(0.2)
    assert review.author == author and review.target_changed and review.due_date_changed
    assert (review.previous_target_text, review.target_text) == ("10 talks", "6 talks")
    # Now 2 of 6 against a new due date: progress is measured against the target in force.
    assert missed.progress == pytest.approx(2 / 6)


def test_a_check_in_is_measured_against_the_target_in_force_when_it_was_made(missed):
    before = CheckInFactory(key_result=missed, value=2, created_at=timezone.now() - dt.timedelta(days=3))
    realign_key_result(missed, missed.objective.owner, "Too ambitious.", "Aim for five.", target_value=5)
    after = CheckInFactory(key_result=missed, value=3)
    missed = KeyResult.objects.get(pk=missed.pk)
    assert missed.target_on(before.created_at) == 10
    assert missed.target_on(after.created_at) == 5
    assert missed.target_text_on(before.created_at) == "10 talks"


def test_a_reflection_with_what_changes_is_enough(missed):
    review = realign_key_result(missed, missed.objective.owner, "Busy quarter.", "Book the slots now.")
    assert not review.target_changed and not review.due_date_changed and review.what_changes == "Book the slots now."


def _refused(key_result, **kwargs) -> ValidationError:
    args = {
        "author": key_result.objective.owner,
        "what_happened": "It slipped.",
        "what_changes": "Smaller steps.",
        **kwargs,
    }
    with pytest.raises(ValidationError) as caught:
        realign_key_result(key_result, **args)
    return caught.value


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"what_happened": "  "}, "what_happened"),
        ({"what_happened": "x" * 20_001, "what_changes": "More time."}, "what_happened"),
        ({"due_date": dt.date(2026, 1, 2)}, "due_date"),  # in the past
        ({"target_value": 0}, "target_value"),  # equal to the start value
        ({"target_value": float("inf")}, "target_value"),
        ({"what_changes": "  "}, "what_changes"),
    ],
)
def test_bad_input_is_refused_with_a_field_error_and_nothing_written(missed, kwargs, field):
    error = _refused(missed, **kwargs)
    assert field in error.message_dict
    missed.refresh_from_db()
    assert (missed.target_value, missed.due_date) == (10, None)
    assert not Realignment.objects.exists()


def test_an_on_track_key_result_is_not_realigned(db):
    objective = ObjectiveFactory(start_date=_later(-10), due_date=_later(80))
    on_track = KeyResultFactory(objective=objective, current_value=1)
    error = _refused(on_track, target_value=5)
    assert "on track" in " ".join(error.messages) and error.code == "invalid_transition"
    assert not Realignment.objects.exists()


def test_a_closed_objective_is_not_realigned(missed):
    missed.objective.status = "cancelled"
    missed.objective.save()
    assert "closed" in " ".join(_refused(missed, target_value=5).messages)


def test_a_milestone_has_no_target_to_change(db):
    objective = ObjectiveFactory(start_date=dt.date(2026, 1, 1), due_date=dt.date(2026, 3, 31))
    milestone = KeyResultFactory(objective=objective, kind="milestone", start_value=0, target_value=1, current_value=0)
    assert "target_value" in _refused(milestone, target_value=3).message_dict
    review = realign_key_result(milestone, objective.owner, "Blocked by a reorganisation.", "Later.", due_date=_later())
    assert review.due_date == _later()


def test_the_admin_edit_view_shows_the_reviews_the_user_may_see(client, roles, admin_access):
    """The objective's "Key results" tab lists its reviews read-only, text escaped; a coordinator of another
    program does not reach the objective at all."""
    from django.urls import reverse

    from tests.factories import RealignmentFactory

    objective = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"])
    kr = KeyResultFactory(objective=objective, title="Give talks", unit="talks")
    RealignmentFactory(key_result=kr, what_happened="<i>Reorg</i>", what_changes="Fewer talks.")
    edit = reverse("wagtailsnippets_wagtail_mentoring_objective:edit", args=[objective.pk])
    client.force_login(roles["mentee"])
    html = client.get(edit).content.decode()
    assert "Reviews and realignments" in html and "&lt;i&gt;Reorg&lt;/i&gt;" in html and "12 talks → 10 talks" in html
    client.force_login(roles["other_coordinator"])
    assert client.get(edit).status_code in (302, 404)
