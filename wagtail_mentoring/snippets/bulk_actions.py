"""Bulk actions for OKR snippets that only ever touch (or name) objects the user may see."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_list_or_404
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from wagtail_mentoring.compat import get_permission_policy
from wagtail_mentoring.snippets.models import CheckIn, Objective


class VisibleDeleteBulkAction(DeleteBulkAction):
    """Wagtail's snippet bulk delete, restricted to visible objects: hidden ids are 404, not listed."""

    models = [Objective, CheckIn]

    def _visible(self):
        return get_permission_policy(self.model).instances_user_has_permission_for(self.request.user, "view")

    def get_queryset(self, model, object_ids):  # an instance method here: it needs the request
        if not all(str(pk).isdigit() and len(str(pk)) < 19 for pk in object_ids):
            raise Http404  # malformed or out-of-range ids: nothing to act on
        return get_list_or_404(self._visible(), pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id):
        return self._visible().values_list("pk", flat=True)
