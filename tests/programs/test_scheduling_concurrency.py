"""Two mentees propose the same free slot of their mentor at once: one wins (PostgreSQL, real transactions)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from tests.factories import active_mentorship
from tests.programs.test_concurrency import race_home, race_program  # noqa: F401  (fixtures)
from wagtail_mentoring.models import AvailabilitySlot, MentoringSession, Mentorship
from wagtail_mentoring.programs import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_proposal_per_slot_under_concurrency(race_program):  # noqa: F811
    first = active_mentorship(program=race_program)
    pairs = [first] + [active_mentorship(program=race_program, mentor=first.mentor) for _ in range(4)]
    start = timezone.now() + dt.timedelta(days=2)
    slot = AvailabilitySlot.objects.create(mentor=first.mentor, start=start, end=start + dt.timedelta(hours=1))
    barrier = threading.Barrier(len(pairs))
    outcomes, lock = [], threading.Lock()

    def work(pk):
        close_old_connections()
        try:
            barrier.wait()
            pair = Mentorship.objects.select_related("mentee").get(pk=pk)
            services.propose_slot(pair, pair.mentee, AvailabilitySlot.objects.get(pk=slot.pk))
            result = "ok"
        except ValidationError as exc:
            result = exc.error_dict["slot"][0].code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=work, args=(p.pk,)) for p in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1
    assert outcomes.count("taken") == len(pairs) - 1
    assert MentoringSession.objects.filter(slot=slot).count() == 1
