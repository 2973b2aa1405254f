"""Admin matching review: a coordinator runs matching for a program, then approves, swaps or rejects pairs.

The proposal lives in the coordinator's session (one per program) until every pair in it is approved
or rejected, or the coordinator discards it: it is a draft that only its author sees, costs no table
or clean-up job, and is re-validated against the database (capacity under a row lock, one active
pairing per mentee) at approval time, so a stale proposal can never break the rules. Only approval
creates mentorships and tells people. Mentees already paired (or proposed) are not unmatched
(``programs.selectors.unmatched_mentees``): matching leaves them out and the page counts them apart.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_mentoring.access.querysets import coordinated_programs, get_visible_or_404
from wagtail_mentoring.coordinator_tabs import ProgramTabsMixin
from wagtail_mentoring.programs.forms import MatchingActionForm
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.programs.proposals import (
    Proposal,
    UnmatchedMentee,
    approve_pairs,
    reason_lines,
    run_matching,
    score_percent,
)
from wagtail_mentoring.programs.selectors import unmatched_mentees

SESSION_KEY = "wagtail_mentoring_proposal_%s"


class MatchingReviewView(ProgramTabsMixin, WagtailAdminTemplateMixin, TemplateView):
    """The Matching tab of a program: run matching and review the proposal (its coordinators only; else 404)."""

    header_icon = "group"
    program_tab = "matching"
    template_name = "wagtail_mentoring/programs/admin/matching_review.html"

    def dispatch(self, request, *args, **kwargs):
        """Resolve the program from the URL among those the user coordinates
        (``access.querysets.coordinated_programs``), else 404."""
        self.program = get_visible_or_404(coordinated_programs(request.user), pk=kwargs["program_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        """The title, "Matching: <program title>"."""
        return _("Matching: %(program)s") % {"program": self.program.title}

    @property
    def session_key(self) -> str:
        """Where this program's pending proposal is kept in the coordinator's session (one per program)."""
        return SESSION_KEY % self.program.pk

    def get_proposal(self) -> Proposal | None:
        """The pending proposal from the session, or ``None`` when matching has not run (or was fully decided)."""
        data = self.request.session.get(self.session_key)
        return Proposal.from_dict(data) if data else None

    def store(self, proposal: Proposal | None) -> None:
        """Keep the proposal in the session; once no pair is left to decide on, forget it."""
        if proposal is None or not proposal.pairs:
            self.request.session.pop(self.session_key, None)
        else:
            self.request.session[self.session_key] = proposal.as_dict()

    def get_context_data(self, **kwargs):
        """Add the proposal's rows, the enrolment counts and links to the program's enrolments and mentorships.

        Each row offers as replacement mentors only those with a free slot left in the proposal
        (``Proposal.free_slots``), plus the proposed mentor; reasons are turned into sentences by
        ``matching.reason_lines``.
        """
        context = super().get_context_data(**kwargs)
        proposal = self.get_proposal()
        rows = []
        if proposal:
            free = proposal.free_slots()
            for pair in proposal.pairs:
                options = [
                    (mentor_id, name, free.get(mentor_id, 0))
                    for mentor_id, name in sorted(proposal.mentor_names.items(), key=lambda kv: kv[1].lower())
                    if mentor_id == pair.mentor_id or free.get(mentor_id, 0) > 0
                ]
                rows.append(
                    {
                        "pair": pair,
                        "options": options,
                        "score": score_percent(pair.score),
                        "reasons": reason_lines(pair.reasons),
                    }
                )
        counts = {row["role"] + "_" + row["status"]: row["n"] for row in _enrolment_counts(self.program)}
        unmatched = unmatched_mentees(Enrolment.objects.filter(program=self.program)).count()
        mentorships_url = reverse("wagtailsnippets_wagtail_mentoring_mentorship:list") + f"?program={self.program.pk}"
        context.update(
            {
                "proposal": proposal,
                "rows": rows,
                "counts": counts,
                "unmatched_count": unmatched,
                "paired_count": counts.get("mentee_accepted", 0) - unmatched,
                "proposed_count": Mentorship.objects.filter(
                    program=self.program, status=Mentorship.Status.PROPOSED
                ).count(),
                "proposed_url": f"{mentorships_url}&status=proposed",
                "active_count": Mentorship.objects.filter(program=self.program, status="active").count(),
                "mentorships_url": mentorships_url,
                "enrolments_url": reverse("wagtailsnippets_wagtail_mentoring_enrolment:list")
                + f"?program={self.program.pk}",
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        """Run matching, reject pairs or approve pairs (``MatchingActionForm``), then redirect back.

        *run* stores a new proposal in the session (nobody is told); *discard* forgets it; *reject* moves the
        selected pairs to the unmatched list; *approve* creates the mentorships through ``proposals.approve_pairs`` (the locked
        write path, which e-mails the pairs), with the mentor chosen in each row. Any ``ValidationError`` is
        shown as a message and leaves the proposal and the database unchanged.
        """
        proposal = self.get_proposal()
        mentee_ids = [p.mentee_id for p in proposal.pairs] if proposal else []
        form = MatchingActionForm(request.POST, mentee_ids=mentee_ids)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(request.path)
        action = form.cleaned_data["action"]
        if action == "discard":
            self.store(None)
            messages.success(request, _("The matching proposal was discarded; nobody was told."))
            return redirect(request.path)
        if action == "run":
            try:
                proposal = run_matching(self.program)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(request.path)
            if not proposal.pairs and not proposal.unmatched:
                self.store(None)
                messages.info(request, _("Every accepted mentee already has a mentor or a proposed one."))
                return redirect(request.path)
            self.request.session[self.session_key] = proposal.as_dict()
            messages.success(
                request,
                ngettext(
                    "Matching proposed %(pairs)d pair; %(unmatched)s. Nobody has been told yet.",
                    "Matching proposed %(pairs)d pairs; %(unmatched)s. Nobody has been told yet.",
                    len(proposal.pairs),
                )
                % {
                    "pairs": len(proposal.pairs),
                    "unmatched": ngettext(
                        "%(n)d mentee is unmatched", "%(n)d mentees are unmatched", len(proposal.unmatched)
                    )
                    % {"n": len(proposal.unmatched)},
                },
            )
            return redirect(request.path)
        selected = form.cleaned_data["selected"]
        if action == "reject":
            for mentee_id in selected:
                pair = proposal.pair_for(mentee_id)
                proposal.pairs.remove(pair)
                proposal.unmatched.append(
                    UnmatchedMentee(mentee_id, _("Pair rejected by the coordinator."), pair.mentee_name)
                )
            self.store(proposal)
            messages.success(
                request, ngettext("%(n)d pair rejected.", "%(n)d pairs rejected.", len(selected)) % {"n": len(selected)}
            )
            return redirect(request.path)
        choices = {}
        for mentee_id in selected:
            raw = request.POST.get(f"mentor_{mentee_id}", "")
            try:
                choices[mentee_id] = int(raw) if raw else proposal.pair_for(mentee_id).mentor_id
            except ValueError:
                messages.error(request, _("Choose a mentor from the list."))
                return redirect(request.path)
        try:
            created = approve_pairs(self.program, proposal, choices, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(request.path)
        proposal.pairs = [p for p in proposal.pairs if p.mentee_id not in choices]
        for mentor_id in set(choices.values()):
            proposal.mentor_capacity[mentor_id] -= list(choices.values()).count(mentor_id)
        self.store(proposal)
        messages.success(
            request,
            ngettext(
                "%(n)d mentorship approved; the mentor and mentee have been e-mailed.",
                "%(n)d mentorships approved; mentors and mentees have been e-mailed.",
                len(created),
            )
            % {"n": len(created)},
        )
        return redirect(request.path)


def _enrolment_counts(program):
    return Enrolment.objects.filter(program=program).values("role", "status").annotate(n=Count("pk")).order_by()
