"""The one admin viewset mixin of private models: listings, choosers and every object view use the policy's scope.

A viewset that mixes in :class:`ScopedViewSetMixin` lists only what its model's permission policy
(``wagtail_mentoring.access.policies``) lets the user see, and each of its views is built with
:class:`ScopedObjectViewMixin`, which restricts the view's object look-up through Wagtail's own
queryset hooks:

* ``get_base_object_queryset()``: history, usage, lock, unlock and workflow views;
* ``get_queryset()``: the edit and delete views (Django's ``SingleObjectMixin``);
* ``get_object()`` where Wagtail looks the object up by model and pk with no hook (inspect,
  revisions compare, revision preview, unschedule, unpublish, copy).

A hidden object is therefore a 404 in every view, exactly like a missing one; an object the user
sees but may not change is a 403 in the views that change it.

The usage view and the delete view's "referenced N times" list the objects that refer to this one
(Wagtail's ``ReferenceIndex``); :func:`visible_references` leaves out every private object the user
may not see, so those views never name nor count a hidden object. :class:`HiddenReferencesViewSetMixin`
gives that to a viewset of a non-private model (an OKR cycle, a learning path) too;
:class:`HiddenReferencesPageUsageView` and :func:`count_visible_page_references` give it to Wagtail's page
usage and delete views (private objects refer to program pages; ``compat.page_reference_views`` installs
them on both Wagtail versions).
"""

from __future__ import annotations

import functools

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Model, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.views.generic.detail import SingleObjectMixin
from wagtail.admin.views.generic import DeleteView, EditView, RevisionsUnscheduleView
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.preview import PreviewRevision
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.views.pages.usage import UsageView as PageUsageView
from wagtail.models import ReferenceIndex
from wagtail.models.reference_index import ReferenceGroups

from wagtail_mentoring.access.choosers import ScopedSnippetChooserViewSet
from wagtail_mentoring.access.policies import scoped_policies
from wagtail_mentoring.compat import PermissionPolicyViewSetMixin, get_permission_policy
from wagtail_mentoring.inputs import parse_id

#: Views that act on the object, and the instance permission each needs (else 403).
INSTANCE_PERMISSIONS: tuple[tuple[type, str], ...] = (
    (EditView, "change"),
    (DeleteView, "delete"),
    (PreviewRevision, "change"),
    (RevisionsUnscheduleView, "change"),
)


def visible_to(user, model: type[Model], queryset: QuerySet | None = None) -> QuerySet:
    """``queryset`` (default: all of ``model``) limited to what ``model``'s policy lets ``user`` see."""
    visible = get_permission_policy(model).instances_user_has_permission_for(user, "view")
    base = model._default_manager.all() if queryset is None else queryset
    # Restrict by id so the result still accepts Wagtail search (only indexed fields may be filtered).
    return base.filter(pk__in=visible.values("pk"))


def visible_references(user, references: QuerySet) -> QuerySet:
    """``references`` (``ReferenceIndex`` rows) without those from a private object ``user`` may not see.

    A reference's source is private when its model has a scoped policy (``access.policies``); it stays
    only when that policy's view scope holds it. References from other models (pages, cycles) stay:
    Wagtail's own rules label those it cannot link to. One subquery per private source model.
    """
    private = {model: policy for model, policy, _exact in scoped_policies()}
    hidden = Q(pk__in=[])
    for content_type_id in references.order_by().values_list("base_content_type", flat=True).distinct():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        policy = private.get(model)
        if policy is None:
            continue
        visible = policy.instances_user_has_permission_for(user, "view").annotate(
            reference_id=Cast("pk", output_field=CharField())
        )
        hidden |= Q(base_content_type_id=content_type_id) & ~Q(object_id__in=visible.values("reference_id"))
    return references.exclude(hidden)


class HiddenReferencesViewMixin:
    """The usage and delete views of a viewset: only the references :func:`visible_references` keeps."""

    def _references(self) -> ReferenceGroups:
        return visible_references(
            self.request.user, ReferenceIndex.get_references_to(self.object)
        ).group_by_source_object()

    def get_queryset(self):
        """The usage view's listing (its references); any other view's own queryset."""
        if isinstance(self, UsageView):
            return self._references()
        return super().get_queryset()

    def get_usage(self):
        """The delete view's "referenced N times": visible references only."""
        usage = super().get_usage()
        return None if usage is None else self._references()


