"""Reading input files with clear errors; atomic writing: a reader never sees a
half-written file, a failure leaves the old one."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import signal
import stat
import sys
import tempfile
import threading
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import InputError, OutputError

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """libyaml's parser when PyYAML has it (the same documents, 6x faster: 5.3 -> 0.9 s
    for a 2000-proposal instance), reading `14:00` as the text it is, as YAML 1.2 does:
    YAML 1.1 reads it in base 60, as the number 840, and a slot's `start: 14:00` was
    refused as "(got 840)", a value no one typed."""


def _without_base_60(pattern: str) -> str:
    """A YAML 1.1 int or float pattern without its base-60 alternative (`14:00`)."""
    parts = pattern.split("|")
    kept = [part for part in parts if _BASE_60 not in part]
    if kept[-1] != parts[-1]:  # (the last alternative closes the group)
        kept[-1] += ")$"
    return "|".join(kept)


_BASE_60 = "(?::[0-5]?[0-9])+"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, re.compile(_without_base_60(regexp.pattern), re.X) if tag in _NUMBERS else regexp)
        for tag, regexp in resolvers
    ]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}
YAML_LOADER = _Loader


def load_yaml(text: str) -> Any:
    """`text` read as the project reads its YAML files (`_Loader`: `14:00` is text), for
    the checks that a file written reads back; `parse_yaml` for a user's file."""
    return yaml.load(text, Loader=YAML_LOADER)  # (a safe loader)


def read_input(path: Path) -> str:
    """The text of an input file (UTF-8); a missing, unreadable or undecodable file, or a
    folder, raises `InputError` naming it (a folder given as a solution once ended in a
    traceback)."""
    return read_source(path)[0]


def read_source(path: Path) -> tuple[str, str]:
    """The text of an input file (as `read_input`) and the `sha256:` of its bytes, from
    one read: a file read twice may differ the second time (`solve <(cat f)` hashed the
    empty rest of a pipe)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, None, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, None, None, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, None, None, f"cannot read the file: {_reason(exc)}") from None
    try:
        text = raw.decode("utf-8-sig")  # (a BOM, as Notepad writes it, dropped)
    except UnicodeDecodeError as exc:
        raise InputError(path, None, None, _not_utf8(raw, exc.start)) from None
    return text, "sha256:" + hashlib.sha256(raw).hexdigest()


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
"""The byte order marks of the encodings other than UTF-8 an editor may save a text in
(Windows Notepad's "Unicode" is UTF-16)."""


def _not_utf8(raw: bytes, start: int) -> str:
    """Where and how a file is not UTF-8, as an editor shows it: its line and column
    and the byte, with the letter it is in Windows' cp1252 (a title pasted from a
    Latin-1 file), or the encoding its byte order mark names ("byte 21308" before)."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return f"the file is {encoding} text, not UTF-8: save it as UTF-8"
    line_start = raw.rfind(b"\n", 0, start) + 1
    line = raw.count(b"\n", 0, start) + 1
    column = len(raw[line_start:start].decode("utf-8", errors="replace")) + 1
    byte = raw[start : start + 1]
    try:
        letter = byte.decode("cp1252")
    except UnicodeDecodeError:
        letter = ""
    seen = f", {letter!r} in Windows cp1252?" if letter.isprintable() and letter else ""
    return (
        f"not UTF-8 text at line {line}, column {column} (the byte 0x{byte.hex().upper()}"
        f"{seen}): save the file as UTF-8"
    )


def is_stdout(path: Path) -> bool:
    """Whether `path` is this process's standard output (`-o /dev/stdout`): a command
    writing its file there says what it did on stderr, not in the middle of the file."""
    return _opened_as(path, sys.stdout)


def _opened_as(path: Path, stream: Any) -> bool:
    """Whether `path` is the file `stream` writes to."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(stream.fileno()))
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def parse_json(text: str, path: Path) -> Any:
    """The JSON document in `text`. A syntax error, or a key given twice in one object
    (which `json` would settle silently by keeping the last), raises `InputError`."""
    repeated: list[tuple[dict[str, Any], str]] = []

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj and not repeated:
                repeated.append((obj, key))
            obj[key] = value
        return obj

    if not text.strip(" \t\r\n\ufeff"):  # (it read "is the file cut off?")
        raise InputError(path, None, None, "the file is empty")
    try:
        data = json.loads(text, object_pairs_hook=unique)
    except json.JSONDecodeError as exc:
        # (a file cut off half way, by a copy or a disk full, read as a syntax error)
        # ("Unterminated string": its closing quote never came, the text ended first)
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        ended = "; the text ends before it is complete: is the file cut off?" if cut else ""
        raise InputError(
            path,
            None,
            None,
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}{ended}",
        ) from None
    except ValueError:  # a number of more digits than Python reads
        # (its message told the user to call sys.set_int_max_str_digits())
        limit = sys.get_int_max_str_digits()
        raise InputError(
            path, None, None, f"malformed JSON: a number of more than {limit} digits"
        ) from None
    except RecursionError:
        raise InputError(path, None, None, "malformed JSON: nested too deeply") from None
    if repeated:
        obj, key = repeated[0]
        loc = _path_to(data, obj) or []
        raise InputError.located(path, data, [*loc, key], "given twice; keep one") from None
    return data


