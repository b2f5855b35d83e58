"""The independent validator: checks a solution against an instance, rule by rule.

It shares no code with the CP-SAT model (it never imports ortools, the model or
the candidate computation): every hard rule is re-checked from the instance and
the solution's timelines, and the objective is recomputed from scratch. Each
check is one `check_*` function named after the rule id it enforces.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scheduler.errors import InputError
from scheduler.instance import Instance, Slot, Window
from scheduler.solution import Item, ItemKind, Penalty, Solution, Status, Workshop
from scheduler.text import day_en, first_of


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


@dataclass
class Report:
    """What the validator found: hard-rule violations, the recomputed costs and notes."""

    violations: list[Violation] = field(default_factory=list)
    costs: dict[str, int] = field(default_factory=dict)
    terms: list[tuple[str, int, Term]] = field(default_factory=list)
    """Every item of the costs: its rule, the rule's weight and the item."""
    notes: list[str] = field(default_factory=list)

    def penalties(self) -> list[Penalty]:
        """The costs item by item, as a solution lists them (non-zero ones, by rule)."""
        return [
            Penalty(
                rule=rule,
                cost=weight * term.amount,
                proposals=list(term.proposals),
                slots=list(term.slots),
                detail=term.detail,
            )
            for rule, weight, term in self.terms
            if term.amount
        ]

    @property
    def objective(self) -> int:
        return sum(self.costs.values())

    @property
    def ok(self) -> bool:
        return not self.violations


class _Context:
    """Lookups over one instance and solution, built once for all checks."""

    def __init__(self, instance: Instance, solution: Solution, reference: Solution | None = None):
        self.instance = instance
        self.solution = solution
        self.reference = reference
        self.workshops = [w for w in solution.workshops if w.slot in instance.slot_by_id]
        self._overlapping: list[tuple[Workshop, Workshop]] | None = None
        self._found: dict[tuple[str, int], Any] = {}

    def slot(self, workshop: Workshop) -> Slot:
        return self.instance.slot_by_id[workshop.slot]

    def members(self, workshop: Workshop) -> list[str]:
        """Proposal ids of a workshop's talks (keynotes and initiatives), in order."""
        return [
            i.proposal
            for i in workshop.items
            if i.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE) and i.proposal is not None
        ]

    def known_members(self, workshop: Workshop) -> list[str]:
        """`members` that are proposals of the instance (found once per workshop, as
        `speakers` and `languages`: the checks over pairs of overlapping workshops asked
        them 2.2 million times in a solve at 4000 proposals)."""
        proposals = self.instance.proposal_by_id
        return self._once(
            "known", workshop, lambda: [p for p in self.members(workshop) if p in proposals]
        )

    def speakers(self, workshop: Workshop) -> set[str]:
        """The speakers of a workshop's known members."""
        proposals = self.instance.proposal_by_id
        members = self.known_members(workshop)
        return self._once(
            "speakers", workshop, lambda: {s for p in members for s in proposals[p].speakers}
        )

    def languages(self, workshop: Workshop) -> set[str]:
        """The languages of a workshop's known members."""
        proposals = self.instance.proposal_by_id
        members = self.known_members(workshop)
        return self._once(
            "languages", workshop, lambda: {proposals[p].language.value for p in members}
        )

    def _once(self, what: str, workshop: Workshop, find: Callable[[], Any]) -> Any:
        """`find()` for this workshop, found the first time only (by id: the solution
        holds its workshops while the checks run)."""
        key = (what, id(workshop))
        if key not in self._found:
            self._found[key] = find()
        return self._found[key]

    def overlapping_workshops(self) -> list[tuple[Workshop, Workshop]]:
        """Pairs of workshops in different, overlapping slots, in the solution's order
        (found once by a sweep over start times: every pair was 370,000 comparisons a
        check at 2000 proposals)."""
        if self._overlapping is None:
            starts = [self.slot(w).start for w in self.workshops]
            order = sorted(range(len(self.workshops)), key=starts.__getitem__)
            pairs = []
            for n, i in enumerate(order):
                a = self.slot(self.workshops[i])
                for j in order[n + 1 :]:
                    b = self.slot(self.workshops[j])
                    if b.start >= a.end:  # and so do all the later ones
                        break
                    if a.id != b.id:
                        pairs.append((min(i, j), max(i, j)))
            self._overlapping = [(self.workshops[i], self.workshops[j]) for i, j in sorted(pairs)]
        return self._overlapping

    def placement(self) -> dict[str, list[Workshop]]:
        placed: dict[str, list[Workshop]] = defaultdict(list)
        for workshop in self.workshops:
            for proposal_id in self.known_members(workshop):
                placed[proposal_id].append(workshop)
        return placed


