"""Two session ratings due at once are told apart by their session's day, in the viewer's language."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests.factories.engagement import MentoringSessionFactory, at
from wagtail_mentoring.surveys.scheduling import due_surveys

pytestmark = pytest.mark.django_db


def test_each_due_session_rating_names_its_day(roles):
    for day in (2, 5):
        MentoringSessionFactory(mentorship=roles["mentorship"], date=at(dt.date(2026, 3, day)))
    surveys = [s for s in due_surveys(dt.date(2026, 3, 6), user=roles["mentee"]) if s.kind == "session"]
    labels = sorted(s.label for s in surveys)
    assert labels == ["Rate your session of March 2, 2026", "Rate your session of March 5, 2026"]
    html = render_to_string("wagtail_mentoring/surveys/due_surveys.html", {"surveys": surveys})
    assert html.count("Rate your session of March") == 2 and "Session rating" not in html
    with translation.override("it"):
        assert sorted(s.label for s in surveys)[0] == "Valuta la sessione del 02 Marzo 2026"