def parse_yaml(text: str, path: Path) -> Any:
    """The YAML document in `text`. A syntax error, or a key given twice in one mapping
    (which YAML loaders settle silently by keeping the last: a proposal's second
    `themes:` line replacing its first), raises `InputError` with the lines."""
    _check_depth(text, path)
    loader = YAML_LOADER(text)
    try:
        node = loader.get_single_node()
        repeated = _repeated_key(node) if node is not None else None
        spaced = _spaced_key(node) if node is not None else None
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        # (a character YAML refuses, pasted from a PDF: its message gave an offset in the
        # text, "position 1551", where every other names a line)
        before = text[: exc.position]
        if text[exc.position : exc.position + 1] != chr(exc.character):
            # (libyaml counts the position in bytes of UTF-8)
            before = text.encode()[: exc.position].decode(errors="ignore")
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise InputError(
            path,
            None,
            None,
            f"malformed YAML at line {line}, column {column}: the control character "
            f"U+{exc.character:04X} is not allowed (pasted from a PDF?): remove it",
        ) from None
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" at line {mark.line + 1}, column {mark.column + 1}"
        problem = getattr(exc, "problem", None) or str(exc)
        lines = text.splitlines()
        near = range(max(0, mark.line - 1), min(mark.line + 1, len(lines))) if mark else ()
        spaced = next((n for n in near if _SPACED_KEY.search(lines[n])), None)
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
            # ("found character '\t' that cannot start any token": an editor's tab)
            problem += " (a tab: YAML indents with spaces only)"
        elif spaced is not None:
            # (`venue:` then U+00A0: "could not find expected ':'" on the line after)
            problem += (
                f" (line {spaced + 1}: a no-break space after ':', as French keyboards type "
                "it: YAML needs an ordinary space after the colon)"
            )
        elif mark is not None:
            problem += _colon_hint(problem, lines, mark.line, mark.column)
        raise InputError(path, None, None, f"malformed YAML{where}: {problem}") from None
    except ValueError as exc:
        # a date or a number YAML reads but Python cannot hold (2026-11-31, 10**5000):
        # a traceback before
        raise InputError(path, None, None, _bad_scalar(loader, node, exc)) from None
    except RecursionError:
        raise InputError(path, None, None, "malformed YAML: nested too deeply") from None
    finally:
        loader.dispose()
    if spaced is not None:
        loc, line, meant = spaced
        message = (
            f"line {line}: a no-break space after {meant!r} (as French keyboards type it "
            f"around ':'): YAML needs an ordinary space after the colon, `{meant}: …`"
        )
        raise InputError.located(path, data, loc, message)
    if repeated is not None:
        loc, first, second = repeated
        message = f"given twice (lines {first} and {second}); keep one"
        raise InputError.located(path, data, loc, message)
    return data


