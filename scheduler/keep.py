"""Keep what has already happened when re-solving during the event.

`solve --reference PUBLISHED.json --keep-before MOMENT` holds every published
workshop whose slot starts before MOMENT: its proposals are pinned to its slot, the
slot is frozen (no other proposal joins them) and keeps the workshop's theme and
language. Its timeline follows the rules as they are (`retimed` notes where that is
not the published one). Its slot closed, its speakers' windows, and its members'
themes and language, where recorded since so as to rule it out, are waived for its
slot (`_waive_windows`, `_waive_labels`): the talk was given. A talk still to come there
follows the instance as recorded now: its slot closed since, a speaker recorded away
over its time, or its themes or language edited so as to leave out the workshop's (which
began under them), and it leaves the workshop (`_release`). A slot starting before MOMENT that held no
workshop, or one whose members have all left the instance, is closed. Only what starts later is re-composed, so a keynote that was
given on Tuesday morning is never moved to Thursday to open another workshop.

The instance is changed in memory only; its file stays as it was, and the
solution is valid against it (pins and frozen slots only remove schedules), but for
what is waived, which `validate` with the same `--keep-before` waives too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from scheduler.errors import InputError
from scheduler.instance import Instance, Language, Proposal, Slot, Window, covers
from scheduler.solution import Item, ItemKind, Solution, Workshop
from scheduler.text import DAYS_FR, LANGUAGE_FR, MORE_FR, first_of, moment_label, plural, plural_fr

OPTION = "option --keep-before"


@dataclass(frozen=True)
class Released:
    """A member of a begun workshop whose talk, still to come, leaves it (`_release`)."""

    slot: str
    start: datetime
    """Its talk's published start."""
    away: list[str]
    """Its speakers recorded away then; none when the slot is closed since."""
    labels: list[str] = field(default_factory=list)
    """The workshop's theme or language, which its own as recorded now leave out
    ("theme open-models", "language fr")."""


@dataclass
class Kept:
    """What `keep_before` held: slot ids, and the members it could not keep."""

    workshops: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    """Members of kept workshops that are no longer in the instance."""
    repinned: list[str] = field(default_factory=list)
    """Members whose pin in the instance named another slot than the one they were in."""
    short: dict[str, list[str]] = field(default_factory=dict)
    """Kept workshops left with fewer keynotes or initiatives than every workshop needs
    by the members gone (slot id -> those members): no schedule keeps them."""
    short_of: dict[str, str] = field(default_factory=dict)
    """What each of those lacks: "keynotes" or "initiatives"."""
    emptied: dict[str, list[str]] = field(default_factory=dict)
    """Begun workshops none of whose members is in the instance any more (slot id ->
    those members): their slots closed, nothing left there to keep."""
    given: dict[str, list[str]] = field(default_factory=dict)
    """Speakers whose windows, recorded since, rule out a kept workshop they speak in
    (speaker id -> those slots): the talk is given, so their windows are waived there."""
    around: dict[str, list[str]] = field(default_factory=dict)
    """Speakers whose windows rule out a kept workshop where their talk is still to come,
    but not the talk's own time (a late arrival): waived for its slot, as for a talk
    given (speaker id -> those slots)."""
    reopened: list[str] = field(default_factory=list)
    """Begun slots closed in the instance since their workshop began: held open for what
    began there."""
    released: dict[str, Released] = field(default_factory=dict)
    """Members of begun workshops whose talk, still to come, cannot be held there as the
    instance is recorded now (a speaker away, the slot closed since): free to be placed
    in a later slot, or left out (proposal id -> where and why)."""
    vacated: list[str] = field(default_factory=list)
    """Begun slots whose members still in the instance were all released: closed, as
    nothing that began there is a talk."""
    relabelled: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """Members whose themes or language, edited since, leave out their kept workshop's
    (proposal id -> its slot, and what was given back for the re-solve: "theme t",
    "language fr")."""
    starting: list[str] = field(default_factory=list)
    """Published workshops whose slot starts at the moment itself: not kept (they start
    at it, not before it), and said, since a coordinator typing the time a workshop
    starts may mean that it has begun."""


NOW = "now"
"""The moment of the command itself: on site, what has begun by the time of the re-solve
(a workshop under way included, since it began before)."""


def now() -> datetime:
    """The current moment (a function of its own, so tests can set the clock)."""
    return datetime.now(UTC)


def begun_warning(
    published: Solution | None,
    lang: str = "en",
    new: Solution | None = None,
    new_path: Path | None = None,
) -> list[str]:
    """A warning, while the event is under way by the clock and `--keep-before` is not
    given, that a re-solve may move a talk already given (one after the start moved
    Tuesday's talks without a word). For `solve` (`new` None): once a workshop of the
    reference has begun. For `diff` and the exports, which see the schedule `new` too:
    only of the begun workshops it changes (they warned of every schedule, one keeping
    them all as published included). Once every workshop is over, nothing: every talk
    is given (they warned on every run after the event, and `--keep-before now` then
    keeps everything). On stderr only: it reads the clock, and no file depends on when
    the command ran."""
    if published is None:
        return []
    moment = now()
    held = published.workshops + (new.workshops if new is not None else [])
    if all(w.end <= moment for w in held):  # (the event is over, or had none)
        return []
    if new is None:
        begun = [w.slot for w in published.workshops if w.start < moment]
    else:
        from scheduler.diff import compare

        begun = [
            slot
            for slot, pair in compare(published, new).workshops.items()
            if any(w is not None and w.start < moment for w in pair)
        ]
    if not begun:
        return []
    if new is not None:
        return [_changed_warning(begun, lang, new_path)]
    if lang == "fr":
        # (it read « … de la référence ont déjà commencé (…) et peuvent être déplacés ou
        # modifiés : passez --keep-before now pour conserver tel que publié ce qui a
        # commencé »: « passez » an option is jargon, the object thrown to the end)
        one = len(begun) == 1
        s = "" if one else "s"
        return [
            f"avertissement\u00a0: {plural_fr(len(begun), 'atelier')} du programme publié "
            f"(la référence) {'a' if one else 'ont'} déjà commencé "
            f"({first_of(begun, more=MORE_FR)}) et pourrai{'t' if one else 'ent'} être "
            f"déplacé{s} ou modifié{s}, des interventions déjà faites comprises, puis "
            f"annulé{s} ou réécrit{s} dans les agendas par l'export\u00a0: ajoutez "
            f"--keep-before now pour {'le' if one else 'les'} conserver tel{s} que publié{s}"
        ]
    return [
        f"warning: {plural(len(begun), 'published workshop')} of the reference began before "
        f"now ({first_of(begun)}) and may move or change, talks already given included, "
        "then be cancelled or rewritten in attendees' calendars by the export: pass "
        "--keep-before now to keep what has begun as published"
    ]