def _minutes(start: datetime, end: datetime) -> int:
    return int((_utc(end) - _utc(start)).total_seconds() // 60)


def _utc(moment: datetime) -> datetime:
    """`moment` as an instant: two times in one zone subtract and compare on the wall
    clock, and a time the clocks repeat equals no time of another zone (PEP 495)."""
    return moment.astimezone(UTC)


def _within(windows: list[Window], slot: Slot) -> bool:
    """True when the slot lies inside the union of `windows` (windows that touch or
    overlap form one span)."""
    spans: list[list[datetime]] = []
    for window in sorted(windows, key=lambda w: _utc(w.start)):
        if spans and _utc(window.start) <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], _utc(window.end))
        else:
            spans.append([_utc(window.start), _utc(window.end)])
    start, end = _utc(slot.start), _utc(slot.end)
    return any(first <= start and end <= last for first, last in spans)


def _available(instance: Instance, speaker_id: str, slot: Slot) -> bool:
    speaker = instance.speaker_by_id[speaker_id]
    if speaker.available is not None and not _within(speaker.available, slot):
        return False
    return all(not (w.start < slot.end and slot.start < w.end) for w in speaker.unavailable)


# ---------------------------------------------------------------------------
# Hard rules
# ---------------------------------------------------------------------------


def check_placed_once(ctx: _Context) -> Iterator[Violation]:
    """placed-once: each proposal in at most one workshop, and every one placed or listed."""
    counts = Counter(p for w in ctx.solution.workshops for p in ctx.members(w))
    where = {p: w.slot for w in ctx.solution.workshops for p in ctx.members(w)}
    yield from _once_each(ctx, counts, "is placed", lambda p: f" (in {where[p]})")
    # (an id typed wrong in `unscheduled` hid nothing only while the right one was missing)
    listings = Counter(u.proposal for u in ctx.solution.unscheduled)
    yield from _once_each(ctx, listings, "is listed as unscheduled", lambda p: "")
    listed = set(listings)
    for proposal in ctx.instance.proposals:
        if proposal.id not in counts and proposal.id not in listed:
            yield Violation(
                "placed-once", f"{proposal.id} is neither placed nor listed as unscheduled"
            )
        if proposal.id in counts and proposal.id in listed:
            yield Violation(
                "placed-once", f"{proposal.id} is placed and also listed as unscheduled"
            )


def _once_each(
    ctx: _Context, counts: Counter[str], said: str, where: Callable[[str], str]
) -> Iterator[Violation]:
    """placed-once's words for the proposals `counts` names: unknown ones, and ones
    given more than once."""
    for proposal_id, n in sorted(counts.items()):
        if proposal_id not in ctx.instance.proposal_by_id:
            yield Violation(
                "placed-once", f"unknown proposal {proposal_id} {said}{where(proposal_id)}"
            )
        elif n > 1:
            yield Violation("placed-once", f"{proposal_id} {said} {n} times")


def _clock(instance: Instance, start: datetime, end: datetime) -> str:
    """'10:05–10:25' in the event's timezone, with an en dash as the calendars, the grid
    and `diff` write a range."""
    return f"{instance.local(start):%H:%M}–{instance.local(end):%H:%M}"


def _day(instance: Instance, moment: datetime) -> str:
    """'Tue 1 Dec' (`day_en`; it read 'Tue 01 Dec')."""
    return day_en(instance.local(moment))


