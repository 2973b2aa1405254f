"""Choosers that list and resolve only the objects the user may see (404 for the others): snippets, and people
(:class:`PersonChooserViewSet`)."""

from __future__ import annotations

import functools
import operator

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.db.models.query import EmptyQuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as generic_chooser
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.snippets.views import chooser

from wagtail_mentoring.people import display_name


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


# --- people -------------------------------------------------------------------------------------------
class PersonSearchForm(BaseFilterForm):
    """The person chooser's search: a part of the username, first or last name, or e-mail address."""

    q = forms.CharField(
        label=_("Search term"),
        widget=forms.TextInput(attrs={"placeholder": _("Name, username or e-mail")}),
        required=False,
        max_length=150,
    )

    def filter(self, objects: QuerySet) -> QuerySet:
        """``objects`` whose username, name or e-mail contains each word of the search term."""
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        model = objects.model
        names = [model.USERNAME_FIELD] + [
            name
            for name in ("first_name", "last_name", "email")
            if name != model.USERNAME_FIELD and _has_field(model, name)
        ]
        for word in query.split():
            objects = objects.filter(functools.reduce(operator.or_, (Q(**{f"{n}__icontains": word}) for n in names)))
        return objects


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


class PersonScopeMixin:
    """The people a chooser offers: its viewset's ``people(user)`` (an ``access`` queryset). A user to whom it
    offers nobody gets a 404 for every view of the chooser, so its URLs do not reveal who has an account."""

    people = None

    def dispatch(self, request, *args, **kwargs):
        """404 unless the chooser offers the user someone to choose (``people`` not empty by rule)."""
        self.scope = self.people(request.user)
        if isinstance(self.scope, EmptyQuerySet):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self) -> QuerySet:
        """The people in scope, by last name, first name and id."""
        ordering = [name for name in ("last_name", "first_name") if _has_field(self.scope.model, name)]
        return self.scope.order_by(*ordering, "pk")

    def get_display_title(self, instance) -> str:
        """The person's full name (``people.display_name``), not their username."""
        return display_name(instance)


class PersonListingMixin(PersonScopeMixin):
    """The chooser's listing: name (the link that chooses) and username, searchable by :class:`PersonSearchForm`."""

    filter_form_class = PersonSearchForm

    @property
    def columns(self) -> list[Column]:
        """Name, then username."""
        title = self.title_column
        title.accessor, title.label = display_name, _("Name")
        return [title, Column("username", label=_("Username"), accessor=lambda user: user.get_username())]


class PersonChooseView(PersonListingMixin, generic_chooser.ChooseView):
    """The person chooser's modal."""


class PersonChooseResultsView(PersonListingMixin, generic_chooser.ChooseResultsView):
    """The person chooser's search and pagination results."""


class PersonChosenView(PersonScopeMixin, generic_chooser.ChosenView):
    """Resolves one chosen person: someone outside the scope, or a malformed id, is a 404."""

    def get_object(self, pk):
        """The person ``pk`` if in scope; ``ObjectDoesNotExist`` (a 404) otherwise."""
        if not str(pk).isdigit():
            raise ObjectDoesNotExist
        return self.scope.get(pk=pk)


class PersonChooserWidget(BaseChooser):
    """The chosen person shown by full name."""

    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    link_to_chosen_text = _("Edit this person")
    show_edit_link = False

    def get_display_title(self, instance) -> str:
        """The person's full name (``people.display_name``)."""
        return display_name(instance)


class PersonChooserViewSet(ChooserViewSet):
    """A chooser of people limited by an ``access`` rule (``people``), with search by name, username or e-mail.

    It never replaces the widget of other user fields (``register_widget = False``): a form opts in with
    ``widget=viewset.widget_class()``.

    Example:
        >>> outcome_person_chooser = PersonChooserViewSet(
        ...     "wagtail_mentoring_outcome_person_chooser", people=person_outcome_subjects
        ... )
    """

    model = settings.AUTH_USER_MODEL
    icon = "user"
    register_widget = False
    base_widget_class = PersonChooserWidget
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    per_page = 20
    people = None

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people or self.people

    def _view(self, view_class):
        return type(view_class.__name__, (view_class,), {"people": staticmethod(self.people)})

    @property
    def choose_view_class(self):
        """The modal, scoped to ``people``."""
        return self._view(PersonChooseView)

    @property
    def choose_results_view_class(self):
        """The results, scoped to ``people``."""
        return self._view(PersonChooseResultsView)

    @property
    def chosen_view_class(self):
        """The choice, scoped to ``people``."""
        return self._view(PersonChosenView)
