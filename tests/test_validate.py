"""The independent validator: a valid solution passes; a solution broken on one rule is caught."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FAST, TINY, base_data, build, proposal

from scheduler.instance import Language, instance_hash, load_instance
from scheduler.solution import Item, ItemKind, Penalty, Solution, Status, Unscheduled
from scheduler.solve import solve
from scheduler.validate import check_claims, validate

# tiny.yaml solves to: am-a (k1, i1), am-b (k3), pm-b (k2, i2); i3, i4, i5 unscheduled.


@pytest.fixture(scope="module")
def tiny():
    instance = load_instance(TINY)
    return instance, solve(instance, instance_hash(TINY), FAST)


def fresh(solution: Solution) -> Solution:
    return Solution.model_validate(solution.model_dump())


def workshop(solution: Solution, slot_id: str):
    return next(w for w in solution.workshops if w.slot == slot_id)


def move(instance, solution: Solution, from_slot: str, to_slot: str) -> None:
    """Move a workshop to another slot, shifting its timeline."""
    ws = workshop(solution, from_slot)
    target = instance.slot_by_id[to_slot]
    delta = target.start - ws.start
    ws.slot, ws.room = target.id, target.room
    ws.start, ws.end = instance.local(target.start), instance.local(target.end)
    for item in ws.items:
        item.start += delta
        item.end += delta


def broken(instance, solution, **kwargs) -> set[str]:
    return {v.rule for v in validate(instance, solution, **kwargs).violations}


def test_solver_solution_is_valid(tiny):
    instance, solution = tiny
    report = validate(instance, solution)
    assert report.ok
    assert report.objective == solution.objective == 3020


def test_validator_does_not_share_code_with_the_model():
    source = Path(__file__).parent.parent / "scheduler" / "validate.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not any(
        name
        and (
            name.startswith("ortools")
            or name in {"scheduler.model", "scheduler.solve", "scheduler.candidates"}
        )
        for name in imported
    )


# -- one mutation per hard rule ------------------------------------------------


def test_placed_once(tiny):
    instance, original = tiny
    solution = fresh(original)
    ws = workshop(solution, "pm-b")
    item = next(i for i in workshop(solution, "am-a").items if i.proposal == "i1")
    ws.items.insert(
        -1, Item(kind=ItemKind.INITIATIVE, proposal="i1", start=item.start, end=item.end)
    )
    assert "placed-once" in broken(instance, solution)


def test_placed_once_every_proposal_accounted_for(tiny):
    instance, original = tiny
    solution = fresh(original)
    solution.unscheduled = solution.unscheduled[1:]
    assert broken(instance, solution) == {"placed-once"}


def test_one_workshop_per_slot(tiny):
    instance, original = tiny
    solution = fresh(original)
    ws = workshop(solution, "am-b")
    ws.items[-1].end += timedelta(minutes=30)
    assert "one-workshop-per-slot" in broken(instance, solution)


def test_one_workshop_per_slot_two_workshops(tiny):
    instance, original = tiny
    solution = fresh(original)
    solution.workshops.append(workshop(fresh(original), "am-b"))
    assert "one-workshop-per-slot" in broken(instance, solution)


def test_durations(tiny):
    instance, original = tiny
    solution = fresh(original)
    ws = workshop(solution, "pm-b")
    participatory = next(i for i in ws.items if i.kind == ItemKind.PARTICIPATORY)
    participatory.end -= timedelta(minutes=5)  # 15 minutes, below the minimum of 20
    assert "durations" in broken(instance, solution)


def test_durations_talk_length(tiny):
    instance, original = tiny
    solution = fresh(original)
    talk = next(i for i in workshop(solution, "am-a").items if i.kind == ItemKind.INITIATIVE)
    talk.end += timedelta(minutes=5)
    assert "durations" in broken(instance, solution)


def test_composition(tiny):
    instance, original = tiny
    solution = fresh(original)
    ws = workshop(solution, "am-b")
    ws.items = [i for i in ws.items if i.proposal != "k3"]
    solution.unscheduled.append(Unscheduled(proposal="k3", reasons=["mutated"]))
    assert "composition" in broken(instance, solution)


def test_language(tiny):
    instance, original = tiny
    solution = fresh(original)
    workshop(solution, "am-a").language = "en"
    assert broken(instance, solution) >= {"language"}


def test_a_workshop_s_language_is_a_language_and_its_slot_s(tiny):
    # a workshop without talks (no proposal's language to check) passed as "klingon",
    # even in a slot fixed to another language
    instance, original = tiny
    solution = fresh(original)
    workshop(solution, "am-a").language = "klingon"
    messages = [v.message for v in validate(instance, solution).violations]
    assert "am-a: language reads klingon, not one of fr, en" in messages
    # the slot fixed to another language than its workshop's
    spoken = workshop(original, "am-a").language
    other = Language.EN if spoken == "fr" else Language.FR
    fixed = instance.model_copy(deep=True)
    fixed.slot_by_id["am-a"].language = other
    messages = [v.message for v in validate(fixed, fresh(original)).violations]
    assert f"am-a is fixed to {other.value}, its workshop is in {spoken}" in messages


def test_theme(tiny):
    instance, original = tiny
    solution = fresh(original)
    workshop(solution, "am-a").theme = "data"
    assert "theme" in broken(instance, solution)
    # k1 is about openness only: said in words, "in a data workshop" read oddly
    messages = [v.message for v in validate(instance, solution).violations if v.rule == "theme"]
    assert "k1 (themes open) is in am-a, whose workshop's theme is data" in messages


def test_speaker_availability(tiny):
    instance, original = tiny
    solution = fresh(original)
    move(instance, solution, "am-b", "pm-a")  # k3's speaker is away in the afternoon
    assert "speaker-availability" in broken(instance, solution)


@pytest.mark.parametrize(
    ("windows", "ok"),
    [
        ([("08:00", "10:00"), ("10:00", "12:00")], True),
        ([("09:45", "12:00"), ("08:00", "10:00")], True),
        ([("08:00", "10:00"), ("10:05", "12:00")], False),
    ],
)
def test_windows_that_touch_or_overlap_are_one_span(windows, ok):
    # the validator's own reading: a slot inside the windows' union is within them
    data = base_data()
    data["proposals"] = [proposal("k1")]
    free = build(data)
    solution = solve(free, "sha256:test", FAST)
    (held,) = solution.workshops
    spans = [{"start": f"2026-12-01T{a}:00", "end": f"2026-12-01T{b}:00"} for a, b in windows]
    data["speakers"][0]["available"] = spans
    data["speakers"][0]["preferred"] = spans
    report = validate(build(data), solution)
    rules = {v.rule for v in report.violations}
    assert ("speaker-availability" not in rules) is ok and held.slot in {"s1", "s2"}
    if ok:
        assert not any(rule == "speaker-preference" for rule, _, _ in report.terms)


def test_speaker_clash(tiny):
    instance, original = tiny
    solution = fresh(original)
    ws = workshop(solution, "am-b")  # in parallel with am-a, where ana speaks
    closing = ws.items[-1]
    start = closing.start
    ws.items.insert(
        -1,
        Item(
            kind=ItemKind.INITIATIVE, proposal="i3", start=start, end=start + timedelta(minutes=10)
        ),
    )
    solution.unscheduled = [u for u in solution.unscheduled if u.proposal != "i3"]
    assert "speaker-clash" in broken(instance, solution)


def _unknown_proposal(solution):
    next(i for i in workshop(solution, "am-b").items if i.proposal == "k3").proposal = "k9"
    solution.unscheduled.append(Unscheduled(proposal="k3", reasons=["mutated"]))


def _twice_said(solution):
    solution.unscheduled.append(Unscheduled(proposal="k1", reasons=["mutated"]))


def _unknown_slot(solution):
    workshop(solution, "am-b").slot = "noon-c"


def _other_room(solution):
    workshop(solution, "am-b").room = "a"


def _longer(solution):
    ws = workshop(solution, "am-b")
    ws.end += timedelta(minutes=15)


def _no_timeline(solution):
    workshop(solution, "am-b").items = []


def _backwards(solution):
    talk = next(i for i in workshop(solution, "am-b").items if i.proposal == "k3")
    talk.start, talk.end = talk.end, talk.start


def _keynote_as_initiative(solution):
    next(
        i for i in workshop(solution, "am-b").items if i.proposal == "k3"
    ).kind = ItemKind.INITIATIVE


def _seconds_longer(solution):
    # a keynote 59 s longer, its participatory time 59 s shorter: every minute still
    # counted whole, and rounded down once the keynote read 20 min
    items = workshop(solution, "am-b").items
    talk = next(i for i in items if i.proposal == "k3" and i.kind is ItemKind.KEYNOTE)
    after = items[items.index(talk) + 1]
    talk.end += timedelta(seconds=59)
    after.start = talk.end


def _closing_over_idle_time(solution):
    # a second closing over am-a's five idle minutes: counted as busy, it took them off
    # the cost, and the file passed
    items = workshop(solution, "am-a").items
    end = items[-1].end
    items.append(Item(kind=ItemKind.CLOSING, start=end, end=end + timedelta(minutes=5)))


def _opening_at_the_end(solution):
    items = workshop(solution, "am-a").items
    end = items[-1].end
    items.append(Item(kind=ItemKind.OPENING, start=end, end=end + timedelta(minutes=5)))


def _unknown_listed(solution):
    solution.unscheduled.append(Unscheduled(proposal="k9", reasons=["typed wrong"]))


def _listed_twice(solution):
    solution.unscheduled.append(Unscheduled(proposal="i3", reasons=["again"]))


@pytest.mark.parametrize(
    ("mutate", "rule", "message"),
    [
        (
            _closing_over_idle_time,
            "durations",
            "am-a: a closing at 10:20–10:25 that is not the timeline's last item (a workshop "
            "has one)",
        ),
        (
            _opening_at_the_end,
            "durations",
            "am-a: an opening at 10:25–10:30 that is not the timeline's first item (a workshop "
            "has one)",
        ),
        (_unknown_listed, "placed-once", "unknown proposal k9 is listed as unscheduled"),
        (_listed_twice, "placed-once", "i3 is listed as unscheduled 2 times"),
        (_unknown_proposal, "placed-once", "unknown proposal k9 is placed (in am-b)"),
        (_twice_said, "placed-once", "k1 is placed and also listed as unscheduled"),
        (_unknown_slot, "one-workshop-per-slot", "workshop in unknown slot noon-c"),
        (_other_room, "one-workshop-per-slot", "workshop in am-b names room a, not b"),
        (
            _longer,
            "one-workshop-per-slot",
            "workshop in am-b runs Tue 1 Dec 09:00–10:15, not its slot's Tue 1 Dec 09:00–10:00",
        ),
        (_no_timeline, "one-workshop-per-slot", "workshop in am-b has an empty timeline"),
        (_backwards, "one-workshop-per-slot", "am-b: a keynote item ends before it starts"),
        (_keynote_as_initiative, "durations", "k3 is a keynote, shown as initiative"),
        (_seconds_longer, "durations", "am-b: keynote of k3 lasts 20 min 59 s, not whole minutes"),
    ],
)
def test_each_break_is_said_in_its_own_words(tiny, mutate, rule, message):
    # the validator's rarer sentences, each from the one change that makes it
    instance, original = tiny
    solution = fresh(original)
    mutate(solution)
    said = [(v.rule, v.message) for v in validate(instance, solution).violations]
    assert (rule, message) in said


@pytest.mark.parametrize(
    ("change", "language", "message"),
    [
        ("mixed", "mixed", ("language", "am-a: language reads mixed, not fr")),
        ("fixed", "fr", ("slot-lock", "am-a is fixed to en, holds k1 in fr")),
    ],
)
def test_a_workshop_s_language_against_mixed_rules_and_a_fixed_slot(
    tiny, change, language, message
):
    # where mixed workshops are allowed, one whose members all speak French says so;
    # a slot fixed to English holds no French talk
    _, original = tiny
    data = __import__("yaml").safe_load(TINY.read_text())
    if change == "mixed":
        data.setdefault("rules", {})["mixed_language"] = True
    else:
        data["slots"][0]["language"] = "en"
    changed = build(data)
    solution = fresh(original)
    workshop(solution, "am-a").language = language
    said = [(v.rule, v.message) for v in validate(changed, solution).violations]
    assert message in said


def test_pin(tiny):
    instance, original = tiny
    solution = fresh(original)
    move(instance, solution, "am-a", "pm-a")
    assert "pin" in broken(instance, solution)


def test_slot_lock(tiny):
    _, solution = tiny
    data = __import__("yaml").safe_load(TINY.read_text())
    data["slots"][1]["closed"] = True
    closed = build(data)
    assert "slot-lock" in broken(closed, solution)


def test_together_and_apart(tiny):
    _, solution = tiny
    data = __import__("yaml").safe_load(TINY.read_text())
    data["constraints"] = {
        "together": [{"proposals": ["k1", "k3"]}],
        "apart": [{"proposals": ["k2", "i2"]}],
    }
    assert broken(build(data), solution) >= {"together", "apart"}


def test_an_objective_counting_moves_asks_for_the_reference(tiny):
    # a re-solve's file counts `moved` against the published schedule, which only the
    # same --reference lets the validator recount: it said "recomputed 3020", no more
    instance, solution = tiny
    solution = fresh(solution)
    solution.penalties.append(Penalty(rule="moved", cost=50, proposals=["k1"]))
    solution.objective += 50
    (violation,) = validate(instance, solution).violations
    assert violation.rule == "objective"
    assert violation.message == (
        f"the file's objective is {solution.objective}, recomputed {solution.objective - 50}; "
        "the file counts `moved` 50 against a published schedule: give the same --reference "
        "PUBLISHED.json it was solved with"
    )


def test_a_re_solve_checked_without_its_reference_is_told_once(tiny, tmp_path, capsys):
    # a re-solve (its bound at its objective, `moved` counted) checked without the
    # reference said three things: give the reference, the bound is above the cost
    # (the same cause), and "edited by hand, or solved with other weights?"
    from scheduler.cli import main

    instance, solution = tiny
    solution = fresh(solution)
    solution.penalties.append(Penalty(rule="moved", cost=50, proposals=["k1"]))
    solution.objective += 50
    solution.bound = solution.objective
    path = tmp_path / "resolve.json"
    solution.write(path)
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(TINY), str(path)])
    out, err = capsys.readouterr()
    assert stopped.value.code == 1
    flat = " ".join((out + err).split())
    assert "give the same --reference PUBLISHED.json it was solved with" in flat
    assert "is above its schedule's cost" not in flat
    assert "edited by hand" not in flat
    assert (
        f"error: {path}: a re-solve, whose objective counts `moved` 50 against the published "
        "schedule it was solved with: give that --reference PUBLISHED.json to check its "
        "objective"
    ) in flat
    # a bound above the cost with `moved` counted is still one
    solution.bound, solution.status = solution.objective + 10, Status.FEASIBLE
    assert [v.message for v in check_claims(solution, validate(instance, solution))] == [
        f"the file's bound {solution.bound} is above its schedule's cost {solution.objective}: "
        "no schedule costs less than a lower bound"
    ]


def _bound_above_cost(solution):
    solution.bound, solution.status = 4000, Status.FEASIBLE


def _cancelling_penalties(solution):
    solution.penalties[0].cost += 1000
    solution.penalties.append(Penalty(rule="unscheduled", cost=-1000))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: setattr(s, "objective", None), "the file gives no objective; recomputed 3020"),
        (
            lambda s: s.penalties.pop(),
            [
                "the file's penalties add up to 0 for idle-minutes, recomputed 5",
                "the file's penalties add up to 3015, not its objective 3020",
            ],
        ),
        # (without --reference, `moved` is not recounted: it passed, adding up to more)
        (
            lambda s: s.penalties.append(Penalty(rule="moved", cost=50)),
            "the file's penalties add up to 3070, not its objective 3020",
        ),
        # (and with no objective, that alone: "its bound None is its objective")
        (
            lambda s: s.__dict__.update(status=Status.FEASIBLE, objective=None, bound=None),
            "the file gives no objective; recomputed 3020",
        ),
        (
            lambda s: setattr(s, "status", Status.FEASIBLE),
            "the file says feasible, but its bound 3020 is its objective: that is proven optimal",
        ),
        (
            lambda s: s.penalties.append(Penalty(rule="lateness", cost=0)),
            "penalties[6] names 'lateness', not a soft rule",
        ),
        (_cancelling_penalties, "penalties[6] (unscheduled) costs -1000: a cost is not below 0"),
        (
            _bound_above_cost,
            "the file's bound 4000 is above its schedule's cost 3020: no schedule costs less "
            "than a lower bound",
        ),
        (
            lambda s: setattr(s, "bound", 3000),
            "the file says optimal, but its bound 3000 is not its objective 3020",
        ),
    ],
)
def test_what_a_file_says_of_its_schedule_is_checked(tiny, mutate, message):
    # a file edited by hand: each of these passed `validate`, its hard rules held
    instance, original = tiny
    assert not list(check_claims(original, validate(instance, original)))
    solution = fresh(original)
    mutate(solution)
    report = validate(instance, solution)
    assert report.ok
    messages = [message] if isinstance(message, str) else message
    assert [v.message for v in check_claims(solution, report)] == messages


def test_objective_must_match(tiny):
    instance, original = tiny
    solution = fresh(original)
    solution.objective += 1
    assert broken(instance, solution) == {"objective"}


def test_recomputed_costs_follow_the_timeline(tiny):
    instance, original = tiny
    solution = fresh(original)
    ws = workshop(solution, "am-a")
    participatory = next(i for i in ws.items if i.kind == ItemKind.PARTICIPATORY)
    participatory.end -= timedelta(minutes=20)  # 25 min: 5 below target, 20 more idle minutes
    for later in ws.items[ws.items.index(participatory) + 1 :]:
        later.start -= timedelta(minutes=20)
        later.end -= timedelta(minutes=20)
    report = validate(instance, solution)
    assert report.costs["participatory-target"] == 10 + 5
    assert report.costs["idle-minutes"] == 5 + 20


def test_moved_against_a_reference():
    data = base_data()
    data["proposals"] = [proposal("k1")]
    instance = build(data)
    solution = solve(instance, "h", FAST)
    reference = fresh(solution)
    other = "s2" if solution.workshops[0].slot == "s1" else "s1"
    move(instance, reference, solution.workshops[0].slot, other)
    report = validate(instance, solution, reference=reference)
    assert report.costs["moved"] == instance.rules.weights.moved


def test_the_bundled_solution_lists_the_validator_s_penalties():
    # the penalty list is the validator's, found from the timelines alone (schedules of
    # 150 proposals and more once listed only a total per rule)
    root = Path(__file__).parent.parent
    instance = load_instance(root / "instances" / "commons-ai-2026.yaml")
    committed = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    lines = validate(instance, committed).penalties()
    assert lines == committed.penalties
    assert len(lines) == 9  # a secondary theme, a language pair, 7 slots' minutes


def test_one_schedule_has_one_penalty_list_whichever_path_found_it():
    # three parallel workshops of one theme and language: the direct path wrote the
    # model's terms, a line per pair (three lines for each rule), the block path the
    # validator's, a line per workshop (s1 meeting s2 and s3, then s2 meeting s3)
    from scheduler.solve import SolveOptions

    data = base_data()
    data["rooms"].append({"id": "c", "name": "Room C"})
    data["slots"].append({**data["slots"][0], "id": "s3", "room": "c"})
    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"], pin=f"s{i}") for i in (1, 2, 3)]
    instance = build(data)
    direct = solve(instance, "h", FAST)
    blocks = solve(instance, "h", SolveOptions(time_limit=10, workers=1, direct_limit=0))
    assert direct.workshops == blocks.workshops
    assert direct.penalties == blocks.penalties == validate(instance, direct).penalties()
    parallel = [p.detail for p in direct.penalties if p.rule == "parallel-language"]
    assert parallel == [
        "s1 overlaps 2 workshops with the same language fr: s2, s3",
        "s2 and s3 overlap with the same language fr",
    ]


def test_violations_name_the_people_talks_and_times():
    # "speaker s37 of p31 is not available for thu-pm-aud", "speaker s27 is in
    # thu-am-seine and thu-am-puteaux", "closing item lies outside the slot": no name,
    # no talk, no time
    import yaml

    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    solution = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    first, parallel = solution.workshops[1], solution.workshops[2]  # Tuesday 14:00
    assert first.start == parallel.start
    talk, other = first.proposals[0], parallel.proposals[0]
    proposals = {p["id"]: p for p in data["proposals"]}
    speaker = proposals[talk]["speakers"][0]
    proposals[other]["speakers"] = [speaker]
    person = next(s for s in data["speakers"] if s["id"] == speaker)
    person["unavailable"] = [{"start": "2026-12-01T14:00:00", "end": "2026-12-01T15:00:00"}]
    solution.workshops[0].items[-1].end += timedelta(minutes=10)
    messages = [v.message for v in validate(build(data), solution).violations]
    name = person["name"]
    assert (
        f"speaker {name} ({speaker}) is in {first.slot} ({talk}) and {parallel.slot} ({other}), "
        "which overlap"
    ) in messages
    assert (
        f"speaker {name} ({speaker}) of {talk} is not available for {first.slot}, Tue 1 Dec "
        f"{first.start:%H:%M}–{first.end:%H:%M}"
    ) in messages
    opening = solution.workshops[0]
    closing = opening.items[-1]
    assert (
        f"{opening.slot}: closing item {closing.start:%H:%M}–{closing.end:%H:%M} lies outside "
        f"the slot {opening.start:%H:%M}–{opening.end:%H:%M}"
    ) in messages
    # a range with an en dash, as the calendars, the grid and `diff` write it (the
    # warnings of `diff` and `export` quote these messages beside their own « 14:05–14:25 »)
    assert not [m for m in messages if re.search(r"\d\d:\d\d-\d\d:\d\d", m)], messages


@pytest.mark.parametrize("reasons", [[], ["", "  "]])
def test_an_unscheduled_entry_must_say_why(tiny, tmp_path, capsys, reasons):
    # (VAL-5: `"reasons": []` passed, and the grid showed a left-out talk with no why)
    from scheduler.cli import main

    instance, solution = tiny
    edited = fresh(solution)
    index = next(n for n, u in enumerate(edited.unscheduled) if u.proposal == "i4")
    edited.unscheduled[index].reasons = reasons
    out = edited.write(tmp_path / "tiny.json")
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(TINY), str(out)])
    said = " ".join(capsys.readouterr().err.split())
    assert exit_info.value.code == 2
    assert f"{out}, unscheduled[{index}] (proposal 'i4'), field 'reasons':" in said
    assert "must say why" in said
    # (the solver's own file passes)
    solution.write(out)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(TINY), str(out)])
    assert exit_info.value.code == 0
