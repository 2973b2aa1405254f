"""Benchmark: optimal matching at several sizes, one line per size, each size in its own process.

Run from the repository root: ``python bench/matching.py`` (``--help`` for sizes and runs). Not part
of the test suite. Each size runs in a fresh child process (so its peak RSS, ``ru_maxrss``, is that
size's alone: the people, the features, the solve) and prints, as soon as it is done: the median and
range of ``match()``'s wall time over the runs, the median of its CPU time (``time.process_time``), the peak RSS, how many mentees were matched, the
total score and, for large problems, the optimality certificate (``proven`` with the rounds, the
candidate edges and the rows the check had to score again), then the load average. While a size
runs, the start of each phase of each run is printed (``--quiet`` to leave it out).

Side by side: ``--against DIR`` (another checkout of the project, e.g. ``git archive main`` unpacked
there) runs each size with that tree's engine and with this one, alternated (theirs, ours, ours,
theirs), each in its own child process, and prints one line per child, labelled.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("WM_BENCH_ROOT") or Path(__file__).resolve().parent.parent)  # the engine's tree
sys.path.insert(0, str(ROOT))

RULES = {"shared_language": True, "mentor_more_senior": True, "max_timezone_gap_hours": 8}
DEFAULT_SIZES = "5000x1000:5,50000x10000:1"


def run_size(mentees: int, mentors: int, capacity: int, runs: int, seed: int, strategy: str, verbose: bool) -> dict:
    """Time ``match()`` on one size in this process; returns the figures as a dict."""
    from bench.data import generate
    from wagtail_mentoring.programs import matching

    people, offered = generate(mentees, mentors, capacity, seed)
    times, cpus, result = [], [], None
    for run in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        phases: list[str] = []

        def progress(phase: str, fraction: float, start=start, phases=phases, run=run) -> None:
            if verbose and (not phases or phases[-1] != phase):  # each phase's start, on stderr
                phases.append(phase)
                print(f"    run {run + 1}: {time.perf_counter() - start:7.1f} s {phase}", file=sys.stderr, flush=True)

        result = matching.match(people, offered, rules=RULES, strategy=strategy, progress=progress)
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    certificate = result.certificate
    return {
        "times": times,
        "cpus": cpus,
        "matched": len(result.pairs),
        "total": result.total_score,
        "certificate": None if certificate is None else vars(certificate),
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def parse_sizes(text: str) -> list[tuple[int, int, int]]:
    """``"5000x1000:5,50000x10000:1"`` -> ``[(5000, 1000, 5), (50000, 10000, 1)]`` (mentees, mentors, runs)."""
    sizes = []
    for item in text.split(","):
        shape, _, runs = item.partition(":")
        mentees, mentors = (int(x) for x in shape.lower().split("x"))
        sizes.append((mentees, mentors, int(runs or 1)))
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="MENTEESxMENTORS:RUNS,... (default %(default)s)")
    parser.add_argument("--capacity", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--strategy", default="best_total")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # one size, in a child process: prints JSON
    parser.add_argument("--quiet", action="store_true", help="do not print each run's phases")
    parser.add_argument("--against", help="another checkout: run its engine and this one alternately")
    args = parser.parse_args(argv)

    if args.child:
        mentees, mentors, runs = parse_sizes(args.child)[0]
        figures = run_size(mentees, mentors, args.capacity, runs, args.seed, args.strategy, not args.quiet)
        print(json.dumps(figures))
        return

    import numpy as np

    print(f"capacity {args.capacity}, seed {args.seed}, strategy {args.strategy}; rules {RULES}")
    print(f"Python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    print(
        "| size | engine | runs | median (s) | min-max (s) | CPU median (s) | peak RSS (MiB) | matched | total score "
        "| certificate | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    here = str(Path(__file__).resolve().parent.parent)
    trees = [here] if not args.against else [args.against, here, here, args.against]
    for mentees, mentors, runs in parse_sizes(args.sizes):
        for tree in trees:
            load_before = os.getloadavg()[0]
            child = [sys.executable, __file__, "--child", f"{mentees}x{mentors}:{runs}"]
            child += ["--capacity", str(args.capacity), "--seed", str(args.seed), "--strategy", args.strategy]
            child += ["--quiet"] * args.quiet
            env = {**os.environ, "WM_BENCH_ROOT": tree}
            output = subprocess.run(child, check=True, stdout=subprocess.PIPE, text=True, cwd=tree, env=env).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            times, cert = figures["times"], figures["certificate"]
            proof = (
                "dense solver (exact)"
                if cert is None
                else f"proven={cert['proven']}, {cert['rounds']} rounds, {cert['candidates']:,} candidates "
                f"of {cert['allowed']:,} allowed, {cert['rescanned']:,} rows rescanned, "
                f"{cert.get('warm_starts', 0)} warm starts"
            )
            label = "this tree" if tree == here else tree
            print(
                f"| {mentees:,} x {mentors:,} | {label} | {runs} | {statistics.median(times):.2f} | "
                f"{min(times):.2f}-{max(times):.2f} | {statistics.median(figures['cpus']):.2f} | "
                f"{figures['max_rss_mib']:.0f} | {figures['matched']:,} | {figures['total']:.6f} | {proof} | "
                f"{load_before:.2f} -> {os.getloadavg()[0]:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
