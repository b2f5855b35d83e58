"""`scheduler explain` on hand-built infeasible instances whose minimal conflict is known."""

from __future__ import annotations

import json
import shlex

import pytest
import yaml
from conftest import ROOT, TINY, base_data, build, proposal, write_yaml

from scheduler.candidates import candidate_table
from scheduler.cli import main
from scheduler.explain import explain
from scheduler.instance import load_instance
from scheduler.solution import load_solution


def _others(count: int) -> str:
    return f"{count} other{'' if count == 1 else 's'}"


def _explain_cli(capsys, *argv) -> tuple[int, str]:
    """`scheduler explain ARGV`: its exit code and its output, whitespace folded."""
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", *map(str, argv)])
    return exit_info.value.code, " ".join(capsys.readouterr().out.split())


def test_feasible_instance_has_nothing_to_explain(data):
    data["proposals"] = [proposal("k1"), proposal("i1", "initiative", speakers=["sp2"])]
    result = explain(build(data), time_limit=5)
    assert result.all_placeable and not result.conflict


def test_speaker_in_both_parallel_slots(data):
    data["rules"] = {"keynotes_per_workshop": {"min": 1, "max": 1}}
    data["proposals"] = [proposal("k1", speakers=["sp1"]), proposal("k2", speakers=["sp1", "sp2"])]
    result = explain(build(data), time_limit=5)
    assert result.minimal
    assert set(result.conflict_keys) == {"place:k1", "place:k2", "clash:sp1", "keynotes-max"}
    text = " ".join(result.conflict)
    assert "Speaker 1 (sp1) speaks in k1, k2" in text and "at most 1 keynote " in text


def test_a_conflict_of_one_rule_says_so(data, tmp_path, capsys):
    # a pin to a slot too short for a keynote's workshop: "These rules cannot all hold
    # (drop any one and the rest can)" of one rule
    data["slots"][0]["end"] = "2026-12-01T09:45:00"
    data["proposals"] = [proposal("k1", pin="s1")]
    code, out = _explain_cli(capsys, write_yaml(tmp_path / "short.yaml", data))
    assert code == 1
    assert "This rule cannot hold, whatever the others: - k1 is pinned to slot s1" in out
    assert (
        "which s1 are too short for with the proposals above" in out
        and "cannot all hold" not in out
    )


def test_pin_where_the_speaker_is_away(data):
    data["speakers"][0]["unavailable"] = [
        {"start": "2026-12-01T10:00:00", "end": "2026-12-01T12:00:00"}
    ]
    data["slots"][1].update(start="2026-12-01T14:00:00", end="2026-12-01T15:30:00")
    data["proposals"] = [proposal("k1", pin="s1")]
    result = explain(build(data), time_limit=5)
    assert set(result.conflict_keys) == {"pin:k1", "availability:sp1"}
    assert "Speaker 1 (sp1) is unavailable Tue 1 Dec 10:00\u201312:00" in result.conflict
    assert "k1" in result.proposal_findings  # no candidate slot at all


def test_a_speaker_with_an_empty_available_list_is_never_available(data):
    # read literally (available only inside none of its windows), and said so: the
    # reasons read "is available only never" before
    data["speakers"][0]["available"] = []
    data["proposals"] = [proposal("k1"), proposal("k2", speakers=["sp2"])]
    result = explain(build(data), time_limit=5)
    never = "Speaker 1 (sp1) is never available (`available` is an empty list)"
    assert never in result.conflict
    assert never in result.proposal_findings["k1"][0]
    assert "only never" not in " ".join([*result.conflict, *result.proposal_findings["k1"]])


