"""What changed between two solutions, per proposal and per speaker, in words for an e-mail,
then per workshop for the coordinators."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timezone, tzinfo
from enum import StrEnum

from scheduler.exports.common import day_label, room_name
from scheduler.instance import Instance, Language
from scheduler.solution import ItemKind, Solution, Workshop
from scheduler.text import DAYS_EN, LANGUAGE_EN, LANGUAGE_FR, first_of, plural


@dataclass(frozen=True)
class Placement:
    """Where and when a proposal's talk is, and its participatory time (a keynote's)."""

    slot: str
    room: str
    start: datetime
    end: datetime
    participatory: tuple[datetime, datetime] | None = None


@dataclass
class Change:
    """One proposal's change: moved (another room or slot), retimed (its talk at another
    time in the same room), participatory (only its participatory time changed),
    appeared or disappeared."""

    proposal: str
    kind: str
    old: Placement | None = None
    new: Placement | None = None

    @property
    def participatory_changed(self) -> bool:
        return (
            self.old is not None
            and self.new is not None
            and self.old.participatory != self.new.participatory
        )


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)
    workshops_changed: list[str] = field(default_factory=list)
    workshops: dict[str, tuple[Workshop | None, Workshop | None]] = field(default_factory=dict)
    """Each changed slot's workshop before and after (None where there is none)."""
    presenters: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)
    """Each proposal scheduled in both whose speakers changed (a co-presenter gone or
    come, which `import --keep` keeps under the proposal's id): its speaker ids before
    and after, as the two solutions recorded them."""

    @property
    def empty(self) -> bool:
        return not self.changes and not self.workshops_changed and not self.presenters


def placements(solution: Solution) -> dict[str, Placement]:
    """Proposal id -> where and when its talk (and its participatory time) is."""
    found = {}
    for workshop in solution.workshops:
        talks, talk_of = {}, {}
        for item in workshop.items:
            if item.proposal and item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
                talks[item.proposal] = (item.start, item.end)
            elif item.proposal and item.kind == ItemKind.PARTICIPATORY:
                talk_of[item.proposal] = (item.start, item.end)
        for proposal_id, (start, end) in talks.items():
            found[proposal_id] = Placement(
                workshop.slot, workshop.room, start, end, talk_of.get(proposal_id)
            )
    return found


def _kind(a: Placement | None, b: Placement | None) -> str | None:
    """How a placement changed, or None when nothing a speaker or an attendee sees did (a
    slot renamed, the same room and times, is no change to them)."""
    if a is None:
        return "appeared"
    if b is None:
        return "disappeared"
    if a.room != b.room or (a.slot != b.slot and (a.start, a.end) != (b.start, b.end)):
        return "moved"
    if (a.start, a.end) != (b.start, b.end):
        return "retimed"
    if a.participatory != b.participatory:
        # a keynote whose participatory time lengthened when a talk after it left was
        # not reported, though `solve` said `diff` shows each change
        return "participatory"
    return None


def _signature(workshop: Workshop) -> tuple:
    """What a workshop is to its audience: room, theme, language and timeline (a closing
    moved by hand was "No change")."""
    items = tuple((i.kind.value, i.proposal, i.start, i.end) for i in workshop.items)
    return (workshop.room, workshop.theme, workshop.language, items)


def compare(old: Solution, new: Solution) -> Diff:
    """Every proposal whose placement differs, and every slot whose workshop differs."""
    before, after = placements(old), placements(new)
    diff = Diff()
    for proposal_id in sorted(set(before) | set(after)):
        a, b = before.get(proposal_id), after.get(proposal_id)
        kind = _kind(a, b)
        if kind is not None:
            diff.changes.append(Change(proposal_id, kind, a, b))
    for proposal_id in sorted(set(before) & set(after)):
        was, now = old.speakers.get(proposal_id), new.speakers.get(proposal_id)
        if was and now and set(was) != set(now):
            diff.presenters[proposal_id] = (list(was), list(now))
    old_ws = {w.slot: w for w in old.workshops}
    new_ws = {w.slot: w for w in new.workshops}

    def when(slot: str) -> tuple:
        # in time order, as a programme reads (by id, Thursday came before Tuesday)
        held = [w.start.astimezone(UTC) for w in (old_ws.get(slot), new_ws.get(slot)) if w]
        return min(held), slot

    for slot in sorted(set(old_ws) | set(new_ws), key=when):
        a, b = old_ws.get(slot), new_ws.get(slot)
        if a is None or b is None or _signature(a) != _signature(b):
            diff.workshops_changed.append(slot)
            diff.workshops[slot] = (a, b)
    return diff


