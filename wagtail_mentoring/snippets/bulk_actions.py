"""Bulk actions for OKR snippets that only ever touch (or name) objects the user may see."""

from __future__ import annotations

from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from wagtail_mentoring.access.bulk_actions import ScopedBulkActionMixin
from wagtail_mentoring.snippets.models import CheckIn, Objective


class VisibleDeleteBulkAction(ScopedBulkActionMixin, DeleteBulkAction):
    """Wagtail's snippet bulk delete, restricted to visible objects: any hidden id makes the request 404."""

    models = [Objective, CheckIn]

    def get_scope(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")
