"""Demo step: an API token for every demo user; the summary shows a curl example with mentee1's."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from wagtail_mentoring.demo.base import DemoContext
from wagtail_mentoring.links import absolute_url as absolute


def run(ctx: DemoContext) -> None:
    """Create (or reuse) a DRF token for each demo user and add a curl example to the command's footer."""
    footer = ctx.extra.setdefault("footer", [])
    for name in sorted(ctx.users):
        Token.objects.get_or_create(user=ctx.users[name])
    mentee = ctx.users.get("mentee1")
    try:
        me_url = absolute(reverse("wagtail_mentoring_api:me"))
    except NoReverseMatch:  # the host did not include the API's URLs
        me_url = ""
    if mentee is not None and me_url:
        key = Token.objects.get(user=mentee).key
        footer.append("")
        footer.append(
            _("API, as mentee1: curl -H 'Authorization: Token %(key)s' %(url)s") % {"key": key, "url": me_url}
        )
        footer.append(_("Every demo user has a token: manage.py drf_create_token <username> prints it."))
    ctx.say(ctx.style.SUCCESS(_("API tokens ready.")))
