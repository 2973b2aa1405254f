"""Survey answer forms (login required; only the pair answers about its pairing, others get 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from wagtail_mentoring.access.querysets import (
    feedback_mentorships,
    feedback_programs,
    feedback_sessions,
    get_visible_or_404,
    is_active_user,
    published_survey,
)
from wagtail_mentoring.programs.services import submit_feedback
from wagtail_mentoring.surveys.forms import SurveyForm


class BaseSurveyView(LoginRequiredMixin, FormView):
    """Resolve the survey's subject for the user (404 when it is not theirs), then record the answer."""

    form_class = SurveyForm
    template_name = "wagtail_mentoring/surveys/survey_form.html"
    kind = ""
    heading = ""

    def dispatch(self, request, *args, **kwargs):
        """Send anonymous users to log in, answer 404 to inactive users, and resolve the subject (404 if not theirs)."""
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_active_user(request.user):
            raise Http404
        self.subject = self.get_subject()
        return super().dispatch(request, *args, **kwargs)

    def get_subject(self):  # pragma: no cover - abstract
        """The session, pairing or program the survey is about, among the user's own (404 otherwise)."""
        raise NotImplementedError

    def get_program_id(self) -> int:
        """The program whose editor-built survey for this kind adds its questions; by default the pairing's."""
        return self.subject.program_id

    @cached_property
    def survey(self):
        """The program's published survey for this moment (``access.published_survey``), or None."""
        return published_survey(self.get_program_id(), self.kind)

    def get_extra_form(self):
        """The survey's extra questions, built by Wagtail's form builder (prefixed ``q``), or None."""
        if self.survey is None:
            return None
        data = self.request.POST if self.request.method == "POST" else None
        return self.survey.get_form(data, prefix="q", page=self.survey, user=self.request.user)

    def post(self, request, *args, **kwargs):
        """Validate the fixed questions and the survey's extra ones together; save only when both are valid."""
        form = self.get_form()
        self.extra_form = self.get_extra_form()
        extra_valid = self.extra_form is None or self.extra_form.is_valid()
        if form.is_valid() and extra_valid:
            return self.form_valid(form)
        return self.form_invalid(form)

    def feedback_kwargs(self) -> dict:
        """What the feedback is attached to; by default the pairing."""
        return {"mentorship": self.subject}

    def get_context_data(self, **kwargs):
        """Add the heading, the subject and the survey kind."""
        if not hasattr(self, "extra_form"):
            self.extra_form = self.get_extra_form()
        return super().get_context_data(
            heading=self.heading,
            subject=self.subject,
            kind=self.kind,
            survey=self.survey,
            extra_form=self.extra_form,
            **kwargs,
        )

    def form_valid(self, form):
        """Save the answers through ``programs.services.submit_feedback`` and thank the user.

        A ``ValidationError`` from the service (a survey answered once and already answered, a pairing
        whose status changed meanwhile) is shown on the form and nothing is saved.
        """
        try:
            submit_feedback(
                self.request.user,
                self.kind,
                **self.feedback_kwargs(),
                **form.cleaned_data,
                answers=self.raw_answers(),
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you for your feedback."))
        return redirect(self.request.path)

    def raw_answers(self) -> dict | None:
        """The extra questions' answers as posted, by question name (the service validates them again)."""
        if self.extra_form is None:
            return None
        return {name: self.extra_form[name].data for name in self.extra_form.fields}


class SessionRatingView(BaseSurveyView):
    """Rate one session of one of the user's pairings (once)."""

    kind = "session"
    heading = gettext_lazy("Rate your session")

    def get_subject(self):
        """A session the user may rate (``access.feedback_sessions``), with only the fields the page shows."""
        return get_visible_or_404(
            feedback_sessions(self.request.user)
            .select_related("mentorship__program")
            .only("pk", "date", "duration_minutes", "format", "mentorship"),
            pk=self.kwargs["pk"],
        )

    def get_program_id(self) -> int:
        """The session's pairing's program."""
        return self.subject.mentorship.program_id

    def feedback_kwargs(self):
        """The rating belongs to the session and its pairing."""
        return {"mentorship": self.subject.mentorship, "session": self.subject}


class PairingCheckView(BaseSurveyView):
    """The periodic "how is your pairing going?" check of an active pairing (may be answered again each period)."""

    kind = "pairing_check"
    heading = gettext_lazy("How is your pairing going?")

    def get_subject(self):
        """A pairing on which the user may answer the pairing check (``access.feedback_mentorships``)."""
        return get_visible_or_404(
            feedback_mentorships(self.request.user, self.kind).select_related("program"), pk=self.kwargs["pk"]
        )


class ClosingSurveyView(BaseSurveyView):
    """The survey at the end of a completed or ended pairing (once)."""

    kind = "closing"
    heading = gettext_lazy("Closing survey")

    def get_subject(self):
        """A pairing on which the user may answer the closing survey (``access.feedback_mentorships``)."""
        return get_visible_or_404(
            feedback_mentorships(self.request.user, self.kind).select_related("program"), pk=self.kwargs["pk"]
        )


class ProgramSurveyView(BaseSurveyView):
    """The program-wide survey for accepted participants (once)."""

    kind = "program"
    heading = gettext_lazy("Program survey")

    def get_subject(self):
        """A program in which the user has an accepted enrolment (``access.feedback_programs``)."""
        return get_visible_or_404(feedback_programs(self.request.user, self.kind), pk=self.kwargs["pk"])

    def get_program_id(self) -> int:
        """The subject is the program itself."""
        return self.subject.pk

    def feedback_kwargs(self):
        """The feedback belongs to the program, not to a pairing."""
        return {"program": self.subject}


class MidpointSurveyView(BaseSurveyView):
    """The survey halfway between a pairing's start and its program's end date (once per participant)."""

    kind = "midpoint"
    heading = gettext_lazy("Mid-point survey")

    def get_subject(self):
        """A pairing on which the user may answer the mid-point survey (``access.feedback_mentorships``)."""
        return get_visible_or_404(
            feedback_mentorships(self.request.user, self.kind).select_related("program"), pk=self.kwargs["pk"]
        )


class BeforeLaunchSurveyView(BaseSurveyView):
    """A program's before-launch survey: any active employee, enrolled or not, until the program starts (once)."""

    kind = "before_launch"
    heading = gettext_lazy("Tell us what you need")

    def get_form(self, form_class=None):
        """The fixed questions asked as expectations: the program has not started, so the rating is how much
        the person expects it to help (reported apart from satisfaction: ``Feedback.SATISFACTION_KINDS``) and
        there is nothing to recommend yet."""
        form = super().get_form(form_class)
        form.fields["rating"].label = _("How much do you expect the program to help you?")
        form.fields["rating"].help_text = _("1 = not much, 5 = a lot")
        del form.fields["nps"]
        return form

    def get_subject(self):
        """A program whose before-launch survey is open (``access.feedback_programs``)."""
        return get_visible_or_404(feedback_programs(self.request.user, self.kind), pk=self.kwargs["pk"])

    def get_program_id(self) -> int:
        """The subject is the program itself."""
        return self.subject.pk

    def feedback_kwargs(self):
        """The feedback belongs to the program, not to a pairing."""
        return {"program": self.subject}
