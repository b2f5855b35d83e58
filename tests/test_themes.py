"""Theme suggestions: words, ranking, explanations, accuracy, and --apply on instance files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import to_stdout_file

from scheduler.cli import main
from scheduler.importer import default_themes
from scheduler.instance import Theme, load_instance
from scheduler.themes import (
    MIN_EVIDENCE,
    SUGGESTED_MARK,
    ProposalSuggestions,
    Suggestion,
    ThemeIndex,
    accuracy,
    apply_themes,
    fold,
    marked_as_suggested,
    stem,
    suggest,
    words,
)

ROOT = Path(__file__).parent.parent
BUNDLED = ROOT / "instances" / "commons-ai-2026.yaml"
TINY = Path(__file__).parent / "data" / "tiny.yaml"

CALL = [Theme.model_validate(t) for t in default_themes()]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in argv])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


# -- words ---------------------------------------------------------------------


def test_fold_removes_accents_ligatures_and_case():
    assert fold("Œuvre, DONNÉES, Français, naïve") == "oeuvre, donnees, francais, naive"


def test_words_drop_stop_words_and_elisions_in_both_languages():
    found = [surface for _, surface in words("L'ouverture des données et the openness of data")]
    assert found == ["ouverture", "données", "openness", "data"]


def test_light_stemming_joins_word_families():
    assert stem("evaluation") == stem("evaluations") == stem("evaluer") == stem("evaluate")
    assert stem("donnees") == stem("donnee")
    assert stem("communities") == stem("community")
    assert stem("licences") == stem("licence")


# -- ranking -------------------------------------------------------------------


def test_clear_proposals_get_their_theme_with_explaining_words():
    index = ThemeIndex(CALL)
    cases = {
        "data-commons": ("Partager des données de santé", "Partage de données entre hôpitaux."),
        "materiality": ("Data centres and energy", "Servers, chips, water and frugality."),
        "trust": ("Open benchmarks", "Independent evaluation, audit and transparency."),
        "public-policy": ("L'AI Act et la commande publique", "Souveraineté et régulation."),
    }
    for theme, (title, abstract) in cases.items():
        ranked = index.rank(title, abstract)
        assert ranked[0].theme == theme, (title, ranked[:2])
        assert ranked[0].words, "the top theme is explained by words"
        assert sum(r.score for r in ranked) == pytest.approx(1.0)
        assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_explanations_show_the_proposals_own_words_as_written():
    # they were shown folded: "frugalite", "donnees"
    ranked = ThemeIndex(CALL).rank("Frugalité des data centers", "Les data centers consomment.")
    explained = [w for w, _ in ranked[0].words]
    assert "Frugalité" in explained and "centers" in explained


def test_no_matching_word_means_no_suggestion():
    ranked = ThemeIndex(CALL).rank("Zzz", "qwerty xyzzy")
    assert all(r.score == 0 for r in ranked)
    entry = ProposalSuggestions("p", "Zzz", [], ranked)
    assert entry.top is None and entry.pick() == []


def test_pick_keeps_a_second_theme_above_the_threshold():
    ranked = [Suggestion("a", 0.5, evidence=3), Suggestion("b", 0.3, evidence=2)]
    entry = ProposalSuggestions("p", "t", [], [*ranked, Suggestion("c", 0.2, evidence=-1)])
    assert entry.pick(0.5) == ["a", "b"]
    assert entry.pick(0.7) == ["a"]


def test_words_every_theme_shares_are_too_little_evidence():
    # a proposal "IA" got two themes at 0.19 and 0.17, from a word found in all six
    index = ThemeIndex(CALL)
    for title, abstract in [
        ("IA", "IA"),
        ("L'IA et les communs", "L'IA, les modèles, les communs"),
    ]:
        entry = ProposalSuggestions("p", title, [], index.rank(title, abstract))
        assert entry.top is not None and not entry.evident
        assert entry.pick() == [] and entry.pick(0.0) == []
    assert ProposalSuggestions("p", "t", [], index.rank("Frugalité", "")).pick() == ["materiality"]


def test_threshold_zero_never_adds_a_theme_without_evidence():
    # `--threshold 0` added a second theme scoring 0.00
    index = ThemeIndex(CALL)
    for title in ("Frugalité", "Benchmarks ouverts", "Open source"):
        entry = ProposalSuggestions("p", title, [], index.rank(title, ""))
        picked = [r for r in entry.ranked if r.theme in entry.pick(0.0)]
        assert picked and all(r.score > 0.05 and r.evidence >= MIN_EVIDENCE for r in picked)


def test_english_ai_reads_as_french_ia_and_the_french_verb_stays_out():
    # "AI" was dropped as the French verb "ai" while "IA" counted
    assert words("AI") == [("ia", "AI")]
    assert words("J'ai vu") == [("vu", "vu")]
    index = ThemeIndex(CALL)
    english = index.rank("Public procurement of AI", "AI in public services")
    french = index.rank("Public procurement of IA", "IA in public services")
    assert [(r.theme, r.score) for r in english] == [(r.theme, r.score) for r in french]
    assert any("AI" in dict(r.words) for r in english)


# -- accuracy on the bundled instance -------------------------------------------


def test_call_themes_are_the_bundled_instance_themes():
    bundled = load_instance(BUNDLED)
    assert [t.id for t in CALL] == [t.id for t in bundled.themes]


def test_suggestions_beat_always_guessing_the_commonest_theme():
    bundled = load_instance(BUNDLED)
    score = accuracy(suggest(bundled))
    assert score.proposals == len(bundled.proposals)
    assert score.top1 > score.baseline
    assert score.top2 >= score.top1
    # The call's own descriptions (shipped for imports) must do as well against the baseline.
    index = ThemeIndex(CALL)
    with_call = accuracy(
        [
            ProposalSuggestions(p.id, p.title, list(p.themes), index.rank(p.title, p.abstract))
            for p in bundled.proposals
        ]
    )
    assert with_call.top1 > with_call.baseline
    print(
        f"top-1 {score.top1}/{score.proposals}, top-2 {score.top2}/{score.proposals}, "
        f"call descriptions top-1 {with_call.top1}, baseline {score.baseline}"
    )


# -- applying ------------------------------------------------------------------

COMMENTED = """\
# A coordinator's file: comments and layout must survive --apply.
name: demo
event: {title: Demo, venue: Here, days: [2026-12-01, 2026-12-01]}
themes:
  - id: data-commons
    label: {fr: Communs de données, en: Data commons}
    description: {fr: "partage de données, données personnelles", en: "data sharing"}
  - id: materiality
    label: {fr: Dimension matérielle, en: Material dimension}
    description: {fr: "data centers, énergie, puces", en: "data centres, energy, chips"}
