"""The input policy (``wagtail_mentoring.inputs``): each case of the security review, reproduced.

Far-past and far-future dates, deep and oversized JSON, ids beyond the database's range, non-numeric
ids in admin URLs, unbounded text, booleans as numbers and look-alike formula characters: each is a
clear 400/404/413 or form error that leaves the data unchanged, never a 500.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from tests.factories import KeyResultFactory, ObjectiveFactory
from tests.factories.training import TrainingLibraryPageFactory, TrainingResourcePageFactory
from wagtail_mentoring import inputs, models
from wagtail_mentoring.exports import neutralise_formula
from wagtail_mentoring.programs import activity

pytestmark = pytest.mark.django_db

API = "/api/mentoring/v1/"
#: The example site's time zone, where the review found the date cases (UTC hides one of them).
EXAMPLE_SITE_TZ = "Europe/Rome"


def post_json(client, url: str, data, method: str = "post"):
    body = data if isinstance(data, str) else json.dumps(data)
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def pair_kr(roles):
    """A key result of the mentee's pairing objective."""
    objective = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"], level="pairing")
    return KeyResultFactory(objective=objective)


def counts() -> tuple[int, int, int]:
    return (models.CheckIn.objects.count(), models.MentoringSession.objects.count(), models.Objective.objects.count())


# --- 1. far-future and far-past dates ------------------------------------------------------------
def test_far_future_session_on_the_check_in_form_is_a_form_error(roles, dashboard, pair_kr, client_for, settings):
    settings.TIME_ZONE = EXAMPLE_SITE_TZ
    before = counts()
    response = client_for(roles["mentee"]).post(
        "/mentoring/check-in/",
        {"key_result": pair_kr.pk, "value": 3, "log_session": "on", "session_date": "9999-12-31T23:59"},
    )
    assert response.status_code == 400
    assert b"Enter a date between 2000-01-01 and 2100-12-31." in response.content
    assert counts() == before


def test_year_one_session_on_the_session_form_is_a_form_error(roles, dashboard, client_for, settings):
    settings.TIME_ZONE = EXAMPLE_SITE_TZ
    before = counts()
    response = client_for(roles["mentee"]).post(
        "/mentoring/session/",
        {"mentorship": roles["mentorship"].pk, "session_date": "0001-01-01", "duration_minutes": 30, "format": "video"},
    )
    assert response.status_code == 400
    assert b"Enter a date between" in response.content
    assert counts() == before


@pytest.mark.parametrize("who", ["mentee", "mentor"])
def test_me_answers_when_far_dates_were_stored_before_the_policy(roles, pair_kr, client_for, who):
    """Rows written before the window existed: the due-date arithmetic holds at the calendar's end."""
    models.Objective.objects.filter(pk=pair_kr.objective_id).update(start_date=dt.date(9999, 12, 31))
    models.Mentorship.objects.filter(pk=roles["mentorship"].pk).update(started_on=dt.date(9999, 12, 31))
    response = client_for(roles[who]).get(f"{API}me/")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["next_session"]["due_on"] == "9999-12-31"


def test_due_dates_do_not_overflow():
    end = dt.date(9999, 12, 31)
    assert activity.next_session_due(end, dt.date(2026, 1, 1), 14) == dt.date.max
    assert activity.check_in_due_on(end, None, 14) == dt.date.max
    assert activity.add_days(dt.date(1, 1, 2), -5) == dt.date.min
    assert activity.add_days(dt.date(2026, 1, 1), 14) == dt.date(2026, 1, 15)


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:00Z", "1999-12-30T12:00:00Z"])
def test_api_refuses_session_dates_outside_the_window(roles, client_for, settings, date):
    """Year 1 used to be stored and returned as ``0001-01-01T00:49:56+00:49:56`` (not a valid date-time)."""
    settings.TIME_ZONE = EXAMPLE_SITE_TZ
    before = counts()
    response = post_json(
        client_for(roles["mentee"]),
        f"{API}sessions/",
        {"mentorship": roles["mentorship"].pk, "date": date, "duration_minutes": 30, "format": "video"},
    )
    assert response.status_code == 400
    assert "date" in response.json()
    assert counts() == before


def test_api_refuses_objective_dates_outside_the_window(roles, client_for):
    before = counts()
    response = post_json(
        client_for(roles["mentee"]),
        f"{API}objectives/",
        {"title": "Far away", "start_date": "2026-01-01", "due_date": "9999-12-31"},
    )
    assert response.status_code == 400 and "due_date" in response.json()
    assert counts() == before


def test_window_edges_are_inside():
    assert inputs.in_date_window(inputs.DATE_MIN) and inputs.in_date_window(inputs.DATE_MAX)
    assert not inputs.in_date_window(inputs.DATE_MIN - dt.timedelta(days=1))
    assert not inputs.in_date_window(dt.date(2101, 1, 1))
    # A date-time may fall a day outside: its date depends on the time zone it is read in.
    assert inputs.in_date_window(dt.datetime(1999, 12, 31, 23, 30, tzinfo=dt.UTC))
    assert not inputs.in_date_window(dt.datetime(2101, 1, 2, tzinfo=dt.UTC))


