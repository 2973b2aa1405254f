"""Factories for users, programs, mentorships and OKRs."""

import datetime as dt

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail_mentoring import models
from wagtail_mentoring.access.grants import grant_pair_access


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "pw")
        if create:
            obj.save(update_fields=["password"])


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"group{n}")


class MentoringProgramIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = models.MentoringProgramIndexPage

    title = "Programs"


class MentoringProgramPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = models.MentoringProgramPage

    title = factory.Sequence(lambda n: f"Program {n}")
    start_date = dt.date(2026, 1, 1)
    end_date = dt.date(2026, 12, 31)
    coordinators = factory.SubFactory(GroupFactory)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enrolment

    program = factory.SubFactory(MentoringProgramPageFactory)
    user = factory.SubFactory(UserFactory)
    role = "mentee"
    status = "accepted"


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Mentorship

    program = factory.SubFactory(MentoringProgramPageFactory)
    mentor = factory.SubFactory(UserFactory)
    mentee = factory.SubFactory(UserFactory)
    status = "proposed"


def active_mentorship(**kwargs) -> models.Mentorship:
    """An active mentorship with the pair's object permissions granted, as the lifecycle would."""
    mentorship = MentorshipFactory(status="active", started_on=dt.date(2026, 1, 15), **kwargs)
    grant_pair_access(mentorship)
    return mentorship


class OKRCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OKRCycle

    name = factory.Sequence(lambda n: f"Cycle {n}")
    start_date = dt.date(2026, 1, 1)
    end_date = dt.date(2026, 3, 31)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Objective

    title = factory.Sequence(lambda n: f"Objective {n}")
    description = "Become confident presenting to senior leadership."
    owner = factory.SubFactory(UserFactory)
    category = "confidence"
    level = "mentee"
    start_date = dt.date(2026, 1, 1)
    due_date = dt.date(2026, 3, 31)


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.KeyResult

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Key result {n}")
    kind = "number"
    start_value = 0
    target_value = 10
    current_value = 0


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CheckIn

    key_result = factory.SubFactory(KeyResultFactory)
    author = factory.SelfAttribute("key_result.objective.owner")
    value = 5
    confidence = 6


class RealignmentFactory(factory.django.DjangoModelFactory):
    """A review of an off-track key result that lowered its target from 12 to 10 (written as history, not through
    the service: use ``realign_key_result`` to test the rule)."""

    class Meta:
        model = models.Realignment

    key_result = factory.SubFactory(KeyResultFactory)
    author = factory.SelfAttribute("key_result.objective.owner")
    health = "off_track"
    progress = 0.1
    what_happened = "Slipped"
    previous_target = 12
    target_value = 10


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Initiative

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
