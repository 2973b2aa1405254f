"""Skills on the program page: the editor's inline panel, and ratings kept across revisions."""

import pytest

from tests.factories import UserFactory
from tests.skills.conftest import rate
from wagtail_mentoring.models import MentoringProgramPage, ProgramSkill, SkillRating

pytestmark = pytest.mark.django_db


def test_the_editor_lists_skills_on_the_content_tab(client, program):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(f"/admin/pages/{program.pk}/edit/").content.decode()
    assert "Skills this program develops" in html and "skills-TOTAL_FORMS" in html


def test_skills_are_published_with_the_page_and_a_rename_keeps_the_ratings(roles, program):
    page = MentoringProgramPage.objects.get(pk=program.pk)
    page.skills.add(ProgramSkill(name="Listening", description="Hearing what is said", sort_order=0))
    page.save_revision().publish()
    skill = ProgramSkill.objects.get(program=program)
    rating = rate(skill, roles["mentee"], 3)
    page = MentoringProgramPage.objects.get(pk=program.pk)
    skills = list(page.skills.all())
    skills[0].name = "Active listening"
    page.skills = skills  # as the editor's form sets the inline panel's rows
    page.save_revision().publish()
    skill.refresh_from_db()
    assert skill.name == "Active listening"
    assert SkillRating.objects.filter(pk=rating.pk).exists()
    assert page.get_latest_revision().content["skills"][0]["name"] == "Active listening"
