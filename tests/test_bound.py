"""The aggregated relaxation solved in its process (`scheduler.bound`): the bound, the
schedules it passes on, and how both search paths use them."""

from __future__ import annotations

import inspect
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from conftest import (
    BUNDLED,
    ROOT,
    aggregate_bound,
    base_data,
    build,
    counting_bound,
    from_greedy,
    greedy_start,
    proposal,
)
from ortools.sat.python import cp_model

import scheduler.bound as bound_module
import scheduler.cliques as cliques_module
import scheduler.program as program_module
import scheduler.solve as solve_module
from bench.generate import main as generate_main
from scheduler.bound import (
    GUIDED_WORK,
    AggregateBound,
    PendingBound,
    _guided,
    _placed,
    _whole,
)
from scheduler.candidates import candidate_table
from scheduler.greedy import greedy_solution, improved_schedule
from scheduler.instance import Instance, load_instance
from scheduler.program import Background, Helper, Program
from scheduler.relaxation import Relaxation
from scheduler.search import _Race, search
from scheduler.solution import Solution, Status
from scheduler.solve import (
    SolveOptions,
    SolveStats,
    _raise_bound,
    _scored,
    solve,
    trivial_bound,
)
from scheduler.validate import validate
from scheduler.workshops import schedule_of_workshops

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial

TIGHT = ROOT / "instances" / "bench" / "bench-40-tight.yaml"
EASY = ROOT / "instances" / "bench" / "bench-150-easy.yaml"
EASY_S7 = ROOT / "instances" / "bench" / "holdout" / "bench-150-easy-s7.yaml"


def test_forced_costs_are_bounded_exactly():
    # two parallel 90-minute slots, two French keynotes of one theme: apart they cost a
    # parallel-theme and a parallel-language pair (30 + 5) and 2 x 15 idle minutes;
    # together, 20 minutes of participatory time short of the target; one left out,
    # 1000. The relaxation weighs the same choices.
    data = base_data()
    data["proposals"] = [proposal("k1", speakers=["sp1"]), proposal("k2", speakers=["sp2"])]
    instance = build(data)
    bound = aggregate_bound(instance, candidate_table(instance), time_limit=5)
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=5, workers=1))
    assert solution.status is Status.OPTIMAL
    assert bound.exact
    assert bound.value == solution.objective == 20


def test_bound_lies_between_the_trivial_bound_and_a_schedule():
    instance = load_instance(TIGHT)
    candidates = candidate_table(instance)
    bound = aggregate_bound(instance, candidates, time_limit=10)
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=2, workers=1))
    assert trivial_bound(instance, candidates) < bound.value <= solution.objective
    assert bound.method == "mip"


def test_child_process_gives_the_same_bound():
    instance = load_instance(TIGHT)
    candidates = candidate_table(instance)
    here = aggregate_bound(instance, candidates, time_limit=20)
    assert here.exact  # solved to optimality: the value does not depend on timing
    there = PendingBound(instance, candidates, time_limit=20).result(wait=30)
    assert there.value == here.value
    assert there.exact


def test_block_search_reports_the_relaxation_bound():
    instance = load_instance(TIGHT)
    candidates = candidate_table(instance)
    stats = SolveStats()
    solution = solve(
        instance,
        "sha256:x",
        SolveOptions(time_limit=6, workers=1, direct_limit=0),
        stats=stats,
    )
    assert validate(instance, solution).ok
    assert stats.relaxation is not None
    assert solution.bound == min(solution.objective, stats.relaxation.value)
    assert solution.bound > trivial_bound(instance, candidates)
    # solved exactly, the relaxation's schedule holds every rule and reaches its bound
    assert stats.relaxation.exact
    assert solution.status is Status.OPTIMAL
    assert solution.objective == stats.relaxation.value


def test_an_exact_relaxation_reached_by_its_schedule_needs_no_search(monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("searched although the relaxation's schedule is optimal")

    monkeypatch.setattr("scheduler.search.search", no_search)
    instance = load_instance(TIGHT)
    stats = SolveStats()
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=20, workers=1), stats=stats)
    assert stats.relaxation is not None and stats.relaxation.exact
    assert solution.status is Status.OPTIMAL
    assert solution.objective == solution.bound == stats.relaxation.value
    assert validate(instance, solution).ok
    # the relaxation's schedule, with the model's penalty lines adding up to its cost
    assert {w.slot: sorted(w.proposals) for w in solution.workshops} == {
        slot: sorted(members) for slot, (_, members) in stats.relaxation.schedule.items()
    }
    assert sum(p.cost for p in solution.penalties) == solution.objective
    assert all(p.detail and "total over the schedule" not in p.detail for p in solution.penalties)


def test_the_direct_search_gets_what_the_relaxation_leaves_of_the_time_limit(monkeypatch):
    # a relaxation that took 1.5 s and found nothing: by the clock CP-SAT's search gets
    # the rest of the time limit, not the whole limit after it (a generated 60-proposal
    # instance ran 12 s with --time-limit 8); stopped on work the limit stays whole, a
    # backstop
    import scheduler.search as search_module

    def nothing(self):
        time.sleep(1.5)
        self.result(wait=0.0)
        return None

    given: list[tuple[float, float]] = []
    real = search_module.search

    def timed(model, time_limit, **kwargs):
        given.append((time.perf_counter() - started, time_limit))
        return real(model, time_limit=time_limit, **kwargs)

    monkeypatch.setattr(PendingBound, "final", nothing)
    monkeypatch.setattr(search_module, "search", timed)
    instance = load_instance(TIGHT)
    for options in (
        SolveOptions(time_limit=4, workers=1),
        SolveOptions(time_limit=4, workers=1, deterministic_time=0.5),
    ):
        given.clear()
        started = time.perf_counter()
        solution = solve(instance, "sha256:x", options)
        assert validate(instance, solution).ok
        ((called, limit),) = given
        assert called >= 1.5
        if options.deterministic_time is None:
            assert limit == pytest.approx(options.time_limit - called, abs=0.05)
        else:
            assert limit == options.time_limit


