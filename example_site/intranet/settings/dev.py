"""Development settings (the default): SQLite, console e-mail, DEBUG on."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "example-dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
