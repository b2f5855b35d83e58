"""The search's objective: summed from the schedule CP-SAT returns, never taken on trust."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from bench.fuzz import draw
from bench.runner import run_resolve
from scheduler.instance import parse_instance
from scheduler.search import Outcome, _consistent, cp_solver, objective_of
from scheduler.solve import SolveOptions, solve

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial


def test_the_objective_is_summed_from_the_solution_with_its_offset():
    model = cp_model.CpModel()
    x = model.new_int_var(0, 10, "x")
    kept = model.new_bool_var("kept")
    model.add(x >= 3)
    model.add(kept == 0)
    # (a constant, a term 1 - literal and a negative coefficient, as the model writes)
    model.minimize(7 + 4 * x + 50 * (1 - kept) - 2 * x)
    solver = cp_solver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert objective_of(model, solver.response_proto) == 7 + 2 * 3 + 50
    assert objective_of(model, solver.response_proto) == solver.objective_value


def test_an_outcome_keeps_its_schedules_objective_and_no_bound_above_it():
    solver = cp_solver()
    above = _consistent(Outcome(cp_model.FEASIBLE, 1815.0, 1845.0, solver))
    assert (above.status, above.best_objective_bound) == (cp_model.FEASIBLE, 1815.0)
    # optimal for CP-SAT's own value, which is not the schedule's: not proven
    short = _consistent(Outcome(cp_model.OPTIMAL, 1845.0, 1815.0, solver))
    assert (short.status, short.best_objective_bound) == (cp_model.FEASIBLE, 1815.0)
    same = _consistent(Outcome(cp_model.OPTIMAL, 1815.0, 1815.0, solver))
    assert same.status == cp_model.OPTIMAL


def test_a_re_solve_writes_the_objective_the_validator_recomputes():
    # found by the fuzz (bench.fuzz --vary, seed 97): this generated instance, solved on
    # work, re-solved during the event without an initiative of a begun workshop.
    # OR-Tools 9.15's CP-SAT reported 1845 for the schedule it returned, whose terms sum
    # to 1815, the validator's cost too: the file said 1845 ("the file's objective is
    # 1845, recomputed 1815"). With CP-SAT's presolve off the two agreed.
    case = next(c for c in draw(20, 97, varied=True) if c.name == "bench-100-easy-s28457-v2999")
    document = case.document()
    source = Path(f"{case.name}.yaml")
    instance = parse_instance(copy.deepcopy(document), source)
    options = SolveOptions(time_limit=32, seed=case.seed, workers=2, deterministic_time=1.0)
    published = solve(instance, "sha256:fuzz", options)
    again = run_resolve(document, source, instance, published, options, during=True, begun=True)
    assert again is not None and again["valid"], again
    assert again["cancelled"] == "p0020"


def test_every_schedule_of_a_search_is_its_own_sum():
    # (random small models: the objective of whatever CP-SAT returns, stopped early or not)
    rng = random.Random(5)
    for _ in range(20):
        model = cp_model.CpModel()
        xs = [model.new_int_var(0, 5, f"x{i}") for i in range(6)]
        model.add(sum(xs) >= rng.randint(3, 12))
        model.minimize(rng.randint(0, 9) + sum(rng.randint(-3, 6) * x for x in xs))
        solver = cp_solver()
        solver.parameters.num_workers = 1
        assert solver.solve(model) == cp_model.OPTIMAL
        total = sum(solver.value(x) * c for x, c in _terms(model)) + model.proto.objective.offset
        assert objective_of(model, solver.response_proto) == total == solver.objective_value


def _terms(model: cp_model.CpModel):
    objective = model.proto.objective
    for ref, coefficient in zip(objective.vars, objective.coeffs, strict=True):
        yield model.get_int_var_from_proto_index(ref), coefficient


@pytest.mark.background_failure
def test_a_model_found_infeasible_beside_a_valid_start_is_an_error(monkeypatch, caplog):
    # CP-SAT's "infeasible" beside first fit's schedule, which holds every rule, is a
    # defect of the model: once the valid schedule was dropped and "infeasible" written
    from conftest import TINY

    import scheduler.search
    from scheduler.instance import instance_hash, load_instance
    from scheduler.solution import Status
    from scheduler.solve import SolveStats
    from scheduler.validate import validate

    def infeasible(*args, **kwargs):
        return Outcome(cp_model.INFEASIBLE, 0.0, 0.0, cp_model.CpSolver())

    monkeypatch.setattr(scheduler.search, "search", infeasible)
    instance = load_instance(TINY)
    options = SolveOptions(time_limit=10, seed=0, workers=1, relaxation_bound=False)
    stats = SolveStats()
    solution = solve(instance, instance_hash(TINY), options, stats=stats)
    assert solution.status is Status.FEASIBLE and solution.has_schedule
    report = validate(instance, solution)
    assert report.ok and report.objective == solution.objective
    assert len(stats.errors) == 1 and "defect of the model" in stats.errors[0]
    assert any(r.levelname == "ERROR" and "infeasible" in r.message for r in caplog.records)


def test_a_solve_ticks_in_the_calling_thread_while_it_runs():
    # the block search's heartbeat: `tick` every 0.2 s of a solve, in the thread that
    # waits for it (where the progress line is printed)
    import threading
    import time

    from scheduler.search import _started

    ticks = []

    def tick():
        ticks.append(threading.current_thread())

    _started(lambda: time.sleep(0.9), lambda: None, "sleep").wait(tick)
    assert len(ticks) >= 3 and set(ticks) == {threading.current_thread()}