def _a(noun: str) -> str:
    """'a keynote', 'an initiative'."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _span(instance: Instance, start: datetime, end: datetime) -> str:
    """'Tue 1 Dec 10:00–11:30', or both days when it ends on another."""
    if instance.local(start).date() == instance.local(end).date():
        return f"{_day(instance, start)} {_clock(instance, start, end)}"
    return f"{_day(instance, start)} {instance.local(start):%H:%M} to {_day(instance, end)} " + (
        f"{instance.local(end):%H:%M}"
    )


def check_one_workshop_per_slot(ctx: _Context) -> Iterator[Violation]:
    """one-workshop-per-slot: one workshop per slot, timeline inside it, no overlapping items."""
    rule = "one-workshop-per-slot"
    seen: Counter[str] = Counter()
    for workshop in ctx.solution.workshops:
        seen[workshop.slot] += 1
        if workshop.slot not in ctx.instance.slot_by_id:
            yield Violation(rule, f"workshop in unknown slot {workshop.slot}")
            continue
        slot = ctx.slot(workshop)
        if workshop.room != slot.room:
            yield Violation(
                rule, f"workshop in {slot.id} names room {workshop.room}, not {slot.room}"
            )
        if _utc(workshop.start) != _utc(slot.start) or _utc(workshop.end) != _utc(slot.end):
            yield Violation(
                rule,
                f"workshop in {slot.id} runs {_span(ctx.instance, workshop.start, workshop.end)}, "
                f"not its slot's {_span(ctx.instance, slot.start, slot.end)}",
            )
        if not workshop.items:
            yield Violation(rule, f"workshop in {slot.id} has an empty timeline")
        previous_end = None
        for item in workshop.items:
            if _utc(item.end) < _utc(item.start):
                yield Violation(rule, f"{slot.id}: a {item.kind.value} item ends before it starts")
            if _utc(item.start) < _utc(slot.start) or _utc(item.end) > _utc(slot.end):
                # (which talk, and by how much, was not said)
                whose = f" of {item.proposal}" if item.proposal else ""
                yield Violation(
                    rule,
                    f"{slot.id}: {item.kind.value} item{whose} "
                    f"{_clock(ctx.instance, item.start, item.end)} lies outside the slot "
                    f"{_clock(ctx.instance, slot.start, slot.end)}",
                )
            if previous_end is not None and _utc(item.start) < _utc(previous_end):
                yield Violation(rule, f"{slot.id}: {item.kind.value} item overlaps the one before")
            previous_end = item.end
    for slot_id, n in sorted(seen.items()):
        if n > 1:
            yield Violation(rule, f"slot {slot_id} holds {n} workshops")


def check_durations(ctx: _Context) -> Iterator[Violation]:
    """durations: opening, closing and talks last their minutes; participatory between min and max."""
    rule = "durations"
    rules = ctx.instance.rules
    for workshop in ctx.workshops:
        items = workshop.items
        slot_id = workshop.slot
        if not items or items[0].kind != ItemKind.OPENING:
            yield Violation(rule, f"{slot_id}: the timeline does not start with an opening")
        if not items or items[-1].kind != ItemKind.CLOSING:
            yield Violation(rule, f"{slot_id}: the timeline does not end with a closing")
        for index, item in enumerate(items):
            minutes = _minutes(item.start, item.end)
            proposal = ctx.instance.proposal_by_id.get(item.proposal or "")
            if (item.kind == ItemKind.OPENING and index > 0) or (
                item.kind == ItemKind.CLOSING and index < len(items) - 1
            ):
                # (extra ones counted as busy time: five-minute closings filled a slot's
                # idle minutes, and the file's cost went down by as much)
                which = "first" if item.kind == ItemKind.OPENING else "last"
                yield Violation(
                    rule,
                    f"{slot_id}: {_a(item.kind.value)} at "
                    f"{_clock(ctx.instance, item.start, item.end)} that is not the timeline's "
                    f"{which} item (a workshop has one)",
                )
            seconds = (_utc(item.end) - _utc(item.start)).total_seconds() % 60
            if seconds:
                # whole minutes are what every length below is counted in: a talk of
                # 20 min 59 s was once read as 20 min
                what = item.kind.value + (f" of {item.proposal}" if item.proposal else "")
                yield Violation(
                    rule, f"{slot_id}: {what} lasts {minutes} min {seconds:g} s, not whole minutes"
                )
            if item.kind == ItemKind.OPENING and minutes != rules.opening_minutes:
                yield Violation(
                    rule, f"{slot_id}: opening lasts {minutes} min, not {rules.opening_minutes}"
                )
            elif item.kind == ItemKind.CLOSING and minutes != rules.closing_minutes:
                yield Violation(
                    rule, f"{slot_id}: closing lasts {minutes} min, not {rules.closing_minutes}"
                )
            elif item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
                if proposal is None:
                    continue
                expected_kind = ItemKind.KEYNOTE if proposal.is_keynote else ItemKind.INITIATIVE
                if item.kind != expected_kind:
                    yield Violation(
                        rule,
                        f"{proposal.id} is {_a(proposal.format.value)}, shown as {item.kind.value}",
                    )
                talk = proposal.minutes or (
                    rules.keynote_minutes if proposal.is_keynote else rules.initiative_minutes
                )
                if minutes != talk:
                    yield Violation(rule, f"{proposal.id} lasts {minutes} min, not {talk}")
                if item.kind == ItemKind.KEYNOTE:
                    follower = items[index + 1] if index + 1 < len(items) else None
                    if (
                        follower is None
                        or follower.kind != ItemKind.PARTICIPATORY
                        or follower.proposal != item.proposal
                        or _utc(follower.start) != _utc(item.end)
                    ):
                        yield Violation(
                            rule, f"keynote {proposal.id} is not followed by its participatory time"
                        )
            elif item.kind == ItemKind.PARTICIPATORY:
                low, high = rules.participatory.min, rules.participatory.max
                if not low <= minutes <= high:
                    yield Violation(
                        rule,
                        f"{slot_id}: participatory time of {item.proposal} lasts {minutes} min, "
                        f"outside {low}-{high}",
                    )
                before = items[index - 1] if index > 0 else None
                if (
                    before is None
                    or before.kind != ItemKind.KEYNOTE
                    or before.proposal != item.proposal
                ):
                    yield Violation(
                        rule, f"{slot_id}: participatory time of {item.proposal} follows no keynote"
                    )
        for before, after in zip(items, items[1:], strict=False):
            if after.kind == ItemKind.PARTICIPATORY:
                continue
            gap = _minutes(before.end, after.start)
            if 0 <= gap < rules.changeover_minutes:  # (below 0: an overlap, said as one)
                yield Violation(
                    rule,
                    f"{slot_id}: {gap} min changeover before {after.kind.value}, "
                    f"not {rules.changeover_minutes}",
                )


def check_composition(ctx: _Context) -> Iterator[Violation]:
    """composition: keynote and initiative counts within the rules' ranges."""
    rules = ctx.instance.rules
    for workshop in ctx.workshops:
        members = [ctx.instance.proposal_by_id[p] for p in ctx.known_members(workshop)]
        keynotes = sum(p.is_keynote for p in members)
        initiatives = len(members) - keynotes
        for label, count, allowed in [
            ("keynotes", keynotes, rules.keynotes_per_workshop),
            ("initiatives", initiatives, rules.initiatives_per_workshop),
        ]:
            if not allowed.min <= count <= allowed.max:
                yield Violation(
                    "composition",
                    f"{workshop.slot}: {count} {label}, allowed {allowed.min}-{allowed.max}",
                )