def _changed_warning(begun: list[str], lang: str, new_path: Path | None) -> str:
    """`begun_warning` for `diff` and the exports: the schedule changes the workshops
    begun in the slots `begun`."""
    one = len(begun) == 1
    if lang == "fr":
        s = "" if one else "s"
        what = "le nouveau programme" if new_path is None else str(new_path)
        return (
            f"avertissement\u00a0: {what} modifie {plural_fr(len(begun), 'atelier')} "
            f"déjà commencé{s} ({first_of(begun, more=MORE_FR)}), des interventions déjà "
            f"faites comprises, que l'export annule ou réécrit dans les agendas\u00a0: "
            "s'il a été résolu avec --keep-before, donnez ici le même --keep-before pour le "
            "vérifier tel qu'il a conservé ce qui avait commencé\u00a0; sinon, résolvez à "
            "nouveau avec --keep-before now pour conserver tel que publié ce qui a commencé"
        )
    what = "the new schedule" if new_path is None else str(new_path)
    return (
        f"warning: {what} changes {plural(len(begun), 'workshop')} that began before now "
        f"({first_of(begun)}), talks already given included, which the export cancels or "
        "rewrites in attendees' calendars: if it was re-solved with --keep-before, give the "
        "same --keep-before here to check it as it kept what had begun; if not, re-solve "
        "with --keep-before now to keep what has begun as published"
    )


def parse_moment(instance: Instance, path: Path, text: str) -> datetime:
    """`text` as a moment: ISO 8601, in the event's timezone unless it has an offset, or
    `now`."""
    if text.strip().lower() == NOW:
        return whole_second(now()).astimezone(instance.event.tz)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            path,
            OPTION,
            None,
            f"expected `now` or a date and time such as 2026-12-01T17:00, got {text!r}",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=instance.event.tz)
    try:
        instance.local(moment.astimezone(UTC))
        return whole_second(moment)
    except OverflowError:
        raise InputError(
            path, OPTION, None, f"{text.strip()!r} is out of the range of dates"
        ) from None


def whole_second(moment: datetime) -> datetime:
    """`moment` up to the next whole second: the moment printed (and the hint repeating
    it, to the second) keeps the same slots, a slot starting at 14:00:00 included. (A
    moment typed as 14:00:00.5 was printed 14:00:00 and kept the 14:00 slots, which the
    printed moment does not.)"""
    if not moment.microsecond:
        return moment
    return moment.replace(microsecond=0) + timedelta(seconds=1)


def keep_before(
    instance: Instance,
    reference: Solution,
    reference_path: Path,
    moment: datetime,
    instance_path: Path | str = "instance",
) -> Kept:
    """Hold the reference's workshops in slots starting before `moment` (in place);
    `instance_path` names the instance in the message refusing a pin to a begun one."""
    kept = Kept()
    instance.keep_begun_before(moment)
    published = {w.slot: w for w in reference.workshops}
    for index, workshop in enumerate(reference.workshops):
        if workshop.slot not in instance.slot_by_id and workshop.start < moment:
            raise InputError(
                reference_path,
                InputError.record("workshops", index, workshop.slot, "slot"),
                "slot",
                f"the workshop in {workshop.slot} starts before the kept moment, but the "
                "instance has no such slot any more",
            )
    for slot in instance.slots:
        if slot.start == moment and slot.id in published:
            kept.starting.append(slot.id)
        if slot.start >= moment:
            continue
        workshop = published.get(slot.id)
        if workshop is None:
            _refuse_joiners(instance, instance_path, slot.id, [], moment, EMPTY)
            if not slot.closed:  # (one closed in the file is not "closed" by the moment)
                instance.begun_closed.add(slot.id)
                kept.closed.append(slot.id)
            slot.closed = True
            continue
        gone = [p for p in workshop.proposals if p not in instance.proposal_by_id]
        if len(gone) == len(workshop.proposals):
            # a begun workshop whose every member left the instance (a keynote alone there
            # that did not come): no talk is left to keep, and no other joins a begun one
            _refuse_joiners(instance, instance_path, slot.id, [], moment, EMPTIED)
            if not slot.closed:
                instance.begun_closed.add(slot.id)
            slot.closed = True
            kept.emptied[slot.id] = gone
            continue
        if workshop.theme not in instance.theme_by_id:
            # (kept under it, the re-solve's schedule had a theme no label or rule knows:
            # a traceback in the summary, or "a fault of the solver")
            index = reference.workshops.index(workshop)
            raise InputError(
                reference_path,
                InputError.record("workshops", index, slot.id, "slot"),
                "theme",
                f"the workshop in {slot.id} began under theme {workshop.theme!r}, which the "
                "instance does not have: add the theme back to the instance to keep the "
                "workshop as published",
            )
        kept.gone += gone
        _refuse_joiners(instance, instance_path, slot.id, workshop.proposals, moment, PUBLISHED)
        staying = _release(instance, instance_path, kept, workshop, slot, moment)
        if not staying:  # (nothing begun there is a talk: none is left to keep)
            if not slot.closed:
                instance.begun_closed.add(slot.id)
            slot.closed = True
            kept.vacated.append(slot.id)
            continue
        if slot.closed:  # closed since (a room lost for the day): what began there stands
            slot.closed = False
            kept.reopened.append(slot.id)
        slot.frozen = True
        instance.begun.add(slot.id)
        slot.theme = workshop.theme
        if workshop.language in {language.value for language in Language}:
            slot.language = Language(workshop.language)
        keynotes = initiatives = 0
        spans = _spans(workshop)
        for proposal in staying:
            proposal_id = proposal.id
            if proposal.pin is not None and proposal.pin != slot.id:
                kept.repinned.append(proposal_id)
            proposal.pin = slot.id
            added = _waive_labels(proposal, workshop)
            if added:
                kept.relabelled[proposal_id] = (slot.id, added)
            to_come = spans.get(proposal_id, (workshop.start,))[0] >= moment
            for speaker_id in proposal.speakers:
                if _waive_windows(instance, speaker_id, slot):
                    waived = kept.around if to_come else kept.given
                    waived.setdefault(speaker_id, []).append(slot.id)
            keynotes += proposal.is_keynote
            initiatives += not proposal.is_keynote
        rules = instance.rules
        left = gone + [p for p, r in kept.released.items() if r.slot == slot.id]
        if left and keynotes < rules.keynotes_per_workshop.min:
            kept.short[slot.id], kept.short_of[slot.id] = left, "keynotes"
        elif left and initiatives < rules.initiatives_per_workshop.min:
            kept.short[slot.id], kept.short_of[slot.id] = left, "initiatives"
        kept.workshops.append(slot.id)
    return kept


