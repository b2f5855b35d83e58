"""`solve` and `explain` in a child process of their own, watched by the command's process:
a crash in a solver's native code is said in a line, and the command is run once more.

OR-Tools 9.15's CP-SAT once failed an internal check ("solution->size() ==
postsolve_mapping.size()") and aborted the whole process from C++, rarely and depending on
the clock: Python cannot catch that, and the coordinator saw a C++ stack trace, nothing
else. The child is forked from the command line's process before anything has run (no
thread, no OR-Tools yet), so the run in it is the command as it ran before. Linux only, as
the other forked processes (`scheduler.program`); elsewhere the command runs unwatched.

The second run does not say again what the first said on standard error (`_Retold`: its
notes, warnings and progress up to the crash); it has the whole time limit again, not
what is left of it: the same arguments give the same file as a run without the crash
(stopped on work the limit is a backstop, and shortened it would let the clock decide the
file), and a crash late in a run by the clock would leave the second run seconds to
search. A crash makes the command take up to twice its time limit."""

from __future__ import annotations

import contextlib
import ctypes
import logging
import mmap
import os
import re
import select
import signal
import sys
import time
from typing import Any, TextIO

from scheduler.errors import CRASHED, INTERRUPTED, SchedulerError

WATCHED = frozenset({"solve", "explain"})
"""The commands that run CP-SAT in their own process (`bench` runs each rung in a process
of its own already, and says which one died)."""

CRASHES = frozenset({signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE})
"""The signals a crash in native code ends a process with: run once more. Any other
(SIGKILL from the kernel out of memory, SIGTERM from a caller) ends the command the same way."""

PASS_ON_AFTER = 3.0
"""Seconds after which a Ctrl-C this process got is passed on to a child still running
(`_ended`); a child that got it too stops within a fraction of a second."""

PR_SET_PDEATHSIG = 1
"""Linux's `prctl` option: the signal a process gets when its parent ends."""

RECORD_BYTES = 1 << 20
"""How much of what the first run writes on standard error is kept for the second
(`_Retold`); past it, the second run says the rest again."""

CLOCK = re.compile(r"^\s*\d+[.,]\d\u00a0?s(?=\s)")
"""A progress line's clock (`cli._progress_printer`: "   12.3s  best ..."), which the
second run reaches at another time: two lines that differ only there say the same."""


class SolverCrashError(SchedulerError):
    """The solver crashed in native code twice."""

    exit_code = CRASHED


def watched(argv: list[str]) -> bool:
    """Whether the command line `argv` (without the program's name) runs in a watched child."""
    return bool(argv) and argv[0] in WATCHED and sys.platform.startswith("linux")


def watch(command: str) -> None:
    """Fork: return in the child, which runs the command; in this process wait for it, and
    exit as it did. A crash in native code is said and the command run again (same
    arguments, so the same seed and the same file); a second one raises SolverCrashError.
    Ctrl-C reaches the child from the terminal (the whole process group gets it): the
    child stops and says so, this process only notes it."""
    interrupted: list[float] = []
    handler = signal.getsignal(signal.SIGINT)
    terminate = signal.getsignal(signal.SIGTERM)
    said = mmap.mmap(-1, RECORD_BYTES)  # (shared with the children it forks)
    for attempt in (1, 2):
        pid = _fork(handler, terminate, interrupted)
        if pid == 0:
            _redirect(_Recorded(sys.stderr, said) if attempt == 1 else _Retold(sys.stderr, said))
            return
        code = os.waitstatus_to_exitcode(_ended(pid, interrupted))
        if code >= 0:
            sys.exit(code)
        number = -code
        if interrupted:  # (a child stopped by Ctrl-C may abort on its way out)
            _say("interrupted")
            sys.exit(INTERRUPTED)
        if number not in CRASHES:
            _end_by(number)
        if attempt == 1:
            _say(f"warning: {_crash(command, number)}; running it once more, with the same seed.")
            continue
        _say("")
        retry = "Run it again later" + (", or with another --seed" if command == "solve" else "")
        raise SolverCrashError(
            f"{_crash(command, number, 'again ')}. {retry}, and please report it with the "
            "instance and what `scheduler --version` prints."
        )


def _crash(command: str, number: int, again: str = "") -> str:
    """What a crash is, in a line."""
    return (
        f"`scheduler {command}` crashed {again}in a solver library's native code "
        f"({signal.Signals(number).name}, OR-Tools or HiGHS): a bug of the library, not of "
        "your files; no file was written"
    )


def _say(line: str) -> None:
    """`line` on standard error, on a line of its own: in a terminal, over the progress
    line the child left unfinished (a crash with no message of its own followed it)."""
    start = "\r\x1b[K" if sys.stderr.isatty() else ""
    if start or line:
        print(start + line, end="\n" if line else "", file=sys.stderr, flush=True)


