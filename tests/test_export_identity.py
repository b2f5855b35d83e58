"""A workshop's identity across re-solves: another workshop composed into a slot is a new
event, the one it replaced cancelled in every calendar that held it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
import yaml
from conftest import PUBLISHED, write_ics

from scheduler.cli import main
from scheduler.exports import ics
from scheduler.exports.ics import IcsOptions
from scheduler.instance import Instance, parse_instance
from scheduler.solution import Solution, Workshop, calendar_events
from scheduler.solve import SolveOptions, solve
from scheduler.validate import validate

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def bundled() -> tuple[Instance, Solution]:
    """The bundled instance and its bundled (published) solution."""
    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    published = Solution.model_validate_json(PUBLISHED.read_text(encoding="utf-8"))
    return parse_instance(data, "commons-ai-2026.yaml"), published


def read(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def read_as_programme(path: Path) -> dict[str, icalendar.Event]:
    """A calendar's events by the programme's UIDs: a speaker's has UIDs of her own,
    `<instance>/speaker/<speaker id>/` then the rest of the programme's."""
    return {re.sub(r"^([^/]+)/speaker/[^/]+/", r"\1/", uid): e for uid, e in read(path).items()}


def state(events: dict[str, icalendar.Event], uid: str) -> tuple[str, int]:
    return str(events[uid]["STATUS"]), int(events[uid]["SEQUENCE"])


def slot_of(solution: Solution, slot: str) -> Workshop:
    return next(w for w in solution.workshops if w.slot == slot)


def moved(workshop: Workshop, into: Workshop) -> Workshop:
    """`workshop` moved into `into`'s slot: its room and times, its timeline shifted."""
    shift = into.start - workshop.start
    return workshop.model_copy(
        update={
            "slot": into.slot,
            "room": into.room,
            "start": into.start,
            "end": into.start + (workshop.end - workshop.start),
            "items": [
                i.model_copy(update={"start": i.start + shift, "end": i.end + shift})
                for i in workshop.items
            ],
        },
        deep=True,
    )


def version(solution: Solution, revision: int, workshops: list[Workshop]) -> Solution:
    return solution.model_copy(update={"revision": revision, "workshops": workshops}, deep=True)


def speakers_of(instance: Instance, workshop: Workshop) -> set[str]:
    return {s for p in workshop.proposals for s in instance.proposal_by_id[p].speakers}


TRUST, MATERIALITY = "thu-am-seine", "wed-am-puteaux"


def withdrawn_then_replaced(published: Solution) -> tuple[Solution, Solution]:
    """AUD-1: v2, the trust workshop's slot left empty (its keynote withdrawn); v3, the
    materiality workshop (no talk in common, another theme) moved into that slot."""
    trust, materiality = slot_of(published, TRUST), slot_of(published, MATERIALITY)
    rest = [w for w in published.workshops if w.slot not in (TRUST, MATERIALITY)]
    v2 = version(published, 1, [*rest, materiality])
    v3 = version(published, 2, [*rest, moved(materiality, trust)])
    return v2, v3


def test_a_workshop_moved_into_a_slot_another_left_is_a_new_event(bundled, tmp_path):
    # Ana's slot emptied, then Karim's workshop moved into it: it kept the slot's UID and
    # was "updated", so the withdrawn speakers' and the trust theme's calendars showed a
    # confirmed materiality workshop, and Karim's a workshop it had never held
    instance, v1 = bundled
    v2, v3 = withdrawn_then_replaced(v1)
    trust, materiality = slot_of(v1, TRUST), slot_of(v1, MATERIALITY)
    written = write_ics(instance, v3, tmp_path, IcsOptions(items=True), reference=[v1, v2])
    old = ics.workshop_uid(instance, TRUST)
    new = f"{instance.name}/workshop/{TRUST}/2@commons-scheduler"
    assert ics.workshop_uid(instance, TRUST, 2) == new
    left = ics.workshop_uid(instance, MATERIALITY)

    programme = read(tmp_path / "programme.ics")
    assert state(programme, old) == ("CANCELLED", 1)  # (as v2 cancelled it)
    assert state(programme, new) == ("CONFIRMED", 2)  # (new in v3, at its revision)
    assert state(programme, left) == ("CANCELLED", 2)
    theme = instance.theme_by_id[materiality.theme].label.fr
    assert [str(c) for c in programme[new]["CATEGORIES"].cats] == [theme, "Atelier"]
    for proposal in materiality.proposals:  # its talks name the new event
        assert str(programme[ics.talk_uid(instance, proposal)]["RELATED-TO"]) == new

    # the withdrawn workshop's speakers and theme: cancelled, nothing of the other one
    only_trust = speakers_of(instance, trust) - speakers_of(instance, materiality)
    only_materiality = speakers_of(instance, materiality) - speakers_of(instance, trust)
    assert only_trust and only_materiality
    for path in [tmp_path / "speakers" / f"{s}.ics" for s in only_trust] + [
        tmp_path / "themes" / f"{trust.theme}.ics"
    ]:
        events = read_as_programme(path)
        assert state(events, old) == ("CANCELLED", 1), path
        assert new not in events and left not in events, path
        assert all(str(e["STATUS"]) == "CANCELLED" for e in events.values()), path
    # the moved workshop's: its old slot cancelled, the new one confirmed, not the old
    for path in [tmp_path / "speakers" / f"{s}.ics" for s in only_materiality] + [
        tmp_path / "themes" / f"{materiality.theme}.ics"
    ]:
        events = read_as_programme(path)
        assert state(events, new) == ("CONFIRMED", 2), path
        assert state(events, left) == ("CANCELLED", 2), path
        assert old not in events, path
    # the room (the FOST team's): both, the slot's first workshop cancelled
    room = read(tmp_path / "rooms" / f"{trust.room}.ics")
    assert state(room, old) == ("CANCELLED", 1) and state(room, new) == ("CONFIRMED", 2)
    # no calendar says a workshop left it and goes on without its owner
    assert not [w.path for w in written if w.left]


def test_workshops_that_swap_slots_are_each_cancelled_and_added(bundled, tmp_path):
    # two workshops exchanged in one re-solve, no slot left empty in between
    instance, v1 = bundled
    a, b = slot_of(v1, TRUST), slot_of(v1, MATERIALITY)
    rest = [w for w in v1.workshops if w.slot not in (TRUST, MATERIALITY)]
    v2 = version(v1, 1, [*rest, moved(a, b), moved(b, a)])
    write_ics(instance, v2, tmp_path, IcsOptions(), reference=v1)
    programme = read(tmp_path / "programme.ics")
    for slot in (TRUST, MATERIALITY):
        assert state(programme, ics.workshop_uid(instance, slot)) == ("CANCELLED", 1)
        assert state(programme, ics.workshop_uid(instance, slot, 2)) == ("CONFIRMED", 1)
    for speaker in speakers_of(instance, a) - speakers_of(instance, b):
        events = read_as_programme(tmp_path / "speakers" / f"{speaker}.ics")
        assert {uid: str(e["STATUS"]) for uid, e in events.items()} == {
            ics.workshop_uid(instance, TRUST): "CANCELLED",
            ics.workshop_uid(instance, MATERIALITY, 2): "CONFIRMED",
        }


def test_a_workshop_keeping_a_talk_keeps_its_event(bundled, tmp_path):
    # every talk but one replaced: the same workshop changed, as before
    instance, v1 = bundled
    trust, other = slot_of(v1, TRUST), slot_of(v1, "thu-am-puteaux")
    kept = trust.model_copy(deep=True)
    keynote = next(i for i in kept.items if i.proposal == trust.proposals[0])
    kept.items = [i for i in kept.items if i.proposal in (None, keynote.proposal)] + [
        i.model_copy(update={"proposal": other.proposals[-1]})
        for i in trust.items
        if i.proposal == trust.proposals[-1]
    ]
    rest = [w for w in v1.workshops if w.slot not in (TRUST, other.slot)]
    v2 = version(v1, 1, [*rest, kept])
    write_ics(instance, v2, tmp_path, IcsOptions(), reference=v1)
    programme = read(tmp_path / "programme.ics")
    assert state(programme, ics.workshop_uid(instance, TRUST)) == ("CONFIRMED", 1)
    assert ics.workshop_uid(instance, TRUST, 2) not in programme


def test_a_slot_whose_theme_changes_holds_a_new_workshop(bundled, tmp_path):
    # its talks kept, another theme: the old theme's subscribers see it cancelled (they
    # saw a workshop of another theme, confirmed), the new theme's get it
    instance, v1 = bundled
    trust = slot_of(v1, TRUST)
    rest = [w for w in v1.workshops if w.slot != TRUST]
    v2 = version(v1, 1, [*rest, trust.model_copy(update={"theme": "materiality"})])
    write_ics(instance, v2, tmp_path, IcsOptions(), reference=v1)
    old, new = ics.workshop_uid(instance, TRUST), ics.workshop_uid(instance, TRUST, 2)
    assert set(read(tmp_path / "themes" / "trust.ics")) == {old}
    assert state(read(tmp_path / "themes" / "trust.ics"), old) == ("CANCELLED", 1)
    assert state(read(tmp_path / "themes" / "materiality.ics"), new) == ("CONFIRMED", 1)
    # held at the same place and time: replaced, not moved (nor "will not take place")
    cancelled = read(tmp_path / "programme.ics")[old]
    assert str(cancelled["SUMMARY"]).startswith("ANNULÉ — ")
    assert str(cancelled["DESCRIPTION"]).startswith(
        "Annulé\u00a0: cet atelier n'a plus lieu tel que publié (son thème a changé)"
    )


