"""A greedy baseline: first fit in a sensible order, honouring every hard rule.

Keynotes (which open workshops) go first, the most constrained first: each opens
a workshop in the free candidate slot where it costs least (parallel themes and
languages, preferences), or joins a workshop when no slot is free. Initiatives
follow, again the most constrained first, each into the open workshop where it
costs least. `together` groups move as one unit. A unit left out is then repaired
into a workshop whose theme can change to one all its members share, or by moving
one initiative of a workshop to another. Costs are counted as the validator counts
them: a parallel-language pair per language two overlapping workshops share (where
mixed workshops are allowed, each language a member brings to its workshop meets the
overlapping workshops speaking it). The result is a complete
`Solution` the validator accepts; it serves as the benchmark's baseline and as a
warm start (hint) for CP-SAT.

`improved_schedule` then moves whole workshops of any schedule (into another of
their theme and language, or to an empty slot) while the cost falls: the large
instances' searches start from it.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from scheduler import reasons as catalog
from scheduler.candidates import CandidateTable, candidate_table, together_units
from scheduler.instance import Instance, Proposal, Slot
from scheduler.shapes import outside_preference
from scheduler.solution import Solution, Status, Unscheduled, Workshop
from scheduler.workshops import timeline

logger = logging.getLogger(__name__)

MOVE_PASSES = 4
"""Passes of `Greedy.improve` at most (each 0.1-0.6 s at 600-2000 proposals once the
first has filled its caches). Moves per pass on bench-2000-easy: 237, 64, 10, 2, 1,
0; on bench-600-easy 67, 16, 2, 0."""

NOT_PLACED = catalog.NOT_PLACED.format()


@dataclass
class _Workshop:
    slot: Slot
    theme: str
    language: str | None
    frame: int
    members: list[Proposal] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    """Members per language (one language unless mixed workshops are allowed)."""
    keynotes: int = 0
    initiatives: int = 0
    talk_minutes: int = 0


@dataclass
class _Unit:
    """Proposals placed together (a `together` group, or one proposal), summarised once."""

    proposals: list[Proposal]
    keynotes: int
    initiatives: int
    talk_minutes: int
    themes: list[str]
    languages: set[str]
    speakers: list[str]
    secondary: dict[str, int]
    prefers: bool
    outside: dict[str, int] = field(default_factory=dict)


class Greedy:
    """State of the greedy construction: open workshops and busy speakers."""

    def __init__(self, instance: Instance, candidates: CandidateTable):
        self.instance = instance
        self.candidates = candidates
        self.rules = instance.rules
        self.weights = instance.rules.weights
        self.workshops: dict[str, _Workshop] = {}
        self.busy: dict[str, list[Slot]] = {}
        self.overlapping = _overlaps(instance.slots)
        # open workshops with each theme ("t", id) and with members of each language ("l",
        # code) overlapping a slot
        self._slots_of: dict[tuple[str, ...], list[Slot]] = {}
        # slots of the open workshops by (theme, language)
        self.open_by_key: dict[tuple[str, str | None], set[str]] = {}
        self.nearby: dict[str, Counter[tuple[str, str | None]]] = {
            s.id: Counter() for s in instance.slots
        }
        self.slot_index = {s.id: i for i, s in enumerate(instance.slots)}
        rules = self.rules
        fixed = rules.opening_minutes + rules.closing_minutes + rules.changeover_minutes
        self.frame = {s.id: s.minutes - fixed for s in instance.slots}
        self.change = 0  # what `improve`'s moves changed the cost by, as it counts it
        # a workshop's theme, language and members -> their common candidate slots
        # taking that theme and language, by times, and the set of all their common
        # candidate slots' ids
        self._kinds_of: dict[tuple[str | None, ...], tuple[list[list[Slot]], set[str]]] = {}
        self._leading: list[list[Proposal]] | None = None  # units with a keynote
        self.grouped = set(together_units(instance))  # proposals in `together` groups
        self.apart_of: dict[str, list[set[str]]] = {}
        for group in instance.constraints.apart:
            for proposal_id in group.proposals:
                self.apart_of.setdefault(proposal_id, []).append(set(group.proposals))

    @classmethod
    def of(cls, instance: Instance, candidates: CandidateTable, schedule: Solution) -> Greedy:
        """The state holding a schedule's workshops."""
        state = cls(instance, candidates)
        for entry in schedule.workshops:
            slot = instance.slot_by_id[entry.slot]
            language = None if state.rules.mixed_language else entry.language
            workshop = _Workshop(slot, entry.theme, language, state.frame[slot.id])
            state._commit([instance.proposal_by_id[p] for p in entry.proposals], workshop)
        return state

    def _unit(self, proposals: list[Proposal], slots: list[Slot]) -> _Unit:
        change = self.rules.changeover_minutes
        themes = [t for t in proposals[0].themes if all(t in p.themes for p in proposals)]
        secondary = {
            t: sum(len(p.themes) > 1 and p.themes[0] != t for p in proposals) for t in themes
        }
        speakers = self.instance.speaker_by_id
        prefers = any(
            p.preferred is not None or any(speakers[s].preferred is not None for s in p.speakers)
            for p in proposals
        )
        return _Unit(
            proposals=proposals,
            keynotes=sum(p.is_keynote for p in proposals),
            initiatives=sum(not p.is_keynote for p in proposals),
            talk_minutes=sum(self.instance.talk_minutes(p) + change for p in proposals),
            themes=themes,
            languages={p.language.value for p in proposals},
            speakers=[s for p in proposals for s in p.speakers],
            secondary=secondary,
            prefers=prefers,
        )

    # -- feasibility -------------------------------------------------------

    def _speakers_free(self, unit: _Unit, slot: Slot, beside: bool = False) -> bool:
        """No speaker of `unit` is busy at the slot's time (and, unless `beside`, none
        speaks twice in the workshop: first fit keeps a speaker's talks apart, which
        the rules do not ask)."""
        for speaker_id in unit.speakers:
            for other in self.busy.get(speaker_id, ()):
                if other.id == slot.id:
                    if not beside:
                        return False
                elif other.overlaps(slot):
                    return False
        return beside or len(unit.speakers) == len(set(unit.speakers))

    def _apart_ok(self, unit: _Unit, members: list[Proposal]) -> bool:
        groups = [g for p in unit.proposals for g in self.apart_of.get(p.id, ())]
        if not groups:
            return True
        ids = {p.id for p in members} | {p.id for p in unit.proposals}
        return all(len(group & ids) <= 1 for group in groups)

    def _fits(self, unit: _Unit, workshop: _Workshop, beside: bool = False) -> bool:
        """Counts, minutes, theme, language, speakers and apart groups all allow `unit` here
        (`beside`: beside talks of its own speakers too)."""
        rules = self.rules
        keynotes = workshop.keynotes + unit.keynotes
        if keynotes > rules.keynotes_per_workshop.max:
            return False
        if workshop.initiatives + unit.initiatives > rules.initiatives_per_workshop.max:
            return False
        if workshop.theme not in unit.themes:
            return False
        if not rules.mixed_language and unit.languages != {workshop.language}:
            return False
        if self._spare(workshop, unit) < rules.participatory.min * keynotes:
            return False
        return self._speakers_free(unit, workshop.slot, beside) and self._apart_ok(
            unit, workshop.members
        )

    def _spare(self, workshop: _Workshop, unit: _Unit | None) -> int:
        talks = workshop.talk_minutes + (unit.talk_minutes if unit else 0)
        return workshop.frame - talks

    # -- costs ---------------------------------------------------------------

    def _minutes_cost(self, workshop: _Workshop, unit: _Unit | None) -> int:
        """Idle and participatory-shortfall cost of the workshop once `unit` joins."""
        keynotes = workshop.keynotes + (unit.keynotes if unit else 0)
        spare = self._spare(workshop, unit)
        p_rules = self.rules.participatory
        idle = max(0, spare - p_rules.max * keynotes)
        short = max(0, p_rules.target * keynotes - spare)
        return self.weights.idle_minutes * idle + self.weights.participatory_target * short

    def _placement_cost(self, unit: _Unit, workshop: _Workshop) -> int:
        w = self.weights
        cost = self._minutes_cost(workshop, unit)
        if workshop.members:
            cost -= self._minutes_cost(workshop, None)
        cost += w.secondary_theme * unit.secondary[workshop.theme]
        cost += w.speaker_preference * self._outside(unit, workshop.slot)
        if not workshop.members:
            cost += w.parallel_theme * self.nearby[workshop.slot.id]["t", workshop.theme]
        # the validator counts a language pair per language two parallel workshops share:
        # each language the unit brings to the workshop meets the parallel ones speaking it
        brought = [lang for lang in unit.languages if not workshop.languages[lang]]
        return cost + w.parallel_language * self._speaking(workshop.slot.id, brought)

    def _speaking(self, slot_id: str, languages: list[str], leaving: bool = False) -> int:
        """Workshops overlapping the slot with members of each language, summed over the
        languages (less one each when `leaving`: the workshop that moves, speaking them
        all, overlaps the slot and is counted there)."""
        nearby = self.nearby[slot_id]
        return sum(nearby["l", lang] for lang in languages) - leaving * len(languages)

    def _outside(self, unit: _Unit, slot: Slot) -> int:
        """Members of the unit placed outside their (or their speakers') preferred windows."""
        if not unit.prefers:
            return 0
        if slot.id not in unit.outside:
            unit.outside[slot.id] = sum(
                outside_preference(self.instance, p.id, slot.id) for p in unit.proposals
            )
        return unit.outside[slot.id]

    def _count(self, workshop: _Workshop, sign: int) -> None:
        key = (workshop.theme, workshop.language)
        if sign > 0:
            self.open_by_key.setdefault(key, set()).add(workshop.slot.id)
        else:
            self.open_by_key[key].discard(workshop.slot.id)
        for other_id in self.overlapping[workshop.slot.id]:
            self.nearby[other_id]["t", workshop.theme] += sign

    def _join(self, workshop: _Workshop, proposal: Proposal, sign: int) -> None:
        """A member's language joins (+1) or leaves (-1) the workshop: the workshops
        overlapping it count the language while one member speaks it."""
        language = proposal.language.value
        workshop.languages[language] += sign
        if workshop.languages[language] == (1 if sign > 0 else 0):
            for other_id in self.overlapping[workshop.slot.id]:
                self.nearby[other_id]["l", language] += sign

    # -- construction ------------------------------------------------------------

    def _candidate_slots(self, unit: list[Proposal]) -> list[Slot]:
        key = tuple(p.id for p in unit)
        if key not in self._slots_of:
            common = self.candidates.slots[unit[0].id]
            for proposal in unit[1:]:
                others = set(self.candidates.slots[proposal.id])
                common = [s for s in common if s in others]
            self._slots_of[key] = [self.instance.slot_by_id[s] for s in common]
        return self._slots_of[key]

    def _joinable(self, summary: _Unit, slots: list[Slot]) -> list[Slot]:
        """Candidate slots holding a workshop of one of the unit's themes and its language."""
        language = None if self.rules.mixed_language else summary.proposals[0].language.value
        ids = set().union(*(self.open_by_key.get((t, language), ()) for t in summary.themes))
        if len(ids) > len(slots):
            return [s for s in slots if s.id in ids]
        chosen = {s.id for s in slots}
        found = [self.instance.slot_by_id[i] for i in ids if i in chosen]
        return sorted(found, key=lambda s: self.slot_index[s.id])

    def _new_workshop(self, unit: _Unit, slot: Slot) -> _Workshop | None:
        themes = unit.themes
        if slot.theme is not None:
            themes = [t for t in themes if t == slot.theme]
        if not themes:
            return None
        language = None if self.rules.mixed_language else unit.proposals[0].language.value
        return _Workshop(slot=slot, theme=themes[0], language=language, frame=self.frame[slot.id])

    def _can_open(self, unit: list[Proposal]) -> bool:
        rules = self.rules
        keynotes = sum(p.is_keynote for p in unit)
        return keynotes >= rules.keynotes_per_workshop.min

    def place(self, unit: list[Proposal], open_first: bool) -> bool:
        """Put `unit` where it costs least; open a new workshop first when `open_first`.

        Opening is tried only for units that may open a workshop; joining is tried
        when opening is not wanted or found no slot.
        """
        slots = self._candidate_slots(unit)
        summary = self._unit(unit, slots)
        attempts = [True, False] if open_first else [False]
        for opening in attempts:
            best: tuple[int, int, _Workshop] | None = None
            seen: set[tuple] = set()
            for slot in slots if opening else self._joinable(summary, slots):
                workshop = self.workshops.get(slot.id)
                if opening != (workshop is None):
                    continue
                if opening:
                    # empty slots of the same times and locks cost the same: try the first
                    kind = (slot.start, slot.end, slot.theme, slot.language)
                    if kind in seen:
                        continue
                    seen.add(kind)
                    workshop = self._new_workshop(summary, slot)
                    if workshop is None:
                        continue
                # proposals pinned to one slot share its workshop even when a speaker
                # gives two of them (the rules allow it; first fit otherwise avoids it),
                # and so does the keynote that `_lead` brings to lead them
                pinned_here = all(p.pin in (None, slot.id) for p in unit) and any(
                    p.pin == slot.id for p in unit
                )
                if not self._fits(summary, workshop, beside=pinned_here):
                    continue
                option = (self._placement_cost(summary, workshop), self.slot_index[slot.id])
                if best is None or option < best[:2]:
                    best = (*option, workshop)
            if best is not None:
                self._commit(unit, best[2])
                return True
        return False

    def repair(self, unit: list[Proposal]) -> bool:
        """Place a unit first fit left out: change a workshop's theme to one every member
        (and the unit) shares, or move one initiative out to another workshop."""
        slots = self._candidate_slots(unit)
        summary = self._unit(unit, slots)
        options: list[tuple[int, int, _Workshop, str]] = []
        for slot in slots:
            workshop = self.workshops.get(slot.id)
            if workshop is None:
                continue
            for theme in summary.themes:
                if theme == workshop.theme or (slot.theme is not None and slot.theme != theme):
                    continue
                if not all(theme in m.themes for m in workshop.members):
                    continue
                trial = replace(workshop, theme=theme)
                if not self._fits(summary, trial):
                    continue
                cost = self._placement_cost(summary, trial) + self._retheme_cost(workshop, theme)
                options.append((cost, self.slot_index[slot.id], workshop, theme))
        if options:
            _, _, workshop, theme = min(options, key=lambda o: o[:2])
            self._count(workshop, -1)
            workshop.theme = theme
            self._count(workshop, +1)
            self._commit(unit, workshop)
            return True
        return self._eject_one(unit, slots, summary)

    def _retheme_cost(self, workshop: _Workshop, theme: str) -> int:
        w = self.weights
        cost = 0
        for member in workshop.members:
            if len(member.themes) > 1:
                cost += w.secondary_theme * (
                    (member.themes[0] != theme) - (member.themes[0] != workshop.theme)
                )
        for other_id in self.overlapping[workshop.slot.id]:
            other = self.workshops.get(other_id)
            if other is not None:
                cost += w.parallel_theme * (
                    (other.theme == theme) - (other.theme == workshop.theme)
                )
        return cost

    def _eject_one(self, unit: list[Proposal], slots: list[Slot], summary: _Unit) -> bool:
        """Make room for `unit` by moving one initiative of a workshop to another workshop."""
        pinned_or_grouped = {p.id for p in self.instance.proposals if p.pin is not None}
        pinned_or_grouped |= self.grouped
        for slot in slots:
            workshop = self.workshops.get(slot.id)
            if workshop is None or workshop.theme not in summary.themes:
                continue
            for member in list(workshop.members):
                if member.is_keynote or member.id in pinned_or_grouped:
                    continue
                self._withdraw(member, workshop)
                if self._fits(summary, workshop):
                    self._commit(unit, workshop)
                    if self.place([member], open_first=False):
                        return True
                    for proposal in unit:
                        self._withdraw(proposal, workshop)
                self._commit([member], workshop)
        return False

    def _withdraw(self, proposal: Proposal, workshop: _Workshop) -> None:
        change = self.rules.changeover_minutes
        workshop.members.remove(proposal)
        self._join(workshop, proposal, -1)
        workshop.keynotes -= proposal.is_keynote
        workshop.initiatives -= not proposal.is_keynote
        workshop.talk_minutes -= self.instance.talk_minutes(proposal) + change
        for speaker_id in proposal.speakers:
            self.busy[speaker_id].remove(workshop.slot)

    def _commit(self, unit: list[Proposal], workshop: _Workshop) -> None:
        change = self.rules.changeover_minutes
        if workshop.slot.id not in self.workshops:
            self.workshops[workshop.slot.id] = workshop
            self._count(workshop, +1)
        for proposal in unit:
            workshop.members.append(proposal)
            self._join(workshop, proposal, +1)
            workshop.keynotes += proposal.is_keynote
            workshop.initiatives += not proposal.is_keynote
            workshop.talk_minutes += self.instance.talk_minutes(proposal) + change
            for speaker_id in proposal.speakers:
                self.busy.setdefault(speaker_id, []).append(workshop.slot)

    def _dissolve(self, slot_id: str) -> list[Proposal]:
        workshop = self.workshops.pop(slot_id)
        self._count(workshop, -1)
        for proposal in workshop.members:
            self._join(workshop, proposal, -1)
            for speaker_id in proposal.speakers:
                self.busy[speaker_id] = [s for s in self.busy[speaker_id] if s.id != slot_id]
        return workshop.members

    # -- improvement ---------------------------------------------------------------

    def improve(self, proposals: bool = False, deadline: float = math.inf) -> int:
        """Move whole workshops while it lowers the cost (and with `proposals`, change
        workshops' themes and move single proposals too), until `deadline` by the clock
        at most; the number of moves.

        A workshop (without pinned members) goes into another workshop of its theme and
        language that has room (one slot fewer in use: its parallel pairs and its
        unused minutes go), or to an empty slot where it costs less (fewer parallel
        workshops of its theme or language, better minutes), wherever every member can
        come. With `proposals`, each workshop then takes the theme its members share
        that costs least (fewer parallel workshops of it, fewer members under a
        secondary theme), and each proposal (neither pinned nor grouped) moves to the
        open workshop where it costs least, when its own keeps the rules' minimums.
        Each pass takes, for each workshop and proposal in turn, its best move; passes
        repeat until one moves nothing, `MOVE_PASSES` at most. First fit opens a
        workshop per keynote under its first theme; on the large rungs two workshops of
        one theme and language often fit in one slot.
        """
        moves = 0
        for _ in range(MOVE_PASSES):
            moved = 0
            for slot_id in sorted(self.workshops, key=self.slot_index.__getitem__):
                if time.perf_counter() >= deadline:
                    return moves + moved
                workshop = self.workshops.get(slot_id)
                if workshop is not None and self._move_workshop(workshop):
                    moved += 1
            if proposals:
                moved += self._proposal_moves(deadline)
            moves += moved
            if not moved:
                break
        return moves

    def _proposal_moves(self, deadline: float = math.inf) -> int:
        """A pass of `_retheme` over the workshops, then of `_relocate` over the
        proposals (until `deadline` at most); the number of moves."""
        moves = 0
        for slot_id in sorted(self.workshops, key=self.slot_index.__getitem__):
            moves += self._retheme(self.workshops[slot_id])
        held = {p.id for p in self.instance.proposals if p.pin is not None}
        held |= self.grouped
        where = {p.id: w for w in self.workshops.values() for p in w.members}
        for proposal in self.instance.proposals:
            if time.perf_counter() >= deadline:
                break
            if proposal.id in where and proposal.id not in held:
                moves += self._relocate(proposal, where)
        return moves

    def _retheme(self, workshop: _Workshop) -> bool:
        """Give the workshop the theme its members share that costs least, if cheaper."""
        if workshop.slot.theme is not None:
            return False
        members = workshop.members
        shared = [t for t in members[0].themes if all(t in m.themes for m in members[1:])]
        best: tuple[int, str] | None = None
        for theme in shared:
            if theme != workshop.theme:
                option = (self._retheme_cost(workshop, theme), theme)
                if option[0] < 0 and (best is None or option < best):
                    best = option
        if best is None:
            return False
        self._count(workshop, -1)
        workshop.theme = best[1]
        self._count(workshop, +1)
        self.change += best[0]
        return True

    def _relocate(self, proposal: Proposal, where: dict[str, _Workshop]) -> bool:
        """Move one proposal to the open workshop where it costs least, if cheaper; its
        workshop must keep its keynotes and initiatives within the rules' minimums."""
        here = where[proposal.id]
        rules = self.rules
        keynote = proposal.is_keynote
        if (
            len(here.members) == 1
            or here.keynotes - keynote < rules.keynotes_per_workshop.min
            or here.initiatives - (not keynote) < rules.initiatives_per_workshop.min
        ):
            return False
        slots = self._candidate_slots([proposal])
        unit = self._unit([proposal], slots)
        leaving = self._leaving_cost(unit, here)
        self._withdraw(proposal, here)
        best: tuple[int, int, _Workshop] | None = None
        for slot in self._joinable(unit, slots):
            there = self.workshops[slot.id]
            if there is here or not self._fits(unit, there):
                continue
            option = (self._placement_cost(unit, there) - leaving, self.slot_index[slot.id])
            if option[0] < 0 and (best is None or option < best[:2]):
                best = (*option, there)
        target = here if best is None else best[2]
        self._commit([proposal], target)
        where[proposal.id] = target
        if best is not None:
            self.change += best[0]
        return best is not None

    def _leaving_cost(self, unit: _Unit, workshop: _Workshop) -> int:
        """What a one-proposal unit costs in its workshop, which keeps other members: the
        minutes it changes, its theme, its preferences, a language only it speaks."""
        w = self.weights
        rest = replace(
            workshop,
            keynotes=workshop.keynotes - unit.keynotes,
            talk_minutes=workshop.talk_minutes - unit.talk_minutes,
        )
        alone = [lang for lang in unit.languages if workshop.languages[lang] == 1]
        return (
            self._minutes_cost(workshop, None)
            - self._minutes_cost(rest, None)
            + w.secondary_theme * unit.secondary[workshop.theme]
            + w.speaker_preference * self._outside(unit, workshop.slot)
            + w.parallel_language * self._speaking(workshop.slot.id, alone)
        )

    def _move_workshop(self, workshop: _Workshop) -> bool:
        members = list(workshop.members)
        if any(p.pin is not None for p in members):
            return False
        w = self.weights
        here = workshop.slot
        unit = self._unit(members, [])
        languages = sorted(unit.languages)
        now = (
            w.parallel_theme * self.nearby[here.id]["t", workshop.theme]
            + w.parallel_language * self._speaking(here.id, languages)
            + self._minutes_cost(workshop, None)
            + w.speaker_preference * self._outside(unit, here)
        )
        rules = self.rules
        beside = set(self.overlapping[here.id])
        best: tuple[int, int, Slot] | None = None
        for slot in self._move_targets(members, workshop):
            other = self.workshops.get(slot.id)
            if other is None:
                target = _Workshop(slot, workshop.theme, workshop.language, self.frame[slot.id])
                count = int(slot.id in beside)  # this workshop, counted there now, leaves
                cost = (
                    w.parallel_theme * (self.nearby[slot.id]["t", workshop.theme] - count)
                    + w.parallel_language * self._speaking(slot.id, languages, bool(count))
                    + self._minutes_cost(target, unit)
                )
            elif (other.theme, other.language) == (workshop.theme, workshop.language):
                if other.keynotes + unit.keynotes > rules.keynotes_per_workshop.max:
                    continue
                if other.initiatives + unit.initiatives > rules.initiatives_per_workshop.max:
                    continue
                target = other
                brought = [lang for lang in languages if not other.languages[lang]]
                cost = (
                    self._minutes_cost(other, unit)
                    - self._minutes_cost(other, None)
                    + w.parallel_language * self._speaking(slot.id, brought, slot.id in beside)
                )
            else:
                continue
            if self._spare(target, unit) < rules.participatory.min * (
                target.keynotes + unit.keynotes
            ):
                continue
            cost += w.speaker_preference * self._outside(unit, slot)
            option = (cost - now, self.slot_index[slot.id], slot)
            if option[0] < 0 and (best is None or option[:2] < best[:2]):
                best = option
        if best is None:
            return False
        slot = best[2]
        self._dissolve(here.id)
        target = self.workshops.get(slot.id) or _Workshop(
            slot, workshop.theme, workshop.language, self.frame[slot.id]
        )
        if self._fits(unit, target):  # speakers and `apart`, checked with the move made
            self._commit(members, target)
            self.change += best[0]
            return True
        self._commit(members, _Workshop(here, workshop.theme, workshop.language, workshop.frame))
        return False

    def _move_targets(self, members: list[Proposal], workshop: _Workshop) -> list[Slot]:
        """Where a workshop's members could all go: among their common candidate slots
        whose locks take its theme and language, the first empty one of each time (the
        others of that time cost the same), and the workshops of its theme and
        language."""
        key = (workshop.theme, workshop.language, *(p.id for p in members))
        if key not in self._kinds_of:
            kinds: dict[tuple, list[Slot]] = {}
            for slot in self._candidate_slots(members):
                if slot.theme not in (None, workshop.theme):
                    continue
                if slot.language is not None and slot.language.value != workshop.language:
                    continue
                kinds.setdefault((slot.start, slot.end), []).append(slot)
            chosen = {s.id for s in self._candidate_slots(members)}
            self._kinds_of[key] = (list(kinds.values()), chosen)
        kinds, chosen = self._kinds_of[key]
        taken = self.workshops
        targets = []
        for slots in kinds:
            for slot in slots:
                if slot.id not in taken:
                    targets.append(slot)
                    break
        here = workshop.slot.id
        same = self.open_by_key.get((workshop.theme, workshop.language), ())
        targets += [self.instance.slot_by_id[i] for i in same if i != here and i in chosen]
        return targets

    def keep(self, reference: Solution) -> set[str]:
        """Hold the published workshops where they still hold every hard rule: each
        member (a `together` group as one) that is still in the instance, still has the
        slot as a candidate and still fits, keynotes first. A workshop left without
        enough keynotes or initiatives (one cancelled) is dissolved: its unpinned members
        are returned, for the block search's relocations (a keynote split off from a
        workshop of two may lead them where they were) rather than first fit."""
        instance = self.instance
        unit_of = {p.id: unit for unit in _units(instance) for p in unit}
        for entry in reference.workshops:
            slot = instance.slot_by_id.get(entry.slot)
            if slot is None or (slot.theme is not None and slot.theme != entry.theme):
                continue
            ids = {p for p in entry.proposals if p in instance.proposal_by_id}
            units = {unit_of[p][0].id: unit_of[p] for p in entry.proposals if p in ids}
            language = None
            if not self.rules.mixed_language:
                language = entry.language if entry.language != "mixed" else None
            workshop = _Workshop(slot, entry.theme, language, self.frame[slot.id])
            for unit in sorted(units.values(), key=lambda u: not u[0].is_keynote):
                if not all(p.id in ids and slot.id in self.candidates.slots[p.id] for p in unit):
                    continue
                summary = self._unit(unit, [slot])
                if workshop.language is None and not self.rules.mixed_language:
                    workshop.language = unit[0].language.value
                if self._fits(summary, workshop, beside=True):  # as published
                    self._commit(unit, workshop)
        rules = self.rules
        orphans: set[str] = set()
        for slot_id, workshop in list(self.workshops.items()):
            if (
                workshop.keynotes < rules.keynotes_per_workshop.min
                or workshop.initiatives < rules.initiatives_per_workshop.min
            ):
                orphans |= {p.id for p in self._dissolve(slot_id)}
        # pinned ones (and their groups) go to first fit, which places pins first: the
        # start must hold every hard rule
        held = {p.id for p in instance.proposals if p.pin is not None}
        return {p for p in orphans if not any(q.id in held for q in unit_of[p])}

    def _leaders(self, unit: list[Proposal], taken: set[str]) -> list[list[Proposal]]:
        """The units with a keynote that could lead a unit pinned to one slot that cannot
        open a workshop there (no keynote): a keynote, or a `together` group holding one
        (a group's keynote comes with its group: taken alone, an initiative pinned where
        only such a group could open its workshop was left out). Not placed yet (nor in
        `taken`), none pinned elsewhere, none given by a speaker pinned at the same
        time, all candidates of the slot, of the unit's language and of a theme all
        members share; those sharing its first theme first, then single keynotes, then
        the least flexible. Empty for any other unit."""
        pins = {p.pin for p in unit if p.pin is not None}
        if len(pins) != 1 or self._can_open(unit):
            return []
        (slot_id,) = pins  # (a `together` group may pin only some of its members)
        placed = {p.id for w in self.workshops.values() for p in w.members} | taken
        themes = {t for t in unit[0].themes if all(t in p.themes for p in unit)}
        slot_theme = self.instance.slot_by_id[slot_id].theme
        if slot_theme is not None:
            themes &= {slot_theme}
        languages = {p.language for p in unit}
        # nor one whose speaker is held by a pin in a slot overlapping this one
        overlapping = set(self.overlapping[slot_id])
        held = {s for p in self.instance.proposals if p.pin in overlapping for s in p.speakers}
        mine = {p.id for p in unit}

        def can_lead(leader: list[Proposal]) -> bool:
            return (
                mine.isdisjoint(k.id for k in leader)
                and all(
                    k.id not in placed
                    and k.pin in (None, slot_id)
                    and slot_id in self.candidates.slots[k.id]
                    and (self.rules.mixed_language or languages == {k.language})
                    and held.isdisjoint(k.speakers)
                    for k in leader
                )
                and any(all(t in k.themes for k in leader) for t in themes)
            )

        if self._leading is None:  # (made once: 2000 proposals with 1,000 pins)
            self._leading = [u for u in _units(self.instance) if any(k.is_keynote for k in u)]
        leaders = [leader for leader in self._leading if can_lead(leader)]
        theme = unit[0].themes[0] if unit[0].themes else None
        leaders.sort(
            key=lambda leader: (
                not all(theme in k.themes for k in leader),
                len(leader),
                len(self.candidates.slots[leader[0].id]),
            )
        )
        return leaders

    def _plan_leaders(
        self, units: list[list[Proposal]], taken: set[str]
    ) -> dict[int, list[list[Proposal]]]:
        """Each keynote-less pinned unit's `_leaders`, the one an assignment gives it
        first: one leader per unit, as many units led as can be, the cheapest in each
        list's order. Each taking its first free leader in turn, bench-600-tight with
        100 proposals pinned where a schedule had them left a unit without any (no
        start)."""
        lists = {n: self._leaders(unit, taken) for n, unit in enumerate(units)}
        lists = {n: leaders for n, leaders in lists.items() if leaders}
        if len(lists) < 2:
            return lists
        # (imported here: scipy.optimize takes 0.15-0.3 s to import, and most instances
        # have no two pinned units without a keynote)
        from scipy.optimize import linear_sum_assignment

        ids = sorted({leader[0].id for leaders in lists.values() for leader in leaders})
        column = {k: c for c, k in enumerate(ids)}
        rows = sorted(lists)
        # a unit led costs far less than any order among its leaders
        never = len(ids) + 1
        cost = np.full((len(rows), len(ids)), 2.0 * never * len(rows))
        for r, n in enumerate(rows):
            for rank, leader in enumerate(lists[n]):
                cost[r, column[leader[0].id]] = rank
        chosen = dict(zip(*linear_sum_assignment(cost), strict=True))
        plan = {}
        for r, n in enumerate(rows):
            first = ids[chosen[r]] if r in chosen and cost[r, chosen[r]] < never else None
            plan[n] = sorted(lists[n], key=lambda leader: leader[0].id != first)
        return plan

    def _lead(self, unit: list[Proposal], leaders: list[list[Proposal]]) -> list[str]:
        """A unit of `leaders` (`_leaders`, in order) that can go to the unit's pinned
        slot opens the workshop with it; its members' ids, or none. Without this a pinned
        initiative with no pinned keynote beside it was left out, broke its pin, and the
        large instances' search had no start."""
        placed = {p.id for w in self.workshops.values() for p in w.members}
        for leader in leaders:
            if placed.isdisjoint(k.id for k in leader) and self.place(
                [*leader, *unit], open_first=True
            ):
                return [k.id for k in leader]
        return []

    def _borrow_leader(self, unit: list[Proposal]) -> bool:
        """Lead a pinned unit with no keynote by a keynote placed elsewhere already (a
        re-solve's published workshops hold them all): one of a workshop that keeps its
        least keynotes without it first, else any (its workshop, short of a keynote then,
        is dissolved at the end). Not pinned, not in a `together` group, of the unit's
        language and a theme all share. Whether the unit is placed."""
        pins = {p.pin for p in unit if p.pin is not None}
        if len(pins) != 1 or self._can_open(unit):
            return False
        (slot_id,) = pins
        least = self.rules.keynotes_per_workshop.min
        options = [
            (workshop.keynotes <= least, self.slot_index[workshop.slot.id], keynote, workshop)
            for workshop in self.workshops.values()
            if workshop.slot.id != slot_id
            for keynote in workshop.members
            if keynote.is_keynote
            and keynote.pin is None
            and keynote.id not in self.grouped
            and slot_id in self.candidates.slots[keynote.id]
            and (self.rules.mixed_language or {p.language for p in unit} == {keynote.language})
            and all(any(t in p.themes for t in keynote.themes) for p in unit)
        ]
        for *_, keynote, workshop in sorted(options, key=lambda o: o[:2]):
            self._withdraw(keynote, workshop)
            if self.place([keynote, *unit], open_first=True):
                return True
            self._commit([keynote], workshop)
        return False

    def run(self, leave: set[str] = frozenset()) -> None:
        """First fit, then repair, for every unit not placed yet and not in `leave`."""
        placed = {p.id for w in self.workshops.values() for p in w.members} | leave
        units = _pinned_together(
            [u for u in _units(self.instance) if not any(p.id in placed for p in u)]
        )
        # pinned first, then keynote-led units, each the most constrained first
        order = {p.id: i for i, p in enumerate(self.instance.proposals)}

        def key(unit: list[Proposal]) -> tuple:
            pinned = any(p.pin is not None for p in unit)
            keynote = any(p.is_keynote for p in unit)
            options = len(self._candidate_slots(unit))
            return (not pinned, not keynote, options, order[unit[0].id])

        units.sort(key=key)
        plan = self._plan_leaders(units, placed)
        left, led = [], set()
        least = self.rules.initiatives_per_workshop.min
        for n, unit in enumerate(units):
            if least and n and not any(p.pin for p in unit) and any(p.pin for p in units[n - 1]):
                # the pinned units are placed (they come first): their workshops take
                # the initiatives they need before other workshops take those, or their
                # speakers (a keynote opening a workshop beside one lost it its only
                # initiative, whose speaker it shared)
                for workshop in list(self.workshops.values()):
                    if workshop.initiatives < least and any(p.pin for p in workshop.members):
                        led |= self._fill_short(workshop, units)
            if any(p.id in led for p in unit):
                continue  # placed already: a keynote to lead a pinned unit, initiatives
                # to fill a pinned workshop
            placeable = all(self.candidates.slots[p.id] for p in unit)
            if placeable and not self.place(unit, open_first=self._can_open(unit)):
                leader = self._lead(unit, plan.get(n, []))
                if leader:
                    led.update(leader)
                elif not self._borrow_leader(unit):
                    left.append(unit)
        for unit in left:
            self.repair(unit)
        rules = self.rules
        # workshops short of the least initiatives, those holding pins first
        short = [
            w for w in self.workshops.values() if w.initiatives < rules.initiatives_per_workshop.min
        ]
        short.sort(
            key=lambda w: (all(p.pin is None for p in w.members), self.slot_index[w.slot.id])
        )
        for workshop in short:
            self._fill_short(workshop, units)
        for slot_id in sorted(self.workshops):
            workshop = self.workshops[slot_id]
            if (
                workshop.keynotes < rules.keynotes_per_workshop.min
                or workshop.initiatives < rules.initiatives_per_workshop.min
            ):
                self._dissolve(slot_id)

    def _fill_short(self, workshop: _Workshop, units: list[list[Proposal]]) -> set[str]:
        """Bring initiatives to a workshop with fewer than the rules' least, which would
        otherwise be dissolved: units of initiatives first fit left out, then single
        initiatives from workshops holding more than the least, or for a workshop holding
        pins from any holding none (none pinned or in a `together` group); beside talks
        of their own speakers too, which the rules allow and first fit otherwise avoids;
        under another theme all its members have, if the unit needs it. Without it, under
        "initiatives 1-3", a keynote pinned where a schedule had it lost its workshop, and
        the large instances' search its start. Returns the ids of the `units` it placed."""
        least = self.rules.initiatives_per_workshop.min
        slot = workshop.slot

        def fits(unit: list[Proposal]) -> bool:
            if not all(
                p.pin in (None, slot.id) and slot.id in self.candidates.slots[p.id] for p in unit
            ):
                return False
            summary = self._unit(unit, [slot])
            for theme in [workshop.theme, *summary.themes]:
                if theme != workshop.theme and (
                    (slot.theme is not None and slot.theme != theme)
                    or not all(theme in m.themes for m in workshop.members)
                ):
                    continue
                if self._fits(summary, replace(workshop, theme=theme), beside=True):
                    if theme != workshop.theme:
                        self._count(workshop, -1)
                        workshop.theme = theme
                        self._count(workshop, +1)
                    return True
            return False

        placed = {p.id for w in self.workshops.values() for p in w.members}
        taken: set[str] = set()
        for unit in units:
            if workshop.initiatives >= least:
                return taken
            if not any(p.is_keynote or p.id in placed for p in unit) and fits(unit):
                self._commit(unit, workshop)
                taken.update(p.id for p in unit)
        # a workshop holding pins takes them from one holding none even below the least
        # (that one is dissolved: its proposals left out rather than a pin broken)
        pinned = any(p.pin is not None for p in workshop.members)
        others = sorted(
            (w for w in self.workshops.values() if w is not workshop),
            key=lambda w: (w.initiatives <= least, self.slot_index[w.slot.id]),
        )
        for other in others:
            free = pinned and all(p.pin is None for p in other.members)
            for proposal in list(other.members):
                if workshop.initiatives >= least:
                    return taken
                if other.initiatives <= least and not (free and other.initiatives):
                    break
                if proposal.is_keynote or proposal.pin is not None or proposal.id in self.grouped:
                    continue
                self._withdraw(proposal, other)
                self._commit([proposal], workshop if fits([proposal]) else other)
        return taken


