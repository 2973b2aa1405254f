"""The dashboard's self-match: "Choose your mentor" for the mentee, requests to answer for the mentor."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Mentorship, MentorshipRequest
from wagtail_mentoring.programs import selfmatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def sm(program, dashboard):
    program.matching_mode = "self_match"
    program.save()
    return {
        "program": program,
        "url": dashboard.url,
        "mentee": mentee_enrolment(program).user,
        "mentor": mentor_enrolment(program, capacity=1).user,
        "mentor2": mentor_enrolment(program, capacity=1).user,
        "outsider": UserFactory(),
    }


def _client(client, user):
    client.force_login(user)
    return client


def test_mentee_sees_suggestions_and_requests_one(client, sm):
    c = _client(client, sm["mentee"])
    page = c.get(sm["url"]).content.decode()
    assert "Choose your mentor" in page and "score" in page and "Request" in page
    assert "among the suggestions" in page and f'href="#wm-choose-{sm["program"].pk}"' in page
    url = f"{sm['url']}choose-mentor/{sm['program'].pk}/"
    response = c.post(url, {"mentor": sm["mentor"].pk, "next": sm["url"]})
    assert response.status_code == 302
    request = MentorshipRequest.objects.get()
    assert request.mentor == sm["mentor"] and request.status == "requested"
    page = c.get(sm["url"]).content.decode()
    assert "Withdraw my request" in page
    assert c.post(f"{sm['url']}mentorship-request/{request.pk}/withdraw/").status_code == 302
    request.refresh_from_db()
    assert request.status == "withdrawn"


@pytest.mark.parametrize("mentor", ["", "abc", "999999", "-1"])
def test_bad_choice_is_a_400_with_the_form_error(client, sm, mentor):
    c = _client(client, sm["mentee"])
    response = c.post(f"{sm['url']}choose-mentor/{sm['program'].pk}/", {"mentor": mentor})
    assert response.status_code == 400
    assert "wm-choose-errors" in response.content.decode()
    assert not MentorshipRequest.objects.exists()


def test_outsiders_get_404_and_anonymous_a_login_redirect(client, sm):
    request = selfmatch.request_mentor(sm["program"], sm["mentee"], sm["mentor"])
    choose = f"{sm['url']}choose-mentor/{sm['program'].pk}/"
    for who in ("outsider", "mentor"):
        c = _client(client, sm[who])
        assert c.post(choose, {"mentor": sm["mentor"].pk}).status_code == 404
        assert c.post(f"{sm['url']}mentorship-request/{request.pk}/withdraw/").status_code == 404
    c = _client(client, sm["outsider"])
    for answer in ("accept", "decline"):
        assert c.post(f"{sm['url']}mentorship-request/{request.pk}/{answer}/").status_code == 404
    c = _client(client, sm["mentee"])
    assert c.post(f"{sm['url']}mentorship-request/{request.pk}/accept/").status_code == 404
    assert c.post(f"{sm['url']}mentorship-request/{request.pk}/nonsense/").status_code == 404
    c.logout()
    response = c.post(f"{sm['url']}mentorship-request/{request.pk}/accept/")
    assert response.status_code == 302 and "login" in response["Location"]
    request.refresh_from_db()
    assert request.status == "requested"


def test_mentor_accepts_from_the_dashboard(client, sm):
    request = selfmatch.request_mentor(sm["program"], sm["mentee"], sm["mentor"])
    c = _client(client, sm["mentor"])
    page = c.get(sm["url"]).content.decode()
    assert "Requests to mentor" in page and "Accept" in page and "Decline" in page
    assert "asks you to be their mentor; please answer by" in page  # first in "What to do next"
    assert f'href="#wm-request-{request.pk}"' in page
    assert c.post(f"{sm['url']}mentorship-request/{request.pk}/accept/").status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted"
    assert Mentorship.objects.get(mentee=sm["mentee"]).status == "active"
    # Accepting again is refused with a message, nothing written.
    response = c.post(f"{sm['url']}mentorship-request/{request.pk}/decline/", follow=True)
    assert "cannot be declined" in response.content.decode()


def test_dashboard_queries_do_not_grow_with_mentors(client, sm):
    c = _client(client, sm["mentee"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(sm["url"]).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        mentor_enrolment(sm["program"], capacity=1)
    few = count()
    for _ in range(45):
        mentor_enrolment(sm["program"], capacity=1)
    assert count() == few
