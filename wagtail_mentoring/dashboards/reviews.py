"""Front-end view of "Review and realign" (a route of MentoringDashboardPage): the pair records what happened
to a key result that is at risk, off track or missed, what changes, and a new target or due date.

The key result is resolved through ``wagtail_mentoring.access`` (one the user may check in on: their own
objective's, or one of an active pairing of theirs), so anything else is a 404; the write goes through
``snippets.services.realign_key_result``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import check_in_key_results, get_visible_or_404
from wagtail_mentoring.dashboards.forms import KeyResultReviewForm
from wagtail_mentoring.form_errors import save_valid_form
from wagtail_mentoring.snippets import scoring

REVIEW_TEMPLATE = "wagtail_mentoring/dashboards/review_page.html"


def review_key_result(page, request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the review form of a key result the user may check in on, with its earlier reviews; POST: save it
    and go back to its objective (400 with the form's errors when refused, nothing written)."""
    user = request.user
    key_result = get_visible_or_404(
        check_in_key_results(user).select_related("objective__cycle", "objective__owner"), pk=pk
    )
    if request.method == "POST":
        form = KeyResultReviewForm(key_result, user, request.POST)
        if save_valid_form(form) is not None:
            messages.success(request, _("Review saved. The key result now follows its new plan."))
            url = (page.get_url(request) or "/") + page.reverse_subpage("objective", args=[key_result.objective_id])
            return HttpResponseRedirect(f"{url}#key-result-{key_result.pk}")
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = KeyResultReviewForm(key_result, user)
        status = 200
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    today = timezone.localdate()
    health = key_result.health_on(today)
    response = page.render(
        request,
        context_overrides={
            "key_result": key_result,
            "objective": key_result.objective,
            "health": health,
            "health_label": scoring.health_label(health),
            "health_tone": scoring.health_tone(health),
            "needs_review": key_result.needs_review_on(today),
            "due": key_result.effective_due,
            "reviews": list(key_result.realignments.select_related("author")),
            "form": form,
        },
        template=REVIEW_TEMPLATE,
    )
    response.status_code = status
    return response