def check_language(ctx: _Context) -> Iterator[Violation]:
    """language: every proposal speaks the workshop's language, unless mixed is allowed."""
    mixed = ctx.instance.rules.mixed_language
    labels = ("fr", "en", "mixed") if mixed else ("fr", "en")
    for workshop in ctx.workshops:
        if workshop.language not in labels:
            # (a workshop without talks, which no proposal's language checks, passed as
            # "klingon")
            yield Violation(
                "language",
                f"{workshop.slot}: language reads {workshop.language}, not one of "
                f"{', '.join(labels)}",
            )
        languages = {
            ctx.instance.proposal_by_id[p].language.value for p in ctx.known_members(workshop)
        }
        if not mixed:
            for proposal_id in ctx.known_members(workshop):
                lang = ctx.instance.proposal_by_id[proposal_id].language.value
                if lang != workshop.language:
                    yield Violation(
                        "language",
                        f"{proposal_id} is in {lang}, its workshop in {workshop.slot} "
                        f"is in {workshop.language}",
                    )
        else:
            expected = next(iter(languages)) if len(languages) == 1 else "mixed"
            if languages and workshop.language != expected:
                yield Violation(
                    "language",
                    f"{workshop.slot}: language reads {workshop.language}, not {expected}",
                )


def check_theme(ctx: _Context) -> Iterator[Violation]:
    """theme: the workshop's theme is among each proposal's themes."""
    for workshop in ctx.workshops:
        if workshop.theme not in ctx.instance.theme_by_id:
            yield Violation("theme", f"{workshop.slot}: unknown theme {workshop.theme}")
        for proposal_id in ctx.known_members(workshop):
            themes = ctx.instance.proposal_by_id[proposal_id].themes
            if workshop.theme not in themes:
                yield Violation(
                    "theme",
                    f"{proposal_id} (themes {', '.join(themes)}) is in {workshop.slot}, "
                    f"whose workshop's theme is {workshop.theme}",
                )