class HiddenReferencesPageUsageView(HiddenReferencesViewMixin, PageUsageView):
    """Wagtail's page usage view (``/admin/pages/<id>/usage/``), listing only the references the user may see."""


def count_visible_page_references(request, page, context: dict) -> None:
    """Wagtail's page delete view context: "referenced N times" counts only what :func:`visible_references` keeps.

    Whether a reference protects the page from deletion is still decided over every reference.
    """
    references = visible_references(request.user, ReferenceIndex.get_references_to(page))
    context["usage_count"] = references.group_by_source_object().count()


@functools.cache
def hidden_references_view_class(view_class: type) -> type:
    """``view_class`` with :class:`HiddenReferencesViewMixin` in front when it is a usage or delete view."""
    if issubclass(view_class, HiddenReferencesViewMixin) or not issubclass(view_class, (UsageView, DeleteView)):
        return view_class
    return type(view_class.__name__, (HiddenReferencesViewMixin, view_class), {"__module__": view_class.__module__})


class HiddenReferencesViewSetMixin:
    """A viewset whose usage and delete views never name or count a private object the user may not see."""

    def construct_view(self, view_class, **kwargs):
        """Build the usage and delete views with :class:`HiddenReferencesViewMixin`."""
        return super().construct_view(hidden_references_view_class(view_class), **kwargs)


class ScopedObjectViewMixin:
    """Mixed into each view of a :class:`ScopedViewSetMixin` viewset (see the module docstring)."""

    def _visible(self, queryset: QuerySet | None = None) -> QuerySet:
        return visible_to(self.request.user, self.model, queryset)

    def get_base_object_queryset(self) -> QuerySet:
        """Wagtail's object look-up hook (``BaseObjectMixin`` views), limited to visible objects."""
        return self._visible(super().get_base_object_queryset())

    def get_queryset(self) -> QuerySet:
        """Django's object look-up hook (edit, delete), limited to visible objects; listings untouched."""
        queryset = super().get_queryset()
        if isinstance(self, SingleObjectMixin) and queryset is not None:
            return self._visible(queryset)
        return queryset

    def get_object(self, *args, **kwargs):
        """The object, from a hook when the view has one; else checked here. 404 if hidden, 403 if refused.

        A pk in the URL that is not an id (``abc``, ``5.0``, beyond the database's range) is a 404 too.
        """
        pk = getattr(self, "pk", None)
        if pk is not None and parse_id(str(pk)) is None:
            raise Http404
        obj = super().get_object(*args, **kwargs)
        if obj is None:  # a create view
            return obj
        hooked = isinstance(self, (BaseObjectMixin, SingleObjectMixin))
        if not hooked and not self._visible().filter(pk=obj.pk).exists():
            raise Http404
        permission = self.instance_permission()
        if permission and not get_permission_policy(self.model).user_has_permission_for_instance(
            self.request.user, permission, obj
        ):
            raise PermissionDenied
        return obj

    def instance_permission(self) -> str | None:
        """The permission the view needs on its object (``None`` for views that only read it)."""
        for view_class, permission in INSTANCE_PERMISSIONS:
            if isinstance(self, view_class):
                return permission
        return None


@functools.cache
def scoped_view_class(view_class: type) -> type:
    """``view_class`` with :class:`ScopedObjectViewMixin` in front (one class per view class)."""
    if issubclass(view_class, ScopedObjectViewMixin):
        return view_class
    return type(view_class.__name__, (ScopedObjectViewMixin, view_class), {"__module__": view_class.__module__})


class ScopedViewSetMixin(HiddenReferencesViewSetMixin, PermissionPolicyViewSetMixin):
    """A ``SnippetViewSet`` whose listing, chooser and object views all follow the model's policy.

    Subclasses may override :meth:`get_listing_queryset` to add ``select_related``/prefetching.
    """

    chooser_viewset_class = ScopedSnippetChooserViewSet

    def get_queryset(self, request) -> QuerySet:
        """The listing (and chooser): the objects the user may see."""
        return self.get_listing_queryset(visible_to(request.user, self.model))

    def get_listing_queryset(self, queryset: QuerySet) -> QuerySet:
        """Hook: decorate the listing's queryset (by default, ``list_select_related``)."""
        related = getattr(self, "list_select_related", None)
        return queryset.select_related(*related) if related else queryset

    def construct_view(self, view_class, **kwargs):
        """Build every view of the viewset with :class:`ScopedObjectViewMixin`."""
        return super().construct_view(scoped_view_class(view_class), **kwargs)
