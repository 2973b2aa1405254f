"""Factories for sessions, feedback, outcomes and kudos."""

import datetime as dt

import factory
from django.utils import timezone

from wagtail_mentoring import models


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """An aware date-time on ``day``."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


class MentoringSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.MentoringSession

    date = factory.LazyFunction(timezone.now)
    duration_minutes = 45
    format = "video"
    agenda = "Agenda"
    notes = "TOP-SECRET-NOTE"
    next_steps = "Next steps"


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Feedback

    kind = "session"
    rating = 4


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Outcome

    kind = "promoted"