def check_speaker_availability(ctx: _Context) -> Iterator[Violation]:
    """speaker-availability: every speaker available for the whole slot."""
    for workshop in ctx.workshops:
        slot = ctx.slot(workshop)
        for proposal_id in ctx.known_members(workshop):
            for speaker_id in ctx.instance.proposal_by_id[proposal_id].speakers:
                if not _available(ctx.instance, speaker_id, slot):
                    name = ctx.instance.speaker_by_id[speaker_id].name
                    yield Violation(
                        "speaker-availability",
                        f"speaker {name} ({speaker_id}) of {proposal_id} is not available for "
                        f"{slot.id}, {_day(ctx.instance, slot.start)} "
                        f"{_clock(ctx.instance, slot.start, slot.end)}",
                    )


def check_speaker_clash(ctx: _Context) -> Iterator[Violation]:
    """speaker-clash: no speaker in two workshops whose slots overlap."""
    proposals = ctx.instance.proposal_by_id
    for a, b in ctx.overlapping_workshops():
        for speaker_id in sorted(ctx.speakers(a) & ctx.speakers(b)):
            # (the talks were not named)
            talks = [
                ", ".join(p for p in ctx.known_members(w) if speaker_id in proposals[p].speakers)
                for w in (a, b)
            ]
            name = ctx.instance.speaker_by_id[speaker_id].name
            yield Violation(
                "speaker-clash",
                f"speaker {name} ({speaker_id}) is in {a.slot} ({talks[0]}) and {b.slot} "
                f"({talks[1]}), which overlap",
            )


def check_pin(ctx: _Context) -> Iterator[Violation]:
    """pin: a pinned proposal is in its slot."""
    placed = ctx.placement()
    for proposal in ctx.instance.proposals:
        if proposal.pin is None:
            continue
        slots = [w.slot for w in placed.get(proposal.id, [])]
        if proposal.pin not in slots:
            where = ", ".join(slots) or "no slot"
            yield Violation("pin", f"{proposal.id} is pinned to {proposal.pin} but is in {where}")


def check_slot_lock(ctx: _Context) -> Iterator[Violation]:
    """slot-lock: closed slots hold nothing, frozen slots only the proposals pinned to
    them; fixed themes and languages are kept."""
    for workshop in ctx.workshops:
        slot = ctx.slot(workshop)
        if slot.closed and slot.id in ctx.instance.begun_closed:  # (closed by the moment)
            yield Violation(
                "slot-lock",
                f"slot {slot.id} began with no workshop kept there, and holds one",
            )
        elif slot.closed:
            yield Violation("slot-lock", f"closed slot {slot.id} holds a workshop")
        if slot.frozen:
            for proposal_id in ctx.known_members(workshop):
                if ctx.instance.proposal_by_id[proposal_id].pin != slot.id:
                    yield Violation(
                        "slot-lock",
                        f"{slot.id} is frozen, holds {proposal_id}, which is not pinned to it",
                    )
        if slot.theme is not None and workshop.theme != slot.theme:
            yield Violation(
                "slot-lock", f"{slot.id} is fixed to theme {slot.theme}, has {workshop.theme}"
            )
        if slot.language is not None and workshop.language != slot.language.value:
            yield Violation(
                "slot-lock",
                f"{slot.id} is fixed to {slot.language.value}, its workshop is in "
                f"{workshop.language}",
            )
        if slot.language is not None:
            for proposal_id in ctx.known_members(workshop):
                lang = ctx.instance.proposal_by_id[proposal_id].language
                if lang != slot.language:
                    yield Violation(
                        "slot-lock",
                        f"{slot.id} is fixed to {slot.language.value}, holds {proposal_id} in {lang.value}",
                    )

    yield from _check_history(ctx)


