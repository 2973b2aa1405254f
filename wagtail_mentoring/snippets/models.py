"""OKR snippet models: OKRCycle, Objective, KeyResult, CheckIn, Initiative and Realignment."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index

from wagtail_mentoring.inputs import MAX_TEXT_LENGTH, validate_date_window
from wagtail_mentoring.snippets import limits, scoring
from wagtail_mentoring.snippets.validators import validate_confidence, validate_finite, validate_key_result_target

#: A key result's weight in its objective's progress (the weighted mean in ``scoring.objective_progress``).
MIN_WEIGHT = 0.01
MAX_WEIGHT = 100
#: The confidence a new key result or check-in starts with (the middle of 0-10).
DEFAULT_CONFIDENCE = 5
#: How far up the parent chain ``Objective.clean`` looks for a cycle (alignment trees are shallow).
MAX_ALIGNMENT_DEPTH = 50

#: The label shown for each health state of ``scoring.health``: defined once in ``scoring.HEALTH_LABELS``.
HEALTH_LABELS = scoring.HEALTH_LABELS
#: ``HEALTH_LABELS`` as form and filter choices.
HEALTH_CHOICES = list(HEALTH_LABELS.items())


def _short_number(value: float) -> str:
    """A value as short localised text, without a trailing ``.0`` ("6.5", "6,5" in Italian, "8")."""
    return number_format(f"{float(value):g}")


class OKRCycle(models.Model):
    """A time box for objectives, e.g. "2026 Q3"; optionally tied to one program."""

    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"), validators=[validate_date_window])
    end_date = models.DateField(_("end date"), validators=[validate_date_window])
    program = models.ForeignKey(
        "wagtail_mentoring.MentoringProgramPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="okr_cycles",
        verbose_name=_("program"),
    )

    class Meta:
        verbose_name = _("OKR cycle")
        ordering = ["-start_date", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Reject an end date before the start date (on ``end_date``)."""
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class Objective(RevisionMixin, index.Indexed, scoring.HealthDisplay, ClusterableModel):
    """A qualitative goal with measurable key results, owned by one person, often within a pairing."""

    class Category(models.TextChoices):
        SKILLS_TRANSFER = "skills_transfer", _("Skills transfer")
        PROFESSIONAL_DEVELOPMENT = "professional_development", _("Professional development")
        PERSONAL_GROWTH = "personal_growth", _("Personal growth")
        CONFIDENCE = "confidence", _("Confidence")
        CAREER_PLANNING = "career_planning", _("Career planning")
        NETWORKING = "networking", _("Networking")
        LEADERSHIP = "leadership", _("Leadership")
        ACADEMIC = "academic", _("Academic")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        ORGANISATION = "organisation", _("Organisation")
        PROGRAM = "program", _("Program")
        PAIRING = "pairing", _("Pairing")
        MENTEE = "mentee", _("Mentee")
        MENTOR = "mentor", _("Mentor")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")
        ARCHIVED = "archived", _("Archived")

    #: Statuses of objectives no longer worked on: left off dashboards, check-ins and the pairing's limit.
    CLOSED_STATUSES = (Status.CANCELLED, Status.ARCHIVED)
    #: Statuses of objectives the owner took up and keeps: not a draft (a goal not yet taken up, such as one made
    #: of the goals written when applying), not closed. A journey's "objectives set" step and the certificate's
    #: "every objective graded" rule look at these.
    TAKEN_UP_STATUSES = (Status.ACTIVE, Status.ACHIEVED, Status.MISSED)

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), max_length=MAX_TEXT_LENGTH, blank=True)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, default=Category.OTHER)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.MENTEE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_objectives",
        verbose_name=_("owner"),
    )
    mentorship = models.ForeignKey(
        "wagtail_mentoring.Mentorship",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("mentorship"),
    )
    program = models.ForeignKey(
        "wagtail_mentoring.MentoringProgramPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("program"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("aligned to (parent objective)"),
    )
    cycle = models.ForeignKey(
        OKRCycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="objectives", verbose_name=_("cycle")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validate_date_window])
    due_date = models.DateField(_("due date"), null=True, blank=True, validators=[validate_date_window])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.FilterField("status"),
        index.FilterField("category"),
        index.FilterField("owner_id"),
        # The admin listing restricts (and filters by health) with ``id__in``; search needs these.
        index.FilterField("id"),
        index.FilterField("cycle"),
        index.FilterField("due_date"),
        index.FilterField("level"),
    ]

    class Meta:
        verbose_name = _("objective")
        ordering = ["due_date", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    # --- dates -----------------------------------------------------------------------------
    @property
    def effective_start(self) -> dt.date | None:
        """The objective's own start date, else its cycle's; ``None`` with neither."""
        if self.start_date:
            return self.start_date
        return self.cycle.start_date if self.cycle_id and self.cycle else None

    @property
    def effective_due(self) -> dt.date | None:
        """The objective's own due date, else its cycle's end date; ``None`` with neither."""
        if self.due_date:
            return self.due_date
        return self.cycle.end_date if self.cycle_id and self.cycle else None

    # --- computation contract ------------------------------------------------------------------
    @property
    def progress(self) -> float:
        """Weighted mean progress of the key results in [0, 1] (``scoring.objective_progress``); 0.0 without any.

        Reads ``key_results.all()``: prefetch them in listings (``snippets.views.objective_listing_queryset``).
        """
        return scoring.objective_progress((kr.progress, kr.weight) for kr in self.key_results.all())

    @property
    def grade(self) -> tuple[float, str]:
        """``(grade, band)`` of the current progress, e.g. ``(0.7, "green")`` (``scoring.grade``)."""
        return scoring.grade(self.progress)

    def health_on(self, on: dt.date, progress: float | None = None) -> str:
        """Health at ``on`` from progress and the effective dates (``scoring.health``, margins from settings).

        ``progress``: :attr:`progress` when the caller has already computed it (it reads every key result).
        The same rule in SQL, for filtering listings, is ``snippets.annotations.with_health``.
        """
        return scoring.health(
            self.progress if progress is None else progress, self.effective_start, self.effective_due, on
        )

    @property
    def health(self) -> str:
        """Health today (:meth:`health_on` with ``timezone.localdate()``)."""
        return self.health_on(timezone.localdate())

    # --- display helpers (listing columns and exports) -------------------------------------------
    @property
    def progress_percent(self) -> int:
        """Progress as a whole percentage (0-100)."""
        return round(self.progress * 100)

    @property
    def grade_value(self) -> float:
        """The grade alone (export column)."""
        return self.grade[0]

    @property
    def grade_band(self) -> str:
        """The grade's band, ``"red"``, ``"yellow"`` or ``"green"`` (export column)."""
        return self.grade[1]

    @property
    def max_key_results(self) -> int:
        """The most key results this objective may have (``snippets.limits.key_result_limit``)."""
        return limits.key_result_limit(self, self.program if self.program_id else None)

    def team_ids(self) -> set[int]:
        """The people who work on the objective, to whom a step of its action plan may be assigned: its owner
        and, for an objective of a pairing, the mentor and the mentee."""
        people = {self.owner_id}
        if self.mentorship_id:
            people |= {self.mentorship.mentor_id, self.mentorship.mentee_id}
        return people - {None}

    def clean(self) -> None:
        """Reject a due date before the start, an alignment cycle (parent chain back to itself), and a
        program other than the mentorship's. Errors are collected per field and raised together.

        The OKR limits are not checked here but in ``snippets.services`` (they need a lock).
        """
        errors: dict[str, list] = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors.setdefault("due_date", []).append(_("The due date cannot be before the start date."))
        if self.parent_id and self.pk and self._parent_chain_contains_self():
            errors.setdefault("parent", []).append(
                _("An objective cannot be aligned to itself or to one of its own child objectives.")
            )
        if self.mentorship_id and self.program_id and self.mentorship.program_id != self.program_id:
            errors.setdefault("program", []).append(_("The program must be the mentorship's program."))
        if errors:
            raise ValidationError(errors)

    def _parent_chain_contains_self(self, max_depth: int = MAX_ALIGNMENT_DEPTH) -> bool:
        seen: set[int] = set()
        parent_id = self.parent_id
        while parent_id and len(seen) < max_depth:
            if parent_id == self.pk:
                return True
            if parent_id in seen:
                return False
            seen.add(parent_id)
            parent_id = Objective.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        return False

    def save(self, *args, **kwargs) -> None:
        """Save; a pairing objective without a program takes its mentorship's program."""
        if self.mentorship_id and not self.program_id:
            self.program_id = self.mentorship.program_id
        super().save(*args, **kwargs)


class KeyResult(Orderable):
    """A measurable, time-bound result of an objective; its history is its check-ins."""

    class Kind(models.TextChoices):
        NUMBER = "number", _("Number")
        PERCENT = "percent", _("Percentage")
        CURRENCY = "currency", _("Currency")
        BOOLEAN = "boolean", _("Yes / no")
        MILESTONE = "milestone", _("Milestone")

    objective = ParentalKey(
        Objective, on_delete=models.CASCADE, related_name="key_results", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NUMBER)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    start_value = models.FloatField(_("start value"), default=0, validators=[validate_finite])
    target_value = models.FloatField(_("target value"), default=1, validators=[validate_finite])
    current_value = models.FloatField(_("current value"), null=True, blank=True, validators=[validate_finite])
    weight = models.FloatField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(MIN_WEIGHT), MaxValueValidator(MAX_WEIGHT), validate_finite],
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, validators=[validate_date_window])
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence (0-10)"), default=DEFAULT_CONFIDENCE, validators=[validate_confidence]
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta(Orderable.Meta):
        verbose_name = _("key result")

    def __str__(self) -> str:
        return self.title

    @property
    def is_numeric(self) -> bool:
        """Is the kind a number, percentage or currency (``scoring.NUMERIC_KINDS``), not yes/no or milestone?"""
        return self.kind in scoring.NUMERIC_KINDS

    @property
    def progress_percent(self) -> int:
        """Progress as a whole percentage (0-100)."""
        return round(self.progress * 100)

    @property
    def value_text(self) -> str:
        """The current value against the target with the unit, localised (``scoring.value_text``): "3 of 10 talks",
        "6.5/10, target 8/10"; for yes/no and milestones "Done" or "Not yet"."""
        if not self.is_numeric:
            return str(_("Done") if self.progress >= 1 else _("Not yet"))
        current = self.start_value if self.current_value is None else self.current_value
        return scoring.value_text(_short_number(current), _short_number(self.target_value), self.unit)

    @property
    def target_text(self) -> str:
        """The target with its unit, localised: "6 talks", "80%"."""
        return scoring.with_unit(_short_number(self.target_value), self.unit)

    @property
    def progress(self) -> float:
        """Progress in [0, 1] (``scoring.key_result_progress``); 0.0 for a numeric target equal to its start."""
        return scoring.saved_key_result_progress(self.kind, self.start_value, self.target_value, self.current_value)

    @property
    def effective_due(self) -> dt.date | None:
        """The key result's own due date, else its objective's (:attr:`Objective.effective_due`)."""
        return self.due_date or self.objective.effective_due

    def health_on(self, on: dt.date) -> str:
        """Health at ``on``: ``scoring.health`` of its progress over its objective's start and its own due date
        (its objective's when it has none)."""
        return scoring.health(self.progress, self.objective.effective_start, self.effective_due, on)

    def needs_review_on(self, on: dt.date) -> bool:
        """Is it at risk, off track or missed at ``on`` (``scoring.needs_review``), so the pair may review and
        realign it (``snippets.services.realign_key_result``)?"""
        return scoring.needs_review(self.health_on(on), self.progress, self.effective_due, on)

    def target_on(self, when: dt.datetime, realignments=None) -> float:
        """The target in force at ``when`` (``scoring.target_in_force``), from ``realignments`` (default: all of
        them; pass a prefetched list in listings)."""
        rows = self.realignments.all() if realignments is None else realignments
        changes = [(r.created_at, r.previous_target) for r in rows if r.previous_target != r.target_value]
        return scoring.target_in_force(changes, self.target_value, when)

    def target_text_on(self, when: dt.datetime, realignments=None) -> str:
        """:meth:`target_on` with the unit, localised (a check-in's "target then")."""
        return scoring.with_unit(_short_number(self.target_on(when, realignments)), self.unit)

    def clean(self) -> None:
        """Reject a numeric target equal to the start value, and a due date before the objective's start."""
        errors: dict[str, list] = {}
        try:
            validate_key_result_target(self.kind, self.start_value, self.target_value)
        except ValidationError as exc:
            errors.setdefault("target_value", []).extend(exc.messages)
        if self.objective_id is not None or getattr(self, "objective", None) is not None:
            try:
                objective = self.objective
            except Objective.DoesNotExist:
                objective = None
            start = objective.effective_start if objective else None
            if self.due_date and start and self.due_date < start:
                errors.setdefault("due_date", []).append(_("The due date cannot be before the objective's start."))
        if errors:
            raise ValidationError(errors)


