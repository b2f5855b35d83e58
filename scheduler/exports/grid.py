"""Printable grid: landscape pages per day (its rooms, and where needed its hours, split over
several), rooms as columns, workshops as blocks to scale.

The layout is computed here, in millimetres, so that Chromium (screen, screenshots) and
WeasyPrint (PDF) place every block at the same spot; the template only writes it out,
with autoescaping on for every piece of user text.
"""

from __future__ import annotations

import gc
import logging
import math
import os
import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType

import jinja2
from markupsafe import Markup, escape

from scheduler import __version__
from scheduler.diff import Placement, compare, placements
from scheduler.exports import grid_fonts, metrics
from scheduler.exports.common import (
    SPOKEN,
    Output,
    by_importance,
    day_label,
    kind_label,
    label,
    language_badge,
    room_name,
    short_day,
    speakers_line,
    speakers_named,
    theme_label,
    unplaced,
)
from scheduler.files import terminated_as_exit
from scheduler.instance import Instance, Proposal, Slot
from scheduler.reasons import gist, theme_labels, worded
from scheduler.solution import ItemKind, Solution, Workshop
from scheduler.text import (
    LANGUAGE_FR,
    MORE_FR,
    counted,
    first_of,
    held_marks,
    plural,
    plural_fr,
)

logger = logging.getLogger(__name__)

PAPERS: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
"""Landscape width and height in millimetres."""

# Page furniture, in millimetres.
MARGIN = 8.0
HEADER = 8.0
"""A day page's heading, on one line: the day in large type on the left, the event and
its venue on the right (on two lines it took 11.5 mm of the axis)."""
ROOM_HEAD = 5.0
ROOM_PT = [8.5, 8.0, 7.5, 7.0, 6.5, 6.0]
"""Sizes of the room names (pt), the largest first: a column's name wraps, on two lines
at most where one of these allows, the heading growing down into the page's axis (cut
with an ellipsis, "Amphithéâtre Jean-Baptiste Say (niveau -1)" printed as
"Amphithéâtre Jean-Ba…", and rooms could not be told apart)."""
ROOM_PT_ONE_LINE = [9.5, 9.0]
"""Larger sizes of the room names, where each holds on one line, for the text of the
blocks under them may now be up to 10 pt (`FONT_STEPS`); a line of 9.5 pt still fits
`ROOM_HEAD`."""
ROOM_LINE_HEIGHT = 1.15
SAFETY = 3.0
BREAK = 4.0
LEGEND_PT = 7.0
AXIS = 11.0
GAP = 2.0
BLOCK_PADDING = 1.2
BLOCK_INSET = 1.4 + 0.9 + BLOCK_PADDING + 0.2  # (`BAR`)
"""Millimetres of a block's width its text cannot use: the theme's border on the left and
the padding beside it, the padding and the border on the right."""
SPARE_LINES = 0.25
"""Lines a block keeps free beyond its text as wrapped, a margin only. Measured in
Chromium on the bundled, hostile and tiny instances and the 40, 150 and 600 rungs, on
A4 and A3, in French and English (1576 blocks), with the text wrapped at the font's
advances (`metrics`): with none spared, every block fitted, the tightest with 0.08 of
a line left; with these, the tightest has a quarter of a line left (and so on the
2000 rung). At one mean advance a character, a line more and a tenth a line per item
were spared, and the bundled blocks were left a fifth to a third empty."""
HEADER_GAP = 0.4
"""Millimetres under a block's header."""
BLOCK_BORDERS = 2 * 0.5
"""Millimetres of a block's height its top and bottom borders take, as thick as a
changed block's (`.workshop.changed`)."""
BOLD = 1.1
"""How much wider a bold character is than a regular one, about."""
PX_PER_MM = 96 / 25.4
PT_TO_MM = 25.4 / 72
LINE_HEIGHT = 1.18
# Mean advance of a DejaVu Sans character, on the high side (measured in Chromium on the
# bundled and test instances); the room names and the legend are wrapped word by word at
# it (`Paragraph`), the blocks' text at the font's own advances (`metrics`).
CHAR_WIDTH_EM = 0.55
FONT_STEPS = [x / 4 for x in range(40, 19, -1)]  # 10pt down to 5pt
"""The sizes a block's text may take, the largest first. They stopped at 8.5 pt, and the
bundled workshops on A3, on pages of two or three rooms, were printed at 8.5 pt in
blocks left half empty."""
MIN_FONT = FONT_STEPS[-1]

# Okabe-Ito colours (distinguishable with common colour-vision deficiencies).
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
BAR = 1.4
"""The width of a block's theme bar, its left border, in millimetres."""
PATTERNS = ("solid", "hatched", "dashed", "double")
"""How a theme's bar is drawn, a round of the palette each: past eight themes the
colours came round again, and at 12 themes "Open models" and "Culture" were the same
orange on one page and in the legend. In the legend's swatch the pattern shows as
stripes: diagonal, across, or down."""


def _bar_image(colour: str, pattern: str) -> str:
    """The patterned bar as a CSS image (of a `solid` one, none), white between its
    strokes. Painted on an element of its own (`.workshop::before`): WeasyPrint paints a
    gradient past the size it is given as a layer of the block's background."""
    # (one position a stop: WeasyPrint drops a gradient whose stops have two)
    stops = {
        "hatched": ("135deg", "{c} 0, {c} 0.6mm, #fff 0.6mm, #fff 1.1mm"),
        "dashed": ("180deg", "{c} 0, {c} 1.6mm, #fff 1.6mm, #fff 2.4mm"),
        "double": ("90deg", "{c} 0, {c} 0.45mm, #fff 0.45mm, #fff 0.95mm, {c} 0.95mm, {c} 1.4mm"),
    }
    if pattern not in stops:
        return ""
    angle, colours = stops[pattern]
    return f"repeating-linear-gradient({angle}, {colours.format(c=colour)})"


def tint(colour: str, amount: float) -> str:
    """`colour` mixed with white: 0 keeps it, 1 gives white."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(c + (255 - c) * amount) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


@dataclass(frozen=True)
class ThemeStyle:
    index: int
    label: str
    colour: str
    background: str
    pattern: str = "solid"
    letter: str = ""
    """The theme's letter (`A`, `B`, … `Z`, `AA`, …), printed in its blocks and its
    legend's key: a black-and-white print greys the colours, and the first eight
    themes' bars and swatches, told apart by colour alone, then looked the same."""

    @property
    def bar(self) -> str:
        """The bar's CSS image when it is patterned, else empty."""
        return _bar_image(self.colour, self.pattern)

    @property
    def border(self) -> str:
        """The left border's colour: the theme's, or none under a patterned bar."""
        return "transparent" if self.bar else self.colour

    @property
    def swatch(self) -> str:
        """The legend's swatch: the colour, striped as the bar is."""
        return self.bar or self.colour


@dataclass
class Line:
    time: str
    kind: str
    title: str = ""
    title_lang: str | None = None
    speakers: str = ""
    note: str = ""
    tag: str = ""
    """The talk's language (`FR`, `EN`) in a mixed workshop, whose badge says only
    `FR + EN`: a title need not be in its talk's language."""
    note_lang: str | None = None
    """The language the participatory format is written in, its keynote's: it inherited
    the page's, and an English grid read a French format with an English voice."""
    speakers_lang: str | None = None
    """The talk's language, when it is not the page's: the affiliations are written in
    it (*Université de Val-de-Seine, laboratoire Droit…* in the English grid)."""
    was: str = ""
    """Where the talk was in the published programme, when it moved into this block
    since (`--reference`), after the label (*avant :* / *was:*): the reprinted grid
    said only that the block changed, and an attendee holding the old programme could
    not find the talk."""
    was_label: str = ""

    def paragraphs(self) -> list[Paragraph]:
        """Its text as the block lays it out: the item's line (its time in bold, its
        kind in small capitals, its tag a badge), whose later lines hang under the time,
        then the speakers on lines of their own, indented as those."""
        runs = [Run(self.time, bold=True), Run(" "), Run(self.kind.upper(), **KIND)]
        if self.tag:
            runs += [Run(" "), _badge(self.tag, TAG_EM, TAG_PADDING)]
        if self.title:
            runs += [Run(" "), Run(self.title)]
        runs.append(Run(self.note))
        lines = [
            Paragraph(_run_words(runs), first=0.0, rest=HANG_EM, space=SPACE_EM, glyph=GLYPH_EM)
        ]
        if self.speakers:
            words = _run_words([Run(self.speakers)])
            lines.append(
                Paragraph(words, first=HANG_EM, rest=HANG_EM, space=SPACE_EM, glyph=GLYPH_EM)
            )
        if self.was:
            words = _run_words([Run(f"{self.was_label} {self.was}")])
            lines.append(
                Paragraph(words, first=HANG_EM, rest=HANG_EM, space=SPACE_EM, glyph=GLYPH_EM)
            )
        return lines


@dataclass(frozen=True)
class Gone:
    """A talk of the workshop published in a slot emptied or closed since: its published
    start, its title, and where it went (*→ jeu. 14:05, Salle Seine*) or that it is no
    longer in the programme."""

    time: str
    title: str
    title_lang: str | None
    went: str

    def paragraph(self) -> Paragraph:
        runs = [Run(self.time, bold=True), Run(f" {self.title} {self.went}")]
        return Paragraph(_run_words(runs), rest=HANG_EM, space=SPACE_EM, glyph=GLYPH_EM)


HANG_EM = 2.9
"""The hanging indent of an item's later lines, in em (`.workshop li` in the template)."""


