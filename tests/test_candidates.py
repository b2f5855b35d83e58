"""The candidate table: each verdict it gives a kind of proposal or slot is the one the
pair check (`exclusion`) gives each of them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from conftest import FAST, build, exclusion, proposal, solve_data

from scheduler.candidates import candidate_table, minimal_minutes
from scheduler.keep import keep_before
from scheduler.reasons import translate
from scheduler.solution import Item, ItemKind, Solution, Status, Workshop


def _pair_checks(instance, proposal_id: str) -> list[str]:
    """The slots `exclusion` leaves to a proposal, in slot order."""
    found = instance.proposal_by_id[proposal_id]
    return [s.id for s in instance.slots if exclusion(instance, found, s) is None]


@pytest.mark.parametrize("initiative_first", [True, False])
def test_a_keynote_never_gets_an_initiatives_verdict(data, initiative_first):
    # keynote-only rules; the 30-minute keynote k1 and the initiative i1 need workshops
    # of the same minutes (60: its talk and participatory time, or i1's talk and the
    # 20-minute keynote k2 it needs). Whichever came first gave the other its verdict:
    # k1 "no workshop may hold a initiative" and left out, or i1 k1's two slots.
    data["rules"] = {"initiatives_per_workshop": {"min": 0, "max": 0}}
    keynote = proposal("k1", minutes=30)
    initiative = proposal("i1", "initiative", speakers=["sp2"])
    data["proposals"] = [initiative, keynote] if initiative_first else [keynote, initiative]
    data["proposals"].append(proposal("k2", speakers=["sp3"]))
    instance = build(data)
    needed = {p.id: minimal_minutes(instance, p) for p in instance.proposals}
    assert needed["k1"] == needed["i1"] == 60

    table = candidate_table(instance)
    assert table.slots["k1"] == _pair_checks(instance, "k1") == ["s1", "s2"]
    assert table.slots["i1"] == _pair_checks(instance, "i1") == []
    assert table.reasons("i1") == ["no workshop may hold an initiative: s1, s2"]
    assert table.reasons("k1") == []


def test_proposal_order_does_not_change_what_a_format_forbidden_leaves_out(data):
    # the solve of the same instance, its proposals in either order: k1 placed, i1 left
    # out as no workshop may hold an initiative (k1 was left out, the file said optimal)
    data["rules"] = {"initiatives_per_workshop": {"min": 0, "max": 0}}
    first = [proposal("i1", "initiative", speakers=["sp2"]), proposal("k1", minutes=30)]
    data["proposals"] = [*first, proposal("k2", speakers=["sp3"])]
    results = []
    for order in (first, first[::-1]):
        data["proposals"][:2] = order
        _, solution = solve_data(data, FAST)
        assert solution.status is Status.OPTIMAL
        placed = {p for w in solution.workshops for p in w.proposals}
        reasons = {u.proposal: u.reasons for u in solution.unscheduled}
        results.append((solution.objective, placed, reasons))
    assert results[0] == results[1]
    assert results[0][1] == {"k1", "k2"}
    assert results[0][2] == {"i1": ["no workshop may hold an initiative: s1, s2"]}


@pytest.mark.parametrize("frozen_first", [True, False])
def test_a_coordinator_frozen_slot_is_not_said_begun(data, frozen_first):
    # re-solved at noon (--keep-before), s1's published workshop (theme open, in French,
    # 90 minutes) is kept; s3, frozen by the coordinator in the afternoon with the same
    # theme, language and minutes, was said "slot begun (its workshop is kept as
    # published)" like it (or s1 "slot frozen", s3 listed first); s4 is open
    frozen = {
        "id": "s3",
        "room": "a",
        "start": "2026-12-01T14:00:00",
        "end": "2026-12-01T15:30:00",
        "frozen": True,
        "theme": "open",
        "language": "fr",
    }
    later = {**frozen, "id": "s4", "room": "b", "frozen": False}
    later.pop("theme"), later.pop("language")
    data["slots"] = [frozen, *data["slots"]] if frozen_first else [*data["slots"], frozen]
    data["slots"].append(later)
    data["proposals"] = [proposal("k1"), proposal("k2", speakers=["sp2"])]
    instance = build(data)
    s1 = instance.slot_by_id["s1"]
    published = Solution(
        instance="unit",
        instance_hash="sha256:x",
        status=Status.OPTIMAL,
        workshops=[
            Workshop(
                slot="s1",
                room="a",
                theme="open",
                language="fr",
                start=s1.start,
                end=s1.end,
                items=[Item(kind=ItemKind.KEYNOTE, proposal="k1", start=s1.start, end=s1.end)],
            )
        ],
    )
    noon = datetime(2026, 12, 1, 12, tzinfo=instance.event.tz)
    kept = keep_before(instance, published, Path("published.json"), noon)
    assert kept.workshops == ["s1"]
    slot = instance.slot_by_id
    assert (slot["s1"].frozen, slot["s1"].theme, slot["s1"].language) == (
        slot["s3"].frozen,
        slot["s3"].theme,
        slot["s3"].language,
    )

    table = candidate_table(instance)
    k2 = instance.proposal_by_id["k2"]
    for slot_id in ("s1", "s3"):
        assert table.excluded["k2"][slot_id] == exclusion(instance, k2, slot[slot_id])
    assert table.excluded["k2"] == {
        "s1": "slot begun (its workshop is kept as published)",
        "s2": "slot begun with no workshop kept there",
        "s3": "slot frozen (it holds only the proposals pinned to it)",
    }
    assert table.slots["k2"] == ["s4"]


def test_a_format_forbidden_reads_in_french():
    # (it read « aucun atelier ne peut accueillir de initiative »)
    for english, french in (
        ("no workshop may hold an initiative", "aucun atelier ne peut accueillir d'initiative"),
        ("no workshop may hold a keynote", "aucun atelier ne peut accueillir de keynote"),
    ):
        assert translate(f"{english}: s1, s2", "fr") == f"s1, s2\u00a0: {french}"
