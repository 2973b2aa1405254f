"""Absolute links for e-mails and the console: the site's root URL, decided in this one place."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Site


def site_root_url() -> str:
    """The intranet's root URL, without a trailing slash (an empty string when nothing says it).

    ``WAGTAILADMIN_BASE_URL`` when the host sets it (Wagtail's own e-mails use it too); otherwise the
    root URL of the default Wagtail ``Site`` (its hostname and port).

    Returns:
        For example ``"https://intranet.example.com"``.
    """
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    if not base:
        site = Site.objects.filter(is_default_site=True).only("hostname", "port").first()
        base = site.root_url if site is not None else ""
    return base.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (a site-relative URL) made absolute with :func:`site_root_url`; absolute URLs are kept.

    Args:
        path: a path such as ``"/programs/leadership/"``, or an ``http(s)://`` URL.

    Returns:
        The absolute URL, or ``path`` unchanged when it is empty or already absolute.
    """
    if not path or path.startswith(("http://", "https://")):
        return path
    return site_root_url() + path
