"""Front-end views of the mentoring dashboard page's routes (called from MentoringDashboardPage).

Each view resolves its objects through ``wagtail_mentoring.access`` (``get_visible_or_404``), so an
object the user may not see is a 404; the page itself sends anonymous users to log in.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry
from wagtail.search.backends import get_search_backend

from wagtail_mentoring.access.querysets import (
    aligned_objectives,
    can_publish_availability,
    editable_objectives,
    get_visible_or_404,
    notes_mentorships,
    participating_mentorships,
    plan_objectives,
    skill_rating_mentorships,
    suggested_objective_templates,
    visible_check_ins,
    visible_initiatives,
    visible_mentorships,
    visible_objectives,
    visible_realignments,
    visible_sessions,
    visible_training_resources,
)
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.dashboards import selectors
from wagtail_mentoring.dashboards.forms import (
    CheckInForm,
    InitiativeForm,
    InitiativeToggleForm,
    KeyResultFormSet,
    ObjectiveForm,
    SessionForm,
    StartFromTemplateForm,
)
from wagtail_mentoring.dashboards.rows import (
    CARD_CACHE_SECONDS,
    Action,
    card_cache_key,
    coordinator_overview,
    next_actions,
    objective_rows,
    skill_rating_actions,
)
from wagtail_mentoring.dashboards.schedule import upcoming_for
from wagtail_mentoring.dashboards.smart_hints import smart_hints
from wagtail_mentoring.form_errors import save_valid_form
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.selectors import attach_journeys
from wagtail_mentoring.recognition.services import celebrations_for
from wagtail_mentoring.skills.selectors import attach_skill_changes, due_skill_ratings
from wagtail_mentoring.snippets import scoring
from wagtail_mentoring.snippets.library import TEMPLATE_LEVEL_CHOICES, in_active_locale
from wagtail_mentoring.snippets.models import KeyResult, Objective
from wagtail_mentoring.snippets.services import save_initiative
from wagtail_mentoring.surveys.scheduling import due_surveys
from wagtail_mentoring.training.requirements import remaining_resource_ids, required_path

INDEX_TEMPLATE = "wagtail_mentoring/dashboards/dashboard_page.html"
PAIR_TEMPLATE = "wagtail_mentoring/dashboards/mentee_detail.html"
OBJECTIVE_TEMPLATE = "wagtail_mentoring/dashboards/objective_detail.html"
OBJECTIVE_FORM_TEMPLATE = "wagtail_mentoring/dashboards/objective_form.html"
SESSION_TEMPLATE = "wagtail_mentoring/dashboards/session_page.html"
TEMPLATES_TEMPLATE = "wagtail_mentoring/dashboards/objective_templates.html"
#: How many entries of an objective's history (created, edited) its page lists, newest first.
OBJECTIVE_CHANGES_SHOWN = 10
#: How many objective templates one page of "Start from a template" lists.
TEMPLATES_PAGE_SIZE = 20
#: "Start from a template"'s level filter value for every level (by default: the levels of the user's roles).
ALL_LEVELS = "all"
#: The longest search query "Start from a template" accepts (longer ones are cut).
MAX_QUERY_LENGTH = 100
#: How many of a pair's newest sessions its pairing page lists.
PAIR_SESSIONS_SHOWN = 20
#: How many of an objective's newest check-ins its page lists.
CHECK_IN_HISTORY_SHOWN = 50


# --- training -------------------------------------------------------------------------------------
def recommended_training(request: HttpRequest, objectives, audience: str = "mentees", limit: int = 5) -> list:
    """Live training resources the requester may view whose topics match the objectives' categories.

    A topic matches a category when its name or slug is, ignoring case, the category's value, the value with
    hyphens or spaces, or its label: one ``IN`` of lowercased names (an ``iexact`` per name and field took
    twice as long to build as to run).
    """
    names: set[str] = set()
    for objective in objectives:
        value = objective.category
        names |= {value, value.replace("_", "-"), value.replace("_", " "), str(objective.get_category_display())}
    if not names:
        return []
    lowered = sorted({name.lower() for name in names})
    return list(
        visible_training_resources(request)
        .filter(audience__in=[audience, "everyone"])
        .alias(_wm_topic=Lower("topics__name"), _wm_topic_slug=Lower("topics__slug"))
        .filter(Q(_wm_topic__in=lowered) | Q(_wm_topic_slug__in=lowered))
        .distinct()
        .order_by("title")[:limit]
    )


def required_training(request: HttpRequest, pairings, role: str) -> list[dict]:
    """For each pairing's program: its required learning path for ``role`` and what remains of it.

    The remaining steps named (title and link) are only those the requester may view (page privacy,
    ``access.visible_training_resources``); the counts are the path's.
    """
    user = request.user
    result = []
    seen = set()
    for mentorship in pairings:
        program = mentorship.program
        if program.pk in seen:
            continue
        seen.add(program.pk)
        path = required_path(program, role)
        if path is None:
            continue
        remaining = remaining_resource_ids(path, [user.pk])[user.pk]
        pages = visible_training_resources(request).in_bulk(remaining)
        total = path.items.count()
        result.append(
            {
                "program": program,
                "path": path,
                "remaining": [pages[pk] for pk in remaining if pk in pages],
                "done": total - len(remaining),
                "total": total,
            }
        )
    return result


# --- helpers --------------------------------------------------------------------------------------
def _redirect_back(request: HttpRequest, page, default: str = "", query: str = "") -> HttpResponseRedirect:
    """Redirect to ``next`` when it is one of this page's routes, else to ``default`` (the index).

    ``query`` (already encoded, e.g. ``rate=12``) is appended to the target's query string.
    """
    target = request.POST.get("next") or ""
    base = page.get_url(request) or "/"
    if not (
        target
        and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        and target.startswith(base)
    ):
        target = default or base
    if query:
        target = f"{target}{'&' if '?' in target else '?'}{query}"
    return HttpResponseRedirect(target)


def rating_prompt(request: HttpRequest, surveys: list | None = None):
    """The due session-rating survey of the session named by ``?rate=`` (just logged), or None.

    Only a survey due to the user themself is returned, so another pair's session id finds nothing.
    """
    raw = request.GET.get("rate", "")
    if not raw.isdigit():
        return None
    if surveys is None:
        surveys = due_surveys(user=request.user)
    session_id = int(raw)
    return next((s for s in surveys if s.kind == "session" and s.session_id == session_id and s.url), None)


# --- routes ---------------------------------------------------------------------------------------
def _route_url(page, request: HttpRequest, route: str = "objective"):
    """A function giving the URL of one of the page's routes that take a pk (an objective's page, its edit
    form, a pairing's page) from that pk; the page URL is resolved once."""
    base = (page.get_url(request) or "/") + page.reverse_subpage(route, args=[0])
    prefix = base[: base.rindex("0")]
    suffix = base[base.rindex("0") + 1 :]
    return lambda pk: f"{prefix}{pk}{suffix}"


