"""The instance: what a coordinator gives the scheduler, validated once at the edge.

An instance file (YAML or JSON) is parsed, validated field by field by pydantic,
then cross-checked (ids, references, windows, overlaps) by `load_instance`. Every
problem becomes an `InputError` naming the file, the record and the field.
After that, model code only loops over precomputed lookups.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from scheduler.errors import ID_PATTERN, InputError, unknown
from scheduler.files import check_not_a_table, parse_json, parse_yaml, read_input, read_source
from scheduler.text import control_character, name_and_affiliation

ABSTRACT_MAX_CHARS = 1500
"""`rules.abstract_max_characters` by default: the Commons AI call's "1500 signes"."""
MAX_SPEAKERS = 2
"""`rules.max_speakers` by default: the Commons AI call's presenters per proposal."""

Id = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=ID_PATTERN),
]


_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_OF_DAY = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)(:[0-5]\d)?")


def written_as_moment(value: Any) -> Any:
    """A date and time written as one: pydantic reads a number (or a string of digits)
    as a Unix time, so `start: 1` would be 1970-01-01T00:00:01Z, in UTC where every
    other time is the event's."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("write a date and time like 2026-12-01T09:30")
    clock = _TIME_OF_DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if clock is not None:  # (`start: 14:00`)
        hours, minutes, seconds = clock.groups()
        raise ValueError(
            "the date is missing: write a date and time like "
            f"2026-12-01T{int(hours):02d}:{minutes}{seconds or ''}"
        )
    if isinstance(value, str) and _DAY.fullmatch(value.strip()):
        # a day is its midnight in the event's timezone (pydantic before 2.10 read
        # "2026-12-01" as midnight UTC: 01:00 in Paris)
        return datetime.combine(date.fromisoformat(value.strip()), time())
    return value


def written_as_slot_time(value: Any) -> Any:
    """A slot's start or end: a date and time, as `written_as_moment` reads one, but
    never a day alone (a window's bound may be, its midnight: a slot's `start:
    2026-12-01`, its time forgotten, was read as midnight, and its workshop scheduled
    at 00:00 without a word)."""
    day = value.strip() if isinstance(value, str) and _DAY.fullmatch(value.strip()) else None
    if isinstance(value, date) and not isinstance(value, datetime):  # (YAML's unquoted day)
        day = value.isoformat()
    if day is not None:
        raise ValueError(f"the time is missing: write a date and time like {day}T09:00")
    return written_as_moment(value)


def _written_as_day(value: Any) -> Any:
    """A day written as one (pydantic reads a number as a Unix time)."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("write a day like 2026-12-01")
    return value


_Dated = TypeVar("_Dated", bound=date)


def within_years(value: _Dated) -> _Dated:
    """A time (or a day, whose midnights are times) a timezone can convert: year 1 or
    9999 with an offset overflowed (a traceback from the exports, and from the event's
    last day)."""
    if not 1 < value.year < 9999:
        example = (
            "a date and time like 2026-12-01T09:30"
            if isinstance(value, datetime)
            else "a day like 2026-12-01"
        )
        raise ValueError(f"year {value.year} is out of range: write {example}")
    return value


def _not_a_boolean(value: Any) -> Any:
    """A whole number not written as a boolean: pydantic reads true as 1 and false as 0,
    so `weights: {unscheduled: no}` switched the rule off and `keynote_minutes: yes`
    made keynotes 1 minute long, without a word."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_as_int", "Input should be a valid integer")
    return value


Whole = Annotated[int, BeforeValidator(_not_a_boolean)]
"""An instance's whole number (minutes, weights, counts, a capacity)."""


def _without_control(text: str) -> str:
    """A text without control characters (`text.control_character`)."""
    problem = control_character(text)
    if problem is not None:
        raise ValueError(problem)
    return text


Text = Annotated[str, AfterValidator(_without_control)]
"""A text of the instance (a title, a name, an abstract): tabs and line breaks allowed,
no other control character."""

Moment = Annotated[datetime, BeforeValidator(written_as_moment), AfterValidator(within_years)]
SlotTime = Annotated[datetime, BeforeValidator(written_as_slot_time), AfterValidator(within_years)]
Day = Annotated[date, BeforeValidator(_written_as_day), AfterValidator(within_years)]


def _blank_as(empty: Callable[[], Any]) -> BeforeValidator:
    """An optional field a file may leave blank (`themes:` in a YAML template, read as
    null): read as `empty()`, as if it were not there."""
    return BeforeValidator(lambda value: empty() if value is None else value)


def _or_blank(schema: dict[str, Any]) -> None:
    """The JSON Schema of a field `_blank_as` reads: null allowed too (so that an editor
    checking a file against `scheduler schema` accepts what the loader does)."""
    schema["type"] = [schema["type"], "null"]


def _or_day(schema: dict[str, Any]) -> None:
    """The JSON Schema of a window's end: a date and time, or a day (as the loader
    reads it; an editor checking formats flagged `end: 2026-12-02`)."""
    schema.pop("type", None)
    schema.pop("format", None)
    schema["anyOf"] = [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
    ]


class Format(StrEnum):
    KEYNOTE = "keynote"
    INITIATIVE = "initiative"


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)


