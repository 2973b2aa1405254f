"""Django application configuration for wagtail-mentoring."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WagtailMentoringConfig(AppConfig):
    """App config: registers system checks and signal handlers once the registry is ready."""

    name = "wagtail_mentoring"
    label = "wagtail_mentoring"
    verbose_name = _("Mentoring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the system checks (``checks.py``) and connect the signal receivers (``signal_handlers.py``)."""
        # Here, not at module level: apps.py is imported before the app registry is ready (models).
        from wagtail_mentoring import checks  # noqa: F401  (registers the checks)
        from wagtail_mentoring.signal_handlers import register_signal_handlers

        register_signal_handlers()
