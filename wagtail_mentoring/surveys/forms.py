"""The feedback survey answer form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail_mentoring.inputs import MAX_TEXT_LENGTH
from wagtail_mentoring.programs.models import NPS_MAX, RATING_MAX, RATING_MIN


class SurveyForm(forms.Form):
    """A rating (1-5), an optional likelihood to recommend (0-10) and a comment."""

    rating = forms.TypedChoiceField(
        label=_("Overall, how would you rate it?"),
        choices=[(i, str(i)) for i in range(RATING_MIN, RATING_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = poor, 5 = excellent"),
    )
    nps = forms.TypedChoiceField(
        label=_("How likely are you to recommend the program to a colleague? (0-10)"),
        choices=[("", "-")] + [(i, str(i)) for i in range(0, NPS_MAX + 1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=MAX_TEXT_LENGTH
    )
