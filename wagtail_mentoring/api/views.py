"""API views: thin DRF viewsets over access querysets, writing through the services.

Rules every viewset follows:

* ``get_queryset`` is an access queryset for ``request.user`` (never ``Model.objects.all()``), so
  lists hold only what the caller may see and the detail of anything else is a 404.
* Changing a visible object needs it to be in ``get_editable_queryset()`` (else 403).
* A parent the caller may not use is refused as a 400 field error identical to a missing id.
* Per-object facts (notes visibility, completion, registration) come from sets computed once per
  request, so a list costs the same number of queries for 5 rows or 50.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissions
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from wagtail_mentoring import models
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.api import filters, serializers
from wagtail_mentoring.api.exceptions import mentoring_exception_handler
from wagtail_mentoring.api.pagination import MentoringPagination
from wagtail_mentoring.api.parsers import BoundedJSONParser
from wagtail_mentoring.api.permissions import CanChangeObject, IsActiveUser, ReadAnyoneWriteActiveUser
from wagtail_mentoring.api.schema import MentoringAutoSchema
from wagtail_mentoring.api.throttling import MentoringRateThrottle
from wagtail_mentoring.inputs import parse_id
from wagtail_mentoring.notifications import invitations
from wagtail_mentoring.programs import lifecycle, selfmatch
from wagtail_mentoring.programs import services as program_services
from wagtail_mentoring.programs.proposals import suggested_mentors
from wagtail_mentoring.programs.selectors import (
    attach_activity,
    attach_journeys,
    free_slots,
    key_results_due,
    next_session,
    slots_with_booking,
)
from wagtail_mentoring.training.services import cancel_registration

ACTION_SUMMARIES = {
    "list": _("List the %(plural)s you may see"),
    "retrieve": _("Get one %(singular)s (404 when you may not see it)"),
    "create": _("Create a %(singular)s"),
    "update": _("Replace a %(singular)s"),
    "partial_update": _("Update a %(singular)s"),
    "destroy": _("Delete a %(singular)s"),
}


def describe(singular: str, plural: str, tag: str):
    """Class decorator giving every action a viewset has a summary and a tag in the schema."""
    names = {"singular": singular, "plural": plural}

    def decorator(cls):
        schemas = {
            action: extend_schema(summary=str(summary) % names, tags=[tag])
            for action, summary in ACTION_SUMMARIES.items()
            if hasattr(cls, action)
        }
        return extend_schema_view(**schemas)(cls)

    return decorator


class MentoringAPIMixin:
    """Authentication, permissions, pagination, filtering, throttling and error bodies for every view.

    Set on the views (not from ``REST_FRAMEWORK``), so the API behaves the same on any host.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    schema = MentoringAutoSchema()
    permission_classes = [IsActiveUser, CanChangeObject]
    throttle_classes = [MentoringRateThrottle]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    parser_classes = [BoundedJSONParser]

    def get_exception_handler(self):
        """``mentoring_exception_handler``: a service's ``ValidationError`` becomes a 400 with field errors."""
        return mentoring_exception_handler


class MentoringViewSet(MentoringAPIMixin, viewsets.GenericViewSet):
    """Base viewset: paginated, filterable and orderable lists."""

    pagination_class = MentoringPagination
    lookup_value_regex = "[^/]+"  # any id reaches the view, so a malformed one is the API's JSON 404
    filter_backends = [filters.MentoringFilterBackend, filters.StrictOrderingFilter]

    def get_object(self):
        """The object of the URL's id; a segment that is no id (``abc``, beyond the database's range) is a 404.

        (Django bounds an out-of-range id itself, but not through a page's parent link, ``page_ptr``.)
        """
        if parse_id(str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))) is None:
            raise NotFound
        return super().get_object()

    def get_editable_queryset(self):
        """The objects the caller may change (``CanChangeObject``); viewsets that allow changes override it."""
        raise NotImplementedError  # pragma: no cover - read-only viewsets never call it

    @property
    def user(self):
        """The requesting user."""
        return self.request.user


class ReadOnlyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MentoringViewSet):
    """List and retrieve."""


class CreateReadViewSet(mixins.CreateModelMixin, ReadOnlyViewSet):
    """List, retrieve and create (histories: check-ins, feedback)."""


class CreateReadDeleteViewSet(mixins.DestroyModelMixin, CreateReadViewSet):
    """List, retrieve, create and delete, no update (training completions and registrations)."""


class ReadUpdateViewSet(mixins.UpdateModelMixin, ReadOnlyViewSet):
    """List, retrieve and update, no delete (records whose lifecycle the services keep)."""


class FullViewSet(mixins.UpdateModelMixin, mixins.DestroyModelMixin, CreateReadViewSet):
    """Every action: list, retrieve, create, update and delete."""


