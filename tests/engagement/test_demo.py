"""The engagement demo step: meaningful history, and idempotent."""

import datetime as dt
import io

import pytest
from django.core.management.color import no_style

from tests.factories import active_mentorship
from wagtail_mentoring.demo import engagement
from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import Feedback, Kudos, MentoringSession, Outcome, ReminderLog
from wagtail_mentoring.reports.metrics import program_report

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (MentoringSession, Feedback, Kudos, Outcome, ReminderLog)]


def test_nothing_without_mentorships(db):
    out = io.StringIO()
    engagement.run(DemoContext(stdout=out, style=no_style(), verbose=True))  # the step says why
    assert "nothing created" in out.getvalue()
    assert counts() == [0, 0, 0, 0, 0]


def test_history_is_meaningful_and_idempotent(roles, program):
    ended = active_mentorship(program=program)
    ended.status, ended.ended_on = "completed", dt.date(2026, 6, 30)
    ended.save()
    ctx = DemoContext(stdout=io.StringIO(), style=no_style())
    engagement.run(ctx)
    first = counts()
    assert all(first), first
    assert set(Feedback.objects.values_list("kind", flat=True)) >= {"session", "pairing_check", "closing"}
    engagement.run(ctx)
    assert counts() == first
    report = program_report(program)
    assert report.sessions_total > 0 and report.average_rating is not None
