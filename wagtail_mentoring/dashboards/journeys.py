"""Front-end view of a journey step (a route of MentoringDashboardPage): the mentor or the mentee of an active
pairing marks a step of their program's journey done, or takes it back.

The pairing is resolved through ``wagtail_mentoring.access`` among those the user is the mentor or the mentee
of, so anyone else (a coordinator included) gets a 404, as does a step that is not the program's; the write
goes through ``programs.services.complete_journey_step`` / ``undo_journey_step``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_mentoring.access.querysets import get_visible_or_404, visible_mentorships
from wagtail_mentoring.dashboards.views import _redirect_back
from wagtail_mentoring.programs import services

DONE = "done"
UNDO = "undo"


class JourneyStepForm(forms.Form):
    """What the step's button asks: mark it ``done`` or ``undo`` it."""

    action = forms.ChoiceField(
        label=gettext_lazy("Action"), choices=[(DONE, gettext_lazy("Mark done")), (UNDO, gettext_lazy("Undo"))]
    )


def journey_step(page, request: HttpRequest, mentorship_id: int, step_id: str) -> HttpResponse:
    """POST ``action=done`` or ``action=undo`` for a step of the pairing's journey, then go back (``next``).

    404 for a pairing the user is not the mentor or the mentee of, and for a step the program does not
    have; 400 (nothing written) for an unknown action; a refused change (the pairing is not active) comes
    back with the reason as a message.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    mentorship = get_visible_or_404(
        visible_mentorships(user).filter(Q(mentor=user) | Q(mentee=user)).select_related("program"), pk=mentorship_id
    )
    step = mentorship.program.journey_step(step_id)
    if step is None:
        raise Http404
    form = JourneyStepForm(request.POST)
    if not form.is_valid():
        text = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponseBadRequest(escape(text), content_type="text/plain; charset=utf-8")
    try:
        if form.cleaned_data["action"] == DONE:
            services.complete_journey_step(mentorship, step.id, user)
        else:
            services.undo_journey_step(mentorship, step.id, user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if form.cleaned_data["action"] == DONE:
            messages.success(request, _("“%(step)s” is done.") % {"step": step.title})
        else:
            messages.success(request, _("“%(step)s” is no longer marked done.") % {"step": step.title})
    return _redirect_back(request, page)
