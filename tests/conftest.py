"""Shared fixtures: a site tree with a home page, and users for each role of DESIGN.md's table."""

import pytest
from wagtail.models import Page, Site

from tests.factories import (
    GroupFactory,
    MentoringProgramIndexPageFactory,
    MentoringProgramPageFactory,
    UserFactory,
    active_mentorship,
)
from tests.testapp.models import TestHomePage


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


@pytest.fixture
def home_page(db):
    root = Page.get_first_root_node()
    home = TestHomePage(title="Intranet", slug="intranet")
    root.add_child(instance=home)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    return home


@pytest.fixture
def program_index(home_page):
    return MentoringProgramIndexPageFactory(parent=home_page, title="Mentoring programs", slug="programs")


@pytest.fixture
def program(program_index):
    return MentoringProgramPageFactory(
        parent=program_index, title="Leadership mentoring", slug="leadership", coordinators=GroupFactory(name="coord-a")
    )


@pytest.fixture
def other_program(program_index):
    return MentoringProgramPageFactory(
        parent=program_index,
        title="Engineering mentoring",
        slug="engineering",
        coordinators=GroupFactory(name="coord-b"),
    )


@pytest.fixture
def roles(program, other_program):
    """A user per row of DESIGN.md's roles table, around one active pairing in ``program``.

    Keys: mentee, mentor, other_mentee, other_mentor, coordinator, other_coordinator, editor,
    employee, inactive, superuser; plus ``mentorship`` and ``other_mentorship``.
    """
    users = {
        name: UserFactory(username=name)
        for name in (
            "mentee",
            "mentor",
            "other_mentee",
            "other_mentor",
            "coordinator",
            "other_coordinator",
            "editor",
            "employee",
        )
    }
    users["inactive"] = UserFactory(username="inactive", is_active=False)
    users["superuser"] = UserFactory(username="superuser", is_superuser=True, is_staff=True)
    users["coordinator"].groups.add(program.coordinators)
    users["other_coordinator"].groups.add(other_program.coordinators)
    users["mentorship"] = active_mentorship(program=program, mentor=users["mentor"], mentee=users["mentee"])
    users["other_mentorship"] = active_mentorship(
        program=other_program, mentor=users["other_mentor"], mentee=users["other_mentee"]
    )
    return users
