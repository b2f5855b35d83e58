"""The search: a deterministic incumbent search raced against a fast prover.

CP-SAT's parallel portfolio proves optimality fastest when its core-based and LP
workers share information, but which worker finds the final solution depends
on thread timing, so two runs may return different optimal schedules. Its
interleaved mode is deterministic but proves slowly. So the search runs both:

- the *finder* is a single CP-SAT worker, deterministic; its sequence of improving
  solutions depends only on the model (with its hint) and the seed;
- the *prover* is CP-SAT's ordinary parallel portfolio (`workers` threads, at
  least two); only its proven optimal value is used.

The returned schedule is the finder's first solution whose objective reaches the
proven optimum, a deterministic point of a deterministic sequence: same instance
and seed give the same schedule whenever the search completes within its time
limit, whatever the worker count. With `workers == 1` the finder runs alone, and so it
does when the search stops on work (`deterministic_time`): then the file must not depend
on when the prover ends.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat import cp_model_pb2, sat_parameters_pb2
from ortools.sat.python import cp_model

logger = logging.getLogger(__name__)

OnSolution = Callable[[float, float], None]
"""Called with (objective, best bound) for each solution better than every one before it,
the finder's or the prover's (the prover's schedule is the one returned when the time
limit comes first and it has the better one)."""
OnBound = Callable[[float], None]
"""Called with each improved best bound."""


def objective_of(model: cp_model.CpModel, response: cp_model_pb2.CpSolverResponse) -> float:
    """`model`'s objective at the solution of `response` (a solver's or a solution
    callback's `response_proto`), summed from the solution itself. CP-SAT's own
    `objective_value` can differ from it: OR-Tools 9.15, stopped on work, reported 1845
    for a solution whose terms sum to 1815, the validator's cost too (a generated
    100-proposal instance re-solved during the event, `bench.fuzz` seed 97; the model's
    presolve off, the two agreed). The file and every comparison take this one."""
    objective = model.proto.objective
    solution = np.asarray(response.solution, dtype=np.int64)
    refs = np.asarray(objective.vars, dtype=np.int64)
    # (a negative reference -i-1 stands for -x_i in a linear expression)
    values = np.where(refs >= 0, solution[np.maximum(refs, 0)], -solution[np.maximum(-refs - 1, 0)])
    total = float(np.dot(np.asarray(objective.coeffs, dtype=np.int64), values)) + objective.offset
    return total * (objective.scaling_factor or 1.0)


def cp_solver() -> cp_model.CpSolver:
    """A CP-SAT solver that leaves Ctrl-C to Python. By default CP-SAT takes SIGINT for
    itself during a solve (it stops that solve early and the command went on as if
    nothing had happened) and leaves the default action behind it (a later Ctrl-C then
    killed the command on the spot, without a word). Python's KeyboardInterrupt then
    comes when the solve returns, or at its next solution callback."""
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    return solver


STOP_AGAIN = 0.05
"""Seconds between two requests to stop a solve that has not ended (`_Worker.stop`)."""


class _Worker:
    """`target` in a thread of its own, waited for with an Event: the waiting thread gets
    Ctrl-C at once, stops the work (`stop`) and waits for it to end before the
    KeyboardInterrupt goes on. Not `Thread.join`: Python 3.11's join, interrupted, can
    mark a thread that still runs as ended (its next join returns at once; the process
    then exited beside a running solve and aborted: "terminate called without an active
    exception")."""

    def __init__(self, target: Callable[[], None], stop: Callable[[], None], name: str):
        self._stop = stop
        self.done = threading.Event()
        self.error: BaseException | None = None

        def run() -> None:
            try:
                target()
            except BaseException as exc:  # handed to the waiting thread
                self.error = exc
            finally:
                self.done.set()

        self.thread = threading.Thread(target=run, name=name, daemon=True)
        self.thread.start()

    def wait(self, tick: Callable[[], None] | None = None) -> None:
        """Wait for the work to end, calling `tick` (when given) every 0.2 s meanwhile."""
        try:
            while not self.done.wait(0.2):
                if tick is not None:
                    tick()
        except KeyboardInterrupt:
            self.stop()
            raise
        self.thread.join()
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        """Stop the work and wait for it to end. CP-SAT's `stop_search` is lost when it
        comes before the solve has begun (OR-Tools 9.15's `CpSolver.stop_search` stops
        the solve wrapper that `solve` makes, if there is one yet): it is asked again
        until the work ends. Otherwise a Ctrl-C just as a solve began let that solve run
        on to its time limit."""
        self._stop()
        while not self.done.wait(STOP_AGAIN):
            self._stop()
        self.thread.join()


def _started(target: Callable[[], None], stop: Callable[[], None], name: str) -> _Worker:
    """A `_Worker`, a Ctrl-C while it starts held until the caller has it: one that came
    after its thread started and before the caller held the worker (to stop it) left the
    work running beside the KeyboardInterrupt, a CP-SAT solve to its time limit. Such a
    Ctrl-C stops it, then goes on. (Only the main thread gets signals.)"""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(previous):
        return _Worker(target, stop, name)  # (a child ignores Ctrl-C: its parent's to take)
    held: list[int] = []
    signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    try:
        worker = _Worker(target, stop, name)
    finally:
        signal.signal(signal.SIGINT, previous)
    if held:
        worker.stop()
        raise KeyboardInterrupt
    return worker


def solve_interruptibly(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
    tick: Callable[[], None] | None = None,
) -> int:
    """`solver.solve(model, callback)`, with Ctrl-C taken at once: the solve runs in a
    thread of its own (`_Worker`) and is stopped on Ctrl-C. Called in the main thread, a
    solve held Ctrl-C until its next solution or its end (the direct path's finder
    proving: up to its whole time limit). `tick` is called every 0.2 s of the solve, in
    the calling thread (the block search's heartbeat for the progress line)."""
    result: dict[str, int] = {}

    def run() -> None:
        result["status"] = solver.solve(model, callback)

    _started(run, solver.stop_search, "cp-sat").wait(tick)
    return result["status"]


@dataclass
class Outcome:
    """The status, objective and bound of the search, and the solver holding the schedule."""

    status: int
    objective_value: float
    best_objective_bound: float
    solver: cp_model.CpSolver

    def boolean_value(self, literal: cp_model.LiteralT) -> bool:
        return self.solver.boolean_value(literal)

    def value(self, expr: cp_model.LinearExprT) -> int:
        return self.solver.value(expr)


class _FinderCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, race: _Race, on_solution: OnSolution | None, model: cp_model.CpModel):
        super().__init__()
        self._race = race
        self._on_solution = on_solution
        self._model = model

    def on_solution_callback(self) -> None:
        objective = objective_of(self._model, self.response_proto)
        self._race.report(self._on_solution, objective, self.best_objective_bound)
        if self._race.finder_found(objective):
            self.stop_search()


