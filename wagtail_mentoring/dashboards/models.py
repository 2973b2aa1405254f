"""MentoringDashboardPage: the employee's mentoring dashboard, placed anywhere in the page tree."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


def _schedule():
    """The scheduling views, which the page's scheduling routes hand each request to."""
    # Wagtail dispatch: routes are page methods, and the views import this module's models.
    from wagtail_mentoring.dashboards import schedule

    return schedule


def _reviews():
    """The "Review and realign" view, which the page's review route hands each request to."""
    # Wagtail dispatch: routes are page methods, and the views import this module's models.
    from wagtail_mentoring.dashboards import reviews

    return reviews


def _journeys():
    """The journey step view, which the page's journey route hands each request to."""
    # Wagtail dispatch: routes are page methods, and the views import this module's models.
    from wagtail_mentoring.dashboards import journeys

    return journeys


def _selfmatch():
    """``dashboards.selfmatch`` (imported when a route runs)."""
    # Wagtail dispatch: routes are page methods, and the views import this module's models.
    from wagtail_mentoring.dashboards import selfmatch

    return selfmatch


def _groups():
    """``dashboards.groups`` (imported when a route runs)."""
    # Wagtail dispatch: routes are page methods, and the views import this module's models.
    from wagtail_mentoring.dashboards import groups

    return groups


def _skills():
    """``skills.views`` (imported when a route runs)."""
    # Wagtail dispatch: routes are page methods, and the views import this module's models.
    from wagtail_mentoring.skills import views

    return views


def _views():
    """The dashboard's front-end views, which the page's routes hand each request to."""
    # Wagtail dispatch: routes are page methods, and the views import this module's models.
    from wagtail_mentoring.dashboards import views

    return views


