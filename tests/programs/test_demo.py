"""The programs demo step: idempotent, every pairing state, mentee1..3 active with mentor1..2."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from wagtail_mentoring.models import Enrolment, MentoringProfile, MentoringProgramPage, Mentorship

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_programs_idempotent():
    call_command("mentoring_demo", stdout=io.StringIO())
    counts = (Enrolment.objects.count(), Mentorship.objects.count(), MentoringProfile.objects.count())
    call_command("mentoring_demo", stdout=io.StringIO())
    assert (Enrolment.objects.count(), Mentorship.objects.count(), MentoringProfile.objects.count()) == counts
    program = MentoringProgramPage.objects.get(slug="leadership")
    assert program.get_parent().slug == "programs"
    assert MentoringProgramPage.objects.filter(coordinators__name__isnull=False).count() == 2
    assert set(Mentorship.objects.values_list("status", flat=True)) == {
        "proposed",
        "active",
        "paused",
        "completed",
        "ended",
    }
    active = set(
        Mentorship.objects.filter(program=program, status="active").values_list("mentor__username", "mentee__username")
    )
    assert {mentee for _mentor, mentee in active} >= {"mentee1", "mentee2", "mentee3"}
    assert {mentor for mentor, _mentee in active} <= {"mentor1", "mentor2"}
    assert {"accepted", "waitlisted", "applied"} <= set(Enrolment.objects.values_list("status", flat=True))
    assert Enrolment.objects.filter(
        program=program, role="mentee", status="accepted", user__username="mentee5"
    ).exists()
