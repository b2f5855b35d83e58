"""The aggregated relaxation solved: its lower bound and its schedules, in a process of
their own beside the solver's search.

`aggregate_bounds` builds the program (`scheduler.relaxation`) and, by size, solves it
by branch and bound, by its LP (raised with link rows in rounds), or by a first-order
method's bound, while from a start schedule the search by cliques
(`scheduler.cliques`) improves it; the guided start, the placement of what first fit
left out and branch and bound on the whole program run beside that search.
`PendingBound` is the solver's side of that process. See docs/solver.md, "The
aggregated relaxation".
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from scipy.sparse import csr_array

from scheduler.candidates import CandidateTable
from scheduler.cliques import search_by_cliques, search_by_parts
from scheduler.instance import Instance
from scheduler.program import Background, Helper, LowerBound, Program, Terms, rounded_up
from scheduler.relaxation import Relaxation

logger = logging.getLogger(__name__)
MIP_COLUMNS = 20_000
"""Aggregated programs up to this many columns are solved as integer programs (150
proposals: 8,000-11,500 columns; bench-150-tight solved in 4.5-5 s, bench-150-easy
not in 20 s, dual bound 2180)."""
LP_COLUMNS = 100_000
"""Larger ones up to this size get their LP relaxation (600 proposals: 42,000-54,000
columns, 5-7 s by interior point, 50 s by dual simplex); beyond (2000 proposals:
265,000-354,000 columns, 50-90 s by interior point) on a work budget its bound by a
first-order method (`FIRST_ORDER_ITERATIONS`), by the clock none."""
FIRST_ORDER_ITERATIONS = 2000
"""Above `LP_COLUMNS`, the LP's bound is PDLP's (HiGHS's first-order method) after this
many iterations, beside the search on a work budget: weak duality on its row prices
bounds the LP at any iteration. On the 2000-proposal programs, alone: 13-18 s, 49,600 /
50,700 against the LP's 50,120 / 50,895 (1,500: 46,165 / 50,090; 3,000: 49,965 /
50,880 in 20-31 s). Iterations, not seconds: the same bound whatever the clock."""


@dataclass
class AggregateBound:
    """The bound and how it was obtained."""

    value: int
    """A lower bound on the objective of every schedule of the instance."""
    exact: bool
    """True when the integer relaxation was solved to optimality."""
    method: str
    """"mip", "lp" (linear relaxation of the aggregated program), "pdlp" (the same by a
    first-order method, for programs too large for the interior point), or "none"."""
    seconds: float
    slot_classes: int
    proposal_classes: int
    columns: int
    by_cliques: bool = False
    """True when the answer comes from (or announces) the search by cliques: more
    schedules may follow until the time limit."""
    schedule: dict[str, tuple[str, list[str]]] | None = None
    """A solution of the program as workshops (slot -> theme, proposals), when there is
    one: a schedule unless it breaks a rule the program drops (the search by cliques
    keeps only those that hold; the caller checks with the validator)."""
    errors: tuple[str, ...] = ()
    """Errors that stopped the child's own background searches (branch and bound on the
    whole program, the helpers of the search by cliques): it went on without them."""
    cost: float | None = None
    """The program's cost of `schedule` (constant included), when there is one: no more
    than its objective (the program drops some costs)."""
    build_seconds: float | None = None
    """Of `seconds`, building the program (in the child, where it is built)."""
    backstop: bool = False
    """With a work budget: the child's clock deadline, a backstop only, had come when it
    gave this answer, so its searches may have been cut by the clock (this answer, and
    the schedule the solve makes of it, may then differ from another run's)."""


def _integral(program: Program) -> bool | None:
    """Branch and bound for small programs, the LP relaxation for larger, None: too large."""
    if program.columns <= MIP_COLUMNS:
        return True
    if program.columns <= LP_COLUMNS:
        return False
    return None


def _bound(
    relaxation: Relaxation,
    answer: LowerBound | None,
    seconds: float,
    by_cliques: bool = False,
    errors: tuple[str, ...] = (),
    backstop: bool = False,
) -> AggregateBound:
    """The instance's bound from what was proved, with the answer's schedule."""
    value = relaxation.constant
    exact = False
    method = answer.method if answer is not None else "none"
    if answer is not None and math.isfinite(answer.value):
        # every schedule costs a multiple of the costs' common divisor
        step = relaxation.granularity()
        value += max(0, rounded_up(answer.value, step))
        exact = answer.exact
    schedule, cost = None, None
    if answer is not None and answer.solution is not None:
        schedule = relaxation.schedule(answer.solution)
        cost = relaxation.constant + float(np.dot(relaxation.program.cost, answer.solution))
    logger.info(
        "aggregate bound %d (%s%s) in %.2fs: %d slot classes, %d proposal classes, %d columns%s",
        value,
        method,
        ", exact" if exact else "",
        seconds,
        len(relaxation.slot_classes),
        len(relaxation.proposal_classes),
        relaxation.program.columns,
        # the schedule's cost with the constant (the proposals no slot can take), as scored
        "" if cost is None else f", schedule {cost:g}",
    )
    return AggregateBound(
        value=int(value),
        exact=exact,
        method=method,
        seconds=round(seconds, 3),
        slot_classes=len(relaxation.slot_classes),
        proposal_classes=len(relaxation.proposal_classes),
        columns=relaxation.program.columns,
        by_cliques=by_cliques,
        schedule=schedule,
        errors=errors,
        cost=cost,
        build_seconds=getattr(relaxation, "build_seconds", None),
        backstop=backstop,
    )


Start = tuple[dict[str, list[str]], dict[str, str]]
"""A schedule as members and theme per slot."""


def aggregate_bounds(
    instance: Instance,
    candidates: CandidateTable,
    time_limit: float,
    start: Start | None,
    emit: Callable[[AggregateBound], None],
    seed: int = 0,
    work: int | None = None,
) -> None:
    """Solve the aggregated relaxation within the time limit, passing each answer to
    `emit` as it comes.

    Without a `start` schedule, an integer program (up to `MIP_COLUMNS` columns) is
    solved by branch and bound, a larger one by its LP. From a start schedule, the
    same runs in a process of its own (branch and bound from the start) while a
    search by cliques (`search_by_cliques`) improves the start here, taking over the
    other's better solutions: one answer per better schedule of either (a first one
    announces the search), and the final one.

    With a `work` budget (units of `LowerBound.work`), the answers no longer depend on
    the clock: the search by cliques spends `work`, branch and bound a share of it
    (`WHOLE_WORK_SHARE`); the search takes in branch and bound's answers by their work
    stamps (those up to the share of its own work so far, waiting for them if needed),
    an exact optimum that holds whenever it comes; the last answer holds the better
    schedule of the two. The time limit is then a backstop only.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    relaxation = Relaxation(instance, candidates)
    program = relaxation.program
    integral = _integral(program)
    if callable(start):  # sent once the program is built (`PendingBound(start_later=True)`)
        start = start()
    encoded = relaxation.encode(*start) if start is not None else None
    if encoded is not None and program.infeasible_rows(encoded):
        logger.warning("the start schedule breaks the aggregated program: not used")
        encoded = None

    watched: list[Background | Helper] = []  # this child's own children

    def found(answer: LowerBound | None, by_cliques: bool = False) -> None:
        errors = tuple(child.error for child in watched if child.error is not None)
        now = time.perf_counter()
        # on a budget, every search here stops on its work unless the deadline comes
        # first (HiGHS's time limits and the waits all end there): an answer given past
        # it may follow the clock
        late = work is not None and now >= deadline
        emit(_bound(relaxation, answer, now - started, by_cliques, errors, late))

    if integral is None:
        if encoded is None:
            found(_first_order(relaxation, deadline - time.perf_counter()))
        else:  # the search by cliques on parts of cliques; on a budget, the LP's bound
            # beside it (by the clock the search keeps both cores: with the bound beside
            # it, 2000-easy's schedules were 2.7-3.2 % worse, two runs; at the lowest
            # priority, or at `nice` 10, the bound did not come in time)
            bound = None
            if work is not None:
                bound = Background(_first_order, (relaxation, deadline - time.perf_counter()))
                watched.append(bound)
            search_by_parts(relaxation, encoded, deadline, seed, work, found, watched, bound)
        return

    if encoded is None:
        integer = found if integral else None
        # by the clock, its rising bound too: the direct path's search, which may start
        # before branch and bound ends (`PendingBound(wait=...)`), has the latest
        rising = _rising(found, relaxation.granularity()) if integral and work is None else None
        if integral and _SplitOnKeynotePairs(relaxation, deadline, work, found, rising).solved():
            return
        found(
            program.minimum(deadline - time.perf_counter(), integral, None, integer, work, rising)
        )
        return
    _SearchBesideWhole(relaxation, encoded, started, deadline, work, integral, found).run(
        seed, watched
    )


class _SearchBesideWhole:
    """`aggregate_bounds` from a start schedule: the whole program (branch and bound
    from the start, or the LP) in a process of its own, forked before HiGHS runs here;
    the search by cliques here. Each better solution of the whole program is passed on,
    and the search continues from it."""

    def __init__(
        self,
        relaxation: Relaxation,
        encoded: list[int],
        started: float,
        deadline: float,
        work: int | None,
        integral: bool,
        found: Callable[..., None],
    ):
        self.relaxation, self.started, self.deadline = relaxation, started, deadline
        self.work, self.integral, self.found = work, integral, found
        self.encoded = encoded
        self.whole: Background | None = None
        self.floor = LowerBound(-math.inf, False, "lp")  # the whole program's best bound
        program = relaxation.program
        self.cost = sum(c * v for c, v in zip(program.cost, encoded, strict=True))
        self.best = encoded
        self.heard: list[LowerBound] = []  # with a budget: the other's answers, in order
        self.looked = 0  # how many of them the search has taken in
        self.vertex: np.ndarray | None = None  # the LP's optimal vertex, once known
        self.reached: int | None = None  # the counting bound, where known
        self.checked = math.inf  # the last cost checked against it
        self.proven = False  # the best schedule reaches it
        # with a budget: branch and bound's last answer once known to be an optimum of
        # the instance (`settle`), and whether its last answer was checked for it
        self.settled_answer: LowerBound | None = None
        self.checked_last = False

    def run(self, seed: int, watched: list[Background | Helper]) -> None:
        """The search by cliques beside the whole program, then the last answer."""
        relaxation, program, work = self.relaxation, self.relaxation.program, self.work
        deadline, integral, found = self.deadline, self.integral, self.found
        found(None, by_cliques=True)
        whole_work = None if work is None else max(1, round(WHOLE_WORK_SHARE * work))
        self.whole = whole = Background(
            _whole,
            (relaxation, deadline - time.perf_counter(), integral, self.encoded, whole_work),
        )
        watched.append(whole)
        # the LP leaves a core free once it ends: two helpers solve the rounds (this
        # process draws them and takes in their answers)
        helpers = [] if integral else [Helper(), Helper()]
        watched.extend(helpers)
        sent, last_sent = True, -math.inf  # whether the parent has the search's best schedule
        search_work = work
        if integral:  # (forked children first: HiGHS runs here from now on)
            placed, used = _placed(relaxation, self.encoded, deadline, work)
            guided = _guided(relaxation, deadline, work, self.cost)
            if work is not None:
                search_work = max(1, work - used - GUIDED_CHARGE)
            for start in (placed, guided.solution):
                value = math.inf if start is None else float(np.dot(program.cost, start))
                if value < self.cost - 1e-6:
                    self.cost, self.best = value, start
            if self.best is not self.encoded and work is None:
                found(self.answer(self.floor), by_cliques=True)
                last_sent = time.perf_counter()
            self.reached = guided.bound
        try:
            for values, value in search_by_cliques(
                relaxation,
                self.best,
                deadline,
                seed,
                self.between,
                relaxation.holds,
                search_work,
                helpers,
                guide=None if integral else self.guide,
            ):
                self.cost, self.best = value, values
                sent = False
                # each schedule passed on is decoded first (20-40 ms at 600 proposals): by
                # the clock at most every SCHEDULE_SECONDS; with a budget only the last,
                # which is all the parent takes from the search
                if work is None and time.perf_counter() - last_sent >= SCHEDULE_SECONDS:
                    found(self.answer(self.floor), by_cliques=True)
                    sent, last_sent = True, time.perf_counter()
        finally:
            for helper in helpers:
                helper.stop()
        if work is not None and integral:
            # branch and bound's last answer, when an optimum of the instance, is the
            # result whatever the search had when it came (whenever it came, the search
            # then stopped sooner or later): waited for even after the search's own
            # optimum, which might be another schedule of the same cost
            if self.settled_answer is None:
                self.settle(whole.last(deadline - time.perf_counter() + 0.5))
            whole.stop()
            if self.settled_answer is not None:
                found(self.settled_answer, by_cliques=True)
                return
        if self.optimal():  # branch and bound has nothing more to give
            whole.stop()
            found(self.answer(self.floor), by_cliques=True)
            return
        if work is None:
            if not sent:
                found(self.answer(self.floor), by_cliques=True)
            answer = whole.last(deadline - time.perf_counter() + 0.5)
            if answer is not None:
                found(answer, by_cliques=True)
            return
        # with a budget: the other's last answer (its best solution, its bound) against
        # the search's schedule; the last answer carries the better of both
        answer = whole.last(deadline - time.perf_counter() + 0.5)
        answer = answer or (self.heard[-1] if self.heard else None) or self.floor
        if not (
            answer.solution is not None
            and (answer.incumbent < self.cost - 1e-6 or answer.exact)
            and relaxation.holds(answer.solution)
        ):
            answer = self.answer(answer)
        found(answer, by_cliques=True)

    def settle(self, last: LowerBound | None) -> None:
        """With a budget: whether branch and bound's last answer (`last`, else the last
        heard, once it has ended) is an optimum of the instance: exact, its schedule
        keeps every rule and costs, by the validator, no more than its bound. It is then
        `settled_answer`. Checked once."""
        if last is not None:
            self.heard.append(last)
        if self.checked_last or not self.whole.finished or not self.heard:
            return
        self.checked_last = True
        answer, relaxation = self.heard[-1], self.relaxation
        if not answer.exact or answer.solution is None or not relaxation.holds(answer.solution):
            return
        objective = relaxation.objective(answer.solution)
        bound = relaxation.constant + rounded_up(answer.value, relaxation.granularity())
        if objective is not None and objective <= bound:
            self.settled_answer = answer

    def answer(self, bound: LowerBound) -> LowerBound:
        """`bound` carrying the search's best solution."""
        return replace(bound, solution=self.best, incumbent=self.cost)

    def take(self, answer: LowerBound) -> tuple[list[int] | None, bool]:
        """Take in one answer of the other: its bound, and its solution when better;
        whether it is an exact optimum that holds."""
        if answer.point is not None:
            self.vertex = np.asarray(answer.point)
        if answer.value >= self.floor.value or answer.exact:
            self.floor = replace(answer, solution=None, incumbent=None)
        holds = answer.solution is not None and self.relaxation.holds(answer.solution)
        if holds and answer.incumbent < self.cost - 1e-6:
            self.cost, self.best = answer.incumbent, answer.solution
            return answer.solution, answer.exact
        return None, holds and answer.exact

    def optimal(self) -> bool:
        """Whether the best schedule reaches the counting bound (checked by the validator
        once its cost does: the program drops some costs): proven optimal, the search is
        over."""
        bound = self.reached
        if self.proven or bound is None or self.cost + self.relaxation.constant > bound + 1e-6:
            return self.proven
        if self.cost != self.checked:
            self.checked = self.cost
            objective = self.relaxation.objective(self.best)
            self.proven = objective is not None and objective <= bound
            if self.proven:
                logger.info("a schedule at the counting bound, %d: optimal", bound)
        return self.proven

    def between(self, spent: int) -> tuple[list[int] | None, bool]:
        """The search's `between`: a better solution of the whole program's, if any,
        and whether to stop."""
        whole, better = self.whole, None
        if self.work is None:
            for answer in whole.received():
                self.found(answer, by_cliques=True)
                solution, _ = self.take(answer)
                better = solution or better
            return better, self.floor.exact or self.optimal()
        if not self.integral:  # the LP: a bound for the end, nothing to take in on the way
            return None, False
        # Branch and bound's answers are stamped with its work, in order: take in those
        # up to the share of this search's work, once one stamped past it has come (or
        # the other process has ended), so that every one up to it has come too: the
        # same ones then, whatever the clock. Not sooner: a solution is stamped with the
        # units before it, so one stamped `due` may follow the answer that reached
        # `due` (at the first call, `due` 0, branch and bound's first solutions were
        # taken in or not as they had come or not). Its last answer, once it has come,
        # ends the search when it is an optimum of the instance (`settle`): it is then
        # the result whatever the search had, and the search waits for it at its end
        # too, even after an optimum of its own (before, which of the two was the
        # result depended on which came first). Another exact optimum that holds ends
        # the search when it is taken in, in its turn.
        due = WHOLE_WORK_SHARE * spent
        heard = self.heard
        heard.extend(whole.received())
        while not whole.finished and not (heard and heard[-1].work > due):
            if time.perf_counter() >= self.deadline:  # the backstop
                break
            heard.extend(whole.received(wait=0.2))
        self.settle(None)  # (once it has ended: its last answer is then known)
        if self.settled_answer is not None:
            return None, True
        while self.looked < len(heard) and heard[self.looked].work <= due:
            solution, exact = self.take(heard[self.looked])
            self.looked += 1
            if exact:
                return None, True
            better = solution or better
        return better, self.optimal()

    def guide(self, spent: int) -> np.ndarray | None:
        """The LP's vertex once known. With a budget, asked for once the search has spent
        `GUIDE_WORK_SHARE` of it, waiting for it if needed (the same point then, whatever
        the clock); by the clock, as soon as `between` has received it."""
        work, whole = self.work, self.whole
        if work is not None and self.vertex is None and spent >= GUIDE_WORK_SHARE * work:
            while not whole.finished and time.perf_counter() < self.deadline:
                if any(answer.point is not None for answer in self.heard):
                    break
                self.heard.extend(whole.received(wait=0.2))
            point = next((a.point for a in self.heard if a.point is not None), None)
            if point is not None:
                self.vertex = np.asarray(point)
                logger.info("LP vertex taken in after %.1fs", time.perf_counter() - self.started)
        return self.vertex