def _search_finding_nothing(monkeypatch) -> list[bool]:
    """The direct path's search replaced by one that finds nothing; for each call,
    whether its hint was complete."""
    import scheduler.search as search_module
    from scheduler.search import Outcome

    hints: list[bool] = []

    def nothing_found(model, time_limit, **kwargs):
        hints.append(len(model.proto.solution_hint.vars) == len(model.proto.variables))
        return Outcome(cp_model.UNKNOWN, 0.0, 0.0, None)

    monkeypatch.setattr(search_module, "search", nothing_found)
    return hints


def test_an_unproven_relaxation_schedule_is_the_search_start_and_its_fallback(monkeypatch):
    # branch and bound stopped by its limit with a schedule better than first fit (a
    # generated 100-proposal instance, --time-limit 8: first fit 3520 with two placeable
    # proposals out, written as the result; the relaxation's 1270 unused): CP-SAT gets it
    # as a complete hint, and when CP-SAT finds nothing in time it is the result, with
    # the relaxation's bound and the reasons of what it leaves out
    import dataclasses

    from scheduler.greedy import NOT_PLACED

    instance = load_instance(TIGHT)
    candidates = candidate_table(instance)
    optimum = aggregate_bound(instance, candidates, time_limit=30)
    assert optimum.exact and optimum.schedule
    # the optimum with one placeable proposal left out, where every rule still holds
    for slot_id, (theme, members) in sorted(optimum.schedule.items()):
        for proposal_id in members:
            schedule = dict(optimum.schedule)
            schedule[slot_id] = (theme, [p for p in members if p != proposal_id])
            left = _scored(instance, "sha256:x", schedule)
            if left is not None and candidates.slots[proposal_id]:
                break
        else:
            continue
        break
    assert left is not None
    first_fit = greedy_solution(instance, "sha256:x", candidates)
    assert left.objective < first_fit.objective
    unproven = dataclasses.replace(optimum, value=optimum.value - 5, exact=False, schedule=schedule)
    monkeypatch.setattr(PendingBound, "final", lambda self: unproven)
    # (first fit leaves a proposal out here, which the relocations place: kept as it is,
    # so that the relaxation's schedule is the better start)
    monkeypatch.setattr(solve_module, "_relocated", lambda *arguments: first_fit)
    hints = _search_finding_nothing(monkeypatch)
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=10, workers=1))
    assert hints == [True]  # a complete hint: CP-SAT starts from that schedule
    assert solution.objective == left.objective
    assert solution.bound == unproven.value
    assert solution.status is Status.FEASIBLE
    assert validate(instance, solution).ok
    out = {u.proposal: u.reasons for u in solution.unscheduled}
    assert proposal_id in out
    assert out[proposal_id] and NOT_PLACED not in out[proposal_id]
    assert sum(p.cost for p in solution.penalties) == solution.objective


def test_an_exact_relaxation_schedule_that_breaks_a_rule_is_mended(monkeypatch):
    # the relaxation's exact optimum may break a rule it drops (a `together` pair split
    # between two workshops of one kind, talks of their own length that overrun): it was
    # CP-SAT's complete hint all the same, which CP-SAT could not use (a generated
    # 60-proposal instance: 2379-3239 in 8 s against its bound 1248). Now it is mended
    # first, and the mended schedule is the hint and the fallback
    import dataclasses

    instance = load_instance(TIGHT)
    candidates = candidate_table(instance)
    # the whole program's optimum, which this case was built on (the split on keynote
    # pairs finds another, where the mended schedule costs more than first fit)
    monkeypatch.setattr(bound_module._SplitOnKeynotePairs, "solved", lambda self: False)
    optimum = aggregate_bound(instance, candidates, time_limit=30)
    assert optimum.exact and optimum.schedule
    # p0037 taken from its `together` partner p0002 to another workshop that takes it
    schedule = dict(optimum.schedule)
    home = next(s for s, (_, members) in schedule.items() if "p0037" in members)
    language = instance.proposal_by_id["p0037"].language
    for slot_id, (theme, members) in sorted(schedule.items()):
        if (
            slot_id != home
            and slot_id in candidates.slots["p0037"]
            and theme in instance.proposal_by_id["p0037"].themes
            and all(instance.proposal_by_id[p].language == language for p in members)
        ):
            break
    schedule[home] = (schedule[home][0], [p for p in schedule[home][1] if p != "p0037"])
    schedule[slot_id] = (theme, [*members, "p0037"])
    assert _scored(instance, "sha256:x", schedule) is None  # it breaks `together`
    broken = dataclasses.replace(optimum, schedule=schedule)
    monkeypatch.setattr(PendingBound, "final", lambda self: broken)
    hints = _search_finding_nothing(monkeypatch)
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=10, workers=1))
    assert validate(instance, solution).ok
    assert hints == [True]  # the mended schedule, complete
    where = {p: w.slot for w in solution.workshops for p in w.proposals}
    assert where["p0002"] == where["p0037"]
    assert solution.objective < greedy_solution(instance, "sha256:x", candidates).objective


