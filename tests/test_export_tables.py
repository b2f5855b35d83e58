"""CSV and XLSX tables: one row per timeline item, texts intact, nothing a spreadsheet would run."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scheduler.cli import main
from scheduler.exports.common import write_outputs
from scheduler.exports.tables import (
    COLUMNS,
    HEADERS,
    KINDS,
    csv_bytes,
    csv_output,
    neutralise,
    programme_frame,
    written_frame,
    xlsx_bytes,
    xlsx_output,
)
from scheduler.instance import Instance, instance_hash, load_instance
from scheduler.solution import Solution
from scheduler.solve import SolveOptions, solve

HOSTILE = Path(__file__).parent / "data" / "exports" / "hostile.yaml"
RISKY = ("=", "+", "-", "@")
STAMP = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def solved() -> tuple[Instance, Solution]:
    instance = load_instance(HOSTILE)
    solution = solve(instance, instance_hash(HOSTILE), SolveOptions(time_limit=5, workers=1))
    assert solution.has_schedule
    return instance, solution


@pytest.fixture(scope="module")
def frame(solved) -> pd.DataFrame:
    return programme_frame(*solved)


def test_one_row_per_timeline_item_workshop_by_workshop(solved, frame):
    instance, solution = solved
    assert list(frame.columns) == COLUMNS
    assert len(frame) == sum(len(w.items) for w in solution.workshops)
    # Workshops by start time, each one's timeline kept together and in order.
    by_slot = {w.slot: w for w in solution.workshops}
    slots = list(dict.fromkeys(frame["slot"]))
    assert [by_slot[s].start for s in slots] == sorted(by_slot[s].start for s in slots)
    for slot in slots:
        rows = frame[frame["slot"] == slot]
        assert list(rows["kind"]) == [i.kind.value for i in by_slot[slot].items]
        assert list(rows["start"]) == [
            f"{instance.local(i.start):%H:%M}" for i in by_slot[slot].items
        ]
    k1 = frame[(frame["proposal"] == "k1") & (frame["kind"] == "keynote")].iloc[0]
    workshop = solution.workshop_of()["k1"]
    assert k1["title"] == instance.proposal_by_id["k1"].title
    assert k1["speakers"] == "Ana Martín"
    assert k1["affiliations"] == "Université Paris-Saclay; LISN, équipe « Communs »"
    assert k1["room"] == instance.room_by_id[workshop.room].name
    assert k1["theme"] == instance.theme_by_id[workshop.theme].label.fr
    assert k1["language"] == workshop.language
    assert k1["day"] == workshop.start.date().isoformat()
    participatory = frame[(frame["proposal"] == "k1") & (frame["kind"] == "participatory")]
    assert participatory.iloc[0]["participatory_format"] == (
        instance.proposal_by_id["k1"].participatory_format
    )
    k2 = frame[(frame["proposal"] == "k2") & (frame["kind"] == "keynote")].iloc[0]
    assert k2["speakers"] == "Bob O'Neil; Dan Lee"
    assert programme_frame(*solved, lang="en").iloc[0]["theme"] in {
        t.label.en for t in instance.themes
    }


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("Data = 1", "Data = 1"),
        ("", ""),
    ],
)
def test_neutralise(text, safe):
    assert neutralise(text) == safe


def test_csv_reads_back_with_every_text_and_no_formula(solved, frame, tmp_path):
    instance, _ = solved
    (written,) = write_outputs([csv_output(*solved, tmp_path / "p.csv")])
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw
    assert written.what == f"{len(frame)} rows"
    back = pd.read_csv(tmp_path / "p.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    shown = written_frame(frame, "fr")  # (the default language)
    assert list(back.columns) == list(shown.columns) and len(back) == len(frame)
    for column in shown.columns:
        for original, cell in zip(shown[column], back[column], strict=True):
            assert not cell.startswith(RISKY), (column, cell)
            assert cell == neutralise(original)
    titles = set(back["titre"])
    assert '<script>alert(1)</script> & "quotes"' in titles
    assert instance.proposal_by_id["k3"].title in titles  # the newline survives
    assert '\'=HYPERLINK("http://example.invalid","clic")' in titles
    assert "'-2+3 idées à partager" in titles and "'@SUM(1,2)" in titles


def test_xlsx_keeps_texts_as_text(solved, frame, tmp_path):
    write_outputs([xlsx_output(*solved, tmp_path / "p.xlsx")])
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx").active
    rows = list(sheet.iter_rows(values_only=False))
    shown = written_frame(frame, "fr")
    assert [c.value for c in rows[0]] == list(shown.columns)
    assert len(rows) == len(frame) + 1
    risky = 0
    for cells, (_, expected) in zip(rows[1:], shown.iterrows(), strict=True):
        for cell, column in zip(cells, shown.columns, strict=True):
            assert cell.data_type != "f", (column, cell.value)
            assert (cell.value or "") == expected[column]
            if expected[column].startswith(RISKY):
                assert cell.quotePrefix, (column, cell.value)
                risky += 1
    assert risky >= 4
    assert sheet.freeze_panes == "A2"


def test_xlsx_same_input_same_bytes_and_no_clock(frame):
    first = xlsx_bytes(frame, STAMP)
    assert xlsx_bytes(frame, STAMP) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 12, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-12-01T00:00:00Z") == 2
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book.properties.modified == datetime(2026, 12, 1)


@pytest.mark.parametrize(
    ("stamp", "entries"),
    [
        # ZIP entries hold 1980 to 2107: 1 Jan 1980 00:30 in Paris (1979 in UTC), or an
        # event in 2150, were a traceback
        (datetime(1979, 12, 31, 23, 30, tzinfo=UTC), (1980, 1, 1, 0, 0, 0)),
        (datetime(2150, 6, 1, 12, 0, tzinfo=UTC), (2107, 12, 31, 23, 59, 58)),
    ],
)
def test_xlsx_stamps_outside_zip_dates_are_brought_within(frame, stamp, entries):
    data = xlsx_bytes(frame, stamp)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {entries}
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.properties.modified == stamp.replace(tzinfo=None)


def test_csv_same_input_same_bytes(frame):
    assert csv_bytes(frame) == csv_bytes(frame.copy())


def test_cli_csv_and_xlsx(solved, tmp_path, capsys):
    solution = solved[1].write(tmp_path / "s.json")
    for kind in ("csv", "xlsx"):
        target = tmp_path / f"out.{kind}"
        with pytest.raises(SystemExit) as stop:
            main(["export", kind, str(HOSTILE), str(solution), "-o", str(target), "--lang", "en"])
        out, err = capsys.readouterr()
        assert stop.value.code == 0, err
        assert f"wrote {target} (" in out and "rows)" in out
        assert target.stat().st_size > 0


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("lang", "wrote"),
    [
        ([], "wrote {target} ({n} rows)\n"),
        (["--lang", "fr"], "écrit\u00a0: {target} ({n} lignes)\n"),
    ],
)
def test_cli_tables_say_what_they_wrote_in_the_language_asked(
    solved, frame, tmp_path, capsys, kind, lang, wrote
):
    # the labels French by default and the message English, as before; with --lang fr,
    # French both
    solution = solved[1].write(tmp_path / "s.json")
    target = tmp_path / f"out.{kind}"
    with pytest.raises(SystemExit) as stop:
        main(["export", kind, str(HOSTILE), str(solution), "-o", str(target), *lang])
    out, err = capsys.readouterr()
    assert stop.value.code == 0, err
    assert out == wrote.format(target=target, n=len(frame))


def test_a_tables_account_is_in_the_messages_language(solved, tmp_path):
    assert csv_output(*solved, tmp_path / "p.csv", "en", "fr").what.endswith(" lignes")
    assert xlsx_output(*solved, tmp_path / "p.xlsx", "fr").what.endswith(" rows")
    assert xlsx_output(*solved, tmp_path / "p.xlsx", messages="fr").what.endswith(" lignes")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_header_and_the_kinds_of_item_follow_lang(solved, frame, tmp_path, kind):
    # French by default, as the grid; English keeps the column ids and item kinds that
    # earlier tables had (what a script reads)
    solution = solved[1].write(tmp_path / "s.json")
    read = {}
    for lang in ("fr", "en"):
        target = tmp_path / f"{lang}.{kind}"
        with pytest.raises(SystemExit) as stop:
            main(["export", kind, str(HOSTILE), str(solution), "-o", str(target), "--lang", lang])
        assert stop.value.code == 0
        read[lang] = (
            pd.read_csv(target, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            if kind == "csv"
            else pd.read_excel(target, dtype=str, keep_default_na=False, engine="openpyxl")
        )
    assert list(read["en"].columns) == COLUMNS
    assert list(read["fr"].columns)[:8] == [
        "jour", "début", "fin", "salle", "créneau", "thème", "langue", "type"
    ]  # fmt: skip
    assert list(read["en"]["kind"]) == list(frame["kind"])
    french = {"keynote": "keynote", "participatory": "temps participatif"}
    french |= {"initiative": "initiative", "opening": "ouverture", "closing": "clôture"}
    assert list(read["fr"]["type"]) == [french[k] for k in frame["kind"]]
    assert {"temps participatif", "keynote"} <= set(read["fr"]["type"])
    assert list(read["fr"]["titre"]) == list(read["en"]["title"])


def test_every_column_and_kind_has_its_words_in_each_language():
    for lang in ("fr", "en"):
        assert list(HEADERS[lang]) == COLUMNS
        assert len(set(HEADERS[lang].values())) == len(COLUMNS)
        assert set(KINDS[lang]) == {"opening", "keynote", "participatory", "initiative", "closing"}


def test_an_instance_read_from_a_pipe_is_not_said_to_be_another_version(tmp_path, capsys):
    # `export csv <(cat commons.yaml) solution.json`: the file was hashed by reading it a
    # second time, the empty rest of the pipe, and the export said "solved from another
    # version of /dev/fd/63" of the very file the solution was solved from
    import os

    root = Path(__file__).parent.parent
    read, write = os.pipe()
    os.write(write, (root / "instances" / "commons-ai-2026.yaml").read_bytes())  # (< 64 KiB)
    os.close(write)
    solution = root / "solutions" / "commons-ai-2026.json"
    try:
        with pytest.raises(SystemExit) as stop:
            main(["export", "csv", f"/dev/fd/{read}", str(solution), "-o", str(tmp_path / "x.csv")])
    finally:
        os.close(read)
    err = capsys.readouterr().err
    assert stop.value.code == 0, err
    assert "another version" not in err
