"""An event that is not Commons AI: its language (`event.language`, else its proposals'),
the exports' labels and `diff --lang auto` in it; theme labels in one language; the
call's limits as rules; the fixes hand-edit mistakes are told with; the timezone
assumed when the file gives none."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, FAST, base_data, build, proposal, write_yaml

from scheduler.cli import main
from scheduler.instance import Language, load_instance
from scheduler.solution import load_solution
from scheduler.solve import solve


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in argv])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def english_data() -> dict:
    """Two English keynotes and an initiative, on one theme."""
    data = base_data()
    data["proposals"] = [
        proposal("k1", lang="en", speakers=["sp1"]),
        proposal("k2", lang="en", speakers=["sp2"]),
        proposal("i1", "initiative", lang="en", speakers=["sp3"]),
    ]
    return data


def solved(tmp_path: Path, data: dict, name: str = "event") -> tuple[Path, Path]:
    """The instance written as a file, and its solution."""
    path = write_yaml(tmp_path / f"{name}.yaml", data)
    instance = load_instance(path)
    solution = solve(instance, instance.source_hash, FAST)
    assert solution.has_schedule
    return path, solution.write(tmp_path / f"{name}.json")


@pytest.mark.parametrize(
    ("languages", "given", "expected"),
    [
        (["en", "en"], None, "en"),  # every proposal in English: the event's language
        (["fr", "fr"], None, "fr"),
        (["fr", "en"], None, "fr"),  # they mix: French, as the call's
        ([], None, "fr"),  # no proposal yet
        (["en", "en"], "fr", "fr"),  # the event says so
        (["fr", "en"], "en", "en"),
    ],
)
def test_the_events_language_is_given_else_its_proposals_else_french(languages, given, expected):
    data = base_data()
    data["proposals"] = [proposal(f"k{i}", lang=lang) for i, lang in enumerate(languages)]
    if given is not None:
        data["event"]["language"] = given
    assert build(data).language is Language(expected)


def test_the_bundled_instance_is_french():
    assert load_instance(BUNDLED).language is Language.FR
    assert load_instance(BUNDLED).event.language is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("de", "field 'language': write 'fr' or 'en' (got 'de'): the only languages"),
        ("English", "field 'language': write 'en' (got 'English')"),
        ("EN", "field 'language': write 'en' (got 'EN')"),
    ],
)
def test_an_events_language_other_than_fr_or_en_is_bad_input_saying_what_to_write(
    tmp_path, capsys, value, message
):
    data = english_data()
    data["event"]["language"] = value
    path = write_yaml(tmp_path / "event.yaml", data)
    code, _, err = run(["explain", path], capsys)
    assert code == 2 and "Traceback" not in err
    assert f"error: {path}, event, {message}" in " ".join(err.split())


def test_the_schema_gives_the_events_language():
    from scheduler.instance import Instance

    event = Instance.model_json_schema()["$defs"]["Event"]["properties"]["language"]
    assert {"$ref": "#/$defs/Language"} in event["anyOf"] and "language" in event["description"]


def _exported(tmp_path, capsys, instance: Path, solution: Path, *lang: str) -> Path:
    out = tmp_path / ("out-" + "-".join(lang or ("default",)))
    code, _, err = run(["export", "all", instance, solution, "-o", out, *lang], capsys)
    assert code == 0, err
    return out


def _labels(out: Path) -> dict[str, str]:
    """The language each export's labels are in, read from the files."""
    header = (out / "programme.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    grid = (out / "grid.html").read_text(encoding="utf-8")
    calendar = (out / "programme.ics").read_text(encoding="utf-8")
    return {
        "csv": "fr" if header.startswith("jour,début") else "en",
        "grid": "fr" if '<html lang="fr"' in grid else "en",
        "ics": "fr" if "CATEGORIES;LANGUAGE=fr:" in calendar else "en",
    }


def test_an_english_events_exports_are_labelled_in_english_by_default(tmp_path, capsys):
    # every proposal in English: the calendars, the grid and the tables were labelled in
    # French unless each export command said --lang en
    instance, solution = solved(tmp_path, english_data())
    default = _exported(tmp_path, capsys, instance, solution)
    assert _labels(default) == {"csv": "en", "grid": "en", "ics": "en"}
    asked = _exported(tmp_path, capsys, instance, solution, "--lang", "en")
    for name in ("programme.csv", "grid.html", "programme.ics"):
        assert (default / name).read_bytes() == (asked / name).read_bytes()
    french = _exported(tmp_path, capsys, instance, solution, "--lang", "fr")
    assert _labels(french) == {"csv": "fr", "grid": "fr", "ics": "fr"}


def test_the_events_language_sets_the_exports_default(tmp_path, capsys):
    data = english_data()
    data["event"]["language"] = "fr"
    instance, solution = solved(tmp_path, data)
    assert _labels(_exported(tmp_path, capsys, instance, solution)) == {
        "csv": "fr",
        "grid": "fr",
        "ics": "fr",
    }


@pytest.mark.parametrize("kind", ["csv", "xlsx", "grid", "ics"])
def test_each_export_command_takes_the_events_language(tmp_path, capsys, kind):
    instance, solution = solved(tmp_path, english_data())
    out = tmp_path / ("out" if kind == "ics" else f"out.{'html' if kind == 'grid' else kind}")
    code, said, err = run(["export", kind, instance, solution, "-o", out], capsys)
    assert code == 0 and "écrit" not in said, err  # (the messages English without --lang)
    if kind == "csv":
        assert out.read_text(encoding="utf-8-sig").startswith("day,start,end,room,slot,theme")
    elif kind == "xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(out).active
        assert [c.value for c in sheet[1]][:3] == ["day", "start", "end"]
    elif kind == "grid":
        assert '<html lang="en"' in out.read_text(encoding="utf-8")
    else:
        assert "CATEGORIES;LANGUAGE=en:" in (out / "programme.ics").read_text(encoding="utf-8")


def test_a_mixed_events_exports_stay_french_by_default(tmp_path, capsys):
    data = english_data()
    data["proposals"].append(proposal("k3", lang="fr", speakers=["sp4"], themes=["data"]))
    data["proposals"].append(proposal("i2", "initiative", lang="fr", speakers=["sp5"]))
    instance, solution = solved(tmp_path, data)
    assert _labels(_exported(tmp_path, capsys, instance, solution)) == {
        "csv": "fr",
        "grid": "fr",
        "ics": "fr",
    }


def test_the_bundled_instances_exports_are_the_same_bytes_as_with_lang_fr(tmp_path, capsys):
    # Commons AI mixes French and English talks and names no language: French, as before
    solution = BUNDLED.parent.parent / "solutions" / "commons-ai-2026.json"
    out = {}
    for lang in ([], ["--lang", "fr"]):
        out[bool(lang)] = tmp_path / f"out{len(lang)}"
        argv = ["export", "csv", BUNDLED, solution, "-o", out[bool(lang)] / "programme.csv"]
        code, _, err = run([*argv, *lang], capsys)
        assert code == 0, err
        argv = ["export", "ics", BUNDLED, solution, "-o", out[bool(lang)], *lang]
        assert run(argv, capsys)[0] == 0
    for name in ("programme.csv", "programme.ics"):
        assert (out[False] / name).read_bytes() == (out[True] / name).read_bytes()


def _later(solution_path: Path, tmp_path: Path, minutes: int = 120) -> Path:
    """The solution with every talk `minutes` later (past its slot's end: a warning)."""
    solution = load_solution(solution_path)
    for workshop in solution.workshops:
        for item in workshop.items:
            item.start += timedelta(minutes=minutes)
            item.end += timedelta(minutes=minutes)
    return solution.write(tmp_path / "later.json")


def test_diff_auto_says_what_is_no_speakers_in_an_english_events_language(tmp_path, capsys):
    # the count, the withdrawn talks and the workshops were in French whatever the
    # event, though every speaker's paragraph was in English
    instance, published = solved(tmp_path, english_data())
    later = _later(published, tmp_path)
    argv = ["diff", published, later, "--instance", instance, "--lang", "auto"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert out.startswith("0 moved, 3 retimed, ") and "\nWorkshops:\n" in out
    assert "«" not in out and "\u00a0:" not in out
    assert err.startswith("warning: the solution ")  # (the timelines overrun their slots)
    assert (out, err) == run([*argv[:-1], "en"], capsys)[1:]


def test_diff_auto_follows_the_events_language_where_the_talks_mix(tmp_path, capsys):
    data = english_data()
    data["slots"].append(
        {"id": "s3", "room": "a", "start": "2026-12-01T14:00:00", "end": "2026-12-01T15:30:00"}
    )
    data["proposals"].append(proposal("i2", "initiative", lang="fr", speakers=["sp1"]))
    data["proposals"].append(proposal("k3", lang="fr", speakers=["sp4"]))
    for language, count, mixed in (
        (None, "Interventions déplacées\u00a0: 0", "Speaker 1 (Org 1)\u00a0:"),
        ("en", "0 moved, ", "Speaker 1 (Org 1):"),
    ):
        if language is not None:
            data["event"]["language"] = language
        instance, published = solved(tmp_path, data, f"mixed-{language}")
        later = _later(published, tmp_path)
        argv = ["diff", published, later, "--instance", instance, "--lang", "auto"]
        code, out, err = run(argv, capsys)
        assert code == 0, err
        assert out.startswith(count)
        # sp1 speaks in both languages: the event's; sp2 in English only, sp4 in French
        assert f"\n{mixed}\n" in out
        assert "\nSpeaker 2 (Org 2):\n" in out and "\nSpeaker 4 (Org 4)\u00a0:\n" in out
        assert err.startswith("warning: " if language == "en" else "avertissement\u00a0: ")


@pytest.mark.parametrize(
    "label",
    ["Licensing and governance", {"en": "Licensing and governance"}],
)
def test_a_theme_label_in_one_language_is_that_of_both(tmp_path, capsys, label):
    # an English event had to make up French labels, which then showed in French exports
    data = english_data()
    data["themes"][0] = {"id": "open", "label": label, "description": {"en": "open licences"}}
    path = write_yaml(tmp_path / "event.yaml", data)
    code, _, err = run(["explain", path], capsys)
    assert code == 0, err
    theme = load_instance(path).theme_by_id["open"]
    assert theme.label.get("fr") == theme.label.get("en") == "Licensing and governance"
    assert theme.description.fr == theme.description.en == "open licences"
    # in a French export too, where it is the only label there is
    instance, solution = solved(tmp_path, data)
    out = tmp_path / "programme.csv"
    argv = ["export", "csv", instance, solution, "-o", out, "--lang", "fr"]
    assert run(argv, capsys)[0] == 0
    assert ",Licensing and governance," in out.read_text(encoding="utf-8-sig")


def test_a_theme_label_in_french_alone_is_that_of_both():
    data = english_data()
    data["themes"][1]["label"] = {"fr": "Données"}
    assert build(data).theme_by_id["data"].label.get("en") == "Données"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ({"eng": "Openness"}, "field 'label.eng': unknown field; did you mean 'en'?"),
        ({"fr": "Ouverture", "de": "Offenheit"}, "field 'label.de': unknown field"),
        (["Openness"], "field 'label': should be a mapping of fields, not a list"),
        ({}, "field 'label.fr': field required"),
    ],
)
def test_a_label_in_no_known_language_is_still_bad_input(tmp_path, capsys, label, message):
    data = english_data()
    data["themes"][0]["label"] = label
    path = write_yaml(tmp_path / "event.yaml", data)
    code, _, err = run(["explain", path], capsys)
    assert code == 2 and "Traceback" not in err
    assert f"error: {path}, themes[0] (id 'open'), {message}" in " ".join(err.split())


