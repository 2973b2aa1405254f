"""Factories for mentoring profiles and enrolments used by the programs tests."""

import factory

from tests.factories.core import EnrolmentFactory, UserFactory
from wagtail_mentoring import models


class MentoringProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MentoringProfile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    department = "Engineering"
    time_zone = "Europe/Rome"
    languages = "english"
    seniority = 3
    career_goals = "Lead a team."


def mentor_enrolment(program, user=None, capacity=2, **kwargs) -> models.Enrolment:
    """An accepted mentor enrolment with a profile that any sensible hard rule accepts."""
    kwargs.setdefault("status", "accepted")
    user = user or UserFactory()
    MentoringProfileFactory(user=user, department="Sales", seniority=8)
    return EnrolmentFactory(
        program=program,
        user=user,
        role="mentor",
        capacity=capacity,
        skills_offered="python, public speaking, leadership",
        interests="data, leadership",
        languages="english",
        **kwargs,
    )


def mentee_enrolment(program, user=None, **kwargs) -> models.Enrolment:
    """An accepted mentee enrolment with a profile that any sensible hard rule accepts."""
    kwargs.setdefault("status", "accepted")
    user = user or UserFactory()
    MentoringProfileFactory(user=user, department="Engineering", seniority=2)
    kwargs.setdefault("goals", "Become a confident presenter.")
    return EnrolmentFactory(
        program=program,
        user=user,
        role="mentee",
        skills_sought="public speaking, python",
        interests="data, leadership",
        languages="english",
        **kwargs,
    )
