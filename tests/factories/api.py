"""Factories for the API tests: training pages, events, sessions, feedback and tokens."""

import datetime as dt

import factory
import wagtail_factories
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.factories.core import UserFactory
from wagtail_mentoring import models


class TrainingLibraryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = models.TrainingLibraryPage

    title = "Training"


class TrainingResourcePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = models.TrainingResourcePage

    title = factory.Sequence(lambda n: f"Resource {n}")
    resource_type = "article"
    summary = "How to run a first mentoring session."


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TrainingEvent

    title = factory.Sequence(lambda n: f"Workshop {n}")
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=2))
    capacity = 10


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MentoringSession

    date = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    duration_minutes = 45
    agenda = "Career plan"
    notes = "Private pair notes"


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feedback

    kind = "session"
    rating = 4


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


__all__ = [
    "FeedbackFactory",
    "SessionFactory",
    "TrainingEventFactory",
    "TrainingLibraryPageFactory",
    "TrainingResourcePageFactory",
    "UserFactory",
    "token_for",
]
