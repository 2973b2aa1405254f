"""Realistic rows built through historical models, one seeder per migration state of ``wagtail_mentoring``.

A seeder receives the historical app registry (``ProjectState.apps``) of the state *after* the migration it
is keyed by (``None`` is the state before the app's first migration) and fills it with rows. The pair test
in ``test_migrations.py`` uses the newest seeder at or before the migration it starts from, so a new
migration is checked against the last seeder for free. Add a seeder keyed by your migration when it adds
a model (the round-trip test fails while a table is left empty) or when the previous seeder no longer fits
the historical models (a field it sets was removed or renamed).
"""

import datetime as dt
import uuid
from collections.abc import Callable

from django.apps.registry import Apps
from django.utils import timezone

APP = "wagtail_mentoring"
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 2)

#: The StreamField body of the seeded program page (raw JSON, as stored).
PROGRAM_BODY = [
    {
        "type": "paragraph",
        "value": "<p>Twelve months of mentoring for new team leads.</p>",
        "id": str(uuid.UUID(int=1)),
    },
    {
        "type": "goals",
        "value": {
            "heading": "Program goals",
            "goals": [
                {"type": "item", "value": "Grow confident leaders", "id": str(uuid.UUID(int=2))},
                {"type": "item", "value": "Retain talent", "id": str(uuid.UUID(int=3))},
            ],
        },
        "id": str(uuid.UUID(int=4)),
    },
    {
        "type": "quote",
        "value": {"quote": "It changed how I run my team.", "author": "Ada", "role": "Team lead"},
        "id": str(uuid.UUID(int=5)),
    },
]


def _content_type(apps: Apps, model: str, app_label: str = APP):
    """The content type row (``post_migrate`` is muted while migrating, so it may not exist yet)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model.lower())[0]


def _add_child(apps: Apps, parent, model_name: str, app_label: str = APP, **fields):
    """Create a page under ``parent`` the way treebeard would (historical models have no tree API)."""
    Page = apps.get_model("wagtailcore", "Page")
    Model = apps.get_model(app_label, model_name)
    parent = Page.objects.get(pk=parent.pk)
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    step = int(last.path[-4:], 36) + 1 if last else 1
    path = parent.path + _base36(step).rjust(4, "0")
    content_type = _content_type(apps, model_name, app_label)
    page = Model.objects.create(
        path=path,
        depth=parent.depth + 1,
        numchild=0,
        draft_title=fields["title"],
        url_path=f"{parent.url_path}{fields['slug']}/",
        content_type=content_type,
        locale_id=parent.locale_id,
        live=True,
        first_published_at=NOW,
        last_published_at=NOW,
        **fields,
    )
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    return page


def _base36(n: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _home_page(apps: Apps):
    """The site's first page below the root, created with the root and a locale when missing.

    A database freshly migrated has Wagtail's root and welcome pages; one flushed by an earlier
    transactional test has neither (nor a locale).
    """
    Page = apps.get_model("wagtailcore", "Page")
    Locale = apps.get_model("wagtailcore", "Locale")
    locale = Locale.objects.order_by("pk").first() or Locale.objects.create(language_code="en")
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        root = Page.objects.create(
            title="Root",
            draft_title="Root",
            slug="root",
            path="0001",
            depth=1,
            numchild=0,
            url_path="/",
            content_type=_content_type(apps, "page", "wagtailcore"),
            locale=locale,
        )
    home = Page.objects.filter(depth=2).order_by("path").first()
    return home or _add_child(apps, root, "Page", "wagtailcore", title="Intranet", slug="intranet")


def seed_other_apps(apps: Apps) -> None:
    """Rows ``wagtail_mentoring`` builds on (users, a group, a page): they must outlive its migrations."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    for name in ("coordinator", "mentor", "mentee", "employee"):
        User.objects.get_or_create(username=f"mig-{name}", defaults={"email": f"{name}@example.com", "password": "!"})
    Group.objects.get_or_create(name="Leadership coordinators")


