"""iCalendar (RFC 5545) export of training events, built with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event

from wagtail_mentoring import __version__
from wagtail_mentoring.training.models import TrainingEvent

PRODID = f"-//wagtail-mentoring//training events {__version__}//EN"


def event_uid(event: TrainingEvent, domain: str) -> str:
    """A stable, globally unique UID for ``event``: calendar apps update rather than duplicate it."""
    return f"training-event-{event.pk}@{domain}"


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def build_vevent(event: TrainingEvent, domain: str, url: str = "") -> Event:
    """One VEVENT for ``event``."""
    vevent = Event()
    vevent.add("uid", event_uid(event, domain))
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("summary", _one_line(event.title))
    description = event.description
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    if description:
        vevent.add("description", description)
    location = _one_line(event.location or event.online_url)
    if location:
        vevent.add("location", location)
    if url:
        vevent.add("url", url)
    return vevent


def build_calendar(events: Iterable[TrainingEvent], domain: str, name: str = "", urls: dict | None = None) -> bytes:
    """An iCalendar document (bytes) with one VEVENT per event; ``urls`` maps event pk to its page URL."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", _one_line(name))
    for event in events:
        calendar.add_component(build_vevent(event, domain, (urls or {}).get(event.pk, "")))
    return calendar.to_ical()
