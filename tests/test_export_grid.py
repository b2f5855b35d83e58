"""Printable grid: the HTML as a browser shows it, the PDF as a reader extracts it."""

from __future__ import annotations

import base64
import html as html_lib
import importlib.abc
import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pytest
import yaml
from conftest import PUBLISHED, dump_dom, html_to_pdf
from markupsafe import escape

import scheduler.exports.grid as grid_module
from scheduler.cli import main
from scheduler.exports import browser, grid_fonts
from scheduler.exports.browser import find_chromium, screenshot
from scheduler.exports.common import write_outputs
from scheduler.exports.grid import (
    build_days,
    geometry,
    grid_outputs,
    render_html,
    render_unscheduled_html,
    unscheduled_outputs,
)
from scheduler.greedy import greedy_solution
from scheduler.instance import Instance, instance_hash, load_instance, parse_instance
from scheduler.solution import Solution, load_solution
from scheduler.solve import SolveOptions, solve
from scheduler.text import held_marks

ROOT = Path(__file__).parent.parent
HOSTILE = Path(__file__).parent / "data" / "exports" / "hostile.yaml"
TINY = Path(__file__).parent / "data" / "tiny.yaml"
BUNDLED = ROOT / "instances" / "commons-ai-2026.yaml"
BUNDLED_SOLUTION = PUBLISHED
OPTIONS = SolveOptions(time_limit=5, workers=1)


def solved_file(path: Path) -> tuple[Instance, Solution]:
    instance = load_instance(path)
    solution = solve(instance, instance_hash(path), OPTIONS)
    assert solution.has_schedule
    return instance, solution


@pytest.fixture(scope="module")
def hostile() -> tuple[Instance, Solution]:
    return solved_file(HOSTILE)


@pytest.fixture(scope="module")
def page(hostile) -> str:
    return render_html(*hostile)


@pytest.fixture(scope="module")
def pdf(page) -> bytes:
    return html_to_pdf(page)


def scheduled_titles(instance: Instance, solution: Solution) -> list[str]:
    return [instance.proposal_by_id[p].title for w in solution.workshops for p in w.proposals]


def days_with_slots(instance: Instance) -> set:
    return {instance.local(s.start).date() for s in instance.slots if not s.closed}


def squeeze(text: str) -> str:
    """Text without any whitespace, to compare titles that wrapped across lines."""
    return re.sub(r"\s+", "", text)


class Outline(HTMLParser):
    """What a reader gets from the markup: elements by tag, classes of sections, the text."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False
        self._in_style = False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_title = False
        self._in_style = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._in_style:
            self.text.append(data)

    def sections(self, cls: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == "section" and cls in a.get("class", "").split()]

    def elements(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def test_one_section_per_day_and_every_scheduled_title(hostile, page):
    instance, solution = hostile
    outline = Outline(page)
    days = sorted(days_with_slots(instance))
    assert [s["data-date"] for s in outline.sections("day")] == [d.isoformat() for d in days]
    for title in scheduled_titles(instance, solution):
        assert " ".join(title.split()) in outline.plain
    # the unscheduled list, the coordinators', only when asked (A11Y-5)
    assert not outline.sections("unscheduled") and "Jamais programmée" not in outline.plain
    listed = Outline(render_html(instance, solution, unscheduled=True))
    assert len(listed.sections("unscheduled")) == 1
    assert "Jamais programmée" in listed.plain


def test_user_text_is_escaped_never_markup(hostile, page):
    outline = Outline(page)
    assert not outline.elements("script")
    assert not outline.elements("img")
    assert not outline.elements("b")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in page
    assert '<script>alert(1)</script> & "quotes"' in outline.plain
    assert outline.title == f"{hostile[0].event.title} — Programme"


def test_block_height_follows_duration_and_each_theme_has_a_colour(hostile, page):
    instance, solution = hostile
    outline = Outline(page)
    blocks = outline.elements("article")
    assert len(blocks) == len(solution.workshops)
    scales: dict = {}  # the millimetres per minute of each day's page
    by_top = {}
    for block, workshop in zip(
        blocks, sorted(solution.workshops, key=lambda w: (w.start, w.room)), strict=True
    ):
        style = dict(part.split(":") for part in block["style"].replace(" ", "").split(";") if part)
        height = float(style["height"].removesuffix("mm")) + 0.6
        minutes = (workshop.end - workshop.start).total_seconds() / 60
        day = instance.local(workshop.start).date()
        scales.setdefault(day, set()).add(round(height / minutes, 3))
        by_top[workshop.slot] = float(style["top"].removesuffix("mm"))
        index = [t.id for t in instance.themes].index(workshop.theme)
        assert f"theme-{index}" in block["class"].split()
    assert all(len(scale) == 1 for scale in scales.values())
    legend = [
        a
        for t, a in outline.tags
        if t == "span" and "swatch" in a.get("class", "") and "theme-" in a.get("class", "")
    ]
    assert len(legend) == len(days_with_slots(instance)) * len(
        {w.theme for w in solution.workshops}
    )
    colours = re.findall(r"^\.theme-(\d+) \{ background: (#[0-9A-F]{6});", page, re.M)
    assert len({c for _, c in colours}) == len(colours) == len(instance.themes)
    for workshop in solution.workshops:
        badge = {"fr": "FR", "en": "EN"}[workshop.language]
        assert f'<span class="badge">{badge}</span>' in page


def test_labels_in_french_and_english(hostile):
    french = Outline(render_html(*hostile, lang="fr", unscheduled=True)).plain
    english = Outline(render_html(*hostile, lang="en", unscheduled=True)).plain
    assert "Mardi 1er décembre 2026" in french and "Mercredi 2 décembre 2026" in french
    assert "Propositions non programmées (1)" in french and "OUVERTURE" not in french
    assert "Tuesday 1 December 2026" in english and "Unscheduled proposals (1)" in english
    assert "Participatory time" in english and "Temps participatif" in french
    # its format after a colon, at each language's spacing ("Participatory time : " before)
    page_en, page_fr = render_html(*hostile, lang="en"), render_html(*hostile, lang="fr")
    assert re.search(r'Participatory time</span><span class="note" lang="\w\w">: \w', page_en)
    assert re.search(r'Temps participatif</span><span class="note" lang="\w\w">\u00a0: \w', page_fr)
    assert "Données, communs; été" in french and "Data, commons; summer" in english


def test_same_input_same_bytes(hostile, page, pdf):
    assert render_html(*hostile) == page
    assert html_to_pdf(page) == pdf
    assert b"/CreationDate" not in pdf and b"/ModDate" not in pdf


def structure(pdf: bytes) -> list[tuple[str, int]]:
    """The tagged PDF's structure elements, depth first: each one's type and depth."""
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    found: list[tuple[str, int]] = []

    def walk(node, depth: int) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid, depth)
        elif isinstance(node, dict) and "/S" in node:
            found.append((str(node["/S"]), depth))
            if "/K" in node:
                walk(node["/K"], depth + 1)

    walk(root["/StructTreeRoot"]["/K"], 0)
    return found


def test_the_pdf_is_tagged_and_still_the_same_bytes_twice(hostile, page, pdf):
    # A11Y-3: untagged, a screen reader got the PDF's text in the order it was painted,
    # the hours first, with no headings, lists or table
    import weasyprint

    if "pdf_tags" not in weasyprint.DEFAULT_OPTIONS:  # (before WeasyPrint 66: untagged)
        assert grid_module.pdf_options(weasyprint) == {}
        pytest.skip(f"WeasyPrint {weasyprint.__version__} writes no tagged PDF")
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/Lang"] == "fr"
    tags = [tag for tag, _ in structure(pdf)]
    instance, solution = hostile
    assert tags.count("/Art") == len(solution.workshops)  # a workshop an article
    assert tags.count("/H2") == len(solution.workshops)  # headed by its time and room
    assert tags.count("/H1") == len(days_with_slots(instance))
    assert "/L" in tags and "/LI" in tags  # its timeline a list
    assert html_to_pdf(page) == pdf
    # the list of the unscheduled proposals: a table, its header row tagged so
    listed = html_to_pdf(render_unscheduled_html(*hostile))
    tags = [tag for tag, _ in structure(listed)]
    assert "/Table" in tags and tags.count("/TH") == 5 + 3 and "/TD" in tags
    assert html_to_pdf(render_unscheduled_html(*hostile)) == listed


def test_the_pdf_does_not_depend_on_the_clock(hostile, page, monkeypatch):
    # Without HarfBuzz-Subset (a library Chromium's packages bring, often missing
    # elsewhere) WeasyPrint subsets fonts with fontTools, which stamps each subset with
    # the time it is saved, to the second: a clock 10 s further at each reading must not
    # change the bytes
    from fontTools.misc import timeTools
    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    clock = iter(range(1_800_000_000, 1_900_000_000, 10))
    monkeypatch.setattr(timeTools, "time", SimpleNamespace(time=lambda: next(clock)))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first, second = html_to_pdf(page), html_to_pdf(page)
    assert first == second
    assert "SOURCE_DATE_EPOCH" not in os.environ  # left as it was
    # a caller's own epoch is kept (reproducible builds set it)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")
    assert html_to_pdf(page) != first
    assert os.environ["SOURCE_DATE_EPOCH"] == "1764547200"


def test_the_pdf_is_laid_out_without_the_cycle_collector_and_gives_it_back(page, monkeypatch):
    # SCL-1: at 2000 proposals the layout held 1 GiB of boxes, which the cycle collector
    # went through again and again (a quarter of the PDF's 41 s of CPU): it is off while
    # WeasyPrint lays out and writes, then on again as it was; the bytes are the same
    import gc

    import weasyprint

    collecting: list[bool] = []
    render, write = weasyprint.HTML.render, weasyprint.Document.write_pdf

    def rendered(self, *args, **kwargs):
        collecting.append(gc.isenabled())
        return render(self, *args, **kwargs)

    def written(self, *args, **kwargs):
        collecting.append(gc.isenabled())
        return write(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", rendered)
    monkeypatch.setattr(weasyprint.Document, "write_pdf", written)
    html_to_pdf(page)
    assert collecting == [False, False] and gc.isenabled()
    gc.disable()  # (a caller's own choice is kept)
    try:
        html_to_pdf(page)
        assert not gc.isenabled()
    finally:
        gc.enable()


def _overflow_warnings(caplog, instance, solution, paper="A4") -> tuple[list, list[str]]:
    caplog.clear()
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        days = build_days(instance, solution, "fr", geometry(paper))
    messages = [record.getMessage() for record in caplog.records]
    return days, [m for m in messages if "overflow" in m]


def one_page_a_day(monkeypatch) -> None:
    """The grid as it was before days were split over pages: every room and hour on one."""
    monkeypatch.setattr(grid_module, "WIDE_ENOUGH", 0.0)
    monkeypatch.setattr(grid_module, "split_hours", lambda runs, *_: [sum(runs, [])])


def test_workshops_that_may_overflow_are_one_warning(caplog, monkeypatch):
    # bench-600-easy's workshops in 19 rooms a day on A4, all on one page a day: none
    # fits its block, and each once had a warning line of its own
    instance = load_instance(ROOT / "instances/bench/bench-600-easy.yaml")
    solution = greedy_solution(instance)
    one_page_a_day(monkeypatch)
    _, messages = _overflow_warnings(caplog, instance, solution)
    assert len(messages) == 1, messages[:3]
    count = len(solution.workshops)
    assert messages[0].startswith(f"{count} workshops may overflow their blocks on A4 paper")
    assert messages[0].endswith(f" and {count - 5} more); try --paper A3")


def test_the_grids_warnings_are_in_the_messages_language(caplog):
    slots = [f"s{i}" for i in range(8)]
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        grid_module._warn_overflow(slots, "A4", "fr")
        grid_module._warn_overflow(slots[:1], "A3", "fr")
        grid_module._warn_overflow(slots, "A4")
    assert [record.getMessage() for record in caplog.records] == [
        "8 ateliers risquent de déborder de leurs blocs sur papier A4 (créneaux s0, s1, s2, "
        "s3, s4 et 3 autres)\u00a0; essayez --paper A3",
        "l'atelier du créneau s0 risque de déborder de son bloc sur papier A3\u00a0; "
        "essayez --paper A3",
        "8 workshops may overflow their blocks on A4 paper (slots s0, s1, s2, s3, s4 and 3 "
        "more); try --paper A3",
    ]
    caplog.clear()
    block = SimpleNamespace(font_pt=5.25, free=False)
    days = [SimpleNamespace(blocks=[block, SimpleNamespace(font_pt=8.0, free=False)])]
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        grid_module._warn_small(days, "A4", "fr")
        grid_module._warn_small(days, "A4")
        days[0].blocks.append(block)
        grid_module._warn_small(days, "A4", "fr")
    assert [record.getMessage() for record in caplog.records] == [
        "1 atelier sur 2 est imprimé en 6\u00a0pt ou moins sur papier A4 (le plus petit en "
        "5,25\u00a0pt), peu lisible au mur\u00a0; --paper A3 l'imprime plus grand",
        "1 of 2 workshops are printed at 6 pt or less on A4 paper (the smallest at 5.25 pt), "
        "small to read on a wall; --paper A3 prints them larger",
        "2 ateliers sur 3 sont imprimés en 6\u00a0pt ou moins sur papier A4 (le plus petit en "
        "5,25\u00a0pt), peu lisibles au mur\u00a0; --paper A3 les imprime plus grands",
    ]


@pytest.mark.parametrize("lang", [None, "fr"])
def test_export_grid_logs_its_warnings_in_the_language_asked(lang, caplog, monkeypatch, tmp_path):
    # the grid's warnings are worded where the layout finds them, in the messages'
    # language the command passes down (here the themes outnumbering the grid's looks)
    monkeypatch.setattr(grid_module, "LOOKS", 2)
    argv = ["export", "grid", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path / "g.html")]
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"), pytest.raises(SystemExit):
        main([*argv, "--lang", lang] if lang else argv)
    (said,) = (r.getMessage() for r in caplog.records if "3" in r.getMessage())
    themes = len(load_instance(BUNDLED).themes)
    if lang == "fr":
        assert said.startswith(f"{themes} thèmes, et la grille a 2 apparences pour eux ")
        assert "\u00a0: à partir du thème 3, chacun partage la sienne" in said
    else:
        assert said.startswith(f"{themes} themes, and the grid has 2 looks for them ")


def test_a_day_of_many_rooms_takes_several_pages_each_workshop_on_one(caplog, monkeypatch):
    # on one A4 page a day, 19 columns of 12 mm: every workshop overflowed its block;
    # split by rooms alone, 27 of 268 still did on A4 (their blocks too short whatever
    # their width): A4 pages now show half a day each
    instance = load_instance(ROOT / "instances/bench/bench-600-easy.yaml")
    solution = greedy_solution(instance)
    pages_by_paper = {}
    for paper in ("A4", "A3"):
        pages, messages = _overflow_warnings(caplog, instance, solution, paper)
        assert not messages  # none predicted to overflow
        pages_by_paper[paper] = pages
        by_date: dict = {}
        for page in pages:
            by_date.setdefault(page.date, []).append(page)
        assert list(by_date) == sorted(by_date) == sorted(days_with_slots(instance))
        for date_pages in by_date.values():
            assert [p.part for p in date_pages] == list(range(1, len(date_pages) + 1))
            assert {p.parts for p in date_pages} == {len(date_pages)}
            for span in dict.fromkeys(p.span for p in date_pages):
                sizes = [len(p.columns) for p in date_pages if p.span == span]
                assert max(sizes) - min(sizes) <= 1  # rooms shared out evenly
        assert len({p.anchor for p in pages}) == len(pages)
        # every slot on exactly one page, in one of its columns, within the page's hours
        used = {w.slot for w in solution.workshops}
        shown = [s for s in instance.slots if not s.closed or s.id in used]
        assert sum(len(p.blocks) for p in pages) == len(shown)
        for page in pages:
            assert {b.left for b in page.blocks} <= {c.left for c in page.columns}
            if page.span:
                first, last = page.span.split("–")
                assert all(
                    first <= b.span.split("–")[0] < b.span.split("–")[1] <= last
                    for b in page.blocks
                )
    a4, a3 = pages_by_paper["A4"], pages_by_paper["A3"]
    assert {p.span for p in a3} == {""}  # A3: a whole day a page
    # A4: half a day a page where the blocks need it (the last day, of shorter
    # workshops, whole on pages of four rooms)
    assert {p.span for p in a4} >= {"09:00–13:00", "14:00–18:00"}
    assert len(a3) < len(a4)
    one_page_a_day(monkeypatch)
    pages, messages = _overflow_warnings(caplog, instance, solution)
    assert len(pages) == len(days_with_slots(instance))
    assert int(messages[0].split()[0]) == len(solution.workshops)


def test_split_hours_fewest_pages_then_the_shortest():
    # runs of 1 hour each (minutes: 60 per run); a page holds up to 3 runs' worth
    runs = [[("run", i)] for i in range(7)]

    def fits(slots):
        return len(slots) <= 3

    def minutes(slots):
        return 60.0 * len(slots)

    groups = grid_module.split_hours(runs, fits, minutes)
    assert [len(g) for g in groups] == [3, 2, 2]  # three pages, none longer than needed
    assert sum(groups, []) == sum(runs, [])  # in order, each run once
    assert grid_module.split_hours(runs, lambda slots: True, minutes) == [sum(runs, [])]
    # a run that does not fit even alone is a page of its own; the others still share
    big = [[("big", i) for i in range(5)]]
    groups = grid_module.split_hours(runs[:2] + big + runs[2:4], fits, minutes)
    assert [len(g) for g in groups] == [2, 5, 2]
    assert grid_module.split_hours([], fits, minutes) == []
    # where hours are left out (lunch) a page ends at no cost to the axes: cut there
    # rather than inside the hours shown, even where that is less even
    four = runs[:4]
    assert [len(g) for g in grid_module.split_hours(four, fits, minutes)] == [2, 2]
    after_first = grid_module.split_hours(four, fits, minutes, lambda i: i == 1)
    assert [len(g) for g in after_first] == [1, 3]


def test_sittings_cut_only_between_runs_of_overlapping_slots():
    def slot(start, end):
        return SimpleNamespace(start=start, end=end)

    slots = [slot(9, 11), slot(10, 12), slot(12, 13), slot(12.5, 14), slot(14, 15)]
    runs = grid_module.sittings(slots)
    assert runs == [slots[:2], slots[2:4], slots[4:]]  # touching is not overlapping


def test_the_axis_runs_from_the_half_hour_before_the_first_slot_to_the_one_after_the_last():
    # Wednesday's sessions run 09:30-11:30 and 14:00-16:00: the axis ran from 09:00 to
    # 12:00 (whole hours), a quarter of the page's height without a slot
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    pages = {p.date.isoformat(): p for p in build_days(instance, solution, "fr", geometry("A4"))}
    wednesday = pages["2026-12-02"]
    marks = [h.label for h in wednesday.hours]
    assert marks == ["09:30", "10:00", "11:00", "11:30", "14:00", "15:00", "16:00"]
    assert min(b.top for b in wednesday.blocks) == pytest.approx(wednesday.hours[0].top)
    assert max(b.top + b.height for b in wednesday.blocks) == pytest.approx(
        wednesday.hours[-1].top - 0.6
    )
    # Tuesday's half hour between sessions (16:00-16:30) is left out as lunch is, a
    # hatched band: to scale, it took a tenth of the day's axis
    tuesday = pages["2026-12-01"]
    assert len(tuesday.breaks) == 2
    assert [h.label for h in tuesday.hours] == [
        "10:00", "11:00", "11:30", "14:00", "15:00", "16:00", "16:30", "17:00", "17:30"
    ]  # fmt: skip
    # a shorter wait stays to scale: rounded to the half hour, it is none
    at = datetime(2026, 12, 1, 10)
    spans = [
        (at, at + timedelta(minutes=60)),
        (at + timedelta(minutes=75), at + timedelta(hours=2)),
    ]
    assert grid_module.segments(spans) == [grid_module.Segment(at, at + timedelta(hours=2))]


def test_a_grid_of_few_rooms_keeps_a_page_a_day(hostile):
    for instance, solution in (hostile, (load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION))):
        pages = build_days(instance, solution, "fr", geometry("A4"))
        assert [p.parts for p in pages] == [1] * len(days_with_slots(instance))
        assert 'id="day-' in render_html(instance, solution)
        assert "(1/" not in render_html(instance, solution)


def test_a_character_no_font_has_is_one_warning_in_the_tools_words(tmp_path, caplog):
    # WeasyPrint printed a raw line per character and per use (`WARNING weasyprint: .notdef
    # glyph rendered for Unicode string unsupported by fonts: ...`), with no word of which
    # talk, and two lines on its reading of the grid's screen-only CSS on every PDF.
    # Characters of the private-use plane 15, which no font installed anywhere has
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    assert data["proposals"][0]["id"] == "p01"
    data["proposals"][0]["title"] += " \U000f0000\U000f0001"
    instance = parse_instance(data, "boxes.yaml")
    solution = load_solution(BUNDLED_SOLUTION)
    pdf_path = tmp_path / "grid.pdf"
    for messages, said in (
        (
            "en",
            "grid.pdf: U+F0000 U+F0001 (p01's title), characters without a Unicode name "
            "(private use?), print as boxes: no font installed has them; replace them in "
            "the instance",
        ),
        (
            "fr",
            "grid.pdf\u00a0: U+F0000 U+F0001 (le titre de p01), caractères sans nom Unicode "
            "(à usage privé ?), s'impriment comme des carrés\u00a0: aucune police installée "
            "ne les a\u00a0; remplacez-les dans l'instance",
        ),
    ):
        caplog.clear()
        with caplog.at_level("WARNING"):
            grid_outputs(instance, solution, None, pdf_path, messages=messages)
        assert [r.name for r in caplog.records if not r.name.startswith("scheduler")] == []
        fonts = [r.getMessage() for r in caplog.records if "U+F0000" in r.getMessage()]
        assert fonts == [said]
        assert not [r for r in caplog.records if "media type" in r.getMessage()]


def test_the_characters_no_font_has_are_said_per_kind_with_what_to_install():
    instance = load_instance(BUNDLED)
    speaker = instance.speakers[1]
    title = instance.proposals[0].title
    instance = instance.model_copy(
        update={
            "proposals": [
                instance.proposals[0].model_copy(update={"title": title + " 🤖"}),
                instance.proposals[1].model_copy(update={"title": "開かれた 🤖"}),
                *instance.proposals[2:],
            ],
            "speakers": [
                instance.speakers[0],
                speaker.model_copy(update={"name": speaker.name + " 👩🏾"}),
                *instance.speakers[2:],
            ],
        }
    )
    lines = grid_fonts.missing_lines(["🤖", "開", "👩", "🏾", "か"], instance, "grid.pdf")
    assert lines == [
        f"grid.pdf: no font installed has emoji: 🤖 👩 🏾 (p01's title, p02's title, speaker "
        f"{speaker.id}'s name) print as boxes; install a colour emoji font (Debian, Ubuntu: "
        "fonts-noto-color-emoji) and export again",
        "grid.pdf: no font installed has Chinese, Japanese or Korean characters: 開 か (p02's "
        "title) print as boxes; install a font that has them (Debian, Ubuntu: fonts-noto-cjk) "
        "and export again",
    ]
    (line,) = grid_fonts.missing_lines(["ⵣ"], None, "unscheduled.pdf", "fr")
    assert line == (
        "unscheduled.pdf\u00a0: aucune police installée n'a de caractères de l'écriture "
        "Tifinagh\u00a0: ⵣ s'impriment comme des carrés\u00a0; installez une police qui les "
        "a (Debian, Ubuntu\u00a0: fonts-noto-core) et exportez à nouveau"
    )


def test_a_renderers_other_warning_is_passed_on_once_not_dropped(caplog):
    import logging

    with grid_fonts.font_log() as said:
        for _ in range(3):
            logging.getLogger("weasyprint").warning("Failed to load font at %s", "x.ttf")
        logging.getLogger("weasyprint").warning("Using fontTools instead of HarfBuzz-Subset")
        logging.getLogger("weasyprint").error("Expected a media type, got 'screen'")
    assert list(said.said) == [
        "Failed to load font at x.ttf",
        "Expected a media type, got 'screen'",  # (an error is never noise)
    ]
    assert grid_fonts.passed_on(list(said.said)[:1], "grid.pdf") == [
        "grid.pdf: WeasyPrint, making the PDF: Failed to load font at x.ttf"
    ]
    assert not caplog.records  # (none printed raw)


def test_pdf_holds_every_title_and_no_blank_page(hostile, pdf):
    instance, solution = hostile
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(days_with_slots(instance))  # (the unscheduled list apart)
    texts = [p.extract_text() for p in reader.pages]
    assert all(text.strip() for text in texts)
    whole = squeeze("".join(texts))
    for title in scheduled_titles(instance, solution):
        assert squeeze(title) in whole, title
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, points
    assert reader.metadata.title == f"{instance.event.title} — Programme"


def test_a3_paper(hostile, tmp_path):
    outputs = grid_outputs(*hostile, tmp_path / "g.html", tmp_path / "g.pdf", paper="A3")
    written = write_outputs(outputs)
    assert [w.path.name for w in written] == ["g.html", "g.pdf"]
    assert "@page { size: A3 landscape;" in (tmp_path / "g.html").read_text(encoding="utf-8")
    reader = pypdf.PdfReader(tmp_path / "g.pdf")
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (1191, 842)


# -- in a real browser -------------------------------------------------------


def require_browser() -> None:
    if find_chromium() is None:
        if os.environ.get("CI"):
            pytest.fail("headless Chromium is required in CI (see .ci/run)")
        pytest.skip("no Chromium on this machine")


def probe_rows(html: str, path, rows_js: str) -> list[tuple[int, ...]]:
    """Lay `html` out in headless Chromium and return the rows of numbers `rows_js` (a
    script pushing space-separated numbers into `rows`) measured once it is loaded, in a
    window wider than an A3 sheet: the sheets as printed (narrower, in headless
    Chromium's 800 px, each day is a list)."""
    return probe_at(html, path, 1600, 1200, rows_js)


BLOCK_FITS = """
  for (const block of document.querySelectorAll('article.workshop')) {
    const box = block.getBoundingClientRect();
    const style = getComputedStyle(block);
    const bottom = block.lastElementChild.getBoundingClientRect().bottom
      + parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth);
    rows.push(Math.ceil(bottom - box.top) + ' ' + Math.floor(box.height));
  }"""


@pytest.mark.browser
def test_browser_runs_no_user_script_and_shows_every_title(hostile, page, tmp_path):
    require_browser()
    instance, solution = hostile
    path = tmp_path / "grid.html"
    # (with the unscheduled list: the hostile instance's script is the title it lists)
    path.write_text(render_html(*hostile, unscheduled=True), encoding="utf-8")
    dom = dump_dom(path)
    outline = Outline(dom)
    assert outline.title == f"{instance.event.title} — Programme"
    assert "pwned" not in outline.title
    assert not outline.elements("img") and not outline.elements("script")
    assert len(outline.sections("day")) == len(days_with_slots(instance))
    for title in scheduled_titles(instance, solution):
        assert " ".join(title.split()) in outline.plain
    assert "<script>document.title='pwned'</script> Jamais programmée" in outline.plain


@pytest.mark.browser
def test_browser_screenshot_shows_the_first_day(hostile, page, tmp_path):
    require_browser()
    from PIL import Image

    path = tmp_path / "grid.html"
    path.write_text(page, encoding="utf-8")
    width, height = geometry("A4").pixels
    png = screenshot(path, tmp_path / "grid.png", width, height)
    with Image.open(png) as image:
        assert image.size == (width, height)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # text, theme colours and lines, not a blank page


LARGE = ROOT / "instances" / "bench" / "bench-600-easy.yaml"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("source", "paper"),
    [
        (HOSTILE, "A4"),
        (TINY, "A4"),
        (BUNDLED, "A4"),
        (BUNDLED, "A3"),
        (LARGE, "A3"),
        (LARGE, "A4"),
    ],
    ids=["hostile", "tiny", "bundled-on-A4", "bundled-on-A3", "600-on-A3", "600-on-A4"],
)
def test_browser_every_timeline_fits_its_block(source, paper, tmp_path, caplog):
    # 600 proposals in 19 rooms a day: twelve A3 pages, six or seven rooms each (on one
    # page a day, none of its workshops fitted); on A4 twenty-four pages of half a day
    require_browser()
    if source == LARGE:
        instance = load_instance(source)
        solution = greedy_solution(instance)
    elif source == BUNDLED:
        instance, solution = load_instance(source), load_solution(BUNDLED_SOLUTION)
    else:
        instance, solution = solved_file(source)
    path = tmp_path / "probe.html"
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        html = render_html(instance, solution, paper=paper)
    assert not [r for r in caplog.records if "overflow" in r.getMessage()]  # none predicted
    rows = probe_rows(html, path, BLOCK_FITS)
    assert len(rows) == len(solution.workshops)
    for need, have in rows:
        assert need <= have + 1, (need, have)