def test_the_schema_takes_a_label_in_one_language():
    from scheduler.instance import Instance

    schema = Instance.model_json_schema()
    label = schema["$defs"]["Theme"]["properties"]["label"]
    assert {"type": "string", "minLength": 1} in label["anyOf"]
    labels = schema["$defs"]["Labels"]
    assert "required" not in labels and labels["minProperties"] == 1


def test_a_label_in_one_language_counts_once_in_the_theme_suggestions():
    # given for both languages, its words were counted twice a bilingual label's
    from scheduler.instance import Theme
    from scheduler.themes import LABEL_WEIGHT, ThemeIndex, words

    [(licensing, _)] = words("Licensing")
    for label in ({"en": "Licensing"}, {"fr": "Licensing", "en": "Licensing"}):
        index = ThemeIndex([Theme.model_validate({"id": "x", "label": label})])
        assert index.tf["x"][licensing] == LABEL_WEIGHT


def test_import_keeps_an_instance_whose_theme_label_is_one_text(tmp_path, capsys):
    form = Path(__file__).parent / "data" / "import"
    kept = tmp_path / "kept.yaml"
    argv = ["import", form / "form.csv", "--slots", form / "slots.csv", "-o", kept]
    assert run(argv, capsys)[0] == 0
    data = yaml.safe_load(kept.read_text(encoding="utf-8"))
    data["themes"][0]["label"] = data["themes"][0]["label"]["en"]
    write_yaml(kept, data)
    out = tmp_path / "again.yaml"
    code, _, err = run([*argv[:-1], out, "--keep", kept], capsys)
    assert code == 0 and "Traceback" not in err