def _ended(pid: int, interrupted: list[float]) -> int:
    """The child's exit status, once it has ended. A Ctrl-C sent to this process alone
    (`kill -INT PID`, a script's `send_signal`), where a terminal's reaches the whole
    process group, is passed on to the child if it is still running `PASS_ON_AFTER`
    seconds later: passed on at once, it would stop a child interrupted already a second
    time, in the middle of stopping its search."""
    try:
        ended = os.pidfd_open(pid)
    except (AttributeError, OSError):  # (Linux 5.3 and later)
        return os.waitpid(pid, 0)[1]
    try:
        passed = False
        while not select.select([ended], [], [], 0.5)[0]:
            if interrupted and not passed and time.monotonic() - interrupted[0] > PASS_ON_AFTER:
                os.kill(pid, signal.SIGINT)
                passed = True
    finally:
        os.close(ended)
    return os.waitpid(pid, 0)[1]


def _fork(handler: Any, terminate: Any, interrupted: list[float]) -> int:
    """The child's pid, here, and 0 in the child. Ctrl-C and SIGTERM are held while it
    forks: the child has the command's `handler` (a KeyboardInterrupt, or none in a
    background job) and `terminate`; this process only notes Ctrl-C, and passes SIGTERM on
    (`_pass_on`) unless the command ignores it."""
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        pid = os.fork()
        if pid == 0:
            _as_child(parent)
            if handler is not None:  # (None: set outside Python)
                signal.signal(signal.SIGINT, handler)
            if terminate is not None:  # (not the first run's passing on)
                signal.signal(signal.SIGTERM, terminate)
        else:
            signal.signal(signal.SIGINT, lambda number, frame: interrupted.append(time.monotonic()))
            if terminate == signal.SIG_DFL:
                signal.signal(signal.SIGTERM, lambda number, frame: _pass_on(pid, number))
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
    return pid


def _pass_on(pid: int, number: int) -> None:
    """A SIGTERM sent to this process alone (`kill PID`, a CI job's time-out) passed on to
    the child, which ends as it would unwatched (an output being written removes its
    temporary file, `files.write_atomic`), and this process with it; ended by this
    process's end instead (PR_SET_PDEATHSIG's SIGKILL), it would leave that file."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def _as_child(parent: int) -> None:
    """The child ends when the process watching it ends, however that ends (SIGKILL, which
    cannot be passed on): it would otherwise solve on and write its file."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the request
        os._exit(INTERRUPTED)


def _end_by(number: int) -> None:
    """End this process by the signal that ended the child, as a shell then reports it
    ("Killed", "Terminated")."""
    sys.stdout.flush()
    sys.stderr.flush()
    with contextlib.suppress(OSError):  # (SIGKILL's cannot be changed, nor caught)
        signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)
    sys.exit(128 + number)  # (a signal whose default is not to end the process)


def _redirect(stream: Any) -> None:
    """Standard error through `stream`, for Python's writes and the logging handlers that
    wrote there (rich's consoles write to whatever `sys.stderr` is)."""
    before = sys.stderr
    sys.stderr = stream
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is before:
            handler.setStream(stream)


class _Recorded:
    """The first run's standard error, each write kept in `record` too (up to its size; by
    this process only: one it forks writes at a place of its own copy of the record's)."""

    def __init__(self, stream: TextIO, record: mmap.mmap):
        self._stream, self._record = stream, record
        self._process = os.getpid()

    def write(self, text: str) -> int:
        written = self._stream.write(text)
        data = text.encode("utf-8", "replace")
        if os.getpid() == self._process and self._record.tell() + len(data) < len(self._record):
            self._record.write(data)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Retold:
    """The second run's standard error, without the lines the first run wrote (`record`):
    the same notes and warnings, and progress lines with the same values (`CLOCK` aside);
    a progress line rewritten in place (a terminal's, after a carriage return) is left out
    while it says nothing new. The second run's own lines are written as they come."""

    def __init__(self, stream: TextIO, record: mmap.mmap):
        self._stream = stream
        said = record[: record.find(b"\0")].decode("utf-8", "replace")
        self._said = {_unclocked(line) for line in re.split(r"[\r\n]", said) if line.strip()}
        self._line = ""  # the start of a line, not ended yet
        self._in_place = False  # the line is rewritten in place (after a carriage return)
        self._shown = False  # and some of it was written

    def write(self, text: str) -> int:
        *ended, self._line = (self._line + text).split("\n")
        for line in ended:
            if line or self._shown or not self._in_place:  # (not to end a line left out)
                self._pass(line + "\n")
            self._in_place = self._shown = False
        if self._line.startswith("\r"):  # (rewritten in place: written now or never)
            self._in_place = True
            self._shown |= self._pass(self._line)
            self._line = ""
        return len(text)

    def flush(self) -> None:
        if self._line:  # (written so: said now)
            self._pass(self._line)
            self._line = ""
        self._stream.flush()

    def _pass(self, text: str) -> bool:
        """Write `text` unless the first run wrote it; whether it was written."""
        shown = _unclocked(text.rsplit("\r", 1)[-1].rstrip("\n"))
        if shown.strip() and shown in self._said:
            return False
        self._stream.write(text)
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _unclocked(line: str) -> str:
    """`line` without a progress line's clock."""
    return CLOCK.sub("", line)