TEXT_WIDTHS = """
  for (const run of document.querySelectorAll('span.run')) {
    rows.push(Math.round(run.getBoundingClientRect().width * 1000));
  }"""


@pytest.mark.browser
def test_browser_the_widths_the_blocks_are_sized_by_are_the_font_s(tmp_path):
    # the text was counted at one mean advance a character, a tenth wider than most
    # lines: the blocks of the bundled grid were left a fifth to a third empty
    require_browser()
    from scheduler.exports import metrics

    instance = load_instance(BUNDLED)
    texts = [p.title for p in instance.proposals] + [
        f"{s.name} ({s.affiliation})" for s in instance.speakers if s.affiliation
    ]
    runs = [(text, bold) for text in texts for bold in (False, True)]
    spans = "".join(
        f'<span class="run" style="font: {"bold " if bold else ""}10pt \'DejaVu Sans\'; '
        f'white-space: pre">{html_lib.escape(text)}</span><br>'
        for text, bold in runs
    )
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{spans}</body></html>'
    rows = probe_rows(page, tmp_path / "widths.html", TEXT_WIDTHS)
    assert len(rows) == len(runs)
    for (text, bold), (width,) in zip(runs, rows, strict=True):
        counted = metrics.advance(text, bold) * 10 * 96 / 72
        # kerning only narrows a line, by a few percent at most
        assert width / 1000 <= counted + 0.5 and width / 1000 >= counted * 0.95, text


# -- command line ------------------------------------------------------------


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out, err = capsys.readouterr()
    return stop.value.code, out, err


