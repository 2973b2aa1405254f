"""Mentoring programs: pages, profiles, enrolment, matching and the mentorship lifecycle."""