def test_the_progress_hears_only_of_schedules_better_than_the_start(monkeypatch):
    # CP-SAT's first schedules may be worse than the greedy start shown already: they
    # are not reported as the best (nor timed as the best schedule's)
    import scheduler.search as search_module

    real = search_module.search

    def worse_first(model, time_limit, on_solution=None, **kwargs):
        on_solution(first_fit.objective + 100, 0.0)
        on_solution(first_fit.objective, 0.0)
        return real(model, time_limit=time_limit, on_solution=on_solution, **kwargs)

    monkeypatch.setattr(search_module, "search", worse_first)
    instance = load_instance(TIGHT)
    first_fit = greedy_solution(instance, "sha256:x")
    reports: list[float] = []
    stats = SolveStats()
    solution = solve(
        instance,
        "sha256:x",
        SolveOptions(time_limit=5, workers=1, relaxation_bound=False),
        progress=lambda elapsed, objective, bound: reports.append(objective),
        stats=stats,
    )
    shown = [objective for objective in reports if objective is not None]
    assert shown[0] == first_fit.objective
    assert all(later < earlier for earlier, later in zip(shown, shown[1:], strict=False))
    assert shown[-1] == solution.objective
    assert stats.solutions == len(shown)


def test_the_direct_search_starts_with_what_first_fit_left_out_placed(monkeypatch):
    # no relaxation in time and a search that finds nothing (as CP-SAT with little work
    # on a tight instance): the result is first fit with the block search's relocations,
    # every placeable proposal placed, not first fit with one left out
    import scheduler.search as search_module
    from scheduler.search import Outcome

    def nothing(self):
        self.result(wait=0.0)
        return None

    monkeypatch.setattr(PendingBound, "final", nothing)
    monkeypatch.setattr(
        search_module,
        "search",
        lambda model, time_limit, **kwargs: Outcome(cp_model.UNKNOWN, 0.0, 0.0, None),
    )
    instance = load_instance(TIGHT)
    candidates = candidate_table(instance)
    first_fit = greedy_solution(instance, "sha256:x", candidates)
    waiting = [u.proposal for u in first_fit.unscheduled if candidates.slots[u.proposal]]
    assert waiting  # first fit leaves a placeable proposal out
    reports: list[float] = []
    for options in (
        SolveOptions(time_limit=10, workers=1),
        SolveOptions(time_limit=10, workers=1, deterministic_time=1.0),
    ):
        solution = solve(
            instance,
            "sha256:x",
            options,
            progress=lambda elapsed, objective, bound: reports.append(objective),
        )
        assert validate(instance, solution).ok
        assert solution.objective < first_fit.objective
        assert not [u for u in solution.unscheduled if candidates.slots[u.proposal]]
        assert solution.objective in reports  # shown as it came
        # the file it is written to names its instance: the block search's schedule named
        # none, and `validate` and `export` then said the instance file had changed since
        assert solution.instance_hash == "sha256:x"


def test_the_relaxation_schedule_of_the_bundled_instance_is_optimal():
    instance = load_instance(BUNDLED)
    bound = aggregate_bound(instance, candidate_table(instance), time_limit=60)
    assert bound.exact and bound.schedule
    schedule = _scored(instance, "sha256:x", bound.schedule)
    assert schedule is not None  # every rule holds
    assert schedule.objective == bound.value


def test_search_stops_at_a_given_lower_bound():
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(30)]
    model.add(sum(x) >= 7)
    model.minimize(sum((i % 5 + 1) * v for i, v in enumerate(x)))
    outcome = search(model, time_limit=10, workers=2, lower_bound=8)
    assert outcome.status == cp_model.OPTIMAL
    assert outcome.objective_value == 8  # the six items of cost 1 and one of cost 2
    assert outcome.best_objective_bound == 8
    race = _Race(lower_bound=8)
    assert not race.finder_found(9)
    assert race.finder_found(8)


def test_the_race_reports_only_solutions_better_than_every_one_before():
    # the finder's and the prover's solutions, from two threads: the progress hears of
    # the better ones only, whichever found them
    race = _Race()
    heard: list[float] = []

    def on_solution(objective: float, bound: float) -> None:
        heard.append(objective)

    for objective in (120, 110, 115, 90, 90, 100, 80):
        race.report(on_solution, objective, 0.0)
    race.report(None, 10, 0.0)  # nobody listening
    assert heard == [120, 110, 90, 80]


def _spin(seconds: float, emit) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    emit("done")


@pytest.mark.parametrize("lp_sized", [False, True])
def test_deterministic_runs_give_the_same_schedule_on_a_loaded_machine(monkeypatch, lp_sized):
    # the relaxation's searches stop on work, not on the clock, and the parent takes their
    # answers only once all have come
    if lp_sized:  # the 600-proposal path: LP bound, search by cliques to its budget,
        # whole workshops moved before and after it
        monkeypatch.setattr(bound_module, "MIP_COLUMNS", 0)
        monkeypatch.setattr(solve_module, "IMPROVE_PAIRS", 0)
    instance = load_instance(TIGHT)
    options = SolveOptions(time_limit=40, workers=1, direct_limit=0, deterministic_time=1)
    stats = SolveStats()
    first = solve(instance, "sha256:x", options, stats=stats)
    busy = [Background(_spin, (30.0,)) for _ in range(2)]
    try:
        second = solve(instance, "sha256:x", options)
    finally:
        for process in busy:
            process.stop()
    assert validate(instance, first).ok
    assert stats.relaxation is not None and stats.relaxation.by_cliques
    assert first.objective < greedy_solution(instance, "sha256:x").objective
    assert (first.objective, first.bound) == (second.objective, second.bound)
    assert [(w.slot, w.proposals) for w in first.workshops] == [
        (w.slot, w.proposals) for w in second.workshops
    ]
    if lp_sized:  # no whole-workshop move is left to make
        assert improved_schedule(instance, "sha256:x", first, candidate_table(instance)) is first


