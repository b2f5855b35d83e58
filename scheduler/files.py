"""Atomic file writing: a reader never sees a half-written file, a failure leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from scheduler.errors import OutputError


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file beside `path`, then rename it over `path`. A path that
    cannot be written (a folder, under a file, no permission, a full disk) raises
    `OutputError`, the old file left as it was."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_writable(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, _reason(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def check_writable(path: Path) -> None:
    """Raise `OutputError` when `path` is plainly not a file that can be written: a
    folder, or under a file. Checked before long work (a solve) as well as when writing."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, "it is a folder; give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(path, f"{parent} is a file, not a folder")
            return


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
