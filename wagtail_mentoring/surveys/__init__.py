"""Feedback surveys: what is due for whom, and the answer forms."""
