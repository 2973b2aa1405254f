"""Admin report: required learning-path completion of everyone enrolled in the user's programs."""

from __future__ import annotations

import django_filters
from django.db.models import Case, CharField, Count, F, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from wagtail_mentoring.access.querysets import coordinated_programs, get_visible_or_404, is_active_user
from wagtail_mentoring.coordinator_tabs import ProgramTabsMixin
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.programs.models import Enrolment
from wagtail_mentoring.training.models import LearningPathItem, TrainingCompletion


def enrolment_completion_queryset(user):
    """Enrolments of the programs ``user`` coordinates, annotated with their required path progress.

    Annotations: ``required_path_id``, ``required_path_title``, ``steps_total``, ``steps_done``.
    All computed in SQL: the query count does not grow with enrolments or completions.
    """
    qs = Enrolment.objects.filter(program__in=coordinated_programs(user).values("pk")).annotate(
        required_path_id=Case(
            When(role=Enrolment.Role.MENTOR, then=F("program__mentor_learning_path_id")),
            default=F("program__mentee_learning_path_id"),
        ),
        required_path_title=Case(
            When(role=Enrolment.Role.MENTOR, then=F("program__mentor_learning_path__title")),
            default=F("program__mentee_learning_path__title"),
            output_field=CharField(),
        ),
    )
    qs = qs.annotate(
        steps_total=Coalesce(
            Subquery(
                LearningPathItem.objects.filter(path_id=OuterRef("required_path_id"))
                .order_by()
                .values("path_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
            output_field=IntegerField(),
        ),
        steps_done=Coalesce(
            Subquery(
                TrainingCompletion.objects.filter(
                    user_id=OuterRef("user_id"),
                    resource_id__in=LearningPathItem.objects.filter(
                        path_id=OuterRef(OuterRef("required_path_id"))
                    ).values("resource_id"),
                )
                .order_by()
                .values("user_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
            output_field=IntegerField(),
        ),
    )
    return qs.select_related("user", "program").order_by("program__title", "role", "user__username")


class ProgramCompletionFilterSet(WagtailFilterSet):
    """Filters of one program's completion report (its Training tab)."""

    role = django_filters.ChoiceFilter(label=_("Role"), choices=Enrolment.Role.choices)
    status = django_filters.ChoiceFilter(label=_("Enrolment status"), choices=Enrolment.Status.choices)
    incomplete = django_filters.BooleanFilter(label=_("Required path not complete"), method="filter_incomplete")

    class Meta:
        model = Enrolment
        fields = ["role", "status"]

    def filter_incomplete(self, queryset, name, value):
        """Yes: only people still missing steps of a required path; No: only those done or with no path; unset: all."""
        if value is None:
            return queryset
        complete = Q(required_path_id__isnull=True) | Q(steps_done__gte=F("steps_total"))
        return queryset.exclude(complete) if value else queryset.filter(complete)


class CompletionFilterSet(ProgramCompletionFilterSet):
    """Filters of the report across every program the user coordinates."""

    program = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=lambda request: coordinated_programs(request.user).order_by("title")
    )

    class Meta:
        model = Enrolment
        fields = ["program", "role", "status"]


class ProgressColumn(Column):
    """Done/total of the required path, as text."""

    def get_value(self, instance):
        """The cell "<done> of <total>" steps of the required path, or "No path required"."""
        if instance.required_path_id is None:
            return _("No path required")
        return _("%(done)d of %(total)d") % {"done": instance.steps_done, "total": instance.steps_total}


class TrainingCompletionReportView(SafeSpreadsheetExportMixin, ReportView):
    """Coordinators: each enrolled person of their programs and their required learning path progress."""

    page_title = _("Training completion")
    header_icon = "tasks"
    index_url_name = "wagtail_mentoring_training_completion"
    index_results_url_name = "wagtail_mentoring_training_completion_results"
    filterset_class = CompletionFilterSet
    paginate_by = 50
    model = Enrolment
    columns = [
        TitleColumn("user", label=_("Person"), accessor="get_user_display"),
        Column("program", label=_("Program"), accessor="program"),
        Column("role", label=_("Role"), accessor="get_role_display"),
        Column("status", label=_("Enrolment"), accessor="get_status_display"),
        Column("required_path_title", label=_("Required path")),
        ProgressColumn("progress", label=_("Steps done")),
    ]
    list_export = [
        "user.get_username",
        "get_user_display",
        "program.title",
        "role",
        "status",
        "required_path_title",
        "steps_done",
        "steps_total",
    ]
    export_headings = {
        "user.get_username": _("Username"),
        "get_user_display": _("Name"),
        "program.title": _("Program"),
        "role": _("Role"),
        "status": _("Enrolment status"),
        "required_path_title": _("Required path"),
        "steps_done": _("Steps done"),
        "steps_total": _("Steps in path"),
    }

    def dispatch(self, request, *args, **kwargs):
        """Answer 404 unless the user is active and coordinates at least one program."""
        if not is_active_user(request.user) or not coordinated_programs(request.user).exists():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        """Accepted enrolments in programs the user coordinates, annotated with their steps done and total."""
        return enrolment_completion_queryset(self.request.user)


class ProgramTrainingReportView(ProgramTabsMixin, TrainingCompletionReportView):
    """The Training tab of a program: its enrolled people and their required learning path progress.

    Only the program's coordinators reach it; anyone else gets 404.
    """

    template_name = "wagtail_mentoring/coordinator/base_tab.html"
    program_tab = "training"
    filterset_class = ProgramCompletionFilterSet
    columns = [column for column in TrainingCompletionReportView.columns if column.name != "program"]

    def dispatch(self, request, *args, **kwargs):
        """Resolve the program from the URL among those the user coordinates, else 404."""
        self.program = get_visible_or_404(coordinated_programs(request.user), pk=kwargs["program_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        """The title, "Training: <program title>"."""
        return _("Training: %(program)s") % {"program": self.program.title}

    def get_index_url(self):
        """This program's Training tab."""
        return reverse("wagtail_mentoring_coordinator:training", args=[self.program.pk])

    def get_index_results_url(self):
        """The Training tab's results-only URL (for filtering without a full reload)."""
        return reverse("wagtail_mentoring_coordinator:training_results", args=[self.program.pk])

    def get_filename(self):
        """The export's file name, from the program's slug."""
        return f"training-completion-{self.program.slug}"

    def get_queryset(self):
        """The coordinator's completion rows, limited to this program."""
        return super().get_queryset().filter(program=self.program)