def _check_history(ctx: _Context) -> Iterator[Violation]:
    """slot-lock, kept with `--keep-before` (`Instance.kept_moment`) against the
    published schedule: in a workshop begun before the moment, what began before it is
    as published (its start, and its end once it is over by the moment, for the
    members still in the instance), and no other item starts before it. Unless the
    published timeline of those members breaks `durations` as the rules are now (a rule
    changed since): the timeline then follows the rules."""
    moment = ctx.instance.kept_moment
    if moment is None or ctx.reference is None:
        return
    moment = _utc(moment)
    now = {w.slot: w for w in ctx.workshops}
    for published in ctx.reference.workshops:
        workshop = now.get(published.slot)
        if workshop is None or _utc(published.start) >= moment:
            continue
        present = [
            i
            for i in published.items
            if i.proposal is None or i.proposal in ctx.instance.proposal_by_id
        ]
        if any(check_durations(_Context(ctx.instance, _holding(published, present)))):
            continue
        given = {(i.kind, i.proposal, _utc(i.start)): _utc(i.end) for i in present}
        items = {(i.kind, i.proposal, _utc(i.start)): _utc(i.end) for i in workshop.items}
        for (kind, proposal, start), end in given.items():
            if start >= moment:
                continue
            what = kind.value + (f" of {proposal}" if proposal else "")
            there = items.get((kind, proposal, start))
            if there is None or (there != end and min(there, end) <= moment):
                yield Violation(
                    "slot-lock",
                    f"{published.slot}: the {what} began at "
                    f"{_clock(ctx.instance, start, end)} as published, before the kept "
                    "moment, and is not given so",
                )
        for kind, proposal, start in items:
            if start < moment and (kind, proposal, start) not in given:
                what = kind.value + (f" of {proposal}" if proposal else "")
                yield Violation(
                    "slot-lock",
                    f"{published.slot}: the {what} is moved to "
                    f"{_clock(ctx.instance, start, items[kind, proposal, start])}, before the "
                    "kept moment",
                )


def _holding(workshop: Workshop, items: list[Item]) -> Solution:
    """A solution of `workshop` alone, with `items` for its timeline."""
    alone = workshop.model_copy(update={"items": items})
    return Solution(instance="", instance_hash="", status=Status.FEASIBLE, workshops=[alone])


def check_together(ctx: _Context) -> Iterator[Violation]:
    """together: grouped proposals share one workshop (or none is placed)."""
    placed = ctx.placement()
    for group in ctx.instance.constraints.together:
        where = {tuple(sorted(w.slot for w in placed.get(p, []))) for p in group.proposals}
        if len(where) > 1:
            yield Violation("together", f"{', '.join(group.proposals)} must share a workshop")


def check_apart(ctx: _Context) -> Iterator[Violation]:
    """apart: grouped proposals never share a workshop."""
    placed = ctx.placement()
    for group in ctx.instance.constraints.apart:
        slots = Counter(w.slot for p in group.proposals for w in placed.get(p, []))
        for slot_id, n in sorted(slots.items()):
            if n > 1:
                yield Violation("apart", f"{slot_id} holds {n} of {', '.join(group.proposals)}")


HARD_CHECKS: dict[str, Callable[[_Context], Iterator[Violation]]] = {
    "placed-once": check_placed_once,
    "one-workshop-per-slot": check_one_workshop_per_slot,
    "durations": check_durations,
    "composition": check_composition,
    "language": check_language,
    "theme": check_theme,
    "speaker-availability": check_speaker_availability,
    "speaker-clash": check_speaker_clash,
    "pin": check_pin,
    "slot-lock": check_slot_lock,
    "together": check_together,
    "apart": check_apart,
}