def _first_order(
    relaxation: Relaxation,
    time_limit: float,
    emit: Callable[[LowerBound], None] | None = None,
) -> LowerBound:
    """The LP's bound of a program too large for the interior point in time: PDLP's after
    `FIRST_ORDER_ITERATIONS` (passed to `emit` too, when given)."""
    answer = relaxation.program.minimum(time_limit, False, iterations=FIRST_ORDER_ITERATIONS)
    if emit is not None:
        emit(answer)
    return answer


def _placed(
    relaxation: Relaxation, start: list[int], deadline: float, work: int | None
) -> tuple[list[int] | None, int]:
    """A start that leaves placeable proposals out (first fit at 150 proposals, where
    the tight instances leave 7-12 initiatives out), placed first: branch and bound on
    the whole program with the other costs weighed down (`PLACEMENT_WEIGHT`), from the
    start, stopped at its first solution that places them all or after
    `PLACEMENT_SECONDS` (`PLACEMENT_WORK` units with a budget). Returns that solution
    when it costs less than the start and holds (else None), and the work it is
    charged (`PLACEMENT_CHARGE` with a budget).

    Rounds of cliques from such a start end cut short at their time limit until the
    proposals are placed (bench-150-easy-s7: four initiatives out, two 2 s rounds to
    place them); this placement takes 0.4-1.2 s there."""
    program = relaxation.program
    left = np.asarray(relaxation.left_out, dtype=np.int64)
    values = np.asarray(start, dtype=np.int64)
    if not values[left].any():
        return None, 0
    costs = np.asarray(program.cost, dtype=float)
    weights = np.full(program.columns, PLACEMENT_WEIGHT)
    weights[left] = 1.0
    seconds = deadline - time.perf_counter()  # with a budget, the clock is a backstop
    answer = program.costed(costs * weights).minimum(
        seconds if work is not None else min(PLACEMENT_SECONDS, seconds),
        True,
        start,
        work=None if work is None else PLACEMENT_WORK,
        enough=lambda solution: not np.asarray(solution, dtype=np.int64)[left].any(),
    )
    used = PLACEMENT_CHARGE if work is not None else 0
    if answer.solution is None:
        return None, used
    before, after = float(np.dot(costs, values)), float(np.dot(costs, answer.solution))
    logger.info(
        "placement: %d -> %d left out, cost %g -> %g",
        values[left].sum(),
        np.asarray(answer.solution)[left].sum(),
        before,
        after,
    )
    if after < before - 1e-6 and relaxation.holds(answer.solution):
        return answer.solution, used
    return None, used


