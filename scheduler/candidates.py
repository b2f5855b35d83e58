"""Candidate slots of each proposal, computed before the model is built.

A slot is a candidate for a proposal when nothing about the proposal alone rules
it out: the slot is open (and, when frozen, the proposal is pinned to it), long enough for the smallest workshop holding it, its
fixed language and theme fit, the proposal's pin names it, and every speaker is
available for the whole slot. A proposal with no candidate is reported with the
concrete reason each slot failed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from scheduler import reasons as catalog
from scheduler.instance import Format, Instance, Language, Proposal, Slot, Speaker, covers
from scheduler.text import LANGUAGE_FR, fmt_span


@dataclass
class CandidateTable:
    """Candidate slots per proposal, and why the others were ruled out."""

    slots: dict[str, list[str]] = field(default_factory=dict)
    excluded: dict[str, dict[str, str]] = field(default_factory=dict)

    def reasons(self, proposal_id: str) -> list[str]:
        """Sentences explaining why a proposal has no candidate slot, grouped by cause;
        a cause that rules out many slots names the first `REASON_SLOTS` and counts the
        others, or says "every slot" (at 600 proposals one sentence named 317 slots)."""
        excluded = self.excluded.get(proposal_id, {})
        grouped: dict[str, list[str]] = defaultdict(list)
        for slot_id, why in excluded.items():
            grouped[why].append(slot_id)
        every = len(grouped) == 1 and not self.slots.get(proposal_id)
        count = len(excluded) + len(self.slots.get(proposal_id, []))
        return [
            why
            if why == NO_THEME
            else catalog.AT_SLOTS.format(
                why=why,
                slots=catalog.slots_named(
                    slots,
                    REASON_SLOTS,
                    every,
                    # a pin's other slots were named, ten and "1 more"
                    other=len(slots) == count - 1
                    and any(
                        t.pattern.fullmatch(why) is not None
                        for t in (catalog.PINNED_ELSEWHERE, catalog.KEPT_IN)
                    ),
                ),
            )
            for why, slots in grouped.items()
        ]


REASON_SLOTS = 10
"""Slots named in one reason; the others are counted."""
NO_THEME = catalog.NO_THEME.format()
"""The reason of a proposal without a theme: its own, the same for every slot, which
a reason then does not list."""
NO_WINDOW = catalog.NO_WINDOW
"""What `explain` says of a speaker whose `available` lists no window, as the reasons do."""


def speaker_unavailability(instance: Instance, speaker: Speaker, slot: Slot) -> str | None:
    """Why `speaker` cannot be in `slot`, or None when available for the whole slot."""
    available, unavailable = instance.recorded_windows(speaker)  # as the file says them
    if speaker.available is not None and not covers(speaker.available, slot.start, slot.end):
        if not available:
            return catalog.NEVER_AVAILABLE.format(name=speaker.name, speaker=speaker.id)
        return catalog.AVAILABLE_ONLY.format(
            name=speaker.name,
            speaker=speaker.id,
            windows=[fmt_span(instance, w.start, w.end) for w in available],
        )
    for window in speaker.unavailable:
        if window.overlaps(slot.start, slot.end):
            recorded = next(
                (w for w in unavailable if w.overlaps(window.start, window.end)), window
            )  # the window as recorded, of which `window` is what a waiver left
            return catalog.UNAVAILABLE.format(
                name=speaker.name,
                speaker=speaker.id,
                span=fmt_span(instance, recorded.start, recorded.end),
            )
    return None


def absent_throughout(instance: Instance, speaker: Speaker) -> bool:
    """Whether the speaker's windows rule out every slot of the instance (free only over
    lunch, `available: []`): her talks' reasons then say so at every slot, before any
    slot's own (it read "slot closed" and "slot's theme is fixed" at a third of them, as
    though opening one would let her speak)."""
    limited = speaker.available is not None or speaker.unavailable
    return bool(limited) and all(
        speaker_unavailability(instance, speaker, slot) is not None for slot in instance.slots
    )


class Cheapest(NamedTuple):
    """Minutes of the instance's shortest keynote and initiative talks."""

    keynote: int
    initiative: int


def cheapest_talks(instance: Instance) -> Cheapest:
    """The shortest keynote and initiative talks of the instance (each format's rule
    length when it has none)."""
    shortest = {True: [], False: []}
    for proposal in instance.proposals:
        shortest[proposal.is_keynote].append(instance.talk_minutes(proposal))
    rules = instance.rules
    return Cheapest(
        min(shortest[True], default=rules.keynote_minutes),
        min(shortest[False], default=rules.initiative_minutes),
    )


