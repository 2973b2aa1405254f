"""The example intranet's ``PROFILE_ATTRIBUTES`` function: a new mentoring profile starts from the directory.

A real intranet reads its identity provider's claims (OpenID Connect ``zoneinfo``, ``locale``, a
``department`` claim...) or its own user model's fields here; the example has no identity provider, so it
reads a small staff directory keyed by username, and the claims when a login backend stored them on the
user (``user.oidc_claims``, a dict).
"""

from __future__ import annotations

#: The example's staff directory: what an HR system or the identity provider knows about people.
DIRECTORY = {
    "mentee1": {"department": "Finance", "languages": "en, it", "time_zone": "Europe/Rome", "seniority": 2},
    "mentee2": {"department": "Marketing", "languages": "en", "time_zone": "Europe/London", "seniority": 1},
    "mentor1": {"department": "Engineering", "languages": "en, it", "time_zone": "Europe/Rome", "seniority": 7},
}


def profile_attributes(user) -> dict:
    """Profile attributes for a new mentoring profile of ``user``.

    Args:
        user: the person whose profile is being created (saved or, in an import, not yet).

    Returns:
        Some of ``department``, ``languages``, ``time_zone``, ``seniority``, ``job_title``, ``location``;
        the package ignores other keys and ``None`` values.
    """
    claims = getattr(user, "oidc_claims", None) or {}
    if claims:
        return {
            "department": claims.get("department"),
            "languages": claims.get("locale", "").split("-")[0] or None,
            "time_zone": claims.get("zoneinfo"),
            "job_title": claims.get("job_title"),
        }
    return dict(DIRECTORY.get(user.get_username(), {}))
