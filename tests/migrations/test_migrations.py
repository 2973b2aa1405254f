"""Migrations run forward and backward with data in the tables (django-test-migrations' ``migrator``).

Each test using ``migrator`` reverses the app to its starting point, and finally migrates everything
forward again (``migrator.reset``); pytest-django then flushes the database as for any transactional
test, and runs these after the non-transactional tests, so they do not disturb the rest of the suite.
"""

import functools
import io

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django_test_migrations.checks.autonames import check_migration_names
from django_test_migrations.signals import mute_migrate_signals

from tests.migrations.seeders import APP, PROGRAM_BODY, seed_other_apps, seeder_for

#: Apps whose migrations this suite guards: the package, and the example site's ``home`` when installed.
APPS = [APP, *(["home"] if global_apps.is_installed("home") else [])]

#: ``(app, migration) -> {model label: expected change in row count}`` for migrations meant to add or
#: remove rows (a data migration). Every other row of every table must survive every step unchanged.
EXPECTED_ROW_CHANGES: dict[tuple[str, str], dict[str, int]] = {}


def history(app: str) -> list[str]:
    """The app's migration names in the order they apply (its graph must be linear: one leaf)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    leaves = loader.graph.leaf_nodes(app)
    assert len(leaves) == 1, f"{app} has conflicting leaf migrations {leaves}: add a merge migration"
    return [name for label, name in loader.graph.forwards_plan(leaves[0]) if label == app]


def consecutive_pairs(app: str) -> list[tuple[str | None, str]]:
    names = history(app)
    return list(zip([None, *names[:-1]], names, strict=True))


def snapshot(state_apps) -> dict[str, frozenset]:
    """Primary keys of every row of every model of a historical state, by model label."""
    tables = set(connection.introspection.table_names())
    return {
        model._meta.label_lower: frozenset(model._base_manager.values_list("pk", flat=True))
        for model in state_apps.get_models(include_auto_created=True)
        if model._meta.db_table in tables
    }


def app_tables(app: str = APP) -> set[str]:
    return {t for t in connection.introspection.table_names() if t.startswith(f"{app}_")}


def schema(app: str = APP) -> dict[str, tuple]:
    """Columns and constraints of the app's tables, to compare a schema rebuilt after a round trip."""
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(app_tables(app)):
            columns = sorted(
                (c.name, str(c.type_code), c.null_ok)
                for c in connection.introspection.get_table_description(cursor, table)
            )
            constraints = sorted(
                repr((c["columns"], c["primary_key"], c["unique"], c["foreign_key"], c["check"], c["index"]))
                for c in connection.introspection.get_constraints(cursor, table).values()
            )
            out[table] = (tuple(columns), tuple(constraints))
    return out


def table_rows() -> dict[str, frozenset]:
    """Primary keys of every row of every table but Django's migration history, by table.

    Read with SQL, so it needs no historical models: ``RowWalk`` takes it between two migrations of one
    ``migrate``, where no state is at hand.
    """
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table == "django_migrations":
                continue
            if table not in _PRIMARY_KEYS:
                _PRIMARY_KEYS[table] = connection.introspection.get_primary_key_column(cursor, table)
            if _PRIMARY_KEYS[table] is None:  # SQLite's full-text index tables of Wagtail's search
                continue
            cursor.execute(f"SELECT {quote(_PRIMARY_KEYS[table])} FROM {quote(table)}")  # noqa: S608 - introspected names
            out[table] = frozenset(row[0] for row in cursor.fetchall())
    return out


_PRIMARY_KEYS: dict[str, str | None] = {}


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


