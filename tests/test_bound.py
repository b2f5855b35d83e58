"""The aggregated relaxation: a lower bound on every schedule, used by both search paths."""

from __future__ import annotations

from datetime import datetime, timedelta

from conftest import BUNDLED, ROOT, base_data, build, proposal
from ortools.sat.python import cp_model

from scheduler.bound import PendingBound, aggregate_bound, clique_cover
from scheduler.candidates import candidate_table
from scheduler.instance import Slot, load_instance
from scheduler.search import _Race, search
from scheduler.solution import Status
from scheduler.solve import SolveOptions, SolveStats, _scored, solve, trivial_bound
from scheduler.validate import validate

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


def test_an_exact_relaxation_ends_the_direct_search_at_its_value():
    instance = load_instance(TIGHT)
    stats = SolveStats()
    solution = solve(instance, "sha256:x", SolveOptions(time_limit=20, workers=1), stats=stats)
    assert stats.relaxation is not None and stats.relaxation.exact
    assert solution.status is Status.OPTIMAL
    assert solution.objective == solution.bound == stats.relaxation.value
    assert validate(instance, solution).ok


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


def test_deterministic_block_search_takes_only_the_relaxation_bound():
    # whether HiGHS has a schedule by a given moment depends on the clock
    instance = load_instance(TIGHT)
    options = SolveOptions(time_limit=20, workers=1, direct_limit=0, deterministic_time=1)
    first = solve(instance, "sha256:x", options)
    second = solve(instance, "sha256:x", options)
    assert first.objective == second.objective
    assert [w.proposals for w in first.workshops] == [w.proposals for w in second.workshops]


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
