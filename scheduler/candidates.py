"""Candidate slots of each proposal, computed before the model is built.

A slot is a candidate for a proposal when nothing about the proposal alone rules
it out: the slot is open, long enough for the smallest workshop holding it, its
fixed language and theme fit, the proposal's pin names it, and every speaker is
available for the whole slot. A proposal with no candidate is reported with the
concrete reason each slot failed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.instance import Instance, Proposal, Slot, Speaker
from scheduler.text import fmt_span


@dataclass
class CandidateTable:
    """Candidate slots per proposal, and why the others were ruled out."""

    slots: dict[str, list[str]] = field(default_factory=dict)
    excluded: dict[str, dict[str, str]] = field(default_factory=dict)

    def reasons(self, proposal_id: str) -> list[str]:
        """Sentences explaining why a proposal has no candidate slot, grouped by cause."""
        grouped: dict[str, list[str]] = defaultdict(list)
        for slot_id, why in self.excluded.get(proposal_id, {}).items():
            grouped[why].append(slot_id)
        return [f"{why}: {', '.join(slots)}" for why, slots in grouped.items()]


def speaker_unavailability(instance: Instance, speaker: Speaker, slot: Slot) -> str | None:
    """Why `speaker` cannot be in `slot`, or None when available for the whole slot."""
    if speaker.available is not None and not any(
        w.contains(slot.start, slot.end) for w in speaker.available
    ):
        windows = (
            "; ".join(fmt_span(instance, w.start, w.end) for w in speaker.available) or "never"
        )
        return f"speaker {speaker.name} ({speaker.id}) is available only {windows}"
    for window in speaker.unavailable:
        if window.overlaps(slot.start, slot.end):
            return (
                f"speaker {speaker.name} ({speaker.id}) is unavailable "
                f"{fmt_span(instance, window.start, window.end)}"
            )
    return None


def minimal_minutes(instance: Instance, proposal: Proposal) -> int:
    """Length of the smallest workshop that can hold `proposal`."""
    rules = instance.rules
    keynote_talks = [instance.talk_minutes(p) for p in instance.proposals if p.is_keynote]
    cheapest_keynote = min(keynote_talks, default=rules.keynote_minutes)
    minutes = rules.opening_minutes + rules.closing_minutes + rules.changeover_minutes
    minutes += instance.talk_minutes(proposal) + rules.changeover_minutes
    keynotes_needed = rules.keynotes_per_workshop.min
    if proposal.is_keynote:
        minutes += rules.participatory.min
        keynotes_needed -= 1
    minutes += max(0, keynotes_needed) * (
        cheapest_keynote + rules.participatory.min + rules.changeover_minutes
    )
    return minutes


def exclusion(instance: Instance, proposal: Proposal, slot: Slot) -> str | None:
    """Why `slot` cannot hold `proposal` whatever else is placed, or None."""
    rules = instance.rules
    if slot.closed:
        return "slot closed"
    if proposal.pin is not None and proposal.pin != slot.id:
        return f"pinned to {proposal.pin}"
    if not proposal.themes:
        return "no theme assigned to the proposal"
    if slot.theme is not None and slot.theme not in proposal.themes:
        return f"slot's theme is fixed to {slot.theme}"
    if (
        slot.language is not None
        and not rules.mixed_language
        and slot.language != proposal.language
    ):
        return f"slot's language is fixed to {slot.language.value}"
    needed = minimal_minutes(instance, proposal)
    if needed > slot.minutes:
        return f"slot too short ({slot.minutes} min, the smallest workshop holding it needs {needed} min)"
    for speaker_id in proposal.speakers:
        why = speaker_unavailability(instance, instance.speaker_by_id[speaker_id], slot)
        if why:
            return why
    return None


def candidate_table(instance: Instance) -> CandidateTable:
    """Candidates of every proposal, in the instance's slot order."""
    table = CandidateTable()
    for proposal in instance.proposals:
        table.slots[proposal.id] = []
        table.excluded[proposal.id] = {}
        for slot in instance.slots:
            why = exclusion(instance, proposal, slot)
            if why is None:
                table.slots[proposal.id].append(slot.id)
            else:
                table.excluded[proposal.id][slot.id] = why
    return table