def _spans(workshop: Workshop) -> dict[str, tuple[datetime, datetime]]:
    """Each member's own time in a published workshop: from its talk's start to the end
    of its last item (a keynote's participatory time included)."""
    spans: dict[str, tuple[datetime, datetime]] = {}
    for item in workshop.items:
        if item.proposal is not None:
            start, end = spans.get(item.proposal, (item.start, item.end))
            spans[item.proposal] = (min(start, item.start), max(end, item.end))
    return spans


def _release(
    instance: Instance,
    instance_path: Path | str,
    kept: Kept,
    workshop: Workshop,
    slot: Slot,
    moment: datetime,
) -> list[Proposal]:
    """The members of a begun workshop to keep in it, the others put in `kept.released`:
    a talk still to come at the moment is not history but the instance as recorded now,
    so it leaves the workshop when its slot is closed since, when one of its speakers
    is recorded away over its published time, or when its themes or language, edited
    since, leave out the workshop's (which began under them, a fact). (Taken as given
    too, a speaker who fell ill at 14:30 was said to have "spoken" at 15:10, a closed
    room kept its talks still to come, and a talk still to come kept the theme it no
    longer had.) A talk still to come pinned to its slot is bad input: the pin cannot
    hold."""
    spans = _spans(workshop)
    staying = []
    for proposal_id in workshop.proposals:
        proposal = instance.proposal_by_id.get(proposal_id)
        if proposal is None:
            continue
        start, end = spans.get(proposal_id, (workshop.start, workshop.end))
        to_come = start >= moment
        away = [s for s in proposal.speakers if to_come and _away(instance, s, start, end)]
        labels = _labels_left_out(proposal, workshop) if to_come else []
        if not to_come or not (slot.closed or away or labels):
            staying.append(proposal)
            continue
        if proposal.pin == slot.id:
            index = instance.proposals.index(proposal)
            why = (
                f"{', '.join(away)} recorded away then"
                if away
                else f"the workshop's {' and '.join(labels)} no longer its own"
                if labels
                else "its slot closed"
            )
            raise InputError(
                instance_path,
                InputError.record("proposals", index, proposal_id),
                "pin",
                f"pinned to {slot.id}, whose workshop began before "
                f"{moment_label(instance, moment)}, but its talk there is still to come, with "
                f"{why}: drop the pin to let the re-solve place it elsewhere or leave it out",
            )
        kept.released[proposal_id] = Released(slot.id, start, away, labels)
    return staying


def _away(instance: Instance, speaker_id: str, start: datetime, end: datetime) -> bool:
    """Whether the speaker's windows as recorded rule out [start, end)."""
    speaker = instance.speaker_by_id.get(speaker_id)
    if speaker is None:
        return False
    available, unavailable = instance.recorded_windows(speaker)
    return (available is not None and not covers(available, start, end)) or any(
        window.overlaps(start, end) for window in unavailable
    )


def _labels_left_out(proposal: Proposal, workshop: Workshop) -> list[str]:
    """The workshop's theme and language where `proposal`'s as recorded leave them out
    ("theme open-models", "language fr"): its language only where the workshop had one
    (of a mixed one, which member's language was edited is not known)."""
    left_out = []
    if workshop.theme not in proposal.themes:
        left_out.append(f"theme {workshop.theme}")
    language = workshop.language
    if language != proposal.language.value and language in {lang.value for lang in Language}:
        left_out.append(f"language {language}")
    return left_out


def _waive_labels(proposal: Proposal, workshop: Workshop) -> list[str]:
    """Give `proposal`, a talk given, its kept workshop's theme and language again (in
    place), when they were edited since: it was given there, under them. Its theme is
    added after its own (a secondary theme, costed as such); its language replaced.
    What was given back, as words for the summary (`_labels_left_out`)."""
    added = _labels_left_out(proposal, workshop)
    if workshop.theme not in proposal.themes:
        proposal.themes.append(workshop.theme)
    if added and added[-1].startswith("language"):
        proposal.language = Language(workshop.language)
    return added


def _waive_windows(instance: Instance, speaker_id: str, slot: Slot) -> bool:
    """Make `slot` a time the speaker is available (in place), when her windows rule it
    out: an absence recorded over a talk she has given, or availability recorded from a
    later day, must not undo what happened. Her windows stand for every other time.
    True when something was waived."""
    speaker = instance.speaker_by_id.get(speaker_id)
    if speaker is None:
        return False
    instance.keep_recorded_windows(speaker)
    waived = False
    if speaker.available is not None and not covers(speaker.available, slot.start, slot.end):
        speaker.available.append(Window(start=slot.start, end=slot.end))
        waived = True
    kept_windows: list[Window] = []
    for window in speaker.unavailable:
        if not window.overlaps(slot.start, slot.end):
            kept_windows.append(window)
            continue
        waived = True
        if window.start < slot.start:
            kept_windows.append(Window(start=window.start, end=slot.start))
        if slot.end < window.end:
            kept_windows.append(Window(start=slot.end, end=window.end))
    speaker.unavailable = kept_windows
    return waived


PUBLISHED = (
    "whose workshop began before {when} and is kept as published: nothing joins a begun workshop"
)
EMPTY = "which began empty before {when} and stays closed: no workshop opens in a begun slot"
EMPTIED = (
    "whose workshop began before {when} without any of its members left in the instance, "
    "so the slot is closed: no workshop opens in a begun slot"
)


