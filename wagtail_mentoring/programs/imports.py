"""Bulk import of enrolments and profiles from a CSV or XLSX file: parse, preview every row, confirm all or nothing.

:func:`preview` reads the file, validates **every** row (collecting each column's errors) and plans each
row's action (create, update or unchanged) without writing anything; :func:`confirm` validates again and
writes everything in one transaction only when no row has an error, through the program services
(``services.enrol`` with ``ignore_window=True``, ``services.update_enrolment``, ``services.save_profile``).
An enrolment is one (program, person, role): importing the same applicant again updates it.

The columns and the rules are documented in ``docs/import.md``; :func:`template_csv` is the template.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from wagtail_mentoring.access.querysets import coordinated_programs, is_active_user, page_viewer_ids
from wagtail_mentoring.conf import mentoring_settings
from wagtail_mentoring.inputs import parse_id
from wagtail_mentoring.programs import services
from wagtail_mentoring.programs.models import Enrolment, MentoringProfile, MentoringProgramPage

#: Columns naming the person (``username`` or ``email`` is required; the names only create an account).
USER_COLUMNS = ("username", "email", "first_name", "last_name")
#: Columns of the enrolment (``languages`` also updates the profile, as the enrolment form does).
ENROLMENT_COLUMNS = ("role", "status", *services.ENROLMENT_FIELDS)
#: Columns of the mentoring profile.
PROFILE_COLUMNS = ("job_title", "department", "location", "time_zone", "seniority", "career_goals")
#: Every column a file may have, in the template's order.
COLUMNS = (*USER_COLUMNS, "program", *ENROLMENT_COLUMNS, *PROFILE_COLUMNS)
#: Header spellings accepted for a column besides its name (case, spaces and hyphens are ignored too).
ALIASES = {"e_mail": "email", "mail": "email", "user": "username", "capacity_mentees": "capacity"}

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {
    CREATE: gettext_lazy("Create"),
    UPDATE: gettext_lazy("Update"),
    UNCHANGED: gettext_lazy("Unchanged"),
}

#: The template's example rows (the same as ``example_site/mentoring-import-example.csv``).
TEMPLATE_ROWS = (
    {
        "username": "mentee1",
        "email": "mentee1@example.com",
        "role": "mentee",
        "goals": "Lead my first project",
        "skills_sought": "leadership, planning",
        "languages": "en, it",
        "department": "Finance",
        "time_zone": "Europe/Rome",
        "seniority": "2",
    },
    {
        "username": "mentor1",
        "email": "mentor1@example.com",
        "role": "mentor",
        "status": "accepted",
        "skills_offered": "leadership, public speaking",
        "capacity": "2",
        "languages": "en",
        "department": "Engineering",
        "seniority": "6",
    },
)


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported (too big, not CSV or XLSX, too many rows, missing columns)."""


@dataclass
class ImportRow:
    """One data row of the file: its values, its errors by column and what importing it does."""

    line: int
    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)
    action: str = ""
    program: MentoringProgramPage | None = None
    user: object | None = None
    new_user: bool = False
    enrolment: Enrolment | None = None
    enrolment_fields: dict = field(default_factory=dict)
    status: str | None = None
    profile_fields: dict = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        """Record ``message`` against ``column`` ("" for the row as a whole)."""
        self.errors.append((column, str(message)))

    @property
    def action_label(self) -> str:
        """The planned action in words ("Create", "Update", "Unchanged"); "Not imported" with errors."""
        return str(ACTION_LABELS[self.action]) if self.action else _("Not imported")

    @property
    def person(self) -> str:
        """Who the row is about, as written in the file."""
        return self.values.get("username") or self.values.get("email") or ""

    @property
    def role_label(self) -> str:
        """The role in words ("Mentee"), or as written in the file when it is not a role."""
        role = self.values.get("role", "")
        return str(Enrolment.Role(role).label) if role in Enrolment.Role.values else role

    @property
    def error_texts(self) -> list[str]:
        """Each error as text, with its column ("goals: Write down ...")."""
        return [f"{column}: {message}" if column else message for column, message in self.errors]