def _pinned_together(units: list[list[Proposal]]) -> list[list[Proposal]]:
    """The units pinned to one slot merged into one, placed at once: their workshop's
    theme is then one they all share. Placed one by one, the first opened the workshop
    under its own first theme and a later one pinned there could not join (bench-150-tight
    with 30 proposals pinned where a schedule had them: no start in 1 of 6 draws)."""
    merged: dict[str, list[Proposal]] = {}
    others: list[list[Proposal]] = []
    for unit in units:
        pins = {p.pin for p in unit if p.pin is not None}
        if len(pins) == 1:
            merged.setdefault(pins.pop(), []).extend(unit)
        else:  # (pins to two slots cannot hold: `pin_conflicts` says so before)
            others.append(unit)
    return [*merged.values(), *others]


def _units(instance: Instance) -> list[list[Proposal]]:
    """Proposals grouped by `together` constraints (merged when groups share a proposal),
    in the order of their first members, a keynote leading each."""
    grouped = together_units(instance)
    units: dict[str, list[Proposal]] = {}
    for proposal in instance.proposals:
        unit = grouped.get(proposal.id, [proposal])
        units.setdefault(unit[0].id, unit)
    return [sorted(unit, key=lambda p: not p.is_keynote) for unit in units.values()]


def _overlaps(slots: list[Slot]) -> dict[str, list[str]]:
    """Slot id -> ids of the other slots overlapping it."""
    result: dict[str, list[str]] = {s.id: [] for s in slots}
    ordered = sorted(slots, key=lambda s: s.start)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            result[a.id].append(b.id)
            result[b.id].append(a.id)
    return result


