"""Solve each rung of the ladder in a child process and record speed and quality.

    python -m bench                       # the whole ladder, default time limits
    python -m bench --only 40 150 --time-limit 5
    python -m bench --rung instances/bench/bench-600-tight.yaml --time-limit 30
    python -m bench --holdout             # the holdout instances, to bench/results/local/holdout/
    python -m bench --publish             # into the committed bench/results/ (a ladder run to commit)
    python -m bench --smoke --results /tmp/smoke   # CI's smoke benchmark (SMOKE), ~10 s
    python -m bench --only 150 --seeds 0-7 --clock   # each rung over 8 seeds: spread.md

Each rung runs in its own process so its peak memory (ru_maxrss, which includes
OR-Tools' C++ allocations) is its own; the aggregated relaxation's child process
is recorded apart (`relaxation_peak_mib`). On Linux a child's ru_maxrss starts from
its parent's peak, so this driver stays small: reference bounds (an LP of 0.5 GiB at
2000 proposals, when not cached) are computed after every rung has run. The greedy
baseline runs first, in the same process, on the same instance. Every schedule, greedy or CP-SAT, goes
through the independent validator; a rejected one makes the run fail loudly, and so does
a committed rung (ladder or holdout, each with a planted schedule) that ends without one.
Results go to bench/results/local/<name>.json and results.md there (gitignored; the
committed bench/results/ only with --publish or --results); each rung's schedule to
solutions/<name>.json there, which `scheduler validate` checks again. With `--seeds`,
each rung runs once per seed instead, into a spread/ folder (<name>-seed<k>.json
and spread.md: the objectives' spread and how many runs meet the rung's target,
`bench.targets`).
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import math
import os
import platform
import re
import resource
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import NamedTuple

from bench.generate import HOLDOUT_DIR, INSTANCE_DIR
from bench.targets import peak_sum_mib, target_of, unmet
from scheduler.errors import SchedulerError
from scheduler.files import load_yaml, unwritable, write_atomic

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = INSTANCE_DIR
RESULTS = Path(__file__).resolve().parent / "results"
"""The committed results (`--publish` writes there)."""
LOCAL = RESULTS / "local"
"""Where a run writes without --results or --publish: a scratch folder, gitignored, so
that following the README does not change the committed results."""
RESOLVES = {"resolve": False, "resolve_during": True}
"""The re-solves of `--resolve` (each result's key, and whether it is during the event):
after a cancellation before the event, and during it (`run_resolve`)."""
SMOKE = {"bench-40-easy": 1070, "bench-40-tight": 1110, "bench-150-tight": 2390}
"""The smoke benchmark's rungs (`--smoke`, which CI runs) and the optimum each proves
stopped on work: the two smallest rungs (the direct CP-SAT model), and 150-tight, the
smallest on the block path (first fit, searches by cliques, block search), about 3 s."""
SMOKE_RESOLVES = ("bench-40-easy", "bench-40-tight")
"""The smoke rungs also re-solved after a cancellation (150-tight's re-solves would
triple its time)."""
SMOKE_TIMES = ("build_seconds", "first_solution_seconds", "best_solution_seconds", "solve_seconds")
"""The times a smoke run must record (numbers: it checks that they are there, never
their values)."""
TIME_LIMITS = {40: 10.0, 150: 10.0, 600: 30.0, 2000: 60.0}
"""Search time limit (seconds) per rung size; the model build comes on top."""
DETERMINISTIC_TIMES = {40: 5.0, 150: 6.0, 600: 40.0, 2000: 22.0}
"""Deterministic time per rung size (`SolveOptions.deterministic_time`: CP-SAT's, and
20x it in HiGHS work units for the relaxation's searches), chosen so that a rung takes
about its time limit on this 2-core machine, with some room; the wall limit becomes a
backstop at 4 x the time limit. Without --clock, runs stop on these and their objectives
do not depend on the machine's load. The 2000 rungs had 9 units, calibrated on a slower
machine, which took 21-23 s of their 60 here: 22 take 34-48 s (2000-easy 74030 ->
63565, 2000-tight 61835 -> 59050; with the rounds not in step 64980 and 59480). The 600
rungs had 23 units until 2026-12-02, when each language's rounds got a reach of their
own (smaller French rounds, a unit of work then taking less time): 23 units took 11-19 s
of their 30 and 40 take 14-23 s."""

logger = logging.getLogger(__name__)


class BenchmarkFailure(RuntimeError):
    """A rung produced a schedule the validator rejects, ended without one (`check`), a
    background search of its solve stopped on an error, or the rung gave no result at
    all."""


def rung_order(name: str) -> tuple:
    """Where a result or instance named `name` goes in tables: the ladder's rungs by
    size, easy before tight (bench-<size>-<variant>), then any other by name."""
    match = re.fullmatch(r"bench-(\d+)-(easy|tight)(-s\d+)?", name)
    if match:
        return (0, int(match.group(1)), match.group(2) != "easy", name)
    return (1, 0, False, name)


def ladder(only: list[int] | None = None, holdout: bool = False) -> list[Path]:
    """The committed rungs, smallest first (easy before tight); with `holdout`, the
    holdout instances instead (`bench.generate.HOLDOUT`)."""
    directory = HOLDOUT_DIR if holdout else INSTANCES
    paths = sorted(directory.glob("bench-*.yaml"), key=lambda p: rung_order(p.stem))
    if only:
        paths = [p for p in paths if rung_order(p.stem)[1] in only]
    return paths


def size_of(path: Path) -> int:
    """The ladder size whose limits apply: a rung's own (bench-<size>-<variant>), or for
    any other instance the smallest size holding its proposals."""
    order = rung_order(path.stem)
    if order[0] == 0:
        return order[1]
    from scheduler.instance import load_instance

    proposals = len(load_instance(path).proposals)
    return next((size for size in sorted(TIME_LIMITS) if proposals <= size), max(TIME_LIMITS))


def size_for(result: dict) -> int:
    """The ladder size whose limits and target apply to a result: as recorded (`--seeds`
    runs), a rung's own (bench-<size>-<variant>), else the smallest size holding its
    proposals (as `size_of` reads them from the instance)."""
    if result.get("size") is not None:
        return result["size"]
    order = rung_order(result["name"])
    if order[0] == 0:
        return order[1]
    proposals = result["proposals"]
    return next((size for size in sorted(TIME_LIMITS) if proposals <= size), max(TIME_LIMITS))


def target_record(result: dict) -> dict:
    """Whether a run meets the target of its size (`bench.targets.unmet`), as its JSON
    keeps it: the target's label, met or not, and why not."""
    target = target_of(size_for(result))
    missed = unmet(result, target)
    return {"label": target.label, "met": not missed, "missed": missed}


def _target_cell(result: dict) -> str:
    missed = target_record(result)["missed"]
    return "met" if not missed else "missed: " + ", ".join(missed)


def cancellation(instance, solution, after: datetime | None = None) -> str | None:
    """The proposal a re-solve benchmark cancels: the first keynote in the instance's
    order that leads a workshop with initiatives and no pinned proposal in `solution`
    (with `after`, a workshop starting then or later).
    (A pinned initiative whose keynote cancels may have no workshop left to hold it: the
    instance without that keynote can have no schedule at all, `explain` then says why,
    and the benchmark measures the repair of a schedule, not a coordinator's pin.)"""
    led = {
        p
        for w in solution.workshops
        if (after is None or w.start >= after)
        and any(not instance.proposal_by_id[q].is_keynote for q in w.proposals)
        and all(instance.proposal_by_id[q].pin is None for q in w.proposals)
        for p in w.proposals
    }
    return next((p.id for p in instance.proposals if p.is_keynote and p.id in led), None)


def without(data: dict, proposal_id: str) -> dict:
    """An instance document without one proposal, nor its place in `together` and `apart`
    groups (a group left with one member goes)."""
    data["proposals"] = [p for p in data["proposals"] if p["id"] != proposal_id]
    for kind, groups in data.get("constraints", {}).items():
        kept = [[p for p in g["proposals"] if p != proposal_id] for g in groups]
        data["constraints"][kind] = [{"proposals": g} for g in kept if len(g) >= 2]
    return data


def run_resolve(
    document: dict,
    source: Path,
    instance,
    published,
    options,
    during: bool = False,
    begun: bool = False,
) -> dict | None:
    """A re-solve after a cancellation: the first keynote of a workshop with initiatives
    (`cancellation`) leaves the instance (`document`, read from `source`), which is
    solved again against `published` with the same options; validated with `moved`
    counted, the validator's objective that of the schedule. With `during`, a re-solve
    during the event (`scheduler solve --reference --keep-before`): at the start of the
    middle one of the published workshops' starts, a keynote of a workshop from then on
    cancels; the validator locks the begun workshops' slots, and apart from it, a begun
    workshop not exactly as published (members, order, times, theme, language) is a
    violation too. With `begun` too, the initiative that cancels is the first of a begun
    workshop instead (a speaker who did not come): that workshop must keep its slot,
    theme and other members in their order (its timeline is recomputed)."""
    from scheduler.candidates import candidate_table
    from scheduler.instance import parse_instance
    from scheduler.keep import keep_before
    from scheduler.solve import solve
    from scheduler.validate import check_claims, validate

    moment = None
    if during:
        starts = sorted({w.start for w in published.workshops})
        moment = starts[len(starts) // 2]
    if begun and moment is not None:
        cancelled = _begun_initiative(instance, published, moment)
    else:
        cancelled = cancellation(instance, published, after=moment)
    if cancelled is None:
        return None
    smaller = parse_instance(without(copy.deepcopy(document), cancelled), source)
    kept = None if moment is None else keep_before(smaller, published, source, moment)
    clock = time.perf_counter()
    again = solve(smaller, "sha256:re-solve", options, reference=published)
    seconds = time.perf_counter() - clock
    report = validate(smaller, again, published)
    report.violations += check_claims(again, report, published)  # penalties, bound, status
    # (without a schedule there is no objective of its own to compare)
    claimed = again.objective if again.has_schedule else report.objective
    violations = rejections(report, claimed)[:20]
    if moment is not None and again.has_schedule:
        violations += _begun_changed(published, again, moment, cancelled)
    candidates = candidate_table(smaller)
    weight = smaller.rules.weights.moved
    return {
        "cancelled": cancelled,
        "begun": begun and moment is not None,
        "kept_before": None if moment is None else moment.isoformat(),
        "kept": None if kept is None else len(kept.workshops),
        "published_objective": published.objective,
        "status": again.status.value,
        "objective": again.objective,
        "bound": again.bound,
        "moved": report.costs.get("moved", 0) // weight if weight else None,
        "placed": sum(len(w.proposals) for w in again.workshops),
        "placeable": sum(1 for p in smaller.proposals if candidates.slots[p.id]),
        "valid": not violations if again.has_schedule else None,
        "violations": violations,
        "seconds": round(seconds, 3),
    }


def rejections(report, objective: int | None) -> list[str]:
    """What the validator's `report` holds against a schedule of `objective`: each broken
    rule, and an objective that is not its own."""
    problems = [f"{v.rule}: {v.message}" for v in report.violations]
    if report.ok and report.objective != objective:
        problems.append(f"objective {objective}, the validator's {report.objective}")
    return problems


def _begun_initiative(instance, published, moment: datetime) -> str | None:
    """The first initiative of a workshop begun before `moment` that keeps the initiatives
    every workshop needs without it (else no schedule keeps that workshop, as `solve`
    says at once)."""
    least = instance.rules.initiatives_per_workshop.min
    for workshop in published.workshops:
        initiatives = [p for p in workshop.proposals if not instance.proposal_by_id[p].is_keynote]
        if workshop.start < moment and len(initiatives) > least:
            return initiatives[0]
    return None


def _begun_changed(published, again, moment: datetime, cancelled: str) -> list[str]:
    """The workshops begun before `moment` that `again` does not give as published: the
    same members in the same order, times, theme and language; the one `cancelled` left
    keeps its slot, theme and the others in their order (its times recomputed)."""
    now = {w.slot: w for w in again.workshops}
    changed = []
    for workshop in published.workshops:
        if workshop.start >= moment:
            continue
        there = now.get(workshop.slot)
        if cancelled in workshop.proposals:
            left = [p for p in workshop.proposals if p != cancelled]
            # (its items begun before the moment: the validator's slot-lock, given it;
            # its one member gone, the slot is closed and left empty: `keep_before`)
            same = (
                there is None
                if not left
                else there is not None and (there.theme, there.proposals) == (workshop.theme, left)
            )
        else:
            same = there is not None and (there.theme, there.language, there.items) == (
                workshop.theme,
                workshop.language,
                workshop.items,
            )
        if not same:
            changed.append(f"{workshop.slot} had begun, but is not as published")
    return changed


def git_state() -> tuple[str | None, bool | None]:
    """The checkout's commit, and whether its tracked files differ from it (results
    folders under bench/results/ aside: a run writes there); (None, None) outside a git
    checkout of this repository, or without git."""

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    top = git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != ROOT:  # (a copy inside another repository)
        return None, None
    commit = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results")
    return commit, None if status is None else bool(status)


def versions() -> dict[str, str | None]:
    """The versions a run's numbers depend on: Python, the solvers, this package."""
    from importlib.metadata import PackageNotFoundError, version

    def of(package: str) -> str | None:
        try:
            return version(package)
        except PackageNotFoundError:
            return None

    return {
        "python": platform.python_version(),
        "ortools": of("ortools"),
        "highspy": of("highspy"),
        "commons-scheduler": of("commons-scheduler"),
    }


def _cpu_model() -> str | None:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or None
    found = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else platform.processor() or None


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # (not on every system)
        return None


PROC_STAT = Path("/proc/stat")
"""Where Linux counts each CPU's busy and idle time since boot (`busy_cpu_seconds`)."""
OTHER_CPU_STRETCHED = 0.25
"""Other processes using more than this many CPUs on average during a rung
(`other_cpu`) stretch its times, its table's header says: a quarter of a core, on this
2-core machine an eighth of it, taken from a solver of 2 workers and a relaxation child.
(The 1-minute load average, the rule before, counts the rung's own processes: above 2
on most bigger rungs of an idle 2-core machine.)"""


def busy_cpu_seconds(stat: str, cpus: set[int] | None = None) -> float | None:
    """Seconds the CPUs were busy since boot, from the text of /proc/stat: user, nice,
    system, irq, softirq and steal time (not idle or iowait; guest time is in user's),
    on the CPUs in `cpus` (those this process may use) where each has its line, else on
    all of them. None if the text has no CPU line."""
    lines = {}
    for line in stat.splitlines():
        if line.startswith("cpu"):
            name, *fields = line.split()
            lines[name] = [int(x) for x in fields]
    chosen = [f"cpu{n}" for n in sorted(cpus or ())]
    rows = [lines[n] for n in chosen] if chosen and all(n in lines for n in chosen) else None
    if rows is None:
        rows = [lines["cpu"]] if "cpu" in lines else None
    if not rows:
        return None
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    # user, nice, system, (idle, iowait,) irq, softirq, steal
    busy = sum(sum(row[:3]) + sum(row[5:8]) for row in rows)
    return busy / ticks


class CpuSample(NamedTuple):
    """The clock and the CPU times at one moment (`cpu_sample`)."""

    wall: float
    busy: float | None
    """The CPUs' busy seconds since boot (`busy_cpu_seconds`), None where not known."""
    own: float
    """This process's CPU seconds and its ended children's."""


def cpu_sample(stat: Path = PROC_STAT) -> CpuSample:
    """The wall clock, the CPUs' busy seconds (`busy_cpu_seconds`; None without a
    readable /proc/stat: not Linux), and this process's CPU seconds with its children's
    (user and system; a child's once it has ended and been waited for)."""
    try:
        usable = os.sched_getaffinity(0)
    except AttributeError:
        usable = None
    try:
        busy = busy_cpu_seconds(stat.read_text(encoding="ascii", errors="replace"), usable)
    except (OSError, ValueError):
        busy = None
    own = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        own += usage.ru_utime + usage.ru_stime
    return CpuSample(time.perf_counter(), busy, own)


def cpu_use(start: CpuSample, end: CpuSample) -> dict:
    """What a rung's JSON keeps of the CPUs between two `cpu_sample`s: `cpu_seconds`, the
    rung's own processes' CPU time, and `other_cpu`, the CPUs other processes kept busy
    on average over the wall time (the busy time less the rung's own, per second: 1.0 a
    whole core; None where /proc/stat is not there)."""
    own, wall = end.own - start.own, end.wall - start.wall
    other = None
    if start.busy is not None and end.busy is not None and wall > 0:
        # (/proc/stat counts in ticks of 10 ms: a tick's rounding must not make it < 0)
        other = round(max(0.0, (end.busy - start.busy - own) / wall), 2)
    return {"cpu_seconds": round(own, 3), "other_cpu": other}


def run_context() -> dict:
    """When and on what a rung ran, at its start (measurement context: the solution does
    not depend on it): the date (UTC), the commit (and whether the checkout differed from
    it), the versions, the machine's CPUs and the process's nice value. `run_rung` adds
    the load average at its end (`load_average_end`)."""
    commit, dirty = git_state()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": commit,
        "git_dirty": dirty,
        "versions": versions(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": _cpu_model(),
        "nice": os.nice(0),
        "load_average_start": _load(),
    }


def run_rung(
    path: Path,
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: float | None = None,
    resolve: bool = False,
    solutions: Path | None = None,
) -> dict:
    """Greedy, then CP-SAT, on one instance, in this process; both validated. With
    `resolve`, also a re-solve after a cancellation (`run_resolve`); with `solutions`, a
    folder, CP-SAT's schedule is written there as <name>.json (as `scheduler solve`
    writes it: `scheduler validate` checks it again)."""
    # the solver's modules load before any clock starts (`solve` imports OR-Tools only
    # once the relaxation's process runs): the table times solving, not imports
    import scheduler.decompose  # noqa: F401
    from scheduler.candidates import candidate_table
    from scheduler.greedy import greedy_solution
    from scheduler.instance import instance_hash, load_instance
    from scheduler.solve import SolveOptions, SolveStats, solve, trivial_bound
    from scheduler.validate import check_claims, validate

    context = run_context()
    cpu_start = cpu_sample()
    clock = time.perf_counter()
    instance = load_instance(path)
    digest = instance_hash(path)
    load_seconds = time.perf_counter() - clock
    candidates = candidate_table(instance)
    placeable = sum(1 for p in instance.proposals if candidates.slots[p.id])

    clock = time.perf_counter()
    baseline = greedy_solution(instance, digest)
    greedy_seconds = time.perf_counter() - clock
    greedy_report = validate(instance, baseline)
    greedy_report.violations += check_claims(baseline, greedy_report)

    stats = SolveStats()
    options = SolveOptions(
        time_limit=time_limit if deterministic is None else 4 * time_limit,
        seed=seed,
        workers=workers,
        deterministic_time=deterministic,
    )
    clock = time.perf_counter()
    solution = solve(instance, digest, options, stats=stats)
    solve_seconds = time.perf_counter() - clock
    report = validate(instance, solution)
    report.violations += check_claims(solution, report)  # its penalties, bound and status
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    # the relaxation's child process (its pages shared with this one until written)
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    resolved = {}
    if resolve and solution.has_schedule:
        document = load_yaml(path.read_text(encoding="utf-8"))
        for key, during in RESOLVES.items():
            again = run_resolve(document, path, instance, solution, options, during)
            if again is not None:
                again["peak_mib"] = round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                )
                resolved[key] = again

    def placed(s) -> int:
        return sum(len(w.proposals) for w in s.workshops)

    written = None
    if solutions is not None and solution.has_schedule:
        written = solution.write(solutions / f"{instance.name}.json")
    cpu = cpu_use(cpu_start, cpu_sample())
    relaxation = stats.relaxation
    gap = None
    if solution.objective is not None and solution.bound is not None:
        # every penalty is non-negative, so 0 is always a bound
        gap = (solution.objective - max(0, solution.bound)) / max(1, abs(solution.objective))
    return {
        "name": instance.name,
        "instance": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
        "instance_hash": digest,
        "proposals": len(instance.proposals),
        "placeable": placeable,
        "slots": len(instance.slots),
        "speakers": len(instance.speakers),
        "candidate_pairs": stats.candidate_pairs,
        "variables": stats.variables,
        "constraints": stats.constraints,
        "time_limit": time_limit,
        "deterministic_time": deterministic,
        "seed": seed,
        "workers": workers,
        "status": solution.status.value,
        "stopped_by": stopped_by(solution.status.value, deterministic, stats.backstop),
        "objective": solution.objective,
        "bound": solution.bound,
        "bound_from": _bound_from(solution, stats, trivial_bound(instance, candidates)),
        "relaxation": None if relaxation is None else _relaxation_record(relaxation),
        "gap": gap,
        "placed": placed(solution),
        "valid": report.ok if solution.has_schedule else None,
        "violations": [f"{v.rule}: {v.message}" for v in report.violations[:20]],
        # (beside the JSON: <results>/solutions/<name>.json)
        "solution_file": None if written is None else f"{solutions.name}/{written.name}",
        "errors": stats.errors,
        "costs": report.costs,
        "load_seconds": round(load_seconds, 3),
        "build_seconds": stats.build_seconds,
        "first_solution_seconds": stats.first_solution_seconds,
        "best_solution_seconds": stats.best_solution_seconds,
        "solve_seconds": round(solve_seconds, 3),
        "solutions": stats.solutions,
        "peak_mib": round(peak, 1),
        "relaxation_peak_mib": round(child_peak, 1) if child_peak else None,
        **resolved,
        "greedy": {
            "objective": baseline.objective,
            "placed": placed(baseline),
            "valid": greedy_report.ok if baseline.has_schedule else None,
            "violations": [f"{v.rule}: {v.message}" for v in greedy_report.violations[:20]],
            "seconds": round(greedy_seconds, 3),
            "costs": greedy_report.costs,
        },
        **context,
        "load_average_end": _load(),
        **cpu,
    }


def stopped_by(status: str, deterministic: float | None, backstop: bool) -> str:
    """What ended a run: "proof" (optimal or infeasible, proven), "work" (its
    deterministic time: the same answer on any machine), or "clock" (its time limit, or
    stopped on work, a clock's backstop reached first, as the solve says it:
    `SolveStats.backstop`; until 2026-12-06 this was guessed from the run's seconds
    against its time limit, and the direct path did not say it)."""
    if status in ("optimal", "infeasible"):
        return "proof"
    return "work" if deterministic is not None and not backstop else "clock"


def _bound_from(solution, stats, trivial: int) -> str | None:
    """Which bound the rung's gap is measured against (None: the run has no bound, and
    none of the bounds it knows of may be said to be it)."""
    if solution.bound is None:
        return None
    relaxation = stats.relaxation
    if (
        relaxation is not None
        and relaxation.method != "none"
        and solution.bound == relaxation.value
    ):
        return f"relaxation ({relaxation.method}{', exact' if relaxation.exact else ''})"
    if solution.status.value == "optimal":
        return "search (proof)"
    if solution.bound == trivial:
        return "trivial"
    if solution.bound == stats.counting:
        return "counting"
    return "search"


def _relaxation_record(relaxation) -> dict:
    """The relaxation's answer as the rung's JSON keeps it: `seconds` from its child's
    start to this answer, `build_seconds` of them building the program (None where not
    measured), `solve_seconds` the rest (waiting for the start schedule included)."""
    build = relaxation.build_seconds
    return {
        "value": relaxation.value,
        "method": relaxation.method,
        "exact": relaxation.exact,
        "seconds": relaxation.seconds,
        "build_seconds": build,
        "solve_seconds": None if build is None else round(relaxation.seconds - build, 3),
        "slot_classes": relaxation.slot_classes,
        "proposal_classes": relaxation.proposal_classes,
        "columns": relaxation.columns,
        "search_by_cliques": relaxation.by_cliques,
    }


def run_in_child(
    path: Path,
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: float | None = None,
    resolve: bool = False,
    solutions: Path | None = None,
) -> dict:
    """`run_rung` in a fresh Python process (own peak memory), its result read back."""
    command = [
        sys.executable,
        "-m",
        "bench.runner",
        "--child",
        str(path),
        "--time-limit",
        str(time_limit),
        "--seed",
        str(seed),
        "--workers",
        str(workers),
    ]
    if deterministic is not None:
        command += ["--deterministic-time", str(deterministic)]
    if resolve:
        command.append("--resolve")
    if solutions is not None:
        command += ["--solutions", str(solutions)]
    timeout = time_limit * (6 if resolve else 3) + 300
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:  # (a traceback, not BENCHMARK FAILED)
        said = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else ""
        raise BenchmarkFailure(
            f"{path.name}: the rung's process did not end within {timeout:g} s\n{said[-4000:]}"
        ) from None
    if done.returncode != 0:
        raise BenchmarkFailure(
            f"{path.name}: the rung's process failed ({ended(done.returncode)})\n"
            f"{done.stderr[-4000:]}"
        )
    lines = done.stdout.strip().splitlines()
    try:
        return json.loads(lines[-1])
    except (IndexError, ValueError):  # (an IndexError when it printed nothing)
        raise BenchmarkFailure(
            f"{path.name}: the rung's process ended without a result\n{done.stderr[-4000:]}"
        ) from None


def ended(code: int) -> str:
    """How a process ended, from its exit code (negative: the signal that killed it, as
    `subprocess` and `multiprocessing` give it), e.g. "killed by SIGABRT", "exit code 1"."""
    if code >= 0:
        return f"exit code {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:  # (a real-time signal)
        return f"killed by signal {-code}"


def planted(path: Path) -> bool:
    """Whether `path` is one of the committed rungs (the ladder's or a holdout): the
    generator plants a schedule in each, so a run that ends without one has failed."""
    return path.resolve().parent in (INSTANCES.resolve(), HOLDOUT_DIR.resolve())


def check(result: dict, has_schedule: bool = True) -> list[str]:
    """Problems that must fail the benchmark: rejected schedules, a rung that ends
    without one (on a rung that `has_schedule`, as the committed ones do by
    construction, whatever its status; on another instance, only without a verdict: a
    proven "infeasible" is an answer there, `warnings` says it), and background
    searches stopped by an error (the schedule is valid, but not what the solver can
    do)."""
    problems = [
        f"{result['name']}: a background search stopped on an error: {error}"
        for error in result.get("errors", [])
    ]
    if result["valid"] is False:
        problems.append(f"{result['name']}: CP-SAT schedule rejected: {result['violations']}")
    elif result["valid"] is None and (has_schedule or result["status"] != "infeasible"):
        problems.append(
            f"{result['name']}: no schedule ({result['status']})"
            + (", on a rung whose generator planted one" if has_schedule else "")
        )
    if result["greedy"]["valid"] is False:
        problems.append(
            f"{result['name']}: greedy schedule rejected: {result['greedy']['violations']}"
        )
    for key, during in RESOLVES.items():
        resolved = result.get(key)
        if resolved is not None and resolved["valid"] is not True:
            problems.append(
                f"{result['name']}: re-solve{' during the event' if during else ''} "
                f"without {resolved['cancelled']} "
                + (
                    f"rejected: {resolved['violations']}"
                    if resolved["valid"] is False
                    else f"found no schedule ({resolved['status']})"
                )
            )
    return problems


def smoke_problems(result: dict) -> list[str]:
    """What fails a smoke run (`--smoke`) besides `check`: a rung not proven at its
    optimum (`SMOKE`), a time not recorded, a placeable proposal left out."""
    name = result["name"]
    problems = []
    if (result["status"], result["objective"]) != ("optimal", SMOKE.get(name)):
        problems.append(
            f"{name}: smoke: {result['status']} {_num(result['objective'])}, "
            f"expected optimal {SMOKE.get(name)}"
        )
    for key in SMOKE_TIMES:
        value = result.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            problems.append(f"{name}: smoke: {key} not recorded ({value!r})")
    if result["placed"] != result["placeable"]:
        problems.append(f"{name}: smoke: placed {result['placed']}/{result['placeable']}")
    return problems


def warnings(result: dict) -> list[str]:
    """What a run's line must say loudly without failing the benchmark: an instance of
    the user's (`--rung`) proven to have no schedule."""
    if result["valid"] is None and result["status"] == "infeasible":
        return [f"{result['name']}: no schedule: proven infeasible (an instance of yours?)"]
    return []


def _mark(result: dict) -> str:
    """What a row says of the problems that failed its run (`check`, kept in its JSON as
    `problems`): " REJECTED" where a schedule was rejected (CP-SAT's, greedy's or a
    re-solve's), else " FAILED" (no schedule, a background search's error); "" for none."""
    problems = result.get("problems") or []
    if not problems:
        return ""
    return " REJECTED" if any(" rejected: " in problem for problem in problems) else " FAILED"


def _failures(results: list[dict]) -> str:
    """The problems of the table's failed rows, below it ("" when none failed)."""
    failed = [(r["name"], problem) for r in results for problem in r.get("problems") or []]
    if not failed:
        return ""
    return (
        "\nFailed (the run that wrote these rows exited 1, BENCHMARK FAILED; each row's "
        "JSON keeps its `problems`):\n\n" + "".join(f"- {problem}\n" for _, problem in failed)
    )


def _num(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def markdown(results: list[dict]) -> str:
    """The results table (one row per rung) with the greedy baseline beside CP-SAT."""
    head = (
        "| rung | proposals × slots | candidate pairs | status | objective | bound | bound from | gap "
        "| placed | first schedule s | best s | build s (solver / relaxation) | total s "
        "| peak MiB (solver + relaxation) "
        "| greedy objective | greedy placed | greedy s | target |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for r in results:
        gap = "–" if r["gap"] is None else f"{100 * r['gap']:.2f} %"
        greedy = r["greedy"]
        status = r["status"] + (" (clock)" if _backstopped(r) else "") + _mark(r)
        total = r["build_seconds"] + max(0.0, r["solve_seconds"] - r["build_seconds"])
        rows.append(
            f"| {r['name']} | {r['proposals']} × {r['slots']} | {r['candidate_pairs']} "
            f"| {status} | {_num(r['objective'])} | {_num(r['bound'])} "
            f"| {r.get('bound_from') or '–'} | {gap} "
            f"| {r['placed']}/{r['placeable']} ({r['proposals']}) "
            f"| {_num(r['first_solution_seconds'], 2)} | {_num(r['best_solution_seconds'], 2)} "
            f"| {_builds(r)} | {_num(total, 1)} | {_num(peak_sum_mib(r), 0)} "
            f"| {_num(greedy['objective'])} | {greedy['placed']}/{r['placeable']} "
            f"| {_num(greedy['seconds'], 2)} | {_target_cell(r)} |"
        )
    return head + "\n".join(rows) + "\n" + _failures(results)


def _builds(r: dict) -> str:
    """A row's builds: the solver's (`build_seconds`) / the relaxation's program's, in its
    child (`relaxation.build_seconds`; "–" where not recorded: rows run before it was,
    or no relaxation)."""
    relaxation = (r.get("relaxation") or {}).get("build_seconds")
    return f"{_num(r['build_seconds'], 2)} / {_num(relaxation, 2)}"


def _limits(size: int, time_limit: float | None, deterministic: bool) -> tuple[float, float | None]:
    """A rung's wall-clock limit (`time_limit` if given, else by size) and its
    deterministic time (None by the clock)."""
    limit = time_limit if time_limit is not None else TIME_LIMITS.get(size, 60.0)
    return limit, DETERMINISTIC_TIMES.get(size, 20.0) if deterministic else None


def run_ladder(
    paths: list[Path],
    time_limit: float | None,
    seed: int,
    workers: int,
    results_dir: Path = RESULTS,
    in_child: bool = True,
    deterministic: bool = True,
    resolve: bool = False,
    smoke: bool = False,
) -> list[dict]:
    """Run each rung, write its JSON and the Markdown table; raise if a schedule is rejected.
    With `resolve`, each rung is also re-solved after a cancellation (resolve.md); with
    `smoke`, each is checked as the smoke benchmark's (`smoke_problems`)."""
    from bench import reference

    results_dir.mkdir(parents=True, exist_ok=True)
    solutions = results_dir / "solutions"  # each rung's schedule, for `scheduler validate`
    solutions.mkdir(exist_ok=True)
    results, problems = [], []
    runner = run_in_child if in_child else run_rung
    for path in paths:
        limit, dtime = _limits(size_of(path), time_limit, deterministic)
        logger.info("%s: solving with a %.0f s limit", path.name, limit)
        again = resolve and (not smoke or path.stem in SMOKE_RESOLVES)
        result = runner(path, limit, seed, workers, dtime, again, solutions)
        # (kept in the JSON: the table marks the row, and a table written again from
        # the folder still does)
        result["problems"] = check(result, planted(path))
        if smoke:
            result["problems"] += smoke_problems(result)
        result["target"] = target_record(result)
        _write(results_dir, result)
        results.append(result)
        problems += result["problems"]
        print(_line(result), file=sys.stderr, flush=True)
        for warning in [] if planted(path) else warnings(result):
            print(f"WARNING: {warning}", file=sys.stderr, flush=True)
    # A rung whose own bound is the trivial one is measured against the LP's too, once
    # every rung has run: on Linux a child's peak memory (ru_maxrss) starts from its
    # parent's, and an LP computed here (2000 proposals: 0.5 GiB) would count in every
    # later rung's peak
    for path, result in zip(paths, results, strict=True):
        reference.attach(result, path, results_dir / reference.CACHE.name)
        if "reference_bound" in result:
            _write(results_dir, result)
    rows = rung_results(results_dir)
    if resolve:  # every re-solve in the folder, as results.md has every rung
        write_atomic(results_dir / "resolve.md", resolve_markdown(rows))
    write_atomic(results_dir / "results.md", results_markdown(rows))
    if problems:
        raise BenchmarkFailure("\n".join(problems))
    return results


def results_markdown(rows: list[dict]) -> str:
    """A results folder's results.md, from its rows (`rung_results`): what the rows were
    run with, their table, and the reference bounds of the rungs that have one."""
    from bench import reference

    references = reference.markdown(rows)
    return _table_header(rows) + markdown(rows) + ("\n" + references if references else "")


def resolve_markdown(results: list[dict]) -> str:
    """The re-solves: each rung's published schedule, the keynote cancelled (before the
    event, then during it), and the schedule found against it."""
    lines = [
        "Re-solve after a cancellation: the first keynote (in the instance's order) that "
        "leads a workshop with initiatives and no pinned proposal leaves the instance, "
        "which is solved again "
        "against the rung's schedule (`--reference`), with the same limits; `moved` "
        "counts 50 per proposal that changes slot. During the event (`--keep-before` the "
        'start of the middle one of the schedule\'s workshop starts; "kept" says how '
        "many workshops had begun), the keynote is the first of a workshop from then on, "
        "and the begun workshops must come back exactly as published.\n",
        "| rung | kept | cancelled | published | re-solved | status | moved | placed "
        "| seconds | peak MiB | valid |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for key in RESOLVES:
            x = r.get(key)
            if x is None:
                continue
            kept = "—"
            if x.get("kept_before") is not None:
                moment = datetime.fromisoformat(x["kept_before"])
                kept = f"{x['kept']} before {moment:%a %H:%M}"
            lines.append(
                f"| {r['name']} | {kept} | {x['cancelled']} | "
                f"{_num(x['published_objective'])} | {_num(x['objective'])} | "
                f"{x['status']} | {_num(x['moved'])} | {x['placed']}/{x['placeable']} | "
                f"{x['seconds']:.1f} | {x['peak_mib']:.0f} | {'yes' if x['valid'] else 'NO'} |"
            )
    return "\n".join(lines) + "\n"


def run_seeds(
    paths: list[Path],
    seeds: list[int],
    time_limit: float | None,
    workers: int,
    results_dir: Path,
    deterministic: bool = True,
    in_child: bool = True,
) -> list[dict]:
    """Run each rung once per seed (rung by rung), write each run's JSON
    (<name>-seed<k>.json) and the spread table; raise if a schedule is rejected."""
    results_dir.mkdir(parents=True, exist_ok=True)
    results, problems = [], []
    runner = run_in_child if in_child else run_rung
    for path in paths:
        size = size_of(path)
        limit, dtime = _limits(size, time_limit, deterministic)
        for seed in seeds:
            logger.info("%s, seed %d: solving with a %.0f s limit", path.name, seed, limit)
            result = runner(path, limit, seed, workers, dtime)
            result["size"] = size  # whose target applies
            result["problems"] = check(result, planted(path))
            result["target"] = target_record(result)
            write_atomic(
                results_dir / f"{result['name']}-seed{seed}.json",
                json.dumps(result, indent=2) + "\n",
            )
            results.append(result)
            problems += result["problems"]
            print(f"seed {seed}: {_line(result)}", file=sys.stderr, flush=True)
            for warning in [] if planted(path) else warnings(result):
                print(f"WARNING: {warning}", file=sys.stderr, flush=True)
    write_atomic(results_dir / "spread.md", spread_markdown(spread_results(results_dir)))
    if problems:
        raise BenchmarkFailure("\n".join(problems))
    return results


def spread_results(results_dir: Path) -> list[dict]:
    """Every run of the seeds in the directory (<name>-seed<k>.json), in the ladder's
    order, then by seed."""
    rows = [r for r in _read_results(results_dir, "*-seed*.json") if {"name", "seed"} <= r.keys()]
    return sorted(rows, key=lambda r: (rung_order(r["name"]), r["seed"]))


def spread_markdown(results: list[dict]) -> str:
    """One row per rung: its runs' objectives (by seed), gaps and times, and how many
    of its runs meet its target, with the reasons of those that do not."""
    by_name: dict[str, list[dict]] = {}
    for result in results:
        by_name.setdefault(result["name"], []).append(result)
    head = (
        "| rung | runs | objectives by seed | gap min – max | placed (worst) "
        "| total s max | first schedule s max | peak MiB max (solver + relaxation) | target "
        "| met | missed by |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = []
    for name, runs in by_name.items():
        target = target_of(runs[0]["size"])
        reasons = {r["seed"]: unmet(r, target) for r in runs}
        gaps = [r["gap"] for r in runs if r["gap"] is not None]
        gap = "–" if not gaps else f"{100 * min(gaps):.2f} – {100 * max(gaps):.2f} %"
        worst = min(runs, key=lambda r: r["placed"] - r["placeable"])
        firsts = [r["first_solution_seconds"] for r in runs if r["first_solution_seconds"]]
        peaks = [peak_sum_mib(r) for r in runs]
        missed = "; ".join(f"seed {seed}: {', '.join(why)}" for seed, why in reasons.items() if why)
        rows.append(
            f"| {name} | {len(runs)} "
            f"| {' / '.join(_num(r['objective']) for r in runs)} "
            f"| {gap} | {worst['placed']}/{worst['placeable']} "
            f"| {max(r['solve_seconds'] for r in runs):.1f} "
            f"| {_num(max(firsts) if firsts else None, 2)} | {max(peaks):.0f} "
            f"| {target.label} | {sum(1 for why in reasons.values() if not why)}/{len(runs)} "
            f"| {missed or '–'} |"
        )
    modes = {r["deterministic_time"] is None for r in results}
    how = {
        frozenset(): "no runs yet",
        frozenset({True}): "by the clock",
        frozenset({False}): "stopped on deterministic work",
    }.get(frozenset(modes), "some by the clock, some on work")
    sizes = sorted({r["size"] for r in results})
    targets = "".join(f"- {size} proposals: {target_of(size).text}\n" for size in sizes)
    return (
        f"{_provenance(results)}Each rung over several seeds, {how}; times in seconds from the start of "
        "`solve` (model build included).\n\n"
        + head
        + "\n".join(rows)
        + "\n"
        + (
            f"\nTargets (a run meets its rung's when it holds all of it):\n\n{targets}"
            if targets
            else ""
        )
    )


def _write(results_dir: Path, result: dict) -> None:
    write_atomic(results_dir / f"{result['name']}.json", json.dumps(result, indent=2) + "\n")


def rung_results(results_dir: Path) -> list[dict]:
    """Every rung's latest result in the directory (not the peers' list), the ladder's
    in its order, then any other instance's by name."""
    rows = _read_results(results_dir, "*.json")
    rungs = [r for r in rows if {"candidate_pairs", "name"} <= r.keys()]
    return sorted(rungs, key=lambda r: rung_order(r["name"]))


def _read_results(results_dir: Path, pattern: str) -> list[dict]:
    """The JSON objects of the files matching `pattern` in the directory; a file that is
    not one (a broken copy, an editor's backup) is left out with a warning naming it,
    not a traceback at the end of the whole run."""
    rows = []
    for path in sorted(results_dir.glob(pattern)):
        try:
            row = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            print(f"warning: {path}: not read ({reason}); left out of the table", file=sys.stderr)
            continue
        if isinstance(row, dict):
            rows.append(row)
    return rows


def _table_header(rows: list[dict]) -> str:
    """What the rows were run with, read from the rows: the folder's table holds every
    rung's last run, and the header once said the last command's seed and mode of rows
    it had not run (`--only 40 --clock --seed 3` above seed-0 rows stopped on work)."""
    seeds = sorted({r["seed"] for r in rows})
    workers = sorted({r["workers"] for r in rows})
    on_work = {r["deterministic_time"] is not None for r in rows}
    # (the sizes of the rows only: every size's were listed above a run of the 40 rungs)
    sizes = sorted({size_for(r) for r in rows if "name" in r} & set(TIME_LIMITS))
    limits = "search time limits by size (" + ", ".join(
        f"{size}: {TIME_LIMITS[size]:.0f} s" for size in sizes
    )
    if on_work == {True}:
        limits = "stopped on deterministic work (deterministic times by size: " + ", ".join(
            f"{size}: {DETERMINISTIC_TIMES[size]:g}" for size in sizes
        )
    elif on_work == {True, False}:
        limits = "some rows by the clock, some stopped on work (each rung's JSON says which"
    if any(not _default_limits(r) for r in rows):  # (`--time-limit`, a rung of its own)
        limits = limits.split(" (")[0] + " (limits as each rung's JSON records them"
    said = (
        f"Seed {seeds[0]}, "
        if len(seeds) == 1
        else f"Seeds {', '.join(map(str, seeds))} "
        "(rows of several runs; each rung's JSON gives its own), "
    )
    said += (
        f"{workers[0]} workers" if len(workers) == 1 else "workers " + ", ".join(map(str, workers))
    )
    clock = (
        ' "(clock)": stopped on work, the clock\'s backstop came first (another run may '
        "end otherwise)."
        if any(_backstopped(r) for r in rows)
        else ""
    )
    return (
        f"{_provenance(rows)}{said}; {limits}); times in seconds from the start of `solve` (model build "
        "included). build s: the solver's / the relaxation's. The solver's: the direct CP-SAT "
        "model's build up to 1,500 candidate pairs, above that the candidate table's and first "
        "fit's. The relaxation's: its aggregated program's, built in its child beside the "
        "solver, its solve not included (– in rows run before it was recorded). placed: the "
        "schedule's placed / placeable (all proposals). "
        "peak MiB: "
        "the solving process's peak plus its relaxation child's, which runs beside it (the "
        "conservative figure). target: "
        "the issue's target for the rung's size (`bench/targets.py`), checked on the row's "
        f"own run and times.{clock}\n\n"
    )


def _provenance(rows: list[dict]) -> str:
    """When, at which commit, with which solvers and under which load the rows ran, read
    from their JSON (`run_context`): a folder's table holds each rung's last run, which
    may be another day's and another commit's than the others'."""
    dated = sorted((r for r in rows if r.get("date")), key=lambda r: r["date"])
    if not dated:
        return (
            "Dates and commits not recorded (rows run before they were: `git log` of each "
            "JSON dates it). "
        )
    days = [r["date"][:10] for r in dated]
    when = days[0] if days[0] == days[-1] else f"{days[0]} to {days[-1]}"
    commits = list(
        dict.fromkeys(
            "not in git"
            if r.get("git_commit") is None
            else r["git_commit"][:7] + ("-dirty" if r.get("git_dirty") else "")
            for r in dated
        )
    )
    text = f"Run {when} (UTC) at commit{'s' if len(commits) > 1 else ''} {', '.join(commits)}"
    if len(dated) < len(rows):
        text += f" ({len(rows) - len(dated)} rows from before dates and commits were recorded)"
    solvers = {
        (v.get("ortools"), v.get("highspy"), v.get("python"))
        for v in (r.get("versions") or {} for r in dated)
    }
    if len(solvers) == 1:
        ortools, highs, python = solvers.pop()
        text += f"; OR-Tools {ortools}, HiGHS {highs}, Python {python}"
    else:
        text += "; solver versions differ from row to row (each JSON's `versions`)"
    loads = [
        (r, max(x[0] for x in (r.get("load_average_start"), r.get("load_average_end")) if x))
        for r in dated
        if r.get("load_average_start") or r.get("load_average_end")
    ]
    if loads:
        cpus = sorted({r.get("cpus_usable") for r, _ in loads} - {None})
        text += (
            f"; load average (1 min) up to {max(load for _, load in loads):.1f} "
            f"on {'/'.join(map(str, cpus)) or '?'} CPUs"
        )
        # (rows run before `other_cpu` was recorded only: the load counts the rung's own)
        loaded = [
            r["name"]
            for r, load in loads
            if "other_cpu" not in r and r.get("cpus_usable") and load > r["cpus_usable"]
        ]
        if loaded:
            text += f" (above the CPUs, times stretched: {', '.join(loaded)})"
    measured = [r for r in dated if "other_cpu" in r]
    others = [r["other_cpu"] for r in measured if r["other_cpu"] is not None]
    if others:
        text += f"; other processes' CPU use up to {max(others):.2f} over a row"
        busy = [r["name"] for r in measured if (r["other_cpu"] or 0) > OTHER_CPU_STRETCHED]
        if busy:
            text += f" (above {OTHER_CPU_STRETCHED:g}, times stretched: {', '.join(busy)})"
    unknown = [r["name"] for r in measured if r["other_cpu"] is None]
    if unknown:
        text += f"; other processes' CPU use not measured (no /proc/stat): {', '.join(unknown)}"
    return text + ". "


def _default_limits(r: dict) -> bool:
    """Whether a row ran with its ladder size's default limits (a rung of the ladder,
    without `--time-limit`)."""
    order = rung_order(r["name"])
    if order[0] != 0:
        return False
    size = order[1]
    if r["deterministic_time"] is not None:
        return r["deterministic_time"] == DETERMINISTIC_TIMES.get(size) and r[
            "time_limit"
        ] == TIME_LIMITS.get(size)
    return r["time_limit"] == TIME_LIMITS.get(size)


def _backstopped(r: dict) -> bool:
    """Whether a row stopped on work reached its clock's backstop instead (rows written
    before `stopped_by` was recorded are not said to)."""
    return r["deterministic_time"] is not None and r.get("stopped_by") == "clock"


def _line(r: dict) -> str:
    gap = "–" if r["gap"] is None else f"{100 * r['gap']:.2f}%"
    status = r["status"] + (" (clock)" if _backstopped(r) else "") + _mark(r)
    return (
        f"{r['name']:<18} {status:<16} obj {_num(r['objective']):>8} bound "
        f"{_num(r['bound']):>8} gap {gap:>7} placed {r['placed']}/{r['placeable']} "
        f"first {_num(r['first_solution_seconds'], 2)}s build {_builds(r).replace(' ', '')}s "
        f"total {r['solve_seconds']:.1f}s peak {r['peak_mib']:.0f}+"
        f"{r.get('relaxation_peak_mib') or 0:.0f} MiB | greedy "
        f"{_num(r['greedy']['objective'])} placed {r['greedy']['placed']} "
        f"in {r['greedy']['seconds']:.2f}s | target {_target_cell(r)} | other processes "
        f"{_num(r.get('other_cpu'), 2)} CPU"
    )


def _seeds(text: str) -> list[int]:
    """A seed (`3`) or an inclusive range of them (`0-7`)."""
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a seed or a range of seeds: {text!r}") from None
    if low < 0 or high < low:
        raise argparse.ArgumentTypeError(f"not a range of seeds: {text!r}")
    return list(range(low, high + 1))


def _seconds(text: str) -> float:
    """A time limit or an amount of work: a finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, not {text!r}")
    return value


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text!r}")
    return value


def _checked_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse what would run nothing or fail after the runs: sizes no rung has, a rung
    file that is not there, a results folder that is a file."""
    if args.only:
        sizes = sorted({rung_order(p.stem)[1] for p in ladder(None, args.holdout)})
        unknown = sorted(set(args.only) - set(sizes))
        if unknown:
            parser.error(
                f"--only: no rung of size {', '.join(map(str, unknown))} "
                f"(the sizes: {', '.join(map(str, sizes))})"
            )
    for path in args.rung or []:
        if not path.is_file():
            parser.error(f"--rung: {path}: no such file")
    if args.results is not None and args.results.exists() and not args.results.is_dir():
        parser.error(f"--results: {args.results} is a file; give a folder")
    if args.only and args.rung:  # (--only was ignored)
        parser.error("--only: not with --rung, which names the rungs to run")
    if args.seeds and args.resolve:  # (the re-solves were dropped, and the run passed)
        parser.error("--resolve: not with --seeds; the re-solves run with the ladder")
    if args.seeds and args.seed:  # (--seed was ignored)
        parser.error("--seed: not with --seeds, which names the seeds to run")
    if args.holdout and args.rung:  # (--holdout was ignored)
        parser.error("--holdout: not with --rung, which names the rungs to run")
    for path in args.rung or []:
        try:  # (a malformed file was a traceback, exit 1, before any rung ran)
            size_of(path)
        except SchedulerError as exc:
            parser.error(f"--rung: {exc}")
    if args.publish and args.results is not None:
        parser.error("--publish: not with --results, which names the folder")
    if args.smoke:
        for option in ("only", "rung", "holdout", "seeds", "clock", "publish"):
            if getattr(args, option):
                parser.error(
                    f"--smoke: not with --{option}: the smoke benchmark is its three rungs, "
                    "stopped on work (their optima are checked)"
                )


def _writable(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """The results folder and its tables can be written, before any rung runs (a folder
    under a file was a traceback, and a results.md that is a folder one after every
    run)."""
    try:
        args.results.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        parser.error(f"--results: {args.results}: cannot create the folder ({exc.strerror})")
    tables = ["spread.md"] if args.seeds else ["results.md"] + (["resolve.md"] * args.resolve)
    for table in tables:
        problem = unwritable(args.results / table)
        if problem is not None:
            parser.error(f"--results: {args.results / table}: {problem}")


def main(argv: list[str] | None = None, prog: str = "python -m bench") -> None:
    """Run the benchmark as `argv` asks; `prog` the command typed (`scheduler bench`
    passes its arguments on to this parser, the options' one definition)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n")[0])
    # (nargs "+": `--only` with no size ran the whole ladder, 2000 proposals included;
    # "extend": repeated, `--only 40 --only 150`, as `scheduler bench` took it, adds up)
    parser.add_argument(
        "--only", type=int, nargs="+", action="extend", help="rung sizes to run (e.g. 40 150)"
    )
    parser.add_argument(
        "--rung", type=Path, nargs="+", action="extend", help="instance files to run instead"
    )
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="run the holdout instances (other generator seeds, which no tuning looks at) "
        "instead, into a holdout/ folder (bench/results/local/holdout/, with --publish "
        "bench/results/holdout/) unless --results says otherwise",
    )
    parser.add_argument(
        "--time-limit",
        type=_seconds,
        help="seconds per rung (default by size); stopped on work (without --clock), the "
        "work is by size and this sets the clock's backstop, 4 times it",
    )
    parser.add_argument("--seed", type=int, default=0, help="the solver's seed (default 0)")
    parser.add_argument(
        "--seeds",
        type=_seeds,
        nargs="+",
        action="extend",
        help="run each rung once per seed (e.g. 0-7, or 0 3 5) and write the spread table "
        "(into a spread/ folder, bench/results/local/spread/ unless --results or --publish "
        "says otherwise)",
    )
    parser.add_argument(
        "--workers", type=_at_least_one, default=2, help="CP-SAT workers (default 2)"
    )
    parser.add_argument(
        "--clock",
        action="store_true",
        help="stop on the wall clock (time limits by size) instead of deterministic work: "
        "objectives then vary with the machine's load",
    )
    parser.add_argument("--deterministic-time", type=_seconds, help=argparse.SUPPRESS)
    parser.add_argument(
        "--resolve",
        action="store_true",
        help="also re-solve each rung after a cancellation against its schedule "
        "(resolve.md): the first keynote leading a workshop with initiatives and no "
        "pinned proposal leaves; then again during the event (--keep-before the middle "
        "of the schedule), a keynote of a later workshop leaving",
    )
    parser.add_argument(
        "--results",
        type=Path,
        help="folder of the JSON and the tables (default bench/results/local/, gitignored, "
        "or its holdout/ and spread/ folders)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="write into the committed results, bench/results/ (or its holdout/ and "
        "spread/ folders), instead of bench/results/local/",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="the smoke benchmark CI runs (.ci/run): " + ", ".join(SMOKE) + " stopped on work, "
        "the 40 rungs with their re-solves; fails unless each proves its optimum, "
        "records its times and places every placeable proposal (into "
        "bench/results/local/smoke/ unless --results says otherwise; about 10 s)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--solutions", type=Path, help=argparse.SUPPRESS)  # (the child's)
    args = parser.parse_args(argv)
    _checked_args(parser, args)
    args.resolve = args.resolve or args.smoke
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # a CI job's timeout (SIGTERM) ends the run as Ctrl-C does: `subprocess.run` then
    # kills the rung's process, which ran on to its end, orphaned, holding the cores
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    if args.child is not None:
        result = run_rung(
            args.child,
            args.time_limit,
            args.seed,
            args.workers,
            args.deterministic_time,
            args.resolve,
            args.solutions,
        )
        print(json.dumps(result))
        return
    if args.results is None:
        base = RESULTS if args.publish else LOCAL
        args.results = base / "holdout" if args.holdout else base
        if args.smoke:
            args.results = LOCAL / "smoke"
        if args.seeds:
            args.results = args.results / "spread"
    _writable(parser, args)
    if args.time_limit is not None and not args.clock:
        # (`--time-limit 1` on a 150 rung gave 2765, 4660, 2765 in three runs, each said
        # to be stopped on work)
        print(
            f"note: stopped on work, --time-limit sets only the clock's backstop "
            f"({4 * args.time_limit:g} s): a rung whose work takes longer stops on the clock, "
            "and its objective may then differ from run to run (--clock stops on the clock)",
            file=sys.stderr,
        )
    paths = [p.resolve() for p in args.rung] if args.rung else ladder(args.only, args.holdout)
    if args.smoke:
        paths = [p for p in ladder() if p.stem in SMOKE]
    if args.seeds:  # each rung once per seed: the spread table
        seeds = sorted({seed for group in args.seeds for seed in group})
        run, table = partial(run_seeds, paths, seeds), "spread.md"
    else:
        run = partial(run_ladder, paths, seed=args.seed, resolve=args.resolve, smoke=args.smoke)
        table = "results.md"
    try:
        run(
            args.time_limit,
            workers=args.workers,
            results_dir=args.results,
            deterministic=not args.clock,
        )
    except BenchmarkFailure as exc:
        print(f"BENCHMARK FAILED: {exc}", file=sys.stderr)
        sys.exit(1)
    print((args.results / table).read_text(encoding="utf-8"))
    if args.resolve and not args.seeds:
        print((args.results / "resolve.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
