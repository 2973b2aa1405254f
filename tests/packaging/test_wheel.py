"""The built wheel: its contents, and a fresh ``wagtail start`` project that installs it and follows the docs."""

from __future__ import annotations

import json
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

from tests import dbtemplate

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

# One xdist worker builds the wheel and the virtualenvs once (CI runs with --dist loadgroup).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("wheel")]


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


INSTALLATION_DOC = ROOT / "docs" / "installation.md"


def _installation_python_blocks() -> list[str]:
    """Every Python code block of ``docs/installation.md``, dedented."""
    text = INSTALLATION_DOC.read_text()
    return [textwrap.dedent(b) for b in re.findall(r"```python\n(.*?)\n\s*```", text, flags=re.S)]


def _installation_blocks() -> tuple[str, str]:
    """The settings (step 2) and the URLs (step 3) blocks of ``docs/installation.md``."""
    blocks = _installation_python_blocks()
    settings_block = next(b for b in blocks if "INSTALLED_APPS" in b)
    urls_block = next(b for b in blocks if "urlpatterns" in b)
    return settings_block, urls_block


def _installation_layout_template() -> str:
    """Step 6 of ``docs/installation.md``: the ``wagtail_mentoring/base.html`` override for a new project."""
    blocks = re.findall(r"```django\n(.*?)\n\s*```", INSTALLATION_DOC.read_text(), flags=re.S)
    return next(textwrap.dedent(b) for b in blocks if "wagtail_mentoring" not in b and "extends" in b) + "\n"


def _installation_setup_block() -> str:
    """Step 5 of ``docs/installation.md`` as a ``manage.py shell`` script: pages, coordinators, a pairing."""
    return next(b for b in _installation_python_blocks() if "MentoringDashboardPage" in b)


def test_readme_points_to_the_installation_doc() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Installation into an existing Wagtail site", 1)[1].split("\n## ", 1)[0]
    assert "docs/installation.md" in section
    # The README's own short version, when it has one, matches the doc's settings block.
    settings_block, _urls = _installation_blocks()
    for block in re.findall(r"```python\n(.*?)\n\s*```", section, flags=re.S):
        if "INSTALLED_APPS" in block:
            assert textwrap.dedent(block).strip() == settings_block.strip()


PROBE = """\
import wagtail_mentoring
from django.template.loader import get_template
from django.urls import reverse
print("PACKAGE", wagtail_mentoring.__file__)
print("TEMPLATE", get_template("wagtail_mentoring/dashboards/dashboard_page.html").origin.name)
from wagtail_mentoring.models import Objective, Mentorship
print("COUNT", Objective.objects.count(), Mentorship.objects.count())
"""


def _dependency_paths() -> list[str]:
    """The site-packages folders of the interpreter running the tests, where the dependencies are.

    In a virtualenv these are the virtualenv's own; with the system interpreter (as in CI), the
    system's. ``system_site_packages=True`` would be wrong inside a virtualenv: it exposes the *base*
    interpreter's folders, which hold no Django.
    """
    return [
        p for p in dict.fromkeys(sys.path) if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()
    ]


@pytest.fixture(scope="module")
def host_venv(wheel: Path, tmp_path_factory) -> Path:
    """A fresh virtualenv holding only the wheel, that sees the test interpreter's dependencies.

    The dependencies come through a ``.pth`` file naming the test interpreter's site-packages: they
    are appended to ``sys.path`` after the virtualenv's own site-packages, so the host imports the
    installed wheel, never the source checkout (an editable install's finder in those folders is not
    run: only a site folder's own ``.pth`` files are).
    """
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site_packages = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=env_dir
    ).strip()
    (Path(site_packages) / "_test_dependencies.pth").write_text("\n".join(_dependency_paths()) + "\n")
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--quiet",
            str(wheel),
        ],
        cwd=env_dir,
    )
    return python


def _host_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


# --- a fresh `wagtail start` project, set up by following docs/installation.md alone ---


def _installation_password() -> str:
    """The password step 5 of ``docs/installation.md`` gives the people it creates."""
    return re.search(r'^PASSWORD = "([^"]+)"$', _installation_setup_block(), flags=re.M).group(1)


FRESH_PASSWORD = _installation_password()

FRESH_SETTINGS = """

# --- docs/installation.md, step 2: the project's own apps ("home", "search", ...) stay first ---
_PROJECT_APPS = list(INSTALLED_APPS)
{doc_settings}
INSTALLED_APPS = [*(app for app in _PROJECT_APPS if app not in INSTALLED_APPS), *INSTALLED_APPS]

# --- the test's own: a fast password hasher (Django's default spends about half a second of CPU on each
# of the walk's users and logins; what the walk proves does not depend on the hasher) ---
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
"""

