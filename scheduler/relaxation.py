"""An aggregated relaxation of the model: a lower bound, and a search space for schedules.

What is interchangeable is counted instead of named:

- a *slot class* is a set of slots in one group of mutually overlapping slots
  (a clique of the overlap graph), with the same minutes, locks and the same
  candidate proposals; any workshop can move between its slots;
- a *proposal class* is a set of proposals of one format, language and theme list
  whose candidate slots cover the same slot classes (a proposal of a speaker with
  several talks, or in a `together` or `apart` group, is a class of its own).

The program chooses how many workshops of each theme, language and shape (keynotes,
initiatives) each slot class holds, and how many proposals of each class go to each
slot class under each of their themes. It keeps placement counts, composition,
minutes (idle and participatory shortfall per shape), theme and language
membership, pins (as counts), preferences, a speaker's talks within a clique,
`together`, `apart` as counts (no more of a group in a slot class under one theme
than the workshops there), and the parallel-theme and parallel-language pairs inside
each clique (C(n, 2), exact for integer n). It drops speaker clashes between slots
of different cliques, `apart` between workshops of the same kind, `moved` and pairs
between slots of different cliques. Its LP (600 proposals) is raised by the clock with
`Relaxation.links`, a class's flow into a kind of workshop at most its workshops
there, added in rounds as its points break them (`scheduler.bound._linked`).
Every schedule maps to a solution of the program costing no more, and the dropped
terms are non-negative, so HiGHS's bound on the program is a lower bound of the
instance's optimum; an integer solution decodes into workshops, a schedule when
`Relaxation.holds` says so.

The program has thousands to tens of thousands of integer columns where the direct
model has one literal per proposal and candidate slot (1.7 million at 2,000
proposals). How it is solved and searched: `scheduler.bound` and `scheduler.cliques`;
see docs/solver.md, "The aggregated relaxation".
"""

from __future__ import annotations

import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from scheduler.candidates import CandidateTable
from scheduler.instance import Instance, Slot
from scheduler.program import Program, Terms
from scheduler.shapes import (
    Overriding,
    frame_minutes,
    one_talk_shapes,
    outside_preference,
    overriding_talks,
    workshop_shapes,
)
from scheduler.validate import validate
from scheduler.workshops import schedule_of_workshops

Talk = tuple[bool, int]
"""A talk of its own length: (keynote or not, minutes)."""
SEVERAL = "several"
"""The kind of a workshop counted as holding several talks of their own length."""
MIXED = "*"
"""The language of a workshop that holds proposals in both languages (where the rules
allow it): its own key, beside each language's, in the programs' workshop counts."""


def clique_cover(slots: list[Slot]) -> list[list[Slot]]:
    """Partition slots into groups whose slots all overlap each other.

    Slots are intervals: the slot ending first and every remaining slot starting
    before that end share the moment just before it. Repeating from the remaining
    slots gives the fewest such groups (a minimum clique cover of an interval graph).
    """
    remaining = sorted(slots, key=lambda s: (s.end, s.start, s.id))
    groups: list[list[Slot]] = []
    while remaining:
        first_end = remaining[0].end
        group = [s for s in remaining if s.start < first_end]
        taken = {s.id for s in group}
        remaining = [s for s in remaining if s.id not in taken]
        groups.append(group)
    return groups


@dataclass
class _SlotClass:
    slots: list[str]
    group: int
    frame: int
    uniform: bool
    theme: str | None
    language: str | None
    talks: Overriding | None = None
    """Where a candidate's talk overrides its length: those talks, which its workshops'
    shapes and costs allow for."""


@dataclass
class _ProposalClass:
    proposals: list[str]
    keynote: bool
    language: str
    themes: tuple[str, ...]
    slot_classes: tuple[int, ...]
    pinned: int
    outside: frozenset[int]
    """Slot classes outside the preferred windows of the proposal or a speaker."""
    talk: Talk | None = None
    """Where they do: (keynote or not, minutes), the same for all its proposals."""