class Window(_Strict):
    """A time window [start, end); naive times are local to the event's timezone."""

    start: Moment = Field(
        description="A date and time, or a day: its midnight.", json_schema_extra=_or_day
    )
    end: Moment = Field(
        description="A date and time, or a day: the end of that day (so a window of one "
        "day is {start: DAY, end: DAY}).",
        json_schema_extra=_or_day,
    )

    @field_validator("end", mode="before")
    @classmethod
    def _a_day_ends_at_its_end(cls, end: Any) -> Any:
        """`end` written as a day is the end of that day: `{start: 2026-12-02, end:
        2026-12-02}` is the whole of 2 December (it read as midnight, "ends before it
        starts"; import.md's tables take an empty time as the whole day too)."""
        day = end
        if isinstance(end, str) and _DAY.fullmatch(end.strip()):
            day = date.fromisoformat(end.strip())
        if isinstance(day, date) and not isinstance(day, datetime):
            try:
                return datetime.combine(day + timedelta(days=1), time())
            except OverflowError:  # (the last day there is: refused as out of range)
                return end
        return end

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        _check_order(info.data.get("start"), end, "window")
        return end

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


def timezone_hint(text: str) -> str:
    """ "; did you mean Europe/Paris?" for 'Paris' (the zones whose city it names, or spelt
    like it), or an example."""
    key = text.strip().replace(" ", "_").casefold()
    zones = sorted(available_timezones())
    near = [z for z in zones if z.casefold() == key] or [
        z for z in zones if z.rsplit("/", 1)[-1].casefold() == key
    ]
    near = near or difflib.get_close_matches(text, zones, n=3)
    return f"; did you mean {' or '.join(near)}?" if near else " (e.g. Europe/Paris)"


def covers(windows: list[Window], start: datetime, end: datetime) -> bool:
    """True when `windows` together cover [start, end) without a gap: windows that touch
    or overlap join (a speaker available 09:00-10:00 and 10:00-12:00 can take 09:30-10:30,
    as an importer writing one window per row of a form gives them)."""
    reached = start
    for window in sorted(windows, key=lambda w: w.start):
        if window.start > reached:
            break
        reached = max(reached, window.end)
        if reached >= end:
            return True
    return False


TEXT_LABELS = {"labels_as_text": True}
"""The validation context in which a theme's label or description may be one text (that
of both languages): an instance file (`parse_instance`) and the themes import reads
(`import --themes`, a `--keep` instance's). Without it, a theme validated alone takes
mappings only (`{en: Open data}` is one)."""


def _either_language(schema: dict[str, Any]) -> None:
    """The JSON Schema of `Labels` as the loader reads it: `fr`, `en` or both."""
    schema.pop("required", None)
    schema["minProperties"] = 1


def _or_text(schema: dict[str, Any]) -> None:
    """The JSON Schema of a field of `Labels`: a mapping, or one text for both languages."""
    text = {"type": "string", "minLength": 1}
    if "anyOf" in schema:
        schema["anyOf"].insert(1, text)
    else:
        schema["anyOf"] = [{"$ref": schema.pop("$ref")}, text]


class Labels(_Strict):
    """A text in French and English. Given in one language (`{en: Open data}`, or in an
    instance file `Open data`), it is the text of both: an English event need not make
    up French labels, nor a French one English."""

    model_config = ConfigDict(json_schema_extra=_either_language)

    fr: Text = Field(min_length=1)
    en: Text = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _one_language_for_both(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str) and (info.context or {}).get("labels_as_text"):
            return {"fr": value, "en": value}
        if isinstance(value, dict) and len(value) == 1 and set(value) <= {"fr", "en"}:
            text = next(iter(value.values()))
            return {"fr": text, "en": text}
        return value

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


MAX_TALKS = 100
"""The most talks of a kind a workshop rule may ask for: more than a day holds at the
shortest talks. Far above, building the model enumerated every count and took minutes,
past any time limit (a max of 10,000)."""

DAY_MINUTES = 24 * 60
"""The most minutes a rule may give a part of a workshop: a day."""


class Range(_Strict):
    min: Whole = Field(ge=0, le=MAX_TALKS)
    max: Whole = Field(ge=0, le=MAX_TALKS)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.max < self.min:
            raise ValueError(f"max ({self.max}) is below min ({self.min})")
        return self


class Participatory(_Strict):
    """Participatory minutes after each keynote: between min and max, target is the aim."""

    min: Whole = Field(default=20, ge=0, le=DAY_MINUTES)
    target: Whole = Field(default=30, ge=0, le=DAY_MINUTES)
    max: Whole = Field(default=45, ge=0, le=DAY_MINUTES)

    @model_validator(mode="after")
    def _ordered(self) -> Participatory:
        if not self.min <= self.target <= self.max:
            raise ValueError("participatory minutes need min <= target <= max")
        return self


MAX_WEIGHT = 1_000_000
"""The largest weight: a thousand times an unscheduled proposal's. Far above, CP-SAT's
objective loses precision (10^17 gave an objective the validator did not count, 10^18
a worse schedule said feasible)."""


