"""Recognition: achievements fire once, celebrations, kudos and the completion certificate."""

import datetime as dt

import pytest
from django.core import mail

from tests.factories import KeyResultFactory
from tests.factories.engagement import MentoringSessionFactory
from wagtail_mentoring.models import Achievement, Celebration, Kudos, NotificationPreference
from wagtail_mentoring.recognition.services import celebrations_for
from wagtail_mentoring.snippets.services import record_check_in

pytestmark = pytest.mark.django_db


def check_in(kr, user, value, capture):
    with capture(execute=True):
        return record_check_in(kr, user, value)


class TestAchievements:
    def test_key_result_and_objective_fire_exactly_once(self, roles, pairing_kr, django_capture_on_commit_callbacks):
        check_in(pairing_kr, roles["mentee"], 5, django_capture_on_commit_callbacks)
        assert not Achievement.objects.exists() and mail.outbox == []
        check_in(pairing_kr, roles["mentee"], 10, django_capture_on_commit_callbacks)
        assert sorted(Achievement.objects.values_list("kind", flat=True)) == ["key_result", "objective"]
        assert len(mail.outbox) == 4  # two achievements x (mentor, mentee)
        assert {tuple(m.to) for m in mail.outbox} == {(roles["mentor"].email,), (roles["mentee"].email,)}
        # Repeated check-ins at (or above) 100% do not fire again, even after a dip.
        check_in(pairing_kr, roles["mentor"], 10, django_capture_on_commit_callbacks)
        check_in(pairing_kr, roles["mentee"], 4, django_capture_on_commit_callbacks)
        check_in(pairing_kr, roles["mentee"], 12, django_capture_on_commit_callbacks)
        assert Achievement.objects.count() == 2
        assert len(mail.outbox) == 4
        assert Celebration.objects.filter(user=roles["mentee"]).count() == 2

    def test_objective_needs_every_key_result(self, roles, pairing_kr, django_capture_on_commit_callbacks):
        second = KeyResultFactory(objective=pairing_kr.objective, kind="boolean", start_value=0, target_value=1)
        check_in(pairing_kr, roles["mentee"], 10, django_capture_on_commit_callbacks)
        assert list(Achievement.objects.values_list("kind", flat=True)) == ["key_result"]
        check_in(second, roles["mentee"], 1, django_capture_on_commit_callbacks)
        assert Achievement.objects.filter(kind="objective").count() == 1
        assert Achievement.objects.filter(kind="key_result").count() == 2

    def test_decreasing_key_result(self, roles, pairing_kr, django_capture_on_commit_callbacks):
        kr = KeyResultFactory(objective=pairing_kr.objective, start_value=100, target_value=80, current_value=100)
        check_in(kr, roles["mentee"], 85, django_capture_on_commit_callbacks)
        assert not Achievement.objects.filter(key_result=kr).exists()
        check_in(kr, roles["mentee"], 79, django_capture_on_commit_callbacks)
        assert Achievement.objects.filter(key_result=kr).exists()

    def test_opt_out_of_achievement_emails(self, roles, pairing_kr, django_capture_on_commit_callbacks):
        NotificationPreference.objects.create(user=roles["mentor"], kind="achievement", enabled=False)
        check_in(pairing_kr, roles["mentee"], 10, django_capture_on_commit_callbacks)
        assert all(roles["mentor"].email not in m.to for m in mail.outbox)
        assert mail.outbox

    def test_celebrations_for_and_dismiss(self, client, roles, pairing_kr, django_capture_on_commit_callbacks):
        check_in(pairing_kr, roles["mentee"], 10, django_capture_on_commit_callbacks)
        celebrations = list(celebrations_for(roles["mentee"]))
        assert len(celebrations) == 2
        assert list(celebrations_for(roles["coordinator"])) == []
        assert list(celebrations_for(roles["inactive"])) == []
        # Someone else's celebration: 404.
        client.force_login(roles["mentor"])
        url = f"/mentoring-app/celebrations/{celebrations[0].pk}/dismiss/"
        assert client.post(url).status_code == 404
        client.force_login(roles["mentee"])
        assert client.get(url).status_code == 405
        response = client.post(url, {"next": "https://evil.example/"})
        assert response.status_code == 302 and response["Location"] == "/"
        assert len(celebrations_for(roles["mentee"])) == 1

    def test_celebrations_template_escapes_titles(self, rf, roles, pairing_kr, django_capture_on_commit_callbacks):
        from django.template.loader import render_to_string

        pairing_kr.title = "<img src=x onerror=alert(1)>"
        pairing_kr.save()
        check_in(pairing_kr, roles["mentee"], 10, django_capture_on_commit_callbacks)
        request = rf.get("/")
        request.user = roles["mentee"]
        html = render_to_string(
            "wagtail_mentoring/recognition/celebrations.html",
            {"celebrations": celebrations_for(roles["mentee"])},
            request=request,
        )
        assert "<img src=x" not in html and "&lt;img src=x" in html
        assert "<h2" in html and "Dismiss" in html