def _refuse_joiners(
    instance: Instance,
    path: Path | str,
    slot_id: str,
    members: list[str],
    moment: datetime,
    state: str,
) -> None:
    """A proposal pinned to a begun slot it was not published in is bad input, `state`
    saying why: the slot is frozen to its pinned proposals, or closed, so the pin alone
    would add it there or make the solve infeasible (a pin to an empty begun slot said
    "no schedule", where one to a begun workshop was this error)."""
    for index, proposal in enumerate(instance.proposals):
        if proposal.pin == slot_id and proposal.id not in members:
            when = moment_label(instance, moment)
            raise InputError(
                path,
                InputError.record("proposals", index, proposal.id),
                "pin",
                f"pinned to {slot_id} (in the file or by --pin), {state.format(when=when)}; "
                "pin it to a later slot or drop the pin",
            )


IS_NOT = {True: "il n'est", False: "ils ne sont"}
HAS_BEGUN = {True: "qu'il a", False: "qu'ils ont"}
SHORT_OF_FR = {"keynotes": "de keynotes", "initiatives": "d'initiatives inspirantes"}


def _relabel_fr(instance: Instance, label: str) -> str:
    """`_waive_labels`' words in French: 'theme trust' -> 'sous le thème « Confiance »',
    'language fr' -> 'en français'."""
    kind, _, value = label.partition(" ")
    if kind == "language":
        return f"en {LANGUAGE_FR.get(value, value)}"
    theme = instance.theme_by_id.get(value)
    french = theme.label.get("fr") if theme is not None else None
    return f"sous le thème «\u00a0{french}\u00a0»" if french else f"sous le thème {value}"


def _given_back_fr(label: str) -> str:
    """What `_waive_labels` gave back, said as given back in French."""
    return (
        "cette langue lui est rendue"
        if label.startswith("language")
        else ("ce thème lui est rendu")
    )


