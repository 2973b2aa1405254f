"""Admin wiring of the training feature: snippet viewsets (the completion report: ``reports``)."""

from wagtail.snippets.models import register_snippet

from wagtail_mentoring.training.viewsets import LearningPathViewSet, TrainingEventViewSet

register_snippet(LearningPathViewSet)
register_snippet(TrainingEventViewSet)