def seed_0001(apps: Apps) -> None:
    """Every model of ``0001_initial``: a program page tree, a pairing with OKRs, engagement and training rows."""
    seed_other_apps(apps)
    get = apps.get_model
    User, Group, Permission, Tag = (
        get("auth", "User"),
        get("auth", "Group"),
        get("auth", "Permission"),
        get("taggit", "Tag"),
    )
    coordinator, mentor, mentee, employee = (
        User.objects.get(username=f"mig-{n}") for n in ("coordinator", "mentor", "mentee", "employee")
    )
    group = Group.objects.get(name="Leadership coordinators")
    group.user_set.add(coordinator)

    home = _home_page(apps)
    path = get(APP, "LearningPath").objects.create(title="New team leads", audience="mentees")
    library = _add_child(apps, home, "TrainingLibraryPage", title="Training", slug="training", intro="<p>Learn</p>")
    resource = _add_child(
        apps,
        library,
        "TrainingResourcePage",
        title="Giving feedback",
        slug="giving-feedback",
        resource_type="video",
        duration_minutes=25,
        summary="How to give useful feedback.",
        body=[{"type": "paragraph", "value": "<p>Start with the behaviour.</p>", "id": str(uuid.UUID(int=9))}],
    )
    topic = Tag.objects.get_or_create(name="feedback", slug="feedback")[0]
    get(APP, "TrainingResourceTopic").objects.create(content_object=resource, tag=topic)
    get(APP, "LearningPathItem").objects.create(path=path, resource=resource, sort_order=0)
    index = _add_child(apps, home, "MentoringProgramIndexPage", title="Mentoring programs", slug="programs")
    program = _add_child(
        apps,
        index,
        "MentoringProgramPage",
        title="Leadership mentoring",
        slug="leadership",
        intro="<p>For new team leads.</p>",
        body=PROGRAM_BODY,
        goals="Grow leaders\nRetain talent",
        start_date=TODAY,
        end_date=TODAY + dt.timedelta(days=365),
        coordinators=group,
        mentee_learning_path=path,
        matching_weights={"skills": 2.0, "languages": 1.0},
        matching_rules={"shared_language": True},
    )
    _add_child(apps, home, "MentoringDashboardPage", title="My mentoring", slug="my-mentoring")

    program_ct = _content_type(apps, "mentoringprogrampage")
    mentorship_ct = _content_type(apps, "mentorship")
    # Present when post_migrate ran (a flushed database), absent straight after migrating (signals muted).
    coordinate = Permission.objects.get_or_create(
        content_type=program_ct, codename="coordinate_program", defaults={"name": "Can coordinate the program"}
    )[0]
    participate = Permission.objects.get_or_create(
        content_type=mentorship_ct, codename="participate_mentorship", defaults={"name": "Can take part"}
    )[0]
    get(APP, "ProgramGroupObjectPermission").objects.create(group=group, permission=coordinate, content_object=program)
    get(APP, "ProgramUserObjectPermission").objects.create(
        user=coordinator, permission=coordinate, content_object=program
    )

    profile = get(APP, "MentoringProfile").objects.create(
        user=mentee, job_title="Team lead", department="Support", languages="en, it", seniority=3, bio="Hi"
    )
    skill = Tag.objects.get_or_create(name="coaching", slug="coaching")[0]
    get(APP, "ProfileSkill").objects.create(content_object=profile, tag=skill)
    get(APP, "ProfileInterest").objects.create(content_object=profile, tag=topic)

    Enrolment = get(APP, "Enrolment")
    Enrolment.objects.create(program=program, user=mentor, role="mentor", status="accepted", capacity=2)
    Enrolment.objects.create(program=program, user=mentee, role="mentee", status="accepted", skills_sought="coaching")
    mentorship = get(APP, "Mentorship").objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        status="active",
        started_on=TODAY,
        match_score=0.82,
        match_reasons={"skills": ["coaching"]},
    )
    get(APP, "MentorshipUserObjectPermission").objects.create(
        user=mentee, permission=participate, content_object=mentorship
    )
    get(APP, "MentorshipGroupObjectPermission").objects.create(
        group=group, permission=participate, content_object=mentorship
    )

    cycle = get(APP, "OKRCycle").objects.create(
        name="2026 H1", start_date=TODAY, end_date=TODAY + dt.timedelta(days=180), program=program
    )
    objective = get(APP, "Objective").objects.create(
        title="Run effective one-to-ones",
        owner=mentee,
        mentorship=mentorship,
        program=program,
        cycle=cycle,
        category="leadership",
        level="pairing",
        due_date=TODAY + dt.timedelta(days=90),
    )
    KeyResult = get(APP, "KeyResult")
    kr_number = KeyResult.objects.create(
        objective=objective,
        title="Hold 6 one-to-ones",
        kind="number",
        start_value=0,
        target_value=6,
        current_value=3,
        weight=2.0,
        sort_order=0,
        owner=mentee,
    )
    kr_done = KeyResult.objects.create(
        objective=objective,
        title="Write a meeting template",
        kind="boolean",
        start_value=0,
        target_value=1,
        current_value=1,
        sort_order=1,
    )
    CheckIn = get(APP, "CheckIn")
    CheckIn.objects.create(
        key_result=kr_number, value=2, confidence=6, note="Two so far", author=mentee, created_at=NOW
    )
    CheckIn.objects.create(
        key_result=kr_number,
        value=3,
        confidence=7,
        note="On track",
        author=mentee,
        created_at=NOW + dt.timedelta(days=7),
    )
    get(APP, "Initiative").objects.create(
        objective=objective, title="Book a room", done=True, sort_order=0, assignee=mentee
    )
    achievement = get(APP, "Achievement").objects.create(
        kind="key_result", key_result=kr_done, objective=objective, mentorship=mentorship
    )
    session = get(APP, "MentoringSession").objects.create(
        mentorship=mentorship,
        date=NOW,
        duration_minutes=45,
        format="video",
        agenda="Goals",
        notes="Private notes",
        next_steps="Draft the template",
        created_by=mentor,
    )
    session.key_results_discussed.add(kr_number, kr_done)
    kudos = get(APP, "Kudos").objects.create(
        sender=mentor, recipient=mentee, mentorship=mentorship, message="Great first session"
    )
    Celebration = get(APP, "Celebration")
    Celebration.objects.create(user=mentee, achievement=achievement)
    Celebration.objects.create(user=mentee, kudos=kudos, seen_at=NOW)
    Feedback = get(APP, "Feedback")
    Feedback.objects.create(
        kind="session", rating=5, author=mentee, mentorship=mentorship, session=session, comment="Useful"
    )
    Feedback.objects.create(kind="program", rating=4, nps=9, author=mentor, program=program)
    get(APP, "Outcome").objects.create(mentorship=mentorship, kind="promoted", date=TODAY, recorded_by=coordinator)
    get(APP, "NotificationPreference").objects.create(user=mentee, kind="check_in_due", enabled=False)
    get(APP, "ReminderLog").objects.create(
        rule="check_in_due",
        user=mentee,
        program=program,
        subject_key=f"kr:{kr_number.pk}",
        period="2026-W10",
        context={"title": kr_number.title},
        sent_at=timezone.now(),
    )
    event = get(APP, "TrainingEvent").objects.create(
        title="Feedback workshop",
        start=NOW,
        end=NOW + dt.timedelta(hours=2),
        capacity=12,
        resource=resource,
        location="Room 4",
    )
    get(APP, "TrainingRegistration").objects.create(event=event, user=mentee)
    get(APP, "TrainingCompletion").objects.create(user=mentee, resource=resource)
    get(APP, "TrainingCompletion").objects.create(user=employee, resource=resource)