def test_a_speaker_there_at_no_slot_is_the_reason_at_every_slot(data):
    # a speaker free only over lunch, and slots closed or of a fixed theme: her absence
    # was said at the other slots only, the closed and fixed ones given their own reason,
    # as though opening one would let her speak
    data["slots"] += [
        {"id": "s3", "room": "a", "start": "2026-12-01T14:00:00", "end": "2026-12-01T15:30:00"}
        | {"closed": True},
        {"id": "s4", "room": "b", "start": "2026-12-01T14:00:00", "end": "2026-12-01T15:30:00"}
        | {"theme": "data"},
        # (at the first slots' time, last in the file: named last, in the file's order)
        {"id": "s5", "room": "c", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:30:00"},
    ]
    data["rooms"].append({"id": "c", "name": "Room C"})
    data["speakers"][0]["available"] = [
        {"start": "2026-12-01T12:30:00", "end": "2026-12-01T13:30:00"}
    ]
    data["proposals"] = [proposal("k1"), proposal("k2", speakers=["sp2"])]
    instance = build(data)
    only = "speaker Speaker 1 (sp1) is available only Tue 1 Dec 12:30\u201313:30"
    assert candidate_table(instance).reasons("k1") == [f"{only}: s1, s2, s3, s4, s5"]
    assert explain(instance, time_limit=5).proposal_findings["k1"] == [
        f"k1 (keynote, fr) has no slot it could go to: {only}: s1, s2, s3, s4, s5"
    ]
    # there for one slot: each slot's own reason, as before
    data["speakers"][0]["available"].append(
        {"start": "2026-12-01T14:00:00", "end": "2026-12-01T15:30:00"}
    )
    reasons = candidate_table(build(data)).reasons("k1")
    assert "slot closed: s3" in reasons and "slot's theme is fixed to data: s4" in reasons


def test_the_rules_of_one_check_among_several_say_which(data, tmp_path, capsys):
    # two proposals whose speakers are never there: the rules found concern k1 alone,
    # and "the rules behind the checks above (drop any one...)" read as mending both
    from scheduler.cli import main

    data["speakers"][0]["available"] = []
    data["speakers"][1]["available"] = []
    data["proposals"] = [
        proposal("k1"),
        proposal("k2", speakers=["sp2"]),
        proposal("k3", speakers=["sp3"]),
    ]
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    for lang, heading in (
        # (it read "(drop any one and the rest can)", its verb lost)
        (
            "en",
            "The rules behind the check on k1 above (drop any one and the others can all hold):",
        ),
        ("fr", "Les règles à l'origine du constat sur k1 ci-dessus (levez-en une"),
    ):
        with pytest.raises(SystemExit):
            main(["explain", str(path), "--lang", lang, "--time-limit", "5"])
        out = " ".join(capsys.readouterr().out.split())
        assert heading in out, out


def test_initiative_without_a_keynote_in_its_language(data):
    data["proposals"] = [proposal("k1", lang="fr"), proposal("i1", "initiative", "en", ["sp2"])]
    result = explain(build(data), time_limit=5)
    assert "no keynote in its language" in result.proposal_findings["i1"][0]
    assert set(result.conflict_keys) == {"place:i1", "language", "keynotes-min"}


def test_initiative_without_a_keynote_of_its_themes_where_languages_mix(data):
    # workshops may mix languages: the finding is about themes alone, not "in its language"
    data["rules"] = {"mixed_language": True}
    data["proposals"] = [
        proposal("k1", lang="fr", themes=["open"]),
        proposal("i1", "initiative", "en", ["sp2"], themes=["data"]),
    ]
    (finding,) = explain(build(data), time_limit=5).proposal_findings["i1"]
    assert "i1" in finding and "is an initiative, and no keynote that shares one of" in finding
    assert "(data) can go to any of its slots (s1, s2): every workshop needs a keynote" in finding


def test_too_many_keynotes_for_the_slots(data):
    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    result = explain(build(data), time_limit=5)
    # Two 90-minute slots hold two keynotes each at most (20 + 20 minutes per keynote
    # in 80 minutes): any five keynotes conflict by length alone, which is not a rule.
    assert set(result.conflict_keys) == {f"place:k{i}" for i in range(1, 6)}
    assert result.minimal


def test_apart_in_a_single_slot(data):
    data["slots"] = data["slots"][:1]
    data["proposals"] = [
        proposal("k1"),
        proposal("i1", "initiative", speakers=["sp2"]),
        proposal("i2", "initiative", speakers=["sp3"]),
    ]
    data["constraints"] = {"apart": [{"proposals": ["i1", "k1"]}]}
    result = explain(build(data), time_limit=5)
    # One slot: k1 and i1 cannot both be placed while kept apart (a `together` group of
    # the two beside it is bad input now: tests/test_input_errors.py).
    assert set(result.conflict_keys) == {"apart:0", "place:i1", "place:k1"}


def test_cli_explain_exit_codes(tmp_path, capsys):
    data = base_data()
    data["rules"] = {"keynotes_per_workshop": {"min": 1, "max": 1}}
    data["proposals"] = [proposal("k1", speakers=["sp1"]), proposal("k2", speakers=["sp1"])]
    path = write_yaml(tmp_path / "clash.yaml", data)
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", str(path), "--time-limit", "5"])
    out = capsys.readouterr().out
    assert exit_info.value.code == 1
    assert "These rules cannot all hold" in out and "cannot be in two parallel workshops" in out

    data["proposals"] = data["proposals"][:1]
    path = write_yaml(tmp_path / "fine.yaml", data)
    with pytest.raises(SystemExit) as exit_info:
        main(["explain", str(path)])
    assert exit_info.value.code == 0
    assert "every proposal of unit can be placed" in capsys.readouterr().out


def test_cli_explain_does_not_claim_a_conflict_it_could_not_shrink_is_minimal(
    tmp_path, capsys, monkeypatch
):
    import scheduler.explain as explain_module

    def unshrunk(instance, time_limit, solution=None, changed=False):
        return explain_module.Explanation(conflict=["rule A", "rule B"], minimal=False)

    monkeypatch.setattr(explain_module, "explain", unshrunk)
    code, out = _explain_cli(capsys, str(TINY))
    assert code == 1
    assert "These rules cannot all hold (not proven minimal): - rule A - rule B" in out
    assert "drop any one" not in out


def test_tiny_instance_names_the_real_obstacles():
    result = explain(load_instance(TINY), time_limit=10)
    assert not result.feasible and result.minimal
    assert any(k.startswith("place:") for k in result.conflict_keys)


def test_large_instance_explained_by_its_checks_and_a_quick_schedule(monkeypatch, capsys):
    # Above the direct model's size a quick schedule comes first: bench-150-tight's
    # unplaceable proposals are the per-proposal findings, and a schedule places every
    # other one, so no conflict model is built (at 2000 proposals: 105 s -> 9 s)
    import scheduler.explain as explain_module

    def not_built(instance):
        raise AssertionError("the conflict model was built")

    # the count's solves stop on their work, the clock (3 times the time limit) a
    # backstop: under a load of 17-19 they took 20-24 s of its 30, and at more the clock
    # ended one before its proof; a backstop here only
    monkeypatch.setattr(explain_module, "COUNT_BACKSTOP", 30.0)
    monkeypatch.setattr(explain_module, "_ConflictModel", not_built)
    path = ROOT / "instances" / "bench" / "bench-150-tight.yaml"
    result = explain(load_instance(path), time_limit=10)
    assert result.proposal_findings and result.others_placed
    assert not result.feasible and not result.conflict
    code, out = _explain_cli(capsys, str(path), "--time-limit", "10")
    assert code == 1
    assert "Proposals that cannot be placed" in out
    assert "Every other proposal is placed by a schedule found meanwhile" in out


def test_a_conflict_beyond_the_findings_is_the_one_named(data):
    # i1 can never be placed (no keynote of its language), which its finding says; the
    # pins of two keynotes of different themes to one slot also conflict. The conflict
    # named was i1's again, and the pins went unexplained
    data["proposals"] = [
        proposal("k1", speakers=["sp1"], themes=["open"], pin="s1"),
        proposal("k2", speakers=["sp2"], themes=["data"], pin="s1"),
        proposal("i1", "initiative", "en", ["sp3"]),
    ]
    result = explain(build(data), time_limit=5)
    assert "no keynote in its language" in result.proposal_findings["i1"][0]
    assert set(result.conflict_keys) == {"pin:k1", "pin:k2", "theme"}
    assert result.minimal


def test_cli_explain_and_validate_take_the_pins_of_solve(tmp_path, capsys):
    data = base_data()
    data["proposals"] = [
        proposal("k1", speakers=["sp1"], themes=["open"]),
        proposal("k2", speakers=["sp2"], themes=["data"]),
    ]
    path = write_yaml(tmp_path / "two.yaml", data)
    pins = ["--pin", "k1=s1", "--pin", "k2=s1"]
    with pytest.raises(SystemExit) as exit_info:
        main(["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet", *pins])
    assert exit_info.value.code == 1
    # the hint repeats the pins, so that explain looks at the same problem
    assert f"Run `scheduler explain {path} --pin k1=s1 --pin k2=s1`" in " ".join(
        capsys.readouterr().err.split()
    )
    code, out = _explain_cli(capsys, str(path), "--time-limit", "5", *pins)
    assert code == 1
    assert "k1 is pinned to slot s1" in out and "k2 is pinned to slot s1" in out
    # a schedule without the pins breaks them once validate is given them too
    with pytest.raises(SystemExit):
        main(["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet"])
    capsys.readouterr()
    solution = load_solution(tmp_path / "s.json")
    elsewhere = next(s for s in ("s1", "s2") if s != solution.workshop_of()["k1"].slot)
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", str(path), str(tmp_path / "s.json"), "--pin", f"k1={elsewhere}"])
    assert exit_info.value.code == 1
    assert f"k1 is pinned to {elsewhere}" in capsys.readouterr().out


def test_pins_that_cannot_hold_on_a_large_instance_are_the_answer(monkeypatch, capsys):
    # a keynote and two initiatives of no common theme pinned to one slot of
    # bench-150-tight (60 minutes, for 70): `pin_conflicts` says why at
    # once; the conflict model is not built (at 600 proposals it took 33 s and 1 GB to
    # name part of such a conflict, not proven minimal)
    import scheduler.explain as explain_module

    def not_built(instance):
        raise AssertionError("the conflict model was built")

    # the count's solves stop on their work, the clock (3 times the time limit) a
    # backstop: under a load of 17-19 they took 20-24 s of its 30, and at more the clock
    # ended one before its proof; a backstop here only
    monkeypatch.setattr(explain_module, "COUNT_BACKSTOP", 30.0)
    monkeypatch.setattr(explain_module, "_ConflictModel", not_built)
    path = ROOT / "instances" / "bench" / "bench-150-tight.yaml"
    pins = ["--pin", "p0001=d1-b1-r01", "--pin", "p0002=d1-b1-r01", "--pin", "p0003=d1-b1-r01"]
    code, out = _explain_cli(capsys, str(path), "--time-limit", "10", *pins)
    assert code == 1
    assert "p0001 (keynote, fr) cannot be where pins hold it" in out
    assert "p0001, p0002, p0003 are pinned to d1-b1-r01 and share no theme" in out
    assert "The pins above cannot all hold" in out


def test_above_the_conflict_models_size_a_schedules_leftovers_are_the_answer(
    monkeypatch, capsys, tmp_path
):
    # bench-600-easy with 150 of its slots closed cannot place everyone; the conflict
    # model is not built at this size (at 2000 proposals it took 108 s and 6.6 GB to
    # say it had run out of time): a schedule placing as many as it can, the others
    # with their reasons, and how many at most can be placed as far as proven (first fit
    # and relocations alone left 197 out, where a count leaves fewer than 150)
    import yaml

    import scheduler.explain as explain_module

    def not_built(instance):
        raise AssertionError("the conflict model was built")

    monkeypatch.setattr(explain_module, "_ConflictModel", not_built)
    data = yaml.safe_load((ROOT / "instances/bench/bench-600-easy.yaml").read_text())
    pinned = {p.get("pin") for p in data["proposals"]}
    closed = [s for s in data["slots"] if s["id"] not in pinned][:150]
    for slot in closed:
        slot["closed"] = True
    path = write_yaml(tmp_path / "closed.yaml", data)
    result = explain(load_instance(path), time_limit=20)
    assert result.left_out and not result.conflict and not result.feasible
    assert not set(result.left_out) & set(result.proposal_findings)
    assert all(reasons for reasons in result.left_out.values())
    code, out = _explain_cli(capsys, str(path), "--time-limit", "20")
    assert code == 1
    assert len(result.left_out) + len(result.proposal_findings) < 150
    assert result.at_most is not None and result.placed <= result.at_most < 600
    # a quick schedule, said to be one, and how to explain the coordinator's instead
    assert result.quick and result.pairs > 20_000
    assert (
        f"A quick schedule places {result.placed} of 600 proposals (at most {result.at_most} "
        f"can be, proven): above 20,000 candidate pairs ({result.pairs:,} here) explain builds "
        "only a quick schedule, and `solve` may place more; `scheduler explain "
        f"{path} SOLUTION.json` explains those your solution leaves out. The quick one leaves "
        f"{_others(len(result.left_out))} out:"
    ) in out


def test_below_the_conflict_models_size_the_most_that_can_be_placed_comes_first(
    monkeypatch, tmp_path, capsys
):
    # bench-150-easy with 45 slots closed: how many proposals can be placed at most,
    # proven, and a schedule placing that many with the reasons for the others (first
    # fit alone left 32 out beside the findings, where 19 must be); then the conflict
    # model is asked, and when it names no rule the count is the answer
    import yaml
    from ortools.sat.python import cp_model

    import scheduler.explain as explain_module

    asked = []

    class Undecided:
        """A conflict model that decides nothing."""

        facts: set[str] = set()

        def __init__(self, instance):
            self.literals = {f"place:{p.id}": None for p in instance.proposals}

        def solve(self, keys, time_limit, work=None):
            asked.append(keys)
            return cp_model.UNKNOWN

    data = yaml.safe_load((ROOT / "instances/bench/bench-150-easy.yaml").read_text())
    pinned = {p.get("pin") for p in data["proposals"]}
    for slot in [s for s in data["slots"] if s["id"] not in pinned][:45]:
        slot["closed"] = True
    path = write_yaml(tmp_path / "closed.yaml", data)
    monkeypatch.setattr(explain_module, "_ConflictModel", Undecided)
    # the count's solves stop on their work, the clock (3 times the time limit) a
    # backstop: under a load of 17-19 they took 20-24 s of its 30, and at more the clock
    # ended one before its proof; a backstop here only
    monkeypatch.setattr(explain_module, "COUNT_BACKSTOP", 30.0)
    result = explain(load_instance(path), time_limit=10)
    found = len(result.proposal_findings)
    assert result.most_placed is not None and result.most_placed < 150 - found
    assert result.most_placed + found + len(result.left_out) == 150
    assert all(result.left_out.values())  # each with its reasons
    assert asked and not result.conflict and not result.feasible
    code, out = _explain_cli(capsys, path, "--time-limit", "10")
    assert code == 1
    assert f"At most {result.most_placed} of 150 proposals can be placed (proven)" in out
    assert f"leaves {_others(len(result.left_out))} out" in out
    assert "No set of rules behind that count was found" in out


class _Oracle:
    """A conflict model whose conflicts are known: a set of rules cannot hold when it
    holds one of `conflicts` entirely. Its core is the first such conflict. Proofs
    that need more work than they are given stay undecided."""

    def __init__(self, conflicts, proof_work=None):
        self.conflicts = [set(c) for c in conflicts]
        self.proof_work = proof_work or {}
        self.questions = 0
        self.work_done = 0.0
        self._core: list[str] = []

    def solve(self, keys, time_limit, work=None):
        from ortools.sat.python import cp_model

        self.questions += 1
        held = [c for c in self.conflicts if c <= set(keys)]
        if not held:
            self.work_done = 0.1
            return cp_model.FEASIBLE
        needs = min(self.proof_work.get(frozenset(c), 0.1) for c in held)
        if work is not None and work < needs:
            self.work_done = work
            return cp_model.UNKNOWN
        self.work_done = needs
        self._core = sorted(held[0])
        return cp_model.INFEASIBLE

    def core(self):
        return list(self._core)


def _minimal(core, conflicts) -> bool:
    """Whether `core` holds a conflict and every member of it is needed."""
    holds = [set(c) <= set(core) for c in conflicts]
    needed = all(not any(set(c) <= set(core) - {k} for c in conflicts) for k in core)
    return any(holds) and needed


@pytest.mark.parametrize(
    ("size", "conflicts"),
    [
        (12, [{"r03", "r07"}]),
        (12, [{"r00", "r11"}, {"r02", "r05", "r09"}]),
        (40, [{f"r{n:02d}" for n in range(0, 40, 7)}]),
        (6, [{f"r{n:02d}" for n in range(6)}]),  # every rule needed
    ],
)
def test_a_conflict_is_shrunk_to_a_minimal_one(size, conflicts):
    from scheduler.explain import _shrink

    keys = [f"r{n:02d}" for n in range(size)]
    # CP-SAT's cores are not minimal: the whole set is the first core here
    oracle = _Oracle(conflicts)
    oracle._core = keys
    core, minimal = _shrink(oracle, keys, 0.1, 60)
    assert minimal and _minimal(core, conflicts)
    # no more questions than one member at a time would ask
    assert oracle.questions <= size


def test_many_rules_not_needed_are_dropped_in_chunks():
    from scheduler.explain import _shrink

    keys = [f"r{n:03d}" for n in range(200)]
    conflict = {"r150", "r199"}

    class Whole(_Oracle):  # its cores are everything asked
        def solve(self, asked, time_limit, work=None):
            status = super().solve(asked, time_limit, work)
            self._core = list(asked)
            return status

    oracle = Whole([conflict])
    core, minimal = _shrink(oracle, keys, 0.1, 60)
    assert minimal and set(core) == conflict
    assert oracle.questions < 40  # one at a time: 200


def test_a_hard_proof_is_asked_again_with_the_work_left():
    from scheduler.explain import SHRINK_WORK, _shrink

    keys = ["a", "b", "c", "d"]
    # {a, b, c} cannot hold, nor can {a, b} alone, but proving it takes 20 units: more
    # than a trial gets at first; asked again with the work left, c is dropped
    conflicts = [{"a", "b", "c"}, {"a", "b"}]
    oracle = _Oracle(conflicts, {frozenset({"a", "b"}): 20.0})
    oracle._core = keys
    core, minimal = _shrink(oracle, keys, 0.1, 60)
    assert minimal and core == ["a", "b"]
    # with no work to spare it stays in, and the conflict is not called minimal
    oracle = _Oracle(conflicts, {frozenset({"a", "b"}): SHRINK_WORK * 2})
    oracle._core = keys
    core, minimal = _shrink(oracle, keys, 0.1, 60)
    assert not minimal and core == ["a", "b", "c"]


def test_rules_behind_the_checks_are_not_a_second_problem(data, capsys, tmp_path):
    # an English initiative with no English keynote: its check says why, and the rules
    # after it read "These rules cannot all hold ... another may remain", a second
    # problem where every other proposal can be placed
    data["proposals"] = [proposal("k1", lang="fr"), proposal("i1", "initiative", "en", ["sp2"])]
    result = explain(build(data), time_limit=5)
    assert result.about_findings and "place:i1" in result.conflict_keys
    code, out = _explain_cli(capsys, write_yaml(tmp_path / "english.yaml", data))
    assert code == 1 and "The rules behind the checks above (drop any one" in out
    assert "cannot all hold" not in out and "another may remain" not in out


def test_others_undecided_are_said_to_be(data, monkeypatch, capsys, tmp_path):
    # an initiative with no keynote in its language has a finding; when the question
    # "can the others all be placed" ends undecided, the conflict found next concerns
    # that initiative only, and the output says so
    from ortools.sat.python import cp_model

    from scheduler import explain as explain_module

    data["proposals"] = [proposal("k1", lang="fr"), proposal("i1", "initiative", "en", ["sp2"])]
    real = explain_module._ConflictModel.solve
    asked = []

    def undecided_first(self, keys, time_limit, work=None):
        asked.append(keys)
        if len(asked) == 1:  # the others only
            assert len(keys) < len(self.literals)
            return cp_model.UNKNOWN
        return real(self, keys, time_limit, work)

    monkeypatch.setattr(explain_module._ConflictModel, "solve", undecided_first)
    result = explain(build(data), time_limit=5)
    assert result.others_undecided and "place:i1" in result.conflict_keys
    asked.clear()
    path = write_yaml(tmp_path / "undecided.yaml", data)
    code, out = _explain_cli(capsys, str(path), "--time-limit", "5")
    assert code == 1
    assert "Whether every other proposal can be placed was not decided" in out
    assert "the rules below concern the proposals above" in out


def test_the_most_that_can_be_placed_is_counted_and_a_feasible_instance_needs_no_conflict(
    data, monkeypatch, capsys, tmp_path
):
    # five keynotes for two slots of two keynotes at most: at most four can be placed,
    # proven, and a schedule placing four names the fifth with its reasons; the conflict
    # of the five is named too
    from scheduler import explain as explain_module

    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    result = explain(build(data), time_limit=5)
    assert result.most_placed == 4 and result.minimal
    assert len(result.left_out) == 1 and set(result.left_out) < {f"k{i}" for i in range(1, 6)}
    assert all(result.left_out.values())  # its reasons
    code, out = _explain_cli(capsys, write_yaml(tmp_path / "five.yaml", data))
    assert code == 1 and "At most 4 of 5 proposals can be placed (proven)" in out

    # four keynotes fit: the count says so, and no conflict model is built
    def not_built(instance):
        raise AssertionError("the conflict model was built")

    monkeypatch.setattr(explain_module, "_ConflictModel", not_built)
    data["proposals"] = data["proposals"][:4]
    result = explain(build(data), time_limit=5)
    assert result.all_placeable and result.most_placed == 4


def test_a_pigeonhole_on_the_bundled_instance_is_proven_minimal(tmp_path, capsys):
    # five of the bundled instance's slots closed: 32 of 36 proposals can be placed, and
    # the conflict among the rest is a pigeonhole (too few workshops of a language and
    # theme for the proposals that need them). Proofs of it took CP-SAT's default
    # linearization more than the work allowed (a conflict of 34 rules not proven minimal,
    # 21 s); with the linear relaxation of every constraint, 2 s and proven minimal
    import yaml

    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    closed = {"tue-pm-seine", "wed-am-seine", "thu-pm-seine", "tue-late-aud", "wed-am-puteaux"}
    for slot in data["slots"]:
        slot["closed"] = slot["id"] in closed
    path = write_yaml(tmp_path / "closed.yaml", data)
    result = explain(load_instance(path))
    assert result.most_placed == 32 and len(result.left_out) == 4
    assert result.conflict and result.minimal
    assert {f"closed:{slot}" for slot in closed} & set(result.conflict_keys)
    assert result.lengths is None  # (no slot too short plays a part in it)
    # the proposals to place, most of the conflict, under one line after the other rules
    placed = [k.removeprefix("place:") for k in result.conflict_keys if k.startswith("place:")]
    assert len(placed) > 10
    code, out = _explain_cli(capsys, path)
    assert code == 1
    heading = "These rules cannot all hold (drop any one and the others can all hold):"
    rules = out[out.index(heading) :]
    # (English quotes in English: it read "p13 «Une forge publique …»")
    assert f"- these {len(placed)} proposals must all be placed: {placed[0]} “" in rules
    assert "must be placed" not in rules.replace("must all be placed", "")
    assert all(f" {proposal_id} “" in rules for proposal_id in placed)
    assert not [p for p in placed if f" {p} «" in rules]
    assert rules.index("slot ") < rules.index("proposals must all be placed")
    # in French: the count, what it leaves out and the rules (the search stops on work:
    # the same answer)
    code, out = _explain_cli(capsys, path, "--lang", "fr")
    said = out.replace("\u00a0", " ")
    assert code == 1
    assert (
        "Au plus 32 des 36 propositions peuvent être programmées (prouvé) ; un programme "
        "construit par explain qui en place autant en laisse 4 autres de côté (pas forcément "
        f"celles que votre solution laisse de côté : `scheduler explain {path} SOLUTION.json "
        "--lang fr` explique celles-là) :"
    ) in said
    # (the catalog's French, « » spaced: they were the English, «Une …»; `_explain_cli`
    # folds the no-break spaces)
    assert (
        f"- ces {len(placed)} propositions doivent toutes être programmées : {placed[0]} « "
    ) in out
    assert all(f" {proposal_id} « " in out for proposal_id in placed)
    assert "doit être programmée" not in out
    assert (
        "Ces règles ne peuvent pas toutes être respectées (levez-en une, n'importe laquelle" in said
    )
    assert not {"must", "cannot", "slot"} & set(said.split())


def test_a_conflict_says_what_the_slots_lengths_add(tmp_path, capsys):
    # at most 1 keynote and at least 3 initiatives per workshop on the bundled instance:
    # the three 60-minute slots hold no workshop, so 10 keynotes have 9 slots. The
    # conflict named a keynote's pin and the keynotes to place, never the initiatives'
    # rule just raised, nor the lengths: "drop any one" of those did not help
    import yaml

    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    data["rules"]["keynotes_per_workshop"] = {"min": 1, "max": 1}
    data["rules"]["initiatives_per_workshop"] = {"min": 3, "max": 4}
    path = write_yaml(tmp_path / "tight.yaml", data)
    code, out = _explain_cli(capsys, path)
    assert code == 1
    said = " ".join(out.split())
    assert (
        "(with the slots' lengths: every workshop holds 5 min of opening, its talks, at least "
        "20 min of participatory time per keynote, at least 3 initiatives and 5 min of "
        "closing, which tue-late-aud, wed-am-puteaux, thu-pm-seine are too short for with the proposals above)"
    ) in said
    assert "This is one conflict: once it is resolved, run explain again" in said


def test_a_bound_under_the_others_count_decides_that_they_cannot_all_be_placed(
    data, monkeypatch, capsys, tmp_path
):
    # five keynotes for two slots of two keynotes at most, and an initiative with no
    # keynote in its language (a finding): the count's bound says at most 4 of the 5
    # others can be placed. Where that bound is proven but not its schedule (as at 150
    # proposals, "places 132 of 150, at most 140 can be"), the others cannot all be
    # placed all the same: a conflict question left undecided is not "whether every
    # other proposal can be placed was not decided", and the count is the answer
    from ortools.sat.python import cp_model

    from scheduler import explain as explain_module

    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    data["proposals"].append(proposal("i1", "initiative", "en", ["sp8"]))
    counted = explain_module._most_placed

    def bound_only(instance, table, result, time_limit, given=None):
        done = counted(instance, table, result, time_limit, given)
        result.most_placed = None  # its schedule not proven to place the most
        return done

    def undecided(self, keys, time_limit, work=None):
        return cp_model.UNKNOWN

    monkeypatch.setattr(explain_module, "_most_placed", bound_only)
    monkeypatch.setattr(explain_module._ConflictModel, "solve", undecided)
    result = explain(build(data), time_limit=5)
    assert result.at_most == 4 and len(result.left_out) == 1
    assert not result.others_undecided and not result.conflict and not result.minimal
    code, out = _explain_cli(capsys, write_yaml(tmp_path / "bound.yaml", data))
    assert code == 1
    assert "(at most 4 can be, proven)" in out
    assert "No set of rules behind that count was found" in out
    assert "was not decided" not in out


def test_a_count_short_of_its_bound_is_solved_again_from_its_schedule(monkeypatch):
    # a generated 200-proposal instance (bench.fuzz --vary, seed 95): the count's first
    # solve placed 186 with at most 191 proven, and `explain` listed 12 proposals left out
    # where a schedule leaves 7 (`solve` placed 191); solved again from that schedule, the
    # count is proven. (The conflict model after it is not what this test is about.)
    import copy
    import random

    from ortools.sat.python import cp_model

    import scheduler.explain as explain_module
    from bench.generate import Rung, generate
    from bench.vary import vary
    from scheduler.instance import parse_instance

    class Undecided:
        facts: set[str] = set()

        def __init__(self, instance):
            self.literals = {f"place:{p.id}": None for p in instance.proposals}

        def solve(self, keys, time_limit, work=None):
            return cp_model.UNKNOWN

    document = generate(Rung(proposals=200, variant="tight", days=2, themes=6, seed=65885))
    vary(document, random.Random(36830))
    monkeypatch.setattr(explain_module, "_ConflictModel", Undecided)
    result = explain(parse_instance(copy.deepcopy(document), "varied.yaml"))
    assert result.most_placed == result.placed == 191
    assert len(result.proposal_findings) + len(result.left_out) == 9


def test_the_least_initiatives_per_workshop_is_a_rule_of_its_own(data):
    # two keynotes, two initiatives, and every workshop needs both initiatives: one
    # workshop only, which cannot hold both keynotes in 90 minutes. Without the rule the
    # conflict model composed k1+i1 and k2+i2 and said every proposal could be placed.
    data["rules"] = {"initiatives_per_workshop": {"min": 2, "max": 4}}
    data["proposals"] = [
        proposal("k1"),
        proposal("k2", speakers=["sp2"]),
        proposal("i1", "initiative", speakers=["sp3"]),
        proposal("i2", "initiative", speakers=["sp4"]),
    ]
    result = explain(build(data), time_limit=5)
    assert not result.all_placeable and result.at_most == 3
    assert "initiatives-min" in result.conflict_keys
    assert "every workshop needs at least 2 initiatives" in result.conflict


# -- in French (`explain --lang fr`): every sentence read through the catalog ----------


def _explained_instances():
    """The bundled instance with every kind of rule `explain` can name (closed, frozen and
    reserved slots, together and apart, speakers never or partly available), the same
    kept during the event (begun slots), and an initiative no keynote can join, with one language and languages mixing."""
    from datetime import datetime

    import yaml

    from scheduler.instance import parse_instance
    from scheduler.keep import keep_before

    path = ROOT / "instances" / "commons-ai-2026.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    slots = data["slots"]
    slots[1]["closed"] = True
    slots[2]["frozen"] = True
    slots[3].update(theme=data["themes"][0]["id"], language="en")
    # too short for an initiative's workshop, not for its talk: what the lengths add
    slots.append(
        {
            "id": "short",
            "room": slots[0]["room"],
            "start": "2026-12-03T19:00:00",
            "end": "2026-12-03T19:20:00",
        }
    )
    data["constraints"] = {
        "together": [{"proposals": ["p02", "p03"]}],
        "apart": [{"proposals": ["p04", "p05"]}],
    }
    speakers = data["speakers"]
    speakers[0]["available"] = []
    speakers[0]["unavailable"] = [{"start": "2026-12-01T09:00", "end": "2026-12-01T12:00"}]
    speakers[1]["available"] = [{"start": "2026-12-02T09:00", "end": "2026-12-02T18:00"}]
    speakers[1]["unavailable"] = [{"start": "2026-12-02T12:00", "end": "2026-12-02T13:00"}]
    speakers[2]["available"] = []
    plain = parse_instance(data, "explained.yaml")
    # kept during the event, with a slot begun that no workshop was published in
    bundled = yaml.safe_load(path.read_text(encoding="utf-8"))
    bundled["slots"].append(
        {"id": "tue-am-seine", "room": "seine"}
        | {"start": "2026-12-01T10:00:00", "end": "2026-12-01T11:30:00"}
    )
    kept = parse_instance(bundled, "kept.yaml")
    published = ROOT / "solutions" / "commons-ai-2026.json"
    moment = datetime.fromisoformat("2026-12-02T12:00").replace(tzinfo=kept.event.tz)
    keep_before(kept, load_solution(published), published, moment)
    data["slots"].pop()
    data["proposals"] = [p for p in data["proposals"] if p["format"] == "initiative"][:1] + [
        p for p in data["proposals"] if p["format"] == "keynote" and p.get("pin") is None
    ][:1]
    data["proposals"][1]["themes"] = [
        t["id"] for t in data["themes"] if t["id"] not in data["proposals"][0]["themes"]
    ][:1]
    data["constraints"] = {}
    one_language = parse_instance(data, "one-language.yaml")
    data["rules"]["mixed_language"] = True
    mixed = parse_instance(data, "mixed.yaml")
    return plain, kept, one_language, mixed


def test_every_sentence_explain_can_say_reads_in_french():
    from scheduler import reasons as catalog
    from scheduler.explain import _ConflictModel, _lengths, per_proposal_findings
    from scheduler.reasons import CATALOG, french

    said: list[tuple[str, str]] = []
    for instance in _explained_instances():
        said += [(catalog.RULE, s) for s in _ConflictModel(instance).sentences.values()]
        findings = per_proposal_findings(instance)
        said += [(catalog.FINDING, f) for fs in findings.values() for f in fs]
        keys = [f"place:{p.id}" for p in instance.proposals]
        rules = instance.rules
        talks_only = rules.model_copy(
            update={
                "opening_minutes": 0,
                "closing_minutes": 0,
                "changeover_minutes": 0,
                "participatory": rules.participatory.model_copy(update={"min": 0}),
            }
        )
        for variant in (rules, talks_only):
            lengths = _lengths(instance.model_copy(update={"rules": variant}), keys)
            if lengths is not None:
                said.append((catalog.LENGTHS, lengths))
    unread = [(within, s) for within, s in said if french(s, within) is None]
    assert unread == []
    reached = {t.en for t in CATALOG for within, s in said if t.pattern.fullmatch(s)}
    never = {
        # said by a search (each template's French is read back in test_reasons): one
        # that ran out of time, pins that cannot all hold (below), a begun workshop's
        catalog.OUT_OF_TIME.en,
        catalog.PINS_HOLD_IT.en,
        catalog.IT_WAS_GIVEN.en,
    }
    explained = {
        t.en for t in CATALOG if {catalog.FINDING, catalog.RULE, catalog.LENGTHS} & set(t.within)
    }
    assert explained - never - reached == set()


def test_cli_explain_in_french(tmp_path, capsys):
    # two keynotes pinned to one slot that holds one: the pins' finding and the
    # conflict in French; ids as written
    data = base_data()
    data["rules"] = {"keynotes_per_workshop": {"min": 1, "max": 1}}
    data["proposals"] = [
        proposal("k1", speakers=["sp1"], pin="s1"),
        proposal("k2", speakers=["sp2"], pin="s1"),
    ]
    path = write_yaml(tmp_path / "pins.yaml", data)
    code, out = _explain_cli(capsys, path, "--time-limit", "5", "--lang", "fr")
    assert code == 1
    said = out.replace("\u00a0", " ")
    assert "Propositions impossibles à programmer" in said
    assert "k1 (keynote, fr) ne peut pas être placée là où elle est épinglée — " in said
    assert "k1, k2 sont épinglées au créneau s1, or cela fait 2 keynotes" in said
    assert "un atelier accueille au plus une keynote" in said
    assert "k1 est épinglée au créneau s1" in said
    assert (
        "Ce n'est qu'un des conflits possibles : une fois celui-ci résolu, relancez explain" in said
    )
    assert not {"cannot", "must", "slot ", "proposals"} & set(said.replace(",", " ").split())
    # the same answer in English by default
    code, out = _explain_cli(capsys, path, "--time-limit", "5")
    assert code == 1 and "cannot be where pins hold it: k1, k2 are pinned to s1" in out

    data["proposals"] = data["proposals"][:1]
    path = write_yaml(tmp_path / "fine.yaml", data)
    code, out = _explain_cli(capsys, path, "--lang", "fr")
    assert code == 0
    assert out == "toutes les propositions de unit peuvent être programmées : aucun conflit trouvé"


@pytest.mark.parametrize(
    ("lang", "pointer"),
    [
        ("en", "and 2 more: `solve` writes each with its reasons in the solution file"),
        ("fr", "et 2 autres : `solve` les écrit, chacune avec ses raisons, dans le fichier"),
    ],
)
def test_what_explain_leaves_unlisted_is_in_the_file_solve_writes(lang, pointer, capsys):
    # explain lists the first ten proposals a schedule leaves out: "and 2 more" pointed
    # nowhere, explain writing no file
    from scheduler.cli import _print_explanation
    from scheduler.explain import Explanation

    instance = load_instance(ROOT / "instances" / "commons-ai-2026.yaml")
    left_out = {p.id: ["not placed"] for p in instance.proposals[:12]}
    result = Explanation(left_out=left_out, placed=24, at_most=30, minimal=False)
    _print_explanation(instance, result, lang)
    said = " ".join(capsys.readouterr().out.split())
    assert pointer in said


def _swapped(solution_path, out, into):
    """The solution file with `out` placed where `into` was, and `into` left out (a
    schedule as sound: the keynotes are alike)."""
    import json

    document = json.loads(solution_path.read_text())
    for workshop in document["workshops"]:
        for item in workshop["items"]:
            if item.get("proposal") == into:
                item["proposal"] = out
    for entry in document["unscheduled"]:
        entry["proposal"] = into if entry["proposal"] == out else entry["proposal"]
    for field in ("titles", "speakers"):
        if out in document.get(field, {}) or into in document.get(field, {}):
            values = document[field]
            values[out] = values.pop(into)
    document["penalties"] = []
    solution_path.write_text(json.dumps(document))
    return solution_path


def test_explain_with_a_solution_explains_what_that_solution_leaves_out(data, tmp_path, capsys):
    # five keynotes for two slots of two keynotes at most: every schedule leaves one
    # out, which one depends on the schedule. Given her solution, explain names HER
    # proposal left out, beside the most that can be placed (it named its own
    # schedule's: at 278 proposals 3 of 10 in common with the solve's)
    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    path = write_yaml(tmp_path / "five.yaml", data)
    own = explain(build(data), time_limit=5)
    (theirs,) = own.left_out
    with pytest.raises(SystemExit):
        main(["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet"])
    capsys.readouterr()
    (left,) = (u.proposal for u in load_solution(tmp_path / "s.json").unscheduled)
    other = next(f"k{i}" for i in range(1, 6) if f"k{i}" not in (theirs, left))
    given = _swapped(tmp_path / "s.json", left, other)
    result = explain(build(data), time_limit=5, solution=load_solution(given))
    assert result.given and result.given_placed == 4 and set(result.left_out) == {other}
    assert result.left_out[other]  # with the reasons its schedule gives
    code, out = _explain_cli(capsys, path, given)
    assert code == 1
    assert (
        f"Your solution places 4 of 5 proposals, the most that can be (proven); it leaves 1 "
        f"other out: {other} “Title of {other}”"
    ) in out
    assert f" {theirs} “" not in out[: out.index("These rules")]
    # without it: which schedule's proposals those are, and how to give hers
    code, out = _explain_cli(capsys, path)
    assert (
        "At most 4 of 5 proposals can be placed (proven); a schedule of explain's own placing "
        "that many leaves 1 other out (not necessarily those your solution leaves out: "
        f"`scheduler explain {path} SOLUTION.json` explains those):"
    ) in out
    # in French too
    code, out = _explain_cli(capsys, path, given, "--lang", "fr")
    assert (
        "Votre solution place 4 des 5 propositions, soit le maximum possible (prouvé) ; elle "
        f"en laisse 1 autre de côté : {other} «"
    ) in out.replace("\u00a0", " ")


def test_explain_with_a_solution_that_breaks_the_rules_warns_and_explains_it_as_is(
    data, tmp_path, capsys
):
    # a solution placing all five keynotes, three in one workshop (edited by hand): the
    # count does not start from it, and a warning names what it breaks
    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    path = write_yaml(tmp_path / "five.yaml", data)
    with pytest.raises(SystemExit):
        main(["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet"])
    capsys.readouterr()
    solution = load_solution(tmp_path / "s.json")
    (left,) = (u.proposal for u in solution.unscheduled)
    talk = next(i for i in solution.workshops[0].items if i.proposal)
    solution.workshops[0].items.append(talk.model_copy(update={"proposal": left}))
    solution.unscheduled = []
    result = explain(build(data), time_limit=5, solution=solution)
    assert result.given_broken and result.given_placed == 5 and not result.left_out
    assert result.at_most == 4 and result.placed == 4  # (not its 5)
    solution.write(tmp_path / "broken.json")
    with pytest.raises(SystemExit):
        main(["explain", str(path), str(tmp_path / "broken.json")])
    said = capsys.readouterr()
    err, out = " ".join(said.err.split()), " ".join(said.out.split())
    # (its 5 read "the most that can be (proven)", above the 4 the conflict below proves)
    assert "the most that can be" not in out
    assert (
        "Your solution places 5 of 5 proposals, breaking hard rules (see the warning); at "
        "most 4 can be (a proven bound)."
    ) in out
    assert f"warning: the solution {tmp_path / 'broken.json'} breaks " in err
    assert (
        "what it places and leaves out is explained as it is, but the count does not start "
        "from this solution; "
    ) in err
    assert f"`scheduler validate {path} {tmp_path / 'broken.json'}` lists them" in err
    # (FR2-10: « … (la première, en anglais : …) : ce qu'elle place … ne part pas
    # d'elle », « elle » read as the rule)
    with pytest.raises(SystemExit):
        main(["explain", str(path), str(tmp_path / "broken.json"), "--lang", "fr"])
    err = " ".join(capsys.readouterr().err.replace("\u00a0", " ").split())
    assert f"avertissement : la solution {tmp_path / 'broken.json'} enfreint " in err
    assert (
        ") ; ce qu'elle place et laisse de côté est expliqué tel quel, mais le décompte ne part "
        f"pas de cette solution ; `scheduler validate {path} {tmp_path / 'broken.json'}` les "
        "liste"
    ) in err


def test_a_reference_without_keep_before_points_to_the_solution_argument(data, tmp_path, capsys):
    # `--reference` is what other commands call the published schedule: given to explain
    # to have it explained, it was ignored with a note that did not say how
    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 4)]
    path = write_yaml(tmp_path / "three.yaml", data)
    main_args = ["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet"]
    with pytest.raises(SystemExit):
        main(main_args)
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["explain", str(path), "--reference", str(tmp_path / "s.json")])
    err = " ".join(capsys.readouterr().err.split())
    assert "without it, explain ignores it; to explain what a solution leaves out, give it " in err
    assert f"`scheduler explain {path} {tmp_path / 's.json'}`" in err