def greedy_solution(
    instance: Instance,
    instance_hash: str = "",
    candidates: CandidateTable | None = None,
    on_built: Callable[[], None] | None = None,
) -> Solution:
    """First-fit schedule honouring every hard rule; objective recomputed by the validator.

    `on_built` is called once the schedule exists, before the validator scores it.
    """
    started = time.perf_counter()
    candidates = candidates if candidates is not None else candidate_table(instance)
    state = Greedy(instance, candidates)
    state.run()
    return _scored(state, instance_hash, started, "greedy schedule", on_built)


def reference_schedule(
    instance: Instance, instance_hash: str, candidates: CandidateTable, reference: Solution
) -> Solution:
    """The published schedule where it still holds (`Greedy.keep`), then first fit for
    what it left out (new proposals, those whose slot no longer takes them, pinned ones;
    not the other members of dissolved workshops); scored with `moved` against
    `reference`; first fit alone where that breaks a pin. The start of a re-solve."""
    started = time.perf_counter()
    state = Greedy(instance, candidates)
    state.run(leave=state.keep(reference))
    kept = _scored(state, instance_hash, started, "published schedule", reference=reference)
    if kept.has_schedule:
        return kept
    # a pin it could not keep (a pinned initiative whose keynote was cancelled, every
    # other keynote held where it was published): first fit from scratch, which places
    # pins first. Without it a generated 300-proposal instance's re-solve had no start
    # and ended with no schedule
    state = Greedy(instance, candidates)
    state.run()
    return _scored(state, instance_hash, started, "greedy schedule", reference=reference)


