"""Headless Chromium: screenshots of the grid."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from scheduler.errors import SchedulerError
from scheduler.files import write_atomic

logger = logging.getLogger(__name__)

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# (a Mac's browsers are applications, in /Applications or ~/Applications, not on PATH)
_MAC_APPS = (
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Chromium.app/Contents/MacOS/Chromium",
)

# Quiet, offline, throw-away profile; --no-sandbox because CI runs as root.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
)


class BrowserError(SchedulerError):
    """Chromium is missing or failed; exit code 2 like other unusable input."""


def find_chromium() -> str | None:
    """Path of a Chromium-like browser: $CHROMIUM if set, else the first on PATH, else on
    macOS Google Chrome's or Chromium's application."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "darwin":
        for folder in (Path("/Applications"), Path.home() / "Applications"):
            for app in _MAC_APPS:
                if os.access(folder / app, os.X_OK):
                    return str(folder / app)
    return None


def chromium() -> str:
    """The browser `find_chromium` finds, or a BrowserError saying what to install or set:
    checked before any output is made."""
    binary = find_chromium()
    if binary is not None:
        return binary
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        raise BrowserError(f"CHROMIUM={chosen}: no such program (name Chromium's, or unset it)")
    if sys.platform == "darwin":
        raise BrowserError(
            "no Chrome or Chromium found in /Applications nor on PATH (install Google Chrome, "
            "or set CHROMIUM to its program: /Applications/Google Chrome.app/Contents/MacOS/"
            "Google Chrome)"
        )
    raise BrowserError("no Chromium found on PATH (install Debian's chromium, or set CHROMIUM)")


@contextlib.contextmanager
def terminated_cleanly() -> Iterator[None]:
    """SIGTERM (a CI job's time limit, `kill`) ends the command as `SystemExit(143)` while
    this lasts, so the temporary folders are removed (the grid's names the speakers) and
    Chromium is stopped, as after Ctrl-C: by default both were left. Only where the
    default action is in force, and in the main thread, where signals are handled."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
    ):
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run(page: Path, extra: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    binary = chromium()
    with tempfile.TemporaryDirectory(prefix="scheduler-chromium-") as folder:
        profile = Path(folder) / "profile"
        command = [binary, *_FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()]
        logger.debug("running %s", command)
        done = _complete(command, page, timeout, Path(folder))
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise BrowserError(
            f"Chromium failed on {page} (exit {done.returncode}): {' | '.join(tail)}"
        )
    return done


def _complete(
    command: list[str], page: Path, timeout: float, folder: Path
) -> subprocess.CompletedProcess[bytes]:
    """Chromium run to its end, in a process group of its own, which is stopped whole on a
    timeout or an interruption (its helpers ran on otherwise), with `folder` as its
    TMPDIR, so that its own temporary files go with the profile: a missing TMPDIR, which
    Python passes over, failed it ("Failed to create a ProcessSingleton"), and once
    stopped it left a folder there."""
    environment = {**os.environ, "TMPDIR": str(folder)}
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            start_new_session=os.name == "posix",
        )
    except OSError as exc:
        raise BrowserError(f"cannot run {command[0]}: {exc.strerror}") from None
    with process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise BrowserError(f"Chromium took more than {timeout:.0f}s on {page}") from None
        except BaseException:
            _stop(process)
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill Chromium and every process it started."""
    with contextlib.suppress(ProcessLookupError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.wait()


def screenshot(
    page: Path,
    png: Path,
    width: int,
    height: int,
    scale: float = 1.0,
    timeout: float = 60,
    tries: int = 4,
) -> Path:
    """Render `page` in a width x height CSS-pixel window and write the PNG atomically:
    the first picture Chromium gives twice, of `tries` at most. (Under load, 1 run in
    12 took it before Chromium had painted its last tiles, squares of 254 px left in
    the page's grey over the grid's corner, whatever the flags below.)"""
    seen: list[bytes] = []
    with tempfile.TemporaryDirectory(prefix="scheduler-shot-") as tmp:
        for attempt in range(tries):
            shot = Path(tmp) / f"shot-{attempt}.png"
            _run(
                page,
                [
                    f"--window-size={width},{height}",
                    f"--force-device-scale-factor={scale:g}",
                    # (the shot once the page has settled: rarer unpainted tiles)
                    "--run-all-compositor-stages-before-draw",
                    "--virtual-time-budget=10000",
                    f"--screenshot={shot}",
                ],
                timeout,
            )
            if not shot.is_file():
                raise BrowserError(f"Chromium wrote no screenshot of {page}")
            data = shot.read_bytes()
            if data in seen:
                return write_atomic(Path(png), data)
            seen.append(data)
    raise BrowserError(
        f"Chromium painted {page} differently each of {tries} times (a machine too busy?)"
    )
