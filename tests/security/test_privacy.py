"""The ``mentoring_privacy`` command: export one user's data; erase it while program statistics stay."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import CheckInFactory, EnrolmentFactory, KeyResultFactory, ObjectiveFactory
from tests.factories.engagement import FeedbackFactory, MentoringSessionFactory
from tests.factories.programs import MentoringProfileFactory
from wagtail_mentoring import models


@pytest.fixture
def personal(roles, program):
    mentee = roles["mentee"]
    MentoringProfileFactory(user=mentee, bio="SECRET-BIO")
    EnrolmentFactory(program=program, user=mentee, goals="SECRET-GOALS")
    session = MentoringSessionFactory(mentorship=roles["mentorship"], notes="SECRET-NOTES")
    FeedbackFactory(
        mentorship=roles["mentorship"],
        program=program,
        session=session,
        author=mentee,
        rating=5,
        comment="SECRET-COMMENT",
        answers={"what_should_change": "SECRET-ANSWER"},
    )
    objective = ObjectiveFactory(owner=mentee, mentorship=roles["mentorship"], description="SECRET-DESC")
    CheckInFactory(key_result=KeyResultFactory(objective=objective), author=mentee, note="SECRET-CHECKIN")
    return roles


@pytest.mark.django_db
def test_export_lists_the_users_personal_data(personal):
    out = io.StringIO()
    call_command("mentoring_privacy", "export", "mentee", stdout=out)
    data = json.loads(out.getvalue())
    text = out.getvalue()
    secrets = ("SECRET-BIO", "SECRET-GOALS", "SECRET-NOTES", "SECRET-COMMENT", "SECRET-DESC", "SECRET-CHECKIN")
    for secret in (*secrets, "SECRET-ANSWER"):
        assert secret in text
    assert data["user"]["username"] == "mentee"


@pytest.mark.django_db
def test_erase_removes_text_and_keeps_statistics(personal):
    counts = {
        model: model.objects.count()
        for model in (models.MentoringSession, models.Feedback, models.Objective, models.CheckIn, models.Enrolment)
    }
    ratings = list(models.Feedback.objects.values_list("rating", flat=True))
    call_command("mentoring_privacy", "erase", "mentee", stdout=io.StringIO())
    for model, count in counts.items():
        assert model.objects.count() == count, model
    assert list(models.Feedback.objects.values_list("rating", flat=True)) == ratings
    out = io.StringIO()
    mentee = personal["mentee"]
    mentee.refresh_from_db()
    assert not mentee.is_active and mentee.username.startswith("erased-")
    call_command("mentoring_privacy", "export", mentee.username, stdout=out)
    assert "SECRET" not in out.getvalue()


@pytest.mark.django_db
def test_unknown_user_is_a_command_error(roles):
    with pytest.raises(CommandError):
        call_command("mentoring_privacy", "erase", "nobody")


@pytest.mark.django_db
def test_erase_is_atomic(personal, monkeypatch):
    from django.contrib.auth import get_user_model

    def boom(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(get_user_model(), "save", boom)
    with pytest.raises(RuntimeError):
        call_command("mentoring_privacy", "erase", "mentee", stdout=io.StringIO())
    assert models.MentoringSession.objects.filter(notes="SECRET-NOTES").exists()
    assert models.MentoringProfile.objects.filter(bio="SECRET-BIO").exists()


@pytest.mark.django_db
def test_export_lists_the_journey_steps_the_user_marked_done(personal):
    mine = models.JourneyStepCompletion.objects.create(
        mentorship=personal["mentorship"], step_id="agreement", completed_by=personal["mentee"]
    )
    models.JourneyStepCompletion.objects.create(
        mentorship=personal["mentorship"], step_id="other", completed_by=personal["mentor"]
    )
    out = io.StringIO()
    call_command("mentoring_privacy", "export", "mentee", stdout=out)
    assert [row["id"] for row in json.loads(out.getvalue())["journey_steps_marked"]] == [mine.pk]


@pytest.mark.django_db
def test_export_and_erase_cover_groups_and_skill_ratings(roles, program, other_program):
    """The user's groups and their sessions (words included: the group reads them), the skill ratings they gave;
    another group's sessions never; erasing blanks the group sessions' words they wrote."""
    import datetime as dt

    from django.utils import timezone

    mentee, mentor = roles["mentee"], roles["mentor"]
    group = models.MentoringGroup.objects.create(program=program, name="Circle", mentor=mentor)
    models.GroupMember.objects.create(group=group, user=mentee)
    models.GroupSession.objects.create(
        group=group, date=timezone.now() - dt.timedelta(days=1), notes="GROUP-SECRET", created_by=mentee
    )
    other = models.MentoringGroup.objects.create(program=other_program, name="Other", kind="peer")
    models.GroupSession.objects.create(group=other, date=timezone.now(), notes="OTHER-GROUP")
    skill = models.ProgramSkill.objects.create(program=program, name="Feedback")
    models.SkillRating.objects.create(skill=skill, subject=mentee, rater=mentee, moment="start", level=2)
    out = io.StringIO()
    call_command("mentoring_privacy", "export", "mentee", stdout=out)
    data = json.loads(out.getvalue())
    assert [g["name"] for g in data["groups"]] == ["Circle"] and len(data["group_memberships"]) == 1
    assert "GROUP-SECRET" in out.getvalue() and "OTHER-GROUP" not in out.getvalue()
    assert [r["level"] for r in data["skill_ratings"]] == [2]
    call_command("mentoring_privacy", "erase", "mentee", stdout=io.StringIO())
    assert models.GroupSession.objects.get(group=group).notes == ""
    assert models.GroupSession.objects.get(group=other).notes == "OTHER-GROUP"
