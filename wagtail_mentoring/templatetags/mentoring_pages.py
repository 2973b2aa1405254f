"""``{% viewable_pages pages as visible %}``: page privacy for every page a template names or links.

A block or template that lists pages chosen by an editor (a StreamField's page chooser) names only
the ones the requester may view, through ``access.querysets.viewable_pages`` (the one page
visibility rule), so a restricted page's title and link never reach someone outside its restriction.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.contrib.auth.models import AnonymousUser

from wagtail_mentoring.access.querysets import viewable_pages as _viewable_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def viewable_pages(context, pages: Iterable) -> list:
    """The pages of ``pages`` (``None`` entries skipped) that are live and that the request's user may view."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return _viewable_pages(user, [page for page in pages or () if page], session=getattr(request, "session", None))
