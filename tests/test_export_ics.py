"""iCalendar export: every file read back by icalendar and by vobject, times, texts, UIDs, SEQUENCE."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
import vobject
import yaml
from conftest import write_ics

from scheduler.cli import main
from scheduler.exports import ics
from scheduler.exports.ics import IcsOptions
from scheduler.instance import Instance, instance_hash, load_instance, parse_instance
from scheduler.solution import ItemKind, Solution, Unscheduled, calendar_events
from scheduler.solve import SolveOptions, solve
from scheduler.validate import validate

HOSTILE = Path(__file__).parent / "data" / "exports" / "hostile.yaml"
OPTIONS = SolveOptions(time_limit=5, workers=1)


@pytest.fixture(scope="module")
def solved() -> tuple[Instance, Solution]:
    instance = load_instance(HOSTILE)
    solution = solve(instance, instance_hash(HOSTILE), OPTIONS)
    assert solution.has_schedule
    return instance, solution


@pytest.fixture(scope="module")
def exported(solved, tmp_path_factory) -> Path:
    instance, solution = solved
    directory = tmp_path_factory.mktemp("ics")
    write_ics(instance, solution, directory, IcsOptions(items=True))
    return directory


def workshop_uid(slot: str, generation: int = 1) -> str:
    """A workshop's UID: its slot's, numbered from the slot's second workshop on."""
    return f"hostile/workshop/{slot}{f'/{generation}' if generation > 1 else ''}@commons-scheduler"


def talk_uid(proposal: str) -> str:
    return f"hostile/talk/{proposal}@commons-scheduler"


def speaker_uid(speaker: str, uid: str) -> str:
    """A programme's event's UID in `speaker`'s calendar: one of her own."""
    return uid.replace("hostile/", f"hostile/speaker/{speaker}/", 1)


def programme_uid(uid: str) -> str:
    """The programme's UID of an event of a calendar (a speaker's has her own)."""
    return re.sub(r"^([^/]+)/speaker/[^/]+/", r"\1/", uid)


def expected_times(solution: Solution) -> dict[str, tuple[datetime, datetime]]:
    """UID -> (start, end) in UTC, read straight from the solution's timelines."""
    times = {}
    for workshop in solution.workshops:
        times[workshop_uid(workshop.slot)] = (workshop.start, workshop.end)
        for item in workshop.items:
            if item.kind == ItemKind.KEYNOTE:
                after = [
                    i.end
                    for i in workshop.items
                    if i.kind == ItemKind.PARTICIPATORY and i.proposal == item.proposal
                ]
                times[talk_uid(item.proposal)] = (item.start, after[0] if after else item.end)
            elif item.kind == ItemKind.INITIATIVE:
                times[talk_uid(item.proposal)] = (item.start, item.end)
    return {uid: (a.astimezone(UTC), b.astimezone(UTC)) for uid, (a, b) in times.items()}


def read_icalendar(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def read_vobject(path: Path) -> dict[str, object]:
    calendar = vobject.readOne(path.read_text(encoding="utf-8"))
    return {e.uid.value: e for e in calendar.vevent_list}


def ics_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.ics"))


def test_writes_the_programme_and_one_calendar_per_speaker_room_and_theme(solved, exported):
    instance, solution = solved
    speaking = {p for w in solution.workshops for p in w.proposals}
    speakers = {s for p in speaking for s in instance.proposal_by_id[p].speakers}
    names = {p.relative_to(exported).as_posix() for p in ics_files(exported)}
    assert names == (
        {"programme.ics"}
        | {f"speakers/{s}.ics" for s in speakers}
        | {f"rooms/{w.room}.ics" for w in solution.workshops}
        | {f"themes/{w.theme}.ics" for w in solution.workshops}
    )


def test_every_start_and_end_equals_the_solution_in_both_parsers(solved, exported):
    _, solution = solved
    expected = expected_times(solution)
    for path in ics_files(exported):
        by_icalendar = read_icalendar(path)
        by_vobject = read_vobject(path)
        assert set(by_icalendar) == set(by_vobject), path
        assert by_icalendar, path
        for uid, event in by_icalendar.items():
            start = event.decoded("DTSTART").astimezone(UTC)
            end = event.decoded("DTEND").astimezone(UTC)
            times = expected[programme_uid(uid)]
            assert (start, end) == times, (path, uid)
            other = by_vobject[uid]
            # vobject reads the offsets from the file's own VTIMEZONE, not from tzdata.
            assert other.dtstart.value.astimezone(UTC) == times[0], (path, uid)
            assert other.dtend.value.astimezone(UTC) == times[1], (path, uid)


def test_programme_holds_every_workshop_and_every_talk(solved, exported):
    _, solution = solved
    uids = set(read_icalendar(exported / "programme.ics"))
    assert uids == set(expected_times(solution))


def test_text_with_commas_semicolons_accents_markup_and_newlines_survives(solved, exported):
    instance, solution = solved
    k1 = instance.proposal_by_id["k1"]
    k3 = instance.proposal_by_id["k3"]
    workshop = solution.workshop_of()["k1"]
    where = f"{instance.room_by_id[workshop.room].name}, {instance.event.venue}"
    theme = instance.theme_by_id[workshop.theme].label.fr
    assert "," in theme and ";" in theme and "\n" in k1.abstract and "\n" in k3.title
    path = exported / "programme.ics"
    for events in (read_icalendar(path), read_vobject(path)):
        talk = events[talk_uid("k1")]
        block = events[workshop_uid(workshop.slot)]
        if isinstance(talk, icalendar.Event):
            text = {key: str(talk[key]) for key in ("SUMMARY", "DESCRIPTION", "LOCATION")}
            categories = [str(c) for c in talk["CATEGORIES"].cats]
            block_text = str(block["DESCRIPTION"])
            k3_summary = str(events[talk_uid("k3")]["SUMMARY"])
        else:
            text = {
                "SUMMARY": talk.summary.value,
                "DESCRIPTION": talk.description.value,
                "LOCATION": talk.location.value,
            }
            categories = list(talk.categories.value)
            block_text = block.description.value
            k3_summary = events[talk_uid("k3")].summary.value
        assert text["SUMMARY"] == f"[{k1.language.value.upper()}] {k1.title}"
        assert k1.abstract in text["DESCRIPTION"]
        assert k1.participatory_format in text["DESCRIPTION"]
        assert text["LOCATION"] == where
        assert categories == [theme, "Keynote"]
        assert k3_summary == f"[{k3.language.value.upper()}] {k3.title}"
        for proposal_id in workshop.proposals:
            assert instance.proposal_by_id[proposal_id].title in block_text
        assert "Ana Martín (Université Paris-Saclay; LISN, équipe « Communs »)" in block_text
        assert k1.participatory_format in block_text


def test_rfc5545_shape(solved, exported):
    instance, solution = solved
    raw = (exported / "programme.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    # folded between characters, never inside one (each line reads as UTF-8 alone)
    for path in ics_files(exported):
        for line in path.read_bytes().split(b"\r\n"):
            assert len(line) <= 75 and line.decode("utf-8") is not None, (path, line)
    text = raw.decode("utf-8")
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert "TZID:Europe/Paris" in text
    calendar = icalendar.Calendar.from_ical(raw)
    assert str(calendar["X-WR-CALNAME"]) == instance.event.title
    assert str(calendar["NAME"]) == instance.event.title
    assert str(calendar["VERSION"]) == "2.0"
    # RFC 5546 PUBLISH, in every calendar: without METHOD a file is a snapshot, and the
    # updating by SEQUENCE (and removing by STATUS:CANCELLED) is each client's choice
    for path in ics_files(exported):
        assert str(icalendar.Calendar.from_ical(path.read_bytes())["METHOD"]) == "PUBLISH"
        assert b"\r\nMETHOD:PUBLISH\r\n" in path.read_bytes(), path
    for event in calendar.walk("VEVENT"):
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event["DTEND"].params["TZID"] == "Europe/Paris"
        assert event.decoded("DTSTAMP") == datetime(2026, 12, 1, tzinfo=UTC)
        assert int(event["SEQUENCE"]) == 0
        assert str(event["STATUS"]) == "CONFIRMED"
        # (none where the text mixes French labels and an English title)
        assert event["SUMMARY"].params.get("LANGUAGE") in ("fr", "en", None)
    events = read_icalendar(exported / "programme.ics")
    talk = events[talk_uid("k2")]
    assert talk["SUMMARY"].params["LANGUAGE"] == "en"
    led = events[workshop_uid(solution.workshop_of()["k1"].slot)]["SUMMARY"]
    assert led.params["LANGUAGE"] == "fr"  # (k1, French, leads its workshop)
    assert str(talk["RELATED-TO"]) == workshop_uid(solution.workshop_of()["k2"].slot)


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/Paris",
        "America/New_York",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "America/Santiago",
    ],
)
def test_vtimezone_onsets_are_local_times_before_the_change(solved, zone):
    # RFC 5545 3.6.5: an observance's DTSTART is the local time of the change at the
    # offset before it; the library wrote the spring change at the offset after it
    # (Paris: 03:00, not 02:00), an hour late for a client reading the VTIMEZONE
    from zoneinfo import ZoneInfo

    from scheduler.exports.ics import _vtimezone

    instance = solved[0].model_copy(deep=True)
    instance.event.timezone = zone
    changes = 0
    for observance in _vtimezone(instance, []).subcomponents:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        if before == after:
            continue  # the start of the range, no change
        instant = (observance["DTSTART"].dt - before).replace(tzinfo=UTC)
        assert instant.astimezone(ZoneInfo(zone)).utcoffset() == after, observance.to_ical()
        earlier = instant - timedelta(seconds=1)
        assert earlier.astimezone(ZoneInfo(zone)).utcoffset() == before, observance.to_ical()
        changes += 1
    assert changes == 2


def test_speaker_room_and_theme_calendars_hold_their_workshops(solved, exported):
    instance, solution = solved
    for speaker in instance.speakers:
        path = exported / "speakers" / f"{speaker.id}.ics"
        own = [
            p for p in solution.workshop_of() if speaker.id in instance.proposal_by_id[p].speakers
        ]
        if not own:
            assert not path.exists()
            continue
        wanted = {workshop_uid(solution.workshop_of()[p].slot) for p in own}
        wanted |= {talk_uid(p) for p in own}
        # her own UIDs, the same events as the programme's (her talk's parent her own)
        events = read_icalendar(path)
        assert set(events) == {speaker_uid(speaker.id, uid) for uid in wanted}
        programme = read_icalendar(exported / "programme.ics")
        for uid, event in events.items():
            same = programme[programme_uid(uid)]
            for key in ("SUMMARY", "DESCRIPTION", "LOCATION", "DTSTART", "DTEND"):
                assert event[key].to_ical() == same[key].to_ical(), (path, uid, key)
            if "RELATED-TO" in same:
                assert str(event["RELATED-TO"]) == speaker_uid(speaker.id, same["RELATED-TO"])
    for room in instance.rooms:
        wanted = {workshop_uid(w.slot) for w in solution.workshops if w.room == room.id}
        assert set(read_icalendar(exported / "rooms" / f"{room.id}.ics")) == wanted
    for theme in {w.theme for w in solution.workshops}:
        wanted = {workshop_uid(w.slot) for w in solution.workshops if w.theme == theme}
        assert set(read_icalendar(exported / "themes" / f"{theme}.ics")) == wanted


def test_same_input_same_bytes(solved, exported, tmp_path):
    instance, solution = solved
    write_ics(instance, solution, tmp_path, IcsOptions(items=True))
    first = {p.relative_to(exported): p.read_bytes() for p in ics_files(exported)}
    second = {p.relative_to(tmp_path): p.read_bytes() for p in ics_files(tmp_path)}
    assert first == second


def test_without_items_only_workshops(solved, tmp_path):
    instance, solution = solved
    write_ics(instance, solution, tmp_path, IcsOptions(items=False, lang="en"))
    events = read_icalendar(tmp_path / "programme.ics")
    assert set(events) == {workshop_uid(w.slot) for w in solution.workshops}
    event = events[workshop_uid(solution.workshops[0].slot)]
    assert str(event["SUMMARY"]).startswith(f"[{solution.workshops[0].language.upper()}] ")
    theme = instance.theme_by_id[solution.workshops[0].theme].label.en
    assert [str(c) for c in event["CATEGORIES"].cats] == [theme, "Workshop"]
    assert f"Workshop “{theme}”" in str(event["DESCRIPTION"])


def without_chloe_on_her_day(published: Solution) -> dict:
    """The hostile instance's data, where Chloé can no longer come on the day her talk
    k3 was published."""
    day = next(w.start.date() for w in published.workshops if "k3" in w.proposals)
    data = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
    for speaker in data["speakers"]:
        if speaker["id"] == "chloe":
            speaker["unavailable"] = [
                {"start": f"{day}T00:00:00", "end": f"{day + timedelta(days=1)}T00:00:00"}
            ]
    return data


def resolved_without_chloe_on_her_day(published: Solution) -> tuple[Instance, Solution]:
    """A re-solve against the published schedule after a speaker's day changed."""
    instance = parse_instance(without_chloe_on_her_day(published), "hostile-v2.yaml")
    solution = solve(instance, "sha256:v2", OPTIONS, reference=published)
    assert solution.has_schedule
    return instance, solution


