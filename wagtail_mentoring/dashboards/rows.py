"""What the dashboard shows, shared by the front end (``dashboards.views``) and the admin's program
health (``dashboards.admin_views``): objective and key-result rows, the coordinator overview."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail_mentoring import __version__
from wagtail_mentoring.access.querysets import (
    alignment_parents,
    check_in_key_results,
    coordinated_programs,
    editable_objectives,
    plan_objectives,
    visible_enrolments,
    visible_mentorships,
    visible_objectives,
)
from wagtail_mentoring.dashboards import selectors
from wagtail_mentoring.dashboards.charts import Point, trend_chart, trend_table
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs.activity import session_nudge_due
from wagtail_mentoring.programs.models import Enrolment
from wagtail_mentoring.programs.selectors import key_results_due
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.models import Objective


# --- view models ----------------------------------------------------------------------------------
@dataclass
class KeyResultRow(scoring.HealthDisplay):
    """A key result as shown: progress, health, its trend chart and whether the viewer may check in."""

    key_result: object
    points: list
    chart: str
    can_check_in: bool
    table: str = ""
    health: str = scoring.HEALTH_ON_TRACK
    #: A bound check-in form with errors for this key result (a rejected POST), else ``None``.
    form: object = None
    #: Show this key result's check-in form open (it was asked for, or it has errors).
    open: bool = False
    #: The viewer may review and realign it: they may check in on it and it is at risk, off track or missed.
    can_review: bool = False

    @property
    def progress_percent(self) -> int:
        """The key result's progress (``snippets.scoring``) as a whole percentage."""
        return round(self.key_result.progress * 100)

    @property
    def last_point(self):
        """The newest plotted check-in (a :class:`~wagtail_mentoring.dashboards.charts.Point`), or ``None``."""
        return self.points[-1] if self.points else None

    @property
    def value_text(self) -> str:
        """The current value as text (``KeyResult.value_text``, the one place it is written)."""
        return self.key_result.value_text

    @property
    def key(self) -> str:
        """The key result's pk as text, for ids and form values (a string skips number localisation)."""
        return str(self.key_result.pk)

    @property
    def progress_text(self) -> str:
        """Progress and value as one short text, e.g. "70% · 7 of 10 h" (built here, not per template tag)."""
        return _("%(p)s%% · %(value)s") % {"p": self.progress_percent, "value": self.value_text}

    @property
    def progress_label(self) -> str:
        """The accessible name of the key result's progress bar."""
        return _("Progress of %(title)s") % {"title": self.key_result.title}

    @property
    def confidence_text(self) -> str:
        """The key result's confidence, e.g. "confidence 7/10"."""
        return _("confidence %(c)s/10") % {"c": self.key_result.confidence}

    @property
    def check_in_link_text(self) -> SafeString:
        """The text of the link that opens the check-in form, naming the key result for screen readers."""
        return mark_safe(  # noqa: S308 - the translation is ours, the title is escaped
            _('Check in<span class="wm-visually-hidden"> on %(t)s</span>') % {"t": escape(self.key_result.title)}
        )

    @property
    def data_attributes(self) -> SafeString:
        """The ``data-wm-*`` attributes the page's script fills a check-in form from (kind, whether it is
        numeric, unit, target, current value, confidence, done), escaped."""
        k = self.key_result
        current = k.start_value if k.current_value is None else k.current_value
        return format_html(
            'data-wm-key-result="{}" data-wm-kind="{}" data-wm-numeric="{}" data-wm-unit="{}" data-wm-target="{}" data-wm-current="{}" '
            'data-wm-confidence="{}" data-wm-done="{}"',
            k.pk,
            k.kind,
            int(k.is_numeric),
            k.unit,
            f"{float(k.target_value):g}",
            f"{float(current):g}",
            k.confidence,
            int(k.progress >= 1),
        )

    @property
    def errors_id(self) -> str:
        """The id of the error summary of this key result's check-in form."""
        return f"wm-kr-{self.key_result.pk}-errors"

    @property
    def is_binary(self) -> bool:
        """Yes/no or milestone: checked in as done or not yet."""
        return not self.key_result.is_numeric


