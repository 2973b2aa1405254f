"""The last privacy gaps of the security review (issue "Hardening"), one rule per surface.

* a coordinator (and a superuser) reads a session's record only (date, duration, format), on every surface;
* page privacy applies to every mention of a training page (the dashboard's required training, blocks);
* anonymous survey answers are reported per survey kind and period, never below the minimum;
* usage and delete views never name nor count an objective the user may not see;
* the privacy export gives what the person may see today; erase removes their own words only;
* program feedback (API and front end) needs an accepted enrolment.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from wagtail.models import PageViewRestriction, ReferenceIndex

from tests.api.conftest import client_for
from tests.factories import EnrolmentFactory, GroupFactory, KeyResultFactory, ObjectiveFactory
from tests.factories.engagement import FeedbackFactory, MentoringSessionFactory, at
from tests.factories.training import (
    TrainingLibraryPageFactory,
    TrainingResourcePageFactory,
    learning_path,
)
from wagtail_mentoring import models
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.access.grants import revoke_pair_access
from wagtail_mentoring.reports.metrics import program_report
from wagtail_mentoring.surveys.anonymity import period_starts, reportable_answers, survey_period

pytestmark = pytest.mark.django_db

API = "/api/mentoring/v1/"
WORDS = {"agenda": "SECRET-AGENDA", "notes": "SECRET-NOTES", "next_steps": "SECRET-NEXT"}


def _admin(roles, *names):
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in names:
        roles[name].user_permissions.add(perm)


# --- 2. a coordinator reads the session record only ------------------------------------------------
@pytest.fixture
def session(roles):
    s = MentoringSessionFactory(mentorship=roles["mentorship"], created_by=roles["mentor"], **WORDS)
    s.key_results_discussed.add(KeyResultFactory(objective=ObjectiveFactory(owner=roles["mentee"])))
    return s


@pytest.mark.parametrize("name", ["coordinator", "superuser"])
def test_api_session_detail_and_list_give_coordinators_the_record_only(roles, session, name):
    client = client_for(roles, name)
    detail = client.get(f"{API}sessions/{session.pk}/")
    listing = client.get(f"{API}sessions/", {"mentorship": roles["mentorship"].pk})
    assert detail.status_code == 200 and listing.status_code == 200
    rows = [detail.json()] + listing.json()["results"]
    assert [row["id"] for row in rows] == [session.pk, session.pk]
    for row in rows:
        assert set(row) == set(access.SESSION_RECORD_FIELDS)
        assert row["duration_minutes"] == session.duration_minutes and row["format"] == session.format
    assert not any(secret in detail.content.decode() + listing.content.decode() for secret in WORDS.values())


@pytest.mark.parametrize("name", ["mentee", "mentor"])
def test_api_session_gives_the_pair_every_field(roles, session, name):
    data = client_for(roles, name).get(f"{API}sessions/{session.pk}/").json()
    assert set(data) == set(access.SESSION_RECORD_FIELDS + access.SESSION_PAIR_FIELDS)
    assert {field: data[field] for field in WORDS} == WORDS


@pytest.mark.parametrize("name", ["other_coordinator", "other_mentee", "employee"])
def test_api_session_is_404_outside_the_program(roles, session, name):
    assert client_for(roles, name).get(f"{API}sessions/{session.pk}/").status_code == 404


def test_admin_pair_view_shows_the_record_only(client, roles, session):
    _admin(roles, "coordinator", "other_coordinator")
    url = reverse("wagtail_mentoring_dashboards:pair", args=[roles["mentorship"].pk])
    client.force_login(roles["other_coordinator"])
    assert client.get(url).status_code == 404
    client.force_login(roles["coordinator"])
    response = client.get(url)
    assert response.status_code == 200
    assert [set(row) for row in response.context["sessions"]] == [set(access.SESSION_RECORD_FIELDS)]
    assert not any(secret in response.content.decode() for secret in WORDS.values())


# --- 4. page privacy on every mention of a training page ---------------------------------------------
@pytest.fixture
def restricted_path(roles, program, home_page):
    library = TrainingLibraryPageFactory(parent=home_page, slug="library")
    public = TrainingResourcePageFactory(parent=library, title="Open listening guide", slug="open")
    hidden = TrainingResourcePageFactory(parent=library, title="HR-ONLY feedback course", slug="hr-only")
    restriction = PageViewRestriction.objects.create(page=hidden, restriction_type="groups")
    hr = GroupFactory(name="hr")
    restriction.groups.add(hr)
    program.mentee_learning_path = learning_path([public, hidden], title="Mentee basics")
    program.save()
    return {"public": public, "hidden": hidden, "hr": hr}


def test_dashboard_required_training_names_only_pages_the_mentee_may_view(client, roles, restricted_path, dashboard):
    client.force_login(roles["mentee"])
    html = client.get(dashboard.url).content.decode()
    assert "Open listening guide" in html and restricted_path["public"].url in html
    assert "HR-ONLY" not in html and restricted_path["hidden"].url not in html
    roles["mentee"].groups.add(restricted_path["hr"])
    html = client.get(dashboard.url).content.decode()
    assert "HR-ONLY feedback course" in html and restricted_path["hidden"].url in html


def test_resource_highlights_block_names_only_viewable_pages(client, roles, restricted_path, program):
    program.body = [
        ("resources", {"heading": "Read first", "pages": [restricted_path["public"], restricted_path["hidden"]]})
    ]
    program.save_revision().publish()
    client.force_login(roles["mentee"])
    html = client.get(program.url).content.decode()
    assert "Open listening guide" in html and "HR-ONLY" not in html
    roles["mentee"].groups.add(restricted_path["hr"])
    assert "HR-ONLY feedback course" in client.get(program.url).content.decode()


# --- 5. anonymity per survey kind and period ----------------------------------------------------------
def test_survey_period_and_reportable_answers():
    assert survey_period(dt.date(2026, 3, 31)) == "2026-03"
    answers = [
        (1, "session", dt.date(2026, 3, 1)),
        (2, "session", dt.date(2026, 3, 9)),
        (3, "session", dt.date(2026, 3, 30)),
        (4, "pairing_check", dt.date(2026, 3, 2)),
        (5, "session", dt.date(2026, 4, 1)),
    ]
    assert reportable_answers(answers, 3) == [1, 2, 3]
    assert reportable_answers(answers, 1) == [1, 2, 3, 4, 5]


@pytest.fixture
def answers(roles, program):
    """Three session ratings and one pairing check in March 2026, one session rating in April."""
    m = roles["mentorship"]
    made = []
    for day, kind, comment in (
        (3, "session", "session-one"),
        (4, "session", "session-two"),
        (5, "session", "session-three"),
        (6, "pairing_check", "LONE-PAIRING-CHECK"),
    ):
        made.append(FeedbackFactory(mentorship=m, program=program, author=roles["mentee"], kind=kind, rating=5))
        made[-1].comment = comment
        made[-1].save()
        models.Feedback.objects.filter(pk=made[-1].pk).update(created_at=at(dt.date(2026, 3, day)))
    april = FeedbackFactory(mentorship=m, program=program, author=roles["mentor"], kind="session", rating=1)
    models.Feedback.objects.filter(pk=april.pk).update(created_at=at(dt.date(2026, 4, 2)))
    return made


def test_report_counts_the_minimum_per_kind_and_period(answers, program):
    report = program_report(program, dt.date(2026, 4, 10))
    assert [c["comment"] for c in report.comments] == ["session-one", "session-three", "session-two"]
    assert all(c["author"] == "" for c in report.comments)
    assert [(str(label), n) for label, n, _avg in report.satisfaction] == [("Session rating", 3)]
    assert report.average_rating == 5.0 and report.responses_withheld == 2 and report.comments_hidden


@override_settings(WAGTAIL_MENTORING={"ANONYMITY_MIN_RESPONSES": 1})
def test_the_minimum_is_the_setting(answers, program):
    report = program_report(program, dt.date(2026, 4, 10))
    assert "LONE-PAIRING-CHECK" in [c["comment"] for c in report.comments]
    assert report.responses_withheld == 0 and not report.comments_hidden


def test_period_starts_cover_every_month_across_a_year_end():
    assert period_starts(dt.date(2026, 12, 31), dt.date(2026, 12, 31)) == [dt.date(2026, 12, 1), dt.date(2027, 1, 1)]
    assert period_starts(dt.date(2026, 11, 15), dt.date(2027, 1, 1)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
        dt.date(2027, 2, 1),
    ]


@override_settings(TIME_ZONE="Europe/Rome")
def test_periods_are_months_of_the_current_time_zone(roles, program):
    """Three session ratings given in Rome's April, one at 00:30 on 1 April (still March in UTC): one group."""
    rome = dt.timezone(dt.timedelta(hours=2))  # CEST
    for when in (dt.datetime(2026, 4, 1, 0, 30), dt.datetime(2026, 4, 10, 12), dt.datetime(2026, 4, 30, 23, 30)):
        answer = FeedbackFactory(
            mentorship=roles["mentorship"], program=program, author=roles["mentee"], kind="session"
        )
        models.Feedback.objects.filter(pk=answer.pk).update(created_at=when.replace(tzinfo=rome))
    report = program_report(program, dt.date(2026, 5, 10))
    assert report.responses_withheld == 0
    assert [(str(label), n) for label, n, _avg in report.satisfaction] == [("Session rating", 3)]


