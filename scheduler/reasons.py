"""Why a proposal is unscheduled: every sentence a solution file's `reasons` can hold,
in English and in French.

The file keeps the English (`solve`'s summary and `explain` print it, the tests read it
as written); the grid words it back for its readers, in French or in English. Each producer formats its sentence from a `Template`
here, and `french` reads a stored sentence through the same templates: a template's
pattern is derived from its English wording, so wording and reading cannot drift.
Reasons are composed (a partner's exclusion inside a `together` reason, causes joined
by "; ", the slots a reason holds for after ": "): each `{field}` of a template says
what its piece is (`FIELDS`), and a piece that is itself a catalog phrase is read and
translated in turn. Ids, names and numbers are carried over, languages and dates
rendered in words (in French, or in the grid's English), themes by their labels where
told (`theme_labels`); a text the catalog cannot read whole (a hand-edited or older
file) is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from string import Formatter

from scheduler.errors import ID_PATTERN
from scheduler.text import DAYS_EN, LANGUAGE_EN, LANGUAGE_FR, MONTHS_FR_FULL, WEEKDAYS_FR

# Where a phrase can stand: the categories a template belongs to, and a nested field's.
REASON = "reason"
"""A whole reason, as `Unscheduled.reasons` holds it."""
WHY = "why"
"""What rules out the slots a reason names after it."""
EXCLUSION = "exclusion"
"""Why one slot cannot hold a proposal whatever else is placed (`own_exclusion`)."""
MISFIT = "misfit"
"""The end of a sentence about proposals that one workshop cannot hold (`misfits`)."""
SHORT = "short"
"""The end of a sentence about pinned proposals no keynote can join."""
WHICH = "which"
"""The keynotes that can join them."""
IN_LANGUAGE = "in-language"
"""Their language, where workshops have one."""
CAUSE = "cause"
"""Why a workshop did not take a proposal its slot could hold."""
TRAIT = "trait"
"""What that workshop is or holds, in a sentence whose subject it is."""
EMPTY = "empty"
"""Why no workshop holding a proposal was opened in an empty slot."""
SLOTS = "slots"
"""The slots a reason holds for."""
ELSEWHERE = "elsewhere"
"""Proposals placed elsewhere, and where."""
PLACEMENT = "placement"
"""One of them."""
AMOUNT = "amount"
"""How many keynotes or initiatives."""
FINDING = "finding"
"""`explain`'s finding about one proposal, whatever the rest of the schedule."""
RULE = "rule"
"""A rule of `explain`'s conflict (or what it says when it found none)."""
LENGTHS = "lengths"
"""What `explain` adds to a conflict when the slots' lengths matter to it."""
PART = "part"
"""What every workshop holds, in that sentence."""


@dataclass(frozen=True)
class Field:
    """What a template's `{field}` holds: one piece or a list, each piece plain text
    (`pattern`, carried over or rendered by `french`) or a catalog phrase (`within`)."""

    pattern: str = ""
    within: str | None = None
    sep: str | None = None
    """English separator of a list (a list given to `Template.format` is joined by it)."""
    sep_fr: str | None = None
    french: Callable[[str], str] | None = None
    english: Callable[[str], str] | None = None
    """How a reader gets a piece in English (`english`), where not as stored."""
    optional: bool = False
    """The phrase may be left out (empty)."""


@dataclass(frozen=True)
class Template:
    """A sentence or phrase with its `{field}`s, in English and French, and where it
    can stand (`within`: categories)."""

    within: tuple[str, ...]
    en: str
    fr: str
    read: str = ""
    """The English as the grid prints it, where its order differs from the stored `en`."""

    def worded(self, lang: str) -> str:
        """Its text for a reader in `lang`, fields unfilled."""
        return self.fr if lang == "fr" else self.read or self.en

    def format(self, **fields: object) -> str:
        """The English text; a list field joined as `FIELDS` says."""
        for name, value in fields.items():
            if isinstance(value, list | tuple):
                fields[name] = FIELDS[name].sep.join(map(str, value))
        return self.en.format(**fields)

    @property
    def fields(self) -> list[str]:
        """The names of its fields, in order."""
        return [name for _, name, _, _ in Formatter().parse(self.en) if name is not None]

    @property
    def pattern(self) -> re.Pattern:
        """The English text read back: a named group per field."""
        return _compiled(self)


CATALOG: list[Template] = []


def _template(within: str | tuple[str, ...], en: str, fr: str, read: str = "") -> Template:
    template = Template(within if isinstance(within, tuple) else (within,), en, fr, read)
    CATALOG.append(template)
    return template


# -- dates, as `fmt_span` writes them (English names: `%b` in the C locale Python keeps)

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY = rf"(?:{'|'.join(DAYS_EN)}) \d{{1,2}} (?:{'|'.join(_MONTHS_EN)})"
_MOMENT = rf"{_DAY} \d\d:\d\d"
_ALL_DAY = "all day "
_SPAN = rf"{_MOMENT}(?:[-–]\d\d:\d\d| to {_MOMENT})|{_ALL_DAY}{_DAY}(?: to {_DAY})?"
"""A span as `fmt_span` writes it: 'Tue 1 Dec 09:00–10:30' (with a hyphen, as it did before
2026-12-06 and older solution files store it, still read)."""
_MIDNIGHT = " 00:00"


def _day_fr(day: str) -> str:
    """'Tue 1 Dec' -> 'mardi 1er décembre', as the calendars and `diff` write it (it read
    'mar. 1er déc.' in a sentence, and « du jeu. 3 déc. » as « du jeu »)."""
    name, number, month = day.split(" ")
    number = "1er" if number == "1" else number
    return f"{WEEKDAYS_FR[DAYS_EN.index(name)]} {number} {MONTHS_FR_FULL[_MONTHS_EN.index(month)]}"


def _moment_fr(moment: str) -> str:
    """'Tue 1 Dec 09:00' -> 'mardi 1er décembre à 09:00'."""
    day, clock = moment.rsplit(" ", 1)
    return f"{_day_fr(day)} à {clock}"


def _day_before(day: str) -> str:
    """'Thu 3 Dec' -> 'Wed 2 Dec', 'Tue 1 Dec' -> 'Mon 30 Nov' (the year, which the text
    does not give, is the nearest to 2026 where that date falls on that weekday)."""
    name, number, month = day.split(" ")
    weekday, month_number = DAYS_EN.index(name), _MONTHS_EN.index(month) + 1
    for year in sorted(range(2000, 2053), key=lambda y: (abs(y - 2026), y)):
        try:
            found = date(year, month_number, int(number))
        except ValueError:  # (29 Feb of a year that has none)
            continue
        if found.weekday() == weekday:
            before = found - timedelta(days=1)
            return f"{DAYS_EN[before.weekday()]} {before.day} {_MONTHS_EN[before.month - 1]}"
    return day  # (no such date: read as written)


