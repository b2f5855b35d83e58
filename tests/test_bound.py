"""The aggregated relaxation: a lower bound on every schedule, used by both search paths."""

from __future__ import annotations

import math
import os
import pickle
import signal
import sys
import time
from collections import Counter
from datetime import datetime, timedelta

import numpy as np
import pytest
from conftest import BUNDLED, ROOT, base_data, build, proposal
from ortools.sat.python import cp_model

import scheduler.bound as bound_module
import scheduler.cliques as cliques_module
import scheduler.solve as solve_module
from bench.generate import main as generate_main
from scheduler.bound import (
    GUIDED_WORK,
    AggregateBound,
    PendingBound,
    _guided,
    _linked,
    _placed,
    _whole,
    aggregate_bound,
)
from scheduler.candidates import candidate_table
from scheduler.cliques import _language_reaches, _reach, search_by_cliques
from scheduler.counting import counting_bound
from scheduler.greedy import greedy_solution, improved_schedule
from scheduler.instance import Instance, Slot, load_instance
from scheduler.program import Background, Helper, Program
from scheduler.relaxation import Relaxation, clique_cover
from scheduler.search import _Race, search
from scheduler.solution import Status, load_solution
from scheduler.solve import (
    SolveOptions,
    SolveStats,
    _members,
    _scored,
    solve,
    trivial_bound,
)
from scheduler.validate import validate
from scheduler.workshops import schedule_of_workshops

TIGHT = ROOT / "instances" / "bench" / "bench-40-tight.yaml"


def _slot(sid: str, start: str, end: str) -> Slot:
    day = datetime(2026, 12, 1)

    def at(hhmm: str) -> datetime:
        hours, minutes = map(int, hhmm.split(":"))
        return day + timedelta(hours=hours, minutes=minutes)

    return Slot(id=sid, room=sid, start=at(start), end=at(end))


def test_clique_cover_is_a_partition_into_mutually_overlapping_groups():
    slots = [
        _slot("a", "09:00", "10:00"),
        _slot("b", "09:30", "11:00"),
        _slot("c", "10:30", "12:00"),
        _slot("d", "11:30", "12:30"),
        _slot("e", "14:00", "15:00"),
    ]
    groups = clique_cover(slots)
    assert sorted(s.id for g in groups for s in g) == ["a", "b", "c", "d", "e"]
    for group in groups:
        assert all(x.overlaps(y) for x in group for y in group if x is not y)
    # a-b, c-d overlap; e alone: no cover of these intervals has fewer than three groups
    assert sorted(sorted(s.id for s in g) for g in groups) == [["a", "b"], ["c", "d"], ["e"]]


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
        return Outcome(cp_model.UNKNOWN, 0.0, 0.0, None, "")

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
        lambda model, time_limit, **kwargs: Outcome(cp_model.UNKNOWN, 0.0, 0.0, None, ""),
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


def test_a_work_limit_stops_branch_and_bound_at_the_same_point():
    instance = load_instance(TIGHT)
    program = Relaxation(instance, candidate_table(instance)).program
    whole = program.minimum(30, True)
    assert whole.exact and whole.work > 3
    heard = []
    first = program.minimum(30, True, work=3, on_work=heard.append)
    second = program.minimum(30, True, work=3)
    assert first.work == second.work == 3 and not first.exact
    assert (first.value, first.solution) == (second.value, second.solution)
    assert [answer.work for answer in heard] == [1, 2, 3]
    assert first.value < whole.value


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


EASY = ROOT / "instances" / "bench" / "bench-150-easy.yaml"
EASY_S7 = ROOT / "instances" / "bench" / "holdout" / "bench-150-easy-s7.yaml"


def _greedy_start(instance, candidates):
    start = greedy_solution(instance, "sha256:x", candidates)
    return _members(start), start.objective


def test_a_schedule_encodes_into_a_solution_of_the_program_costing_no_more():
    for path in (TIGHT, EASY, BUNDLED):
        instance = load_instance(path)
        candidates = candidate_table(instance)
        relaxation = Relaxation(instance, candidates)
        (members, themes), objective = _greedy_start(instance, candidates)
        values = relaxation.encode(members, themes)
        assert values is not None
        assert relaxation.program.infeasible_rows(values) == 0
        cost = sum(c * v for c, v in zip(relaxation.program.cost, values, strict=True))
        # the relaxation drops terms, never adds any
        assert relaxation.constant + cost <= objective

        # decoding gives the same workshops (theme, keynotes, initiatives) in each class
        # of interchangeable slots, maybe in another of its slots
        given = {s: (themes[s], members[s]) for s in members if members[s]}
        decoded = relaxation.schedule(values)
        assert _workshops(relaxation, decoded) == _workshops(relaxation, given)


def _workshops(relaxation, schedule) -> Counter:
    by_id = relaxation.instance.proposal_by_id
    return Counter(
        (
            relaxation.class_of_slot[slot_id],
            theme,
            sum(by_id[p].is_keynote for p in proposals),
            len(proposals),
        )
        for slot_id, (theme, proposals) in schedule.items()
    )