_KEYED = re.compile(r"^\s*(?:-\s+)*([\w.-]+):\s+(.*)$")
"""A block mapping's line, `title: text` (or `- title: text`): its key and value."""
_FLOW_KEYED = re.compile(r"([\w.-]+):\s+([^,{}\[\]]*)$")
"""The last `key: text` of a flow mapping's text up to a point (`{id: i5, title: A`)."""
_KEY_ONLY = re.compile(r"^\s*(?:-\s+)*[\w.-]+\s*$")
"""A line's text before its ':' that is one key alone (`  venue`): an indent gone wrong,
not a text holding ": "."""


def _colon_hint(problem: str, lines: list[str], line: int, column: int) -> str:
    """A hint when YAML stopped at a ": " inside a value written without quotes (French
    typography: `title: Keynote : les communs`), naming the line's key as it should be
    written: `title: "Keynote : les communs"`; "" when the error is something else.
    Block style says "mapping values are not allowed", flow style (`{id: i5, title:
    Atelier : citoyen}`) "did not find expected ',' or '}'", at the ':' both."""
    flow = problem.startswith("did not find expected ',' or '}'")
    if not (problem.startswith("mapping values are not allowed") or flow):
        return ""
    if line >= len(lines):
        return ""
    text = lines[line]
    if text[column : column + 1] != ":" or text[column + 1 : column + 2] not in ("", " "):
        return ""
    before, after = text[:column], text[column:]
    word = re.search(r"[\w.-]+$", before)
    if word is not None and word.group() in _keys_in(lines):
        return ""  # (`- id: k1 title: X`: a line break lost between two keys, not a text)
    advice = ' a value holding ": " must be in quotes'
    if flow:
        found = _FLOW_KEYED.search(before)
        if found is None:
            return ""
        key, value = found.group(1), found.group(2) + re.split(r"[,}]", after, maxsplit=1)[0]
    else:
        found = _KEYED.match(before)
        if found is not None:
            key, value = found.group(1), found.group(2) + after
        else:
            # the value's next line (`qui continue : ici`): its key is on the line it
            # continues, if that one reads as `key: text`
            if not before.strip() or _KEY_ONLY.match(before):
                return ""
            indent = len(text) - len(text.lstrip())
            start = next(
                (
                    lines[i]
                    for i in range(line - 1, -1, -1)
                    if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) < indent
                ),
                "",
            )
            found = _KEYED.match(start)
            if found is None or indent <= found.start(1):
                # (indented as that line's keys, this line is a key of its own, one
                # `_KEYED` cannot read: `"title": A : b`; that line's key is not its own)
                return ""
            return f';{advice}, from its first line to its last: {found.group(1)}: "..."'
    value = re.split(r"\s+#", value, maxsplit=1)[0].strip()
    if not value or value[0] in "&*!|>":  # (an anchor, alias, tag or block: not a text)
        return ""
    return f";{advice}: {key}: {_quoted(value)}"


def _keys_in(lines: list[str]) -> set[str]:
    """The keys the document's lines write, in block (`title: `) or flow style
    (`{id: i5, title: `)."""
    keys = set()
    for text in lines:
        keys.update(re.findall(r"^\s*(?:-\s+)*([\w.-]+):(?:\s|$)", text))
        keys.update(re.findall(r"[{,]\s*([\w.-]+):\s", text))
    return keys


def _quoted(value: str) -> str:
    """`value` in YAML quotes: double, or single when it holds a double quote or a
    backslash (which double quotes read as an escape); cut when long."""
    if len(value) > 60:
        value = value[:57] + "..."
    if '"' in value or "\\" in value:
        return "'" + value.replace("'", "''") + "'"
    return f'"{value}"'


YAML_DEPTH = 100
"""The deepest nesting a YAML input may have (an instance needs 5): libyaml's composer
recurses in C, and a document nested 100,000 deep crashed the process (a segmentation
fault, no message)."""


