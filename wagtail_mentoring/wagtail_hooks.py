"""Wagtail admin wiring: the "Mentoring" menu (a ``ViewSetGroup``); each feature registers its own parts.

Snippet viewsets join the menu with ``menu_hook = MENTORING_MENU_HOOK``; the group holds the coordinator
area (``coordinator_area``).
"""

from wagtail import hooks

from wagtail_mentoring.access.policies import register_scoped_policies

# Policies first: Wagtail refuses to register one after a fallback policy was created for the model.
register_scoped_policies()

from wagtail_mentoring.access.bulk_actions import ScopedDeleteBulkAction  # noqa: E402
from wagtail_mentoring.coordinator_area import MentoringViewSetGroup  # noqa: E402
from wagtail_mentoring.dashboards import wagtail_hooks as _dashboards  # noqa: E402, F401
from wagtail_mentoring.notifications import wagtail_hooks as _notifications  # noqa: E402, F401
from wagtail_mentoring.programs import wagtail_hooks as _programs  # noqa: E402, F401
from wagtail_mentoring.reports import wagtail_hooks as _reports  # noqa: E402, F401
from wagtail_mentoring.snippets import wagtail_hooks as _snippets  # noqa: E402, F401
from wagtail_mentoring.surveys import wagtail_hooks as _surveys  # noqa: E402, F401
from wagtail_mentoring.training import wagtail_hooks as _training  # noqa: E402, F401

# A late order so that the one scoped bulk delete replaces Wagtail's own for the private models.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=100)


@hooks.register("register_admin_viewset")
def register_mentoring_menu() -> MentoringViewSetGroup:
    """The "Mentoring" menu and the coordinator area."""
    return MentoringViewSetGroup()