def minimal_minutes(
    instance: Instance, proposal: Proposal, cheapest: Cheapest | None = None
) -> int:
    """Length of the smallest workshop that can hold `proposal`."""
    return workshop_minutes(instance, [proposal], cheapest)


def workshop_minutes(
    instance: Instance, proposals: list[Proposal], cheapest: Cheapest | None = None
) -> int:
    """Length of the smallest workshop that can hold all of `proposals`: their talks,
    each keynote's least participatory time, and the cheapest keynotes and initiatives
    it still needs (the rules' least of each per workshop)."""
    rules = instance.rules
    if cheapest is None:
        cheapest = cheapest_talks(instance)
    changeover = rules.changeover_minutes
    minutes = rules.opening_minutes + rules.closing_minutes + changeover
    minutes += sum(instance.talk_minutes(p) + changeover for p in proposals)
    keynotes = sum(p.is_keynote for p in proposals)
    minutes += keynotes * rules.participatory.min
    minutes += max(0, rules.keynotes_per_workshop.min - keynotes) * (
        cheapest.keynote + rules.participatory.min + changeover
    )
    # (a workshop with initiatives below the rules' least was counted possible: a keynote
    # pinned to a 60-minute slot that only it fills, under "initiatives 1-5", passed the
    # pins' check and the block path's first fit then ended with no schedule at all)
    minutes += max(0, rules.initiatives_per_workshop.min - (len(proposals) - keynotes)) * (
        cheapest.initiative + changeover
    )
    return minutes


def together_units(instance: Instance) -> dict[str, list[Proposal]]:
    """Each proposal of a `together` group -> all the proposals it must share a
    workshop with, itself included (groups that share a proposal merged), in instance
    order."""
    root = {p.id: p.id for p in instance.proposals}

    def find(x: str) -> str:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for group in instance.constraints.together:
        for other in group.proposals[1:]:
            root[find(other)] = find(group.proposals[0])
    members: dict[str, list[Proposal]] = defaultdict(list)
    for proposal in instance.proposals:
        members[find(proposal.id)].append(proposal)
    return {p.id: unit for unit in members.values() if len(unit) > 1 for p in unit}


def group_exclusion(
    instance: Instance,
    unit: list[Proposal],
    slot: Slot,
    partners: dict[str, str | None],
    needed: int | None = None,
) -> str | None:
    """Why `slot` cannot hold a `together` unit (its members each can, but for the
    `partners`' own reasons, given), or None: a partner that cannot go there, or a
    workshop that cannot hold them all (counts, language, a shared theme, minutes).
    Without it a pair of keynotes under "keynotes 0-1" stayed candidates everywhere,
    and the relaxation's bound counted them placed."""
    # what no workshop anywhere can hold first: 8 of 12 slots said a partner's
    # availability kept the group of 5 initiatives out, where at most 4 fit any workshop
    anywhere = misfits(instance, unit, slot.minutes, needed=0)
    if anywhere:
        return catalog.TOGETHER_MISFIT.format(ids=[p.id for p in unit], misfit=anywhere[0])
    for partner, why in partners.items():
        if why is not None:
            return catalog.PARTNER_CANNOT.format(partner=partner, exclusion=why)
    found = misfits(instance, unit, slot.minutes, theme=slot.theme, needed=needed)
    if not found:
        return None
    return catalog.TOGETHER_MISFIT.format(ids=[p.id for p in unit], misfit=found[0])


def misfits(
    instance: Instance,
    proposals: list[Proposal],
    minutes: int,
    cheapest: Cheapest | None = None,
    theme: str | None = None,
    needed: int | None = None,
) -> list[str]:
    """Why one workshop of `minutes` (under the fixed `theme`, if any) cannot hold all
    of `proposals`, each as the end of a sentence about them: too many keynotes or
    initiatives, two languages, no theme they all have, too few minutes (`needed`, the
    smallest workshop holding them, when known). Shared by the pins' check and the
    `together` groups'."""
    rules = instance.rules
    found = []
    keynotes = sum(p.is_keynote for p in proposals)
    for count, allowed, noun in (
        (keynotes, rules.keynotes_per_workshop.max, "keynote"),
        (len(proposals) - keynotes, rules.initiatives_per_workshop.max, "initiative"),
    ):
        if count > allowed:
            amount = catalog.amount(count, noun)
            found.append(catalog.TOO_MANY.format(amount=amount, allowed=allowed))
    languages = sorted({p.language.value for p in proposals})
    if not rules.mixed_language and len(languages) > 1:
        found.append(catalog.TWO_LANGUAGES.format(languages=languages))
    shared = set.intersection(*(set(p.themes) for p in proposals))
    if not shared:
        found.append(catalog.NO_SHARED_THEME.format())
    elif theme is not None and theme not in shared:
        found.append(catalog.NOT_SLOT_THEME.format(theme=theme))
    if needed is None:
        needed = workshop_minutes(instance, proposals, cheapest)
    if needed > minutes:
        found.append(catalog.TOO_LONG.format(minutes=minutes, needed=needed))
    return found


