"""Scoped request throttling for the API, with defaults a host can override.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when the host sets the scope there,
otherwise from :data:`DEFAULT_RATES`::

    REST_FRAMEWORK = {"DEFAULT_THROTTLE_RATES": {"mentoring_write": "100/hour"}}
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

#: Scope name to rate ("N/second|minute|hour|day"); ``None`` disables a scope.
DEFAULT_RATES: dict[str, str | None] = {
    "mentoring_anon": "60/minute",
    "mentoring_read": "600/minute",
    "mentoring_write": "120/minute",
}


class MentoringRateThrottle(SimpleRateThrottle):
    """Anonymous callers share ``mentoring_anon`` per IP; users get ``mentoring_read``/``mentoring_write``."""

    def __init__(self) -> None:  # the scope depends on the request, so rates are resolved per request
        pass

    def get_rate(self) -> str | None:
        """The current scope's rate: the host's ``DEFAULT_THROTTLE_RATES`` entry, else :data:`DEFAULT_RATES`."""
        rates = {**DEFAULT_RATES, **(api_settings.DEFAULT_THROTTLE_RATES or {})}
        return rates.get(self.scope)

    def allow_request(self, request, view) -> bool:
        """Pick the scope for this request (anonymous, read or write), then apply DRF's rate check.

        A scope whose rate is ``None`` lets every request through.
        """
        user = request.user
        if not (user and user.is_authenticated):
            self.scope = "mentoring_anon"
        else:
            self.scope = "mentoring_read" if request.method in SAFE_METHODS else "mentoring_write"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        """Count per user when authenticated, else per client IP (DRF's ``get_ident``), within the scope."""
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
