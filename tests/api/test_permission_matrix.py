"""Permission matrix: every endpoint and method, for every role of the README's roles table.

For each (role, endpoint) the list returns exactly the expected objects, the detail of every object
of the world is 200 when expected and 404 otherwise, and each write answers with the exact status.
Anonymous callers get 401 (except on public pages); inactive users' tokens are refused (401).
A parent the caller may not use is a 400 field error on that field, identical to a missing id.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from tests.api.conftest import JOURNEY_STEP, ROLE_NAMES, client_for
from wagtail_mentoring import models

pytestmark = pytest.mark.django_db

BASE = "/api/mentoring/v1"
OUT = ("editor",)  # active users with no mentoring role
AUTH_FAIL = {"inactive": 401, "anonymous": 401}

# endpoint -> (world attributes forming its universe, {role: visible attribute names})
VISIBILITY = {
    "programs": (
        ["program", "other_program", "private_program", "draft_program"],
        {"*": ["program", "other_program", "private_program"], "anonymous": ["program", "other_program"]},
    ),
    "training-resources": (
        ["r_public", "r_login"],
        {"*": ["r_public", "r_login"], "anonymous": ["r_public"]},
    ),
    "enrolments": (
        ["en_mentee", "en_mentor", "en_other"],
        {
            "mentee": ["en_mentee"],
            "mentor": ["en_mentor"],
            "other_mentee": ["en_other"],
            "coordinator": ["en_mentee", "en_mentor"],
            "other_coordinator": ["en_other"],
        },
    ),
    "mentorships": (
        ["mentorship", "other_mentorship"],
        {
            "mentee": ["mentorship"],
            "mentor": ["mentorship"],
            "other_mentee": ["other_mentorship"],
            "coordinator": ["mentorship"],
            "other_coordinator": ["other_mentorship"],
        },
    ),
    "objectives": (
        ["o_pair", "o_private", "o_other"],
        {
            "mentee": ["o_pair", "o_private"],
            "mentor": ["o_pair"],
            "other_mentee": ["o_other"],
            "coordinator": ["o_pair"],
            "other_coordinator": ["o_other"],
        },
    ),
    "key-results": (
        ["kr_pair", "kr_private", "kr_other"],
        {
            "mentee": ["kr_pair", "kr_private"],
            "mentor": ["kr_pair"],
            "other_mentee": ["kr_other"],
            "coordinator": ["kr_pair"],
            "other_coordinator": ["kr_other"],
        },
    ),
    "check-ins": (
        ["ci_pair", "ci_other"],
        {
            "mentee": ["ci_pair"],
            "mentor": ["ci_pair"],
            "other_mentee": ["ci_other"],
            "coordinator": ["ci_pair"],
            "other_coordinator": ["ci_other"],
        },
    ),
    # reviews and realignments: seen as the key result's check-ins are.
    "realignments": (
        ["rl_pair", "rl_other"],
        {
            "mentee": ["rl_pair"],
            "mentor": ["rl_pair"],
            "other_mentee": ["rl_other"],
            "coordinator": ["rl_pair"],
            "other_coordinator": ["rl_other"],
        },
    ),
    "initiatives": (
        ["in_pair", "in_other"],
        {
            "mentee": ["in_pair"],
            "mentor": ["in_pair"],
            "other_mentee": ["in_other"],
            "coordinator": ["in_pair"],
            "other_coordinator": ["in_other"],
        },
    ),
    "sessions": (
        ["s_pair", "s_planned", "s_other"],
        {
            "mentee": ["s_pair", "s_planned"],
            "mentor": ["s_pair", "s_planned"],
            "other_mentee": ["s_other"],
            "coordinator": ["s_pair", "s_planned"],
            "other_coordinator": ["s_other"],
        },
    ),
    # availability: a mentor's own slots; their active mentees read the free ones; nobody else.
    "availability-slots": (
        ["slot_pair", "slot_other"],
        {
            "mentee": ["slot_pair"],
            "mentor": ["slot_pair"],
            "other_mentee": ["slot_other"],
            "other_mentor": ["slot_other"],
        },
    ),
    # self-match requests: the mentee who made it and the mentor asked; nobody else (coordinators neither).
    "mentorship-requests": (
        ["rq_pair", "rq_other"],
        {
            "mentee": ["rq_pair"],
            "mentor": ["rq_pair"],
            "other_mentee": ["rq_other"],
            "other_mentor": ["rq_other"],
        },
    ),
    # group mentoring: the group's mentor and members, and the program's coordinators.
    "groups": (
        ["gr_pair", "gr_other"],
        {
            "mentee": ["gr_pair"],
            "mentor": ["gr_pair"],
            "other_mentee": ["gr_other"],
            "coordinator": ["gr_pair"],
            "other_coordinator": ["gr_other"],
        },
    ),
    "group-sessions": (
        ["gs_pair", "gs_other"],
        {
            "mentee": ["gs_pair"],
            "mentor": ["gs_pair"],
            "other_mentee": ["gs_other"],
            "coordinator": ["gs_pair"],
            "other_coordinator": ["gs_other"],
        },
    ),
    "feedback": (
        ["fb_mentee", "fb_mentor", "fb_other"],
        {"mentee": ["fb_mentee"], "mentor": ["fb_mentor"], "other_mentee": ["fb_other"]},
    ),
    # Skill ratings: one's own, one's mentee's (never the mentor's to the mentee); coordinators none one by one
    # (the program report averages them, like feedback).
    "skill-ratings": (
        ["sr_mentee", "sr_mentor", "sr_other"],
        {"mentee": ["sr_mentee"], "mentor": ["sr_mentee", "sr_mentor"], "other_mentee": ["sr_other"]},
    ),
    "completions": (["c_mentee", "c_other"], {"mentee": ["c_mentee"], "other_mentee": ["c_other"]}),
    "events": (["ev", "ev_free"], {"*": ["ev", "ev_free"], "anonymous": None}),
    "registrations": (["reg_mentee", "reg_other"], {"mentee": ["reg_mentee"], "other_mentee": ["reg_other"]}),
    # Templates of the programs one may see (page privacy) and of every program; none of an unpublished one.
    "objective-templates": (
        ["t_every", "t_program", "t_private", "t_draft"],
        {"*": ["t_every", "t_program", "t_private"], "anonymous": None},
    ),
}


def obj(world, name):
    if name in ("mentorship", "other_mentorship"):
        return world.roles[name]
    return getattr(world, name)


def visible_names(endpoint: str, role: str):
    _universe, table = VISIBILITY[endpoint]
    if role in table:
        return table[role]
    if role in AUTH_FAIL and endpoint not in ("programs", "training-resources"):
        return None
    if role == "inactive":
        return None
    return table.get("*", [])


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_list_and_detail(world, role):
    """Each list holds exactly the role's objects; every other object's detail is a 404."""
    client = client_for(world.roles, role)
    for endpoint, (universe, _table) in sorted(VISIBILITY.items()):
        cache.clear()  # throttling is tested on its own
        expected = visible_names(endpoint, role)
        response = client.get(f"{BASE}/{endpoint}/", {"page_size": 100})
        if expected is None:
            assert response.status_code == AUTH_FAIL[role], endpoint
            for name in universe:
                url = f"{BASE}/{endpoint}/{obj(world, name).pk}/"
                assert client.get(url).status_code == AUTH_FAIL[role], (endpoint, name)
            continue
        assert response.status_code == 200, (endpoint, response.content)
        got = sorted(row["id"] for row in response.json()["results"])
        assert got == sorted(obj(world, name).pk for name in expected), endpoint
        assert response.json()["count"] == len(expected), endpoint
        for name in universe:
            detail = client.get(f"{BASE}/{endpoint}/{obj(world, name).pk}/")
            assert detail.status_code == (200 if name in expected else 404), (endpoint, name, detail.content)


# --- writes ------------------------------------------------------------------------------------------
def _future():
    return (timezone.now() - dt.timedelta(hours=1)).isoformat()


def _later(hours=0):
    return (timezone.now() + dt.timedelta(days=30, hours=hours)).isoformat()


# (method, endpoint, target attribute or None, payload factory, {role: status}, default status)
WRITES = [
    # objectives: only the owner edits; a pairing objective needs a pairing you take part in.
    (
        "post",
        "objectives",
        None,
        lambda w: {"title": "New", "mentorship": w.roles["mentorship"].pk},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    (
        "patch",
        "objectives",
        "o_pair",
        lambda w: {"title": "Renamed"},
        # o_pair is the pair's shared objective (pairing level): both people of the pair edit it.
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    ("put", "objectives", "o_private", lambda w: {"title": "Replaced"}, {"mentee": 200}, 404),
    # Only its owner deletes the shared objective (access.deletable_objectives).
    ("delete", "objectives", "o_pair", None, {"mentee": 204, "mentor": 403, "coordinator": 403}, 404),
    # key results: whoever edits the objective (its owner; both people of the pair for the shared one).
    (
        "post",
        "key-results",
        None,
        lambda w: {"objective": w.o_pair.pk, "title": "KR", "start_value": 0, "target_value": 5},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    (
        "patch",
        "key-results",
        "kr_pair",
        lambda w: {"title": "KR2"},
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    ("delete", "key-results", "kr_pair", None, {"mentee": 204, "mentor": 204, "coordinator": 403}, 404),
    # check-ins: own key results and those of active pairings; history is never changed.
    (
        "post",
        "check-ins",
        None,
        lambda w: {"key_result": w.kr_pair.pk, "value": 3},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    ("patch", "check-ins", "ci_pair", lambda w: {"value": 9}, {}, 405),
    ("delete", "check-ins", "ci_pair", None, {}, 405),
    # reviews and realignments: whoever may check in on the (missed) key result; history is never changed.
    (
        "post",
        "realignments",
        None,
        lambda w: {
            "key_result": w.kr_pair.pk,
            "what_happened": "Two talks were cancelled.",
            "what_changes": "Aim for six.",
            "target_value": 6,
        },
        {"mentee": 201, "mentor": 201},
        400,
    ),
    ("patch", "realignments", "rl_pair", lambda w: {"what_happened": "Rewritten"}, {}, 405),
    ("delete", "realignments", "rl_pair", None, {}, 405),
    # initiatives: whoever keeps the objective's plan (access.plan_objectives): the owner, and the active pair
    # of an open pairing objective (the shared plan); coordinators read only.
    (
        "post",
        "initiatives",
        None,
        lambda w: {"objective": w.o_pair.pk, "title": "Read a book"},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    (
        "patch",
        "initiatives",
        "in_pair",
        lambda w: {"done": True},
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    ("delete", "initiatives", "in_pair", None, {"mentee": 204, "mentor": 204, "coordinator": 403}, 404),
    # sessions: the active pair logs and edits; coordinators only read.
    (
        "post",
        "sessions",
        None,
        lambda w: {"mentorship": w.roles["mentorship"].pk, "date": _future(), "duration_minutes": 30, "notes": "n"},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    (
        "patch",
        "sessions",
        "s_pair",
        lambda w: {"agenda": "New agenda"},
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    ("delete", "sessions", "s_pair", None, {"mentee": 204, "mentor": 204, "coordinator": 403}, 404),
    # scheduling: the active pair plans and takes sessions through their states; coordinators only read.
    (
        "post",
        "sessions",
        None,
        lambda w: {"mentorship": w.roles["mentorship"].pk, "status": "planned", "date": _later()},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    (
        "post",
        "sessions",
        None,
        lambda w: {"mentorship": w.roles["mentorship"].pk, "slot": w.slot_pair.pk, "format": "video"},
        {"mentee": 201, "mentor": 400},
        400,
    ),
    ("post", "sessions", "s_planned/cancel", None, {"mentee": 200, "mentor": 200, "coordinator": 403}, 404),
    # A status that does not allow the change is a 409 (``invalid_transition``), as for every lifecycle.
    ("post", "sessions", "s_planned/confirm", None, {"mentee": 409, "mentor": 409, "coordinator": 403}, 404),
    (
        "post",
        "sessions",
        "s_planned/held",
        lambda w: {"notes": "n"},
        {"mentee": 400, "mentor": 400, "coordinator": 403},
        404,
    ),
    ("post", "sessions", "s_pair/cancel", None, {"mentee": 409, "mentor": 409, "coordinator": 403}, 404),
    (
        "patch",
        "sessions",
        "s_planned",
        lambda w: {"status": "held"},
        {"mentee": 400, "mentor": 400, "coordinator": 403},
        404,
    ),
    (
        "patch",
        "sessions",
        "s_planned",
        lambda w: {"location": "Room 7"},
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    ("get", "sessions", "s_planned/ics", None, {"mentee": 200, "mentor": 200}, 404),
    ("get", "sessions", "s_planned/confirm", None, {}, 405),
    (
        "post",
        "availability-slots",
        None,
        lambda w: {"start": _later(), "end": _later(hours=1)},
        {"mentor": 201, "other_mentor": 201},
        403,
    ),
    (
        "post",
        "availability-slots",
        None,
        lambda w: {"start": _later(), "end": _later(hours=-1)},
        {"mentor": 400, "other_mentor": 400},
        403,
    ),
    ("delete", "availability-slots", "slot_pair", None, {"mentor": 204, "mentee": 403}, 404),
    ("patch", "availability-slots", "slot_pair", lambda w: {"note": "x"}, {}, 405),
    # feedback: on your own pairing; never changed.
    (
        "post",
        "feedback",
        None,
        lambda w: {"kind": "pairing_check", "mentorship": w.roles["mentorship"].pk, "rating": 5},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    (
        "post",
        "feedback",
        None,
        lambda w: {"kind": "midpoint", "mentorship": w.roles["mentorship"].pk, "rating": 4},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    # before launch: only while a published before-launch survey is open (none here: nobody).
    (
        "post",
        "feedback",
        None,
        lambda w: {"kind": "before_launch", "program": w.other_program.pk, "rating": 4},
        {},
        400,
    ),
    ("patch", "feedback", "fb_mentee", lambda w: {"rating": 1}, {}, 405),
    # skill ratings: an accepted participant rates themselves (the mentor here); a bad level or a skill of a
    # program one takes no part in is a 400; a closing rating before the pairing closes is a 400; never changed.
    (
        "post",
        "skill-ratings",
        None,
        lambda w: {"skill": w.sk_program.pk, "moment": "start", "level": 4},
        {"mentor": 201},
        400,
    ),
    ("post", "skill-ratings", None, lambda w: {"skill": w.sk_program.pk, "moment": "start", "level": 6}, {}, 400),
    ("post", "skill-ratings", None, lambda w: {"skill": w.sk_program.pk, "moment": "closing", "level": 3}, {}, 400),
    ("post", "skill-ratings", None, lambda w: {"skill": w.sk_other.pk, "moment": "start", "level": 3}, {}, 400),
    ("patch", "skill-ratings", "sr_mentor", lambda w: {"level": 1}, {}, 405),
    ("delete", "skill-ratings", "sr_mentor", None, {}, 405),
    # enrolments: anyone active may apply; coordinators review; applicants may not set status.
    ("post", "enrolments", None, lambda w: {"program": w.other_program.pk, "role": "mentor"}, {}, 201),
    ("patch", "enrolments", "en_mentee", lambda w: {"status": "accepted"}, {"coordinator": 200, "mentee": 400}, 404),
    ("patch", "enrolments", "en_mentee", lambda w: {"goals": "Grow"}, {"coordinator": 200, "mentee": 200}, 404),
    ("delete", "enrolments", "en_mentee", None, {"mentee": 405, "coordinator": 405}, 405),
    # mentorships: the active pair edits its agreement.
    (
        "patch",
        "mentorships",
        "mentorship",
        lambda w: {"expectations": "Monthly"},
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    ("post", "mentorships", None, lambda w: {}, {}, 405),
    ("delete", "mentorships", "mentorship", None, {}, 405),
    # mentorship lifecycle: coordinators of the program only; the pair may see it (403), others 404.
    ("post", "mentorships", "mentorship/pause", None, {"coordinator": 200, "mentee": 403, "mentor": 403}, 404),
    ("post", "mentorships", "mentorship/complete", None, {"coordinator": 200, "mentee": 403, "mentor": 403}, 404),
    (
        "post",
        "mentorships",
        "mentorship/end",
        lambda w: {"reason": "Mentor left"},
        {"coordinator": 200, "mentee": 403, "mentor": 403},
        404,
    ),
    ("post", "mentorships", "mentorship/end", lambda w: {}, {"coordinator": 400, "mentee": 403, "mentor": 403}, 404),
    ("post", "mentorships", "mentorship/approve", None, {"coordinator": 409, "mentee": 403, "mentor": 403}, 404),
    ("post", "mentorships", "mentorship/resume", None, {"coordinator": 409, "mentee": 403, "mentor": 403}, 404),
    ("get", "mentorships", "mentorship/pause", None, {}, 405),
    # the journey: whoever sees the pairing reads it; the active pair marks steps (coordinators 403).
    ("get", "mentorships", "mentorship/journey", None, {"mentee": 200, "mentor": 200, "coordinator": 200}, 404),
    (
        "post",
        "mentorships",
        f"mentorship/journey/{JOURNEY_STEP}/complete",
        None,
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    (
        "post",
        "mentorships",
        f"mentorship/journey/{JOURNEY_STEP}/undo",
        None,
        {"mentee": 200, "mentor": 200, "coordinator": 403},
        404,
    ),
    (
        "post",
        "mentorships",
        "mentorship/journey/no-such-step/complete",
        None,
        {"mentee": 404, "mentor": 404, "coordinator": 403},
        404,
    ),
    ("get", "mentorships", f"mentorship/journey/{JOURNEY_STEP}/complete", None, {}, 405),
    # self-match requests: only accepted mentees of a self-match program request (nobody in this world: 400 on
    # program); the mentor answers, the mentee withdraws; others 404; a closed request is a 409.
    ("post", "mentorship-requests", None, lambda w: {"program": w.program.pk, "mentor": w.roles["mentor"].pk}, {}, 400),
    ("post", "mentorship-requests", "rq_other/decline", None, {"other_mentor": 200}, 404),
    ("post", "mentorship-requests", "rq_other/withdraw", None, {"other_mentee": 200}, 404),
    ("post", "mentorship-requests", "rq_pair/accept", None, {"mentor": 409}, 404),
    ("post", "mentorship-requests", "rq_pair/withdraw", None, {"mentee": 409}, 404),
    ("get", "mentorship-requests", "rq_pair/accept", None, {}, 405),
    ("patch", "mentorship-requests", "rq_pair", lambda w: {"status": "accepted"}, {}, 405),
    ("delete", "mentorship-requests", "rq_pair", None, {}, 405),
    # group mentoring: coordinators form groups in the admin; the group's people log its sessions.
    ("post", "groups", None, lambda w: {"name": "x"}, {}, 405),
    ("patch", "groups", "gr_pair", lambda w: {"name": "x"}, {}, 405),
    (
        "post",
        "group-sessions",
        None,
        lambda w: {"group": w.gr_pair.pk, "duration_minutes": 30, "format": "video", "notes": "n"},
        {"mentee": 201, "mentor": 201},
        400,
    ),
    (
        "post",
        "group-sessions",
        None,
        lambda w: {"group": w.gr_other.pk, "duration_minutes": 30, "format": "video"},
        {"other_mentee": 201},
        400,
    ),
    ("patch", "group-sessions", "gs_pair", lambda w: {"notes": "x"}, {}, 405),
    ("delete", "group-sessions", "gs_pair", None, {}, 405),
    # programs and training resources: read-only pages.
    ("post", "programs", None, lambda w: {"title": "x"}, {}, 405),
    ("post", "training-resources", None, lambda w: {"title": "x"}, {}, 405),
    # training completions and registrations: your own.
    ("post", "completions", None, lambda w: {"resource": w.r_login.pk}, {}, 201),
    ("delete", "completions", "c_mentee", None, {"mentee": 204}, 404),
    ("post", "registrations", None, lambda w: {"event": w.ev_free.pk}, {}, 201),
    ("post", "registrations", None, lambda w: {"event": w.ev.pk}, {"mentee": 409, "other_mentee": 409}, 201),
    ("delete", "registrations", "reg_mentee", None, {"mentee": 204}, 404),
    ("post", "events", None, lambda w: {"title": "x"}, {}, 405),
    # objective templates: editors (model permissions) write; anyone who sees one starts from it.
    ("post", "objective-templates", None, lambda w: {"title": "x"}, {}, 403),
    ("patch", "objective-templates", "t_every", lambda w: {"title": "x"}, {}, 403),
    ("delete", "objective-templates", "t_every", None, {}, 403),
    ("post", "objective-templates", "t_every/use", lambda w: {}, {}, 201),
    ("post", "objective-templates", "t_draft/use", lambda w: {}, {}, 404),
    (
        "post",
        "objective-templates",
        "t_every/use",
        lambda w: {"mentorship": w.roles["other_mentorship"].pk},
        {"other_mentee": 201},
        400,
    ),
]


def _write_id(case):
    method, endpoint, target, _payload, _statuses, _default = case
    return f"{method} {endpoint} {target or 'new'}"


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_writes(world, role):
    """Every write of every endpoint answers the exact status; each runs in its own savepoint."""
    client = client_for(world.roles, role)
    for case in WRITES:
        method, endpoint, target, payload, statuses, default = case
        cache.clear()
        target, _sep, extra = (target or "").partition("/")
        url = f"{BASE}/{endpoint}/" if not target else f"{BASE}/{endpoint}/{obj(world, target).pk}/"
        url += f"{extra}/" if extra else ""
        with transaction.atomic():
            data = payload(world) if payload else None
            response = getattr(client, method)(url, data, format="json")
            expected = AUTH_FAIL.get(role) or statuses.get(role, default)
            assert response.status_code == expected, (_write_id(case), response.content)
            if expected == 400 and method == "post" and data is not None:
                body = response.json()
                assert isinstance(body, dict) and all(isinstance(v, list) for v in body.values()), body
            transaction.set_rollback(True)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_me(world, role):
    response = client_for(world.roles, role).get(f"{BASE}/me/")
    if role in AUTH_FAIL:
        assert response.status_code == AUTH_FAIL[role]
        return
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["id"] == world.roles[role].pk
    expected_mentorships = {
        "mentee": [world.roles["mentorship"].pk],
        "mentor": [world.roles["mentorship"].pk],
        "other_mentee": [world.roles["other_mentorship"].pk],
    }.get(role, [])
    assert [m["id"] for m in body["mentorships"]] == expected_mentorships
    expected_objectives = {
        "mentee": {world.o_pair.pk, world.o_private.pk},
        "mentor": {world.o_pair.pk},
        "other_mentee": {world.o_other.pk},
    }.get(role, set())
    assert {o["id"] for o in body["objectives"]} == expected_objectives


# --- field-level rules -------------------------------------------------------------------------------
def test_session_notes_never_reach_coordinators(world):
    for role, sees in [("mentee", True), ("mentor", True), ("coordinator", False)]:
        client = client_for(world.roles, role)
        detail = client.get(f"{BASE}/sessions/{world.s_pair.pk}/").json()
        listing = client.get(f"{BASE}/sessions/").json()["results"]
        assert ("notes" in detail) is sees
        assert all(("notes" in row) is sees for row in listing)
        assert (b"pair secret" in client.get(f"{BASE}/sessions/").content) is sees


def test_group_session_words_never_reach_coordinators(world):
    for role, sees in [("mentee", True), ("mentor", True), ("coordinator", False)]:
        client = client_for(world.roles, role)
        detail = client.get(f"{BASE}/group-sessions/{world.gs_pair.pk}/").json()
        assert ("notes" in detail) is sees and detail["duration_minutes"] == 60
        assert (b"group secret" in client.get(f"{BASE}/group-sessions/").content) is sees


def test_owner_is_always_the_caller(world):
    client = client_for(world.roles, "mentor")
    response = client.post(f"{BASE}/objectives/", {"title": "Mine", "owner": world.roles["mentee"].pk}, format="json")
    assert response.status_code == 201
    assert models.Objective.objects.get(pk=response.json()["id"]).owner == world.roles["mentor"]


def test_participants_cannot_change_mentorship_status(world):
    client = client_for(world.roles, "mentee")
    response = client.patch(
        f"{BASE}/mentorships/{world.roles['mentorship'].pk}/", {"status": "ended", "expectations": "x"}, format="json"
    )
    assert response.status_code == 200
    world.roles["mentorship"].refresh_from_db()
    assert world.roles["mentorship"].status == "active"
    assert world.roles["mentorship"].expectations == "x"


def test_hidden_parent_error_is_the_same_as_missing(world):
    client = client_for(world.roles, "other_mentee")
    hidden = client.post(f"{BASE}/check-ins/", {"key_result": world.kr_pair.pk, "value": 1}, format="json")
    missing = client.post(f"{BASE}/check-ins/", {"key_result": 999999, "value": 1}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert list(hidden.json()) == list(missing.json()) == ["key_result"]
    assert hidden.json()["key_result"][0].replace(str(world.kr_pair.pk), "N") == missing.json()["key_result"][
        0
    ].replace("999999", "N")
    assert not models.CheckIn.objects.filter(key_result=world.kr_pair, author=world.roles["other_mentee"]).exists()
