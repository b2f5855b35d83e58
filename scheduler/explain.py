"""Explain the impossible: why not every proposal can be placed, in sentences.

Three layers. First, per-proposal checks that need no search: a proposal with no
candidate slot (with each slot's reason), an initiative that no keynote could
ever open a workshop with. Then a count: the most proposals a schedule can place
(`_most_placed`, proven by the relaxation up to 150 proposals), and the others a
schedule placing that many leaves out, with its reasons. Then a small set of
conflicting rules found with
CP-SAT assumptions: a feasibility model asks for every proposal to be placed,
each rule (per speaker, per slot, per proposal or global) is switched on by its
own literal, `sufficient_assumptions_for_infeasibility` returns a conflicting
subset, and a deletion filter by growing chunks (`_shrink`) shrinks it until every
member is needed. Every question is bounded by CP-SAT's deterministic time, so the
answer does not depend on the machine's load (the time limit is a backstop).

When the count places every proposal the checks did not rule out, the checks are the
whole explanation and (above the direct model's size, or when nothing is ruled out) no
conflict model is built. Above `CONFLICT_MODEL_PAIRS` the conflict model is too large
(2000 proposals: built in 66 s, its 20 s search ended without an answer): the count,
proven or only bounded there, is the answer, and no conflict is searched for.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler import reasons as catalog
from scheduler.candidates import (
    CandidateTable,
    candidate_table,
    cheapest_talks,
    minimal_minutes,
    pin_conflicts,
    speaker_unavailability,
)
from scheduler.instance import Instance, Proposal, Slot, Speaker
from scheduler.model import overlap_cliques
from scheduler.search import cp_solver, solve_interruptibly
from scheduler.solution import Solution
from scheduler.text import first_of, fmt_span

logger = logging.getLogger(__name__)


@dataclass
class Explanation:
    """Per-proposal findings, then a minimal set of rules that cannot all hold."""

    proposal_findings: dict[str, list[str]] = field(default_factory=dict)
    conflict: list[str] = field(default_factory=list)
    conflict_keys: list[str] = field(default_factory=list)
    feasible: bool = False
    minimal: bool = True
    others_placed: bool = False
    """A schedule placed every proposal without a finding: no conflict beyond them."""
    pins_conflict: bool = False
    """Pins that cannot all hold (`pin_conflicts`), among the findings: no schedule."""
    left_out: dict[str, list[str]] = field(default_factory=dict)
    """The proposals without a finding that the schedule of `_most_placed` leaves out,
    with its reasons (the whole answer above `CONFLICT_MODEL_PAIRS`, where no conflict
    is searched for)."""
    others_undecided: bool = False
    """Whether the proposals without a finding can all be placed was not decided (in
    `FIRST_WORK`): a conflict then found may concern only the proposals of the findings."""
    placed: int | None = None
    """How many proposals the schedule of `_most_placed` places (`left_out` names the
    others without a finding)."""
    at_most: int | None = None
    """The most proposals any schedule can place, as far as proven (its bound)."""
    lengths: str | None = None
    """What the slots' lengths add to the conflict, when they matter (`_lengths`)."""
    about_findings: bool = False
    """The others can all be placed: the conflict is the rules behind the findings."""
    most_placed: int | None = None
    """Set when proven: `placed`, the most proposals any schedule places."""
    no_schedule: bool = False
    """Above `CONFLICT_MODEL_PAIRS`: `_most_placed` found no schedule."""
    quick: bool = False
    """Above `CONFLICT_MODEL_PAIRS`: the count's schedule is a quick one (stopped on a
    little work), which a `solve` by the clock often beats: said so, as is how to give
    that solve's schedule instead (at 400 proposals it placed 347 where `solve` placed
    383, and its 10 proposals detailed "left out" were all in the coordinator's
    programme)."""
    pairs: int = 0
    """The instance's candidate pairs (its size as `explain` measures it)."""
    given: bool = False
    """A solution was given (`explain INSTANCE SOLUTION`): `left_out` names the proposals
    it leaves out (beside the findings), with the reasons its schedule gives."""
    given_placed: int | None = None
    """How many proposals the given solution places."""
    given_broken: list[str] = field(default_factory=list)
    """The hard rules the given solution breaks in this instance (the first few), when
    it does: then not a start for the count."""
    history_held: bool = False
    """The conflict holds what `--keep-before` kept as it is (`_ConflictModel.facts`),
    outside the rules it names."""

    @property
    def all_placeable(self) -> bool:
        return self.feasible and not self.proposal_findings


def _label(proposal: Proposal) -> dict[str, str]:
    """How a finding names a proposal: its id, format and language (the fields of the
    catalog's findings)."""
    return {
        "proposal": proposal.id,
        "kind": proposal.format.value,
        "code": proposal.language.value,
    }