def test_uids_survive_a_re_solve_and_sequence_marks_what_changed(solved, tmp_path):
    instance, published = solved
    instance2, current = resolved_without_chloe_on_her_day(published)
    write_ics(instance2, current, tmp_path, IcsOptions(items=True), reference=published)
    events = read_icalendar(tmp_path / "programme.ics")
    before = expected_times(published)
    after = expected_times(current)
    # a slot whose workshop shares no talk with the one published there holds another
    # workshop: a UID of its own, the published one cancelled (it was "updated" into the
    # other, in the calendars of the speakers and theme of the one that left it too)
    old = {w.slot: w for w in published.workshops}
    new = {w.slot: w for w in current.workshops}
    replaced = {s for s, w in new.items() if s in old and not {*w.proposals} & {*old[s].proposals}}
    assert replaced  # (this re-solve moves k4's workshop and composes another in its slot)
    uid_of = {s: workshop_uid(s, 2 if s in replaced else 1) for s in new}
    cancelled = {uid for uid, event in events.items() if str(event["STATUS"]) == "CANCELLED"}
    assert cancelled == {workshop_uid(s) for s in replaced}
    talks = {talk_uid(p) for p in current.workshop_of()}
    assert set(events) == {*uid_of.values()} | talks | cancelled
    # The talk that had to move keeps its UID, with its new times.
    assert before[talk_uid("k3")][0].date() != after[talk_uid("k3")][0].date()
    assert after[talk_uid("k3")] == (
        events[talk_uid("k3")].decoded("DTSTART").astimezone(UTC),
        events[talk_uid("k3")].decoded("DTEND").astimezone(UTC),
    )

    changed_workshops = 0
    assert current.revision == published.revision + 1 == 1
    for slot, workshop in new.items():
        # a workshop in a slot the published schedule left empty is a new event, at the
        # re-solve's revision
        same = slot in old and old[slot].model_dump() == workshop.model_dump()
        assert int(events[uid_of[slot]]["SEQUENCE"]) == (0 if same else 1), slot
        changed_workshops += slot in old and not same
    assert 0 < changed_workshops < len(new)

    def talk_state(solution: Solution, proposal: str) -> tuple:
        workshop = solution.workshop_of()[proposal]
        return (
            workshop.slot,
            workshop.theme,
            workshop.language,
            expected_times(solution)[talk_uid(proposal)],
        )

    for proposal in current.workshop_of():
        same = talk_state(published, proposal) == talk_state(current, proposal)
        assert int(events[talk_uid(proposal)]["SEQUENCE"]) == (0 if same else 1), proposal

    # Without a reference nothing has a version to differ from.
    write_ics(instance2, current, tmp_path / "plain", IcsOptions(items=True))
    plain = read_icalendar(tmp_path / "plain" / "programme.ics")
    assert {int(e["SEQUENCE"]) for e in plain.values()} == {0}


def test_a_title_corrected_since_publication_raises_its_events_sequence(solved, tmp_path):
    # a title corrected in the instance, the schedule as published: the events were
    # rendered anew at SEQUENCE 0, which clients ignore, and the export said "0 changed"
    instance, published = solved
    corrected = instance.model_copy(deep=True)
    proposal = corrected.proposal_by_id["k1"]
    proposal.title = "A title corrected after publication"
    written = write_ics(corrected, published, tmp_path, IcsOptions(items=True), reference=published)
    events = read_icalendar(tmp_path / "programme.ics")
    slot = published.workshop_of()["k1"].slot
    raised = {uid for uid, event in events.items() if int(event["SEQUENCE"])}
    assert raised == {talk_uid("k1"), workshop_uid(slot)}
    title = f"[{proposal.language.value.upper()}] A title corrected after publication"
    assert str(events[talk_uid("k1")]["SUMMARY"]) == title
    assert "2 changed" in next(w.what for w in written if w.path.name == "programme.ics")
    # exported again from the same instance: nothing changed
    write_ics(instance, published, tmp_path / "same", IcsOptions(items=True), reference=published)
    same = read_icalendar(tmp_path / "same" / "programme.ics")
    assert {int(e["SEQUENCE"]) for e in same.values()} == {0}


def test_a_speaker_taken_off_a_talk_since_publication_raises_its_events_sequence(tmp_path):
    # p01's co-speaker withdrawn from it: the published version was rendered with the
    # instance's speakers, so both versions read alike, SEQUENCE stayed 0 and clients
    # (her own calendar among them) kept her on the keynote
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    kept, gone = published.speakers["p01"]
    (proposal,) = (p for p in data["proposals"] if p["id"] == "p01")
    proposal["speakers"] = [kept]
    instance = parse_instance(data, "commons-ai-2026.yaml")
    leaving = instance.speaker_by_id[gone].name
    written = write_ics(instance, published, tmp_path, IcsOptions(items=True), reference=published)
    slot = published.workshop_of()["p01"].slot
    changed = {ics.talk_uid(instance, "p01"), ics.workshop_uid(instance, slot)}
    events = read_icalendar(tmp_path / "programme.ics")
    raised = {uid for uid, event in events.items() if int(event["SEQUENCE"])}
    assert raised == changed
    assert all(leaving not in str(events[uid]["DESCRIPTION"]) for uid in changed)
    assert "2 changed" in next(w.what for w in written if w.path.name == "programme.ics")
    # her own calendar cancels both, above what she held (it kept them confirmed, as
    # they are now: cancelled there, they were cancelled in every calendar): they take
    # place without her
    mine = read_icalendar(tmp_path / "speakers" / f"{gone}.ics")
    assert set(mine) == {ics.speaker_event_uid(instance, gone, uid) for uid in changed}
    for uid, event in mine.items():
        assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 1), uid
        assert str(event["DESCRIPTION"]).startswith("Annulé")
        assert "a toujours lieu, mais sans vous" in str(event["DESCRIPTION"]).split("\n")[0]
    # and her co-speaker's holds them as the programme does, under her own UIDs
    theirs = read_icalendar(tmp_path / "speakers" / f"{kept}.ics")
    for uid in changed:
        event = theirs[ics.speaker_event_uid(instance, kept, uid)]
        assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CONFIRMED", 1)
        assert event["DESCRIPTION"] == events[uid]["DESCRIPTION"]


def test_a_speaker_name_corrected_since_publication_raises_her_events_sequence(tmp_path):
    # the published version was rendered with the instance's names, so a name corrected
    # since (Aisha's surname, an affiliation) read alike in both: clients kept the old one
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    (speaker,) = published.speakers["p03"]
    (record,) = (s for s in data["speakers"] if s["id"] == speaker)
    record["name"] = record["name"] + "-Diallo"
    instance = parse_instance(data, "commons-ai-2026.yaml")
    written = write_ics(instance, published, tmp_path, IcsOptions(items=True), reference=published)
    slot = published.workshop_of()["p03"].slot
    events = read_icalendar(tmp_path / "programme.ics")
    raised = {uid for uid, event in events.items() if int(event["SEQUENCE"])}
    assert raised == {ics.talk_uid(instance, "p03"), ics.workshop_uid(instance, slot)}
    assert record["name"] in str(events[ics.talk_uid(instance, "p03")]["DESCRIPTION"])
    assert "2 changed" in next(w.what for w in written if w.path.name == "programme.ics")
    # a file written before names were recorded: compared by the instance's, as before
    older = published.model_copy(update={"speaker_names": {}})
    write_ics(instance, older, tmp_path / "old", IcsOptions(items=True), reference=older)
    assert not any(
        int(e["SEQUENCE"]) for e in read_icalendar(tmp_path / "old" / "programme.ics").values()
    )


def test_a_withdrawn_talk_is_cancelled_in_the_labels_language_with_its_speakers(tmp_path):
    # an English talk withdrawn from the instance: its cancellation read "ANNULÉ — Open
    # weights are not enough…" under LANGUAGE=fr, without its speakers; then "CANCELLED
    # — …" in a French export
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    english = {p["id"] for p in data["proposals"] if p["language"] == "en"}
    workshop = next(w for w in published.workshops if w.language == "en")
    gone = next(p for p in workshop.proposals if p in english)
    data["proposals"] = [p for p in data["proposals"] if p["id"] != gone]
    instance = parse_instance(data, "commons-ai-2026.yaml")
    current = published.model_copy(deep=True)
    for w in current.workshops:
        w.items = [i for i in w.items if i.proposal != gone]
    write_ics(instance, current, tmp_path, IcsOptions(items=True), reference=published)
    cancelled = read_icalendar(tmp_path / "programme.ics")[ics.talk_uid(instance, gone)]
    assert str(cancelled["SUMMARY"]) == f"ANNULÉE — [EN] {published.titles[gone]}"
    assert "LANGUAGE" not in cancelled["SUMMARY"].params  # (a French word, an English title)
    assert str(cancelled["DESCRIPTION"]).startswith("Annulée\u00a0: cette intervention")
    for speaker in published.speakers[gone]:
        assert instance.speaker_by_id[speaker].name in str(cancelled["DESCRIPTION"])


def test_an_event_gone_since_the_reference_is_cancelled_where_it_was(solved, tmp_path):
    instance, published = solved
    current = copy.deepcopy(published)
    dropped = current.workshops.pop()
    current.unscheduled += [
        Unscheduled(proposal=p, reasons=["moved out"]) for p in dropped.proposals
    ]
    write_ics(instance, current, tmp_path, IcsOptions(items=True), reference=published)
    events = read_icalendar(tmp_path / "programme.ics")
    gone = [workshop_uid(dropped.slot)] + [talk_uid(p) for p in dropped.proposals]
    for uid in gone:
        assert str(events[uid]["STATUS"]) == "CANCELLED"
        assert int(events[uid]["SEQUENCE"]) == 1
        # said in its text too: a client importing the file may keep a cancelled event
        # and show it as any other (STATUS was all that said it)
        # in --lang's words, as every label (an English talk's read "CANCELLED")
        summary = events[uid]["SUMMARY"]
        assert str(summary).startswith("ANNULÉE — " if "/talk/" in uid else "ANNULÉ — ")
        assert summary.params.get("LANGUAGE") in ("fr", None)
        what = (
            "Annulée\u00a0: cette intervention" if "/talk/" in uid else "Annulé\u00a0: cet atelier"
        )
        assert str(events[uid]["DESCRIPTION"]).startswith(f"{what} n'aura pas lieu. ")
    for uid, event in events.items():
        if uid not in gone:
            assert str(event["STATUS"]) == "CONFIRMED"
    # and in the calendars that held it: a speaker's cancelled workshop stayed in her
    # own calendar (re-importing it kept the event), and in its room's
    speakers = {s for p in dropped.proposals for s in instance.proposal_by_id[p].speakers}
    for folder, holders in (
        ("rooms", {dropped.room}),
        ("themes", {dropped.theme}),
        ("speakers", speakers),
    ):
        for path in (tmp_path / folder).glob("*.ics"):
            held = {programme_uid(uid): event for uid, event in read_icalendar(path).items()}
            if path.stem in holders:
                assert str(held[workshop_uid(dropped.slot)]["STATUS"]) == "CANCELLED", path
                assert int(held[workshop_uid(dropped.slot)]["SEQUENCE"]) == 1
                # (it does not take place: not "without you" in a speaker's)
                description = str(held[workshop_uid(dropped.slot)]["DESCRIPTION"])
                assert description.startswith("Annulé\u00a0: cet atelier n'aura pas lieu")
            else:
                assert not set(held) & set(gone), path
    for speaker in speakers:
        held = read_icalendar(tmp_path / "speakers" / f"{speaker}.ics")
        mine = [p for p in dropped.proposals if speaker in instance.proposal_by_id[p].speakers]
        uids = [speaker_uid(speaker, talk_uid(p)) for p in mine]
        assert {str(held[uid]["STATUS"]) for uid in uids} == {"CANCELLED"}


def test_stamp_option_sets_dtstamp(solved, tmp_path):
    instance, solution = solved
    stamp = datetime(2026, 10, 1, 10, 0, tzinfo=UTC)
    write_ics(instance, solution, tmp_path, IcsOptions(stamp=stamp))
    for event in read_icalendar(tmp_path / "programme.ics").values():
        assert event.decoded("DTSTAMP") == stamp


# -- command line ------------------------------------------------------------


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out, err = capsys.readouterr()
    return stop.value.code, " ".join(out.split()), " ".join(err.split())


@pytest.fixture
def solution_file(solved, tmp_path) -> Path:
    return solved[1].write(tmp_path / "hostile.json")


def test_cli_writes_calendars_and_says_so(solved, solution_file, tmp_path, capsys):
    code, out, err = run(
        [
            "export",
            "ics",
            str(HOSTILE),
            str(solution_file),
            "-o",
            str(tmp_path / "out"),
            "--stamp",
            "2026-10-01T12:00:00+02:00",
        ],
        capsys,
    )
    assert code == 0, err
    workshops = len(solved[1].workshops)
    assert f"wrote {tmp_path / 'out' / 'programme.ics'} ({workshops} events)" in out
    assert "more calendars" in out
    assert "warning" not in err  # a schedule that keeps every hard rule
    event = next(iter(read_icalendar(tmp_path / "out" / "programme.ics").values()))
    assert event.decoded("DTSTAMP") == datetime(2026, 10, 1, 10, 0, tzinfo=UTC)


def edited(solution_file: Path, change) -> Path:
    data = json.loads(solution_file.read_text(encoding="utf-8"))
    change(data)
    path = solution_file.with_name("edited.json")
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _item_backwards(item: dict) -> None:
    item["start"], item["end"] = item["end"], item["start"]


def _first_talk_twice(data: dict) -> None:
    talk = next(i for i in data["workshops"][0]["items"] if i["kind"] == "keynote")
    data["workshops"][1]["items"].insert(1, dict(talk))


def _first_talk_twice_in_its_workshop(data: dict) -> None:
    items = data["workshops"][0]["items"]
    talk = next(i for i, item in enumerate(items) if item["kind"] == "initiative")
    items.insert(talk + 1, dict(items[talk]))