def link_journey_surveys(mentorships, surveys) -> None:
    """Give each journey step that waits for a survey the address of its form while that survey is due to the
    viewer (``surveys``: ``surveys.scheduling.due_surveys``), on mentorships of ``attach_journeys``."""
    urls = {(s.mentorship_id, s.kind): s.url for s in surveys if s.mentorship_id and s.url}
    for mentorship in mentorships:
        for row in getattr(mentorship, "journey_rows", ()):
            if not row.done and row.step.survey_kind:
                row.survey_url = urls.get((mentorship.pk, row.step.survey_kind), "")


def _unplaced(form, rows) -> object:
    """A rejected check-in form that no key result row on the page shows (e.g. a key result the user may
    not check in on), to show its errors at the top; ``None`` otherwise."""
    if form is None:
        return None
    placed = any(kr.form is form for row in rows for kr in row.key_results)
    return None if placed else form


def _check_in_url(page, request: HttpRequest) -> str:
    """The URL each key result's check-in form posts to."""
    return (page.get_url(request) or "/") + page.reverse_subpage("check_in")


def index_context(request: HttpRequest, page, check_in_form=None) -> dict:
    """Everything the dashboard shows the user, by role, in a fixed number of queries.

    ``check_in_form``: a rejected check-in, shown with its errors at its key result.
    """
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return {"nothing": True}
    pairings = selectors.mentee_pairings(user)
    paginator = Paginator(selectors.own_objectives(user), mentoring_settings.DASHBOARD_PAGE_SIZE)
    objectives_page = paginator.get_page(request.GET.get("page"))
    objectives = list(objectives_page.object_list)
    mentor_pairs = selectors.mentor_pairs(user)
    coordinator = coordinator_overview(user)
    can_log = participating_mentorships(user).exists()
    surveys = due_surveys(user=user)
    asked = request.GET.get("check_in", "")
    rows = objective_rows(
        user,
        objectives,
        check_in_form,
        tables=False,
        charts=False,
        open_key_result=int(asked) if asked.isdigit() else None,
    )
    for pairing in pairings:
        pairing.to_confirm = pairing.agreement_to_confirm(user)
        # The mentee of an active pairing takes part in it (``access.participating_mentorships``).
        pairing.journey_can_act = pairing.status == pairing.Status.ACTIVE
    link_journey_surveys(pairings, surveys)
    objective_url = _route_url(page, request)
    edit_url = _route_url(page, request, "objective_edit")
    check_in_query = f"page={objectives_page.number}&" if objectives_page.number > 1 else ""
    for row in rows:
        row.url = objective_url(row.objective.pk)
        row.edit_url = edit_url(row.objective.pk) if row.can_edit else ""
        row.cache_key = card_cache_key(user, row, page_id=page.pk, check_in_query=check_in_query)
    shown = {kr.key_result.pk for row in rows for kr in row.key_results}
    page_url = page.get_url(request) or "/"
    session_url = page_url + page.reverse_subpage("session")
    upcoming = upcoming_for(user) if can_log else []
    self_match = selectors.selfmatch_context(user)
    groups = selectors.group_cards(user)
    actions = next_actions(
        user,
        pairings=pairings,
        mentor_pairs=mentor_pairs,
        surveys=surveys,
        shown_key_results=shown,
        page_url=page_url,
        objective_url=objective_url,
        session_url=session_url,
        pairing_url=_route_url(page, request, "mentee"),
        upcoming=upcoming,
        held_url=_route_url(page, request, "session_held"),
    )
    actions[:0] = self_match_actions(self_match)
    actions += group_actions(groups, _route_url(page, request, "group"))
    rating_url = _route_url(page, request, "mentee_skill_rating")
    skills_due = due_skill_ratings(user)
    actions += skill_rating_actions(
        skills_due,
        lambda program_id, moment: page_url + page.reverse_subpage("skill_rating", args=[program_id, moment]),
        rating_url,
    )
    attach_skill_changes(pairings)
    mentees_skills = closed_mentees_skills(user)
    return {
        **self_match,
        "groups": groups,
        "actions": actions,
        "celebrations": list(celebrations_for(user)),
        "due_surveys": surveys,
        "rating_prompt": rating_prompt(request, surveys),
        "pairings": pairings,
        "objective_rows": rows,
        "objectives_page": objectives_page,
        "check_in_query": check_in_query,
        "card_cache_seconds": CARD_CACHE_SECONDS,
        "here": request.path + (f"?page={objectives_page.number}" if objectives_page.number > 1 else ""),
        "mentor_pairs": mentor_pairs,
        "mentees_skills": mentees_skills,
        "coordinator_programs": coordinator,
        "check_in_url": _check_in_url(page, request),
        "check_in_unplaced": _unplaced(check_in_form, rows),
        "can_log_session": can_log,
        "session_url": session_url,
        "schedule_url": page_url + page.reverse_subpage("schedule"),
        "upcoming": upcoming,
        "can_publish_availability": can_log and can_publish_availability(user),
        "recommended": recommended_training(request, objectives, "mentees") if (objectives or pairings) else [],
        "required_paths": required_training(request, pairings, "mentee")
        + required_training(request, [p.mentorship for p in mentor_pairs], "mentor"),
        "is_mentee": bool(pairings or objectives),
        "is_mentor": bool(mentor_pairs),
        "is_coordinator": bool(coordinator),
        "nothing": not (
            pairings
            or objectives
            or mentor_pairs
            or coordinator
            or self_match["choose_mentor"]
            or self_match["requests_to_answer"]
            or groups
            or skills_due
            or mentees_skills
        ),
    }