class RowWalk:
    """Migrates ``APP`` with one ``migrate`` per call and checks every row of every table after each
    migration it applies or unapplies (Django's ``progress_callback``): each row survives, unless
    ``EXPECTED_ROW_CHANGES`` says the migration adds or removes rows of that table.

    One ``migrate`` per step re-rendered the historical models of every app (Wagtail's are many) for each
    of the app's migrations and each direction; the walk renders them once per call.
    """

    def __init__(self, rows: dict[str, frozenset]) -> None:
        self.rows = rows
        self.steps: list[str] = []
        self.executor = MigrationExecutor(connection, progress_callback=self.progress)

    def progress(self, action: str, migration=None, fake: bool = False) -> None:
        if action not in ("apply_success", "unapply_success") or migration.app_label != APP:
            return
        verb = "applying" if action == "apply_success" else "reversing"
        after = table_rows()
        expected = EXPECTED_ROW_CHANGES.get((APP, migration.name), {})
        for table in self.rows.keys() & after.keys():
            if table in expected:
                assert len(after[table]) - len(self.rows[table]) == expected[table], (migration.name, table)
            else:
                assert after[table] == self.rows[table], f"{verb} {APP}.{migration.name} changed the rows of {table}"
        self.rows = after
        self.steps.append(f"{verb} {migration.name}")

    def migrate(self, target: str | None):
        """Migrate ``APP`` to ``target`` (``None``: zero) and return the historical state there."""
        self.executor.loader.build_graph()
        with mute_migrate_signals():
            state = self.executor.migrate([(APP, target)])
        state.clear_delayed_apps_cache()
        return state

    def rows_changed_by(self, change) -> None:
        """Run ``change`` (rows a check adds between two migrations) and take the rows again."""
        change()
        self.rows = table_rows()


def add_a_second_session(apps) -> None:
    """Before ``0005_session_scheduling``: a second session logged the same day as the seeded one."""
    sessions = apps.get_model(APP, "MentoringSession").objects
    first = sessions.get()
    sessions.create(mentorship_id=first.mentorship_id, date=first.date, duration_minutes=30, format="phone")


def sessions_became_held_with_distinct_uids(apps) -> None:
    """``0005_session_scheduling``: sessions logged before scheduling existed become held, each with its own
    calendar UID (a callable default would give every row the same one), at sequence 0 and in no place."""
    rows = list(apps.get_model(APP, "MentoringSession").objects.values_list("status", "uid", "sequence", "location"))
    assert len(rows) == 2
    assert {status for status, *_rest in rows} == {"held"}
    assert len({uid for _status, uid, *_rest in rows}) == 2 and all(uid for _status, uid, *_rest in rows)
    assert {(sequence, location) for _s, _u, sequence, location in rows} == {(0, "")}


#: What a data migration does to the rows it finds, checked on the walk forward:
#: ``migration -> (prepare the rows before it, check them after it)``.
DATA_MIGRATION_CHECKS = {
    "0005_session_scheduling": (add_a_second_session, sessions_became_held_with_distinct_uids),
}


