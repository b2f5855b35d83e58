"""The bundled Commons AI 2026 instance: solved to proven optimality, reproducibly."""

from __future__ import annotations

import pytest
from conftest import BUNDLED, ROOT

from scheduler.instance import instance_hash, load_instance
from scheduler.solution import Status, load_solution
from scheduler.solve import SolveOptions, solve
from scheduler.validate import validate

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial

COMMITTED = ROOT / "solutions" / "commons-ai-2026.json"


def test_committed_solution_is_valid_and_current():
    instance = load_instance(BUNDLED)
    solution = load_solution(COMMITTED)
    assert solution.instance_hash == instance_hash(BUNDLED)
    report = validate(instance, solution, instance_hash=instance_hash(BUNDLED))
    assert report.ok and not report.notes
    assert report.objective == solution.objective
    assert solution.status is Status.OPTIMAL and solution.bound == solution.objective
    assert not solution.unscheduled


@pytest.mark.slow
@pytest.mark.pinned_solvers  # another OR-Tools or HiGHS may find another optimum
def test_solving_again_gives_the_committed_file():
    """Same instance and seed: the same file as the committed one, byte for byte.

    The limit is generous so that a slow machine still completes the search; the
    claim under test is reproducibility, not speed (measured in bench/).
    """
    instance = load_instance(BUNDLED)
    solution = solve(instance, instance_hash(BUNDLED), SolveOptions(time_limit=240, workers=2))
    assert solution.status is Status.OPTIMAL
    assert solution.to_json() == COMMITTED.read_text(encoding="utf-8")
