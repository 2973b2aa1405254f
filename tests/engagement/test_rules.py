"""Timing of every reminder rule, at its boundaries."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import EnrolmentFactory, MentorshipFactory, UserFactory
from tests.factories.engagement import FeedbackFactory, MentoringSessionFactory, at
from wagtail_mentoring.models import CheckIn, Enrolment, Feedback
from wagtail_mentoring.notifications import rules

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def one_active_pair(roles):
    """Keep only ``roles["mentorship"]`` active so each rule's output is about it alone."""
    roles["other_mentorship"].status = "paused"
    roles["other_mentorship"].save()


def due(rule, day, hour=9):
    return sorted(rule.due(at(day, hour)), key=lambda r: (r.user_id, r.period))


def users(reminders):
    return {r.user_id for r in reminders}


class TestCheckInDue:
    def test_boundaries_and_period(self, roles, pairing_kr):
        rule = rules.CheckInDueRule()
        pair = {roles["mentor"].pk, roles["mentee"].pk}
        assert due(rule, START + dt.timedelta(days=13)) == []
        first = due(rule, START + dt.timedelta(days=14))
        assert users(first) == pair
        assert {r.period for r in first} == {"2026-01-15#1"}
        # Still the same period until the next cadence; then a new one.
        assert {r.period for r in due(rule, START + dt.timedelta(days=27))} == {"2026-01-15#1"}
        assert {r.period for r in due(rule, START + dt.timedelta(days=28))} == {"2026-01-15#2"}

    def test_a_check_in_resets_the_clock(self, roles, pairing_kr):
        CheckIn.objects.create(
            key_result=pairing_kr, author=roles["mentee"], value=3, created_at=at(dt.date(2026, 2, 10))
        )
        rule = rules.CheckInDueRule()
        assert due(rule, dt.date(2026, 2, 23)) == []
        assert {r.period for r in due(rule, dt.date(2026, 2, 24))} == {"2026-02-10#1"}

    def test_no_key_results_no_reminder(self, roles):
        assert due(rules.CheckInDueRule(), START + dt.timedelta(days=40)) == []

    def test_paused_pairs_are_not_reminded(self, roles, pairing_kr):
        roles["mentorship"].status = "paused"
        roles["mentorship"].save()
        assert due(rules.CheckInDueRule(), START + dt.timedelta(days=40)) == []


class TestNoSession:
    def test_boundaries(self, roles):
        rule = rules.NoSessionRule()
        assert due(rule, START + dt.timedelta(days=13)) == []
        assert {roles["mentor"].pk, roles["mentee"].pk} <= users(due(rule, START + dt.timedelta(days=14)))

    def test_a_session_resets_the_clock_and_mentorship_cadence_wins(self, roles):
        m = roles["mentorship"]
        m.meeting_cadence_days = 7
        m.save()
        MentoringSessionFactory(mentorship=m, date=at(dt.date(2026, 3, 1)))
        rule = rules.NoSessionRule()
        assert due(rule, dt.date(2026, 3, 7)) == []
        reminders = due(rule, dt.date(2026, 3, 8))
        assert {r.period for r in reminders} == {"2026-03-01#1"}
        assert all("TOP-SECRET" not in str(r.context) for r in reminders)


class TestPairingStalled:
    def test_goes_to_the_programs_coordinators_only(self, roles, pairing_kr):
        rule = rules.PairingStalledRule()
        assert due(rule, START + dt.timedelta(days=27)) == []
        reminders = due(rule, START + dt.timedelta(days=28))
        assert users(reminders) == {roles["coordinator"].pk}

    def test_recent_check_in_means_not_stalled(self, roles, pairing_kr):
        CheckIn.objects.create(
            key_result=pairing_kr, author=roles["mentee"], value=3, created_at=at(dt.date(2026, 2, 10))
        )
        assert due(rules.PairingStalledRule(), dt.date(2026, 2, 20)) == []

    def test_inactive_coordinators_are_skipped(self, roles):
        roles["coordinator"].is_active = False
        roles["coordinator"].save()
        assert due(rules.PairingStalledRule(), START + dt.timedelta(days=60)) == []


