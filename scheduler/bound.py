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
`_Relaxation.links`, a class's flow into a kind of workshop at most its workshops
there, added in rounds as its points break them (`_linked`).
Every schedule maps to a solution of the program costing no more, and the dropped
terms are non-negative, so HiGHS's bound on the program is a lower bound of the
instance's optimum; an integer solution decodes into workshops, a schedule when
`_Relaxation.holds` says so.

The program has thousands to tens of thousands of integer columns where the direct
model has one literal per proposal and candidate slot (1.7 million at 2,000
proposals). See docs/solver.md, "The aggregated relaxation".
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
from scipy.sparse import csr_array

from scheduler.candidates import CandidateTable
from scheduler.instance import Instance, Slot
from scheduler.program import Background, Helper, LowerBound, Program, Terms, ready
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

logger = logging.getLogger(__name__)

Talk = tuple[bool, int]
"""A talk of its own length: (keynote or not, minutes)."""
SEVERAL = "several"
"""The kind of a workshop counted as holding several talks of their own length."""
MIXED = "*"
"""The language of a workshop that holds proposals in both languages (where the rules
allow it): its own key, beside each language's, in the programs' workshop counts."""
MIP_COLUMNS = 20_000
"""Aggregated programs up to this many columns are solved as integer programs (150
proposals: 8,000-11,500 columns; bench-150-tight solved in 4.5-5 s, bench-150-easy
not in 20 s, dual bound 2180)."""
LP_COLUMNS = 100_000
"""Larger ones up to this size get their LP relaxation (600 proposals: 42,000-54,000
columns, 5-7 s by interior point, 50 s by dual simplex); beyond (2000 proposals:
265,000-354,000 columns, 50-90 s by interior point) on a work budget its bound by a
first-order method (`FIRST_ORDER_ITERATIONS`), by the clock none."""
FIRST_ORDER_ITERATIONS = 2000
"""Above `LP_COLUMNS`, the LP's bound is PDLP's (HiGHS's first-order method) after this
many iterations, beside the search on a work budget: weak duality on its row prices
bounds the LP at any iteration. On the 2000-proposal programs, alone: 13-18 s, 49,600 /
50,700 against the LP's 50,120 / 50,895 (1,500: 46,165 / 50,090; 3,000: 49,965 /
50,880 in 20-31 s). Iterations, not seconds: the same bound whatever the clock."""


@dataclass
class AggregateBound:
    """The bound and how it was obtained."""

    value: int
    """A lower bound on the objective of every schedule of the instance."""
    exact: bool
    """True when the integer relaxation was solved to optimality."""
    method: str
    """"mip", "lp" (linear relaxation of the aggregated program), "pdlp" (the same by a
    first-order method, for programs too large for the interior point), or "none"."""
    seconds: float
    slot_classes: int
    proposal_classes: int
    columns: int
    by_cliques: bool = False
    """True when the answer comes from (or announces) the search by cliques: more
    schedules may follow until the time limit."""
    schedule: dict[str, tuple[str, list[str]]] | None = None
    """A solution of the program as workshops (slot -> theme, proposals), when there is
    one: a schedule unless it breaks a rule the program drops (the search by cliques
    keeps only those that hold; the caller checks with the validator)."""
    errors: tuple[str, ...] = ()
    """Errors that stopped the child's own background searches (branch and bound on the
    whole program, the helpers of the search by cliques): it went on without them."""
    cost: float | None = None
    """The program's cost of `schedule` (constant included), when there is one: no more
    than its objective (the program drops some costs)."""


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


