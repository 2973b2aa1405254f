"""Seeded generator of realistic mentee and mentor candidates for the matching benchmark."""

from __future__ import annotations

import random

from wagtail_mentoring.programs.matching import Candidate

DEPARTMENTS = (
    "Engineering",
    "Product",
    "Design",
    "Data",
    "Sales",
    "Marketing",
    "Finance",
    "Legal",
    "People",
    "Operations",
    "Customer Success",
    "Security",
)
SKILLS = (
    "python javascript typescript sql go java rust kubernetes terraform aws azure gcp machine-learning statistics "
    "data-visualisation excel financial-modelling negotiation public-speaking writing storytelling "
    "product-discovery roadmapping user-research accessibility figma copywriting seo analytics "
    "people-management hiring coaching feedback conflict-resolution strategy okrs budgeting "
    "project-management agile scrum stakeholder-management presentation leadership delegation "
    "time-management contract-law compliance privacy threat-modelling incident-response "
    "customer-empathy onboarding pricing partnerships procurement supply-chain"
).split()
INTERESTS = (
    "open-source running chess cooking photography music climbing cycling reading gaming volunteering "
    "sustainability diversity parenting travel languages board-games hiking yoga podcasts art theatre "
    "gardening investing startups ai ethics history film"
).split()
LANGUAGES = (("en", 0.92), ("it", 0.25), ("de", 0.15), ("fr", 0.15), ("es", 0.18), ("pt", 0.06), ("pl", 0.05))
TIME_ZONES = (
    ("Europe/London", 0.2),
    ("Europe/Rome", 0.25),
    ("Europe/Berlin", 0.15),
    ("America/New_York", 0.15),
    ("America/Los_Angeles", 0.08),
    ("America/Sao_Paulo", 0.04),
    ("Asia/Kolkata", 0.06),
    ("Asia/Singapore", 0.04),
    ("Australia/Sydney", 0.03),
)
GOAL_PHRASES = (
    "become a team lead",
    "move into engineering management",
    "grow into a staff engineer",
    "learn to present to executives",
    "build confidence in negotiation",
    "switch career into data science",
    "understand the business and finance",
    "lead a cross functional product team",
    "improve my writing and storytelling",
    "get better at giving and receiving feedback",
    "plan the next step of my career",
    "build a network outside my department",
    "learn machine learning in production",
    "become a better people manager",
    "balance delivery with long term strategy",
    "grow my public speaking skills",
    "prepare for a promotion to senior",
    "learn how to hire and grow a team",
    "develop expertise in security and privacy",
    "work internationally with remote teams",
)


def _popular(rng: random.Random, items: tuple[str, ...] | list[str], k: int) -> set[str]:
    """k distinct items drawn with Zipf-like popularity (earlier items are more common)."""
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(items))]
    chosen: set[str] = set()
    while len(chosen) < k:
        chosen.add(rng.choices(items, weights)[0])
    return chosen


def _person(rng: random.Random, ident: int, mentor: bool, capacity: int) -> Candidate:
    languages = {code for code, share in LANGUAGES if rng.random() < share} or {"en"}
    zones, zone_weights = zip(*TIME_ZONES, strict=True)
    seniority = rng.randint(4, 10) if mentor else rng.randint(1, 6)
    goals = " and ".join(rng.sample(GOAL_PHRASES, rng.randint(1, 3)))
    return Candidate(
        id=ident,
        skills=_popular(rng, SKILLS, rng.randint(3, 8) if mentor else rng.randint(1, 4)),
        interests=_popular(rng, INTERESTS, rng.randint(0, 5)),
        languages=languages,
        department=rng.choice(DEPARTMENTS),
        seniority=seniority,
        capacity=capacity if mentor else 1,
        career_goals=goals,
        time_zone=rng.choices(zones, zone_weights)[0],
        person_id=ident,
    )


def generate(
    n_mentees: int = 5000, n_mentors: int = 1000, capacity: int = 5, seed: int = 2026
) -> tuple[list[Candidate], list[Candidate]]:
    """Mentees (ids 1..n) and mentors (ids n+1..n+m), the same for the same seed."""
    rng = random.Random(seed)
    mentees = [_person(rng, i, False, capacity) for i in range(1, n_mentees + 1)]
    mentors = [_person(rng, n_mentees + i, True, capacity) for i in range(1, n_mentors + 1)]
    return mentees, mentors