def test_relaxation_bound_can_be_switched_off():
    instance = load_instance(TIGHT)
    stats = SolveStats()
    solve(
        instance,
        "sha256:x",
        SolveOptions(time_limit=3, workers=1, direct_limit=0, relaxation_bound=False),
        stats=stats,
    )
    assert stats.relaxation is None


def test_the_whole_lp_takes_the_link_rounds_by_the_clock_only():
    instance = load_instance(BUNDLED)
    relaxation = Relaxation(instance, candidate_table(instance))
    answers = {}
    for work in (None, 5):  # (in a child, as in the solve: the rounds lower its priority)
        child = Background(_whole, (relaxation, 30, False, None, work))
        answers[work] = []
        while not child.finished:
            answers[work] += child.received(wait=1.0)
    # on a work budget the first LP only, its vertex for the search's guide
    (budget,) = answers[5]
    assert budget.point is not None
    # by the clock the same first, then higher bounds from the links
    first, *raised = answers[None]
    assert first.value == pytest.approx(budget.value) and first.point is not None
    assert raised and raised[-1].value >= first.value + 20


def test_a_better_solution_that_is_enough_stops_branch_and_bound():
    instance = load_instance(TIGHT)
    program = Relaxation(instance, candidate_table(instance)).program
    whole = program.minimum(30, True)
    first = program.minimum(30, True, enough=lambda solution: True)
    assert whole.exact and not first.exact
    assert first.solution is not None and program.infeasible_rows(first.solution) == 0
    assert first.work < whole.work and first.incumbent > whole.value
    # the same rows and bounds under other costs
    assert program.costed(np.asarray(program.cost)).minimum(30, True).value == whole.value
    free = program.costed(np.zeros(program.columns)).minimum(30, True)
    assert free.exact and free.value == 0


def test_a_start_that_leaves_proposals_out_is_placed_first():
    instance, relaxation, start, _ = from_greedy(EASY_S7)
    left = np.asarray(relaxation.left_out)
    costs = np.asarray(relaxation.program.cost)
    assert np.asarray(start)[left].sum() == 4  # first fit leaves four initiatives out
    # on a budget: charged its units, the same placement whatever the clock
    placed, used = _placed(relaxation, start, time.perf_counter() + 60, work=100)
    assert used == bound_module.PLACEMENT_CHARGE
    assert placed is not None and np.asarray(placed)[left].sum() == 0
    assert np.dot(costs, placed) < np.dot(costs, start) - 4 * 1000
    assert relaxation.program.infeasible_rows(placed) == 0 and relaxation.holds(placed)
    assert _placed(relaxation, start, time.perf_counter() + 60, work=100) == (placed, used)
    # by the clock (within PLACEMENT_SECONDS): nothing charged, better if anything
    by_clock, used = _placed(relaxation, start, time.perf_counter() + 60, work=None)
    assert used == 0
    assert by_clock is None or np.dot(costs, by_clock) < np.dot(costs, start)
    # nothing left out: nothing to do
    assert _placed(relaxation, placed, time.perf_counter() + 60, work=None) == (None, 0)


def test_the_search_at_integer_size_goes_on_from_the_placement():
    instance = load_instance(EASY_S7)
    candidates = candidate_table(instance)
    (members, themes), objective = greedy_start(instance, candidates)
    # a budget hardly beyond the placement's: the last schedule places every proposal
    child = PendingBound(instance, candidates, time_limit=60, start=(members, themes), work=20)
    last = _every_answer(child)[-1]
    assert last.method == "mip" and last.schedule is not None
    schedule = _scored(instance, "sha256:x", last.schedule)
    assert schedule is not None
    placed = {p for workshop in schedule.workshops for p in workshop.proposals}
    assert placed == {p.id for p in instance.proposals if candidates.slots[p.id]}
    assert schedule.objective < objective - 4 * 1000


def _every_answer(child: PendingBound) -> list:
    """The child's answers until it ends, in order."""
    answers = []
    while not child.finished:
        answers.extend(child.updates(wait=1))
    return answers


def test_a_large_program_gets_its_lp_bound_and_schedules_from_the_search_by_cliques(
    monkeypatch,
):
    # the 600-proposal path on a 150-proposal instance: integer programs made "too large"
    monkeypatch.setattr(bound_module, "MIP_COLUMNS", 0)
    instance = load_instance(EASY)
    candidates = candidate_table(instance)
    (members, themes), objective = greedy_start(instance, candidates)
    child = PendingBound(instance, candidates, time_limit=6, start=(members, themes))
    answers = _every_answer(child)
    assert answers[0].by_cliques and answers[0].schedule is None  # the announcement
    lp = [a for a in answers if a.method == "lp" and a.value > answers[0].value]
    assert lp, "no LP bound within 6 s"
    schedules = [_scored(instance, "sha256:x", a.schedule) for a in answers if a.schedule]
    assert schedules and all(s is not None for s in schedules)
    # schedules are passed on at most once a second, and the best one last
    assert schedules[-1].objective == min(s.objective for s in schedules) < objective
    assert lp[-1].value <= schedules[-1].objective


