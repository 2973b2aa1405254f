"""Random small matching instances and a brute-force optimum, for the matching engine's tests."""

from __future__ import annotations

import itertools
import math
import random

from wagtail_mentoring.programs.matching import SCALE, Candidate, score_matrix

SKILLS = ["python", "sql", "design", "sales", "leadership", "writing"]
INTERESTS = ["chess", "music", "running", "film"]
LANGUAGES = ["en", "it", "de"]
DEPARTMENTS = ["", "IT", "HR", "Sales"]
ZONES = [None, 0, 1, "Europe/Rome", "America/New_York", "UTC+5:30", 10]
WORDS = "lead team data science manager public speaking career growth design product".split()


def random_candidate(rng: random.Random, ident, mentor: bool) -> Candidate:
    return Candidate(
        id=ident,
        skills=set(rng.sample(SKILLS, rng.randint(0, 3))),
        interests=set(rng.sample(INTERESTS, rng.randint(0, 3))),
        languages=set(rng.sample(LANGUAGES, rng.randint(0, 2))),
        department=rng.choice(DEPARTMENTS),
        seniority=rng.randint(1, 6),
        capacity=rng.choice([0, 1, 1, 2, 2, 3]) if mentor else 1,
        career_goals=" ".join(rng.choices(WORDS, k=rng.randint(0, 5))),
        time_zone=rng.choice(ZONES),
        person_id=rng.choice([None, rng.randint(1, 4)]),
    )


def random_rules(rng: random.Random) -> dict:
    rules = {}
    if rng.random() < 0.3:
        rules["shared_language"] = True
    if rng.random() < 0.3:
        rules["different_department"] = True
    if rng.random() < 0.3:
        rules["mentor_more_senior"] = True
    if rng.random() < 0.2:
        rules["max_timezone_gap_hours"] = rng.choice([2, 6])
    if rng.random() < 0.3:
        rules["min_score"] = rng.choice([0.2, 0.35, 0.5])
    return rules


def random_weights(rng: random.Random) -> dict | None:
    if rng.random() < 0.5:
        return None
    return {name: rng.choice([0, 0.5, 1, 2, 3]) for name in ("skills", "goals", "interests", "time_zone")}


def random_instance(seed: int, max_mentees: int = 5, max_mentors: int = 3):
    rng = random.Random(seed)
    n_mentees = 0 if rng.random() < 0.05 else rng.randint(1, max_mentees)
    n_mentors = 0 if rng.random() < 0.05 else rng.randint(1, max_mentors)
    mentees = [random_candidate(rng, i, False) for i in range(n_mentees)]
    mentors = [random_candidate(rng, 100 + j, True) for j in range(n_mentors)]
    return mentees, mentors, random_weights(rng), random_rules(rng)


def brute_force(mentees, mentors, weights, rules, strategy: str) -> tuple[int, int]:
    """The optimal (total score in 1/SCALE units, matched count), by enumerating every assignment."""
    # Every pair's score at once (``score`` of each pair gives the same: tests/matching/test_scoring.py).
    scores = score_matrix(mentees, mentors, weights, rules) if mentees and mentors else None
    options = []
    for i, _mentee in enumerate(mentees):
        allowed = [None]
        for j, mentor in enumerate(mentors):
            value = scores[i, j]
            if not math.isnan(value) and mentor.capacity > 0:
                allowed.append((j, round(value * SCALE)))
        options.append(allowed)
    best = None
    for choice in itertools.product(*options):
        load = [0] * len(mentors)
        total = count = 0
        feasible = True
        for item in choice:
            if item is None:
                continue
            j, value = item
            load[j] += 1
            if load[j] > mentors[j].capacity:
                feasible = False
                break
            total += value
            count += 1
        if not feasible:
            continue
        key = (total, count) if strategy == "best_total" else (count, total)
        if best is None or key > best:
            best = key
    if best is None:
        return 0, 0
    return best if strategy == "best_total" else (best[1], best[0])