GUIDED_SECONDS = 2.0
"""Stopped by the clock, the time limit of `_guided`'s branch and bound (it ends in
0.1-0.5 s on the 150-proposal rungs)."""
GUIDED_WORK = 30
"""With a budget, its limit in work units instead (2-6 units on those rungs)."""
COUNTED_WORK = 50
"""`_guided`'s limit on the counting integer program, in work units whatever the clock
(6-34 units to its optimum on the ladder's 40 and 150 rungs, 5-41 on ten generated
150-300-proposal instances). A generated 300-proposal instance with 15 slots of a fixed
theme or language (bench.fuzz --vary, seed 26) reached the counting program's own limit
(`counting.MIP_WORK`, 200 units, 4.4 s) without its optimum: with the restricted program
after it, the start took 7 s of an 8 s solve, and the solve ended at the moved first
fit's 9460 against the bound 6245."""
GUIDED_CHARGE = 30
"""What `_guided` costs the search's budget, whatever it used (see `PLACEMENT_CHARGE`):
it takes 0.7-1.4 s, most of it the counting program. Stopped on work, bench-150-easy
seed 0 took 9.4 s with this charge, 8.3 s with 40; but with 40 the holdout rungs,
whose counts are out of reach, ended at 2425 / 2410 instead of 2395 / 2370 (less search
for nothing gained), and 30 gives them their objectives without `_guided`."""


