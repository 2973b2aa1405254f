"""Property test: the access querysets equal a brute-force per-object check over random grant graphs."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import GroupFactory, MentoringProgramPageFactory, ObjectiveFactory, UserFactory
from wagtail_mentoring.access import grants
from wagtail_mentoring.access.querysets import visible_mentorships, visible_objectives
from wagtail_mentoring.models import Mentorship

N_USERS = 5
N_PROGRAMS = 2

pair = st.tuples(st.integers(0, N_USERS - 1), st.integers(0, N_USERS - 1), st.integers(0, N_PROGRAMS - 1))
graph = st.fixed_dictionaries(
    {
        # (mentor, mentee, program, status)
        "mentorships": st.lists(st.tuples(pair, st.sampled_from(["active", "paused", "ended"])), max_size=5),
        # user -> coordinated program (or None)
        "coordinators": st.lists(
            st.one_of(st.none(), st.integers(0, N_PROGRAMS - 1)), min_size=N_USERS, max_size=N_USERS
        ),
        # (owner, mentorship index or None)
        "objectives": st.lists(
            st.tuples(st.integers(0, N_USERS - 1), st.one_of(st.none(), st.integers(0, 4))), max_size=8
        ),
        "inactive": st.lists(st.booleans(), min_size=N_USERS, max_size=N_USERS),
    }
)


@pytest.fixture
def world(program_index):
    programs = [
        MentoringProgramPageFactory(parent=program_index, slug=f"p{i}", coordinators=GroupFactory(name=f"g{i}"))
        for i in range(N_PROGRAMS)
    ]
    users = [UserFactory(username=f"u{i}") for i in range(N_USERS)]
    return programs, users


def _expected_objectives(user, spec, objectives, mentorships, programs):
    """The roles table, written out the slow, obvious way."""
    if not user.is_active:
        return set()
    coordinated = {programs[p].pk for u, p in enumerate(spec["coordinators"]) if p is not None and u == user._idx}
    seen = set()
    for obj in objectives:
        ms = obj.mentorship
        if obj.owner_id == user.pk:
            seen.add(obj.pk)
        elif ms is not None and ms.status in ("active", "paused") and user.pk in (ms.mentor_id, ms.mentee_id):
            seen.add(obj.pk)
        elif ms is not None and ms.status == "ended" and user.pk == ms.mentee_id:
            seen.add(obj.pk)
        elif obj.program_id in coordinated:
            seen.add(obj.pk)
    return seen


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=graph)
@pytest.mark.django_db
def test_visible_objectives_match_brute_force(world, spec):
    with transaction.atomic():
        _check(world, spec)
        transaction.set_rollback(True)


def _check(world, spec):
    programs, users = world
    Mentorship.objects.all().delete()
    for i, user in enumerate(users):
        user._idx = i
        user.is_active = not spec["inactive"][i]
        user.save()
        user.groups.clear()
        if spec["coordinators"][i] is not None:
            user.groups.add(programs[spec["coordinators"][i]].coordinators)
    mentorships = []
    for (mentor, mentee, program), status in spec["mentorships"]:
        if mentor == mentee:
            continue
        if any(
            m.mentee_id == users[mentee].pk and m.program_id == programs[program].pk and m.status == "active"
            for m in mentorships
        ):
            continue
        ms = Mentorship.objects.create(
            program=programs[program],
            mentor=users[mentor],
            mentee=users[mentee],
            status="active",
            started_on=dt.date(2026, 1, 1),
        )
        grants.grant_pair_access(ms)
        if status == "paused":
            ms.status = "paused"
            ms.save()
            grants.suspend_pair_access(ms)
        elif status == "ended":
            ms.status = "ended"
            ms.save()
            grants.revoke_pair_access(ms)
        mentorships.append(ms)
    objectives = []
    for owner, ms_index in spec["objectives"]:
        ms = mentorships[ms_index] if ms_index is not None and ms_index < len(mentorships) else None
        objectives.append(ObjectiveFactory(owner=users[owner], mentorship=ms))
    for user in users:
        # Fresh instance: guardian caches permissions on the user object.
        fresh = type(user).objects.get(pk=user.pk)
        fresh._idx = user._idx
        expected = _expected_objectives(fresh, spec, objectives, mentorships, programs)
        assert set(visible_objectives(fresh).values_list("pk", flat=True)) == expected
        expected_ms = {
            m.pk
            for m in mentorships
            if fresh.is_active
            and (
                (m.status in ("active", "paused") and fresh.pk in (m.mentor_id, m.mentee_id))
                or (m.status == "ended" and fresh.pk == m.mentee_id)
                or (
                    spec["coordinators"][fresh._idx] is not None
                    and m.program_id == programs[spec["coordinators"][fresh._idx]].pk
                )
            )
        }
        assert set(visible_mentorships(fresh).values_list("pk", flat=True)) == expected_ms
