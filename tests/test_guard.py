"""A crash in a solver library's native code (OR-Tools 9.15's CP-SAT once aborted on a
failed internal check, from C++, which Python cannot catch): `solve` runs in a watched
child, says the crash in a line, runs once more, and after a second crash fails with its
own exit code, no file written."""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import re
import signal
import subprocess
import sys

import pytest
from conftest import ROOT, TINY

from scheduler import guard
from scheduler.cli import main
from scheduler.errors import CRASHED

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the watched child: Linux"
)

CRASHING = """
import os, signal, sys, threading
import scheduler.solve

runs, crashes, how = sys.argv.pop(1), int(sys.argv.pop(1)), sys.argv.pop(1)
real = scheduler.solve.solve


def crashing(*args, **kwargs):
    # in the command's child: the first `crashes` runs abort once CP-SAT runs (from
    # another thread, as OR-Tools' failed check did), or end by `how` at once
    with open(runs, "a+") as file:
        file.seek(0)
        run = len(file.read())
        file.write("x")
    if run < crashes and how == "abort":
        import scheduler.search as search

        made = search.cp_solver

        def aborting():
            threading.Thread(target=os.abort).start()
            return made()

        search.cp_solver = aborting
    elif run < crashes and how == "sleep":  # (until Ctrl-C or SIGTERM)

        def terminated(number, frame):
            with open(runs, "a") as file:
                file.write("terminated")
            os._exit(128 + number)

        signal.signal(signal.SIGTERM, terminated)
        print("sleeping", file=sys.stderr, flush=True)
        threading.Event().wait(120)
    elif run < crashes:
        os.kill(os.getpid(), getattr(signal, how))
    return real(*args, **kwargs)


scheduler.solve.solve = crashing
from scheduler.__main__ import run

run()
"""


