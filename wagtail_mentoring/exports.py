"""Spreadsheet export hardening: neutralise cell values a spreadsheet would run as formulas."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from wagtail_mentoring.people import display_name

#: Leading characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or DDE).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Characters a spreadsheet may read as one of ``= + - @`` that NFKC does not fold to it (minus sign).
_LOOKALIKES = {"\u2212": "-"}


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    True when it starts with a formula character or a tab or carriage return, also after leading
    white space and invisible characters, and also when that character is a look-alike that folds to
    one (full-width ``＝ ＋ － ＠``, small ``﹦ ﹢ ﹣ ﹫``, the minus sign ``−``).
    """
    if text.startswith(FORMULA_PREFIXES):
        return True
    stripped = text.lstrip()
    while stripped and unicodedata.category(stripped[0]) in ("Cf", "Zs"):
        stripped = stripped[1:].lstrip()
    if not stripped:
        return False
    first = _LOOKALIKES.get(stripped[0], unicodedata.normalize("NFKC", stripped[0])[:1])
    return first in FORMULA_PREFIXES


def neutralise_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would evaluate with a quote; other values pass unchanged."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """Put before Wagtail's export-capable views: CSV and XLSX cells never start a formula.

    Wagtail's ``SpreadsheetExportMixin`` only turns XLSX formulas back into strings (which a user can
    still re-evaluate) and writes CSV cells as given, so every exported value is neutralised here. A
    person is exported by name (``people.display_name``), not by username.
    """

    def preprocess_field_value(self, field, value, export_format):
        """Wagtail's exported value for ``field``, passed through :func:`neutralise_formula` (CSV and XLSX)."""
        if isinstance(value, AbstractBaseUser):
            value = display_name(value)
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))