class MentoringDashboardPage(RoutablePageMixin, Page):
    """One page that shows each logged-in user the mentoring sections that apply to them.

    Sections appear by role (mentee, mentor, coordinator); drill-down routes resolve every object
    through ``wagtail_mentoring.access`` so hidden objects are 404s. Anonymous visitors are sent to
    ``settings.LOGIN_URL``; responses are private and never cached.
    """

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types: list[str] = []
    max_count = 1
    template = "wagtail_mentoring/dashboards/dashboard_page.html"

    class Meta:
        verbose_name = _("mentoring dashboard")

    def serve(self, request, *args, **kwargs):
        """Send anonymous visitors to ``settings.LOGIN_URL``; mark every response private (never cached, varies on
        Cookie)."""
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_vary_headers(response, ["Cookie"])
        return response

    def serve_preview(self, request, mode_name):
        """Preview the page as the editor's own dashboard (the index route)."""
        return _views().index(self, request)

    @path("", name="index")
    def index_route(self, request):
        """The dashboard itself: ``views.index``."""
        return _views().index(self, request)

    @path("check-in/", name="check_in")
    def check_in_route(self, request):
        """POST a check-in (and optionally a session): ``views.check_in``."""
        return _views().check_in(self, request)

    @path("session/", name="session")
    def session_route(self, request):
        """Log a session (the form, and its POST): ``views.session``."""
        return _views().session(self, request)

    @path("schedule/", name="schedule")
    def schedule_route(self, request):
        """Upcoming sessions, the mentor's free times and the plan form: ``schedule.schedule``."""
        return _schedule().schedule(self, request)

    @path("schedule/plan/", name="session_plan")
    def plan_route(self, request):
        """POST: plan a session: ``schedule.plan``."""
        return _schedule().plan(self, request)

    @path("schedule/slot/<int:slot_id>/propose/", name="slot_propose")
    def propose_route(self, request, slot_id: int):
        """POST: the mentee proposes a mentor's slot: ``schedule.propose`` (404 for a slot they may not see)."""
        return _schedule().propose(self, request, slot_id)

    @path("schedule/session/<int:pk>/confirm/", name="session_confirm")
    def confirm_route(self, request, pk: int):
        """POST: confirm a proposed session: ``schedule.confirm`` (404 outside the pair)."""
        return _schedule().confirm(self, request, pk)

    @path("schedule/session/<int:pk>/cancel/", name="session_cancel")
    def cancel_route(self, request, pk: int):
        """POST: cancel or decline a session: ``schedule.cancel`` (404 outside the pair)."""
        return _schedule().cancel(self, request, pk)

    @path("schedule/session/<int:pk>/held/", name="session_held")
    def held_route(self, request, pk: int):
        """Log a planned session as held: ``schedule.held`` (404 outside the pair)."""
        return _schedule().held(self, request, pk)

    @path("schedule/session/<int:pk>/calendar/", name="session_calendar")
    def calendar_route(self, request, pk: int):
        """The session's calendar entry: ``schedule.calendar`` (404 outside the pair)."""
        return _schedule().calendar(self, request, pk)

    @path("availability/", name="availability")
    def availability_route(self, request):
        """The mentor's availability slots: ``schedule.availability`` (404 for non-mentors)."""
        return _schedule().availability(self, request)

    @path("availability/<int:pk>/remove/", name="availability_remove")
    def availability_remove_route(self, request, pk: int):
        """POST: withdraw a free slot: ``schedule.remove_slot`` (404 for another's)."""
        return _schedule().remove_slot(self, request, pk)

    @path("agreement/<int:mentorship_id>/", name="agreement")
    def agreement_route(self, request, mentorship_id: int):
        """POST: confirm the pairing's agreement: ``views.confirm_agreement`` (404 unless the user is in the pair)."""
        return _views().confirm_agreement(self, request, mentorship_id)

    @path("mentee/<int:mentorship_id>/", name="mentee")
    def mentee_route(self, request, mentorship_id: int):
        """A mentor's view of one pairing: ``views.mentee_detail`` (404 unless the user may see it)."""
        return _views().mentee_detail(self, request, mentorship_id)

    @path("objective/<int:pk>/", name="objective")
    def objective_route(self, request, pk: int):
        """One objective with its key results and history: ``views.objective_detail``."""
        return _views().objective_detail(self, request, pk)

    @path("objectives/new/", name="objective_new")
    def objective_new_route(self, request):
        """Create an objective with its key results: ``views.objective_form``."""
        return _views().objective_form(self, request)

    @path("objectives/templates/", name="objective_templates")
    def objective_templates_route(self, request):
        """Start an objective from a template (the list, its search, and the POST): ``views.objective_templates``."""
        return _views().objective_templates(self, request)

    @path("objective/<int:pk>/edit/", name="objective_edit")
    def objective_edit_route(self, request, pk: int):
        """Edit an objective the user may change: ``views.objective_form``."""
        return _views().objective_form(self, request, pk)

    @path("key-result/<int:pk>/review/", name="key_result_review")
    def key_result_review_route(self, request, pk: int):
        """Review and realign a key result at risk, off track or missed: ``reviews.review_key_result``."""
        return _reviews().review_key_result(self, request, pk)

    @path("objective/<int:pk>/plan/", name="initiative_add")
    def initiative_add_route(self, request, pk: int):
        """POST to add a step to the objective's action plan: ``views.add_initiative``."""
        return _views().add_initiative(self, request, pk)

    @path("initiative/<int:pk>/toggle/", name="initiative_toggle")
    def initiative_route(self, request, pk: int):
        """POST to tick or untick an initiative of the action plan: ``views.toggle_initiative``."""
        return _views().toggle_initiative(self, request, pk)

    @path("choose-mentor/<int:program_id>/", name="request_mentor")
    def request_mentor_route(self, request, program_id: int):
        """POST: request a suggested mentor in a self-match program: ``selfmatch.request_mentor`` (404 outside)."""
        return _selfmatch().request_mentor(self, request, program_id)

    @path("mentorship-request/<int:pk>/<str:answer>/", name="answer_request")
    def answer_request_route(self, request, pk: int, answer: str):
        """POST: accept, decline or withdraw a mentorship request: ``selfmatch.answer_request`` (404 outside)."""
        return _selfmatch().answer_request(self, request, pk, answer)

    @path("group/<int:pk>/", name="group")
    def group_route(self, request, pk: int):
        """A mentoring group or peer circle of the user's, and its sessions: ``groups.group_detail`` (404 outside
        the group)."""
        return _groups().group_detail(self, request, pk)

    @path("journey/<int:mentorship_id>/<str:step_id>/", name="journey_step")
    def journey_step_route(self, request, mentorship_id: int, step_id: str):
        """POST: mark a step of the pairing's journey done or undo it: ``journeys.journey_step`` (404 outside the
        pair)."""
        return _journeys().journey_step(self, request, mentorship_id, step_id)

    @path("skills/<int:program_id>/<str:moment>/", name="skill_rating")
    def skill_rating_route(self, request, program_id: int, moment: str):
        """Rate one's own skills in a program at the start or closing: ``skills.views.rate_own`` (404 outside)."""
        return _skills().rate_own(self, request, program_id, moment)

    @path("skills/pairing/<int:mentorship_id>/", name="mentee_skill_rating")
    def mentee_skill_rating_route(self, request, mentorship_id: int):
        """The mentor rates their mentee's skills at closing: ``skills.views.rate_mentee`` (404 outside the pair)."""
        return _skills().rate_mentee(self, request, mentorship_id)