def test_migrations_forward_and_backward_with_data(migrator):
    """Latest, with a row in every table -> back to zero -> forward to latest, seeded at the first migration:
    every row of every table survives every migration, reversing to zero drops only the app's tables, the
    schema built step by step equals the one built in one go, and each data migration does what it says
    (``DATA_MIGRATION_CHECKS``).

    One test, walking the history once each way in as few ``migrate`` calls as the checks allow (``RowWalk``
    checks the rows after each migration within a call); the test database is reset once at the end.
    """
    names = history(APP)
    # The test database was migrated in one go: nothing to apply, this is its state.
    latest = migrator.apply_tested_migration((APP, names[-1]))
    built = schema()
    assert set(built) == {
        m._meta.db_table for m in latest.apps.get_app_config(APP).get_models(include_auto_created=True)
    }
    seed_other_apps(latest.apps)
    other_rows = {table: pks for table, pks in table_rows().items() if not table.startswith(f"{APP}_")}
    seeder_for(names[-1], names)(latest.apps)
    seeded = snapshot(latest.apps)
    empty = sorted(
        m._meta.label
        for m in latest.apps.get_app_config(APP).get_models(include_auto_created=True)
        if not seeded[m._meta.label_lower]
    )
    assert empty == [], f"the seeder for {names[-1]} leaves these tables empty: extend tests/migrations/seeders.py"

    # The rows read back as written through the historical models.
    program = latest.apps.get_model(APP, "MentoringProgramPage").objects.get(slug="leadership")
    assert list(program.body.raw_data) == PROGRAM_BODY
    assert program.matching_weights == {"skills": 2.0, "languages": 1.0}
    assert program.coordinators.name == "Leadership coordinators"
    key_result = latest.apps.get_model(APP, "KeyResult").objects.get(title="Hold 6 one-to-ones")
    assert (key_result.current_value, key_result.weight, key_result.check_ins.count()) == (3.0, 2.0, 2)
    session = latest.apps.get_model(APP, "MentoringSession").objects.get()
    assert session.key_results_discussed.count() == 2

    # Back to zero.
    walk = RowWalk(table_rows())
    state = walk.migrate(None)
    assert walk.steps == [f"reversing {name}" for name in reversed(names)]
    assert app_tables() == set()
    assert not state.apps.all_models.get(APP)
    for table, pks in other_rows.items():
        assert pks <= walk.rows[table], f"reversing {APP} to zero deleted {table} rows {sorted(pks - walk.rows[table])}"
    for table in ("auth_user", "auth_group"):
        assert walk.rows[table] == other_rows[table]
    # Reversing drops the app's tables only: the wagtailcore_page rows of its page types stay behind
    # (docs/upgrading.md says to delete those pages before migrating to zero).
    Page = state.apps.get_model("wagtailcore", "Page")
    assert Page.objects.filter(content_type__app_label=APP).count() == 6  # with 0014_surveys' survey page

    # Forward: the first migration, seeded; then to latest, stopping before and after each data migration.
    state = walk.migrate(names[0])
    for model in state.apps.get_app_config(APP).get_models(include_auto_created=True):
        assert not model._base_manager.exists(), f"{model._meta.label} is not empty after re-creation"
    walk.rows_changed_by(lambda: seeder_for(names[0], names)(state.apps))
    for name, (prepare, check) in DATA_MIGRATION_CHECKS.items():
        assert names.index(name) > 0, f"{name}: a data migration follows another migration"
        state = walk.migrate(names[names.index(name) - 1])
        walk.rows_changed_by(functools.partial(prepare, state.apps))
        check(walk.migrate(name).apps)
    state = walk.migrate(names[-1])
    assert walk.steps[len(names) :] == [f"applying {name}" for name in names]
    assert schema() == built
    cycle = state.apps.get_model(APP, "OKRCycle").objects.create(
        name="Again", start_date="2026-01-01", end_date="2026-06-30"
    )
    assert cycle.pk

    # Other guarded apps (the example site's ``home``): every step forward and back.
    for app in APPS:
        if app != APP:
            for start, target in consecutive_pairs(app):
                check_step(migrator, app, start, target)


def check_step(migrator, app: str, start: str, target: str) -> None:
    """From ``start`` to ``target`` and back: every row of every table survives (row set by table)."""
    names = history(app)
    old = migrator.apply_tested_migration((app, start))
    # The step before left its rows behind (it checks they survive); seed only tables still empty.
    if not any(model._base_manager.exists() for model in old.apps.get_app_config(app).get_models()):
        seeder_for(start, names)(old.apps)
    before = snapshot(old.apps)
    assert sum(map(len, before.values())) > 0

    new = migrator.apply_tested_migration((app, target))
    after = snapshot(new.apps)
    expected = EXPECTED_ROW_CHANGES.get((app, target), {})
    for label in before.keys() & after.keys():
        if label in expected:
            assert len(after[label]) - len(before[label]) == expected[label], label
        else:
            assert after[label] == before[label], f"{app}.{target} changed the rows of {label}"
    assert {m._meta.db_table for m in new.apps.get_app_config(app).get_models()} <= app_tables(app)

    back = migrator.apply_tested_migration((app, start))
    restored = snapshot(back.apps)
    for label in before:
        if label not in expected:
            assert restored[label] == before[label], f"reversing {app}.{target} changed the rows of {label}"


@pytest.mark.migration_test
@pytest.mark.parametrize("app", APPS)
def test_every_migration_operation_is_reversible(app):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = history(app)
    assert names, f"{app} has no migrations"
    irreversible = [
        f"{name}: {operation.describe()}"
        for name in names
        for operation in loader.get_migration(app, name).operations
        if not operation.reversible
    ]
    assert irreversible == [], (
        "give these operations a reverse (RunPython(..., reverse_code), RunSQL(..., reverse_sql))"
    )


@pytest.mark.migration_test
def test_migration_names_are_descriptive():
    automatic = [m.msg for m in check_migration_names() if any(f" {app}." in m.msg for app in APPS)]
    assert automatic == []


@pytest.mark.migration_test
def test_models_have_no_unmigrated_changes(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", *APPS, check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit:  # makemigrations --check exits 1 when it would write a migration
        pytest.fail(f"makemigrations would write a migration:\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
