"""Solve an instance: candidates, CP-SAT model, search, then a self-explaining Solution."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from scheduler import reasons as catalog
from scheduler.bound import AggregateBound, PendingBound, relaxation_lp
from scheduler.candidates import (
    REASON_SLOTS,
    CandidateTable,
    candidate_table,
    pin_conflicts,
    together_units,
    workshop_minutes,
)
from scheduler.counting import LaterBound, counting_bound_later, trivial_bound
from scheduler.greedy import (
    greedy_solution,
    improved_schedule,
    reference_schedule,
    repaired_schedule,
)
from scheduler.instance import Instance, Proposal
from scheduler.program import Background
from scheduler.solution import Solution, Status, Unscheduled, Workshop, calendar_events
from scheduler.validate import validate
from scheduler.workshops import schedule_of_workshops, timeline

# OR-Tools is imported where it is used (0.75 s): the relaxation's process, started
# first, needs none of it, and the command's start-up then overlaps HiGHS's work
if TYPE_CHECKING:
    from scheduler.decompose import BlockSearch
    from scheduler.model import WorkshopModel
    from scheduler.search import Outcome

logger = logging.getLogger(__name__)

RELAXATION_SECONDS = 10.0
"""By the clock, longest the direct path waits for the aggregated relaxation before its
search (half the time limit at most); one not done by then goes on beside the search
nearly to the time limit, its answers taken in as they come. The bundled instance's takes
about 1.5 s on an idle machine, 6-10 s and more on one loaded (load 15-18 on two cores):
cut at 10 s, the search alone ended there at 80, bound 70, after the whole 60 s, where
75 is proven."""
SEARCH_LEAST = 0.2
"""Direct path, by the clock: the fewest seconds CP-SAT's search gets, whatever the
relaxation, the model and the greedy schedule left of the time limit, so that the whole
solve keeps to `--time-limit` (with the whole limit after them, `--time-limit 8` on a
generated 60-proposal instance whose relaxation took its 4 s ran 12 s)."""
RESOLVE_DIRECT_FACTOR = 2
"""A re-solve (`reference`) keeps the direct model up to this many times
`SolveOptions.direct_limit` (1,500 pairs by default): `moved` is in its model, and from
the published schedule's start it proves what the block path's re-solve, improving block
by block only, does not reach. Generated 100-proposal instances of 2,445-2,804 pairs, a
keynote cancelled, 10 s: 1170 and 1290 proven optimal in 3 s against the same values
unproven in 3.8-5.2 s; on one, 1580 (5 moved) proven in 13 s where the block path stops
at 2725 (8 moved) after 6 s."""
RELAXATION_WORK = 20
"""Deterministic runs: the relaxation's work budget (units of `LowerBound.work`) per unit
of deterministic time."""
WITHOUT_START_PAIRS = 12_000
"""Up to this many candidate pairs, a block-path solve whose start keeps no schedule (first
fit, or a re-solve's start from the published schedule, that cannot keep the pins the
pins' check found no conflict in) goes on with the direct model, from no start (`moved`
counted in a re-solve): CP-SAT finds a schedule or proves that none exists, where the
block search, which improves a schedule, has none to improve. Measured from no start,
20 s: a generated 100-proposal instance whose pins cannot hold (2,885 pairs) proven
infeasible in 0.5 s, bench-150-tight (5,035) optimal in 4.4 s, bench-150-easy (10,102)
2255; a generated 300-proposal instance (23,576) and bench-600-tight nothing."""
IMPROVE_PAIRS = 20_000
"""Above this many candidate pairs, the block path improves the first-fit schedule by
moving whole workshops (`Greedy.improve`) before any search. Measured stopped on work:
bench-600-easy seeds 0-3 11940 / 11765 / 12160 / 11465 -> 11570 / 11535 / 11405 /
11340, 600-tight seeds 0-1 10125 / 10370 -> 10060 / 10275, 2000-easy 106965 -> 85065,
2000-tight 67200 -> 67040; but bench-150-easy (10,102 pairs) seeds 0-3 2200 / 2220 /
2190 / 2235 -> 2260 / 2245 / 2195 / 2285 and 150-tight proven in 8.4 s instead of
5.6: there the relaxation's branch and bound does better from first fit."""
PROPOSAL_MOVES_PAIRS = 400_000
"""Above this many candidate pairs (the 2000-proposal rungs, whose search works on parts
of cliques), that improvement also changes workshops' themes and moves single proposals
(`Greedy.improve(proposals=True)`): a better start where the search is far from done
(bench-2000-easy stopped on work 64785 -> 60545). At 600 proposals the search by cliques
recomposes whole cliques and ended worse from that start (bench/HISTORY.md, "What was
tried")."""
RESOLVE_LP_PAIRS = 400_000
"""A re-solve on the block path bounds itself by the aggregated program's LP too
(`bound.relaxation_lp`) up to this many candidate pairs. Above, the program is beyond
`bound.LP_COLUMNS` on every instance measured (2000 proposals: 808,913-1,669,592 pairs,
265,798-354,914 columns, built in 6-10 s for nothing; 600: 71,364-170,090 pairs,
49,586-65,390 columns, solved in 5-7 s)."""
COUNTING_WAIT = 2.0
"""Seconds the end of a large solve waits for the counting bound at most (it comes
0.1-0.9 s after the start; at 600 proposals a better one may follow, taken if it has
come: a run stopped on work waits for it)."""
ANNOUNCEMENT_WAIT = 2.0
"""Large solves by the clock: seconds the block search waits, once the child has its start,
for the child's first answer (it comes within a few tenths of a second)."""
RELOCATE_FIRST = 0.02
"""Large solves: the block search's relocations run before the child's start when the
moved first fit leaves out a few placeable proposals, at most this share of all
(`_relocated`; bench-600-tight-s7 10 of 600, 2000-tight 8 of 2000). With many left out,
the search by cliques places them by the dozen: bench-600-easy with 150 slots closed
(197 left out), a relocation placed one, and the child's search from there left 176
out instead of 167 (then 174 and 139 after the relocations that follow it)."""
RELOCATIONS_AFTER_RELAXATION = 0.1
"""Deterministic runs: the share of the deterministic time left to the block search after
the relaxation's search, when that leaves placeable proposals out (its relocations
place them); none otherwise (on bench-150-easy, 0.5 units of block search after the
relaxation's search found nothing in 5 s)."""

Progress = Callable[[float, float | None, float | None], None]
"""Called with (elapsed seconds, best objective or None, best bound or None)."""


def _status(code: int) -> Status:
    """The solution status of a CP-SAT status code."""
    from ortools.sat.python import cp_model

    return {
        cp_model.OPTIMAL: Status.OPTIMAL,
        cp_model.FEASIBLE: Status.FEASIBLE,
        cp_model.INFEASIBLE: Status.INFEASIBLE,
    }.get(code, Status.UNKNOWN)


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2
    direct_limit: int = 1_500
    """Above this many candidate proposal-slot pairs, solve block by block: on 150
    proposals (5,000-10,000 pairs) the block search placed 146 of 148 in 10 s where the
    direct model kept the greedy schedule's 141. Not 3,000: generated instances of
    50-110 proposals solved both ways, 10 s by the clock, showed the direct path short
    of the block path on 5 of the 25 with 1,500-3,000 pairs (1,867-2,296
    pairs: 1185 against the block path's optimal 1125, 1160 against 1135, 1460 against
    1350, 1045 against 1035, 1300 against 1235), never ahead of it, and faster by
    0.4-3.3 s on 11 where both proved the optimum. Below 1,500 pairs (11 instances) it
    always proved the optimum. Every Commons AI-size instance measured has fewer than
    1,100 pairs (the bundled one 364)."""
    deterministic_time: float | None = None
    """If set, stop on work measures instead of the clock: this much CP-SAT
    deterministic time for the searches, `RELAXATION_WORK` times it for the relaxation's
    HiGHS runs. With a generous time limit, a run is then reproducible whatever the
    machine's load."""
    relaxation_bound: bool = True
    """Also bound the objective with the aggregated relaxation (`scheduler.bound`): beside
    the block search in a child process, or after a direct search that proved nothing."""


