"""Self-match: a mentee requests a suggested mentor, who accepts (the lifecycle pairs them) or declines.

The one write path for :class:`~wagtail_mentoring.programs.models.MentorshipRequest`. Suggestions and
the check that a mentor may be requested come from the matching engine through
``proposals.suggested_mentors`` (its scores, hard rules, reasons and capacity); acceptance creates the
pairing with ``lifecycle.propose`` then ``lifecycle.approve`` (the mentor's capacity checked under a lock
on their enrolment, the pair's permissions granted, both e-mailed). A request's status moves as
:data:`TRANSITIONS` says; any other move is refused with the code ``invalid_transition`` (the API's 409).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_mentoring.programs import lifecycle
from wagtail_mentoring.programs.models import Enrolment, MentoringProgramPage, MentorshipRequest
from wagtail_mentoring.programs.proposals import suggested_mentors

MENTOR = "mentor"
MENTEE = "mentee"
#: Every suggestion the engine allows (a request is checked against all of them, not only the top N).
ALL_MENTORS = 10**6


@dataclass(frozen=True)
class RequestTransition:
    """One move of a request: who takes it, from which status, to which."""

    action: str
    actor: str
    target: str
    done: Promise


#: The request lifecycle: accept and decline by the mentor, withdraw by the mentee, all from *requested*.
TRANSITIONS: dict[str, RequestTransition] = {
    t.action: t
    for t in (
        RequestTransition("accept", MENTOR, MentorshipRequest.Status.ACCEPTED, gettext_lazy("accepted")),
        RequestTransition("decline", MENTOR, MentorshipRequest.Status.DECLINED, gettext_lazy("declined")),
        RequestTransition("withdraw", MENTEE, MentorshipRequest.Status.WITHDRAWN, gettext_lazy("withdrawn")),
    )
}


def is_self_match(program: MentoringProgramPage) -> bool:
    """Whether ``program``'s mentees choose their mentor (self-match, or self-match first)."""
    return program.matching_mode != MentoringProgramPage.MatchingMode.COORDINATOR


def expires_on(program: MentoringProgramPage, today: dt.date | None = None) -> dt.date:
    """The last day a request made ``today`` may be answered (``program.request_response_days`` later)."""
    return (today or timezone.localdate()) + dt.timedelta(days=program.request_response_days)


def is_overdue(request: MentorshipRequest, today: dt.date | None = None) -> bool:
    """Whether an open request's answer time is over (it expires at the next ``expire_requests``)."""
    return request.is_open and request.expires_on < (today or timezone.localdate())


def request_mentor(program: MentoringProgramPage, mentee, mentor) -> MentorshipRequest:
    """The mentee asks ``mentor`` to mentor them in ``program``.

    The mentor must be one the engine suggests for the mentee (an accepted mentor with a free place whom
    no hard rule excludes); the request keeps the engine's score and reasons. One open request per mentee
    and program (the mentee's enrolment row is locked, and a partial unique index backs it).

    Raises:
        ValidationError: the program is not self-match (``not_self_match``), the mentee is not an
            unmatched accepted mentee (``not_mentee``), already has an open request (``duplicate``), or
            the mentor may not be requested (``{"mentor": ...}``). Nothing is written then.
    """
    if not is_self_match(program):
        raise ValidationError(_("In this program, coordinators match mentees with mentors."), code="not_self_match")
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(program=program, user=mentee, role=Enrolment.Role.MENTEE, status=Enrolment.Status.ACCEPTED)
            .first()
        )
        if enrolment is None:
            raise ValidationError(_("Only accepted mentees of this program choose a mentor."), code="not_mentee")
        if MentorshipRequest.objects.filter(
            program=program, mentee=mentee, status__in=MentorshipRequest.OPEN_STATUSES
        ).exists():
            raise ValidationError(
                _("You already have a request waiting for an answer: withdraw it first."), code="duplicate"
            )
        found = {s.mentor_id: s for s in suggested_mentors(program, mentee, limit=ALL_MENTORS)}
        if not found:
            raise ValidationError(_("You cannot choose a mentor in this program now."), code="not_mentee")
        suggestion = found.get(getattr(mentor, "pk", None))
        if suggestion is None:
            raise ValidationError(
                {"mentor": ValidationError(_("Choose one of the suggested mentors."), code="not_suggested")}
            )
        try:
            with transaction.atomic():
                return MentorshipRequest.objects.create(
                    program=program,
                    mentee=mentee,
                    mentor=mentor,
                    match_score=suggestion.score,
                    match_reasons=suggestion.reasons,
                    expires_on=expires_on(program),
                )
        except IntegrityError as exc:  # the partial unique index: a concurrent request by the same mentee
            raise ValidationError(
                _("You already have a request waiting for an answer: withdraw it first."), code="duplicate"
            ) from exc


def _decide(action: str, request: MentorshipRequest, by) -> MentorshipRequest:
    """Run ``action`` on ``request`` under a row lock (re-read its status, check the table, change it)."""
    transition = TRANSITIONS[action]
    with transaction.atomic():
        request.refresh_from_db(
            fields=["status", "expires_on"], from_queryset=MentorshipRequest.objects.select_for_update()
        )
        party = request.mentor_id if transition.actor == MENTOR else request.mentee_id
        if by is None or by.pk != party:
            raise ValidationError(_("This request is not yours to answer."), code="not_visible")
        if not request.is_open:
            raise ValidationError(
                _("A request that is %(status)s cannot be %(action)s.")
                % {"status": request.get_status_display().lower(), "action": transition.done},
                code="invalid_transition",
            )
        if transition.actor == MENTOR and is_overdue(request):
            raise ValidationError(_("This request has expired."), code="invalid_transition")
        if action == "accept":
            program = MentoringProgramPage.objects.get(pk=request.program_id)
            mentorship = lifecycle.propose(
                program, request.mentor, request.mentee, request.match_score, {"reasons": request.match_reasons}
            )
            request.mentorship = lifecycle.approve(mentorship, by=by)
        request.status = transition.target
        request.decided_at = timezone.now()
        request.save(update_fields=["status", "decided_at", "mentorship"])
    return request


def accept_request(request: MentorshipRequest, by) -> MentorshipRequest:
    """The mentor accepts: the pairing is proposed and approved through the lifecycle (capacity locked).

    Raises:
        ValidationError: ``by`` is not the mentor, the request is not open or has expired
            (``invalid_transition``), or the lifecycle refuses the pairing (the mentor is full, the mentee
            already paired). Nothing is written then.
    """
    return _decide("accept", request, by)


def decline_request(request: MentorshipRequest, by) -> MentorshipRequest:
    """The mentor declines; the mentee may request someone else.

    Raises:
        ValidationError: ``by`` is not the mentor, or the request is not open (``invalid_transition``).
    """
    return _decide("decline", request, by)


def withdraw_request(request: MentorshipRequest, by) -> MentorshipRequest:
    """The mentee withdraws their open request.

    Raises:
        ValidationError: ``by`` is not the mentee, or the request is not open (``invalid_transition``).
    """
    return _decide("withdraw", request, by)


def expire_requests(now: dt.datetime | None = None) -> int:
    """Expire every open request whose answer time is over (one ``UPDATE``); returns how many."""
    now = now or timezone.now()
    return MentorshipRequest.objects.filter(
        status__in=MentorshipRequest.OPEN_STATUSES, expires_on__lt=timezone.localdate(now)
    ).update(status=MentorshipRequest.Status.EXPIRED, decided_at=now)
