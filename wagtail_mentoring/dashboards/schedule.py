"""Front-end views of session scheduling (routes of MentoringDashboardPage): plan, propose, confirm, cancel,
log as held, download the calendar entry, and the mentor's availability.

Every object is resolved through ``wagtail_mentoring.access`` (a session of a pairing the user takes part
in, a slot they may see), so anything else is a 404; every write goes through ``programs.services``.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import (
    can_publish_availability,
    editable_availability,
    get_visible_or_404,
    notes_mentorships,
    participating_mentorships,
    visible_availability,
    visible_sessions,
)
from wagtail_mentoring.dashboards.forms import AvailabilityForm, HeldSessionForm, PlanSessionForm, ProposeSlotForm
from wagtail_mentoring.form_errors import add_validation_error, save_valid_form
from wagtail_mentoring.notifications import invitations
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.models import MentoringSession
from wagtail_mentoring.programs.selectors import free_slots, slots_with_booking

SCHEDULE_TEMPLATE = "wagtail_mentoring/dashboards/schedule_page.html"
AVAILABILITY_TEMPLATE = "wagtail_mentoring/dashboards/availability_page.html"
HELD_TEMPLATE = "wagtail_mentoring/dashboards/held_page.html"
#: How many free slots per mentor, and how many of the mentor's own slots, a page lists.
SLOTS_SHOWN = 30
#: How many upcoming sessions the schedule lists.
UPCOMING_SHOWN = 30


def _url(page, request: HttpRequest, route: str, *args) -> str:
    return (page.get_url(request) or "/") + page.reverse_subpage(route, args=list(args))


def _back(page, request: HttpRequest, route: str = "schedule") -> HttpResponseRedirect:
    """Back to ``next`` when it is one of this page's URLs, else to ``route``."""
    target = request.POST.get("next", "")
    base = page.get_url(request) or "/"
    if not (target.startswith(base) and "//" not in target[len(base) :]):
        target = _url(page, request, route)
    return HttpResponseRedirect(target)


def _pair_sessions(user):
    """Sessions of the user's active pairings (what they may plan, confirm, cancel and log)."""
    return visible_sessions(user).filter(mentorship__in=participating_mentorships(user).values("pk"))


def upcoming_for(user, now=None) -> list[MentoringSession]:
    """The user's proposed and planned sessions, soonest first, each with ``waiting_for_me`` (a proposal
    the user confirms), ``partner`` (the other person's name) and ``can_log`` (it has started)."""
    now = now or timezone.now()
    sessions = list(
        _pair_sessions(user)
        .filter(status__in=(MentoringSession.Status.PROPOSED, MentoringSession.Status.PLANNED))
        .select_related("mentorship__mentor", "mentorship__mentee", "mentorship__program")
        .order_by("date", "pk")[:UPCOMING_SHOWN]
    )
    for session in sessions:
        m = session.mentorship
        session.partner = display_name(m.mentee if m.mentor_id == user.pk else m.mentor)
        session.waiting_for_me = session.status == MentoringSession.Status.PROPOSED and session.created_by_id != user.pk
        session.can_log = session.status == MentoringSession.Status.PLANNED and session.date <= now
    return sessions


def offered_slots(user) -> list[dict]:
    """For each of the user's active pairings as mentee: the mentor and their free slots (``free_slots``)."""
    pairings = list(participating_mentorships(user).filter(mentee=user).select_related("mentor", "program"))
    if not pairings:
        return []
    slots = free_slots(visible_availability(user).filter(mentor_id__in=[m.mentor_id for m in pairings]))
    by_mentor = defaultdict(list)
    for slot in slots.select_related("mentor")[: SLOTS_SHOWN * len(pairings)]:
        by_mentor[slot.mentor_id].append(slot)
    return [
        {"mentorship": m, "mentor": display_name(m.mentor), "slots": by_mentor.get(m.mentor_id, [])[:SLOTS_SHOWN]}
        for m in pairings
    ]


def schedule(page, request: HttpRequest) -> HttpResponse:
    """The schedule: upcoming sessions with their actions, the mentor's free times (mentees), and a form to
    plan a session (its POST: ``plan``)."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render_schedule(page, request)


def render_schedule(page, request: HttpRequest, plan_form=None, propose_errors=None) -> HttpResponse:
    """The schedule page, with a rejected plan or proposal form and its errors (400) when given."""
    user = request.user
    has_pairings = participating_mentorships(user).exists()
    form = plan_form or PlanSessionForm(user, initial=_initial_pairing(request))
    response = page.render(
        request,
        context_overrides={
            "upcoming": upcoming_for(user),
            "offered": offered_slots(user),
            "plan_form": form,
            "propose_form": ProposeSlotForm(auto_id="wm-propose-%s"),
            "propose_errors": propose_errors,
            "has_pairings": has_pairings,
            "is_mentor": can_publish_availability(user),
            "here": request.path,
        },
        template=SCHEDULE_TEMPLATE,
    )
    if plan_form is not None or propose_errors:
        response.status_code = 400
    return response


def _initial_pairing(request: HttpRequest) -> dict:
    raw = request.GET.get("mentorship", "")
    return {"mentorship": int(raw)} if raw.isdigit() and len(raw) < 19 else {}


def plan(page, request: HttpRequest) -> HttpResponse:
    """POST: plan a session (``PlanSessionForm``); its errors re-render the schedule (400)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PlanSessionForm(request.user, request.POST)
    if (session := save_valid_form(form)) is not None:
        messages.success(
            request,
            _("Session planned with %(partner)s. You both receive a calendar invitation.")
            % {"partner": _partner(session, request.user)},
        )
        return _back(page, request)
    return render_schedule(page, request, plan_form=form)