def set_first_talk(data: dict, value: str) -> None:
    for item in data["workshops"][0]["items"]:
        if item["kind"] == "keynote":
            item["proposal"] = value


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (lambda d: set_first_talk(d, "zz"), 2, "unknown proposal 'zz'"),
        (lambda d: d.update(instance="other"), 2, "is for instance 'other', not 'hostile'"),
        (lambda d: d["workshops"][0].update(slot="nowhere"), 2, "unknown slot 'nowhere'"),
        (lambda d: d["workshops"][1].update(slot=d["workshops"][0]["slot"]), 2, "already holds"),
        (lambda d: d["workshops"][0].update(room="attic"), 2, "is in room"),
        (lambda d: d["workshops"][0].update(theme="cooking"), 2, "unknown theme 'cooking'"),
        (lambda d: d["workshops"][0].update(language="de"), 2, "unknown language 'de'"),
        (lambda d: d["workshops"][0].update(end=d["workshops"][0]["start"]), 2, "ends before"),
        (lambda d: _item_backwards(d["workshops"][0]["items"][1]), 2, "item ends before"),
        (lambda d: _first_talk_twice(d), 2, "is also in the workshop of slot"),
        # (it said "is also in the workshop of" the very same slot)
        (_first_talk_twice_in_its_workshop, 2, "is given twice in this workshop (items["),
        (lambda d: d["unscheduled"].append({"proposal": "ghost", "reasons": []}), 2, "'ghost'"),
        (lambda d: d.update(status="infeasible", workshops=[]), 1, "has no schedule"),
        (lambda d: d.update(status="maybe"), 2, "field 'status'"),
    ],
)
def test_cli_refuses_a_solution_that_does_not_fit(solution_file, capsys, change, code, message):
    bad = edited(solution_file, change)
    got, _, err = run(["export", "ics", str(HOSTILE), str(bad), "-o", str(bad.parent)], capsys)
    assert got == code
    assert message in err
    assert "Traceback" not in err


def test_cli_exports_a_schedule_breaking_hard_rules_with_a_warning(
    solved, solution_file, tmp_path, capsys
):
    """A schedule edited by hand may break hard rules: exported as it is (the
    coordinator's call), the first violations named, the validator's command given."""

    def other_language(data: dict) -> None:
        first = data["workshops"][0]
        first["language"] = "en" if first["language"] == "fr" else "fr"

    bad = edited(solution_file, other_language)
    out_dir = tmp_path / "out"
    code, out, err = run(["export", "ics", str(HOSTILE), str(bad), "-o", str(out_dir)], capsys)
    assert code == 0, err
    assert f"warning: {bad} breaks the hard rules" in err
    assert "✗ language:" in err
    assert f"scheduler validate {HOSTILE} {bad}" in err
    assert "Traceback" not in err
    assert len(read_icalendar(out_dir / "programme.ics")) == len(solved[1].workshops)


def test_cli_reports_missing_files_and_bad_options(solution_file, tmp_path, capsys):
    code, _, err = run(["export", "ics", str(HOSTILE), str(tmp_path / "nope.json")], capsys)
    assert code == 2 and "file not found" in err
    code, _, err = run(["export", "ics", str(tmp_path / "nope.yaml"), str(solution_file)], capsys)
    assert code == 2 and "file not found" in err
    code, _, err = run(
        ["export", "ics", str(HOSTILE), str(solution_file), "--stamp", "yesterday"], capsys
    )
    assert code == 2 and "--stamp" in err
    other = edited(solution_file, lambda d: d.update(instance="other"))
    code, _, err = run(
        ["export", "ics", str(HOSTILE), str(solution_file), "--reference", str(other)], capsys
    )
    assert code == 2 and "the reference is for instance 'other'" in err


def test_entry_point_runs_as_a_program(solved, solution_file, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scheduler",
            "export",
            "ics",
            str(HOSTILE),
            str(solution_file),
            "-o",
            str(tmp_path),
            "--items",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    solution = solved[1]
    events = len(solution.workshops) + len(solution.workshop_of())  # workshops and talks
    assert f"programme.ics ({events} events)" in done.stdout


def test_cli_notes_a_solution_solved_from_another_version_of_the_instance(
    solution_file, tmp_path, capsys
):
    older = edited(solution_file, lambda d: d.update(instance_hash="sha256:older"))
    code, out, err = run(["export", "ics", str(HOSTILE), str(older), "-o", str(tmp_path)], capsys)
    assert code == 0
    assert "another version of" in err and "wrote" in out


# -- several published versions ------------------------------------------------


def _other_language(workshop) -> None:
    workshop.language = "en" if workshop.language == "fr" else "fr"


def test_sequence_counts_the_changes_across_every_published_version(solved, tmp_path):
    """v1 and v2 published, v3 new: an event changed twice is at 2 (it kept 1, which
    clients ignore), one changed once stays at 1 (it fell to 0), a workshop cancelled
    in v2 and back in v3 is confirmed at 2 (it came back at 0, so clients kept it
    cancelled); one cancelled in v2 and still gone stays cancelled at 1."""
    instance, v1 = solved
    x, y, z = (workshop.slot for workshop in v1.workshops[:3])
    v2 = copy.deepcopy(v1)
    by_slot = {workshop.slot: workshop for workshop in v2.workshops}
    _other_language(by_slot[x])
    _other_language(by_slot[y])
    v2.workshops = [workshop for workshop in v2.workshops if workshop.slot != z]
    v3 = copy.deepcopy(v2)
    _other_language(next(workshop for workshop in v3.workshops if workshop.slot == x))
    still_gone = copy.deepcopy(v3)
    v3.workshops.append(copy.deepcopy(next(ws for ws in v1.workshops if ws.slot == z)))

    options = IcsOptions(items=True)
    write_ics(instance, v2, tmp_path / "v2", options, reference=v1)
    written = write_ics(instance, v3, tmp_path / "v3", options, reference=[v1, v2])
    write_ics(instance, still_gone, tmp_path / "gone", options, reference=[v1, v2])
    # the summary counts the restored workshop and its talks (it counted them nowhere)
    restored = 1 + len(next(ws for ws in v1.workshops if ws.slot == z).proposals)
    assert written[0].what.endswith(
        f" changed, {restored} added and 0 cancelled since the last reference"
    )
    before = read_icalendar(tmp_path / "v2" / "programme.ics")
    after = read_icalendar(tmp_path / "v3" / "programme.ics")
    gone = read_icalendar(tmp_path / "gone" / "programme.ics")

    def state(events: dict, slot: str) -> tuple[int, str]:
        event = events[workshop_uid(slot)]
        return int(event["SEQUENCE"]), str(event["STATUS"])

    assert [state(before, s) for s in (x, y, z)] == [
        (1, "CONFIRMED"),
        (1, "CONFIRMED"),
        (1, "CANCELLED"),
    ]
    assert [state(after, s) for s in (x, y, z)] == [
        (2, "CONFIRMED"),
        (1, "CONFIRMED"),
        (2, "CONFIRMED"),
    ]
    assert state(gone, z) == (1, "CANCELLED")
    talks = [talk_uid(p) for p in v1.workshops[2].proposals]
    assert {(int(after[t]["SEQUENCE"]), str(after[t]["STATUS"])) for t in talks} == {
        (2, "CONFIRMED")
    }
    for uid, event in before.items():  # never lower along the chain
        assert int(after[uid]["SEQUENCE"]) >= int(event["SEQUENCE"]), uid
        assert int(gone[uid]["SEQUENCE"]) >= int(event["SEQUENCE"]), uid
    # the speakers' calendars, whose speakers left nothing, carry the same SEQUENCE as
    # the programme, on their own UIDs
    for path in (tmp_path / "v3" / "speakers").glob("*.ics"):
        for uid, event in read_icalendar(path).items():
            assert event["SEQUENCE"] == after[programme_uid(uid)]["SEQUENCE"], (path, uid)


@pytest.mark.parametrize("v3_revision", [2, 0], ids=["re-solved", "solved-afresh"])
def test_sequence_rises_above_what_clients_hold_given_only_the_last_publication(
    v3_revision, solved, tmp_path
):
    """v1 and v2 published, v3 exported against v2 alone: the workshop cancelled in v2
    and restored in v3 came back at 0 under its cancellation's 1, and one changed in
    both at 1, as clients held it. Each solution's revision (a re-solve's is its
    reference's plus one, and one exported is past every reference) keeps a change above
    every SEQUENCE published before, v3 solved afresh too (revision 0)."""
    instance, v1 = solved
    x, y, z = (workshop.slot for workshop in v1.workshops[:3])
    v2 = copy.deepcopy(v1)
    v2.revision = 1
    by_slot = {workshop.slot: workshop for workshop in v2.workshops}
    _other_language(by_slot[x])
    _other_language(by_slot[y])
    v2.workshops = [workshop for workshop in v2.workshops if workshop.slot != z]
    v3 = copy.deepcopy(v2)
    v3.revision = v3_revision
    _other_language(next(workshop for workshop in v3.workshops if workshop.slot == x))
    v3.workshops.append(copy.deepcopy(next(ws for ws in v1.workshops if ws.slot == z)))

    options = IcsOptions(items=True)
    write_ics(instance, v2, tmp_path / "v2", options, reference=v1)
    write_ics(instance, v3, tmp_path / "all", options, reference=[v1, v2])
    write_ics(instance, v3, tmp_path / "last", options, reference=v2)
    held = read_icalendar(tmp_path / "v2" / "programme.ics")
    for folder in ("all", "last"):
        sent = read_icalendar(tmp_path / folder / "programme.ics")
        for slot in (x, z):  # changed since v2: above what clients hold
            uid = workshop_uid(slot)
            assert int(sent[uid]["SEQUENCE"]) > int(held[uid]["SEQUENCE"]), (folder, slot)
            assert str(sent[uid]["STATUS"]) == "CONFIRMED"
        for proposal in next(ws for ws in v1.workshops if ws.slot == z).proposals:
            uid = talk_uid(proposal)
            assert int(sent[uid]["SEQUENCE"]) > int(held[uid]["SEQUENCE"]), (folder, uid)
        # unchanged since v2: nothing for a client to take (given v2 alone, at or below it)
        assert sent[workshop_uid(y)]["DESCRIPTION"] == held[workshop_uid(y)]["DESCRIPTION"]
    every = read_icalendar(tmp_path / "all" / "programme.ics")
    assert [int(every[workshop_uid(s)]["SEQUENCE"]) for s in (x, y, z)] == [2, 1, 2]


def test_a_re_solve_is_one_revision_after_its_reference(solved):
    instance, published = solved
    assert published.revision == 0
    _, current = resolved_without_chloe_on_her_day(published)
    assert current.revision == 1
    again = solve(instance, "sha256:v3", OPTIONS, reference=current)
    assert again.revision == 2


def test_cli_takes_every_published_version_oldest_first(solved, solution_file, tmp_path, capsys):
    instance, v1 = solved
    v2 = copy.deepcopy(v1)
    _other_language(v2.workshops[0])
    v3 = copy.deepcopy(v2)
    _other_language(v3.workshops[0])
    paths = [v.write(tmp_path / f"v{i}.json") for i, v in enumerate((v1, v2, v3), 1)]
    references = ["--reference", str(paths[0]), "--reference", str(paths[1])]
    out_dir = tmp_path / "out"
    code, out, err = run(
        ["export", "ics", str(HOSTILE), str(paths[2]), "-o", str(out_dir), *references], capsys
    )
    assert code == 0, err
    assert "1 changed and 0 cancelled since the last reference" in out
    events = read_icalendar(out_dir / "programme.ics")
    assert int(events[workshop_uid(v1.workshops[0].slot)]["SEQUENCE"]) == 2


# -- the calendar's own texts --------------------------------------------------


def test_calendar_name_is_escaped_text_both_parsers_read_whole(solved, tmp_path):
    # NAME and X-WR-CALNAME were written raw: vobject read "Commons AI, 2026; …" as
    # "Commons AI"
    data = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
    title = "Commons AI, 2026; édition \\ test"
    data["event"]["title"] = title
    instance = parse_instance(data, "hostile.yaml")
    solution = solved[1]
    write_ics(instance, solution, tmp_path)
    speaker = next(iter(sorted((tmp_path / "speakers").glob("*.ics"))))
    name = instance.speaker_by_id[speaker.stem].name
    for path, wanted in ((tmp_path / "programme.ics", title), (speaker, f"{title} — {name}")):
        raw = path.read_bytes()
        assert b"NAME;VALUE=TEXT:Commons AI\\, 2026\\; \xc3\xa9dition \\\\ test" in raw
        calendar = icalendar.Calendar.from_ical(raw)
        assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == wanted
        other = vobject.readOne(raw.decode("utf-8"))
        assert other.contents["name"][0].value == wanted
        assert other.contents["x-wr-calname"][0].value == wanted


# -- the warning about hard rules ----------------------------------------------


def test_cli_checks_a_re_solve_against_its_reference_not_as_breaking_rules(
    solved, tmp_path, capsys, monkeypatch
):
    """A re-solve counts `moved` against the published schedule: checked without it, its
    objective differed and the export said it broke the hard rules."""
    # (before the event: once it has begun, a re-solve without --keep-before is warned of)
    monkeypatch.setattr("scheduler.keep.now", lambda: datetime(2000, 1, 1, tzinfo=UTC))
    _, published = solved
    data = without_chloe_on_her_day(published)
    instance_path = tmp_path / "hostile-v2.yaml"
    instance_path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    instance = load_instance(instance_path)
    current = solve(instance, instance_hash(instance_path), OPTIONS, reference=published)
    moved = current.penalty_totals().get("moved", 0)
    assert moved > 0
    new = current.write(tmp_path / "new.json")
    old = published.write(tmp_path / "published.json")
    argv = ["export", "ics", str(instance_path), str(new), "-o", str(tmp_path / "out")]
    code, _, err = run([*argv, "--reference", str(old)], capsys)
    assert code == 0, err
    assert "warning" not in err and "note: the objective" not in err
    # without the reference: a note on `moved`, not a broken hard rule
    code, _, err = run(argv, capsys)
    assert code == 0, err
    assert "breaks the hard rules" not in err
    assert f"counts `moved` {moved} against a published schedule; pass --reference" in err
    # an objective edited by hand: a warning of its own, still no broken hard rule
    edited_objective = edited(new, lambda d: d.update(objective=d["objective"] + 7))
    argv[3] = str(edited_objective)
    code, _, err = run([*argv, "--reference", str(old)], capsys)
    assert code == 0, err
    assert "breaks the hard rules" not in err
    assert f"the objective of {edited_objective} is {current.objective + 7}, recomputed" in err
    # every published version, oldest first, the one exported among them (the docs ask
    # for it): checked against the version before it, not against itself (a warning
    # asked whether it was solved against itself)
    argv[3] = str(new)
    code, _, err = run([*argv, "--reference", str(old), "--reference", str(new)], capsys)
    assert code == 0, err
    assert "warning" not in err and "note: the objective" not in err
    # the last reference is not the one it was solved against, which the warning asks
    other = solve(instance, instance_hash(instance_path), OPTIONS)
    other_path = other.write(tmp_path / "other.json")
    recounted = validate(instance, current, other).costs.get("moved", 0)
    assert recounted != moved
    code, _, err = run([*argv, "--reference", str(old), "--reference", str(other_path)], capsys)
    assert code == 0, err
    flat = " ".join(err.split())
    assert (
        f"(it counts `moved` {moved}, {recounted} against {other_path}: was it solved "
        "against that one?"
    ) in flat
    assert "give every published version, oldest first)" in flat


# -- --stamp, and times the exports cannot write --------------------------------


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00", "9999-12-31T23:59:59-05:00", "1926-10-15"]
)
def test_a_stamp_out_of_range_is_refused(stamp, solution_file, tmp_path, capsys):
    # year 1 overflowed, and a typo for 2026 failed the XLSX's zip: tracebacks both
    target = tmp_path / "out"
    argv = ["export", "all", str(HOSTILE), str(solution_file), "-o", str(target)]
    code, _, err = run([*argv, "--stamp", stamp], capsys)
    assert code == 2 and "Traceback" not in err and not target.exists()
    assert "a publication time between the years 1980 and 9998 is needed" in " ".join(err.split())


