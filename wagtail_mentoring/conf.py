"""The ``WAGTAIL_MENTORING`` settings dict, with documented defaults, read lazily.

Example::

    WAGTAIL_MENTORING = {
        "MAX_KEY_RESULTS_PER_OBJECTIVE": 4,
        "HEALTH_ON_TRACK_MARGIN": 0.15,
    }

    from wagtail_mentoring.conf import mentoring_settings
    mentoring_settings.MAX_KEY_RESULTS_PER_OBJECTIVE  # -> 4
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS: dict[str, Any] = {
    # OKRs: "fewer is better". A new program page's limits start at these; each program may change its own
    # (see ``wagtail_mentoring.snippets.limits``). Key results of objectives outside programs use the second.
    "MAX_OBJECTIVES_PER_PAIRING": 3,
    "MAX_KEY_RESULTS_PER_OBJECTIVE": 5,
    # Absolute bound on any key-result value (start, target, current, check-in value).
    "MAX_ABS_VALUE": 1e12,
    # Health thresholds (the computation contract): on_track when progress >= expected - 0.1,
    # at_risk when progress >= expected - 0.25, otherwise off_track.
    "HEALTH_ON_TRACK_MARGIN": 0.1,
    "HEALTH_AT_RISK_MARGIN": 0.25,
    # A pairing is "stalled" when it has had no check-in / no session for longer than this many days
    # (None: use the program's check-in / meeting cadence).
    "STALLED_CHECK_IN_DAYS": None,
    "STALLED_SESSION_DAYS": None,
    # Pagination.
    "PAGE_SIZE": 25,
    # Objectives per page of the mentoring dashboard (each with its key results, summary first).
    "DASHBOARD_PAGE_SIZE": 10,
    "MAX_PAGE_SIZE": 100,
    # E-mail sender for notifications (None: DEFAULT_FROM_EMAIL).
    "FROM_EMAIL": None,
    # Outgoing webhooks (``notifications.channels``): attempts per delivery (the first included), the wait
    # before the second attempt in seconds (doubled for each further one), and the HTTP timeout in seconds.
    "WEBHOOK_MAX_ATTEMPTS": 5,
    "WEBHOOK_BACKOFF_SECONDS": 30,
    "WEBHOOK_TIMEOUT_SECONDS": 5,
    # --- engagement ---
    # Coordinators are nudged about enrolments still "applied" after this many days, and about
    # accepted mentees still without a pairing after this many days.
    "ENROLMENT_REVIEW_DAYS": 3,
    "UNMATCHED_MENTEE_DAYS": 7,
    # A session can be rated for this many days after it took place.
    "SESSION_RATING_WINDOW_DAYS": 7,
    # The closing survey stays open this many days after a mentorship ends; the program survey opens
    # this many days before the program's end date and closes as many days after it.
    "CLOSING_SURVEY_WINDOW_DAYS": 60,
    "PROGRAM_SURVEY_WINDOW_DAYS": 21,
    # Completion certificate rules.
    "CERTIFICATE_MIN_SESSIONS": 6,
    # Anonymous survey comments are shown to coordinators only when at least this many were given.
    "ANONYMITY_MIN_RESPONSES": 3,
    # --- bulk import (``programs.imports``) ---
    # Largest file (bytes) and most data rows a CSV or XLSX import may have; larger files are refused.
    # (The admin's preview posts the file back, compressed, on Confirm: above about 1.8 MB, raise Django's
    # DATA_UPLOAD_MAX_MEMORY_SIZE too.)
    "IMPORT_MAX_FILE_SIZE": 1024 * 1024,
    "IMPORT_MAX_ROWS": 1000,
    # Whether a row naming a person who has no account creates one (username and e-mail both given;
    # an unusable password: they log in through the host's identity provider).
    "IMPORT_CREATE_USERS": False,
    # Dotted path of a function ``(user) -> dict`` filling a new mentoring profile's attributes
    # (department, languages, time_zone, seniority, job_title, location) from the host's user model or
    # the identity provider's claims; None: profiles start empty. Checked by ``wagtail_mentoring.E005``.
    "PROFILE_ATTRIBUTES": None,
    # --- self-match (``programs.selfmatch``) ---
    # How many suggested mentors a mentee of a self-match program sees.
    "SELF_MATCH_SUGGESTIONS": 5,
}


class MentoringSettings:
    """Lazy accessor: looks up ``settings.WAGTAIL_MENTORING`` on every attribute access (cached)."""

    def __init__(self, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name not in self.defaults:
            raise AttributeError(f"Invalid WAGTAIL_MENTORING setting: {name!r}")
        if name not in self._cache:
            user = getattr(settings, "WAGTAIL_MENTORING", {}) or {}
            self._cache[name] = user.get(name, self.defaults[name])
        return self._cache[name]

    def reload(self) -> None:
        """Forget the cached values, so the next access reads ``settings.WAGTAIL_MENTORING`` again.

        Called on Django's ``setting_changed`` signal (``override_settings`` in tests).
        """
        self._cache.clear()


mentoring_settings = MentoringSettings(DEFAULTS)


def default_max_objectives() -> int:
    """Where a new program page's *maximum objectives per pairing* starts: ``MAX_OBJECTIVES_PER_PAIRING``.

    Returns:
        The setting's value.
    """
    return mentoring_settings.MAX_OBJECTIVES_PER_PAIRING


def default_max_key_results() -> int:
    """Where a new program page's *maximum key results per objective* starts: ``MAX_KEY_RESULTS_PER_OBJECTIVE``.

    Returns:
        The setting's value.
    """
    return mentoring_settings.MAX_KEY_RESULTS_PER_OBJECTIVE


def _reload(*, setting: str, **kwargs: Any) -> None:
    if setting == "WAGTAIL_MENTORING":
        mentoring_settings.reload()


setting_changed.connect(_reload)