rooms:
  - {id: a, name: Room A}
slots:
  - {id: s1, room: a, start: "2026-12-01T09:00:00", end: "2026-12-01T10:30:00"}
speakers:
  - {id: ana, name: Ana}
proposals:
  - id: p1  # no themes key at all
    title: Partage de données de santé
    format: keynote
    language: fr
    speakers: [ana]
  - id: p2
    title: Data centres and energy
    format: initiative
    language: en
    speakers: [ana]
    themes: []   # empty, to be filled
  - {id: p3, title: Puces et énergie, format: initiative, language: fr, speakers: [ana]}
  - id: p4
    title: Données et énergie
    format: initiative
    language: fr
    speakers: [ana]
    themes: [materiality]  # a coordinator's choice: never overwritten
"""


def _apply(path: Path, target: Path | None = None) -> dict[str, list[str]]:
    instance = load_instance(path)
    picks = {s.proposal: s.pick() for s in suggest(instance)}
    return apply_themes(path, picks, target)


def test_apply_edits_yaml_in_place_keeping_comments_and_choices(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    applied = _apply(path)
    assert set(applied) == {"p1", "p2", "p3"}
    text = path.read_text(encoding="utf-8")
    assert text.count("#") == COMMENTED.count("#") + text.count(SUGGESTED_MARK) == 7
    assert "id: p1  # no themes key at all\n    themes: [data-commons" in text
    assert "themes: [materiality]  # a coordinator's choice" in text
    assert "{id: p3, themes: [materiality" in text
    instance = load_instance(path)
    assert instance.proposal_by_id["p4"].themes == ["materiality"]
    assert instance.proposal_by_id["p2"].themes[0] == "materiality"
    # Outside the themes, the data did not change.
    before, after = yaml.safe_load(COMMENTED), yaml.safe_load(text)
    for proposal in [*before["proposals"], *after["proposals"]]:
        proposal.pop("themes", None)
    assert before == after


def test_apply_keeps_comments_of_a_file_holding_a_time_as_text(tmp_path):
    # `title: 10:30`, text for the instance's reader, read as 630 by the check that the
    # edited file reads back: the whole file was re-dumped, its comments lost
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED.replace("title: Données et énergie", "title: 10:30"), "utf-8")
    assert set(_apply(path)) == {"p1", "p2", "p3"}
    text = path.read_text(encoding="utf-8")
    assert "# A coordinator's file" in text and "title: 10:30\n" in text
    assert load_instance(path).proposal_by_id["p4"].title == "10:30"


def test_apply_fills_themes_left_blank(tmp_path):
    # `themes:` left blank (null) in a coordinator's file read as no themes: --apply
    # fills it in place, the comment kept (the file was refused: "got None")
    text = COMMENTED.replace(
        "    themes: []   # empty, to be filled", "    themes:   # left blank, to be filled"
    ).replace("speakers: [ana]}", "speakers: [ana], abstract: ~, themes: ~}")
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    assert set(_apply(path)) == {"p1", "p2", "p3"}
    edited = path.read_text(encoding="utf-8")
    assert "    themes: [materiality]   # left blank, to be filled" in edited
    assert "abstract: ~, themes: [materiality" in edited
    instance = load_instance(path)
    assert all(p.themes for p in instance.proposals)
    assert instance.proposal_by_id["p3"].abstract == ""


def test_apply_to_another_file_leaves_the_source_alone(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    out = tmp_path / "out" / "themed.yaml"
    _apply(path, out)
    assert path.read_text(encoding="utf-8") == COMMENTED
    assert all(p.themes for p in load_instance(out).proposals)


def test_apply_on_json_instances(tmp_path):
    data = yaml.safe_load(COMMENTED)
    data["event"]["days"] = ["2026-12-01", "2026-12-01"]
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _apply(path)
    assert all(p.themes for p in load_instance(path).proposals)
    assert json.loads(path.read_text())["proposals"][3]["themes"] == ["materiality"]


def test_apply_never_overwrites_existing_themes(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    assert _apply(path) == {}
    assert path.read_text(encoding="utf-8") == TINY.read_text(encoding="utf-8")


def test_apply_with_aliased_themes_re_dumps_the_file(tmp_path):
    # `themes: &none []` aliased twice: the anchor's text was rewritten three times, and
    # reading the result back raised a traceback
    text = COMMENTED.replace("themes: []   # empty", "themes: &none []   # empty").replace(
        "speakers: [ana]}", "speakers: [ana], themes: *none}"
    )
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    assert set(_apply(path)) == {"p1", "p2", "p3"}
    instance = load_instance(path)
    assert all(p.themes for p in instance.proposals)
    assert instance.proposal_by_id["p4"].themes == ["materiality"]
    assert marked_as_suggested(path) == {"p1", "p2", "p3"}  # re-dumped, still marked


def test_re_dumping_keeps_earlier_marks(tmp_path):
    # p1's themes, suggested by an earlier run, keep their mark through the re-dump that
    # p2's anchor causes
    text = COMMENTED.replace("themes: []   # empty", "themes: &none []   # empty").replace(
        "id: p1  # no themes key at all",
        f"id: p1  # no themes key at all\n    themes: [data-commons]  {SUGGESTED_MARK}",
    )
    path = tmp_path / "demo.yaml"
    path.write_text(text, encoding="utf-8")
    assert marked_as_suggested(path) == {"p1"}
    assert set(_apply(path)) == {"p2", "p3"}
    assert marked_as_suggested(path) == {"p1", "p2", "p3"}
    assert load_instance(path).proposal_by_id["p1"].themes == ["data-commons"]


def test_apply_keeps_crlf_line_endings(tmp_path):
    # --apply turned a Windows file into a Unix one
    path = tmp_path / "demo.yaml"
    path.write_bytes(COMMENTED.replace("\n", "\r\n").encode("utf-8"))
    assert set(_apply(path)) == {"p1", "p2", "p3"}
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") == COMMENTED.count("\n") + 1  # p1's themes
    assert all(p.themes for p in load_instance(path).proposals)


@pytest.mark.parametrize("source_suffix", [".yaml", ".json"])
@pytest.mark.parametrize("output_suffix", [".json", ".yaml", ".yml"])
def test_apply_writes_the_format_the_output_names(tmp_path, capsys, source_suffix, output_suffix):
    # `-o out.json` got YAML text, which `themes out.json` then called malformed JSON
    source = tmp_path / f"demo{source_suffix}"
    if source_suffix == ".json":
        source.write_text(json.dumps(yaml.safe_load(COMMENTED), default=str), encoding="utf-8")
    else:
        source.write_text(COMMENTED, encoding="utf-8")
    before = source.read_text(encoding="utf-8")
    out = tmp_path / f"out{output_suffix}"
    code, _, err = run(["themes", source, "--apply", "-o", out], capsys)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    if output_suffix == ".json":
        assert json.loads(text)["proposals"][3]["themes"] == ["materiality"]
    else:
        assert not text.startswith("{") and text.count(SUGGESTED_MARK) == 3
        assert yaml.safe_load(text)["proposals"][3]["themes"] == ["materiality"]
    assert all(p.themes for p in load_instance(out).proposals)
    assert source.read_text(encoding="utf-8") == before
    code, _, err = run(["themes", out], capsys)
    assert code == 0, err


def test_apply_refuses_an_output_named_for_another_format(tmp_path, capsys):
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    for name in ("out.txt", "out.csv"):
        code, out, err = run(["themes", path, "--apply", "-o", tmp_path / name], capsys)
        assert code == 2 and "Traceback" not in out + err
        assert "-o/--output" in err and "name it .yaml, .yml or .json" in " ".join(err.split())
        assert not (tmp_path / name).exists()
    assert path.read_text(encoding="utf-8") == COMMENTED


# -- command line ----------------------------------------------------------------


def test_themes_command_lists_explains_and_measures(capsys):
    code, out, _ = run(["themes", BUNDLED, "--top", "2"], capsys)
    assert code == 0
    assert "p01" in out and "open-models" in out
    assert "top suggestion = primary theme for" in out and "always guessing" in out


def test_piped_themes_table_keeps_each_title_on_one_line(capsys, monkeypatch):
    # redirected, the table was fitted to 80 columns: each title folded over three
    # lines or four, the suggested themes cut from their scores ("open-models / 0.31")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["themes", BUNDLED, "--top", "2"], capsys)
    assert code == 0
    title = load_instance(BUNDLED).proposal_by_id["p02"].title
    assert len(title) > 60 and any(title in line for line in out.splitlines()), out
    assert re.search(r"│ +open-models 0\.\d\d +│", out), out


def test_themes_command_json_and_apply(tmp_path, capsys):
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    code, out, _ = run(["themes", path, "--json"], capsys)
    assert code == 0
    report = json.loads(out)
    by_id = {p["id"]: p for p in report["proposals"]}
    assert by_id["p4"]["current"] == ["materiality"]
    assert by_id["p1"]["ranked"][0]["theme"] == "data-commons"
    assert by_id["p1"]["ranked"][0]["words"]
    assert path.read_text(encoding="utf-8") == COMMENTED  # listing never writes

    code, out, _ = run(["themes", path, "--apply", "--threshold", "0.9"], capsys)
    assert code == 0 and "wrote themes into 3 proposals" in out
    assert load_instance(path).proposal_by_id["p4"].themes == ["materiality"]
    before = path.stat().st_mtime_ns
    code, out, _ = run(["themes", path, "--apply"], capsys)  # every proposal has themes now
    # it said "wrote themes into 0 proposals"
    assert code == 0 and "0 proposals" not in out
    assert f"no themes written, {path} left as it was: every proposal has themes" in out
    assert path.stat().st_mtime_ns == before


def test_one_applied_theme_is_said_in_the_singular(tmp_path, capsys):
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    del data["proposals"][4]["themes"]
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(["themes", path, "--apply"], capsys)
    assert code == 0 and "wrote themes into 1 proposal in" in " ".join(out.split())


def test_a_run_after_apply_does_not_measure_its_own_themes(tmp_path, capsys):
    # it printed "top suggestion = primary theme for 36/36 proposals (100%)" against the
    # themes it had just written
    text = re.sub(r"(?m)^(    themes: )\[.*\]", r"\1[]", BUNDLED.read_text(encoding="utf-8"))
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(["themes", path, "--apply"], capsys)
    assert code == 0 and "wrote themes into 36 proposals" in out
    code, out, _ = run(["themes", path], capsys)
    out = " ".join(out.split())
    assert code == 0 and "100%" not in out and "top suggestion =" not in out
    assert "no hand-chosen themes to measure the suggestions against" in out
    code, out, _ = run(["themes", path, "--json"], capsys)
    report = json.loads(out)
    assert all(p["unchecked"] for p in report["proposals"])
    assert report["accuracy"]["proposals"] == 0 and report["accuracy"]["unchecked"] == 36
    # a coordinator checks two proposals by deleting their marks: only those are measured
    lines = path.read_text(encoding="utf-8").split("\n")
    checked = [i for i, line in enumerate(lines) if SUGGESTED_MARK in line][:2]
    for i in checked:
        lines[i] = lines[i].split("  #")[0]
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, _ = run(["themes", path], capsys)
    out = " ".join(out.split())
    assert "primary theme for 2/2 proposals with hand-chosen themes" in out
    assert "not counted: the 34 proposals whose themes --apply wrote" in out


def test_json_instances_say_what_the_figure_compares_with(tmp_path, capsys):
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    path = tmp_path / "bundled.json"
    path.write_text(json.dumps(data, default=str), encoding="utf-8")
    code, out, _ = run(["themes", path], capsys)
    out = " ".join(out.split())
    assert "28/36 proposals with themes" in out
    assert "JSON cannot mark the themes --apply wrote: any there count too" in out


def test_too_little_evidence_is_left_without_a_theme_and_listed(tmp_path, capsys):
    data = yaml.safe_load(COMMENTED)
    data["proposals"][0]["title"] = data["proposals"][0]["abstract"] = "IA"
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(["themes", path, "--apply", "--threshold", "0"], capsys)
    out = " ".join(out.split())
    assert code == 0 and "wrote themes into 2 proposals" in out
    assert "too little evidence to pick a theme for p1, left without one" in out
    assert load_instance(path).proposal_by_id["p1"].themes == []
    code, out, _ = run(["themes", path], capsys)  # --apply would write nothing more
    assert code == 0 and "--apply writes" not in out


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="/dev/stdout")
def test_a_written_through_output_sends_the_report_to_stderr(tmp_path):
    # `-o /dev/stdout` mixed the table and the summary into the YAML
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    real = tmp_path / "real.yaml"
    result = to_stdout_file(["themes", str(path), "--apply", "-o", "/dev/stdout"], real)
    assert result.returncode == 0, result.stderr
    assert "Theme suggestions" in result.stderr
    assert "wrote themes into 3 proposals" in result.stderr
    assert all(p.themes for p in load_instance(real).proposals)


def test_readme_lists_the_options_of_the_command():
    # the command table showed only [--apply]
    row = next(
        line
        for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| `scheduler themes")
    )
    for option in ("--apply", "-o OUT", "--threshold", "--top", "--json", "--lang"):
        assert option in row.split("|")[1], option


def test_output_needs_apply(tmp_path, capsys):
    code, _, err = run(["themes", TINY, "-o", tmp_path / "x.yaml"], capsys)
    assert code == 2 and "--apply" in err


def test_apply_names_ten_unmatched_proposals_and_counts_the_others(tmp_path, capsys):
    # at 2000 imported proposals the line named 387 of them
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    speaker = data["speakers"][0]["id"]
    data["proposals"] = [
        {
            "id": f"q{i:02d}",
            "title": "Zzz",
            "format": "initiative",
            "language": "fr",
            "speakers": [speaker],
        }
        for i in range(12)
    ]
    path = tmp_path / "unmatched.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(["themes", path, "--apply"], capsys)
    out = " ".join(out.split())
    assert code == 0
    assert "too little evidence to pick a theme for q00, q01" in out and "q09 and 2 more" in out
    assert "q10" not in out.split("too little evidence to pick")[1]
    assert f"`scheduler themes {path}` lists them all" in out


@pytest.mark.parametrize(("value", "said"), [("nan", "not a number"), ("1.5", "1.5")])
def test_a_threshold_outside_zero_to_one_is_refused(value, said, tmp_path, capsys):
    # 'nan' was said to be "less than or equal to 1"
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    code, _, err = run(["themes", path, "--threshold", value], capsys)
    assert code == 2
    assert f"{said}: give a share from 0 to 1" in " ".join(err.split())


def test_themes_speaks_the_language_asked(tmp_path, capsys):
    # `scheduler themes` had no --lang: its table and lines were English for every
    # coordinator, where `solve` and `explain` speak French with --lang fr
    code, out, _ = run(["themes", BUNDLED, "--top", "2", "--lang", "fr"], capsys)
    flat = re.sub(r"[ \n│]+", " ", out)
    assert code == 0
    assert "Suggestions de thèmes (score\u00a0: part des mots-clés)" in flat
    # in sentences: it read « premier thème suggéré = thème principal pour 28/36 … ;
    # proposer toujours open-models en trouverait 10/36 », the English with French words
    assert (
        "Le premier thème suggéré est le thème principal de 28 des 36 propositions dont les "
        "thèmes ont été choisis à la main (78\u00a0%)\u00a0; le thème principal figure parmi "
        "les deux premiers pour 33 sur 36 (92\u00a0%)\u00a0; suggérer toujours open-models "
        "n'en trouverait que 10 sur 36 (28\u00a0%)." in flat
    )
    assert "=" not in flat and "/36" not in flat and "proposer toujours" not in flat
    assert re.search(r"open-models 0,\d\d", flat) and not re.search(r"open-models 0\.\d", flat)
    assert "top suggestion" not in flat and "words that matched" not in flat
    path = tmp_path / "demo.yaml"
    path.write_text(COMMENTED, encoding="utf-8")
    code, out, _ = run(["themes", path, "--lang", "fr"], capsys)
    assert "(--apply écrit les suggestions marquées * dans les propositions sans thème)" in out
    code, out, _ = run(["themes", path, "--apply", "--threshold", "0.9", "--lang", "fr"], capsys)
    flat = re.sub(r"[ \n]+", " ", out)
    assert code == 0
    assert f"thèmes écrits dans 3 propositions de {path}, marqués `{SUGGESTED_MARK}`" in flat
    code, out, _ = run(["themes", path, "--apply", "--lang", "fr"], capsys)
    flat = re.sub(r"[ \n]+", " ", out)
    assert f"aucun thème écrit, {path} laissé tel quel\u00a0: chaque proposition a" in flat
    # (English stays the default, and --json's keys are the same in either language)
    assert (
        run(["themes", path, "--json", "--lang", "fr"], capsys)[1]
        == (run(["themes", path, "--json"], capsys)[1])
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_apply_lists_the_proposals_it_fills_and_all_of_them_with_all(lang, tmp_path, capsys):
    # --apply printed a table of all 278 proposals, 1,607 lines, to fill the 39 without
    # a theme, the lines saying what it wrote at the very end
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    emptied = [data["proposals"][i]["id"] for i in (4, 9)]
    for i in (4, 9):
        del data["proposals"][i]["themes"]
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    copy = tmp_path / "copy.yaml"
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(["themes", path, "--apply", "--lang", lang], capsys)
    assert code == 0
    listed = set(re.findall(r"^│ (p\d+)", out, re.M))
    assert listed == set(emptied), out
    said = " ".join(out.split())
    assert {
        "en": "(the 2 of 36 proposals that had no theme; --all lists every one)",
        "fr": "(les 2 propositions, sur 36, qui n'avaient pas de thème ; --all les liste toutes)",
    }[lang] in said.replace("\u00a0", " "), said
    # --all: the whole table, as before; the file written the same
    code, out, _ = run(["themes", copy, "--apply", "--all", "--lang", lang], capsys)
    assert code == 0 and len(set(re.findall(r"^│ (p\d+)", out, re.M))) == 36
    assert "--all" not in out
    assert copy.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    # nothing to fill: no table at all, the line saying so
    code, out, _ = run(["themes", path, "--apply"], capsys)
    assert code == 0 and "│" not in out and "every proposal has themes already" in out
    code, _, err = run(["themes", path, "--all"], capsys)
    assert code == 2 and "--all only makes sense with --apply" in " ".join(err.split())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_proposal_filled_by_apply_is_said_in_the_singular(lang, tmp_path, capsys):
    # FR2-11: « (les 1 propositions sur 36 qui n'avaient pas de thème …) » and « Non
    # comptées : les 1 proposition dont --apply a écrit les thèmes »
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    del data["proposals"][4]["themes"]
    path = tmp_path / "one.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(["themes", path, "--apply", "--lang", lang], capsys)
    said = " ".join(out.split()).replace("\u00a0", " ")
    assert code == 0
    assert {
        "en": "(the one proposal of 36 that had no theme; --all lists every one)",
        "fr": "(la seule proposition, sur 36, qui n'avait pas de thème ; --all les liste toutes)",
    }[lang] in said, said
    code, out, _ = run(["themes", path, "--lang", lang], capsys)
    said = " ".join(out.split()).replace("\u00a0", " ")
    assert {
        "en": "; not counted: the proposal whose themes --apply wrote (marked `",
        "fr": " Non comptée : la proposition dont --apply a écrit les thèmes (marqués `",
    }[lang] in said, said


@pytest.mark.parametrize(
    ("held", "said"),
    [
        ({"instance": "demo", "workshops": []}, "it holds a solution, not an instance"),
        (
            {"name": "other", "event": {}, "proposals": []},
            "it holds the instance 'other', not 'demo': name another file, or remove that one "
            "first",
        ),
    ],
    ids=["a-solution", "another-instance"],
)
def test_apply_does_not_replace_a_solution_or_another_instance(tmp_path, capsys, held, said):
    # `themes x.yaml --apply -o solutions/x.json` replaced the published solution (which
    # the exports' --reference need) with the instance, exit 0, no word
    source = tmp_path / "demo.yaml"
    source.write_text(COMMENTED, encoding="utf-8")
    out = tmp_path / "x.json"
    out.write_text(json.dumps(held), encoding="utf-8")
    code, _, err = run(["themes", source, "--apply", "-o", out], capsys)
    assert code == 2 and "Traceback" not in err
    assert f"{out}: cannot write the file: {said}" in " ".join(err.split())
    assert json.loads(out.read_text(encoding="utf-8")) == held
    assert source.read_text(encoding="utf-8") == COMMENTED


def test_apply_writes_over_its_own_instance_given_as_output(tmp_path, capsys):
    # an earlier `-o` of the same instance is replaced, as any output is
    source = tmp_path / "demo.yaml"
    source.write_text(COMMENTED, encoding="utf-8")
    out = tmp_path / "themed.yaml"
    out.write_text(COMMENTED, encoding="utf-8")
    code, _, err = run(["themes", source, "--apply", "-o", out], capsys)
    assert code == 0, err
    assert all(p.themes for p in load_instance(out).proposals)
