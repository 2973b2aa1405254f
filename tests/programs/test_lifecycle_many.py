"""Approving, rejecting and proposing many pairings at once keep the single-pair rules, all or nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from wagtail.models import ReferenceIndex

from tests.factories.programs import mentee_enrolment, mentor_enrolment
from wagtail_mentoring.access.querysets import notes_mentorships, participating_mentorships, visible_mentorships
from wagtail_mentoring.models import Mentorship
from wagtail_mentoring.programs import services

pytestmark = pytest.mark.django_db


def _proposals(program, mentor_capacity, n):
    mentor = mentor_enrolment(program, capacity=mentor_capacity).user
    mentees = [mentee_enrolment(program).user for _ in range(n)]
    return services.propose_many(program, [(mentor, mentee, 0.5, {"skills": 0.5}) for mentee in mentees])


def test_approve_many_grants_both_people_what_a_single_approval_grants(program, mailoutbox):
    pairs = _proposals(program, 2, 2)
    services.approve_many(pairs, notify=False)
    for m in pairs:
        m.refresh_from_db()
        assert (m.status, m.meeting_cadence_days) == ("active", program.meeting_cadence_days) and m.started_on
        for user in (m.mentor, m.mentee):
            assert all(
                qs(user).filter(pk=m.pk).exists()
                for qs in (visible_mentorships, participating_mentorships, notes_mentorships)
            )


def test_approve_many_over_capacity_changes_nothing(program):
    pairs = _proposals(program, 1, 2)
    with pytest.raises(ValidationError) as exc:
        services.approve_many(pairs)
    assert exc.value.code == "capacity"
    assert set(Mentorship.objects.filter(pk__in=[m.pk for m in pairs]).values_list("status", flat=True)) == {"proposed"}
    assert not visible_mentorships(pairs[0].mentee).exists()


def test_approve_many_refuses_a_mentee_already_paired_and_a_pairing_no_longer_proposed(program):
    (first,) = _proposals(program, 1, 1)
    services.approve(first, notify=False)
    other_mentor = mentor_enrolment(program, capacity=2).user
    (again,) = services.propose_many(program, [(other_mentor, first.mentee, None, None)])
    with pytest.raises(ValidationError) as exc:
        services.approve_many([again])
    assert exc.value.code == "mentee_paired"
    with pytest.raises(ValidationError) as exc:
        services.approve_many([first])
    assert exc.value.code == "invalid_transition"


def test_reject_many_drops_proposals_only_all_or_nothing(program):
    active, proposed = _proposals(program, 2, 2)
    services.approve(active, notify=False)
    with pytest.raises(ValidationError):
        services.reject_many([proposed, active])
    assert Mentorship.objects.filter(pk__in=[active.pk, proposed.pk]).count() == 2
    services.reject_many([proposed])
    assert list(Mentorship.objects.filter(pk__in=[active.pk, proposed.pk]).values_list("pk", flat=True)) == [active.pk]


def test_propose_many_keeps_proposes_rules(program):
    mentor = mentor_enrolment(program, capacity=3).user
    mentee = mentee_enrolment(program).user
    with pytest.raises(ValidationError) as exc:
        services.propose_many(program, [(mentor, mentor, None, None)])
    assert exc.value.code == "self_pairing"
    with pytest.raises(ValidationError) as exc:
        services.propose_many(program, [(mentor, mentee, None, None), (mentor, mentee, None, None)])
    assert exc.value.code == "duplicate" and not Mentorship.objects.filter(mentee=mentee).exists()


@pytest.mark.reference_index
def test_propose_many_keeps_wagtails_reference_index_as_saving_each_would(program):
    """bulk_create sends no post_save: propose_many sends it, so the program page's usage lists the proposals."""
    proposals = _proposals(program, 3, 3)
    indexed = ReferenceIndex.get_references_to(program).filter(
        content_type=ContentType.objects.get_for_model(Mentorship)
    )
    assert sorted(int(pk) for pk in indexed.values_list("object_id", flat=True)) == sorted(p.pk for p in proposals)
