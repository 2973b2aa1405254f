"""What differs between the supported Wagtail versions (7.4 LTS and 8.0), kept in one place.

Wagtail 8.0 added a registry of permission policies (``wagtail.permissions.register_permission_policy``)
that every admin view, chooser, bulk action and menu item consults; Wagtail 7.4 asks the snippet
viewset's ``permission_policy`` property instead. The package registers its policies through
:func:`register_permission_policy` and its viewsets mix in :class:`PermissionPolicyViewSetMixin`,
so the same policy object is used on both versions.

Example:
    >>> register_permission_policy(Objective, ScopedPermissionPolicy(Objective, view_scope=visible_objectives))
    >>> get_permission_policy(Objective)  # the same object on Wagtail 7.4 and 8.0
"""

from __future__ import annotations

from django.db.models import Model
from wagtail.hooks import search_for_hooks
from wagtail.permission_policies.base import BasePermissionPolicy, ModelPermissionPolicy

try:  # Wagtail >= 8.0
    from wagtail.permissions import policy_registry
    from wagtail.permissions import register_permission_policy as _wagtail_register
except ImportError:  # Wagtail 7.4
    policy_registry = None
    _wagtail_register = None

#: True when Wagtail keeps a registry of permission policies (8.0 and later).
HAS_POLICY_REGISTRY = policy_registry is not None

_policies: dict[type[Model], BasePermissionPolicy] = {}


def register_permission_policy(model: type[Model], policy: BasePermissionPolicy, *, exact_class: bool = False) -> None:
    """Make ``policy`` the permission policy of ``model`` on every supported Wagtail version."""
    _policies[model] = policy
    if _wagtail_register is not None:
        _wagtail_register(model, policy, exact_class=exact_class)


def get_permission_policy(model: type[Model]) -> BasePermissionPolicy:
    """The policy registered for ``model`` (Wagtail's own fallback when none was registered)."""
    if policy_registry is not None:
        return policy_registry.get_by_type(model)
    search_for_hooks()  # the policies are registered by the wagtail_hooks modules, imported lazily
    return _policies.get(model) or ModelPermissionPolicy(model)


class PermissionPolicyViewSetMixin:
    """Gives a ``SnippetViewSet`` the registered policy on Wagtail 7.4 (8.0 reads the registry itself)."""

    if not HAS_POLICY_REGISTRY:

        @property
        def permission_policy(self) -> BasePermissionPolicy:
            """The policy registered for the viewset's model (:func:`get_permission_policy`)."""
            return get_permission_policy(self.model)
