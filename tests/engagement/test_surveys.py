"""Survey scheduling and the answer forms (login required; the pair only; 404 otherwise)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import EnrolmentFactory
from tests.factories.engagement import FeedbackFactory, MentoringSessionFactory, at
from wagtail_mentoring.models import Feedback
from wagtail_mentoring.surveys.scheduling import due_surveys, pairing_check_window

pytestmark = pytest.mark.django_db


def kinds_for(user, on):
    return sorted((s.kind, s.period) for s in due_surveys(on, user=user))


def test_pairing_check_window():
    start = dt.date(2026, 1, 1)
    assert pairing_check_window(start, 30, dt.date(2026, 1, 30)) is None
    assert pairing_check_window(start, 30, dt.date(2026, 1, 31)) == dt.date(2026, 1, 31)
    assert pairing_check_window(start, 14, dt.date(2026, 2, 14)) == dt.date(2026, 2, 14)
    assert pairing_check_window(start, 14, dt.date(2026, 2, 13)) == dt.date(2026, 1, 31)


class TestScheduling:
    def test_session_rating_due_within_the_window(self, roles):
        session = MentoringSessionFactory(mentorship=roles["mentorship"], date=at(dt.date(2026, 3, 1)))
        assert ("session", f"session:{session.pk}") in kinds_for(roles["mentee"], dt.date(2026, 3, 8))
        assert ("session", f"session:{session.pk}") not in kinds_for(roles["mentee"], dt.date(2026, 3, 9))
        FeedbackFactory(mentorship=roles["mentorship"], session=session, author=roles["mentee"], kind="session")
        assert ("session", f"session:{session.pk}") not in kinds_for(roles["mentee"], dt.date(2026, 3, 2))
        assert ("session", f"session:{session.pk}") in kinds_for(roles["mentor"], dt.date(2026, 3, 2))
        assert kinds_for(roles["coordinator"], dt.date(2026, 3, 2)) == []

    def test_pairing_check_then_every_n_days(self, roles, program):
        program.pairing_check_days = 20
        program.save()
        assert ("pairing_check", "2026-02-14") in kinds_for(roles["mentee"], dt.date(2026, 2, 14))
        fb = FeedbackFactory(mentorship=roles["mentorship"], author=roles["mentee"], kind="pairing_check")
        Feedback.objects.filter(pk=fb.pk).update(created_at=at(dt.date(2026, 2, 14)))
        assert not any(k == "pairing_check" for k, _p in kinds_for(roles["mentee"], dt.date(2026, 3, 5)))
        assert ("pairing_check", "2026-03-06") in kinds_for(roles["mentee"], dt.date(2026, 3, 6))

    def test_closing_survey_after_the_end(self, roles):
        m = roles["mentorship"]
        m.status, m.ended_on = "completed", dt.date(2026, 6, 1)
        m.save()
        assert ("closing", "closing") in kinds_for(roles["mentor"], dt.date(2026, 6, 2))
        assert ("closing", "closing") not in kinds_for(roles["mentor"], dt.date(2026, 8, 1))
        FeedbackFactory(mentorship=m, author=roles["mentor"], kind="closing")
        assert ("closing", "closing") not in kinds_for(roles["mentor"], dt.date(2026, 6, 2))

    def test_program_survey_for_accepted_participants(self, roles, program):
        EnrolmentFactory(program=program, user=roles["mentee"], role="mentee", status="accepted")
        EnrolmentFactory(program=program, user=roles["employee"], role="mentee", status="declined")
        assert ("program", "2026-12-31") not in kinds_for(roles["mentee"], dt.date(2026, 12, 9))
        assert ("program", "2026-12-31") in kinds_for(roles["mentee"], dt.date(2026, 12, 10))
        assert kinds_for(roles["employee"], dt.date(2026, 12, 10)) == []

    def test_bulk_scheduling_runs_a_fixed_number_of_queries(self, roles, django_assert_max_num_queries):
        for i in range(5):
            MentoringSessionFactory(mentorship=roles["mentorship"], date=at(dt.date(2026, 3, 1 + i)))
        with django_assert_max_num_queries(8):
            due_surveys(dt.date(2026, 3, 6))


class TestAnswerForms:
    def url(self, kind, pk):
        return f"/mentoring-app/surveys/{kind}/{pk}/"

    @pytest.mark.parametrize(
        "name", ["coordinator", "other_mentee", "other_mentor", "editor", "employee", "superuser", "other_coordinator"]
    )
    def test_only_the_pair_may_answer(self, client, roles, name):
        client.force_login(roles[name])
        assert client.get(self.url("pairing", roles["mentorship"].pk)).status_code == 404
        assert client.post(self.url("pairing", roles["mentorship"].pk), {"rating": 5}).status_code == 404
        assert not Feedback.objects.exists()

    def test_mentee_answers_through_submit_feedback(self, client, roles):
        client.force_login(roles["mentee"])
        page = client.get(self.url("pairing", roles["mentorship"].pk))
        assert page.status_code == 200
        assert b'<label for="id_comment">' in page.content
        response = client.post(
            self.url("pairing", roles["mentorship"].pk), {"rating": "4", "nps": "9", "comment": "<b>great</b>"}
        )
        assert response.status_code == 302
        fb = Feedback.objects.get()
        assert (fb.kind, fb.rating, fb.nps, fb.author, fb.program) == (
            "pairing_check",
            4,
            9,
            roles["mentee"],
            roles["mentorship"].program,
        )

    def test_bad_input_is_a_form_error(self, client, roles):
        client.force_login(roles["mentor"])
        response = client.post(self.url("pairing", roles["mentorship"].pk), {"rating": "9", "nps": "11"})
        assert response.status_code == 200
        assert response.context["form"].errors.keys() == {"rating", "nps"}
        assert not Feedback.objects.exists()

    def test_session_rating_once(self, client, roles):
        session = MentoringSessionFactory(mentorship=roles["mentorship"], date=timezone.now())
        client.force_login(roles["mentor"])
        assert client.post(self.url("session", session.pk), {"rating": "5"}).status_code == 302
        second = client.post(self.url("session", session.pk), {"rating": "3"})
        assert second.status_code == 200 and "already answered" in second.content.decode()
        assert Feedback.objects.get().session == session
        assert b"TOP-SECRET-NOTE" not in client.get(self.url("session", session.pk)).content
        client.force_login(roles["coordinator"])
        assert client.get(self.url("session", session.pk)).status_code == 404

    def test_closing_survey_open_to_the_ex_mentor(self, client, roles):
        m = roles["mentorship"]
        m.status, m.ended_on = "ended", dt.date(2026, 5, 1)
        m.save()
        client.force_login(roles["mentor"])
        assert client.post(self.url("closing", m.pk), {"rating": "3"}).status_code == 302
        assert client.get(self.url("pairing", m.pk)).status_code == 404

    def test_program_survey_participants_only(self, client, roles, program):
        EnrolmentFactory(program=program, user=roles["mentee"], role="mentee", status="accepted")
        client.force_login(roles["employee"])
        assert client.get(self.url("program", program.pk)).status_code == 404
        client.force_login(roles["mentee"])
        assert client.post(self.url("program", program.pk), {"rating": "5", "nps": "10"}).status_code == 302
        fb = Feedback.objects.get()
        assert fb.program == program and fb.mentorship is None


def test_due_surveys_snippet(roles):
    from django.template.loader import render_to_string

    html = render_to_string(
        "wagtail_mentoring/surveys/due_surveys.html",
        {"surveys": due_surveys(dt.date(2026, 2, 14), user=roles["mentee"])},
    )
    assert f'href="/mentoring-app/surveys/pairing/{roles["mentorship"].pk}/"' in html
    assert "Pairing check" in html