class Weights(_Strict):
    """Objective weight of each soft rule (0 switches a rule off)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    unscheduled: Whole = Field(default=1000, ge=0, le=MAX_WEIGHT)
    secondary_theme: Whole = Field(default=20, ge=0, le=MAX_WEIGHT, alias="secondary-theme")
    parallel_theme: Whole = Field(default=30, ge=0, le=MAX_WEIGHT, alias="parallel-theme")
    parallel_language: Whole = Field(default=5, ge=0, le=MAX_WEIGHT, alias="parallel-language")
    participatory_target: Whole = Field(
        default=1, ge=0, le=MAX_WEIGHT, alias="participatory-target"
    )
    idle_minutes: Whole = Field(default=1, ge=0, le=MAX_WEIGHT, alias="idle-minutes")
    speaker_preference: Whole = Field(default=10, ge=0, le=MAX_WEIGHT, alias="speaker-preference")
    moved: Whole = Field(default=50, ge=0, le=MAX_WEIGHT)

    def of(self, rule: str) -> int:
        return getattr(self, rule.replace("-", "_"))


class Rules(_Strict):
    keynote_minutes: Whole = Field(default=20, ge=1, le=DAY_MINUTES)
    initiative_minutes: Whole = Field(default=10, ge=1, le=DAY_MINUTES)
    participatory: Participatory = Field(default_factory=Participatory)
    opening_minutes: Whole = Field(default=5, ge=0, le=DAY_MINUTES)
    closing_minutes: Whole = Field(default=5, ge=0, le=DAY_MINUTES)
    changeover_minutes: Whole = Field(default=0, ge=0, le=DAY_MINUTES)
    keynotes_per_workshop: Range = Field(default_factory=lambda: Range(min=1, max=2))
    initiatives_per_workshop: Range = Field(default_factory=lambda: Range(min=0, max=4))
    mixed_language: bool = False
    max_speakers: Whole = Field(
        default=MAX_SPEAKERS, ge=1, description="The most speakers a proposal may have."
    )
    abstract_max_characters: Whole = Field(
        default=ABSTRACT_MAX_CHARS,
        ge=1,
        description="The most characters an abstract may have (accents composed).",
    )
    weights: Weights = Field(default_factory=Weights)

    def talk_minutes(self, fmt: Format) -> int:
        return self.keynote_minutes if fmt is Format.KEYNOTE else self.initiative_minutes


_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_EMAIL = re.compile(
    rf"[\w!#$%&'*+/=?^`{{|}}~-]+(?:\.[\w!#$%&'*+/=?^`{{|}}~-]+)*@{_LABEL}(?:\.{_LABEL})+"
)
"""An e-mail address as people write one: `programme@commons-ai.example` (no display name,
no `mailto:`, no spaces; a domain with a dot)."""


def email_address(value: str | None) -> str | None:
    """An e-mail address as written, spaces around it dropped; None for a blank one; a
    ValueError saying what is wrong with any other text. The one check of a speaker's
    address, the organiser's and those `import` reads from a form: its shape
    (`_EMAIL`), not whether it reaches anyone."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if text[:7].casefold() == "mailto:":
        raise ValueError("write the address alone, without 'mailto:'")
    if not _EMAIL.fullmatch(text):
        if "<" in text and ">" in text:
            hint = ": the name goes apart, in `name`"
        elif text.count("@") > 1:
            hint = ": give one address"
        else:
            hint = ""
        raise ValueError(f"{text!r} is not an e-mail address{hint} (write it as name@example.org)")
    return text


def _an_address(value: str) -> str:
    """`email_address`, a blank one refused (the organiser's is required)."""
    address = email_address(value)
    if address is None:
        raise ValueError("an address is needed (write it as name@example.org)")
    return address


class Organizer(_Strict):
    """Who publishes the programme: each calendar event's ORGANIZER (RFC 5546 wants one on
    the events of a PUBLISH), `ORGANIZER;CN=<name>:mailto:<email>`."""

    name: str | None = Field(
        default=None, min_length=1, description="Shown by calendar clients (CN)."
    )
    email: Annotated[str, AfterValidator(_an_address)] = Field(
        description="The organiser's address, without `mailto:`.",
        json_schema_extra={"format": "email"},
    )

    @field_validator("name")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and any(unicodedata.category(c) == "Cc" for c in value):
            raise ValueError("a name on one line, without control characters")
        if value is not None and '"' in value:
            # (RFC 5545 3.2: no DQUOTE in a parameter value; RFC 6868's ^' is read as
            # is by clients that predate it, vobject among them)
            raise ValueError('a name without straight double quotes ("): write “ ” or « »')
        return value


class Event(_Strict):
    title: Text = Field(min_length=1)
    venue: Text = Field(min_length=1)
    timezone: str = "Europe/Paris"
    days: tuple[Day, Day] | None = Field(
        default=None, description="First and last day; every slot and window lies within them."
    )
    organizer: Organizer | None = Field(
        default=None,
        description="Who publishes the programme: `{name, email}`, each calendar event's "
        "ORGANIZER. Without it the calendars have none.",
    )
    language: Language | None = Field(
        default=None,
        description="The language of the exports' labels (calendars, grid, tables) unless "
        "`--lang` says otherwise. Without it: the proposals' language when they all share "
        "one, else French.",
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r}{timezone_hint(value)}") from None
        return value

    @field_validator("days")
    @classmethod
    def _ordered_days(cls, value: tuple[date, date] | None) -> tuple[date, date] | None:
        if value is not None and value[1] < value[0]:
            raise ValueError(f"last day {value[1]} is before first day {value[0]}")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def timezone_given(self) -> bool:
        """Whether the file gives `timezone` (not required: older files did without)."""
        return "timezone" in self.model_fields_set