def test_report_page_hides_a_lone_answer(client, roles, answers, program):
    _admin(roles, "coordinator", "other_coordinator")
    url = f"/admin/mentoring/reports/{program.pk}/"
    client.force_login(roles["other_coordinator"])
    assert client.get(url).status_code == 404
    client.force_login(roles["coordinator"])
    html = client.get(url).content.decode()
    assert "session-two" in html and "LONE-PAIRING-CHECK" not in html
    assert "leave out 2 survey answers" in html


# --- 6. usage and delete views never name hidden objectives -------------------------------------------
@pytest.fixture
def aligned(roles):
    """The employee's objective, and the mentee's private objective aligned to it (hidden from the employee)."""
    parent = ObjectiveFactory(owner=roles["employee"], title="Parent objective")
    child = ObjectiveFactory(owner=roles["mentee"], title="SECRET-CHILD", parent=parent)
    ReferenceIndex.create_or_update_for_object(child)  # Wagtail 7.4 indexes after the commit (a task)
    _admin(roles, "employee", "mentee")
    return parent, child


def test_usage_view_does_not_name_or_count_hidden_objectives(client, roles, aligned):
    parent, child = aligned
    url = f"/admin/snippets/wagtail_mentoring/objective/usage/{parent.pk}/"
    client.force_login(roles["employee"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Private objective" not in html and "SECRET-CHILD" not in html and "Aligned to" not in html
    client.force_login(roles["mentee"])
    assert client.get(url).status_code == 404


def test_delete_view_does_not_count_hidden_objectives(client, roles, aligned):
    parent, _child = aligned
    client.force_login(roles["employee"])
    html = client.get(f"/admin/snippets/wagtail_mentoring/objective/delete/{parent.pk}/").content.decode()
    assert "referenced 0 times" in html and "referenced 1 time" not in html


def test_usage_view_lists_what_the_user_sees(client, roles, aligned):
    parent, child = aligned
    parent.owner = roles["mentee"]
    parent.save()
    client.force_login(roles["mentee"])
    html = client.get(f"/admin/snippets/wagtail_mentoring/objective/usage/{parent.pk}/").content.decode()
    # Listed (Wagtail 8 names and links it; 7.4's URL finder labels it private, a Wagtail rule of its own).
    assert "Aligned to" in html and "1 item" in html
    delete = client.get(f"/admin/snippets/wagtail_mentoring/objective/delete/{parent.pk}/").content.decode()
    assert "referenced 1 time" in delete


@pytest.fixture
def program_references(roles, program):
    """Objects that refer to the program page: a pairing's objective, another mentee's objective, the pairing."""
    from wagtail.models import GroupPagePermission

    pair = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"], program=program, title="PAIR-OBJ")
    other = ObjectiveFactory(owner=roles["other_mentee"], program=program, title="OTHER-OBJ")
    for source in (pair, other, roles["mentorship"]):
        ReferenceIndex.create_or_update_for_object(source)  # the index is not updated on save in tests
    page_editors = GroupFactory(name="Page editors")
    for codename in ("change_page", "publish_page", "delete_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.create(group=page_editors, page=program, permission=permission)
    for name in ("mentee", "coordinator", "other_coordinator", "editor"):
        roles[name].groups.add(page_editors)
    _admin(roles, "mentee", "mentor", "coordinator", "other_coordinator", "editor")
    return {"pair": pair, "other": other}


def _usage_rows(client, program) -> tuple[list[str], str]:
    response = client.get(f"/admin/pages/{program.pk}/usage/")
    assert response.status_code == 200
    rows = [str(row["object"]) for row in response.context["table"].data]
    assert response.context["paginator"].count == len(rows)
    return rows, response.content.decode()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # the pairing's objective (and the pairing): the pair and the program's coordinator
        ("mentee", {"PAIR-OBJ"}),
        ("coordinator", {"PAIR-OBJ", "OTHER-OBJ", "mentorship"}),
        ("other_coordinator", set()),
        ("editor", set()),
    ],
)
def test_page_usage_view_lists_only_what_the_viewer_may_see(client, roles, program, program_references, name, expected):
    client.force_login(roles[name])
    rows, html = _usage_rows(client, program)
    labels = {"mentorship" if row == str(roles["mentorship"]) else row for row in rows}
    assert labels == expected  # (Wagtail labels a row it cannot link to for editing "(Private objective)")
    if not expected:
        assert "Private objective" not in html and "Private mentorship" not in html
    for title in {"PAIR-OBJ", "OTHER-OBJ"} - expected:
        assert title not in html
    # The delete view counts the same references as the usage view lists.
    delete = client.get(f"/admin/pages/{program.pk}/delete/")
    assert delete.status_code == 200
    assert delete.context["usage_count"] == len(rows)


def test_page_usage_view_needs_page_edit_permission(client, roles, program, program_references):
    client.force_login(roles["mentor"])  # in the admin, part of the pair, but no page permission
    response = client.get(f"/admin/pages/{program.pk}/usage/")
    assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail's "permission denied"


# --- 7. the privacy export and erase -------------------------------------------------------------------
def _export(username: str) -> dict:
    out = io.StringIO()
    call_command("mentoring_privacy", "export", username, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def ended(roles, program):
    """The pairing ended: the mentor lost access; two sessions, one logged by each of the pair."""
    m = roles["mentorship"]
    by_mentor = MentoringSessionFactory(
        mentorship=m, created_by=roles["mentor"], agenda="MENTOR-AGENDA", notes="MENTOR-NOTES", next_steps=""
    )
    by_mentee = MentoringSessionFactory(
        mentorship=m, created_by=roles["mentee"], agenda="MENTEE-AGENDA", notes="MENTEE-NOTES", next_steps=""
    )
    models.Mentorship.objects.filter(pk=m.pk).update(status="ended", ended_on=dt.date(2026, 3, 1))
    m.refresh_from_db()
    revoke_pair_access(m)
    return {"mentorship": m, "by_mentor": by_mentor, "by_mentee": by_mentee}


def test_privacy_export_gives_an_ended_mentor_no_pair_notes(roles, ended):
    assert client_for(roles, "mentor").get(f"{API}sessions/{ended['by_mentor'].pk}/").status_code == 404
    data = _export("mentor")
    text = json.dumps(data)
    assert "NOTES" not in text and "AGENDA" not in text
    assert data["sessions"] == [] and data["mentorships"] == []
    assert [row["id"] for row in data["past_mentorships"]] == [ended["mentorship"].pk]


def test_privacy_export_gives_the_mentee_what_they_still_see(roles, ended):
    data = _export("mentee")
    assert sorted(row["notes"] for row in data["sessions"]) == ["MENTEE-NOTES", "MENTOR-NOTES"]
    assert [row["id"] for row in data["mentorships"]] == [ended["mentorship"].pk]


def test_privacy_export_gives_a_coordinator_no_session_words(roles, ended, program):
    EnrolmentFactory(program=program, user=roles["coordinator"], role="mentor")
    assert "NOTES" not in json.dumps(_export("coordinator"))


def test_erase_removes_only_the_users_own_words(roles, ended):
    call_command("mentoring_privacy", "erase", "mentor", stdout=io.StringIO())
    by_mentor, by_mentee = (models.MentoringSession.objects.get(pk=ended[k].pk) for k in ("by_mentor", "by_mentee"))
    assert (by_mentor.agenda, by_mentor.notes) == ("", "")
    assert (by_mentee.agenda, by_mentee.notes) == ("MENTEE-AGENDA", "MENTEE-NOTES")


def test_erase_keeps_kudos_received(roles):
    m = roles["mentorship"]
    sent = models.Kudos.objects.create(mentorship=m, sender=roles["mentee"], recipient=roles["mentor"], message="A")
    got = models.Kudos.objects.create(mentorship=m, sender=roles["mentor"], recipient=roles["mentee"], message="B")
    call_command("mentoring_privacy", "erase", "mentee", stdout=io.StringIO())
    sent.refresh_from_db()
    got.refresh_from_db()
    assert (sent.message, got.message) == ("-", "B")


# --- 8. program feedback needs an accepted enrolment --------------------------------------------------
@pytest.mark.parametrize(
    ("status", "expected"),
    [("declined", 400), ("applied", 400), ("waitlisted", 400), ("withdrawn", 400), ("accepted", 201)],
)
def test_api_program_feedback_needs_an_accepted_enrolment(roles, other_program, status, expected):
    EnrolmentFactory(program=other_program, user=roles["employee"], role="mentee", status=status)
    response = client_for(roles, "employee").post(
        f"{API}feedback/", {"kind": "program", "program": other_program.pk, "rating": 4}, format="json"
    )
    assert response.status_code == expected, response.content
    assert models.Feedback.objects.filter(author=roles["employee"]).count() == (expected == 201)


@pytest.mark.parametrize(("status", "expected"), [("declined", 404), ("accepted", 200)])
def test_front_end_program_survey_agrees(client, roles, other_program, status, expected):
    EnrolmentFactory(program=other_program, user=roles["employee"], role="mentee", status=status)
    client.force_login(roles["employee"])
    assert client.get(reverse("wagtail_mentoring:survey_program", args=[other_program.pk])).status_code == expected
