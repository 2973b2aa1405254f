"""Migrations run forward and backward with data in the tables (django-test-migrations' ``migrator``).

Each test using ``migrator`` reverses the app to its starting point, and finally migrates everything
forward again (``migrator.reset``); pytest-django then flushes the database as for any transactional
test, and runs these after the non-transactional tests, so they do not disturb the rest of the suite.
"""

import io

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_test_migrations.checks.autonames import check_migration_names

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


def test_migrations_forward_and_backward_with_data(migrator):
    """Latest, with a row in every table -> back to zero one migration at a time -> forward to latest one
    migration at a time, seeded at the first: every row of every table survives every step, reversing to
    zero drops only the app's tables, and the schema built step by step equals the one built in one go.

    One test, walking the history once each way: each ``migrate`` call re-renders the historical models
    of every app (Wagtail's are many), so the walk makes one call per migration and direction, and the
    test database is reset once at the end.
    """
    names = history(APP)
    # The test database was migrated in one go: nothing to apply, this is its state.
    latest = migrator.apply_tested_migration((APP, names[-1]))
    built = schema()
    assert set(built) == {
        m._meta.db_table for m in latest.apps.get_app_config(APP).get_models(include_auto_created=True)
    }
    seed_other_apps(latest.apps)
    other_rows = {label: pks for label, pks in snapshot(latest.apps).items() if not label.startswith(f"{APP}.")}
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

    # Back to zero, one migration at a time.
    before = seeded
    for start, target in reversed(consecutive_pairs(APP)):
        state = migrator.apply_tested_migration((APP, start))
        after = snapshot(state.apps)
        for label in before.keys() & after.keys():
            if label not in EXPECTED_ROW_CHANGES.get((APP, target), {}):
                assert after[label] == before[label], f"reversing {APP}.{target} changed the rows of {label}"
        before = after
    assert app_tables() == set()
    assert not state.apps.all_models.get(APP)
    for label, pks in other_rows.items():
        assert pks <= before[label], f"reversing {APP} to zero deleted {label} rows {sorted(pks - before[label])}"
    for label in ("auth.user", "auth.group"):
        assert before[label] == other_rows[label]
    # Reversing drops the app's tables only: the wagtailcore_page rows of its page types stay behind
    # (docs/upgrading.md says to delete those pages before migrating to zero).
    Page = state.apps.get_model("wagtailcore", "Page")
    assert Page.objects.filter(content_type__app_label=APP).count() == 6  # with 0014_surveys' survey page

    # Forward to latest, one migration at a time, with the rows seeded at the first.
    for start, target in consecutive_pairs(APP):
        state = migrator.apply_tested_migration((APP, target))
        if start is None:
            for model in state.apps.get_app_config(APP).get_models(include_auto_created=True):
                assert not model._base_manager.exists(), f"{model._meta.label} is not empty after re-creation"
            seeder_for(target, names)(state.apps)
        else:
            after = snapshot(state.apps)
            expected = EXPECTED_ROW_CHANGES.get((APP, target), {})
            for label in before.keys() & after.keys():
                if label in expected:
                    assert len(after[label]) - len(before[label]) == expected[label], label
                else:
                    assert after[label] == before[label], f"{APP}.{target} changed the rows of {label}"
        before = snapshot(state.apps)
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