@dataclass
class ImportPreview:
    """Every row of a file with its errors and planned action; ``written`` once :func:`confirm` wrote it."""

    rows: list[ImportRow]
    columns: list[str]
    written: bool = False

    @property
    def has_errors(self) -> bool:
        """True when any row has an error (then nothing is written)."""
        return any(row.errors for row in self.rows)

    @property
    def error_rows(self) -> list[ImportRow]:
        """The rows with errors."""
        return [row for row in self.rows if row.errors]

    def count(self, action: str) -> int:
        """How many rows plan ``action``."""
        return sum(1 for row in self.rows if row.action == action and not row.errors)


# --- reading the file --------------------------------------------------------------------------------
def read_upload(file) -> tuple[bytes, str]:
    """The bytes and name of an uploaded (or opened) file, refused beyond ``IMPORT_MAX_FILE_SIZE``.

    Raises:
        ImportFileError: the file is empty or too big.
    """
    limit = mentoring_settings.IMPORT_MAX_FILE_SIZE
    too_big = ImportFileError(
        _("The file is larger than %(size)s; split it into smaller files.") % {"size": _size(limit)}, code="too_big"
    )
    if (getattr(file, "size", None) or 0) > limit:
        raise too_big
    data = file.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data.strip():
        raise ImportFileError(_("The file is empty."), code="empty")
    return data, str(getattr(file, "name", "") or "")


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} KB"


def parse(data: bytes, name: str = "") -> tuple[list[str], list[ImportRow]]:
    """The columns and data rows of a CSV (UTF-8, ``,`` or ``;``) or XLSX file's first sheet.

    Header names are matched without regard to case, spaces or hyphens; empty rows are skipped.

    Raises:
        ImportFileError: not a CSV or XLSX file, no header, unknown or repeated columns, no data rows,
            more rows than ``IMPORT_MAX_ROWS``.
    """
    is_xlsx = data[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx")
    table = _xlsx_table(data) if is_xlsx else _csv_table(data)
    header = next(table, None)
    if not header or not any(cell.strip() for cell in header):
        raise ImportFileError(_("The file has no header row with the column names."), code="no_header")
    columns = [_column(cell) for cell in header]
    unknown = [header[i] for i, column in enumerate(columns) if column and column not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)},
            code="unknown_columns",
        )
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        raise ImportFileError(
            _("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)}, code="repeated_columns"
        )
    missing = [] if "username" in columns or "email" in columns else [_("username or email")]
    if "role" not in columns:
        missing.append("role")
    if missing:
        raise ImportFileError(
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}, code="missing_columns"
        )
    limit = mentoring_settings.IMPORT_MAX_ROWS
    rows = []
    for line, cells in enumerate(table, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) == limit:
            raise ImportFileError(
                _("The file has more than %(max)d rows; split it into smaller files.") % {"max": limit},
                code="too_many_rows",
            )
        values = {column: cells[i].strip() if i < len(cells) else "" for i, column in enumerate(columns) if column}
        rows.append(ImportRow(line=line, values=values))
    if not rows:
        raise ImportFileError(_("The file has no rows to import under its header."), code="no_rows")
    return [column for column in columns if column], rows


def _column(cell: str) -> str:
    key = "_".join(cell.strip().lower().replace("-", " ").replace("_", " ").split())
    return ALIASES.get(key, key)


def _csv_table(data: bytes):
    not_csv = ImportFileError(_("The file is neither a CSV file (UTF-8) nor an XLSX workbook."), code="not_csv")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_csv from exc
    if "\x00" in text:
        raise not_csv
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}, code="not_csv") from exc


def _xlsx_table(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(
            _("The file is neither a CSV file (UTF-8) nor an XLSX workbook."), code="not_xlsx"
        ) from exc
    try:
        for cells in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in cells]
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