class ProposalTraits(NamedTuple):
    """Everything the checks `own_lack` and `slot_exclusion` read of a proposal.

    `candidate_table` checks each kind of slot once per traits and gives the verdicts
    to every proposal that has them, so a check reading anything else of a proposal
    would be misapplied: its key once lacked the format, and a 30-minute keynote (the
    minimal minutes of a 10-minute initiative) got an initiative's "no workshop may
    hold an initiative" and was left out. A new check adds what it reads here."""

    themes: frozenset[str]
    format: Format
    language: Language
    pin: str | None
    pin_begun: bool
    """The pin names a slot `--keep-before` holds as begun."""
    needed: int
    """`minimal_minutes`: the smallest workshop holding it."""


class SlotTraits(NamedTuple):
    """Everything `slot_exclusion` reads of a slot, besides whether the proposal is
    pinned to it: `candidate_table` checks one slot per kind (the same traits) and gives
    its verdict to the others. Its key once lacked `begun`, and a coordinator-frozen
    slot was said "slot begun (its workshop is kept as published)" like a kept one. A
    new check adds what it reads here."""

    closed: bool
    begun_closed: bool
    """Closed by `--keep-before`: begun with no workshop kept."""
    frozen: bool
    begun: bool
    """Frozen by `--keep-before`: begun, its workshop kept as published."""
    theme: str | None
    language: Language | None
    minutes: int


def proposal_traits(
    instance: Instance, proposal: Proposal, needed: int | None = None
) -> ProposalTraits:
    """What the slot checks read of `proposal` (`needed`: its `minimal_minutes`, when
    the caller has it)."""
    return ProposalTraits(
        themes=frozenset(proposal.themes),
        format=proposal.format,
        language=proposal.language,
        pin=proposal.pin,
        pin_begun=proposal.pin in instance.begun,
        needed=minimal_minutes(instance, proposal) if needed is None else needed,
    )


def slot_traits(instance: Instance, slot: Slot) -> SlotTraits:
    """What the slot checks read of `slot`."""
    return SlotTraits(
        closed=slot.closed,
        begun_closed=slot.id in instance.begun_closed,
        frozen=slot.frozen,
        begun=slot.id in instance.begun,
        theme=slot.theme,
        language=slot.language,
        minutes=slot.minutes,
    )


def own_exclusion(
    instance: Instance, proposal: Proposal, slot: Slot, needed: int | None = None
) -> str | None:
    """Why `slot` cannot hold `proposal` whatever else is placed, its `together` group
    aside, or None: its own lack (`own_lack`), a speaker there at no slot, the slot's
    checks (`slot_exclusion`), then its speakers' availability.

    `needed` is `minimal_minutes(instance, proposal)` when the caller has it already.
    """
    traits = proposal_traits(instance, proposal, needed)
    why = own_lack(instance, traits)
    if why is not None:
        return why
    for speaker_id in proposal.speakers:  # (a speaker there at no slot: her own lack too)
        speaker = instance.speaker_by_id[speaker_id]
        if absent_throughout(instance, speaker):
            return speaker_unavailability(instance, speaker, slot)
    why = slot_exclusion(traits, slot_traits(instance, slot), pinned_here=proposal.pin == slot.id)
    if why is not None:
        return why
    for speaker_id in proposal.speakers:
        why = speaker_unavailability(instance, instance.speaker_by_id[speaker_id], slot)
        if why:
            return why
    return None


def own_lack(instance: Instance, proposal: ProposalTraits) -> str | None:
    """Why no slot at all can hold a proposal with these traits (said at every slot,
    before any slot's own reason), or None: no theme, or a format the rules allow none of."""
    if not proposal.themes:
        return NO_THEME
    rules = instance.rules
    if proposal.format is Format.KEYNOTE:
        if rules.keynotes_per_workshop.max == 0:
            return catalog.KEYNOTE_NOT_ALLOWED.format()
    elif rules.initiatives_per_workshop.max == 0:
        return catalog.INITIATIVE_NOT_ALLOWED.format()
    return None