def _solve(tmp_path, out, crashes=0, how="abort"):
    """`scheduler solve TINY -o out` as the console command runs it, its first `crashes`
    runs ended by `how`; with the number of runs."""
    runs = tmp_path / f"runs-{out.stem}"
    done = subprocess.run(
        [sys.executable, "-c", CRASHING, str(runs), str(crashes), how]
        + ["solve", str(TINY), "-o", str(out), "--time-limit", "20", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done, len(runs.read_text()) if runs.exists() else 0


@pytest.fixture(scope="module")
def normal(tmp_path_factory):
    """The file of a run that does not crash."""
    folder = tmp_path_factory.mktemp("normal")
    done, runs = _solve(folder, folder / "normal.json")
    assert done.returncode == 0 and runs == 1, done.stderr
    assert "crashed" not in done.stderr
    return (folder / "normal.json").read_bytes()


def test_a_crash_is_said_and_the_solve_run_again_gives_the_same_file(tmp_path, normal):
    out = tmp_path / "out.json"
    done, runs = _solve(tmp_path, out, crashes=1)
    assert done.returncode == 0, done.stderr
    assert runs == 2
    said = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert said == [
        "warning: `scheduler solve` crashed in a solver library's native code (SIGABRT, "
        "OR-Tools or HiGHS): a bug of the library, not of your files; no file was written; "
        "running it once more, with the same seed."
    ]
    assert "Traceback" not in done.stderr
    assert out.read_bytes() == normal


def test_the_run_again_does_not_say_again_what_the_first_said(tmp_path, normal):
    # the first run's progress (first fit's schedule, shown before CP-SAT crashed) was
    # printed again by the second, a clock apart; it now shows only what is new
    out = tmp_path / "out.json"
    runs = tmp_path / "runs"
    done = subprocess.run(
        [sys.executable, "-c", CRASHING, str(runs), "1", "abort"]
        + ["solve", str(TINY), "-o", str(out), "--time-limit", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    crashed = next(n for n, line in enumerate(lines) if "crashed" in line)
    first, again = lines[:crashed], lines[crashed + 1 :]
    assert first and again  # (the first run's progress, and the second's better one)

    def unclocked(line):  # (the progress line's clock, the seconds it was shown at)
        return re.sub(r"^\s*\d+\.\ds ", "", line)

    said = {unclocked(line) for line in first}
    assert not [line for line in again if unclocked(line) in said]
    assert out.read_bytes() == normal


def _retold(first: list[str], second: list[str]) -> str:
    """What the second run's writes `second` show, after the first run's `first`."""
    record = mmap.mmap(-1, 4096)
    shown = io.StringIO()
    recorded = guard._Recorded(io.StringIO(), record)
    for text in first:
        recorded.write(text)
    retold = guard._Retold(shown, record)
    for text in second:
        retold.write(text)
    retold.flush()
    return shown.getvalue()


def test_the_run_again_leaves_out_the_notes_and_the_progress_shown_in_place():
    note = "note: times in Europe/Paris (the instance names no time zone)\n"
    line = "\r     {}s  best     4010  bound        -"
    # a terminal's progress line, rewritten in place after a carriage return, then ended
    shown = _retold([note, line.format("0.1"), line.format(" 1.2")], [note, line.format("0.9")])
    assert shown == ""
    better = "\r     2.0s  best     3020  bound     3020  gap   0.0%"
    shown = _retold([note, line.format("0.1")], [note, line.format("0.9"), better, "\n", "done\n"])
    assert shown == better + "\ndone\n"
    # in French ("0,9\u00a0s"), and piped (a line each)
    french = "  {}\u00a0s  meilleur     4010  borne        -\n"
    shown = _retold([french.format("0,1")], ["warning: new\n", french.format("0,9")])
    assert shown == "warning: new\n"


def test_a_second_crash_is_an_error_of_its_own_and_writes_nothing(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("the old schedule\n")
    before = out.stat().st_mtime_ns
    done, runs = _solve(tmp_path, out, crashes=2)
    assert done.returncode == CRASHED == 3, done.stderr
    assert runs == 2
    assert done.stderr.count("in a solver library's native code (SIGABRT, OR-Tools") == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: `scheduler solve` crashed again in a solver library's")
    assert "no file was written. Run it again later, or with another --seed" in last
    assert "Traceback" not in done.stderr
    assert out.read_text() == "the old schedule\n" and out.stat().st_mtime_ns == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "runs-out"]


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_a_child_killed_otherwise_ends_the_command_the_same_way(tmp_path, how):
    # (the kernel's SIGKILL out of memory, a caller's SIGTERM: no crash of a library, no
    # second run; the command ends as the child did, as the shell then says, "Killed")
    done, runs = _solve(tmp_path, tmp_path / "out.json", crashes=1, how=how)
    assert done.returncode == -getattr(signal, how)
    assert runs == 1 and "crashed" not in done.stderr
    assert not (tmp_path / "out.json").exists()


def _sleeping(runs, out, **popen):
    """`scheduler solve TINY -o out` as the console command runs it, in a session of its
    own, its first run sleeping (it says "sleeping" first) until a signal ends it."""
    return subprocess.Popen(
        [sys.executable, "-c", CRASHING, str(runs), "1", "sleep"]
        + ["solve", str(TINY), "-o", str(out), "--quiet"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
        **popen,
    )


def _ctrl_c_default():
    # (a suite run as a shell's background job ignores Ctrl-C, and its subprocesses with it)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("to", ["group", "process"])
def test_ctrl_c_stops_the_child_once(tmp_path, to):
    # a terminal's Ctrl-C reaches the whole process group, the child with it: the command
    # only notes it (passed on, it stopped the child twice, in the middle of stopping its
    # search); sent to the command's process alone (`kill -INT PID`), it is passed on
    out = tmp_path / "out.json"
    process = _sleeping(tmp_path / "runs", out, preexec_fn=_ctrl_c_default)
    try:
        assert process.stderr.readline().strip() == "sleeping"
        if to == "group":
            os.killpg(process.pid, signal.SIGINT)
        else:
            os.kill(process.pid, signal.SIGINT)
        rest = process.communicate(timeout=60)[1]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert rest.splitlines() == ["interrupted"]
    assert not out.exists()


def test_a_sigterm_sent_to_the_command_alone_reaches_the_child(tmp_path):
    # `kill PID` (a CI job's time-out) ended the watching process at once and its child
    # by SIGKILL, with no clean-up: a file being written left its temporary file
    out, runs = tmp_path / "out.json", tmp_path / "runs"
    process = _sleeping(runs, out)
    try:
        assert process.stderr.readline().strip() == "sleeping"
        os.kill(process.pid, signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 143
    assert runs.read_text() == "xterminated"  # (the child's own SIGTERM handler ran)
    assert not out.exists()


def test_bad_input_exits_as_before_through_the_child(tmp_path):
    missing = tmp_path / "missing.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "scheduler", "solve", str(missing), "-o", str(tmp_path / "s.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert str(missing) in done.stderr and "Traceback" not in done.stderr


def test_only_the_command_lines_own_solve_and_explain_are_watched(tmp_path, monkeypatch, capsys):
    # a caller's argv (the tests', Typer's CliRunner) runs in its own process
    assert guard.watched(["solve", "x.yaml"]) and guard.watched(["explain", "x.yaml"])
    assert not guard.watched(["validate", "x.yaml", "s.json"]) and not guard.watched([])
    assert not guard.watched(["--version"]) and not guard.watched(["export", "ics"])

    def forbidden(command):
        raise AssertionError("forked")

    monkeypatch.setattr(guard, "watch", forbidden)
    with pytest.raises(SystemExit) as exit_info:
        main(["solve", str(tmp_path / "missing.yaml")])
    assert exit_info.value.code == 2
    assert "forked" not in capsys.readouterr().err
