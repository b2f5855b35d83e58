"""The command line as a coordinator uses it: solve, validate, schema, exit codes, determinism."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import (
    BUNDLED,
    FAST,
    PUBLISHED,
    ROOT,
    TINY,
    base_data,
    build,
    proposal,
    write_yaml,
)

from scheduler.cli import main


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_solve_writes_a_valid_solution_and_a_summary(tmp_path, capsys):
    out = tmp_path / "tiny.json"
    code, stdout, _ = run(["solve", str(TINY), "-o", str(out), "--time-limit", "5"], capsys)
    assert code == 0
    solution = json.loads(out.read_text())
    assert solution["status"] == "optimal"
    assert solution["objective"] == solution["bound"] == 3020
    assert "5 of 8 proposals placed in 3 workshops" in stdout
    assert "Unscheduled (3)" in stdout and "Penalties by rule" in stdout
    assert "unscheduled" in stdout and "3000" in stdout

    code, stdout, _ = run(["validate", str(TINY), str(out)], capsys)
    assert code == 0
    assert "recomputed objective 3020 (file: 3020)" in " ".join(stdout.split())


def test_version_names_the_package_and_the_solvers(capsys):
    from importlib.metadata import version

    from scheduler import __version__

    code, stdout, _ = run(["--version"], capsys)
    assert code == 0
    assert stdout.startswith(f"commons-scheduler {__version__} (OR-Tools {version('ortools')}")
    assert f"HiGHS {version('highspy')}" in stdout


def test_default_output_goes_to_solutions(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, _ = run(["solve", str(TINY), "--time-limit", "5", "--quiet"], capsys)
    assert code == 0
    assert (tmp_path / "solutions" / "tiny.json").exists()


def test_an_output_ending_in_a_slash_is_a_folder(tmp_path, capsys):
    # `-o results/` wrote a file named results
    code, stdout, _ = run(["solve", str(TINY), "-o", f"{tmp_path / 'results'}/", "-q"], capsys)
    assert code == 0
    written = tmp_path / "results" / "tiny.json"
    assert json.loads(written.read_text())["instance"] == "tiny"
    # rich wraps a long path at its slashes: compare without the whitespace
    assert f"wrote{written}" in "".join(stdout.split())
    # without the slash, a folder is still no file name
    code, _, stderr = run(["solve", str(TINY), "-o", str(tmp_path / "results"), "-q"], capsys)
    assert code == 2 and "it is a folder" in stderr


def test_validate_reports_violations_with_exit_1(tmp_path, capsys):
    out = tmp_path / "tiny.json"
    run(["solve", str(TINY), "-o", str(out), "--time-limit", "5", "--quiet"], capsys)
    data = json.loads(out.read_text())
    data["workshops"][0]["theme"] = "data"
    data["objective"] = 1
    out.write_text(json.dumps(data))
    code, stdout, _ = run(["validate", str(TINY), str(out)], capsys)
    assert code == 1
    assert "theme" in stdout and "objective" in stdout


def test_validate_of_a_file_without_a_schedule_says_so_with_exit_1(tmp_path, capsys):
    # (`solve` writes no file without a schedule; one made elsewhere says its status)
    out = tmp_path / "tiny.json"
    run(["solve", str(TINY), "-o", str(out), "--time-limit", "5", "--quiet"], capsys)
    data = json.loads(out.read_text())
    placed = [i["proposal"] for w in data["workshops"] for i in w["items"] if i.get("proposal")]
    data.update(status="infeasible", objective=None, bound=None, workshops=[], penalties=[])
    data["unscheduled"] += [{"proposal": p, "reasons": ["no schedule"]} for p in set(placed)]
    out.write_text(json.dumps(data))
    code, _, stderr = run(["validate", str(TINY), str(out)], capsys)
    assert code == 1 and f"{out}: no schedule (status infeasible)" in " ".join(stderr.split())


def test_validate_notes_a_changed_instance(tmp_path, capsys):
    out = tmp_path / "tiny.json"
    run(["solve", str(TINY), "-o", str(out), "--time-limit", "5", "--quiet"], capsys)
    edited = tmp_path / "tiny.yaml"
    edited.write_text(TINY.read_text() + "\n# edited\n")
    code, _, stderr = run(["validate", str(edited), str(out)], capsys)
    assert code == 0
    assert "hash differs" in stderr


def test_no_schedule_exits_1_and_keeps_the_old_file(tmp_path, capsys):
    data = base_data()
    data["speakers"][0]["unavailable"] = [
        {"start": "2026-12-01T08:00:00", "end": "2026-12-01T12:00:00"}
    ]
    data["proposals"] = [proposal("k1", pin="s1")]
    path = write_yaml(tmp_path / "pinned.yaml", data)
    out = tmp_path / "out.json"
    out.write_text("old")
    code, stdout, stderr = run(["solve", str(path), "-o", str(out), "--time-limit", "5"], capsys)
    assert code == 1
    assert "no schedule found (status infeasible)" in stderr
    assert "Speaker 1 (sp1) is unavailable" in " ".join(stdout.split())
    # (it read "0 of 1 proposal placed in 0 workshops", then "Unscheduled (1)")
    assert "no schedule for the 1 proposal" in stdout and "Cannot be placed as asked (1)" in stdout
    assert "placed in" not in stdout and "Unscheduled" not in stdout
    assert out.read_text() == "old"


def test_a_pin_option_replacing_the_files_pin_says_so(tmp_path, capsys):
    # (the opening keynote, pinned in the file, moved to another slot without a word)
    data = base_data()
    data["proposals"] = [proposal("k1", pin="s1")]
    path = write_yaml(tmp_path / "pinned.yaml", data)
    out = tmp_path / "out.json"
    code, _, stderr = run(
        ["solve", str(path), "-o", str(out), "--pin", "k1=s2", "--time-limit", "5"], capsys
    )
    assert code == 0
    assert f"note: --pin k1=s2 replaces the pin in {path}, k1=s1, for this run" in " ".join(
        stderr.split()
    )
    assert json.loads(out.read_text())["workshops"][0]["slot"] == "s2"
    code, _, stderr = run(["solve", str(path), "-o", str(out), "--pin", "k1=s1", "-q"], capsys)
    assert code == 0 and "replaces" not in stderr


def test_proposals_without_theme_get_one_note_with_the_remedy(tmp_path, capsys):
    # an import leaves themes empty until `themes --apply`: each such proposal was
    # listed with every slot of the instance as its reason's slots, and no word of why
    data = base_data()
    themeless = [proposal(p, "initiative", speakers=[f"sp{n + 2}"]) for n, p in enumerate("ab")]
    for entry in themeless:
        entry["themes"] = []
    data["proposals"] = [proposal("k1"), *themeless]
    path = write_yaml(tmp_path / "imported.yaml", data)
    out = tmp_path / "out.json"
    code, stdout, stderr = run(["solve", str(path), "-o", str(out), "--time-limit", "5"], capsys)
    assert code == 0
    flat = " ".join(stderr.split())
    assert "note: 2 proposals have no theme yet" in flat
    assert f"scheduler themes {path} --apply" in flat
    assert stdout.count("\n    no theme assigned to the proposal\n") == 2  # (its gist)
    other = tmp_path / "tiny.json"
    code, _, stderr = run(["solve", str(TINY), "-o", str(other), "--time-limit", "5"], capsys)
    assert code == 0 and "no theme" not in stderr


def _slots_no_workshop_fits() -> dict:
    """Slots that can hold no workshop: s2 too short, s3 of a theme and s5 of a language
    no proposal has, s4 frozen with nothing pinned to it (and s6 closed)."""
    data = base_data()
    data["slots"][1]["end"] = "2026-12-01T09:20:00"
    data["slots"] += [
        {
            "id": "s3",
            "room": "a",
            "start": "2026-12-01T11:00:00",
            "end": "2026-12-01T12:30:00",
            "theme": "data",
        },
        {
            "id": "s4",
            "room": "b",
            "start": "2026-12-01T11:00:00",
            "end": "2026-12-01T12:30:00",
            "frozen": True,
        },
        {
            "id": "s5",
            "room": "a",
            "start": "2026-12-01T14:00:00",
            "end": "2026-12-01T15:30:00",
            "language": "en",
        },
        {
            "id": "s6",
            "room": "b",
            "start": "2026-12-01T14:00:00",
            "end": "2026-12-01T15:30:00",
            "closed": True,
        },
    ]
    data["proposals"] = [proposal("k1"), proposal("k2", speakers=["sp2"])]
    return data


def test_slots_that_can_hold_no_workshop_get_one_note_with_the_reason(tmp_path, capsys):
    # a slot's end typed wrong (20 minutes) stayed empty on the grid without a word
    data = _slots_no_workshop_fits()
    path = write_yaml(tmp_path / "slots.yaml", data)
    out = tmp_path / "out.json"
    code, _, stderr = run(["solve", str(path), "-o", str(out), "--time-limit", "5"], capsys)
    assert code == 0
    note = (
        "note: 4 slots can hold no workshop and stay empty: "
        "s2 (too short: 20 min, the smallest workshop there takes 50), "
        "s3 (no proposal has its fixed theme data), "
        "s4 (frozen, and no proposal is pinned to it), "
        "s5 (no proposal has its fixed language en)"
    )
    assert note in " ".join(stderr.split())  # (the closed slot s6 is meant to be empty)
    code, stdout, stderr = run(["explain", str(path)], capsys)
    assert note in " ".join(stderr.split())

    # an English proposal pinned elsewhere: the fixed language's one proposal is taken
    data["proposals"].append(proposal("k3", lang="en", speakers=["sp3"], pin="s1"))
    path = write_yaml(tmp_path / "slots.yaml", data)
    code, _, stderr = run(["solve", str(path), "-o", str(out), "--time-limit", "5"], capsys)
    assert "s5 (the proposals of its fixed language en are pinned elsewhere)" in " ".join(
        stderr.split()
    )
    # every proposal pinned: an open slot without a fixed theme or language read "the
    # proposals of its fixed  are pinned elsewhere"
    pinned = base_data()
    pinned["proposals"] = [proposal("k1", pin="s1")]
    code, _, stderr = run(["explain", str(write_yaml(tmp_path / "p.yaml", pinned))], capsys)
    assert code == 0
    assert (
        "note: 1 slot can hold no workshop and stays empty: s2 (every proposal that could go "
        "there is pinned to another slot)"
    ) in " ".join(stderr.split())
    other = tmp_path / "tiny.json"
    code, _, stderr = run(["solve", str(TINY), "-o", str(other), "--time-limit", "5"], capsys)
    assert code == 0 and "can hold no workshop" not in stderr


def test_the_notes_of_solve_and_explain_read_in_french_with_lang_fr(tmp_path, capsys):
    # `--lang fr` gave a French summary between English notes ("note: 4 slots can hold no
    # workshop and stay empty: s2 (too short: ...)", "wrote ...")
    data = _slots_no_workshop_fits()
    data["proposals"].append(proposal("i1", "initiative", speakers=["sp3"]))
    data["proposals"][-1]["themes"] = []
    path = write_yaml(tmp_path / "slots.yaml", data)
    out = tmp_path / "out.json"
    argv = ["solve", str(path), "-o", str(out), "--time-limit", "5", "--lang", "fr"]
    code, stdout, stderr = run(argv, capsys)
    assert code == 0, stderr
    said = " ".join(stderr.split())  # (no-break spaces too: the lines are wrapped)
    assert "note\u00a0: " in stderr
    assert (
        "note : 4 créneaux ne peuvent accueillir aucun atelier et restent vides : "
        "s2 (trop court : 20 min, le plus petit atelier possible y dure "
        "50 min), s3 (aucune proposition n'a le thème imposé « Données »), "
        "s4 (figé, et aucune proposition n'y est épinglée), s5 (aucune proposition n'a la "
        "langue imposée (anglais))"
    ) in said
    assert "note : 1 proposition n'a pas encore de thème" in said
    assert f"lancez `scheduler themes {path} --apply`" in said
    assert "note:" not in stderr and "can hold" not in stderr
    # the progress line too (its words, the decimal comma)
    assert "meilleur" in stderr and "best" not in stderr and "bound" not in stderr
    assert "".join(stdout.split()).endswith(f"écrit:{out}")  # (a long path is folded)
    code, _, stderr = run(["explain", str(path), "--lang", "fr"], capsys)
    assert "4 créneaux ne peuvent accueillir aucun atelier" in " ".join(stderr.split())
    assert "1 proposition n'a pas encore de thème" in " ".join(stderr.split())
    assert "note:" not in stderr
    # an English proposal pinned elsewhere: the fixed language's one proposal is taken
    data["proposals"].append(proposal("k3", lang="en", speakers=["sp4"], pin="s1"))
    path = write_yaml(tmp_path / "slots.yaml", data)
    code, _, stderr = run(argv, capsys)  # (the same file)
    assert (
        "s5 (les propositions de la langue imposée (anglais) sont épinglées ailleurs)"
        in " ".join(stderr.split())
    )
    # a pin replaced by --pin
    argv += ["--pin", "k3=s5"]
    code, _, stderr = run(argv, capsys)
    assert code == 0, stderr
    assert (
        f"note : --pin k3=s5 remplace l'épinglage du fichier {path}, k3=s1, pour cette exécution"
        in " ".join(stderr.split())
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_summary_gives_each_unscheduled_in_a_line_and_points_to_every_reason(
    lang, tmp_path, capsys
):
    # past ten, "and 2 more, each with its reasons in the solution file": the JSON, the
    # least readable place for a coordinator, where the grid's last page lists them all;
    # and each reason with its slots made ~450 lines for ten proposals at 84 slots
    data = base_data()
    for slot in data["slots"]:
        slot["theme"] = "open"
    data["proposals"] = [
        proposal(f"k{i}", themes=["data"], speakers=[f"sp{i % 8 + 1}"]) for i in range(12)
    ]
    # (and one placed: a schedule that places none is no schedule, and writes no file)
    data["proposals"].append(proposal("open", speakers=["sp1"]))
    path = write_yaml(tmp_path / "closed.yaml", data)
    argv = ["solve", str(path), "-o", str(tmp_path / "out.json"), "--time-limit", "5"]
    code, stdout, _ = run([*argv, "--lang", lang], capsys)
    said = " ".join(stdout.split())
    assert code == 0, said
    assert {
        "en": "and 2 more (every slot's reason: in the solution file and the grid, `scheduler "
        "export grid --unscheduled`)",
        "fr": "et 2 autres (la raison de chaque créneau : dans le fichier de solution et la "
        "grille, `scheduler export grid --unscheduled`)",
    }[lang] in said, said
    # explain named once, runnable: the last line's command (a bare `scheduler explain`
    # eight lines before it was a usage error)
    assert said.count("scheduler explain") == 1, said
    assert (
        f"`scheduler explain {path} {tmp_path / 'out.json'}{' --lang fr' * (lang == 'fr')}`" in said
    )
    # titles quoted as the other outputs quote them (English: repr's 'Title of k0')
    assert {"en": "k0 (keynote) “Title of k0”", "fr": "k0 (keynote) « Title of k0 »"}[
        lang
    ] in said, said
    # a line per proposal: its slots counted by cause, none named
    gist = {"en": "2 slots: 2 reserved for another theme",
            "fr": "2 créneaux : 2 réservés à un autre thème"}[lang]  # fmt: skip
    assert said.count(gist) == 10, said
    assert "s1" not in said and "s2" not in said
    lines = stdout.replace("\u00a0", " ").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(("Unscheduled", "Non prog")))
    assert lines[start + 1 : start + 3] == [
        f"  k0 (keynote) {'“Title of k0”' if lang == 'en' else '« Title of k0 »'}",
        f"    {gist}",
    ]
    # the file keeps every reason, with its slots
    reasons = json.loads((tmp_path / "out.json").read_text())["unscheduled"][0]["reasons"]
    assert reasons == ["slot's theme is fixed to open: s1, s2"]
    # no schedule, no file to export: "and 2 more" alone, the error saying to run explain,
    # and every reason said (the candidates' own, few)
    data["proposals"].pop()  # (the twelve alone)
    for entry in data["proposals"]:
        entry.update(themes=["open"], pin="s1")
    write_yaml(path, data)
    code, stdout, stderr = run([*argv, "--lang", lang], capsys)
    said = " ".join(stdout.split())
    assert code == 1 and "nothing written" in stderr and "scheduler explain" in stderr
    assert {"en": "and 2 more", "fr": "et 2 autres"}[lang] in said, said
    assert "grid" not in said and "grille" not in said
    assert {"en": "are pinned to s1", "fr": "sont épinglées au créneau s1"}[lang] in said, said


def test_a_slot_fixing_a_theme_and_a_language_no_proposal_has_together_in_french():
    # "aucune proposition n'a le thème imposé « Données » ni la langue imposée (anglais)"
    # said that none had either, where an English proposal and one of the theme were there
    from scheduler.candidates import unusable_slots

    data = base_data()
    data["slots"][1].update(theme="data", language="en")
    data["proposals"] = [
        proposal("k1", lang="en", themes=["open"]),
        proposal("k2", themes=["data"], speakers=["sp2"]),
    ]
    (said,) = unusable_slots(build(data), "fr")
    assert said == (
        "s2",
        "aucune proposition n'a à la fois le thème imposé «\u00a0Données\u00a0» et la langue "
        "imposée (anglais)",
    )
    assert unusable_slots(build(data)) == [
        ("s2", "no proposal has its fixed theme data and language en together")
    ]
    # no proposal of the theme at all: the theme is the reason, not "both together"
    data["proposals"][1]["themes"] = ["open"]
    assert unusable_slots(build(data), "fr") == [
        ("s2", "aucune proposition n'a le thème imposé «\u00a0Données\u00a0»")
    ]
    assert unusable_slots(build(data)) == [("s2", "no proposal has its fixed theme data")]
    # neither had at all: both named, neither together
    data["proposals"][0]["language"] = "fr"
    assert unusable_slots(build(data)) == [
        ("s2", "no proposal has its fixed theme data, and none its language en")
    ]
    assert unusable_slots(build(data), "fr") == [
        ("s2", "aucune proposition n'a le thème imposé «\u00a0Données\u00a0», ni la langue "
         "imposée (anglais)")
    ]  # fmt: skip


def test_same_seed_same_file(tmp_path, capsys):
    """Same instance, seed and worker count: byte-identical files."""
    bundled_like = yaml.safe_load(TINY.read_text())
    path = write_yaml(tmp_path / "i.yaml", bundled_like)
    texts = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        run(
            [
                "solve",
                str(path),
                "-o",
                str(out),
                "--seed",
                "7",
                "--workers",
                "2",
                "--time-limit",
                "10",
                "--quiet",
            ],
            capsys,
        )
        assert "seconds" not in json.loads(out.read_text())  # (the clock's, in the summary)
        texts.append(out.read_text())
    assert texts[0] == texts[1]


def test_schema_lists_every_section(capsys):
    code, stdout, _ = run(["schema"], capsys)
    assert code == 0
    schema = json.loads(stdout)
    assert set(schema["properties"]) >= {
        "name",
        "event",
        "rules",
        "themes",
        "rooms",
        "slots",
        "speakers",
        "proposals",
    }
    code, stdout, _ = run(["schema", "solution"], capsys)
    assert "workshops" in json.loads(stdout)["properties"]
    code, stdout, stderr = run(["schema", "timetable"], capsys)
    assert code == 2 and not stdout
    assert "unknown schema 'timetable': choose instance or solution" in stderr


def test_files_the_loaders_accept_pass_the_printed_schemas(capsys):
    # an editor checking files against `scheduler schema` accepts what the loaders do:
    # the bundled instance and its solution, and fields left blank (read as empty)
    import jsonschema

    def as_json(path):  # (YAML reads unquoted dates as dates; a file holds their text)
        return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))

    schemas = {}
    for kind in ("instance", "solution"):
        code, stdout, _ = run(["schema", kind], capsys)
        schemas[kind] = jsonschema.Draft202012Validator(json.loads(stdout))
    instance = as_json(BUNDLED)
    assert not list(schemas["instance"].iter_errors(instance))
    solution = as_json(ROOT / "solutions" / "commons-ai-2026.json")
    assert not list(schemas["solution"].iter_errors(solution))
    instance["speakers"][0].update(affiliation=None, unavailable=None)
    instance["proposals"][0].update(themes=None, abstract=None)
    assert not list(schemas["instance"].iter_errors(instance))
    instance["proposals"][0]["speakers"] = None  # (a field that must be given)
    assert [e.message for e in schemas["instance"].iter_errors(instance)] == [
        "None is not of type 'array'"
    ]


@pytest.mark.parametrize(
    "option",
    [("solve", "--time-limit"), ("solve", "--deterministic-time"), ("explain", "--time-limit")],
)
@pytest.mark.parametrize("value", ["inf", "1e9", "nan"])
def test_a_limit_without_end_is_refused(option, value, tmp_path, capsys):
    # 'inf' ran with no limit at all, and Ctrl-C, the only way out, writes nothing
    command, name = option
    out = tmp_path / "out.json"
    argv = [command, str(TINY), f"{name}={value}"] + (
        ["-o", str(out)] if command == "solve" else []
    )
    code, _, stderr = run(argv, capsys)
    assert code == 2
    assert name in stderr and "86400" in stderr
    # (click's range check called 'nan' "more than 86400")
    assert ("not a number" in stderr) == (value == "nan")
    assert "less than" not in stderr
    assert not out.exists()


@pytest.mark.parametrize("value", ["0", "-1", "0.001"])
@pytest.mark.parametrize("option", ["--time-limit", "--deterministic-time"])
def test_a_limit_below_the_least_is_refused(option, value, tmp_path, capsys):
    out = tmp_path / "out.json"
    code, _, stderr = run(["solve", str(TINY), option, value, "-o", str(out)], capsys)
    said = " ".join(stderr.split())
    assert code == 2
    assert option in said and "from 0.01 to 86400" in said
    # (the work was said in "seconds")
    unit = "seconds" if option == "--time-limit" else "units of work (CP-SAT's deterministic time)"
    assert f"give a number of {unit} from" in said and said.count("deterministic time") <= 1
    assert not out.exists()


@pytest.mark.parametrize("value", ["2147483648", "-1"])
def test_a_seed_cp_sat_cannot_take_is_refused(value, tmp_path, capsys):
    # 2**31 (and 2**31 - 1, plus the block search's round) was a TypeError traceback
    # from CP-SAT's parameters, on the paths that reach CP-SAT only
    out = tmp_path / "out.json"
    code, _, stderr = run(["solve", str(TINY), f"--seed={value}", "-o", str(out)], capsys)
    assert code == 2 and "--seed" in stderr and "Traceback" not in stderr
    assert not out.exists()


def test_unknown_option_is_a_usage_error(capsys):
    code, _, stderr = run(["solve", str(TINY), "--colour", "red"], capsys)
    assert code == 2
    assert "Traceback" not in stderr


def test_python_dash_m(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "validate", str(TINY), str(tmp_path / "none.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "none.json: file not found" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="/dev/stdout")
def test_a_solution_written_to_stdout_is_the_whole_of_it(tmp_path):
    # the summary and "wrote /dev/stdout" went to stdout too, into the JSON (and over its
    # start when stdout was a file)
    target = tmp_path / "out.json"
    with target.open("wb") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "scheduler", "solve", str(TINY), "-o", "/dev/stdout"]
            + ["--workers", "1", "--time-limit", "5"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["status"] in {"optimal", "feasible"}
    assert "wrote /dev/stdout" in result.stderr and "status" in result.stderr
    # the explain command does not name /dev/stdout, gone with the output, as SOLUTION
    said = " ".join(result.stderr.split())
    assert f"left out: run explain with the solution file, `scheduler explain {TINY} " in said
    assert f"`scheduler explain {TINY} SOLUTION.json`" in said
    assert "explain" not in said.split("/dev/stdout")[0].split("wrote")[-1]


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="/dev/stdout")
def test_an_import_written_to_stdout_is_the_whole_of_it(tmp_path):
    # its summary went into the YAML, and /dev/stdout "already exists" without --force
    data = ROOT / "tests" / "data" / "import"
    target = tmp_path / "out.yaml"
    with target.open("wb") as stdout:
        result = subprocess.run(
            [sys.executable, "-m", "scheduler", "import", str(data / "form.csv")]
            + ["--slots", str(data / "slots.csv"), "-o", "/dev/stdout"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["proposals"]
    assert "wrote /dev/stdout" in result.stderr


def _python(code: str, timeout: float) -> subprocess.CompletedProcess:
    """`code` run by Python in the repository, Ctrl-C's default action restored."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_ctrl_c_default,
    )


