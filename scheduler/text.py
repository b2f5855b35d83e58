"""Human-readable times and spans in the event's timezone, lists of ids and counts."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.instance import Instance

DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAYS_FR = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
MONTHS_FR = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)

WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS_FR_FULL = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""Full names, for a day in a sentence (« le jeudi 3 décembre », as `day_label`): « du
jeu. 3 déc. » read « du jeu »."""


def fmt_span(instance: Instance, start: datetime, end: datetime) -> str:
    """'Tue 1 Dec 14:00–16:00', an en dash as every message writes a time range (or with
    both dates when the span crosses midnight); a
    span of whole days, from a midnight to a midnight, 'all day Tue 1 Dec' or 'all day
    Tue 1 Dec to Thu 3 Dec' (its last day: a speaker away all of 1 December read
    'unavailable Tue 1 Dec 00:00 to Wed 2 Dec 00:00')."""
    a, b = instance.local(start), instance.local(end)
    if a.time() == b.time() == time(0) and b.date() > a.date():
        last = b.date() - timedelta(days=1)
        if last == a.date():
            return f"all day {day_en(a)}"
        return f"all day {day_en(a)} to {day_en(last)}"
    head = f"{day_en(a)} {a:%H:%M}"
    if a.date() == b.date():
        return f"{head}\u2013{b:%H:%M}"
    return f"{head} to {day_en(b)} {b:%H:%M}"


def day_en(day: date) -> str:
    """'Tue 1 Dec': a day in English, its number not zero-padded, as every message, the
    calendars and `diff` write it."""
    return f"{DAYS_EN[day.weekday()]} {day.day} {day:%b}"


def moment_label(
    instance: Instance,
    moment: datetime,
    lang: str = "en",
    seconds: bool = False,
    year: bool = False,
) -> str:
    """'Wed 2 Dec 10:50' or 'mer. 2 déc. 10:50' (the grid's '1er' on the first), with
    ':SS' after it with `seconds`, and the year before the time with `year` ('Wed 2
    Dec 2026 10:50', 'mer. 2 déc. 2026 10:50'). The day is `day_en`'s: it read 'Wed 02
    Dec' where the reasons, the validator and `diff` wrote 'Wed 2 Dec'."""
    local = instance.local(moment)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    when = f" {local.year}" if year else ""
    if lang != "fr":
        return f"{day_en(local)}{when} {clock}"
    number = "1er" if local.day == 1 else str(local.day)
    return f"{DAYS_FR[local.weekday()]} {number} {MONTHS_FR[local.month - 1]}{when} {clock}"


def name_and_affiliation(name: str, affiliation: str = "") -> str:
    """'Ana Martin (Université A)', or the name alone without an affiliation. An
    affiliation's own parentheses are not nested in the speaker's (« Claire Dumontet
    (Institut des communs numériques (association)) » is avoided in French and English
    typography): a closing '(…)' becomes a comma, 'Claire Dumontet (Institut des communs
    numériques, association)', unless the affiliation has a comma already (the comma
    would read as a list), where they become brackets, as the rule for parentheses within
    parentheses has them: 'Nadia Haddad (CNRS, Centre de recherche … [CERUN])'."""
    if not affiliation:
        return name
    affiliation = _unenclosed(affiliation)
    return f"{name} ({_unnested(affiliation)})" if affiliation else name


_CLOSING_PART = re.compile(r"([^(),\[\]]*[^(),\[\]\s])\s*\(([^(),\[\]]+)\)")


def _depths(text: str) -> list[int] | None:
    """The parenthesis depth after each character of `text`; None when its parentheses
    do not balance (a ')' with none open, or one left open)."""
    depth, depths = 0, []
    for char in text:
        depth += (char == "(") - (char == ")")
        if depth < 0:
            return None
        depths.append(depth)
    return depths if depth == 0 else None


def _unenclosed(affiliation: str) -> str:
    """An affiliation typed wholly in parentheses, as the form's presenters cell asks
    for ('(CNRS)'), without them: the speaker's own are put around it."""
    text = affiliation.strip()
    while text.startswith("(") and text.endswith(")"):
        depths = _depths(text)
        if depths is None or 0 in depths[:-1]:  # ('(A) (B)': not one pair around it)
            break
        text = text[1:-1].strip()
    return text if text != affiliation.strip() else affiliation


def _unnested(affiliation: str) -> str:
    if "(" not in affiliation and ")" not in affiliation:
        return affiliation
    if _depths(affiliation) is None:  # ('CNRS (UMR', 'ACME :)'): left as typed
        return affiliation
    closing = _CLOSING_PART.fullmatch(affiliation.strip())
    if closing:
        return f"{closing[1]}, {closing[2].strip()}"
    return affiliation.replace("(", "[").replace(")", "]")


