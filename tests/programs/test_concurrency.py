"""Capacity and one-active-mentee rules under concurrent approvals (PostgreSQL, real transactions)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from tests.factories import GroupFactory, MentoringProgramIndexPageFactory, MentoringProgramPageFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Mentorship
from wagtail_mentoring.programs import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(mentorships):
    """Approve every mentorship at once, each in its own thread and connection."""
    barrier = threading.Barrier(len(mentorships))
    outcomes = []
    lock = threading.Lock()

    def work(m):
        close_old_connections()
        try:
            barrier.wait()
            services.approve(Mentorship.objects.get(pk=m.pk), notify=False)
            result = "ok"
        except ValidationError as exc:
            result = exc.messages[0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=work, args=(m,)) for m in mentorships]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.fixture
def race_program(home_page):
    index = MentoringProgramIndexPageFactory(parent=home_page, slug="race-programs")
    return MentoringProgramPageFactory(parent=index, slug="race", coordinators=GroupFactory(name="race"))


def test_mentor_capacity_holds_under_concurrent_approvals(race_program):
    mentor = mentor_enrolment(race_program, capacity=2).user
    proposed = [services.propose(race_program, mentor, mentee_enrolment(race_program).user) for _ in range(6)]
    outcomes = _race(proposed)
    assert outcomes.count("ok") == 2
    assert all("capacity" in o for o in outcomes if o != "ok")
    assert Mentorship.objects.filter(mentor=mentor, status="active").count() == 2


def test_one_active_mentorship_per_mentee_under_concurrency(race_program):
    mentee = mentee_enrolment(race_program).user
    proposed = [services.propose(race_program, mentor_enrolment(race_program).user, mentee) for _ in range(5)]
    outcomes = _race(proposed)
    assert outcomes.count("ok") == 1
    assert all("already has an active mentorship" in o for o in outcomes if o != "ok")
    assert Mentorship.objects.filter(mentee=mentee, status="active").count() == 1
