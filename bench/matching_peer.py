"""Benchmark: our engine against the open-source peer ``mentor-match`` on the same people.

Run from the repository root: ``python bench/matching_peer.py`` (``--help`` for sizes and runs).
Not part of the test suite. It creates a virtualenv under /tmp (once) and installs
``mentor-match`` there with pip, so the peer never enters this project's environment.

Both engines get the same 1,000 mentees and 340 mentors (capacity 3) from ``bench/data.py`` and
the same objective: our pair score (``score_matrix``), with the pairs our hard rules forbid
disqualified. The peer (pure-Python Munkres) runs the way its ``process_data`` is meant to be
used: one assignment round per mentor slot (three here), each mentor taking at most one mentee per
round, and a mentee already matched in an earlier round disqualified from the next. Its time
covers ``process_data`` only (its scores come from a lookup in our precomputed matrix, so our
scoring costs it nothing); ours covers all of ``match()``. Both results are then valued by our
score.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.data import generate  # noqa: E402
from bench.matching import RULES  # noqa: E402
from wagtail_mentoring.programs import matching  # noqa: E402
from wagtail_mentoring.programs.matching import score_matrix  # noqa: E402

PEER = "mentor-match==7.0.1"
VENV = Path(tempfile.gettempdir()) / "wagtail-mentoring-bench-mentor-match"

#: Runs inside the peer's virtualenv: reads the problem (JSON) on stdin, prints its pairs and time.
PEER_SCRIPT = r"""
import json, sys, time
from matching.mentee import Mentee
from matching.mentor import Mentor
from matching.process import process_data
from matching.rules import rule as rl

problem = json.load(sys.stdin)
scores = problem["scores"]  # [mentee][mentor] -> integer score, or None when forbidden
mentees = [Mentee(email=f"mentee{i}@example.com", grade=0) for i in range(len(scores))]
mentors = [Mentor(email=f"mentor{j}@example.com", grade=0) for j in range(len(scores[0]))]
for index, person in enumerate(mentees):
    person.index = index
for index, person in enumerate(mentors):
    person.index = index


class OurScore(rl.Rule):
    def apply(self, match):
        value = scores[match.mentee.index][match.mentor.index]
        if value is None:
            match.disallowed = True
            return 0
        return value


rounds = [
    [OurScore(), rl.Disqualify(lambda match: len(match.mentee.mentors) > 0)]
    for _ in range(problem["capacity"])
]
start, cpu = time.perf_counter(), time.process_time()
process_data(mentors, mentees, rounds)
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
pairs = [[mentee.index, mentor.index] for mentee in mentees for mentor in mentee.mentors]
print(json.dumps({"seconds": elapsed, "cpu": cpu, "pairs": pairs}))
"""


def peer_python() -> Path:
    """The peer's virtualenv interpreter, creating the virtualenv and installing the peer once."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", PEER], check=True)
    return python


def our_total(pairs: list[tuple[int, int]], scores: np.ndarray) -> tuple[float, int, bool]:
    """Total of our scores over ``pairs`` (row, column), how many, and whether every pair is allowed."""
    values = [scores[i, j] for i, j in pairs]
    return float(np.nansum(values)), len(values), not any(np.isnan(v) for v in values)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=1000)
    parser.add_argument("--mentors", type=int, default=340)
    parser.add_argument("--capacity", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5, help="runs of our engine (the peer runs once)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)

    mentees, mentors = generate(args.mentees, args.mentors, args.capacity, args.seed)
    print(f"{args.mentees} mentees x {args.mentors} mentors (capacity {args.capacity}), seed {args.seed}; {RULES}")
    print(f"load average at start {os.getloadavg()[0]:.2f}", flush=True)

    times, cpus, result = [], [], None
    for _ in range(args.runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = matching.match(mentees, mentors, rules=RULES)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    ours, ours_cpu = statistics.median(times), statistics.median(cpus)

    scores = score_matrix(mentees, mentors, rules=RULES)  # rows and columns in id order, as generated
    row = {c.id: i for i, c in enumerate(mentees)}
    col = {c.id: j for j, c in enumerate(mentors)}
    our_pairs = [(row[p.mentee_id], col[p.mentor_id]) for p in result.pairs]
    integer = np.where(np.isnan(scores), -1, np.rint(scores * matching.SCALE)).astype(np.int64).tolist()
    problem = {"capacity": args.capacity, "scores": [[None if v < 0 else v for v in r] for r in integer]}
    peer = subprocess.run(
        [str(peer_python()), "-c", PEER_SCRIPT], input=json.dumps(problem), capture_output=True, text=True, check=True
    )
    outcome = json.loads(peer.stdout.strip().splitlines()[-1])
    peer_pairs = [tuple(p) for p in outcome["pairs"]]
    loads = np.bincount([j for _i, j in peer_pairs], minlength=len(mentors))
    assert len({i for i, _j in peer_pairs}) == len(peer_pairs), "the peer gave a mentee two mentors"
    assert loads.max(initial=0) <= args.capacity, "the peer put a mentor over capacity"

    print()
    print("| engine | time (s) | CPU time (s) | matched | total (our score) | every pair allowed |")
    print("|---|---|---|---|---|---|")
    for name, seconds, cpu, pairs in (
        (
            f"wagtail-mentoring `match()` (median of {args.runs}, {min(times):.3f}-{max(times):.3f})",
            ours,
            ours_cpu,
            our_pairs,
        ),
        (f"{PEER} `process_data` (1 run)", outcome["seconds"], outcome["cpu"], peer_pairs),
    ):
        total, matched, allowed = our_total(pairs, scores)
        print(f"| {name} | {seconds:.3f} | {cpu:.3f} | {matched} | {total:.3f} | {allowed} |")
    speedup = outcome["seconds"] / ours
    print(f"\nCPU time (process_time, each process its own): ours is {outcome['cpu'] / ours_cpu:.0f}x faster")
    peer_total, peer_matched, _ = our_total(peer_pairs, scores)
    total, matched, _ = our_total(our_pairs, scores)
    print(
        f"wall time: ours is {speedup:.0f}x faster (target >= 150x: {'met' if speedup >= 150 else 'NOT met'}); "
        f"matched {matched} vs {peer_matched}; total {total:.3f} vs {peer_total:.3f} "
        f"({(total / peer_total - 1) * 100:+.2f}%); load average at end {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