class _ProverCallback(cp_model.CpSolverSolutionCallback):
    """Reports the prover's solutions that beat every one reported before: stopped by
    the time limit, the search returns the prover's schedule when it is the better, and
    the progress had shown only the finder's (a generated 60-proposal instance: 1205
    shown to the end, 1075 written)."""

    def __init__(self, race: _Race, on_solution: OnSolution, model: cp_model.CpModel):
        super().__init__()
        self._race = race
        self._on_solution = on_solution
        self._model = model

    def on_solution_callback(self) -> None:
        objective = objective_of(self._model, self.response_proto)
        self._race.report(self._on_solution, objective, self.best_objective_bound)


class _Race:
    """Shared state between the finder and the prover threads."""

    def __init__(self, lower_bound: float | None = None):
        self.lock = threading.Lock()
        self.incumbent: float | None = None
        self.proven: float | None = None
        self.lower = lower_bound
        """A bound known before the search (the aggregated relaxation's)."""
        self.infeasible = False
        self.finder: cp_model.CpSolver | None = None
        self.reported: float | None = None
        """The best objective reported so far, the finder's or the prover's."""
        self._reporting = threading.Lock()

    def report(self, on_solution: OnSolution | None, objective: float, bound: float) -> None:
        """Pass a solution on when it beats every one reported before (one report at a
        time: the finder and the prover run in threads of their own)."""
        if on_solution is None:
            return
        with self._reporting:
            if self.reported is not None and objective >= self.reported - 1e-9:
                return
            self.reported = objective
            on_solution(objective, bound)

    def finder_found(self, objective: float) -> bool:
        """Record a finder solution; True when it reaches the proven optimum."""
        with self.lock:
            self.incumbent = objective
            if self.lower is not None and objective <= self.lower + 1e-9:
                return True
            return self.proven is not None and objective <= self.proven + 1e-9

    def prover_done(self, status: int, objective: float) -> None:
        with self.lock:
            if status == cp_model.OPTIMAL:
                self.proven = objective
                reached = self.incumbent is not None and self.incumbent <= objective + 1e-9
            else:
                self.infeasible = status == cp_model.INFEASIBLE
                reached = self.infeasible
        if reached and self.finder is not None:
            self.finder.stop_search()