def panel_data(max_speakers: int | None) -> dict:
    """An English event whose first keynote is a panel of three."""
    data = english_data()
    data["proposals"][0]["speakers"] = ["sp1", "sp4", "sp5"]
    if max_speakers is not None:
        data["rules"] = {"max_speakers": max_speakers}
    return data


@pytest.mark.parametrize("max_speakers", [None, 2])
def test_three_speakers_are_refused_under_the_calls_limit_naming_the_rule(
    tmp_path, capsys, max_speakers
):
    # "at most 2 speakers, got 3", with no way out: a co-speaker dropped from the file
    # had her clashes and availability unchecked, and no calendar
    path = write_yaml(tmp_path / "panel.yaml", panel_data(max_speakers))
    code, _, err = run(["explain", path], capsys)
    assert code == 2 and "Traceback" not in err
    assert " ".join(err.split()) == (
        f"error: {path}, proposals[0] (id 'k1'), field 'speakers': 3 speakers, where "
        "rules.max_speakers allows 2: raise it (rules: {max_speakers: 3}) if the event's "
        "call takes more"
    )


def test_three_speakers_are_scheduled_exported_and_told_when_the_rule_allows(tmp_path, capsys):
    data = panel_data(3)
    data["speakers"][4]["unavailable"] = [
        {"start": "2026-12-01T08:00:00", "end": "2026-12-01T09:30:00"}
    ]
    instance = build(data)
    assert instance.proposal_by_id["k1"].speakers == ["sp1", "sp4", "sp5"]
    # the third speaker's availability holds: she is away all morning, so is the panel
    solution = solve(instance, "sha256:test", FAST)
    assert "k1" in {u.proposal for u in solution.unscheduled}
    del data["speakers"][4]["unavailable"]
    path, solution_path = solved(tmp_path, data, "panel")
    assert "k1" in {p for w in load_solution(solution_path).workshops for p in w.proposals}
    out = tmp_path / "out"
    code, _, err = run(["export", "all", path, solution_path, "-o", out], capsys)
    assert code == 0, err
    table = (out / "programme.csv").read_text(encoding="utf-8-sig")
    assert ",Speaker 1; Speaker 4; Speaker 5," in table
    assert (out / "speakers" / "sp5.ics").is_file()
    assert "Speaker 5 (Org 5)" in (out / "grid.html").read_text(encoding="utf-8")
    # a presenter gone from a panel: every one of them named
    panel = load_solution(solution_path)
    panel.speakers["k1"] = ["sp1", "sp4"]
    data["proposals"][0]["speakers"] = ["sp1", "sp4"]
    write_yaml(path, data)
    now = panel.write(tmp_path / "now.json")
    code, said, err = run(["diff", solution_path, now, "--instance", path], capsys)
    assert code == 0, err
    assert "(previously: Speaker 1, Speaker 4 and Speaker 5)" in said


