"""What differs between the supported Wagtail versions (7.4 LTS and 8.0), kept in one place.

Wagtail 8.0 added a registry of permission policies (``wagtail.permissions.register_permission_policy``)
that every admin view, chooser, bulk action and menu item consults; Wagtail 7.4 asks the snippet
viewset's ``permission_policy`` property instead. The package registers its policies through
:func:`register_permission_policy` and its viewsets mix in :class:`PermissionPolicyViewSetMixin`,
so the same policy object is used on both versions.

Wagtail 8.0 also routes every page view through a per-model ``PageViewSet`` (``usage_view_class``,
``delete_view_class``); Wagtail 7.4 routes a page's usage and delete URLs to fixed views.
:func:`page_reference_views` replaces those two views on both versions.

Example:
    >>> register_permission_policy(Objective, ScopedPermissionPolicy(Objective, view_scope=visible_objectives))
    >>> get_permission_policy(Objective)  # the same object on Wagtail 7.4 and 8.0
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from wagtail.admin.viewsets.pages import PageViewSet
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


#: True when Wagtail routes a page's usage and delete views through its model's ``PageViewSet`` (8.0 and later).
HAS_PAGE_VIEWSET_VIEWS = hasattr(PageViewSet, "usage_view_class")

#: Adjusts the page delete view's template context: ``(request, page, context) -> None``.
DeleteContextHook = Callable[[object, Model, dict], None]


def page_reference_views(model: type[Model], usage_view_class: type, delete_context: DeleteContextHook) -> list:
    """Wagtail's page usage view replaced by ``usage_view_class`` and the page delete view's context adjusted
    by ``delete_context``, for pages of ``model``; return what to register with ``register_admin_viewset``.

    ``usage_view_class`` subclasses ``wagtail.admin.views.pages.usage.UsageView``. Wagtail 8.0: a
    ``PageViewSet`` of ``model`` with both views. Wagtail 7.4 has no per-model page views: the usage and
    delete URLs of every page are pointed at the replacements (call this while Wagtail builds its admin
    URLs, from the ``register_admin_viewset`` hook, so that Wagtail's own decorators wrap them), and
    nothing is returned.
    """
    if HAS_PAGE_VIEWSET_VIEWS:
        from wagtail.admin.views.pages.delete import DeleteView  # Wagtail >= 8.0 only

        class ReferenceDeleteView(DeleteView):
            def get_context_data(self, **kwargs) -> dict:
                context = super().get_context_data(**kwargs)
                delete_context(self.request, self.page, context)
                return context

        viewset_class = type(f"{model.__name__}PageViewSet", (PageViewSet,), {})
        return [
            viewset_class(
                name=f"wagtail_mentoring_{model._meta.model_name}_pages",
                model=model,
                usage_view_class=usage_view_class,
                delete_view_class=ReferenceDeleteView,
            )
        ]
    _route_page_views_74(usage_view_class, delete_context)
    return []


def _route_page_views_74(usage_view_class: type, delete_context: DeleteContextHook) -> None:
    from django.template.response import TemplateResponse
    from wagtail.admin.urls import pages as page_urls  # Wagtail 7.4: being imported by wagtail.admin.urls
    from wagtail.admin.views.pages.delete import delete as wagtail_delete

    def delete(request, page_id):
        response = wagtail_delete(request, page_id)
        if isinstance(response, TemplateResponse) and response.context_data is not None:
            delete_context(request, response.context_data["page"], response.context_data)
        return response

    views = {"usage": usage_view_class.as_view(), "delete": delete}
    for pattern in page_urls.urlpatterns:
        if getattr(pattern, "name", None) in views:
            pattern.callback = views[pattern.name]