def summary(instance: Instance, kept: Kept, moment: datetime, lang: str = "en") -> list[str]:
    """Lines telling the coordinator what was held, in English or French."""
    fr = lang == "fr"
    seconds = bool(moment.second or moment.microsecond)  # `now`: the seconds decide a slot
    when = moment_label(instance, moment, lang, seconds)
    workshops, closed = len(kept.workshops), len(kept.closed)
    if fr:
        many = "s" if workshops > 1 else ""
        line = (
            f"avant le {when}\u00a0: {plural_fr(workshops, 'atelier')} conservé{many} "
            f"tel{many} que publié{many}"
            + (f" ({first_of(kept.workshops, more=MORE_FR)})" if kept.workshops else "")
            + (
                f", {plural_fr(closed, 'créneau vide', 'créneaux vides')} "
                f"fermé{'s' if closed > 1 else ''}"
                if closed
                else ""
            )
        )
    else:
        line = (
            f"kept before {when}: {plural(workshops, 'workshop')} as published"
            + (f" ({first_of(kept.workshops)})" if kept.workshops else "")
            + (f", {plural(closed, 'empty slot')} closed" if closed else "")
        )
    lines = [line]
    starts = [slot.start for slot in instance.slots]
    # (with the year: a year typed wrong kept nothing, or everything, silently)
    given = (
        moment_label(instance, moment, lang, seconds, year=True)
        if fr
        else f"{instance.local(moment).day} {instance.local(moment):%b %Y %H:%M}"
        + (f":{instance.local(moment):%S}" if seconds else "")
    )
    # (at the first slot's start itself, the note on workshops starting then says it)
    if starts and moment < min(starts):
        first = moment_label(instance, min(starts), lang, year=True)
        lines.append(
            f"note\u00a0: le {given} précède le premier créneau ({first})\u00a0: rien n'est "
            "conservé\u00a0; vérifiez l'année et la date si l'événement a commencé"
            if fr
            else f"note: {given} is before the first slot ({first}), so nothing is kept; "
            "check the date if the event has begun"
        )
    elif starts and moment > max(slot.end for slot in instance.slots):
        # (every workshop as published, unless members left: their lines follow)
        whole = not (kept.gone or kept.short or kept.emptied)
        lines.append(
            f"note\u00a0: le {given} suit le dernier créneau\u00a0: "
            + ("chaque atelier est conservé tel que publié et " if whole else "")
            + "rien n'est recomposé"
            if fr
            else f"note: {given} is after the last slot: "
            + ("every workshop is kept as published and " if whole else "")
            + "nothing is re-composed"
        )
    if kept.starting:
        one = len(kept.starting) == 1
        at, later = instance.local(moment), instance.local(moment + timedelta(minutes=1))
        ids = first_of(kept.starting, more=MORE_FR if fr else "and {} more")
        lines.append(
            f"note\u00a0: {ids} commence{'' if one else 'nt'} à {at:%H:%M}, le moment donné\u00a0: "
            f"{IS_NOT[one]} pas conservé{'' if one else 's'} mais "
            f"recomposé{'' if one else 's'} comme tout atelier ultérieur\u00a0; pour "
            f"{'le' if one else 'les'} conserver, donnez {later:%H:%M} (ou `now` une fois "
            f"{HAS_BEGUN[one]} commencé)"
            if fr
            else f"note: {ids} {'starts' if one else 'start'} at "
            f"{at:%H:%M}, the moment given, so {'it is' if one else 'they are'} not kept "
            f"but re-composed as any later workshop: to keep {'it' if one else 'them'}, "
            f"give {later:%H:%M} (or `now` once {'it has' if one else 'they have'} begun)"
        )
    if kept.gone:
        lines.append(
            (
                "proposition qui n'est plus dans l'instance, donc absente de son atelier "
                "conservé, dont les horaires sont recalculés sans elle"
                if len(kept.gone) == 1
                else "propositions qui ne sont plus dans l'instance, donc absentes des "
                "ateliers conservés, dont les horaires sont recalculés sans elles"
            )
            + " (le temps participatif s'allonge, jusqu'à son maximum, avant que les "
            "interventions suivantes n'avancent\u00a0; les interventions commencées avant le "
            "moment, ainsi que tout ce qui le précède, gardent leurs horaires publiés là où "
            "ceux-ci respectent encore les règles\u00a0; `diff` montre chaque "
            "changement)\u00a0: " + first_of(kept.gone, more=MORE_FR)
            if fr
            else "no longer in the instance, so missing from the kept workshops, whose "
            "timelines are recomputed without them (the participatory time lengthens, up to "
            "its maximum, before the talks after them move up; talks begun before the "
            "moment, and the times before it, keep their published times where those still "
            "hold the rules; `diff` shows each change): " + first_of(kept.gone)
        )
    for slot_id, gone in kept.emptied.items():
        lines.append(
            (
                f"{slot_id} a commencé, mais son seul membre ({gone[0]}) n'est plus dans "
                f"l'instance\u00a0: le créneau reste vide\u00a0; laissez {gone[0]} dans "
                "l'instance pour conserver l'atelier tel que publié"
                if len(gone) == 1
                else f"{slot_id} a commencé, mais aucun de ses membres ({', '.join(gone)}) "
                "n'est plus dans l'instance\u00a0: le créneau reste vide\u00a0; laissez-les "
                "dans l'instance pour conserver l'atelier tel que publié"
            )
            if fr
            else f"{slot_id} has begun, but none of its members ({', '.join(gone)}) is in the "
            "instance any more, so it is left empty: leave them in the instance to keep the "
            "workshop as published"
        )
    for slot_id, gone in kept.short.items():
        short_of = kept.short_of[slot_id]
        released = any(p in kept.released for p in gone)
        lines.append(
            f"{slot_id} a commencé sans {', '.join(gone)} et il lui reste moins "
            f"{SHORT_OF_FR.get(short_of, short_of)} qu'il n'en faut à un atelier\u00a0: "
            "aucun programme ne le conserve\u00a0; "
            + (
                "annulez ce qui les en retire (un retrait, une absence enregistrée, le "
                "créneau fermé, un thème ou une langue modifiés) pour conserver l'atelier tel "
                "que publié"
                if released
                else f"laissez {', '.join(gone)} dans l'instance pour conserver l'atelier tel "
                "que publié"
            )
            if fr
            else f"{slot_id} has begun without {', '.join(gone)} and has fewer "
            f"{short_of} left than a workshop needs, so no schedule keeps it: "
            + (
                "undo what takes them out of it (a withdrawal, an absence recorded, the slot "
                "closed, a theme or language edited) to keep the workshop as published"
                if released
                else f"leave {', '.join(gone)} in the instance to keep the workshop as published"
            )
        )
    lines += _released_lines(instance, kept, when, fr)
    for speaker_id, slots in kept.given.items():
        speaker = instance.speaker_by_id[speaker_id]
        lines.append(
            f"{speaker.name} ({speaker_id}) est intervenu·e dans {', '.join(slots)}, alors "
            "que ses disponibilités telles qu'enregistrées l'excluent désormais (une absence "
            "enregistrée sur une intervention faite)\u00a0: l'intervention est considérée "
            "comme faite, ses disponibilités levées pour ce créneau seulement"
            if fr
            else f"{speaker.name} ({speaker_id}) spoke in {', '.join(slots)}, which the "
            "speaker's windows as recorded now rule out (an absence recorded over a talk "
            "given): taken as given, the windows waived there and standing for the rest"
        )
    for speaker_id, slots in kept.around.items():
        speaker = instance.speaker_by_id[speaker_id]
        lines.append(
            f"{speaker.name} ({speaker_id}) intervient encore dans {', '.join(slots)}, à "
            "l'heure publiée, que ses disponibilités telles qu'enregistrées laissent libre, "
            "mais pas tout le créneau\u00a0: l'intervention est conservée, ses "
            "disponibilités levées pour ce créneau seulement"
            if fr
            else f"{speaker.name} ({speaker_id}) is still to speak in {', '.join(slots)}, at "
            "the published time, which the speaker's windows as recorded leave free but not "
            "the whole slot: the talk is kept, the windows waived there and standing for the "
            "rest"
        )
    for slot_id in kept.reopened:
        to_come = [p for p, r in kept.released.items() if r.slot == slot_id]
        talks = ", ".join(f"{p} {_at(instance, kept.released[p].start, fr)}" for p in to_come)
        lines.append(
            f"{slot_id} est fermé dans l'instance, mais son atelier a commencé avant le "
            f"{when}\u00a0: le créneau reste ouvert pour cet atelier"
            + (
                f"\u00a0; ses interventions encore à venir ({talks}) le quittent, pour être "
                "placées dans des créneaux ultérieurs ou laissées de côté (le résumé dit "
                "lesquelles)"
                if to_come
                else ""
            )
            if fr
            else f"{slot_id} is closed as recorded, but its workshop began before {when}: "
            "taken as given, the slot kept open for it"
            + (
                f"; its talks still to come ({talks}) leave it, to be placed in later slots "
                "or left out (the summary says which)"
                if to_come
                else ""
            )
        )
    for proposal_id, (slot_id, added) in kept.relabelled.items():
        lines.append(
            f"{proposal_id} a été présentée dans {slot_id} "
            f"{' et '.join(_relabel_fr(instance, a) for a in added)}, qu'elle n'a plus dans "
            "l'instance\u00a0: l'intervention est considérée comme faite, et "
            f"{'ceux-ci lui sont rendus' if len(added) > 1 else _given_back_fr(added[0])} pour "
            "ce nouveau calcul"
            if fr
            else f"{proposal_id} was given in {slot_id} under {' and '.join(added)}, which it "
            "no longer has as recorded: taken as given, and given back to it for this re-solve"
        )
    if kept.repinned:
        lines.append(
            "propositions épinglées ailleurs dans l'instance, conservées là où elles ont été "
            "publiées\u00a0: " + first_of(kept.repinned, more=MORE_FR)
            if fr
            else "pinned elsewhere in the instance, kept where they were published: "
            + first_of(kept.repinned)
        )
    return lines


def _at(instance: Instance, start: datetime, fr: bool) -> str:
    """A talk's start as the summary gives it: 'Wed 15:10', « mer. 15:10 »."""
    local = instance.local(start)
    return f"{DAYS_FR[local.weekday()]} {local:%H:%M}" if fr else f"{local:%a %H:%M}"


