"""Session invitations: an iCalendar REQUEST (planned, changed) or CANCEL e-mailed to both people of the pair.

Built with the package's one calendar builder (``wagtail_mentoring.calendars``). The UID is the
session's stable ``uid``, so a calendar app updates (or removes) the entry it added instead of adding
another; SEQUENCE is the session's ``sequence``, raised by ``programs.services`` on every change of
time, place or status. The organizer is the person who planned (or proposed) the session, the
attendees are the mentor and the mentee. The agenda and the private notes never go in an invitation:
the entry says who meets, when, where, for which program, and links to the dashboard.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task
from icalendar import vCalAddress, vText

from wagtail_mentoring.calendars import new_calendar, new_event
from wagtail_mentoring.links import site_root_url
from wagtail_mentoring.notifications.email import send_notification
from wagtail_mentoring.notifications.models import NotificationKind
from wagtail_mentoring.notifications.preferences import opted_out
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs.models import MentoringSession

#: The two calendar methods an invitation uses.
REQUEST = "REQUEST"
CANCEL = "CANCEL"
#: The invitation's file name.
FILENAME = "mentoring-session.ics"


def calendar_domain() -> str:
    """The host name UIDs end with (the site's root URL's), ``wagtail-mentoring`` when none is configured."""
    return urlsplit(site_root_url()).hostname or "wagtail-mentoring"


def session_uid(session: MentoringSession) -> str:
    """The session's stable calendar UID: the same for its first invitation, its updates and its cancellation."""
    return f"mentoring-session-{session.uid}@{calendar_domain()}"


def _address(user, role: str, organizer: bool = False) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}" if user.email else f"urn:uuid:user-{user.pk}")
    address.params["cn"] = vText(display_name(user))
    if not organizer:
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        address.params["x-role"] = vText(role)
    return address


def session_summary(session: MentoringSession) -> str:
    """The entry's title: "Mentoring: <mentor> and <mentee>"."""
    m = session.mentorship
    return _("Mentoring: %(mentor)s and %(mentee)s") % {
        "mentor": display_name(m.mentor),
        "mentee": display_name(m.mentee),
    }


def session_calendar(session: MentoringSession, method: str = REQUEST, url: str = "") -> bytes:
    """The iCalendar document of ``session`` (bytes): one VEVENT, METHOD ``REQUEST`` or ``CANCEL``.

    Args:
        session: a session with its pairing, mentor, mentee and program loadable.
        method: :data:`REQUEST` (planned or changed) or :data:`CANCEL`.
        url: a link to the pair's dashboard (absolute), if any.

    Returns:
        The calendar file; never the agenda or the notes.
    """
    m = session.mentorship
    organizer = session.created_by if session.created_by_id in (m.mentor_id, m.mentee_id) else m.mentor
    format_label = MentoringSession.Format(session.format).label
    description = _("%(format)s, %(minutes)d minutes, in “%(program)s”.") % {
        "format": format_label,
        "minutes": session.duration_minutes,
        "program": m.program.title,
    }
    if url:
        description = f"{description}\n{url}"
    calendar = new_calendar(method)
    event = new_event(
        session_uid(session),
        session.date,
        session.end,
        session_summary(session),
        description=description,
        location=session.location,
        url=url,
    )
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event["organizer"] = _address(organizer, "organizer", organizer=True)
    for user, role in ((m.mentor, "mentor"), (m.mentee, "mentee")):
        event.add("attendee", _address(user, role))
    calendar.add_component(event)
    return calendar.to_ical()


def invitation_message(session: MentoringSession, method: str, partner) -> tuple[str, str]:
    """The e-mail's subject and body for one person (``partner``: the other one of the pair)."""
    when = date_format(session.date, "DATETIME_FORMAT")
    context = {"partner": display_name(partner), "when": when, "program": session.mentorship.program.title}
    if method == CANCEL:
        return (
            _("Cancelled: mentoring session with %(partner)s") % context,
            _("The session with %(partner)s on %(when)s (“%(program)s”) is cancelled.") % context,
        )
    if session.sequence:
        return (
            _("Updated: mentoring session with %(partner)s") % context,
            _(
                "The session with %(partner)s (“%(program)s”) is now on %(when)s. The attached invitation updates "
                "your calendar."
            )
            % context,
        )
    return (
        _("Mentoring session with %(partner)s on %(when)s") % context,
        _("You meet %(partner)s on %(when)s (“%(program)s”). Open the attached invitation to add it to your calendar.")
        % context,
    )


@task()
def send_session_invitation(session_id: int, method: str, url: str = "") -> int:
    """E-mail ``session``'s invitation (or cancellation) to the mentor and the mentee, each in their own
    message with the ``.ics`` attached, except to those who switched session invitations off."""
    session = (
        MentoringSession.objects.select_related(
            "mentorship__mentor", "mentorship__mentee", "mentorship__program", "created_by"
        )
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return 0
    m = session.mentorship
    off = opted_out([m.mentor_id, m.mentee_id], NotificationKind.SESSION_INVITATION)
    body_ics = session_calendar(session, method, url)
    mimetype = f"text/calendar; method={method}; charset=UTF-8"
    sent = 0
    for user, partner in ((m.mentor, m.mentee), (m.mentee, m.mentor)):
        if (user.pk, NotificationKind.SESSION_INVITATION) in off:
            continue
        subject, body = invitation_message(session, method, partner)
        sent += send_notification(
            user,
            subject,
            body,
            _("Open my mentoring dashboard") if url else "",
            url,
            [(FILENAME, body_ics, mimetype)],
        )
    return sent


def queue_invitation(session: MentoringSession, method: str, url: str = "") -> None:
    """Queue :func:`send_session_invitation` (django-tasks) once the current transaction commits.

    Connected (through ``signal_handlers``, which adds the dashboard's link) to
    ``programs.services.session_calendar_changed``.
    """
    transaction.on_commit(lambda: send_session_invitation.enqueue(session.pk, method, url))
