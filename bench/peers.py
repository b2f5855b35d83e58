"""Peers: the ladder's rungs solved the plain ways, beside this solver's results.

    python -m bench.peers                          # every rung, both peers (~15 min)
    python -m bench.peers --only 40 150 --peer cp-sat
    python -m bench.peers --rung my.yaml --time-limit 20
    python -m bench.peers --table                  # peers.md again, after `python -m bench`

What a scheduling engineer would try first, each on the same instance file, the same
rules and the same objective as this solver, with the ladder's time limits:

- **cp-sat**: the direct CP-SAT model (`scheduler/model.py`: one boolean per proposal
  and candidate slot, every rule, exact penalty terms) handed to CP-SAT's default
  parallel search as it is: no greedy hint, no relaxation, no decomposition.
- **highs**: the aggregated program (`scheduler/relaxation.py`) handed to HiGHS's branch
  and bound as it is: no start, no search by cliques; its solution decoded into
  workshops.

Each run is a process of its own (its peak memory is its own), capped at
`MEMORY_CAP` of address space and stopped after `CHILD_SECONDS` (a model that is
still being built then is reported as such). Times count from the end of loading the
instance, building included, as for this solver. Neither peer stops on deterministic
work: they run on the clock. Every schedule a peer returns goes through the
independent validator: a CP-SAT schedule it rejects fails the run (the model is this
solver's own); a decoded HiGHS schedule that breaks a rule the aggregated program does
not hold (speaker clashes across cliques, `together`, `apart`) is reported as such.

Results go to bench/results/peers.json (merged with earlier runs, one entry per rung
and peer) and bench/results/peers.md (with this solver's and the greedy baseline's
results from bench/results/<rung>.json).
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.runner import (
    RESULTS,
    ROOT,
    TIME_LIMITS,
    BenchmarkFailure,
    _at_least_one,
    _checked_args,
    _num,
    _seconds,
    ladder,
    rung_order,
    size_of,
)
from scheduler.errors import OutputError
from scheduler.files import unwritable, write_atomic

PEERS = ("cp-sat", "highs")
MEMORY_CAP = 16 * 1024**3
"""Address space a peer's process may take (bytes); the machine has 24 GiB."""


def child_seconds(time_limit: float) -> float:
    """How long a peer's process may run: its time limit plus building and decoding."""
    return max(3 * time_limit, time_limit + 120)


def run_peer(path: Path, peer: str, time_limit: float, seed: int, workers: int) -> dict:
    """Solve one rung with one peer in this process; its schedule validated."""
    from scheduler.candidates import candidate_table
    from scheduler.instance import instance_hash, load_instance

    instance = load_instance(path)
    digest = instance_hash(path)
    clock = time.perf_counter()
    candidates = candidate_table(instance)
    solve = {"cp-sat": _cp_sat, "highs": _highs}[peer]
    result = solve(instance, digest, candidates, time_limit, seed, workers, clock)
    result.update(
        name=instance.name,
        peer=peer,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        placeable=sum(1 for p in instance.proposals if candidates.slots[p.id]),
        proposals=len(instance.proposals),
        total_seconds=round(time.perf_counter() - clock, 3),
        peak_mib=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    )
    return result


def _verdict(instance, solution) -> dict:
    """The validator's verdict on a peer's schedule."""
    from scheduler.validate import validate

    report = validate(instance, solution)
    return {
        "valid": report.ok,
        "violations": [f"{v.rule}: {v.message}" for v in report.violations[:20]],
        "objective": report.objective if report.ok else None,
        "placed": sum(len(w.proposals) for w in solution.workshops),
        "costs": report.costs if report.ok else None,
    }


def _cp_sat(instance, digest, candidates, time_limit, seed, workers, clock) -> dict:
    from ortools.sat.python import cp_model

    from scheduler.model import WorkshopModel
    from scheduler.search import Outcome, objective_of
    from scheduler.solution import Solution, Status
    from scheduler.solve import _fill

    built = WorkshopModel(instance, candidates)
    build = time.perf_counter() - clock
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.random_seed = seed
    first: list[float] = []

    class First(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self) -> None:
            if not first:
                first.append(time.perf_counter() - clock)

    code = solver.solve(built.model, First())
    result = {
        "build_seconds": round(build, 3),
        "first_solution_seconds": round(first[0], 3) if first else None,
        "variables": len(built.model.proto.variables),
        "constraints": len(built.model.proto.constraints),
        "status": solver.status_name(code).lower(),
        # every penalty is non-negative: 0 bounds what CP-SAT's LP may not see
        "bound": max(0, round(solver.best_objective_bound)),
    }
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return result | {"status": "no schedule", "objective": None, "placed": 0}
    status = Status.OPTIMAL if code == cp_model.OPTIMAL else Status.FEASIBLE
    solution = Solution(
        instance=instance.name, instance_hash=digest, status=status, seed=seed, workers=workers
    )
    value = objective_of(built.model, solver.response_proto)  # (the schedule's own sum)
    _fill(
        solution,
        instance,
        built,
        Outcome(code, value, solver.best_objective_bound, solver),
        candidates,
    )
    scored = _verdict(instance, solution)
    if scored["valid"] and scored["objective"] != round(value):
        scored["valid"] = False
        scored["violations"] = [f"objective: CP-SAT {value:g}, validator {scored['objective']}"]
    return result | scored