def placed_twice(solution: Solution) -> list[str]:
    """Proposals a (hand-edited) solution places in more than one workshop."""
    seen: dict[str, int] = {}
    for workshop in solution.workshops:
        for proposal_id in set(workshop.proposals):
            seen[proposal_id] = seen.get(proposal_id, 0) + 1
    return sorted(p for p, count in seen.items() if count > 1)


SHOWN_WORKSHOPS = 20
"""How many changed workshops the report details (a re-solve from scratch at 2000
proposals changed 608)."""

PHRASES = {
    "en": {
        "appeared": "{name} is now scheduled: {new}",
        "disappeared": "{name} is no longer scheduled (it was {old})",
        "moved": "{name} moves from {old} to {new}",
        "room_only": "{name} moves to another room: {old} → {new} (same time: {when})",
        "retimed": "{name} changes time from {old} to {new}",
        "participatory": "{name}: its participatory time changes from {old} to {new}",
        "participatory_added": "{name} now has a participatory time: {new}",
        "participatory_removed": "{name} no longer has a participatory time (it was {old})",
        "participatory_too": "; participatory time now {new}",
        "participatory_gone": "; no participatory time any more",
        "none": "No change: every proposal keeps its slot and time.",
        "counts": "{moved} moved, {retimed} retimed, {participatory} with another "
        "participatory time, {appeared} newly scheduled, {disappeared} no longer scheduled; "
        "{workshops}",
        "workshops": "{workshops} changed: {slots}",
        "no_workshop": "no workshop changed",
        "orphans": "Proposals withdrawn (no longer in the instance file):",
        "unknown": "Proposals scheduled, but not in the instance file:",
        "more": "and {} more",
        "workshop_heading": "Workshops:",
        "opened": "new workshop",
        "closed": "no longer held",
        "theme": "theme {old} → {new}",
        "language": "language {old} → {new}",
        "room": "room: {old} → {new}",
        "joined": "joined by {ids}",
        "left": "left by {ids}",
        "timeline": "timeline changed",
        "workshop": "{name} keeps its slot, but its workshop ({slot}) changes: {parts}",
        "workshop_retimed": "{name} stays in its workshop ({slot}), which changes: {parts}",
        "more_workshop": "  - and 1 more workshop",
        "more_workshops": "  - and {} more workshops",
        "presenters": "{name} is now presented by {new} (previously: {old})",
        "presenters_count": "; {} with changed presenters",
    },
    "fr": {
        "appeared": "{name} est désormais programmée\u00a0: {new}",
        "disappeared": "{name} n'est plus programmée (elle était prévue le {old})",
        "moved": "{name} est déplacée du {old}, au {new}",
        "room_only": "{name} change de salle\u00a0: {old} → {new} (même horaire\u00a0: {when})",
        "retimed": "{name} change d'horaire\u00a0: du {old}, au {new}",
        "participatory": "{name}\u00a0: son temps participatif passe du {old}, au {new}",
        # (« : le mardi … », a colon before an article)
        "participatory_added": "{name} a désormais un temps participatif, le {new}",
        "participatory_removed": "{name} n'a plus de temps participatif (il était prévu le {old})",
        "participatory_too": "\u00a0; temps participatif désormais le {new}",
        # (« plus de temps participatif » also reads "more participatory time", and «
        # plus programmées » was telegraphic, in e-mails to the speakers)
        "participatory_gone": "\u00a0; elle n'a plus de temps participatif",
        "none": "Aucun changement\u00a0: chaque intervention garde son créneau et son horaire.",
        "counts": "Interventions déplacées\u00a0: {moved}\u00a0; horaires changés\u00a0: {retimed}\u00a0; "
        "temps participatifs changés\u00a0: {participatory}\u00a0; nouvellement programmées\u00a0: "
        "{appeared}\u00a0; désormais non programmées\u00a0: {disappeared}\u00a0; {workshops}",
        "workshops": "ateliers modifiés\u00a0: {workshop_count} ({slots})",
        "no_workshop": "aucun atelier modifié",
        "orphans": "Propositions retirées (absentes du fichier d'instance)\u00a0:",
        "unknown": "Propositions programmées, mais absentes du fichier d'instance\u00a0:",
        "more": "et {} autres",
        "workshop_heading": "Ateliers\u00a0:",
        "opened": "nouvel atelier",
        "closed": "n'a plus lieu",
        "theme": "thème {old} → {new}",
        "language": "langue {old} → {new}",
        "room": "salle\u00a0: {old} → {new}",
        "joined": "arrivée de {ids}",
        "left": "départ de {ids}",
        "timeline": "déroulé modifié",
        "workshop": "{name} garde son créneau, mais son atelier ({slot}) change\u00a0: {parts}",
        "workshop_retimed": "{name} reste dans son atelier ({slot}), qui change\u00a0: {parts}",
        "more_workshop": "  - et 1 autre atelier",
        "more_workshops": "  - et {} autres ateliers",
        "presenters": "{name} est désormais présentée par {new} (auparavant\u00a0: {old})",
        "presenters_count": "\u00a0; intervenant·es modifié·es\u00a0: {}",
    },
}
"""The report's sentences in each language (an intervention, feminine in French)."""