def test_above_the_conflict_models_size_the_time_limit_sizes_the_quick_schedule(data, monkeypatch):
    # at 400 proposals `--time-limit 30` changed nothing: the quick schedule's work was
    # fixed (347 placed where 60 s of it place 382); the default's work is unchanged
    import scheduler.explain as explain_module
    import scheduler.solve as solve_module

    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    monkeypatch.setattr(explain_module, "CONFLICT_MODEL_PAIRS", 0)
    works = []
    real = solve_module.solve

    def recorded(instance, instance_hash, options, *args, **kwargs):
        works.append(options.deterministic_time)
        return real(instance, instance_hash, options, *args, **kwargs)

    monkeypatch.setattr(solve_module, "solve", recorded)
    explain(build(data), time_limit=20)
    assert works and max(works) == explain_module.PLACED_WORK
    works.clear()
    explain(build(data), time_limit=60)
    assert max(works) == 3 * explain_module.PLACED_WORK


@pytest.mark.parametrize(
    ("lang", "blocked", "anyway"),
    [
        (
            "en",
            "Cannot be placed as asked (1) k1 “Title of k1”",
            "Left out anyway (1), with no slot it could go to: it does not stop a schedule "
            "i1 “Title of i1”",
        ),
        (
            # (FR2-4: « Ne peuvent être placées (1) », « elles n'empêchent pas un
            # programme »)
            "fr",
            "Ne peut être placée comme demandé (1) k1 « Title of k1 »",
            "Laissée de côté de toute façon (1), faute de créneau possible : elle n'empêche "
            "pas d'établir un programme i1 « Title of i1 »",
        ),
    ],
)
def test_a_failed_pins_message_lists_apart_what_is_left_out_anyway(
    data, tmp_path, capsys, lang, blocked, anyway
):
    # a keynote pinned where its speaker is away, and an unpinned initiative whose
    # speaker is never there: only the pin stops the solve (once it moved, the solve
    # left the initiative out). Both were listed under "Cannot be placed as asked", and
    # the coordinator looked for a second thing to fix
    data["speakers"][0]["unavailable"] = [
        {"start": "2026-12-01T08:00:00", "end": "2026-12-01T12:00:00"}
    ]
    data["speakers"][2]["available"] = []
    data["proposals"] = [
        proposal("k1", pin="s1"),
        proposal("k2", speakers=["sp2"]),
        proposal("i1", "initiative", speakers=["sp3"]),
    ]
    path = write_yaml(tmp_path / "pinned.yaml", data)
    argv = ["solve", str(path), "-o", str(tmp_path / "s.json"), "--time-limit", "5"]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--lang", lang])
    assert exit_info.value.code == 1
    out = " ".join(capsys.readouterr().out.replace("\u00a0", " ").split())
    assert blocked in out and anyway in out
    assert out.index(blocked) < out.index(anyway)
    assert "(2)" not in out
    # without the pin, a schedule: the initiative is simply left out (as the keynote)
    del data["proposals"][0]["pin"]
    write_yaml(path, data)
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--quiet"])
    assert exit_info.value.code in (0, None)
    left = {u.proposal for u in load_solution(tmp_path / "s.json").unscheduled}
    assert left == {"k1", "i1"}


