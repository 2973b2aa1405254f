"""Front-end views of the training library: listing, completion, my learning, events and calendars."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.query import prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from wagtail_mentoring.access.querysets import get_visible_or_404, is_active_user, visible_training_resources
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.training import services
from wagtail_mentoring.training.filters import TrainingResourceFilterSet
from wagtail_mentoring.training.ical import build_calendar
from wagtail_mentoring.training.models import (
    LearningPath,
    LearningPathItem,
    TrainingCompletion,
    TrainingEvent,
    TrainingRegistration,
    TrainingResourcePage,
)
from wagtail_mentoring.training.progress import paths_progress
from wagtail_mentoring.training.tokens import calendar_token, user_for_calendar_token


def page_size(request) -> int:
    """The requested page size (``?page_size=``), bounded by the MAX_PAGE_SIZE setting."""
    try:
        size = int(request.GET.get("page_size", mentoring_settings.PAGE_SIZE))
    except (TypeError, ValueError):
        size = mentoring_settings.PAGE_SIZE
    return max(1, min(size, mentoring_settings.MAX_PAGE_SIZE))


# --- library page ----------------------------------------------------------------------------------
def library_context(library, request) -> dict:
    """Context of a TrainingLibraryPage: the filter form and one page of visible, filtered resources.

    Privacy: only resources the requester may view are listed. The search runs through Wagtail
    search over the filtered set. The number of queries does not depend on the number of resources.
    """
    resources = visible_training_resources(request).child_of(library)
    filterset = TrainingResourceFilterSet(request.GET or None, queryset=resources, request=request)
    query = ""
    if not filterset.is_bound:
        results = resources.order_by("title")
    elif not filterset.is_valid():
        results = resources.none()
    else:
        query = (filterset.form.cleaned_data.get("q") or "").strip()
        results = filterset.qs
        if query:
            # Wagtail search filters on indexed FilterFields only: narrow by id to the filtered set.
            results = TrainingResourcePage.objects.filter(pk__in=results.values("pk")).search(query)
        else:
            results = results.order_by("title")
    paginator = Paginator(results, page_size(request))
    page_obj = paginator.get_page(request.GET.get("page"))
    items = list(page_obj.object_list)
    prefetch_related_objects(items, "topics")
    done_ids: set[int] = set()
    if is_active_user(request.user) and items:
        done_ids = set(
            TrainingCompletion.objects.filter(user=request.user, resource__in=[r.pk for r in items]).values_list(
                "resource_id", flat=True
            )
        )
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return {
        "filter_form": filterset.form,
        "search_query": query,
        "resources": items,
        "page_obj": page_obj,
        "paginator": paginator,
        "done_ids": done_ids,
        "query_string": query_string.urlencode(),
    }


# --- resource page ---------------------------------------------------------------------------------
def resource_context(resource, request) -> dict:
    """Context of a TrainingResourcePage: completion state, paths through it, upcoming events."""
    context: dict = {"completed": False, "path_progress": [], "upcoming_events": [], "visible_ids": set()}
    user = request.user
    if is_active_user(user):
        context["completed"] = TrainingCompletion.objects.filter(user=user, resource=resource).exists()
        paths = LearningPath.objects.filter(pk__in=LearningPathItem.objects.filter(resource=resource).values("path_id"))
        context["path_progress"] = paths_progress(user, paths)
        if context["path_progress"]:
            context["visible_ids"] = set(visible_training_resources(request).values_list("pk", flat=True))
        context["upcoming_events"] = list(
            TrainingEvent.objects.filter(resource=resource, end__gte=timezone.now()).annotate(
                taken=Count("registrations")
            )
        )
    return context


class ResourceCompletionView(LoginRequiredMixin, View):
    """Mark a visible resource done (``done=True``) or not done; POST only, redirects back."""

    http_method_names = ["post"]
    done = True

    def post(self, request, pk: int):
        """Mark the resource done or not done (404 if the user may not see it) and go back to ``next`` or the
        resource."""
        resource = get_visible_or_404(visible_training_resources(request), pk=pk)
        if self.done:
            services.mark_complete(request.user, resource)
            messages.success(request, _("“%(title)s” marked as done.") % {"title": resource.title})
        else:
            services.mark_incomplete(request.user, resource)
            messages.info(request, _("“%(title)s” marked as not done.") % {"title": resource.title})
        return HttpResponseRedirect(_safe_next(request, resource.get_url(request) or "/"))


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class MyLearningView(LoginRequiredMixin, TemplateView):
    """The user's progress through every learning path, their completions and their registrations."""

    template_name = "wagtail_mentoring/training/my_learning.html"

    def get_context_data(self, **kwargs):
        """Add the user's learning paths with progress, recent completions, upcoming registrations and feed URL.

        Completions are limited to resources the user may still see, at most ``MAX_PAGE_SIZE`` of them.
        """
        context = super().get_context_data(**kwargs)
        user = self.request.user
        visible_ids = set(visible_training_resources(self.request).values_list("pk", flat=True))
        context["path_progress"] = paths_progress(user, LearningPath.objects.all())
        context["visible_ids"] = visible_ids
        context["completions"] = list(
            TrainingCompletion.objects.filter(user=user, resource_id__in=visible_ids)
            .select_related("resource")
            .order_by("-completed_at")[: mentoring_settings.MAX_PAGE_SIZE]
        )
        context["registrations"] = list(
            TrainingRegistration.objects.filter(user=user, event__end__gte=timezone.now())
            .select_related("event")
            .order_by("event__start")
        )
        context["feed_url"] = self.request.build_absolute_uri(
            reverse("wagtail_mentoring:training:calendar_feed", args=[calendar_token(user)])
        )
        return context