def _finder_parameters(
    params: sat_parameters_pb2.SatParameters, time_limit: float, seed: int
) -> None:
    # One worker is deterministic whatever the machine; the full LP relaxation
    # (linearization level 2) and the model's hint (the greedy schedule) make it
    # find good schedules early. Measured on the bundled instance: first optimal
    # schedule after 10-16 s with the hint, 10-40 s without, and 26-44 s for
    # CP-SAT's interleaved (deterministic) parallel mode.
    params.max_time_in_seconds = time_limit
    params.random_seed = seed
    params.num_workers = 1
    params.linearization_level = 2


def _prover_parameters(
    params: sat_parameters_pb2.SatParameters, time_limit: float, seed: int, workers: int
) -> None:
    params.max_time_in_seconds = time_limit
    params.random_seed = seed
    params.num_workers = max(2, workers)
    if workers <= 3:
        # Two threads: the core-based worker proves, the LP worker feeds it solutions.
        params.subsolvers.extend(["core", "default_lp"])


def search(
    model: cp_model.CpModel,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
    on_solution: OnSolution | None = None,
    on_bound: OnBound | None = None,
    deterministic_time: float | None = None,
    lower_bound: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> Outcome:
    """Minimise `model`'s objective; see the module docstring for how and why.

    `lower_bound`, when given, is a bound proved elsewhere: a finder solution reaching
    it is optimal and ends the search. `stop`, when given, is asked every 0.2 s (in the
    calling thread) whether the caller has its answer from elsewhere: once it says so,
    the search ends with what it has.
    """
    race = _Race(lower_bound)
    finder = cp_solver()
    race.finder = finder
    _finder_parameters(finder.parameters, float(time_limit), int(seed))
    if deterministic_time is not None:
        finder.parameters.max_deterministic_time = float(deterministic_time)

    prover = None
    proving = None
    result: dict[str, int] = {}  # the prover's status, once it ends
    # Stopped on work, the finder alone: when the prover ends, and what it has then,
    # depend on the clock (its schedule was returned when the finder had not reached
    # its optimum; and the search waited for it to its time limit, 60 s)
    if workers > 1 and deterministic_time is None:
        prover = cp_solver()
        _prover_parameters(prover.parameters, float(time_limit), int(seed), int(workers))
        if on_bound is not None:
            prover.best_bound_callback = on_bound
        prover_model = model.clone()

        watch = None if on_solution is None else _ProverCallback(race, on_solution, prover_model)

        def prove() -> None:
            status = prover.solve(prover_model, watch)
            result["status"] = status
            objective = _objective(prover_model, prover, status)
            if status == cp_model.OPTIMAL:  # (its proof is of CP-SAT's own value: the lower)
                objective = min(objective, prover.best_objective_bound)
            race.prover_done(status, objective)

    stopped = False  # by `stop`

    def asked() -> None:
        nonlocal stopped
        if stop():  # (asked again at each tick: a stop before the solve begins is lost)
            stopped = True
            finder.stop_search()

    started = time.perf_counter()
    try:
        if prover is not None:
            proving = _started(prove, prover.stop_search, "prover")
        status = solve_interruptibly(
            finder,
            model,
            _FinderCallback(race, on_solution, model),
            tick=None if stop is None else asked,
        )
    except KeyboardInterrupt:
        if proving is not None:
            proving.stop()
        raise
    reached_lower = (
        status == cp_model.FEASIBLE
        and lower_bound is not None
        and _objective(model, finder, status) <= lower_bound + 1e-9
    )
    if proving is not None:
        if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE) or reached_lower or stopped:
            proving.stop()
        proving.wait()
    logger.info(
        "finder ended %s after %.2fs", finder.status_name(status), time.perf_counter() - started
    )

    if reached_lower:
        value = _objective(model, finder, status)
        return Outcome(cp_model.OPTIMAL, value, value, finder)
    outcome = _verdict(model, race, finder, status, prover, result.get("status", cp_model.UNKNOWN))
    return _consistent(outcome)