def per_proposal_findings(
    instance: Instance, table: CandidateTable | None = None
) -> dict[str, list[str]]:
    """Sentences for proposals that cannot be placed whatever the rest of the schedule."""
    table = table if table is not None else candidate_table(instance)
    mixed = instance.rules.mixed_language
    # the slots some keynote of a language (any, when languages mix) and theme can be in:
    # an initiative can be opened where its slots meet those of one of its themes (at
    # 2000 proposals, every keynote scanned for each initiative took 2.3 s)
    reach: dict[tuple[str | None, str], set[str]] = defaultdict(set)
    for keynote in instance.proposals:
        if keynote.is_keynote:
            for theme in keynote.themes:
                reach[None if mixed else keynote.language, theme].update(table.slots[keynote.id])
    findings: dict[str, list[str]] = {}
    for proposal in instance.proposals:
        label = _label(proposal)
        if not table.slots[proposal.id]:
            findings[proposal.id] = [
                catalog.NO_SLOT_AT_ALL.format(**label, reasons=table.reasons(proposal.id))
            ]
            continue
        if proposal.is_keynote or instance.rules.keynotes_per_workshop.min == 0:
            continue
        language = None if mixed else proposal.language
        slots = set(table.slots[proposal.id])
        if not any(reach[language, theme] & slots for theme in proposal.themes):
            finding = catalog.NO_KEYNOTE_EVER_MIXED if mixed else catalog.NO_KEYNOTE_EVER
            findings[proposal.id] = [
                finding.format(**label, themes=proposal.themes, candidates=table.slots[proposal.id])
            ]
    return findings


