"""Shared test helpers: small instances built as plain data, solved with small limits."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.candidates import candidate_table
from scheduler.greedy import greedy_solution
from scheduler.instance import Instance, load_instance, parse_instance
from scheduler.relaxation import Relaxation
from scheduler.solution import Solution
from scheduler.solve import SolveOptions, _members, solve

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
if str(ROOT) not in sys.path:  # the benchmarks' package, `bench`, is not installed
    sys.path.insert(0, str(ROOT))
TINY = DATA / "tiny.yaml"
BUNDLED = ROOT / "instances" / "commons-ai-2026.yaml"

FAST = SolveOptions(time_limit=10, seed=0, workers=1)


def base_data() -> dict[str, Any]:
    """One day, two rooms, two parallel 90-minute morning slots, no proposals yet."""
    return {
        "name": "unit",
        "event": {
            "title": "Unit event",
            "venue": "Test venue",
            "timezone": "Europe/Paris",
            "days": ["2026-12-01", "2026-12-01"],
        },
        "themes": [
            {"id": "open", "label": {"fr": "Ouverture", "en": "Openness"}},
            {"id": "data", "label": {"fr": "Données", "en": "Data"}},
        ],
        "rooms": [{"id": "a", "name": "Room A"}, {"id": "b", "name": "Room B"}],
        "slots": [
            {"id": "s1", "room": "a", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:30:00"},
            {"id": "s2", "room": "b", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:30:00"},
        ],
        "speakers": [
            {"id": f"sp{i}", "name": f"Speaker {i}", "affiliation": f"Org {i}"} for i in range(1, 9)
        ],
        "proposals": [],
    }


def proposal(pid: str, fmt: str = "keynote", lang: str = "fr", speakers=None, themes=None, **extra):
    return {
        "id": pid,
        "title": f"Title of {pid}",
        "format": fmt,
        "language": lang,
        "speakers": speakers or ["sp1"],
        "themes": themes or ["open"],
        **extra,
    }


def build(data: dict[str, Any]) -> Instance:
    return parse_instance(copy.deepcopy(data), "unit.yaml")


def solve_data(data: dict[str, Any], options: SolveOptions = FAST) -> tuple[Instance, Solution]:
    instance = build(data)
    return instance, solve(instance, "sha256:test", options)


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def data() -> dict[str, Any]:
    return base_data()


def greedy_start(instance, candidates):
    """First fit's schedule as members and theme per slot, and its objective."""
    start = greedy_solution(instance, "sha256:x", candidates)
    return _members(start), start.objective


def from_greedy(path):
    """The instance, its relaxation, the greedy schedule's columns and objective."""
    instance = load_instance(path)
    candidates = candidate_table(instance)
    relaxation = Relaxation(instance, candidates)
    (members, themes), objective = greedy_start(instance, candidates)
    return instance, relaxation, relaxation.encode(members, themes), objective
