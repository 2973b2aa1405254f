"""Bulk actions for OKR snippets that only ever touch (or name) objects the user may see."""

from __future__ import annotations

from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from wagtail_mentoring.access.bulk_actions import PolicyDeletePermissionMixin, ScopedBulkActionMixin
from wagtail_mentoring.compat import get_permission_policy
from wagtail_mentoring.snippets.models import CheckIn, Objective


class VisibleDeleteBulkAction(PolicyDeletePermissionMixin, ScopedBulkActionMixin, DeleteBulkAction):
    """Wagtail's snippet bulk delete, restricted to visible objects: hidden ids are 404, not listed."""

    models = [Objective, CheckIn]

    def get_scope(self):
        return get_permission_policy(self.model).instances_user_has_permission_for(self.request.user, "view")
