"""Every CSV/XLSX export keeps hostile text inert: a download (attachment, spreadsheet content type) that
holds the literal text, never HTML-escaped or dropped, never a cell a spreadsheet evaluates as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import CheckInFactory, EnrolmentFactory, KeyResultFactory, ObjectiveFactory
from tests.factories.engagement import MentoringSessionFactory
from tests.factories.training import (
    TrainingCompletionFactory,
    TrainingEventFactory,
    TrainingLibraryPageFactory,
    TrainingResourcePageFactory,
    learning_path,
)
from tests.security import test_xss
from tests.security.conftest import FORMULA_PREFIXES, XSS_PAYLOADS
from wagtail_mentoring import models
from wagtail_mentoring.exports import neutralise_formula

FORMULAS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
SCRIPT, IMG = XSS_PAYLOADS
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: Every export: its name, the URL name (and whether it takes the program), and who downloads it.
EXPORTS = {
    "objectives": ("wagtailsnippets_wagtail_mentoring_objective:list", False, "superuser"),
    "check-ins": ("wagtailsnippets_wagtail_mentoring_checkin:list", False, "superuser"),
    "enrolments": ("wagtailsnippets_wagtail_mentoring_enrolment:list", False, "coordinator"),
    "mentorships": ("wagtailsnippets_wagtail_mentoring_mentorship:list", False, "coordinator"),
    "outcomes": ("wagtailsnippets_wagtail_mentoring_outcome:list", False, "coordinator"),
    "events": ("wagtailsnippets_wagtail_mentoring_trainingevent:list", False, "superuser"),
    "learning paths": ("wagtailsnippets_wagtail_mentoring_learningpath:list", False, "superuser"),
    "training completion": ("wagtail_mentoring_training_completion", False, "coordinator"),
    "program health": ("wagtail_mentoring_dashboards:program", True, "coordinator"),
    "program report": ("wagtail_mentoring_reports:program", True, "coordinator"),
}

# The XSS payload world of test_xss.py, shared.
stored = test_xss.stored


def export_url(name: str, program) -> str:
    url_name, takes_program, _who = EXPORTS[name]
    return reverse(url_name, args=[program.pk] if takes_program else [])


def _training_completion(user, parent, title: str) -> None:
    library = TrainingLibraryPageFactory(parent=parent, slug="export-library")
    resource = TrainingResourcePageFactory(parent=library, title=title, slug="export-resource")
    TrainingCompletionFactory(user=user, resource=resource)


@pytest.fixture
def poisoned(admin_roles, program):
    """Text starting with a formula character in every kind of exported field, around the roles pairing."""
    roles = admin_roles
    for name in ("mentee", "mentor"):
        user = roles[name]
        user.first_name, user.last_name = FORMULAS[0], FORMULAS[3]
        user.save()
    objective = ObjectiveFactory(owner=roles["mentee"], mentorship=roles["mentorship"], title=FORMULAS[1])
    key_result = KeyResultFactory(objective=objective, title=FORMULAS[2])
    CheckInFactory(key_result=key_result, author=roles["mentee"], note=FORMULAS[4])
    EnrolmentFactory(
        program=program,
        user=roles["mentee"],
        goals=FORMULAS[0],
        skills_sought=FORMULAS[1],
        skills_offered=FORMULAS[2],
        interests=FORMULAS[3],
        languages=FORMULAS[5],
        availability=FORMULAS[4],
    )
    MentoringSessionFactory(mentorship=roles["mentorship"], agenda=FORMULAS[0])
    roles["mentorship"].end_reason = FORMULAS[5]
    roles["mentorship"].save(update_fields=["end_reason"])
    models.Outcome.objects.create(mentorship=roles["mentorship"], kind="promoted", note=FORMULAS[0])
    TrainingEventFactory(title=FORMULAS[0], location=FORMULAS[3])
    learning_path([], title=FORMULAS[1])
    _training_completion(roles["mentee"], program.get_parent().get_parent(), FORMULAS[3])
    return roles


@pytest.fixture
def everything(stored, program):
    """The stored XSS payloads plus an outcome and a completion, so every export has a payload row."""
    models.Outcome.objects.create(mentorship=stored["mentorship"], kind="promoted", note=SCRIPT)
    _training_completion(stored["mentee"], program.get_parent().get_parent(), SCRIPT)
    stored["path"].description = SCRIPT
    stored["path"].save()
    return stored


def download(client, url: str, fmt: str) -> bytes:
    """The export's bytes, after checking it is a spreadsheet attachment and not a page."""
    response = client.get(url, {"export": fmt})
    assert response.status_code == 200, (url, fmt, response.status_code)
    assert response["Content-Type"].startswith(CONTENT_TYPES[fmt]), (url, response["Content-Type"])
    assert "html" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment"), (url, response["Content-Disposition"])
    return b"".join(response.streaming_content) if response.streaming else response.content


def cells_of(content: bytes, fmt: str) -> list:
    """The values below the header row; an XLSX export must not hold a single formula cell."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
        assert len(rows) > 1, "a header and at least one row"
        return [cell for row in rows[1:] for cell in row]
    from openpyxl import load_workbook

    cells = [cell for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2) for cell in row]
    assert cells, "at least one row"
    assert [cell.value for cell in cells if cell.data_type == "f"] == []
    return [cell.value for cell in cells]


def test_neutralise_formula():
    for payload in FORMULAS:
        assert neutralise_formula(payload) == "'" + payload
    assert neutralise_formula("Plain text") == "Plain text"
    assert neutralise_formula(-3) == -3


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_formulas(fmt, poisoned, program, client_for):
    for name, (_url, _program, who) in EXPORTS.items():
        values = cells_of(download(client_for(poisoned[who]), export_url(name, program), fmt), fmt)
        texts = [v for v in values if isinstance(v, str)]
        assert any(v.startswith("'") for v in texts), f"no formula payload reached {name} {fmt}: {texts}"
        assert [v for v in texts if v.startswith(FORMULA_PREFIXES)] == [], (name, fmt)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_keep_xss_payloads_as_literal_text(fmt, everything, program, client_for):
    for name, (_url, _program, who) in EXPORTS.items():
        values = cells_of(download(client_for(everything[who]), export_url(name, program), fmt), fmt)
        texts = [v for v in values if isinstance(v, str)]
        assert any(SCRIPT in v or IMG in v for v in texts), f"payload dropped from {name} {fmt}"
        escaped = [v for v in texts if "&lt;" in v or "&gt;" in v or "&quot;" in v or "&#x27;" in v]
        assert escaped == [], (name, fmt, "exports hold text, not HTML", escaped)