def test_with_a_budget_the_search_by_cliques_passes_on_only_its_best_schedule(monkeypatch):
    # the parent takes only the last answer's schedule from a budgeted run: the search's
    # better schedules on the way are not decoded, the last answer carries the best
    monkeypatch.setattr(bound_module, "MIP_COLUMNS", 0)
    instance = load_instance(EASY)
    candidates = candidate_table(instance)
    (members, themes), objective = greedy_start(instance, candidates)
    child = PendingBound(instance, candidates, time_limit=60, start=(members, themes), work=150)
    answers = _every_answer(child)
    assert answers[0].by_cliques and answers[0].schedule is None  # the announcement
    assert all(a.schedule is None for a in answers[:-1])
    last = _scored(instance, "sha256:x", answers[-1].schedule)
    assert last is not None and last.objective < objective
    assert answers[-1].method == "lp" and answers[-1].value <= last.objective


def test_the_block_search_takes_the_relaxation_schedules(monkeypatch):
    monkeypatch.setattr(bound_module, "MIP_COLUMNS", 0)
    instance = load_instance(EASY)
    candidates = candidate_table(instance)
    stats = SolveStats()
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=8, workers=1), stats=stats)
    assert validate(instance, solution).ok
    assert solution.objective < greedy_solution(instance, "sha256:x", candidates).objective
    assert stats.relaxation is not None and stats.relaxation.by_cliques
    # the bound: the relaxation's LP (2175) or the counting program's optimum (2185)
    assert solution.bound == max(stats.relaxation.value, stats.counting) <= solution.objective


class _Announcing:
    """A relaxation child that announces its search by cliques and ends with nothing
    more, as one whose schedules all break a rule the program drops."""

    def __init__(self, *args, **kwargs):
        self.told = False
        self.errors: list[str] = []
        self.finished = True

    def updates(self, wait: float = 0.0) -> list[AggregateBound]:
        if self.told:
            return []
        self.told = True
        return [AggregateBound(0, False, "lp", 0.1, 1, 1, 1, by_cliques=True)]

    def send_start(self, start) -> None:
        pass

    def result(self, wait: float) -> None:
        return None


def test_the_block_search_goes_on_when_the_child_ends_without_a_better_schedule(monkeypatch):
    # the block search leaves the machine to the child's search by cliques; a child that
    # ended with nothing better once left the rest of the time unused (a generated
    # 60-proposal instance stopped at 0.7 s of 8, its bound 1035, the schedule 1135)
    import scheduler.decompose as decompose_module

    monkeypatch.setattr(solve_module, "PendingBound", _Announcing)
    searches = []
    block_search = decompose_module.solve_by_blocks

    def counted(*args, **kwargs):
        result, search = block_search(*args, **kwargs)
        searches.append(search)
        return result, search

    monkeypatch.setattr(decompose_module, "solve_by_blocks", counted)
    instance = load_instance(TIGHT)
    options = SolveOptions(time_limit=4, workers=1, direct_limit=0)
    solution = solve(instance, "sha256:x", options)
    assert validate(instance, solution).ok
    # stopped for the child at its first round, then on with what was left
    assert len(searches) == 2 and searches[1].rounds > 0


def test_the_counting_optimum_s_workshops_guide_a_start_near_the_optimum():
    # bench-150-easy: the counting bound is its optimum, 2185; first fit 2670
    instance = load_instance(EASY)
    candidates = candidate_table(instance)
    relaxation = Relaxation(instance, candidates)
    guided = _guided(relaxation, time.perf_counter() + 60, GUIDED_WORK)
    assert guided.bound == counting_bound(instance, candidates) == 2185
    assert guided.solution is not None and relaxation.holds(guided.solution)
    assert relaxation.program.infeasible_rows(guided.solution) == 0
    assert guided.bound <= relaxation.objective(guided.solution) <= 1.01 * guided.bound
    # bench-150-easy-s7: speakers and availability put its counted workshops out of reach
    instance = load_instance(EASY_S7)
    candidates = candidate_table(instance)
    guided = _guided(Relaxation(instance, candidates), time.perf_counter() + 60, GUIDED_WORK)
    assert guided.solution is None
    assert guided.bound == counting_bound(instance, candidates)
    # where a talk overrides its length (here one keynote of bench-150-easy takes 25
    # minutes), no guided start: its counting program is slower and its counts often out
    # of reach
    data = load_instance(EASY).model_dump(mode="json", exclude_none=True)
    keynote = next(r for r in data["proposals"] if r["format"] == "keynote")
    keynote["minutes"] = 25
    instance = Instance.model_validate(data)
    relaxation = Relaxation(instance, candidate_table(instance))
    assert relaxation.own_length == {keynote["id"]}
    assert _guided(relaxation, time.perf_counter() + 60, GUIDED_WORK) == (None, None)


def test_the_guided_start_only_looks_for_schedules_better_than_the_start(caplog):
    # bench-150-easy: the counted workshops' restricted program has an LP of 185 and a
    # best solution of 195 (its costs, the 2000 of the two unplaceable proposals aside)
    instance = load_instance(EASY)
    relaxation = Relaxation(instance, candidate_table(instance))
    guided = _guided(relaxation, time.perf_counter() + 60, GUIDED_WORK)
    assert guided.solution is not None
    assert relaxation.objective(guided.solution) == relaxation.constant + 195
    # a start of 1e6: the same solution; of 190: no branch and bound finds one better
    # (HiGHS's cutoff); of 150, under the LP: no branch and bound at all
    high = _guided(relaxation, time.perf_counter() + 60, GUIDED_WORK, cutoff=1e6)
    assert high.solution == guided.solution and high.bound == guided.bound
    assert _guided(relaxation, time.perf_counter() + 60, GUIDED_WORK, cutoff=190).solution is None
    with caplog.at_level("INFO", logger="scheduler.bound"):
        low = _guided(relaxation, time.perf_counter() + 60, GUIDED_WORK, cutoff=150)
    assert low == (None, guided.bound)
    assert "the counted workshops cost at least 185" in caplog.text


