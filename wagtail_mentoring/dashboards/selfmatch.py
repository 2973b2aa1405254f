"""Front end of self-match (routes of MentoringDashboardPage): a mentee chooses a suggested mentor, the mentor
accepts or declines, the mentee withdraws.

Programs are resolved through ``access.self_match_programs`` and requests through
``access.answerable_requests`` / ``access.withdrawable_requests``, so anyone else gets a 404; suggestions
come from the matching engine (``proposals.suggested_mentors``) and writes go through
``programs.selfmatch``. A choice that is not a suggestion is a 400 with the form's error.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_mentoring.access.querysets import (
    answerable_requests,
    get_visible_or_404,
    self_match_programs,
    withdrawable_requests,
)
from wagtail_mentoring.dashboards.forms import MentorChoiceForm
from wagtail_mentoring.dashboards.views import INDEX_TEMPLATE, _redirect_back, index_context
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import selfmatch
from wagtail_mentoring.programs.proposals import suggested_mentors

#: The answers to a request, and the requests each is resolved among (anything else is a 404).
ANSWERS = {
    "accept": (
        selfmatch.accept_request,
        answerable_requests,
        gettext_lazy("You accepted. Your mentorship starts now."),
    ),
    "decline": (selfmatch.decline_request, answerable_requests, gettext_lazy("You declined the request.")),
    "withdraw": (selfmatch.withdraw_request, withdrawable_requests, gettext_lazy("You withdrew your request.")),
}


def request_mentor(page, request: HttpRequest, program_id: int) -> HttpResponse:
    """POST ``mentor``: request a suggested mentor in a self-match program of the user's (404 otherwise).

    A choice that is not a suggestion is a 400: the dashboard with the form's error, nothing written.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    program = get_visible_or_404(self_match_programs(request.user), pk=program_id)
    suggestions = suggested_mentors(program, request.user)
    form = MentorChoiceForm(suggestions, request.POST)
    if form.is_valid():
        mentor = next(s.mentor for s in suggestions if s.mentor_id == form.cleaned_data["mentor"])
        try:
            selfmatch.request_mentor(program, request.user, mentor)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your request was sent to %(mentor)s. They have %(days)d days to answer.")
                % {"mentor": display_name(mentor), "days": program.request_response_days},
            )
            return _redirect_back(request, page)
    context = index_context(request, page)
    for item in context.get("choose_mentor", []):
        if item.program.pk == program.pk:
            item.form = form
    response = page.render(request, context_overrides=context, template=INDEX_TEMPLATE)
    response.status_code = 400
    return response


def answer_request(page, request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    """POST: ``accept`` or ``decline`` (the mentor) or ``withdraw`` (the mentee) a request, then go back.

    404 for anyone else and for an unknown answer; a refused change (no longer open, the mentor is full)
    comes back with the reason as a message, nothing written.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if answer not in ANSWERS:
        raise Http404
    run, scope, done = ANSWERS[answer]
    mentorship_request = get_visible_or_404(scope(request.user), pk=pk)
    try:
        run(mentorship_request, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(done))
    return _redirect_back(request, page)
