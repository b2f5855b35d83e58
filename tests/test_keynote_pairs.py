"""The direct path's program split on its workshops with two keynotes or more
(`scheduler.bound._SplitOnKeynotePairs`): chosen where it pays, proving what the
whole program proves, the same answers whatever the clock; and the stops it uses
(`Program.minimum`'s `cutoff` and `stop_at`)."""

from __future__ import annotations

import math
import time
from unittest import mock

import pytest
from conftest import BUNDLED, ROOT
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import scheduler.bound as bound_module
from scheduler.bound import AggregateBound, _SplitOnKeynotePairs
from scheduler.candidates import candidate_table
from scheduler.instance import load_instance
from scheduler.program import LowerBound, Program, rounded_up
from scheduler.relaxation import Relaxation
from scheduler.solve import _scored

LADDER = ROOT / "instances" / "bench"
TIGHT = LADDER / "bench-40-tight.yaml"
EASY = LADDER / "bench-40-easy.yaml"


def relaxation_of(path) -> Relaxation:
    instance = load_instance(path)
    return Relaxation(instance, candidate_table(instance))


def answers_of(path, work: int | None = None) -> tuple[list[AggregateBound], Relaxation]:
    """What the direct path's child passes on for the instance, solved here."""
    instance = load_instance(path)
    candidates = candidate_table(instance)
    answers: list[AggregateBound] = []
    bound_module.aggregate_bounds(instance, candidates, 60, None, answers.append, work=work)
    return answers, Relaxation(instance, candidates)


def whole_optimum(relaxation: Relaxation) -> int:
    """The whole program's optimum (branch and bound, no split), as the instance's
    bound: what the direct path proved before the split."""
    answer = relaxation.program.minimum(60, True)
    assert answer.exact
    return relaxation.constant + rounded_up(answer.value, relaxation.granularity())


def split_chosen(relaxation: Relaxation) -> tuple[bool, list[LowerBound]]:
    told: list[LowerBound] = []
    deadline = time.perf_counter() + 60
    split = _SplitOnKeynotePairs(relaxation, deadline, None, told.append, None)
    return split.solved(), told


@pytest.mark.parametrize(("path", "chosen"), [(BUNDLED, True), (TIGHT, False), (EASY, False)])
def test_the_split_is_chosen_where_the_lp_leans_on_keynote_pairs(path, chosen):
    # bundled: the LP with the links 49.3, without keynote pairs 71.25, with two or more
    # 62.9 (rounded up to the costs' divisor, 5: 50 against 75 and 65); the tight rung's
    # LP is the same without them (105), the easy rung's with two or more (58.8)
    relaxation = relaxation_of(path)
    solved, told = split_chosen(relaxation)
    assert solved is chosen
    if not chosen:
        assert told == []  # (nothing passed on: the whole program is solved instead)
        return
    final = told[-1]
    assert final.exact and final.solution is not None
    # every answer before it is a bound of the whole program too, never above it
    optimum = whole_optimum(relaxation) - relaxation.constant
    assert all(answer.value <= optimum + 1e-6 for answer in told)
    assert rounded_up(final.value, relaxation.granularity()) == optimum
    assert final.incumbent == pytest.approx(optimum)


@pytest.mark.parametrize("path", [BUNDLED, TIGHT, EASY])
def test_the_child_proves_the_optimum_the_whole_program_proves(path):
    answers, relaxation = answers_of(path)
    final = answers[-1]
    assert final.exact and final.value == whole_optimum(relaxation)
    # its schedule is one, at that value: the direct path then ends without a search
    instance = relaxation.instance
    scored = _scored(instance, "sha256:x", final.schedule)
    assert scored is not None and scored.objective == final.value
    # the bound passed on only rises to it
    assert all(answer.value <= final.value for answer in answers)


def test_on_work_the_split_gives_the_same_answers_twice():
    first, _ = answers_of(BUNDLED, work=400)
    again, _ = answers_of(BUNDLED, work=400)
    assert [(a.value, a.exact, a.schedule) for a in first] == [
        (a.value, a.exact, a.schedule) for a in again
    ]
    assert first[-1].exact and first[-1].value == 75


def test_a_budget_too_small_for_the_parts_leaves_a_bound_unproven():
    # the first part alone takes 5 units on the bundled instance: with 3, no later part
    # runs, and the answer is the LP's bound with the first part's best solution so far
    answers, relaxation = answers_of(BUNDLED, work=3)
    final = answers[-1]
    assert not final.exact
    assert final.value <= 75  # (a bound: the optimum is 75)
    assert relaxation.constant + 50 <= final.value


def test_the_first_parts_optimum_is_the_schedule_written():
    # the bundled instance's optimum, 75, is reached without a keynote pair and with
    # one: the first part's schedule is the one passed on (the part with one is only
    # stopped at it)
    relaxation = relaxation_of(BUNDLED)
    _, told = split_chosen(relaxation)
    final = told[-1]
    pairs = relaxation.paired_keynotes()
    assert sum(final.solution[column] for column, _ in pairs) == 0