# ---------------------------------------------------------------------------
# Objective, recomputed from the timelines
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One item of a soft rule's cost, before its weight: how many (proposals, pairs or
    minutes), and what it concerns."""

    amount: int
    detail: str
    proposals: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()


def cost_unscheduled(ctx: _Context, reference: Solution | None) -> list[Term]:
    placed = ctx.placement()
    return [
        Term(1, f"{p.id} is not placed", proposals=(p.id,))
        for p in ctx.instance.proposals
        if p.id not in placed
    ]


def cost_secondary_theme(ctx: _Context, reference: Solution | None) -> list[Term]:
    return [
        Term(1, f"{p} placed under a secondary theme in {w.slot}", (p,), (w.slot,))
        for w in ctx.workshops
        for p in ctx.known_members(w)
        if ctx.instance.proposal_by_id[p].themes[:1] != [w.theme]
    ]


def _parallel(ctx: _Context, pairs: list[tuple[Workshop, Workshop, str]], what: str) -> list[Term]:
    """Pairs of overlapping workshops sharing a theme or a language, one item per workshop
    and shared key, with the ones after it in the instance's order of slots that it
    meets (a pair per line made 3,942 lines at 2000 proposals)."""
    order = ctx.instance.slot_index
    met: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, b, key in pairs:
        first, second = sorted((a.slot, b.slot), key=order.__getitem__)
        met[first, key].append(second)
    for others in met.values():
        others.sort(key=order.__getitem__)
    terms = []
    for (slot, key), others in met.items():
        if len(others) == 1:
            detail = f"{slot} and {others[0]} overlap with the same {what} {key}"
        else:
            detail = f"{slot} overlaps {len(others)} workshops with the same {what} {key}: "
            detail += first_of(others)
        terms.append(Term(len(others), detail, (), (slot, *others)))
    return terms


def cost_parallel_theme(ctx: _Context, reference: Solution | None) -> list[Term]:
    pairs = [(a, b, a.theme) for a, b in ctx.overlapping_workshops() if a.theme == b.theme]
    return _parallel(ctx, pairs, "theme")


def cost_parallel_language(ctx: _Context, reference: Solution | None) -> list[Term]:
    pairs = [
        (a, b, lang)
        for a, b in ctx.overlapping_workshops()
        for lang in sorted(ctx.languages(a) & ctx.languages(b))
    ]
    return _parallel(ctx, pairs, "language")


def cost_participatory_target(ctx: _Context, reference: Solution | None) -> list[Term]:
    target = ctx.instance.rules.participatory.target
    terms = []
    for w in ctx.workshops:
        short = sum(
            max(0, target - _minutes(i.start, i.end))
            for i in w.items
            if i.kind == ItemKind.PARTICIPATORY
        )
        if short:
            terms.append(
                Term(
                    short,
                    f"{short} min: participatory time below target in {w.slot}",
                    (),
                    (w.slot,),
                )
            )
    return terms


def cost_idle_minutes(ctx: _Context, reference: Solution | None) -> list[Term]:
    change = ctx.instance.rules.changeover_minutes
    terms = []
    for workshop in ctx.workshops:
        busy = sum(_minutes(i.start, i.end) for i in workshop.items)
        segments = sum(1 for i in workshop.items if i.kind != ItemKind.PARTICIPATORY)
        idle = max(0, ctx.slot(workshop).minutes - busy - change * max(0, segments - 1))
        if idle:
            slot = workshop.slot
            terms.append(Term(idle, f"{idle} min: idle minutes in {slot}", (), (slot,)))
    return terms


def cost_speaker_preference(ctx: _Context, reference: Solution | None) -> list[Term]:
    terms = []
    for workshop in ctx.workshops:
        slot = ctx.slot(workshop)
        for proposal_id in ctx.known_members(workshop):
            proposal = ctx.instance.proposal_by_id[proposal_id]
            wishes = [proposal.preferred] + [
                ctx.instance.speaker_by_id[s].preferred for s in proposal.speakers
            ]
            if any(windows is not None and not _within(windows, slot) for windows in wishes):
                detail = f"{proposal_id} placed outside preferred windows in {slot.id}"
                terms.append(Term(1, detail, (proposal_id,), (slot.id,)))
    return terms


def cost_moved(ctx: _Context, reference: Solution | None) -> list[Term]:
    if reference is None:
        return []
    now = {p: ws[0].slot for p, ws in ctx.placement().items()}
    before = {
        i.proposal: w.slot
        for w in reference.workshops
        for i in w.items
        if i.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE)
    }
    return [
        Term(1, f"{p} leaves {slot_id}", (p,), (slot_id,))
        for p, slot_id in sorted(before.items())
        if p in ctx.instance.proposal_by_id and now.get(p) != slot_id
    ]


SOFT_COSTS: dict[str, Callable[[_Context, Solution | None], list[Term]]] = {
    "unscheduled": cost_unscheduled,
    "secondary-theme": cost_secondary_theme,
    "parallel-theme": cost_parallel_theme,
    "parallel-language": cost_parallel_language,
    "participatory-target": cost_participatory_target,
    "idle-minutes": cost_idle_minutes,
    "speaker-preference": cost_speaker_preference,
    "moved": cost_moved,
}


def validate(
    instance: Instance,
    solution: Solution,
    reference: Solution | None = None,
    instance_hash: str | None = None,
    history: bool = True,
) -> Report:
    """Check every hard rule and recompute the objective; compare with the file's claims.
    `history`: with the `reference` and a kept moment (`--keep-before`), what began before
    it stands as published (`slot-lock`); off for the solver's schedules in the making,
    whose begun workshops `keep.anchor` gives their published times once it ends."""
    report = Report()
    if solution.instance != instance.name:
        report.notes.append(
            f"solution is for instance {solution.instance!r}, not {instance.name!r}"
        )
    if instance_hash is not None and solution.instance_hash != instance_hash:
        report.notes.append(
            "the instance file changed since this solution was written (hash differs)"
        )
    if not solution.has_schedule:
        report.notes.append(f"status is {solution.status.value}: no schedule to check")
        return report
    ctx = _Context(instance, solution, reference if history else None)
    for check in HARD_CHECKS.values():
        report.violations.extend(check(ctx))
    weights = instance.rules.weights
    for rule, cost in SOFT_COSTS.items():
        weight = weights.of(rule)
        terms = cost(ctx, reference)
        report.costs[rule] = weight * sum(term.amount for term in terms)
        if weight:
            report.terms.extend((rule, weight, term) for term in terms)
    if solution.objective is not None and solution.objective != report.objective:
        message = f"the file's objective is {solution.objective}, recomputed {report.objective}"
        moved = sum(p.cost for p in solution.penalties if p.rule == "moved")
        if reference is None and moved:
            message += (
                f"; the file counts `moved` {moved} against a published schedule: give the "
                "same --reference PUBLISHED.json it was solved with"
            )
        report.violations.append(Violation("objective", message))
    return report


def check_reasons(solution: Solution, path: Path | str) -> None:
    """Refuse, as bad input naming the file, the entry and its field, an unscheduled
    entry that gives no reason (an empty list, or only blank lines): a file saying a
    proposal could not be placed must say why, as `scheduler solve` always does; such an
    entry passed `validate`, and the coordinators' grid then showed a left-out talk with
    nothing to act on."""
    for index, entry in enumerate(solution.unscheduled):
        if not any(reason.strip() for reason in entry.reasons):
            said = "is empty" if not entry.reasons else "holds only blank text"
            raise InputError(
                path,
                InputError.record("unscheduled", index, entry.proposal, "proposal"),
                "reasons",
                f"the list {said}: a proposal that could not be placed must say why, in "
                "at least one reason, as `scheduler solve` writes them",
            )


def check_claims(
    solution: Solution, report: Report, reference: Solution | None = None
) -> Iterator[Violation]:
    """What a finished file says of its schedule beyond the objective `validate`
    compares: that it has one, its penalties rule by rule, its bound and its status,
    each against `report` (the validator's count of the same schedule). Files edited by
    hand passed with none of these checked: no objective, penalties of any rule and
    cost, a bound above the schedule's cost. (Not asked of schedules still being built,
    which have no objective yet.)"""
    if not solution.has_schedule:
        return
    counted = report.objective
    if solution.objective is None:
        yield Violation("objective", f"the file gives no objective; recomputed {counted}")
    listed: Counter[str] = Counter()
    for index, penalty in enumerate(solution.penalties):
        if penalty.rule not in SOFT_COSTS:
            yield Violation(
                "objective", f"penalties[{index}] names {penalty.rule!r}, not a soft rule"
            )
        else:
            if penalty.cost < 0:  # (one below 0 beside one above it: the same total)
                yield Violation(
                    "objective",
                    f"penalties[{index}] ({penalty.rule}) costs {penalty.cost}: a cost is not "
                    "below 0",
                )
            listed[penalty.rule] += penalty.cost
    for rule in SOFT_COSTS:
        if listed[rule] != report.costs.get(rule, 0) and not (
            rule == "moved" and reference is None
        ):  # (without the reference, the objective's message says what to give)
            yield Violation(
                "objective",
                f"the file's penalties add up to {listed[rule]} for {rule}, recomputed "
                f"{report.costs.get(rule, 0)}",
            )
    if solution.objective is not None and sum(listed.values()) != solution.objective:
        # (`moved` terms beside an objective without them passed, unchecked without the
        # reference they count against)
        yield Violation(
            "objective",
            f"the file's penalties add up to {sum(listed.values())}, not its objective "
            f"{solution.objective}",
        )
    # (without the reference, its `moved` terms are taken as the file gives them: the
    # objective's message already says to give it, and a bound above the cost without
    # them was a second error of the same cause)
    unchecked = listed["moved"] if reference is None else 0
    if solution.bound is not None and solution.bound > counted + unchecked:
        yield Violation(
            "objective",
            f"the file's bound {solution.bound} is above its schedule's cost "
            f"{counted + unchecked}: no schedule costs less than a lower bound",
        )
    if (
        solution.status is Status.OPTIMAL
        and solution.objective is not None
        and solution.bound != solution.objective
    ):
        yield Violation(
            "objective",
            f"the file says optimal, but its bound {solution.bound} is not its objective "
            f"{solution.objective}",
        )
    if (
        solution.status is Status.FEASIBLE
        and solution.objective is not None
        and solution.bound == solution.objective
    ):
        yield Violation(
            "objective",
            f"the file says feasible, but its bound {solution.bound} is its objective: that "
            "is proven optimal",
        )
