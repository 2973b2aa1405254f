"""Crafted admin form data: the objective admin form refuses owners, pairings and programs a role may not set."""

from __future__ import annotations

import pytest

from wagtail_mentoring.snippets.models import Objective


def objective_form_class():
    return Objective.snippet_viewset.get_edit_handler().get_form_class()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["owner", "mentorship", "program"])
def test_objective_admin_form_refuses_foreign_values(field, foreign, admin_roles):
    mentee = admin_roles["mentee"]
    values = {
        "owner": admin_roles["other_mentee"].pk,
        "mentorship": foreign["mentorship"].pk,
        "program": foreign["program"].pk,
    }
    data = {
        "title": "Crafted",
        "description": "x",
        "category": "confidence",
        "level": "mentee",
        "status": "active",
        "owner": mentee.pk,
        "start_date": "2026-01-01",
        "due_date": "2026-03-31",
        field: values[field],
    }
    for prefix in ("key_results", "initiatives"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0})
    form = objective_form_class()(data, instance=Objective(), for_user=mentee)
    assert not form.is_valid()
    assert field in form.errors
    # Control: the same data with the mentee's own values is accepted for that field.
    data[field] = {"owner": mentee.pk, "mentorship": admin_roles["mentorship"].pk, "program": ""}[field]
    form = objective_form_class()(data, instance=Objective(), for_user=mentee)
    form.is_valid()
    assert field not in form.errors