class _Guided(NamedTuple):
    """What `_guided` found."""

    solution: list[int] | None
    """A solution of the whole program with the counting optimum's workshops (None if
    there is none, or its schedule breaks a rule)."""
    bound: int | None
    """The counting bound (None when its program is too large to be solved as an integer
    program)."""


def _guided(
    relaxation: Relaxation, deadline: float, work: int | None, cutoff: float | None = None
) -> _Guided:
    """A start from the counting program's integer optimum (`counted_workshops`): the
    whole program with as many workshops of each slot length, language, theme and shape
    as that optimum has, solved by branch and bound (only for solutions cheaper than
    `cutoff`, the current start's cost, when given). The counting optimum forgets
    speakers and availability, so its workshops may be out of reach (bench-150-easy-s7
    and 150-tight-s7: a count no slot class can take, or no solution); where they are
    not, the restricted program is small. bench-150-easy: 2195 in 0.4 s (its optimum
    is 2185), where the search by cliques from first fit ended at 2190-2225 after 9 s;
    150-tight: 2440 (its optimum 2390 then comes from branch and bound as before).

    The start is the best of its solutions whose schedule keeps every rule
    (`Relaxation.holds`). On eight more generated 150 instances (seeds 21-24, easy
    and tight, seeds 0-1 by the clock) runs within 1 % went from 11 to 15 of 16.

    Counted per language, theme and shape only (any slot length), the restricted
    programs were larger: 150-easy 2195 after 2 s, 150-tight-s7 2455 after 1.6 s, and
    none for 150-easy-s7; per language and theme only, 150-easy 2185 but after 8 s.

    None where talks override their length: the counting program, counting the
    workshops holding one by that talk, took 2.1-2.8 s there (0.5-0.8 s on the ladder's
    150 rungs, for as many units of work) and its counts were often out of reach; by
    the clock (8 s, seeds 0-1) generated 150-200-proposal instances with such talks
    ended at 2445 / 2420 against 2535 / 2470 and 3005 / 2830 against 3135 / 3190
    without it, four others the same or within 15."""
    from scheduler.counting import counted_workshops  # (it imports this module)

    if relaxation.own_length:
        return _Guided(None, None)

    def allowed() -> float:
        """Each step's time limit: what is left, by the clock `GUIDED_SECONDS` at most
        (with a budget the clock is a backstop)."""
        seconds = max(0.0, deadline - time.perf_counter())
        return seconds if work is not None else min(GUIDED_SECONDS, seconds)

    counted = counted_workshops(relaxation.instance, relaxation.candidates, allowed(), COUNTED_WORK)
    if counted is None:
        return _Guided(None, None)
    rows = _counted_rows(relaxation, counted.workshops)
    if rows is None:
        logger.info("guided start: the counted workshops are out of reach")
        return _Guided(None, counted.bound)
    # each better solution is checked as it comes: a later one may break a rule that
    # the program does not hold (a generated 150 instance: its optimum there, 2370,
    # broke one; the solution before it held, at 2455)
    holding: list[tuple[float, list[int]]] = []

    def heard(answer: LowerBound) -> None:
        if relaxation.holds(answer.solution):
            holding.append((answer.incumbent, answer.solution))

    restricted = relaxation.program.restricted(rows)
    if cutoff is not None:
        # counts that only a schedule worse than the start can keep: no branch and
        # bound (the generated 300-proposal instance of `COUNTED_WORK`: the LP's 34850
        # against the start's 6460, where branch and bound took 2 s for nothing)
        least = restricted.minimum(allowed(), False)
        if math.isinf(least.value):
            logger.info("guided start: no solution of the program has the counted workshops")
            return _Guided(None, counted.bound)
        if least.value >= cutoff - 1e-6:
            logger.info(
                "guided start: the counted workshops cost at least %g, the start %g",
                least.value,
                cutoff,
            )
            return _Guided(None, counted.bound)
    answer = restricted.minimum(
        allowed(),
        True,
        on_solution=heard,
        work=None if work is None else GUIDED_WORK,
        cutoff=cutoff,
    )
    logger.info(
        "guided start: %s after %d units, %s holds",
        answer.incumbent,
        answer.work,
        holding[-1][0] if holding else None,
    )
    return _Guided(holding[-1][1] if holding else None, counted.bound)