def _whole_days(span: str) -> tuple[str, str] | None:
    """The first and last day of a span of whole days, as `fmt_span` writes it ('all day
    Tue 1 Dec to Thu 3 Dec') or wrote it before 2026-12-06 ('Tue 1 Dec 00:00 to Fri 4
    Dec 00:00', from a midnight to a midnight, still read so); None for another span."""
    if span.startswith(_ALL_DAY):
        first, _, last = span.removeprefix(_ALL_DAY).partition(" to ")
        return first, last or first
    start, _, end = span.partition(" to ")
    if end and start.endswith(_MIDNIGHT) and end.endswith(_MIDNIGHT):
        return start.removesuffix(_MIDNIGHT), _day_before(end.removesuffix(_MIDNIGHT))
    return None


def _span_fr(span: str) -> str:
    """'Tue 1 Dec 09:00–10:30' -> 'le mardi 1er décembre, 09:00–10:30'; across midnight
    'du mardi 1er décembre à 22:00 au …'; a whole day 'toute la journée du mardi 1er
    décembre', whole days 'du mardi 1er décembre au jeudi 3 décembre inclus'."""
    days = _whole_days(span)
    if days is not None:
        first, last = days
        if first == last:
            return f"toute la journée du {_day_fr(first)}"
        return f"du {_day_fr(first)} au {_day_fr(last)} inclus"
    if " to " in span:
        start, end = span.split(" to ")
        if end.endswith(_MIDNIGHT):
            # ("au ven. 4 déc. 00:00" made the reader look for a fourth day)
            last = _day_fr(_day_before(end.removesuffix(_MIDNIGHT)))
            return f"du {_moment_fr(start)} jusqu'à la fin du {last}"
        return f"du {_moment_fr(start)} au {_moment_fr(end)}"
    start, end = _same_day(span)
    day, clock = start.rsplit(" ", 1)
    return f"le {_day_fr(day)}, {clock}–{end}"


def _span_en(span: str) -> str:
    """'Tue 1 Dec 09:00–10:30' (with a hyphen, as stored before 2026-12-06: with the en
    dash `fmt_span` writes now); across midnight as it is; whole days 'all day Tue 1 Dec'
    (to 'Thu 3 Dec'), as `fmt_span` writes them now."""
    days = _whole_days(span)
    if days is not None:
        first, last = days
        return f"{_ALL_DAY}{first}" + ("" if first == last else f" to {last}")
    if " to " in span:
        start, end = span.split(" to ")
        if end.endswith(_MIDNIGHT):
            return f"{start} to the end of {_day_before(end.removesuffix(_MIDNIGHT))}"
        return span
    start, end = _same_day(span)
    return f"{start}–{end}"


def _same_day(span: str) -> tuple[str, str]:
    """'Tue 1 Dec 09:00–10:30' (or with a hyphen) -> ('Tue 1 Dec 09:00', '10:30')."""
    return span[:-6], span[-5:]


def _more_fr(count: str) -> str:
    """'1 autre', '4 autres': how many more a list leaves out."""
    return f"{count} autre" if count == "1" else f"{count} autres"


_ID = ID_PATTERN.removeprefix("^").removesuffix("$")
_IDS = Field(_ID, sep=", ", sep_fr=", ")
_NUMBER = Field(r"\d+")

FIELDS: dict[str, Field] = {
    # carried over as written
    "slot": Field(_ID),
    "theme": Field(_ID),
    "speaker": Field(_ID),
    "proposal": Field(_ID),
    "partner": Field(_ID),
    "first": Field(_ID),
    "second": Field(_ID),
    "ids": _IDS,
    "away": _IDS,
    "themes": _IDS,
    "name": Field(r".+?"),
    "count": _NUMBER,
    "more": Field(r"\d+", french=_more_fr),
    "minutes": _NUMBER,
    "needed": _NUMBER,
    "allowed": _NUMBER,
    # "keynote(s)" and "initiative(s)" are the French words too (the grid's "Keynote")
    "kind": Field("keynote|initiative"),
    # rendered in French
    "pins": Field(_ID, sep=" and ", sep_fr=" et "),
    "language": Field("fr|en", french=LANGUAGE_FR.__getitem__, english=LANGUAGE_EN.__getitem__),
    "languages": Field(
        "fr|en",
        sep=" and ",
        sep_fr=" et ",
        french=LANGUAGE_FR.__getitem__,
        english=LANGUAGE_EN.__getitem__,
    ),
    "whom": Field("it|them", french={"it": "elle", "them": "elles"}.__getitem__),
    "span": Field(_SPAN, french=_span_fr, english=_span_en),
    "windows": Field(_SPAN, sep="; ", sep_fr=" ou ", french=_span_fr, english=_span_en),
    # catalog phrases
    "why": Field(within=WHY),
    "exclusion": Field(within=EXCLUSION),
    "misfit": Field(within=MISFIT),
    "short": Field(within=SHORT),
    "which": Field(within=WHICH),
    "in_language": Field(within=IN_LANGUAGE, optional=True),
    "causes": Field(within=CAUSE, sep="; ", sep_fr="\u00a0; "),
    "traits": Field(within=TRAIT, sep=", ", sep_fr=", "),
    "trait": Field(within=TRAIT),
    "empty": Field(within=EMPTY),
    "slots": Field(within=SLOTS),
    "elsewhere": Field(within=ELSEWHERE),
    "placements": Field(within=PLACEMENT, sep=", ", sep_fr=", "),
    "amount": Field(within=AMOUNT),
    # explain's
    "code": Field("fr|en"),  # a proposal's language as its label gives it: (keynote, fr)
    "title": Field(r".+"),
    "candidates": _IDS,
    "spans": Field(_SPAN, sep="; ", sep_fr=" ni ", french=_span_fr, english=_span_en),
    "reasons": Field(within=REASON, sep="; ", sep_fr="\u00a0; "),
    "parts": Field(within=PART, sep=", ", sep_fr=", "),
    "last": Field(within=PART),
}


# -- where a reason holds ---------------------------------------------------------
# The French puts the slots first, as a label ("thu-pm-seine : créneau fermé"): a
# reason's "y", "le créneau" and "l'atelier" then point back to them; so does the
# grid's English. French typography: a no-break space before ":" and ";" and between a
# number and "min".

AT_SLOTS = _template(REASON, "{why}: {slots}", "{slots}\u00a0: {why}", read="{slots}: {why}")
EVERY_SLOT = _template(SLOTS, "every slot ({count})", "tous les créneaux ({count})")
EVERY_OTHER_SLOT = _template(
    SLOTS, "every other slot ({count})", "tous les autres créneaux ({count})"
)
SLOT_IDS = _template(SLOTS, "{ids}", "{ids}")
SLOTS_AND_MORE = _template(SLOTS, "{ids} and {more} more", "{ids} et {more}")

# -- a slot's exclusion (candidates.own_exclusion) --------------------------------

