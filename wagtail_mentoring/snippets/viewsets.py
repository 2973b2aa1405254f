"""Snippet viewsets for OKRs: cycles, objectives (with key results and initiatives inline), check-ins and
objective templates."""

from __future__ import annotations

from django import forms
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from wagtail_mentoring.access.viewsets import HiddenReferencesViewSetMixin, ScopedViewSetMixin
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.snippets import views
from wagtail_mentoring.snippets.filters import CheckInFilterSet, ObjectiveFilterSet, ObjectiveTemplateFilterSet
from wagtail_mentoring.snippets.forms import CheckInAdminForm, ObjectiveAdminForm, ObjectiveTemplateAdminForm
from wagtail_mentoring.snippets.library import ObjectiveTemplate
from wagtail_mentoring.snippets.models import CheckIn, Objective, OKRCycle
from wagtail_mentoring.snippets.panels import ChildObjectivesPanel, KeyResultsInlinePanel, RealignmentsPanel, SmartPanel


class OKRCycleViewSet(HiddenReferencesViewSetMixin, SnippetViewSet):
    """OKR cycles (time boxes); managed with ordinary model permissions (they hold no private data)."""

    model = OKRCycle
    icon = "date"
    menu_label = _("OKR cycles")
    menu_name = "okr-cycles"
    menu_order = 310
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    list_display = ["name", "start_date", "end_date", "program"]
    list_filter = ["program"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("program"),
    ]


class ObjectiveViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Objectives: listing with progress, health and grade; inline key results and initiatives; revisions."""

    model = Objective
    icon = "crosshairs"
    menu_label = _("Objectives")
    menu_name = "objectives"
    menu_order = 300
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ObjectiveFilterSet
    list_per_page = 50
    ordering = ["due_date", "title", "pk"]

    index_view_class = views.ObjectiveIndexView
    inspect_view_class = views.ObjectiveInspectView
    add_view_class = views.ObjectiveCreateView
    edit_view_class = views.ObjectiveEditView

    list_display = [
        "title",
        views.PersonColumn("owner", label=_("Owner")),
        Column("cycle", label=_("Cycle")),
        Column("get_status_display", label=_("Status"), sort_key="status"),
        views.ProgressColumn("progress", label=_("Progress")),
        views.HealthColumn("health", label=_("Health")),
        views.GradeColumn("grade", label=_("Grade")),
        DateColumn("effective_due", label=_("Due"), sort_key="effective_due_on"),
    ]
    list_export = [
        "title",
        "owner",
        "cycle",
        "get_status_display",
        "get_category_display",
        "get_level_display",
        "start_date",
        "due_date",
        "progress_percent",
        "health_label",
        "grade_value",
        "grade_band",
    ]
    export_headings = {
        "get_status_display": _("Status"),
        "get_category_display": _("Category"),
        "get_level_display": _("Level"),
        "progress_percent": _("Progress (%)"),
        "health_label": _("Health"),
        "grade_value": _("Grade"),
        "grade_band": _("Grade band"),
    }
    export_filename = "objectives"

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    SmartPanel(heading=_("SMART check")),
                    FieldPanel("title"),
                    FieldPanel("description"),
                    FieldRowPanel([FieldPanel("category"), FieldPanel("level"), FieldPanel("status")]),
                    FieldPanel("owner", widget=forms.Select),
                    MultiFieldPanel(
                        [
                            FieldPanel("mentorship", widget=forms.Select),
                            FieldPanel("program", widget=forms.Select),
                            FieldPanel("parent", widget=forms.Select),
                        ],
                        heading=_("Pairing and alignment"),
                    ),
                    FieldRowPanel(
                        [FieldPanel("cycle", widget=forms.Select), FieldPanel("start_date"), FieldPanel("due_date")]
                    ),
                    ChildObjectivesPanel(heading=_("Aligned child objectives")),
                ],
                heading=_("Objective"),
            ),
            ObjectList(
                [
                    KeyResultsInlinePanel(
                        "key_results",
                        heading=_("Key results"),
                        label=_("Key result"),
                        panels=[
                            FieldPanel("title"),
                            FieldRowPanel([FieldPanel("kind"), FieldPanel("unit"), FieldPanel("weight")]),
                            FieldRowPanel([FieldPanel("start_value"), FieldPanel("target_value")]),
                            FieldRowPanel([FieldPanel("due_date"), FieldPanel("confidence")]),
                            FieldPanel("owner", widget=forms.Select),
                        ],
                    ),
                    RealignmentsPanel(heading=_("Reviews and realignments")),
                ],
                heading=_("Key results"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "initiatives",
                        heading=_("Action plan"),
                        label=_("Initiative"),
                        panels=[
                            FieldPanel("title"),
                            FieldRowPanel([FieldPanel("done"), FieldPanel("due_date")]),
                            FieldPanel("assignee", widget=forms.Select),
                        ],
                    )
                ],
                heading=_("Action plan"),
            ),
        ],
        base_form_class=ObjectiveAdminForm,
    )

    def get_listing_queryset(self, queryset):
        """Owner, cycle, program, parent and key results loaded up front (``views.objective_listing_queryset``)."""
        return views.objective_listing_queryset(queryset)


class CheckInViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Check-ins: the history of key results. Add one to update a key result; they are never edited."""

    model = CheckIn
    icon = "tick"
    menu_label = _("Check-ins")
    menu_name = "check-ins"
    menu_order = 305
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = CheckInFilterSet
    search_fields = ["note", "key_result__title", "key_result__objective__title"]
    search_backend_name = None
    index_view_class = views.CheckInIndexView
    add_view_class = views.CheckInCreateView
    list_display = [
        Column("key_result", label=_("Key result")),
        Column("objective_title", label=_("Objective"), accessor="key_result.objective.title"),
        Column("value", label=_("Value")),
        Column("confidence", label=_("Confidence")),
        views.PersonColumn("author", label=_("Author")),
        DateColumn("created_at", label=_("Checked in"), sort_key="created_at"),
    ]
    list_export = ["key_result", "key_result.objective", "value", "confidence", "note", "author", "created_at"]
    export_headings = {"key_result.objective": _("Objective")}
    export_filename = "check-ins"
    edit_handler = ObjectList(
        [
            FieldPanel("key_result"),
            FieldRowPanel([FieldPanel("value"), FieldPanel("confidence")]),
            FieldPanel("note"),
        ],
        base_form_class=CheckInAdminForm,
    )

    def get_listing_queryset(self, queryset):
        """Each row's key result, objective and author in the listing's one query."""
        return queryset.select_related("key_result__objective", "author")