class ReportLanguage(StrEnum):
    """`diff --lang`: English, French, or `auto`, each speaker's paragraph in the language
    of the talks it is about (the event's when they mix both or none is known), the rest
    (the count, the coordinators' list of workshops, the notes and warnings) in the
    event's language (`auto_language`). At a bilingual event the coordinator ran `diff`
    twice and picked paragraphs by hand."""

    EN = "en"
    FR = "fr"
    AUTO = "auto"

    def notes(self, instance: Instance | None = None) -> Language:
        """The language of the notes and warnings (and of all but the speakers'
        paragraphs), the event's being `instance`'s."""
        if self is ReportLanguage.AUTO:
            return Language(auto_language(instance))
        return Language(self.value)


AUTO_DEFAULT = "fr"
"""`--lang auto`'s language without the instance (the call of Commons AI is French)."""


def auto_language(instance: Instance | None) -> str:
    """`--lang auto`'s language where no speaker's talks decide it (what is not a
    speaker's paragraph, a paragraph about talks of both languages): the event's
    (`Instance.language`), `AUTO_DEFAULT` without the instance. An English event's count,
    withdrawn talks and workshops were said in French."""
    return instance.language.value if instance is not None else AUTO_DEFAULT


def paragraph_language(proposals: list[str], instance: Instance) -> str:
    """The language of a speaker's paragraph under `--lang auto`: that of the talks it is
    about, when they share one, else the event's (`auto_language`)."""
    languages = {
        instance.proposal_by_id[p].language.value for p in proposals if p in instance.proposal_by_id
    }
    return languages.pop() if len(languages) == 1 else auto_language(instance)


def _clock(instance: Instance | None, zone: tzinfo | None, moment: datetime) -> datetime:
    """`moment` in the event's timezone, else in `zone` (one offset for both files: a file
    written in UTC read as a talk moved an hour earlier, where it moved later)."""
    if instance is not None:
        return instance.local(moment)
    return moment.astimezone(zone) if zone is not None else moment


def _when(
    instance: Instance | None, zone: tzinfo | None, span: tuple[datetime, datetime], lang: str
) -> str:
    start, end = (_clock(instance, zone, moment) for moment in span)
    # an en dash between the times, as the calendars and the grid write a range (the
    # e-mail pasted from `diff` read "14:05-14:25" beside a grid's "14:05–14:25")
    if lang == "fr":  # "mardi 1er décembre, 14:05–14:25"
        return f"{day_label(start.date(), 'fr', year=False)}, {start:%H:%M}–{end:%H:%M}"
    # "Tue 1 Dec", as the reasons and the calendars write a day ("Tue 01 Dec" here only)
    return f"{DAYS_EN[start.weekday()]} {start.day} {start:%b} {start:%H:%M}–{end:%H:%M}"


def _room(instance: Instance | None, room: str) -> str:
    return room_name(instance, room) if instance is not None else room


def _where(
    instance: Instance | None, zone: tzinfo | None, placement: Placement, lang: str = "en"
) -> str:
    span = (placement.start, placement.end)
    return f"{_when(instance, zone, span, lang)}, {_room(instance, placement.room)}"


