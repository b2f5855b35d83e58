"""Random generated instances solved and checked: every schedule by the validator, runs
stopped on work twice (the same file), runs by the clock against their time limit, and
re-solves of each after a cancellation, before the event and during it.

    python -m bench.fuzz                          # 20 instances of 30-300 proposals
    python -m bench.fuzz --count 100 --seed 7     # others
    python -m bench.fuzz --sizes 60 100 --time-limit 20
    python -m bench.fuzz --vary                   # rules and instances varied too

The ladder's instances are few and fixed; these are drawn (size, variant, days, themes,
the generator's seed, the solve's seed, by the clock or on work) from `--seed`, so a run
is the same list of instances every time. A finding names the instance's generator
arguments: `python -m bench.generate` writes that instance again. With `--vary`, each
generated instance's rules, slots and proposals are changed at random too
(`bench/vary.py`: what the generator never varies), and a failing one is written to
`--findings`. The run exits 1 (`FUZZ FAILED`) when a schedule breaks a hard rule or its
objective is not the validator's, when a bound exceeds its schedule, when a run stopped
on work gives another schedule the second time (by `scheduler solve`, in a process whose
string hashes differ from this one's: `PYTHONHASHSEED`), when the re-solve against the
schedule once a keynote leading initiatives cancels (as `python -m bench --resolve`
does) finds no schedule or one the validator rejects (`moved` counted), when a re-solve
during the event (`--keep-before` the middle of the schedule, a keynote after it
cancelling, or on odd solve seeds an initiative of a workshop that had begun) does so or
changes a workshop that had begun (beyond the cancelled initiative's timeline, which
moves nothing that began before the moment nor to before it), when a solve ends with
neither a schedule nor a proof that none exists (status unknown), or when a solve
raises. A run by the clock that ends well after its time limit is reported, not failed:
the machine's load moves it.
"""

from __future__ import annotations

import argparse
import copy
import logging
import multiprocessing
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.generate import Rung, generate, to_yaml
from bench.runner import _at_least_one, _seconds, ended, rejections, run_resolve
from bench.vary import vary
from scheduler.cli import MAX_SECONDS
from scheduler.files import unwritable, write_atomic
from scheduler.instance import parse_instance
from scheduler.solution import Solution, Status, load_solution
from scheduler.solve import SolveOptions, SolveStats, solve
from scheduler.validate import check_claims, validate

SIZES = (30, 60, 100, 200, 300)
"""Proposals per instance, drawn evenly: both sides of the direct model's limit (1,500
candidate pairs, about 60-80 proposals) and the block path's smaller end."""
DETERMINISTIC_SHARE = 0.4
"""The share of the runs stopped on work (`--deterministic-time`), each solved twice."""
LATE = 1.0
"""A run by the clock is reported late past its time limit plus this many seconds (or a
tenth of the limit, if more)."""


@dataclass
class Case:
    """One drawn instance and how it is solved."""

    rung: Rung
    seed: int
    deterministic: bool
    variation: int | None = None
    """What draws the changes `bench.vary` makes to the generated instance, if any."""
    changes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.rung.name if self.variation is None else f"{self.rung.name}-v{self.variation}"

    def document(self) -> dict:
        """The instance document (generated, then varied); fills `changes`."""
        document = generate(self.rung)
        if self.variation is not None:
            self.changes = vary(document, random.Random(self.variation))
            document["name"] = self.name
        return document

    def generator_command(self) -> str:
        """The command that writes this instance again."""
        r = self.rung
        return (
            f"python -m bench.generate --proposals {r.proposals} --variant {r.variant} "
            f"--days {r.days} --themes {r.themes} --seed {r.seed} -o {r.name}.yaml"
        )


@dataclass
class Outcome:
    """What one case gave."""

    case: Case
    line: str
    problems: list[str] = field(default_factory=list)
    late: bool = False