class Theme(_Strict):
    id: Id
    label: Labels = Field(
        description="`{fr, en}`, one of the two, or one text: that of both.",
        json_schema_extra=_or_text,
    )
    description: Labels | None = Field(default=None, json_schema_extra=_or_text)


class Room(_Strict):
    id: Id
    name: Text = Field(min_length=1)
    capacity: Whole | None = Field(default=None, ge=1)


class Slot(_Strict):
    """A time window FOST grants in a room; a workshop fills it whole."""

    id: Id
    room: Id
    start: SlotTime
    end: SlotTime
    theme: Id | None = Field(default=None, description="Fixed theme for this slot's workshop.")
    language: Language | None = Field(default=None, description="Fixed language.")
    closed: bool = Field(default=False, description="A closed slot gets no workshop.")
    frozen: bool = Field(
        default=False,
        description="The workshop here holds the proposals pinned to this slot and no "
        "other (a workshop that has taken place); without pins, no workshop.",
    )

    @field_validator("start", "end")
    @classmethod
    def _whole_minutes(cls, moment: datetime) -> datetime:
        # (09:00:30 made a slot of 89 minutes, shown as 09:00-10:30, its timeline at :30)
        if moment.second or moment.microsecond:
            raise ValueError("a slot starts and ends on whole minutes, without seconds")
        return moment

    @field_validator("end")
    @classmethod
    def _ends_after_start(cls, end: datetime, info: ValidationInfo) -> datetime:
        _check_order(info.data.get("start"), end, "slot")
        return end

    @property
    def minutes(self) -> int:
        # as instants: two times of one zone subtract on the wall clock
        return int((self.end.astimezone(UTC) - self.start.astimezone(UTC)).total_seconds() // 60)

    def overlaps(self, other: Slot) -> bool:
        return self.start < other.end and other.start < self.end


class Speaker(_Strict):
    id: Id
    name: Text = Field(min_length=1)
    affiliation: Annotated[Text, _blank_as(str)] = Field(default="", json_schema_extra=_or_blank)
    email: Annotated[str | None, AfterValidator(email_address)] = Field(
        default=None,
        description="Contact address, for `scheduler diff`'s paragraphs; never exported.",
    )
    available: list[Window] | None = Field(
        default=None, description="If given, the speaker is available only inside these windows."
    )
    unavailable: Annotated[list[Window], _blank_as(list)] = Field(
        default_factory=list, json_schema_extra=_or_blank
    )
    preferred: list[Window] | None = Field(
        default=None, description="Windows the speaker prefers; outside them costs a penalty."
    )

    @property
    def label(self) -> str:
        """'Ana Martin (Université A)'; no brackets for a missing affiliation."""
        return name_and_affiliation(self.name, self.affiliation)


class Proposal(_Strict):
    id: Id
    title: Text = Field(min_length=1, max_length=300)
    format: Format
    language: Language
    speakers: list[Id] = Field(min_length=1)
    themes: Annotated[list[Id], _blank_as(list)] = Field(
        default_factory=list, description="First is the primary theme.", json_schema_extra=_or_blank
    )
    abstract: Annotated[Text, _blank_as(str)] = Field(default="", json_schema_extra=_or_blank)
    participatory_format: Text | None = Field(
        default=None, description="For keynotes: how the audience takes part."
    )
    minutes: Whole | None = Field(
        default=None, ge=1, le=DAY_MINUTES, description="Overrides the format's minutes."
    )
    pin: Id | None = Field(default=None, description="Slot this proposal must be placed in.")
    preferred: list[Window] | None = None

    @field_validator("speakers")
    @classmethod
    def _distinct_speakers(cls, value: list[str]) -> list[str]:
        twice = _duplicates(value)
        if twice:  # (it said "a speaker is listed twice", not which)
            raise ValueError(f"{twice[0]!r} is listed twice: list each speaker once")
        return value

    @field_validator("themes")
    @classmethod
    def _distinct_themes(cls, value: list[str]) -> list[str]:
        twice = _duplicates(value)
        if twice:
            raise ValueError(f"{twice[0]!r} is listed twice: list each theme once")
        return value

    @property
    def is_keynote(self) -> bool:
        return self.format is Format.KEYNOTE

    @property
    def abstract_characters(self) -> int:
        """The abstract's length as read, accents composed: "é" written as "e" and its
        accent (as some macOS tools write it) counted twice, as `import` does not."""
        return len(unicodedata.normalize("NFC", self.abstract))


class Together(_Strict):
    """Proposals that must share one workshop (`together`) or must not (`apart`)."""

    proposals: list[Id] = Field(min_length=2)


class Constraints(_Strict):
    together: list[Together] = Field(default_factory=list)
    apart: list[Together] = Field(default_factory=list)


def _a_folder_name(name: str) -> str:
    """An instance's name that names a folder of its own (`exports/<name>/`): `..` wrote
    the calendars beside the project's files, `.` into `exports/` among every other
    instance's folders."""
    if not name.strip("."):
        raise ValueError(
            f"{name!r} is dots only and names no folder of its own in exports/ ('.' is "
            "exports/ itself, '..' the folder above): write a name with a letter or a digit"
        )
    if reserved_on_windows(name):
        raise ValueError(on_windows(name, f"exports/{name}/"))
    return name


WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in "123456789"]
)
"""The names Windows keeps for its devices, in any case and with any extension: no file
or folder can be named so there (`rooms/aux.ics` is the AUX device)."""