def _highs(instance, digest, candidates, time_limit, seed, workers, clock) -> dict:
    from scheduler.bound import _bound
    from scheduler.relaxation import Relaxation
    from scheduler.workshops import schedule_of_workshops

    relaxation = Relaxation(instance, candidates)
    build = time.perf_counter() - clock
    first: list[float] = []

    def found(_answer) -> None:
        if not first:
            first.append(time.perf_counter() - clock)

    left = max(0.1, time_limit - build)
    # HiGHS's default options: the program handed over as it is
    answer = relaxation.program.minimum(left, True, None, found, defaults=True)
    bound = _bound(relaxation, answer, time.perf_counter() - clock)
    result = {
        "build_seconds": round(build, 3),
        "first_solution_seconds": round(first[0], 3) if first else None,
        "columns": relaxation.program.columns,
        "status": "optimal" if bound.exact else "feasible",
        "bound": bound.value,
    }
    if not bound.schedule:
        return result | {"status": "no schedule", "objective": None, "placed": 0}
    scored = _verdict(instance, schedule_of_workshops(instance, bound.schedule))
    if not scored["valid"]:
        # the program drops a few rules (speaker clashes across cliques, together,
        # apart): its decoded schedule may break one, which is the peer's result
        scored["status"] = "breaks " + scored["violations"][0].split(":")[0]
    return result | scored


