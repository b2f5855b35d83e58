"""The search by cliques on the aggregated program (`scheduler.cliques`): its rounds,
helpers and reach; every schedule it keeps holds."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np
import pytest
from conftest import ROOT, from_greedy, greedy_start

import scheduler.cliques as cliques_module
from scheduler.candidates import candidate_table
from scheduler.cliques import _language_reaches, _reach, search_by_cliques
from scheduler.instance import Instance, load_instance
from scheduler.program import Helper, Program
from scheduler.relaxation import Relaxation
from scheduler.solve import _scored
from scheduler.validate import validate
from scheduler.workshops import schedule_of_workshops

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial

TIGHT = ROOT / "instances" / "bench" / "bench-40-tight.yaml"
EASY = ROOT / "instances" / "bench" / "bench-150-easy.yaml"


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
    instance, relaxation, start, objective = from_greedy(EASY)
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


def test_a_lost_helper_leaves_the_rounds_to_the_other():
    instance, relaxation, start, objective = from_greedy(EASY)
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
    instance, relaxation, start, objective = from_greedy(EASY)
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


def test_a_guided_round_frees_only_where_the_solution_leaves_the_lp_vertex():
    instance, relaxation, start, _ = from_greedy(EASY)
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
    instance, relaxation, start, _ = from_greedy(ROOT / "instances/bench/bench-150-tight.yaml")
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
    instance, relaxation, start, objective = from_greedy(EASY)
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
    instance, relaxation, start, _ = from_greedy(EASY)
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


def test_languages_rounds_free_one_language_of_more_cliques_at_lp_size(monkeypatch):
    _, relaxation, start, _ = from_greedy(EASY)
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
    _, relaxation, _, _ = from_greedy(EASY)
    reaches = _language_reaches(relaxation.language_columns())
    counts = {k: len(v) for k, v in relaxation.language_columns().items()}
    assert max(counts, key=counts.get) == min(reaches, key=reaches.get)
    assert all(slots < reach <= cliques_module.LANGUAGE_REACH * slots for reach in reaches.values())


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
    (members, themes), _ = greedy_start(base, candidate_table(base))
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
