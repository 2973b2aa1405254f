"""One helper for every surface's forms: a service's ``ValidationError`` shown on the form that caused it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Add ``exc`` to ``form``: on its fields where the form has them, else as a non-field error.

    Args:
        form: the bound form being re-rendered.
        exc: the error a service raised while saving (a dict of field errors, or a message).
    """
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
