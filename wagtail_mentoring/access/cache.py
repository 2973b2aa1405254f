"""A request-scoped cache for access answers asked many times per request (e.g. "coordinates anything?").

Opened when Django starts handling a request and dropped when it finishes (``request_started`` and
``request_finished``, connected in ``signal_handlers``); outside a request (commands, tasks, tests
that call the access layer directly) nothing is cached. Within a request, any change to an object
permission or to a user's groups empties it (``forget_request_cache``, connected in
``signal_handlers``), so an answer is never stale. Nothing is stored on the user object.

Example:
    >>> request_cached(("coordinates_any", user.pk), lambda: coordinated_programs(user).exists())
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_cache: ContextVar[dict | None] = ContextVar("wagtail_mentoring_access_cache", default=None)


def open_request_cache(**kwargs) -> None:
    """Start an empty cache for the request being handled (a ``request_started`` receiver)."""
    _cache.set({})


def close_request_cache(**kwargs) -> None:
    """Drop the request's cache (a ``request_finished`` receiver)."""
    _cache.set(None)


def forget_request_cache(**kwargs) -> None:
    """Empty the request's cache, keeping it open (a receiver of the permission models' and group
    membership's changes: an answer computed before a grant is not used after it)."""
    cache = _cache.get()
    if cache is not None:
        cache.clear()


def request_cached(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``key`` until the current request ends (not cached outside one)."""
    cache = _cache.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]