# --- validating ----------------------------------------------------------------------------------------
def preview(file, program: MentoringProgramPage | None = None, by=None) -> ImportPreview:
    """Read ``file`` and validate every row, planning each one's action; writes nothing.

    Args:
        file: an uploaded or opened binary file (``read()``, optionally ``name`` and ``size``).
        program: the program every row is imported into (a row's ``program`` cell, if any, must name it);
            None: each row names its program (slug or page id) in the ``program`` column.
        by: the importing coordinator: only programs they coordinate (``access.coordinated_programs``).
            None only from the command line, which must then name ``program``.

    Raises:
        ImportFileError: the file as a whole cannot be imported (see :func:`read_upload`, :func:`parse`).
    """
    data, name = read_upload(file)
    columns, rows = parse(data, name)
    if program is None and "program" not in columns:
        raise ImportFileError(_("Missing columns: %(columns)s.") % {"columns": "program"}, code="missing_columns")
    validate(rows, program=program, by=by)
    return ImportPreview(rows=rows, columns=columns)


def validate(rows: list[ImportRow], program: MentoringProgramPage | None = None, by=None) -> None:
    """Resolve and check every row in place (errors, action and what to write); a constant number of queries.

    One query each for the programs, the people, their enrolments and their profiles, and at most three per
    program for its page privacy, whatever the number of rows.
    """
    programs = _resolve_programs(rows, program, by)
    users = _resolve_users(rows)
    found = [user for user in users.values() if user is not None and user.pk]
    enrolments = {
        (e.program_id, e.user_id, e.role): e
        for e in Enrolment.objects.filter(program__in=[p.pk for p in programs.values()], user__in=found)
    }
    profiles = {p.user_id: p for p in MentoringProfile.objects.filter(user__in=found)}
    viewers = {pk: page_viewer_ids(p, found) for pk, p in {p.pk: p for p in programs.values()}.items()}
    seen: dict[tuple, int] = {}
    for row in rows:
        row.program = programs.get(row.line)
        row.user = users.get(row.line)
        if row.program is not None and row.user is not None:
            key = (row.program.pk, row.user.pk or row.values.get("username", "").lower(), row.values.get("role"))
            if key in seen:
                row.error("", _("Repeats row %(line)d (the same person, program and role).") % {"line": seen[key]})
            else:
                seen[key] = row.line
            if row.user.pk and row.user.pk not in viewers[row.program.pk]:
                row.error("program", _("This person may not see the program's page."))
        _check_enrolment(row, enrolments)
        _check_profile(row, profiles)
        if not row.errors:
            row.action = _action(row)


def _resolve_programs(rows: list[ImportRow], program, by) -> dict[int, MentoringProgramPage]:
    """Each row's program (by line), among those ``by`` coordinates; errors on the ``program`` column."""
    allowed = coordinated_programs(by) if by is not None else MentoringProgramPage.objects.all()
    if program is not None:
        if by is not None and not allowed.filter(pk=program.pk).exists():
            raise ImportFileError(_("You do not coordinate this program."), code="not_coordinator")
        names = {program.slug, str(program.pk)}
        resolved = {}
        for row in rows:
            cell = row.values.get("program", "")
            if cell and cell not in names:
                row.error(
                    "program",
                    _("This file is imported into %(program)s; this row names another program.")
                    % {"program": program.title},
                )
            else:
                resolved[row.line] = program
        return resolved
    if by is None:
        raise ImportFileError(_("Choose the program to import into."), code="no_program")
    cells = {row.values.get("program", "") for row in rows}
    ids = [pk for pk in (parse_id(cell) for cell in cells if cell.isdigit()) if pk is not None]
    slugs = [cell for cell in cells if cell and not cell.isdigit()]
    found = list(allowed.filter(Q(pk__in=ids) | Q(slug__in=slugs)))
    by_id = {str(p.pk): p for p in found}
    by_slug: dict[str, list] = {}
    for p in found:
        by_slug.setdefault(p.slug, []).append(p)
    resolved = {}
    for row in rows:
        cell = row.values.get("program", "")
        matches = [by_id[cell]] if cell in by_id else by_slug.get(cell, [])
        if not cell:
            row.error("program", _("Name the program (its slug or page id)."))
        elif not matches:
            row.error("program", _("No program you coordinate has this slug or id."))
        elif len(matches) > 1:
            row.error("program", _("Several programs have this slug: give the page id."))
        else:
            resolved[row.line] = matches[0]
    return resolved


