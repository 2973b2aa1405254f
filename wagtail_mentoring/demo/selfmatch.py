"""Demo self-match: the leadership program lets mentees choose first, and one mentee's request waits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import Enrolment, MentoringProgramPage, MentorshipRequest
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import selfmatch
from wagtail_mentoring.programs.proposals import suggested_mentors

#: The demo mentee who asks a mentor (accepted and left unmatched by ``demo.programs``).
REQUESTING_MENTEE = "mentee5"


def run(ctx: DemoContext) -> None:
    """Set the leadership program to "self-match first", then let :data:`REQUESTING_MENTEE` request their best
    suggested mentor through ``programs.selfmatch`` (once: an existing request is kept)."""
    program = MentoringProgramPage.objects.filter(slug="leadership").first()
    if program is None:
        ctx.say(_("Self-match: no leadership program (run the programs demo step first); nothing created."))
        return
    if program.matching_mode != MentoringProgramPage.MatchingMode.SELF_MATCH_FIRST:
        program.matching_mode = MentoringProgramPage.MatchingMode.SELF_MATCH_FIRST
        program.save_revision().publish()
        program.refresh_from_db()
    enrolment = (
        Enrolment.objects.filter(
            program=program,
            role=Enrolment.Role.MENTEE,
            status=Enrolment.Status.ACCEPTED,
            user__username=REQUESTING_MENTEE,
        )
        .select_related("user")
        .first()
    )
    if enrolment is None or MentorshipRequest.objects.filter(program=program, mentee=enrolment.user).exists():
        return
    suggestions = suggested_mentors(program, enrolment.user)
    if not suggestions:
        ctx.say(_("Self-match: no mentor can be suggested to the demo mentee; no request created."))
        return
    try:
        request = selfmatch.request_mentor(program, enrolment.user, suggestions[0].mentor)
    except ValidationError as exc:
        ctx.say(" ".join(exc.messages))
        return
    ctx.say(
        ctx.style.SUCCESS(
            _("Self-match ready: %(mentee)s asked %(mentor)s to be their mentor.")
            % {"mentee": display_name(request.mentee), "mentor": display_name(request.mentor)}
        )
    )
