"""Wagtail permission policies for the OKR admin viewsets, built on the ``visible_*`` querysets.

Model-level checks ("may this user use the objective views at all?") answer yes for any active user:
what they then see is decided per instance by ``wagtail_mentoring.access.querysets``, never by global
model permissions. Superusers see and change everything.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from wagtail_mentoring.access import querysets as access

READ_ACTIONS = frozenset({"view"})
WRITE_ACTIONS = frozenset({"change", "delete", "publish", "unpublish", "lock", "unlock"})


class _ActiveUserPolicy(BasePermissionPolicy):
    """Base: any active user may use the views; instances are filtered by the subclass."""

    def user_has_permission(self, user, action) -> bool:
        return access.is_active_user(user)

    def user_has_any_permission(self, user, actions) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions) -> QuerySet:
        return get_user_model().objects.filter(is_active=True)

    def instances_user_has_permission_for(self, user, action) -> QuerySet:
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance) -> bool:
        if instance is None or instance.pk is None:
            return self.user_has_permission(user, action)
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance) -> bool:
        if instance is None or instance.pk is None:
            return self.user_has_any_permission(user, actions)
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()


class ObjectivePermissionPolicy(_ActiveUserPolicy):
    """Objectives: view what ``visible_objectives`` allows, change/delete what ``editable_objectives`` allows."""

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        model = self.model
        if not access.is_active_user(user):
            return model.objects.none()
        if user.is_superuser:
            return model.objects.all()
        actions = set(actions)
        if actions & READ_ACTIONS:
            return access.visible_objectives(user)
        if actions & WRITE_ACTIONS:
            return access.editable_objectives(user)
        return model.objects.none()


class CheckInPermissionPolicy(_ActiveUserPolicy):
    """Check-ins: a history. Anyone may add one (on key results they may check in on); nobody edits it."""

    def user_has_permission(self, user, action) -> bool:
        if action in WRITE_ACTIONS:
            return False
        return access.is_active_user(user)

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet:
        model = self.model
        if not access.is_active_user(user) or not set(actions) & READ_ACTIONS:
            return model.objects.none()
        if user.is_superuser:
            return model.objects.all()
        return access.visible_check_ins(user)
