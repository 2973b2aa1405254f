"""Factories for the training library, learning paths, completions and events."""

import datetime as dt

import factory
import wagtail_factories
from django.utils import timezone

from tests.factories.core import UserFactory
from wagtail_mentoring import models


class TrainingLibraryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = models.TrainingLibraryPage

    title = "Training library"
    slug = "training"


class TrainingResourcePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = models.TrainingResourcePage

    title = factory.Sequence(lambda n: f"Resource {n}")
    resource_type = "article"
    audience = "everyone"
    duration_minutes = 30
    summary = "A practical guide."


class LearningPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LearningPath

    title = factory.Sequence(lambda n: f"Path {n}")


def learning_path(resources, **kwargs) -> models.LearningPath:
    """A learning path through ``resources``, in that order."""
    path = LearningPathFactory(**kwargs)
    for order, resource in enumerate(resources):
        models.LearningPathItem.objects.create(path=path, resource=resource, sort_order=order)
    return path


class TrainingCompletionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TrainingCompletion

    user = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(TrainingResourcePageFactory)


class TrainingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TrainingEvent

    title = factory.Sequence(lambda n: f"Workshop {n}")
    description = "Bring a real conversation you want to practise."
    start = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(hours=2))
    location = "Room 4.12"
    capacity = 10


class TrainingRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.TrainingRegistration

    event = factory.SubFactory(TrainingEventFactory)
    user = factory.SubFactory(UserFactory)
