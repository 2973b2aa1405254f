"""Signal handlers, connected from ``AppConfig.ready()``."""

from __future__ import annotations

from django.db.models.signals import post_save


def _program_saved(sender, instance, **kwargs) -> None:
    from wagtail_mentoring.access.grants import sync_program_coordinators

    sync_program_coordinators(instance)


def register_signal_handlers() -> None:
    from wagtail_mentoring.programs.models import MentoringProgramPage

    post_save.connect(_program_saved, sender=MentoringProgramPage, dispatch_uid="wm_program_coordinators")
    from wagtail_mentoring.recognition.services import check_in_saved  # engagement: celebrate achievements

    post_save.connect(check_in_saved, sender="wagtail_mentoring.CheckIn", dispatch_uid="wm_recognition_check_in")
