"""Translation for the matching engine: Django's gettext when it is configured, the message itself otherwise."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.utils import translation

# What gettext raises where Django is installed but not set up (the benchmark, a plain script).
_NOT_CONFIGURED = (ImproperlyConfigured, AppRegistryNotReady)


def gettext(message: str) -> str:
    """Translate ``message`` with Django's gettext, or return it unchanged when Django is not configured.

    Args:
        message: The English message (a msgid in the package's catalogue).

    Returns:
        The translated message in the active language.
    """
    try:
        return translation.gettext(message)
    except _NOT_CONFIGURED:
        return message


def ngettext(singular: str, plural: str, number: int) -> str:
    """Plural-aware :func:`gettext`, with the same fallback (English plural rule) without Django.

    Args:
        singular: The singular msgid.
        plural: The plural msgid.
        number: The count that picks the form.

    Returns:
        The translated singular or plural message.
    """
    try:
        return translation.ngettext(singular, plural, number)
    except _NOT_CONFIGURED:
        return singular if number == 1 else plural


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation (``makemessages`` finds it) without translating it yet.

    Args:
        message: The English message.

    Returns:
        ``message`` unchanged; translate it with :func:`gettext` when it is shown.
    """
    return message


def join_items(items: Iterable[str]) -> str:
    """Items joined for a sentence (``"a, b, c"``).

    Args:
        items: The texts to join, in order.

    Returns:
        The joined text.
    """
    return ", ".join(items)