def seed_0002(apps: Apps) -> None:
    """``0001``'s rows and a finished and a pending matching run of the program (``0002_matching_run``)."""
    seed_0001(apps)
    get = apps.get_model
    program = get(APP, "MentoringProgramPage").objects.get()
    coordinator = get("auth", "User").objects.get(username="mig-coordinator")
    runs = get(APP, "MatchingRun").objects
    runs.create(
        program=program,
        status="done",
        phase="done",
        percent=100,
        started_by=coordinator,
        pairs_count=1,
        unmatched_count=0,
        started_at=NOW,
        finished_at=NOW,
    )
    runs.create(program=program, status="running", phase="scoring", percent=40, started_by=coordinator, started_at=NOW)


def seed_0005(apps: Apps) -> None:
    """``0002``'s rows, the mentor's availability slot, and the session held in it (``0005_session_scheduling``)."""
    seed_0002(apps)
    get = apps.get_model
    mentor = get("auth", "User").objects.get(username="mig-mentor")
    slot = get(APP, "AvailabilitySlot").objects.create(
        mentor=mentor, start=NOW, end=NOW + dt.timedelta(hours=1), note="Room 4.12"
    )
    get(APP, "MentoringSession").objects.update(slot=slot, location="https://meet.example.com/m", sequence=1)


