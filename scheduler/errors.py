"""Errors shown to users: one clear sentence naming the file, the record and the field."""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

INTERRUPTED = 130
"""The exit code after Ctrl-C (128 + SIGINT, as shells report it)."""
CRASHED = 3
"""The exit code after a solver library crashed twice in native code (`scheduler.guard`)."""
BROKEN_PIPE = 141
"""The exit code when the output's reader left before the end (`| head`): 128 + SIGPIPE,
as shells report a writer the signal ended. (1, which click and rich gave, means an
invalid solution, or a change to `diff --exit-code`.)"""


class SchedulerError(Exception):
    """Base of the errors the CLI turns into a message and an exit code."""

    exit_code = 2


class InputError(SchedulerError):
    """Bad input: names the file, the record and the field."""

    def __init__(self, path: Path | str, record: str | None, field: str | None, message: str):
        self.path = Path(path)
        self.record_name = record
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [str(self.path)]
        if self.record_name:
            where.append(self.record_name)
        if self.field:
            where.append(f"field '{self.field}'")
        return (
            ": ".join([", ".join(where), self.message])
            if len(where) > 1
            else f"{where[0]}: {self.message}"
        )

    @staticmethod
    def record(section: str, index: int | None, record_id: str | None, key: str = "id") -> str:
        """`proposals[3] (id 'p04')`; a solution's records by their key of another name,
        `workshops[2] (slot 'tue-am-aud')`."""
        label = section if index is None else f"{section}[{index}]"
        return f"{label} ({key} '{record_id}')" if record_id else label

    @classmethod
    def located(cls, path: Path, data: Any, loc: list[Any], message: str) -> InputError:
        """An error at a location in parsed data (`["proposals", 3, "themes"]`), named as
        a record and a field (`proposals[3] (id 'p04'), field 'themes'`)."""
        record, field = _locate(data, loc)
        return cls(path, record, field, message)

    @classmethod
    def from_validation(
        cls,
        path: Path,
        data: Any,
        exc: ValidationError,
        model: type[BaseModel] | None = None,
        at: Sequence[Any] = (),
    ) -> InputError:
        """The first pydantic error, located as a record and a field. A field required
        beside an unknown one that is spelt like it (`speaker:` for `speakers:`) is
        reported as the unknown one; an unknown field of `model`'s records names the
        field it is spelt like, if any. `at` is where the validated value lies in `data`
        (`["themes", 0]`: a themes file's theme validated alone, by `model` Theme)."""
        errors = exc.errors(include_url=False)
        error = _misspelt(errors) or errors[0]
        required = errors[0] if error is not errors[0] else None
        loc = [*at, *error["loc"]]
        record, field = _locate(data, loc)
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if (
            error["type"] == "string_pattern_mismatch"
            and error.get("ctx", {}).get("pattern") == ID_PATTERN
        ):  # "should match pattern '^[\\w.\\-]+$'" said little to a coordinator
            message = "an id is letters, digits, '_', '.' and '-' only (no spaces or slashes)"
            named = _named(data, error.get("input"))
            if named:  # (a room or a speaker given by its name)
                message = f"{_SHORT.repr(error['input'])} is the name of {named}: write its id"
        if error["type"] == "extra_forbidden":
            message = "unknown field"
            known = _field_names(model, list(error["loc"])[:-1]) if model is not None else []
            near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            if near:
                message += f"; did you mean '{near[0]}'?"
            elif required is not None:  # (`nom:` was said as "'name': field required")
                message += f"; is it '{required['loc'][-1]}', which is required here?"
        elif error["type"] == "enum" and _lower_case(error) is not None:
            # ("Input should be 'fr' or 'en' (got 'FR')")
            message = f"write {_lower_case(error)!r} (got {error['input']!r})"
        elif (
            error["type"] == "enum"
            and error.get("ctx", {}).get("expected") == LANGUAGES
            and isinstance(error.get("input"), str)
        ):
            # ("Input should be 'fr' or 'en' (got 'English')")
            named = LANGUAGE_NAMES.get(str(error["input"]).strip().casefold())
            message = (
                f"write {named!r} (got {_SHORT.repr(error['input'])})"
                if named
                else f"write 'fr' or 'en' (got {_SHORT.repr(error['input'])}): the only "
                "languages the workshops, the grid and the calendars know"
            )
        elif error["type"] in ("string_type", "enum") and _read_as_other(error.get("input")):
            # ("Input should be 'fr' or 'en' (got false)" for `language: no`, which YAML
            # reads as a boolean, as it reads 2026 as a number)
            quote = ": write the text in quotes"
            if error["type"] == "string_type":  # ("Input should be a valid string")
                message = "should be text"
            elif not _quoted_is_allowed(error):  # (`format: 1` quoted is not a format)
                quote = ""
            message = (
                f"{message} (got {_SHORT.repr(error['input'])}, "
                f"{_read_as_other(error['input'])}{quote})"
            )
        elif error["type"] == "tuple_type":
            # ("Input should be a valid tuple": the event's days written as a range)
            message = (
                "should be a list in brackets, such as [2026-12-01, 2026-12-03] "
                f"(got {_SHORT.repr(error.get('input'))})"
            )
        elif error["type"] == "missing":
            message = "field required"
        elif error["type"].startswith(("datetime_", "date_")) and "parsing" in error["type"]:
            # ("Input should be a valid datetime or date, invalid character in year")
            like = "a date and time like 2026-12-01T09:30"
            if error["type"].startswith("date_"):
                like = "a day like 2026-12-01"
            message = f"write {like} (got {_SHORT.repr(error.get('input'))})"
        elif error["type"] in ("bool_parsing", "bool_type"):
            # ("Input should be a valid boolean, unable to interpret input")
            message = f"write true or false (got {_SHORT.repr(error.get('input'))})"
        elif error["type"] in ("int_parsing", "int_from_float"):
            # ("Input should be a valid integer, unable to parse string as an integer" for
            # `minutes: 10 min`)
            given = error.get("input")
            message = f"{_a_whole_number(loc, given)} (got {_SHORT.repr(given)})"
        elif error["type"] == "bool_as_int":
            # (`unscheduled: no`, which YAML reads as false, was read as 0: refused by
            # `instance.Whole`, said with what YAML made of it)
            given = error["input"]
            message = (
                f"{_a_whole_number(loc, given)} (got {_SHORT.repr(given)}, {_read_as_other(given)})"
            )
        elif error["type"] == "list_type":
            # ("Input should be a valid list": a window written without its dash)
            message = f"should be a list, not {_kind_of(error.get('input'))}"
            if Path(path).suffix.lower() in (".yaml", ".yml"):
                message += ": in YAML, start each item's line with '- '"
        elif error["type"] in ("model_type", "dict_type"):
            # ("Input should be a valid dictionary or instance of Solution")
            message = f"should be a mapping of fields, not {_kind_of(error.get('input'))}"
            if error.get("ctx", {}).get("class_name") == "Labels":
                # (a theme's label written as one text: the mapping is its two languages)
                name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "label"
                message += f"; give both languages: {name}: {{fr: ..., en: ...}}"
            elif error.get("ctx", {}).get("class_name") == "Together":
                message += _a_group(data, loc, error.get("input"))
        elif error["type"] == "too_short" and error.get("ctx", {}).get("field_type") == "List":
            # ("List should have at least 1 item after validation, not 0")
            least, got = error["ctx"]["min_length"], error["ctx"]["actual_length"]
            message = f"at least {least} needed, got {got or 'none'}"
        elif (
            "input" in error
            and not isinstance(error["input"], dict | list)
            and _SHORT.repr(error["input"]) not in message  # ("unknown timezone 'Paris'")
        ):
            message = f"{message} (got {_SHORT.repr(error['input'])})"
        return cls(path, record, field, message)


