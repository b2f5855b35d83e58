"""A linear program held as arrays, solved by HiGHS (highspy); work in a child process.

Only numpy, scipy.sparse and highspy are imported, so a child process starts
quickly. The solver runs HiGHS in child processes (`Background`), whose
standard output is silenced (HiGHS prints a banner when first used), with one
thread each: a forked process does not inherit HiGHS's worker threads.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import sysconfig
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import highspy
import numpy as np
import numpy.typing as npt
from scipy.sparse import csc_array, vstack

logger = logging.getLogger(__name__)

Terms = list[tuple[int, float]]
"""A linear expression: (column, coefficient) pairs."""

LP_TOLERANCE = 1e-5
"""The interior point's optimality tolerance. Its bound does not rest on it (see
`Program.dual_bound`): 1e-5 instead of HiGHS's 1e-8 took bench-600-easy's LP from
9.9 to 7.0 s for a bound 0.06 lower, the same once rounded to the costs' divisor."""

PROVEN_GAP = 1e-4
"""HiGHS's default `mip_rel_gap`: a branch and bound that ends within it is exact."""


@dataclass
class LowerBound:
    """What solving a program proved about its minimum."""

    value: float
    """A lower bound on the minimum (-inf when nothing was proved)."""
    exact: bool
    """True when `value` is the minimum itself: for "mip", when branch and bound ended
    (within HiGHS's relative gap, 1e-4: `value` is then its dual bound, `solution`
    optimal within that gap)."""
    method: str
    """"mip" (integer program), "lp" (its linear relaxation, interior point) or "pdlp"
    (the same by a first-order method, stopped after a number of iterations)."""
    solution: list[int] | None = None
    """The best integer solution found (column values), for "mip"."""
    incumbent: float | None = None
    """The objective of `solution`."""
    work: int = 0
    """Branch and bound's work: how many times HiGHS offered to be interrupted (at the
    same points of the same run whatever the clock, unlike seconds)."""
    point: list[float] | None = None
    """The LP's optimal vertex (column values), for "lp" solved with `vertex=True`; its
    interior point, for "lp" solved with `interior=True`."""


