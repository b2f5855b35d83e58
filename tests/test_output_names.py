"""An export's `-o` names what it writes: a suffix of another kind, or of none, is refused."""

from __future__ import annotations

import pytest
from conftest import BUNDLED, ROOT

from scheduler.cli import main

SOLUTION = ROOT / "solutions" / "commons-ai-2026.json"


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


@pytest.mark.parametrize(
    ("command", "name_it"),
    [
        ("csv", "the table is CSV, not a .txt file: name it .csv"),
        ("xlsx", "the workbook is XLSX, not a .txt file: name it .xlsx"),
        ("grid", "not a .txt file: name it .html, .pdf or .png"),
    ],
)
def test_an_export_named_for_no_format_it_writes_is_refused(command, name_it, tmp_path, capsys):
    # `export csv -o x.txt` wrote CSV into x.txt, `xlsx -o x.txt` a workbook, with no
    # word, where `grid -o x.docx` was refused: each names the suffixes it writes
    argv = ["export", command, str(BUNDLED), str(SOLUTION), "-o", str(tmp_path / "x.txt")]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert name_it in " ".join(err.split())
    assert not any(tmp_path.iterdir())  # nothing written


def test_an_export_named_without_a_suffix_is_written_as_named(tmp_path, capsys):
    # (`-o /dev/stdout`, `-o programme`: no suffix, no kind claimed)
    target = tmp_path / "programme"
    code, _, err = run(["export", "csv", str(BUNDLED), str(SOLUTION), "-o", str(target)], capsys)
    assert code == 0, err
    assert target.read_text(encoding="utf-8-sig").startswith("jour,début,fin,")