@dataclass
class SolveStats:
    """Timings and sizes of one solve, filled in when passed to `solve` (for benchmarks).

    Times are seconds since `solve` was called, so they include the model build.
    """

    build_seconds: float = 0.0
    first_solution_seconds: float | None = None
    best_solution_seconds: float | None = None
    solutions: int = 0
    candidate_pairs: int = 0
    variables: int = 0
    constraints: int = 0
    relaxation: AggregateBound | None = None
    """The aggregated relaxation's bound, when it was computed."""
    counting: int | None = None
    """The counting bound (`scheduler/counting.py`), when it was computed."""
    errors: list[str] = field(default_factory=list)
    """Errors that stopped a background search (the solve went on without it; each was
    logged as a warning): a benchmark fails on them."""
    backstop: bool = False
    """Stopped on work (`SolveOptions.deterministic_time`), the clock's backstop came
    first somewhere (the relaxation's child, or the parent's searches and waits, on
    either path): the schedule may follow the clock, and another run may differ (logged
    as a warning)."""


def _shifted(progress: Progress, shift: int) -> Progress:
    """`progress` told costs `shift` higher (`keep.anchor_shift`); itself when 0."""
    if not shift:
        return progress

    def report(elapsed: float, objective: float | None, bound: float | None) -> None:
        progress(
            elapsed,
            None if objective is None else objective + shift,
            None if bound is None else bound + shift,
        )

    return report


def solve(
    instance: Instance,
    instance_hash: str,
    options: SolveOptions = SolveOptions(),
    progress: Progress | None = None,
    reference: Solution | None = None,
    stats: SolveStats | None = None,
) -> Solution:
    """Compose and place workshops; the Solution explains its score and what is unscheduled.

    `stats`, when given, receives the build time, sizes and the times of the first
    and the best schedule.
    """
    started = time.perf_counter()
    candidates = candidate_table(instance)
    conflicts = pin_conflicts(instance, candidates)
    if conflicts:
        # pins that cannot all hold, each proposal alone (no candidate slot) or together:
        # no schedule keeps every rule, whatever the search (the block path's greedy start
        # would otherwise end with no schedule and no verdict)
        return Solution(
            instance=instance.name,
            instance_hash=instance_hash,
            status=Status.INFEASIBLE,
            seconds=round(time.perf_counter() - started, 3),
            seed=options.seed,
            workers=options.workers,
            revision=0 if reference is None else reference.revision + 1,
            unscheduled=_without_schedule(instance, candidates, conflicts),
        )
    if progress is not None and reference is not None and instance.kept_moment is not None:
        from scheduler.keep import anchor_shift

        progress = _shifted(progress, anchor_shift(instance, reference))
    pairs = candidate_pairs(candidates)
    limit = options.direct_limit * (1 if reference is None else RESOLVE_DIRECT_FACTOR)
    if pairs > limit:
        solution = _solve_by_blocks(
            instance, instance_hash, options, candidates, started, progress, stats, reference
        )
    else:
        path = _DirectPath(instance, instance_hash, options, candidates, started, reference)
        solution = path.solve(progress, stats)
    if reference is not None and instance.kept_moment is not None:
        from scheduler.keep import anchor

        anchor(instance, reference, solution)  # (no talk given moved into the past)
    if reference is not None:
        solution.revision = reference.revision + 1
        # its calendar events carried on from the reference's (`calendar_events`)
        solution.events = calendar_events([reference, solution])[-1]
    if solution.has_schedule:
        solution.settle_status()  # (whichever path's bound reached the cost)
        # the validator lists the penalties, whichever path found the schedule: the
        # model's terms counted three parallel slots of one language as three pairs, the
        # validator as two lines, and the same schedule had two lists
        solution.penalties = validate(instance, solution, reference).penalties()
    placed = solution.workshop_of()
    solution.titles = {p.id: p.title for p in instance.proposals if p.id in placed}
    solution.speakers = {p.id: list(p.speakers) for p in instance.proposals if p.id in placed}
    named = {s for speakers in solution.speakers.values() for s in speakers}
    recorded = [s for s in instance.speakers if s.id in named]
    solution.speaker_names = {s.id: s.name for s in recorded}
    solution.speaker_affiliations = {s.id: s.affiliation for s in recorded if s.affiliation}
    return solution


class _Path:
    """What both paths of `solve` share: the instance and its candidates, the options,
    the solve's start and the published schedule of a re-solve; where progress is shown
    and the run's facts go."""

    def __init__(
        self,
        instance: Instance,
        instance_hash: str,
        options: SolveOptions,
        candidates: CandidateTable,
        started: float,
        reference: Solution | None,
    ):
        self.instance, self.instance_hash, self.options = instance, instance_hash, options
        self.candidates, self.started, self.reference = candidates, started, reference
        self.progress: Progress | None = None
        self.stats: SolveStats | None = None
        self.backstop = False  # on work: a clock backstop came first somewhere

    def _better(self) -> float:
        """A better schedule than any before, timed and counted in the stats; the
        seconds since the start."""
        now = round(time.perf_counter() - self.started, 3)
        if self.stats is not None:
            if self.stats.first_solution_seconds is None:
                self.stats.first_solution_seconds = now
            self.stats.best_solution_seconds = now
            self.stats.solutions += 1
        return now

    def tell_backstop(self) -> None:
        """On work, a clock backstop that came first said (a warning) and in the stats."""
        if self.backstop:
            # (a loaded machine, or a time limit too short for the work asked)
            logger.warning(
                "stopped on work, but the time limit (%gs, a backstop) came first: this "
                "schedule may follow the clock, and another run may give another; more "
                "time, or less deterministic time, keeps the run to its work",
                self.options.time_limit,
            )
        if self.stats is not None:
            self.stats.backstop = self.backstop


