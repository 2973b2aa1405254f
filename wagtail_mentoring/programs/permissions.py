"""Admin permission policy: coordinators act on their own programs' enrolments and mentorships only."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from wagtail_mentoring.access.querysets import (
    coordinated_programs,
    is_active_user,
    visible_enrolments,
    visible_mentorships,
)

#: What coordinators may do in the admin (no adding or deleting: records come from the lifecycle).
COORDINATOR_ACTIONS = frozenset({"view", "change"})


def coordinated_enrolments(user) -> QuerySet:
    """Enrolments of the programs ``user`` coordinates (not their own applications elsewhere)."""
    return visible_enrolments(user).filter(program__in=coordinated_programs(user).values("pk"))


def coordinated_mentorships(user) -> QuerySet:
    """Mentorships of the programs ``user`` coordinates (not the ones they take part in elsewhere)."""
    return visible_mentorships(user).filter(program__in=coordinated_programs(user).values("pk"))


def _coordinates_any(user) -> bool:
    if not is_active_user(user):
        return False
    cached = getattr(user, "_wm_coordinates_any", None)
    if cached is None:
        cached = user.is_superuser or coordinated_programs(user).exists()
        user._wm_coordinates_any = cached
    return cached


class CoordinatorPermissionPolicy(BasePermissionPolicy):
    """Grants ``view`` and ``change`` to coordinators, limited to ``scope(user)``; nothing else.

    Args:
        model: the model the admin viewset manages.
        scope: a function returning the queryset of instances the user may act on.
    """

    def __init__(self, model, scope: Callable[[object], QuerySet]):
        super().__init__(model)
        self.scope = scope

    def user_has_permission(self, user, action):
        return action in COORDINATOR_ACTIONS and _coordinates_any(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.scope(user).filter(pk=instance.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model._default_manager.none()
        return self.scope(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.scope(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()
