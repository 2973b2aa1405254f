"""Fixtures for the engagement tests."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from tests.factories import KeyResultFactory, ObjectiveFactory
from tests.factories.engagement import at  # noqa: F401

SECRET = "TOP-SECRET-NOTE"


@pytest.fixture
def admin_coordinator(roles):
    """Coordinators may open the Wagtail admin (as the demo gives them)."""
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "other_coordinator", "mentee", "mentor", "employee", "editor"):
        roles[name].user_permissions.add(perm)
    return roles


@pytest.fixture
def pairing_kr(roles):
    """An active objective of the pairing with one key result 0 -> 10."""
    objective = ObjectiveFactory(
        owner=roles["mentee"],
        mentorship=roles["mentorship"],
        start_date=dt.date(2026, 1, 15),
        due_date=dt.date(2026, 6, 30),
    )
    return KeyResultFactory(objective=objective, start_value=0, target_value=10, current_value=0)