def group_actions(groups: list, group_url) -> list[Action]:
    """A "Group session" action for each of the user's groups whose next session is due (``selectors.group_cards``)."""
    return [
        Action(
            kind=_("Group session"),
            text=_("“%(group)s” is due to meet: log the session when it is held.") % {"group": group.name},
            url=group_url(group.pk),
            link_text=_("Open the group"),
            tone=scoring.TONE_WARN,
        )
        for group in groups
        if group.session_due
    ]


#: How many closed pairings the mentor's "Your mentees' skills" shows, the most recently ended first.
MENTEES_SKILLS_SHOWN = 5


def closed_mentees_skills(user) -> list:
    """The mentor's completed or ended pairings whose mentee has skill ratings (``access.skill_rating_mentorships``),
    each with ``skill_changes`` (``skills.selectors.attach_skill_changes``): where a mentor, who no longer sees a
    closed pairing's page, sees their mentee's change. Three queries at most."""
    closed = list(
        skill_rating_mentorships(user)
        .select_related("mentee", "program")
        .order_by("-ended_on", "-pk")[:MENTEES_SKILLS_SHOWN]
    )
    attach_skill_changes(closed)
    return [m for m in closed if m.skill_changes]


def self_match_actions(self_match: dict) -> list[Action]:
    """Self-match's next actions, first: requests the mentor should answer, mentors the mentee may choose."""
    actions = [
        Action(
            kind=_("Mentoring request"),
            text=_("%(mentee)s asks you to be their mentor; please answer by %(date)s.")
            % {"mentee": display_name(item.mentee), "date": date_format(item.expires_on)},
            url=f"#wm-request-{item.pk}",
            link_text=_("Answer"),
            tone=scoring.TONE_WARN,
        )
        for item in self_match["requests_to_answer"]
    ]
    actions += [
        Action(
            kind=_("Choose your mentor"),
            text=_("Choose your mentor in “%(program)s” among the suggestions.") % {"program": item.program.title},
            url=f"#wm-choose-{item.program.pk}",
            link_text=_("See the suggestions"),
        )
        for item in self_match["choose_mentor"]
        if item.pending is None and item.suggestions
    ]
    return actions


