"""Kudos, celebration dismissal and the printable completion certificate (the pair only; others get 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from wagtail_mentoring.access.querysets import get_visible_or_404, is_active_user, pair_mentorships
from wagtail_mentoring.recognition.certificates import certificate_for
from wagtail_mentoring.recognition.forms import KudosForm
from wagtail_mentoring.recognition.services import dismiss_celebration, give_kudos


class PairMentorshipMixin(LoginRequiredMixin):
    """Resolves ``self.mentorship`` among the user's own pairings (404 otherwise)."""

    statuses: tuple[str, ...] = ("active", "paused", "completed", "ended")

    def dispatch(self, request, *args, **kwargs):
        """Resolve the pairing among the user's own (``access.querysets.pair_mentorships``) in ``statuses``.

        Anonymous users are sent to log in; inactive users and pairings that are not theirs get 404.
        """
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_active_user(request.user):
            raise Http404
        self.mentorship = get_visible_or_404(
            pair_mentorships(request.user)
            .filter(status__in=self.statuses)
            .select_related("program", "mentor", "mentee"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)


class KudosView(PairMentorshipMixin, FormView):
    """Send kudos to the other member of an active or paused pairing."""

    form_class = KudosForm
    template_name = "wagtail_mentoring/recognition/kudos_form.html"
    statuses = ("active", "paused")

    def get_context_data(self, **kwargs):
        """Add the pairing and the partner: the member who is not the current user."""
        user = self.request.user
        partner = self.mentorship.mentee if user.pk == self.mentorship.mentor_id else self.mentorship.mentor
        return super().get_context_data(mentorship=self.mentorship, partner=partner, **kwargs)

    def form_valid(self, form):
        """Send through ``services.give_kudos``; a refusal (``ValidationError``) is shown on the form."""
        try:
            give_kudos(self.mentorship, self.request.user, form.cleaned_data["message"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Kudos sent."))
        return redirect(self.request.path)


class CertificateView(PairMentorshipMixin, TemplateView):
    """The user's certificate for a pairing: issued or not, with each rule and what was found."""

    template_name = "wagtail_mentoring/recognition/certificate.html"

    def get_context_data(self, **kwargs):
        """Add the certificate (``certificates.certificate_for``) for the current user."""
        return super().get_context_data(certificate=certificate_for(self.mentorship, self.request.user), **kwargs)


@login_required
@require_POST
def dismiss_celebration_view(request, pk: int):
    """Dismiss one of the user's celebrations, then go back (404 when it is not theirs)."""
    if not dismiss_celebration(request.user, pk):
        raise Http404
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)
