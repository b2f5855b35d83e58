"""scheduler/text.py: how people, times and lists are written in every output."""

from __future__ import annotations

import re

import icalendar
import pytest
import yaml
from conftest import BUNDLED, ROOT

from scheduler.diff import compare, report
from scheduler.exports.common import speakers_named
from scheduler.exports.grid import render_html
from scheduler.exports.ics import IcsOptions, write_ics
from scheduler.instance import load_instance, parse_instance
from scheduler.solution import load_solution
from scheduler.text import name_and_affiliation

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