class _Relaxation:
    """The aggregated program."""

    def __init__(self, instance: Instance, candidates: CandidateTable):
        self.instance = instance
        self.candidates = candidates
        self.program = Program()
        self.constant = 0
        self._granularity: int | None = None
        self._theme_free: dict[str, np.ndarray] | None = None
        self._classes(candidates)
        self._build()

    def _classes(self, candidates: CandidateTable) -> None:
        instance, rules = self.instance, self.instance.rules
        members: dict[str, list[int]] = defaultdict(list)
        index = {p.id: n for n, p in enumerate(instance.proposals)}
        # candidate slots outside a proposal's (or its speakers') preferred windows, both ways
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
        # proposals whose talk overrides its format's minutes
        overriding = {
            n
            for n, p in enumerate(instance.proposals)
            if instance.talk_minutes(p) != rules.talk_minutes(p.format)
        }
        self.own_length = frozenset(instance.proposals[n].id for n in overriding)
        """The proposals whose talk overrides its format's length."""
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
        constraints = instance.constraints
        grouped = {
            p for group in (*constraints.together, *constraints.apart) for p in group.proposals
        }
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
                if proposal.id in grouped or any(talks[s] > 1 for s in proposal.speakers)
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
        rules, program = self.instance.rules, self.program
        weights = rules.weights
        mixed = rules.mixed_language
        k_range = rules.keynotes_per_workshop
        self.constant += weights.unscheduled * self.never_placed

        # which (theme, language) workshops each slot class can hold; where languages
        # mix, a workshop's language is "*" when it holds both (one of each at least)
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
        if mixed:
            for (sc, theme), languages in spoken.items():
                if len(languages) > 1:
                    any_keys[sc].add((theme, MIXED))
                    if any(t == theme for t, _ in keynote_keys[sc]):
                        keynote_keys[sc].add((theme, MIXED))
        # the talks of their own length that can join each (slot class, theme, language)
        talks_to: dict[tuple[int, str, str], Counter[Talk]] = defaultdict(Counter)
        for cls in self.proposal_classes:
            if cls.talk is None:
                continue
            for sc in cls.slot_classes:
                for theme in self._themes_in(cls, sc):
                    for language in (cls.language, MIXED) if mixed else (cls.language,):
                        talks_to[sc, theme, language][cls.talk] += len(cls.proposals)
        # workshops per (slot class, theme, language, shape): one count each. Where a
        # candidate talk overrides its length, the workshops holding one such talk are
        # counted apart by that talk, at the shape's exact minutes with it; those holding
        # several (where two may join) once more, at the least minutes of the shape with
        # any of them, a bound (they are no more than those talks there). The others
        # cost their shape's minutes
        workshops: dict[tuple[int, str, str], dict[tuple[int, int], int]] = {}
        by_talk: dict[tuple[int, str, str], dict[Talk, dict[tuple[int, int], int]]] = {}
        several: dict[tuple[int, str, str], dict[tuple[int, int], int]] = {}

        def counted(these: dict[tuple[int, int], tuple[int, int]], size: int, language: str):
            return {
                shape: program.var(
                    size, cost=weights.idle_minutes * idle + weights.participatory_target * short
                )
                for shape, (idle, short) in these.items()
                if language != MIXED or sum(shape) >= 2
            }

        for sc, slot_class in enumerate(self.slot_classes):
            possible = keynote_keys[sc] if k_range.min >= 1 else any_keys[sc]
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

        # proposals of each class per slot class and theme
        keynotes_in: dict[tuple[int, str, str], Terms] = defaultdict(list)
        initiatives_in: dict[tuple[int, str, str], Terms] = defaultdict(list)
        self.flows: list[tuple[_ProposalClass, int, str, int]] = []
        self.flow_language: list[str] = []
        """The language of the workshops each flow goes to (its class's, or `MIXED`)."""
        # (class, slot class, theme, workshops' language)
        self.flow_column: dict[tuple[int, int, str, str], int] = {}
        self.left_out: list[int] = []
        flow_of: dict[tuple[str, int, str, str], int] = {}
        # classes of one: (slot class, theme, workshops' language, flow)
        flows_of: dict[str, list[tuple[int, str, str, int]]] = defaultdict(list)
        # where languages mix: the flows of each language into mixed workshops
        mixing: dict[tuple[int, str, str], Terms] = defaultdict(list)
        joined: dict[tuple[tuple[int, str, str], Talk], Terms] = defaultdict(list)  # by talk
        for ci, cls in enumerate(self.proposal_classes):
            size = len(cls.proposals)
            placed: Terms = []
            for sc in cls.slot_classes:
                for theme in self._themes_in(cls, sc):
                    for language in (cls.language, MIXED) if mixed else (cls.language,):
                        key = (sc, theme, language)
                        if key not in workshops:
                            continue
                        cost = weights.secondary_theme if theme != cls.themes[0] else 0
                        if sc in cls.outside:
                            cost += weights.speaker_preference
                        column = program.var(size, cost=cost)
                        self.flows.append((cls, sc, theme, column))
                        self.flow_language.append(language)
                        self.flow_column[ci, *key] = column
                        if len(cls.proposals) == 1:
                            flow_of[cls.proposals[0], *key] = column
                            flows_of[cls.proposals[0]].append((*key, column))
                        placed.append((column, 1))
                        (keynotes_in if cls.keynote else initiatives_in)[key].append((column, 1))
                        if language == MIXED:
                            mixing[sc, theme, cls.language].append((column, 1))
                        if cls.talk is not None:
                            joined[key, cls.talk].append((column, 1))
            left_out = program.var(size - cls.pinned, cost=weights.unscheduled)
            self.left_out.append(left_out)
            program.row([*placed, (left_out, 1)], size, size)

        self._flow_columns = np.asarray([column for *_, column in self.flows], dtype=np.int64)

        # a speaker's talks in one clique share one workshop, hence one slot class and theme
        # (their talks are classes of their own): one 0-1 "where" column per place in each
        # clique, 1 when any of its flows is positive
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

        # together: the same slot class, theme (and language) for all (or none) of a group
        for group in self.instance.constraints.together:
            first, *others = group.proposals
            for other in others:
                places = {tuple(place[:3]) for p in (first, other) for place in flows_of[p]}
                for place in sorted(places):
                    terms = [(flow_of[first, *place], 1)] if (first, *place) in flow_of else []
                    if (other, *place) in flow_of:
                        terms.append((flow_of[other, *place], -1))
                    program.row(terms, 0, 0)

        # apart: the members of a group in one slot class under one theme (and one
        # language, unless languages mix) sit in different workshops of that kind,
        # so no more of them than its workshops. Without these rows the exact optimum
        # of the generator's 40-proposal easy instance of seed 10 put an `apart` pair
        # in one workshop, and CP-SAT then took 6.5 s to find a schedule of its value
        for group in self.instance.constraints.apart:
            meeting: dict[tuple[int, str, str], Terms] = defaultdict(list)
            for p in group.proposals:
                for sc, theme, language, column in flows_of[p]:
                    meeting[sc, theme, language].append((column, 1))
            for key, terms in sorted(meeting.items()):
                if len(terms) > 1:
                    program.row([*terms, *((v, -1) for v in self.workshops[key])], upper=0)

        # the members of the workshops of each (slot class, theme, language) make their shapes
        for key in workshops:
            counts = self.shapes_of(key)
            program.row([*keynotes_in[key], *((v, -k) for (k, _), v in counts)], 0, 0)
            program.row([*initiatives_in[key], *((v, -i) for (_, i), v in counts)], 0, 0)
        # a mixed workshop holds each language (at least one proposal of each)
        for (sc, theme, _), terms in sorted(mixing.items()):
            program.row([*terms, *((v, -1) for v in self.workshops[sc, theme, MIXED])], lower=0)
        # the workshops counted as holding talks of their own length hold them
        most = rules.keynotes_per_workshop.max + rules.initiatives_per_workshop.max
        for key, talks in sorted(by_talk.items()):
            talk_rows(
                program,
                {talk: [(v, 1) for v in counts.values()] for talk, counts in talks.items()},
                {talk: joined[key, talk] for talk in talks},
                [(v, 1) for v in several.get(key, {}).values()],
                most,
            )

        # unit steps of C(n, 2) with the flows that make their n, per clique
        self.steps: list[tuple[Terms, list[int]]] = []
        self.step_group: list[int] = []
        self._parallel(weights.parallel_theme, lambda key: (key[1],))
        # (a mixed workshop makes pairs in each language)
        languages = sorted({cls.language for cls in self.proposal_classes})
        self._parallel(
            weights.parallel_language,
            lambda key: tuple(languages) if key[2] == MIXED else (key[2],),
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
        root = {p: p for p in pool}  # units that must share a workshop, by union-find

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
        members_in = set(pool)

        def constrained(unit: list[str]) -> bool:
            return any(q in members_in for p in unit for q in self._apart_of.get(p, ()))

        # the constrained units first (apart from another of the pool), then the largest
        ordered = sorted(units.values(), key=lambda u: (not constrained(u), -len(u)))
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
        if not kept:  # no way keeps every rule: in pool order, places by format
            places = [[k, i, []] for k, i in shapes]
            for p in pool:
                keynote = by_id[p].is_keynote
                for room in places:
                    if room[0 if keynote else 1] > 0:
                        room[0 if keynote else 1] -= 1
                        room[2].append(p)
                        break
        placed = [room[2] for room in places]
        order = {p: n for n, p in enumerate(pool)}
        return [
            sorted(members, key=lambda p: (not by_id[p].is_keynote, order[p])) for members in placed
        ], kept or plain

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

    def _parallel(self, weight: int, keys_of) -> None:
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


def _integral(program: Program) -> bool | None:
    """Branch and bound for small programs, the LP relaxation for larger, None: too large."""
    if program.columns <= MIP_COLUMNS:
        return True
    if program.columns <= LP_COLUMNS:
        return False
    return None


def rounded_up(value: float, step: int) -> int:
    """A bound up to the next multiple of `step` (every schedule costs a multiple of the
    costs' common divisor), with room for the solver's tolerance."""
    return step * math.ceil((value - 1e-6) / step)


def _bound(
    relaxation: _Relaxation,
    answer: LowerBound | None,
    seconds: float,
    by_cliques: bool = False,
    errors: tuple[str, ...] = (),
) -> AggregateBound:
    """The instance's bound from what was proved, with the answer's schedule."""
    value = relaxation.constant
    exact = False
    method = answer.method if answer is not None else "none"
    if answer is not None and math.isfinite(answer.value):
        # every schedule costs a multiple of the costs' common divisor
        step = relaxation.granularity()
        value += max(0, rounded_up(answer.value, step))
        exact = answer.exact
    schedule, cost = None, None
    if answer is not None and answer.solution is not None:
        schedule = relaxation.schedule(answer.solution)
        cost = relaxation.constant + float(np.dot(relaxation.program.cost, answer.solution))
    logger.info(
        "aggregate bound %d (%s%s) in %.2fs: %d slot classes, %d proposal classes, %d columns%s",
        value,
        method,
        ", exact" if exact else "",
        seconds,
        len(relaxation.slot_classes),
        len(relaxation.proposal_classes),
        relaxation.program.columns,
        # the schedule's cost with the constant (the proposals no slot can take), as scored
        "" if cost is None else f", schedule {cost:g}",
    )
    return AggregateBound(
        value=int(value),
        exact=exact,
        method=method,
        seconds=round(seconds, 3),
        slot_classes=len(relaxation.slot_classes),
        proposal_classes=len(relaxation.proposal_classes),
        columns=relaxation.program.columns,
        by_cliques=by_cliques,
        schedule=schedule,
        errors=errors,
        cost=cost,
    )


Start = tuple[dict[str, list[str]], dict[str, str]]
"""A schedule as members and theme per slot."""


def aggregate_bounds(
    instance: Instance,
    candidates: CandidateTable,
    time_limit: float,
    start: Start | None,
    emit: Callable[[AggregateBound], None],
    seed: int = 0,
    work: int | None = None,
) -> None:
    """Solve the aggregated relaxation within the time limit, passing each answer to
    `emit` as it comes.

    Without a `start` schedule, an integer program (up to `MIP_COLUMNS` columns) is
    solved by branch and bound, a larger one by its LP. From a start schedule, the
    same runs in a process of its own (branch and bound from the start) while a
    search by cliques (`_search_by_cliques`) improves the start here, taking over the
    other's better solutions: one answer per better schedule of either (a first one
    announces the search), and the final one.

    With a `work` budget (units of `LowerBound.work`), the answers no longer depend on
    the clock: the search by cliques spends `work`, branch and bound a share of it
    (`WHOLE_WORK_SHARE`); the search takes in branch and bound's answers by their work
    stamps (those up to the share of its own work so far, waiting for them if needed),
    an exact optimum that holds whenever it comes; the last answer holds the better
    schedule of the two. The time limit is then a backstop only.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    relaxation = _Relaxation(instance, candidates)
    program = relaxation.program
    integral = _integral(program)
    if callable(start):  # sent once the program is built (`PendingBound(start_later=True)`)
        start = start()
    encoded = relaxation.encode(*start) if start is not None else None
    if encoded is not None and program.infeasible_rows(encoded):
        logger.warning("the start schedule breaks the aggregated program: not used")
        encoded = None

    watched: list[Background | Helper] = []  # this child's own children

    def found(answer: LowerBound | None, by_cliques: bool = False) -> None:
        errors = tuple(child.error for child in watched if child.error is not None)
        emit(_bound(relaxation, answer, time.perf_counter() - started, by_cliques, errors))

    if integral is None:
        if encoded is None:
            found(_first_order(relaxation, deadline - time.perf_counter()))
        else:  # the search by cliques on parts of cliques; on a budget, the LP's bound
            # beside it (by the clock the search keeps both cores: with the bound beside
            # it, 2000-easy's schedules were 2.7-3.2 % worse, two runs; at the lowest
            # priority, or at `nice` 10, the bound did not come in time)
            bound = None
            if work is not None:
                bound = Background(_first_order, (relaxation, deadline - time.perf_counter()))
                watched.append(bound)
            _search_by_parts(relaxation, encoded, deadline, seed, work, found, watched, bound)
        return

    if encoded is None:
        integer = found if integral else None
        found(program.minimum(deadline - time.perf_counter(), integral, None, integer, work))
        return
    # The whole program (branch and bound from the start, or the LP) in a process of
    # its own, forked before HiGHS runs here; the search by cliques here. Each better
    # solution of the whole program is passed on, and the search continues from it.
    found(None, by_cliques=True)
    whole_work = None if work is None else max(1, round(WHOLE_WORK_SHARE * work))
    whole = Background(
        _whole, (relaxation, deadline - time.perf_counter(), integral, encoded, whole_work)
    )
    watched.append(whole)
    floor = LowerBound(-math.inf, False, "lp")
    cost = [sum(c * v for c, v in zip(program.cost, encoded, strict=True))]
    best = [encoded]
    heard: list[LowerBound] = []  # with a budget: the other's answers, in order
    looked = [0]  # how many of them the search has taken in
    vertex: list[np.ndarray | None] = [None]  # the LP's optimal vertex, once known

    def take(answer: LowerBound) -> tuple[list[int] | None, bool]:
        """Take in one answer of the other: its bound, and its solution when better."""
        nonlocal floor
        if answer.point is not None:
            vertex[0] = np.asarray(answer.point)
        if answer.value >= floor.value or answer.exact:
            floor = replace(answer, solution=None, incumbent=None)
        holds = answer.solution is not None and relaxation.holds(answer.solution)
        if holds and answer.incumbent < cost[0] - 1e-6:
            cost[0], best[0] = answer.incumbent, answer.solution
            return answer.solution, answer.exact
        return None, holds and answer.exact

    reached: list[int | None] = [None]  # the counting bound, where known
    checked = [math.inf]  # the last cost checked against it
    proven = [False]  # the best schedule reaches it

    def optimal() -> bool:
        """Whether the best schedule reaches the counting bound (checked by the validator
        once its cost does: the program drops some costs): proven optimal, the search is
        over."""
        bound = reached[0]
        if proven[0] or bound is None or cost[0] + relaxation.constant > bound + 1e-6:
            return proven[0]
        if cost[0] != checked[0]:
            checked[0] = cost[0]
            objective = relaxation.objective(best[0])
            proven[0] = objective is not None and objective <= bound
            if proven[0]:
                logger.info("a schedule at the counting bound, %d: optimal", bound)
        return proven[0]

    def between(spent: int) -> tuple[list[int] | None, bool]:
        better = None
        if work is None:
            for answer in whole.received():
                found(answer, by_cliques=True)
                solution, _ = take(answer)
                better = solution or better
            return better, floor.exact or optimal()
        if not integral:  # the LP: a bound for the end, nothing to take in on the way
            return None, False
        # Branch and bound's answers are stamped with its work: take in those up to the
        # share of this search's work, waiting for them if needed (the same ones then,
        # whatever the clock). An exact optimum that holds ends the search whenever it
        # comes: it is then the last answer, whatever the search had.
        due = WHOLE_WORK_SHARE * spent
        heard.extend(whole.received())
        while not whole.finished and time.perf_counter() < deadline:
            if due <= 0 or (heard and heard[-1].work >= due):
                break
            heard.extend(whole.received(wait=0.2))
        if heard and heard[-1].exact and take(heard[-1])[1]:
            return None, True
        while looked[0] < len(heard) and heard[looked[0]].work <= due:
            solution, _ = take(heard[looked[0]])
            better = solution or better
            looked[0] += 1
        return better, optimal()

    def guide(spent: int) -> np.ndarray | None:
        """The LP's vertex once known. With a budget, asked for once the search has spent
        `GUIDE_WORK_SHARE` of it, waiting for it if needed (the same point then, whatever
        the clock); by the clock, as soon as `between` has received it."""
        if work is not None and vertex[0] is None and spent >= GUIDE_WORK_SHARE * work:
            while not whole.finished and time.perf_counter() < deadline:
                if any(answer.point is not None for answer in heard):
                    break
                heard.extend(whole.received(wait=0.2))
            point = next((a.point for a in heard if a.point is not None), None)
            if point is not None:
                vertex[0] = np.asarray(point)
                logger.info("LP vertex taken in after %.1fs", time.perf_counter() - started)
        return vertex[0]

    # the LP leaves a core free once it ends: two helpers solve the rounds (this process
    # draws them and takes in their answers)
    helpers = [] if integral else [Helper(), Helper()]
    watched.extend(helpers)
    sent, last_sent = True, -math.inf  # whether the parent has the search's best schedule
    search_work = work
    if integral:  # (forked children first: HiGHS runs here from now on)
        placed, used = _placed(relaxation, encoded, deadline, work)
        guided = _guided(relaxation, deadline, work, cost[0])
        if work is not None:
            search_work = max(1, work - used - GUIDED_CHARGE)
        for start in (placed, guided.solution):
            value = math.inf if start is None else float(np.dot(program.cost, start))
            if value < cost[0] - 1e-6:
                cost[0], best[0] = value, start
        if best[0] is not encoded and work is None:
            found(replace(floor, solution=best[0], incumbent=cost[0]), by_cliques=True)
            last_sent = time.perf_counter()
        reached[0] = guided.bound
    try:
        for values, value in _search_by_cliques(
            relaxation,
            best[0],
            deadline,
            seed,
            between,
            relaxation.holds,
            search_work,
            helpers,
            guide=None if integral else guide,
        ):
            cost[0], best[0] = value, values
            sent = False
            # each schedule passed on is decoded first (20-40 ms at 600 proposals): by the
            # clock at most every SCHEDULE_SECONDS; with a budget only the last, which is
            # all the parent takes from the search
            if work is None and time.perf_counter() - last_sent >= SCHEDULE_SECONDS:
                found(replace(floor, solution=values, incumbent=value), by_cliques=True)
                sent, last_sent = True, time.perf_counter()
    finally:
        for helper in helpers:
            helper.stop()
    if optimal():  # branch and bound has nothing more to give
        whole.stop()
        found(replace(floor, solution=best[0], incumbent=cost[0]), by_cliques=True)
        return
    if work is None:
        if not sent:
            found(replace(floor, solution=best[0], incumbent=cost[0]), by_cliques=True)
        answer = whole.last(deadline - time.perf_counter() + 0.5)
        if answer is not None:
            found(answer, by_cliques=True)
        return
    # with a budget: the other's last answer (its best solution, its bound) against the
    # search's schedule; the last answer carries the better of both
    answer = whole.last(deadline - time.perf_counter() + 0.5) or (heard[-1] if heard else None)
    if answer is None:
        answer = floor
    if not (
        answer.solution is not None
        and (answer.incumbent < cost[0] - 1e-6 or answer.exact)
        and relaxation.holds(answer.solution)
    ):
        answer = replace(answer, solution=best[0], incumbent=cost[0])
    found(answer, by_cliques=True)


def _search_by_parts(
    relaxation: _Relaxation,
    start: list[int],
    deadline: float,
    seed: int,
    work: int | None,
    found: Callable[[LowerBound | None, bool], None],
    watched: list[Background | Helper],
    bound: Background | None = None,
) -> None:
    """Programs too large for the interior point in time (2000 proposals): the search by
    cliques on parts of two cliques at a time (`PART_SLOTS` slots of each; whole 50-room
    cliques found nothing in 2 s rounds), two such neighbourhoods at once, in two
    helpers; each better schedule passed on, then the best last, with the LP's bound
    from `bound` (`_first_order`, beside it) when given, else "none"."""
    nothing = LowerBound(-math.inf, False, "none")
    found(nothing, True)  # the announcement: schedules follow
    best = (start, float(np.dot(relaxation.program.cost, start)))
    helpers = [Helper(), Helper()]  # one round each; this process draws and takes in
    watched.extend(helpers)  # their errors, if any, go with the answers
    try:
        for values, value in _search_by_cliques(
            relaxation,
            start,
            deadline,
            seed,
            lambda spent: (None, False),
            relaxation.holds,
            work,
            helpers,
            parts=PART_SLOTS,
        ):
            best = (values, value)
            found(replace(nothing, solution=values, incumbent=value), True)
    finally:
        for helper in helpers:
            helper.stop()
    last = nothing
    if bound is not None:  # (iterations, not seconds: the same bound whatever the clock)
        answer = bound.last(deadline - time.perf_counter() + 0.5)
        if answer is not None and math.isfinite(answer.value):
            last = answer
    found(replace(last, solution=best[0], incumbent=best[1]), True)


def _first_order(
    relaxation: _Relaxation,
    time_limit: float,
    emit: Callable[[LowerBound], None] | None = None,
) -> LowerBound:
    """The LP's bound of a program too large for the interior point in time: PDLP's after
    `FIRST_ORDER_ITERATIONS` (passed to `emit` too, when given)."""
    answer = relaxation.program.minimum(time_limit, False, iterations=FIRST_ORDER_ITERATIONS)
    if emit is not None:
        emit(answer)
    return answer


def _placed(
    relaxation: _Relaxation, start: list[int], deadline: float, work: int | None
) -> tuple[list[int] | None, int]:
    """A start that leaves placeable proposals out (first fit at 150 proposals, where
    the tight instances leave 7-12 initiatives out), placed first: branch and bound on
    the whole program with the other costs weighed down (`PLACEMENT_WEIGHT`), from the
    start, stopped at its first solution that places them all or after
    `PLACEMENT_SECONDS` (`PLACEMENT_WORK` units with a budget). Returns that solution
    when it costs less than the start and holds (else None), and the work it is
    charged (`PLACEMENT_CHARGE` with a budget).

    Rounds of cliques from such a start end cut short at their time limit until the
    proposals are placed (bench-150-easy-s7: four initiatives out, two 2 s rounds to
    place them); this placement takes 0.4-1.2 s there."""
    program = relaxation.program
    left = np.asarray(relaxation.left_out, dtype=np.int64)
    values = np.asarray(start, dtype=np.int64)
    if not values[left].any():
        return None, 0
    costs = np.asarray(program.cost, dtype=float)
    weights = np.full(program.columns, PLACEMENT_WEIGHT)
    weights[left] = 1.0
    seconds = deadline - time.perf_counter()  # with a budget, the clock is a backstop
    answer = program.costed(costs * weights).minimum(
        seconds if work is not None else min(PLACEMENT_SECONDS, seconds),
        True,
        start,
        work=None if work is None else PLACEMENT_WORK,
        enough=lambda solution: not np.asarray(solution, dtype=np.int64)[left].any(),
    )
    used = PLACEMENT_CHARGE if work is not None else 0
    if answer.solution is None:
        return None, used
    before, after = float(np.dot(costs, values)), float(np.dot(costs, answer.solution))
    logger.info(
        "placement: %d -> %d left out, cost %g -> %g",
        values[left].sum(),
        np.asarray(answer.solution)[left].sum(),
        before,
        after,
    )
    if after < before - 1e-6 and relaxation.holds(answer.solution):
        return answer.solution, used
    return None, used


GUIDED_SECONDS = 2.0
"""Stopped by the clock, the time limit of `_guided`'s branch and bound (it ends in
0.1-0.5 s on the 150-proposal rungs)."""
GUIDED_WORK = 30
"""With a budget, its limit in work units instead (2-6 units on those rungs)."""
COUNTED_WORK = 50
"""`_guided`'s limit on the counting integer program, in work units whatever the clock
(6-34 units to its optimum on the ladder's 40 and 150 rungs, 5-41 on ten generated
150-300-proposal instances). A generated 300-proposal instance with 15 slots of a fixed
theme or language (bench.fuzz --vary, seed 26) reached the counting program's own limit
(`counting.MIP_WORK`, 200 units, 4.4 s) without its optimum: with the restricted program
after it, the start took 7 s of an 8 s solve, and the solve ended at the moved first
fit's 9460 against the bound 6245."""
GUIDED_CHARGE = 30
"""What `_guided` costs the search's budget, whatever it used (see `PLACEMENT_CHARGE`):
it takes 0.7-1.4 s, most of it the counting program. Stopped on work, bench-150-easy
seed 0 took 9.4 s with this charge, 8.3 s with 40; but with 40 the holdout rungs,
whose counts are out of reach, ended at 2425 / 2410 instead of 2395 / 2370 (less search
for nothing gained), and 30 gives them their objectives without `_guided`."""


