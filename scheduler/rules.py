"""The rule book: each rule's stable id and its meaning in one line.

The model, the validator, the `weights:` names, docs/rules.md and the README spell
the ids out themselves (neither the model nor the validator imports this module);
tests/test_rules.py checks that each of them names exactly these rules.
"""

from __future__ import annotations

HARD_RULES: dict[str, str] = {
    "placed-once": "A proposal is in at most one workshop.",
    "one-workshop-per-slot": "A slot holds at most one workshop; its timeline stays inside the "
    "slot and its items do not overlap.",
    "durations": "Talks last their format's minutes; every keynote is followed by participatory "
    "time between the rules' min and max.",
    "composition": "Keynote and initiative counts per workshop lie within the rules' ranges.",
    "language": "Every proposal in a workshop has the workshop's language (unless mixed "
    "workshops are allowed).",
    "theme": "The workshop's theme is one of each of its proposals' themes.",
    "speaker-availability": "Every speaker of a proposal is available for the whole slot of "
    "its workshop.",
    "speaker-clash": "No speaker is in two workshops whose slots overlap.",
    "pin": "A pinned proposal is in its slot.",
    "slot-lock": "A closed slot holds no workshop; a frozen slot holds only the proposals "
    "pinned to it; a slot with a fixed theme or language holds a workshop of that theme or "
    "language; with --keep-before, what began before the moment stays as published.",
    "together": "Proposals that must share a workshop do.",
    "apart": "Proposals that must not share a workshop do not.",
}

SOFT_RULES: dict[str, str] = {
    "unscheduled": "Per proposal left out of every workshop.",
    "secondary-theme": "Per proposal placed under a theme other than its primary one.",
    "parallel-theme": "Per pair of overlapping workshops with the same theme.",
    "parallel-language": "Per pair of overlapping workshops, for each language they share.",
    "participatory-target": "Per minute a keynote's participatory time falls short of the target.",
    "idle-minutes": "Per idle minute in a used slot.",
    "speaker-preference": "Per proposal placed outside its own or its speakers' preferred windows.",
    "moved": "Per proposal whose slot differs from the reference (published) schedule.",
}

SOFT_RULES_FR: dict[str, str] = {
    "unscheduled": "propositions non programmées",
    "secondary-theme": "thème secondaire",
    "parallel-theme": "même thème en parallèle",
    "parallel-language": "même langue en parallèle",
    "participatory-target": "temps participatif sous la cible",
    "idle-minutes": "minutes inoccupées",
    "speaker-preference": "hors des plages préférées",
    "moved": "changements de créneau",
}
"""What each soft rule counts, in French, beside its id (the id is what `weights:` names)."""
