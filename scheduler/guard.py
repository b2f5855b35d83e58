"""`solve` and `explain` in a child process of their own, watched by the command's process:
a crash in a solver's native code is said in a line, and the command is run once more.

OR-Tools 9.15's CP-SAT once failed an internal check ("solution->size() ==
postsolve_mapping.size()") and aborted the whole process from C++, rarely and depending on
the clock: Python cannot catch that, and the coordinator saw a C++ stack trace, nothing
else. The child is forked from the command line's process before anything has run (no
thread, no OR-Tools yet), so the run in it is the command as it ran before. Linux only, as
the other forked processes (`scheduler.program`); elsewhere the command runs unwatched."""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import sys
import time
from typing import Any

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
    for attempt in (1, 2):
        pid = _fork(handler, interrupted)
        if pid == 0:
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


def _fork(handler: Any, interrupted: list[float]) -> int:
    """The child's pid, here, and 0 in the child. Ctrl-C is held while it forks: the child
    has the command's `handler` (a KeyboardInterrupt, or none in a background job), this
    process only notes it."""
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
        if pid == 0:
            _as_child(parent)
            if handler is not None:  # (None: set outside Python)
                signal.signal(signal.SIGINT, handler)
        else:
            signal.signal(signal.SIGINT, lambda number, frame: interrupted.append(time.monotonic()))
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    return pid


def _as_child(parent: int) -> None:
    """The child ends when the process watching it ends, however that ends (`kill` sends
    SIGTERM to that process alone): it would otherwise solve on and write its file."""
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