def test_the_guided_start_is_the_best_solution_whose_schedule_keeps_every_rule(tmp_path):
    # a generated 150-proposal instance (seed 23): the restricted program's optimum (2370,
    # the counting bound) gives two of a speaker's talks at once in different cliques,
    # which the program does not see; the solution found before it (2455) holds
    path = tmp_path / "g150.yaml"
    generate_main(["--proposals", "150", "--seed", "23", "-o", str(path)])
    instance = load_instance(path)
    candidates = candidate_table(instance)
    relaxation = Relaxation(instance, candidates)
    guided = _guided(relaxation, time.perf_counter() + 60, GUIDED_WORK)
    assert guided.solution is not None
    objective = relaxation.objective(guided.solution)
    assert objective is not None and guided.bound < objective


def test_a_search_that_reaches_the_counting_bound_stops_proven_optimal():
    # bench-150-easy, seed 1, stopped on work: the search by cliques reaches 2185, the
    # counting bound, after a third of its budget
    instance = load_instance(EASY)
    stats = SolveStats()
    options = SolveOptions(time_limit=60, seed=1, workers=2, deterministic_time=6)
    solution = solve(instance, "sha256:x", options, stats=stats)
    assert validate(instance, solution).ok
    assert solution.status is Status.OPTIMAL
    assert solution.objective == solution.bound == stats.counting == 2185
    assert stats.relaxation.value < 2185  # branch and bound had not proved it


def test_background_streams_items_and_its_child_may_start_its_own():
    child = Background(_counting, (3,), daemon=False)
    items = []
    while not child.finished:
        items.extend(child.received(wait=5))
    assert items == [0, 1, 2, ("grandchild", 3)]
    again = Background(_counting, (2,), daemon=False)
    assert again.last(wait=30) == ("grandchild", 2)


def test_a_child_works_on_without_dev_null(monkeypatch, tmp_path):
    # when /dev/null went missing, every child died silencing its banner and the solve
    # went on without them
    monkeypatch.setattr(os, "devnull", str(tmp_path / "missing" / "null"))
    child = Background(_counting, (2,), daemon=False)
    assert child.last(wait=30) == ("grandchild", 2)
    assert child.error is None


@pytest.mark.background_failure
def test_a_child_that_fails_is_reported_once_and_gives_what_it_had(caplog, capfd):
    child = Background(_failing, (2,))
    items = []
    with caplog.at_level("WARNING", logger="scheduler.program"):
        while not child.finished:
            items.extend(child.received(wait=5))
    assert items == [0, 1]
    assert child.error == "ValueError: no more after 2"
    line = _failing.__code__.co_firstlineno + 3  # its raise
    assert [r.getMessage() for r in caplog.records] == [
        "a background search (failing) stopped on an error, the solve goes on without it: "
        f"ValueError: no more after 2 (tests/test_bound.py:{line} in _failing)"
    ]
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.background_failure
def test_a_child_s_traceback_is_logged_at_debug_level(caplog):
    # the warning said "ValueError: no more after 2" and nothing of where: a defect in a
    # background search reached a maintainer as its message alone
    child = Background(_failing, (2,))
    with caplog.at_level("DEBUG", logger="scheduler.program"):
        while not child.finished:
            child.received(wait=5)
    debug = [r.getMessage() for r in caplog.records if r.levelname == "DEBUG"]
    assert len(debug) == 1
    assert debug[0].startswith("the background search (failing) stopped on:\nTraceback")
    assert 'raise ValueError(f"no more after {n}")' in debug[0]
    assert debug[0].endswith("ValueError: no more after 2")


@pytest.mark.background_failure
def test_a_helper_that_fails_is_reported_once_and_the_caller_goes_on_alone(caplog, capfd):
    helper = Helper()
    with caplog.at_level("WARNING", logger="scheduler.program"):
        helper.submit(Program(), unknown=1)  # minimum() takes no such argument
        assert helper.answer(wait=30) is None
    helper.stop()
    assert helper.error is not None and helper.error.startswith("TypeError: ")
    assert [r.getMessage() for r in caplog.records] == [
        "a background search (helper) stopped on an error, the solve goes on without it: "
        f"{helper.error} (scheduler/program.py:{_serving_line()} in _serve)"
    ]
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.background_failure
def test_an_error_in_a_background_search_reaches_the_solve_stats(monkeypatch):
    # branch and bound on the whole program runs in the child's own child: its error
    # travels with the child's answers, and the solve goes on with the search by cliques
    def broken(*args):
        raise RuntimeError("branch and bound broke")

    monkeypatch.setattr(bound_module, "_whole", broken)
    instance = load_instance(EASY)
    stats = SolveStats()
    # stopped on work, not by the clock: a time limit of 4 s once ran out on a loaded
    # machine before the child reached branch and bound
    options = SolveOptions(time_limit=120, workers=1, deterministic_time=1)
    solution = solve(instance, "sha256:x", options, stats=stats)
    assert validate(instance, solution).ok
    assert stats.errors == ["RuntimeError: branch and bound broke"]
    assert stats.relaxation is not None and stats.relaxation.by_cliques