@pytest.mark.browser
def test_cli_grid_writes_html_pdf_and_png(hostile, tmp_path, capsys):
    require_browser()
    solution = hostile[1].write(tmp_path / "s.json")
    argv = ["export", "grid", str(HOSTILE), str(solution), "-o", str(tmp_path / "g.html")]
    argv += ["--pdf", str(tmp_path / "g.pdf"), "--png", str(tmp_path / "g.png"), "--lang", "en"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    for name in ("g.html", "g.pdf", "g.png"):
        assert f"wrote {tmp_path / name}" in out
    assert (
        "(2 day pages, en, A4 landscape; the unscheduled proposals (1) left out: --unscheduled "
        "adds their list)"
    ) in out
    assert f"wrote {tmp_path / 'g.pdf'} (PDF, 2 pages, " in out
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_grid_output_named_pdf_is_a_pdf(tmp_path, capsys):
    # `-o grid.pdf` once wrote the HTML page into grid.pdf
    argv = ["export", "grid", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path / "g.pdf")]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert (tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"
    assert len(pypdf.PdfReader(tmp_path / "g.pdf").pages) >= 1
    assert list(tmp_path.iterdir()) == [tmp_path / "g.pdf"]  # and no HTML beside it
    assert f"wrote {tmp_path / 'g.pdf'} (PDF" in out


@pytest.mark.parametrize(
    ("command", "name", "hint"),
    [
        ("grid", "programme.csv", "for programme.csv use `scheduler export csv`"),
        ("grid", "g.pdf --pdf other.pdf", "name one of them"),
        ("grid", "grid.docx", "not a .docx file: name it .html, .pdf or .png"),
        ("grid", "g.html --pdf other.png", "other.png does not end in .pdf"),
        ("csv", "programme.xlsx", "for programme.xlsx use `scheduler export xlsx`"),
        ("xlsx", "programme.csv", "for programme.csv use `scheduler export csv`"),
        ("ics", "programme.ics", "-o is the directory for programme.ics"),
        ("all", "grid.pdf", "-o is the directory for every export"),
    ],
)
def test_cli_exports_refuse_an_output_named_for_another_format(
    command, name, hint, tmp_path, capsys
):
    first, *more = name.split()
    argv = ["export", command, str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path / first)]
    argv += [str(tmp_path / m) if m.endswith(".pdf") else m for m in more]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert hint in " ".join(err.split())
    assert not any(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(
    ("command", "name"),
    [("csv", "programme.csv"), ("xlsx", "programme.xlsx"), ("grid", "grid.html")],
)
def test_cli_export_to_a_path_ending_in_a_slash_writes_into_that_folder(
    command, name, tmp_path, capsys
):
    # `-o out/` wrote a file named out
    argv = ["export", command, str(BUNDLED), str(BUNDLED_SOLUTION), "-o", f"{tmp_path / 'out'}/"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    assert (tmp_path / "out").is_dir()
    assert (tmp_path / "out" / name).stat().st_size > 0
    assert f"wrote {tmp_path / 'out' / name}" in " ".join(out.split())


def test_cli_export_all_for_the_bundled_instance(tmp_path, capsys):
    if not BUNDLED.exists() or not BUNDLED_SOLUTION.exists():
        pytest.skip("the bundled instance or its solution is not in this checkout")
    code, out, err = run(
        ["export", "all", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path)], capsys
    )
    assert code == 0, err
    for name in ("programme.ics", "grid.html", "grid.pdf", "programme.csv", "programme.xlsx"):
        assert (tmp_path / name).stat().st_size > 0
        assert f"wrote {tmp_path / name}" in out
    instance = load_instance(BUNDLED)
    solution = load_solution(BUNDLED_SOLUTION)
    assert len(list((tmp_path / "rooms").glob("*.ics"))) == len(
        {w.room for w in solution.workshops}
    )
    reader = pypdf.PdfReader(tmp_path / "grid.pdf")
    whole = squeeze("".join(p.extract_text() for p in reader.pages))
    for title in scheduled_titles(instance, solution):
        assert squeeze(title) in whole, title


def _one_initiative_less(published) -> tuple[dict[str, list[str]], dict[str, str], str]:
    """`published`'s members and themes by slot, the first workshop of three members or
    more losing its last (an initiative); that workshop's slot."""
    members = {w.slot: list(w.proposals) for w in published.workshops}
    themes = {w.slot: w.theme for w in published.workshops}
    shrunk = next(s for s, ids in members.items() if len(ids) > 2)  # loses an initiative
    members[shrunk] = members[shrunk][:-1]
    return members, themes, shrunk


def test_the_grid_marks_what_changed_since_the_published_programme(tmp_path, capsys):
    # during the event the grid is printed again after a re-solve: the workshops that
    # changed since the published programme (and a slot emptied) carry a badge
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    instance = load_instance(BUNDLED)
    published = load_solution(BUNDLED_SOLUTION)
    members, themes, shrunk = _one_initiative_less(published)
    emptied = next(s for s, ids in members.items() if len(ids) == 1)  # its keynote only
    members[emptied] = []
    new = schedule(instance, members, themes, Status.FEASIBLE)

    class Blocks(HTMLParser):
        def __init__(self):
            super().__init__()
            self.changed: list[str] = []  # the time span of each marked block
            self.marked = 0

        def handle_starttag(self, tag, attrs):
            classes = (dict(attrs).get("class") or "").split()
            if "changed" in classes and tag in ("article", "div"):
                self.changed.append(tag)
            if tag == "span" and "changed" in classes:
                self.marked += 1

    page = render_html(instance, new, "en", reference=published)
    found = Blocks()
    found.feed(page)
    assert sorted(found.changed) == ["article", "div"]  # one workshop, one emptied slot
    days = len({instance.local(s.start).date() for s in instance.slots})
    assert found.marked == 2 + days  # the two blocks, and the legend of each day
    assert "changed</span> since the published programme" in page
    shrunk_slot = instance.slot_by_id[shrunk]
    span = f"{instance.local(shrunk_slot.start):%H:%M}–{instance.local(shrunk_slot.end):%H:%M}"
    assert f'<span class="badge changed">changed</span> {span}' in page
    # French, and nothing marked without a reference or against itself
    assert ">modifié</span> depuis le programme publié" in render_html(
        instance, new, "fr", reference=published
    )
    for unmarked in (render_html(instance, new), render_html(instance, new, reference=new)):
        assert "badge changed" not in unmarked
    # from the command line
    path = new.write(tmp_path / "new.json")
    code, _, err = run(
        ["export", "grid", str(BUNDLED), str(path), "-o", str(tmp_path / "g.html")]
        + ["--reference", str(BUNDLED_SOLUTION)],
        capsys,
    )
    assert code == 0, err
    assert (tmp_path / "g.html").read_text(encoding="utf-8").count("badge changed") == 2 + days


def test_a_workshop_cancelled_since_publication_is_drawn_so(tmp_path):
    # a room closed on Thursday after publication: its workshops vanished from the grid
    # printed again, and the room's column with them; an emptied slot read "free"
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    instance = load_instance(BUNDLED)
    published = load_solution(BUNDLED_SOLUTION)
    members = {w.slot: list(w.proposals) for w in published.workshops}
    themes = {w.slot: w.theme for w in published.workshops}
    closed, emptied = "thu-pm-seine", "tue-am-aud"
    members[closed] = members[emptied] = []
    instance.slot_by_id[closed].closed = True
    new = schedule(instance, members, themes, Status.FEASIBLE)
    for lang, (shut, cancelled) in {
        "en": ("slot closed by the coordinators", "cancelled"),
        "fr": ("créneau fermé par la coordination", "annulé"),
    }.items():
        page = render_html(instance, new, lang, reference=published)
        for slot_id, said in ((closed, shut), (emptied, cancelled)):
            slot = instance.slot_by_id[slot_id]
            span = f"{instance.local(slot.start):%H:%M}–{instance.local(slot.end):%H:%M}"
            room = f'<span class="in-room"> · {grid_module.room_name(instance, slot.room)}</span>'
            # (and then the talks published there, listed: see below)
            assert f'</span> {span}{room} · {said}\n<ol class="gone">' in page
    # without a reference, a closed slot is not drawn (nothing was published there)
    assert "slot closed by the coordinators" not in render_html(instance, new, "en")


MEDIUM = ROOT / "instances" / "bench" / "bench-150-easy.yaml"
TWO_LINE_LEGENDS = pytest.mark.parametrize(
    ("lang", "paper", "longer"),
    [("fr", "A4", ""), ("en", "A4", ""), ("en", "A3", " in practice and in law")],
    ids=["fr-A4", "en-A4", "en-A3-longer-themes"],
)


def republished(tmp_path: Path, longer: str = "") -> tuple[Path, Instance, Solution, Solution]:
    """The 150 rung (its themes' labels lengthened by `longer`), a first-fit schedule
    as published, and that schedule with a workshop changed since."""
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    source = MEDIUM
    if longer:
        data = yaml.safe_load(MEDIUM.read_text(encoding="utf-8"))
        for theme in data["themes"]:
            theme["label"] = {lg: text + longer for lg, text in theme["label"].items()}
        source = tmp_path / "longer.yaml"
        source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    instance = load_instance(source)
    published = greedy_solution(instance)
    members, themes, _ = _one_initiative_less(published)
    return source, instance, published, schedule(instance, members, themes, Status.FEASIBLE)


@TWO_LINE_LEGENDS
def test_a_legend_on_two_lines_stays_on_the_page_of_its_workshops(
    lang, paper, longer, tmp_path, capsys
):
    # re-solved at 150 proposals, the legend's eight themes, FR/EN and the key of the
    # mark (changed since the published programme) take two lines on A4 (and on A3 with
    # longer themes); one line was counted, without the mark's key, and every page
    # spilled its legend onto a sheet of its own: 13 pages for "3 days on 6 pages"
    source, instance, published, new = republished(tmp_path, longer)
    argv = ["export", "grid", str(source), str(new.write(tmp_path / "new.json"))]
    argv += ["-o", str(tmp_path / "g.html"), "--pdf", str(tmp_path / "g.pdf")]
    argv += ["--lang", lang, "--paper", paper]
    argv += ["--reference", str(published.write(tmp_path / "published.json"))]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    # "3 days on 6 pages", "3 day pages"; with --lang fr, "3 jours sur 6 pages", "3
    # jours, une page par jour"
    said = re.search(r"\((\d+) (?:days?|jours?)(?: pages?,|,| (?:on|sur) (\d+) pages)", out)
    assert said, out
    pages = int(said.group(2) or said.group(1))
    page = (tmp_path / "g.html").read_text(encoding="utf-8")
    headings = [
        squeeze(html_lib.unescape(re.sub(r"<[^>]+>", "", h)))
        for h in re.findall(
            r'<section class="page day"[^>]*>\s*<header>.*?<h1>(.*?)</h1>', page, re.S
        )
    ]
    assert len(headings) == pages
    used = {w.theme for w in new.workshops}
    keys = [t.label.get(lang) for t in instance.themes if t.id in used]
    keys.append(grid_module.label("changed_since", lang))
    reader = pypdf.PdfReader(tmp_path / "g.pdf")
    unscheduled = '<section class="page unscheduled"' in page
    dropped = '<section class="page dropped"' in page  # the initiative taken out
    assert dropped
    assert len(reader.pages) == len(headings) + dropped + unscheduled
    for heading, sheet in zip(headings, reader.pages, strict=False):
        text = squeeze(sheet.extract_text())
        assert heading in text
        for key in keys:  # the whole legend under the page's workshops
            assert squeeze(key) in text, (heading, key)
    # and the legend is laid out on more than one line, the case at hand
    heights = re.findall(r'<footer class="legend" style="height: ([\d.]+)mm">', page)
    assert len(heights) == len(headings)
    line = float(re.search(r"\.legend \{[^}]*line-height: ([\d.]+);", page).group(1))
    assert all(float(h) > 2 * line * grid_module.LEGEND_PT * grid_module.PT_TO_MM for h in heights)


LEGEND_FITS = """
  for (const legend of document.querySelectorAll('footer.legend')) {
    const box = legend.getBoundingClientRect();
    let bottom = box.top;
    for (const key of legend.querySelectorAll('.key')) {
      bottom = Math.max(bottom, key.getBoundingClientRect().bottom);
    }
    rows.push(Math.ceil(bottom - box.top) + ' ' + Math.floor(box.height));
  }"""


@pytest.mark.browser
@TWO_LINE_LEGENDS
def test_browser_the_legend_holds_every_key_in_its_height(lang, paper, longer, tmp_path):
    # the legend's height is counted from its keys as the template writes them; in
    # Chromium too, every key is within it (past it, the PDF spills it onto a sheet)
    require_browser()
    _, instance, published, new = republished(tmp_path, longer)
    html = render_html(instance, new, lang, paper, reference=published)
    rows = probe_rows(html, tmp_path / "probe.html", LEGEND_FITS)
    assert len(rows) == html.count('<section class="page day"')
    for need, have in rows:
        assert need <= have, (need, have)


# -- outputs that cannot be written ----------------------------------------------


def test_cli_export_all_names_every_bad_output_and_overwrites_none(tmp_path, capsys):
    # a folder named grid.pdf once failed `export all` after programme.ics, the other
    # calendars and grid.html were replaced
    out = tmp_path / "out"
    argv = ["export", "all", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(out)]
    assert run(argv, capsys)[0] == 0
    for folder in ("themes", "grid.pdf"):
        target = out / folder
        if target.is_dir():
            for child in target.iterdir():
                child.unlink()
            target.rmdir()
        else:
            target.unlink()
    (out / "themes").write_text("not a folder")
    (out / "grid.pdf").mkdir()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code, _, err = run([*argv, "--lang", "en"], capsys)  # other bytes in every file
    message = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    assert "cannot write 2 of the outputs, so none was written" in message
    assert f"{out / 'themes'} is a file, not a folder (and " in message
    assert f"{out / 'grid.pdf'}: it is a folder" in message
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.rglob(".*.tmp")] + [p for p in out.rglob(".probe.*")]


def test_cli_grid_writes_nothing_when_its_pdf_cannot_be_written(tmp_path, capsys):
    html = tmp_path / "g.html"
    html.write_text("published")
    argv = ["export", "grid", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(html)]
    code, _, err = run([*argv, "--pdf", "/proc/g.pdf"], capsys)
    assert code == 2 and "Traceback" not in err
    assert "/proc/g.pdf: cannot write the file" in " ".join(err.split())
    assert html.read_text() == "published"


# -- room names -------------------------------------------------------------------

LONG_ROOMS = [
    "Amphithéâtre Jean-Baptiste Say (niveau -1)",
    "Salle de conférence Marie Curie-Skłodowska",
    "Amphithéâtre Jean-Baptiste Say (niveau 2)",
    "Salle de conférence Marie Curie-Skłodowska (annexe)",
    "Auditorium Hannah Arendt, aile Nord",
]


def many_long_rooms(names: list[str] = LONG_ROOMS) -> tuple[Instance, Solution]:
    """The bundled schedule with five more rooms of long names on its first day, their
    slots empty: eight columns on A4."""
    import yaml

    from scheduler.instance import parse_instance

    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    first = data["slots"][0]
    for i, name in enumerate(names):
        data["rooms"].append({"id": f"long{i}", "name": name})
        data["slots"].append({**first, "id": f"long{i}-slot", "room": f"long{i}"})
    return parse_instance(data, "long-rooms.yaml"), load_solution(BUNDLED_SOLUTION)


def test_long_room_names_wrap_whole_above_the_blocks():
    # "Amphithéâtre Jean-Baptiste Say (niveau -1)" was printed "Amphithéâtre Jean-Ba…"
    instance, solution = many_long_rooms()
    pages = build_days(instance, solution, "fr", geometry("A4"))
    assert {c.name for page in pages for c in page.columns} >= set(LONG_ROOMS)
    for page in pages:
        if {c.name for c in page.columns} & set(LONG_ROOMS):
            assert page.room_head > grid_module.ROOM_HEAD  # two lines
            assert min(b.top for b in page.blocks) >= page.room_head
            assert min(h.top for h in page.hours) >= page.room_head
    html = render_html(instance, solution)
    assert "ellipsis" not in html and "nowrap; overflow: hidden" not in html
    for name in LONG_ROOMS:
        assert f">{html_lib.escape(name, quote=False)}</div>" in html


ROOM_FITS = """
  for (const page of document.querySelectorAll('section.day')) {
    const top = Math.min(...[...page.querySelectorAll('article, .free, .hour')].map(
      e => e.getBoundingClientRect().top));
    for (const room of page.querySelectorAll('.room')) {
      const box = room.getBoundingClientRect();
      rows.push([room.scrollWidth - room.clientWidth, room.scrollHeight - room.clientHeight,
                 Math.ceil(box.top + room.scrollHeight - top)].join(' '));
    }
  }"""


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_browser_long_room_names_fit_their_heading(paper, tmp_path, monkeypatch):
    require_browser()
    # (the eight rooms on one page, as few as fit: on A3 two pages of four print the
    # workshops larger, and the names on one line)
    monkeypatch.setattr(grid_module, "READABLE_PT", grid_module.MIN_FONT)
    instance, solution = many_long_rooms()
    path = tmp_path / "rooms.html"
    rows = probe_rows(render_html(instance, solution, paper=paper), path, ROOM_FITS)
    pages = build_days(instance, solution, "fr", geometry(paper))
    assert len(rows) == sum(len(p.columns) for p in pages)
    assert any(p.room_head > grid_module.ROOM_HEAD for p in pages)
    for wider, taller, below in rows:
        # nothing cut or spilling sideways, and the text above the first hour line
        assert wider <= 0 and taller <= 1 and below <= 1, (wider, taller, below)


HEADING_FITS = """
  for (const heading of document.querySelectorAll('section.day > header')) {
    const box = heading.getBoundingClientRect();
    const day = heading.querySelector('h1').getBoundingClientRect();
    const event = heading.querySelector('p').getBoundingClientRect();
    rows.push([Math.round(box.height), Math.ceil(Math.max(day.bottom, event.bottom) - box.top),
               Math.ceil(event.left - day.right), Math.ceil(event.right - box.right)].join(' '));
  }"""


@pytest.mark.browser
@pytest.mark.parametrize("longer", [False, True], ids=["bundled", "long-title"])
def test_browser_a_day_s_heading_is_one_line_of_the_day_then_the_event(longer, tmp_path):
    # on two lines (the event above the day) it took 11.5 mm of the page's height
    require_browser()
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    if longer:  # a title longer than the line: on two lines, under the rule
        title = instance.event.title + " — " + "programme des ateliers participatifs " * 4
        instance = instance.model_copy(
            update={"event": instance.event.model_copy(update={"title": title})}
        )
    rows = probe_rows(render_html(instance, solution), tmp_path / "heading.html", HEADING_FITS)
    assert len(rows) == 3
    for height, used, apart, beyond in rows:
        assert height == round(grid_module.HEADER * 96 / 25.4)
        assert used <= height and apart > 0 and beyond <= 0, (height, used, apart, beyond)


