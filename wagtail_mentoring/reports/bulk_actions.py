"""Bulk delete of outcomes, scoped to the programs the user coordinates (any other id answers 404)."""

from __future__ import annotations

from wagtail.snippets.bulk_actions.delete import DeleteBulkAction

from wagtail_mentoring.access.bulk_actions import PolicyDeletePermissionMixin, ScopedBulkActionMixin
from wagtail_mentoring.access.querysets import coordinated_outcomes
from wagtail_mentoring.reports.models import Outcome


class OutcomeDeleteBulkAction(PolicyDeletePermissionMixin, ScopedBulkActionMixin, DeleteBulkAction):
    """Wagtail's snippet bulk delete for outcomes of the user's programs; foreign ids are never named."""

    models = [Outcome]

    def get_scope(self):
        return coordinated_outcomes(self.request.user).select_related("mentorship__mentor", "mentorship__mentee")
