"""The CP-SAT model: which proposals form a workshop in which slot.

Decision: `assign[p, s]` is true when proposal p is in the workshop of slot s;
only candidate pairs (see `scheduler.candidates`) get a variable. Each slot has
one theme and (unless mixed workshops are allowed) one language. A workshop's
minutes follow from its counts: whatever the talks, opening, closing and
changeovers leave goes to participatory time up to its maximum, the rest is
idle. Every soft rule adds exactly reified terms, so the objective of any
solution equals what the independent validator recomputes.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.candidates import CandidateTable
from scheduler.instance import Instance, Proposal, Slot
from scheduler.search import cp_solver
from scheduler.shapes import frame_minutes, outside_preference, workshop_shapes
from scheduler.solution import Solution

logger = logging.getLogger(__name__)

LinearExpr = cp_model.LinearExprT

AGGREGATE_FROM = 5
"""Session blocks of at least this many parallel slots get count-based parallel terms."""


@dataclass
class PenaltyTerm:
    """A named term of the objective: `weight * expr`, concerning some proposals and slots
    (named for debugging the model: the solution's penalty list is the validator's)."""

    rule: str
    weight: int
    expr: LinearExpr
    proposals: tuple[str, ...] = ()
    slots: tuple[str, ...] = ()
    detail: str = ""


@dataclass
class Variables:
    """Every decision variable of the model, keyed by domain ids."""

    assign: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    used: dict[str, cp_model.IntVar] = field(default_factory=dict)
    theme: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    language: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    keynotes: dict[str, LinearExpr] = field(default_factory=dict)
    initiatives: dict[str, LinearExpr] = field(default_factory=dict)
    shape: dict[str, dict[tuple[int, int], cp_model.IntVar]] = field(default_factory=dict)
    idle: dict[str, LinearExpr] = field(default_factory=dict)
    shortfall: dict[str, LinearExpr] = field(default_factory=dict)


def overlapping_pairs(slots: list[Slot]) -> list[tuple[Slot, Slot]]:
    """Pairs of distinct slots whose times overlap, in instance order."""
    ordered = sorted(enumerate(slots), key=lambda e: (e[1].start, e[0]))
    pairs = []
    for i, (ia, a) in enumerate(ordered):
        for ib, b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            pairs.append((a, b) if ia < ib else (b, a))
    position = {id(slot): i for i, slot in enumerate(slots)}
    return sorted(pairs, key=lambda pair: (position[id(pair[0])], position[id(pair[1])]))


def overlap_components(slots: list[Slot]) -> list[list[Slot]]:
    """Groups of slots linked by overlaps (connected components), in time order."""
    ordered = sorted(enumerate(slots), key=lambda e: (e[1].start, e[0]))
    components: list[list[Slot]] = []
    reach = None
    for _, slot in ordered:
        if reach is None or slot.start >= reach:
            components.append([])
            reach = slot.end
        components[-1].append(slot)
        reach = max(reach, slot.end)
    return components


def all_overlap(slots: list[Slot]) -> bool:
    """True when every two of the slots overlap (intervals: they share a moment)."""
    return max(s.start for s in slots) < min(s.end for s in slots)


def overlap_cliques(slots: list[Slot]) -> list[list[Slot]]:
    """Maximal sets of slots that all overlap at one moment (slots are intervals)."""
    cliques: list[list[Slot]] = []
    for moment in sorted({s.start for s in slots}):
        active = [s for s in slots if s.start <= moment < s.end]
        if len(active) > 1 and not any(set(map(id, active)) <= set(map(id, c)) for c in cliques):
            cliques = [c for c in cliques if not set(map(id, c)) <= set(map(id, active))]
            cliques.append(active)
    return cliques


class WorkshopModel:
    """Builds the CP-SAT model of an instance, one method per rule."""

    def __init__(
        self,
        instance: Instance,
        candidates: CandidateTable,
        reference: Solution | None = None,
    ):
        self.instance = instance
        self.candidates = candidates
        self.reference = reference
        self.model = cp_model.CpModel()
        self.vars = Variables()
        self.terms: list[PenaltyTerm] = []
        self._proposals_in: dict[str, list[str]] = defaultdict(list)
        self._themes_of: dict[str, list[str]] = {}
        self._languages_of: dict[str, list[str]] = {}
        self.hinted: cp_model.CpSolver | None = None
        """After a complete hint: the solve holding it, every variable's value and the
        hinted schedule's exact objective (a schedule of the model, ready to read)."""
        self._build()

    # -- construction ------------------------------------------------------

    def _build(self) -> None:
        self._add_variables()
        self.placed_once()
        self.one_theme_and_language_per_workshop()
        self.composition()
        self.durations()
        self.theme()
        self.language()
        self.speaker_clash()
        self.pin()
        self.slot_lock()
        self.together()
        self.apart()
        self.objective()

    def _add_variables(self) -> None:
        model, v = self.model, self.vars
        for proposal in self.instance.proposals:
            for slot_id in self.candidates.slots[proposal.id]:
                v.assign[proposal.id, slot_id] = model.new_bool_var(
                    f"assign[{proposal.id},{slot_id}]"
                )
                self._proposals_in[slot_id].append(proposal.id)
        for slot in self.instance.slots:
            v.used[slot.id] = model.new_bool_var(f"used[{slot.id}]")
            members = self._proposals_in[slot.id]
            themes = sorted({t for p in members for t in self._proposal(p).themes})
            self._themes_of[slot.id] = themes
            for theme_id in themes:
                v.theme[slot.id, theme_id] = model.new_bool_var(f"theme[{slot.id},{theme_id}]")
            languages = sorted({self._proposal(p).language.value for p in members})
            self._languages_of[slot.id] = languages
            for lang in languages:
                v.language[slot.id, lang] = model.new_bool_var(f"language[{slot.id},{lang}]")

    def themes_of(self, slot_id: str) -> list[str]:
        """Themes the workshop of a slot could have (those of its candidate proposals)."""
        return self._themes_of[slot_id]

    def languages_of(self, slot_id: str) -> list[str]:
        """Languages the workshop of a slot could speak."""
        return self._languages_of[slot_id]

    def _proposal(self, proposal_id: str) -> Proposal:
        return self.instance.proposal_by_id[proposal_id]

    def _assigned(self, slot_id: str) -> list[cp_model.IntVar]:
        return [self.vars.assign[p, slot_id] for p in self._proposals_in[slot_id]]

    # -- hard rules ----------------------------------------------------------

    def placed_once(self) -> None:
        """placed-once: each proposal in at most one workshop; a slot is used iff it holds one."""
        for proposal in self.instance.proposals:
            options = [self.vars.assign[proposal.id, s] for s in self.candidates.slots[proposal.id]]
            if options:
                self.model.add_at_most_one(options)
        for slot in self.instance.slots:
            members = self._assigned(slot.id)
            used = self.vars.used[slot.id]
            for member in members:
                self.model.add_implication(member, used)
            if members:
                self.model.add_bool_or(members).only_enforce_if(used)
            else:
                self.model.add(used == 0)

    def one_theme_and_language_per_workshop(self) -> None:
        """theme, language: a used slot has exactly one theme and, unless mixed workshops
        are allowed, one language (one-workshop-per-slot holds by construction: a slot has
        one `used` literal, one workshop's)."""
        mixed = self.instance.rules.mixed_language
        for slot in self.instance.slots:
            used = self.vars.used[slot.id]
            themes = [self.vars.theme[slot.id, t] for t in self._themes_of[slot.id]]
            self.model.add(sum(themes) == used)
            languages = [self.vars.language[slot.id, x] for x in self._languages_of[slot.id]]
            if not mixed:
                self.model.add(sum(languages) == used)
        if self.instance.rules.keynotes_per_workshop.min >= 1:
            self._keynote_support()

    def _keynote_support(self) -> None:
        """Redundant cuts: a workshop's theme and language are those of one of its keynotes.

        Valid because every workshop holds a keynote; they tighten the LP relaxation,
        which otherwise spreads themes and languages fractionally over a slot.
        """
        for slot in self.instance.slots:
            keynotes = [self._proposal(p) for p in self._proposals_in[slot.id]]
            keynotes = [p for p in keynotes if p.is_keynote]
            for theme_id in self._themes_of[slot.id]:
                support = [
                    self.vars.assign[p.id, slot.id] for p in keynotes if theme_id in p.themes
                ]
                self.model.add(self.vars.theme[slot.id, theme_id] <= sum(support))
            if self.instance.rules.mixed_language:
                continue
            for lang in self._languages_of[slot.id]:
                support = [
                    self.vars.assign[p.id, slot.id] for p in keynotes if p.language.value == lang
                ]
                self.model.add(self.vars.language[slot.id, lang] <= sum(support))

    def composition(self) -> None:
        """composition: keynote and initiative counts within the rules' ranges."""
        rules = self.instance.rules
        for slot in self.instance.slots:
            members = self._proposals_in[slot.id]
            keynotes = sum(
                self.vars.assign[p, slot.id] for p in members if self._proposal(p).is_keynote
            )
            initiatives = sum(
                self.vars.assign[p, slot.id] for p in members if not self._proposal(p).is_keynote
            )
            used = self.vars.used[slot.id]
            k_range, i_range = rules.keynotes_per_workshop, rules.initiatives_per_workshop
            self.model.add(keynotes >= k_range.min * used)
            self.model.add(keynotes <= k_range.max * used)
            self.model.add(initiatives >= i_range.min * used)
            self.model.add(initiatives <= i_range.max * used)
            self.vars.keynotes[slot.id] = keynotes
            self.vars.initiatives[slot.id] = initiatives

    def durations(self) -> None:
        """durations: talks, opening, closing and min participatory time fit the slot.

        spare = slot - opening - closing - changeovers - talks; participatory time is
        min(spare, max * keynotes); idle = max(0, spare - max * keynotes) and
        shortfall = max(0, target * keynotes - spare).
        """
        for slot in self.instance.slots:
            if self._uniform_talks(slot.id):
                self._durations_by_shape(slot)
            else:
                self._durations_by_minutes(slot)

    def _uniform_talks(self, slot_id: str) -> bool:
        """True when every candidate talk of the slot lasts its format's default minutes."""
        rules = self.instance.rules
        return all(
            self.instance.talk_minutes(p) == rules.talk_minutes(p.format)
            for p in map(self._proposal, self._proposals_in[slot_id])
        )

    def _frame(self, slot: Slot) -> int:
        return frame_minutes(self.instance.rules, slot)

    def _durations_by_shape(self, slot: Slot) -> None:
        """One literal per workshop shape (keynotes, initiatives): idle and shortfall are constants.

        With default talk lengths a shape fixes every minute of the workshop, so the
        costs become linear in the shape literals and the LP bound is tight.
        """
        shapes: dict[tuple[int, int], cp_model.IntVar] = {}
        idle_terms, short_terms = [], []
        for (k, i), (idle, short) in workshop_shapes(
            self.instance.rules, self._frame(slot)
        ).items():
            var = self.model.new_bool_var(f"shape[{slot.id},{k}k+{i}i]")
            shapes[k, i] = var
            idle_terms.append(idle * var)
            short_terms.append(short * var)
        self.model.add(sum(shapes.values()) == self.vars.used[slot.id])
        self.model.add(self.vars.keynotes[slot.id] == sum(k * v for (k, _), v in shapes.items()))
        self.model.add(self.vars.initiatives[slot.id] == sum(i * v for (_, i), v in shapes.items()))
        self.vars.shape[slot.id] = shapes
        self.vars.idle[slot.id] = sum(idle_terms)
        self.vars.shortfall[slot.id] = sum(short_terms)

    def _durations_by_minutes(self, slot: Slot) -> None:
        """General case (some talk overrides its minutes): spare minutes as a linear expression."""
        rules = self.instance.rules
        p_rules = rules.participatory
        change = rules.changeover_minutes
        used = self.vars.used[slot.id]
        spare = self._frame(slot) * used - sum(
            (self.instance.talk_minutes(self._proposal(p)) + change) * self.vars.assign[p, slot.id]
            for p in self._proposals_in[slot.id]
        )
        keynotes = self.vars.keynotes[slot.id]
        self.model.add(spare >= p_rules.min * keynotes)
        idle = self.model.new_int_var(0, max(0, slot.minutes), f"idle[{slot.id}]")
        self.model.add_max_equality(idle, [0, spare - p_rules.max * keynotes])
        # (up to the target of every keynote: bounded by the slot's minutes, a shortfall
        # larger than the slot ruled a valid workshop out, and "optimal" was wrong)
        most = p_rules.target * rules.keynotes_per_workshop.max
        short = self.model.new_int_var(0, max(0, most), f"shortfall[{slot.id}]")
        self.model.add_max_equality(short, [0, p_rules.target * keynotes - spare])
        self.vars.idle[slot.id] = idle
        self.vars.shortfall[slot.id] = short

    def theme(self) -> None:
        """theme: the workshop's theme is one of each member's themes."""
        for (proposal_id, slot_id), assign in self.vars.assign.items():
            options = [self.vars.theme[slot_id, t] for t in self._proposal(proposal_id).themes]
            self.model.add_bool_or(options).only_enforce_if(assign)

    def language(self) -> None:
        """language: every member speaks the workshop's language (unless mixed is allowed)."""
        for (proposal_id, slot_id), assign in self.vars.assign.items():
            lang = self._proposal(proposal_id).language.value
            self.model.add_implication(assign, self.vars.language[slot_id, lang])
        for (slot_id, lang), var in self.vars.language.items():
            speakers_of_lang = [
                self.vars.assign[p, slot_id]
                for p in self._proposals_in[slot_id]
                if self._proposal(p).language.value == lang
            ]
            self.model.add_bool_or(speakers_of_lang).only_enforce_if(var)

    def speaker_clash(self) -> None:
        """speaker-clash: no speaker in two workshops whose slots overlap."""
        talks: dict[str, list[str]] = defaultdict(list)
        for proposal in self.instance.proposals:
            for speaker_id in proposal.speakers:
                talks[speaker_id].append(proposal.id)
        for speaker_id, proposal_ids in talks.items():
            if len(proposal_ids) < 2:
                continue
            present: dict[str, cp_model.IntVar] = {}
            for slot in self.instance.slots:
                options = [
                    self.vars.assign[p, slot.id]
                    for p in proposal_ids
                    if (p, slot.id) in self.vars.assign
                ]
                if not options:
                    continue
                var = self.model.new_bool_var(f"present[{speaker_id},{slot.id}]")
                for option in options:
                    self.model.add_implication(option, var)
                present[slot.id] = var
            slots = [s for s in self.instance.slots if s.id in present]
            for clique in overlap_cliques(slots):
                self.model.add_at_most_one(present[s.id] for s in clique)

    def pin(self) -> None:
        """pin: a pinned proposal is in its slot."""
        for proposal in self.instance.proposals:
            if proposal.pin is None:
                continue
            key = (proposal.id, proposal.pin)
            if key in self.vars.assign:
                self.model.add(self.vars.assign[key] == 1)
            else:
                self.model.add_bool_or([])  # the pinned slot was ruled out: no schedule exists

    def slot_lock(self) -> None:
        """slot-lock: closed slots stay empty; a fixed theme is the only one allowed.

        A frozen slot's only candidates are the proposals pinned to it, and a fixed
        language's are the proposals in it (`candidates.slot_exclusion`): no variable to fix."""
        for slot in self.instance.slots:
            if slot.closed:
                self.model.add(self.vars.used[slot.id] == 0)
            if slot.theme is not None:
                for theme_id in self._themes_of[slot.id]:
                    if theme_id != slot.theme:
                        self.model.add(self.vars.theme[slot.id, theme_id] == 0)

    def together(self) -> None:
        """together: proposals of a group share their slot (or none of them is placed)."""
        for group in self.instance.constraints.together:
            first, *others = group.proposals
            for other in others:
                for slot in self.instance.slots:
                    a = self.vars.assign.get((first, slot.id))
                    b = self.vars.assign.get((other, slot.id))
                    if a is not None and b is not None:
                        self.model.add(a == b)
                    elif a is not None:
                        self.model.add(a == 0)
                    elif b is not None:
                        self.model.add(b == 0)

    def apart(self) -> None:
        """apart: at most one proposal of a group per workshop."""
        for group in self.instance.constraints.apart:
            for slot in self.instance.slots:
                members = [
                    self.vars.assign[p, slot.id]
                    for p in group.proposals
                    if (p, slot.id) in self.vars.assign
                ]
                if len(members) > 1:
                    self.model.add_at_most_one(members)

    # -- soft rules ----------------------------------------------------------

    def objective(self) -> None:
        """Sum of weighted soft-rule terms; a rule adds terms only when its weight is positive."""
        weights = self.instance.rules.weights
        for rule, build in [
            ("unscheduled", self.unscheduled),
            ("secondary-theme", self.secondary_theme),
            ("parallel-theme", self.parallel_theme),
            ("parallel-language", self.parallel_language),
            ("participatory-target", self.participatory_target),
            ("idle-minutes", self.idle_minutes),
            ("speaker-preference", self.speaker_preference),
            ("moved", self.moved),
        ]:
            weight = weights.of(rule)
            if weight > 0:
                build(weight)
        self.model.minimize(sum(t.weight * t.expr for t in self.terms))

    def _penalise(self, rule: str, weight: int, expr: LinearExpr, **concerns) -> None:
        self.terms.append(PenaltyTerm(rule, weight, expr, **concerns))

    def _both(self, a: cp_model.IntVar, b: cp_model.IntVar, name: str) -> cp_model.IntVar:
        """A literal equal to a AND b."""
        both = self.model.new_bool_var(name)
        self.model.add_bool_and([a, b]).only_enforce_if(both)
        self.model.add_bool_or([a.Not(), b.Not()]).only_enforce_if(both.Not())
        return both

    def unscheduled(self, weight: int) -> None:
        """unscheduled: weight per proposal in no workshop."""
        for proposal in self.instance.proposals:
            options = [self.vars.assign[proposal.id, s] for s in self.candidates.slots[proposal.id]]
            self._penalise(
                "unscheduled",
                weight,
                1 - sum(options),
                proposals=(proposal.id,),
                detail=f"{proposal.id} is not placed",
            )

    def secondary_theme(self, weight: int) -> None:
        """secondary-theme: weight per proposal placed under a theme other than its primary."""
        for (proposal_id, slot_id), assign in self.vars.assign.items():
            proposal = self._proposal(proposal_id)
            if len(proposal.themes) < 2:
                continue
            primary = self.vars.theme[slot_id, proposal.themes[0]]
            secondary = self._both(assign, primary.Not(), f"secondary[{proposal_id},{slot_id}]")
            self._penalise(
                "secondary-theme",
                weight,
                secondary,
                proposals=(proposal_id,),
                slots=(slot_id,),
                detail=f"{proposal_id} placed under a secondary theme in {slot_id}",
            )

    def _parallel(
        self,
        rule: str,
        weight: int,
        table: dict[tuple[str, str], cp_model.IntVar],
        keys_of: dict[str, list[str]],
    ) -> None:
        """Pairs of overlapping workshops sharing a key (theme or language).

        Where every two of at least AGGREGATE_FROM slots overlap (a session block),
        the slots are interchangeable for this rule: the pairs sharing key k number
        C(n_k, 2) with n_k the workshops of key k, an exact piecewise-linear term
        with one literal per possible n_k (tight LP, no literal per pair). Other
        components get one AND literal per overlapping pair and key.
        """
        what = rule.split("-")[1]
        blocks = [
            c
            for c in overlap_components(self.instance.slots)
            if len(c) >= AGGREGATE_FROM and all_overlap(c)
        ]
        aggregated = {s.id for block in blocks for s in block}
        for a, b in overlapping_pairs(self.instance.slots):
            if a.id in aggregated:
                continue
            for key in sorted(set(keys_of[a.id]) & set(keys_of[b.id])):
                both = self._both(
                    table[a.id, key], table[b.id, key], f"{rule}[{a.id},{b.id},{key}]"
                )
                self._penalise(
                    rule,
                    weight,
                    both,
                    slots=(a.id, b.id),
                    detail=f"{a.id} and {b.id} overlap with the same {what} {key}",
                )
        for block in blocks:
            ids = tuple(s.id for s in block)
            for key in sorted({k for s in ids for k in keys_of[s]}):
                members = [table[s, key] for s in ids if (s, key) in table]
                if len(members) < 2:
                    continue
                count = {
                    n: self.model.new_bool_var(f"{rule}[{ids[0]}+,{key}]={n}")
                    for n in range(len(members) + 1)
                }
                self.model.add_exactly_one(count.values())
                self.model.add(sum(members) == sum(n * var for n, var in count.items()))
                pairs = sum(n * (n - 1) // 2 * var for n, var in count.items() if n >= 2)
                self._penalise(
                    rule,
                    weight,
                    pairs,
                    slots=ids,
                    detail=f"pairs of overlapping workshops with the same {what} {key} "
                    f"among {ids[0]} and {len(ids) - 1} slots at the same time",
                )

    def parallel_theme(self, weight: int) -> None:
        """parallel-theme: weight per pair of overlapping workshops with the same theme."""
        self._parallel("parallel-theme", weight, self.vars.theme, self._themes_of)

    def parallel_language(self, weight: int) -> None:
        """parallel-language: weight per pair of overlapping workshops and language they share."""
        self._parallel("parallel-language", weight, self.vars.language, self._languages_of)

    def _per_slot(self, rule: str, weight: int, minutes: dict[str, LinearExpr], what: str) -> None:
        for slot in self.instance.slots:
            self._penalise(
                rule, weight, minutes[slot.id], slots=(slot.id,), detail=f"{what} in {slot.id}"
            )

    def participatory_target(self, weight: int) -> None:
        """participatory-target: weight per minute of participatory time below the target."""
        self._per_slot(
            "participatory-target", weight, self.vars.shortfall, "participatory time below target"
        )

    def idle_minutes(self, weight: int) -> None:
        """idle-minutes: weight per idle minute in a used slot."""
        self._per_slot("idle-minutes", weight, self.vars.idle, "idle minutes")

    def speaker_preference(self, weight: int) -> None:
        """speaker-preference: weight per proposal placed outside its preferred windows."""
        for (proposal_id, slot_id), assign in self.vars.assign.items():
            if not outside_preference(self.instance, proposal_id, slot_id):
                continue
            self._penalise(
                "speaker-preference",
                weight,
                assign,
                proposals=(proposal_id,),
                slots=(slot_id,),
                detail=f"{proposal_id} placed outside preferred windows in {slot_id}",
            )

    def moved(self, weight: int) -> None:
        """moved: weight per proposal whose slot differs from the reference schedule."""
        if self.reference is None:
            return
        published = {p: w.slot for w in self.reference.workshops for p in w.proposals}
        for proposal_id, slot_id in sorted(published.items()):
            if proposal_id not in self.instance.proposal_by_id:
                continue
            kept = self.vars.assign.get((proposal_id, slot_id))
            self._penalise(
                "moved",
                weight,
                1 - kept if kept is not None else 1,
                proposals=(proposal_id,),
                slots=(slot_id,),
                detail=f"{proposal_id} leaves {slot_id}",
            )

    def hint(self, solution: Solution, complete: bool = True) -> None:
        """Give CP-SAT a known schedule (e.g. the published one) as a starting point.

        Hints every placement, and each slot's use, theme, language and shape, so a
        complete schedule (such as the greedy one) is a complete starting solution.
        Values are given as 0 or 1: OR-Tools 9.10's `add_hint` appends them to the
        protobuf as they are, and the protobuf 7 pip installs with it refuses a `bool`.
        """
        placed = {(p, w.slot) for w in solution.workshops for p in w.proposals}
        for key, var in self.vars.assign.items():
            self.model.add_hint(var, int(key in placed))
        by_slot = {w.slot: w for w in solution.workshops}
        for slot in self.instance.slots:
            workshop = by_slot.get(slot.id)
            members = [
                self._proposal(p)
                for p in (workshop.proposals if workshop else [])
                if (p, slot.id) in self.vars.assign
            ]
            self.model.add_hint(self.vars.used[slot.id], int(bool(members)))
            for theme_id in self._themes_of[slot.id]:
                chosen = bool(members) and workshop.theme == theme_id
                self.model.add_hint(self.vars.theme[slot.id, theme_id], int(chosen))
            languages = {p.language.value for p in members}
            for lang in self._languages_of[slot.id]:
                self.model.add_hint(self.vars.language[slot.id, lang], int(lang in languages))
            keynotes = sum(p.is_keynote for p in members)
            shape = (keynotes, len(members) - keynotes)
            for key, var in self.vars.shape.get(slot.id, {}).items():
                self.model.add_hint(var, int(bool(members) and key == shape))
        if complete:
            self._complete_hint()

    def _complete_hint(self, seconds: float = 5.0) -> bool:
        """Extend the hint to every variable (counts, AND literals, ...) when it is feasible.

        CP-SAT only starts from a hint it can complete; a partial hint of a large
        model was often lost (no schedule in 10 s on 150 proposals although the
        hint was a complete schedule). With the hinted literals fixed the rest
        follows by propagation, so this solve is quick.
        """
        hint = self.model.proto.solution_hint
        if not hint.vars:
            return False
        fixed = self.model.clone()
        for index, value in zip(list(hint.vars), list(hint.values), strict=True):
            fixed.add(fixed.get_int_var_from_proto_index(index) == value)
        solver = cp_solver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = seconds
        if solver.solve(fixed) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            logger.info("the hint is not a feasible schedule of this model; kept as given")
            return False
        self.model.clear_hints()
        for index in range(len(self.model.proto.variables)):
            var = self.model.get_int_var_from_proto_index(index)
            self.model.add_hint(var, solver.value(var))
        self.hinted = solver
        return True
