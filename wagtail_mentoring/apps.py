"""Django application configuration for wagtail-mentoring."""

import importlib.util
import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: Submodules that Django and Wagtail import from every installed app on their own (template tag
#: libraries, admin hooks). Each of them imports the package's models.
DISCOVERED_SUBMODULES = ("templatetags", "wagtail_hooks")


class WagtailMentoringConfig(AppConfig):
    """App config: registers system checks and signal handlers once the registry is ready.

    When an app the package builds on is missing from ``INSTALLED_APPS`` (``checks.REQUIRED_APPS``),
    its models cannot even be imported (django-guardian's are defined only when guardian is
    installed). The package then stays inert (no models, hooks, template tags or signal handlers)
    so that Django starts and ``manage.py check`` names every missing app
    (``wagtail_mentoring.E001``, and ``E002`` for guardian's backend) instead of a traceback.
    """

    name = "wagtail_mentoring"
    label = "wagtail_mentoring"
    verbose_name = _("Mentoring")
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self) -> None:
        """Import the models, unless an app they build on is missing (then stay inert: see the class)."""
        if missing_apps(self.apps):
            self.models = self.apps.all_models[self.label]
            for submodule in DISCOVERED_SUBMODULES:
                # An empty stand-in, so that Django's and Wagtail's discovery finds nothing to import.
                name = f"{self.name}.{submodule}"
                sys.modules.setdefault(
                    name, importlib.util.module_from_spec(importlib.util.spec_from_loader(name, None))
                )
            return
        super().import_models()

    def ready(self) -> None:
        """Register the system checks (``checks.py``) and connect the signal receivers (``signal_handlers.py``)."""
        # Here, not at module level: apps.py is imported before the app registry is ready (models).
        from wagtail_mentoring import checks  # noqa: F401  (registers the checks)

        if missing_apps(self.apps):
            return  # inert: the checks report what is missing
        # Here, not at module level: the handlers import the models, loaded after apps.py.
        from wagtail_mentoring.signal_handlers import register_signal_handlers

        register_signal_handlers()


def missing_apps(registry) -> list[str]:
    """The apps of ``checks.REQUIRED_APPS`` that ``registry`` does not have installed.

    Args:
        registry: Django's app registry (its app configs must be loaded).

    Returns:
        Their names, in ``REQUIRED_APPS`` order; empty when all are installed.
    """
    # Here, not at module level: checks.py imports DRF and drf-spectacular, which read settings.
    from wagtail_mentoring.checks import REQUIRED_APPS

    return [name for name in REQUIRED_APPS if not registry.is_installed(name)]
