"""Properties of the exports on random valid instances, each read back by real parsers:
every workshop's and talk's times in both iCalendar parsers equal the solution's, in
any timezone; the CSV holds every timeline item; the grid shows every title as text."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pandas as pd
import vobject
from conftest import write_ics
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_properties import instances

from scheduler.exports.common import write_outputs
from scheduler.exports.grid import render_html
from scheduler.exports.ics import IcsOptions
from scheduler.exports.tables import csv_output
from scheduler.greedy import greedy_solution
from scheduler.instance import parse_instance
from scheduler.solution import ItemKind

# zones far from Paris and from each other: behind UTC, half-hour and quarter-hour
# offsets, south of the equator (summer time in December), and UTC itself
ZONES = [
    "Europe/Paris",
    "America/New_York",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "UTC",
]
# titles with what the formats escape or fold: commas, semicolons, backslashes,
# quotes, markup, long words, accents, emoji and right-to-left text
TEXT = st.text(
    alphabet=st.sampled_from(list('abcXYZ ,;:\\"<>&é€ß—🙂شمس\u00a0')),
    min_size=1,
    max_size=90,
).filter(lambda text: text.strip())


class _Text(HTMLParser):
    """The text of an HTML page, outside <style>, entities decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._style = self._style or tag == "style"

    def handle_endtag(self, tag):
        self._style = self._style and tag != "style"

    def handle_data(self, data):
        if not self._style:
            self.parts.append(data)


def _squeezed(text: str) -> str:
    return "".join(text.split())


@settings(
    max_examples=int(os.environ.get("EXPORT_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(instances(), st.sampled_from(ZONES), st.data())
def test_exports_read_back_with_every_time_and_text(data, zone, draw):
    data["event"]["timezone"] = zone
    for proposal in data["proposals"]:
        proposal["title"] = draw.draw(TEXT)
    instance = parse_instance(data, "random.yaml")
    solution = greedy_solution(instance)
    if not solution.has_schedule:  # (a pin first fit cannot keep)
        return
    event(f"workshops: {len(solution.workshops) if len(solution.workshops) < 3 else '3 or more'}")
    expected = {}  # UID -> (start, end) in UTC, from the timelines
    for workshop in solution.workshops:
        expected[f"random/workshop/{workshop.slot}@commons-scheduler"] = (
            workshop.start,
            workshop.end,
        )
        for item in workshop.items:
            if item.kind in (ItemKind.KEYNOTE, ItemKind.INITIATIVE):
                end = max(i.end for i in workshop.items if i.proposal == item.proposal)
                expected[f"random/talk/{item.proposal}@commons-scheduler"] = (item.start, end)
    expected = {uid: (a.astimezone(UTC), b.astimezone(UTC)) for uid, (a, b) in expected.items()}
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        write_ics(instance, solution, directory, IcsOptions(items=True))
        raw = (directory / "programme.ics").read_bytes()
        events = icalendar.Calendar.from_ical(raw).walk("VEVENT")
        by_icalendar = {
            str(e["UID"]): (
                e.decoded("DTSTART").astimezone(UTC),
                e.decoded("DTEND").astimezone(UTC),
                str(e["SUMMARY"]),
            )
            for e in events
        }
        # vobject reads the offsets from the file's own VTIMEZONE, not from tzdata
        calendar = vobject.readOne(raw.decode("utf-8"))
        by_vobject = {
            e.uid.value: (
                e.dtstart.value.astimezone(UTC),
                e.dtend.value.astimezone(UTC),
                e.summary.value,
            )
            for e in getattr(calendar, "vevent_list", [])  # (none in an empty programme)
        }
        assert {uid: times[:2] for uid, times in by_icalendar.items()} == expected
        assert by_vobject == by_icalendar
        for proposal in {p for w in solution.workshops for p in w.proposals}:
            proposal = instance.proposal_by_id[proposal]
            title = f"[{proposal.language.value.upper()}] {proposal.title}"
            assert by_icalendar[f"random/talk/{proposal.id}@commons-scheduler"][2] == title

        write_outputs([csv_output(instance, solution, directory / "p.csv")])
        back = pd.read_csv(
            directory / "p.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
        assert len(back) == sum(len(w.items) for w in solution.workshops)

    page = _Text()
    page.feed(render_html(instance, solution))
    shown = _squeezed("".join(page.parts))
    for proposal in {p for w in solution.workshops for p in w.proposals}:
        assert _squeezed(instance.proposal_by_id[proposal].title) in shown