# --- pages ---------------------------------------------------------------------------------------
@describe("program", "programs", "programs")
class ProgramViewSet(ReadOnlyViewSet):
    """Mentoring program pages: live, and only those whose page privacy the caller passes."""

    serializer_class = serializers.ProgramSerializer
    permission_classes = [ReadAnyoneWriteActiveUser]
    filterset_class = filters.ProgramFilter
    ordering_fields = ["title", "start_date", "end_date", "enrolment_deadline"]
    ordering = ["path"]

    def get_queryset(self):
        """Live program pages whose page privacy the caller passes (``access.visible_pages``)."""
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return models.MentoringProgramPage.objects.none()
        return serializers.visible_programs(self.user)


@describe("training resource", "training resources", "training")
class TrainingResourceViewSet(ReadOnlyViewSet):
    """Training resource pages (page privacy applies), with whether the caller completed each."""

    serializer_class = serializers.TrainingResourceSerializer
    permission_classes = [ReadAnyoneWriteActiveUser]
    filterset_class = filters.TrainingResourceFilter
    ordering_fields = ["title", "duration_minutes", "first_published_at"]
    ordering = ["path"]

    def get_queryset(self):
        """Live training resource pages whose page privacy the caller passes, with their topics."""
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user
            return models.TrainingResourcePage.objects.none()
        return access.visible_pages(self.user, models.TrainingResourcePage.objects.all()).prefetch_related(
            "tagged_topics__tag"
        )

    def get_serializer_context(self):
        """Adds ``completed_resource_ids``: the caller's completions, read once for the whole page."""
        context = super().get_serializer_context()
        context["completed_resource_ids"] = set(
            access.visible_completions(self.user).values_list("resource_id", flat=True)
        )
        return context


# --- enrolments and mentorships ------------------------------------------------------------------
@describe("enrolment", "enrolments", "programs")
class EnrolmentViewSet(mixins.CreateModelMixin, ReadUpdateViewSet):
    """Your enrolments, and every enrolment of the programs you coordinate.

    Applicants apply (``POST``), edit their answers and may withdraw (``status: withdrawn``);
    coordinators of the program set the review status. Nobody else may change an enrolment.
    """

    serializer_class = serializers.EnrolmentSerializer
    filterset_class = filters.EnrolmentFilter
    #: A status change the lifecycle refuses is a 409 (declared in the schema).
    has_lifecycle = True
    ordering_fields = ["created_at", "status", "role"]
    ordering = ["program_id", "role", "created_at", "pk"]

    def get_queryset(self):
        """The caller's enrolments and those of programs they coordinate (``access.visible_enrolments``)."""
        return access.visible_enrolments(self.user).select_related("user")

    def get_editable_queryset(self):
        """The same: which fields each may change is the serializer's ``get_fields`` (applicant or coordinator)."""
        return access.visible_enrolments(self.user)

    def get_serializer_context(self):
        """Adds ``coordinates_instance`` on updates: does the caller coordinate the enrolment's program?"""
        context = super().get_serializer_context()
        if self.action in ("update", "partial_update") and "pk" in self.kwargs:
            context["coordinates_instance"] = (
                access.coordinated_programs(self.user).filter(enrolments__pk=self.kwargs["pk"]).exists()
            )
        return context


