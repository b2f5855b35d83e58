"""Printable grid: one landscape page per day, rooms as columns, workshops as blocks to scale.

The layout is computed here, in millimetres, so that Chromium (screen, screenshots) and
WeasyPrint (PDF) place every block at the same spot; the template only writes it out,
with autoescaping on for every piece of user text.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import jinja2

from scheduler import __version__
from scheduler.exports.common import (
    Written,
    day_label,
    kind_label,
    label,
    language_badge,
    plural,
    room_name,
    speakers_line,
    theme_label,
    unplaced,
)
from scheduler.files import write_atomic
from scheduler.instance import Instance
from scheduler.solution import ItemKind, Solution, Workshop

logger = logging.getLogger(__name__)

PAPERS: dict[str, tuple[float, float]] = {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
"""Landscape width and height in millimetres."""

# Page furniture, in millimetres.
MARGIN = 8.0
HEADER = 11.5
ROOM_HEAD = 5.0
SAFETY = 3.0
BREAK = 4.0
LEGEND_PT = 7.0
AXIS = 11.0
GAP = 2.0
BLOCK_PADDING = 1.2
PX_PER_MM = 96 / 25.4
PT_TO_MM = 25.4 / 72
LINE_HEIGHT = 1.18
# Mean advance of a DejaVu Sans character, on the high side: measured in Chromium on the
# bundled and test instances, text fitted with it never overflowed its block.
CHAR_WIDTH_EM = 0.55
FONT_STEPS = [x / 4 for x in range(34, 19, -1)]  # 8.5pt down to 5pt
MIN_FONT = FONT_STEPS[-1]

# Okabe-Ito colours (distinguishable with common colour-vision deficiencies).
PALETTE = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]


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


@dataclass
class Line:
    time: str
    kind: str
    title: str = ""
    title_lang: str | None = None
    speakers: str = ""
    note: str = ""

    def text_lengths(self) -> list[int]:
        """Characters per visual paragraph (the speakers go on their own line)."""
        head = len(self.time) + 1 + len(self.kind) + 3 + len(self.title) + len(self.note)
        return [head] + ([len(self.speakers)] if self.speakers else [])


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


@dataclass
class Column:
    name: str
    left: float
    width: float


@dataclass
class Hour:
    label: str
    top: float


@dataclass
class Day:
    date: date
    label: str
    columns: list[Column]
    hours: list[Hour]
    breaks: list[tuple[float, float]]
    blocks: list[Block]
    height: float
    legend: float


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


def fit_font(lengths: list[int], width_mm: float, height_mm: float) -> tuple[float, bool]:
    """The largest font size (pt) at which paragraphs of these lengths fit the box; and whether any does."""
    inner_w = max(width_mm - 2 * BLOCK_PADDING, 5.0) * 0.95  # hanging indent
    inner_h = height_mm - 2 * BLOCK_PADDING + 0.4
    for pt in FONT_STEPS:
        char_mm = CHAR_WIDTH_EM * pt * PT_TO_MM
        per_line = max(int(inner_w / char_mm), 1)
        lines = sum(max(1, math.ceil(n * 1.06 / per_line)) for n in lengths)
        if lines * pt * PT_TO_MM * LINE_HEIGHT <= inner_h:
            return pt, True
    return MIN_FONT, False


def theme_styles(instance: Instance, lang: str) -> dict[str, ThemeStyle]:
    """A colour per theme, by its place in the instance, so it never depends on the solution."""
    styles = {}
    for i, theme in enumerate(instance.themes):
        colour = PALETTE[i % len(PALETTE)]
        styles[theme.id] = ThemeStyle(i, theme.label.get(lang), colour, tint(colour, 0.8))
    return styles


def _lines(instance: Instance, workshop: Workshop, lang: str) -> list[Line]:
    colon = " : " if lang == "fr" else ": "
    lines = []
    for item in workshop.items:
        time = f"{instance.local(item.start):%H:%M}"
        kind = kind_label(item.kind, lang)
        if item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
            proposal = instance.proposal_by_id[item.proposal]
            lines.append(
                Line(
                    time,
                    kind,
                    title=proposal.title,
                    title_lang=proposal.language.value,
                    speakers=speakers_line(instance, proposal),
                )
            )
        elif item.kind == ItemKind.PARTICIPATORY:
            fmt = instance.proposal_by_id[item.proposal].participatory_format
            lines.append(Line(time, kind, note=f"{colon.strip()} {fmt}" if fmt else ""))
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


def segments(spans: list[tuple[datetime, datetime]]) -> list[Segment]:
    """Slot spans widened to whole hours and merged where they meet."""
    merged: list[Segment] = []
    for start, end in sorted(spans):
        first = start.replace(minute=0, second=0, microsecond=0)
        last = end.replace(minute=0, second=0, microsecond=0)
        if last < end:
            last += timedelta(hours=1)
        if merged and first <= merged[-1].end:
            merged[-1] = Segment(merged[-1].start, max(merged[-1].end, last))
        else:
            merged.append(Segment(first, last))
    return merged


class TimeAxis:
    """Minutes to millimetres: linear inside a segment, a fixed band for each gap between them."""

    def __init__(self, parts: list[Segment], height: float):
        self.parts = parts
        minutes = sum(p.minutes for p in parts)
        self.scale = (height - BREAK * (len(parts) - 1)) / minutes

    def y(self, moment: datetime) -> float:
        offset = ROOM_HEAD
        for part in self.parts:
            if moment <= part.end:
                return offset + max(0.0, (moment - part.start).total_seconds() / 60) * self.scale
            offset += part.minutes * self.scale + BREAK
        return offset - BREAK

    def hours(self) -> list[Hour]:
        marks = []
        for part in self.parts:
            clock = part.start
            while clock <= part.end:
                marks.append(Hour(f"{clock:%H:%M}", self.y(clock)))
                clock += timedelta(hours=1)
        return marks

    def breaks(self) -> list[tuple[float, float]]:
        """Top and height of each band standing for hours left out."""
        return [(self.y(part.end), BREAK) for part in self.parts[:-1]]


def legend_height(labels: list[str], width: float) -> float:
    """Millimetres the legend needs: its keys flow in lines across the page."""
    char_mm = CHAR_WIDTH_EM * LEGEND_PT * PT_TO_MM
    keys = [len(text) + 6 for text in labels] + [18, 12]
    lines, used = 1, 0.0
    for key in keys:
        need = key * char_mm + 3
        if used and used + need > width:
            lines, used = lines + 1, 0.0
        used += need
    return 1.5 + lines * LEGEND_PT * PT_TO_MM * 1.4 + 0.5


def changed_slots(solution: Solution, reference: Solution | None) -> set[str]:
    """Slots whose workshop differs from the reference's: opened, emptied, or another
    theme, language or timeline (members and their times)."""
    if reference is None:
        return set()
    now = {w.slot: w for w in solution.workshops}
    before = {w.slot: w for w in reference.workshops}
    return {
        slot
        for slot in now.keys() | before.keys()
        if slot not in now
        or slot not in before
        or (now[slot].theme, now[slot].language, now[slot].items)
        != (before[slot].theme, before[slot].language, before[slot].items)
    }


def build_days(
    instance: Instance,
    solution: Solution,
    lang: str,
    geo: Geometry,
    reference: Solution | None = None,
) -> list[Day]:
    """Pages of the grid: the days that have slots, each with the rooms that have slots that
    day; with `reference`, the blocks whose workshop changed since it are marked."""
    changed = changed_slots(solution, reference)
    changed_pad = len(label("changed", lang)) + 2 if changed else 0
    styles = theme_styles(instance, lang)
    used = {w.theme for w in solution.workshops}
    legend = legend_height(
        [styles[t.id].label for t in instance.themes if t.id in used], geo.content_width
    )
    body = geo.body_height(legend)
    by_slot = {w.slot: w for w in solution.workshops}
    slots_by_day: dict[date, list] = {}
    for slot in instance.slots:
        if slot.closed and slot.id not in by_slot:
            continue
        slots_by_day.setdefault(instance.local(slot.start).date(), []).append(slot)

    days = []
    overflowing: list[str] = []  # slots whose workshop may not fit its block
    for day in sorted(slots_by_day):
        slots = slots_by_day[day]
        rooms = [r for r in instance.rooms if any(s.room == r.id for s in slots)]
        axis = TimeAxis(
            segments([(instance.local(s.start), instance.local(s.end)) for s in slots]), body
        )
        col_width = (geo.content_width - AXIS - GAP * len(rooms)) / len(rooms)
        columns = [
            Column(room_name(instance, r.id), AXIS + GAP + i * (col_width + GAP), col_width)
            for i, r in enumerate(rooms)
        ]
        left_of = {r.id: c.left for r, c in zip(rooms, columns, strict=True)}

        blocks = []
        for slot in sorted(slots, key=lambda s: (s.start, s.room)):
            top = axis.y(instance.local(slot.start))
            height = axis.y(instance.local(slot.end)) - top - 0.6
            workshop = by_slot.get(slot.id)
            span = f"{instance.local(slot.start):%H:%M}–{instance.local(slot.end):%H:%M}"
            if workshop is None:
                blocks.append(
                    Block(
                        left_of[slot.room],
                        top,
                        col_width,
                        height,
                        span,
                        free=True,
                        font_pt=7,
                        changed=slot.id in changed,
                    )
                )
                continue
            style = styles[workshop.theme]
            lines = _lines(instance, workshop, lang)
            marked = changed_pad if slot.id in changed else 0
            header = round((len(span) + 8 + len(style.label) + marked) * 1.1)
            lengths = [header] + [n for line in lines for n in line.text_lengths()]
            font_pt, fits = fit_font(lengths, col_width, height)
            if not fits:
                overflowing.append(slot.id)
            blocks.append(
                Block(
                    left_of[slot.room],
                    top,
                    col_width,
                    height,
                    span,
                    theme=style,
                    badge=language_badge(workshop.language),
                    lines=lines,
                    font_pt=font_pt,
                    changed=slot.id in changed,
                )
            )
        days.append(
            Day(
                day,
                day_label(day, lang),
                columns,
                axis.hours(),
                axis.breaks(),
                blocks,
                ROOM_HEAD + body,
                legend,
            )
        )
    _warn_overflow(overflowing, geo.paper)
    return days


OVERFLOW_NAMED = 5
"""Slots named in the warning about workshops that may overflow their blocks."""


def _warn_overflow(slots: list[str], paper: str) -> None:
    """One warning for every workshop that may overflow its block (at 600 proposals each
    of the 239 had a line of its own)."""
    if len(slots) == 1:
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
    "free",
    "programme",
    "language",
    "changed",
    "changed_since",
)


def render_html(
    instance: Instance,
    solution: Solution,
    lang: str = "fr",
    paper: str = "A4",
    reference: Solution | None = None,
) -> str:
    """The whole grid as one self-contained HTML document (with `reference`, what changed
    since the published programme marked)."""
    geo = geometry(paper)
    days = build_days(instance, solution, lang, geo, reference)
    styles = theme_styles(instance, lang)
    used = {w.theme for w in solution.workshops}
    legend = [styles[t.id] for t in instance.themes if t.id in used]
    missing = [
        {
            "id": proposal.id,
            "title": proposal.title,
            "lang": proposal.language.value,
            "format": kind_label(ItemKind(proposal.format.value), lang),
            "speakers": speakers_line(instance, proposal),
            "themes": ", ".join(theme_label(instance, t, lang) for t in proposal.themes),
            "reasons": reasons,
        }
        for proposal, reasons in unplaced(instance, solution)
    ]
    template = _ENV.get_template("grid.html.j2")
    return template.render(
        lang=lang,
        labels={key: label(key, lang) for key in _TEMPLATE_LABELS},
        event=instance.event,
        days=days,
        geo=geo,
        margin=MARGIN,
        header=HEADER,
        room_head=ROOM_HEAD,
        legend_pt=LEGEND_PT,
        padding=BLOCK_PADDING,
        themes=list(styles.values()),
        legend=legend,
        unscheduled=missing,
        marked=any(block.changed for day in days for block in day.blocks),
        version=__version__,
    )


FONT_EPOCH = "0"
"""`SOURCE_DATE_EPOCH` while the PDF is written, unless the caller set one. WeasyPrint
embeds subsets of the fonts; without the HarfBuzz-Subset library it makes them with
fontTools, which stamps each with the time it is saved (its `head` table's `modified`,
to the second) unless that variable says otherwise: two runs a second apart gave
different bytes for the same grid."""


def html_to_pdf(html: str) -> bytes:
    """PDF from the grid's HTML with WeasyPrint; it embeds no date unless the HTML asks,
    and its fonts carry `FONT_EPOCH` (or the caller's `SOURCE_DATE_EPOCH`)."""
    import weasyprint

    mine = "SOURCE_DATE_EPOCH" not in os.environ
    if mine:
        os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        return weasyprint.HTML(string=html, base_url=None).write_pdf()
    finally:
        if mine:
            del os.environ["SOURCE_DATE_EPOCH"]


def write_grid(
    instance: Instance,
    solution: Solution,
    html_path: Path | None,
    pdf_path: Path | None = None,
    png_path: Path | None = None,
    lang: str = "fr",
    paper: str = "A4",
    png_scale: float = 1.0,
    reference: Solution | None = None,
) -> list[Written]:
    """Write the HTML grid, and the PDF and a PNG of its first page when asked."""
    html = render_html(instance, solution, lang, paper, reference)
    days = html.count('<section class="page day"')
    written: list[Written] = []
    if html_path is not None:
        write_atomic(Path(html_path), html)
        written.append(
            Written(Path(html_path), f"{plural(days, 'day page')}, {lang}, {paper} landscape")
        )
    if pdf_path is not None:
        pdf = html_to_pdf(html)
        write_atomic(Path(pdf_path), pdf)
        written.append(Written(Path(pdf_path), f"PDF, {len(pdf) // 1024} KiB"))
    if png_path is not None:
        write_png(html, Path(png_path), paper, png_scale)
        written.append(Written(Path(png_path), "first page, rendered by headless Chromium"))
    return written


def write_png(html: str, png_path: Path, paper: str = "A4", scale: float = 1.0) -> Path:
    """Screenshot of the first page of the grid in headless Chromium."""
    import tempfile

    from scheduler.exports.browser import screenshot

    width, height = geometry(paper).pixels
    with tempfile.TemporaryDirectory(prefix="scheduler-grid-") as tmp:
        page = Path(tmp) / "grid.html"
        page.write_text(html, encoding="utf-8")
        return screenshot(page, png_path, width, height, scale)
