"""``mentoring_match``: dry run, JSON output, saving proposed mentorships, bad PROGRAM."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Mentorship

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidates(program):
    mentor = mentor_enrolment(program, capacity=2).user
    mentees = [mentee_enrolment(program).user for _ in range(3)]
    return mentor, mentees


def run(*args) -> str:
    out = io.StringIO()
    call_command("mentoring_match", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_and_saves_nothing(program, candidates):
    output = run(program.slug, "--dry-run")
    assert "2 pairs" in output and "1 unmatched" in output and "Dry run" in output
    assert not Mentorship.objects.exists()


def test_json_output(program, candidates):
    mentor, mentees = candidates
    data = json.loads(run(str(program.pk), "--dry-run", "--json"))
    assert data["program"] == {"id": program.pk, "slug": program.slug, "title": program.title}
    assert data["dry_run"] is True and data["saved_mentorship_ids"] == []
    assert len(data["pairs"]) == 2 and len(data["unmatched"]) == 1
    assert {p["mentor_id"] for p in data["pairs"]} == {mentor.pk}
    assert all("score" in p and "reasons" in p for p in data["pairs"])


def test_saves_proposed_mentorships(program, candidates, mailoutbox):
    data = json.loads(run(program.slug, "--json"))
    saved = Mentorship.objects.filter(pk__in=data["saved_mentorship_ids"])
    assert saved.count() == 2 and set(saved.values_list("status", flat=True)) == {"proposed"}
    assert mailoutbox == []  # nobody is told before approval
    again = json.loads(run(program.slug, "--json"))  # proposed mentees are left out next time
    assert again["pairs"] == []


@pytest.mark.parametrize("value", ["no-such-program", "999999", ""])
def test_bad_program(program, value):
    with pytest.raises(CommandError):
        run(value)