def test_the_summary_s_headings_agree_with_their_count():
    from scheduler.cli import SUMMARY_WORDS

    words = SUMMARY_WORDS["fr"]
    assert words["anyway"].format(count=2).replace("\u00a0", " ") == (
        "Laissées de côté de toute façon (2), faute de créneau possible : elles n'empêchent "
        "pas d'établir un programme"
    )
    assert (words["unscheduled one"], words["unplaceable one"]) == (
        "Non programmée",
        "Ne peut être placée comme demandé",
    )


def test_solve_leaving_proposals_out_says_how_to_learn_how_many_could_be_placed(
    data, tmp_path, capsys
):
    # solve's "4 of 5 proposals placed" never said how many could be: explain counts it
    # (solve does not, at no cost), given the solution just written and solve's options
    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    path = write_yaml(tmp_path / "five.yaml", data)
    out = tmp_path / "s.json"

    def argv(target):
        return ["solve", str(path), "-o", str(target), "--time-limit", "5"]

    with pytest.raises(SystemExit):
        main([*argv(out), "--pin", "k1=s1"])
    said = " ".join(capsys.readouterr().out.split())
    command = f"scheduler explain {path} {out} --pin k1=s1"
    assert (
        f"1 proposal left out: `{command}` says how many proposals can be placed at most, and "
        "why this one is out"
    ) in said
    code, explained = _explain_cli(capsys, path, out, "--pin", "k1=s1")
    assert "Your solution places 4 of 5 proposals, the most that can be (proven)" in explained
    # (French: it read "1 laissées de côté … pourquoi chacune de celles-ci l'est", the
    # "l'est" saying why each is placed)
    with pytest.raises(SystemExit):
        main([*argv(out), "--pin", "k1=s1", "--lang", "fr"])
    said = " ".join(capsys.readouterr().out.replace("\u00a0", " ").split())
    assert "Non programmée (1)" in said
    assert (
        f"1 proposition laissée de côté : `{command} --lang fr` indique combien de propositions "
        "peuvent être programmées au plus, et pourquoi celle-ci est laissée de côté"
    ) in said
    # two left out (k4's and k5's speakers cannot come): the plural
    data["speakers"][3]["available"] = data["speakers"][4]["available"] = []
    write_yaml(path, data)
    for lang, words in {
        "en": "2 proposals left out: `{}` says how many proposals can be placed at most, and "
        "why each of these is out",
        "fr": "2 propositions laissées de côté : `{} --lang fr` indique combien de propositions "
        "peuvent être programmées au plus, et pourquoi chacune de celles-ci est laissée de côté",
    }.items():
        with pytest.raises(SystemExit):
            main([*argv(out), "--pin", "k1=s1", "--lang", lang])
        said = " ".join(capsys.readouterr().out.replace("\u00a0", " ").split())
        assert words.format(command) in said
    del data["speakers"][3]["available"], data["speakers"][4]["available"]
    # a path with a space is quoted: the command runs as printed (it was 2 arguments)
    folder = tmp_path / "a b"
    folder.mkdir()
    spaced, out = write_yaml(folder / "five.yaml", data), folder / "s.json"
    with pytest.raises(SystemExit):
        main(["solve", str(spaced), "-o", str(out), "--time-limit", "5", "--pin", "k1=s1"])
    said = " ".join(capsys.readouterr().out.split())
    command = f"scheduler explain '{spaced}' '{out}' --pin k1=s1"
    assert f"1 proposal left out: `{command}` says how many" in said
    code, explained = _explain_cli(capsys, *shlex.split(command)[2:])
    assert "Your solution places 4 of 5 proposals, the most that can be (proven)" in explained
    # every proposal placed: nothing to say
    data["proposals"] = data["proposals"][:4]
    write_yaml(path, data)
    with pytest.raises(SystemExit):
        main(["solve", str(path), "-o", str(out), "--time-limit", "5"])
    assert "scheduler explain" not in capsys.readouterr().out