def repaired_schedule(
    instance: Instance, instance_hash: str, candidates: CandidateTable, broken: Solution
) -> Solution:
    """A schedule that breaks hard rules (the relaxation's, decoded: a `together` group
    split between two workshops of a slot class, talks of their own length that overrun),
    mended: its workshops held where their members still fit (`Greedy.keep`), first fit
    for all it left out (the other members of the workshops it dissolved too: left for
    the relocations, they made a mended 40-proposal optimum cost 3115, first fit 2300)."""
    started = time.perf_counter()
    state = Greedy(instance, candidates)
    state.keep(broken)
    state.run()
    return _scored(state, instance_hash, started, "repaired schedule")


def improved_schedule(
    instance: Instance,
    instance_hash: str,
    schedule: Solution,
    candidates: CandidateTable,
    proposals: bool = False,
    deadline: float = math.inf,
) -> Solution:
    """`schedule` after `Greedy.improve` (whole workshops merged or moved while it lowers
    the cost; with `proposals`, themes changed and single proposals moved too; no more
    moves after `deadline`), scored by the validator; `schedule` itself when nothing
    moved."""
    started = time.perf_counter()
    state = Greedy.of(instance, candidates, schedule)
    moves = state.improve(proposals, deadline)
    if not moves:
        return schedule
    result = _scored(state, instance_hash, started, "improved schedule")
    logger.info("%d workshops moved: %s -> %s", moves, schedule.objective, result.objective)
    if not result.has_schedule or result.objective > schedule.objective:
        return schedule  # never seen; the validator has the last word
    return result


