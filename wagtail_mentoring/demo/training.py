"""Demo training library: resources of every type and audience, two learning paths, events, progress."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission

from wagtail_mentoring.demo.base import DemoContext, child_page
from wagtail_mentoring.training.models import (
    LearningPath,
    LearningPathItem,
    TrainingCompletion,
    TrainingEvent,
    TrainingLibraryPage,
    TrainingRegistration,
    TrainingResourcePage,
)

AGREEMENT_TEMPLATE = """Mentoring agreement

1. Our goals for the next three months:
2. How often we meet, where, and for how long:
3. How we contact each other between meetings:
4. Topics that are in bounds / out of bounds:
5. Confidentiality: what stays between us:
6. How either of us can end the pairing without hard feelings:
"""


def _p(*paragraphs: str) -> list:
    return [("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))]


def _resources(document) -> list[dict]:
    """The demo resources: slug, fields and body."""
    return [
        {
            "slug": "what-good-mentors-do",
            "title": "What good mentors do (and don't do)",
            "resource_type": "article",
            "audience": "mentors",
            "duration_minutes": 12,
            "topics": ["mentoring basics", "role clarity"],
            "summary": "The mentor's job in one page: ask more than you tell, open doors, stay out of the line manager's lane.",
            "body": _p(
                "A mentor is not a second manager. You will not set your mentee's priorities or judge their work; "
                "you help them see their situation more clearly and decide for themselves.",
                "Most of the value comes from three habits: asking open questions, sharing the story behind your own "
                "decisions (including the bad ones), and introducing your mentee to people they would not otherwise meet.",
            )
            + [
                (
                    "key_takeaways",
                    {
                        "heading": "",
                        "items": [
                            "Ask, then listen for twice as long as you talk.",
                            "Share how you decided, not just what you decided.",
                            "Leave performance questions to the line manager.",
                        ],
                    },
                ),
                (
                    "reflection_prompt",
                    {
                        "prompt": "Who mentored you, formally or not, and what exactly did they do that helped?",
                        "guidance": "Write down two behaviours you want to copy and one you want to avoid.",
                    },
                ),
            ],
        },
        {
            "slug": "active-listening",
            "title": "Active listening in mentoring conversations",
            "resource_type": "video",
            "audience": "mentors",
            "duration_minutes": 18,
            "topics": ["listening", "communication"],
            "summary": "A short talk on listening to understand rather than to reply, with a practice exercise.",
            "body": [
                (
                    "video",
                    {
                        "video": "https://www.youtube.com/watch?v=cSohjlYQI2A",
                        "caption": "Julian Treasure: 5 ways to listen better",
                        "transcript": "",
                    },
                ),
            ]
            + _p(
                "Watch the talk, then try the RASA exercise in your next conversation: Receive, Appreciate, Summarise, Ask."
            )
            + [
                (
                    "checklist",
                    {
                        "heading": "In your next session",
                        "items": [
                            "Summarise what you heard before giving any advice.",
                            "Count how many questions you ask compared with statements.",
                            "Notice when you start preparing your answer while they are still talking.",
                        ],
                    },
                )
            ],
        },
        {
            "slug": "the-coaching-habit",
            "title": "The Coaching Habit",
            "resource_type": "book",
            "audience": "everyone",
            "duration_minutes": 240,
            "topics": ["coaching", "questions"],
            "summary": "Seven questions that make every mentoring conversation shorter and more useful.",
            "body": [
                (
                    "book",
                    {
                        "title": "The Coaching Habit",
                        "author": "Michael Bungay Stanier",
                        "isbn": "978-0-9784407-4-9",
                        "publisher": "Box of Crayons Press",
                        "year": 2016,
                        "note": "Short chapters, each built around one question. Start with \u201cAnd what else?\u201d.",
                    },
                ),
            ]
            + [
                (
                    "key_takeaways",
                    {
                        "heading": "",
                        "items": [
                            "What's on your mind?",
                            "And what else?",
                            "What's the real challenge here for you?",
                            "What was most useful for you?",
                        ],
                    },
                )
            ],
        },
        {
            "slug": "radical-candor",
            "title": "Radical Candor: feedback that is kind and clear",
            "resource_type": "book",
            "audience": "mentors",
            "duration_minutes": 360,
            "topics": ["feedback"],
            "summary": "Care personally, challenge directly: a practical model for feedback mentors can borrow.",
            "body": [
                (
                    "book",
                    {
                        "title": "Radical Candor",
                        "author": "Kim Scott",
                        "isbn": "978-1-250-10350-5",
                        "publisher": "St. Martin's Press",
                        "year": 2017,
                        "note": "Read chapters 1 and 5 first; the rest is about managing teams.",
                    },
                ),
                (
                    "reflection_prompt",
                    {
                        "prompt": "When did someone's honest feedback change your career for the better?",
                        "guidance": "",
                    },
                ),
            ],
        },
        {
            "slug": "setting-okrs-with-your-mentor",
            "title": "Setting OKRs with your mentor",
            "resource_type": "article",
            "audience": "mentees",
            "duration_minutes": 15,
            "topics": ["goals", "okrs"],
            "summary": "Turn \u201cI want to grow\u201d into one objective and three measurable key results.",
            "body": _p(
                "An objective says where you want to be; key results say how you will know you got there. "
                "Keep it to one or two objectives per cycle: fewer is better.",
                "Write a first draft alone, then bring it to your mentor and ask them to challenge each key result: "
                "is it measurable, is it yours to move, and would hitting it really mean the objective is achieved?",
            )
            + [
                (
                    "checklist",
                    {
                        "heading": "Before your first session",
                        "items": [
                            "Draft one objective in plain words.",
                            "Write three key results with a number and a date.",
                            "Mark which ones depend on other people.",
                        ],
                    },
                )
            ],
        },
        {
            "slug": "getting-the-most-from-mentoring",
            "title": "Getting the most from being mentored",
            "resource_type": "webinar",
            "audience": "mentees",
            "duration_minutes": 60,
            "topics": ["mentoring basics", "ownership"],
            "summary": "Recording of last spring's webinar: you own the relationship, the agenda and the follow-up.",
            "body": _p(
                "Mentees who get the most out of the program arrive with an agenda, ask for specific stories, "
                "and send a two-line summary after every session.",
            )
            + [
                (
                    "external_link",
                    {
                        "url": "https://hbr.org/2017/03/what-mentoring-relationships-should-look-like",
                        "title": "What mentoring relationships should look like",
                        "description": "Background reading mentioned in the webinar.",
                    },
                ),
                (
                    "key_takeaways",
                    {
                        "heading": "",
                        "items": [
                            "Bring the agenda.",
                            "Ask for stories, not advice.",
                            "Follow up within a day.",
                        ],
                    },
                ),
            ],
        },
        {
            "slug": "mentoring-agreement-template",
            "title": "Mentoring agreement template",
            "resource_type": "template",
            "audience": "everyone",
            "duration_minutes": 20,
            "topics": ["agreements", "role clarity"],
            "summary": "A one-page agreement to fill in together in your first meeting.",
            "body": _p("Fill this in together in your first meeting and revisit it at the half-way point.")
            + [("document", {"document": document, "description": "Plain-text template, one page."})],
        },
        {
            "slug": "first-session-agenda",
            "title": "Your first session: a 45-minute agenda",
            "resource_type": "template",
            "audience": "mentees",
            "duration_minutes": 10,
            "topics": ["agreements", "sessions"],
            "summary": "A minute-by-minute plan for the first meeting, so nobody has to improvise.",
            "body": [
                (
                    "checklist",
                    {
                        "heading": "Agenda",
                        "items": [
                            "5 min: introductions beyond job titles.",
                            "15 min: what each of us wants from the program.",
                            "15 min: agree the mentoring agreement.",
                            "10 min: pick the first topic and book the next three sessions.",
                        ],
                    },
                )
            ],
        },
        {
            "slug": "giving-feedback-workshop",
            "title": "Giving feedback that lands: workshop",
            "resource_type": "workshop",
            "audience": "mentors",
            "duration_minutes": 180,
            "topics": ["feedback", "communication"],
            "summary": "Half-day practice workshop with role plays; see the events page for dates.",
            "body": _p(
                "In small groups you will practise the situation-behaviour-impact model on real (anonymised) cases, "
                "and get feedback on your feedback from a trained facilitator.",
            )
            + [
                (
                    "reflection_prompt",
                    {
                        "prompt": "Which conversation are you avoiding right now, and what would it cost to have it?",
                        "guidance": "Bring it to the workshop as your practice case.",
                    },
                )
            ],
        },
        {
            "slug": "coordinating-a-program",
            "title": "Running a mentoring program: the coordinator's course",
            "resource_type": "course",
            "audience": "coordinators",
            "duration_minutes": 480,
            "topics": ["program design", "matching"],
            "summary": "Four modules: recruiting, matching, keeping pairs on track, and measuring outcomes.",
            "body": _p(
                "Module 1 covers recruiting mentors and mentees; module 2 explains how the matching proposal is built "
                "and how to review it; module 3 is about spotting stalled pairs early; module 4 about surveys and "
                "program health.",
            )
            + [
                (
                    "key_takeaways",
                    {
                        "heading": "",
                        "items": [
                            "Review every proposed match before anyone is told.",
                            "A pair with no check-in for a month needs a nudge, not a reminder e-mail.",
                            "Measure outcomes against the goals written at enrolment.",
                        ],
                    },
                )
            ],
        },
        {
            "slug": "matching-explained",
            "title": "How matching works",
            "resource_type": "article",
            "audience": "coordinators",
            "duration_minutes": 8,
            "topics": ["matching"],
            "summary": "What each matching criterion contributes, and which hard rules can exclude a pair.",
            "body": _p(
                "Each possible pair gets a score from shared skills, interests and languages, weighted by the program. "
                "Hard rules (for example: not the same department) exclude a pair entirely. The proposal maximises "
                "the total score while respecting each mentor's capacity.",
            ),
        },
        {
            "slug": "career-conversations-podcast",
            "title": "Career conversations (podcast episode)",
            "resource_type": "podcast",
            "audience": "everyone",
            "duration_minutes": 35,
            "topics": ["career planning"],
            "summary": "Two colleagues talk about the mentoring conversation that changed their career path.",
            "body": _p("Listen on your commute; then note one question you want to ask your own mentor.")
            + [
                (
                    "external_link",
                    {
                        "url": "https://example.com/podcasts/career-conversations-12",
                        "title": "Episode 12: the conversation that changed my path",
                        "description": "",
                    },
                )
            ],
        },
        {
            "slug": "psychological-safety",
            "title": "Psychological safety in one-to-ones",
            "resource_type": "article",
            "audience": "everyone",
            "duration_minutes": 9,
            "topics": ["communication", "trust"],
            "summary": "Why people only bring real problems to people they trust, and how to earn it.",
            "body": _p(
                "Trust is built in small moments: keeping confidences, admitting your own mistakes, and reacting "
                "calmly to bad news.",
            )
            + [
                (
                    "reflection_prompt",
                    {"prompt": "What would make it easier for you to raise a problem early?", "guidance": ""},
                )
            ],
        },
    ]


def _document():
    Document = get_document_model()
    doc = Document.objects.filter(title="Mentoring agreement template").first()
    if doc is None:
        doc = Document(title="Mentoring agreement template")
        doc.file.save("mentoring-agreement-template.txt", ContentFile(AGREEMENT_TEMPLATE.encode()), save=False)
        doc.save()
    return doc


def _editors_may_publish(library) -> None:
    """Let the demo "Editors" group publish in the library (Wagtail's default Editors only submit drafts)
    and manage learning paths and training events."""
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    for codename in ("add_page", "change_page", "publish_page"):
        permission = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(group=editors, page=library, permission=permission)
    # Learning paths and training events are snippets: editors manage them through Wagtail's model
    # permissions (docs/roles-and-permissions.md).
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="wagtail_mentoring",
            content_type__model__in=("learningpath", "trainingevent"),
            codename__regex=r"^(add|change|delete|view)_",
        )
    )


def _path(title: str, description: str, audience: str, resources: list):
    path, created = LearningPath.objects.get_or_create(
        title=title, defaults={"description": description, "audience": audience}
    )
    if created:
        for order, resource in enumerate(resources):
            LearningPathItem.objects.create(path=path, resource=resource, sort_order=order)
    return path


def run(ctx: DemoContext) -> None:
    """Library page ``/training/``, 13 resources, two learning paths, upcoming events, some progress."""
    library = child_page(
        ctx.pages["home"],
        TrainingLibraryPage,
        "training",
        title=_("Training library"),
        intro="<p>Articles, books, videos and workshops for mentors, mentees and coordinators.</p>",
    )
    ctx.pages["training"] = library
    _editors_may_publish(library)
    document = _document()
    pages: dict[str, TrainingResourcePage] = {}
    for spec in _resources(document):
        spec = dict(spec)
        slug, topics = spec.pop("slug"), spec.pop("topics")
        existing = library.get_children().filter(slug=slug).first()
        if existing is not None:
            pages[slug] = existing.specific
            continue
        page = TrainingResourcePage(slug=slug, **spec)
        library.add_child(instance=page)
        page.topics.add(*topics)
        page.save_revision().publish()
        pages[slug] = page

    mentor_path = _path(
        "Mentor onboarding",
        "Complete before you are matched with a mentee.",
        "mentors",
        [
            pages[s]
            for s in ("what-good-mentors-do", "active-listening", "mentoring-agreement-template", "the-coaching-habit")
        ],
    )
    mentee_path = _path(
        "Mentee essentials",
        "Complete before you are matched with a mentor.",
        "mentees",
        [
            pages[s]
            for s in ("getting-the-most-from-mentoring", "setting-okrs-with-your-mentor", "first-session-agenda")
        ],
    )
    ctx.extra["mentor_path"] = mentor_path
    ctx.extra["mentee_path"] = mentee_path

    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(days: int, hour: int) -> dt.datetime:
        return dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour, 0), tzinfo=tz)

    events = []
    for title, days, hour, hours, capacity, kwargs in [
        (
            "Giving feedback that lands",
            9,
            9,
            3,
            12,
            {
                "location": "Milan office, room Volta",
                "audience": "mentors",
                "resource": pages["giving-feedback-workshop"],
            },
        ),
        (
            "Mentee kickoff webinar",
            5,
            16,
            1,
            80,
            {
                "online_url": "https://meet.example.com/mentee-kickoff",
                "audience": "mentees",
                "resource": pages["getting-the-most-from-mentoring"],
            },
        ),
        (
            "Active listening lab",
            16,
            14,
            2,
            3,
            {"location": "London office, 3rd floor", "audience": "everyone", "resource": pages["active-listening"]},
        ),
        (
            "Coordinators' matching review",
            23,
            11,
            1,
            10,
            {
                "online_url": "https://meet.example.com/matching",
                "audience": "coordinators",
                "resource": pages["matching-explained"],
            },
        ),
    ]:
        event, _created = TrainingEvent.objects.get_or_create(
            title=title,
            defaults={
                "start": at(days, hour),
                "end": at(days, hour + hours),
                "capacity": capacity,
                "description": kwargs["resource"].summary,
                **kwargs,
            },
        )
        events.append(event)

    mentors, mentees = ctx.mentors, ctx.mentees
    registrations = [(events[0], u) for u in mentors[:3]] + [(events[1], u) for u in mentees[:5]]
    registrations += [(events[2], u) for u in (mentors + mentees)[:3]]  # the lab is full
    registrations += [(events[3], ctx.users["coordinator"])]
    for event, user in registrations:
        TrainingRegistration.objects.get_or_create(event=event, user=user)

    mentor_steps = [item.resource for item in mentor_path.items.select_related("resource").order_by("sort_order")]
    mentee_steps = [item.resource for item in mentee_path.items.select_related("resource").order_by("sort_order")]
    progress = [(mentors[0], mentor_steps), (mentors[1], mentor_steps[:2])]
    progress += [(mentees[0], mentee_steps), (mentees[1], mentee_steps), (mentees[2], mentee_steps[:1])]
    progress += [(ctx.users["employee"], [pages["psychological-safety"]])]
    for user, steps in progress:
        for resource in steps:
            TrainingCompletion.objects.get_or_create(user=user, resource=resource)

    ctx.say(
        ctx.style.SUCCESS(
            _("Training library ready: %(n)d resources, 2 learning paths, %(e)d events.")
            % {"n": len(pages), "e": len(events)}
        )
    )
