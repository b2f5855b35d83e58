"""The solution file: plain data, no solver import, readable and checkable on its own."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    ValidationError,
    model_validator,
)

from scheduler.errors import InputError
from scheduler.files import check_not_a_table, parse_json, read_input, write_atomic
from scheduler.instance import within_years, written_as_moment
from scheduler.text import name_and_affiliation

SCHEMA_VERSION = 1


class Status(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


class ItemKind(StrEnum):
    OPENING = "opening"
    KEYNOTE = "keynote"
    PARTICIPATORY = "participatory"
    INITIATIVE = "initiative"
    CLOSING = "closing"


TALK_KINDS = (ItemKind.KEYNOTE, ItemKind.PARTICIPATORY, ItemKind.INITIATIVE)
"""The kinds of timeline item that belong to a proposal (a keynote's participatory time
to the keynote's)."""


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid")


Instant = Annotated[AwareDatetime, BeforeValidator(written_as_moment), AfterValidator(within_years)]
"""A time in a solution file: written with its UTC offset, as `scheduler solve` writes it
(a time without one cannot be compared with the instance's)."""


class Item(_Plain):
    """One step of a workshop's timeline."""

    kind: ItemKind
    proposal: str | None = None
    start: Instant
    end: Instant

    @model_validator(mode="after")
    def _talks_name_their_proposal(self) -> Item:
        # a published file whose talk names no proposal is refused here, with its field,
        # not deep in a re-solve
        if self.kind in TALK_KINDS and not self.proposal:
            raise ValueError(f"the {self.kind.value} item has no proposal")
        if self.kind not in TALK_KINDS and self.proposal is not None:
            raise ValueError(f"the {self.kind.value} item names a proposal (only talks do)")
        return self

    @property
    def minutes(self) -> int:
        # as instants: two times of one zone subtract on the wall clock
        return int((self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() // 60)


class Workshop(_Plain):
    """A workshop (atelier) filling one slot."""

    slot: str
    room: str
    theme: str
    language: str = Field(description="'fr', 'en', or 'mixed' when mixed workshops are allowed.")
    start: Instant
    end: Instant
    items: list[Item]

    @property
    def proposals(self) -> list[str]:
        return [i.proposal for i in self.items if i.proposal and i.kind != ItemKind.PARTICIPATORY]


class Unscheduled(_Plain):
    proposal: str
    reasons: list[str]


class Penalty(_Plain):
    """One term of the objective: which soft rule, its cost, and what it concerns."""

    rule: str
    cost: StrictInt
    proposals: list[str] = Field(default_factory=list)
    slots: list[str] = Field(default_factory=list)
    detail: str = ""


class SlotEvent(_Plain):
    """A workshop's calendar event at its slot (`calendar_events`): the number its UID
    carries (1: the slot's own UID, then `<slot>/2`...), and the room, theme and talks it
    was last held with, which tell whether a later workshop there is the same one."""

    slot: str
    number: Annotated[StrictInt, Field(ge=1)]
    room: str
    theme: str
    talks: list[str] = Field(default_factory=list)


def _known_version(version: int) -> int:
    """A file format this scheduler reads: a newer one may mean what it cannot tell."""
    if not 1 <= version <= SCHEMA_VERSION:
        known = "version 1" if SCHEMA_VERSION == 1 else f"versions 1 to {SCHEMA_VERSION}"
        raise ValueError(
            f"this scheduler reads solution files of {known}, not {version}: a newer "
            "scheduler wrote it, or it was edited"
        )
    return version


class Solution(_Plain):
    # whole numbers as JSON writes them: "75" and true were read as 75 and 1
    version: Annotated[StrictInt, AfterValidator(_known_version)] = SCHEMA_VERSION
    instance: str
    instance_hash: str
    status: Status
    objective: StrictInt | None = None
    bound: StrictInt | None = None
    seconds: float = Field(default=0.0, exclude=True)
    """The solve's wall-clock time: in the summary `solve` prints, not in the file (the
    same input and seed then give the same bytes); read when an older file has it."""
    seed: Annotated[StrictInt, Field(ge=0)] = 0
    workers: Annotated[StrictInt, Field(ge=1)] | None = None
    revision: Annotated[StrictInt, Field(ge=0)] = 0
    """How many re-solves lead to this schedule from one solved afresh: 0 without
    `--reference`, the reference's plus one with it. The calendars' SEQUENCE of an event
    that changes is at least it, so that it rises above what clients hold even when the
    earlier publications are not all given to `export`."""
    events: list[SlotEvent] = Field(default_factory=list)
    """Every workshop event the calendars have known at each slot up to this schedule,
    the most recently held first (`calendar_events`): written by `solve --reference`,
    which carries its reference's on, so that `export` numbers a slot's workshops the
    same whichever published versions it is given. Empty, and left out of the file, for
    a schedule solved afresh (every workshop its slot's first)."""
    workshops: list[Workshop] = Field(default_factory=list)
    unscheduled: list[Unscheduled] = Field(default_factory=list)
    penalties: list[Penalty] = Field(default_factory=list)
    titles: dict[str, str] = Field(default_factory=dict)
    """Each placed proposal's title when it was solved: names a proposal withdrawn from
    the instance since, in `diff` and in the calendars that cancel it (by its id before)."""
    speakers: dict[str, list[str]] = Field(default_factory=dict)
    """Each placed proposal's speaker ids when it was solved: the calendars of the
    speakers of a proposal withdrawn since cancel its workshop where it is gone."""
    speaker_names: dict[str, str] = Field(default_factory=dict)
    """Those speakers' names when it was solved: a speaker gone from the instance since
    is named by them, not by her id, on the grid, in `diff` and in the calendars that
    cancel her talks; and a name corrected since changes a published talk's event."""
    speaker_affiliations: dict[str, str] = Field(default_factory=dict)
    """And their affiliations (those who have one), as the speakers lines show them."""

    def speaker_labels(self, only: Callable[[str], bool] = lambda _: True) -> dict[str, str]:
        """The recorded speakers as a speakers line names them, 'Ana Lima (EleutherAI)',
        by id (those `only` accepts)."""
        return {
            sid: name_and_affiliation(name, self.speaker_affiliations.get(sid, ""))
            for sid, name in self.speaker_names.items()
            if only(sid)
        }

    @property
    def has_schedule(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.FEASIBLE)

    def settle_status(self) -> None:
        """The status its numbers prove: optimal where the bound reaches the objective,
        feasible where it does not (`validate` refuses either the other way round)."""
        if self.status is Status.FEASIBLE and self.bound == self.objective:
            self.status = Status.OPTIMAL
        elif self.status is Status.OPTIMAL and self.bound != self.objective:
            self.status = Status.FEASIBLE

    def workshop_of(self) -> dict[str, Workshop]:
        """Proposal id -> the workshop holding it."""
        return {p: w for w in self.workshops for p in w.proposals}

    def penalty_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for penalty in self.penalties:
            totals[penalty.rule] = totals.get(penalty.rule, 0) + penalty.cost
        return totals

    def to_json(self) -> str:
        # (no `events` key for a schedule solved afresh: its file reads as before)
        data = self.model_dump(mode="json", exclude=None if self.events else {"events"})
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def write(self, path: str | Path) -> Path:
        return write_atomic(Path(path), self.to_json())


def _continues(event: SlotEvent, workshop: Workshop) -> bool:
    """Whether `workshop` is the workshop of `event`: in its room, of its theme and with
    at least one of its last talks (a workshop without talks, on either side, breaks
    nothing). A slot moved to another room (`import --keep` keeps its id) holds a new
    event: kept, the room's calendar held it, confirmed, in the room it left."""
    if event.room != workshop.room or event.theme != workshop.theme:
        return False
    talks = set(workshop.proposals)
    return not talks or not event.talks or bool(talks & set(event.talks))


def _next_events(known: Sequence[SlotEvent], version: Solution) -> list[SlotEvent]:
    """The events known after `version`, from those known before it (`known`, the most
    recently held first at each slot): each workshop keeps the event of the latest
    workshop at its slot it continues (`_continues`: the one last there, or an earlier
    one restored after another took its slot), else is a new one, the slot's next
    number; the event it holds now first at its slot."""
    by_slot: dict[str, list[SlotEvent]] = {}
    for event in known:
        by_slot.setdefault(event.slot, []).append(event.model_copy(deep=True))
    taken: set[str] = set()
    for workshop in version.workshops:
        if workshop.slot in taken:  # (two workshops in a slot, edited by hand: one event)
            continue
        taken.add(workshop.slot)
        events = by_slot.setdefault(workshop.slot, [])
        event = next((e for e in events if _continues(e, workshop)), None)
        if event is None:
            number = len(events) + 1
            event = SlotEvent(
                slot=workshop.slot, number=number, room=workshop.room, theme=workshop.theme
            )
        else:
            events.remove(event)
        event.talks = list(workshop.proposals) or event.talks
        events.insert(0, event)
    return [event for events in by_slot.values() for event in events]


def calendar_events(versions: Sequence[Solution]) -> list[list[SlotEvent]]:
    """The workshop events known after each version of a chain (oldest first): a
    version's own (`Solution.events`, written by `solve --reference`) when it has them,
    else worked out from those of the version before (`_next_events`). So a schedule's
    events are the same whichever earlier versions are given with it: worked out from
    the versions given alone, a replacement workshop's number (`<slot>/2`) depended on
    them, and a calendar exported with only the last publication reused a number its
    subscribers held for another workshop, and left the one they held confirmed.

    A version's own events that leave out an event the chain before it knows (`_extends`)
    were carried on from an older version than the one given before it (v6 published,
    then a re-solve of v5 by mistake): its events are worked out from the chain then, as
    its subscribers hold them. Its own reused a number v6 had given another workshop."""
    known: list[SlotEvent] = []
    complete = False  # (whether `known` holds every event the chain given has known)
    chosen: list[list[SlotEvent]] = []
    for version in versions:
        own = list(version.events)
        if own and (not complete or _extends(own, known)):
            known = own
        else:
            known = _next_events(known, version)
        # (a chain given from a re-solve without events of its own numbers its slots
        # from 1: not every event its subscribers hold)
        complete = complete or bool(own) or version.revision == 0
        chosen.append(known)
    return chosen


def _extends(own: Sequence[SlotEvent], known: Sequence[SlotEvent]) -> bool:
    """Whether `own` holds every event of `known`: the same number at the same slot, in
    the same room and of the same theme (an event's talks change along the chain)."""
    held = {(e.slot, e.number, e.room, e.theme) for e in own}
    return all((e.slot, e.number, e.room, e.theme) in held for e in known)


def event_numbers(version: Solution, events: Sequence[SlotEvent]) -> dict[str, int]:
    """Each of `version`'s slots with a workshop, by the number of its event (`events`:
    those known after it, `calendar_events`, the one it holds first at its slot)."""
    first: dict[str, int] = {}
    for event in events:
        first.setdefault(event.slot, event.number)
    return {w.slot: first.get(w.slot, 1) for w in version.workshops}


def load_solution(path: str | Path) -> Solution:
    """Read and validate a solution file."""
    path = Path(path)
    check_not_a_table(path, "solution")
    text = read_input(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            json.loads(text)
        except json.JSONDecodeError:  # an instance given as the solution
            raise InputError(
                path,
                None,
                None,
                "a solution is a JSON file written by `scheduler solve`, "
                "not YAML (is this the instance?)",
            ) from None
    if text.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCALENDAR"):
        # (the team's "published version" is the calendar: it read "malformed JSON")
        raise InputError(
            path,
            None,
            None,
            "a calendar, not a solution: give the solution file (JSON, written by "
            "`scheduler solve`) the calendars were exported from",
        )
    data = parse_json(text, path)
    if isinstance(data, dict) and "proposals" in data and "workshops" not in data:
        raise InputError(
            path,
            None,
            None,
            "an instance, not a solution written by `scheduler solve` (is this the instance?)",
        )
    try:
        return Solution.model_validate(data)
    except ValidationError as exc:
        raise InputError.from_validation(path, data, exc, Solution) from None


def check_instance(solution: Solution, instance_name: str, path: str | Path, role: str) -> None:
    """Refuse a solution of another event (bad input naming the file and its field)."""
    if solution.instance != instance_name:
        raise InputError(
            path,
            None,
            "instance",
            f"the {role} is for instance {solution.instance!r}, not {instance_name!r}; if "
            "it is the same event under a new name (imported again without --keep), give "
            f"the instance back its name (`name: {solution.instance}`): the name is in "
            "every calendar event's UID, and the published ones would be duplicated",
        )


def load_reference(path: str | Path, instance_name: str) -> Solution:
    """The published solution given as `--reference`, for every command that takes one:
    one of another event (its every proposal would count as moved, or none) or with no
    schedule is bad input naming the file and its field."""
    published = load_solution(path)
    check_instance(published, instance_name, path, "reference")
    if not published.has_schedule:
        # (kept "2 workshops as published" from a file the exports refuse; `export`
        # refused it as "no schedule", exit 1, the other commands as bad input)
        raise InputError(
            path,
            None,
            "status",
            f"{published.status.value}: a published schedule is needed as the reference",
        )
    return published
