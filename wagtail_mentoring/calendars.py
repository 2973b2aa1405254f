"""iCalendar (RFC 5545) building blocks, with the icalendar library (pure: no ORM, no request).

The one calendar builder of the package: the training events' feed (``training.ical``) and the
session invitations (``notifications.invitations``) both start from :func:`new_calendar` and
:func:`new_event`, so every calendar file has the same PRODID, VERSION and line rules.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from icalendar import Calendar, Event

from wagtail_mentoring import __version__

PRODID = f"-//wagtail-mentoring//calendar {__version__}//EN"


def one_line(value: str) -> str:
    """``value`` on one line: every run of whitespace (CR, LF, tabs) becomes one space."""
    return " ".join((value or "").split())


def new_calendar(method: str = "PUBLISH", name: str = "") -> Calendar:
    """An empty VCALENDAR with the package's PRODID, VERSION 2.0, the Gregorian scale and ``method``.

    Args:
        method: ``PUBLISH`` (a feed), ``REQUEST`` (an invitation or its update), ``CANCEL``.
        name: the calendar's display name (``X-WR-CALNAME``), if any.

    Returns:
        The calendar, to add events to.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", one_line(name))
    return calendar


def new_event(
    uid: str,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
) -> Event:
    """One VEVENT with its UID, DTSTAMP (now), start, end, one-line summary and optional text, place and link.

    Args:
        uid: the stable, globally unique id calendar apps update the event by.
        start: when it starts (aware).
        end: when it ends (aware).
        summary: its title.
        description: free text (kept multi-line).
        location: a place or a link (made one line).
        url: a link to the event's page.

    Returns:
        The event, to add more properties to (ORGANIZER, ATTENDEE, SEQUENCE, STATUS).
    """
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", one_line(summary))
    if description:
        event.add("description", description)
    if one_line(location):
        event.add("location", one_line(location))
    if url:
        event.add("url", url)
    return event