def index(page, request: HttpRequest) -> HttpResponse:
    """Render the dashboard page with ``index_context`` (the page's index route and its preview)."""
    return page.render(request, context_overrides=index_context(request, page), template=INDEX_TEMPLATE)


def wants_json(request: HttpRequest) -> bool:
    """Did the page's script ask for JSON (``Accept: application/json``) rather than a page?"""
    return "application/json" in request.headers.get("Accept", "")


def check_in_result(key_result: KeyResult) -> dict:
    """What the page's script shows after a check-in: the key result's value, progress and health, and its
    objective's."""
    today = timezone.localdate()
    objective = Objective.objects.prefetch_related("key_results").get(pk=key_result.objective_id)
    key_result = next(kr for kr in objective.key_results.all() if kr.pk == key_result.pk)
    health = key_result.health_on(today)
    objective_health = objective.health_on(today)
    return {
        "key_result": key_result.pk,
        "value_text": key_result.value_text,
        "current_text": f"{float(key_result.start_value if key_result.current_value is None else key_result.current_value):g}",
        "percent": key_result.progress_percent,
        "health": health,
        "health_label": scoring.health_label(health),
        "tone": scoring.health_tone(health),
        "objective": {
            "pk": objective.pk,
            "percent": objective.progress_percent,
            "health": objective_health,
            "health_label": scoring.health_label(objective_health),
            "tone": scoring.health_tone(objective_health),
        },
    }


