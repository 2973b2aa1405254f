"""``0005_session_scheduling``: sessions logged before scheduling existed become held, each with its own UID."""

import pytest

from tests.migrations.seeders import APP, seed_0002

BEFORE = (APP, "0004_mentorship_agreement_confirmed")
AFTER = (APP, "0005_session_scheduling")


@pytest.mark.migration_test
def test_existing_sessions_become_held_with_distinct_uids(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    seed_0002(old.apps)
    sessions = old.apps.get_model(APP, "MentoringSession").objects
    first = sessions.get()
    sessions.create(mentorship_id=first.mentorship_id, date=first.date, duration_minutes=30, format="phone")
    new = migrator.apply_tested_migration(AFTER)
    rows = list(
        new.apps.get_model(APP, "MentoringSession").objects.values_list("status", "uid", "sequence", "location")
    )
    assert len(rows) == 2
    assert {status for status, *_rest in rows} == {"held"}
    assert len({uid for _status, uid, *_rest in rows}) == 2 and all(uid for _status, uid, *_rest in rows)
    assert {(sequence, location) for _s, _u, sequence, location in rows} == {(0, "")}
