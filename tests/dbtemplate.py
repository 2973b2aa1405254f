"""A migrated template database, built once and copied for every pytest(-xdist) worker.

Running ``migrate`` for Wagtail and this package takes tens of seconds; doing it once per worker and
per run made the suite spend most of its first minute migrating. Instead, the first worker that needs
a database migrates a *template* (a SQLite file, or a PostgreSQL database) under a file lock, and
every worker then takes a copy of it (a file copy, or ``CREATE DATABASE ... TEMPLATE``) and opens it
with Django's ``keepdb``, so nothing is migrated twice.

The template is keyed by a fingerprint of every migration that ``migrate`` would apply (the files of
this repository's migrations, and the names and versions of the installed apps' migrations), so a
second run reuses it and a changed migration builds a new one. ``WM_TEST_DB_CACHE`` names the folder
that holds SQLite templates and the lock files (default: the system's temporary folder).

The example site's test (``tests/packaging/test_example_site.py``) keeps its own migrated SQLite file
the same way (``migrated_sqlite_copy``), keyed by the example site's migrations and settings: its
``migrate`` runs on the first run and after any change to what it applies, not on every run.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
#: Migration folders of this repository (the rest come from installed, versioned distributions).
LOCAL_MIGRATIONS = ["wagtail_mentoring/migrations", "tests/testapp/migrations"]
#: Distributions whose migrations the test settings apply.
DISTRIBUTIONS = [
    "django",
    "wagtail",
    "modelsearch",
    "django-guardian",
    "djangorestframework",
    "django-taggit",
    "django-tasks",
    "django-tasks-db",
]


def cache_dir() -> Path:
    """The folder holding SQLite templates and lock files (outside the checkout)."""
    folder = Path(os.environ.get("WM_TEST_DB_CACHE") or Path(tempfile.gettempdir()) / "wagtail-mentoring-test-db")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def fingerprint(engine: str, sources: Iterable[str] = (*LOCAL_MIGRATIONS, "tests/settings.py")) -> str:
    """A short hash of everything that decides the migrated schema and its data.

    ``sources``: files and folders of this repository (a folder counts with its ``*.py`` files) that
    ``migrate`` reads, besides the installed distributions' migrations (named by their versions).
    """
    digest = hashlib.sha256(engine.encode())
    digest.update(sys.version.encode())
    for name in DISTRIBUTIONS:
        try:
            digest.update(f"{name}=={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(name.encode())
    for source in sources:
        path = ROOT / source
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(ROOT).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def migrated_sqlite_copy(name: str, sources: Iterable[str], migrate: Callable[[Path], None], target: Path) -> Path:
    """Copy to ``target`` a SQLite file that ``migrate(path)`` migrated, built once per ``fingerprint`` of
    ``sources`` and kept in ``cache_dir()`` (under a lock, so parallel workers build it once)."""
    template = cache_dir() / f"{name}-{fingerprint('sqlite', sources)}.sqlite3"
    with FileLock(str(template) + ".lock"):
        if not template.exists():
            partial = template.with_suffix(f".{os.getpid()}.partial")
            partial.unlink(missing_ok=True)
            migrate(partial)
            partial.rename(template)
    shutil.copyfile(template, target)
    return target


def _migrate(database_url: str) -> None:
    """``manage.py migrate`` of the test settings against ``database_url``, in a process of its own."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.settings", PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"migrating the template database failed:\n{proc.stdout}\n{proc.stderr}")


def sqlite_worker_copy(worker: str) -> Path:
    """A private copy of the migrated SQLite template for ``worker`` (built first if needed)."""
    copy = Path(tempfile.mkdtemp(prefix=f"wm-test-{worker}-")) / "test.sqlite3"
    sources = (*LOCAL_MIGRATIONS, "tests/settings.py")
    return migrated_sqlite_copy("template", sources, lambda path: _migrate(f"sqlite:///{path}"), copy)


def postgres_worker_copy(connection) -> str:
    """Create the test database of ``connection`` from a migrated template database; returns its name.

    ``connection`` is the Django connection (not yet switched to its test database) whose settings name
    the server.
    """
    settings = connection.settings_dict
    template = f"wm_template_{fingerprint('postgresql')}"
    target = connection.creation._get_test_db_name()
    lock = FileLock(str(cache_dir() / f"{template}-{settings.get('HOST')}-{settings.get('PORT')}.lock"))
    with lock, connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        exists = cursor.fetchone() is not None
        if not exists:
            cursor.execute(f'CREATE DATABASE "{template}"')
            try:
                _migrate(_postgres_url(settings, template))
            except Exception:
                cursor.execute(f'DROP DATABASE IF EXISTS "{template}"')
                raise
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{template}"')
    return target


def _postgres_url(settings: dict, name: str) -> str:
    user = settings.get("USER") or ""
    password = settings.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings.get("HOST") or "localhost"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{name}"


def drop_worker_copy(connection, name: str) -> None:
    """Remove a worker's copy: its SQLite folder, or its PostgreSQL database."""
    if connection.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        shutil.rmtree(Path(name).parent, ignore_errors=True)
