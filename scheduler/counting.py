"""A lower bound from counts alone: languages, slot lengths and session blocks.

Forget themes, speakers, preferences and which proposal is which: what is left is how
many keynotes and initiatives of each language are to be placed, how many slots of
each length each session block has, what each workshop shape costs in idle minutes
and participatory shortfall in a slot of that length, and the language pairs of the
workshops a block holds at once. Every schedule maps onto this small program (a few
thousand columns even at 2000 proposals), so its LP optimum bounds every schedule.

It is solved in milliseconds, where the aggregated relaxation
(`scheduler/bound.py`) needs its program built and solved, which at 2000 proposals
takes longer than the search has by the clock. On the ladder it bounds bench-2000-easy
at 42800 (the trivial bound: 20000; the aggregated LP: 50120) and bench-2000-tight at
43370 (50895).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

from scheduler.bound import clique_cover, rounded_up
from scheduler.candidates import CandidateTable
from scheduler.instance import Instance
from scheduler.program import Background, Program, Terms
from scheduler.shapes import frame_minutes, workshop_shapes

COUNTING_SECONDS = 5.0
"""Time limit of the counting program's LP (it takes 0.01-0.05 s at 2000 proposals)."""


def counting_bound(instance: Instance, candidates: CandidateTable, wait: float = 10.0) -> int:
    """The counting bound, computed in a child process (waiting up to `wait` seconds;
    the trivial bound if it has not come by then)."""
    answer = counting_bound_later(instance, candidates)(wait)
    if answer is None:
        unplaceable = sum(1 for p in instance.proposals if not candidates.slots[p.id])
        return instance.rules.weights.unscheduled * unplaceable
    return answer


def counting_bound_later(
    instance: Instance, candidates: CandidateTable
) -> Callable[[float], int | None]:
    """Start computing the counting bound in a child process (HiGHS runs in children
    only: a process that ran it and then forks leaves the child's HiGHS without its
    threads); the function returned gives it once it has come, waiting up to the
    seconds it is passed, else None."""
    child = Background(_emit, (instance, candidates))
    answers: list[int] = []

    def answer(wait: float) -> int | None:
        if not answers:
            answers.extend(child.received(wait))
        return answers[0] if answers else None

    return answer


def _emit(instance: Instance, candidates: CandidateTable, emit: Callable[[int], None]) -> None:
    emit(_counted(instance, candidates))


def _counted(instance: Instance, candidates: CandidateTable) -> int:
    """A lower bound on every schedule's objective: the unplaceable proposals' cost plus
    the counting program's LP optimum, rounded up to the costs' common divisor.

    The program relaxes the schedule: each workshop is counted in its session block
    (a group of mutually overlapping slots, `clique_cover`), its slot length and its
    language, with its shape (keynotes, initiatives); a block's slots of one length
    hold at most as many workshops, and those of one language at most the slots that
    language's proposals can reach (candidates, language locks). Each placeable
    keynote and initiative of a language is in a workshop of that language or left
    out. Costs: idle and shortfall minutes per shape (none where a talk overrides its
    length), leaving out, and C(n, 2) language pairs per block and language. Themes,
    preferences and pairs between blocks are dropped (they only add cost), as are
    speakers, pins and groups (they only forbid schedules)."""
    rules = instance.rules
    weights = rules.weights
    placeable = [p for p in instance.proposals if candidates.slots[p.id]]
    unplaceable = weights.unscheduled * (len(instance.proposals) - len(placeable))
    if not placeable:
        return unplaceable
    mixed = rules.mixed_language

    def language_of(proposal) -> str:
        return "*" if mixed else proposal.language.value

    languages = sorted({language_of(p) for p in placeable})
    reach: dict[str, set[str]] = defaultdict(set)
    for proposal in placeable:
        reach[language_of(proposal)].update(candidates.slots[proposal.id])
    overrides = any(p.minutes is not None for p in instance.proposals)
    k_range, i_range = rules.keynotes_per_workshop, rules.initiatives_per_workshop
    program = Program()
    keynotes: dict[str, Terms] = defaultdict(list)
    initiatives: dict[str, Terms] = defaultdict(list)
    blocks = clique_cover([s for s in instance.slots if not s.closed])
    for block in blocks:
        in_block: dict[str, Terms] = defaultdict(list)  # workshops per language
        by_frame = defaultdict(list)
        for slot in block:
            by_frame[frame_minutes(rules, slot)].append(slot)
        for frame, slots in sorted(by_frame.items()):
            if overrides:  # any composition, no minute costs
                shapes = {
                    (k, i): (0, 0)
                    for k in range(k_range.min, k_range.max + 1)
                    for i in range(i_range.min, i_range.max + 1)
                    if k + i > 0
                }
            else:
                shapes = workshop_shapes(rules, frame)
            here: Terms = []
            for language in languages:
                room = sum(
                    1
                    for s in slots
                    if s.id in reach[language]
                    and (mixed or s.language is None or s.language.value == language)
                )
                if not room:
                    continue
                counts: Terms = []
                for (k, i), (idle, short) in sorted(shapes.items()):
                    column = program.var(
                        room,
                        cost=weights.idle_minutes * idle + weights.participatory_target * short,
                    )
                    counts.append((column, 1))
                    keynotes[language].append((column, k))
                    initiatives[language].append((column, i))
                program.row(counts, upper=room)
                here += counts
                in_block[language] += counts
            program.row(here, upper=len(slots))
        if not mixed and weights.parallel_language > 0:
            for terms in in_block.values():
                # C(n, 2) as unit steps of increasing cost (exact for integer n)
                steps = [
                    program.var(1, cost=weights.parallel_language * j) for j in range(len(block))
                ]
                program.row([*terms, *((s, -1) for s in steps)], 0, 0)
    for language in languages:
        members = [p for p in placeable if language_of(p) == language]
        k = sum(p.is_keynote for p in members)
        for talks, count in ((keynotes[language], k), (initiatives[language], len(members) - k)):
            left_out = program.var(count, cost=weights.unscheduled)
            program.row([*talks, (left_out, 1)], count, count)
    answer = program.minimum(COUNTING_SECONDS, False)
    if not math.isfinite(answer.value):
        return unplaceable
    # every schedule's cost is a multiple of the program's costs' divisor and of the
    # weights of what the program drops
    step = program.granularity()
    dropped = [weights.secondary_theme, weights.parallel_theme, weights.parallel_language]
    dropped += [weights.speaker_preference, weights.moved]
    if overrides:
        dropped += [weights.idle_minutes, weights.participatory_target]
    for weight in dropped:
        step = math.gcd(step, weight)
    return unplaceable + max(0, rounded_up(answer.value, step or 1))
