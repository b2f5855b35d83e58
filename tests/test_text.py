"""scheduler/text.py: how people, times and lists are written in every output."""

from __future__ import annotations

import re
from datetime import datetime

import icalendar
import pytest
import yaml
from conftest import BUNDLED, ROOT, write_ics
from hypothesis import given
from hypothesis import strategies as st

from scheduler.diff import compare, report
from scheduler.exports.common import speakers_named
from scheduler.exports.grid import render_html
from scheduler.exports.ics import IcsOptions
from scheduler.instance import load_instance, parse_instance
from scheduler.solution import load_solution
from scheduler.text import MORE_FR, first_of, moment_label, more_of, name_and_affiliation

PUBLISHED = ROOT / "solutions" / "commons-ai-2026.json"
NESTED = re.compile(r"\([^()]*\([^()]*\)[^()]*\)")
"""Parentheses within parentheses: « Claire Dumontet (Institut … (association)) »."""


@pytest.mark.parametrize(
    ("affiliation", "said"),
    [
        ("", "Claire Dumontet"),
        ("Inria", "Claire Dumontet (Inria)"),
        (
            "Institut des communs numériques (association)",
            "Claire Dumontet (Institut des communs numériques, association)",
        ),
        ("Agrivision (startup)", "Claire Dumontet (Agrivision, startup)"),
        # a comma already: the inner parentheses become brackets, not a second comma
        (
            "CNRS, Centre de recherche sur les usages numériques (CERUN)",
            "Claire Dumontet (CNRS, Centre de recherche sur les usages numériques [CERUN])",
        ),
        ("CNRS (LCC) et Inria", "Claire Dumontet (CNRS [LCC] et Inria)"),
        ("Collectif (Paris) (association)", "Claire Dumontet (Collectif [Paris] [association])"),
    ],
)
def test_an_affiliation_s_parentheses_are_not_nested(affiliation, said):
    # « Claire Dumontet (Institut des communs numériques (association)) »: « ((…)) » is
    # avoided in French typography, and 6 of the sample's 42 affiliations have them
    assert name_and_affiliation("Claire Dumontet", affiliation) == said
    assert not NESTED.search(said)


@pytest.mark.parametrize(
    ("affiliation", "said"),
    [
        # typed in parentheses, as the form's presenters cell asks: 'Ana ([CNRS])'
        ("(CNRS)", "Ana (CNRS)"),
        (" ((CNRS (UMR 5505))) ", "Ana (CNRS, UMR 5505)"),
        ("(A) (B)", "Ana ([A] [B])"),  # (two pairs, not one around it)
        ("()", "Ana"),
        # unbalanced: left as typed, not half-converted ('Ana (CNRS [UMR)')
        ("CNRS (UMR", "Ana (CNRS (UMR)"),
        ("ACME :)", "Ana (ACME :))"),
        ("(CNRS", "Ana ((CNRS)"),
    ],
)
def test_an_affiliation_in_parentheses_or_unbalanced_is_written_sanely(affiliation, said):
    assert name_and_affiliation("Ana", affiliation) == said


def _balanced(text: str) -> bool:
    """Whether each kind of bracket, ( ) and [ ], closes only what is open and all."""
    for opening, closing in ("()", "[]"):
        depth = 0
        for char in text:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                return False
        if depth:
            return False
    return True


@given(st.text(alphabet=st.sampled_from("ab é,()[] :"), max_size=24))
def test_an_affiliation_written_balanced_is_said_balanced_with_all_its_words(affiliation):
    said = name_and_affiliation("Ana", affiliation)
    if _balanced(affiliation):
        assert _balanced(said), said
        # the speaker's parentheses hold no others (no « Ana (X (Y)) »)
        assert "(" not in said[5:-1] and ")" not in said[5:-1], said
    words = re.findall(r"\w+", affiliation)
    assert re.findall(r"\w+", said) == ["Ana", *words], said