def slot_exclusion(proposal: ProposalTraits, slot: SlotTraits, pinned_here: bool) -> str | None:
    """Why a slot with these traits cannot hold a proposal with these (pinned to it or
    not), its speakers aside, or None. Reads its arguments only: `candidate_table`
    gives the verdict to every pair with the same (see `ProposalTraits`)."""
    if slot.closed:
        if slot.begun_closed:
            return catalog.SLOT_BEGUN_EMPTY.format()
        return catalog.SLOT_CLOSED.format()
    if proposal.pin is not None and not pinned_here:
        if proposal.pin_begun:
            return catalog.KEPT_IN.format(slot=proposal.pin)
        return catalog.PINNED_ELSEWHERE.format(slot=proposal.pin)
    if slot.frozen and not pinned_here:
        if slot.begun:
            return catalog.SLOT_BEGUN.format()
        return catalog.SLOT_FROZEN.format()
    if slot.theme is not None and slot.theme not in proposal.themes:
        return catalog.THEME_FIXED.format(theme=slot.theme)
    # a fixed language holds even where mixed workshops are allowed (rule slot-lock)
    if slot.language is not None and slot.language != proposal.language:
        return catalog.LANGUAGE_FIXED.format(language=slot.language.value)
    if proposal.needed > slot.minutes:
        return catalog.SLOT_TOO_SHORT.format(minutes=slot.minutes, needed=proposal.needed)
    return None


def unusable_slots(instance: Instance, lang: str = "en") -> list[tuple[str, str]]:
    """Open slots that no proposal can go to, whoever speaks, each with the reason: frozen
    with nothing pinned to it, a fixed theme or language that no proposal has, or too
    short for the smallest workshop of the proposals that could go there. They stay
    empty; a coordinator who typed a slot's end wrong would not see why otherwise.
    Proposals without a theme count for nothing (they go nowhere yet). Linear in
    proposals and slots (the candidate table's speakers are not needed). The reasons in
    English or French (`lang`)."""
    cheapest = cheapest_talks(instance)
    pinned: dict[str, list[int]] = defaultdict(list)
    shortest: dict[tuple[str, str], int] = {}  # (theme, language) -> least minutes
    held: set[tuple[str, str]] = set()  # the same, of proposals pinned somewhere
    for proposal in instance.proposals:
        if not proposal.themes:
            continue
        minutes = minimal_minutes(instance, proposal, cheapest)
        if proposal.pin is not None:
            held.update((theme, proposal.language.value) for theme in proposal.themes)
            pinned[proposal.pin].append(minutes)
            continue
        for theme in proposal.themes:
            key = (theme, proposal.language.value)
            shortest[key] = min(shortest.get(key, minutes), minutes)
    if not shortest and not pinned:
        return []
    keys = [*shortest, *held]
    had = ({theme for theme, _ in keys}, {language for _, language in keys})
    unusable = []
    for slot in instance.slots:
        if slot.closed:
            continue
        fits = list(pinned.get(slot.id, []))
        if not slot.frozen:
            fits += [
                minutes
                for (theme, language), minutes in shortest.items()
                if slot.theme in (None, theme)
                and (slot.language is None or slot.language.value == language)
            ]
        if fits and min(fits) <= slot.minutes:
            continue
        matches = any(
            slot.theme in (None, theme)
            and (slot.language is None or slot.language.value == language)
            for theme, language in held
        )
        # a slot fixing a theme and a language: the one no proposal has at all is the
        # reason ("no proposal has theme X and language en" read as "not both together")
        said: dict[str, bool] = {
            "theme": slot.theme is not None and (slot.language is None or slot.theme not in had[0]),
            "language": slot.language is not None
            and (slot.theme is None or slot.language.value not in had[1]),
        }
        said["together"] = slot.theme is not None and slot.language is not None
        said["together"] &= not said["theme"] and not said["language"]
        if said["together"]:  # (each is had, not the two together)
            said.update(theme=True, language=True)
        why = (_unusable_fr if lang == "fr" else _unusable_en)(instance, slot, fits, matches, said)
        unusable.append((slot.id, why))
    return unusable


