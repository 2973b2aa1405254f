"""Permission names used by the access layer."""

COORDINATE_PROGRAM = "coordinate_program"
VIEW_MENTORSHIP = "view_mentorship"
PARTICIPATE_MENTORSHIP = "participate_mentorship"
VIEW_SESSION_NOTES = "view_session_notes"

APP = "wagtail_mentoring"


def perm(codename: str) -> str:
    """Full permission name, e.g. ``perm(VIEW_MENTORSHIP) == "wagtail_mentoring.view_mentorship"``."""
    return f"{APP}.{codename}"
