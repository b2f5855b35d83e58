"""Workshop arithmetic shared by the CP-SAT model and the aggregated relaxation.

Plain functions of the instance and its rules (no solver import), so the relaxation's
process starts without loading OR-Tools.
"""

from __future__ import annotations

from scheduler.instance import Instance, Rules, Slot


def frame_minutes(rules: Rules, slot: Slot) -> int:
    """Minutes of a slot left for talks and participatory time (opening, closing off)."""
    return slot.minutes - rules.opening_minutes - rules.closing_minutes - rules.changeover_minutes


def workshop_shapes(rules: Rules, frame: int) -> dict[tuple[int, int], tuple[int, int]]:
    """Feasible shapes (keynotes, initiatives) of a workshop with default talk lengths.

    Maps each shape whose talks leave every keynote its minimum participatory time
    within `frame` minutes to its (idle, shortfall) minutes: spare = frame - talks and
    changeovers; participatory = min(spare, max * k); idle = spare - participatory;
    shortfall = max(0, target * k - spare).
    """
    p_rules = rules.participatory
    keynote_cost = rules.keynote_minutes + rules.changeover_minutes
    initiative_cost = rules.initiative_minutes + rules.changeover_minutes
    shapes = {}
    for k in range(rules.keynotes_per_workshop.min, rules.keynotes_per_workshop.max + 1):
        for i in range(rules.initiatives_per_workshop.min, rules.initiatives_per_workshop.max + 1):
            spare = frame - k * keynote_cost - i * initiative_cost
            if k + i == 0 or spare < p_rules.min * k:
                continue
            shapes[k, i] = (max(0, spare - p_rules.max * k), max(0, p_rules.target * k - spare))
    return shapes


def outside_preference(instance: Instance, proposal_id: str, slot_id: str) -> bool:
    """True when the slot is outside the proposal's or one of its speakers' preferred windows."""
    proposal = instance.proposal_by_id[proposal_id]
    slot = instance.slot_by_id[slot_id]
    preferences = [proposal.preferred] + [
        instance.speaker_by_id[s].preferred for s in proposal.speakers
    ]
    return any(
        windows is not None and not any(w.contains(slot.start, slot.end) for w in windows)
        for windows in preferences
    )
