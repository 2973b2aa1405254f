"""Fixtures for the integration tests: the dashboard page and admin access for coordinators."""

import pytest
from django.contrib.auth.models import Permission


@pytest.fixture
def admin_roles(roles):
    """Everyone but the employee may open the Wagtail admin (so 404s come from our views)."""
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "other_coordinator", "mentor", "mentee", "other_mentor", "other_mentee", "editor"):
        roles[name].user_permissions.add(perm)
    return roles
