"""CSV/XLSX formula injection: no exported cell may start with a character a spreadsheet evaluates."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import CheckInFactory, EnrolmentFactory, KeyResultFactory, ObjectiveFactory
from tests.factories.engagement import MentoringSessionFactory
from tests.factories.training import TrainingEventFactory, learning_path
from tests.security.conftest import FORMULA_PREFIXES
from wagtail_mentoring.exports import neutralise_formula

PAYLOADS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.fixture
def poisoned(admin_roles, program):
    """Every kind of exported text starting with a formula character, around the roles pairing."""
    roles = admin_roles
    for name in ("mentee", "mentor"):
        user = roles[name]
        user.first_name, user.last_name = PAYLOADS[0], PAYLOADS[3]
        user.save()
    objective = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"], title=PAYLOADS[1])
    key_result = KeyResultFactory(objective=objective, title=PAYLOADS[2])
    CheckInFactory(key_result=key_result, author=roles["mentee"], note=PAYLOADS[4])
    EnrolmentFactory(
        program=program,
        user=roles["mentee"],
        goals=PAYLOADS[0],
        skills_sought=PAYLOADS[1],
        skills_offered=PAYLOADS[2],
        interests=PAYLOADS[3],
        languages=PAYLOADS[5],
        availability=PAYLOADS[4],
    )
    MentoringSessionFactory(mentorship=roles["mentorship"], agenda=PAYLOADS[0])
    roles["mentorship"].end_reason = PAYLOADS[5]
    roles["mentorship"].save(update_fields=["end_reason"])
    TrainingEventFactory(title=PAYLOADS[0], location=PAYLOADS[3])
    learning_path([], title=PAYLOADS[1])
    return roles


def export_urls(program) -> list[str]:
    return [
        reverse("wagtailsnippets_wagtail_mentoring_objective:list"),
        reverse("wagtailsnippets_wagtail_mentoring_checkin:list"),
        reverse("wagtailsnippets_wagtail_mentoring_enrolment:list"),
        reverse("wagtailsnippets_wagtail_mentoring_mentorship:list"),
        reverse("wagtailsnippets_wagtail_mentoring_trainingevent:list"),
        reverse("wagtailsnippets_wagtail_mentoring_learningpath:list"),
        reverse("wagtail_mentoring_training_completion"),
        reverse("wagtail_mentoring_dashboards:program", args=[program.pk]),
        reverse("wagtail_mentoring_reports:program", args=[program.pk]),
    ]


def test_neutralise_formula():
    for payload in PAYLOADS:
        assert neutralise_formula(payload) == "'" + payload
    assert neutralise_formula("Plain text") == "Plain text"
    assert neutralise_formula(-3) == -3


@pytest.mark.django_db
def test_csv_exports_neutralise_formulas(poisoned, program, client_for):
    checked = 0
    for url in export_urls(program):
        rows = []
        for name in ("superuser", "coordinator"):
            response = client_for(poisoned[name]).get(url, {"export": "csv"})
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/csv"):
                content = b"".join(response.streaming_content) if response.streaming else response.content
                rows = list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))
                break
        assert len(rows) > 1, f"no CSV rows from {url}"
        cells = [cell for row in rows[1:] for cell in row]
        assert any(cell.startswith("'") for cell in cells), f"no poisoned value reached {url}: {rows}"
        bad = [cell for cell in cells if cell.startswith(FORMULA_PREFIXES)]
        assert bad == [], (url, bad)
        checked += 1
    assert checked == 9


@pytest.mark.django_db
def test_xlsx_exports_neutralise_formulas(poisoned, program, client_for):
    from openpyxl import load_workbook

    for url in export_urls(program):
        for name in ("superuser", "coordinator"):
            response = client_for(poisoned[name]).get(url, {"export": "xlsx"})
            if response.status_code == 200:
                break
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = load_workbook(io.BytesIO(content)).active
        values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
        bad = [v for v in values if isinstance(v, str) and v.startswith(FORMULA_PREFIXES)]
        assert bad == [], (url, bad)
