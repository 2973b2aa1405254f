"""A tiny reader for gettext .po files: enough to check a catalogue without extra dependencies."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    """One catalogue entry: msgid, optional plural and context, the translations and the flags."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)]


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse(path: Path) -> list[Entry]:
    """Parse a .po file into entries (the header entry, msgid "", included first)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None
    flags: set[str] = set()

    def finish():
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            finish()
            flags = {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            key, index = target
            value = _unquote(line)
            if key == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, key, getattr(current, key) + value)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            finish()
            current = Entry(flags=flags)
            flags = set()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            setattr(current, keyword, _unquote(rest))
            target = (keyword, None)
    finish()
    return entries
