"""Reference lower bounds for the ladder, computed apart from any solve.

    python -m bench.reference                 # every rung (cached), and the table
    python -m bench.reference --only 2000
    python -m bench.reference --rung my.yaml

The solver bounds what it can within its time limit: at 2000 proposals the LP's bound
by a first-order method stopped after a fixed number of iterations (PDLP), since the
interior point takes 50-90 s there. So that the ladder's schedules are also measured
against the LP's optimum, this module solves that LP to the end, with no time limit:
interior point, bound by weak duality on its row prices
(`Program.dual_bound`, valid whatever the solver's tolerance), rounded up to the
costs' common divisor. Each instance file's bound is computed once and cached by the
file's hash in bench/results/reference-bounds.json; its time is reported, and counted
in no rung's time. The ladder (`python -m bench`) attaches it to every rung whose own
bound is the trivial one, the counting one or PDLP's.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.runner import RESULTS, ladder, rung_order
from scheduler.files import write_atomic

CACHE = RESULTS / "reference-bounds.json"
REFERENCE_LIMIT = 3600.0
"""Seconds the LP may take (2000 proposals: 40-110 s here)."""

logger = logging.getLogger(__name__)


def compute(path: Path) -> dict:
    """The aggregated relaxation's LP bound of one instance file."""
    from scheduler.bound import _bound
    from scheduler.candidates import candidate_table
    from scheduler.instance import instance_hash, load_instance
    from scheduler.relaxation import Relaxation

    instance = load_instance(path)
    clock = time.perf_counter()
    relaxation = Relaxation(instance, candidate_table(instance))
    built = time.perf_counter() - clock
    answer = relaxation.program.minimum(REFERENCE_LIMIT, False)
    seconds = time.perf_counter() - clock
    bound = _bound(relaxation, answer, seconds)
    return {
        "name": instance.name,
        "instance_hash": instance_hash(path),
        "value": bound.value,
        "method": bound.method,
        "build_seconds": round(built, 1),
        "seconds": round(seconds, 1),
        "columns": bound.columns,
    }


def reference_bound(
    path: Path, cache: Path = CACHE, solve: Callable[[Path], dict] | None = None
) -> dict:
    """The instance file's reference bound: from the cache when its hash matches (the
    results folder's, then the committed `CACHE`), else computed (`solve`, by default
    `compute`) and cached in `cache`. (Each folder had its own: `--results
    bench/results/clock` computed the 2000 rungs' LPs again, 1-2 minutes each, and got
    50115 where the committed cache says 50120.)"""
    from scheduler.instance import instance_hash

    known = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    digest = instance_hash(path)
    committed = (
        json.loads(CACHE.read_text(encoding="utf-8"))
        if CACHE.exists() and CACHE.resolve() != cache.resolve()
        else {}
    )
    for entries in (known, committed):
        entry = next((e for e in entries.values() if e["instance_hash"] == digest), None)
        if entry is not None:
            return entry
    logger.warning("%s: computing its reference bound (the LP, once)", path.name)
    entry = (solve or compute)(path)
    known[entry["name"]] = entry
    ordered = dict(sorted(known.items(), key=lambda item: rung_order(item[0])))
    write_atomic(cache, json.dumps(ordered, indent=2) + "\n")
    return entry


def attach(result: dict, path: Path, cache: Path = CACHE, **kwargs) -> dict:
    """Add the reference bound and the gap to it to a rung's result whose own bound is
    the trivial one, the counting one or PDLP's, stopped short of the LP's optimum (in
    place), when higher (the counting program's integer bound may beat the LP: the 600
    holdout's bench-600-easy-s11, 9570 against 9530); the result."""
    own = result.get("bound_from") or ""
    short = own in ("trivial", "counting") or "pdlp" in own
    if not short or result.get("objective") is None:
        return result
    entry = reference_bound(path, cache, **kwargs)
    if result.get("bound") is not None and entry["value"] <= result["bound"]:
        return result
    objective = result["objective"]
    result["reference_bound"] = {
        "value": entry["value"],
        "method": entry["method"],
        "seconds": entry["seconds"],
        "gap": (objective - max(0, entry["value"])) / max(1, abs(objective)),
    }
    return result


def markdown(results: list[dict]) -> str:
    """The rungs with a reference bound: the bound, its time, the schedule's gap to it."""
    rows = [r for r in results if r.get("reference_bound")]
    if not rows:
        return ""
    lines = [
        "Reference bounds (the relaxation's LP solved to the end apart from the run, "
        "`python -m bench.reference`; not in any time above):\n",
        "| rung | objective | solver's bound | reference bound | LP seconds | gap to it |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        ref = r["reference_bound"]
        lines.append(
            f"| {r['name']} | {r['objective']} | {r['bound']} ({r['bound_from']}) "
            f"| {ref['value']} ({ref['method']}) | {ref['seconds']:.0f} "
            f"| {100 * ref['gap']:.2f} % |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reference", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--only", type=int, nargs="*", help="rung sizes (e.g. 2000)")
    parser.add_argument("--rung", type=Path, nargs="*", help="instance files instead")
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    paths = [p.resolve() for p in args.rung] if args.rung else ladder(args.only)
    print("| instance | reference bound | method | build s | total s | columns |")
    print("|---|---|---|---|---|---|")
    for path in paths:
        entry = reference_bound(path, args.cache)
        print(
            f"| {entry['name']} | {entry['value']} | {entry['method']} "
            f"| {entry['build_seconds']} | {entry['seconds']} | {entry['columns']} |",
            flush=True,
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
