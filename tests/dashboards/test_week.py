"""The employee's week on the dashboard (issue 13): what to do next, check in in place on each key result
(with and without JavaScript), errors at the form, the session form and the portal block for newcomers."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import KeyResultFactory
from wagtail_mentoring.blocks.portal import MyMentoringBlock
from wagtail_mentoring.dashboards.forms import SessionForm
from wagtail_mentoring.models import CheckIn, KeyResult
from wagtail_mentoring.snippets.validators import validate_check_in_value

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def kr_of(objective):
    return objective.key_results.order_by("pk").first()


@pytest.mark.parametrize("value", [-5, 100.5, 250])
def test_a_percentage_takes_0_to_100(value):
    with pytest.raises(ValidationError):
        validate_check_in_value("percent", value)
    validate_check_in_value("percent", 0)
    validate_check_in_value("percent", 100)
    validate_check_in_value("number", value)


def test_minus_five_on_a_percentage_is_refused_at_the_form_with_a_summary(client, dashboard, roles, okrs):
    kr = KeyResultFactory(objective=okrs["mentee"], title="Share of reviews", kind="percent", target_value=100)
    client.force_login(roles["mentee"])
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": -5, "next": "/mentoring/"})
    assert response.status_code == 400
    kr.refresh_from_db()
    assert kr.current_value == 0 and not CheckIn.objects.filter(key_result=kr).exists()
    html = response.content.decode()
    # The form of that key result is open, posts back to its anchor and starts with a summary linking to the field.
    item = html[html.index(f'id="key-result-{kr.pk}"') :]
    item = item[: item.index("</form>")]
    assert 'class="wm-form wm-form--inline wm-kr__form"' in item  # shown open, in place
    assert f'action="/mentoring/check-in/#key-result-{kr.pk}"' in item
    assert 'class="wm-error-summary"' in item and "autofocus" in item
    assert f'href="#wm-kr-{kr.pk}-value"' in item and "A percentage is between 0 and 100." in item
    assert 'aria-invalid="true"' in item and 'value="-5"' in item


def test_check_in_without_javascript_returns_to_the_key_result_with_a_status_message(client, dashboard, roles, okrs):
    kr = kr_of(okrs["mentee"])
    client.force_login(roles["mentee"])
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": 5, "next": "/mentoring/"})
    assert response.status_code == 302 and response["Location"] == f"/mentoring/#key-result-{kr.pk}"
    html = client.get(response["Location"]).content.decode()
    assert re.search(r'role="status"[^>]*>.*wm-message--success">Check-in saved\.</li>', html, re.S)


def test_check_in_with_javascript_returns_the_new_value_progress_and_health(client, dashboard, roles, okrs):
    kr = kr_of(okrs["mentee"])
    client.force_login(roles["mentee"])
    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": 10, "note": "done"}, **JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] and data["message"] == "Check-in saved."
    assert (data["percent"], data["value_text"], data["health_label"], data["tone"]) == (
        100,
        "10 of 10",
        "Achieved",
        "good",
    )
    assert data["objective"]["pk"] == okrs["mentee"].pk and data["objective"]["percent"] == 60
    kr.refresh_from_db()
    assert kr.current_value == 10

    response = client.post("/mentoring/check-in/", {"key_result": kr.pk, "value": "lots"}, **JSON)
    assert response.status_code == 400 and "value" in response.json()["errors"]
    other = kr_of(okrs["other_mentee"])
    response = client.post("/mentoring/check-in/", {"key_result": other.pk, "value": 1}, **JSON)
    assert response.status_code == 400 and "key_result" in response.json()["errors"]
    assert not CheckIn.objects.filter(key_result=other, author=roles["mentee"]).exists()


def test_each_key_result_the_person_may_update_has_its_own_check_in_and_no_select(client, dashboard, roles, okrs):
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    links = re.findall(r'href="\?check_in=(\d+)#key-result-\1" data-wm-open-check-in', html)
    mine = {str(pk) for pk in KeyResult.objects.filter(objective=okrs["mentee"]).values_list("pk", flat=True)}
    assert set(links) == mine
    assert "---------" not in html
    assert "<legend>Log a session</legend>" not in html  # the heading is not repeated as a legend


def test_what_to_do_next_names_the_key_result_due_and_comes_first(client, dashboard, roles, okrs):
    CheckIn.objects.filter(key_result__objective=okrs["mentee"]).update(
        created_at=timezone.now() - dt.timedelta(days=30)
    )
    kr = kr_of(okrs["mentee"])
    client.force_login(roles["mentee"])
    html = client.get("/mentoring/").content.decode()
    actions = html.index("What to do next")
    assert actions < html.index("Mentored by") < html.index("Your objectives")
    assert f"“{kr.title}” in Present to leadership" in html
    assert f'href="?check_in={kr.pk}#key-result-{kr.pk}">Check in</a>' in html
    # The mentor is told whose key result is due, and led to its objective's page.
    client.force_login(roles["mentor"])
    html = client.get("/mentoring/").content.decode()
    name = roles["mentee"].get_full_name() or roles["mentee"].get_username()
    assert f"“{kr.title}” in Present to leadership ({name})" in html
    assert f'href="/mentoring/objective/{okrs["mentee"].pk}/#key-result-{kr.pk}"' in html


def test_the_session_form_preselects_the_only_pairing_and_names_key_results(roles, okrs):
    form = SessionForm(roles["mentee"])
    assert form["mentorship"].value() == roles["mentorship"].pk
    labels = [label for _value, label in form.fields["key_results_discussed"].choices]
    mentee = roles["mentee"].get_full_name() or roles["mentee"].get_username()
    assert labels and all(f"— Present to leadership ({mentee})" in str(label) for label in labels)


def test_portal_block_shows_open_programs_to_an_employee_outside_every_program(roles, program, other_program):
    block = MyMentoringBlock()
    request = RequestFactory().get("/")
    request.user = roles["employee"]
    request.session = {}
    html = block.render(block.to_python({}), context={"request": request})
    assert "not taking part" in html
    assert "Programs open for enrolment" in html and program.title in html
    assert 'class="wm-card wm-my-mentoring"' in html and "mentoring.css" in html
