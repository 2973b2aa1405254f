"""API serializers: relation fields scoped by access querysets, role-dependent read-only fields.

Every writable relation is an :class:`AccessRelatedField` whose choices are an access queryset for
the caller, so a parent the caller may not use (someone else's key result, a pairing they are not in)
is refused exactly like an id that does not exist: ``400 {"field": ["Invalid pk ... does not exist."]}``.
Writes go through the services, whose Django ``ValidationError`` becomes a 400 with field errors.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from wagtail_mentoring import models
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.api.fields import STRICT_FIELD_MAPPING, StrictFloatField, WindowDateField
from wagtail_mentoring.inputs import ID_MAX, MAX_TEXT_LENGTH, out_of_range_id
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import lifecycle, selfmatch
from wagtail_mentoring.programs import services as program_services
from wagtail_mentoring.programs.groups import log_group_session
from wagtail_mentoring.programs.journeys import COMPLETES_WHEN_CHOICES
from wagtail_mentoring.programs.journeys import STATE_LABELS as JOURNEY_STATE_LABELS
from wagtail_mentoring.programs.matching import score_words
from wagtail_mentoring.skills import services as skill_services
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets import services as okr_services
from wagtail_mentoring.snippets.validators import MAX_CONFIDENCE, MIN_CONFIDENCE
from wagtail_mentoring.training import services as training_services

User = get_user_model()
#: The most suggested key results an API request may send for one template (the limit is the service's).
MAX_TEMPLATE_KEY_RESULTS = 20


def _user(serializer: serializers.Serializer):
    """The requesting user from the serializer's context (``None`` without a request)."""
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class AccessRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key relation whose choices are ``access(request.user)``.

    ``model`` only types the field for the OpenAPI schema; the choices are always the access
    queryset, so hidden and missing ids get the same error.
    """

    def __init__(self, *, access: Callable[..., QuerySet], model, **kwargs) -> None:
        self.access = access
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        """The choices: ``access(user)`` for the requesting user (nested fields read the parent's context)."""
        request = self.context.get("request") or self.parent.context.get("request")
        return self.access(getattr(request, "user", None))

    def to_internal_value(self, data):
        """An id outside the database's range (``inputs.parse_id``) does not exist, like a missing one."""
        if out_of_range_id(data):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


def visible_programs(user) -> QuerySet:
    """Live program pages whose page privacy ``user`` passes (``access.visible_pages``): who may enrol where."""
    return access.visible_pages(user, models.MentoringProgramPage.objects.all())


def visible_resources(user) -> QuerySet:
    """Live training resource pages whose page privacy ``user`` passes (what they may mark as completed)."""
    return access.visible_pages(user, models.TrainingResourcePage.objects.all())


class ModelCleanMixin:
    """Run the model's ``full_clean``, then :meth:`write` (the aggregate's service); errors become 400s.

    Model fields map to the input policy's fields (``api.fields.STRICT_FIELD_MAPPING``).
    """

    clean_exclude: tuple[str, ...] = ()
    serializer_field_mapping = STRICT_FIELD_MAPPING

    def write(self, instance):
        """Save a validated instance (serializers of an aggregate with a service override this)."""
        instance.save()
        return instance

    def create(self, validated_data):
        """Build the instance, ``full_clean`` it (model rules become 400s), then :meth:`write` it."""
        instance = self.Meta.model(**validated_data)
        instance.full_clean(exclude=list(self.clean_exclude), validate_unique=False, validate_constraints=False)
        return self.write(instance)

    def update(self, instance, validated_data):
        """Apply the changes, ``full_clean`` the instance (model rules become 400s), then :meth:`write` it."""
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.full_clean(exclude=list(self.clean_exclude), validate_unique=False, validate_constraints=False)
        return self.write(instance)


class PersonSerializer(serializers.Serializer):
    """A user as shown to people who share a program with them: id and display name."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, obj) -> str:
        """The person's full name, or their username when they have none."""
        return display_name(obj)

    def to_representation(self, instance) -> dict:
        """``{"id", "name"}``, written at once: the fields' own loop costs more than the two values on every
        row of a list that names people (owner, author, mentor and mentee)."""
        return {"id": int(instance.pk), "name": self.get_name(instance)}


# --- pages ---------------------------------------------------------------------------------------
class PageUrlMixin(serializers.Serializer):
    """Adds ``url``: the page's address on the intranet."""

    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, obj) -> str:
        """The page's URL on the site serving the request (empty when the page is not routable)."""
        return obj.get_url(request=self.context.get("request")) or ""


class ProgramSerializer(PageUrlMixin, serializers.ModelSerializer):
    """A live mentoring program page the caller may view."""

    goals = serializers.ListField(child=serializers.CharField(), source="goals_list", read_only=True)

    class Meta:
        model = models.MentoringProgramPage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "search_description",
            "goals",
            "start_date",
            "end_date",
            "enrolment_open",
            "enrolment_deadline",
            "meeting_cadence_days",
            "check_in_cadence_days",
            "max_objectives",
            "max_key_results",
        ]
        read_only_fields = fields


class TrainingResourceSerializer(PageUrlMixin, serializers.ModelSerializer):
    """A live training resource page, with whether the caller has completed it."""

    topics = serializers.SerializerMethodField()
    completed = serializers.SerializerMethodField()

    class Meta:
        model = models.TrainingResourcePage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "resource_type",
            "audience",
            "topics",
            "duration_minutes",
            "summary",
            "completed",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_topics(self, obj) -> list[str]:
        """The resource's topic tags, sorted by name."""
        return sorted(item.tag.name for item in obj.tagged_topics.all())

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_completed(self, obj) -> bool:
        """Whether you have marked this resource as completed."""
        return obj.pk in self.context.get("completed_resource_ids", ())


