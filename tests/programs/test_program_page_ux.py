"""The program page and the enrol form as an employee reads them (issue: "The employee's week, designed").

Each section once; a timeline that follows the program's dates; no "Apply" for someone who applied;
the enrol form asks for the fields of the role chosen; status messages after an action.
"""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError

from tests.factories import EnrolmentFactory, MentoringProgramPageFactory, UserFactory
from tests.programs.test_enrol import MENTEE
from wagtail_mentoring.models import Enrolment
from wagtail_mentoring.programs.timeline import milestone_date, missing_anchors

pytestmark = pytest.mark.django_db

EXPECTATIONS = [
    ("goals", {"heading": "What this program is for", "goals": ["Prepare new managers"]}),
    ("expectations", {"role": "mentor", "heading": "", "expectations": ["Meet often"], "time_commitment": ""}),
    ("expectations", {"role": "mentee", "heading": "", "expectations": ["Come prepared"], "time_commitment": ""}),
]
CTA = ("enrol_cta", {"heading": "Ready to take part?", "text": "", "button_label": "Enrol now"})


def _page(program_index, slug="p", **fields):
    return MentoringProgramPageFactory(parent=program_index, slug=slug, title="Leadership", **fields)


# --- each section once ---------------------------------------------------------------------------------
def test_expectations_and_goals_shown_once_when_the_body_has_them(client, program_index):
    page = _page(
        program_index,
        body=EXPECTATIONS,
        goals="Increase retention",
        mentor_expectations="<p>Be candid.</p>",
        mentee_expectations="<p>Bring an agenda.</p>",
    )
    html = client.get(page.url).content.decode()
    assert html.count("What we expect of mentors") == 1
    assert html.count("What we expect of mentees") == 1
    assert "What this program is for" in html and "Program goals" not in html
    assert "Meet often" in html and "Come prepared" in html


def test_the_page_fields_are_shown_when_the_body_has_no_such_block(client, program_index):
    page = _page(program_index, body=[], goals="Increase retention", mentor_expectations="<p>Be candid.</p>")
    html = client.get(page.url).content.decode()
    assert html.count("What we expect of mentors") == 1 and "Be candid." in html
    assert "Program goals" in html and "Increase retention" in html


# --- the timeline follows the program's dates -----------------------------------------------------------
def test_milestone_date_rule():
    start, end = dt.date(2026, 10, 1), dt.date(2027, 9, 30)
    dates = {"start_date": start, "end_date": end, "enrolment_deadline": None}
    assert milestone_date(dt.date(2026, 2, 1), "start_date", 14, dates) == dt.date(2026, 10, 15)
    assert milestone_date(None, "end_date", -14, dates) == dt.date(2027, 9, 16)
    assert milestone_date(None, "end_date", None, dates) == end
    assert milestone_date(dt.date(2026, 2, 1), "", 30, dates) == dt.date(2026, 2, 1)
    assert milestone_date(None, "enrolment_deadline", 0, dates) is None
    assert missing_anchors(["", "start_date", "enrolment_deadline", "enrolment_deadline"], dates) == [
        "enrolment_deadline"
    ]


def test_timeline_follows_the_program_dates(client, program_index):
    milestones = [
        {"date": None, "anchor": "start_date", "offset_days": 0, "title": "Kick-off", "description": ""},
        {"date": None, "anchor": "end_date", "offset_days": -14, "title": "Closing survey", "description": ""},
        {"date": dt.date(2026, 11, 5), "anchor": "", "offset_days": 0, "title": "Training day", "description": ""},
    ]
    page = _page(
        program_index,
        start_date=dt.date(2026, 10, 1),
        end_date=dt.date(2027, 9, 30),
        body=[("timeline", {"heading": "Timeline", "milestones": milestones})],
    )
    html = client.get(page.url).content.decode()
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    assert dates == ["2026-10-01", "2027-09-16", "2026-11-05"]

    page.start_date, page.end_date = dt.date(2027, 1, 10), dt.date(2027, 12, 20)
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert re.findall(r'<time datetime="([\d-]+)">', html) == ["2027-01-10", "2027-12-06", "2026-11-05"]


def test_a_milestone_following_a_date_the_program_lacks_is_refused(program_index):
    page = _page(program_index, start_date=dt.date(2026, 10, 1), end_date=None)
    page.body = [
        (
            "timeline",
            {
                "heading": "Timeline",
                "milestones": [
                    {"date": None, "anchor": "end_date", "offset_days": 0, "title": "End", "description": ""}
                ],
            },
        )
    ]
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert set(excinfo.value.message_dict) == {"end_date"}
    page.end_date = dt.date(2027, 9, 30)
    page.full_clean()


