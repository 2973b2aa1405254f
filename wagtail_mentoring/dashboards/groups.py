"""Front-end view of a mentoring group or peer circle (a route of MentoringDashboardPage): its people, its
sessions with their words, and the form to log one.

The group is resolved through ``access.member_groups`` (its mentor and members only), so anyone else,
coordinators included, gets a 404: they see the group in the admin, without its sessions' words. The write
goes through ``programs.groups.log_group_session``.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_mentoring.access.querysets import get_visible_or_404, member_groups
from wagtail_mentoring.dashboards.forms import GroupSessionForm
from wagtail_mentoring.form_errors import save_valid_form
from wagtail_mentoring.programs.models import GroupMember

GROUP_TEMPLATE = "wagtail_mentoring/dashboards/group_page.html"
#: How many of the group's latest sessions the page lists.
SESSIONS_SHOWN = 20


def group_detail(page, request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the group's page; POST: log a session and come back to it (400 with the form's errors when refused,
    nothing written)."""
    group = get_visible_or_404(
        member_groups(request.user)
        .select_related("program", "mentor")
        .prefetch_related(Prefetch("members", queryset=GroupMember.objects.select_related("user"))),
        pk=pk,
    )
    if request.method == "POST":
        form = GroupSessionForm(group, request.user, request.POST)
        if save_valid_form(form) is not None:
            messages.success(request, _("Session logged. Everyone in the group can read it."))
            return HttpResponseRedirect(request.path)
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = GroupSessionForm(group, request.user)
        status = 200
    else:
        return HttpResponseNotAllowed(["GET", "POST"])
    sessions = list(group.sessions.select_related("created_by")[:SESSIONS_SHOWN])
    next_due = group.next_session_due(sessions[0].date if sessions else None)
    response = page.render(
        request,
        context_overrides={
            "group": group,
            "members": [m.user for m in group.members.all()],
            "sessions": sessions,
            "next_due": next_due,
            "session_due": group.is_open and next_due <= timezone.localdate(),
            "form": form if group.is_open or form.errors else None,
        },
        template=GROUP_TEMPLATE,
    )
    response.status_code = status
    return response
