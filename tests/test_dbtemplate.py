"""The test suite's own machinery: cached migrated SQLite files (tests/dbtemplate.py) and the selection of
the tests that use a database (``--database-tests-only``, tests/conftest.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests import dbtemplate
from tests.conftest import uses_database


@pytest.fixture
def sources(tmp_path, monkeypatch) -> Path:
    """A fake checkout (``dbtemplate.ROOT``) with one migrations folder, and an empty cache folder."""
    root = tmp_path / "checkout"
    (root / "app" / "migrations").mkdir(parents=True)
    (root / "app" / "migrations" / "0001_initial.py").write_text("# first\n")
    monkeypatch.setattr(dbtemplate, "ROOT", root)
    monkeypatch.setenv("WM_TEST_DB_CACHE", str(tmp_path / "cache"))
    return root


def _migrate_counting(calls: list[Path]):
    def migrate(path: Path) -> None:
        calls.append(path)
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE migrated (n integer)")
            db.execute("INSERT INTO migrated VALUES (?)", [len(calls)])

    return migrate


def _rows(path: Path) -> list[tuple[int]]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT n FROM migrated").fetchall()


def test_migrated_sqlite_file_is_built_once_and_copied(sources, tmp_path):
    calls: list[Path] = []
    first = dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], _migrate_counting(calls), tmp_path / "a.db")
    second = dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], _migrate_counting(calls), tmp_path / "b.db")
    assert len(calls) == 1
    assert _rows(first) == _rows(second) == [(1,)]
    # Each caller gets its own copy: what one writes, the other and the cached file do not see.
    with sqlite3.connect(first) as db:
        db.execute("DELETE FROM migrated")
    assert _rows(second) == [(1,)]
    third = dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], _migrate_counting(calls), tmp_path / "c.db")
    assert len(calls) == 1 and _rows(third) == [(1,)]


def test_a_changed_or_new_migration_builds_a_new_file(sources, tmp_path):
    calls: list[Path] = []
    dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], _migrate_counting(calls), tmp_path / "a.db")
    (sources / "app" / "migrations" / "0001_initial.py").write_text("# first, edited\n")
    edited = dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], _migrate_counting(calls), tmp_path / "b.db")
    (sources / "app" / "migrations" / "0002_more.py").write_text("# second\n")
    added = dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], _migrate_counting(calls), tmp_path / "c.db")
    assert len(calls) == 3
    assert (_rows(edited), _rows(added)) == ([(2,)], [(3,)])


def test_a_failed_migration_leaves_nothing_cached(sources, tmp_path):
    def broken(path: Path) -> None:
        path.write_bytes(b"half")
        raise RuntimeError("migrate failed")

    with pytest.raises(RuntimeError):
        dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], broken, tmp_path / "a.db")
    calls: list[Path] = []
    copy = dbtemplate.migrated_sqlite_copy("site", ["app/migrations"], _migrate_counting(calls), tmp_path / "b.db")
    assert len(calls) == 1 and _rows(copy) == [(1,)]


def test_uses_database_tells_database_tests_from_the_others(request):
    assert not uses_database(request.node)  # this test: no database mark, no database fixture


@pytest.mark.django_db
def test_uses_database_sees_the_django_db_mark(request):
    assert uses_database(request.node)


def test_uses_database_sees_a_database_fixture_behind_another_fixture(request, home_page):
    assert uses_database(request.node)  # home_page needs ``db``
