"""The coordinator's to-dos on the Wagtail admin home ("Waiting for you"): counts, links, scope, query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import EnrolmentFactory, GroupFactory, MentoringProgramPageFactory, MentorshipFactory, UserFactory
from tests.factories.core import active_mentorship
from tests.factories.engagement import FeedbackFactory
from wagtail_mentoring.dashboards.panels import CoordinatorTodosPanel
from wagtail_mentoring.dashboards.todos import coordinator_todos

pytestmark = pytest.mark.django_db


def _panel_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = {}
    return CoordinatorTodosPanel(request)


def _waiting(program, roles):
    """One of each kind of to-do in ``program`` (the ``roles`` pairing there is stalled: no activity all year)."""
    EnrolmentFactory(program=program, status="applied")
    EnrolmentFactory(program=program, status="accepted", role="mentee")  # unmatched
    EnrolmentFactory(program=program, user=roles["mentee"], status="accepted", role="mentee")  # paired: not unmatched
    MentorshipFactory(program=program, status="proposed")
    for rating in (1, 4, 5):  # three answers: enough for an anonymous program to report them
        FeedbackFactory(author=roles["mentee"], mentorship=roles["mentorship"], kind="session", rating=rating)


def test_counts_and_links(client, admin_access, program):
    roles = admin_access
    _waiting(program, roles)
    [todos] = coordinator_todos(roles["coordinator"])
    assert todos.program == program
    assert (todos.applications, todos.proposals, todos.unmatched, todos.stalled, todos.low_scores) == (1, 1, 1, 1, 1)

    client.force_login(roles["coordinator"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Waiting for you" in html and program.title in html
    enrolments = reverse("wagtailsnippets_wagtail_mentoring_enrolment:list")
    mentorships = reverse("wagtailsnippets_wagtail_mentoring_mentorship:list")
    assert f'href="{enrolments}?program={program.pk}&amp;status=applied"' in html
    assert f'href="{mentorships}?program={program.pk}&amp;status=proposed"' in html
    assert f'href="{reverse("wagtail_mentoring_matching_review", args=[program.pk])}"' in html
    assert f'href="{reverse("wagtail_mentoring_dashboards:program", args=[program.pk])}#stalled-pairs"' in html
    assert "application to review" in html and "stalled pair" in html and "low survey score" in html
    # The listing behind the link shows exactly the application waiting.
    listing = client.get(f"{enrolments}?program={program.pk}&status=applied")
    assert listing.status_code == 200 and len(listing.context["object_list"]) == 1


def test_a_coordinator_sees_only_their_programs(client, admin_access, program, other_program):
    roles = admin_access
    _waiting(other_program, {"mentee": roles["other_mentee"], "mentorship": roles["other_mentorship"]})
    panel = _panel_for(roles["coordinator"])
    assert [todos.program for todos, _links in panel.programs] == [program]
    client.force_login(roles["coordinator"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert program.title in html and other_program.title not in html


@pytest.mark.parametrize("name", ["employee", "mentor", "mentee"])
def test_hidden_for_users_who_coordinate_nothing(client, admin_access, program, name):
    _waiting(program, admin_access)
    user = admin_access[name]
    assert _panel_for(user).is_empty
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200 and "Waiting for you" not in response.content.decode()


def test_anonymous_program_counts_only_reportable_answers(admin_access, program, settings):
    roles = admin_access
    program.anonymous_feedback = True
    program.save()
    settings.WAGTAIL_MENTORING = {"ANONYMITY_MIN_RESPONSES": 3}
    FeedbackFactory(author=roles["mentee"], mentorship=roles["mentorship"], kind="pairing_check", rating=1)
    [todos] = coordinator_todos(roles["coordinator"])
    assert todos.low_scores == 0  # one answer of its kind this month: withheld, so not counted either
    for _ in range(2):
        FeedbackFactory(author=roles["mentor"], mentorship=roles["mentorship"], kind="pairing_check", rating=5)
    [todos] = coordinated = coordinator_todos(roles["coordinator"])
    assert todos.low_scores == 1 and len(coordinated) == 1


def _programs(program_index, n: int):
    """A coordinator of ``n`` programs, each with an applicant, an unmatched mentee and a stalled pair."""
    group = GroupFactory()
    coordinator = UserFactory()
    coordinator.groups.add(group)
    for i in range(n):
        program = MentoringProgramPageFactory(parent=program_index, coordinators=group, slug=f"p-{n}-{i}")
        EnrolmentFactory(program=program, status="applied")
        EnrolmentFactory(program=program, status="accepted")
        mentorship = active_mentorship(program=program)
        FeedbackFactory(author=mentorship.mentee, mentorship=mentorship, rating=1)
    return coordinator


def test_constant_queries_in_programs_and_pairs(program_index):
    counts = {}
    for n in (5, 50):
        coordinator = _programs(program_index, n)
        with CaptureQueriesContext(connection) as ctx:
            todos = coordinator_todos(coordinator, today=dt.date(2026, 12, 1))
        assert len(todos) == n and all(t.stalled == 1 and t.applications == 1 for t in todos)
        counts[n] = len(ctx.captured_queries)
    assert counts[5] == counts[50]