def _check_depth(text: str, path: Path) -> None:
    """Raise `InputError` when the document nests deeper than `YAML_DEPTH`, found from
    the parser's flat stream of events before anything recurses (0.13 s on the largest
    rung, 550 kB; a syntax error is left to the loader to say)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=YAML_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > YAML_DEPTH:
                    line = event.start_mark.line + 1
                    raise InputError(
                        path,
                        None,
                        None,
                        f"malformed YAML at line {line}: nested more than {YAML_DEPTH} deep",
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return


def _bad_scalar(loader: Any, root: yaml.Node, error: ValueError) -> str:
    """Which value of the document could not be read (`error` raised constructing it),
    with its line."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            loader.constructed_objects, loader.recursive_objects = {}, {}
            try:
                loader.construct_object(node, deep=True)
            except ValueError as exc:
                line = node.start_mark.line + 1
                shown = node.value if len(node.value) <= 40 else node.value[:40] + "..."
                return f"line {line}: {shown!r} is not a valid value ({exc})"
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return f"a value is not valid ({error})"


def _keys(root: yaml.Node) -> Iterator[tuple[yaml.MappingNode, yaml.ScalarNode, list[Any]]]:
    """Each mapping's scalar keys in the document's order, with the mapping and the
    location (the keys and indexes down to the key, itself included). Merge keys (`<<`)
    are YAML's own way to override, and left out."""
    stack: list[tuple[yaml.Node, list[Any]]] = [(root, [])]
    seen: set[int] = set()  # aliases can point back up the tree
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        children: list[tuple[yaml.Node, list[Any]]] = []
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                yield node, key_node, [*loc, key_node.value]
                children.append((value_node, [*loc, key_node.value]))
        elif isinstance(node, yaml.SequenceNode):
            children = [(item, [*loc, i]) for i, item in enumerate(node.value)]
        stack.extend(reversed(children))


def _repeated_key(root: yaml.Node) -> tuple[list[Any], int, int] | None:
    """The first key given twice in one mapping, in the document's order: its location
    and the lines of both."""
    lines: dict[tuple[int, str, Any], int] = {}
    for mapping, key_node, loc in _keys(root):
        key = (id(mapping), key_node.tag, key_node.value)
        line = key_node.start_mark.line + 1
        if key in lines:
            return loc, lines[key], line
        lines[key] = line
    return None


NBSP = "\u00a0"
_SPACED_KEY = re.compile(r"(?:^\s*(?:-\s+)*|[{,]\s*)[\w.-]+:\u00a0")
"""A key's colon followed by a no-break space, at a line's start or in a flow mapping
(inside a value, `title: Atelier:` then U+00A0, it is text, and no fault of the line)."""


def _spaced_key(root: yaml.Node) -> tuple[list[Any], int, str] | None:
    """The first key holding a no-break space, as French keyboards and word processors
    type it around a colon (`title:` then U+00A0 made `title: "Des communs…` one key,
    which an error named as a field that looks right): its location, line and the key
    as it was meant."""
    for _, key_node, loc in _keys(root):
        if isinstance(key_node.value, str) and NBSP in key_node.value:
            meant = key_node.value.split(NBSP, 1)[0].rstrip(": ")
            return loc, key_node.start_mark.line + 1, meant
    return None


def _path_to(data: Any, target: object) -> list[Any] | None:
    """The keys and indexes from `data` down to the object `target` (by identity)."""
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack:
        value, loc = stack.pop()
        if value is target:
            return loc
        if isinstance(value, dict):
            stack.extend((item, [*loc, key]) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, [*loc, i]) for i, item in enumerate(value))
    return None


def output_path(given: str | None, name: str) -> Path | None:
    """An output file as `-o` gives it; one ending in a slash names a folder, and the
    file is `name` in it (`-o results/` wrote a file named results)."""
    if given is None:
        return None
    if names_a_folder(given):
        return Path(given) / name
    return Path(given)


def names_a_folder(given: str) -> bool:
    """Whether `-o` as given names a folder (it ends in a slash), the file then taking its
    default name there."""
    return given.endswith(("/", os.sep))