@pytest.mark.parametrize(("limit", "refused"), [(None, True), (1500, True), (2000, False)])
def test_an_abstract_over_the_calls_limit_is_refused_naming_the_rule(
    tmp_path, capsys, limit, refused
):
    data = english_data()
    data["proposals"][1]["abstract"] = "Open licences matter. " * 80  # 1759 characters, read
    if limit is not None:
        data["rules"] = {"abstract_max_characters": limit}
    path = write_yaml(tmp_path / "long.yaml", data)
    code, _, err = run(["explain", path], capsys)
    if not refused:
        assert code == 0, err
        return
    assert code == 2 and "Traceback" not in err
    assert " ".join(err.split()) == (
        f"error: {path}, proposals[1] (id 'k2'), field 'abstract': the abstract has 1759 "
        "characters, where rules.abstract_max_characters allows 1500: shorten it by 259, "
        "or raise the rule (rules: {abstract_max_characters: 1759}) if the event's call "
        "takes more"
    )


@pytest.mark.parametrize("rule", ["max_speakers", "abstract_max_characters"])
def test_the_calls_limits_are_at_least_one(tmp_path, capsys, rule):
    data = english_data()
    data["rules"] = {rule: 0}
    path = write_yaml(tmp_path / "zero.yaml", data)
    code, _, err = run(["explain", path], capsys)
    assert code == 2
    assert f"rules, field '{rule}': Input should be greater than or equal to 1" in err


