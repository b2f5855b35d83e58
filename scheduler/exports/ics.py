"""iCalendar export: the programme, and one calendar per speaker, room and theme (RFC 5545).

Identity and versions (see docs/exports.md):

- a workshop's UID is `<instance>/workshop/<slot>@commons-scheduler`: the FOST team
  imports a slot's event, and a re-solve that changes what happens in that room at
  that time updates the same event, as long as it is the same workshop (its room, its
  theme and a talk in common, along the published versions: `workshop_identities`);
  another workshop composed into the slot, or the slot moved to another room, is a new
  event, `<slot>/2`, and the one it replaced is cancelled; a re-solve records these
  numbers (`Solution.events`), so they do not depend on the references given;
- a talk's UID is `<instance>/talk/<proposal>@commons-scheduler`: a talk that moves to
  another workshop keeps its UID, so re-importing moves the event;
- the programme's, rooms' and themes' calendars share those UIDs; a speaker's calendar
  has UIDs of its own, `<instance>/speaker/<speaker>/workshop/<slot>@…` and
  `…/speaker/<speaker>/talk/<proposal>@…` (`speaker_event_uid`), so that what she no
  longer holds can be cancelled there without being cancelled anywhere else;
- SEQUENCE counts the changes of an event's rendered content across the published
  versions (`--reference`, every one, oldest first) and the new solution, a
  cancellation or a restoration counting as one (`sequences`); a published event that
  no longer exists is kept in programme.ics with STATUS:CANCELLED;
- DTSTAMP is a fixed moment, never the clock (`default_stamp`, or `--stamp`).
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from babel.core import get_global
from babel.dates import get_timezone_location

from scheduler import __version__
from scheduler.exports.common import (
    SPOKEN,
    Output,
    day_label,
    default_stamp,
    kind_label,
    label,
    language_badge,
    location,
    ordered_workshops,
    participatory_of,
    room_name,
    speakers_named,
    theme_label,
)
from scheduler.instance import Instance
from scheduler.solution import ItemKind, Solution, Workshop, calendar_events, event_numbers
from scheduler.text import plural, plural_fr

logger = logging.getLogger(__name__)

PRODID = f"-//commons-scheduler//commons-scheduler {__version__}//EN"
"""The calendars' producer: the tool, whatever the event (it named Commons AI in every
event's calendars)."""
UID_DOMAIN = "commons-scheduler"


def workshop_uid(instance: Instance, slot_id: str, generation: int = 1) -> str:
    """A workshop's UID: its slot's, and for the slot's second workshop and after (another
    workshop composed into it since a publication, `workshop_identities`) its number."""
    suffix = f"/{generation}" if generation > 1 else ""
    return f"{instance.name}/workshop/{slot_id}{suffix}@{UID_DOMAIN}"


def talk_uid(instance: Instance, proposal_id: str) -> str:
    return f"{instance.name}/talk/{proposal_id}@{UID_DOMAIN}"


def speaker_event_uid(instance: Instance, speaker_id: str, uid: str) -> str:
    """The UID, in a speaker's calendar, of the programme's event `uid`:
    `<instance>/speaker/<speaker>/` then the rest of the programme's UID
    (`workshop/<slot>[/<n>]@…`, `talk/<proposal>@…`). Her calendar shared the
    programme's UIDs, so an event could not be cancelled in it without being cancelled
    in every calendar: a co-presenter dropped from a talk that goes on kept it, and its
    workshop, confirmed in her own calendar."""
    prefix = f"{instance.name}/"
    if not uid.startswith(prefix):  # (every UID the export makes starts so)
        raise ValueError(f"{uid} is not a UID of {instance.name}")
    return f"{prefix}speaker/{speaker_id}/{uid[len(prefix) :]}"


def workshop_identities(instance: Instance, versions: Sequence[Solution]) -> list[dict[str, str]]:
    """Each version's workshop UIDs by slot, along the chain (the published versions,
    oldest first, then the new solution): the number of its event at its slot
    (`scheduler.solution.calendar_events`, a version's own record when it has one). A
    workshop keeps the event of the workshop last at its slot when it continues it (its
    room, its theme and at least one talk in common), else takes back that of an earlier
    one it continues (a workshop restored after another took its slot), else is a new
    workshop: the slot's next number (`workshop_uid`). A slot's first workshop has the
    slot's UID, so a chain in which no slot changed workshop has every UID it had before
    identities.

    Keyed by the slot alone, a workshop composed into a slot whose own had left it (a
    speaker withdrawn, another workshop moved in) was the same event, "updated": the
    calendars of the speakers and theme of the one that left showed the new one,
    confirmed, and that one's own speakers and theme got it as an update of an event
    they never had."""
    return [
        {
            slot: workshop_uid(instance, slot, number)
            for slot, number in event_numbers(version, events).items()
        }
        for version, events in zip(versions, calendar_events(versions), strict=True)
    ]


def departed_talks(
    instance: Instance, versions: Sequence[Solution], identities: Sequence[dict[str, str]]
) -> list[dict[str, tuple[tuple[str, str], ...]]]:
    """For each version, each workshop's talks (by UID, `identities`) that an earlier
    version had in it and that it no longer has, as (proposal, title as last published
    there), in the order they were first published: a line under the workshop's
    timeline names each, and where that version places it (`DEPARTED_NOTES`), in every
    calendar that holds the workshop (its speaker's own calendar has the workshop
    cancelled, under her own UID, `speaker_event_uid`). Counted from the versions before
    each one, so that it changes a workshop's content only where its talks change."""
    seen: dict[str, dict[str, str]] = defaultdict(dict)  # UID -> proposal -> title
    chosen: list[dict[str, tuple[tuple[str, str], ...]]] = []
    for version, uids in zip(versions, identities, strict=True):
        gone: dict[str, tuple[tuple[str, str], ...]] = {}
        for workshop in version.workshops:
            uid = uids.get(workshop.slot)
            talks = set(workshop.proposals)
            left = tuple((p, t) for p, t in seen.get(uid, {}).items() if p not in talks)
            if left:
                gone[uid] = left
        chosen.append(gone)
        for workshop in version.workshops:
            uid = uids.get(workshop.slot)
            for proposal_id in workshop.proposals:
                proposal = instance.proposal_by_id.get(proposal_id)
                seen[uid][proposal_id] = version.titles.get(
                    proposal_id, proposal.title if proposal else proposal_id
                )
    return chosen


def moved_workshops(
    versions: Sequence[Solution], identities: Sequence[dict[str, str]]
) -> list[dict[str, Workshop]]:
    """For each version, each workshop (by UID, `identities`) that is an earlier one moved
    to another slot or room, by that earlier workshop as last published: a new event
    (its UID first in that version) of the same theme, with at least one talk in common
    with a workshop the version before held and this one no longer holds (its event
    cancelled there, `DÉPLACÉ —`), at another time or in another room. Each workshop
    left is said moved to one new workshop at most: the one its SUMMARY's talk
    (`lead_talk`) now leads, else the one with the most talks in common with it (by
    that count alone, the new « Atelier — Conférence 34 » said it was where « Atelier —
    Conférence 184 » had been, which one initiative of each had swapped). A new
    workshop whose lead talk was already at its time and room is said moved from
    nowhere: it is the workshop there under another theme, and its talks that came from
    elsewhere say so (`arrived_talks`); one initiative in common with a workshop of a
    closed slot had it said « Atelier déplacé », a workshop that never moved. The new
    event's DESCRIPTION then starts by saying where it was (`MOVED_FROM`): it said
    nothing, and an attendee saw « DÉPLACÉ » on one event and an unexplained twin. Kept in every later version that holds the event, so that it
    changes the event only in the version it appears in."""
    seen: set[str] = set()
    origins: dict[str, Workshop] = {}
    previous: dict[str, Workshop] = {}
    chosen: list[dict[str, Workshop]] = []
    for version, uids in zip(versions, identities, strict=True):
        current = _by_uid(version, uids)
        new = [u for u in current if u not in seen]
        gone = [u for u in previous if u not in current]
        # the workshops left by talk, each compared only with the new ones sharing a talk
        # with it (each with each, at 2000 proposals 535 new by 568 left took 1.4 s)
        left_with: dict[str, list[int]] = defaultdict(list)
        for g, left in enumerate(gone):
            for proposal_id in previous[left].proposals:
                left_with[proposal_id].append(g)
        where_before = {p: _place_of(w) for w in previous.values() for p in w.proposals}
        pairs = []
        for n, uid in enumerate(new):
            now = current[uid]
            talks = set(now.proposals)
            lead = lead_talk(now)
            if lead is not None and where_before.get(lead) == _place_of(now):
                continue  # (its lead talk was already there: it stays, another theme)
            for g in sorted({g for p in talks for g in left_with.get(p, ())}):
                left = gone[g]
                was = previous[left]
                common = talks & set(was.proposals)
                if was.theme == now.theme and _place_of(was) != _place_of(now):
                    # (the same talk named first: their SUMMARYs name it)
                    named = lead is not None and lead == lead_talk(was)
                    pairs.append((not named, -len(common), n, g, uid, left))
        claimed: set[str] = set()
        for *_, uid, left in sorted(pairs):
            if uid not in origins and left not in claimed:
                origins[uid] = previous[left]
                claimed.add(left)
        chosen.append({u: origins[u] for u in current if u in origins})
        seen |= current.keys()
        previous = current
    return chosen