def _named(
    proposal_id: str, instance: Instance | None, lang: str, titles: dict[str, str] | None
) -> str:
    """“Title” (id), in French between guillemets, or the id alone where no title is known."""
    known = instance is not None and proposal_id in instance.proposal_by_id
    title = instance.proposal_by_id[proposal_id].title if known else None
    title = title or (titles or {}).get(proposal_id)
    if title is None:
        return proposal_id
    # (English quotes in English, as the calendars write them)
    quoted = f"«\u00a0{title}\u00a0»" if lang == "fr" else f"“{title}”"
    return f"{quoted} ({proposal_id})"


def sentence(
    change: Change,
    instance: Instance | None,
    lang: str = "en",
    zone: tzinfo | None = None,
    titles: dict[str, str] | None = None,
) -> str:
    """One change in words: «Title» (id) moves from ... to ...; a proposal withdrawn from
    the instance by the title its solution kept (`titles`; by its id before)."""
    phrases = PHRASES[lang]
    name = _named(change.proposal, instance, lang, titles)
    if change.kind == "participatory":
        # a participatory time come or gone (a timeline edited by hand, an older file) read
        # « passe du -, au mardi 1er décembre, … »: said as a time that starts or ends
        was, now = change.old.participatory, change.new.participatory
        old = _when(instance, zone, was, lang) if was else None
        new = _when(instance, zone, now, lang) if now else None
        key = (
            "participatory_added"
            if old is None
            else "participatory_removed"
            if new is None
            else "participatory"
        )
        return phrases[key].format(name=name, old=old, new=new)
    old = _where(instance, zone, change.old, lang) if change.old is not None else ""
    new = _where(instance, zone, change.new, lang) if change.new is not None else ""
    if change.kind == "moved" and _room_only(change):
        # "moves from Thu 09:35-09:55, Salle Puteaux to Thu 09:35-09:55, Salle Seine": the
        # date and times twice, the reader hunting for what changed
        text = phrases["room_only"].format(
            name=name,
            old=_room(instance, change.old.room),
            new=_room(instance, change.new.room),
            when=_when(instance, zone, (change.new.start, change.new.end), lang),
        )
    else:
        text = phrases[change.kind].format(name=name, old=old, new=new)
    if change.participatory_changed and change.new.participatory is not None:
        text += phrases["participatory_too"].format(
            new=_when(instance, zone, change.new.participatory, lang)
        )
    elif change.participatory_changed:  # (moved, and its participatory time gone: untold)
        text += phrases["participatory_gone"]
    return text


def _room_only(change: Change) -> bool:
    """A move to another room at the same times (its workshop given another room)."""
    old, new = change.old, change.new
    return old.room != new.room and (old.start, old.end) == (new.start, new.end)


def _workshop_line(
    slot: str, before: Workshop | None, after: Workshop | None, instance: Instance | None, lang: str
) -> str:
    """What changed in one slot's workshop, for the coordinators."""
    phrases = PHRASES[lang]
    colon = "\u00a0:" if lang == "fr" else ":"
    held = after or before
    when = _when(instance, None, (held.start, held.end), lang)
    heading = f"{slot} ({when}, {_room(instance, held.room)}){colon}"
    if before is None or after is None:
        return f"{heading} {phrases['opened' if before is None else 'closed']}"
    parts = _workshop_parts(before, after, instance, lang)
    joined_or_left = any(p not in before.proposals for p in after.proposals) or any(
        p not in after.proposals for p in before.proposals
    )
    if not parts or _signature(before)[3] != _signature(after)[3] and not joined_or_left:
        parts.append(phrases["timeline"])
    return f"{heading} {_SEPARATOR[lang].join(parts)}"


_SEPARATOR = {"en": "; ", "fr": "\u00a0; "}


LANGUAGE_WORDS = {
    "en": LANGUAGE_EN,
    "fr": LANGUAGE_FR,
}
"""A workshop's language in words (its id and "mixed" read as English in French)."""


def _theme(instance: Instance | None, theme_id: str, lang: str) -> str:
    """A theme's label in `lang` between quotes, by the instance (its id without one)."""
    theme = instance.theme_by_id.get(theme_id) if instance is not None else None
    if theme is None:
        return theme_id
    text = theme.label.get(lang)
    return f"«\u00a0{text}\u00a0»" if lang == "fr" else f"“{text}”"


