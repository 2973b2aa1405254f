"""Demo step: an API token for every demo user, printed with a curl example."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from wagtail_mentoring.demo.base import DemoContext


def run(ctx: DemoContext) -> None:
    """Create (or reuse) a DRF token for each demo user and list them in the command's footer."""
    footer = ctx.extra.setdefault("footer", [])
    footer.append("")
    footer.append(_("API tokens (send as 'Authorization: Token <key>'):"))
    for name in sorted(ctx.users):
        token, _created = Token.objects.get_or_create(user=ctx.users[name])
        footer.append(f"  {name:<12} {token.key}")
    mentee = ctx.users.get("mentee1")
    if mentee is not None:
        key = Token.objects.get(user=mentee).key
        footer.append(
            _("Try: curl -H 'Authorization: Token %(key)s' http://127.0.0.1:8000/api/mentoring/v1/me/") % {"key": key}
        )
    ctx.say(ctx.style.SUCCESS(_("API tokens ready.")))
