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
        rule is mended (`Relaxation.mended`) and kept if it still costs less."""
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