@dataclass
class ObjectiveRow(scoring.HealthDisplay):
    """An objective as shown: progress, grade, health and its key results."""

    objective: Objective
    health: str
    key_results: list = field(default_factory=list)
    can_edit: bool = False
    #: May the user add and tick off steps of the action plan (``access.plan_objectives``)?
    can_plan: bool = False
    #: The objective it is aligned to, when the user may align to it (``access.alignment_parents``), else None;
    #: ``parent_visible``: the user may also open its page (``access.visible_objectives``).
    parent: Objective | None = None
    parent_visible: bool = False
    #: The objective's page and its edit form (set by the dashboard, which links to both).
    url: str = ""
    edit_url: str = ""
    #: The key its card on the dashboard is cached under (:func:`card_cache_key`); ``None``: not cached.
    cache_key: str | None = None

    @property
    def progress_percent(self) -> int:
        """The objective's weighted progress as a whole percentage."""
        return round(self.objective.progress * 100)

    @property
    def grade(self) -> tuple[float, str]:
        """``(grade, band)`` from ``snippets.scoring.grade``."""
        return self.objective.grade


#: Part of every card's cache key with the package's version: bump it when the card's templates
#: (``objective_card.html`` and what it includes) change between releases, so that a shared cache (Redis)
#: serves no card rendered by the old ones.
CARD_CACHE_VERSION = 1
#: How long a rendered objective card is kept: its key changes with everything it shows, so this only
#: bounds what the cache holds (a few KB a card, ten cards a page, per viewer active within the hour).
CARD_CACHE_SECONDS = 3600


def card_cache_key(user, row: ObjectiveRow, *, page_id, check_in_query: str = "") -> str | None:
    """The cache key of ``row``'s objective card on the dashboard (``includes/objective_summary.html``, its
    header and key results; the action plan, which holds forms, is rendered every time), or ``None`` when the
    card must not be cached (a key result's check-in form is open).

    The key is a digest of every value the card shows or links to (titles, status, health, progress, values,
    confidence, due date, what the viewer may do there, the URLs), the viewer, the language and the page, so
    it changes whenever what the card shows changes, and no card is ever served to another user.
    """
    if any(kr.open or kr.form is not None for kr in row.key_results):
        return None
    objective = row.objective
    parent = row.parent
    parts = [
        CARD_CACHE_VERSION,
        __version__,
        user.pk,
        get_language(),
        get_format("DATE_FORMAT"),
        page_id,
        check_in_query,
        row.url,
        row.edit_url,
        objective.pk,
        objective.title,
        objective.status,
        objective.level,
        objective.mentorship_id,
        objective.effective_due,
        row.health,
        row.progress_percent,
        parent.pk if parent is not None else None,
        parent.title if parent is not None else None,
        row.parent_visible,
    ]
    for kr in row.key_results:
        k = kr.key_result
        parts += [k.title, kr.health, kr.progress_percent, kr.value_text, kr.data_attributes, kr.can_check_in]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def objective_rows(
    user, objectives, check_in_form=None, tables: bool = True, charts: bool = True, open_key_result: int | None = None
) -> list[ObjectiveRow]:
    """View rows for prefetched objectives (four queries: what the user may check in on, edit and plan, and
    the chart points of their key results).

    ``check_in_form``: a rejected check-in form, shown (with its errors) at the key result it was for.
    ``tables``: build each chart's data table too (leave them out where each chart's ``<desc>`` sums it up).
    ``charts``: build the trend charts at all (the dashboard shows none: they are on each objective's page,
    so it reads no check-in). ``open_key_result``: the pk of the key result whose check-in form is shown
    open (the dashboard's ``?check_in=``).
    """
    objectives = list(objectives)
    ids = [o.pk for o in objectives]
    can_check_in = set(check_in_key_results(user).filter(objective__in=ids).values_list("pk", flat=True))
    can_edit = set(editable_objectives(user).filter(pk__in=ids).values_list("pk", flat=True))
    can_plan = set(plan_objectives(user).filter(pk__in=ids).values_list("pk", flat=True))
    parent_ids = {o.parent_id for o in objectives if o.parent_id}
    parents = (
        alignment_parents(user).filter(pk__in=parent_ids).only("pk", "title", "level").in_bulk() if parent_ids else {}
    )
    visible_parents = (
        set(visible_objectives(user).filter(pk__in=parents).values_list("pk", flat=True)) if parents else set()
    )
    today = timezone.localdate()
    plotted = (
        selectors.recent_points(kr.pk for objective in objectives for kr in objective.key_results.all())
        if charts
        else {}
    )
    rejected = str(check_in_form.data.get("key_result")) if check_in_form is not None else None
    rows = []
    for objective in objectives:
        row = ObjectiveRow(
            objective=objective,
            health=objective.health_on(today),
            can_edit=objective.pk in can_edit,
            can_plan=objective.pk in can_plan,
            parent=parents.get(objective.parent_id),
            parent_visible=objective.parent_id in visible_parents,
        )
        for kr in objective.key_results.all():
            points = [Point(when, value) for when, value in plotted.get(kr.pk, [])]
            chart = (
                trend_chart(
                    points,
                    kr.start_value,
                    kr.target_value,
                    title=_("Trend of “%(kr)s”") % {"kr": kr.title},
                    chart_id=f"wm-chart-{kr.pk}",
                    unit=kr.unit,
                )
                if charts
                else ""
            )
            table = trend_table(points, _("Check-ins of “%(kr)s”") % {"kr": kr.title}, kr.unit) if tables else ""
            kr_row = KeyResultRow(kr, points, chart, kr.pk in can_check_in, table, kr.health_on(today))
            if rejected == str(kr.pk):
                kr_row.form = check_in_form
            kr_row.open = kr_row.can_check_in and (kr_row.form is not None or kr.pk == open_key_result)
            kr_row.can_review = kr_row.can_check_in and kr.needs_review_on(today)
            row.key_results.append(kr_row)
        rows.append(row)
    return rows