def check_in(page, request: HttpRequest) -> HttpResponse:
    """POST one check-in (and optionally its session); key results come from ``check_in_key_results``.

    Without JavaScript: redirect back to the key result's anchor with a status message, or re-render the
    page (400) with the form's errors at that key result. With the page's script (``Accept:
    application/json``): the new value, progress and health as JSON, or the field errors (400).
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    raw = str(request.POST.get("key_result", ""))
    auto_id = f"wm-kr-{raw}-%s" if raw.isdigit() else "wm-check-in-%s"
    form = CheckInForm(request.user, request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            _check_in, logged = form.save()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = _("Check-in saved.")
            if wants_json(request):
                return JsonResponse(
                    {"ok": True, "message": message, **check_in_result(form.cleaned_data["key_result"])}
                )
            messages.success(request, message)
            response = _redirect_back(request, page, query=f"rate={logged.pk}" if logged else "")
            response["Location"] += f"#key-result-{form.cleaned_data['key_result'].pk}"
            return response
    if wants_json(request):
        return JsonResponse({"ok": False, "errors": form.errors.get_json_data()}, status=400)
    response = _render_with_errors(request, page, form)
    response.status_code = 400
    return response


def _render_with_errors(request: HttpRequest, page, form) -> HttpResponse:
    """The page the check-in was posted from (``next``: the dashboard, a pairing or an objective page), with
    the rejected form and its errors at its key result."""
    base = page.get_url(request) or "/"
    target = request.POST.get("next") or ""
    if target.startswith(base) and target != base:
        try:
            view, _args, kwargs = page.resolve_subpage("/" + target[len(base) :].split("?")[0].lstrip("/"))
        except Http404:
            view, kwargs = None, {}
        name = getattr(view, "__name__", "")
        if name == "mentee_route":
            return mentee_detail(page, request, kwargs["mentorship_id"], check_in_form=form)
        if name == "objective_route":
            return objective_detail(page, request, kwargs["pk"], check_in_form=form)
    return page.render(
        request, context_overrides=index_context(request, page, check_in_form=form), template=INDEX_TEMPLATE
    )


def session(page, request: HttpRequest) -> HttpResponse:
    """Log a session of one of the user's active pairings: the form (GET, ``?mentorship=<pk>`` preselects
    that pairing when it is one of them) and its POST, which returns to the dashboard (or ``next``) with a
    prompt to rate the session, or shows the form again with its errors (400)."""
    user = request.user
    if request.method == "POST":
        form = SessionForm(user, request.POST)
        if form.is_valid():
            try:
                logged = form.save()
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Session logged."))
                return _redirect_back(request, page, query=f"rate={logged.pk}")
        status = 400
    elif request.method == "GET":
        raw = request.GET.get("mentorship", "")
        initial = {"mentorship": int(raw)} if raw.isdigit() else {}
        form = SessionForm(user, initial=initial, discussed=False)
        if initial and not form.fields["mentorship"].queryset.filter(pk=initial["mentorship"]).exists():
            form = SessionForm(user, discussed=False)  # not one of the user's pairings: nothing preselected
        status = 200
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    response = page.render(
        request,
        context_overrides={"session_form": form, "has_pairings": form.fields["mentorship"].queryset.exists()},
        template=SESSION_TEMPLATE,
    )
    response.status_code = status
    return response


def confirm_agreement(page, request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """POST: the mentor or the mentee of an active pairing confirms its agreement (``services.confirm_agreement``).

    Any other pairing is a 404; a pairing whose agreement cannot be confirmed (paused, none written) returns
    with the reason as a message, the data unchanged.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mentorship = get_visible_or_404(participating_mentorships(request.user), pk=mentorship_id)
    try:
        services.confirm_agreement(mentorship, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Agreement confirmed."))
    return _redirect_back(request, page)


def toggle_initiative(page, request: HttpRequest, pk: int) -> HttpResponse:
    """POST: tick an initiative off or reopen it (whoever keeps the objective's plan: ``plan_objectives``)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user = request.user
    queryset = visible_initiatives(user).filter(objective__in=plan_objectives(user).values("pk"))
    initiative = get_visible_or_404(queryset, pk=pk)
    form = InitiativeToggleForm(request.POST)
    if form.is_valid():
        save_initiative(initiative, done=form.cleaned_data["done"])
        messages.success(request, _("Initiative updated."))
    return _redirect_back(request, page)


def mentee_detail(page, request: HttpRequest, mentorship_id: int, check_in_form=None) -> HttpResponse:
    """A pairing drill-down for its mentor (or mentee): objectives, check-ins, sessions.

    ``check_in_form``: a rejected check-in, shown with its errors at its key result.
    """
    user = request.user
    mentorship = get_visible_or_404(
        visible_mentorships(user).filter(Q(mentor=user) | Q(mentee=user)).select_related("program"), pk=mentorship_id
    )
    summary = selectors.pair_summaries(user, visible_mentorships(user).filter(pk=mentorship.pk))[0]
    attach_skill_changes([mentorship])
    attach_journeys([mentorship], user=user)
    link_journey_surveys([mentorship], due_surveys(user=user) if mentorship.journey_rows else [])
    objectives = list(selectors.pairing_objectives(user, mentorship))
    rows = objective_rows(user, objectives, check_in_form)
    sessions = list(visible_sessions(user).filter(mentorship=mentorship).order_by("-date")[:PAIR_SESSIONS_SHOWN])
    can_read_notes = notes_mentorships(user).filter(pk=mentorship.pk).exists()
    is_active_pair = participating_mentorships(user).filter(pk=mentorship.pk).exists()
    session_form = SessionForm(user, initial={"mentorship": mentorship.pk}) if is_active_pair else None
    return page.render(
        request,
        context_overrides={
            "mentorship": mentorship,
            "summary": summary,
            "objective_rows": rows,
            "sessions": sessions,
            "can_read_notes": can_read_notes,
            "agreement_to_confirm": is_active_pair and mentorship.agreement_to_confirm(user),
            "can_act": is_active_pair,
            "check_in_url": _check_in_url(page, request),
            "check_in_unplaced": _unplaced(check_in_form, rows),
            "session_form": session_form,
            "rating_prompt": rating_prompt(request),
            "here": request.path,
        },
        template=PAIR_TEMPLATE,
    )


def add_initiative(page, request: HttpRequest, pk: int) -> HttpResponse:
    """POST: add a step to the objective's action plan (whoever keeps its plan: ``plan_objectives``; 404 for
    anyone else). A rejected step is shown on the objective's page with its errors, nothing written."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    objective = get_visible_or_404(plan_objectives(request.user).select_related("mentorship"), pk=pk)
    form = InitiativeForm(objective, request.POST)
    if save_valid_form(form) is not None:
        messages.success(request, _("Step added to the action plan."))
        target = (page.get_url(request) or "/") + page.reverse_subpage("objective", args=[objective.pk])
        return HttpResponseRedirect(f"{target}#action-plan-{objective.pk}")
    return objective_detail(page, request, pk, initiative_form=form, status=400)


