"""Admin wiring for OKRs: the snippet viewsets in the "Mentoring" menu (their policies: ``access.policies``)."""

from wagtail.snippets.models import register_snippet

from wagtail_mentoring.snippets.viewsets import (
    CheckInViewSet,
    ObjectiveTemplateViewSet,
    ObjectiveViewSet,
    OKRCycleViewSet,
)

register_snippet(ObjectiveViewSet)
register_snippet(CheckInViewSet)
register_snippet(OKRCycleViewSet)
register_snippet(ObjectiveTemplateViewSet)