class _Guided(NamedTuple):
    """What `_guided` found."""

    solution: list[int] | None
    """A solution of the whole program with the counting optimum's workshops (None if
    there is none, or its schedule breaks a rule)."""
    bound: int | None
    """The counting bound (None when its program is too large to be solved as an integer
    program)."""


def _guided(
    relaxation: _Relaxation, deadline: float, work: int | None, cutoff: float | None = None
) -> _Guided:
    """A start from the counting program's integer optimum (`counted_workshops`): the
    whole program with as many workshops of each slot length, language, theme and shape
    as that optimum has, solved by branch and bound (only for solutions cheaper than
    `cutoff`, the current start's cost, when given). The counting optimum forgets
    speakers and availability, so its workshops may be out of reach (bench-150-easy-s7
    and 150-tight-s7: a count no slot class can take, or no solution); where they are
    not, the restricted program is small. bench-150-easy: 2195 in 0.4 s (its optimum
    is 2185), where the search by cliques from first fit ended at 2190-2225 after 9 s;
    150-tight: 2440 (its optimum 2390 then comes from branch and bound as before).

    The start is the best of its solutions whose schedule keeps every rule
    (`_Relaxation.holds`). On eight more generated 150 instances (seeds 21-24, easy
    and tight, seeds 0-1 by the clock) runs within 1 % went from 11 to 15 of 16.

    Counted per language, theme and shape only (any slot length), the restricted
    programs were larger: 150-easy 2195 after 2 s, 150-tight-s7 2455 after 1.6 s, and
    none for 150-easy-s7; per language and theme only, 150-easy 2185 but after 8 s.

    None where talks override their length: the counting program, counting the
    workshops holding one by that talk, took 2.1-2.8 s there (0.5-0.8 s on the ladder's
    150 rungs, for as many units of work) and its counts were often out of reach; by
    the clock (8 s, seeds 0-1) generated 150-200-proposal instances with such talks
    ended at 2445 / 2420 against 2535 / 2470 and 3005 / 2830 against 3135 / 3190
    without it, four others the same or within 15."""
    from scheduler.counting import counted_workshops  # (it imports this module)

    if relaxation.own_length:
        return _Guided(None, None)

    def allowed() -> float:
        """Each step's time limit: what is left, by the clock `GUIDED_SECONDS` at most
        (with a budget the clock is a backstop)."""
        seconds = max(0.0, deadline - time.perf_counter())
        return seconds if work is not None else min(GUIDED_SECONDS, seconds)

    counted = counted_workshops(relaxation.instance, relaxation.candidates, allowed(), COUNTED_WORK)
    if counted is None:
        return _Guided(None, None)
    columns: dict[tuple, Terms] = defaultdict(list)
    for sc, theme, language in relaxation.shape_columns:
        frame = relaxation.slot_classes[sc].frame
        for shape, column in relaxation.shapes_of((sc, theme, language)):
            columns[frame, language, theme, shape].append((column, 1))
    if not counted.workshops.keys() <= columns.keys():
        logger.info("guided start: the counted workshops are out of reach")
        return _Guided(None, counted.bound)
    rows = [
        (terms, counted.workshops.get(k, 0), counted.workshops.get(k, 0))
        for k, terms in columns.items()
    ]
    # each better solution is checked as it comes: a later one may break a rule that
    # the program does not hold (a generated 150 instance: its optimum there, 2370,
    # broke one; the solution before it held, at 2455)
    holding: list[tuple[float, list[int]]] = []

    def heard(answer: LowerBound) -> None:
        if relaxation.holds(answer.solution):
            holding.append((answer.incumbent, answer.solution))

    restricted = relaxation.program.restricted(rows)
    if cutoff is not None:
        # counts that only a schedule worse than the start can keep: no branch and
        # bound (the generated 300-proposal instance of `COUNTED_WORK`: the LP's 34850
        # against the start's 6460, where branch and bound took 2 s for nothing)
        least = restricted.minimum(allowed(), False)
        if math.isinf(least.value):
            logger.info("guided start: no solution of the program has the counted workshops")
            return _Guided(None, counted.bound)
        if least.value >= cutoff - 1e-6:
            logger.info(
                "guided start: the counted workshops cost at least %g, the start %g",
                least.value,
                cutoff,
            )
            return _Guided(None, counted.bound)
    answer = restricted.minimum(
        allowed(),
        True,
        on_solution=heard,
        work=None if work is None else GUIDED_WORK,
        cutoff=cutoff,
    )
    logger.info(
        "guided start: %s after %d units, %s holds",
        answer.incumbent,
        answer.work,
        holding[-1][0] if holding else None,
    )
    return _Guided(holding[-1][1] if holding else None, counted.bound)


