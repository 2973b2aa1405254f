"""The training demo step: a full library, two paths, upcoming events; running it twice changes nothing."""

import io

import pytest
from django.core.management.color import no_style
from django.utils import timezone

from wagtail_mentoring.demo import base, training
from wagtail_mentoring.models import (
    LearningPath,
    TrainingCompletion,
    TrainingEvent,
    TrainingRegistration,
    TrainingResourcePage,
)

pytestmark = pytest.mark.django_db


def run_demo():
    ctx = base.DemoContext(stdout=io.StringIO(), style=no_style())
    base.run(ctx)
    training.run(ctx)
    return ctx


def counts():
    return [
        m.objects.count()
        for m in (TrainingResourcePage, LearningPath, TrainingEvent, TrainingRegistration, TrainingCompletion)
    ]


def test_demo_is_complete_and_idempotent():
    ctx = run_demo()
    resources = TrainingResourcePage.objects.live()
    assert resources.count() >= 12
    assert set(resources.values_list("resource_type", flat=True)) == set(TrainingResourcePage.ResourceType.values)
    assert set(resources.values_list("audience", flat=True)) == {"mentors", "mentees", "coordinators", "everyone"}
    assert ctx.pages["training"].slug == "training"
    assert ctx.extra["mentor_path"].title == "Mentor onboarding"
    assert ctx.extra["mentee_path"].title == "Mentee essentials"
    assert ctx.extra["mentor_path"].items.count() >= 3
    assert all(e.start > timezone.now() for e in TrainingEvent.objects.all())
    assert TrainingRegistration.objects.exists() and TrainingCompletion.objects.exists()
    for page in resources:
        for block in page.body:
            if block.block_type != "video":  # validating an embed fetches it over the network
                block.block.clean(block.value)  # every other demo body is valid (ISBNs included)
    before = counts()
    run_demo()
    assert counts() == before
