"""Editor-built surveys (``SurveyPage``): extra questions after the fixed ones, the mid-point and
before-launch moments, access (404 / login redirect), bad input and the schedule's query count."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from tests.factories import EnrolmentFactory, UserFactory, active_mentorship
from tests.factories.engagement import at
from wagtail_mentoring.models import Feedback, MentoringProgramPage, SurveyFormField, SurveyPage
from wagtail_mentoring.notifications.rules import SurveyDueRule
from wagtail_mentoring.programs.services import submit_feedback
from wagtail_mentoring.surveys.scheduling import due_surveys, midpoint

pytestmark = pytest.mark.django_db


def add_survey(program, moment, live=True, title=None):
    """A survey page under ``program`` with a choice, a number and a free-text question."""
    page = SurveyPage(
        title=title or f"{moment} survey",
        moment=moment,
        live=live,
        form_fields=[
            SurveyFormField(label="Most useful topic", field_type="radio", choices="Career\nSkills\nNetwork"),
            SurveyFormField(label="Hours per month", field_type="number", required=False),
            SurveyFormField(label="What should change", field_type="multiline", required=False),
        ],
    )
    program.add_child(instance=page)
    if not live:
        page.unpublish()
    return page


def url(kind, pk):
    return f"/mentoring-app/surveys/{kind}/{pk}/"


def set_start(program, start):
    MentoringProgramPage.objects.filter(pk=program.pk).update(start_date=start)
    program.refresh_from_db()


ANSWERS = {"rating": "4", "nps": "9", "q-most_useful_topic": "Skills", "q-hours_per_month": "3"}


class TestAnswerForm:
    def test_extra_questions_follow_the_fixed_ones_and_are_stored(self, client, roles, program):
        survey = add_survey(program, "midpoint")
        client.force_login(roles["mentee"])
        page = client.get(url("midpoint", roles["mentorship"].pk)).content.decode()
        assert page.index('name="rating"') < page.index('name="q-most_useful_topic"')
        assert '<label for="id_q-hours_per_month">' in page
        assert client.post(url("midpoint", roles["mentorship"].pk), ANSWERS).status_code == 302
        fb = Feedback.objects.get()
        assert (fb.kind, fb.rating, fb.nps, fb.survey_id) == ("midpoint", 4, 9, survey.pk)
        assert fb.answers == {"most_useful_topic": "Skills", "hours_per_month": "3", "what_should_change": ""}

    def test_without_a_survey_only_the_fixed_questions(self, client, roles, program):
        add_survey(program, "closing")  # another moment
        add_survey(program, "pairing_check", live=False)  # a draft
        client.force_login(roles["mentee"])
        assert b"q-most_useful_topic" not in client.get(url("pairing", roles["mentorship"].pk)).content
        assert client.post(url("pairing", roles["mentorship"].pk), {"rating": "5"}).status_code == 302
        fb = Feedback.objects.get()
        assert fb.survey is None and fb.answers == {}

    @pytest.mark.parametrize(
        "data, errors",
        [
            ({"rating": "4"}, {"most_useful_topic"}),  # a required extra question left out
            ({"rating": "4", "q-most_useful_topic": "Gossip"}, {"most_useful_topic"}),  # not a choice
            ({"rating": "4", "q-most_useful_topic": "Skills", "q-hours_per_month": "many"}, {"hours_per_month"}),
        ],
    )
    def test_bad_extra_answers_are_form_errors_and_write_nothing(self, client, roles, program, data, errors):
        add_survey(program, "midpoint")
        client.force_login(roles["mentor"])
        response = client.post(url("midpoint", roles["mentorship"].pk), data)
        assert response.status_code == 200
        assert set(response.context["extra_form"].errors) == errors
        assert 'role="alert"' in response.content.decode()
        assert not Feedback.objects.exists()

    def test_a_bad_rating_writes_nothing_even_with_good_extra_answers(self, client, roles, program):
        add_survey(program, "midpoint")
        client.force_login(roles["mentor"])
        response = client.post(url("midpoint", roles["mentorship"].pk), {**ANSWERS, "rating": "9"})
        assert response.status_code == 200 and "rating" in response.context["form"].errors
        assert not Feedback.objects.exists()

    def test_midpoint_once(self, client, roles, program):
        client.force_login(roles["mentee"])
        assert client.post(url("midpoint", roles["mentorship"].pk), {"rating": "3"}).status_code == 302
        again = client.post(url("midpoint", roles["mentorship"].pk), {"rating": "3"})
        assert "already answered" in again.content.decode()
        assert Feedback.objects.count() == 1

    @pytest.mark.parametrize("name", ["coordinator", "other_mentee", "other_mentor", "employee", "superuser"])
    def test_only_the_pair_answers_the_midpoint(self, client, roles, program, name):
        add_survey(program, "midpoint")
        client.force_login(roles[name])
        assert client.get(url("midpoint", roles["mentorship"].pk)).status_code == 404
        assert client.post(url("midpoint", roles["mentorship"].pk), ANSWERS).status_code == 404
        assert not Feedback.objects.exists()

    def test_anonymous_is_sent_to_log_in(self, client, roles, program):
        add_survey(program, "before_launch")
        for path in (url("midpoint", roles["mentorship"].pk), url("before-launch", program.pk)):
            response = client.get(path)
            assert response.status_code == 302 and "login" in response["Location"]

    def test_another_programs_survey_never_applies(self, client, roles, program, other_program):
        add_survey(other_program, "midpoint")
        client.force_login(roles["mentee"])
        assert b"q-most_useful_topic" not in client.get(url("midpoint", roles["mentorship"].pk)).content
        client.force_login(roles["other_mentee"])
        assert b"q-most_useful_topic" in client.get(url("midpoint", roles["other_mentorship"].pk)).content
        assert client.get(url("midpoint", roles["mentorship"].pk)).status_code == 404


class TestBeforeLaunch:
    @pytest.fixture
    def upcoming(self, program):
        set_start(program, timezone.localdate() + dt.timedelta(days=10))
        return program

    def test_any_active_employee_answers_once(self, client, roles, upcoming):
        survey = add_survey(upcoming, "before_launch")
        client.force_login(roles["employee"])  # not enrolled
        assert client.get(url("before-launch", upcoming.pk)).status_code == 200
        assert client.post(url("before-launch", upcoming.pk), ANSWERS).status_code == 302
        fb = Feedback.objects.get()
        assert (fb.kind, fb.program, fb.mentorship, fb.survey) == ("before_launch", upcoming, None, survey)
        again = client.post(url("before-launch", upcoming.pk), ANSWERS)
        assert "already answered" in again.content.decode() and Feedback.objects.count() == 1

    def test_closed_from_the_start_date(self, client, roles, upcoming):
        add_survey(upcoming, "before_launch")
        set_start(upcoming, timezone.localdate())
        client.force_login(roles["employee"])
        assert client.get(url("before-launch", upcoming.pk)).status_code == 404
        with pytest.raises(ValidationError) as exc:
            submit_feedback(roles["employee"], "before_launch", program=upcoming, rating=4)
        assert "program" in exc.value.message_dict
        assert not Feedback.objects.exists()

    def test_needs_a_published_survey_and_an_active_user(self, client, roles, upcoming, other_program):
        add_survey(upcoming, "before_launch", live=False)
        client.force_login(roles["employee"])
        assert client.get(url("before-launch", upcoming.pk)).status_code == 404
        add_survey(upcoming, "before_launch", title="Published")
        assert client.get(url("before-launch", upcoming.pk)).status_code == 200
        assert client.get(url("before-launch", other_program.pk)).status_code == 404
        client.force_login(roles["inactive"])
        assert client.get(url("before-launch", upcoming.pk)).status_code in (302, 404)
        assert not Feedback.objects.exists()

    def test_program_page_invites_employees(self, client, roles, upcoming):
        add_survey(upcoming, "before_launch")
        assert "Tell us what you need" not in client.get(upcoming.url).content.decode()
        client.force_login(roles["employee"])
        html = client.get(upcoming.url).content.decode()
        assert "Tell us what you need" in html and url("before-launch", upcoming.pk) in html
        submit_feedback(roles["employee"], "before_launch", program=upcoming, rating=5, answers=ANSWERS_RAW)
        assert "Tell us what you need" not in client.get(upcoming.url).content.decode()


ANSWERS_RAW = {"most_useful_topic": "Network"}


class TestService:
    def test_answers_without_a_survey_are_refused(self, roles):
        with pytest.raises(ValidationError) as exc:
            submit_feedback(
                roles["mentee"], "pairing_check", mentorship=roles["mentorship"], rating=4, answers={"x": 1}
            )
        assert "answers" in exc.value.message_dict
        assert not Feedback.objects.exists()

    def test_unknown_and_missing_questions_are_refused(self, roles, program):
        add_survey(program, "pairing_check")
        for answers in ({"nope": "1", "most_useful_topic": "Skills"}, {}, None, ["Skills"]):
            with pytest.raises(ValidationError) as exc:
                submit_feedback(
                    roles["mentee"], "pairing_check", mentorship=roles["mentorship"], rating=4, answers=answers
                )
            assert "answers" in exc.value.message_dict
        assert not Feedback.objects.exists()

    def test_the_form_builders_form_cleans_the_answers(self, roles, program):
        add_survey(program, "session")
        fb = submit_feedback(
            roles["mentee"],
            "pairing_check",
            mentorship=roles["mentorship"],
            rating=4,
        )
        assert fb.survey is None
        add_survey(program, "pairing_check")
        fb = submit_feedback(
            roles["mentor"],
            "pairing_check",
            mentorship=roles["mentorship"],
            rating=4,
            answers={"most_useful_topic": "Career", "hours_per_month": "2.5"},
        )
        assert fb.answers["most_useful_topic"] == "Career" and fb.answers["hours_per_month"] == "2.5"


class TestSchedule:
    def test_midpoint(self):
        assert midpoint(dt.date(2026, 1, 15), dt.date(2026, 12, 31)) == dt.date(2026, 7, 9)
        assert midpoint(dt.date(2026, 5, 1), dt.date(2026, 4, 1)) == dt.date(2026, 5, 1)

    def test_midpoint_due_from_halfway_once_when_published(self, roles, program):
        def kinds(user, on):
            return [s.kind for s in due_surveys(on, user=user) if s.kind == "midpoint"]

        assert kinds(roles["mentee"], dt.date(2026, 7, 9)) == []  # no mid-point survey published
        add_survey(program, "midpoint")
        assert kinds(roles["mentee"], dt.date(2026, 7, 8)) == []
        assert kinds(roles["mentee"], dt.date(2026, 7, 9)) == ["midpoint"]
        assert kinds(roles["coordinator"], dt.date(2026, 7, 9)) == []
        due = [s for s in due_surveys(dt.date(2026, 7, 9)) if s.kind == "midpoint"]
        assert {s.user_id for s in due} == {roles["mentee"].pk, roles["mentor"].pk}
        assert due[0].url == url("midpoint", roles["mentorship"].pk)
        submit_feedback(roles["mentee"], "midpoint", mentorship=roles["mentorship"], rating=4, answers=ANSWERS_RAW)
        assert kinds(roles["mentee"], dt.date(2026, 7, 10)) == []
        assert kinds(roles["mentor"], dt.date(2026, 7, 10)) == ["midpoint"]

    def test_before_launch_due_to_the_employee_until_the_start(self, roles, program):
        today = timezone.localdate()
        set_start(program, today + dt.timedelta(days=3))
        add_survey(program, "before_launch")
        due = [s for s in due_surveys(today, user=roles["employee"]) if s.kind == "before_launch"]
        assert [(s.program_id, s.url) for s in due] == [(program.pk, url("before-launch", program.pk))]
        assert not [s for s in due_surveys(today) if s.kind == "before_launch"]  # never e-mailed to everyone
        assert not [s for s in due_surveys(today, user=roles["inactive"]) if s.kind == "before_launch"]
        later = today + dt.timedelta(days=3)
        assert not [s for s in due_surveys(later, user=roles["employee"]) if s.kind == "before_launch"]

    def test_queries_do_not_grow_with_pairs(self, roles, program):
        add_survey(program, "midpoint")
        on = dt.date(2026, 7, 10)

        def count():
            with CaptureQueriesContext(connection) as ctx:
                everyone = due_surveys(on)
                one = due_surveys(on, user=roles["employee"])
            return len(ctx), len(everyone), len(one)

        def grow(n):
            for _i in range(n):
                active_mentorship(program=program)
                EnrolmentFactory(program=program, user=UserFactory(), role="mentee", status="accepted")

        grow(5)
        small = count()
        grow(45)
        large = count()
        assert small[0] == large[0] <= 24
        assert large[1] > small[1]


class TestSurveyPage:
    def test_only_under_a_program(self, program, program_index):
        assert SurveyPage.can_create_at(program)
        assert not SurveyPage.can_create_at(program_index)

    def test_describes_itself_and_takes_no_answers(self, client, roles, program):
        set_start(program, timezone.localdate() + dt.timedelta(days=5))
        before = add_survey(program, "before_launch")
        midway = add_survey(program, "midpoint")
        client.force_login(roles["employee"])
        html = client.get(before.url).content.decode()
        assert f'href="{url("before-launch", program.pk)}"' in html
        assert "from their mentoring to-dos" in client.get(midway.url).content.decode()
        assert client.post(before.url, ANSWERS).status_code == 405
        assert not Feedback.objects.exists()

    def test_editors_preview_the_questions(self, program):
        survey = add_survey(program, "midpoint")
        html = survey.make_preview_request(preview_mode="form").render().content.decode()
        assert "Extra questions (preview)" in html and '<label for="id_hours_per_month">' in html


def test_before_launch_follows_page_privacy(client, roles, program):
    set_start(program, timezone.localdate() + dt.timedelta(days=5))
    add_survey(program, "before_launch")
    insiders = Group.objects.create(name="insiders")
    restriction = PageViewRestriction.objects.create(page=program, restriction_type="groups")
    restriction.groups.add(insiders)
    client.force_login(roles["employee"])
    assert client.get(url("before-launch", program.pk)).status_code == 404
    assert not [s for s in due_surveys(user=roles["employee"]) if s.kind == "before_launch"]
    roles["employee"].groups.add(insiders)
    assert client.get(url("before-launch", program.pk)).status_code == 200


def test_midpoint_reminder_and_never_before_launch(roles, program):
    add_survey(program, "midpoint")
    set_start(program, dt.date(2026, 1, 1))
    add_survey(program, "before_launch")
    reminders = list(SurveyDueRule().due(at(dt.date(2026, 7, 10))))
    midpoint_users = {r.user_id for r in reminders if r.subject_key.startswith("midpoint:")}
    assert midpoint_users == {roles["mentee"].pk, roles["mentor"].pk}
    assert not [r for r in reminders if r.subject_key.startswith("before_launch:")]


def test_survey_pages_stay_out_of_wagtails_forms_listing(client, roles, program):
    """Answers are feedback, read in the program report: the "Forms" listing neither lists a survey page nor
    opens its "submissions"."""
    from django.contrib.auth.models import Permission

    survey = add_survey(program, "pairing_check")
    client.force_login(roles["superuser"])
    listing = client.get("/admin/forms/")
    assert listing.status_code == 200 and survey.title not in listing.content.decode()
    refused = client.get(f"/admin/forms/submissions/{survey.pk}/")  # Wagtail's permission denial: back home
    assert refused.status_code in (302, 403, 404) and refused.get("Location", "/admin/") == "/admin/"
    editor = roles["editor"]
    editor.user_permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    client.force_login(editor)
    assert survey.title not in client.get("/admin/forms/").content.decode()


def test_before_launch_asks_expectations_and_stays_out_of_satisfaction(client, roles, program):
    """A before-launch answer rates what people expect: no NPS question, and neither the program report's
    satisfaction and NPS nor the coordinator's low scores count it (``Feedback.SATISFACTION_KINDS``)."""
    from wagtail_mentoring.reports.metrics import low_score, program_report

    set_start(program, timezone.localdate() + dt.timedelta(days=30))
    add_survey(program, "before_launch")
    client.force_login(roles["employee"])
    page = client.get(url("before-launch", program.pk)).content.decode()
    assert "How much do you expect the program to help you?" in page and "recommend" not in page
    response = client.post(url("before-launch", program.pk), {**ANSWERS, "rating": "1", "nps": "0"})
    assert response.status_code == 302
    answer = Feedback.objects.get(kind="before_launch")
    assert answer.rating == 1 and answer.nps is None
    report = program_report(program)
    assert report.average_rating is None and report.nps is None
    assert not Feedback.objects.filter(low_score()).exists()