def draw(count: int, seed: int, sizes: tuple[int, ...] = SIZES, varied: bool = False) -> list[Case]:
    """`count` cases drawn from `seed` (with `varied`, each with its changes' seed)."""
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        rung = Rung(
            rng.choice(sizes),
            rng.choice(["easy", "tight"]),
            days=rng.choice([2, 3]),
            themes=rng.choice([4, 6, 8]),
            seed=rng.randrange(1000, 100_000),
        )
        case = Case(rung, rng.randrange(4), rng.random() < DETERMINISTIC_SHARE)
        if varied:
            case.variation = rng.randrange(1, 100_000)
        cases.append(case)
    return cases


def _solved_elsewhere(document: dict, case: Case, options: SolveOptions) -> Solution | str:
    """The case solved again by `scheduler solve` in a process of its own whose string
    hashes differ from this one's (`PYTHONHASHSEED`): what follows the order of a set
    of strings shows there (the counting program's rows once did). The solution it
    wrote, or the status it said when it found no schedule (and so wrote nothing)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{case.name}.yaml"
        path.write_text(to_yaml(document))
        out = Path(folder) / "solution.json"
        argv = ["solve", str(path), "-o", str(out), "--quiet", "--seed", str(options.seed)]
        argv += ["--workers", str(options.workers), "--time-limit", str(options.time_limit)]
        argv += ["--deterministic-time", str(options.deterministic_time)]
        hash_seed = str(1 + hash("fuzz") % 1000)  # (drawn from this process's hashes)
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        run = subprocess.run(
            [sys.executable, "-m", "scheduler", *argv], env=env, capture_output=True, text=True
        )
        nothing = re.search(r"no schedule found \(status (\w+)\)", run.stderr)
        if run.returncode == 1 and nothing:
            return nothing.group(1)
        if run.returncode != 0:
            raise RuntimeError(f"scheduler solve exited {run.returncode}: {run.stderr.strip()}")
        return load_solution(out)


def _layout(solution: Solution | str) -> str | tuple[int | None, list]:
    """What two solves of a case must agree on: the objective and each workshop's slot,
    theme and proposals, or the status when there is no schedule."""
    if isinstance(solution, str):
        return solution
    if not solution.has_schedule:
        return solution.status.value
    workshops = [(w.slot, w.theme, tuple(w.proposals)) for w in solution.workshops]
    return solution.objective, workshops


def check(
    case: Case, time_limit: float, deterministic_time: float, explaining: bool = False
) -> Outcome:
    """Solve the case and check what it gave (with `explaining`, against `explain` too)."""
    document = case.document()
    instance = parse_instance(copy.deepcopy(document), f"{case.name}.yaml")
    options = SolveOptions(
        time_limit=time_limit,
        seed=case.seed,
        workers=2,
        deterministic_time=deterministic_time if case.deterministic else None,
    )
    started = time.perf_counter()
    stats = SolveStats()
    solution = solve(instance, "sha256:fuzz", options, stats=stats)
    seconds = time.perf_counter() - started
    mode = "on work" if case.deterministic else "by the clock"
    line = (
        f"{case.name} (days {case.rung.days}, themes {case.rung.themes}"
        f"{''.join('; ' + change for change in case.changes)}), seed "
        f"{case.seed}, {mode}: {solution.status.value} {solution.objective} "
        f"(bound {solution.bound}) in {seconds:.1f} s"
    )
    outcome = Outcome(case, line)
    problems = outcome.problems
    if solution.status is Status.UNKNOWN:
        # neither a schedule nor a proof that none exists: first fit, the block path's
        # start, broke a rule (under "initiatives 1-3" with pins it once placed an
        # initiative twice; such runs passed as "unknown" until this check)
        problems.append("no schedule and no verdict (status unknown)")
    if solution.has_schedule:
        report = validate(instance, solution)
        report.violations += check_claims(solution, report)  # its penalties, bound, status
        problems += rejections(report, solution.objective)
    if case.deterministic and stats.backstop:
        # the clock cut it before its work ended (a loaded machine): its schedule is the
        # clock's, and another solve may well differ (seed 396, under a load of 15 at
        # nice 19: 1139 at the 32 s backstop, 1026 the second time). The solve says so
        # itself, on either path (`SolveStats.backstop`): a search cut early may end well
        # before the whole backstop, and a run that ends on its work near it is its work's
        outcome.late = True
        outcome.line += "; cut by its clock backstop: not solved again"
    elif case.deterministic:
        again = _solved_elsewhere(document, case, options)
        if _layout(again) != _layout(solution):
            said = again if isinstance(again, str) else again.objective
            problems.append(
                f"stopped on work, another schedule the second time ({said}, "
                "in a process with other string hashes)"
            )
    else:
        outcome.late = seconds > time_limit + max(LATE, 0.1 * time_limit)
    if solution.has_schedule and not problems:
        for during in (False, True):
            said, found = _resolved(case, document, instance, solution, options, during)
            outcome.line += said
            problems += found
    if explaining and solution.has_schedule:
        said, found = _explained(instance, solution, time_limit)
        outcome.line += said
        problems += found
    return outcome


def _explained(instance, solution: Solution, time_limit: float) -> tuple[str, list[str]]:
    """`explain`'s answer against the schedule: no proposal it says cannot be placed is
    placed, and no more are placed than it says can be; and each of its sentences reads
    in French (`explain --lang fr`), through the reasons' catalog."""
    from scheduler.explain import explain
    from scheduler.reasons import FINDING, LENGTHS, REASON, RULE, french

    result = explain(instance, time_limit)
    placed = {p for w in solution.workshops for p in w.proposals}
    said = f"; explain: {len(result.proposal_findings)} with findings"
    problems = []
    wrong = sorted(placed & set(result.proposal_findings))
    if wrong:
        problems.append(f"explain: {', '.join(wrong[:5])} placed, though it says they cannot be")
    if result.at_most is not None:
        said += f", at most {result.at_most} placed"
        if len(placed) > result.at_most:
            problems.append(f"explain: at most {result.at_most} placed, the schedule {len(placed)}")
    sentences = [(FINDING, f) for fs in result.proposal_findings.values() for f in fs]
    sentences += [(RULE, r) for r in result.conflict]
    sentences += [(REASON, r) for rs in result.left_out.values() for r in rs]
    sentences += [(LENGTHS, result.lengths)] if result.lengths else []
    unread = [text for within, text in sentences if french(text, within) is None]
    if unread:
        problems.append(f"explain: {len(unread)} sentences not read in French, first: {unread[0]}")
    return said, problems