@dataclass(frozen=True)
class Paragraph:
    """A run of text wrapped at spaces: its words' lengths in characters, and the indent
    of its first and of its later lines, in em."""

    words: tuple[float, ...]
    first: float = 0.0
    rest: float = 0.0
    space: float = 1.0
    """The width of a space between two words, in the words' unit."""
    glyph: float = 0.0
    """The widest character, in the words' unit: a word broken over lines breaks
    between two characters, and each line it fills holds up to that much less than
    its width (counted in full, 13 mm columns of the 600 rung on A4 overflowed by up to
    14 lines, their words broken a character a line)."""

    def lines(self, width: float, em: float) -> int:
        """Lines it takes in `width` (in characters; an em is `em` characters), wrapped
        greedily at spaces as a browser does, a word longer than a line broken where it
        reaches the line's end, its rest going on at the start of the next
        (`overflow-wrap: anywhere`: unbroken, a 120-character title ran 30 mm under the
        next room's block)."""
        first = max(width - self.first * em, 1.0)
        rest = max(width - self.rest * em, 1.0)
        count, used, room = 1, 0.0, first
        for word in self.words:
            if used and used + self.space + word > room:
                count, used, room = count + 1, 0.0, rest
            elif used:
                used += self.space
            while used + word > room:
                word -= max(room - used - self.glyph, room / 2)  # (a character at least)
                count, used, room = count + 1, 0.0, rest
            used += word
        return count


CAPITAL = 1.25
"""How much wider than the mean advance a capital letter or a digit is in DejaVu Sans,
about (its capitals average 0.68 em, its digits 0.64, its text 0.55 at most), where the
mean advance is counted (`_words`)."""


def _words(text: str, scale: float = 1.0) -> tuple[float, ...]:
    """Each word's width, in mean characters."""
    return tuple(
        sum(CAPITAL if c.isupper() or c.isdigit() else 1.0 for c in word) * scale
        for word in text.split()
    )


@dataclass(frozen=True)
class Run:
    """A piece of a block's text in one style: its size in em of the block's text, its
    weight, its letter spacing in em of its own size, and any width more in em of the
    block's (a badge's padding)."""

    text: str
    size: float = 1.0
    bold: bool = False
    spacing: float = 0.0
    extra: float = 0.0


SPACE_EM = metrics.advance(" ")
BOLD_SPACE_EM = metrics.advance(" ", bold=True)
GLYPH_EM = max(
    metrics.MISSING,
    *(w for table in (metrics.REGULAR, metrics.BOLD) for c, w in table.items() if c.isalpha()),
)
"""The widest letter, in em (`Paragraph.glyph`): bold Œ, 1.17 em (an em, which it was,
is narrower than bold Œ, Æ and W)."""
KIND = {"size": 0.86, "spacing": 0.02}
"""An item's kind, in capitals (`.workshop .kind`)."""
TAG_EM = 0.8
TAG_PADDING = 2 * (0.6 + 0.2)
"""A talk's language tag's size, in em of the text around it, and its padding and
border across, in millimetres (`.badge.tag`; a badge's are `BADGE_EM`, `BADGE_PADDING`)."""
BREAKS = frozenset(" \t\n\r\f")
"""The characters a line breaks at: a no-break space holds its words together (*Temps
participatif : …*, *→ mer. 10:05*)."""


def _badge(text: str, size: float, padding_mm: float) -> Run:
    """A badge as one word (an inline block: never broken), its padding counted at the
    smallest size, where it is the most em."""
    joined = "\u00a0".join(text.split())
    return Run(joined, size=size, bold=True, extra=padding_mm / (MIN_FONT * PT_TO_MM))


def _run_words(runs: list[Run]) -> tuple[float, ...]:
    """Each word's width in em of the block's text, at DejaVu Sans's advances
    (`metrics`): a word runs on across runs until a space."""
    words: list[float] = []
    width, open_word = 0.0, False
    for run in runs:
        table = metrics.BOLD if run.bold else metrics.REGULAR
        for char in run.text:
            if char in BREAKS:
                if open_word:
                    words.append(width)
                width, open_word = 0.0, False
            else:
                width += (table.get(char, metrics.MISSING) + run.spacing) * run.size
                open_word = True
        if run.extra:
            width, open_word = width + run.extra, True
    if open_word:
        words.append(width)
    return tuple(words)


@dataclass
class Block:
    left: float
    top: float
    width: float
    height: float
    span: str
    theme: ThemeStyle | None = None
    badge: str = ""
    lines: list[Line] = field(default_factory=list)
    font_pt: float = 8.0
    free: bool = False
    changed: bool = False
    """The slot's workshop differs from the published programme's (`--reference`)."""
    empty: str = "no_workshop"
    """What a block without a workshop says, as a label's key: `no_workshop`,
    `closed_slot` (closed), or `emptied` (its published workshop cancelled). (It read
    *libre* / *free*, which attendees read as an open session or free entry.)"""
    gone: list[Gone] = field(default_factory=list)
    """In a slot emptied or closed since the published programme, the talks published
    there and where each went (it read only *annulé* / *fermé*)."""
    room: str = ""
    """The room's name, in the block's own text (hidden where its column's heading shows
    it): read aloud, in DOM order or from the PDF's text, a block said nothing of its
    room, which only its position told."""


@dataclass
class Column:
    name: str
    left: float
    width: float


def room_heading(names: list[str], width: float) -> tuple[float, float]:
    """The font size (pt) of a page's room names and the height (mm) of their heading,
    its names wrapped in columns `width` mm wide: the largest of `ROOM_PT_ONE_LINE` at
    which each takes one line, else the largest of `ROOM_PT` at which each takes two
    lines at most (a word too long for a line broken, as `overflow-wrap` does), and
    at least `ROOM_HEAD`."""
    for pt, most in [(pt, 1) for pt in ROOM_PT_ONE_LINE] + [(pt, 2) for pt in ROOM_PT]:
        chars = max(width - 1.0, 2.0) / (CHAR_WIDTH_EM * pt * PT_TO_MM)
        lines = max((_heading_lines(name, chars) for name in names), default=1)
        if lines <= most:
            break
    line = pt * PT_TO_MM * ROOM_LINE_HEIGHT
    return pt, max(ROOM_HEAD, lines * line + 1.0)


def _heading_lines(name: str, chars: float) -> int:
    """Lines a room name takes in a line of `chars` characters."""
    return Paragraph(_words(name, BOLD)).lines(chars, 1 / CHAR_WIDTH_EM)


@dataclass
class Hour:
    label: str
    top: float


@dataclass
class Day:
    """One page of the grid: a day, or one part of its rooms when they take several."""

    date: date
    label: str
    columns: list[Column]
    hours: list[Hour]
    breaks: list[tuple[float, float]]
    blocks: list[Block]
    height: float
    legend: float
    part: int = 1
    parts: int = 1
    span: str = ""
    """The hours the page shows (`09:00–12:30`) when the day's hours take several pages."""
    room_pt: float = ROOM_PT[0]
    room_head: float = ROOM_HEAD
    """The size of the room names and the height of their heading (`room_heading`)."""
    rooms: str = ""
    """The rooms it shows, when its hours' rooms take several pages (`rooms_heading`)."""

    @property
    def anchor(self) -> str:
        """The page's HTML id: the day's date, and its part when it has several."""
        suffix = f"-{self.part}" if self.parts > 1 else ""
        return f"day-{self.date.isoformat()}{suffix}"


@dataclass
class Geometry:
    paper: str
    width: float
    height: float

    @property
    def content_width(self) -> float:
        return self.width - 2 * MARGIN

    def body_height(self, legend: float) -> float:
        """Millimetres of the time axis once the header, room names and legend are placed."""
        return self.height - 2 * MARGIN - HEADER - legend - ROOM_HEAD - SAFETY

    @property
    def pixels(self) -> tuple[int, int]:
        """The page in CSS pixels, for a screenshot of exactly one page."""
        return round(self.width * PX_PER_MM), round(self.height * PX_PER_MM)


def geometry(paper: str) -> Geometry:
    width, height = PAPERS[paper]
    return Geometry(paper, width, height)


def fit_font(paragraphs: list[Paragraph], width_mm: float, height_mm: float) -> tuple[float, bool]:
    """The largest font size (pt) at which the paragraphs fit a block of this size, and
    whether any does (else the smallest)."""
    for pt in FONT_STEPS:
        if _fits(paragraphs, width_mm, height_mm, pt):
            return pt, True
    return MIN_FONT, False


def _fits(paragraphs: list[Paragraph], width_mm: float, height_mm: float, pt: float) -> bool:
    width = max(width_mm - BLOCK_INSET, 2.0) / (pt * PT_TO_MM)  # the ems a line holds
    lines = sum(p.lines(width, 1.0) for p in paragraphs)
    lines += SPARE_LINES
    room = height_mm - 2 * BLOCK_PADDING - BLOCK_BORDERS - HEADER_GAP
    return lines * pt * PT_TO_MM * LINE_HEIGHT <= room


def needed_width(
    paragraphs: list[Paragraph], height_mm: float, widest: float, pt: float = MIN_FONT
) -> float | None:
    """The narrowest column (to 0.5 mm) in which the paragraphs fit their block at `pt`
    (by default the smallest font); None if they do not fit even `widest`."""
    if not _fits(paragraphs, widest, height_mm, pt):
        return None
    low, high = 5.0, widest
    while high - low > 0.5:
        middle = (low + high) / 2
        if _fits(paragraphs, middle, height_mm, pt):
            high = middle
        else:
            low = middle
    return high


