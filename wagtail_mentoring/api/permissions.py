"""API permission classes: who may call an endpoint, and who may change an object they can see.

Visibility is never decided here: every view's queryset is an access queryset from
``wagtail_mentoring.access.querysets``, so an object the caller may not see is a 404 before any
permission class runs. These classes only answer "may this caller change this visible object?"
(403 when not) with one query per request, never one per object.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from wagtail_mentoring.access.querysets import is_active_user


class IsActiveUser(BasePermission):
    """An authenticated, active user."""

    def has_permission(self, request, view) -> bool:
        """Active, authenticated users only (``access.querysets.is_active_user``); others get 401/403."""
        return is_active_user(request.user)


class ReadAnyoneWriteActiveUser(BasePermission):
    """Reads for anyone (the queryset applies page privacy); writes for active users."""

    def has_permission(self, request, view) -> bool:
        """Safe methods for anyone; the others for active users only."""
        return request.method in SAFE_METHODS or is_active_user(request.user)


class CanChangeObject(BasePermission):
    """Unsafe methods need the object to be in the view's ``get_editable_queryset()``.

    Views without ``get_editable_queryset`` are read-only (or create-only) for everyone.
    """

    message = _("You may view this object but not change it.")

    def has_object_permission(self, request, view, obj) -> bool:
        """Reads pass; a change needs ``obj`` in ``view.get_editable_queryset()`` (one ``exists`` query)."""
        if request.method in SAFE_METHODS:
            return True
        editable = getattr(view, "get_editable_queryset", None)
        if editable is None:
            return False
        return editable().filter(pk=obj.pk).exists()