def h1_text(section: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", section)).split())


def test_a_page_of_some_of_a_day_s_rooms_names_them_in_its_heading_and_bookmark():
    # CAL: a day's rooms shared out over pages were headed « Lundi 5 juillet 2027 (1/5) »
    # alike, on the sheets and in the PDF's bookmarks, whatever rooms each showed
    instance, solution = many_long_rooms()
    pages = build_days(instance, solution, "en", geometry("A3"))
    split = [p for p in pages if p.parts > 1]
    assert len(split) == 2 and not any(p.span for p in split)  # (split by rooms alone)
    names = [[c.name for c in p.columns] for p in split]
    # all its rooms where they hold on the line, else the first and the last column's
    assert split[0].rooms == "Rooms: " + ", ".join(names[0])
    assert split[1].rooms == f"Rooms: {names[1][0]} – {names[1][-1]}"
    assert all(not p.rooms for p in pages if p.parts == 1)
    html = render_html(instance, solution, "en", "A3")
    headings = [h1_text(h) for h in re.findall(r"<h1>.*?</h1>", html, re.S)]
    assert headings[:2] == [
        f"Tuesday 1 December 2026 ({p.part}/2) · {p.rooms}".replace("\u00a0", " ") for p in split
    ]
    assert headings[2:] == ["Wednesday 2 December 2026", "Thursday 3 December 2026"]
    # the PDF's bookmarks of the days, the same
    outline = pypdf.PdfReader(io.BytesIO(html_to_pdf(html))).outline
    days = [" ".join(o.title.split()) for o in outline if not isinstance(o, list)]
    assert days == headings
    # a day split by hours shows all its rooms on each page: no names added
    pages = build_days(instance, solution, "fr", geometry("A4"))
    assert [(p.parts, bool(p.span), p.rooms) for p in pages][:2] == [(2, True, "")] * 2
    # in French, on the 600 rung's pages of a few of its 19 rooms each
    bench = load_instance(ROOT / "instances/bench/bench-600-easy.yaml")
    pages = build_days(bench, greedy_solution(bench), "fr", geometry("A4"))
    shared = [p for p in pages if sum(q.date == p.date and q.span == p.span for q in pages) > 1]
    assert shared
    for page in shared:
        first, last = page.columns[0].name, page.columns[-1].name
        assert page.rooms in (
            "Salles\u00a0: " + ", ".join(c.name for c in page.columns),
            f"Salles\u00a0: {first} – {last}",
        )


def test_room_names_too_long_for_the_heading_are_cut_with_an_ellipsis():
    heading = "Lundi 5 juillet 2027 · 09:00–13:00 (1/6)"
    long = ["Amphithéâtre " + "très " * 30 + "long", "Salle B", "Salle " + "C" * 120]
    said = grid_module.rooms_heading(heading, long, "fr", 281)
    assert said.startswith("Salles\u00a0: Amphi") and said.count("…") == 2
    first, last = said.removeprefix("Salles\u00a0: ").split(" – ")
    assert first.endswith("…") and last.startswith("Salle CCC") and last.endswith("…")
    room = 281 - grid_module.EVENT_SIDE - grid_module._text_mm(heading, 14, bold=True)
    assert grid_module._text_mm(f"· {said}", grid_module.ROOMS_PT) <= room
    # one room: its name, after the singular
    assert grid_module.rooms_heading(heading, ["Salle B"], "fr", 281) == "Salle\u00a0: Salle B"
    assert grid_module.rooms_heading(heading, ["Room B"], "en", 281) == "Room: Room B"
    alone = grid_module.rooms_heading(heading, [long[0]], "en", 281)
    assert alone.startswith("Room: Amphithéâtre très") and alone.endswith("…")
    assert grid_module._text_mm(f"· {alone}", grid_module.ROOMS_PT) <= room


@pytest.mark.browser
@pytest.mark.parametrize("names", ["long", "longer"])
def test_browser_a_heading_naming_its_rooms_stays_one_line_beside_the_event(names, tmp_path):
    require_browser()
    rooms = LONG_ROOMS if names == "long" else [n + " " + "très " * 20 for n in LONG_ROOMS]
    instance, solution = many_long_rooms(rooms)
    html = render_html(instance, solution, "fr", "A3")
    assert html.count('<span class="rooms">') == 2
    rows = probe_rows(html, tmp_path / "heading.html", HEADING_FITS)
    assert len(rows) == 4
    for height, used, apart, beyond in rows:
        assert height == round(grid_module.HEADER * 96 / 25.4)
        assert used <= height and apart > 0 and beyond <= 0, (height, used, apart, beyond)


# -- the unscheduled page -----------------------------------------------------------


def test_reasons_show_code_spans_as_code_and_escape_the_rest(hostile):
    from scheduler.solution import Unscheduled

    instance, solution = hostile
    solution = solution.model_copy(deep=True)
    solution.unscheduled = [
        Unscheduled(
            proposal="u1",
            reasons=["no slot (`available` is an empty list)", "a `<b>` tag, and one ` alone"],
        )
    ]
    page = render_unscheduled_html(instance, solution)
    assert "<li>no slot (<code>available</code> is an empty list)</li>" in page
    assert "<li>a <code>&lt;b&gt;</code> tag, and one ` alone</li>" not in page
    assert "<li>a `&lt;b&gt;` tag, and one ` alone</li>" in page  # unmatched: as written
    assert not Outline(page).elements("b")


def test_reasons_in_the_grids_language(hostile):
    # the solution file keeps them in English, which the French grid printed as they were
    instance, solution = hostile
    (entry,) = solution.unscheduled
    french = Outline(render_unscheduled_html(instance, solution, lang="fr")).plain
    english = Outline(render_unscheduled_html(instance, solution, lang="en")).plain
    assert entry.reasons == [
        "speaker Gus Absent (gus) is unavailable all day Tue 1 Dec to Wed 2 Dec: d1-a, d1-b, "
        "d2-a, d2-b"
    ]
    assert (
        "d1-a, d1-b, d2-a, d2-b : l'intervenant·e Gus Absent (gus) est indisponible du "
        "mardi 1er décembre au mercredi 2 décembre inclus" in french
    )
    assert "speaker Gus" not in french
    assert (
        "d1-a, d1-b, d2-a, d2-b: speaker Gus Absent (gus) is unavailable all day Tue 1 Dec to "
        "Wed 2 Dec" in english
    )


def test_english_reasons_are_worded_as_the_french_are(midweek, hostile):
    # the English page printed the solver's strings: "its workshop is in en; its
    # workshop's theme is data-commons: tue-pm-seine", where the French page read
    # "tue-pm-seine : l'atelier y est en anglais ; l'atelier y a pour thème « Création de
    # communs… »" (now one sentence with one subject, in both)
    instance, solution = midweek
    english = Outline(render_unscheduled_html(instance, solution, lang="en")).plain
    french = Outline(render_unscheduled_html(instance, solution, lang="fr")).plain
    data = instance.theme_by_id["data-commons"].label
    assert f"tue-pm-seine: its workshop is in English and has the theme “{data.en}”" in english
    # (`plain` reads the French no-break spaces as spaces)
    assert (
        f"tue-pm-seine : l'atelier qui s'y tient est en anglais et a pour thème « {data.fr} »"
        in french
    )
    assert "theme is data-commons" not in english and "is in en" not in english
    assert "tue-am-aud: its workshop is in French" in english
    # a day's span with an en dash, as everywhere else in the grid
    from scheduler.solution import Unscheduled

    instance, solution = hostile
    solution = solution.model_copy(deep=True)
    solution.unscheduled = [
        Unscheduled(
            proposal="u1",
            reasons=["speaker Gus Absent (gus) is unavailable Tue 1 Dec 09:00-10:30: d1-a"],
        )
    ]
    page = render_unscheduled_html(instance, solution, lang="en")
    assert "<li>d1-a: speaker Gus Absent (gus) is unavailable Tue 1 Dec 09:00–10:30</li>" in page


def test_translated_reasons_keep_their_code_spans(hostile):
    from scheduler.solution import Unscheduled

    instance, solution = hostile
    solution = solution.model_copy(deep=True)
    solution.unscheduled = [
        Unscheduled(
            proposal="u1",
            reasons=[
                "speaker Gus Absent (gus) is never available (`available` is an empty list): d1-a",
                "edited by hand: `available`",
            ],
        )
    ]
    page = render_unscheduled_html(instance, solution, lang="fr")
    assert (
        "<li>d1-a\u00a0: l&#39;intervenant·e Gus Absent (gus) n&#39;est jamais disponible "
        "(sa liste <code>available</code> est vide)</li>" in page
    )
    assert "<li>edited by hand: <code>available</code></li>" in page


def test_the_ids_the_reasons_name_are_told_apart(hostile):
    # the reasons name slots, themes and people by id ('d1-a', 'gus'), which a coordinator
    # reading the grid may not know
    from scheduler.solution import Unscheduled

    instance, solution = hostile
    solution = solution.model_copy(deep=True)
    theme = instance.themes[0]
    solution.unscheduled = [
        Unscheduled(
            proposal="u1",
            reasons=[
                f"its workshop's theme is {theme.id}: d2-b, d1-a",
                "speaker gus speaks in d1-b at the same time: d1-a",
            ],
        )
    ]
    for lang, slot, speaker in (("fr", "Créneau", "Intervenant·e"), ("en", "Slot", "Speaker")):
        named = Outline(render_unscheduled_html(instance, solution, lang=lang)).plain
        heading = (
            "Identifiants cités dans les raisons" if lang == "fr" else "Ids named in the reasons"
        )
        listed = named[named.index(heading) :]
        first = instance.slot_by_id["d1-a"]
        start = instance.local(first.start)
        assert f"d1-a {slot} " in listed and f"{start:%H:%M}–" in listed
        # slots in time order, then the speaker's name; not the theme, which the reasons
        # give by its label (its id was listed for nothing)
        assert listed.index("d1-a ") < listed.index("d1-b ") < listed.index("d2-b ")
        assert f"{theme.id} " not in listed
        assert theme.label.get(lang) in named[: named.index(heading)]
        assert f"gus {speaker} Gus Absent" in listed
        # the table has a header row (it had none: three columns read without names)
        kind = "Type"
        what = "Ce qu'il désigne" if lang == "fr" else "What it names"
        assert listed.startswith(
            f"{heading} {'Identifiant' if lang == 'fr' else 'Id'} {kind} {what} "
        )


# -- long words ---------------------------------------------------------------------

LONG_WORD = "Anticonstitutionnellementdéstructurationnalisationsurannées" * 4
"""236 characters without a break opportunity: longer than any column's line."""


def long_words(hostile) -> tuple[Instance, Solution]:
    """The hostile schedule with `LONG_WORD` in a title, an affiliation and a
    participatory format."""
    from scheduler.instance import parse_instance

    data = yaml.safe_load(HOSTILE.read_text(encoding="utf-8"))
    proposals = {p["id"]: p for p in data["proposals"]}
    proposals["k1"]["title"] = f"Le {LONG_WORD} des forges"
    proposals["k2"]["participatory_format"] = f"Débat {LONG_WORD}"
    next(s for s in data["speakers"] if s["id"] == "eve")["affiliation"] = LONG_WORD
    return parse_instance(data, "long-words.yaml"), hostile[1]


def test_a_word_longer_than_a_line_is_counted_broken_over_lines():
    # the browser breaks it where it reaches the line's end (`overflow-wrap: anywhere`);
    # the estimate counted it a single line, running past the block
    paragraph = grid_module.Paragraph((5.0, 120.0, 5.0))
    assert paragraph.lines(50, 1 / grid_module.CHAR_WIDTH_EM) == 4  # 5 | 50 | 50 | 20 5
    hanging = grid_module.Paragraph((120.0,), first=0.0, rest=10.0)
    assert hanging.lines(50, 1.0) == 3  # 50 | 40 | 30
    assert grid_module.Paragraph((4.0, 4.0)).lines(9, 1.0) == 1
    # the break falls between two characters: a line it fills holds up to one less
    broken = grid_module.Paragraph((120.0,), glyph=1.0)
    assert broken.lines(50, 1.0) == 3  # 49 | 49 | 22
    assert grid_module.Paragraph((100.0,), glyph=1.0).lines(50, 1.0) == 3  # 49 | 49 | 2


BLOCK_TEXT_INSIDE = """
  for (const block of document.querySelectorAll('article.workshop')) {
    const box = block.getBoundingClientRect();
    const style = getComputedStyle(block);
    const bottom = block.lastElementChild.getBoundingClientRect().bottom
      + parseFloat(style.paddingBottom) + parseFloat(style.borderBottomWidth);
    const text = document.createRange();
    text.selectNodeContents(block);
    const right = Math.max(box.left, ...[...text.getClientRects()].map(r => r.right));
    rows.push([Math.ceil(right - box.right), Math.ceil(bottom - box.top),
               Math.floor(box.height)].join(' '));
  }"""


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_browser_a_long_word_wraps_inside_its_block(hostile, paper, tmp_path, caplog):
    # a 60-character word in a title ran on under the next room's block, cut there
    require_browser()
    instance, solution = long_words(hostile)
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        html = render_html(instance, solution, paper=paper)
    assert not caplog.records  # none predicted to overflow
    rows = probe_rows(html, tmp_path / "probe.html", BLOCK_TEXT_INSIDE)
    assert len(rows) == len(solution.workshops)
    for past_right, need, have in rows:
        assert past_right <= 0, (past_right, need, have)
        assert need <= have + 1, (past_right, need, have)


# -- many proposals left out --------------------------------------------------------


def closed_midweek() -> tuple[Instance, Solution]:
    """The bundled schedule with Wednesday and Thursday morning closed: the workshops
    there dropped, their 23 proposals left out with the reasons a solve gives them."""
    from scheduler.candidates import candidate_table
    from scheduler.solution import Status
    from scheduler.solve import _explain_unscheduled
    from scheduler.workshops import schedule

    instance = load_instance(BUNDLED)
    for slot in instance.slots:
        slot.closed = slot.id.startswith(("wed", "thu-am"))
    published = load_solution(BUNDLED_SOLUTION)
    members = {w.slot: list(w.proposals) for w in published.workshops}
    members = {s: ids for s, ids in members.items() if not instance.slot_by_id[s].closed}
    themes = {w.slot: w.theme for w in published.workshops}
    solution = schedule(instance, members, themes, Status.FEASIBLE)
    _explain_unscheduled(solution, instance, candidate_table(instance))
    return instance, solution


@pytest.fixture(scope="module")
def midweek() -> tuple[Instance, Solution]:
    return closed_midweek()


@pytest.fixture(scope="module")
def midweek_pdf(midweek) -> bytes:
    return html_to_pdf(render_unscheduled_html(*midweek, lang="fr"))


def test_a_row_of_the_unscheduled_table_that_fits_a_page_stays_on_one_page(midweek, midweek_pdf):
    # a proposal's speakers and reasons went on at the top of the next page, under the
    # repeated header, away from its title
    instance, solution = midweek
    reader = pypdf.PdfReader(io.BytesIO(midweek_pdf))
    text = "\f".join(squeeze(page.extract_text()) for page in reader.pages)
    labels = [grid_module.label(key, "fr") for key in ("proposal", "format", "speakers")]
    header = squeeze("".join(labels + [grid_module.label(k, "fr") for k in ("theme", "reasons")]))
    rows = [p for p, _ in grid_module.unscheduled_rows(instance, solution, None)]
    assert len(rows) == 23
    starts = [text.index(squeeze(f"{p.title} ({p.id})")) for p in rows]
    assert starts == sorted(starts)
    end = text.index(squeeze(grid_module.label("named", "fr")))
    assert text.count("\f", starts[0], end) >= 1  # the table takes two pages or more
    for proposal, start, stop in zip(rows, starts, starts[1:] + [end], strict=True):
        row = text[start:stop]
        if "\f" in row:  # a page may end after the row, its next page starting with the header
            # (or, after the last row, with the ids the reasons name)
            after = row[row.index("\f") + 1 :]
            assert after == header or (stop == end and after == ""), proposal.id


def test_a_row_longer_than_a_page_breaks_under_the_lists_heading(midweek):
    # kept whole (`break-inside: avoid`), a row longer than a page was pushed off the
    # list's first page, which held its heading alone, and left its tail alone on
    # another: 16 pages for 11 proposals at 84 slots
    from scheduler import reasons as catalog

    instance, solution = midweek
    first = solution.unscheduled[0]
    long = [
        catalog.AT_SLOTS.format(
            why=catalog.CAUSES.format(
                causes=[catalog.workshop_is([catalog.HAS_THEME.format(theme="trust")])]
            ),
            slots=", ".join(f"{s.id}" for s in instance.slots[:8]),
        )
    ] * 150
    by_hand = solution.unscheduled[1].model_copy(update={"reasons": ["a reason by hand"]})
    unscheduled = [first.model_copy(update={"reasons": long}), by_hand, *solution.unscheduled[2:]]
    solution = solution.model_copy(update={"unscheduled": unscheduled})
    html = render_unscheduled_html(instance, solution, lang="fr")
    rows = re.findall(r"<tr( class=\"whole\")?>\n<td><cite", html)
    assert len(rows) == 23 and rows.count("") == 1  # (only the long one may break)
    # each proposal's reasons in a line above them: how many slots each cause rules out
    # (the 150 copies name the same 8 slots: 8, not 1200)
    assert '<p class="gist">8 créneaux\u00a0: 8 sur un autre thème</p>' in html
    # (one naming no slot has no gist: it would say its reason twice)
    assert html.count("a reason by hand") == 1 and html.count('<p class="gist">') == 22
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(html)))
    pages = [squeeze(page.extract_text()) for page in reader.pages]
    title = squeeze(grid_module.label("unscheduled", "fr"))
    at = next(i for i, page in enumerate(pages) if title in page)
    proposal = instance.proposal_by_id[first.proposal]
    listed = [p for p, _ in grid_module.unscheduled_rows(instance, solution, None)]
    opening = squeeze(f"{listed[0].title} ({listed[0].id})")
    assert opening in pages[at]  # the heading and the first row on one page
    assert proposal.id in "".join(pages[at : at + 2])
    # no page of the list nearly blank before the long row ends
    lines = [len(page.extract_text().splitlines()) for page in reader.pages[at:]]
    ends = next(i for i, page in enumerate(pages[at:]) if squeeze(listed[-1].id) in page)
    assert all(n > 20 for n in lines[:ends]), lines