def _whole(
    relaxation: _Relaxation,
    time_limit: float,
    integral: bool,
    start: list[int],
    work: int | None,
    emit: Callable[[LowerBound], None],
) -> None:
    """The whole program: branch and bound from `start` (each better solution emitted;
    stopped after `work` units when given), or its LP bound and optimal vertex, then
    by the clock higher LP bounds with the `links` its points break (`_linked`)."""
    deadline = time.perf_counter() + time_limit
    program = relaxation.program
    if integral:
        # with a budget, its bound at each unit of work too: the other process syncs on
        # it; by the clock, each bound that raises the last once rounded up to the costs'
        # divisor (the solve's progress line shows it as it comes: without it, a bound
        # proved after branch and bound's last better solution was shown only at the end)
        on_work = emit if work else _rising(emit, relaxation.granularity())
        emit(program.minimum(time_limit, True, start, emit, work, on_work))
    else:  # its vertex too: it guides the search by cliques
        answer = program.minimum(time_limit, False, vertex=True)
        emit(answer)
        if work is not None:
            # on a budget the answers must be the same whatever the clock, and rounds
            # at the lowest priority may still run when the search ends (600-tight-s7
            # took 30.1 s of its 30 with them instead of 27): the first bound stays
            return
        if hasattr(os, "nice"):  # (Unix) the search's helpers first from now on
            os.nice(LINK_NICE)
        _linked(program, relaxation.links(), answer, deadline, emit)