def _place_of(workshop: Workshop) -> tuple[datetime, datetime, str]:
    """A workshop's time and room: the same for a workshop that stayed where it was."""
    return workshop.start, workshop.end, workshop.room


def _by_uid(version: Solution, uids: Mapping[str, str]) -> dict[str, Workshop]:
    """A version's workshops by UID (two in a slot, edited by hand: the first, as its
    UID, `workshop_identities`)."""
    current: dict[str, Workshop] = {}
    for workshop in version.workshops:
        uid = uids.get(workshop.slot)
        if uid is not None:
            current.setdefault(uid, workshop)
    return current


def arrived_talks(
    versions: Sequence[Solution],
    identities: Sequence[dict[str, str]],
    moved: Sequence[dict[str, Workshop]],
) -> list[dict[str, dict[str, Workshop]]]:
    """For each version, by workshop UID (`identities`), the talks it holds that came
    from another workshop of the version before, at another time or in another room,
    whether that one was cancelled in that version (its UID gone, `DÉPLACÉ —`) or goes on
    without them, each by that workshop as last published; those of the workshop it is
    said moved from (`moved`, `moved_workshops`) left out, its own line saying it. Lines
    name them (`ARRIVED_FROM`): a workshop split between workshops (a slot closed, its
    talks placed where they fit) is said moved from at most once, and the others that
    took its talks, new or not, said nothing; a talk moved out of a workshop that kept
    its event was said nowhere to have been there. Kept while the talk stays in the
    workshop, so that it changes the event only in the version it appears in."""
    previous: dict[str, Workshop] = {}
    chosen: list[dict[str, dict[str, Workshop]]] = []
    kept: dict[str, dict[str, Workshop]] = {}
    for version, uids, origins in zip(versions, identities, moved, strict=True):
        current = _by_uid(version, uids)
        # each talk of the version before, by the UID of the workshop it was in
        before = {p: (u, w) for u, w in previous.items() for p in w.proposals}
        found: dict[str, dict[str, Workshop]] = {}
        for uid, now in current.items():
            talks = {p: w for p, w in kept.get(uid, {}).items() if p in now.proposals}
            origin = origins.get(uid)
            for proposal_id in now.proposals:
                left, was = before.get(proposal_id, (uid, None))
                if was is None or left == uid or was == origin or proposal_id in talks:
                    continue
                if (was.start, was.end, was.room) != (now.start, now.end, now.room):
                    talks[proposal_id] = was
            if talks:
                found[uid] = talks
        chosen.append(found)
        kept = found
        previous = current
    return chosen


@dataclass(frozen=True)
class EventTalk:
    """A talk of a workshop's event, as the event renders it: its proposal, title and
    speakers (by id), for the wording of the event's cancellation (`cancelled_events`)."""

    proposal: str
    title: str
    speakers: tuple[str, ...] = ()


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT as plain data; `content()` is what a change of SEQUENCE is judged on."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    summary_lang: str | None
    description: str
    description_lang: str | None
    location: str
    categories: tuple[str, ...]
    categories_lang: str
    related_to: str | None = None
    cancelled: bool = False
    talk: bool = False  # a talk's event (else a workshop's), for its cancellation's wording
    proposals: tuple[str, ...] = ()  # a workshop's talks, for its cancellation's wording
    talks: tuple[EventTalk, ...] = ()  # the same, with their titles and speakers
    lead: str | None = None  # the talk its SUMMARY names (`lead_talk`)
    # a moved workshop's first DESCRIPTION line (`moved_note`) and the talks it had
    # where it was, for a speaker's copy (`speaker_copy`)
    moved_line: str | None = None
    moved_talks: tuple[str, ...] = ()

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


def speaker_copy(instance: Instance, speaker_id: str, event: CalendarEvent) -> CalendarEvent:
    """The programme's `event` as a speaker's calendar holds it: the same content under
    her own UID, a talk's RELATED-TO naming her own copy of its workshop. A moved
    workshop's line saying where it was (`MOVED_FROM`) only when one of her talks in it
    was there: in the calendar of a speaker whose talk came from elsewhere, or was not
    scheduled before, « Atelier déplacé : … auparavant le mercredi 2 décembre … » read as
    her talk having been there."""
    description = event.description
    if event.moved_line is not None and not any(
        speaker_id in t.speakers and t.proposal in event.moved_talks for t in event.talks
    ):
        # (the blank line after it too, unless lines of talks that came from elsewhere
        # follow it, `ARRIVED_FROM`: those name their talks, true in every calendar)
        rest = description.removeprefix(f"{event.moved_line}\n")
        description = rest.removeprefix("\n") if rest != description else description
    return replace(
        event,
        uid=speaker_event_uid(instance, speaker_id, event.uid),
        description=description,
        related_to=(
            speaker_event_uid(instance, speaker_id, event.related_to) if event.related_to else None
        ),
    )


@dataclass(frozen=True)
class IcsOptions:
    """`lang`: the calendars' labels; `messages`: the language of the accounts of what
    each file holds, which the command prints (English unless `--lang` is given)."""

    lang: str = "fr"
    items: bool = False
    stamp: datetime | None = None
    messages: str = "en"
    refresh: timedelta = timedelta(days=1)
    """How often a subscribed client fetches the calendars again (`REFRESH-INTERVAL`,
    `X-PUBLISHED-TTL`): a day, and less during the event (`--refresh PT1H`)."""


def _colon(lang: str) -> str:
    return "\u00a0: " if lang == "fr" else ": "  # (a no-break space: no line starts with ":")


def _quoted(text: str, lang: str) -> str:
    return f"«\u00a0{text}\u00a0»" if lang == "fr" else f"“{text}”"


@dataclass(frozen=True)
class Recorded:
    """What a rendering of a solution takes from the solution rather than the instance:
    titles and speakers (by id) per proposal (`recorded_texts`)."""

    titles: dict[str, str]
    speakers: dict[str, list[str]]
    names: dict[str, str] = field(default_factory=dict)
    """Speakers' names with their affiliations, by id."""


NOTHING_RECORDED = Recorded({}, {})


def recorded_texts(instance: Instance, solution: Solution, published: bool) -> Recorded:
    """The titles and speakers a rendering of `solution` gives its talks. The new
    solution's are the instance's, and a talk withdrawn since has those the solution
    recorded (its cancelled event read "Keynote : p-data-centers-angle-mort-115afc",
    without its speakers). A published version's are those it recorded when it was
    solved, so that a title corrected since, or a speaker taken off a talk, changes the
    event and raises its SEQUENCE (rendered with the instance's, the change was at the
    SEQUENCE clients held, and they kept the old title and the speaker who left)."""
    if published:
        # (its speakers' names too: one corrected since changes the event)
        return Recorded(dict(solution.titles), dict(solution.speakers), solution.speaker_labels())
    gone = {p for p in (*solution.titles, *solution.speakers) if p not in instance.proposal_by_id}
    return Recorded(
        {p: t for p, t in solution.titles.items() if p in gone},
        {p: s for p, s in solution.speakers.items() if p in gone},
        solution.speaker_labels(lambda s: s not in instance.speaker_by_id),
    )


def _title(instance: Instance, proposal_id: str, recorded: Recorded) -> str:
    """A talk's title: as recorded where it is (`recorded`), else the instance's, else
    its id."""
    proposal = instance.proposal_by_id.get(proposal_id)
    return recorded.titles.get(proposal_id, proposal.title if proposal else proposal_id)


def _speakers(instance: Instance, proposal_id: str, recorded: Recorded) -> str:
    """A talk's speakers line: as recorded where it is, else the instance's."""
    speaker_ids = recorded.speakers.get(proposal_id)
    if speaker_ids is None:
        proposal = instance.proposal_by_id.get(proposal_id)
        speaker_ids = proposal.speakers if proposal else []
    return speakers_named(instance, speaker_ids, recorded.names)


def _speaker_ids(instance: Instance, proposal_id: str, recorded: Recorded) -> tuple[str, ...]:
    """A talk's speakers by id, as `_speakers` names them."""
    speaker_ids = recorded.speakers.get(proposal_id)
    if speaker_ids is None:
        proposal = instance.proposal_by_id.get(proposal_id)
        speaker_ids = proposal.speakers if proposal else []
    return tuple(speaker_ids)


def _talk_language(instance: Instance, proposal_id: str, workshop: Workshop, lang: str) -> str:
    """A talk's language: its proposal's, else (withdrawn since) its workshop's, which a
    talk shares unless workshops mix languages, else `lang`. (A withdrawn English talk's
    title was cancelled under LANGUAGE=fr as a French one.)"""
    proposal = instance.proposal_by_id.get(proposal_id)
    if proposal is not None:
        return proposal.language.value
    return workshop.language if workshop.language in ("fr", "en") else lang


