"""Benchmark: optimal matching of 5,000 mentees to 1,000 mentors (capacity 5) against a greedy baseline.

Run from the repository root: ``python bench/matching.py`` (``--help`` for sizes and runs). Not part
of the test suite. Prints a Markdown table: median wall time over the runs, peak traced memory
(tracemalloc, one extra run each) and the total score of the optimal engine and of the greedy
baseline (each mentee, in id order, takes the best allowed mentor that still has room).

``--baseline PATH`` also times another version of the engine in the same process, runs
interleaved: PATH is a copy of an older ``matching.py`` or ``matching/`` package, e.g. from
``git show REV:wagtail_mentoring/programs/matching.py > /tmp/matching_old.py``. Its results must
equal this version's.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data import generate  # noqa: E402
from wagtail_mentoring.programs import matching  # noqa: E402
from wagtail_mentoring.programs.matching import score_matrix  # noqa: E402

RULES = {"shared_language": True, "mentor_more_senior": True, "max_timezone_gap_hours": 8}


def greedy(mentees, mentors, rules=RULES) -> tuple[float, int]:
    """Baseline: mentees in id order each take their best allowed mentor with room (ties: lowest id)."""
    mentees = sorted(mentees, key=lambda c: c.id)
    mentors = sorted(mentors, key=lambda c: c.id)
    scores = score_matrix(mentees, mentors, rules=rules)
    room = np.array([m.capacity for m in mentors], dtype=np.int64)
    total, matched = 0.0, 0
    for row in scores:
        options = np.where(room > 0, row, np.nan)
        if np.all(np.isnan(options)):
            continue
        j = int(np.nanargmax(options))  # first (lowest id) among equal best scores
        room[j] -= 1
        total += float(row[j])
        matched += 1
    return total, matched


def optimal(engine, mentees, mentors, strategy: str, rules=RULES) -> tuple[float, int]:
    """``engine.match``'s total score and number of pairs."""
    result = engine.match(mentees, mentors, rules=rules, strategy=strategy)
    return result.total_score, len(result.pairs)


def load_baseline(path: str):
    """Import another version of the matching engine (a module file or a package directory)."""
    location = Path(path).resolve()
    name = "bench_baseline_matching"
    if location.is_dir():
        spec = importlib.util.spec_from_file_location(
            name, location / "__init__.py", submodule_search_locations=[str(location)]
        )
    else:
        spec = importlib.util.spec_from_file_location(name, location)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def convert(candidates, engine) -> list:
    """The same people as ``engine``'s Candidate instances."""
    return [engine.Candidate(**{f.name: getattr(c, f.name) for f in dataclasses.fields(c)}) for c in candidates]


def interleaved(engines: dict, runs: int, strategy: str) -> dict[str, tuple[list[float], tuple[float, int]]]:
    """``{label: (times, (total, matched))}``, running the engines in turn so load affects them alike."""
    times: dict[str, list[float]] = {label: [] for label in engines}
    outcome: dict[str, tuple[float, int]] = {}
    results = {}
    for _ in range(runs):
        for label, (engine, mentees, mentors) in engines.items():
            start = time.perf_counter()
            result = engine.match(mentees, mentors, rules=RULES, strategy=strategy)
            times[label].append(time.perf_counter() - start)
            outcome[label] = (result.total_score, len(result.pairs))
            results[label] = result.as_dict()
    first, *others = results.values()
    assert all(other == first for other in others), "the baseline's result differs from this version's"
    return {label: (times[label], outcome[label]) for label in engines}


def timed(function, runs: int, *args) -> tuple[list[float], tuple[float, int]]:
    times, outcome = [], None
    for _ in range(runs):
        start = time.perf_counter()
        outcome = function(*args)
        times.append(time.perf_counter() - start)
    return times, outcome


def peak_mib(function, *args) -> float:
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=5000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--baseline", help="another matching.py or matching/ package to time side by side")
    args = parser.parse_args(argv)

    mentees, mentors = generate(args.mentees, args.mentors, args.capacity, args.seed)
    print(
        f"{args.mentees} mentees x {args.mentors} mentors (capacity {args.capacity}), seed {args.seed}, "
        f"{args.runs} runs; rules {RULES}"
    )
    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"load average at start {os.getloadavg()[0]:.2f}"
    )

    rows = []
    greedy_times, (greedy_total, greedy_matched) = timed(greedy, args.runs, mentees, mentors)
    engines = {"": (matching, mentees, mentors)}
    if args.baseline:
        baseline = load_baseline(args.baseline)
        engines = {"--baseline ": (baseline, convert(mentees, baseline), convert(mentors, baseline)), **engines}
    for strategy in ("best_total", "most_matched"):
        for label, (times, (total, matched)) in interleaved(engines, args.runs, strategy).items():
            engine, people, offered = engines[label]
            peak = peak_mib(optimal, engine, people, offered, strategy)
            rows.append((f"{label}optimal `{strategy}`", times, total, matched, peak))
    rows.append(("greedy baseline", greedy_times, greedy_total, greedy_matched, peak_mib(greedy, mentees, mentors)))

    print()
    print("| method | median time (s) | min-max (s) | peak traced memory (MiB) | matched | total score | vs greedy |")
    print("|---|---|---|---|---|---|---|")
    for name, times, total, matched, peak in rows:
        print(
            f"| {name} | {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} | {peak:.0f} | "
            f"{matched} | {total:.3f} | {total / greedy_total:.4f} |"
        )
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nProcess peak RSS: {max_rss:.0f} MiB; load average at end {os.getloadavg()[0]:.2f}")
    for _name, _times, total, _matched, _peak in rows[:1]:
        assert total >= greedy_total - 1e-6, "the optimal total must never be below greedy"


if __name__ == "__main__":
    main()