def test_what_the_export_says_it_wrote_counts_every_page(midweek, tmp_path):
    # "2 day pages" was said of a PDF of 9 sheets, the unscheduled proposals' not counted
    html, pdf = grid_outputs(*midweek, tmp_path / "g.html", tmp_path / "g.pdf", unscheduled=True)
    sheets = len(pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert sheets > html.data.decode("utf-8").count('<section class="page day"') == 2
    assert pdf.what == f"PDF, {sheets} pages, {len(pdf.data) // 1024} KiB"
    assert html.what == "2 day pages, then the list of unscheduled proposals (23), fr, A4 landscape"
    # in French when the messages are (`--lang fr`), the labels' language named in it
    html, pdf = grid_outputs(
        *midweek, tmp_path / "g.html", tmp_path / "g.pdf", messages="fr", unscheduled=True
    )
    assert pdf.what == f"PDF, {sheets} pages, {len(pdf.data) // 1024}\u00a0Kio"
    assert html.what == (
        "2 jours, une page par jour, puis la liste des propositions non programmées (23), en "
        "français, A4 paysage"
    )


def test_the_grids_accounts_are_worded_in_the_messages_language():
    account = grid_module.html_account
    assert account(1, 1, 0, 0, "en", "A3") == "1 day page, en, A3 landscape"
    assert account(1, 1, 0, 0, "en", "A3", "fr") == "1 jour, une page, en anglais, A3 paysage"
    assert account(3, 6, 1, 2, "fr", "A4") == (
        "3 days on 6 pages, then the list of published talks no longer in the programme (1) "
        "and that of unscheduled proposals (2), fr, A4 landscape"
    )
    assert account(3, 6, 1, 2, "fr", "A4", "fr") == (
        "3 jours sur 6 pages, puis la liste des interventions publiées qui ne sont plus au "
        "programme (1) et celle des propositions non programmées (2), en français, A4 paysage"
    )
    assert grid_module.pdf_account(1, 2048) == "PDF, 1 page, 2 KiB"
    assert grid_module.pdf_account(7, 412 * 1024, "fr") == "PDF, 7 pages, 412\u00a0Kio"
    assert grid_module.png_account(3, 1123, 794) == (
        "first page only, of 3 day pages, 1123 x 794 px, rendered by headless Chromium"
    )
    assert grid_module.png_account(3, 1123, 794, "fr") == (
        "première page seulement, sur 3 pages de jours, 1123 x 794\u00a0px, rendue par "
        "Chromium sans interface"
    )
    assert grid_module.png_account(1, 1123, 794, "fr").startswith("première page, ")


@pytest.mark.parametrize(
    ("lang", "wrote"),
    [
        ([], "wrote {pdf} (PDF, 3 pages, "),
        (["--lang", "en"], "wrote {pdf} (PDF, 3 pages, "),
        (["--lang", "fr"], "écrit\u00a0: {pdf} (PDF, 3 pages, "),
    ],
)
def test_cli_grid_says_what_it_wrote_in_the_language_asked(lang, wrote, tmp_path, capsys):
    argv = ["export", "grid", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path / "g.pdf")]
    code, out, err = run([*argv, *lang], capsys)
    assert code == 0, err
    assert out.startswith(wrote.format(pdf=tmp_path / "g.pdf")), out
    assert out.rstrip().endswith("\u00a0Kio)" if lang == ["--lang", "fr"] else " KiB)")


def test_a_slot_without_a_workshop_does_not_read_free(tmp_path):
    # "libre" / "free" on the attendees' grid read as an open session or free entry
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    instance = load_instance(BUNDLED)
    published = load_solution(BUNDLED_SOLUTION)
    members = {w.slot: list(w.proposals) for w in published.workshops}
    themes = {w.slot: w.theme for w in published.workshops}
    members["tue-late-aud"] = []
    solution = schedule(instance, members, themes, Status.FEASIBLE)
    room = '<span class="in-room"> · Auditorium Grande Arche</span>'
    for lang, said in (
        ("fr", f"16:30–17:30{room} · pas d&#39;atelier</div>"),
        ("en", f"16:30–17:30{room} · no workshop</div>"),
    ):
        page = render_html(instance, solution, lang)
        assert page.count(said) == 1
        assert "· libre</div>" not in page and "· free</div>" not in page


# -- themes past the palette ------------------------------------------------------


def many_themes(count: int) -> tuple[Instance, Solution]:
    """One day of four rooms and `count` one-hour slots, each holding a keynote alone,
    of a theme of its own."""
    from scheduler.instance import parse_instance
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["themes"] = [
        {"id": f"t{i}", "label": {"fr": f"Thème {i}", "en": f"Theme {i}"}} for i in range(count)
    ]
    data["rooms"] = [{"id": f"r{r}", "name": f"Room {r}"} for r in range(4)]
    data["slots"] = [
        {
            "id": f"s{i}",
            "room": f"r{i % 4}",
            "start": f"2026-12-01T{8 + i // 4:02d}:00:00",
            "end": f"2026-12-01T{8 + i // 4:02d}:55:00",
        }
        for i in range(count)
    ]
    data["speakers"] = [{"id": f"sp{i}", "name": f"Speaker {i}"} for i in range(count)]
    data["proposals"] = [
        {
            "id": f"k{i}",
            "title": f"Keynote {i}",
            "format": "keynote",
            "language": "fr",
            "speakers": [f"sp{i}"],
            "themes": [f"t{i}"],
        }
        for i in range(count)
    ]
    instance = parse_instance(data, "many-themes.yaml")
    members = {f"s{i}": [f"k{i}"] for i in range(count)}
    themes = {f"s{i}": f"t{i}" for i in range(count)}
    return instance, schedule(instance, members, themes, Status.FEASIBLE)


def test_a_day_takes_the_pages_its_workshops_need_to_be_readable(caplog, monkeypatch):
    # 32 workshops of an hour in four rooms fit one A4 page at 5.5 pt: two pages of half
    # a day print them at 8.5 pt, and the grid takes those
    instance, solution = many_themes(32)
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        pages = build_days(instance, solution, "fr", geometry("A4"))
    assert not caplog.records
    assert [p.span for p in pages] == ["08:00–11:55", "12:00–15:55"]
    assert min(b.font_pt for p in pages for b in p.blocks) >= grid_module.READABLE_PT
    # cut only for the text to fit, as before: one page, and too small
    monkeypatch.setattr(grid_module, "READABLE_PT", grid_module.MIN_FONT)
    caplog.clear()
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        (page,) = build_days(instance, solution, "fr", geometry("A4"))
    assert max(b.font_pt for b in page.blocks) <= grid_module.SMALL_PT
    assert "printed at 6 pt or less" in caplog.records[0].getMessage()


def test_themes_past_the_palette_each_have_a_look_of_their_own(caplog):
    # at 12 themes the palette of 8 came round again: "Open models" and "Culture" were
    # the same orange on a page and in its legend
    instance, solution = many_themes(32)  # four rounds of the palette
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        page = render_html(instance, solution)
    assert not caplog.records
    blocks = dict(re.findall(r"^\.theme-(\d+) \{ (.*) \}$", page, re.M))
    bars = dict(re.findall(r"^\.workshop\.theme-(\d+)::before \{ (.*) \}$", page, re.M))
    swatches = dict(re.findall(r"^\.swatch\.theme-(\d+) \{ (.*) \}$", page, re.M))
    looks = [blocks[i] + bars.get(i, "") for i in blocks]
    assert len(set(looks)) == len(blocks) == len(instance.themes)
    assert len(set(swatches.values())) == len(swatches) == len(instance.themes)
    styles = grid_module.theme_styles(instance, "fr")
    for theme in instance.themes:  # the bar's pattern in the block and in the legend
        style = styles[theme.id]
        index = str(style.index)
        if style.pattern == "solid":
            assert index not in bars and style.colour in blocks[index]
            assert swatches[index] == f"background: {style.colour};"
        else:
            assert "border-left-color: transparent" in blocks[index]
            assert style.bar in bars[index] and style.bar in swatches[index]
            assert style.colour in style.bar
    assert {s.pattern for s in styles.values()} == set(grid_module.PATTERNS)
    # every theme is in each legend, and none looks like a slot without a workshop
    pages = page.count('<section class="page day"')
    assert page.count('<span class="swatch theme-') == len(instance.themes) * pages
    empty = re.search(r"^\.free \{[^}]*background: (#[0-9a-fA-F]{3,6});", page, re.M).group(1)
    assert empty.lower() in ("#fff", "#ffffff")
    assert all(s.background.upper() != "#FFFFFF" for s in styles.values())
    # past every look, the export says so
    instance, solution = many_themes(33)
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        render_html(instance, solution)
    assert [r.getMessage() for r in caplog.records] == [
        "33 themes, and the grid has 32 looks for them (a colour and a bar's pattern): "
        "theme 33 on share one with an earlier theme, told apart by its letter and name"
    ]


def test_each_theme_is_told_by_a_letter_in_its_blocks_and_its_legend_key(hostile):
    # the first eight themes were told apart by colour alone: printed in black and white
    # their bars and the legend's swatches were greys, and which was which was lost
    for instance, solution in (hostile, (load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION))):
        styles = grid_module.theme_styles(instance, "fr")
        letters = [styles[t.id].letter for t in instance.themes]
        assert letters == [chr(ord("A") + i) for i in range(len(instance.themes))]
        page = render_html(instance, solution)
        blocks = re.findall(r"<article .*?</article>", page, re.S)
        assert len(blocks) == len(solution.workshops)
        columns = {room.id: i for i, room in enumerate(instance.rooms)}
        for block, workshop in zip(
            blocks,
            sorted(solution.workshops, key=lambda w: (w.start, columns[w.room])),
            strict=True,
        ):
            style = styles[workshop.theme]
            header = re.search(r"<h2>(.*?)</h2>", block, re.S).group(1)
            assert (
                f'<span class="badge letter">{style.letter}</span> '
                f'<span class="theme">{escape(style.label)}</span>'
            ) in header
        used = {w.theme for w in solution.workshops}
        legend = re.findall(
            r'<span class="key"><span class="swatch theme-(\d+)"></span>'
            r'<span class="badge letter">(\w+)</span> ([^<]*)</span>',
            page,
        )
        pages = page.count('<section class="page day"')
        assert len(legend) == len(used) * pages
        for index, letter, name in legend:
            theme = instance.themes[int(index)]
            assert (letter, html_lib.unescape(name)) == (
                styles[theme.id].letter,
                theme.label.get("fr"),
            )
        # in black and white too: the letter is text, black on white
        rule = re.search(r"^\.badge\.letter \{([^}]*)\}", page, re.M).group(1)
        assert "background: #fff" in rule and "color: #1a1a1a" in rule


def test_theme_letters_go_on_past_z_as_spreadsheet_columns_do():
    letter = grid_module.theme_letter
    assert [letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"
    ]  # fmt: skip
    instance, _ = many_themes(33)
    assert len({s.letter for s in grid_module.theme_styles(instance, "en").values()}) == 33


def test_a_mixed_workshop_tags_each_talk_and_the_legend_says_so(tmp_path):
    # the block read "FR + EN" and nothing said which talk was in which language (a
    # title need not be in its talk's), nor what "FR + EN" meant in the legend
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    instance = load_instance(BUNDLED)
    published = load_solution(BUNDLED_SOLUTION)
    members = {w.slot: list(w.proposals) for w in published.workshops}
    themes = {w.slot: w.theme for w in published.workshops}
    members["wed-pm-seine"].remove("p33")  # an English initiative on open models
    members["tue-am-aud"].append("p33")  # with a French keynote on open models
    solution = schedule(instance, members, themes, Status.FEASIBLE)
    (mixed,) = (w for w in solution.workshops if w.language == "mixed")
    for lang, key in (
        ("en", "mixed: each talk tagged with its language"),
        ("fr", "mixte\u00a0: la langue de chaque intervention est indiquée"),
    ):
        page = render_html(instance, solution, lang)
        blocks = re.findall(r"<article .*?</article>", page, re.S)
        (block,) = (b for b in blocks if '<span class="badge">FR + EN</span>' in b)
        tags = re.findall(r'<span class="badge tag">(\w+)</span> <cite lang="(\w+)">', block)
        talks = [p for p in mixed.proposals]
        assert tags == [
            (
                instance.proposal_by_id[p].language.value.upper(),
                instance.proposal_by_id[p].language.value,
            )
            for p in talks
        ]
        assert {t for t, _ in tags} == {"FR", "EN"}
        assert 'class="badge tag"' not in "".join(b for b in blocks if b != block)
        days = page.count('<section class="page day"')
        assert page.count(f'<span class="badge">FR + EN</span> {html_lib.escape(key)}') == days
    # without a mixed workshop, neither
    page = render_html(instance, published, "en")
    assert "badge tag" not in page and "each talk tagged" not in page


def small_text_said(caplog, instance, solution) -> dict[str, tuple[list[str], list[float]]]:
    """By paper, the warnings the grid's layout logs and the size of each workshop."""
    said = {}
    for paper in ("A4", "A3"):
        caplog.clear()
        with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
            pages = build_days(instance, solution, "fr", geometry(paper))
        sizes = [b.font_pt for p in pages for b in p.blocks if not b.free]
        said[paper] = ([r.getMessage() for r in caplog.records], sizes)
    return said


def test_the_bundled_grid_on_a4_prints_every_workshop_above_6_pt_without_a_warning(caplog):
    # the tool's own sample, printed as it comes (A4), warned that 5 of its 12 workshops
    # were at 6 pt or less (5.25 the smallest) and recommended A3
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    said = small_text_said(caplog, instance, solution)
    messages, sizes = said["A4"]
    assert messages == [] and min(sizes) > grid_module.SMALL_PT
    assert sorted(sizes)[1] >= 7  # all but one at 7 pt or more
    messages, sizes = said["A3"]
    assert messages == [] and min(sizes) >= 8
    pages = build_days(instance, solution, "fr", geometry("A4"))
    assert len(pages) == len(days_with_slots(instance))  # still a page a day


def test_a_block_with_room_prints_its_text_above_8_5_pt_and_its_room_names_to_match():
    # the size stopped at 8.5 pt: on A3 the bundled blocks were half empty at 8.5 pt
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    pages = build_days(instance, solution, "fr", geometry("A3"))
    sizes = [b.font_pt for p in pages for b in p.blocks]
    assert min(sizes) > 8.5 and max(sizes) == grid_module.FONT_STEPS[0] == 10
    # the room names, on one line, as large as the heading holds
    assert {(p.room_pt, p.room_head) for p in pages} == {(9.5, grid_module.ROOM_HEAD)}


def staggered(count: int) -> tuple[Instance, Solution]:
    """One day of two rooms and `count` one-hour slots, each starting half an hour after
    the one before (in the other room), each holding a keynote alone: one run of
    overlapping slots from 08:00 to the end of the day, which no page can cut."""
    from scheduler.instance import parse_instance
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["themes"] = [{"id": "t", "label": {"fr": "Communs", "en": "Commons"}}]
    data["rooms"] = [{"id": f"r{r}", "name": f"Room {r}"} for r in range(2)]
    day = datetime(2026, 12, 1, 8)
    data["slots"] = [
        {
            "id": f"s{i}",
            "room": f"r{i % 2}",
            "start": (day + timedelta(minutes=30 * i)).isoformat(),
            "end": (day + timedelta(minutes=30 * i + 60)).isoformat(),
        }
        for i in range(count)
    ]
    data["speakers"] = [
        {"id": f"sp{i}", "name": f"Speaker {i}", "affiliation": "Institut des communs numériques"}
        for i in range(count)
    ]
    data["proposals"] = [
        {
            "id": f"k{i}",
            "title": "Gouvernance partagée des communs numériques",
            "format": "keynote",
            "language": "fr",
            "speakers": [f"sp{i}"],
            "themes": ["t"],
        }
        for i in range(count)
    ]
    instance = parse_instance(data, "staggered.yaml")
    members = {f"s{i}": [f"k{i}"] for i in range(count)}
    themes = {f"s{i}": "t" for i in range(count)}
    return instance, schedule(instance, members, themes, Status.FEASIBLE)


def test_small_text_on_a4_is_said_when_it_is_and_a3_recommended(caplog):
    # sixteen staggered hours in two rooms: one run from 08:00 to 16:30, 20 mm an hour
    # on A4 whatever the pages, and a workshop's text at 6 pt
    said = small_text_said(caplog, *staggered(16))
    messages, sizes = said["A4"]
    small = [pt for pt in sizes if pt <= 6]
    assert small and messages == [
        f"{len(small)} of {len(sizes)} workshops are printed at 6 pt or less on A4 paper (the "
        f"smallest at {min(small):g} pt), small to read on a wall; --paper A3 prints them larger"
    ]
    messages, sizes = said["A3"]
    assert messages == [] and min(sizes) > 6


# -- what changed since the published programme, told ---------------------------------


def republished_after_withdrawals(tmp_path: Path) -> tuple[Instance, Solution, Solution]:
    """The bundled instance with p06 and p07 withdrawn and Wednesday morning's Salle
    Puteaux closed (GRID-1's recipe), and a schedule of it made from the published one:
    the closed slot's workshop (p12, p22) moved into Wednesday afternoon's Salle Seine,
    whose p03 and p33 moved into Thursday morning's, in place of p06; Thursday
    afternoon's Salle Seine emptied (p07 withdrawn); p29 left unscheduled."""
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    source = BUNDLED.read_text(encoding="utf-8")
    start, end = source.index("  - id: p06"), source.index("  - id: p08")
    source = source[:start] + source[end:]
    closed = 'end: "2026-12-02T11:00:00"}'
    assert source.count(closed) == 1
    source = source.replace(closed, 'end: "2026-12-02T11:00:00", closed: true}')
    path = tmp_path / "commons-ai-2026.yaml"
    path.write_text(source, encoding="utf-8")
    instance = load_instance(path)
    published = load_solution(BUNDLED_SOLUTION)
    members = {w.slot: list(w.proposals) for w in published.workshops}
    themes = {w.slot: w.theme for w in published.workshops}
    members["wed-am-puteaux"] = members["thu-pm-seine"] = []
    members["wed-pm-seine"] = ["p12", "p22", "p34"]
    themes["wed-pm-seine"] = "materiality"
    members["thu-am-seine"] = ["p03", "p26", "p27", "p33"]
    members["tue-am-aud"] = ["p01"]
    return instance, published, schedule(instance, members, themes, Status.FEASIBLE)


