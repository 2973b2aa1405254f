"""The API lists' fast paths (issue 14) give the same rows and fields as the paths they replace.

- the access querysets: grants read in one query for every permission type, filters on granted ids
  instead of subqueries, check-ins and sessions joined to their objective or pairing;
- the filter backend skipping a filter set that no query parameter names;
- an objective's progress computed once per row for its progress, grade and health;
- a session's hidden fields (and the key results discussed) not computed for readers who do not see them.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.test import APIRequestFactory, force_authenticate

from tests.api.conftest import client_for
from tests.factories import KeyResultFactory, ObjectiveFactory, OKRCycleFactory
from wagtail_mentoring import models
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.access.cache import close_request_cache, open_request_cache
from wagtail_mentoring.access.roles import COORDINATE_PROGRAM, VIEW_MENTORSHIP
from wagtail_mentoring.api import filters, serializers, views

pytestmark = pytest.mark.django_db


def _people(roles) -> list:
    return [u for u in roles.values() if isinstance(u, get_user_model())] + [AnonymousUser()]


def _granted(user, model, codename) -> set[int]:
    """Guardian's answer: the objects on which ``user`` holds ``codename`` directly or through a group."""
    from guardian.shortcuts import get_objects_for_user

    from wagtail_mentoring.access.roles import perm

    if not access.is_active_user(user):
        return set()
    found = get_objects_for_user(user, perm(codename), klass=model, accept_global_perms=False, with_superuser=False)
    return set(found.values_list("pk", flat=True))


@pytest.mark.parametrize("scoped", [False, True], ids=["outside a request", "in a request"])
def test_access_querysets_give_the_rules_rows(world, scoped):
    """Objectives, mentorships, key results, check-ins and sessions: the same rows as the access rules spelled out
    with guardian's answers (own; of a pairing the user may view; of a program they coordinate)."""
    if scoped:
        open_request_cache()
    try:
        for user in _people(world.roles):
            active = access.is_active_user(user)
            pairings = _granted(user, models.Mentorship, VIEW_MENTORSHIP)
            programs = (
                set(models.MentoringProgramPage.objects.values_list("pk", flat=True))
                if active and user.is_superuser
                else _granted(user, models.MentoringProgramPage, COORDINATE_PROGRAM)
            )
            objectives = {
                o.pk
                for o in models.Objective.objects.all()
                if active and (o.owner_id == user.pk or o.mentorship_id in pairings or o.program_id in programs)
            }
            mentorships = {
                m.pk for m in models.Mentorship.objects.all() if m.pk in pairings or m.program_id in programs
            }
            name = getattr(user, "username", "anonymous")
            assert set(access.visible_objectives(user).values_list("pk", flat=True)) == objectives, name
            assert set(access.visible_mentorships(user).values_list("pk", flat=True)) == mentorships, name
            key_results = models.KeyResult.objects.filter(objective__in=objectives)
            assert set(access.visible_key_results(user)) == set(key_results), name
            assert access.visible_key_results(user).count() == key_results.count(), name
            check_ins = models.CheckIn.objects.filter(key_result__objective__in=objectives)
            assert set(access.visible_check_ins(user)) == set(check_ins), name
            sessions = models.MentoringSession.objects.filter(mentorship__in=mentorships)
            assert set(access.visible_sessions(user)) == set(sessions), name
            # every row once: the joins are on foreign keys, so no row is repeated
            assert access.visible_check_ins(user).count() == check_ins.count(), name
            assert access.visible_sessions(user).count() == sessions.count(), name
    finally:
        if scoped:
            close_request_cache()


def test_a_request_reads_every_type_of_grant_in_one_query(world, django_assert_num_queries):
    """Mentorship and program grants come from one query, the first time a request asks for either."""
    coordinator = world.roles["coordinator"]
    open_request_cache()
    try:
        with django_assert_num_queries(1):
            assert access._mentorship_ids(coordinator, VIEW_MENTORSHIP) == []
            assert access._coordinated_program_ids(coordinator) == [world.program.pk]
    finally:
        close_request_cache()


def test_granted_ids_refuse_models_they_do_not_read(roles):
    with pytest.raises(ValueError):
        access._granted_ids(roles["mentee"], (models.Objective, models.KeyResult), VIEW_MENTORSHIP)


#: The list viewsets with a filter set, and a valid value of one of its filters.
LIST_FILTERS = {
    views.ObjectiveViewSet: ("status", lambda w: "active"),
    views.KeyResultViewSet: ("kind", lambda w: "number"),
    views.CheckInViewSet: ("key_result", lambda w: str(w.kr_pair.pk)),
    views.InitiativeViewSet: ("done", lambda w: "false"),
    views.MentorshipViewSet: ("status", lambda w: "active"),
    views.SessionViewSet: ("mentorship", lambda w: str(w.roles["mentorship"].pk)),
    views.EnrolmentViewSet: ("status", lambda w: "accepted"),
    views.FeedbackViewSet: ("program", lambda w: str(w.program.pk)),
}


