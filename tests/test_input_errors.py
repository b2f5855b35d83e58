"""Bad input exits 2 with one message naming the file, the record and the field; nothing is overwritten."""

from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys
import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from conftest import BUNDLED, ROOT, TINY, base_data, to_stdout_file
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scheduler.candidates import candidate_table
from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.files import parse_yaml
from scheduler.greedy import greedy_solution
from scheduler.instance import ABSTRACT_MAX_CHARS, load_instance, parse_instance
from scheduler.solution import Solution, load_solution
from scheduler.validate import validate

TINY_DATA = yaml.safe_load(TINY.read_text(encoding="utf-8"))


def mutate(change):
    data = copy.deepcopy(TINY_DATA)
    change(data)
    return data


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _append(path, value):
    def change(data):
        target = data
        for key in path:
            target = target[key]
        target.append(value)

    return change


def _without_days(change):
    """`change`, in an instance that does not name its days (`event.days` is optional)."""

    def both(data):
        change(data)
        data["event"].pop("days", None)

    return both


CASES = {
    # a speaker's contact address (for `diff`'s paragraphs): its shape is checked
    "an e-mail address that is not one": (
        _set(["speakers", 0, "email"], "ana at example.org"),
        [
            "speakers[0] (id 'ana')",
            "field 'email'",
            "'ana at example.org' is not an e-mail address (write it as name@example.org)",
        ],
    ),
    "an e-mail address written as a link": (
        _set(["speakers", 0, "email"], "mailto:ana@example.org"),
        ["field 'email'", "write the address alone, without 'mailto:'"],
    ),
    "two e-mail addresses for one speaker": (
        _set(["speakers", 0, "email"], "ana@example.org; ana@cnrs.fr"),
        ["field 'email'", "is not an e-mail address: give one address"],
    ),
    # an id typed wrong is named with the one it is spelt like, as a field name is
    "pin to a slot typed wrong": (
        _set(["proposals", 0, "pin"], "am-aa"),
        ["proposals[0] (id 'k1')", "field 'pin'", "unknown slot 'am-aa'; did you mean 'am-a'?"],
    ),
    # without `event.days`, a year typed wrong left a speaker unavailable all event,
    # silently (with the days given, it was refused)
    "a window in another year": (
        _without_days(
            _set(
                ["speakers", 0, "available"],
                [{"start": "2025-12-01T09:00:00", "end": "2025-12-01T18:00:00"}],
            )
        ),
        [
            "speakers[0] (id 'ana')",
            "field 'available'",
            "window 2025-12-01 09:00 to 2025-12-01 18:00 lies more than 7 days away from the "
            "slots' days (2026-12-01 to 2026-12-01): a year or month typed wrong?",
        ],
    ),
    # a new coordinator's mistakes, each said with its fix (pydantic's words before)
    "a timezone by its city": (
        _set(["event", "timezone"], "Paris"),
        ["event", "field 'timezone'", "unknown timezone 'Paris'; did you mean Europe/Paris?"],
    ),
    "a language in capitals": (
        _set(["proposals", 0, "language"], "FR"),
        ["proposals[0] (id 'k1')", "field 'language'", "write 'fr' (got 'FR')"],
    ),
    "a format capitalised": (
        _set(["proposals", 0, "format"], "Keynote"),
        ["field 'format'", "write 'keynote' (got 'Keynote')"],
    ),
    "the days as a range": (
        _set(["event", "days"], "2026-12-01 - 2026-12-01"),
        ["event", "field 'days'", "should be a list in brackets, such as [2026-12-01, 2026-12-03]"],
    ),
    "a room by its name": (
        _set(["slots", 0, "room"], "Room A"),
        ["slots[0] (id 'am-a')", "field 'room'", "'Room A' is the name of room 'a': write its id"],
    ),
    # a number written as a boolean was read as 1 or 0 (`unscheduled: no` switched the
    # rule off, `keynote_minutes: yes` made keynotes 1 minute long), without a word
    "a weight written as no": (
        _set(["rules"], {"weights": {"unscheduled": False}}),
        [
            "rules, field 'weights.unscheduled': write a whole number, e.g. unscheduled: 10 "
            "(got false, read as a boolean: YAML reads yes, no, on and off as true or false)"
        ],
    ),
    "minutes written as yes": (
        _set(["proposals", 0, "minutes"], True),
        [
            "proposals[0] (id 'k1'), field 'minutes': write a number of minutes, e.g. "
            "minutes: 10 (got true, read as a boolean"
        ],
    ),
    "a capacity written as on": (
        _set(["rooms", 0, "capacity"], True),
        ["rooms[0] (id 'a'), field 'capacity': write a whole number", "(got true, read as"],
    ),
    # a control character escaped in YAML or JSON (`"\e"`, `"\u0001"`), or kept by
    # `import` from a pasted cell, passed the loader: `export xlsx` ended in a traceback
    "an escape character in a title": (
        _set(["proposals", 0, "title"], "Titre \x1b[31mROUGE\x1b[0m fin"),
        [
            "proposals[0] (id 'k1'), field 'title': holds the control character U+001B at "
            "character 7 (pasted from a PDF?): remove it"
        ],
    ),
    "a vertical tab in an affiliation": (
        _set(["speakers", 0, "affiliation"], "Université\x0bA"),
        ["speakers[0] (id 'ana'), field 'affiliation': holds the control character U+000B"],
    ),
    # a slot's start written as a day, its time forgotten, was read as midnight: the
    # workshop scheduled at 00:00, without a word (a window's bound may be a day)
    "a slot's start without its time": (
        _set(["slots", 0, "start"], "2026-12-01"),
        [
            "slots[0] (id 'am-a'), field 'start': the time is missing: write a date and "
            "time like 2026-12-01T09:00"
        ],
    ),
    # an instance named `..` passed the id check: `export` wrote its calendars in
    # exports/../, the project's own folder
    "an instance named by dots": (
        _set(["name"], ".."),
        [
            "field 'name': '..' is dots only and names no folder of its own in exports/ "
            "('.' is exports/ itself, '..' the folder above): write a name with a letter or "
            "a digit"
        ],
    ),
    # ids that are Windows device names became calendar files no Windows machine can
    # create, open or unzip (rooms/aux.ics is the AUX device there)
    "a room named as a Windows device": (
        lambda data: (
            data["rooms"][1].update(id="aux"),
            [slot.update(room="aux") for slot in data["slots"] if slot["room"] == "b"],
        ),
        [
            "rooms[1] (id 'aux'), field 'id': 'aux' is a name Windows keeps for a device: "
            "rooms/aux.ics could not be created, opened or unzipped there; rename it"
        ],
    ),
    "an instance named as a Windows device": (
        _set(["name"], "CON"),
        ["field 'name': 'CON' is a name Windows keeps for a device: exports/CON/ could not"],
    ),
    "a speaker by her name": (
        _set(["proposals", 0, "speakers"], ["Ana Martin"]),
        ["field 'speakers[0]'", "'Ana Martin' is the name of speaker 'ana': write its id"],
    ),
    "a field named in French": (
        lambda data: data["speakers"][0].update(nom=data["speakers"][0].pop("name")),
        ["speakers[0] (id 'ana')", "field 'nom'", "unknown field; is it 'name', which is required"],
    ),
    # pydantic's words: "Input should be a valid boolean, unable to interpret input"
    "closed in French": (
        _set(["slots", 1, "closed"], "oui"),
        ["slots[1]", "field 'closed'", "write true or false (got 'oui')"],
    ),
    # a window written without its dash: "Input should be a valid list"
    "one window without its list": (
        _set(
            ["speakers", 0, "unavailable"],
            {"start": "2026-12-01T09:00:00", "end": "2026-12-01T10:00:00"},
        ),
        ["speakers[0]", "field 'unavailable'", "should be a list, not a mapping: in YAML, start"],
    ),
    # far above, CP-SAT's objective lost precision: a worse schedule said feasible
    "weight too large": (
        _set(["rules"], {"weights": {"unscheduled": 10**18}}),
        ["rules", "field 'weights.unscheduled'", "less than or equal to 1000000"],
    ),
    # the model's build enumerated every count up to it, for minutes, past the time limit
    "a workshop of ten thousand initiatives": (
        _set(["rules"], {"initiatives_per_workshop": {"min": 0, "max": 10000}}),
        ["rules", "field 'initiatives_per_workshop.max'", "less than or equal to 100"],
    ),
    "an opening longer than a day": (
        _set(["rules"], {"opening_minutes": 10**20}),
        ["rules", "field 'opening_minutes'", "less than or equal to 1440"],
    ),
    "unknown speaker": (
        _set(["proposals", 1, "speakers"], ["bob", "zoe"]),
        ["proposals[1] (id 'k2')", "field 'speakers'", "unknown speaker 'zoe'"],
    ),
    "duplicate id": (
        _append(["rooms"], {"id": "a", "name": "Another A"}),
        ["rooms[2] (id 'a')", "field 'id'", "duplicate id 'a'"],
    ),
    # their calendars speakers/A.ics and speakers/a.ics were one file on macOS and Windows
    "an id differing from another only by case": (
        _append(["rooms"], {"id": "A", "name": "Another A"}),
        ["rooms[2] (id 'A')", "field 'id'", "id 'A' differs from 'a' only by case"],
    ),
    # the slot was a minute shorter, its timeline at :30 seconds, its times shown whole
    "seconds in a slot's time": (
        _set(["slots", 0, "start"], "2026-12-01T09:00:30"),
        [
            "slots[0] (id 'am-a')",
            "field 'start'",
            "whole minutes, without seconds (got '2026-12-01T09:00:30')",
        ],
    ),
    # pydantic's words, YAML's value, and no word of quotes: "(got false)"
    # (quoted, `no` is no language either: no advice to quote it)
    "a language YAML reads as a boolean": (
        _set(["proposals", 0, "language"], False),
        [
            "field 'language'",
            # (then no advice to quote it; an older pydantic says it was no text, and so
            # to quote it, as for a text)
            "(got false, read as a boolean: YAML reads yes, no, on and off as true or false",
        ],
    ),
    "a title YAML reads as a number": (
        _set(["event", "title"], 2026),
        ["event", "field 'title'", "should be text (got 2026, read as a number: write the text"],
    ),
    "slot ends before it starts": (
        _set(["slots", 2, "end"], "2026-12-01T13:00:00"),
        ["slots[2] (id 'pm-a')", "field 'end'", "before it starts"],
    ),
    "overlapping slots in one room": (
        _append(
            ["slots"],
            {"id": "x", "room": "a", "start": "2026-12-01T10:00:00", "end": "2026-12-01T11:00:00"},
        ),
        ["slots[4] (id 'x')", "field 'start'", "overlaps slot 'am-a'"],
    ),
    "more than two speakers": (
        _set(["proposals", 0, "speakers"], ["ana", "bob", "dan"]),
        [
            "proposals[0] (id 'k1')",
            "field 'speakers'",
            "3 speakers, where rules.max_speakers allows 2: raise it (rules: {max_speakers: 3})",
        ],
    ),
    "unknown language": (
        _set(["proposals", 2, "language"], "de"),
        ["proposals[2] (id 'k3')", "field 'language'", "'de'"],
    ),
    "id with a space": (
        _set(["name"], "tiny event"),
        ["field 'name'", "an id is letters, digits, '_', '.' and '-' only", "'tiny event'"],
    ),
    "abstract over 1500 characters": (
        _set(["proposals", 3, "abstract"], "x" * 1501),
        ["proposals[3] (id 'i1')", "field 'abstract'", "1501 characters"],
    ),
    "window ends before it starts": (
        _set(
            ["speakers", 2, "unavailable"],
            [{"start": "2026-12-01T18:00:00", "end": "2026-12-01T13:00:00"}],
        ),
        ["speakers[2] (id 'chloe')", "field 'unavailable[0].end'", "before it starts"],
    ),
    # one end with an offset and the other local: a TypeError (naive against aware)
    # escaped as a traceback until 2026-12-02
    "slot with an offset ending before its local start": (
        _set(["slots", 2, "end"], "2026-12-01T13:00:00+01:00"),
        ["slots[2] (id 'pm-a')", "field 'end'", "before it starts"],
    ),
    # pydantic reads a number as a Unix time: 1970, in UTC
    "slot start written as a number": (
        _set(["slots", 2, "start"], 1),
        ["slots[2] (id 'pm-a')", "field 'start'", "write a date and time like"],
    ),
    "window end written as digits": (
        _set(["speakers", 2, "unavailable"], [{"start": "2026-12-01T13:00:00", "end": "1800"}]),
        ["speakers[2] (id 'chloe')", "field 'unavailable[0].end'", "write a date and time"],
    ),
    "event day written as a number": (
        _set(["event", "days"], [20261201, "2026-12-03"]),
        ["event", "field 'days[0]'", "write a day like 2026-12-01"],
    ),
    # a traceback (OverflowError) from the day after the last, until 2026-12-05
    "event's last day in year 9999": (
        _set(["event", "days"], ["2026-12-01", "9999-12-31"]),
        ["event, field 'days[1]': year 9999 is out of range: write a day like 2026-12-01"],
    ),
    "event's first day in year 1": (
        _set(["event", "days"], ["0001-01-01", "2026-12-03"]),
        ["event, field 'days[0]': year 1 is out of range"],
    ),
    "pin to unknown slot": (
        _set(["proposals", 0, "pin"], "nowhere"),
        ["proposals[0] (id 'k1')", "field 'pin'", "unknown slot 'nowhere'"],
    ),
    "time outside the event's days": (
        lambda data: data["slots"][3].update(
            start="2026-12-05T14:30:00", end="2026-12-05T15:30:00"
        ),
        ["slots[3] (id 'pm-b')", "outside the event's days"],
    ),
    "unknown format": (
        _set(["proposals", 4, "format"], "talk"),
        ["proposals[4] (id 'i2')", "field 'format'", "'talk'"],
    ),
    "unknown field": (
        _set(["rooms", 0, "colour"], "red"),
        ["rooms[0] (id 'a')", "field 'colour'", "unknown field"],  # (like no field)
    ),
    "missing field": (
        lambda data: data["proposals"][0].pop("title"),
        ["proposals[0] (id 'k1')", "field 'title'", "field required"],
    ),
    # a misspelt field is named with the one it is spelt like: "field 'speakers': field
    # required" said nothing of the `speaker:` line beside it
    "misspelt required field": (
        lambda data: data["proposals"][1].update(speaker=data["proposals"][1].pop("speakers")),
        ["proposals[1] (id 'k2')", "field 'speaker': unknown field; did you mean 'speakers'?"],
    ),
    "misspelt optional field": (
        lambda data: data["speakers"][2].update(unavailble=data["speakers"][2].pop("unavailable")),
        ["speakers[2] (id 'chloe')", "field 'unavailble': unknown field; did you mean"],
    ),
    "misspelt rule": (
        _set(["rules"], {"opening_minute": 5}),
        ["rules, field 'opening_minute': unknown field; did you mean 'opening_minutes'?"],
    ),
    "misspelt weight": (
        _set(["rules"], {"weights": {"idle-minute": 2}}),
        ["rules, field 'weights.idle-minute': unknown field; did you mean 'idle-minutes'?"],
    ),
    "misspelt section": (
        _set(["speaker"], []),
        ["field 'speaker': unknown field; did you mean 'speakers'?"],
    ),
    "no speaker": (
        _set(["proposals", 2, "speakers"], []),
        ["proposals[2] (id 'k3'), field 'speakers': at least 1 needed, got none"],
    ),
    "a French time": (
        _set(["slots", 0, "start"], "01/12/2026 9h00"),
        ["slots[0] (id 'am-a'), field 'start': write a date and time like 2026-12-01T09:30"],
    ),
    "a French day": (
        _set(["event", "days"], ["01/12/2026", "2026-12-01"]),
        ["event, field 'days[0]': write a day like 2026-12-01 (got '01/12/2026')"],
    ),
    "unknown timezone": (
        _set(["event", "timezone"], "Paris"),
        ["event, field 'timezone': unknown timezone 'Paris'"],
    ),
    # event.organizer, each calendar event's ORGANIZER: an address clients can write to
    "an organiser's address with her name": (
        _set(["event", "organizer"], {"email": "Programme <programme@commons-ai.example>"}),
        [
            "event, field 'organizer.email': 'Programme <programme@commons-ai.example>' is "
            "not an e-mail address: the name goes apart, in `name` (write it as "
            "name@example.org)"
        ],
    ),
    "an organiser's address without a domain": (
        _set(["event", "organizer"], {"name": "Programme", "email": "programme"}),
        ["event, field 'organizer.email': 'programme' is not an e-mail address (write it"],
    ),
    "an organiser's address as a mailto: URI": (
        _set(["event", "organizer"], {"email": "mailto:programme@commons-ai.example"}),
        ["event, field 'organizer.email': write the address alone, without 'mailto:'"],
    ),
    # (one check, a speaker's: a blank address is none, and she may have none)
    "an organiser's blank address": (
        _set(["event", "organizer"], {"name": "Programme", "email": " "}),
        ["event, field 'organizer.email': an address is needed (write it as name@example.org)"],
    ),
    "a speaker's address with her name": (
        _set(["speakers", 0, "email"], "Ana <ana@example.org>"),
        ["field 'email'", "not an e-mail address: the name goes apart, in `name`"],
    ),
    "an organiser without an address": (
        _set(["event", "organizer"], {"name": "Programme"}),
        ["event, field 'organizer.email': field required"],
    ),
    "an organiser's name on two lines": (
        _set(["event", "organizer"], {"name": "Pro\ngramme", "email": "p@commons-ai.example"}),
        ["event, field 'organizer.name': a name on one line, without control characters"],
    ),
    "an organiser's name in double quotes": (
        _set(["event", "organizer"], {"name": 'Les "Communs"', "email": "p@commons-ai.example"}),
        [
            "event, field 'organizer.name': a name without straight double quotes (\"): write “ ” or « »"
        ],
    ),
    "unknown theme": (
        _set(["proposals", 0, "themes"], ["open", "ghost"]),
        ["proposals[0] (id 'k1')", "field 'themes'", "unknown theme 'ghost'"],
    ),
    # (an `apart` group naming i1 twice kept i1 out of every workshop without a word)
    "a proposal twice in a group": (
        _set(["constraints"], {"apart": [{"proposals": ["k1", "i1", "i1"]}]}),
        ["constraints.apart[0], field 'proposals': i1 is listed twice"],
    ),
    "a pair both together and apart": (
        _set(
            ["constraints"],
            {
                "together": [{"proposals": ["k1", "i1"]}, {"proposals": ["i1", "i3"]}],
                "apart": [{"proposals": ["k3", "k1", "i3"]}],
            },
        ),
        [
            "constraints.apart[0], field 'proposals': k1 and i3 must also share a workshop "
            "(constraints.together[0], constraints.together[1]); drop one of the two rules"
        ],
    ),
}


