"""People by full name on every surface, the username only as a fallback (``people.display_name``)."""

import csv
import io
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import EnrolmentFactory, InitiativeFactory, MentorshipFactory, ObjectiveFactory
from tests.factories.programs import mentee_enrolment, mentor_enrolment
from tests.programs.test_admin import ENROLMENTS, MENTORSHIPS, bulk_url
from wagtail_mentoring.dashboards.forms import SessionForm
from wagtail_mentoring.people import display_name, display_name_from
from wagtail_mentoring.programs import services
from wagtail_mentoring.reports.metrics import decorate_pairs

pytestmark = pytest.mark.django_db


def _named(user, first="Bruno", last="Okafor"):
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


def _body(response) -> str:
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


# --- the rule ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("Bruno", "Okafor", "Bruno Okafor"), ("", "", "bokafor"), ("  ", " ", "bokafor"), ("Bruno", "", "Bruno")],
)
def test_display_name_full_name_else_username(first, last, expected):
    user = SimpleNamespace(
        get_full_name=lambda: f"{first} {last}".strip(), get_username=lambda: "bokafor", first_name=first
    )
    assert display_name(user) == expected
    assert display_name_from(first, last, "bokafor") == expected


def test_display_name_of_nobody_and_of_a_user_model_without_full_name():
    assert display_name(None) == ""
    assert display_name(SimpleNamespace(get_username=lambda: "svc-account")) == "svc-account"


# --- models -----------------------------------------------------------------------------------------
def test_enrolment_and_mentorship_by_name(program):
    mentor = _named(mentor_enrolment(program).user, "Ada", "Lovelace")
    mentee_e = mentee_enrolment(program)
    m = MentorshipFactory(program=program, mentor=mentor, mentee=mentee_e.user)
    assert str(m) == f"Ada Lovelace \u2192 {mentee_e.user.username} ({program.title})"
    assert str(mentee_e).startswith(f"{mentee_e.user.username} (Mentee)")
    assert m.get_mentor_display() == "Ada Lovelace" and m.get_mentee_display() == mentee_e.user.username


# --- admin ------------------------------------------------------------------------------------------
def test_admin_listings_inspect_and_export_by_name(client, admin_access, program):
    named = _named(mentee_enrolment(program).user)
    plain = mentee_enrolment(program).user
    mentor = _named(mentor_enrolment(program, capacity=2).user, "Ada", "Lovelace")
    m = MentorshipFactory(program=program, mentor=mentor, mentee=named)
    client.force_login(admin_access["coordinator"])

    html = client.get(reverse(ENROLMENTS)).content.decode()
    assert "Bruno Okafor" in html and plain.username in html
    assert f">{named.username}<" not in html

    html = client.get(reverse(MENTORSHIPS)).content.decode()
    assert "Ada Lovelace \u2192 Bruno Okafor" in html

    inspect = reverse("wagtailsnippets_wagtail_mentoring_mentorship:inspect", args=[m.pk])
    html = client.get(inspect).content.decode()
    assert "Ada Lovelace" in html and "Bruno Okafor" in html

    rows = list(csv.DictReader(io.StringIO(_body(client.get(reverse(ENROLMENTS), {"export": "csv"})))))
    people = {row["User"] for row in rows}
    assert {"Bruno Okafor", plain.username} <= people and named.username not in people
    rows = list(csv.DictReader(io.StringIO(_body(client.get(reverse(MENTORSHIPS), {"export": "csv"})))))
    assert ("Ada Lovelace", "Bruno Okafor") in [(r["Mentor"], r["Mentee"]) for r in rows]