class _DirectPath(_Path):
    """One solve on the direct path (Commons AI size): the relaxation in a child process,
    the CP-SAT model and a start schedule built meanwhile, then CP-SAT's search from
    the best start, unless the relaxation's exact optimum is already a schedule of the
    model reaching its bound."""

    known: int | None = None  # the relaxation's bound
    start: int | None = None  # the start's objective, reported already
    forced = 0  # a re-solve's forced moves (`forced_moves`), in every bound but CP-SAT's
    later: PendingBound | None = None  # the relaxation, when it goes on beside the search
    late: AggregateBound | None = None  # its answers heard by then and since, in one
    optimum = False  # that is an exact optimum, a schedule at its bound
    raw: AggregateBound | None = None  # the last answer heard, as it came (`heard`)

    def solve(self, progress: Progress | None, stats: SolveStats | None) -> Solution:
        """The direct path's schedule, its progress shown and its facts in `stats`."""
        self.progress, self.stats = progress, stats
        instance, candidates, options = self.instance, self.candidates, self.options
        self.forced = forced_moves(instance, candidates, self.reference)
        pending = None
        if options.relaxation_bound:
            # The relaxation drops little at this size (speaker clashes across cliques,
            # together/apart): solved exactly, it often is an optimal schedule, and its
            # bound then ends the search at the first schedule that reaches it. Its child
            # process starts first; the model and the greedy schedule are built meanwhile.
            # By the clock it is waited for `RELAXATION_SECONDS` at most and goes on beside
            # the search, nearly to the time limit; on work the clock is a backstop only
            by_clock = options.deterministic_time is None
            waited = min(RELAXATION_SECONDS, 0.5 * options.time_limit)
            pending = PendingBound(
                instance,
                candidates,
                time_limit=max(waited, options.time_limit - max(0.5, 0.03 * options.time_limit))
                if by_clock
                else 0.5 * options.time_limit,
                work=_relaxation_work(options),
                wait=waited if by_clock else None,
            )
        from scheduler.model import WorkshopModel

        built = WorkshopModel(instance, candidates, reference=self.reference)
        # (the model alone: the relaxation's solve, waited for below, is not its build)
        build_seconds = round(time.perf_counter() - self.started, 3)
        baseline = self.first_schedule()
        relaxation = None
        if pending is not None:
            relaxation = self.raw = pending.final()
            if not by_clock and relaxation is not None:
                # its answer given past its deadline (`AggregateBound.backstop`), or none
                # by the end of the wait for it without an error (stopped, or it died)
                self.backstop |= relaxation.backstop or (
                    relaxation.method == "none" and not pending.errors
                )
            if stats is not None:
                stats.relaxation = relaxation
                stats.errors = pending.errors
            if relaxation is not None and self.forced:
                # the relaxation leaves `moved` out: with the moves every schedule must make,
                # a bound of the re-solve, as on the block path, and the search stops at a
                # schedule reaching it (without them, the bundled instance with a published
                # slot closed, re-solved in 2 s, wrote bound 0 against 2300: now 200)
                relaxation = replace(relaxation, value=relaxation.value + self.forced)
            if progress is not None and relaxation is not None:
                progress(time.perf_counter() - self.started, None, float(relaxation.value))
        baseline = self.hinted(built, baseline, relaxation)
        logger.info(
            "model built in %.2fs: %d assignment variables", build_seconds, len(built.vars.assign)
        )
        if stats is not None:
            proto = built.model.proto
            stats.build_seconds = build_seconds
            stats.candidate_pairs = len(built.vars.assign)
            stats.variables = len(proto.variables)
            stats.constraints = len(proto.constraints)
        self.known = relaxation.value if relaxation is not None else None
        # CP-SAT's first schedules may be worse than the start it was given (reported
        # already): the time of the best schedule and the progress are the start's until
        # CP-SAT beats it
        self.start = baseline.objective if baseline is not None and baseline.has_schedule else None
        if pending is not None and pending.going_on:
            self.later, self.late = pending, relaxation
        try:
            outcome = self.search(built, relaxation)
            if self.later is not None:
                self.heard(self.later.latest())
        finally:
            if self.later is not None:
                self.later.stop()
        if self.later is not None and self.late is not relaxation:
            baseline, relaxation, outcome = self.taken_in(built, baseline, relaxation, outcome)
            if stats is not None:
                stats.relaxation = relaxation
                stats.errors = pending.errors
        self.tell_backstop()
        return self.result(built, outcome, baseline, relaxation)

    def heard(self, answer: AggregateBound | None) -> None:
        """The relaxation's answers, as they are after the search began: a higher bound
        shown."""
        if answer is self.raw:
            return
        self.raw = answer
        if self.forced:  # (a re-solve's: as the answer before the search)
            answer = replace(answer, value=answer.value + self.forced)
        self.late = answer
        if self.known is None or answer.value > self.known:
            self.known = answer.value
            self.on_bound(float(answer.value))
        if answer.exact and self.reference is None:
            scored = _scored(self.instance, self.instance_hash, answer.schedule)
            self.optimum = scored is not None and scored.objective == answer.value

    def optimum_came(self) -> bool:
        """Asked during the search: the relaxation's answers since, taken in; whether an
        exact optimum that is a schedule at its bound came (the search is then done)."""
        self.heard(self.later.latest())
        return self.optimum

    def taken_in(
        self,
        built: WorkshopModel,
        baseline: Solution | None,
        relaxation: AggregateBound | None,
        outcome: Outcome,
    ) -> tuple[Solution | None, AggregateBound, Outcome]:
        """The start, the relaxation and the outcome with the relaxation's answers heard
        during the search. An exact optimum that is a schedule at its bound is the
        result as if it had come before the search (the same file: a loaded machine's
        relaxation took 6-10 s, and the search from first fit alone ended at 80, bound 70,
        on the bundled instance after 60 s, where it proves 75); else its bound counts, and
        its schedule, mended where it breaks a rule, is the result if it is the better."""
        late = self.late
        logger.info(
            "the relaxation's answer came during the search: %d%s",
            late.value,
            ", exact" if late.exact else "",
        )
        if self.optimum:
            built.model.clear_hints()  # (the search's start: hinted again, as on time)
            built.hinted = None
            baseline = self.hinted(built, baseline, late)
            return baseline, late, self.search(built, late)
        if self.reference is None:
            mended = _scored(self.instance, self.instance_hash, late.schedule, self.candidates)
            if mended is not None and (
                baseline is None
                or not baseline.has_schedule
                or mended.objective < baseline.objective
            ):
                baseline = mended
                found = _status(outcome.status) in (Status.OPTIMAL, Status.FEASIBLE)
                if not found or mended.objective < outcome.objective_value:
                    self.reached(baseline.objective)
        return baseline, late, outcome

    def reached(self, objective: float, bound: float | None = None) -> None:
        """A better schedule than any before: timed, counted and shown."""
        self._better()
        if self.progress is not None:
            self.progress(time.perf_counter() - self.started, float(objective), bound)

    def on_solution(self, objective: float, bound: float) -> None:
        if self.known is not None:
            bound = max(bound, self.known)
        if self.start is not None and objective >= self.start:
            if self.progress is not None:
                self.on_bound(bound)
            return
        self.reached(objective, bound)

    def on_bound(self, bound: float) -> None:
        if self.progress is not None:
            shown = bound if self.known is None else max(bound, self.known)
            self.progress(time.perf_counter() - self.started, None, shown)

    def first_schedule(self) -> Solution | None:
        """The search's start before the relaxation's answer: a re-solve's from the
        published schedule where it still holds, first fit for the rest (the block
        path's start), `moved` counted: a complete hint, and the result if CP-SAT finds
        nothing better. The published schedule itself as a partial hint would leave
        CP-SAT to repair the workshop of the cancelled proposal: a generated
        100-proposal tight instance re-solved so in 5 s wrote 6580 with 91 proposals
        moved. Else first fit."""
        instance, candidates = self.instance, self.candidates
        baseline = None
        if self.reference is not None:
            # (hinted later, once its proposals left out are placed where they can be)
            baseline = reference_schedule(instance, self.instance_hash, candidates, self.reference)
        else:
            baseline = greedy_solution(instance, self.instance_hash, candidates)
        if baseline is not None and baseline.has_schedule:
            self.reached(baseline.objective)
        return baseline

    def hinted(
        self,
        built: WorkshopModel,
        baseline: Solution | None,
        relaxation: AggregateBound | None,
    ) -> Solution | None:
        """Hint the model with the best start known, and return the start the result
        falls back to if CP-SAT finds nothing better."""
        instance, instance_hash, candidates = self.instance, self.instance_hash, self.candidates
        reference = self.reference
        given = reference is None and relaxation is not None and bool(relaxation.schedule)
        # an exact optimum of the relaxation that holds every rule is the model's complete
        # hint; one that does not (talks of their own length that overrun) is mended like
        # an unproven one (a generated 60-proposal instance with two such talks: the
        # broken hint left CP-SAT at 2379-3239 in 8 s, its bound 1248)
        exact = (
            given
            and relaxation.exact
            and _scored(instance, instance_hash, relaxation.schedule) is not None
        )
        unproven = None  # else the relaxation's schedule, mended where it breaks a rule
        if given and not exact:
            unproven = _scored(instance, instance_hash, relaxation.schedule, candidates)
        if (
            not exact
            and baseline is not None
            and baseline.has_schedule
            and _waiting(baseline, candidates)
        ):
            # the search starts from first fit: what it left out placed first by the block
            # search's relocations (a tenth of the time limit or of the work), which
            # CP-SAT with little time does not do (a generated 60-proposal tight instance
            # stopped on 1 unit of work: first fit's 8325, seven placeable proposals out,
            # written; the relocations give 1440 with all of them placed in 0.1-0.6 s). A
            # re-solve's start too, `moved` counted: the members of the cancelled
            # proposal's workshop are left to them (`Greedy.keep`), and CP-SAT alone
            # placed them only after 10 s on a generated 100-proposal instance (bench.fuzz
            # seed 40: 4515 with three placeable proposals out after 1 s, 2555 with one
            # after 5 s, 1545 after 10 s)
            began = time.perf_counter()
            relocated = _relocated(instance, candidates, baseline, self.options, began, reference)
            if self.options.deterministic_time is not None:
                # (on work their backstop is the whole time limit from here)
                self.backstop |= time.perf_counter() >= began + self.options.time_limit
            if relocated.objective < baseline.objective:
                baseline = relocated
                self.reached(baseline.objective)
        if reference is not None:
            if baseline.has_schedule:
                built.hint(baseline, complete=True)
            else:
                built.hint(reference, complete=False)
        if exact:
            # deterministic (an exact optimum of the relaxation); a complete hint, so
            # CP-SAT's first schedule is this one whenever it holds every rule
            built.hint(schedule_of_workshops(instance, relaxation.schedule), complete=True)
        elif unproven is not None and (
            baseline is None or not baseline.has_schedule or unproven.objective < baseline.objective
        ):
            # branch and bound's best schedule (stopped by its limit, or mended) beats
            # first fit: CP-SAT starts from it, and it is the result if CP-SAT finds
            # nothing better (a generated 100-proposal instance, --time-limit 8: 3520 from
            # first fit with two placeable proposals out, the relaxation's 1270 beside it;
            # 1375 from it as a partial hint). Deterministic too: stopped on work, branch
            # and bound ends at the same point
            baseline = unproven
            built.hint(baseline, complete=True)
            self.reached(baseline.objective)
        elif baseline is not None and reference is None:  # (a re-solve's start is hinted)
            # The direct search keeps the hint partial (assignments, uses, themes,
            # languages, shapes): its single-worker finder reached the bundled optimum
            # after 5-11 s from the partial hint and 31-43 s from a completed one (seeds 0
            # and 1).
            built.hint(baseline, complete=False)
        return baseline

    def search(self, built: WorkshopModel, relaxation: AggregateBound | None) -> Outcome:
        """CP-SAT's search on the model, unless the relaxation's optimum is a schedule
        of the model reaching its bound: proven optimal without a search (the race
        stopped at it anyway, 0.3-0.5 s later)."""
        from ortools.sat.python import cp_model

        from scheduler.search import Outcome, objective_of, search

        options = self.options
        hinted = built.hinted
        if (
            relaxation is not None
            and relaxation.exact
            and hinted is not None
            and round(objective_of(built.model, hinted.response_proto)) == relaxation.value
        ):
            value = float(relaxation.value)
            self.on_solution(value, value)
            return Outcome(cp_model.OPTIMAL, value, value, hinted)
        # by the clock, what is left of the time limit; stopped on work the limit is a
        # backstop, whole (cut short, the file would depend on the machine)
        left = options.time_limit
        if options.deterministic_time is None:
            left -= time.perf_counter() - self.started
        going_on = self.later is not None and not self.later.finished
        outcome = search(
            built.model,
            time_limit=max(SEARCH_LEAST, left),
            seed=options.seed,
            workers=options.workers,
            on_solution=self.on_solution,
            on_bound=self.on_bound,
            deterministic_time=options.deterministic_time,
            lower_bound=None if relaxation is None else relaxation.value,
            stop=self.optimum_came if going_on else None,
        )
        work, solver = options.deterministic_time, outcome.solver
        proven = outcome.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
        if work is not None and not proven and solver is not None:
            # neither proven nor its work spent: CP-SAT's own clock limit, a backstop, came
            # first (its wall time may then read a little under that limit)
            self.backstop |= solver.deterministic_time < work
        return outcome

    def result(
        self,
        built: WorkshopModel,
        outcome: Outcome,
        baseline: Solution | None,
        relaxation: AggregateBound | None,
    ) -> Solution:
        """The Solution of CP-SAT's outcome, or of the start when CP-SAT had nothing
        better."""
        instance, candidates, options = self.instance, self.candidates, self.options
        status = _status(outcome.status)
        seconds = round(time.perf_counter() - self.started, 3)
        if status is Status.INFEASIBLE and baseline is not None and baseline.has_schedule:
            # a contradiction: the model has no schedule, yet the start holds every rule by
            # the validator's count; the model is at fault (a rule it states more tightly
            # than the rule book): the start is written, said feasible, and the fault is
            # logged as an error, which fails a benchmark
            message = (
                f"CP-SAT found the model infeasible, yet a schedule holding every rule "
                f"(objective {baseline.objective}) exists: a defect of the model, please "
                f"report it with the instance; that schedule is written instead"
            )
            logger.error(message)
            if self.stats is not None:
                self.stats.errors.append(message)
            status = Status.UNKNOWN
        found = status in (Status.OPTIMAL, Status.FEASIBLE)
        if (
            baseline is not None
            and baseline.has_schedule
            and status is not Status.INFEASIBLE
            and (not found or outcome.objective_value > baseline.objective)
        ):
            # CP-SAT ran out of time before it had (or bettered) the greedy schedule it
            # was hinted, e.g. still presolving a large model: return that schedule.
            result = _from_baseline(baseline, options, outcome if found else None, seconds)
            _explain_unscheduled(result, instance, candidates)
            result.bound = max(result.bound or 0, trivial_bound(instance, candidates) + self.forced)
            _raise_bound(result, relaxation)
            return result
        solution = Solution(
            instance=instance.name,
            instance_hash=self.instance_hash,
            status=status,
            seconds=seconds,
            seed=options.seed,
            workers=options.workers,
        )
        if found:
            solution.objective = int(round(outcome.objective_value))
            solution.bound = max(
                int(round(outcome.best_objective_bound)),
                trivial_bound(instance, candidates) + self.forced,
            )
            _raise_bound(solution, relaxation)
            _fill(solution, instance, built, outcome, candidates)
        else:
            solution.unscheduled = _without_schedule(instance, candidates)
        return solution


