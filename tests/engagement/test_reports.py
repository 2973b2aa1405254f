"""Program reports: access (coordinators of that program only), figures, exports, privacy, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.factories import EnrolmentFactory, KeyResultFactory, ObjectiveFactory, UserFactory, active_mentorship
from tests.factories.engagement import FeedbackFactory, MentoringSessionFactory, OutcomeFactory, at
from wagtail_mentoring.models import CheckIn
from wagtail_mentoring.reports.charts import bar_chart
from wagtail_mentoring.reports.metrics import program_report
from wagtail_mentoring.snippets.services import record_check_in

pytestmark = pytest.mark.django_db

SECRET = "TOP-SECRET-NOTE"


def url(program, export=None):
    return f"/admin/mentoring/reports/{program.pk}/" + (f"?export={export}" if export else "")


@pytest.fixture
def history(admin_coordinator, program, pairing_kr):
    roles = admin_coordinator
    m = roles["mentorship"]
    MentoringSessionFactory(mentorship=m, date=at(dt.date(2026, 2, 1)), notes=SECRET, agenda=SECRET, next_steps=SECRET)
    record_check_in(pairing_kr, roles["mentee"], 7, note=SECRET, created_at=at(dt.date(2026, 2, 5)))
    FeedbackFactory(
        mentorship=m,
        program=program,
        author=roles["mentee"],
        kind="pairing_check",
        rating=2,
        nps=3,
        comment="mentee-comment",
    )
    FeedbackFactory(mentorship=m, program=program, author=roles["mentor"], kind="pairing_check", rating=5, nps=10)
    OutcomeFactory(mentorship=m, kind="promoted")
    EnrolmentFactory(program=program, user=roles["mentee"], role="mentee", status="accepted")
    EnrolmentFactory(program=program, user=UserFactory(), role="mentee", status="accepted")
    return roles


class TestAccess:
    def test_coordinator_of_the_program(self, client, history, program):
        client.force_login(history["coordinator"])
        response = client.get(url(program))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Leadership mentoring" in html
        assert "<svg" in html and "<title" in html and "<table>" in html
        assert SECRET not in html

    def test_index_lists_only_coordinated_programs(self, client, history, program, other_program):
        client.force_login(history["coordinator"])
        html = client.get("/admin/mentoring/reports/", follow=True).content.decode()
        assert program.title in html and other_program.title not in html


class TestExport:
    def test_csv_has_pairs_and_no_notes(self, client, history, program):
        client.force_login(history["coordinator"])
        response = client.get(url(program, "csv"))
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
        header, row = body.strip().splitlines()[:2]
        assert header.startswith("Mentor,Mentee,Status")
        assert "mentor" in row and "mentee" in row and ",1," in row
        assert SECRET not in body

    def test_xlsx(self, client, history, program):
        import io

        from openpyxl import load_workbook

        client.force_login(history["coordinator"])
        response = client.get(url(program, "xlsx"))
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0][:3] == ["Mentor", "Mentee", "Status"]
        assert len(values) == 2
        assert all(SECRET not in str(v) for row in values for v in row)


class TestFigures:
    def test_metrics(self, history, program):
        report = program_report(program, dt.date(2026, 2, 10))
        assert report.active_pairs == 1
        assert report.mentees_accepted == 2 and report.mentees_matched == 1 and report.match_rate == 50.0
        assert report.sessions_total == 1 and report.sessions_per_pair == 1.0
        assert report.average_grade == 0.7
        assert report.promotion_rate == 100.0
        assert report.cadence_kept == 100.0
        # Anonymous: the pair's two pairing checks are fewer than the minimum for their kind and month.
        assert report.average_rating is None and report.nps_responses == 0 and report.responses_withheld == 2
        program.anonymous_feedback = False
        report = program_report(program, dt.date(2026, 2, 10))
        assert report.average_rating == 3.5
        assert report.nps == 0.0 and report.nps_responses == 2

    def test_anonymous_program_never_attributes_comments(self, client, history, program):
        client.force_login(history["coordinator"])
        html = client.get(url(program)).content.decode()
        assert "mentee-comment" not in html  # fewer than ANONYMITY_MIN_RESPONSES comments: hidden
        assert "Too few comments" in html
        program.anonymous_feedback = False
        program.save()
        html = client.get(url(program)).content.decode()
        assert "mentee-comment" in html and "(mentee)" in html

    def test_stalled(self, history, program):
        report = program_report(program, dt.date(2026, 6, 1))
        assert report.stalled_pairs == 1


def _add_pairs(program, n):
    for _i in range(n):
        m = active_mentorship(program=program)
        MentoringSessionFactory(mentorship=m, date=at(dt.date(2026, 2, 1)))
        objective = ObjectiveFactory(owner=m.mentee, mentorship=m)
        kr = KeyResultFactory(objective=objective)
        CheckIn.objects.create(key_result=kr, author=m.mentee, value=3)
        FeedbackFactory(mentorship=m, program=program, author=m.mentee, kind="session", rating=4, nps=8)
        OutcomeFactory(mentorship=m, kind="retained")


def test_report_queries_do_not_grow_with_pairs(client, admin_coordinator, program):
    client.force_login(admin_coordinator["coordinator"])

    def count(export=None):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(program, export))
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(ctx)

    _add_pairs(program, 4)  # 5 pairs with the fixture's
    count(), count("csv")  # warm up per-process caches (site, locale)
    small, small_csv = count(), count("csv")
    _add_pairs(program, 45)  # 50 pairs
    assert count() == small
    assert count("csv") == small_csv


def test_rates_are_said_alike_in_the_figures_and_the_chart(client, history, program):
    """A rate is one number wherever the report shows it: "50%" in the figures and in the chart's text
    alternative (not "50.0%" beside "50%"), localised in Italian ("66,7%")."""
    client.force_login(history["coordinator"])
    report = program_report(program)
    assert report.match_rate == 50.0  # one of the two accepted mentees is paired
    html = client.get(url(program)).content.decode()
    assert "50.0%" not in html
    assert html.count("50%") >= 2  # the match rate in the figures and in the chart's table

    with translation.override("it"):
        chart = str(bar_chart("c", "Tassi", [("Abbinamento", 66.7), ("Sessioni", 3.0)], unit="%").render())
    assert "66,7%" in chart and "3%" in chart
    words = str(bar_chart("c", "Sessions", [("Pairs", 3.0)], unit="sessions").render())
    assert "3 sessions" in words  # a word unit after a space, a sign attached