NO_THEME = _template(
    (REASON, EXCLUSION),
    "no theme assigned to the proposal",
    "aucun thème n'est attribué à la proposition",
)
# (one per format, not "a {kind}": it read "no workshop may hold a initiative", « de
# initiative »)
KEYNOTE_NOT_ALLOWED = _template(
    (WHY, EXCLUSION),
    "no workshop may hold a keynote",
    "aucun atelier ne peut accueillir de keynote",
)
INITIATIVE_NOT_ALLOWED = _template(
    (WHY, EXCLUSION),
    "no workshop may hold an initiative",
    "aucun atelier ne peut accueillir d'initiative",
)
SLOT_CLOSED = _template(
    (WHY, EXCLUSION), "slot closed", "créneau fermé par la coordination"
)  # (who closed it: a French reader took « fermé » for the room being closed)
PINNED_ELSEWHERE = _template((WHY, EXCLUSION), "pinned to {slot}", "épinglée au créneau {slot}")
SLOT_FROZEN = _template(
    (WHY, EXCLUSION),
    "slot frozen (it holds only the proposals pinned to it)",
    "créneau figé (il ne reçoit que les propositions qui y sont épinglées)",
)
SLOT_BEGUN = _template(
    (WHY, EXCLUSION),
    "slot begun (its workshop is kept as published)",
    "créneau déjà commencé (son atelier est conservé tel que publié)",
)
SLOT_BEGUN_EMPTY = _template(
    (WHY, EXCLUSION),
    "slot begun with no workshop kept there",
    "créneau déjà commencé sans atelier conservé",
)
KEPT_IN = _template(
    (WHY, EXCLUSION),
    "already given in {slot} (kept as published)",
    "déjà présentée dans le créneau {slot} (atelier conservé tel que publié)",
)
THEME_FIXED = _template(
    (WHY, EXCLUSION),
    "slot's theme is fixed to {theme}",
    "le créneau est réservé au thème {theme}",
)
LANGUAGE_FIXED = _template(
    (WHY, EXCLUSION),
    "slot's language is fixed to {language}",
    "le créneau est réservé aux ateliers en {language}",
)
SLOT_TOO_SHORT = _template(
    (WHY, EXCLUSION),
    "slot too short ({minutes} min, the smallest workshop holding it needs {needed} min)",
    "créneau trop court ({minutes}\u00a0min, or un atelier comprenant cette proposition dure "
    "au moins {needed}\u00a0min)",
)
NO_WINDOW = "`available` is an empty list"
"""Why a speaker whose `available` lists no window can go nowhere (read literally:
available only inside none of them)."""
NEVER_AVAILABLE = _template(
    (WHY, EXCLUSION),
    "speaker {name} ({speaker}) is never available (" + NO_WINDOW + ")",
    "l'intervenant·e {name} ({speaker}) n'est jamais disponible (sa liste `available` est vide)",
)
AVAILABLE_ONLY = _template(
    (WHY, EXCLUSION),
    "speaker {name} ({speaker}) is available only {windows}",
    "l'intervenant·e {name} ({speaker}) n'est disponible que {windows}",
)
UNAVAILABLE = _template(
    (WHY, EXCLUSION),
    "speaker {name} ({speaker}) is unavailable {span}",
    # (« n'est pas disponible toute la journée du … » read as "not the whole day")
    "l'intervenant·e {name} ({speaker}) est indisponible {span}",
)

# -- a `together` group's (candidates.group_exclusion) -----------------------------

PARTNER_CANNOT = _template(
    WHY,
    "together with {partner}, which cannot go there ({exclusion})",
    "elle doit être programmée avec {partner}, qui ne peut pas y être placée ({exclusion})",
)
TOGETHER_MISFIT = _template(
    WHY, "{ids} are together{misfit}", "{ids} doivent être ensemble{misfit}"
)

# -- what one workshop cannot hold (candidates.misfits) -----------------------------

TOO_MANY = _template(
    MISFIT,
    ": {amount}, a workshop holds at most {allowed}",
    ", or cela fait {amount} et un atelier en accueille au plus {allowed}",
)
TWO_LANGUAGES = _template(
    MISFIT,
    " in {languages}, and a workshop has one language",
    ", or elles sont de langues différentes ({languages}) et un atelier n'a qu'une langue",
)
NO_SHARED_THEME = _template(MISFIT, " and share no theme", ", or elles n'ont aucun thème en commun")
NOT_SLOT_THEME = _template(
    MISFIT,
    " and do not all have the slot's theme, {theme}",
    ", or elles n'ont pas toutes le thème du créneau ({theme})",
)
TOO_LONG = _template(
    MISFIT,
    " ({minutes} min), and a workshop holding them needs {needed} min",
    ", or le créneau dure {minutes}\u00a0min et il en faut {needed} pour un atelier qui les réunit",
)

# -- pins that cannot all hold (candidates.pin_conflicts) ---------------------------

