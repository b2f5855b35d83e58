"""Variations of a generated instance, for `python -m bench.fuzz --vary`.

The generator writes every instance with the default rules, no fixed slot themes and
no talk-length overrides, so the fuzz alone never sees the rules a coordinator may
change. `vary` changes some of them at random on the generated document (each kind of
change drawn on its own, so most instances get a few and some none): the rules'
minutes and ranges, mixed languages, the weights, talks of their own length, slots
with a fixed theme or language or closed, proposals with preferred windows, pins. The
planted schedule may no longer fit; the solver must still keep every hard rule and
count its objective as the validator does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

CHANCE = 0.25
"""How often each kind of change is drawn."""

SOFT_RULES = (
    "secondary-theme",
    "parallel-theme",
    "parallel-language",
    "participatory-target",
    "idle-minutes",
    "speaker-preference",
)


def vary(document: dict, rng: random.Random) -> list[str]:
    """Change `document` (a generated instance) in place; what was changed, in words."""

    def drawn() -> bool:
        return rng.random() < CHANCE

    return _vary_rules(document["rules"], rng, drawn) + _vary_venue(document, rng, drawn)


def _vary_rules(rules: dict, rng: random.Random, drawn: Callable[[], bool]) -> list[str]:
    """The rules' minutes, ranges, languages and weights, each kind when `drawn()`."""
    changes: list[str] = []
    if drawn():
        rules["mixed_language"] = True
        changes.append("mixed languages")
    if drawn():
        rules["changeover_minutes"] = rng.choice([2, 5])
        changes.append(f"changeover {rules['changeover_minutes']}")
    if drawn():
        low = rng.choice([10, 15, 20])
        target = low + rng.choice([0, 5, 10, 15])
        rules["participatory"] = {
            "min": low,
            "target": target,
            "max": target + rng.choice([0, 15, 30]),
        }
        changes.append("participatory {min}/{target}/{max}".format(**rules["participatory"]))
    if drawn():
        rules["keynote_minutes"] = rng.choice([15, 25, 30])
        rules["initiative_minutes"] = rng.choice([5, 10, 15])
        changes.append(f"talks {rules['keynote_minutes']}/{rules['initiative_minutes']} min")
    if drawn():
        rules["opening_minutes"] = rng.choice([0, 10])
        rules["closing_minutes"] = rng.choice([0, 5, 10])
        changes.append(f"opening {rules['opening_minutes']}, closing {rules['closing_minutes']}")
    if drawn():
        low = rng.choice([0, 1])
        rules["keynotes_per_workshop"] = {"min": low, "max": rng.choice([max(1, low), 2, 3])}
        changes.append("keynotes {min}-{max}".format(**rules["keynotes_per_workshop"]))
    if drawn():
        rules["initiatives_per_workshop"] = {
            "min": rng.choice([0, 0, 1]),
            "max": rng.choice([2, 3, 5, 6]),
        }
        changes.append("initiatives {min}-{max}".format(**rules["initiatives_per_workshop"]))
    if drawn():
        weights = {rule: rng.choice([0, 1, 3, 10, 40]) for rule in SOFT_RULES if rng.random() < 0.5}
        if weights:
            rules["weights"] = weights
            changes.append("weights " + ", ".join(f"{r} {w}" for r, w in weights.items()))
    return changes


def _vary_venue(document: dict, rng: random.Random, drawn: Callable[[], bool]) -> list[str]:
    """Talks of their own length, locked and closed slots, preferred windows and pins,
    each kind when `drawn()`."""
    changes: list[str] = []
    proposals, slots = document["proposals"], document["slots"]
    if drawn():
        some = rng.sample(proposals, max(1, len(proposals) // 30))
        for proposal in some:
            keynote = proposal["format"] == "keynote"
            proposal["minutes"] = rng.choice([15, 25, 30] if keynote else [5, 15, 20])
        changes.append(f"{len(some)} talks of their own length")
    open_slots = [s for s in slots if not s.get("closed")]
    if drawn():
        # (not where the generator pinned a proposal: its pin would mostly not hold)
        pinned = {p["pin"] for p in proposals if "pin" in p}
        lockable = [s for s in open_slots if s["id"] not in pinned]
        themes = [t["id"] for t in document["themes"]]
        some = rng.sample(lockable, max(1, len(lockable) // 10))
        for slot in some:
            if rng.random() < 0.6:
                slot["theme"] = rng.choice(themes)
            else:
                slot["language"] = rng.choice(["fr", "en"])
        changes.append(f"{len(some)} slots with a fixed theme or language")
    if drawn():
        some = rng.sample(open_slots, max(1, len(open_slots) // 15))
        for slot in some:
            slot["closed"] = True
            for proposal in proposals:
                if proposal.get("pin") == slot["id"]:
                    del proposal["pin"]
        changes.append(f"{len(some)} more slots closed")
    if drawn():
        some = rng.sample(proposals, max(1, len(proposals) // 10))
        for proposal in some:
            slot = rng.choice(slots)
            start = datetime.fromisoformat(slot["start"])
            proposal["preferred"] = [
                {
                    "start": (start - timedelta(hours=1)).isoformat(),
                    "end": (start + timedelta(hours=rng.choice([3, 6]))).isoformat(),
                }
            ]
        changes.append(f"{len(some)} proposals with preferred windows")
    if drawn():
        # pins most of which can hold: free speakers, distinct open slots of 90 minutes or
        # more with no fixed theme or language (a pin that cannot hold makes the instance
        # infeasible, which the solver says at once; the pins' checks are unit-tested)
        bound = {
            s["id"] for s in document["speakers"] if s.get("available") or s.get("unavailable")
        }
        free = [p for p in proposals if "pin" not in p and not bound & set(p["speakers"])]
        long = [
            s["id"]
            for s in slots
            if _minutes(s) >= 90 and not ({"closed", "theme", "language"} & s.keys())
        ]
        count = min(len(free), len(long), max(1, len(proposals) // 40))
        for proposal, slot_id in zip(rng.sample(free, count), rng.sample(long, count), strict=True):
            proposal["pin"] = slot_id
        changes.append(f"{count} proposals pinned at random")
    return changes


def _minutes(slot: dict) -> int:
    start, end = (datetime.fromisoformat(slot[key]) for key in ("start", "end"))
    return int((end - start).total_seconds() // 60)
