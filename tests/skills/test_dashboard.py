"""The dashboard's skill rating: the to-do, the form (one radio group per skill), 404s, bad input, the pair's change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EnrolmentFactory, UserFactory, active_mentorship
from tests.skills.conftest import add_skills, close, rate
from wagtail_mentoring.models import SkillRating

pytestmark = pytest.mark.django_db


def own_url(dashboard, program, moment="start"):
    return f"{dashboard.url}skills/{program.pk}/{moment}/"


def mentee_url(dashboard, mentorship):
    return f"{dashboard.url}skills/pairing/{mentorship.pk}/"


def levels(skills, level=3):
    return {f"skill_{s.pk}": level for s in skills}


def test_start_to_do_form_and_save(client, sk, dashboard, program):
    client.force_login(sk["mentee"])
    page = client.get(dashboard.url).content.decode()
    assert "Skills to rate" in page and own_url(dashboard, program) in page
    form = client.get(own_url(dashboard, program))
    html = form.content.decode()
    assert form.status_code == 200
    # One labelled radio group per skill, with the described scale.
    assert html.count("<fieldset") >= 3 and "<legend" in html and "Public speaking" in html
    assert "5 - Expert" in html and "About Planning" in html
    response = client.post(own_url(dashboard, program), levels(sk["skills"], 2))
    assert response.status_code == 302
    assert SkillRating.objects.filter(subject=sk["mentee"], rater=sk["mentee"], moment="start").count() == 3
    assert "Skills to rate" not in client.get(dashboard.url).content.decode()


@pytest.mark.parametrize("bad", ["0", "6", "x", ""])
def test_bad_level_is_a_400_with_the_form_error(client, sk, dashboard, program, bad):
    client.force_login(sk["mentee"])
    data = levels(sk["skills"])
    data[f"skill_{sk['skills'][1].pk}"] = bad
    response = client.post(own_url(dashboard, program), data)
    assert response.status_code == 400
    assert "wm-form-errors" in response.content.decode()
    assert not SkillRating.objects.exists()


def test_a_skill_of_another_program_is_ignored_and_the_form_still_needs_every_skill(client, sk, dashboard, program):
    client.force_login(sk["mentee"])
    data = {f"skill_{sk['other_skills'][0].pk}": 3}
    response = client.post(own_url(dashboard, program), data)
    assert response.status_code == 400
    assert not SkillRating.objects.exists()


def test_closing_not_yet_open_is_explained_and_refused(client, sk, dashboard, program):
    client.force_login(sk["mentee"])
    response = client.get(own_url(dashboard, program, "closing"))
    assert response.status_code == 200
    assert "Closing ratings open when your pairing" in response.content.decode()
    response = client.post(own_url(dashboard, program, "closing"), levels(sk["skills"]))
    assert response.status_code == 400
    assert "Closing ratings open when your pairing" in response.content.decode()
    client.force_login(sk["mentor"])
    response = client.post(mentee_url(dashboard, sk["mentorship"]), levels(sk["skills"]))
    assert response.status_code == 400
    assert not SkillRating.objects.exists()


def test_outsiders_404_and_anonymous_login(client, sk, dashboard, program, other_program):
    routes = [
        own_url(dashboard, other_program),
        own_url(dashboard, program, "whenever"),
        mentee_url(dashboard, sk["other_mentorship"]),
    ]
    for name in ("mentee", "mentor", "coordinator", "employee", "superuser"):
        client.force_login(sk[name])
        for route in routes:
            assert client.get(route).status_code == 404, (name, route)
            assert client.post(route, levels(sk["other_skills"])).status_code == 404, (name, route)
    # Only the pairing's mentor rates its mentee; the mentee gets 404 on that route.
    client.force_login(sk["mentee"])
    assert client.get(mentee_url(dashboard, sk["mentorship"])).status_code == 404
    client.force_login(sk["employee"])
    assert client.get(own_url(dashboard, program)).status_code == 404
    client.logout()
    response = client.get(own_url(dashboard, program))
    assert response.status_code == 302 and "login" in response["Location"]
    assert not SkillRating.objects.exists()


def test_closing_to_dos_and_the_pairs_change(client, sk, dashboard, program):
    skills = sk["skills"]
    for s, level in zip(skills, (1, 2, 3), strict=True):
        rate(s, sk["mentee"], level)
    # While the pairing is active, the mentee's card shows the levels at the start.
    client.force_login(sk["mentee"])
    card = client.get(dashboard.url).content.decode()
    assert "Skills before and after" in card and "not rated yet" in card and "2 of 5" in card
    close(sk["mentorship"])
    client.force_login(sk["mentor"])
    page = client.get(dashboard.url).content.decode()
    assert mentee_url(dashboard, sk["mentorship"]) in page and "Rate your mentee" in page
    assert client.post(mentee_url(dashboard, sk["mentorship"]), levels(skills, 4)).status_code == 302
    client.force_login(sk["mentee"])
    page = client.get(dashboard.url).content.decode()
    assert own_url(dashboard, program, "closing") in page
    assert client.post(own_url(dashboard, program, "closing"), levels(skills, 3)).status_code == 302
    for user in ("mentee", "mentor"):
        client.force_login(sk[user])
        html = client.get(f"{dashboard.url}mentee/{sk['mentorship'].pk}/").content.decode()
        assert "Skills before and after" in html
        assert "1 of 5" in html and "3 of 5" in html and "+2" in html and "4 of 5" in html and "<meter" in html


def test_the_mentor_sees_a_closed_pairings_change_on_the_dashboard_and_the_rating_page(client, sk, dashboard):
    skills = sk["skills"]
    for s in skills:
        rate(s, sk["mentee"], 1)
        rate(s, sk["mentee"], 4, "closing")
    rate(sk["other_skills"][0], sk["other_mentee"], 2)
    close(sk["mentorship"])
    close(sk["other_mentorship"])
    client.force_login(sk["mentor"])
    page = client.get(dashboard.url).content.decode()
    assert "Your mentees' skills" in page and "+3" in page and "Coding" not in page
    html = client.get(mentee_url(dashboard, sk["mentorship"])).content.decode()
    assert "Skills before and after" in html and "+3" in html


def test_the_mentor_never_sees_another_pairs_change(client, sk, dashboard):
    rate(sk["other_skills"][0], sk["other_mentee"], 2)
    client.force_login(sk["mentor"])
    assert client.get(f"{dashboard.url}mentee/{sk['other_mentorship'].pk}/").status_code == 404
    assert "Coding" not in client.get(dashboard.url).content.decode()


def _participants(program, n):
    """``n`` more accepted mentees in pairs, each with start ratings of every skill."""
    skills = list(program.skills.all())
    for _ in range(n):
        mentee = UserFactory()
        EnrolmentFactory(program=program, user=mentee, status="accepted")
        active_mentorship(program=program, mentor=UserFactory(), mentee=mentee)
        for s in skills:
            rate(s, mentee, 2)


def test_dashboard_queries_do_not_grow_with_programs_and_ratings(client, sk, dashboard, program_index):
    """The to-do and the pair's change cost the same for a mentee in 5 programs as in 50 (SQLite/Postgres)."""
    from tests.factories import MentoringProgramPageFactory

    mentee = sk["mentee"]

    def add_programs(n):
        for _ in range(n):
            prog = MentoringProgramPageFactory(parent=program_index)
            add_skills(prog)
            EnrolmentFactory(program=prog, user=mentee, status="accepted")
            m = active_mentorship(program=prog, mentor=UserFactory(), mentee=mentee)
            rate(prog.skills.first(), mentee, 2)
            close(m)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(dashboard.url)
        assert response.status_code == 200
        return len(ctx)

    client.force_login(mentee)
    add_programs(4)
    count()
    small = count()
    add_programs(45)
    assert count() == small