def seed_0006(apps: Apps) -> None:
    """``0005``'s rows and an objective template of the program, with a suggested key result
    (``0006_objective_templates``; the lead renumbers it at merge: rename the key below with it)."""
    seed_0005(apps)
    get = apps.get_model
    program = get(APP, "MentoringProgramPage").objects.get()
    locale = get("wagtailcore", "Locale").objects.order_by("pk").first()
    Template = get(APP, "ObjectiveTemplate")
    template = Template.objects.create(
        title="Speak up in meetings", category="confidence", level="mentee", locale=locale
    )
    # A parental many-to-many's add() waits for the template's save(): write the link row itself.
    Template.programs.through.objects.create(objectivetemplate=template, mentoringprogrampage=program)
    get(APP, "ObjectiveTemplateKeyResult").objects.create(
        template=template, title="Talks given", kind="number", unit="talks", start_value=0, target_value=6, sort_order=0
    )


def seed_realignment(apps: Apps) -> None:
    """The previous state's rows and a review of a key result that lowered its target
    (``keyresult_realignment``)."""
    seed_0006(apps)
    get = apps.get_model
    key_result = get(APP, "KeyResult").objects.order_by("pk").first()
    get(APP, "Realignment").objects.create(
        key_result=key_result,
        author=key_result.objective.owner,
        created_at=NOW,
        health="off_track",
        progress=0.2,
        what_happened="A reorganisation took three weeks.",
        what_changes="Smaller steps.",
        previous_target=key_result.target_value + 2,
        target_value=key_result.target_value,
    )


def seed_journeys(apps: Apps) -> None:
    """The previous state's rows, a journey on the program page and a step the pair marked done
    (``0008_journeys``)."""
    seed_realignment(apps)
    get = apps.get_model
    step_id = str(uuid.UUID(int=40))
    program = get(APP, "MentoringProgramPage").objects.order_by("pk").first()
    program.journey = [
        {
            "type": "step",
            "value": {
                "title": "Agreement",
                "days_after_start": 0,
                "description": "Agree how you work together.",
                "resource": None,
                "path": None,
                "survey_kind": "",
                "completes_when": "manual",
            },
            "id": step_id,
        }
    ]
    program.save(update_fields=["journey"])
    mentorship = get(APP, "Mentorship").objects.filter(program=program).order_by("pk").first()
    get(APP, "JourneyStepCompletion").objects.create(
        mentorship=mentorship, step_id=step_id, completed_by=mentorship.mentee, completed_at=NOW
    )


def seed_webhooks(apps: Apps) -> None:
    """The previous state's rows, a webhook on the program with one logged attempt and an opt-out of the
    webhook channel (``0009_webhooks``)."""
    seed_journeys(apps)
    get = apps.get_model
    program = get(APP, "MentoringProgramPage").objects.order_by("pk").first()
    endpoint = get(APP, "WebhookEndpoint").objects.create(
        name="Team chat",
        program=program,
        url="https://chat.example.com/hooks/abc",
        secret="seed-secret",
        payload_format="slack",
        receives_todos=True,
        active=False,
    )
    get(APP, "WebhookDelivery").objects.create(
        endpoint=endpoint,
        delivery_id=str(uuid.UUID(int=50)),
        kind="check_in_due",
        title="Check-in due",
        attempt=1,
        status_code=200,
        succeeded=True,
    )
    mentee = get(APP, "Mentorship").objects.filter(program=program).order_by("pk").first().mentee
    get(APP, "NotificationPreference").objects.create(user=mentee, kind="achievement", channel="webhook", enabled=False)


def seed_self_match(apps: Apps) -> None:
    """The previous state's rows, a self-match program setting and a mentee's request (``0010_self_match``)."""
    seed_webhooks(apps)
    get = apps.get_model
    program = get(APP, "MentoringProgramPage").objects.order_by("pk").first()
    program.matching_mode = "self_match_first"
    program.request_response_days = 5
    program.save(update_fields=["matching_mode", "request_response_days"])
    mentorship = get(APP, "Mentorship").objects.filter(program=program).order_by("pk").first()
    get(APP, "MentorshipRequest").objects.create(
        program=program,
        mentee=mentorship.mentee,
        mentor=mentorship.mentor,
        status="accepted",
        match_score=0.72,
        match_reasons=[{"criterion": "skills", "contribution": 0.3}],
        created_at=NOW,
        decided_at=NOW,
        expires_on=TODAY + dt.timedelta(days=5),
        mentorship=mentorship,
    )


