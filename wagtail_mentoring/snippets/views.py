"""Admin views for OKR snippets: the objective listing and inspect view, the check-in views, and columns.

Which objects a view may show is not decided here: the viewsets mix in
``wagtail_mentoring.access.viewsets.ScopedViewSetMixin``, so a hidden object is a 404 in every view
and a visible one the user may not change is a 403 where it would be changed.
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views

from wagtail_mentoring.compat import get_permission_policy
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.form_errors import ServiceErrorsMixin
from wagtail_mentoring.people import display_name
from wagtail_mentoring.snippets.annotations import effective_due_expression
from wagtail_mentoring.snippets.models import CheckIn, KeyResult, Objective
from wagtail_mentoring.snippets.smart import evaluate_objective


def objective_listing_queryset(queryset: QuerySet) -> QuerySet:
    """Everything an objective row needs (owner, cycle, key results) in a fixed number of queries.

    ``effective_due_on`` is the "Due" column's sort key: the date the row shows (``Objective.effective_due``,
    the same in SQL through ``snippets.annotations.effective_due_expression``).
    """
    return (
        queryset.select_related("owner", "cycle", "program", "parent")
        .prefetch_related(Prefetch("key_results", queryset=KeyResult.objects.order_by("sort_order", "pk")))
        .annotate(effective_due_on=effective_due_expression())
    )


def visible_children(objective: Objective, user) -> QuerySet:
    """Objectives aligned to ``objective`` that ``user`` may see."""
    if user is None:
        return Objective.objects.none()
    policy = get_permission_policy(Objective)
    children = policy.instances_user_has_permission_for(user, "view").filter(parent=objective)
    return objective_listing_queryset(children).order_by("title", "pk")


# --- listing columns ---------------------------------------------------------------------------
class ProgressColumn(Column):
    """Progress as text (a percentage) and as a bar, for screen readers and sighted users alike."""

    cell_template_name = "wagtail_mentoring/snippets/columns/progress.html"

    def get_cell_context_data(self, instance, parent_context):
        """Adds ``percent``: the row's ``progress_percent`` (0-100), and ``tone``: its health's one tone
        (``scoring.health_tone``), so the bar is never green beside "Off track"."""
        context = super().get_cell_context_data(instance, parent_context)
        context["percent"] = instance.progress_percent
        context["tone"] = getattr(instance, "health_tone", "neutral")
        return context


class PersonColumn(Column):
    """A user's full name (or username) without an avatar: no per-row profile query."""

    def get_value(self, instance):
        """The user's full name, else their username; ``None`` when the field is empty."""
        user = super().get_value(instance)
        if user is None:
            return None
        return display_name(user)


class HealthColumn(Column):
    """Today's health as a badge with its label (``Objective.health``, ``HEALTH_LABELS``)."""

    cell_template_name = "wagtail_mentoring/snippets/columns/health.html"

    def get_cell_context_data(self, instance, parent_context):
        """Adds ``health`` (the state, for the badge's colour) and ``label`` (its translated text)."""
        context = super().get_cell_context_data(instance, parent_context)
        context["health"] = instance.health
        context["label"] = instance.health_label
        context["tone"] = instance.health_tone
        return context


class GradeColumn(Column):
    """The end-of-cycle grade and its band (``Objective.grade``, ``scoring.grade``)."""

    cell_template_name = "wagtail_mentoring/snippets/columns/grade.html"

    def get_cell_context_data(self, instance, parent_context):
        """Adds ``grade`` (0.0-1.0, one decimal) and ``band`` (``red``, ``yellow`` or ``green``)."""
        context = super().get_cell_context_data(instance, parent_context)
        context["grade"], context["band"] = instance.grade
        return context