def _ctrl_c_default():
    # A suite started as a shell's background job (`pytest &`) runs with Ctrl-C ignored,
    # and its subprocesses inherit that: Python then installs no KeyboardInterrupt
    # handler, and a test sending SIGINT sees nothing happen. The child starts with the
    # default action, as a command typed at a terminal does.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process groups: Linux")
@pytest.mark.parametrize("stop", ["ctrl-c", "kill"])
def test_a_stopped_solve_leaves_no_process_and_writes_nothing(stop, tmp_path):
    # Ctrl-C reaches the whole foreground process group: the solve and the processes of
    # its search (at 600 proposals: the relaxation's child, its two helpers, the LP); a
    # helper once printed a traceback of its own. `kill` (SIGTERM) reaches the solve
    # alone: its search's processes once lived on, holding its standard error, so a
    # caller reading it (a CI job, `2>&1 | grep`) waited forever
    target = tmp_path / "out.json"
    instance = ROOT / "instances/bench/bench-600-easy.yaml"
    process = subprocess.Popen(
        [sys.executable, "-m", "scheduler", "solve", str(instance), "--time-limit", "60"]
        + ["-o", str(target)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        preexec_fn=_ctrl_c_default,
    )
    try:
        lines = [process.stderr.readline() for _ in range(3)]  # the search has begun
        assert all("best" in line for line in lines), lines
        if stop == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(process.pid, signal.SIGTERM)
        rest = process.communicate(timeout=30)[1]
        deadline = time.perf_counter() + 10
        while _in_group(process.pid) and time.perf_counter() < deadline:
            time.sleep(0.05)
        assert not _in_group(process.pid)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    if stop == "ctrl-c":
        assert process.returncode == 130
        assert rest.strip().splitlines()[-1] == "interrupted"
    else:
        assert process.returncode == -signal.SIGTERM
    assert "Traceback" not in rest
    assert not target.exists()


def test_ctrl_c_after_a_cp_sat_solve_still_raises_keyboard_interrupt():
    # CP-SAT takes SIGINT for itself by default and leaves the default action behind:
    # Ctrl-C then killed the command on the spot (no message, its children left running)
    code = (
        "import os, signal, time\n"
        "from ortools.sat.python import cp_model\n"
        "from scheduler.search import cp_solver\n"
        "model = cp_model.CpModel()\n"
        "model.maximize(model.new_int_var(0, 3, 'x'))\n"
        "assert cp_solver().solve(model) == cp_model.OPTIMAL\n"
        "try:\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(5)\n"
        "except KeyboardInterrupt:\n"
        "    print('KeyboardInterrupt')\n"
    )
    result = _python(code, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "KeyboardInterrupt"


def test_ctrl_c_stops_a_cp_sat_solve_that_finds_nothing_new():
    # In the main thread a CP-SAT solve held Ctrl-C until its next solution or its end:
    # interrupted 15 s into bench-40-easy's direct search (no relaxation), the command
    # ended 24 s later. Now the solve runs in a thread of its own and is stopped at once;
    # the thread has ended when the KeyboardInterrupt goes on (an interrupted
    # `Thread.join` once let the process exit beside the running solve, which aborted)
    code = (
        "import os, signal, sys, threading, time\n"
        "from scheduler.candidates import candidate_table\n"
        "from scheduler.instance import load_instance\n"
        "from scheduler.model import WorkshopModel\n"
        "from scheduler.search import cp_solver, solve_interruptibly\n"
        "instance = load_instance('instances/bench/bench-40-easy.yaml')\n"
        "model = WorkshopModel(instance, candidate_table(instance)).model\n"
        "solver = cp_solver()\n"
        "solver.parameters.max_time_in_seconds = 600\n"
        "solver.parameters.num_workers = 2\n"
        "threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "started = time.perf_counter()\n"
        "try:\n"
        "    solve_interruptibly(solver, model)\n"
        "except KeyboardInterrupt:\n"
        "    alive = [t.name for t in threading.enumerate() if t.name == 'cp-sat']\n"
        "    print('interrupted', time.perf_counter() - started < 300, alive)\n"
        "sys.exit(0)\n"
    )
    result = _python(code, timeout=400)
    assert result.returncode == 0, result.stderr[-500:]  # not aborted at exit
    assert result.stdout.strip() == "interrupted True []"  # long before its 600 s


def test_ctrl_c_inside_an_import_is_an_interrupt_too(tmp_path, capsys, monkeypatch):
    # a native module interrupted while it loads (OR-Tools, imported once the solve's
    # child runs) raises ImportError, the KeyboardInterrupt only as its cause
    import scheduler.solve as solve_module

    def interrupted(*args, **kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as cause:
            raise ImportError("initialization failed") from cause

    monkeypatch.setattr(solve_module, "solve", interrupted)
    code, out, err = run(["solve", str(TINY), "-o", str(tmp_path / "s.json")], capsys)
    assert code == 130 and err.strip() == "interrupted" and "Traceback" not in out + err
    assert not (tmp_path / "s.json").exists()


def _in_group(group: int) -> list[int]:
    """The processes of a process group that have not ended."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                with open(f"/proc/{entry}/stat") as file:
                    state, _, group_of = file.read().rsplit(")", 1)[1].split()[:3]
                if int(group_of) == group and state != "Z":
                    found.append(int(entry))
    return found


def test_user_text_with_markup_is_printed_verbatim(tmp_path, capsys):
    data = yaml.safe_load(TINY.read_text())
    data["event"]["title"] = "Event [/bold] [red]"
    data["rooms"][0]["name"] = "Room [/x]"
    data["proposals"][6]["title"] = "Hardware [bold]commons[/bold]"
    path = write_yaml(tmp_path / "markup.yaml", data)
    code, stdout, _ = run(
        ["solve", str(path), "-o", str(tmp_path / "m.json"), "--time-limit", "5"], capsys
    )
    assert code == 0
    assert "Event [/bold] [red]" in stdout and "Room [/x]" in stdout
    assert "Hardware [bold]commons[/bold]" in stdout


@pytest.mark.parametrize(
    ("argv", "default"),
    [
        (["solve", "--help"], "solutions/<name>.json"),
        (["export", "csv", "--help"], "programme.csv"),
        (["export", "ics", "--help"], "exports/<instance"),
    ],
)
def test_help_shows_the_default_paths(argv, default, capsys, monkeypatch):
    # square brackets are rich markup: an unescaped "[default: ...]" vanished from the help
    monkeypatch.setenv("COLUMNS", "200")
    code, stdout, _ = run(argv, capsys)
    assert code == 0
    assert "[default: " in stdout
    assert default in stdout


def test_no_relaxation_still_solves_to_the_same_optimum(tmp_path, capsys):
    with_it, without = tmp_path / "a.json", tmp_path / "b.json"
    run(["solve", str(TINY), "-o", str(with_it), "--time-limit", "5", "-q"], capsys)
    code, _, _ = run(
        ["solve", str(TINY), "-o", str(without), "--time-limit", "5", "-q", "--no-relaxation"],
        capsys,
    )
    assert code == 0
    a, b = json.loads(with_it.read_text()), json.loads(without.read_text())
    assert a["status"] == b["status"] == "optimal"
    assert a["objective"] == b["objective"] == 3020


def test_deterministic_time_gives_the_same_file_when_stopped_by_work(tmp_path, capsys):
    """A 150-proposal rung stopped by work long before optimality: the same file twice."""
    path = ROOT / "instances" / "bench" / "bench-150-easy.yaml"
    texts = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        code, _, _ = run(
            ["solve", str(path), "-o", str(out), "--deterministic-time", "0.5", "--quiet"],
            capsys,
        )
        assert code == 0
        assert json.loads(out.read_text())["status"] == "feasible"
        texts.append(out.read_text())
    assert texts[0] == texts[1]


def test_the_relaxation_starts_before_or_tools_is_loaded():
    # `solve` forks the relaxation's process first and imports OR-Tools (0.75 s) while
    # HiGHS runs there; neither the command line nor the solve module loads it before
    code = (
        "import sys, scheduler.cli, scheduler.solve, scheduler.bound\n"
        "sys.exit(any(name.startswith('ortools') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=False).returncode == 0


def test_the_summary_of_a_large_schedule_is_a_line_per_day(tmp_path, capsys):
    # a table row per workshop made 1,300 lines at 2000 proposals
    path = ROOT / "instances" / "bench" / "bench-600-easy.yaml"
    out = tmp_path / "s.json"
    code, stdout, _ = run(["solve", str(path), "-o", str(out), "--time-limit", "1"], capsys)
    assert code == 0
    workshops = len(json.loads(out.read_text())["workshops"])
    days = [line for line in stdout.splitlines() if " workshops in " in line]
    assert sum(int(line.split(":")[1].split()[0]) for line in days) == workshops > 60
    assert "(* keynote)" not in stdout and "scheduler export csv" in stdout
    assert len(stdout.splitlines()) < 120
    # the bundled instance keeps its tables
    code, stdout, _ = run(["solve", str(BUNDLED), "-o", str(tmp_path / "b.json")], capsys)
    assert code == 0 and "(* keynote)" in stdout and " workshops in " not in stdout


def test_a_stop_that_comes_before_the_solve_begins_is_not_lost():
    # CP-SAT's stop_search does nothing before its solve has begun: a Ctrl-C at that
    # moment let the solve run on to its time limit
    import threading

    from scheduler.search import _Worker

    class Solver:
        """Like CP-SAT: a stop counts only once the solve has begun."""

        def __init__(self):
            self.running = threading.Event()
            self.stopped = threading.Event()

        def solve(self):
            time.sleep(0.2)  # (the solve's set-up: a stop now is lost)
            self.running.set()
            return "stopped" if self.stopped.wait(20) else "ran to its limit"

        def stop_search(self):
            if self.running.is_set():
                self.stopped.set()

    solver = Solver()
    result = {}
    worker = _Worker(lambda: result.update(status=solver.solve()), solver.stop_search, "t")
    worker.stop()  # at once: before the solve has begun
    assert result["status"] == "stopped"


def test_stopped_on_work_without_the_relaxation_the_same_file_and_no_wait(tmp_path, capsys):
    # the direct path's finder alone: the prover's end (and its schedule, when the finder
    # had not reached the optimum it proved) depended on the clock, and the search waited
    # for it to its time limit
    texts = []
    for name in ("a.json", "b.json"):
        out = tmp_path / name
        argv = ["solve", str(BUNDLED), "-o", str(out), "--no-relaxation", "--quiet"]
        code, _, _ = run([*argv, "--deterministic-time", "2", "--time-limit", "120"], capsys)
        assert code == 0
        texts.append(out.read_text())
    assert texts[0] == texts[1]
    solution = json.loads(texts[0])
    assert solution["status"] == "feasible"  # (stopped on work, not proven)


def test_piped_progress_prints_a_line_per_better_schedule_or_bound(monkeypatch):
    # piped (not a terminal), a line per change of what it shows: the finder's first
    # schedules, worse than the greedy one shown already, and bounds without a schedule
    # print nothing new
    import io

    from rich.console import Console

    import scheduler.cli as cli_module

    buffer = io.StringIO()
    monkeypatch.setattr(cli_module, "err", Console(file=buffer, width=100))
    report = cli_module._progress_printer()
    for elapsed, objective, bound in [
        (0.4, 1205, None),
        (4.8, None, 1020),
        (4.9, 2210, 1020),
        (5.0, 1900, 1020),
        (5.3, 1150, 1020),
        (5.4, 1150, 1020),
    ]:
        report(elapsed, objective, bound)
    lines = [line.split() for line in buffer.getvalue().splitlines()]
    assert [(line[2], line[4]) for line in lines] == [
        ("1205", "-"),
        ("1205", "1020"),
        ("1150", "1020"),
    ]


def test_the_summary_counts_one_in_the_singular(tmp_path, capsys):
    data = base_data()
    data["proposals"] = [proposal("k1")]
    path = write_yaml(tmp_path / "one.yaml", data)
    code, stdout, _ = run(["solve", str(path), "-o", str(tmp_path / "s.json")], capsys)
    assert code == 0
    assert "1 of 1 proposal placed in 1 workshop" in " ".join(stdout.split())


def _solving_to(monkeypatch, solution):
    """`solve` answering `solution` (a copy of it) whatever it is asked."""
    import scheduler.solve as solve_module

    def answer(instance, digest, options, **given):
        copy = solution.model_copy(deep=True)
        copy.instance_hash = digest
        return copy

    monkeypatch.setattr(solve_module, "solve", answer)


def test_solve_writes_the_validators_objective_where_the_solver_counted_another(
    tmp_path, capsys, monkeypatch
):
    # CP-SAT once reported 1845 for a schedule costing 1815 (docs/solver.md): the file
    # said 1845 and `validate` rejected it. The solve's own check now writes the count.
    from scheduler.solution import Status, load_solution

    published = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    miscounted = published.model_copy(update={"objective": 90, "bound": 90})
    _solving_to(monkeypatch, miscounted)
    out = tmp_path / "out.json"
    code, _, err = run(["solve", str(BUNDLED), "-o", str(out), "--quiet"], capsys)
    assert code == 0
    assert "the solver said 90, the validator counts 75: its count is written" in err
    written = json.loads(out.read_text())
    assert (written["objective"], written["bound"], written["status"]) == (75, 75, "optimal")
    assert run(["validate", str(BUNDLED), str(out)], capsys)[0] == 0
    # feasible, its bound reached by the count: written feasible, which `validate` refused
    feasible = {"objective": 105, "status": Status.FEASIBLE}
    _solving_to(monkeypatch, published.model_copy(update=feasible))
    code, _, err = run(["solve", str(BUNDLED), "-o", str(out), "--quiet"], capsys)
    assert code == 0, err
    written = json.loads(out.read_text())
    assert (written["objective"], written["bound"], written["status"]) == (75, 75, "optimal")
    assert run(["validate", str(BUNDLED), str(out)], capsys)[0] == 0


def test_solve_fails_on_a_schedule_that_breaks_a_hard_rule_and_keeps_it_for_the_report(
    tmp_path, capsys, monkeypatch
):
    from scheduler.solution import load_solution

    published = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    broken = published.model_copy(deep=True)
    first, second = broken.workshops[0], broken.workshops[1]
    first.items, second.items = second.items, first.items  # (talks out of their slots)
    _solving_to(monkeypatch, broken)
    out = tmp_path / "out.json"
    code, _, err = run(["solve", str(BUNDLED), "-o", str(out), "--quiet"], capsys)
    assert code == 1
    said = " ".join(err.split())
    assert "the schedule written breaks" in said and "a fault of the solver" in said
    assert f"scheduler validate {BUNDLED} {out}" in said
    assert out.exists()


def _renamed(value, names: dict[str, str]):
    """`value` (parsed YAML or JSON) with every string that is a key of `names` replaced."""
    if isinstance(value, dict):
        return {k: _renamed(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    return names.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_summary_lists_long_proposal_ids_whole_with_their_titles(monkeypatch, lang):
    # imported ids are slugs with a hash (p-community-run-gpu-3723ef): the summary's table
    # cut them to "p-community-run-gp…", then folded them mid-id over two or three lines
    # ("p-slop-open-source-" / "963da6*"), with no title to tell the talks apart in an
    # 80-column terminal. Now a line per workshop, then a line per proposal: its id
    # whole, its keynote mark and its title
    import io

    from rich.console import Console

    from scheduler import cli
    from scheduler.instance import load_instance, parse_instance
    from scheduler.solution import Solution, load_solution

    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    names = {
        p["id"]: f"p-{p['id']}-a-long-imported-slug-3f2a{p['id'][1:]}" for p in data["proposals"]
    }
    instance = parse_instance(_renamed(data, names))
    published = json.loads((ROOT / "solutions" / "commons-ai-2026.json").read_text())
    solution = Solution.model_validate(_renamed(published, names))
    monkeypatch.setattr(
        cli,
        "console",
        Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None),
    )
    cli.print_summary(instance, solution, lang)
    out = cli.console.file.getvalue()
    lines = out.splitlines()
    assert max(map(len, lines)) <= 80 and "…" not in out and "┃" not in out
    opening, closing = {"en": ("“", "”"), "fr": ("«\u00a0", "\u00a0»")}[lang]
    for workshop in solution.workshops:
        room = instance.room_by_id[workshop.room].name
        heading = f"  {workshop.start:%H:%M}\u2013{workshop.end:%H:%M}  {room} · "
        at = next(i for i, line in enumerate(lines) if line.startswith(heading))
        label = instance.theme_by_id[workshop.theme].label.get(lang)
        said = " ".join(" ".join(lines[at : at + 3]).split())
        assert " ".join(f"{label} [{workshop.language}]".split()) in said
        # its proposals after it, in order, each on a line of its own, the id whole
        listed = [line for line in lines[at + 1 :] if line.startswith("    p-")]
        for proposal_id, line in zip(workshop.proposals, listed, strict=False):
            proposal = instance.proposal_by_id[proposal_id]
            mark = "*" if proposal.is_keynote else ""
            assert line.startswith(f"    {proposal_id}{mark} {opening}"), line
        # and the titles read whole once the lines are put back together
        for proposal_id in workshop.proposals:
            title = instance.proposal_by_id[proposal_id].title
            assert " ".join(f"{opening}{title}{closing}".split()) in " ".join(out.split())
    # an instance of short ids keeps its table, ids sharing a line
    plain = load_solution(PUBLISHED)
    monkeypatch.setattr(
        cli,
        "console",
        Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None),
    )
    cli.print_summary(load_instance(BUNDLED), plain, lang)
    assert "┃" in cli.console.file.getvalue() and "p01*, p29" in cli.console.file.getvalue()


def test_export_grid_names_every_output_it_cannot_write(tmp_path, capsys):
    # the grid named only its HTML page, the PDF's problem left for the next try
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    html, pdf = blocker / "grid.html", tmp_path / "folder.pdf"
    pdf.mkdir()
    solution = ROOT / "solutions" / "commons-ai-2026.json"
    argv = ["export", "grid", str(BUNDLED), str(solution), "-o", str(html)]
    code, _, err = run([*argv, "--pdf", str(pdf)], capsys)
    message = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    assert "cannot write 2 of the outputs, so none was written" in message
    assert f"{html}: {blocker} is a file, not a folder" in message
    assert f"{pdf}: it is a folder" in message


def test_validate_says_the_hard_rules_hold_when_only_the_objective_differs(tmp_path, capsys):
    # a schedule edited by hand, every hard rule held, read "error: 1 violation"
    data = json.loads((ROOT / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8"))
    data["objective"] += 5
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(["validate", str(BUNDLED), str(edited)], capsys)
    said = " ".join((out + err).split())
    assert code == 1 and "satisfies every hard rule" in said
    assert (
        f"its objective is not its schedule's ({data['objective']} in the file, "
        f"{data['objective'] - 5} counted)"
    ) in said
    assert "violation" not in err


def test_validate_checks_the_penalties_the_file_lists(tmp_path, capsys):
    # `show` and `export` print a file's penalties: a cost changed by hand passed
    data = json.loads((ROOT / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8"))
    idle = next(p for p in data["penalties"] if p["rule"] == "idle-minutes")
    idle["cost"] += 5
    data["penalties"].append({"rule": "unscheduled", "cost": -5})
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(["validate", str(BUNDLED), str(edited)], capsys)
    said = " ".join((out + err).split())
    assert code == 1 and "satisfies every hard rule" in said
    assert "(unscheduled) costs -5: a cost is not below 0" in said
    total = sum(p["cost"] for p in data["penalties"] if p["rule"] == "idle-minutes")
    assert f"penalties add up to {total} for idle-minutes, recomputed {total - 5}" in said
    assert "what it says of its schedule is not so" in said
    assert "its objective is not" not in said  # (75 in the file, 75 counted)


def test_validate_asks_for_the_reference_once(tmp_path, capsys):
    # a re-solve's file checked without its --reference: the violation asks for it, and
    # the error asked again
    data = json.loads((ROOT / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8"))
    data["objective"] += 50
    data["penalties"].append({"rule": "moved", "cost": 50, "proposals": ["p02"]})
    resolved = tmp_path / "resolved.json"
    resolved.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(["validate", str(BUNDLED), str(resolved)], capsys)
    assert code == 1 and "give the same --reference" in " ".join(out.split())
    # (rich wraps the line: a path of some lengths put the break inside the words)
    assert "satisfies every hard rule" in " ".join(out.split()) and "--reference" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_an_instance_read_from_a_pipe_is_hashed_as_read(tmp_path, capsys):
    # `solve <(cat f)`: the file was read once to solve and once to hash, and the
    # second read of the pipe, empty, gave the hash of nothing
    import hashlib
    import threading

    pipe = tmp_path / "instance.yaml"
    os.mkfifo(pipe)
    data = TINY.read_bytes()

    done = threading.Event()

    def feed():
        with open(pipe, "wb") as handle:
            handle.write(data)
        while not done.is_set():  # any second read gets the end of the pipe at once
            with contextlib.suppress(OSError):  # (no reader)
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            time.sleep(0.01)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out = tmp_path / "solution.json"
    try:
        code, _, _ = run(["solve", str(pipe), "-o", str(out), "-q", "--time-limit", "5"], capsys)
    finally:
        done.set()
        writer.join(timeout=5)
    assert code == 0
    written = json.loads(out.read_text())["instance_hash"]
    assert written == "sha256:" + hashlib.sha256(data).hexdigest()


def test_the_summary_reads_in_french_with_the_same_file(tmp_path, capsys):
    # a French coordinator read the summary in English, with theme labels found nowhere
    # in her call; the file written is the same either way
    english, french = tmp_path / "en.json", tmp_path / "fr.json"
    # (stopped on work: by the clock, a loaded machine may end the two searches apart)
    work = ["--deterministic-time", "20"]
    code, stdout_en, _ = run(["solve", str(BUNDLED), "-o", str(english), *work], capsys)
    assert code == 0
    command = ["solve", str(BUNDLED), "-o", str(french), "--lang", "fr", *work]
    code, stdout_fr, _ = run(command, capsys)
    assert code == 0
    assert english.read_bytes() == french.read_bytes()
    said = " ".join(stdout_fr.split())
    assert "statut optimal, objectif 75, borne 75, écart 0,0 %, " in said
    head = said.split(" 36 sur 36")[0]  # (the first line: a decimal comma, a space before the unit)
    assert re.search(r"écart 0,0 %, \d+,\d\d s$", head), head
    assert "fictional speakers and proposals) : statut" in said
    assert "36 sur 36 propositions placées dans 12 ateliers" in said
    assert "mardi 1er décembre" in said and "Pénalités par règle" in said
    assert "Confiance" in said and "Trust" not in said  # the theme's French label
    assert "Penalties by rule" in " ".join(stdout_en.split())


def test_a_schedule_not_proven_optimal_says_so_in_french(capsys):
    # "statut réalisable" alone read as a calque of "feasible" to a French coordinator
    from scheduler.cli import print_summary
    from scheduler.instance import load_instance
    from scheduler.solution import Status, load_solution

    solution = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    feasible = solution.model_copy(update={"status": Status.FEASIBLE, "bound": 70})
    print_summary(load_instance(BUNDLED), feasible, lang="fr")
    said = " ".join(capsys.readouterr().out.split())
    assert ": statut réalisable, non prouvé optimal, objectif 75, borne 70, écart 6,7 %" in said


def test_unscheduled_reasons_read_in_french(tmp_path, capsys):
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    speaker = next(s for s in data["speakers"] if s["id"] == "s01")
    speaker["unavailable"] = [{"start": "2026-12-01T00:00:00", "end": "2026-12-04T00:00:00"}]
    path = tmp_path / "away.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, stdout, _ = run(
        ["solve", str(path), "-o", str(tmp_path / "x.json"), "--lang", "fr", "--time-limit", "5"],
        capsys,
    )
    said = " ".join(stdout.split())
    assert code == 1 and "aucun programme pour les 36 propositions" in said
    assert "Ne peut être placée comme demandé (1)" in said
    title = next(p["title"] for p in data["proposals"] if "s01" in p["speakers"])
    assert f"« {title} »" in said  # (repr's quotes changed with its apostrophes)
    assert "l'intervenant·e Claire Dumontet (s01) est indisponible" in said


def test_list_items_wrap_under_their_text_and_never_at_a_no_break_space(monkeypatch, capsys):
    # rich wrapped a reason back to the first column, and between « and a theme's label
    from rich.console import Console

    from scheduler import cli
    from scheduler.cli import _print_item

    # (an 80-column terminal: written to a file, they are not wrapped)
    terminal = Console(width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(cli, "console", terminal)

    label = "«\u00a0Politiques publiques et industrielles de l'IA\u00a0»"
    for shift in range(15):  # (the no-break spaces at each place a line may end)
        _print_item(f"  - p25 {'x' * shift} aucun créneau\u00a0: {label} " + "mot " * 40)
        lines = capsys.readouterr().out.rstrip("\n").split("\n")
        assert len(lines) > 2 and lines[0].startswith("  - p25")
        assert all(line.startswith("    ") and line[4] != " " for line in lines[1:])
        assert all(len(line) <= 80 for line in lines)
        text = "\n".join(lines)  # (not cut at a no-break space)
        assert "«\u00a0Politiques" in text and "l'IA\u00a0»" in text and "créneau\u00a0:" in text


def test_a_ctrl_c_as_a_search_thread_starts_stops_it(monkeypatch):
    # a Ctrl-C after the solve's thread started and before the caller held its worker
    # raised KeyboardInterrupt with the solve still running, to its time limit
    import os
    import signal
    import threading

    from scheduler.search import _started

    begun, stopped = threading.Event(), threading.Event()
    start = threading.Thread.start

    def start_then_interrupted(thread):
        start(thread)
        begun.wait(5)
        os.kill(os.getpid(), signal.SIGINT)  # (taken at the next bytecode, in this thread)

    monkeypatch.setattr(threading.Thread, "start", start_then_interrupted)
    # (a shell's background job starts with Ctrl-C ignored: Python's handler, as at a prompt)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)

    def work():
        begun.set()
        stopped.wait(20)

    try:
        with pytest.raises(KeyboardInterrupt):
            _started(work, stopped.set, "t")
        assert stopped.is_set()  # the work was stopped before the interrupt went on
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_slot_written_at_another_offset_than_its_zones_gets_a_note(tmp_path, capsys):
    # `+02:00` in December (Paris is at +01:00): read an hour early without a word
    data = base_data()
    data["proposals"] = [proposal("k1")]  # (solve refuses an instance with none)
    data["slots"][0]["start"] = "2026-12-01T09:00:00+02:00"
    data["slots"][0]["end"] = "2026-12-01T10:30:00+02:00"
    path = write_yaml(tmp_path / "offset.yaml", data)
    slot = data["slots"][0]["id"]
    note = (
        f"note: 1 slot is written at a UTC offset that is not Europe/Paris's on its day, and "
        f"is read as written: {slot} (from 09:00+02:00 to 10:30+02:00, that is 08:00–09:30 "
        "there); a time written without an offset is read in Europe/Paris: drop the offset "
        "to keep the time typed"
    )
    for argv in (["solve", str(path), "-o", str(tmp_path / "out.json")], ["explain", str(path)]):
        code, _, stderr = run([*argv, "--time-limit", "5"], capsys)
        assert code in (0, 1) and note in " ".join(stderr.split()), argv
    # its end alone: the slot an hour shorter, said "too short" and no more
    data["slots"][0]["start"] = "2026-12-01T09:00:00"
    path = write_yaml(tmp_path / "offset.yaml", data)
    code, _, stderr = run(["explain", str(path), "--time-limit", "5"], capsys)
    said = f"{slot} (from 09:00+01:00 to 10:30+02:00, that is 09:00–09:30 there)"
    assert said in " ".join(stderr.split())
    # at the zone's own offset, or without one: nothing to say
    data["slots"][0]["start"] = "2026-12-01T09:00:00+01:00"
    data["slots"][0]["end"] = "2026-12-01T10:30:00+01:00"
    path = write_yaml(tmp_path / "offset.yaml", data)
    code, _, stderr = run(["explain", str(path), "--time-limit", "5"], capsys)
    assert "offset" not in stderr


def test_french_console_words_follow_french_typography():
    # "  mar. 1er déc. : 4 ateliers" had a plain space before its colon, which a console
    # may wrap at
    from scheduler.cli import EXPLAIN_WORDS, SUMMARY_WORDS
    from scheduler.diff import PHRASES

    for words in (SUMMARY_WORDS["fr"], EXPLAIN_WORDS["fr"], PHRASES["fr"]):
        for key, text in words.items():
            assert not re.search(r" [:;!?»]|« ", text), (key, text)


def test_the_french_summary_words_mixed_workshops_and_what_each_rule_counts(tmp_path, capsys):
    # `solve --lang fr` wrote a mixed workshop's language "mixed", and the penalties by
    # their ids alone (`idle-minutes`), which a French coordinator reads as English
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["rules"] = {**data.get("rules", {}), "mixed_language": True}
    path = write_yaml(tmp_path / "mixed.yaml", data)
    argv = ["solve", str(path), "-o", str(tmp_path / "x.json"), "--time-limit", "5"]
    code, french, _ = run([*argv, "--lang", "fr"], capsys)
    assert code == 0
    solution = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert any(w["language"] == "mixed" for w in solution["workshops"])
    assert "mixte" in french and "mixed" not in french
    assert "  idle-minutes" in french and "minutes inoccupées (" in french
    code, english, _ = run(argv, capsys)
    assert code == 0 and "mixed" in english and "minutes inoccupées" not in english


@pytest.mark.parametrize("command", [["solve"], ["import"], ["export", "grid"], []])
def test_help_names_what_each_option_takes(command, capsys, monkeypatch):
    # Typer 0.29 wrote `<bool>` beside every flag (--help too), `<float>` and
    # `<list[str]>` beside values: programmer's words on a coordinator's screen
    monkeypatch.setenv("COLUMNS", "160")
    code, out, _ = run([*command, "--help"], capsys)
    assert code == 0
    options = [line for line in out.splitlines() if re.match(r"│ +(\* +)?--", line)]
    assert options, out
    for line in options:
        assert not re.search(r"<(bool|float|int|str|list|path)", line), line
    if command == ["solve"]:
        flat = " ".join(out.split())
        assert "--time-limit SECONDS" in flat and "--pin PROPOSAL=SLOT" in flat


@pytest.mark.parametrize("lang", [None, "en", "fr"])
def test_export_all_says_what_it_wrote_in_the_language_asked(lang, tmp_path, capsys):
    # `export all --lang fr` wrote French files and said so in English; without --lang
    # the labels are French and the messages English, as scripts read them
    solution = PUBLISHED
    argv = ["export", "all", str(BUNDLED), str(solution), "-o", str(tmp_path / "out")]
    code, out, err = run([*argv, "--lang", lang] if lang else argv, capsys)
    assert code == 0, err
    lines = out.splitlines()
    out_dir = tmp_path / "out"
    calendars = sum(1 for _ in out_dir.glob("*/*.ics"))
    if lang == "fr":
        assert lines[0] == f"écrit\u00a0: {out_dir / 'programme.ics'} (12 événements)"
        assert lines[1] == (
            f"écrit\u00a0: {out_dir / 'grid.html'} (3 jours, une page par jour, en français, "
            "A4 paysage)"
        )
        assert lines[3] == (
            f"écrit\u00a0: {out_dir / 'unscheduled.html'} (aucune proposition non programmée, "
            "en français)"
        )
        assert lines[5] == f"écrit\u00a0: {out_dir / 'programme.csv'} (72 lignes)"
        assert re.fullmatch(
            f"écrit\u00a0: {calendars} autres calendriers dans {re.escape(str(out_dir))} "
            r"\(speakers/, rooms/, themes/\)\u00a0; \d+ fichiers en \d+,\d\u00a0s",
            lines[-1],
        ), lines[-1]
    else:
        assert lines[0] == f"wrote {out_dir / 'programme.ics'} (12 events)"
        assert (
            lines[1] == f"wrote {out_dir / 'grid.html'} (3 day pages, {lang or 'fr'}, A4 landscape)"
        )
        assert lines[3] == (
            f"wrote {out_dir / 'unscheduled.html'} (no proposal left unscheduled, {lang or 'fr'})"
        )
        assert lines[5] == f"wrote {out_dir / 'programme.csv'} (72 rows)"
        assert re.fullmatch(
            f"wrote {calendars} more calendars in {re.escape(str(out_dir))} "
            r"\(speakers/, rooms/, themes/\); \d+ files in \d+\.\ds",
            lines[-1],
        ), lines[-1]
    assert len(lines) == 8 and not err


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_large_export_says_what_it_is_doing_unless_quiet(lang, tmp_path, capsys, monkeypatch):
    # SCL-4: `export all` at 2000 proposals printed nothing for 1.5 min, then every
    # "wrote" line at once: piped, each slow step now has its line on stderr (from a size
    # made small here), and --quiet leaves them out
    import scheduler.commands.export as export_module

    monkeypatch.setattr(export_module, "SLOW_PAGES", 1)
    monkeypatch.setattr(export_module, "SLOW_FILES", 1)
    solution = PUBLISHED
    argv = ["export", "all", str(BUNDLED), str(solution), "--lang", lang]
    code, out, err = run([*argv, "-o", str(tmp_path / "said")], capsys)
    assert code == 0, err
    grid = tmp_path / "said" / "grid.pdf"
    files = 7 + sum(1 for _ in (tmp_path / "said").glob("*/*.ics"))
    # (no line for unscheduled.pdf: none is unscheduled, a list of no page)
    if lang == "fr":
        expected = [
            "préparation des calendriers\u00a0: programme.ics et un par intervenant·e, salle "
            "et thème…",
            f"mise en page de {grid}\u00a0: 3 jours sur 3 pages…",
            f"écriture de {files} fichiers…",
        ]
    else:
        expected = [
            "making the calendars: programme.ics and one per speaker, room and theme…",
            f"laying out {grid}: 3 days on 3 pages…",
            f"writing {files} files…",
        ]
    assert err.splitlines() == expected, err
    code, out, err = run([*argv, "-o", str(tmp_path / "quiet"), "--quiet"], capsys)
    assert code == 0 and err == "" and len(out.splitlines()) == 8
    # below those sizes, piped, an export says nothing while it works (as before)
    monkeypatch.undo()
    code, _, err = run(["export", "grid", str(BUNDLED), str(solution)] + ["-o", str(grid)], capsys)
    assert code == 0 and err == ""


def test_in_a_terminal_the_grids_pdf_is_laid_out_under_a_status_line(tmp_path, capsys, monkeypatch):
    # SCL-4: in a terminal the step's line is shown whatever its size, and goes when it
    # ends (as solve's progress line is rewritten in place); --quiet shows none
    import io

    from rich.console import Console

    import scheduler.commands.export as export_module

    solution = PUBLISHED
    argv = ["export", "grid", str(BUNDLED), str(solution), "-o", str(tmp_path / "g.pdf")]
    for quiet in (False, True):
        terminal = Console(file=io.StringIO(), width=300, force_terminal=True, color_system=None)
        monkeypatch.setattr(export_module, "err", terminal)
        code, _, err = run([*argv, "--quiet"] if quiet else argv, capsys)
        assert code == 0, err
        shown = terminal.file.getvalue()
        assert (f"laying out {tmp_path / 'g.pdf'}: 3 days on 3 pages…" in shown) != quiet, shown


def test_export_says_one_more_calendar_in_the_singular():
    # "wrote 1 more calendars"
    from scheduler.commands.export import _more_calendars

    out = Path("exports/x")
    assert _more_calendars(1, out, "en") == (
        f"wrote 1 more calendar in {out} (speakers/, rooms/, themes/)"
    )
    assert _more_calendars(1, out, "fr") == (
        f"écrit\u00a0: 1 autre calendrier dans {out} (speakers/, rooms/, themes/)"
    )
    assert _more_calendars(2, out, "fr").startswith("écrit\u00a0: 2 autres calendriers dans ")


def test_the_summary_lists_keynotes_then_published_proposals_first(tmp_path, capsys):
    # the ten shown were the instance's first ten: the only keynote left out, the 11th,
    # was behind "and 1 more"
    from scheduler import cli
    from scheduler.exports.common import by_importance
    from scheduler.exports.grid import render_html
    from scheduler.instance import load_instance
    from scheduler.solution import Unscheduled, load_solution

    data = base_data()
    for slot in data["slots"]:
        slot["theme"] = "open"
    data["proposals"] = [
        proposal(f"i{i}", fmt="initiative", themes=["data"], speakers=[f"sp{i % 8 + 1}"])
        for i in range(11)
    ] + [proposal("k11", themes=["data"], speakers=["sp8"])]
    # (and one placed: a schedule that places none is no schedule)
    data["proposals"].append(proposal("open", speakers=["sp1"]))
    path = write_yaml(tmp_path / "closed.yaml", data)
    code, stdout, _ = run(["solve", str(path), "-o", str(tmp_path / "o.json")], capsys)
    listed = re.findall(r"^  ([ik]\d+)", stdout, re.M)
    assert code == 0 and listed == ["k11", *(f"i{i}" for i in range(9))], stdout
    assert "  k11 (keynote) “Title of k11”" in stdout
    # with a reference, those it placed next: they were published
    instance = load_instance(BUNDLED)
    bundled = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    initiatives = [p.id for p in instance.proposals if not p.is_keynote]
    first = initiatives[0]  # (not in the published programme below)
    published = bundled.model_copy(
        update={"workshops": [w for w in bundled.workshops if first not in w.proposals]}
    )
    last = next(p for p in reversed(initiatives) if p in published.workshop_of())
    keynote = next(p.id for p in reversed(instance.proposals) if p.is_keynote)
    solution = bundled.model_copy(
        update={
            "unscheduled": [Unscheduled(proposal=p, reasons=["x"]) for p in (first, last, keynote)]
        }
    )
    ids = [entry.proposal for entry in solution.unscheduled]
    assert by_importance(instance, ids, published) == [keynote, last, first]
    assert by_importance(instance, ids) == [keynote, first, last]
    # the grid's list in the summary's order, one function (there were two, which
    # nothing kept alike): the three out of their workshops, the summary and the grid
    out = {first, last, keynote}
    workshops = [
        w.model_copy(update={"items": [i for i in w.items if i.proposal not in out]})
        for w in bundled.workshops
    ]
    solution = solution.model_copy(update={"workshops": workshops})
    for reference in (published, None):
        cli.print_summary(instance, solution, "en", reference)
        summary = re.findall(r"^  (\S+) (?:\([a-z, ]+\) )?“", capsys.readouterr().out, re.M)
        html = render_html(instance, solution, lang="en", reference=reference, unscheduled=True)
        listed = html[html.index('<section class="page unscheduled"') :]
        grid = re.findall(r"<tr(?: class=\"whole\")?>\n<td><cite[^(]*\((\S+)\)", listed)
        assert summary == grid == by_importance(instance, ids, reference), (summary, grid)


def test_the_summary_written_to_a_file_is_not_wrapped(monkeypatch):
    # redirected, rich wrapped it at 80 columns: a title's end and the summary's gap at
    # the first column ("n°101'"), read as entries of their own
    import io

    from rich.console import Console

    from scheduler import cli
    from scheduler import reasons as catalog
    from scheduler.instance import load_instance
    from scheduler.solution import Unscheduled, load_solution

    instance = load_instance(BUNDLED)
    instance.event.title = "Communs & IA 2026 — grand format, à la Défense, trois jours"
    published = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    dropped = published.workshops[0]
    proposal = instance.proposal_by_id[dropped.proposals[-1]]
    proposal.title = "Initiative 101 : données et communs, retour d'expérience n°101 " * 2
    absent = catalog.UNAVAILABLE.format(name="Ada L", speaker="ada", span="all day Thu 3 Dec")
    reason = catalog.AT_SLOTS.format(
        why=absent, slots=catalog.slots_named([s.id for s in instance.slots], 10)
    )
    solution = published.model_copy(
        update={
            "workshops": published.workshops[1:],
            "unscheduled": [Unscheduled(proposal=p, reasons=[reason]) for p in dropped.proposals],
        }
    )
    monkeypatch.setattr(cli, "console", Console(file=io.StringIO()))
    cli.plain_when_redirected()
    cli.print_summary(instance, solution, "en")
    lines = cli.console.file.getvalue().splitlines()
    assert lines[0].startswith(instance.event.title) and lines[0].endswith("s"), lines[0]
    assert f"  {proposal.id} “{proposal.title}”" in lines
    assert f"    {len(instance.slots)} slots: {len(instance.slots)} speaker absent" in lines
    # in a terminal, still wrapped to its width
    monkeypatch.setattr(
        cli,
        "console",
        Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None),
    )
    cli.plain_when_redirected()
    cli.print_summary(instance, solution, "en")
    assert max(map(len, cli.console.file.getvalue().splitlines())) <= 80


def test_help_in_80_columns_keeps_every_option_whole(capsys, monkeypatch):
    # rich's panels gave solve's help a column of 13 characters, cut the option the docs
    # recommend for reproducibility to "--deterministic-…" and printed the -o default's
    # end twice ("solutions/<name>…"): below 100 columns, click's plain list
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["solve", "--help"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert max(map(len, lines)) <= 80 and "…" not in out and "│" not in out
    assert any(line.startswith("  --deterministic-time UNITS  ") for line in lines), out
    flat = " ".join(out.split())
    assert flat.count("[default: solutions/<name>.json]") == 1 and "\\[" not in out
    assert "--relaxation / --no-relaxation" in flat and "-q, --quiet" in flat
    # the commands' list gives each its first paragraph, not "… write the..."
    code, out, _ = run(["--help"], capsys)
    assert (
        "write the solution file." in " ".join(out.split())
        and "..." not in out.split("Commands:")[1]
    )
    # a wider terminal keeps the panels
    monkeypatch.setenv("COLUMNS", "160")
    code, out, _ = run(["solve", "--help"], capsys)
    assert code == 0 and "│ --deterministic-time" in out


def test_the_solve_summary_writes_days_and_times_as_every_other_output(monkeypatch):
    # the table's days read 'Tue 01 Dec' and its times '10:00-11:30' where the reasons,
    # the calendars, diff and the validator write 'Tue 1 Dec' and '10:00–11:30'
    import io

    from rich.console import Console

    from scheduler import cli
    from scheduler.instance import load_instance
    from scheduler.solution import load_solution

    plain = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    monkeypatch.setattr(
        cli,
        "console",
        Console(file=io.StringIO(), width=120, force_terminal=True, color_system=None),
    )
    cli.print_summary(load_instance(BUNDLED), plain, "en")
    out = cli.console.file.getvalue()
    assert "Tue 1 Dec" in out and "Tue 01 Dec" not in out
    assert "10:00\u201311:30" in out and "10:00-11:30" not in out


def test_piped_progress_prints_the_line_again_after_a_silent_stretch(monkeypatch):
    # a 278-proposal re-solve printed nothing from 0.9 s to 24.6 s and looked stuck: the
    # block search calls the progress while it solves (`scheduler.search`'s tick), and
    # piped, the line is printed again every `HEARTBEAT_SECONDS` without news
    import io

    from rich.console import Console

    import scheduler.cli as cli_module

    buffer = io.StringIO()
    monkeypatch.setattr(cli_module, "err", Console(file=buffer, width=100))
    report = cli_module._progress_printer()
    for elapsed in [0.9, 1.1, 3.0, 5.8, 6.0, 9.0, 11.0, 12.5]:
        report(elapsed, 14975, 12555)
    lines = [line.split() for line in buffer.getvalue().splitlines()]
    assert [line[0] for line in lines] == ["0.9s", "6.0s", "11.0s"]
    assert {(line[2], line[4]) for line in lines} == {("14975", "12555")}


def test_the_summary_marks_unscheduled_proposals_the_published_programme_placed(monkeypatch):
    # a re-solve dropping a published talk listed it first, but as any other: its
    # speakers had been told, and it is what a coordinator checks first (BIG-6)
    import io

    from rich.console import Console

    from scheduler import cli
    from scheduler.instance import load_instance
    from scheduler.solution import Unscheduled, load_solution

    instance = load_instance(BUNDLED)
    published = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    keynote, initiative = "p01", "p29"  # (both in the published programme)
    out = {keynote, initiative}
    solution = published.model_copy(
        update={
            "workshops": [
                w.model_copy(update={"items": [i for i in w.items if i.proposal not in out]})
                for w in published.workshops
            ],
            "unscheduled": [Unscheduled(proposal=p, reasons=["x"]) for p in (keynote, initiative)],
        }
    )
    for lang, marks in {
        "en": ("(keynote, published)", "(published)"),
        "fr": ("(keynote, publiée)", "(publiée)"),
    }.items():
        console = Console(file=io.StringIO(), width=200, force_terminal=True, color_system=None)
        monkeypatch.setattr(cli, "console", console)
        cli.print_summary(instance, solution, lang, published)
        said = console.file.getvalue()
        assert f"  {keynote} {marks[0]} " in said and f"  {initiative} {marks[1]} " in said
        # without a reference, nothing was published
        console.file = io.StringIO()
        cli.print_summary(instance, solution, lang)
        said = console.file.getvalue()
        assert f"  {keynote} (keynote) " in said and f"  {initiative} “" in said.replace("«", "“")


LONG_LABEL = "Licensing and governance of shared public datasets across Europe"


def _long_theme_instance(tmp_path: Path) -> Path:
    """Two parallel workshops, one under a theme whose English label is long."""
    data = base_data()
    data["themes"][0]["label"]["en"] = LONG_LABEL
    data["proposals"] = [
        proposal("k1", lang="en"),
        proposal("k2", lang="en", speakers=["sp2"], themes=["data"]),
    ]
    return write_yaml(tmp_path / "long.yaml", data)


def test_a_piped_summary_keeps_each_workshop_on_one_line(tmp_path, monkeypatch):
    # redirected, a table of 80 columns (rich's default, or COLUMNS) split the theme
    # "Licensing and / governance" over two lines: `grep governance` found the second,
    # without its time and room (the docs say a line per item)
    path = _long_theme_instance(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "solve", str(path), "-o", str(tmp_path / "s.json")]
        + ["--workers", "1", "--time-limit", "5"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    [row] = [line for line in result.stdout.splitlines() if "governance" in line]
    assert "09:00\u201310:30" in row and "Room " in row and LONG_LABEL in row, result.stdout
    assert max(map(len, result.stdout.splitlines())) > 80


def test_the_summary_in_a_terminal_still_fits_its_width(tmp_path, capsys, monkeypatch):
    import io

    from rich.console import Console

    from scheduler import cli
    from scheduler.instance import load_instance
    from scheduler.solution import load_solution

    path = _long_theme_instance(tmp_path)
    out = tmp_path / "s.json"
    assert run(["solve", str(path), "-o", str(out), "-q", "--workers", "1"], capsys)[0] == 0
    terminal = Console(file=io.StringIO(), width=80, force_terminal=True, color_system=None)
    monkeypatch.setattr(cli, "console", terminal)
    cli.plain_when_redirected()
    cli.print_summary(load_instance(path), load_solution(out), "en")
    lines = terminal.file.getvalue().splitlines()
    assert max(map(len, lines)) <= 80 and not any(LONG_LABEL in line for line in lines)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_schedule_placing_no_proposal_is_no_schedule(lang, tmp_path, capsys):
    # proposals without themes (docs/format.md: "loads, but cannot be placed") gave
    # "status optimal ... 0 of 2 placed", exit 0, and `solve && export` then published
    # empty calendars
    data = base_data()
    data["proposals"] = [proposal("k1"), proposal("k2", speakers=["sp2"])]
    for entry in data["proposals"]:
        entry["themes"] = []
    path = write_yaml(tmp_path / "themeless.yaml", data)
    out = tmp_path / "out.json"
    out.write_text("old")
    argv = ["solve", str(path), "-o", str(out), "--time-limit", "5", "--lang", lang]
    code, stdout, stderr = run(argv, capsys)
    assert code == 1
    flat = " ".join(stderr.split())
    assert (
        "error: no proposal could be placed (for both, no theme assigned to the proposal); "
        f"nothing written. Run `scheduler explain {path}" in flat
    )
    said = {
        "en": "No proposal could be placed: for both, no theme assigned to the proposal",
        "fr": "Aucune proposition n'a pu être placée\u00a0: pour les deux, aucun thème n'est "
        "attribué à la proposition",
    }[lang]
    assert said in stdout.splitlines()
    # (the gists' pointer named a solution file that is not written)
    assert "solution file" not in stdout and "fichier de solution" not in stdout
    assert out.read_text() == "old"


def test_no_proposal_placed_names_the_cause_most_of_them_give(tmp_path, capsys):
    data = base_data()
    for speaker in data["speakers"][:2]:
        speaker["unavailable"] = [{"start": "2026-12-01T08:00:00", "end": "2026-12-01T12:00:00"}]
    data["proposals"] = [proposal("k1"), proposal("k2", speakers=["sp2"]), proposal("k3")]
    data["proposals"][2]["themes"] = []
    path = write_yaml(tmp_path / "away.yaml", data)
    code, stdout, stderr = run(["solve", str(path), "-o", str(tmp_path / "s.json"), "-q"], capsys)
    assert code == 1 and not stdout and not (tmp_path / "s.json").exists()
    assert (
        "no proposal could be placed (for 2 of the 3, slots ruled out chiefly as: speaker "
        "absent); nothing written" in " ".join(stderr.split())
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_export_warns_of_a_solution_placing_no_proposal(lang, tmp_path, capsys):
    # a solution with no workshop (an older solve's, or one made otherwise) was exported
    # to calendars of no event and a grid of empty days without a word, exit 0
    from scheduler.instance import instance_hash, load_instance
    from scheduler.solve import solve as run_solver

    data = base_data()
    data["proposals"] = [proposal("k1"), proposal("k2", speakers=["sp2"])]
    for entry in data["proposals"]:
        entry["themes"] = []
    path = write_yaml(tmp_path / "themeless.yaml", data)
    empty = run_solver(load_instance(path), instance_hash(path), FAST)
    assert not empty.workshops and len(empty.unscheduled) == 2
    empty.write(tmp_path / "empty.json")
    argv = ["export", "csv", str(path), str(tmp_path / "empty.json"), "--lang", lang]
    code, _, stderr = run([*argv, "-o", str(tmp_path / "p.csv")], capsys)
    assert code == 0 and (tmp_path / "p.csv").exists()
    assert {
        "en": f"warning: {tmp_path / 'empty.json'} places no proposal (2 left out): what is "
        f"exported is empty; `scheduler explain {path}` says why",
        "fr": f"avertissement\u00a0: {tmp_path / 'empty.json'} ne place aucune proposition (2 "
        "non programmées)\u00a0: ce qui est exporté est vide\u00a0; `scheduler explain "
        f"{path} --lang fr` dit pourquoi",
    }[lang] in stderr, stderr
    # a programme with workshops: no such word
    bundled = ROOT / "solutions" / "commons-ai-2026.json"
    argv = ["export", "csv", str(BUNDLED), str(bundled), "-o", str(tmp_path / "b.csv")]
    code, _, stderr = run(argv, capsys)
    assert code == 0 and "places no proposal" not in stderr


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_one_language_event_is_told_parallel_language_cannot_be_avoided(lang, tmp_path, capsys):
    # an all-English event paid parallel-language on every two parallel workshops (25 of
    # an objective of 30), a cost nothing could change, and nothing said how to drop it
    path = _long_theme_instance(tmp_path)  # (two English workshops side by side)
    argv = ["solve", str(path), "-o", str(tmp_path / "s.json"), "--time-limit", "5"]
    code, stdout, stderr = run([*argv, "--lang", lang], capsys)
    assert code == 0 and re.search(r"^  parallel-language +5 ", stdout, re.M), stdout
    assert {
        "en": "note: every proposal is in English: parallel-language's 5 cannot be avoided "
        "(two workshops at the same time always share the language); set "
        "rules.weights.parallel-language: 0 to leave it out",
        "fr": "note\u00a0: toutes les propositions sont en anglais\u00a0: les 5 de "
        "parallel-language ne peuvent être évités (deux ateliers en même temps partagent "
        "toujours la langue)\u00a0; mettez rules.weights.parallel-language: 0 pour ne plus "
        "les compter",
    }[lang] in stderr.splitlines(), stderr
    # with the weight at 0, or two languages, nothing to say
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"] = {"weights": {"parallel-language": 0}}
    code, stdout, stderr = run(["solve", str(write_yaml(path, data)), *argv[2:]], capsys)
    assert code == 0 and "parallel-language" not in stdout + stderr
    del data["rules"]
    data["proposals"][1]["language"] = "fr"
    code, _, stderr = run(["solve", str(write_yaml(path, data)), *argv[2:]], capsys)
    assert code == 0 and "parallel-language" not in stderr


def _scheduler(argv: list[str], env: dict[str, str], stdout=subprocess.PIPE):
    """`python -m scheduler ARGV` from the repository, with `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *argv],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )


def test_a_terminal_that_cannot_show_a_mark_gets_it_escaped_not_a_traceback():
    # on an ASCII or Latin-1 terminal the "✓" of a valid solution was a UnicodeEncodeError
    # traceback and exit 1, the code of an invalid one: a CI gate rejected the schedule
    solution = ROOT / "solutions" / "commons-ai-2026.json"
    result = _scheduler(["validate", str(BUNDLED), str(solution)], {"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    assert "\\u2713 " in result.stdout and "satisfies every hard rule" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("forced", [{"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "1"}])
def test_forced_colours_keep_the_layout_of_a_file(forced, tmp_path):
    # FORCE_COLOR, which CI jobs set, made rich take a pipe for a terminal: the progress
    # rewritten with "\r" (one line in the log) and the summary wrapped to the width
    argv = ["solve", str(TINY), "-o", str(tmp_path / "s.json"), "--workers", "1"]
    result = _scheduler([*argv, "--time-limit", "5"], {**forced, "COLUMNS": "40"})
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and re.search(r"^ +\d+\.\ds +best ", result.stderr, re.M)
    first = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout.splitlines()[0])
    assert first.startswith("Tiny test event: status optimal") and len(first) > 40, first
    assert "\x1b[" in result.stdout  # (the colours asked for)


def test_a_reader_that_left_ends_the_command_with_141_not_1():
    # `diff A A --exit-code | true`: click's exit 1 on a broken pipe said "changed" for
    # two identical solutions (and failed a `set -o pipefail` step with no word)
    solution = str(ROOT / "solutions" / "commons-ai-2026.json")
    reading, writing = os.pipe()
    os.close(reading)  # (the reader left before the first line)
    try:
        result = _scheduler(["diff", solution, solution, "--exit-code"], {}, stdout=writing)
    finally:
        os.close(writing)
    # quietly: no word of the pipe
    assert result.returncode == 141 and result.stderr == "", result.stderr
