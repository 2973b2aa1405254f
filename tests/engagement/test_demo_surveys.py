"""The surveys demo step: the leadership program's pairing check asks three more questions, and a program
launching next month has a before-launch survey that three employees answered."""

import io

import pytest
from django.core.management.color import no_style
from django.utils import timezone

from tests.factories import UserFactory
from wagtail_mentoring.demo import surveys as demo_surveys
from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import Feedback, MentoringProgramPage, SurveyPage
from wagtail_mentoring.reports.metrics import program_report

pytestmark = pytest.mark.django_db


def test_nothing_without_the_leadership_program(db):
    out = io.StringIO()
    demo_surveys.run(DemoContext(stdout=out, style=no_style(), verbose=True))
    assert "nothing created" in out.getvalue()


def test_surveys_and_before_launch_answers(client, program):
    users = {name: UserFactory(username=name) for name in [*demo_surveys.BEFORE_LAUNCH_ANSWERS, "employee"]}
    ctx = DemoContext(stdout=io.StringIO(), style=no_style(), users=users, verbose=True)
    demo_surveys.run(ctx)
    demo_surveys.run(ctx)  # idempotent
    check = SurveyPage.objects.get(moment="pairing_check")
    assert check.get_parent().pk == program.pk and check.live
    assert check.form_fields.count() == 3
    launching = MentoringProgramPage.objects.get(slug=demo_surveys.LAUNCHING_SLUG)
    assert launching.start_date > timezone.localdate()
    before = SurveyPage.objects.get(moment="before_launch")
    assert before.get_parent().pk == launching.pk and before.form_fields.count() == 3
    assert Feedback.objects.filter(kind="before_launch", survey=before).count() == 3
    result = program_report(launching).surveys[0]
    assert result.shown and dict(result.questions[0].counts)["Career advice"] == 2
    client.force_login(users["employee"])
    html = client.get(launching.url).content.decode()
    assert "Tell us what you need" in html
    assert client.get(f"/mentoring-app/surveys/before-launch/{launching.pk}/").status_code == 200