def _counted_rows(
    relaxation: Relaxation, workshops: dict[tuple, int]
) -> list[tuple[Terms, int, int]] | None:
    """Rows holding the program's workshops of each slot length, language, theme and
    shape to the counts `workshops` has, or None when it counts some the program has no
    column for."""
    columns: dict[tuple, Terms] = defaultdict(list)
    for sc, theme, language in relaxation.shape_columns:
        frame = relaxation.slot_classes[sc].frame
        for shape, column in relaxation.shapes_of((sc, theme, language)):
            columns[frame, language, theme, shape].append((column, 1))
    if not workshops.keys() <= columns.keys():
        return None
    return [(terms, workshops.get(k, 0), workshops.get(k, 0)) for k, terms in columns.items()]


def _whole(
    relaxation: Relaxation,
    time_limit: float,
    integral: bool,
    start: list[int],
    work: int | None,
    emit: Callable[[LowerBound], None],
) -> None:
    """The whole program: branch and bound from `start` (each better solution emitted;
    stopped after `work` units when given), or its LP bound and optimal vertex, then
    by the clock higher LP bounds with the `links` its points break (`_linked`)."""
    deadline = time.perf_counter() + time_limit
    program = relaxation.program
    if integral:
        # with a budget, its bound at each unit of work too: the other process syncs on
        # it; by the clock, each bound that raises the last once rounded up to the costs'
        # divisor (the solve's progress line shows it as it comes: without it, a bound
        # proved after branch and bound's last better solution was shown only at the end)
        on_work = emit if work else _rising(emit, relaxation.granularity())
        emit(program.minimum(time_limit, True, start, emit, work, on_work))
    else:  # its vertex too: it guides the search by cliques
        answer = program.minimum(time_limit, False, vertex=True)
        emit(answer)
        if work is not None:
            # on a budget the answers must be the same whatever the clock, and rounds
            # at the lowest priority may still run when the search ends (600-tight-s7
            # took 30.1 s of its 30 with them instead of 27): the first bound stays
            return
        if hasattr(os, "nice"):  # (Unix) the search's helpers first from now on
            os.nice(LINK_NICE)
        _linked(program, relaxation.links(), answer, deadline, emit)


def _rising(emit: Callable[[LowerBound], None], step: int) -> Callable[[LowerBound], None]:
    """`emit` for the bounds that raise the last one it passed on, each rounded up to a
    multiple of `step` (branch and bound reports its bound at every unit of work)."""
    last = [-math.inf]

    def on_work(answer: LowerBound) -> None:
        if not math.isfinite(answer.value):
            return
        value = rounded_up(answer.value, step)
        if value > last[0]:
            last[0] = value
            emit(answer)

    return on_work


class _InProcess:
    """A `Helper`'s calls, the program solved here when its answer is asked for: the
    split's parts one after another, where a helper process would be spawned."""

    def __init__(self) -> None:
        self.request: tuple[Program, dict, float] | None = None

    def submit(self, program: Program, **arguments) -> None:
        # (its time limit counted from now, as in a helper that starts at once)
        self.request = (program, arguments, time.perf_counter() + arguments["time_limit"])

    def answer(self, wait: float) -> LowerBound | None:
        program, arguments, deadline = self.request
        left = max(0.0, deadline - time.perf_counter())
        return program.minimum(**{**arguments, "time_limit": left})

    def stop(self) -> None:
        self.request = None


