"""The built wheel: its contents, and a minimal host Wagtail project that installs it per the README."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "wagtail_mentoring"

# Build artefacts and local state that must not leak into the copy we build from.
_IGNORED_NAMES = {".git", "build", "dist", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", ".tox"}
_IGNORED_SUFFIXES = (".egg-info", ".pyc", ".sqlite3")
# Only ship-relevant dirs are copied, plus the ones the wheel must exclude (to prove it excludes them).
_COPIED = ["setup.cfg", "pyproject.toml", "MANIFEST.in", "README.md", "CHANGELOG.md", "LICENSE", PACKAGE, "tests"]
_COPIED_OPTIONAL = ["example_site", "bench"]

# Files added to the copy so the test proves static and locale files ship even before the package has any.
SENTINELS = {
    f"{PACKAGE}/static/{PACKAGE}/packaging-sentinel.css": "/* packaging test */\n",
    f"{PACKAGE}/locale/zz/LC_MESSAGES/django.po": 'msgid ""\nmsgstr ""\n',
    f"{PACKAGE}/locale/zz/LC_MESSAGES/django.mo": "",
}

pytestmark = pytest.mark.slow


def _ignore(directory: str, names: list[str]) -> set[str]:
    ignored = {n for n in names if n in _IGNORED_NAMES or n.endswith(_IGNORED_SUFFIXES)}
    if Path(directory).name == "example_site":
        ignored |= {"static", "media"}  # collectstatic output and uploads of a local run
    return ignored


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory) -> Path:
    """A copy of the checkout (building writes build/ and *.egg-info next to the sources)."""
    src = tmp_path_factory.mktemp("src")
    for name in _COPIED + _COPIED_OPTIONAL:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=_ignore)
        elif path.is_file():
            shutil.copy2(path, src / name)
        else:
            assert name in _COPIED_OPTIONAL, f"{name} is missing from the checkout"
    for relative, content in SENTINELS.items():
        target = src / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
    return src


@pytest.fixture(scope="module")
def wheel(source_copy: Path, tmp_path_factory) -> Path:
    """``python -m build --wheel`` of the copy (isolated build: setuptools comes from PyPI)."""
    outdir = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(source_copy)], cwd=source_copy)
    wheels = list(outdir.glob("wagtail_mentoring-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def _package_files(source_copy: Path, subdir: str) -> set[str]:
    base = source_copy / PACKAGE / subdir
    return {
        p.relative_to(source_copy).as_posix()
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


@pytest.mark.parametrize("subdir", ["templates", "static", "locale", "migrations"])
def test_wheel_ships_package_data(source_copy: Path, wheel_names: set[str], subdir: str) -> None:
    expected = _package_files(source_copy, subdir)
    assert expected, f"nothing under {PACKAGE}/{subdir} in the checkout"
    assert expected <= wheel_names, sorted(expected - wheel_names)


def test_wheel_ships_every_module_and_key_files(source_copy: Path, wheel_names: set[str]) -> None:
    modules = {p.relative_to(source_copy).as_posix() for p in (source_copy / PACKAGE).rglob("*.py")}
    assert modules <= wheel_names, sorted(modules - wheel_names)
    for name in [
        f"{PACKAGE}/templates/{PACKAGE}/base.html",
        f"{PACKAGE}/migrations/0001_initial.py",
        f"{PACKAGE}/apps.py",
        f"{PACKAGE}/management/commands/mentoring_demo.py",
        *SENTINELS,
    ]:
        assert name in wheel_names


def test_wheel_ships_nothing_else(wheel_names: set[str]) -> None:
    top_levels = {name.split("/", 1)[0] for name in wheel_names}
    assert PACKAGE in top_levels
    assert all(t == PACKAGE or re.fullmatch(r"wagtail_mentoring-[\w.]+\.dist-info", t) for t in top_levels), top_levels
    for name in wheel_names:
        assert not name.startswith(("tests/", "example_site/", "bench/")), name
        assert "/tests/" not in name and "__pycache__" not in name and not name.endswith(".pyc"), name


def test_wheel_metadata(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        metadata_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(metadata_name).decode()
    assert "Requires-Python: >=3.11" in metadata
    requires = re.findall(r"^Requires-Dist: (.+)$", metadata, flags=re.M)
    for dist in ["django", "wagtail", "django-guardian", "djangorestframework"]:
        assert any(re.match(rf"{dist}\s*[<>=,.\d\s]*>=", r, flags=re.I) for r in requires), (dist, requires)
    assert re.search(r"^Provides-Extra: test$", metadata, flags=re.M)
    assert re.search(r"^Provides-Extra: example$", metadata, flags=re.M)
    for classifier in ["Framework :: Django :: 5.2", "Framework :: Wagtail :: 7", "Framework :: Wagtail :: 8"]:
        assert f"Classifier: {classifier}" in metadata
    assert "Programming Language :: Python :: 3.11" in metadata


def _readme_installation_blocks() -> tuple[str, str]:
    """The settings and the URLs Python blocks of the README's installation section."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Installation into an existing Wagtail site", 1)[1].split("\n## ", 1)[0]
    blocks = [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)\n\s*```", section, flags=re.S)]
    settings_block = next(b for b in blocks if "INSTALLED_APPS" in b)
    urls_block = next(b for b in blocks if "urlpatterns" in b)
    return settings_block, urls_block


HOST_SETTINGS = '''\
"""A minimal host Wagtail project, configured as the README tells intranet teams to."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "host-project-test-only"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost"]
ROOT_URLCONF = "hostsite.urls"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}}}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [
    {{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
WAGTAIL_SITE_NAME = "Host intranet"
WAGTAILADMIN_BASE_URL = "http://localhost"

# --- from the README's installation section ---
{readme_settings}
'''

HOST_MANAGE = """\
import os
import sys

if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "hostsite.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
"""

PROBE = """\
import wagtail_mentoring
from django.template.loader import get_template
from django.urls import reverse
print("PACKAGE", wagtail_mentoring.__file__)
print("TEMPLATE", get_template("wagtail_mentoring/base.html").origin.name)
from wagtail_mentoring.models import Objective, Mentorship
print("COUNT", Objective.objects.count(), Mentorship.objects.count())
"""


@pytest.fixture(scope="module")
def host_venv(wheel: Path, tmp_path_factory) -> Path:
    """A fresh virtualenv (dependencies from the system site) with only the wheel installed into it."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(system_site_packages=True, with_pip=True, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)], cwd=env_dir)
    return python


@pytest.fixture(scope="module")
def host_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("host")
    readme_settings, readme_urls = _readme_installation_blocks()
    (project / "hostsite").mkdir()
    (project / "hostsite" / "__init__.py").write_text("")
    (project / "hostsite" / "settings.py").write_text(HOST_SETTINGS.format(readme_settings=readme_settings))
    (project / "hostsite" / "urls.py").write_text(readme_urls + "\n")
    (project / "manage.py").write_text(HOST_MANAGE)
    return project


def _host_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def test_host_project_checks_and_migrates_with_installed_wheel(host_venv: Path, host_project: Path) -> None:
    env = _host_env()
    manage = [str(host_venv), "manage.py"]

    output = _run([*manage, "check", "--fail-level", "WARNING"], cwd=host_project, env=env)
    assert "System check identified no issues" in output

    output = _run([*manage, "migrate", "--no-input"], cwd=host_project, env=env, timeout=600)
    assert "Applying wagtail_mentoring.0001_initial... OK" in output

    output = _run([*manage, "shell", "-c", PROBE], cwd=host_project, env=env)
    site_packages = str(host_venv.parent.parent / "lib")
    package_file = re.search(r"^PACKAGE (.+)$", output, flags=re.M).group(1)
    template_file = re.search(r"^TEMPLATE (.+)$", output, flags=re.M).group(1)
    # The installed wheel, not the source checkout, is what the host project runs.
    assert package_file.startswith(site_packages), package_file
    assert template_file.startswith(site_packages), template_file
    assert str(ROOT) not in package_file
    assert re.search(r"^COUNT 0 0$", output, flags=re.M)

    # Nothing left to migrate: the shipped migrations match the models.
    _run([*manage, "makemigrations", "wagtail_mentoring", "--check", "--dry-run"], cwd=host_project, env=env)