def run_peer_in_child(
    path: Path,
    peer: str,
    time_limit: float,
    seed: int,
    workers: int,
    seconds: float | None = None,
) -> dict:
    """`run_peer` in a fresh, memory-capped process; a record of why when it gives none."""
    seconds = child_seconds(time_limit) if seconds is None else seconds
    command = [sys.executable, "-m", "bench.peers", "--child", str(path), "--peer", peer]
    command += ["--time-limit", str(time_limit), "--seed", str(seed), "--workers", str(workers)]
    name = path.stem
    stub = {
        "name": name,
        "peer": peer,
        "time_limit": time_limit,
        "seed": seed,
        "workers": workers,
        "objective": None,
        "placed": 0,
        "valid": None,
    }
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired:
        return stub | {"status": f"nothing after {seconds:.0f} s (stopped)"}
    if done.returncode != 0:
        memory = "MemoryError" in done.stderr or "bad_alloc" in done.stderr
        reason = f"out of memory ({MEMORY_CAP // 1024**3} GiB)" if memory else "failed"
        return stub | {"status": reason, "stderr": done.stderr[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def check(result: dict) -> list[str]:
    """A CP-SAT schedule the validator rejects is this solver's model's fault: fail."""
    if result["peer"] == "cp-sat" and result.get("valid") is False:
        return [f"{result['name']}: CP-SAT schedule rejected: {result['violations']}"]
    return []


def _cell(result: dict | None) -> str:
    if result is None:
        return "–"
    if result.get("objective") is None:
        parts = [result["status"]]
        if result.get("build_seconds") is not None:
            parts.append(f"model built in {result['build_seconds']:.1f} s")
    else:
        parts = [
            f"{result['objective']} {result['status']} in {result['total_seconds']:.1f} s",
            f"placed {result['placed']}/{result['placeable']}",
        ]
        if result.get("first_solution_seconds") is not None:
            parts.append(f"first at {result['first_solution_seconds']:.1f} s")
    if result.get("bound") is not None:
        parts.append(f"bound {result['bound']}")
    if result.get("peak_mib") is not None:
        parts.append(f"{result['peak_mib']:.0f} MiB")
    return ", ".join(parts)


def _ours(name: str, results_dir: Path) -> dict | None:
    path = results_dir / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def markdown(peers: list[dict], ours_dir: Path = RESULTS) -> str:
    """One row per rung: this solver and the greedy baseline (their results in
    `ours_dir`), each peer."""
    names = sorted({r["name"] for r in peers}, key=rung_order)
    by_key = {(r["name"], r["peer"]): r for r in peers}
    head = (
        "| rung | time limit s | this solver | greedy | CP-SAT, direct model "
        "| HiGHS, aggregated program |\n|---|---|---|---|---|---|\n"
    )
    rows = []
    for name in names:
        ours = _ours(name, ours_dir)
        limit = next(r["time_limit"] for r in peers if r["name"] == name)
        if ours is None:  # not in the ladder's results
            mine = greedy = "–"
        else:
            gap = "" if ours["gap"] is None else f" ({100 * ours['gap']:.2f} %)"
            mine = (
                f"{ours['objective']} {ours['status']}{gap}, placed {ours['placed']}/"
                f"{ours['placeable']}, {ours['solve_seconds']:.1f} s, {ours['peak_mib']:.0f} MiB"
            )
            greedy = (
                f"{ours['greedy']['objective']}, placed {ours['greedy']['placed']}/"
                f"{ours['placeable']}, {ours['greedy']['seconds']:.1f} s"
            )
        rows.append(
            f"| {name} | {_num(limit, 0)} | {mine} | {greedy} | {_cell(by_key.get((name, 'cp-sat')))} "
            f"| {_cell(by_key.get((name, 'highs')))} |"
        )
    return head + "\n".join(rows) + "\n"


def run_peers(
    paths: list[Path],
    peers: list[str],
    time_limit: float | None,
    seed: int,
    workers: int,
    results_dir: Path = RESULTS,
) -> list[dict]:
    """Run each peer on each rung; merge into peers.json, write peers.md; raise on a
    CP-SAT schedule the validator rejects."""
    results_dir.mkdir(parents=True, exist_ok=True)
    store = results_dir / "peers.json"
    known = json.loads(store.read_text(encoding="utf-8")) if store.exists() else []
    results, problems = [], []
    for path in paths:
        limit = time_limit if time_limit is not None else TIME_LIMITS.get(size_of(path), 60.0)
        for peer in peers:
            result = run_peer_in_child(path, peer, limit, seed, workers)
            print(f"{result['name']:<18} {peer:<7} {_cell(result)}", file=sys.stderr, flush=True)
            results.append(result)
            problems += check(result)
    fresh = {(r["name"], r["peer"]) for r in results}
    merged = [r for r in known if (r["name"], r["peer"]) not in fresh] + results
    write_atomic(store, json.dumps(merged, indent=2) + "\n")
    write_table(results_dir)
    if problems:
        raise BenchmarkFailure("\n".join(problems))
    return results


def write_table(results_dir: Path = RESULTS) -> Path:
    """peers.md from peers.json and the ladder's latest results (after either changed)."""
    peers = json.loads((results_dir / "peers.json").read_text(encoding="utf-8"))
    header = (
        f"Seed {peers[0]['seed']}, {peers[0]['workers']} workers, stopped on the clock; "
        "times from the end of loading the instance, model build included. This solver's "
        "and the greedy baseline's columns are bench/results/<rung>.json "
        "(`python -m bench`).\n\n"
    )
    return write_atomic(results_dir / "peers.md", header + markdown(peers))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.peers", description=__doc__.split("\n")[0]
    )
    # (nargs "+", as `python -m bench`'s: `--only` with no size ran the whole ladder)
    parser.add_argument("--only", type=int, nargs="+", help="rung sizes to run (e.g. 40 150)")
    parser.add_argument("--rung", type=Path, nargs="+", help="instance files to run instead")
    parser.add_argument("--peer", choices=PEERS, nargs="+", help="peers to run (default: all)")
    parser.add_argument("--time-limit", type=_seconds, help="seconds per rung (default by size)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=_at_least_one, default=2)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--table", action="store_true", help="only rewrite peers.md from peers.json (no runs)"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # `python -m bench`'s checks of the options both have (sizes no rung has, a rung file
    # that is not there, a results folder that is a file); peers have no holdout, seeds
    # nor re-solves, nor a smoke run, and write where --results says
    _checked_args(
        parser,
        argparse.Namespace(
            **vars(args), holdout=False, seeds=None, resolve=False, smoke=False, publish=False
        ),
    )
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.child is not None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        result = run_peer(args.child, args.peer[0], args.time_limit, args.seed, args.workers)
        print(json.dumps(result))
        return
    store = args.results / "peers.json"
    if args.table and not store.is_file():
        parser.error(f"--table: no {store} to table; run python -m bench.peers first")
    # both files checked before the runs: a failure to write them came after all of them
    table = args.results / "peers.md"
    for written in [table] if args.table else [store, table]:
        reason = unwritable(written)
        if reason is not None:
            parser.error(f"--results: {OutputError(written, reason)}")
    if args.table:
        print(write_table(args.results))
        return
    paths = [p.resolve() for p in args.rung] if args.rung else ladder(args.only)
    try:
        run_peers(
            paths, args.peer or list(PEERS), args.time_limit, args.seed, args.workers, args.results
        )
    except BenchmarkFailure as failure:
        print(f"BENCHMARK FAILED\n{failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