# Step 5 creates the coordinator, the mentor and the mentee; the test adds an employee outside the program.
FRESH_EMPLOYEE = f"""
get_user_model().objects.create_user("employee", "employee@example.com", {FRESH_PASSWORD!r})
"""

FRESH_STEP5_PROBE = """
from django.conf import settings as _settings
print("APPS", ",".join(_settings.INSTALLED_APPS))
print("PAIRING", pairing.status, pairing.mentor.username, pairing.mentee.username)
"""

FRESH_CLIENT = f"""\
import json
from django.test import Client
from wagtail_mentoring.models import Mentorship

PASSWORD = {FRESH_PASSWORD!r}
out = {{}}
pairing = Mentorship.objects.get()

anonymous = Client()
r = anonymous.get("/mentoring/")
out["anonymous"] = [r.status_code, r.get("Location")]
r = anonymous.get(r.get("Location") or "/admin/login/")
out["login_page"] = r.status_code

mentee = Client()
r = mentee.post("/admin/login/", {{"username": "mentee", "password": PASSWORD, "next": "/mentoring/"}})
out["login"] = [r.status_code, r.get("Location")]
r = mentee.get("/mentoring/")
out["before_objective"] = [r.status_code, r.content.decode()]
r = mentee.get("/mentoring/objectives/new/")
out["objective_form"] = r.status_code
r = mentee.post(
    "/mentoring/objectives/new/",
    {{
        "title": "Run my first team retrospective",
        "description": "",
        "category": "leadership",
        "mentorship": pairing.pk,
        "status": "active",
        "kr-TOTAL_FORMS": "1",
        "kr-INITIAL_FORMS": "0",
        "kr-MIN_NUM_FORMS": "0",
        "kr-MAX_NUM_FORMS": "20",
        "kr-0-title": "Retrospectives facilitated",
        "kr-0-kind": "number",
        "kr-0-start_value": "0",
        "kr-0-target_value": "4",
        "kr-0-weight": "1",
    }},
)
out["objective_post"] = [r.status_code, r.get("Location"), r.content.decode()[:3000] if r.status_code != 302 else ""]
r = mentee.get("/mentoring/")
out["dashboard"] = [r.status_code, r.content.decode(), r.get("Cache-Control", "")]
r = mentee.get("/api/mentoring/v1/me/")
out["api_me"] = [r.status_code, r.json() if r.status_code == 200 else r.content.decode()[:2000]]
r = anonymous.get("/api/mentoring/v1/schema/")
out["api_schema"] = r.status_code

mentor = Client()
mentor.login(username="mentor", password=PASSWORD)
r = mentor.get("/mentoring/")
out["mentor"] = [r.status_code, r.content.decode()]

employee = Client()
employee.login(username="employee", password=PASSWORD)
r = employee.get("/mentoring/")
out["employee"] = [r.status_code, r.content.decode()]
r = employee.get("/api/mentoring/v1/mentorships/" + str(pairing.pk) + "/")
out["employee_api_pairing"] = r.status_code

coordinator = Client()
coordinator.login(username="coordinator", password=PASSWORD)
r = coordinator.get("/mentoring/")
out["coordinator"] = [r.status_code, r.content.decode()]
r = coordinator.get("/admin/")
out["coordinator_admin"] = [r.status_code, r.content.decode()]
r = coordinator.get("/admin/mentoring/matching/", follow=True)
out["coordinator_matching"] = [r.status_code, r.content.decode()]
r = coordinator.get("/admin/mentoring/matching/" + str(pairing.program_id) + "/")
out["coordinator_matching_program"] = r.status_code
r = mentor.get("/admin/mentoring/matching/" + str(pairing.program_id) + "/")
out["mentor_matching_program"] = [r.status_code, r.get("Location")]
for name in ["/programs/", "/programs/leadership/", "/training/"]:
    out["page " + name] = anonymous.get(name).status_code
print("RESULT " + json.dumps(out))

# The doc's last command of step 5, in the same process (each start of Django costs 2-4 s of CPU).
from django.core.management import call_command
print("DEMO_BEGIN")
call_command("mentoring_demo")
"""


# `check --fail-level WARNING` and `makemigrations --check` from the shell (the first raises on a warning,
# the second exits 1 when a model change has no migration).
FRESH_CHECKS = """\
from django.core.management import call_command
call_command("check", fail_level="WARNING")
call_command("makemigrations", "wagtail_mentoring", check=True, dry_run=True)
print("MIGRATIONS_CHECKED")
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
executor = MigrationExecutor(connection)
print("UNAPPLIED", len(executor.migration_plan(executor.loader.graph.leaf_nodes())))
print("APPLIED", " ".join(sorted(f"{app}.{name}" for app, name in executor.loader.applied_migrations)))
"""


