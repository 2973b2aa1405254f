"""The notification preferences page (login required; each user edits only their own)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from wagtail_mentoring.access.querysets import is_active_user
from wagtail_mentoring.notifications.forms import PreferencesForm


class PreferencesView(LoginRequiredMixin, FormView):
    """The user's e-mail notification preferences (login required; inactive users get 404)."""

    form_class = PreferencesForm
    template_name = "wagtail_mentoring/notifications/preferences.html"

    def dispatch(self, request, *args, **kwargs):
        """Answer 404 to a logged-in but inactive user; anonymous users are sent to log in."""
        if request.user.is_authenticated and not is_active_user(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        """Give the form the user whose preferences it edits."""
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        """Save the preferences, confirm with a message and show the page again."""
        form.save()
        messages.success(self.request, _("Your notification preferences are saved."))
        return redirect(self.request.path)