def _unusable_en(
    instance: Instance, slot: Slot, fits: list[int], matches: bool, said: dict[str, bool]
) -> str:
    """Why `slot` can hold no workshop (`unusable_slots`): `fits`, the least minutes of
    the workshops that could go there; `matches`, whether proposals pinned elsewhere
    have its fixed theme and language; `said`, which of its fixed theme and language the
    reason names, and whether it names the two as had apart, not together."""
    if fits:
        return f"too short: {slot.minutes} min, the smallest workshop there takes {min(fits)}"
    if slot.frozen:
        return "frozen, and no proposal is pinned to it"
    fixed = [f"theme {slot.theme}"] if slot.theme is not None else []
    fixed += [f"language {slot.language.value}"] if slot.language is not None else []
    if not fixed:  # (every proposal pinned: "the proposals of its fixed  are")
        return "every proposal that could go there is pinned to another slot"
    if matches:
        return f"the proposals of its fixed {' and '.join(fixed)} are pinned elsewhere"
    if said["together"]:
        return f"no proposal has its fixed {' and '.join(fixed)} together"
    if said["theme"] and said["language"]:  # (neither is had)
        return f"no proposal has its fixed {fixed[0]}, and none its {fixed[1]}"
    return f"no proposal has its fixed {fixed[0] if said['theme'] else fixed[-1]}"


def _unusable_fr(
    instance: Instance, slot: Slot, fits: list[int], matches: bool, said: dict[str, bool]
) -> str:
    """`_unusable_en` in French, the theme by its French label."""
    if fits:
        return (
            f"trop court\u00a0: {slot.minutes}\u00a0min, le plus petit atelier possible y "
            f"dure {min(fits)}\u00a0min"
        )
    if slot.frozen:
        return "figé, et aucune proposition n'y est épinglée"
    theme, language = None, None
    if slot.theme is not None:
        found = instance.theme_by_id.get(slot.theme)
        label = found.label.get("fr") if found is not None else None
        theme = f"thème imposé «\u00a0{label}\u00a0»" if label else f"thème imposé {slot.theme}"
    if slot.language is not None:
        language = f"langue imposée ({LANGUAGE_FR[slot.language.value]})"
    if theme is None and language is None:
        return "toute proposition qui pourrait y aller est épinglée à un autre créneau"
    if matches:
        of = [f"du {theme}"] * (theme is not None) + [f"de la {language}"] * (language is not None)
        return f"les propositions {' et '.join(of)} sont épinglées ailleurs"
    if said["together"]:  # ("ni" said that none has either, where each is had)
        return f"aucune proposition n'a à la fois le {theme} et la {language}"
    if said["theme"] and said["language"]:  # (neither is had)
        return f"aucune proposition n'a le {theme}, ni la {language}"
    return f"aucune proposition n'a {f'le {theme}' if said['theme'] else f'la {language}'}"


def candidate_table(instance: Instance) -> CandidateTable:
    """Candidates of every proposal, in the instance's slot order.

    The checks that do not involve speakers read only a proposal's and a slot's traits
    (`ProposalTraits`, `SlotTraits`), so they run once per proposal traits and kind of
    slot; each speaker's availability runs once per speaker and slot time. Same result
    as calling `own_exclusion` (then `group_exclusion` for the `together` groups) for
    every pair, in a fraction of the time (seconds instead of minutes for 2000 proposals
    and 1000 slots; tests/conftest.py's `exclusion` is that pair-by-pair check).
    """
    table = CandidateTable()
    cheapest = cheapest_talks(instance)
    by_class: dict[ProposalTraits, tuple[list[str], dict[str, str]]] = {}
    by_speaker: dict[str, dict[str, str | None]] = {}
    # one check per kind of slot (26 kinds for 1000 slots on bench-2000-easy); the id
    # is not a trait, so a pinned proposal's are checked slot by slot
    traits_of = {s.id: slot_traits(instance, s) for s in instance.slots}
    kinds: dict[SlotTraits, list[Slot]] = defaultdict(list)
    by_reasons: dict[tuple, tuple[list[str], dict[str, str]]] = {}
    times: dict[tuple, list[Slot]] = defaultdict(list)  # speakers' checks read only these
    for slot in instance.slots:
        kinds[traits_of[slot.id]].append(slot)
        times[slot.start, slot.end].append(slot)
    for proposal in instance.proposals:
        traits = proposal_traits(instance, proposal, minimal_minutes(instance, proposal, cheapest))
        lack = own_lack(instance, traits)
        if traits not in by_class:
            if traits.pin is None:
                reasons = tuple(lack or slot_exclusion(traits, kind, False) for kind in kinds)
                if reasons not in by_reasons:
                    why_of = {
                        s.id: why for k, why in zip(kinds.values(), reasons, strict=True) for s in k
                    }
                    by_reasons[reasons] = _split(instance, why_of)
                by_class[traits] = by_reasons[reasons]
            else:
                why_of = {
                    s.id: lack or slot_exclusion(traits, traits_of[s.id], s.id == traits.pin)
                    for s in instance.slots
                }
                by_class[traits] = _split(instance, why_of)
        slots, excluded = by_class[traits]
        limited = [
            instance.speaker_by_id[s]
            for s in proposal.speakers
            if instance.speaker_by_id[s].available is not None
            or instance.speaker_by_id[s].unavailable
        ]
        if not limited:
            table.slots[proposal.id] = list(slots)
            table.excluded[proposal.id] = dict(excluded)
            continue
        for speaker in limited:
            if speaker.id not in by_speaker:
                by_speaker[speaker.id] = _availability(instance, speaker, times)
        absent = next(
            (sp for sp in limited if all(by_speaker[sp.id].values())), None
        )  # (as `absent_throughout`, from the checks made)
        if absent is not None and lack is None:  # (its own lack is said first)
            table.slots[proposal.id] = []
            # (in the instance's slot order, as everywhere: `_availability` goes by times)
            table.excluded[proposal.id] = {
                s.id: by_speaker[absent.id][s.id] for s in instance.slots
            }
            continue
        kept, ruled_out = [], dict(excluded)
        for slot_id in slots:
            why = None
            for speaker in limited:
                why = by_speaker[speaker.id][slot_id]
                if why:
                    break
            if why:
                ruled_out[slot_id] = why
            else:
                kept.append(slot_id)
        table.slots[proposal.id] = kept
        table.excluded[proposal.id] = {
            s.id: ruled_out[s.id] for s in instance.slots if s.id in ruled_out
        }
    _together(instance, table)
    return table


