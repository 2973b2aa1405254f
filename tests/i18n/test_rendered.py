"""Pages, the admin and the API speak Italian when the browser asks for it, with Italian dates and numbers."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from tests.dashboards.conftest import make_objective
from tests.factories import KeyResultFactory
from wagtail_mentoring.dashboards.charts import Point, trend_summary, trend_table
from wagtail_mentoring.dashboards.selectors import PairSummary
from wagtail_mentoring.models import MentoringSession

pytestmark = pytest.mark.django_db
IT = {"HTTP_ACCEPT_LANGUAGE": "it"}


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_mentee_dashboard_is_italian(client, dashboard, roles):
    objective = make_objective(roles["mentee"], roles["mentorship"], title="Parlare in pubblico")
    KeyResultFactory(objective=objective, title="Presentazioni", start_value=0, target_value=10, current_value=2.5)
    MentoringSession.objects.create(
        mentorship=roles["mentorship"],
        date=timezone.make_aware(dt.datetime(2026, 3, 5, 15, 30)),
        duration_minutes=45,
    )
    client.force_login(roles["mentee"])
    body = text(client.get(dashboard.url, **IT))
    assert '<html lang="it">' in body
    for phrase in ("Come mentee", "I Suoi obiettivi", "Ultima sessione", "Registra una sessione"):
        assert phrase in body, phrase
    assert "Your objectives" not in body
    assert "05 marzo 2026 15:30" in body.lower()  # Italian DATETIME_FORMAT
    assert "25% · 2,5 su 10" in body  # decimal comma
    english = text(client.get(dashboard.url, HTTP_ACCEPT_LANGUAGE="en"))
    assert "Your objectives" in english and "March 5, 2026" in english and "25% · 2.5 of 10" in english


def test_program_page_is_italian(client, program):
    program.meeting_cadence_days = 14
    program.save_revision().publish()
    body = text(client.get(program.url, **IT))
    for phrase in ("Date", "Iscrizione", "Incontri", "Ogni 14 giorni", "Candidati a questo programma"):
        assert phrase in body, phrase
    assert "01 gennaio 2026 – 31 dicembre 2026" in body.lower()  # Italian DATE_FORMAT
    assert "Apply to this program" not in body


def test_training_library_is_italian(client, library, resources):
    body = text(client.get(library.url, **IT))
    for phrase in ("Trova risorse", "4 risorse", "Tipo:", "Durata:", "Qualsiasi tipo", "Per: Mentori", "Più di 4 ore"):
        assert phrase in body, phrase
    assert "Find resources" not in body


def test_admin_objectives_listing_is_italian(client, roles):
    make_objective(roles["mentee"], roles["mentorship"], title="Guidare la pianificazione")
    client.force_login(roles["superuser"])
    body = text(client.get(reverse("wagtailsnippets_wagtail_mentoring_objective:list"), **IT))
    assert "Guidare la pianificazione" in body
    for phrase in ("Obiettivi", "Avanzamento", "Titolare", "Scadenza"):
        assert phrase in body, phrase
    assert ">Progress<" not in body


def test_api_error_body_is_italian(roles, other_program):
    cache.clear()
    other_program.enrolment_open = False
    other_program.save()
    client = APIClient()
    client.force_authenticate(roles["editor"])
    response = client.post(
        "/api/mentoring/v1/enrolments/",
        {"program": other_program.pk, "role": "mentee"},
        format="json",
        **IT,
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Le iscrizioni a questo programma sono chiuse."]
    anonymous = APIClient().get("/api/mentoring/v1/objectives/", **IT)
    assert anonymous.status_code == 401
    assert "credenziali" in anonymous.json()["detail"].lower()


def test_chart_text_alternative_uses_italian_dates_and_numbers():
    points = [
        Point(when=timezone.make_aware(dt.datetime(2026, 2, 3, 9, 0)), value=1.5),
        Point(when=timezone.make_aware(dt.datetime(2026, 2, 10, 9, 0)), value=2.25),
    ]
    with translation.override("it"):
        summary = str(trend_summary(points, start=0, target=4.5, unit="h"))
        table = str(trend_table(points, "Andamento", "h"))
    assert summary == "2 check-in dal 03/02/2026 al 10/02/2026: da 1,5 a 2,25 h (partenza 0, traguardo 4,5)."
    assert "<td>10/02/2026</td><td>2,25 h</td>" in table
    with translation.override("en"):
        assert "from 1.5 to 2.25 h" in str(trend_summary(points, start=0, target=4.5, unit="h"))


def test_average_confidence_is_localised():
    row = SimpleNamespace(confidence=7.25)
    with translation.override("it"):
        assert PairSummary.confidence_text.fget(row) in ("7,2", "7,3")
    with translation.override("en"):
        assert PairSummary.confidence_text.fget(row) in ("7.2", "7.3")
    assert PairSummary.confidence_text.fget(SimpleNamespace(confidence=None)) == ""