def _without_schedule(
    instance: Instance, candidates: CandidateTable, conflicts: dict[str, list[str]] | None = None
) -> list[Unscheduled]:
    """What a result without a schedule lists: the proposals with no candidate slot, with
    the candidates' reasons, and those the pins' `conflicts` name, with theirs; without
    conflicts, the pinned proposals too (the pins with the other rules are then the
    likeliest cause; their candidates' reasons would only say where they are not)."""
    listed = []
    for p in instance.proposals:
        if conflicts and p.id in conflicts:
            reasons = conflicts[p.id]
        elif not candidates.slots[p.id]:
            reasons = candidates.reasons(p.id) or [catalog.NO_CANDIDATE.format()]
        elif p.pin is not None and not conflicts:
            reasons = [catalog.PINNED_NO_SCHEDULE.format(slot=p.pin)]
        else:
            continue
        listed.append(Unscheduled(proposal=p.id, reasons=reasons))
    return listed


def left_out_anyway(instance: Instance, solution: Solution) -> set[str]:
    """The proposals a result without a schedule lists (`_without_schedule`) that do not
    stop a schedule: unpinned, with no `together` partner pinned. Only pins force a
    proposal in; such a one is listed for having no candidate slot, and a schedule
    simply leaves it out (a failed pin's message listed under "Cannot be placed as
    asked" an initiative whose two speakers are never there together: the coordinator
    looked for a second thing to fix)."""
    if solution.has_schedule:
        return set()
    pinned = {p.id for p in instance.proposals if p.pin is not None}
    tied = {
        member
        for group in instance.constraints.together
        if pinned.intersection(group.proposals)
        for member in group.proposals
    }
    return {u.proposal for u in solution.unscheduled} - pinned - tied


def _raise_bound(solution: Solution, relaxation: AggregateBound | None) -> None:
    """Take the relaxation's bound when it is higher (never above the schedule's cost);
    a schedule whose cost the bound reaches is optimal, whichever search proved it (the
    prover's schedule at the time limit, at the relaxation's bound, was written as
    feasible with a gap of 0)."""
    if relaxation is not None and relaxation.value > solution.objective:
        logger.warning(
            "relaxation bound %d above a valid schedule's cost %d: ignored",
            relaxation.value,
            solution.objective,
        )
    elif relaxation is not None:
        solution.bound = max(solution.bound, relaxation.value)
    solution.settle_status()