class _ConflictModel:
    """Every rule behind its own assumption literal; asks for every proposal to be placed."""

    linearization = 1
    """CP-SAT's `linearization_level` for the questions (`explain` sets it by size)."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.model = cp_model.CpModel()
        self.literals: dict[str, cp_model.IntVar] = {}
        self.sentences: dict[str, str] = {}
        self.facts: set[str] = set()
        """Rules `--keep-before` sets from what has begun (a kept workshop's members,
        theme and language; a begun slot closed): assumed in every question, never named
        as a rule to drop (they offered to re-open workshops already held)."""
        self.assign: dict[tuple[str, str], cp_model.IntVar] = {}
        self._build()

    def rule(self, key: str, sentence: str, fact: bool = False) -> cp_model.IntVar:
        if key not in self.literals:
            self.literals[key] = self.model.new_bool_var(key)
            self.sentences[key] = sentence
        if fact:
            self.facts.add(key)
        return self.literals[key]

    def _build(self) -> None:
        self._assignments()
        for p in self.instance.proposals:
            self._placement(p)
        self._workshops()
        self._speaker_clashes()
        self._groups()

    def _assignments(self) -> None:
        """One literal per proposal and slot long enough for it; each slot's members."""
        inst = self.instance
        cheapest = cheapest_talks(inst)
        self.options_of: dict[str, list] = defaultdict(list)
        for p in inst.proposals:
            needed = minimal_minutes(inst, p, cheapest)
            for s in inst.slots:
                # Length is physics, not a rule: a slot too short never holds the proposal.
                if needed <= s.minutes:
                    var = self.model.new_bool_var(f"assign[{p.id},{s.id}]")
                    self.assign[p.id, s.id] = var
                    self.options_of[p.id].append(var)
        self.members: dict[str, list] = defaultdict(list)
        for (pid, sid), var in self.assign.items():
            self.members[sid].append((inst.proposal_by_id[pid], var))

    def _placement(self, p: Proposal) -> None:
        """`p` placed once, in its pinned slot, where its speakers are available."""
        inst, model = self.instance, self.model
        options = self.options_of[p.id]
        place = self.rule(
            f"place:{p.id}", catalog.MUST_BE_PLACED.format(**_label(p), title=p.title)
        )
        model.add_at_most_one(options)
        model.add(sum(options) == 1).only_enforce_if(place)
        if p.pin is not None:
            given = p.pin in self.instance.begun
            pinned_how = catalog.GIVEN_IN_BEGUN if given else catalog.PINNED_TO_SLOT
            pin = self.rule(f"pin:{p.id}", pinned_how.format(proposal=p.id, slot=p.pin), given)
            pinned = self.assign.get((p.id, p.pin))
            if pinned is None:
                model.add_bool_or([]).only_enforce_if(pin)
            else:
                model.add(pinned == 1).only_enforce_if(pin)
        for s in inst.slots:
            var = self.assign.get((p.id, s.id))
            if var is None:
                continue
            for speaker_id in p.speakers:
                speaker = inst.speaker_by_id[speaker_id]
                if speaker_unavailability(inst, speaker, s):
                    lit = self.rule(
                        f"availability:{speaker_id}", _availability_sentence(inst, speaker)
                    )
                    model.add(var == 0).only_enforce_if(lit)

    def _workshops(self) -> None:
        """Each slot's workshop: its keynotes and initiatives, its minutes, one language
        and one theme, closed, frozen and reserved slots."""
        rules = self.instance.rules
        kmin, kmax = rules.keynotes_per_workshop.min, rules.keynotes_per_workshop.max
        imin, imax = rules.initiatives_per_workshop.min, rules.initiatives_per_workshop.max
        self.language = self.rule("language", catalog.ONE_LANGUAGE.format())
        self.theme = self.rule("theme", catalog.THEME_OF_EACH.format())
        at_least, at_most = catalog.AT_LEAST, catalog.AT_MOST
        amount = catalog.amount
        self.k_min = self.rule("keynotes-min", at_least.format(amount=amount(kmin, "keynote")))
        self.k_max = self.rule("keynotes-max", at_most.format(amount=amount(kmax, "keynote")))
        self.i_min = self.rule(
            "initiatives-min", at_least.format(amount=amount(imin, "initiative"))
        )
        self.i_max = self.rule("initiatives-max", at_most.format(amount=amount(imax, "initiative")))
        for s in self.instance.slots:
            self._workshop(s)

    def _workshop(self, s: Slot) -> None:
        """The workshop rules of slot `s`."""
        rules, model = self.instance.rules, self.model
        in_slot = self.members[s.id]
        used = model.new_bool_var(f"used[{s.id}]")
        for _, var in in_slot:
            model.add_implication(var, used)
        keynotes = sum(v for p, v in in_slot if p.is_keynote)
        initiatives = sum(v for p, v in in_slot if not p.is_keynote)
        model.add(keynotes >= rules.keynotes_per_workshop.min).only_enforce_if([used, self.k_min])
        model.add(keynotes <= rules.keynotes_per_workshop.max).only_enforce_if(self.k_max)
        model.add(initiatives >= rules.initiatives_per_workshop.min).only_enforce_if(
            [used, self.i_min]
        )
        model.add(initiatives <= rules.initiatives_per_workshop.max).only_enforce_if(self.i_max)
        frame = s.minutes - rules.opening_minutes - rules.closing_minutes - rules.changeover_minutes
        model.add(
            sum((self.instance.talk_minutes(p) + rules.changeover_minutes) * v for p, v in in_slot)
            + rules.participatory.min * keynotes
            <= frame
        )
        if s.closed:
            begun_closed = s.id in self.instance.begun_closed
            closed_how = catalog.BEGUN_EMPTY if begun_closed else catalog.CLOSED
            closed = self.rule(f"closed:{s.id}", closed_how.format(slot=s.id), begun_closed)
            model.add(used == 0).only_enforce_if(closed)
        if s.frozen:
            begun = s.id in self.instance.begun
            frozen_how = catalog.BEGUN if begun else catalog.FROZEN
            frozen = self.rule(f"frozen:{s.id}", frozen_how.format(slot=s.id), begun)
            for p, var in in_slot:
                if p.pin != s.id:
                    model.add(var == 0).only_enforce_if(frozen)
        langs = {p.language.value for p, _ in in_slot}
        lang_vars = {lang: model.new_bool_var(f"lang[{s.id},{lang}]") for lang in sorted(langs)}
        if not rules.mixed_language:
            model.add(sum(lang_vars.values()) <= 1).only_enforce_if(self.language)
        themes = sorted({t for p, _ in in_slot for t in p.themes})
        theme_vars = {t: model.new_bool_var(f"theme[{s.id},{t}]") for t in themes}
        model.add(sum(theme_vars.values()) <= 1)
        for p, var in in_slot:
            model.add_implication(var, lang_vars[p.language.value])
            model.add_bool_or([theme_vars[t] for t in p.themes]).only_enforce_if([var, self.theme])
            # a begun slot's theme and language are its kept workshop's, not a lock the
            # coordinator set: said so (they were "reserved for", found nowhere in the file)
            begun = s.id in self.instance.begun
            if s.language is not None and p.language != s.language:
                fixed = catalog.BEGAN_IN_LANGUAGE if begun else catalog.RESERVED_LANGUAGE
                lit = self.rule(
                    f"fixed-language:{s.id}",
                    fixed.format(slot=s.id, language=s.language.value),
                    begun,
                )
                model.add(var == 0).only_enforce_if(lit)
            if s.theme is not None and s.theme not in p.themes:
                fixed = catalog.BEGAN_WITH_THEME if begun else catalog.RESERVED_THEME
                lit = self.rule(
                    f"fixed-theme:{s.id}", fixed.format(slot=s.id, theme=s.theme), begun
                )
                model.add(var == 0).only_enforce_if(lit)

    def _speaker_clashes(self) -> None:
        """A speaker of several proposals is in one of each set of overlapping slots."""
        inst, model = self.instance, self.model
        by_speaker: dict[str, list[str]] = defaultdict(list)
        for p in inst.proposals:
            for speaker_id in p.speakers:
                by_speaker[speaker_id].append(p.id)
        for speaker_id, pids in sorted(by_speaker.items()):
            if len(pids) < 2:
                continue
            speaker = inst.speaker_by_id[speaker_id]
            clash = self.rule(
                f"clash:{speaker_id}",
                catalog.NOT_IN_PARALLEL.format(name=speaker.name, speaker=speaker_id, ids=pids),
            )
            present = {}
            for s in inst.slots:
                options = [self.assign[p, s.id] for p in pids if (p, s.id) in self.assign]
                if options:
                    present[s.id] = model.new_bool_var(f"present[{speaker_id},{s.id}]")
                    for option in options:
                        model.add_implication(option, present[s.id])
            for clique in overlap_cliques([s for s in inst.slots if s.id in present]):
                model.add(sum(present[s.id] for s in clique) <= 1).only_enforce_if(clash)

    def _groups(self) -> None:
        """`together` groups share a workshop, `apart` groups do not."""
        inst, model = self.instance, self.model
        for kind, groups in (
            ("together", inst.constraints.together),
            ("apart", inst.constraints.apart),
        ):
            for index, group in enumerate(groups):
                sentence = catalog.SHARE if kind == "together" else catalog.NOT_SHARE
                lit = self.rule(f"{kind}:{index}", sentence.format(ids=group.proposals))
                for s in inst.slots:
                    vars_ = [self.assign.get((p, s.id)) for p in group.proposals]
                    if kind == "apart":
                        present_vars = [v for v in vars_ if v is not None]
                        if len(present_vars) > 1:
                            model.add(sum(present_vars) <= 1).only_enforce_if(lit)
                        continue
                    first = vars_[0]
                    for other in vars_[1:]:
                        model.add(
                            (first if first is not None else 0)
                            == (other if other is not None else 0)
                        ).only_enforce_if(lit)

    def solve(self, keys: list[str], time_limit: float, work: float | None = None) -> int:
        """Whether the rules `keys` can all hold: CP-SAT's status, stopped after
        `time_limit` seconds, or `work` units of its deterministic time when given (what
        it spent: `work_done`). Without presolve: with assumptions CP-SAT's presolve
        must keep every solution, and on bench-150-easy with 40 slots closed it took
        0.8 s of each 0.9 s answer (0.2 s without it)."""
        solver = cp_solver()
        solver.parameters.max_time_in_seconds = time_limit
        if work is not None:
            solver.parameters.max_deterministic_time = work
        solver.parameters.num_workers = 1
        solver.parameters.cp_model_presolve = False
        solver.parameters.linearization_level = self.linearization
        self.model.clear_assumptions()
        self.model.add_assumptions([self.literals[k] for k in sorted({*keys, *self.facts})])
        status = solve_interruptibly(solver, self.model)
        self._last = solver
        return status

    @property
    def work_done(self) -> float:
        """The deterministic time of the last solve."""
        return self._last.response_proto.deterministic_time

    def core(self) -> list[str]:
        names = {v.index: k for k, v in self.literals.items() if k not in self.facts}
        found = self._last.sufficient_assumptions_for_infeasibility()
        return [names[i] for i in found if i in names]


