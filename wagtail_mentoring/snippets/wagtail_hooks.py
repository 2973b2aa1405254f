"""Admin wiring for OKRs: permission policies and the snippet viewsets in the "Mentoring" menu."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from wagtail_mentoring.access.policies import CheckInPermissionPolicy, ObjectivePermissionPolicy
from wagtail_mentoring.compat import register_permission_policy
from wagtail_mentoring.snippets.models import CheckIn, Objective

# Policies first: Wagtail refuses to register one after a fallback policy was created for the model.
register_permission_policy(Objective, ObjectivePermissionPolicy(Objective))
register_permission_policy(CheckIn, CheckInPermissionPolicy(CheckIn))

from wagtail_mentoring.snippets.bulk_actions import VisibleDeleteBulkAction  # noqa: E402
from wagtail_mentoring.snippets.viewsets import CheckInViewSet, ObjectiveViewSet, OKRCycleViewSet  # noqa: E402

register_snippet(ObjectiveViewSet)
register_snippet(CheckInViewSet)
register_snippet(OKRCycleViewSet)

# A late order so it replaces Wagtail's own snippet bulk delete for these models.
hooks.register("register_bulk_action", VisibleDeleteBulkAction, order=100)