class TestKudos:
    def test_pair_sends_kudos(self, client, roles, django_capture_on_commit_callbacks):
        url = f"/mentoring-app/kudos/{roles['mentorship'].pk}/"
        client.force_login(roles["mentor"])
        assert client.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"message": "Great presentation!"})
        assert response.status_code == 302
        kudos = Kudos.objects.get()
        assert (kudos.sender, kudos.recipient) == (roles["mentor"], roles["mentee"])
        assert [m.to for m in mail.outbox] == [[roles["mentee"].email]]
        assert celebrations_for(roles["mentee"])[0].kudos == kudos

    @pytest.mark.parametrize("name", ["coordinator", "other_mentee", "employee", "superuser"])
    def test_others_get_404(self, client, roles, name):
        client.force_login(roles[name])
        url = f"/mentoring-app/kudos/{roles['mentorship'].pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"message": "hi there"}).status_code == 404
        assert not Kudos.objects.exists()

    def test_empty_message_is_a_form_error(self, client, roles):
        client.force_login(roles["mentee"])
        response = client.post(f"/mentoring-app/kudos/{roles['mentorship'].pk}/", {"message": ""})
        assert response.status_code == 200 and response.context["form"].errors
        assert not Kudos.objects.exists()


class TestCertificate:
    def url(self, roles):
        return f"/mentoring-app/certificate/{roles['mentorship'].pk}/"

    def test_rules_shown_and_issued_when_all_met(self, client, roles, pairing_kr, settings):
        settings.WAGTAIL_MENTORING = {"CERTIFICATE_MIN_SESSIONS": 2}
        client.force_login(roles["mentee"])
        page = client.get(self.url(roles)).content.decode()
        assert "Not met yet:" in page and "Certificate of completion" not in page
        for day in (1, 2):
            MentoringSessionFactory(mentorship=roles["mentorship"], date=dt.datetime(2026, 2, day, tzinfo=dt.UTC))
        objective = pairing_kr.objective
        objective.status = "achieved"
        objective.save()
        m = roles["mentorship"]
        m.status, m.ended_on = "completed", dt.date(2026, 6, 30)
        m.save()
        page = client.get(self.url(roles)).content.decode()
        assert "Certificate of completion" in page and "Not met yet:" not in page
        assert "as a mentee" in page
        assert "TOP-SECRET-NOTE" not in page
        # The ex-mentor (whose access to the pairing was revoked) still gets theirs.
        client.force_login(roles["mentor"])
        assert "as a mentor" in client.get(self.url(roles)).content.decode()

    @pytest.mark.parametrize("name", ["coordinator", "other_mentor", "employee", "superuser", "editor"])
    def test_others_get_404(self, client, roles, name):
        client.force_login(roles[name])
        assert client.get(self.url(roles)).status_code == 404