def _scored(
    instance: Instance,
    instance_hash: str,
    schedule: dict[str, tuple[str, list[str]]] | None,
    candidates: CandidateTable | None = None,
) -> Solution | None:
    """The relaxation's schedule as a Solution scored by the validator; where it breaks
    a rule, None, or given the `candidates`, mended (`repaired_schedule`; None if even
    that has no schedule)."""
    if not schedule:
        return None
    solution = schedule_of_workshops(instance, schedule)
    solution.instance_hash = instance_hash
    report = validate(instance, solution)
    if not report.ok and candidates is None:
        logger.info("the relaxation's schedule breaks %s", report.violations[0].rule)
        return None
    if not report.ok:
        # (a generated 100-proposal instance under "keynotes 0-1": the relaxation's exact
        # optimum, 1070, split a `together` pair between two workshops and was dropped,
        # and the block search ended at 6591, 8 s by the clock; mended, it cost 3416,
        # and the block search ended at 3316)
        repaired = repaired_schedule(instance, instance_hash, candidates, solution)
        logger.info(
            "the relaxation's schedule breaks %s: mended, %s",
            report.violations[0].rule,
            repaired.objective if repaired.has_schedule else "no schedule",
        )
        return repaired if repaired.has_schedule else None
    solution.objective = report.objective
    solution.penalties = report.penalties()
    return solution


def _explain_unscheduled(
    solution: Solution, instance: Instance, candidates: CandidateTable
) -> None:
    """Each proposal the schedule leaves out with its reasons: why each candidate slot
    did not take it, then why the other slots never could (those were left out: a
    proposal whose speaker is away two days of three had reasons for one)."""
    solution.unscheduled = [
        Unscheduled(
            proposal=entry.proposal,
            reasons=(
                unplaced_reasons(instance, entry.proposal, candidates, solution)
                if candidates.slots[entry.proposal]
                else []
            )
            + candidates.reasons(entry.proposal),
        )
        for entry in solution.unscheduled
    ]


def _members(solution: Solution) -> tuple[dict[str, list[str]], dict[str, str]]:
    """A schedule's members and theme per slot."""
    members = {w.slot: list(w.proposals) for w in solution.workshops}
    return members, {w.slot: w.theme for w in solution.workshops}


def candidate_pairs(candidates: CandidateTable) -> int:
    """How many (proposal, candidate slot) pairs there are."""
    return sum(len(s) for s in candidates.slots.values())


def _relaxation_work(options: SolveOptions) -> int | None:
    if options.deterministic_time is None:
        return None
    return max(1, round(RELAXATION_WORK * options.deterministic_time))


def _from_baseline(
    baseline: Solution, options: SolveOptions, solver: Outcome | None, seconds: float
) -> Solution:
    """The start CP-SAT was given (the greedy schedule, or the relaxation's) as the
    result, with CP-SAT's bound when it proved one."""
    result = baseline.model_copy(deep=True)
    result.status = Status.FEASIBLE
    result.seconds = seconds
    result.seed = options.seed
    result.workers = options.workers
    if solver is not None and solver.best_objective_bound <= baseline.objective:
        result.bound = int(round(solver.best_objective_bound))
    return result


def _solve_by_blocks(
    instance: Instance,
    instance_hash: str,
    options: SolveOptions,
    candidates: CandidateTable,
    started: float,
    progress: Progress | None,
    stats: SolveStats | None,
    reference: Solution | None = None,
) -> Solution:
    """Large instances: greedy schedule (its whole workshops moved where they cost less,
    above `IMPROVE_PAIRS`), the aggregated relaxation's searches in a child process (a
    bound up to LP size, and schedules: by whole cliques, or by parts of cliques where
    the program is too large to bound), then relocations and block-by-block
    improvement.

    A re-solve (`reference`) starts from the published schedule where it still holds,
    first fit for the rest, and improves it by blocks only, `moved` counted in every
    round: the relaxation and the whole-workshop moves know nothing of `moved` (the
    counting bound, which leaves it out, stays a bound)."""
    path = _BlockPath(instance, instance_hash, options, candidates, started, reference)
    return path.solve(progress, stats)


