"""Demo step: the mentoring dashboard at /mentoring/ and the "My mentoring" block on the home page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wagtail_mentoring.dashboards.models import MentoringDashboardPage
from wagtail_mentoring.demo.base import DemoContext, child_page


def run(ctx: DemoContext) -> None:
    """Create the dashboard page under home (slug "mentoring") and add the portal block to home."""
    home = ctx.pages["home"]
    existing = MentoringDashboardPage.objects.first()
    if existing is not None:
        ctx.pages["dashboard"] = existing
    else:
        ctx.pages["dashboard"] = child_page(
            home,
            MentoringDashboardPage,
            "mentoring",
            title=_("My mentoring"),
            intro=f"<p>{_('Your pairing, objectives and sessions in one place.')}</p>",
        )
    _add_portal_block(ctx, home)
    ctx.say(ctx.style.SUCCESS(_("Mentoring dashboard ready at %(url)s.") % {"url": ctx.pages["dashboard"].url}))


def _add_portal_block(ctx: DemoContext, home) -> None:
    """Put the "My mentoring" block on the home page once, when its body accepts it."""
    body = getattr(home, "body", None)
    if body is None or "my_mentoring" not in getattr(body.stream_block, "child_blocks", {}):
        ctx.say(_("The home page has no body accepting the “My mentoring” block; skipped."))
        return
    if any(block.block_type == "my_mentoring" for block in body):
        return
    body.append(("my_mentoring", {"heading": _("My mentoring")}))
    home.save_revision().publish()