def on_windows(name: str, file: str) -> str:
    """What is wrong with `name`, reserved on Windows, where it names `file`."""
    return (
        f"{name!r} is a name Windows keeps for a device: {file} could not be created, "
        "opened or unzipped there; rename it"
    )


def reserved_on_windows(record_id: str) -> bool:
    """Whether a file named `record_id` (with an extension or not) is a device on Windows."""
    return record_id.split(".", 1)[0].casefold() in WINDOWS_DEVICES


class Instance(_Strict):
    """A whole scheduling problem: event, rules, themes, rooms, slots, speakers, proposals."""

    name: Annotated[Id, AfterValidator(_a_folder_name)]
    event: Event
    rules: Rules = Field(default_factory=Rules)
    themes: list[Theme] = Field(min_length=1)
    rooms: list[Room] = Field(min_length=1)
    slots: list[Slot] = Field(min_length=1)
    speakers: list[Speaker] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)
    constraints: Constraints = Field(default_factory=Constraints)
    _begun: set[str] = PrivateAttr(default_factory=set)
    _begun_closed: set[str] = PrivateAttr(default_factory=set)
    _kept_moment: datetime | None = PrivateAttr(default=None)
    _recorded_windows: dict[str, tuple[list[Window] | None, list[Window]]] = PrivateAttr(
        default_factory=dict
    )
    _source_hash: str | None = PrivateAttr(default=None)

    @property
    def source_hash(self) -> str | None:
        """The `sha256:` of the file `load_instance` read it from (None if built in
        memory): the bytes parsed, not the file's bytes at a later read."""
        return self._source_hash

    @property
    def begun(self) -> set[str]:
        """The slots `--keep-before` holds as begun (`keep.keep_before` fills it in, on
        the instance in memory): their reasons say so, not "frozen" or "pinned"."""
        return self._begun

    @property
    def begun_closed(self) -> set[str]:
        """The slots `--keep-before` closes as begun with no workshop kept there (none
        published, or its members all gone): their reasons say so, not "slot closed", a
        closing the coordinator never set."""
        return self._begun_closed

    @property
    def kept_moment(self) -> datetime | None:
        """The moment `--keep-before` keeps what began before (`keep_begun_before` sets
        it): `solve` then moves no talk of a begun workshop into the past."""
        return self._kept_moment

    def keep_begun_before(self, moment: datetime) -> None:
        """Record the moment `--keep-before` gave (`keep.keep_before` calls it)."""
        self._kept_moment = moment

    def recorded_windows(self, speaker: Speaker) -> tuple[list[Window] | None, list[Window]]:
        """`speaker`'s `available` and `unavailable` as the file records them: what the
        reasons say of her, where `--keep-before` waived them for a talk she has given
        (`keep._waive_windows` keeps them here before it does)."""
        return self._recorded_windows.get(speaker.id, (speaker.available, speaker.unavailable))

    def keep_recorded_windows(self, speaker: Speaker) -> None:
        """Keep `speaker`'s windows as they are now for `recorded_windows`, the first
        time only: before `--keep-before` waives them."""
        available = None if speaker.available is None else list(speaker.available)
        self._recorded_windows.setdefault(speaker.id, (available, list(speaker.unavailable)))

    # -- lookups (computed once: `--pin` and `--keep-before` edit records in place after
    # loading (a proposal's pin, language or themes; a slot's closed, frozen, theme or
    # language; a speaker's windows) but never add, drop or reorder one: a lookup holds the
    # records themselves, never a value derived from those fields, which would go stale) --
    @cached_property
    def theme_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @cached_property
    def room_by_id(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def slot_by_id(self) -> dict[str, Slot]:
        return {s.id: s for s in self.slots}

    @cached_property
    def speaker_by_id(self) -> dict[str, Speaker]:
        return {s.id: s for s in self.speakers}

    @cached_property
    def proposal_by_id(self) -> dict[str, Proposal]:
        return {p.id: p for p in self.proposals}

    @cached_property
    def slot_index(self) -> dict[str, int]:
        """Slot id -> its position in the instance file."""
        return {s.id: i for i, s in enumerate(self.slots)}

    @cached_property
    def proposal_index(self) -> dict[str, int]:
        """Proposal id -> its position in the instance file."""
        return {p.id: i for i, p in enumerate(self.proposals)}

    @property
    def language(self) -> Language:
        """The event's language, that of what no talk decides (the exports' labels, what
        `diff --lang auto` says to no speaker in particular): `event.language`, else the
        language every proposal shares, else French (the call of Commons AI, whose talks
        mix both, is French)."""
        if self.event.language is not None:
            return self.event.language
        spoken = {proposal.language for proposal in self.proposals}
        return spoken.pop() if len(spoken) == 1 else Language.FR

    def talk_minutes(self, proposal: Proposal) -> int:
        """Minutes of a proposal's talk: its override, else its format's."""
        return proposal.minutes or self.rules.talk_minutes(proposal.format)

    def local(self, moment: datetime) -> datetime:
        """The moment in the event's timezone."""
        return moment.astimezone(self.event.tz)

    @model_validator(mode="after")
    def _localise_times(self) -> Instance:
        tz = self.event.tz
        for index, slot in enumerate(self.slots):
            slot.start, slot.end = _aware(slot.start, tz), _aware(slot.end, tz)
            _check_instants(slot, f"slots[{index}] (id {slot.id!r}), field 'end'", "slot")
        for kind, owners in (("speakers", self.speakers), ("proposals", self.proposals)):
            for index, owner in enumerate(owners):
                for name, windows in _window_lists(owner):
                    for at, window in enumerate(windows):
                        window.start = _existing(_aware(window.start, tz))
                        window.end = _existing(_aware(window.end, tz))
                        field = f"field '{name}[{at}].end'"
                        record = f"{kind}[{index}] (id {owner.id!r}), {field}"
                        _check_instants(window, record, "window")
        return self


def _window_lists(owner: Speaker | Proposal) -> list[tuple[str, list[Window]]]:
    """The owner's lists of windows, each with its field's name."""
    speaker = isinstance(owner, Speaker)
    names = ("available", "unavailable", "preferred") if speaker else ("preferred",)
    return [(name, windows) for name in names if (windows := getattr(owner, name))]


def _aware(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def _existing(moment: datetime) -> datetime:
    """A local time the clock skips as the instant it names, on the clock after the jump
    (02:30 the night clocks go forward in Paris is 03:30): the validator read such a window
    on the wall clock in one check and as an instant in another, and disagreed with the
    model. (Refused instead, the whole days `import` writes, from a midnight the clock
    skips in Santiago or Cairo, were refused.)"""
    return moment if _exists(moment) else moment.astimezone(UTC).astimezone(moment.tzinfo)


def _exists(moment: datetime) -> bool:
    """False for a local time the clock skips (it jumps forward over it that day)."""
    if not isinstance(moment.tzinfo, ZoneInfo):
        return True
    back = moment.astimezone(UTC).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def _check_instants(span: Slot | Window, record: str, what: str) -> None:
    """A span whose start has an offset and whose end has none (or the reverse) ends
    after it starts as instants too: compared on their wall clocks only, `09:00Z` to
    `09:45` in Paris was a slot of -15 minutes, and an absence so written was dropped."""
    if span.end.astimezone(UTC) <= span.start.astimezone(UTC):
        raise ValueError(
            f"{record}: the {what} ends ({span.end.isoformat()}) before it starts "
            f"({span.start.isoformat()}), as instants (one of the two has an offset)"
        )


def _check_order(start: datetime | None, end: datetime, what: str) -> None:
    if start is None:
        return
    if (start.tzinfo is None) != (end.tzinfo is None):
        # one local to the event's timezone, one with its offset: compared on their wall
        # clocks (only for this check; both are made aware afterwards)
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    shown = "%Y-%m-%d %H:%M:%S" if start.second or end.second else "%Y-%m-%d %H:%M"
    if end == start:
        raise ValueError(f"{what} ends when it starts ({start:{shown}}): it lasts no time")
    if end < start:
        raise ValueError(f"{what} ends ({end:{shown}}) before it starts ({start:{shown}})")


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def instance_hash(path: str | Path) -> str:
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_document(path: Path) -> Any:
    """Parse a YAML or JSON file; a syntax error or a key given twice raises an
    InputError."""
    return _parsed(read_input(path), path)


def _parsed(text: str, path: Path) -> Any:
    if path.suffix.lower() == ".json":
        return parse_json(text, path)
    return parse_yaml(text, path)


def load_instance(path: str | Path) -> Instance:
    """Read, validate and cross-check an instance file; its `source_hash` is that of
    the bytes read."""
    path = Path(path)
    check_not_a_table(path, "instance")
    text, digest = read_source(path)
    instance = parse_instance(_parsed(text, path), path)
    instance._source_hash = digest
    return instance


def parse_instance(data: Any, path: Path | str = "<instance>") -> Instance:
    """Validate already-parsed data as an instance (see `load_instance`)."""
    path = Path(path)
    if data is None:  # (a new instance started as `# TODO`: "must be a mapping")
        empty = "holds null" if path.suffix.lower() == ".json" else "is empty (or only comments)"
        raise InputError(path, None, None, f"the file {empty}: no instance in it")
    if not isinstance(data, dict):
        raise InputError(
            path, None, None, "the top level must be a mapping of keys such as name, event, slots"
        )
    if "workshops" in data and "proposals" not in data:  # the arguments swapped
        raise InputError(
            path,
            None,
            None,
            "a solution written by `scheduler solve`, not an instance (the instance comes "
            "first: is this the solution?)",
        )
    try:
        instance = Instance.model_validate(data, context=TEXT_LABELS)
    except ValidationError as exc:
        raise InputError.from_validation(path, data, exc, Instance) from None
    check_references(instance, path)
    return instance


def _duplicates(ids: list[str]) -> list[str]:
    """Ids that appear more than once, in order of their second appearance."""
    seen: set[str] = set()
    repeated = []
    for record_id in ids:
        if record_id in seen:
            repeated.append(record_id)
        seen.add(record_id)
    return repeated


def check_references(instance: Instance, path: Path) -> None:
    """Cross-record checks pydantic cannot do field by field: the first that fails
    raises an InputError naming the file, the record and the field."""
    references = _References(instance, path)
    references.unique_ids()
    references.slots()
    references.rooms_not_double_booked()
    references.speakers()
    references.proposals()
    references.groups()


CALENDAR_SECTIONS = ("themes", "rooms", "speakers")
"""The records whose ids name files of their own (`export ics`: speakers/<id>.ics)."""

WINDOW_MARGIN_DAYS = 7
"""How far from the slots' days a window may lie, in an instance that does not name its
days, before it is taken for a date typed wrong."""


class _References:
    """The cross-record checks of one instance file, one method per kind of record."""

    def __init__(self, instance: Instance, path: Path):
        self.instance, self.path = instance, path
        days = instance.event.days
        self.days_text = f"{days[0]}..{days[1]}" if days else ""

    def fail(
        self, section: str, index: int, record_id: str | None, field: str, message: str
    ) -> NoReturn:
        raise InputError(self.path, InputError.record(section, index, record_id), field, message)

    def window_problem(self, window: Window) -> str | None:
        """What is wrong with where a window lies: outside the event's days when it names
        them; else, more than a week away from the days of the slots (a year typed wrong
        made a speaker unavailable for the whole event, and the reasons, without the
        year, did not show why). Near them, a window is taken as meant: the evening
        before, an absence that ends as the first day starts."""
        if not self.within_days(window.start, window.end):
            return f"window lies outside the event's days {self.days_text}"
        if self.instance.event.days is not None or not self.instance.slots:
            return None
        tz = self.instance.event.tz
        first = min(slot.start.astimezone(tz) for slot in self.instance.slots).date()
        last = max(slot.end.astimezone(tz) for slot in self.instance.slots).date()
        early = datetime.combine(first - timedelta(days=WINDOW_MARGIN_DAYS), time(), tz)
        late = datetime.combine(last + timedelta(days=1 + WINDOW_MARGIN_DAYS), time(), tz)
        if window.end <= early or window.start >= late:
            return (
                f"window {window.start.astimezone(tz):%Y-%m-%d %H:%M} to "
                f"{window.end.astimezone(tz):%Y-%m-%d %H:%M} lies more than "
                f"{WINDOW_MARGIN_DAYS} days away from the slots' days ({first} to {last}): "
                "a year or month typed wrong? (`event.days` names the event's days, when "
                "they are more than the slots')"
            )
        return None

    def within_days(self, start: datetime, end: datetime) -> bool:
        """Whether `start`..`end` lies within the event's days (when it names them)."""
        days, tz = self.instance.event.days, self.instance.event.tz
        if days is None:
            return True
        day0 = datetime.combine(days[0], datetime.min.time(), tz)
        day1 = datetime.combine(days[1] + timedelta(days=1), datetime.min.time(), tz)
        return day0 <= start and end <= day1

    def unique_ids(self) -> None:
        for section in ("themes", "rooms", "slots", "speakers", "proposals"):
            records = getattr(self.instance, section)
            for dup in _duplicates([r.id for r in records]):
                index = max(i for i, r in enumerate(records) if r.id == dup)
                self.fail(section, index, dup, "id", f"duplicate id {dup!r}")
        for section in CALENDAR_SECTIONS:
            # each names a calendar file (speakers/S01.ics): on macOS's and Windows' file
            # systems, which ignore case, speakers/s01.ics would replace it when copied
            first: dict[str, str] = {}
            for index, record in enumerate(getattr(self.instance, section)):
                if reserved_on_windows(record.id):  # (rooms/aux.ics, speakers/con.ics)
                    calendar = f"{section}/{record.id}.ics"
                    self.fail(section, index, record.id, "id", on_windows(record.id, calendar))
                other = first.setdefault(record.id.casefold(), record.id)
                if other != record.id:
                    self.fail(
                        section,
                        index,
                        record.id,
                        "id",
                        f"id {record.id!r} differs from {other!r} only by case: their "
                        f"calendars ({section}/{record.id}.ics) would be one file on macOS "
                        "and Windows",
                    )

    def slots(self) -> None:
        """Each slot's room and theme exist, its times exist on the clock and lie within
        the event's days, and no change of the clock falls inside it."""
        instance, fail, tz = self.instance, self.fail, self.instance.event.tz
        for i, slot in enumerate(instance.slots):
            if slot.room not in instance.room_by_id:
                fail("slots", i, slot.id, "room", unknown("room", slot.room, instance.room_by_id))
            if slot.theme is not None and slot.theme not in instance.theme_by_id:
                fail(
                    "slots", i, slot.id, "theme", unknown("theme", slot.theme, instance.theme_by_id)
                )
            if not self.within_days(slot.start, slot.end):
                fail(
                    "slots",
                    i,
                    slot.id,
                    "start",
                    f"slot lies outside the event's days {self.days_text}",
                )
            for field in ("start", "end"):
                if not _exists(getattr(slot, field)):
                    fail(
                        "slots",
                        i,
                        slot.id,
                        field,
                        f"{getattr(slot, field):%Y-%m-%d %H:%M} does not exist in {tz.key} "
                        "(the clock jumps forward then)",
                    )
            if (
                slot.start.tzinfo is slot.end.tzinfo
                and slot.start.utcoffset() != slot.end.utcoffset()
            ):
                # local times of one zone subtract on the wall clock: its minutes, and every
                # time of its timeline, would be off by the change
                fail(
                    "slots",
                    i,
                    slot.id,
                    "end",
                    f"the slot spans a change of the clock in {tz.key} (daylight saving "
                    "time): end it before the change or start it after",
                )

    def rooms_not_double_booked(self) -> None:
        by_room: dict[str, list[tuple[int, Slot]]] = {}
        for i, slot in enumerate(self.instance.slots):
            by_room.setdefault(slot.room, []).append((i, slot))
        for entries in by_room.values():
            entries.sort(key=lambda e: (e[1].start, e[0]))
            for (_, a), (j, b) in zip(entries, entries[1:], strict=False):
                if b.start < a.end:
                    self.fail(
                        "slots",
                        j,
                        b.id,
                        "start",
                        f"overlaps slot {a.id!r} in the same room {a.room!r}",
                    )

    def speakers(self) -> None:
        for i, speaker in enumerate(self.instance.speakers):
            for field in ("available", "unavailable", "preferred"):
                for window in getattr(speaker, field) or []:
                    problem = self.window_problem(window)
                    if problem is not None:
                        self.fail("speakers", i, speaker.id, field, problem)

    def proposals(self) -> None:
        instance, fail, rules = self.instance, self.fail, self.instance.rules
        for i, proposal in enumerate(instance.proposals):
            if len(proposal.speakers) > rules.max_speakers:
                # (the call's limit, as a rule: a panel of three could not be scheduled)
                fail(
                    "proposals",
                    i,
                    proposal.id,
                    "speakers",
                    f"{len(proposal.speakers)} speakers, where rules.max_speakers allows "
                    f"{rules.max_speakers}: raise it (rules: {{max_speakers: "
                    f"{len(proposal.speakers)}}}) if the event's call takes more",
                )
            if proposal.abstract_characters > rules.abstract_max_characters:
                over = proposal.abstract_characters - rules.abstract_max_characters
                fail(
                    "proposals",
                    i,
                    proposal.id,
                    "abstract",
                    f"the abstract has {proposal.abstract_characters} characters, where "
                    f"rules.abstract_max_characters allows {rules.abstract_max_characters}: "
                    f"shorten it by {over}, or raise the rule (rules: "
                    f"{{abstract_max_characters: {proposal.abstract_characters}}}) if the "
                    "event's call takes more",
                )
            for speaker_id in proposal.speakers:
                if speaker_id not in instance.speaker_by_id:
                    fail(
                        "proposals",
                        i,
                        proposal.id,
                        "speakers",
                        unknown("speaker", speaker_id, instance.speaker_by_id),
                    )
            for theme_id in proposal.themes:
                if theme_id not in instance.theme_by_id:
                    fail(
                        "proposals",
                        i,
                        proposal.id,
                        "themes",
                        unknown("theme", theme_id, instance.theme_by_id),
                    )
            if proposal.pin is not None and proposal.pin not in instance.slot_by_id:
                fail(
                    "proposals",
                    i,
                    proposal.id,
                    "pin",
                    "pin to " + unknown("slot", proposal.pin, instance.slot_by_id),
                )
            for window in proposal.preferred or []:
                problem = self.window_problem(window)
                if problem is not None:
                    fail("proposals", i, proposal.id, "preferred", problem)

    def groups(self) -> None:
        for kind in ("together", "apart"):
            for i, group in enumerate(getattr(self.instance.constraints, kind)):
                for proposal_id in group.proposals:
                    if proposal_id not in self.instance.proposal_by_id:
                        self.group_fail(
                            kind, i, unknown("proposal", proposal_id, self.instance.proposal_by_id)
                        )
                for proposal_id in _duplicates(group.proposals):
                    # (an `apart` group naming a proposal twice kept it from every
                    # workshop, one with itself included, without a word)
                    self.group_fail(kind, i, f"{proposal_id} is listed twice")
        self.groups_agree()

    def groups_agree(self) -> None:
        """No two proposals of an `apart` group must also share a workshop, directly or
        through `together` groups that share a proposal."""
        constraints = self.instance.constraints
        root = {p.id: p.id for p in self.instance.proposals}

        def find(x: str) -> str:
            while root[x] != x:
                x = root[x]
            return x

        joined_by: dict[str, list[int]] = defaultdict(list)  # unit root -> together groups
        for group in constraints.together:
            for other in group.proposals[1:]:
                root[find(other)] = find(group.proposals[0])
        for j, group in enumerate(constraints.together):
            joined_by[find(group.proposals[0])].append(j)
        for i, group in enumerate(constraints.apart):
            seen: dict[str, str] = {}
            for proposal_id in group.proposals:
                unit = find(proposal_id)
                if unit in seen:
                    through = ", ".join(f"constraints.together[{j}]" for j in joined_by[unit])
                    self.group_fail(
                        "apart",
                        i,
                        f"{seen[unit]} and {proposal_id} must also share a workshop ({through}); "
                        "drop one of the two rules",
                    )
                seen[unit] = proposal_id

    def group_fail(self, kind: str, index: int, message: str) -> NoReturn:
        raise InputError(self.path, f"constraints.{kind}[{index}]", "proposals", message)
