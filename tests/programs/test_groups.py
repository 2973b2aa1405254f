"""Group mentoring services and rules: who joins, sizes, sessions, the unmatched rule, filling groups."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories.core import UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.models import Enrolment, GroupMember, GroupSession, MentoringGroup
from wagtail_mentoring.programs import groups
from wagtail_mentoring.programs.proposals import build_candidates
from wagtail_mentoring.programs.selectors import unmatched_mentees

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(program):
    return {
        "mentor": mentor_enrolment(program).user,
        "mentees": [mentee_enrolment(program).user for _ in range(4)],
    }


@pytest.fixture
def group(program, people):
    return groups.create_group(program, name="Leading without authority", mentor=people["mentor"], max_size=3)


def when(days_ago: int = 1) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def test_a_mentoring_group_needs_an_accepted_mentor_and_a_peer_circle_none(program, people):
    with pytest.raises(ValidationError) as exc:
        groups.create_group(program, name="No mentor")
    assert "mentor" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        groups.create_group(program, name="Mentee leads", mentor=people["mentees"][0])
    assert "accepted mentor" in exc.value.message_dict["mentor"][0]
    with pytest.raises(ValidationError):
        groups.create_group(program, name="Peers", kind="peer", mentor=people["mentor"])
    with pytest.raises(ValidationError) as exc:
        groups.create_group(program, name="Too big", mentor=people["mentor"], max_size=99)
    assert "max_size" in exc.value.message_dict
    assert not MentoringGroup.objects.exists()
    circle = groups.create_group(program, name="Peers", kind="peer")
    assert circle.mentor_id is None and circle.max_size == 6


def test_members_join_up_to_the_size_all_or_nothing(group, people):
    a, b, c, d = people["mentees"]
    groups.add_members(group, [a, b])
    with pytest.raises(ValidationError, match="at most 3"):
        groups.add_members(group, [c, d])
    assert set(group.members.values_list("user_id", flat=True)) == {a.pk, b.pk}
    groups.add_member(group, c)
    assert group.members.count() == 3


def test_who_may_join_which_group(program, other_program, group, people):
    outsider, other = UserFactory(), mentee_enrolment(other_program).user
    applied = mentee_enrolment(program, status="applied").user
    for person, message in (
        (people["mentor"], "mentor is not one of its members"),
        (outsider, "accepted mentees"),
        (other, "accepted mentees"),
        (applied, "accepted mentees"),
    ):
        with pytest.raises(ValidationError, match=message):
            groups.add_member(group, person)
    # A peer circle takes mentors too, but a person holds one place per program.
    circle = groups.create_group(program, name="Peers", kind="peer")
    groups.add_member(circle, people["mentor"])
    groups.add_member(circle, people["mentees"][0])
    with pytest.raises(ValidationError, match="Already in the group"):
        groups.add_member(group, people["mentees"][0])
    # A closed group takes nobody.
    groups.set_group_status(group, MentoringGroup.Status.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        groups.add_member(group, people["mentees"][1])
    assert not group.members.exists()


def test_a_mentee_with_a_place_in_an_open_group_is_matched(program, group, people):
    a = people["mentees"][0]
    enrolments = Enrolment.objects.filter(program=program)
    assert unmatched_mentees(enrolments).filter(user=a).exists()
    groups.add_member(group, a)
    assert not unmatched_mentees(enrolments).filter(user=a).exists()
    groups.set_group_status(group, MentoringGroup.Status.CLOSED)
    assert unmatched_mentees(enrolments).filter(user=a).exists()


def test_sessions_are_logged_by_the_groups_people_only_and_activate_it(program, group, people, roles):
    a = people["mentees"][0]
    groups.add_member(group, a)
    fields = {"date": when(), "duration_minutes": 60, "format": "video", "notes": "We role-played feedback."}
    for outsider in (roles["coordinator"], roles["superuser"], people["mentees"][1]):
        with pytest.raises(ValidationError, match="Only the group"):
            groups.log_group_session(group, outsider, **fields)
    with pytest.raises(ValidationError) as exc:
        groups.log_group_session(group, a, **{**fields, "duration_minutes": 0})
    assert "duration_minutes" in exc.value.message_dict
    assert not GroupSession.objects.exists()
    session = groups.log_group_session(group, a, **fields)
    group.refresh_from_db()
    assert group.status == "active" and session.created_by == a
    groups.set_group_status(group, "closed")
    with pytest.raises(ValidationError, match="closed"):
        groups.log_group_session(group, people["mentor"], **fields)


def test_access_the_group_sees_its_words_the_coordinator_its_records(program, group, people, roles):
    a, b = people["mentees"][:2]
    groups.add_member(group, a)
    assert set(access.member_groups(a)) == {group}
    assert set(access.member_groups(people["mentor"])) == {group}
    assert not access.member_groups(b).exists()
    assert not access.member_groups(roles["coordinator"]).exists()
    assert set(access.visible_groups(roles["coordinator"])) == {group}
    assert not access.visible_groups(roles["other_coordinator"]).exists()
    assert set(access.visible_groups(roles["superuser"])) == {group}
    assert not access.can_read_group_words(roles["coordinator"], group)
    assert not access.can_read_group_words(roles["superuser"], group)
    assert access.can_read_group_words(a, group)
    a.is_active = False
    a.save()
    assert not access.can_read_group_words(a, group)


def test_fill_groups_uses_the_engine_up_to_each_groups_free_places(program, group, people):
    a, b, c, d = people["mentees"]
    groups.add_member(group, a)
    before = build_candidates(program)[0]
    added = groups.fill_groups(program)
    assert list(added) == [group.pk] and len(added[group.pk]) == 2
    assert group.members.count() == 3
    filled = set(added[group.pk])
    assert filled <= {b.pk, c.pk, d.pk}
    # The mentees placed are no longer candidates of one-to-one matching; the one left still is.
    after = {cand.id for cand in build_candidates(program)[0]}
    assert after == {cand.id for cand in before} - filled
    assert groups.fill_groups(program) == {}


def test_fill_groups_leaves_closed_groups_and_peer_circles_alone(program, group, people):
    groups.set_group_status(group, "closed")
    groups.create_group(program, name="Peers", kind="peer")
    assert groups.fill_groups(program) == {}
    assert not GroupMember.objects.exists()


def test_a_mentee_in_a_started_group_is_matched_in_the_reports(program, group, people):
    from wagtail_mentoring.reports.impact import impact_report
    from wagtail_mentoring.reports.metrics import program_report

    a = people["mentees"][0]
    groups.add_member(group, a)
    programs = type(program).objects.filter(pk=program.pk)
    assert program_report(program).mentees_matched == 0  # forming: placed, not started
    groups.log_group_session(group, a, date=when(), duration_minutes=30, format="video")
    report = program_report(program)
    assert report.mentees_matched == 1 and report.match_rate == 25.0  # 1 of 4 accepted mentees
    assert impact_report(programs).rows[0].match_rate == 25.0


class TestGroupSessionReminder:
    """``notifications.rules.GroupSessionDueRule``: an active group whose next session is due (the pairing rule,
    ``MentoringGroup.next_session_due``) reminds its mentor and members, once a cadence."""

    def started(self, group, people, created: dt.datetime):
        groups.add_members(group, people["mentees"][:2])
        groups.set_group_status(group, MentoringGroup.Status.ACTIVE)
        MentoringGroup.objects.filter(pk=group.pk).update(created_at=created, meeting_cadence_days=14)
        return MentoringGroup.objects.get(pk=group.pk)

    def due(self, now):
        from wagtail_mentoring.notifications.rules import GroupSessionDueRule

        return sorted(GroupSessionDueRule().due(now), key=lambda r: r.user_id)

    def test_due_after_the_cadence_to_the_mentor_and_each_member_once_a_cadence(self, group, people):
        start = timezone.now() - dt.timedelta(days=30)
        group = self.started(group, people, start)
        now = start + dt.timedelta(days=13)
        assert self.due(now) == []  # not yet: 14 days from the start
        reminders = self.due(start + dt.timedelta(days=14))
        expected = {people["mentor"].pk, *(u.pk for u in people["mentees"][:2])}
        assert {r.user_id for r in reminders} == expected
        assert {r.subject_key for r in reminders} == {f"group:{group.pk}"}
        assert {r.period for r in reminders} == {f"{(start + dt.timedelta(days=14)).date().isoformat()}#0"}
        # Still not met a cadence later: told again (a new period), not every day in between.
        assert {r.period for r in self.due(start + dt.timedelta(days=20))} == {r.period for r in reminders}
        assert {r.period for r in self.due(start + dt.timedelta(days=28))} != {r.period for r in reminders}

    def test_a_session_resets_the_clock_and_only_active_groups_are_told(self, group, people):
        start = timezone.now() - dt.timedelta(days=30)
        group = self.started(group, people, start)
        groups.log_group_session(group, people["mentor"], date=start + dt.timedelta(days=10))
        assert self.due(start + dt.timedelta(days=23)) == []  # 14 days from the session: day 24
        assert len(self.due(start + dt.timedelta(days=24))) == 3
        for status in (MentoringGroup.Status.FORMING, MentoringGroup.Status.CLOSED):
            groups.set_group_status(group, status)
            assert self.due(start + dt.timedelta(days=29)) == []

    def test_the_message_names_the_group_and_the_day(self, group, people):
        from wagtail_mentoring.notifications.rules import GroupSessionDueRule

        start = timezone.now() - dt.timedelta(days=30)
        group = self.started(group, people, start)
        reminder = self.due(start + dt.timedelta(days=15))[0]
        message = GroupSessionDueRule().message(reminder.context)
        assert message.subject == "Time for your group to meet"
        assert "Leading without authority" in message.body and program_title(group) in message.body

    def test_sent_once_by_the_reminders_run_with_two_queries_for_any_number_of_groups(
        self, program, people, django_assert_max_num_queries
    ):
        from wagtail_mentoring.notifications.rules import GroupSessionDueRule
        from wagtail_mentoring.notifications.services import run_reminders

        start = timezone.now() - dt.timedelta(days=30)
        for i in range(3):
            extra = groups.create_group(program, name=f"Group {i}", mentor=people["mentor"], max_size=3)
            groups.set_group_status(extra, MentoringGroup.Status.ACTIVE)
        MentoringGroup.objects.update(created_at=start)
        with django_assert_max_num_queries(2):
            assert len(list(GroupSessionDueRule().due(timezone.now()))) == 3
        first = run_reminders(rules=[GroupSessionDueRule()])
        assert len(first.sent) == 3
        assert run_reminders(rules=[GroupSessionDueRule()]).already_sent == 3


def program_title(group) -> str:
    return MentoringGroup.objects.select_related("program").get(pk=group.pk).program.title