# --- enrolments and mentorships ------------------------------------------------------------------
class EnrolmentSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """An application to a program. Applicants edit their answers and may withdraw; the program's
    coordinators review it (status only)."""

    program = AccessRelatedField(access=visible_programs, model=models.MentoringProgramPage)
    user = PersonSerializer(read_only=True)
    clean_exclude = ("program", "user", "reviewed_by")

    APPLICANT_FIELDS = (
        "goals",
        "skills_sought",
        "skills_offered",
        "interests",
        "languages",
        "availability",
        "capacity",
    )
    #: The statuses each role may set, from the lifecycle table (the admin uses the same table).
    APPLICANT_STATUSES = lifecycle.targets_for(models.Enrolment, lifecycle.APPLICANT)
    COORDINATOR_STATUSES = lifecycle.targets_for(models.Enrolment, lifecycle.COORDINATOR)

    class Meta:
        model = models.Enrolment
        fields = [
            "id",
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
        read_only_fields = ["created_at", "reviewed_at"]

    def get_fields(self):
        """Per caller: ``status`` read-only on create; on change, ``program`` and ``role`` read-only, the
        answers writable by the applicant only, ``status`` by the applicant or a coordinator of the program."""
        fields = super().get_fields()
        instance = self.instance if isinstance(self.instance, models.Enrolment) else None
        if instance is None:
            fields["status"].read_only = True
            return fields
        user = _user(self)
        fields["program"].read_only = True
        fields["role"].read_only = True
        applicant = user is not None and instance.user_id == user.pk
        if not applicant:
            for name in self.APPLICANT_FIELDS:
                fields[name].read_only = True
        if not applicant and not self.context.get("coordinates_instance"):
            fields["status"].read_only = True
        return fields

    def validate_status(self, value: str) -> str:
        """Only a status the caller's role may set (the lifecycle table's targets), or the current one."""
        allowed = self.COORDINATOR_STATUSES if self.context.get("coordinates_instance") else ()
        user = _user(self)
        if self.instance is not None and user is not None and self.instance.user_id == user.pk:
            allowed = tuple(allowed) + self.APPLICANT_STATUSES
        if value not in allowed and not (self.instance is not None and value == self.instance.status):
            raise serializers.ValidationError(_("You cannot set this status."))
        return value

    def create(self, validated_data):
        """Apply through ``programs.services.enrol`` (the caller enrols themselves)."""
        program = validated_data.pop("program")
        role = validated_data.pop("role")
        return program_services.enrol(program, _user(self), role, **validated_data)

    def update(self, instance, validated_data):
        """Save the answers and move the status through ``update_enrolment`` (one locked transaction)."""
        status = validated_data.pop("status", instance.status)
        user = _user(self)
        own = user is not None and instance.user_id == user.pk
        by = (
            user
            if self.context.get("coordinates_instance") and not (own and status in self.APPLICANT_STATUSES)
            else None
        )
        return program_services.update_enrolment(instance, status=status, by=by, **validated_data)


class MentorshipSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A pairing. The pair edits its agreement; status changes go through the lifecycle services."""

    mentor = PersonSerializer(read_only=True)
    mentee = PersonSerializer(read_only=True)
    stalled = serializers.SerializerMethodField(
        help_text=_("Idle on both counts (no session, no check-in) for the program's stalled threshold.")
    )
    next_session_due = serializers.SerializerMethodField(help_text=_("When the next session is due."))
    clean_exclude = ("program", "mentor", "mentee")

    class Meta:
        model = models.Mentorship
        fields = [
            "id",
            "program",
            "mentor",
            "mentee",
            "status",
            "match_score",
            "proposed_at",
            "started_on",
            "ended_on",
            "end_reason",
            "expectations",
            "meeting_cadence_days",
            "topics_in_bounds",
            "topics_out_of_bounds",
            "mentor_confirmed_at",
            "mentee_confirmed_at",
            "stalled",
            "next_session_due",
        ]
        read_only_fields = [
            "mentor_confirmed_at",
            "mentee_confirmed_at",
            "id",
            "program",
            "status",
            "match_score",
            "proposed_at",
            "started_on",
            "ended_on",
            "end_reason",
        ]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_stalled(self, obj) -> bool | None:
        """``programs.activity``'s stalled rule (None when the view did not attach the activity)."""
        pair = getattr(obj, "activity", None)
        return pair.stalled if pair is not None else None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_session_due(self, obj):
        """``programs.activity``'s next session due (None when the pairing is not active, or has no cadence)."""
        pair = getattr(obj, "activity", None)
        return pair.next_session_due if pair is not None and obj.status == "active" else None


class MentorshipApproveSerializer(serializers.Serializer):
    """The agreement captured when a coordinator approves a proposed pairing (every field optional)."""

    expectations = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH)
    meeting_cadence_days = serializers.IntegerField(required=False, min_value=1)
    topics_in_bounds = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH)
    topics_out_of_bounds = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH)


class MentorshipCloseSerializer(serializers.Serializer):
    """Why a pairing closes: optional when it is completed."""

    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_TEXT_LENGTH)


class MentorshipEndSerializer(serializers.Serializer):
    """Why a pairing ends early (required)."""

    reason = serializers.CharField(required=True, allow_blank=False, max_length=MAX_TEXT_LENGTH)