class TestEnrolmentReview:
    def test_after_the_configured_days(self, roles, program, settings):
        enrolment = EnrolmentFactory(program=program, status="applied")
        Enrolment.objects.filter(pk=enrolment.pk).update(created_at=at(dt.date(2026, 3, 1)))
        rule = rules.EnrolmentReviewRule()
        assert due(rule, dt.date(2026, 3, 4), hour=8) == []
        reminders = due(rule, dt.date(2026, 3, 4), hour=9)
        assert users(reminders) == {roles["coordinator"].pk}
        assert reminders[0].context["count"] == 1
        assert reminders[0].period == "2026-03-04"

    def test_reviewed_enrolments_are_not_counted(self, roles, program):
        enrolment = EnrolmentFactory(program=program, status="accepted")
        Enrolment.objects.filter(pk=enrolment.pk).update(created_at=at(dt.date(2026, 3, 1)))
        assert due(rules.EnrolmentReviewRule(), dt.date(2026, 3, 10)) == []


class TestMenteeUnmatched:
    def test_accepted_mentee_without_a_pairing(self, roles, program):
        mentee = UserFactory()
        enrolment = EnrolmentFactory(program=program, user=mentee, role="mentee", status="accepted")
        Enrolment.objects.filter(pk=enrolment.pk).update(reviewed_at=at(dt.date(2026, 3, 1)))
        rule = rules.MenteeUnmatchedRule()
        assert due(rule, dt.date(2026, 3, 8), hour=8) == []
        reminders = due(rule, dt.date(2026, 3, 8), hour=9)
        assert users(reminders) == {roles["coordinator"].pk}
        assert reminders[0].period == "2026-W10"
        MentorshipFactory(program=program, mentee=mentee, mentor=roles["other_mentor"], status="proposed")
        assert due(rule, dt.date(2026, 3, 8), hour=9) == []


class TestSurveyDue:
    def test_pairing_check_at_30_days_then_every_n(self, roles, program):
        rule = rules.SurveyDueRule()
        assert due(rule, START + dt.timedelta(days=29)) == []
        reminders = due(rule, START + dt.timedelta(days=30))
        assert users(reminders) == {roles["mentor"].pk, roles["mentee"].pk}
        assert {r.period for r in reminders} == {"2026-02-14"}
        assert reminders[0].context["url"] == f"/mentoring-app/surveys/pairing/{roles['mentorship'].pk}/"
        for user in (roles["mentor"], roles["mentee"]):
            fb = FeedbackFactory(mentorship=roles["mentorship"], program=program, author=user, kind="pairing_check")
            Feedback.objects.filter(pk=fb.pk).update(created_at=at(dt.date(2026, 2, 15)))
        assert due(rule, dt.date(2026, 3, 15)) == []
        assert {r.period for r in due(rule, dt.date(2026, 3, 16))} == {"2026-03-16"}


class TestEndingSoon:
    def test_boundaries(self, roles, program):
        rule = rules.EndingSoonRule()
        assert due(rule, dt.date(2026, 12, 16)) == []
        reminders = due(rule, dt.date(2026, 12, 17))
        assert users(reminders) == {roles["mentor"].pk, roles["mentee"].pk}
        assert reminders[0].period == "2026-12-31"
        assert due(rule, dt.date(2027, 1, 1)) == []


def test_each_rule_has_a_message(roles, pairing_kr, program):
    now = at(dt.date(2026, 12, 20))
    seen = set()
    for rule in rules.RULES:
        for reminder in rule.due(now):
            message = rule.message(reminder.context)
            assert message.subject and message.body
            seen.add(rule.kind)
    assert {"check_in_due", "no_session", "pairing_stalled", "ending_soon"} <= seen
    assert timezone.is_aware(now)
