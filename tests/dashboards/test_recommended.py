"""The dashboard's recommended training: resources whose topics match the objectives' categories."""

import pytest
from django.test import RequestFactory

from tests.dashboards.conftest import make_objective
from tests.factories.training import TrainingLibraryPageFactory, TrainingResourcePageFactory
from wagtail_mentoring.dashboards.views import recommended_training

pytestmark = pytest.mark.django_db


def _resource(library, title, topics, audience="everyone", live=True):
    page = TrainingResourcePageFactory(parent=library, title=title, audience=audience, live=live)
    page.topics.add(*topics)
    page.save()
    return page


def test_topics_match_categories_by_value_slug_or_label_ignoring_case(roles, home_page):
    library = TrainingLibraryPageFactory(parent=home_page)
    _resource(library, "Lead by example", ["LEADERSHIP"])
    _resource(library, "Plan your career", ["Career planning"])
    _resource(library, "Career ladders", ["career-planning"])
    _resource(library, "Mentors only", ["leadership"], audience="mentors")
    _resource(library, "Networking 101", ["networking"])
    _resource(library, "Unpublished", ["leadership"], live=False)
    objectives = [
        make_objective(roles["mentee"], category="leadership", title="Lead"),
        make_objective(roles["mentee"], category="career_planning", title="Grow"),
    ]
    request = RequestFactory().get("/mentoring/")
    request.user = roles["mentee"]
    titles = [page.title for page in recommended_training(request, objectives, "mentees")]
    assert titles == ["Career ladders", "Lead by example", "Plan your career"]
    mentor_titles = [page.title for page in recommended_training(request, objectives, "mentors")]
    assert mentor_titles == ["Career ladders", "Lead by example", "Mentors only", "Plan your career"]
    assert recommended_training(request, [], "mentees") == []
    assert [p.title for p in recommended_training(request, objectives, "mentees", limit=1)] == ["Career ladders"]