def test_a_solution_leaving_out_what_can_be_placed_is_told_so(data, tmp_path, capsys):
    # solved while k4's speaker could not come, explained once she can: every proposal
    # can be placed, and the solution's k4 is named with its schedule's reasons
    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 5)]
    data["speakers"][3]["available"] = []
    path = write_yaml(tmp_path / "four.yaml", data)
    with pytest.raises(SystemExit):
        main(["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet"])
    capsys.readouterr()
    del data["speakers"][3]["available"]
    write_yaml(path, data)
    code, out = _explain_cli(capsys, path, tmp_path / "s.json")
    assert code == 0
    assert out.startswith("every proposal of unit can be placed: no conflict found")
    assert (
        "Your solution places 3 of 4 proposals; 4 can be (proven: a schedule found here places "
        "that many; a longer `solve` may too); it leaves 1 other out: k4 “Title of k4” - "
    ) in out


def test_a_sound_solution_given_is_a_schedule_where_the_count_found_none(
    data, tmp_path, monkeypatch
):
    # above the conflict model's size, a count that found no schedule said "No schedule
    # was found quickly", beside the coordinator's own schedule
    import scheduler.explain as explain_module

    data["proposals"] = [proposal(f"k{i}", speakers=[f"sp{i}"]) for i in range(1, 6)]
    path = write_yaml(tmp_path / "five.yaml", data)
    with pytest.raises(SystemExit):
        main(["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet"])
    monkeypatch.setattr(explain_module, "EXACT_PAIRS", 0)
    monkeypatch.setattr(explain_module, "CONFLICT_MODEL_PAIRS", 0)
    monkeypatch.setattr(explain_module, "_most_placed", lambda *arguments: False)
    result = explain(build(data), time_limit=5)
    assert result.no_schedule
    result = explain(build(data), time_limit=5, solution=load_solution(tmp_path / "s.json"))
    assert not result.no_schedule and result.given_placed == 4 and len(result.left_out) == 1


