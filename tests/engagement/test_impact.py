"""Impact across programs: access, the figures (same rules as the program report), anonymity of satisfaction,
NPS and the baseline, bad filter input, exports, cohorts and query counts."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import EnrolmentFactory, MentoringProgramPageFactory, UserFactory, active_mentorship
from tests.factories.engagement import FeedbackFactory, OutcomeFactory
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.models import MentoringProfile
from wagtail_mentoring.reports.impact import baseline_users, compare_with_baseline, impact_report
from wagtail_mentoring.reports.metrics import program_report

pytestmark = pytest.mark.django_db

URL = "/admin/mentoring/impact/"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def world(admin_coordinator, program, other_program):
    roles = admin_coordinator
    program.start_date = dt.date(2026, 1, 10)
    program.anonymous_feedback = False
    program.save()
    other_program.start_date = dt.date(2025, 10, 1)
    other_program.save()
    m = roles["mentorship"]
    EnrolmentFactory(
        program=program,
        user=roles["mentee"],
        status="accepted",
        reviewed_at=timezone.make_aware(dt.datetime(2026, 1, 5, 12)),
    )
    EnrolmentFactory(program=program, user=UserFactory(), status="accepted")
    FeedbackFactory(mentorship=m, program=program, author=roles["mentee"], kind="pairing_check", rating=2, nps=3)
    FeedbackFactory(mentorship=m, program=program, author=roles["mentor"], kind="pairing_check", rating=5, nps=10)
    OutcomeFactory(mentorship=m, kind="promoted")
    return roles


class TestAccess:
    def test_anonymous_is_redirected_to_login(self, client, world):
        response = client.get(URL)
        assert response.status_code == 302 and "/login/" in response["Location"]

    @pytest.mark.parametrize("name", ["editor", "employee", "mentee", "mentor"])
    def test_non_coordinators_get_404(self, client, world, name):
        client.force_login(world[name])
        assert client.get(URL).status_code == 404
        assert client.get(URL + "?export=csv").status_code == 404

    def test_coordinator_sees_only_their_programs(self, client, world, program, other_program):
        client.force_login(world["coordinator"])
        response = client.get(URL)
        assert response.status_code == 200
        html = response.content.decode()
        assert program.title in html and other_program.title not in html
        assert "not measured" in html and "<svg" in html

    def test_another_programs_id_is_never_shown(self, client, world, program, other_program):
        client.force_login(world["coordinator"])
        response = client.get(URL, {"programs": other_program.pk})
        assert response.status_code == 200
        html = response.content.decode()
        assert other_program.title not in html
        assert 'role="alert"' in html  # a form error, and the report over the user's own programs
        csv = body(client.get(URL, {"programs": other_program.pk, "export": "csv"})).decode()
        assert other_program.title not in csv and program.title in csv

    def test_menu_item_for_coordinators_only(self, client, world):
        client.force_login(world["coordinator"])
        assert URL in client.get("/admin/").content.decode()
        client.force_login(world["editor"])
        assert URL not in client.get("/admin/").content.decode()

    def test_superuser_sees_every_program(self, client, world, program, other_program):
        client.force_login(world["superuser"])
        html = client.get(URL).content.decode()
        assert program.title in html and other_program.title in html


class TestFigures:
    def test_rows_agree_with_the_program_report(self, world, program):
        report = impact_report(type(program).objects.filter(pk=program.pk), dt.date(2026, 2, 10))
        row, one = report.rows[0], program_report(program, dt.date(2026, 2, 10))
        assert row.match_rate == one.match_rate == 50.0
        assert row.average_rating == one.average_rating == 3.5
        assert row.nps == one.nps == 0.0 and row.nps_responses == 2
        assert row.promotion_rate == one.promotion_rate == 100.0
        assert row.retention_rate == one.retention_rate == 100.0
        assert row.cadence_kept == one.cadence_kept
        assert row.median_days_to_match == 10  # accepted on 5 January, paired on 15 January
        assert row.skill_change is None
        assert row.participants == 3  # mentor, mentee and the accepted mentee still unmatched

    def test_anonymous_program_withholds_small_groups(self, world, program):
        program.anonymous_feedback = True
        program.save()
        report = impact_report(type(program).objects.filter(pk=program.pk), dt.date(2026, 2, 10))
        assert report.rows[0].average_rating is None and report.rows[0].nps is None
        assert report.rows[0].responses_withheld == 2
        # A third answer of the same survey and month reaches the minimum (3): all three count.
        FeedbackFactory(
            mentorship=world["mentorship"], program=program, author=UserFactory(), kind="pairing_check", rating=5, nps=9
        )
        report = impact_report(type(program).objects.filter(pk=program.pk), dt.date(2026, 2, 10))
        assert report.rows[0].average_rating == 4.0 and report.rows[0].responses_withheld == 0

    def test_cohorts_oldest_first_and_total(self, world, program, other_program):
        programs = type(program).objects.filter(pk__in=[program.pk, other_program.pk])
        report = impact_report(programs, dt.date(2026, 2, 10))
        assert [c.label for c in report.cohorts] == ["2025 Q4", "2026 Q1"]
        assert report.total.participants == 5 and report.total.programs == 2

    def test_page_shows_cohorts_and_escapes_titles(self, client, world, program):
        program.title = "<b>=cmd|' /C calc'!A0</b>"
        program.save()
        client.force_login(world["coordinator"])
        html = client.get(URL).content.decode()
        assert "Cohorts over time" in html and "2026 Q1" in html
        assert "<b>=cmd" not in html


class TestBaseline:
    def make_group(self, n):
        group = Group.objects.create(name="sales")
        people = [UserFactory() for _ in range(n)]
        for person in people:
            person.groups.add(group)
        return group, people

    def test_participants_are_left_out_and_outcomes_counted(self, world, program):
        group, people = self.make_group(4)
        world["mentee"].groups.add(group)  # a participant: not in the baseline
        people[0].is_active = False
        people[0].save()
        OutcomeFactory(user=people[1], kind="promoted")
        programs = type(program).objects.filter(pk=program.pk)
        baseline = baseline_users(group=group)
        assert set(baseline.values_list("pk", flat=True)) == {p.pk for p in people}
        comparison = compare_with_baseline(programs, baseline)
        assert comparison.baseline_shown and comparison.baseline == 4
        assert comparison.baseline_retention == 75.0 and comparison.baseline_promotion == 25.0
        assert comparison.participants == 1 and comparison.participant_promotion == 100.0

    def test_the_same_people_whichever_programs_are_shown(self, world, program, other_program):
        """Everyone who took part in any program is left out, so choosing other programs cannot move one person
        in or out of the baseline (two reports subtracted would give that person's figures)."""
        group, people = self.make_group(4)
        world["other_mentee"].groups.add(group)  # took part in the other program only
        Program = type(program)
        for shown in (
            Program.objects.filter(pk=program.pk),
            Program.objects.filter(pk__in=[program.pk, other_program.pk]),
        ):
            baseline = baseline_users(group=group)
            assert set(baseline.values_list("pk", flat=True)) == {p.pk for p in people}
            assert compare_with_baseline(shown, baseline).baseline == 4

    def test_a_group_and_an_attribute_together_are_refused(self, client, world):
        group, _people = self.make_group(6)
        client.force_login(world["coordinator"])
        response = client.get(URL, {"group": group.pk, "attribute": "department", "value": "Finance"})
        html = response.content.decode()
        assert response.status_code == 200 and 'role="alert"' in html
        assert "not both" in html and "Retention: baseline" not in html
        with pytest.raises(ValueError):
            baseline_users(group=group, attribute="department", value="Finance")

    def test_small_baseline_is_not_shown(self, client, world, program):
        group, _people = self.make_group(2)
        client.force_login(world["coordinator"])
        html = client.get(URL, {"group": group.pk}).content.decode()
        assert "fewer than 3" in html and "Retention: baseline" not in html

    def test_by_profile_attribute(self, client, world, program):
        people = [UserFactory() for _ in range(3)]
        for person in people:
            MentoringProfile.objects.create(user=person, department="Finance")
        client.force_login(world["coordinator"])
        html = client.get(URL, {"attribute": "department", "value": "finance"}).content.decode()
        assert "Baseline (non-participants)" in html and "Retention: baseline" in html

    @pytest.mark.parametrize(
        "query",
        [
            {"attribute": "department"},
            {"value": "Finance"},
            {"attribute": "password", "value": "x"},
            {"group": "not-a-number"},
            {"group": "999999"},
            {"programs": "abc"},
        ],
    )
    def test_bad_input_is_a_form_error(self, client, world, query):
        client.force_login(world["coordinator"])
        response = client.get(URL, query)
        assert response.status_code == 200
        assert 'role="alert"' in response.content.decode()


class TestExport:
    def test_csv_rows_and_total(self, client, world, program):
        client.force_login(world["coordinator"])
        response = client.get(URL, {"export": "csv"})
        assert response.status_code == 200
        lines = body(response).decode().strip().splitlines()
        assert lines[0].startswith("Program,Participants,Match rate (%)")
        assert len(lines) == 3 and lines[1].startswith(program.title) and lines[2].startswith("Total")

    def test_xlsx_neutralises_formulas(self, client, world, program):
        from openpyxl import load_workbook

        program.title = "=HYPERLINK(1)"
        program.save()
        client.force_login(world["coordinator"])
        response = client.get(URL, {"export": "xlsx"})
        sheet = load_workbook(io.BytesIO(body(response))).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[1][0] == "'=HYPERLINK(1)"


def add_programs(parent, coordinators, n, start):
    for i in range(n):
        p = MentoringProgramPageFactory(
            parent=parent, title=f"P{start + i}", slug=f"p{start + i}", coordinators=coordinators
        )
        p.start_date = dt.date(2024 + i % 3, 1 + (i % 12), 1)
        p.save()
        m = active_mentorship(program=p, mentor=UserFactory(), mentee=UserFactory())
        EnrolmentFactory(program=p, user=m.mentee, status="accepted", reviewed_at=timezone.now())
        FeedbackFactory(mentorship=m, program=p, author=m.mentee, kind="session", rating=4, nps=9)
        OutcomeFactory(mentorship=m, kind="left")


def test_queries_constant_in_programs_and_pairs(client, world, program):
    client.force_login(world["coordinator"])
    group = Group.objects.create(name="baseline")
    query = {"group": group.pk}
    add_programs(program.get_parent(), program.coordinators, 4, 0)
    with CaptureQueriesContext(connection) as five:
        assert client.get(URL, query).status_code == 200
    add_programs(program.get_parent(), program.coordinators, 45, 100)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(URL, query)
    assert response.status_code == 200 and "P144" in response.content.decode()
    assert len(fifty) == len(five), [q["sql"] for q in fifty.captured_queries][len(five) :]


def test_baseline_queries_constant_in_people(client, world):
    client.force_login(world["coordinator"])
    group = Group.objects.create(name="many")

    def add(n):
        for _ in range(n):
            person = UserFactory()
            person.groups.add(group)
            OutcomeFactory(user=person, kind="promoted")

    add(5)
    with CaptureQueriesContext(connection) as five:
        assert "Retention: baseline" in client.get(URL, {"group": group.pk}).content.decode()
    add(45)
    with CaptureQueriesContext(connection) as fifty:
        html = client.get(URL, {"group": group.pk}).content.decode()
    assert "Retention: baseline" in html and "<td>50</td>" in html
    assert len(fifty) == len(five)


def test_skill_change_is_the_skills_reports_change_pooled(world, program, other_program):
    """The participants' self-rated change from the start to closing (``skills.metrics.program_skill_change``),
    weighted by the people counted per skill, pooled in the total; "not measured" without ratings."""
    from wagtail_mentoring.models import ProgramSkill, SkillRating
    from wagtail_mentoring.reports import impact

    programs = type(program).objects.filter(pk__in=[program.pk, other_program.pk])
    assert impact.impact_report(programs).total.skill_change is None
    minimum = mentoring_settings.ANONYMITY_MIN_RESPONSES
    feedback = ProgramSkill.objects.create(program=program, name="Feedback", sort_order=0)
    speaking = ProgramSkill.objects.create(program=program, name="Speaking", sort_order=1)
    rare = ProgramSkill.objects.create(program=other_program, name="Rare", sort_order=0)
    for _ in range(minimum):
        person = UserFactory()
        for skill, before, after in ((feedback, 2, 4), (speaking, 3, 4)):
            SkillRating.objects.create(skill=skill, subject=person, rater=person, moment="start", level=before)
            SkillRating.objects.create(skill=skill, subject=person, rater=person, moment="closing", level=after)
    # Fewer people than the minimum rated the other program's skill: it is left out, so "not measured".
    person = UserFactory()
    SkillRating.objects.create(skill=rare, subject=person, rater=person, moment="start", level=1)
    SkillRating.objects.create(skill=rare, subject=person, rater=person, moment="closing", level=5)
    report = impact.impact_report(programs)
    by_change = sorted(row.skill_change for row in report.rows if row.skill_change is not None)
    assert by_change == [1.5]
    assert [row.skill_change for row in report.rows].count(None) == 1
    assert report.total.skill_change == 1.5