@pytest.fixture
def existing_solution(tmp_path):
    out = tmp_path / "out.json"
    out.write_text('{"previous": "solution"}')
    return out


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out + captured.err


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_instance(case, tmp_path, capsys, existing_solution):
    change, expected = CASES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(mutate(change), allow_unicode=True, sort_keys=False))
    code, output = run(
        ["solve", str(path), "-o", str(existing_solution), "--time-limit", "1"], capsys
    )
    assert code == 2
    assert "Traceback" not in output
    flat = " ".join(output.split())
    assert str(path.name) in flat
    for fragment in expected:
        assert fragment in flat
    assert "did you mean" not in flat or any(k in case for k in ("misspelt", "wrong", "timezone"))
    assert flat.count("(got") <= 1 and "'Paris' (got" not in flat
    assert existing_solution.read_text() == '{"previous": "solution"}'


def test_an_address_is_checked_and_trimmed_alike_for_the_organiser_and_a_speaker():
    # the organiser's was refused with spaces around it ("not an e-mail address:
    # ' programme@x.org'"), the same text accepted as a speaker's: two checks
    data = base_data()
    data["event"]["organizer"] = {"name": "Programme", "email": " programme@x.org\t"}
    data["speakers"][0]["email"] = " ana@x.org "
    instance = parse_instance(data, "i.yaml")
    assert instance.event.organizer.email == "programme@x.org"
    assert instance.speakers[0].email == "ana@x.org"


@pytest.mark.parametrize("field", ["available", "unavailable"])
def test_a_window_at_a_time_the_clock_skips_is_the_instant_it_names(field):
    # 02:30 on the night the clocks go forward: the validator read an absence on the wall
    # clock and an availability as the instant (03:30), and disagreed with the model;
    # refused, a whole day `import` writes from a midnight the clock skips (Santiago,
    # Cairo) was refused too
    text = TINY.read_text(encoding="utf-8").replace("2026-12-01", "2027-03-28")
    data = yaml.safe_load(text)
    data["speakers"][0][field] = [{"start": "2027-03-28T02:30:00", "end": "2027-03-28T18:00:00"}]
    instance = parse_instance(data, "dst.yaml")
    (window,) = getattr(instance.speakers[0], field)
    assert window.start.isoformat() == "2027-03-28T03:30:00+02:00"
    assert window.start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    solution = greedy_solution(instance, "sha256:dst", candidate_table(instance))
    assert validate(instance, solution).ok