def test_names_cost_no_query_per_row(client, admin_access, program):
    client.force_login(admin_access["coordinator"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(MENTORSHIPS)).status_code == 200
        return len(ctx.captured_queries)

    MentorshipFactory(
        program=program, mentor=_named(mentor_enrolment(program).user), mentee=mentee_enrolment(program).user
    )
    one = count()
    for _ in range(3):
        MentorshipFactory(
            program=program, mentor=_named(mentor_enrolment(program).user), mentee=mentee_enrolment(program).user
        )
    assert count() == one


def test_reassign_select_by_name(client, admin_access, program):
    mentor = mentor_enrolment(program).user
    new_mentor = _named(mentor_enrolment(program).user, "Ada", "Lovelace")
    m = MentorshipFactory(program=program, mentor=mentor, mentee=mentee_enrolment(program).user)
    services.approve(m, notify=False)
    client.force_login(admin_access["coordinator"])
    form = client.get(bulk_url("mentorship", "mentorship_reassign", m.pk)).context["form"]
    labels = {label for _value, label in form.fields["new_mentor"].choices}
    assert "Ada Lovelace" in labels and mentor.username in labels and new_mentor.username not in labels


def test_objective_owner_select_by_name(client, roles):
    from django.contrib.auth.models import Permission

    mentee = _named(roles["mentee"], "Chiara", "Rossi")
    mentee.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(mentee)
    response = client.get(reverse("wagtailsnippets_wagtail_mentoring_objective:add"))
    assert response.status_code == 200
    labels = {label for _value, label in response.context["form"].fields["owner"].choices}
    assert "Chiara Rossi" in labels and mentee.username not in labels


# --- front end, e-mails, API, reports ----------------------------------------------------------------
def test_pairing_select_by_name(roles):
    _named(roles["mentor"], "Ada", "Lovelace")
    labels = [label for _value, label in SessionForm(roles["mentee"]).fields["mentorship"].choices]
    assert any(label.startswith(f"Ada Lovelace \u2192 {roles['mentee'].username}") for label in labels)


def test_pairing_approved_email_by_name(program, django_capture_on_commit_callbacks):
    mentor = _named(mentor_enrolment(program).user, "Ada", "Lovelace")
    mentee = mentee_enrolment(program).user
    m = MentorshipFactory(program=program, mentor=mentor, mentee=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(m)
    to_mentee = next(msg for msg in mail.outbox if msg.to == [mentee.email])
    to_mentor = next(msg for msg in mail.outbox if msg.to == [mentor.email])
    assert "Ada Lovelace will be your mentor" in to_mentee.body
    assert f"Hello {mentee.username}," in to_mentee.body
    assert "Hello Ada Lovelace," in to_mentor.body and "Ada Lovelace" in to_mentor.alternatives[0][0]


def test_api_assignee_name(roles):
    mentee = _named(roles["mentee"], "Chiara", "Rossi")
    objective = ObjectiveFactory(owner=mentee, mentorship=roles["mentorship"])
    InitiativeFactory(objective=objective, assignee=mentee, title="Named")
    InitiativeFactory(objective=objective, assignee=roles["mentor"], title="Plain")
    InitiativeFactory(objective=objective, assignee=None, title="Nobody")
    api = APIClient()
    api.force_authenticate(mentee)
    rows = api.get("/api/mentoring/v1/initiatives/", {"objective": objective.pk}).json()["results"]
    names = {r["title"]: (r["assignee"], r["assignee_name"]) for r in rows}
    assert names == {
        "Named": (mentee.pk, "Chiara Rossi"),
        "Plain": (roles["mentor"].pk, roles["mentor"].username),
        "Nobody": (None, ""),
    }


def test_report_pairs_by_name(program, roles):
    _named(roles["mentor"], "Ada", "Lovelace")
    pairs = decorate_pairs([roles["mentorship"]], program, today=roles["mentorship"].started_on or program.start_date)
    assert (pairs[0].mentor_name, pairs[0].mentee_name) == ("Ada Lovelace", roles["mentee"].username)


def test_training_report_by_name(client, admin_access, program):
    named = _named(EnrolmentFactory(program=program, status="accepted").user)
    client.force_login(admin_access["coordinator"])
    html = client.get(reverse("wagtail_mentoring_training_completion")).content.decode()
    assert "Bruno Okafor" in html and f">{named.username}<" not in html
