"""Reminder and nudge rules, django-tasks tasks and e-mail templates."""
