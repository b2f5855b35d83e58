"""Solve large instances block by block: large-neighbourhood search over session blocks.

Slots split into overlap components ("blocks": slots linked by overlapping times).
Two blocks share no speaker clash and no parallel-theme or parallel-language pair,
so with the proposals of the other blocks held where they are, re-solving the
workshops of a few blocks is an exact sub-problem: the same `WorkshopModel` on a
sub-instance made of those blocks' slots, the proposals placed there and the
unplaced proposals that could go there. Starting from the greedy schedule, each
round re-solves one neighbourhood (first every block once, then seeded random
pairs of blocks and the blocks where unplaced proposals could go) and keeps the
result when it costs less. The direct model needs one literal per proposal and
candidate slot of the whole instance; a neighbourhood needs a few percent of them.

Unplaced proposals come first: in tight instances the one workshop that could take
such a proposal (its language, one of its themes, room left, in one of the few
slots its speakers can attend) is often in another block, or has to be formed
there with a keynote from another block. A single block cannot move anything to
another, and on the pair of 11-slot blocks where a proposal of 600-tight could go
CP-SAT found nothing in 20 s, where re-solving the two slots of the move placed it
at once (the more slots free, the weaker the search around the hint). So
`relocations` lists small moves across blocks (join, swap a workshop in, split a
keynote off; leftovers pushed into third slots), checked on the hard rules in
Python, and CP-SAT re-solves just those two to four slots, every slot overlapping
them held, exactly, in a fraction of a second.

The search proves no bound for the whole instance.
Each accepted neighbourhood's CP-SAT objective is checked against the validator's
recomputation on the sub-instance, and the final objective and penalty totals are
the validator's recomputation for the whole schedule.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.candidates import CandidateTable
from scheduler.instance import Instance, Proposal, Slot
from scheduler.model import WorkshopModel, overlap_components
from scheduler.search import cp_solver, objective_of, solve_interruptibly
from scheduler.solution import Solution, Status
from scheduler.validate import validate
from scheduler.workshops import schedule

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LnsSettings:
    """How the block search spends its time."""

    round_seconds: float = 3.0
    """Wall-clock cap of one neighbourhood solve."""
    round_deterministic_time: float = 1.5
    """Deterministic-time cap of one neighbourhood solve (keeps rounds reproducible)."""
    max_pairs: int = 25_000
    """Largest neighbourhood, in candidate proposal-slot pairs."""
    part_slots: int = 12
    """Blocks with more slots are re-solved this many slots at a time."""
    relocation_tries: int = 40
    """Relocations tried per unplaced proposal and pass (the simplest first)."""
    max_leftovers: int = 2
    """Proposals a relocation may push out to workshops in further slots."""
    margin: float = 0.2
    """Seconds the relocations and rounds leave before the deadline, for what the caller
    does after them (none where the caller's search goes on: `solve._relocated`)."""
    relocation_deterministic_time: float = 0.3
    """Deterministic-time cap of one relocation (a few slots for an unplaced proposal)."""
    check_deterministic_time: float = 3e-6
    """Deterministic time charged for each workshop the relocations' enumeration checks
    (`_could_hold`, `_could_join`: about 3 us each here, with the enumeration around
    them). CP-SAT's own covers its searches only: placing the 72 proposals first fit left
    out of a generated 200-proposal tight instance took 4.4 million checks in 21 s (1.6
    million and 5 s since the workshops' sums are kept), and 0.06 units of CP-SAT's."""


class BlockSearch:
    """The current schedule as workshops per slot, improved one neighbourhood at a time."""

    def __init__(
        self,
        instance: Instance,
        candidates: CandidateTable,
        start: Solution,
        seed: int,
        workers: int,
        settings: LnsSettings = LnsSettings(),
        reference: Solution | None = None,
    ):
        self.instance = instance
        self.reference = reference
        """The published schedule of a re-solve: `moved` counts in every round."""
        self._published = (
            {p: w.slot for w in reference.workshops for p in w.proposals} if reference else {}
        )
        self.candidates = candidates
        self.settings = settings
        self.workers = workers
        self.seed = seed
        self.deterministic = False
        """When True, rounds end on deterministic time only (wall clock as a far backstop)."""
        self.rng = random.Random(seed)
        self.blocks = overlap_components(instance.slots)
        self.block_of = {s.id: b for b, block in enumerate(self.blocks) for s in block}
        self.members: dict[str, list[str]] = {s.id: [] for s in instance.slots}
        self.theme: dict[str, str] = {}
        for workshop in start.workshops:
            self.members[workshop.slot] = list(workshop.proposals)
            self.theme[workshop.slot] = workshop.theme
        self.together_of: dict[str, list[str]] = {}
        for group in instance.constraints.together:
            for proposal_id in group.proposals:
                self.together_of.setdefault(proposal_id, []).extend(group.proposals)
        self._slot_bit = {s.id: 1 << i for i, s in enumerate(instance.slots)}
        self._candidate_bits: dict[str, int] = {}
        self._facts: dict[str, tuple[bool, int, frozenset[str], frozenset[str], int]] = {}
        self._sums: dict[str, tuple[int, int, frozenset[str], frozenset[str]] | None] = {}
        """`_summed` of each slot's workshop, until it changes (`_apply`)."""
        self._joinable_bits: dict[str, int] = {}
        self._apart_groups = [frozenset(g.proposals) for g in instance.constraints.apart]
        self.overlapping: dict[str, set[str]] = {s.id: set() for s in instance.slots}
        for block in self.blocks:
            for i, a in enumerate(block):
                for b in block[i + 1 :]:
                    if a.overlaps(b):
                        self.overlapping[a.id].add(b.id)
                        self.overlapping[b.id].add(a.id)
        rules = instance.rules
        fixed = rules.opening_minutes + rules.closing_minutes + rules.changeover_minutes
        self.frame = {s.id: s.minutes - fixed for s in instance.slots}
        """Minutes of each slot for talks, changeovers and participatory time."""
        self._tried: set[tuple] = set()
        self.rounds = 0
        self.accepted = 0
        self.deterministic_time = 0.0
        self.largest_model = (0, 0)
        self.on_accept: Callable[[BlockSearch], None] | None = None
        self.on_round: Callable[[], None] | None = None
        """Called every 0.2 s of each CP-SAT solve (the progress line's heartbeat)."""

    # -- state ---------------------------------------------------------------

    def placement(self) -> dict[str, str]:
        return {p: s for s, ids in self.members.items() for p in ids}

    def unplaced(self) -> list[str]:
        placed = self.placement()
        return [
            p.id
            for p in self.instance.proposals
            if p.id not in placed and self.candidates.slots[p.id]
        ]

    # -- neighbourhoods ----------------------------------------------------------

    def neighbourhoods(self) -> Iterator[tuple[list[int], set[str] | None]]:
        """Single blocks, those where most unplaced proposals could go first, round after
        round until no block has anything new to try; then seeded pairs of blocks.

        A block of more than `part_slots` slots is re-solved a part at a time: some of
        its slots free, the others' workshops held (pinned, theme fixed), so parallel
        pairs with them still count exactly.
        """
        tried: dict[int, tuple[str, ...]] = {}
        while True:
            waiting = self.unplaced()
            score = dict.fromkeys(range(len(self.blocks)), 0)
            for proposal_id in waiting:
                for block in {self.block_of[s] for s in self.candidates.slots[proposal_id]}:
                    score[block] += 1
            order = sorted(score, key=lambda b: (-score[b], self.rng.random()))
            fresh = False
            for block in order:
                state = tuple(self.unplaced())
                if tried.get(block) == state:
                    continue
                tried[block] = state
                fresh = True
                for free in self._parts(block):
                    yield [block], free
            if not fresh:
                break
        pairs = [[a, b] for a in range(len(self.blocks)) for b in range(a + 1, len(self.blocks))]
        self.rng.shuffle(pairs)
        for pair in pairs:
            if all(len(self.blocks[b]) <= self.settings.part_slots for b in pair):
                yield pair, None

    def _parts(self, block: int) -> list[set[str] | None]:
        """The whole block when small, else seeded parts: slots where unplaced proposals
        could go first, then the rest, `part_slots` at a time."""
        slots = [s.id for s in self.blocks[block]]
        size = self.settings.part_slots
        if len(slots) <= size:
            return [None]
        wanted = {s for p in self.unplaced() for s in self.candidates.slots[p]}
        self.rng.shuffle(slots)
        slots.sort(key=lambda s: s not in wanted)
        return [set(slots[i : i + size]) for i in range(0, len(slots), size)]

    def _size(self, blocks: list[int], free: set[str] | None) -> int:
        slot_ids = free or {s.id for b in blocks for s in self.blocks[b]}
        proposals = self._proposals_for(slot_ids, slot_ids)
        return sum(sum(1 for s in self.candidates.slots[p] if s in slot_ids) for p in proposals)

    def _proposals_for(self, slot_ids: set[str], free: set[str]) -> list[str]:
        inside = [p for s in sorted(slot_ids) for p in self.members[s]]
        waiting = [p for p in self.unplaced() if any(s in free for s in self.candidates.slots[p])]
        return inside + waiting

    def relocations(
        self, unit: list[str], deadline: float = float("inf"), budget: float | None = None
    ) -> Iterator[frozenset[str]]:
        """Small neighbourhoods, across blocks, that could take an unplaced `unit` (a
        proposal with its `together` partners), the fewest displaced proposals first.

        A move brings the unit into the workshop of one of its candidate slots `s`:
        - join: it joins (or opens) that workshop, maybe under a new theme;
        - swap: the workshop of a keynote that could lead it (same language, a common
          theme), in a slot `w` elsewhere, moves to `s` and takes it, and the workshop
          of `s` moves to `w`;
        - split: that keynote alone leaves its workshop for `s`, where the unit joins it.
        Up to `max_leftovers` movable proposals that no longer fit (an initiative over
        the count or the minutes, the members of a workshop left without keynote) each
        go to a workshop in a third slot with room for them. Each move is checked here
        on candidates, counts, minutes, themes, languages, slot locks and speakers;
        CP-SAT then re-solves the slots involved exactly (and may find better). The
        enumeration stops at `deadline` (perf_counter seconds), or once the search's
        deterministic time (its checks charged) reaches `budget`.
        """
        common = self.candidates.slots[unit[0]]
        own = [s for s in common if all(self._candidate(p, s) for p in unit[1:])]
        seen: set[frozenset[str]] = set()
        # in a re-solve, every move back into the unit's published slot first (a keynote
        # split off to lead the initiatives a cancelled keynote left, rather than each
        # initiative moved elsewhere)
        published = [s for s in own if s == self._published.get(unit[0])]
        passes = [published, own] if published else [own]
        for size, slots_of_unit in itertools.product(
            range(self.settings.max_leftovers + 1), passes
        ):
            for slots, left in self._moves(unit, slots_of_unit, size, deadline, budget):
                if self._spent(deadline, budget):
                    return
                absorbers = self._absorbers(left, slots)
                if absorbers is None:
                    continue
                key = frozenset(slots).union(absorbers)
                if key not in seen:
                    seen.add(key)
                    yield key

    def evictions(
        self, unit: list[str], deadline: float = float("inf"), budget: float | None = None
    ) -> Iterator[frozenset[str]]:
        """In a re-solve, moves that make way for an unplaced `unit` that can open a
        workshop alone (a keynote): the workshop of one of its candidate slots `s` moves
        to an empty slot `t` that could hold it, and the unit opens one in `s`; up to
        `max_leftovers` members of the moved workshop that `t` cannot take (a speaker
        away then, a slot too short) each go to a workshop in a third slot, as in
        `relocations`. The fewest leftovers first, then the smallest workshops (the fewest
        moved). `relocations` take a workshop to an empty slot only as leftovers, up to
        `max_leftovers` members, one by one: a room closed on a day leaves the keynotes
        whose speakers can come only then to the slots others hold, while the empty
        slots are at other times (a 278-proposal re-solve with a room closed on
        Wednesday morning traded a published keynote for two others in a block round,
        where moving one workshop out of the morning placed all three). CP-SAT re-solves
        the slots of the move, every slot overlapping them held, as for the
        relocations."""
        common = self.candidates.slots[unit[0]]
        own = [s for s in common if all(self._candidate(p, s) for p in unit[1:])]
        if not own or not any(self.instance.proposal_by_id[p].is_keynote for p in unit):
            return
        empty = [s.id for s in self.instance.slots if not self.members[s.id] and not s.closed]
        own = [
            s
            for s in sorted(own, key=lambda s: len(self.members[s]))
            if self.members[s]
            and self._moves_whole(self.members[s])
            and self._could_hold(unit, s)
            and self._speakers_free(unit, s, set(self.members[s]))
        ]
        seen: set[frozenset[str]] = set()
        for size in range(self.settings.max_leftovers + 1):
            for s in own:
                here = self.members[s]
                for left in self._leftovers(here, size):
                    if self._spent(deadline, budget):
                        return
                    moving = [p for p in here if p not in left]
                    for t in empty:
                        if t == s or not self._could_hold(moving, t):
                            continue
                        if not self._speakers_free(moving, t, set(here)):
                            continue
                        absorbers = self._absorbers(left, (s, t))
                        if absorbers is None:
                            continue
                        key = frozenset((s, t, *absorbers))
                        if key not in seen:
                            seen.add(key)
                            yield key

    def _moves_whole(self, workshop: list[str]) -> bool:
        """The workshop may move whole: none of its members pinned, and every `together`
        partner of theirs in it."""
        inside = set(workshop)
        return all(
            self.instance.proposal_by_id[p].pin is None
            and inside.issuperset(self.together_of.get(p, ()))
            for p in workshop
        )

    def _spent(self, deadline: float, budget: float | None) -> bool:
        """The clock at `deadline`, or the deterministic time at `budget`."""
        if budget is not None and self.deterministic_time >= budget:
            return True
        return time.perf_counter() >= deadline

    def _moves(
        self, unit: list[str], own: list[str], size: int, deadline: float, budget: float | None
    ) -> Iterator[tuple[tuple[str, ...], list[str]]]:
        """Moves taking `unit` in (slots changed) that leave exactly `size` proposals over."""
        members = self.members
        for s in own:
            here = members[s]
            for left in self._leftovers(here, size):
                stay = [p for p in here if p not in left]
                if self._could_hold(stay + unit, s) and self._speakers_free(unit, s, set(left)):
                    yield (s,), left
        where = self.placement()
        leaders = self._leaders(unit, where)
        for s in own:
            if self._spent(deadline, budget):
                return
            here = members[s]
            for keynote in leaders:
                w = where[keynote]
                if w == s or not self._candidate(keynote, s):
                    continue
                there = members[w]
                rest = [p for p in there if p != keynote]
                leaving = set(here) | set(there)
                for n in range(size + 1):
                    for left_w in self._leftovers(rest, n):
                        # swap: the leader's workshop to s with the unit, the workshop of s to w
                        to_s = [p for p in there if p not in left_w] + unit
                        if self._could_hold(to_s, s) and self._speakers_free(to_s, s, leaving):
                            for left_s in self._leftovers(here, size - n):
                                to_w = [p for p in here if p not in left_s]
                                if self._could_hold(to_w, w) and self._speakers_free(
                                    to_w, w, leaving
                                ):
                                    yield (s, w), left_w + left_s
                        # split: the leader alone joins the workshop of s with the unit
                        if not self._could_hold([p for p in rest if p not in left_w], w):
                            continue
                        for left_s in self._leftovers(here, size - n):
                            to_s = [p for p in here if p not in left_s] + [keynote, *unit]
                            if self._could_hold(to_s, s) and self._speakers_free(
                                [keynote, *unit], s, {keynote, *left_s}
                            ):
                                yield (s, w), left_w + left_s

    def _leaders(self, unit: list[str], where: dict[str, str]) -> list[str]:
        """Placed keynotes (not pinned) that could lead the unit: its language, a common theme."""
        proposals = self.instance.proposal_by_id
        first = proposals[unit[0]]
        themes = set(first.themes).intersection(*(proposals[p].themes for p in unit[1:]))
        mixed = self.instance.rules.mixed_language
        return [
            p.id
            for p in self.instance.proposals
            if p.is_keynote
            and p.pin is None
            and p.id in where
            and (mixed or p.language == first.language)
            and not themes.isdisjoint(p.themes)
        ]

    def _leftovers(self, group: list[str], size: int) -> Iterator[list[str]]:
        """Sets of `size` movable members of `group` that could leave it."""
        if size == 0:
            yield []
            return
        movable = [p for p in group if self._movable(p)]
        for chosen in itertools.combinations(movable, size):
            yield list(chosen)

    def _absorbers(self, left: list[str], used: tuple[str, ...]) -> list[str] | None:
        """A slot outside `used` for each leftover, whose workshop could take it."""
        leaving = {p for s in used for p in self.members[s]}
        added: dict[str, list[str]] = {}
        chosen = []
        for proposal_id in left:
            alone = self._joinable(proposal_id)
            for v in self.candidates.slots[proposal_id]:
                if v in used:
                    continue
                joining = added.get(v, []) + [proposal_id]
                if len(joining) == 1:
                    fits = bool(alone & self._slot_bit[v])
                else:
                    fits = self._could_join(v, joining)
                if fits and self._speakers_free(joining, v, leaving):
                    added[v] = joining
                    chosen.append(v)
                    break
            else:
                return None
        return chosen

    def _waiting_units(self) -> list[list[str]]:
        """Unplaced proposals with their unplaced `together` partners, the fewest candidate
        slots first (a unit with a partner placed elsewhere is left to the block search)."""
        waiting = self.unplaced()
        left = set(waiting)
        units = []
        for proposal_id in waiting:
            if proposal_id not in left:
                continue
            unit = [proposal_id]
            for other in unit:
                for partner in self.together_of.get(other, ()):
                    if partner not in unit:
                        unit.append(partner)
            left -= set(unit)
            if all(p in waiting for p in unit):
                unit.sort(key=lambda p: not self.instance.proposal_by_id[p].is_keynote)
                units.append(unit)
        # in a re-solve, the published ones first: each left out is a talk announced and
        # now cancelled, a never-published one a talk nobody was told about
        return sorted(
            units,
            key=lambda u: (
                bool(self._published) and u[0] not in self._published,
                len(self.candidates.slots[u[0]]),
                u,
            ),
        )

    def _candidate(self, proposal_id: str, slot_id: str) -> bool:
        """Whether the slot is a candidate of the proposal."""
        return bool(self._candidates_of(proposal_id) & self._slot_bit[slot_id])

    def _candidates_of(self, proposal_id: str) -> int:
        """The proposal's candidate slots, one bit per slot (a set per proposal took 35
        MiB on 2000 proposals)."""
        bits = self._candidate_bits.get(proposal_id)
        if bits is None:
            bits = sum(self._slot_bit[s] for s in self.candidates.slots[proposal_id])
            self._candidate_bits[proposal_id] = bits
        return bits

    def _movable(self, proposal_id: str) -> bool:
        proposal = self.instance.proposal_by_id[proposal_id]
        return proposal.pin is None and proposal_id not in self.together_of

    def _could_hold(self, proposal_ids: list[str], slot_id: str) -> bool:
        """These proposals could form a workshop in this slot: candidates there, counts,
        minutes, a theme they share, one language, slot locks, no `apart` pair."""
        self.deterministic_time += self.settings.check_deterministic_time
        if not proposal_ids:
            return True
        summed = self._summed(proposal_ids, self._slot_bit[slot_id])
        return summed is not None and self._within(slot_id, proposal_ids, summed)

    def _could_join(self, slot_id: str, joining: list[str]) -> bool:
        """`_could_hold` of the slot's workshop with `joining` added, from the workshop's
        sums kept until it changes (the relocations ask it of every candidate slot of
        every proposal they push out: most of their checks)."""
        self.deterministic_time += self.settings.check_deterministic_time
        bit = self._slot_bit[slot_id]
        here = self._sums.get(slot_id)
        if here is None:
            members = self.members[slot_id]
            here = self._sums[slot_id] = self._summed(members, bit) if members else None
        added = self._summed(joining, bit)
        if added is None:
            return False
        if here is not None:
            added = (
                here[0] + added[0],
                here[1] + added[1],
                here[2] & added[2],
                here[3] | added[3],
            )
        return self._within(slot_id, self.members[slot_id] + joining, added)

    def _joinable(self, proposal_id: str) -> int:
        """The bits of the slots whose workshop could take the proposal (`_could_join`),
        kept until any workshop changes (`_apply`)."""
        bits = self._joinable_bits.get(proposal_id)
        if bits is None:
            bits = 0
            for slot_id in self.candidates.slots[proposal_id]:
                if self._could_join(slot_id, [proposal_id]):
                    bits |= self._slot_bit[slot_id]
            self._joinable_bits[proposal_id] = bits
        return bits

    def _summed(
        self, proposal_ids: list[str], bit: int
    ) -> tuple[int, int, frozenset[str], frozenset[str]] | None:
        """Keynotes, minutes, shared themes and languages of these proposals, or None
        when the slot of `bit` is not a candidate of one of them."""
        keynotes = minutes = 0
        themes: frozenset[str] | None = None
        languages: frozenset[str] = frozenset()
        for proposal_id in proposal_ids:
            facts = self._facts.get(proposal_id)
            if facts is None:
                facts = self._facts[proposal_id] = self._facts_of(proposal_id)
            keynote, length, its_themes, language, candidate_bits = facts
            if not candidate_bits & bit:
                return None
            keynotes += keynote
            minutes += length
            themes = its_themes if themes is None else themes & its_themes
            languages = languages | language
        return keynotes, minutes, themes, languages

    def _within(
        self,
        slot_id: str,
        proposal_ids: list[str],
        summed: tuple[int, int, frozenset[str], frozenset[str]],
    ) -> bool:
        """The rest of `_could_hold`, from the proposals' sums (`_summed`)."""
        keynotes, minutes, themes, languages = summed
        rules = self.instance.rules
        if not rules.keynotes_per_workshop.min <= keynotes <= rules.keynotes_per_workshop.max:
            return False
        initiatives = len(proposal_ids) - keynotes
        if (
            not rules.initiatives_per_workshop.min
            <= initiatives
            <= rules.initiatives_per_workshop.max
        ):
            return False
        if self.frame[slot_id] - minutes < rules.participatory.min * keynotes:
            return False
        slot = self.instance.slot_by_id[slot_id]
        if not themes or (slot.theme is not None and slot.theme not in themes):
            return False
        if not rules.mixed_language and (
            len(languages) > 1 or (slot.language is not None and slot.language not in languages)
        ):
            return False
        if self._apart_groups:
            ids = set(proposal_ids)
            return all(len(ids & group) <= 1 for group in self._apart_groups)
        return True

    def _facts_of(self, proposal_id: str) -> tuple[bool, int, frozenset[str], frozenset[str], int]:
        """What `_could_hold` asks of a proposal: keynote or not, its minutes with a
        changeover, its themes, its language and its candidate slots' bits."""
        instance = self.instance
        proposal = instance.proposal_by_id[proposal_id]
        minutes = instance.talk_minutes(proposal) + instance.rules.changeover_minutes
        language = frozenset([proposal.language])
        themes = frozenset(proposal.themes)
        return proposal.is_keynote, minutes, themes, language, self._candidates_of(proposal_id)

    def _speakers_free(self, proposal_ids: list[str], slot_id: str, leaving: set[str]) -> bool:
        """No speaker of these proposals talks in this slot or an overlapping one, counting
        neither the proposals themselves nor those `leaving`."""
        speakers = [s for p in proposal_ids for s in self.instance.proposal_by_id[p].speakers]
        if len(speakers) != len(set(speakers)):
            return False
        wanted = set(speakers)
        ignore = leaving | set(proposal_ids)
        for other in (slot_id, *self.overlapping[slot_id]):
            for p in self.members[other]:
                if p not in ignore and not wanted.isdisjoint(
                    self.instance.proposal_by_id[p].speakers
                ):
                    return False
        return True

    def place_waiting(
        self,
        deadline: float,
        deterministic_budget: float | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        """Try the relocations of each unplaced unit (the fewest candidate slots first),
        up to `relocation_tries` each, until it is placed; again while any is accepted.
        `stop`, asked before each relocation, ends them early when it returns True.

        Each relocation is re-solved by CP-SAT with only its few slots free and every
        slot overlapping them held, so it is exact and takes a fraction of a second.
        A relocation already tried with the same workshops in its slots is skipped.
        """
        margin = self.settings.margin
        progress = True
        while progress:
            progress = False
            for unit in self._waiting_units():
                tries = self.settings.relocation_tries
                moves = itertools.islice(
                    self.relocations(unit, deadline - margin, deterministic_budget), tries
                )
                if self.reference is not None:  # and making way for it (`evictions`)
                    evictions = self.evictions(unit, deadline - margin, deterministic_budget)
                    moves = itertools.chain(moves, itertools.islice(evictions, tries))
                best = None  # in a re-solve: the cheapest of the relocations tried
                for free in moves:
                    if time.perf_counter() >= deadline - margin:
                        break
                    if (
                        deterministic_budget is not None
                        and self.deterministic_time >= deterministic_budget
                    ):
                        break
                    if unit[0] in self.placement():
                        break
                    if stop is not None and stop():
                        return
                    state = (unit[0], *((s, *self.members[s]) for s in sorted(free)))
                    if state in self._tried:
                        continue
                    self._tried.add(state)
                    slot_ids = set(free).union(*(self.overlapping[s] for s in free))
                    change = self._propose(
                        slot_ids,
                        set(free),
                        deadline,
                        f"{'+'.join(unit)} in {sorted(free)}",
                        self.settings.relocation_deterministic_time,
                    )
                    if change is None:
                        continue
                    if self.reference is None:
                        self._apply(*change)  # the first that places it
                        progress = True
                    elif best is None or change[0] < best[0]:
                        best = change
                if best is not None:
                    self._apply(*best)
                    progress = True
                if time.perf_counter() >= deadline - margin or (
                    deterministic_budget is not None
                    and self.deterministic_time >= deterministic_budget
                ):
                    return

    # -- one round -------------------------------------------------------------------

    def improve(self, blocks: list[int], deadline: float, free: set[str] | None = None) -> bool:
        """Re-solve the workshops of `blocks` (only the `free` slots when given, the others
        held); keep the result when it costs less."""
        slot_ids = {s.id for b in blocks for s in self.blocks[b]}
        return self._resolve(slot_ids, slot_ids if free is None else free, deadline, str(blocks))

    def _resolve(
        self,
        slot_ids: set[str],
        free: set[str],
        deadline: float,
        label: str,
        deterministic_time: float | None = None,
    ) -> bool:
        """Re-solve the `free` slots with the other `slot_ids` held (every slot overlapping
        a free one must be among them); keep the result when it costs less."""
        change = self._propose(slot_ids, free, deadline, label, deterministic_time)
        if change is None:
            return False
        self._apply(*change)
        return True

    def _propose(
        self,
        slot_ids: set[str],
        free: set[str],
        deadline: float,
        label: str,
        deterministic_time: float | None = None,
    ) -> tuple[int, dict[str, list[str]], dict[str, str]] | None:
        """What `_resolve` would keep: (its cost change, members and themes of `slot_ids`),
        or None when the slots' re-solve costs no less; nothing is changed."""
        self.rounds += 1
        proposal_ids = self._proposals_for(slot_ids, free)
        sub, sub_candidates = self._sub_instance(slot_ids, proposal_ids, free)
        current = self._sub_solution(sub, slot_ids)
        before = validate(sub, current, self.reference, history=False)
        if not before.ok:
            logger.warning("block search: current neighbourhood breaks rules %s", before.violations)
            return None
        built = WorkshopModel(sub, sub_candidates, reference=self.reference)
        built.hint(current)
        proto = built.model.proto
        self.largest_model = max(self.largest_model, (len(proto.variables), len(proto.constraints)))
        solver = cp_solver()
        params = solver.parameters
        cap = self.settings.round_seconds * (10 if self.deterministic else 1)
        params.max_time_in_seconds = max(0.05, min(cap, deadline - time.perf_counter()))
        params.max_deterministic_time = deterministic_time or self.settings.round_deterministic_time
        params.random_seed = self.seed + self.rounds
        params.num_workers = self.workers
        # Interleaved search follows the hint (plain parallel search lost it, measured)
        # and is reproducible.
        params.interleave_search = True
        # Presolve's symmetry breaking can cut off the hinted schedule, which the
        # search would then have to rediscover.
        params.symmetry_level = 0
        code = solve_interruptibly(solver, built.model, tick=self.on_round)
        response = solver.response_proto
        self.deterministic_time += response.deterministic_time
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        found = int(round(objective_of(built.model, response)))
        logger.debug(
            "round %d on %s: %s %d -> %d (bound %d, %.1fs)",
            self.rounds,
            label,
            solver.status_name(code),
            before.objective,
            found,
            solver.best_objective_bound,
            solver.wall_time,
        )
        if found >= before.objective:
            return None
        members = {s: [] for s in slot_ids}
        for (proposal_id, slot_id), var in built.vars.assign.items():
            if solver.boolean_value(var):
                members[slot_id].append(proposal_id)
        themes = {}
        for slot_id in slot_ids:
            chosen = [
                t
                for t in built.themes_of(slot_id)
                if solver.boolean_value(built.vars.theme[slot_id, t])
            ]
            if chosen:
                themes[slot_id] = chosen[0]
        candidate = self._sub_solution(sub, slot_ids, members, themes)
        after = validate(sub, candidate, self.reference, history=False)
        if not after.ok or after.objective != found:
            logger.warning(
                "block search: neighbourhood solution rejected (model %d, validator %d, %s)",
                found,
                after.objective,
                after.violations[:3],
            )
            return None
        return found - before.objective, members, themes

    def _apply(self, delta: int, members: dict[str, list[str]], themes: dict[str, str]) -> None:
        """Keep a proposed change (`_propose`)."""
        for slot_id in members:
            self.members[slot_id] = members[slot_id]
            self._sums.pop(slot_id, None)
            if members[slot_id]:
                self.theme[slot_id] = themes[slot_id]
            else:
                self.theme.pop(slot_id, None)
        self._joinable_bits.clear()
        self.accepted += 1
        self.objective_delta = delta
        if self.on_accept is not None:
            self.on_accept(self)

    def _sub_instance(
        self, slot_ids: set[str], proposal_ids: list[str], free: set[str]
    ) -> tuple[Instance, CandidateTable]:
        """The instance restricted to some slots and proposals: proposals outside the free
        slots, and split `together` groups, stay put; held workshops keep their theme."""
        instance = self.instance
        chosen = set(proposal_ids)
        where = self.placement()
        proposals: list[Proposal] = []
        table = CandidateTable()
        for proposal in instance.proposals:
            if proposal.id not in chosen:
                continue
            group = self.together_of.get(proposal.id, [])
            split = any(other not in chosen for other in group)
            if split and proposal.id not in where:
                continue  # its group is placed elsewhere: it cannot join here alone
            options = [s for s in self.candidates.slots[proposal.id] if s in free]
            held = proposal.id in where and where[proposal.id] not in free
            if split or held:
                proposal = proposal.model_copy(update={"pin": where[proposal.id]})
                options = [where[proposal.id]]
            proposals.append(proposal)
            table.slots[proposal.id] = options
            table.excluded[proposal.id] = {}
        kept = {p.id for p in proposals}
        constraints = instance.constraints.model_copy(
            update={
                "together": [
                    g for g in instance.constraints.together if all(p in kept for p in g.proposals)
                ],
                "apart": [
                    g.model_copy(update={"proposals": [p for p in g.proposals if p in kept]})
                    for g in instance.constraints.apart
                    if sum(p in kept for p in g.proposals) >= 2
                ],
            }
        )
        sub = Instance.model_construct(
            name=instance.name,
            event=instance.event,
            rules=instance.rules,
            themes=instance.themes,
            rooms=instance.rooms,
            slots=[self._held_slot(s, free) for s in instance.slots if s.id in slot_ids],
            speakers=instance.speakers,
            proposals=proposals,
            constraints=constraints,
        )
        return sub, table

    def _held_slot(self, slot: Slot, free: set[str]) -> Slot:
        """A held slot keeps its workshop's theme (or stays empty)."""
        if slot.id in free:
            return slot
        if self.members[slot.id]:
            return slot.model_copy(update={"theme": self.theme[slot.id]})
        return slot.model_copy(update={"closed": True})

    def _sub_solution(
        self,
        sub: Instance,
        slot_ids: set[str],
        members: dict[str, list[str]] | None = None,
        themes: dict[str, str] | None = None,
    ) -> Solution:
        members = members if members is not None else {s: self.members[s] for s in slot_ids}
        themes = themes if themes is not None else self.theme
        return schedule(sub, members, themes, status=Status.FEASIBLE)

    # -- the whole search ---------------------------------------------------------------

    def run(
        self,
        deadline: float,
        deterministic_budget: float | None = None,
        stop: Callable[[], bool] | None = None,
        stop_relocating: Callable[[], bool] | None = None,
    ) -> None:
        """Relocations for the unplaced proposals first (each costs the unscheduled weight,
        more than any other penalty), then block neighbourhoods; relocations again
        whenever a block neighbourhood is accepted while proposals are unplaced.
        `stop`, asked between rounds, ends the search early when it returns True;
        `stop_relocating`, asked between relocations, ends them (and `stop` is asked next)."""
        self.place_waiting(deadline, deterministic_budget, stop_relocating)
        for blocks, free in self.neighbourhoods():
            if time.perf_counter() >= deadline - self.settings.margin:
                break
            if stop is not None and stop():
                break
            if deterministic_budget is not None and self.deterministic_time >= deterministic_budget:
                break
            if self._size(blocks, free) > self.settings.max_pairs:
                continue
            if self.improve(blocks, deadline, free) and self.unplaced():
                self.place_waiting(deadline, deterministic_budget, stop_relocating)


def solve_by_blocks(
    instance: Instance,
    candidates: CandidateTable,
    start: Solution,
    seed: int,
    workers: int,
    deadline: float,
    deterministic_budget: float | None = None,
    on_accept: Callable[[BlockSearch], None] | None = None,
    stop: Callable[[], bool] | None = None,
    reference: Solution | None = None,
    stop_relocating: Callable[[], bool] | None = None,
    settings: LnsSettings = LnsSettings(),
    on_round: Callable[[], None] | None = None,
) -> tuple[Solution, BlockSearch]:
    """Improve `start` block by block until `deadline` (perf_counter seconds) or `stop()`
    (asked between rounds; `stop_relocating` between relocations); with `reference`,
    `moved` counts against it."""
    search = BlockSearch(
        instance, candidates, start, seed, workers, settings=settings, reference=reference
    )
    search.on_accept = on_accept
    search.on_round = on_round
    search.deterministic = deterministic_budget is not None
    search.run(deadline, deterministic_budget, stop, stop_relocating)
    result = schedule(instance, search.members, search.theme, Status.FEASIBLE)
    report = validate(instance, result, reference, history=False)
    result.objective = report.objective
    result.penalties = report.penalties()
    logger.info(
        "block search: %d rounds, %d accepted, objective %d",
        search.rounds,
        search.accepted,
        report.objective,
    )
    return result, search
