"""Relative links in the project's Markdown resolve: the file exists, and an anchor
(`#section`) names a heading of that file, as GitHub slugs it, or an explicit
`<a id="...">`. bench/README.md's sections moved to bench/HISTORY.md, bench/FUZZ.md and
docs/solver.md on 2026-12-06; links into them broke silently before."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent

DOCS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "bench").glob("*.md")),
]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    found: set[str] = set(re.findall(r'<a id="([^"]+)"', text))
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6} (.+)$", text, re.M):
        name = slug(heading)
        count = seen.get(name, 0)
        seen[name] = count + 1
        found.add(name if count == 0 else f"{name}-{count}")
    return found


def links(path: Path) -> list[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z]+:", target)  # http:, https:, mailto:
    ]


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


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(doc):
    broken = []
    for target in links(doc):
        file, _, anchor = target.partition("#")
        path = (doc.parent / file).resolve() if file else doc
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no such section")
    assert not broken, broken
