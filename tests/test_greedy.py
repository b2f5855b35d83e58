"""The greedy baseline: complete, valid schedules the validator accepts, and the block search."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from conftest import base_data, build, counting_bound, proposal

from scheduler.candidates import candidate_table
from scheduler.greedy import Greedy, greedy_solution, improved_schedule
from scheduler.instance import instance_hash, load_instance, parse_instance
from scheduler.solution import Status
from scheduler.solve import SolveOptions, SolveStats, solve, trivial_bound
from scheduler.validate import validate

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial

ROOT = Path(__file__).parent.parent
FILES = [
    ROOT / "tests" / "data" / "tiny.yaml",
    ROOT / "instances" / "commons-ai-2026.yaml",
    ROOT / "instances" / "bench" / "bench-40-easy.yaml",
    ROOT / "instances" / "bench" / "bench-40-tight.yaml",
    ROOT / "instances" / "bench" / "bench-150-easy.yaml",
    ROOT / "instances" / "bench" / "bench-150-tight.yaml",
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_greedy_schedule_is_valid_and_scored_by_the_validator(path):
    instance = load_instance(path)
    solution = greedy_solution(instance, instance_hash(path))
    assert solution.status is Status.FEASIBLE
    report = validate(instance, solution, instance_hash=instance_hash(path))
    assert report.ok, report.violations
    assert solution.objective == report.objective
    assert sum(p.cost for p in solution.penalties) == solution.objective
    placed = {p for w in solution.workshops for p in w.proposals}
    listed = {u.proposal for u in solution.unscheduled}
    assert placed | listed == {p.id for p in instance.proposals}
    assert all(u.reasons for u in solution.unscheduled)


@pytest.mark.parametrize("path", FILES[2:], ids=lambda p: p.stem)
def test_greedy_schedule_with_a_least_initiative_per_workshop_is_valid(path):
    # under "initiatives 1-4" first fit fills the pinned workshops' least initiatives
    # once the pins are placed; the units it took that way were once placed a second
    # time in their turn (every rung: an initiative in two workshops, no start)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"]["initiatives_per_workshop"] = {"min": 1, "max": 4}
    instance = parse_instance(data, path.name)
    assert any(p.pin for p in instance.proposals)
    solution = greedy_solution(instance, "sha256:x")
    assert solution.status is Status.FEASIBLE
    report = validate(instance, solution)
    assert report.ok, report.violations
    assert all(
        len(w.proposals) > sum(instance.proposal_by_id[p].is_keynote for p in w.proposals)
        for w in solution.workshops
    )


def test_greedy_is_deterministic():
    path = FILES[4]
    instance = load_instance(path)
    first = greedy_solution(instance, "h").model_copy(update={"seconds": 0})
    second = greedy_solution(load_instance(path), "h").model_copy(update={"seconds": 0})
    assert first.to_json() == second.to_json()


def test_greedy_places_every_placeable_proposal_of_the_easy_rung():
    instance = load_instance(FILES[2])
    candidates = candidate_table(instance)
    solution = greedy_solution(instance, "h", candidates)
    placeable = {p.id for p in instance.proposals if candidates.slots[p.id]}
    placed = {p for w in solution.workshops for p in w.proposals}
    assert len(placed) >= len(placeable) - 1


@pytest.mark.parametrize("path", [FILES[1], FILES[4]], ids=lambda p: p.stem)
def test_moving_whole_workshops_lowers_the_cost_exactly_as_counted(path):
    # bundled: 12 -> 11 workshops; bench-150-easy: first fit 2670 -> 2455, 62 -> 58
    instance = load_instance(path)
    candidates = candidate_table(instance)
    first_fit = greedy_solution(instance, "h", candidates)
    state = Greedy.of(instance, candidates, first_fit)
    assert state.improve() > 0 and state.change < 0
    improved = improved_schedule(instance, "h", first_fit, candidates)
    report = validate(instance, improved)
    assert report.ok, report.violations
    assert improved.objective == report.objective == first_fit.objective + state.change
    assert len(improved.workshops) < len(first_fit.workshops)  # some were merged
    where = {p: w.slot for w in improved.workshops for p in w.proposals}
    assert set(where) == {p for w in first_fit.workshops for p in w.proposals}
    assert all(where[p.id] == p.pin for p in instance.proposals if p.pin and p.id in where)
    # a schedule where nothing moves comes back as it was
    assert improved_schedule(instance, "h", improved, candidates) is improved


def test_the_moves_stop_at_their_deadline():
    # bench-150-easy: first fit 2670, its workshops moved 2455; with the deadline past,
    # nothing moves and the schedule comes back as it was
    instance = load_instance(FILES[4])
    candidates = candidate_table(instance)
    first_fit = greedy_solution(instance, "h", candidates)
    state = Greedy.of(instance, candidates, first_fit)
    assert state.improve(proposals=True, deadline=time.perf_counter()) == 0
    assert state.change == 0
    past = improved_schedule(instance, "h", first_fit, candidates, True, time.perf_counter())
    assert past is first_fit
    assert improved_schedule(instance, "h", first_fit, candidates, True).objective < 2455


@pytest.mark.parametrize("path", [FILES[1], FILES[4]], ids=lambda p: p.stem)
def test_moving_themes_and_single_proposals_too_lowers_the_cost_exactly_as_counted(path):
    # bundled: workshops moved 1270 -> 1200, themes and proposals too 1180;
    # bench-150-easy 2670 -> 2455, then 2440
    instance = load_instance(path)
    candidates = candidate_table(instance)
    first_fit = greedy_solution(instance, "h", candidates)
    workshops_only = improved_schedule(instance, "h", first_fit, candidates)
    state = Greedy.of(instance, candidates, first_fit)
    assert state.improve(proposals=True) > 0
    improved = improved_schedule(instance, "h", first_fit, candidates, proposals=True)
    report = validate(instance, improved)
    assert report.ok, report.violations
    assert improved.objective == report.objective == first_fit.objective + state.change
    assert improved.objective < workshops_only.objective
    placed = {p: w.slot for w in improved.workshops for p in w.proposals}
    assert set(placed) == {p for w in first_fit.workshops for p in w.proposals}
    assert all(placed[p.id] == p.pin for p in instance.proposals if p.pin and p.id in placed)
    assert improved_schedule(instance, "h", improved, candidates, proposals=True) is improved


def _tiny_with(**constraints) -> tuple:
    data = yaml.safe_load(FILES[0].read_text(encoding="utf-8"))
    data["constraints"] = constraints
    return parse_instance(data, "tiny-constraints.yaml"), data


def test_greedy_honours_together_apart_and_pins():
    instance, _ = _tiny_with(
        together=[{"proposals": ["k3", "i5"]}], apart=[{"proposals": ["k2", "i2"]}]
    )
    solution = greedy_solution(instance, "h")
    report = validate(instance, solution)
    assert report.ok, report.violations
    where = {p: w.slot for w in solution.workshops for p in w.proposals}
    assert where.get("k1") == "am-a"  # pinned
    assert where.get("k3") == where.get("i5")
    assert "k2" not in where or where.get("k2") != where.get("i2")


def test_block_search_gives_a_valid_exactly_scored_schedule():
    path = FILES[3]
    instance = load_instance(path)
    options = SolveOptions(
        time_limit=20,
        workers=1,
        direct_limit=0,
        deterministic_time=1.0,
        relaxation_bound=False,  # the block path's own bound: the counting one
    )
    stats = SolveStats()
    solution = solve(instance, instance_hash(path), options, stats=stats)
    candidates = candidate_table(instance)
    assert solution.status is Status.FEASIBLE
    assert solution.bound == stats.counting == counting_bound(instance, candidates)
    assert solution.bound > trivial_bound(instance, candidates)  # bench-40-tight: 1100, 1000
    report = validate(instance, solution, instance_hash=instance_hash(path))
    assert report.ok, report.violations
    assert solution.objective == report.objective
    assert solution.bound <= solution.objective
    baseline = greedy_solution(instance, "h")
    assert solution.objective <= baseline.objective
    again = solve(instance, instance_hash(path), options)
    assert again.objective == solution.objective


def test_the_block_path_starts_from_the_moved_workshops_above_its_size(monkeypatch):
    import scheduler.solve as solve_module

    path = FILES[4]  # bench-150-easy: first fit 2670, moved 2455
    instance = load_instance(path)
    options = SolveOptions(
        time_limit=20, workers=1, direct_limit=0, deterministic_time=0.2, relaxation_bound=False
    )
    seen: list[float] = []

    def progress(_seconds, objective, _bound):
        if objective is not None:
            seen.append(objective)

    shown_before_moving: list[list[float]] = []
    improved_schedule = solve_module.improved_schedule

    def moving(*arguments):
        shown_before_moving.append(list(seen))
        return improved_schedule(*arguments)

    monkeypatch.setattr(solve_module, "improved_schedule", moving)
    monkeypatch.setattr(solve_module, "IMPROVE_PAIRS", 0)
    solution = solve(instance, instance_hash(path), options, progress=progress)
    assert seen[:2] == [2670, 2455]  # first fit, then its workshops moved
    assert shown_before_moving[0] == [2670]  # first fit shown before the moves begin
    assert solution.objective <= 2455
    assert validate(instance, solution).ok
    monkeypatch.setattr(solve_module, "IMPROVE_PAIRS", 10**9)  # below the size: first fit
    seen.clear()
    solve(instance, instance_hash(path), options, progress=progress)
    assert seen[0] == 2670 and 2455 not in seen[:2]


def test_the_block_path_relocates_what_first_fit_left_out_before_the_childs_start(monkeypatch):
    # bench-40-tight: first fit 2300, its workshops moved 2290 with one placeable proposal
    # left out; the block search's relocations place it before the child starts from it
    import scheduler.bound as bound_module
    import scheduler.solve as solve_module

    path = FILES[3]
    instance = load_instance(path)
    candidates = candidate_table(instance)
    placeable = {p.id for p in instance.proposals if candidates.slots[p.id]}
    sent: list[set[str]] = []
    send_start = bound_module.PendingBound.send_start

    def record(self, start):
        members, _themes = start
        sent.append({p for proposals in members.values() for p in proposals})
        send_start(self, start)

    seen: list[float] = []

    def progress(_seconds, objective, _bound):
        if objective is not None:
            seen.append(objective)

    monkeypatch.setattr(bound_module.PendingBound, "send_start", record)
    monkeypatch.setattr(solve_module, "IMPROVE_PAIRS", 0)  # the large instances' path
    monkeypatch.setattr(solve_module, "RELOCATE_FIRST", 1.0)  # one of 40 left out
    options = SolveOptions(time_limit=20, workers=1, direct_limit=0, deterministic_time=0.2)
    solution = solve(instance, instance_hash(path), options, progress=progress)
    assert seen[0] == 2300 and seen[1] < 2290 - 900  # first fit, then one more placed
    assert sent == [placeable]  # every placeable proposal in the child's start
    assert validate(instance, solution).ok
    again = solve(instance, instance_hash(path), options)
    assert [(w.slot, w.proposals) for w in again.workshops] == [
        (w.slot, w.proposals) for w in solution.workshops
    ]


def test_by_the_clock_the_block_search_waits_for_the_childs_announcement(monkeypatch):
    # the child, which has its start, announces its search by cliques within a few tenths
    # of a second; here held back 1 s: the block search waits for it rather than run a
    # round beside the child's search, then leaves the machine to it
    import scheduler.decompose as decompose_module
    import scheduler.solve as solve_module
    from scheduler.relaxation import Relaxation

    encode = Relaxation.encode

    def slow(self, *start):
        time.sleep(1.0)  # in the child, forked with this patch
        return encode(self, *start)

    rounds: list[int] = []  # CP-SAT rounds (relocations and block rounds) per call
    block_rounds: list[int] = []  # block rounds alone per call
    improves = [0]
    solve_by_blocks = decompose_module.solve_by_blocks
    improve = decompose_module.BlockSearch.improve

    def counted(*args, **kwargs):
        before = improves[0]
        result, search = solve_by_blocks(*args, **kwargs)
        rounds.append(search.rounds)
        block_rounds.append(improves[0] - before)
        return result, search

    def improving(self, *args, **kwargs):
        improves[0] += 1
        return improve(self, *args, **kwargs)

    monkeypatch.setattr(Relaxation, "encode", slow)
    monkeypatch.setattr(decompose_module, "solve_by_blocks", counted)
    monkeypatch.setattr(decompose_module.BlockSearch, "improve", improving)
    monkeypatch.setattr(solve_module, "IMPROVE_PAIRS", 0)
    monkeypatch.setattr(solve_module, "RELOCATE_FIRST", 1.0)  # seven of 150 left out
    # (the wait longer than its 2 s: the child's 1 s here plus its build came after 2 s
    # once, in a fresh clone's whole suite, and the block search ran two rounds; then
    # after 6 s, under a load of 13-19. The wait ends when the child answers: here it is
    # a guard, and so is the time limit, 8 s before, which the relocations and the
    # child's answer must come before)
    monkeypatch.setattr(solve_module, "ANNOUNCEMENT_WAIT", 60.0)
    path = FILES[5]  # bench-150-tight: relocations first, then the child's start
    instance = load_instance(path)
    stats = SolveStats()
    solution = solve(
        instance,
        instance_hash(path),
        SolveOptions(time_limit=20, workers=1, direct_limit=0),
        stats=stats,
    )
    assert validate(instance, solution).ok
    assert stats.relaxation is not None and stats.relaxation.by_cliques
    assert rounds[0] > 0 and block_rounds[0] == 0  # the relocations alone (seven to place)
    # stopped before its first block round: the child searches (relocations may come
    # first: in a fresh clone's suite, importing OR-Tools took the first ones' 0.8 s and
    # two proposals were left to them)
    assert block_rounds[1] == 0


def _mixed_morning() -> dict:
    """Mixed workshops allowed; two parallel morning slots and one before noon. A French
    keynote takes the first morning slot; an English one prefers the morning."""
    data = base_data()
    data["slots"].append(
        {"id": "s3", "room": "a", "start": "2026-12-01T11:00:00", "end": "2026-12-01T12:30:00"}
    )
    data["rules"] = {
        "mixed_language": True,
        "weights": {"parallel-language": 50, "speaker-preference": 10, "idle-minutes": 0},
    }
    morning = [{"start": "2026-12-01T09:00:00", "end": "2026-12-01T10:30:00"}]
    data["proposals"] = [
        proposal("k1", lang="fr", speakers=["sp1"], themes=["open"], pin="s1"),
        proposal("k2", lang="en", speakers=["sp2"], themes=["data"], preferred=morning),
    ]
    return data


def test_greedy_counts_a_language_pair_only_for_a_shared_language():
    # beside a French workshop an English one shares no language: no pair (the validator
    # counts one per language two parallel workshops share), so the morning slot it
    # prefers costs nothing, where one pair would have cost more than the preference
    instance = build(_mixed_morning())
    solution = greedy_solution(instance, "h", candidate_table(instance))
    assert {w.slot: w.proposals for w in solution.workshops} == {"s1": ["k1"], "s2": ["k2"]}
    report = validate(instance, solution)
    assert report.ok and report.objective == solution.objective == 0


def test_greedy_counts_the_language_a_member_brings_to_a_mixed_workshop():
    # an English initiative joining the French workshop beside the English one brings
    # English there: one pair (50); the English workshop takes it instead
    data = _mixed_morning()
    data["proposals"][1].pop("preferred")
    data["proposals"][1]["pin"] = "s2"
    data["proposals"].append(
        proposal("i1", fmt="initiative", lang="en", speakers=["sp3"], themes=["open", "data"])
    )
    data["slots"].pop()  # only the two parallel slots
    data["rules"]["weights"]["secondary-theme"] = 20
    instance = build(data)
    solution = greedy_solution(instance, "h", candidate_table(instance))
    report = validate(instance, solution)
    assert report.ok and report.objective == solution.objective
    assert {w.slot: w.proposals for w in solution.workshops} == {
        "s1": ["k1"],
        "s2": ["k2", "i1"],
    }
    assert solution.objective == 20  # its secondary theme, no language pair


def test_the_direct_path_reports_progress_from_the_solve_start():
    from scheduler.solve import SolveStats

    path = FILES[3]  # bench-40-tight: the relaxation's optimum is the result
    instance = load_instance(path)
    reports: list[tuple[float, float | None, float | None]] = []
    stats = SolveStats()
    solution = solve(
        instance,
        instance_hash(path),
        SolveOptions(time_limit=20, workers=1, deterministic_time=2),
        progress=lambda *report: reports.append(report),
        stats=stats,
    )
    objectives = [objective for _, objective, _ in reports if objective is not None]
    bounds = [bound for _, _, bound in reports if bound is not None]
    # the first fit comes first, then the relaxation's bound, then the solver's schedule
    assert objectives[0] == greedy_solution(instance, instance_hash(path)).objective
    assert objectives[-1] == solution.objective and bounds[-1] == solution.bound
    elapsed = [seconds for seconds, _, _ in reports]
    assert elapsed == sorted(elapsed)
    # timed like the summary's seconds: the last schedule came after the model was built
    assert stats.build_seconds <= round(elapsed[-1], 3) <= solution.seconds  # (in ms)


def test_proposals_pinned_to_one_slot_share_it_even_with_one_speaker(data):
    # a speaker may give two talks in one workshop; first fit avoids it, but not when
    # both are pinned there (a workshop kept as published with `--keep-before`): it
    # then left one out, broke the pin and had no schedule at all
    data["proposals"] = [
        proposal("k1", speakers=["sp1"], pin="s1"),
        proposal("i1", "initiative", speakers=["sp1"], pin="s1"),
        proposal("k2", speakers=["sp2"]),
    ]
    instance = build(data)
    solution = greedy_solution(instance)
    assert solution.has_schedule
    assert validate(instance, solution).ok
    assert {w.slot: w.proposals for w in solution.workshops}["s1"] == ["k1", "i1"]


def test_a_pinned_initiative_brings_a_keynote_to_its_slot(data):
    # no keynote is pinned beside it: first fit once left it out and broke its pin, so
    # the large instances' path had no start at all (bench-150-easy with one initiative
    # pinned: no schedule; now 2195 against 2190 unpinned)
    data["proposals"] = [
        proposal("k1", speakers=["sp1"], themes=["data"]),
        proposal("k2", speakers=["sp2"]),
        proposal("i1", "initiative", speakers=["sp3"], pin="s2"),
    ]
    instance = build(data)
    solution = greedy_solution(instance)
    assert solution.has_schedule and validate(instance, solution).ok
    members = {w.slot: w.proposals for w in solution.workshops}
    assert members["s2"] == ["k2", "i1"]  # the keynote sharing its theme
    options = SolveOptions(time_limit=5, workers=1, direct_limit=0, deterministic_time=0.5)
    assert validate(instance, solve(instance, "sha256:x", options)).ok


def _pinned_first_fit(instance) -> dict[str, list[str]]:
    """First fit's workshops (slot -> members), asserting a valid schedule."""
    solution = greedy_solution(instance)
    assert solution.has_schedule and validate(instance, solution).ok
    return {w.slot: w.proposals for w in solution.workshops}