def _list_view(viewset, user, params):
    request = APIRequestFactory().get("/", params)
    force_authenticate(request, user=user)
    view = viewset(action_map={"get": "list"}, format_kwarg=None, args=(), kwargs={})
    view.request = view.initialize_request(request)
    return view


@pytest.mark.parametrize("viewset", LIST_FILTERS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("role", ["mentee", "coordinator"])
def test_filter_backend_skips_only_filter_sets_that_change_nothing(world, viewset, role):
    """Without any of its parameters the filter set is skipped and the rows are django-filter's own;
    with one it runs as before."""
    name, value = LIST_FILTERS[viewset]
    for params, skipped in (({"page": "1", "page_size": "5"}, True), ({name: value(world)}, False)):
        view = _list_view(viewset, world.roles[role], params)
        queryset = view.get_queryset()
        fast = filters.MentoringFilterBackend().filter_queryset(view.request, queryset, view)
        full = DjangoFilterBackend().filter_queryset(view.request, queryset, view)
        assert (fast is queryset) is skipped, params
        assert list(fast.order_by("pk")) == list(full.order_by("pk")), params


def test_a_parameter_belongs_to_a_filter_by_its_name_or_a_suffix():
    assert filters.names_any_filter(filters.CheckInFilter, {"created_after": "2026-01-01"})
    assert filters.names_any_filter(filters.CheckInFilter, {"objective": "1", "page": "2"})
    assert filters.names_any_filter(filters.InitiativeFilter, {"objective_min": "1"})
    assert not filters.names_any_filter(filters.CheckInFilter, {"page": "2", "page_size": "5", "ordering": "value"})


def test_objective_rows_show_the_models_progress_grade_and_health(world):
    """Progress, grade and health of every row are the model's (``Objective.progress``, ``grade``,
    ``health_on(today)``), whatever the key results, weights and dates (a cycle's when the objective has none)."""
    mentee, today = world.roles["mentee"], dt.date.today()
    cycle = OKRCycleFactory(start_date=today - dt.timedelta(days=40), end_date=today + dt.timedelta(days=20))
    ObjectiveFactory(owner=mentee, title="No key results")
    undated = ObjectiveFactory(owner=mentee, cycle=cycle, start_date=None, due_date=None, title="Cycle dates")
    KeyResultFactory(objective=undated, current_value=4, weight=3)
    KeyResultFactory(objective=undated, kind="boolean", start_value=0, target_value=1, current_value=1, weight=1)
    late = ObjectiveFactory(owner=mentee, start_date=today - dt.timedelta(days=90), due_date=today, title="Late")
    KeyResultFactory(objective=late, current_value=2)
    KeyResultFactory(objective=late, start_value=100, target_value=50, current_value=80)

    body = client_for(world.roles, "mentee").get("/api/mentoring/v1/objectives/", {"page_size": 100}).json()
    assert len(body["results"]) >= 4
    for row in body["results"]:
        objective = models.Objective.objects.get(pk=row["id"])
        assert row["progress"] == round(objective.progress, 4), row["title"]
        value, band = objective.grade
        assert row["grade"] == {"value": value, "band": band}, row["title"]
        assert row["health"] == objective.health_on(today), row["title"]


@pytest.mark.parametrize("role", ["mentee", "coordinator"])
def test_session_rows_are_the_readable_fields_of_the_full_representation(world, role):
    """Each session row is the full representation cut to ``access.readable_session_fields``, as before."""
    client = client_for(world.roles, role)
    rows = client.get("/api/mentoring/v1/sessions/", {"page_size": 100}).json()["results"]
    assert rows
    user = world.roles[role]
    readers = set(access.notes_mentorships(user).values_list("pk", flat=True))
    assert access.notes_mentorship_ids(user) == readers
    for row in rows:
        session = models.MentoringSession.objects.get(pk=row["id"])
        serializer = serializers.SessionSerializer(context={"request": None, "notes_mentorship_ids": readers})
        full = serializers.serializers.ModelSerializer.to_representation(serializer, session)
        readable = access.readable_session_fields(session.mentorship_id in readers)
        expected = {name: value for name, value in full.items() if name in readable}
        assert row == expected


def test_a_coordinators_session_list_reads_no_key_results_discussed(world):
    """The key results discussed are the pair's words: never read for a coordinator's list."""
    client = client_for(world.roles, "coordinator")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/mentoring/v1/sessions/")
    assert response.status_code == 200 and response.json()["results"]
    through = models.MentoringSession.key_results_discussed.through._meta.db_table
    assert not [q["sql"] for q in queries.captured_queries if through in q["sql"]]


def test_a_person_is_written_as_the_serializers_fields_would(roles):
    """``PersonSerializer`` writes ``{"id", "name"}`` at once: the same as its fields' own loop."""
    from tests.factories import UserFactory

    people = [roles["mentee"], UserFactory(first_name="Ada", last_name="Lovelace"), UserFactory(first_name=" ")]
    for person in people:
        serializer = serializers.PersonSerializer()
        assert serializer.to_representation(person) == serializers.serializers.Serializer.to_representation(
            serializer, person
        )
