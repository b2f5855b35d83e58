"""The block search's relocations: moves across blocks that place a proposal left out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import base_data, build, proposal

from scheduler.candidates import candidate_table
from scheduler.decompose import BlockSearch, solve_by_blocks
from scheduler.greedy import greedy_solution
from scheduler.instance import load_instance
from scheduler.solution import Status
from scheduler.validate import validate
from scheduler.workshops import schedule

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial

ROOT = Path(__file__).parent.parent
MORNING = [{"start": "2026-12-01T08:00:00", "end": "2026-12-01T12:00:00"}]
AFTERNOON = [{"start": "2026-12-01T13:00:00", "end": "2026-12-01T19:00:00"}]


def _two_blocks() -> dict:
    """One room, a morning and an afternoon slot of 60 minutes (two blocks: they do not
    overlap); speaker sp3 is available in the morning only."""
    data = base_data()
    data["slots"] = [
        {"id": "am", "room": "a", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"},
        {"id": "pm", "room": "a", "start": "2026-12-01T14:00:00", "end": "2026-12-01T15:00:00"},
    ]
    data["speakers"][2]["available"] = MORNING
    return data


def _search(data: dict, members: dict[str, list[str]], themes: dict[str, str]) -> BlockSearch:
    instance = build(data)
    start = schedule(instance, members, themes, Status.FEASIBLE)
    assert validate(instance, start).ok
    return BlockSearch(instance, candidate_table(instance), start, seed=0, workers=1)


def _english_initiative_waiting() -> tuple[dict, dict[str, list[str]], dict[str, str]]:
    """`_two_blocks` with a French keynote in the morning, an English one in the
    afternoon, and an English initiative left out that only the morning can take (its
    speaker), which a relocation places."""
    data = _two_blocks()
    data["proposals"] = [
        proposal("ken", lang="en", speakers=["sp1"]),
        proposal("kfr", lang="fr", speakers=["sp2"]),
        proposal("ien", fmt="initiative", lang="en", speakers=["sp3"]),
    ]
    return data, {"am": ["kfr"], "pm": ["ken"]}, {"am": "open", "pm": "open"}


def _placed(search: BlockSearch) -> dict[str, str]:
    result = schedule(search.instance, search.members, search.theme, Status.FEASIBLE)
    report = validate(search.instance, result)
    assert report.ok, report.violations
    return search.placement()


def test_a_swap_across_blocks_places_an_initiative_no_block_can_take():
    data = _two_blocks()
    data["proposals"] = [
        proposal("ken", lang="en", speakers=["sp1"]),
        proposal("kfr", lang="fr", speakers=["sp2"]),
        proposal("ien", fmt="initiative", lang="en", speakers=["sp3"]),
    ]
    # the French keynote holds the only morning slot; the English one is in the afternoon
    search = _search(data, {"am": ["kfr"], "pm": ["ken"]}, {"am": "open", "pm": "open"})
    assert search.unplaced() == ["ien"]
    assert not search.improve([search.block_of["am"]], time.perf_counter() + 10)
    assert next(search.relocations(["ien"])) == frozenset({"am", "pm"})
    search.place_waiting(time.perf_counter() + 10)
    assert _placed(search) == {"ken": "am", "ien": "am", "kfr": "pm"}


def test_a_keynote_leaves_a_two_keynote_workshop_to_open_one_with_the_initiative():
    data = _two_blocks()
    data["slots"][1]["end"] = "2026-12-01T15:30:00"  # 90 minutes: room for two keynotes
    data["proposals"] = [
        proposal("k1", lang="en", speakers=["sp1"]),
        proposal("k2", lang="en", speakers=["sp2"]),
        proposal("ien", fmt="initiative", lang="en", speakers=["sp3"]),
    ]
    search = _search(data, {"am": [], "pm": ["k1", "k2"]}, {"pm": "open"})
    assert search.unplaced() == ["ien"]
    assert not search.improve([search.block_of["am"]], time.perf_counter() + 10)
    search.place_waiting(time.perf_counter() + 10)
    where = _placed(search)
    assert where["ien"] == "am"
    assert sorted(where.values()) == ["am", "am", "pm"]


def test_a_leftover_initiative_moves_to_a_third_workshop():
    data = _two_blocks()
    data["slots"].append(
        {"id": "late", "room": "a", "start": "2026-12-01T16:30:00", "end": "2026-12-01T17:30:00"}
    )
    data["proposals"] = [
        proposal("ken", lang="en", speakers=["sp1"]),
        proposal("iold", fmt="initiative", lang="en", speakers=["sp4"]),
        proposal("kfr", lang="fr", speakers=["sp2"]),
        proposal("k3", lang="en", speakers=["sp5"]),
        proposal("ien", fmt="initiative", lang="en", speakers=["sp3"]),
    ]
    data["speakers"][4]["available"] = AFTERNOON  # k3 cannot move to the morning
    # a 60-minute workshop holds one keynote and one initiative: `iold` has to make way
    members = {"am": ["kfr"], "pm": ["ken", "iold"], "late": ["k3"]}
    search = _search(data, members, {"am": "open", "pm": "open", "late": "open"})
    assert search.unplaced() == ["ien"]
    moves = list(search.relocations(["ien"]))
    assert frozenset({"am", "pm", "late"}) in moves
    search.place_waiting(time.perf_counter() + 10)
    where = _placed(search)
    assert where["ien"] == where["ken"] == "am"
    assert where["iold"] == where["k3"] != "am"  # with the other English keynote
    assert len(where) == 5


def test_relocations_place_every_placeable_proposal_of_the_tight_150_rung():
    instance = load_instance(ROOT / "instances" / "bench" / "bench-150-tight.yaml")
    candidates = candidate_table(instance)
    start = greedy_solution(instance, "h", candidates)
    search = BlockSearch(instance, candidates, start, seed=0, workers=1)
    assert search.unplaced()  # the greedy schedule leaves some out
    search.place_waiting(time.perf_counter() + 60)
    assert search.unplaced() == []
    result = schedule(instance, search.members, search.theme, Status.FEASIBLE)
    report = validate(instance, result)
    assert report.ok, report.violations
    assert report.objective < start.objective


def test_relocations_end_when_stop_says_so():
    """`stop` is asked before each relocation: asked at once, nothing moves; never, the
    initiative is placed (the solve stops them when a better schedule has arrived)."""
    data, members, themes = _english_initiative_waiting()
    asked = []
    stopped = _search(data, members, themes)
    stopped.place_waiting(time.perf_counter() + 10, stop=lambda: not asked.append(1))
    assert asked == [1] and stopped.rounds == 0
    assert stopped.unplaced() == ["ien"]
    going = _search(data, members, themes)
    going.place_waiting(time.perf_counter() + 10, stop=lambda: False)
    assert going.unplaced() == []
    # the whole block search passes it on (relocations come before the first round)
    instance = stopped.instance
    start = schedule(instance, members, themes, Status.FEASIBLE)
    args = (instance, candidate_table(instance), start, 0, 1, time.perf_counter() + 10)
    result, _ = solve_by_blocks(*args, stop=lambda: True, stop_relocating=lambda: True)
    assert [u.proposal for u in result.unscheduled] == ["ien"]
    result, _ = solve_by_blocks(*args, stop=lambda: True, stop_relocating=lambda: False)
    assert result.unscheduled == []


def test_relocations_keep_their_margin_before_the_deadline_unless_told_none(monkeypatch):
    """The block search's relocations stop `LnsSettings.margin` seconds before their
    deadline, for its rounds; the direct path's relocations before its search
    (`solve._relocated`) keep none: with the 0.2 s margin, a tenth of a 2 s time limit
    left them nothing to do."""
    import dataclasses

    import scheduler.decompose as decompose_module
    import scheduler.solve as solve_module
    from scheduler.decompose import LnsSettings
    from scheduler.solve import SolveOptions

    data, members, themes = _english_initiative_waiting()
    wide = _search(data, members, themes)
    wide.settings = dataclasses.replace(wide.settings, margin=20.0)
    wide.place_waiting(time.perf_counter() + 10)  # the whole time within the margin
    assert wide.unplaced() == ["ien"] and wide.rounds == 0
    none = _search(data, members, themes)
    none.settings = dataclasses.replace(none.settings, margin=0.0)
    none.place_waiting(time.perf_counter() + 10)
    assert none.unplaced() == []
    # and the direct path asks for none
    given = []

    def recorded(*arguments, settings=None, **keywords):
        given.append(settings or LnsSettings())
        return arguments[2], None

    monkeypatch.setattr(decompose_module, "solve_by_blocks", recorded)
    instance = none.instance
    start = schedule(instance, members, themes, Status.FEASIBLE)
    start.objective = validate(instance, start).objective
    options = SolveOptions(time_limit=2, workers=1)
    solve_module._relocated(instance, candidate_table(instance), start, options, 0.0)
    assert [s.margin for s in given] == [0.0]


def test_the_relocations_enumeration_counts_against_their_work_budget():
    """Each workshop the enumeration checks is charged deterministic time: with a budget
    of one check, the relocations end before their first CP-SAT round (uncharged, they
    once took 21 s on a budget of 0.1 units), the same way every time; with more, they
    place proposals."""
    instance = load_instance(ROOT / "instances" / "bench" / "bench-150-tight.yaml")
    candidates = candidate_table(instance)
    start = greedy_solution(instance, "h", candidates)
    spent = []
    for _ in range(2):
        search = BlockSearch(instance, candidates, start, seed=0, workers=1)
        search.deterministic = True
        waiting = search.unplaced()
        budget = search.settings.check_deterministic_time
        search.place_waiting(time.perf_counter() + 60, budget)
        assert search.rounds == 0
        assert search.unplaced() == waiting
        assert budget <= search.deterministic_time < 0.01
        spent.append(search.deterministic_time)
    assert spent[0] == spent[1]
    search = BlockSearch(instance, candidates, start, seed=0, workers=1)
    search.deterministic = True
    search.place_waiting(time.perf_counter() + 60, 0.5)
    assert search.rounds > 0
    assert len(search.unplaced()) < len(waiting)


def test_kept_workshop_sums_agree_with_checking_the_whole_workshop():
    """`_could_join` (from each workshop's kept sums) and `_joinable` (kept until a
    workshop changes) answer as `_could_hold` does on the whole workshop, before and
    after the relocations change workshops."""
    instance = load_instance(ROOT / "instances" / "bench" / "bench-150-tight.yaml")
    candidates = candidate_table(instance)
    start = greedy_solution(instance, "h", candidates)
    search = BlockSearch(instance, candidates, start, seed=0, workers=1)

    def agree() -> int:
        checked = 0
        for proposal_id in candidates.slots:
            joinable = search._joinable(proposal_id)
            for slot_id in candidates.slots[proposal_id]:
                if proposal_id in search.members[slot_id]:
                    continue
                whole = search._could_hold(search.members[slot_id] + [proposal_id], slot_id)
                assert search._could_join(slot_id, [proposal_id]) == whole
                assert bool(joinable & search._slot_bit[slot_id]) == whole
                checked += whole
        return checked

    before = agree()
    search.place_waiting(time.perf_counter() + 60)
    assert search.accepted > 0
    assert before > 0 and agree() > 0
