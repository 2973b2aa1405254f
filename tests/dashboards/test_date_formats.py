"""One date format per kind of surface: the front end and e-mails say Django's localised DATE_FORMAT (or
DATETIME_FORMAT for a moment), the admin says Wagtail's own (the same formats); never the US 12/01/2026."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.dashboards.conftest import make_objective
from tests.factories import CheckInFactory
from wagtail_mentoring.models import CheckIn
from wagtail_mentoring.notifications import rules

pytestmark = pytest.mark.django_db
SHORT_US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


def _dated_objective(roles):
    objective = make_objective(roles["mentee"], roles["mentorship"], n_check_ins=0)
    check_in = CheckInFactory(key_result=objective.key_results.get(), author=roles["mentee"], value=3)
    CheckIn.objects.filter(pk=check_in.pk).update(created_at=dt.datetime(2026, 3, 5, 14, 30, tzinfo=dt.UTC))
    return objective


def _page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response.content.decode()


def test_front_end_pair_and_objective_pages_say_date_format(client, dashboard, roles):
    objective = _dated_objective(roles)
    client.force_login(roles["mentor"])
    pair = _page(client, f"/mentoring/mentee/{roles['mentorship'].pk}/")
    detail = _page(client, f"/mentoring/objective/{objective.pk}/")
    assert "Last check-in: March 5, 2026" in pair
    assert "March 5, 2026, 2:30 p.m." in detail
    # (the objectives' "Due" dates come from the dashboard's own includes, rebuilt separately)
    assert "Last check-in: 03/05/2026" not in pair and "03/05/2026 2:30 p.m." not in detail
    italian = _page(client, f"/mentoring/mentee/{roles['mentorship'].pk}/", HTTP_ACCEPT_LANGUAGE="it")
    assert "05 Marzo 2026" in italian


def test_admin_objective_inspect_says_wagtails_date_format(client, admin_access, roles):
    objective = _dated_objective(roles)
    client.force_login(admin_access["mentee"])
    html = _page(client, reverse("wagtailsnippets_wagtail_mentoring_objective:inspect", args=[objective.pk]))
    assert "March 5, 2026" in html and not SHORT_US_DATE.search(html)


def test_ending_soon_email_says_the_end_date_in_the_readers_language(roles, program):
    rule = rules.EndingSoonRule()
    reminder = next(iter(rule.due(dt.datetime(2026, 12, 20, 9, tzinfo=dt.UTC))))
    assert "(Dec. 31, 2026)" in rule.message(reminder.context).body
    with translation.override("it"):
        assert "(31 Dicembre 2026)" in rule.message(reminder.context).body