def test_holding_columns_leaves_a_program_the_held_solution_completes():
    instance = load_instance(TIGHT)
    relaxation = Relaxation(instance, candidate_table(instance))
    program = relaxation.program
    values = relaxation.encode(*_greedy_start(instance, candidate_table(instance))[0])
    hold = np.zeros(program.columns, dtype=bool)
    hold[: program.columns // 2] = True
    sub, free, held_cost = program.held(hold, values)
    assert list(free) == list(range(program.columns // 2, program.columns))
    assert sub.infeasible_rows([values[c] for c in free]) == 0
    total = held_cost + sum(sub.cost[i] * values[c] for i, c in enumerate(free))
    assert total == sum(c * v for c, v in zip(program.cost, values, strict=True))
    # nothing held: the same program, the same optimum
    whole, _, zero = program.held(np.zeros(program.columns, dtype=bool), values)
    assert zero == 0
    assert whole.minimum(20, True).value == program.minimum(20, True).value
    # the held program holds arrays with its matrix made already: the same as a program
    # built from lists of its entries, which HiGHS solves the same way
    rebuilt = Program(
        cost=list(sub.cost),
        lower=list(sub.lower),
        upper=list(sub.upper),
        rows=list(sub.rows),
        cols=list(sub.cols),
        values=list(sub.values),
        row_lower=list(sub.row_lower),
        row_upper=list(sub.row_upper),
    )
    assert (rebuilt._matrix() != sub._matrix()).nnz == 0
    start = [values[c] for c in free]
    mine, theirs = sub.minimum(20, True, start, work=3), rebuilt.minimum(20, True, start, work=3)
    assert (mine.value, mine.solution, mine.work) == (theirs.value, theirs.solution, theirs.work)
    # and it travels to a helper process (pickled) as it is
    assert pickle.loads(pickle.dumps(sub))._matrix().nnz == sub._matrix().nnz


def _from_greedy(path):
    """The instance, its relaxation, the greedy schedule's columns and objective."""
    instance = load_instance(path)
    candidates = candidate_table(instance)
    relaxation = Relaxation(instance, candidates)
    (members, themes), objective = _greedy_start(instance, candidates)
    return instance, relaxation, relaxation.encode(members, themes), objective


def _search(relaxation, start, seconds, **options):
    """The search by cliques alone (nothing from elsewhere), seed 0."""
    return search_by_cliques(
        relaxation,
        start,
        time.perf_counter() + seconds,
        seed=0,
        between=lambda spent: (None, False),
        holds=relaxation.holds,
        **options,
    )


def test_the_search_by_cliques_improves_from_a_start_and_each_schedule_holds():
    instance, relaxation, start, objective = _from_greedy(EASY)
    costs = []
    for values, cost in _search(relaxation, start, seconds=4):
        assert relaxation.program.infeasible_rows(values) == 0
        assert cost == sum(c * v for c, v in zip(relaxation.program.cost, values, strict=True))
        costs.append(cost)
        last = values
    assert costs, "no round improved the greedy schedule in 4 s"
    assert costs == sorted(costs, reverse=True) and len(set(costs)) == len(costs)
    schedule = _scored(instance, "sha256:x", relaxation.schedule(last))
    assert schedule is not None
    assert schedule.objective < objective


@pytest.mark.parametrize("path", [BUNDLED, TIGHT])
def test_the_interior_point_lp_bound_is_just_below_the_lp_optimum(path):
    # the LP is solved without crossover, to a loose tolerance: its bound is weak
    # duality's on the point's row prices
    import highspy

    instance = load_instance(path)
    program = Relaxation(instance, candidate_table(instance)).program
    lp = program.minimum(30, False)
    exact = program._highs(False, 30)  # dual simplex, to a vertex
    exact.run()
    assert exact.getModelStatus() == highspy.HighsModelStatus.kOptimal
    optimum = exact.getInfo().objective_function_value
    assert lp.method == "lp" and not lp.exact
    assert optimum - 1e-3 * max(1.0, abs(optimum)) <= lp.value <= optimum


def test_links_hold_for_every_schedule_and_raise_the_lp_bound():
    instance = load_instance(BUNDLED)
    candidates = candidate_table(instance)
    relaxation = Relaxation(instance, candidates)
    links = relaxation.links()
    assert links
    # every schedule keeps them: the greedy one and the committed optimal one
    committed = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    first_fit, _ = _greedy_start(instance, candidates)
    for members, themes in (first_fit, _members(committed)):
        values = relaxation.encode(members, themes)
        assert values is not None
        for terms in links:
            assert sum(coefficient * values[column] for column, coefficient in terms) <= 0

    program = relaxation.program
    columns, rows = program.columns, len(program.row_lower)
    first = program.minimum(30, False, vertex=True)
    raised = []
    _linked(program, links, first, time.perf_counter() + 30, raised.append)
    # the LP takes whole proposals into fractions of workshops without them (15, where
    # the optimum is 75); each bound after is higher and still a bound
    values = [first.value, *(answer.value for answer in raised)]
    assert len(values) >= 2 and values == sorted(values)
    assert all(answer.point is None and not answer.exact for answer in raised)
    assert values[0] + 20 <= values[-1]
    assert relaxation.constant + values[-1] <= committed.objective
    # only the links its points broke were added, as rows
    assert program.columns == columns and rows < len(program.row_lower) < rows + len(links)


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


def _simplex(path=TIGHT):
    """The relaxation's program of an instance, its LP solved by dual simplex (to a
    vertex), and the LP's optimum."""
    instance = load_instance(path)
    program = Relaxation(instance, candidate_table(instance)).program
    simplex = program._highs(False, 30)
    simplex.run()
    return program, simplex, simplex.getInfo().objective_function_value


def test_weak_duality_bounds_the_lp_whatever_the_prices():
    import highspy

    program, simplex, optimum = _simplex()
    prices = np.asarray(simplex.getSolution().row_dual)
    # the optimal prices prove the optimum itself
    assert program.dual_bound(prices) == pytest.approx(optimum, rel=1e-9, abs=1e-6)
    rng = np.random.default_rng(0)
    for scale in (0.1, 10.0, 1000.0):
        for _ in range(20):  # any prices at all bound it from below
            noisy = prices + rng.normal(0.0, scale, len(prices))
            assert program.dual_bound(noisy) <= optimum + 1e-6
    # an interior point stopped after a few iterations: a weaker bound, still a bound
    early = program._highs(False, 30)
    early.setOptionValue("solver", "ipm")
    early.setOptionValue("run_crossover", "off")
    early.setOptionValue("ipm_iteration_limit", 5)
    early.run()
    assert early.getModelStatus() == highspy.HighsModelStatus.kIterationLimit
    assert program.dual_bound(early.getSolution().row_dual) <= optimum + 1e-6


def test_branch_and_bound_stopped_within_a_gap_keeps_its_dual_bound():
    instance = load_instance(BUNDLED)
    program = Relaxation(instance, candidate_table(instance)).program
    whole = program.minimum(30, True)
    assert whole.exact
    loose = program.minimum(30, True, gap=0.1)
    # stopped before its proof: the bound is HiGHS's dual bound, not the solution's value
    assert not loose.exact and loose.solution is not None
    assert loose.value < whole.value <= loose.incumbent + 1e-6
    assert loose.incumbent - loose.value <= 0.1 * loose.incumbent + 1e-6
    assert program.infeasible_rows(loose.solution) == 0


def test_a_lost_helper_leaves_the_rounds_to_the_other():
    instance, relaxation, start, objective = _from_greedy(EASY)
    helpers = [Helper(), Helper()]
    helpers[0].answer = lambda wait: None  # its answer never comes
    try:
        found = list(_search(relaxation, start, seconds=60, work=120, helpers=helpers))
    finally:
        for helper in helpers:
            helper.stop()
    cost = sum(c * v for c, v in zip(relaxation.program.cost, start, strict=True))
    assert found and found[-1][1] < cost
    assert relaxation.holds(found[-1][0])


def test_a_helper_process_solves_what_it_is_sent():
    instance = load_instance(TIGHT)
    program = Relaxation(instance, candidate_table(instance)).program
    helper = Helper()  # before this process uses HiGHS
    here = program.minimum(20, True, None, None, 3)
    try:
        helper.submit(program, time_limit=20, integral=True, work=3)
        there = helper.answer(wait=30)
        helper.submit(program, time_limit=20, integral=False)
        lp = helper.answer(wait=30)
    finally:
        helper.stop()
        helper.stop()  # twice: nothing happens
    assert there is not None and (there.value, there.solution) == (here.value, here.solution)
    assert lp is not None and lp.method == "lp" and lp.value <= there.value + 1e-6


def test_rounds_on_helpers_improve_and_repeat_on_a_work_budget():
    # with a budget the answers are taken in in the rounds' order: one helper beside this
    # process, or two helpers, give the same schedules whatever the clock
    instance, relaxation, start, objective = _from_greedy(EASY)
    runs = []
    for count in (1, 2):
        helpers = [Helper() for _ in range(count)]
        try:
            # the initiatives round first (charged its least work), then paired rounds
            budget = cliques_module.INITIATIVES_ROUND_WORK + 40
            runs.append(list(_search(relaxation, start, seconds=60, work=budget, helpers=helpers)))
        finally:
            for helper in helpers:
                helper.stop()
    assert runs[0], "no paired round improved the greedy schedule"
    assert [cost for _, cost in runs[0]] == [cost for _, cost in runs[1]]
    assert runs[0][-1][0] == runs[1][-1][0]
    costs = [cost for _, cost in runs[0]]
    assert costs == sorted(costs, reverse=True) and len(set(costs)) == len(costs)
    for values, cost in runs[0]:
        assert relaxation.program.infeasible_rows(values) == 0 and relaxation.holds(values)
        assert cost == sum(c * v for c, v in zip(relaxation.program.cost, values, strict=True))
    schedule = _scored(instance, "sha256:x", relaxation.schedule(runs[0][-1][0]))
    assert schedule is not None and schedule.objective < objective


def test_the_lp_vertex_is_an_optimal_point_of_the_program():
    program, _, optimum = _simplex()
    lp = program.minimum(30, False, vertex=True)
    assert lp.point is not None and program.minimum(30, False).point is None
    point = np.asarray(lp.point)
    assert float(np.dot(program.cost, point)) == pytest.approx(optimum, abs=1e-6)
    activity = program._matrix() @ point
    assert np.all(activity >= np.asarray(program.row_lower) - 1e-6)
    assert np.all(activity <= np.asarray(program.row_upper) + 1e-6)
    assert np.all(point >= np.asarray(program.lower) - 1e-9)
    assert np.all(point <= np.asarray(program.upper) + 1e-9)
    assert lp.value <= optimum + 1e-6


def test_a_guided_round_frees_only_where_the_solution_leaves_the_lp_vertex():
    instance, relaxation, start, _ = _from_greedy(EASY)
    program = relaxation.program
    vertex = np.asarray(program.minimum(30, False, vertex=True).point)
    asked = []

    def guide(spent):
        asked.append(spent)
        return vertex

    # a budget of one unit: the guided round alone
    found = list(_search(relaxation, start, seconds=60, work=1, guide=guide))
    assert asked == [0]
    assert len(found) == 1, "the guided round did not improve the greedy schedule"
    values, cost = found[0]
    changed = np.flatnonzero(np.asarray(values) != np.asarray(start))
    assert changed.size
    assert np.all(np.abs(vertex[changed] - np.asarray(start)[changed]) >= 1e-6)
    assert program.infeasible_rows(values) == 0 and relaxation.holds(values)
    assert cost == sum(c * v for c, v in zip(program.cost, values, strict=True))
    assert cost < sum(c * v for c, v in zip(program.cost, start, strict=True))
    # no vertex yet: the guide is asked again before each round, and clique rounds run
    asked.clear()
    rounds = list(_search(relaxation, start, seconds=60, work=40, guide=lambda s: asked.append(s)))
    assert len(asked) > 1 and asked == sorted(asked) and rounds


def test_an_initiatives_round_moves_initiatives_only_and_improves():
    # on bench-150-easy the first fit's initiatives are already where they cost least
    instance, relaxation, start, _ = _from_greedy(ROOT / "instances/bench/bench-150-tight.yaml")
    program = relaxation.program
    helper = Helper()
    try:
        # the initiatives round alone: it comes first with a helper, and is charged this
        budget = cliques_module.INITIATIVES_ROUND_WORK
        found = list(_search(relaxation, start, seconds=60, work=budget, helpers=helper))
    finally:
        helper.stop()
    assert len(found) == 1, "the initiatives round did not improve the greedy schedule"
    values, cost = found[0]
    assert program.infeasible_rows(values) == 0 and relaxation.holds(values)
    assert cost == sum(c * v for c, v in zip(program.cost, values, strict=True))
    assert cost < sum(c * v for c, v in zip(program.cost, start, strict=True))
    moved = {
        (cls.keynote, len(cls.proposals))
        for cls, _, _, column in relaxation.flows
        if values[column] != start[column]
    }
    assert moved and all(not keynote for keynote, _ in moved)
    by_id = instance.proposal_by_id
    before = relaxation.schedule(start)
    after = relaxation.schedule(values)
    keynotes = {p: slot for slot, (_, ps) in before.items() for p in ps if by_id[p].is_keynote}
    keynotes_after = {p: s for s, (_, ps) in after.items() for p in ps if by_id[p].is_keynote}
    # each keynote keeps its slot class and theme (the slot within the class may change)
    for p, slot in keynotes.items():
        assert relaxation.class_of_slot[keynotes_after[p]] == relaxation.class_of_slot[slot]
        assert after[keynotes_after[p]][0] == before[slot][0]
    assert _scored(instance, "sha256:x", after) is not None


def test_a_themes_round_moves_one_theme_only_and_improves():
    instance, relaxation, start, objective = _from_greedy(EASY)
    program = relaxation.program
    by_theme = relaxation.theme_columns()
    shared = {step for _, steps in relaxation.steps for step in steps}
    shared |= {chosen for chosen, _ in relaxation.where} | set(relaxation.left_out)
    cost = sum(c * v for c, v in zip(program.cost, start, strict=True))
    gains = 0
    for theme in sorted(by_theme):
        hold = relaxation.theme_hold(theme)
        assert set(np.flatnonzero(~hold).tolist()) == set(by_theme[theme]) | shared
        sub, columns, held_cost = program.held(hold, start)
        answer = sub.minimum(20, True, [start[c] for c in columns])
        assert answer.exact and answer.incumbent + held_cost <= cost + 1e-6
        if answer.incumbent + held_cost > cost - 1e-6:
            continue
        values = list(start)
        for column, value in zip(columns, answer.solution, strict=True):
            values[column] = value
        assert program.infeasible_rows(values) == 0
        if not relaxation.holds(values):
            continue
        gains += 1
        before, after = relaxation.schedule(start), relaxation.schedule(values)

        def others(schedule, theme=theme) -> Counter:
            """The proposals of the other themes, by slot class and theme."""
            return Counter(
                (relaxation.class_of_slot[slot], t, p)
                for slot, (t, members) in schedule.items()
                if t != theme
                for p in members
            )

        assert others(before) == others(after)
        scored = _scored(instance, "sha256:x", after)
        assert scored is not None and scored.objective < objective
    # first fit leaves gains to several themes alone (8 themes: each gains 10-215)
    assert gains >= 2


def test_themes_rounds_take_turns_at_lp_size_and_polish_the_end_without_helpers(monkeypatch):
    instance, relaxation, start, _ = _from_greedy(EASY)
    asked = []
    theme_hold = relaxation.theme_hold
    monkeypatch.setattr(relaxation, "theme_hold", lambda t: asked.append(t) or theme_hold(t))
    themes = sorted(relaxation.theme_columns())
    # without a helper (branch and bound has the other core): none on a budget, and by
    # the clock only in the last POLISH_SECONDS, every theme in turn
    list(_search(relaxation, start, seconds=60, work=40))
    assert asked == [], "themes rounds without a helper on a budget"
    monkeypatch.setattr(cliques_module, "POLISH_SECONDS", 0.0)
    list(_search(relaxation, start, seconds=2))
    assert asked == [], "themes rounds without a helper before the polish"
    monkeypatch.setattr(cliques_module, "POLISH_SECONDS", 60.0)  # the polish from the start
    found = list(_search(relaxation, start, seconds=3))
    assert found and asked, "first fit leaves gains to themes rounds"
    assert asked[: len(themes)] == themes[: len(asked)]
    asked.clear()
    helper = Helper()
    try:
        found = list(_search(relaxation, start, seconds=60, work=200, helpers=helper))
    finally:
        helper.stop()
    assert found and len(asked) >= 2, asked
    # in turn: until each has had a round, every theme is due
    first = asked[: len(themes)]
    assert first == themes[: len(first)]


def test_language_columns_split_the_workshops_and_flows_by_language():
    instance, relaxation, _, _ = _from_greedy(EASY)
    by_language = relaxation.language_columns()
    assert sorted(by_language) == ["en", "fr"]
    counts = {
        c: key[2] for key, columns in relaxation.shape_columns.items() for c in columns.values()
    }
    flows = {column: cls.language for cls, _, _, column in relaxation.flows}
    seen = [(int(c), language) for language, columns in by_language.items() for c in columns]
    # every count and flow once, under its own language
    assert len(seen) == len(set(seen)) == len(counts) + len(flows)
    assert dict(seen) == counts | flows
    mixed = instance.model_copy(
        update={"rules": instance.rules.model_copy(update={"mixed_language": True})}
    )
    assert Relaxation(mixed, candidate_table(mixed)).language_columns() == {}


def test_languages_rounds_free_one_language_of_more_cliques_at_lp_size(monkeypatch):
    _, relaxation, start, _ = _from_greedy(EASY)
    by_language = relaxation.language_columns()
    groups_of = {}
    for key, columns in relaxation.shape_columns.items():
        for column in columns.values():
            groups_of[column] = relaxation.slot_classes[key[0]].group
    masks = []
    held = Program.held

    def recorded(self, hold, values):
        if self is relaxation.program:
            masks.append(hold.copy())
        return held(self, hold, values)

    monkeypatch.setattr(Program, "held", recorded)

    def spoken(hold) -> set[str]:
        """The languages with a free count or flow in a round's mask."""
        return {language for language, columns in by_language.items() if not hold[columns].all()}

    list(_search(relaxation, start, seconds=60, work=40))
    assert masks and all(spoken(hold) == {"en", "fr"} for hold in masks), "no helper: none"
    masks.clear()
    # a reach that leaves cliques for the helper's round on this 84-slot instance
    monkeypatch.setattr(cliques_module, "LANGUAGE_REACH", 1.0)
    helper = Helper()
    try:
        found = list(_search(relaxation, start, seconds=60, work=200, helpers=helper))
    finally:
        helper.stop()
    assert found
    alone = [hold for hold in masks if len(spoken(hold)) == 1]
    assert {language for hold in alone for language in spoken(hold)} == {"en", "fr"}
    for hold in alone:
        # a language's round frees that language's counts in several cliques (and
        # holds every count and flow of the other language, in every clique)
        free = {groups_of[c] for c in np.flatnonzero(~hold).tolist() if c in groups_of}
        assert len(free) >= 2


def test_the_rounds_reach_widens_when_exhausted_and_narrows_when_cut_short():
    least, grow, shrink = (
        cliques_module.REACH_LEAST,
        cliques_module.REACH_GROW,
        cliques_module.REACH_SHRINK,
    )
    assert _reach(32.0, exact=True, gain=False, most=300) == pytest.approx(32 * grow)
    assert _reach(32.0, exact=True, gain=True, most=300) == 32.0
    assert _reach(32.0, exact=False, gain=True, most=300) == pytest.approx(32 * shrink)
    assert _reach(least, exact=False, gain=False, most=300) == least
    assert _reach(299.0, exact=True, gain=False, most=300) == 300
    # rounds exhausted one after another widen the reach; rounds cut short narrow it
    # back, down to the least
    reach = 32.0
    for _ in range(20):
        reach = _reach(reach, exact=True, gain=False, most=300)
    assert reach > 2 * 32
    for _ in range(40):
        reach = _reach(reach, exact=False, gain=False, most=300)
    assert reach == least
    # rounds alone in this process (150 proposals) narrow faster once cut short
    alone = cliques_module.REACH_SHRINK_ALONE
    assert alone < shrink
    assert _reach(32.0, False, False, 300, shrink=alone) == pytest.approx(32 * alone)


def test_each_language_s_rounds_start_where_they_free_a_clique_round_s_columns():
    slots = cliques_module.CLIQUE_SLOTS
    # the ladder's 600 instances: English a third of the columns, French two thirds
    reaches = _language_reaches({"en": np.arange(100), "fr": np.arange(200)})
    assert reaches == pytest.approx({"en": 3 * slots, "fr": 1.5 * slots})
    # a language with few columns stops at LANGUAGE_REACH times a clique round's slots
    reaches = _language_reaches({"en": np.arange(10), "fr": np.arange(990)})
    assert reaches["en"] == pytest.approx(cliques_module.LANGUAGE_REACH * slots)
    assert reaches["fr"] == pytest.approx(slots * 1000 / 990)
    # the ladder's EASY instance: the majority language starts narrower
    _, relaxation, _, _ = _from_greedy(EASY)
    reaches = _language_reaches(relaxation.language_columns())
    counts = {k: len(v) for k, v in relaxation.language_columns().items()}
    assert max(counts, key=counts.get) == min(reaches, key=reaches.get)
    assert all(slots < reach <= cliques_module.LANGUAGE_REACH * slots for reach in reaches.values())


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
    instance, relaxation, start, _ = _from_greedy(EASY_S7)
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
    (members, themes), objective = _greedy_start(instance, candidates)
    # a budget hardly beyond the placement's: the last schedule places every proposal
    child = PendingBound(instance, candidates, time_limit=60, start=(members, themes), work=20)
    last = _every_answer(child)[-1]
    assert last.method == "mip" and last.schedule is not None
    schedule = _scored(instance, "sha256:x", last.schedule)
    assert schedule is not None
    placed = {p for workshop in schedule.workshops for p in workshop.proposals}
    assert placed == {p.id for p in instance.proposals if candidates.slots[p.id]}
    assert schedule.objective < objective - 4 * 1000


def test_decoding_keeps_talks_together_and_apart_where_the_shapes_allow():
    data = base_data()
    data["proposals"] = [
        proposal("k1", speakers=["sp1"]),
        proposal("k2", speakers=["sp2"]),
        proposal("k3", speakers=["sp3"]),
        proposal("i1", fmt="initiative", speakers=["sp4"]),
        proposal("i2", fmt="initiative", speakers=["sp4"]),  # sp4 gives two talks
        proposal("i3", fmt="initiative", speakers=["sp5"]),
        proposal("i4", fmt="initiative", speakers=["sp6"]),
    ]
    data["constraints"] = {
        "apart": [{"proposals": ["k1", "k2"]}],
        "together": [{"proposals": ["k3", "i4"]}],
    }
    instance = build(data)
    relaxation = Relaxation(instance, candidate_table(instance))
    by_id = relaxation.instance.proposal_by_id

    def shape(members):
        keynotes = sum(by_id[p].is_keynote for p in members)
        return keynotes, len(members) - keynotes

    # in pool order, the first workshop would take k1 and k2 (apart) and split sp4's talks
    pool = ["k1", "k2", "k3", "i1", "i3", "i2", "i4"]
    shapes = [(2, 1), (1, 3)]
    filled, kept = relaxation._fill(pool, [(shape, None) for shape in shapes])
    assert kept  # (no talk of its own length here)
    assert [shape(m) for m in filled] == shapes
    assert sorted(p for m in filled for p in m) == sorted(pool)
    where = {p: n for n, members in enumerate(filled) for p in members}
    assert where["k1"] != where["k2"]
    assert where["i1"] == where["i2"] and where["k3"] == where["i4"]
    # keynotes first, then initiatives, each in pool order
    for members in filled:
        assert members == sorted(members, key=lambda p: (not by_id[p].is_keynote, pool.index(p)))
    # shapes that cannot keep sp4's talks together: every proposal is still placed
    filled, _ = relaxation._fill(["k1", "k3", "i1", "i2"], [((1, 1), None), ((1, 1), None)])
    assert [shape(m) for m in filled] == [(1, 1), (1, 1)]
    assert sorted(p for m in filled for p in m) == ["i1", "i2", "k1", "k3"]


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
    (members, themes), objective = _greedy_start(instance, candidates)
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
    (members, themes), objective = _greedy_start(instance, candidates)
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


def test_a_restricted_program_has_the_program_s_rows_and_the_new_ones():
    program = Program()
    x, y = program.var(3, cost=-1), program.var(3, cost=-2)
    program.row([(x, 1), (y, 1)], upper=5)
    restricted = program.restricted([([(y, 1)], 1, 1)])
    answer = restricted.minimum(5, True)
    assert answer.exact and answer.value == -5 and answer.solution == [3, 1]
    assert program.minimum(5, True).solution == [2, 3]  # the program itself is unchanged


def test_an_infeasible_program_s_lp_bound_is_infinite():
    # (weak duality on the prices HiGHS returns for it gave a finite 6.8e19 before)
    program = Program()
    x, y = program.var(3, cost=1), program.var(3, cost=2)
    program.row([(x, 1), (y, 1)], upper=5)
    restricted = program.restricted([([(x, 1), (y, 1)], 6, 6)])
    answer = restricted.minimum(5, False)
    assert answer.value == math.inf and answer.method == "lp" and not answer.exact
    assert program.minimum(5, False).value == pytest.approx(0.0, abs=1e-6)


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


def test_a_child_that_fails_is_reported_once_and_gives_what_it_had(caplog, capfd):
    child = Background(_failing, (2,))
    items = []
    with caplog.at_level("WARNING", logger="scheduler.program"):
        while not child.finished:
            items.extend(child.received(wait=5))
    assert items == [0, 1]
    assert child.error == "ValueError: no more after 2"
    assert [r.getMessage() for r in caplog.records] == [
        "a background search (failing) stopped on an error, the solve goes on without it: "
        "ValueError: no more after 2"
    ]
    assert "Traceback" not in capfd.readouterr().err


def test_a_helper_that_fails_is_reported_once_and_the_caller_goes_on_alone(caplog, capfd):
    helper = Helper()
    with caplog.at_level("WARNING", logger="scheduler.program"):
        helper.submit(Program(), unknown=1)  # minimum() takes no such argument
        assert helper.answer(wait=30) is None
    helper.stop()
    assert helper.error is not None and helper.error.startswith("TypeError: ")
    assert [r.getMessage() for r in caplog.records] == [
        "a background search (helper) stopped on an error, the solve goes on without it: "
        + helper.error
    ]
    assert "Traceback" not in capfd.readouterr().err


def test_an_error_in_a_background_search_reaches_the_solve_stats(monkeypatch):
    # branch and bound on the whole program runs in the child's own child: its error
    # travels with the child's answers, and the solve goes on with the search by cliques
    def broken(*args):
        raise RuntimeError("branch and bound broke")

    monkeypatch.setattr(bound_module, "_whole", broken)
    instance = load_instance(EASY)
    stats = SolveStats()
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=4, workers=1), stats=stats)
    assert validate(instance, solution).ok
    assert stats.errors == ["RuntimeError: branch and bound broke"]
    assert stats.relaxation is not None and stats.relaxation.by_cliques


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


def test_holds_rejects_what_the_program_lets_through():
    # s1 and s2 overlap but fall in two cliques ({s0, s1} and {s2}; s0 is shorter, so
    # every slot is a class of its own): the program lets
    # one speaker talk in both (an `apart` pair in one workshop it rejects itself)
    data = base_data()
    data["rooms"].append({"id": "c", "name": "Room C"})
    data["slots"] = [
        {"id": "s0", "room": "a", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:20:00"},
        {"id": "s1", "room": "b", "start": "2026-12-01T10:00:00", "end": "2026-12-01T11:30:00"},
        {"id": "s2", "room": "c", "start": "2026-12-01T10:45:00", "end": "2026-12-01T12:15:00"},
    ]
    data["proposals"] = [
        proposal("k1", speakers=["sp1"]),
        proposal("k2", speakers=["sp1", "sp2"]),
        proposal("k3", speakers=["sp3"]),
        proposal("k4", speakers=["sp4"]),
    ]
    data["constraints"] = {"apart": [{"proposals": ["k3", "k4"]}]}
    instance = build(data)
    relaxation = Relaxation(instance, candidate_table(instance))
    assert len({c.group for c in relaxation.slot_classes}) == 2

    def verdicts(members):
        themes = {slot_id: "open" for slot_id in members}
        values = relaxation.encode(members, themes)
        assert relaxation.program.infeasible_rows(values) == 0
        # the decoding may use another slot of a class of interchangeable slots
        decoded = relaxation.schedule(values)
        assert {s: m for s, (_, m) in decoded.items()} == members
        return relaxation.holds(values), validate(
            instance, schedule_of_workshops(instance, decoded)
        ).ok

    assert verdicts({"s0": ["k1"], "s2": ["k2"], "s1": ["k3"]}) == (True, True)
    assert verdicts({"s1": ["k1"], "s2": ["k2"]}) == (False, False)  # sp1 in both
    apart = relaxation.encode({"s1": ["k3", "k4"]}, {"s1": "open"})
    assert relaxation.program.infeasible_rows(apart) > 0
    assert not relaxation.holds(apart)


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
    (members, themes), objective = _greedy_start(instance, candidates)
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
    start, _ = _greedy_start(instance, candidates)
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
    start, _ = _greedy_start(instance, candidates)
    answers = _every_answer(PendingBound(instance, candidates, time_limit=3, start=start))
    assert answers and all(a.method == "none" for a in answers)
    assert answers[-1].schedule is not None


def test_a_round_whose_talks_of_their_own_length_overrun_is_mended():
    # where talks override their length, the workshops holding several are counted at
    # the least minutes of any such talks, so a solution's schedule may get one that
    # overruns: at 600 proposals every gaining round of a search was dropped so (when
    # the workshops holding one such talk were counted so too). Here every keynote
    # takes 15 minutes but one, in a workshop of first fit, which takes 10 more than its
    # slot leaves beside that workshop's initiatives and participatory time, and one
    # of that workshop's initiatives takes 11
    base = load_instance(TIGHT)
    rules = base.rules
    (members, themes), _ = _greedy_start(base, candidate_table(base))
    slot_minutes = {s.id: s.minutes for s in base.slots}
    crowded = next(
        (slot_id, proposals)
        for slot_id, proposals in sorted(members.items())
        if slot_minutes[slot_id] >= 90
        and sum(not base.proposal_by_id[p].is_keynote for p in proposals) >= 3
    )
    long = next(p for p in crowded[1] if base.proposal_by_id[p].is_keynote)
    short = next(p for p in crowded[1] if not base.proposal_by_id[p].is_keynote)
    initiatives = sum(not base.proposal_by_id[p].is_keynote for p in crowded[1])
    frame = slot_minutes[crowded[0]] - rules.opening_minutes - rules.closing_minutes
    left = frame - initiatives * rules.initiative_minutes - rules.participatory.min
    data = base.model_dump(mode="json", exclude_none=True)
    for record in data["proposals"]:
        if record["format"] == "keynote":
            record["minutes"] = left + 10 if record["id"] == long else 15
        elif record["id"] == short:
            record["minutes"] = rules.initiative_minutes + 1
    instance = Instance.model_validate(data)
    assert instance.talk_minutes(instance.proposal_by_id[long]) == left + 10
    relaxation = Relaxation(instance, candidate_table(instance))
    values = relaxation.encode(members, themes)
    assert values is not None and relaxation.program.infeasible_rows(values) == 0
    assert not relaxation.holds(values)  # the long keynote's workshop overruns
    mended = relaxation.mended(values)
    assert mended is not None
    assert relaxation.program.infeasible_rows(mended) == 0 and relaxation.holds(mended)
    assert validate(instance, schedule_of_workshops(instance, relaxation.schedule(mended))).ok
    # without such talks the program keeps the rules a mend would fix: nothing to mend
    plain = Relaxation(base, candidate_table(base))
    assert plain.mended(plain.encode(members, themes)) is None


def test_a_workshop_holding_one_talk_of_its_own_length_is_counted_at_its_minutes():
    # the workshops holding one talk of its own length are counted by that talk, at the
    # shape's exact minutes with it: a schedule's idle and participatory costs are the
    # program's, its rounds exact and checked without the whole validator. Here one
    # talk of each workshop of first fit takes less than its format's minutes (so that
    # the schedule still holds), in three lengths
    base = load_instance(TIGHT)
    (members, themes), _ = _greedy_start(base, candidate_table(base))
    by_id = base.proposal_by_id
    minutes = {}
    for n, (_, proposals) in enumerate(sorted(members.items())):
        first = proposals[n % len(proposals)]
        if by_id[first].is_keynote:
            minutes[first] = (10, 15)[n % 2]
        else:
            minutes[first] = 5
    data = base.model_dump(mode="json", exclude_none=True)
    for record in data["proposals"]:
        if record["id"] in minutes:
            record["minutes"] = minutes[record["id"]]
    instance = Instance.model_validate(data)
    schedule = schedule_of_workshops(
        instance, {slot: (themes[slot], proposals) for slot, proposals in members.items()}
    )
    report = validate(instance, schedule)
    assert report.ok
    relaxation = Relaxation(instance, candidate_table(instance))
    values = relaxation.encode(members, themes)
    assert values is not None and relaxation.program.infeasible_rows(values) == 0
    by_talk = [
        c
        for counts in relaxation.talk_columns.values()
        for s in counts.values()
        for c in s.values()
    ]
    assert sum(values[c] for c in by_talk) == len(members)  # each counted by its talk
    assert not any(values[c] for c in relaxation.several_list)
    counts = [c for columns in relaxation.workshops.values() for c in columns]
    minutes_cost = sum(relaxation.program.cost[c] * values[c] for c in counts)
    assert minutes_cost == report.costs.get("idle-minutes", 0) + report.costs.get(
        "participatory-target", 0
    )
    # decoded, each workshop gets its talk: the same costs, checked by the program's rows
    decoded = relaxation.schedule(values)
    again = validate(instance, schedule_of_workshops(instance, decoded))
    assert again.ok and again.costs == report.costs
    assert relaxation.holds(values)

    # where languages mix (a mixed workshop's pool), a workshop counted by its talk gets
    # that talk too, wherever the pool has it
    def free(p):
        return not (
            relaxation._several_talks(p)
            or relaxation._apart_of.get(p)
            or relaxation._together_of.get(p)
        )

    own_keynote = next(p for p in sorted(minutes) if by_id[p].is_keynote and free(p))
    talk = relaxation._talk_of(own_keynote)
    other = next(
        p.id
        for p in instance.proposals
        if p.is_keynote
        and p.id not in minutes
        and p.language != by_id[own_keynote].language
        and free(p.id)
    )
    plain = [
        p.id for p in instance.proposals if p.id not in minutes and not p.is_keynote and free(p.id)
    ]
    pool = [other, *plain[:2], own_keynote]
    filled, kept = relaxation._fill(pool, [((1, 1), None), ((1, 1), talk)])
    assert kept and filled[1][0] == own_keynote and filled[0][0] == other
    # a pool short of the talk: not kept (the whole validator then decides)
    _, kept = relaxation._fill([other, *plain[:2], plain[2]], [((1, 1), None), ((0, 2), talk)])
    assert not kept


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