# --- objective views -----------------------------------------------------------------------------
class ObjectiveIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    """Objectives the user may see, with owner, progress, health and grade; edit links only where allowed."""

    @cached_property
    def editable_pks(self) -> set:
        """Pks of the objectives the user may change (the policy's change scope), one query per request."""
        policy = get_permission_policy(self.model)
        return set(policy.instances_user_has_permission_for(self.request.user, "change").values_list("pk", flat=True))

    def _may_change(self, instance) -> bool:
        """Is ``instance`` in :attr:`editable_pks`?"""
        return instance.pk in self.editable_pks

    def get_edit_url(self, instance):
        """The edit link, only for objectives the user may change."""
        return super().get_edit_url(instance) if self._may_change(instance) else None

    def get_delete_url(self, instance):
        """The delete link, only for objectives the user may change."""
        return super().get_delete_url(instance) if self._may_change(instance) else None

    def get_copy_url(self, instance):
        """No copy link: objectives are not copied (the viewset disables the copy view)."""
        return None


class ObjectiveInspectView(snippet_views.InspectView):
    """Objective details, its key results with their check-in history, its initiatives and children."""

    template_name = "wagtail_mentoring/snippets/objective_inspect.html"

    def get_object(self, queryset=None):
        """The objective with everything the page shows prefetched; 404 for a missing or malformed pk.

        Whether the user may see it is checked afterwards by ``access.viewsets.ScopedObjectViewMixin``.
        """
        check_ins = CheckIn.objects.select_related("author").order_by("-created_at", "-pk")
        qs = Objective.objects.select_related("owner", "cycle", "program", "parent", "mentorship").prefetch_related(
            Prefetch(
                "key_results",
                queryset=KeyResult.objects.order_by("sort_order", "pk").prefetch_related(
                    Prefetch("check_ins", queryset=check_ins)
                ),
            ),
            "initiatives__assignee",
        )
        try:
            return qs.get(pk=unquote(str(self.pk)))
        except (Objective.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs):
        """Key results, initiatives, the visible children, whether the parent is visible, and the SMART check."""
        context = super().get_context_data(**kwargs)
        objective = self.object
        context["objective"] = objective
        context["key_results"] = objective.key_results.all()
        context["initiatives"] = objective.initiatives.all()
        context["children"] = visible_children(objective, self.request.user)
        context["parent_visible"] = bool(
            objective.parent_id
            and get_permission_policy(Objective)
            .instances_user_has_permission_for(self.request.user, "view")
            .filter(pk=objective.parent_id)
            .exists()
        )
        context["url_finder"] = AdminURLFinder(self.request.user)
        context["smart"] = evaluate_objective(objective)
        return context


# --- check-in views ------------------------------------------------------------------------------
class CheckInIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    """Check-ins the user may see; a history, so no row links to edit, delete or copy."""

    def get_edit_url(self, instance):
        """None: a check-in is never edited (a new one supersedes it; the policy grants no ``change``)."""
        return None

    def get_delete_url(self, instance):
        """None: check-ins are a history; their policy grants nobody ``delete`` (``access.policies``)."""
        return None

    def get_copy_url(self, instance):
        """None: check-ins are not copied."""
        return None


class ObjectiveCreateView(ServiceErrorsMixin, snippet_views.CreateView):
    """Create an objective; a pairing filled between validation and save is a form error."""


class ObjectiveEditView(ServiceErrorsMixin, snippet_views.EditView):
    """Edit an objective; a pairing filled between validation and save is a form error."""


class CheckInCreateView(ServiceErrorsMixin, snippet_views.CreateView):
    """Check in on a key result; the form saves through ``record_check_in``."""

    success_message = _("Check-in recorded for '%(object)s'.")

    def get_initial(self):
        """Preselect the key result named by ``?key_result=<pk>`` (ignored unless a plain integer)."""
        initial = super().get_initial()
        key_result = self.request.GET.get("key_result")
        if key_result and key_result.isdigit():
            initial["key_result"] = int(key_result)
        return initial

    def get_success_url(self):
        """Back to the check-in listing (check-ins have no edit view to go to)."""
        return reverse(self.index_url_name)