def _availability_sentence(instance: Instance, speaker: Speaker) -> str:
    """The rule of a speaker's windows: available only in some, never, unavailable in
    others, or both."""
    available, unavailable = instance.recorded_windows(speaker)  # as the file says them
    windows = [fmt_span(instance, w.start, w.end) for w in available or []]
    spans = [fmt_span(instance, w.start, w.end) for w in unavailable]
    fields = {"name": speaker.name, "speaker": speaker.id, "windows": windows, "spans": spans}
    if speaker.available is None:
        sentence = catalog.SPEAKER_UNAVAILABLE
    elif not windows:
        sentence = (
            catalog.SPEAKER_NEVER_AND_UNAVAILABLE if spans else catalog.SPEAKER_NEVER_AVAILABLE
        )
    else:
        sentence = catalog.SPEAKER_ONLY_AND_UNAVAILABLE if spans else catalog.SPEAKER_AVAILABLE_ONLY
    return sentence.format(**{name: fields[name] for name in sentence.fields})


FEW_LEFT = 5
"""Left out by first fit beside the findings, at most this many (or 1 % of the
proposals) are worth the quick schedule's relocations before the relaxation's solve."""
QUICK_WORK = 1.0
"""Deterministic time of the quick schedule above `CONFLICT_MODEL_PAIRS` (first fit, then
relocations and a little block search: 3-7 s at 600 and 2000 proposals)."""
CONFLICT_MODEL_PAIRS = 20_000
"""Above this many candidate pairs no conflict model is built (the 150 rungs have
5,000-10,000; 600, 71,000-156,000): on bench-2000-tight with 150 slots closed it took
108 s and 6.6 GB to say it had run out of time."""


def _placed_by_a_schedule(
    instance: Instance,
    table: CandidateTable,
    result: Explanation,
    time_limit: float,
    given: Solution | None = None,
) -> bool:
    """On an instance above the direct model's size, a schedule first: True when it
    explains all there is to say (then `result` says so). That is when it places every
    proposal without a finding; or, above `CONFLICT_MODEL_PAIRS`, where no conflict is
    searched for, when it leaves others out or finds no schedule (`result.no_schedule`).
    The others it leaves out are in `result.left_out` either way, with the reasons the
    schedule gives: it places as many proposals as it can (`_most_placed`)."""
    from scheduler.solve import candidate_pairs

    pairs = candidate_pairs(table)
    if pairs <= EXACT_PAIRS:
        return False
    if not _most_placed(instance, table, result, time_limit, given):
        result.no_schedule = pairs > CONFLICT_MODEL_PAIRS
        return result.no_schedule
    if not result.left_out:  # every proposal without a finding placed
        result.feasible = not result.proposal_findings
        result.others_placed = bool(result.proposal_findings)
        return True
    return pairs > CONFLICT_MODEL_PAIRS


EXACT_PAIRS = 3_000
"""Up to this many candidate pairs, `explain` asks its questions of the whole CP-SAT
model (the most proposals placed, proven; a minimal set of conflicting rules); above, a
schedule first (`_placed_by_a_schedule`). The direct model's size until `solve` moved to
the block path above 1,500 pairs (`SolveOptions.direct_limit`): the questions stay fast
up to here."""
DEFAULT_SECONDS = 20.0
"""`explain`'s default time limit: the work budgets below are for it, and scale with
the time limit given."""