@pytest.fixture(scope="module")
def withdrawals(tmp_path_factory) -> tuple[Instance, Solution, Solution]:
    return republished_after_withdrawals(tmp_path_factory.mktemp("withdrawals"))


def _texts(page: str, tag: str, cls: str) -> list[str]:
    """The text of each `tag` element of class `cls`, its markup dropped."""
    found = re.findall(rf'<{tag} class="{cls}"[^>]*>(.*?)</{tag}>', page, re.S)
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", t)).split()) for t in found]


def test_a_speaker_gone_with_her_talk_is_named_as_the_published_file_recorded_her(
    withdrawals, tmp_path
):
    # p07 withdrawn and its speaker Léa Marchetti (s10), who spoke nowhere else, taken out
    # of the instance: the page of talks no longer in the programme named her "s10"
    instance, published, new = withdrawals
    data = yaml.safe_load(instance.model_dump_json())
    data["speakers"] = [s for s in data["speakers"] if s["id"] != "s10"]
    without = parse_instance(data, tmp_path / "commons-ai-2026.yaml")
    page = render_html(without, new, "fr", reference=published)
    section = re.search(r'<section class="page dropped"[^>]*>(.*?)</section>', page, re.S).group(1)
    plain = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", section)).split())
    assert published.speaker_labels()["s10"] == "Léa Marchetti (Fondation Logiciels communs)"
    assert "Léa Marchetti (Fondation Logiciels communs)" in plain
    assert " s10 " not in f" {plain} "


def test_a_talk_moved_since_publication_says_where_it_was(withdrawals):
    # the reprinted grid said only *modifié* on the block a talk moved into: an
    # attendee holding the published programme could not find it
    instance, published, new = withdrawals
    for lang, was in (
        (
            "fr",
            [
                "initialement : mer. 10:05, Salle Puteaux",
                "initialement : mer. 10:45, Salle Puteaux",
            ],
        ),
        ("en", ["was: Wed 10:05, Salle Puteaux", "was: Wed 10:45, Salle Puteaux"]),
    ):
        page = render_html(instance, new, lang, reference=published)
        said = [t.replace("\u00a0", " ") for t in _texts(page, "span", "was")]
        thursday = "mer. 14:05, Salle Seine" if lang == "fr" else "Wed 14:05, Salle Seine"
        later = "mer. 15:05, Salle Seine" if lang == "fr" else "Wed 15:05, Salle Seine"
        # in time order: Wednesday afternoon's p12 and p22, Thursday morning's p03, p33
        prefix = was[0].split(" mer.")[0].split(" Wed")[0]  # initialement : / was:
        assert said == was + [f"{prefix} {thursday}", f"{prefix} {later}"]
        # each under its talk, in the block it moved into
        block = re.search(
            r'<article class="workshop[^"]*changed"[^>]*>(?:(?!</article>).)*'
            r"Compute as a commons(?:(?!</article>).)*</article>",
            page,
            re.S,
        )
        assert block and "Salle Puteaux" in block.group(0)
        # the talks that stayed (p26, p27 in Thursday's Salle Seine) say nothing more
        assert page.count('class="was"') == 4
    # without a reference, or against itself, no such line
    assert 'class="was"' not in render_html(instance, new, "fr")
    assert 'class="was"' not in render_html(instance, new, "fr", reference=new)


def test_an_emptied_or_closed_slot_lists_its_published_talks_and_where_they_went(withdrawals):
    # a closed or emptied slot read only *fermé* / *annulé*: what was published there and
    # where it went was nowhere on the poster
    instance, published, new = withdrawals
    talks = ("keynote", "initiative")
    now = {i.proposal: i.start for w in new.workshops for i in w.items if i.kind.value in talks}
    p12, p22 = (f"{instance.local(now[p]):%H:%M}" for p in ("p12", "p22"))
    for lang, shut, cancelled, wed, gone in (
        ("fr", "créneau fermé par la coordination", "annulé", "mer.", "— proposition retirée"),
        ("en", "slot closed by the coordinators", "cancelled", "Wed", "— withdrawn"),
    ):
        page = render_html(instance, new, lang, reference=published)
        blocks = _texts(page, "div", "free changed")
        changed = grid_module.label("changed", lang)
        emptied = published.workshop_of()["p07"].room  # (its room, named in its block)
        emptied = grid_module.room_name(instance, emptied)
        assert blocks == [
            f"{changed} 10:00–11:00 · Salle Puteaux · {shut} "
            f"10:05 {instance.proposal_by_id['p12'].title} → {wed} {p12}, Salle Seine "
            f"10:45 {instance.proposal_by_id['p22'].title} → {wed} {p22}, Salle Seine",
            # p07, withdrawn from the instance, by the title the published file recorded
            f"{changed} 14:00–15:00 · {emptied} · {cancelled} 14:05 {published.titles['p07']} {gone}",
        ]


def test_an_emptied_slot_s_talk_still_proposed_reads_not_scheduled_not_withdrawn():
    # a talk unscheduled now, still a proposal, read "— withdrawn" / « retirée du
    # programme », as though its speaker had withdrawn it
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    instance, published = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    members = {w.slot: list(w.proposals) for w in published.workshops}
    themes = {w.slot: w.theme for w in published.workshops}
    emptied = published.workshops[0]
    members[emptied.slot] = []
    new = schedule(instance, members, themes, Status.FEASIBLE)
    for lang, said in (("fr", "— non programmée"), ("en", "— not scheduled")):
        page = render_html(instance, new, lang, reference=published)
        (block,) = _texts(page, "div", "free changed")
        assert block.count(said) == len(emptied.proposals), block
        assert grid_module.label("withdrawn_talk", lang) not in block


def test_where_a_talk_went_does_not_break_between_the_arrow_the_day_and_the_time(
    withdrawals,
):
    # « → » at a line's end and « jeu. » apart from « 14:05 » (a French reader's review)
    instance, published, new = withdrawals
    page = render_html(instance, new, "fr", reference=published)
    assert "→\u00a0mer.\u00a014:05, Salle Seine" in page
    assert "initialement\u00a0: mer.\u00a010:05, Salle Puteaux" in page


def test_a_withdrawn_title_is_marked_in_its_published_workshop_s_language(withdrawals):
    # no `lang` on a withdrawn talk's title: an English one was the page's French
    instance, published, new = withdrawals
    gone = {"p06", "p07"} - set(instance.proposal_by_id)
    assert gone == {"p06", "p07"}
    spoken = {p: w.language for w in published.workshops for p in w.proposals if p in gone}
    page = render_html(instance, new, "fr", reference=published)
    for proposal_id, language in spoken.items():
        # (FR2-12: the space the title has before « : » a no-break one, as the console
        # writes it: the printed grid put « : quand les agents … » at a line's start)
        title = html_lib.escape(held_marks(published.titles[proposal_id]), quote=False)
        assert "\u00a0:" in title or proposal_id != "p07"
        assert f'<cite lang="{language}">{title}</cite>' in page, proposal_id


def test_talks_no_longer_in_the_programme_are_listed_after_the_days(withdrawals, tmp_path):
    # p06, withdrawn from the instance, vanished from the reprinted grid without a trace
    instance, published, new = withdrawals
    for lang, heading, was, gone, unscheduled in (
        (
            "fr",
            "Interventions publiées qui ne sont plus au programme (3)",
            (
                "mar. 11:10, Auditorium Grande Arche",
                "jeu. 09:35, Salle Seine",
                "jeu. 14:05, Salle Seine",
            ),
            "proposition retirée",
            "non programmée",
        ),
        (
            "en",
            "Published talks no longer in the programme (3)",
            (
                "Tue 11:10, Auditorium Grande Arche",
                "Thu 09:35, Salle Seine",
                "Thu 14:05, Salle Seine",
            ),
            "proposal withdrawn",
            "not scheduled",
        ),
    ):
        page = render_html(instance, new, lang, reference=published)
        section = re.search(r'<section class="page dropped"[^>]*>(.*?)</section>', page, re.S)
        assert section, lang
        outline = Outline(section.group(1))
        assert heading in outline.plain
        rows = re.findall(r"<tr>\s*<td>(.*?)</tr>", section.group(1), re.S)
        cells = [
            [
                " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", c)).split())
                for c in re.split(r"</td>\s*<td>", r)
            ]
            for r in rows
        ]
        p29 = instance.proposal_by_id["p29"]
        assert [c[0] for c in cells] == [
            f"{p29.title} (p29)",
            f"{published.titles['p06']} (p06)",
            f"{published.titles['p07']} (p07)",
        ]
        assert [c[2] for c in cells] == list(was)
        assert [c[3].removesuffix("</td>").strip() for c in cells] == [unscheduled, gone, gone]
        # the speakers of a withdrawn proposal, by the published file's record
        assert "Léa Marchetti" in cells[2][1]
        # after the day pages; the published grid has no unscheduled list to point to
        assert page.index('class="page day"') < page.index('class="page dropped"')
        assert 'class="page unscheduled"' not in page
        # with the list (--unscheduled), before it, and pointing to it
        page = render_html(instance, new, lang, reference=published, unscheduled=True)
        assert page.index('class="page dropped"') < page.index('class="page unscheduled"')
        see = {"fr": "(voir «\u00a0Propositions non programmées\u00a0»)"}
        assert f"{unscheduled} {see.get(lang, '(see “Unscheduled proposals”)')}</td>" in page
    assert 'class="page dropped"' not in render_html(instance, new, "fr")
    # what the export says it wrote, and the PDF's pages
    html, pdf = grid_outputs(
        instance, new, tmp_path / "g.html", tmp_path / "g.pdf", reference=published
    )
    assert html.what == (
        "3 day pages, then the list of published talks no longer in the programme (3), fr, A4 "
        "landscape; the unscheduled proposals (1) left out: --unscheduled adds their list"
    )
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 4
    dropped = squeeze(reader.pages[3].extract_text())
    assert squeeze("Interventions publiées qui ne sont plus au programme") in dropped
    assert squeeze(published.titles["p06"]) in dropped


def test_the_pdf_prints_where_moved_talks_were_and_went(withdrawals):
    instance, published, new = withdrawals
    pdf = html_to_pdf(render_html(instance, new, "fr", reference=published))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    wednesday, thursday = (squeeze(reader.pages[i].extract_text()) for i in (1, 2))
    assert squeeze("initialement : mer. 10:05, Salle Puteaux") in wednesday.replace("\u00a0", "")
    assert squeeze("→ mer. 14:05, Salle Seine") in wednesday
    assert squeeze("proposition retirée") in thursday


def test_the_fit_estimate_counts_the_lines_told_since_publication(withdrawals):
    # the lines added cost room: each block's font is chosen with them counted
    instance, published, new = withdrawals
    before = {
        (d.date, b.left, b.top): b.font_pt
        for d in build_days(instance, new, "fr", geometry("A4"))
        for b in d.blocks
    }
    after = build_days(instance, new, "fr", geometry("A4"), published)
    told = {(d.date, b.left, b.top): b for d in after for b in d.blocks}
    moved_into = {k: b for k, b in told.items() if any(line.was for line in b.lines)}
    assert len(moved_into) == 2
    # (one at 8.5 pt with the lines, the largest size: its block has room for them)
    assert all(b.font_pt <= before[k] for k, b in moved_into.items())
    assert any(b.font_pt < before[k] for k, b in moved_into.items())
    assert [len(b.gone) for b in told.values() if b.gone] == [2, 1]


FREE_FITS = """
  for (const block of document.querySelectorAll('article.workshop, div.free')) {
    const box = block.getBoundingClientRect();
    const style = getComputedStyle(block);
    const last = block.lastElementChild || block;
    const bottom = (block.lastElementChild ? last.getBoundingClientRect().bottom
      : box.top + block.scrollHeight) + parseFloat(style.paddingBottom)
      + parseFloat(style.borderBottomWidth);
    let right = 0;
    for (const el of block.querySelectorAll('*')) {
      for (const r of el.getClientRects()) right = Math.max(right, r.right);
    }
    rows.push(Math.ceil(bottom - box.top) + ' ' + Math.floor(box.height) + ' '
      + Math.ceil(right) + ' ' + Math.floor(box.right));
  }"""


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "paper"), [("fr", "A4"), ("en", "A4"), ("fr", "A3")])
def test_browser_the_lines_told_since_publication_fit_their_blocks(
    withdrawals, lang, paper, tmp_path, caplog
):
    require_browser()
    instance, published, new = withdrawals
    with caplog.at_level("WARNING", logger="scheduler.exports.grid"):
        html = render_html(instance, new, lang, paper, reference=published)
    assert not [r for r in caplog.records if "overflow" in r.getMessage()]
    assert html.count('class="was"') == 4 and html.count('<ol class="gone">') == 2
    rows = probe_rows(html, tmp_path / "probe.html", FREE_FITS)
    assert len(rows) == html.count('<article class="workshop') + html.count('<div class="free')
    for need, have, right, edge in rows:
        assert need <= have + 1, (need, have)
        assert right <= edge + 1, (right, edge)


# -- the PNG's scale -------------------------------------------------------------------


@pytest.mark.browser
def test_cli_png_scale_sharpens_the_first_page(tmp_path, capsys, monkeypatch):
    # a 96 dpi screenshot only: 5.25 pt lines were 7 px high, the kinds a blur, and
    # export_grid's png_scale was not on the command line
    require_browser()
    from functools import partial

    from PIL import Image

    import scheduler.exports.browser as browser_module

    # five Chromium runs, the timeout a guard (2.5-5.6 s a run at a load of 17-20, of
    # 60): a longer guard
    patient = partial(screenshot, timeout=300)
    monkeypatch.setattr(browser_module, "screenshot", patient)

    argv = ["export", "grid", str(BUNDLED), str(BUNDLED_SOLUTION)]
    width, height = geometry("A4").pixels
    code, out, err = run([*argv, "-o", str(tmp_path / "x2.png"), "--png-scale", "2"], capsys)
    assert code == 0, err
    with Image.open(tmp_path / "x2.png") as image:
        assert image.size == (2 * width, 2 * height)
    # what it wrote says it is the first page only, and its size
    assert f"(first page only, of 3 day pages, {2 * width} x {2 * height} px," in out
    # at 1, the same bytes as without the option (and as before it, the code unchanged)
    html = tmp_path / "g.html"
    code, _, err = run([*argv, "-o", str(html), "--png", str(tmp_path / "x1.png")], capsys)
    assert code == 0, err
    code, _, err = run(
        [*argv, "-o", str(html), "--png", str(tmp_path / "one.png"), "--png-scale", "1"], capsys
    )
    assert code == 0, err
    assert (tmp_path / "x1.png").read_bytes() == (tmp_path / "one.png").read_bytes()
    shot = patient(html, tmp_path / "direct.png", width, height)
    assert (tmp_path / "x1.png").read_bytes() == shot.read_bytes()
    # export all too
    code, out, err = run(
        ["export", "all", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path / "all")]
        + ["--png", "--png-scale", "1.5"],
        capsys,
    )
    assert code == 0, err
    with Image.open(tmp_path / "all" / "grid.png") as image:
        assert abs(image.size[0] - 1.5 * width) <= 1 and abs(image.size[1] - 1.5 * height) <= 1


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--png", "--png-scale", "5"], "'--png-scale': 5: give a scale from 1 to 4"),
        (["--png", "--png-scale", "0.5"], "'--png-scale': 0.5: give a scale from 1 to 4"),
        # (click's range said 'nan' should be "less than or equal to 4")
        (["--png", "--png-scale", "nan"], "'--png-scale': not a number: give a scale from 1"),
        (["--png-scale", "2"], "none is asked: add --png"),
    ],
    ids=["above-4", "below-1", "nan", "without-png"],
)
@pytest.mark.parametrize("command", ["grid", "all"])
def test_cli_png_scale_is_from_1_to_4_and_needs_a_png(command, extra, said, tmp_path, capsys):
    out = tmp_path / ("g.html" if command == "grid" else "all")
    if command == "grid" and "--png" in extra:  # export grid's --png takes a file
        extra = [a if a != "--png" else f"--png={tmp_path / 'g.png'}" for a in extra]
    argv = ["export", command, str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(out), *extra]
    code, _, err = run(argv, capsys)
    assert code == 2 and said in " ".join(err.split())
    assert not out.exists()


@pytest.mark.parametrize("command", ["grid", "all"])
def test_the_help_says_the_png_is_the_first_page_only(command, capsys):
    code, out, _ = run(["export", command, "--help"], capsys)
    assert code == 0
    said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", out).split())
    assert "--png-scale" in said and "first page only" in said


def test_items_of_no_minutes_are_left_out_of_the_blocks(tmp_path):
    # rules allowing 0 (opening 0, participatory 0): the block read "09:00 Ouverture",
    # then "09:20 Temps participatif" at the closing's own minute
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["rules"] = {"participatory": {"min": 0, "target": 0, "max": 0}, "opening_minutes": 0}
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    instance = load_instance(path)
    solution = solve(instance, instance_hash(path), OPTIONS)
    kinds = [i.kind.value for w in solution.workshops for i in w.items if i.start == i.end]
    assert "participatory" in kinds and "opening" in kinds
    page = render_html(instance, solution, "fr")
    assert "Temps participatif" not in page and "Ouverture" not in page.split("<body")[1]
    assert "Clôture" in page  # (5 minutes: kept)


