"""Edit-view panels for objectives: the SMART checklist, child objectives, the key-result inline and the key results'
reviews."""

from __future__ import annotations

from wagtail.admin.panels import InlinePanel, Panel

from wagtail_mentoring.access.querysets import visible_realignments
from wagtail_mentoring.snippets.forms import KeyResultFormSet
from wagtail_mentoring.snippets.smart import evaluate_objective
from wagtail_mentoring.snippets.views import visible_children


class KeyResultsInlinePanel(InlinePanel):
    """``InlinePanel`` for key results whose formset enforces the key-result limit."""

    def get_form_options(self):
        """The inline's form options, with :class:`~wagtail_mentoring.snippets.forms.KeyResultFormSet` as formset."""
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = KeyResultFormSet
        return options


class SmartPanel(Panel):
    """Read-only: which SMART criteria the objective meets, with a hint for each one it misses."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_mentoring/snippets/panels/smart.html"

        def get_context_data(self, parent_context=None):
            """``criteria`` from ``smart.evaluate_objective``, with ``met_count`` and ``total`` for the summary."""
            context = super().get_context_data(parent_context)
            criteria = evaluate_objective(self.instance)
            context["criteria"] = criteria
            context["met_count"] = sum(1 for c in criteria if c.met)
            context["total"] = len(criteria)
            return context


class ChildObjectivesPanel(Panel):
    """Read-only: objectives aligned to this one, limited to those the user may see."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_mentoring/snippets/panels/children.html"

        def is_shown(self) -> bool:
            """Only on a saved objective (a new one has no children)."""
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            """``children``: the aligned objectives the user may see (``views.visible_children``)."""
            context = super().get_context_data(parent_context)
            context["children"] = visible_children(self.instance, self.request.user if self.request else None)
            return context


class RealignmentsPanel(Panel):
    """Read-only: the reviews and realignments of the objective's key results that the user may see (what happened,
    what changes, the target and due date before and after). They are written from the dashboard or the API."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "wagtail_mentoring/snippets/panels/realignments.html"

        def is_shown(self) -> bool:
            """Only on a saved objective."""
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            """``reviews``: newest first, with their key result and author (``access.visible_realignments``)."""
            context = super().get_context_data(parent_context)
            user = self.request.user if self.request else None
            context["reviews"] = list(
                visible_realignments(user)
                .filter(key_result__objective=self.instance)
                .select_related("key_result", "author")
                .order_by("-created_at", "-pk")
            )
            return context