class _BlockPath(_Path):
    """One solve on the block path (`_solve_by_blocks`): the block search's objective and
    the best reported, and what the relaxation's child has sent (its best bound, a
    schedule better than the block search's not yet taken over, whether it searches by
    cliques) and whether the block search stopped or waited for it."""

    def __init__(self, *arguments: Any):
        super().__init__(*arguments)
        instance, options, started = self.instance, self.options, self.started
        self.clock = options.deterministic_time is None
        # leave time to write the schedule, its reasons and the validator's recomputation
        self.deadline = started + options.time_limit - min(8.0, 0.12 * options.time_limit)
        # when the whole-workshop moves end by the clock: before the deadline, with time
        # for what follows them (scoring their schedule, the block search's set-up, the
        # child's last answer: 4-5 s at 4000 proposals); on work at the time limit, a
        # backstop there
        self.moves_until = (
            min(self.deadline, started + options.time_limit - 0.001 * len(instance.proposals))
            if self.clock
            else started + options.time_limit
        )
        # Beside the whole search, in a child process: a bound, and for an integer program
        # (150 proposals) schedules from the greedy one that may beat the block search's.
        # Its answers need little work after them (decode, validate), so it may run
        # nearly to the end; HiGHS overruns its own limit by a few tenths of a second,
        # which the final wait allows.
        # (the parent's last steps, decoding and validating the child's schedule and the
        # reasons for what is left out, take about 2 ms per proposal: 4 s at 2000)
        self.child_deadline = (
            started
            + options.time_limit
            - max(0.5, 0.03 * options.time_limit, 0.002 * len(instance.proposals))
        )
        self.pending: PendingBound | None = None
        self.objective = 0  # the block search's current objective
        self.reported: int | None = None  # the best reported (the child's come any time)
        self.bound: AggregateBound | None = None  # the child's best
        self.schedule: Solution | None = None  # the child's, better, not yet taken over
        self.cliques = False  # the child searches by cliques
        self.stopped = False  # the block search stopped for the child
        self.waited = False  # the block search waited for the child's last answer

    def solve(self, progress: Progress | None, stats: SolveStats | None) -> Solution:
        """The block path's schedule, its progress shown and its facts in `stats`."""
        self.progress, self.stats = progress, stats
        # the counting bound (0.1-0.9 s, in a process of its own), a floor for the bound
        self.floor = counting_bound_later(self.instance, self.candidates)
        instance, candidates, options = self.instance, self.candidates, self.options
        # a re-solve: the aggregated program's LP too (in a process of its own, 0.5 s at
        # 278 proposals, 5-7 s at 600), a bound of the instance without `moved` as the
        # counting bound is, and mostly a far better one; with the forced moves, each a
        # floor for the bound
        self.forced = forced_moves(instance, candidates, self.reference)
        self.fresh: LaterBound | None = None
        small = candidate_pairs(candidates) <= RESOLVE_LP_PAIRS
        if self.reference is not None and options.relaxation_bound and small:
            limit = max(0.1, self.child_deadline - time.perf_counter())
            self.fresh = LaterBound(Background(relaxation_lp, (instance, candidates, limit)))
        if self.reference is None:
            start = greedy_solution(instance, self.instance_hash, candidates, on_built=self.built)
        else:
            start = reference_schedule(instance, self.instance_hash, candidates, self.reference)
            self.built()
        if self.stats is not None:
            self.stats.build_seconds = round(time.perf_counter() - self.started, 3)
            self.stats.candidate_pairs = candidate_pairs(candidates)
        if not start.has_schedule:
            self.floor.stop()
            if self.fresh is not None:
                self.fresh.stop()
            if candidate_pairs(candidates) <= WITHOUT_START_PAIRS:
                logger.info("the start kept no schedule: the direct model, from no start")
                path = _DirectPath(
                    instance, self.instance_hash, options, candidates, self.started, self.reference
                )
                return path.solve(progress, stats)
            start.seconds = round(time.perf_counter() - self.started, 3)
            return start
        self.objective = start.objective
        # shown at once (at 4000 proposals the moves and relocations after it take 10 s)
        self.report(start.objective)
        improve = candidate_pairs(candidates) > IMPROVE_PAIRS and self.reference is None
        moves = candidate_pairs(candidates) > PROPOSAL_MOVES_PAIRS  # and single proposals
        if options.relaxation_bound and self.reference is None:
            self.pending = PendingBound(
                instance,
                candidates,
                time_limit=self.child_deadline - 0.6 - time.perf_counter(),
                start=None if improve else _members(start),
                seed=options.seed,
                work=_relaxation_work(options),
                start_later=improve,
            )
        if improve:
            start = self.improved_start(start, moves)
        from scheduler.decompose import solve_by_blocks  # OR-Tools, once the child runs

        self.solve_by_blocks = solve_by_blocks
        self.objective = start.objective
        self.report(start.objective)
        if self.pending is not None and improve and self.clock:
            # the child announces its search by cliques as soon as it has the start: wait
            # for it, rather than a block round beside it (3 s on a core of the two at 600)
            for relaxation in self.pending.updates(wait=ANNOUNCEMENT_WAIT):
                self.take(relaxation)
        result, search = self.search(start)
        if self.pending is not None:
            self.read_the_rest()
        better = self.schedule
        if better is not None and better.objective < result.objective:
            # the child's last schedule came after the block search's deadline
            logger.info("taking the relaxation's last schedule (%d)", better.objective)
            result, search = self.blocks(better, time.perf_counter(), options.deterministic_time)
        late = self.clock and time.perf_counter() > self.deadline
        if self.pending is not None and candidate_pairs(candidates) > IMPROVE_PAIRS and not late:
            # the search by cliques frees two cliques (or parts of them) at a time: whole
            # workshops may still move between others (bench-600-easy 11570 -> 11465 in 0.6 s)
            ending = self.child_deadline if self.clock else self.moves_until
            final = improved_schedule(
                instance, self.instance_hash, result, candidates, moves, ending
            )
            self.past(ending)
            if final is not result:
                self.report(final.objective)
                result = final
        return self.finished(result, search)

    def built(self) -> None:
        """The first schedule exists here; the validator's scoring of it follows."""
        if self.stats is not None:
            self.stats.first_solution_seconds = round(time.perf_counter() - self.started, 3)

    def report(self, objective: int) -> None:
        """Count and show a better objective, with the counting bound once it has come."""
        if self.reported is not None and objective >= self.reported:
            return
        self.reported = objective
        now = self._better()
        if self.progress is not None:
            floor = self.floor_now()
            self.progress(now, float(objective), None if floor is None else float(floor))

    def heartbeat(self) -> None:
        """While the block search solves (every 0.2 s of its CP-SAT solves): the progress
        line again, its clock on (piped, a line at most every `cli.HEARTBEAT_SECONDS`
        without news: a 278-proposal re-solve showed nothing from 0.9 s to 24.6 s and
        looked stuck)."""
        if self.progress is not None and self.reported is not None:
            floor = self.floor_now()
            self.progress(
                time.perf_counter() - self.started,
                float(self.reported),
                None if floor is None else float(floor),
            )

    def floor_now(self) -> int | None:
        """The bound known so far without waiting: the counting bound (in a re-solve, the
        best of it and the LP's, plus the forced moves), None before any has come."""
        counted = self.floor(0.0)
        fresh = None if self.fresh is None else self.fresh(0.0)
        known = [b for b in (counted, fresh) if b is not None]
        return max(known) + self.forced if known else None

    def improved_start(self, start: Solution, moves: bool) -> Solution:
        """First fit opens a workshop per keynote: whole workshops merged or moved where
        they cost less (bench-2000-easy 109245 -> 85250 in 5-7 s, 600-easy 18615 ->
        14805), then the block search's relocations place what first fit left out, while
        the child builds its program, then sent to it. By the clock no later than the
        block search's deadline (at 4000 proposals the moves took 12 s, and a 20 s solve
        22-25 s); on work the backstop only."""
        instance, candidates = self.instance, self.candidates
        start = improved_schedule(
            instance, self.instance_hash, start, candidates, moves, self.moves_until
        )
        if 0 < _waiting(start, candidates) <= RELOCATE_FIRST * len(instance.proposals):
            start = _relocated(instance, candidates, start, self.options, self.started)
        self.past(self.moves_until)  # (on work, the relocations' backstop too)
        if self.pending is not None:
            self.pending.send_start(_members(start))
        return start

    def past(self, deadline: float) -> None:
        """On work: a search or a wait that ends at `deadline` by the clock, a backstop
        there, has ended at it (cut by it, so the schedule may follow the clock)."""
        if not self.clock and time.perf_counter() >= deadline:
            self.backstop = True

    def accepted(self, search: BlockSearch) -> None:
        self.objective += search.objective_delta
        self.report(self.objective)

    def take(self, relaxation: AggregateBound | None, schedule: bool = True) -> None:
        """Take in an answer of the child: its bound, and its schedule if it is better."""
        if relaxation is None:  # the child found nothing (more) in time
            return
        self.backstop |= relaxation.backstop
        self.cliques |= relaxation.by_cliques and self.clock
        if self.bound is None or relaxation.value >= self.bound.value:
            self.bound = relaxation
            if self.progress is not None:  # (never below the counting bound once shown)
                counted = self.floor(0.0)
                shown = relaxation.value if counted is None else max(relaxation.value, counted)
                self.progress(time.perf_counter() - self.started, None, float(shown))
        if schedule and relaxation.schedule:
            candidate = _scored(
                self.instance, self.instance_hash, relaxation.schedule, self.candidates
            )
            beaten = self.objective if self.schedule is None else self.schedule.objective
            if candidate is not None and candidate.objective < beaten:
                self.schedule = candidate
                self.report(candidate.objective)

    def schedule_arrived(self) -> bool:
        """Between relocations: a schedule of the relaxation beats the current one (the
        machine is not left to the search by cliques while proposals wait)."""
        if self.pending is None:
            return False
        for relaxation in self.pending.updates():
            self.take(relaxation)
        return self.schedule is not None

    def relaxation_won(self) -> bool:
        """Between block rounds: stop when a schedule of the relaxation beats the current
        one, or to leave the machine to its search by cliques (once only)."""
        if self.pending is None:
            return False
        self.stopped = self.schedule_arrived() or (self.cliques and not self.waited)
        return self.stopped

    def child_answers(self) -> Iterator[AggregateBound]:
        """The child's answers as they come, until it ends (or its deadline)."""
        while not self.pending.finished and time.perf_counter() < self.child_deadline + 0.2:
            yield from self.pending.updates(wait=0.5)

    def blocks(
        self, current: Solution, deadline: float, work: float | None, **arguments
    ) -> tuple[Solution, BlockSearch]:
        """The block search from `current`."""
        options = self.options
        return self.solve_by_blocks(
            self.instance,
            self.candidates,
            current,
            options.seed,
            options.workers,
            deadline,
            work,
            reference=self.reference,
            **arguments,
        )

    def search(self, start: Solution) -> tuple[Solution, BlockSearch]:
        """The block search from `start`, beside the child, taking over its better
        schedules; on work after the child's search (its answers are the same whatever
        the clock, not when they come)."""
        options, pending = self.options, self.pending
        current, proven = start, False
        block_time = options.deterministic_time
        if pending is not None and not self.clock:
            # wait for all of them (the last holds the child's best schedule), then
            # search from the best
            self.waited = True
            answers = list(self.child_answers())
            self.backstop |= not self.pending.finished  # (its last answer not waited for)
            for number, relaxation in enumerate(answers, start=1):
                self.take(relaxation, schedule=number == len(answers))
            better, self.schedule = self.schedule, None
            if better is not None:
                self.objective, current = better.objective, better
                proven = self.bound.exact and better.objective == self.bound.value
            waiting = _waiting(current, self.candidates)
            block_time = (
                RELOCATIONS_AFTER_RELAXATION * options.deterministic_time if waiting else 0.0
            )
        while True:
            result, search = self.blocks(
                current,
                time.perf_counter() if proven else self.deadline,
                block_time,
                on_accept=self.accepted,
                on_round=self.heartbeat,
                # when the child answers depends on the clock: not in deterministic runs
                stop=self.relaxation_won if self.clock else None,
                stop_relocating=self.schedule_arrived if self.clock else None,
            )
            if not proven and search.deterministic_time < (block_time or 0.0):
                # its work not spent: ended by its neighbourhoods, or cut by the clock
                self.past(self.deadline - search.settings.margin)
            if self.cliques and not self.waited:
                # the relaxation's search by cliques moves proposals between blocks, which
                # the block search cannot, and does better with the machine to itself
                # (600 proposals, 30 s: 13400 / 10310 alone, 17230 / 10445 beside it)
                self.waited = True
                for relaxation in self.child_answers():
                    self.take(relaxation)
            better, self.schedule = self.schedule, None
            if better is None or better.objective >= result.objective:
                if self.stopped and not proven and time.perf_counter() < self.deadline - 0.5:
                    # the block search left the machine to the child, which ended with no
                    # better schedule (its exact optimum of a relaxation whose schedule
                    # breaks a rule): the block search goes on with what is left (a
                    # generated 100-proposal instance with talks of their own length
                    # stopped at 2.6 s of 8, 2205 against the bound 1120)
                    self.stopped = False
                    current = result
                    continue
                return result, search
            logger.info("continuing from the relaxation's schedule (%d)", better.objective)
            self.objective = better.objective
            current = better
            proven = self.bound.exact and better.objective == self.bound.value

    def read_the_rest(self) -> None:
        """The answers not read yet (the block search reads them between its rounds, not
        while it relocates), the child's last among them: their bounds, and the
        schedules of the cheapest on the program and of the last (a generated
        300-proposal instance relocated from 5.5 s to the end of its 8 s while the child
        sent a schedule the validator scores 25030, and wrote 35315-36340)."""
        unread = self.pending.updates()
        if not self.pending.finished:
            last = self.pending.result(wait=self.child_deadline + 0.2 - time.perf_counter())
            unread += [] if last is None else [last]
        worth = _worth_scoring(unread)
        for relaxation in unread:
            self.take(relaxation, schedule=any(relaxation is answer for answer in worth))

    def finished(self, result: Solution, search: BlockSearch) -> Solution:
        """`result` with its run's facts, its bound (the counting bound's, raised by the
        relaxation's), its status and the reasons for what it leaves out."""
        instance, candidates, options = self.instance, self.candidates, self.options
        if self.stats is not None:
            self.stats.variables, self.stats.constraints = search.largest_model
        result.instance_hash = self.instance_hash
        result.seed = options.seed
        result.workers = options.workers
        if self.clock:
            counted = self.floor(COUNTING_WAIT)
        else:  # its last bound, whenever it comes (its work is fixed; the clock a backstop)
            left = self.started + options.time_limit - time.perf_counter()
            counted = self.floor(max(COUNTING_WAIT, left), True)
            self.backstop |= not self.floor.finished
        self.floor.stop()
        result.bound = max(trivial_bound(instance, candidates), counted or 0)
        if self.fresh is not None:
            fresh = self._fresh_bound(result)
            result.bound = max(result.bound, fresh or 0)
        result.bound += self.forced
        if self.stats is not None:
            self.stats.counting = counted
            self.stats.relaxation = self.bound
            self.stats.errors = [] if self.pending is None else self.pending.errors
        _raise_bound(result, self.bound)
        _explain_unscheduled(result, instance, candidates)
        result.seconds = round(time.perf_counter() - self.started, 3)
        self.tell_backstop()
        return result

    def _fresh_bound(self, result: Solution) -> int | None:
        """A re-solve's LP bound (`relaxation_lp`, without `moved`): on work waited for
        (the same file whatever the clock), by the clock for `COUNTING_WAIT` at most; None
        when it has not come, or when with the forced moves it is above the schedule's
        cost (a defect: logged, and the bound left to the counting one)."""
        if self.clock:
            fresh = self.fresh(COUNTING_WAIT)
        else:
            left = self.started + self.options.time_limit - time.perf_counter()
            fresh = self.fresh(max(COUNTING_WAIT, left), True)
            self.backstop |= not self.fresh.finished
        self.fresh.stop()
        if fresh is not None and fresh + self.forced > result.objective:
            logger.warning(
                "relaxation bound %d with %d of forced moves above a valid schedule's cost "
                "%d: ignored",
                fresh,
                self.forced,
                result.objective,
            )
            return None
        return fresh


