"""Self-match under concurrency (PostgreSQL, real transactions): two mentees, the mentor's last place."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from tests.factories import GroupFactory, MentoringProgramIndexPageFactory, MentoringProgramPageFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from tests.programs.test_concurrency import race_home  # noqa: F401 (the fixture)
from wagtail_mentoring.models import Mentorship, MentorshipRequest
from wagtail_mentoring.programs import selfmatch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_mentees_request_the_last_place_and_only_one_wins(race_home):  # noqa: F811
    index = MentoringProgramIndexPageFactory(parent=race_home, slug="race-self-match")
    program = MentoringProgramPageFactory(
        parent=index, slug="self-race", coordinators=GroupFactory(name="self-race"), matching_mode="self_match"
    )
    mentor = mentor_enrolment(program, capacity=1).user
    requests = [selfmatch.request_mentor(program, mentee_enrolment(program).user, mentor) for _ in range(2)]
    barrier = threading.Barrier(len(requests))
    outcomes, lock = [], threading.Lock()

    def work(pk):
        close_old_connections()
        try:
            barrier.wait()
            selfmatch.accept_request(MentorshipRequest.objects.get(pk=pk), by=mentor)
            result = "ok"
        except ValidationError as exc:
            result = exc.code or exc.messages[0]
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=work, args=(r.pk,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["capacity", "ok"]
    assert Mentorship.objects.filter(program=program, mentor=mentor, status="active").count() == 1
    assert sorted(MentorshipRequest.objects.values_list("status", flat=True)) == ["accepted", "requested"]