def test_an_abstract_with_decomposed_accents_counts_each_accented_letter_once(tmp_path):
    # "é" as "e" and a combining accent, as some macOS tools write it: 1,000 letters
    # read as 1,600 characters, where `import` composes them first
    abstract = unicodedata.normalize("NFD", "é" * 600 + "données " * 50)
    assert len(abstract) == 1650 and len(unicodedata.normalize("NFC", abstract)) == 1000
    parse_instance(mutate(_set(["proposals", 3, "abstract"], abstract)), "nfd.yaml")
    too_long = unicodedata.normalize("NFD", "é" * (ABSTRACT_MAX_CHARS + 1))
    with pytest.raises(InputError, match=f"has {ABSTRACT_MAX_CHARS + 1} characters, where"):
        parse_instance(mutate(_set(["proposals", 3, "abstract"], too_long)), "nfd.yaml")


@pytest.mark.parametrize(
    ("field", "said"), [("abstract", "has 1600 characters"), ("title", "at most 300 characters")]
)
def test_a_long_refused_value_is_shown_cut(tmp_path, capsys, existing_solution, field, said):
    """An abstract or a title of 1,600 characters is named by its length, not echoed whole."""
    path = tmp_path / "bad.yaml"
    change = _set(["proposals", 3, field], "ab" * 800)
    path.write_text(yaml.safe_dump(mutate(change), allow_unicode=True, sort_keys=False))
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    assert code == 2
    flat = " ".join(output.split())
    assert f"field '{field}'" in flat and said in flat
    assert "ab" * 100 not in flat
    assert len(flat) < 400


def test_malformed_yaml(tmp_path, capsys, existing_solution):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nslots: [\n  - {id: a\n")
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    assert code == 2
    assert "broken.yaml" in output and "malformed YAML at line" in output
    assert "Traceback" not in output
    assert existing_solution.read_text() == '{"previous": "solution"}'


def test_a_tab_in_yaml_is_named(tmp_path, capsys, existing_solution):
    # "found character that cannot start any token", no more: an editor's tab
    path = tmp_path / "tabbed.yaml"
    path.write_text("name: x\nrooms:\n\t- {id: a, name: A}\n")
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    assert code == 2 and "Traceback" not in output
    assert "at line 3, column 1" in output and "(a tab: YAML indents with spaces only)" in output


TINY_TEXT = TINY.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        # French typography: a space before the colon; the bare parser's words before
        (
            TINY_TEXT.replace(
                '{id: i5, title: "Atelier citoyen"', "{id: i5, title: Atelier : citoyen"
            ),
            "at line 44, column 29: did not find expected ',' or '}'",
            'a value holding ": " must be in quotes: title: "Atelier : citoyen"',
        ),
        (
            TINY_TEXT.replace(
                "proposals:\n", "proposals:\n  - id: k0\n    title: Keynote : les communs\n", 1
            ),
            "at line 30, column 20: mapping values are not allowed in this context",
            'a value holding ": " must be in quotes: title: "Keynote : les communs"',
        ),
        (  # an abstract's next line: its key is on the line it continues
            "name: x\nproposals:\n  - id: k0\n    abstract: Une phrase\n      qui suit : ici\n",
            "at line 5, column 16: mapping values are not allowed in this context",
            'a value holding ": " must be in quotes, from its first line to its last: '
            'abstract: "..."',
        ),
    ],
    ids=["flow", "block", "next-line"],
)
def test_a_text_holding_a_colon_unquoted_says_to_quote_it(
    text, where, hint, tmp_path, capsys, existing_solution
):
    path = tmp_path / "colon.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    assert code == 2 and "Traceback" not in output
    flat = " ".join(output.split())
    assert f"colon.yaml: malformed YAML {where}; {hint}" in flat
    assert existing_solution.read_text() == '{"previous": "solution"}'


@pytest.mark.parametrize(
    "text",
    [
        "event:\n  title: X\n   venue: Y\n",  # an indent gone wrong
        "proposals:\n  - id: k0\n    title: A\n  - id: k1 title: B\n",  # a lost line break
        "proposals:\n  - {id: k0, title: A}\n  - {id: k1 title: B}\n",  # a lost comma
        # a key the hint cannot read: it named the record's `id`, which quoting cannot mend
        'proposals:\n  - id: p1\n    "title": A : b\n',
        "proposals:\n  - id: p1\n    my title: A : b\n",
        "proposals:\n  - id: p1\n    title: &t A : b\n",  # (quoted, the anchor a text)
    ],
)
def test_a_colon_that_is_no_text_s_gets_no_hint_to_quote(text, tmp_path, capsys):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = run(["explain", str(path)], capsys)
    assert code == 2 and "malformed YAML at line" in output and "quotes" not in output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # values YAML reads and Python cannot hold: a traceback before
        (
            "name: x\nevent:\n  days: [2026-11-31, 2026-12-01]\n",
            "line 3: '2026-11-31' is not a valid value (day is out of range for month)",
        ),
        ("name: x\nevent: {n: 1" + "0" * 5000 + "}\n", "line 2: '1000000000"),
    ],
)
def test_a_value_python_cannot_hold_is_named_with_its_line(
    tmp_path, capsys, existing_solution, text, message
):
    path = tmp_path / "impossible.yaml"
    path.write_text(text)
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    assert code == 2 and "impossible.yaml" in output and message in " ".join(output.split())
    assert "Traceback" not in output
    assert existing_solution.read_text() == '{"previous": "solution"}'


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: " + "[" * 100_000 + "]" * 100_000 + "\n", 1),  # flow style
        ("name: x\nthemes:\n" + "- " * 100_000 + "1\n", 3),  # block style, one line
    ],
    ids=["flow", "block"],  # (an id holding the text made the child's environment too long)
)
def test_yaml_nested_too_deeply_is_named(tmp_path, text, line):
    # libyaml recursed in C, and the process died of a segmentation fault, without a
    # word (run apart: a crash would take the test run with it)

    path = tmp_path / "deep.yaml"
    path.write_text(text)
    done = subprocess.run(
        [sys.executable, "-m", "scheduler", "validate", str(path), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr[-500:]
    said = " ".join(done.stderr.split())
    # (a libyaml that limits nesting itself says so first, at the same line)
    assert f"deep.yaml: malformed YAML at line {line}" in said
    assert "nested more than 100 deep" in said or "maximum nesting depth" in said


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"name": 1' + "0" * 5000 + "}", "malformed JSON: a number of more than 4300 digits"),
        ("[" * 100_000, "malformed JSON: nested too deeply"),
    ],
)
def test_json_python_cannot_read_is_named(tmp_path, capsys, text, message):
    path = tmp_path / "huge.json"
    path.write_text(text)
    code, output = run(["validate", str(path), str(path)], capsys)
    assert code == 2 and message in output and "Traceback" not in output


@pytest.mark.parametrize(
    ("old", "new", "record"),
    [
        (
            '"2026-12-01T09:00:00", end: "2026-12-01T10:00:00"',
            '"2026-12-01T09:00:00Z", end: "2026-12-01T09:45:00"',
            "slots[1] (id 'am-b'), field 'end': the slot ends",
        ),
        (
            '"2026-12-01T08:00:00", end: "2026-12-01T12:00:00"',
            '"2026-12-01T09:00:00Z", end: "2026-12-01T09:45:00"',
            "proposals[6] (id 'i4'), field 'preferred[0].end': the window ends",
        ),
        (
            'unavailable: [{start: "2026-12-01T13:00:00", end: "2026-12-01T18:00:00"}]',
            'unavailable: [{start: "2026-12-01T09:00:00Z", end: "2026-12-01T09:45:00"}]',
            "speakers[2] (id 'chloe'), field 'unavailable[0].end': the window ends",
        ),
    ],
    ids=["slot", "proposal-window", "speaker-window"],
)
def test_a_span_ending_before_it_starts_as_instants_is_refused(
    tmp_path, capsys, existing_solution, old, new, record
):
    # 09:00Z to 09:45 in Paris: compared on the wall clocks only, a slot of -15 minutes
    # was accepted (and an absence so written was dropped)
    text = Path(TINY).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "offsets.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    flat = " ".join(output.split())
    assert code == 2 and "offsets.yaml" in flat and record in flat
    assert "before it starts (2026-12-01T09:00:00+00:00), as instants" in flat
    assert existing_solution.read_text() == '{"previous": "solution"}'


def test_an_absence_ending_before_it_starts_as_instants_is_refused():
    data = base_data()
    data["speakers"][0]["unavailable"] = [
        {"start": "2026-12-01T12:00:00+00:00", "end": "2026-12-01T12:30:00"}
    ]
    with pytest.raises(
        InputError,
        match=r"speakers\[0\] \(id 'sp1'\), field 'unavailable\[0\]\.end': the window ends",
    ):
        parse_instance(data, "absent.yaml")


def test_malformed_json(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x",}')
    code, output = run(["validate", str(path), str(path)], capsys)
    assert code == 2 and "malformed JSON at line 1" in output
    assert "cut off" not in output


def test_a_control_character_escaped_in_json_is_refused_before_any_export(tmp_path, capsys):
    # `"\u0001"` in a JSON string passed the loader; `export xlsx` then ended in
    # openpyxl's IllegalCharacterError, a traceback, after a solve that succeeded
    data = mutate(_set(["proposals", 1, "title"], "Data\u0001 commons"))
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(data, default=str), encoding="utf-8")
    solution = tmp_path / "s.json"
    solution.write_text("{}")
    out = tmp_path / "p.xlsx"
    code, output = run(["export", "xlsx", str(instance), str(solution), "-o", str(out)], capsys)
    assert code == 2 and "Traceback" not in output
    assert (
        "tiny.json, proposals[1] (id 'k2'), field 'title': holds the control character "
        "U+0001 at character 5 (pasted from a PDF?): remove it" in " ".join(output.split())
    )
    assert not out.exists()


def test_a_control_character_in_yaml_is_named_by_its_line_and_column(tmp_path, capsys):
    # PyYAML's words and an offset in bytes: "unacceptable character #x0007 ... position 1155"
    text = TINY.read_text(encoding="utf-8")
    old = "title: Ouvrir les modèles"
    assert text.count(old) == 1
    path = tmp_path / "bell.yaml"
    path.write_text(text.replace(old, 'title: "Ouvrir les modèles\x07"'), encoding="utf-8")
    line = next(n for n, t in enumerate(path.read_text().splitlines(), 1) if "\x07" in t)
    column = path.read_text().splitlines()[line - 1].index("\x07") + 1
    code, output = run(["explain", str(path)], capsys)
    assert code == 2 and "Traceback" not in output
    assert (
        f"malformed YAML at line {line}, column {column}: the control character U+0007 is not "
        "allowed"
    ) in " ".join(output.split())


