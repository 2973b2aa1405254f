"""Front-end view of a skill rating (routes of MentoringDashboardPage): one form for all of a program's skills.

The program (or the mentor's pairing) is resolved through ``wagtail_mentoring.access``, so a program where
the user's enrolment is not accepted, or another pair's pairing, is a 404; a moment that is not open yet
shows why, and a POST to it is refused with a form error (400), nothing written.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import (
    can_rate_skills,
    feedback_programs,
    get_visible_or_404,
    pair_mentorships,
)
from wagtail_mentoring.form_errors import save_valid_form
from wagtail_mentoring.skills import rules
from wagtail_mentoring.skills.forms import SkillRatingForm
from wagtail_mentoring.skills.models import SkillRating
from wagtail_mentoring.skills.selectors import attach_skill_changes, skills_by_program

RATING_TEMPLATE = "wagtail_mentoring/skills/rating_page.html"


def rate_own(page, request: HttpRequest, program_id: int, moment: str) -> HttpResponse:
    """Rate oneself in a program where one's enrolment is accepted, at ``moment`` (404 otherwise)."""
    if moment not in rules.MOMENTS:
        raise Http404
    program = get_visible_or_404(feedback_programs(request.user), pk=program_id)
    return _rate(page, request, program, moment, subject=None)


def rate_mentee(page, request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """The mentor rates the mentee of one of their pairings at closing (404 for anyone else's pairing)."""
    mentorship = get_visible_or_404(
        pair_mentorships(request.user).filter(mentor=request.user).select_related("program", "mentee"),
        pk=mentorship_id,
    )
    return _rate(page, request, mentorship.program, rules.CLOSING, subject=mentorship.mentee, mentorship=mentorship)


def _rate(page, request: HttpRequest, program, moment: str, subject=None, mentorship=None) -> HttpResponse:
    """GET: the form (or why the moment is not open); POST: save and return to the dashboard (400 with the
    form's errors when refused)."""
    user = request.user
    skills = skills_by_program([program.pk])[program.pk]
    is_open = can_rate_skills(user, program, moment, subject)
    current = dict(
        SkillRating.objects.filter(
            skill__program=program, rater=user, subject=subject or user, moment=moment
        ).values_list("skill_id", "level")
    )
    if mentorship is not None:
        # The mentor's place for a closed pairing (whose page they no longer see): the mentee's change so far.
        attach_skill_changes([mentorship])
    args = (user, program, moment, skills)
    if request.method == "POST":
        form = SkillRatingForm(*args, request.POST, subject=subject, current=current)
        if save_valid_form(form) is not None:
            messages.success(request, _("Thank you: your ratings are saved."))
            return HttpResponseRedirect(page.get_url(request) or "/")
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = SkillRatingForm(*args, subject=subject, current=current)
        status = 200
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    response = page.render(
        request,
        context_overrides={
            "program": program,
            "moment": moment,
            "moment_label": dict(rules.moment_choices())[moment],
            "subject": subject,
            "mentorship": mentorship,
            "is_open": is_open,
            "skills": skills,
            "form": form,
            "already_rated": bool(current),
        },
        template=RATING_TEMPLATE,
    )
    response.status_code = status
    return response
