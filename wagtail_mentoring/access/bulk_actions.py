"""Bulk actions on private models: act on the user's scope (the model policy's view scope), 404 for any other id.

:class:`ScopedBulkActionMixin` is what every bulk action of the package mixes in;
:class:`ScopedDeleteBulkAction` is the one bulk delete of every private model, asking the model's
permission policy about each object.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from wagtail_mentoring import models
from wagtail_mentoring.access.viewsets import ScopedViewSetMixin
from wagtail_mentoring.compat import get_permission_policy
from wagtail_mentoring.inputs import parse_id


def parse_ids(raw: list[str]) -> set[int]:
    """The submitted ``id`` values as integers; 404 when there are none or one is not an id (``inputs.parse_id``)."""
    ids = [parse_id(pk) for pk in raw]
    if not ids or None in ids:
        raise Http404
    return set(ids)


class ScopedBulkActionMixin:
    """Restricts a Wagtail bulk action to the objects the user may see; a request naming any other id is 404.

    A foreign id is indistinguishable from an unknown one, and the whole request is refused: nothing
    is acted on and no foreign object is named on the confirmation page. ``id=all`` (the listing's
    "select all") means every object in scope. Objects in scope that the action's ``check_perm``
    refuses are shown as "no access" (the user may see them) and left alone.

    The scope is the model policy's view scope; a subclass may narrow it in :meth:`get_scope`.
    """

    def get_scope(self) -> QuerySet:
        """The queryset of objects the requesting user may see (and so name in a bulk action).

        The model's scoped viewset's listing queryset when there is one (same rows, and the related
        objects the confirmation page names already joined), else the policy's view scope.
        """
        viewset = getattr(self.model, "snippet_viewset", None)
        if isinstance(viewset, ScopedViewSetMixin):
            return viewset.get_queryset(self.request)
        return get_permission_policy(self.model).instances_user_has_permission_for(self.request.user, "view")

    def get_all_objects_in_listing_query(self, parent_id):
        """The pks ``id=all`` stands for: every object in :meth:`get_scope` (``parent_id`` is ignored)."""
        return self.get_scope().values_list("pk", flat=True)

    def get_actionable_objects(self):
        """``(allowed, {"items_with_no_access": refused})`` for the submitted ids; 404 if any id is out of scope."""
        # Resolved once per request: Wagtail asks again after acting (e.g. the delete's after-hook),
        # when deleted objects would no longer be found.
        if not hasattr(self, "_scoped_objects"):
            self._scoped_objects = self._resolve_objects()
        return self._scoped_objects

    def _resolve_objects(self):
        scope = self.get_scope()
        raw = self.request.GET.getlist("id")
        if "all" in raw:
            objects = list(scope)
        else:
            ids = parse_ids(raw)
            objects = list(scope.filter(pk__in=ids))
            if {obj.pk for obj in objects} != ids:
                raise Http404
        allowed = [obj for obj in objects if self.check_perm(obj)]
        refused = [obj for obj in objects if obj not in allowed]
        return allowed, {"items_with_no_access": refused}


class PolicyDeletePermissionMixin:
    """Bulk delete asks the model's permission policy about each object, on every supported Wagtail.

    Wagtail 8.0's snippet bulk delete does this itself; 7.4's checks the model-level ``delete``
    permission only, which the package's object-level policies (a mentee may delete their own
    objectives) do not grant.
    """

    def check_perm(self, snippet) -> bool:
        """May the user delete ``snippet``? The model's permission policy decides (``access.policies``)."""
        return get_permission_policy(self.model).user_has_permission_for_instance(self.request.user, "delete", snippet)


class ScopedDeleteBulkAction(PolicyDeletePermissionMixin, ScopedBulkActionMixin, DeleteBulkAction):
    """Wagtail's snippet bulk delete for every private model: hidden ids are 404, refused ones left alone.

    Registered late (``order=100``) so that it replaces Wagtail's own snippet bulk delete for these models.
    """

    models = [
        models.Objective,
        models.CheckIn,
        models.Enrolment,
        models.Mentorship,
        models.Outcome,
        models.WebhookEndpoint,
        models.WebhookDelivery,
    ]
    action_priority = 100