def test_proposals_pinned_to_one_slot_get_a_theme_they_share(data):
    # the pinned keynote's first theme is not the initiative's: placed one by one, the
    # keynote opened the workshop under its own first theme, the initiative pinned there
    # could not join, and once i3 had joined under that theme no repair could re-theme
    # it (bench-150-tight with 30 pins from a schedule: no start)
    data["proposals"] = [
        proposal("k1", speakers=["sp1"], themes=["open", "data"], pin="s1"),
        proposal("i1", "initiative", speakers=["sp2"], themes=["data"], pin="s1"),
        proposal("i3", "initiative", speakers=["sp3"], themes=["open"]),
    ]
    instance = build(data)
    assert _pinned_first_fit(instance)["s1"] == ["k1", "i1"]
    assert {w.slot: w.theme for w in greedy_solution(instance).workshops}["s1"] == "data"


def test_a_together_group_pinned_by_one_member_brings_a_keynote(data):
    # only i1 is pinned; its group's other member is not: the keynote-leading step
    # wanted every member pinned, left the group out and broke the pin
    data["proposals"] = [
        proposal("k1", speakers=["sp1"]),
        proposal("i1", "initiative", speakers=["sp2"], pin="s2"),
        proposal("i2", "initiative", speakers=["sp3"]),
    ]
    data["constraints"] = {"together": [{"proposals": ["i1", "i2"]}]}
    instance = build(data)
    assert _pinned_first_fit(instance)["s2"] == ["k1", "i1", "i2"]


