"""Admin listings and the matching review show scores as percentages and timestamps as Wagtail does."""

import pytest
from django.urls import reverse

from tests.factories import EnrolmentFactory, MentorshipFactory
from wagtail_mentoring.programs.proposals import reason_lines

pytestmark = pytest.mark.django_db


def test_reasons_are_percentages_whatever_their_shape():
    assert reason_lines({"skills": 0.4, "interests": 0.2}) == [("skills", "+40%"), ("interests", "+20%")]
    assert reason_lines([{"message": "Shared skills", "contribution": 0.32}]) == [("Shared skills", "+32%")]
    assert reason_lines({"chosen_by_coordinator": True}) == [("chosen_by_coordinator", "True")]


def test_mentorship_listing_shows_match_score_as_percentage(client, admin_access, program):
    MentorshipFactory(program=program, status="proposed", match_score=0.7234)
    client.force_login(admin_access["coordinator"])
    html = client.get(reverse("wagtailsnippets_wagtail_mentoring_mentorship:list")).content.decode()
    assert ">72%<" in "".join(html.split()) and "0.7234" not in html


def test_enrolment_listing_says_when_applied_as_wagtail_does(client, admin_access, program):
    EnrolmentFactory(program=program, status="applied")
    client.force_login(admin_access["coordinator"])
    html = client.get(reverse("wagtailsnippets_wagtail_mentoring_enrolment:list")).content.decode()
    assert "w-human-readable-date" in html and "Just now" in html
