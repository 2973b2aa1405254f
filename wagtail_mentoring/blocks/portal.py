"""Portal blocks: "My mentoring", the viewing user's mentoring summary on any page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class MyMentoringBlock(blocks.StructBlock):
    """The viewing user's next session, objectives at risk, check-ins due and a dashboard link.

    The summary is computed for ``parent_context["request"].user`` on every render, so the block
    never shows one user's data to another; anonymous and inactive users get a sign-in prompt only.
    Do not wrap it in a cache fragment that is not keyed by user.
    """

    heading = blocks.CharBlock(label=_("Heading"), required=False, default=_("My mentoring"), max_length=100)

    class Meta:
        icon = "user"
        label = _("My mentoring")
        template = "wagtail_mentoring/dashboards/blocks/my_mentoring.html"

    def get_context(self, value, parent_context=None):
        """Add the visitor's one-glance summary (``dashboards.selectors.user_summary``) and the dashboard URL.

        Anonymous and inactive visitors get ``signed_in = False`` and no summary: the block then invites
        them to log in, and shows nothing of anyone's data. A signed-in employee outside every program gets
        ``open_programs``: the programs open for enrolment (``dashboards.selectors.open_programs``).
        """
        # App registry: hosts import this block from their models modules, before it is ready.
        from wagtail_mentoring.dashboards.panels import dashboard_url
        from wagtail_mentoring.dashboards.selectors import open_programs, user_summary

        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated and user.is_active)
        context["signed_in"] = signed_in
        context["summary"] = summary = user_summary(user) if signed_in else None
        context["open_programs"] = (
            open_programs(user, getattr(request, "session", None)) if summary is not None and summary.is_empty else []
        )
        context["dashboard_url"] = dashboard_url(request)
        return context
