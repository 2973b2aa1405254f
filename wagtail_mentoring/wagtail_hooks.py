"""Wagtail admin wiring: the "Mentoring" menu; each feature registers its own items in its module.

Viewsets join the menu with ``menu_hook = MENTORING_MENU_HOOK`` (and ``add_to_admin_menu = True``);
other items are returned from ``@hooks.register(MENTORING_MENU_HOOK)`` functions.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from wagtail_mentoring.access.policies import register_scoped_policies

# Policies first: Wagtail refuses to register one after a fallback policy was created for the model.
register_scoped_policies()

from wagtail_mentoring.access.bulk_actions import ScopedDeleteBulkAction  # noqa: E402
from wagtail_mentoring.dashboards import wagtail_hooks as _dashboards  # noqa: E402, F401
from wagtail_mentoring.menu import MENTORING_MENU_HOOK  # noqa: E402
from wagtail_mentoring.programs import wagtail_hooks as _programs  # noqa: E402, F401
from wagtail_mentoring.reports import wagtail_hooks as _reports  # noqa: E402, F401
from wagtail_mentoring.snippets import wagtail_hooks as _snippets  # noqa: E402, F401
from wagtail_mentoring.training import wagtail_hooks as _training  # noqa: E402, F401

# A late order so that the one scoped bulk delete replaces Wagtail's own for the private models.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=100)

mentoring_menu = Menu(register_hook_name=MENTORING_MENU_HOOK, construct_hook_name="construct_mentoring_menu")


@hooks.register("register_admin_menu_item")
def register_mentoring_menu() -> SubmenuMenuItem:
    return SubmenuMenuItem(_("Mentoring"), mentoring_menu, name="mentoring", icon_name="group", order=250)
