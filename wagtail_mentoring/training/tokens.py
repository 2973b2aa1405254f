"""Secret per-user tokens for the personal calendar feed URL (calendar apps cannot log in)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "wagtail_mentoring.training.calendar"


def _password_fingerprint(user) -> str:
    # Changing the password (or setting an unusable one) invalidates every feed URL issued before.
    return salted_hmac(SALT, user.password or "").hexdigest()[:12]


def calendar_token(user) -> str:
    """The secret token of ``user``'s calendar feed URL."""
    return signing.dumps({"u": user.pk, "p": _password_fingerprint(user)}, salt=SALT, compress=True)


def user_for_calendar_token(token: str):
    """The active user ``token`` was issued to, or None when it is forged, stale or the user inactive."""
    try:
        data = signing.loads(token, salt=SALT)
        user = get_user_model()._default_manager.get(pk=data["u"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError, get_user_model().DoesNotExist):
        return None
    if not constant_time_compare(str(data.get("p", "")), _password_fingerprint(user)):
        return None
    return user