def bundled_part(least: float, most: float) -> tuple[Program, Relaxation]:
    relaxation = relaxation_of(BUNDLED)
    links = [(terms, -math.inf, 0) for terms in relaxation.links()]
    pairs = relaxation.paired_keynotes()
    return relaxation.program.restricted([(pairs, least, most), *links]), relaxation


def test_stop_at_ends_branch_and_bound_once_its_bound_reaches_the_value():
    program, _ = bundled_part(1, 1)
    whole = program.minimum(60, True)
    assert whole.exact and whole.value == pytest.approx(75)
    stopped = program.minimum(60, True, stop_at=75)
    assert stopped.work < whole.work
    assert rounded_up(stopped.value, 5) >= 75 and stopped.value <= 75


def test_a_cutoff_bounds_the_answer_by_itself_and_proves_no_optimum_above_it():
    # with nothing cheaper than the cutoff, HiGHS calls its search optimal with the bound
    # of a heuristic's solution (28145 on this part, whose optimum is 100)
    program, _ = bundled_part(2, math.inf)
    cut = program.minimum(60, True, cutoff=72.5)
    assert cut.value <= 72.5 and not cut.exact
    # a cutoff above the optimum changes nothing
    whole = program.minimum(60, True, cutoff=200)
    assert whole.exact and whole.incumbent == pytest.approx(100)
    assert whole.value == pytest.approx(100)


def test_an_infeasible_integer_program_bounds_everything():
    program = Program()
    column = program.var(1, cost=1.0)
    program.row([(column, 1)], lower=2)
    answer = program.minimum(5, True)
    assert answer.value == math.inf and answer.solution is None and not answer.exact


def test_the_link_lps_by_simplex_agree_with_interior_point():
    program, _ = bundled_part(2, math.inf)
    simplex = program.minimum(10, False, simplex=True).value
    interior = program.minimum(10, False).value
    assert simplex == pytest.approx(interior, abs=1e-3)
    assert simplex == pytest.approx(62.857, abs=1e-3)


def test_a_part_needing_more_than_its_work_gives_the_split_up_for_the_whole_program(
    monkeypatch,
):
    # the bundled instance's first part needs 5 units: with 2 the split is given up, and
    # the child's answer is the whole program's, as if the split had never been tried
    monkeypatch.setattr(_SplitOnKeynotePairs, "PART_WORK", 2)
    relaxation = relaxation_of(BUNDLED)
    solved, _ = split_chosen(relaxation)
    assert solved is False
    answers, relaxation = answers_of(BUNDLED)
    monkeypatch.setattr(_SplitOnKeynotePairs, "solved", lambda self: False)
    whole, _ = answers_of(BUNDLED)
    assert answers[-1].exact and answers[-1].value == 75
    assert (answers[-1].value, answers[-1].schedule) == (whole[-1].value, whole[-1].schedule)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    proposals=st.sampled_from([16, 20, 24, 30]),
    variant=st.sampled_from(["easy", "tight"]),
    varied=st.booleans(),
)
def test_split_or_whole_the_optimum_is_the_same(seed, proposals, variant, varied):
    # the split forced wherever it can run (its rule aside): on random generated
    # instances, varied as the fuzz varies them, its answer is the whole program's
    # optimum, proven, and its schedule, where it holds every rule, costs that much
    import random

    from bench.generate import Rung, generate
    from bench.vary import vary
    from scheduler.instance import Instance

    rung = Rung(proposals, variant, days=2, themes=4, seed=seed)
    document = generate(rung)
    if varied:
        vary(document, random.Random(seed))
    instance = Instance.model_validate(document)
    relaxation = Relaxation(instance, candidate_table(instance))
    told: list[LowerBound] = []
    deadline = time.perf_counter() + 60
    split = _SplitOnKeynotePairs(relaxation, deadline, None, told.append, None)
    with mock.patch.object(
        _SplitOnKeynotePairs, "pays", lambda self, *lps: all(map(math.isfinite, lps))
    ):
        solved = split.solved()
    event(f"split {'solved' if solved else 'not run or given up'}")
    if not solved:
        return
    optimum = whole_optimum(relaxation) - relaxation.constant
    final = told[-1]
    assert final.exact and rounded_up(final.value, relaxation.granularity()) == optimum
    assert all(answer.value <= optimum + 1e-6 for answer in told)
    scored = _scored(instance, "sha256:x", relaxation.schedule(final.solution))
    assert scored is None or scored.objective == optimum + relaxation.constant


def test_where_processes_are_spawned_the_parts_run_one_after_another_with_the_same_answer(
    monkeypatch,
):
    # a spawned helper imports everything again first (2-3 s): off Linux the parts run in
    # this process, one after another, and give the same answers
    relaxation = relaxation_of(BUNDLED)
    _, beside = split_chosen(relaxation)
    monkeypatch.setattr(bound_module.sys, "platform", "darwin")
    monkeypatch.setattr(bound_module, "Helper", None)  # (not started at all)
    solved, here = split_chosen(relaxation_of(BUNDLED))
    assert solved
    assert [(a.value, a.exact, a.solution) for a in here] == [
        (a.value, a.exact, a.solution) for a in beside
    ]
