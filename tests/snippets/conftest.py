"""Fixtures for the OKR tests: an admin client per role and objectives around the shared roles."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories.okr import objective_with_key_results


@pytest.fixture
def admin_access(roles):
    """Give every role user access to the Wagtail admin (the roles fixture creates plain users)."""
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("mentee", "mentor", "other_mentee", "other_mentor", "coordinator", "other_coordinator", "employee"):
        roles[name].user_permissions.add(perm)
    return roles


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def okrs(admin_access):
    """One pairing objective of the mentee, one personal objective of the other mentee."""
    roles = admin_access
    mine = objective_with_key_results(
        roles["mentee"], n=2, title="Present at the all-hands", mentorship=roles["mentorship"]
    )
    theirs = objective_with_key_results(
        roles["other_mentee"], n=1, title="Learn Rust", mentorship=roles["other_mentorship"]
    )
    return {"mine": mine, "theirs": theirs, **roles}
