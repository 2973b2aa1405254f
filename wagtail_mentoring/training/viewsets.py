"""Admin viewsets of the training feature: learning paths and training events (snippets)."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CopyView, IndexView, SnippetViewSet

from wagtail_mentoring.exports import SafeSpreadsheetExportMixin
from wagtail_mentoring.menu import MENTORING_MENU_HOOK
from wagtail_mentoring.training.models import LearningPath, TrainingEvent


class GetOnlyCopyView(CopyView):
    """Wagtail's snippet copy form, GET only: the form posts to the add view.

    Wagtail's copy view binds a POST to the original object, so a crafted POST to the copy URL would
    overwrite the original with only the "add" permission; here it answers 405 instead.
    """

    http_method_names = ["get", "head", "options"]


class LearningPathIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The admin listing of learning paths, with the number of steps and a safe spreadsheet export."""

    def get_base_queryset(self):
        """Annotate ``step_count`` for the listing column (one query for the page)."""
        return super().get_base_queryset().annotate(step_count=Count("items"))


class LearningPathViewSet(SnippetViewSet):
    """Learning paths in the Mentoring menu."""

    model = LearningPath
    icon = "list-ol"
    menu_label = _("Learning paths")
    menu_order = 300
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    index_view_class = LearningPathIndexView
    copy_view_class = GetOnlyCopyView
    list_display = ["title", "audience", Column("step_count", label=_("Steps"))]
    list_filter = ["audience"]
    search_fields = ["title", "description"]
    list_export = ["title", "audience", "description"]


class TrainingEventIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The admin listing of training events, with places taken and a safe spreadsheet export."""

    def get_base_queryset(self):
        """Annotate ``taken``: the number of registrations."""
        return super().get_base_queryset().annotate(taken=Count("registrations"))


class TrainingEventViewSet(SnippetViewSet):
    """Training events in the Mentoring menu, with places taken."""

    model = TrainingEvent
    icon = "date"
    menu_label = _("Training events")
    menu_order = 310
    add_to_admin_menu = True
    menu_hook = MENTORING_MENU_HOOK
    index_view_class = TrainingEventIndexView
    copy_view_class = GetOnlyCopyView
    list_display = ["title", "start", "end", "location", "capacity", Column("taken", label=_("Places taken"))]
    list_filter = ["audience", "start"]
    search_fields = ["title", "description", "location"]
    list_export = ["title", "start", "end", "location", "online_url", "capacity", "taken", "audience"]
    ordering = ["-start"]