def _released_lines(instance: Instance, kept: Kept, when: str, fr: bool) -> list[str]:
    """The talks still to come that leave a begun workshop as their speakers are
    recorded away, and the begun slots left empty by the talks released: what happens
    to them, and what the coordinator can do."""
    lines = []
    for proposal_id, released in kept.released.items():
        if not released.away:  # (its labels edited, or its slot closed since: said apart)
            lines += _relabelled_lines(instance, proposal_id, released, when, fr)
            continue
        names = [instance.speaker_by_id[s] for s in released.away]
        who = ", ".join(f"{s.name} ({s.id})" for s in names)
        at = _at(instance, released.start, fr)
        lines.append(
            f"{proposal_id} ({at} dans {released.slot}, atelier commencé avant le {when}) "
            f"n'a pas encore eu lieu, et {who} {'est' if len(names) == 1 else 'sont'} "
            "enregistré·e"
            + ("" if len(names) == 1 else "s")
            + " absent·e"
            + ("" if len(names) == 1 else "s")
            + " à ce moment\u00a0: elle quitte l'atelier, pour être placée dans un créneau "
            "ultérieur que ses intervenant·es peuvent prendre, ou laissée de côté (le résumé "
            f"dit lequel)\u00a0; pour l'annuler, retirez {proposal_id} de l'instance"
            if fr
            else f"{proposal_id} ({at} in {released.slot}, a workshop begun before {when}) "
            f"is still to come, and {who} {'is' if len(names) == 1 else 'are'} recorded "
            "away then: it leaves the workshop, to be placed in a later slot its speakers "
            "can take or left out (the summary says which); to cancel it, remove "
            f"{proposal_id} from the instance"
        )
    for slot_id in kept.vacated:
        to_come = [p for p, r in kept.released.items() if r.slot == slot_id]
        lines.append(
            f"{slot_id} a commencé avant le {when}, mais aucune de ses interventions "
            f"({', '.join(to_come)}) n'avait commencé\u00a0: toutes le quittent, et le créneau reste vide "
            "(aucun atelier ne s'ouvre dans un créneau commencé)"
            if fr
            else f"{slot_id} began before {when}, but none of its talks had "
            f"({', '.join(to_come)}) and all leave it, so the slot is left empty (no "
            "workshop opens in a begun slot)"
        )
    return lines


def _relabelled_lines(
    instance: Instance, proposal_id: str, released: Released, when: str, fr: bool
) -> list[str]:
    """A talk still to come that leaves a begun workshop as its themes or language,
    edited since, leave out the workshop's: what happens to it, and how to keep it."""
    if not released.labels:
        return []
    at = _at(instance, released.start, fr)
    theme = any(label.startswith("theme") for label in released.labels)
    if fr:
        labels = " et ".join(_relabel_fr(instance, label) for label in released.labels)
        return [
            f"{proposal_id} ({at} dans {released.slot}, atelier commencé avant le {when}) "
            f"n'a pas encore eu lieu, et n'est plus enregistrée {labels}, comme "
            "l'atelier\u00a0: elle quitte l'atelier, pour être placée dans un créneau "
            "ultérieur ou laissée de côté (le résumé dit lequel)\u00a0; pour l'y garder, "
            "enregistrez-la de nouveau ainsi" + (" (un thème secondaire suffit)" if theme else "")
        ]
    labels = " and ".join(released.labels)
    return [
        f"{proposal_id} ({at} in {released.slot}, a workshop begun before {when}) is still "
        f"to come, and is no longer recorded under the workshop's {labels}: it leaves the "
        "workshop, to be placed in a later slot or left out (the summary says which); to "
        f"keep it there, record it under {labels} again"
        + (" (a secondary theme will do)" if theme else "")
    ]


def anchor(instance: Instance, reference: Solution, solution: Solution) -> None:
    """Give kept workshops their published times back where their timeline, recomputed
    (`workshops.timeline`: members gone, rules changed since), moves what began before
    the moment kept (`Instance.kept_moment`), or moves a talk to before it (in place;
    `solve` calls it). A talk given is history: one whose speaker did not come at 10:40
    left p14, due at 10:50, told "10:40-10:50" at 10:50. The published timeline without
    the members gone is kept instead (their time left idle), where it holds the rules as
    they are now; the workshop's idle and participatory costs, and so the objective and
    the bound, follow it (the workshop is the same in every schedule: the bound stays
    one), and `solve` then lists the penalties from the validator. `anchored` names
    those workshops."""
    if instance.kept_moment is None or not solution.has_schedule:
        return
    moment = instance.kept_moment.astimezone(UTC)
    published = {w.slot: w for w in reference.workshops}
    for workshop in solution.workshops:
        if workshop.slot not in instance.begun or workshop.slot not in published:
            continue
        before = [i for i in published[workshop.slot].items if _present(instance, workshop.slot, i)]
        if not _keeps_published(instance, before, workshop.items, moment):
            continue
        delta = _cost_change(instance, instance.slot_by_id[workshop.slot], before, workshop.items)
        workshop.items = before
        solution.objective = None if solution.objective is None else solution.objective + delta
        solution.bound = None if solution.bound is None else solution.bound + delta


def anchored(instance: Instance, solution: Solution) -> list[str]:
    """The kept workshops `anchor` gave their published times: their timeline is not the
    one their members make."""
    from scheduler.workshops import timeline

    return [
        w.slot
        for w in solution.workshops
        if w.slot in instance.begun
        and w.items != timeline(instance, instance.slot_by_id[w.slot], w.proposals)
    ]


def _present(instance: Instance, slot_id: str, item: Item) -> bool:
    """Whether a published item of a begun workshop is one it keeps: not of a member
    gone from the instance or released (`keep_before` pins every member it keeps)."""
    if item.proposal is None:
        return True
    proposal = instance.proposal_by_id.get(item.proposal)
    return proposal is not None and proposal.pin == slot_id


def _rewrites_history(published: list[Item], recomputed: list[Item], moment: datetime) -> bool:
    """Whether `recomputed` moves an item of `published` that began before `moment`, ends
    one that had ended by then otherwise (or one under way before it), or starts one
    before it that `published` did not. An item under way may end later: a discussion
    goes on when the talk after it is not given."""

    def key(item: Item) -> tuple:
        return (item.kind, item.proposal, item.start.astimezone(UTC))

    ends = {key(i): i.end.astimezone(UTC) for i in recomputed}
    for item in published:
        if key(item)[2] >= moment:
            continue
        end, published_end = ends.get(key(item)), item.end.astimezone(UTC)
        if end is None or (end != published_end and min(end, published_end) <= moment):
            return True
    starts = {key(i) for i in published}
    return any(key(i)[2] < moment and key(i) not in starts for i in recomputed)


