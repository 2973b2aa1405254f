"""The journeys demo step: the leadership program gets the default journey, some pairs marked a step done, at
least one step is overdue and the dashboard shows it; idempotent."""

import io

import pytest
from django.core.management.color import no_style

from tests.factories import UserFactory, active_mentorship
from wagtail_mentoring.demo import journeys as demo_journeys
from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import JourneyStepCompletion, MentoringProgramPage, Mentorship
from wagtail_mentoring.programs.selectors import attach_journeys

pytestmark = pytest.mark.django_db


def test_nothing_without_the_leadership_program(db):
    out = io.StringIO()
    demo_journeys.run(DemoContext(stdout=out, style=no_style(), verbose=True))
    assert "nothing created" in out.getvalue()


def test_the_demo_journey_with_a_done_and_an_overdue_step(client, roles, program, dashboard):
    agreed = active_mentorship(program=program, mentor=UserFactory(username="mentor1"), mentee=roles["employee"])
    Mentorship.objects.filter(pk=agreed.pk).update(mentee=UserFactory(username="mentee1"))
    ctx = DemoContext(stdout=io.StringIO(), style=no_style())
    demo_journeys.run(ctx)
    demo_journeys.run(ctx)  # idempotent
    program = MentoringProgramPage.objects.get(pk=program.pk)
    steps = program.journey_steps
    assert [s.title for s in steps] == ["Agreement", "First objectives", "30-day check", "Mid-point review", "Closing"]
    assert [s.days_after_start for s in steps][:3] == [0, 14, 30]
    assert steps[3].days_after_start == (program.end_date - program.start_date).days // 2
    assert program.get_latest_revision().content["journey"]  # published as a revision editors see
    assert JourneyStepCompletion.objects.get().mentorship_id == agreed.pk
    pairings = attach_journeys(Mentorship.objects.filter(status="active", program=program).select_related("program"))
    states = {p.pk: [s.state for s in p.journey.steps] for p in pairings}
    assert states[agreed.pk][0] == "done" and states[roles["mentorship"].pk][0] == "overdue"

    # The shared dashboard page (``tests/conftest.py``): a page of its own at /mentoring/ clashed with it when
    # an earlier test of the same shared world had built it.
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    assert "Your journey" in html and "Journey step overdue" in html and "Mid-point review" in html
