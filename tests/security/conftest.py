"""Fixtures for the security suite: admin access for every role and a "foreign" world per object kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.conftest import WORLD
from tests.factories import (
    CheckInFactory,
    EnrolmentFactory,
    InitiativeFactory,
    KeyResultFactory,
    MentorshipFactory,
    ObjectiveFactory,
    RealignmentFactory,
    UserFactory,
)
from tests.factories.engagement import FeedbackFactory, MentoringSessionFactory
from tests.factories.training import (
    TrainingCompletionFactory,
    TrainingLibraryPageFactory,
    TrainingRegistrationFactory,
    TrainingResourcePageFactory,
)
from wagtail_mentoring import models
from wagtail_mentoring.access.grants import grant_pair_access

XSS_PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def grant_admin_access(roles: dict) -> dict:
    """Every role (but the inactive one) may enter the Wagtail admin, so any 404 comes from our views."""
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("mentee", "mentor", "other_mentee", "other_mentor", "coordinator", "other_coordinator", "employee"):
        roles[name].user_permissions.add(perm)
    roles["editor"].user_permissions.add(perm)
    return roles


@pytest.fixture
def admin_roles(roles):
    """The roles, each (but the inactive one) with access to the Wagtail admin."""
    return grant_admin_access(roles)


@pytest.fixture
def foreign(admin_roles, other_program):
    """One object of every private kind belonging to the other pairing (other_program), keyed by kind.

    Built once for consecutive tests that use it (a layer of the shared world, ``tests/conftest.py``);
    each test gets fresh instances and its writes are rolled back.
    """
    if WORLD.layer_name == "foreign":
        return WORLD.layer_objects()
    return build_foreign(admin_roles, other_program)


def build_foreign(roles: dict, other_program) -> dict:
    """Create one object of every private kind in the other pairing."""
    ms = roles["other_mentorship"]
    mentee = roles["other_mentee"]
    objective = ObjectiveFactory(owner=mentee, mentorship=ms, program=other_program, title="FOREIGN-OBJECTIVE")
    objective.save_revision(user=mentee)
    objective.title = "FOREIGN-OBJECTIVE"
    objective.save_revision(user=mentee)
    key_result = KeyResultFactory(objective=objective, title="FOREIGN-KR")
    check_in = CheckInFactory(key_result=key_result, author=mentee, note="FOREIGN-NOTE")
    realignment = RealignmentFactory(key_result=key_result, what_happened="FOREIGN-REFLECTION")
    initiative = InitiativeFactory(objective=objective, title="FOREIGN-INITIATIVE")
    enrolment = EnrolmentFactory(program=other_program, user=mentee, role="mentee", goals="FOREIGN-GOALS")
    session = MentoringSessionFactory(mentorship=ms, date=timezone.now() - dt.timedelta(days=1))
    feedback = FeedbackFactory(mentorship=ms, program=other_program, session=session, author=mentee, comment="FC")
    kudos = models.Kudos.objects.create(
        mentorship=ms, sender=roles["other_mentor"], recipient=mentee, message="FOREIGN-KUDOS"
    )
    celebration = models.Celebration.objects.create(user=mentee, kudos=kudos)
    registration = TrainingRegistrationFactory(user=mentee)
    library = TrainingLibraryPageFactory(parent=other_program.get_parent().get_parent(), slug="sec-training")
    completion = TrainingCompletionFactory(user=mentee, resource=TrainingResourcePageFactory(parent=library))
    ended = MentorshipFactory(
        program=other_program, mentor=roles["other_mentor"], mentee=UserFactory(username="alumna"), status="ended"
    )
    grant_pair_access(ended)
    outcome = models.Outcome.objects.create(mentorship=ms, kind="promoted")
    slot = models.AvailabilitySlot.objects.create(
        mentor=roles["other_mentor"],
        start=timezone.now() + dt.timedelta(days=3),
        end=timezone.now() + dt.timedelta(days=3, hours=1),
        note="FOREIGN-SLOT",
    )
    webhook = models.WebhookEndpoint.objects.create(
        program=other_program, name="FOREIGN-WEBHOOK", url="https://chat.example.com/h", secret="FOREIGN-SECRET"
    )
    delivery = models.WebhookDelivery.objects.create(
        endpoint=webhook, delivery_id="foreign", kind="check_in_due", title="FOREIGN-DELIVERY", attempt=1
    )
    request = models.MentorshipRequest.objects.create(
        program=other_program,
        mentee=mentee,
        mentor=roles["other_mentor"],
        expires_on=timezone.localdate() + dt.timedelta(days=3),
    )
    group = models.MentoringGroup.objects.create(
        program=other_program, name="FOREIGN-GROUP", mentor=roles["other_mentor"], focus="FOREIGN-FOCUS"
    )
    models.GroupMember.objects.create(group=group, user=mentee)
    group_session = models.GroupSession.objects.create(group=group, date=timezone.now(), notes="FOREIGN-GROUP-NOTES")
    skill = models.ProgramSkill.objects.create(program=other_program, name="FOREIGN-SKILL")
    skill_rating = models.SkillRating.objects.create(skill=skill, subject=mentee, rater=mentee, moment="start", level=2)
    return {
        # A person (the other pairing's mentee): what the outcome person chooser resolves (superusers only).
        "person": mentee,
        "mentoringgroup": group,
        "groupsession": group_session,
        "skillrating": skill_rating,
        "programskill": skill,
        "mentorshiprequest": request,
        "availabilityslot": slot,
        "outcome": outcome,
        "webhookendpoint": webhook,
        "webhookdelivery": delivery,
        "objective": objective,
        "keyresult": key_result,
        "checkin": check_in,
        "realignment": realignment,
        "initiative": initiative,
        "enrolment": enrolment,
        "mentorship": ms,
        "program": other_program,
        "session": session,
        "feedback": feedback,
        "kudos": kudos,
        "celebration": celebration,
        "registration": registration,
        "completion": completion,
        "ended_mentorship": ended,
        "revision": objective.latest_revision,
        "first_revision": objective.revisions.order_by("pk").first(),
    }


@pytest.fixture
def client_for():
    """A test client logged in as ``user`` that returns 500 responses instead of raising."""

    def _client(user) -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        return client

    return _client


WORLD.register_layer(
    "foreign",
    lambda world: build_foreign(
        grant_admin_access(world.roles()), world.get("other_program", models.MentoringProgramPage)
    ),
)


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    """Each test starts with the API's rate limits untouched (the id-guessing sweep makes many writes as the
    same users; a later test must not inherit their count within the minute)."""
    cache.clear()
    yield
    cache.clear()
