"""Admin bulk actions for the lifecycle of enrolments and mentorships, one per row of ``programs.lifecycle``.

Each action also serves a single row: the listing's row buttons open its confirmation for one id.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from wagtail_mentoring.access.bulk_actions import ScopedBulkActionMixin
from wagtail_mentoring.access.querysets import coordinated_programs
from wagtail_mentoring.inputs import MAX_TEXT_LENGTH
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import lifecycle
from wagtail_mentoring.programs.models import Enrolment, Mentorship


class EndReasonForm(forms.Form):
    """The reason a pairing ends (required)."""

    reason = forms.CharField(
        label=_("Why does the mentorship end?"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReassignForm(forms.Form):
    """The new mentor (an accepted mentor of a program the user coordinates) and the reason."""

    new_mentor = forms.ModelChoiceField(label=_("New mentor"), queryset=None)
    new_mentor.label_from_instance = display_name
    reason = forms.CharField(
        label=_("Why is the pair reassigned?"), max_length=MAX_TEXT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


def transition_form_class(transition: lifecycle.Transition) -> type[forms.Form] | None:
    """The confirmation form collecting ``transition``'s admin inputs (None: nothing to ask)."""
    if transition.new_mentor:
        return ReassignForm
    if transition.reason == lifecycle.REASON_REQUIRED:
        return EndReasonForm
    return None  # an optional reason (complete) is not asked for in the admin


def reassignable_mentors(user):
    """Accepted mentors of the programs ``user`` coordinates (the choices of a reassignment)."""
    return (
        get_user_model()
        .objects.filter(
            mentoring_enrolments__program__in=coordinated_programs(user).values("pk"),
            mentoring_enrolments__role=Enrolment.Role.MENTOR,
            mentoring_enrolments__status=Enrolment.Status.ACCEPTED,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class TransitionBulkAction(ScopedBulkActionMixin, SnippetBulkAction):
    """Apply one lifecycle transition to every selected object of the user's scope, all or nothing."""

    template_name = "wagtail_mentoring/programs/admin/confirm_bulk_transition.html"
    transition: lifecycle.Transition

    def check_perm(self, obj) -> bool:
        """Always true: the objects offered are already limited to the policy's scope (coordinators of their
        program)."""
        return True  # the scope (the policy's, so coordinators only) is the permission

    def get_form(self, form_class=None):
        """Limit a *reassign* form's new mentor to those the user may assign
        (``access.querysets.reassignable_mentors``)."""
        form = super().get_form(form_class)
        if "new_mentor" in form.fields:
            form.fields["new_mentor"].queryset = reassignable_mentors(self.request.user)
        return form

    def get_execution_context(self):
        """Pass the acting user and the form's data to ``execute_action``."""
        return {**super().get_execution_context(), "user": self.request.user, "data": self.cleaned_form.cleaned_data}

    @classmethod
    def execute_action(cls, objects, user=None, data=None, **kwargs):
        """Run the transition on every object in one transaction (all or nothing).

        Each goes through ``programs.lifecycle.run_admin_transition``, which locks the row and checks the
        transition table; a ``ValidationError`` rolls back every object.

        Returns:
            ``(number changed, 0)`` as Wagtail's bulk actions expect.
        """
        with transaction.atomic():
            for obj in objects:
                lifecycle.run_admin_transition(cls.transition, obj, user, data or {})
        return len(objects), 0

    def form_valid(self, form):
        """Show a refused transition (``ValidationError``) as an error message and go back, changing nothing."""
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return redirect(self.next_url)

    def get_success_message(self, num_parent_objects, num_child_objects):
        """The message "N items updated.", pluralised."""
        return ngettext("%(count)d item updated.", "%(count)d items updated.", num_parent_objects) % {
            "count": num_parent_objects
        }


def transition_bulk_action(transition: lifecycle.Transition, priority: int) -> type[TransitionBulkAction]:
    """The bulk action class of one admin transition."""
    attrs = {
        "__module__": __name__,
        "__doc__": f"Bulk action: {transition.name}.",
        "transition": transition,
        "models": [transition.model],
        "display_name": transition.label,
        "action_type": transition.name,
        "aria_label": transition.bulk_label,
        "action_priority": priority,
    }
    form_class = transition_form_class(transition)
    if form_class is not None:
        attrs["form_class"] = form_class
    if transition.serious:
        attrs["classes"] = {"serious"}
    name = "".join(part.capitalize() for part in transition.name.split("_")) + "BulkAction"
    return type(name, (TransitionBulkAction,), attrs)


#: One bulk action per admin transition of the lifecycle table, in the table's order.
BULK_ACTIONS = [
    transition_bulk_action(transition, priority=10 * (i + 1))
    for model in (Enrolment, Mentorship)
    for i, transition in enumerate(lifecycle.transitions_for(model, admin=True))
]