# --- 3. deep JSON, ids beyond the range, non-numeric admin ids -----------------------------------
DEEP_BODIES = {"arrays": "[" * 100_000, "objects": '{"a":' * 50_000 + "1" + "}" * 50_000}


@pytest.mark.parametrize("shape", sorted(DEEP_BODIES))
@pytest.mark.parametrize(("method", "url"), [("post", "check-ins/"), ("post", "feedback/")])
def test_deeply_nested_json_is_a_400(roles, client_for, shape, method, url):
    before = counts()
    response = post_json(client_for(roles["mentee"]), f"{API}{url}", DEEP_BODIES[shape], method)
    assert response.status_code == 400
    assert "nested deeper" in response.json()["detail"]
    assert counts() == before


def test_deeply_nested_json_on_an_update_is_a_400(roles, pair_kr, client_for):
    response = post_json(client_for(roles["mentee"]), f"{API}key-results/{pair_kr.pk}/", "[" * 100_000, "patch")
    assert response.status_code == 400


def test_nesting_within_the_limit_is_parsed(roles, client_for):
    body = {"title": "ok", "extra": [[[["nested but allowed"]]]]}
    response = post_json(client_for(roles["mentee"]), f"{API}objectives/", body)
    assert response.status_code == 201, response.content


def test_oversized_body_is_a_413(roles, pair_kr, client_for):
    before = counts()
    body = json.dumps({"key_result": pair_kr.pk, "value": 1, "note": "x" * (inputs.MAX_BODY_BYTES + 1)})
    response = post_json(client_for(roles["mentee"]), f"{API}check-ins/", body)
    assert response.status_code == 413
    assert counts() == before


@pytest.mark.parametrize(
    ("url", "field", "extra"),
    [
        ("completions/", "resource", {}),
        ("enrolments/", "program", {"role": "mentee", "goals": "grow"}),
        ("feedback/", "program", {"kind": "program", "rating": 4}),
        ("check-ins/", "key_result", {"value": 1}),
    ],
)
@pytest.mark.parametrize("pk", [2**63, "18446744073709551616", -(10**22), 1e30])
def test_ids_beyond_the_database_range_do_not_exist(roles, client_for, url, field, extra, pk):
    response = post_json(client_for(roles["mentee"]), f"{API}{url}", {field: pk, **extra})
    assert response.status_code == 400
    assert "does not exist" in str(response.json()[field])


@pytest.mark.parametrize("who", ["mentee", "coordinator", "superuser"])
def test_admin_revision_compare_with_a_non_numeric_id_is_a_404(admin_roles, client_for, who):
    client = client_for(admin_roles[who])
    for pk in ["abc", "5.0", "_5", "5%2F", str(2**64)]:
        url = f"/admin/snippets/wagtail_mentoring/objective/history/{pk}/revisions/compare/earliest...latest/"
        assert client.get(url).status_code == 404, pk


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, 5),
        ("5", 5),
        (inputs.ID_MAX, inputs.ID_MAX),
        (inputs.ID_MAX + 1, None),
        (0, None),
        (-1, None),
        (True, None),
        (5.0, None),
        ("5.0", None),
        (" 5", None),
        ("\uff15", None),
        ("_5", None),
        (None, None),
    ],
)
def test_parse_id(value, expected):
    assert inputs.parse_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5, False),
        ("5", False),
        (0, True),
        ("-3", True),
        (2**64, True),
        (1e30, True),
        (float("nan"), True),
        ("abc", False),
    ],
)
def test_out_of_range_id(value, expected):
    assert inputs.out_of_range_id(value) is expected


def test_match_command_with_an_id_beyond_the_range_is_a_command_error(program):
    with pytest.raises(CommandError, match="No mentoring program"):
        call_command("mentoring_match", str(2**64))


@pytest.mark.parametrize("when", ["9999-12-31", "0001-01-01T00:00"])
def test_reminders_command_outside_the_window_is_a_command_error(when):
    with pytest.raises(CommandError, match="--now"):
        call_command("mentoring_reminders", "--now", when, "--dry-run")


# --- 9. unbounded text ---------------------------------------------------------------------------
def test_api_refuses_a_check_in_note_beyond_the_limit(roles, pair_kr, client_for):
    before = counts()
    response = post_json(
        client_for(roles["mentee"]), f"{API}check-ins/", {"key_result": pair_kr.pk, "value": 2, "note": "x" * 200_000}
    )
    assert response.status_code == 400 and "note" in response.json()
    assert counts() == before


def test_dashboard_refuses_a_check_in_note_beyond_the_limit(roles, dashboard, pair_kr, client_for):
    before = counts()
    response = client_for(roles["mentee"]).post(
        "/mentoring/check-in/", {"key_result": pair_kr.pk, "value": 2, "note": "x" * (inputs.MAX_TEXT_LENGTH + 1)}
    )
    assert response.status_code == 400
    assert counts() == before