def explain(
    instance: Instance,
    time_limit: float = DEFAULT_SECONDS,
    solution: Solution | None = None,
    changed: bool = False,
) -> Explanation:
    """Per-proposal findings, then a minimal conflicting set of rules (if any). With a
    `solution` (the coordinator's, `explain INSTANCE SOLUTION`), the count starts from
    its schedule when it is sound and places more than the count's own, and the
    proposals left out that are explained are its own (`_left_out_by`); `changed`: it
    was solved from another version of the instance (its hash differs)."""
    from scheduler.solve import candidate_pairs

    table = candidate_table(instance)  # (2-3 s at 2000 proposals: made once)
    result = Explanation(proposal_findings=per_proposal_findings(instance, table))
    result.pairs = candidate_pairs(table)
    given = None
    if solution is not None:
        result.given = True
        result.given_broken = _broken(instance, solution)
        given = None if result.given_broken else solution
    _explained(instance, table, result, time_limit, given)
    if solution is not None and not result.pins_conflict:
        _left_out_by(instance, table, result, solution, changed)
    return result


BROKEN_SAID = 3
"""The hard rules a given solution breaks that `explain` names (validate lists them all)."""


def _broken(instance: Instance, solution: Solution) -> list[str]:
    """The first hard rules `solution` breaks in `instance` (solved from another version
    of it, or edited by hand), as `validate` words them; none for a sound one."""
    from scheduler.validate import validate

    report = validate(instance, solution)
    return [v.message for v in report.violations if v.rule != "objective"][:BROKEN_SAID]


def _left_out_by(
    instance: Instance,
    table: CandidateTable,
    result: Explanation,
    solution: Solution,
    changed: bool = False,
) -> None:
    """The given solution's count, and the proposals it leaves out (beside the findings)
    as `result.left_out`, with the reasons its schedule gives, as `solve` writes them:
    the coordinator asked why HER proposals were out, and `explain` named those of a
    schedule of its own, 3 of 10 in common (278 proposals), or at 400 proposals 10
    placed in her programme. Solved from another version of the instance (`changed`),
    a proposal the file does not name is said to be new, and the reasons are this
    version's, from what of its schedule this version still has (a proposal added since
    was listed with no reason at all, the others with reasons naming slots gone)."""
    from scheduler.solve import unplaced_reasons

    placed = solution.workshop_of()
    out = [p.id for p in instance.proposals if p.id not in placed]
    result.given_placed = len(instance.proposals) - len(out)
    written = {entry.proposal: entry.reasons for entry in solution.unscheduled}
    slots = {s.id for s in instance.slots}
    schedule = _still_there(instance, solution) if changed else solution
    # (a schedule breaking the rules may name proposals or slots this instance lacks:
    # its own reasons then, as its file gives them)
    known = all(
        w.slot in slots and all(p in instance.proposal_by_id for p in w.proposals)
        for w in schedule.workshops
    )

    def reasons(proposal_id: str) -> list[str]:
        if changed and proposal_id not in written:
            return [catalog.NEW_SINCE.format(), *table.reasons(proposal_id)]
        if known:
            return unplaced_reasons(instance, proposal_id, table, schedule) + table.reasons(
                proposal_id
            )
        return written.get(proposal_id) or table.reasons(proposal_id)

    result.left_out = {
        proposal_id: reasons(proposal_id)
        for proposal_id in out
        if proposal_id not in result.proposal_findings
    }
    if result.feasible:  # (a schedule found places every proposal)
        result.placed = result.at_most = result.most_placed = len(instance.proposals) - len(
            result.proposal_findings
        )
    result.others_placed = result.others_placed and not result.left_out
    if result.given_broken:  # (what it places does not count)
        return
    result.no_schedule = False  # (a schedule was given)
    if result.placed is None or result.placed < result.given_placed:
        result.placed = result.given_placed
    if result.at_most is not None and result.given_placed >= result.at_most:
        result.most_placed = result.at_most


def _still_there(instance: Instance, solution: Solution) -> Solution:
    """`solution`'s schedule as far as `instance` still has it: its workshops in slots
    the instance has, each without the proposals the instance no longer has."""
    slots = {s.id for s in instance.slots}
    workshops = [
        w.model_copy(
            update={
                "items": [
                    i
                    for i in w.items
                    if i.proposal is None or i.proposal in instance.proposal_by_id
                ]
            }
        )
        for w in solution.workshops
        if w.slot in slots
    ]
    return solution.model_copy(update={"workshops": workshops})


