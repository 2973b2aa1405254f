"""``record_check_in`` and ``add_key_result``: atomic, validated, and safe under concurrency."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.core import KeyResultFactory, ObjectiveFactory
from wagtail_mentoring.models import CheckIn, KeyResult
from wagtail_mentoring.snippets.services import add_key_result, record_check_in


@pytest.mark.django_db
class TestRecordCheckIn:
    def test_sets_current_value_and_confidence(self):
        kr = KeyResultFactory(current_value=0, confidence=5)
        check_in = record_check_in(kr, kr.objective.owner, 7, confidence=8, note="Good week")
        kr.refresh_from_db()
        assert kr.current_value == 7
        assert kr.confidence == 8
        assert check_in.note == "Good week"
        assert check_in.author == kr.objective.owner

    def test_accepts_a_pk_and_keeps_confidence(self):
        kr = KeyResultFactory(confidence=4)
        record_check_in(kr.pk, None, 3)
        kr.refresh_from_db()
        assert (kr.current_value, kr.confidence) == (3, 4)

    def test_backdated_check_in_does_not_override_newer(self):
        kr = KeyResultFactory()
        now = timezone.now()
        record_check_in(kr, None, 6, created_at=now - dt.timedelta(days=7))
        record_check_in(kr, None, 2, created_at=now - dt.timedelta(days=14))
        kr.refresh_from_db()
        assert kr.current_value == 6
        assert kr.check_ins.count() == 2

    def test_progress_changes(self):
        kr = KeyResultFactory(start_value=0, target_value=4, current_value=0)
        record_check_in(kr, None, 3)
        assert KeyResult.objects.get(pk=kr.pk).progress == 0.75

    @pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e13])
    def test_rejects_bad_values_and_writes_nothing(self, value):
        kr = KeyResultFactory(current_value=1)
        with pytest.raises(ValidationError):
            record_check_in(kr, None, value)
        kr.refresh_from_db()
        assert kr.current_value == 1
        assert not CheckIn.objects.exists()

    @pytest.mark.parametrize("confidence", [-1, 11])
    def test_rejects_bad_confidence(self, confidence):
        kr = KeyResultFactory()
        with pytest.raises(ValidationError):
            record_check_in(kr, None, 1, confidence=confidence)
        assert not CheckIn.objects.exists()

    def test_binary_key_result_takes_zero_or_one(self):
        kr = KeyResultFactory(kind="milestone", start_value=0, target_value=1, current_value=0)
        with pytest.raises(ValidationError):
            record_check_in(kr, None, 0.5)
        record_check_in(kr, None, 1)
        assert KeyResult.objects.get(pk=kr.pk).progress == 1.0


@pytest.mark.django_db
class TestAddKeyResult:
    def test_within_limit(self, settings):
        settings.WAGTAIL_MENTORING = {"MAX_KEY_RESULTS_PER_OBJECTIVE": 2}
        objective = ObjectiveFactory()
        add_key_result(objective, title="One", start_value=0, target_value=3)
        add_key_result(objective, title="Two", kind="boolean", start_value=0, target_value=1)
        with pytest.raises(ValidationError, match="at most 2"):
            add_key_result(objective, title="Three", start_value=0, target_value=3)
        assert objective.key_results.count() == 2

    def test_program_limit(self, program):
        program.max_key_results = 1
        program.save()
        objective = ObjectiveFactory(program=program)
        add_key_result(objective, title="One", start_value=0, target_value=3)
        with pytest.raises(ValidationError):
            add_key_result(objective, title="Two", start_value=0, target_value=3)

    def test_invalid_fields(self):
        objective = ObjectiveFactory()
        with pytest.raises(ValidationError) as exc:
            add_key_result(objective, title="Flat", start_value=2, target_value=2)
        assert "target_value" in exc.value.message_dict
        assert not objective.key_results.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_check_ins_lose_no_update():
    """Threads check in at once; the row lock serialises them, so the newest value wins."""
    owner = UserFactory()
    kr = KeyResultFactory(objective=ObjectiveFactory(owner=owner), start_value=0, target_value=100, current_value=0)
    n_threads, per_thread = 8, 5
    barrier = threading.Barrier(n_threads)
    errors = []

    def worker(index):
        try:
            barrier.wait()
            for j in range(per_thread):
                record_check_in(kr.pk, owner, index * per_thread + j, confidence=j)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    kr.refresh_from_db()
    assert CheckIn.objects.filter(key_result=kr).count() == n_threads * per_thread
    newest = CheckIn.objects.filter(key_result=kr).order_by("-created_at", "-pk").first()
    assert kr.current_value == newest.value
    assert kr.confidence == newest.confidence
