"""Wagtail permission policies for every private model, built on the access layer's querysets.

One generic policy, :class:`ScopedPermissionPolicy`: what a user may see is a *view scope*, what they
may change a *change scope*, both querysets from ``wagtail_mentoring.access.querysets``; who may
use the model's admin views at all is a predicate (any active user, or coordinators). Nothing is
decided from global model permissions, and superusers get no branch of their own: the querysets
already apply the superuser rule (a superuser coordinates every program), so the admin, the API and
the front end agree. :func:`register_scoped_policies` registers the policy of each private model.

Example:
    >>> policy = get_permission_policy(Objective)
    >>> policy.instances_user_has_permission_for(request.user, "view")  # == visible_objectives(user)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from wagtail_mentoring import models
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.compat import register_permission_policy

READ_ACTIONS = frozenset({"view"})
WRITE_ACTIONS = frozenset({"change", "delete", "publish", "unpublish", "lock", "unlock"})
#: What coordinators may do with enrolments and mentorships (records come from the lifecycle).
COORDINATOR_ACTIONS = frozenset({"view", "change"})
#: What coordinators may do with outcomes: they record them, so they add, fix and delete them too.
OUTCOME_ACTIONS = frozenset({"add", "change", "delete", "view"})
#: Coordinators configure their programs' webhooks (the same actions as outcomes) and only read the delivery log.
WEBHOOK_ACTIONS = OUTCOME_ACTIONS
LOG_ACTIONS = READ_ACTIONS
#: Coordinators form their programs' groups: they add, change and delete them.
GROUP_ACTIONS = OUTCOME_ACTIONS

Scope = Callable[[object], QuerySet]


class ScopedPermissionPolicy(BasePermissionPolicy):
    """A permission policy whose answers are access-layer querysets.

    Args:
        model: the model the policy governs.
        view_scope: ``user -> queryset`` of the instances the user may see.
        change_scope: ``user -> queryset`` of the instances the user may change, delete, publish...
            ``None``: nobody changes an instance (e.g. check-ins, a history).
        delete_scope: ``user -> queryset`` of the instances the user may delete, within the change scope
            (``None``: the change scope; an objective's co-editor changes it but only its owner deletes it).
        actions: the actions the policy grants at all; ``None`` grants every action (the write
            actions only with a ``change_scope``).
        may_use: ``user -> bool``: may the user use the model's admin views at all?
    """

    def __init__(
        self,
        model: type[Model],
        *,
        view_scope: Scope,
        change_scope: Scope | None = None,
        delete_scope: Scope | None = None,
        actions: Iterable[str] | None = None,
        may_use: Callable[[object], bool] = access.is_active_user,
    ) -> None:
        super().__init__(model)
        self.view_scope = view_scope
        self.change_scope = change_scope
        self.delete_scope = delete_scope
        self.actions = frozenset(actions) if actions is not None else None
        self.may_use = may_use

    def _grants(self, action: str) -> bool:
        """Does the policy grant ``action`` at all: listed in ``actions``, or a read, or a write with a change scope."""
        if self.actions is not None:
            return action in self.actions
        return action not in WRITE_ACTIONS or self.change_scope is not None

    def user_has_permission(self, user, action: str) -> bool:
        """May ``user`` take ``action`` on this model at all (instances aside)?"""
        return self._grants(action) and self.may_use(user)

    def user_has_any_permission(self, user, actions: Iterable[str]) -> bool:
        """May ``user`` take any of ``actions`` on this model?"""
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Iterable[str]) -> QuerySet:
        """Active users: a superset, since what each may do depends on the object scopes."""
        return get_user_model().objects.filter(is_active=True)

    def instances_user_has_any_permission_for(self, user, actions: Iterable[str]) -> QuerySet:
        """The view scope for a read action, else the delete scope for deleting alone, else the change scope for
        a write action, else nothing."""
        allowed = {action for action in actions if self.user_has_permission(user, action)}
        if allowed & READ_ACTIONS:
            return self.view_scope(user)
        writes = allowed & WRITE_ACTIONS
        if writes == {"delete"} and self.delete_scope is not None:
            return self.delete_scope(user)
        if writes and self.change_scope is not None:
            return self.change_scope(user)
        return self.model._default_manager.none()

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet:
        """The instances on which ``user`` may take ``action``."""
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        """May ``user`` take ``action`` on ``instance`` (model level for an unsaved one)?"""
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions: Iterable[str], instance) -> bool:
        """May ``user`` take any of ``actions`` on ``instance``?"""
        if instance is None or instance.pk is None:
            return self.user_has_any_permission(user, actions)
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()


class EditorsWritePolicy(ScopedPermissionPolicy):
    """A curated library's policy: reads follow the view scope, writes need Wagtail's model permission
    (``add``, ``change``, ``delete`` given to the "Editors" group), so only editors curate it."""

    def user_has_permission(self, user, action: str) -> bool:
        """Reads for those who may use the views; any other action for active users with its model permission."""
        if action in READ_ACTIONS:
            return self.may_use(user)
        meta = self.model._meta
        return access.is_active_user(user) and user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}")

    def instances_user_has_any_permission_for(self, user, actions: Iterable[str]) -> QuerySet:
        """The view scope for a read; every instance for a write the user has the model permission for."""
        allowed = {action for action in actions if self.user_has_permission(user, action)}
        if allowed & READ_ACTIONS:
            return self.view_scope(user)
        if allowed:
            return self.model._default_manager.all()
        return self.model._default_manager.none()


def reads_objective_templates(user) -> bool:
    """May ``user`` open the objective templates in the admin? Editors, and coordinators (to start from one)."""
    return access.edits_objective_templates(user) or access.is_coordinator(user)


def _coordinator_policy(model: type[Model], scope: Scope, actions: frozenset[str]) -> ScopedPermissionPolicy:
    """A coordinators-only policy: they see and act on ``scope`` (their programs' records)."""
    return ScopedPermissionPolicy(
        model, view_scope=scope, change_scope=scope, actions=actions, may_use=access.is_coordinator
    )


def scoped_policies() -> list[tuple[type[Model], ScopedPermissionPolicy, bool]]:
    """Each private model, its policy, and whether the policy covers the exact class only."""
    return [
        (
            models.Objective,
            ScopedPermissionPolicy(
                models.Objective,
                view_scope=access.visible_objectives,
                change_scope=access.editable_objectives,
                delete_scope=access.deletable_objectives,
                may_use=access.takes_part_in_okrs,
            ),
            False,
        ),
        (
            models.CheckIn,
            ScopedPermissionPolicy(
                models.CheckIn, view_scope=access.visible_check_ins, may_use=access.takes_part_in_okrs
            ),
            False,
        ),
        (
            models.ObjectiveTemplate,
            EditorsWritePolicy(
                models.ObjectiveTemplate,
                view_scope=access.visible_objective_templates,
                may_use=reads_objective_templates,
            ),
            False,
        ),
        *(
            (model, _coordinator_policy(model, scope, actions), True)
            for model, scope, actions in (
                (models.Enrolment, access.coordinated_enrolments, COORDINATOR_ACTIONS),
                (models.Mentorship, access.coordinated_mentorships, COORDINATOR_ACTIONS),
                (models.Outcome, access.coordinated_outcomes, OUTCOME_ACTIONS),
                (models.MentoringGroup, access.coordinated_groups, GROUP_ACTIONS),
                (models.WebhookEndpoint, access.coordinated_webhooks, WEBHOOK_ACTIONS),
                (models.WebhookDelivery, access.coordinated_webhook_deliveries, LOG_ACTIONS),
            )
        ),
    ]


def register_scoped_policies() -> None:
    """Register the policy of every private model on both supported Wagtail versions.

    Call it before any viewset of these models is registered: Wagtail refuses a policy for a model
    once it has created a fallback one.
    """
    for model, policy, exact_class in scoped_policies():
        register_permission_policy(model, policy, exact_class=exact_class)
