"""The counting bound: languages, slot lengths and session blocks only."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from test_properties import instances

from scheduler.candidates import candidate_table
from scheduler.counting import counting_bound
from scheduler.greedy import greedy_solution, improved_schedule
from scheduler.instance import load_instance, parse_instance
from scheduler.solution import Status
from scheduler.solve import SolveOptions, solve, trivial_bound

ROOT = Path(__file__).parent.parent


def test_the_counting_bound_rises_above_the_trivial_one_and_under_the_schedules():
    # bench-600-easy: trivial 6000, counting 10515, the aggregated LP 10585
    instance = load_instance(ROOT / "instances" / "bench" / "bench-600-easy.yaml")
    candidates = candidate_table(instance)
    first_fit = greedy_solution(instance, "h", candidates)
    moved = improved_schedule(instance, "h", first_fit, candidates)
    bound = counting_bound(instance, candidates)
    assert trivial_bound(instance, candidates) + 2000 < bound <= moved.objective
    assert bound % 5 == 0  # every cost there is a multiple of 5
    assert counting_bound(instance, candidates) == bound


def test_the_counting_bound_of_the_bundled_instance_is_under_its_optimum():
    instance = load_instance(ROOT / "instances" / "commons-ai-2026.yaml")
    assert 0 < counting_bound(instance, candidate_table(instance)) <= 75


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_counting_bound_never_bounds_above_a_schedule(data):
    # random instances mix languages or not, override talk minutes, lock and close
    # slots, and use weights whose divisor is not 5
    instance = parse_instance(data, "random.yaml")
    candidates = candidate_table(instance)
    bound = counting_bound(instance, candidates)
    trivial = trivial_bound(instance, candidates)
    assert bound >= trivial
    event("above the trivial bound" if bound > trivial else "the trivial bound")
    solution = solve(
        instance, "sha256:random", SolveOptions(time_limit=2, workers=1, relaxation_bound=False)
    )
    if solution.status is Status.INFEASIBLE:
        return
    assert bound <= solution.objective
    first_fit = greedy_solution(instance, "sha256:random", candidates)
    if first_fit.has_schedule:
        assert bound <= first_fit.objective
