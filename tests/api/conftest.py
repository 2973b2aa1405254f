"""API fixtures: a small world of every object type around the ``roles`` fixture, and clients."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import PageViewRestriction

from tests.conftest import WORLD
from tests.factories import (
    CheckInFactory,
    EnrolmentFactory,
    InitiativeFactory,
    KeyResultFactory,
    MentoringProgramPageFactory,
    ObjectiveFactory,
    RealignmentFactory,
)
from tests.factories.api import (
    FeedbackFactory,
    SessionFactory,
    TrainingEventFactory,
    TrainingLibraryPageFactory,
    TrainingResourcePageFactory,
    token_for,
)
from tests.factories.okr import objective_template
from tests.testapp.models import TestHomePage
from wagtail_mentoring import models

ROLE_NAMES = [
    "mentee",
    "mentor",
    "other_mentee",
    "coordinator",
    "other_coordinator",
    "editor",
    "inactive",
    "anonymous",
]


@pytest.fixture(autouse=True)
def _fresh_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_world(roles, program, other_program, program_index, home_page):
    """The objects of ``world`` but the roles and programs, by name: built once for consecutive tests
    that use them (a layer of the shared world, ``tests/conftest.py``); each test gets fresh instances
    and its writes are rolled back."""
    if WORLD.layer_name == "api_world":
        return WORLD.layer_objects()
    return build_api_world(roles, program, other_program, program_index, home_page)


@pytest.fixture
def world(api_world, roles, program, other_program):
    """Two pairings (``roles``) with objectives, key results, check-ins, initiatives, sessions,
    feedback, enrolments, program and training pages (one login-restricted each), events,
    registrations and completions."""
    return SimpleNamespace(roles=roles, program=program, other_program=other_program, **api_world)


#: The id of the program's journey step in the API world (``mentorships/{id}/journey/{step}/...``).
JOURNEY_STEP = "00000000-0000-0000-0000-00000000a001"


def build_api_world(roles, program, other_program, program_index, home_page) -> dict:
    """Create the objects of ``world`` around the roles' two pairings."""
    r = roles
    w = SimpleNamespace()
    program.journey = [
        {
            "type": "step",
            "id": JOURNEY_STEP,
            "value": {"title": "Agreement", "days_after_start": 0, "completes_when": "manual", "survey_kind": ""},
        }
    ]
    program.save(update_fields=["journey"])
    w.private_program = MentoringProgramPageFactory(parent=program_index, title="Private", slug="private")
    PageViewRestriction.objects.create(page=w.private_program, restriction_type="login")
    w.draft_program = MentoringProgramPageFactory(parent=program_index, title="Draft", slug="draft", live=False)

    w.o_pair = ObjectiveFactory(owner=r["mentee"], mentorship=r["mentorship"], level="pairing")
    w.o_private = ObjectiveFactory(owner=r["mentee"])
    w.o_other = ObjectiveFactory(owner=r["other_mentee"], mentorship=r["other_mentorship"])
    w.kr_pair = KeyResultFactory(objective=w.o_pair)
    w.kr_private = KeyResultFactory(objective=w.o_private)
    w.kr_other = KeyResultFactory(objective=w.o_other)
    w.ci_pair = CheckInFactory(key_result=w.kr_pair)
    w.ci_other = CheckInFactory(key_result=w.kr_other)
    w.rl_pair = RealignmentFactory(key_result=w.kr_pair)
    w.rl_other = RealignmentFactory(key_result=w.kr_other)
    w.in_pair = InitiativeFactory(objective=w.o_pair)
    w.in_other = InitiativeFactory(objective=w.o_other)
    w.s_pair = SessionFactory(mentorship=r["mentorship"], notes="pair secret")
    w.s_other = SessionFactory(mentorship=r["other_mentorship"], notes="other secret")
    soon = timezone.now() + dt.timedelta(days=7)
    w.s_planned = SessionFactory(mentorship=r["mentorship"], status="planned", date=soon, created_by=r["mentor"])
    w.slot_pair = models.AvailabilitySlot.objects.create(
        mentor=r["mentor"], start=soon, end=soon + dt.timedelta(hours=1)
    )
    w.slot_other = models.AvailabilitySlot.objects.create(
        mentor=r["other_mentor"], start=soon, end=soon + dt.timedelta(hours=1)
    )
    # Self-match requests: one the pair's mentor declined, one waiting in the other pairing.
    w.rq_pair = models.MentorshipRequest.objects.create(
        program=program, mentee=r["mentee"], mentor=r["mentor"], status="declined", expires_on=soon.date()
    )
    w.rq_other = models.MentorshipRequest.objects.create(
        program=other_program, mentee=r["other_mentee"], mentor=r["other_mentor"], expires_on=soon.date()
    )
    # Group mentoring: the pair's mentor leads a group the mentee belongs to; the other mentee is in a peer circle.
    w.gr_pair = models.MentoringGroup.objects.create(program=program, name="Group", mentor=r["mentor"])
    models.GroupMember.objects.create(group=w.gr_pair, user=r["mentee"])
    w.gr_other = models.MentoringGroup.objects.create(program=other_program, name="Circle", kind="peer")
    models.GroupMember.objects.create(group=w.gr_other, user=r["other_mentee"])
    w.gs_pair = models.GroupSession.objects.create(group=w.gr_pair, date=timezone.now(), notes="group secret")
    w.gs_other = models.GroupSession.objects.create(group=w.gr_other, date=timezone.now(), notes="circle secret")
    w.fb_mentee = FeedbackFactory(mentorship=r["mentorship"], program=program, author=r["mentee"])
    w.fb_mentor = FeedbackFactory(mentorship=r["mentorship"], program=program, author=r["mentor"])
    w.fb_other = FeedbackFactory(mentorship=r["other_mentorship"], program=other_program, author=r["other_mentee"])
    w.en_mentee = EnrolmentFactory(program=program, user=r["mentee"], role="mentee", status="applied")
    w.en_mentor = EnrolmentFactory(program=program, user=r["mentor"], role="mentor", status="accepted")
    w.en_other = EnrolmentFactory(program=other_program, user=r["other_mentee"], role="mentee", status="applied")
    # Skills: the program's and the other program's, each with self-ratings (the mentor's enrolment is accepted,
    # so only the mentor may rate here; the mentees' applications are under review).
    w.sk_program = models.ProgramSkill.objects.create(program=program, name="Listening")
    w.sk_other = models.ProgramSkill.objects.create(program=other_program, name="Coding")
    w.sr_mentee = models.SkillRating.objects.create(
        skill=w.sk_program, subject=r["mentee"], rater=r["mentee"], moment="start", level=2
    )
    w.sr_mentor = models.SkillRating.objects.create(
        skill=w.sk_program, subject=r["mentor"], rater=r["mentor"], moment="start", level=4
    )
    w.sr_other = models.SkillRating.objects.create(
        skill=w.sk_other, subject=r["other_mentee"], rater=r["other_mentee"], moment="start", level=3
    )

    library = TrainingLibraryPageFactory(parent=home_page, slug="training")
    w.r_public = TrainingResourcePageFactory(parent=library, title="Public resource", slug="public")
    w.r_login = TrainingResourcePageFactory(parent=library, title="Staff resource", slug="staff")
    PageViewRestriction.objects.create(page=w.r_login, restriction_type="login")
    w.c_mentee = models.TrainingCompletion.objects.create(user=r["mentee"], resource=w.r_public)
    w.c_other = models.TrainingCompletion.objects.create(user=r["other_mentee"], resource=w.r_public)
    w.ev = TrainingEventFactory()
    w.ev_free = TrainingEventFactory()
    w.reg_mentee = models.TrainingRegistration.objects.create(user=r["mentee"], event=w.ev)
    w.reg_other = models.TrainingRegistration.objects.create(user=r["other_mentee"], event=w.ev)
    # Objective templates: for every program, of a program, of the login-restricted and of the draft program.
    w.t_every = objective_template("Speak up in meetings")
    w.t_program = objective_template("Lead a project", programs=[other_program])
    w.t_private = objective_template("Staff only", programs=[w.private_program])
    w.t_draft = objective_template("Not yet published", programs=[w.draft_program])
    return vars(w)


WORLD.register_layer(
    "api_world",
    lambda world: build_api_world(
        world.roles(),
        world.get("program", models.MentoringProgramPage),
        world.get("other_program", models.MentoringProgramPage),
        world.get("program_index", models.MentoringProgramIndexPage),
        world.get("home_page", TestHomePage),
    ),
)


def client_for(roles, name: str) -> APIClient:
    """An API client authenticated with ``name``'s token (``anonymous``: no credentials)."""
    client = APIClient()
    if name != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(roles[name])}")
    return client


@pytest.fixture
def api_client_for(roles):
    return lambda name: client_for(roles, name)
