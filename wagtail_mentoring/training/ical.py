"""iCalendar (RFC 5545) export of training events, built with the package's calendar helpers (``calendars``)."""

from __future__ import annotations

from collections.abc import Iterable

from icalendar import Event

from wagtail_mentoring.calendars import PRODID, new_calendar, new_event  # noqa: F401  (PRODID: kept importable here)
from wagtail_mentoring.training.models import TrainingEvent


def event_uid(event: TrainingEvent, domain: str) -> str:
    """A stable, globally unique UID for ``event``: calendar apps update rather than duplicate it."""
    return f"training-event-{event.pk}@{domain}"


def build_vevent(event: TrainingEvent, domain: str, url: str = "") -> Event:
    """One VEVENT for ``event``."""
    description = event.description
    if event.online_url:
        description = f"{description}\n\n{event.online_url}".strip()
    return new_event(
        event_uid(event, domain),
        event.start,
        event.end,
        event.title,
        description=description,
        location=event.location or event.online_url,
        url=url,
    )


def build_calendar(events: Iterable[TrainingEvent], domain: str, name: str = "", urls: dict | None = None) -> bytes:
    """An iCalendar document (bytes) with one VEVENT per event; ``urls`` maps event pk to its page URL."""
    calendar = new_calendar("PUBLISH", name)
    for event in events:
        calendar.add_component(build_vevent(event, domain, (urls or {}).get(event.pk, "")))
    return calendar.to_ical()
