"""A service's ``ValidationError`` shown on the form that caused it: a helper for every surface, and a mixin
for the admin's create and edit views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction


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


def save_valid_form(form: forms.BaseForm) -> Any | None:
    """Validate ``form`` and save it (its ``save()`` writes through a service): the saved object, or ``None``
    with the errors on the form, whether the input was invalid or the service refused it.

    Example:
        >>> if (step := save_valid_form(form)) is not None:  # doctest: +SKIP
        ...     messages.success(request, _("Saved."))
    """
    if not form.is_valid():
        return None
    try:
        return form.save()
    except ValidationError as exc:
        add_validation_error(form, exc)
        return None


class ServiceErrorsMixin:
    """For create and edit views that save through a locked service: a ``ValidationError`` the service
    raises at save time (say, a concurrent write filled the pairing after the form was validated)
    becomes a form error on a re-rendered form, not a 500; the save is rolled back as a whole."""

    def form_valid(self, form):
        """Save as Wagtail does, inside one transaction; on a service refusal, re-render with its errors."""
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as exc:
            add_validation_error(form, exc)
            self.produced_error_message = self.get_error_message()  # what Wagtail's post() sets on invalid forms
            return self.form_invalid(form)
