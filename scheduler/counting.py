"""A lower bound from counts alone: languages, themes, slot lengths and session blocks.

Forget speakers, availability, preferences and which proposal is which: what is left
is how many keynotes and initiatives of each language and set of themes are to be
placed, how many slots of each length each session block has, what each workshop
shape costs in idle minutes and participatory shortfall in a slot of that length, and
the language and theme pairs of the workshops a block holds at once. Every schedule
maps onto this program (2,700-35,300 columns at 150-2000 proposals), so its optimum
(or its LP's) bounds every schedule.

It is solved in 0.2-0.6 s, where the aggregated relaxation (`scheduler/relaxation.py`,
which also counts where each proposal can go) needs its program built and solved:
at 2000 proposals longer than the search has by the clock. There it bounds
bench-2000-easy at 50020 and bench-2000-tight at 50655 (the trivial bound: 20000; the
aggregated LP: 50120 / 50895). At 600 and 150 proposals the aggregated relaxation's LP
bound is higher (600-easy 10515 against 10585, 150-easy 2175 against 2180), but the
counting program is small enough there to be solved as an integer program, whose
bound can beat it (150-easy 2185, its optimum; 600-easy-s11 9570 against 9530).
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from scheduler.bound import LINK_NICE
from scheduler.candidates import CandidateTable
from scheduler.instance import Instance, Proposal, Slot
from scheduler.program import Background, Program, Terms, rounded_up
from scheduler.relaxation import MIXED, SEVERAL, clique_cover, talk_rows
from scheduler.shapes import frame_minutes, one_talk_shapes, overriding_talks, workshop_shapes

COUNTING_SECONDS = 10.0
"""Time limit of the counting program (a backstop: its LP takes 0.2-0.6 s at 2000
proposals, its integer program 0.6-0.7 s at 150)."""
MIP_COLUMNS = 5_000
"""Counting programs up to this many columns (the 150-proposal rungs: 2,700-3,400) are
solved as integer programs right after their LP. At 150 proposals its integer optimum can beat the
aggregated relaxation's bound of the same time: bench-150-easy 2185 (the instance's
optimum) in 0.6 s, where branch and bound on the aggregated program proves 2180 after
2-3 s and 2185 after 104 s."""
MIP_WORK = 200
"""Work budget of the counting integer program (`LowerBound.work`: 6-34 units to
optimality on the ladder's 40 and 150 rungs), so that its bound is the same whatever
the clock."""
LATE_MIP_COLUMNS = 12_000
"""Up to this many columns (the 600-proposal instances: 7,900-10,500) the LP's bound is
followed by the integer program's, at the lowest priority. Its integrality is what the
aggregated LP lacks on some instances: bench-600-easy-s11 9570 (its optimum: the root's
cuts give it) where the aggregated LP with its link rounds gives 9530; on the other 600
instances it stays under that LP (600-easy 10525 against 10585, 600-tight 9360 against
9435). At 2000 proposals (27,000-35,000 columns) 200 units of work took 22 s for 50715
on bench-2000-tight, where PDLP's LP gives 50700: not tried there."""
LATE_MIP_WORK = 10
"""Work budget of that integer program: 0.4-1.8 s alone at 600 proposals, and
bench-600-easy-s11's 9570 (after 5 units 9550; 50 or 200 units gave the same bounds in
1.3-5.4 s or up to 6.9 s). Measured by the clock beside the search (five 600 instances,
seeds 0-3, 30 s, alternated with the code without it): gaps under 2 % in 17 of 20 runs
against 13 of 20, 600-easy-s11 1.39-1.69 % against 1.80-2.11 %, the schedules the same
within the runs' spread (sum 201550 against 201830). Its time limit, `LATE_MIP_SECONDS`,
is a backstop only: at the lowest priority it may wait for the search's processes."""
LATE_MIP_SECONDS = 120.0


def trivial_bound(instance: Instance, candidates: CandidateTable) -> int:
    """A bound no search needs: proposals without a candidate slot are never placed, and
    every other penalty is non-negative."""
    unplaceable = sum(1 for p in instance.proposals if not candidates.slots[p.id])
    return instance.rules.weights.unscheduled * unplaceable


def counting_bound_later(instance: Instance, candidates: CandidateTable) -> LaterBound:
    """Start computing the counting bound in a child process (HiGHS runs in children
    only: a process that ran it and then forks leaves the child's HiGHS without its
    threads)."""
    return LaterBound(Background(_emit, (instance, candidates)))


class LaterBound:
    """The counting bound as it comes from its child process."""

    def __init__(self, child: Background):
        self._child = child
        self.answers: list[int] = []
        """The bounds come so far, in order."""

    def __call__(self, wait: float, last: bool = False) -> int | None:
        """The best bound come so far, waiting up to `wait` seconds for the first one
        (with `last`, for the child to end: what a run stopped on work needs, its file
        the same whatever the clock), else None."""
        deadline = time.perf_counter() + max(0.0, wait)
        while not self._child.finished:
            enough = bool(self.answers) and not last
            left = 0.0 if enough else max(0.0, deadline - time.perf_counter())
            self.answers.extend(self._child.received(left))
            if enough or time.perf_counter() >= deadline:
                break
        return max(self.answers) if self.answers else None

    @property
    def finished(self) -> bool:
        """Whether the child has said everything (a wait for its last bound that ends
        before this came to its clock limit)."""
        return self._child.finished

    def stop(self) -> None:
        """Stop the child: no better bound is wanted."""
        self._child.stop()


WorkshopKind = tuple[int, str, str, tuple[int, int]]
"""(frame minutes, language, theme, shape: keynotes and initiatives)."""


class CountedWorkshops(NamedTuple):
    """The counting program's integer optimum."""

    bound: int
    """The counting bound."""
    workshops: dict[WorkshopKind, int]
    """Its workshops of each kind, summed over the session blocks: what a schedule
    reaching the bound would have, were speakers and availability no obstacle. The
    search by cliques at 150 proposals starts from a schedule with as many
    (`scheduler.bound._guided`)."""


def counted_workshops(
    instance: Instance,
    candidates: CandidateTable,
    seconds: float = COUNTING_SECONDS,
    work: int = MIP_WORK,
) -> CountedWorkshops | None:
    """Solve the counting program (in this process) as an integer program, within
    `seconds` and `work` units; None when it is too large for one (`MIP_COLUMNS`), has
    nothing to place, or gave no solution. Stopped before its optimum, the bound is the
    program's dual bound and the workshops its best solution's."""
    counting = _counting(instance, candidates)
    if counting is None or counting.program.columns > MIP_COLUMNS:
        return None
    answer = counting.program.minimum(seconds, True, work=work)
    if answer.solution is None or not math.isfinite(answer.value):
        return None
    workshops: dict[WorkshopKind, int] = defaultdict(int)
    for column, kind in counting.kinds.items():
        workshops[kind] += answer.solution[column]
    return CountedWorkshops(
        counting.rounded(answer.value), {kind: n for kind, n in workshops.items() if n}
    )


def _emit(instance: Instance, candidates: CandidateTable, emit: Callable[[int], None]) -> None:
    """Pass on the counting bound: its LP's at once, then up to `LATE_MIP_COLUMNS` the
    integer program's when higher (above `MIP_COLUMNS` at the lowest priority: the
    search's processes first). The LP's first even where the integer program is small:
    a tight generated 200-proposal instance's took 5-7 s for its work budget, and by the
    clock the solve, waiting for a first bound (`COUNTING_WAIT`), ended 1.7 s past its
    8 s, or without it."""
    counting = _counting(instance, candidates)
    if counting is None:
        emit(trivial_bound(instance, candidates))
        return
    columns = counting.program.columns
    first = _solved(counting, False, MIP_WORK, COUNTING_SECONDS)
    emit(first)
    if columns <= LATE_MIP_COLUMNS:
        small = columns <= MIP_COLUMNS
        if not small and hasattr(os, "nice"):  # (Unix)
            os.nice(LINK_NICE)
        later = _solved(
            counting,
            True,
            MIP_WORK if small else LATE_MIP_WORK,
            COUNTING_SECONDS if small else LATE_MIP_SECONDS,
        )
        if later > first:
            emit(later)


def _solved(counting: _Counting, integral: bool, work: int, seconds: float) -> int:
    """A lower bound on every schedule's objective: the unplaceable proposals' cost plus
    the counting program's bound (its integer program's, stopped after `work` units,
    when `integral`, else its LP's), rounded up to the costs' common divisor."""
    answer = counting.program.minimum(seconds, integral, work=work if integral else None)
    if not math.isfinite(answer.value):
        return counting.unplaceable
    return counting.rounded(answer.value)


@dataclass
class _Counting:
    """The counting program, and what reads its solutions."""

    program: Program
    kinds: dict[int, WorkshopKind]
    """The workshop columns' kinds."""
    unplaceable: int
    """The cost of the proposals without a candidate slot."""
    step: int
    """What divides every schedule's cost (beside `unplaceable`)."""

    def rounded(self, value: float) -> int:
        """The bound on every schedule's objective from a bound on the program's."""
        return self.unplaceable + max(0, rounded_up(value, self.step or 1))


def _counting(instance: Instance, candidates: CandidateTable) -> _Counting | None:
    """The counting program; None when no proposal can be placed.

    The program relaxes the schedule: each workshop is counted in its session block
    (a group of mutually overlapping slots, `clique_cover`), by its slot length,
    language, theme and shape (keynotes, initiatives); a block's slots of one length
    hold at most as many workshops, and those of one language at most the slots that
    language's proposals can reach (candidates, language locks). The proposals are
    counted by language, format and themes: each is placed under one of its themes
    (the secondary-theme weight unless its first) or left out, and the keynotes and
    initiatives placed under a language and theme fill the shapes of its workshops.
    Where languages mix, a workshop holding both has its own key (`MIXED`): it holds
    one proposal of each language at least (summed per theme) and counts in both
    languages' pairs. Where talks override their length, the workshops holding one are
    counted apart too (no more than those talks placed there). Costs: idle and
    shortfall minutes per shape (for those workshops, the least with any of the talks
    that override their length), secondary themes, leaving out,
    and C(n, 2) language pairs and theme pairs per block. Preferences and pairs between blocks are dropped (they only add
    cost), as are speakers, theme locks, pins and groups (they only forbid
    schedules)."""
    placeable = [p for p in instance.proposals if candidates.slots[p.id]]
    if not placeable:
        return None
    counted = _CountingProgram(instance, candidates, placeable)
    for block in clique_cover([s for s in instance.slots if not s.closed]):
        counted.block(block)
    counted.proposals()
    counted.members()
    return counted.result()


class _CountingProgram:
    """The counting program (`_counting`) as it is built: the proposals' classes, the
    (language, theme) keys of workshops, and the columns the rows after them read."""

    def __init__(self, instance: Instance, candidates: CandidateTable, placeable: list[Proposal]):
        self.instance, self.candidates = instance, candidates
        rules = instance.rules
        # proposals by language, format and themes (their first theme is their own)
        # (and their talk's minutes where they override their format's length)
        self.classes: dict[tuple[str, bool, tuple[str, ...], int | None], int] = defaultdict(int)
        self.reach: dict[str, set[str]] = defaultdict(set)  # slots per language
        for proposal in placeable:
            language = proposal.language.value
            minutes = instance.talk_minutes(proposal)
            own = minutes if minutes != rules.talk_minutes(proposal.format) else None
            self.classes[language, proposal.is_keynote, tuple(proposal.themes), own] += 1
            self.reach[language].update(candidates.slots[proposal.id])
        keys = {(language, t) for (language, _, themes, _) in self.classes for t in themes}
        self.languages = sorted({language for language, _ in keys})
        if rules.mixed_language:  # workshops holding both languages, where a theme has both
            spoken: dict[str, set[str]] = defaultdict(set)
            for language, theme in keys:
                spoken[theme].add(language)
            keys |= {(MIXED, theme) for theme, these in spoken.items() if len(these) > 1}
            self.reach[MIXED] = set.intersection(*(self.reach[lang] for lang in self.languages))
        self.keys = sorted(keys)
        self.lengths = overriding_talks(instance, placeable)
        self.overrides = any(self.lengths)
        # the talks of their own length that can join the workshops of each (language, theme)
        self.talks_to: dict[tuple[str, str], Counter[tuple[bool, int]]] = defaultdict(Counter)
        for (language, keynote, themes, own), count in self.classes.items():
            if own is not None:
                for theme in themes:
                    for joined in (language, MIXED):
                        self.talks_to[joined, theme][keynote, own] += count
        self.program = Program()
        self.kinds: dict[int, WorkshopKind] = {}
        # workshops' keynotes and initiatives per (language, theme)
        self.keynotes: dict[tuple[str, str], Terms] = defaultdict(list)
        self.initiatives: dict[tuple[str, str], Terms] = defaultdict(list)
        self.mixed_workshops: dict[str, Terms] = defaultdict(list)  # per theme
        # workshops holding one talk of their own length, by talk, and holding several
        self.by_talk: dict[tuple[str, str, tuple[bool, int]], Terms] = defaultdict(list)
        self.several: dict[tuple[str, str], Terms] = defaultdict(list)
        # the proposals' flows: placed per (keynote, language, theme), into mixed
        # workshops per (theme, language), talks of their own length per key and talk
        self.placed: dict[tuple[bool, str, str], Terms] = defaultdict(list)
        self.mixing: dict[tuple[str, str], Terms] = defaultdict(list)
        self.talk_placed: dict[tuple[str, str, tuple[bool, int]], Terms] = defaultdict(list)

    def block(self, block: list[Slot]) -> None:
        """A session block's workshops, counted by slot length, language, theme and
        shape, at most its slots of that length (of those a language reaches, per
        language), and the C(n, 2) steps of its language and theme pairs."""
        rules, program = self.instance.rules, self.program
        weights = rules.weights
        # workshops per language and per theme in the block, for their pairs
        pairs: dict[tuple[str, str], Terms] = defaultdict(list)
        by_frame = defaultdict(list)
        for slot in block:
            by_frame[frame_minutes(rules, slot)].append(slot)
        for frame, slots in sorted(by_frame.items()):
            # (where talks override their length, the workshops holding one are counted
            # apart by that talk, at its exact minutes, and those holding several (where
            # two may join) at the least minutes with any of them: as in the relaxation)
            shapes = workshop_shapes(rules, frame)
            others = workshop_shapes(rules, frame, self.lengths) if self.overrides else {}
            here: dict[str, Terms] = defaultdict(list)  # per language
            every: Terms = []
            for language, theme in self.keys:
                # (a mixed workshop holds each language, and makes pairs in each)
                held = self.languages if language == MIXED else [language]
                counted = self._shapes(frame, shapes, others, language, theme)
                for (k, i), (idle, short), own in counted:
                    if language == MIXED and k + i < 2:
                        continue
                    cost = weights.idle_minutes * idle + weights.participatory_target * short
                    column = program.var(len(slots), cost=cost)
                    self.kinds[column] = (frame, language, theme, (k, i))
                    every.append((column, 1))
                    for spoken_here in sorted({language, *held}):
                        here[spoken_here].append((column, 1))
                    for spoken_here in held:
                        pairs["language", spoken_here].append((column, 1))
                    pairs["theme", theme].append((column, 1))
                    self.keynotes[language, theme].append((column, k))
                    self.initiatives[language, theme].append((column, i))
                    if language == MIXED:
                        self.mixed_workshops[theme].append((column, 1))
                    if own == SEVERAL:
                        self.several[language, theme].append((column, 1))
                    elif own is not None:
                        self.by_talk[language, theme, own].append((column, 1))
            program.row(every, upper=len(slots))
            for language, terms in here.items():
                room = sum(
                    1
                    for s in slots
                    if s.id in self.reach[language]
                    and (s.language is None or s.language.value == language)
                )
                program.row(terms, upper=room)
        for (kind, _), terms in sorted(pairs.items()):
            weight = weights.parallel_language if kind == "language" else weights.parallel_theme
            if weight <= 0:
                continue
            # C(n, 2) as unit steps of increasing cost (exact for integer n)
            steps = [program.var(1, cost=weight * j) for j in range(len(block))]
            program.row([*terms, *((s, -1) for s in steps)], 0, 0)

    def _shapes(
        self, frame: int, shapes: dict, others: dict, language: str, theme: str
    ) -> list[tuple]:
        """The shapes a (language, theme) workshop of `frame` minutes is counted under,
        with their (idle, short) minutes and the talk of its own length it holds: None,
        each talk that can join it (`one_talk_shapes`), and `SEVERAL` (the `others`
        shapes) where two may join."""
        joining = self.talks_to.get((language, theme), Counter())
        counted = [(shape, kind, None) for shape, kind in sorted(shapes.items())]
        for talk in sorted(joining):
            these = one_talk_shapes(self.instance.rules, frame, *talk)
            counted += [(shape, kind, talk) for shape, kind in sorted(these.items())]
        if sum(joining.values()) >= 2:
            counted += [(shape, kind, SEVERAL) for shape, kind in sorted(others.items())]
        return counted

    def proposals(self) -> None:
        """Each class's proposals placed under one of its themes (the secondary-theme
        weight unless its first) or left out."""
        program, weights = self.program, self.instance.rules.weights
        for (language, keynote, themes, own), count in sorted(
            self.classes.items(), key=lambda item: (*item[0][:3], item[0][3] or 0)
        ):
            flows: Terms = []
            for theme in themes:
                secondary = weights.secondary_theme if theme != themes[0] else 0
                for joined in (language, MIXED):
                    if (joined, theme) not in self.keys:
                        continue
                    flow = program.var(count, cost=secondary)
                    flows.append((flow, 1))
                    self.placed[keynote, joined, theme].append((flow, 1))
                    if joined == MIXED:
                        self.mixing[theme, language].append((flow, 1))
                    if own is not None:
                        self.talk_placed[joined, theme, (keynote, own)].append((flow, 1))
            left_out = program.var(count, cost=weights.unscheduled)
            program.row([*flows, (left_out, 1)], count, count)

    def members(self) -> None:
        """The keynotes and initiatives placed under a language and theme fill the
        shapes of its workshops; the workshops counted as holding talks of their own
        length hold them; a mixed workshop holds a proposal of each language."""
        program, rules = self.program, self.instance.rules
        for key in self.keys:
            for keynote, filled in ((True, self.keynotes[key]), (False, self.initiatives[key])):
                program.row([*self.placed[keynote, *key], *((c, -n) for c, n in filled)], 0, 0)
        # (as in the relaxation: `talk_rows`)
        most = rules.keynotes_per_workshop.max + rules.initiatives_per_workshop.max
        for key in sorted({(language, theme) for language, theme, _ in self.talk_placed}):
            talks = sorted(self.talks_to.get(key, ()))
            talk_rows(
                program,
                {talk: self.by_talk.get((*key, talk), []) for talk in talks},
                {talk: self.talk_placed[(*key, talk)] for talk in talks},
                self.several.get(key, []),
                most,
            )
        for (theme, _), terms in sorted(self.mixing.items()):
            program.row([*terms, *((c, -1) for c, _ in self.mixed_workshops[theme])], lower=0)

    def result(self) -> _Counting:
        """The program with its columns' kinds, and the divisor of every schedule's cost:
        of the program's costs and of the weights of what the program drops."""
        weights = self.instance.rules.weights
        step = self.program.granularity()
        dropped = [weights.parallel_theme, weights.parallel_language]
        dropped += [weights.speaker_preference, weights.moved]
        if self.several:  # (a workshop holding one such talk costs a column's)
            dropped += [weights.idle_minutes, weights.participatory_target]
        for weight in dropped:
            step = math.gcd(step, weight)
        unplaceable = trivial_bound(self.instance, self.candidates)
        return _Counting(self.program, self.kinds, unplaceable, step)