def test_a_workshop_that_changes_theme_where_it_is_is_not_said_moved(bundled, tmp_path):
    # LIVE-2: the trust workshop, under another theme at its own time and room, took one
    # initiative of the materiality workshop, whose slot closed: sharing that talk and
    # the theme, the new event began « Atelier déplacé : il avait lieu auparavant le
    # mercredi … » where neither it nor its keynote had ever been
    instance, v1 = bundled
    trust, materiality = slot_of(v1, TRUST), slot_of(v1, MATERIALITY)
    came = materiality.proposals[-1]
    here = trust.model_copy(update={"theme": materiality.theme}, deep=True)
    last = next(i for i in reversed(here.items) if i.kind == "initiative")
    last.proposal = came
    rest = [w for w in v1.workshops if w.slot not in (TRUST, MATERIALITY)]
    v2 = version(v1, 1, [*rest, here])
    write_ics(instance, v2, tmp_path, IcsOptions(), reference=v1)
    event = read(tmp_path / "programme.ics")[ics.workshop_uid(instance, TRUST, 2)]
    description = str(event["DESCRIPTION"])
    assert "Atelier déplacé" not in description
    # the initiative that came says where it was
    where = ics.place_label(ics.place_of(instance, materiality), "fr")
    title = instance.proposal_by_id[came].title
    assert description.startswith(f"«\u00a0{title}\u00a0» avait lieu auparavant le {where}.")


def test_a_cancellation_whose_text_changes_raises_its_sequence(bundled, tmp_path):
    # LIVE-3: the trust workshop moved to the materiality slot (its event cancelled,
    # « Déplacé : cet atelier a désormais lieu le mercredi … »), then on to another: the
    # cancellation said the new place at the SEQUENCE clients held, which they ignore,
    # and kept telling them the old one
    instance, v1 = bundled
    trust, materiality, third = (slot_of(v1, s) for s in (TRUST, MATERIALITY, "wed-pm-seine"))
    rest = [w for w in v1.workshops if w.slot not in (TRUST, MATERIALITY, third.slot)]
    v2 = version(v1, 1, [*rest, third, moved(trust, materiality)])
    v3 = version(v1, 2, [*rest, materiality, moved(trust, third)])
    write_ics(instance, v2, tmp_path / "v2", IcsOptions(), reference=v1)
    write_ics(instance, v3, tmp_path / "v3", IcsOptions(), reference=[v1, v2])
    for path in ("programme.ics", f"rooms/{trust.room}.ics", f"themes/{trust.theme}.ics"):
        before = read(tmp_path / "v2" / path)[ics.workshop_uid(instance, TRUST)]
        after = read(tmp_path / "v3" / path)[ics.workshop_uid(instance, TRUST)]
        assert str(after["STATUS"]) == "CANCELLED"
        assert str(after["DESCRIPTION"]) != str(before["DESCRIPTION"]), path
        assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]), path
    for speaker in speakers_of(instance, trust):
        uid = f"{instance.name}/speaker/{speaker}/workshop/{TRUST}@commons-scheduler"
        before = read(tmp_path / "v2" / "speakers" / f"{speaker}.ics")[uid]
        after = read(tmp_path / "v3" / "speakers" / f"{speaker}.ics")[uid]
        if str(after["DESCRIPTION"]) != str(before["DESCRIPTION"]):
            assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]), speaker
    # and a re-publication of the same schedule raises nothing
    write_ics(instance, version(v3, 3, v3.workshops), tmp_path / "v4", IcsOptions(), [v1, v2, v3])
    again = read(tmp_path / "v4" / "programme.ics")
    assert {u: state(again, u) for u in again} == {
        u: state(read(tmp_path / "v3" / "programme.ics"), u) for u in again
    }


def test_a_workshop_restored_takes_back_its_event(bundled, tmp_path):
    # v1 trust at the slot, v2 materiality there (a new event), v3 trust back: its own
    # event restored above its cancellation, the other cancelled; SEQUENCE never falls
    instance, v1 = bundled
    trust, materiality = slot_of(v1, TRUST), slot_of(v1, MATERIALITY)
    rest = [w for w in v1.workshops if w.slot not in (TRUST, MATERIALITY)]
    v2 = version(v1, 1, [*rest, moved(materiality, trust)])
    v3 = version(v1, 2, [*rest, materiality, trust])
    options = IcsOptions(items=True)
    write_ics(instance, v2, tmp_path / "v2", options, reference=v1)
    write_ics(instance, v3, tmp_path / "v3", options, reference=[v1, v2])
    before, after = read(tmp_path / "v2" / "programme.ics"), read(tmp_path / "v3" / "programme.ics")
    old, new = ics.workshop_uid(instance, TRUST), ics.workshop_uid(instance, TRUST, 2)
    assert state(before, old) == ("CANCELLED", 1) and state(before, new) == ("CONFIRMED", 1)
    assert state(after, old) == ("CONFIRMED", 2) and state(after, new) == ("CANCELLED", 2)
    assert state(after, ics.workshop_uid(instance, MATERIALITY)) == ("CONFIRMED", 2)
    assert ics.workshop_uid(instance, MATERIALITY, 2) not in after
    for uid, event in before.items():
        assert int(after[uid]["SEQUENCE"]) >= int(event["SEQUENCE"]), uid
    for proposal in trust.proposals:
        assert str(after[ics.talk_uid(instance, proposal)]["RELATED-TO"]) == old


def test_identities_are_the_same_for_the_same_chain(bundled, tmp_path):
    instance, v1 = bundled
    v2, v3 = withdrawn_then_replaced(v1)
    for folder in ("a", "b"):
        write_ics(instance, v3, tmp_path / folder, IcsOptions(items=True), reference=[v1, v2])
    first = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.ics"))
    second = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.ics"))
    assert first == second
    for path in first:
        assert (tmp_path / "a" / path).read_bytes() == (tmp_path / "b" / path).read_bytes()
    assert ics.workshop_identities(instance, [v1, v2, v3])[2][TRUST] == ics.workshop_uid(
        instance, TRUST, 2
    )


def test_a_chain_where_no_slot_changed_workshop_keeps_the_slots_uids(bundled):
    instance, v1 = bundled
    v2 = version(v1, 1, [w for w in v1.workshops if w.slot != TRUST])
    for uids in ics.workshop_identities(instance, [v1, v2, v1]):
        assert all(uid == ics.workshop_uid(instance, slot) for slot, uid in uids.items())


def re_solved(reference: Solution, workshops: list[Workshop]) -> Solution:
    """A re-solve of `reference` holding `workshops`, as `solve --reference` writes it:
    its revision the reference's plus one, its calendar events carried on from it."""
    solution = version(reference, reference.revision + 1, workshops)
    solution.events = calendar_events([reference, solution.model_copy(update={"events": []})])[-1]
    return solution


def test_replacement_uids_do_not_depend_on_the_references_given(bundled, tmp_path):
    # LIVE-6: the trust slot held a new workshop in each of three re-solves (/2, /3,
    # /4). Exported with only the last publication, the numbers were counted from it: v4's
    # workshop came out as /2, a UID every client held for v2's cancelled workshop, and
    # v3's /3 was never cancelled (two workshops in one room at one time)
    instance, v1 = bundled
    trust = slot_of(v1, TRUST)
    others = {s: slot_of(v1, s) for s in (MATERIALITY, "wed-pm-seine", "thu-pm-seine")}
    chain = [v1]
    for slot, visitor in others.items():
        rest = [w for w in v1.workshops if w.slot not in (TRUST, slot)]
        chain.append(re_solved(chain[-1], [*rest, moved(visitor, trust)]))
    *published, v4 = chain
    numbers = [ics.workshop_identities(instance, chain)[i][TRUST] for i in range(4)]
    assert numbers == [ics.workshop_uid(instance, TRUST, n) for n in (1, 2, 3, 4)]

    write_ics(instance, v4, tmp_path / "all", IcsOptions(items=True), reference=published)
    write_ics(instance, v4, tmp_path / "last", IcsOptions(items=True), reference=published[-1])
    every, last = (
        read(tmp_path / "all" / "programme.ics"),
        read(tmp_path / "last" / "programme.ics"),
    )
    confirmed = {u for u, e in every.items() if str(e["STATUS"]) == "CONFIRMED"}
    assert confirmed == {u for u, e in last.items() if str(e["STATUS"]) == "CONFIRMED"}
    assert state(last, ics.workshop_uid(instance, TRUST, 4))[0] == "CONFIRMED"
    assert state(last, ics.workshop_uid(instance, TRUST, 3))[0] == "CANCELLED"
    # the same UIDs in every calendar, and the chain's numbers survive the file
    for path in (tmp_path / "last").rglob("*.ics"):
        theirs = tmp_path / "all" / path.relative_to(tmp_path / "last")
        assert set(read(path)) <= set(read(theirs)), path
    again = Solution.model_validate_json(v4.to_json())
    assert (
        ics.workshop_identities(instance, [again])[0]
        == ics.workshop_identities(instance, chain)[-1]
    )


