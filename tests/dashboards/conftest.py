"""Fixtures for the dashboard tests: the dashboard page and OKRs for the ``roles`` pairing."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import CheckInFactory, InitiativeFactory, KeyResultFactory, ObjectiveFactory
from wagtail_mentoring.models import MentoringDashboardPage


@pytest.fixture
def dashboard(home_page):
    page = MentoringDashboardPage(title="My mentoring", slug="mentoring")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


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
    for k in range(n_key_results):
        kr = KeyResultFactory(objective=objective, title=f"{objective.title} KR{k}", current_value=2)
        for c in range(n_check_ins):
            CheckInFactory(key_result=kr, author=owner, value=c + 1)
    InitiativeFactory(objective=objective, title=f"{objective.title} step")
    return objective


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
