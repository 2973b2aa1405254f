"""The input policy (pure rules): date window, id range, JSON limits, free-text length, strict numbers.

Every place where data enters the package (front-end and admin forms, API serializers and parsers,
management commands) applies these rules, so a value the package accepts on one surface is accepted on
all of them, and no value makes a later computation (a due date, a time-zone conversion, a query)
fail with a 500:

* **Dates and times** lie within :data:`DATE_MIN` .. :data:`DATE_MAX` (years 2000 to 2100). A
  mentoring program, an OKR cycle or a session happens within a working life, so the window refuses
  only typos (``0202``, ``20260``) and probes (``0001-01-01``, ``9999-12-31``), and stays far enough
  from Python's limits (years 1 and 9999) that adding a cadence or converting to any time zone can
  never overflow.
* **Ids** (primary keys in URLs, query parameters and request bodies) are decimal integers from 1 to
  :data:`ID_MAX`, the largest value of the widest integer column of every supported database (a signed
  64-bit ``bigint``); anything else is "not found", never a database error.
* **JSON bodies** are at most :data:`MAX_BODY_BYTES` long (413 beyond) and nest at most
  :data:`MAX_JSON_DEPTH` arrays or objects deep (400 beyond), both checked before the body is parsed.
* **Free text** (notes, agendas, descriptions, comments, goals) is at most :data:`MAX_TEXT_LENGTH`
  characters; the model fields carry the limit, so model forms, the admin and the API enforce it.
* **One-line text** (a place or a meeting link) is at most :data:`MAX_LINE_LENGTH` characters on one
  line; a value that looks like a link (it has a scheme, or starts with ``www.``) must be an
  ``http``/``https`` URL (:func:`validate_place_or_link`).
* **Booleans are not numbers**: ``true`` is refused where a number is expected.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

#: First and last day a date (or the date of a date-time) may fall on.
DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
#: Ids are positive and fit a signed 64-bit integer column (PostgreSQL ``bigint``, SQLite ``INTEGER``).
ID_MAX = 2**63 - 1
#: Largest JSON request body, in bytes (the API's writes need a few kilobytes).
MAX_BODY_BYTES = 1024 * 1024
#: Deepest nesting of arrays and objects in a JSON request body (the API's own bodies nest 2 deep).
MAX_JSON_DEPTH = 32
#: Longest free-text value, in characters (about four pages of prose).
MAX_TEXT_LENGTH = 10_000

#: Longest one-line value (a place or a meeting link), in characters.
MAX_LINE_LENGTH = 500

#: The window as a pattern on ISO dates and date-times (for the API schema): years 2000 to 2100.
DATE_PATTERN = r"^(20[0-9]{2}|2100)-"

_LOOKS_LIKE_LINK = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|www\.|(?:javascript|data|vbscript|file|mailto):)", re.IGNORECASE
)
_DIGITS = re.compile(r"[0-9]{1,19}")
_INTEGER = re.compile(r"[+-]?[0-9]+")


def text_lines(text: str) -> list[str]:
    """A list typed one item per line (program goals, the goals of an application): the non-empty lines, trimmed.

    Example:
        >>> text_lines("Present to leadership\n\n  Lead a project ")
        ['Present to leadership', 'Lead a project']
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


def in_date_window(value: dt.date | dt.datetime | None) -> bool:
    """Whether ``value`` (a date, or a date-time's calendar date) lies in the window.

    A date-time may fall one day either side: its date depends on the time zone it is read in (a
    time written as 2000-01-01 00:30 +01:00 is still 1999-12-31 in UTC).

    Args:
        value: a date or date-time (None counts as inside: "no date" is for the field to allow).

    Returns:
        True when ``DATE_MIN <= date <= DATE_MAX`` (a day wider for date-times).
    """
    if value is None:
        return True
    if isinstance(value, dt.datetime):
        return DATE_MIN - dt.timedelta(days=1) <= value.date() <= DATE_MAX + dt.timedelta(days=1)
    return DATE_MIN <= value <= DATE_MAX


def validate_date_window(value: dt.date | dt.datetime | None) -> None:
    """Validator for date and date-time fields: the value lies within the window.

    Raises:
        ValidationError: code ``date_out_of_range``.
    """
    if not in_date_window(value):
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s.") % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            code="date_out_of_range",
        )


def parse_id(value: object) -> int | None:
    """``value`` as an id, or None when it is not one.

    Args:
        value: what a user sent for an id: an int, or a string of ASCII digits (a URL segment, a
            query parameter, a JSON number or string).

    Returns:
        The id, when it is an integer from 1 to :data:`ID_MAX` (booleans, floats, signs, spaces,
        other digits and anything larger are not ids); else None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= ID_MAX else None


def out_of_range_id(value: object) -> bool:
    """Whether ``value`` is written as an integer (an int, an integral float, a string of digits with
    an optional sign) but is not an id (:func:`parse_id`): zero, negative, or beyond :data:`ID_MAX`.

    Args:
        value: what a user sent for an id.

    Returns:
        True for such a value; False for an id and for anything not written as an integer.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return (
            value != value
            or value in (float("inf"), float("-inf"))
            or (value.is_integer() and parse_id(int(value)) is None)
        )
    if isinstance(value, int) or (isinstance(value, str) and _INTEGER.fullmatch(value)):
        return parse_id(value if isinstance(value, int) else value.lstrip("+")) is None
    return False


def validate_not_boolean(value: object) -> None:
    """Validator for number fields: ``true`` and ``false`` are not numbers.

    Raises:
        ValidationError: code ``invalid``.
    """
    if isinstance(value, bool):
        raise ValidationError(_("A valid number is required."), code="invalid")


def json_too_deep(text: str | bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON document nests arrays or objects deeper than ``limit``, without parsing it.

    One pass over the text, counting brackets outside strings, so it costs no recursion however
    deep the document is (the JSON parser itself recurses and fails on deep documents).

    Args:
        text: the raw JSON text.
        limit: the deepest nesting allowed.

    Returns:
        True when some array or object is nested more than ``limit`` deep.
    """
    data = text.encode() if isinstance(text, str) else text
    depth = 0
    in_string = escaped = False
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def validate_place_or_link(value: str) -> None:
    """Validator for a place or a meeting link: one line of text, or an ``http``/``https`` URL.

    A value with a scheme (``https://``, ``ftp://``, ``javascript:``, ``data:``) or starting with ``www.``
    is a link and must be a valid web URL; anything else is a place ("Room 4.12, second floor").

    Raises:
        ValidationError: code ``multi_line`` (a line break), ``invalid_link`` (a link that is not a web URL).
    """
    if value is None or value == "":
        return
    if "\n" in value or "\r" in value:
        raise ValidationError(_("Enter a place or a link on one line."), code="multi_line")
    if _LOOKS_LIKE_LINK.match(value.strip()):
        link = value.strip()
        if link.lower().startswith("www."):
            link = f"https://{link}"
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                _("Enter a web link starting with https:// (or http://), or the name of a place."), code="invalid_link"
            ) from None


def web_link(value: str) -> str:
    """``value`` as a web URL when it is a link (:func:`validate_place_or_link`), else an empty string.

    Surfaces link a place-or-link value only through this, so a place is never made a link and a
    link is never anything but ``http``/``https``.
    """
    text = (value or "").strip()
    if not text or not _LOOKS_LIKE_LINK.match(text):
        return ""
    link = f"https://{text}" if text.lower().startswith("www.") else text
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        return ""
    return link
