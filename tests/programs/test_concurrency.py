"""Capacity and one-active-mentee rules under concurrent approvals (PostgreSQL, real transactions)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from tests.factories import GroupFactory, MentoringProgramIndexPageFactory, MentoringProgramPageFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Mentorship
from wagtail_mentoring.programs import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


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
def race_home(transactional_db):
    """A page tree of our own: an earlier transactional test may have flushed Wagtail's root page and locale.

    (``serialized_rollback`` would restore them, but clashes with the content types that the flush's
    ``post_migrate`` recreates.)
    """
    from wagtail.models import Locale, Page

    from tests.testapp.models import TestHomePage

    locale, _ = Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = TestHomePage(title="Race home", slug="race-home", locale=locale)
    root.add_child(instance=home)
    return home


@pytest.fixture
def race_program(race_home):
    index = MentoringProgramIndexPageFactory(parent=race_home, slug="race-programs")
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