def _resolve_users(rows: list[ImportRow]) -> dict[int, object]:
    """Each row's person (by line): an account by username, else by e-mail; a new one when allowed."""
    user_model = get_user_model()
    username_field, email_field = user_model.USERNAME_FIELD, user_model.get_email_field_name()
    usernames = {row.values.get("username", "") for row in rows} - {""}
    emails = {row.values.get("email", "").lower() for row in rows if not row.values.get("username")} - {""}
    accounts = list(
        user_model._default_manager.annotate(_wm_email=Lower(email_field)).filter(
            Q(**{f"{username_field}__in": usernames}) | Q(_wm_email__in=emails)
        )
    )
    by_username = {getattr(user, username_field): user for user in accounts}
    by_email: dict[str, list] = {}
    for user in accounts:
        by_email.setdefault(user._wm_email, []).append(user)
    create = mentoring_settings.IMPORT_CREATE_USERS
    resolved, created = {}, {}
    for row in rows:
        username, email = row.values.get("username", ""), row.values.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                row.error("email", _("Enter a valid e-mail address."))
                continue
        if username:
            user = by_username.get(username)
        else:
            matches = by_email.get(email.lower(), []) if email else []
            if len(matches) > 1:
                row.error("email", _("Several accounts have this e-mail address: give the username."))
                continue
            user = matches[0] if matches else None
        if user is not None:
            if not is_active_user(user):
                row.error("username" if username else "email", _("This account is inactive."))
                continue
            resolved[row.line] = user
        elif not username and not email:
            row.error("username", _("Give the person's username or e-mail address."))
        elif not create:
            column = "username" if username else "email"
            row.error(
                column, _("No account has this %(column)s; accounts are not created by imports.") % {"column": column}
            )
        elif not (username and email):
            row.error("email" if username else "username", _("A new account needs both a username and an e-mail."))
        elif username in created:
            row.new_user = True
            resolved[row.line] = created[username]  # the same new person in another role
        else:
            new = user_model(
                **{
                    username_field: username,
                    email_field: email,
                    "first_name": row.values.get("first_name", ""),
                    "last_name": row.values.get("last_name", ""),
                }
            )
            try:
                new.clean_fields(
                    exclude=[
                        f.name
                        for f in user_model._meta.fields
                        if f.name not in (username_field, email_field, "first_name", "last_name")
                    ]
                )
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    for message in messages:
                        row.error(column, message)
                continue
            row.new_user = True
            resolved[row.line] = created[username] = new
    return resolved


