"""The command line in the environments it meets: a terminal's encoding, a pipe under
FORCE_COLOR, a SIGTERM while files are written, an output it may not write."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest
from conftest import BUNDLED, ROOT

DATA = ROOT / "tests" / "data"
SOLUTION = ROOT / "solutions" / "commons-ai-2026.json"

SCHEMA_WITH_AN_ACCENT = """
import sys
from scheduler.instance import Instance
from scheduler.cli import main

schema = Instance.model_json_schema
Instance.model_json_schema = classmethod(
    lambda cls, **options: {**schema(**options), "description": "Créneaux, thèmes"}
)
main(sys.argv[1:])
"""


def test_the_schema_stays_json_on_a_terminal_that_cannot_show_its_text():
    # the streams write what their encoding cannot as Python's escapes, "\\xe9" for "é",
    # which is no JSON escape: `scheduler schema > s.json` on an ASCII terminal (a CI
    # job's PYTHONIOENCODING=ascii, LC_ALL=C) gave a file no JSON reader took
    for encoding, expected in (("ascii", "\\u00e9"), ("utf-8", "é")):
        result = subprocess.run(
            [sys.executable, "-c", SCHEMA_WITH_AN_ACCENT, "schema"],
            cwd=ROOT,
            env={**os.environ, "PYTHONIOENCODING": encoding},
            capture_output=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr.decode()
        text = result.stdout.decode(encoding)
        assert json.loads(text)["description"] == "Créneaux, thèmes"
        assert expected in text


def _scheduler(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m scheduler ARGV` from the repository, with `env` added, its output piped."""
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *argv],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_forced_colours_keep_the_themes_table_as_wide_as_its_rows():
    # FORCE_COLOR made the themes table's console take a pipe for a terminal: the table
    # folded to 80 columns (or COLUMNS), its titles split over lines, where solve's
    # console kept a file's layout
    argv = ["themes", str(BUNDLED)]
    plain = _scheduler(argv, {"COLUMNS": "40"})
    forced = _scheduler(argv, {"FORCE_COLOR": "1", "COLUMNS": "40"})
    assert plain.returncode == forced.returncode == 0, forced.stderr
    assert "\x1b[" in forced.stdout  # (the colours asked for)
    assert _plain(forced.stdout).splitlines() == plain.stdout.splitlines()
    assert max(map(len, plain.stdout.splitlines())) > 100


def test_forced_colours_give_an_exports_log_no_spinner(tmp_path):
    # export's consoles took a pipe for a terminal under FORCE_COLOR too: its stderr, a
    # CI job's log, got a spinner rewritten with "\r" for each step
    argv = ["export", "all", str(BUNDLED), str(SOLUTION), "-o", str(tmp_path)]
    result = _scheduler(argv, {"FORCE_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr and "\x1b[" not in result.stderr, result.stderr
    assert "wrote" in _plain(result.stdout)


STALLED_RENAME = """
import os
import sys
import time

from scheduler.cli import main

rename = os.replace


def stalled(source, target):
    if str(source).endswith(".tmp"):  # a temporary file written, renamed into place
        os.write(2, b"renaming\\n")
        time.sleep(60)
    rename(source, target)


os.replace = stalled
main(sys.argv[1:])
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["export", "csv", str(BUNDLED), str(SOLUTION)], "programme.csv"),  # write_atomic_many
        (
            ["import", str(DATA / "import/form.csv"), "--slots", str(DATA / "import/slots.csv")]
            + ["--force"],
            "commons.yaml",
        ),  # write_atomic
    ],
)
def test_sigterm_while_an_output_is_written_leaves_no_temporary_file(argv, name, tmp_path):
    # a CI job's time limit (`kill`) ended the command at once, by the signal's default
    # action: `.programme.csv.xxxxxxxx.tmp` stayed beside the output; it now ends as after
    # Ctrl-C, its temporary files removed, exit 143, the old file as it was
    target = tmp_path / name
    target.write_bytes(b"")
    command = subprocess.Popen(
        [sys.executable, "-c", STALLED_RENAME, *argv, "-o", str(target)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = [command.stderr.readline()]
        while said[-1] not in ("renaming\n", ""):
            said.append(command.stderr.readline())
        assert said[-1] == "renaming\n", "".join(said)
        command.send_signal(signal.SIGTERM)
        _, err = command.communicate(timeout=60)
    finally:
        command.kill()
    assert command.returncode == 143, err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == [target]
    assert target.read_bytes() == b""


WITHOUT_PRIVILEGES = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
"""As root, a command run so that the files' modes hold for it as for any user (root
writes where they say no): without the capabilities that override them."""


def _unprivileged() -> list[str]:
    """The prefix that runs a command as the files' modes bind it, or a skip."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("as root, without setpriv to drop the capabilities that override modes")
    probe = subprocess.run([*WITHOUT_PRIVILEGES, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr.decode().strip()}")
    return WITHOUT_PRIVILEGES


def _scheduler_unprivileged(
    argv: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`scheduler ARGV` run from the repository as the files' modes bind it."""
    return subprocess.run(
        [*_unprivileged(), sys.executable, "-m", "scheduler", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX modes")
@pytest.mark.parametrize("case", ["folder", "file"])
def test_an_output_the_modes_protect_is_named_not_a_traceback(case, tmp_path):
    # the suite runs as root, who may write anything: here the modes hold, as for a
    # coordinator's account (a folder she may not write in, a file made read-only)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "programme.csv"
    if case == "file":
        target.write_bytes(b"")
        target.chmod(0o444)
    else:
        folder.chmod(0o555)
    argv = ["export", "csv", str(BUNDLED), str(SOLUTION), "-o", str(target)]
    try:
        result = _scheduler_unprivileged(argv)
    finally:
        folder.chmod(0o755)
    assert result.returncode == 2, result.stderr
    reason = "permission denied" if case == "folder" else "it is read-only"
    assert result.stderr.startswith(f"error: {target}: ") and reason in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in folder.iterdir()] == ([] if case == "folder" else [target.name])


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX modes")
def test_a_read_only_tmpdir_and_no_home_still_export_the_pdf(tmp_path):
    # Python passes over a TMPDIR it cannot write in; WeasyPrint's fonts need no HOME
    temporary = tmp_path / "tmp"
    temporary.mkdir(mode=0o555)
    target = tmp_path / "grid.pdf"
    argv = ["export", "grid", str(BUNDLED), str(SOLUTION), "-o", str(target)]
    environment = {**os.environ, "TMPDIR": str(temporary), "HOME": str(tmp_path / "nobody")}
    result = _scheduler_unprivileged(argv, environment)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert target.read_bytes().startswith(b"%PDF-")
