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
    form_class = PreferencesForm
    template_name = "wagtail_mentoring/notifications/preferences.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_active_user(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your notification preferences are saved."))
        return redirect(self.request.path)
