"""Which feedback surveys are due for whom on a given day (a fixed number of queries for everyone).

* session rating: each participant of an active pairing, for ``SESSION_RATING_WINDOW_DAYS`` after a session;
* pairing check: 30 days after the pairing started, then every ``program.pairing_check_days`` days;
* mid-point survey: each participant of an active pairing whose program has a published mid-point
  survey (``access.published_surveys``), from the day halfway between the pairing's start and the
  program's end date (:func:`midpoint`) until that end date, once;
* closing survey: when a mentorship is completed or ended, for ``CLOSING_SURVEY_WINDOW_DAYS``;
* program survey: to accepted participants from ``PROGRAM_SURVEY_WINDOW_DAYS`` before the program's
  end date until as many days after it;
* before-launch survey: to one given user (their dashboard; never e-mailed to every employee), on each
  program whose before-launch survey is open to them (``access.feedback_programs``), once.

A survey is only ever due on a pairing whose status allows its kind (``access.pairing_feedback_statuses``,
the rule of the survey pages and the API); a session rating is also only asked while the pairing is active.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import feedback_programs, pairing_feedback_statuses, published_surveys
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.programs.models import (
    FIRST_PAIRING_CHECK_DAYS,
    Enrolment,
    Feedback,
    MentoringProgramPage,
    MentoringSession,
    Mentorship,
)

#: The URL name (in the ``wagtail_mentoring`` namespace) of each survey kind's answer form.
SURVEY_URL_NAMES = {
    "session": "survey_session",
    "pairing_check": "survey_pairing_check",
    "midpoint": "survey_midpoint",
    "closing": "survey_closing",
    "program": "survey_program",
    "before_launch": "survey_before_launch",
}


@dataclass(frozen=True)
class DueSurvey:
    """A survey one user should answer: its kind, its subject and the period it belongs to."""

    kind: str
    user_id: int
    period: str
    opens_on: dt.date
    mentorship_id: int | None = None
    program_id: int | None = None
    session_id: int | None = None
    title: str = ""

    @property
    def subject_key(self) -> str:
        """What the survey is about, as a reminder subject: the session, else the pairing, else the program."""
        if self.session_id:
            return f"session:{self.session_id}"
        if self.mentorship_id:
            return f"mentorship:{self.mentorship_id}"
        return f"program:{self.program_id}"

    @property
    def label(self) -> str:
        """What to answer, told apart from the other due surveys: a session rating names its session's day
        ("Rate your session of Nov. 19, 2026"), a before-launch survey its program; the other kinds say their
        kind's label."""
        if self.kind == Feedback.Kind.SESSION:
            return _("Rate your session of %(date)s") % {"date": date_format(self.opens_on)}
        if self.kind == Feedback.Kind.BEFORE_LAUNCH and self.title:
            return _("Tell us what you need from “%(program)s” before it starts") % {"program": self.title}
        return str(dict(Feedback.Kind.choices).get(self.kind, self.kind))

    @property
    def url(self) -> str:
        """The answer form's path ('' when the engagement URLs are not installed)."""
        obj_id = self.session_id or self.mentorship_id or self.program_id
        try:
            return reverse(f"wagtail_mentoring:{SURVEY_URL_NAMES[self.kind]}", args=[obj_id])
        except NoReverseMatch:
            return ""


def pairing_check_window(started_on: dt.date, every_days: int, on: dt.date) -> dt.date | None:
    """Start of the pairing-check window containing ``on`` (None before the first check is due)."""
    days = (on - started_on).days
    if days < FIRST_PAIRING_CHECK_DAYS:
        return None
    k = (days - FIRST_PAIRING_CHECK_DAYS) // every_days
    return started_on + dt.timedelta(days=FIRST_PAIRING_CHECK_DAYS + k * every_days)