# --- events ----------------------------------------------------------------------------------------
def events_queryset(user) -> QuerySet:
    """Training events with ``taken`` (places taken) and ``registered`` (by ``user``) annotations."""
    return TrainingEvent.objects.annotate(
        taken=Count("registrations"),
        registered=Exists(TrainingRegistration.objects.filter(event=OuterRef("pk"), user=user)),
    ).select_related("resource")


class EventListView(LoginRequiredMixin, ListView):
    """Upcoming training events, with places left and the user's registrations."""

    template_name = "wagtail_mentoring/training/event_list.html"
    context_object_name = "events"

    def get_paginate_by(self, queryset):
        """The requested page size, bounded by the ``MAX_PAGE_SIZE`` setting (``page_size``)."""
        return page_size(self.request)

    def get_queryset(self):
        """Events not yet over, soonest first, with places taken and whether the user is registered."""
        return events_queryset(self.request.user).filter(end__gte=timezone.now()).order_by("start", "pk")


class EventDetailView(LoginRequiredMixin, DetailView):
    """One training event: when, where, places left, and register / cancel."""

    template_name = "wagtail_mentoring/training/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        """Every event, with places taken and whether the user is registered."""
        return events_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        """Add whether the event's linked resource is one the user may see (the link is hidden otherwise)."""
        context = super().get_context_data(**kwargs)
        event = self.object
        context["resource_visible"] = bool(
            event.resource_id and visible_training_resources(self.request).filter(pk=event.resource_id).exists()
        )
        return context


class EventActionView(LoginRequiredMixin, View):
    """Register for (``action="register"``) or cancel (``action="cancel"``) a place; POST only."""

    http_method_names = ["post"]
    action = "register"

    def post(self, request, pk: int):
        """Register (capacity checked under a lock by ``services.register``) or cancel, then go back with a message."""
        event = get_object_or_404(TrainingEvent, pk=pk)
        detail = reverse("wagtail_mentoring:training:event_detail", args=[event.pk])
        if self.action == "register":
            try:
                services.register(event, request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("You are registered for “%(title)s”.") % {"title": event.title})
        elif services.cancel_registration(event, request.user):
            messages.success(request, _("Your place at “%(title)s” is cancelled.") % {"title": event.title})
        else:
            messages.info(request, _("You were not registered for this event."))
        return HttpResponseRedirect(_safe_next(request, detail))


def _ics_response(request, events, name: str, filename: str) -> HttpResponse:
    urls = {
        e.pk: request.build_absolute_uri(reverse("wagtail_mentoring:training:event_detail", args=[e.pk]))
        for e in events
    }
    body = build_calendar(events, domain=request.get_host().split(":")[0], name=name, urls=urls)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class EventICalView(LoginRequiredMixin, View):
    """One event as an ``.ics`` download."""

    def get(self, request, pk: int):
        """The event as an ``.ics`` file."""
        event = get_object_or_404(TrainingEvent, pk=pk)
        return _ics_response(request, [event], event.title, f"training-event-{event.pk}.ics")


def _registered_events(user) -> list[TrainingEvent]:
    return list(TrainingEvent.objects.filter(registrations__user=user).order_by("start", "pk"))


class MyCalendarView(LoginRequiredMixin, View):
    """The logged-in user's registrations as an ``.ics`` download."""

    def get(self, request):
        """The user's registered events as one ``.ics`` file."""
        return _ics_response(
            request, _registered_events(request.user), _("My training events"), "my-training-events.ics"
        )


class CalendarFeedView(View):
    """The same feed behind a secret per-user token, for calendar apps that cannot log in."""

    def get(self, request, token: str):
        """The token's owner's registered events as ``.ics``; an unknown or outdated token is a 404."""
        user = user_for_calendar_token(token)
        if user is None:
            raise Http404
        return _ics_response(request, _registered_events(user), _("My training events"), "my-training-events.ics")