def _workshop_parts(
    before: Workshop,
    after: Workshop,
    instance: Instance | None,
    lang: str,
    room: bool = True,
    titles: dict[str, str] | None = None,
) -> list[str]:
    """What changed in a workshop held in both: its room (with `room`), theme, language,
    who joined and who left (with `titles`, by their titles: the sentences for the
    speakers; by their ids for the coordinators)."""
    phrases = PHRASES[lang]
    words = LANGUAGE_WORDS[lang]
    parts = []
    for key, old, new in (
        ("room", _room(instance, before.room), _room(instance, after.room)),
        ("theme", _theme(instance, before.theme, lang), _theme(instance, after.theme, lang)),
        (
            "language",
            words.get(before.language, before.language),
            words.get(after.language, after.language),
        ),
    ):
        if old != new and (room or key != "room"):
            parts.append(phrases[key].format(old=old, new=new))

    def named(ids: list[str]) -> str:
        if titles is None:
            return ", ".join(ids)
        return ", ".join(_named(p, instance, lang, titles) for p in ids)

    joined = [p for p in after.proposals if p not in before.proposals]
    left = [p for p in before.proposals if p not in after.proposals]
    if joined:
        parts.append(phrases["joined"].format(ids=named(joined)))
    if left:
        parts.append(phrases["left"].format(ids=named(left)))
    return parts


def _workshop_changes(
    diff: Diff, instance: Instance, lang: str, titles: dict[str, str]
) -> dict[str, list[str]]:
    """Proposal id -> a sentence, for each proposal that stays in its slot's workshop
    while its theme, language or members changed: its speakers hear of it (they were told
    only of their own talk's changes, while their calendar changed). A talk retimed within
    it, or whose participatory time changed, stays there too: it hears of both (told only
    that it was 5 minutes earlier, its speaker missed the new theme and keynote)."""
    moved = {c.proposal for c in diff.changes if c.kind not in ("retimed", "participatory")}
    # ("keeps its slot" beside "changes time" read as a contradiction)
    retimed = {c.proposal for c in diff.changes if c.kind == "retimed"}
    found = {}
    for before, after in diff.workshops.values():
        if before is None or after is None:
            continue
        parts = _workshop_parts(before, after, instance, lang, room=False, titles=titles)
        if not parts:
            continue
        for proposal_id in after.proposals:
            if proposal_id in moved or proposal_id not in before.proposals:
                continue
            name = _named(proposal_id, instance, lang, titles)
            key = "workshop_retimed" if proposal_id in retimed else "workshop"
            found[proposal_id] = PHRASES[lang][key].format(
                name=name, slot=after.slot, parts=_SEPARATOR[lang].join(parts)
            )
    return found