def _explained(
    instance: Instance,
    table: CandidateTable,
    result: Explanation,
    time_limit: float,
    given: Solution | None,
) -> None:
    """`explain`'s questions in turn, the answers in `result`."""
    from scheduler.solve import candidate_pairs

    for proposal_id, reasons in pin_conflicts(instance, table).items():
        result.pins_conflict = True
        if proposal_id not in result.proposal_findings:  # (else its finding says why)
            proposal = instance.proposal_by_id[proposal_id]
            # (a begun workshop's member was pinned by `--keep-before`, not by anyone)
            held = catalog.IT_WAS_GIVEN if proposal.pin in instance.begun else catalog.PINS_HOLD_IT
            result.proposal_findings[proposal_id] = [
                held.format(**_label(proposal), reasons=reasons)
            ]
    small = candidate_pairs(table) <= EXACT_PAIRS
    if result.pins_conflict and not small:
        # the pins' conflict is the answer; the conflict model took 33 s and 1 GB at 600
        # proposals to name a part of it, not proven minimal
        return
    if _placed_by_a_schedule(instance, table, result, time_limit, given):
        return
    if small:  # (above: asked already)
        _most_placed(instance, table, result, time_limit, given)
        if result.most_placed == len(instance.proposals):
            result.feasible = True
            return
    conflict_model = _ConflictModel(instance)
    if small:
        conflict_model.linearization = SMALL_LINEARIZATION
    if conflict_model.facts and conflict_model.solve([], time_limit) == cp_model.INFEASIBLE:
        conflict_model.facts.clear()  # (what began breaks a rule by itself: name it)
    keys = sorted(k for k in conflict_model.literals if k not in conflict_model.facts)
    # first without placing the proposals the findings explain: a conflict among the
    # rest is news (three keynotes pinned to one slot were once explained by an
    # initiative whose speaker is never there, which its finding already said)
    found = {f"place:{p}" for p in result.proposal_findings}
    rest = [k for k in keys if k not in found]
    scale = time_limit / DEFAULT_SECONDS * (1.0 if small else LARGE_WORK_SHARE)
    first_work = FIRST_WORK * scale
    status = conflict_model.solve(rest, time_limit, first_work) if len(rest) < len(keys) else None
    # whether the count of `_most_placed` has said that the others cannot all be placed:
    # its bound (proven, even where its schedule is not) is under their number
    others = len(instance.proposals) - len(result.proposal_findings)
    counted = bool(result.left_out) and result.at_most is not None and result.at_most < others
    if status == cp_model.INFEASIBLE:
        keys = rest
    elif status == cp_model.UNKNOWN and counted:
        result.minimal = False  # no rule named: the count and its schedule are the answer
        return
    else:
        result.others_undecided = status == cp_model.UNKNOWN
        result.about_findings = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        status = conflict_model.solve(keys, time_limit, first_work)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.feasible = True
        result.left_out = {}  # (a schedule places them: the first one fell short)
        result.most_placed = None
        return
    if status != cp_model.INFEASIBLE:
        result.minimal = False
        if counted:  # no rule named: the count and its schedule are the answer
            return
        result.conflict = [catalog.OUT_OF_TIME.format()]
        return
    core = sorted(conflict_model.core()) or keys
    core, result.minimal = _shrink(
        conflict_model, core, conflict_model.work_done, time_limit, scale
    )
    result.conflict_keys = core
    result.conflict = [conflict_model.sentences[k] for k in core]
    result.history_held = bool(conflict_model.facts)
    result.lengths = _lengths(instance, core)
    return


def _lengths(instance: Instance, keys: list[str]) -> str | None:
    """The slots' lengths as the conflict model takes them, when they matter to a
    conflict: slots whose length fits a talk of its proposals but not the least
    workshop holding it. Ruled out as physics there, their rules (the participatory
    time, the least initiatives per workshop...) were missing from the conflict a
    coordinator read after raising one of them."""
    named = {key.split(":", 1)[1] for key in keys if key.startswith(("place:", "pin:"))}
    cheapest = cheapest_talks(instance)
    short = [
        s.id
        for s in instance.slots
        if any(
            instance.talk_minutes(p) <= s.minutes < minimal_minutes(instance, p, cheapest)
            for p in instance.proposals
            if p.id in named
        )
    ]
    if not short:
        return None
    rules = instance.rules
    parts = []
    if rules.opening_minutes:
        parts.append(catalog.OPENING_PART.format(minutes=rules.opening_minutes))
    parts.append(catalog.TALKS_PART.format())
    if rules.participatory.min:
        parts.append(catalog.PARTICIPATORY_PART.format(minutes=rules.participatory.min))
    if rules.keynotes_per_workshop.min > 1:
        keynotes = catalog.amount(rules.keynotes_per_workshop.min, "keynote")
        parts.append(catalog.AT_LEAST_PART.format(amount=keynotes))
    if rules.initiatives_per_workshop.min:
        initiatives = catalog.amount(rules.initiatives_per_workshop.min, "initiative")
        parts.append(catalog.AT_LEAST_PART.format(amount=initiatives))
    if rules.changeover_minutes:
        parts.append(catalog.CHANGEOVER_PART.format(minutes=rules.changeover_minutes))
    if rules.closing_minutes:
        parts.append(catalog.CLOSING_PART.format(minutes=rules.closing_minutes))
    slots = first_of(short)
    if len(parts) == 1:  # (its talks alone read "holds  and its talks")
        return catalog.HOLDS_PART.format(last=parts[0], slots=slots)
    return catalog.HOLDS_PARTS.format(parts=parts[:-1], last=parts[-1], slots=slots)


SMALL_LINEARIZATION = 2
"""CP-SAT's `linearization_level` for the conflict model's questions up to the direct
model's size (40 proposals): with the linear relaxation of every constraint, proofs that
the proposals cannot all be placed (a pigeonhole: not enough workshops of a language and
theme) come in a fraction of the work. Measured over 19 instances with slots closed
(the bundled instance, the 40 and 150 rungs): up to 40 proposals the slowest 22 s
(a conflict of 36-58 rules not proven minimal, three times) became 2.7 s, every conflict
proven minimal; at 150 proposals its LP costs more than it saves (bench-150-easy with 45
random slots closed: 17-25 s and 2 rules, minimal, against 35-37 s and about 175 rules,
not proven), so the default level stays there."""


