"""The search by cliques: a large-neighbourhood search on the aggregated program
(`scheduler.relaxation`).

Each round frees a few cliques' workshops and flows (or a theme's, a language's, the
initiatives', or parts of two cliques at 2000 proposals), holds the rest at the current
solution and solves that small integer program; rounds run two at a time in helper
processes where the program is large. See docs/solver.md, "The aggregated relaxation".
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from scheduler.program import Background, Helper, LowerBound, Program, ready
from scheduler.relaxation import Relaxation

logger = logging.getLogger(__name__)


def search_by_parts(
    relaxation: Relaxation,
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
        for values, value in search_by_cliques(
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


THEME = "theme"
"""`search_by_cliques`'s themes round, `(THEME, theme)`: one theme's workshop counts and
flows free in every clique, with every clique's pair-count steps, speakers' places and
the proposals left out, the other themes held. It spreads a theme's workshops anew over
all the cliques, which rounds of a few cliques do a pair at a time. One round per theme
in turn while the cost has changed since that theme's last; at 150 proposals only in the
last second (`POLISH_SECONDS`). Measured: bench/HISTORY.md, "What was tried"."""
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
"""`search_by_cliques`'s initiatives round: every clique's workshop counts, pair steps,
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
"""Slots freed in the first rounds of `search_by_cliques`: whole cliques, at least two,
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


def search_by_cliques(
    relaxation: Relaxation,
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
    cliques = _Cliques(relaxation, languages=bool(helpers) and parts is None)
    if len(cliques.groups) < 2:
        return
    search = _CliqueSearch(cliques, start, deadline, seed, holds, work, helpers, parts)
    yield from search.run(between, guide)


class _Cliques:
    """What the rounds of `search_by_cliques` free, by clique (a `group` of slot
    classes): each slot class's workshops and flows, the columns that only follow a
    clique's workshops (held with them: its pair-count steps and speakers' places), and
    the columns an initiatives round holds."""

    def __init__(self, relaxation: Relaxation, languages: bool):
        self.relaxation = relaxation
        self.by_class: dict[int, list[int]] = defaultdict(list)
        for (sc, _, _), counts in relaxation.workshops.items():
            self.by_class[sc].extend(counts)
        for _, sc, _, column in relaxation.flows:
            self.by_class[sc].append(column)
        self.following: dict[int, list[int]] = defaultdict(list)
        for (chosen, _), group in zip(relaxation.where, relaxation.where_group, strict=True):
            self.following[group].append(chosen)
        for (_, steps), group in zip(relaxation.steps, relaxation.step_group, strict=True):
            self.following[group].extend(steps)
        self.classes_of: dict[int, list[int]] = defaultdict(list)
        for sc, slot_class in enumerate(relaxation.slot_classes):
            self.classes_of[slot_class.group].append(sc)
        self.by_group: dict[int, list[int]] = {}  # a whole clique's columns
        for group in set(self.classes_of) | set(self.following):
            columns = [c for sc in self.classes_of[group] for c in self.by_class[sc]]
            columns += self.following[group]
            if columns:
                self.by_group[group] = columns
        self.groups = sorted(self.by_group)
        self.size: dict[int, int] = defaultdict(int)  # slots per clique
        for slot_class in relaxation.slot_classes:
            self.size[slot_class.group] += len(slot_class.slots)
        self.language_columns = relaxation.language_columns() if languages else {}
        # an initiatives round holds the keynotes' flows, and those of speakers with
        # several talks (moved across cliques, they would clash more often than not)
        self.initiatives_hold = np.zeros(relaxation.program.columns, dtype=bool)
        for cls, _, _, column in relaxation.flows:
            if cls.keynote or any(relaxation._several_talks(p) for p in cls.proposals):
                self.initiatives_hold[column] = True

    def hold(
        self, free: set[int], language: str | None, part_of: dict[int, set[int]] | None
    ) -> np.ndarray:
        """The columns a round of the cliques `free` holds: the other cliques' (and with
        a `language`, the other languages'), or with `part_of` (slot classes drawn per
        clique, taken) all but those parts and the proposals left out."""
        program = self.relaxation.program
        if part_of is None:
            hold = np.zeros(program.columns, dtype=bool)
            for group in self.groups:
                if group not in free:
                    hold[self.by_group[group]] = True
            if language is not None:
                for other, columns in self.language_columns.items():
                    if other != language:
                        hold[columns] = True
            return hold
        hold = np.ones(program.columns, dtype=bool)
        hold[self.relaxation.left_out] = False
        for group in free:
            for sc in part_of.pop(group):
                hold[self.by_class[sc]] = False
            hold[self.following[group]] = False
        return hold


class _CliqueSearch:
    """The state of one `search_by_cliques`: the current solution and its cost, the
    budget spent, the rounds' reach, the settled neighbourhoods and the lanes' rounds."""

    def __init__(
        self,
        cliques: _Cliques,
        start: list[int],
        deadline: float,
        seed: int,
        holds: Callable[[list[int]], bool],
        work: int | None,
        helpers: list[Helper] | Helper | None,
        parts: int | None,
    ):
        self.cliques, self.relaxation = cliques, cliques.relaxation
        self.program = self.relaxation.program
        self.deadline, self.holds, self.work, self.parts = deadline, holds, work, parts
        self.rng = random.Random(seed)
        self.costs = np.asarray(self.program.cost, dtype=float)
        self.current = list(start)
        self.cost = sum(c * v for c, v in zip(self.program.cost, self.current, strict=True))
        self.spent = 0
        # a neighbourhood solved to optimality without gain stays settled until one of
        # its cliques changes: drawing it again would repeat the round
        self.version = dict.fromkeys(cliques.groups, 0)
        self.settled: set[tuple] = set()
        # slots a round frees, adapted to the rounds: clique rounds' (None) and each
        # language's rounds', which start where they free about as many columns as a
        # clique round (at most LANGUAGE_REACH times its slots) and adapt apart: at 600
        # proposals French holds two thirds of the columns, and its rounds at the reach
        # of English's were cut short while English's ended exactly
        self.most = sum(cliques.size.values())
        self.languages = sorted(cliques.language_columns)
        self.reaches = {
            None: float(CLIQUE_SLOTS),
            **_language_reaches(cliques.language_columns),
        }
        self.part_of: dict[int, set[int]] = defaultdict(set)  # with `parts`: drawn classes
        self.several = self.relaxation.several_list
        self.themes = sorted(self.relaxation.theme_columns())
        self.theme_cost = dict.fromkeys(self.themes, math.inf)  # at each theme's last round
        self.turn = 0  # the themes take turns
        # at LP size only (whole cliques, helpers): at 150 proposals branch and bound
        # keeps the other core, and the rounds cost more than they gain there
        self.initiatives = bool(helpers) and parts is None
        # without helpers (150 proposals), by the clock, themes rounds polish the end
        self.polish = not helpers and parts is None and work is None
        self.vertex: np.ndarray | None = None
        # the cost when the last round of each kind of their own began or ended: a
        # guided round from it gains nothing; an initiatives round waits for a fall of
        # INITIATIVES_DROP
        self.last_cost: dict[str | None, float] = {None: math.inf, INITIATIVES: math.inf}
        # the lanes that solve clique rounds (see above): two helpers, or this process
        # and the helper, or this process alone
        if helpers is None:
            helpers = []
        elif isinstance(helpers, Helper):
            helpers = [helpers]
        self.lanes: list[Helper | _Here] = helpers if len(helpers) > 1 else [_Here(), *helpers]
        self.shrink = REACH_SHRINK if helpers else REACH_SHRINK_ALONE
        self.running: dict[int, _Round] = {}  # by lane
        self.drawn = 0  # rounds drawn so far
        self.lost: set[int] = set()  # lanes whose answer never came: no more rounds there

    def run(
        self,
        between: Callable[[int], tuple[list[int] | None, bool]],
        guide: Callable[[int], np.ndarray | None] | None,
    ) -> Iterator[tuple[list[int], float]]:
        """The rounds, until the budget or the time is spent or `between` says stop;
        yields each better solution with its cost."""
        while True:
            if self.going() and self.drawn % len(self.lanes) == 0:
                elsewhere, stop = between(self.spent)
                if stop:
                    break
                if elsewhere is not None:
                    self.current = list(elsewhere)
                    self.cost = float(np.dot(self.costs, self.current))
                    self.changed_everywhere()
                if self.vertex is None and guide is not None:
                    self.vertex = guide(self.spent)
                yield from self.rounds_of_their_own()
            if self.going():
                for lane in range(len(self.lanes)):
                    if lane not in self.running and lane not in self.lost and self.going():
                        self.start(lane)
            if not self.running:
                break
            yield from self.kept(self.receive())

    def rounds_of_their_own(self) -> Iterator[tuple[list[int], float]]:
        """The guided, initiatives and themes rounds that are due, each changing every
        clique: the rounds running end first (their changes would rarely still fit
        after it)."""
        while self.running and (
            any(self.due(kind) for kind in (None, INITIATIVES))
            or (
                self.initiatives and any(self.theme_cost[t] > self.cost + 1e-6 for t in self.themes)
            )
        ):
            yield from self.kept(self.receive())
        for kind in (None, INITIATIVES):
            if not self.due(kind) or not self.going():
                continue
            self.last_cost[kind] = self.cost
            better = self.alone(kind)
            if better is not None:
                self.current, self.cost = better
                self.last_cost[kind] = self.cost
                self.changed_everywhere()
                yield list(self.current), self.cost
        # at LP size one theme before each pair of clique rounds; when polishing, every
        # theme until none gains
        while self.going() and (self.initiatives or self.polishing()):
            theme = self.next_theme()
            if theme is None:
                break
            better = self.alone((THEME, theme))
            if better is not None:
                self.current, self.cost = better
                self.changed_everywhere()
                yield list(self.current), self.cost
            self.theme_cost[theme] = self.cost
            if not self.polishing():
                break

    def kept(self, better: tuple[list[int], float] | None) -> Iterator[tuple[list[int], float]]:
        """`better`, a clique round's solution, made the current one and yielded."""
        if better is not None:
            self.current, self.cost = better
            yield list(self.current), self.cost

    def changed_everywhere(self) -> None:
        """Every clique has changed: no neighbourhood stays settled."""
        self.version = {g: v + 1 for g, v in self.version.items()}

    def going(self) -> bool:
        if self.work is not None:  # the clock is a backstop only
            return self.spent < self.work and time.perf_counter() < self.deadline
        return self.deadline - time.perf_counter() > 0.3

    def polish_left(self) -> float:
        """Seconds before the polish begins."""
        return self.deadline - POLISH_SECONDS - time.perf_counter()

    def polishing(self) -> bool:
        return self.polish and self.polish_left() <= 0

    def due(self, kind: str | None) -> bool:
        if kind is None:  # guided
            return self.vertex is not None and self.cost < self.last_cost[None] - 1e-6
        return self.initiatives and self.cost < self.last_cost[kind] * (1 - INITIATIVES_DROP) - 1e-6

    def next_theme(self) -> str | None:
        """The next theme in turn whose last round was at another cost, if any."""
        themes = self.themes
        for n in range(len(themes)):
            theme = themes[(self.turn + n) % len(themes)]
            if self.theme_cost[theme] > self.cost + 1e-6:
                self.turn = (self.turn + n + 1) % len(themes)
                return theme
        return None

    def draw(
        self, taken: set[int] | frozenset = frozenset(), language: str | None = None
    ) -> set[int] | None:
        """The cliques of the next round, none of them `taken`, at the reach of its
        `language` (None: every language); with `parts`, slot classes of each drawn
        into `part_of`. None when fewer than two are left."""
        groups, rng = self.cliques.groups, self.rng
        reach = self.reaches[language]
        pool = [g for g in groups if g not in taken]
        if len(pool) < 2:
            return None
        if self.parts is not None:  # the cliques drawn, and slot classes of each
            free = set(rng.sample(pool, 2))
            for group in sorted(free):
                count = 0
                classes = self.cliques.classes_of[group]
                for sc in rng.sample(classes, len(classes)):
                    self.part_of[group].add(sc)
                    count += len(self.relaxation.slot_classes[sc].slots)
                    if count >= self.parts:
                        break
            return free
        for _ in range(20):
            order = rng.sample(pool, len(pool))
            free = set(order[:2])
            for group in order[2:]:
                if sum(self.cliques.size[g] for g in free) >= reach:
                    break
                free.add(group)
            if (language, *((g, self.version[g]) for g in sorted(free))) not in self.settled:
                break
        return free

    def prepare(
        self,
        free: set[int] | str | tuple[str, str] | None,
        language: str | None = None,
    ) -> tuple[Program, np.ndarray, float, dict[str, Any]]:
        """The round's program over the free columns only (the whole program took 1 s of
        a 2 s round to build and presolve), and the keyword arguments of its solve.
        `free`: the cliques drawn, None for the guided round, `INITIATIVES` for an
        initiatives round, `(THEME, theme)` for a themes round."""
        if isinstance(free, tuple):  # one theme's counts and flows, in all cliques
            hold = self.relaxation.theme_hold(free[1])
        elif free == INITIATIVES:  # the initiatives' flows and every count, in all cliques
            hold = self.cliques.initiatives_hold.copy()
        elif free is None:  # held where the current solution is the vertex
            hold = np.abs(self.vertex - np.asarray(self.current, dtype=float)) < 1e-6
        else:  # the other cliques held, or all but the drawn parts
            hold = self.cliques.hold(free, language, None if self.parts is None else self.part_of)
        sub, columns, held_cost = self.program.held(hold, self.current)
        given = [self.current[c] for c in columns]
        if self.several.size:
            # the workshops counted as holding several talks of their own length (at the
            # least minutes of any) no more than now: the rounds' costs stay exact
            capped = np.isin(columns, self.several)
            if capped.any():
                sub = sub.capped(np.where(capped, given, sub.upper))
        arguments: dict[str, Any] = {"integral": True, "start": given}
        if self.parts is not None:
            arguments["gap"] = PART_ROUND_GAP
        if self.work is None:
            seconds = PART_ROUND_SECONDS if self.parts else CLIQUE_ROUND_SECONDS
            if free == INITIATIVES:
                seconds = INITIATIVES_ROUND_SECONDS
            arguments["time_limit"] = min(seconds, self.deadline - time.perf_counter())
        else:
            arguments["time_limit"] = self.deadline - time.perf_counter()
            arguments["work"] = min(CLIQUE_ROUND_WORK, max(1, self.work - self.spent))
        if isinstance(free, set) and self.polish and self.polish_left() > 0:
            # ends before the polish
            arguments["time_limit"] = min(arguments["time_limit"], self.polish_left())
        return sub, columns, held_cost, arguments

    def completed(self, columns: np.ndarray, answer: LowerBound) -> tuple[list[int], float]:
        """The current solution with a round's free columns set to its answer, and its
        cost, computed here: HiGHS's reported objective was once 10 below the cost of
        the solution it returned (a guided round on bench-600-tight)."""
        candidate = list(self.current)
        for column, value in zip(columns, answer.solution, strict=True):
            candidate[column] = value
        return candidate, float(np.dot(self.costs, candidate))

    def alone(self, kind: str | tuple[str, str] | None) -> tuple[list[int], float] | None:
        """A round of its own (guided, initiatives or themes): its solution if it is
        better and holds (`improvement`). An initiatives round is charged at least
        INITIATIVES_ROUND_WORK."""
        sub, columns, _, arguments = self.prepare(kind)
        answer = sub.minimum(**arguments)
        if self.work is not None:
            least = INITIATIVES_ROUND_WORK if kind == INITIATIVES else 1
            self.spent += max(least, answer.work)
        if answer.solution is None:
            return None
        return self.improvement(*self.completed(columns, answer), kind or "guided")

    def improvement(
        self, values: list[int], value: float, label: Any
    ) -> tuple[list[int], float] | None:
        """A round's solution and its cost if it costs less than the current one and
        keeps every row and rule; where talks override their length, one that breaks a
        rule is mended (`Relaxation.mended`) and kept if it still costs less."""
        if value >= self.cost - 1e-6:
            return None
        if not self.program.infeasible_rows(values) and self.holds(values):
            return values, value
        mended = self.relaxation.mended(values)
        value = math.inf if mended is None else float(np.dot(self.costs, mended))
        if value >= self.cost - 1e-6:
            logger.debug("round %s: its schedule breaks a rule, dropped", label)
            return None
        logger.debug("round %s: its schedule broke a rule, mended", label)
        return mended, value

    def language_of(self, number: int) -> str | None:
        """Every `LANGUAGE_EVERY`-th pair of rounds frees one language each, in turn."""
        pair = number // 2
        if not self.languages or pair % LANGUAGE_EVERY != LANGUAGE_EVERY - 1:
            return None
        first = (pair // LANGUAGE_EVERY) % len(self.languages)
        return self.languages[(first + number % 2) % len(self.languages)]

    def start(self, lane: int) -> bool:
        """Draw the lane's next round and hand it over; False if none could be drawn."""
        language = self.language_of(self.drawn)
        taken = set().union(*(r.free for r in self.running.values()))
        free = self.draw(taken, language)
        if free is None:
            return False
        self.drawn += 1
        sub, columns, held_cost, arguments = self.prepare(free, language)
        base = np.asarray([self.current[c] for c in columns], dtype=np.int64)
        versions = tuple((g, self.version[g]) for g in sorted(free))
        self.running[lane] = _Round(
            self.drawn, free, language, columns, held_cost, base, self.cost, versions
        )
        self.lanes[lane].submit(sub, **arguments)
        return True

    def next_answer(self) -> tuple[int, LowerBound | None]:
        """The lane whose answer is taken in next, and its answer (None: lost or late)."""
        running, lanes = self.running, self.lanes
        if self.work is not None:  # in the rounds' order
            lane = min(running, key=lambda n: running[n].number)
            return lane, lanes[lane].answer(self.deadline - time.perf_counter())
        wait = max(0.0, self.deadline - time.perf_counter()) + 2.0
        away = [n for n in running if isinstance(lanes[n], Helper)]
        here = [n for n in running if n not in away]
        done = ready([lanes[n] for n in away], 0.0 if here else wait)
        if done:
            lane = away[done[0]]
            return lane, lanes[lane].answer(0.0)
        if here:
            return here[0], lanes[here[0]].answer(wait)
        return away[0], None

    def receive(self) -> tuple[list[int], float] | None:
        """Take in the next answer: the better solution it gives, if any."""
        lane, answer = self.next_answer()
        if answer is None and isinstance(self.lanes[lane], Helper):
            self.lost.add(lane)
        return self.take(lane, answer)

    def take(self, lane: int, answer: LowerBound | None) -> tuple[list[int], float] | None:
        """Take in a lane's answer: the better solution it gives, if any."""
        taken = self.running.pop(lane)
        if answer is None:
            return None
        if self.work is not None:
            self.spent += max(LANGUAGE_ROUND_WORK if taken.language else 1, answer.work)
        gain = (
            answer.solution is not None
            and answer.incumbent + taken.held_cost < taken.base_cost - 1e-6
        )
        if self.parts is None:
            self.reaches[taken.language] = _reach(
                self.reaches[taken.language], answer.exact, gain, self.most, self.shrink
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
            if answer.exact and self.parts is None:
                self.settled.add((taken.language, *taken.versions))
            return None
        candidate = np.asarray(self.current, dtype=np.int64)
        candidate[taken.columns] += np.asarray(answer.solution, dtype=np.int64) - taken.base
        kept = self.improvement(
            candidate.tolist(), float(np.dot(self.costs, candidate)), taken.number
        )
        if kept is not None:
            for group in taken.free:
                self.version[group] += 1
        return kept


@dataclass
class _Round:
    """A round handed to a lane of `search_by_cliques`: what it frees, and the solution
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
    """A lane of `search_by_cliques` that solves its round in this process, when its
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