def seed_groups(apps: Apps) -> None:
    """The previous state's rows, a mentoring group with a member and a session (``0011_groups``)."""
    seed_self_match(apps)
    get = apps.get_model
    mentorship = get(APP, "Mentorship").objects.order_by("pk").first()
    group = get(APP, "MentoringGroup").objects.create(
        program_id=mentorship.program_id,
        name="New leads circle",
        kind="group",
        status="active",
        mentor=mentorship.mentor,
        max_size=5,
        focus="Giving feedback",
    )
    get(APP, "GroupMember").objects.create(group=group, user=mentorship.mentee, joined_at=NOW)
    get(APP, "GroupSession").objects.create(
        group=group, date=NOW, duration_minutes=45, format="video", notes="Role-played a hard conversation."
    )


def seed_skills(apps: Apps) -> None:
    """The previous state's rows, a program skill and its ratings: the mentee's own at both moments and the
    mentor's at closing (``0013_skills``)."""
    seed_groups(apps)
    get = apps.get_model
    program = get(APP, "MentoringProgramPage").objects.order_by("pk").first()
    mentorship = get(APP, "Mentorship").objects.filter(program=program).order_by("pk").first()
    skill = get(APP, "ProgramSkill").objects.create(
        program=program, sort_order=0, name="Giving feedback", description="Clear, kind and specific."
    )
    Rating = get(APP, "SkillRating")
    for rater, moment, level in (
        (mentorship.mentee, "start", 2),
        (mentorship.mentee, "closing", 4),
        (mentorship.mentor, "closing", 3),
    ):
        Rating.objects.create(skill=skill, subject=mentorship.mentee, rater=rater, moment=moment, level=level)


def seed_surveys(apps: Apps) -> None:
    """The previous state's rows, a program's mid-point survey page with two questions and an answer to it
    (``0014_surveys``)."""
    seed_skills(apps)
    get = apps.get_model
    program = get(APP, "MentoringProgramPage").objects.order_by("pk").first()
    survey = _add_child(
        apps, program, "SurveyPage", title="Halfway there", slug="halfway", moment="midpoint", intro="Two questions"
    )
    get(APP, "SurveyFormField").objects.create(
        page=survey,
        sort_order=0,
        clean_name="most_useful",
        label="Most useful",
        field_type="radio",
        choices="Career\nSkills",
    )
    get(APP, "SurveyFormField").objects.create(
        page=survey, sort_order=1, clean_name="hours", label="Hours", field_type="number", required=False
    )
    mentorship = get(APP, "Mentorship").objects.filter(program=program).order_by("pk").first()
    get(APP, "Feedback").objects.create(
        mentorship=mentorship,
        program=program,
        author=mentorship.mentee,
        kind="midpoint",
        rating=4,
        survey=survey,
        answers={"most_useful": "Skills", "hours": "3"},
    )


#: Migration name (``None`` = before the app's first migration) -> seeder for that state.
SEEDERS: dict[str | None, Callable[[Apps], None]] = {
    None: seed_other_apps,
    "0001_initial": seed_0001,
    "0002_matching_run": seed_0002,
    "0005_session_scheduling": seed_0005,
    "0006_objective_templates": seed_0006,
    "0007_keyresult_realignment": seed_realignment,
    "0008_journeys": seed_journeys,
    "0009_webhooks": seed_webhooks,
    "0010_self_match": seed_self_match,
    "0011_groups": seed_groups,
    "0013_skills": seed_skills,
    "0014_surveys": seed_surveys,
}


def seeder_for(migration: str | None, history: list[str]) -> Callable[[Apps], None]:
    """The newest seeder keyed at or before ``migration`` in the app's linear ``history``."""
    position = -1 if migration is None else history.index(migration)
    for name in reversed([None, *history[: position + 1]]):
        if name in SEEDERS:
            return SEEDERS[name]
    raise AssertionError("no seeder")  # pragma: no cover - SEEDERS[None] always exists