NO_CANDIDATE = _template(REASON, "no candidate slot", "aucun créneau possible")
_HELD = "pinned, or together with a proposal pinned there"
_HELD_FR = "épinglées, ou réunies avec une proposition qui y est épinglée"
PINNED_MISFIT = _template(
    REASON,
    "{ids} are pinned to {slot}{misfit}",
    "{ids} sont épinglées au créneau {slot}{misfit}",
)
HELD_MISFIT = _template(
    REASON,
    "{ids} are in {slot} (" + _HELD + "){misfit}",
    "{ids} se retrouvent dans le créneau {slot} (" + _HELD_FR + "){misfit}",
)
ONE_PINNED_SHORT = _template(
    REASON, "{ids} is pinned to {slot}{short}", "{ids} est épinglée au créneau {slot}{short}"
)
PINNED_SHORT = _template(
    REASON,
    "{ids} are pinned to {slot}{short}",
    "{ids} sont épinglées au créneau {slot}{short}",
)
HELD_SHORT = _template(
    REASON,
    "{ids} are in {slot} (" + _HELD + "){short}",
    "{ids} se retrouvent dans le créneau {slot} (" + _HELD_FR + "){short}",
)
_KEPT = "kept in the begun slot {slot}"
_KEPT_FR = "conservée{s} dans le créneau déjà commencé {slot}"
KEPT_MISFIT = _template(
    REASON,
    "{ids} are " + _KEPT + "{misfit}",
    "{ids} sont " + _KEPT_FR.format(s="s", slot="{slot}") + "{misfit}",
)
KEPT_SHORT = _template(
    REASON,
    "{ids} are " + _KEPT + "{short}",
    "{ids} sont " + _KEPT_FR.format(s="s", slot="{slot}") + "{short}",
)
ONE_KEPT_SHORT = _template(
    REASON,
    "{ids} is " + _KEPT + "{short}",
    "{ids} est " + _KEPT_FR.format(s="", slot="{slot}") + "{short}",
)
KEYNOTES_SHORT = _template(
    SHORT,
    ", and {which}: every workshop needs at least {amount}",
    ", et {which}, or tout atelier doit comporter au moins {amount}",
)
NO_KEYNOTE_JOINS = _template(
    WHICH,
    "no keynote{in_language} sharing a theme with {whom} ({themes}) can go there",
    "aucune keynote{in_language} partageant un thème avec {whom} ({themes}) ne peut y être placée",
)
ONE_KEYNOTE_JOINS = _template(
    WHICH,
    "only 1 keynote{in_language} sharing a theme with {whom} ({themes}) can go there",
    "une seule keynote{in_language} partageant un thème avec {whom} ({themes}) peut y être placée",
)
KEYNOTES_JOIN = _template(
    WHICH,
    "only {count} keynotes{in_language} sharing a theme with {whom} ({themes}) can go there",
    "seules {count} keynotes{in_language} partageant un thème avec {whom} ({themes}) "
    "peuvent y être placées",
)
IN = _template(IN_LANGUAGE, " in {language}", " en {language}")
SPEAKER_PINNED_TWICE = _template(
    REASON,
    "speaker {name} ({speaker}) is pinned to {first} and {second}, which overlap",
    "l'intervenant·e {name} ({speaker}) a des propositions épinglées aux créneaux {first} et "
    "{second}, qui se chevauchent",
)
SPEAKER_HELD_TWICE = _template(
    REASON,
    "speaker {name} ({speaker}) is in {first} and {second} (" + _HELD + "), which overlap",
    "l'intervenant·e {name} ({speaker}) a des propositions dans les créneaux {first} et {second} ("
    + _HELD_FR
    + "), qui se chevauchent",
)
SPEAKER_PINNED_TWICE_BY_ID = _template(
    REASON,
    "speaker {speaker} is pinned to {first} and {second}, which overlap",
    "l'intervenant·e {speaker} a des propositions épinglées aux créneaux {first} et "
    "{second}, qui se chevauchent",
)
SPEAKER_HELD_TWICE_BY_ID = _template(
    REASON,
    "speaker {speaker} is in {first} and {second} (" + _HELD + "), which overlap",
    "l'intervenant·e {speaker} a des propositions dans les créneaux {first} et {second} ("
    + _HELD_FR
    + "), qui se chevauchent",
)
"""The two above as solution files written before 2026-12-06 say them (the speaker by
id alone), still read in French."""
PINNED_APART = _template(
    REASON,
    "{ids} are pinned to {slot} and must be apart",
    "{ids} sont épinglées au créneau {slot}, or elles doivent être séparées",
)
HELD_APART = _template(
    REASON,
    "{ids} are in {slot} (" + _HELD + ") and must be apart",
    "{ids} se retrouvent dans le créneau {slot} (" + _HELD_FR + "), or elles doivent être séparées",
)
TOGETHER_PINNED_APART = _template(
    REASON,
    "{ids} must be together and are pinned to {pins}",
    "{ids} doivent être ensemble, or elles sont épinglées aux créneaux {pins}",
)
TOGETHER_PINNED_AWAY = _template(
    REASON,
    "{ids} must be together in {slot}, where {away} cannot go",
    "{ids} doivent être ensemble dans le créneau {slot}, impossible pour {away}",
)
PINNED_NO_SCHEDULE = _template(
    REASON,
    "pinned to {slot}: no schedule was found that keeps every pin with the other hard rules",
    "épinglée au créneau {slot}\u00a0: la recherche n'a trouvé aucun programme qui garde "
    "toutes les propositions épinglées à leur place tout en respectant les autres règles "
    "strictes",
)

# -- why a schedule left a proposal out of its candidate slots (solve.unplaced_reasons)

TOGETHER_AWAY = _template(
    WHY,
    "together with {ids}, which cannot go there",
    "créneau impossible pour {ids}, à programmer avec elle",
)
CAUSES = _template((WHY, EMPTY), "{causes}", "{causes}")
NOTHING_KEEPS_IT_OUT = _template(
    (WHY, EMPTY),
    "no hard rule keeps it out; the search did not find placing it cheaper",
    "aucune règle stricte ne l'exclut\u00a0; la recherche n'a trouvé aucune façon de l'y "
    "placer qui coûte moins cher que de la laisser de côté",
)
SPEAKER_BUSY = _template(
    CAUSE,
    "speaker {name} ({speaker}) speaks in {slot} at the same time",
    "l'intervenant·e {name} ({speaker}) intervient au même moment dans le créneau {slot}",
)
SPEAKER_BUSY_BY_ID = _template(
    CAUSE,
    "speaker {speaker} speaks in {slot} at the same time",
    "l'intervenant·e {speaker} intervient au même moment dans le créneau {slot}",
)
"""`SPEAKER_BUSY` as solution files written before 2026-12-06 say it (the speaker by id
alone), still read in French."""
# What a slot's workshop is and holds, in one sentence with one subject, after the
# slots: "thu-am-puteaux : l'atelier qui s'y tient est en français, a pour thème « … »
# et compte déjà le maximum d'initiatives (2)". It read "l'atelier y est en français ;
# l'atelier y a pour thème « … » ; l'atelier y compte déjà le maximum d'initiatives"
# (and "its workshop is in fr; its workshop's theme is …; its workshop already has …"),
# machine output in the grid the coordinators print; before that "atelier en anglais ;
# atelier sur le thème « Confiance »", notes rather than sentences.
WORKSHOP_IS = _template(CAUSE, "its workshop {trait}", "l'atelier qui s'y tient {trait}")
WORKSHOP_IS_AND = _template(
    CAUSE,
    "its workshop {traits} and {trait}",
    "l'atelier qui s'y tient {traits} et {trait}",
)
IS_IN = _template(TRAIT, "is in {language}", "est en {language}")
HAS_THEME = _template(TRAIT, "has the theme {theme}", "a pour thème {theme}")
HAS_MOST_KEYNOTES = _template(
    TRAIT,
    "already has the most keynotes allowed ({allowed})",
    "compte déjà le maximum de keynotes ({allowed})",
)
HAS_MOST_INITIATIVES = _template(
    TRAIT,
    "already has the most initiatives allowed ({allowed})",
    "compte déjà le maximum d'initiatives ({allowed})",
)
HOLDS_APART = _template(
    TRAIT,
    "holds {ids}, from which the proposal must stay apart",
    "comprend {ids}, dont elle doit rester séparée",
)
# files written before 2026-12-06 say a slot's workshop a cause at a time ("its
# workshop is in fr; its workshop's theme is data; its workshop already has the most
# keynotes allowed; it must stay apart from k2, which is there"): still read, in one
# sentence too (`_one_subject`); "its workshop is in fr" alone is `WORKSHOP_IS`'s
HAD_MOST_KEYNOTES = _template(
    TRAIT, "already has the most keynotes allowed", "compte déjà le maximum de keynotes"
)
HAD_MOST_INITIATIVES = _template(
    TRAIT, "already has the most initiatives allowed", "compte déjà le maximum d'initiatives"
)
WORKSHOP_THEME = _template(
    CAUSE, "its workshop's theme is {theme}", "l'atelier qui s'y tient a pour thème {theme}"
)
APART_FROM_ONE = _template(
    CAUSE,
    "it must stay apart from {ids}, which is there",
    "l'atelier qui s'y tient comprend {ids}, dont elle doit rester séparée",
)
APART_FROM_MANY = _template(
    CAUSE,
    "it must stay apart from {ids}, which are there",
    "l'atelier qui s'y tient comprend {ids}, dont elle doit rester séparée",
)
NO_MINUTES = _template(
    CAUSE,
    "not enough minutes left in its workshop ({minutes} min; with it, {needed} needed)",
    "il ne reste plus assez de temps dans l'atelier (le créneau dure {minutes}\u00a0min, "
    "il en faudrait {needed} avec elle)",
)
LEFT_EMPTY = _template(WHY, "left empty; {empty}", "créneau laissé vide\u00a0; {empty}")
NO_OPENER = _template(
    EMPTY,
    "a workshop needs {amount}, and no {language} {kind} sharing a theme with it can be "
    "placed there",
    "tout atelier doit comporter au moins {amount}, et aucune {kind} en {language} "
    "partageant un thème avec cette proposition ne peut y être placée",
)
NO_OPENER_ANY = _template(
    EMPTY,
    "a workshop needs {amount}, and no {kind} sharing a theme with it can be placed there",
    "tout atelier doit comporter au moins {amount}, et aucune {kind} partageant un thème "
    "avec cette proposition ne peut y être placée",
)
"""`NO_OPENER` where workshops may mix languages: one in any language would do."""
FEW_OPENERS = _template(
    EMPTY,
    "a workshop needs {amount}, and only {ids} could join it there",
    "tout atelier doit comporter au moins {amount}, et il n'y a que {ids} pour l'y rejoindre",
)
OPENERS_ELSEWHERE = _template(
    EMPTY,
    "a workshop needs {amount}, and those that could join it there are placed elsewhere "
    "({elsewhere})",
    "tout atelier doit comporter au moins {amount}, et celles qui pourraient l'y rejoindre "
    "sont déjà placées ailleurs ({elsewhere})",
)
PLACEMENTS = _template(ELSEWHERE, "{placements}", "{placements}")
PLACEMENTS_AND_MORE = _template(ELSEWHERE, "{placements} and {more} more", "{placements} et {more}")
PLACED_IN = _template(PLACEMENT, "{proposal} in {slot}", "{proposal} dans {slot}")
ONE_KEYNOTE = _template(AMOUNT, "1 keynote", "une keynote")
KEYNOTES = _template(AMOUNT, "{count} keynotes", "{count} keynotes")
ONE_INITIATIVE = _template(AMOUNT, "1 initiative", "une initiative")
INITIATIVES = _template(AMOUNT, "{count} initiatives", "{count} initiatives")

