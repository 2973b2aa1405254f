"""Reminder and nudge rules: who should be told what, about which subject, for which period.

A rule is a small class with a ``kind`` (a :class:`NotificationKind`), ``due(now)`` yielding
:class:`Reminder` objects, and ``message(context)`` returning the subject and body. The period key
is what makes a reminder happen once: the same (kind, user, subject, period) is never sent twice.
Each rule runs a fixed number of queries, however many pairs there are. Messages never carry
session notes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail_mentoring.access.querysets import coordinators_by_program
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.notifications.models import NotificationKind
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import activity, selectors
from wagtail_mentoring.programs.models import Enrolment, Feedback, MentoringGroup, Mentorship, MentorshipRequest
from wagtail_mentoring.snippets.models import KeyResult
from wagtail_mentoring.surveys.scheduling import due_surveys


@dataclass(frozen=True)
class Reminder:
    """One message due to one user about one subject for one period."""

    kind: str
    user_id: int
    subject_key: str
    period: str
    program_id: int | None = None
    context: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Message:
    """The subject, plain-text body and optional call to action of one reminder e-mail."""

    subject: str
    body: str
    action_label: str = ""
    action_url: str = ""


class Rule:
    """Base contract of a reminder rule."""

    kind: str = ""

    def due(self, now: dt.datetime) -> Iterator[Reminder]:  # pragma: no cover - abstract
        """The reminders due at ``now``, in a fixed number of queries.

        Args:
            now: the moment of the run (aware); rules take their "today" from it.

        Yields:
            One :class:`Reminder` per recipient, subject and period; the caller drops those already sent.
        """
        raise NotImplementedError

    def message(self, context: dict) -> Message:  # pragma: no cover - abstract
        """The message of one reminder.

        Args:
            context: the reminder's ``context`` (names, counts, days; never session notes).

        Returns:
            The translated :class:`Message` (the caller activates the recipient's language).
        """
        raise NotImplementedError


def _pair_reminders(kind: str, mentorship, period: str, **context) -> Iterator[Reminder]:
    """The same reminder to the mentor and to the mentee, each told who the other is."""
    base = {"program": mentorship.program.title, "mentorship_id": mentorship.pk, **context}
    for user, partner in ((mentorship.mentor, mentorship.mentee), (mentorship.mentee, mentorship.mentor)):
        yield Reminder(
            kind,
            user.pk,
            f"mentorship:{mentorship.pk}",
            period,
            mentorship.program_id,
            {**base, "partner": display_name(partner)},
        )


def _active_pairs():
    return Mentorship.objects.filter(status=Mentorship.Status.ACTIVE).select_related("program", "mentor", "mentee")


class CheckInDueRule(Rule):
    """The pair has key results due a check-in (``programs.activity.key_result_due``), told once a cadence."""

    kind = NotificationKind.CHECK_IN_DUE

    def due(self, now):
        """Remind both members of an active pair when a key result of theirs is due a check-in.

        "Due" is the one rule of ``programs.activity`` (per key result, through
        ``programs.selectors.key_results_due``); the pair is reminded once per check-in cadence counted
        from its oldest due key result, and ``days`` is how long that one has waited.
        """
        today = timezone.localdate(now)
        pairs = {m.pk: m for m in _active_pairs()}
        key_results = KeyResult.objects.filter(objective__mentorship_id__in=list(pairs)).order_by("pk")
        oldest: dict[int, dt.date] = {}
        for row in selectors.key_results_due(key_results, today):
            pk = row.key_result.objective.mentorship_id
            anchor = row.anchor or today
            oldest[pk] = min(anchor, oldest.get(pk, anchor))
        for pk, anchor in sorted(oldest.items()):
            m = pairs[pk]
            days = (today - anchor).days
            cadence = m.program.check_in_cadence_days
            yield from _pair_reminders(self.kind, m, f"{anchor.isoformat()}#{max(days // cadence, 1)}", days=days)

    def message(self, context):
        """The message "Time to check in on your key results", with the days since the last check-in and the
        partner's name."""
        return Message(
            _("Time to check in on your key results"),
            ngettext(
                "It has been %(days)d day since the last check-in on the key results you share with %(partner)s "
                "in “%(program)s”. A quick update keeps your objectives on track.",
                "It has been %(days)d days since the last check-in on the key results you share with %(partner)s "
                "in “%(program)s”. A quick update keeps your objectives on track.",
                context["days"],
            )
            % context,
        )


class NoSessionRule(Rule):
    """The pair's next session is due (``programs.activity.next_session_due``), told once a cadence."""

    kind = NotificationKind.NO_SESSION

    def due(self, now):
        """Remind both members of an active pair whose session is due (``PairActivity.session_due``), once per
        meeting cadence, unless the pair has a session planned (``programs.selectors.upcoming_sessions``)."""
        planned = set(
            selectors.upcoming_sessions(_active_pairs().values("pk"), now).values_list("mentorship_id", flat=True)
        )
        for m in selectors.attach_activity(_active_pairs(), within=_active_pairs().values("pk"), now=now):
            pair = m.activity
            if activity.session_nudge_due(pair, m.pk in planned):
                anchor = pair.today - dt.timedelta(days=pair.days_without_session)
                days = pair.days_without_session
                period = f"{anchor.isoformat()}#{days // pair.meeting_cadence_days}"
                yield from _pair_reminders(self.kind, m, period, days=days)

    def message(self, context):
        """The message "Plan your next mentoring session", with the days since the last session."""
        return Message(
            _("Plan your next mentoring session"),
            ngettext(
                "You and %(partner)s have not logged a session for %(days)d day in “%(program)s”.",
                "You and %(partner)s have not logged a session for %(days)d days in “%(program)s”.",
                context["days"],
            )
            % context,
        )


class SessionTomorrowRule(Rule):
    """A planned session takes place tomorrow: both members of the pair are told once per session."""

    kind = NotificationKind.SESSION_TOMORROW

    def due(self, now):
        """Remind both members of an active pair of each planned session on the day after ``now``'s date
        (``programs.selectors.upcoming_sessions``), once per session and time (a moved session is told again)."""
        tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
        start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
        end = start + dt.timedelta(days=1)
        sessions = (
            selectors.upcoming_sessions(_active_pairs().values("pk"), now)
            .filter(date__gte=start, date__lt=end)
            .select_related("mentorship__program")
        )
        for session in sessions:
            m = session.mentorship
            context = {
                "time": session.date.isoformat(),
                "format": str(session.get_format_display()),
                "location": session.location,
            }
            yield from _pair_reminders(self.kind, m, f"session:{session.pk}@{session.date.isoformat()}", **context)

    def message(self, context):
        """The message "Your mentoring session is tomorrow", with the time, the format and the place."""
        when = date_format(dt.datetime.fromisoformat(context["time"]), "DATETIME_FORMAT")
        body = _("You meet %(partner)s tomorrow, %(when)s (%(format)s, “%(program)s”).") % {**context, "when": when}
        if context.get("location"):
            body = f"{body} " + _("Where: %(location)s") % context
        return Message(_("Your mentoring session is tomorrow"), body)


class PairingStalledRule(Rule):
    """To coordinators: an active pairing with neither sessions nor check-ins for a long time."""

    kind = NotificationKind.PAIRING_STALLED

    def due(self, now):
        """Tell a program's coordinators about each stalled active pair (``PairActivity.stalled``, the one rule).

        Coordinators come from ``access.querysets.coordinators_by_program``; one reminder per stalled
        period, counted in multiples of the idle-session threshold.
        """
        pairs = selectors.attach_activity(_active_pairs(), within=_active_pairs().values("pk"), now=now)
        stalled = [m for m in pairs if m.activity.stalled]
        coordinators = coordinators_by_program({m.program_id for m in stalled})
        for m in stalled:
            pair = m.activity
            days = min(pair.days_without_session, pair.days_without_check_in)
            anchor = pair.today - dt.timedelta(days=days)
            period = f"{anchor.isoformat()}#{days // pair.thresholds[0]}"
            context = {
                "program": m.program.title,
                "mentor": display_name(m.mentor),
                "mentee": display_name(m.mentee),
                "days": days,
            }
            for uid in coordinators.get(m.program_id, []):
                yield Reminder(self.kind, uid, f"mentorship:{m.pk}", period, m.program_id, context)

    def message(self, context):
        """The message "A pairing has stalled", naming mentor, mentee and the days without session or check-in."""
        return Message(
            _("A pairing has stalled"),
            _(
                "%(mentor)s and %(mentee)s (“%(program)s”) have had no session and no check-in "
                "for %(days)d days. Consider getting in touch."
            )
            % context,
        )


class EnrolmentReviewRule(Rule):
    """To coordinators: enrolments still waiting for review (a daily digest per program)."""

    kind = NotificationKind.ENROLMENT_REVIEW

    def due(self, now):
        """Tell coordinators, once a day per program, how many applications have waited ``ENROLMENT_REVIEW_DAYS``
        or more."""
        cutoff = now - dt.timedelta(days=mentoring_settings.ENROLMENT_REVIEW_DAYS)
        counts: dict[int, int] = defaultdict(int)
        titles: dict[int, str] = {}
        for program_id, title in Enrolment.objects.filter(
            status=Enrolment.Status.APPLIED, created_at__lte=cutoff
        ).values_list("program_id", "program__title"):
            counts[program_id] += 1
            titles[program_id] = title
        coordinators = coordinators_by_program(counts)
        period = timezone.localdate(now).isoformat()
        for program_id, count in sorted(counts.items()):
            for uid in coordinators.get(program_id, []):
                yield Reminder(
                    self.kind,
                    uid,
                    f"program:{program_id}",
                    period,
                    program_id,
                    {"program": titles[program_id], "count": count},
                )

    def message(self, context):
        """The message "Enrolments are waiting for your review", with the count."""
        return Message(
            _("Enrolments are waiting for your review"),
            ngettext(
                "%(count)d enrolment in “%(program)s” has been waiting for review for a few days.",
                "%(count)d enrolments in “%(program)s” have been waiting for review for a few days.",
                context["count"],
            )
            % context,
        )


class MenteeUnmatchedRule(Rule):
    """To coordinators: accepted mentees still without a pairing (a weekly digest per program)."""

    kind = NotificationKind.MENTEE_UNMATCHED

    def due(self, now):
        """Tell coordinators, once a week per program, how many accepted mentees still have no mentor.

        A mentee counts once ``UNMATCHED_MENTEE_DAYS`` have passed since acceptance (or application) and
        they are unmatched (``programs.selectors.unmatched_mentees``).
        """
        cutoff = now - dt.timedelta(days=mentoring_settings.UNMATCHED_MENTEE_DAYS)
        counts: dict[int, int] = defaultdict(int)
        titles: dict[int, str] = {}
        for program_id, title, reviewed_at, created_at in selectors.unmatched_mentees(
            Enrolment.objects.all()
        ).values_list("program_id", "program__title", "reviewed_at", "created_at"):
            if (reviewed_at or created_at) <= cutoff:
                counts[program_id] += 1
                titles[program_id] = title
        coordinators = coordinators_by_program(counts)
        year, week, _day = timezone.localdate(now).isocalendar()
        period = f"{year}-W{week:02d}"
        for program_id, count in sorted(counts.items()):
            for uid in coordinators.get(program_id, []):
                yield Reminder(
                    self.kind,
                    uid,
                    f"program:{program_id}",
                    period,
                    program_id,
                    {"program": titles[program_id], "count": count},
                )

    def message(self, context):
        """The message "Mentees are still waiting for a mentor", with the count."""
        return Message(
            _("Mentees are still waiting for a mentor"),
            ngettext(
                "%(count)d accepted mentee in “%(program)s” has no mentor yet.",
                "%(count)d accepted mentees in “%(program)s” have no mentor yet.",
                context["count"],
            )
            % context,
        )


class SurveyDueRule(Rule):
    """A pairing check, mid-point, closing or program survey is due (session ratings and before-launch surveys
    only show on the dashboard)."""

    kind = NotificationKind.SURVEY_DUE
    e_mailed_kinds = ("pairing_check", "midpoint", "closing", "program")

    def due(self, now):
        """Remind each participant of the surveys due to them (``surveys.scheduling.due_surveys``) whose kind is
        e-mailed."""
        labels = dict(Feedback.Kind.choices)
        for survey in due_surveys(timezone.localdate(now)):
            if survey.kind in self.e_mailed_kinds:
                yield Reminder(
                    self.kind,
                    survey.user_id,
                    f"{survey.kind}:{survey.subject_key}",
                    survey.period,
                    survey.program_id,
                    {"survey": str(labels[survey.kind]), "url": survey.url},
                )

    def message(self, context):
        """The message "A short survey is waiting for you", with a link to answer it."""
        return Message(
            _("A short survey is waiting for you"),
            _("Please take two minutes to answer the %(survey)s: your answers help improve the program.")
            % {"survey": context["survey"].lower()},
            _("Answer the survey"),
            context.get("url", ""),
        )


class EndingSoonRule(Rule):
    """The program (and so the pairing) ends within ``program.ending_soon_days`` days."""

    kind = NotificationKind.ENDING_SOON

    def due(self, now):
        """Remind both members of an active pair once when their program ends within its ``ending_soon_days``."""
        today = timezone.localdate(now)
        pairs = Mentorship.objects.filter(
            status=Mentorship.Status.ACTIVE, program__end_date__gte=today, program__end_date__isnull=False
        ).select_related("program", "mentor", "mentee")
        for m in pairs:
            days = (m.program.end_date - today).days
            if days <= m.program.ending_soon_days:
                yield from _pair_reminders(
                    self.kind, m, m.program.end_date.isoformat(), days=days, end=m.program.end_date.isoformat()
                )

    def message(self, context):
        """The message "Your mentorship is ending soon", with the end date and a suggestion to plan a closing
        session."""
        return Message(
            _("Your mentorship is ending soon"),
            ngettext(
                "“%(program)s” ends in %(days)d day (%(end)s). Plan a closing session with %(partner)s "
                "to look back at your objectives.",
                "“%(program)s” ends in %(days)d days (%(end)s). Plan a closing session with %(partner)s "
                "to look back at your objectives.",
                context["days"],
            )
            % {**context, "end": date_format(dt.date.fromisoformat(context["end"]))},
        )


class MentorshipRequestRule(Rule):
    """To a mentor: a mentee asked them to mentor them (self-match); answer before the request expires."""

    kind = NotificationKind.MENTORSHIP_REQUEST

    def due(self, now):
        """Tell the mentor once about each open request that has not expired yet (one query)."""
        today = timezone.localdate(now)
        pending = MentorshipRequest.objects.filter(
            status__in=MentorshipRequest.OPEN_STATUSES, expires_on__gte=today
        ).select_related("program", "mentee")
        for request in pending:
            yield Reminder(
                self.kind,
                request.mentor_id,
                f"request:{request.pk}",
                request.expires_on.isoformat(),
                request.program_id,
                {
                    "program": request.program.title,
                    "mentee": display_name(request.mentee),
                    "end": request.expires_on.isoformat(),  # the last day to answer
                },
            )

    def message(self, context):
        """The message "A mentee asked you to mentor them", with the last day to answer."""
        return Message(
            _("A mentee asked you to mentor them"),
            _(
                "%(mentee)s asked you to be their mentor in “%(program)s”. Accept or decline on your mentoring "
                "dashboard by %(expires)s; after that the request expires."
            )
            % {**context, "expires": date_format(dt.date.fromisoformat(context["end"]))},
        )


class GroupSessionDueRule(Rule):
    """An active group's next session is due (``MentoringGroup.next_session_due``): its mentor and every member are
    told, once a meeting cadence."""

    kind = NotificationKind.GROUP_SESSION_DUE

    def due(self, now):
        """Remind the people of each active mentoring group or peer circle whose next session is due: its last
        session, or its start, plus its cadence (the pairing rule, through ``MentoringGroup.next_session_due``).
        Told again each cadence the group still has not met. Two queries."""
        today = timezone.localdate(now)
        groups = (
            MentoringGroup.objects.filter(status=MentoringGroup.Status.ACTIVE)
            .select_related("program")
            .prefetch_related("members")
            .annotate(last_session=Max("sessions__date"))
            .order_by("pk")
        )
        for group in groups:
            due = group.next_session_due(group.last_session)
            if due > today:
                continue
            period = f"{due.isoformat()}#{(today - due).days // group.meeting_cadence_days}"
            context = {
                "program": group.program.title,
                "group": group.name,
                "group_id": group.pk,
                "due": due.isoformat(),
            }
            people = [group.mentor_id] if group.mentor_id else []
            people += [member.user_id for member in group.members.all()]
            for user_id in people:
                yield Reminder(self.kind, user_id, f"group:{group.pk}", period, group.program_id, context)

    def message(self, context):
        """The message "Time for your group to meet", with the day the session was due."""
        return Message(
            _("Time for your group to meet"),
            _(
                "Your group “%(group)s” in “%(program)s” was due to meet on %(due)s. Agree on a date together, "
                "then log the session on the group's page of your mentoring dashboard."
            )
            % {**context, "due": date_format(dt.date.fromisoformat(context["due"]))},
        )


#: Every rule, in the order ``mentoring_reminders`` runs them.
RULES: list[Rule] = [
    CheckInDueRule(),
    NoSessionRule(),
    SessionTomorrowRule(),
    PairingStalledRule(),
    EnrolmentReviewRule(),
    MenteeUnmatchedRule(),
    SurveyDueRule(),
    EndingSoonRule(),
    MentorshipRequestRule(),
    GroupSessionDueRule(),
]


def get_rule(kind: str) -> Rule:
    """The rule of ``kind`` (KeyError when unknown)."""
    for rule in RULES:
        if rule.kind == kind:
            return rule
    raise KeyError(kind)