def _verdict(
    model: cp_model.CpModel,
    race: _Race,
    finder: cp_model.CpSolver,
    status: int,
    prover: cp_model.CpSolver | None,
    prover_status: int,
) -> Outcome:
    """The search's outcome from what the finder and the prover (if any) ended with."""
    found = _objective(model, finder, status)
    if status == cp_model.OPTIMAL or prover is None:
        return Outcome(status, found, _bound(finder, status), finder)
    if race.infeasible:
        return Outcome(cp_model.INFEASIBLE, 0.0, 0.0, prover)
    has_finder = status == cp_model.FEASIBLE
    proved = _objective(model, prover, prover_status)
    if race.proven is not None:
        if has_finder and found <= race.proven + 1e-9:
            return Outcome(cp_model.OPTIMAL, found, race.proven, finder)
        # The finder ran out of time before reaching the proven optimum: take the
        # prover's schedule (optimal, but which one depends on thread timing).
        logger.warning(
            "deterministic search did not reach the optimum in time; "
            "returning the parallel portfolio's schedule"
        )
        return Outcome(cp_model.OPTIMAL, proved, race.proven, prover)
    bound = max(_bound(finder, status), _bound(prover, prover_status))
    prover_has = prover_status == cp_model.FEASIBLE
    if prover_has and (not has_finder or proved < found):
        return Outcome(cp_model.FEASIBLE, proved, bound, prover)
    if has_finder:
        return Outcome(cp_model.FEASIBLE, found, bound, finder)
    return Outcome(status, 0.0, bound, finder)


def _consistent(outcome: Outcome) -> Outcome:
    """The outcome with its bound no higher than its schedule's objective (summed from the
    schedule, `objective_of`), and not optimal where CP-SAT proved a value other than
    that schedule's."""
    if outcome.status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return outcome
    if outcome.best_objective_bound > outcome.objective_value + 1e-9:
        logger.warning(
            "CP-SAT's bound %g is above its schedule's objective %g; the schedule's kept",
            outcome.best_objective_bound,
            outcome.objective_value,
        )
        outcome.best_objective_bound = outcome.objective_value
    if outcome.status == cp_model.OPTIMAL and (
        outcome.best_objective_bound < outcome.objective_value - 1e-9
    ):
        outcome.status = cp_model.FEASIBLE
    return outcome


def _objective(model: cp_model.CpModel, solver: cp_model.CpSolver, status: int) -> float:
    """The objective of the solver's schedule (`objective_of`), 0 without one."""
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0.0
    return objective_of(model, solver.response_proto)


def _bound(solver: cp_model.CpSolver, status: int) -> float:
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.UNKNOWN):
        return solver.best_objective_bound
    return float("-inf")
