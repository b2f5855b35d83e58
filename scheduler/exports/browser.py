"""Headless Chromium: screenshots of the grid."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

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
    process = _start(command, folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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


def _start(command: list[str], folder: Path, **streams: object) -> subprocess.Popen[bytes]:
    """Chromium started as `_complete` says, `streams` its standard ones."""
    environment = {**os.environ, "TMPDIR": str(folder)}
    try:
        return subprocess.Popen(
            command, env=environment, start_new_session=os.name == "posix", **streams
        )
    except OSError as exc:
        raise BrowserError(f"cannot run {command[0]}: {exc.strerror}") from None


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill Chromium and every process it started."""
    with contextlib.suppress(ProcessLookupError):
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.wait()


class _DevTools:
    """Chromium's DevTools protocol over `--remote-debugging-pipe`: JSON messages, each
    ended by a NUL byte, which Chromium reads on its descriptor 3 and writes on its 4.
    An answer or an event not come by `deadline` (`time.monotonic`) raises TimeoutError,
    Chromium's end EOFError."""

    def __init__(self, send: BinaryIO, receive: BinaryIO, page: Path, deadline: float) -> None:
        self.send, self.receive, self.page, self.deadline = send, receive, page, deadline
        self.buffer = b""
        self.events: list[dict] = []
        self.last = 0

    def call(self, method: str, session: str | None = None, **params: object) -> dict:
        """The result of `method`, the events come before it kept for `event`."""
        self.last += 1
        message = {"id": self.last, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.send.write(json.dumps(message).encode("utf-8") + b"\0")
        while (answer := self._receive()).get("id") != self.last:
            self.events.append(answer)
        if "error" in answer:
            reason = answer["error"].get("message", answer["error"])
            raise BrowserError(f"Chromium failed on {self.page}: {method}: {reason}")
        return answer["result"]

    def event(self, method: str, **expected: object) -> dict:
        """The first event `method` whose parameters hold `expected`."""
        while True:
            for event in self.events:
                params = event.get("params", {})
                if event["method"] == method and expected.items() <= params.items():
                    return params
            self.events.append(self._receive())

    def _receive(self) -> dict:
        chunks = [self.buffer]  # (a picture is megabytes, read 64 KiB at a time)
        while b"\0" not in chunks[-1]:
            left = self.deadline - time.monotonic()
            with selectors.DefaultSelector() as selector:
                selector.register(self.receive, selectors.EVENT_READ)
                if left <= 0 or not selector.select(left):
                    raise TimeoutError
            chunk = self.receive.read(1 << 16)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
        message, _, self.buffer = b"".join(chunks).partition(b"\0")
        return json.loads(message)


# The page once it is ready: loaded (the caller waits for that), its fonts loaded, and
# a frame drawn after them, so laid out and painted
_READY = (
    "document.fonts.ready.then(() => new Promise("
    "drawn => requestAnimationFrame(() => requestAnimationFrame(drawn))))"
)


def screenshot(
    page: Path,
    png: Path,
    width: int,
    height: int,
    scale: float = 1.0,
    timeout: float = 60,
) -> Path:
    """Render `page` in a width x height CSS-pixel viewport and write the PNG atomically:
    taken once the page is ready (`_READY`), in a viewport the picture's size from the
    start. (Chromium's own `--screenshot` laid the page out in its window less the
    window's tab strip, 651 px high for 794, and made the window the picture's size to
    take it: under load, 1 run in 6 took it before painting the tiles that uncovered,
    squares of 254 px left in the page's grey over the grid's bottom right corner.)"""
    binary = chromium()
    with tempfile.TemporaryDirectory(prefix="scheduler-chromium-") as folder:
        command = [
            binary,
            *_FLAGS,
            f"--user-data-dir={Path(folder) / 'profile'}",
            # (the window's scale the page's: the picture is taken at the window's size)
            f"--force-device-scale-factor={scale:g}",
            # (a frame drawn only once its tiles are painted)
            "--run-all-compositor-stages-before-draw",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        logger.debug("running %s", command)
        data = _capture(command, page, width, height, scale, timeout, Path(folder))
    return write_atomic(Path(png), data)


def _capture(
    command: list[str],
    page: Path,
    width: int,
    height: int,
    scale: float,
    timeout: float,
    folder: Path,
) -> bytes:
    """The PNG of `page`, from Chromium run as `command` and driven over its pipe."""
    errors = folder / "stderr"
    # (the protocol's descriptors are Chromium's 3 and 4, which Popen cannot choose)
    pipes = ["/bin/sh", "-c", 'exec "$@" 3<&0 4>&1 </dev/null >/dev/null', "sh"]
    reads, send = os.pipe()
    receive, writes = os.pipe()
    with open(send, "wb", 0) as to_chromium, open(receive, "rb", 0) as from_chromium:
        with errors.open("wb") as stderr:
            try:
                process = _start(
                    [*pipes, *command], folder, stdin=reads, stdout=writes, stderr=stderr
                )
            finally:
                os.close(reads)
                os.close(writes)
        devtools = _DevTools(to_chromium, from_chromium, page, time.monotonic() + timeout)
        try:
            shot = _shot(devtools, page, width, height, scale)
            with contextlib.suppress(EOFError, OSError, TimeoutError):
                devtools.call("Browser.close")  # (or stopped below)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(max(devtools.deadline - time.monotonic(), 1))
            return shot
        except TimeoutError:
            raise BrowserError(f"Chromium took more than {timeout:.0f}s on {page}") from None
        except (EOFError, OSError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)
            tail = errors.read_text("utf-8", "replace").strip().splitlines()[-3:]
            raise BrowserError(
                f"Chromium failed on {page} (exit {process.returncode}): {' | '.join(tail)}"
            ) from None
        finally:
            if process.poll() is None:
                _stop(process)


def _shot(devtools: _DevTools, page: Path, width: int, height: int, scale: float) -> bytes:
    """Open `page` in a new tab of width x height CSS pixels, its window as large, and
    take the picture once the page is ready."""
    target = devtools.call("Target.createTarget", url="about:blank")["targetId"]
    tab = devtools.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    window = devtools.call("Browser.getWindowForTarget", targetId=target)["windowId"]
    # (the window as large as the viewport below; an older Chromium without the method
    # takes the picture at the viewport's size all the same)
    with contextlib.suppress(BrowserError):
        devtools.call("Browser.setContentsSize", windowId=window, width=width, height=height)
    size = {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False}
    devtools.call("Emulation.setDeviceMetricsOverride", tab, **size)
    # the tab in front and focused: a page Chromium counts as hidden gets no animation
    # frames, which `_READY` waits for (a PNG now and then ended on the 60 s timeout
    # under load, its step not seen; an older Chromium without a method goes on)
    for method, params in (
        ("Page.bringToFront", {}),
        ("Emulation.setFocusEmulationEnabled", {"enabled": True}),
    ):
        with contextlib.suppress(BrowserError):
            devtools.call(method, tab, **params)
    devtools.call("Page.enable", tab)
    devtools.call("Page.setLifecycleEventsEnabled", tab, enabled=True)
    loading = devtools.call("Page.navigate", tab, url=page.resolve().as_uri())
    if "errorText" in loading:
        raise BrowserError(f"Chromium could not open {page}: {loading['errorText']}")
    devtools.event("Page.lifecycleEvent", name="load", loaderId=loading["loaderId"])
    devtools.call("Runtime.evaluate", tab, expression=_READY, awaitPromise=True)
    return base64.b64decode(devtools.call("Page.captureScreenshot", tab, format="png")["data"])
