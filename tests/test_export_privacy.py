"""Speakers' e-mail addresses (for `scheduler diff`'s paragraphs) stay in the instance: no
calendar, grid, table or solution file holds one."""

from __future__ import annotations

import zipfile

import pypdf
import pytest
import yaml
from conftest import BUNDLED, ROOT, TINY, write_yaml

from scheduler.cli import main

PUBLISHED = ROOT / "solutions" / "commons-ai-2026.json"
DOMAIN = "@mail.example"


def run(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(a) for a in argv])
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def _with_emails(source, path):
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for speaker in data["speakers"]:
        speaker["email"] = f"{speaker['id']}{DOMAIN}"
    return write_yaml(path, data)


def _texts(path):
    """What a file holds, as text: an .xlsx's entries, a PDF's words and bytes."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            return [book.read(name).decode("utf-8", "replace") for name in book.namelist()]
    if path.suffix == ".pdf":
        pages = pypdf.PdfReader(path).pages
        return ["".join(p.extract_text() for p in pages), path.read_bytes().decode("latin-1")]
    return [path.read_bytes().decode("utf-8", "replace")]


def test_no_export_holds_a_speaker_s_e_mail_address(tmp_path, capsys):
    # the addresses the import now keeps are for the coordinators' e-mails: calendars,
    # the grid and the tables are published (the tables go to the FOST team, who have
    # the instance when they need an address)
    instance = _with_emails(BUNDLED, tmp_path / "commons-ai-2026.yaml")
    out = tmp_path / "exports"
    code, _, err = run(["export", "all", instance, PUBLISHED, "-o", out], capsys)
    assert code == 0, err
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} >= {".ics", ".html", ".pdf", ".csv", ".xlsx"}
    for path in files:
        for text in _texts(path):
            assert DOMAIN not in text, path


def test_a_solution_holds_no_e_mail_address(tmp_path, capsys):
    instance = _with_emails(TINY, tmp_path / "tiny.yaml")
    solution = tmp_path / "tiny.json"
    code, _, err = run(["solve", instance, "-o", solution, "--time-limit", "5"], capsys)
    assert code == 0, err
    assert DOMAIN not in solution.read_text(encoding="utf-8")