def _worth_scoring(answers: list[AggregateBound]) -> list[AggregateBound]:
    """Of the relaxation's answers with a schedule, the cheapest on the program and the
    last (each scored by the validator, 0.1-0.5 s at 300-600 proposals)."""
    scheduled = [answer for answer in answers if answer.schedule]
    if not scheduled:
        return []
    cheapest = min(scheduled, key=lambda answer: math.inf if answer.cost is None else answer.cost)
    return [cheapest, scheduled[-1]]


def _waiting(solution: Solution, candidates: CandidateTable) -> int:
    """How many proposals the schedule leaves out that have a candidate slot."""
    return sum(1 for entry in solution.unscheduled if candidates.slots[entry.proposal])


def _relocated(
    instance: Instance,
    candidates: CandidateTable,
    start: Solution,
    options: SolveOptions,
    started: float,
    reference: Solution | None = None,
) -> Solution:
    """The block search's relocations alone (`BlockSearch.place_waiting`): each proposal
    left out placed by re-solving the few slots it could go to, pushing others on. They
    take 0.1-0.5 s at 600 proposals and 1.3 s at 2000, where the search by cliques took
    5-9 s to place them (bench-600-tight-s7: 21405 -> 11520, ten proposals placed; the
    child then started from 21405). They have the same share of the time, or of the
    work, as the relocations after the relaxation's search: the child's search waits
    for them. On the direct path, the same for first fit before CP-SAT starts from it
    (from `started`: a tenth of the time limit from then). With `reference`, `moved`
    counts against it. On work, the clock is a backstop only, at the whole time limit
    from `started` (at a tenth of it, a process slowed by the machine's load relocated
    less than another run did)."""
    from scheduler.decompose import LnsSettings, solve_by_blocks

    budget = None
    deadline = started + RELOCATIONS_AFTER_RELAXATION * options.time_limit
    if options.deterministic_time is not None:
        budget = RELOCATIONS_AFTER_RELAXATION * options.deterministic_time
        deadline = started + options.time_limit
    relocated, _ = solve_by_blocks(
        instance,
        candidates,
        start,
        options.seed,
        options.workers,
        deadline,
        budget,
        stop=lambda: True,  # before the first block neighbourhood
        reference=reference,
        # up to their deadline: the search goes on after them (with the block search's
        # 0.2 s margin, a 2 s solve of a generated 100-proposal instance left them none)
        settings=LnsSettings(margin=0.0),
    )
    # (the block search's schedule names no instance file: the start's, which a written
    # result keeps; without it `validate` and `export` said the instance file had
    # changed since)
    relocated.instance_hash = start.instance_hash
    return relocated if relocated.objective < start.objective else start


def forced_moves(instance: Instance, candidates: CandidateTable, reference: Solution | None) -> int:
    """The least `moved` cost of any schedule: each published proposal still in the
    instance whose published slot can no longer take it (closed, gone, its speaker now
    away, pinned elsewhere) moves or leaves, and counts as moved either way. The
    counting bound leaves `moved` out, so the two add up (a re-solve after a room was
    lost had only the counting bound)."""
    if reference is None:
        return 0
    allowed = {p: set(slots) for p, slots in candidates.slots.items()}
    forced = sum(
        1
        for workshop in reference.workshops
        for p in workshop.proposals
        if p in instance.proposal_by_id and workshop.slot not in allowed[p]
    )
    return instance.rules.weights.moved * forced


