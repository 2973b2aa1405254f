"""Spreadsheet export hardening: neutralise cell values a spreadsheet would run as formulas."""

from __future__ import annotations

from typing import Any

#: Leading characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (or DDE).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would evaluate with a quote; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin:
    """Put before Wagtail's export-capable views: CSV and XLSX cells never start a formula.

    Wagtail's ``SpreadsheetExportMixin`` only turns XLSX formulas back into strings (which a user can
    still re-evaluate) and writes CSV cells as given, so every exported value is neutralised here.
    """

    def preprocess_field_value(self, field, value, export_format):
        """Wagtail's exported value for ``field``, passed through :func:`neutralise_formula` (CSV and XLSX)."""
        return neutralise_formula(super().preprocess_field_value(field, value, export_format))