@contextlib.contextmanager
def terminated_as_exit() -> Iterator[None]:
    """SIGTERM (a CI job's time limit, `kill`) ends the command as `SystemExit(143)` while
    this lasts, so that what is being made is cleaned up as after Ctrl-C (a write's
    temporary files, `.NAME.xxxxxxxx.tmp` beside the output; the grid's Chromium and its
    folders): by default the process ended at once and left them. Only where the default
    action is in force, and in the main thread, where signals are handled."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
    ):
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        # (a second one, sent to the process group and passed on by `guard`, would cut
        # the clean-up short)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@terminated_as_exit()
def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file beside `path`, then rename it over `path` (a device or a
    pipe is written through; a link to a file is kept, the file it names replaced). A
    path that cannot be written (a folder, under a file, no permission, a full disk, a
    name too long) raises `OutputError`, the old file left as it was."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    check_writable(path)
    if written_through(path):
        try:
            with path.open("wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise OutputError(path, _reason(exc)) from None
        return path
    target = replaced(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # (the temporary name is `.NAME.xxxxxxxx.tmp`, NAME cut: a name near the file
        # system's limit of 255 bytes made it too long, and a valid name was refused)
        prefix = f".{target.name[:TEMPORARY_NAME_KEPT]}."
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # a file replaced keeps its mode (600 on a file naming speakers was reset)
        os.chmod(tmp, stat.S_IMODE(target.stat().st_mode) if target.is_file() else 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, _reason(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@terminated_as_exit()
def write_atomic_many(files: Iterable[tuple[Path, str | bytes]]) -> list[Path]:
    """Write several files as `write_atomic` writes one, all or none: each to a temporary
    file beside it, every one made durable in one go, then each renamed over its path and
    each folder synced once. A file that cannot be written (a full disk) raises
    `OutputError` before any is renamed: every old file left as it was, and no temporary
    file. (One `fsync` per file took 12 s of a 2000-proposal `export ics`, 2076 files
    of a few KiB.) A device or a pipe among them is written through, after; a link to a
    file stays a link, the file it names replaced (as by `write_atomic`)."""
    regular: list[tuple[Path, bytes]] = []  # (the file replaced: a link's, the link kept)
    through: list[tuple[Path, bytes]] = []
    named: list[Path] = []  # the regular ones' paths, as given
    for path, data in files:
        path = Path(path)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        check_writable(path)
        if written_through(path):
            through.append((path, payload))
        else:
            regular.append((replaced(path), payload))
            named.append(path)
    staged = _staged(regular)
    for index, (path, tmp) in enumerate(staged):
        try:
            os.replace(tmp, path)
        except BaseException as exc:
            for _, left in staged[index:]:
                left.unlink(missing_ok=True)
            if not isinstance(exc, OSError):
                raise
            # (not expected: the temporary file is in the same folder, made there)
            said = f" (written before it: {index} file{'' if index == 1 else 's'})"
            raise OutputError(path, _reason(exc) + (said if index else "")) from None
    for folder in dict.fromkeys(path.parent for path, _ in staged):
        _sync_folder(folder)
    for path, payload in through:
        write_atomic(path, payload)
    return named + [path for path, _ in through]


SYNC_THREADS = 16
"""How many temporary files `write_atomic_many` syncs at once: the file system commits
the syncs that wait together in one journal commit, where one after the other each
waited for its own."""


def _staged(files: list[tuple[Path, bytes]]) -> list[tuple[Path, Path]]:
    """Each file written to a temporary file beside its path, with the mode of the file
    it replaces, and all of them on disk: (path, temporary file) pairs. On a failure
    none is left, and `OutputError` names the file."""
    staged: list[tuple[Path, Path]] = []
    path = None
    try:
        for path, payload in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            prefix = f".{path.name[:TEMPORARY_NAME_KEPT]}."
            fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
            staged.append((path, Path(tmp)))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
        path = None
        with ThreadPoolExecutor(min(SYNC_THREADS, len(staged) or 1)) as pool:
            errors = list(pool.map(_sync, [tmp for _, tmp in staged]))
        failed = [(at, error) for (at, _), error in zip(staged, errors, strict=True) if error]
        if failed:
            path, error = failed[0]
            raise error
        for path, tmp in staged:
            # a file replaced keeps its mode (as `write_atomic`'s)
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode) if path.is_file() else 0o644)
    except BaseException as exc:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(path or staged[-1][0], _reason(exc)) from None
        raise
    return staged


def _sync(path: Path) -> OSError | None:
    """`path`'s data on disk (an error returned, for the caller to name its file)."""
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return exc
    return None


