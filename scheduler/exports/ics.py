"""iCalendar export: the programme, and one calendar per speaker, room and theme (RFC 5545).

Identity and versions (see docs/exports.md):

- a workshop's UID is `<instance>/workshop/<slot>@commons-scheduler`: the FOST team
  imports a slot's event, and a re-solve that changes what happens in that room at
  that time updates the same event;
- a talk's UID is `<instance>/talk/<proposal>@commons-scheduler`: a talk that moves to
  another workshop keeps its UID, so re-importing moves the event;
- SEQUENCE is 0, or 1 for an event whose rendered content differs from the same UID's
  event rendered from a published reference solution (`--reference`); an event of the
  reference that no longer exists is kept in programme.ics with STATUS:CANCELLED;
- DTSTAMP is a fixed moment, never the clock (`default_stamp`, or `--stamp`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar

from scheduler import __version__
from scheduler.exports.common import (
    Written,
    default_stamp,
    kind_label,
    label,
    language_badge,
    location,
    ordered_workshops,
    participatory_of,
    room_name,
    speakers_line,
    theme_label,
)
from scheduler.files import write_atomic
from scheduler.instance import Instance
from scheduler.solution import ItemKind, Solution, Workshop
from scheduler.text import plural

logger = logging.getLogger(__name__)

PRODID = f"-//Commons AI//commons-scheduler {__version__}//EN"
UID_DOMAIN = "commons-scheduler"


def workshop_uid(instance: Instance, slot_id: str) -> str:
    return f"{instance.name}/workshop/{slot_id}@{UID_DOMAIN}"


def talk_uid(instance: Instance, proposal_id: str) -> str:
    return f"{instance.name}/talk/{proposal_id}@{UID_DOMAIN}"


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT as plain data; `content()` is what a change of SEQUENCE is judged on."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    summary_lang: str
    description: str
    description_lang: str | None
    location: str
    categories: tuple[str, ...]
    categories_lang: str
    related_to: str | None = None
    cancelled: bool = False

    def content(self) -> tuple:
        return (
            self.start,
            self.end,
            self.summary,
            self.description,
            self.location,
            self.categories,
            self.related_to,
            self.cancelled,
        )


@dataclass(frozen=True)
class IcsOptions:
    lang: str = "fr"
    items: bool = False
    stamp: datetime | None = None


def _colon(lang: str) -> str:
    return " : " if lang == "fr" else ": "


def _quoted(text: str, lang: str) -> str:
    return f"« {text} »" if lang == "fr" else f"“{text}”"


def _title(instance: Instance, proposal_id: str) -> str:
    proposal = instance.proposal_by_id.get(proposal_id)
    return proposal.title if proposal else proposal_id


def _speakers(instance: Instance, proposal_id: str) -> str:
    proposal = instance.proposal_by_id.get(proposal_id)
    return speakers_line(instance, proposal) if proposal else ""


def workshop_summary(instance: Instance, workshop: Workshop, lang: str) -> str:
    theme = theme_label(instance, workshop.theme, lang)
    return f"{label('workshop', lang)} — {theme} [{language_badge(workshop.language)}]"


def workshop_description(instance: Instance, workshop: Workshop, lang: str) -> str:
    """The timeline: one line per item with its start, then the speakers under each talk."""
    colon = _colon(lang)
    theme = _quoted(theme_label(instance, workshop.theme, lang), lang)
    lines = [
        f"{label('workshop', lang)} {theme} — {label('language', lang)}{colon}"
        f"{language_badge(workshop.language)}",
        location(instance, workshop.room),
        "",
    ]
    for item in workshop.items:
        head = f"{instance.local(item.start):%H:%M}  {kind_label(item.kind, lang)}"
        if item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
            lines.append(f"{head}{colon}{_title(instance, item.proposal)}")
            speakers = _speakers(instance, item.proposal)
            if speakers:
                lines.append(f"       {speakers}")
        elif item.kind == ItemKind.PARTICIPATORY:
            proposal = instance.proposal_by_id.get(item.proposal)
            fmt = proposal.participatory_format if proposal else None
            lines.append(f"{head}{colon}{fmt}" if fmt else head)
        else:
            lines.append(head)
    lines.append(f"{instance.local(workshop.end):%H:%M}  {label('end', lang)}")
    return "\n".join(lines)


def workshop_event(instance: Instance, workshop: Workshop, lang: str) -> CalendarEvent:
    return CalendarEvent(
        uid=workshop_uid(instance, workshop.slot),
        start=instance.local(workshop.start),
        end=instance.local(workshop.end),
        summary=workshop_summary(instance, workshop, lang),
        summary_lang=lang,
        description=workshop_description(instance, workshop, lang),
        description_lang=lang,
        location=location(instance, workshop.room),
        categories=(theme_label(instance, workshop.theme, lang),),
        categories_lang=lang,
    )


def talk_events(instance: Instance, workshop: Workshop, lang: str) -> list[CalendarEvent]:
    """One event per keynote (with its participatory time) and per initiative."""
    colon = _colon(lang)
    events = []
    for item in workshop.items:
        if item.kind not in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
            continue
        proposal = instance.proposal_by_id.get(item.proposal)
        after = participatory_of(workshop, item) if item.kind == ItemKind.KEYNOTE else None
        end = after.end if after is not None else item.end
        theme = _quoted(theme_label(instance, workshop.theme, lang), lang)
        lines = [
            f"{kind_label(item.kind, lang)} · {label('workshop', lang)} {theme} "
            f"[{language_badge(workshop.language)}]",
        ]
        speakers = _speakers(instance, item.proposal)
        if speakers:
            lines.append(speakers)
        lines.append(location(instance, workshop.room))
        lines.append("")
        lines.append(
            f"{instance.local(item.start):%H:%M}–{instance.local(item.end):%H:%M}  "
            f"{kind_label(item.kind, lang)}"
        )
        if after is not None:
            fmt = proposal.participatory_format if proposal else None
            lines.append(
                f"{instance.local(after.start):%H:%M}–{instance.local(after.end):%H:%M}  "
                f"{kind_label(ItemKind.PARTICIPATORY, lang)}" + (f"{colon}{fmt}" if fmt else "")
            )
        if proposal is not None and proposal.abstract:
            lines += ["", proposal.abstract]
        events.append(
            CalendarEvent(
                uid=talk_uid(instance, item.proposal),
                start=instance.local(item.start),
                end=instance.local(end),
                summary=_title(instance, item.proposal),
                summary_lang=proposal.language.value if proposal else lang,
                description="\n".join(lines),
                description_lang=None,
                location=location(instance, workshop.room),
                categories=(theme_label(instance, workshop.theme, lang),),
                categories_lang=lang,
                related_to=workshop_uid(instance, workshop.slot),
            )
        )
    return events


def programme_events(
    instance: Instance, solution: Solution, options: IcsOptions
) -> list[CalendarEvent]:
    """Workshops in time order, each followed by its talks when `items` is set."""
    events: list[CalendarEvent] = []
    for workshop in ordered_workshops(instance, solution):
        events.append(workshop_event(instance, workshop, options.lang))
        if options.items:
            events.extend(talk_events(instance, workshop, options.lang))
    return events


def sequences(
    events: Iterable[CalendarEvent], published: Iterable[CalendarEvent] | None
) -> dict[str, int]:
    """SEQUENCE per UID: 1 when the published event with that UID differs, else 0.

    With one published reference this is the number of published versions the event
    changed from; re-solving against a published schedule (issue 4) passes it here.
    """
    before = {e.uid: e.content() for e in published or ()}
    return {e.uid: int(e.uid in before and before[e.uid] != e.content()) for e in events}


def cancelled_events(
    events: Iterable[CalendarEvent], published: Iterable[CalendarEvent] | None
) -> list[CalendarEvent]:
    """Published events whose UID is gone, marked cancelled so an importing client removes them."""
    current = {e.uid for e in events}
    return [replace(e, cancelled=True) for e in published or () if e.uid not in current]


def _vtimezone(instance: Instance, events: list[CalendarEvent]) -> icalendar.Timezone:
    """The event's timezone, with transitions from the first event's year to the last's."""
    years = [e.start.year for e in events] + [e.end.year for e in events]
    if not years:
        years = [instance.local(s.start).year for s in instance.slots]
    return icalendar.Timezone.from_tzid(
        instance.event.timezone,
        first_date=date(min(years), 1, 1),
        last_date=date(max(years) + 1, 1, 1),
    )


