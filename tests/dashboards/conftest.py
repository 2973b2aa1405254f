"""Fixtures for the dashboard tests: the dashboard page and OKRs for the ``roles`` pairing."""

import datetime as dt

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from tests.factories import CheckInFactory, InitiativeFactory, KeyResultFactory, ObjectiveFactory
from wagtail_mentoring.models import CheckIn, KeyResult


def make_objective(owner, mentorship=None, n_key_results=1, n_check_ins=1, title=None, **kwargs):
    today = timezone.localdate()
    fields = {
        "owner": owner,
        "mentorship": mentorship,
        "start_date": today - dt.timedelta(days=30),
        "due_date": today + dt.timedelta(days=60),
        **kwargs,
    }
    if title:
        fields["title"] = title
    objective = ObjectiveFactory(**fields)
    # Key results and check-ins in two INSERTs instead of one per row (the query-count tests build
    # hundreds); ``post_save`` is sent for each row as ``save()`` would (the check-in's achievements).
    key_results = _bulk_create(
        KeyResult,
        [
            KeyResultFactory.build(objective=objective, title=f"{objective.title} KR{k}", current_value=2)
            for k in range(n_key_results)
        ],
    )
    _bulk_create(
        CheckIn,
        [
            CheckInFactory.build(key_result=kr, author=owner, value=c + 1)
            for kr in key_results
            for c in range(n_check_ins)
        ],
    )
    InitiativeFactory(objective=objective, title=f"{objective.title} step")
    return objective


def _bulk_create(model, rows: list) -> list:
    """``model.objects.bulk_create(rows)``, then the ``post_save`` (created) that saving each row sends."""
    created = model.objects.bulk_create(rows)
    for row in created:
        post_save.send(sender=model, instance=row, created=True, update_fields=None, raw=False, using="default")
    return created


@pytest.fixture
def okrs(roles):
    """One pairing objective of the mentee, one of the other pair, and a private one of the employee."""
    return {
        "mentee": make_objective(roles["mentee"], roles["mentorship"], n_key_results=2, title="Present to leadership"),
        "other_mentee": make_objective(roles["other_mentee"], roles["other_mentorship"], title="Learn Rust"),
        "employee": make_objective(roles["employee"], None, title="Employee private goal"),
    }


@pytest.fixture
def admin_access(roles, program, other_program):
    """Coordinators, mentor and employee may use the Wagtail admin (so 404s come from our views)."""
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "other_coordinator", "mentor", "employee", "mentee"):
        roles[name].user_permissions.add(perm)
    return roles