def _check_enrolment(row: ImportRow, enrolments: dict) -> None:
    """The row's role, status and answers: the enrolment to create or the fields to change."""
    role = row.values.get("role", "").lower()
    if role not in Enrolment.Role.values:
        row.error("role", _("Choose mentor or mentee."))
        return
    row.values["role"] = role
    if row.program is None or row.user is None:
        return
    existing = enrolments.get((row.program.pk, row.user.pk, role)) if row.user.pk else None
    row.enrolment = existing
    instance = copy.copy(existing) if existing is not None else Enrolment(program=row.program, role=role)
    ignored = set(services.fields_not_for(role))
    for name in services.ENROLMENT_FIELDS:
        if name not in ignored and row.values.get(name):
            setattr(instance, name, row.values[name])
    try:
        instance.full_clean(
            exclude=["program", "user", "reviewed_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            for message in messages:
                row.error(column, message)
    for column, message in services.role_answer_errors(role, vars(instance)).items():
        row.error(column, message)
    if row.errors:
        return
    row.enrolment_fields = {
        name: getattr(instance, name)
        for name in services.ENROLMENT_FIELDS
        if existing is None or getattr(instance, name) != getattr(existing, name)
    }
    status = row.values.get("status", "").lower()
    if status:
        current = existing.status if existing is not None else Enrolment.Status.APPLIED
        if status not in Enrolment.Status.values:
            row.error(
                "status",
                _("Unknown status; the statuses are: %(statuses)s.") % {"statuses": ", ".join(Enrolment.Status.values)},
            )
        elif status != current and status not in services.ENROLMENT_TRANSITIONS[current]:
            row.error(
                "status",
                _("An enrolment that is %(current)s cannot become %(new)s.")
                % {"current": Enrolment.Status(current).label.lower(), "new": Enrolment.Status(status).label.lower()},
            )
        elif status != current:
            row.status = status


def _check_profile(row: ImportRow, profiles: dict) -> None:
    """The profile fields the row changes (a new profile starts from ``PROFILE_ATTRIBUTES``)."""
    if row.user is None:
        return
    saved = profiles.get(row.user.pk) if row.user.pk else None
    profile = copy.copy(services.profile_for(row.user, existing=saved, known=True))
    before = {name: getattr(profile, name) for name in (*PROFILE_COLUMNS, "languages")}
    for name in (*PROFILE_COLUMNS, "languages"):
        if row.values.get(name):
            setattr(profile, name, row.values[name])
    try:
        profile.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            for message in messages:
                row.error(column, message)
        return
    after = {name: getattr(profile, name) for name in (*PROFILE_COLUMNS, "languages")}
    if saved is None:
        defaults = {name: getattr(MentoringProfile(), name) for name in after}
        row.profile_fields = {name: value for name, value in after.items() if value != defaults[name]}
    else:
        row.profile_fields = {name: value for name, value in after.items() if value != before[name]}


def _action(row: ImportRow) -> str:
    if row.enrolment is None:
        return CREATE
    return UPDATE if (row.enrolment_fields or row.status or row.profile_fields) else UNCHANGED


# --- writing -------------------------------------------------------------------------------------------
class _RowFailed(Exception):
    def __init__(self, row: ImportRow, error: ValidationError) -> None:
        super().__init__(str(error))
        self.row, self.error = row, error


def confirm(file, program: MentoringProgramPage | None = None, by=None) -> ImportPreview:
    """Validate ``file`` again (:func:`preview`) and, only when no row has an error, write every row at once.

    Everything is written in one transaction: if a service refuses a row (a change since the preview),
    nothing is written and the row carries the error. Returns the preview, ``written`` when written.

    Raises:
        ImportFileError: as :func:`preview`.
    """
    result = preview(file, program=program, by=by)
    if result.has_errors:
        return result
    try:
        with transaction.atomic():
            for row in result.rows:
                try:
                    _write(row, by)
                except ValidationError as exc:
                    raise _RowFailed(row, exc) from exc
                except IntegrityError as exc:  # a concurrent change (an account or enrolment made meanwhile)
                    message = _("This row conflicts with a change made since the preview: preview the file again.")
                    raise _RowFailed(row, ValidationError(message)) from exc
    except _RowFailed as failed:
        error = failed.error
        items = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
        for column, messages in items:
            for message in messages:
                failed.row.error("" if column == "__all__" else column, message)
        failed.row.action = ""
        return result
    result.written = True
    return result


def _write(row: ImportRow, by) -> None:
    """Write one valid row through the services (inside :func:`confirm`'s transaction)."""
    if row.action == UNCHANGED:
        return
    user = row.user
    if row.new_user and user.pk is None:
        user.set_unusable_password()
        user.save()
    if row.profile_fields:
        services.save_profile(user, **row.profile_fields)
    role = row.values["role"]
    if row.enrolment is None:
        enrolment = services.enrol(row.program, user, role, ignore_window=True, **row.enrolment_fields)
        if row.status:
            services.update_enrolment(enrolment, status=row.status, by=by)
    elif row.enrolment_fields or row.status:
        services.update_enrolment(row.enrolment, status=row.status, by=by, **row.enrolment_fields)


def template_csv() -> str:
    """The import template: the header (:data:`COLUMNS`) and two example rows (:data:`TEMPLATE_ROWS`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for values in TEMPLATE_ROWS:
        writer.writerow(values)
    return out.getvalue()