def _fresh_shell_script() -> str:
    """The system and migrations checks, the probe, step 5 of the doc (with the test's employee), the
    client's walk and the demo, run in that order by one ``manage.py shell``; ``PROBE_END`` ends the
    probe's output."""
    return "\n".join(
        [
            FRESH_CHECKS,
            PROBE,
            'print("PROBE_END")',
            _installation_setup_block(),
            FRESH_EMPLOYEE,
            FRESH_STEP5_PROBE,
            FRESH_CLIENT,
        ]
    )


FRESH_SHELL = _fresh_shell_script()


@pytest.fixture(scope="module")
def fresh_project(host_venv: Path, tmp_path_factory) -> Path:
    """``wagtail start hostsite`` (Wagtail's own project template), then steps 2 and 3 of the doc."""
    project = tmp_path_factory.mktemp("fresh")
    wagtail_cli = "from wagtail.bin.wagtail import main; main()"
    _run([str(host_venv), "-c", wagtail_cli, "start", "hostsite", str(project)], cwd=project, env=_host_env())
    assert (project / "home").is_dir() and (project / "search").is_dir(), sorted(p.name for p in project.iterdir())

    doc_settings, doc_urls = _installation_blocks()
    base = project / "hostsite" / "settings" / "base.py"
    base.write_text(base.read_text() + FRESH_SETTINGS.format(doc_settings=doc_settings))

    # Step 3: the doc's mentoring includes go into the project's own urlpatterns, before Wagtail's pages.
    includes = [line.strip() for line in doc_urls.splitlines() if "wagtail_mentoring" in line]
    assert len(includes) == 2, includes
    urls = project / "hostsite" / "urls.py"
    text = urls.read_text()
    assert text.count("urlpatterns = [\n") == 1, text
    text = text.replace("urlpatterns = [\n", "urlpatterns = [\n" + "".join(f"    {line}\n" for line in includes))
    urls.write_text(text)

    # Step 6: wrap the mentoring pages in the project's own base.html.
    override = project / "hostsite" / "templates" / "wagtail_mentoring" / "base.html"
    override.parent.mkdir(parents=True)
    override.write_text(_installation_layout_template())
    return project


def _fresh_env() -> dict[str, str]:
    env = _host_env()
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own default: hostsite.settings.dev
    return env


#: What the fresh project's ``migrate`` applies besides the installed distributions' migrations (Wagtail's
#: version decides its project template): the doc's settings, this package's migrations, and this module
#: (the settings it adds).
FRESH_MIGRATE_SOURCES = ("wagtail_mentoring/migrations", "docs/installation.md", "tests/packaging/test_wheel.py")


def _fresh_migrate(host_venv: Path, project: Path, path: Path) -> None:
    """``manage.py migrate`` of the fresh ``project`` (into its ``db.sqlite3``), moved to ``path``."""
    output = _run([str(host_venv), "manage.py", "migrate", "--no-input"], cwd=project, env=_fresh_env(), timeout=600)
    assert "Applying wagtail_mentoring.0001_initial... OK" in output, output
    shutil.move(project / "db.sqlite3", path)