@dataclass
class _Members:
    """The flows of `Relaxation._flows_into_workshops`, as the rows after them read
    them."""

    keynotes_in: dict[tuple[int, str, str], Terms] = field(
        default_factory=lambda: defaultdict(list)
    )
    """The keynotes' flows into each (slot class, theme, language)."""
    initiatives_in: dict[tuple[int, str, str], Terms] = field(
        default_factory=lambda: defaultdict(list)
    )
    flow_of: dict[tuple[str, int, str, str], int] = field(default_factory=dict)
    """Classes of one proposal: its flow into each (slot class, theme, language)."""
    flows_of: dict[str, list[tuple[int, str, str, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """Classes of one proposal: (slot class, theme, workshops' language, flow)."""
    mixing: dict[tuple[int, str, str], Terms] = field(default_factory=lambda: defaultdict(list))
    """Where languages mix: the flows of each language into mixed workshops."""
    joined: dict[tuple[tuple[int, str, str], Talk], Terms] = field(
        default_factory=lambda: defaultdict(list)
    )
    """The flows of talks of their own length, by workshop key and talk."""


class Relaxation:
    """The aggregated program."""

    def __init__(self, instance: Instance, candidates: CandidateTable):
        self.instance = instance
        self.candidates = candidates
        self.program = Program()
        self.constant = 0
        self._granularity: int | None = None
        self._theme_free: dict[str, np.ndarray] | None = None
        started = time.perf_counter()
        self._classes(candidates)
        self._build()
        self.build_seconds = round(time.perf_counter() - started, 3)
        """How long the classes and the program took to build (benchmarks record it)."""

    def _classes(self, candidates: CandidateTable) -> None:
        """Slot classes and proposal classes: what the program counts instead of each
        slot and each proposal."""
        instance = self.instance
        index = {p.id: n for n, p in enumerate(instance.proposals)}
        members, outside_of, dispreferred = self._memberships(candidates, index)
        # proposals whose talk overrides its format's minutes
        overriding = {
            n
            for n, p in enumerate(instance.proposals)
            if instance.talk_minutes(p) != instance.rules.talk_minutes(p.format)
        }
        self.own_length = frozenset(instance.proposals[n].id for n in overriding)
        """The proposals whose talk overrides its format's length."""
        self._speakers_and_groups()
        self._slot_classes(members, dispreferred, overriding)
        self._proposal_classes(candidates, index, outside_of, overriding)

    def _memberships(
        self, candidates: CandidateTable, index: dict[str, int]
    ) -> tuple[dict[str, list[int]], dict[int, set[str]], dict[str, set[int]]]:
        """Each slot's candidate proposals (by index, in instance order), and the
        candidate slots outside a proposal's (or its speakers') preferred windows, both
        ways."""
        instance = self.instance
        members: dict[str, list[int]] = defaultdict(list)
        outside_of: dict[int, set[str]] = defaultdict(set)
        dispreferred: dict[str, set[int]] = defaultdict(set)
        for proposal in instance.proposals:
            n = index[proposal.id]
            for slot_id in candidates.slots[proposal.id]:
                members[slot_id].append(n)
            if proposal.preferred is not None or any(
                instance.speaker_by_id[s].preferred is not None for s in proposal.speakers
            ):
                for slot_id in candidates.slots[proposal.id]:
                    if outside_preference(instance, proposal.id, slot_id):
                        outside_of[n].add(slot_id)
                        dispreferred[slot_id].add(n)
        return members, outside_of, dispreferred

    def _speakers_and_groups(self) -> None:
        """Each speaker's number of talks; the `together` groups and the `apart`
        partners of each proposal."""
        instance = self.instance
        talks: dict[str, int] = defaultdict(int)
        for proposal in instance.proposals:
            for speaker_id in proposal.speakers:
                talks[speaker_id] += 1
        self.talks = talks
        self._together_of: dict[str, list[int]] = defaultdict(list)
        for n, group in enumerate(instance.constraints.together):
            for p in group.proposals:
                self._together_of[p].append(n)
        self._apart_of: dict[str, set[str]] = defaultdict(set)
        for group in instance.constraints.apart:
            for p in group.proposals:
                self._apart_of[p].update(q for q in group.proposals if q != p)

    def _slot_classes(
        self,
        members: dict[str, list[int]],
        dispreferred: dict[str, set[int]],
        overriding: set[int],
    ) -> None:
        """Slots of one clique with the same minutes, reservations, candidates and
        dispreferring proposals: one class (a slot nobody can use, none)."""
        instance, rules = self.instance, self.instance.rules
        self.slot_classes: list[_SlotClass] = []
        class_of_slot: dict[str, int] = {}
        keys: dict[tuple, int] = {}
        for group_index, group in enumerate(clique_cover(instance.slots)):
            for slot in sorted(group, key=lambda s: instance.slot_index[s.id]):
                if not members[slot.id]:
                    continue
                # (members are in instance order)
                outside = tuple(sorted(dispreferred.get(slot.id, ())))
                key = (
                    group_index,
                    slot.minutes,
                    slot.theme,
                    slot.language,
                    tuple(members[slot.id]),
                    outside,
                )
                if key not in keys:
                    keys[key] = len(self.slot_classes)
                    uniform = overriding.isdisjoint(members[slot.id])
                    language = slot.language.value if slot.language is not None else None
                    lengths = None
                    if not uniform:
                        lengths = overriding_talks(
                            instance, (instance.proposals[n] for n in members[slot.id])
                        )
                    self.slot_classes.append(
                        _SlotClass(
                            [],
                            group_index,
                            frame_minutes(rules, slot),
                            uniform,
                            slot.theme,
                            language,
                            lengths,
                        )
                    )
                class_of_slot[slot.id] = keys[key]
                self.slot_classes[keys[key]].slots.append(slot.id)
        self.class_of_slot = class_of_slot

    def _proposal_classes(
        self,
        candidates: CandidateTable,
        index: dict[str, int],
        outside_of: dict[int, set[str]],
        overriding: set[int],
    ) -> None:
        """Proposals of one format, language, themes, slot classes, dispreferred slot
        classes and talk length: one class, unless a speaker gives another talk or a
        group names it (a class of its own)."""
        instance, class_of_slot = self.instance, self.class_of_slot
        constraints = instance.constraints
        grouped = {
            p for group in (*constraints.together, *constraints.apart) for p in group.proposals
        }
        self.proposal_classes: list[_ProposalClass] = []
        pkeys: dict[tuple, int] = {}
        self.class_of_proposal: dict[str, int] = {}
        self.never_placed = 0
        for proposal in instance.proposals:
            slots = candidates.slots[proposal.id]
            if not slots:
                self.never_placed += 1
                continue
            covered = tuple(sorted({class_of_slot[s] for s in slots}))
            outside = tuple(
                sorted({class_of_slot[s] for s in outside_of.get(index[proposal.id], ())})
            )
            # a proposal whose speaker gives another talk is a class of its own, so that
            # the speaker's talks can be kept out of one clique; so is one in a `together`
            # or `apart` group, whose rows name its flows
            alone = (
                proposal.id
                if proposal.id in grouped or any(self.talks[s] > 1 for s in proposal.speakers)
                else None
            )
            key = (
                proposal.is_keynote,
                proposal.language.value,
                tuple(proposal.themes),
                covered,
                outside,
                alone,
                instance.talk_minutes(proposal) if index[proposal.id] in overriding else None,
            )
            if key not in pkeys:
                pkeys[key] = len(self.proposal_classes)
                self.proposal_classes.append(
                    _ProposalClass(
                        [],
                        proposal.is_keynote,
                        proposal.language.value,
                        tuple(proposal.themes),
                        covered,
                        pinned=0,
                        outside=frozenset(outside),
                        talk=(proposal.is_keynote, instance.talk_minutes(proposal))
                        if index[proposal.id] in overriding
                        else None,
                    )
                )
            cls = self.proposal_classes[pkeys[key]]
            self.class_of_proposal[proposal.id] = pkeys[key]
            cls.proposals.append(proposal.id)
            cls.pinned += proposal.pin is not None

    def _build(self) -> None:
        """The program, rule by rule: the workshops each slot class can hold, the
        proposals' flows into them, then the rows that tie them together."""
        self.constant += self.instance.rules.weights.unscheduled * self.never_placed
        self._workshop_counts()
        members = self._flows_into_workshops()
        self._speakers_in_cliques(members.flows_of)
        self._together(members)
        self._apart(members.flows_of)
        self._shapes_from_members(members)
        # unit steps of C(n, 2) with the flows that make their n, per clique
        weights = self.instance.rules.weights
        self.steps: list[tuple[Terms, list[int]]] = []
        self.step_group: list[int] = []
        self._parallel(weights.parallel_theme, lambda key: (key[1],))
        # (a mixed workshop makes pairs in each language)
        languages = sorted({cls.language for cls in self.proposal_classes})
        self._parallel(
            weights.parallel_language,
            lambda key: tuple(languages) if key[2] == MIXED else (key[2],),
        )

    def _workshop_keys(self) -> tuple[dict[int, set[tuple[str, str]]], dict[int, set]]:
        """Which (theme, language) workshops each slot class can hold: with a keynote of
        that theme and language, and with any proposal. Where languages mix, a workshop's
        language is "*" when it holds both (one of each at least)."""
        keynote_keys: dict[int, set[tuple[str, str]]] = defaultdict(set)
        any_keys: dict[int, set[tuple[str, str]]] = defaultdict(set)
        spoken: dict[tuple[int, str], set[str]] = defaultdict(set)
        for cls in self.proposal_classes:
            for sc in cls.slot_classes:
                for theme in self._themes_in(cls, sc):
                    any_keys[sc].add((theme, cls.language))
                    spoken[sc, theme].add(cls.language)
                    if cls.keynote:
                        keynote_keys[sc].add((theme, cls.language))
        if self.instance.rules.mixed_language:
            for (sc, theme), languages in spoken.items():
                if len(languages) > 1:
                    any_keys[sc].add((theme, MIXED))
                    if any(t == theme for t, _ in keynote_keys[sc]):
                        keynote_keys[sc].add((theme, MIXED))
        return keynote_keys, any_keys

    def _talks_to(self) -> dict[tuple[int, str, str], Counter[Talk]]:
        """The talks of their own length that can join each (slot class, theme,
        language)."""
        mixed = self.instance.rules.mixed_language
        talks_to: dict[tuple[int, str, str], Counter[Talk]] = defaultdict(Counter)
        for cls in self.proposal_classes:
            if cls.talk is None:
                continue
            for sc in cls.slot_classes:
                for theme in self._themes_in(cls, sc):
                    for language in (cls.language, MIXED) if mixed else (cls.language,):
                        talks_to[sc, theme, language][cls.talk] += len(cls.proposals)
        return talks_to

    def _workshop_counts(self) -> None:
        """Workshops per (slot class, theme, language, shape): one count each, costed by
        the shape's minutes, and at most the slot class's slots in all. Where a
        candidate talk overrides its length, the workshops holding one such talk are
        counted apart by that talk, at the shape's exact minutes with it; those holding
        several (where two may join) once more, at the least minutes of the shape with
        any of them, a bound (they are no more than those talks there)."""
        rules, program = self.instance.rules, self.program
        weights = rules.weights
        keynote_keys, any_keys = self._workshop_keys()
        talks_to = self._talks_to()
        workshops: dict[tuple[int, str, str], dict[tuple[int, int], int]] = {}
        by_talk: dict[tuple[int, str, str], dict[Talk, dict[tuple[int, int], int]]] = {}
        several: dict[tuple[int, str, str], dict[tuple[int, int], int]] = {}

        def counted(
            these: dict[tuple[int, int], tuple[int, int]], size: int, language: str
        ) -> dict[tuple[int, int], int]:
            return {
                shape: program.var(
                    size, cost=weights.idle_minutes * idle + weights.participatory_target * short
                )
                for shape, (idle, short) in these.items()
                if language != MIXED or sum(shape) >= 2
            }

        for sc, slot_class in enumerate(self.slot_classes):
            possible = keynote_keys[sc] if rules.keynotes_per_workshop.min >= 1 else any_keys[sc]
            if not possible:
                continue
            shapes = workshop_shapes(rules, slot_class.frame)
            others = {}
            if slot_class.talks is not None:
                others = workshop_shapes(rules, slot_class.frame, slot_class.talks)
            size = len(slot_class.slots)
            here: Terms = []
            for theme, language in sorted(possible):
                key = (sc, theme, language)
                workshops[key] = counted(shapes, size, language)
                joining = talks_to.get(key, Counter())
                if joining:
                    by_talk[key] = {
                        talk: counted(
                            one_talk_shapes(rules, slot_class.frame, *talk), size, language
                        )
                        for talk in sorted(joining)
                    }
                if others and sum(joining.values()) >= 2:
                    several[key] = counted(others, size, language)
                here += [(column, 1) for column in self._counts(key, workshops, by_talk, several)]
            program.row(here, upper=size)
        self.shape_columns = workshops
        self.talk_columns = by_talk
        """The shape counts of the workshops that hold one talk of its own length, by talk."""
        self.several_columns = several
        """The shape counts of the workshops that hold several talks of their own length."""
        self.workshops = {key: self._counts(key, workshops, by_talk, several) for key in workshops}
        self.several_list = np.asarray(
            [c for counts in several.values() for c in counts.values()], dtype=np.int64
        )
        """Those columns, as one array."""
        self._shape_column_list = np.asarray(
            [c for columns in self.workshops.values() for c in columns], dtype=np.int64
        )
        self._key_of_column = {c: key for key, columns in self.workshops.items() for c in columns}

    def _flows_into_workshops(self) -> _Members:
        """Each proposal class's flow into each (slot class, theme, workshops' language)
        it can join, costed by its secondary theme and missed preferred windows, and its
        proposals left out: every proposal placed once or left out."""
        weights, program = self.instance.rules.weights, self.program
        mixed = self.instance.rules.mixed_language
        members = _Members()
        self.flows: list[tuple[_ProposalClass, int, str, int]] = []
        self.flow_language: list[str] = []
        """The language of the workshops each flow goes to (its class's, or `MIXED`)."""
        # (class, slot class, theme, workshops' language)
        self.flow_column: dict[tuple[int, int, str, str], int] = {}
        self.left_out: list[int] = []
        for ci, cls in enumerate(self.proposal_classes):
            size = len(cls.proposals)
            placed: Terms = []
            for sc in cls.slot_classes:
                for theme in self._themes_in(cls, sc):
                    for language in (cls.language, MIXED) if mixed else (cls.language,):
                        key = (sc, theme, language)
                        if key not in self.shape_columns:
                            continue
                        cost = weights.secondary_theme if theme != cls.themes[0] else 0
                        if sc in cls.outside:
                            cost += weights.speaker_preference
                        column = program.var(size, cost=cost)
                        self.flows.append((cls, sc, theme, column))
                        self.flow_language.append(language)
                        self.flow_column[ci, *key] = column
                        if len(cls.proposals) == 1:
                            members.flow_of[cls.proposals[0], *key] = column
                            members.flows_of[cls.proposals[0]].append((*key, column))
                        placed.append((column, 1))
                        kind = members.keynotes_in if cls.keynote else members.initiatives_in
                        kind[key].append((column, 1))
                        if language == MIXED:
                            members.mixing[sc, theme, cls.language].append((column, 1))
                        if cls.talk is not None:
                            members.joined[key, cls.talk].append((column, 1))
            left_out = program.var(size - cls.pinned, cost=weights.unscheduled)
            self.left_out.append(left_out)
            program.row([*placed, (left_out, 1)], size, size)
        self._flow_columns = np.asarray([column for *_, column in self.flows], dtype=np.int64)
        return members

    def _speakers_in_cliques(self, flows_of: dict[str, list[tuple[int, str, str, int]]]) -> None:
        """A speaker's talks in one clique share one workshop, hence one slot class and
        theme (their talks are classes of their own): one 0-1 "where" column per place
        in each clique, 1 when any of its flows is positive."""
        program = self.program
        self.where: list[tuple[int, Terms]] = []
        self.where_group: list[int] = []
        own: dict[str, list[str]] = defaultdict(list)
        for proposal in self.instance.proposals:
            for speaker_id in proposal.speakers:
                if self.talks[speaker_id] > 1:
                    own[speaker_id].append(proposal.id)
        for _, proposals in sorted(own.items()):
            # (by slot class and theme: its workshops of each language, mixed or not, as one
            # place; by language too, a speaker's talks in two languages could not share a
            # clique, tighter but bench-150-tight went unproven on its work budget)
            places: dict[int, dict[tuple[int, str], Terms]] = defaultdict(lambda: defaultdict(list))
            for p in proposals:
                for sc, theme, _, column in flows_of[p]:
                    places[self.slot_classes[sc].group][sc, theme].append((column, 1))
            for group, by_place in sorted(places.items()):
                if sum(len(terms) for terms in by_place.values()) < 2:
                    continue
                where = []
                for _, terms in sorted(by_place.items()):
                    chosen = program.var(1)
                    self.where.append((chosen, terms))
                    self.where_group.append(group)
                    where.append((chosen, 1))
                    program.row([*terms, (chosen, -len(terms))], upper=0)
                program.row(where, upper=1)

    def _together(self, members: _Members) -> None:
        """The same slot class, theme (and language) for all (or none) of a group."""
        flow_of, flows_of = members.flow_of, members.flows_of
        for group in self.instance.constraints.together:
            first, *others = group.proposals
            for other in others:
                places = {tuple(place[:3]) for p in (first, other) for place in flows_of[p]}
                for place in sorted(places):
                    terms = [(flow_of[first, *place], 1)] if (first, *place) in flow_of else []
                    if (other, *place) in flow_of:
                        terms.append((flow_of[other, *place], -1))
                    self.program.row(terms, 0, 0)

    def _apart(self, flows_of: dict[str, list[tuple[int, str, str, int]]]) -> None:
        """The members of a group in one slot class under one theme (and one language,
        unless languages mix) sit in different workshops of that kind, so no more of
        them than its workshops. Without these rows the exact optimum of the generator's
        40-proposal easy instance of seed 10 put an `apart` pair in one workshop, and
        CP-SAT then took 6.5 s to find a schedule of its value."""
        for group in self.instance.constraints.apart:
            meeting: dict[tuple[int, str, str], Terms] = defaultdict(list)
            for p in group.proposals:
                for sc, theme, language, column in flows_of[p]:
                    meeting[sc, theme, language].append((column, 1))
            for key, terms in sorted(meeting.items()):
                if len(terms) > 1:
                    workshops = ((v, -1) for v in self.workshops[key])
                    self.program.row([*terms, *workshops], upper=0)

    def _shapes_from_members(self, members: _Members) -> None:
        """The members of the workshops of each (slot class, theme, language) make their
        shapes; a mixed workshop holds each language (at least one proposal of each);
        the workshops counted as holding talks of their own length hold them."""
        program, rules = self.program, self.instance.rules
        for key in self.shape_columns:
            counts = self.shapes_of(key)
            program.row([*members.keynotes_in[key], *((v, -k) for (k, _), v in counts)], 0, 0)
            program.row([*members.initiatives_in[key], *((v, -i) for (_, i), v in counts)], 0, 0)
        for (sc, theme, _), terms in sorted(members.mixing.items()):
            program.row([*terms, *((v, -1) for v in self.workshops[sc, theme, MIXED])], lower=0)
        most = rules.keynotes_per_workshop.max + rules.initiatives_per_workshop.max
        for key, talks in sorted(self.talk_columns.items()):
            talk_rows(
                program,
                {talk: [(v, 1) for v in counts.values()] for talk, counts in talks.items()},
                {talk: members.joined[key, talk] for talk in talks},
                [(v, 1) for v in self.several_columns.get(key, {}).values()],
                most,
            )

    def schedule(self, values: list[int]) -> dict[str, tuple[str, list[str]]]:
        """Workshops of an integer solution: slot -> (theme, proposals) (`_decoded`)."""
        return self._decoded(values)[0]

    def _decoded(self, values: list[int]) -> tuple[dict[str, tuple[str, list[str]]], bool]:
        """Workshops of an integer solution: slot -> (theme, proposals), and whether
        each workshop counted as holding talks of their own length got them (`_fill`).

        Each (slot class, theme, language) gets the counted proposals of each class and
        the counted workshops of each shape; the workshops are filled by `_fill`, then
        take the slots of the class in instance order.
        """
        taken: dict[int, int] = defaultdict(int)  # proposals of each class handed out
        pools: dict[tuple[int, str, str], list[str]] = defaultdict(list)
        x = np.asarray(values)
        # only the positive flows and workshop counts (a few hundred of tens of thousands),
        # in the program's order
        for flow in np.flatnonzero(x[self._flow_columns]).tolist():
            cls, sc, theme, column = self.flows[flow]
            count = values[column]
            start = taken[id(cls)]
            pools[sc, theme, self.flow_language[flow]].extend(cls.proposals[start : start + count])
            taken[id(cls)] += count
        if self.own_length:  # (where languages mix, in pool order: those talks first)
            for pool in pools.values():
                pool.sort(key=lambda p: p not in self.own_length)
        free_slots = {sc: list(c.slots) for sc, c in enumerate(self.slot_classes)}
        schedule: dict[str, tuple[str, list[str]]] = {}
        exact = True
        counted = self._shape_column_list
        used = {self._key_of_column[c] for c in counted[x[counted] > 0].tolist()}
        for key in self.shape_columns:
            if key not in used:
                continue
            # the workshops counted as holding one talk of its own length first, then
            # those holding several, then the others
            rooms: list[tuple[tuple[int, int], Talk | str | None]] = [
                (shape, talk)
                for talk, counts in sorted(self.talk_columns.get(key, {}).items())
                for shape, column in sorted(counts.items())
                for _ in range(values[column])
            ]
            rooms += [
                (shape, kind)
                for kind, counts in ((SEVERAL, self.several_columns), (None, self.shape_columns))
                for shape, column in sorted(counts.get(key, {}).items())
                for _ in range(values[column])
            ]
            filled, kept = self._fill(pools[key], rooms)
            exact &= kept
            for members in filled:
                schedule[free_slots[key[0]].pop(0)] = (key[1], members)
        return schedule, exact

    def _talk_of(self, proposal_id: str) -> Talk | None:
        """The proposal's talk if it has its own length."""
        return self.proposal_classes[self.class_of_proposal[proposal_id]].talk

    def _several_talks(self, proposal_id: str) -> bool:
        """Whether a speaker of the proposal gives another talk."""
        return any(self.talks[s] > 1 for s in self.instance.proposal_by_id[proposal_id].speakers)

    def _by_kind(
        self, pool: list[str], rooms: list[tuple[tuple[int, int], Talk | str | None]]
    ) -> tuple[list[list[str]], bool]:
        """`_fill` where nothing is kept together or apart, in pool order: each room's
        talk of its own length first (one of its `Talk`, or any for `SEVERAL`), then
        talks of their format's length, then whichever are left; and whether each room
        got the talks of its kind."""
        by_id = self.instance.proposal_by_id
        order = {p: n for n, p in enumerate(pool)}
        own: dict[Talk, list[str]] = defaultdict(list)
        plain: dict[bool, list[str]] = {True: [], False: []}
        for p in pool:
            talk = self._talk_of(p) if p in self.own_length else None
            if talk is None:
                plain[by_id[p].is_keynote].append(p)
            else:
                own[talk].append(p)
        filled: list[list[str]] = []
        kept = True
        for (k, i), kind in rooms:
            need = {True: k, False: i}
            members: list[str] = []
            if kind == SEVERAL:
                for talk, talks in sorted(own.items()):
                    _take(talks, members, need, talk[0], len(talks))
            elif kind is not None:
                kept &= _take(own.get(kind, []), members, need, kind[0], 1) == 1
            for keynote in (True, False):
                _take(plain[keynote], members, need, keynote, need[keynote])
                for talk, talks in sorted(own.items()):
                    if talk[0] == keynote:
                        taken = _take(talks, members, need, keynote, need[keynote])
                        kept &= taken == 0 or kind == SEVERAL
            filled.append(sorted(members, key=lambda p: (not by_id[p].is_keynote, order[p])))
        return filled, kept

    def _mixed(
        self, pool: list[str], rooms: list[tuple[tuple[int, int], Talk | str | None]]
    ) -> tuple[list[list[str]], bool]:
        """`_fill` where languages mix and nothing is kept together or apart: each room
        of a `Talk` kind takes one such talk first, the rest by language
        (`_by_language`); and whether each room got the talks of its kind."""
        by_id = self.instance.proposal_by_id
        order = {p: n for n, p in enumerate(pool)}
        rest = list(pool)
        first: list[list[str]] = []
        kept = True
        for _, kind in rooms:
            talk = None
            if kind is not None and kind != SEVERAL:
                talk = next(
                    (p for p in rest if p in self.own_length and self._talk_of(p) == kind), None
                )
                kept &= talk is not None
            first.append([] if talk is None else [talk])
            if talk is not None:
                rest.remove(talk)
        shapes = [
            (
                k - sum(by_id[p].is_keynote for p in taken),
                i - sum(not by_id[p].is_keynote for p in taken),
            )
            for ((k, i), _), taken in zip(rooms, first, strict=True)
        ]
        if not self.own_length.isdisjoint(rest):
            kept &= any(kind == SEVERAL for _, kind in rooms)
        keynotes = [p for p in rest if by_id[p].is_keynote]
        initiatives = [p for p in rest if not by_id[p].is_keynote]
        filled = self._by_language(keynotes, initiatives, shapes)
        return [
            sorted(taken + more, key=lambda p: (not by_id[p].is_keynote, order[p]))
            for taken, more in zip(first, filled, strict=True)
        ], kept

    def _by_language(
        self, keynotes: list[str], initiatives: list[str], shapes: list[tuple[int, int]]
    ) -> list[list[str]]:
        """Workshops of the given shapes from a pool whose languages mix (the program's
        mixed workshops), each as nearly of one language as the pool allows (each
        language a workshop holds makes its pairs with the parallel workshops, so one of
        a single language costs no more than the program counted): the largest shapes
        first, each from the language that fills the most of it, then from the languages
        with most left."""
        by_id = self.instance.proposal_by_id
        left: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for p in keynotes:
            left[by_id[p].language.value][0].append(p)
        for p in initiatives:
            left[by_id[p].language.value][1].append(p)
        filled: list[list[str]] = [[] for _ in shapes]
        for n in sorted(range(len(shapes)), key=lambda n: (-sum(shapes[n]), n)):
            k, i = shapes[n]
            fill = {
                language: min(k, len(ks)) + min(i, len(its)) for language, (ks, its) in left.items()
            }
            first = max(sorted(left), key=lambda language: fill[language])
            order = [first] + sorted(
                (language for language in left if language != first),
                key=lambda language: (-fill[language], language),
            )
            for position, want in ((0, k), (1, i)):
                for language in order:
                    taken = left[language][position][:want]
                    del left[language][position][: len(taken)]
                    filled[n] += taken
                    want -= len(taken)
        return filled

    def _fill(
        self, pool: list[str], rooms: list[tuple[tuple[int, int], Talk | str | None]]
    ) -> tuple[list[list[str]], bool]:
        """The members of workshops of the given shapes (keynotes, initiatives) and
        kinds from the proposals `pool` of one (slot class, theme, language), which has
        exactly as many keynotes and initiatives as the shapes. A workshop of a `Talk`
        kind gets one talk of its own length, that one; of kind `SEVERAL` such talks
        first; of kind None talks of their format's length first. A speaker's talks (the
        program puts those of one clique in one slot class and theme) and each `together`
        group go to one workshop, and `apart` members to different ones, where the shapes
        allow (a short depth-first search; else in pool order, and `holds` tells). Also
        tells whether each workshop got the talks of its kind (always, where the pool has
        no talk of its own length)."""
        by_id = self.instance.proposal_by_id
        shapes = [shape for shape, _ in rooms]
        plain = self.own_length.isdisjoint(pool)
        if not any(
            self._apart_of.get(p) or self._together_of.get(p) or self._several_talks(p)
            for p in pool
        ):  # nothing to keep together or apart (most pools): in pool order
            if len({by_id[p].language for p in pool}) > 1:  # (languages mix)
                return self._mixed(pool, rooms)
            return self._by_kind(pool, rooms)
        units = self._units(pool)
        members_in = set(pool)

        def constrained(unit: list[str]) -> bool:
            return any(q in members_in for p in unit for q in self._apart_of.get(p, ()))

        # the constrained units first (apart from another of the pool), then the largest
        ordered = sorted(units, key=lambda u: (not constrained(u), -len(u)))
        kinds = [(sum(by_id[p].is_keynote for p in u), len(u)) for u in ordered]
        talks = [[self._talk_of(p) for p in u if p in self.own_length] for u in ordered]
        # places left, members, kind, talks of their own length left
        places = [[k, i, [], kind, _own_places(kind)] for (k, i), kind in rooms]
        steps = [0]

        def fits(n: int, room: list) -> bool:
            keynotes, size = kinds[n]
            own = talks[n]
            return (
                room[0] >= keynotes
                and room[1] >= size - keynotes
                and len(own) <= room[4]
                and (room[3] in (None, SEVERAL) or all(t == room[3] for t in own))
                and not any(q in self._apart_of.get(p, ()) for p in ordered[n] for q in room[2])
            )

        def place(n: int) -> bool:
            """Depth-first, a few thousand steps at most (pools hold a few proposals)."""
            if n == len(ordered):
                return True
            tried: set[tuple] = set()
            for room in places:
                steps[0] += 1
                if steps[0] > FILL_STEPS:
                    return False
                if not room[2] and (room[0], room[1], room[3]) in tried:
                    continue  # an empty room like one tried: the same subtree
                if not fits(n, room):
                    continue
                if not room[2]:
                    tried.add((room[0], room[1], room[3]))
                keynotes, size = kinds[n]
                room[0] -= keynotes
                room[1] -= size - keynotes
                room[2].extend(ordered[n])
                room[4] -= len(talks[n])
                if place(n + 1):
                    return True
                del room[2][-size:]
                room[0] += keynotes
                room[1] += size - keynotes
                room[4] += len(talks[n])
            return False

        kept = place(0)
        # (where no way keeps every rule: in pool order)
        placed = [room[2] for room in places] if kept else self._in_pool_order(pool, shapes)
        order = {p: n for n, p in enumerate(pool)}
        return [
            sorted(members, key=lambda p: (not by_id[p].is_keynote, order[p])) for members in placed
        ], kept or plain

    def _units(self, pool: list[str]) -> list[list[str]]:
        """The pool in units that must share a workshop (a speaker's talks, a `together`
        group), by union-find; in pool order."""
        by_id = self.instance.proposal_by_id
        root = {p: p for p in pool}

        def find(p: str) -> str:
            while root[p] != p:
                root[p] = root[root[p]]
                p = root[p]
            return p

        owner: dict[tuple[str, object], str] = {}  # per speaker of several talks, per group
        for p in pool:
            keys = [("speaker", s) for s in by_id[p].speakers if self.talks[s] > 1]
            keys += [("together", n) for n in self._together_of.get(p, ())]
            for key in keys:
                if key in owner:
                    root[find(p)] = find(owner[key])
                else:
                    owner[key] = p
        units: dict[str, list[str]] = defaultdict(list)
        for p in pool:
            units[find(p)].append(p)
        return list(units.values())

    def _in_pool_order(self, pool: list[str], shapes: list[tuple[int, int]]) -> list[list[str]]:
        """The pool's proposals in the workshops of `shapes` (keynotes, initiatives) in
        pool order, each where its format has a place left."""
        places = [[k, i, []] for k, i in shapes]
        for p in pool:
            keynote = self.instance.proposal_by_id[p].is_keynote
            for room in places:
                if room[0 if keynote else 1] > 0:
                    room[0 if keynote else 1] -= 1
                    room[2].append(p)
                    break
        return [room[2] for room in places]

    def encode(self, members: dict[str, list[str]], themes: dict[str, str]) -> list[int] | None:
        """The program's column values of a schedule (slot -> proposals, slot -> theme);
        None when a workshop has no column (a shape or theme the program does not hold,
        which a valid schedule never has)."""
        values = [0] * self.program.columns
        placed = [0] * len(self.proposal_classes)
        for slot_id, proposal_ids in members.items():
            if not proposal_ids:
                continue
            sc = self.class_of_slot.get(slot_id)
            proposals = [self.instance.proposal_by_id[p] for p in proposal_ids]
            theme = themes[slot_id]
            languages = {p.language.value for p in proposals}
            language = MIXED if len(languages) > 1 else proposals[0].language.value
            keynotes = sum(p.is_keynote for p in proposals)
            own = [p for p in proposal_ids if p in self.own_length]
            key = (sc, theme, language)
            if not own:
                counts = self.shape_columns.get(key, {})
            elif len(own) == 1:
                counts = self.talk_columns.get(key, {}).get(self._talk_of(own[0]), {})
            else:
                counts = self.several_columns.get(key, {})
            column = counts.get((keynotes, len(proposals) - keynotes))
            if column is None:
                return None
            values[column] += 1
            for proposal_id in proposal_ids:
                ci = self.class_of_proposal[proposal_id]
                flow = self.flow_column.get((ci, sc, theme, language))
                if flow is None:
                    return None
                values[flow] += 1
                placed[ci] += 1
        for ci, cls in enumerate(self.proposal_classes):
            values[self.left_out[ci]] = len(cls.proposals) - placed[ci]
        for chosen, terms in self.where:
            values[chosen] = int(any(values[column] for column, _ in terms))
        for terms, steps in self.steps:
            count = sum(values[column] for column, _ in terms)
            for step in steps[:count]:
                values[step] = 1
        return values

    def granularity(self) -> int:
        """A divisor of the objective of every schedule: of the program's costs, and of
        the weights of what the program drops or does not count exactly (parallel pairs
        between cliques, `moved`, the minutes of workshops that may hold several talks
        of their own length).
        Computed once (20 ms at 600 proposals, asked for with every answer)."""
        if self._granularity is not None:
            return self._granularity
        weights = self.instance.rules.weights
        step = self.program.granularity()
        others = [weights.parallel_theme, weights.parallel_language, weights.moved]
        if self.several_list.size:  # (a workshop holding one such talk costs a column's)
            others += [weights.idle_minutes, weights.participatory_target]
        for weight in others:
            step = math.gcd(step, weight)
        self._granularity = step or 1
        return self._granularity

    def theme_columns(self) -> dict[str, list[int]]:
        """Each theme's workshop counts and flows, in every slot class."""
        columns: dict[str, list[int]] = defaultdict(list)
        for (_, theme, _), counts in self.workshops.items():
            columns[theme].extend(counts)
        for _, _, theme, column in self.flows:
            columns[theme].append(column)
        return dict(columns)

    def language_columns(self) -> dict[str, np.ndarray]:
        """Each language's workshop counts and flows, in every slot class (none when
        workshops mix languages)."""
        if self.instance.rules.mixed_language:
            return {}
        columns: dict[str, list[int]] = defaultdict(list)
        for (_, _, language), counts in self.workshops.items():
            columns[language].extend(counts)
        for cls, _, _, column in self.flows:
            columns[cls.language].append(column)
        return {key: np.asarray(value, dtype=np.int64) for key, value in columns.items()}

    def theme_hold(self, theme: str) -> np.ndarray:
        """The columns a themes round holds (a boolean mask): all but the theme's counts
        and flows, and what every clique shares (pair-count steps, speakers' places, the
        proposals left out)."""
        if self._theme_free is None:
            shared = [step for _, steps in self.steps for step in steps]
            shared += [chosen for chosen, _ in self.where]
            shared += self.left_out
            self._theme_free = {
                key: np.asarray(columns + shared, dtype=np.int64)
                for key, columns in self.theme_columns().items()
            }
        hold = np.ones(self.program.columns, dtype=bool)
        hold[self._theme_free[theme]] = False
        return hold

    def holds(self, values: list[int]) -> bool:
        """Whether the schedule of a solution keeps the rules the program does not hold
        exactly: speaker clashes (between cliques, and between two workshops of one slot
        class that the decoding may give one speaker's talks), `together` and `apart`.
        Every other rule is a row or a bound of the program, and so are durations where
        talks override their length as long as each workshop holds one at most, the one
        it is counted with: else the whole validator decides (it takes 0.5 s on 600
        proposals, these checks a tenth of that)."""
        workshops, exact = self._decoded(values)
        if not exact or (self.several_list.size and np.asarray(values)[self.several_list].any()):
            return validate(self.instance, schedule_of_workshops(self.instance, workshops)).ok
        slot_of = {p: slot_id for slot_id, (_, proposals) in workshops.items() for p in proposals}
        by_id, slot_by_id = self.instance.proposal_by_id, self.instance.slot_by_id
        slots_of: dict[str, set[str]] = defaultdict(set)
        for proposal_id, slot_id in slot_of.items():
            for speaker_id in by_id[proposal_id].speakers:
                if self.talks[speaker_id] > 1:
                    slots_of[speaker_id].add(slot_id)
        for slot_ids in slots_of.values():
            slots = [slot_by_id[s] for s in slot_ids]
            if any(a.overlaps(b) for i, a in enumerate(slots) for b in slots[i + 1 :]):
                return False
        constraints = self.instance.constraints
        for group in constraints.together:
            if len({slot_of.get(p) for p in group.proposals}) > 1:
                return False
        for group in constraints.apart:
            placed = [slot_of[p] for p in group.proposals if p in slot_of]
            if len(placed) != len(set(placed)):
                return False
        return True

    def mended(self, values: list[int]) -> list[int] | None:
        """Where talks override their length: the values of a solution whose schedule
        breaks a rule, mended as the solve mends an exact optimum's
        (`greedy.repaired_schedule`: its workshops held where their members still fit,
        first fit for the rest) and encoded back, when the mended schedule holds; None
        otherwise, and on instances without such talks (their rules the program keeps).
        A workshop counted as holding several such talks (at the least minutes of any)
        may get some that overrun: at 600 proposals, when every workshop holding one was
        counted so, every gaining round of a search was dropped."""
        if all(slot_class.uniform for slot_class in self.slot_classes):
            return None
        from scheduler.greedy import repaired_schedule  # greedy imports the relaxation's users

        broken = schedule_of_workshops(self.instance, self.schedule(values))
        repaired = repaired_schedule(self.instance, "", self.candidates, broken)
        members = {w.slot: list(w.proposals) for w in repaired.workshops}
        themes = {w.slot: w.theme for w in repaired.workshops}
        encoded = self.encode(members, themes)
        if encoded is None or self.program.infeasible_rows(encoded) or not self.holds(encoded):
            return None
        return encoded

    def objective(self, values: list[int]) -> int | None:
        """The validator's objective for the schedule of a solution (None when that
        schedule breaks a rule): the program drops some costs (pairs of overlapping slots
        in different cliques, minutes of workshops holding several talks of their own
        length), so a solution's cost may be less."""
        report = validate(
            self.instance, schedule_of_workshops(self.instance, self.schedule(values))
        )
        return report.objective if report.ok else None

    def shapes_of(self, key: tuple[int, str, str]) -> list[tuple[tuple[int, int], int]]:
        """The (shape, count column) pairs of a (slot class, theme, language): its
        workshops' with talks of their format's length, then those holding one talk of
        its own length (by talk), then those holding several."""
        return [
            *self.shape_columns.get(key, {}).items(),
            *(
                item
                for counts in self.talk_columns.get(key, {}).values()
                for item in counts.items()
            ),
            *self.several_columns.get(key, {}).items(),
        ]

    @staticmethod
    def _counts(
        key: tuple[int, str, str],
        workshops: dict[tuple[int, str, str], dict[tuple[int, int], int]],
        by_talk: dict[tuple[int, str, str], dict[Talk, dict[tuple[int, int], int]]],
        several: dict[tuple[int, str, str], dict[tuple[int, int], int]],
    ) -> list[int]:
        """A (slot class, theme, language)'s workshop count columns, in `shapes_of`'s order."""
        return [
            *workshops.get(key, {}).values(),
            *(c for counts in by_talk.get(key, {}).values() for c in counts.values()),
            *several.get(key, {}).values(),
        ]

    def paired_keynotes(self) -> Terms:
        """The count columns of workshops holding two keynotes or more (their sum: how
        many such workshops a solution has; `scheduler.bound` splits on it)."""
        return [
            (column, 1)
            for key in self.workshops
            for (keynotes, _), column in self.shapes_of(key)
            if keynotes >= 2
        ]

    def links(self) -> list[Terms]:
        """Rows tying each flow to the workshops it can join: a class's proposals in the
        workshops of one (slot class, theme, language) are at most, per workshop, as many
        as the class has or as its shape holds of their format (a proposal is in one
        workshop). They hold for every schedule and cut the LP's fractional workshops
        that take whole proposals. A row is left out when the class has at least every
        shape's count of its format: the shapes' rows imply it then."""
        rows: list[Terms] = []
        for (cls, sc, theme, column), language in zip(self.flows, self.flow_language, strict=True):
            counts = self.shapes_of((sc, theme, language))
            size = len(cls.proposals)
            held = [(v, k if cls.keynote else i) for (k, i), v in counts]
            if all(size >= n for _, n in held):
                continue
            rows.append([(column, 1), *((v, -min(size, n)) for v, n in held if n)])
        return rows

    def _themes_in(self, cls: _ProposalClass, sc: int) -> tuple[str, ...]:
        locked = self.slot_classes[sc].theme
        if locked is None:
            return cls.themes
        return tuple(t for t in cls.themes if t == locked)

    def _parallel(
        self, weight: int, keys_of: Callable[[tuple[int, str, str]], tuple[str, ...]]
    ) -> None:
        """weight * C(n, 2) per clique and key, n the clique's workshops with that key
        (`keys_of` gives the keys of a (slot class, theme, language))."""
        if weight <= 0:
            return
        members: dict[tuple[int, str], Terms] = defaultdict(list)
        keys_in: dict[int, set[tuple[int, str]]] = defaultdict(set)
        for key, columns in self.workshops.items():
            for shared in keys_of(key):
                group_key = (self.slot_classes[key[0]].group, shared)
                members[group_key].extend((column, 1) for column in columns)
                keys_in[key[0]].add(group_key)
        most: dict[tuple[int, str], int] = defaultdict(int)  # slots that could hold one
        for sc, group_keys in keys_in.items():
            for group_key in group_keys:
                most[group_key] += len(self.slot_classes[sc].slots)
        for group_key, terms in sorted(members.items()):
            top = most[group_key]
            if top < 2:
                continue
            # C(n, 2) = sum over j < n of j: n is split into unit steps, step j costing
            # weight * j; the steps are convex (increasingly costly), so a minimum takes
            # them in order and the sum is exact for integer n
            steps = [self.program.var(1, cost=weight * j) for j in range(top)]
            self.steps.append((terms, steps))
            self.step_group.append(group_key[0])
            self.program.row([*terms, *((s, -1) for s in steps)], 0, 0)


def talk_rows(
    program: Program,
    counted: dict[Talk, Terms],
    joined: dict[Talk, Terms],
    several: Terms,
    most: int,
) -> None:
    """Rows of one kind of workshop (the relaxation's, the counting program's) where
    talks override their length: the workshops `counted` as holding one such talk, by
    talk, hold one each, of that talk (no more than the talks `joined` there); those
    counted as holding `several` hold two at least; and every such talk is in one of
    them (at most `most` in each of the latter)."""
    ones: Terms = []
    for talk, terms in sorted(counted.items()):
        ones += terms
        program.row([*terms, *((c, -1) for c, _ in joined.get(talk, []))], upper=0)
    placed = [term for talk in sorted(joined) for term in joined[talk]]
    program.row([*ones, *((c, 2) for c, _ in several), *((c, -1) for c, _ in placed)], upper=0)
    program.row([*placed, *((c, -1) for c, _ in ones), *((c, -most) for c, _ in several)], upper=0)


def _take(
    source: list[str], members: list[str], need: dict[bool, int], keynote: bool, most: int
) -> int:
    """Move up to `most` talks from the front of `source` to `members`, as many as `need`
    still asks of their format (keynotes or not); how many moved."""
    taken = 0
    while source and need[keynote] and taken < most:
        members.append(source.pop(0))
        need[keynote] -= 1
        taken += 1
    return taken


def _own_places(kind: Talk | str | None) -> int:
    """How many talks of their own length a workshop of a kind holds at most."""
    if kind is None:
        return 0
    return sys.maxsize if kind == SEVERAL else 1


FILL_STEPS = 5000
"""Steps of the depth-first search that fills one pool's workshops (`Relaxation._fill`)
before it gives up and fills them in pool order."""