# --- what to do next ------------------------------------------------------------------------------
#: How many due check-ins the action list names before it sums up the rest.
ACTIONS_CHECK_INS_SHOWN = 3


@dataclass
class Action:
    """One thing to do next on the dashboard: a short ``kind``, a sentence, and a link to the place to act."""

    kind: str
    text: str
    url: str = ""
    link_text: str = ""
    tone: str = scoring.TONE_NEUTRAL


def skill_rating_actions(due, own_url, mentee_url) -> list[Action]:
    """The skill ratings due to the viewer as actions (``skills.selectors.due_skill_ratings``).

    Args:
        due: the :class:`~wagtail_mentoring.skills.selectors.DueRating` list.
        own_url: a callable giving the rating form's URL from ``(program id, moment)``.
        mentee_url: a callable giving the mentor's rating form of a pairing from its pk.
    """
    actions = []
    for item in due:
        if item.mentorship is not None:
            text = _("Rate the skills %(name)s developed in “%(program)s”.") % {
                "name": display_name(item.mentorship.mentee),
                "program": item.program.title,
            }
            url = mentee_url(item.mentorship.pk)
            link_text = _("Rate your mentee")
        elif item.moment == "start":
            text = _("Rate your skills at the start of “%(program)s”.") % {"program": item.program.title}
            url, link_text = own_url(item.program.pk, item.moment), _("Rate your skills")
        else:
            text = _("Rate your skills again now that your pairing in “%(program)s” has closed.") % {
                "program": item.program.title
            }
            url, link_text = own_url(item.program.pk, item.moment), _("Rate your skills")
        actions.append(Action(kind=_("Skills to rate"), text=text, url=url, link_text=link_text))
    return actions