def test_fresh_wagtail_project_reaches_a_working_dashboard_by_following_the_docs(
    host_venv: Path, fresh_project: Path
) -> None:
    """The issue's "Done when": a new user follows docs/installation.md alone and reaches a dashboard."""
    env = _fresh_env()
    manage = [str(host_venv), "manage.py"]

    # `manage.py migrate`, once per change of what it applies (tests/dbtemplate.py keeps the migrated file;
    # the shell below checks that nothing is left to apply and that the project's own migrations ran).
    dbtemplate.migrated_sqlite_copy(
        "fresh-project",
        FRESH_MIGRATE_SOURCES,
        lambda path: _fresh_migrate(host_venv, fresh_project, path),
        fresh_project / "db.sqlite3",
    )

    # One `manage.py shell` runs, in order, what used to take five processes (each start of Django costs
    # 2-4 s of CPU): the system checks, the migrations check, the probe, step 5 of the doc and the walk.
    output = _run([*manage, "shell", "-c", FRESH_SHELL], cwd=fresh_project, env=env)
    # `manage.py check --fail-level WARNING`: a warning raises SystemCheckError, which fails the shell.
    assert "System check identified no issues" in output, output
    # Nothing left to migrate: the shipped migrations match the models (`makemigrations --check` exits 1
    # otherwise, which fails the shell).
    assert "MIGRATIONS_CHECKED" in output, output
    # `migrate` applied everything, the package's and the project's own migrations included.
    assert re.search(r"^UNAPPLIED 0$", output, flags=re.M), output
    applied = re.search(r"^APPLIED (.+)$", output, flags=re.M).group(1).split()
    assert {"wagtail_mentoring.0001_initial", "home.0002_create_homepage", "guardian.0001_initial"} <= set(applied)
    probe, output = output.split("PROBE_END", 1)

    # The installed wheel, not the source checkout, is what the project runs.
    output_probe = probe
    site_packages = str(host_venv.parent.parent / "lib")
    package_file = re.search(r"^PACKAGE (.+)$", output_probe, flags=re.M).group(1)
    template_file = re.search(r"^TEMPLATE (.+)$", output_probe, flags=re.M).group(1)
    assert package_file.startswith(site_packages), package_file
    assert template_file.startswith(site_packages), template_file
    assert str(ROOT) not in package_file
    assert re.search(r"^COUNT 0 0$", output_probe, flags=re.M)

    # Step 5, exactly as the doc's shell block (it creates the people it uses).
    apps = re.search(r"^APPS (.+)$", output, flags=re.M).group(1).split(",")
    assert apps[:2] == ["home", "search"], apps  # the project's apps kept, first
    assert {"wagtail_mentoring", "guardian", "wagtail.contrib.routable_page"} <= set(apps)
    assert len(apps) == len(set(apps)), apps
    assert re.search(r"^PAIRING active mentor mentee$", output, flags=re.M), output

    result = json.loads(re.search(r"^RESULT (.+)$", output, flags=re.M).group(1))

    # Anonymous visitors are sent to the doc's LOGIN_URL, which is a working login form.
    assert result["anonymous"] == [302, "/admin/login/?next=/mentoring/"]
    assert result["login_page"] == 200
    # The mentee logs in there and lands on the dashboard, which shows their pairing.
    assert result["login"] == [302, "/mentoring/"]
    status, html = result["before_objective"]
    assert status == 200
    assert "As mentee" in html and "Mentored by" in html and "Leadership mentoring" in html
    assert "Marta Mentor" in html  # the mentor's full name (step 5)
    # The goal written when applying is a draft objective of the pairing, made when it was approved.
    assert "Lead my first team" in html and "No objectives yet." not in html
    # They add an objective from the dashboard, and see it with its progress.
    assert result["objective_form"] == 200
    status, location, body = result["objective_post"]
    assert status == 302, body
    assert location.startswith("/mentoring/objective/"), location
    status, html, cache_control = result["dashboard"]
    assert status == 200
    assert "Run my first team retrospective" in html and "Retrospectives facilitated" in html
    assert "private" in cache_control or "no-cache" in cache_control, cache_control
    # Step 6 took effect: the project's layout (its stylesheet) around the dashboard, whose own styles stay.
    assert "/static/css/hostsite.css" in html
    assert "/static/wagtail_mentoring/css/mentoring.css" in html  # the package's stylesheet
    # The optional API include works too: the mentee's summary, and the schema.
    status, me = result["api_me"]
    assert status == 200, me
    # Their objective, and the draft made of the goal they wrote when applying.
    assert sorted(o["title"] for o in me["objectives"]) == ["Lead my first team", "Run my first team retrospective"]
    assert result["api_schema"] == 200
    # The mentor sees the mentee; an employee outside the program sees nothing of it; the coordinator
    # (the doc's group) gets the coordinator section and the admin's Mentoring menu.
    status, html = result["mentor"]
    assert status == 200 and "As mentor" in html and "Milo Mentee" in html
    status, html = result["employee"]
    assert status == 200 and "You are not taking part in a mentoring program yet." in html
    assert "Leadership mentoring" not in html and "Run my first team retrospective" not in html
    assert result["employee_api_pairing"] == 404
    status, html = result["coordinator"]
    assert status == 200 and "As coordinator" in html and "Leadership mentoring" in html
    status, html = result["coordinator_admin"]
    assert status == 200 and "/admin/mentoring/coordinator/" in html  # the admin menu's coordinator area
    status, html = result["coordinator_matching"]
    assert status == 200 and "Leadership mentoring" in html
    assert result["coordinator_matching_program"] == 200
    # Control: the mentor (no coordinators group, no admin access) cannot reach it.
    status, location = result["mentor_matching_program"]
    assert status == 302 and location.startswith("/admin/login/"), (status, location)
    # The pages of step 5 are served from the project's page tree.
    assert result["page /programs/"] == 200
    assert result["page /programs/leadership/"] == 200
    assert result["page /training/"] == 200

    # The doc's last command of step 5 (`manage.py mentoring_demo`, run by the same shell after the walk):
    # the demo builds around what the steps created.
    demo = output.split("DEMO_BEGIN", 1)[1]
    assert "mentoring-demo" in demo and "/admin/" in demo, demo
    assert "Subject:" not in demo, demo