def _partner(session: MentoringSession, user) -> str:
    m = session.mentorship
    return display_name(m.mentee if m.mentor_id == user.pk else m.mentor)


def propose(page, request: HttpRequest, slot_id: int) -> HttpResponse:
    """POST: the mentee proposes one of the mentor's free slots (``services.propose_slot``); a slot they
    may not see is a 404, a slot just taken returns with the reason (400)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    slot = get_visible_or_404(visible_availability(user).exclude(mentor=user), pk=slot_id)
    pairing = participating_mentorships(user).filter(mentee=user, mentor_id=slot.mentor_id).first()
    if pairing is None:
        raise Http404
    form = ProposeSlotForm(request.POST, auto_id="wm-propose-%s")
    if form.is_valid():
        try:
            services.propose_slot(pairing, user, slot, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Time proposed to %(mentor)s. You will both get an invitation once they confirm.")
                % {"mentor": display_name(pairing.mentor)},
            )
            return _back(page, request)
    return render_schedule(page, request, propose_errors=form)


def _session_action(page, request: HttpRequest, pk: int, run, done: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    session = get_visible_or_404(_pair_sessions(request.user), pk=pk)
    try:
        run(session, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        response = _back(page, request)
        return response
    messages.success(request, done)
    return _back(page, request)


def confirm(page, request: HttpRequest, pk: int) -> HttpResponse:
    """POST: confirm a proposed session (``services.confirm_session``): both get the invitation."""
    return _session_action(
        page, request, pk, services.confirm_session, _("Session confirmed. You both receive a calendar invitation.")
    )


def cancel(page, request: HttpRequest, pk: int) -> HttpResponse:
    """POST: cancel a planned session or decline a proposed one (``services.cancel_session``)."""
    return _session_action(page, request, pk, services.cancel_session, _("Session cancelled."))


def held(page, request: HttpRequest, pk: int) -> HttpResponse:
    """Log a planned session as held: the form (GET) and its POST (``services.mark_session_held``)."""
    user = request.user
    session = get_visible_or_404(
        _pair_sessions(user)
        .filter(status=MentoringSession.Status.PLANNED)
        .select_related("mentorship__mentor", "mentorship__mentee"),
        pk=pk,
    )
    status = 200
    if request.method == "POST":
        form = HeldSessionForm(request.POST, auto_id="wm-held-%s")
        if form.is_valid():
            try:
                services.mark_session_held(session, user, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Session logged."))
                return HttpResponseRedirect(f"{page.get_url(request) or '/'}?rate={session.pk}")
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = HeldSessionForm(initial={"agenda": session.agenda}, auto_id="wm-held-%s")
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    response = page.render(
        request,
        context_overrides={"session": session, "partner": _partner(session, user), "form": form},
        template=HELD_TEMPLATE,
    )
    response.status_code = status
    return response


def calendar(page, request: HttpRequest, pk: int) -> HttpResponse:
    """The session's calendar entry (``.ics``) for the pair: the invitation, or its cancellation."""
    user = request.user
    session = get_visible_or_404(
        visible_sessions(user)
        .filter(mentorship__in=notes_mentorships(user).values("pk"))
        .exclude(status=MentoringSession.Status.PROPOSED)
        .select_related("mentorship__mentor", "mentorship__mentee", "mentorship__program", "created_by"),
        pk=pk,
    )
    method = invitations.CANCEL if session.status == MentoringSession.Status.CANCELLED else invitations.REQUEST
    response = HttpResponse(
        invitations.session_calendar(session, method, request.build_absolute_uri(page.get_url(request) or "/")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{invitations.FILENAME}"'
    return response


def availability(page, request: HttpRequest) -> HttpResponse:
    """The mentor's availability: their upcoming slots (booked or free) and a form to add one (POST).

    Only mentors of an active pairing (``access.can_publish_availability``) have this page; others get 404.
    """
    user = request.user
    if not can_publish_availability(user):
        raise Http404
    status = 200
    if request.method == "POST":
        form = AvailabilityForm(user, request.POST)
        if save_valid_form(form) is not None:
            messages.success(request, _("Time added. Your mentees can now propose it."))
            return HttpResponseRedirect(_url(page, request, "availability"))
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = AvailabilityForm(user)
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    slots = list(
        slots_with_booking(editable_availability(user).filter(end__gt=timezone.now())).order_by("start", "pk")[
            :SLOTS_SHOWN
        ]
    )
    booked = {
        s.slot_id: s
        for s in MentoringSession.objects.filter(
            slot_id__in=[slot.pk for slot in slots], status__in=MentoringSession.SLOT_TAKING
        ).select_related("mentorship__mentee")
    }
    for slot in slots:
        slot.booking = booked.get(slot.pk)
        slot.booked_by = display_name(slot.booking.mentorship.mentee) if slot.booking else ""
    response = page.render(
        request,
        context_overrides={"slots": slots, "form": form, "here": request.path},
        template=AVAILABILITY_TEMPLATE,
    )
    response.status_code = status
    return response


def remove_slot(page, request: HttpRequest, pk: int) -> HttpResponse:
    """POST: withdraw one of the user's own free slots (``services.remove_availability``)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    slot = get_visible_or_404(editable_availability(request.user), pk=pk)
    try:
        services.remove_availability(slot)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Time removed."))
    return HttpResponseRedirect(_url(page, request, "availability"))