def _fill(
    solution: Solution,
    instance: Instance,
    built: WorkshopModel,
    solver: Outcome,
    candidates: CandidateTable,
) -> None:
    """CP-SAT's schedule: its workshops and the proposals it leaves out, with their
    reasons. Its penalties are the validator's (`solve`), not the model's terms."""
    members: dict[str, list[str]] = {s.id: [] for s in instance.slots}
    for (proposal_id, slot_id), var in built.vars.assign.items():
        if solver.boolean_value(var):
            members[slot_id].append(proposal_id)
    for slot in sorted(instance.slots, key=lambda s: (s.start, instance.slot_index[s.id])):
        if not members[slot.id]:
            continue
        themes = [
            t
            for t in built.themes_of(slot.id)
            if solver.boolean_value(built.vars.theme[slot.id, t])
        ]
        languages = sorted(
            lang
            for lang in built.languages_of(slot.id)
            if solver.boolean_value(built.vars.language[slot.id, lang])
        )
        solution.workshops.append(
            Workshop(
                slot=slot.id,
                room=slot.room,
                theme=themes[0],
                language=languages[0] if len(languages) == 1 else "mixed",
                start=instance.local(slot.start),
                end=instance.local(slot.end),
                items=timeline(instance, slot, members[slot.id]),
            )
        )
    placed = {p for ids in members.values() for p in ids}
    solution.unscheduled = [
        Unscheduled(proposal=p.id, reasons=[]) for p in instance.proposals if p.id not in placed
    ]
    _explain_unscheduled(solution, instance, candidates)


NOTHING_KEEPS_IT_OUT = catalog.NOTHING_KEEPS_IT_OUT.format()
"""A candidate slot where the proposal (and its `together` partners) would fit: leaving it
out costs its `unscheduled` weight, which an optimal schedule proves no lower."""


def unplaced_reasons(
    instance: Instance, proposal_id: str, candidates: CandidateTable, solution: Solution
) -> list[str]:
    """Why a proposal with candidate slots ended up in none of them: each reason with
    the slots it holds for."""
    proposal = instance.proposal_by_id[proposal_id]
    by_slot = {w.slot: w for w in solution.workshops}
    partners = [p for p in together_units(instance).get(proposal_id, []) if p.id != proposal_id]
    unit = {proposal_id, *(p.id for p in partners)}
    kept_apart = {
        other
        for group in instance.constraints.apart
        if unit.intersection(group.proposals)
        for other in group.proposals
    } - unit
    speakers = {s for p in [proposal, *partners] for s in p.speakers}
    busy = [
        w
        for w in solution.workshops
        if any(set(instance.proposal_by_id[p].speakers) & speakers for p in w.proposals)
    ]
    slots_of: dict[str, list[str]] = {}  # each reason -> the slots it holds for
    for slot_id in candidates.slots[proposal_id]:
        away = [p.id for p in partners if slot_id not in candidates.slots[p.id]]
        if away:
            why = catalog.TOGETHER_AWAY.format(ids=away)
        elif slot_id not in by_slot:
            empty = _speakers_busy(instance, [proposal, *partners], slot_id, busy)
            empty = empty or _empty_slot_reason(
                instance, proposal, partners, slot_id, candidates, solution, kept_apart
            )
            why = catalog.LEFT_EMPTY.format(empty=empty)
        else:
            why = _occupied_slot_reason(
                instance, [proposal, *partners], by_slot[slot_id], kept_apart, busy
            )
        slots_of.setdefault(why, []).append(slot_id)
    # a line per reason naming its slots, as the candidates' reasons do (a line per slot
    # made 5,000 lines for 666 proposals left out at 2000 proposals)
    return [
        catalog.AT_SLOTS.format(why=why, slots=catalog.slots_named(slots, REASON_SLOTS))
        for why, slots in slots_of.items()
    ]


def _occupied_slot_reason(
    instance: Instance, joining: list, workshop: Workshop, apart: set[str], busy: list[Workshop]
) -> str:
    """Why `joining` (a proposal and its `together` partners) is not in `workshop`: every
    hard rule it would break there, else that none would. (A fallback of "not enough
    minutes" was printed where an `apart` partner, the weights or the search were why.)"""
    rules = instance.rules
    slot = instance.slot_by_id[workshop.slot]
    members = [instance.proposal_by_id[p] for p in workshop.proposals]
    traits = []  # (what the workshop is and holds: one sentence, one subject)
    languages = {p.language.value for p in joining}
    if not rules.mixed_language and languages != {workshop.language}:
        traits.append(catalog.IS_IN.format(language=workshop.language))
    if any(workshop.theme not in p.themes for p in joining):
        traits.append(catalog.HAS_THEME.format(theme=workshop.theme))
    together = members + joining
    keynotes = sum(p.is_keynote for p in together)
    most = rules.keynotes_per_workshop.max
    if keynotes > most:
        traits.append(catalog.HAS_MOST_KEYNOTES.format(allowed=most))
    most = rules.initiatives_per_workshop.max
    if len(together) - keynotes > most:
        traits.append(catalog.HAS_MOST_INITIATIVES.format(allowed=most))
    there = sorted(apart & set(workshop.proposals))
    if there:
        traits.append(catalog.HOLDS_APART.format(ids=there))
    causes = [catalog.workshop_is(traits)] if traits else []
    causes += _busy_causes(instance, joining, slot.id, busy)
    if not causes:
        needed = workshop_minutes(instance, together)
        if needed > slot.minutes:
            causes.append(catalog.NO_MINUTES.format(minutes=slot.minutes, needed=needed))
    return catalog.CAUSES.format(causes=causes) if causes else NOTHING_KEEPS_IT_OUT


def _busy_causes(
    instance: Instance, joining: list, slot_id: str, busy: list[Workshop]
) -> list[str]:
    """Each speaker of `joining` who speaks in another workshop at the time of `slot_id`."""
    slot = instance.slot_by_id[slot_id]
    causes = []
    for other in busy:
        if other.slot != slot_id and instance.slot_by_id[other.slot].overlaps(slot):
            shared = sorted(
                {s for p in joining for s in p.speakers}
                & {s for p in other.proposals for s in instance.proposal_by_id[p].speakers}
            )
            causes.extend(
                catalog.SPEAKER_BUSY.format(
                    name=instance.speaker_by_id[s].name, speaker=s, slot=other.slot
                )
                for s in shared
            )
    return causes


def _speakers_busy(
    instance: Instance, joining: list, slot_id: str, busy: list[Workshop]
) -> str | None:
    """Why an empty slot cannot open a workshop holding `joining` whatever joins it: a
    speaker of theirs speaks elsewhere then ("no hard rule keeps it out" was said)."""
    causes = _busy_causes(instance, joining, slot_id, busy)
    return catalog.CAUSES.format(causes=causes) if causes else None


def _empty_slot_reason(
    instance: Instance,
    proposal: Proposal,
    partners: list,
    slot_id: str,
    candidates: CandidateTable,
    solution: Solution,
    kept_apart: set[str],
) -> str:
    """Why no workshop holding `proposal` (and its `together` partners) was opened in an
    empty candidate slot: the keynotes or initiatives such a workshop lacks, all placed
    elsewhere or none there at all, else that no hard rule stopped it. Those `kept_apart`
    from them (by an `apart` group) cannot join it there."""
    rules = instance.rules
    joining = [proposal, *partners]
    joining_ids = {p.id for p in joining}
    placed = solution.workshop_of()
    for is_keynote, kind, least in (
        (True, "keynote", rules.keynotes_per_workshop.min),
        (False, "initiative", rules.initiatives_per_workshop.min),
    ):
        lacking = least - sum(p.is_keynote == is_keynote for p in joining)
        if lacking <= 0:
            continue
        others = [
            p.id
            for p in instance.proposals
            if p.is_keynote == is_keynote
            and p.id not in joining_ids
            and p.id not in kept_apart
            and slot_id in candidates.slots[p.id]
            and (rules.mixed_language or p.language == proposal.language)
            and all(set(p.themes) & set(q.themes) for q in joining)
        ]
        needs = catalog.amount(least, kind)
        if not others and rules.mixed_language:  # (not "no en keynote": any would do)
            return catalog.NO_OPENER_ANY.format(amount=needs, kind=kind)
        if not others:
            return catalog.NO_OPENER.format(
                amount=needs, language=proposal.language.value, kind=kind
            )
        if len(others) < lacking:
            return catalog.FEW_OPENERS.format(amount=needs, ids=others)
        free = [p for p in others if p not in placed]
        if len(free) < lacking:
            elsewhere = [(p, placed[p].slot) for p in others if p in placed]
            return catalog.OPENERS_ELSEWHERE.format(
                amount=needs, elsewhere=catalog.placed_elsewhere(elsewhere, REASON_SLOTS)
            )
    return NOTHING_KEEPS_IT_OUT