# --- an applicant sees their status, not "Apply" ---------------------------------------------------------
@pytest.mark.parametrize("status", ["applied", "accepted", "waitlisted"])
def test_an_applicant_sees_their_status_instead_of_apply(client, program_index, status):
    page = _page(program_index, body=[CTA])
    user = UserFactory()
    EnrolmentFactory(program=page, user=user, role="mentee", status=status)
    client.force_login(user)
    html = client.get(page.url).content.decode()
    assert f"You applied as Mentee: {Enrolment.Status(status).label}." in html
    assert "Apply to this program" not in html and "Enrol now" not in html
    assert html.count("You applied as") == 1
    html = client.get(program_index.url).content.decode()
    assert "Enrol in Leadership" not in html


def test_an_employee_not_enrolled_is_invited_to_apply(client, program_index):
    page = _page(program_index, body=[CTA])
    client.force_login(UserFactory())
    html = client.get(page.url).content.decode()
    assert "Apply to this program" in html and "Enrol now" in html and "You applied as" not in html
    assert "Enrol in Leadership" in client.get(program_index.url).content.decode()


# --- the enrol form asks for the fields of the role chosen ------------------------------------------------
def test_enrol_form_groups_fields_per_role(client, program):
    client.force_login(UserFactory())
    html = client.get(program.url + "enrol/").content.decode()
    mentee = re.search(r'<fieldset class="wm-role-fields" data-wm-role="mentee">(.*?)</fieldset>', html, re.S)
    mentor = re.search(r'<fieldset class="wm-role-fields" data-wm-role="mentor">(.*?)</fieldset>', html, re.S)
    assert mentee and mentor
    assert 'name="skills_sought"' in mentee.group(1) and 'name="capacity"' not in mentee.group(1)
    assert 'name="skills_offered"' in mentor.group(1) and 'name="capacity"' in mentor.group(1)
    assert "If you apply as a mentee" in html and "If you apply as a mentor" in html
    assert "wagtail_mentoring/js/enrol.js" in html and finders.find("wagtail_mentoring/js/enrol.js")


@pytest.mark.parametrize(
    "mentor_values",
    [{"capacity": "abc", "skills_offered": "negotiation"}, {"capacity": "9", "skills_offered": "x" * 600}, {}],
)
def test_a_mentee_application_ignores_the_mentor_fields(client, program, mentor_values):
    user = UserFactory()
    client.force_login(user)
    data = {key: value for key, value in MENTEE.items() if key != "capacity"}
    response = client.post(program.url + "enrol/", {**data, **mentor_values})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=user)
    assert (enrolment.role, enrolment.capacity, enrolment.skills_offered) == ("mentee", 1, "")
    assert enrolment.skills_sought == "public speaking"


def test_a_mentor_application_ignores_the_mentee_fields(client, program):
    user = UserFactory()
    client.force_login(user)
    data = {**MENTEE, "role": "mentor", "skills_offered": "negotiation", "capacity": "2", "skills_sought": "y" * 600}
    assert client.post(program.url + "enrol/", data).status_code == 302
    enrolment = Enrolment.objects.get(user=user)
    assert (enrolment.capacity, enrolment.skills_offered, enrolment.skills_sought) == (2, "negotiation", "")


def test_a_mentor_still_validates_their_own_fields(client, program):
    user = UserFactory()
    client.force_login(user)
    data = {**MENTEE, "role": "mentor", "skills_offered": "negotiation", "capacity": "abc"}
    response = client.post(program.url + "enrol/", data)
    assert response.status_code == 200 and response.context["form"].errors.keys() == {"capacity"}
    assert not Enrolment.objects.filter(user=user).exists()


# --- after an action: a status message -------------------------------------------------------------------
def test_after_enrolling_the_message_is_a_status(client, program):
    client.force_login(UserFactory())
    response = client.post(program.url + "enrol/", MENTEE, follow=True)
    html = response.content.decode()
    status = re.search(r'<p [^>]*role="status"[^>]*>(.*?)</p>', html, re.S)
    assert status and "your application as Mentee was received" in status.group(1)


def test_messages_are_a_status_for_news_and_an_alert_for_problems():
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string

    messages = [Message(constants.SUCCESS, "Saved."), Message(constants.ERROR, "Not saved.")]
    html = render_to_string("wagtail_mentoring/programs/_messages.html", {"messages": messages})
    assert '<p class="wm-message wm-message--success" role="status">Saved.</p>' in html
    assert '<p class="wm-message wm-message--error" role="alert">Not saved.</p>' in html


def test_the_enrol_page_offers_the_role_left_and_nothing_once_both_are_taken(client, program):
    user = UserFactory()
    EnrolmentFactory(program=program, user=user, role="mentee", status="accepted")
    client.force_login(user)
    response = client.get(program.url + "enrol/")
    assert response.context["form"]["role"].value() == "mentor"
    EnrolmentFactory(program=program, user=user, role="mentor", status="applied")
    html = client.get(program.url + "enrol/").content.decode()
    assert "there is nothing more to apply for" in html and "<form" not in html.split("<main", 1)[1]