class _SplitOnKeynotePairs:
    """Branch and bound on the direct path's program (no start), split on how many
    workshops hold two keynotes or more, when that pays: first the part with none;
    then the part with two or more, cut at that part's optimum (only cheaper solutions
    sought), in a helper process, beside the part with one here, stopped once its
    bound, rounded up to the costs' divisor, reaches that optimum. Each part has
    `Relaxation.links` as rows (they hold for every schedule). Together the parts
    prove what the whole program would: its optimum, or a higher bound.

    It pays where the LP with the links leans on such workshops that schedules avoid:
    restricted to none, and restricted to two or more, it is above the LP with the
    links by a step of the costs' divisor or more. Then the part without them, whose
    LP is the tighter, often holds the optimum, and the others end soon after their
    start: on the bundled instance 13 units of work instead of 43. Where the LP is the
    same without them (most generated instances: the part without them is then as hard
    as the whole program, up to 8 times harder with the links) or with two or more (the
    easy 40-proposal rungs: their optima have several, and that part is as hard as the
    whole program), the whole program is solved as before.
    bench/HISTORY.md, the bundled proof's nineteenth and twentieth looks.

    Each part stops on its own work (`PART_WORK` at most, within a run's budget on
    work), the later two told only the first part's optimum: the same answers for the
    same input whatever the clock (a race, each part told the best so far as it came,
    would follow it)."""

    PARTS = ((0, 0), (2, math.inf), (1, 1))
    """The parts' least and most workshops with two keynotes or more, in their order."""
    BESIDE = 1
    """The part solved in the helper process (cut at the first part's optimum)."""
    PART_WORK = 15
    """Units of work a part gets at most: one that needs more gives the split up, and the
    whole program is solved instead (a bounded loss where the rule chooses wrongly).
    With a first rule (the LP with two or more only), on 60 generated instances of
    20-60 proposals the part without keynote pairs took 2-17 units on most of the 30
    split, 21 and 33 on two, and 348 (7.3 s) on one whose whole program takes 43 units
    (2.4 s); with the rule kept, none of the 83 instances measured gives it up. The
    bundled instance's parts take 5, 2 and 6."""

    def __init__(
        self,
        relaxation: Relaxation,
        deadline: float,
        work: int | None,
        found: Callable[[LowerBound], None],
        rising: Callable[[LowerBound], None] | None,
    ):
        self.relaxation, self.deadline, self.work = relaxation, deadline, work
        self.found, self.rising = found, rising
        self.step = relaxation.granularity()
        self.best: LowerBound | None = None  # the best solution so far, of any part
        self.bounds: list[float] = []  # each part's bound so far (an LP's, at first)
        self.spent = 0  # the work of the first part (each later one has what is left)
        self.given_up = False  # a part needed more than `PART_WORK`

    def solved(self) -> bool:
        """The program solved by parts, each answer passed on (`found`, `rising`), when
        the split pays; False when the whole program is to be solved instead (nothing
        passed on; after a part gave the split up, the first part's better solutions
        and the bounds so far may have been, each true of the whole program too)."""
        relaxation = self.relaxation
        pairs = relaxation.paired_keynotes()
        if not pairs:
            return False
        links = [(terms, -math.inf, 0) for terms in relaxation.links()]
        # (the count's row first: HiGHS's path depends on the rows' order, and this
        # one is the one measured)
        programs = [
            relaxation.program.restricted([(pairs, least, most), *links])
            for least, most in self.PARTS
        ]
        # (started before HiGHS runs in this process; where processes are spawned, not
        # forked, a helper would import everything again first, 2-3 s: the parts there
        # run one after another here)
        helper = Helper() if sys.platform.startswith("linux") else _InProcess()
        try:
            return self._solved(helper, relaxation.program.restricted(links), programs)
        finally:
            helper.stop()

    def _solved(
        self, helper: Helper | _InProcess, linked: Program, programs: list[Program]
    ) -> bool:
        beside = programs[self.BESIDE]
        helper.submit(beside, time_limit=self.left(), integral=False, simplex=True)
        whole = linked.minimum(self.left(), False, simplex=True).value
        without = programs[0].minimum(self.left(), False, simplex=True).value
        answer = helper.answer(self.left())
        paired = -math.inf if answer is None else answer.value
        pays = self.pays(whole, without, paired)
        logger.info(
            "LP with the links %g; without keynote pairs %g, with two or more %g: %s",
            whole,
            without,
            paired,
            "split on them" if pays else "the whole program",
        )
        if not pays:
            return False
        # a part's bound is the LP's with the links until it runs; the part with two
        # or more has its own LP's
        self.bounds = [whole, max(whole, paired), whole]
        settled = [self.part(0, programs[0])]
        if self.given_up:
            return False
        first = None if self.best is None else self.best.incumbent
        submitted = self.submit(helper, beside, first)
        settled += [self.part(2, programs[2])]
        settled += [self.received(helper, first) if submitted else self.cheaper_none(1, first)]
        if self.given_up:
            return False
        best = self.best
        self.found(
            LowerBound(
                self.value(),
                all(settled) and best is not None,
                "mip",
                None if best is None else best.solution,
                None if best is None else best.incumbent,
                self.spent,
            )
        )
        return True

    def pays(self, whole: float, without: float, paired: float) -> bool:
        """The rule: the LPs with the links restricted to no keynote pair (`without`) and
        to two or more (`paired`) both a step of the costs' divisor or more above the LP
        with the links (`whole`), rounded up. (An LP without a bound, or none with two
        keynotes or more: not measured, the whole program as before.)"""
        if not all(math.isfinite(value) for value in (whole, without, paired)):
            return False
        up = rounded_up(whole, self.step)
        return min(rounded_up(without, self.step), rounded_up(paired, self.step)) > up

    def left(self) -> float:
        return max(0.0, self.deadline - time.perf_counter())

    def budget(self) -> int:
        """A part's work budget: `PART_WORK`, or what the first part left of the whole
        budget when less."""
        return self.PART_WORK if self.work is None else min(self.PART_WORK, self.work - self.spent)

    def value(self) -> float:
        """The bound so far: no part has a solution below its own."""
        least = min(self.bounds)
        return least if self.best is None else min(least, self.best.incumbent)

    def cheaper_none(self, n: int, first: float | None) -> bool:
        """Whether part `n`'s bound, rounded up, says it has no solution cheaper than
        `first` (the first part's optimum)."""
        return first is not None and rounded_up(self.bounds[n], self.step) >= first

    def part(self, n: int, program: Program) -> bool:
        """Part `n` solved here, stopped once its bound reaches the best solution so far;
        whether its minimum is settled (found, or no less than that best)."""
        best = None if self.best is None else self.best.incumbent
        if self.cheaper_none(n, best):
            return True
        work = self.budget()
        if work <= 0 or not self.left():
            return False
        spent = self.spent

        def on_solution(answer: LowerBound) -> None:
            if self.best is None or answer.incumbent < self.best.incumbent:
                self.best = answer
                found = LowerBound(self.value(), False, "mip", answer.solution, answer.incumbent)
                self.found(replace(found, work=spent + answer.work))

        def on_work(answer: LowerBound) -> None:
            self.bounds[n] = max(self.bounds[n], answer.value)
            if self.rising is not None:
                self.rising(LowerBound(self.value(), False, "mip", work=spent + answer.work))

        answer = program.minimum(self.left(), True, None, on_solution, work, on_work, stop_at=best)
        if n == 0:
            self.spent = answer.work
        return self.settled(n, answer, best)

    def submit(self, helper: Helper | _InProcess, program: Program, first: float | None) -> bool:
        """The part beside (`BESIDE`) started in the helper, cut at the first part's
        optimum `first`, unless its LP says it has nothing cheaper, or no time or work is
        left."""
        work = self.budget()
        if self.cheaper_none(self.BESIDE, first) or work <= 0:
            return False
        if not self.left():
            return False
        helper.submit(
            program,
            time_limit=self.left(),
            integral=True,
            work=work,
            cutoff=None if first is None else first - self.step / 2,
            stop_at=first,
        )
        return True

    def received(self, helper: Helper | _InProcess, first: float | None) -> bool:
        """The part beside's answer taken in (its solution the best if cheaper than every
        other: after the part with one on a tie); whether its minimum is settled."""
        answer = helper.answer(self.left())
        if answer is None:  # (no time left, or the helper failed: said as a warning)
            return False
        if answer.solution is not None and (
            self.best is None or answer.incumbent < self.best.incumbent
        ):
            self.best = answer
        return self.settled(self.BESIDE, answer, first)

    def settled(self, n: int, answer: LowerBound, best: float | None) -> bool:
        """Part `n`'s answer taken in: whether its minimum is settled (found, or no
        less than `best`, the solution it was stopped at)."""
        self.bounds[n] = max(self.bounds[n], answer.value)
        settled = answer.exact or self.cheaper_none(n, best)
        self.given_up |= not settled and answer.work >= self.PART_WORK
        logger.info(
            "keynote pairs part %d: bound %g%s after %d units of work%s",
            n,
            answer.value,
            ", exact" if answer.exact else "",
            answer.work,
            "" if settled or not self.given_up else ": the split given up, the whole program",
        )
        return settled


