"""Editor-built survey results in the program report, its CSV/XLSX export and the API: aggregates only,
anonymity thresholds (``ANONYMITY_MIN_RESPONSES``), no author or date in an anonymous program."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.engagement.test_editor_surveys import add_survey
from tests.factories import UserFactory
from tests.factories.engagement import FeedbackFactory
from wagtail_mentoring.models import Feedback
from wagtail_mentoring.reports.metrics import program_report
from wagtail_mentoring.surveys.results import Question, aggregate

pytestmark = pytest.mark.django_db

SECRET_TEXT = "only-one-person-wrote-this"


def report_url(program, export=None):
    return f"/admin/mentoring/reports/{program.pk}/" + (f"?export={export}" if export else "")


def surveys_url(program, export="csv"):
    return f"/admin/mentoring/reports/{program.pk}/surveys/" + (f"?export={export}" if export else "")


def body(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def answer(survey, program, author, topic="Skills", hours="4", text=""):
    return FeedbackFactory(
        program=program,
        author=author,
        kind=survey.moment,
        rating=4,
        survey=survey,
        answers={"most_useful_topic": topic, "hours_per_month": hours, "what_should_change": text},
    )


@pytest.fixture
def survey(program):
    return add_survey(program, "program")


def test_aggregate():
    questions = [
        Question("topic", "Topic", "radio", ("A", "B")),
        Question("hours", "Hours", "number"),
        Question("text", "Text", "multiline"),
        Question("tags", "Tags", "checkboxes", ("x", "y")),
    ]
    rows = [
        {"topic": "A", "hours": "2", "text": "zeta", "tags": ["x", "y"]},
        {"topic": "A", "hours": 4, "text": "alpha", "tags": ["x"]},
        {"topic": "", "hours": "", "text": ""},
    ]
    topic, hours, text, tags = aggregate(questions, rows)
    assert (topic.counts, topic.answered) == ([("A", 2), ("B", 0)], 2)
    assert (hours.average, hours.answered) == (3.0, 2)
    assert text.texts == ["alpha", "zeta"]  # sorted: the order tells nothing
    assert tags.counts == [("x", 2), ("y", 1)]


class TestReport:
    def test_anonymous_program_withholds_a_small_group(self, client, admin_coordinator, program, survey):
        roles = admin_coordinator
        assert program.anonymous_feedback
        roles["mentee"].first_name, roles["mentee"].last_name = "Zelda", "Quimby"
        roles["mentee"].save()
        answer(survey, program, roles["mentee"], text=SECRET_TEXT)
        answer(survey, program, roles["mentor"], topic="Career")
        client.force_login(roles["coordinator"])
        html = client.get(report_url(program)).content.decode()
        assert survey.title in html and "Too few answers" in html
        assert SECRET_TEXT not in html
        result = program_report(program).surveys[0]
        # Both answers fall in a kind-and-month group under the minimum: neither counts.
        assert (result.responses, result.shown, result.questions) == (0, False, [])
        rows = list(csv.reader(io.StringIO(body(client.get(surveys_url(program))))))
        assert len(rows) == 1  # the headings only
        answer(survey, program, UserFactory(), topic="Skills", hours="7")
        html = client.get(report_url(program)).content.decode()
        assert SECRET_TEXT in html and "Too few answers" not in html
        assert "Average 5.0 (3 answers)" in html
        section = html.split('id="surveys"')[1].split("<h2>")[0]
        assert "Quimby" not in section and "Zelda" not in section
        rows = list(csv.reader(io.StringIO(body(client.get(surveys_url(program))))))
        assert rows[0] == ["Survey", "Moment", "Question", "Answer", "Count or average"]
        assert [survey.title, "Program survey", "Most useful topic", "Skills", "2"] in rows
        assert [survey.title, "Program survey", "Hours per month", "Average", "5.0"] in rows
        assert any(SECRET_TEXT in row for row in rows)
        assert not any("2026-" in cell for row in rows for cell in row)  # no dates

    def test_named_program_shows_every_answer(self, admin_coordinator, program, survey):
        program.anonymous_feedback = False
        program.save()
        answer(survey, program, admin_coordinator["mentee"], text="just me")
        result = program_report(program).surveys[0]
        assert result.shown and result.questions[2].texts == ["just me"]

    def test_report_answers_obey_the_monthly_groups(self, admin_coordinator, program, survey):
        """An answer withheld by the kind-and-month rule is never counted in a survey either."""
        from django.utils import timezone

        for _i in range(3):
            answer(survey, program, UserFactory())
        old = answer(survey, program, UserFactory(), text=SECRET_TEXT)
        Feedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=70))
        result = program_report(program).surveys[0]
        assert result.responses == 3 and SECRET_TEXT not in result.questions[2].texts

    def test_export_access(self, client, admin_coordinator, program, survey):
        for name in ("other_coordinator", "mentee", "editor"):
            client.force_login(admin_coordinator[name])
            assert client.get(surveys_url(program)).status_code in (302, 404)
        client.logout()
        response = client.get(surveys_url(program))
        assert response.status_code == 302 and "login" in response["Location"]
        client.force_login(admin_coordinator["coordinator"])
        assert client.get(surveys_url(program, "xlsx")).status_code == 200
        response = client.get(surveys_url(program, None))
        assert response.status_code == 302 and response["Location"].endswith("#surveys")

    def test_export_neutralises_formulas(self, client, admin_coordinator, program):
        program.anonymous_feedback = False
        program.save()
        survey = add_survey(program, "program")
        answer(survey, program, admin_coordinator["mentee"], text="=HYPERLINK(1)")
        client.force_login(admin_coordinator["coordinator"])
        assert "'=HYPERLINK(1)" in body(client.get(surveys_url(program)))

    def test_queries_do_not_grow_with_answers(self, client, admin_coordinator, program, survey):
        client.force_login(admin_coordinator["coordinator"])

        def count():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(surveys_url(program)).status_code == 200
            return len(ctx)

        for _i in range(5):
            answer(survey, program, UserFactory())
        small = count()
        for _i in range(45):
            answer(survey, program, UserFactory())
        assert count() == small


class TestAPI:
    BASE = "/api/mentoring/v1/feedback/"

    def client_for(self, user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    def test_answers_through_the_api(self, roles, program):
        survey = add_survey(program, "midpoint")
        client = self.client_for(roles["mentee"])
        body = {"kind": "midpoint", "mentorship": roles["mentorship"].pk, "rating": 4}
        bad = client.post(self.BASE, {**body, "answers": {"most_useful_topic": "Gossip"}}, format="json")
        assert bad.status_code == 400 and "answers" in bad.json()
        assert not Feedback.objects.exists()
        good = client.post(self.BASE, {**body, "answers": {"most_useful_topic": "Network"}}, format="json")
        assert good.status_code == 201, good.content
        assert good.json()["survey"] == survey.pk
        assert good.json()["answers"]["most_useful_topic"] == "Network"
        # The author sees their own answers; a coordinator, the partner or another employee none.
        assert client.get(self.BASE).json()["results"][0]["answers"]["most_useful_topic"] == "Network"
        for name in ("coordinator", "mentor", "employee", "superuser"):
            listing = self.client_for(roles[name]).get(self.BASE).json()["results"]
            assert listing == []
            assert self.client_for(roles[name]).get(f"{self.BASE}{good.json()['id']}/").status_code == 404