def _together(instance: Instance, table: CandidateTable) -> None:
    """A `together` group that fits no slot (`group_exclusion` everywhere its members
    could each go) can never be placed: its members lose their candidates in `table`,
    with the group's reasons. A group that fits somewhere keeps its members' own
    candidates (the rules keep it together; pruning them changed the ladder's branch
    and bound for nothing: bench-150-tight on work 2395 instead of its proven 2390)."""
    units = together_units(instance)
    if not units:
        return
    own = {p: set(table.slots[p]) for p in units}
    own_why = {p: dict(table.excluded[p]) for p in units}
    cheapest = cheapest_talks(instance)
    for proposal_id, unit in units.items():
        needed = workshop_minutes(instance, unit, cheapest)
        found = {}
        for slot_id in own[proposal_id]:
            partners = {
                q.id: None if slot_id in own[q.id] else own_why[q.id][slot_id]
                for q in unit
                if q.id != proposal_id
            }
            slot = instance.slot_by_id[slot_id]
            found[slot_id] = group_exclusion(instance, unit, slot, partners, needed)
        if any(why is None for why in found.values()):
            continue  # the group fits somewhere
        ruled_out = {**table.excluded[proposal_id], **found}
        table.slots[proposal_id] = []
        table.excluded[proposal_id] = {
            s.id: ruled_out[s.id] for s in instance.slots if s.id in ruled_out
        }


def _split(instance: Instance, why_of: dict[str, str | None]) -> tuple[list[str], dict[str, str]]:
    """The candidate slots (reason None) and the others with their reasons, in slot order."""
    slots = [s.id for s in instance.slots if why_of[s.id] is None]
    excluded = {s.id: why_of[s.id] for s in instance.slots if why_of[s.id] is not None}
    return slots, excluded


def _availability(
    instance: Instance, speaker: Speaker, times: dict[tuple, list[Slot]]
) -> dict[str, str | None]:
    """Why the speaker cannot be in each slot (None when available), one sentence per
    window; checked once per slot time (`times`: the slots at each (start, end))."""
    sentences: dict[tuple[int, int], str] = {}
    result: dict[str, str | None] = {}
    for (start, end), slots in times.items():
        why = None
        if speaker.available is not None and not covers(speaker.available, start, end):
            why = sentences.get((0, 0))
            if why is None:
                why = sentences[0, 0] = speaker_unavailability(instance, speaker, slots[0])
        else:
            for index, window in enumerate(speaker.unavailable):
                if window.overlaps(start, end):
                    why = sentences.get((1, index))
                    if why is None:
                        why = sentences[1, index] = speaker_unavailability(
                            instance, speaker, slots[0]
                        )
                    break
        result.update((slot.id, why) for slot in slots)
    return result


