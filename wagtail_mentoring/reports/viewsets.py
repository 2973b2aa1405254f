"""Admin viewset for coordinators to record outcomes of their programs' mentorships."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from wagtail_mentoring.access.choosers import PersonChooserViewSet
from wagtail_mentoring.access.querysets import coordinated_mentorships, person_outcome_subjects, records_person_outcomes
from wagtail_mentoring.access.viewsets import ScopedViewSetMixin
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.programs.viewsets import _coordinated_programs_for
from wagtail_mentoring.reports.models import Outcome

#: The chooser of the person an outcome is recorded for (superusers: ``access.person_outcome_subjects``).
outcome_person_chooser = PersonChooserViewSet(
    "wagtail_mentoring_outcome_person_chooser",
    url_prefix="mentoring/outcome-person-chooser",
    people=person_outcome_subjects,
)


class OutcomeForm(WagtailAdminModelForm):
    """The mentorship chooser lists only the mentorships of the programs the user coordinates.

    A superuser (HR, the admin) may instead record an outcome for a person outside any pairing, such as a
    non-participant of the impact report's baseline; a coordinator always records it for a mentorship.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentorship"].queryset = coordinated_mentorships(self.for_user).select_related(
            "mentor", "mentee", "program"
        )
        self.fields["mentorship"].widget = forms.Select(choices=self.fields["mentorship"].choices)
        if "user" in self.fields:
            if records_person_outcomes(self.for_user):
                # A chooser with search, not a select of every account (an organisation has thousands).
                self.fields["user"].queryset = person_outcome_subjects(self.for_user)
                self.fields["user"].widget = outcome_person_chooser.widget_class()
            else:
                del self.fields["user"]
        if "user" not in self.fields:
            self.fields["mentorship"].required = True

    def clean(self):
        """Exactly one of a mentorship and a person."""
        data = super().clean()
        if "user" in self.fields and bool(data.get("mentorship")) == bool(data.get("user")):
            self.add_error("user", _("Choose either a mentorship or a person, not both."))
        return data


class RecordedByMixin:
    """Record who entered an outcome: the first editor is kept as ``recorded_by``."""

    def save_instance(self):
        """Save the form, setting ``recorded_by`` to the current user when it is still empty."""
        instance = self.form.save(commit=False)
        if instance.recorded_by_id is None:
            instance.recorded_by = self.request.user
        instance.save()
        return instance


class OutcomeCreateView(RecordedByMixin, CreateView):
    """Create an outcome, recording who entered it."""

    pass


class OutcomeEditView(RecordedByMixin, EditView):
    """Edit an outcome; ``recorded_by`` stays the first editor."""

    pass


class OutcomeIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The outcomes listing; its CSV and XLSX exports never start a cell with a formula."""


class OutcomeFilterSet(WagtailFilterSet):
    """Admin filters for outcomes: program (only those the user coordinates) and kind."""

    mentorship__program = ModelChoiceFilter(label=_("Program"), queryset=_coordinated_programs_for)
    kind = ChoiceFilter(label=_("Outcome"), choices=Outcome.Kind.choices)

    class Meta:
        model = Outcome
        fields = ["mentorship__program", "kind"]


class OutcomeViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Coordinators record outcomes (promotion, retention...) for their programs' mentorships; superusers
    also for a person outside any pairing (``Outcome.user``)."""

    model = Outcome
    icon = "success"
    menu_label = _("Outcomes")
    menu_name = "mentoring-outcomes"
    menu_order = 230
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/outcomes"
    index_view_class = OutcomeIndexView
    add_view_class = OutcomeCreateView
    edit_view_class = OutcomeEditView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_select_related = ("mentorship__mentor", "mentorship__mentee", "mentorship__program", "recorded_by")
    list_display = ["mentorship", "user", "kind", "date", "recorded_by"]
    filterset_class = OutcomeFilterSet
    search_fields = [
        "mentorship__mentee__username",
        "mentorship__mentee__first_name",
        "mentorship__mentee__last_name",
        "user__username",
        "user__first_name",
        "user__last_name",
        "note",
    ]
    search_backend_name = None
    ordering = ["-date", "-pk"]
    list_export = ["mentorship", "user", "kind", "date", "note", "recorded_by"]
    export_headings = {
        "mentorship": _("Mentorship"),
        "user": _("Person"),
        "kind": _("Outcome"),
        "recorded_by": _("Recorded by"),
    }
    export_filename = "outcomes"
    inspect_view_fields = ["mentorship", "user", "kind", "date", "note", "recorded_by"]
    panels = [FieldPanel("mentorship"), FieldPanel("user"), FieldPanel("kind"), FieldPanel("date"), FieldPanel("note")]

    def get_form_class(self, for_update=False):
        """The outcome form (pairings limited to those the user coordinates; a person only for superusers)."""
        return forms.modelform_factory(Outcome, form=OutcomeForm, fields=["mentorship", "user", "kind", "date", "note"])