COUNT_BACKSTOP = 3.0
"""The count's solves stop on their work; the clock stops them at this many times the
time limit only. At 2000 proposals their work takes 26-31 s: with the time limit itself
(20 s) as the backstop a phase of the solve was cut by the clock, and bench-2000-tight
with 150 slots closed placed 1512 or 1513 depending on it (1513 every time with 60 s
or more)."""


PLACED_WORK = 3.0
"""Deterministic time of the schedule placing the most proposals (`_most_placed`), with
the relaxation (60 units of HiGHS's work): proven in 0.2-4 s on the instances measured."""


def _most_placed(
    instance: Instance,
    table: CandidateTable,
    result: Explanation,
    time_limit: float,
    given: Solution | None = None,
) -> bool:
    """A schedule placing as many proposals as can be: the instance solved with every
    cost but leaving out set to 0, so the relaxation's bound counts the proposals every
    schedule must leave out, and often proves it. The proposals without a finding that
    the schedule leaves out go to `result.left_out`, with its reasons; `most_placed` is
    set when the count is proven. False when no schedule came.

    On bench-150-easy with 45 slots closed at most 129 of 150 can be placed (proven in
    4.4 s), where first fit and relocations left 32 out (beside the 2 of the findings)
    and the weighted solve 18; on bench-40-easy with 12 slots closed, 37 of 40 (0.2 s),
    beside a conflict of 64 rules that could not be proven minimal. Above the relaxation's
    integer size the count is not proven, but the schedule still beats first fit's:
    bench-600-easy with 150 slots closed 139 left out instead of 197 (4 s instead of
    2.3), bench-2000-tight with 150 closed 487 instead of 632 (22 s instead of 8), at
    least 62 and 203 of them proven.

    A sound `given` solution that places more than the count's schedule replaces it
    (as the start of `_placing_more` up to `CONFLICT_MODEL_PAIRS`). Above that size the
    schedule is a quick one (`result.quick`), its work scaled up by a time limit over
    the default one (`--time-limit`, which changed nothing there)."""
    from scheduler.greedy import greedy_solution
    from scheduler.instance import Weights
    from scheduler.solution import Status
    from scheduler.solve import SolveOptions, candidate_pairs, solve

    weights = Weights(unscheduled=instance.rules.weights.unscheduled or 1, moved=0)
    for name in Weights.model_fields:
        if name != "unscheduled":
            setattr(weights, name, 0)
    counting = instance.model_copy(
        update={"rules": instance.rules.model_copy(update={"weights": weights})}
    )
    findings = set(result.proposal_findings)  # (no schedule places them)

    def all_others(schedule: Solution) -> bool:
        return schedule.has_schedule and {u.proposal for u in schedule.unscheduled} <= findings

    # the cheapest first, as long as some proposal without a finding is left out: first
    # fit; above the relaxation's integer size, when first fit leaves a few out, first
    # fit with relocations and a little block search (bench-2000-easy: the 4 others
    # placed in 7 s, where the solve with the relaxation spends its work: 19 s); then
    # the solve with the relaxation
    large = candidate_pairs(table) > CONFLICT_MODEL_PAIRS
    more = max(1.0, time_limit / DEFAULT_SECONDS) if large else 1.0
    schedule = greedy_solution(counting, "", table)
    few = max(FEW_LEFT, len(instance.proposals) // 100)
    others = len({u.proposal for u in schedule.unscheduled} - findings)
    if 0 < others <= few and large:
        options = SolveOptions(
            time_limit=time_limit * COUNT_BACKSTOP,
            relaxation_bound=False,
            deterministic_time=QUICK_WORK * more,
        )
        schedule = solve(counting, "", options)
    if not all_others(schedule):
        options = SolveOptions(
            time_limit=time_limit * COUNT_BACKSTOP, deterministic_time=PLACED_WORK * more
        )
        schedule = solve(counting, "", options)
    elif schedule.has_schedule:
        schedule.status = Status.OPTIMAL
    start = _given_start(counting, given, schedule)
    if start is not None:
        schedule = start
    if not schedule.has_schedule:
        return False
    if schedule.status is not Status.OPTIMAL and not large:
        schedule = _placing_more(counting, schedule, time_limit)
    result.left_out = {
        entry.proposal: entry.reasons
        for entry in schedule.unscheduled
        if entry.proposal not in result.proposal_findings
    }
    result.placed = len(instance.proposals) - len(schedule.unscheduled)
    result.at_most = _at_most(counting, schedule)
    if schedule.status is Status.OPTIMAL or result.at_most <= result.placed:
        result.most_placed = result.at_most = result.placed
    result.quick = large and result.most_placed is None
    return True


def _given_start(counting: Instance, given: Solution | None, schedule: Solution) -> Solution | None:
    """The given solution as the count's schedule, scored as the count scores (leaving
    out only), when it places more proposals than `schedule`, whose bound it keeps."""
    from scheduler.solution import Status, Unscheduled

    if given is None or not schedule.has_schedule and schedule.bound is None:
        return None
    placed = given.workshop_of()
    out = [p.id for p in counting.proposals if p.id not in placed]
    if schedule.has_schedule and len(out) >= len(schedule.unscheduled):
        return None
    start = given.model_copy(deep=True)
    start.unscheduled = [Unscheduled(proposal=p, reasons=[]) for p in out]
    start.objective = counting.rules.weights.unscheduled * len(out)
    start.bound = schedule.bound
    start.penalties = []
    start.status = Status.FEASIBLE
    start.settle_status()
    return start


def _at_most(counting: Instance, schedule: Solution) -> int:
    """How many proposals can be placed at most, by the bound of the count's schedule
    (every cost but leaving out's at 0 in `counting`)."""
    left_out = math.ceil((schedule.bound or 0) / counting.rules.weights.unscheduled - 1e-9)
    return len(counting.proposals) - left_out


def _placing_more(counting: Instance, schedule: Solution, time_limit: float) -> Solution:
    """The count's schedule once more, when its bound leaves room for more placed: solved
    again from it (as a re-solve's published schedule, moving costing nothing there) on
    the same work. A generated 200-proposal instance (`bench.fuzz --vary`, seed 95): 186
    placed after the first solve, at most 191 proven; 191 after this one (4 s), where
    `solve` placed 191 in 8 s."""
    from scheduler.solution import Status
    from scheduler.solve import SolveOptions, solve

    if len(counting.proposals) - len(schedule.unscheduled) >= _at_most(counting, schedule):
        return schedule
    options = SolveOptions(time_limit=time_limit * COUNT_BACKSTOP, deterministic_time=PLACED_WORK)
    again = solve(counting, "", options, reference=schedule)
    if not again.has_schedule:
        return schedule
    better = again if again.objective < schedule.objective else schedule
    better.bound = max(again.bound or 0, schedule.bound or 0)
    if better.bound >= better.objective:
        better.status = Status.OPTIMAL
    return better


FIRST_WORK = 10.0
"""CP-SAT deterministic time for the first questions (can the others all be placed; can
everyone), a backstop of the time limit on the clock beside it: 2-18 s here. Work, not
seconds, so that the same instance gets the same answer whatever the machine's load."""
LARGE_WORK_SHARE = 0.3
"""The share of these budgets above the direct model's size (150 proposals), where a
unit of CP-SAT's work takes 2-3 s instead of 0.5-1: with the whole budgets the time
limit ended the first question before its work did (bench-150-easy with 45 random
slots closed: 6.4 of its 10 units in 20 s), so its answer depended on the clock. With
this share, five instances at 150 proposals gave the same answers, two of them in 11-12
s instead of 19-26."""
SHRINK_WORK = 50.0
"""Deterministic time for shrinking a conflict to a minimal one, likewise: 15-20 s here
where its proofs are hard."""
TRY_WORK = 2.0
"""The least work a trial gets, and its share of the first proof's: three times it."""
TRY_SHARE = 3.0


def _shrink(
    conflict_model: _ConflictModel,
    core: list[str],
    first_work: float,
    time_limit: float,
    scale: float = 1.0,
) -> tuple[list[str], bool]:
    """A conflict within `core` (rules that cannot all hold), and whether it is proven
    minimal: every member needed, the others without it having a schedule.

    A deletion filter by chunks that grow: drop the next `chunk` members and keep the
    rest when it still cannot hold (and CP-SAT's core of that proof, often smaller),
    doubling the chunk; when the rest can hold, one of them is needed: back to one
    member at a time from there. A member found needed stays needed in every smaller
    conflict, and where every member is needed this asks as many questions as one at a
    time. Trials get three times the first proof's work, at least `TRY_WORK`; the
    members a trial did not decide are asked again with the work left, shared out. (One
    at a time with the time limit's share each, 1 s, each proof on bench-40-easy with
    12 slots closed, 1-4 s, ran out, and after 60 s the answer was all 69 rules, not
    proven minimal.)"""
    deadline = time.perf_counter() + time_limit
    budget = SHRINK_WORK * scale
    per_try = max(TRY_WORK, TRY_SHARE * first_work)
    undecided: list[str] = []

    def ask(trial: list[str], work: float) -> int | None:
        """The trial's status, None when out of work or time."""
        nonlocal budget
        seconds = deadline - time.perf_counter()
        if min(work, budget) < TRY_WORK / 2 or seconds <= 0:
            return None
        status = conflict_model.solve(trial, seconds, min(work, budget))
        budget -= conflict_model.work_done
        return status

    def smaller(trial: list[str]) -> list[str]:
        """The trial, or CP-SAT's core of its proof when that is smaller."""
        core = set(conflict_model.core())
        return [k for k in trial if k in core] if core else trial

    index, chunk = 0, 1
    while index < len(core):
        chunk = min(chunk, len(core) - index)
        trial = core[:index] + core[index + chunk :]
        status = ask(trial, per_try)
        if status is None:
            return core, False
        if status == cp_model.INFEASIBLE:
            core = smaller(trial)
            index = min(index, len(core))
            chunk *= 2
        elif chunk > 1:
            chunk = 1
        else:
            if status not in (cp_model.FEASIBLE, cp_model.OPTIMAL):
                undecided.append(core[index])
            index += 1
    proven = True
    for n, key in enumerate(undecided):
        if key not in core:
            continue
        trial = [k for k in core if k != key]
        status = ask(trial, budget / (len(undecided) - n))
        if status == cp_model.INFEASIBLE:
            core = smaller(trial)
        elif status not in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            proven = False
    return core, proven