def next_actions(
    user,
    *,
    pairings,
    mentor_pairs,
    surveys,
    shown_key_results,
    page_url: str,
    objective_url,
    session_url: str = "",
    pairing_url=None,
    upcoming=(),
    held_url=None,
) -> list:
    """What the user should do next, most pressing first, from the existing rules only.

    Check-ins due on named key results (``programs.selectors.key_results_due``), own objectives at risk or
    off track (``selectors.objectives_at_risk``), agreements to confirm (``Mentorship.agreement_to_confirm``),
    sessions due and none planned
    (``programs.activity.session_nudge_due`` of the pairings already loaded), overdue journey steps of active
    pairings (``programs.journeys``, attached to the pairings already loaded), surveys due
    (``surveys.scheduling.due_surveys``, passed in) and the user's applications still under review.

    Args:
        user: the viewer.
        pairings: the viewer's pairings as mentee (``selectors.mentee_pairings``).
        mentor_pairs: the viewer's pair summaries as mentor (``selectors.mentor_pairs``).
        surveys: the surveys due to the viewer.
        shown_key_results: pks of the key results on this page (linked by anchor, others by their objective).
        page_url: the dashboard's URL.
        objective_url: a callable giving an objective's page URL from its pk.
        session_url: the page where a session is logged (``?mentorship=<pk>`` preselects the pairing).
        pairing_url: a callable giving a pairing's page URL from its pk (where a mentor reads the agreement).
        upcoming: the viewer's proposed and planned sessions (``dashboards.schedule.upcoming_for``): a proposal
            waiting for them and a planned session that has started are actions.
        held_url: a callable giving the URL where a planned session is logged as held, from its pk.
    """
    today = timezone.localdate()
    actions: list[Action] = []
    due = key_results_due(
        check_in_key_results(user)
        .select_related("objective__owner")
        .order_by("objective__due_date", "objective_id", "pk"),
        today,
    )
    for row in due[:ACTIONS_CHECK_INS_SHOWN]:
        kr = row.key_result
        anchor = f"#key-result-{kr.pk}"
        # On this page: the link opens the key result's check-in form in place.
        url = f"?check_in={kr.pk}{anchor}" if kr.pk in shown_key_results else objective_url(kr.objective_id) + anchor
        owner = kr.objective.owner
        if owner is not None and owner.pk != user.pk:
            text = _("“%(kr)s” in %(objective)s (%(owner)s)") % {
                "kr": kr.title,
                "objective": kr.objective.title,
                "owner": display_name(owner),
            }
        else:
            text = _("“%(kr)s” in %(objective)s") % {"kr": kr.title, "objective": kr.objective.title}
        actions.append(
            Action(
                kind=_("Check-in due"),
                text=text,
                url=url,
                link_text=_("Check in"),
                tone=scoring.TONE_WARN,
            )
        )
    if len(due) > ACTIONS_CHECK_INS_SHOWN:
        more = len(due) - ACTIONS_CHECK_INS_SHOWN
        actions.append(
            Action(kind=_("Check-ins due"), text=_("%(n)d more key results are due a check-in.") % {"n": more})
        )
    for objective in selectors.objectives_at_risk(user, today, ACTIONS_CHECK_INS_SHOWN):
        actions.append(
            Action(
                kind=scoring.health_label(objective.health),
                text=_("“%(objective)s” is behind its plan.") % {"objective": objective.title},
                url=objective_url(objective.pk),
                link_text=_("Review the objective"),
                tone=scoring.health_tone(objective.health),
            )
        )
    for pairing in pairings:
        if pairing.agreement_to_confirm(user):
            actions.append(
                Action(
                    kind=_("Agreement to confirm"),
                    text=_("Read and confirm your agreement with %(name)s.") % {"name": display_name(pairing.mentor)},
                    url=f"#wm-agreement-{pairing.pk}",
                    link_text=_("Read the agreement"),
                    tone=scoring.TONE_WARN,
                )
            )
    for pair in mentor_pairs:
        if pairing_url is not None and pair.mentorship.agreement_to_confirm(user):
            actions.append(
                Action(
                    kind=_("Agreement to confirm"),
                    text=_("Read and confirm your agreement with %(name)s.") % {"name": pair.mentee_name},
                    url=pairing_url(pair.mentorship.pk) + f"#wm-agreement-{pair.mentorship.pk}",
                    link_text=_("Read the agreement"),
                    tone=scoring.TONE_WARN,
                )
            )
    for pairing in pairings:
        if pairing.status == pairing.Status.ACTIVE:
            actions.extend(_journey_actions(pairing, display_name(pairing.mentor), f"#wm-journey-step-{pairing.pk}-"))
    for pair in mentor_pairs:
        if pairing_url is not None and pair.mentorship.status == pair.mentorship.Status.ACTIVE:
            base = pairing_url(pair.mentorship.pk) + f"#wm-journey-step-{pair.mentorship.pk}-"
            actions.extend(_journey_actions(pair.mentorship, pair.mentee_name, base, pair.journey))
    for session in upcoming:
        if session.waiting_for_me:
            actions.append(
                Action(
                    kind=_("Session proposed"),
                    text=_("%(name)s proposed a session on %(date)s")
                    % {
                        "name": session.partner,
                        "date": date_format(timezone.localtime(session.date), "DATETIME_FORMAT"),
                    },
                    url=f"#session-{session.pk}",
                    link_text=_("Confirm or decline"),
                    tone=scoring.TONE_WARN,
                )
            )
        elif session.can_log and held_url is not None:
            actions.append(
                Action(
                    kind=_("Session to log"),
                    text=_("How did your session with %(name)s go?") % {"name": session.partner},
                    url=held_url(session.pk),
                    link_text=_("Log as held"),
                )
            )
    for pairing in pairings:
        if session_nudge_due(pairing.activity, getattr(pairing, "next_session", None) is not None):
            actions.append(
                Action(
                    kind=_("Session due"),
                    text=_("Meet %(name)s: a session was due on %(date)s.")
                    % {"name": display_name(pairing.mentor), "date": _date(pairing.activity.next_session_due)},
                    url=f"{session_url}?mentorship={pairing.pk}",
                    link_text=_("Log a session"),
                    tone=scoring.TONE_WARN,
                )
            )
    for pair in mentor_pairs:
        if pair.activity is not None and session_nudge_due(pair.activity, pair.next_session is not None):
            actions.append(
                Action(
                    kind=_("Session due"),
                    text=_("Meet %(name)s: a session was due on %(date)s.")
                    % {"name": pair.mentee_name, "date": _date(pair.activity.next_session_due)},
                    url=f"{session_url}?mentorship={pair.mentorship.pk}",
                    link_text=_("Log a session"),
                    tone=scoring.TONE_WARN,
                )
            )
    for survey in surveys:
        if survey.url:
            actions.append(
                Action(kind=_("Survey"), text=survey.label, url=survey.url, link_text=_("Answer the survey"))
            )
    applied = visible_enrolments(user).filter(user=user, status=Enrolment.Status.APPLIED).select_related("program")
    for enrolment in applied:
        actions.append(
            Action(
                kind=_("Application pending"),
                text=_("Your application to %(program)s as %(role)s is being reviewed.")
                % {"program": enrolment.program.title, "role": enrolment.get_role_display().lower()},
                url=enrolment.program.url or "",
                link_text=_("View the program"),
            )
        )
    return actions


