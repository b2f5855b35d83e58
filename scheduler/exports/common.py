"""What every export shares: the solution check, labels in French and English, the programme view."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from scheduler.errors import InputError, NoScheduleError, OutputError, SchedulerError
from scheduler.files import unwritable, write_atomic, write_atomic_many, written_through
from scheduler.instance import Instance, Proposal
from scheduler.solution import TALK_KINDS, Item, ItemKind, Solution, Workshop, check_instance
from scheduler.text import DAYS_EN, DAYS_FR, MONTHS_FR_FULL, WEEKDAYS_FR, plural

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "workshop": "Atelier",
        "language": "langue",
        "room": "Salle",
        "rooms": "Salles",
        "theme": "Thème",
        "legend": "Thèmes",
        "end": "Fin",
        "free": "temps libre",
        "no_workshop": "pas d'atelier",
        "closed_slot": "créneau fermé par la coordination",
        "emptied": "annulé",
        "changed": "modifié",
        "changed_since": "depuis le programme publié",
        "unscheduled": "Propositions non programmées",
        "proposal": "Proposition",
        "format": "Format",
        "speakers": "Intervenant·es",
        "reasons": "Raisons",
        "named": "Identifiants cités dans les raisons",
        "slot": "Créneau",
        "speaker": "Intervenant·e",
        "participatory_format": "Format participatif",
        "programme": "Programme",
        "mixed": "FR + EN",
        "mixed_key": "mixte\u00a0: la langue de chaque intervention est indiquée",
        "keynote_then": "suivie d'un temps participatif",
        "cancelled": "ANNULÉ",
        "cancelled_talk": "ANNULÉE",
        "moved": "DÉPLACÉ",
        "was": "initialement\u00a0:",
        "withdrawn_talk": "proposition retirée",
        "unscheduled_talk": "non programmée",
        "dropped": "Interventions publiées qui ne sont plus au programme",
        "talk": "Intervention",
        "published_at": "Au programme publié",
        "now": "Désormais",
        "withdrawn_proposal": "proposition retirée",
        "not_scheduled": "non programmée (voir «\u00a0Propositions non programmées\u00a0»)",
        # the grid's table of the ids the reasons name, its empty unscheduled list, its
        # index of the days
        "id": "Identifiant",
        "kind": "Type",
        "what": "Ce qu'il désigne",
        "all_scheduled": "Toutes les propositions sont programmées.",
        "days": "Jours du programme",
    },
    "en": {
        "workshop": "Workshop",
        "language": "language",
        "room": "Room",
        "rooms": "Rooms",
        "theme": "Theme",
        "legend": "Themes",
        "end": "End",
        "free": "free time",
        "no_workshop": "no workshop",
        "closed_slot": "slot closed by the coordinators",
        "emptied": "cancelled",
        "changed": "changed",
        "changed_since": "since the published programme",
        "unscheduled": "Unscheduled proposals",
        "proposal": "Proposal",
        "format": "Format",
        "speakers": "Speakers",
        "reasons": "Reasons",
        "named": "Ids named in the reasons",
        "slot": "Slot",
        "speaker": "Speaker",
        "participatory_format": "Participatory format",
        "programme": "Programme",
        "mixed": "FR + EN",
        "mixed_key": "mixed: each talk tagged with its language",
        "keynote_then": "followed by participatory time",
        "cancelled": "CANCELLED",
        "cancelled_talk": "CANCELLED",
        "moved": "MOVED",
        "was": "was:",
        "withdrawn_talk": "withdrawn",
        "unscheduled_talk": "not scheduled",
        "dropped": "Published talks no longer in the programme",
        "talk": "Talk",
        "published_at": "In the published programme",
        "now": "Now",
        "withdrawn_proposal": "proposal withdrawn",
        "not_scheduled": "not scheduled (see “Unscheduled proposals”)",
        "id": "Id",
        "kind": "Type",
        "what": "What it names",
        "all_scheduled": "Every proposal is scheduled.",
        "days": "Days of the programme",
    },
}

KIND_LABELS: dict[str, dict[ItemKind, str]] = {
    "fr": {
        ItemKind.OPENING: "Ouverture",
        ItemKind.KEYNOTE: "Keynote",
        ItemKind.PARTICIPATORY: "Temps participatif",
        ItemKind.INITIATIVE: "Initiative",
        ItemKind.CLOSING: "Clôture",
    },
    "en": {
        ItemKind.OPENING: "Opening",
        ItemKind.KEYNOTE: "Keynote",
        ItemKind.PARTICIPATORY: "Participatory time",
        ItemKind.INITIATIVE: "Initiative",
        ItemKind.CLOSING: "Closing",
    },
}

_WEEKDAYS = {
    "fr": WEEKDAYS_FR,  # (the reasons' too, `scheduler.reasons`)
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "fr": MONTHS_FR_FULL,
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}


def label(key: str, lang: str) -> str:
    return LABELS[lang][key]


def kind_label(kind: ItemKind, lang: str) -> str:
    return KIND_LABELS[lang][kind]


def day_label(day: date, lang: str, year: bool = True) -> str:
    """'mardi 1er décembre 2026' or 'Tuesday 1 December 2026' (without `year`: 'mardi
    1er décembre'), without the system locale."""
    weekday = _WEEKDAYS[lang][day.weekday()]
    month = _MONTHS[lang][day.month - 1]
    number = ("1er" if day.day == 1 else str(day.day)) if lang == "fr" else str(day.day)
    label = f"{weekday} {number} {month}"
    return f"{label} {day.year}" if year else label


_SHORT_WEEKDAYS = {"fr": DAYS_FR, "en": DAYS_EN}


def short_day(day: date, lang: str, number: bool = False) -> str:
    """'mer.' or 'Wed' (with `number`: 'mer. 2', 'Wed 2', for an event whose days repeat
    a weekday), without the system locale."""
    weekday = _SHORT_WEEKDAYS[lang][day.weekday()]
    if not number:
        return weekday
    return f"{weekday} {'1er' if day.day == 1 and lang == 'fr' else day.day}"


def language_badge(language: str) -> str:
    """'FR', 'EN', or 'FR + EN' for a mixed workshop."""
    return LABELS["fr"]["mixed"] if language == "mixed" else language.upper()


def speaker_names(instance: Instance, proposal: Proposal) -> list[str]:
    return [instance.speaker_by_id[s].name for s in proposal.speakers]


def speaker_affiliations(instance: Instance, proposal: Proposal) -> list[str]:
    return [instance.speaker_by_id[s].affiliation for s in proposal.speakers]


SPOKEN = (ItemKind.KEYNOTE, ItemKind.INITIATIVE)
"""The items that are talks: another item of no minutes (an opening, a closing or a
participatory time under rules allowing 0) is left out of what attendees read."""


def speakers_line(instance: Instance, proposal: Proposal) -> str:
    """'Ana Martin (Université A), Bob Smith (ACME)'; no brackets for a missing affiliation."""
    return speakers_named(instance, proposal.speakers)


def speakers_named(
    instance: Instance, speaker_ids: Iterable[str], names: Mapping[str, str] | None = None
) -> str:
    """`speakers_line` for speakers given by id: as `names` gives them (those a solution
    recorded), else as the instance does, else (gone from both) by id. Each as
    `text.name_and_affiliation` writes her, an affiliation's parentheses not nested in
    hers ('Claire Dumontet (Institut des communs numériques, association)'), in the
    calendars, the grid and `diff` alike."""
    parts = []
    for speaker_id in speaker_ids:
        speaker = instance.speaker_by_id.get(speaker_id)
        if names and speaker_id in names:
            parts.append(names[speaker_id])
        elif speaker is None:
            parts.append(speaker_id)
        else:
            parts.append(speaker.label)
    return ", ".join(parts)


def theme_label(instance: Instance, theme_id: str, lang: str) -> str:
    theme = instance.theme_by_id.get(theme_id)
    return theme.label.get(lang) if theme else theme_id


def room_name(instance: Instance, room_id: str) -> str:
    room = instance.room_by_id.get(room_id)
    return room.name if room else room_id


def location(instance: Instance, room_id: str) -> str:
    """Room and venue: 'Salle Seine, CNIT Paris La Défense'."""
    return f"{room_name(instance, room_id)}, {instance.event.venue}"


def ordered_workshops(instance: Instance, solution: Solution) -> list[Workshop]:
    """Workshops by start time, then by the rooms' order in the instance."""
    room_order = {r.id: i for i, r in enumerate(instance.rooms)}
    return sorted(
        solution.workshops, key=lambda w: (w.start, room_order.get(w.room, len(room_order)), w.slot)
    )


def participatory_of(workshop: Workshop, keynote: Item) -> Item | None:
    """The participatory item that follows a keynote in its workshop's timeline."""
    for item in workshop.items:
        if item.kind == ItemKind.PARTICIPATORY and item.proposal == keynote.proposal:
            return item
    return None


def unplaced(instance: Instance, solution: Solution) -> list[tuple[Proposal, list[str]]]:
    """Proposals in no workshop, in instance order, with the solution's reasons if it gives any."""
    placed = {p for w in solution.workshops for p in w.proposals}
    reasons = {u.proposal: u.reasons for u in solution.unscheduled}
    return [(p, reasons.get(p.id, [])) for p in instance.proposals if p.id not in placed]


def by_importance(
    instance: Instance, proposal_ids: Iterable[str], published: Solution | None = None
) -> list[str]:
    """Unscheduled proposals (`proposal_ids`) as `solve`'s summary and the grid's list
    give them: keynotes first (each carries a workshop), then those the published
    programme (`published`) placed, then the others, in the instance's order within
    each: the only keynote left out was the 11th, behind "and 1 more"."""
    order = {p.id: i for i, p in enumerate(instance.proposals)}
    placed = set() if published is None else set(published.workshop_of())
    return sorted(
        proposal_ids,
        key=lambda p: (
            not instance.proposal_by_id[p].is_keynote,
            p not in placed,
            order.get(p, len(order)),
        ),
    )


def default_stamp(instance: Instance) -> datetime:
    """Midnight UTC on the event's first day (or its first slot's day): a stamp that never moves."""
    first = instance.event.days[0] if instance.event.days else None
    if first is None:
        first = min(instance.local(s.start).date() for s in instance.slots)
    return datetime.combine(first, time(0), UTC)


def check_solution(
    instance: Instance,
    solution: Solution,
    path: Path | str,
    *,
    role: str = "solution",
    check_ids: bool = True,
) -> None:
    """Refuse a solution that has no schedule or that names what the instance does not hold.

    A published reference is checked with `check_ids=False`: it may name proposals the
    instance has since dropped, and the exports render those by the title it recorded
    (its `titles`), else by their id; it is held to the rest (a proposal in two
    workshops, a slot holding two, times that end before they start: the calendars'
    SEQUENCEs and cancellations were counted from such a file without a word).
    """
    path = Path(path)
    check_instance(solution, instance.name, path, role)
    if not solution.has_schedule:
        raise NoScheduleError(
            f"{path}: the {role} has no schedule (status {solution.status.value}); nothing to export"
        )
    seen_slots: dict[str, int] = {}
    seen_proposals: dict[str, str] = {}
    for i, workshop in enumerate(solution.workshops):
        record = InputError.record("workshops", i, workshop.slot, "slot")

        def fail(field: str, message: str, record: str = record) -> None:
            raise InputError(path, record, field, message)

        slot = instance.slot_by_id.get(workshop.slot)
        if slot is None and check_ids:
            fail("slot", f"unknown slot {workshop.slot!r}")
        if workshop.slot in seen_slots:
            fail(
                "slot",
                f"slot {workshop.slot!r} already holds workshops[{seen_slots[workshop.slot]}]",
            )
        seen_slots[workshop.slot] = i
        if check_ids and workshop.room != slot.room:
            fail("room", f"slot {slot.id!r} is in room {slot.room!r}, not {workshop.room!r}")
        if check_ids and workshop.theme not in instance.theme_by_id:
            fail("theme", f"unknown theme {workshop.theme!r}")
        if workshop.language not in ("fr", "en", "mixed"):
            fail("language", f"unknown language {workshop.language!r} (fr, en or mixed)")
        if workshop.end <= workshop.start:
            fail("end", "the workshop ends before it starts")
        talks: dict[str, int] = {}
        for j, item in enumerate(workshop.items):
            field = f"items[{j}].proposal"
            # (a talk without its proposal is refused when the file is read)
            known = item.proposal in instance.proposal_by_id
            if check_ids and item.kind in TALK_KINDS and not known:
                fail(field, f"unknown proposal {item.proposal!r}")
            given = item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE)
            if given and item.proposal in talks:
                # (it said the proposal "is also in the workshop of" this very slot)
                fail(
                    field,
                    f"proposal {item.proposal!r} is given twice in this workshop "
                    f"(items[{talks[item.proposal]}] and items[{j}]): its calendar event "
                    "would be written twice; remove one",
                )
            if given:
                talks[item.proposal] = j
            if item.end < item.start:
                fail(f"items[{j}].end", "the item ends before it starts")
        for proposal_id in workshop.proposals:
            if proposal_id in seen_proposals:
                fail(
                    "items",
                    f"proposal {proposal_id!r} is also in the workshop of slot "
                    f"{seen_proposals[proposal_id]!r}",
                )
            seen_proposals[proposal_id] = workshop.slot
    for i, entry in enumerate(solution.unscheduled):
        if check_ids and entry.proposal not in instance.proposal_by_id:
            raise InputError(
                path,
                InputError.record("unscheduled", i, entry.proposal, "proposal"),
                "proposal",
                f"unknown proposal {entry.proposal!r}",
            )


