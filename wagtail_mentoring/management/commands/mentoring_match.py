"""``mentoring_match PROGRAM [--dry-run] [--json]``: propose pairings for a program from the command line.

Progress goes to stderr: a bar redrawn in place on a terminal, plain lines otherwise (logs, CI).
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wagtail_mentoring.inputs import parse_id
from wagtail_mentoring.programs.models import MentoringProgramPage
from wagtail_mentoring.programs.proposals import reason_lines, run_matching, save_proposed
from wagtail_mentoring.programs.tasks import overall_percent, pending_run, phase_label


def find_program(value: str) -> MentoringProgramPage:
    """The program whose page id or slug is ``value``."""
    programs = MentoringProgramPage.objects.all()
    if value.isdigit():
        pk = parse_id(value)
        matches = list(programs.filter(pk=pk)) if pk is not None else []
    else:
        matches = list(programs.filter(slug=value))
    if not matches:
        raise CommandError(f"No mentoring program with id or slug {value!r}.")
    if len(matches) > 1:
        ids = ", ".join(str(p.pk) for p in matches)
        raise CommandError(f"Several programs have the slug {value!r} (ids {ids}); pass the page id.")
    return matches[0]


class ProgressDisplay:
    """A ``progress(phase, fraction)`` callback that shows a run's progress on ``stream`` (an ``OutputWrapper``).

    On a terminal it redraws one line (``[#####-----]  42%  Matching mentees to mentors``); otherwise it
    writes a plain line when the phase changes or another tenth of the run is done.
    """

    width = 30

    def __init__(self, stream, tty: bool | None = None) -> None:
        """Show progress on ``stream``; ``tty`` defaults to whether the stream is a terminal."""
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.phase = ""
        self.percent = -1
        self.drawn = False

    def __call__(self, phase: str, fraction: float) -> None:
        """Show that ``fraction`` of ``phase`` is done."""
        percent = max(self.percent, overall_percent(phase, fraction))
        label = phase_label(phase)
        if self.tty:
            if (phase, percent) != (self.phase, self.percent):
                filled = self.width * percent // 100
                bar = "#" * filled + "-" * (self.width - filled)
                self.stream.write(f"\r[{bar}] {percent:3d}%  {label[:60]:<60}", ending="")
                self.stream.flush()
                self.drawn = True
        elif phase != self.phase or percent // 10 > max(self.percent, 0) // 10:
            self.stream.write(f"{percent:3d}%  {label}")
        self.phase, self.percent = phase, percent

    def close(self) -> None:
        """End the bar's line on a terminal."""
        if self.tty and self.drawn:
            self.stream.write("")
            self.drawn = False


class Command(BaseCommand):
    """``manage.py mentoring_match PROGRAM``: run ``programs.proposals.run_matching`` and save the proposal."""

    help = (
        "Match the accepted mentees of a program to its mentors and record the pairs as proposed "
        "mentorships (nobody is told until a coordinator approves them in the admin)."
    )

    def add_arguments(self, parser):
        """``program`` (page id or slug), ``--dry-run`` (save nothing) and ``--json`` (machine-readable output)."""
        parser.add_argument("program", help="The program page's id or slug.")
        parser.add_argument("--dry-run", action="store_true", help="Print the proposal without saving it.")
        parser.add_argument("--json", action="store_true", help="Print the proposal as JSON.")

    def handle(self, *args, program: str, dry_run: bool = False, json: bool = False, **options):
        """Match the program, save the pairs as proposed mentorships (unless ``--dry-run``) and print them.

        Raises:
            CommandError: no program (or several with that slug), or matching or saving was refused
                (``ValidationError`` from ``programs.proposals``, e.g. invalid matching settings on the page).
        """
        page = find_program(program.strip())
        if not dry_run and pending_run(page) is not None:
            raise CommandError(
                f"Matching is already running for {page.title!r} (started from the admin); wait for it to finish."
            )
        progress = ProgressDisplay(self.stderr) if options.get("verbosity", 1) > 0 else None
        try:
            proposal = run_matching(page, progress=progress)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        finally:
            if progress is not None:
                progress.close()
        saved = []
        if not dry_run:
            try:
                saved = save_proposed(page, proposal)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
        if json:
            data = proposal.as_dict()
            data["program"] = {"id": page.pk, "slug": page.slug, "title": page.title}
            data["dry_run"] = dry_run
            data["saved_mentorship_ids"] = [m.pk for m in saved]
            self.stdout.write(_dumps(data))
            return
        self.stdout.write(f"{page.title} (id {page.pk}), strategy {proposal.strategy}")
        self.stdout.write(f"{len(proposal.pairs)} pairs, total score {proposal.total_score:.3f}")
        for pair in proposal.pairs:
            self.stdout.write(
                f"  {pair.mentee_name} <- {pair.mentor_name}  score {pair.score:.3f}  {_reasons(pair.reasons)}"
            )
        if proposal.unmatched:
            self.stdout.write(f"{len(proposal.unmatched)} unmatched:")
            for item in proposal.unmatched:
                self.stdout.write(f"  {item.mentee_name}: {item.reason}")
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was saved."))
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(saved)} proposed mentorships saved for review."))


def _dumps(data) -> str:
    """``data`` as indented, key-sorted JSON (dates and decimals as strings)."""
    return json.dumps(data, indent=2, sort_keys=True, default=str)


def _reasons(reasons) -> str:
    """A pair's per-criterion reasons on one line, worded by ``programs.proposals.reason_lines``."""
    return "; ".join(f"{label} ({value})" if value else label for label, value in reason_lines(reasons))