@describe("mentorship", "mentorships", "mentorships")
class MentorshipViewSet(ReadUpdateViewSet):
    """Pairings you are part of or coordinate. The active pair edits its agreement; coordinators of
    the program move it through its lifecycle (approve, pause, resume, complete, end)."""

    serializer_class = serializers.MentorshipSerializer
    filterset_class = filters.MentorshipFilter
    ordering_fields = ["proposed_at", "started_on", "status"]
    ordering = ["program_id", "-proposed_at", "-pk"]

    #: Lifecycle actions, from the lifecycle table: only its actors (coordinators of the pairing's
    #: program) may run them; the pair gets 403, anyone else 404.
    LIFECYCLE_ACTIONS = tuple(t.action for t in lifecycle.transitions_for(models.Mentorship, api=True))

    def get_queryset(self):
        """Pairings the caller is part of or coordinates (``access.visible_mentorships``)."""
        return access.visible_mentorships(self.user).select_related("mentor", "mentee", "program")

    def paginate_queryset(self, queryset):
        """The page, with each pairing's activity (``stalled``, ``next_session_due``) in two queries."""
        page = super().paginate_queryset(queryset)
        return attach_activity(page) if page is not None else None

    def get_object(self):
        """The visible pairing (404 otherwise), with its activity attached (``programs.selectors``)."""
        return attach_activity([super().get_object()])[0]

    def get_editable_queryset(self):
        """For a lifecycle action, the pairings its transition's actors may move (``programs.lifecycle``);
        otherwise the caller's active pairings (``access.participating_mentorships``), whose agreement they edit."""
        if self.action in self.LIFECYCLE_ACTIONS:
            return lifecycle.transition_for(models.Mentorship, self.action).scope(self.user)
        return access.participating_mentorships(self.user)

    def run_transition(self, request, transition):
        """Resolve the visible mentorship (404), check the actor (403), validate, run the locked transition."""
        mentorship = self.get_object()
        data = {}
        input_serializer = transition_input_serializer(transition)
        if input_serializer is not None:
            serializer = input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        lifecycle.perform(transition, mentorship, by=request.user, **data)
        # The pairing as it is now, with its activity (``stalled``), as every other answer gives it.
        return Response(self.get_serializer(attach_activity([self.get_queryset().get(pk=mentorship.pk)])[0]).data)

    @extend_schema(
        summary=_("The pairing's journey: each step with its state, due date and completion"),
        tags=["mentorships"],
        responses=serializers.JourneySerializer,
    )
    @action(detail=True, methods=["get"], serializer_class=serializers.JourneySerializer)
    def journey(self, request, pk=None):
        """The journey of a visible pairing (``programs.selectors.attach_journeys``); 404 otherwise."""
        (mentorship,) = attach_journeys([self.get_object()], user=request.user)
        return Response(serializers.JourneySerializer(mentorship, context=self.get_serializer_context()).data)

    def _journey_step(self, request, step_id: str, service):
        """Resolve the visible pairing (404), check the caller is in the active pair (403), find the step (404),
        run ``service``, and answer with the step as it now is. The body is not used, but one that is no JSON is
        a 400 like anywhere else in the API (parsed once the pairing and the step are found, before any write)."""
        mentorship = self.get_object()
        if mentorship.program.journey_step(str(step_id)) is None:
            raise NotFound
        request.data  # noqa: B018 - parse (or refuse) the body before writing
        service(mentorship, str(step_id), request.user)
        (mentorship,) = attach_journeys([mentorship], user=request.user)
        row = next(row for row in mentorship.journey_rows if row.step.id == str(step_id))
        return Response(serializers.JourneyStepSerializer(row, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("Mark a step of the pairing's journey done (the active pair; idempotent)"),
        tags=["mentorships"],
        request=None,
        responses=serializers.JourneyStepSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"journey/(?P<step_id>[^/]+)/complete",
        url_name="journey-complete",
        serializer_class=serializers.JourneyStepSerializer,
    )
    def journey_complete(self, request, pk=None, step_id=None):
        """Mark the step done (``programs.services.complete_journey_step``)."""
        return self._journey_step(request, step_id, program_services.complete_journey_step)

    @extend_schema(
        summary=_("Take back a step of the pairing's journey marked done (the active pair; idempotent)"),
        tags=["mentorships"],
        request=None,
        responses=serializers.JourneyStepSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"journey/(?P<step_id>[^/]+)/undo",
        url_name="journey-undo",
        serializer_class=serializers.JourneyStepSerializer,
    )
    def journey_undo(self, request, pk=None, step_id=None):
        """Undo the step (``programs.services.undo_journey_step``)."""
        return self._journey_step(request, step_id, program_services.undo_journey_step)


def transition_input_serializer(transition):
    """The request body of a lifecycle action: its agreement, or its reason (optional or required)."""
    if transition.agreement:
        return serializers.MentorshipApproveSerializer
    if transition.reason == lifecycle.REASON_REQUIRED:
        return serializers.MentorshipEndSerializer
    if transition.reason == lifecycle.REASON_OPTIONAL:
        return serializers.MentorshipCloseSerializer
    return None


def lifecycle_action(transition):
    """The ``POST mentorships/{id}/<action>/`` view method of one API transition."""

    def run(self, request, pk=None):
        return self.run_transition(request, transition)

    run.__name__ = transition.action
    run.__doc__ = str(transition.summary)
    schema = extend_schema(
        summary=transition.summary,
        tags=["mentorships"],
        request=transition_input_serializer(transition),
        responses=serializers.MentorshipSerializer,
    )
    return schema(action(detail=True, methods=["post"])(run))


for _transition in lifecycle.transitions_for(models.Mentorship, api=True):
    setattr(MentorshipViewSet, _transition.action, lifecycle_action(_transition))


# --- OKRs ----------------------------------------------------------------------------------------
@describe("objective", "objectives", "okrs")
class ObjectiveViewSet(FullViewSet):
    """Objectives you own, of your pairings, and of programs you coordinate; with progress, grade and
    health. The owner (always the caller who created it) changes and deletes one; the pair's shared objective
    (pairing level, active pairing) is changed by both people of the pair, and deleted by its owner only."""

    serializer_class = serializers.ObjectiveSerializer
    filterset_class = filters.ObjectiveFilter
    ordering_fields = ["due_date", "title", "created_at", "updated_at", "status"]
    ordering = ["due_date", "title", "pk"]

    def get_queryset(self):
        """Objectives the caller may see (``access.visible_objectives``), key results prefetched in order."""
        return (
            access.visible_objectives(self.user)
            .select_related("owner", "cycle")
            .prefetch_related(Prefetch("key_results", queryset=models.KeyResult.objects.order_by("sort_order", "pk")))
        )

    def get_editable_queryset(self):
        """Objectives the caller may change (``access.editable_objectives``), or delete
        (``access.deletable_objectives``) for a ``DELETE``."""
        if self.request.method == "DELETE":
            return access.deletable_objectives(self.user)
        return access.editable_objectives(self.user)

    def get_serializer_context(self):
        """Adds ``today``, so every objective's health on the page is computed for the same date."""
        context = super().get_serializer_context()
        context["today"] = timezone.localdate()
        return context


@describe("objective template", "objective templates", "okrs")
class ObjectiveTemplateViewSet(FullViewSet):
    """The objective template library: templates of the programs you may see and those of every program.
    Editors (Wagtail model permissions) create, change and delete them; anyone who sees one may start a
    draft objective from it (``use``)."""

    serializer_class = serializers.ObjectiveTemplateSerializer
    filterset_class = filters.ObjectiveTemplateFilter
    ordering_fields = ["title", "category", "level", "updated_at"]
    ordering = ["title", "pk"]

    def get_permissions(self):
        """Reads and ``use`` for active users; writes also need the model permission (``DjangoModelPermissions``)."""
        if self.action == "use" or self.request.method in SAFE_METHODS:
            return [IsActiveUser()]
        return [IsActiveUser(), DjangoModelPermissions()]

    def get_queryset(self):
        """Templates the caller may see (``access.visible_objective_templates``), children prefetched in order."""
        return (
            access.visible_objective_templates(self.user)
            .select_related("locale")
            .prefetch_related("programs", "key_results")  # key results in their order (``Orderable``)
        )

    @extend_schema(
        summary=_("Start a draft objective from a template"),
        tags=["okrs"],
        request=serializers.UseObjectiveTemplateSerializer,
        responses={201: serializers.ObjectiveSerializer},
    )
    @action(detail=True, methods=["post"], serializer_class=serializers.UseObjectiveTemplateSerializer)
    def use(self, request, pk=None):
        """Create a draft objective (with the suggested key results) for the caller; 400 with field errors."""
        template = self.get_object()
        serializer = serializers.UseObjectiveTemplateSerializer(
            data=request.data, context={**self.get_serializer_context(), "template": template}
        )
        serializer.is_valid(raise_exception=True)
        objective = serializer.save()
        context = {**self.get_serializer_context(), "today": timezone.localdate()}
        return Response(serializers.ObjectiveSerializer(objective, context=context).data, status=201)


@describe("key result", "key results", "okrs")
class KeyResultViewSet(FullViewSet):
    """Key results of visible objectives. The objective's owner edits them; check-ins set their value."""

    serializer_class = serializers.KeyResultSerializer
    filterset_class = filters.KeyResultFilter
    ordering_fields = ["due_date", "title", "updated_at", "sort_order"]
    ordering = ["objective_id", "sort_order", "pk"]

    def get_queryset(self):
        """Key results of the objectives the caller may see (``access.visible_key_results``)."""
        return access.visible_key_results(self.user)

    def get_editable_queryset(self):
        """Key results of the objectives the caller may change (``access.editable_objectives``)."""
        return models.KeyResult.objects.filter(objective__in=access.editable_objectives(self.user).values("pk"))


@describe("check-in", "check-ins", "okrs")
class CheckInViewSet(CreateReadViewSet):
    """Check-in history of visible key results. Check in (``POST``) on your own key results or those
    of your active pairings; check-ins are history and are never changed."""

    serializer_class = serializers.CheckInSerializer
    filterset_class = filters.CheckInFilter
    ordering_fields = ["created_at", "value"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        """Check-ins on key results the caller may see (``access.visible_check_ins``)."""
        return access.visible_check_ins(self.user).select_related("author")


@describe("review and realignment", "reviews and realignments", "okrs")
class RealignmentViewSet(CreateReadViewSet):
    """Reviews of key results that were at risk, off track or missed, and how they were realigned (new target,
    new due date, what changes). Seen by whoever sees the key result; written (``POST``) by the people who may
    check in on it. History: never changed."""

    serializer_class = serializers.RealignmentSerializer
    filterset_class = filters.RealignmentFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        """Reviews of key results the caller may see (``access.visible_realignments``)."""
        return access.visible_realignments(self.user).select_related("author")


@describe("initiative", "initiatives", "okrs")
class InitiativeViewSet(FullViewSet):
    """The action plans of visible objectives; the objective's owner and, for an open objective of an active
    pairing, the pair keep them."""

    serializer_class = serializers.InitiativeSerializer
    filterset_class = filters.InitiativeFilter
    ordering_fields = ["due_date", "title", "sort_order"]
    ordering = ["objective_id", "sort_order", "pk"]

    def get_queryset(self):
        """Initiatives of the objectives the caller may see (``access.visible_initiatives``)."""
        return access.visible_initiatives(self.user).select_related("assignee")

    def get_editable_queryset(self):
        """Initiatives of the objectives whose plan the caller keeps (``access.plan_objectives``)."""
        return models.Initiative.objects.filter(objective__in=access.plan_objectives(self.user).values("pk"))


# --- sessions and feedback -----------------------------------------------------------------------
@describe("session", "sessions", "mentorships")
class SessionViewSet(FullViewSet):
    """Sessions of visible pairings. The active pair logs and edits them; private ``notes`` are only
    ever returned to the pair (coordinators see date, duration and format)."""

    serializer_class = serializers.SessionSerializer
    filterset_class = filters.SessionFilter
    ordering_fields = ["date", "duration_minutes"]
    ordering = ["-date", "-pk"]

    def get_queryset(self):
        """Sessions of the pairings the caller may see (``access.visible_sessions``)."""
        return access.visible_sessions(self.user).select_related("created_by")

    def paginate_queryset(self, queryset):
        """The page, with the key results discussed (one query) of the sessions whose words the caller reads:
        the others never show them (``access.readable_session_fields``)."""
        page = super().paginate_queryset(queryset)
        if page is not None:
            readable = [s for s in page if s.mentorship_id in self.notes_mentorship_ids]
            prefetch_related_objects(
                readable, Prefetch("key_results_discussed", queryset=models.KeyResult.objects.only("pk"))
            )
        return page

    @cached_property
    def notes_mentorship_ids(self) -> set[int]:
        """Pairings whose notes the caller may read (``access.notes_mentorship_ids``), once per request."""
        return access.notes_mentorship_ids(self.user)

    def get_editable_queryset(self):
        """Sessions of the caller's active pairings (``access.participating_mentorships``)."""
        return models.MentoringSession.objects.filter(
            mentorship__in=access.participating_mentorships(self.user).values("pk")
        )

    def get_serializer_context(self):
        """Adds ``notes_mentorship_ids``: pairings whose notes the caller may read (``access.notes_mentorships``),
        and ``record_only``: a list for someone who reads no pairing's notes shows every row's record only."""
        context = super().get_serializer_context()
        context["notes_mentorship_ids"] = self.notes_mentorship_ids
        context["record_only"] = (
            self.action == "list" and not self.notes_mentorship_ids and not getattr(self, "swagger_fake_view", False)
        )
        return context

    def _transition(self, request, status: str, body=None):
        """Resolve the visible session (404), check the caller may change it (403), run the transition
        (``programs.services.set_session_status``; a refused one is a 400 on ``status``)."""
        session = self.get_object()
        fields = {}
        if body is not None:
            serializer = body(data=request.data)
            serializer.is_valid(raise_exception=True)
            fields = serializer.validated_data
        program_services.set_session_status(session, status, request.user, **fields)
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(
        summary=_("Confirm a proposed session (the mentor): it is planned and both get an invitation"),
        tags=["mentorships"],
        request=None,
        responses=serializers.SessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a proposed session: it becomes planned, and both receive the calendar invitation."""
        return self._transition(request, models.MentoringSession.Status.PLANNED)

    @extend_schema(
        summary=_("Cancel (or decline) a proposed or planned session"),
        tags=["mentorships"],
        request=None,
        responses=serializers.SessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a planned session (both receive the cancellation) or decline a proposed one."""
        return self._transition(request, models.MentoringSession.Status.CANCELLED)

    @extend_schema(
        summary=_("Log a planned session as held, with its notes"),
        tags=["mentorships"],
        request=serializers.SessionHeldSerializer,
        responses=serializers.SessionSerializer,
    )
    @action(detail=True, methods=["post"])
    def held(self, request, pk=None):
        """Log a planned session as held once it has started, with its agenda, notes and next steps."""
        return self._transition(request, models.MentoringSession.Status.HELD, serializers.SessionHeldSerializer)

    @extend_schema(
        summary=_("The session's calendar entry (iCalendar), for the pair"),
        tags=["mentorships"],
        responses={(200, "text/calendar"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        """The session as an iCalendar file (``REQUEST``, or ``CANCEL`` once cancelled); 404 outside the pair."""
        if parse_id(str(pk)) is None:
            raise NotFound
        session = (
            access.visible_sessions(self.user)
            .filter(mentorship__in=access.notes_mentorships(self.user).values("pk"))
            .exclude(status=models.MentoringSession.Status.PROPOSED)
            .filter(pk=pk)
            .first()
        )
        if session is None:
            raise NotFound
        method = (
            invitations.CANCEL if session.status == models.MentoringSession.Status.CANCELLED else invitations.REQUEST
        )
        response = HttpResponse(
            invitations.session_calendar(session, method), content_type="text/calendar; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{invitations.FILENAME}"'
        return response


@describe("group", "groups", "mentorships")
class GroupViewSet(ReadOnlyViewSet):
    """Mentoring groups and peer circles you belong to, or of the programs you coordinate."""

    serializer_class = serializers.GroupSerializer
    filter_backends = [filters.StrictOrderingFilter]
    ordering_fields = ["name", "created_at"]
    ordering = ["name", "pk"]

    def get_queryset(self):
        """Groups the caller belongs to or coordinates (``access.visible_groups``), with their people."""
        return (
            access.visible_groups(self.user)
            .select_related("mentor")
            .prefetch_related(Prefetch("members", queryset=models.GroupMember.objects.select_related("user")))
        )


@describe("group session", "group sessions", "mentorships")
class GroupSessionViewSet(CreateReadViewSet):
    """Sessions of the groups you see. The group's people log them and read their words; coordinators see
    their date, duration and format only."""

    serializer_class = serializers.GroupSessionSerializer
    filter_backends = [filters.StrictOrderingFilter]
    ordering_fields = ["date"]
    ordering = ["-date", "-pk"]

    def get_queryset(self):
        """Sessions of the groups the caller sees (``access.visible_group_sessions``)."""
        return access.visible_group_sessions(self.user).select_related("created_by")

    def get_serializer_context(self):
        """The groups whose sessions' words the caller reads (``access.member_groups``), once per request."""
        context = super().get_serializer_context()
        if getattr(self, "user", None) is not None:
            context["word_group_ids"] = set(access.member_groups(self.user).values_list("pk", flat=True))
        return context


@describe("availability slot", "availability slots", "mentorships")
class AvailabilitySlotViewSet(CreateReadDeleteViewSet):
    """Times mentors offer for sessions. A mentor publishes and withdraws their own; the mentees of their
    active pairings see the free ones (and propose one through ``sessions/`` with ``slot``)."""

    serializer_class = serializers.AvailabilitySlotSerializer
    filterset_class = filters.AvailabilitySlotFilter
    ordering_fields = ["start"]
    ordering = ["start", "pk"]

    def get_queryset(self):
        """Your own slots, and the free future slots of your mentors (``access.visible_availability``)."""
        if not access.is_active_user(self.user):
            return models.AvailabilitySlot.objects.none()
        visible = access.visible_availability(self.user)
        offered = free_slots(visible.exclude(mentor=self.user)).values("pk")
        return slots_with_booking(visible.filter(Q(mentor=self.user) | Q(pk__in=offered)).select_related("mentor"))

    def get_editable_queryset(self):
        """Your own slots (``access.editable_availability``)."""
        return access.editable_availability(self.user)

    def perform_create(self, serializer):
        """Only a mentor of an active pairing publishes slots (``access.can_publish_availability``; else 403)."""
        if not access.can_publish_availability(self.user):
            raise PermissionDenied(_("Only mentors of an active pairing publish availability."))
        serializer.save()

    def perform_destroy(self, instance):
        """Withdraw through ``programs.services.remove_availability`` (a booked slot stays: 400)."""
        program_services.remove_availability(instance)


@describe("feedback entry", "feedback entries you wrote", "mentorships")
class FeedbackViewSet(CreateReadViewSet):
    """Feedback you wrote. Give it on a pairing you are part of or a program you enrolled in."""

    serializer_class = serializers.FeedbackSerializer
    filterset_class = filters.FeedbackFilter
    ordering_fields = ["created_at", "rating"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        """Feedback the caller wrote (``access.visible_feedback``)."""
        return access.visible_feedback(self.user)


@describe("skill rating", "skill ratings", "mentorships")
class SkillRatingViewSet(CreateReadViewSet):
    """Skill ratings: yours (given or about you), your mentees' as their mentor, and, for coordinators, their
    programs'. Rate yourself once your enrolment is accepted (``start``) and when your pairing has closed
    (``closing``); as a mentor, rate your mentee at closing."""

    serializer_class = serializers.SkillRatingSerializer
    filterset_class = filters.SkillRatingFilter
    ordering_fields = ["created_at", "level"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        """Ratings the caller may read (``access.visible_skill_ratings``)."""
        return access.visible_skill_ratings(self.user).select_related("skill")


# --- self-match ----------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary=_("Mentors the matching engine suggests to you (self-match programs where you are a mentee)"),
        tags=["mentorships"],
    )
)
class MentorSuggestionViewSet(mixins.ListModelMixin, MentoringViewSet):
    """Your suggested mentors, per self-match program where you are an accepted, unmatched mentee: the
    coordinators' matching engine (scores, hard rules, capacity, reasons). Anyone else gets an empty list.
    ``?program=<id>`` keeps one program."""

    serializer_class = serializers.MentorSuggestionSerializer
    filter_backends: list = []

    def get_queryset(self):
        """The caller's self-match programs (``access.self_match_programs``)."""
        programs = access.self_match_programs(self.user).order_by("pk")
        wanted = self.request.query_params.get("program")
        if wanted is not None:
            pk = parse_id(wanted)
            programs = programs.filter(pk=pk) if pk is not None else programs.none()
        return programs

    def list(self, request, *args, **kwargs):
        """The suggestions of each program (``proposals.suggested_mentors``), best first, paginated."""
        rows = []
        for program in self.get_queryset():
            for suggestion in suggested_mentors(program, self.user):
                suggestion.program_id = program.pk
                rows.append(suggestion)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@describe("mentorship request", "mentorship requests you made or received", "mentorships")
class MentorshipRequestViewSet(CreateReadViewSet):
    """Self-match requests: yours as mentee, and those asking you to mentor. ``POST`` requests a suggested
    mentor; the mentor ``accept``s (the pairing starts through the lifecycle) or ``decline``s, the mentee
    ``withdraw``s. A status that does not allow the action is a 409 ``invalid_transition``."""

    serializer_class = serializers.MentorshipRequestSerializer
    filter_backends = [filters.StrictOrderingFilter]
    ordering_fields = ["created_at", "expires_on"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        """Requests the caller made or received (``access.visible_mentorship_requests``)."""
        return access.visible_mentorship_requests(self.user).select_related("mentee", "mentor")

    def _act(self, answer, scope):
        """Resolve the request among ``scope`` (else 404), run ``answer`` (a refused status is a 409)."""
        pk = parse_id(str(self.kwargs.get("pk", "")))
        request_obj = scope(self.user).filter(pk=pk).first() if pk is not None else None
        if request_obj is None:
            raise NotFound
        answer(request_obj, by=self.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=request_obj.pk)).data)

    @extend_schema(
        summary=_("Accept a request to mentor (the mentor): the pairing starts"),
        tags=["mentorships"],
        request=None,
        responses=serializers.MentorshipRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The mentor accepts (``selfmatch.accept_request``); 404 for anyone but the mentor."""
        return self._act(selfmatch.accept_request, access.answerable_requests)

    @extend_schema(
        summary=_("Decline a request to mentor (the mentor)"),
        tags=["mentorships"],
        request=None,
        responses=serializers.MentorshipRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The mentor declines (``selfmatch.decline_request``); 404 for anyone but the mentor."""
        return self._act(selfmatch.decline_request, access.answerable_requests)

    @extend_schema(
        summary=_("Withdraw your request (the mentee)"),
        tags=["mentorships"],
        request=None,
        responses=serializers.MentorshipRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The mentee withdraws (``selfmatch.withdraw_request``); 404 for anyone but the mentee."""
        return self._act(selfmatch.withdraw_request, access.withdrawable_requests)


# --- training ------------------------------------------------------------------------------------
@describe("training completion", "training completions", "training")
class CompletionViewSet(CreateReadDeleteViewSet):
    """Training resources you have completed. ``POST`` marks one done (idempotent); ``DELETE`` undoes it."""

    serializer_class = serializers.CompletionSerializer
    filterset_class = filters.CompletionFilter
    ordering_fields = ["completed_at"]
    ordering = ["-completed_at", "-pk"]

    def get_queryset(self):
        """The caller's own completions (``access.visible_completions``)."""
        return access.visible_completions(self.user)

    def get_editable_queryset(self):
        """The same: the caller may undo their own completions."""
        return access.visible_completions(self.user)


@describe("training event", "training events", "training")
class EventViewSet(ReadOnlyViewSet):
    """Scheduled training events with free places and whether you are registered."""

    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    ordering_fields = ["start", "title"]
    ordering = ["start", "pk"]

    def get_queryset(self):
        """Training events (``access.visible_training_events``), each with its registration count."""
        return (
            access.visible_training_events(self.user)
            .annotate(registration_count=Count("registrations"))
            .order_by("start", "pk")
        )

    def get_serializer_context(self):
        """Adds ``registered_event_ids``: the events the caller has a place at, read once for the whole page."""
        context = super().get_serializer_context()
        context["registered_event_ids"] = set(
            access.visible_registrations(self.user).values_list("event_id", flat=True)
        )
        return context


@describe("training registration", "training registrations", "training")
class RegistrationViewSet(CreateReadDeleteViewSet):
    """Your places at training events. ``POST`` registers (refused when full or started); ``DELETE`` cancels."""

    serializer_class = serializers.RegistrationSerializer
    filterset_class = filters.RegistrationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self):
        """The caller's own registrations (``access.visible_registrations``)."""
        return access.visible_registrations(self.user)

    def get_editable_queryset(self):
        """The same: the caller may cancel their own registrations."""
        return access.visible_registrations(self.user)

    def perform_destroy(self, instance):
        """Cancel through ``training.services.cancel_registration`` (which frees the place)."""
        cancel_registration(instance.event, instance.user)


# --- the caller's dashboard ----------------------------------------------------------------------
class MeView(MentoringAPIMixin, APIView):
    """The caller's dashboard summary in one response."""

    permission_classes = [IsActiveUser]

    @extend_schema(
        summary=_("Your dashboard: pairings, objectives, check-ins due, next session, training"),
        responses=serializers.MeSerializer,
        tags=["me"],
    )
    def get(self, request):
        """Your dashboard in one response (active users only).

        - `user`: you.
        - `mentorships`: the pairings you take part in (or, as mentee, took part in), with `stalled` and
          `next_session_due`.
        - `objectives`: your own objectives and those of these pairings, except cancelled and archived ones.
        - `check_ins_due`: the key results you may check in on that are due a check-in.
        - `next_session`: your earliest planned session across your active pairings (`session`, `date`) and
          when that pairing's next session is due by (`due_on`); with nothing planned, the pairing due
          first with `session` and `date` null; `null` without an active pairing.
        - `training`: your progress on the learning paths your programs require of your role.
        """
        user = request.user
        today = timezone.localdate()
        mine = access.mentorships_with_permission(user, access.VIEW_MENTORSHIP)
        mentorships = attach_activity(
            models.Mentorship.objects.filter(pk__in=mine.values("pk")).select_related("mentor", "mentee", "program")
        )
        objectives = list(
            access.visible_objectives(user)
            .filter(Q(owner=user) | Q(mentorship__in=[m.pk for m in mentorships]))
            .exclude(status__in=models.Objective.CLOSED_STATUSES)
            .select_related("owner", "cycle", "program")
            .prefetch_related(Prefetch("key_results", queryset=models.KeyResult.objects.order_by("sort_order", "pk")))
        )
        context = {"request": request, "today": today}
        return Response(
            {
                "user": serializers.PersonSerializer(user, context=context).data,
                "mentorships": serializers.MentorshipSerializer(mentorships, many=True, context=context).data,
                "objectives": serializers.ObjectiveSerializer(objectives, many=True, context=context).data,
                "check_ins_due": self.check_ins_due(user, today),
                "next_session": self.next_session(mentorships),
                "training": self.training(user, mentorships),
            }
        )

    def check_ins_due(self, user, today: dt.date) -> list[dict]:
        """Key results the caller may check in on that are due a check-in (``programs.activity``)."""
        rows = key_results_due(access.check_in_key_results(user).order_by("objective_id", "sort_order", "pk"), today)
        return [
            {
                "key_result": row.key_result.pk,
                "title": row.key_result.title,
                "objective": row.key_result.objective_id,
                "last_check_in": row.last_check_in,
                "due_on": row.due_on or today,
            }
            for row in rows
        ]

    def next_session(self, mentorships) -> dict | None:
        """The earliest planned session (``programs.selectors.next_session``) with its pairing's due date
        (``programs.activity``); else the pairing due first."""
        active = {m.pk: m for m in mentorships if m.status == models.Mentorship.Status.ACTIVE}
        if not active:
            return None
        planned = next_session(list(active))
        if planned is not None:
            due_on = active[planned.mentorship_id].activity.next_session_due
            return {"mentorship": planned.mentorship_id, "due_on": due_on, "session": planned.pk, "date": planned.date}
        due_on, pk = min((m.activity.next_session_due, m.pk) for m in active.values())
        return {"mentorship": pk, "due_on": due_on, "session": None, "date": None}

    def training(self, user, mentorships) -> list[dict]:
        """Progress on the learning paths the caller's programs require of their role."""
        roles = {(m.program, "mentor" if m.mentor_id == user.pk else "mentee") for m in mentorships}
        roles |= {
            (e.program, e.role)
            for e in access.visible_enrolments(user).filter(user=user, status="accepted").select_related("program")
        }
        paths = {}
        for program, role in sorted(roles, key=lambda item: (item[0].pk, item[1])):
            path_id = program.mentor_learning_path_id if role == "mentor" else program.mentee_learning_path_id
            if path_id:
                paths.setdefault((program.pk, role), (program, path_id))
        if not paths:
            return []
        path_ids = {path_id for _program, path_id in paths.values()}
        steps: dict[int, set[int]] = {}
        titles = dict(models.LearningPath.objects.filter(pk__in=path_ids).values_list("pk", "title"))
        for path_id, resource_id in models.LearningPathItem.objects.filter(path_id__in=path_ids).values_list(
            "path_id", "resource_id"
        ):
            steps.setdefault(path_id, set()).add(resource_id)
        done = set(access.visible_completions(user).values_list("resource_id", flat=True))
        return [
            {
                "program": program.pk,
                "role": role,
                "path": path_id,
                "path_title": titles.get(path_id, ""),
                "completed": len(steps.get(path_id, set()) & done),
                "total": len(steps.get(path_id, set())),
            }
            for (program_pk, role), (program, path_id) in sorted(paths.items())
        ]