class _Vectors(NamedTuple):
    """A program's costs and bounds as arrays."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray


@dataclass
class Program:
    """min cost·x  s.t.  row_lower <= A x <= row_upper,  lower <= x <= upper (x integer).

    Built as lists (`var`, `row`); a program made by `held` holds arrays instead and is
    only solved, never grown."""

    cost: list[float] | np.ndarray = field(default_factory=list)
    lower: list[float] | np.ndarray = field(default_factory=list)
    upper: list[float] | np.ndarray = field(default_factory=list)
    rows: list[int] | np.ndarray = field(default_factory=list)
    cols: list[int] | np.ndarray = field(default_factory=list)
    values: list[float] | np.ndarray = field(default_factory=list)
    row_lower: list[float] | np.ndarray = field(default_factory=list)
    row_upper: list[float] | np.ndarray = field(default_factory=list)

    @property
    def columns(self) -> int:
        return len(self.cost)

    def var(self, upper: float, cost: float = 0.0) -> int:
        """A new integer column in [0, upper]; its index."""
        self.cost.append(cost)
        self.lower.append(0.0)
        self.upper.append(upper)
        return len(self.cost) - 1

    def row(self, terms: Terms, lower: float = -math.inf, upper: float = math.inf) -> None:
        """lower <= sum(coefficient * column) <= upper."""
        if terms:
            columns, coefficients = zip(*terms, strict=True)
            self.rows.extend([len(self.row_lower)] * len(columns))
            self.cols.extend(columns)
            self.values.extend(coefficients)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def granularity(self) -> int:
        """The largest integer dividing every cost (1 when some cost is fractional):
        the objective of every integer solution is a multiple of it."""
        step = 0
        for cost in self.cost:
            if cost != int(cost):
                return 1
            step = math.gcd(step, int(cost))
        return step or 1

    def infeasible_rows(self, solution: list[int]) -> int:
        """How many rows and bounds `solution` breaks (0: it is a solution)."""
        x = np.asarray(solution, dtype=float)
        activity = self._matrix() @ x
        v = self._vectors()
        rows = np.sum(activity < v.row_lower - 1e-9) + np.sum(activity > v.row_upper + 1e-9)
        bounds = np.sum(x < v.lower) + np.sum(x > v.upper)
        return int(rows + bounds)

    def dual_bound(self, row_dual: npt.ArrayLike) -> float:
        """A lower bound on the LP's minimum from any row prices `y` (weak duality):
        min c·x over L <= Ax <= U, l <= x <= u is at least
        sum_j min over x_j of (c - Aᵀy)_j x_j + sum_i min over r_i in [L_i, U_i] of y_i r_i,
        finite once each price whose row has no bound on that side is set to 0 (every
        column here has finite bounds). So an interior point stopped short of optimality,
        or solved to a loose tolerance, still gives a valid bound: no margin is needed."""
        y = np.asarray(row_dual, dtype=float).copy()
        v = self._vectors()
        lower, upper = v.row_lower, v.row_upper
        y[(y > 0) & ~np.isfinite(lower)] = 0.0
        y[(y < 0) & ~np.isfinite(upper)] = 0.0
        reduced = v.cost - self._matrix().T @ y
        columns = np.where(reduced >= 0, reduced * v.lower, reduced * v.upper)
        rows = np.where(
            y > 0, y * np.nan_to_num(lower, neginf=0.0), y * np.nan_to_num(upper, posinf=0.0)
        )
        return float(columns.sum() + rows.sum())

    def _cached(self, name: str, size: tuple[int, ...], make: Callable[[], Any]) -> Any:
        """`make()`, kept until the program grows (the search by cliques holds parts of
        one program hundreds of times)."""
        cached = self.__dict__.get(name)
        if cached is None or cached[0] != size:
            cached = (size, make())
            self.__dict__[name] = cached
        return cached[1]

    def _vectors(self) -> _Vectors:
        def make() -> _Vectors:
            arrays = (self.cost, self.lower, self.upper, self.row_lower, self.row_upper)
            return _Vectors(*(np.asarray(v, dtype=float) for v in arrays))

        return self._cached("_arrays", (self.columns, len(self.row_lower)), make)

    def _matrix(self) -> csc_array:
        def make() -> csc_array:
            matrix = csc_array(
                (self.values, (self.rows, self.cols)), shape=(len(self.row_lower), self.columns)
            )
            matrix.sum_duplicates()
            return matrix

        return self._cached("_csc", (len(self.values), len(self.row_lower), self.columns), make)

    def held(self, hold: np.ndarray, values: list[int]) -> tuple[Program, np.ndarray, float]:
        """The program over the columns not in the boolean mask `hold`, those held at
        `values`: its rows are the rows touching a free column, their bounds moved by
        the held columns' activity. Returns it, the free columns' indices, and the held
        columns' cost.

        The returned program holds arrays, not lists, with its vectors and matrix made
        already (a round's program is solved, never grown): with its passage to HiGHS as
        arrays, bench-600-easy's search took 25.5 s instead of 28.6 for the same rounds."""
        matrix = self._matrix()
        x = np.asarray(values, dtype=float)
        held = np.where(hold, x, 0.0)
        activity = matrix @ held
        free = np.flatnonzero(~hold)
        part = matrix[:, free]
        rows = np.unique(part.indices)
        part = csc_array(part.tocsr()[rows])
        part.sum_duplicates()
        v = self._vectors()
        vectors = _Vectors(
            v.cost[free],
            v.lower[free],
            v.upper[free],
            v.row_lower[rows] - activity[rows],
            v.row_upper[rows] - activity[rows],
        )
        return Program._made(vectors, part), free, float(np.dot(v.cost, held))

    def restricted(self, rows: list[tuple[Terms, float, float]]) -> Program:
        """The same program with more rows, each (terms, lower, upper)."""
        extra = csc_array(
            (
                [coefficient for terms, _, _ in rows for _, coefficient in terms],
                (
                    [n for n, (terms, _, _) in enumerate(rows) for _ in terms],
                    [column for terms, _, _ in rows for column, _ in terms],
                ),
            ),
            shape=(len(rows), self.columns),
        )
        matrix = csc_array(vstack([self._matrix(), extra], format="csc"))
        matrix.sum_duplicates()
        v = self._vectors()
        vectors = v._replace(
            row_lower=np.concatenate([v.row_lower, [lower for _, lower, _ in rows]]),
            row_upper=np.concatenate([v.row_upper, [upper for _, _, upper in rows]]),
        )
        return Program._made(vectors, matrix)

    def capped(self, upper: np.ndarray) -> Program:
        """The same program with other upper bounds on its columns (its rows shared)."""
        vectors = self._vectors()._replace(upper=np.asarray(upper, dtype=float))
        return Program._made(vectors, self._matrix())

    def costed(self, cost: np.ndarray) -> Program:
        """The same program with another cost vector (its rows and bounds shared)."""
        vectors = self._vectors()._replace(cost=np.asarray(cost, dtype=float))
        return Program._made(vectors, self._matrix())

    @staticmethod
    def _made(vectors: _Vectors, matrix: csc_array) -> Program:
        """A program holding `vectors` and the (duplicate-free) `matrix` as arrays, both
        made already: it is solved, never grown."""
        coo = matrix.tocoo()
        program = Program(
            cost=vectors.cost,
            lower=vectors.lower,
            upper=vectors.upper,
            rows=coo.row,
            cols=coo.col,
            values=coo.data,
            row_lower=vectors.row_lower,
            row_upper=vectors.row_upper,
        )
        size = (len(coo.data), len(vectors.row_lower), program.columns)
        program._cached("_arrays", (program.columns, len(vectors.row_lower)), lambda: vectors)
        program._cached("_csc", size, lambda: matrix)
        return program

    def _highs(self, integral: bool, time_limit: float) -> highspy.Highs:
        matrix = self._matrix()
        v = self._vectors()
        infinity = highspy.kHighsInf
        row_lower = np.nan_to_num(v.row_lower, neginf=-infinity)
        row_upper = np.nan_to_num(v.row_upper, posinf=infinity)
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("time_limit", max(0.1, float(time_limit)))
        highs.setOptionValue("random_seed", 0)
        # One thread: HiGHS keeps a process-wide pool of worker threads, which a forked
        # child inherits without its threads (a child's HiGHS then waits for them
        # forever); parallelism comes from the processes instead (measured on the
        # bundled instance: 5.0 s with one thread, 4.9 s with two).
        highs.setOptionValue("threads", 1)
        # the arrays as they are: a HighsLp copies each vector element by element from
        # Python (0.12-0.19 s for a whole 600-proposal program, against 0.01 s; the same
        # model, the same bound and vertex)
        kind = highspy.HighsVarType.kInteger if integral else highspy.HighsVarType.kContinuous
        highs.passModel(
            self.columns,
            len(row_lower),
            matrix.nnz,
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            v.cost,
            v.lower,
            v.upper,
            row_lower,
            row_upper,
            matrix.indptr.astype(np.int32),
            matrix.indices.astype(np.int32),
            matrix.data.astype(float),
            np.full(self.columns, int(kind), dtype=np.int32),
        )
        return highs

    def minimum(
        self,
        time_limit: float,
        integral: bool,
        start: list[int] | None = None,
        on_solution: Callable[[LowerBound], None] | None = None,
        work: int | None = None,
        on_work: Callable[[LowerBound], None] | None = None,
        vertex: bool = False,
        gap: float | None = None,
        enough: Callable[[list[int]], bool] | None = None,
        defaults: bool = False,
        interior: bool = False,
        iterations: int | None = None,
        cutoff: float | None = None,
        stop_at: float | None = None,
        simplex: bool = False,
    ) -> LowerBound:
        """Solve as an integer program (branch and bound, from the solution `start` when
        given; `on_solution` hears of each better solution as it is found, `on_work` of
        the bound at each unit of work, each stamped with the work done; stopped after
        `work` units, see `LowerBound.work`, when given; once within the relative `gap`
        of its bound when given, else HiGHS's 1e-4; at the next unit of work after a
        better solution that is `enough`, when given) or as its LP relaxation (by
        interior point, deterministic: no work limit needed; with `vertex`, crossed
        over to an optimal vertex, returned as `LowerBound.point`; with `interior`, the
        interior point is returned there instead; with `iterations`, by HiGHS's
        first-order method, PDLP, stopped after that many iterations, no point). With
        `defaults`, branch and bound without a start keeps HiGHS's default options (as a
        peer would), one thread aside. With `cutoff`, branch and bound looks only for
        solutions cheaper than it (the bound is then at most `cutoff`: what it pruned
        costs that much or more); with `stop_at`, it stops at the next unit of work once
        its bound, rounded up to the costs' divisor, reaches that value (nothing cheaper
        is left to find). With `simplex`, the LP by dual simplex instead of interior
        point (faster on small programs: the bundled instance's with its links, 1,707
        columns, in 23-26 ms against 59-61)."""
        if not self.columns:
            return LowerBound(0.0, True, "mip" if integral else "lp", [], 0.0)
        highs = self._highs(integral, time_limit)
        if integral and start is None and not defaults:
            # Without a start, HiGHS's root reduced-cost heuristic (a sub-MIP on the
            # columns the root's reduced costs leave free) costs more than it saves:
            # branch and bound on 23 Commons AI-size relaxations took 16.3 s in all
            # instead of 18.7, faster on 19 (bench-40-easy 0.50 s instead of 0.93).
            # From a start (the rounds, branch and bound from the greedy schedule) it
            # stays: without it the rungs above 40 proposals, stopped on work, spent
            # their budgets in less time and ended worse (150-easy 2230 against 2215,
            # 2000-easy 69695 against 64980; bench/HISTORY.md, "What was tried")
            highs.setOptionValue("mip_heuristic_run_root_reduced_cost", False)
        if not integral:
            return self._lp_minimum(highs, vertex, interior, iterations, simplex)
        return self._mip_minimum(
            highs, start, on_solution, work, on_work, gap, enough, cutoff, stop_at
        )

    def _lp_minimum(
        self,
        highs: highspy.Highs,
        vertex: bool,
        interior: bool,
        iterations: int | None,
        simplex: bool = False,
    ) -> LowerBound:
        """The LP relaxation's bound (see `minimum`)."""
        # interior point: 5-10x faster than dual simplex on the aggregated programs;
        # without presolve, and without crossover unless a vertex is asked for (the
        # bound needs none): 14.3 -> 10.8 s on bench-600-easy, 7.5 -> 5.9 s on
        # bench-600-tight; the bound is weak duality's on its row prices, whatever
        # its status
        if iterations is not None:
            # PDLP: its prices bound the LP by weak duality at any iteration; on the
            # 2000-proposal programs, 2000 iterations (13-18 s) bound within 1-1.5 %
            # of the optimum, which the interior point needs 50-90 s for
            highs.setOptionValue("solver", "pdlp")
            highs.setOptionValue("pdlp_iteration_limit", iterations)
        elif simplex:
            highs.setOptionValue("solver", "simplex")
        else:
            highs.setOptionValue("solver", "ipm")
            highs.setOptionValue("run_crossover", "on" if vertex else "off")
            highs.setOptionValue("ipm_optimality_tolerance", LP_TOLERANCE)
        highs.setOptionValue("presolve", "off")
        highs.run()
        solution = highs.getSolution()
        method = "lp" if iterations is None else "pdlp"
        if highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            # no solution at all, so no bound is too high (weak duality on the
            # prices that show it gave 6.8e19 for a restricted 40-proposal program)
            return LowerBound(math.inf, False, method)
        if not solution.dual_valid:
            return LowerBound(-math.inf, False, method)
        # a vertex only if crossover ended with a basis
        point = None
        wanted = (vertex and highs.getBasis().valid) or (interior and not vertex)
        if wanted and iterations is None:
            point = list(solution.col_value)
        return LowerBound(self.dual_bound(solution.row_dual), False, method, point=point)

    def _mip_minimum(
        self,
        highs: highspy.Highs,
        start: list[int] | None,
        on_solution: Callable[[LowerBound], None] | None,
        work: int | None,
        on_work: Callable[[LowerBound], None] | None,
        gap: float | None,
        enough: Callable[[list[int]], bool] | None,
        cutoff: float | None,
        stop_at: float | None,
    ) -> LowerBound:
        """Branch and bound's answer (see `minimum`)."""
        if gap is not None:
            highs.setOptionValue("mip_rel_gap", gap)
        if cutoff is not None:
            highs.setOptionValue("objective_bound", cutoff)
        if start is not None:
            given = highspy.HighsSolution()
            given.col_value = [float(v) for v in start]
            given.value_valid = True
            highs.setSolution(given)
        done = [0]  # the work so far (see LowerBound.work)

        def bound_of(event: highspy.HighsCallbackEvent) -> float:
            dual = float(event.data_out.mip_dual_bound)
            return dual if math.isfinite(dual) else -math.inf

        step = self.granularity() if stop_at is not None else 1
        satisfied = [False]  # a better solution was `enough`
        if on_solution is not None or enough is not None:

            def improved(event: highspy.HighsCallbackEvent) -> None:
                out = event.data_out
                solution = [int(round(v)) for v in out.mip_solution]
                if enough is not None and enough(solution):
                    satisfied[0] = True
                if on_solution is not None:
                    incumbent = float(np.dot(self.cost, solution))  # (as at the end)
                    bound = min(bound_of(event), incumbent)
                    found = LowerBound(bound, False, "mip", solution, incumbent, done[0])
                    on_solution(found)

            highs.cbMipImprovingSolution.subscribe(improved)

        def interrupt(event: highspy.HighsCallbackEvent) -> None:
            # HiGHS asks at fixed points of its search: a run stopped after the same
            # number of asks ends in the same state (measured: same solution and bound
            # on bench-150-easy, alone or beside another run)
            done[0] += 1
            if on_work is not None:
                on_work(LowerBound(bound_of(event), False, "mip", work=done[0]))
            if (work is not None and done[0] >= work) or satisfied[0]:
                event.interrupt()
            elif stop_at is not None:
                bound = bound_of(event)
                if math.isfinite(bound) and rounded_up(bound, step) >= stop_at:
                    event.interrupt()

        highs.cbMipInterrupt.subscribe(interrupt)
        highs.run()
        info = highs.getInfo()
        solution, incumbent = None, None
        dual = float(info.mip_dual_bound)
        value = dual if math.isfinite(dual) else -math.inf
        if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
            solution = [int(round(v)) for v in highs.getSolution().col_value]
            # the rounded solution's own cost: HiGHS's objective carries its columns'
            # distance to integers (within its tolerance) times their costs, and no bound
            # is above a solution's cost
            incumbent = float(np.dot(self.cost, solution))
            value = min(value, incumbent)
        # optimal within `gap` only: its bound is the dual bound, not the solution's value
        # (nor within HiGHS's default gap, 1e-4: the dual bound, which rounds up to the
        # solution's value wherever that gap is under the costs' divisor)
        proven = gap is None or info.mip_gap <= PROVEN_GAP
        exact = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal and proven
        if exact and incumbent is not None and not math.isfinite(dual):
            value = incumbent  # (an optimum without a dual bound: its solution's cost)
        if highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            value = math.inf  # (no solution at all: no bound is too high)
        if cutoff is not None:
            # what it pruned costs `cutoff` or more, and HiGHS then reports a finished
            # search as optimal, its bound that of the solutions it kept (the bundled
            # instance's part with two keynotes in a workshop, cut at 72.5: "optimal",
            # bound 28145 from a heuristic's solution, where its optimum is 100)
            value = min(value, cutoff)
            exact = exact and incumbent is not None and incumbent < cutoff
        return LowerBound(value, exact, "mip", solution, incumbent, done[0])


PR_SET_PDEATHSIG = 1
"""Linux's `prctl` option: the signal a process gets when its parent ends."""


def _as_child(parent: int) -> None:
    """Set up a child process: Ctrl-C is its parent's to handle (the child would print
    a traceback of its own), and on Linux it ends when `parent`, which started it, ends,
    however that ends (elsewhere children are spawned and see their pipes close). A
    search's child killed when the solve must stop at once would otherwise leave its
    helpers waiting for rounds forever: a forked helper holds both ends of its own pipe,
    and standard error, so `scheduler solve ... 2>&1 | grep` never returned. (The
    kernel's parent is the thread that forked: children are started from the main
    thread, never from a thread that ends before them.)"""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request
        os._exit(0)


def _silence() -> None:
    """HiGHS prints a banner on standard output when first used: not the caller's output."""
    sys.stdout.flush()
    # without /dev/null (it once went missing here) the child works on, banner shown: it
    # died at this line, and the solve went on without it
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.close(null)


class _Failed(NamedTuple):
    """A child's error, sent to the caller in place of a traceback on its screen."""

    error: str
    """Its type and message (`Background.error`, `SolveStats.errors`)."""
    where: str
    """The innermost line of the project's code (not Python's or a library's) it was
    raised from, as `scheduler/bound.py:412 in _guided`."""
    trace: str
    """The formatted traceback."""


_LIBRARIES = tuple(
    os.path.join(os.path.abspath(sysconfig.get_paths()[name]), "")
    for name in ("stdlib", "platstdlib", "purelib", "platlib")
)
"""Where Python's and the installed libraries' files are: not the project's code."""


def _failure(error: Exception) -> _Failed:
    """`error`, caught in a child, as its caller is told it."""
    frames = traceback.extract_tb(error.__traceback__)
    package = os.path.dirname(os.path.abspath(__file__))
    ours = [
        f
        for f in frames
        if os.path.abspath(f.filename).startswith(package + os.sep)  # (even installed)
        or not os.path.abspath(f.filename).startswith(_LIBRARIES)
    ]
    where = ""
    if ours or frames:
        frame = (ours or frames)[-1]
        root = os.path.dirname(package)
        path = os.path.abspath(frame.filename)
        shown = os.path.relpath(path, root) if path.startswith(root + os.sep) else path
        where = f"{shown}:{frame.lineno} in {frame.name}"
    return _Failed(f"{type(error).__name__}: {error}", where, traceback.format_exc())


def _child(
    target: Callable[..., None],
    args: tuple,
    options: dict,
    send: multiprocessing.connection.Connection,
    parent: int,
) -> None:
    _as_child(parent)
    _silence()
    try:
        target(*args, send.send, **options)
    except (BrokenPipeError, EOFError):  # the caller stopped listening
        pass
    except Exception as error:  # a defect: said once, the caller goes on without it
        with contextlib.suppress(OSError):
            send.send(_failure(error))
    finally:
        send.close()


def _said(failed: _Failed, name: str) -> None:
    """A child's error, logged where its caller receives it: a warning line (what the CLI
    shows: where it was raised, no traceback), then the traceback at DEBUG level."""
    logger.warning(
        "a background search (%s) stopped on an error, the solve goes on without it: %s%s",
        name,
        failed.error,
        f" ({failed.where})" if failed.where else "",
    )
    logger.debug("the background search (%s) stopped on:\n%s", name, failed.trace.rstrip())


class Background:
    """`target(*args, emit)` in a child process beside the caller's own work: each item
    it passes to `emit` reaches the caller as soon as it is made."""

    def __init__(
        self,
        target: Callable[..., None],
        args: tuple,
        options: dict | None = None,
        daemon: bool = True,
    ):
        """`daemon=False` lets the child start children of its own; it is then stopped at
        the latest when this object is collected or the interpreter exits."""
        # fork on Linux: the child starts at once with the arguments in memory (a spawned
        # child imports the caller's modules again and is sent the arguments through a
        # pipe: 2-3 s); elsewhere fork is unsafe or missing
        linux = sys.platform.startswith("linux")
        context = multiprocessing.get_context("fork" if linux else "spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child, args=(target, args, options or {}, send, os.getpid()), daemon=daemon
        )
        self._process.start()
        send.close()
        if not daemon:
            weakref.finalize(self, _kill, self._process)
        self.finished = False
        """True once the child has said everything (or died)."""
        self.error: str | None = None
        """The child's error when it stopped on one (logged as a warning)."""
        self._name = getattr(target, "__name__", "child")

    def received(self, wait: float = 0.0) -> list[Any]:
        """What the child yielded since the last call, waiting up to `wait` seconds for the
        first item; `finished` tells whether more can come."""
        items: list[Any] = []
        if self.finished:
            return items
        timeout = max(0.0, wait)
        try:
            while self._receive.poll(timeout):
                item = self._receive.recv()
                timeout = 0.0
                if isinstance(item, _Failed):
                    self.error = item.error
                    _said(item, self._name.strip("_"))
                    continue
                items.append(item)
        except (EOFError, OSError):
            self.stop()
        return items

    def stop(self) -> None:
        """Stop the child (if still running); nothing more will be received."""
        if self.finished:
            return
        self.finished = True
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()

    def last(self, wait: float) -> Any | None:
        """The child's last item, waiting up to `wait` seconds for it to finish; the child
        is stopped either way. None when it yielded nothing."""
        answer = None
        deadline = time.perf_counter() + max(0.0, wait)
        while not self.finished:
            items = self.received(max(0.0, deadline - time.perf_counter()))
            if items:
                answer = items[-1]
            elif time.perf_counter() >= deadline:
                break
        self.stop()
        return answer


def _serve(connection: multiprocessing.connection.Connection, parent: int) -> None:
    """A helper's loop: solve each (program, arguments) received, send back the answer."""
    _as_child(parent)
    _silence()
    try:
        while (request := connection.recv()) is not None:
            program, arguments = request
            connection.send(program.minimum(**arguments))
    except (EOFError, OSError):
        pass
    except Exception as error:  # a defect: said once, the caller goes on alone
        with contextlib.suppress(OSError):
            connection.send(_failure(error))
    finally:
        connection.close()


class Helper:
    """A child process that solves the programs it is sent, one at a time, while the
    caller solves another: a second core for rounds of a search. Start it before this
    process uses HiGHS (a forked child does not inherit HiGHS's threads)."""

    def __init__(self):
        linux = sys.platform.startswith("linux")
        context = multiprocessing.get_context("fork" if linux else "spawn")
        self._connection, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, os.getpid()), daemon=True)
        self._process.start()
        theirs.close()
        self._stopped = False
        self.error: str | None = None
        """The helper's error when it stopped on one (logged as a warning)."""
        weakref.finalize(self, _kill, self._process)

    def submit(self, program: Program, **arguments) -> None:
        """Start `program.minimum(**arguments)` there."""
        self._connection.send((program, arguments))

    def answer(self, wait: float) -> LowerBound | None:
        """The answer to the last program submitted (None if none came within `wait`, or
        the helper stopped on an error)."""
        try:
            if self._connection.poll(max(0.0, wait)):
                answer = self._connection.recv()
                if isinstance(answer, _Failed):
                    self.error = answer.error
                    _said(answer, "helper")
                    return None
                return answer
        except (EOFError, OSError):
            pass
        return None

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        with contextlib.suppress(OSError):  # a broken pipe: the helper is gone already
            self._connection.send(None)
        self._process.join(timeout=1.0)
        _kill(self._process)
        self._connection.close()


def ready(helpers: list[Helper], wait: float) -> list[int]:
    """The indices of the helpers whose answer has come, waiting up to `wait` seconds for
    the first."""
    connections = [helper._connection for helper in helpers]
    if not connections:
        return []
    came = multiprocessing.connection.wait(connections, timeout=max(0.0, wait))
    return [n for n, connection in enumerate(connections) if connection in came]


def _kill(process: multiprocessing.process.BaseProcess) -> None:
    if process.is_alive():
        process.kill()
        process.join()


ROUNDING_TOLERANCE = 1e-6
"""Relative room for the solver's tolerances when a bound is rounded up (`rounded_up`).
Absolute (1e-6) it was too little: a counting program whose optimum is 7000 (seven
proposals left out at 1000 each) was reported at 7000.0000013, its left-out count
1.3e-9 over 7, and rounded up to 8000 (`scheduler explain` then said at most 190 of 200
could be placed, beside a schedule placing 191)."""


def rounded_up(value: float, step: int) -> int:
    """A bound up to the next multiple of `step` (every schedule costs a multiple of the
    costs' common divisor), with room for the solver's tolerances."""
    return step * math.ceil((value - ROUNDING_TOLERANCE * max(1.0, abs(value))) / step)
