"""Exports keep hostile text inert: CSV and XLSX downloads hold the literal payload (not HTML-escaped, not
dropped), are attachments with a spreadsheet content type, and no XLSX cell is a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.security import test_exports, test_xss
from tests.security.conftest import XSS_PAYLOADS
from tests.security.test_exports import PAYLOADS as FORMULAS
from wagtail_mentoring import models

# Shared fixtures: the XSS payload world (test_xss.py) and the formula payload world (test_exports.py).
stored = test_xss.stored
poisoned = test_exports.poisoned

SCRIPT, IMG = XSS_PAYLOADS
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.fixture
def everything(stored, program):
    """The stored payloads plus an outcome and a completion, so every export has a payload row."""
    from tests.factories.training import (
        TrainingCompletionFactory,
        TrainingLibraryPageFactory,
        TrainingResourcePageFactory,
    )

    models.Outcome.objects.create(mentorship=stored["mentorship"], kind="promoted", note=SCRIPT)
    library = TrainingLibraryPageFactory(parent=program.get_parent().get_parent(), slug="xss-exports")
    resource = TrainingResourcePageFactory(parent=library, title=SCRIPT, slug="xss-export-resource")
    TrainingCompletionFactory(user=stored["mentee"], resource=resource)
    stored["path"].description = SCRIPT
    stored["path"].save()
    return stored


def export_urls(program) -> dict[str, str]:
    return {
        "objectives": reverse("wagtailsnippets_wagtail_mentoring_objective:list"),
        "check-ins": reverse("wagtailsnippets_wagtail_mentoring_checkin:list"),
        "enrolments": reverse("wagtailsnippets_wagtail_mentoring_enrolment:list"),
        "mentorships": reverse("wagtailsnippets_wagtail_mentoring_mentorship:list"),
        "outcomes": reverse("wagtailsnippets_wagtail_mentoring_outcome:list"),
        "events": reverse("wagtailsnippets_wagtail_mentoring_trainingevent:list"),
        "learning paths": reverse("wagtailsnippets_wagtail_mentoring_learningpath:list"),
        "training completion": reverse("wagtail_mentoring_training_completion"),
        "program health": reverse("wagtail_mentoring_dashboards:program", args=[program.pk]),
        "program report": reverse("wagtail_mentoring_reports:program", args=[program.pk]),
    }


def download(client, url: str, fmt: str):
    response = client.get(url, {"export": fmt})
    assert response.status_code == 200, (url, fmt, response.status_code)
    assert response["Content-Type"].startswith(CONTENT_TYPES[fmt]), (url, response["Content-Type"])
    assert "html" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment"), (url, response["Content-Disposition"])
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_cells(content: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert len(rows) > 1, "a header and at least one row"
    return [cell for row in rows[1:] for cell in row]


def xlsx_cells(content: bytes) -> list:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert cells, "at least one row"
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert formulas == [], formulas
    return [cell.value for cell in cells]


def assert_inert(values: list, where: str) -> None:
    texts = [v for v in values if isinstance(v, str)]
    assert any(SCRIPT in v or IMG in v for v in texts), f"payload dropped from {where}"
    escaped = [v for v in texts if "&lt;" in v or "&gt;" in v or "&quot;" in v or "&#x27;" in v]
    assert escaped == [], (where, "exports hold text, not HTML", escaped)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_keep_xss_payloads_as_literal_text(fmt, everything, program, client_for):
    for name, url in export_urls(program).items():
        who = "superuser" if name in ("events", "learning paths", "objectives", "check-ins") else "coordinator"
        content = download(client_for(everything[who]), url, fmt)
        values = csv_cells(content) if fmt == "csv" else xlsx_cells(content)
        assert_inert(values, f"{name} {fmt}")


@pytest.mark.django_db
def test_outcome_export_neutralises_formulas(poisoned, program, client_for):
    """The outcomes export (not in test_exports.py) quotes a note starting with a formula character."""
    models.Outcome.objects.create(mentorship=poisoned["mentorship"], kind="promoted", note=FORMULAS[0])
    client = client_for(poisoned["coordinator"])
    url = reverse("wagtailsnippets_wagtail_mentoring_outcome:list")
    cells = csv_cells(download(client, url, "csv"))
    assert "'" + FORMULAS[0] in cells, cells
    assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))] == []
    values = xlsx_cells(download(client, url, "xlsx"))
    assert "'" + FORMULAS[0] in values, values


@pytest.mark.django_db
def test_xlsx_exports_never_hold_formulas_with_formula_payloads(poisoned, program, client_for):
    """With formula-looking text everywhere, no XLSX export cell has data_type 'f'."""
    models.Outcome.objects.create(mentorship=poisoned["mentorship"], kind="promoted", note=FORMULAS[0])
    for name, url in export_urls(program).items():
        who = "superuser" if name in ("events", "learning paths", "objectives", "check-ins") else "coordinator"
        values = xlsx_cells(download(client_for(poisoned[who]), url, "xlsx"))
        assert any(isinstance(v, str) and v.startswith("'") for v in values), f"no formula payload in {name}"
