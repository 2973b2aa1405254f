"""The skill rating form: one labelled radio group (the 1-5 scale) per program skill; it saves through
``skills.services.rate_skills``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from wagtail_mentoring.skills import rules
from wagtail_mentoring.skills.services import rate_skills


class SkillRatingForm(forms.Form):
    """Every skill of a program at one moment, for the rater or their mentee.

    Args:
        rater: the person rating.
        program: the program whose skills are rated.
        moment: ``"start"`` or ``"closing"``.
        skills: the program's skills, in order.
        subject: the person rated (``None``: the rater).
        current: ``{skill id: level}`` already given at this moment, shown as chosen.
    """

    def __init__(self, rater, program, moment, skills, *args, subject=None, current=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.rater, self.program, self.moment, self.subject = rater, program, moment, subject
        current = current or {}
        for skill in skills:
            self.fields[f"skill_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.name,
                help_text=skill.description,
                choices=rules.level_choices(),
                coerce=int,
                widget=forms.RadioSelect,
                initial=current.get(skill.pk),
                error_messages={"required": _("Choose a level for this skill.")},
            )
        self.skills = list(skills)

    def clean(self):
        """A form for a program without skills is refused (there is nothing to rate)."""
        cleaned = super().clean()
        if not self.skills:
            raise forms.ValidationError(_("This program lists no skills to rate."))
        return cleaned

    def save(self):
        """Save every level through ``rate_skills`` (raises ``ValidationError``, nothing written)."""
        levels = {skill.pk: self.cleaned_data[f"skill_{skill.pk}"] for skill in self.skills}
        return rate_skills(self.rater, self.program, self.moment, levels, subject=self.subject)