def _resolved(
    case: Case,
    document: dict,
    instance,
    published: Solution,
    options: SolveOptions,
    during: bool = False,
) -> tuple[str, list[str]]:
    """A re-solve against the schedule once a keynote leading initiatives (and no pinned
    proposal) cancels, before the event or `during` it (the re-solve benchmark's
    `run_resolve`): what it gave, and what is wrong with it."""
    # (on odd solve seeds the re-solve during the event cancels an initiative of a begun
    # workshop, whose timeline is then recomputed)
    begun = during and case.seed % 2 == 1
    source = Path(f"{case.name}.yaml")
    again = run_resolve(document, source, instance, published, options, during, begun)
    if again is None:
        return "", []
    said = f"; without {again['cancelled']}{' (begun)' if begun else ''}"
    what = "re-solve"
    if during:
        moment = datetime.fromisoformat(again["kept_before"])
        said = f"; kept {again['kept']} before {moment:%a %H:%M}{said}"
        what = "re-solve during the event"
    said += f": {again['status']} {again['objective']}"
    if again["moved"] is not None and again["valid"] is not None:
        said += f", {again['moved']} moved"
    problems = again["violations"] if again["valid"] is not None else ["no schedule"]
    return said, [f"{what} without {again['cancelled']}: {problem}" for problem in problems]


def _checked_apart(
    case: Case, time_limit: float, deterministic_time: float, explaining: bool
) -> Outcome:
    """`check` in a forked process of its own: a crash in native code ends that process
    only, and is a finding of this case, with its instance, where it ended the whole run
    without a word of which instance or why (seed 394's twelfth case: OR-Tools 9.15's
    CP-SAT failed an internal check, "solution->size() == postsolve_mapping.size()", and
    aborted). An exception is a finding too, with its traceback."""
    context = multiprocessing.get_context("fork")  # (the parent has run no solver)
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(
        target=_check_and_send, args=(sending, case, time_limit, deterministic_time, explaining)
    )
    child.start()
    sending.close()
    try:
        outcome = receiving.recv()
    except EOFError:  # (the child died before it sent anything)
        outcome = None
    finally:
        receiving.close()
        child.join()
    if outcome is None:
        how = "no exit code" if child.exitcode is None else ended(child.exitcode)
        return Outcome(
            case,
            f"{case.name}: the process checking it died ({how})",
            [f"died ({how}): a crash in native code (its message is on stderr above)"],
        )
    return outcome


