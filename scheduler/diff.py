"""What changed between two solutions, per proposal and per speaker, in words for an e-mail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scheduler.exports.common import day_label
from scheduler.instance import Instance
from scheduler.solution import ItemKind, Solution
from scheduler.text import first_of, plural


@dataclass(frozen=True)
class Placement:
    slot: str
    room: str
    start: datetime
    end: datetime


@dataclass
class Change:
    """One proposal's change: moved, retimed (same slot, other time), appeared or disappeared."""

    proposal: str
    kind: str
    old: Placement | None = None
    new: Placement | None = None


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    workshops_changed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.changes and not self.workshops_changed


def placements(solution: Solution) -> dict[str, Placement]:
    """Proposal id -> where and when its talk is."""
    found = {}
    for workshop in solution.workshops:
        for item in workshop.items:
            if item.proposal and item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
                found[item.proposal] = Placement(workshop.slot, workshop.room, item.start, item.end)
    return found


def compare(old: Solution, new: Solution) -> Diff:
    """Every proposal whose placement differs, and every slot whose workshop differs."""
    before, after = placements(old), placements(new)
    diff = Diff()
    for proposal_id in sorted(set(before) | set(after)):
        a, b = before.get(proposal_id), after.get(proposal_id)
        if a == b:
            continue
        if a is None:
            kind = "appeared"
        elif b is None:
            kind = "disappeared"
        elif a.slot != b.slot:
            kind = "moved"
        else:
            kind = "retimed"
        diff.changes.append(Change(proposal_id, kind, a, b))

    def signature(solution: Solution) -> dict[str, tuple]:
        return {w.slot: (w.theme, w.language, tuple(w.proposals)) for w in solution.workshops}

    old_ws, new_ws = signature(old), signature(new)
    diff.workshops_changed = sorted(
        slot for slot in set(old_ws) | set(new_ws) if old_ws.get(slot) != new_ws.get(slot)
    )
    return diff


PHRASES = {
    "en": {
        "appeared": "{name} is now scheduled: {new}",
        "disappeared": "{name} is no longer scheduled (it was {old})",
        "moved": "{name} moves from {old} to {new}",
        "retimed": "{name} changes time from {old} to {new}",
        "none": "No change: every proposal keeps its slot and time.",
        "counts": "{moved} moved, {retimed} retimed, {appeared} newly scheduled, "
        "{disappeared} no longer scheduled; {workshops} changed: {slots}",
        "orphans": "Proposals no longer in the instance:",
        "more": "and {} more",
    },
    "fr": {
        "appeared": "{name} est désormais programmée : {new}",
        "disappeared": "{name} n'est plus programmée (elle était prévue le {old})",
        "moved": "{name} est déplacée du {old}, au {new}",
        "retimed": "{name} change d'horaire : du {old}, au {new}",
        "none": "Aucun changement : chaque intervention garde son créneau et son horaire.",
        "counts": "interventions déplacées : {moved} ; horaires changés : {retimed} ; "
        "nouvellement programmées : {appeared} ; plus programmées : {disappeared} ; "
        "ateliers modifiés : {workshop_count} ({slots})",
        "orphans": "Interventions qui ne sont plus dans l'instance :",
        "more": "et {} autres",
    },
}
"""The report's sentences in each language (an intervention, feminine in French)."""


def _where(instance: Instance | None, placement: Placement, lang: str = "en") -> str:
    start, end = placement.start, placement.end
    if instance is not None:
        start, end = instance.local(start), instance.local(end)
        room = (
            instance.room_by_id[placement.room].name
            if placement.room in instance.room_by_id
            else placement.room
        )
    else:
        room = placement.room
    if lang == "fr":  # "mardi 1er décembre, 14:05-14:25, Salle Puteaux"
        return f"{day_label(start.date(), 'fr', year=False)}, {start:%H:%M}-{end:%H:%M}, {room}"
    return f"{start:%a %d %b %H:%M}-{end:%H:%M}, {room}"


def sentence(change: Change, instance: Instance | None, lang: str = "en") -> str:
    """One change in words: «Title» (id) moves from ... to ...."""
    name = change.proposal
    if instance is not None and change.proposal in instance.proposal_by_id:
        name = f"«{instance.proposal_by_id[change.proposal].title}» ({change.proposal})"
    old = _where(instance, change.old, lang) if change.old is not None else ""
    new = _where(instance, change.new, lang) if change.new is not None else ""
    return PHRASES[lang][change.kind].format(name=name, old=old, new=new)


def report(
    diff: Diff, old: Solution, new: Solution, instance: Instance | None, lang: str = "en"
) -> str:
    """Plain text: changes grouped per speaker (when the instance is known), then per slot."""
    phrases = PHRASES[lang]
    if diff.empty:
        return phrases["none"] + "\n"
    lines = []
    counts = {
        k: sum(1 for c in diff.changes if c.kind == k)
        for k in ("moved", "retimed", "appeared", "disappeared")
    }
    lines.append(
        phrases["counts"].format(
            **counts,
            workshops=plural(len(diff.workshops_changed), "workshop"),
            workshop_count=len(diff.workshops_changed),
            slots=first_of(diff.workshops_changed, more=phrases["more"]),
        )
    )
    if instance is not None:
        by_speaker: dict[str, list[Change]] = {}
        for change in diff.changes:
            proposal = instance.proposal_by_id.get(change.proposal)
            for speaker_id in proposal.speakers if proposal else []:
                by_speaker.setdefault(speaker_id, []).append(change)
        colon = " :" if lang == "fr" else ":"
        for speaker in instance.speakers:
            if speaker.id not in by_speaker:
                continue
            affiliation = f" ({speaker.affiliation})" if speaker.affiliation else ""
            lines.append("")
            lines.append(f"{speaker.name}{affiliation}{colon}")
            lines.extend(f"  - {sentence(c, instance, lang)}" for c in by_speaker[speaker.id])
        orphans = [c for c in diff.changes if c.proposal not in instance.proposal_by_id]
        if orphans:
            lines.append("")
            lines.append(phrases["orphans"])
            lines.extend(f"  - {sentence(c, instance, lang)}" for c in orphans)
    else:
        lines.append("")
        lines.extend(f"  - {sentence(c, None, lang)}" for c in diff.changes)
    return "\n".join(lines) + "\n"
