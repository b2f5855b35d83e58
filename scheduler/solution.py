"""The solution file: plain data, no solver import, readable and checkable on its own."""

from __future__ import annotations

import json
from collections.abc import Callable
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
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"

    def write(self, path: str | Path) -> Path:
        return write_atomic(Path(path), self.to_json())


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