@dataclass(frozen=True)
class Output:
    """A file an export is about to write: its bytes, and a short account of them, in
    the language of the console's messages (which the exporter was given: the account
    is worded where its counts are made, never translated afterwards). `left`: how many
    workshops a calendar holds that left it since a published version (the command
    notes those calendars; it read them in the account's English words)."""

    path: Path
    data: bytes
    what: str
    left: int = 0


class OutputsError(SchedulerError):
    """Several outputs that cannot be written, all named; nothing was written."""

    def __init__(self, problems: list[tuple[Path, str]]):
        self.problems = problems
        lines = "".join(f"\n  {path}: {reason}" for path, reason in problems)
        super().__init__(
            f"cannot write {len(problems)} of the outputs, so none was written:{lines}"
        )


def check_outputs(paths: Iterable[Path]) -> None:
    """Refuse, before anything is written, every output `write_atomic` would fail on: a
    folder where a file goes, a path under a file, a folder it cannot create a file in.
    One problem raises `OutputError`; several, `OutputsError` naming them all (`export
    all` stopped at the first, after overwriting the outputs written before it)."""
    problems: dict[Path, tuple[Path, str, int]] = {}  # by blocking file, or by path
    probed: dict[Path, str | None] = {}
    for path in map(Path, paths):
        # (os.path's: pathlib's raised on a name longer than the file system allows)
        blocker = next(
            (p for p in path.parents if os.path.exists(p) and not os.path.isdir(p)), None
        )
        reason = unwritable(path, probed)
        if reason is None:
            continue
        key = blocker or path
        first, said, more = problems.get(key, (path, reason, -1))
        problems[key] = (first, said, more + 1)
    found = [
        (path, reason + (f" (and {more} more outputs under it)" if more else ""))
        for path, reason, more in problems.values()
    ]
    if len(found) == 1:
        raise OutputError(*found[0])
    if found:
        raise OutputsError(found)


def write_outputs(outputs: Iterable[Output]) -> list[Written]:
    """Write the outputs, the files all or none (`write_atomic_many`: the calendars of a
    large programme were synced one by one, and a full disk half way left some replaced),
    those written through (a device, a pipe, a link) last: they alone can still fail once
    checked (`/dev/full`), and then the error names what was written before."""
    outputs = list(outputs)
    through = [written_through(output.path) for output in outputs]
    regular = [output for output, later in zip(outputs, through, strict=True) if not later]
    write_atomic_many((output.path, output.data) for output in regular)
    written = [Written(output.path, output.what, output.left) for output in regular]
    for output in [output for output, later in zip(outputs, through, strict=True) if later]:
        try:
            write_atomic(output.path, output.data)
        except OutputError as exc:
            if not written:
                raise
            raise OutputError(
                exc.path, f"{exc.reason} (written before it: {plural(len(written), 'file')})"
            ) from None
        written.append(Written(output.path, output.what, output.left))
    return written


@dataclass(frozen=True)
class Written:
    """One file an export wrote, with a short account of what is in it."""

    path: Path
    what: str
    left: int = 0