def _rising(emit: Callable[[LowerBound], None], step: int) -> Callable[[LowerBound], None]:
    """`emit` for the bounds that raise the last one it passed on, each rounded up to a
    multiple of `step` (branch and bound reports its bound at every unit of work)."""
    last = [-math.inf]

    def on_work(answer: LowerBound) -> None:
        if not math.isfinite(answer.value):
            return
        value = rounded_up(answer.value, step)
        if value > last[0]:
            last[0] = value
            emit(answer)

    return on_work


LINK_ROUNDS = 4
"""LP solves with the `_Relaxation.links` broken by the last point added, after the
first LP (a row is added only when broken: at 600 proposals a few hundred of 34,000-
43,000 are, and all of them made each interior-point solve 4-6 times slower)."""
LINK_NICE = 19
"""The link rounds' scheduling priority (a Unix `nice` increment: the lowest). At the
default priority the search's schedules were worse (600-tight-s7 by 50-125 in each of
four runs by the clock); at this one the same as without the rounds, within the
clock's noise (five 600 instances, seeds 0-3, summed: 202315 against 202195)."""
LINK_GAIN = 5e-4
"""The link rounds stop after one that raised the bound by less than this share."""
LINK_TOLERANCE = 1e-4
"""How much a link's activity may exceed 0 at a point before it counts as broken."""


def _linked(
    program: Program,
    links: list[Terms],
    answer: LowerBound,
    deadline: float,
    emit: Callable[[LowerBound], None],
) -> None:
    """Raise the LP's bound with the links its points break: up to `LINK_ROUNDS` solves,
    each with the links broken by the last point added; each higher bound is emitted
    (without a point: the first vertex stays the search's guide)."""
    if not links or answer.point is None:
        return
    rows = np.repeat(np.arange(len(links)), [len(terms) for terms in links])
    columns, values = zip(*(term for terms in links for term in terms), strict=True)
    matrix = csr_array((values, (rows, columns)), shape=(len(links), program.columns))
    added = np.zeros(len(links), dtype=bool)
    best, point = answer.value, np.asarray(answer.point)
    for _ in range(LINK_ROUNDS):
        broken = np.flatnonzero((matrix @ point > LINK_TOLERANCE) & ~added)
        if not broken.size or time.perf_counter() >= deadline:
            return
        for index in broken:
            program.row(links[index], upper=0)
        added[broken] = True
        answer = program.minimum(deadline - time.perf_counter(), False, interior=True)
        if answer.point is None:
            return
        point = np.asarray(answer.point)
        gain = answer.value - best
        if gain > 0:
            best = answer.value
            emit(LowerBound(best, False, "lp"))
        if gain < LINK_GAIN * abs(best):
            return


THEME = "theme"
"""`_search_by_cliques`'s themes round, `(THEME, theme)`: one theme's workshop counts and
flows free in every clique, with every clique's pair-count steps, speakers' places and
the proposals left out, the other themes held. It spreads a theme's workshops anew over
all the cliques, which rounds of a few cliques do a pair at a time. One round per theme
in turn while the cost has changed since that theme's last; at 150 proposals only in the
last second (`POLISH_SECONDS`). Measured: bench/README.md, "What was tried"."""
POLISH_SECONDS = 1.0
"""At 150 proposals, by the clock: the search's last second, for themes rounds until none
gains at the current cost (0.02-0.1 s each there), where the clique rounds have stopped
gaining. Not on a work budget: there the clique rounds it would replace gain more."""
LANGUAGE_EVERY = 2
"""At LP size (whole cliques, helpers), every this many pairs of clique rounds is a pair
of **languages rounds**: each frees one language's workshop counts and flows in its
drawn cliques (with their pair steps, speakers' places and the proposals left out), the
other language held; the pair takes one language each. A share of a clique's columns,
so a round reaches more cliques (`LANGUAGE_REACH`), where the gap at 600 proposals is
mostly parallel pairs of one language."""
LANGUAGE_REACH = 3.0
"""A language's rounds' reach starts where they free about as many columns as a clique
round (`CLIQUE_SLOTS` over the language's share of the columns), at most this many
times `CLIQUE_SLOTS`, and adapts as the clique rounds' does (`_reach`), each language
apart."""
LANGUAGE_ROUND_WORK = 20
"""The work a languages round is charged at least: its units of HiGHS's work take 3-5
times a clique round's, and a rung stopped on work must keep to its time."""
INITIATIVES = "initiatives"
"""`_search_by_cliques`'s initiatives round: every clique's workshop counts, pair steps,
speakers' places and initiative flows free, the keynotes' flows held. The initiatives
move between all the workshops at once, the shapes following them: nearly a
transportation problem, exact in 0.5-2.5 s at 600 proposals."""
INITIATIVES_DROP = 0.1
"""An initiatives round comes first, then again whenever the cost has fallen by this
share since the last one began or ended (each takes 1-3 s)."""
INITIATIVES_ROUND_SECONDS = 4.0
"""Stopped by the clock, the time limit of an initiatives round (they take 0.5-3.3 s at
600 proposals, the first one the longest)."""
INITIATIVES_ROUND_WORK = 40
"""The work an initiatives round is charged at least: it reports 2-16 units of HiGHS's
work but takes the time of 30-60 units of clique rounds, and a rung stopped on work
must keep to its time."""
FILL_STEPS = 5000
"""Steps of the depth-first search that fills one pool's workshops (`_Relaxation._fill`)
before it gives up and fills them in pool order."""
PART_SLOTS = 15
"""Slots of each of the two cliques a round frees when whole cliques are too large
(2000 proposals: 20 cliques of 30-50 slots, where whole-clique rounds found nothing in
2 s), drawn slot class by slot class until this many."""
PART_ROUND_GAP = 0.03
"""A round on parts of cliques ends once its solution is within this share of its bound
(HiGHS's `mip_rel_gap`, 1e-4 by default): far from settled, at 2000 proposals, the
schedule gains more from more rounds than from proofs."""
PART_ROUND_SECONDS = 6.0
"""Time limit of a round on parts of cliques (stopped by the clock): they take 2-8 s at
2000 proposals, where 2 s rounds ended unsolved."""
CLIQUE_SLOTS = 32
"""Slots freed in the first rounds of `_search_by_cliques`: whole cliques, at least two,
until this many slots are free (five cliques of 7 slots at 150 proposals, two or three
of 9-19 at 600); then the reach adapts to the rounds (`REACH_GROW`)."""
REACH_GROW = 1.05
"""A round solved exactly without gain widens the next rounds' reach (slots freed) by
this factor, one stopped by its limit narrows it by `REACH_SHRINK`, down to
`REACH_LEAST`: neighbourhoods grow where they are easy and exhausted and stay small
where they are hard (the tight instances' rounds of four or five cliques are often cut
short)."""
REACH_SHRINK = 0.9
REACH_SHRINK_ALONE = 0.7
"""`REACH_SHRINK` where the rounds run in this process alone (150 proposals: branch and
bound has the other core). There a round of 32 slots frees half the program, and after
one cut short without gain the next ones stayed nearly as wide (three such rounds in a
row cost a run 6 s)."""
REACH_LEAST = 20
CLIQUE_ROUND_SECONDS = 2.0
"""Time limit of one round (most rounds of two cliques at 600 proposals end optimal in
1-2 s)."""
CLIQUE_ROUND_WORK = 30
"""With a work budget, the limit of one round instead (units of `LowerBound.work`;
measured 12-18 units a second in rounds at 150 and 600 proposals, 15-21 in rounds
stopped by the 2 s limit)."""
WHOLE_WORK_SHARE = 0.13
"""With a work budget, the share of it given to branch and bound on the whole program
beside the search by cliques: its units come slower (2-3 a second at 150 proposals,
most of them the root's cuts), and bench-150-tight is solved exactly after 14."""
PLACEMENT_WEIGHT = 0.2
"""`_placed`: the weight of every cost but the proposals left out (weighed 1) in the
placement's objective: with the true costs, branch and bound from first fit did not
place every proposal of bench-150-easy-s7 in 7 s; with 0.2, in 0.4 s."""
PLACEMENT_SECONDS = 1.0
"""Stopped by the clock, the placement's time limit."""
PLACEMENT_WORK = 6
"""With a budget, the placement's limit in work units: 1-1.2 s on the 150 instances,
like `PLACEMENT_SECONDS`."""
PLACEMENT_CHARGE = 15
"""What the placement costs the search's budget, whatever it used: the units of rounds
done in its time (rounds do 12-18 a second; the placement's units come 3-6 a second)."""
SCHEDULE_SECONDS = 1.0
"""Stopped by the clock, the search by cliques passes on its best schedule at most this
often (and at its end): decoding one takes 20-40 ms at 600 proposals."""
GUIDE_WORK_SHARE = 0.4
"""With a work budget, the share of it the search by cliques spends before it waits for
the LP's vertex (600 proposals: the LP with crossover ends 9-15 s into the solve)."""


