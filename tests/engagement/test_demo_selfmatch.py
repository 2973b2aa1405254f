"""The self-match demo step: the leadership program in "self-match first" mode with one pending request."""

import io

import pytest
from django.core.management.color import no_style

from tests.factories import UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.demo import selfmatch as demo_selfmatch
from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import MentoringDashboardPage, MentoringProgramPage, MentorshipRequest

pytestmark = pytest.mark.django_db


def test_nothing_without_the_leadership_program(db):
    out = io.StringIO()
    demo_selfmatch.run(DemoContext(stdout=out, style=no_style(), verbose=True))
    assert "nothing created" in out.getvalue()


def test_self_match_first_with_one_pending_request(client, program, home_page):
    mentee = mentee_enrolment(program, user=UserFactory(username="mentee5")).user
    mentor = mentor_enrolment(program, user=UserFactory(username="mentor2"), capacity=2).user
    ctx = DemoContext(stdout=io.StringIO(), style=no_style())
    demo_selfmatch.run(ctx)
    demo_selfmatch.run(ctx)  # idempotent
    program = MentoringProgramPage.objects.get(pk=program.pk)
    assert program.matching_mode == "self_match_first"
    request = MentorshipRequest.objects.get()
    assert (request.mentee, request.mentor, request.status) == (mentee, mentor, "requested")

    dashboard = MentoringDashboardPage(title="My mentoring", slug="mentoring")
    home_page.add_child(instance=dashboard)
    client.force_login(mentor)
    assert "Requests to mentor" in client.get("/mentoring/").content.decode()
    client.force_login(mentee)
    assert "Withdraw my request" in client.get("/mentoring/").content.decode()
