"""The ``enrol/`` route and ``services.enrol``: success, and every bad input with data unchanged."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import EnrolmentFactory, GroupFactory, UserFactory
from wagtail_mentoring.models import Enrolment, MentoringProfile
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.views import enrol_view

pytestmark = pytest.mark.django_db

MENTEE = {
    "role": "mentee",
    "goals": "Present to the board with confidence.",
    "skills_sought": "public speaking",
    "interests": "data",
    "languages": "english, italian",
    "availability": "Mondays",
    "capacity": "1",
    "seniority": "2",
    "department": "Finance",
    "job_title": "Analyst",
    "time_zone": "Europe/Rome",
}


def test_anonymous_redirected_to_login(client, program):
    response = client.get(program.url + "enrol/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_form_has_a_label_for_every_input(client, program):
    client.force_login(UserFactory())
    html = client.get(program.url + "enrol/").content.decode()
    import re

    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert ids
    for input_id in ids:
        assert f'for="{input_id}"' in html, input_id


def test_enrol_as_mentee_saves_enrolment_and_profile(client, program):
    user = UserFactory()
    client.force_login(user)
    response = client.post(program.url + "enrol/", MENTEE)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=user, program=program)
    assert (enrolment.role, enrolment.status, enrolment.languages) == ("mentee", "applied", "english, italian")
    profile = MentoringProfile.objects.get(user=user)
    assert (profile.department, profile.seniority, profile.time_zone) == ("Finance", 2, "Europe/Rome")
    assert "You applied as Mentee: Applied." in client.get(program.url).content.decode()


def test_enrol_as_mentor_with_capacity(client, program):
    user = UserFactory()
    client.force_login(user)
    data = {**MENTEE, "role": "mentor", "goals": "", "skills_offered": "negotiation", "capacity": "3"}
    assert client.post(program.url + "enrol/", data).status_code == 302
    assert Enrolment.objects.get(user=user).capacity == 3


@pytest.mark.parametrize(
    "change, field",
    [
        ({"role": "boss"}, "role"),
        ({"goals": ""}, "goals"),
        ({"role": "mentor", "skills_offered": ""}, "skills_offered"),
        ({"role": "mentor", "skills_offered": "x", "capacity": "0"}, "capacity"),
        ({"role": "mentor", "skills_offered": "x", "capacity": "abc"}, "capacity"),
        ({"seniority": "11"}, "seniority"),
    ],
)
def test_bad_input_form_errors(client, program, change, field):
    user = UserFactory()
    client.force_login(user)
    response = client.post(program.url + "enrol/", {**MENTEE, **change})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Enrolment.objects.filter(user=user).exists()
    assert not MentoringProfile.objects.filter(user=user).exists()


def test_closed_enrolment_form_error(client, program):
    program.enrolment_open = False
    program.save()
    user = UserFactory()
    client.force_login(user)
    response = client.post(program.url + "enrol/", MENTEE)
    assert response.status_code == 200
    assert "Enrolment for this program is closed." in response.content.decode()
    assert not Enrolment.objects.filter(user=user).exists()


def test_past_deadline_form_error(client, program):
    program.enrolment_deadline = timezone.localdate() - dt.timedelta(days=1)
    program.save()
    user = UserFactory()
    client.force_login(user)
    response = client.post(program.url + "enrol/", MENTEE)
    assert "The enrolment deadline for this program has passed." in response.content.decode()
    assert not Enrolment.objects.filter(user=user).exists()


def test_duplicate_enrolment_form_error(client, program):
    user = UserFactory()
    EnrolmentFactory(program=program, user=user, role="mentee", status="applied", goals="old")
    client.force_login(user)
    response = client.post(program.url + "enrol/", MENTEE)
    assert "You have already applied to this program in this role." in response.content.decode()
    assert Enrolment.objects.get(user=user).goals == "old"


def test_invisible_program_404_and_service_refuses(program):
    members = GroupFactory(name="insiders")
    restriction = PageViewRestriction.objects.create(page=program, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(members)
    user = UserFactory()
    request = RequestFactory().post("/", MENTEE)
    request.user = user
    request.session = {}
    with pytest.raises(Http404):
        enrol_view(request, program)
    with pytest.raises(ValidationError) as exc:
        services.enrol(program, user, "mentee", goals="x")
    assert exc.value.code == "not_visible"
    assert not Enrolment.objects.filter(user=user).exists()
    user.groups.add(members)
    assert services.enrol(program, user, "mentee", goals="x").status == "applied"


def test_inactive_user_cannot_enrol(program):
    with pytest.raises(ValidationError):
        services.enrol(program, UserFactory(is_active=False), "mentee", goals="x")


def test_profile_route(client, program_index):
    url = program_index.url + "profile/"
    assert client.get(url).status_code == 302
    user = UserFactory()
    client.force_login(user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"department": "People", "seniority": "4", "skills": "coaching, python"})
    assert response.status_code == 302
    profile = MentoringProfile.objects.get(user=user)
    assert profile.department == "People"
    assert sorted(t.name for t in profile.skills.all()) == ["coaching", "python"]
    response = client.post(url, {"seniority": "99"})
    assert response.status_code == 200 and "seniority" in response.context["form"].errors