def _search_by_cliques(
    relaxation: _Relaxation,
    start: list[int],
    deadline: float,
    seed: int,
    between: Callable[[int], tuple[list[int] | None, bool]],
    holds: Callable[[list[int]], bool],
    work: int | None = None,
    helpers: list[Helper] | Helper | None = None,
    parts: int | None = None,
    guide: Callable[[int], np.ndarray | None] | None = None,
) -> Iterator[tuple[list[int], float]]:
    """Large-neighbourhood search on the aggregated program: each round frees the
    workshops and flows of a few seeded cliques, holds the others' at the current
    solution, and solves that integer program from the current solution; yields each
    better solution with its cost. `between`, called before each round, may give a
    better solution found elsewhere (the search goes on from it) or say stop. A round's
    solution is kept only when its schedule `holds` every rule (the program drops
    speaker clashes across cliques, `together` and `apart`). With `helpers` (processes),
    two rounds of disjoint cliques run at once: in two helpers (this process then only
    draws rounds and takes in their answers), or in one and here. Each side gets a new
    round as soon as its last is taken in, drawn from the cliques the other's running
    round leaves; an answer is taken in as its change from the solution its round
    started from, added to the current one and kept when it keeps every row of the
    program and holds. By the clock the answers are taken in as they come; with a
    budget in the rounds' order, so the same whatever the clock. With `parts`,
    a neighbourhood is part of two cliques instead: slot classes of each, drawn until
    `parts` slots (their cliques' pair counts and speakers' places freed with them).

    `guide`, called before each round until it gives one, may give the LP's optimal
    vertex: from then on, whenever the current solution has changed, a guided round
    first frees every column where the current solution differs from the vertex (about
    3,000 of 65,000 at 600 proposals, solved exactly in 0.1-0.6 s), holding the rest
    (the idea of RINS, relaxation-induced neighbourhood search).

    At LP size (helpers, whole cliques), an **initiatives round** comes first and
    again whenever the cost has fallen by `INITIATIVES_DROP`: it frees every clique's
    workshop counts and initiative flows at once, holding the keynotes' flows (and the
    flows of speakers with several talks), so the initiatives and with them the
    workshops' shapes are rearranged over the whole schedule, which rounds of two
    cliques cannot do. There too, a **themes round** (`THEME`) for the next
    theme in turn comes before each round of cliques while some theme's last one was at
    another cost: that theme's workshops and flows free in every clique, the others
    held. These rounds of their own run here once the running clique rounds have been
    taken in (they change every clique). Without helpers (150 proposals), by the clock,
    themes rounds polish the end instead (`POLISH_SECONDS`). And every
    `LANGUAGE_EVERY`-th pair of clique rounds frees one language only, in more
    cliques. The cliques a round frees adapt to the rounds (`_reach`): more after
    rounds solved exactly without gain, fewer after rounds cut short.

    Proposals move between the freed cliques (and in from or out to the unplaced),
    which the block search, one overlap component at a time, cannot do; and a clique's
    workshops are counted, not named, so a round is a small integer program.
    """
    program = relaxation.program
    # a slot class's workshops and flows, and the columns that only follow a clique's
    # workshops (held with them): its pair-count steps and speakers' places
    by_class: dict[int, list[int]] = defaultdict(list)
    for (sc, _, _), counts in relaxation.workshops.items():
        by_class[sc].extend(counts)
    for _, sc, _, column in relaxation.flows:
        by_class[sc].append(column)
    following: dict[int, list[int]] = defaultdict(list)
    for (chosen, _), group in zip(relaxation.where, relaxation.where_group, strict=True):
        following[group].append(chosen)
    for (_, steps), group in zip(relaxation.steps, relaxation.step_group, strict=True):
        following[group].extend(steps)
    classes_of: dict[int, list[int]] = defaultdict(list)
    for sc, slot_class in enumerate(relaxation.slot_classes):
        classes_of[slot_class.group].append(sc)
    by_group: dict[int, list[int]] = {}  # a whole clique's columns
    for group in set(classes_of) | set(following):
        columns = [c for sc in classes_of[group] for c in by_class[sc]] + following[group]
        if columns:
            by_group[group] = columns
    groups = sorted(by_group)
    if len(groups) < 2:
        return
    size: dict[int, int] = defaultdict(int)
    for slot_class in relaxation.slot_classes:
        size[slot_class.group] += len(slot_class.slots)
    rng = random.Random(seed)
    current = list(start)
    cost = sum(c * v for c, v in zip(program.cost, current, strict=True))
    # a neighbourhood solved to optimality without gain stays settled until one of its
    # cliques changes: drawing it again would repeat the round
    version = dict.fromkeys(groups, 0)
    settled: set[tuple] = set()
    # slots a round frees, adapted to the rounds: clique rounds' (None) and each
    # language's rounds', which start where they free about as many columns as a
    # clique round (at most LANGUAGE_REACH times its slots) and adapt apart: at 600
    # proposals French holds two thirds of the columns, and its rounds at the reach of
    # English's were cut short while English's ended exactly
    most = sum(size.values())
    language_columns = relaxation.language_columns() if helpers and parts is None else {}
    languages = sorted(language_columns)
    reaches = {None: float(CLIQUE_SLOTS), **_language_reaches(language_columns)}

    def draw(
        taken: set[int] | frozenset = frozenset(), language: str | None = None
    ) -> set[int] | None:
        reach = reaches[language]
        pool = [g for g in groups if g not in taken]
        if len(pool) < 2:
            return None
        if parts is not None:  # the cliques drawn, and slot classes of each
            free = set(rng.sample(pool, 2))
            for group in sorted(free):
                count = 0
                for sc in rng.sample(classes_of[group], len(classes_of[group])):
                    part_of[group].add(sc)
                    count += len(relaxation.slot_classes[sc].slots)
                    if count >= parts:
                        break
            return free
        for _ in range(20):
            order = rng.sample(pool, len(pool))
            free = set(order[:2])
            for group in order[2:]:
                if sum(size[g] for g in free) >= reach:
                    break
                free.add(group)
            if (language, *((g, version[g]) for g in sorted(free))) not in settled:
                break
        return free

    spent = 0
    part_of: dict[int, set[int]] = defaultdict(set)  # with `parts`: the drawn slot classes

    def going() -> bool:
        if work is not None:  # the clock is a backstop only
            return spent < work and time.perf_counter() < deadline
        return deadline - time.perf_counter() > 0.3

    def prepare(
        free: set[int] | str | tuple[str, str] | None,
        language: str | None = None,
    ) -> tuple[Program, np.ndarray, float, dict[str, Any]]:
        """The round's program over the free columns only (the whole program took 1 s of
        a 2 s round to build and presolve), and the keyword arguments of its solve. `free`: the
        cliques drawn, None for the guided round, `INITIATIVES` for an initiatives round,
        `(THEME, theme)` for a themes round."""
        if isinstance(free, tuple):  # one theme's counts and flows, in all cliques
            hold = relaxation.theme_hold(free[1])
        elif free == INITIATIVES:  # the initiatives' flows and every count, in all cliques
            hold = initiatives_hold.copy()
        elif free is None:  # held where the current solution is the vertex
            hold = np.abs(vertex - np.asarray(current, dtype=float)) < 1e-6
        elif parts is None:  # the other cliques held
            hold = np.zeros(program.columns, dtype=bool)
            for group in groups:
                if group not in free:
                    hold[by_group[group]] = True
            if language is not None:
                for other, columns in language_columns.items():
                    if other != language:
                        hold[columns] = True
        else:  # all held but the drawn parts (and the proposals left out)
            hold = np.ones(program.columns, dtype=bool)
            hold[relaxation.left_out] = False
            for group in free:
                for sc in part_of.pop(group):
                    hold[by_class[sc]] = False
                hold[following[group]] = False
        sub, columns, held_cost = program.held(hold, current)
        given = [current[c] for c in columns]
        if several.size:
            # the workshops counted as holding several talks of their own length (at the
            # least minutes of any) no more than now: the rounds' costs stay exact
            capped = np.isin(columns, several)
            if capped.any():
                sub = sub.capped(np.where(capped, given, sub.upper))
        arguments: dict[str, Any] = {"integral": True, "start": given}
        if parts is not None:
            arguments["gap"] = PART_ROUND_GAP
        if work is None:
            seconds = PART_ROUND_SECONDS if parts else CLIQUE_ROUND_SECONDS
            if free == INITIATIVES:
                seconds = INITIATIVES_ROUND_SECONDS
            arguments["time_limit"] = min(seconds, deadline - time.perf_counter())
        else:
            arguments["time_limit"] = deadline - time.perf_counter()
            arguments["work"] = min(CLIQUE_ROUND_WORK, max(1, work - spent))
        if isinstance(free, set) and polish and polish_left() > 0:  # ends before the polish
            arguments["time_limit"] = min(arguments["time_limit"], polish_left())
        return sub, columns, held_cost, arguments

    def completed(columns: np.ndarray, answer: LowerBound) -> tuple[list[int], float]:
        """The current solution with a round's free columns set to its answer, and its
        cost, computed here: HiGHS's reported objective was once 10 below the cost of
        the solution it returned (a guided round on bench-600-tight)."""
        candidate = list(current)
        for column, value in zip(columns, answer.solution, strict=True):
            candidate[column] = value
        return candidate, float(np.dot(costs, candidate))

    costs = np.asarray(program.cost, dtype=float)
    several = relaxation.several_list
    themes = sorted(relaxation.theme_columns())
    theme_cost = dict.fromkeys(themes, math.inf)  # the cost at each theme's last round
    turn = [0]  # the themes take turns

    def next_theme() -> str | None:
        """The next theme in turn whose last round was at another cost, if any."""
        for n in range(len(themes)):
            theme = themes[(turn[0] + n) % len(themes)]
            if theme_cost[theme] > cost + 1e-6:
                turn[0] = (turn[0] + n + 1) % len(themes)
                return theme
        return None

    # an initiatives round holds the keynotes' flows, and those of speakers with several
    # talks (moved across cliques, they would clash more often than not)
    initiatives_hold = np.zeros(program.columns, dtype=bool)
    for cls, _, _, column in relaxation.flows:
        if cls.keynote or any(relaxation._several_talks(p) for p in cls.proposals):
            initiatives_hold[column] = True
    # at LP size only (whole cliques, helpers): at 150 proposals branch and bound keeps
    # the other core, and the rounds cost more than they gain there
    initiatives = bool(helpers) and parts is None
    # without helpers (150 proposals), by the clock, themes rounds polish the end instead
    polish = not helpers and parts is None and work is None

    def polish_left() -> float:
        """Seconds before the polish begins."""
        return deadline - POLISH_SECONDS - time.perf_counter()

    def polishing() -> bool:
        return polish and polish_left() <= 0

    vertex: np.ndarray | None = None
    # the cost when the last round of each kind of their own began or ended: a guided
    # round from it gains nothing; an initiatives round waits for a fall of
    # INITIATIVES_DROP
    last_cost: dict[str | None, float] = {None: math.inf, INITIATIVES: math.inf}

    def due(kind: str | None) -> bool:
        if kind is None:  # guided
            return vertex is not None and cost < last_cost[None] - 1e-6
        return initiatives and cost < last_cost[kind] * (1 - INITIATIVES_DROP) - 1e-6

    def alone(kind: str | tuple[str, str] | None) -> tuple[list[int], float] | None:
        """A round of its own (guided, initiatives or themes): its solution if it is
        better and holds (`improvement`). An initiatives round is charged at least
        INITIATIVES_ROUND_WORK."""
        nonlocal spent
        sub, columns, _, arguments = prepare(kind)
        answer = sub.minimum(**arguments)
        if work is not None:
            least = INITIATIVES_ROUND_WORK if kind == INITIATIVES else 1
            spent += max(least, answer.work)
        if answer.solution is None:
            return None
        return improvement(*completed(columns, answer), kind or "guided")

    def improvement(values: list[int], value: float, label: Any) -> tuple[list[int], float] | None:
        """A round's solution and its cost if it costs less than the current one and
        keeps every row and rule; where talks override their length, one that breaks a
        rule is mended (`_Relaxation.mended`) and kept if it still costs less."""
        if value >= cost - 1e-6:
            return None
        if not program.infeasible_rows(values) and holds(values):
            return values, value
        mended = relaxation.mended(values)
        value = math.inf if mended is None else float(np.dot(costs, mended))
        if value >= cost - 1e-6:
            logger.debug("round %s: its schedule breaks a rule, dropped", label)
            return None
        logger.debug("round %s: its schedule broke a rule, mended", label)
        return mended, value

    # the lanes that solve clique rounds (see above): two helpers, or this process and
    # the helper, or this process alone
    if helpers is None:
        helpers = []
    elif isinstance(helpers, Helper):
        helpers = [helpers]
    lanes: list[Helper | _Here] = helpers if len(helpers) > 1 else [_Here(), *helpers]
    shrink = REACH_SHRINK if helpers else REACH_SHRINK_ALONE
    running: dict[int, _Round] = {}  # by lane
    drawn = 0  # rounds drawn so far

    def language_of(number: int) -> str | None:
        """Every `LANGUAGE_EVERY`-th pair of rounds frees one language each, in turn."""
        pair = number // 2
        if not languages or pair % LANGUAGE_EVERY != LANGUAGE_EVERY - 1:
            return None
        first = (pair // LANGUAGE_EVERY) % len(languages)
        return languages[(first + number % 2) % len(languages)]

    def start(lane: int) -> bool:
        """Draw the lane's next round and hand it over; False if none could be drawn."""
        nonlocal drawn
        language = language_of(drawn)
        taken = set().union(*(r.free for r in running.values()))
        free = draw(taken, language)
        if free is None:
            return False
        drawn += 1
        sub, columns, held_cost, arguments = prepare(free, language)
        base = np.asarray([current[c] for c in columns], dtype=np.int64)
        versions = tuple((g, version[g]) for g in sorted(free))
        running[lane] = _Round(drawn, free, language, columns, held_cost, base, cost, versions)
        lanes[lane].submit(sub, **arguments)
        return True

    def next_answer() -> tuple[int, LowerBound | None]:
        """The lane whose answer is taken in next, and its answer (None: lost or late)."""
        if work is not None:  # in the rounds' order
            lane = min(running, key=lambda n: running[n].number)
            return lane, lanes[lane].answer(deadline - time.perf_counter())
        wait = max(0.0, deadline - time.perf_counter()) + 2.0
        away = [n for n in running if isinstance(lanes[n], Helper)]
        here = [n for n in running if n not in away]
        done = ready([lanes[n] for n in away], 0.0 if here else wait)
        if done:
            lane = away[done[0]]
            return lane, lanes[lane].answer(0.0)
        if here:
            return here[0], lanes[here[0]].answer(wait)
        return away[0], None

    def take(lane: int, answer: LowerBound | None) -> tuple[list[int], float] | None:
        """Take in a lane's answer: the better solution it gives, if any."""
        nonlocal spent
        taken = running.pop(lane)
        if answer is None:
            return None
        if work is not None:
            spent += max(LANGUAGE_ROUND_WORK if taken.language else 1, answer.work)
        gain = (
            answer.solution is not None
            and answer.incumbent + taken.held_cost < taken.base_cost - 1e-6
        )
        if parts is None:
            reaches[taken.language] = _reach(
                reaches[taken.language], answer.exact, gain, most, shrink
            )
        logger.debug(
            "round %d (%d cliques%s, %d units): %s, %s",
            taken.number,
            len(taken.free),
            f", {taken.language}" if taken.language else "",
            answer.work,
            "exact" if answer.exact else "cut short",
            f"{taken.base_cost - answer.incumbent - taken.held_cost:+.0f}" if gain else "no gain",
        )
        if not gain:
            if answer.exact and parts is None:
                settled.add((taken.language, *taken.versions))
            return None
        candidate = np.asarray(current, dtype=np.int64)
        candidate[taken.columns] += np.asarray(answer.solution, dtype=np.int64) - taken.base
        kept = improvement(candidate.tolist(), float(np.dot(costs, candidate)), taken.number)
        if kept is not None:
            for group in taken.free:
                version[group] += 1
        return kept

    lost: set[int] = set()  # lanes whose answer never came: no more rounds there

    def receive() -> tuple[list[int], float] | None:
        """Take in the next answer: the better solution it gives, if any."""
        lane, answer = next_answer()
        if answer is None and isinstance(lanes[lane], Helper):
            lost.add(lane)
        return take(lane, answer)

    while True:
        if going() and drawn % len(lanes) == 0:
            elsewhere, stop = between(spent)
            if stop:
                break
            if elsewhere is not None:
                current = list(elsewhere)
                cost = float(np.dot(costs, current))
                version = {g: v + 1 for g, v in version.items()}
            if vertex is None and guide is not None:
                vertex = guide(spent)
            # a round of its own changes every clique: the rounds running end first (their
            # changes would rarely still fit after it)
            while running and (
                any(due(kind) for kind in (None, INITIATIVES))
                or (initiatives and any(theme_cost[t] > cost + 1e-6 for t in themes))
            ):
                better = receive()
                if better is not None:
                    current, cost = better
                    yield list(current), cost
            for kind in (None, INITIATIVES):  # the rounds of their own that are due
                if not due(kind) or not going():
                    continue
                last_cost[kind] = cost
                better = alone(kind)
                if better is not None:
                    current, cost = better
                    last_cost[kind] = cost
                    version = {g: v + 1 for g, v in version.items()}
                    yield list(current), cost
            # at LP size one theme before each pair of clique rounds; when polishing, every
            # theme until none gains
            while going() and (initiatives or polishing()):
                theme = next_theme()
                if theme is None:
                    break
                better = alone((THEME, theme))
                if better is not None:
                    current, cost = better
                    version = {g: v + 1 for g, v in version.items()}
                    yield list(current), cost
                theme_cost[theme] = cost
                if not polishing():
                    break
        if going():
            for lane in range(len(lanes)):
                if lane not in running and lane not in lost and going():
                    start(lane)
        if not running:
            break
        better = receive()
        if better is not None:
            current, cost = better
            yield list(current), cost


@dataclass
class _Round:
    """A round handed to a lane of `_search_by_cliques`: what it frees, and the solution
    it started from on its columns."""

    number: int
    free: set[int]
    language: str | None
    columns: np.ndarray
    held_cost: float
    base: np.ndarray
    base_cost: float
    versions: tuple[tuple[int, int], ...]
    """The versions of its cliques when drawn (a neighbourhood solved without gain is
    settled for those)."""


class _Here:
    """A lane of `_search_by_cliques` that solves its round in this process, when its
    answer is asked for."""

    def __init__(self):
        self._request: tuple[Program, dict[str, Any]] | None = None

    def submit(self, program: Program, **arguments) -> None:
        self._request = (program, arguments)

    def answer(self, wait: float) -> LowerBound | None:
        program, arguments = self._request
        self._request = None
        return program.minimum(**arguments)


def _reach(reach: float, exact: bool, gain: bool, most: int, shrink: float = REACH_SHRINK) -> float:
    """The slots the next rounds free, after a round solved `exact`ly or not, with or
    without `gain`: wider after an exact round without gain, narrower (by `shrink`)
    after one cut short, within [REACH_LEAST, most]."""
    if not exact:
        return max(float(REACH_LEAST), reach * shrink)
    if not gain:
        return min(float(most), reach * REACH_GROW)
    return reach


def _language_reaches(language_columns: dict[str, np.ndarray]) -> dict[str, float]:
    """Each language's first reach: the slots where its round frees about as many
    columns as a clique round of `CLIQUE_SLOTS` (those over its share of the columns),
    at most `LANGUAGE_REACH` times them."""
    every_language = sum(len(columns) for columns in language_columns.values())
    return {
        language: CLIQUE_SLOTS * min(LANGUAGE_REACH, every_language / len(columns))
        for language, columns in language_columns.items()
    }


def aggregate_bound(
    instance: Instance,
    candidates: CandidateTable,
    time_limit: float = 5.0,
    work: int | None = None,
) -> AggregateBound:
    """Solve the aggregated relaxation within the time limit (in a child process, where
    HiGHS runs; stopped after `work` units of branch and bound when given); its bound
    bounds the instance."""
    return PendingBound(instance, candidates, time_limit, work=work).final()


class _StartLater:
    """A start schedule the child receives once its program is built."""

    def __init__(self, connection):
        self.connection = connection

    def __call__(self) -> Start | None:
        try:
            return self.connection.recv()
        except EOFError:  # the caller sent nothing
            return None


class PendingBound:
    """`aggregate_bounds` in a child process (built and solved there) while the search runs."""

    def __init__(
        self,
        instance: Instance,
        candidates: CandidateTable,
        time_limit: float,
        start: Start | None = None,
        seed: int = 0,
        work: int | None = None,
        start_later: bool = False,
    ):
        """With `start_later`, the child builds the program and then waits for the start
        schedule, which `send_start` gives it (the caller improves it meanwhile)."""
        self._send_start = None
        if start_later:
            context = multiprocessing.get_context(
                "fork" if sys.platform.startswith("linux") else "spawn"
            )
            receive, self._send_start = context.Pipe(duplex=False)
            start = _StartLater(receive)
        self._child = Background(
            aggregate_bounds,
            (instance, candidates, time_limit, start),
            {"seed": seed, "work": work},
            daemon=False,  # it may start the LP in a process of its own
        )
        if start_later:
            start.connection.close()  # the child's end
        self._limit = time_limit
        self._due = time.perf_counter() + time_limit
        self._errors: tuple[str, ...] = ()  # the child's own children's, as last told

    @property
    def errors(self) -> list[str]:
        """The errors that stopped a background search of this bound's (the child
        itself, or one of its own children), each logged as a warning where it came."""
        own = [self._child.error] if self._child.error is not None else []
        return own + list(self._errors)

    def _heard(self, answers: list[AggregateBound]) -> list[AggregateBound]:
        for answer in answers:
            self._errors = answer.errors or self._errors
        return answers

    def send_start(self, start: Start) -> None:
        """The start schedule a child made with `start_later` waits for, sent by a
        thread of its own: the child reads it once its program is built, and a pipe
        holds 64 KiB (at 4000 proposals the caller waited 4 s for the child's build)."""
        connection = self._send_start

        def send() -> None:
            try:
                connection.send(start)
            except OSError:  # the child ended first (stopped, or failed)
                pass
            finally:
                connection.close()

        threading.Thread(target=send, name="send-start", daemon=True).start()

    def updates(self, wait: float = 0.0) -> list[AggregateBound]:
        """The answers that arrived since the last call, waiting up to `wait` seconds for
        one."""
        return self._heard(self._child.received(wait))

    @property
    def finished(self) -> bool:
        return self._child.finished

    def result(self, wait: float) -> AggregateBound | None:
        """The last answer, waiting at most `wait` seconds for the child to end (then
        stopped); None if the child had nothing (more) to say in time."""
        answer = self._child.last(wait)
        return None if answer is None else self._heard([answer])[0]

    def final(self) -> AggregateBound:
        """The last answer, waiting for it until shortly after the time limit (a bound of
        0 if the child failed)."""
        answer = self.result(wait=self._due + 2.0 - time.perf_counter())
        if answer is None:  # the child failed
            return AggregateBound(0, False, "none", round(self._limit, 3), 0, 0, 0)
        return answer