def test_a_talk_presented_by_others_since_marks_its_block_changed(tmp_path):
    # Julien Ferrand no longer presents p01 with Claire Dumontet: `diff` and the calendars
    # said so, the reprinted grid did not mark the block
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    next(p for p in data["proposals"] if p["id"] == "p01")["speakers"] = ["s01"]
    instance = parse_instance(data, tmp_path / "commons-ai-2026.yaml")
    published = load_solution(BUNDLED_SOLUTION)
    new = published.model_copy(deep=True)
    new.speakers["p01"] = ["s01"]
    page = render_html(instance, new, "en", reference=published)
    marked = re.findall(r'<(article|div) class="[^"]*\bchanged\b[^"]*"', page)
    assert marked == ["article"]  # p01's workshop, and no other
    assert "badge changed" not in render_html(instance, published, "en", reference=published)


def test_a_workshop_moved_to_another_room_marks_its_block_changed(tmp_path):
    # FR-20: a slot moved to another room (`import --keep` keeps its id): its keynote said
    # « initialement : jeu. 09:35, Salle Seine » in a block that was not marked
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    published = load_solution(BUNDLED_SOLUTION)
    first = published.workshops[0]
    other = next(r["id"] for r in data["rooms"] if r["id"] != first.room)
    next(s for s in data["slots"] if s["id"] == first.slot)["room"] = other
    instance = parse_instance(data, tmp_path / "commons-ai-2026.yaml")
    new = published.model_copy(deep=True)
    new.workshops[0].room = other
    page = render_html(instance, new, "fr", reference=published)
    marked = re.findall(r'<(article|div) class="[^"]*\bchanged\b[^"]*"', page)
    assert marked == ["article"]  # the moved workshop, and no other
    assert "initialement" in page


def test_titles_keep_their_marks_on_their_line_as_the_console_does(tmp_path):
    # FR2-12: a title typed the French way (« … l'IA : que reste-t-il … ? ») could be
    # broken before its « : » or « ? » on the printed grid; the console already held
    # them (`held_marks`). The calendars and diff's report keep the title as typed: they
    # are text other tools search and copy
    instance = load_instance(ROOT / "instances" / "commons-ai-2026.yaml")
    solution = load_solution(PUBLISHED)
    typed = next(
        p.title for p in instance.proposals if " : " in p.title and not set("'&\"<>") & set(p.title)
    )
    assert " : " not in held_marks(typed) and "\u00a0: " in held_marks(typed)
    for lang in ("fr", "en"):
        page = render_html(instance, solution, lang=lang)
        assert html_lib.escape(held_marks(typed), quote=False) in page, lang
        assert html_lib.escape(typed, quote=False) not in page, lang


# -- read aloud: in DOM order, as a screen reader or the PDF's text gives it ----------


class Sheets(HTMLParser):
    """Each day page's room headings and blocks in DOM order: a block's text, and the
    text of its `in-room` span."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.pages: list[dict] = []
        self._stack: list[str] = []  # what each open element is: 'room', 'block', 'in-room', ''
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "section" and "day" in classes:
            self.pages.append({"rooms": [], "blocks": [], "hidden": []})
        kind = ""
        if tag == "div" and "room" in classes:
            kind = "room"
            self.pages[-1]["rooms"].append("")
        elif (tag == "article" and "workshop" in classes) or (tag == "div" and "free" in classes):
            kind = "block"
            self.pages[-1]["blocks"].append({"text": "", "room": ""})
        elif tag == "span" and "in-room" in classes:
            kind = "in-room"
        elif tag == "div" and "hour" in classes:
            kind = "hour"
            self.pages[-1]["hidden"].append(dict(attrs).get("aria-hidden"))
        self._stack.append(kind)

    def handle_endtag(self, tag):
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if "room" in self._stack:
            self.pages[-1]["rooms"][-1] += data
        if "block" in self._stack:
            self.pages[-1]["blocks"][-1]["text"] += data
        if "in-room" in self._stack:
            self.pages[-1]["blocks"][-1]["room"] += data


def bundled_with_an_empty_slot() -> tuple[Instance, Solution]:
    """The bundled schedule with Tuesday's 16:30 workshop taken out: an empty slot."""
    from scheduler.solution import Status
    from scheduler.workshops import schedule

    instance = load_instance(BUNDLED)
    published = load_solution(BUNDLED_SOLUTION)
    members = {w.slot: list(w.proposals) for w in published.workshops}
    themes = {w.slot: w.theme for w in published.workshops}
    members["tue-late-aud"] = []
    return instance, schedule(instance, members, themes, Status.FEASIBLE)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_block_names_its_room_and_a_row_reads_as_the_columns_go(lang):
    # A11Y-1: a workshop's room was only its column's heading, placed above it, and
    # blocks starting together came in the rooms' ids' order (on 1 Dec at 14:00 the
    # third column's before the second's): read aloud, nothing said where a workshop was
    instance, solution = bundled_with_an_empty_slot()
    sheets = Sheets(render_html(instance, solution, lang)).pages
    blocks = [b for sheet in sheets for b in sheet["blocks"]]
    assert len(blocks) == len([s for s in instance.slots if not s.closed])
    assert sum("no workshop" in b["text"] or "pas d'atelier" in b["text"] for b in blocks) == 1
    names = {r.id: grid_module.room_name(instance, r.id) for r in instance.rooms}
    for sheet in sheets:
        read = []
        for block in sheet["blocks"]:
            # "FR 14:00–15:30 · Salle Puteaux · B …", the room after the time
            start, room = re.match(
                r"\s*(?:\w+ )?(\d\d:\d\d)–\d\d:\d\d · ([^·]+?) · ", block["text"]
            ).groups()
            assert block["room"] == f" · {room}" and room in names.values(), block
            read.append((start, sheet["rooms"].index(room)))
        assert read == sorted(read), read
        assert sheet["hidden"] and set(sheet["hidden"]) == {"true"}  # the hours' axis
    # the case the rooms' ids misread: Salle Puteaux's id before Salle Seine's
    tuesday = [b["room"] for b in sheets[0]["blocks"] if "14:00–" in b["text"]]
    assert tuesday == [" · Salle Seine", " · Salle Puteaux"]
    assert sorted(r.id for r in instance.rooms if r.name in ("Salle Seine", "Salle Puteaux"))[
        0
    ] == next(r.id for r in instance.rooms if r.name == "Salle Puteaux")


def test_the_pdf_gives_each_block_s_room_before_its_text():
    # its text in paint order: a positioned room came after the block's timeline, read
    # as the next block's; it is drawn under the block's text, first
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(render_html(instance, solution))))
    text = reader.pages[0].extract_text()
    said = re.findall(r"· ([^\n·]+?)\s*(?:FR|EN|FR \+ EN) (\d\d:\d\d)–", text)
    assert said == [
        ("Auditorium Grande Arche", "10:00"),
        ("Salle Seine", "14:00"),
        ("Salle Puteaux", "14:00"),
        ("Auditorium Grande Arche", "16:30"),
    ]


# -- the unscheduled list: the coordinators', not the published grid's -----------------


def test_export_all_writes_the_unscheduled_list_beside_a_grid_without_it(hostile, tmp_path, capsys):
    # A11Y-5: the grid the FOST team publishes ended with the proposals turned down, their
    # speakers and, in the reasons, when each speaker is available; nothing left it out
    instance, solution = hostile
    path = solution.write(tmp_path / "s.json")
    out = tmp_path / "out"
    code, said, err = run(["export", "all", str(HOSTILE), str(path), "-o", str(out)], capsys)
    assert code == 0, err
    title = next(p.title for p in instance.proposals if p.id == solution.unscheduled[0].proposal)
    grid = (out / "grid.html").read_text(encoding="utf-8")
    assert 'class="page unscheduled"' not in grid and "Gus Absent" not in grid
    assert str(escape(title)) not in grid
    listed = (out / "unscheduled.html").read_text(encoding="utf-8")
    assert Outline(listed).title == f"{instance.event.title} — Propositions non programmées"
    assert not Outline(listed).sections("day")
    assert str(escape(title)) in listed and "Gus Absent" in listed
    pdf = squeeze("".join(p.extract_text() for p in pypdf.PdfReader(out / "unscheduled.pdf").pages))
    assert squeeze("Propositions non programmées (1)") in pdf and squeeze("Gus Absent") in pdf
    grid_pdf = pypdf.PdfReader(out / "grid.pdf")
    assert len(grid_pdf.pages) == len(days_with_slots(instance))
    assert "GusAbsent" not in squeeze("".join(p.extract_text() for p in grid_pdf.pages))
    lines = said.splitlines()
    assert lines[1] == (
        f"wrote {out / 'grid.html'} (2 day pages, fr, A4 landscape; the unscheduled proposals "
        "(1) in unscheduled.html)"
    )
    assert lines[3] == (
        f"wrote {out / 'unscheduled.html'} (the unscheduled proposals (1) and why, for the "
        "coordinators, not to publish, fr)"
    )
    assert lines[4].startswith(f"wrote {out / 'unscheduled.pdf'} (PDF, 1 page, ")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_export_grid_adds_the_unscheduled_list_only_when_asked(lang, hostile, tmp_path, capsys):
    instance, solution = hostile
    path = solution.write(tmp_path / "s.json")
    argv = ["export", "grid", str(HOSTILE), str(path), "--lang", lang]
    code, said, err = run([*argv, "-o", str(tmp_path / "g.pdf")], capsys)
    assert code == 0, err
    left_out = {
        "en": "; the unscheduled proposals (1) left out: --unscheduled adds their list)",
        "fr": "\u00a0; sans les propositions non programmées (1)\u00a0: --unscheduled en ajoute "
        "la liste)",
    }[lang]
    assert said.rstrip().endswith(left_out), said  # (a PDF alone: its line says so)
    assert len(pypdf.PdfReader(tmp_path / "g.pdf").pages) == 2
    code, said, err = run([*argv, "-o", str(tmp_path / "g.html"), "--unscheduled"], capsys)
    assert code == 0, err
    assert "--unscheduled" not in said  # (no note: the list is in the grid)
    assert (
        "then the list of unscheduled proposals (1)" if lang == "en" else "puis la liste"
    ) in said
    page = (tmp_path / "g.html").read_text(encoding="utf-8")
    assert len(Outline(page).sections("unscheduled")) == 1


def test_the_unscheduled_list_of_none_says_so():
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    assert not solution.unscheduled
    for lang, said in (
        ("fr", "Toutes les propositions sont programmées."),
        ("en", "Every proposal is scheduled."),
    ):
        page = Outline(render_unscheduled_html(instance, solution, lang))
        assert said in page.plain and not page.elements("table")
        assert grid_module.list_account(0, lang, lang).startswith(
            "aucune proposition non programmée" if lang == "fr" else "no proposal left unscheduled"
        )
    # the published grid of none has no such page
    assert 'class="page unscheduled"' not in render_html(instance, solution, unscheduled=True)
    (html, pdf) = unscheduled_outputs(instance, solution, Path("u.html"), Path("u.pdf"))
    assert html.what == "no proposal left unscheduled, fr"
    assert len(pypdf.PdfReader(io.BytesIO(pdf.data)).pages) == 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_format_and_affiliations_in_the_other_language_say_so(lang):
    # A11Y-4: the participatory format and the affiliations, written in the talk's
    # language, inherited the page's: read aloud with the wrong voice
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    page = render_html(instance, solution, lang)
    notes = re.findall(r'<span class="note"( lang="(\w+)")?>[^:]*: ([^<]+)</span>', page)
    whos = re.findall(r'<span class="who"(?: lang="(\w+)")?>([^<]+)</span>', page)
    formats = {
        html_lib.unescape(" ".join(p.participatory_format.split())): p.language.value
        for p in instance.proposals
        if p.participatory_format
    }
    assert notes and len(notes) == len(formats)
    for _, said, text in notes:
        assert said == formats[" ".join(html_lib.unescape(text).split())]
    # each talk's speakers after its title, which is in the talk's language
    talks = re.findall(r'<cite lang="(\w+)">.*?</cite><span class="who"(?: lang="(\w+)")?>', page)
    assert len(talks) == sum(len(w.proposals) for w in solution.workshops)
    assert {spoken for spoken, _ in talks} == {"fr", "en"}
    for spoken, said in talks:
        assert said == ("" if spoken == lang else spoken)
    assert len(whos) == len(talks)


# -- on a narrow screen: a list; on a wide one, text grown scrolls in its block --------


def probe_at(html: str, path: Path, width: int, height: int, rows_js: str) -> list[tuple[int, ...]]:
    """`probe_rows` in a window of `width` x `height` CSS pixels."""
    from scheduler.exports import browser

    script = (
        "<script>\ndocument.addEventListener('DOMContentLoaded', () => {\n  const rows = [];\n"
        + rows_js
        + "\n  const out = document.createElement('pre');\n  out.id = 'probe';\n"
        "  out.textContent = rows.join('\\n');\n  document.body.appendChild(out);\n});\n"
        "</script></body>"
    )
    path.write_text(html.replace("</body>", script), encoding="utf-8")
    done = browser._run(path, [f"--window-size={width},{height}", "--dump-dom"], 60)
    probe = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout.decode("utf-8"), re.S)
    return [tuple(map(int, line.split())) for line in html_lib.unescape(probe.group(1)).split("\n")]


NARROW = """
  // (headless Chromium's window is 500 px at least: the page laid out 390 px wide)
  document.documentElement.style.width = '390px';
  let right = 0;
  for (const element of document.body.querySelectorAll('*')) {
    right = Math.max(right, element.getBoundingClientRect().right);
  }
  rows.push(window.innerWidth + ' ' + Math.ceil(right) + ' '
            + document.documentElement.scrollWidth);
  rows.push('-2 ' + Math.round(document.querySelector('nav.days').getBoundingClientRect().height));
  let bottom = 0;
  for (const page of document.querySelectorAll('section.day')) {
    bottom = 0;
    for (const hidden of page.querySelectorAll('.hour, .room')) {
      rows.push('-1 ' + Math.round(hidden.getBoundingClientRect().width));
    }
    for (const block of page.querySelectorAll('article.workshop, div.free')) {
      const box = block.getBoundingClientRect();
      const room = block.querySelector('.in-room').getBoundingClientRect();
      const size = parseFloat(getComputedStyle(block).fontSize);
      // top, bottom, left, right, font size, the room's width, the text's height
      rows.push([box.top, box.bottom, box.left, box.right, size, room.width,
                 block.scrollHeight - block.clientHeight].map(Math.round).join(' '));
    }
  }"""