class CheckIn(models.Model):
    """One update of a key result: the new value, confidence and a note. Sets the current value."""

    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("key result")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    value = models.FloatField(_("value"), validators=[validate_finite])
    confidence = models.PositiveSmallIntegerField(
        _("confidence (0-10)"), default=DEFAULT_CONFIDENCE, validators=[validate_confidence]
    )
    note = models.TextField(_("note"), max_length=MAX_TEXT_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("check-in")
        ordering = ["-created_at", "-pk"]
        # A key result's newest check-in (``programs.selectors.with_last_check_in``, the charts, "due a
        # check-in") is read per key result: one index seek each instead of a sort of its history.
        indexes = [models.Index(fields=["key_result", "created_at"], name="wm_checkin_kr_created")]

    def __str__(self) -> str:
        return f"{self.key_result}: {self.value:g}"

    @property
    def value_text(self) -> str:
        """The value with its key result's unit, localised: "10.5 PRs", "54%"."""
        return scoring.with_unit(_short_number(self.value), self.key_result.unit)


class Initiative(Orderable):
    """One step of an objective's action plan."""

    objective = ParentalKey(
        Objective, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("objective")
    )
    title = models.CharField(_("title"), max_length=255)
    done = models.BooleanField(_("done"), default=False)
    due_date = models.DateField(_("due date"), null=True, blank=True, validators=[validate_date_window])
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assignee"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("initiative")

    def __str__(self) -> str:
        return self.title

    def is_overdue_on(self, on: dt.date) -> bool:
        """Is the step still open after its due date?

        Example:
            >>> Initiative(title="Book a room", due_date=dt.date(2026, 3, 1)).is_overdue_on(dt.date(2026, 3, 2))
            True
        """
        return not self.done and self.due_date is not None and self.due_date < on

    @property
    def is_overdue(self) -> bool:
        """:meth:`is_overdue_on` today."""
        return self.is_overdue_on(timezone.localdate())


class Realignment(scoring.HealthDisplay, models.Model):
    """A key result reviewed when at risk, off track or missed: what happened, what changes, and the target and
    due date before and after (so history keeps both, and progress at a past check-in uses the target then)."""

    key_result = models.ForeignKey(
        KeyResult, on_delete=models.CASCADE, related_name="realignments", verbose_name=_("key result")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("reviewed at"), default=timezone.now, db_index=True)
    health = models.CharField(_("health when reviewed"), max_length=12, choices=HEALTH_CHOICES)
    progress = models.FloatField(_("progress when reviewed"))
    # TextField's max_length binds forms only: the validator holds it on every write path too.
    what_happened = models.TextField(
        _("what happened"), max_length=MAX_TEXT_LENGTH, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)]
    )
    what_changes = models.TextField(
        _("what changes"), max_length=MAX_TEXT_LENGTH, validators=[MaxLengthValidator(MAX_TEXT_LENGTH)]
    )
    previous_target = models.FloatField(_("previous target"), validators=[validate_finite])
    target_value = models.FloatField(_("target"), validators=[validate_finite])
    previous_due_date = models.DateField(_("previous due date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, validators=[validate_date_window])

    class Meta:
        verbose_name = _("review and realignment")
        verbose_name_plural = _("reviews and realignments")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.key_result}: {self.created_at:%Y-%m-%d}"

    @property
    def target_changed(self) -> bool:
        """Did this review change the target?"""
        return self.previous_target != self.target_value

    @property
    def due_date_changed(self) -> bool:
        """Did this review change the due date?"""
        return self.previous_due_date != self.due_date

    @property
    def previous_target_text(self) -> str:
        """The target before this review, with the key result's unit."""
        return scoring.with_unit(_short_number(self.previous_target), self.key_result.unit)

    @property
    def target_text(self) -> str:
        """The target after this review, with the key result's unit."""
        return scoring.with_unit(_short_number(self.target_value), self.key_result.unit)
