"""Test-only app: a home page type to hang mentoring pages under."""