# -- the other searches' -------------------------------------------------------------

NOT_PLACED = _template(
    REASON,
    "the greedy baseline found no workshop with room, a shared theme and language, and free "
    "speakers",
    "la méthode gloutonne de référence n'a trouvé aucun atelier ayant de la place, un thème "
    "et une langue en commun, et des intervenant·es disponibles",
)
NOT_PLACED_YET = _template(REASON, "not placed", "non placée")
NEW_SINCE = _template(
    REASON,
    "not in the solution file: the instance gained it since that solution was solved",
    "absente du fichier de solution\u00a0: ajoutée à l'instance depuis que cette solution "
    "a été calculée",
)


# -- explain's findings about one proposal (explain.per_proposal_findings) -------------
# A proposal is labelled by its id, format and language code: "p01 (keynote, fr)".

NO_SLOT_AT_ALL = _template(
    FINDING,
    "{proposal} ({kind}, {code}) has no slot it could go to: {reasons}",
    "{proposal} ({kind}, {code}) ne peut aller dans aucun créneau — {reasons}",
)
NO_KEYNOTE_EVER = _template(
    FINDING,
    "{proposal} ({kind}, {code}) is an initiative, and no keynote in its language that "
    "shares one of its themes ({themes}) can go to any of its slots ({candidates}): every "
    "workshop needs a keynote",
    "{proposal} ({kind}, {code}) est une initiative, et aucune keynote de sa langue "
    "partageant l'un de ses thèmes ({themes}) ne peut aller dans l'un de ses créneaux "
    "({candidates})\u00a0: tout atelier doit comporter une keynote",
)
NO_KEYNOTE_EVER_MIXED = _template(
    FINDING,
    "{proposal} ({kind}, {code}) is an initiative, and no keynote that shares one of its "
    "themes ({themes}) can go to any of its slots ({candidates}): every workshop needs a "
    "keynote",
    "{proposal} ({kind}, {code}) est une initiative, et aucune keynote partageant l'un de "
    "ses thèmes ({themes}) ne peut aller dans l'un de ses créneaux ({candidates})\u00a0: "
    "tout atelier doit comporter une keynote",
)
PINS_HOLD_IT = _template(
    FINDING,
    "{proposal} ({kind}, {code}) cannot be where pins hold it: {reasons}",
    "{proposal} ({kind}, {code}) ne peut pas être placée là où elle est épinglée — {reasons}",
)
IT_WAS_GIVEN = _template(
    FINDING,
    "{proposal} ({kind}, {code}) cannot be where it was given: {reasons}",
    "{proposal} ({kind}, {code}) ne peut pas être placée là où elle a été présentée — {reasons}",
)

# -- the rules of explain's conflict (explain._ConflictModel) ---------------------------

