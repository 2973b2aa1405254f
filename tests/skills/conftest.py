"""Fixtures for the skills tests: a program with three skills, the pair's accepted enrolments, the dashboard."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import EnrolmentFactory
from wagtail_mentoring.models import ProgramSkill, SkillRating


def add_skills(program, names=("Public speaking", "Giving feedback", "Planning")):
    return [
        ProgramSkill.objects.create(program=program, name=name, description=f"About {name}", sort_order=i)
        for i, name in enumerate(names)
    ]


@pytest.fixture
def sk(roles, program, other_program):
    """The roles world with skills on both programs and accepted enrolments for both pairs."""
    for who, prog, role in (
        ("mentee", program, "mentee"),
        ("mentor", program, "mentor"),
        ("other_mentee", other_program, "mentee"),
        ("other_mentor", other_program, "mentor"),
    ):
        EnrolmentFactory(program=prog, user=roles[who], role=role, status="accepted")
    roles["skills"] = add_skills(program)
    roles["other_skills"] = add_skills(other_program, ("Coding", "Testing"))
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "other_coordinator", "mentee", "mentor"):
        roles[name].user_permissions.add(perm)
    return roles


def close(mentorship, status="completed"):
    mentorship.status = status
    mentorship.save(update_fields=["status"])
    return mentorship


def rate(skill, subject, level, moment="start", rater=None):
    return SkillRating.objects.create(skill=skill, subject=subject, rater=rater or subject, moment=moment, level=level)
