"""Admin: coordinators record outcomes for their programs' mentorships only; others see nothing."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory, active_mentorship
from wagtail_mentoring.models import Outcome

pytestmark = pytest.mark.django_db

PREFIX = "wagtailsnippets_wagtail_mentoring_outcome"
LIST = f"{PREFIX}:list"
ADD = f"{PREFIX}:add"


@pytest.fixture
def outcomes(admin_roles):
    mine = Outcome.objects.create(mentorship=admin_roles["mentorship"], kind="promoted", note="Team lead now")
    theirs = Outcome.objects.create(mentorship=admin_roles["other_mentorship"], kind="left", note="Moved abroad")
    return mine, theirs


def _ids(response):
    return {obj.pk for obj in response.context["object_list"]}


def _body(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


def test_coordinators_see_exactly_their_programs_outcomes(client, admin_roles, outcomes):
    mine, theirs = outcomes
    client.force_login(admin_roles["coordinator"])
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert _ids(response) == {mine.pk}
    client.force_login(admin_roles["other_coordinator"])
    assert _ids(client.get(reverse(LIST))) == {theirs.pk}
    client.force_login(admin_roles["superuser"])
    assert _ids(client.get(reverse(LIST))) == {mine.pk, theirs.pk}


def test_outcomes_in_the_mentoring_menu_for_coordinators_only(client, admin_roles, outcomes):
    client.force_login(admin_roles["coordinator"])
    assert reverse(LIST) in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(admin_roles["mentor"])
    assert reverse(LIST) not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("name", ["mentee", "mentor", "editor", "other_mentee"])
def test_participants_and_editors_are_refused(client, admin_roles, outcomes, name):
    mine, _theirs = outcomes
    client.force_login(admin_roles[name])
    assert client.get(reverse(LIST)).status_code in (302, 403)
    assert client.get(reverse(ADD)).status_code in (302, 403)
    assert client.get(reverse(f"{PREFIX}:edit", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize("name", ["employee", "inactive"])
def test_non_admin_users_redirected_to_login(client, admin_roles, outcomes, name):
    client.force_login(admin_roles[name])
    response = client.get(reverse(LIST))
    assert response.status_code == 302 and "login" in response["Location"]


def test_hidden_objects_404(client, admin_roles, outcomes):
    mine, theirs = outcomes
    client.force_login(admin_roles["coordinator"])
    for view in ("inspect", "edit", "delete", "history", "usage"):
        assert client.get(reverse(f"{PREFIX}:{view}", args=[theirs.pk])).status_code == 404, view
    assert client.post(reverse(f"{PREFIX}:delete", args=[theirs.pk])).status_code == 404
    assert Outcome.objects.filter(pk=theirs.pk).exists()
    assert client.get(reverse(f"{PREFIX}:inspect", args=[mine.pk])).status_code == 200


def test_coordinator_records_an_outcome(client, admin_roles):
    client.force_login(admin_roles["coordinator"])
    response = client.get(reverse(ADD))
    assert response.status_code == 200
    chooser = response.context["form"].fields["mentorship"].queryset
    assert set(chooser) == {admin_roles["mentorship"]}
    data = {"mentorship": admin_roles["mentorship"].pk, "kind": "promoted", "date": "2026-03-01", "note": "Lead"}
    response = client.post(reverse(ADD), data)
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.kind == "promoted" and outcome.date == dt.date(2026, 3, 1)
    assert outcome.recorded_by == admin_roles["coordinator"]


def test_foreign_mentorship_refused_and_nothing_saved(client, admin_roles):
    client.force_login(admin_roles["coordinator"])
    data = {"mentorship": admin_roles["other_mentorship"].pk, "kind": "promoted", "date": "2026-03-01"}
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert "mentorship" in response.context["form"].errors
    assert not Outcome.objects.exists()


def test_edit_and_delete_own(client, admin_roles, outcomes):
    mine, _theirs = outcomes
    client.force_login(admin_roles["coordinator"])
    data = {"mentorship": mine.mentorship_id, "kind": "retained", "date": "2026-04-01", "note": "<script>x</script>"}
    assert client.post(reverse(f"{PREFIX}:edit", args=[mine.pk]), data).status_code == 302
    mine.refresh_from_db()
    assert mine.kind == "retained"
    page = client.get(reverse(f"{PREFIX}:inspect", args=[mine.pk])).content.decode()
    assert "<script>x</script>" not in page
    assert client.post(reverse(f"{PREFIX}:delete", args=[mine.pk])).status_code == 302
    assert not Outcome.objects.filter(pk=mine.pk).exists()


def test_filters_and_search(client, admin_roles, program, outcomes):
    mine, _theirs = outcomes
    other = Outcome.objects.create(mentorship=admin_roles["mentorship"], kind="retained")
    client.force_login(admin_roles["coordinator"])
    assert _ids(client.get(reverse(LIST), {"kind": "retained"})) == {other.pk}
    assert _ids(client.get(reverse(LIST), {"mentorship__program": program.pk})) == {mine.pk, other.pk}
    assert _ids(client.get(reverse(LIST), {"q": "Team lead"})) == {mine.pk}


def test_export_csv_and_xlsx(client, admin_roles, outcomes):
    client.force_login(admin_roles["coordinator"])
    response = client.get(reverse(LIST), {"export": "csv"})
    assert response.status_code == 200
    body = _body(response)
    assert "Team lead now" in body and "Moved abroad" not in body
    response = client.get(reverse(LIST), {"export": "xlsx"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def test_listing_query_count_constant(client, admin_roles, program):
    mentor = UserFactory(username="out_mentor")

    def add(start, n):
        for i in range(start, start + n):
            m = active_mentorship(program=program, mentor=mentor, mentee=UserFactory(username=f"om{i}"))
            Outcome.objects.create(mentorship=m, kind="retained", recorded_by=admin_roles["coordinator"])

    client.force_login(admin_roles["coordinator"])
    add(0, 2)
    client.get(reverse(LIST))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse(LIST))
    add(2, 18)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(LIST)).status_code == 200
    assert len(large) == len(small)


def test_superuser_records_an_outcome_for_a_person(client, admin_roles):
    """HR (a superuser) records a non-participant's promotion: no mentorship, a person."""
    person = UserFactory(username="not-a-participant")
    client.force_login(admin_roles["superuser"])
    response = client.post(reverse(ADD), {"user": person.pk, "kind": "promoted", "date": "2026-02-01", "note": ""})
    assert response.status_code == 302, response.context["form"].errors
    outcome = Outcome.objects.get(user=person)
    assert outcome.mentorship is None and outcome.person_id == person.pk
    assert outcome.pk in _ids(client.get(reverse(LIST)))


def test_superuser_chooses_a_mentorship_or_a_person_not_both(client, admin_roles):
    client.force_login(admin_roles["superuser"])
    for data in (
        {"kind": "promoted", "date": "2026-02-01"},
        {
            "mentorship": admin_roles["mentorship"].pk,
            "user": admin_roles["employee"].pk,
            "kind": "promoted",
            "date": "2026-02-01",
        },
    ):
        response = client.post(reverse(ADD), data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not Outcome.objects.exists()


def test_coordinators_cannot_record_for_a_person(client, admin_roles):
    person = UserFactory()
    client.force_login(admin_roles["coordinator"])
    assert 'name="user"' not in client.get(reverse(ADD)).content.decode()
    response = client.post(reverse(ADD), {"user": person.pk, "kind": "promoted", "date": "2026-02-01"})
    assert response.status_code == 200  # the mentorship is required; the person is ignored
    assert not Outcome.objects.exists()
    person_outcome = Outcome.objects.create(user=person, kind="left")
    assert person_outcome.pk not in _ids(client.get(reverse(LIST)))
    assert client.get(reverse(f"{PREFIX}:edit", args=[person_outcome.pk])).status_code == 404