MUST_BE_PLACED = _template(
    RULE,
    # (English quotes in English: it read "p36 «Données de santé …» (initiative, fr)")
    "{proposal} “{title}” ({kind}, {code}) must be placed",
    "{proposal} «\u00a0{title}\u00a0» ({kind}, {code}) doit être programmée",
)
GIVEN_IN_BEGUN = _template(
    RULE,
    "{proposal} was given in {slot}, which began before the kept moment",
    "{proposal} a été présentée dans le créneau {slot}, commencé avant le moment donné à "
    "--keep-before",
)
PINNED_TO_SLOT = _template(
    RULE, "{proposal} is pinned to slot {slot}", "{proposal} est épinglée au créneau {slot}"
)
SPEAKER_AVAILABLE_ONLY = _template(
    RULE,
    "{name} ({speaker}) is available only {windows}",
    "{name} ({speaker}) n'est disponible que {windows}",
)
SPEAKER_NEVER_AVAILABLE = _template(
    RULE,
    "{name} ({speaker}) is never available (" + NO_WINDOW + ")",
    "{name} ({speaker}) n'est jamais disponible (sa liste `available` est vide)",
)
SPEAKER_UNAVAILABLE = _template(
    RULE,
    "{name} ({speaker}) is unavailable {spans}",
    "{name} ({speaker}) est indisponible {spans}",
)
SPEAKER_ONLY_AND_UNAVAILABLE = _template(
    RULE,
    "{name} ({speaker}) is available only {windows} and is unavailable {spans}",
    # ("et pas toute la journée du mer. 2 déc." read as "not the whole day")
    "{name} ({speaker}) n'est disponible que {windows}, et est indisponible {spans}",
)
SPEAKER_NEVER_AND_UNAVAILABLE = _template(
    RULE,
    "{name} ({speaker}) is never available (" + NO_WINDOW + ") and is unavailable {spans}",
    "{name} ({speaker}) n'est jamais disponible (sa liste `available` est vide), ni {spans}",
)
ONE_LANGUAGE = _template(
    RULE, "every workshop speaks one language", "tout atelier se tient en une seule langue"
)
THEME_OF_EACH = _template(
    RULE,
    "a workshop's theme must be one of each of its proposals' themes",
    "le thème d'un atelier doit figurer parmi les thèmes de chacune de ses propositions",
)
AT_LEAST = _template(
    RULE, "every workshop needs at least {amount}", "tout atelier doit comporter au moins {amount}"
)
AT_MOST = _template(
    RULE, "a workshop holds at most {amount}", "un atelier accueille au plus {amount}"
)
CLOSED = _template(RULE, "slot {slot} is closed", "le créneau {slot} est fermé par la coordination")
BEGUN_EMPTY = _template(
    RULE,
    "slot {slot} has begun with no workshop kept there",
    "le créneau {slot} a commencé sans atelier conservé",
)
BEGUN = _template(
    RULE,
    "slot {slot} has begun: only its published workshop's proposals go there",
    "le créneau {slot} a commencé\u00a0: seules les propositions de son atelier publié peuvent "
    "y figurer",
)
FROZEN = _template(
    RULE,
    "slot {slot} is frozen: only its pinned proposals go there",
    "le créneau {slot} est figé\u00a0: seules les propositions qui y sont épinglées "
    "peuvent y figurer",
)
BEGAN_IN_LANGUAGE = _template(
    RULE,
    "slot {slot} began as a workshop in {language}, kept as published",
    "le créneau {slot} a commencé avec un atelier en {language}, conservé tel que publié",
)
RESERVED_LANGUAGE = _template(
    RULE,
    "slot {slot} is reserved for {language} workshops",
    "le créneau {slot} est réservé aux ateliers en {language}",
)
BEGAN_WITH_THEME = _template(
    RULE,
    "slot {slot} began as a workshop of theme {theme}, kept as published",
    "le créneau {slot} a commencé avec un atelier ayant pour thème {theme}, conservé tel que "
    "publié",
)
RESERVED_THEME = _template(
    RULE,
    "slot {slot} is reserved for theme {theme}",
    "le créneau {slot} est réservé au thème {theme}",
)
NOT_IN_PARALLEL = _template(
    RULE,
    "{name} ({speaker}) speaks in {ids} and cannot be in two parallel workshops",
    "{name} ({speaker}) intervient dans {ids}, et ne peut pas être dans deux ateliers en parallèle",
)
SHARE = _template(RULE, "{ids} must share a workshop", "{ids} doivent être dans le même atelier")
NOT_SHARE = _template(
    RULE, "{ids} must not share a workshop", "{ids} ne doivent pas être dans le même atelier"
)
OUT_OF_TIME = _template(
    RULE,
    "the search ran out of time before finding a conflict; try a longer --time-limit",
    "la recherche a manqué de temps avant de trouver un conflit\u00a0; essayez un "
    "--time-limit plus long",
)

# -- what the slots' lengths add to a conflict (explain._lengths) -----------------------

_LENGTHS = "with the slots' lengths: every workshop holds "
_LENGTHS_FR = "compte tenu de la durée des créneaux\u00a0: tout atelier comporte "
# (with the proposals named: a workshop of one keynote alone may fit those slots)
_TOO_SHORT = ", which {slots} are too short for with the proposals above"
_TOO_SHORT_FR = ", ce qui, avec les propositions ci-dessus, ne tient pas dans {slots}"
HOLDS_PARTS = _template(
    LENGTHS,
    _LENGTHS + "{parts} and {last}" + _TOO_SHORT,
    _LENGTHS_FR + "{parts} et {last}" + _TOO_SHORT_FR,
)
HOLDS_PART = _template(
    LENGTHS, _LENGTHS + "{last}" + _TOO_SHORT, _LENGTHS_FR + "{last}" + _TOO_SHORT_FR
)
OPENING_PART = _template(PART, "{minutes} min of opening", "{minutes}\u00a0min d'ouverture")
TALKS_PART = _template(PART, "its talks", "ses interventions")
PARTICIPATORY_PART = _template(
    PART,
    "at least {minutes} min of participatory time per keynote",
    "au moins {minutes}\u00a0min de temps participatif par keynote",
)
AT_LEAST_PART = _template(PART, "at least {amount}", "au moins {amount}")
CHANGEOVER_PART = _template(
    PART,
    "{minutes} min of changeover per talk",
    "{minutes}\u00a0min de battement par intervention",
)
CLOSING_PART = _template(PART, "{minutes} min of closing", "{minutes}\u00a0min de clôture")


# -- lists and counts, as the templates word them ----------------------------------


_AMOUNTS = {"keynote": (ONE_KEYNOTE, KEYNOTES), "initiative": (ONE_INITIATIVE, INITIATIVES)}


def amount(count: int, noun: str) -> str:
    """'1 keynote', '2 keynotes' (`noun`: keynote or initiative)."""
    one, many = _AMOUNTS[noun]
    return one.format() if count == 1 else many.format(count=count)


def workshop_is(traits: list[str]) -> str:
    """What a slot's workshop is and holds (`TRAIT` phrases, at least one), in one
    sentence: "its workshop is in fr, has the theme data and already has …"."""
    if len(traits) == 1:
        return WORKSHOP_IS.format(trait=traits[0])
    return WORKSHOP_IS_AND.format(traits=traits[:-1], trait=traits[-1])


def slots_named(ids: list[str], shown: int, every: bool = False, other: bool = False) -> str:
    """Where a reason holds: the slot ids, or the first `shown` of them and how many
    more, or with `every` (they are all the instance's slots, more than `shown`) how
    many, or with `other` (all but one, the pin's) how many."""
    if every and len(ids) > shown:
        return EVERY_SLOT.format(count=len(ids))
    if other and len(ids) > shown:
        return EVERY_OTHER_SLOT.format(count=len(ids))
    if len(ids) <= shown:
        return SLOT_IDS.format(ids=ids)
    return SLOTS_AND_MORE.format(ids=ids[:shown], more=len(ids) - shown)


def placed_elsewhere(placements: list[tuple[str, str]], shown: int) -> str:
    """Proposals and the slots they are in, the first `shown` of them and how many more."""
    items = [PLACED_IN.format(proposal=p, slot=s) for p, s in placements]
    if len(items) <= shown:
        return PLACEMENTS.format(placements=items)
    return PLACEMENTS_AND_MORE.format(placements=items[:shown], more=len(items) - shown)


# -- reading a stored reason back ----------------------------------------------------


def translate(text: str, lang: str) -> str:
    """A stored reason in `lang` ("fr" or "en"); a text the catalog cannot read whole is
    returned as it is."""
    if lang != "fr":
        return text
    found = french(text)
    return text if found is None else found


def worded(text: str, lang: str) -> str:
    """A stored reason as the grid's reader gets it in `lang`: in French (`french`), or
    in English (`english`) rather than as stored; a text the catalog cannot read whole
    is returned as it is."""
    found = french(text) if lang == "fr" else english(text)
    return text if found is None else found


def french(text: str, within: str = REASON) -> str | None:
    """The French of a stored reason (or of a phrase that stands `within` a category),
    or None when the catalog cannot read the whole of it."""
    return _read(text, "fr", within)


