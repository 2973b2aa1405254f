"""Admin matching review: a coordinator runs matching for a program, then approves, swaps or rejects pairs.

A run happens in the background (``programs.tasks``: one queued or running run per program, started
with ``start_matching_run``); while it runs the page shows its phase and percent and refreshes itself
(``MatchingProgressView`` answers a small script; a meta refresh without JavaScript). It saves its pairs
as *proposed* mentorships (``proposals.replace_proposal``, through the same ``proposals.save_proposed``
as ``mentoring_match``), replacing the program's previous proposal. The
proposal therefore lives in the database: every coordinator of the program sees it, on any login,
until its pairs are approved or rejected (``lifecycle``) or it is discarded
(``lifecycle.discard_proposals``). Proposed pairings hold their mentor's slot but nobody is told and
no access is granted until approval, which re-checks capacity under a row lock and the one active
pairing per mentee. Mentees already paired (or proposed) are not unmatched
(``programs.selectors.unmatched_mentees``): matching leaves them out and the page counts them apart.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import io
import zlib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_mentoring.access.querysets import coordinated_programs, get_visible_or_404
from wagtail_mentoring.coordinator_tabs import ProgramTabsMixin
from wagtail_mentoring.people import display_name
from wagtail_mentoring.programs import imports, services
from wagtail_mentoring.programs.forms import ImportUploadForm, MatchingActionForm
from wagtail_mentoring.programs.models import Enrolment, Mentorship
from wagtail_mentoring.programs.proposals import (
    approve_proposed,
    mentor_slots,
    proposed_pairs,
    reason_lines,
    score_percent,
    stored_reasons,
)
from wagtail_mentoring.programs.selectors import unmatched_mentees
from wagtail_mentoring.programs.tasks import (
    latest_run,
    pending_run,
    phase_label,
    start_matching_run,
    stop_matching_run,
)

#: Seconds between two looks at a run in progress (the script's polling and the meta refresh).
REFRESH_SECONDS = 2


def run_state(run) -> dict | None:
    """What the page and its script show of a matching run: status, phase in words, percent."""
    if run is None:
        return None
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "pending": run.pending,
        "phase": run.phase,
        "phase_label": phase_label(run.phase),
        "percent": run.percent,
    }


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

    def get_context_data(self, **kwargs):
        """Add the proposal's rows (the program's proposed mentorships), the counts and the admin links.

        Each row offers as replacement mentors those with a free slot (``proposals.mentor_slots``: proposed
        pairings hold their slot), plus the proposed mentor; reasons are worded by
        ``proposals.reason_lines``. The number of queries does not grow with the number of pairs.
        """
        context = super().get_context_data(**kwargs)
        run = latest_run(self.program)
        pairs = list(proposed_pairs(self.program))
        slots = sorted(mentor_slots(self.program).items(), key=lambda kv: (kv[1][0].lower(), kv[0]))
        rows = []
        for pair in pairs:
            options = [
                (mentor_id, name, free) for mentor_id, (name, free) in slots if mentor_id == pair.mentor_id or free > 0
            ]
            if pair.mentor_id not in {mentor_id for mentor_id, _name, _free in options}:
                options.insert(0, (pair.mentor_id, display_name(pair.mentor), 0))
            rows.append(
                {
                    "pair": pair,
                    "mentee_name": display_name(pair.mentee),
                    "options": options,
                    "score": score_percent(pair.match_score),
                    "reasons": reason_lines(stored_reasons(pair.match_reasons)),
                }
            )
        counts = {row["role"] + "_" + row["status"]: row["n"] for row in _enrolment_counts(self.program)}
        unmatched = list(
            unmatched_mentees(Enrolment.objects.filter(program=self.program))
            .select_related("user")
            .order_by("user__first_name", "user__last_name", "user__username")
        )
        mentorships_url = reverse("wagtailsnippets_wagtail_mentoring_mentorship:list") + f"?program={self.program.pk}"
        reasons = run.unmatched_reasons if run is not None and run.status == run.Status.DONE else {}
        context.update(
            {
                "run": run,
                "run_state": run_state(run),
                "started_by_name": display_name(run.started_by) if run is not None and run.started_by else "",
                "started_ago": _ago(run.created_at) if run is not None else "",
                "finished_ago": _ago(run.finished_at) if run is not None else "",
                "running": run is not None and run.pending,
                "refresh_seconds": REFRESH_SECONDS,
                "progress_url": reverse("wagtail_mentoring_matching_progress", args=[self.program.pk]),
                "rows": rows,
                "counts": counts,
                "unmatched": [display_name(e.user) for e in unmatched],
                "unmatched_rows": [(display_name(e.user), reasons.get(str(e.user_id), "")) for e in unmatched],
                "unmatched_count": len(unmatched),
                "paired_count": counts.get("mentee_accepted", 0) - len(unmatched),
                "proposed_count": len(pairs),
                "proposed_url": f"{mentorships_url}&status=proposed",
                "active_count": Mentorship.objects.filter(program=self.program, status="active").count(),
                "mentorships_url": mentorships_url,
                "enrolments_url": reverse("wagtailsnippets_wagtail_mentoring_enrolment:list")
                + f"?program={self.program.pk}",
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        """Run matching, discard the proposal, reject pairs or approve pairs (``MatchingActionForm``), then redirect.

        *run* replaces the program's proposed pairings with a new proposal (``proposals.replace_proposal``;
        nobody is told); *discard* drops them (``lifecycle.discard_proposals``); *reject* drops the selected
        ones (``lifecycle.reject_many``: the mentees become unmatched); *approve* activates them through
        ``proposals.approve_proposed`` (the locked lifecycle path, which e-mails the pairs), with the
        mentor chosen in each row. Any ``ValidationError`` is shown as a message and changes nothing.
        """
        proposed = {m.pk: m for m in Mentorship.objects.filter(program=self.program, status=Mentorship.Status.PROPOSED)}
        form = MatchingActionForm(request.POST, mentorship_ids=list(proposed))
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(request.path)
        action = form.cleaned_data["action"]
        if action == "run":
            return self.run(request)
        if action == "stop":
            try:
                stop_matching_run(self.program, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Matching was stopped; it saves nothing. The previous proposal is kept."))
            return redirect(request.path)
        if pending_run(self.program) is not None:
            messages.error(
                request,
                _("Matching is running for this program: wait until it finishes, then review the new proposal."),
            )
            return redirect(request.path)
        if action == "discard":
            n = services.discard_proposals(self.program)
            messages.success(
                request,
                ngettext(
                    "The matching proposal was discarded (%(n)d proposed pairing); nobody was told.",
                    "The matching proposal was discarded (%(n)d proposed pairings); nobody was told.",
                    n,
                )
                % {"n": n},
            )
            return redirect(request.path)
        selected = form.cleaned_data["selected"]
        if action == "reject":
            try:
                services.reject_many([proposed[pk] for pk in selected])
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(request.path)
            messages.success(
                request, ngettext("%(n)d pair rejected.", "%(n)d pairs rejected.", len(selected)) % {"n": len(selected)}
            )
            return redirect(request.path)
        choices = {}
        for pk in selected:
            raw = request.POST.get(f"mentor_{pk}", "")
            try:
                choices[pk] = int(raw) if raw else proposed[pk].mentor_id
            except ValueError:
                messages.error(request, _("Choose a mentor from the list."))
                return redirect(request.path)
        try:
            approved = approve_proposed(self.program, choices, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(request.path)
        messages.success(
            request,
            ngettext(
                "%(n)d mentorship approved; the mentor and mentee have been e-mailed.",
                "%(n)d mentorships approved; mentors and mentees have been e-mailed.",
                len(approved),
            )
            % {"n": len(approved)},
        )
        return redirect(request.path)

    def run(self, request):
        """Start a matching run in the background (``tasks.start_matching_run``) and say how it stands.

        With a backend that runs tasks at once (the immediate backend) the run has finished by now and
        the message says what it proposed or why it failed; otherwise the page shows its progress.
        """
        try:
            run = start_matching_run(self.program, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(request.path)
        run.refresh_from_db()
        if run.status == run.Status.FAILED:
            messages.error(request, _("Matching failed: %(error)s") % {"error": run.error})
        elif run.status == run.Status.DONE:
            _say_done(request, run)
        else:
            messages.info(
                request,
                _("Matching has started. This page shows its progress; nobody is told until you approve pairs."),
            )
        return redirect(request.path)


class MatchingProgressView(View):
    """The state of a program's latest matching run as JSON, for the review page's script (its coordinators only)."""

    def dispatch(self, request, *args, **kwargs):
        """Resolve the program among those the user coordinates (``access.querysets.coordinated_programs``), else 404."""
        self.program = get_visible_or_404(coordinated_programs(request.user), pk=kwargs["program_id"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        """``{"run": {...}}`` (see :func:`run_state`), or ``{"run": null}`` when matching never ran."""
        response = JsonResponse({"run": run_state(latest_run(self.program))})
        response["Cache-Control"] = "no-store"
        return response


def _ago(moment) -> str:
    """How long ago ``moment`` was, in words ("3 minutes"); empty under a minute (the page says "just now")."""
    if moment is None or timezone.now() - moment < datetime.timedelta(minutes=1):
        return ""
    return timesince(moment)


def _say_done(request, run) -> None:
    """The messages after a finished run: pairs proposed and mentees left unmatched (with the reasons)."""
    pairs, unmatched = run.pairs_count or 0, run.unmatched_count or 0
    if not pairs and not unmatched:
        messages.info(request, _("Every accepted mentee already has a mentor."))
        return
    messages.success(
        request,
        ngettext(
            "Matching proposed %(pairs)d pair; %(unmatched)s. Nobody has been told yet.",
            "Matching proposed %(pairs)d pairs; %(unmatched)s. Nobody has been told yet.",
            pairs,
        )
        % {
            "pairs": pairs,
            "unmatched": ngettext("%(n)d mentee is unmatched", "%(n)d mentees are unmatched", unmatched)
            % {"n": unmatched},
        },
    )
    if run.unmatched_reasons:
        users = get_user_model().objects.in_bulk([int(pk) for pk in run.unmatched_reasons])
        reasons = "; ".join(
            f"{display_name(users[int(pk)])}: {reason}"
            for pk, reason in run.unmatched_reasons.items()
            if int(pk) in users
        )
        messages.info(request, _("Left unmatched: %(reasons)s") % {"reasons": reasons})


def _enrolment_counts(program):
    return Enrolment.objects.filter(program=program).values("role", "status").annotate(n=Count("pk")).order_by()


# --- bulk import (a tab of the coordinator area) -------------------------------------------------------
def _pack(data: bytes) -> str:
    """The uploaded file as the preview posts it back on Confirm (compressed, base64)."""
    return base64.b64encode(zlib.compress(data)).decode("ascii")


def _unpack(text: str, limit: int) -> bytes:
    """The file posted back by the preview; ``ValueError`` when it is not one (or larger than ``limit``)."""
    try:
        inflater = zlib.decompressobj()
        data = inflater.decompress(base64.b64decode(text.encode("ascii"), validate=True), limit + 1)
    except (binascii.Error, zlib.error, UnicodeEncodeError) as exc:
        raise ValueError("not a packed file") from exc
    return data


class ImportView(ProgramTabsMixin, WagtailAdminTemplateMixin, TemplateView):
    """The Import tab of a program: upload a CSV or XLSX file, preview every row, confirm (its coordinators only).

    *Preview* validates every row (``imports.preview``) and shows its action and errors; the page carries
    the file back (compressed) so *Confirm* validates it again and writes everything at once
    (``imports.confirm``), or nothing when any row has an error.
    """

    header_icon = "upload"
    program_tab = "import"
    template_name = "wagtail_mentoring/programs/admin/import.html"

    def dispatch(self, request, *args, **kwargs):
        """Resolve the program among those the user coordinates (``access.querysets.coordinated_programs``), else 404."""
        self.program = get_visible_or_404(coordinated_programs(request.user), pk=kwargs["program_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        """The title, "Import: <program title>"."""
        return _("Import: %(program)s") % {"program": self.program.title}

    def get_context_data(self, **kwargs):
        """The upload form, the template's URL and (after a preview) the rows and the packed file."""
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportUploadForm())
        context["template_url"] = reverse("wagtail_mentoring_import_template", args=[self.program.pk])
        context["enrolments_url"] = (
            reverse("wagtailsnippets_wagtail_mentoring_enrolment:list") + f"?program={self.program.pk}"
        )
        context["columns"] = imports.COLUMNS
        result = context.get("result")
        if result is not None:
            context["result_new"] = result.count(imports.CREATE)
            context["result_updated"] = result.count(imports.UPDATE)
            context["result_unchanged"] = result.count(imports.UNCHANGED)
            context["result_changes"] = context["result_new"] + context["result_updated"]
        return context

    def post(self, request, *args, **kwargs):
        """``action=preview`` (with the upload) or ``action=confirm`` (with the file the preview carried)."""
        if request.POST.get("action") == "confirm":
            return self.confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        try:
            result = imports.preview(upload, program=self.program, by=request.user)
        except imports.ImportFileError as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return self.render_to_response(self.get_context_data(form=form))
        upload.seek(0)
        context = self.get_context_data(form=form, result=result, packed=_pack(upload.read()), file_name=upload.name)
        return self.render_to_response(context)

    def confirm(self, request):
        """Validate the carried file again and write it all (``imports.confirm``); redirect with a summary."""
        form = ImportUploadForm()
        name = request.POST.get("file_name", "")[:255]
        limit = imports.mentoring_settings.IMPORT_MAX_FILE_SIZE
        try:
            data = _unpack(request.POST.get("packed", ""), limit)
        except ValueError:
            form = ImportUploadForm(data={})
            form.errors["file"] = form.error_class([_("The preview could not be read back: upload the file again.")])
            return self.render_to_response(self.get_context_data(form=form))
        file = io.BytesIO(data)
        file.name = name
        try:
            result = imports.confirm(file, program=self.program, by=request.user)
        except imports.ImportFileError as exc:
            form = ImportUploadForm(data={})
            form.errors["file"] = form.error_class(exc.messages)
            return self.render_to_response(self.get_context_data(form=form))
        if not result.written:
            messages.error(request, _("Nothing was imported: some rows have errors (below)."))
            return self.render_to_response(self.get_context_data(form=form, result=result, file_name=name))
        messages.success(
            request,
            _("Imported: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "new": result.count(imports.CREATE),
                "updated": result.count(imports.UPDATE),
                "unchanged": result.count(imports.UNCHANGED),
            },
        )
        return redirect(request.path)


class ImportTemplateView(View):
    """The import template (``imports.template_csv``) as a CSV download, for a program's coordinators."""

    def get(self, request, *args, **kwargs):
        """The CSV file; 404 for anyone who does not coordinate the program."""
        program = get_visible_or_404(coordinated_programs(request.user), pk=kwargs["program_id"])
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="mentoring-import-{program.slug}.csv"'
        return response
