"""Relative links in the project's Markdown resolve: the file exists, and an anchor
(`#section`) names a heading of that file, as GitHub slugs it, or an explicit
`<a id="...">`. bench/README.md's sections moved to bench/HISTORY.md, bench/FUZZ.md and
docs/solver.md on 2026-12-06; links into them broke silently before.

In a git checkout, every tracked Markdown file is read (bench/results/ too), a link's
target must be tracked (a gitignored file exists locally and 404s on GitHub), and a path
written in backticks (`scheduler/model.py`, `tests/test_export_*.py`) must name tracked
files, or an output git ignores on purpose (`bench/results/local/`)."""

import fnmatch
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    except OSError:  # no git
        return None


def _tracked() -> frozenset[str] | None:
    """The checkout's tracked files, or None outside a git checkout."""
    done = _git("ls-files")
    if done is None or done.returncode != 0:
        return None
    return frozenset(done.stdout.splitlines())


TRACKED = _tracked()
FOLDERS = frozenset(
    str(parent) for name in TRACKED or () for parent in Path(name).parents if str(parent) != "."
)
DOCS = (
    [ROOT / name for name in sorted(TRACKED) if name.endswith(".md")]
    if TRACKED is not None
    else [
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "bench").glob("*.md")),
    ]
)
# [text](target) and [text](target "title"); [id]: target; <a href="target">
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(\S+)", re.M)
HREF = re.compile(r'href="([^"]+)"')
FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.M | re.S)
# a repository path in backticks (instances/ and solutions/ hold the users' own files
# in the examples: `instances/commons.yaml`)
PATH = re.compile(r"`((?:scheduler|tests|bench|docs|\.ci)/[^`\s]*)`")
TABLE = re.compile(r"^\|.*\|\n\|[-| ]+\|\n(?:\|.*\|\n?)*", re.M)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def prose(path: Path) -> str:
    """The file's text without its fenced code blocks."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def anchors(path: Path) -> set[str]:
    text = prose(path)
    found: set[str] = set(re.findall(r'<a id="([^"]+)"', text))
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        name = slug(heading)
        count = seen.get(name, 0)
        seen[name] = count + 1
        found.add(name if count == 0 else f"{name}-{count}")
    return found


def links(path: Path) -> list[str]:
    text = prose(path)
    return [
        target
        for target in LINK.findall(text) + REFERENCE.findall(text) + HREF.findall(text)
        if not re.match(r"[a-z]+:", target)  # http:, https:, mailto:
    ]


def tracked(name: str) -> bool:
    """A tracked file, or a folder holding one."""
    return name.rstrip("/") in TRACKED or name.rstrip("/") in FOLDERS


def test_slug_is_githubs():
    assert slug("How size is handled: the direct and the block paths") == (
        "how-size-is-handled-the-direct-and-the-block-paths"
    )
    assert slug("Earlier measurements, moved from bench/README.md") == (
        "earlier-measurements-moved-from-benchreadmemd"
    )
    assert slug("Constraints (one method per rule in `WorkshopModel`)") == (
        "constraints-one-method-per-rule-in-workshopmodel"
    )


def test_links_are_found_in_every_form(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        '[a](a.md) [b](b.md "title") [c][c] <a href="d.md">d</a>\n\n[c]: c.md\n\n'
        "~~~\n[e](e.md)\n~~~\n\n```sh\n[f](f.md)\n```\n[g](https://example.org)\n",
        encoding="utf-8",
    )
    assert sorted(links(page)) == ["a.md", "b.md", "c.md", "d.md"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc):
    broken = []
    for target in links(doc):
        file, _, anchor = target.partition("#")
        path = (doc.parent / file).resolve() if file else doc
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif (
            TRACKED is not None
            and file
            and not (path.is_relative_to(ROOT) and tracked(str(path.relative_to(ROOT))))
        ):
            broken.append(f"{target}: not in git (it would 404 on GitHub)")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no such section")
    assert not broken, broken


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_paths_in_backticks_name_tracked_files(doc):
    if TRACKED is None:
        pytest.skip("not a git checkout")
    broken = []
    for written in sorted(set(PATH.findall(prose(doc)))):
        name = re.sub(r"<[^>]*>", "*", written)  # bench/results/<name>.json
        if "*" in name:
            found = any(fnmatch.fnmatch(file, name) for file in TRACKED)
        else:
            found = tracked(name) or _git("check-ignore", "-q", name).returncode == 0
        if not found:
            broken.append(written)
    assert not broken, broken


@pytest.mark.parametrize("doc", ["README.md", "bench/README.md"])
def test_copies_of_the_committed_tables_are_the_same(doc):
    # (bench/README.md held a second copy of the ladder's table that no test compared)
    results = (ROOT / "bench/results/results.md").read_text(encoding="utf-8")
    headers = {table.splitlines()[0] for table in TABLE.findall(results)}
    copies = [
        table
        for table in TABLE.findall((ROOT / doc).read_text(encoding="utf-8"))
        if table.splitlines()[0] in headers
    ]
    assert copies
    for table in copies:
        assert table.rstrip("\n") in results, f"{doc}: {table.splitlines()[0][:60]}..."
