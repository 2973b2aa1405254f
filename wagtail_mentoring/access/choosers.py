"""Snippet choosers that list and resolve only the objects the user may see (404 for the others)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from wagtail.snippets.views import chooser


def _scoped(view, queryset: QuerySet) -> QuerySet:
    """``queryset`` limited to the model's snippet viewset's ``get_queryset`` (unchanged without a viewset)."""
    viewset = getattr(view.model_class, "snippet_viewset", None)
    scoped = viewset.get_queryset(view.request) if viewset is not None else None
    return queryset if scoped is None else queryset.filter(pk__in=scoped.values("pk"))


class ScopedChooseView(chooser.ChooseView):
    """The chooser modal's first page, listing only the snippets the user may see."""

    def get_object_list(self):
        """Wagtail's chooser list, limited to the snippet viewset's scope."""
        return _scoped(self, super().get_object_list())


class ScopedChooseResultsView(chooser.ChooseResultsView):
    """The chooser's search and pagination results, listing only the snippets the user may see."""

    def get_object_list(self):
        """Wagtail's chooser results, limited to the snippet viewset's scope."""
        return _scoped(self, super().get_object_list())


class ScopedChosenView(chooser.SnippetChosenView):
    """Resolves one chosen snippet; a hidden or malformed pk is answered like a missing one (404)."""

    def get_object(self, pk):
        """The snippet ``pk`` if the user may see it; ``ObjectDoesNotExist`` (Wagtail's 404) otherwise."""
        if not str(pk).isdigit():
            raise ObjectDoesNotExist
        obj = _scoped(self, self.model_class.objects.filter(pk=pk)).first()
        if obj is None:
            raise ObjectDoesNotExist
        return obj


class ScopedChosenMultipleView(chooser.SnippetChosenMultipleView):
    """Resolves several chosen snippets; hidden and malformed pks are silently left out."""

    def get_objects(self, pks):
        """The snippets among ``pks`` that the user may see (non-numeric pks dropped before the query)."""
        return _scoped(self, super().get_objects([pk for pk in pks if str(pk).isdigit()]))


class ScopedSnippetChooserViewSet(chooser.SnippetChooserViewSet):
    """A snippet chooser restricted to the snippet viewset's ``get_queryset`` (the access layer's scope)."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