def _vevent(event: CalendarEvent, stamp: datetime, sequence: int) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("sequence", sequence)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("summary", event.summary, parameters={"LANGUAGE": event.summary_lang})
    description_params = {"LANGUAGE": event.description_lang} if event.description_lang else {}
    vevent.add("description", event.description, parameters=description_params)
    vevent.add("location", event.location)
    vevent.add("categories", list(event.categories), parameters={"LANGUAGE": event.categories_lang})
    if event.related_to:
        vevent.add("related-to", event.related_to, parameters={"RELTYPE": "PARENT"})
    return vevent


def calendar_bytes(
    instance: Instance,
    name: str,
    events: list[CalendarEvent],
    stamp: datetime,
    sequence: dict[str, int],
) -> bytes:
    """A VCALENDAR with its VTIMEZONE first, as the library folds and terminates lines."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)  # RFC 7986
    calendar.add("x-wr-calname", name)  # what Apple, Google and Outlook read
    calendar.add("x-wr-timezone", instance.event.timezone)
    calendar.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    calendar.add_component(_vtimezone(instance, events))
    for event in events:
        seq = sequence.get(event.uid, 0)
        if event.cancelled:
            seq += 1
        calendar.add_component(_vevent(event, stamp, seq))
    return calendar.to_ical()


def write_ics(
    instance: Instance,
    solution: Solution,
    directory: Path,
    options: IcsOptions = IcsOptions(),
    reference: Solution | None = None,
) -> list[Written]:
    """programme.ics, then speakers/<id>.ics, rooms/<id>.ics and themes/<id>.ics."""
    directory = Path(directory)
    lang = options.lang
    stamp = options.stamp or default_stamp(instance)
    events = programme_events(instance, solution, options)
    published = programme_events(instance, reference, options) if reference is not None else None
    sequence = sequences(events, published)
    gone = cancelled_events(events, published)
    title = instance.event.title
    written: list[Written] = []

    def emit(path: Path, name: str, chosen: list[CalendarEvent], what: str) -> None:
        write_atomic(path, calendar_bytes(instance, name, chosen, stamp, sequence))
        written.append(Written(path, what))

    changed = sum(1 for s in sequence.values() if s)
    note = f", {changed} changed and {len(gone)} cancelled since the reference" if published else ""
    emit(
        directory / "programme.ics",
        title,
        events + gone,
        f"{plural(len(events), 'event')}{note}",
    )

    by_uid = {e.uid: e for e in events}
    workshops = ordered_workshops(instance, solution)
    uids = {w.slot: workshop_uid(instance, w.slot) for w in workshops}

    # each speaker's talks, workshop by workshop in the programme's order (one pass: at
    # 2000 proposals a scan of every workshop per speaker made the calendars take 19.8 s
    # instead of 7.0)
    talks_of: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for workshop in workshops:
        for proposal_id in workshop.proposals:
            for speaker_id in dict.fromkeys(instance.proposal_by_id[proposal_id].speakers):
                talks_of[speaker_id].setdefault(workshop.slot, []).append(proposal_id)
    for speaker in instance.speakers:
        chosen: list[CalendarEvent] = []
        for slot, talks in talks_of[speaker.id].items():
            chosen.append(by_uid[uids[slot]])
            if options.items:
                chosen.extend(by_uid[talk_uid(instance, p)] for p in talks)
        if chosen:
            emit(
                directory / "speakers" / f"{speaker.id}.ics",
                f"{title} — {speaker.name}",
                chosen,
                plural(len(chosen), "event"),
            )

    groups = [
        ("rooms", room.id, room_name(instance, room.id), lambda w, key=room.id: w.room == key)
        for room in instance.rooms
    ] + [
        ("themes", theme.id, theme.label.get(lang), lambda w, key=theme.id: w.theme == key)
        for theme in instance.themes
    ]
    for folder, key, name, holds in groups:
        chosen = [by_uid[uids[w.slot]] for w in workshops if holds(w)]
        if chosen:
            emit(
                directory / folder / f"{key}.ics",
                f"{title} — {name}",
                chosen,
                plural(len(chosen), "workshop"),
            )
    logger.info("wrote %d calendars in %s", len(written), directory)
    return written
