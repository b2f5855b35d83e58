"""The aggregated program (`scheduler.relaxation`): built, encoded, decoded and solved;
every schedule maps to a solution costing no more."""

from __future__ import annotations

import math
import pickle
import time
from collections import Counter
from datetime import datetime, timedelta

import numpy as np
import pytest
from conftest import BUNDLED, ROOT, base_data, build, from_greedy, greedy_start, proposal

from scheduler.bound import _linked
from scheduler.candidates import candidate_table
from scheduler.instance import Instance, Slot, load_instance
from scheduler.program import Program
from scheduler.relaxation import Relaxation, clique_cover
from scheduler.solution import load_solution
from scheduler.solve import _members
from scheduler.validate import validate
from scheduler.workshops import schedule_of_workshops

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial

TIGHT = ROOT / "instances" / "bench" / "bench-40-tight.yaml"
EASY = ROOT / "instances" / "bench" / "bench-150-easy.yaml"


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


def test_a_schedule_encodes_into_a_solution_of_the_program_costing_no_more():
    for path in (TIGHT, EASY, BUNDLED):
        instance = load_instance(path)
        candidates = candidate_table(instance)
        relaxation = Relaxation(instance, candidates)
        (members, themes), objective = greedy_start(instance, candidates)
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
    values = relaxation.encode(*greedy_start(instance, candidate_table(instance))[0])
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
    first_fit, _ = greedy_start(instance, candidates)
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


def test_language_columns_split_the_workshops_and_flows_by_language():
    instance, relaxation, _, _ = from_greedy(EASY)
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


def test_a_workshop_holding_one_talk_of_its_own_length_is_counted_at_its_minutes():
    # the workshops holding one talk of its own length are counted by that talk, at the
    # shape's exact minutes with it: a schedule's idle and participatory costs are the
    # program's, its rounds exact and checked without the whole validator. Here one
    # talk of each workshop of first fit takes less than its format's minutes (so that
    # the schedule still holds), in three lengths
    base = load_instance(TIGHT)
    (members, themes), _ = greedy_start(base, candidate_table(base))
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