def english(text: str, within: str = REASON) -> str | None:
    """A stored reason worded for a reader in English, as `french` words it in French:
    the slots it holds for first, languages in words, spans with an en dash, themes by
    their labels where told (`theme_labels`). The stored English is the solver's
    ("its workshop is in en; its workshop's theme is data-commons: tue-late-aud"), which
    the English grid printed as it was. None when the catalog cannot read it whole."""
    return _read(text, "en", within)


def _read(text: str, lang: str, within: str) -> str | None:
    for template in _members(within):
        match = template.pattern.fullmatch(text)
        if match is None:
            continue
        fields = {name: _field(name, value, lang) for name, value in match.groupdict().items()}
        if None not in fields.values():
            return template.worded(lang).format(**fields)
    return None


_THEME_LABELS: ContextVar[Mapping[str, str] | None] = ContextVar("theme_labels", default=None)
THEME_FIELDS = ("theme", "themes")
QUOTES = {"fr": ("«\u00a0", "\u00a0»"), "en": ("“", "”")}


@contextmanager
def theme_labels(labels: Mapping[str, str], lang: str = "fr") -> Iterator[None]:
    """Within the block, `french` (or `english`, with `lang` "en") gives a theme by its
    label (theme id -> label in that language) between quotes, not by its id: "l'atelier
    sur le thème « Confiance »" where it read "thème trust", English amid French. The
    stored reasons keep the ids."""
    opening, closing = QUOTES[lang]
    token = _THEME_LABELS.set({k: f"{opening}{v}{closing}" for k, v in labels.items()})
    try:
        yield
    finally:
        _THEME_LABELS.reset(token)


def _field(name: str, value: str, lang: str) -> str | None:
    """A field's text in `lang`: each piece of a list, joined that language's way."""
    field = FIELDS[name]
    pieces = _pieces(field, value) if field.sep else [value]
    if name == "causes":
        pieces = _one_subject(pieces)
    rendered = []
    for piece in pieces:
        if name in THEME_FIELDS:
            piece = (_THEME_LABELS.get() or {}).get(piece, piece)
        elif field.within is not None:
            piece = "" if field.optional and not piece else _read(piece, lang, field.within)
        elif lang == "fr" and field.french is not None:
            piece = field.french(piece)
        elif lang != "fr" and field.english is not None:
            piece = field.english(piece)
        if piece is None:
            return None
        rendered.append(piece)
    if not field.sep:
        return rendered[0]
    return (field.sep_fr if lang == "fr" else field.sep).join(rendered)


def _traits(cause: str) -> list[str] | None:
    """The `TRAIT` phrases of a cause about a slot's workshop, as this version writes it
    or as older files do a cause at a time; None for another cause."""
    for template in (WORKSHOP_IS, WORKSHOP_IS_AND):
        if match := template.pattern.fullmatch(cause):
            found = match.groupdict()
            listed = _pieces(FIELDS["traits"], found["traits"]) if "traits" in found else []
            return [*listed, found["trait"]]
    if match := WORKSHOP_THEME.pattern.fullmatch(cause):
        return [HAS_THEME.format(theme=match["theme"])]
    for template in (APART_FROM_ONE, APART_FROM_MANY):
        if match := template.pattern.fullmatch(cause):
            return [HOLDS_APART.format(ids=match["ids"])]
    return None


def _one_subject(causes: list[str]) -> list[str]:
    """The causes of one slot with those about its workshop in one sentence, as files
    written before 2026-12-06 did not (a cause at a time, "l'atelier y …" three times)."""
    merged: list[str] = []
    run: list[str] = []
    for cause in [*causes, None]:
        traits = None if cause is None else _traits(cause)
        if traits is not None:
            run += traits
            continue
        if run:
            merged.append(workshop_is(run))
            run = []
        if cause is not None:
            merged.append(cause)
    return merged


def _pieces(field: Field, text: str) -> list[str]:
    """A list field's text cut into its pieces: at the first separator where what comes
    before is a piece and what follows a list (a piece may hold the separator itself, as
    "not enough minutes left in its workshop (60 min; with it, 90 needed)" does)."""
    piece = re.compile(_piece_pattern(field), re.DOTALL)
    rest = re.compile(_field_pattern(field), re.DOTALL)
    start = 0
    while (at := text.find(field.sep, start)) >= 0:
        after = at + len(field.sep)
        if piece.fullmatch(text, 0, at) and rest.fullmatch(text, after):
            return [text[:at], *_pieces(field, text[after:])]
        start = at + 1
    return [text]


@cache
def _members(within: str) -> list[Template]:
    return [t for t in CATALOG if within in t.within]


@cache
def _compiled(template: Template) -> re.Pattern:
    return re.compile(_pattern(template, named=True), re.DOTALL)


@cache
def _pattern(template: Template, named: bool) -> str:
    """The English text as a regular expression: its words as written, each field as
    what it may hold (named groups only at the top: a nested phrase's are read again)."""
    parts = []
    for literal, name, _, _ in Formatter().parse(template.en):
        parts.append(re.escape(literal))
        if name is not None:
            body = _field_pattern(FIELDS[name])
            parts.append(f"(?P<{name}>{body})" if named else f"(?:{body})")
    return "".join(parts)


def _piece_pattern(field: Field) -> str:
    """What one piece of a field may be: its pattern, or any phrase of its category."""
    if field.within is None:
        return f"(?:{field.pattern})"
    return "(?:" + "|".join(f"(?:{_pattern(t, False)})" for t in _members(field.within)) + ")"


def _field_pattern(field: Field) -> str:
    """What a field may hold: a piece, or a list of them; or nothing, where optional."""
    piece = _piece_pattern(field)
    if field.sep:
        piece = f"{piece}(?:{re.escape(field.sep)}{piece})*"
    return f"{piece}?" if field.optional else piece


# -- a proposal's reasons in one line (`solve`'s summary, the grid's list) ---------------
# Every slot a proposal could not go to counted under one cause: the first, in this
# order, of the causes its reason gives for that slot (what nothing in the schedule can
# change first: the speaker's absence, the slot itself, then what its workshop is, then
# who is in it). Read from the stored reasons through the templates that wrote them, so
# a solution file read back (the grid's) gives the same line as the solve that wrote it.