def test_stamp_without_an_offset_is_the_events_local_time(solution_file, tmp_path, capsys):
    argv = ["export", "ics", str(HOSTILE), str(solution_file), "-o", str(tmp_path / "out")]
    code, _, err = run([*argv, "--stamp", "2026-10-15T09:00:00"], capsys)
    assert code == 0, err
    for event in read_icalendar(tmp_path / "out" / "programme.ics").values():
        # Paris is at +02:00 in October: 09:00 there, 07:00 UTC (it was read as 09:00 UTC)
        assert event.decoded("DTSTAMP") == datetime(2026, 10, 15, 7, 0, tzinfo=UTC)


def test_stamp_now_is_the_commands_moment(solution_file, tmp_path, capsys, monkeypatch):
    # on site, `--keep-before now` was taken and `--stamp now` refused
    monkeypatch.setattr("scheduler.keep.now", lambda: datetime(2026, 12, 2, 9, 30, 5, 700, UTC))
    argv = ["export", "ics", str(HOSTILE), str(solution_file), "-o", str(tmp_path / "out")]
    code, _, err = run([*argv, "--stamp", "now"], capsys)
    assert code == 0, err
    for event in read_icalendar(tmp_path / "out" / "programme.ics").values():
        # (to the second up, as `--keep-before now` takes the moment)
        assert event.decoded("DTSTAMP") == datetime(2026, 12, 2, 9, 30, 6, tzinfo=UTC)


@pytest.mark.parametrize("command", ["ics", "csv", "all"])
@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["workshops"][0].update(start="0001-01-01T00:00:00+01:00"), "start"),
        (
            lambda d: d["workshops"][0]["items"][-1].update(end="9999-12-31T23:30:00-01:00"),
            "items[{last}].end",
        ),
    ],
    ids=["year-1", "year-9999"],
)
def test_cli_refuses_a_time_out_of_range_naming_its_field(
    solution_file, tmp_path, capsys, command, change, field
):
    # a workshop at 0001-01-01T00:00:00+01:00 ended in an OverflowError's traceback
    # (refused where the solution is read: scheduler/solution.py, `Instant`)
    bad = edited(solution_file, change)
    last = len(json.loads(bad.read_text(encoding="utf-8"))["workshops"][0]["items"]) - 1
    target = tmp_path / "out" / ("programme.csv" if command == "csv" else "")
    code, _, err = run(["export", command, str(HOSTILE), str(bad), "-o", str(target)], capsys)
    assert code == 2
    assert "Traceback" not in err
    message = " ".join(err.split())
    slot = json.loads(bad.read_text(encoding="utf-8"))["workshops"][0]["slot"]
    assert f"workshops[0] (slot '{slot}'), field '{field.format(last=last)}': year " in message
    assert "is out of range" in message
    assert not (tmp_path / "out").exists()


def test_the_minutes_left_after_the_closing_are_said_free(tmp_path):
    # "11:20 Clôture, 11:30 Fin" read as a ten-minute closing
    root = Path(__file__).parent.parent
    instance = load_instance(root / "instances" / "commons-ai-2026.yaml")
    solution = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    idle = [w for w in solution.workshops if w.items[-1].end < w.end]
    assert idle
    write_ics(instance, solution, tmp_path)
    events = read_icalendar(tmp_path / "programme.ics")
    for workshop in idle:
        text = str(
            events[f"{instance.name}/workshop/{workshop.slot}@commons-scheduler"]["DESCRIPTION"]
        )
        closing = instance.local(workshop.items[-1].end)
        assert f"\n{closing:%H:%M}  Temps libre\n{instance.local(workshop.end):%H:%M}  Fin" in text


