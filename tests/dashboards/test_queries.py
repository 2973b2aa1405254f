"""The dashboard's query count does not grow with objectives, key results, check-ins or mentees."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboards.conftest import make_objective
from tests.factories import UserFactory, active_mentorship
from wagtail_mentoring.programs.services import log_session

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types, site root)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_mentee_with_5_and_50_objectives(client, dashboard, roles):
    mentee, mentorship = roles["mentee"], roles["mentorship"]
    for i in range(5):
        make_objective(mentee, mentorship if i % 2 else None, n_key_results=5, n_check_ins=3, title=f"Goal {i}")
    client.force_login(mentee)
    small = count_queries(client, "/mentoring/")
    for i in range(5, 50):
        make_objective(mentee, mentorship if i % 2 else None, n_key_results=5, n_check_ins=3, title=f"Goal {i}")
    large = count_queries(client, "/mentoring/")
    assert large == small
    assert b"Goal 49" in client.get("/mentoring/?page=5").content


def add_mentees(program, mentor, n, start):
    for i in range(start, start + n):
        mentee = UserFactory(username=f"m{i}")
        mentorship = active_mentorship(program=program, mentor=mentor, mentee=mentee)
        make_objective(mentee, mentorship, n_key_results=3, n_check_ins=2, title=f"Mentee goal {i}")
        log_session(mentorship, mentor, duration_minutes=30)


def test_mentor_with_2_and_20_mentees(client, dashboard, roles, program):
    mentor = UserFactory(username="busy_mentor")
    add_mentees(program, mentor, 2, 0)
    client.force_login(mentor)
    small = count_queries(client, "/mentoring/")
    add_mentees(program, mentor, 18, 2)
    large = count_queries(client, "/mentoring/")
    assert large == small
    assert b"m19" in client.get("/mentoring/").content


def test_mentee_drill_down_and_objective_detail_are_constant(client, dashboard, roles):
    mentee, mentorship = roles["mentee"], roles["mentorship"]
    objective = make_objective(mentee, mentorship, n_key_results=2, n_check_ins=2)
    client.force_login(roles["mentor"])
    urls = (f"/mentoring/mentee/{mentorship.pk}/", f"/mentoring/objective/{objective.pk}/")
    small = [count_queries(client, url) for url in urls]
    for _ in range(20):
        make_objective(mentee, mentorship, n_key_results=5, n_check_ins=4)
    from tests.factories import CheckInFactory

    for kr in objective.key_results.all():
        for v in range(30):
            CheckInFactory(key_result=kr, value=v)
    large = [count_queries(client, url) for url in urls]
    assert large == small


def test_coordinator_admin_view_with_2_and_20_pairs(client, dashboard, admin_access, program):
    roles = admin_access
    mentor = UserFactory(username="busy_mentor")
    add_mentees(program, mentor, 1, 100)
    client.force_login(roles["coordinator"])
    url = f"/admin/mentoring/program-health/{program.pk}/"
    small = count_queries(client, url)
    add_mentees(program, mentor, 18, 200)
    large = count_queries(client, url)
    assert large == small


def test_portal_summary_of_a_mentor_with_2_and_20_mentees(roles, program):
    """``user_summary`` (the "My mentoring" block) loads of each program only the cadences a pairing's
    activity reads: no query per pairing, and the stalled count is the one of fully loaded pairings."""
    from wagtail_mentoring.dashboards.selectors import OPEN_PAIR_STATUSES, user_summary
    from wagtail_mentoring.models import CheckIn, MentoringSession
    from wagtail_mentoring.programs.models import Mentorship
    from wagtail_mentoring.programs.selectors import attach_activity

    def quieten(*usernames):  # no session nor check-in since 2020: stalled
        quiet = Mentorship.objects.filter(mentor=mentor, mentee__username__in=usernames)
        MentoringSession.objects.filter(mentorship__in=quiet).delete()
        CheckIn.objects.filter(key_result__objective__mentorship__in=quiet).delete()
        quiet.update(started_on="2020-01-01", meeting_cadence_days=7)

    mentor = UserFactory(username="portal_mentor")
    add_mentees(program, mentor, 2, 0)
    quieten("m0")
    with CaptureQueriesContext(connection) as ctx:
        user_summary(mentor)
    small = len(ctx.captured_queries)
    add_mentees(program, mentor, 18, 2)
    quieten("m3", "m7")
    with CaptureQueriesContext(connection) as ctx:
        summary = user_summary(mentor)
    assert len(ctx.captured_queries) == small
    loaded = Mentorship.objects.filter(mentor=mentor, status__in=OPEN_PAIR_STATUSES).select_related("program")
    expected = sum(1 for m in attach_activity(loaded) if m.activity.stalled)
    assert summary.stalled_pairs == expected == 3