def midpoint(started_on: dt.date, ends_on: dt.date) -> dt.date:
    """The day halfway between a pairing's start and its program's end date (rounded down).

    Example:
        >>> midpoint(dt.date(2026, 1, 1), dt.date(2026, 3, 3))
        datetime.date(2026, 1, 31)
    """
    return started_on + dt.timedelta(days=max((ends_on - started_on).days, 0) // 2)


def _pair_filter(user_id: int | None, prefix: str = "") -> Q:
    if user_id is None:
        return Q()
    return Q(**{f"{prefix}mentor_id": user_id}) | Q(**{f"{prefix}mentee_id": user_id})


def due_surveys(on: dt.date | None = None, user=None) -> list[DueSurvey]:
    """Every survey due on ``on`` (today), for everyone or for one ``user``; at most twelve queries."""
    on = on or timezone.localdate()
    user_id = user.pk if user is not None else None
    if user is not None and not (user.is_authenticated and user.is_active):
        return []
    due: list[DueSurvey] = []

    # Session ratings.
    window = mentoring_settings.SESSION_RATING_WINDOW_DAYS
    since = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=window), dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))
    sessions = list(
        MentoringSession.objects.held()
        .filter(date__gte=since, date__lt=until, mentorship__status="active")
        .filter(_pair_filter(user_id, "mentorship__"))
        .values_list("pk", "date", "mentorship_id", "mentorship__mentor_id", "mentorship__mentee_id")
    )
    rated = set(
        Feedback.objects.filter(kind=Feedback.Kind.SESSION, session_id__in=[s[0] for s in sessions]).values_list(
            "session_id", "author_id"
        )
    )
    for pk, date, mentorship_id, mentor_id, mentee_id in sessions:
        for uid in (mentor_id, mentee_id):
            if (user_id is None or uid == user_id) and (pk, uid) not in rated:
                due.append(
                    DueSurvey(
                        Feedback.Kind.SESSION,
                        uid,
                        period=f"session:{pk}",
                        opens_on=timezone.localtime(date).date() if timezone.is_aware(date) else date.date(),
                        mentorship_id=mentorship_id,
                        session_id=pk,
                    )
                )

    statuses = pairing_feedback_statuses()

    # Pairing checks.
    active = list(
        Mentorship.objects.filter(status__in=statuses[Feedback.Kind.PAIRING_CHECK], started_on__isnull=False)
        .filter(_pair_filter(user_id))
        .values_list("pk", "started_on", "mentor_id", "mentee_id", "program__pairing_check_days")
    )
    last_checks = {
        (m, a): last
        for m, a, last in Feedback.objects.filter(
            kind=Feedback.Kind.PAIRING_CHECK, mentorship_id__in=[row[0] for row in active]
        )
        .values("mentorship_id", "author_id")
        .annotate(last=Max("created_at"))
        .values_list("mentorship_id", "author_id", "last")
    }
    for pk, started_on, mentor_id, mentee_id, every in active:
        opens = pairing_check_window(started_on, every, on)
        if opens is None:
            continue
        for uid in (mentor_id, mentee_id):
            last = last_checks.get((pk, uid))
            if (user_id is None or uid == user_id) and (last is None or timezone.localtime(last).date() < opens):
                due.append(
                    DueSurvey(
                        Feedback.Kind.PAIRING_CHECK, uid, period=opens.isoformat(), opens_on=opens, mentorship_id=pk
                    )
                )

    # Mid-point surveys (only where the program published one).
    with_midpoint = published_surveys().filter(moment=Feedback.Kind.MIDPOINT).values("program_id")
    halfway = list(
        Mentorship.objects.filter(
            status__in=statuses[Feedback.Kind.MIDPOINT],
            started_on__isnull=False,
            program__end_date__gte=on,
            program_id__in=with_midpoint,
        )
        .filter(_pair_filter(user_id))
        .values_list("pk", "started_on", "program__end_date", "mentor_id", "mentee_id")
    )
    halfway = [row for row in halfway if midpoint(row[1], row[2]) <= on]
    answered_midpoint = set(
        Feedback.objects.filter(kind=Feedback.Kind.MIDPOINT, mentorship_id__in=[row[0] for row in halfway]).values_list(
            "mentorship_id", "author_id"
        )
        if halfway
        else ()
    )
    for pk, started_on, ends_on, mentor_id, mentee_id in halfway:
        for uid in (mentor_id, mentee_id):
            if (user_id is None or uid == user_id) and (pk, uid) not in answered_midpoint:
                due.append(
                    DueSurvey(
                        Feedback.Kind.MIDPOINT,
                        uid,
                        period="midpoint",
                        opens_on=midpoint(started_on, ends_on),
                        mentorship_id=pk,
                    )
                )

    # Closing surveys.
    closing_window = mentoring_settings.CLOSING_SURVEY_WINDOW_DAYS
    ended = list(
        Mentorship.objects.filter(
            status__in=statuses[Feedback.Kind.CLOSING],
            ended_on__gte=on - dt.timedelta(days=closing_window),
            ended_on__lte=on,
        )
        .filter(_pair_filter(user_id))
        .values_list("pk", "ended_on", "mentor_id", "mentee_id")
    )
    closed = set(
        Feedback.objects.filter(kind=Feedback.Kind.CLOSING, mentorship_id__in=[row[0] for row in ended]).values_list(
            "mentorship_id", "author_id"
        )
    )
    for pk, ended_on, mentor_id, mentee_id in ended:
        for uid in (mentor_id, mentee_id):
            if (user_id is None or uid == user_id) and (pk, uid) not in closed:
                due.append(DueSurvey(Feedback.Kind.CLOSING, uid, period="closing", opens_on=ended_on, mentorship_id=pk))

    # Program surveys.
    program_window = dt.timedelta(days=mentoring_settings.PROGRAM_SURVEY_WINDOW_DAYS)
    programs = dict(
        MentoringProgramPage.objects.filter(
            end_date__isnull=False, end_date__gte=on - program_window, end_date__lte=on + program_window
        ).values_list("pk", "end_date")
    )
    if programs:
        participants = Enrolment.objects.filter(program_id__in=programs, status=Enrolment.Status.ACCEPTED)
        if user_id is not None:
            participants = participants.filter(user_id=user_id)
        answered = set(
            Feedback.objects.filter(
                kind=Feedback.Kind.PROGRAM, program_id__in=programs, mentorship__isnull=True
            ).values_list("program_id", "author_id")
        )
        for program_id, uid in sorted(set(participants.values_list("program_id", "user_id"))):
            if (program_id, uid) not in answered:
                end = programs[program_id]
                due.append(
                    DueSurvey(
                        Feedback.Kind.PROGRAM,
                        uid,
                        period=end.isoformat(),
                        opens_on=end - program_window,
                        program_id=program_id,
                    )
                )
    # Before-launch surveys: one user's only (any active employee may answer; nobody is e-mailed).
    if user is not None:
        answered_before = Feedback.objects.filter(author_id=user_id, kind=Feedback.Kind.BEFORE_LAUNCH)
        open_programs = (
            feedback_programs(user, Feedback.Kind.BEFORE_LAUNCH, on=on)
            .exclude(pk__in=answered_before.values("program_id"))
            .values_list("pk", "title")
        )
        for program_id, title in sorted(open_programs):
            due.append(
                DueSurvey(
                    Feedback.Kind.BEFORE_LAUNCH,
                    user_id,
                    period="before_launch",
                    opens_on=on,
                    program_id=program_id,
                    title=title,
                )
            )
    return due
