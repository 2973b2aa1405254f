"""``mentoring_import PATH --program SLUG [--dry-run] [--user USERNAME]``: import enrolments and profiles.

Prints every row's planned action (``programs.imports.preview``); writes everything at once
(``programs.imports.confirm``) unless ``--dry-run``, and nothing when any row has an error.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from wagtail_mentoring.management.commands.mentoring_match import find_program
from wagtail_mentoring.programs.imports import ImportFileError, ImportPreview, confirm, preview


class Command(BaseCommand):
    """``manage.py mentoring_import PATH --program SLUG``: a bulk import from a CSV or XLSX file."""

    help = (
        "Import enrolments and mentoring profiles into a program from a CSV or XLSX file (see docs/import.md). "
        "Every row is checked first; nothing is written when any row has an error."
    )

    def add_arguments(self, parser):
        """``path``, ``--program`` (page id or slug), ``--dry-run`` and ``--user`` (the reviewing coordinator)."""
        parser.add_argument("path", help="The CSV or XLSX file.")
        parser.add_argument("--program", required=True, help="The program page's id or slug.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and print the plan; write nothing.")
        parser.add_argument(
            "--user",
            help="Import as this coordinator (only their programs; recorded as the reviewer of status changes).",
        )

    def handle(self, *args, path: str, program: str, dry_run: bool = False, user: str | None = None, **options):
        """Preview the file, then (unless ``--dry-run``) write it.

        Raises:
            CommandError: no such program, user or file; the file cannot be imported; any row has an error
                (each listed, with its row number and column; nothing is written).
        """
        page = find_program(program.strip())
        by = None
        if user:
            by = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: user}).first()
            if by is None:
                raise CommandError(f"No user {user!r}.")
        run = preview if dry_run else confirm
        try:
            with open(path, "rb") as file:
                result = run(file, program=page, by=by)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        except ImportFileError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self._print(result)
        if result.has_errors:
            lines = [f"row {row.line}: {'; '.join(row.error_texts)}" for row in result.error_rows]
            raise CommandError(f"{len(lines)} row(s) have errors; nothing was written.\n" + "\n".join(lines))
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Imported: " + _summary(result)))

    def _print(self, result: ImportPreview) -> None:
        """One line per row: its number, the person, the role and the planned action."""
        for row in result.rows:
            self.stdout.write(
                f"row {row.line}: {row.person} ({row.values.get('role', '')}) - {row.action_label}"
                + (f" [{'; '.join(row.error_texts)}]" if row.errors else "")
            )
        if not result.has_errors:
            self.stdout.write("Plan: " + _summary(result))


def _summary(result: ImportPreview) -> str:
    return f"{result.count('create')} new, {result.count('update')} updated, {result.count('unchanged')} unchanged."
