"""How a person is named on every surface (pure rule): the full name, the username only as a fallback."""

from __future__ import annotations

from typing import Any


def display_name(user: Any) -> str:
    """The name to show for ``user``: their full name, else their username; ``""`` for no user.

    The one rule behind every mention of a person: models' ``__str__``, admin listings, choosers and
    selects, exports, e-mails, the API's ``*_name`` fields and the reports. It reads only the user's
    own fields (no query), so a list shows names without a query per row once its users are loaded
    (``select_related``). A user model without ``get_full_name`` is named by its username.
    """
    if user is None:
        return ""
    get_full_name = getattr(user, "get_full_name", None)
    return _choose(get_full_name() if callable(get_full_name) else "", user.get_username())


def display_name_from(first_name: str, last_name: str, username: str) -> str:
    """:func:`display_name` from a row's values (``values_list``), without loading the user.

    The full name is Django's ``AbstractUser.get_full_name``: first and last name joined by a space.
    """
    return _choose(f"{first_name or ''} {last_name or ''}", username)


def _choose(full_name: str | None, username: Any) -> str:
    """The full name without surrounding spaces, else the username."""
    return (full_name or "").strip() or str(username)
