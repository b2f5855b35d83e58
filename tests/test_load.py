"""A run stopped on work gives the same schedule however slow each of its processes is
(a loaded machine), unless the clock's backstop comes first, which the run then says.
Slowness is simulated, not made: answers that come later, a clock that jumps."""

from __future__ import annotations

import logging
import math
import os
import time
from dataclasses import replace
from types import SimpleNamespace

from conftest import ROOT

import scheduler.bound as bound_module
import scheduler.decompose as decompose_module
import scheduler.program as program_module
import scheduler.search as search_module
import scheduler.solve as solve_module
from scheduler.bound import WHOLE_WORK_SHARE, _SearchBesideWhole
from scheduler.candidates import candidate_table
from scheduler.greedy import greedy_solution
from scheduler.instance import load_instance
from scheduler.program import LowerBound
from scheduler.solution import Solution
from scheduler.solve import SolveOptions, SolveStats, _relocated, solve
from scheduler.validate import validate

TIGHT_40 = ROOT / "instances" / "bench" / "bench-40-tight.yaml"
TIGHT_150 = ROOT / "instances" / "bench" / "bench-150-tight.yaml"


class _Whole:
    """Branch and bound's process as the search by cliques hears it: its answers, in
    order, come in the batches given, one batch per look (the first look may find
    nothing yet), its end with the last."""

    def __init__(self, batches: list[list[LowerBound]]):
        self.batches = list(batches)
        self.finished = False

    def received(self, wait: float = 0.0) -> list[LowerBound]:
        batch = self.batches.pop(0) if self.batches else []
        self.finished = not self.batches  # (the end is read with the last batch)
        return batch


def _search(batches: list[list[LowerBound]], scored: int = 0) -> _SearchBesideWhole:
    """The search by cliques beside branch and bound, from a start costing 3, each
    schedule costing `scored` more by the validator than on the program."""
    relaxation = SimpleNamespace(program=SimpleNamespace(cost=[1.0, 1.0, 1.0]), constant=0)
    relaxation.holds = lambda solution: True
    relaxation.objective = lambda solution: sum(solution) + scored
    relaxation.granularity = lambda: 1
    search = _SearchBesideWhole(
        relaxation, [1, 1, 1], time.perf_counter(), time.perf_counter() + 60, 100, True, None
    )
    search.whole = _Whole(batches)
    return search


def _taken(batches: list[list[LowerBound]], spent: int) -> tuple[list[int] | None, int]:
    """What the search takes in before a round, `spent` units in: the better solution,
    and how many answers."""
    search = _search(batches)
    better, _ = search.between(spent)
    return better, search.looked


def test_the_search_takes_in_the_same_answers_of_branch_and_bound_at_any_pace():
    # branch and bound's answers are stamped with the units of work before them: a
    # solution found before its first unit is stamped 0, one after the 13th unit 13
    def solution(work: int, values: list[int]) -> LowerBound:
        return LowerBound(-math.inf, False, "mip", values, float(sum(values)), work)

    def unit(work: int) -> LowerBound:
        return LowerBound(0.0, False, "mip", work=work)

    answers = [solution(0, [1, 1, 0]), unit(1), unit(2)]
    # at the first round (nothing spent yet), whether it had come or not
    assert _taken([answers], 0) == _taken([[], *([a] for a in answers)], 0) == ([1, 1, 0], 1)
    spent = 100  # the search's work when branch and bound is due its 13th unit
    due = round(WHOLE_WORK_SHARE * spent)
    answers = [unit(due), solution(due, [0, 1, 0]), unit(due + 1)]
    # the unit that reaches the share comes before the solution found after it
    assert _taken([answers], spent) == _taken([answers[:1], answers[1:]], spent)
    assert _taken([answers], spent) == ([0, 1, 0], 2)


def test_an_optimum_of_the_instance_from_branch_and_bound_ends_the_search_once_it_has_come():
    # its last answer, exact, its schedule costing its bound by the validator: the result
    # whatever the search had (the search waits for it at its end otherwise)
    last = LowerBound(1.0, True, "mip", [0, 0, 1], 1.0, 3)
    search = _search([[last], []])
    assert search.between(0) == (None, False)  # (not known to be its last yet)
    assert search.between(0) == (None, True) and search.settled_answer is last
    # an exact optimum of the program whose schedule costs more by the validator is not
    # one of the instance: taken in in its turn only, the search going on until then
    search = _search([[last], []], scored=5)
    search.between(0)
    assert search.between(0) == (None, False) and search.settled_answer is None


def _layout(solution: Solution) -> tuple:
    return solution.objective, [(w.slot, w.theme, w.proposals) for w in solution.workshops]


def test_relocations_on_work_are_not_cut_short_by_a_pause(monkeypatch):
    # the relocations before the child's search (or the direct path's) ended by the clock
    # at a tenth of the time limit, on work too: a process paused by a loaded machine
    # while it relocated placed fewer proposals than another run
    instance = load_instance(TIGHT_150)
    candidates = candidate_table(instance)
    start = greedy_solution(instance, "sha256:x", candidates)
    options = SolveOptions(time_limit=20, workers=1, deterministic_time=1.0)
    steady = _relocated(instance, candidates, start, options, time.perf_counter())
    assert steady.objective < start.objective
    assert sum(1 for _ in steady.unscheduled) < sum(1 for _ in start.unscheduled) - 1
    # the same, the process paused for 5 s of the 20 as its first relocation begins
    pause = [0.0]
    clock = SimpleNamespace(perf_counter=lambda: time.perf_counter() + pause[0])
    propose = decompose_module.BlockSearch._propose

    def paused(self, *arguments, **keywords):
        pause[0] = 5.0
        return propose(self, *arguments, **keywords)

    monkeypatch.setattr(decompose_module, "time", clock)
    monkeypatch.setattr(decompose_module.BlockSearch, "_propose", paused)
    again = _relocated(instance, candidates, start, options, time.perf_counter())
    assert _layout(again) == _layout(steady)


