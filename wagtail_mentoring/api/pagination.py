"""Page-number pagination with a maximum page size (``PAGE_SIZE`` / ``MAX_PAGE_SIZE`` settings)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from wagtail_mentoring.conf import mentoring_settings


class MentoringPagination(PageNumberPagination):
    """``?page=N&page_size=M``; ``page_size`` is capped at ``WAGTAIL_MENTORING["MAX_PAGE_SIZE"]``."""

    page_size_query_param = "page_size"

    @property
    def page_size(self) -> int:  # type: ignore[override]
        """The default page size: the ``PAGE_SIZE`` setting, read on each request."""
        return mentoring_settings.PAGE_SIZE

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        """The largest ``page_size`` a caller may ask for: the ``MAX_PAGE_SIZE`` setting (larger asks are capped)."""
        return mentoring_settings.MAX_PAGE_SIZE