LINK_ROUNDS = 4
"""LP solves with the `Relaxation.links` broken by the last point added, after the
first LP (a row is added only when broken: at 600 proposals a few hundred of 34,000-
43,000 are, and all of them made each interior-point solve 4-6 times slower)."""
LINK_NICE = 19
"""The link rounds' scheduling priority (a Unix `nice` increment: the lowest). At the
default priority the search's schedules were worse (600-tight-s7 by 50-125 in each of
four runs by the clock); at this one the same as without the rounds, within the
clock's noise (five 600 instances, seeds 0-3, summed: 202315 against 202195)."""
LINK_GAIN = 5e-4
"""The link rounds stop after one that raised the bound by less than this share."""
LINK_TOLERANCE = 1e-4
"""How much a link's activity may exceed 0 at a point before it counts as broken."""


def _linked(
    program: Program,
    links: list[Terms],
    answer: LowerBound,
    deadline: float,
    emit: Callable[[LowerBound], None],
) -> None:
    """Raise the LP's bound with the links its points break: up to `LINK_ROUNDS` solves,
    each with the links broken by the last point added; each higher bound is emitted
    (without a point: the first vertex stays the search's guide)."""
    if not links or answer.point is None:
        return
    rows = np.repeat(np.arange(len(links)), [len(terms) for terms in links])
    columns, values = zip(*(term for terms in links for term in terms), strict=True)
    matrix = csr_array((values, (rows, columns)), shape=(len(links), program.columns))
    added = np.zeros(len(links), dtype=bool)
    best, point = answer.value, np.asarray(answer.point)
    for _ in range(LINK_ROUNDS):
        broken = np.flatnonzero((matrix @ point > LINK_TOLERANCE) & ~added)
        if not broken.size or time.perf_counter() >= deadline:
            return
        for index in broken:
            program.row(links[index], upper=0)
        added[broken] = True
        answer = program.minimum(deadline - time.perf_counter(), False, interior=True)
        if answer.point is None:
            return
        point = np.asarray(answer.point)
        gain = answer.value - best
        if gain > 0:
            best = answer.value
            emit(LowerBound(best, False, "lp"))
        if gain < LINK_GAIN * abs(best):
            return


WHOLE_WORK_SHARE = 0.13
"""With a work budget, the share of it given to branch and bound on the whole program
beside the search by cliques: its units come slower (2-3 a second at 150 proposals,
most of them the root's cuts), and bench-150-tight is solved exactly after 14."""
PLACEMENT_WEIGHT = 0.2
"""`_placed`: the weight of every cost but the proposals left out (weighed 1) in the
placement's objective: with the true costs, branch and bound from first fit did not
place every proposal of bench-150-easy-s7 in 7 s; with 0.2, in 0.4 s."""
PLACEMENT_SECONDS = 1.0
"""Stopped by the clock, the placement's time limit."""
PLACEMENT_WORK = 6
"""With a budget, the placement's limit in work units: 1-1.2 s on the 150 instances,
like `PLACEMENT_SECONDS`."""
PLACEMENT_CHARGE = 15
"""What the placement costs the search's budget, whatever it used: the units of rounds
done in its time (rounds do 12-18 a second; the placement's units come 3-6 a second)."""
SCHEDULE_SECONDS = 1.0
"""Stopped by the clock, the search by cliques passes on its best schedule at most this
often (and at its end): decoding one takes 20-40 ms at 600 proposals."""
GUIDE_WORK_SHARE = 0.4
"""With a work budget, the share of it the search by cliques spends before it waits for
the LP's vertex (600 proposals: the LP with crossover ends 9-15 s into the solve)."""


