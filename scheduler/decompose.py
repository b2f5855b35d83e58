"""Solve large instances block by block: large-neighbourhood search over session blocks.

Slots split into overlap components ("blocks": slots linked by overlapping times).
Two blocks share no speaker clash and no parallel-theme or parallel-language pair,
so with the proposals of the other blocks held where they are, re-solving the
workshops of a few blocks is an exact sub-problem: the same `WorkshopModel` on a
sub-instance made of those blocks' slots, the proposals placed there and the
unplaced proposals that could go there. Starting from the greedy schedule, each
round re-solves one neighbourhood (first every block once, then seeded random
pairs of blocks and the blocks where unplaced proposals could go) and keeps the
result when it costs no more. The direct model needs one literal per proposal and
candidate slot of the whole instance; a neighbourhood needs a few percent of them.

The search proves no bound for the whole instance: the solution has `bound` None.
Each accepted neighbourhood's CP-SAT objective is checked against the validator's
recomputation on the sub-instance, and the final objective and penalty totals are
the validator's recomputation for the whole schedule.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.candidates import CandidateTable
from scheduler.instance import Instance, Proposal, Slot
from scheduler.model import WorkshopModel, overlap_components
from scheduler.solution import Penalty, Solution, Status, Unscheduled, Workshop
from scheduler.validate import validate

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
    ):
        self.instance = instance
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
        self.rounds = 0
        self.accepted = 0
        self.deterministic_time = 0.0
        self.largest_model = (0, 0)
        self.on_accept: Callable[[BlockSearch], None] | None = None

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

    # -- one round -------------------------------------------------------------------

    def improve(self, blocks: list[int], deadline: float, free: set[str] | None = None) -> bool:
        """Re-solve the workshops of `blocks` (only the `free` slots when given, the others
        held); keep the result when it costs less."""
        self.rounds += 1
        slot_ids = {s.id for b in blocks for s in self.blocks[b]}
        free = slot_ids if free is None else free
        proposal_ids = self._proposals_for(slot_ids, free)
        sub, sub_candidates = self._sub_instance(slot_ids, proposal_ids, free)
        current = self._sub_solution(sub, slot_ids)
        before = validate(sub, current)
        if not before.ok:
            logger.warning("block search: current neighbourhood breaks rules %s", before.violations)
            return False
        built = WorkshopModel(sub, sub_candidates)
        built.hint(current)
        proto = built.model.proto
        self.largest_model = max(self.largest_model, (len(proto.variables), len(proto.constraints)))
        solver = cp_model.CpSolver()
        params = solver.parameters
        cap = self.settings.round_seconds * (10 if self.deterministic else 1)
        params.max_time_in_seconds = max(0.05, min(cap, deadline - time.perf_counter()))
        params.max_deterministic_time = self.settings.round_deterministic_time
        params.random_seed = self.seed + self.rounds
        params.num_workers = self.workers
        # Interleaved search follows the hint (plain parallel search lost it, measured)
        # and is reproducible.
        params.interleave_search = True
        # Presolve's symmetry breaking can cut off the hinted schedule, which the
        # search would then have to rediscover.
        params.symmetry_level = 0
        code = solver.solve(built.model)
        self.deterministic_time += solver.deterministic_time
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        found = int(round(solver.objective_value))
        logger.debug(
            "round %d on blocks %s: %s %d -> %d (bound %d, %.1fs)",
            self.rounds,
            blocks,
            solver.status_name(code),
            before.objective,
            found,
            solver.best_objective_bound,
            solver.wall_time,
        )
        if found >= before.objective:
            return False
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
        after = validate(sub, candidate)
        if not after.ok or after.objective != found:
            logger.warning(
                "block search: neighbourhood solution rejected (model %d, validator %d, %s)",
                found,
                after.objective,
                after.violations[:3],
            )
            return False
        for slot_id in slot_ids:
            self.members[slot_id] = members[slot_id]
            if members[slot_id]:
                self.theme[slot_id] = themes[slot_id]
            else:
                self.theme.pop(slot_id, None)
        self.accepted += 1
        self.objective_delta = found - before.objective
        if self.on_accept is not None:
            self.on_accept(self)
        return True

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

    def run(self, deadline: float, deterministic_budget: float | None = None) -> None:
        for blocks, free in self.neighbourhoods():
            if time.perf_counter() >= deadline - 0.2:
                break
            if deterministic_budget is not None and self.deterministic_time >= deterministic_budget:
                break
            if self._size(blocks, free) > self.settings.max_pairs:
                continue
            self.improve(blocks, deadline, free)


def schedule(
    instance: Instance,
    members: dict[str, list[str]],
    themes: dict[str, str],
    status: Status,
) -> Solution:
    """A Solution (workshops with timelines, unscheduled list) from members per slot."""
    from scheduler.solve import timeline

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
        Unscheduled(proposal=p.id, reasons=["not placed"])
        for p in instance.proposals
        if p.id not in placed
    ]
    return solution


def solve_by_blocks(
    instance: Instance,
    candidates: CandidateTable,
    start: Solution,
    seed: int,
    workers: int,
    deadline: float,
    deterministic_budget: float | None = None,
    on_accept: Callable[[BlockSearch], None] | None = None,
) -> tuple[Solution, BlockSearch]:
    """Improve `start` block by block until `deadline` (perf_counter seconds)."""
    search = BlockSearch(instance, candidates, start, seed, workers)
    search.on_accept = on_accept
    search.deterministic = deterministic_budget is not None
    search.run(deadline, deterministic_budget)
    result = schedule(instance, search.members, search.theme, Status.FEASIBLE)
    report = validate(instance, result)
    result.objective = report.objective
    result.penalties = [
        Penalty(rule=rule, cost=cost, detail=f"{rule}: total over the schedule (solved by blocks)")
        for rule, cost in report.costs.items()
        if cost
    ]
    logger.info(
        "block search: %d rounds, %d accepted, objective %d",
        search.rounds,
        search.accepted,
        report.objective,
    )
    return result, search
