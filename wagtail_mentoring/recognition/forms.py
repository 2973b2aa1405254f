"""The kudos form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class KudosForm(forms.Form):
    """A short thank-you message to the other member of the pair (``recognition.services.give_kudos`` saves it)."""

    message = forms.CharField(
        label=_("Your message"), min_length=2, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