class JourneyStepSerializer(serializers.Serializer):
    """One step of a pairing's journey (``programs.selectors.JourneyStepRow``): what it asks, when it is due,
    its state and when the pair marked it done."""

    id = serializers.CharField(source="step.id", read_only=True, help_text=_("The step's id (stable)."))
    title = serializers.CharField(source="step.title", read_only=True)
    days_after_start = serializers.IntegerField(source="step.days_after_start", read_only=True)
    description = serializers.CharField(source="step.description", read_only=True, help_text=_("The agenda prompt."))
    completes_when = serializers.ChoiceField(
        source="step.completes_when", choices=COMPLETES_WHEN_CHOICES, read_only=True
    )
    survey_kind = serializers.CharField(source="step.survey_kind", read_only=True)
    resource = serializers.SerializerMethodField(help_text=_("The linked training resource page, if any."))
    path = serializers.SerializerMethodField(help_text=_("The linked learning path, if any."))
    due_on = serializers.DateField(
        source="state.due", read_only=True, allow_null=True, help_text=_("Empty until the pairing starts.")
    )
    state = serializers.ChoiceField(source="state.state", choices=list(JOURNEY_STATE_LABELS.items()), read_only=True)
    state_label = serializers.CharField(source="state.label", read_only=True)
    completed_at = serializers.DateTimeField(
        source="state.completed_at",
        read_only=True,
        allow_null=True,
        help_text=_("When the pair marked it done (empty for a step done automatically)."),
    )
    automatic = serializers.BooleanField(
        source="state.automatic", read_only=True, help_text=_("Done because the linked thing happened.")
    )

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_resource(self, row) -> int | None:
        """The linked resource's id, when the caller may view it."""
        return row.resource.pk if row.resource is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_path(self, row) -> int | None:
        """The linked learning path's id."""
        return row.path.pk if row.path is not None else None