@pytest.mark.browser
@pytest.mark.parametrize("source", ["bundled", "bench-150"])
def test_browser_a_phone_reads_each_day_as_a_list_without_scrolling_across(source, tmp_path):
    # A11Y-2: on a phone a day was a 297 mm sheet: its first column on screen, the rest
    # behind a horizontal scroll, or, with no viewport, the whole sheet at a third of
    # its size
    require_browser()
    if source == "bundled":
        instance, solution = bundled_with_an_empty_slot()
    else:
        instance = load_instance(ROOT / "instances" / "bench" / "bench-150-easy.yaml")
        solution = greedy_solution(instance)
    page = render_html(instance, solution, unscheduled=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    (window, right, scrolled), *rows = probe_at(page, tmp_path / "g.html", 390, 844, NARROW)
    width = 390
    assert window <= 1122  # (narrower than an A4 sheet: the list)
    assert right <= width  # nothing past the screen's edge, the list's page's tables too
    assert scrolled <= window  # no scrolling across
    (_, index), *rows = rows
    assert index > 20  # the days' index shown at the top (A11Y-9)
    hidden = [r for r in rows if r[0] == -1]
    blocks = [r for r in rows if r[0] != -1]
    assert hidden and all(w == 0 for _, w in hidden)  # the axis and the columns' heads
    assert len(blocks) == len([s for s in instance.slots if not s.closed])
    previous = None
    for top, bottom, left, right, size, room, spilled in blocks:
        assert left >= 0 and right <= width
        assert size >= 16  # the reader's size (the sheet's 6.5-10 pt: 8-13 px)
        assert room > 0  # its room shown
        assert spilled <= 0  # as tall as its text
        if previous is not None and previous < top + 400:  # (a new page starts lower)
            assert top >= previous  # one under the other, in the HTML's order
        previous = bottom


LIST_NARROW = """
  // (headless Chromium's window is 500 px at least: the page laid out 390 px wide)
  document.documentElement.style.width = '390px';
  let right = 0;
  for (const element of document.body.querySelectorAll('*')) {
    right = Math.max(right, element.getBoundingClientRect().right);
  }
  const table = document.querySelector('table.rows');
  rows.push([window.innerWidth, Math.ceil(right), document.documentElement.scrollWidth,
             Math.round(table.getBoundingClientRect().width)].join(' '));
  for (const row of table.querySelectorAll('tbody tr')) {
    [...row.cells].forEach((cell, i) => {
      const box = cell.getBoundingClientRect();
      const named = getComputedStyle(cell, '::before').content;
      const header = table.tHead.rows[0].cells[i].textContent;
      // top, bottom, width, font size, whether its column's name heads it
      rows.push([box.top, box.bottom, box.width, parseFloat(getComputedStyle(cell).fontSize),
                 named.includes(header) ? 1 : 0].map(Math.round).join(' '));
    });
  }"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_browser_a_phone_reads_the_unscheduled_list_a_proposal_under_the_other(lang, tmp_path):
    # CAL: 390 px wide, unscheduled.html's five columns took some 60 px each, a word a
    # line or less ("Propositio / n", "Thè / me", "Initia / tive")
    require_browser()
    instance = load_instance(ROOT / "instances" / "bench" / "bench-150-easy.yaml")
    solution = greedy_solution(instance)
    (output,) = unscheduled_outputs(instance, solution, tmp_path / "u.html", lang=lang)
    html = output.data.decode("utf-8")
    probed = probe_at(html, tmp_path / "u.html", 390, 844, LIST_NARROW)
    (window, right, scrolled, table), *cells = probed
    width = 390
    assert window <= 1122  # (narrower than an A4 sheet)
    assert right <= width and scrolled <= window  # no scrolling across
    assert len(cells) == 5 * len(unplaced_ids(instance, solution)) > 0
    previous = None
    for i, (top, bottom, across, size, named) in enumerate(cells):
        assert across >= table - 1  # each cell the list's whole width: one under another
        assert size >= 16  # at the reader's size
        assert named == (i % 5 != 0)  # headed by its column's name, but the title
        if previous is not None:
            assert top >= previous
        previous = bottom


def unplaced_ids(instance: Instance, solution: Solution) -> list[str]:
    placed = {p for w in solution.workshops for p in w.proposals}
    return [p.id for p in instance.proposals if p.id not in placed]


WIDE = """
  for (const block of document.querySelectorAll('article.workshop')) {
    const style = getComputedStyle(block);
    rows.push([block.getBoundingClientRect().height, block.scrollHeight - block.clientHeight,
               style.overflowY === 'auto' ? 1 : 0].map(Math.round).join(' '));
  }
  // the legend's keys, not cut: their bottom, and the sheet's
  const legend = document.querySelector('footer.legend');
  const keys = Math.max(...[...legend.children].map(k => k.getBoundingClientRect().bottom));
  const visible = getComputedStyle(legend).overflowY === 'visible' ? 1 : 0;
  rows.push('-1 ' + Math.round(keys - legend.closest('section').getBoundingClientRect().bottom)
            + ' ' + visible);"""


NAV = """
  const box = document.querySelector('nav.days').getBoundingClientRect();
  rows.push(Math.round(box.width) + ' ' + Math.round(box.height));"""


@pytest.mark.browser
def test_browser_text_grown_past_a_block_scrolls_in_it_on_a_wide_screen(tmp_path):
    # A11Y-7: with WCAG's text spacing (or a larger minimum font size) the timelines ran
    # out of their blocks, over the next block and the legend's keys
    require_browser()
    instance, solution = load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION)
    page = render_html(instance, solution)
    spacing = (
        "<style>* { line-height: 1.5 !important; letter-spacing: 0.12em !important; "
        "word-spacing: 0.16em !important; }</style></head>"
    )
    *blocks, (_, below, visible) = probe_at(
        page.replace("</head>", spacing), tmp_path / "g.html", 1440, 900, WIDE
    )
    assert len(blocks) == len(solution.workshops)
    assert all(scrolls == 1 for _, _, scrolls in blocks)
    assert any(spilled > 0 for _, spilled, _ in blocks)  # grown past: scrolled inside
    assert visible and below <= 0  # the legend's keys shown, on their sheet
    # at the sheet's own width, the sheet (what the PNG shows): no block scrolls
    width, height = geometry("A4").pixels
    rows = probe_at(page, tmp_path / "g.html", width, height, WIDE)
    assert all(spilled <= 0 for _, spilled, _ in rows[:-1])
    assert rows[0][0] > 100  # drawn to the scale of time, not a list
    # the days' index kept out of the sheets' way there (and out of the PNG's)
    (index,) = probe_at(page, tmp_path / "g.html", width, height, NAV)
    assert index == (1, 1)
    # the list only below a sheet's width, on A3 too (the PNG's window is that width)
    for paper in ("A4", "A3"):
        html = render_html(instance, solution, paper=paper)
        narrow = re.search(r'<style media="screen and \(max-width: (\d+)px\)">', html)
        assert int(narrow.group(1)) == geometry(paper).pixels[0] - 1, paper


# -- moving around: headings and an index of the days --------------------------------


def test_workshops_are_headings_under_their_day_and_an_index_links_to_each_day(tmp_path):
    # A11Y-9: the only headings were a page's <h1>; a workshop's header was no heading,
    # and nothing linked to the days' sections (8 sheets at 150 proposals)
    instance = load_instance(ROOT / "instances" / "bench" / "bench-150-easy.yaml")
    solution = greedy_solution(instance)
    page = render_html(instance, solution, unscheduled=bool(solution.unscheduled))
    headings = re.findall(r"<(h[1-6])[ >]", page)
    assert headings[0] == "h1" and set(headings) <= {"h1", "h2"}
    days = build_days(instance, solution, "fr", geometry("A4"))
    assert headings.count("h1") == len(days) + bool(solution.unscheduled)
    # each workshop an <h2>, its article's first child: its time, room and theme
    articles = re.findall(r"<article [^>]*>\n(<h2>.*?</h2>)", page)
    assert len(articles) == len(solution.workshops) == page.count("<article ")
    for heading in articles:
        text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", heading)).split())
        assert re.fullmatch(r"(FR|EN|FR \+ EN) \d\d:\d\d–\d\d:\d\d · Room \d+ · [A-Z]+ .+", text)
    # the index: a link per day, to its first page, then to the lists
    nav = re.search(r'<nav class="days" aria-label="Jours du programme">(.*?)</nav>', page, re.S)
    assert page.index("<nav") < page.index("<section")
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav.group(1))
    first = [d for d in days if d.part == 1]
    expected = [(d.anchor, f"{d.label[:1].upper()}{d.label[1:]}") for d in first]
    if solution.unscheduled:
        expected.append(("unscheduled", "Propositions non programmées"))
    assert links == expected
    assert len(first) < len(days)  # (days of several pages: a link each, to the first)
    ids = set(re.findall(r' id="([^"]+)"', page))
    assert {anchor for anchor, _ in links} <= ids
    # not printed: the PDF's first page starts with the day
    reader = pypdf.PdfReader(io.BytesIO(html_to_pdf(render_html(*bundled_with_an_empty_slot()))))
    assert reader.pages[0].extract_text().startswith("Mardi 1er décembre 2026")


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of two #rrggbb or #rgb colours."""

    def luminance(colour: str) -> float:
        digits = colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_an_empty_slot_s_label_is_contrasted_enough():
    # A11Y-10: "pas d'atelier" was #777 on white, 4.48:1, under WCAG AA's 4.5:1
    assert round(contrast("#777", "#fff"), 2) == 4.48
    page = render_html(*bundled_with_an_empty_slot())
    rule = re.search(r"^\.free \{([^}]*)\}", page, re.M).group(1)
    colour = re.search(r"(?<!-)color: (#\w+)", rule).group(1)
    background = re.search(r"background: (#\w+)", rule).group(1)
    assert contrast(colour, background) >= 4.5


# -- the PNG, whole and the same each time ---------------------------------------


SIZED = """<!DOCTYPE html>
<style>html { background: #c00; }</style>
<script>
addEventListener("load", () => {
  if (innerWidth === 640 && innerHeight === 400) {
    document.documentElement.style.background = "#0a0";
  }
});
</script>"""


@pytest.mark.browser
def test_the_page_is_laid_out_at_the_picture_s_size_before_it_is_taken(tmp_path):
    # Chromium's --screenshot laid the page out 143 px shorter (its window less the tab
    # strip) and enlarged the window to take the picture: under load, 1 run in 6 had the
    # tiles so uncovered unpainted, grey squares over the grid's bottom right corner. A
    # page green only if it loads in a viewport of the picture's size stayed red
    require_browser()
    from PIL import Image

    page = tmp_path / "sized.html"
    page.write_text(SIZED, encoding="utf-8")
    for scale in (1, 2):
        png = browser.screenshot(page, tmp_path / f"sized-{scale}.png", 640, 400, scale)
        with Image.open(png) as image:
            colours = image.convert("RGB").getcolors()
        assert colours == [(640 * 400 * scale * scale, (0, 0xAA, 0))], scale


FAILING_CHROMIUM = """#!/bin/sh
echo "starting" >&2
echo "Missing X server" >&2
exit 3
"""


def test_a_chromium_that_fails_or_hangs_is_said_and_no_png_is_written(tmp_path, monkeypatch):
    chromium = tmp_path / "chromium"
    chromium.write_text(FAILING_CHROMIUM)
    chromium.chmod(0o755)
    monkeypatch.setenv("CHROMIUM", str(chromium))
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><p>Commons AI</p>", encoding="utf-8")
    said = r"Chromium failed on .*page\.html \(exit 3\): starting \| Missing X server"
    with pytest.raises(browser.BrowserError, match=said):
        browser.screenshot(page, tmp_path / "page.png", 640, 400)
    chromium.write_text("#!/bin/sh\nexec sleep 300\n")  # (never answers on its pipe)
    with pytest.raises(browser.BrowserError, match=r"Chromium took more than 1s on "):
        browser.screenshot(page, tmp_path / "page.png", 640, 400, timeout=1)
    assert not (tmp_path / "page.png").exists()


def test_a_chromium_without_setcontentssize_still_gives_the_picture(tmp_path):
    # (the method is recent; the viewport set after it is what the picture takes)
    class OlderChromium:
        def __init__(self):
            self.called = []

        def call(self, method, session=None, **params):
            self.called.append(method)
            answers = {
                "Target.createTarget": {"targetId": "t"},
                "Target.attachToTarget": {"sessionId": "s"},
                "Browser.getWindowForTarget": {"windowId": 1},
                "Page.navigate": {"loaderId": "l"},
                "Page.captureScreenshot": {"data": base64.b64encode(b"PNG").decode()},
            }
            if method == "Browser.setContentsSize":
                raise browser.BrowserError(f"Chromium failed on page: {method}: not found")
            return answers.get(method, {})

        def event(self, method, **expected):
            return {}

    older = OlderChromium()
    assert browser._shot(older, tmp_path / "page.html", 640, 400, 1.0) == b"PNG"
    assert older.called[-1] == "Page.captureScreenshot"
    assert "Emulation.setDeviceMetricsOverride" in older.called


@pytest.mark.browser
def test_the_png_is_the_same_bytes_each_time():
    # in 1 of 4 runs a grey block over the bottom right corner (`screenshot`)
    require_browser()
    html = render_html(load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION))
    shots = [grid_module.png_bytes(html, "A4") for _ in range(3)]
    assert shots[1] == shots[0] and shots[2] == shots[0]


@pytest.mark.browser
def test_the_png_has_no_grey_edge_at_any_scale():
    # at every scale above 1 the desk's grey showed past the sheet: its last row of
    # pixels (793.7 px high), or its first two columns where Chromium made the window
    # wider than asked
    require_browser()
    from PIL import Image

    html = render_html(load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION))
    width = geometry("A4").pixels[0]
    desk = (0xD4, 0xD4, 0xD4)
    for scale in (2, 1.25):
        with Image.open(io.BytesIO(grid_module.png_bytes(html, "A4", scale))) as image:
            rgb = image.convert("RGB")
        assert abs(rgb.size[0] - width * scale) <= 1, scale
        right, bottom = rgb.size[0] - 1, rgb.size[1] - 1
        edge = [(x, y) for x in range(rgb.size[0]) for y in (0, 1, bottom - 1, bottom)]
        edge += [(x, y) for y in range(rgb.size[1]) for x in (0, 1, right - 1, right)]
        assert [xy for xy in edge if rgb.getpixel(xy) == desk] == [], scale


# -- unusual environments ------------------------------------------------------------


def test_the_grid_s_pdf_brings_no_warning_of_its_own_css(caplog):
    # every PDF said "Invalid media type ... the whole @media rule was ignored" of the
    # sheet's centring on a wide screen, which WeasyPrint reads no media feature of
    html = render_html(load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION))
    with caplog.at_level("WARNING", logger="weasyprint"):
        html_to_pdf(html)
    assert [r.getMessage() for r in caplog.records if r.name == "weasyprint"] == []


@pytest.mark.browser
def test_the_sheet_is_centred_in_a_wider_window_only(tmp_path):
    require_browser()
    html = render_html(load_instance(BUNDLED), load_solution(BUNDLED_SOLUTION))
    width = geometry("A4").pixels[0]
    left = "rows.push(Math.round(document.querySelector('.page').getBoundingClientRect().left));"
    ((wide,),) = probe_at(html, tmp_path / "wide.html", width + 400, 900, left)
    ((own,),) = probe_at(html, tmp_path / "own.html", width, 900, left)
    assert (wide, own) == (200, 0)


class NoPango(importlib.abc.MetaPathFinder):
    """WeasyPrint's import where its system libraries are missing (macOS without Homebrew's
    pango, a slim Docker image)."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError(
                "cannot load library 'libgobject-2.0-0': libgobject-2.0-0: cannot open shared "
                "object file: No such file or directory"
            )
        return None


def test_without_pango_export_all_says_what_to_install_and_writes_nothing(
    tmp_path, monkeypatch, capsys
):
    # a traceback, exit 1, and not even the calendars, which need no PDF
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    out = tmp_path / "out"
    code, _, err = run(
        ["export", "all", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(out)], capsys
    )
    assert code == 2
    assert "cannot load library 'libgobject-2.0-0'" in err and "brew install pango" in err
    assert "Traceback" not in err and not out.exists()
    # the grid's HTML needs no WeasyPrint; its PDF says the same as `export all`
    html = tmp_path / "g.html"
    argv = ["export", "grid", str(BUNDLED), str(BUNDLED_SOLUTION), "-o"]
    assert run([*argv, str(html)], capsys)[0] == 0 and html.is_file()
    code, _, err = run([*argv, str(tmp_path / "g.pdf")], capsys)
    assert code == 2 and "brew install pango" in err and not (tmp_path / "g.pdf").exists()


def test_a_chromium_named_but_missing_is_said(tmp_path, monkeypatch, capsys):
    # "no Chromium found on PATH ... or set CHROMIUM", though it was set
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "chrome"))
    argv = ["export", "all", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path / "out")]
    code, _, err = run([*argv, "--png"], capsys)
    assert code == 2
    assert f"CHROMIUM={tmp_path / 'chrome'}: no such program" in " ".join(err.split())
    assert not (tmp_path / "out").exists()


def test_on_a_mac_chrome_is_found_among_the_applications(tmp_path, monkeypatch):
    # macOS applications are not on PATH: "install Debian's chromium"
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(browser.BrowserError, match="set CHROMIUM to its program: /Applications/"):
        browser.chromium()
    chrome = tmp_path / "Applications" / "Google Chrome.app" / "Contents" / "MacOS"
    chrome.mkdir(parents=True)
    (chrome / "Google Chrome").write_text("#!/bin/sh\n")
    (chrome / "Google Chrome").chmod(0o755)
    assert browser.chromium() == str(chrome / "Google Chrome")


@pytest.mark.browser
def test_the_png_is_made_where_tmpdir_names_a_missing_folder(tmp_path, monkeypatch):
    # Python's temporary files fell back to /tmp; Chromium, reading TMPDIR itself, failed:
    # "Failed to create a ProcessSingleton for your profile directory"
    require_browser()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "gone"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # (as at a command's start)
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><p>Commons AI</p>", encoding="utf-8")
    assert browser.screenshot(page, tmp_path / "page.png", 400, 300).is_file()


FAKE_CHROMIUM = """#!/bin/sh
# a browser that starts a helper and waits, as Chromium does, and says their ids once
# the export talks to it (on its DevTools pipe, descriptor 3): said at once, the SIGTERM
# could come while Python was still starting it, when it cannot stop it yet
sleep 300 &
head -c 1 <&3 >/dev/null
echo $$ $! > "$FAKE_CHROMIUM_PIDS"
wait
"""


def running(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting for its parent to read its end does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigterm_during_the_png_removes_the_temporary_folders_and_stops_chromium(tmp_path):
    # a CI job's time limit left scheduler-grid-* (the grid, speakers' names) and
    # scheduler-chromium-* in TMPDIR, and Chromium running
    chromium = tmp_path / "chromium"
    chromium.write_text(FAKE_CHROMIUM)
    chromium.chmod(0o755)
    temporary, pids = tmp_path / "tmp", tmp_path / "pids"
    temporary.mkdir()
    environment = {
        **os.environ,
        "CHROMIUM": str(chromium),
        "TMPDIR": str(temporary),
        "FAKE_CHROMIUM_PIDS": str(pids),
    }
    argv = ["export", "grid", str(BUNDLED), str(BUNDLED_SOLUTION), "-o", str(tmp_path / "g.png")]
    command = subprocess.Popen(
        [sys.executable, "-m", "scheduler", *argv],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        while not (pids.is_file() and len(pids.read_text().split()) == 2):
            assert command.poll() is None, command.communicate()[1].decode()
            time.sleep(0.1)
        assert sorted(p.name.split("-")[1] for p in temporary.iterdir()) == ["chromium", "grid"]
        command.send_signal(signal.SIGTERM)
        _, err = command.communicate(timeout=120)
    finally:
        command.kill()
    assert command.returncode == 143, err.decode()
    assert list(temporary.iterdir()) == []
    left = [int(pid) for pid in pids.read_text().split()]
    for _ in range(100):  # (the kill is sent; the helper's end may take a moment)
        if not any(running(pid) for pid in left):
            break
        time.sleep(0.1)
    assert [pid for pid in left if running(pid)] == []