def test_explain_s_french_counts_read_as_sentences():
    # FR2-3: « Votre solution en place 266 des 278 propositions ; 267 peuvent l'être … ;
    # elle en laisse 11 de côté » (« en » beside « des 278 », « l'être » of an active
    # verb, and 266 + 11 ≠ 278: the proposal that cannot be placed is listed above)
    from scheduler.cli import EXPLAIN_WORDS

    words = EXPLAIN_WORDS["fr"]
    others = words["others"].format(count=11, s="s")
    said = (
        words["given"].format(placed=266, total="278 propositions")
        + words["given proven"].format(most=267)
        + words["given leaves"].format(others=others)
    ).replace("\u00a0", " ")
    assert said == (
        "Votre solution place 266 des 278 propositions ; 267 peuvent être placées (prouvé : "
        "un programme trouvé ici en place autant ; un `solve` plus long peut aussi y "
        "parvenir) ; elle en laisse 11 autres de côté :"
    )
    assert words["given bound"].format(most=267).replace("\u00a0", " ") == (
        " ; au plus 267 peuvent être placées (borne prouvée)"
    )
    assert words["others"].format(count=1, s="") == "1 autre"
    for key in ("found", "quick"):
        assert " place 267 des 278" in words[key].format(placed=267, total=278)
    assert not [k for k, text in words.items() if "l'être" in text]