def _refused(tmp_path, capsys, data: dict) -> str:
    """The one error line `explain` gives for `data`, spaces joined."""
    path = write_yaml(tmp_path / "event.yaml", data)
    code, _, err = run(["explain", path], capsys)
    assert code == 2 and "Traceback" not in err
    return " ".join(err.split()).removeprefix(f"error: {path}, ")


def _slots_am1_am2(data: dict) -> dict:
    data["slots"][0]["id"], data["slots"][1]["id"] = "thu-am1-rhone", "thu-am2-rhone"
    return data


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # pydantic's words: "Input should be a valid integer, unable to parse string as
        # an integer (got '10 min')"
        (
            lambda d: d["proposals"][2].update(minutes="10 min"),
            "proposals[2] (id 'i1'), field 'minutes': write a number of minutes, e.g. "
            "minutes: 10 (got '10 min')",
        ),
        (
            lambda d: d.update(rules={"keynote_minutes": 20.5}),
            "rules, field 'keynote_minutes': write a number of minutes, e.g. "
            "keynote_minutes: 20 (got 20.5)",
        ),
        (
            lambda d: d.update(rules={"participatory": {"min": "a quarter"}}),
            "rules, field 'participatory.min': write a number of minutes, e.g. min: 10 "
            "(got 'a quarter')",
        ),
        (
            lambda d: d["rooms"][0].update(capacity="40 seats"),
            "rooms[0] (id 'a'), field 'capacity': write a whole number, e.g. capacity: 40 "
            "(got '40 seats')",
        ),
        # "should be a mapping of fields, not a list", and no way out
        (
            lambda d: d.update(constraints={"together": [["k1", "i1"]]}),
            "constraints, field 'together[0]': should be a mapping of fields, not a list; "
            "write {proposals: [k1, i1]}",
        ),
        (
            lambda d: d.update(constraints={"apart": ["k1", "k2"]}),
            "constraints, field 'apart[0]': should be a mapping of fields, not the text "
            "'k1'; each group is a mapping: write apart: [{proposals: [k1, k2]}]",
        ),
        # no "did you mean": two slots are spelt equally like it
        (
            lambda d: _slots_am1_am2(d)["proposals"][0].update(pin="thu-am-rhone"),
            "proposals[0] (id 'k1'), field 'pin': pin to unknown slot 'thu-am-rhone'; did "
            "you mean 'thu-am1-rhone' or 'thu-am2-rhone'?",
        ),
        # "a speaker is listed twice", not which
        (
            lambda d: d["proposals"][1].update(speakers=["sp2", "sp3", "sp2"]),
            "proposals[1] (id 'k2'), field 'speakers': 'sp2' is listed twice: list each "
            "speaker once",
        ),
        (
            lambda d: d["proposals"][1].update(themes=["open", "data", "open"]),
            "proposals[1] (id 'k2'), field 'themes': 'open' is listed twice: list each theme once",
        ),
    ],
    ids=[
        "minutes-text",
        "minutes-fraction",
        "participatory-text",
        "capacity-text",
        "together-list",
        "apart-ids",
        "pin-tie",
        "speaker-twice",
        "theme-twice",
    ],
)
def test_a_hand_edit_mistake_is_told_with_its_fix(tmp_path, capsys, edit, message):
    data = english_data()
    edit(data)
    assert _refused(tmp_path, capsys, data) == message