LANGUAGE_FR = {"fr": "français", "en": "anglais", "mixed": "mixte"}
"""A language's name in French."""

LANGUAGE_EN = {"fr": "French", "en": "English", "mixed": "mixed"}
"""A language's name in English."""

MORE_FR = "et {} autres"
"""`first_of`'s `more` in French (« et 1 autre » for one: `more_of` says it). It read
« et 2 de plus », a calque of "and 2 more", where `diff` and the reasons say « et 2
autres »."""


def more_of(count: int, more: str = "and {} more") -> str:
    """How many more a list leaves out, as `more` says it: 'and 2 more', 'et 2 autres',
    'et 1 autre'."""
    if more == MORE_FR and count == 1:
        return "et 1 autre"
    return more.format(count)


def first_of(ids: list[str], shown: int = 10, more: str = "and {} more") -> str:
    """The ids, or when there are more than `shown`, the first of them and how many more
    (a reason once named 317 slots, a summary 118 workshops); `more` says it in another
    language."""
    if len(ids) <= shown:
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} {more_of(len(ids) - shown, more)}"


def plural(count: int, noun: str) -> str:
    """'1 proposal', '2 proposals'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def plural_fr(count: int, one: str, many: str | None = None) -> str:
    """'1 atelier', '0 atelier', '2 ateliers', '3 créneaux' (`many` where it is not
    `one` and an s)."""
    return f"{count} {one if count < 2 else many or one + 's'}"


def counted(count: int, lang: str, noun: str, one: str, many: str | None = None) -> str:
    """`plural(count, noun)` in English, `plural_fr(count, one, many)` in French: '2
    rows', '2 lignes'; '1 calendar', '1 calendrier'."""
    return plural_fr(count, one, many) if lang == "fr" else plural(count, noun)


def have_no_theme(count: int, lang: str = "en") -> str:
    """'1 proposal has no theme yet', '3 proposals have no theme yet' (or in French)."""
    if lang == "fr":
        has = "n'a" if count < 2 else "n'ont"
        return f"{plural_fr(count, 'proposition')} {has} pas encore de thème"
    return f"{plural(count, 'proposal')} {'has' if count == 1 else 'have'} no theme yet"


class Bilingual(str):
    """An English text that carries its French (`fr`), for what is said before the
    language is known (`import`'s notes, built while the tables are read, printed in the
    language of `--lang`). It is the English wherever a str is used (tests read it so);
    `in_language` gives the French. Joined or formatted into another string, a text
    keeps only its English: build the French beside it."""

    fr: str

    def __new__(cls, en: str, fr: str) -> Bilingual:
        text = super().__new__(cls, en)
        text.fr = fr
        return text


def in_language(text: str, lang: str) -> str:
    """`text` for a reader in `lang`: a `Bilingual`'s French in French, else the text
    itself."""
    if lang == "fr" and isinstance(text, Bilingual):
        return text.fr
    return str(text)


def guillemets(text: str) -> str:
    """'«\u00a0text\u00a0»', as French quotes a title, a name or a cell's text (the
    no-break spaces keep the marks on its line)."""
    return f"«\u00a0{text}\u00a0»"


def timezone_assumed(instance: Instance, lang: str = "en") -> str | None:
    """The note of `solve` and `export` when the instance gives no `event.timezone`: its
    default, Paris's, was taken without a word, and an event in London got its calendars
    an hour off. None when it gives one."""
    if instance.event.timezone_given:
        return None
    zone = instance.event.timezone
    if lang == "fr":
        return (
            f"event.timezone n'est pas indiqué\u00a0: le fuseau {zone} est supposé\u00a0; "
            "indiquez-le pour un événement ailleurs"
        )
    return f"event.timezone not given: {zone} assumed; set it for an event elsewhere"


def held_marks(text: str) -> str:
    """`text` with each space before « ? ! : ; » » a no-break one (U+00A0), so that no
    line starts with the mark: a title typed the French way, "open source ?", put "? »"
    alone on a line. For what is laid out to be read (the console, the grid), not for
    the text of the files other tools search and copy (calendars, `diff`'s report)."""
    return re.sub(r" (?=[?!:;»])", "\u00a0", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""The control characters (Unicode's Cc) but tab, line feed and carriage return."""


def control_character(text: str) -> str | None:
    """What is wrong with a text holding a control character other than a tab or a line
    break (an escape, a bell, a vertical tab pasted from a PDF or Word, or written as
    `"\\e"` or `"\\u0001"` in a YAML or JSON string): "holds the control character U+001B
    at character 7 (pasted from a PDF?): remove it"; None for a text without one. The
    spreadsheets refuse them (`export xlsx` ended in a traceback) and the calendars
    may not hold them."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    return (
        f"holds the control character U+{ord(found.group()):04X} at character "
        f"{found.start() + 1} (pasted from a PDF?): remove it"
    )