LEAD_CHARS = 90
"""The most a workshop's SUMMARY gives of its lead talk's title, in characters."""


def lead_talk(workshop: Workshop) -> str | None:
    """The talk a workshop's SUMMARY names: its first keynote, else its first
    initiative, else none."""
    for kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
        for item in workshop.items:
            if item.kind == kind:
                return item.proposal
    return None


def shortened(text: str, limit: int = LEAD_CHARS) -> str:
    """`text` on one line, cut at a word within `limit` characters with "…" when longer."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if text[limit - 1] != " " and space > limit // 2:  # (not in the middle of a word)
        cut = cut[:space]
    return cut.rstrip(" ,;:.—–-") + "…"


def tagged(language: str, text: str) -> str:
    """A SUMMARY: the language tag first, then `text`: "[FR] <title>", "[FR + EN] …"."""
    return f"[{language_badge(language)}] {text}"


def workshop_summary(
    instance: Instance,
    workshop: Workshop,
    lang: str,
    recorded: Recorded = NOTHING_RECORDED,
    items: bool = False,
) -> tuple[str, str | None]:
    """ "[FR] <lead talk's title>" (the workshop's language, then what tells it from the
    others) and the title's language. « Atelier — <title> [FR] », 70 to 99 characters
    on the bundled programme, showed on a phone's line of 25 to 40 the same « Atelier —
    » for every event and never the language; the kind is in CATEGORIES and on the
    DESCRIPTION's first line. A workshop without talks is named by its theme. The title
    is the one `recorded`, so that a published version reads as it was published.

    With `items` (an event per talk beside the workshop's), « [FR] Atelier : <title> »:
    the workshop's event and its keynote's read the same, told apart only by their
    times and CATEGORIES. Its language is then the title's only when the label's is the
    same (None: a SUMMARY of two languages, as a cancelled one's)."""
    lead = lead_talk(workshop)
    if lead is None:
        name, language = theme_label(instance, workshop.theme, lang), lang
    else:
        name = shortened(_title(instance, lead, recorded))
        language = _talk_language(instance, lead, workshop, lang)
    if not items:
        return tagged(workshop.language, name), language
    named = f"{label('workshop', lang)}{_colon(lang)}{name}"
    return tagged(workshop.language, named), language if language == lang else None


@dataclass(frozen=True)
class Place:
    """Where a workshop takes place, as the calendars write it (`place_label`): its local
    start and end, its room's name, and its LOCATION (room and venue)."""

    start: datetime
    end: datetime
    room: str
    location: str


def place_of(instance: Instance, workshop: Workshop) -> Place:
    start, end = instance.local(workshop.start), instance.local(workshop.end)
    return Place(start, end, room_name(instance, workshop.room), location(instance, workshop.room))


def place_label(place: Place, lang: str) -> str:
    """'mardi 1er décembre, 14:00–15:30, Salle Seine' ('Tuesday 1 December, 14:00–15:30,
    Salle Seine'): the day as `day_label` writes it in a sentence, an en dash between the
    times, as `diff` and the grid write a range."""
    day = day_label(place.start.date(), lang, year=False)
    return f"{day}, {place.start:%H:%M}–{place.end:%H:%M}, {place.room}"


CLOCK = {
    "fr": {"city": "Horaires\u00a0: heure {of} ({offset})", "offset": "Horaires\u00a0: {offset}"},
    "en": {"city": "Times: {city} time ({offset})", "offset": "Times: {offset}"},
}
"""The line above a DESCRIPTION's timeline saying which clock its times are on. The
times were bare: a speaker whose phone is in Lisbon saw her event at 14:30 and, under
it, « 15:30 » in Paris time."""

_NO_CITY = ("Etc", "US", "Canada", "Brazil", "Chile", "Mexico")
"""IANA areas whose zones are named after no city (`Etc/GMT-1`, `US/Eastern`): such a
zone is named by the city of the zone it links to (`US/Eastern` by
`America/New_York`'s), where CLDR knows the link."""


@functools.cache
def zone_city(zone: str, lang: str = "en") -> str | None:
    """The city an IANA zone is named after, in `lang` as CLDR names it (Babel):
    'Europe/Lisbon' → 'Lisbonne' in French, 'Lisbon' in English; 'US/Eastern' → 'New
    York'; None for a zone named after no city ('UTC', 'Etc/GMT-1') or one Babel does
    not know. (The calendars wrote IANA's English name: « heure de Lisbon ».)"""
    area, _, rest = zone.partition("/")
    if not rest or area == "Etc":  # (`CET`, a link to Europe/Brussels, means no city)
        return None
    if get_global("zone_aliases").get(zone, zone).partition("/")[0] in _NO_CITY:
        return None
    try:
        return get_timezone_location(zone, locale=lang, return_city=True)
    except LookupError:
        return None


def utc_offset(moment: datetime) -> str:
    """'UTC+1', 'UTC+5:30', 'UTC−3' (a minus sign), 'UTC': `moment`'s offset."""
    offset = moment.utcoffset()
    minutes = round(offset.total_seconds() / 60) if offset is not None else 0
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    sign = "+" if minutes > 0 else "\u2212"
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def of_city(city: str) -> str:
    """« de Paris », « d'Amsterdam », « du Caire », « des Îles Canaries », « de l'Île de
    Pâques »: the French for "of" a city, its article contracted."""
    if city.startswith("Le "):
        return f"du {city[3:]}"
    if city.startswith(("Les ", "Îles ")):
        return f"des {city.removeprefix('Les ')}"
    if city.startswith("Île "):
        return f"de l'{city}"
    return f"d'{city}" if city[:1] in "AEIOUYÂÉÈÊÎÔÛ" else f"de {city}"


def clock_line(instance: Instance, moment: datetime, lang: str) -> str:
    """« Horaires : heure de Lisbonne (UTC) » ("Times: Lisbon time (UTC)"): the event's
    timezone named by its city in `lang` (`zone_city`) and its offset at `moment`
    (`CLOCK`)."""
    offset = utc_offset(instance.local(moment))
    city = zone_city(instance.event.timezone, lang)
    if city is None:
        return CLOCK[lang]["offset"].format(offset=offset)
    return CLOCK[lang]["city"].format(city=city, of=of_city(city), offset=offset)


MOVED_FROM = {
    "fr": "Atelier déplacé\u00a0: il avait lieu auparavant le {where}.",
    "en": "Workshop moved: it previously took place on {where}.",
}
"""The first line of the DESCRIPTION of a workshop moved to another slot or room
(`moved_workshops`), where it was as last published (`place_label`). (« Déplacé :
auparavant … », no subject, read in a speaker's calendar as her own talk having been
there.)"""

ARRIVED_FROM = {
    "fr": (
        "{title} avait lieu auparavant le {where}.",
        "{title} avaient lieu auparavant le {where}.",
    ),
    "en": ("{title} previously took place on {where}.",) * 2,
}
"""A line at the head of a workshop's DESCRIPTION per place its talks came from, from
other workshops since, cancelled or not (`arrived_talks`): where that one was as last
published, naming the talks that were there (one, or several: « « A » et « B » avaient
lieu … », a line each repeated the place). A workshop split between workshops was said
moved from in one of them at most, and a talk that went to another read as if it had
always been there."""


def _by_place(talks: Iterable[tuple[str, Place | None]]) -> list[tuple[list[str], Place | None]]:
    """Titles with their place, those of one place gathered where the first of them is;
    those of no place (None) each alone."""
    groups: list[tuple[list[str], Place | None]] = []
    seen: dict[Place, list[str]] = {}
    for title, where in talks:
        if where is not None and where in seen:
            seen[where].append(title)
            continue
        groups.append(([title], where))
        if where is not None:
            seen[where] = groups[-1][0]
    return groups


def _one_or_many(templates: tuple[str, str], titles: Sequence[str], lang: str, **words) -> str:
    """`templates` (one talk, several) with `titles` listed (`_listed`) as its {title}."""
    template = templates[0] if len(titles) == 1 else templates[1]
    return template.format(title=_listed(titles, lang), **words)


def moved_note(instance: Instance, workshop: Workshop, lang: str) -> str:
    """Where `workshop` (as last published) was, for its new event (`MOVED_FROM`)."""
    return MOVED_FROM[lang].format(where=place_label(place_of(instance, workshop), lang))


def arrived_note(instance: Instance, titles: Sequence[str], workshop: Workshop, lang: str) -> str:
    """Where the talks `titles` were (in `workshop`, as last published), for the workshop
    they came to (`ARRIVED_FROM`)."""
    where = place_label(place_of(instance, workshop), lang)
    return _one_or_many(ARRIVED_FROM[lang], titles, lang, where=where)


DEPARTED_NOTES = {
    "fr": {
        "gone": "Ne fait plus partie de cet atelier\u00a0: {title}",
        "moved": (
            "Ne fait plus partie de cet atelier\u00a0: {title}, qui a désormais lieu le {where}.",
            "Ne font plus partie de cet atelier\u00a0: {title}, qui ont désormais lieu le {where}.",
        ),
    },
    "en": {
        "gone": "No longer in this workshop: {title}",
        "moved": (
            "No longer in this workshop: {title}, which now takes place on {where}.",
            "No longer in this workshop: {title}, which now take place on {where}.",
        ),
    },
}
"""A line under a workshop's timeline per talk published in it that is no longer there
(`departed_talks`), "moved" with where its workshop now is when it is scheduled
(`place_label`, as `TALK_PLACES`), the talks gone to one place on one line: « Ne fait
plus partie de cet atelier : « … » » alone left an attendee to look for it in the
programme."""


def departed_note(titles: Sequence[str], where: Place | None, lang: str) -> str:
    """The line of talks no longer in a workshop (`DEPARTED_NOTES`), `where` their
    workshop now is, None when it is scheduled nowhere (one talk, `_by_place`)."""
    if where is None:
        return DEPARTED_NOTES[lang]["gone"].format(title=_listed(titles, lang))
    return _one_or_many(DEPARTED_NOTES[lang]["moved"], titles, lang, where=place_label(where, lang))


def workshop_description(
    instance: Instance,
    workshop: Workshop,
    lang: str,
    recorded: Recorded = NOTHING_RECORDED,
    departed: Sequence[tuple[str, Place | None]] = (),
    moved_from: Workshop | None = None,
    arrived: Mapping[str, Workshop] | None = None,
) -> str:
    """The timeline: one line per item with its start, then the speakers under each talk;
    then the talks published in the workshop that are no longer in it (`departed`:
    their titles and where each now is, a line per place, `departed_note`), so that the
    calendar of its speaker, which holds the workshop as it is now, says she is no
    longer in it. A workshop moved to another slot or room since (`moved_from`: where it
    was, `moved_workshops`) says so first, then the talks that came to it from another
    workshop since (`arrived`: by proposal, that workshop, `arrived_talks`), a line per
    place they came from, in the timeline's order of their first."""
    colon = _colon(lang)
    theme = _quoted(theme_label(instance, workshop.theme, lang), lang)
    lines = [moved_note(instance, moved_from, lang)] if moved_from is not None else []
    came = arrived or {}
    from_places = _by_place(
        (p, place_of(instance, came[p])) for p in workshop.proposals if p in came
    )
    lines += [
        arrived_note(instance, [_title(instance, p, recorded) for p in talks], came[talks[0]], lang)
        for talks, _ in from_places
    ]
    if lines:
        lines.append("")
    lines += [
        f"{label('workshop', lang)} {theme} — {label('language', lang)}{colon}"
        f"{language_badge(workshop.language)}",
        location(instance, workshop.room),
        "",
        clock_line(instance, workshop.start, lang),
    ]
    for item in workshop.items:
        if item.end == item.start and item.kind not in SPOKEN:
            continue  # (an opening, closing or participatory time of no minutes)
        head = f"{instance.local(item.start):%H:%M}  {kind_label(item.kind, lang)}"
        if item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
            lines.append(f"{head}{colon}{_title(instance, item.proposal, recorded)}")
            speakers = _speakers(instance, item.proposal, recorded)
            if speakers:
                lines.append(f"       {speakers}")
        elif item.kind == ItemKind.PARTICIPATORY:
            proposal = instance.proposal_by_id.get(item.proposal)
            fmt = proposal.participatory_format if proposal else None
            lines.append(f"{head}{colon}{fmt}" if fmt else head)
        else:
            lines.append(head)
    last = workshop.items[-1].end if workshop.items else workshop.end
    if last < workshop.end:
        # the minutes left after the closing ("15:10 Clôture, 15:30 Fin" read as a
        # 20-minute closing)
        lines.append(f"{instance.local(last):%H:%M}  {label('free', lang).capitalize()}")
    lines.append(f"{instance.local(workshop.end):%H:%M}  {label('end', lang)}")
    if departed:
        lines.append("")
        lines += [departed_note(titles, where, lang) for titles, where in _by_place(departed)]
    return "\n".join(lines)


def workshop_event(
    instance: Instance,
    workshop: Workshop,
    lang: str,
    recorded: Recorded = NOTHING_RECORDED,
    uid: str | None = None,
    departed: Sequence[tuple[str, Place | None]] = (),
    moved_from: Workshop | None = None,
    arrived: Mapping[str, Workshop] | None = None,
    items: bool = False,
) -> CalendarEvent:
    """`uid`: the workshop's (`workshop_identities`), by default its slot's; `departed`:
    the titles of the talks published in it that are no longer there, and where each
    now is (None: nowhere); `moved_from`:
    where it was before it moved (`moved_workshops`); `arrived`: where its talks that
    came from another workshop since were (`arrived_talks`); `items`: its talks have
    events of their own (`workshop_summary`)."""
    summary, summary_lang = workshop_summary(instance, workshop, lang, recorded, items)
    description = workshop_description(
        instance, workshop, lang, recorded, departed, moved_from, arrived
    )
    return CalendarEvent(
        uid=uid or workshop_uid(instance, workshop.slot),
        start=instance.local(workshop.start),
        end=instance.local(workshop.end),
        summary=summary,
        summary_lang=summary_lang,
        description=description,
        description_lang=lang,
        location=location(instance, workshop.room),
        categories=(theme_label(instance, workshop.theme, lang), label("workshop", lang)),
        categories_lang=lang,
        proposals=tuple(workshop.proposals),
        talks=tuple(
            EventTalk(p, _title(instance, p, recorded), _speaker_ids(instance, p, recorded))
            for p in workshop.proposals
        ),
        lead=lead_talk(workshop),
        moved_line=moved_note(instance, moved_from, lang) if moved_from is not None else None,
        moved_talks=tuple(moved_from.proposals) if moved_from is not None else (),
    )


def talk_events(
    instance: Instance,
    workshop: Workshop,
    lang: str,
    recorded: Recorded = NOTHING_RECORDED,
    parent: str | None = None,
) -> list[CalendarEvent]:
    """One event per keynote (with its participatory time) and per initiative; `parent`:
    the workshop's UID, by default its slot's."""
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
        speakers = _speakers(instance, item.proposal, recorded)
        if speakers:
            lines.append(speakers)
        lines.append(location(instance, workshop.room))
        lines.append("")
        lines.append(clock_line(instance, item.start, lang))
        lines.append(
            f"{instance.local(item.start):%H:%M}–{instance.local(item.end):%H:%M}  "
            f"{kind_label(item.kind, lang)}"
        )
        if after is not None and after.end > after.start:
            fmt = proposal.participatory_format if proposal else None
            lines.append(
                f"{instance.local(after.start):%H:%M}–{instance.local(after.end):%H:%M}  "
                f"{kind_label(ItemKind.PARTICIPATORY, lang)}" + (f"{colon}{fmt}" if fmt else "")
            )
        if proposal is not None and proposal.abstract:
            lines += ["", proposal.abstract]
        language = _talk_language(instance, item.proposal, workshop, lang)
        events.append(
            CalendarEvent(
                uid=talk_uid(instance, item.proposal),
                start=instance.local(item.start),
                end=instance.local(end),
                summary=tagged(language, _title(instance, item.proposal, recorded)),
                summary_lang=language,
                description="\n".join(lines),
                description_lang=None,
                location=location(instance, workshop.room),
                categories=(
                    theme_label(instance, workshop.theme, lang),
                    kind_label(item.kind, lang),
                ),
                categories_lang=lang,
                related_to=parent or workshop_uid(instance, workshop.slot),
                talk=True,
            )
        )
    return events


def programme_events(
    instance: Instance,
    solution: Solution,
    options: IcsOptions,
    published: bool = False,
    uids: dict[str, str] | None = None,
    departed: dict[str, tuple[tuple[str, str], ...]] | None = None,
    moved: dict[str, Workshop] | None = None,
    arrived: dict[str, dict[str, Workshop]] | None = None,
) -> list[CalendarEvent]:
    """Workshops in time order, each followed by its talks when `items` is set;
    `published`: a published version, its talks by the titles and speakers it recorded;
    `uids`: the workshops' by slot (`workshop_identities`), by default the slots';
    `departed`: by UID, the talks no longer in it (`departed_talks`), each said where
    this version places it;
    `moved`: by UID, where a workshop moved since was (`moved_workshops`); `arrived`: by
    UID, where its talks that came from another workshop since were
    (`arrived_talks`)."""
    kept = recorded_texts(instance, solution, published)
    uids = uids or {}
    placed = solution.workshop_of()
    events: list[CalendarEvent] = []
    for workshop in ordered_workshops(instance, solution):
        uid = uids.get(workshop.slot)
        gone = [
            (title, place_of(instance, placed[p]) if p in placed else None)
            for p, title in (departed or {}).get(uid or "", ())
        ]
        was = (moved or {}).get(uid or "")
        came = (arrived or {}).get(uid or "")
        events.append(
            workshop_event(
                instance, workshop, options.lang, kept, uid, gone, was, came, options.items
            )
        )
        if options.items:
            events.extend(talk_events(instance, workshop, options.lang, kept, uid))
    return events


def sequences(
    events: Iterable[CalendarEvent],
    published: Sequence[Iterable[CalendarEvent]] = (),
    revisions: Sequence[int] = (),
) -> dict[str, int]:
    """SEQUENCE per UID: across the published versions, oldest first, then `events`, one
    more at each version whose content of it differs from the version before, a
    cancellation (there, then gone) and a restoration (gone, then back) counting as
    changes, and at least that version's revision (`Solution.revision`, `revisions`: one
    per version, the new one last; none, all 0).

    A client ignores an update whose SEQUENCE is not above the one it holds, so the
    count never falls along the chain and rises at each change: an event changed in
    two re-publications in a row, or cancelled and then restored, is updated each time.
    The revision keeps it so when the earlier publications are not all given: a
    workshop cancelled in one and restored in the next came back at 0, under the 1 of
    its cancellation, and stayed cancelled in every client.
    """
    versions = [*published, events]
    floors = list(revisions) or [0] * len(versions)
    counts: dict[str, int] = {}
    last: dict[str, tuple | None] = {}  # each UID's content in the previous version
    for index, (version, floor) in enumerate(zip(versions, floors, strict=True)):
        now = {e.uid: e.content() for e in version}
        for uid in last.keys() | now.keys():
            if uid in last and last[uid] != now.get(uid):
                counts[uid] = max(counts[uid] + 1, floor)
            elif uid not in last and index:
                # new since the version before, or back after a cancellation in a
                # publication not given
                counts[uid] = floor
            counts.setdefault(uid, 0)
            last[uid] = now.get(uid)
    return counts


CANCELLED_NOTES = {
    "fr": {
        "workshop": "Annulé\u00a0: cet atelier n'aura pas lieu. "
        "Pour mémoire, voici ce qui avait été publié\u00a0:",
        "talk": "Annulée\u00a0: cette intervention n'aura pas lieu. "
        "Pour mémoire, voici ce qui avait été publié\u00a0:",
    },
    "en": {
        "workshop": "Cancelled: this workshop will not take place. "
        "For reference, this is what was published:",
        "talk": "Cancelled: this talk will not take place. "
        "For reference, this is what was published:",
    },
}
"""A cancelled event's first DESCRIPTION line, before the text last published (it read
« Annulé : n'a plus lieu comme publié ci-dessous. »)."""

MOVED_NOTES = {
    "fr": {
        "moved to": "Déplacé\u00a0: cet atelier a désormais lieu le {where}\u00a0; ses "
        "interventions toujours au programme figurent dans le programme mis à jour. Pour "
        "mémoire, voici ce qui avait été publié\u00a0:",
        "split": "Déplacé\u00a0: les interventions de cet atelier sont désormais réparties "
        "entre plusieurs ateliers. Pour mémoire, voici ce qui avait été publié\u00a0:",
        "replaced": "Annulé\u00a0: cet atelier n'a plus lieu tel que publié (son thème a "
        "changé)\u00a0; ses interventions toujours au programme figurent dans le programme "
        "mis à jour. Pour mémoire, voici ce qui avait été publié\u00a0:",
        "lead_gone": "Annulé\u00a0: cet atelier n'a plus lieu tel que publié, car {title}, "
        "qui lui donne son titre, n'est plus au programme. Pour mémoire, voici ce qui avait "
        "été publié\u00a0:",
    },
    "en": {
        "moved to": "Moved: this workshop now takes place on {where}; its talks still "
        "scheduled are in the updated programme. For reference, this is what was published:",
        "split": "Moved: this workshop's talks are now spread over several workshops. For "
        "reference, this is what was published:",
        "replaced": "Cancelled: this workshop no longer takes place as published (its theme "
        "changed); its talks still scheduled are in the updated programme. For reference, "
        "this is what was published:",
        "lead_gone": "Cancelled: this workshop no longer takes place as published, as "
        "{title}, the talk it is named after, is no longer in the programme. For reference, "
        "this is what was published:",
    },
}
"""The first DESCRIPTION line of a workshop's event cancelled while some of its talks
are still scheduled, a new event holding them. Moved to another slot or room (its
SUMMARY then starts "DÉPLACÉ —", "MOVED —"): "moved to" where its talks still scheduled
all are, when they are in one place (`place_label`: it gave the start alone), else
"split", a line under it per place its talks are in, naming them (`TALK_PLACES`; « a désormais
lieu à un autre horaire ou dans une autre salle » left the reader to find each talk in
the new programme). "replaced" at the same place and time by a workshop of another
theme. ("ANNULÉ — … will not take place" was said of both, and attendees of a workshop
held next door stayed away.) Its talks moved but not the one its SUMMARY names
(withdrawn, or no longer scheduled), "lead_gone", under "ANNULÉ —", a line per place
too: « DÉPLACÉ — Atelier — <a withdrawn keynote> » read as that keynote moved; its note
names that talk (`{title}`), which no line under it repeats."""

TALK_PLACES = {
    "fr": {
        "moved": ("{title} a désormais lieu le {where}.", "{title} ont désormais lieu le {where}."),
        "stayed": ("{title} a toujours lieu le {where}.", "{title} ont toujours lieu le {where}."),
    },
    "en": {
        "moved": ("{title} now takes place on {where}.", "{title} now take place on {where}."),
        "stayed": ("{title} still takes place on {where}.", "{title} still take place on {where}."),
    },
}
"""A line, under the note of a workshop whose talks went to several places ("split") or
that lost the talk it was named after ("lead_gone", `MOVED_NOTES`), or of a speaker's
workshop that goes on without her (`LEFT_NOTES`), per place its talks still scheduled
are in, naming them: where that workshop now is (`place_label`), "stayed" for one still
at the cancelled event's time and room (in a workshop of another theme)."""

FOR_REFERENCE = {
    "fr": "Pour mémoire, voici ce qui avait été publié\u00a0:",
    "en": "For reference, this is what was published:",
}
"""The end of every cancellation's note, before the text last published."""

UNSCHEDULED_NOTES = {
    "fr": "{title} ne figure plus au programme.",
    "en": "{title} is no longer in the programme.",
}
"""A line, under a moved or replaced workshop's note (`MOVED_NOTES`), per talk of it that
is no longer scheduled anywhere (withdrawn, or left out by the re-solve): the note said
its talks were "in the updated programme", and those were not. (« N'est plus au
programme : « Initiative 181 : … » », two colons in a row.)"""

LEFT_NOTES = {
    "fr": {
        "workshop": "Annulé dans ce calendrier\u00a0: cet atelier a toujours lieu, mais sans "
        "vous. Pour mémoire, voici ce qui avait été publié\u00a0:",
        "talk": "Annulée dans ce calendrier\u00a0: cette intervention a toujours lieu, mais "
        "sans vous. Pour mémoire, voici ce qui avait été publié\u00a0:",
    },
    "en": {
        "workshop": "Cancelled in this calendar: this workshop still takes place, but "
        "without you. For reference, this is what was published:",
        "talk": "Cancelled in this calendar: this talk still takes place, but without "
        "you. For reference, this is what was published:",
    },
}
"""The first DESCRIPTION line of an event cancelled in a speaker's calendar that still
takes place without her (`CANCELLED_NOTES` said it would not take place at all)."""

DROPPED_NOTES = {
    "fr": {
        "unscheduled": (
            "votre intervention {titles} n'est plus programmée",
            "vos interventions {titles} ne sont plus programmées",
        ),
        "withdrawn": (
            "votre intervention {titles} a été retirée du programme",
            "vos interventions {titles} ont été retirées du programme",
        ),
        "head": "Annulé dans ce calendrier\u00a0: {what}.",
    },
    "en": {
        "unscheduled": (
            "your talk {titles} is no longer scheduled",
            "your talks {titles} are no longer scheduled",
        ),
        "withdrawn": (
            "your talk {titles} was withdrawn from the programme",
            "your talks {titles} were withdrawn from the programme",
        ),
        "head": "Cancelled in this calendar: {what}.",
    },
}
"""The first DESCRIPTION line of a workshop cancelled in a speaker's calendar when none of
her talks in it is scheduled any more, while the workshop, or others of its talks, go
on: « Annulé dans ce calendrier : votre intervention « … » n'est plus programmée. »
(« … a été retirée du programme. », her talks no longer in the instance), as `diff`
says it. It read « Déplacé : cet atelier a lieu désormais à un autre horaire … » under
another speaker's keynote, and she looked for her talk in the new programme."""


def _listed(titles: Sequence[str], lang: str) -> str:
    """'“A”', '“A” and “B”', '“A”, “B” and “C”' (« A » et « B »)."""
    quoted = [_quoted(" ".join(t.split()), lang) for t in titles]
    if len(quoted) < 2:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} {'et' if lang == 'fr' else 'and'} {quoted[-1]}"


def dropped_note(titles: Sequence[str], withdrawn: bool, lang: str) -> str:
    """A speaker's cancelled workshop whose talks of hers (`titles`) are no longer
    scheduled, or all `withdrawn` (`DROPPED_NOTES`)."""
    notes = DROPPED_NOTES[lang]
    one, many = notes["withdrawn" if withdrawn else "unscheduled"]
    what = (one if len(titles) == 1 else many).format(titles=_listed(titles, lang))
    return f"{notes['head'].format(what=what)} {FOR_REFERENCE[lang]}"


def _talk_place(titles: Sequence[str], where: Place, here: tuple[datetime, str], lang: str) -> str:
    """« « … » a désormais lieu le … » (« « A » et « B » ont … », `TALK_PLACES`): where
    talks of an event at `here` (its start and LOCATION) now are, "stayed" when that is
    still there."""
    stayed = (where.start, where.location) == here
    templates = TALK_PLACES[lang]["stayed" if stayed else "moved"]
    return _one_or_many(templates, titles, lang, where=place_label(where, lang))


def _with_lines(note: str, lines: Sequence[str], lang: str) -> str:
    """`note` with `lines` between its account and its closing `FOR_REFERENCE`."""
    if not lines:
        return note
    head = note.removesuffix(f" {FOR_REFERENCE[lang]}")
    return "\n".join([head, *lines, FOR_REFERENCE[lang]])


def _cancellation(
    event: CalendarEvent,
    lang: str,
    elsewhere: Collection[str],
    scheduled: Mapping[str, Place] | None,
    speaker: str | None,
    speaking: Collection[str],
    withdrawn: Collection[str],
) -> tuple[str, str]:
    """A cancelled event's SUMMARY label and first DESCRIPTION line (`cancelled_events`)."""
    scheduled = scheduled or {}
    kind = "talk" if event.talk else "workshop"
    # (« une intervention », feminine, as its note says « Annulée »)
    stamp = "cancelled_talk" if event.talk else "cancelled"
    held = [scheduled[p] for p in event.proposals if p in scheduled]
    mine = [t for t in event.talks if speaker in t.speakers] if speaker else []
    if kind == "workshop" and mine and (event.uid in elsewhere or held):
        # in her calendar, by her own talks in it
        if not any(t.proposal in scheduled for t in mine):
            gave_up = all(t.proposal in withdrawn for t in mine)
            return stamp, dropped_note([t.title for t in mine], gave_up, lang)
        held = [
            scheduled[t.proposal]
            for t in mine
            if t.proposal in speaking and t.proposal in scheduled
        ]
        if not held:  # (taken off them, they go on)
            return stamp, LEFT_NOTES[lang][kind]
    if event.uid in elsewhere:
        # her talks of it that go on in another workshop: where (« mais sans vous »
        # alone left her to look for her talk in the new programme)
        here = (event.start, event.location)
        going = _by_place(
            (t.title, scheduled[t.proposal])
            for t in mine
            if t.proposal in speaking and t.proposal in scheduled
        )
        lines = [_talk_place(titles, where, here, lang) for titles, where in going]
        return stamp, _with_lines(LEFT_NOTES[lang][kind], lines, lang)
    if kind == "workshop" and held:
        here = (event.start, event.location)
        moved = any((where.start, where.location) != here for where in held)
        places = {scheduled[p] for p in event.proposals if p in scheduled}
        reason = "replaced"
        if moved:
            reason = "moved to" if len(places) == 1 else "split"
            if event.lead is not None and event.lead not in scheduled:
                reason = "lead_gone"
        named = event.lead if reason == "lead_gone" else None
        # in the timeline's order, a line per place its talks are in now when the note
        # does not say it, naming them, and per talk scheduled nowhere
        said = [
            (t.title, scheduled.get(t.proposal))
            for t in event.talks
            if (t.proposal in scheduled and reason in ("split", "lead_gone"))
            or (t.proposal not in scheduled and t.proposal != named)
        ]
        lines = [
            _talk_place(titles, where, here, lang)
            if where is not None
            else UNSCHEDULED_NOTES[lang].format(title=_listed(titles, lang))
            for titles, where in _by_place(said)
        ]
        note = MOVED_NOTES[lang][reason]
        if reason == "moved to":
            (where,) = places
            note = note.format(where=place_label(where, lang))
        if named is not None:
            lead = next((t.title for t in event.talks if t.proposal == named), named)
            note = note.format(title=_quoted(" ".join(lead.split()), lang))
        note = _with_lines(note, lines, lang)
        return ("moved" if reason in ("moved to", "split") else stamp), note
    return stamp, CANCELLED_NOTES[lang][kind]


def cancelled_events(
    events: Iterable[CalendarEvent],
    published: Sequence[Iterable[CalendarEvent]] = (),
    lang: str = "fr",
    elsewhere: Collection[str] = (),
    scheduled: Mapping[str, Place] | None = None,
    speaker: str | None = None,
    speaking: Collection[str] = (),
    withdrawn: Collection[str] = (),
) -> list[CalendarEvent]:
    """Published events whose UID is gone, as last published and marked cancelled, so an
    importing client removes them (also those cancelled in an earlier re-publication: a
    client that skipped it still holds them), in the order they were first published.
    Their SUMMARY starts with "ANNULÉ —" ("CANCELLED —") and their DESCRIPTION with a
    line saying so (`CANCELLED_NOTES`): a client that imports a file and keeps a
    cancelled event (STATUS is all that said it) showed it as any other. Both are in
    `lang`, as every label of the calendars (a French export said "CANCELLED — <title>"
    of an English talk); a SUMMARY whose title is in the other language then mixes
    them, and has no LANGUAGE parameter (it had the title's, which the word added was
    not in). `elsewhere`: the UIDs, in a speaker's calendar, of events that still take
    place without her, whose first line says so (`LEFT_NOTES`); `scheduled`: where the
    new schedule places each proposal (its workshop's `Place`), a workshop holding one
    of which is said moved or replaced (`MOVED_NOTES`), with a line per talk of it
    scheduled nowhere (`UNSCHEDULED_NOTES`) and, its talks gone to several places, per
    place the talks there (`TALK_PLACES`), and not moved when the talk its SUMMARY names is
    one of those ("lead_gone").

    `speaker`: the speaker whose calendar `events` are (her copies, `speaker_copy`), the
    proposals she speaks in now (`speaking`) and those no longer in the instance
    (`withdrawn`): a workshop of hers is judged by her own talks in it. None of them
    scheduled while the workshop, or others of its talks, go on: cancelled for her,
    saying her talk is no longer scheduled or was withdrawn (`DROPPED_NOTES`; it was
    said moved, or going on without her, when another speaker's talk was); scheduled
    without her (taken off it): going on without her (`LEFT_NOTES`); else moved or
    replaced where her talks went."""
    current = {e.uid for e in events}
    gone: dict[str, CalendarEvent] = {}
    for version in published:
        for event in version:
            if event.uid in current:
                continue
            stamp, note = _cancellation(
                event, lang, elsewhere, scheduled, speaker, speaking, withdrawn
            )
            gone[event.uid] = replace(
                event,
                cancelled=True,
                summary=f"{label(stamp, lang)} — {event.summary}",
                summary_lang=lang if event.summary_lang == lang else None,
                description=f"{note}\n\n{event.description}",
            )
    return list(gone.values())


def _vtimezone(instance: Instance, events: list[CalendarEvent]) -> icalendar.Timezone:
    """The event's timezone, with transitions from the first event's year to the last's."""
    years = [e.start.year for e in events] + [e.end.year for e in events]
    if not years:
        years = [instance.local(s.start).year for s in instance.slots]
    vtimezone = icalendar.Timezone.from_tzid(
        instance.event.timezone,
        first_date=date(min(years), 1, 1),
        last_date=date(max(years) + 1, 1, 1),
    )
    zone = ZoneInfo(instance.event.timezone)
    for observance in vtimezone.subcomponents:
        onset = _onset(zone, observance)
        if onset is not None and onset != observance["DTSTART"].dt:
            observance.pop("DTSTART")
            observance.add("DTSTART", onset)
    return vtimezone


def _onset(zone: ZoneInfo, observance: icalendar.cal.Component) -> datetime | None:
    """An observance's onset as RFC 5545 (3.6.5) writes it: the local time of the change
    at the offset before it (TZOFFSETFROM). The library writes the spring change at the
    offset after it (Europe/Paris: 03:00, not 02:00), which places it an hour late for a
    client that reads the VTIMEZONE. None when no change of `zone` is found there (the
    first observance, the start of the range)."""
    local = observance["DTSTART"].dt
    before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
    for offset in (after, before):
        instant = (local - offset).replace(tzinfo=UTC)
        just_before = instant - timedelta(seconds=1)
        if (
            instant.astimezone(zone).utcoffset() == after
            and just_before.astimezone(zone).utcoffset() == before
        ):
            return (instant + before).replace(tzinfo=None)
    return None


_CONTROLS = {c: None for c in (*range(0x09), *range(0x0E, 0x20), 0x7F)} | {
    c: "\n"
    for c in (0x0B, 0x0C, 0x1C, 0x1D, 0x1E)  # (line breaks to Python)
}
"""RFC 5545 (3.3.11) allows no control character in a TEXT value but HTAB: those that
break lines (a vertical tab, a line break pasted from Word) as a newline, the others
dropped; icalendar wrote them raw."""


def escaped(text: str) -> str:
    """A TEXT value as RFC 5545 (3.3.11) writes it: backslash, semicolon, comma and
    newline escaped, a CR or CRLF a newline, no control character but HTAB."""
    text = text.translate(_CONTROLS).replace("\r\n", "\n").replace("\r", "\n")
    for raw, escape in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(raw, escape)
    return text


class Text(icalendar.vText):
    """A TEXT value written by `escaped`: icalendar takes the two characters "\\N" in a
    value for a line break (a title "C:\\Nantes" read "C:" and "antes" on two lines)."""

    def to_ical(self) -> bytes:
        return escaped(self).encode(self.encoding)


def _categories(categories: Sequence[str], lang: str) -> icalendar.vCategory:
    value = icalendar.vCategory([], params={"LANGUAGE": lang})
    value.cats = [Text(c) for c in categories]
    return value


def organizer_address(instance: Instance) -> icalendar.vCalAddress | None:
    """The instance's `event.organizer` as ORGANIZER's value, `CN=<name>:mailto:<email>`,
    or None when the instance names none (no address is made up)."""
    organizer = instance.event.organizer
    if organizer is None:
        return None
    address = icalendar.vCalAddress(f"mailto:{organizer.email}")
    if organizer.name:
        address.params["CN"] = organizer.name  # (quoted by the library where it must be)
    return address


def _vevent(
    event: CalendarEvent,
    stamp: datetime,
    sequence: int,
    organizer: icalendar.vCalAddress | None = None,
) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)
    if event.end > event.start:
        # (RFC 5545 3.8.2.2: DTEND MUST be later than DTSTART; without it, an event of
        # a date-time ends when it starts, as a talk of no minutes edited by hand does)
        vevent.add("dtend", event.end)
    vevent.add("sequence", sequence)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    if organizer is not None:
        # (RFC 5546 3.2.1: a PUBLISH's events carry ORGANIZER; its cancellations too)
        vevent.add("organizer", organizer)
    summary_params = {"LANGUAGE": event.summary_lang} if event.summary_lang else {}
    vevent.add("summary", Text(event.summary), parameters=summary_params)
    description_params = {"LANGUAGE": event.description_lang} if event.description_lang else {}
    vevent.add("description", Text(event.description), parameters=description_params)
    vevent.add("location", Text(event.location))
    vevent.add("categories", _categories(event.categories, event.categories_lang))
    if event.related_to:
        vevent.add("related-to", event.related_to, parameters={"RELTYPE": "PARENT"})
    return vevent