def test_a_re_solve_of_an_older_version_takes_no_number_a_later_one_gave(bundled, tmp_path):
    # v2 published with another workshop in the trust slot (/2); then a coordinator
    # re-solved v1 by mistake, another workshop again in that slot. Its events, carried on
    # from v1, numbered it /2 too: exported with v1 and v2, the UID every subscriber held
    # for v2's workshop was "updated" to another one, and that one was never cancelled
    instance, v1 = bundled
    trust = slot_of(v1, TRUST)
    visitors = [slot_of(v1, s) for s in (MATERIALITY, "wed-pm-seine")]
    v2, v2b = (
        re_solved(
            v1, [*(w for w in v1.workshops if w.slot not in (TRUST, v.slot)), moved(v, trust)]
        )
        for v in visitors
    )
    assert v2.revision == v2b.revision == 1
    second, third = (ics.workshop_uid(instance, TRUST, n) for n in (2, 3))
    assert ics.workshop_identities(instance, [v1, v2])[-1][TRUST] == second
    assert ics.workshop_identities(instance, [v1, v2b])[-1][TRUST] == second
    # given the chain its subscribers followed, the next number, the one before cancelled
    assert ics.workshop_identities(instance, [v1, v2, v2b])[-1][TRUST] == third
    write_ics(instance, v2b, tmp_path, IcsOptions(), reference=[v1, v2])
    events = read(tmp_path / "programme.ics")
    assert state(events, third)[0] == "CONFIRMED"
    assert state(events, second)[0] == "CANCELLED"
    assert str(events[third]["SUMMARY"]) != str(events[second]["SUMMARY"])
    # and a re-solve of it numbers on from the chain too, as does a chain with no fork
    v3 = re_solved(v2b, v2b.workshops)
    assert ics.workshop_identities(instance, [v1, v2, v2b, v3])[-1][TRUST] == third
    v3 = re_solved(v2, v2.workshops)
    assert ics.workshop_identities(instance, [v1, v2, v3])[-1][TRUST] == second


def test_a_schedule_solved_afresh_records_no_events(bundled, closed_and_re_solved):
    # (its file reads as before: every workshop is its slot's first), and a re-solve
    # carries its reference's on
    _, v1 = bundled
    assert not v1.events and '"events"' not in v1.to_json()
    instance, _, v2 = closed_and_re_solved
    assert v2.events and {e.slot for e in v2.events} >= {w.slot for w in v1.workshops}


# -- calendars of an earlier export left in the folder --------------------------


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return stop.value.code, " ".join(out.split()), " ".join(err.split())


@pytest.mark.parametrize("command", ["ics", "all"])
def test_calendars_of_an_earlier_export_left_in_the_folder_are_named(
    command, bundled, tmp_path, capsys
):
    # exported into the folder of the last publication without --reference: the files of
    # the speakers and theme no longer scheduled stayed there, confirmed, without a word
    instance, v1 = bundled
    v2, _ = withdrawn_then_replaced(v1)
    paths = [v.write(tmp_path / f"v{i}.json") for i, v in enumerate((v1, v2), 1)]
    instance_path = ROOT / "instances" / "commons-ai-2026.yaml"
    out = tmp_path / "site"
    code, _, err = run(["export", "ics", instance_path, paths[0], "-o", out], capsys)
    assert code == 0, err
    assert "earlier export" not in err
    trust = slot_of(v1, TRUST)
    still = {s for w in v2.workshops for s in speakers_of(instance, w)}
    left = speakers_of(instance, trust) - still
    gone = sorted([f"speakers/{s}.ics" for s in left] + [f"themes/{trust.theme}.ics"])
    assert all((out / g).exists() for g in gone)

    code, _, err = run(["export", command, instance_path, paths[1], "-o", out], capsys)
    assert code == 0, err
    assert f"note: {len(gone)} calendars in {out} are from an earlier export" in err
    named = err.split("still confirmed: ")[1].split(";")[0].split(", ")
    assert sorted(named) == gone
    assert "--reference" in err.split("still confirmed: ")[1]
    # with the publication given, they are written again, their events cancelled
    code, _, err = run(
        ["export", command, instance_path, paths[1], "-o", out, "--reference", paths[0]], capsys
    )
    assert code == 0, err
    assert "earlier export" not in err
    for name in gone:
        assert {str(e["STATUS"]) for e in read(out / name).values()} == {"CANCELLED"}, name


def test_calendars_of_an_earlier_export_are_named_in_french_with_lang_fr(bundled, tmp_path, capsys):
    instance, v1 = bundled
    v2, _ = withdrawn_then_replaced(v1)
    paths = [v.write(tmp_path / f"v{i}.json") for i, v in enumerate((v1, v2), 1)]
    instance_path = ROOT / "instances" / "commons-ai-2026.yaml"
    out = tmp_path / "site"
    code, _, err = run(["export", "ics", instance_path, paths[0], "-o", out], capsys)
    assert code == 0, err
    with pytest.raises(SystemExit) as stop:
        main(
            [str(a) for a in ["export", "all", instance_path, paths[1], "-o", out, "--lang", "fr"]]
        )
    _, err = capsys.readouterr()
    assert stop.value.code == 0, err
    stale = err[err.index("note\u00a0: ") :]
    count = int(stale.split()[2])  # (after "note", ":")
    assert count > 1
    assert stale.startswith(
        f"note\u00a0: {count} calendriers de {out} viennent d'un export antérieur, non "
        "réécrits par celui-ci, avec des événements encore confirmés\u00a0: "
    )
    assert stale.rstrip().endswith(
        "\u00a0; s'ils ont été publiés, donnez chaque solution publiée (--reference V1.json "
        "--reference V2.json ..., de la plus ancienne à la plus récente) pour qu'ils soient "
        "réécrits avec ces événements annulés, sinon supprimez-les"
    )
    assert "note: " not in err


# -- a speaker whose talk left a workshop that goes on ---------------------------


def test_a_workshop_that_goes_on_without_a_talk_says_so_and_leaves_her_calendar(bundled, tmp_path):
    # her talk moved out of a workshop that goes on: the workshop stayed in her calendar,
    # confirmed, as it is now (it shared the programme's UID: cancelled there, it was
    # cancelled everywhere); it is now cancelled in hers alone, under her own UID, and
    # the programme says the talk is no longer in it
    instance, v1 = bundled
    trust = slot_of(v1, TRUST)
    leaving = trust.proposals[-1]
    title = v1.titles[leaving]
    (speaker,) = instance.proposal_by_id[leaving].speakers
    shorter = trust.model_copy(
        update={"items": [i for i in trust.items if i.proposal != leaving]}, deep=True
    )
    rest = [w for w in v1.workshops if w.slot != TRUST]
    v2 = version(v1, 1, [*rest, shorter])
    v3 = version(v1, 2, [*rest, shorter])  # (re-published unchanged)
    v4 = version(v1, 3, v1.workshops)  # (her talk back)
    uid = ics.workshop_uid(instance, TRUST)
    hers = ics.speaker_event_uid(instance, speaker, uid)
    assert hers == f"{instance.name}/speaker/{speaker}/workshop/{TRUST}@commons-scheduler"
    line = f"Ne fait plus partie de cet atelier\u00a0: «\u00a0{title}\u00a0»"
    write_ics(instance, v2, tmp_path / "v2", IcsOptions(), reference=v1)
    write_ics(instance, v3, tmp_path / "v3", IcsOptions(), reference=[v1, v2])
    write_ics(instance, v4, tmp_path / "v4", IcsOptions(), reference=[v1, v2, v3])

    programme = read(tmp_path / "v2" / "programme.ics")[uid]
    assert state({uid: programme}, uid) == ("CONFIRMED", 1)
    assert str(programme["DESCRIPTION"]).endswith(f"\n\n{line}")
    mine = read(tmp_path / "v2" / "speakers" / f"{speaker}.ics")
    assert set(mine) == {hers}
    assert state(mine, hers) == ("CANCELLED", 1)
    assert title in str(mine[hers]["DESCRIPTION"])  # (as she held it)
    # the programme's event, byte for byte, in every calendar that shares its UID (a
    # client that merged them sees one event); the other speakers hold it as it is,
    # under UIDs of their own
    for path in (tmp_path / "v2").rglob("*.ics"):
        event = read(path).get(uid)
        if event is not None:
            assert event.to_ical() == programme.to_ical(), path
    for other in speakers_of(instance, shorter) - {speaker}:
        copy = read(tmp_path / "v2" / "speakers" / f"{other}.ics")
        event = copy[ics.speaker_event_uid(instance, other, uid)]
        assert state({uid: event}, uid) == ("CONFIRMED", 1)
        assert event["DESCRIPTION"] == programme["DESCRIPTION"]
    # re-published unchanged: the same, at the same SEQUENCEs
    again = read(tmp_path / "v3" / "programme.ics")[uid]
    assert again.to_ical() == programme.to_ical()
    assert state(read(tmp_path / "v3" / "speakers" / f"{speaker}.ics"), hers) == (
        "CANCELLED",
        1,
    )
    # her talk back: the line goes, the event updated, and restored in her calendar
    back = read(tmp_path / "v4" / "programme.ics")[uid]
    assert line not in str(back["DESCRIPTION"]) and title in str(back["DESCRIPTION"])
    assert state({uid: back}, uid) == ("CONFIRMED", 3)
    assert state(read(tmp_path / "v4" / "speakers" / f"{speaker}.ics"), hers) == (
        "CONFIRMED",
        3,
    )
    # without a published version, nothing left anything
    write_ics(instance, v2, tmp_path / "plain", IcsOptions())
    assert line not in str(read(tmp_path / "plain" / "programme.ics")[uid]["DESCRIPTION"])


