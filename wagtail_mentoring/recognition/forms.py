"""The kudos form."""

from django import forms
from django.utils.translation import gettext_lazy as _


class KudosForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"), min_length=2, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
