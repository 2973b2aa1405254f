"""``{% wm_cache %}``: Django's ``{% cache %}`` fragment cache that survives an unreachable cache.

The dashboard caches each objective card (``dashboards.rows.card_cache_key``). With Django's own tag, a cache
server that is down (Redis or Memcached restarting) turns the dashboard into a server error, although the card
can always be rendered: caching here is only a saving. This tag takes the same arguments as ``{% cache %}``;
when the cache raises, it logs a warning and renders the fragment without the cache.

Example::

    {% load mentoring_cache %}
    {% wm_cache 600 wm-objective-card row.cache_key %}...{% endwm_cache %}
"""

from __future__ import annotations

import logging

from django import template
from django.templatetags.cache import CacheNode

register = template.Library()
logger = logging.getLogger(__name__)


class ResilientCacheNode(CacheNode):
    """A :class:`~django.templatetags.cache.CacheNode` that renders its fragment uncached when the cache fails."""

    def render(self, context) -> str:
        """The fragment from the cache, or rendered (and stored); rendered alone when the cache raises."""
        try:
            return super().render(context)
        except template.TemplateSyntaxError:
            raise
        except Exception:  # the cache backend's own errors: connection refused, timeouts, full memory
            logger.warning("The fragment cache failed; rendering %r without it.", self.fragment_name, exc_info=True)
            return self.nodelist.render(context)


@register.tag("wm_cache")
def wm_cache(parser, token) -> ResilientCacheNode:
    """``{% wm_cache expire_time fragment_name [vary_on ...] [using="alias"] %}`` ... ``{% endwm_cache %}``
    (the arguments of Django's ``{% cache %}``)."""
    nodelist = parser.parse(("endwm_cache",))
    parser.delete_first_token()
    tokens = token.split_contents()
    if len(tokens) < 3:
        raise template.TemplateSyntaxError(f"'{tokens[0]}' tag requires at least 2 arguments.")
    cache_name = None
    if len(tokens) > 3 and tokens[-1].startswith("using="):
        cache_name = parser.compile_filter(tokens.pop().removeprefix("using="))
    vary_on = [parser.compile_filter(bit) for bit in tokens[3:]]
    return ResilientCacheNode(nodelist, parser.compile_filter(tokens[1]), tokens[2], vary_on, cache_name)