def _holds_rules(instance: Instance, published: list[Item], recomputed: list[Item]) -> bool:
    """Whether the published items (of the members left) hold the rules as they are now:
    the same items as the recomputed timeline, each talk, opening and closing as long,
    participatory times in their range, changeovers as long at least."""
    rules = instance.rules
    lengths = {(i.kind, i.proposal): i.minutes for i in recomputed}
    if sorted(lengths, key=str) != sorted(((i.kind, i.proposal) for i in published), key=str):
        return False
    for item in published:
        if item.kind == ItemKind.PARTICIPATORY:
            if not rules.participatory.min <= item.minutes <= rules.participatory.max:
                return False
        elif item.minutes != lengths[item.kind, item.proposal]:
            return False
    steps = [i for i in published if i.kind != ItemKind.PARTICIPATORY]
    return all(
        (after.start - before.end).total_seconds() >= 60 * rules.changeover_minutes
        for before, after in zip(steps, steps[1:], strict=False)
    )


def _timeline_weights(instance: Instance) -> dict[str, int]:
    """The rules a workshop's timeline is charged under, with their weights."""
    weights = instance.rules.weights
    return {rule: weights.of(rule) for rule in ("idle-minutes", "participatory-target")}


def _cost_change(instance: Instance, slot: Slot, items: list[Item], recomputed: list[Item]) -> int:
    """What the slot's timeline costs as `items` more than as `recomputed`."""
    return sum(
        weight
        * (_minutes(instance, slot, items, rule) - _minutes(instance, slot, recomputed, rule))
        for rule, weight in _timeline_weights(instance).items()
    )


def anchor_shift(instance: Instance, reference: Solution) -> int:
    """What `anchor` will add to the objective and the bound, known before any search: a
    kept workshop's members are fixed, so is its recomputed timeline. The progress line
    adds it, so that it shows the cost the file will have (it showed the search's, 35
    where the summary then said 60)."""
    from scheduler.workshops import timeline

    if instance.kept_moment is None:
        return 0
    moment = instance.kept_moment.astimezone(UTC)
    published = {w.slot: w for w in reference.workshops}
    shift = 0
    for slot_id in sorted(instance.begun & set(published)):
        workshop, slot = published[slot_id], instance.slot_by_id[slot_id]
        members = [
            p
            for p in workshop.proposals
            if p in instance.proposal_by_id and instance.proposal_by_id[p].pin == slot_id
        ]
        recomputed = timeline(instance, slot, members)
        before = [i for i in workshop.items if _present(instance, slot_id, i)]
        if _keeps_published(instance, before, recomputed, moment):
            shift += _cost_change(instance, slot, before, recomputed)
    return shift


def _keeps_published(
    instance: Instance, before: list[Item], recomputed: list[Item], moment: datetime
) -> bool:
    """Whether a kept workshop keeps its published items (`before`, its members gone
    left out) instead of `recomputed`: that timeline would rewrite what began before the
    moment, and the published one holds the rules as they are (else, rules changed since
    as well, the recomputed timeline stands)."""
    return _rewrites_history(before, recomputed, moment) and _holds_rules(
        instance, before, recomputed
    )


def _minutes(instance: Instance, slot: Slot, items: list[Item], rule: str) -> int:
    """The minutes a timeline is charged under `rule`: idle (the slot's minutes neither
    in an item nor in a changeover between two), or participatory time below target."""
    rules = instance.rules
    if rule == "participatory-target":
        return sum(
            max(0, rules.participatory.target - i.minutes)
            for i in items
            if i.kind == ItemKind.PARTICIPATORY
        )
    steps = sum(1 for i in items if i.kind != ItemKind.PARTICIPATORY)
    busy = sum(i.minutes for i in items) + rules.changeover_minutes * max(0, steps - 1)
    return max(0, slot.minutes - busy)


def anchored_lines(
    instance: Instance, reference: Solution, solution: Solution, lang: str = "en"
) -> list[str]:
    """Notes on the kept workshops whose recomputed timeline would move what began
    before the moment: those `anchor` gave their published times, and those whose
    published times no longer hold the rules as they are (their timeline follows the
    rules, history moved: said, with the way out)."""
    if instance.kept_moment is None or not solution.has_schedule:
        return []
    fr = lang == "fr"
    moment = instance.kept_moment  # (to the second with `now`, as the summary says it)
    when = moment_label(instance, moment, lang, bool(moment.second or moment.microsecond))
    more = MORE_FR if fr else "and {} more"
    slots = anchored(instance, solution)
    lines = []
    if slots:
        one = len(slots) == 1
        published = {w.slot: w for w in reference.workshops}
        lost = any(not _present(instance, slot, i) for slot in slots for i in published[slot].items)
        lines.append(
            f"note\u00a0: {first_of(slots, more=more)} garde{'' if one else 'nt'} "
            f"{'ses' if one else 'leurs'} horaires publiés\u00a0: recalculés selon "
            "l'instance telle qu'elle est, ils auraient déplacé des interventions commencées "
            f"avant le {when}, ou en auraient placé avant ce moment"
            + ("\u00a0; le temps d'un membre parti reste libre" if lost else "")
            if fr
            else f"note: {first_of(slots)} {'keeps its' if one else 'keep their'} published "
            "times: recomputed as the instance now stands, the timeline would have moved "
            f"talks begun before {when}, or to before it"
            + ("; the time of a member gone is left free" if lost else "")
        )
    moved = moved_history(instance, reference, solution)
    if moved:
        one = len(moved) == 1
        lines.append(
            f"note\u00a0: {first_of(moved, more=more)}\u00a0: {'ses' if one else 'leurs'} "
            "horaires publiés ne respectent plus les règles telles qu'elles sont (une règle "
            f"a changé depuis)\u00a0: {'ses' if one else 'leurs'} horaires les suivent et "
            f"déplacent des interventions commencées avant le {when}, ou en placent avant ce "
            "moment\u00a0; rétablissez les règles publiées pour garder les horaires donnés"
            if fr
            else f"note: {first_of(moved)}: {'its' if one else 'their'} published times no "
            "longer hold the rules as they are now (a rule changed since), so "
            f"{'its timeline follows' if one else 'their timelines follow'} them and moves "
            f"talks begun before {when}, or to before it; restore the published rules to "
            "keep the times that were given"
        )
    return lines