def test_a_cancelled_event_says_so_in_the_labels_language(solved, tmp_path):
    instance, published = solved
    current = copy.deepcopy(published)
    dropped = current.workshops.pop()
    current.unscheduled += [Unscheduled(proposal=p, reasons=["out"]) for p in dropped.proposals]
    write_ics(instance, current, tmp_path, IcsOptions(lang="en"), reference=published)
    event = read_icalendar(tmp_path / "programme.ics")[workshop_uid(dropped.slot)]
    assert str(event["SUMMARY"]).startswith(f"CANCELLED — [{dropped.language.upper()}] ")
    assert str(event["DESCRIPTION"]).startswith(
        "Cancelled: this workshop will not take place. "
        "For reference, this is what was published:\n\n"
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_cancelled_talk_says_so_in_the_labels_language(lang, solved, tmp_path):
    # an English workshop dropped, the calendars in French: its English talks read
    # "CANCELLED — <title>" under LANGUAGE=en, the only English words of the calendar
    # around a French DESCRIPTION line (« Annulé : n'a plus lieu comme publié
    # ci-dessous. », said of a talk too)
    instance, published = solved
    current = copy.deepcopy(published)
    dropped = next(w for w in current.workshops if w.language == "en")
    current.workshops.remove(dropped)
    current.unscheduled += [Unscheduled(proposal=p, reasons=["out"]) for p in dropped.proposals]
    options = IcsOptions(items=True, lang=lang)
    write_ics(instance, current, tmp_path, options, reference=published)
    events = read_icalendar(tmp_path / "programme.ics")
    word, workshop_note, talk_note = {
        "fr": (
            "ANNULÉ",
            "Annulé\u00a0: cet atelier n'aura pas lieu. Pour mémoire, voici ce qui avait été publié\u00a0:",
            "Annulée\u00a0: cette intervention n'aura pas lieu. "
            "Pour mémoire, voici ce qui avait été publié\u00a0:",
        ),
        "en": (
            "CANCELLED",
            "Cancelled: this workshop will not take place. "
            "For reference, this is what was published:",
            "Cancelled: this talk will not take place. For reference, this is what was published:",
        ),
    }[lang]
    workshop = events[workshop_uid(dropped.slot)]
    assert str(workshop["SUMMARY"]).startswith(f"{word} — ")
    assert str(workshop["DESCRIPTION"]).startswith(f"{workshop_note}\n\n")
    for proposal_id in dropped.proposals:
        talk = events[talk_uid(proposal_id)]
        talk_word = "ANNULÉE" if word == "ANNULÉ" else word  # (« une intervention »)
        language = instance.proposal_by_id[proposal_id].language.value
        title = published.titles[proposal_id]
        assert str(talk["SUMMARY"]) == f"{talk_word} — [{language.upper()}] {title}"
        # LANGUAGE where the title is in the labels' language too, else none
        assert talk["SUMMARY"].params.get("LANGUAGE") == (lang if language == lang else None)
        assert str(talk["DESCRIPTION"]).startswith(f"{talk_note}\n\n")


def test_a_withdrawn_talk_is_cancelled_under_its_title(tmp_path):
    # the cancelled event of a proposal withdrawn from the instance read "Keynote :
    # p-data-centers-angle-mort-115afc": its title is the published solution's
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    gone = published.workshops[0].proposals[-1]
    data["proposals"] = [p for p in data["proposals"] if p["id"] != gone]
    instance = parse_instance(data, "smaller.yaml")
    current = published.model_copy(deep=True)
    current.workshops[0].items = [i for i in current.workshops[0].items if i.proposal != gone]
    write_ics(instance, current, tmp_path, IcsOptions(items=True), reference=published)
    events = read_icalendar(tmp_path / "programme.ics")
    cancelled = events[f"{instance.name}/talk/{gone}@commons-scheduler"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    badge = published.workshops[0].language.upper()  # (withdrawn: its workshop's language)
    assert str(cancelled["SUMMARY"]) == f"ANNULÉE — [{badge}] {published.titles[gone]}"


def test_the_speakers_of_a_withdrawn_talk_have_its_cancelled_workshop(tmp_path):
    # p05 withdrawn, its workshop cancelled: s07 and s08, still in the instance, got no
    # calendar and kept the workshop as confirmed (their link to p05 was the instance's)
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    (workshop,) = (w for w in published.workshops if "p05" in w.proposals)
    data["proposals"] = [p for p in data["proposals"] if p["id"] != "p05"]
    instance = parse_instance(data, "smaller.yaml")
    current = published.model_copy(deep=True)
    current.workshops = [w for w in current.workshops if w.slot != workshop.slot]
    write_ics(instance, current, tmp_path, IcsOptions(items=True), reference=published)
    uid = ics.workshop_uid(instance, workshop.slot)
    for speaker in published.speakers["p05"]:
        events = read_icalendar(tmp_path / "speakers" / f"{speaker}.ics")
        assert str(events[ics.speaker_event_uid(instance, speaker, uid)]["STATUS"]) == "CANCELLED"
        talk = events[ics.speaker_event_uid(instance, speaker, ics.talk_uid(instance, "p05"))]
        assert str(talk["STATUS"]) == "CANCELLED"
    # an older file, without the map: as before, no calendar for them
    older = published.model_copy(update={"speakers": {}})
    out = tmp_path / "older"
    write_ics(instance, current, out, IcsOptions(items=True), reference=older)
    assert not (out / "speakers" / f"{published.speakers['p05'][0]}.ics").exists()


def test_a_speaker_gone_from_the_instance_has_her_talk_cancelled_in_her_calendar(tmp_path):
    # p05 and its speakers withdrawn: their calendars, which they may still follow, were
    # not written at all and kept the talk and its workshop as confirmed
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    speakers = published.speakers["p05"]
    elsewhere = {s for p in data["proposals"] if p["id"] != "p05" for s in p["speakers"]}
    assert not set(speakers) & elsewhere  # (they speak nowhere else)
    data["proposals"] = [p for p in data["proposals"] if p["id"] != "p05"]
    data["speakers"] = [s for s in data["speakers"] if s["id"] not in speakers]
    instance = parse_instance(data, "smaller.yaml")
    (workshop,) = (w for w in published.workshops if "p05" in w.proposals)
    current = published.model_copy(deep=True)
    for w in current.workshops:
        w.items = [i for i in w.items if i.proposal != "p05"]
    write_ics(instance, current, tmp_path, IcsOptions(items=True), reference=published)
    # the workshop goes on without her talk: in the programme, her talk out of its
    # timeline, and a line under it saying it is no longer there
    programme = read_icalendar(tmp_path / "programme.ics")
    going_on = programme[ics.workshop_uid(instance, workshop.slot)]
    assert str(going_on["STATUS"]) == "CONFIRMED" and int(going_on["SEQUENCE"]) == 1
    _, timeline, departed = str(going_on["DESCRIPTION"]).split("\n\n")
    assert published.titles["p05"] not in timeline
    title = published.titles["p05"]
    assert departed == f"Ne fait plus partie de cet atelier\u00a0: «\u00a0{title}\u00a0»"
    for speaker in speakers:
        path = tmp_path / "speakers" / f"{speaker}.ics"
        events = read_icalendar(path)
        talk = events[ics.speaker_event_uid(instance, speaker, ics.talk_uid(instance, "p05"))]
        assert str(talk["STATUS"]) == "CANCELLED"
        assert str(talk["SUMMARY"]).endswith(published.titles["p05"])
        # the workshop, which goes on without her, is cancelled in her calendar alone
        # (under her own UID; it was there, confirmed, as it is now), saying her talk
        # was withdrawn (BIG-15: « cet atelier a toujours lieu, mais sans vous » did not
        # say what became of it)
        mine = events[
            ics.speaker_event_uid(instance, speaker, ics.workshop_uid(instance, workshop.slot))
        ]
        assert str(mine["STATUS"]) == "CANCELLED" and int(mine["SEQUENCE"]) == 1
        assert str(mine["DESCRIPTION"]).startswith(
            f"Annulé dans ce calendrier\u00a0: votre intervention «\u00a0{title}\u00a0» a été "
            "retirée du programme."
        )
        assert title in str(mine["DESCRIPTION"])  # (as she held it)
        assert {str(e["STATUS"]) for e in events.values()} == {"CANCELLED"}
        # named as the published solution recorded her (by her id before: the instance
        # no longer has her)
        assert published.speaker_labels()[speaker] in str(talk["DESCRIPTION"])
        # her calendar by her name alone, as every speaker's (not with her affiliation)
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert str(calendar["X-WR-CALNAME"]).endswith(f"— {published.speaker_names[speaker]}")
    # a speaker who was in no published version still gets no calendar
    assert {p.stem for p in (tmp_path / "speakers").glob("*.ics")} == {
        s.id for s in instance.speakers if any(s.id in p.speakers for p in instance.proposals)
    } | set(speakers)


def _bundled_and_a_re_solve(
    tmp_path: Path, revision: int, events: bool = False
) -> tuple[Path, Path, Path]:
    """The bundled instance, its published solution, and a copy of that solution written
    as a re-solve of it at `revision` (one `moved` term of 50 counted), with the calendar
    events `solve --reference` records when `events` is set."""
    root = Path(__file__).parent.parent
    first = root / "solutions" / "commons-ai-2026.json"
    document = json.loads(first.read_text(encoding="utf-8"))
    document["penalties"].append({"rule": "moved", "cost": 50, "proposals": ["p02"]})
    document["objective"] += 50
    document["revision"] = revision
    if events:
        solution = Solution.model_validate(document)
        document["events"] = [e.model_dump() for e in calendar_events([solution])[-1]]
    resolved = tmp_path / "v2.json"
    resolved.write_text(json.dumps(document), encoding="utf-8")
    return root / "instances" / "commons-ai-2026.yaml", first, resolved


@pytest.mark.parametrize(
    ("revision", "events", "said"),
    [
        # written before solutions had a revision: its SEQUENCEs can fall, a warning
        (0, False, "warning: {resolved}, the oldest --reference, was re-solved against an"),
        # its revision and its calendar events keep SEQUENCEs up and UIDs the same: only
        # earlier cancellations are not sent again
        (1, True, "note: {resolved}, the oldest --reference, is a re-solve (revision 1)"),
        # written before solutions recorded their events: a replacement workshop's UID
        # would be counted from it (LIVE-6), a warning that says so
        (
            1,
            False,
            "warning: {resolved}, the oldest --reference, is a re-solve (revision 1) written "
            "by an earlier version, without its workshops' calendar events",
        ),
    ],
)
def test_an_oldest_reference_that_is_a_re_solve_asks_for_the_one_before(
    revision, events, said, tmp_path, capsys
):
    # given only the last publication, an event changed in two re-publications got the
    # SEQUENCE it already had, which clients ignore, and nothing said so; the re-solve
    # counts `moved` against the schedule it was solved against, so that one existed
    bundled, first, resolved = _bundled_and_a_re_solve(tmp_path, revision, events)
    for references, shown in (([resolved], True), ([first, resolved], False)):
        argv = ["export", "ics", str(bundled), str(first), "-o", str(tmp_path / "out")]
        for path in references:
            argv += ["--reference", str(path)]
        code, _, err = run(argv, capsys)
        assert code == 0, err
        assert (said.format(resolved=resolved) in " ".join(err.split())) == shown


def test_a_speaker_whose_talk_left_a_workshop_has_it_cancelled_in_hers(tmp_path, capsys):
    # her talk withdrawn, its workshop going on: her calendar was not written (without
    # --items), and the file of the last export, or a client that imported it, kept
    # her talk there as published; then it held the workshop confirmed, as it is now
    # (it shared the programme's UID): cancelled in her calendar alone
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published_path = root / "solutions" / "commons-ai-2026.json"
    published = Solution.model_validate_json(published_path.read_text(encoding="utf-8"))
    workshop = next(w for w in published.workshops if len(w.proposals) > 2)
    gone = workshop.proposals[-1]
    (speaker,) = next(p for p in data["proposals"] if p["id"] == gone)["speakers"]
    data["proposals"] = [p for p in data["proposals"] if p["id"] != gone]
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    current = published.model_copy(deep=True)
    held = next(w for w in current.workshops if w.slot == workshop.slot)
    held.items = [i for i in held.items if i.proposal != gone]
    solution = tmp_path / "current.json"
    solution.write_text(current.to_json(), encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run(
        ["export", "ics", str(smaller), str(solution), "--reference", str(published_path)]
        + ["-o", str(out)],
        capsys,
    )
    assert code == 0, err
    instance = load_instance(smaller)
    events = read_icalendar(out / "speakers" / f"{speaker}.ics")
    uid = ics.workshop_uid(instance, workshop.slot)
    event = events[ics.speaker_event_uid(instance, speaker, uid)]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert str(event["DESCRIPTION"]).startswith("Annulé dans ce calendrier")
    # the programme's goes on, without her talk
    going_on = read_icalendar(out / "programme.ics")[uid]
    assert str(going_on["STATUS"]) == "CONFIRMED" and int(going_on["SEQUENCE"]) == 1
    name = next(s["name"] for s in data["speakers"] if s["id"] == speaker)
    assert name not in str(going_on["DESCRIPTION"])
    assert f"speakers/{speaker}.ics" not in " ".join(err.split())  # (no "as it is now")


def test_a_speaker_taken_off_a_talk_since_gets_her_calendar_again(tmp_path):
    # the published calendars were rendered with the instance's speakers as they are now:
    # s22, replaced on p16 since, was in none of them, and hers was not written again
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    assert published.speakers["p16"] == ["s22"]
    proposal = next(p for p in data["proposals"] if p["id"] == "p16")
    proposal["speakers"] = ["s21"]
    instance = parse_instance(data, "swapped.yaml")
    write_ics(instance, published, tmp_path, IcsOptions(), reference=published)
    workshop = next(w for w in published.workshops if "p16" in w.proposals)
    events = read_icalendar(tmp_path / "speakers" / "s22.ics")
    uid = ics.workshop_uid(instance, workshop.slot)
    event = events[ics.speaker_event_uid(instance, "s22", uid)]
    # cancelled there, as published with her (it kept it confirmed, as it is now)
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert "Giulia Romano" in str(event["DESCRIPTION"])  # (s22)
    going_on = read_icalendar(tmp_path / "programme.ics")[uid]
    assert str(going_on["STATUS"]) == "CONFIRMED"
    assert "Giulia Romano" not in str(going_on["DESCRIPTION"])


def bundled() -> tuple[dict, Solution]:
    """The bundled instance's data and its bundled (published) solution."""
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(
        (root / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    return data, published


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_workshops_of_one_theme_are_told_apart_by_their_keynote(lang, tmp_path):
    # "Atelier — <theme> [FR]": 8 texts for the 12 workshops, two of a theme alike in a
    # calendar's week view
    data, published = bundled()
    instance = parse_instance(data, "commons-ai-2026.yaml")
    write_ics(instance, published, tmp_path, IcsOptions(lang=lang))
    events = read_icalendar(tmp_path / "programme.ics")
    summaries = []
    for workshop in published.workshops:
        keynote = next(i.proposal for i in workshop.items if i.kind == ItemKind.KEYNOTE)
        proposal = instance.proposal_by_id[keynote]
        summary = events[ics.workshop_uid(instance, workshop.slot)]["SUMMARY"]
        assert str(summary) == f"[{workshop.language.upper()}] {proposal.title}"
        # the language of its title, which is all its text but the tag
        assert summary.params.get("LANGUAGE") == proposal.language.value
        summaries.append(str(summary))
    themes = [w.theme for w in published.workshops]
    assert len(set(themes)) < len(themes)
    assert len(set(summaries)) == len(summaries)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_phone_s_short_line_shows_the_language_and_what_tells_events_apart(lang, tmp_path):
    # A11Y-6: « Atelier — <keynote title> [FR] », 70 to 99 characters, on a phone's line
    # of 25 to 40: the tag always cut off, « Atelier — » the same on every event, and a
    # talk's own event told no language at all (only its LANGUAGE parameter)
    data, published = bundled()
    instance = parse_instance(data, "commons-ai-2026.yaml")
    write_ics(instance, published, tmp_path, IcsOptions(lang=lang, items=True))
    events = read_icalendar(tmp_path / "programme.ics")
    workshops = [e for u, e in events.items() if "/workshop/" in u]
    talks = {u: e for u, e in events.items() if "/talk/" in u}
    assert len(workshops) == 12 and len(talks) > 12
    for workshop in published.workshops:
        summary = str(events[ics.workshop_uid(instance, workshop.slot)]["SUMMARY"])
        assert summary[:25].startswith(f"[{workshop.language.upper()}] "), summary
    for proposal_id, talk in ((p, talks[ics.talk_uid(instance, p)]) for p in talks_of(published)):
        language = instance.proposal_by_id[proposal_id].language.value
        assert str(talk["SUMMARY"]) == f"[{language.upper()}] {published.titles[proposal_id]}"
        assert talk["SUMMARY"].params["LANGUAGE"] == language
    # no word shared by every event at their start: 25 characters tell the workshops apart
    assert len({str(e["SUMMARY"])[:25] for e in workshops}) == len(workshops)
    assert not any(str(e["SUMMARY"]).startswith(("Atelier", "Workshop")) for e in workshops)
    # the kind is in CATEGORIES (and on the DESCRIPTION's first line), after the theme
    word = {"fr": "Atelier", "en": "Workshop"}[lang]
    for event in workshops:
        assert [str(c) for c in event["CATEGORIES"].cats][1:] == [word]
        assert str(event["DESCRIPTION"]).startswith(word)
    kinds = {str(c) for e in talks.values() for c in e["CATEGORIES"].cats[1:]}
    assert kinds == {"Keynote", "Initiative"}
    # a cancellation's word still comes first: « ANNULÉ — [FR] … »
    current = published.model_copy(deep=True)
    dropped = current.workshops.pop()
    write_ics(instance, current, tmp_path / "v2", IcsOptions(lang=lang), reference=published)
    cancelled = read_icalendar(tmp_path / "v2" / "programme.ics")[
        ics.workshop_uid(instance, dropped.slot)
    ]
    stamp = {"fr": "ANNULÉ", "en": "CANCELLED"}[lang]
    assert str(cancelled["SUMMARY"]).startswith(f"{stamp} — [{dropped.language.upper()}] ")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_with_items_a_workshop_and_its_keynote_read_apart_at_a_glance(lang, tmp_path):
    # CAL: under --items a workshop's event and its keynote's read the same SUMMARY
    # (« [FR] <keynote title> » both): only their times and CATEGORIES told them apart
    data, published = bundled()
    instance = parse_instance(data, "commons-ai-2026.yaml")
    write_ics(instance, published, tmp_path, IcsOptions(lang=lang, items=True))
    events = read_icalendar(tmp_path / "programme.ics")
    word = {"fr": "Atelier\u00a0: ", "en": "Workshop: "}[lang]
    for workshop in published.workshops:
        event = events[ics.workshop_uid(instance, workshop.slot)]
        keynote = ics.lead_talk(workshop)
        talk = events[ics.talk_uid(instance, keynote)]
        title = instance.proposal_by_id[keynote].title
        tag = f"[{ics.language_badge(workshop.language)}] "
        # the workshop's names it a workshop, after its language; the talk's is the talk
        assert str(event["SUMMARY"]) == f"{tag}{word}{title}"
        assert str(talk["SUMMARY"]) == f"[{title_language(instance, keynote).upper()}] {title}"
        # apart within what a phone's line shows
        assert str(event["SUMMARY"])[:25] != str(talk["SUMMARY"])[:25]
        # LANGUAGE only where the label and the title share one
        spoken = title_language(instance, keynote)
        assert event["SUMMARY"].params.get("LANGUAGE") == (spoken if spoken == lang else None)
    # the workshops still told apart from one another on a phone's line
    workshops = [str(e["SUMMARY"])[:25] for u, e in events.items() if "/workshop/" in u]
    assert len(set(workshops)) == len(workshops) == 12
    # the speakers', rooms' and themes' calendars hold the programme's event as it is
    for path in (tmp_path / "rooms").glob("*.ics"):
        for uid, event in read_icalendar(path).items():
            assert event["SUMMARY"] == events[uid]["SUMMARY"]
    # without --items, no talk's event beside it: the SUMMARY as before, the title alone
    write_ics(instance, published, tmp_path / "plain", IcsOptions(lang=lang))
    plain = read_icalendar(tmp_path / "plain" / "programme.ics")
    assert not any(word in str(e["SUMMARY"]) for e in plain.values())
    # published as it is: no event's SEQUENCE raised, no UID moved
    options = IcsOptions(lang=lang, items=True)
    write_ics(instance, published, tmp_path / "v2", options, reference=published)
    again = read_icalendar(tmp_path / "v2" / "programme.ics")
    assert set(again) == set(events)
    assert {int(e["SEQUENCE"]) for e in again.values()} == {0}


def title_language(instance: Instance, proposal_id: str) -> str:
    return instance.proposal_by_id[proposal_id].language.value


def talks_of(solution: Solution) -> list[str]:
    """The keynotes and initiatives of a solution, workshop by workshop."""
    return [
        i.proposal
        for w in solution.workshops
        for i in w.items
        if i.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE)
    ]


def test_a_workshops_summary_gives_its_lead_title_on_one_short_line(tmp_path):
    data, published = bundled()
    workshop = published.workshops[0]
    keynote = next(i.proposal for i in workshop.items if i.kind == ItemKind.KEYNOTE)
    long = "Un titre\nsur deux lignes, " + "et très long " * 12 + "jusqu'au bout"
    next(p for p in data["proposals"] if p["id"] == keynote)["title"] = long
    instance = parse_instance(data, "commons-ai-2026.yaml")
    write_ics(instance, published, tmp_path)
    event = read_icalendar(tmp_path / "programme.ics")[ics.workshop_uid(instance, workshop.slot)]
    summary = str(event["SUMMARY"])
    assert summary.startswith("[FR] Un titre sur deux lignes, et très long et ")
    assert summary.endswith(" très…") and "\n" not in summary
    assert len(summary) <= len("[FR] ") + ics.LEAD_CHARS
    assert " ".join(long.split()) in " ".join(str(event["DESCRIPTION"]).split())
    assert ics.shortened("a " * 60, 20) == "a a a a a a a a a a…"
    assert ics.shortened("abcdefghijklmnopqrstuvwxyz", 10) == "abcdefghi…"
    # a workshop without talks is named by its theme, as before
    empty = workshop.model_copy(update={"items": []})
    theme = instance.theme_by_id[workshop.theme].label.fr
    assert ics.workshop_summary(instance, empty, "fr") == (f"[FR] {theme}", "fr")
    # without a keynote, by its first initiative
    initiatives = [i for i in workshop.items if i.kind == ItemKind.INITIATIVE]
    alone = workshop.model_copy(update={"items": initiatives})
    title = instance.proposal_by_id[initiatives[0].proposal].title
    assert ics.workshop_summary(instance, alone, "fr")[0] == f"[FR] {title}"
    # a mixed workshop: both languages, its title's language on the SUMMARY
    mixed = alone.model_copy(update={"language": "mixed"})
    assert ics.workshop_summary(instance, mixed, "en") == (f"[FR + EN] {title}", "fr")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_descriptions_say_which_clock_their_times_are_on(lang, tmp_path):
    # A11Y-8: Maria João Santos (s25, Lisbon, an hour behind Paris in December) saw her
    # talk at 14:30 on her phone and « 15:30 » in its text, with no word of the zone
    data, published = bundled()
    instance = parse_instance(data, "commons-ai-2026.yaml")
    write_ics(instance, published, tmp_path, IcsOptions(lang=lang, items=True))
    clock = {"fr": "Horaires\u00a0: heure de Paris (UTC+1)", "en": "Times: Paris time (UTC+1)"}
    hers = read_icalendar(tmp_path / "speakers" / "s25.ics")
    assert len(hers) == 2  # (her workshop and her talk)
    for event in hers.values():
        lines = str(event["DESCRIPTION"]).split("\n")
        assert lines.count(clock[lang]) == 1
        # right above the first time it gives
        timed = [n for n, line in enumerate(lines) if re.match(r"\d\d:\d\d", line)]
        assert timed and lines.index(clock[lang]) == timed[0] - 1
    for event in read_icalendar(tmp_path / "programme.ics").values():
        assert str(event["DESCRIPTION"]).count(clock[lang]) == 1
        assert clock["en" if lang == "fr" else "fr"] not in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("zone", "moment", "fr", "en"),
    [
        (
            "Europe/Paris",
            datetime(2027, 7, 5, 9, tzinfo=UTC),
            "heure de Paris (UTC+2)",
            "Paris time (UTC+2)",
        ),
        (
            "Europe/Amsterdam",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure d'Amsterdam (UTC+1)",
            "Amsterdam time (UTC+1)",
        ),
        (
            "America/Argentina/Buenos_Aires",
            datetime(2026, 12, 1, 14, tzinfo=UTC),
            "heure de Buenos Aires (UTC\u22123)",
            "Buenos Aires time (UTC\u22123)",
        ),
        (
            "Asia/Kolkata",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure de Calcutta (UTC+5:30)",  # (CLDR's French name)
            "Kolkata time (UTC+5:30)",
        ),
        # CAL: the city in the calendars' language, as CLDR names it: French calendars
        # read « heure de Lisbon », IANA's English
        (
            "Europe/Lisbon",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure de Lisbonne (UTC)",
            "Lisbon time (UTC)",
        ),
        (
            "Europe/London",
            datetime(2027, 7, 5, 9, tzinfo=UTC),
            "heure de Londres (UTC+1)",
            "London time (UTC+1)",
        ),
        (
            "Europe/Brussels",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure de Bruxelles (UTC+1)",
            "Brussels time (UTC+1)",
        ),
        (
            "Europe/Warsaw",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure de Varsovie (UTC+1)",
            "Warsaw time (UTC+1)",
        ),
        (
            "Europe/Athens",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure d'Athènes (UTC+2)",
            "Athens time (UTC+2)",
        ),
        # the article contracted: « heure du Caire », not « de Le Caire »
        (
            "Africa/Cairo",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure du Caire (UTC+2)",
            "Cairo time (UTC+2)",
        ),
        (
            "Atlantic/Canary",
            datetime(2026, 12, 1, 9, tzinfo=UTC),
            "heure des Îles Canaries (UTC)",
            None,  # (Canary or Canaries, as CLDR's version has it)
        ),
        (
            "Pacific/Easter",
            datetime(2026, 12, 1, 14, tzinfo=UTC),
            "heure de l'Île de Pâques (UTC\u22125)",
            None,  # (Easter or Easter Island)
        ),
        ("UTC", datetime(2026, 12, 1, 9, tzinfo=UTC), "UTC", "UTC"),
        ("Etc/GMT-1", datetime(2026, 12, 1, 9, tzinfo=UTC), "UTC+1", "UTC+1"),
        # a link named after no city, by the city of the zone it links to
        (
            "US/Eastern",
            datetime(2026, 12, 1, 14, tzinfo=UTC),
            "heure de New York (UTC\u22125)",
            "New York time (UTC\u22125)",
        ),
        # (CET links to Europe/Brussels, but means no city)
        ("CET", datetime(2026, 12, 1, 9, tzinfo=UTC), "UTC+1", "UTC+1"),
    ],
)
def test_the_clock_is_the_zone_s_city_and_its_offset_on_the_day(solved, zone, moment, fr, en):
    instance = solved[0].model_copy(deep=True)
    instance.event.timezone = zone
    assert ics.clock_line(instance, moment, "fr") == f"Horaires\u00a0: {fr}"
    if en is not None:
        assert ics.clock_line(instance, moment, "en") == f"Times: {en}"


def test_a_zone_without_a_known_city_gives_its_offset_alone(solved, monkeypatch):
    # a zone Babel cannot name: the offset, never a made-up or English city
    assert ics.zone_city("Nowhere/Atlantis", "fr") is None
    instance = solved[0].model_copy(deep=True)
    instance.event.timezone = "Europe/Lisbon"
    monkeypatch.setattr(ics, "zone_city", lambda zone, lang="en": None)
    moment = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert ics.clock_line(instance, moment, "fr") == "Horaires\u00a0: UTC"


def test_a_french_calendar_of_an_event_in_lisbon_reads_heure_de_lisbonne(tmp_path):
    # CAL: « Horaires : heure de Lisbon (UTC+0) » in every French description
    data, published = bundled()
    data["event"]["timezone"] = "Europe/Lisbon"
    instance = parse_instance(data, "commons-ai-2026.yaml")
    for lang, line in (
        ("fr", "Horaires\u00a0: heure de Lisbonne (UTC)"),
        ("en", "Times: Lisbon time (UTC)"),
    ):
        write_ics(instance, published, tmp_path / lang, IcsOptions(lang=lang, items=True))
        for event in read_icalendar(tmp_path / lang / "programme.ics").values():
            assert str(event["DESCRIPTION"]).split("\n").count(line) == 1


def workshop_sequences(directory: Path, instance: Instance) -> dict[str, tuple[int, str]]:
    """slot -> (SEQUENCE, SUMMARY) of each workshop in programme.ics."""
    prefix = f"{instance.name}/workshop/"
    return {
        uid.removeprefix(prefix).split("@")[0]: (int(e["SEQUENCE"]), str(e["SUMMARY"]))
        for uid, e in read_icalendar(directory / "programme.ics").items()
        if uid.startswith(prefix)
    }


def test_a_summary_from_the_lead_title_changes_sequence_only_where_the_text_does(tmp_path):
    data, published = bundled()
    instance = parse_instance(data, "commons-ai-2026.yaml")
    # the schedule as published: every event as it was, whatever the SUMMARY's rule
    write_ics(instance, published, tmp_path / "same", IcsOptions(items=True), reference=published)
    same = read_icalendar(tmp_path / "same" / "programme.ics")
    assert {int(e["SEQUENCE"]) for e in same.values()} == {0}

    # the lead keynote retitled since: the published version reads as it was published
    # (its recorded title), so its workshop's SUMMARY changes, at SEQUENCE 1
    workshop = published.workshops[1]
    keynote = next(i.proposal for i in workshop.items if i.kind == ItemKind.KEYNOTE)
    retitled = copy.deepcopy(data)
    next(p for p in retitled["proposals"] if p["id"] == keynote)["title"] = "Retitled"
    corrected = parse_instance(retitled, "commons-ai-2026.yaml")
    as_published = ics.programme_events(corrected, published, IcsOptions(), published=True)
    old = next(e for e in as_published if e.uid == ics.workshop_uid(corrected, workshop.slot))
    assert published.titles[keynote] in old.summary
    write_ics(corrected, published, tmp_path / "retitled", reference=published)
    seen = workshop_sequences(tmp_path / "retitled", corrected)
    assert seen[workshop.slot] == (1, "[EN] Retitled")
    assert {slot for slot, (sequence, _) in seen.items() if sequence} == {workshop.slot}

    # two initiatives swapped between workshops of one theme: their SUMMARYs (their
    # keynotes') stay, their DESCRIPTIONs change, and only they are at 1
    a, b = (w for w in published.workshops if w.slot in ("wed-am-seine", "wed-pm-puteaux"))
    current = published.model_copy(deep=True)
    left, right = (w for w in current.workshops if w.slot in (a.slot, b.slot))
    one = next(i for i in left.items if i.kind == ItemKind.INITIATIVE)
    other = next(i for i in right.items if i.kind == ItemKind.INITIATIVE)
    one.proposal, other.proposal = other.proposal, one.proposal
    write_ics(instance, current, tmp_path / "swapped", IcsOptions(items=True), reference=published)
    before = workshop_sequences(tmp_path / "same", instance)
    seen = workshop_sequences(tmp_path / "swapped", instance)
    for slot, (sequence, summary) in seen.items():
        assert summary == before[slot][1]
        assert sequence == (1 if slot in (a.slot, b.slot) else 0), slot

    # a workshop of a theme cancelled: the other workshops of its theme do not change
    dropped = next(w for w in published.workshops if w.theme == a.theme and w.slot != a.slot)
    current = published.model_copy(deep=True)
    current.workshops = [w for w in current.workshops if w.slot != dropped.slot]
    write_ics(instance, current, tmp_path / "dropped", reference=published)
    seen = workshop_sequences(tmp_path / "dropped", instance)
    assert {slot for slot, (sequence, _) in seen.items() if sequence} == {dropped.slot}


def read_both(path: Path) -> tuple[icalendar.Calendar, object]:
    raw = path.read_bytes()
    return icalendar.Calendar.from_ical(raw), vobject.readOne(raw.decode("utf-8"))


def test_a_backslash_before_n_stays_a_backslash_in_every_text(solved, tmp_path):
    # icalendar takes the two characters "\N" in a value for a line break: a title
    # "C:\Nantes" read "C:" and "antes" on two lines, in every parser
    instance, solution = solved
    instance = instance.model_copy(deep=True)
    title = "Fichiers C:\\Nantes\\notes et \\N, \\\\N; fin"
    instance.proposal_by_id["k1"].title = title
    instance.event.title = "Commons \\N AI"
    instance.theme_by_id[solution.workshop_of()["k1"].theme].label.fr = "Thème \\N"
    write_ics(instance, solution, tmp_path, IcsOptions(items=True))
    raw = (tmp_path / "programme.ics").read_bytes().decode("utf-8")
    assert "C:\\\\Nantes\\\\notes et \\\\N\\, \\\\\\\\N\\; fin" in raw.replace("\r\n ", "")
    calendar, other = read_both(tmp_path / "programme.ics")
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    talk = events[talk_uid("k1")]
    assert str(talk["SUMMARY"]) == f"[FR] {title}"
    assert [str(c) for c in talk["CATEGORIES"].cats] == ["Thème \\N", "Keynote"]
    workshop = events[workshop_uid(solution.workshop_of()["k1"].slot)]
    assert str(workshop["SUMMARY"]) == f"[FR] Atelier\u00a0: {' '.join(title.split())}"
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == "Commons \\N AI"
    (k1,) = (e for e in other.vevent_list if e.uid.value == talk_uid("k1"))
    assert k1.summary.value == f"[FR] {title}"
    assert list(k1.categories.value) == ["Thème \\N", "Keynote"]
    assert other.x_wr_calname.value == "Commons \\N AI"


def test_no_control_character_but_htab_is_written(solved, tmp_path):
    # RFC 5545 (3.3.11) allows none in a TEXT value: a vertical tab (a line break pasted
    # from Word), NUL, ESC or DEL went into the file as they were
    instance, solution = solved
    instance = instance.model_copy(deep=True)
    k1 = instance.proposal_by_id["k1"]
    k1.title = "Avant\x0bAprès\x00\x1b[0m\x7f\tfin"
    k1.abstract = "Page\x0cSuivante\x1cfin\r\nligne\rautre"
    instance.event.venue = "CNIT\x1b Paris"
    instance.event.title = "Commons\x0bAI"
    write_ics(instance, solution, tmp_path, IcsOptions(items=True))
    for path in ics_files(tmp_path):
        raw = path.read_bytes().replace(b"\r\n", b"")
        assert not [b for b in raw if (b < 0x20 and b != 0x09) or b == 0x7F], path
    calendar, other = read_both(tmp_path / "programme.ics")
    talk = {str(e["UID"]): e for e in calendar.walk("VEVENT")}[talk_uid("k1")]
    assert str(talk["SUMMARY"]) == "[FR] Avant\nAprès[0m\tfin"
    assert "Page\nSuivante\nfin\nligne\nautre" in str(talk["DESCRIPTION"])
    assert str(talk["LOCATION"]).endswith("CNIT Paris")
    assert str(calendar["X-WR-CALNAME"]) == "Commons\nAI"
    (k1_event,) = (e for e in other.vevent_list if e.uid.value == talk_uid("k1"))
    assert k1_event.summary.value == "[FR] Avant\nAprès[0m\tfin"


def test_an_event_of_no_minutes_has_no_dtend(solved, tmp_path):
    # a solution edited by hand may give a talk no minutes (an item may end when it
    # starts): its DTEND equalled its DTSTART, which RFC 5545 (3.8.2.2) forbids
    instance, solution = solved
    edited = solution.model_copy(deep=True)
    workshop = next(w for w in edited.workshops if "i1" in w.proposals)
    item = next(i for i in workshop.items if i.proposal == "i1")
    item.end = item.start
    write_ics(instance, edited, tmp_path, IcsOptions(items=True))
    calendar, other = read_both(tmp_path / "programme.ics")
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert "DTEND" not in events[talk_uid("i1")]
    assert events[talk_uid("i1")].decoded("DTSTART").astimezone(UTC) == item.start
    assert all("DTEND" in e for uid, e in events.items() if uid != talk_uid("i1"))
    (i1,) = (e for e in other.vevent_list if e.uid.value == talk_uid("i1"))
    assert i1.dtstart.value.astimezone(UTC) == item.start


def test_french_guillemets_hold_their_text_with_no_break_spaces(exported):
    # « Modèles ouverts » had ordinary spaces inside: a client wrapped « alone at a
    # line's end
    for uid, event in read_icalendar(exported / "programme.ics").items():
        if "/workshop/" in uid:  # "Atelier « Modèles ouverts » — langue : FR"
            first = str(event["DESCRIPTION"]).split("\n")[0]
            assert first.startswith("Atelier «\u00a0") and "\u00a0» — " in first, first


def test_french_colons_do_not_start_a_line(exported):
    # French puts a space before « : », a no-break one, so that no client wraps the
    # colon alone onto the next line ("Langue :" over "FR")
    for uid, event in read_icalendar(exported / "programme.ics").items():
        first = str(event["DESCRIPTION"]).split("\n")[0]  # "Atelier « … » — Langue : FR"
        if "/workshop/" in uid:
            assert first.endswith(("\u00a0: FR", "\u00a0: EN", "\u00a0: FR/EN")), first


def test_items_of_no_minutes_are_left_out_of_the_descriptions(tmp_path):
    data = yaml.safe_load((Path(__file__).parent / "data" / "tiny.yaml").read_text())
    data["rules"] = {"participatory": {"min": 0, "target": 0, "max": 0}, "opening_minutes": 0}
    instance = parse_instance(data, "tiny.yaml")
    solution = solve(instance, "sha256:0", OPTIONS)
    write_ics(instance, solution, tmp_path, IcsOptions(items=True))
    for event in read_icalendar(tmp_path / "programme.ics").values():
        description = str(event["DESCRIPTION"])
        assert "Temps participatif" not in description and "Ouverture" not in description


# -- the console's messages in the language asked -------------------------------


def said(argv: list[str], capsys) -> tuple[int, str, str]:
    """`run`, the output as printed (its no-break spaces kept: `run` squeezes them)."""
    with pytest.raises(SystemExit) as stop:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return stop.value.code, out, err


@pytest.mark.parametrize(
    ("lang", "wrote", "more"),
    [
        # without --lang the labels are French and the messages English, as before
        ([], "wrote {path} ({n} events)", "wrote {k} more calendars in {out} (speakers/"),
        (["--lang", "en"], "wrote {path} ({n} events)", "wrote {k} more calendars in {out} ("),
        (
            ["--lang", "fr"],
            "écrit\u00a0: {path} ({n} événements)",
            "écrit\u00a0: {k} autres calendriers dans {out} (speakers/",
        ),
    ],
)
def test_cli_says_what_it_wrote_in_the_language_asked(
    lang, wrote, more, solved, solution_file, tmp_path, capsys
):
    # `export ics --lang fr` wrote French calendars and said "wrote ... (12 events)"
    out_dir = tmp_path / "out"
    argv = ["export", "ics", HOSTILE, solution_file, "-o", out_dir, *lang]
    code, out, err = said(argv, capsys)
    assert code == 0, err
    calendars = len(ics_files(out_dir)) - 1
    n = len(solved[1].workshops)
    assert wrote.format(path=out_dir / "programme.ics", n=n) in out
    assert more.format(k=calendars, out=out_dir) in out
    assert out.startswith("wrote ") == (lang != ["--lang", "fr"])


def test_the_accounts_of_the_calendars_are_worded_where_they_are_counted():
    # the programme's account, against one published version or several
    assert ics.programme_account(12, None, False) == "12 events"
    assert ics.programme_account(1, None, False, "fr") == "1 événement"
    assert ics.programme_account(12, (3, 1, 2), False) == (
        "12 events, 3 changed, 1 added and 2 cancelled since the reference"
    )
    assert ics.programme_account(12, (3, 1, 2), False, "fr") == (
        "12 événements, 3 modifiés, 1 ajouté et 2 annulés depuis la référence"
    )
    assert ics.programme_account(12, (0, 0, 1), True) == (
        "12 events, 0 changed and 1 cancelled since the last reference"
    )
    assert ics.programme_account(12, (0, 0, 1), True, "fr") == (
        "12 événements, 0 modifié et 1 annulé depuis la dernière référence"
    )
    # a speaker's, a room's calendar
    assert ics.calendar_account("event", 2, 1, 1) == (
        "2 events, 1 left it, as they are now, 1 cancelled"
    )
    assert ics.calendar_account("event", 2, 1, 1, "fr") == (
        "2 événements, 1 qui l'a quitté, tel qu'il est maintenant, 1 annulé"
    )
    assert ics.calendar_account("workshop", 0, 2, 3, "fr") == (
        "0 atelier, 2 qui l'ont quitté, tels qu'ils sont maintenant, 3 annulés"
    )
    assert ics.calendar_account("workshop", 1, 0, 0) == "1 workshop"
    assert ics.calendar_account("workshop", 3, 0, 0, "fr") == "3 ateliers"


def test_the_calendars_accounts_follow_the_messages_not_the_labels(solved, tmp_path):
    instance, solution = solved
    english = write_ics(instance, solution, tmp_path / "en", IcsOptions(lang="fr"))
    french = write_ics(instance, solution, tmp_path / "fr", IcsOptions(lang="en", messages="fr"))
    assert english[0].what == f"{len(solution.workshops)} events"
    assert french[0].what == f"{len(solution.workshops)} événements"
    rooms = [w for w in french if w.path.parent.name == "rooms"]
    assert rooms and all(w.what.split()[1] in ("atelier", "ateliers") for w in rooms)


def test_cli_warns_of_broken_hard_rules_in_the_language_asked(solution_file, tmp_path, capsys):
    def other_language(data: dict) -> None:
        first = data["workshops"][0]
        first["language"] = "en" if first["language"] == "fr" else "fr"

    bad = edited(solution_file, other_language)
    argv = ["export", "ics", HOSTILE, bad, "-o", tmp_path / "out", "--lang", "fr"]
    code, out, err = said(argv, capsys)
    assert code == 0, err
    n = err.count("✗")
    assert n > 1  # (each of the workshop's talks in the other language)
    assert err.startswith(
        f"avertissement\u00a0: {bad} enfreint les règles strictes ({n} violations, décrites "
        f"en anglais)\u00a0; il est exporté tel quel, `scheduler validate {HOSTILE} {bad}` les "
        "liste\u00a0:\n"
    )
    assert "\n  ✗ language\u00a0: " in err
    assert "warning" not in err and out.startswith("écrit\u00a0: ")
    # the same in English without --lang
    code, _, err = said(argv[:-2], capsys)
    assert code == 0, err
    assert err.startswith(
        f"warning: {bad} breaks the hard rules ({n} violations); it is exported as it is, "
    )
    assert "\n  ✗ language: " in err


def test_cli_notes_another_version_of_the_instance_in_the_language_asked(
    solution_file, tmp_path, capsys
):
    older = edited(solution_file, lambda d: d.update(instance_hash="sha256:older"))
    argv = ["export", "csv", HOSTILE, older, "-o", tmp_path / "p.csv", "--lang", "fr"]
    code, out, err = said(argv, capsys)
    assert code == 0, err
    assert " ".join(err.split(" ")).startswith(
        f"note\u00a0: {older} a été résolu à partir d'une autre version de {HOSTILE}\u00a0; "
        "les exports reprennent les textes actuels de l'instance"
    )
    code, out, err = said(argv[:-2], capsys)
    assert " ".join(err.split()).startswith(
        f"note: {older} was solved from another version of {HOSTILE}; the exports use"
    )


def test_cli_a_co_speaker_taken_off_a_talk_has_it_cancelled_in_her_calendar(tmp_path, capsys):
    # a co-speaker taken off p01 since publication: her calendar kept the workshop, as
    # it is now, with a note; her calendar's events are her own now, and cancelled there
    root = Path(__file__).parent.parent
    data = yaml.safe_load((root / "instances" / "commons-ai-2026.yaml").read_text())
    first = root / "solutions" / "commons-ai-2026.json"
    published = Solution.model_validate_json(first.read_text(encoding="utf-8"))
    kept, gone = published.speakers["p01"]
    (proposal,) = (p for p in data["proposals"] if p["id"] == "p01")
    proposal["speakers"] = [kept]
    source = tmp_path / "commons-ai-2026.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    argv = ["export", "ics", source, first, "-o", tmp_path / "out", "--reference", first]
    code, out, err = said([*argv, "--lang", "fr"], capsys)
    assert code == 0, err
    assert "qui l'a quitté" not in err
    assert "(12 événements, 1 modifié et 0 annulé depuis la référence)" in out
    events = read_icalendar(tmp_path / "out" / "speakers" / f"{gone}.ics")
    assert events and all(str(e["STATUS"]) == "CANCELLED" for e in events.values())
    code, out, err = said(argv, capsys)
    assert code == 0, err
    assert "left it" not in err
    assert "(12 events, 1 changed and 0 cancelled since the reference)" in out


@pytest.mark.parametrize(("revision", "events"), [(0, False), (1, True), (1, False)])
def test_an_oldest_reference_that_is_a_re_solve_is_noted_in_french(
    revision, events, tmp_path, capsys
):
    bundled, first, resolved = _bundled_and_a_re_solve(tmp_path, revision, events)
    argv = ["export", "ics", bundled, first, "-o", tmp_path / "out", "--reference", resolved]
    code, _, err = said([*argv, "--lang", "fr"], capsys)
    assert code == 0, err
    flat = " ".join(err.split(" "))
    if revision and events:
        assert (
            f"note\u00a0: {resolved}, la plus ancienne --reference, est une nouvelle "
            "résolution (révision 1)\u00a0; si les programmes d'avant ont été publiés aussi"
        ) in flat
    elif revision:
        assert (
            f"avertissement\u00a0: {resolved}, la plus ancienne --reference, est une nouvelle "
            "résolution (révision 1) écrite par une version antérieure"
        ) in flat
    else:
        assert (
            f"avertissement\u00a0: {resolved}, la plus ancienne --reference, a été résolue à "
            "nouveau par rapport à un programme antérieur (elle compte `moved` 50)\u00a0; "
        ) in flat
        # (« calendrier », as every other French text says, not « agenda »)
        assert "que détiennent les applications de calendrier" in " ".join(flat.split())
    assert "note: " not in err and "warning: " not in err


def test_cli_words_the_objective_notes_in_the_language_asked(tmp_path, capsys):
    # a re-solve (it counts `moved` 50) exported without its reference, then with an
    # objective edited by hand, then against a reference it was not solved against
    root = Path(__file__).parent.parent
    bundled = root / "instances" / "commons-ai-2026.yaml"
    first = root / "solutions" / "commons-ai-2026.json"
    document = json.loads(first.read_text(encoding="utf-8"))
    document["penalties"].append({"rule": "moved", "cost": 50, "proposals": ["p02"]})
    document["objective"] += 50
    resolved = tmp_path / "v2.json"
    resolved.write_text(json.dumps(document), encoding="utf-8")
    argv = ["export", "csv", bundled, resolved, "-o", tmp_path / "p.csv"]
    code, _, err = said([*argv, "--lang", "fr"], capsys)
    assert code == 0, err
    assert " ".join(err.split(" ")).startswith(
        f"note\u00a0: l'objectif de {resolved} compte `moved` 50 par rapport à un programme "
        "publié\u00a0; passez --reference PUBLISHED.json pour le vérifier"
    )
    code, _, err = said(argv, capsys)
    assert " ".join(err.split()).startswith(
        f"note: the objective of {resolved} counts `moved` 50 against a published schedule"
    )
    objective = document["objective"]
    document["objective"] += 7
    resolved.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = said([*argv, "--lang", "fr"], capsys)
    assert code == 0, err
    flat = " ".join(err.split(" "))
    assert flat.startswith(
        f"avertissement\u00a0: l'objectif de {resolved} vaut {objective + 7}, recalculé "
        f"{objective - 50}\u00a0; `scheduler validate {bundled} {resolved}` détaille les coûts"
    ), flat
    code, _, err = said(argv, capsys)
    assert " ".join(err.split()).startswith(
        f"warning: the objective of {resolved} is {objective + 7}, recomputed {objective - 50};"
    )


def test_the_events_name_the_organiser_the_instance_gives(tmp_path):
    # RFC 5546 (3.2.1) wants ORGANIZER on each event of a PUBLISH: the calendars had none,
    # the instance recording no organiser. With `event.organizer`, every event of every
    # calendar (cancellations too) names it; without, none does (no address made up)
    data, published = bundled()
    name = "Commons AI, équipe « programme » : Paris; 2026"  # (quoted by the library)
    data["event"]["organizer"] = {"name": name, "email": "programme@commons-ai.example"}
    instance = parse_instance(data, "commons-ai-2026.yaml")
    current = published.model_copy(deep=True)
    dropped = current.workshops.pop()  # (its events cancelled against the reference)
    write_ics(instance, current, tmp_path, IcsOptions(items=True), reference=published)
    files = ics_files(tmp_path)
    assert len(files) > 3
    cancelled = 0
    for path in files:
        calendar, other = read_both(path)
        events = calendar.walk("VEVENT")
        assert events, path
        for event in events:
            organizer = event["ORGANIZER"]
            assert isinstance(organizer, icalendar.vCalAddress)
            assert str(organizer) == "mailto:programme@commons-ai.example"
            assert organizer.params["CN"] == name
            cancelled += str(event["STATUS"]) == "CANCELLED"
        # vobject reads it whole too
        for event in other.vevent_list:
            assert event.organizer.value == "mailto:programme@commons-ai.example"
            assert event.organizer.params["CN"] == [name]
    assert cancelled and dropped.slot
    # a name is optional: the address alone
    data["event"]["organizer"] = {"email": "programme@commons-ai.example"}
    write_ics(parse_instance(data, "commons-ai-2026.yaml"), published, tmp_path / "bare")
    raw = (tmp_path / "bare" / "programme.ics").read_bytes()
    assert raw.count(b"\r\nORGANIZER:mailto:programme@commons-ai.example\r\n") == len(
        published.workshops
    )
    # without an organiser, no ORGANIZER
    del data["event"]["organizer"]
    write_ics(parse_instance(data, "commons-ai-2026.yaml"), published, tmp_path / "none")
    for path in ics_files(tmp_path / "none"):
        assert b"ORGANIZER" not in path.read_bytes(), path


@pytest.mark.parametrize("copy", [True, False])
def test_keep_before_with_the_solution_as_its_only_reference(copy, tmp_path, capsys):
    # INP-11: the first publication exported again during the event, given as its own
    # --reference (the docs ask for every published version): refused as "needs
    # --reference PUBLISHED.json", with --reference on the command line; `validate`
    # accepts the same arguments
    root = Path(__file__).parent.parent
    bundled = root / "instances" / "commons-ai-2026.yaml"
    solution = root / "solutions" / "commons-ai-2026.json"
    reference = tmp_path / "published.json" if copy else solution
    if copy:
        reference.write_bytes(solution.read_bytes())
    argv = ["export", "ics", str(bundled), str(solution), "--reference", str(reference)]
    code, out, err = run(
        [*argv, "--keep-before", "2026-12-02T10:00", "-o", str(tmp_path / "a")], capsys
    )
    assert code == 0, err
    assert "(12 events, 0 changed and 0 cancelled since the reference)" in out
    # a moment written wrong is named, not hidden behind "needs --reference"
    code, _, err = run([*argv, "--keep-before", "2026-99-01", "-o", str(tmp_path / "b")], capsys)
    assert code == 2 and "got '2026-99-01'" in err and "needs --reference" not in err


def _at_revision(tmp_path: Path, revision: int, name: str, seed: int) -> Path:
    """The bundled solution written as a schedule of `revision` (`name`.json; `seed`:
    each file its own)."""
    document = json.loads(
        (Path(__file__).parent.parent / "solutions" / "commons-ai-2026.json").read_text("utf-8")
    )
    document["revision"], document["seed"] = revision, seed
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("solution", "references", "said"),
    [
        # the exported solution listed first, as the newest
        ("v1", ["v1", "v0"], "v1.json, option --reference: is the solution exported, given before"),
        # the first publication exported again after a re-solve (rolled back): accepted
        ("v0", ["v0", "v1"], None),
        # the reference the solution was re-solved from given before the first publication
        ("v2", ["v1", "v0"], "v1.json, option --reference: revision 1, which"),
        ("v3", ["v2", "v1", "v0"], "v1.json, option --reference: revision 1 is given after"),
        # oldest first, and a schedule solved afresh published after re-solves: accepted
        ("v3", ["v0", "v1", "v2"], None),
        ("again1", ["v0", "v1", "v2", "again0"], None),
    ],
)
def test_references_given_newest_first_are_refused(solution, references, said, tmp_path, capsys):
    # INP-19: given newest first, the last reference was taken for the latest
    # publication: "0 changed, 3 added and 3 cancelled" for a programme that had not
    # changed, sent to every subscriber, and a note that misread the order
    revisions = {"v0": 0, "v1": 1, "v2": 2, "v3": 3, "again0": 0, "again1": 1}
    paths = {
        name: _at_revision(tmp_path, r, name, seed)
        for seed, (name, r) in enumerate(revisions.items())
    }
    bundled = Path(__file__).parent.parent / "instances" / "commons-ai-2026.yaml"
    argv = ["export", "ics", str(bundled), str(paths[solution]), "-o", str(tmp_path / "out")]
    for name in references:
        argv += ["--reference", str(paths[name])]
    code, _, err = run(argv, capsys)
    if said is None:
        assert code == 0, err
    else:
        assert code == 2 and said in err and "oldest first" in err, err
        assert not (tmp_path / "out").exists()


def test_a_reference_broken_by_hand_is_refused_as_the_solution_is(tmp_path, capsys):
    # INP-6: a published file edited so that p02 is in two workshops (and p01 in none)
    # was accepted as --reference, exit 0, its SEQUENCEs and cancellations counted from
    # an impossible schedule; the same file as SOLUTION is refused
    root = Path(__file__).parent.parent
    document = json.loads((root / "solutions" / "commons-ai-2026.json").read_text("utf-8"))
    document["workshops"][0]["items"][1]["proposal"] = "p02"
    broken = tmp_path / "s3.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    bundled = root / "instances" / "commons-ai-2026.yaml"
    solution = root / "solutions" / "commons-ai-2026.json"
    argv = ["export", "ics", str(bundled), str(solution), "--reference", str(broken)]
    code, _, err = run([*argv, "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and not (tmp_path / "out").exists()
    assert f"{broken}, workshops[4] (slot 'wed-am-seine'), field 'items': proposal 'p02'" in err
    # a proposal withdrawn since is no fault of the reference
    data = yaml.safe_load(bundled.read_text(encoding="utf-8"))
    data["proposals"] = [p for p in data["proposals"] if p["id"] != "p35"]
    smaller = tmp_path / "smaller.yaml"
    smaller.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    document = json.loads(solution.read_text("utf-8"))
    for workshop in document["workshops"]:
        workshop["items"] = [i for i in workshop["items"] if i.get("proposal") != "p35"]
    current = tmp_path / "current.json"
    current.write_text(json.dumps(document), encoding="utf-8")
    code, _, err = run(
        ["export", "ics", str(smaller), str(current), "--reference", str(solution)]
        + ["-o", str(tmp_path / "ok")],
        capsys,
    )
    assert code == 0, err


@pytest.mark.parametrize("command", ["ics", "all"])
def test_refresh_sets_how_often_subscribers_fetch_the_calendars(command, tmp_path, capsys):
    # LIVE-11: every calendar told subscribers to refresh once a day, whatever the
    # moment: re-published at 14:40 for a change the same afternoon, a client honouring
    # it could fetch the update after the talks
    root = Path(__file__).parent.parent
    argv = [
        "export",
        command,
        str(root / "instances" / "commons-ai-2026.yaml"),
        str(root / "solutions" / "commons-ai-2026.json"),
    ]
    code, _, err = run([*argv, "-o", str(tmp_path / "hour"), "--refresh", "PT1H"], capsys)
    assert code == 0, err
    for path in [tmp_path / "hour" / "programme.ics", *(tmp_path / "hour").glob("*/*.ics")]:
        data = path.read_bytes()
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in data, path
        assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in data, path
    code, _, err = run([*argv, "-o", str(tmp_path / "day")], capsys)
    assert code == 0, err
    assert b"\r\nX-PUBLISHED-TTL:P1D\r\n" in (tmp_path / "day" / "programme.ics").read_bytes()
    for bad in ("1h", "PT5M"):
        code, _, err = run([*argv, "-o", str(tmp_path / bad), "--refresh", bad], capsys)
        assert code == 2 and "--refresh" in err and not (tmp_path / bad).exists(), err


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_export_against_begun_workshops_without_keep_before_is_warned(
    lang, tmp_path, capsys, monkeypatch
):
    # LIVE-7: `solve` warns of a re-solve with a reference begun and no --keep-before;
    # its export, which cancels or rewrites in every attendee's calendar what it moved,
    # wrote the calendars without a word. On stderr only (the clock's: the calendars do
    # not depend on when they are written), and only of the begun workshops the solution
    # changes: it said it of every export once the reference had begun
    from test_keep_warning import retimed

    from scheduler.keep import begun_warning

    bundled, first, resolved = _bundled_and_a_re_solve(tmp_path, 1, events=True)
    published = Solution.model_validate_json(first.read_text(encoding="utf-8"))
    opening = min(published.workshops, key=lambda w: w.start)
    changed = tmp_path / "changed.json"  # (the re-solve, the opening workshop retimed)
    solution = retimed(
        Solution.model_validate_json(resolved.read_text(encoding="utf-8")), opening.slot
    )
    solution.revision = 1
    solution.write(changed)
    argv = ["export", "ics", bundled, changed, "--reference", first, "--lang", lang]
    begun = {"en": "began before now", "fr": "déjà commencé"}[lang]
    monkeypatch.setattr("scheduler.keep.now", lambda: opening.start.astimezone(UTC))
    code, _, err = said([*argv, "-o", tmp_path / "before"], capsys)
    assert code == 0 and begun not in err, err
    later = opening.start + timedelta(minutes=1)
    monkeypatch.setattr("scheduler.keep.now", lambda: later.astimezone(UTC))
    code, _, err = said([*argv, "-o", tmp_path / "begun"], capsys)
    (warning,) = begun_warning(published, lang, solution, changed)
    assert code == 0 and warning in err, err
    assert f"({opening.slot})" in warning
    for path in (tmp_path / "begun").rglob("*.ics"):
        assert (
            path.read_bytes()
            == (tmp_path / "before" / path.relative_to(tmp_path / "begun")).read_bytes()
        )
    # a solution keeping what began as published: not a word
    same = ["export", "ics", bundled, resolved, "--reference", first, "--lang", lang]
    code, _, err = said([*same, "-o", tmp_path / "same"], capsys)
    assert code == 0 and begun not in err, err
    # given the moment the re-solve kept, not a word; nor without a reference
    code, _, err = said([*same, "-o", tmp_path / "kept", "--keep-before", "now"], capsys)
    assert code == 0 and begun not in err, err
    code, _, err = said(["export", "ics", bundled, changed, "-o", tmp_path / "alone"], capsys)
    assert code == 0 and begun not in err, err
    # after the event (every talk given), not a word either
    monkeypatch.setattr("scheduler.keep.now", lambda: datetime(2026, 12, 6, tzinfo=UTC))
    code, _, err = said([*argv, "-o", tmp_path / "after"], capsys)
    assert code == 0 and begun not in err, err


def test_calendars_are_renamed_into_place_only_once_all_are_on_disk(solved, tmp_path, monkeypatch):
    # SCL-2: each calendar was synced and renamed in turn, 2076 syncs one after the other
    # at 2000 proposals (12 s of the export); now every one is on disk before the first
    # is renamed, each synced once, and then each folder once
    import os

    from scheduler.exports.common import write_outputs

    instance, solution = solved
    outputs = ics.ics_outputs(instance, solution, tmp_path)
    folders = {output.path.parent for output in outputs}
    seen: list[bool] = []  # at each sync: was a calendar already in place?
    fsync = os.fsync

    def sync(fd):
        seen.append(any(output.path.exists() for output in outputs))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", sync)
    write_outputs(outputs)
    assert len(seen) == len(outputs) + len(folders)
    assert not any(seen[: len(outputs)]) and all(seen[len(outputs) :])
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_disk_full_midway_replaces_no_calendar(solved, tmp_path, monkeypatch):
    # SCL-2: a disk full at the third calendar left the first two replaced by the new
    # export and the rest as published; now none is replaced, and no temporary file left
    import tempfile

    from scheduler.errors import OutputError
    from scheduler.exports.common import write_outputs

    instance, solution = solved
    write_ics(instance, solution, tmp_path)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*.ics")}
    later = IcsOptions(stamp=datetime(2026, 11, 20, tzinfo=UTC))  # every file differs
    outputs = ics.ics_outputs(instance, solution, tmp_path, later)
    assert all(before[output.path] != output.data for output in outputs)
    mkstemp, made = tempfile.mkstemp, []

    def full(*args, **kwargs):
        made.append(1)
        if len(made) == 3:
            raise OSError(28, "No space left on device")
        return mkstemp(*args, **kwargs)

    monkeypatch.setattr("scheduler.files.tempfile.mkstemp", full)
    with pytest.raises(OutputError) as error:
        write_outputs(outputs)
    assert str(error.value) == f"{outputs[2].path}: cannot write the file: no space left on device"
    assert {path: path.read_bytes() for path in tmp_path.rglob("*.ics")} == before
    assert not list(tmp_path.rglob("*.tmp"))


def test_calendars_written_together_keep_a_link_a_link(tmp_path):
    # ENV-6 with SCL-2: a calendar that is a link to a published file (a web server's
    # folder linking to the current version) stays a link, the file it names replaced,
    # as a single output's is; renamed over, the link became a file of its own
    from scheduler.files import write_atomic_many

    published = tmp_path / "published"
    published.mkdir()
    target = published / "programme.ics"
    target.write_text("old", encoding="utf-8")
    served = tmp_path / "served"
    served.mkdir()
    link = served / "programme.ics"
    link.symlink_to(target)
    other = served / "room.ics"
    assert write_atomic_many([(link, "new"), (other, "room")]) == [link, other]
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new"
    assert other.read_text(encoding="utf-8") == "room"
    assert not list(tmp_path.rglob("*.tmp"))
