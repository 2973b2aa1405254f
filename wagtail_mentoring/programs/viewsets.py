"""Admin viewsets for coordinators: enrolment review and the mentorship listing (their programs only)."""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import MenuItem
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from wagtail_mentoring.access.choosers import ScopedSnippetChooserViewSet
from wagtail_mentoring.access.querysets import coordinated_programs, get_visible_or_404
from wagtail_mentoring.compat import PermissionPolicyViewSetMixin
from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.programs.permissions import coordinated_enrolments, coordinated_mentorships


def _coordinated_programs_for(request):
    return coordinated_programs(request.user).order_by("title") if request else coordinated_programs(None)


class ScopedViewSetMixin(PermissionPolicyViewSetMixin):
    """Every view that takes a ``pk`` answers 404 for objects outside the user's scope."""

    scope = None  # a function user -> queryset
    chooser_viewset_class = ScopedSnippetChooserViewSet

    def get_queryset(self, request):
        return type(self).scope(request.user).select_related(*self.list_select_related)

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "pk" in pattern.pattern.converters:
                pattern.callback = self._scoped(pattern.callback)
        return patterns

    def _scoped(self, view):
        scope = type(self).scope

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            get_visible_or_404(scope(request.user), pk=unquote(str(kwargs["pk"])))
            return view(request, *args, **kwargs)

        return wrapper


def status_buttons(view, instance, transitions: dict, action_names: dict) -> list:
    """Row menu items that open the matching bulk action's confirmation for this one object."""
    meta = instance._meta
    buttons = []
    for i, status in enumerate(transitions.get(instance.status, ())):
        action = action_names.get(status)
        if not action:
            continue
        url = reverse("wagtail_bulk_action", args=(meta.app_label, meta.model_name, action))
        buttons.append(
            MenuItem(
                ACTION_LABELS[action],
                url=f"{url}?{urlencode({'id': instance.pk, 'next': view.request.get_full_path()})}",
                icon_name="arrow-right",
                priority=40 + i,
            )
        )
    return buttons


ACTION_LABELS = {
    "enrolment_accept": _("Accept"),
    "enrolment_waitlist": _("Waitlist"),
    "enrolment_decline": _("Decline"),
    "enrolment_withdraw": _("Withdraw"),
    "mentorship_approve": _("Approve"),
    "mentorship_pause": _("Pause"),
    "mentorship_resume": _("Resume"),
    "mentorship_complete": _("Complete"),
    "mentorship_end": _("End"),
    "mentorship_reassign": _("Reassign"),
}


# --- enrolments --------------------------------------------------------------------------------------
class EnrolmentFilterSet(WagtailFilterSet):
    program = ModelChoiceFilter(label=_("Program"), queryset=_coordinated_programs_for)
    role = ChoiceFilter(label=_("Role"), choices=Enrolment.Role.choices)
    status = ChoiceFilter(label=_("Status"), choices=Enrolment.Status.choices)

    class Meta:
        model = Enrolment
        fields = ["program", "role", "status"]


class EnrolmentAdminForm(WagtailAdminModelForm):
    """Status changes follow the review rules of ``services.review_enrolment``."""

    def clean_status(self):
        new = self.cleaned_data["status"]
        old = self.instance.status
        if new != old and new not in services.ENROLMENT_TRANSITIONS.get(old, set()):
            raise ValidationError(_("An enrolment cannot move from this status to that one."))
        return new


class EnrolmentEditView(EditView):
    def save_instance(self):
        status = self.form.cleaned_data["status"]
        original = Enrolment.objects.get(pk=self.object.pk).status
        instance = self.form.save(commit=False)
        instance.status = original
        instance.save()
        if status != original:
            services.review_enrolment(instance, status, by=self.request.user)
        return instance


ENROLMENT_ACTIONS = {
    "accepted": "enrolment_accept",
    "waitlisted": "enrolment_waitlist",
    "declined": "enrolment_decline",
    "withdrawn": "enrolment_withdraw",
}


class EnrolmentIndexView(SafeSpreadsheetExportMixin, IndexView):
    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + status_buttons(
            self, instance, services.ENROLMENT_TRANSITIONS, ENROLMENT_ACTIONS
        )


class EnrolmentViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Coordinators review their programs' enrolments: filter, search, export, accept or decline."""

    model = Enrolment
    scope = staticmethod(coordinated_enrolments)
    icon = "user"
    menu_label = _("Enrolments")
    menu_name = "mentoring-enrolments"
    menu_order = 200
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/enrolments"
    index_view_class = EnrolmentIndexView
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
        "created_at",
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
        return forms.modelform_factory(Enrolment, form=EnrolmentAdminForm, fields=["status", "capacity"])


# --- mentorships --------------------------------------------------------------------------------------
class MentorshipFilterSet(WagtailFilterSet):
    program = ModelChoiceFilter(label=_("Program"), queryset=_coordinated_programs_for)
    status = ChoiceFilter(label=_("Status"), choices=Mentorship.Status.choices)

    class Meta:
        model = Mentorship
        fields = ["program", "status"]


MENTORSHIP_TRANSITIONS = {
    "proposed": ("active",),
    "active": ("paused", "completed", "ended", "reassigned"),
    "paused": ("resumed", "completed", "ended", "reassigned"),
}
MENTORSHIP_ACTIONS = {
    "active": "mentorship_approve",
    "paused": "mentorship_pause",
    "resumed": "mentorship_resume",
    "completed": "mentorship_complete",
    "ended": "mentorship_end",
    "reassigned": "mentorship_reassign",
}


class MentorshipIndexView(SafeSpreadsheetExportMixin, IndexView):
    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + status_buttons(
            self, instance, MENTORSHIP_TRANSITIONS, MENTORSHIP_ACTIONS
        )


class MentorshipViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Coordinators follow their programs' pairings and move them through the lifecycle."""

    model = Mentorship
    scope = staticmethod(coordinated_mentorships)
    icon = "group"
    menu_label = _("Mentorships")
    menu_name = "mentoring-mentorships"
    menu_order = 210
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    url_prefix = "mentoring/mentorships"
    index_view_class = MentorshipIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_select_related = ("mentor", "mentee", "program")
    list_display = ["__str__", "program", "status", "match_score", "started_on", "ended_on"]
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