class ObjectiveTemplateViewSet(ScopedViewSetMixin, SnippetViewSet):
    """The objective template library: editors curate it (model permissions), coordinators read it; each
    template offers "Start from this template" (``views.StartFromTemplateView``). Policy: ``access.policies``."""

    model = ObjectiveTemplate
    icon = "doc-full"
    menu_label = _("Objective templates")
    menu_name = "objective-templates"
    menu_order = 302
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ObjectiveTemplateFilterSet
    list_per_page = 50
    ordering = ["title", "pk"]
    index_view_class = views.ObjectiveTemplateIndexView
    inspect_view_class = views.ObjectiveTemplateInspectView
    list_display = [
        "title",
        Column("get_category_display", label=_("Category"), sort_key="category"),
        Column("get_level_display", label=_("Level"), sort_key="level"),
        Column("program_names", label=_("Programs")),
        Column("key_result_count", label=_("Key results")),
        Column("locale", label=_("Language")),
    ]
    inspect_view_fields = ["title", "description", "category", "level", "programs", "locale"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("category"), FieldPanel("level")]),
            FieldPanel("programs", widget=forms.CheckboxSelectMultiple),
            KeyResultsInlinePanel(
                "key_results",
                heading=_("Suggested key results"),
                label=_("Suggested key result"),
                panels=[
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("unit")]),
                    FieldRowPanel([FieldPanel("start_value"), FieldPanel("target_value")]),
                ],
            ),
        ],
        base_form_class=ObjectiveTemplateAdminForm,
    )

    def get_listing_queryset(self, queryset):
        """Programs, locale and the key-result count in the listing's fixed number of queries."""
        return views.objective_template_listing_queryset(queryset)

    def get_urlpatterns(self):
        """Wagtail's snippet URLs plus ``use/<pk>/`` ("Start from this template")."""
        return [
            *super().get_urlpatterns(),
            path("use/<str:pk>/", self.construct_view(views.StartFromTemplateView), name="use"),
        ]
