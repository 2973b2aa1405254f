"""Signal handlers, connected from ``AppConfig.ready()``.

Imported only from ``AppConfig.ready()``, so it may import models and services at module level.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import PageViewRestriction

from wagtail_mentoring.access import models as permission_models
from wagtail_mentoring.access.cache import close_request_cache, forget_request_cache, open_request_cache
from wagtail_mentoring.access.grants import sync_program_coordinators
from wagtail_mentoring.dashboards.panels import dashboard_url
from wagtail_mentoring.links import absolute_url
from wagtail_mentoring.notifications.invitations import queue_invitation
from wagtail_mentoring.programs.lifecycle import transition_done
from wagtail_mentoring.programs.models import MentoringProgramPage, Mentorship
from wagtail_mentoring.programs.services import session_calendar_changed
from wagtail_mentoring.recognition.services import check_in_saved
from wagtail_mentoring.snippets.services import drafts_from_enrolment_goals


def _program_saved(sender, instance, **kwargs) -> None:
    sync_program_coordinators(instance)


def _session_calendar_changed(sender, session, method: str, **kwargs) -> None:
    """E-mail the pair the session's invitation (or cancellation), linking to the mentoring dashboard."""
    queue_invitation(session, method, absolute_url(dashboard_url() or ""))


def _pairings_approved(sender, transition, objects, by=None, **kwargs) -> None:
    """The mentee's enrolment goals become draft objectives of the pairing they are approved into, once the
    approval is committed: a follow-up, like the e-mails, that never holds up or undoes the approval."""
    if transition.action == "approve":
        pairings = list(objects)
        transaction.on_commit(lambda: drafts_from_enrolment_goals(pairings, by=by))


def register_signal_handlers() -> None:
    """Connect the package's receivers (called once from ``AppConfig.ready()``)."""
    request_started.connect(open_request_cache, dispatch_uid="wm_access_cache_open")
    request_finished.connect(close_request_cache, dispatch_uid="wm_access_cache_close")
    # A grant, a revocation or a change of groups within a request: the access answers cached so far are
    # dropped (``access.cache``), so the rest of the request sees the new permissions.
    for model in (
        permission_models.MentorshipUserObjectPermission,
        permission_models.MentorshipGroupObjectPermission,
        permission_models.ProgramUserObjectPermission,
        permission_models.ProgramGroupObjectPermission,
    ):
        for signal in (post_save, post_delete):
            signal.connect(forget_request_cache, sender=model, dispatch_uid=f"wm_access_cache_{model.__name__}")
    m2m_changed.connect(
        forget_request_cache, sender=get_user_model().groups.through, dispatch_uid="wm_access_cache_groups"
    )
    # Page privacy (``access.refused_restriction_paths``): a restriction added, changed or removed, or its groups.
    for signal in (post_save, post_delete):
        signal.connect(forget_request_cache, sender=PageViewRestriction, dispatch_uid="wm_access_cache_restrictions")
    m2m_changed.connect(
        forget_request_cache,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="wm_access_cache_restriction_groups",
    )
    post_save.connect(_program_saved, sender=MentoringProgramPage, dispatch_uid="wm_program_coordinators")
    # engagement: celebrate achievements
    post_save.connect(check_in_saved, sender="wagtail_mentoring.CheckIn", dispatch_uid="wm_recognition_check_in")
    # scheduling: calendar invitations to the pair
    session_calendar_changed.connect(_session_calendar_changed, dispatch_uid="wm_session_invitations")
    # OKRs: the goals of the mentee's application become draft objectives when the pairing is approved
    transition_done.connect(_pairings_approved, sender=Mentorship, dispatch_uid="wm_goals_become_drafts")
