"""Fixtures of the training tests: a library with resources of several types and audiences."""

import pytest
from wagtail.models import PageViewRestriction

from tests.factories.training import TrainingLibraryPageFactory, TrainingResourcePageFactory


@pytest.fixture
def library(home_page):
    return TrainingLibraryPageFactory(parent=home_page)


@pytest.fixture
def resources(library):
    """Four public resources with distinct types, audiences, lengths and topics."""
    listening = TrainingResourcePageFactory(
        parent=library,
        title="Active listening for mentors",
        slug="active-listening",
        resource_type="article",
        audience="mentors",
        duration_minutes=10,
        summary="Listen to understand, not to reply.",
    )
    listening.topics.add("listening", "feedback")
    listening.save_revision().publish()
    goals = TrainingResourcePageFactory(
        parent=library,
        title="Setting goals that stick",
        slug="goals",
        resource_type="video",
        audience="mentees",
        duration_minutes=45,
        summary="Write objectives and key results with your mentor.",
    )
    goals.topics.add("goals")
    goals.save_revision().publish()
    book = TrainingResourcePageFactory(
        parent=library,
        title="The coaching habit",
        slug="coaching-habit",
        resource_type="book",
        audience="everyone",
        duration_minutes=300,
        summary="Seven questions for better conversations.",
    )
    workshop = TrainingResourcePageFactory(
        parent=library,
        title="Running a program kickoff",
        slug="kickoff",
        resource_type="workshop",
        audience="coordinators",
        duration_minutes=120,
        summary="Plan the first month of a mentoring program.",
    )
    return {"listening": listening, "goals": goals, "book": book, "workshop": workshop}


@pytest.fixture
def private_resource(library):
    """A resource visible only to members of the coordinators group of ``program``."""

    def make(groups=None, restriction_type=PageViewRestriction.GROUPS, **kwargs):
        page = TrainingResourcePageFactory(
            parent=library, title=kwargs.pop("title", "Confidential coordinator handbook"), **kwargs
        )
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=restriction_type)
        if groups:
            restriction.groups.set(groups)
        return page

    return make
