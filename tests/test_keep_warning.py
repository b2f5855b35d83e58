"""`keep.begun_warning`: a re-solve without `--keep-before` is warned of while the event
is under way, and `diff` and the exports only of the begun workshops the schedule changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import BUNDLED, ROOT

from scheduler.instance import load_instance
from scheduler.keep import begun_warning
from scheduler.solution import ItemKind, Solution, load_solution

PUBLISHED = ROOT / "solutions" / "commons-ai-2026.json"


def _at(monkeypatch, local: str) -> None:
    """Set the clock to a moment of the event's (Paris) time."""
    moment = datetime.fromisoformat(local).replace(tzinfo=load_instance(BUNDLED).event.tz)
    monkeypatch.setattr("scheduler.keep.now", lambda: moment.astimezone(UTC))


def retimed(published: Solution, slot: str) -> Solution:
    """A re-solve of `published` whose workshop in `slot` has a participatory time five
    minutes shorter, what follows it five minutes earlier."""
    solution = published.model_copy(deep=True)
    solution.revision = published.revision + 1
    workshop = next(w for w in solution.workshops if w.slot == slot)
    shorter = next(
        i for i, item in enumerate(workshop.items) if item.kind is ItemKind.PARTICIPATORY
    )
    workshop.items[shorter].end -= timedelta(minutes=5)
    for item in workshop.items[shorter + 1 :]:
        item.start -= timedelta(minutes=5)
        item.end -= timedelta(minutes=5)
    return solution


@pytest.mark.parametrize(
    ("clock", "warned"),
    [
        ("2026-11-30T12:00", False),  # before the event
        ("2026-12-01T10:05", True),  # tue-am-aud under way
        ("2026-12-03T15:24", True),  # the last workshop (thu-pm-aud, to 15:30) under way
        ("2026-12-03T15:30", False),  # every workshop over
        ("2026-12-06T12:00", False),  # days after it
    ],
)
def test_a_re_solve_is_warned_of_while_the_event_is_under_way(monkeypatch, clock, warned):
    # after the event every `solve --reference` warned (the tutorial's step included) that
    # the talks given may move, and told `--keep-before now`, which then keeps everything
    _at(monkeypatch, clock)
    assert bool(begun_warning(load_solution(PUBLISHED))) is warned


def test_diff_and_the_exports_warn_only_of_begun_workshops_the_schedule_changes(monkeypatch):
    # every `diff` and `export --reference` warned once a workshop had begun, of a
    # schedule that had kept them all as published too
    published = load_solution(PUBLISHED)
    same = published.model_copy(deep=True, update={"revision": 1})
    tuesday, thursday = retimed(published, "tue-am-aud"), retimed(published, "thu-pm-seine")
    _at(monkeypatch, "2026-12-01T10:05")
    assert begun_warning(published, "en", same) == []
    assert begun_warning(published, "en", thursday) == []  # (still to come)
    (warning,) = begun_warning(published, "en", tuesday, PUBLISHED.parent / "v2.json")
    assert warning.startswith(
        f"warning: {PUBLISHED.parent / 'v2.json'} changes 1 workshop that began before now "
        "(tue-am-aud), talks already given included"
    )
    assert "give the same --keep-before here" in warning and "--keep-before now" in warning
    (warning,) = begun_warning(published, "fr", tuesday)
    assert warning.startswith(
        "avertissement\u00a0: le nouveau programme modifie 1 atelier déjà commencé (tue-am-aud)"
    )
    _at(monkeypatch, "2026-12-03T14:01")
    assert "(tue-am-aud)" in begun_warning(published, "en", tuesday)[0]
    assert "(thu-pm-seine)" in begun_warning(published, "en", thursday)[0]
    assert begun_warning(published, "en", same) == []
    _at(monkeypatch, "2026-12-06T12:00")  # (the event over: every talk given, nothing said)
    assert begun_warning(published, "en", tuesday) == []