def _keynotes_short(
    instance: Instance, candidates: CandidateTable, slot_id: str, held: list[Proposal]
) -> str | None:
    """Why the workshop that must hold `held` in `slot_id` cannot get the keynotes every
    workshop needs, as the end of a sentence about them, or None: fewer keynotes than it
    lacks can join it (another keynote whose candidate slot it is, in their language
    unless languages mix, sharing a theme with every one of them). Two languages or no
    shared theme among them is `misfits`' to say."""
    rules = instance.rules
    lacking = rules.keynotes_per_workshop.min - sum(p.is_keynote for p in held)
    languages = {p.language for p in held}
    common = set.intersection(*(set(p.themes) for p in held))
    if lacking <= 0 or not common or (len(languages) > 1 and not rules.mixed_language):
        return None
    ids = {p.id for p in held}
    joining = 0
    for keynote in instance.proposals:
        if (
            keynote.is_keynote
            and keynote.id not in ids
            and (rules.mixed_language or keynote.language in languages)
            and not common.isdisjoint(keynote.themes)
            and slot_id in candidates.slots[keynote.id]
        ):
            joining += 1
            if joining >= lacking:
                return None
    if joining == 0:
        joins = catalog.NO_KEYNOTE_JOINS
    else:
        joins = catalog.ONE_KEYNOTE_JOINS if joining == 1 else catalog.KEYNOTES_JOIN
    language = next(iter(languages)).value
    which = joins.format(
        count=joining,
        in_language="" if rules.mixed_language else catalog.IN.format(language=language),
        whom="it" if len(held) == 1 else "them",
        themes=sorted(common),
    )
    needs = rules.keynotes_per_workshop.min
    return catalog.KEYNOTES_SHORT.format(which=which, amount=catalog.amount(needs, "keynote"))


def pin_conflicts(instance: Instance, candidates: CandidateTable) -> dict[str, list[str]]:
    """Why pinned proposals cannot all keep their pins, whatever else is placed: for each
    proposal caught in a conflict (pinned, or `together` with a pinned one), its
    sentences. Each is a necessary condition of the hard rules on the pinned proposals
    and their `together` groups alone (a pinned proposal is in its slot's workshop): its
    slot is a candidate (else the candidates' reasons say why not); what a slot must
    hold (the proposals pinned there, and the other members of `together` groups with a
    member pinned there) fits one workshop (keynotes and initiatives, one language
    unless languages mix, a shared theme, minutes) and can get the keynotes a workshop
    needs; a speaker is not held in two overlapping slots, nor `apart` members in one
    slot; `together` members go where any of them is pinned."""
    check = _PinCheck(instance, candidates)
    check.workshops()
    check.speakers()
    check.apart()
    check.together()
    return dict(check.found)


