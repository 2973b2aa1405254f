"""Capacity holds when many people register for the last places at once (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import UserFactory
from tests.factories.training import TrainingEventFactory
from wagtail_mentoring.models import TrainingRegistration
from wagtail_mentoring.training.services import register


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_registrations():
    event = TrainingEventFactory(capacity=3)
    users = [UserFactory() for _ in range(12)]
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(user):
        try:
            barrier.wait()
            register(event, user)
            result = "ok"
        except ValidationError as exc:
            result = exc.code or "error"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 3
    assert outcomes.count("full") == 9
    assert TrainingRegistration.objects.filter(event=event).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_same_user_twice_at_once_gets_one_place():
    event = TrainingEventFactory(capacity=5)
    user = UserFactory()
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def attempt():
        try:
            barrier.wait()
            register(event, user)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and outcomes.count("duplicate") == 3
    assert TrainingRegistration.objects.filter(event=event).count() == 1
