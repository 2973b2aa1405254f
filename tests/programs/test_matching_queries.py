"""The matching review's run, approve and reject run as many queries for 50 pairs as for 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Mentorship

pytestmark = pytest.mark.django_db
SMALL, LARGE = 5, 50


def _review_url(program):
    return reverse("wagtail_mentoring_matching_review", args=[program.pk])


@pytest.fixture
def two_programs(admin_access, program, other_program):
    """``program`` with 5 mentors and 5 mentees, ``other_program`` with 50 of each; one coordinator for both."""
    other_program.coordinators.user_set.add(admin_access["coordinator"])
    for target, n in ((program, SMALL), (other_program, LARGE)):
        for _ in range(n):
            mentor_enrolment(target, capacity=1)
            # No goals: the drafts an approval makes of them are new objectives, written in one statement but each
            # kept in Wagtail's reference and search indexes, as saving any objective does (a cost per draft:
            # tests/programs/test_goals_become_drafts.py); this measures the approval itself.
            mentee_enrolment(target, goals="")
    return {program: SMALL, other_program: LARGE}


def _queries(client, program, data, django_capture_on_commit_callbacks) -> int:
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = client.post(_review_url(program), data)
    assert response.status_code == 302
    return len(queries)


def _proposed(program) -> list[int]:
    return list(Mentorship.objects.filter(program=program, status="proposed").values_list("pk", flat=True))


def test_run_approve_and_reject_do_not_grow_with_the_pairs(
    client, admin_access, two_programs, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(admin_access["coordinator"])
    counts = {}
    for program, n in two_programs.items():
        client.get(_review_url(program))  # warm the per-process caches (site, locale, content types)
        run = _queries(client, program, {"action": "run"}, django_capture_on_commit_callbacks)
        assert len(_proposed(program)) == n
        reject = _queries(
            client, program, {"action": "reject", "selected": _proposed(program)}, django_capture_on_commit_callbacks
        )
        assert _proposed(program) == []
        _queries(client, program, {"action": "run"}, django_capture_on_commit_callbacks)
        active = Mentorship.objects.filter(program=program, status="active").count()
        approve = _queries(
            client, program, {"action": "approve", "selected": _proposed(program)}, django_capture_on_commit_callbacks
        )
        assert Mentorship.objects.filter(program=program, status="active").count() == active + n
        assert len(mailoutbox) == 2 * n
        mailoutbox.clear()
        counts[n] = {"run": run, "reject": reject, "approve": approve}
    # The first approval of the process also fills Django's content-type cache: 50 pairs may cost one query less.
    assert all(counts[LARGE][action] <= counts[SMALL][action] for action in counts[SMALL]), counts
