"""The Italian catalogue is complete, consistent with its source, and compiled: a missing translation fails here."""

import gettext
import re
import shutil
from collections import Counter

import pytest
from django.core.management import call_command

from tests.i18n import po
from tests.i18n.conftest import MO_PATH, PACKAGE, PO_PATH

# Python %-placeholders (named or not, %% included) and str.format fields.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]|\{[^{}\s]*\}")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def key(entry: po.Entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_header_declares_italian_plurals(catalogue):
    header = catalogue[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    text = header.msgstr[0]
    assert "Language: it\n" in text
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in text
    assert "charset=UTF-8" in text


def test_catalogue_is_not_empty(messages):
    assert len(messages) > 800


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    untranslated = [e.msgid for e in messages if not all(t.strip() for t in e.translations)]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


def test_plural_entries_have_both_italian_forms(messages):
    plurals = [e for e in messages if e.msgid_plural]
    assert plurals
    for entry in plurals:
        assert sorted(entry.msgstr) == [0, 1], entry.msgid


def test_placeholders_match(messages):
    mismatches = []
    for entry in messages:
        if entry.msgid_plural:
            pairs = [(entry.msgid, entry.msgstr[0]), (entry.msgid_plural, entry.msgstr[1])]
        else:
            pairs = [(entry.msgid, entry.msgstr[0])]
        for source, translation in pairs:
            src, dst = placeholders(source), placeholders(translation)
            # A singular form may spell out "one" instead of the count, never invent a placeholder.
            if entry.msgid_plural and source is entry.msgid:
                ok = not (dst - placeholders(entry.msgid_plural)) and not (src - dst)
            else:
                ok = src == dst
            if not ok:
                mismatches.append((source, translation))
    assert mismatches == []


def test_markup_in_messages_is_kept(messages):
    """HTML inside a msgid (visually hidden text, entities) stays in the translation."""
    for entry in messages:
        for tag in re.findall(r"<[^>]+>|&\w+;", entry.msgid):
            assert tag in entry.msgstr[0], (entry.msgid, tag)


def test_compiled_catalogue_is_up_to_date(messages):
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == "it"
    stale = []
    for entry in messages:
        if entry.msgid_plural:
            got = [compiled.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 5)]
            if entry.msgctxt:
                got = [compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in (1, 5)]
            if got != entry.translations:
                stale.append(entry.msgid)
        else:
            got = compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
            if got != entry.msgstr[0]:
                stale.append(entry.msgid)
    assert stale == [], "run `django-admin compilemessages` in wagtail_mentoring/"
    # Nothing in the .mo that the .po no longer has.
    assert len(compiled._catalog) - 1 == sum(2 if e.msgid_plural else 1 for e in messages)  # noqa: SLF001


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext tools (xgettext) are not installed")
def test_source_has_no_message_missing_from_the_catalogue(tmp_path, monkeypatch, messages):
    """Re-extract every marked string from the source: each must already be in the committed .po."""
    copy = tmp_path / "wagtail_mentoring"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "migrations"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["it"], no_obsolete=True, verbosity=0)
    extracted = [e for e in po.parse(copy / PO_PATH.relative_to(PACKAGE)) if e.msgid or e.msgctxt]
    committed = {key(e) for e in messages}
    missing = sorted({key(e) for e in extracted} - committed, key=str)
    assert missing == [], (
        "strings marked for translation are missing from the Italian catalogue: run "
        "`django-admin makemessages -l it --no-obsolete` in wagtail_mentoring/, translate them, then compilemessages"
    )
    stale = sorted(committed - {key(e) for e in extracted}, key=str)
    assert stale == [], "the catalogue has messages no longer in the source: re-run makemessages --no-obsolete"
