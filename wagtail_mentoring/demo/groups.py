"""Demo group mentoring: a mentoring group of the leadership program with its sessions, and a mentors' peer circle."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.models import MentoringGroup, MentoringProgramPage
from wagtail_mentoring.programs import groups

#: The mentoring group: its mentor and members (usernames), and its sessions (days ago, notes).
GROUP = ("mentor3", ("mentee1", "mentee2", "mentee3"))
GROUP_SESSIONS = (
    (24, "Giving feedback that lands: everyone brought one example from last week."),
    (10, "Saying no to your former peers. We role-played two conversations."),
)
#: The peer circle of mentors (usernames) and its session.
CIRCLE = ("mentor1", "mentor2")
CIRCLE_SESSION = (6, "How we run the first session with a new mentee; sharing our agendas.")


def run(ctx: DemoContext) -> None:
    """Create the leadership program's mentoring group and mentors' peer circle, through ``programs.groups``
    (once: existing groups are kept)."""
    program = MentoringProgramPage.objects.filter(slug="leadership").first()
    if program is None:
        ctx.say(_("Groups: no leadership program (run the programs demo step first); nothing created."))
        return
    if MentoringGroup.objects.filter(program=program).exists():
        return
    users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=[*GROUP[1], GROUP[0], *CIRCLE])}
    try:
        group = groups.create_group(
            program,
            name=_("New managers' circle"),
            mentor=users[GROUP[0]],
            max_size=5,
            focus=_("The first months of leading a team: feedback, delegation, and leading former peers."),
        )
        groups.add_members(group, [users[name] for name in GROUP[1]])
        for days, notes in GROUP_SESSIONS:
            groups.log_group_session(
                group, users[GROUP[0]], date=_days_ago(days), duration_minutes=75, format="in_person", notes=notes
            )
        circle = groups.create_group(
            program,
            name=_("Mentors' peer circle"),
            kind=MentoringGroup.Kind.PEER,
            max_size=6,
            focus=_("Mentors learn from each other's sessions."),
        )
        groups.add_members(circle, [users[name] for name in CIRCLE])
        days, notes = CIRCLE_SESSION
        groups.log_group_session(circle, users[CIRCLE[0]], date=_days_ago(days), duration_minutes=45, notes=notes)
    except (KeyError, ValidationError) as exc:
        ctx.say(_("Groups: the demo people are missing (%(error)s); no group created.") % {"error": exc})
        return
    ctx.say(ctx.style.SUCCESS(_("Groups ready: a mentoring group and a peer circle in the leadership program.")))


def _days_ago(days: int) -> dt.datetime:
    """Ten in the morning, ``days`` days ago."""
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
