"""Admin bulk actions on enrolments and mentorships (also used for single rows from the listing)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from wagtail_mentoring.access.bulk_actions import PolicyDeletePermissionMixin, ScopedBulkActionMixin
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.programs.permissions import coordinated_enrolments, coordinated_mentorships

SCOPES = {Enrolment: coordinated_enrolments, Mentorship: coordinated_mentorships}


class ScopedActionMixin(ScopedBulkActionMixin):
    """Acts only on objects of the programs the user coordinates; any foreign or unknown id answers 404."""

    def get_scope(self):
        return SCOPES[self.model](self.request.user)


class ScopedDeleteBulkAction(PolicyDeletePermissionMixin, ScopedActionMixin, DeleteBulkAction):
    """Wagtail's delete, scoped (coordinators hold no delete permission, so nothing is deleted)."""

    models = [Enrolment, Mentorship]
    action_priority = 100


class TransitionBulkAction(ScopedActionMixin, SnippetBulkAction):
    """Apply one service transition to every selected object, all or nothing."""

    template_name = "wagtail_mentoring/programs/admin/confirm_bulk_transition.html"
    transition = None  # the service function, called as transition(obj, form_data, user)

    def check_perm(self, obj):
        return True

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user, "data": self.cleaned_form.cleaned_data}

    @classmethod
    def execute_action(cls, objects, user=None, data=None, **kwargs):
        for obj in objects:
            cls.apply(obj, user, data or {})
        return len(objects), 0

    @classmethod
    def apply(cls, obj, user, data):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return redirect(self.next_url)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d item updated.", "%(count)d items updated.", num_parent_objects) % {
            "count": num_parent_objects
        }


# --- enrolments ---------------------------------------------------------------------------------------
class EnrolmentStatusBulkAction(TransitionBulkAction):
    models = [Enrolment]
    status = None

    @classmethod
    def apply(cls, obj, user, data):
        services.review_enrolment(obj, cls.status, by=user)


class AcceptEnrolmentBulkAction(EnrolmentStatusBulkAction):
    display_name = _("Accept")
    action_type = "enrolment_accept"
    aria_label = _("Accept selected enrolments")
    status = Enrolment.Status.ACCEPTED
    action_priority = 10


class WaitlistEnrolmentBulkAction(EnrolmentStatusBulkAction):
    display_name = _("Waitlist")
    action_type = "enrolment_waitlist"
    aria_label = _("Waitlist selected enrolments")
    status = Enrolment.Status.WAITLISTED
    action_priority = 20


class DeclineEnrolmentBulkAction(EnrolmentStatusBulkAction):
    display_name = _("Decline")
    action_type = "enrolment_decline"
    aria_label = _("Decline selected enrolments")
    status = Enrolment.Status.DECLINED
    action_priority = 30


class WithdrawEnrolmentBulkAction(EnrolmentStatusBulkAction):
    display_name = _("Withdraw")
    action_type = "enrolment_withdraw"
    aria_label = _("Withdraw selected enrolments")
    status = Enrolment.Status.WITHDRAWN
    action_priority = 40


# --- mentorships --------------------------------------------------------------------------------------
class MentorshipBulkAction(TransitionBulkAction):
    models = [Mentorship]


class ApproveMentorshipBulkAction(MentorshipBulkAction):
    display_name = _("Approve")
    action_type = "mentorship_approve"
    aria_label = _("Approve selected mentorships")
    action_priority = 10

    @classmethod
    def apply(cls, obj, user, data):
        services.approve(obj, by=user)


class PauseMentorshipBulkAction(MentorshipBulkAction):
    display_name = _("Pause")
    action_type = "mentorship_pause"
    aria_label = _("Pause selected mentorships")
    action_priority = 20

    @classmethod
    def apply(cls, obj, user, data):
        services.pause(obj)


class ResumeMentorshipBulkAction(MentorshipBulkAction):
    display_name = _("Resume")
    action_type = "mentorship_resume"
    aria_label = _("Resume selected mentorships")
    action_priority = 30

    @classmethod
    def apply(cls, obj, user, data):
        services.resume(obj)


class CompleteMentorshipBulkAction(MentorshipBulkAction):
    display_name = _("Complete")
    action_type = "mentorship_complete"
    aria_label = _("Complete selected mentorships")
    action_priority = 40

    @classmethod
    def apply(cls, obj, user, data):
        services.complete(obj)


class EndReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why does the mentorship end?"), widget=forms.Textarea(attrs={"rows": 3}))


class EndMentorshipBulkAction(MentorshipBulkAction):
    display_name = _("End")
    action_type = "mentorship_end"
    aria_label = _("End selected mentorships")
    action_priority = 50
    form_class = EndReasonForm
    classes = {"serious"}

    @classmethod
    def apply(cls, obj, user, data):
        services.end(obj, data.get("reason", ""))


class ReassignForm(forms.Form):
    new_mentor = forms.ModelChoiceField(label=_("New mentor"), queryset=None)
    reason = forms.CharField(label=_("Why is the pair reassigned?"), widget=forms.Textarea(attrs={"rows": 3}))


class ReassignMentorshipBulkAction(MentorshipBulkAction):
    """End the pairing and propose the mentee to another accepted mentor of the program."""

    display_name = _("Reassign")
    action_type = "mentorship_reassign"
    aria_label = _("Reassign selected mentorships to another mentor")
    action_priority = 60
    form_class = ReassignForm

    def get_form(self, form_class=None):
        from django.contrib.auth import get_user_model

        from wagtail_mentoring.access.querysets import coordinated_programs

        form = super().get_form(form_class)
        form.fields["new_mentor"].queryset = (
            get_user_model()
            .objects.filter(
                mentoring_enrolments__program__in=coordinated_programs(self.request.user).values("pk"),
                mentoring_enrolments__role=Enrolment.Role.MENTOR,
                mentoring_enrolments__status=Enrolment.Status.ACCEPTED,
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        return form

    @classmethod
    def apply(cls, obj, user, data):
        services.reassign(obj, data["new_mentor"], data["reason"])


BULK_ACTIONS = [
    ScopedDeleteBulkAction,
    AcceptEnrolmentBulkAction,
    WaitlistEnrolmentBulkAction,
    DeclineEnrolmentBulkAction,
    WithdrawEnrolmentBulkAction,
    ApproveMentorshipBulkAction,
    PauseMentorshipBulkAction,
    ResumeMentorshipBulkAction,
    CompleteMentorshipBulkAction,
    EndMentorshipBulkAction,
    ReassignMentorshipBulkAction,
]
