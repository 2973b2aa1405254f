"""Structured mentoring programs, OKRs and training for Wagtail intranets."""

__version__ = "0.1.0"
