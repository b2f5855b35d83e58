"""Tables: one row per timeline item, as CSV and XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from scheduler.exports.common import (
    Output,
    default_stamp,
    ordered_workshops,
    room_name,
    theme_label,
)
from scheduler.instance import Instance
from scheduler.solution import ItemKind, Solution
from scheduler.text import counted

COLUMNS = [
    "day",
    "start",
    "end",
    "room",
    "slot",
    "theme",
    "language",
    "kind",
    "proposal",
    "title",
    "speakers",
    "affiliations",
    "participatory_format",
]

HEADERS: dict[str, dict[str, str]] = {
    # English keeps the column ids (what earlier tables had, and what scripts read);
    # French is what a coordinator of the call reads by default
    "en": {column: column for column in COLUMNS},
    "fr": {
        "day": "jour",
        "start": "début",
        "end": "fin",
        "room": "salle",
        "slot": "créneau",
        "theme": "thème",
        "language": "langue",
        "kind": "type",
        "proposal": "proposition",
        "title": "titre",
        "speakers": "intervenant·es",
        "affiliations": "affiliations",
        "participatory_format": "format participatif",
    },
}
"""The header row of the written tables, per `--lang`."""

KINDS: dict[str, dict[str, str]] = {
    "en": {kind.value: kind.value for kind in ItemKind},
    "fr": {
        ItemKind.OPENING.value: "ouverture",
        ItemKind.KEYNOTE.value: "keynote",
        ItemKind.PARTICIPATORY.value: "temps participatif",
        ItemKind.INITIATIVE.value: "initiative",
        ItemKind.CLOSING.value: "clôture",
    },
}
"""The `kind` column's words, per `--lang`."""

# A spreadsheet reads a cell starting with one of these as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a quote to text a spreadsheet would run as a formula (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def programme_frame(instance: Instance, solution: Solution, lang: str = "fr") -> pd.DataFrame:
    """The raw table (no neutralising): rows in time order, workshop by workshop."""
    rows = []
    for workshop in ordered_workshops(instance, solution):
        day = instance.local(workshop.start).date()
        for item in workshop.items:
            proposal = instance.proposal_by_id.get(item.proposal) if item.proposal else None
            speakers = [instance.speaker_by_id[s] for s in proposal.speakers] if proposal else []
            rows.append(
                {
                    "day": day.isoformat(),
                    "start": f"{instance.local(item.start):%H:%M}",
                    "end": f"{instance.local(item.end):%H:%M}",
                    "room": room_name(instance, workshop.room),
                    "slot": workshop.slot,
                    "theme": theme_label(instance, workshop.theme, lang),
                    "language": workshop.language,
                    "kind": item.kind.value,
                    "proposal": item.proposal or "",
                    "title": proposal.title if proposal else "",
                    "speakers": "; ".join(s.name for s in speakers),
                    "affiliations": "; ".join(s.affiliation for s in speakers),
                    "participatory_format": (proposal.participatory_format or "")
                    if proposal and item.kind.value == "participatory"
                    else "",
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS, dtype="string")


def written_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`frame` as the files show it: the header and the kinds of item in `lang`."""
    shown = frame.assign(kind=frame["kind"].map(KINDS[lang]).astype("string"))
    return shown.rename(columns=HEADERS[lang])


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the accents), CRLF rows as RFC 4180 has them."""
    safe = frame.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    text = safe.to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, stamp: datetime, sheet: str = "Programme") -> bytes:
    """An XLSX whose text cells stay text, with fixed dates so the same table gives the same bytes."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet, index=False)
        worksheet = writer.sheets[sheet]
        for row in worksheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    # Stored as a string cell with Excel's quote prefix: shown as typed,
                    # and still text if someone edits the cell.
                    cell.data_type = "s"
                    cell.quotePrefix = True
        worksheet.freeze_panes = "A2"
        worksheet.auto_filter.ref = worksheet.dimensions
        for column in worksheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            worksheet.column_dimensions[column[0].column_letter].width = min(max(width, 6) + 2, 60)
        properties = writer.book.properties
        properties.creator = "commons-scheduler"
        properties.created = stamp.replace(tzinfo=None)
    return _fixed_zip(buffer.getvalue(), stamp)


def _zip_time(stamp: datetime) -> tuple[int, ...]:
    """`stamp` as a ZIP entry's time, which holds 1980 to 2107 only: a stamp outside is
    brought to the nearest end (the document properties keep it whole). Before, a
    stamp on 1 Jan 1980 in Paris (1979 in UTC) or an event in 2150 was a traceback."""
    moment = stamp.timetuple()[:6]
    return max((1980, 1, 1, 0, 0, 0), min(moment, (2107, 12, 31, 23, 59, 58)))


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the archive with one fixed date for its entries and its document properties."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + when.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_zip_time(stamp))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


def rows(count: int, messages: str = "en") -> str:
    """What a table holds, in the language of the console's messages: '42 rows', '42
    lignes'."""
    return counted(count, messages, "row", "ligne")


def csv_output(
    instance: Instance, solution: Solution, path: Path, lang: str = "fr", messages: str = "en"
) -> Output:
    """programme.csv: labels in `lang`, its account in `messages`."""
    frame = written_frame(programme_frame(instance, solution, lang), lang)
    return Output(Path(path), csv_bytes(frame), rows(len(frame), messages))


def xlsx_output(
    instance: Instance,
    solution: Solution,
    path: Path,
    lang: str = "fr",
    stamp: datetime | None = None,
    messages: str = "en",
) -> Output:
    """programme.xlsx: labels in `lang`, its account in `messages`."""
    frame = written_frame(programme_frame(instance, solution, lang), lang)
    data = xlsx_bytes(frame, stamp or default_stamp(instance))
    return Output(Path(path), data, rows(len(frame), messages))


__all__ = [
    "COLUMNS",
    "HEADERS",
    "KINDS",
    "csv_bytes",
    "csv_output",
    "neutralise",
    "programme_frame",
    "written_frame",
    "xlsx_bytes",
    "xlsx_output",
]
