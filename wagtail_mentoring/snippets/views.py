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
from wagtail_mentoring.snippets.models import CheckIn, KeyResult, Objective
from wagtail_mentoring.snippets.smart import evaluate_objective


def objective_listing_queryset(queryset: QuerySet) -> QuerySet:
    """Everything an objective row needs (owner, cycle, key results) in a fixed number of queries."""
    return queryset.select_related("owner", "cycle", "program", "parent").prefetch_related(
        Prefetch("key_results", queryset=KeyResult.objects.order_by("sort_order", "pk"))
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
        context = super().get_cell_context_data(instance, parent_context)
        context["percent"] = instance.progress_percent
        return context


class PersonColumn(Column):
    """A user's full name (or username) without an avatar: no per-row profile query."""

    def get_value(self, instance):
        user = super().get_value(instance)
        if user is None:
            return None
        return user.get_full_name().strip() or user.get_username()


class HealthColumn(Column):
    cell_template_name = "wagtail_mentoring/snippets/columns/health.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["health"] = instance.health
        context["label"] = instance.health_label
        return context


class GradeColumn(Column):
    cell_template_name = "wagtail_mentoring/snippets/columns/grade.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["grade"], context["band"] = instance.grade
        return context


# --- objective views -----------------------------------------------------------------------------
class ObjectiveIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    """Objectives the user may see, with owner, progress, health and grade; edit links only where allowed."""

    @cached_property
    def editable_pks(self) -> set:
        policy = get_permission_policy(self.model)
        return set(policy.instances_user_has_permission_for(self.request.user, "change").values_list("pk", flat=True))

    def _may_change(self, instance) -> bool:
        return instance.pk in self.editable_pks

    def get_edit_url(self, instance):
        return super().get_edit_url(instance) if self._may_change(instance) else None

    def get_delete_url(self, instance):
        return super().get_delete_url(instance) if self._may_change(instance) else None

    def get_copy_url(self, instance):
        return None


class ObjectiveInspectView(snippet_views.InspectView):
    """Objective details, its key results with their check-in history, its initiatives and children."""

    template_name = "wagtail_mentoring/snippets/objective_inspect.html"

    def get_object(self, queryset=None):
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
    def get_edit_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None


class ObjectiveCreateView(ServiceErrorsMixin, snippet_views.CreateView):
    """Create an objective; a pairing filled between validation and save is a form error."""


class ObjectiveEditView(ServiceErrorsMixin, snippet_views.EditView):
    """Edit an objective; a pairing filled between validation and save is a form error."""


class CheckInCreateView(ServiceErrorsMixin, snippet_views.CreateView):
    """Check in on a key result; the form saves through ``record_check_in``."""

    success_message = _("Check-in recorded for '%(object)s'.")

    def get_initial(self):
        initial = super().get_initial()
        key_result = self.request.GET.get("key_result")
        if key_result and key_result.isdigit():
            initial["key_result"] = int(key_result)
        return initial

    def get_success_url(self):
        return reverse(self.index_url_name)