class _PinCheck:
    """What each slot must hold by the pins, and the conflicts found in it."""

    def __init__(self, instance: Instance, candidates: CandidateTable):
        self.instance, self.candidates = instance, candidates
        by_slot: dict[str, list[Proposal]] = defaultdict(list)
        self.found: dict[str, list[str]] = defaultdict(list)
        for proposal in instance.proposals:
            if proposal.pin is None:
                continue
            if candidates.slots[proposal.id]:
                by_slot[proposal.pin].append(proposal)
            else:
                self.found[proposal.id] = candidates.reasons(proposal.id) or [
                    catalog.NO_CANDIDATE.format()
                ]
        self.pinned_to = {p.id: p.pin for ps in by_slot.values() for p in ps}
        # what each slot's workshop must hold: its pinned proposals, and the other members
        # of `together` groups pinned there alone that can go there (those that cannot
        # are said by `together`)
        self.held: dict[str, list[Proposal]] = {
            slot_id: list(ps) for slot_id, ps in by_slot.items()
        }
        self.holders: dict[str, list[str]] = defaultdict(list)  # the pins holding the others
        for group in instance.constraints.together:
            pins = {self.pinned_to[p] for p in group.proposals if p in self.pinned_to}
            if len(pins) != 1:
                continue
            (slot_id,) = pins
            for proposal_id in group.proposals:
                proposal = instance.proposal_by_id[proposal_id]
                if slot_id in candidates.slots[proposal_id] and proposal not in self.held[slot_id]:
                    self.held[slot_id].append(proposal)
                    self.holders[proposal_id] += [p for p in group.proposals if p in self.pinned_to]

    def conflict(self, proposals: list[Proposal], sentence: str) -> None:
        """The sentence for each of `proposals`, and for the pins holding any of them."""
        ids = [p.id for p in proposals]
        holding = [h for i in ids for h in self.holders.get(i, [])]
        for proposal_id in dict.fromkeys(ids + holding):
            self.found[proposal_id].append(sentence)

    def pinned(self, proposals: list[Proposal]) -> bool:
        """Whether `proposals` are all pinned where they are held (else some are held by a
        pinned one, in a `together` group)."""
        return all(p.id in self.pinned_to for p in proposals)

    def workshops(self) -> None:
        """What each slot must hold fits one workshop, and can get its keynotes."""
        instance = self.instance
        cheapest = cheapest_talks(instance)
        for slot_id, pinned in self.held.items():
            if len(pinned) < 2:
                continue
            slot = instance.slot_by_id[slot_id]
            if slot_id in instance.begun:  # (its members kept, not pinned by anyone)
                sentence = catalog.KEPT_MISFIT
            elif self.pinned(pinned):
                sentence = catalog.PINNED_MISFIT
            else:
                sentence = catalog.HELD_MISFIT
            ids = [p.id for p in pinned]
            for misfit in misfits(instance, pinned, slot.minutes, cheapest):
                self.conflict(pinned, sentence.format(ids=ids, slot=slot_id, misfit=misfit))
        for slot_id, pinned in self.held.items():
            short = _keynotes_short(instance, self.candidates, slot_id, pinned)
            if short is not None:
                # (a slot holds its pinned proposals first: one alone is pinned)
                begun = slot_id in instance.begun
                if len(pinned) == 1:
                    sentence = catalog.ONE_KEPT_SHORT if begun else catalog.ONE_PINNED_SHORT
                elif begun:
                    sentence = catalog.KEPT_SHORT
                else:
                    sentence = catalog.PINNED_SHORT if self.pinned(pinned) else catalog.HELD_SHORT
                ids = [p.id for p in pinned]
                self.conflict(pinned, sentence.format(ids=ids, slot=slot_id, short=short))

    def speakers(self) -> None:
        """No speaker is held in two overlapping slots."""
        instance = self.instance
        slots_of: dict[str, dict[str, list[Proposal]]] = defaultdict(lambda: defaultdict(list))
        for slot_id, proposals in self.held.items():
            for proposal in proposals:
                for speaker_id in proposal.speakers:
                    slots_of[speaker_id][slot_id].append(proposal)
        for speaker_id, slots in slots_of.items():
            ids = sorted(slots, key=instance.slot_index.__getitem__)
            for i, first in enumerate(ids):
                for second in ids[i + 1 :]:
                    if instance.slot_by_id[first].overlaps(instance.slot_by_id[second]):
                        caught = slots[first] + slots[second]
                        sentence = (
                            catalog.SPEAKER_PINNED_TWICE
                            if self.pinned(caught)
                            else catalog.SPEAKER_HELD_TWICE
                        )
                        self.conflict(
                            caught,
                            sentence.format(
                                name=instance.speaker_by_id[speaker_id].name,
                                speaker=speaker_id,
                                first=first,
                                second=second,
                            ),
                        )

    def apart(self) -> None:
        """No two `apart` members are held in one slot."""
        for group in self.instance.constraints.apart:
            members = set(group.proposals)
            for slot_id, proposals in self.held.items():
                caught = [p for p in proposals if p.id in members]
                if len(caught) > 1:
                    sentence = catalog.PINNED_APART if self.pinned(caught) else catalog.HELD_APART
                    self.conflict(caught, sentence.format(ids=[p.id for p in caught], slot=slot_id))

    def together(self) -> None:
        """`together` members are pinned to one slot at most, where all can go."""
        instance, pinned_to = self.instance, self.pinned_to
        for group in instance.constraints.together:
            pins = {pinned_to[p] for p in group.proposals if p in pinned_to}
            members = [instance.proposal_by_id[p] for p in group.proposals]
            pinned = [p for p in members if p.id in pinned_to]
            if len(pins) > 1:
                self.conflict(
                    pinned,
                    catalog.TOGETHER_PINNED_APART.format(ids=group.proposals, pins=sorted(pins)),
                )
            elif pins:
                (slot_id,) = pins
                away = [p.id for p in members if slot_id not in self.candidates.slots[p.id]]
                if away:
                    self.conflict(
                        pinned,
                        catalog.TOGETHER_PINNED_AWAY.format(
                            ids=group.proposals, slot=slot_id, away=away
                        ),
                    )