def _a_whole_number(loc: list[Any], value: Any) -> str:
    """How to write the whole number a field wants, with an example from what was written
    (`minutes: 10 min`: "write a number of minutes, e.g. minutes: 10")."""
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), None)
    digits = re.search(r"\d+", str(value)) if isinstance(value, str | float) else None
    minutes = any(str(p).endswith("minutes") or p == "participatory" for p in loc)
    what = "a number of minutes" if minutes else "a whole number"
    if field is None or isinstance(loc[-1], int):
        return f"write {what}"
    return f"write {what}, e.g. {field}: {digits.group() if digits else 10}"


def _a_group(data: Any, loc: list[Any], value: Any) -> str:
    """How to write a `together` or `apart` group, from what was written: a list of ids
    (`together: [[k01, i05]]`) or the ids themselves (`together: [k01, i05]`)."""
    if isinstance(value, list):
        return f"; write {{proposals: [{', '.join(str(v) for v in value)}]}}"
    group = _value_at(data, loc[:-1])
    if isinstance(group, list) and all(isinstance(v, str | int) for v in group):
        ids = ", ".join(str(v) for v in group)
        return f"; each group is a mapping: write {loc[-2]}: [{{proposals: [{ids}]}}]"
    return "; write {proposals: [ID, ID, ...]}"