def _sync_folder(folder: Path) -> None:
    """The renames in `folder` on disk, where the system can sync a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # (a file system that does not sync folders: the files are synced)
    finally:
        os.close(fd)


TEMPORARY_NAME_KEPT = 64
"""The characters of an output's name its temporary file's name keeps."""


def replaced(path: Path) -> Path:
    """The file that writing `path` replaces: `path`, or the file a link names (the link
    is kept: renaming over the link made it a file of its own, and a published solution
    behind it was left as it was)."""
    return Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)


def written_through(path: Path) -> bool:
    """Whether `path` is written in place rather than replaced: a device or a pipe
    (`-o /dev/null`, `-o /dev/stdout` to a terminal or a pipe), this process's standard
    output or error redirected to a file (`-o /dev/stdout > out.json`: a file renamed
    over the link replaced the link, as root /dev/stdout itself, or the shell's file,
    which the output then never reached), or a link to no file yet. A link to a regular
    file is not: it was opened and cut short, and a full disk or Ctrl-C during the write
    lost the file it names."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return os.path.islink(path)
    return not stat.S_ISREG(mode) or any(_opened_as(path, s) for s in (sys.stdout, sys.stderr))


def check_writable(path: Path, reads: Mapping[str, Path | None] | None = None) -> None:
    """Raise `OutputError` when `path` is plainly not a file that can be written: a
    folder, under a file, a read-only file, or one of the files the command `reads` (by
    role, e.g. "instance"). Checked before long work (a solve) as well as when writing."""
    path = Path(path)
    check_not_read(path, reads or {})
    try:
        if path.is_dir():
            raise OutputError(path, "it is a folder; give a file name")
        if read_only(path):
            # (the rename replaced it all the same: only its folder need be writable)
            raise OutputError(path, "it is read-only (chmod u+w to replace it)")
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise OutputError(path, f"{parent} is a file, not a folder")
                return
    except OSError as exc:  # (a name longer than the file system allows: a traceback)
        raise OutputError(path, _reason(exc)) from None


KINDS_OF_FILES = {
    ".yaml": "an instance (YAML)",
    ".yml": "an instance (YAML)",
    ".json": "a solution (JSON)",
    ".csv": "a table (CSV)",
    ".xlsx": "a workbook (XLSX)",
    ".xls": "a workbook (XLS)",
    ".ics": "a calendar",
    ".html": "a web page",
    ".htm": "a web page",
    ".pdf": "a PDF",
    ".png": "an image",
}
"""What a file's suffix says it holds, for the outputs named for another kind."""


TABLE_SUFFIXES = {
    ".csv": "a table (CSV)",
    ".tsv": "a table (TSV)",
    ".xlsx": "a workbook (XLSX)",
    ".xlsm": "a workbook (XLSM)",
    ".xls": "a workbook (XLS)",
    ".ods": "a spreadsheet (ODS)",
}
"""Tables, which a coordinator holding the form's answers or an export may give where
an instance or a solution is read."""


def check_not_a_table(path: Path, wanted: str) -> None:
    """Refuse a table given as an instance or a solution (`wanted`), saying which file
    the command reads and how it is made: a form export read as YAML gave "malformed
    YAML … mapping values are not allowed here", a workbook "not UTF-8 text"."""
    kind = TABLE_SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        return
    if wanted == "instance":
        how = (
            "an instance (YAML) is built from the call's form answers with `scheduler "
            "import FORM --slots SLOTS -o instances/NAME.yaml` (docs/import.md)"
        )
    else:
        how = (
            "give the solution file (JSON) written by `scheduler solve`; programme.csv and "
            "programme.xlsx are exports of it"
        )
    raise InputError(
        path, None, None, f"{kind}, not {'an' if wanted[0] in 'aeiou' else 'a'} {wanted}: {how}"
    )


