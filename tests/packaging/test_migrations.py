"""Shipped migrations run on every supported Wagtail (7.4 LTS has no ``WAGTAIL_PAGE_MODEL`` and stops at 0097)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MIGRATION_DIRS = ["wagtail_mentoring/migrations", "example_site/home/migrations", "tests/testapp/migrations"]
#: The newest wagtailcore migration present in Wagtail 7.4 LTS (and in 8.0).
NEWEST_WAGTAILCORE_IN_74 = 97

FILES = sorted(p for d in MIGRATION_DIRS for p in (ROOT / d).glob("[0-9]*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_migration_depends_on_wagtailcore_migrations_that_74_has(path: Path) -> None:
    for number in re.findall(r"""\(\s*["']wagtailcore["']\s*,\s*["'](\d{4})_""", path.read_text()):
        assert int(number) <= NEWEST_WAGTAILCORE_IN_74, (
            f"{path.name} depends on wagtailcore {number}, which Wagtail 7.4 lacks: depend on "
            "('wagtailcore', '0097_baselogentry_uuid_action_timestamp_indexes') instead."
        )


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_migration_does_not_need_the_wagtail_8_page_model_setting(path: Path) -> None:
    source = path.read_text()
    assert not re.search(r"(?<!getattr\()settings\.WAGTAIL_PAGE_MODEL", source), (
        f"{path.name} uses settings.WAGTAIL_PAGE_MODEL, which Wagtail 7.4 does not define: write "
        "getattr(settings, 'WAGTAIL_PAGE_MODEL', 'wagtailcore.page') instead."
    )
