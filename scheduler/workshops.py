"""Workshops from their members: each one's timeline, and a Solution holding them.

No solver here (nor OR-Tools): the searches' processes decode and score schedules with
it, and a process without OR-Tools loaded need not load it (0.2 s) to do so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from scheduler import reasons as catalog
from scheduler.instance import Instance, Slot
from scheduler.solution import Item, ItemKind, Solution, Status, Unscheduled, Workshop


def timeline(instance: Instance, slot: Slot, proposal_ids: list[str]) -> list[Item]:
    """Opening, keynotes each followed by participatory time, initiatives, closing; idle at the end."""
    rules = instance.rules
    order = instance.proposal_index
    proposals = sorted(
        (instance.proposal_by_id[p] for p in proposal_ids), key=lambda p: order[p.id]
    )
    keynotes = [p for p in proposals if p.is_keynote]
    initiatives = [p for p in proposals if not p.is_keynote]
    change = rules.changeover_minutes
    fixed = rules.opening_minutes + rules.closing_minutes + change
    fixed += sum(instance.talk_minutes(p) + change for p in proposals)
    spare = slot.minutes - fixed
    participatory_total = min(spare, rules.participatory.max * len(keynotes))
    shares = _split(participatory_total, len(keynotes))

    items: list[Item] = []
    # minutes are added to the instant, not to the wall clock: a slot given with its
    # offsets across the night the clocks go forward got a closing that ended, on the
    # wall clock, an hour before it began
    clock = slot.start.astimezone(UTC)

    def add(kind: ItemKind, minutes: int, proposal_id: str | None = None) -> None:
        nonlocal clock
        end = clock + timedelta(minutes=minutes)
        items.append(
            Item(
                kind=kind,
                proposal=proposal_id,
                start=_wall(instance, clock),
                end=_wall(instance, end),
            )
        )
        clock = end

    def pause() -> None:
        nonlocal clock
        clock += timedelta(minutes=change)

    add(ItemKind.OPENING, rules.opening_minutes)
    for keynote, share in zip(keynotes, shares, strict=True):
        pause()
        add(ItemKind.KEYNOTE, instance.talk_minutes(keynote), keynote.id)
        add(ItemKind.PARTICIPATORY, share, keynote.id)
    for initiative in initiatives:
        pause()
        add(ItemKind.INITIATIVE, instance.talk_minutes(initiative), initiative.id)
    pause()
    add(ItemKind.CLOSING, rules.closing_minutes)
    return items


def _wall(instance: Instance, moment: datetime) -> datetime:
    """`moment` in the event's timezone, with its offset fixed, as the solution file reads
    back: checked in memory as it will be from the file."""
    local = instance.local(moment)
    return local.replace(tzinfo=timezone(local.utcoffset()))


def _split(total: int, parts: int) -> list[int]:
    """Split `total` minutes into `parts` near-equal shares, larger shares first."""
    if parts == 0:
        return []
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def schedule(
    instance: Instance,
    members: dict[str, list[str]],
    themes: dict[str, str],
    status: Status,
) -> Solution:
    """A Solution (workshops with timelines, unscheduled list) from members per slot."""
    solution = Solution(instance=instance.name, instance_hash="", status=status)
    position = {s.id: i for i, s in enumerate(instance.slots)}
    for slot in sorted(instance.slots, key=lambda s: (s.start, position[s.id])):
        ids = members.get(slot.id) or []
        if not ids:
            continue
        languages = sorted({instance.proposal_by_id[p].language.value for p in ids})
        solution.workshops.append(
            Workshop(
                slot=slot.id,
                room=slot.room,
                theme=themes[slot.id],
                language=languages[0] if len(languages) == 1 else "mixed",
                start=instance.local(slot.start),
                end=instance.local(slot.end),
                items=timeline(instance, slot, ids),
            )
        )
    placed = {p for ids in members.values() for p in ids}
    solution.unscheduled = [
        Unscheduled(proposal=p.id, reasons=[catalog.NOT_PLACED_YET.format()])
        for p in instance.proposals
        if p.id not in placed
    ]
    return solution


def schedule_of_workshops(
    instance: Instance, workshops: dict[str, tuple[str, list[str]]]
) -> Solution:
    """A feasible-status Solution holding given workshops (slot -> theme, proposals)."""
    members = {slot_id: proposals for slot_id, (_, proposals) in workshops.items()}
    themes = {slot_id: theme for slot_id, (theme, _) in workshops.items()}
    return schedule(instance, members, themes, Status.FEASIBLE)
