"""The example intranet: settings per environment, a clean deploy check, and its pages rendering."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests import dbtemplate

SITE = Path(__file__).resolve().parents[2] / "example_site"
#: What the example site's ``migrate`` applies, besides the installed distributions' migrations: its
#: database is migrated once per change of these (``tests/dbtemplate.py``), then copied for each run.
MIGRATE_SOURCES = ("wagtail_mentoring/migrations", "example_site/home/migrations", "example_site/intranet/settings")


def _manage(*args: str, env: dict[str, str] | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=SITE,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "intranet.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "intranet.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://intranet.example.com",
}

SHOW_SETTINGS = (
    "from django.conf import settings as s; "
    "print('SETTINGS', s.DEBUG, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.ALLOWED_HOSTS)"
)


def _settings_line(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return re.search(r"^SETTINGS (.+)$", proc.stdout, flags=re.M).group(1)


def test_production_deploy_check_is_clean():
    proc = _manage(
        "check", "--deploy", "--settings=intranet.settings.production", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues" in proc.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    proc = _manage("check", env=env)
    assert proc.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in proc.stderr


def _settings(module: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Import the settings ``module`` alone (no ``django.setup()``: a second faster than ``manage.py shell``)
    with ``env``, and print what ``SHOW_SETTINGS`` prints."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    code = f"import importlib; s = importlib.import_module({module!r}); " + SHOW_SETTINGS.split("; ", 1)[1]
    return subprocess.run(
        [sys.executable, "-c", code], cwd=SITE, env={**base, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_settings_come_from_the_environment():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://intranet:pw@db.internal:5432/intranet"}
    proc = _settings("intranet.settings.production", env)
    assert _settings_line(proc) == "False django.db.backends.postgresql intranet ['intranet.example.com']"


def test_development_defaults_to_sqlite():
    proc = _manage("shell", "--no-imports", "-c", SHOW_SETTINGS)
    debug, engine, name, _hosts = _settings_line(proc).split(" ", 3)
    assert (debug, engine) == ("True", "django.db.backends.sqlite3")
    assert name == str(SITE / "db.sqlite3")


def test_development_uses_postgres_when_database_url_is_set():
    proc = _settings("intranet.settings.dev", {"DATABASE_URL": "postgres://u:p@127.0.0.1:5432/intranet"})
    assert _settings_line(proc).split(" ")[:3] == ["True", "django.db.backends.postgresql", "intranet"]


RENDER = r"""
from django.contrib.auth import get_user_model
from django.test import Client

client = Client()
for url in ["/", "/accounts/login/", "/admin/login/"]:
    response = client.get(url)
    print("STATUS", url, response.status_code)
home = client.get("/").content.decode()
print("HOME_BEGIN")
print(home)
print("HOME_END")
login = client.get("/accounts/login/").content.decode()
print("LOGIN_BEGIN")
print(login)
print("LOGIN_END")
bad = client.post("/accounts/login/", {"username": "nobody", "password": "wrong"})
print("BAD_LOGIN", bad.status_code, "role=\"alert\"" in bad.content.decode())
get_user_model().objects.create_user("pat", password="a-long-password-1")
ok = client.post("/accounts/login/", {"username": "pat", "password": "a-long-password-1"})
print("LOGIN_REDIRECT", ok.status_code, ok.headers.get("Location"))
home = client.get("/").content.decode()
print("LOGGED_IN", "Log out pat" in home, "Welcome back, pat." in home)
print("LOGIN_CARD", 'href="/accounts/login/' in home, "Use your intranet account." in home)
from wagtail.models import Page, PageViewRestriction
PageViewRestriction.objects.create(page=Page.objects.get(depth=2), restriction_type="login")
private = Client().get("/")
print("PRIVATE", private.status_code, private.headers.get("Location"))
from wagtail.users.utils import get_gravatar_url
print("AVATAR", get_gravatar_url("cora@example.com"))
"""


def _migrate(path: Path) -> None:
    """The example site's ``manage.py migrate`` into the SQLite file ``path``."""
    proc = _manage("migrate", "--no-input", env={"DATABASE_URL": f"sqlite:///{path}"}, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Applying home.0004_home_content... OK" in proc.stdout, proc.stdout


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> str:
    """The output of ``RENDER``, run by one ``manage.py shell`` of the example site on its migrated database
    (each start of Django costs seconds: the tests below read this one run)."""
    path = tmp_path_factory.mktemp("example-site") / "intranet.sqlite3"
    database = dbtemplate.migrated_sqlite_copy("example-site", MIGRATE_SOURCES, _migrate, path)
    proc = _manage("shell", "--no-imports", "-c", RENDER, env={"DATABASE_URL": f"sqlite:///{database}"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.slow
@pytest.mark.xdist_group("example-site")
def test_avatars_are_not_fetched_from_the_internet(rendered):
    """The example intranet works without internet: user avatars are Wagtail's own image, not gravatar.com's."""
    assert "AVATAR None" in rendered


@pytest.mark.slow
@pytest.mark.xdist_group("example-site")
def test_pages_render_after_migrate(rendered):
    out = rendered
    for url in ["/", "/accounts/login/", "/admin/login/"]:
        assert f"STATUS {url} 200" in out

    home = out.split("HOME_BEGIN", 1)[1].split("HOME_END", 1)[0]
    assert len(re.findall(r"<h1[ >]", home)) == 1
    assert '<a href="#main" class="skip-link">' in home and 'id="main"' in home
    assert '<nav aria-label="Main">' in home
    for href in ["/mentoring/", "/programs/", "/training/", "/accounts/login/"]:
        assert f'href="{href}' in home, href
    assert "Quick links" in home  # the StreamField body filled in by the home migration
    assert 'class="callout"' in home

    login = out.split("LOGIN_BEGIN", 1)[1].split("LOGIN_END", 1)[0]
    inputs = re.findall(r'<input [^>]*type="(?:text|password)"[^>]*id="([^"]+)"', login)
    assert sorted(inputs) == ["id_password", "id_username"]
    for input_id in inputs:
        assert f'<label for="{input_id}">' in login

    assert "BAD_LOGIN 200 True" in out
    assert "LOGIN_REDIRECT 302 /mentoring/" in out
    assert "LOGGED_IN True True" in out
    assert "LOGIN_CARD False False" in out  # the home page's "Log in" card is for visitors only
    assert "PRIVATE 302 /accounts/login/?next=/" in out  # page privacy: the intranet's login, not the admin's