def test_the_validate_command_of_a_broken_solution_repeats_the_options_it_was_judged_with(
    tmp_path, capsys
):
    # explain judged the solution with --pin, the validate command it printed without
    # it, and that command then said the file satisfies every hard rule
    out = tmp_path / "a b" / "tiny.json"
    out.parent.mkdir()
    with pytest.raises(SystemExit):
        main(["solve", str(TINY), "-o", str(out), "--time-limit", "5", "--quiet"])
    assert load_solution(out).workshop_of()["k3"] != "pm-a"
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["explain", str(TINY), str(out), "--pin", "k3=pm-a"])
    err = " ".join(capsys.readouterr().err.split())
    assert (
        f"warning: the solution {out} breaks 1 hard rule of this instance with the options given "
        in err
    )
    command = err.split("; `")[-1].split("` lists them")[0]
    assert command == f"scheduler validate {TINY} '{out}' --pin k3=pm-a"
    with pytest.raises(SystemExit) as exit_info:
        main(shlex.split(command)[1:])
    assert exit_info.value.code == 1
    assert "k3 is pinned to pm-a" in capsys.readouterr().out


def test_a_solution_holding_no_schedule_is_explained_as_without_it(tmp_path, capsys):
    # a status-infeasible file (solve writes none) was explained as a schedule placing
    # nothing: k1, pinned, "left empty; ... the search did not find placing it cheaper"
    out = tmp_path / "tiny.json"
    with pytest.raises(SystemExit):
        main(["solve", str(TINY), "-o", str(out), "--time-limit", "5", "--quiet"])
    written = json.loads(out.read_text(encoding="utf-8"))
    written.update(status="infeasible", objective=None, bound=None, workshops=[])
    written.update(unscheduled=[], penalties=[])
    none = tmp_path / "none.json"
    none.write_text(json.dumps(written), encoding="utf-8")
    capsys.readouterr()
    with pytest.raises(SystemExit) as given:
        main(["explain", str(TINY), str(none)])
    said = capsys.readouterr()
    with pytest.raises(SystemExit) as without:
        main(["explain", str(TINY)])
    assert given.value.code == without.value.code
    assert said.out == capsys.readouterr().out
    assert "Your solution" not in said.out and "the search did not find" not in said.out
    err = " ".join(said.err.split())
    assert f"note: {none} holds no schedule (status infeasible): explained as without it" in err


