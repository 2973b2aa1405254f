"""Admin wiring for surveys: survey pages stay out of Wagtail's "Forms" listing.

A survey page is built with the form builder, but its answers are feedback (``Feedback.answers``), read
through the program report where the anonymity rules hold, never as form submissions: the "Forms" listing
would show every survey as "no submissions" and its submissions view would be the wrong place to look.
"""

from wagtail import hooks

from wagtail_mentoring.surveys.models import SurveyPage


@hooks.register("filter_form_submissions_for_user")
def hide_survey_pages(user, editable_forms):
    """The form pages whose submissions ``user`` may open, without the survey pages."""
    return editable_forms.not_type(SurveyPage)