def _value_at(data: Any, loc: list[Any]) -> Any:
    """The value at a pydantic location in parsed data, or None."""
    for part in loc:
        inside = (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        )
        if not inside:
            return None
        data = data[part]
    return data


LANGUAGES = "'fr' or 'en'"
"""How pydantic says the languages a talk, a slot or an event may have."""

LANGUAGE_NAMES = {
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "english": "en",
    "anglais": "en",
}
"""A language written as its name, in English or French, by its code."""


def _read_as_other(value: Any) -> str | None:
    """What YAML or JSON made of a text written without quotes, where text is wanted
    (`no` a boolean, `2026` a number, `2026-12-01` a date); None for a text."""
    if isinstance(value, bool):
        return "read as a boolean: YAML reads yes, no, on and off as true or false"
    if isinstance(value, int | float):
        return "read as a number"
    if isinstance(value, date):
        return "read as a date"
    return None


def _read_as(value: Any) -> str:
    """What YAML made of a record's id written without quotes, in a few words."""
    if isinstance(value, bool):
        return "read as a boolean (yes, no, on, off)"
    return _read_as_other(value) or f"read as {_kind_of(value)}"


def _quoted_is_allowed(error: dict[str, Any]) -> bool:
    """Whether a spelling YAML reads as an enum error's input is one of its values: only
    then is quoting it the remedy."""
    value = error.get("input")
    allowed = set(re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", ""))))
    if isinstance(value, bool):
        spellings = {"yes", "on", "true"} if value else {"no", "off", "false"}
    elif isinstance(value, date):
        spellings = {value.isoformat()}
    else:
        spellings = {str(value)}
    return bool(spellings & allowed)


def _misspelt(errors: list[Any]) -> Any | None:
    """The unknown field of a record whose required field is missing, when the first
    error is that missing one, the one spelt like it first ("field 'speakers': field
    required" said nothing of the `speaker:` line beside it, nor "field 'name'" of a
    `nom:` line)."""
    first = errors[0]
    if first["type"] != "missing":
        return None
    parent, name = first["loc"][:-1], str(first["loc"][-1])
    unknown = [e for e in errors if e["type"] == "extra_forbidden" and e["loc"][:-1] == parent]
    for error in unknown:
        if difflib.get_close_matches(str(error["loc"][-1]), [name], cutoff=0.6):
            return error
    # the one unknown field beside it, if only one (of several, which it is, is a guess)
    return unknown[0] if len(unknown) == 1 else None


def _named(data: Any, value: Any) -> str | None:
    """The record of `data` whose name `value` is, as "room 'zola'" (an id's place given
    a name: `room: Amphi Émile-Zola`)."""
    if not isinstance(value, str) or not isinstance(data, dict):
        return None
    for section in ("rooms", "speakers"):
        for record in data.get(section) or []:
            if isinstance(record, dict) and record.get("name") == value and "id" in record:
                return f"{section[:-1]} {str(record['id'])!r}"
    return None


def _lower_case(error: dict[str, Any]) -> str | None:
    """The allowed value an enum's input is in another case ('FR', 'Keynote'), if any."""
    given = error.get("input")
    allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    if isinstance(given, str) and given.strip().casefold() in allowed:
        return given.strip().casefold()
    return None


def _field_names(model: type[BaseModel], loc: list[Any]) -> list[str]:
    """The field names (as files spell them: aliases first) of the records at `loc` in
    `model`'s data, e.g. `["proposals", 3]` -> a proposal's; none if `loc` leads
    elsewhere than to records."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue  # (an item of a list: its records are the list's)
        fields = {f.alias or n: f for n, f in current.model_fields.items()}
        found = fields.get(str(part)) or current.model_fields.get(str(part))
        current = _model_in(found.annotation) if found is not None else None
    if current is None:
        return []
    return [f.alias or n for n, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The record model inside a field's type (`list[Proposal]`, `Rules | None`...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


ID_PATTERN = r"^[\w.\-]+$"
"""What an id may hold (instance names, slots, rooms, proposals...): safe in file names."""


class _Shown(reprlib.Repr):
    """Values as the files write them: `true`, `null` and `2026-12-01`, not Python's
    True, None and datetime.date(2026, 12, 1)."""

    def repr_bool(self, x: bool, level: int) -> str:
        return "true" if x else "false"

    def repr_NoneType(self, x: None, level: int) -> str:  # noqa: N802 (reprlib's name)
        return "null"

    def repr_date(self, x: Any, level: int) -> str:  # (a day YAML read: "datetime.date(...)")
        return x.isoformat()

    def repr_datetime(self, x: Any, level: int) -> str:
        return x.isoformat()


_SHORT = _Shown()
"""How a message shows the value it refuses: a long text (an abstract over 1500
characters) cut in its middle, not echoed whole."""
_SHORT.maxstring = _SHORT.maxother = 80


def _kind_of(value: Any) -> str:
    """What a value is, in a file's words: 'a list', 'the text ...', 'the number 5'."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"the text {_SHORT.repr(value)}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"the number {_SHORT.repr(value)}"
    return _SHORT.repr(value)


RECORD_KEYS = ("id", "slot", "proposal")
"""The field that names a record: an instance's `id`, a solution workshop's `slot`, an
unscheduled entry's `proposal`."""


def _locate(data: Any, loc: list[Any]) -> tuple[str | None, str | None]:
    """Split a pydantic location into a record (`proposals[3] (id 'p04')`) and a field path."""
    if not loc:
        return None, None
    section = str(loc[0])
    if len(loc) >= 2 and isinstance(loc[1], int):
        index = loc[1]
        record_id, key = None, "id"
        items = data.get(section) if isinstance(data, dict) else None
        if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
            # (a solution's workshops have a slot and its unscheduled entries a proposal
            # where the instance's records have an id: they were named by index alone)
            key = next((k for k in RECORD_KEYS if isinstance(items[index].get(k), str)), "id")
            raw = items[index].get(key)
            record_id = raw if isinstance(raw, str) else None
            if raw is not None and record_id is None:
                # (`id: on`, which YAML reads as true, was named "(id 'True')", a spelling
                # no one wrote; refused on that field, its message says what YAML read)
                rest = loc[2:]
                field = ".".join(_part(p) for p in rest) or None
                label = InputError.record(section, index, None)
                if rest[:1] != [key]:
                    label += f" ({key} {_SHORT.repr(raw)}, {_read_as(raw)}: write it in quotes)"
                return label, _clean(field)
        rest = loc[2:]
        field = ".".join(_part(p) for p in rest) or None
        return InputError.record(section, index, record_id, key), _clean(field)
    if len(loc) == 1:
        return None, section
    return section, _clean(".".join(_part(p) for p in loc[1:]))


def _part(item: Any) -> str:
    return f"[{item}]" if isinstance(item, int) else str(item)


def _clean(field: str | None) -> str | None:
    return field.replace(".[", "[") if field else field


def unknown(what: str, value: str, known: Iterable[str]) -> str:
    """ "unknown slot 'wed-pm-seinee'; did you mean 'wed-pm-seine'?": an id typed wrong
    named with the id it is spelt like, if any (as a field name spelt wrong is); with
    the two it is spelt equally like, in the file's order ('thu-am-rhone': 'thu-am1-rhone'
    or 'thu-am2-rhone'; it named neither). Spelt like three or more equally, none: a
    guess ('p1': 'p01', 'p10', 'p11'...)."""
    scored = [(difflib.SequenceMatcher(None, value, k).ratio(), k) for k in dict.fromkeys(known)]
    best = max((ratio for ratio, _ in scored), default=0.0)
    near = [k for ratio, k in scored if ratio == best] if best >= 0.6 else []
    if len(near) > 2:
        near = []
    return f"unknown {what} {value!r}" + (
        f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    )


class NoScheduleError(SchedulerError):
    """The solver found no schedule (infeasible or out of time)."""

    exit_code = 1


class OutputError(SchedulerError):
    """An output file that cannot be written: names it and says why."""

    def __init__(self, path: Path | str, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: cannot write the file: {reason}")
