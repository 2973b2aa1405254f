"""Test-only models."""

from wagtail.models import Page


class TestHomePage(Page):
    """A plain home page for tests."""

    template = "tests/home_page.html"
