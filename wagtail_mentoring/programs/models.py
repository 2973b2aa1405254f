"""Program pages, profiles, enrolments, mentorships, sessions and feedback."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from wagtail_mentoring.conf import default_max_key_results, default_max_objectives
from wagtail_mentoring.inputs import (
    MAX_LINE_LENGTH,
    MAX_TEXT_LENGTH,
    text_lines,
    validate_date_window,
    validate_place_or_link,
    web_link,
)
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import activity
from wagtail_mentoring.programs.activity import DEFAULT_CHECK_IN_CADENCE_DAYS
from wagtail_mentoring.programs.blocks import JourneyStreamBlock, ProgramStreamBlock
from wagtail_mentoring.programs.journeys import MANUAL as MANUAL_STEP
from wagtail_mentoring.programs.journeys import JourneyStep
from wagtail_mentoring.programs.timeline import ANCHORS, missing_anchors

#: A program's default meeting cadence (days between sessions).
DEFAULT_MEETING_CADENCE_DAYS = 14
#: The longest meeting or check-in cadence a program or pairing may set (days).
MAX_CADENCE_DAYS = 365
#: A logged session's default length, and the longest one (a day), in minutes.
DEFAULT_SESSION_MINUTES = 60
MAX_SESSION_MINUTES = 24 * 60
#: The highest objectives-per-pairing or key-results-per-objective limit a program may set.
MAX_OKR_LIMIT = 20
#: Pairing check surveys: the default and the allowed range of their period (days).
DEFAULT_PAIRING_CHECK_DAYS = 30
#: The first pairing check falls this many days after the start of a pairing (``surveys.scheduling``).
FIRST_PAIRING_CHECK_DAYS = 30
MIN_PAIRING_CHECK_DAYS = 7
#: The ending-soon reminder: default and longest lead time before a program's end (days).
DEFAULT_ENDING_SOON_DAYS = 14
MAX_ENDING_SOON_DAYS = 90
#: Days a mentor has to answer a mentee's request (self-match), by default and at most.
DEFAULT_REQUEST_RESPONSE_DAYS = 3
MAX_REQUEST_RESPONSE_DAYS = 30
#: Seniority levels run from 1 to this (matching compares them).
MAX_SENIORITY = 10
#: The most mentees a mentor may take on in one program.
MAX_MENTOR_CAPACITY = 20
#: How many mentors a mentee enrols for: one.
MENTEE_CAPACITY = 1
#: Feedback scales: a rating from 1 to 5 and a likelihood to recommend (NPS) from 0 to 10.
RATING_MIN, RATING_MAX = 1, 5
NPS_MAX = 10
#: Group mentoring: the default and the largest number of members of a group or peer circle (its mentor
#: not counted), and the fewest a group is meant for.
DEFAULT_GROUP_SIZE = 6
MAX_GROUP_SIZE = 30
MIN_GROUP_SIZE = 2


class MentoringProgramIndexPage(RoutablePageMixin, Page):
    """Lists the organisation's mentoring programs; ``profile/`` edits the visitor's mentoring profile."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["wagtail_mentoring.MentoringProgramPage"]
    template = "wagtail_mentoring/programs/program_index_page.html"
    api_fields = [APIField("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("mentoring program index")

    def get_context(self, request, *args, **kwargs):
        """Add ``programs``: the live child programs the user may see, with their enrolment state
        (``views.program_listing``)."""
        # Wagtail dispatch: page methods hand the request to the views, which import these models.
        from wagtail_mentoring.programs.views import program_listing

        context = super().get_context(request, *args, **kwargs)
        context["programs"] = program_listing(self, request)
        return context

    @path("profile/", name="profile")
    def profile(self, request):
        """The ``profile/`` route: the user's mentoring profile form (``views.profile_view``)."""
        # Wagtail dispatch: page methods hand the request to the views, which import these models.
        from wagtail_mentoring.programs.views import profile_view

        return profile_view(request, self)


class MentoringProgramPage(RoutablePageMixin, Page):
    """A mentoring program: objectives, role expectations, timeline, limits and matching settings."""

    class MatchingStrategy(models.TextChoices):
        BEST_TOTAL = "best_total", _("Best total score")
        MOST_MATCHED = "most_matched", _("Most mentees matched")

    class MatchingMode(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinators match")
        SELF_MATCH = "self_match", _("Mentees choose their mentor")
        SELF_MATCH_FIRST = "self_match_first", _("Mentees choose first, then coordinators match the rest")

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(ProgramStreamBlock(), blank=True, verbose_name=_("body"))
    journey = StreamField(
        JourneyStreamBlock(),
        blank=True,
        verbose_name=_("journey"),
        help_text=_("The steps each pair takes, each due a number of days after the pairing starts."),
    )
    goals = models.TextField(
        _("program goals"),
        max_length=MAX_TEXT_LENGTH,
        blank=True,
        help_text=_("One goal per line, e.g. 'Increase retention'."),
    )
    mentor_expectations = RichTextField(_("expectations for mentors"), blank=True)
    mentee_expectations = RichTextField(_("expectations for mentees"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validate_date_window])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_date_window])
    enrolment_open = models.BooleanField(_("enrolment open"), default=True)
    enrolment_deadline = models.DateField(
        _("enrolment deadline"), null=True, blank=True, validators=[validate_date_window]
    )
    meeting_cadence_days = models.PositiveSmallIntegerField(
        _("meeting cadence (days)"),
        default=DEFAULT_MEETING_CADENCE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_DAYS)],
    )
    check_in_cadence_days = models.PositiveSmallIntegerField(
        _("check-in cadence (days)"),
        default=DEFAULT_CHECK_IN_CADENCE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_DAYS)],
    )
    max_objectives = models.PositiveSmallIntegerField(
        _("maximum objectives per pairing"),
        default=default_max_objectives,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OKR_LIMIT)],
    )
    max_key_results = models.PositiveSmallIntegerField(
        _("maximum key results per objective"),
        default=default_max_key_results,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_OKR_LIMIT)],
    )
    mentor_learning_path = models.ForeignKey(
        "wagtail_mentoring.LearningPath",
        verbose_name=_("required learning path for mentors"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mentee_learning_path = models.ForeignKey(
        "wagtail_mentoring.LearningPath",
        verbose_name=_("required learning path for mentees"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matching_weights = models.JSONField(
        _("matching weights"), default=dict, blank=True, help_text=_("Criterion name to weight.")
    )
    matching_rules = models.JSONField(
        _("matching rules"), default=dict, blank=True, help_text=_("Hard rules, e.g. shared language.")
    )
    matching_strategy = models.CharField(
        _("matching strategy"), max_length=20, choices=MatchingStrategy.choices, default=MatchingStrategy.BEST_TOTAL
    )
    matching_mode = models.CharField(
        _("matching mode"),
        max_length=20,
        choices=MatchingMode.choices,
        default=MatchingMode.COORDINATOR,
        help_text=_("Whether accepted mentees see suggested mentors and request one themselves."),
    )
    request_response_days = models.PositiveSmallIntegerField(
        _("days to answer a mentee's request"),
        default=DEFAULT_REQUEST_RESPONSE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REQUEST_RESPONSE_DAYS)],
        help_text=_("A mentor's pending request expires after this many days."),
    )
    coordinators = models.ForeignKey(
        Group,
        verbose_name=_("coordinators"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Members of this group coordinate the program."),
    )
    # --- engagement: reminders, surveys and reports ---
    anonymous_feedback = models.BooleanField(
        _("anonymous feedback"),
        default=True,
        help_text=_("Coordinators see survey results only as aggregates, never attributed to a person."),
    )
    pairing_check_days = models.PositiveSmallIntegerField(
        _("pairing check every (days)"),
        default=DEFAULT_PAIRING_CHECK_DAYS,
        validators=[MinValueValidator(MIN_PAIRING_CHECK_DAYS), MaxValueValidator(MAX_CADENCE_DAYS)],
        help_text=format_lazy(
            _("The first pairing check survey is due {first} days after the start, then again every this many days."),
            first=FIRST_PAIRING_CHECK_DAYS,
        ),
    )
    ending_soon_days = models.PositiveSmallIntegerField(
        _("ending-soon reminder (days before the end)"),
        default=DEFAULT_ENDING_SOON_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ENDING_SOON_DAYS)],
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("goals"),
        FieldPanel("mentor_expectations"),
        FieldPanel("mentee_expectations"),
        FieldPanel("body"),
        InlinePanel("skills", heading=_("Skills this program develops"), label=_("Skill")),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("enrolment_open"), FieldPanel("enrolment_deadline")]),
                FieldRowPanel([FieldPanel("meeting_cadence_days"), FieldPanel("check_in_cadence_days")]),
                FieldRowPanel([FieldPanel("max_objectives"), FieldPanel("max_key_results")]),
                FieldPanel("coordinators"),
            ],
            heading=_("Program"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("mentor_learning_path"),
                FieldPanel("mentee_learning_path"),
                FieldPanel("matching_strategy"),
                FieldRowPanel([FieldPanel("matching_mode"), FieldPanel("request_response_days")]),
                FieldPanel("matching_weights"),
                FieldPanel("matching_rules"),
            ],
            heading=_("Training and matching"),
        ),
    ]
    settings_panels = settings_panels + [
        MultiFieldPanel(
            [
                FieldPanel("anonymous_feedback"),
                FieldRowPanel([FieldPanel("pairing_check_days"), FieldPanel("ending_soon_days")]),
            ],
            heading=_("Reminders and surveys"),
        ),
    ]
    journey_panels = [FieldPanel("journey")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(journey_panels, heading=_("Journey")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("goals")]
    parent_page_types = ["wagtail_mentoring.MentoringProgramIndexPage"]
    subpage_types: list[str] = ["wagtail_mentoring.SurveyPage"]
    template = "wagtail_mentoring/programs/program_page.html"
    api_fields = [
        APIField("intro"),
        APIField("body"),
        APIField("goals"),
        APIField("goals_list"),
        APIField("mentor_expectations"),
        APIField("mentee_expectations"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("enrolment_open"),
        APIField("enrolment_deadline"),
        APIField("enrolment_status_code"),
        APIField("meeting_cadence_days"),
        APIField("check_in_cadence_days"),
        APIField("max_objectives"),
        APIField("max_key_results"),
    ]

    class Meta:
        verbose_name = _("mentoring program")
        permissions = [("coordinate_program", _("Can coordinate the mentoring program"))]

    @property
    def goals_list(self) -> list[str]:
        """The program goals, one per non-empty line of ``goals``."""
        return text_lines(self.goals)

    @property
    def enrolment_status_code(self) -> str:
        """``"open"``, ``"closed"`` or ``"deadline_passed"`` (today)."""
        if not self.enrolment_open:
            return "closed"
        if self.enrolment_deadline and timezone.localdate() > self.enrolment_deadline:
            return "deadline_passed"
        return "open"

    @property
    def enrolment_status_label(self) -> str:
        """The enrolment status as a sentence for visitors."""
        code = self.enrolment_status_code
        if code == "closed":
            return _("Enrolment is closed.")
        if code == "deadline_passed":
            return _("The enrolment deadline has passed.")
        if self.enrolment_deadline:
            return _("Enrolment is open until %(date)s.") % {"date": date_format(self.enrolment_deadline)}
        return _("Enrolment is open.")

    @property
    def sections_in_body(self) -> frozenset[str]:
        """Which of the page's own sections its body already shows, so that the page shows each once.

        ``"goals"`` when the body has a goals block; ``"mentor_expectations"`` / ``"mentee_expectations"``
        when it has an expectations block for that role. The page's fields stay the data (the API, the
        enrolment form); the body's richer block is what a reader sees.
        """
        shown = set()
        for block in self.body:
            if block.block_type == "goals":
                shown.add("goals")
            elif block.block_type == "expectations" and block.value.get("role") in ("mentor", "mentee"):
                shown.add(f"{block.value['role']}_expectations")
        return frozenset(shown)

    def roles_open_to(self, enrolments) -> list[str]:
        """The roles the visitor may still apply for: those of ``Enrolment.Role`` they have no enrolment in
        (one enrolment per program, person and role)."""
        taken = {enrolment.role for enrolment in enrolments}
        return [role for role in Enrolment.Role.values if role not in taken]

    def invites_application(self, enrolments) -> bool:
        """Whether to offer the visitor "Apply": enrolment is open (``enrolment_status_code``) and they
        have no enrolment here yet. Someone who applied sees their enrolment's status instead."""
        return self.enrolment_status_code == "open" and not enrolments

    @property
    def journey_steps(self) -> list[JourneyStep]:
        """The journey's steps (``programs.journeys.JourneyStep``), in order, each with its block's id.

        Read from the field's stored data, so that the linked resource and path are ids (no query).
        """
        steps = []
        for item in self.journey.raw_data:
            value = item.get("value") or {}
            if item.get("type") != "step" or not isinstance(value, dict):
                continue
            steps.append(
                JourneyStep(
                    id=str(item.get("id") or ""),
                    title=str(value.get("title") or ""),
                    days_after_start=_int_or(value.get("days_after_start"), 0),
                    description=str(value.get("description") or ""),
                    completes_when=str(value.get("completes_when") or MANUAL_STEP),
                    survey_kind=str(value.get("survey_kind") or ""),
                    resource_id=_int_or(value.get("resource"), None),
                    path_id=_int_or(value.get("path"), None),
                )
            )
        return steps

    def journey_step(self, step_id: str) -> JourneyStep | None:
        """The journey's step with id ``step_id``, or ``None``."""
        return next((step for step in self.journey_steps if step.id == step_id), None)

    def timeline_dates(self) -> dict:
        """The program's dates a timeline milestone may follow (``programs.timeline.ANCHORS``)."""
        return {name: getattr(self, name) for name in ANCHORS}

    def clean(self) -> None:
        """Refuse a timeline milestone that follows a program date the page does not set (on that date)."""
        super().clean()
        anchors = [
            milestone.get("anchor") or ""
            for block in self.body
            if block.block_type == "timeline"
            for milestone in block.value["milestones"]
        ]
        missing = missing_anchors(anchors, self.timeline_dates())
        if missing:
            raise ValidationError(
                {
                    name: _("A milestone of the timeline follows this date: set it, or give the milestone a date.")
                    for name in missing
                }
            )

    def get_context(self, request, *args, **kwargs):
        """Add ``my_enrolments`` (the visitor's own enrolments in this program; none for anonymous or
        inactive users) and ``can_apply`` (:meth:`invites_application`)."""
        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["my_enrolments"] = (
            list(self.enrolments.filter(user=user)) if user.is_authenticated and user.is_active else []
        )
        context["can_apply"] = self.invites_application(context["my_enrolments"])
        return context

    @path("enrol/", name="enrol")
    def enrol(self, request):
        """The ``enrol/`` route: apply as mentor or mentee (``views.enrol_view``; login required)."""
        # Wagtail dispatch: page methods hand the request to the views, which import these models.
        from wagtail_mentoring.programs.views import enrol_view

        return enrol_view(request, self)


def _int_or(value, default):
    """``value`` as an int (a stored block value), else ``default``."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class ProfileSkill(TaggedItemBase):
    """Through model for a profile's skill tags (django-taggit)."""

    content_object = models.ForeignKey("MentoringProfile", on_delete=models.CASCADE, related_name="+")


class ProfileInterest(TaggedItemBase):
    """Through model for a profile's interest tags (django-taggit)."""

    content_object = models.ForeignKey("MentoringProfile", on_delete=models.CASCADE, related_name="+")


class MentoringProfile(models.Model):
    """One employee's mentoring profile (1:1 with the user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_profile", verbose_name=_("user")
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, help_text=_("e.g. Europe/Rome"))
    languages = models.CharField(_("languages"), max_length=255, blank=True, help_text=_("Comma-separated."))
    seniority = models.PositiveSmallIntegerField(
        _("seniority"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_SENIORITY)]
    )
    skills = TaggableManager(
        _("skills"), through=ProfileSkill, blank=True, related_name="mentoring_profiles_with_skill"
    )
    interests = TaggableManager(
        _("interests"), through=ProfileInterest, blank=True, related_name="mentoring_profiles_with_interest"
    )
    career_goals = models.TextField(_("career goals"), max_length=MAX_TEXT_LENGTH, blank=True)
    bio = models.TextField(_("bio"), max_length=MAX_TEXT_LENGTH, blank=True)

    class Meta:
        verbose_name = _("mentoring profile")

    def __str__(self) -> str:
        return display_name(self.user)


class Enrolment(models.Model):
    """A person's application to a program, as mentor or mentee."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    program = models.ForeignKey(
        MentoringProgramPage, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_enrolments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    goals = models.TextField(
        _("goals"), max_length=MAX_TEXT_LENGTH, blank=True, help_text=_("What you want from the program.")
    )
    skills_sought = models.CharField(_("skills sought"), max_length=500, blank=True, help_text=_("Comma-separated."))
    skills_offered = models.CharField(_("skills offered"), max_length=500, blank=True, help_text=_("Comma-separated."))
    interests = models.CharField(_("interests"), max_length=500, blank=True, help_text=_("Comma-separated."))
    languages = models.CharField(_("languages"), max_length=255, blank=True, help_text=_("Comma-separated."))
    availability = models.TextField(_("availability"), max_length=MAX_TEXT_LENGTH, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("mentor capacity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_MENTOR_CAPACITY)]
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("enrolment")
        ordering = ["program", "role", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["program", "user", "role"], name="wm_enrolment_unique_program_user_role")
        ]

    def __str__(self) -> str:
        return f"{display_name(self.user)} ({self.get_role_display()}) - {self.program}"

    @property
    def goals_list(self) -> list[str]:
        """The goals written at enrolment, one per line (``inputs.text_lines``); each becomes a draft objective
        when the mentee's pairing is approved (``snippets.services.drafts_from_enrolment_goals``)."""
        return text_lines(self.goals)

    def get_user_display(self) -> str:
        """The applicant by name (``people.display_name``): admin listings and inspect views use it."""
        return display_name(self.user)

    def get_reviewed_by_display(self) -> str:
        """The reviewer by name (``people.display_name``), empty when nobody has reviewed it."""
        return display_name(self.reviewed_by)

    @staticmethod
    def split(value: str) -> set[str]:
        """A comma-separated free-text list as a set of lowercase, stripped terms (empty items dropped).

        Example:
            ``Enrolment.split("Python, SQL ,,")`` is ``{"python", "sql"}``; matching compares these sets.
        """
        return {part.strip().lower() for part in value.split(",") if part.strip()}


class Mentorship(models.Model):
    """A pairing of one mentor with one mentee within a program, with its agreement."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended")

    program = models.ForeignKey(
        MentoringProgramPage, on_delete=models.CASCADE, related_name="mentorships", verbose_name=_("program")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentee",
        verbose_name=_("mentee"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    match_score = models.FloatField(_("match score"), null=True, blank=True)
    match_reasons = models.JSONField(_("match reasons"), default=dict, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[validate_date_window])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_date_window])
    end_reason = models.TextField(_("end reason"), max_length=MAX_TEXT_LENGTH, blank=True)
    # The agreement, captured at the start.
    expectations = models.TextField(_("agreed expectations"), max_length=MAX_TEXT_LENGTH, blank=True)
    meeting_cadence_days = models.PositiveSmallIntegerField(
        _("meeting cadence (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_DAYS)],
    )
    topics_in_bounds = models.TextField(_("topics in bounds"), max_length=MAX_TEXT_LENGTH, blank=True)
    topics_out_of_bounds = models.TextField(_("topics out of bounds"), max_length=MAX_TEXT_LENGTH, blank=True)
    # Each person's confirmation that they read and accept the agreement (``services.confirm_agreement``).
    mentor_confirmed_at = models.DateTimeField(_("agreement confirmed by the mentor at"), null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(_("agreement confirmed by the mentee at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentorship")
        ordering = ["program", "-proposed_at"]
        permissions = [
            ("participate_mentorship", _("Can take part in the mentorship (check in, log sessions)")),
            ("view_session_notes", _("Can read the pairing's private session notes")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="wm_mentorship_not_self"),
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status="active"),
                name="wm_mentorship_one_active_per_mentee",
            ),
        ]

    #: The agreement, captured at the start and edited by the pair; changing it asks both to confirm it again.
    AGREEMENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "expectations",
        "meeting_cadence_days",
        "topics_in_bounds",
        "topics_out_of_bounds",
    )
    CONFIRMATION_FIELDS: ClassVar[tuple[str, ...]] = ("mentor_confirmed_at", "mentee_confirmed_at")

    def __str__(self) -> str:
        return f"{display_name(self.mentor)} \u2192 {display_name(self.mentee)} ({self.program})"

    @classmethod
    def from_db(cls, db, field_names, values):
        """Remember the agreement as loaded, so that :meth:`save` can tell when it changed."""
        instance = super().from_db(db, field_names, values)
        if all(name in instance.__dict__ for name in cls.AGREEMENT_FIELDS):
            instance._wm_loaded_agreement = instance._agreement_values()
        return instance

    def _agreement_values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.AGREEMENT_FIELDS)

    def save(self, *args, **kwargs) -> None:
        """Save; when the agreement changed since it was loaded, its confirmations are cleared (both read and
        confirm the new agreement: ``agreement_to_confirm``), whatever surface changed it (admin, API)."""
        loaded = getattr(self, "_wm_loaded_agreement", None)
        update_fields = kwargs.get("update_fields")
        if (
            loaded is not None
            and self._agreement_values() != loaded
            and any(getattr(self, name) for name in self.CONFIRMATION_FIELDS)
        ):
            for name in self.CONFIRMATION_FIELDS:
                setattr(self, name, None)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.CONFIRMATION_FIELDS}
        super().save(*args, **kwargs)
        self._wm_loaded_agreement = self._agreement_values()

    def get_mentor_display(self) -> str:
        """The mentor by name (``people.display_name``): admin listings and inspect views use it."""
        return display_name(self.mentor)

    def get_mentee_display(self) -> str:
        """The mentee by name (``people.display_name``): admin listings and inspect views use it."""
        return display_name(self.mentee)

    @property
    def has_agreement(self) -> bool:
        """Did the pair write an agreement (expectations, or topics in or out of bounds)?"""
        return bool(self.expectations or self.topics_in_bounds or self.topics_out_of_bounds)

    def agreement_confirmed_at(self, user) -> dt.datetime | None:
        """When ``user`` (the mentor or the mentee) confirmed the agreement; ``None`` if not (or not in the pair)."""
        if user.pk == self.mentor_id:
            return self.mentor_confirmed_at
        if user.pk == self.mentee_id:
            return self.mentee_confirmed_at
        return None

    def agreement_to_confirm(self, user) -> bool:
        """The one "agreement to confirm" rule: the pairing is active, has a written agreement, and ``user``
        (its mentor or its mentee) has not confirmed it yet.

        Example:
            >>> pairing.agreement_to_confirm(request.user)
            True
        """
        return (
            self.status == self.Status.ACTIVE
            and self.has_agreement
            and user.pk in (self.mentor_id, self.mentee_id)
            and self.agreement_confirmed_at(user) is None
        )

    @property
    def cadence_days(self) -> int:
        """The pair's own meeting cadence (agreement) if set, else the program's."""
        return self.meeting_cadence_days or self.program.meeting_cadence_days


class MatchingRun(models.Model):
    """One run of matching for a program, done in the background (``programs.tasks``): its state and progress.

    At most one run per program is queued or running (a partial unique constraint, so two requests at
    once cannot both start one); the proposal it makes is stored as proposed mentorships, not here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        STOPPED = "stopped", _("Stopped")

    #: The statuses of a run that has not finished: a program has at most one run in them.
    PENDING: ClassVar[tuple[str, ...]] = (Status.QUEUED, Status.RUNNING)

    program = models.ForeignKey(
        MentoringProgramPage, on_delete=models.CASCADE, related_name="matching_runs", verbose_name=_("program")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("phase"), max_length=64, blank=True)
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0, validators=[MaxValueValidator(100)])
    error = models.TextField(_("error"), max_length=MAX_TEXT_LENGTH, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    pairs_count = models.PositiveIntegerField(_("pairs proposed"), null=True, blank=True)
    unmatched_count = models.PositiveIntegerField(_("mentees left unmatched"), null=True, blank=True)
    #: ``{mentee user id (str): why the run left them unmatched}``, shown on the review page.
    unmatched_reasons = models.JSONField(_("why mentees were left unmatched"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        ordering = ["program", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status__in=["queued", "running"]),
                name="wm_matching_run_one_pending_per_program",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="wm_matching_run_percent_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.program} – {self.get_status_display()} ({self.percent}%)"

    @property
    def pending(self) -> bool:
        """Whether the run has not finished yet (queued or running)."""
        return self.status in self.PENDING


class AvailabilitySlot(models.Model):
    """A time a mentor offers for a session; their active mentees propose one (``services.propose_slot``).

    A slot is taken while a session proposed, planned or held in it exists (``MentoringSession.slot``,
    one such session per slot: a partial unique constraint); a cancelled or declined session frees it.
    """

    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_availability",
        verbose_name=_("mentor"),
    )
    start = models.DateTimeField(_("start"), validators=[validate_date_window])
    end = models.DateTimeField(_("end"), validators=[validate_date_window])
    note = models.CharField(_("note"), max_length=MAX_LINE_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("availability slot")
        verbose_name_plural = _("availability slots")
        ordering = ["start", "pk"]
        constraints = [models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="wm_slot_end_after_start")]
        indexes = [models.Index(fields=["mentor", "start"], name="wm_slot_mentor_start")]

    def __str__(self) -> str:
        return f"{display_name(self.mentor)} @ {self.start:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        """The slot's length in whole minutes."""
        return int((self.end - self.start).total_seconds() // 60)


class MentoringSessionQuerySet(models.QuerySet):
    """The one place that says which sessions count as held and which are coming up."""

    def held(self) -> models.QuerySet:
        """Sessions that took place (``MentoringSession.HELD``): the only ones that count as activity
        (last session, cadence, stalled, reports, certificates, session ratings)."""
        return self.filter(MentoringSession.HELD)

    def planned(self) -> models.QuerySet:
        """Sessions the pair agreed on and that have not happened yet (status planned)."""
        return self.filter(status=MentoringSession.Status.PLANNED)

    def upcoming(self, now: dt.datetime | None = None) -> models.QuerySet:
        """Planned sessions from ``now`` (default: now) on: the "next session" of a pairing is its earliest."""
        return self.planned().filter(date__gte=now or timezone.now())


class MentoringSession(models.Model):
    """A meeting of a pair: proposed (a mentee asked for a mentor's slot), planned, then held (logged,
    with notes) or cancelled. Private notes are for the pair only and never leave in an invitation."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone")
        CHAT = "chat", _("Chat")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    #: The rule "which sessions count as held", as a filter (``MentoringSession.objects.held()``).
    HELD = Q(status=Status.HELD)
    #: Statuses in which a session occupies its availability slot.
    SLOT_TAKING: ClassVar[tuple[str, ...]] = (Status.PROPOSED, Status.PLANNED, Status.HELD)
    #: The transitions a session may take (``programs.services.set_session_status``).
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        Status.PROPOSED: (Status.PLANNED, Status.CANCELLED),
        Status.PLANNED: (Status.HELD, Status.CANCELLED),
        Status.HELD: (),
        Status.CANCELLED: (),
    }

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("mentorship")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    date = models.DateTimeField(_("date"), validators=[validate_date_window])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=DEFAULT_SESSION_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices, default=Format.VIDEO)
    location = models.CharField(
        _("place or meeting link"),
        max_length=MAX_LINE_LENGTH,
        blank=True,
        validators=[validate_place_or_link],
        help_text=_("A room, an address or a video-call link (https://...)."),
    )
    slot = models.ForeignKey(
        AvailabilitySlot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("availability slot"),
    )
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    agenda = models.TextField(_("agenda"), max_length=MAX_TEXT_LENGTH, blank=True)
    notes = models.TextField(
        _("private notes"), max_length=MAX_TEXT_LENGTH, blank=True, help_text=_("Only the pair can read these.")
    )
    key_results_discussed = models.ManyToManyField(
        "wagtail_mentoring.KeyResult", blank=True, related_name="sessions", verbose_name=_("key results discussed")
    )
    next_steps = models.TextField(_("next steps"), max_length=MAX_TEXT_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = MentoringSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring session")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(slot__isnull=False, status__in=["proposed", "planned", "held"]),
                name="wm_session_one_per_slot",
            )
        ]
        indexes = [models.Index(fields=["mentorship", "status", "date"], name="wm_session_pair_status_date")]

    def __str__(self) -> str:
        return f"{self.mentorship} @ {self.date:%Y-%m-%d}"

    @property
    def end(self) -> dt.datetime:
        """When the session ends (its date plus its duration)."""
        return self.date + dt.timedelta(minutes=self.duration_minutes)

    @property
    def location_url(self) -> str:
        """The location as a web link when it is one (``inputs.web_link``), else an empty string."""
        return web_link(self.location)

    @property
    def is_upcoming(self) -> bool:
        """Proposed or planned: the pair may still change or cancel it."""
        return self.status in (self.Status.PROPOSED, self.Status.PLANNED)


class Feedback(models.Model):
    """A survey answer or rating about a mentorship or a program."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Session rating")
        PAIRING_CHECK = "pairing_check", _("Pairing check")
        MIDPOINT = "midpoint", _("Mid-point survey")
        CLOSING = "closing", _("Closing survey")
        PROGRAM = "program", _("Program survey")
        BEFORE_LAUNCH = "before_launch", _("Before-launch survey")

    #: What each kind of feedback is about: the fields it requires and the fields it leaves empty
    #: (checked by ``programs.services.submit_feedback``, declared by the API's schema). Who may give
    #: it on which pairing or program: ``access.feedback_mentorships`` and ``access.feedback_programs``.
    KIND_SUBJECTS: ClassVar[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
        Kind.SESSION: (("mentorship", "session"), ()),
        Kind.PAIRING_CHECK: (("mentorship",), ("session",)),
        Kind.MIDPOINT: (("mentorship",), ("session",)),
        Kind.CLOSING: (("mentorship",), ("session",)),
        Kind.PROGRAM: (("program",), ("mentorship", "session")),
        Kind.BEFORE_LAUNCH: (("program",), ("mentorship", "session")),
    }
    #: The kinds whose rating and likelihood to recommend say how the mentoring went: the satisfaction
    #: and NPS of the reports, and the "low survey scores" of the coordinator's to-dos. A before-launch
    #: answer rates what people expect of a program that has not started, so it is left out of them.
    SATISFACTION_KINDS: ClassVar[tuple[str, ...]] = (
        Kind.SESSION,
        Kind.PAIRING_CHECK,
        Kind.MIDPOINT,
        Kind.CLOSING,
        Kind.PROGRAM,
    )

    mentorship = models.ForeignKey(
        Mentorship,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("mentorship"),
    )
    program = models.ForeignKey(
        MentoringProgramPage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("program"),
    )
    session = models.ForeignKey(
        MentoringSession,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("session"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentoring_feedback", verbose_name=_("author")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    nps = models.PositiveSmallIntegerField(
        _("likelihood to recommend (0-10)"), null=True, blank=True, validators=[MaxValueValidator(NPS_MAX)]
    )
    comment = models.TextField(_("comment"), max_length=MAX_TEXT_LENGTH, blank=True)
    #: The editor-built survey whose extra questions were answered (``surveys.models.SurveyPage``).
    survey = models.ForeignKey(
        "wagtail_mentoring.SurveyPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        verbose_name=_("survey"),
    )
    #: The answers to the survey's extra questions, by question name (validated by its form class).
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mentorship__isnull=False) | Q(program__isnull=False), name="wm_feedback_has_subject"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX), name="wm_feedback_rating_range"
            ),
            models.CheckConstraint(condition=Q(nps__isnull=True) | Q(nps__lte=NPS_MAX), name="wm_feedback_nps_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {display_name(self.author)}"


class JourneyStepCompletion(models.Model):
    """The pair marked a step of their program's journey done (``services.complete_journey_step``).

    ``step_id`` is the step's block id in the program's ``journey`` StreamField; a step done
    automatically (a survey answered, a path completed, objectives set) has no row: it is computed
    (``programs.selectors.attach_journeys``).
    """

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="journey_completions", verbose_name=_("mentorship")
    )
    step_id = models.CharField(_("journey step"), max_length=64)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("completed by"),
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("journey step completion")
        verbose_name_plural = _("journey step completions")
        ordering = ["mentorship", "completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "step_id"], name="wm_journey_step_once_per_pairing"),
        ]

    def __str__(self) -> str:
        return f"{self.step_id} ({self.mentorship_id})"


class MentorshipRequest(models.Model):
    """A mentee of a self-match program asks a mentor to mentor them (``programs.selfmatch``).

    The mentor accepts (the pairing is created through the lifecycle) or declines before
    ``expires_on``; the mentee may withdraw it while it is open. One open request per mentee and program.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    #: Statuses of a request still waiting for the mentor.
    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (Status.REQUESTED,)

    program = models.ForeignKey(
        MentoringProgramPage,
        on_delete=models.CASCADE,
        related_name="mentorship_requests",
        verbose_name=_("program"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee")
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    match_score = models.FloatField(_("match score"), null=True, blank=True)
    match_reasons = models.JSONField(_("match reasons"), default=list, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"))
    mentorship = models.ForeignKey(
        Mentorship,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("mentorship"),
    )

    class Meta:
        verbose_name = _("mentorship request")
        verbose_name_plural = _("mentorship requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="wm_request_not_self"),
            models.UniqueConstraint(
                fields=["program", "mentee"],
                condition=Q(status="requested"),
                name="wm_one_open_request_per_mentee",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"], name="wm_request_status_expiry")]

    def __str__(self) -> str:
        return f"{display_name(self.mentee)} \u2192 {display_name(self.mentor)} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        """Whether the mentor may still answer it (and the mentee withdraw it)."""
        return self.status in self.OPEN_STATUSES


class MentoringGroup(ClusterableModel):
    """Group mentoring in a program: one mentor with several mentees, or a peer circle of participants.

    Members follow the roles table as in a pairing: a mentoring group's mentor plays the mentor's part and
    its members the mentee's; in a peer circle every member is a peer. The group's sessions, and their
    agenda, notes and next steps, are shared inside the group only (``access.member_groups``);
    coordinators see the group, its members and its sessions' dates, never their words. Who may join
    and how many: ``programs.groups.member_problem``.
    """

    class Kind(models.TextChoices):
        GROUP = "group", _("Mentoring group")
        PEER = "peer", _("Peer circle")

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    #: Statuses in which a group holds its members: a mentee in such a group is not unmatched.
    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (Status.FORMING, Status.ACTIVE)
    #: Statuses of a group that started (it met): its mentees count as matched in the reports' match rate,
    #: as the mentees of a started pairing do (``programs.selectors.grouped_mentees``).
    STARTED_STATUSES: ClassVar[tuple[str, ...]] = (Status.ACTIVE, Status.CLOSED)

    program = models.ForeignKey(
        MentoringProgramPage, on_delete=models.CASCADE, related_name="mentoring_groups", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=MAX_LINE_LENGTH)
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.GROUP,
        help_text=_("A mentoring group has one mentor and several mentees; a peer circle has no mentor."),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.FORMING)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("mentor"),
        help_text=_("An accepted mentor of the program. A peer circle has none."),
    )
    max_size = models.PositiveSmallIntegerField(
        _("most members"),
        default=DEFAULT_GROUP_SIZE,
        validators=[MinValueValidator(MIN_GROUP_SIZE), MaxValueValidator(MAX_GROUP_SIZE)],
        help_text=_("Members, the mentor not counted. Matching fills a mentoring group up to this size."),
    )
    focus = models.TextField(
        _("focus"), max_length=MAX_TEXT_LENGTH, blank=True, help_text=_("What the group works on together.")
    )
    meeting_cadence_days = models.PositiveSmallIntegerField(
        _("meeting cadence (days)"),
        default=DEFAULT_MEETING_CADENCE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CADENCE_DAYS)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring group")
        verbose_name_plural = _("mentoring groups")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="peer", mentor__isnull=True) | Q(kind="group", mentor__isnull=False),
                name="wm_group_mentor_by_kind",
            ),
            models.CheckConstraint(
                condition=Q(max_size__gte=MIN_GROUP_SIZE, max_size__lte=MAX_GROUP_SIZE), name="wm_group_size_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A mentoring group has a mentor; a peer circle has none."""
        super().clean()
        if self.kind == self.Kind.GROUP and not self.mentor_id:
            raise ValidationError({"mentor": _("A mentoring group needs a mentor.")}, code="group_needs_mentor")
        if self.kind == self.Kind.PEER and self.mentor_id:
            raise ValidationError({"mentor": _("A peer circle has no mentor.")}, code="peer_circle_mentor")

    @property
    def is_open(self) -> bool:
        """Whether the group still holds its members (forming or active)."""
        return self.status in self.OPEN_STATUSES

    def next_session_due(self, last_session: dt.date | dt.datetime | None) -> dt.date:
        """When the group should meet next: its last session (or its start) plus its cadence, the pairing rule
        (``activity.next_session_due``)."""
        return activity.next_session_due(
            activity.local_date(last_session), activity.local_date(self.created_at), self.meeting_cadence_days
        )


class GroupMember(models.Model):
    """A member of a mentoring group or peer circle (its mentor is on the group, not a member)."""

    group = ParentalKey(MentoringGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentoring_group_memberships",
        verbose_name=_("member"),
    )
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="wm_group_member_once")]

    def __str__(self) -> str:
        return display_name(self.user)


class GroupSession(models.Model):
    """A meeting of a group, logged by its mentor or a member. Its words are for the group only."""

    group = models.ForeignKey(
        MentoringGroup, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("group")
    )
    date = models.DateTimeField(_("date"), validators=[validate_date_window])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=DEFAULT_SESSION_MINUTES,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    format = models.CharField(
        _("format"), max_length=10, choices=MentoringSession.Format.choices, default=MentoringSession.Format.VIDEO
    )
    agenda = models.TextField(_("agenda"), max_length=MAX_TEXT_LENGTH, blank=True)
    notes = models.TextField(
        _("group notes"), max_length=MAX_TEXT_LENGTH, blank=True, help_text=_("Only the group can read these.")
    )
    next_steps = models.TextField(_("next steps"), max_length=MAX_TEXT_LENGTH, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    #: What a coordinator reads of a group session: when, how long, in which format, who logged it when.
    #: Never its words.
    RECORD_FIELDS: ClassVar[tuple[str, ...]] = (
        "id",
        "group",
        "date",
        "duration_minutes",
        "format",
        "created_by",
        "created_at",
    )

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["group", "date"], name="wm_group_session_date")]

    def __str__(self) -> str:
        return f"{self.group} @ {self.date:%Y-%m-%d}"