def read_only(path: Path) -> bool:
    """Whether `path` is an existing file its mode protects from writing (`chmod a-w`, as
    a coordinator protects a published solution), whoever runs the command (root may
    write anything)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if not stat.S_ISREG(mode) or written_through(path):  # (a link: the file it names)
        return False
    return not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK)


def check_kind(path: Path, writes: str, suffixes: tuple[str, ...]) -> None:
    """Refuse an output named for another kind of file than the command writes (`solve
    -o commons.yaml` wrote the solution's JSON over a hand-edited instance, with no
    word): `writes` in words, `suffixes` its own. A name without a known suffix is
    taken as given."""
    kind = Path(path).suffix.lower()
    if kind in KINDS_OF_FILES and kind not in suffixes:
        raise OutputError(
            path,
            f"the name is that of {KINDS_OF_FILES[kind]}, and this command writes {writes}: "
            f"name it {' or '.join(suffixes)}",
        )


def unwritable(path: Path, probed: dict[Path, str | None] | None = None) -> str | None:
    """Why `path` cannot be written, or None. A folder is probed as the writer uses it,
    by creating a temporary file there (root may write where the modes say no, and no
    one in /proc)."""
    probed = {} if probed is None else probed
    try:
        check_writable(path)
    except OutputError as exc:
        return exc.reason
    if written_through(path):  # a device, a pipe, a standard stream
        return None if os.access(path, os.W_OK) else "permission denied"
    folder = next((p for p in replaced(path).parents if p.exists()), Path("."))
    if folder not in probed:
        try:
            fd, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=folder)
            os.close(fd)
            os.unlink(probe)
            probed[folder] = None
        except OSError as exc:
            probed[folder] = (exc.strerror or str(exc)).lower()
    return probed[folder]


def check_replaces(
    path: Path, writes: str, name: str | None = None, headers: Collection[Sequence[str]] = ()
) -> None:
    """Refuse to write over a file holding what could not easily be had back. An instance
    or a solution (`writes`) of instance `name` is not written over a file holding the
    other kind, or another instance's (`solve tiny.yaml -o commons.json` replaced Commons
    AI's published schedule, `themes --apply -o` a published solution by an instance); a
    file holding neither, or that cannot be read, is written over as any output is. An
    export (`writes` a key of `EXPORTS`) replaces only a file of its own kind: for a table,
    one whose header row starts as one of `headers` (`export csv -o answers.csv` replaced
    the call's answers by the programme, `-o notes` a text, with no word)."""
    path = Path(path)
    if not os.path.isfile(path) or written_through(path):  # (a name too long: not a file)
        return
    if writes in EXPORTS:
        kind, held = what_it_holds(path, headers)
        if kind not in (writes, "empty"):
            raise OutputError(
                path,
                f"it holds {held}, not {EXPORTS[writes]} as this command writes: an export "
                "replaces only a file of its own kind; name another file",
            )
        return
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    found = _instance_or_solution(text, path.suffix.lower() == ".json")
    if found is None:
        return
    held, other = found
    if held != writes:
        raise OutputError(path, f"it holds {_a(held)}, not {_a(writes)}: name another file")
    if isinstance(other, str) and other != name:
        what = "a solution of instance" if held == "solution" else "the instance"
        raise OutputError(
            path,
            f"it holds {what} {other!r}, not {name!r}: name another file, or remove that one first",
        )


EXPORTS = {
    "csv": "the programme as a table (CSV)",
    "xlsx": "the programme as a workbook (XLSX)",
    "ics": "a calendar (iCalendar)",
    "html": "a web page (HTML)",
    "pdf": "a PDF",
    "png": "a PNG image",
}
"""The kinds of file the exports write, in words, by `what_it_holds`' kind."""


def _instance_or_solution(text: str, as_json: bool) -> tuple[str, Any] | None:
    """("instance", its name) or ("solution", its instance's name) when `text` is one,
    as JSON (`as_json`) or YAML; else None."""
    try:
        data = json.loads(text) if as_json else load_yaml(text)
    except (ValueError, RecursionError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    if "workshops" in data:
        return "solution", data.get("instance")
    if "proposals" in data:
        return "instance", data.get("name")
    return None


def what_it_holds(path: Path, headers: Collection[Sequence[str]] = ()) -> tuple[str, str]:
    """What an existing file holds, by its content: a kind (a key of `EXPORTS`, or
    "empty", "instance", "solution", "table", "workbook", "other") and the words saying
    it. A CSV or a workbook is the programme ("csv", "xlsx") when its header row starts as
    one of `headers`; other tables are "table" or "workbook", whatever their name."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return "other", f"a file that cannot be read ({_reason(exc)})"
    if not data.strip():
        return "empty", "nothing"
    if data.startswith(b"%PDF-"):
        return "pdf", "a PDF"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", "a PNG image"
    if data.startswith(b"PK\x03\x04"):
        return _archive_holds(data, headers)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # (an OLE file: Excel 97-2003, Word 97...)
        return "workbook", "an Excel 97-2003 workbook (XLS) or another Office document"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "other", "a file that is not UTF-8 text (a table saved in another encoding?)"
    start = text.lstrip()[:1000]
    first_line = (start.splitlines() or [""])[0]
    if not start:  # (a byte-order mark alone)
        return "empty", "nothing"
    if start.upper().startswith("BEGIN:VCALENDAR"):
        return "ics", "a calendar (iCalendar)"
    if start.lower().startswith(("<!doctype html", "<html")):
        return "html", "a web page (HTML)"
    rows = [next(csv.reader([first_line], delimiter=d), []) for d in _DELIMITERS]
    if any(_programme_header(row, headers) for row in rows):  # (re-saved by Excel: `;`)
        return "csv", "the programme as a table (CSV)"
    found = _instance_or_solution(text, start.startswith(("{", "[")))
    if found is not None:
        held, name = found
        named = f" {name!r}" if isinstance(name, str) else ""
        if held == "instance":
            return "instance", f"an instance{named}"
        return "solution", f"a solution{' of instance' + named if named else ''}"
    for cells in rows:
        if len(cells) > 1:
            return "table", f"a table whose header is not the programme's ({_first(cells)})"
    return "other", "a text that is not an export"


_DELIMITERS = (",", ";", "\t")
"""The separators a table's first line is read with, as `import` reads them."""


def _archive_holds(data: bytes, headers: Collection[Sequence[str]]) -> tuple[str, str]:
    """What a ZIP archive holds: the programme as an XLSX, another workbook, another archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return "other", "a damaged ZIP archive (a workbook?)"
    if "content.xml" in names:
        return "workbook", "an OpenDocument file (an .ods spreadsheet?)"
    if "xl/workbook.xml" not in names:
        return "other", "a ZIP archive"
    import openpyxl  # (only an export over an existing workbook loads it here)

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        try:
            rows = book.worksheets[0].iter_rows(max_row=1, values_only=True)
            header = ["" if cell is None else str(cell) for cell in next(rows, ())]
        finally:
            book.close()
    except Exception:  # (openpyxl raises many kinds on a damaged workbook)
        return "workbook", "a workbook (XLSX) that cannot be read"
    if _programme_header(header, headers):
        return "xlsx", "the programme as a workbook (XLSX)"
    return (
        "workbook",
        f"a workbook whose first row is not the programme's header ({_first(header)})",
    )


def _programme_header(cells: Sequence[str], headers: Collection[Sequence[str]]) -> bool:
    """Whether a table's header row starts as one of `headers` (the columns' names the
    exports have always written first, in each language)."""
    found = [cell.strip() for cell in cells]
    return any(found[: len(header)] == list(header) for header in headers if header)


def _first(cells: Sequence[str], shown: int = 3) -> str:
    """A header's first cells, quoted: "'Horodateur', 'Nom', 'Titre', …"."""
    kept = [repr(str(cell).strip()[:40]) for cell in cells[:shown]]
    return ", ".join(kept + (["…"] if len(cells) > shown else [])) or "empty"


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def check_not_read(path: Path, reads: Mapping[str, Path | None]) -> None:
    """Raise `OutputError` when `path` is one of the files the command `reads`."""
    for role, source in reads.items():
        if source is not None and Path(source).resolve() == Path(path).resolve():
            # `solve commons.yaml -o commons.yaml` replaced the instance by its solution
            raise OutputError(path, f"it is the {role} this command reads; give another name")


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
