"""``manage.py check`` in a Wagtail project that adds only ``wagtail_mentoring`` to INSTALLED_APPS names
every missing app (``wagtail_mentoring.E001``) and guardian's backend (``E002``) without a traceback.

Run in a subprocess: the package's models cannot be imported there, so Django's start-up itself is
under test, with settings no other test may share."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wagtail_mentoring.checks import REQUIRED_APPS

ROOT = Path(__file__).resolve().parent.parent

#: A fresh ``wagtail start`` project's apps, plus wagtail-mentoring and nothing else it needs.
SETTINGS = """
SECRET_KEY = "test"
DEBUG = True
ROOT_URLCONF = "fresh_urls"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {db!r}}}}}
INSTALLED_APPS = [
    "wagtail_mentoring",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {{
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        }},
    }}
]
STATIC_URL = "/static/"
WAGTAIL_SITE_NAME = "Fresh"
WAGTAILADMIN_BASE_URL = "http://localhost"
"""

URLS = """
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [path("admin/", include(wagtailadmin_urls)), path("", include(wagtail_urls))]
"""


@pytest.mark.slow
def test_check_names_every_missing_app_without_a_traceback(tmp_path):
    (tmp_path / "fresh_settings.py").write_text(textwrap.dedent(SETTINGS.format(db=str(tmp_path / "db.sqlite3"))))
    (tmp_path / "fresh_urls.py").write_text(URLS)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings=fresh_settings"],
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path}:{ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    missing = {"guardian", "rest_framework", "wagtail.contrib.routable_page"}
    for app in sorted(missing):
        assert f"(wagtail_mentoring.E001) wagtail-mentoring needs '{app}' in INSTALLED_APPS." in output, output
    for app in sorted(set(REQUIRED_APPS) - missing):
        assert f"needs '{app}'" not in output, output
    assert "(wagtail_mentoring.E002)" in output, output