def test_a_run_on_work_says_when_its_backstop_came_first(monkeypatch, caplog):
    instance = load_instance(TIGHT_40)
    options = SolveOptions(time_limit=60, workers=1, direct_limit=0, deterministic_time=1)
    stats = SolveStats()
    with caplog.at_level(logging.WARNING, logger="scheduler.solve"):
        steady = solve(instance, "sha256:x", options, stats=stats)
    assert validate(instance, steady).ok
    assert stats.relaxation is not None and not stats.relaxation.backstop
    assert not stats.backstop and "backstop" not in caplog.text
    # the relaxation's child paused past its deadline (its clock jumps a minute) as it
    # starts its search from the start schedule: its answers now follow the clock
    jump = [0.0]
    clock = SimpleNamespace(perf_counter=lambda: time.perf_counter() + jump[0])
    placed = bound_module._placed

    def paused(*arguments, **keywords):
        jump[0] = 60.0
        return placed(*arguments, **keywords)

    monkeypatch.setattr(bound_module, "time", clock)
    monkeypatch.setattr(bound_module, "_placed", paused)
    stats = SolveStats()
    with caplog.at_level(logging.WARNING, logger="scheduler.solve"):
        cut = solve(instance, "sha256:x", options, stats=stats)
    assert validate(instance, cut).ok
    assert stats.relaxation is not None and stats.relaxation.backstop
    assert stats.backstop
    assert "stopped on work, but the time limit (60s, a backstop) came first" in caplog.text


def test_a_run_on_work_says_when_a_backstop_of_the_direct_path_came_first(monkeypatch, caplog):
    instance = load_instance(TIGHT_40)  # (on the direct path)
    options = SolveOptions(time_limit=60, workers=1, deterministic_time=1)

    def solved(options, *patches):
        """The run's stats, its schedule valid, with `patches` (object, name, value)."""
        caplog.clear()
        with monkeypatch.context() as patched:
            for target, name, value in patches:
                patched.setattr(target, name, value)
            stats = SolveStats()
            with caplog.at_level(logging.WARNING, logger="scheduler.solve"):
                schedule = solve(instance, "sha256:x", options, stats=stats)
        assert validate(instance, schedule).ok
        return stats

    stats = solved(options)
    assert stats.variables > 0  # (the direct model)
    assert stats.relaxation is not None and not stats.relaxation.backstop
    assert not stats.backstop and "backstop" not in caplog.text
    # the relaxation's child paused past its deadline (its clock jumps a minute) as HiGHS
    # returns: its answer follows the clock
    parent = os.getpid()
    jump = [0.0]
    clock = SimpleNamespace(perf_counter=lambda: time.perf_counter() + jump[0])
    minimum = program_module.Program.minimum

    def paused(*arguments, **keywords):
        answer = minimum(*arguments, **keywords)
        if os.getpid() != parent:
            jump[0] = 60.0
        return answer

    stats = solved(
        options, (bound_module, "time", clock), (program_module.Program, "minimum", paused)
    )
    assert stats.relaxation is not None and stats.relaxation.backstop
    assert stats.backstop
    assert "stopped on work, but the time limit (60s, a backstop) came first" in caplog.text

    # the parent paused past the end of its wait for the child's answer (its clock
    # jumps a minute as it builds first fit), which then stops the child unheard
    def after_a_minute(function):
        """`function`, the clock jumped a minute as it begins."""

        def paused(*arguments, **keywords):
            jump[0] = 60.0
            return function(*arguments, **keywords)

        return paused

    slow = after_a_minute(solve_module.greedy_solution)
    jump[0] = 0.0
    stats = solved(options, (bound_module, "time", clock), (solve_module, "greedy_solution", slow))
    assert stats.relaxation.method == "none" and not stats.errors
    assert stats.backstop and "a backstop) came first" in caplog.text
    # without the relaxation (its exact optimum, mended, is the start), the relocations
    # of first fit's left-out proposal past their backstop, the whole time limit: the
    # process paused a minute as they begin
    quick = replace(options, relaxation_bound=False)
    late = after_a_minute(solve_module._relocated)
    jump[0] = 0.0
    stats = solved(quick, (solve_module, "time", clock), (solve_module, "_relocated", late))
    assert stats.backstop and "a backstop) came first" in caplog.text
    # CP-SAT's own clock limit come before its work (set to a hundredth of a second)
    finder_parameters = search_module._finder_parameters

    def hurried(params, time_limit, seed):
        finder_parameters(params, time_limit, seed)
        params.max_time_in_seconds = 0.01

    stats = solved(quick, (search_module, "_finder_parameters", hurried))
    assert stats.backstop and "a backstop) came first" in caplog.text