def _journey_actions(mentorship, partner: str, anchor: str, journey=None) -> list[Action]:
    """The overdue steps of a pairing's journey (``programs.journeys``, attached by
    ``programs.selectors.attach_journeys``) as actions linking to the step (``anchor`` + the step's id)."""
    journey = journey if journey is not None else getattr(mentorship, "journey", None)
    if journey is None:
        return []
    return [
        Action(
            kind=_("Journey step overdue"),
            text=_("“%(step)s” with %(name)s was due on %(date)s.")
            % {"step": step.step.title, "name": partner, "date": _date(step.due)},
            url=anchor + step.step.id,
            link_text=_("Open the step"),
            tone=scoring.TONE_BAD,
        )
        for step in journey.overdue
    ]


def _date(day: dt.date) -> str:
    """A date in the active locale's format (``DATE_FORMAT``, as the front end's ``|date`` shows dates)."""
    return date_format(day)


def admin_program_url(program) -> str:
    """The admin URL of a program's health view ('' when the admin is not installed)."""
    try:
        return reverse("wagtail_mentoring_dashboards:program", args=[program.pk])
    except NoReverseMatch:  # the admin is not installed
        return ""


def coordinator_overview(user) -> list[dict]:
    """Per coordinated program: pairs by health, stalled pairs and a link to the admin view."""
    programs = list(coordinated_programs(user).order_by("title"))
    if not programs:
        return []
    pairs = selectors.pair_summaries(
        user, visible_mentorships(user).filter(program__in=programs, status__in=selectors.OPEN_PAIR_STATUSES)
    )
    by_program: dict[int, list] = {p.pk: [] for p in programs}
    for pair in pairs:
        by_program.setdefault(pair.mentorship.program_id, []).append(pair)
    return [
        {
            "program": program,
            "pairs": len(by_program[program.pk]),
            "health": selectors.health_counts(by_program[program.pk]),
            "stalled": sum(1 for p in by_program[program.pk] if p.stalled),
            "admin_url": admin_program_url(program),
        }
        for program in programs
    ]
