"""Who may rate whom at which moment, who reads which ratings, and the write path's refusals."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from tests.skills.conftest import close, rate
from wagtail_mentoring.access import querysets as access
from wagtail_mentoring.models import SkillRating
from wagtail_mentoring.skills.services import rate_skills

pytestmark = pytest.mark.django_db


def test_start_opens_with_an_accepted_enrolment_closing_with_a_closed_pairing(sk, program):
    mentee, mentor = sk["mentee"], sk["mentor"]
    assert access.can_rate_skills(mentee, program, "start")
    assert access.can_rate_skills(mentor, program, "start")
    assert not access.can_rate_skills(mentee, program, "closing")
    assert not access.can_rate_skills(mentor, program, "closing", subject=mentee)
    assert not access.can_rate_skills(sk["employee"], program, "start")
    assert not access.can_rate_skills(sk["coordinator"], program, "start")
    assert not access.can_rate_skills(sk["inactive"], program, "start")
    assert not access.can_rate_skills(mentee, program, "whenever")
    close(sk["mentorship"])
    assert access.can_rate_skills(mentee, program, "closing")
    assert access.can_rate_skills(mentor, program, "closing", subject=mentee)
    assert not access.can_rate_skills(mentor, program, "start", subject=mentee)
    assert not access.can_rate_skills(mentee, program, "closing", subject=mentor)
    assert not access.can_rate_skills(sk["other_mentor"], program, "closing", subject=mentee)


def test_an_application_under_review_is_not_enough(sk, program):
    applicant = UserFactory()
    from tests.factories import EnrolmentFactory

    EnrolmentFactory(program=program, user=applicant, status="applied")
    assert not access.can_rate_skills(applicant, program, "start")


def test_visible_ratings_per_role(sk, program, other_program):
    skill, other = sk["skills"][0], sk["other_skills"][0]
    own = rate(skill, sk["mentee"], 2)
    mentor_self = rate(skill, sk["mentor"], 4)
    close(sk["mentorship"])
    by_mentor = rate(skill, sk["mentee"], 3, "closing", rater=sk["mentor"])
    foreign = rate(other, sk["other_mentee"], 1)

    def seen(name):
        return set(access.visible_skill_ratings(sk[name]).values_list("pk", flat=True))

    assert seen("mentee") == {own.pk, by_mentor.pk}  # never the mentor's self-rating
    assert seen("mentor") == {own.pk, mentor_self.pk, by_mentor.pk}
    assert seen("other_mentee") == {foreign.pk}
    assert seen("other_mentor") == {foreign.pk}  # their own mentee's
    # Coordinators (superusers too) see the report's averages, never a person's ratings one by one.
    for name in ("coordinator", "other_coordinator", "superuser", "employee", "editor", "inactive"):
        assert seen(name) == set()


def test_rate_skills_writes_and_replaces(sk, program):
    skills = sk["skills"]
    saved = rate_skills(sk["mentee"], program, "start", {s.pk: 2 for s in skills})
    assert len(saved) == 3 and all(r.rater == r.subject == sk["mentee"] for r in saved)
    rate_skills(sk["mentee"], program, "start", {skills[0].pk: 4})
    assert SkillRating.objects.count() == 3
    assert SkillRating.objects.get(skill=skills[0]).level == 4


@pytest.mark.parametrize(
    ("case", "field"),
    [("level0", "level"), ("level6", "level"), ("bool", "level"), ("foreign", "skill"), ("closing", "moment")],
)
def test_bad_input_raises_and_writes_nothing(sk, program, case, field):
    skills = sk["skills"]
    levels = {s.pk: 3 for s in skills}
    moment = "start"
    if case == "level0":
        levels[skills[1].pk] = 0
    elif case == "level6":
        levels[skills[1].pk] = 6
    elif case == "bool":
        levels[skills[1].pk] = True
    elif case == "foreign":
        levels[sk["other_skills"][0].pk] = 3
    elif case == "closing":
        moment = "closing"
    with pytest.raises(ValidationError) as exc:
        rate_skills(sk["mentee"], program, moment, levels)
    assert field in exc.value.message_dict
    assert not SkillRating.objects.exists()


def test_mentor_may_not_rate_before_closing_nor_another_pair(sk, program):
    with pytest.raises(ValidationError) as exc:
        rate_skills(sk["mentor"], program, "closing", {sk["skills"][0].pk: 3}, subject=sk["mentee"])
    assert "subject" in exc.value.message_dict
    close(sk["mentorship"])
    with pytest.raises(ValidationError):
        rate_skills(sk["other_mentor"], program, "closing", {sk["skills"][0].pk: 3}, subject=sk["mentee"])
    assert not SkillRating.objects.exists()
    rate_skills(sk["mentor"], program, "closing", {sk["skills"][0].pk: 3}, subject=sk["mentee"])
    assert SkillRating.objects.get().rater == sk["mentor"]
