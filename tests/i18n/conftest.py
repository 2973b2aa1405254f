"""Fixtures of the locale tests: the parsed Italian catalogue, and page fixtures borrowed from other suites."""

from pathlib import Path

import pytest

from tests.i18n import po
from tests.training.conftest import library, resources  # noqa: F401  (re-exported fixtures)

PACKAGE = Path(__file__).resolve().parents[2] / "wagtail_mentoring"
LOCALE_DIR = PACKAGE / "locale" / "it" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"


@pytest.fixture(scope="session")
def catalogue() -> list[po.Entry]:
    """Every entry of the committed Italian .po, the header first."""
    return po.parse(PO_PATH)


@pytest.fixture(scope="session")
def messages(catalogue) -> list[po.Entry]:
    """The translatable entries (the header left out)."""
    return [entry for entry in catalogue if entry.msgid or entry.msgctxt]