def test_a_solution_cut_off_half_way_is_said_to_end_early(tmp_path, capsys):
    # "Expecting ',' delimiter" at its last line, and no word of why
    root = Path(__file__).parent.parent
    text = (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    argv = ["validate", str(root / "instances" / "commons-ai-2026.yaml"), str(path)]
    code, output = run(argv, capsys)
    assert code == 2 and "the text ends before it is complete: is the file cut off?" in " ".join(
        output.split()
    )


def test_key_given_twice_in_yaml(tmp_path, capsys, existing_solution):
    """YAML loaders keep the last of two equal keys silently: a proposal's second
    `themes:` line (a block copied, then half edited) replaced its first."""
    text = TINY.read_text(encoding="utf-8").replace(
        "themes: [data, open], abstract:", "themes: [data, open], themes: [open], abstract:"
    )
    path = tmp_path / "twice.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    assert code == 2
    line = text[: text.index("themes: [data, open], themes")].count("\n") + 1
    assert (
        f"twice.yaml, proposals[1] (id 'k2'), field 'themes': given twice (lines {line} and "
        f"{line}); keep one"
    ) in " ".join(output.split())
    assert "Traceback" not in output
    assert existing_solution.read_text() == '{"previous": "solution"}'


def test_key_given_twice_at_the_top_and_in_a_section(tmp_path, capsys):
    path = tmp_path / "twice.yaml"
    path.write_text("name: a\nevent: {title: T, title: U}\nname: b\n")
    code, output = run(["solve", str(path), "-o", str(tmp_path / "out.json")], capsys)
    # the first in the document's order
    assert code == 2 and "field 'name': given twice (lines 1 and 3)" in output
    path.write_text("name: a\nevent:\n  title: T\n  venue: V\n  title: U\n")
    code, output = run(["solve", str(path), "-o", str(tmp_path / "out.json")], capsys)
    assert code == 2 and "twice.yaml, event, field 'title': given twice (lines 3 and 5)" in output


def test_merge_keys_still_override(tmp_path):
    """`<<` is YAML's own way to repeat a mapping and override some of its keys."""
    text = (
        TINY.read_text(encoding="utf-8")
        .replace("  - {id: b, name: Room B}", "  - {<<: *room_a, id: b, name: Room B}")
        .replace(
            "  - {id: a, name: Room A, capacity: 80}",
            "  - &room_a {id: a, name: Room A, capacity: 80}",
        )
    )
    path = tmp_path / "merge.yaml"
    path.write_text(text, encoding="utf-8")
    rooms = load_instance(path).rooms
    assert [(room.id, room.name, room.capacity) for room in rooms] == [
        ("a", "Room A", 80),
        ("b", "Room B", 80),
    ]


def test_key_given_twice_in_json(tmp_path, capsys):
    data = copy.deepcopy(TINY_DATA)
    text = json.dumps(data, default=str).replace(
        '"id": "k3",', '"id": "k3", "format": "initiative",', 1
    )
    path = tmp_path / "twice.json"
    path.write_text(text)
    code, output = run(["solve", str(path), "-o", str(tmp_path / "out.json")], capsys)
    assert code == 2
    assert "twice.json, proposals[2] (id 'k3'), field 'format': given twice; keep one" in output


def test_key_given_twice_in_a_solution(tmp_path, capsys):
    instance = parse_instance(copy.deepcopy(TINY_DATA), TINY)
    text = greedy_solution(instance, "sha256:x", candidate_table(instance)).to_json()
    edited = text.replace('"slot": ', '"slot": "pm-b", "slot": ', 1)
    assert edited != text
    path = tmp_path / "edited.json"
    path.write_text(edited, encoding="utf-8")
    code, output = run(["validate", str(TINY), str(path)], capsys)
    assert code == 2
    assert "edited.json, workshops[0] (slot 'am-a'), field 'slot': given twice; keep one" in output


def test_top_level_must_be_a_mapping(tmp_path, capsys):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    code, output = run(["solve", str(path)], capsys)
    assert code == 2 and "top level must be a mapping" in output


def test_missing_file(tmp_path, capsys):
    code, output = run(["solve", str(tmp_path / "nope.yaml")], capsys)
    assert code == 2 and "nope.yaml: file not found" in output


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{tiny}", "{folder}"],
        ["export", "grid", "{tiny}", "{folder}"],
        ["diff", "{folder}", "{folder}"],
        ["solve", "{tiny}", "--reference", "{folder}"],
        ["solve", "{folder}"],
        ["import", "{folder}", "--slots", "{folder}", "-o", "{out}"],
    ],
    ids=["validate", "export", "diff", "reference", "instance", "import"],
)
def test_a_folder_given_as_an_input_file_is_named(argv, tmp_path, capsys):
    # a folder given as the solution once ended in a traceback (IsADirectoryError)
    folder = tmp_path / "folder"
    folder.mkdir()
    fill = {"tiny": str(TINY), "folder": str(folder), "out": str(tmp_path / "i.yaml")}
    code, output = run([a.format(**fill) for a in argv], capsys)
    assert code == 2
    assert f"{folder}: is a folder, not a file" in " ".join(output.split())
    assert "Traceback" not in output


def test_a_byte_order_mark_is_read_past(tmp_path, capsys):
    # Windows' Notepad saves UTF-8 with a BOM: a solution edited there read "malformed
    # JSON at line 1, column 1: Unexpected UTF-8 BOM (decode using utf-8-sig)"
    instance = tmp_path / "tiny.json"
    instance.write_text(json.dumps(TINY_DATA, default=str), encoding="utf-8-sig")
    solution = tmp_path / "solution.json"
    code, _ = run(["solve", str(instance), "-o", str(solution), "--time-limit", "5"], capsys)
    assert code == 0
    solution.write_text(solution.read_text(encoding="utf-8"), encoding="utf-8-sig")
    code, output = run(["validate", str(instance), str(solution)], capsys)
    assert code == 0, output
    yaml_instance = tmp_path / "tiny.yaml"
    yaml_instance.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8-sig")
    code, output = run(["validate", str(yaml_instance), str(solution)], capsys)
    assert code == 0, output


def test_an_input_that_is_not_utf8_is_named(tmp_path, capsys):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"instance": "caf\xe9"}'.encode("latin-1"))
    for argv in (["validate", str(TINY), str(path)], ["solve", str(path)]):
        code, output = run(argv, capsys)
        # (it said "byte 17", which no editor shows)
        assert code == 2 and (
            "latin1.json: not UTF-8 text at line 1, column 18 (the byte 0xE9, 'é' in "
            "Windows cp1252?): save the file as UTF-8"
        ) in " ".join(output.split())


def test_a_non_utf8_byte_is_named_by_its_line_and_column(tmp_path, capsys):
    lines = TINY.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace("Test venue", "Théâtre")  # (line 5, a Latin-1 paste)
    path = tmp_path / "latin1.yaml"
    path.write_bytes(
        "".join(lines[:4]).encode()
        + lines[4].encode("latin-1")
        + b"".join(line.encode() for line in lines[5:])
    )
    code, output = run(["solve", str(path), "-o", str(tmp_path / "s.json")], capsys)
    assert code == 2
    assert "not UTF-8 text at line 5, column 12 (the byte 0xE9, 'é' in Windows cp1252?)" in (
        " ".join(output.split())
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_an_instance_saved_as_utf16_is_named_so(tmp_path, capsys, encoding):
    # Windows Notepad's "Unicode" (UTF-16, with its byte order mark) read "not UTF-8
    # text (byte 0)"
    path = tmp_path / "u16.yaml"
    path.write_text(TINY.read_text(encoding="utf-8"), encoding=encoding)
    code, output = run(["solve", str(path), "-o", str(tmp_path / "s.json")], capsys)
    assert code == 2
    said = f"u16.yaml: the file is {encoding.upper()} text, not UTF-8: save it as UTF-8"
    assert said in " ".join(output.split())


def test_an_instance_without_proposals_is_not_solved(tmp_path, capsys, existing_solution):
    # it solved with exit 0 and replaced the old solution by an empty one: `solve &&
    # export` then published empty calendars
    path = tmp_path / "empty.yaml"
    data = mutate(lambda d: (d.pop("proposals"), d.pop("speakers")))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, output = run(["solve", str(path), "-o", str(existing_solution)], capsys)
    assert code == 2 and "Traceback" not in output
    assert (
        f"{path}, field 'proposals': no proposal to schedule: add the accepted proposals "
        "(`scheduler import` reads them from the call's form answers, docs/import.md)"
    ) in " ".join(output.split())
    assert existing_solution.read_text() == '{"previous": "solution"}'


def test_a_read_only_output_is_refused_before_solving(tmp_path, capsys):
    # the rename of the atomic write needs only the folder to be writable: a published
    # solution protected with `chmod a-w` was replaced, and the new file made 644
    out = tmp_path / "published.json"
    out.write_text('{"previous": "solution"}')
    out.chmod(0o444)
    code, output = run(["solve", str(TINY), "-o", str(out), "--time-limit", "1"], capsys)
    assert code == 2 and "Traceback" not in output
    flat = " ".join(output.split())
    assert f"{out}: cannot write the file: it is read-only (chmod u+w to replace it)" in flat
    assert "placed" not in flat  # (refused before the solve)
    assert out.read_text() == '{"previous": "solution"}'
    assert stat.S_IMODE(out.stat().st_mode) == 0o444


def test_a_replaced_output_keeps_its_mode(tmp_path, capsys):
    # (a solution kept 600, as it names speakers, became 644 when solved again)
    out = tmp_path / "private.json"
    out.write_text('{"previous": "solution"}')
    out.chmod(0o600)
    code, output = run(["solve", str(TINY), "-o", str(out), "--quiet"], capsys)
    assert code == 0, output
    assert json.loads(out.read_text())["instance"] == "tiny"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("argv", "role"),
    [
        (["solve", "{instance}", "-o", "{instance}"], "instance"),
        (["solve", "{instance}", "--reference", "{solution}", "-o", "{solution}"], "reference"),
        (["export", "csv", "{instance}", "{solution}", "-o", "{solution}"], "solution"),
        (["export", "xlsx", "{instance}", "{solution}", "-o", "{instance}"], "instance"),
        (["export", "grid", "{instance}", "{solution}", "--pdf", "{solution}"], "solution"),
    ],
    ids=["solve", "re-solve", "csv", "xlsx", "grid-pdf"],
)
def test_an_output_that_is_an_input_is_refused(argv, role, tmp_path, capsys):
    # `solve commons.yaml -o commons.yaml` replaced the instance by its solution
    instance = tmp_path / "tiny.yaml"
    instance.write_bytes(TINY.read_bytes())
    solution = tmp_path / "s.json"
    code, output = run(["solve", str(instance), "-o", str(solution), "--quiet"], capsys)
    assert code == 0, output
    before = {p: p.read_bytes() for p in (instance, solution)}
    fill = {"instance": str(instance), "solution": str(solution)}
    code, output = run([a.format(**fill) for a in argv], capsys)
    assert code == 2
    assert f"it is the {role} this command reads" in " ".join(output.split())
    assert {p: p.read_bytes() for p in before} == before  # nothing overwritten
    assert sorted(tmp_path.iterdir()) == sorted(before)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (
            ["solve", "{tiny}", "-o", "{other}"],
            "the name is that of an instance (YAML), and this command writes a solution "
            "(JSON): name it .json",
        ),
        (
            ["solve", "{tiny}", "-o", "{form}"],
            "the name is that of a table (CSV), and this command writes a solution (JSON)",
        ),
        (
            ["solve", "{tiny}", "-o", "{published}"],
            "it holds a solution of instance 'commons-ai-2026', not 'tiny': name another file",
        ),
        (
            ["solve", "{tiny}", "-o", "{instance_json}"],
            "it holds an instance, not a solution: name another file",
        ),
        (
            ["export", "xlsx", "{bundled}", "{bundled_solution}", "-o", "{published}"],
            "the name is that of a solution (JSON), and this command writes a workbook (XLSX)",
        ),
        (
            ["export", "csv", "{bundled}", "{bundled_solution}", "-o", "{other}"],
            "the name is that of an instance (YAML), and this command writes a table (CSV)",
        ),
    ],
    ids=["solve-yaml", "solve-csv", "solve-another-solution", "solve-instance-json", "xlsx", "csv"],
)
def test_an_output_holding_another_kind_of_file_is_refused(argv, said, tmp_path, capsys):
    # a slip of the shell's completion replaced a hand-edited instance, a form or a
    # published solution of another event with no word
    root = Path(__file__).parent.parent
    bundled = root / "instances" / "commons-ai-2026.yaml"
    bundled_solution = root / "solutions" / "commons-ai-2026.json"
    files = {
        "other": (tmp_path / "other.yaml", bundled.read_bytes()),
        "form": (tmp_path / "form.csv", b"Titre,Format\nx,keynote\n"),
        "published": (tmp_path / "published.json", bundled_solution.read_bytes()),
        "instance_json": (tmp_path / "tiny-copy.json", json.dumps(TINY_DATA, default=str).encode()),
    }
    for path, data in files.values():
        path.write_bytes(data)
    fill = {key: str(path) for key, (path, _) in files.items()}
    fill |= {"tiny": str(TINY), "bundled": str(bundled), "bundled_solution": str(bundled_solution)}
    code, output = run(
        [a.format(**fill) for a in argv] + (["--quiet"] if argv[0] == "solve" else []), capsys
    )
    assert code == 2 and "Traceback" not in output
    assert said in " ".join(output.split())
    assert all(path.read_bytes() == data for path, data in files.values())  # nothing written
    assert len(list(tmp_path.iterdir())) == len(files)