def report(
    diff: Diff, old: Solution, new: Solution, instance: Instance | None, lang: str = "en"
) -> str:
    """Plain text: changes grouped per speaker (when the instance is known), then per
    workshop. Without the instance, times are given at the published file's offset.
    `lang` "auto": each speaker's paragraph in the language of her talks
    (`paragraph_language`), the rest in the event's (`auto_language`)."""
    auto = lang == ReportLanguage.AUTO
    lang = auto_language(instance) if auto else str(lang)
    languages = ("en", "fr") if auto else (lang,)
    phrases = PHRASES[lang]
    if diff.empty:
        return phrases["none"] + "\n"
    zone = _offset(old) or _offset(new)
    titles = {**old.titles, **new.titles}
    names = {**old.speaker_names, **new.speaker_names}
    lines = []
    counts = {
        k: sum(1 for c in diff.changes if c.kind == k)
        for k in ("moved", "retimed", "participatory", "appeared", "disappeared")
    }
    workshops = (
        phrases["workshops"].format(
            workshops=plural(len(diff.workshops_changed), "workshop"),
            workshop_count=len(diff.workshops_changed),
            slots=first_of(diff.workshops_changed, more=phrases["more"]),
        )
        if diff.workshops_changed
        else phrases["no_workshop"]
    )
    counted = phrases["counts"].format(**counts, workshops=workshops)
    if diff.presenters:
        counted += phrases["presenters_count"].format(len(diff.presenters))
    lines.append(counted)
    if instance is not None:
        # each sentence in every language a paragraph may be written in, by its proposal
        by_speaker: dict[str, list[tuple[str, dict[str, str]]]] = {}
        said = [
            (c.proposal, {k: sentence(c, instance, k, titles=titles) for k in languages})
            for c in diff.changes
        ]
        around = {k: _workshop_changes(diff, instance, k, titles) for k in languages}
        said += [
            (p, {k: around[k].get(p, text) for k in languages}) for p, text in around[lang].items()
        ]
        for proposal_id, texts in said:
            proposal = instance.proposal_by_id.get(proposal_id)
            for speaker_id in proposal.speakers if proposal else []:
                by_speaker.setdefault(speaker_id, []).append((proposal_id, texts))
        for proposal_id, (was, now) in diff.presenters.items():
            # told to every presenter, the one gone too (while the instance still has her)
            texts = {
                k: _presenters_sentence(proposal_id, was, now, instance, k, titles, names)
                for k in languages
            }
            for speaker_id in dict.fromkeys([*now, *was]):
                by_speaker.setdefault(speaker_id, []).append((proposal_id, texts))
        for speaker in instance.speakers:
            if speaker.id not in by_speaker:
                continue
            told = by_speaker[speaker.id]
            mine = paragraph_language([p for p, _ in told], instance) if auto else lang
            colon = "\u00a0:" if mine == "fr" else ":"
            lines.append("")
            # the address beside the name, so that the paragraph is pasted into her e-mail
            # (the coordinator matched 30 names to the form's addresses by hand)
            address = f" <{speaker.email}>" if speaker.email else ""
            lines.append(f"{speaker.label}{address}{colon}")
            lines.extend(f"  - {texts[mine]}" for _, texts in told)
        orphans = [c for c in diff.changes if c.proposal not in instance.proposal_by_id]
        # one NEW still schedules is not withdrawn: the instance read is older than NEW (a
        # late keynote was filed under the withdrawn proposals)
        for heading, scheduled in (("orphans", False), ("unknown", True)):
            listed = [c for c in orphans if (c.new is not None) is scheduled]
            if listed:
                lines += ["", phrases[heading]]
                lines.extend(f"  - {sentence(c, instance, lang, titles=titles)}" for c in listed)
    elif diff.changes or diff.presenters:
        lines.append("")
        lines.extend(f"  - {sentence(c, None, lang, zone, titles)}" for c in diff.changes)
        lines.extend(
            f"  - {_presenters_sentence(p, was, now, None, lang, titles, names)}"
            for p, (was, now) in diff.presenters.items()
        )
    if diff.workshops_changed:
        lines += ["", phrases["workshop_heading"]]
        for slot in diff.workshops_changed[:SHOWN_WORKSHOPS]:
            if slot in diff.workshops:
                before, after = diff.workshops[slot]
                lines.append(f"  - {_workshop_line(slot, before, after, instance, lang)}")
        hidden = len(diff.workshops_changed) - SHOWN_WORKSHOPS
        if hidden > 0:
            more = phrases["more_workshop" if hidden == 1 else "more_workshops"]
            lines.append(more.format(hidden))
    return "\n".join(lines) + "\n"


def _presenters_sentence(
    proposal_id: str,
    was: list[str],
    now: list[str],
    instance: Instance | None,
    lang: str,
    titles: dict[str, str],
    recorded: dict[str, str],
) -> str:
    """«Title» (id) is now presented by A (it was by A and B): speakers by name, one no
    longer in the instance (or without it) as the solutions recorded her, else by id."""
    conjunction = " et " if lang == "fr" else " and "

    def names(ids: list[str]) -> str:
        known = instance.speaker_by_id if instance is not None else {}
        named = [s.name if (s := known.get(i)) else recorded.get(i, i) for i in ids]
        # 'A, B and C' ('A and B and C' when rules.max_speakers allows three)
        return conjunction.join([", ".join(named[:-1]), named[-1]] if len(named) > 1 else named)

    return PHRASES[lang]["presenters"].format(
        name=_named(proposal_id, instance, lang, titles), new=names(now), old=names(was)
    )


def _offset(solution: Solution) -> tzinfo | None:
    """The fixed offset of a solution's first workshop, if it has one."""
    for workshop in solution.workshops:
        offset = workshop.start.utcoffset()
        if offset is not None:
            return timezone(offset)
    return None
