"""``mentoring_demo``, ``mentoring_match``, ``mentoring_privacy`` and ``mentoring_reminders``."""