def calendar_bytes(
    instance: Instance,
    name: str,
    events: list[CalendarEvent],
    stamp: datetime,
    sequence: dict[str, int],
    refresh: timedelta = timedelta(days=1),
) -> bytes:
    """A VCALENDAR with its VTIMEZONE first, as the library folds and terminates lines;
    subscribers asked to fetch it again every `refresh`."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # (RFC 5546: a posting whose events a client adds, updates by SEQUENCE, or removes
    # by STATUS:CANCELLED; without METHOD the file is only a snapshot of events)
    calendar.add("method", "PUBLISH")
    # TEXT values, escaped by the library (icalendar types neither property, and its own
    # `calendar_name` writes commas and semicolons bare: vobject read "Commons AI, 2026;
    # …" as "Commons AI"); VALUE=TEXT, which is their default, makes icalendar read them
    # back as text too
    text = {"VALUE": "TEXT"}
    calendar.add("name", Text(name), parameters=text)  # RFC 7986
    calendar.add("x-wr-calname", Text(name), parameters=text)  # Apple, Google, Outlook
    calendar.add("x-wr-timezone", instance.event.timezone)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(refresh).to_ical().decode())
    calendar.add_component(_vtimezone(instance, events))
    organizer = organizer_address(instance)
    for event in events:
        calendar.add_component(_vevent(event, stamp, sequence.get(event.uid, 0), organizer))
    return calendar.to_ical()


def published_versions(reference: Solution | Sequence[Solution] | None) -> list[Solution]:
    """The published solutions, oldest first, from one reference or several."""
    if reference is None:
        return []
    return [reference] if isinstance(reference, Solution) else list(reference)


def _held(
    instance: Instance,
    solution: Solution,
    options: IcsOptions,
    published: bool = False,
    uids: dict[str, str] | None = None,
) -> dict[tuple[str, str], list[str]]:
    """The programme's UIDs each speaker's, room's and theme's calendar holds for
    `solution` (a speaker's calendar holds her own copies of them, `speaker_copy`), in
    the programme's order: a speaker's workshops (and talks, with `items`), a room's and a
    theme's workshops. A proposal no longer in the instance has the speakers the
    solution recorded (`Solution.speakers`; none in an older file), and so does every
    proposal of a `published` one: a speaker taken off a talk since was not in the
    calendars it published, and hers was not written again."""
    held: dict[tuple[str, str], list[str]] = defaultdict(list)
    for workshop in ordered_workshops(instance, solution):
        uid = (uids or {}).get(workshop.slot) or workshop_uid(instance, workshop.slot)
        held["rooms", workshop.room].append(uid)
        held["themes", workshop.theme].append(uid)
        # each speaker's talks, workshop by workshop (one pass: at 2000 proposals a scan
        # of every workshop per speaker made the calendars take 19.8 s instead of 7.0)
        talks: dict[str, list[str]] = defaultdict(list)
        for proposal_id in workshop.proposals:
            proposal = instance.proposal_by_id.get(proposal_id)
            recorded = solution.speakers.get(proposal_id)
            if published and recorded is not None:
                speakers = recorded
            else:
                speakers = proposal.speakers if proposal else recorded or []
            for speaker_id in dict.fromkeys(speakers):
                talks[speaker_id].append(proposal_id)
        for speaker_id, proposals in talks.items():
            held["speakers", speaker_id].append(uid)
            if options.items:
                held["speakers", speaker_id] += [talk_uid(instance, p) for p in proposals]
    return held


def programme_account(
    events: int, changes: tuple[int, int, int] | None, last: bool, lang: str = "en"
) -> str:
    """What programme.ics holds, in `lang`: '12 events, 3 changed, 1 added and 2
    cancelled since the reference' ('12 événements, 3 modifiés, 1 ajouté et 2 annulés
    depuis la référence'); `changes` (changed, added, cancelled) against the last
    published version, if any (`last`: one of several)."""
    if lang == "fr":
        said = plural_fr(events, "événement")
        if changes is None:
            return said
        changed, added, cancelled = changes
        new = f", {plural_fr(added, 'ajouté')}" if added else ""
        since = "la dernière référence" if last else "la référence"
        return (
            f"{said}, {plural_fr(changed, 'modifié')}{new} et "
            f"{plural_fr(cancelled, 'annulé')} depuis {since}"
        )
    said = plural(events, "event")
    if changes is None:
        return said
    changed, added, cancelled = changes
    new = f", {added} added" if added else ""
    since = "the last reference" if last else "the reference"
    return f"{said}, {changed} changed{new} and {cancelled} cancelled since {since}"


CALENDAR_UNITS = {
    "en": {"event": "event", "workshop": "workshop"},
    "fr": {"event": "événement", "workshop": "atelier"},
}


def calendar_account(unit: str, held: int, left: int, dropped: int, lang: str = "en") -> str:
    """What a speaker's (`unit` "event") or a room's or theme's ("workshop") calendar
    holds, in `lang`: '2 events, 1 left it, as they are now, 1 cancelled' ('2
    événements, 1 qui l'a quitté, tel qu'il est maintenant, 1 annulé')."""
    if lang == "fr":
        said = plural_fr(held, CALENDAR_UNITS["fr"][unit])
        if left:
            one = left == 1
            said += (
                f", {left} qui l'a quitté, tel qu'il est maintenant"
                if one
                else f", {left} qui l'ont quitté, tels qu'ils sont maintenant"
            )
        return said + (f", {plural_fr(dropped, 'annulé')}" if dropped else "")
    said = plural(held, unit)
    if left:
        said += f", {left} left it, as they are now"
    return said + (f", {dropped} cancelled" if dropped else "")


def _speaker_events(
    instance: Instance,
    speaker_id: str,
    uids: Iterable[str],
    events: dict[str, CalendarEvent],
) -> list[CalendarEvent]:
    """A speaker's copies (`speaker_copy`) of the programme's `events` she holds (`uids`,
    `_held`), in that order, each once."""
    return [
        speaker_copy(instance, speaker_id, events[u]) for u in dict.fromkeys(uids) if u in events
    ]


def ics_outputs(
    instance: Instance,
    solution: Solution,
    directory: Path,
    options: IcsOptions = IcsOptions(),
    reference: Solution | Sequence[Solution] | None = None,
) -> list[Output]:
    """programme.ics, then speakers/<id>.ics, rooms/<id>.ics and themes/<id>.ics,
    rendered for `write_outputs` (`reference`: the published solution, or every published
    one, oldest first)."""
    directory = Path(directory)
    lang = options.lang
    stamp = options.stamp or default_stamp(instance)
    versions = published_versions(reference)
    # each version's workshop UIDs: a slot's workshop replaced by another is a new event
    identities = workshop_identities(instance, [*versions, solution])
    departed = departed_talks(instance, [*versions, solution], identities)
    moved = moved_workshops([*versions, solution], identities)
    arrived = arrived_talks([*versions, solution], identities, moved)
    events = programme_events(
        instance,
        solution,
        options,
        uids=identities[-1],
        departed=departed[-1],
        moved=moved[-1],
        arrived=arrived[-1],
    )
    published = [
        programme_events(
            instance,
            version,
            options,
            published=True,
            uids=uids,
            departed=gone,
            moved=was,
            arrived=came,
        )
        for version, uids, gone, was, came in zip(
            versions, identities, departed, moved, arrived, strict=False
        )
    ]
    revisions: list[int] = []
    for version in [*versions, solution]:
        # each version at least one revision after the one before it: a solution solved
        # afresh (revision 0) and published after re-solves was under them, and its
        # changes at SEQUENCEs clients held
        revisions.append(max(version.revision, revisions[-1] + 1 if revisions else 0))
    placed = {p: place_of(instance, w) for p, w in solution.workshop_of().items()}
    gone = cancelled_events(events, published, lang, scheduled=placed)
    # each published version's cancellations as it worded them, where its talks then
    # were: a cancelled event says where its talks are now, and its SEQUENCE rises when
    # that changes (counted on the events alone, « … a toujours lieu le mardi … » stayed
    # in every client once the talk had moved on to Thursday)
    places = [{p: place_of(instance, w) for p, w in v.workshop_of().items()} for v in versions]
    gone_then = [
        cancelled_events(version, published[:index], lang, scheduled=places[index])
        for index, version in enumerate(published)
    ]
    sequence = sequences(
        [*events, *gone],
        [[*version, *cancelled] for version, cancelled in zip(published, gone_then, strict=True)],
        revisions,
    )
    title = instance.event.title
    written: list[Output] = []

    def emit(
        path: Path,
        name: str,
        chosen: list[CalendarEvent],
        what: str,
        left: int = 0,
        counts: dict[str, int] = sequence,
    ) -> None:
        data = calendar_bytes(instance, name, chosen, stamp, counts, options.refresh)
        written.append(Output(path, data, what, left))

    changes = None
    if published:
        before = {e.uid: e.content() for e in published[-1]}
        changed = sum(1 for e in events if e.uid in before and before[e.uid] != e.content())
        # (new, or restored after an earlier re-publication cancelled them)
        added = sum(1 for e in events if e.uid not in before)
        cancelled = sum(1 for e in gone if e.uid in before)
        changes = (changed, added, cancelled)
    emit(
        directory / "programme.ics",
        title,
        events + gone,
        programme_account(len(events), changes, len(published) > 1, options.messages),
    )

    # a calendar also cancels the events it held in a published version that are gone
    # from the programme (a speaker's workshop cancelled was only cancelled in
    # programme.ics: her own calendar kept it), and is written when only those are left
    by_uid = {e.uid: e for e in events} | {e.uid: e for e in gone}
    held = _held(instance, solution, options, uids=identities[-1])
    held_then = [
        _held(instance, version, options, published=True, uids=ids)
        for version, ids in zip(versions, identities, strict=False)
    ]
    before: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)
    for then in held_then:
        for key, uids in then.items():
            before[key].update(dict.fromkeys(uids))
    cancelled_uids = {e.uid for e in gone}
    # each speaker's proposals now, and the published ones no longer in the instance, by
    # which her cancelled workshops are worded (`cancelled_events`)
    speaking: dict[str, set[str]] = defaultdict(set)
    for proposal in instance.proposals:
        for speaker_id in proposal.speakers:
            speaking[speaker_id].add(proposal.id)
    withdrawn = {
        t.proposal
        for version in published
        for e in version
        for t in e.talks
        if t.proposal not in instance.proposal_by_id
    }
    current = {e.uid: e for e in events}
    published_by_uid = [{e.uid: e for e in version} for version in published]
    calendars = (
        [("speakers", s.id, s.name, "event") for s in instance.speakers]
        + [("rooms", r.id, room_name(instance, r.id), "workshop") for r in instance.rooms]
        + [("themes", t.id, t.label.get(lang), "workshop") for t in instance.themes]
    )
    # a speaker (room, theme) gone from the instance since a publication: her calendar,
    # which a client may still follow, cancels what it held (named as the last version
    # recorded her, else by her id, all that is left of her); before, it was not
    # written and kept her talks
    known = {(folder, key) for folder, key, _, _ in calendars}
    units = {"speakers": "event", "rooms": "workshop", "themes": "workshop"}
    names = {s: n for version in versions for s, n in version.speaker_names.items()}
    calendars += [
        (folder, key, names.get(key, key) if folder == "speakers" else key, units[folder])
        for folder, key in before
        if (folder, key) not in known
    ]
    for folder, key, name, unit in calendars:
        path = directory / folder / f"{key}.ics"
        if folder == "speakers":
            # her own copies of the programme's events, in each version: what she held
            # and no longer holds is cancelled there, whether it still takes place
            # without her or not, and her SEQUENCEs are counted on her own copies
            mine = _speaker_events(instance, key, held.get((folder, key), []), current)
            then = [
                _speaker_events(instance, key, h.get((folder, key), []), by)
                for h, by in zip(held_then, published_by_uid, strict=True)
            ]
            elsewhere = {
                speaker_event_uid(instance, key, u)
                for u in before.get((folder, key), {})
                if u in current
            }
            mine_gone = cancelled_events(
                mine,
                then,
                lang,
                elsewhere,
                scheduled=placed,
                speaker=key,
                speaking=speaking.get(key, ()),
                withdrawn=withdrawn,
            )
            # (and as each published version worded them, as the programme's)
            then_gone = [
                cancelled_events(
                    version,
                    then[:index],
                    lang,
                    {
                        speaker_event_uid(instance, key, u)
                        for h in held_then[:index]
                        for u in h.get((folder, key), [])
                        if u in published_by_uid[index]
                    },
                    scheduled=places[index],
                    speaker=key,
                    speaking=speaking.get(key, ()),
                    withdrawn=withdrawn,
                )
                for index, version in enumerate(then)
            ]
            if mine or mine_gone:
                emit(
                    path,
                    f"{title} — {name}",
                    mine + mine_gone,
                    calendar_account(unit, len(mine), 0, len(mine_gone), options.messages),
                    counts=sequences(
                        [*mine, *mine_gone],
                        [[*v, *g] for v, g in zip(then, then_gone, strict=True)],
                        revisions,
                    ),
                )
            continue
        now = held.get((folder, key), [])
        dropped = [u for u in before.get((folder, key), {}) if u in cancelled_uids]
        # a workshop that left this calendar but still takes place (under the rule of
        # `workshop_identities`, which keeps a workshop's room and theme, only one
        # edited by hand into a slot beside another): as it is now, its SEQUENCE raised,
        # so that a client that imported the calendar updates it
        mine_now = set(now)
        left = [
            u
            for u in before.get((folder, key), {})
            if u not in mine_now and u not in cancelled_uids and u in by_uid
        ]
        if now or dropped or left:
            emit(
                path,
                f"{title} — {name}",
                [by_uid[u] for u in now + left + dropped],
                calendar_account(unit, len(now), len(left), len(dropped), options.messages),
                len(left),
            )
    logger.info("rendered %d calendars for %s", len(written), directory)
    return written


CALENDAR_FOLDERS = ("speakers", "rooms", "themes")


def stale_calendars(directory: Path, written: Iterable[Path]) -> list[Path]:
    """The calendars in `directory`'s speakers/, rooms/ and themes/ that an export did not
    write (`written`) and that still hold a confirmed event: files of an earlier export,
    of a speaker (room, theme) no longer in this one. Nothing deletes them, and uploaded
    with the folder they announced a workshop that no longer takes place, without a
    word. (A file holding only cancellations is left alone: it says nothing wrong.)"""
    directory = Path(directory)
    fresh = {Path(path).resolve() for path in written}
    stale = []
    for folder in CALENDAR_FOLDERS:
        for path in sorted((directory / folder).glob("*.ics")):
            if path.resolve() in fresh or not path.is_file():
                continue
            try:
                confirmed = b"\nSTATUS:CONFIRMED" in path.read_bytes()
            except OSError:
                continue
            if confirmed:
                stale.append(path)
    return stale