READABLE_PT = 6.25
"""The size a day's pages are cut for, above `SMALL_PT`: its hours and its rooms take
as many pages as let every workshop be printed this large where a page of its run's
hours alone, in the widest column, can, and the others fit at all. Cut only for the
text to fit at 5 pt, 32 one-hour workshops in four rooms went on one A4 page at 5.5 pt
where two pages of half a day print them at 8.5; on first-fit schedules, the 600 rung
on A4 then took 24 pages with 38 workshops at 6 pt or less, 26 pages with none now,
and the 2000 rung 57 pages with 217, now 69 with none (on A3, 13 and 30 pages as
before, with none at 6 pt or less instead of 16 and 120)."""


WIDE_ENOUGH = 65.0
"""The widest column a page is split for (four rooms on A4, five on A3). A block that
needs more is too short for its text (a long workshop in a short slot), which a wider
column barely helps: at 2000 proposals one such block put two rooms a page, sixteen
pages for one day, and still overflowed."""


def split_rooms(rooms: list, widths: list[float], room_for: float) -> list[list]:
    """The day's rooms in as few pages as give every column the width its blocks need
    (`widths`, one per block, up to `WIDE_ENOUGH`; `room_for`: the millimetres the
    columns share), the pages holding as many rooms each as they can evenly, in the
    instance's order."""
    need = min(max(widths, default=0.0), WIDE_ENOUGH)
    per_page = max(1, int((room_for + 1e-9) // (need + GAP))) if need else len(rooms)
    parts = max(1, math.ceil(len(rooms) / per_page))
    size, extra = divmod(len(rooms), parts)
    pages, start = [], 0
    for part in range(parts):  # the first `extra` pages hold one room more
        end = start + size + (part < extra)
        pages.append(rooms[start:end])
        start = end
    return pages


HEADING_PT = 14.0
ROOMS_PT = 10.0
EVENT_SIDE = 70.0
"""A day page's heading (`.day > header h1`), the rooms after it (`h1 .rooms`), and
the millimetres its line keeps for the event and venue on its right."""


def rooms_heading(heading: str, names: list[str], lang: str, width: float) -> str:
    """« Salles : Room 1, Room 2, Room 3 » ("Rooms: …"): the rooms a page shows, for
    its heading (and the PDF's bookmark) after the day's `heading`, when the day's rooms
    take several pages. On `width` millimetres less the event's side: their names all,
    else the first and the last (« Salles : Room 1 – Room 5 », the columns' order), the
    longer cut with "…" while even they are too long. The headings said only « Lundi 5
    juillet 2027 (1/5) », five alike in the PDF's bookmarks."""
    colon = "\u00a0: " if lang == "fr" else ": "
    start = label("rooms" if len(names) > 1 else "room", lang) + colon
    room = width - EVENT_SIDE - _text_mm(heading, HEADING_PT, bold=True)

    def fits(text: str) -> bool:
        return _text_mm(f"· {start}{text}", ROOMS_PT) <= room

    if fits(", ".join(names)):
        return start + ", ".join(names)
    if len(names) == 1:
        (name,) = names
        while not fits(name) and len(name) > 2:
            name = name[:-2].rstrip(" ,") + "…"
        return start + name
    first, last = names[0], names[-1]
    while not fits(f"{first} – {last}") and max(len(first), len(last)) > 2:
        if len(first) >= len(last):
            first = first[:-2].rstrip(" ,") + "…"
        else:
            last = last[:-2].rstrip(" ,") + "…"
    return f"{start}{first} – {last}"


def theme_styles(instance: Instance, lang: str) -> dict[str, ThemeStyle]:
    """A colour and a bar's pattern per theme, by its place in the instance, so it never
    depends on the solution."""
    styles = {}
    for i, theme in enumerate(instance.themes):
        colour = PALETTE[i % len(PALETTE)]
        pattern = PATTERNS[i // len(PALETTE) % len(PATTERNS)]
        label_ = theme.label.get(lang)
        background = tint(colour, 0.8)
        styles[theme.id] = ThemeStyle(i, label_, colour, background, pattern, theme_letter(i))
    return styles


def theme_letter(index: int) -> str:
    """The letter of the theme at `index` (from 0): `A` to `Z`, then `AA`, `AB`, … as
    spreadsheet columns go."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


LOOKS = len(PALETTE) * len(PATTERNS)
"""Themes told apart by their colour and bar; past them, looks come round again."""


def _warn_looks(instance: Instance, messages: str = "en") -> None:
    if len(instance.themes) > LOOKS and messages == "fr":
        logger.warning(
            "%d thèmes, et la grille a %d apparences pour eux (une couleur et le motif d'une "
            "barre)\u00a0: à partir du thème %d, chacun partage la sienne avec un thème "
            "précédent, distingué par sa lettre et son nom",
            len(instance.themes),
            LOOKS,
            LOOKS + 1,
        )
    elif len(instance.themes) > LOOKS:
        logger.warning(
            "%d themes, and the grid has %d looks for them (a colour and a bar's pattern): "
            "theme %d on share one with an earlier theme, told apart by its letter and name",
            len(instance.themes),
            LOOKS,
            LOOKS + 1,
        )


def _lines(
    instance: Instance, workshop: Workshop, lang: str, was: dict[str, str] | None = None
) -> list[Line]:
    """The workshop's timeline, a line per item; a talk moved into it since the published
    programme with where it was (`was`, by proposal)."""
    was = was or {}
    colon = "\u00a0: " if lang == "fr" else ": "  # ("Participatory time : …" in English)
    mixed = workshop.language == "mixed"
    lines = []
    for item in workshop.items:
        if item.end == item.start and item.kind not in SPOKEN:
            # (an opening, closing or participatory time of no minutes, under rules that
            # allow 0, read "14:25 Temps participatif" at the closing's minute)
            continue
        time = f"{instance.local(item.start):%H:%M}"
        kind = kind_label(item.kind, lang)
        if item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
            proposal = instance.proposal_by_id[item.proposal]
            lines.append(
                Line(
                    time,
                    kind,
                    title=held_marks(proposal.title),
                    title_lang=proposal.language.value,
                    speakers=speakers_line(instance, proposal),
                    speakers_lang=None
                    if proposal.language.value == lang
                    else proposal.language.value,
                    tag=language_badge(proposal.language.value) if mixed else "",
                    was=was.get(proposal.id, ""),
                    was_label=label("was", lang),
                )
            )
        elif item.kind == ItemKind.PARTICIPATORY:
            keynote = instance.proposal_by_id[item.proposal]
            fmt = keynote.participatory_format
            note = f"{colon}{fmt}" if fmt else ""
            lines.append(Line(time, kind, note=note, note_lang=keynote.language.value))
        else:
            lines.append(Line(time, kind))
    return lines


@dataclass(frozen=True)
class Segment:
    """A run of whole hours holding slots; the hours between two segments are left out."""

    start: datetime
    end: datetime

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


AXIS_STEP = 30
"""Minutes the time axis is rounded to at each end of a run of slots: a day whose
sessions start at 09:30 and end at 11:30 drew its axis from 09:00 to 12:00 (whole
hours), a quarter of the page's height for no slot at all."""
LEFT_OUT = 30
"""The shortest wait between slots (minutes, after that rounding) left out of the axis
as a hatched band, as lunch is: a half-hour break between two sessions took a tenth of
the bundled Tuesday's axis, blank, where its four workshops were printed at 6.25 to
7 pt."""


def segments(spans: list[tuple[datetime, datetime]]) -> list[Segment]:
    """Slot spans widened to whole half-hours (`AXIS_STEP`) and merged where less than
    `LEFT_OUT` minutes part them."""
    merged: list[Segment] = []
    step = timedelta(minutes=AXIS_STEP)
    for start, end in sorted(spans):
        first = start.replace(second=0, microsecond=0)
        first -= timedelta(minutes=first.minute % AXIS_STEP)
        last = end.replace(second=0, microsecond=0)
        last -= timedelta(minutes=last.minute % AXIS_STEP)
        if last < end:
            last += step
        if merged and first - merged[-1].end < timedelta(minutes=LEFT_OUT):
            merged[-1] = Segment(merged[-1].start, max(merged[-1].end, last))
        else:
            merged.append(Segment(first, last))
    return merged


class TimeAxis:
    """Minutes to millimetres: linear inside a segment, a fixed band for each gap between them."""

    def __init__(self, parts: list[Segment], height: float, top: float = ROOM_HEAD):
        self.parts = parts
        self.top = top
        minutes = sum(p.minutes for p in parts)
        self.scale = (height - BREAK * (len(parts) - 1)) / minutes

    def y(self, moment: datetime) -> float:
        offset = self.top
        for part in self.parts:
            if moment <= part.end:
                return offset + max(0.0, (moment - part.start).total_seconds() / 60) * self.scale
            offset += part.minutes * self.scale + BREAK
        return offset - BREAK

    def hours(self) -> list[Hour]:
        """A mark at each end of every run of hours shown (09:30, 11:30), and at every
        whole hour between."""
        marks = []
        for part in self.parts:
            clock = part.start
            while clock <= part.end:
                marks.append(Hour(f"{clock:%H:%M}", self.y(clock)))
                clock = clock.replace(minute=0) + timedelta(hours=1)
            if marks[-1].label != f"{part.end:%H:%M}":
                marks.append(Hour(f"{part.end:%H:%M}", self.y(part.end)))
        return marks

    def breaks(self) -> list[tuple[float, float]]:
        """Top and height of each band standing for hours left out."""
        return [(self.y(part.end), BREAK) for part in self.parts[:-1]]


LEGEND_LINE = 1.4
"""The legend's line height, in em (`.legend` in the template)."""
LEGEND_TOP = 1.5
"""Millimetres above the legend (its `margin-top`)."""
LEGEND_SPARE = 0.5
"""Millimetres the legend keeps free under its lines."""
SWATCH = 3.0 + 1.0
"""A theme's swatch and the space after it, in millimetres (`.swatch`)."""
KEY_GAP = 3.0
"""The space after each key of the legend, in millimetres (`.legend .key`)."""
BADGE_EM = 0.92
BADGE_PADDING = 2 * 0.8
"""A badge's size, in em of the text around it, and its padding, in millimetres
(`.badge`)."""


def _text_mm(text: str, pt: float, bold: bool = False) -> float:
    """Millimetres a run of text takes on one line at `pt`, at the mean advance (its
    capitals and digits wider, `CAPITAL`; a space as wide as a character): on the high side."""
    words = _words(text, BOLD if bold else 1.0)
    return (sum(words) + max(len(words) - 1, 0)) * CHAR_WIDTH_EM * pt * PT_TO_MM


def _badge_mm(text: str, pt: float) -> float:
    return _text_mm(text, pt * BADGE_EM, bold=True) + BADGE_PADDING


LETTER_EM = 0.92
LETTER_PADDING = 2 * (0.5 + 0.2)
"""A theme's letter's size, in em of the text around it, and its padding and border
across, in millimetres (`.badge.letter`)."""


def _letter_mm(letter: str, pt: float) -> float:
    return _text_mm(letter, pt * LETTER_EM, bold=True) + LETTER_PADDING


def legend_keys(
    themes: list[tuple[str, str]], lang: str, marked: bool, mixed: bool = False
) -> list[float]:
    """The millimetres each piece of a page's legend takes on its line, in the
    template's order: the title, a key per theme (its swatch, its letter's badge and its
    label, of the `themes`' letters and labels), the languages'
    key (`FR` `EN` *langue*), when workshops mix languages their key (`FR + EN` *mixte…*)
    and, when blocks are marked as changed since the published programme, the mark's
    key (*modifié* depuis le programme publié). A line may break between two pieces,
    never inside one."""
    pt, space = LEGEND_PT, CHAR_WIDTH_EM * LEGEND_PT * PT_TO_MM
    keys = [_text_mm(label("legend", lang), pt, bold=True) + space]  # and its &nbsp;
    keys += [
        SWATCH + _letter_mm(letter, pt) + space + _text_mm(theme, pt) + KEY_GAP
        for letter, theme in themes
    ]
    languages = _badge_mm("FR", pt) + space + _badge_mm("EN", pt) + space
    keys.append(languages + _text_mm(label("language", lang), pt) + KEY_GAP)
    if mixed:
        badge = _badge_mm(label("mixed", lang), pt) + space
        keys.append(badge + _text_mm(label("mixed_key", lang), pt) + KEY_GAP)
    if marked:
        mark = _badge_mm(label("changed", lang), pt) + space
        keys.append(mark + _text_mm(label("changed_since", lang), pt) + KEY_GAP)
    return keys


def legend_lines(keys: list[float], width: float) -> int:
    """Lines the legend's pieces (`legend_keys`) take in `width` millimetres, filled
    greedily as a browser does, a space between two pieces on a line (a piece wider
    than a line overflows it)."""
    space = CHAR_WIDTH_EM * LEGEND_PT * PT_TO_MM
    lines, used = 1, 0.0
    for key in keys:
        if used and used + space + key > width:
            lines, used = lines + 1, key
        else:
            used += key + (space if used else 0.0)
    return lines


def legend_height(keys: list[float], width: float) -> float:
    """Millimetres the legend needs under the grid, its margin included: its pieces
    (`legend_keys`) wrapped at the page's `width`. The page is laid out to the
    millimetre, so a line more than this says spills the legend onto a page of its own
    (one line was counted for the themes, without the mark's key, and at 150
    proposals re-solved each A4 page of a half day took two sheets)."""
    return (
        LEGEND_TOP + legend_lines(keys, width) * LEGEND_PT * PT_TO_MM * LEGEND_LINE + LEGEND_SPARE
    )


def changed_slots(solution: Solution, reference: Solution | None) -> set[str]:
    """Slots whose workshop differs from the reference's: opened, emptied, or another
    room (a slot moved, `import --keep` keeping its id: its keynote said « initialement :
    …, Salle Seine » in a block not marked), theme, language or timeline (members and
    their times), or a member presented by others (a co-presenter gone or come, as
    `diff` says it: both files recorded them)."""
    if reference is None:
        return set()
    now = {w.slot: w for w in solution.workshops}
    before = {w.slot: w for w in reference.workshops}
    presented = compare(reference, solution).presenters
    return {
        slot
        for slot in now.keys() | before.keys()
        if slot not in now
        or slot not in before
        or (now[slot].room, now[slot].theme, now[slot].language, now[slot].items)
        != (before[slot].room, before[slot].theme, before[slot].language, before[slot].items)
        or any(p in presented for p in now[slot].proposals)
    }


class Since:
    """What an attendee holding the published programme needs to find each talk on the
    grid printed after a re-solve: where a talk moved into a block was, where the talks
    of an emptied or closed slot went, and the talks no longer in the programme. The
    changes are `scheduler diff`'s (`compare`), so the grid and the diff agree."""

    def __init__(self, instance: Instance, solution: Solution, reference: Solution, lang: str):
        self.instance, self.reference, self.lang = instance, reference, lang
        self.changes = compare(reference, solution).changes
        self.now = placements(solution)
        self.published = {w.slot: w for w in reference.workshops}
        days = {instance.local(s.start).date() for s in instance.slots}
        days |= {instance.local(w.start).date() for w in reference.workshops}
        # "mer." alone is ambiguous when the event has two Wednesdays
        self.numbered = len({d.weekday() for d in days}) < len(days)

    def where(self, placement: Placement) -> str:
        """'mer. 10:05, Salle Puteaux': the day as short as the event allows, the talk's
        start as the grid writes times, its room."""
        start = self.instance.local(placement.start)
        day = short_day(start.date(), self.lang, self.numbered)
        # (no line break between the day and its time, nor after an arrow before them)
        return f"{day}\u00a0{start:%H:%M}, {room_name(self.instance, placement.room)}"

    def title(self, proposal_id: str) -> tuple[str, str | None]:
        """A proposal's title and language: by the instance, or, withdrawn from it, by
        the title the published solution recorded (by its id without one)."""
        proposal = self.instance.proposal_by_id.get(proposal_id)
        if proposal is not None:
            return held_marks(proposal.title), proposal.language.value
        # its published workshop's language, as the calendars take it (without one, an
        # English title was marked as the page's French, and read so aloud)
        workshop = self.reference.workshop_of().get(proposal_id)
        spoken = workshop.language if workshop and workshop.language in ("fr", "en") else None
        return held_marks(self.reference.titles.get(proposal_id, proposal_id)), spoken

    def was(self) -> dict[str, str]:
        """Proposal id -> where it was, for each talk now in another slot than published
        (`diff`'s *moved*; retimed in its workshop, a talk is where the block says)."""
        return {c.proposal: self.where(c.old) for c in self.changes if c.kind == "moved"}

    def gone(self, slot_id: str) -> list[Gone]:
        """The talks of the workshop published in `slot_id`, in its order, each with
        where it is now or that it is no longer in the programme."""
        workshop = self.published.get(slot_id)
        if workshop is None:
            return []
        found = []
        for item in workshop.items:
            if item.kind not in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
                continue
            title, lang = self.title(item.proposal)
            new = self.now.get(item.proposal)
            # (a talk still proposed, unscheduled now, read "withdrawn", as though its
            # speaker had withdrawn it)
            left = "unscheduled_talk" if item.proposal in self.instance.proposal_by_id else None
            went = (
                f"→\u00a0{self.where(new)}"
                if new
                else f"— {label(left or 'withdrawn_talk', self.lang)}"
            )
            found.append(Gone(f"{self.instance.local(item.start):%H:%M}", title, lang, went))
        return found

    def dropped(self, listed: bool = True) -> list[dict[str, str | None]]:
        """The talks of the published programme that are in none now, in the published
        order: withdrawn from the instance, or left unscheduled (*see the unscheduled
        list* when the grid has it, `listed`: the published grid has not)."""
        gone = sorted(
            (c for c in self.changes if c.kind == "disappeared"),
            key=lambda c: (c.old.start, c.proposal),
        )
        rows = []
        for change in gone:
            title, lang = self.title(change.proposal)
            proposal = self.instance.proposal_by_id.get(change.proposal)
            speakers = (
                proposal.speakers if proposal else self.reference.speakers.get(change.proposal, [])
            )
            scheduled_not = "not_scheduled" if listed else "unscheduled_talk"
            now = scheduled_not if proposal else "withdrawn_proposal"
            rows.append(
                {
                    "id": change.proposal,
                    "title": title,
                    "lang": lang,
                    # (a speaker gone from the instance as the reference named her)
                    "speakers": speakers_named(
                        self.instance,
                        speakers,
                        self.reference.speaker_labels(
                            lambda s: s not in self.instance.speaker_by_id
                        ),
                    ),
                    "was": self.where(change.old),
                    "now": label(now, self.lang),
                }
            )
        return rows


def sittings(slots: list) -> list[list]:
    """The day's slots (sorted by start) in runs whose spans overlap one another: a page
    may end between two runs, never inside one."""
    runs: list[list] = []
    end = None
    for slot in slots:
        if runs and slot.start < end:
            runs[-1].append(slot)
            end = max(end, slot.end)
        else:
            runs.append([slot])
            end = slot.end
    return runs


def split_hours(
    runs: list[list],
    fits: Callable[[list], bool],
    minutes: Callable[[list], float],
    at_break: Callable[[int], bool] | None = None,
) -> list[list]:
    """The runs of a day in as few consecutive groups as let each group's workshops fit
    their blocks on a page of their own hours (`fits(slots)`); among those, the fewest
    cuts inside the hours shown (`at_break(i)`: whether a cut before run i falls on
    hours left out anyway, such as lunch), then the groups whose axes
    (`minutes(slots)`) are the most even, the earlier groups the fuller on ties (as
    `split_rooms` does). A run that does not fit alone is a group of its own."""
    count = len(runs)

    def group(i: int, j: int) -> list:
        return [slot for run in runs[i:j] for slot in run]

    ok: dict[tuple[int, int], bool] = {}

    def allowed(i: int, j: int) -> bool:
        if (i, j) not in ok:
            ok[i, j] = j == i + 1 or fits(group(i, j))
        return ok[i, j]

    # fewest groups: the longest group from each start (fitting only shrinks as it grows)
    fewest, start = 0, 0
    while start < count:
        end = start + 1
        while end < count and allowed(start, end + 1):
            end += 1
        fewest, start = fewest + 1, end
    # best[k][j]: the best cut of the first j runs in k groups (the fewest cuts inside
    # the hours, then the least sum of the axes' squared minutes), and where its last
    # group starts
    best: list[dict[int, tuple[tuple[int, float], int]]] = [{0: ((0, 0.0), 0)}]
    for k in range(1, fewest + 1):
        row: dict[int, tuple[tuple[int, float], int]] = {}
        for j in range(1, count + 1):
            for i, ((inside, spread), _) in best[k - 1].items():
                if i < j and allowed(i, j):
                    cut_inside = 0 if i == 0 or at_break is None or at_break(i) else 1
                    value = (inside + cut_inside, spread + minutes(group(i, j)) ** 2)
                    # (whole hours: exact) ties: the later cut, the earlier pages fuller
                    if j not in row or value <= row[j][0]:
                        row[j] = (value, i)
        best.append(row)
    cuts, j = [], count
    for k in range(fewest, 0, -1):
        i = best[k][j][1]
        cuts.append((i, j))
        j = i
    return [group(i, j) for i, j in reversed(cuts)]


def build_days(
    instance: Instance,
    solution: Solution,
    lang: str,
    geo: Geometry,
    reference: Solution | None = None,
    messages: str = "en",
) -> list[Day]:
    """Pages of the grid: the days that have slots, each with the rooms that have slots that
    day, on as many pages as let every workshop's text fit its block where a wider
    column can (`split_rooms`), and a day's hours split over pages where a column as
    wide as `WIDE_ENOUGH` cannot (`split_hours`); with `reference`, the blocks whose
    workshop changed since it are marked. Its warnings are in `messages`."""
    layout = _Layout(instance, solution, lang, geo, reference)
    days = [page for day in sorted(layout.slots_by_day) for page in layout.day(day)]
    _warn_overflow(layout.overflowing, geo.paper, messages)
    if not layout.overflowing:  # (that warning already says to try A3)
        _warn_small(days, geo.paper, messages)
    _warn_looks(instance, messages)
    return days


@dataclass
class _Page:
    """One page's share of a day: its slots, its time axis, its rooms and the hours it
    shows (empty when the day is on one page of hours)."""

    slots: list
    axis: TimeAxis
    rooms: list
    shown: str
    split: bool = False
    """Whether the rooms of its hours take several pages (it shows some of them)."""


class _Layout:
    """What every page of one grid shares: each workshop's text, the legend, the body's
    height and the room the columns share."""

    def __init__(
        self,
        instance: Instance,
        solution: Solution,
        lang: str,
        geo: Geometry,
        reference: Solution | None,
    ):
        self.instance, self.lang = instance, lang
        self.room_index = {room.id: i for i, room in enumerate(instance.rooms)}
        self.changed = changed_slots(solution, reference)
        since = Since(instance, solution, reference, lang) if reference is not None else None
        was = since.was() if since is not None else {}
        styles = theme_styles(instance, lang)
        self.by_slot = {w.slot: w for w in solution.workshops}
        self.slots_by_day: dict[date, list] = {}
        for slot in instance.slots:
            # a slot closed since its workshop was published is drawn, cancelled: the
            # re-printed grid lost a room's column without a word
            if slot.closed and slot.id not in self.by_slot and slot.id not in self.changed:
                continue
            self.slots_by_day.setdefault(instance.local(slot.start).date(), []).append(slot)
        # every slot of a day is drawn on one of its pages: a changed one is a marked
        # block, and the legend then has the mark's key (`render_html`'s `marked`)
        marked = any(s.id in self.changed for day in self.slots_by_day.values() for s in day)
        used = {w.theme for w in solution.workshops}
        themes = [
            (styles[t.id].letter, styles[t.id].label) for t in instance.themes if t.id in used
        ]
        mixed = any(w.language == "mixed" for w in solution.workshops)
        self.legend = legend_height(legend_keys(themes, lang, marked, mixed), geo.content_width)
        self.body = geo.body_height(self.legend)
        self.room_for = geo.content_width - AXIS  # what the columns and their gaps share
        self.overflowing: list[str] = []  # slots whose workshop may not fit its block
        # each workshop's lines and their paragraphs (the header, in bold: the language
        # badge, the mark, the span and the theme)
        self.content: dict[str, tuple[ThemeStyle, list[Line], list[Paragraph]]] = {}
        for workshop in solution.workshops:
            style = styles[workshop.theme]
            lines = _lines(instance, workshop, lang, was)
            header = [_badge(language_badge(workshop.language), BADGE_EM, BADGE_PADDING)]
            if workshop.slot in self.changed:
                header += [Run(" "), _badge(label("changed", lang), BADGE_EM, BADGE_PADDING)]
            span = self.span(instance.slot_by_id[workshop.slot])
            header.append(Run(f" {span} · ", bold=True))
            header += [_badge(style.letter, LETTER_EM, LETTER_PADDING)]
            header.append(Run(f" {style.label}", bold=True))
            paragraphs = [Paragraph(_run_words(header), space=BOLD_SPACE_EM, glyph=GLYPH_EM)]
            paragraphs += [p for line in lines for p in line.paragraphs()]
            self.content[workshop.slot] = (style, lines, paragraphs)
        # an emptied or closed slot's published talks, and the text its block then holds,
        # counted as a workshop's is, where the pages are cut and the font chosen
        self.gone: dict[str, tuple[list[Gone], list[Paragraph]]] = {}
        for slot_id in sorted(self.changed - self.by_slot.keys()):
            gone = since.gone(slot_id) if since is not None else []
            if gone and slot_id in instance.slot_by_id:
                slot = instance.slot_by_id[slot_id]
                empty = "closed_slot" if slot.closed else "emptied"
                header = [_badge(label("changed", lang), BADGE_EM, BADGE_PADDING)]
                header.append(Run(f" {self.span(slot)} · {label(empty, lang)}"))
                paragraphs = [Paragraph(_run_words(header), space=SPACE_EM, glyph=GLYPH_EM)]
                paragraphs += [g.paragraph() for g in gone]
                self.gone[slot_id] = (gone, paragraphs)
        self.text = {slot: content[2] for slot, content in self.content.items()}
        self.text |= {slot: gone[1] for slot, gone in self.gone.items()}
        self.readable = self.readables()

    def order(self, slot: Slot) -> tuple[datetime, int]:
        """A slot's place on its page: by start, then as the columns go (the instance's
        rooms' order). The blocks are written in it, so that read in DOM order, or from
        the PDF's text, a row of blocks goes left to right (by the rooms' ids, the third
        column's block came before the second's)."""
        return slot.start, self.room_index[slot.room]

    def span(self, slot: Slot) -> str:
        local = self.instance.local
        return f"{local(slot.start):%H:%M}–{local(slot.end):%H:%M}"

    def axis_of(self, slots: list) -> TimeAxis:
        spans = [(self.instance.local(s.start), self.instance.local(s.end)) for s in slots]
        return TimeAxis(segments(spans), self.body)

    def widest(self, slots: list) -> float:
        """The widest column the slots' rooms can have: all on one page, or
        `WIDE_ENOUGH` on pages of fewer rooms."""
        rooms = len({s.room for s in slots})
        shared = (self.room_for - GAP * rooms) / rooms  # all on one page
        return max(min(WIDE_ENOUGH, self.room_for - GAP), shared)

    def fits(self, slots: list, readable: frozenset[str] = frozenset()) -> bool:
        """Whether every workshop fits its block on a page of these slots' hours, in the
        widest column their rooms can have: at `READABLE_PT` the `readable` ones, the
        others at all."""
        widest, axis = self.widest(slots), self.axis_of(slots)
        return all(
            _fits(
                self.text[slot.id],
                widest,
                _block_height(axis, self.instance, slot),
                READABLE_PT if slot.id in readable else MIN_FONT,
            )
            for slot in slots
            if slot.id in self.text
        )

    def readables(self) -> frozenset[str]:
        """The slots whose text fits at `READABLE_PT` on a page of their run of slots'
        hours alone, in the widest column: a day's pages may be cut for them to."""
        readable = set()
        for day in self.slots_by_day.values():
            for run in sittings(sorted(day, key=self.order)):
                widest, axis = self.widest(run), self.axis_of(run)
                for slot in run:
                    if slot.id in self.text:
                        height = _block_height(axis, self.instance, slot)
                        if _fits(self.text[slot.id], widest, height, READABLE_PT):
                            readable.add(slot.id)
        return frozenset(readable)

    def minutes(self, slots: list) -> float:
        return sum(part.minutes for part in self.axis_of(slots).parts)

    def pages(self, day: date, readable: frozenset[str] = frozenset()) -> list[_Page]:
        """The day's pages: its hours split where the blocks need it (the `readable`
        ones to be printed at `READABLE_PT`), each part's rooms split as the blocks'
        widths need."""
        slots = sorted(self.slots_by_day[day], key=self.order)
        runs = sittings(slots)

        def at_break(i: int) -> bool:
            """Whether hours are left out between runs i - 1 and i (a page ends there
            at no cost to the axis)."""
            return len(self.axis_of(sum(runs[i - 1 : i + 1], [])).parts) > 1

        hours = split_hours(runs, lambda group: self.fits(group, readable), self.minutes, at_break)
        pages = []
        for group in hours:
            group.sort(key=self.order)
            rooms = [r for r in self.instance.rooms if any(s.room == r.id for s in group)]
            axis = self.axis_of(group)
            widths = []  # the column width each block needs
            for slot in group:
                if slot.id in self.text:
                    height = _block_height(axis, self.instance, slot)
                    text, widest = self.text[slot.id], self.room_for - GAP
                    width = None
                    if slot.id in readable:
                        width = needed_width(text, height, widest, READABLE_PT)
                    if width is None:
                        width = needed_width(text, height, widest)
                    if width is not None:
                        widths.append(width)
            shown = ""
            if len(hours) > 1:
                shown = f"{self.instance.local(group[0].start):%H:%M}–"
                shown += f"{max(self.instance.local(s.end) for s in group):%H:%M}"
            chunks = split_rooms(rooms, widths, self.room_for)
            for chunk in chunks:
                pages.append(_Page(group, axis, chunk, shown, len(chunks) > 1))
        return pages

    def day(self, day: date) -> list[Day]:
        """The day's pages, laid out: cut for its workshops to be printed at
        `READABLE_PT` where a page of their run's hours can, else to fit."""
        pages = self.pages(day, self.readable)
        return [self.page(day, page, part, len(pages)) for part, page in enumerate(pages, 1)]

    def page(self, day: date, page: _Page, part: int, parts: int) -> Day:
        """One page: its room columns and the blocks of its slots, each workshop's text
        in the largest font its block holds."""
        col_width = (self.room_for - GAP * len(page.rooms)) / len(page.rooms)
        columns = [
            Column(room_name(self.instance, r.id), AXIS + GAP + i * (col_width + GAP), col_width)
            for i, r in enumerate(page.rooms)
        ]
        room_pt, room_head = room_heading([c.name for c in columns], col_width)
        axis = page.axis
        if room_head > ROOM_HEAD:  # names on more lines: the axis starts lower
            axis = TimeAxis(axis.parts, self.body - (room_head - ROOM_HEAD), room_head)
        left_of = {r.id: c.left for r, c in zip(page.rooms, columns, strict=True)}
        blocks = []
        for slot in (s for s in page.slots if s.room in left_of):
            top = axis.y(self.instance.local(slot.start))
            height = _block_height(axis, self.instance, slot)
            place = (left_of[slot.room], top, col_width, height, self.span(slot))
            room = room_name(self.instance, slot.room)
            changed = slot.id in self.changed
            if slot.id not in self.content:
                empty = "closed_slot" if slot.closed else "emptied" if changed else "no_workshop"
                gone, font_pt = [], FREE_PT
                if slot.id in self.gone:
                    gone, paragraphs = self.gone[slot.id]
                    # (as large as a workshop's: at 7 pt its list read smaller than the
                    # blocks around it on A3)
                    font_pt, fits_block = fit_font(paragraphs, col_width, height)
                    if not fits_block:
                        self.overflowing.append(slot.id)
                block = Block(
                    *place, free=True, font_pt=font_pt, changed=changed, empty=empty, room=room
                )
                block.gone = gone
                blocks.append(block)
                continue
            style, lines, paragraphs = self.content[slot.id]
            font_pt, fits_block = fit_font(paragraphs, col_width, height)
            if not fits_block:
                self.overflowing.append(slot.id)
            blocks.append(
                Block(
                    *place,
                    theme=style,
                    badge=language_badge(self.by_slot[slot.id].language),
                    lines=lines,
                    font_pt=font_pt,
                    changed=changed,
                    room=room,
                )
            )
        heading = day_label(day, self.lang)
        heading = heading[:1].upper() + heading[1:]
        heading += f" · {page.shown}" if page.shown else ""
        heading += f" ({part}/{parts})" if parts > 1 else ""
        shown = ""
        if page.split:
            names = [c.name for c in columns]
            shown = rooms_heading(heading, names, self.lang, self.room_for + AXIS)
        return Day(
            day,
            day_label(day, self.lang),
            columns,
            axis.hours(),
            axis.breaks(),
            blocks,
            ROOM_HEAD + self.body,
            self.legend,
            part,
            parts,
            page.shown,
            room_pt,
            room_head,
            shown,
        )


FREE_PT = 7.0
"""The size of a slot without a workshop's text (`.free`)."""


def _block_height(axis: TimeAxis, instance: Instance, slot: Slot) -> float:
    return axis.y(instance.local(slot.end)) - axis.y(instance.local(slot.start)) - 0.6


SMALL_PT = 6.0
"""Text this small (pt) or smaller does not read on a wall from a step away: A4 printed
the bundled instance at 5.25-7.5 pt, 5 of its 12 workshops at 6 pt or less; it prints
it at 6.5-9.5 now, A3 at 10."""


def _warn_small(days: list[Day], paper: str, messages: str = "en") -> None:
    """A note recommending A3 when workshops are printed at `SMALL_PT` or less on A4."""
    sizes = [b.font_pt for day in days for b in day.blocks if not b.free]
    small = [pt for pt in sizes if pt <= SMALL_PT]
    if paper == "A4" and small and messages == "fr":
        one = len(small) < 2
        logger.warning(
            "%s sur %d %s en %s\u00a0pt ou moins sur papier A4 (le plus petit en %s\u00a0pt), "
            "peu %s au mur\u00a0; --paper A3 %s plus grand%s",
            plural_fr(len(small), "atelier"),
            len(sizes),
            "est imprimé" if one else "sont imprimés",
            _pt_fr(SMALL_PT),
            _pt_fr(min(small)),
            "lisible" if one else "lisibles",
            "l'imprime" if one else "les imprime",
            "" if one else "s",
        )
    elif paper == "A4" and small:
        logger.warning(
            "%d of %d workshops are printed at %g pt or less on A4 paper (the smallest at "
            "%g pt), small to read on a wall; --paper A3 prints them larger",
            len(small),
            len(sizes),
            SMALL_PT,
            min(small),
        )


OVERFLOW_NAMED = 5
"""Slots named in the warning about workshops that may overflow their blocks."""


def _pt_fr(size: float) -> str:
    """A size in points as French writes it: '5,25', '6'."""
    return f"{size:g}".replace(".", ",")


def _warn_overflow(slots: list[str], paper: str, messages: str = "en") -> None:
    """One warning for every workshop that may overflow its block (at 600 proposals each
    of the 239 had a line of its own)."""
    if messages == "fr" and len(slots) == 1:
        logger.warning(
            "l'atelier du créneau %s risque de déborder de son bloc sur papier %s\u00a0; "
            "essayez --paper A3",
            slots[0],
            paper,
        )
    elif messages == "fr" and slots:
        more = len(slots) - OVERFLOW_NAMED
        logger.warning(
            "%d ateliers risquent de déborder de leurs blocs sur papier %s (créneaux %s)"
            "\u00a0; essayez --paper A3",
            len(slots),
            paper,
            first_of(slots, OVERFLOW_NAMED, MORE_FR),
        )
    elif len(slots) == 1:
        logger.warning(
            "the workshop in slot %s may overflow its block on %s paper; try --paper A3",
            slots[0],
            paper,
        )
    elif slots:
        named = ", ".join(slots[:OVERFLOW_NAMED])
        more = len(slots) - OVERFLOW_NAMED
        logger.warning(
            "%d workshops may overflow their blocks on %s paper (slots %s%s); try --paper A3",
            len(slots),
            paper,
            named,
            f" and {more} more" if more > 0 else "",
        )


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("scheduler.exports", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.filters["mm"] = lambda value: f"{value:.2f}mm"


_TEMPLATE_LABELS = (
    "legend",
    "unscheduled",
    "proposal",
    "format",
    "speakers",
    "reasons",
    "theme",
    "no_workshop",
    "closed_slot",
    "emptied",
    "programme",
    "language",
    "mixed",
    "mixed_key",
    "changed",
    "changed_since",
    "named",
    "was",
    "dropped",
    "talk",
    "published_at",
    "now",
    "id",
    "kind",
    "what",
    "all_scheduled",
    "days",
)


def render_html(
    instance: Instance,
    solution: Solution,
    lang: str = "fr",
    paper: str = "A4",
    reference: Solution | None = None,
    messages: str = "en",
    unscheduled: bool = False,
) -> str:
    """The whole grid as one self-contained HTML document (with `reference`, what changed
    since the published programme marked, and the published talks no longer in it
    listed after the days); its warnings in `messages`. With `unscheduled`, the list of
    the proposals left unscheduled and why follows: it is the coordinators' (its reasons
    name the speakers' availability), and the grid is published without it."""
    geo = geometry(paper)
    days = build_days(instance, solution, lang, geo, reference, messages)
    return _render(instance, solution, lang, geo, reference, days, unscheduled)


def render_unscheduled_html(
    instance: Instance,
    solution: Solution,
    lang: str = "fr",
    paper: str = "A4",
    reference: Solution | None = None,
) -> str:
    """The list of the proposals left unscheduled and why, as a document of its own, for
    the coordinators (`export all` writes it beside the grid): it names who was turned
    down, and when each speaker is available, which the published grid must not. When
    none is left unscheduled, it says so."""
    return _render(instance, solution, lang, geometry(paper), reference, [], True)


def _render(
    instance: Instance,
    solution: Solution,
    lang: str,
    geo: Geometry,
    reference: Solution | None,
    days: list[Day],
    listed: bool,
) -> str:
    """The grid's template rendered: an index of the days and lists, the `days` (none:
    the unscheduled list alone), the published talks no longer in the programme after
    them, and the unscheduled list when `listed`."""
    styles = theme_styles(instance, lang)
    used = {w.theme for w in solution.workshops}
    legend = [styles[t.id] for t in instance.themes if t.id in used]
    missing: list[dict] = []
    said: list[str] = []
    # (the reasons give the themes by their labels, not their ids)
    with theme_labels({t.id: t.label.get(lang) for t in instance.themes}, lang):
        for proposal, reasons in unscheduled_rows(instance, solution, reference) if listed else []:
            missing.append(
                {
                    "id": proposal.id,
                    "title": held_marks(proposal.title),
                    "lang": proposal.language.value,
                    "format": kind_label(ItemKind(proposal.format.value), lang),
                    "speakers": speakers_line(instance, proposal),
                    "themes": ", ".join(theme_label(instance, t, lang) for t in proposal.themes),
                    # (the reasons naming no slots are listed under it as they are)
                    "gist": gist(reasons).worded(lang, whole=False),
                    "reasons": [reason_markup(worded(reason, lang)) for reason in reasons],
                    "whole": row_fits(geo, [worded(reason, lang) for reason in reasons]),
                }
            )
            # the ids the reasons show as worded: a theme is shown by its label, and its
            # id was listed for nothing
            said += [worded(reason, lang) for reason in reasons]
    alone = not days
    dropped = []
    if reference is not None and not alone:
        dropped = Since(instance, solution, reference, lang).dropped(listed)
    labels = {key: label(key, lang) for key in _TEMPLATE_LABELS}
    template = _ENV.get_template("grid.html.j2")
    return template.render(
        lang=lang,
        labels=labels,
        title=labels["unscheduled"] if alone else labels["programme"],
        event=instance.event,
        days=days,
        geo=geo,
        margin=MARGIN,
        header=HEADER,
        rooms_pt=ROOMS_PT,
        # (a CSS string: the no-break space before a French colon, escaped)
        colon="\\00a0: " if lang == "fr" else ": ",
        legend_pt=LEGEND_PT,
        legend_top=LEGEND_TOP,
        legend_line=LEGEND_LINE,
        key_gap=KEY_GAP,
        bar=BAR,
        padding=BLOCK_PADDING,
        themes=list(styles.values()),
        # (the list below the sheet's width, where the PNG's window, that width, shows it)
        narrow=geo.pixels[0] - 1,
        legend=legend,
        # (a list of none only where it is the document: in the grid, no page)
        listed=listed and (bool(missing) or alone),
        unscheduled=missing,
        list_pt=LIST_PT,
        detail_pt=DETAIL_PT,
        reasons_share=REASONS_SHARE,
        line_height=LINE_HEIGHT,
        named=named_ids(instance, said, lang),
        marked=any(block.changed for day in days for block in day.blocks),
        since=reference is not None,
        dropped=dropped,
        mixed=any(w.language == "mixed" for w in solution.workshops),
        version=__version__,
    )


def unscheduled_rows(
    instance: Instance, solution: Solution, reference: Solution | None
) -> list[tuple[Proposal, list[str]]]:
    """The unscheduled list's rows (`unplaced`), in the order `solve`'s summary lists
    them (`by_importance`, `reference` the published programme)."""
    rows = {proposal.id: (proposal, reasons) for proposal, reasons in unplaced(instance, solution)}
    return [rows[proposal_id] for proposal_id in by_importance(instance, rows, reference)]


LIST_PT = 8.0
"""The unscheduled list's text (`.unscheduled table`)."""
DETAIL_PT = 6.5
"""Its reasons slot by slot, under each proposal's gist (`.unscheduled ul`)."""
REASONS_SHARE = 0.5
"""The reasons' column's share of the list's width (`.unscheduled col.reasons`)."""
LIST_HEAD = 22.0
"""Millimetres a list page's heading and the table's header row take, on the high side."""
LIST_INSET = 3.0 + 3.0
"""Millimetres of the reasons' column its padding and the list's indent take across."""
WRAP_SLACK = 1.15
"""How much longer a reason is once wrapped at words than at its advances."""


def row_fits(geo: Geometry, reasons: list[str]) -> bool:
    """Whether a row of the unscheduled list, its gist and its reasons, fits on one page
    under the page's heading, on the high side: such a row is kept whole (`.whole`); a
    longer one breaks where its page ends. (Kept whole, a row longer than a page was
    pushed to the next page whole, and left the list's heading alone on one page and
    its tail on another: 16 pages for 11 proposals.)"""
    width = geo.content_width * REASONS_SHARE - LIST_INSET
    line = LINE_HEIGHT * PT_TO_MM
    lines = 2 * LIST_PT * line  # (the gist, on two lines at most)
    for reason in reasons:
        wrapped = math.ceil(_text_mm(reason, DETAIL_PT) * WRAP_SLACK / width)
        lines += max(wrapped, 1) * DETAIL_PT * line
    return lines + 2.0 <= geo.height - 2 * MARGIN - LIST_HEAD


def named_ids(instance: Instance, reasons: list[str], lang: str) -> list[dict[str, str]]:
    """The slots, themes, proposals and speakers the reasons name by id, each with what
    it is: the reasons say `tue-am-aud` and `trust`, which a coordinator reading the
    grid may not know. Slots in time order, then the others in the instance's order."""
    said = {token.rstrip(".") for token in re.findall(r"[\w.-]+", " ".join(reasons))}
    rows = []
    for slot in sorted(instance.slots, key=lambda s: (s.start, s.id)):
        if slot.id in said:
            start, end = instance.local(slot.start), instance.local(slot.end)
            day = day_label(start.date(), lang, year=False)
            what = f"{day}, {start:%H:%M}–{end:%H:%M}, {room_name(instance, slot.room)}"
            rows.append({"id": slot.id, "kind": label("slot", lang), "what": what})
    for kind, records, describe in (
        ("theme", instance.themes, lambda t: theme_label(instance, t.id, lang)),
        (
            "proposal",
            instance.proposals,
            lambda p: held_marks(f"«\u00a0{p.title}\u00a0»" if lang == "fr" else f"“{p.title}”"),
        ),
        ("speaker", instance.speakers, lambda s: s.name),
    ):
        rows += [
            {"id": r.id, "kind": label(kind, lang), "what": describe(r)}
            for r in records
            if r.id in said
        ]
    return rows


def reason_markup(reason: str) -> Markup:
    """A solver's reason as HTML: its `code` spans (Markdown's backticks) as <code>, every
    piece of text escaped; unmatched backticks stay as they are."""
    parts = reason.split("`")
    if len(parts) % 2 == 0:
        return escape(reason)
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if i % 2 else escape(part)
        for i, part in enumerate(parts)
    )


FONT_EPOCH = "0"
"""`SOURCE_DATE_EPOCH` while the PDF is written, unless the caller set one. WeasyPrint
embeds subsets of the fonts; without the HarfBuzz-Subset library it makes them with
fontTools, which stamps each with the time it is saved (its `head` table's `modified`,
to the second) unless that variable says otherwise: two runs a second apart gave
different bytes for the same grid."""


def pdf_options(weasyprint: ModuleType) -> dict[str, bool]:
    """A tagged PDF where WeasyPrint makes one (`pdf_tags`, from version 66; the oldest
    supported, 63, has no such option and writes it untagged): its structure follows the
    HTML, headings, lists and tables, each block's room read with its time, where an
    untagged PDF gave a screen reader its text in the order it was painted, with nothing
    of its structure."""
    return {"pdf_tags": True} if "pdf_tags" in weasyprint.DEFAULT_OPTIONS else {}


def load_weasyprint() -> ModuleType:
    """WeasyPrint, or a SchedulerError (exit 2) naming what to install: without its system
    libraries (Pango; a Mac after `pip install`, a slim Docker image) its import printed
    a banner and raised OSError, a traceback."""
    import contextlib
    import io

    from scheduler.errors import SchedulerError

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # (the banner, which this replaces)
            import weasyprint
    except (ImportError, OSError) as exc:
        reason = str(exc).split(":")[0]
        raise SchedulerError(
            f"the PDF needs WeasyPrint and its system libraries, which did not load ({reason}): "
            "on macOS `brew install pango`, on Debian or Ubuntu `apt install "
            "libpango-1.0-0 libpangoft2-1.0-0`; the HTML, the calendars and the tables need "
            "neither (`export grid -o grid.html`, `export ics`, `export csv`, `export xlsx`)"
        ) from None
    return weasyprint


def pdf_and_pages(
    html: str,
    instance: Instance | None = None,
    file_name: str = "the PDF",
    messages: str = "en",
) -> tuple[bytes, int]:
    """PDF from the grid's HTML with WeasyPrint, and how many pages it holds: the day
    pages and those the unscheduled proposals take, which only the layout knows. It
    embeds no date unless the HTML asks, and its fonts carry `FONT_EPOCH` (or the
    caller's `SOURCE_DATE_EPOCH`). WeasyPrint's warnings are said as the grid's, in
    `messages`: a character no font has once per kind, naming the texts of `instance`
    that hold it (a line per character and per use, raw, with no word of which talk)."""
    weasyprint = load_weasyprint()

    mine = "SOURCE_DATE_EPOCH" not in os.environ
    if mine:
        os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    collecting = gc.isenabled()
    # without the cycle collector, which went through the growing box tree again and
    # again, and the layout's garbage collected once before the PDF is written: the
    # same bytes, at 600 proposals 9.9 s of CPU instead of 13.2 and 306 MiB instead of
    # 318 (off throughout: 9.3 s, but 375 MiB); at 2000, 39 s instead of 55, 988 MiB
    # instead of 1016 (2026-12-06, on the shared machine, loaded)
    gc.disable()
    try:
        with grid_fonts.font_log() as said:
            document = weasyprint.HTML(string=html, base_url=None).render()
            gc.collect()
            pdf = document.write_pdf(**pdf_options(weasyprint))
    finally:
        if collecting:
            gc.enable()
        if mine:
            del os.environ["SOURCE_DATE_EPOCH"]
    for line in grid_fonts.missing_lines(list(said.missing), instance, file_name, messages):
        logger.warning("%s", line)
    for line in grid_fonts.passed_on(list(said.said), file_name, messages):
        logger.warning("%s", line)
    return pdf, len(document.pages)


LayingOut = Callable[[Path, int, int], AbstractContextManager[object]]
"""What the command shows while a PDF is laid out, given its path, days and day pages
(the unscheduled list's: 0, and its proposals) and entered around the layout: a
2000-proposal grid.pdf took 41 s of silence."""


def grid_outputs(
    instance: Instance,
    solution: Solution,
    html_path: Path | None,
    pdf_path: Path | None = None,
    png_path: Path | None = None,
    lang: str = "fr",
    paper: str = "A4",
    png_scale: float = 1.0,
    reference: Solution | None = None,
    messages: str = "en",
    unscheduled: bool = False,
    list_file: str | None = None,
    laying_out: LayingOut = lambda *_: nullcontext(),
) -> list[Output]:
    """The HTML grid, and the PDF and a PNG of its first page when asked, rendered, for
    `write_outputs`: nothing is written until all are (a
    missing Chromium once failed the PNG after the HTML and the PDF were replaced). Each
    file's account is in `messages`, the language of the console's messages. With
    `unscheduled` the grid ends with the list of the proposals left unscheduled; without
    it, the first file's account says that they are left out, or in `list_file` (the
    name of the list's own file, `unscheduled_outputs`). The PDF is laid out within
    `laying_out(path, days, pages)`, the command's progress line."""
    html = render_html(instance, solution, lang, paper, reference, messages, unscheduled)
    pages = html.count('<section class="page day"')
    days = len(set(re.findall(r'<section class="page day"[^>]* data-date="([^"]+)"', html)))
    dropped = len(Since(instance, solution, reference, lang).dropped()) if reference else 0
    missing = len(unplaced(instance, solution))
    outputs: list[Output] = []
    if html_path is not None:
        data = html.encode("utf-8")
        what = html_account(days, pages, dropped, missing, lang, paper, messages, unscheduled)
        outputs.append(Output(Path(html_path), data, what))
    if pdf_path is not None:
        with laying_out(Path(pdf_path), days, pages):
            pdf, sheets = pdf_and_pages(html, instance, Path(pdf_path).name, messages)
        what = pdf_account(sheets, len(pdf), messages)
        outputs.append(Output(Path(pdf_path), pdf, what))
    if png_path is not None:
        shot = png_bytes(html, paper, png_scale)
        width, height = (int.from_bytes(shot[i : i + 4], "big") for i in (16, 20))  # IHDR
        outputs.append(Output(Path(png_path), shot, png_account(pages, width, height, messages)))
    if outputs and not unscheduled:
        first = outputs[0]
        outputs[0] = replace(first, what=first.what + list_note(missing, list_file, messages))
    return outputs


def unscheduled_outputs(
    instance: Instance,
    solution: Solution,
    html_path: Path,
    pdf_path: Path | None = None,
    lang: str = "fr",
    paper: str = "A4",
    reference: Solution | None = None,
    messages: str = "en",
    laying_out: LayingOut = lambda *_: nullcontext(),
) -> list[Output]:
    """The list of the proposals left unscheduled and why, the coordinators' file
    (`render_unscheduled_html`), as HTML and, when asked, PDF, for `write_outputs`."""
    html = render_unscheduled_html(instance, solution, lang, paper, reference)
    missing = len(unplaced(instance, solution))
    outputs = [Output(Path(html_path), html.encode("utf-8"), list_account(missing, lang, messages))]
    if pdf_path is not None:
        with laying_out(Path(pdf_path), 0, missing):
            pdf, sheets = pdf_and_pages(html, instance, Path(pdf_path).name, messages)
        outputs.append(Output(Path(pdf_path), pdf, pdf_account(sheets, len(pdf), messages)))
    return outputs


def html_account(
    days: int,
    pages: int,
    dropped: int,
    missing: int,
    lang: str,
    paper: str,
    messages: str = "en",
    listed: bool = True,
) -> str:
    """What grid.html holds, in `messages`: '2 day pages, then the list of unscheduled
    proposals (23), fr, A4 landscape' ('2 jours, une page par jour, puis la liste des
    propositions non programmées (23), en français, A4 paysage'); `lang` is the labels'.
    The unscheduled list is counted where the grid has it (`listed`)."""
    missing = missing if listed else 0
    # (how many pages the list takes is the browser's layout: "2 days on 3 pages" was
    # read as the sheets to print, and the PDF had 7)
    if messages == "fr":
        if pages != days:
            layout = f"{plural_fr(days, 'jour')} sur {plural_fr(pages, 'page')}"
        else:
            layout = "1 jour, une page" if days == 1 else f"{days} jours, une page par jour"
        # (the lists as their pages are titled: « interventions retirées » was said of
        # talks only left unscheduled, and « une liste de 1 intervention » read badly)
        lists = []
        if dropped:
            lists.append(
                f"la liste des interventions publiées qui ne sont plus au programme ({dropped})"
            )
        if missing:
            lists.append(f"celle des propositions non programmées ({missing})")
        if lists and not dropped:
            lists[0] = lists[0].replace("celle des", "la liste des")
        then = ", puis " + " et ".join(lists) if lists else ""
        return f"{layout}{then}, en {LANGUAGE_FR[lang]}, {paper} paysage"
    if pages == days:
        layout = plural(days, "day page")
    else:
        layout = f"{plural(days, 'day')} on {pages} pages"
    lists = []
    if dropped:
        lists.append(f"the list of published talks no longer in the programme ({dropped})")
    if missing:
        lists.append(f"that of unscheduled proposals ({missing})")
    if lists and not dropped:
        lists[0] = lists[0].replace("that of", "the list of")
    then = ", then " + " and ".join(lists) if lists else ""
    return f"{layout}{then}, {lang}, {paper} landscape"


def list_note(missing: int, list_file: str | None, messages: str = "en") -> str:
    """Where the unscheduled proposals went, after the account of a grid without them:
    '; the unscheduled proposals (2) in unscheduled.html', or, with no file of their
    own, '; the unscheduled proposals (2) left out: --unscheduled adds their list' (the
    grid ended with them, always; it is published, and they name who was turned down
    and when each speaker is available). Nothing when none is left unscheduled."""
    if not missing:
        return ""
    if messages == "fr":
        if list_file:
            return f"\u00a0; les propositions non programmées ({missing}) dans {list_file}"
        return (
            f"\u00a0; sans les propositions non programmées ({missing})\u00a0: "
            "--unscheduled en ajoute la liste"
        )
    if list_file:
        return f"; the unscheduled proposals ({missing}) in {list_file}"
    return f"; the unscheduled proposals ({missing}) left out: --unscheduled adds their list"


def list_account(missing: int, lang: str, messages: str = "en") -> str:
    """What unscheduled.html holds: 'the unscheduled proposals (2) and why, for the
    coordinators, not to publish, fr' ('aucune proposition non programmée, en français'
    when none is)."""
    if messages == "fr":
        what = (
            f"les propositions non programmées ({missing}) et pourquoi, pour la coordination, "
            "à ne pas publier"
            if missing
            else "aucune proposition non programmée"
        )
        return f"{what}, en {LANGUAGE_FR[lang]}"
    what = (
        f"the unscheduled proposals ({missing}) and why, for the coordinators, not to publish"
        if missing
        else "no proposal left unscheduled"
    )
    return f"{what}, {lang}"


def pdf_account(sheets: int, size: int, messages: str = "en") -> str:
    """What grid.pdf holds: 'PDF, 7 pages, 412 KiB' ('PDF, 7 pages, 412 Kio')."""
    unit = "\u00a0Kio" if messages == "fr" else " KiB"
    return f"PDF, {counted(sheets, messages, 'page', 'page')}, {size // 1024}{unit}"


def png_account(pages: int, width: int, height: int, messages: str = "en") -> str:
    """What grid.png holds: 'first page only, of 3 day pages, 1123 x 794 px, rendered by
    headless Chromium' (the PNG was taken for the whole programme: it says it holds one
    page of them)."""
    if messages == "fr":
        what = (
            f"première page seulement, sur {pages} pages de jours" if pages > 1 else "première page"
        )
        return f"{what}, {width} x {height}\u00a0px, rendue par Chromium sans interface"
    what = f"first page only, of {plural(pages, 'day page')}" if pages > 1 else "first page"
    return f"{what}, {width} x {height} px, rendered by headless Chromium"


def png_bytes(html: str, paper: str = "A4", scale: float = 1.0) -> bytes:
    """Screenshot of the first page of the grid in headless Chromium, as PNG bytes."""
    import tempfile

    from scheduler.exports.browser import screenshot

    width, height = geometry(paper).pixels
    with terminated_as_exit(), tempfile.TemporaryDirectory(prefix="scheduler-grid-") as tmp:
        page = Path(tmp) / "grid.html"
        page.write_text(html, encoding="utf-8")
        return screenshot(page, Path(tmp) / "grid.png", width, height, scale).read_bytes()