GIST_CAUSES: dict[str, tuple[str, str]] = {
    # cause: (English, French), after a number of slots; "{s}" the French plural's
    # (« l'intervenant·e » named one speaker, of a keynote of two: « un·e » is right for
    # both)
    "absent": ("speaker absent", "où un·e intervenant·e est absent·e"),
    "closed": ("closed", "fermé{s}"),
    "begun": ("begun or frozen", "commencé{s} ou figé{s}"),
    "pinned": ("pinned elsewhere", "autre{s} que celui où elle est épinglée"),
    "reserved theme": ("reserved for another theme", "réservé{s} à un autre thème"),
    "reserved language": ("reserved for another language", "réservé{s} à une autre langue"),
    "short": ("too short", "trop court{s}"),
    "format": ("not open to its format", "fermé{s} à son format"),
    "partner": ("partner cannot go", "impossible{s} pour une proposition à programmer avec elle"),
    "language": ("other language", "dans une autre langue"),
    "theme": ("other theme", "sur un autre thème"),
    "busy": ("speaker busy elsewhere", "où un·e intervenant·e intervient ailleurs au même moment"),
    "full": ("full", "complet{s}"),
    "apart": ("holds one to keep apart", "avec une proposition à tenir à l'écart"),
    "empty": ("empty (nobody free to open a workshop)", "vide{s} (personne pour ouvrir l'atelier)"),
    "cheaper": (
        "no hard rule (left out as cheaper)",
        "sans règle stricte (la laisser de côté coûte moins cher)",
    ),
    "other": ("other", "autre{s}"),
}
"""The causes a summary counts slots under, in the order a slot's first cause is taken."""

_EXCLUSION_CAUSES = {
    "absent": (UNAVAILABLE, AVAILABLE_ONLY, NEVER_AVAILABLE),
    "closed": (SLOT_CLOSED,),
    "begun": (SLOT_FROZEN, SLOT_BEGUN, SLOT_BEGUN_EMPTY, KEPT_IN),
    "pinned": (PINNED_ELSEWHERE,),
    "reserved theme": (THEME_FIXED,),
    "reserved language": (LANGUAGE_FIXED,),
    "short": (SLOT_TOO_SHORT,),
    "format": (KEYNOTE_NOT_ALLOWED, INITIATIVE_NOT_ALLOWED),
    "partner": (PARTNER_CANNOT, TOGETHER_MISFIT, TOGETHER_AWAY),
    "busy": (SPEAKER_BUSY, SPEAKER_BUSY_BY_ID),
    "full": (NO_MINUTES,),
    "empty": (NO_OPENER, NO_OPENER_ANY, FEW_OPENERS, OPENERS_ELSEWHERE),
    "cheaper": (NOTHING_KEEPS_IT_OUT,),
}
_TRAIT_CAUSES = {
    "language": (IS_IN,),
    "theme": (HAS_THEME,),
    "full": (HAS_MOST_KEYNOTES, HAS_MOST_INITIATIVES, HAD_MOST_KEYNOTES, HAD_MOST_INITIATIVES),
    "apart": (HOLDS_APART,),
}


@dataclass(frozen=True)
class Gist:
    """A proposal's reasons in brief: how many slots each cause rules out (`counts`,
    most first), and the reasons that name no slots (a pin's, no theme), as stored."""

    slots: int
    counts: tuple[tuple[str, int], ...]
    whole: tuple[str, ...]

    def worded(self, lang: str, whole: bool = True) -> str:
        """'84 slots: 41 other theme, 28 speaker absent, 9 full', in `lang`, then (unless
        not `whole`) the reasons naming no slots, in `lang`, "; " between."""
        parts = []
        if self.slots:
            said = []
            plural = "x" if lang == "fr" else "s"
            for cause, n in self.counts:
                english, french = GIST_CAUSES[cause]
                text = french.format(s="s" if n > 1 else "") if lang == "fr" else english
                said.append(f"{n} {text}")
            noun = ("créneau" if lang == "fr" else "slot") + ("" if self.slots == 1 else plural)
            colon = "\u00a0:" if lang == "fr" else ":"
            parts.append(f"{self.slots} {noun}{colon} {', '.join(said)}")
        parts += [translate(reason, lang) for reason in self.whole] if whole else []
        return ("\u00a0; " if lang == "fr" else "; ").join(parts)


def gist(reasons: list[str]) -> Gist:
    """A proposal's stored reasons in brief (`Gist`): each slot counted once, under the
    first (in `GIST_CAUSES`' order) of the causes the reasons naming it give, so that the
    counts add up to the slots named (a slot named twice, as a hand-edited or older file
    may, is one slot). Slots only counted cannot be told apart: "every slot (84)" is
    all the slots, those named under an earlier cause apart; a cause's "and 3 more" is
    counted once, the largest if several reasons of that cause say it."""
    order = list(GIST_CAUSES)
    first: dict[str, int] = {}  # a slot id: the rank of its first cause
    more: dict[int, int] = {}  # a cause's rank: the slots it counts without their ids
    every: tuple[int, int] | None = None  # (rank, count) of the first "every slot"
    whole = []
    for reason in reasons:
        match = AT_SLOTS.pattern.fullmatch(reason)
        named = None if match is None else _slots_named(match["slots"])
        if named is None:
            whole.append(reason)
            continue
        ids, count, all_of_them = named
        found = _why_causes(match["why"])
        cause = next((c for c in GIST_CAUSES if c in found), "other")
        rank = order.index(cause)
        if all_of_them:
            every = min(every or (rank, count), (rank, count))
            continue
        for slot in ids:
            first[slot] = min(rank, first.get(slot, rank))
        if count:
            more[rank] = max(more.get(rank, 0), count)
    ranks: dict[int, int] = dict(more)
    for rank in first.values():
        ranks[rank] = ranks.get(rank, 0) + 1
    if every is not None:
        rank, count = every
        ranks = {r: n for r, n in ranks.items() if r < rank}
        if rest := count - sum(ranks.values()):
            ranks[rank] = max(rest, 0)
    counts = {order[rank]: n for rank, n in sorted(ranks.items()) if n}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
    return Gist(sum(counts.values()), tuple(ranked), tuple(whole))


def _slots_named(slots: str) -> tuple[list[str], int, bool] | None:
    """The slot ids a reason's `SLOTS` phrase names, how many more it counts without
    naming them, and whether those are every slot (or every other one); None: not a
    `SLOTS` phrase."""
    for template in (EVERY_SLOT, EVERY_OTHER_SLOT):
        if match := template.pattern.fullmatch(slots):
            return [], int(match["count"]), True
    if match := SLOTS_AND_MORE.pattern.fullmatch(slots):
        return _pieces(FIELDS["ids"], match["ids"]), int(match["more"]), False
    if match := SLOT_IDS.pattern.fullmatch(slots):
        return _pieces(FIELDS["ids"], match["ids"]), 0, False
    return None


def _why_causes(why: str) -> set[str]:
    """The `GIST_CAUSES` a reason's `WHY` phrase gives (empty: the catalog cannot read it)."""
    found: set[str] = set()
    if match := LEFT_EMPTY.pattern.fullmatch(why):
        inner = _why_causes(match["empty"])
        return inner or {"empty"}
    if match := CAUSES.pattern.fullmatch(why):
        for cause in _pieces(FIELDS["causes"], match["causes"]):
            traits = _traits(cause)
            if traits is None:
                found |= _causes_of(cause, _EXCLUSION_CAUSES)
            else:
                for trait in traits:
                    found |= _causes_of(trait, _TRAIT_CAUSES)
        return found
    return _causes_of(why, _EXCLUSION_CAUSES)


def _causes_of(text: str, causes: Mapping[str, tuple[Template, ...]]) -> set[str]:
    return {
        cause
        for cause, templates in causes.items()
        if any(t.pattern.fullmatch(text) for t in templates)
    }
