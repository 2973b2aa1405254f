"""Shared fixtures: the test database, a site tree with a home page, and users for each role."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models import Model
from django.test import TransactionTestCase
from django.utils import translation
from pytest_django.plugin import blocking_manager_key
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from tests import dbtemplate
from tests.factories import (
    GroupFactory,
    MentoringProgramIndexPageFactory,
    MentoringProgramPageFactory,
    UserFactory,
    active_mentorship,
)
from tests.testapp.models import TestHomePage
from wagtail_mentoring.models import (
    MentoringDashboardPage,
    MentoringProgramIndexPage,
    MentoringProgramPage,
    Mentorship,
)

#: Skip reasons a full run may report; ``--fail-on-skip`` (used by CI) fails the run on any other.
ALLOWED_SKIPS = ("needs PostgreSQL", "the db_worker test needs PostgreSQL")
_unexpected_skips: list[tuple[str, str]] = []


def pytest_addoption(parser):
    parser.addoption(
        "--fail-on-skip",
        action="store_true",
        help="fail the run when a test is skipped for a reason outside tests/conftest.py's ALLOWED_SKIPS",
    )
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="deselect the tests that use no database (for a second run on another database, same versions)",
    )


#: Fixtures through which a test reaches the database (pytest-django's, and those built on them).
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}
)


def uses_database(item) -> bool:
    """Whether ``item`` may touch the test database: a ``django_db`` mark or a database fixture among
    the fixtures it requests, directly or through other fixtures (pytest-django blocks any other access)."""
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))


def _deselect_database_independent(config, items) -> None:
    """``--database-tests-only``: a test that uses no database runs the same on every database, so a second
    run on another database with the same versions (CI's PostgreSQL run) proves nothing new by running it."""
    if not config.getoption("--database-tests-only"):
        return
    independent = [item for item in items if not uses_database(item)]
    if independent:
        config.hook.pytest_deselected(items=independent)
        items[:] = [item for item in items if uses_database(item)]


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if not any(allowed in reason for allowed in ALLOWED_SKIPS):
            _unexpected_skips.append((report.nodeid, reason))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.getoption("--fail-on-skip") and _unexpected_skips:
        terminalreporter.section("skipped for a reason outside the allow-list (--fail-on-skip)", red=True)
        for nodeid, reason in _unexpected_skips:
            terminalreporter.line(f"{nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if session.config.getoption("--fail-on-skip") and _unexpected_skips and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config, items):
    _deselect_database_independent(config, items)
    on_postgres = "postgresql" in settings.DATABASES["default"]["ENGINE"]
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
    # The longest unit of work first: the packaging group (build the wheel, set up a project with it) needs
    # no test database, so one xdist worker runs it while another migrates the template database; started
    # last, it was a minute-long tail that one worker ran alone. (Runs after pytest-django's reordering,
    # which keeps transactional tests last.)
    items.sort(key=lambda item: 0 if _xdist_group(item) == FIRST_GROUP else 1)


#: The ``xdist_group`` scheduled before everything else (see ``pytest_collection_modifyitems``).
FIRST_GROUP = "wheel"


def _xdist_group(item) -> str | None:
    marker = item.get_closest_marker("xdist_group")
    return (marker.kwargs.get("name") or (marker.args[0] if marker.args else None)) if marker else None


def _reference_index_off(item) -> contextlib.AbstractContextManager:
    """Wagtail updates its reference index (what the usage and delete views read) after every save of
    every model: a fifth of the suite's time went there. Tests that read the index say so with
    ``@pytest.mark.reference_index``; in the others no save updates it."""
    if item.get_closest_marker("reference_index"):
        return contextlib.nullcontext()
    return disable_reference_index_auto_update()


@contextlib.contextmanager
def _search_index_off(item):
    """Wagtail's search index (``wagtail.search``, the database backend here) is updated after every save of
    every indexed model: pages, snippets. Tests that search say so with ``@pytest.mark.search_index``; in the
    others no save updates the index (the backend's ``AUTO_UPDATE``, read on each save)."""
    if item.get_closest_marker("search_index"):
        yield
        return
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]
    before = backend.get("AUTO_UPDATE", True)
    backend["AUTO_UPDATE"] = False
    try:
        yield
    finally:
        backend["AUTO_UPDATE"] = before


@contextlib.contextmanager
def _indexes_off(item):
    with _reference_index_off(item), _search_index_off(item):
        yield


def _close_world_before_django_testcase(item) -> None:
    """A Django ``TestCase`` class (``WagtailPageTestCase`` and the like) runs through pytest-django's unittest
    support, not through ``_shared_world_gate``, and its ``tearDownClass`` closes every database connection:
    with the shared world's transaction still open, the next ``roles`` test found the connection closed
    ("Cannot operate on a closed database"), depending on which test a worker happened to run before it."""
    cls = getattr(item, "cls", None)
    if cls is None or not issubclass(cls, TransactionTestCase) or not WORLD.is_open:
        return
    with item.config.stash[blocking_manager_key].unblock():
        WORLD.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    _close_world_before_django_testcase(item)
    with _indexes_off(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _indexes_off(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _indexes_off(item):
        return (yield)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request with another (LocaleMiddleware) leaves it
    active in the thread, which made output in the next test depend on the order tests ran in."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Each worker opens its own copy of a template database migrated once (``tests/dbtemplate.py``).

    Replaces pytest-django's fixture of the same name, which migrates a new database in every worker.
    The copy is already migrated, so this only points the connection at it (what Django's
    ``create_test_db`` does after migrating) and removes it at the end.
    """
    connection = connections["default"]
    production_name = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            test_name = dbtemplate.postgres_worker_copy(connection)
        else:
            test_name = str(dbtemplate.sqlite_worker_copy(os.environ.get("PYTEST_XDIST_WORKER", "main")))
    connection.close()
    connection.settings_dict["NAME"] = test_name
    yield
    with django_db_blocker.unblock():
        WORLD.close()
        connection.close()
        connection.settings_dict["NAME"] = production_name
        dbtemplate.drop_worker_copy(connection, test_name)


def build_home_page() -> TestHomePage:
    root = Page.get_first_root_node() or _wagtail_initial_rows()
    home = TestHomePage(title="Intranet", slug="intranet")
    root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname="localhost", is_default_site=True)
    site.root_page = home
    site.save()
    return home


def _wagtail_initial_rows() -> Page:
    """The locale and root page Wagtail's migrations create, again: a transactional test (a browser test,
    the live server) empties every table when it ends, and the next one starts from nothing."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.add_root(instance=Page(title="Root", slug="root"))


def build_program_index(home_page):
    return MentoringProgramIndexPageFactory(parent=home_page, title="Mentoring programs", slug="programs")


def build_program(program_index):
    return MentoringProgramPageFactory(
        parent=program_index, title="Leadership mentoring", slug="leadership", coordinators=GroupFactory(name="coord-a")
    )


def build_other_program(program_index):
    return MentoringProgramPageFactory(
        parent=program_index,
        title="Engineering mentoring",
        slug="engineering",
        coordinators=GroupFactory(name="coord-b"),
    )


ROLE_NAMES = (
    "mentee",
    "mentor",
    "other_mentee",
    "other_mentor",
    "coordinator",
    "other_coordinator",
    "editor",
    "employee",
    "inactive",
    "superuser",
)


def build_roles(program, other_program) -> dict:
    users = {name: UserFactory(username=name) for name in ROLE_NAMES[:8]}
    users["inactive"] = UserFactory(username="inactive", is_active=False)
    users["superuser"] = UserFactory(username="superuser", is_superuser=True, is_staff=True)
    users["coordinator"].groups.add(program.coordinators)
    users["other_coordinator"].groups.add(other_program.coordinators)
    users["mentorship"] = active_mentorship(program=program, mentor=users["mentor"], mentee=users["mentee"])
    users["other_mentorship"] = active_mentorship(
        program=other_program, mentor=users["other_mentor"], mentee=users["other_mentee"]
    )
    return users


class SharedWorld:
    """The ``roles`` world (site tree, two programs, a user per role, two pairings), built once and shared.

    Building it costs about as much as a test, and most tests only read it. So it is built inside an
    outer transaction that stays open across consecutive tests that use ``roles``; each test runs in a
    savepoint inside it (pytest-django's own per-test transaction), so what a test writes is rolled back
    and the next test finds the world as it was built. A test that needs real commits (transactional
    tests, the live server) or does not use ``roles`` (it may count rows) closes the world first, and
    builds its own data as before; the next ``roles`` test builds the world again. Fixtures hand each
    test fresh instances fetched by primary key, so no test sees another's in-memory changes.
    """

    def __init__(self) -> None:
        self._atomic = None
        self.pks: dict[str, int] = {}
        self.builds = 0
        #: Layers: more shared data on top of the world (e.g. the security suite's ``foreign`` objects),
        #: registered by name with a builder; one is open at a time, in a savepoint inside the world.
        self.layers: dict[str, Callable[[SharedWorld], dict[str, Model]]] = {}
        self.layer_name: str | None = None
        self._layer_atomic = None
        self._layer_refs: dict[str, tuple[type[Model], int]] = {}
        #: Extras: objects more than one suite asks for by fixture name (the dashboard page), built in the
        #: world when a test first asks for them, and kept with it.
        self.extras: dict[str, Callable[[SharedWorld], Model]] = {}
        self._extra_refs: dict[str, tuple[type[Model], int]] = {}

    @property
    def is_open(self) -> bool:
        return self._atomic is not None

    def open(self) -> None:
        if self.is_open:
            return
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.builds += 1
        home = build_home_page()
        index = build_program_index(home)
        program, other_program = build_program(index), build_other_program(index)
        objects = {"home_page": home, "program_index": index, "program": program, "other_program": other_program}
        objects.update(build_roles(program, other_program))
        self.pks = {name: obj.pk for name, obj in objects.items()}

    def close(self) -> None:
        if not self.is_open:
            return
        self.close_layer()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        self._atomic, self.pks, self._extra_refs = None, {}, {}
        Site.clear_site_root_paths_cache()

    def get(self, name: str, model):
        return model.objects.get(pk=self.pks[name])

    def roles(self) -> dict:
        """Fresh instances of the users per role and the two pairings (what the ``roles`` fixture returns)."""
        users = get_user_model().objects.in_bulk([self.pks[name] for name in ROLE_NAMES])
        roles = {name: users[self.pks[name]] for name in ROLE_NAMES}
        pairings = Mentorship.objects.select_related("program", "mentor", "mentee").in_bulk(
            [self.pks["mentorship"], self.pks["other_mentorship"]]
        )
        programs = MentoringProgramPage.objects.in_bulk([self.pks["program"], self.pks["other_program"]])
        for key in ("mentorship", "other_mentorship"):
            pairing = pairings[self.pks[key]]
            pairing.program = programs[pairing.program_id]
            pairing.mentor, pairing.mentee = roles[pairing.mentor.username], roles[pairing.mentee.username]
            roles[key] = pairing
        return roles

    def register_extra(self, name: str, build: Callable[[SharedWorld], Model]) -> None:
        """Keep the object ``build(world)`` creates in the world for every later test that requests fixture
        ``name`` (until the world closes)."""
        self.extras[name] = build

    def ensure_extra(self, name: str) -> None:
        """Build extra ``name`` in the world itself (below any layer, which is closed first) if not built yet."""
        if name in self._extra_refs:
            return
        self.close_layer()
        obj = self.extras[name](self)
        self._extra_refs[name] = (type(obj), obj.pk)

    def extra_object(self, name: str) -> Model:
        """A fresh instance of extra ``name``."""
        model, pk = self._extra_refs[name]
        return model._default_manager.get(pk=pk)

    def register_layer(self, name: str, build: Callable[[SharedWorld], dict[str, Model]]) -> None:
        """Share the objects ``build(world)`` creates among consecutive tests that request fixture ``name``."""
        self.layers[name] = build

    def open_layer(self, name: str) -> None:
        if self.layer_name == name:
            return
        self.close_layer()
        self._layer_atomic = transaction.atomic()
        self._layer_atomic.__enter__()
        objects = self.layers[name](self)
        self._layer_refs = {key: (type(obj), obj.pk) for key, obj in objects.items()}
        self.layer_name = name

    def close_layer(self) -> None:
        if self._layer_atomic is None:
            return
        transaction.set_rollback(True)
        self._layer_atomic.__exit__(None, None, None)
        self._layer_atomic, self.layer_name, self._layer_refs = None, None, {}
        Site.clear_site_root_paths_cache()

    def layer_objects(self) -> dict[str, Model]:
        """Fresh instances of the open layer's objects, by the builder's keys."""
        return {key: model._default_manager.get(pk=pk) for key, (model, pk) in self._layer_refs.items()}


WORLD = SharedWorld()
#: ``WM_TEST_SHARED_WORLD=0`` builds the ``roles`` world in every test, as a check that no test depends on sharing.
SHARE_WORLD = os.environ.get("WM_TEST_SHARED_WORLD", "1") != "0"
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(TRANSACTIONAL_FIXTURES & set(request.fixturenames))


@pytest.fixture
def _shared_world_gate(request, django_db_setup, django_db_blocker):
    """Open the shared world for a non-transactional test that uses ``roles``; close it for any other."""
    with django_db_blocker.unblock():
        if SHARE_WORLD and "roles" in request.fixturenames and not _is_transactional(request):
            WORLD.open()
            for name in WORLD.extras.keys() & set(request.fixturenames):
                WORLD.ensure_extra(name)
            layer = next((name for name in WORLD.layers if name in request.fixturenames), None)
            if layer:
                WORLD.open_layer(layer)
            else:
                WORLD.close_layer()
        else:
            WORLD.close()


@pytest.fixture
def _django_db_helper(_shared_world_gate, _django_db_helper):
    """pytest-django's per-test transaction, entered after the gate (so inside the shared world)."""
    return _django_db_helper


@pytest.fixture
def home_page(db):
    return WORLD.get("home_page", TestHomePage) if WORLD.is_open else build_home_page()


@pytest.fixture
def program_index(home_page):
    if WORLD.is_open:
        return WORLD.get("program_index", MentoringProgramIndexPage)
    return build_program_index(home_page)


@pytest.fixture
def program(program_index):
    return WORLD.get("program", MentoringProgramPage) if WORLD.is_open else build_program(program_index)


@pytest.fixture
def other_program(program_index):
    return WORLD.get("other_program", MentoringProgramPage) if WORLD.is_open else build_other_program(program_index)


def build_dashboard(home_page) -> MentoringDashboardPage:
    page = MentoringDashboardPage(title="My mentoring", slug="mentoring")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


WORLD.register_extra("dashboard", lambda world: build_dashboard(world.get("home_page", TestHomePage)))


@pytest.fixture
def dashboard(home_page):
    """A published mentoring dashboard page at ``/mentoring/`` (built once with the shared world)."""
    return WORLD.extra_object("dashboard") if WORLD.is_open else build_dashboard(home_page)


@pytest.fixture
def roles(program, other_program):
    """A user per row of the README's roles table, around one active pairing in ``program``.

    Keys: mentee, mentor, other_mentee, other_mentor, coordinator, other_coordinator, editor,
    employee, inactive, superuser; plus ``mentorship`` and ``other_mentorship``.
    """
    if not WORLD.is_open:
        return build_roles(program, other_program)
    roles = WORLD.roles()
    roles["mentorship"].program, roles["other_mentorship"].program = program, other_program
    return roles
