"""Admin views for OKR snippets: the objective listing and inspect view, the check-in views, objective
templates ("Start from this template"), and columns.

Which objects a view may show is not decided here: the viewsets mix in
``wagtail_mentoring.access.viewsets.ScopedViewSetMixin``, so a hidden object is a 404 in every view
and a visible one the user may not change is a 403 where it would be changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.snippets.views import snippets as snippet_views

from wagtail_mentoring.access.querysets import aligned_objectives
from wagtail_mentoring.compat import get_permission_policy
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.form_errors import ServiceErrorsMixin, add_validation_error
from wagtail_mentoring.inputs import parse_id
from wagtail_mentoring.people import display_name
from wagtail_mentoring.snippets import services
from wagtail_mentoring.snippets.annotations import effective_due_expression
from wagtail_mentoring.snippets.forms import StartFromTemplateForm
from wagtail_mentoring.snippets.library import ObjectiveTemplate, ObjectiveTemplateKeyResult
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
    """Objectives aligned to ``objective`` that ``user`` may see (``access.aligned_objectives``), with the listing's
    progress annotations."""
    if user is None:
        return Objective.objects.none()
    return objective_listing_queryset(aligned_objectives(user, objective)).order_by("title", "pk")


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


# --- objective templates -------------------------------------------------------------------------
def objective_template_listing_queryset(queryset: QuerySet) -> QuerySet:
    """Each template row's locale, programs and number of suggested key results, in a fixed number of queries."""
    return (
        queryset.select_related("locale")
        .prefetch_related("programs")
        .annotate(key_result_count=Count("key_results", distinct=True))
    )


#: The URL name of the "Start from this template" view (``ObjectiveTemplateViewSet``).
USE_TEMPLATE_URL_NAME = "wagtailsnippets_wagtail_mentoring_objectivetemplate:use"


def may_start_objectives(user) -> bool:
    """May ``user`` create an objective in the admin (the Objective policy's ``add``: people in OKRs)?"""
    return get_permission_policy(Objective).user_has_permission(user, "add")


class ObjectiveTemplateIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    """The template library: each row offers "Start from this template" to those who may add objectives."""

    @cached_property
    def _starts_objectives(self) -> bool:
        return may_start_objectives(self.request.user)

    def get_list_buttons(self, instance):
        """Wagtail's row buttons, with "Start from this template" first for people who may add objectives."""
        buttons = super().get_list_buttons(instance)
        if self._starts_objectives:
            buttons.insert(
                0,
                ListingButton(
                    _("Start from this template"),
                    url=reverse(USE_TEMPLATE_URL_NAME, args=[instance.pk]),
                    icon_name="plus",
                    priority=5,
                    attrs={"aria-label": _("Start an objective from “%(title)s”") % {"title": instance.title}},
                ),
            )
        return buttons


class ObjectiveTemplateInspectView(snippet_views.InspectView):
    """A template's inspect view, with a "Start from this template" header button."""

    @cached_property
    def header_buttons(self):
        """ "Start from this template" for people who may add objectives."""
        buttons = list(super().header_buttons) if hasattr(super(), "header_buttons") else []
        if may_start_objectives(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Start from this template"),
                    url=reverse(USE_TEMPLATE_URL_NAME, args=[self.object.pk]),
                    icon_name="plus",
                )
            )
        return buttons


class StartFromTemplateView(WagtailAdminTemplateMixin, FormView):
    """ "Start from this template": choose the pairing (if any), then a draft objective is created
    (``snippets.services.objective_from_template``) and its edit view opens.

    A template the user may not see is a 404; a user who may not add objectives gets a 403.
    """

    template_name = "wagtail_mentoring/snippets/start_from_template.html"
    form_class = StartFromTemplateForm
    header_icon = "crosshairs"
    _show_breadcrumbs = True

    def setup(self, request, *args, pk=None, **kwargs):
        """Resolve the template among those the user may see (404 otherwise)."""
        super().setup(request, *args, **kwargs)
        pk = parse_id(str(pk))
        visible = get_permission_policy(ObjectiveTemplate).instances_user_has_permission_for(request.user, "view")
        self.object = visible.filter(pk=pk).first() if pk is not None else None

    def dispatch(self, request, *args, **kwargs):
        """404 for a hidden or missing template, 403 for someone who may not add objectives."""
        if self.object is None:
            raise Http404
        if not may_start_objectives(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        """ "Start from a template"."""
        return str(_("Start from a template"))

    def get_page_subtitle(self) -> str:
        """The template's title."""
        return self.object.title

    def get_breadcrumbs_items(self):
        """Objective templates › the template › Start from this template."""
        return [
            {
                "url": reverse("wagtailsnippets_wagtail_mentoring_objectivetemplate:list"),
                "label": _("Objective templates"),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.object.title},
        ]

    def get_form_kwargs(self) -> dict:
        """The form offers the pairings the user may file objectives under."""
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs) -> dict:
        """The template, its suggested key results, and the form's labels."""
        context = super().get_context_data(**kwargs)
        context.update(
            template=self.object,
            suggested=list(
                ObjectiveTemplateKeyResult.objects.filter(template=self.object).order_by("sort_order", "pk")
            ),
            action_url=self.request.path,
            submit_button_label=_("Create draft objective"),
            submit_button_active_label=_("Creating…"),
        )
        return context

    def form_valid(self, form):
        """Create the draft and open its edit view; a service refusal re-renders the form (400)."""
        try:
            objective = services.objective_from_template(
                self.object, owner=self.request.user, mentorship=form.cleaned_data.get("mentorship")
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Draft objective “%(title)s” created from the template. Edit it to make it yours.")
            % {"title": objective.title},
        )
        return HttpResponseRedirect(reverse("wagtailsnippets_wagtail_mentoring_objective:edit", args=[objective.pk]))

    def form_invalid(self, form):
        """Re-render with the errors, status 400."""
        response = super().form_invalid(form)
        response.status_code = 400
        return response