def _check_and_send(
    sending, case: Case, time_limit: float, deterministic_time: float, explaining: bool
) -> None:
    """The child's side of `_checked_apart`: the case checked, its outcome sent back."""
    try:
        outcome = check(case, time_limit, deterministic_time, explaining)
    except Exception:  # a finding, with its instance's command
        outcome = Outcome(case, f"{case.name}: raised", [traceback.format_exc()])
    sending.send(outcome)
    sending.close()


def _reproduction(case: Case, findings: Path) -> str:
    """How to get a failing case's instance again: the generator's command, or for a
    varied one the file it is written to."""
    if case.variation is None:
        return case.generator_command()
    path = findings / f"{case.name}.yaml"
    write_atomic(path, to_yaml(case.document()))
    return f"written to {path} ({case.generator_command()}, then bench.vary)"


def _solve_seconds(text: str) -> float:
    """Seconds as `scheduler solve` takes them, from 0.01 to a day: a run stopped on work
    is solved again by it (`_solved_elsewhere`), and one it refuses was a false finding."""
    value = _seconds(text)
    if not 0.01 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(
            f"must be from 0.01 to {MAX_SECONDS:g} seconds, not {text!r}"
        )
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fuzz", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--count", type=_at_least_one, default=20, help="instances (default 20)")
    parser.add_argument("--seed", type=int, default=0, help="what draws them (default 0)")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=list(SIZES), help="proposals, drawn evenly"
    )
    parser.add_argument(
        "--time-limit", type=_solve_seconds, default=8.0, help="seconds per solve (default 8)"
    )
    parser.add_argument(
        "--deterministic-time",
        type=_solve_seconds,
        default=1.0,
        help="the work of the runs stopped on work (default 1; the time limit is then a "
        "backstop at four times the limit)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="also run `explain` on each instance (its time limit the same) and check the "
        "schedule against it",
    )
    parser.add_argument(
        "--vary",
        action="store_true",
        help="change each generated instance's rules and some of its slots and proposals "
        "(bench/vary.py); a failing one is written to --findings",
    )
    parser.add_argument(
        "--findings",
        type=Path,
        default=Path("fuzz-findings"),
        help="where failing varied instances are written (default ./fuzz-findings)",
    )
    args = parser.parse_args(argv)
    small = [size for size in args.sizes if size < 10]
    if small:
        parser.error(f"--sizes: each must be 10 or more, not {small[0]}")
    reason = unwritable(args.findings / "finding.yaml")  # (before the runs, not after)
    if reason is not None:
        parser.error(f"--findings: {args.findings}: {reason}")
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    failed: list[Outcome] = []
    late = 0
    cases = draw(args.count, args.seed, tuple(args.sizes), args.vary)
    for number, case in enumerate(cases, start=1):
        # (on work, the clock is a backstop; `scheduler solve` takes no more than a day)
        limit = args.time_limit if not case.deterministic else min(4 * args.time_limit, MAX_SECONDS)
        outcome = _checked_apart(case, limit, args.deterministic_time, args.explain)
        late += outcome.late
        mark = "FAIL" if outcome.problems else ("late" if outcome.late else "ok")
        print(f"[{number}/{len(cases)}] {mark:4} {outcome.line}", flush=True)
        if outcome.problems:
            failed.append(outcome)
    print(
        f"{len(cases)} instances: {len(cases) - len(failed)} checked without a finding, "
        f"{late} late (by the clock past their limit, or on work cut by the clock's backstop)"
    )
    if failed:
        print("FUZZ FAILED", file=sys.stderr)
        for outcome in failed:
            print(
                f"- {outcome.line}\n  {_reproduction(outcome.case, args.findings)}", file=sys.stderr
            )
            for problem in outcome.problems:
                print(f"  {problem}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