def test_the_cli_says_a_background_failure_in_a_line_without_its_traceback(tmp_path):
    # the CLI logs at WARNING: a coordinator sees one line saying where the defect is, and
    # the file is written; the traceback is logged at DEBUG, for a caller that asks
    script = (
        "import scheduler.bound as bound, sys\n"
        "from scheduler.cli import main\n"
        "def broken(*args):\n"
        "    raise RuntimeError('branch and bound broke')\n"
        "bound._whole = broken\n"
        "main(sys.argv[1:])\n"
    )
    out = tmp_path / "out.json"
    argv = [EASY, "-o", out, "--workers", "1", "--time-limit", "120", "--deterministic-time", "1"]
    done = subprocess.run(
        [sys.executable, "-c", script, "solve", *map(str, argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()
    assert (
        "WARNING scheduler.program: a background search (broken) stopped on an error, the "
        "solve goes on without it: RuntimeError: branch and bound broke (<string>:4 in broken)"
    ) in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked children: Linux")
def test_helpers_and_children_end_with_a_child_that_is_killed():
    # the solve kills the relaxation's child when it has to stop at once (a short time
    # limit); the helpers and the child it had started must not live on, waiting forever
    # for rounds (they once did: each kept its caller's end of its own pipe, and standard
    # error, so `scheduler solve ... 2>&1 | grep` never returned)
    child = Background(_with_helpers, (), daemon=False)
    pids = child.received(wait=30)[0]
    assert all(_running(pid) for pid in pids)
    child.stop()
    deadline = time.perf_counter() + 10
    while any(_running(pid) for pid in pids) and time.perf_counter() < deadline:
        time.sleep(0.05)
    left = [pid for pid in pids if _running(pid)]
    for pid in left:  # (holding the test run's output open, they would hang it)
        os.kill(pid, signal.SIGKILL)
    assert not left


def _with_helpers(emit):
    helpers = [Helper(), Helper()]
    inner = Background(_sleeping, (60,))
    emit([helper._process.pid for helper in helpers] + [inner._process.pid])
    time.sleep(60)


def _sleeping(seconds, emit):
    time.sleep(seconds)


def _running(pid: int) -> bool:
    """Whether the process exists and has not ended (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _serving_line() -> int:
    """The line of `_serve` that runs the program a helper is sent."""
    lines, first = inspect.getsourcelines(program_module._serve)
    return first + next(n for n, line in enumerate(lines) if ".minimum(**arguments)" in line)


def _failing(n, emit):
    for i in range(n):
        emit(i)
    raise ValueError(f"no more after {n}")


def _counting(n, emit):
    for i in range(n):
        emit(i)
    inner = Background(_answer, (n,))
    emit(("grandchild", inner.last(wait=30)))


def _answer(n, emit):
    emit(n)


def test_the_relaxation_keeps_apart_proposals_in_different_workshops():
    # test_forced_costs_are_bounded_exactly's instance, whose optimum puts k1 and k2 in
    # one workshop (20), with k1 and k2 apart: in two parallel workshops they cost 65
    # (parallel pairs, idle minutes), and the relaxation's exact optimum is that
    # schedule, not the forbidden one
    data = base_data()
    data["proposals"] = [proposal("k1", speakers=["sp1"]), proposal("k2", speakers=["sp2"])]
    data["constraints"] = {"apart": [{"proposals": ["k1", "k2"]}]}
    instance = build(data)
    candidates = candidate_table(instance)
    bound = aggregate_bound(instance, candidates, time_limit=5)
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=5, workers=1))
    assert solution.status is Status.OPTIMAL
    assert bound.exact
    assert bound.value == solution.objective == 65
    assert validate(instance, schedule_of_workshops(instance, bound.schedule)).ok


def test_programs_too_large_for_the_interior_point_are_searched_by_parts_of_cliques(
    monkeypatch,
):
    # the 2000-proposal path on a 150-proposal instance: rounds on parts of two cliques
    # (4 slots of each here), two at a time, on a work budget; the LP's bound by PDLP
    # beside them, given with the last answer
    monkeypatch.setattr(bound_module, "MIP_COLUMNS", 0)
    monkeypatch.setattr(bound_module, "LP_COLUMNS", 0)
    monkeypatch.setattr(cliques_module, "PART_SLOTS", 4)
    instance = load_instance(EASY)
    candidates = candidate_table(instance)
    (members, themes), objective = greedy_start(instance, candidates)
    runs = []
    for _ in range(2):
        child = PendingBound(instance, candidates, time_limit=60, start=(members, themes), work=40)
        answers = _every_answer(child)
        runs.append(answers)
    answers = runs[0]
    assert answers[0].by_cliques and answers[0].schedule is None  # the announcement
    trivial = trivial_bound(instance, candidates)
    *searching, last = answers
    assert all(a.method == "none" and not a.exact and a.value == trivial for a in searching)
    # the first-order bound: above the trivial one, at most the LP's (2174 by the
    # interior point), the same in both runs (iterations, not seconds)
    assert last.method == "pdlp" and not last.exact and trivial < last.value <= 2175
    assert runs[1][-1].value == last.value
    schedules = [_scored(instance, "sha256:x", a.schedule) for a in answers if a.schedule]
    assert schedules and all(s is not None for s in schedules)
    costs = [s.objective for s in schedules]
    assert costs[-1] == min(costs) < objective  # the last answer carries the best
    assert [a.schedule for a in runs[1]] == [a.schedule for a in answers]  # same work, same


def test_a_start_sent_later_gives_what_a_start_given_at_once_gives():
    # the block path improves its start while the child builds the program
    instance = load_instance(TIGHT)
    candidates = candidate_table(instance)
    start, _ = greedy_start(instance, candidates)
    answers = []
    for later in (False, True):
        child = PendingBound(
            instance,
            candidates,
            time_limit=60,
            start=None if later else start,
            work=20,
            start_later=later,
        )
        if later:
            child.send_start(start)
        answers.append(child.final())
    assert answers[0].schedule and answers[0].schedule == answers[1].schedule
    assert answers[0].value == answers[1].value


def test_a_start_too_large_for_the_pipe_is_sent_while_the_caller_goes_on():
    # the child reads its start only once its program is built; a start larger than the
    # pipe holds (64 KiB) must not hold the caller until then (at 4000 proposals, 4 s)
    import multiprocessing
    import threading

    receive, send = multiprocessing.Pipe(duplex=False)
    pending = PendingBound.__new__(PendingBound)
    pending._send_start = send
    start = ({f"slot-{i}": [f"p{i:05d}"] * 8 for i in range(20_000)}, {})
    caller = threading.Thread(target=pending.send_start, args=(start,))
    caller.start()
    caller.join(10)
    assert not caller.is_alive()  # returned with nothing read yet
    assert receive.recv() == start
    with pytest.raises(EOFError):  # and the sending end closed after it
        receive.recv()


def test_branch_and_bound_by_the_clock_passes_on_each_higher_bound():
    instance = load_instance(BUNDLED)
    relaxation = Relaxation(instance, candidate_table(instance))
    step = relaxation.granularity()
    child = Background(_whole, (relaxation, 30, True, None, None))
    answers = []
    while not child.finished:
        answers += child.received(wait=1.0)
    *during, last = answers
    assert last.exact and last.value == pytest.approx(75)
    bounds = [a.value for a in during if a.solution is None]
    # bounds alone (without a better solution) come as they rise, once each rounded value
    rounded = [step * math.ceil((value - 1e-6) / step) for value in bounds]
    assert len(rounded) >= 3 and rounded == sorted(set(rounded))
    assert rounded[-1] <= 75


def test_by_the_clock_the_search_by_parts_keeps_both_cores_without_a_bound(monkeypatch):
    # PDLP beside the search costs it a core: only on a work budget (see above)
    monkeypatch.setattr(bound_module, "MIP_COLUMNS", 0)
    monkeypatch.setattr(bound_module, "LP_COLUMNS", 0)
    monkeypatch.setattr(cliques_module, "PART_SLOTS", 4)
    instance = load_instance(EASY)
    candidates = candidate_table(instance)
    start, _ = greedy_start(instance, candidates)
    answers = _every_answer(PendingBound(instance, candidates, time_limit=3, start=start))
    assert answers and all(a.method == "none" for a in answers)
    assert answers[-1].schedule is not None


def test_the_answers_left_unread_at_the_end_are_scored_where_they_may_win():
    # the block search reads the child's answers between its rounds, not while it
    # relocates: at the end those left unread are taken in, the schedules of the
    # cheapest on the program and of the last scored (a generated 300-proposal instance
    # wrote its own 35315 where the child had sent a schedule of 25030)
    def answer(cost, schedule=True):
        return AggregateBound(
            100,
            False,
            "mip",
            1.0,
            1,
            1,
            1,
            schedule={"s": ("t", ["p"])} if schedule else None,
            cost=cost,
        )

    answers = [answer(900), answer(300), answer(None, schedule=False), answer(500), answer(700)]
    worth = solve_module._worth_scoring(answers)
    assert [a.cost for a in worth] == [300, 700]
    assert solve_module._worth_scoring([answer(None, schedule=False)]) == []


def test_the_logged_schedule_costs_what_the_solver_scores(caplog):
    # k3's speaker is away all morning: no slot takes it, and its 1000 is the program's
    # constant; the logged schedule includes it, as the solver scores the schedule
    data = base_data()
    data["speakers"][2]["unavailable"] = [
        {"start": "2026-12-01T08:00:00", "end": "2026-12-01T12:00:00"}
    ]
    data["proposals"] = [
        proposal("k1", speakers=["sp1"]),
        proposal("k2", speakers=["sp2"]),
        proposal("k3", speakers=["sp3"]),
    ]
    instance = build(data)
    candidates = candidate_table(instance)
    answers: list[AggregateBound] = []
    with caplog.at_level("INFO", logger="scheduler.bound"):
        bound_module.aggregate_bounds(instance, candidates, 5, None, answers.append)
    assert Relaxation(instance, candidates).constant == 1000
    scored = _scored(instance, "sha256:x", answers[-1].schedule, candidates)
    assert scored is not None and scored.objective == 1020
    assert caplog.records[-1].getMessage().endswith(", schedule 1020")


@pytest.mark.parametrize(
    ("cp_bound", "relaxation", "status"),
    [(60, 80, Status.OPTIMAL), (80, None, Status.OPTIMAL), (60, 75, Status.FEASIBLE)],
)
def test_a_schedule_whose_cost_the_bound_reaches_is_optimal(cp_bound, relaxation, status):
    # CP-SAT's prover found a schedule at the relaxation's bound before the finder did,
    # then the time limit came: it was written "feasible, objective 80, bound 80, gap 0%"
    # (a Commons AI instance with a 20-minute slot, --time-limit 5)
    solution = Solution(
        instance="x", instance_hash="h", status=Status.FEASIBLE, objective=80, bound=cp_bound
    )
    bound = None
    if relaxation is not None:
        bound = AggregateBound(relaxation, True, "mip", 0.1, 1, 1, 1)
    _raise_bound(solution, bound)
    assert solution.status is status
    assert solution.bound == max(cp_bound, relaxation or 0)
