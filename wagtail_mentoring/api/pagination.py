"""Page-number pagination with a maximum page size (``PAGE_SIZE`` / ``MAX_PAGE_SIZE`` settings).

``page`` and ``page_size`` are positive integers: anything else (``0``, ``-1``, ``abc``, an empty
value) is a 400 with a field error, as a filter value is; a page past the last one is a 404.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from wagtail_mentoring.conf import mentoring_settings

_POSITIVE_INTEGER = re.compile(r"[0-9]+")


def positive_int_param(request, name: str) -> int | None:
    """The query parameter ``name`` as a positive integer, None when absent.

    Raises:
        ValidationError: ``{name: [message]}`` when it is present but not a positive integer.
    """
    if name not in request.query_params:
        return None
    value = request.query_params[name]
    if _POSITIVE_INTEGER.fullmatch(value) and int(value) >= 1:
        return int(value)
    raise ValidationError({name: [_("Enter a whole number greater than or equal to 1.")]})


class MentoringPagination(PageNumberPagination):
    """``?page=N&page_size=M``; ``page_size`` is capped at ``WAGTAIL_MENTORING["MAX_PAGE_SIZE"]``."""

    page_size_query_param = "page_size"
    last_page_strings = ()

    @property
    def page_size(self) -> int:  # type: ignore[override]
        """The default page size: the ``PAGE_SIZE`` setting, read on each request."""
        return mentoring_settings.PAGE_SIZE

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        """The largest ``page_size`` a caller may ask for: the ``MAX_PAGE_SIZE`` setting (larger asks are capped)."""
        return mentoring_settings.MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
        """The requested size capped at the maximum, or the default size (400 when not a positive integer)."""
        size = positive_int_param(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator) -> int:
        """The requested page number, 1 by default (400 when not a positive integer)."""
        return positive_int_param(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view) -> list[dict]:
        """``page`` and ``page_size`` with their constraints, so clients (and fuzzers) know the valid values."""
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(_("A page number (from 1); a page past the last one is a 404.")),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Results per page (from 1; default %(default)d, larger values count as %(max)d).")
                    % {"default": self.page_size, "max": self.max_page_size}
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
