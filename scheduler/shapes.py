"""Workshop arithmetic shared by the CP-SAT model and the aggregated relaxation.

Plain functions of the instance and its rules (no solver import), so the relaxation's
process starts without loading OR-Tools.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from scheduler.instance import Instance, Proposal, Rules, Slot, covers


def frame_minutes(rules: Rules, slot: Slot) -> int:
    """Minutes of a slot left for talks and participatory time (opening, closing off)."""
    return slot.minutes - rules.opening_minutes - rules.closing_minutes - rules.changeover_minutes


Overriding = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]
"""Talks that override their format's length: (minutes, how many) of the keynotes, then
of the initiatives."""


def overriding_talks(instance: Instance, proposals: Iterable[Proposal]) -> Overriding:
    """The talks among `proposals` whose minutes are not their format's."""
    rules = instance.rules
    counts: dict[bool, Counter[int]] = {True: Counter(), False: Counter()}
    for proposal in proposals:
        minutes = instance.talk_minutes(proposal)
        if minutes != rules.talk_minutes(proposal.format):
            counts[proposal.is_keynote][minutes] += 1
    return tuple(sorted(counts[True].items())), tuple(sorted(counts[False].items()))


def _changes(lengths: tuple[tuple[int, int], ...], default: int, most: int) -> set[int]:
    """The minutes by which talks of `lengths` (minutes, how many) change the talks of a
    workshop of `most` talks of `default` minutes: any of them, up to `most`, in place
    of default ones."""
    reach: list[set[int]] = [{0}] + [set() for _ in range(most)]  # by talks replaced
    for minutes, count in lengths:
        step = minutes - default
        for used in range(most, 0, -1):  # (from the top: each talk counted once a length)
            for taken in range(1, min(count, used) + 1):
                reach[used] |= {change + taken * step for change in reach[used - taken]}
    return set().union(*reach)


def workshop_shapes(
    rules: Rules, frame: int, overriding: Overriding | None = None
) -> dict[tuple[int, int], tuple[int, int]]:
    """Feasible shapes (keynotes, initiatives) of a workshop, with default talk lengths
    or, given the `overriding` talks it may hold, with any of them too.

    Maps each shape whose talks leave every keynote its minimum participatory time
    within `frame` minutes to its (idle, shortfall) minutes: spare = frame - talks and
    changeovers; participatory = min(spare, max * k); idle = spare - participatory;
    shortfall = max(0, target * k - spare). With overriding talks the spare depends on
    which the workshop holds: the least idle and the least shortfall of any that fit
    (each on its own), so the costs bound every workshop of the shape from below.
    """
    p_rules = rules.participatory
    keynote_cost = rules.keynote_minutes + rules.changeover_minutes
    initiative_cost = rules.initiative_minutes + rules.changeover_minutes
    keynote_lengths, initiative_lengths = overriding or ((), ())
    shapes = {}
    for k in range(rules.keynotes_per_workshop.min, rules.keynotes_per_workshop.max + 1):
        keynote_changes = _changes(keynote_lengths, rules.keynote_minutes, k)
        for i in range(rules.initiatives_per_workshop.min, rules.initiatives_per_workshop.max + 1):
            if k + i == 0:
                continue
            initiative_changes = _changes(initiative_lengths, rules.initiative_minutes, i)
            spare = frame - k * keynote_cost - i * initiative_cost
            fitting = [
                spare - a - b
                for a in keynote_changes
                for b in initiative_changes
                if spare - a - b >= p_rules.min * k
            ]
            if fitting:
                shapes[k, i] = (
                    max(0, min(fitting) - p_rules.max * k),
                    max(0, p_rules.target * k - max(fitting)),
                )
    return shapes


def one_talk_shapes(
    rules: Rules, frame: int, keynote: bool, minutes: int
) -> dict[tuple[int, int], tuple[int, int]]:
    """The shapes of a workshop holding exactly one talk of its own length (a keynote or
    an initiative of `minutes`), the others of their format's, with their exact (idle,
    shortfall) minutes: the default shapes of a frame moved by the talk's change."""
    default = rules.keynote_minutes if keynote else rules.initiative_minutes
    shapes = workshop_shapes(rules, frame - (minutes - default))
    return {shape: costs for shape, costs in shapes.items() if shape[0 if keynote else 1] >= 1}


def outside_preference(instance: Instance, proposal_id: str, slot_id: str) -> bool:
    """True when the slot is outside the proposal's or one of its speakers' preferred windows."""
    proposal = instance.proposal_by_id[proposal_id]
    slot = instance.slot_by_id[slot_id]
    preferences = [proposal.preferred] + [
        instance.speaker_by_id[s].preferred for s in proposal.speakers
    ]
    return any(
        windows is not None and not covers(windows, slot.start, slot.end) for windows in preferences
    )
