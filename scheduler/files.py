"""Reading input files with clear errors; atomic writing: a reader never sees a
half-written file, a failure leaves the old one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from scheduler.errors import InputError, OutputError


def read_input(path: Path) -> str:
    """The text of an input file (UTF-8); a missing, unreadable or undecodable file, or a
    folder, raises `InputError` naming it (a folder given as a solution once ended in a
    traceback)."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, None, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, None, None, "is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, None, None, f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read the file: {_reason(exc)}") from None


def output_path(given: str | None, name: str) -> Path | None:
    """An output file as `-o` gives it; one ending in a slash names a folder, and the
    file is `name` in it (`-o results/` wrote a file named results)."""
    if given is None:
        return None
    if given.endswith(("/", os.sep)):
        return Path(given) / name
    return Path(given)


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file beside `path`, then rename it over `path` (a device or a
    pipe is written through). A path that cannot be written (a folder, under a file, no
    permission, a full disk) raises `OutputError`, the old file left as it was."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_writable(path)
    if path.exists() and not path.is_file():
        # a device or a pipe (`-o /dev/null`, `-o /dev/stdout`) is written through:
        # renaming over it would replace it by a regular file (as root, /dev/null itself)
        try:
            with path.open("wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise OutputError(path, _reason(exc)) from None
        return path
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


def check_writable(path: Path, reads: Mapping[str, Path | None] | None = None) -> None:
    """Raise `OutputError` when `path` is plainly not a file that can be written: a
    folder, under a file, or one of the files the command `reads` (by role, e.g.
    "instance"). Checked before long work (a solve) as well as when writing."""
    path = Path(path)
    for role, source in (reads or {}).items():
        if source is not None and Path(source).resolve() == path.resolve():
            # `solve commons.yaml -o commons.yaml` replaced the instance by its solution
            raise OutputError(path, f"it is the {role} this command reads; give another name")
    if path.is_dir():
        raise OutputError(path, "it is a folder; give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise OutputError(path, f"{parent} is a file, not a folder")
            return


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
