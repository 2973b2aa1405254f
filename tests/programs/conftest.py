"""Fixtures for the programs tests: admin access for coordinators, and the matching engine.

``wagtail_mentoring.programs.matching`` is written in parallel; until it exists, a tiny fake that
follows the matching contract (docs/matching.md) stands in for it (only when the real module is missing).
"""

import importlib
import sys
import types
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission


@dataclass
class _Candidate:
    id: int
    skills: set = field(default_factory=set)
    interests: set = field(default_factory=set)
    languages: set = field(default_factory=set)
    department: str = ""
    seniority: int = 1
    capacity: int = 1
    career_goals: str = ""
    time_zone: str = ""


@dataclass
class _Pair:
    mentee_id: int
    mentor_id: int
    score: float
    reasons: dict


@dataclass
class _Unmatched:
    mentee_id: int
    reason: str


@dataclass
class _Result:
    pairs: list
    unmatched: list
    total_score: float


def _score(mentee, mentor, weights=None, rules=None):
    if mentee.languages and mentor.languages and not mentee.languages & mentor.languages:
        return None
    return len(mentee.skills & mentor.skills) * 0.5 + len(mentee.interests & mentor.interests) * 0.25 + 0.1


def _match(mentees, mentors, weights=None, rules=None, strategy="best_total", excluded=None):
    slots = {m.id: m.capacity for m in mentors}
    options = sorted(
        ((_score(e, m), e.id, m.id) for e in mentees for m in mentors if _score(e, m) is not None),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    pairs, taken = [], set()
    for score, mentee_id, mentor_id in options:
        if mentee_id in taken or slots[mentor_id] <= 0:
            continue
        taken.add(mentee_id)
        slots[mentor_id] -= 1
        pairs.append(_Pair(mentee_id, mentor_id, score, {"skills": score}))
    unmatched = [_Unmatched(e.id, "No mentor with free capacity fits.") for e in mentees if e.id not in taken]
    unmatched += [_Unmatched(pk, reason) for pk, reason in (excluded or {}).items()]
    return _Result(pairs, unmatched, sum(p.score for p in pairs))


@pytest.fixture(autouse=True)
def matching_engine(monkeypatch):
    """The real engine when it is installed; otherwise the contract-following fake above."""
    name = "wagtail_mentoring.programs.matching"
    try:
        return importlib.import_module(name)
    except ImportError:
        fake = types.ModuleType(name)
        fake.Candidate, fake.match, fake.score = _Candidate, _match, _score
        monkeypatch.setitem(sys.modules, name, fake)
        return fake


@pytest.fixture
def admin_access(roles):
    """Coordinators (and the employee, to prove that admin access alone shows nothing) reach the admin."""
    perm = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name in ("coordinator", "other_coordinator", "employee"):
        roles[name].user_permissions.add(perm)
    return roles