def test_a_keynote_leads_pinned_initiatives_of_one_speaker(data):
    # two initiatives of one speaker pinned to one slot, no keynote pinned: placed as
    # one unit, the keynote brought to lead them must be allowed beside a speaker
    # giving two talks (it was not at first: bench-150-tight with 30 pins, no start)
    data["proposals"] = [
        proposal("k1", speakers=["sp1"]),
        proposal("i1", "initiative", speakers=["sp2"], pin="s1"),
        proposal("i2", "initiative", speakers=["sp2"], pin="s1"),
    ]
    instance = build(data)
    assert _pinned_first_fit(instance)["s1"] == ["k1", "i1", "i2"]


def test_keynote_less_pinned_slots_share_out_the_keynotes_that_can_lead_them(data):
    # k1 can lead either slot's initiative, k2 only i2 (theme): i2's unit comes first
    # and, taking its first leader, took k1, the only one i1 could have (bench-600-tight
    # with 100 pins from a schedule: no start)
    data["proposals"] = [
        proposal("i2", "initiative", speakers=["sp4"], pin="s2", themes=["data"]),
        proposal("i1", "initiative", speakers=["sp3"], pin="s1"),
        proposal("k1", speakers=["sp1"], themes=["data", "open"]),
        proposal("k2", speakers=["sp2"], themes=["data"]),
    ]
    assert _pinned_first_fit(build(data)) == {"s1": ["k1", "i1"], "s2": ["k2", "i2"]}


def test_a_together_group_may_lead_a_pinned_initiative(data):
    # the only keynotes of the initiative's language are a `together` pair: the pair
    # comes with its group to open the workshop (a keynote of a group was never a
    # leader, and the initiative was left out, its pin broken: found by the property
    # test on pins drawn from a schedule)
    data["slots"][1].update(start="2026-12-01T10:30:00", end="2026-12-01T12:30:00")
    data["proposals"] = [
        proposal("k1", lang="en", speakers=["sp1"]),
        proposal("k2", lang="en", speakers=["sp2"]),
        proposal("k3", speakers=["sp3"]),
        proposal("i1", "initiative", "en", speakers=["sp4"], pin="s2"),
    ]
    data["constraints"] = {"together": [{"proposals": ["k1", "k2"]}]}
    members = _pinned_first_fit(build(data))
    assert members["s2"] == ["k1", "k2", "i1"]
