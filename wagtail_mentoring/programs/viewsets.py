"""Admin viewsets for coordinators: enrolment review and the mentorship listing (their programs only)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.widgets import MenuItem
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from wagtail_mentoring.access.querysets import coordinated_programs
from wagtail_mentoring.access.viewsets import ScopedViewSetMixin
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.form_errors import ServiceErrorsMixin
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.programs import lifecycle, services
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.programs.proposals import score_percent


def _coordinated_programs_for(request):
    return coordinated_programs(request.user).order_by("title") if request else coordinated_programs(None)


def transition_buttons(view, instance) -> list[MenuItem]:
    """Row menu items, one per admin transition the row's status allows, each opening its bulk confirmation."""
    meta = instance._meta
    buttons = []
    for i, transition in enumerate(lifecycle.available_transitions(instance, admin=True)):
        url = reverse("wagtail_bulk_action", args=(meta.app_label, meta.model_name, transition.name))
        buttons.append(
            MenuItem(
                transition.label,
                url=f"{url}?{urlencode({'id': instance.pk, 'next': view.request.get_full_path()})}",
                icon_name="arrow-right",
                priority=40 + i,
            )
        )
    return buttons


class TransitionButtonsIndexView(SafeSpreadsheetExportMixin, IndexView):
    """A listing whose rows offer the lifecycle transitions their status allows."""

    def get_list_more_buttons(self, instance):
        """Wagtail's row buttons plus one per lifecycle transition the user may take on this row
        (``transition_buttons``)."""
        return super().get_list_more_buttons(instance) + transition_buttons(self, instance)


# --- enrolments --------------------------------------------------------------------------------------
class EnrolmentFilterSet(WagtailFilterSet):
    """Admin filters for enrolments: program (only those the user coordinates), role and status."""

    program = ModelChoiceFilter(label=_("Program"), queryset=_coordinated_programs_for)
    role = ChoiceFilter(label=_("Role"), choices=Enrolment.Role.choices)
    status = ChoiceFilter(label=_("Status"), choices=Enrolment.Status.choices)

    class Meta:
        model = Enrolment
        fields = ["program", "role", "status"]


class EnrolmentAdminForm(WagtailAdminModelForm):
    """Status changes follow the enrolment transitions of ``programs.lifecycle``."""

    def clean_status(self):
        """Allow only a status change that the lifecycle table permits (``lifecycle.next_statuses``)."""
        new = self.cleaned_data["status"]
        old = self.instance.status
        if new != old and new not in lifecycle.next_statuses(Enrolment, old):
            raise ValidationError(_("An enrolment cannot move from this status to that one."))
        return new


class EnrolmentEditView(ServiceErrorsMixin, EditView):
    """Saves the capacity and moves the status through ``services.update_enrolment`` (one locked transaction)."""

    def save_instance(self):
        """Save through ``services.update_enrolment`` (the locked write path, which reviews a status change)
        instead of ``form.save()``."""
        data = self.form.cleaned_data
        enrolment = Enrolment.objects.get(pk=self.object.pk)
        return services.update_enrolment(
            enrolment, status=data["status"], by=self.request.user, capacity=data["capacity"]
        )


class EnrolmentViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Coordinators review their programs' enrolments: filter, search, export, accept or decline."""

    model = Enrolment
    icon = "user"
    menu_label = _("Enrolments")
    menu_name = "mentoring-enrolments"
    menu_order = 200
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/enrolments"
    index_view_class = TransitionButtonsIndexView
    edit_view_class = EnrolmentEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_select_related = ("user", "program")
    list_display = [
        "user",
        "program",
        "role",
        "status",
        Column("capacity", label=_("Mentor capacity")),
        DateColumn("created_at", label=_("Applied"), sort_key="created_at"),
    ]
    filterset_class = EnrolmentFilterSet
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "goals",
        "skills_sought",
        "skills_offered",
    ]
    search_backend_name = None
    ordering = ["program__title", "role", "created_at"]
    list_export = [
        "program",
        "user",
        "role",
        "status",
        "goals",
        "skills_sought",
        "skills_offered",
        "interests",
        "languages",
        "availability",
        "capacity",
        "created_at",
        "reviewed_at",
    ]
    export_filename = "enrolments"
    inspect_view_fields = [
        "program",
        "user",
        "role",
        "status",
        "goals",
        "skills_sought",
        "skills_offered",
        "interests",
        "languages",
        "availability",
        "capacity",
        "created_at",
        "reviewed_at",
        "reviewed_by",
    ]
    panels = [FieldPanel("status"), FieldPanel("capacity")]

    def get_form_class(self, for_update=False):
        """The admin edits only an enrolment's status and capacity; the rest is the applicant's."""
        return forms.modelform_factory(Enrolment, form=EnrolmentAdminForm, fields=["status", "capacity"])


# --- mentorships --------------------------------------------------------------------------------------
class MentorshipFilterSet(WagtailFilterSet):
    """Admin filters for mentorships: program (only those the user coordinates) and status."""

    program = ModelChoiceFilter(label=_("Program"), queryset=_coordinated_programs_for)
    status = ChoiceFilter(label=_("Status"), choices=Mentorship.Status.choices)

    class Meta:
        model = Mentorship
        fields = ["program", "status"]


class MentorshipViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Coordinators follow their programs' pairings and move them through the lifecycle."""

    model = Mentorship
    icon = "group"
    menu_label = _("Mentorships")
    menu_name = "mentoring-mentorships"
    menu_order = 210
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/mentorships"
    index_view_class = TransitionButtonsIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_select_related = ("mentor", "mentee", "program")
    list_display = [
        "__str__",
        "program",
        "status",
        Column(
            "match_score",
            label=_("Match score"),
            accessor=lambda m: score_percent(m.match_score),
            sort_key="match_score",
        ),
        "started_on",
        "ended_on",
    ]
    filterset_class = MentorshipFilterSet
    search_fields = [
        "mentor__username",
        "mentor__first_name",
        "mentor__last_name",
        "mentee__username",
        "mentee__first_name",
        "mentee__last_name",
    ]
    search_backend_name = None
    ordering = ["program__title", "-proposed_at"]
    list_export = ["program", "mentor", "mentee", "status", "match_score", "started_on", "ended_on", "end_reason"]
    export_filename = "mentorships"
    inspect_view_fields = [
        "program",
        "mentor",
        "mentee",
        "status",
        "match_score",
        "match_reasons",
        "proposed_at",
        "started_on",
        "ended_on",
        "end_reason",
        "expectations",
        "meeting_cadence_days",
        "topics_in_bounds",
        "topics_out_of_bounds",
    ]
    panels = [
        FieldPanel("expectations"),
        FieldPanel("meeting_cadence_days"),
        FieldPanel("topics_in_bounds"),
        FieldPanel("topics_out_of_bounds"),
    ]