def test_a_note_at_the_limit_is_stored(roles, pair_kr, client_for):
    response = post_json(
        client_for(roles["mentee"]),
        f"{API}check-ins/",
        {"key_result": pair_kr.pk, "value": 2, "note": "x" * inputs.MAX_TEXT_LENGTH},
    )
    assert response.status_code == 201


def test_api_refuses_session_notes_beyond_the_limit(roles, client_for):
    before = counts()
    response = post_json(
        client_for(roles["mentor"]),
        f"{API}sessions/",
        {
            "mentorship": roles["mentorship"].pk,
            "date": "2026-02-01T10:00:00Z",
            "duration_minutes": 30,
            "format": "video",
            "notes": "n" * (inputs.MAX_TEXT_LENGTH + 1),
        },
    )
    assert response.status_code == 400 and "notes" in response.json()
    assert counts() == before


def test_every_free_text_model_field_has_the_limit():
    """Model forms, the Wagtail admin and ModelSerializers all take their limit from the field."""
    from django.apps import apps
    from django.db.models import TextField
    from wagtail.fields import RichTextField

    unlimited = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("wagtail_mentoring").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, TextField)
        and not isinstance(field, RichTextField)
        and field.model._meta.app_label == "wagtail_mentoring"
        and field.max_length is None
    ]
    assert unlimited == []


def test_admin_form_refuses_a_description_beyond_the_limit(admin_roles, client_for):
    client = client_for(admin_roles["mentee"])
    before = counts()
    response = client.post(
        "/admin/snippets/wagtail_mentoring/objective/add/",
        {
            "title": "Long",
            "description": "d" * (inputs.MAX_TEXT_LENGTH + 1),
            "category": "other",
            "level": "mentee",
            "status": "active",
            "key_results-TOTAL_FORMS": "0",
            "key_results-INITIAL_FORMS": "0",
            "key_results-MIN_NUM_FORMS": "0",
            "key_results-MAX_NUM_FORMS": "1000",
            "initiatives-TOTAL_FORMS": "0",
            "initiatives-INITIAL_FORMS": "0",
            "initiatives-MIN_NUM_FORMS": "0",
            "initiatives-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert f"Ensure this value has at most {inputs.MAX_TEXT_LENGTH}".encode() in response.content
    assert counts() == before


def test_dashboard_objective_form_refuses_a_thousand_key_result_forms(roles, dashboard, client_for):
    """A posted ``TOTAL_FORMS`` is capped at the formset's maximum instead of building 1,000 forms."""
    before = counts()
    response = client_for(roles["mentee"]).post(
        "/mentoring/objectives/new/",
        {"title": "Many", "category": "other", "status": "active", "kr-TOTAL_FORMS": "1000", "kr-INITIAL_FORMS": "0"},
    )
    assert response.status_code in (200, 400)
    assert b"Please submit at most 20 forms." in response.content
    assert counts() == before


# --- 10. booleans are not numbers; formula look-alikes -------------------------------------------
@pytest.mark.parametrize("value", [True, False])
def test_api_refuses_a_boolean_check_in_value(roles, pair_kr, client_for, value):
    before = counts()
    response = post_json(client_for(roles["mentee"]), f"{API}check-ins/", {"key_result": pair_kr.pk, "value": value})
    assert response.status_code == 400 and "value" in response.json()
    assert counts() == before


def test_api_refuses_boolean_key_result_values(roles, pair_kr, client_for):
    response = post_json(
        client_for(roles["mentee"]), f"{API}key-results/{pair_kr.pk}/", {"target_value": True, "weight": True}, "patch"
    )
    assert response.status_code == 400 and {"target_value", "weight"} <= set(response.json())
    pair_kr.refresh_from_db()
    assert pair_kr.target_value != 1.0 or pair_kr.weight != 1.0


@pytest.mark.parametrize(
    "text",
    [
        "\uff1dHYPERLINK(1)",  # full-width =
        "\uff0b1+1",  # full-width +
        "\uff0d2+3",  # full-width -
        "\uff20SUM(A1)",  # full-width @
        "\ufe66cmd",  # small =
        "\u22121+1",  # minus sign
        " =1+1",  # leading space
        "\u200b=1+1",  # zero-width space
        "\u00a0\uff1d1",  # no-break space, then full-width =
        "\n=1+1",
        "\t=1",
        "\r=1",
    ],
)
def test_formula_guard_catches_look_alikes(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["Plain text", "Team \uff1d great", "5 - 3", ""])
def test_formula_guard_leaves_plain_text(text):
    assert neutralise_formula(text) == text


def test_completion_of_a_resource_still_works(roles, home_page, client_for):
    """The id bound does not get in the way of a normal page id."""
    library = TrainingLibraryPageFactory(parent=home_page, slug="policy-library")
    resource = TrainingResourcePageFactory(parent=library, slug="policy-resource")
    response = post_json(client_for(roles["mentee"]), f"{API}completions/", {"resource": resource.pk})
    assert response.status_code == 201