class _StartLater:
    """A start schedule the child receives once its program is built."""

    def __init__(self, connection: multiprocessing.connection.Connection):
        self.connection = connection

    def __call__(self) -> Start | None:
        try:
            return self.connection.recv()
        except EOFError:  # the caller sent nothing
            return None


def relaxation_lp(
    instance: Instance,
    candidates: CandidateTable,
    time_limit: float,
    emit: Callable[[int], None],
) -> None:
    """The instance's bound from the aggregated program's LP (interior point, weak
    duality on its row prices: deterministic, a bound whatever its status), passed to
    `emit`; nothing for a program above `LP_COLUMNS`. A re-solve on the block path runs
    it in a child process (`solve._BlockPath`): the program leaves `moved` out, so its
    bound, plus the moves every schedule must make, bounds the re-solve (the 278-proposal
    instance of a re-solve: 12205 in 0.5 s, where the counting bound is 8225)."""
    started = time.perf_counter()
    relaxation = Relaxation(instance, candidates)
    if relaxation.program.columns > LP_COLUMNS:
        return
    left = max(0.1, time_limit - (time.perf_counter() - started))
    answer = relaxation.program.minimum(left, False)
    if math.isfinite(answer.value):
        emit(_bound(relaxation, answer, time.perf_counter() - started).value)


def _joined(earlier: AggregateBound | None, answer: AggregateBound) -> AggregateBound:
    """`answer` with `earlier`'s schedule when it has none, and the higher bound."""
    if earlier is None:
        return answer
    if answer.schedule is None and earlier.schedule is not None:
        answer = replace(answer, schedule=earlier.schedule, cost=earlier.cost)
    return replace(answer, value=max(answer.value, earlier.value))


class PendingBound:
    """`aggregate_bounds` in a child process (built and solved there) while the search runs."""

    def __init__(
        self,
        instance: Instance,
        candidates: CandidateTable,
        time_limit: float,
        start: Start | None = None,
        seed: int = 0,
        work: int | None = None,
        start_later: bool = False,
        wait: float | None = None,
    ):
        """With `start_later`, the child builds the program and then waits for the start
        schedule, which `send_start` gives it (the caller improves it meanwhile). With
        `wait`, `final` waits no more than that many seconds from now."""
        self._send_start = None
        if start_later:
            context = multiprocessing.get_context(
                "fork" if sys.platform.startswith("linux") else "spawn"
            )
            receive, self._send_start = context.Pipe(duplex=False)
            start = _StartLater(receive)
        self._child = Background(
            aggregate_bounds,
            (instance, candidates, time_limit, start),
            {"seed": seed, "work": work},
            daemon=False,  # it may start the LP in a process of its own
        )
        if start_later:
            start.connection.close()  # the child's end
        self._limit = time_limit
        self._due = time.perf_counter() + time_limit
        self._waited = None if wait is None else time.perf_counter() + wait
        self._latest: AggregateBound | None = None  # every answer `latest` heard, in one
        self.going_on = False
        """True once `final` returned before the child's end: the child goes on beside the
        caller, `latest` hears its later answers."""
        self._errors: tuple[str, ...] = ()  # the child's own children's, as last told

    @property
    def errors(self) -> list[str]:
        """The errors that stopped a background search of this bound's (the child
        itself, or one of its own children), each logged as a warning where it came."""
        own = [self._child.error] if self._child.error is not None else []
        return own + list(self._errors)

    def _heard(self, answers: list[AggregateBound]) -> list[AggregateBound]:
        for answer in answers:
            self._errors = answer.errors or self._errors
        return answers

    def send_start(self, start: Start) -> None:
        """The start schedule a child made with `start_later` waits for, sent by a
        thread of its own: the child reads it once its program is built, and a pipe
        holds 64 KiB (at 4000 proposals the caller waited 4 s for the child's build)."""
        connection = self._send_start

        def send() -> None:
            try:
                connection.send(start)
            except OSError:  # the child ended first (stopped, or failed)
                pass
            finally:
                connection.close()

        threading.Thread(target=send, name="send-start", daemon=True).start()

    def updates(self, wait: float = 0.0) -> list[AggregateBound]:
        """The answers that arrived since the last call, waiting up to `wait` seconds for
        one."""
        return self._heard(self._child.received(wait))

    def latest(self, wait: float = 0.0) -> AggregateBound | None:
        """Every answer so far in one, waiting up to `wait` seconds for a new one: the
        last, with the last schedule and the highest bound (by the clock, branch and
        bound's rising bound comes alone between its better schedules)."""
        for answer in self.updates(wait):
            self._latest = _joined(self._latest, answer)
        return self._latest

    def stop(self) -> None:
        """Stop the child: nothing more is heard from it."""
        self._child.stop()

    @property
    def finished(self) -> bool:
        return self._child.finished

    def result(self, wait: float) -> AggregateBound | None:
        """The last answer, waiting at most `wait` seconds for the child to end (then
        stopped); None if the child had nothing (more) to say in time."""
        answer = self._child.last(wait)
        return None if answer is None else self._heard([answer])[0]

    def final(self) -> AggregateBound | None:
        """The last answer, waiting for it until shortly after the time limit (a bound of
        0 if the child failed). With `wait` given, until then at most: the latest answer
        so far if the child has not ended by then (None if it has said nothing yet), the
        child left running (`going_on`)."""
        if self._waited is None:
            answer = self.result(wait=self._due + 2.0 - time.perf_counter())
        else:
            while not self.finished:
                before = self._latest
                answer = self.latest(max(0.0, self._waited - time.perf_counter()))
                if answer is before and time.perf_counter() >= self._waited:
                    self.going_on = True
                    return answer
            answer = self._latest
        if answer is None:  # the child failed
            return AggregateBound(0, False, "none", round(self._limit, 3), 0, 0, 0)
        return answer