class JourneySerializer(serializers.Serializer):
    """A pairing's journey (``programs.journeys``): its steps in order and the summary."""

    mentorship = serializers.IntegerField(source="pk", read_only=True)
    done = serializers.IntegerField(source="journey.summary.done", read_only=True)
    total = serializers.IntegerField(source="journey.summary.total", read_only=True)
    overdue = serializers.IntegerField(source="journey.summary.overdue", read_only=True)
    summary = serializers.CharField(source="journey.summary.text", read_only=True, help_text=_("e.g. 3 of 5 steps"))
    next_step = serializers.SerializerMethodField(help_text=_("The id of the first step not done."))
    steps = JourneyStepSerializer(source="journey_rows", many=True, read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_next_step(self, mentorship) -> str | None:
        """The first step not done, by id (``None`` when every step is done)."""
        step = mentorship.journey.summary.next_step
        return step.step.id if step is not None else None


# --- OKRs ----------------------------------------------------------------------------------------
class GradeSerializer(serializers.Serializer):
    """End-of-cycle grade: progress rounded to one decimal; band red (0.0-0.3), yellow (0.4-0.6) or green."""

    value = serializers.FloatField()
    band = serializers.ChoiceField(choices=[scoring.BAND_RED, scoring.BAND_YELLOW, scoring.BAND_GREEN])


class ObjectiveSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """An objective with its computed progress, grade and health. The owner is always the caller."""

    owner = PersonSerializer(read_only=True)
    mentorship = AccessRelatedField(
        access=access.participating_mentorships, model=models.Mentorship, allow_null=True, required=False
    )
    parent = AccessRelatedField(
        access=access.alignment_parents, model=models.Objective, allow_null=True, required=False
    )
    cycle = AccessRelatedField(access=access.visible_cycles, model=models.OKRCycle, allow_null=True, required=False)
    progress = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    health = serializers.SerializerMethodField()
    clean_exclude = ("owner", "mentorship", "program", "parent", "cycle")

    class Meta:
        model = models.Objective
        fields = [
            "id",
            "title",
            "description",
            "category",
            "level",
            "owner",
            "mentorship",
            "program",
            "parent",
            "cycle",
            "start_date",
            "due_date",
            "status",
            "progress",
            "grade",
            "health",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["program", "created_at", "updated_at"]

    def get_fields(self):
        """An existing objective's pairing cannot be changed (``mentorship`` read-only); nor its ``level`` by
        anyone but its owner (a co-editor of the pair's shared objective keeps it shared)."""
        fields = super().get_fields()
        if isinstance(self.instance, models.Objective):
            fields["mentorship"].read_only = True
            caller = getattr(self.context.get("request"), "user", None)
            if self.instance.owner_id != getattr(caller, "pk", None):
                fields["level"].read_only = True
        return fields

    #: ``(objective, its progress)`` of the row being written: progress, grade and health all start from
    #: the progress, which reads every key result; a list computes it once per row, not three times.
    _row_progress: tuple | None = None

    def _progress(self, obj) -> float:
        """``obj.progress`` (``Objective.progress``), computed once for the row's three fields."""
        if self._row_progress is None or self._row_progress[0] is not obj:
            self._row_progress = (obj, obj.progress)
        return self._row_progress[1]

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_progress(self, obj) -> float:
        """Weighted mean progress of the objective's key results, from 0 to 1 (0 without key results)."""
        return round(self._progress(obj), 4)

    @extend_schema_field(GradeSerializer)
    def get_grade(self, obj) -> dict:
        """``scoring.grade`` of the progress (``Objective.grade``), as ``{"value", "band"}``."""
        value, band = scoring.grade(self._progress(obj))
        return {"value": value, "band": band}

    @extend_schema_field({"type": "string", "enum": list(scoring.HEALTH_STATES)})
    def get_health(self, obj) -> str:
        """``scoring.health`` (``Objective.health_on``) on the request's date (``context["today"]``), else today."""
        return obj.health_on(self.context.get("today") or timezone.localdate(), progress=self._progress(obj))

    def create(self, validated_data):
        """The caller owns the objective they create."""
        validated_data["owner"] = _user(self)
        return super().create(validated_data)

    def write(self, instance):
        """Save through ``save_objective`` (the pairing's objective limit, under its lock)."""
        return okr_services.save_objective(instance, by=_user(self))


class KeyResultSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A key result of an objective the caller owns. Its current value is set by check-ins."""

    objective = AccessRelatedField(access=access.editable_objectives, model=models.Objective)
    progress = serializers.SerializerMethodField()
    clean_exclude = ("objective", "owner")
    confidence = serializers.IntegerField(min_value=MIN_CONFIDENCE, max_value=MAX_CONFIDENCE, required=False)

    class Meta:
        model = models.KeyResult
        fields = [
            "id",
            "objective",
            "title",
            "kind",
            "unit",
            "start_value",
            "target_value",
            "current_value",
            "weight",
            "due_date",
            "confidence",
            "progress",
            "updated_at",
        ]
        read_only_fields = ["current_value", "updated_at"]

    def get_fields(self):
        """An existing key result cannot move to another objective (``objective`` read-only)."""
        fields = super().get_fields()
        if isinstance(self.instance, models.KeyResult):
            fields["objective"].read_only = True
        return fields

    @extend_schema_field(OpenApiTypes.FLOAT)
    def get_progress(self, obj) -> float:
        """Progress from the start value to the target, from 0 to 1 (yes/no and milestone: 0 or 1)."""
        return round(obj.progress, 4)

    def create(self, validated_data):
        """Add the key result through ``add_key_result`` (the objective's limit, under its lock)."""
        objective = validated_data.pop("objective")
        return okr_services.add_key_result(objective, owner=objective.owner, **validated_data)

    def update(self, instance, validated_data):
        """Change the key result through ``update_key_result``."""
        return okr_services.update_key_result(instance, **validated_data)


@extend_schema_field(
    {
        "type": "string",
        "enum": list(models.KeyResult.Kind.values),
        # Its own enum in the schema (``ObjectiveTemplateKeyResultKindEnum``): one choice set under one name
        # per component, so the host's schema check never warns about a "kind" used by two components.
        "x-spec-enum-id": "objective-template-key-result-kind",
    }
)
class SuggestedKindField(serializers.ChoiceField):
    """A suggested key result's kind: the key results' kinds (``KeyResult.Kind``)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=models.KeyResult.Kind.choices, **kwargs)


class ObjectiveTemplateKeyResultSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A key result an objective template suggests."""

    kind = SuggestedKindField(required=False)

    class Meta:
        model = models.ObjectiveTemplateKeyResult
        fields = ["title", "kind", "unit", "start_value", "target_value"]


class ObjectiveTemplateSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """An objective template with its suggested key results (in order) and programs (none: every program).

    Written by editors only, through ``save_objective_template`` (the key-result limit of its programs).
    """

    programs = AccessRelatedField(access=visible_programs, model=models.MentoringProgramPage, many=True, required=False)
    key_results = ObjectiveTemplateKeyResultSerializer(many=True, required=False)
    language = serializers.CharField(source="locale.language_code", read_only=True)
    clean_exclude = ("programs", "locale", "translation_key")

    class Meta:
        model = models.ObjectiveTemplate
        fields = [
            "id",
            "title",
            "description",
            "category",
            "level",
            "programs",
            "key_results",
            "language",
            "translation_key",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["translation_key", "created_at", "updated_at"]

    def validate_key_results(self, value: list) -> list:
        """At most the API's list size (the limit itself is the service's, per program)."""
        if len(value) > MAX_TEMPLATE_KEY_RESULTS:
            raise serializers.ValidationError(_("Too many key results."))
        return value

    def create(self, validated_data):
        """Create the template through ``save_objective_template``."""
        return self._save(models.ObjectiveTemplate(), validated_data)

    def update(self, instance, validated_data):
        """Change the template through ``save_objective_template``."""
        return self._save(instance, validated_data)

    def _save(self, template, validated_data):
        programs = validated_data.pop("programs", None)
        key_results = validated_data.pop("key_results", None)
        for name, value in validated_data.items():
            setattr(template, name, value)
        return okr_services.save_objective_template(template, programs=programs, key_results=key_results)


class UseObjectiveTemplateSerializer(serializers.Serializer):
    """``POST objective-templates/{id}/use/``: start a draft objective from the template (``objective_from_template``).

    ``mentorship`` is one of the caller's pairings (a pairing template needs it); the title defaults to
    the template's. The dates are checked by the service (the input policy's window, due after start).
    """

    mentorship = AccessRelatedField(
        access=access.participating_mentorships, model=models.Mentorship, allow_null=True, required=False
    )
    title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    # The input policy's window, declared as the model fields' are (``STRICT_FIELD_MAPPING``).
    start_date = WindowDateField(required=False, allow_null=True)
    due_date = WindowDateField(required=False, allow_null=True)

    def create(self, validated_data):
        """The draft objective, created for the caller from ``context["template"]``."""
        return okr_services.objective_from_template(self.context["template"], owner=_user(self), **validated_data)


class CheckInSerializer(serializers.ModelSerializer):
    """A check-in on a key result the caller may check in on (recorded by ``record_check_in``)."""

    key_result = AccessRelatedField(access=access.check_in_key_results, model=models.KeyResult)
    author = PersonSerializer(read_only=True, allow_null=True)
    confidence = serializers.IntegerField(
        min_value=MIN_CONFIDENCE, max_value=MAX_CONFIDENCE, required=False, allow_null=True
    )
    serializer_field_mapping = STRICT_FIELD_MAPPING

    class Meta:
        model = models.CheckIn
        fields = ["id", "key_result", "author", "value", "confidence", "note", "created_at"]
        read_only_fields = ["created_at"]

    def create(self, validated_data):
        """Record through ``snippets.services.record_check_in`` (locks the key result, sets its value)."""
        return okr_services.record_check_in(
            validated_data["key_result"],
            _user(self),
            validated_data["value"],
            confidence=validated_data.get("confidence"),
            note=validated_data.get("note", ""),
        )


class RealignmentSerializer(serializers.ModelSerializer):
    """A review of a key result at risk, off track or missed, and its realignment (``realign_key_result``).

    Write ``key_result`` (one you may check in on), ``what_happened``, ``what_changes`` and, as needed, a new
    ``target_value`` or ``due_date`` (omitted: unchanged); a key result that is not at risk, off track or missed
    is a 409. ``previous_target``, ``previous_due_date``, the health and progress when reviewed are recorded,
    read-only.
    """

    key_result = AccessRelatedField(access=access.check_in_key_results, model=models.KeyResult)
    author = PersonSerializer(read_only=True, allow_null=True)
    # Bounded and windowed as the model fields are (``STRICT_FIELD_MAPPING``): the schema states what is accepted.
    target_value = StrictFloatField(required=False, allow_null=True)
    due_date = WindowDateField(required=False, allow_null=True)
    serializer_field_mapping = STRICT_FIELD_MAPPING

    class Meta:
        model = models.Realignment
        fields = [
            "id",
            "key_result",
            "author",
            "created_at",
            "health",
            "progress",
            "what_happened",
            "what_changes",
            "previous_target",
            "target_value",
            "previous_due_date",
            "due_date",
        ]
        read_only_fields = ["created_at", "health", "progress", "previous_target", "previous_due_date"]

    def create(self, validated_data):
        """Review and realign through ``snippets.services.realign_key_result`` (locked, all or nothing)."""
        return okr_services.realign_key_result(
            validated_data["key_result"],
            _user(self),
            what_happened=validated_data["what_happened"],
            what_changes=validated_data["what_changes"],
            target_value=validated_data.get("target_value"),
            due_date=validated_data.get("due_date"),
        )


class InitiativeSerializer(ModelCleanMixin, serializers.ModelSerializer):
    """A step of the action plan of an objective the caller keeps the plan of (``access.plan_objectives``: their
    own, and the open objectives of their active pairings); its ``assignee`` is someone of the objective's team."""

    objective = AccessRelatedField(access=access.plan_objectives, model=models.Objective)
    assignee = AccessRelatedField(access=access.pairing_users, model=User, allow_null=True, required=False)
    assignee_name = serializers.SerializerMethodField()
    clean_exclude = ("objective", "assignee")

    class Meta:
        model = models.Initiative
        fields = ["id", "objective", "title", "done", "due_date", "assignee", "assignee_name"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_assignee_name(self, obj) -> str:
        """The assignee's full name, or their username when they have none; empty when unassigned."""
        return display_name(obj.assignee)

    def get_fields(self):
        """An existing initiative cannot move to another objective (``objective`` read-only)."""
        fields = super().get_fields()
        if isinstance(self.instance, models.Initiative):
            fields["objective"].read_only = True
        return fields

    def write(self, instance):
        """Save through ``save_initiative`` (under the objective's lock)."""
        return okr_services.save_initiative(instance)


# --- sessions and feedback -----------------------------------------------------------------------
class SessionSerializer(serializers.ModelSerializer):
    """A session: proposed, planned, held or cancelled. Its words (agenda, notes, next steps, key results
    discussed, place or link) are present only for the pair; coordinators get ``access.SESSION_RECORD_FIELDS``
    (status, date, duration, format).

    ``POST`` logs a held session (the default), plans one (``"status": "planned"``, a date in the future),
    or proposes one of the mentor's free slots (``slot``; the mentee only). ``PATCH`` of ``status`` takes a
    transition (``MentoringSession.TRANSITIONS``); a transition the table refuses is a 400 on ``status``.
    """

    serializer_field_mapping = STRICT_FIELD_MAPPING

    mentorship = AccessRelatedField(access=access.participating_mentorships, model=models.Mentorship)
    key_results_discussed = AccessRelatedField(
        access=access.visible_key_results, model=models.KeyResult, many=True, required=False
    )
    slot = AccessRelatedField(
        access=access.visible_availability,
        model=models.AvailabilitySlot,
        required=False,
        allow_null=True,
        help_text=_("A free availability slot of your mentor: proposes the session in it (mentees)."),
    )
    created_by = PersonSerializer(read_only=True, allow_null=True)
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT_LENGTH,
        help_text=_("Private notes: only present for the mentor and mentee of the pairing."),
    )

    class Meta:
        model = models.MentoringSession
        fields = [
            "id",
            "mentorship",
            "status",
            "date",
            "duration_minutes",
            "format",
            "location",
            "slot",
            "agenda",
            "notes",
            "key_results_discussed",
            "next_steps",
            "sequence",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_at", "sequence"]
        extra_kwargs = {"date": {"required": False}}
        # One session per slot is ``programs.services.propose_slot``'s (locked) rule, answered as a 400 on
        # ``slot``; DRF's validator for the partial unique constraint would make ``slot`` required.
        validators: list = []

    def get_fields(self):
        """An existing session cannot move to another pairing or slot (``mentorship``, ``slot`` read-only)."""
        fields = super().get_fields()
        if isinstance(self.instance, models.MentoringSession):
            fields["mentorship"].read_only = True
            fields["slot"].read_only = True
        return fields

    def get_field_names(self, declared_fields, info):
        """Every field; only the record (``access.readable_session_fields(False)``) when the view says no row
        can show the pair's words (``context["record_only"]``), so the others are not even built."""
        names = super().get_field_names(declared_fields, info)
        if self.context.get("record_only"):
            readable = access.readable_session_fields(False)
            names = [name for name in names if name in readable]
        return names

    def to_representation(self, instance):
        """Only the fields the caller reads (``access.readable_session_fields``): the pair's words (notes,
        place, slot...) only for a pairing whose notes the caller may read (``context["notes_mentorship_ids"]``);
        the others are not even computed."""
        readable = access.readable_session_fields(
            instance.mentorship_id in self.context.get("notes_mentorship_ids", ())
        )
        data = {}
        for field in self._readable_fields:
            if field.field_name not in readable:
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if value is None else field.to_representation(attribute)
        return data

    def validate(self, attrs):
        """Key results discussed must belong to the session's own pairing; a planned or proposed session has
        no notes yet; a new session is held, planned or (with a slot) proposed."""
        mentorship = attrs.get("mentorship") or getattr(self.instance, "mentorship", None)
        key_results = attrs.get("key_results_discussed") or []
        if mentorship is not None and any(kr.objective.mentorship_id != mentorship.pk for kr in key_results):
            raise serializers.ValidationError(
                {"key_results_discussed": [_("Only the pairing's own key results can be linked to its session.")]}
            )
        if self.instance is None:
            status = attrs.get("status", models.MentoringSession.Status.HELD)
            if attrs.get("slot") is not None:
                status = models.MentoringSession.Status.PROPOSED
            elif status not in (models.MentoringSession.Status.HELD, models.MentoringSession.Status.PLANNED):
                raise serializers.ValidationError(
                    {"status": [_("A new session is held or planned; propose a slot with “slot”.")]}
                )
            attrs["status"] = status
            if status == models.MentoringSession.Status.HELD and "date" not in attrs:
                attrs["date"] = timezone.now()
            if status == models.MentoringSession.Status.PLANNED and "date" not in attrs:
                raise serializers.ValidationError({"date": [_("Choose when the session takes place.")]})
            upcoming = status != models.MentoringSession.Status.HELD
        else:
            upcoming = self.instance.is_upcoming and attrs.get("status", self.instance.status) != "held"
        if upcoming:
            words = [name for name in ("notes", "next_steps", "key_results_discussed") if attrs.get(name)]
            if words:
                raise serializers.ValidationError(
                    {name: [_("Written when the session is logged as held.")] for name in words}
                )
        return attrs

    def create(self, validated_data):
        """Log (``log_session``), plan (``plan_session``) or propose a slot (``propose_slot``); the caller is
        recorded as its author."""
        mentorship = validated_data.pop("mentorship")
        status = validated_data.pop("status")
        slot = validated_data.pop("slot", None)
        if status == models.MentoringSession.Status.PROPOSED:
            fields = {k: v for k, v in validated_data.items() if k in ("format", "location", "agenda")}
            return program_services.propose_slot(mentorship, _user(self), slot, **fields)
        if status == models.MentoringSession.Status.PLANNED:
            fields = {k: v for k, v in validated_data.items() if k in program_services.PLAN_FIELDS}
            return program_services.plan_session(mentorship, _user(self), **fields)
        key_results = validated_data.pop("key_results_discussed", [])
        return program_services.log_session(mentorship, _user(self), key_results=key_results, **validated_data)

    def update(self, instance, validated_data):
        """A new ``status`` goes through ``set_session_status`` (with the notes when held); a proposed or
        planned session changes through ``reschedule_session``; a held one through ``update_session``."""
        status = validated_data.pop("status", instance.status)
        if status != instance.status:
            fields = {k: v for k, v in validated_data.items() if k in program_services.HELD_FIELDS}
            session = program_services.set_session_status(instance, status, _user(self), **fields)
            key_results = validated_data.get("key_results_discussed")
            if key_results is not None and status == models.MentoringSession.Status.HELD:
                session = program_services.update_session(session, key_results=key_results)
            return session
        if instance.is_upcoming:
            fields = {k: v for k, v in validated_data.items() if k in program_services.PLAN_FIELDS}
            return program_services.reschedule_session(instance, _user(self), **fields)
        key_results = validated_data.pop("key_results_discussed", None)
        return program_services.update_session(instance, key_results=key_results, **validated_data)


class SessionHeldSerializer(serializers.Serializer):
    """The body of ``POST sessions/{id}/held/``: what the pair writes down after the session (all optional)."""

    agenda = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH)
    next_steps = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT_LENGTH)


class GroupSerializer(serializers.ModelSerializer):
    """A mentoring group (one mentor, several mentees) or peer circle: for its people and its coordinators.
    Coordinators form groups in the admin; the API reads them."""

    mentor = PersonSerializer(read_only=True, allow_null=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = models.MentoringGroup
        fields = [
            "id",
            "program",
            "name",
            "kind",
            "status",
            "mentor",
            "members",
            "max_size",
            "meeting_cadence_days",
            "focus",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(PersonSerializer(many=True))
    def get_members(self, obj) -> list:
        """The group's members, by name (prefetched by the view)."""
        return PersonSerializer([m.user for m in obj.members.all()], many=True).data


class GroupSessionSerializer(serializers.ModelSerializer):
    """A meeting of a group. Its words (agenda, notes, next steps) are present only for the group's mentor and
    members; coordinators get ``GroupSession.RECORD_FIELDS`` (date, duration, format). ``POST`` logs a held
    session of one of your groups (``programs.groups.log_group_session``)."""

    serializer_field_mapping = STRICT_FIELD_MAPPING

    group = AccessRelatedField(access=access.member_groups, model=models.MentoringGroup)
    created_by = PersonSerializer(read_only=True, allow_null=True)
    notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT_LENGTH,
        help_text=_("Group notes: only present for the group's mentor and members."),
    )

    class Meta:
        model = models.GroupSession
        fields = [
            "id",
            "group",
            "date",
            "duration_minutes",
            "format",
            "agenda",
            "notes",
            "next_steps",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"date": {"required": False}}

    def to_representation(self, instance) -> dict:
        """The session; its words only for a group whose words the caller reads (``context["word_group_ids"]``)."""
        data = super().to_representation(instance)
        data["group"] = instance.group_id
        if instance.group_id not in self.context.get("word_group_ids", ()):
            data = {key: value for key, value in data.items() if key in models.GroupSession.RECORD_FIELDS}
        return data

    def create(self, validated_data):
        """Log the session through ``programs.groups.log_group_session``; the caller is its author."""
        group = validated_data.pop("group")
        validated_data.setdefault("date", timezone.now())
        return log_group_session(group, self.context["request"].user, **validated_data)


class AvailabilitySlotSerializer(serializers.ModelSerializer):
    """A time a mentor offers for sessions. Mentors publish their own (in the future, not overlapping);
    their active mentees see their free ones and propose one through ``sessions/`` (``slot``)."""

    serializer_field_mapping = STRICT_FIELD_MAPPING

    mentor = PersonSerializer(read_only=True)
    free = serializers.SerializerMethodField(help_text=_("No session is proposed, planned or held in it."))

    class Meta:
        model = models.AvailabilitySlot
        fields = ["id", "mentor", "start", "end", "note", "free", "created_at"]
        read_only_fields = ["created_at"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_free(self, obj) -> bool:
        """Whether the slot is still offered (``programs.selectors.slots_with_booking``)."""
        return getattr(obj, "booked_status", None) is None

    def create(self, validated_data):
        """Publish through ``programs.services.add_availability`` (the mentor's lock; no overlap)."""
        return program_services.add_availability(
            _user(self), validated_data["start"], validated_data["end"], validated_data.get("note", "")
        )


class FeedbackSerializer(serializers.ModelSerializer):
    """Feedback the caller gives on a pairing they are part of or a program they enrolled in.

    Each kind has its subject: a session rating names the session and its pairing; a pairing check (an
    active pairing) and a closing survey (a completed or ended pairing) name the pairing; a program
    survey names the program only. A pairing of yours in another status is a 400 on ``mentorship``.
    A mid-point survey names an active pairing; a before-launch survey names a program whose
    before-launch survey is open (any active employee, until the program starts).

    ``answers`` answers the extra questions of the program's published survey for that kind, by
    question name (``survey`` tells which survey it was; read-only); without such a survey, leave it out.
    """

    mentorship = AccessRelatedField(
        access=access.feedback_mentorships, model=models.Mentorship, allow_null=True, required=False
    )
    program = AccessRelatedField(
        access=access.feedback_programs, model=models.MentoringProgramPage, allow_null=True, required=False
    )
    session = AccessRelatedField(
        access=access.feedback_sessions, model=models.MentoringSession, allow_null=True, required=False
    )

    class Meta:
        model = models.Feedback
        fields = [
            "id",
            "kind",
            "mentorship",
            "program",
            "session",
            "rating",
            "nps",
            "comment",
            "survey",
            "answers",
            "created_at",
        ]
        read_only_fields = ["created_at", "survey"]

    #: The request's shape per value of ``kind`` (the schema's ``anyOf``; checked by ``submit_feedback``).
    schema_variants = ("kind", models.Feedback.KIND_SUBJECTS)

    def create(self, validated_data):
        """Submit through ``programs.services.submit_feedback`` (the caller is the author)."""
        kind = validated_data.pop("kind")
        mentorship = validated_data.pop("mentorship", None)
        program = validated_data.pop("program", None)
        answers = validated_data.pop("answers", None)
        return program_services.submit_feedback(
            _user(self), kind, mentorship=mentorship, program=program, answers=answers, **validated_data
        )


# --- skills --------------------------------------------------------------------------------------
class SkillRatingSerializer(serializers.ModelSerializer):
    """A level (1-5) in one program skill at the start or at closing, for the caller or, at closing, their mentee.

    The caller is the rater. ``subject`` defaults to the caller; a mentor names their mentee. A moment that is
    not open (closing before the pairing is completed or ended) is a 400 on ``moment``; rating the same skill
    again at the same moment replaces the level.
    """

    skill = AccessRelatedField(access=access.rateable_skills, model=models.ProgramSkill)
    subject = AccessRelatedField(access=access.skill_rating_subjects, model=get_user_model(), required=False)
    program = serializers.IntegerField(source="skill.program_id", read_only=True)

    class Meta:
        model = models.SkillRating
        fields = ["id", "skill", "program", "subject", "rater", "moment", "level", "created_at"]
        read_only_fields = ["rater", "created_at"]
        validators: list = []  # a second rating of the same skill and moment replaces the first (``rate_skills``)

    def create(self, validated_data):
        """Rate through ``skills.services.rate_skills`` (the caller is the rater)."""
        skill = validated_data["skill"]
        return skill_services.rate_skills(
            _user(self),
            skill.program,
            validated_data["moment"],
            {skill.pk: validated_data["level"]},
            subject=validated_data.get("subject"),
        )[0]


# --- training ------------------------------------------------------------------------------------
class CompletionSerializer(serializers.ModelSerializer):
    """The caller has completed a training resource (idempotent)."""

    resource = AccessRelatedField(access=visible_resources, model=models.TrainingResourcePage)

    class Meta:
        model = models.TrainingCompletion
        fields = ["id", "resource", "completed_at"]
        read_only_fields = ["completed_at"]

    def create(self, validated_data):
        """Mark done through ``training.services.mark_complete`` (a second call returns the same record)."""
        return training_services.mark_complete(_user(self), validated_data["resource"])


class EventSerializer(serializers.ModelSerializer):
    """A training event with its free places and whether the caller is registered."""

    online_url = serializers.CharField(read_only=True, help_text=_("Link to join online; empty when in person."))
    places_left = serializers.SerializerMethodField()
    registered = serializers.SerializerMethodField()

    class Meta:
        model = models.TrainingEvent
        fields = [
            "id",
            "title",
            "description",
            "start",
            "end",
            "location",
            "online_url",
            "capacity",
            "audience",
            "resource",
            "places_left",
            "registered",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_places_left(self, obj) -> int:
        """Places still free: the capacity minus the registrations (never below 0)."""
        return max(obj.capacity - getattr(obj, "registration_count", 0), 0)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_registered(self, obj) -> bool:
        """Whether you have a place at this event."""
        return obj.pk in self.context.get("registered_event_ids", ())


class RegistrationSerializer(serializers.ModelSerializer):
    """The caller's place at a training event (capacity-safe, through ``register``)."""

    event = AccessRelatedField(access=access.visible_training_events, model=models.TrainingEvent)

    class Meta:
        model = models.TrainingRegistration
        fields = ["id", "event", "created_at"]
        read_only_fields = ["created_at"]

    def create(self, validated_data):
        """Register through ``training.services.register`` (refused when the event is full or has started)."""
        return training_services.register(validated_data["event"], _user(self))


# --- the caller's dashboard ----------------------------------------------------------------------
class CheckInDueSerializer(serializers.Serializer):
    """A key result you may check in on that is due a check-in: its last check-in (else its objective's
    start) plus the check-in cadence of the objective's program is today or past."""

    key_result = serializers.IntegerField()
    title = serializers.CharField()
    objective = serializers.IntegerField()
    last_check_in = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField()


class NextSessionSerializer(serializers.Serializer):
    """Your next session: the earliest planned one across your active pairings (``session``, ``date``), and
    when that pairing's next session is due by (``due_on``: its last session, or its start, plus its meeting
    cadence). With nothing planned, ``session`` and ``date`` are null and the pairing is the one due first."""

    mentorship = serializers.IntegerField()
    due_on = serializers.DateField()
    session = serializers.IntegerField(allow_null=True)
    date = serializers.DateTimeField(allow_null=True)


class PathProgressSerializer(serializers.Serializer):
    """Your progress on the learning path a program requires of your role: resources completed of the total."""

    program = serializers.IntegerField()
    role = serializers.ChoiceField(choices=models.Enrolment.Role.choices)
    path = serializers.IntegerField()
    path_title = serializers.CharField()
    completed = serializers.IntegerField()
    total = serializers.IntegerField()


class MeSerializer(serializers.Serializer):
    """The caller's dashboard in one response."""

    user = PersonSerializer()
    mentorships = MentorshipSerializer(many=True)
    objectives = ObjectiveSerializer(many=True)
    check_ins_due = CheckInDueSerializer(many=True)
    next_session = NextSessionSerializer(allow_null=True)
    training = PathProgressSerializer(many=True)


# --- self-match ----------------------------------------------------------------------------------
class ReasonSerializer(serializers.Serializer):
    """One criterion's part of a suggested pair's score, as the matching engine explains it."""

    criterion = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)
    contribution = serializers.FloatField(read_only=True)


def reason_items(reasons) -> list[dict]:
    """Stored engine reasons (``proposals._jsonable``) as ``{"criterion", "message", "contribution"}`` items."""
    items = reasons.get("reasons", []) if isinstance(reasons, dict) else reasons or []
    return [
        {
            "criterion": str(item.get("criterion", "")),
            "message": str(item.get("message", "")),
            "contribution": float(item.get("contribution") or 0.0),
        }
        for item in items
        if isinstance(item, dict)
    ]


class MentorSuggestionSerializer(serializers.Serializer):
    """A mentor the matching engine suggests to you, in a self-match program where you are a mentee."""

    program = serializers.IntegerField(read_only=True, source="program_id")
    mentor = PersonSerializer(read_only=True)
    score = serializers.FloatField(read_only=True, help_text=_("The engine's pair score, 0 to 1."))
    score_words = serializers.SerializerMethodField(help_text=_("The score in words."))
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_score_words(self, obj) -> str:
        """``matching.score_words`` of the score."""
        return score_words(obj.score)

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, obj) -> list[dict]:
        """The engine's per-criterion reasons."""
        return reason_items(obj.reasons)


@extend_schema_serializer(component_name="SelfMatchRequest")  # "MentorshipRequest" is a mentorship's request body
class MentorshipRequestSerializer(serializers.ModelSerializer):
    """A request a mentee made to a mentor in a self-match program. ``POST`` names the program and a mentor
    the engine suggests (``mentor-suggestions/``); the mentor accepts or declines, the mentee withdraws."""

    serializer_field_mapping = STRICT_FIELD_MAPPING

    program = AccessRelatedField(access=access.self_match_programs, model=models.MentoringProgramPage)
    mentor = serializers.IntegerField(
        write_only=True, min_value=1, max_value=ID_MAX, help_text=_("The user id of a suggested mentor.")
    )
    mentee = PersonSerializer(read_only=True)
    mentor_person = PersonSerializer(read_only=True, source="mentor")
    score_words = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = models.MentorshipRequest
        fields = [
            "id",
            "program",
            "mentor",
            "mentor_person",
            "mentee",
            "status",
            "match_score",
            "score_words",
            "reasons",
            "created_at",
            "decided_at",
            "expires_on",
            "mentorship",
        ]
        read_only_fields = ["status", "match_score", "created_at", "decided_at", "expires_on", "mentorship"]

    def to_representation(self, instance) -> dict:
        """The row, with ``program`` as its id (the write field's choices are the caller's programs)."""
        data = super().to_representation(instance)
        data["program"] = instance.program_id
        return data

    @extend_schema_field(OpenApiTypes.STR)
    def get_score_words(self, obj) -> str:
        """``matching.score_words`` of the stored score."""
        return score_words(obj.match_score)

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, obj) -> list[dict]:
        """The engine's per-criterion reasons, as stored when the request was made."""
        return reason_items(obj.match_reasons)

    def create(self, validated_data):
        """Request through ``programs.selfmatch.request_mentor`` (a mentor not suggested: 400 on ``mentor``)."""
        mentor = get_user_model().objects.filter(pk=validated_data["mentor"], is_active=True).first()
        if mentor is None:
            raise serializers.ValidationError({"mentor": [_("Choose one of the suggested mentors.")]})
        return selfmatch.request_mentor(validated_data["program"], _user(self), mentor)