def test_a_solution_of_another_version_of_the_instance_is_explained_with_this_one(tmp_path, capsys):
    # solved, then slot am-a and i2 removed and i9 added: i9 was listed among those the
    # solution leaves out with no reason at all, the others with reasons naming am-a
    out = tmp_path / "tiny.json"
    with pytest.raises(SystemExit):
        main(["solve", str(TINY), "-o", str(out), "--time-limit", "5", "--quiet"])
    capsys.readouterr()
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["slots"] = [s for s in data["slots"] if s["id"] != "am-a"]
    data["proposals"] = [p for p in data["proposals"] if p["id"] != "i2"]
    for p in data["proposals"]:
        p.pop("pin", None)
    data["proposals"].append(proposal("i9", "initiative", speakers=["eve"], themes=["data"]))
    path = write_yaml(tmp_path / "tiny.yaml", data)
    with pytest.raises(SystemExit):
        main(["explain", str(path), str(out)])
    said = capsys.readouterr()
    err, text = " ".join(said.err.split()), " ".join(said.out.split())
    assert (
        f"note: {out} was solved from another version of {path}; what it leaves out is "
        "explained with the instance as it is"
    ) in err
    assert (
        "i9 “Title of i9” - not in the solution file: the instance gained it since that "
        "solution was solved"
    ) in text
    assert "am-a" not in text
    # the same file and instance: nothing of it
    with pytest.raises(SystemExit):
        main(["explain", str(TINY), str(out)])
    said = capsys.readouterr()
    assert "another version" not in said.err and "not in the solution file" not in said.out


def test_in_event_explain_does_not_offer_what_has_begun_as_a_rule_to_drop(tmp_path, capsys):
    # Thursday afternoon's two slots closed, explained on Wednesday at 14:30: seven of
    # the conflict's rules were Tuesday's and Wednesday's workshops, already held ("drop
    # any one": re-open the past); they hold as facts now, said once
    path = ROOT / "instances" / "commons-ai-2026.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for slot in data["slots"]:
        if slot["id"] in ("thu-pm-aud", "thu-pm-seine"):
            slot["closed"] = True
    instance_path = write_yaml(tmp_path / "thursday.yaml", data)
    held = ["--reference", ROOT / "solutions" / "commons-ai-2026.json"]
    held += ["--keep-before", "2026-12-02T14:30", "--time-limit", "20"]
    code, out = _explain_cli(capsys, instance_path, *held)
    assert code == 1
    rules = out[out.index("These rules cannot all hold") :]
    assert "began as a workshop" not in rules and "has begun" not in rules
    assert "slot thu-pm-aud is closed" in rules and "slot thu-pm-seine is closed" in rules
    assert "(what --keep-before kept as begun stays as it is: not a rule to drop)" in rules
    code, out = _explain_cli(capsys, instance_path, *held, "--lang", "fr")
    assert "(ce que --keep-before a conservé comme commencé reste tel quel : ce" in out