BUNDLED_SOLUTION = ROOT / "solutions" / "commons-ai-2026.json"


def _answers_workbook() -> bytes:
    """A workbook of the call's answers, as a coordinator keeps them."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Horodateur", "Titre", "Format"])
    book.active.append(["2026-09-01", "Communs et IA", "keynote"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("argv", "target", "content", "said"),
    [
        # the call's answers replaced by the programme (INP-9)
        (
            ["csv", "-o", "{target}"],
            "answers.csv",
            b"Horodateur,Titre,Format\n2026-09-01,Communs et IA,keynote\n",
            "it holds a table whose header is not the programme's ('Horodateur', 'Titre', "
            "'Format'), not the programme as a table (CSV) as this command writes",
        ),
        # a name without a suffix is taken as given: the instance it held was lost
        (
            ["csv", "-o", "{target}"],
            "commons",
            BUNDLED.read_bytes(),
            "it holds an instance 'commons-ai-2026', not the programme as a table (CSV)",
        ),
        (
            ["xlsx", "-o", "{target}"],
            "answers.xlsx",
            _answers_workbook(),
            "it holds a workbook whose first row is not the programme's header "
            "('Horodateur', 'Titre', 'Format'), not the programme as a workbook (XLSX)",
        ),
        (
            ["xlsx", "-o", "{target}"],
            "published.xlsx",
            BUNDLED_SOLUTION.read_bytes(),
            "it holds a solution of instance 'commons-ai-2026', not the programme as a "
            "workbook (XLSX)",
        ),
        (
            ["grid", "-o", "{target}"],
            "programme",
            BUNDLED_SOLUTION.read_bytes(),
            "it holds a solution of instance 'commons-ai-2026', not a web page (HTML)",
        ),
        (
            ["grid", "-o", "{folder}/grid.html", "--pdf", "{target}"],
            "notes.pdf",
            b"Notes of the committee\n",
            "it holds a text that is not an export, not a PDF",
        ),
        (
            ["grid", "-o", "{target}"],
            "photo.png",
            b"%PDF-1.7\n",
            "it holds a PDF, not a PNG image",
        ),
        (
            ["ics", "-o", "{folder}"],
            "programme.ics",
            BUNDLED.read_bytes(),
            "it holds an instance 'commons-ai-2026', not a calendar (iCalendar)",
        ),
        (
            ["all", "-o", "{folder}"],
            "programme.csv",
            b"\xef\xbb\xbfTitre;Format\r\nx;keynote\r\n",
            "it holds a table whose header is not the programme's ('Titre', 'Format'), not "
            "the programme as a table (CSV)",
        ),
    ],
    ids=["csv-answers", "csv-instance", "xlsx-answers", "xlsx-solution", "grid-solution",
         "pdf-text", "png-pdf", "ics-instance", "all-answers"],
)  # fmt: skip
def test_an_export_replaces_only_a_file_of_its_own_kind(
    argv, target, content, said, tmp_path, capsys
):
    # `export csv -o answers.csv` replaced the call's answers by the programme, with no word
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / target
    path.write_bytes(content)
    fill = {"target": str(path), "folder": str(folder)}
    code, output = run(
        ["export", argv[0], str(BUNDLED), str(BUNDLED_SOLUTION)]
        + [a.format(**fill) for a in argv[1:]],
        capsys,
    )
    assert code == 2 and "Traceback" not in output
    flat = " ".join(output.split())
    assert f"{path}: cannot write the file: {said}" in flat
    assert "an export replaces only a file of its own kind; name another file" in flat
    assert path.read_bytes() == content  # nothing written
    assert list(folder.iterdir()) == [path]


def test_an_export_names_every_file_of_another_kind_it_would_replace(tmp_path, capsys):
    for name in ("grid.html", "programme.xlsx"):
        (tmp_path / name).write_bytes(BUNDLED_SOLUTION.read_bytes())
    argv = ["export", "all", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path)]
    code, output = run(argv, capsys)
    flat = " ".join(output.split())
    assert code == 2 and "cannot write 2 of the outputs, so none was written" in flat
    for name, kind in (("grid.html", "a web page (HTML)"), ("programme.xlsx", "a workbook")):
        assert f"{tmp_path / name}: it holds a solution of instance 'commons-ai-2026', not " in flat
        assert kind in flat
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.html", "programme.xlsx"]


@pytest.mark.parametrize(
    ("command", "name"),
    [("csv", "programme.csv"), ("xlsx", "programme.xlsx"), ("grid", "grid.html")],
)
def test_an_export_replaces_its_own_output_in_either_language_and_an_empty_file(
    command, name, tmp_path, capsys
):
    path = tmp_path / name
    path.write_bytes(b"")
    for lang in ("en", "fr", "en"):
        argv = ["export", command, str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(path)]
        code, output = run([*argv, "--lang", lang], capsys)
        assert code == 0, output
    calendars = tmp_path / "calendars"
    for _ in range(2):
        argv = ["export", "ics", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(calendars)]
        code, output = run(argv, capsys)
        assert code == 0, output


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        # YAML reads on to the next line: the error named it, with no word of the cause
        (
            "  venue: Test venue",
            "  venue:\u00a0Test venue",
            "(line 5: a no-break space after ':', as French keyboards type it",
        ),
        # one key `name: Room B`, named as a field that looks right
        (
            "{id: b, name: Room B}",
            "{id: b, name:\u00a0Room B}",
            "rooms[1] (id 'b'), field 'name:\u00a0Room B': line 15: a no-break space after "
            "'name' (as French keyboards type it around ':'): YAML needs an ordinary space "
            "after the colon, `name: …`",
        ),
    ],
    ids=["block", "flow"],
)
def test_a_no_break_space_after_a_colon_is_named(old, new, said, tmp_path, capsys):
    text = TINY.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "nbsp.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    code, output = run(["explain", str(path)], capsys)
    assert code == 2 and "Traceback" not in output
    assert said in " ".join(output.split(" "))


def test_a_no_break_space_inside_a_value_is_not_blamed_for_another_error():
    # `title: Atelier:` then U+00A0 is text; the error is the next line's indent
    text = "name: tiny\nevent:\n  title: Atelier:\u00a0communs\n venue: Paris\n"
    with pytest.raises(InputError) as info:
        parse_yaml(text, Path("x.yaml"))
    assert "no-break space" not in str(info.value) and "line 4" in str(info.value)


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("new.yaml", "", "the file is empty (or only comments): no instance in it"),
        ("new.yaml", "# TODO: fill in\n", "the file is empty (or only comments)"),
        ("new.json", "null", "the file holds null: no instance in it"),
        ("new.json", "  \n", "the file is empty"),
    ],
)
def test_an_empty_instance_is_said_to_be_empty(name, text, said, tmp_path, capsys):
    # it said "the top level must be a mapping of keys such as name, event, slots"
    path = tmp_path / name
    path.write_text(text)
    code, output = run(["explain", str(path)], capsys)
    assert code == 2 and f"{path}: {said}" in " ".join(output.split())


def test_an_instance_given_as_the_solution_is_named(capsys):
    code, output = run(["validate", str(TINY), str(TINY)], capsys)
    assert code == 2
    assert "not YAML (is this the instance?)" in " ".join(output.split())


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{solution}", "{instance}"],
        ["export", "ics", "{solution}", "{instance}"],
        ["solve", "{solution}"],
        ["explain", "{solution}"],
        ["validate", "{json_instance}", "{json_instance}"],
    ],
    ids=["validate", "export", "solve", "explain", "json-instance-as-solution"],
)
def test_swapped_files_are_named_for_what_they_are(argv, tmp_path, capsys):
    # a solution given as the instance read "field 'name': field required"
    solution = tmp_path / "tiny.json"
    code, output = run(["solve", str(TINY), "-o", str(solution), "--time-limit", "5"], capsys)
    assert code == 0, output
    json_instance = tmp_path / "tiny-instance.json"
    json_instance.write_text(json.dumps(TINY_DATA, default=str), encoding="utf-8")
    fill = {"instance": str(TINY), "solution": str(solution), "json_instance": str(json_instance)}
    code, output = run([a.format(**fill) for a in argv], capsys)
    assert code == 2
    flat = " ".join(output.split())
    if "json_instance" in argv[-1]:
        assert "an instance, not a solution written by `scheduler solve`" in flat
    else:
        assert f"{solution}: a solution written by `scheduler solve`, not an instance" in flat
    assert "field required" not in flat


def _clock_change(start: str, end: str):
    """The tiny instance moved to the night the clocks change (Europe/Paris, 2027), its
    first slot from `start` to `end`."""

    def change(data):
        day = start[:10]
        data["event"]["days"] = [day, day]
        for k, slot in enumerate(data["slots"]):
            slot["start"], slot["end"] = (
                f"{day}T{10 + 2 * k:02d}:00:00",
                f"{day}T{11 + 2 * k:02d}:00:00",
            )
        data["slots"][0]["start"], data["slots"][0]["end"] = start, end
        for owner in (*data["speakers"], *data["proposals"]):
            for key in ("available", "unavailable", "preferred", "pin"):
                owner.pop(key, None)

    return change


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2027-03-28T01:30:00", "2027-03-28T03:30:00", "field 'end': the slot spans a change"),
        ("2027-03-28T02:15:00", "2027-03-28T03:30:00", "2027-03-28 02:15 does not exist in"),
        ("2027-10-31T02:00:00", "2027-10-31T04:00:00", "field 'end': the slot spans a change"),
    ],
    ids=["spring-forward", "skipped-time", "fall-back"],
)
def test_a_slot_across_a_change_of_the_clock_is_bad_input(start, end, message, tmp_path, capsys):
    # local times of one zone subtract on the wall clock: 01:30-03:30 the night the
    # clocks go forward counted 120 minutes for 60, and its timeline ran past the slot
    path = tmp_path / "dst.yaml"
    path.write_text(yaml.safe_dump(mutate(_clock_change(start, end))))
    code, output = run(["solve", str(path), "-o", str(tmp_path / "s.json")], capsys)
    assert code == 2
    assert "slots[0] (id 'am-a')" in output and message in " ".join(output.split())
    assert not (tmp_path / "s.json").exists()


def test_a_slot_given_with_its_offsets_may_cross_the_change(tmp_path, capsys):
    # explicit offsets subtract as instants: 60 minutes, a timeline that fits
    change = _clock_change("2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00")
    path = tmp_path / "dst.yaml"
    path.write_text(yaml.safe_dump(mutate(change)))
    code, output = run(["solve", str(path), "-o", str(tmp_path / "s.json"), "--quiet"], capsys)
    assert code == 0, output
    code, output = run(["validate", str(path), str(tmp_path / "s.json")], capsys)
    assert code == 0, output


@pytest.mark.parametrize(
    ("start", "end"),
    [
        # 90 minutes across the night the clocks go forward, timed on the wall clock: the
        # closing ended at 03:00+02:00, before it began at 02:55+01:00
        ("2027-03-28T01:30:00+01:00", "2027-03-28T04:00:00+02:00"),
        # ending at 02:00 the night the clocks go back, a time the clocks repeat: it
        # equalled no time of a fixed offset, so the workshop "did not span its slot"
        ("2027-10-31T00:30:00", "2027-10-31T02:00:00"),
    ],
    ids=["spring-forward-offsets", "fall-back-repeated-end"],
)
def test_a_full_workshop_on_a_night_the_clocks_change_is_timed_as_instants(
    start, end, tmp_path, capsys
):
    def change(data):
        _clock_change(start, end)(data)
        for p in data["proposals"]:
            if p["id"] in ("k1", "i1", "i3"):
                p["pin"], p["themes"] = "am-a", ["open", "data"]

    path = tmp_path / "dst.yaml"
    path.write_text(yaml.safe_dump(mutate(change)))
    target = tmp_path / "s.json"
    code, output = run(["solve", str(path), "-o", str(target), "--quiet"], capsys)
    assert code == 0, output
    (workshop,) = (w for w in load_solution(target).workshops if w.slot == "am-a")
    instants = [moment for item in workshop.items for moment in (item.start, item.end)]
    assert instants == sorted(instants)  # compared as instants: aware, with their offsets
    assert workshop.items[-1].end == workshop.end
    code, output = run(["validate", str(path), str(target)], capsys)
    assert code == 0, output


@pytest.mark.parametrize("command", ["validate", "diff"])
def test_a_time_no_timezone_can_convert_is_bad_input(command, tmp_path, capsys):
    # year 1 with an offset overflowed when converted to the event's timezone
    solve_path = tmp_path / "s.json"
    assert run(["solve", str(TINY), "-o", str(solve_path), "-q"], capsys)[0] == 0
    document = json.loads(solve_path.read_text())
    document["workshops"][0]["start"] = "0001-01-01T00:00:00+01:00"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    argv = [str(TINY), str(bad)] if command == "validate" else [str(solve_path), str(bad)]
    code, output = run([command, *argv], capsys)
    assert code == 2 and "Traceback" not in output
    assert (
        "bad.json, workshops[0] (slot 'am-a'), field 'start': year 1 is out of range"
        in " ".join(output.split())
    )


def test_bad_solution_file(tmp_path, capsys):
    solution = tmp_path / "sol.json"
    solution.write_text('{"instance": "tiny", "instance_hash": "x", "status": "great"}')
    code, output = run(["validate", str(TINY), str(solution)], capsys)
    assert code == 2
    assert "sol.json" in output and "field 'status'" in output


@pytest.mark.parametrize("version", [0, 2])
def test_a_solution_of_an_unknown_version_is_bad_input(version, tmp_path, capsys):
    # once read without a word, as if version 1 said the same
    written = tmp_path / "sol.json"
    assert run(["solve", str(TINY), "-o", str(written), "-q", "--time-limit", "5"], capsys)[0] == 0
    document = json.loads(written.read_text())
    document["version"] = version
    written.write_text(json.dumps(document))
    code, output = run(["validate", str(TINY), str(written)], capsys)
    flat = " ".join(output.split())
    assert code == 2 and "Traceback" not in output
    assert f"{written}, field 'version': this scheduler reads solution files of version 1, " in flat
    assert f"not {version}" in flat


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        # a re-solve against it raised a TypeError in the `moved` count until 2026-12-02
        (lambda items: items[1].pop("proposal"), "items[1]", "keynote item has no proposal"),
        (lambda items: items[0].update(proposal="k1"), "items[0]", "names a proposal"),
        (lambda items: items[1].update(start="2026-12-01T09:05:00"), "items[1].start", "timezone"),
    ],
)
def test_a_published_schedule_with_a_broken_timeline_is_bad_input(
    change, field, message, tmp_path, capsys
):
    published = tmp_path / "published.json"
    assert (
        run(["solve", str(TINY), "-o", str(published), "-q", "--time-limit", "5"], capsys)[0] == 0
    )
    document = json.loads(published.read_text())
    change(document["workshops"][0]["items"])
    published.write_text(json.dumps(document))
    out = tmp_path / "again.json"
    for command in (
        ["solve", str(TINY), "--reference", str(published), "-o", str(out), "--time-limit", "5"],
        ["validate", str(TINY), str(published)],
    ):
        code, output = run(command, capsys)
        flat = " ".join(output.split())
        assert code == 2 and "Traceback" not in output, output
        slot = document["workshops"][0]["slot"]  # (named by index alone until 2026-12-05)
        assert f"{published}, workshops[0] (slot '{slot}'), field '{field}'" in flat
        assert message in flat
    assert not out.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        # each was read as a whole number: true as the objective 1, "75" as 75
        ("objective", True, "Input should be a valid integer (got true)"),
        ("objective", "3020", "Input should be a valid integer (got '3020')"),
        ("bound", 3020.0, "Input should be a valid integer (got 3020.0)"),
        ("version", "1", "Input should be a valid integer (got '1')"),
        ("seed", -1, "Input should be greater than or equal to 0 (got -1)"),
        ("workers", 0, "Input should be greater than or equal to 1 (got 0)"),
    ],
)
def test_a_solution_s_numbers_are_whole_numbers_as_json_writes_them(
    field, value, message, tmp_path, capsys
):
    written = tmp_path / "sol.json"
    assert run(["solve", str(TINY), "-o", str(written), "-q", "--time-limit", "5"], capsys)[0] == 0
    document = json.loads(written.read_text())
    document[field] = value
    written.write_text(json.dumps(document))
    code, output = run(["validate", str(TINY), str(written)], capsys)
    assert code == 2 and "Traceback" not in output
    assert f"{written}, field '{field}': {message}" in " ".join(output.split())


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("[]", "sol.json: should be a mapping of fields, not a list"),
        (
            '{"instance": "tiny", "instance_hash": "x", "status": "optimal", "workshops": [5]}',
            "sol.json, workshops[0]: should be a mapping of fields, not the number 5",
        ),
    ],
)
def test_a_solution_that_is_no_mapping_says_what_it_is(document, message, tmp_path, capsys):
    # "Input should be a valid dictionary or instance of Solution": pydantic's words
    (tmp_path / "sol.json").write_text(document)
    code, output = run(["validate", str(TINY), str(tmp_path / "sol.json")], capsys)
    assert code == 2 and "Traceback" not in output
    assert message in " ".join(output.split())


def test_a_solution_of_another_instance_is_refused_by_validate(tmp_path, capsys):
    # it was checked anyway: a violation per proposal of either instance, after a note
    solution = tmp_path / "tiny.json"
    assert run(["solve", str(TINY), "-o", str(solution), "-q", "--time-limit", "5"], capsys)[0] == 0
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(mutate(_set(["name"], "other")), allow_unicode=True))
    code, output = run(["validate", str(other), str(solution)], capsys)
    assert code == 2 and "Traceback" not in output
    flat = " ".join(output.split())
    assert f"{solution}, field 'instance': the solution is for instance 'tiny', not 'other'" in flat
    assert "violation" not in flat


def test_json_instance_is_accepted(tmp_path, capsys):
    import json

    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(TINY_DATA, default=str))
    code, output = run(
        ["solve", str(path), "-o", str(tmp_path / "s.json"), "--time-limit", "5", "--quiet"], capsys
    )
    assert code == 0, output


def test_an_output_that_is_a_folder_is_refused_before_the_solve(tmp_path, capsys, monkeypatch):
    import scheduler.solve as solve_module

    def never(*args, **kwargs):
        raise AssertionError("solved for an output that cannot be written")

    monkeypatch.setattr(solve_module, "solve", never)
    code, output = run(["solve", str(TINY), "-o", str(tmp_path)], capsys)
    assert code == 2 and "Traceback" not in output
    assert f"{tmp_path}: cannot write the file: it is a folder" in " ".join(output.split())


def test_a_folder_that_takes_no_file_is_refused_before_the_solve(tmp_path, capsys, monkeypatch):
    # the folder is tried for real, as the exports try theirs: once the output was only
    # checked to be no folder, and a read-only folder failed after the whole search
    import scheduler.files as files_module
    import scheduler.solve as solve_module

    def never(*args, **kwargs):
        raise AssertionError("solved for an output that cannot be written")

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(solve_module, "solve", never)
    monkeypatch.setattr(files_module.tempfile, "mkstemp", refused)
    target = tmp_path / "out.json"
    code, output = run(["solve", str(TINY), "-o", str(target)], capsys)
    assert code == 2 and "Traceback" not in output
    assert f"{target}: cannot write the file: permission denied" in " ".join(output.split())
    assert not target.exists()


@pytest.mark.parametrize("command", ["all", "csv", "ics"])
def test_an_export_under_a_file_names_it(command, tmp_path, capsys):
    solution = tmp_path / "s.json"
    assert run(["solve", str(TINY), "-o", str(solution), "-q", "--time-limit", "5"], capsys)[0] == 0
    blocker = tmp_path / "exports"
    blocker.write_text("not a folder")
    target = blocker / ("out.csv" if command == "csv" else "")
    code, output = run(["export", command, str(TINY), str(solution), "-o", str(target)], capsys)
    assert code == 2 and "Traceback" not in output
    assert f"{blocker} is a file, not a folder" in " ".join(output.split())
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_a_pipe_given_as_the_output_is_written_through_not_replaced(tmp_path):
    # `-o /dev/null` renamed a file over the device: run as root, /dev/null became a file
    from scheduler.files import write_atomic

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    write_atomic(pipe, "schedule")
    reader.join(timeout=10)
    assert received == [b"schedule"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary file left


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="/dev/stdout")
def test_stdout_redirected_to_a_file_is_written_through_not_replaced(tmp_path, capsys):
    # `-o /dev/stdout > file`: the link's target is the shell's file, a regular one, so
    # the export renamed its file over the link (as root, over /dev/stdout itself) and
    # nothing reached the file; its summary then ended the CSV on a terminal
    solution = tmp_path / "s.json"
    assert run(["solve", str(TINY), "-o", str(solution), "-q"], capsys)[0] == 0
    shell_file = tmp_path / "redirected.csv"
    argv = ["export", "csv", str(TINY), str(solution), "-o", "/dev/stdout"]
    result = to_stdout_file(argv, shell_file)
    assert result.returncode == 0, result.stderr
    assert shell_file.read_text(encoding="utf-8-sig").startswith("jour,")
    assert "wrote /dev/stdout" in result.stderr


def test_outputs_written_through_come_last_and_a_failure_names_what_was_written(tmp_path):
    # a device can still fail once checked (/dev/full): the regular files first, and the
    # error says they were written
    from scheduler.errors import OutputError
    from scheduler.exports.common import Output, write_outputs

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    full = tmp_path / "full.pdf"
    full.symlink_to("/dev/full")
    regular = tmp_path / "grid.html"
    with pytest.raises(OutputError) as error:
        write_outputs([Output(full, b"%PDF", "a PDF"), Output(regular, b"<html>", "a grid")])
    assert regular.read_bytes() == b"<html>"
    assert str(error.value).endswith("(written before it: 1 file)")


def test_a_write_that_fails_keeps_the_old_file_and_says_why(tmp_path, monkeypatch):
    from scheduler.errors import OutputError
    from scheduler.files import write_atomic

    target = tmp_path / "out.json"
    target.write_text("old")

    def denied(source, destination):
        raise PermissionError(13, "Permission denied", str(destination))

    monkeypatch.setattr("scheduler.files.os.replace", denied)
    with pytest.raises(OutputError) as error:
        write_atomic(target, "new")
    assert str(error.value) == f"{target}: cannot write the file: permission denied"
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


@pytest.mark.parametrize(
    ("failing", "raised"),
    [
        ("scheduler.files.os.replace", KeyboardInterrupt()),  # Ctrl-C while it writes
        ("scheduler.files.tempfile.mkstemp", OSError(28, "No space left on device")),
    ],
)
def test_a_write_stopped_midway_leaves_the_old_file_and_no_temporary_one(
    tmp_path, monkeypatch, failing, raised
):
    from scheduler.errors import OutputError
    from scheduler.files import write_atomic

    target = tmp_path / "out.json"
    target.write_text("old")

    def stopped(*args, **kwargs):
        raise raised

    monkeypatch.setattr(failing, stopped)
    expected = KeyboardInterrupt if isinstance(raised, KeyboardInterrupt) else OutputError
    with pytest.raises(expected) as error:
        write_atomic(target, "new")
    if expected is OutputError:
        assert str(error.value) == f"{target}: cannot write the file: no space left on device"
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_an_input_that_cannot_be_read_is_named_with_why(tmp_path, monkeypatch, capsys):
    # (as root no permission stops a read: the refusal is simulated)
    from pathlib import Path

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.read_text())

    def refused(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refused)
    monkeypatch.setattr(Path, "read_bytes", refused)
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(path), str(path)])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and "Traceback" not in err
    assert f"{path}: cannot read the file: permission denied" in " ".join(err.split())


def _paths(node, prefix=()):
    """Every place in a parsed document: the keys and indices that lead to it."""
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


# what people (and spreadsheets) write where something else is expected
ODD_VALUES = [
    None, "", "x", -1, 0, 1, 10**9, 2.5, True, [], {}, ["x"], {"x": 1}, "1800",
    "2026-12-01T25:00", "2026-12-01T09:00:00+05:00", "2026-12-01", "fr", "keynote", "k1",
]  # fmt: skip


def _changed(document, draw):
    """`document` with one to three places changed (`draw` is hypothesis's): a value
    replaced, a key or an item removed, an item repeated; and the changes."""
    document = copy.deepcopy(document)
    places = sorted(_paths(document), key=repr)
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places))
        try:
            parent = document
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]]  # noqa: B018 (still there after the changes before)
        except (KeyError, IndexError, TypeError):
            continue
        if not isinstance(parent, dict | list):  # (a string the changes before put there)
            continue
        change = draw(st.sampled_from(["set", "delete", "repeat"]))
        if change == "delete":
            del parent[path[-1]]
        elif change == "repeat" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[path[-1]] = draw(st.sampled_from(ODD_VALUES))
        changes.append((change, path))
    return document, changes


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_changed_instance_is_bad_input_or_gets_a_schedule_the_validator_accepts(data):
    # a slot whose end had an offset and its start none raised a TypeError (a traceback)
    # until 2026-12-02: found by changing the bundled instance at random
    document, changes = _changed(TINY_DATA, data.draw)
    event("changed" if changes else "unchanged")
    try:
        instance = parse_instance(document, "tiny.yaml")
    except InputError as error:
        assert error.path.name == "tiny.yaml"
        event("bad input")
        return
    event("an instance")
    solution = greedy_solution(instance, "sha256:x", candidate_table(instance))
    assert validate(instance, solution).ok, changes


@pytest.fixture(scope="module")
def tiny_schedule():
    instance = parse_instance(copy.deepcopy(TINY_DATA), "tiny.yaml")
    solution = greedy_solution(instance, "sha256:x", candidate_table(instance))
    return instance, json.loads(solution.to_json())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_changed_solution_is_bad_input_or_gets_the_validator_s_verdict(
    tiny_schedule, tmp_path_factory, data
):
    instance, document = tiny_schedule
    changed, _ = _changed(document, data.draw)
    file = tmp_path_factory.mktemp("solution") / "changed.json"
    file.write_text(json.dumps(changed))
    try:
        solution = load_solution(file)
    except InputError as error:
        assert error.path == file
        event("bad input")
        return
    event("a solution")
    report = validate(instance, solution)  # a verdict, whatever the file holds
    assert report.ok or report.violations
    # and as the published schedule a re-solve stays close to: `moved` counted against
    # it, so only the file's objective may differ
    unchanged = Solution.model_validate(document)
    against = validate(instance, unchanged, solution)
    assert {violation.rule for violation in against.violations} <= {"objective"}


@settings(
    max_examples=int(os.environ.get("KEPT_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.data())
def test_a_changed_published_schedule_kept_during_the_event_is_bad_input_or_kept(
    tiny_schedule, tmp_path_factory, data
):
    # a published schedule edited by hand, then held by `solve --reference --keep-before`
    # in the morning: bad input naming the file, or a re-solve whose schedule the
    # validator accepts with the same options (or none, said with its status); never a
    # traceback
    _, document = tiny_schedule
    changed, _ = _changed(document, data.draw)
    folder = tmp_path_factory.mktemp("kept")
    published = folder / "published.json"
    published.write_text(json.dumps(changed))
    out = folder / "new.json"
    keep = ["--reference", str(published), "--keep-before", "2026-12-01T12:00"]
    argv = ["solve", str(TINY), "-o", str(out), "--time-limit", "3", "--workers", "1", "-q"]
    with pytest.raises(SystemExit) as stopped:
        main([*argv, *keep])
    code = stopped.value.code
    event(f"exit {code}")
    if code == 2:
        assert not out.exists()
        return
    if code == 1:  # no schedule keeps what the edited file says had begun
        assert not out.exists()
        return
    assert code == 0
    with pytest.raises(SystemExit) as stopped:
        main(["validate", str(TINY), str(out), *keep])
    assert stopped.value.code == 0


def test_a_table_given_as_an_instance_or_a_solution_says_which_file_is_wanted(tmp_path, capsys):
    # a coordinator holding the form's answers ran `solve answers.csv`: "malformed YAML
    # at line 2, column 235: mapping values are not allowed here"; a workbook was "not
    # UTF-8 text"; `diff` given programme.csv "malformed JSON"
    answers = tmp_path / "answers.csv"
    answers.write_text("Titre;Format;Résumé\nLes communs : une idée;keynote;…\n")
    workbook = tmp_path / "answers.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not text")
    table = tmp_path / "programme.csv"
    table.write_text("day,start,room\n")
    solution = tmp_path / "sol.json"
    assert run(["solve", str(TINY), "-o", str(solution), "-q", "--time-limit", "5"], capsys)[0] == 0
    for argv, said in (
        (["solve", str(answers)], f"{answers}: a table (CSV), not an instance"),
        (["explain", str(workbook)], f"{workbook}: a workbook (XLSX), not an instance"),
        (["validate", str(TINY), str(table)], f"{table}: a table (CSV), not a solution"),
        (["diff", str(solution), str(table)], f"{table}: a table (CSV), not a solution"),
    ):
        code, output = run(argv, capsys)
        flat = " ".join(output.split())
        assert code == 2 and "Traceback" not in output, output
        assert said in flat, flat
        assert ("scheduler import FORM --slots SLOTS" in flat) == ("instance" in said)


def test_a_calendar_given_as_the_published_solution_is_named_as_one(tmp_path, capsys):
    # the FOST team's "published version" is the calendar: it read "malformed JSON at
    # line 1, column 1"
    solution = tmp_path / "sol.json"
    assert run(["solve", str(TINY), "-o", str(solution), "-q", "--time-limit", "5"], capsys)[0] == 0
    calendar = tmp_path / "programme.ics"
    calendar.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    for argv in (
        ["validate", str(TINY), str(calendar)],
        ["export", "ics", str(TINY), str(solution), "--reference", str(calendar)]
        + ["-o", str(tmp_path / "out")],
    ):
        code, output = run(argv, capsys)
        assert code == 2 and "Traceback" not in output
        assert f"{calendar}: a calendar, not a solution" in " ".join(output.split())
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "window",
    [
        # near the slots' days, without `event.days`: taken as meant (an absence ending
        # as the first day starts was refused as "wholly outside the slots' days")
        {"start": "2026-11-28T00:00:00", "end": "2026-12-01T00:00:00"},
        {"start": "2026-11-30T18:00:00", "end": "2026-11-30T22:00:00"},
        {"start": "2026-12-08T09:00:00", "end": "2026-12-08T10:00:00"},
    ],
)
def test_a_window_near_the_slots_days_is_taken_as_meant(window):
    data = mutate(_without_days(_set(["speakers", 0, "unavailable"], [window])))
    assert parse_instance(data, "near.yaml").speakers[0].unavailable


@pytest.mark.parametrize("written", ["yaml day", "text"])
def test_a_window_of_days_runs_to_the_end_of_its_last_day(written):
    # `{start: 2026-12-01, end: 2026-12-01}`, away all of 1 December: it read as midnight
    # to midnight, "ends before it starts", and showed datetime.date(2026, 12, 1)
    from datetime import date

    day = date(2026, 12, 1) if written == "yaml day" else "2026-12-01"
    data = mutate(_set(["speakers", 0, "unavailable"], [{"start": day, "end": day}]))
    instance = parse_instance(data, "days.yaml")
    (window,) = instance.speakers[0].unavailable
    assert instance.local(window.start).isoformat() == "2026-12-01T00:00:00+01:00"
    assert instance.local(window.end).isoformat() == "2026-12-02T00:00:00+01:00"


def test_a_day_in_a_message_is_written_as_the_file_writes_it(tmp_path, capsys):
    from datetime import date

    data = mutate(
        _set(
            ["speakers", 0, "unavailable"], [{"start": date(2026, 12, 2), "end": date(2026, 12, 1)}]
        )
    )
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    code, output = run(["solve", str(path), "-o", str(tmp_path / "x.json")], capsys)
    assert code == 2 and "(got 2026-12-01)" in output and "datetime.date" not in output


@pytest.mark.parametrize(
    ("written", "typed"), [("14:00", "14:00"), ("9:30", "09:30"), ("14:00:30", "14:00:30")]
)
def test_a_time_without_its_date_is_named_as_typed(written, typed, tmp_path, capsys):
    # YAML 1.1 reads 14:00 as 840 (base 60): "write a date and time like
    # 2026-12-01T09:30 (got 840)" named a value the coordinator never typed
    path = tmp_path / "timed.yaml"
    path.write_text(
        TINY_TEXT.replace('start: "2026-12-01T14:00:00"', f"start: {written}"), encoding="utf-8"
    )
    code, output = run(["explain", str(path)], capsys)
    assert code == 2 and "Traceback" not in output
    assert " ".join(output.split()) == (
        f"error: {path}, slots[2] (id 'pm-a'), field 'start': the date is missing: write a "
        f"date and time like 2026-12-01T{typed} (got '{written}')"
    )


def test_a_number_given_as_a_time_is_still_named_as_the_number(tmp_path, capsys):
    path = tmp_path / "timed.yaml"
    path.write_text(
        TINY_TEXT.replace('start: "2026-12-01T14:00:00"', "start: 840"), encoding="utf-8"
    )
    code, output = run(["explain", str(path)], capsys)
    assert code == 2 and "field 'start': write a date and time like 2026-12-01T09:30 (got 840)" in (
        " ".join(output.split())
    )


def test_yaml_reads_a_time_as_text_not_as_a_number_in_base_60():
    from scheduler.files import parse_yaml

    read = parse_yaml("a: 14:00\nb: 1:30:00\nc: 1_000\nd: 0x1f\ne: 1.5\nf: -3\n", Path("x.yaml"))
    assert read == {"a": "14:00", "b": "1:30:00", "c": 1000, "d": 31, "e": 1.5, "f": -3}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"{id: k3,": "{id: on,"}, "proposals[2], field 'id': should be text (got true, read as"),
        ({"{id: k3,": "{id: 2026,"}, "proposals[2], field 'id': should be text (got 2026, read"),
    ],
)
def test_an_id_yaml_reads_as_no_text_is_not_named_in_python(tmp_path, capsys, change, expected):
    # `id: on` was named "proposals[2] (id 'True')", a spelling no one wrote
    text = TINY.read_text(encoding="utf-8")
    for old, new in change.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "on.yaml"
    path.write_text(text, encoding="utf-8")
    code, output = run(["validate", str(path), str(tmp_path / "none.json")], capsys)
    flat = " ".join(output.split())
    assert code == 2 and expected in flat, flat
    assert "'True'" not in flat and "'False'" not in flat
    # refused on another field, the record says what its id was read as
    data = {"proposals": [{"id": "k1"}, {"id": False, "speaker": ["chloe"]}]}
    error = InputError.located(path, data, ["proposals", 1, "speaker"], "unknown field")
    assert str(error) == (
        f"{path}, proposals[1] (id false, read as a boolean (yes, no, on, off): write it in "
        "quotes), field 'speaker': unknown field"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["solve", "INSTANCE", "-o", "OUT"],
        ["validate", "INSTANCE", "SOLUTION"],
        ["explain", "INSTANCE"],
        ["export", "ics", "INSTANCE", "SOLUTION", "-o", "OUT"],
        ["export", "grid", "INSTANCE", "SOLUTION", "-o", "OUT"],
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_a_reference_with_no_schedule_is_the_same_bad_input_for_every_command(
    command, tmp_path, capsys
):
    # `export` read it with a loader of its own: "the reference has no schedule (status
    # infeasible); nothing to export", exit 1, where the others said bad input, exit 2
    root = Path(__file__).parent.parent
    solution = root / "solutions" / "commons-ai-2026.json"
    data = json.loads(solution.read_text(encoding="utf-8"))
    data.update(status="infeasible", workshops=[], objective=None, bound=None, penalties=[])
    data["unscheduled"] = [{"proposal": p, "reasons": ["none"]} for p in data["titles"]]
    reference = tmp_path / "failed.json"
    reference.write_text(json.dumps(data), encoding="utf-8")
    output = tmp_path / "out"
    given = {
        "INSTANCE": str(root / "instances" / "commons-ai-2026.yaml"),
        "SOLUTION": str(solution),
        "OUT": str(output),
    }
    argv = [given.get(word, word) for word in command] + ["--reference", str(reference)]
    code, said = run(argv, capsys)
    flat = " ".join(said.split())
    assert code == 2, flat
    assert (
        f"{reference}, field 'status': infeasible: a published schedule is needed as the "
        "reference" in flat
    )
    assert not output.exists()


@pytest.mark.parametrize("command", ["solve", "export csv", "export all", "import"])
def test_an_output_name_longer_than_the_file_system_allows_is_named_not_a_traceback(
    command, tmp_path, capsys
):
    # Path.is_dir and exists raise ENAMETOOLONG (they swallow ENOENT alone): a traceback
    # ending "OSError: [Errno 36] File name too long", exit 1
    long = tmp_path / ("a" * 300)
    solution = ROOT / "solutions" / "commons-ai-2026.json"
    imports = ROOT / "tests" / "data" / "import"
    argv = {
        "solve": ["solve", str(TINY), "-o", f"{long}.json"],
        "export csv": ["export", "csv", str(BUNDLED), str(solution), "-o", f"{long}.csv"],
        "export all": ["export", "all", str(BUNDLED), str(solution), "-o", str(long)],
        "import": ["import", str(imports / "form.csv"), "--slots", str(imports / "slots.csv")]
        + ["-o", f"{long}.yaml"],
    }[command]
    code, said = run(argv, capsys)
    assert code == 2 and "Traceback" not in said
    assert said.startswith("error: ") and f"{long}" in said and "file name too long" in said
    assert list(tmp_path.iterdir()) == []


def test_an_output_name_near_the_limit_is_written(tmp_path):
    # the temporary file beside it, `.NAME.xxxxxxxx.tmp`, was 14 bytes longer than the
    # name: a name of 242 to 255 bytes, which the file system takes, was "too long"
    from scheduler.files import write_atomic

    target = tmp_path / ("a" * 250)
    write_atomic(target, "schedule")
    assert target.read_text() == "schedule"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary file left


def test_a_link_to_a_file_given_as_the_output_is_replaced_at_its_target(tmp_path):
    # `-o solutions/current.json`, a link to the published file: the file was opened
    # through the link and cut short, so a full disk during the write left it truncated
    from scheduler.files import write_atomic

    published = tmp_path / "published" / "commons-v2.json"
    published.parent.mkdir()
    published.write_text("old")
    published.chmod(0o600)
    link = tmp_path / "current.json"
    link.symlink_to(Path("published") / "commons-v2.json")
    before = published.stat().st_ino
    assert write_atomic(link, "new") == link
    assert link.is_symlink() and os.readlink(link) == str(Path("published") / "commons-v2.json")
    assert published.read_text() == "new" and published.stat().st_ino != before  # renamed
    assert stat.S_IMODE(published.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "commons-v2.json",
        "current.json",
        "published",
    ]  # no temporary file left, in either folder


def test_a_write_through_a_link_that_fails_keeps_the_file_it_names(tmp_path, monkeypatch):
    from scheduler.errors import OutputError
    from scheduler.files import write_atomic

    published = tmp_path / "commons-v2.json"
    published.write_text("old")
    link = tmp_path / "current.json"
    link.symlink_to(published)

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("scheduler.files.os.fsync", full)
    with pytest.raises(OutputError) as error:
        write_atomic(link, "new" * 10_000)
    assert str(error.value) == f"{link}: cannot write the file: no space left on device"
    assert published.read_text() == "old" and link.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["commons-v2.json", "current.json"]


def test_a_link_to_a_read_only_file_is_refused(tmp_path):
    # replaced at its target, a protected published file would be replaced through a link
    from scheduler.errors import OutputError
    from scheduler.files import write_atomic

    published = tmp_path / "commons-v2.json"
    published.write_text("old")
    published.chmod(0o444)
    link = tmp_path / "current.json"
    link.symlink_to(published)
    with pytest.raises(OutputError, match="read-only"):
        write_atomic(link, "new")
    assert published.read_text() == "old" and link.is_symlink()