def test_every_output_names_speakers_without_nested_parentheses(tmp_path):
    # speakers_named writes the speakers lines of the calendars, the grid and diff
    instance = load_instance(BUNDLED)
    solution = load_solution(PUBLISHED)
    nested = [s.id for s in instance.speakers if "(" in s.affiliation]
    assert len(nested) >= 6
    line = speakers_named(instance, ["s01", "s21"])
    assert line == (
        "Claire Dumontet (Institut des communs numériques, association), "
        "Maxime Tessier (Agrivision, startup)"
    )
    # as a published solution records them, too
    recorded = solution.model_copy(deep=True)
    recorded.speaker_names = {"s01": "Claire Dumontet"}
    recorded.speaker_affiliations = {"s01": "Institut des communs numériques (association)"}
    assert recorded.speaker_labels() == {
        "s01": "Claire Dumontet (Institut des communs numériques, association)"
    }
    page = render_html(instance, solution, lang="fr")
    assert "Claire Dumontet (Institut des communs numériques, association)" in page
    assert not NESTED.search(page)
    write_ics(instance, solution, tmp_path / "ics", IcsOptions(lang="fr"))
    calendar = icalendar.Calendar.from_ical((tmp_path / "ics" / "programme.ics").read_bytes())
    descriptions = " ".join(str(e.get("DESCRIPTION", "")) for e in calendar.walk("VEVENT"))
    assert "Claire Dumontet (Institut des communs numériques, association)" in descriptions
    assert not NESTED.search(descriptions)
    # diff: each speaker's paragraph is headed by her name and affiliation
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    next(p for p in data["proposals"] if p["id"] == "p01")["speakers"] = ["s01"]
    changed = parse_instance(data)
    new = solution.model_copy(deep=True)
    new.speakers["p01"] = ["s01"]
    said = report(compare(solution, new), solution, new, changed, "fr")
    assert "Claire Dumontet (Institut des communs numériques, association)\u00a0:" in said
    assert not NESTED.search(said)


def test_how_many_more_is_said_as_french_says_it():
    # « et 2 de plus » was a calque of "and 2 more", where `diff` and the reasons said
    # « et 2 autres »; and one left out is « et 1 autre »
    ids = [f"s{i}" for i in range(12)]
    assert first_of(ids, more=MORE_FR) == ", ".join(ids[:10]) + " et 2 autres"
    assert first_of(ids[:11], more=MORE_FR) == ", ".join(ids[:10]) + " et 1 autre"
    assert first_of(ids) == ", ".join(ids[:10]) + " and 2 more"
    assert first_of(ids[:11]) == ", ".join(ids[:10]) + " and 1 more"
    assert more_of(1, MORE_FR) == "et 1 autre" and more_of(3, MORE_FR) == "et 3 autres"


@pytest.mark.parametrize("count", [1, 12])
def test_the_note_on_begun_workshops_reads_as_french(monkeypatch, count):
    # « 12 ateliers publiés de la référence ont déjà commencé (…, thu-am-puteaux et 2 de
    # plus) et peuvent être déplacés ou modifiés : passez --keep-before now pour conserver
    # tel que publié ce qui a commencé »
    from datetime import timedelta

    from scheduler.keep import begun_warning as _begun

    solution = load_solution(PUBLISHED)
    starts = sorted(w.start for w in solution.workshops)
    moment = starts[count - 1] + timedelta(minutes=1)
    monkeypatch.setattr("scheduler.keep.now", lambda: moment)
    (note,) = _begun(solution, "fr")
    begun = [w.slot for w in solution.workshops if w.start < moment]
    assert len(begun) == count
    if count == 1:
        assert note == (
            f"avertissement\u00a0: 1 atelier du programme publié (la référence) a déjà "
            f"commencé ({begun[0]}) et pourrait être déplacé ou modifié, des interventions "
            "déjà faites comprises, puis annulé ou réécrit dans les agendas par "
            "l'export\u00a0: ajoutez --keep-before now pour le conserver tel que publié"
        )
    else:
        assert note == (
            f"avertissement\u00a0: 12 ateliers du programme publié (la référence) ont déjà "
            f"commencé ({', '.join(begun[:10])} et 2 autres) et pourraient être déplacés ou "
            "modifiés, des interventions déjà faites comprises, puis annulés ou réécrits dans "
            "les agendas par l'export\u00a0: ajoutez --keep-before now pour les conserver "
            "tels que publiés"
        )
    assert "passez" not in note and "de plus" not in note


def test_a_day_in_english_is_not_zero_padded_anywhere(tmp_path):
    # 'Tue 01 Dec' in --keep-before's notes and the validator's messages, where the
    # reasons, the calendars and diff wrote 'Tue 1 Dec'
    instance = load_instance(BUNDLED)
    zone = instance.local(instance.slots[0].start).tzinfo
    moment = datetime(2026, 12, 1, 9, 5, 7, tzinfo=zone)
    assert moment_label(instance, moment) == "Tue 1 Dec 09:05"
    assert moment_label(instance, moment, seconds=True, year=True) == "Tue 1 Dec 2026 09:05:07"
    assert moment_label(instance, moment, "fr") == "mar. 1er déc. 09:05"
    from scheduler.text import day_en
    from scheduler.validate import _day, _span

    assert day_en(moment.date()) == "Tue 1 Dec"
    assert _day(instance, moment) == "Tue 1 Dec"
    assert _span(instance, moment, moment.replace(hour=10)) == "Tue 1 Dec 09:05–10:05"