def _scored(
    state: Greedy,
    instance_hash: str,
    started: float,
    what: str,
    on_built: Callable[[], None] | None = None,
    reference: Solution | None = None,
) -> Solution:
    """The state's workshops as a Solution, its objective recomputed by the validator
    (with `moved` against `reference` when given)."""
    from scheduler.validate import validate

    instance, candidates = state.instance, state.candidates
    solution = Solution(
        instance=instance.name,
        instance_hash=instance_hash,
        status=Status.FEASIBLE,
        seed=0,
        workers=1,
    )
    position = {s.id: i for i, s in enumerate(instance.slots)}
    for slot_id in sorted(
        state.workshops, key=lambda s: (instance.slot_by_id[s].start, position[s])
    ):
        workshop = state.workshops[slot_id]
        slot = workshop.slot
        languages = sorted({p.language.value for p in workshop.members})
        solution.workshops.append(
            Workshop(
                slot=slot.id,
                room=slot.room,
                theme=workshop.theme,
                language=languages[0] if len(languages) == 1 else "mixed",
                start=instance.local(slot.start),
                end=instance.local(slot.end),
                items=timeline(instance, slot, [p.id for p in workshop.members]),
            )
        )
    placed = {p.id for w in state.workshops.values() for p in w.members}
    for proposal in instance.proposals:
        if proposal.id not in placed:
            reasons = candidates.reasons(proposal.id) if not candidates.slots[proposal.id] else []
            solution.unscheduled.append(
                Unscheduled(proposal=proposal.id, reasons=reasons or [NOT_PLACED])
            )
    if on_built is not None:
        on_built()
    report = validate(instance, solution, reference, history=False)
    if not report.ok:
        # pins first fit could not keep are the instance's (explain's questions ask for
        # such pins on purpose); any other broken rule is first fit's own fault
        pins_only = all(v.rule == "pin" for v in report.violations)
        logger.log(
            logging.INFO if pins_only else logging.WARNING,
            "%s breaks hard rules: %s",
            what,
            "; ".join(v.message for v in report.violations[:3]),
        )
        solution.status = Status.UNKNOWN
        solution.workshops = []
        return solution
    solution.objective = report.objective
    solution.penalties = report.penalties()
    solution.seconds = round(time.perf_counter() - started, 3)
    return solution