def moved_history(instance: Instance, reference: Solution, solution: Solution) -> list[str]:
    """The kept workshops that lost a member whose timeline moves what began before the
    moment: those whose published times `anchor` could not keep, as they break the rules
    now (without a member gone, `retimed` says it)."""
    if instance.kept_moment is None:
        return []
    moment = instance.kept_moment.astimezone(UTC)
    published = {w.slot: w for w in reference.workshops}
    return [
        w.slot
        for w in solution.workshops
        if w.slot in instance.begun
        and w.slot in published
        and not all(_present(instance, w.slot, i) for i in published[w.slot].items)
        and _rewrites_history(
            [i for i in published[w.slot].items if _present(instance, w.slot, i)], w.items, moment
        )
    ]


NOTICE = timedelta(hours=24)
"""A talk moved to start earlier than published, and within this long of the moment
kept, is named: its speakers have little notice."""


def short_notice(
    instance: Instance, reference: Solution, solution: Solution, lang: str = "en"
) -> list[str]:
    """Notes naming the talks the re-solve moves to an earlier start within `NOTICE` of
    the moment kept (a keynote from Thursday 09:35 to Wednesday 14:05, two hours after
    a re-solve at noon), with the way to hold them: a later moment, or pins. A talk that
    stays in its slot but starts earlier (a talk before it gone) is named apart, without
    the pin, which cannot hold it (it was told as a move, "--pin it there")."""
    from scheduler.diff import compare

    if instance.kept_moment is None or not solution.has_schedule:
        return []
    moment = instance.kept_moment
    sooner = [
        change
        for change in compare(reference, solution).changes
        if change.kind in ("moved", "retimed")
        and moment <= change.new.start < min(change.old.start, moment + NOTICE)
        and change.new.slot not in instance.begun  # (said by `anchored_lines`)
    ]
    fr = lang == "fr"
    hours = f"{NOTICE.total_seconds() / 3600:g}"
    lines = []

    def shifts(kind: str) -> list[str]:  # "p01 (Thu 09:35 → Wed 14:05)", each of a kind
        return [
            f"{c.proposal} ({_at(instance, c.old.start, fr)} → {_at(instance, c.new.start, fr)})"
            for c in sooner
            if c.kind == kind
        ]

    moves, times = shifts("moved"), shifts("retimed")
    if moves:
        one = len(moves) == 1
        lines.append(
            f"note\u00a0: {plural_fr(len(moves), 'intervention')} "
            f"{'avance' if one else 'avancent'} à moins de {hours}\u00a0heures du moment "
            f"donné à --keep-before\u00a0: {first_of(moves, more=MORE_FR)}\u00a0; "
            f"{'ses' if one else 'leurs'} intervenant·es sont prévenu·es tard. Pour garder "
            "tel que publié ce qui commence avant une heure plus tardive, donnez cette heure "
            "à --keep-before\u00a0; pour garder une intervention dans son créneau publié, "
            "épinglez-la avec --pin"
            if fr
            else f"note: {plural(len(moves), 'talk')} {'moves' if one else 'move'} to an "
            f"earlier start within {hours} hours of the moment kept: "
            f"{first_of(moves)}; {'its speakers have' if one else 'their speakers have'} "
            "little notice. To hold what starts before a later time as published, give that "
            "time as --keep-before; to keep a talk in its published slot, --pin it there"
        )
    if times:
        one = len(times) == 1
        lines.append(
            f"note\u00a0: {plural_fr(len(times), 'intervention')} "
            f"{'reste' if one else 'restent'} dans {'son' if one else 'leur'} créneau mais "
            f"{'commence' if one else 'commencent'} plus tôt, à moins de {hours}\u00a0heures "
            f"du moment donné à --keep-before\u00a0: {first_of(times, more=MORE_FR)}\u00a0; "
            f"{'ses' if one else 'leurs'} intervenant·es sont prévenu·es tard (`diff` le leur "
            "dit)"
            if fr
            else f"note: {plural(len(times), 'talk')} {'stays' if one else 'stay'} in "
            f"{'its' if one else 'their'} slot but {'starts' if one else 'start'} earlier, "
            f"within {hours} hours of the moment kept: {first_of(times)}; "
            f"{'its speakers have' if one else 'their speakers have'} little notice (`diff` "
            "tells them)"
        )
    return lines


def retimed(kept: Kept, reference: Solution, solution: Solution, lang: str = "en") -> list[str]:
    """A note naming the kept workshops whose timeline is not the published one (a rule
    changed since, such as the participatory time's range): each is recomputed under
    the instance's rules as they are now. Those missing a member are said already."""
    published = {w.slot: w for w in reference.workshops}
    solved = {w.slot: w for w in solution.workshops}
    gone = set(kept.gone) | set(kept.released)
    changed = [
        slot_id
        for slot_id in kept.workshops
        if slot_id in solved
        and not gone.intersection(published[slot_id].proposals)
        and _timeline(solved[slot_id]) != _timeline(published[slot_id])
    ]
    if not changed:
        return []
    if lang == "fr":
        return [
            f"note\u00a0: les règles de l'instance placent désormais "
            f"{plural_fr(len(changed), 'atelier conservé', 'ateliers conservés')} à d'autres "
            f"horaires que publiés ({first_of(changed, more=MORE_FR)}), alors "
            f"{HAS_BEGUN[len(changed) == 1]} commencé avant le moment "
            "donné\u00a0: un atelier conservé garde ses propositions, son créneau, son thème et "
            "sa langue, et ses horaires suivent les règles telles qu'elles sont, ce qui réécrit "
            "des horaires déjà annoncés, voire passés\u00a0; rétablissez les règles publiées "
            "pour les garder (`diff` montre chaque changement)"
        ]
    return [
        f"note: the instance's rules now time {plural(len(changed), 'kept workshop')} "
        f"otherwise than published ({first_of(changed)}), though "
        f"{'it' if len(changed) == 1 else 'they'} began before the moment given: kept "
        "workshops keep their proposals, slot, theme and language, and their timeline "
        "follows the rules as they are, which rewrites times already announced, even past "
        "ones; restore the published rules to keep them (`diff` shows each change)"
    ]


def _timeline(workshop: Workshop) -> list[tuple]:
    """A workshop's items as instants (a file at another offset reads the same)."""
    return [
        (i.kind, i.proposal, i.start.astimezone(UTC), i.end.astimezone(UTC)) for i in workshop.items
    ]
