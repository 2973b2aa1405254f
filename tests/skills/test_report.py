"""The program report's skills section, its export and ``program_skill_change`` (anonymity, query counts)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.factories import EnrolmentFactory, MentoringProgramPageFactory, UserFactory
from tests.skills.conftest import add_skills, rate
from wagtail_mentoring.skills.metrics import program_skill_change

pytestmark = pytest.mark.django_db


def url(program, export=None):
    return f"/admin/mentoring/reports/{program.pk}/" + (f"?export={export}" if export else "")


def people(program, n, before=2, after=4, skills=None):
    """``n`` accepted participants who rated themselves at both moments on every skill (or ``skills``)."""
    skills = skills if skills is not None else list(program.skills.all())
    for _ in range(n):
        user = UserFactory()
        EnrolmentFactory(program=program, user=user, status="accepted")
        for s in skills:
            rate(s, user, before)
            rate(s, user, after, "closing")


def test_program_skill_change_averages_and_withholds(sk, program, other_program):
    skills = sk["skills"]
    people(program, 3, skills=skills[:1])
    people(program, 1, before=1, after=5, skills=skills[:1])
    people(program, 2, skills=skills[1:2])  # two people: fewer than the minimum (3)
    rate(skills[2], sk["mentee"], 2)  # start only: counts nowhere
    rate(skills[0], sk["mentee"], 5, "closing", rater=sk["mentor"])  # the mentor's rating is not a self-rating
    result = program_skill_change([program, other_program.pk])
    first, second, third = result[program.pk]
    assert (first.name, first.people, first.before, first.after, first.change, first.reported) == (
        "Public speaking",
        4,
        1.75,
        4.25,
        2.5,
        True,
    )
    assert second.people == 2 and not second.reported and second.before is None
    assert third.people == 0 and not third.reported
    assert [row.name for row in result[other_program.pk]] == ["Coding", "Testing"]
    assert program_skill_change([]) == {}


def test_program_skill_change_costs_two_queries_for_any_number_of_programs(sk, program_index):
    programs = []
    for _ in range(5):
        prog = MentoringProgramPageFactory(parent=program_index)
        add_skills(prog)
        people(prog, 1)
        programs.append(prog)
    with CaptureQueriesContext(connection) as ctx:
        program_skill_change(programs)
    small = len(ctx)
    for _ in range(45):
        prog = MentoringProgramPageFactory(parent=program_index)
        add_skills(prog)
        people(prog, 1)
        programs.append(prog)
    with CaptureQueriesContext(connection) as ctx:
        result = program_skill_change(programs)
    assert len(ctx) == small == 2
    assert len(result) == 50


def test_report_section_and_exports(client, sk, program):
    people(program, 3)
    client.force_login(sk["coordinator"])
    html = client.get(url(program)).content.decode()
    assert "Skills before and after" in html and "Public speaking" in html and "+2" in html
    assert "4" in html and "<meter" in html
    response = client.get(url(program, "csv"))
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert ["Skill", "People", "Average before", "Average after", "Average change"] in rows
    assert ["Public speaking", "3", "2.0", "4.0", "2.0"] in rows
    response = client.get(url(program, "xlsx"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[-1] == "Skills"
    values = [[c.value for c in row] for row in workbook["Skills"].iter_rows()]
    assert values[1] == ["Public speaking", 3, 2.0, 4.0, 2.0]


def test_small_groups_are_left_out_everywhere(client, sk, program):
    people(program, 2)
    client.force_login(sk["coordinator"])
    html = client.get(url(program)).content.decode()
    assert "Fewer than 3 people rated both moments" in html
    text = b"".join(client.get(url(program, "csv")).streaming_content).decode()
    assert "Fewer than 3 people rated both moments" in text and "2.0" not in text.split("Skill,People")[1]


def test_a_formula_in_a_skill_name_is_neutralised(client, sk, program):
    skill = sk["skills"][0]
    skill.name = "=HYPERLINK(1)"
    skill.save()
    people(program, 3)
    client.force_login(sk["coordinator"])
    text = b"".join(client.get(url(program, "csv")).streaming_content).decode()
    assert "'=HYPERLINK(1)" in text


def test_other_coordinators_get_404(client, sk, program):
    client.force_login(sk["other_coordinator"])
    assert client.get(url(program)).status_code == 404
    assert client.get(url(program, "csv")).status_code == 404


def test_report_queries_do_not_grow_with_people(client, sk, program):
    client.force_login(sk["coordinator"])

    def count(export=None):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(program, export))
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(ctx)

    people(program, 5)
    count(), count("csv")
    small, small_csv = count(), count("csv")
    people(program, 45)
    assert count() == small
    assert count("csv") == small_csv