def test_an_id_spelt_like_three_equally_gets_no_guess(tmp_path, capsys):
    data = english_data()
    for i, slot in enumerate(data["slots"]):
        slot["id"] = f"p{i}1"
    data["slots"].append({**data["slots"][0], "id": "p21", "room": "b"})
    data["slots"][-1]["start"] = "2026-12-01T11:00:00"
    data["slots"][-1]["end"] = "2026-12-01T12:00:00"
    data["proposals"][0]["pin"] = "p1"
    # ('p01', 'p11' and 'p21' are spelt equally like 'p1': naming two of them is a guess)
    assert _refused(tmp_path, capsys, data).endswith("pin to unknown slot 'p1'")


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ([], "note: event.timezone not given: Europe/Paris assumed; set it for an event elsewhere"),
        (
            ["--lang", "fr"],
            "note\u00a0: event.timezone n'est pas indiqué\u00a0: le fuseau Europe/Paris est "
            "supposé\u00a0; indiquez-le pour un événement ailleurs",
        ),
    ],
)
def test_solve_and_export_note_a_timezone_assumed(tmp_path, capsys, lang, note):
    # an event in London without `timezone:` got Paris times in every calendar, silently
    data = english_data()
    del data["event"]["timezone"]
    data["event"]["venue"] = "London"
    path = write_yaml(tmp_path / "london.yaml", data)
    assert not load_instance(path).event.timezone_given
    solution = tmp_path / "london.json"
    code, _, err = run(["solve", path, "-o", solution, "-q", *lang], capsys)
    assert code == 0 and err.splitlines().count(note) == 1, err
    for kind, out in (("csv", "p.csv"), ("ics", "ics"), ("all", "all")):
        code, _, err = run(["export", kind, path, solution, "-o", tmp_path / out, *lang], capsys)
        assert code == 0 and err.splitlines().count(note) == 1, err


def test_a_timezone_given_is_not_noted_even_paris(tmp_path, capsys):
    instance, solution = solved(tmp_path, english_data())
    assert load_instance(instance).event.timezone_given
    for argv in (
        ["solve", instance, "-o", tmp_path / "again.json", "-q"],
        ["export", "csv", instance, solution, "-o", tmp_path / "p.csv"],
    ):
        code, _, err = run(argv, capsys)
        assert code == 0 and "timezone" not in err, err
