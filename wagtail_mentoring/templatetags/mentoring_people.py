"""``{{ user|display_name }}``: a person by full name, the username only as a fallback (``people.display_name``)."""

from __future__ import annotations

from typing import Any

from django import template

from wagtail_mentoring.people import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    """The name to show for ``user`` (``people.display_name``): full name, else username; ``""`` for none."""
    return _display_name(user)