def objective_detail(
    page, request: HttpRequest, pk: int, check_in_form=None, initiative_form=None, status: int = 200
) -> HttpResponse:
    """One visible objective with its key results, charts, check-in history, action plan and SMART hints.

    ``check_in_form``: a rejected check-in, shown with its errors at its key result. ``initiative_form``: a
    rejected step of the action plan, shown with its errors in the plan.
    """
    user = request.user
    objective = get_visible_or_404(selectors.with_okr_prefetch(visible_objectives(user)), pk=pk)
    rows = objective_rows(user, [objective], check_in_form)
    row = rows[0]
    history = list(
        visible_check_ins(user)
        .filter(key_result__objective=objective)
        .select_related("key_result", "author")
        .order_by("-created_at", "-pk")[:CHECK_IN_HISTORY_SHOWN]
    )
    reviews = list(
        visible_realignments(user)
        .filter(key_result__objective=objective)
        .select_related("key_result", "author")
        .order_by("-created_at", "-pk")
    )
    by_key_result = defaultdict(list)
    for review in reviews:
        by_key_result[review.key_result_id].append(review)
    for check_in in history:
        # The target the check-in was measured against: the one in force then (``KeyResult.target_on``).
        check_in.target_then = check_in.key_result.target_text_on(
            check_in.created_at, by_key_result[check_in.key_result_id]
        )
    response = page.render(
        request,
        context_overrides={
            "row": row,
            "objective": objective,
            "history": history,
            "reviews": reviews,
            "smart": smart_hints(objective) if row.can_edit else [],
            "check_in_url": _check_in_url(page, request),
            "check_in_unplaced": _unplaced(check_in_form, rows),
            "initiative_form": initiative_form or (InitiativeForm(objective) if row.can_plan else None),
            # The objectives aligned to this one that the user may see (the alignment tree, one level down).
            "aligned_here": list(aligned_objectives(user, objective).select_related("owner").order_by("title", "pk")),
            # Who created and changed the objective, when (its log, as the admin's history keeps it).
            "changes": list(
                ModelLogEntry.objects.for_instance(objective)
                .select_related("user")
                .order_by("-timestamp", "-pk")[:OBJECTIVE_CHANGES_SHOWN]
            ),
            "here": request.path,
        },
        template=OBJECTIVE_TEMPLATE,
    )
    response.status_code = status
    return response