def swapped(solution: Solution, revision: int, one: str, other: str) -> Solution:
    """`solution` with the talks `one` and `other` swapped between their workshops, each
    in the other's place in its timeline (their workshops keep their events)."""
    changed = solution.model_copy(update={"revision": revision}, deep=True)
    for workshop in changed.workshops:
        for item in workshop.items:
            if item.proposal in (one, other):
                item.proposal = other if item.proposal == one else one
    return changed


PUTEAUX, AUDITORIUM = "tue-pm-puteaux", "thu-pm-aud"  # (public policy, both)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_talk_that_left_a_workshop_that_goes_on_is_said_where_it_went(bundled, tmp_path, lang):
    # p20 and p35 swapped between two workshops that keep their events: each said only
    # « Ne fait plus partie de cet atelier : « … » », and p20's speaker read in hers
    # « cet atelier a toujours lieu, mais sans vous », without where her talk went
    instance, v1 = bundled
    v2 = swapped(v1, 1, "p20", "p35")
    v3 = version(v2, 2, v2.workshops)  # (re-published unchanged)
    options = IcsOptions(lang=lang)
    write_ics(instance, v2, tmp_path / "v2", options, reference=v1)
    write_ics(instance, v3, tmp_path / "v3", options, reference=[v1, v2])
    programme = read(tmp_path / "v2" / "programme.ics")
    now = v2.workshop_of()
    assert (now["p20"].slot, now["p35"].slot) == (AUDITORIUM, PUTEAUX)

    def where(workshop: Workshop) -> str:
        return ics.place_label(ics.place_of(instance, workshop), lang)

    line = {
        "fr": "Ne fait plus partie de cet atelier\u00a0: «\u00a0{}\u00a0», qui a désormais "
        "lieu le {}.",
        "en": "No longer in this workshop: “{}”, which now takes place on {}.",
    }[lang]
    for left, went in (("p20", "p35"), ("p35", "p20")):
        uid = ics.workshop_uid(instance, now[went].slot)
        said = str(programme[uid]["DESCRIPTION"])
        assert said.endswith("\n\n" + line.format(v1.titles[left], where(now[left]))), said
        assert state(programme, uid) == ("CONFIRMED", 1)
    assert (
        where(now["p20"])
        == {
            "fr": "jeudi 3 décembre, 14:00–15:30, Auditorium Grande Arche",
            "en": "Thursday 3 December, 14:00–15:30, Auditorium Grande Arche",
        }[lang]
    )

    # p20's speaker: the workshop she left, cancelled in hers, says where her talk is
    (speaker,) = instance.proposal_by_id["p20"].speakers
    hers = read_as_programme(tmp_path / "v2" / "speakers" / f"{speaker}.ics")
    left = ics.workshop_uid(instance, PUTEAUX)
    assert state(hers, left) == ("CANCELLED", 1)
    head = str(hers[left]["DESCRIPTION"]).split("\n\n")[0].split("\n")
    assert head == [
        ics.LEFT_NOTES[lang]["workshop"].removesuffix(" " + ics.FOR_REFERENCE[lang]),
        ics.TALK_PLACES[lang]["moved"][0].format(
            title=ics._quoted(v1.titles["p20"], lang), where=where(now["p20"])
        ),
        ics.FOR_REFERENCE[lang],
    ]
    assert state(hers, ics.workshop_uid(instance, AUDITORIUM)) == ("CONFIRMED", 1)

    # re-published unchanged: the same text, at the same SEQUENCEs
    again = read(tmp_path / "v3" / "programme.ics")
    assert {u: (str(e["DESCRIPTION"]), state(again, u)) for u, e in again.items()} == {
        u: (str(e["DESCRIPTION"]), state(programme, u)) for u, e in programme.items()
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_talk_from_a_workshop_that_goes_on_is_said_where_it_was(bundled, tmp_path, lang):
    # « avait lieu auparavant » covered only the talks of workshops cancelled in that
    # version: p20, moved out of a workshop that kept its event, read in its new one as
    # if it had always been there
    instance, v1 = bundled
    v2 = swapped(v1, 1, "p20", "p35")
    v3 = version(v2, 2, v2.workshops)
    v4 = swapped(v3, 3, "p20", "p35")  # (back where they were)
    options = IcsOptions(lang=lang, items=True)
    for n, (new, published) in enumerate(((v2, [v1]), (v3, [v1, v2]), (v4, [v1, v2, v3]))):
        write_ics(instance, new, tmp_path / f"v{n + 2}", options, reference=published)
    programme = read(tmp_path / "v2" / "programme.ics")
    was, now = v1.workshop_of(), v2.workshop_of()
    for came in ("p20", "p35"):
        uid = ics.workshop_uid(instance, now[came].slot)
        line = ics.ARRIVED_FROM[lang][0].format(
            title=ics._quoted(v1.titles[came], lang),
            where=ics.place_label(ics.place_of(instance, was[came]), lang),
        )
        # in every calendar that holds it, its speakers' included: the line names its talk
        holders = [
            tmp_path / "v2" / "programme.ics",
            tmp_path / "v2" / "rooms" / f"{now[came].room}.ics",
            *(tmp_path / "v2" / "speakers" / f"{s}.ics" for s in speakers_of(instance, now[came])),
        ]
        for path in holders:
            assert str(read_as_programme(path)[uid]["DESCRIPTION"]).startswith(f"{line}\n\n")
    p35 = read(tmp_path / "v2" / "programme.ics")[ics.workshop_uid(instance, PUTEAUX)]
    assert (
        str(p35["DESCRIPTION"]).split("\n")[0]
        == {
            "fr": f"«\u00a0{v1.titles['p35']}\u00a0» avait lieu auparavant le jeudi 3 décembre, "
            "14:00–15:30, Auditorium Grande Arche.",
            "en": f"“{v1.titles['p35']}” previously took place on Thursday 3 December, 14:00–15:30, "
            "Auditorium Grande Arche.",
        }[lang]
    )
    # re-published unchanged: nothing raised
    again = read(tmp_path / "v3" / "programme.ics")
    assert {u: (str(e["DESCRIPTION"]), state(again, u)) for u, e in again.items()} == {
        u: (str(e["DESCRIPTION"]), state(programme, u)) for u, e in programme.items()
    }
    # swapped back: each is said to come from where the last publication had it
    back = read(tmp_path / "v4" / "programme.ics")
    uid = ics.workshop_uid(instance, PUTEAUX)
    assert state(back, uid) == ("CONFIRMED", 3)
    assert str(back[uid]["DESCRIPTION"]).startswith(
        ics.ARRIVED_FROM[lang][0].format(
            title=ics._quoted(v1.titles["p20"], lang),
            where=ics.place_label(ics.place_of(instance, slot_of(v3, AUDITORIUM)), lang),
        )
        + "\n\n"
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_talks_from_one_place_or_to_one_place_share_a_line(bundled, tmp_path, lang):
    # two initiatives swapped each way between two workshops: a line per talk repeated
    # the same day, times and room (« « A » avait lieu auparavant le jeudi 3 décembre,
    # 09:30–11:30, Salle Puteaux. » then « « B » avait lieu auparavant le jeudi 3 … »)
    instance, v1 = bundled
    v2 = swapped(swapped(v1, 1, "p23", "p30"), 1, "p24", "p31")
    write_ics(instance, v2, tmp_path, IcsOptions(lang=lang), reference=v1)
    programme = read(tmp_path / "programme.ics")
    wednesday, thursday = slot_of(v1, "wed-pm-puteaux"), slot_of(v1, "thu-am-puteaux")
    said = str(programme[ics.workshop_uid(instance, wednesday.slot)]["DESCRIPTION"])
    came, went = (
        ics._listed([v1.titles[p] for p in pair], lang) for pair in (("p30", "p31"), ("p23", "p24"))
    )
    thursday_at = ics.place_label(ics.place_of(instance, thursday), lang)
    assert (
        thursday_at
        == {
            "fr": "jeudi 3 décembre, 09:30–11:30, Salle Puteaux",
            "en": "Thursday 3 December, 09:30–11:30, Salle Puteaux",
        }[lang]
    )
    head = {
        "fr": f"{came} avaient lieu auparavant le {thursday_at}.",
        "en": f"{came} previously took place on {thursday_at}.",
    }[lang]
    tail = {
        "fr": f"Ne font plus partie de cet atelier\u00a0: {went}, qui ont désormais lieu le "
        f"{thursday_at}.",
        "en": f"No longer in this workshop: {went}, which now take place on {thursday_at}.",
    }[lang]
    assert said.startswith(f"{head}\n\n") and said.endswith(f"\n\n{tail}")
    assert said.count(thursday_at) == 2
    assert " et " in came if lang == "fr" else " and " in came


# -- each speaker's calendar: UIDs of her own -------------------------------------


def test_a_co_presenter_dropped_has_the_talk_and_workshop_cancelled_in_hers(bundled, tmp_path):
    # FOST-1: s06 taken off p04 (and out of the instance), p04 going on with s05: her
    # calendar kept the talk and its workshop confirmed, updated at every publication
    # (it shared the programme's UIDs, which cannot be cancelled there alone)
    _, v1 = bundled
    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    assert v1.speakers["p04"] == ["s05", "s06"]
    next(p for p in data["proposals"] if p["id"] == "p04")["speakers"] = ["s05"]
    data["speakers"] = [s for s in data["speakers"] if s["id"] != "s06"]
    instance = parse_instance(data, "commons-ai-2026.yaml")
    # (re-solved: each records p04's speakers as they are now)
    v2, v3 = (
        version(v1, n, v1.workshops).model_copy(
            update={"speakers": {**v1.speakers, "p04": ["s05"]}}
        )
        for n in (1, 2)
    )
    options = IcsOptions(items=True)
    write_ics(instance, v2, tmp_path / "v2", options, reference=v1)
    write_ics(instance, v3, tmp_path / "v3", options, reference=[v1, v2])
    workshop = next(w for w in v1.workshops if "p04" in w.proposals)
    shared = [ics.workshop_uid(instance, workshop.slot), ics.talk_uid(instance, "p04")]
    hers_talk = f"{instance.name}/speaker/s06/talk/p04@commons-scheduler"
    for folder in ("v2", "v3"):
        programme = read(tmp_path / folder / "programme.ics")
        assert {state(programme, uid)[0] for uid in shared} == {"CONFIRMED"}
        # hers: both cancelled there alone, as she held them, and not updated again
        hers = read(tmp_path / folder / "speakers" / "s06.ics")
        assert set(hers) == {ics.speaker_event_uid(instance, "s06", uid) for uid in shared}
        for uid, event in hers.items():
            assert state(hers, uid) == ("CANCELLED", 1), (folder, uid)
            assert "sans vous" in str(event["DESCRIPTION"]).split("\n")[0]
        assert str(hers[hers_talk]["RELATED-TO"]) == (
            f"{instance.name}/speaker/s06/workshop/{workshop.slot}@commons-scheduler"
        )
        # her co-speaker's: confirmed, as the programme's, under UIDs of her own
        theirs = read(tmp_path / folder / "speakers" / "s05.ics")
        for uid in shared:
            event = theirs[ics.speaker_event_uid(instance, "s05", uid)]
            assert str(event["STATUS"]) == "CONFIRMED"
            assert event["DESCRIPTION"] == programme[uid]["DESCRIPTION"]
            assert event["SEQUENCE"] == programme[uid]["SEQUENCE"]
    # the programme's talk no longer names her; her cancelled copy, as she held it, does
    name = v1.speaker_names["s06"]
    assert name not in str(read(tmp_path / "v2" / "programme.ics")[shared[1]]["DESCRIPTION"])
    talk = read(tmp_path / "v2" / "speakers" / "s06.ics")[hers_talk]
    assert name in str(talk["DESCRIPTION"])


def test_a_speaker_whose_talk_moved_has_the_old_workshop_cancelled_and_the_new_added(
    bundled, tmp_path
):
    # FOST-2: two initiatives swapped between workshops that both go on: each speaker's
    # calendar kept the workshop she left, confirmed
    instance, v1 = bundled
    a, b = "wed-am-seine", "wed-pm-puteaux"
    v2 = version(v1, 1, [w.model_copy(deep=True) for w in v1.workshops])
    one = next(i for i in slot_of(v2, a).items if i.kind.value == "initiative")
    other = next(i for i in slot_of(v2, b).items if i.kind.value == "initiative")
    one.proposal, other.proposal = other.proposal, one.proposal
    moving = other.proposal  # (now in b)
    speakers = set(instance.proposal_by_id[moving].speakers)
    assert speakers and not speakers & speakers_of(instance, slot_of(v2, b)) - speakers
    write_ics(instance, v2, tmp_path, IcsOptions(items=True), reference=v1)
    programme = read(tmp_path / "programme.ics")
    old, new = ics.workshop_uid(instance, a), ics.workshop_uid(instance, b)
    assert state(programme, old) == ("CONFIRMED", 1) and state(programme, new) == ("CONFIRMED", 1)
    for speaker in speakers:
        hers = read(tmp_path / "speakers" / f"{speaker}.ics")
        mine = {uid: ics.speaker_event_uid(instance, speaker, uid) for uid in (old, new)}
        assert state(hers, mine[old]) == ("CANCELLED", 1)
        assert str(hers[mine[old]]["DESCRIPTION"]).startswith("Annulé dans ce calendrier")
        assert state(hers, mine[new]) == ("CONFIRMED", 1)  # (new there, at the revision)
        assert hers[mine[new]]["DESCRIPTION"] == programme[new]["DESCRIPTION"]
        talk = hers[ics.speaker_event_uid(instance, speaker, ics.talk_uid(instance, moving))]
        assert str(talk["STATUS"]) == "CONFIRMED" and int(talk["SEQUENCE"]) == 1
        assert str(talk["RELATED-TO"]) == mine[new]
        # confirmed in hers: exactly the workshops she speaks in now
        confirmed = {
            uid
            for uid, e in read_as_programme(tmp_path / "speakers" / f"{speaker}.ics").items()
            if str(e["STATUS"]) == "CONFIRMED" and "/workshop/" in uid
        }
        assert confirmed == {
            ics.workshop_uid(instance, w.slot)
            for w in v2.workshops
            if speaker in speakers_of(instance, w)
        }


def test_a_slot_moved_to_another_room_is_a_new_event(bundled, tmp_path):
    # a slot given another room at the same times (import --keep keeps its id): the old
    # room's calendar kept the workshop, confirmed, with the new room as LOCATION
    _, v1 = bundled
    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    next(s for s in data["slots"] if s["id"] == TRUST)["room"] = "aud"
    instance = parse_instance(data, "commons-ai-2026.yaml")
    trust = slot_of(v1, TRUST)
    assert trust.room == "seine"
    rest = [w for w in v1.workshops if w.slot != TRUST]
    v2 = version(v1, 1, [*rest, trust.model_copy(update={"room": "aud"})])
    write_ics(instance, v2, tmp_path, IcsOptions(items=True), reference=v1)
    old, new = ics.workshop_uid(instance, TRUST), ics.workshop_uid(instance, TRUST, 2)
    programme = read(tmp_path / "programme.ics")
    assert state(programme, old) == ("CANCELLED", 1) and state(programme, new) == ("CONFIRMED", 1)
    assert str(programme[new]["LOCATION"]).startswith(instance.room_by_id["aud"].name)
    assert str(programme[old]["LOCATION"]).startswith(instance.room_by_id["seine"].name)
    # its talks go on in the new event: the old one does not say the workshop will not
    # take place
    said = str(programme[old]["DESCRIPTION"])
    # (FR2-14: « a lieu désormais à un autre horaire ou dans une autre salle »: where?
    # Then « le jeudi 3 décembre à 09:30 »: until when?)
    start, end = (instance.local(t) for t in (trust.start, trust.end))
    assert said.startswith(
        f"Déplacé\u00a0: cet atelier a désormais lieu le jeudi 3 décembre, "
        f"{start:%H:%M}–{end:%H:%M}, {instance.room_by_id['aud'].name}\u00a0; ses "
        "interventions toujours au programme "
    )
    assert "n'aura pas lieu" not in said
    assert str(programme[old]["SUMMARY"]).startswith(f"DÉPLACÉ — [{trust.language.upper()}] ")
    for proposal in trust.proposals:  # its talks name the new event
        talk = programme[ics.talk_uid(instance, proposal)]
        assert str(talk["RELATED-TO"]) == new and int(talk["SEQUENCE"]) == 1
    seine, aud = read(tmp_path / "rooms" / "seine.ics"), read(tmp_path / "rooms" / "aud.ics")
    assert state(seine, old) == ("CANCELLED", 1) and new not in seine
    assert state(aud, new) == ("CONFIRMED", 1) and old not in aud
    theme = read(tmp_path / "themes" / f"{trust.theme}.ics")
    assert state(theme, old) == ("CANCELLED", 1) and state(theme, new) == ("CONFIRMED", 1)
    for speaker in speakers_of(instance, trust):
        hers = read_as_programme(tmp_path / "speakers" / f"{speaker}.ics")
        assert state(hers, old) == ("CANCELLED", 1) and state(hers, new) == ("CONFIRMED", 1)
        # her own copy says the same (it said the workshop "will not take place")
        assert hers[old]["DESCRIPTION"] == programme[old]["DESCRIPTION"]
    # moved back: the first event restored above its cancellation
    write_ics(instance, version(v1, 2, v1.workshops), tmp_path / "back", reference=[v1, v2])
    back = read(tmp_path / "back" / "programme.ics")
    assert state(back, old) == ("CONFIRMED", 2) and state(back, new) == ("CANCELLED", 2)


def trust_moved_to_the_auditorium(bundled):
    """The bundled instance with the Trust workshop's slot given to the auditorium, its
    first published version, that workshop in it, and a second version holding it there."""
    _, v1 = bundled
    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    next(s for s in data["slots"] if s["id"] == TRUST)["room"] = "aud"
    instance = parse_instance(data, "commons-ai-2026.yaml")
    trust = slot_of(v1, TRUST)
    rest = [w for w in v1.workshops if w.slot != TRUST]
    return instance, v1, trust, version(v1, 1, [*rest, trust.model_copy(update={"room": "aud"})])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_moved_workshop_s_new_event_says_where_it_was(bundled, tmp_path, lang):
    # FR-20: the old event cancelled as « DÉPLACÉ — », the new one said nothing, and an
    # attendee saw a cancellation and an unexplained twin; now its DESCRIPTION starts
    # where it was, in every calendar that holds it
    instance, v1, trust, v2 = trust_moved_to_the_auditorium(bundled)
    write_ics(instance, v2, tmp_path, IcsOptions(lang=lang, items=True), reference=v1)
    new = ics.workshop_uid(instance, TRUST, 2)
    start, end = (instance.local(t) for t in (trust.start, trust.end))
    said = {
        "fr": f"Atelier déplacé\u00a0: il avait lieu auparavant le jeudi 3 décembre, "
        f"{start:%H:%M}–{end:%H:%M}, Salle Seine.",
        "en": f"Workshop moved: it previously took place on Thursday 3 December, "
        f"{start:%H:%M}–{end:%H:%M}, Salle Seine.",
    }[lang]
    paths = [
        tmp_path / "programme.ics",
        tmp_path / "rooms" / "aud.ics",
        tmp_path / "themes" / f"{trust.theme}.ics",
        *(tmp_path / "speakers" / f"{s}.ics" for s in speakers_of(instance, trust)),
    ]
    for path in paths:
        event = read_as_programme(path)[new]
        assert str(event["DESCRIPTION"]).startswith(said + "\n\n"), path
        assert int(event["SEQUENCE"]) == 1, path
    # the workshops that did not move say nothing of it
    programme = read(tmp_path / "programme.ics")
    head = said.split("\u00a0:" if lang == "fr" else ":")[0]  # (« Atelier déplacé »)
    assert sum(head in str(e["DESCRIPTION"]) for e in programme.values()) == 1
    # published with it, it is not a change: the next re-publication leaves it as it is
    v3 = version(v1, 2, v2.workshops)
    write_ics(instance, v3, tmp_path / "v3", IcsOptions(lang=lang, items=True), reference=[v1, v2])
    again = read(tmp_path / "v3" / "programme.ics")[new]
    assert str(again["DESCRIPTION"]).startswith(said) and int(again["SEQUENCE"]) == 1


def test_a_workshop_moved_to_another_slot_says_where_it_was(bundled, tmp_path):
    # the materiality workshop moved into the trust workshop's emptied slot: a new event
    instance, v1 = bundled
    v2, v3 = withdrawn_then_replaced(v1)
    write_ics(instance, v3, tmp_path, IcsOptions(), reference=[v1, v2])
    materiality = slot_of(v1, MATERIALITY)
    start, end = (instance.local(t) for t in (materiality.start, materiality.end))
    room = instance.room_by_id[materiality.room].name
    new = read(tmp_path / "programme.ics")[ics.workshop_uid(instance, TRUST, 2)]
    assert str(new["DESCRIPTION"]).startswith(
        f"Atelier déplacé\u00a0: il avait lieu auparavant le mercredi 2 décembre, "
        f"{start:%H:%M}–{end:%H:%M}, {room}."
    )


def trust_moved_without(v1: Solution, dropped: str) -> Solution:
    """v2: the trust workshop moved into the materiality workshop's slot (that one left
    out, cancelled), without the talk `dropped`."""
    trust, materiality = slot_of(v1, TRUST), slot_of(v1, MATERIALITY)
    shorter = trust.model_copy(
        update={"items": [i for i in trust.items if i.proposal != dropped]}, deep=True
    )
    rest = [w for w in v1.workshops if w.slot not in (TRUST, MATERIALITY)]
    return version(v1, 1, [*rest, moved(shorter, materiality)])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_speaker_whose_talk_is_dropped_from_a_moved_workshop_is_not_told_it_moved(
    bundled, tmp_path, lang
):
    # BIG-15: the trust workshop moved without p27, left unscheduled: p27's speaker read
    # « DÉPLACÉ — … cet atelier a lieu désormais à un autre horaire » in her own
    # calendar, as if her talk had moved, under another speaker's keynote
    instance, v1 = bundled
    trust = slot_of(v1, TRUST)
    (dropped_by,) = instance.proposal_by_id["p27"].speakers
    title = v1.titles["p27"]
    v2 = trust_moved_without(v1, "p27")
    write_ics(instance, v2, tmp_path, IcsOptions(lang=lang), reference=v1)
    old = ics.workshop_uid(instance, TRUST)
    quoted = {"fr": f"«\u00a0{title}\u00a0»", "en": f"“{title}”"}[lang]
    words = {
        "fr": ("ANNULÉ — ", "DÉPLACÉ — ", "Déplacé\u00a0: cet atelier a désormais lieu"),
        "en": ("CANCELLED — ", "MOVED — ", "Moved: this workshop now takes place"),
    }[lang]
    hers = read_as_programme(tmp_path / "speakers" / f"{dropped_by}.ics")
    assert state(hers, old) == ("CANCELLED", 1)
    assert str(hers[old]["SUMMARY"]).startswith(words[0])
    first = str(hers[old]["DESCRIPTION"]).split("\n")[0]
    assert (
        first
        == {
            "fr": f"Annulé dans ce calendrier\u00a0: votre intervention {quoted} n'est plus "
            "programmée. Pour mémoire, voici ce qui avait été publié\u00a0:",
            "en": f"Cancelled in this calendar: your talk {quoted} is no longer scheduled. "
            "For reference, this is what was published:",
        }[lang]
    )
    # the speakers whose talks moved with it: moved, in theirs as in the programme,
    # which says which of its talks is no longer in the programme
    programme = read(tmp_path / "programme.ics")
    description = str(programme[old]["DESCRIPTION"])
    assert str(programme[old]["SUMMARY"]).startswith(words[1])
    head, line, reference = description.split("\n\n")[0].split("\n")
    assert head.startswith(words[2])
    assert (
        line
        == {
            "fr": f"{quoted} ne figure plus au programme.",
            "en": f"{quoted} is no longer in the programme.",
        }[lang]
    )
    assert reference == ics.FOR_REFERENCE[lang]
    for speaker in speakers_of(instance, trust) - {dropped_by}:
        theirs = read_as_programme(tmp_path / "speakers" / f"{speaker}.ics")
        assert state(theirs, old) == ("CANCELLED", 1)
        assert theirs[old]["SUMMARY"] == programme[old]["SUMMARY"]
        assert theirs[old]["DESCRIPTION"] == programme[old]["DESCRIPTION"]
    # a workshop none of whose talks is scheduled is cancelled as before, in every one
    materiality = ics.workshop_uid(instance, MATERIALITY)
    assert str(programme[materiality]["DESCRIPTION"]).startswith(
        ics.CANCELLED_NOTES[lang]["workshop"] + "\n\n"
    )
    for speaker in speakers_of(instance, slot_of(v1, MATERIALITY)):
        theirs = read_as_programme(tmp_path / "speakers" / f"{speaker}.ics")
        assert theirs[materiality]["DESCRIPTION"] == programme[materiality]["DESCRIPTION"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_workshop_whose_keynote_was_withdrawn_is_not_said_moved(bundled, tmp_path, lang):
    # BIG-15: the trust workshop's keynote p06 withdrawn and its initiatives moved: the
    # programme cancelled it as « DÉPLACÉ — Atelier — <p06's title> » (an attendee read
    # that the keynote moved), and so did p06's speaker's own calendar
    _, v1 = bundled
    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    data["proposals"] = [p for p in data["proposals"] if p["id"] != "p06"]
    instance = parse_instance(data, "commons-ai-2026.yaml")
    (speaker,) = v1.speakers["p06"]
    title = v1.titles["p06"]
    quoted = {"fr": f"«\u00a0{title}\u00a0»", "en": f"“{title}”"}[lang]
    v2 = trust_moved_without(v1, "p06")
    write_ics(instance, v2, tmp_path, IcsOptions(lang=lang), reference=v1)
    old = ics.workshop_uid(instance, TRUST)
    cancelled = {"fr": "ANNULÉ — ", "en": "CANCELLED — "}[lang]
    programme = read(tmp_path / "programme.ics")
    assert state(programme, old) == ("CANCELLED", 1)
    assert str(programme[old]["SUMMARY"]).startswith(cancelled)
    # (FR2-9: its note named no talk, and a line under it then repeated p06's title)
    head, *lines, reference = str(programme[old]["DESCRIPTION"]).split("\n\n")[0].split("\n")
    assert (
        head
        == {
            "fr": f"Annulé\u00a0: cet atelier n'a plus lieu tel que publié, car {quoted}, qui lui "
            "donne son titre, n'est plus au programme.",
            "en": f"Cancelled: this workshop no longer takes place as published, as {quoted}, the "
            "talk it is named after, is no longer in the programme.",
        }[lang]
    )
    assert reference == ics.FOR_REFERENCE[lang]
    # its other talks: where each now is (« ses interventions toujours au programme
    # figurent dans le programme mis à jour », and the reader looked for them)
    materiality = slot_of(v1, MATERIALITY)
    start = instance.local(materiality.start)
    end = start + (slot_of(v1, TRUST).end - slot_of(v1, TRUST).start)
    where = {
        "fr": f"le mercredi 2 décembre, {start:%H:%M}–{end:%H:%M}, Salle Puteaux.",
        "en": f"on Wednesday 2 December, {start:%H:%M}–{end:%H:%M}, Salle Puteaux.",
    }[lang]
    # (both in one place: one line names them, « « … » et « … » ont désormais lieu … »)
    first, second = (ics._quoted(v1.titles[p], lang) for p in ("p26", "p27"))
    both = {
        "fr": f"{first} et {second} ont désormais lieu",
        "en": f"{first} and {second} now take place",
    }[lang]
    assert lines == [f"{both} {where}"]
    # in his own calendar: withdrawn
    hers = read_as_programme(tmp_path / "speakers" / f"{speaker}.ics")
    assert state(hers, old) == ("CANCELLED", 1)
    assert str(hers[old]["SUMMARY"]).startswith(cancelled)
    assert (
        str(hers[old]["DESCRIPTION"]).split("\n")[0]
        == {
            "fr": f"Annulé dans ce calendrier\u00a0: votre intervention {quoted} a été retirée du "
            "programme. Pour mémoire, voici ce qui avait été publié\u00a0:",
            "en": f"Cancelled in this calendar: your talk {quoted} was withdrawn from the "
            "programme. For reference, this is what was published:",
        }[lang]
    )
    # the wording is not a change of its own: as every cancellation, SEQUENCE 1
    assert {state(programme, u)[1] for u in programme if state(programme, u)[0] == "CANCELLED"} == {
        1
    }


def test_a_moved_workshop_says_where_the_talk_it_is_named_after_was(bundled, tmp_path):
    # BIG-15's export: two workshops of a theme moved, one initiative of each swapped;
    # with a talk in common with each, the new « Atelier — Conférence 34 » said it was
    # where « Atelier — Conférence 184 » had been (the first pairing found), and the
    # other the reverse
    instance, v1 = bundled
    first, second = slot_of(v1, "tue-am-aud"), slot_of(v1, "wed-am-seine")
    assert (first.theme, ics.lead_talk(first)) == ("open-models", "p01")
    assert (second.theme, ics.lead_talk(second)) == ("open-models", "p02")

    def keeping(workshop: Workshop, swap: dict[str, str], into: str) -> Workshop:
        items = [
            i.model_copy(update={"proposal": swap.get(i.proposal, i.proposal)})
            for i in workshop.items
            if i.proposal in (None, ics.lead_talk(workshop), *swap)
        ]
        return moved(workshop.model_copy(update={"items": items}), slot_of(v1, into))

    # (p02's workshop, with p01's initiative p29, listed first: it was paired with p01's)
    led_by_p02 = keeping(second, {"p13": "p29"}, "thu-pm-seine")
    led_by_p01 = keeping(first, {"p29": "p13"}, "tue-late-aud")
    gone = (first.slot, second.slot, "thu-pm-seine", "tue-late-aud")
    rest = [w for w in v1.workshops if w.slot not in gone]
    v2 = version(v1, 1, [led_by_p02, led_by_p01, *rest])
    write_ics(instance, v2, tmp_path, IcsOptions(), reference=v1)
    programme = read(tmp_path / "programme.ics")
    for workshop, was in ((led_by_p02, second), (led_by_p01, first)):
        event = programme[ics.workshop_uid(instance, workshop.slot, 2)]
        assert str(event["DESCRIPTION"]).startswith(ics.moved_note(instance, was, "fr") + "\n")
        assert str(event["SUMMARY"]) == ics.workshop_summary(instance, was, "fr")[0]
    # its talks went to two places: the old events say where each of them is now (they
    # said « a désormais lieu à un autre horaire ou dans une autre salle » of the whole)
    # in the timeline's order, and those scheduled nowhere as before
    kept = {p: w for w in (led_by_p01, led_by_p02) for p in w.proposals}
    for workshop in (first, second):
        said = str(programme[ics.workshop_uid(instance, workshop.slot)]["DESCRIPTION"])
        head, *lines, reference = said.split("\n\n")[0].split("\n")
        assert head == ics.MOVED_NOTES["fr"]["split"].removesuffix(" " + ics.FOR_REFERENCE["fr"])
        assert reference == ics.FOR_REFERENCE["fr"]
        assert lines == [
            f"«\u00a0{v1.titles[p]}\u00a0» a désormais lieu le "
            f"{ics.place_label(ics.place_of(instance, kept[p]), 'fr')}."
            if p in kept
            else f"«\u00a0{v1.titles[p]}\u00a0» ne figure plus au programme."
            for p in workshop.proposals
        ]
        assert {p for p in workshop.proposals if p in kept} == {
            ics.lead_talk(workshop),
            *({"p29"} if workshop is first else {"p13"}),
        }
    # FR2-2: in her own calendar, the speaker of the initiative swapped in read « Déplacé
    # : auparavant <where the other workshop was> » as her talk having been there; the
    # line is now only in the calendars of speakers whose talk was there
    # Each new event says, under its own line, where the talk that came from the other
    # was (it said nothing of it), in every calendar: the line names its talk
    for workshop, was, came, other in (
        (led_by_p02, second, "p29", first),
        (led_by_p01, first, "p13", second),
    ):
        uid = ics.workshop_uid(instance, workshop.slot, 2)
        note = ics.moved_note(instance, was, "fr")
        arrived = ics.arrived_note(instance, [v1.titles[came]], other, "fr")
        assert arrived == (
            f"«\u00a0{v1.titles[came]}\u00a0» avait lieu auparavant le "
            f"{ics.place_label(ics.place_of(instance, other), 'fr')}."
        )
        assert str(programme[uid]["DESCRIPTION"]).startswith(f"{note}\n{arrived}\n\n")
        for speaker in speakers_of(instance, workshop):
            description = str(
                read_as_programme(tmp_path / "speakers" / f"{speaker}.ics")[uid]["DESCRIPTION"]
            )
            if speaker in instance.proposal_by_id[came].speakers:
                assert note not in description, speaker
                assert description == str(programme[uid]["DESCRIPTION"]).removeprefix(note + "\n")
                assert description.startswith(arrived + "\n\n")
            else:
                assert description.startswith(f"{note}\n{arrived}\n\n"), speaker


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_moved_workshop_s_old_event_gives_the_time_range_where_it_went(bundled, tmp_path, lang):
    # « cet atelier a désormais lieu le jeudi 3 décembre à 09:30, Auditorium … »: the
    # start alone, where its new event (and the grid) gave the range
    instance, v1, trust, v2 = trust_moved_to_the_auditorium(bundled)
    write_ics(instance, v2, tmp_path, IcsOptions(lang=lang), reference=v1)
    old = read(tmp_path / "programme.ics")[ics.workshop_uid(instance, TRUST)]
    start, end = (instance.local(t) for t in (trust.start, trust.end))
    assert (start.day, end.day) == (3, 3)
    assert (
        str(old["DESCRIPTION"]).split("\n")[0]
        == {
            "fr": f"Déplacé\u00a0: cet atelier a désormais lieu le jeudi 3 décembre, "
            f"{start:%H:%M}–{end:%H:%M}, Auditorium Grande Arche\u00a0; ses interventions "
            "toujours au programme figurent dans le programme mis à jour. Pour mémoire, voici "
            "ce qui avait été publié\u00a0:",
            "en": f"Moved: this workshop now takes place on Thursday 3 December, "
            f"{start:%H:%M}–{end:%H:%M}, Auditorium Grande Arche; its talks still scheduled are "
            "in the updated programme. For reference, this is what was published:",
        }[lang]
    )


CLOSED = "wed-am-seine"


@pytest.fixture(scope="module")
def closed_and_re_solved(bundled) -> tuple[Instance, Solution, Solution]:
    """A re-publication as FOST makes one: the bundled instance with the slot of its
    biggest workshop closed (the room taken back), re-solved against the published
    schedule, which has no free slot to move it to whole; the re-solve passes the
    validator."""
    _, v1 = bundled
    data = yaml.safe_load((ROOT / "instances" / "commons-ai-2026.yaml").read_text())
    next(s for s in data["slots"] if s["id"] == CLOSED)["closed"] = True
    instance = parse_instance(data, "commons-ai-2026.yaml")
    options = SolveOptions(time_limit=60, workers=1, deterministic_time=5)
    v2 = solve(instance, "sha256:closed", options, reference=v1)
    assert v2.has_schedule and v2.revision == 1
    assert validate(instance, v2, reference=v1).violations == []
    return instance, v1, v2


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_workshop_split_between_workshops_says_where_each_talk_went(
    closed_and_re_solved, tmp_path, lang
):
    # its slot closed, the workshop's keynote and initiatives placed in three other
    # workshops: its cancellation said « a désormais lieu à un autre horaire ou dans une
    # autre salle » and the workshops that took its talks, which kept their events, said
    # nothing, so an attendee (or a speaker) of the published workshop had to find each
    # talk in the new programme
    instance, v1, v2 = closed_and_re_solved
    split = slot_of(v1, CLOSED)
    now = v2.workshop_of()
    talks = [p for p in split.proposals if p in now]
    assert len({now[p].slot for p in talks}) >= 2  # (split)
    write_ics(instance, v2, tmp_path, IcsOptions(lang=lang, items=True), reference=v1)
    programme = read(tmp_path / "programme.ics")

    def where(workshop: Workshop) -> str:
        return ics.place_label(ics.place_of(instance, workshop), lang)

    # the old event: moved, a line per talk saying where it now takes place
    old = programme[ics.workshop_uid(instance, CLOSED)]
    assert state(programme, ics.workshop_uid(instance, CLOSED)) == ("CANCELLED", 1)
    assert str(old["SUMMARY"]).startswith({"fr": "DÉPLACÉ — ", "en": "MOVED — "}[lang])
    head, *lines, reference = str(old["DESCRIPTION"]).split("\n\n")[0].split("\n")
    assert (
        head
        == {
            "fr": "Déplacé\u00a0: les interventions de cet atelier sont désormais réparties entre "
            "plusieurs ateliers.",
            "en": "Moved: this workshop's talks are now spread over several workshops.",
        }[lang]
    )
    assert reference == ics.FOR_REFERENCE[lang]
    # a line per place, naming the talks there, in the timeline's order of the first
    moves = {
        "fr": ("{} a désormais lieu le {}.", "{} ont désormais lieu le {}."),
        "en": ("{} now takes place on {}.", "{} now take place on {}."),
    }[lang]
    nowhere = {"fr": "{} ne figure plus au programme.", "en": "{} is no longer in the programme."}
    places: dict[str, list[str]] = {}
    for p in split.proposals:  # (by slot; a talk scheduled nowhere alone)
        places.setdefault(now[p].slot if p in now else p, []).append(p)
    assert any(len(ps) > 1 for ps in places.values())  # (three went to one workshop)

    def listed(proposals: list[str]) -> str:
        return ics._listed([v1.titles[p] for p in proposals], lang)

    assert lines == [
        moves[len(ps) > 1].format(listed(ps), where(now[ps[0]]))
        if ps[0] in now
        else nowhere[lang].format(listed(ps))
        for ps in places.values()
    ]
    if lang == "fr":  # (« Licences libres … » a désormais lieu le jeudi 3 décembre, …)
        assert all("\u00a0»" in line and "«\u00a0" in line and "–" in line for line in lines)
    # so does each of its speakers' copy, her talk among them
    for speaker in speakers_of(instance, split):
        hers = read_as_programme(tmp_path / "speakers" / f"{speaker}.ics")
        assert hers[ics.workshop_uid(instance, CLOSED)]["DESCRIPTION"] == old["DESCRIPTION"]

    # each workshop that took some of them: where they were, in every calendar holding it
    was = {
        "fr": (
            f"{{}} avait lieu auparavant le {where(split)}.",
            f"{{}} avaient lieu auparavant le {where(split)}.",
        ),
        "en": (f"{{}} previously took place on {where(split)}.",) * 2,
    }[lang]
    moved_whole = ics.moved_note(instance, split, lang)
    identities = ics.workshop_identities(instance, [v1, v2])[-1]
    for workshop in {now[p].slot: now[p] for p in talks}.values():
        came = [p for p in workshop.proposals if p in talks]
        uid = identities[workshop.slot]
        expected = [was[len(came) > 1].format(listed(came))]  # (one line: one place)
        paths = [
            tmp_path / "programme.ics",
            tmp_path / "rooms" / f"{workshop.room}.ics",
            tmp_path / "themes" / f"{workshop.theme}.ics",
            *(tmp_path / "speakers" / f"{s}.ics" for s in speakers_of(instance, workshop)),
        ]
        for path in paths:
            header = str(read_as_programme(path)[uid]["DESCRIPTION"]).split("\n\n")[0]
            # (or, a new event said to be the split workshop moved, its own line)
            assert header.split("\n") == expected or header.startswith(moved_whole), path
    # the other workshops say nothing of it
    took = {identities[now[p].slot] for p in talks}
    others = [e for u, e in programme.items() if "/workshop/" in u and u not in took]
    assert others and not any(where(split) in str(e["DESCRIPTION"]) for e in others)

    # published so, the next re-publication of the same schedule raises nothing
    options = IcsOptions(lang=lang, items=True)
    write_ics(instance, version(v2, 2, v2.workshops), tmp_path / "v3", options, [v1, v2])
    again = read(tmp_path / "v3" / "programme.ics")
    assert {u: (str(e["DESCRIPTION"]), state(again, u)) for u, e in again.items()} == {
        u: (str(e["DESCRIPTION"]), state(programme, u)) for u, e in programme.items()
    }
    # and the same input gives the same bytes
    write_ics(instance, v2, tmp_path / "again", options, reference=v1)
    for path in (tmp_path / "again").rglob("*.ics"):
        first = tmp_path / path.relative_to(tmp_path / "again")
        assert first.read_bytes() == path.read_bytes(), path


def test_a_slot_moved_in_time_within_its_room_keeps_its_event(bundled, tmp_path):
    instance, v1 = bundled
    trust = slot_of(v1, TRUST)
    later = moved(trust, trust.model_copy(update={"start": trust.start + timedelta(minutes=30)}))
    v2 = version(v1, 1, [*(w for w in v1.workshops if w.slot != TRUST), later])
    assert ics.workshop_identities(instance, [v1, v2])[1][TRUST] == ics.workshop_uid(
        instance, TRUST
    )
    write_ics(instance, v2, tmp_path, IcsOptions(), reference=v1)
    assert state(
        read(tmp_path / "rooms" / f"{trust.room}.ics"), ics.workshop_uid(instance, TRUST)
    ) == (
        "CONFIRMED",
        1,
    )


def test_every_calendar_is_a_publish_that_icalendar_reads_back(bundled, tmp_path):
    # RFC 5546 PUBLISH: events a client adds, updates by SEQUENCE, or removes by
    # STATUS:CANCELLED (without METHOD, a file is a snapshot of events)
    instance, v1 = bundled
    v2, v3 = withdrawn_then_replaced(v1)
    write_ics(instance, v3, tmp_path, IcsOptions(items=True), reference=[v1, v2])
    paths = sorted(tmp_path.rglob("*.ics"))
    assert len(paths) > 20
    for path in paths:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        assert str(calendar["METHOD"]) == "PUBLISH", path
        assert b"\r\nMETHOD:PUBLISH\r\n" in path.read_bytes()
        uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
        assert len(uids) == len(set(uids)), path
        if path.parent.name == "speakers":
            assert all(u.startswith(f"{instance.name}/speaker/{path.stem}/") for u in uids)
        else:
            assert not any("/speaker/" in u for u in uids), path
