"""Admin: enrolment and mentorship listings, bulk actions, exports and query counts, per role."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EnrolmentFactory, MentorshipFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.models import Enrolment, Mentorship
from wagtail_mentoring.programs import services

pytestmark = pytest.mark.django_db

ENROLMENTS = "wagtailsnippets_wagtail_mentoring_enrolment:list"
MENTORSHIPS = "wagtailsnippets_wagtail_mentoring_mentorship:list"


def bulk_url(model, action, *ids):
    url = reverse("wagtail_bulk_action", args=("wagtail_mentoring", model, action))
    return url + "?" + "&".join(f"id={pk}" for pk in ids)


@pytest.fixture
def enrolments(admin_access, program, other_program):
    mine = [EnrolmentFactory(program=program, status="applied") for _ in range(3)]
    theirs = [EnrolmentFactory(program=other_program, status="applied") for _ in range(2)]
    return mine, theirs


def _ids(response):
    return {obj.pk for obj in response.context["object_list"]}


def test_coordinator_sees_exactly_their_programs_enrolments(client, admin_access, enrolments):
    mine, theirs = enrolments
    client.force_login(admin_access["coordinator"])
    response = client.get(reverse(ENROLMENTS))
    assert response.status_code == 200
    assert _ids(response) == {e.pk for e in mine}
    client.force_login(admin_access["other_coordinator"])
    assert _ids(client.get(reverse(ENROLMENTS))) == {e.pk for e in theirs}


def test_coordinator_own_enrolment_elsewhere_not_listed(client, admin_access, other_program, enrolments):
    mine, _theirs = enrolments
    own = EnrolmentFactory(program=other_program, user=admin_access["coordinator"])
    client.force_login(admin_access["coordinator"])
    ids = _ids(client.get(reverse(ENROLMENTS)))
    assert own.pk not in ids and ids == {e.pk for e in mine}


@pytest.mark.parametrize("name", ["mentee", "mentor", "editor", "inactive"])
def test_non_admin_users_redirected_to_login(client, admin_access, enrolments, name):
    client.force_login(admin_access[name])
    response = client.get(reverse(ENROLMENTS))
    assert response.status_code == 302 and "login" in response["Location"]


def test_admin_user_who_coordinates_nothing_sees_nothing(client, admin_access, enrolments):
    client.force_login(admin_access["employee"])
    response = client.get(reverse(ENROLMENTS), follow=False)
    assert response.status_code in (302, 403)
    mine, _theirs = enrolments
    assert (
        client.get(reverse("wagtailsnippets_wagtail_mentoring_enrolment:inspect", args=[mine[0].pk])).status_code == 404
    )


def test_hidden_objects_404(client, admin_access, enrolments):
    mine, theirs = enrolments
    client.force_login(admin_access["coordinator"])
    for view in ("inspect", "edit", "delete", "history", "usage"):
        url = reverse(f"wagtailsnippets_wagtail_mentoring_enrolment:{view}", args=[theirs[0].pk])
        assert client.get(url).status_code == 404, view
    url = reverse("wagtailsnippets_wagtail_mentoring_enrolment:inspect", args=[mine[0].pk])
    assert client.get(url).status_code == 200


def test_filters_and_search(client, admin_access, program, enrolments):
    mine, _theirs = enrolments
    Enrolment.objects.filter(pk=mine[0].pk).update(role="mentor", status="accepted")
    client.force_login(admin_access["coordinator"])
    assert _ids(client.get(reverse(ENROLMENTS), {"role": "mentor"})) == {mine[0].pk}
    assert _ids(client.get(reverse(ENROLMENTS), {"status": "applied"})) == {mine[1].pk, mine[2].pk}
    assert _ids(client.get(reverse(ENROLMENTS), {"program": program.pk})) == {e.pk for e in mine}
    assert _ids(client.get(reverse(ENROLMENTS), {"q": mine[1].user.username})) == {mine[1].pk}


def test_export_csv_and_xlsx(client, admin_access, enrolments):
    mine, theirs = enrolments
    client.force_login(admin_access["coordinator"])
    response = client.get(reverse(ENROLMENTS), {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert all(e.user.username in body for e in mine)
    assert not any(e.user.username in body for e in theirs)
    response = client.get(reverse(ENROLMENTS), {"export": "xlsx"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]


def test_bulk_accept_and_foreign_ids_refused(client, admin_access, enrolments):
    mine, theirs = enrolments
    coordinator = admin_access["coordinator"]
    client.force_login(coordinator)
    url = bulk_url("enrolment", "enrolment_accept", mine[0].pk, mine[1].pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 302
    assert set(Enrolment.objects.filter(pk__in=[mine[0].pk, mine[1].pk]).values_list("status", flat=True)) == {
        "accepted"
    }
    assert Enrolment.objects.get(pk=mine[0].pk).reviewed_by == coordinator
    for action in ("enrolment_accept", "enrolment_decline", "delete"):
        url = bulk_url("enrolment", action, mine[2].pk, theirs[0].pk)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    assert Enrolment.objects.get(pk=theirs[0].pk).status == "applied"
    assert Enrolment.objects.get(pk=mine[2].pk).status == "applied"
    assert client.post(bulk_url("enrolment", "enrolment_accept", "abc"), {}).status_code == 404


def test_bulk_actions_all_statuses_and_invalid_transition(client, admin_access, enrolments):
    mine, _theirs = enrolments
    client.force_login(admin_access["coordinator"])
    client.post(bulk_url("enrolment", "enrolment_waitlist", mine[0].pk), {})
    client.post(bulk_url("enrolment", "enrolment_decline", mine[1].pk), {})
    client.post(bulk_url("enrolment", "enrolment_withdraw", mine[2].pk), {})
    assert [Enrolment.objects.get(pk=e.pk).status for e in mine] == ["waitlisted", "declined", "withdrawn"]
    # withdrawn cannot be accepted: nothing changes for anyone in the batch
    client.post(bulk_url("enrolment", "enrolment_accept", mine[0].pk, mine[2].pk), {})
    assert [Enrolment.objects.get(pk=e.pk).status for e in mine] == ["waitlisted", "declined", "withdrawn"]


def test_edit_status_through_rules(client, admin_access, enrolments):
    mine, _theirs = enrolments
    client.force_login(admin_access["coordinator"])
    url = reverse("wagtailsnippets_wagtail_mentoring_enrolment:edit", args=[mine[0].pk])
    assert client.post(url, {"status": "accepted", "capacity": "2"}).status_code == 302
    enrolment = Enrolment.objects.get(pk=mine[0].pk)
    assert (enrolment.status, enrolment.capacity, enrolment.reviewed_by) == ("accepted", 2, admin_access["coordinator"])
    client.post(bulk_url("enrolment", "enrolment_withdraw", mine[0].pk), {})
    response = client.post(url, {"status": "accepted", "capacity": "2"})
    assert response.status_code == 200
    assert Enrolment.objects.get(pk=mine[0].pk).status == "withdrawn"


def _listing_queries(client, user, url_name, make, n):
    for i in range(n):
        make(i)
    client.force_login(user)
    client.get(reverse(url_name))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["object_list"])


def test_enrolment_listing_query_count_constant(client, admin_access, program):
    coordinator = admin_access["coordinator"]
    make = lambda i: EnrolmentFactory(program=program, status="applied")  # noqa: E731
    q5, n5 = _listing_queries(client, coordinator, ENROLMENTS, make, 5)
    q50, n50 = _listing_queries(client, coordinator, ENROLMENTS, make, 45)
    assert (n5, n50) == (5, 20)  # paginated: 50 objects, one page of 20
    assert q5 == q50


def test_mentorship_listing_scoped_and_constant(client, admin_access, program):
    coordinator = admin_access["coordinator"]
    make = lambda i: MentorshipFactory(program=program)  # noqa: E731
    q5, n5 = _listing_queries(client, coordinator, MENTORSHIPS, make, 4)  # + the roles fixture's pairing
    q50, n50 = _listing_queries(client, coordinator, MENTORSHIPS, make, 45)
    assert (n5, n50) == (5, 20)  # paginated: 50 objects, one page of 20
    assert q5 == q50
    client.force_login(admin_access["other_coordinator"])
    ids = _ids(client.get(reverse(MENTORSHIPS)))
    assert ids == {admin_access["other_mentorship"].pk}


def test_mentorship_lifecycle_actions(client, admin_access, program, mailoutbox, django_capture_on_commit_callbacks):
    mentor = mentor_enrolment(program, capacity=1).user
    mentee = mentee_enrolment(program).user
    m = MentorshipFactory(program=program, mentor=mentor, mentee=mentee)
    client.force_login(admin_access["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(bulk_url("mentorship", "mentorship_approve", m.pk), {})
    assert Mentorship.objects.get(pk=m.pk).status == "active"
    assert len(mailoutbox) == 2
    client.post(bulk_url("mentorship", "mentorship_pause", m.pk), {})
    assert Mentorship.objects.get(pk=m.pk).status == "paused"
    client.post(bulk_url("mentorship", "mentorship_resume", m.pk), {})
    assert Mentorship.objects.get(pk=m.pk).status == "active"
    response = client.post(bulk_url("mentorship", "mentorship_end", m.pk), {"reason": ""})
    assert response.status_code == 200  # the reason is required
    assert Mentorship.objects.get(pk=m.pk).status == "active"
    client.post(bulk_url("mentorship", "mentorship_end", m.pk), {"reason": "Moved teams"})
    m.refresh_from_db()
    assert (m.status, m.end_reason) == ("ended", "Moved teams")
    other = admin_access["other_mentorship"]
    assert client.post(bulk_url("mentorship", "mentorship_pause", other.pk), {}).status_code == 404
    assert Mentorship.objects.get(pk=other.pk).status == "active"


def test_listing_row_actions_link_bulk_views(client, admin_access, enrolments):
    mine, _theirs = enrolments
    client.force_login(admin_access["coordinator"])
    html = client.get(reverse(ENROLMENTS)).content.decode()
    assert f"enrolment_accept/?id={mine[0].pk}" in html


def test_reassign_action(client, admin_access, program, other_program):
    coordinator = admin_access["coordinator"]
    mentor = mentor_enrolment(program, capacity=1).user
    new_mentor = mentor_enrolment(program, capacity=1).user
    outsider = mentor_enrolment(other_program, capacity=1).user  # a mentor of a program they do not coordinate
    m = MentorshipFactory(program=program, mentor=mentor, mentee=mentee_enrolment(program).user)
    from wagtail_mentoring.programs import services

    services.approve(m, notify=False)
    client.force_login(coordinator)
    url = bulk_url("mentorship", "mentorship_reassign", m.pk)
    response = client.get(url)
    assert response.status_code == 200
    choices = {c.pk for c in response.context["form"].fields["new_mentor"].queryset}
    assert new_mentor.pk in choices and outsider.pk not in choices
    assert client.post(url, {"new_mentor": outsider.pk, "reason": "x"}).status_code == 200  # not a valid choice
    assert Mentorship.objects.get(pk=m.pk).status == "active"
    assert client.post(url, {"new_mentor": new_mentor.pk, "reason": "Not a fit"}).status_code == 302
    assert Mentorship.objects.get(pk=m.pk).status == "ended"
    assert Mentorship.objects.get(mentor=new_mentor, mentee=m.mentee).status == "proposed"


def test_coordinators_cannot_delete(client, admin_access, enrolments):
    mine, _theirs = enrolments
    client.force_login(admin_access["coordinator"])
    url = bulk_url("enrolment", "delete", mine[0].pk)
    client.get(url)
    client.post(url, {})
    assert Enrolment.objects.filter(pk=mine[0].pk).exists()
    delete_view = reverse("wagtailsnippets_wagtail_mentoring_enrolment:delete", args=[mine[0].pk])
    client.post(delete_view, {})
    assert Enrolment.objects.filter(pk=mine[0].pk).exists()


def test_edit_writes_through_the_service_and_shows_its_refusal(client, admin_access, enrolments, monkeypatch):
    """The edit view saves through ``services.update_enrolment``; a refusal at save time is a form error."""
    mine, _theirs = enrolments
    calls = []

    def refuse(enrolment, **kwargs):
        calls.append(kwargs)
        raise ValidationError({"status": ["Withdrawn meanwhile."]})

    monkeypatch.setattr(services, "update_enrolment", refuse)
    client.force_login(admin_access["coordinator"])
    url = reverse("wagtailsnippets_wagtail_mentoring_enrolment:edit", args=[mine[0].pk])
    response = client.post(url, {"status": "accepted", "capacity": "3"})
    assert response.status_code == 200
    assert calls == [{"status": "accepted", "by": admin_access["coordinator"], "capacity": 3}]
    assert "Withdrawn meanwhile." in str(response.context["form"].errors["status"])
    assert Enrolment.objects.get(pk=mine[0].pk).status == mine[0].status