def objective_form(page, request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create (``pk`` None) or edit one of the user's own objectives with its key results."""
    user = request.user
    objective = get_visible_or_404(editable_objectives(user), pk=pk) if pk is not None else None
    instance = objective or Objective(owner=user)
    if request.method == "POST":
        form = ObjectiveForm(user, request.POST, instance=instance)
        formset = KeyResultFormSet(request.POST, instance=instance, prefix="kr")
        form_ok = form.is_valid()
        if form_ok:
            formset.limit = form.max_key_results()
        if form_ok and formset.is_valid():
            try:
                saved = form.save_with_key_results(formset)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Objective saved."))
                return HttpResponseRedirect(page.get_url(request) + page.reverse_subpage("objective", args=[saved.pk]))
        status = 400
    else:
        form = ObjectiveForm(user, instance=instance)
        formset = KeyResultFormSet(instance=instance, prefix="kr")
        status = 200
    response = page.render(
        request,
        context_overrides={
            "form": form,
            "formset": formset,
            "objective": objective,
            "smart": smart_hints(instance) if objective is not None else [],
        },
        template=OBJECTIVE_FORM_TEMPLATE,
    )
    response.status_code = status
    return response


def objective_templates(page, request: HttpRequest) -> HttpResponse:
    """ "Start from a template": the templates offered to the user (``access.suggested_objective_templates``)
    in the active language (``library.in_active_locale``), searchable with ``?q=`` (Wagtail search);
    a POST creates a draft objective from one and opens its edit form. A rejected POST re-renders with 400.
    """
    user = request.user
    if request.method == "POST":
        form = StartFromTemplateForm(user, request.POST)
        if (objective := save_valid_form(form)) is not None:
            messages.success(
                request,
                _("Draft objective “%(title)s” created from the template: make it yours, then set it to active.")
                % {"title": objective.title},
            )
            return HttpResponseRedirect(_route_url(page, request, "objective_edit")(objective.pk))
        status = 400
    else:
        form = StartFromTemplateForm(user)
        status = 200
    pairings = list(form.fields["mentorship"].queryset)
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    offered = suggested_objective_templates(user)
    category = request.GET.get("category", "")
    level = request.GET.get("level", "")
    if category in Objective.Category.values:
        offered = offered.filter(category=category)
    if level in dict(TEMPLATE_LEVEL_CHOICES):
        offered = offered.filter(level=level)
    elif level != ALL_LEVELS and pairings:
        # "For you": a mentee's and a mentor's own levels in their pairings, and the pair's.
        roles = {Objective.Level.MENTEE if p.mentee_id == user.pk else Objective.Level.MENTOR for p in pairings}
        offered = offered.filter(level__in=[*roles, Objective.Level.PAIRING])
        level = ""
    templates = (
        in_active_locale(offered)
        .prefetch_related("programs", "key_results")  # key results in their order (``Orderable``)
        .order_by("title", "pk")
    )
    results = get_search_backend().search(query, templates) if query else templates
    templates_page = Paginator(results, TEMPLATES_PAGE_SIZE).get_page(request.GET.get("page"))
    response = page.render(
        request,
        context_overrides={
            "form": form,
            "query": query,
            "category": category,
            "level": level,
            "categories": Objective.Category.choices,
            "levels": TEMPLATE_LEVEL_CHOICES,
            "all_levels": ALL_LEVELS,
            "templates_page": templates_page,
            "pairings": pairings,
            "chosen_pairing": form.data.get("mentorship")
            if form.is_bound
            else (pairings[0].pk if len(pairings) == 1 else ""),
            "new_url": (page.get_url(request) or "/") + page.reverse_subpage("objective_new"),
            "chosen_template": form.data.get("template", "") if form.is_bound else "",
        },
        template=TEMPLATES_TEMPLATE,
    )
    response.status_code = status
    return response
