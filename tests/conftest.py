"""Shared test helpers: small instances built as plain data, solved with small limits."""

from __future__ import annotations

import copy
import itertools
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from scheduler.bound import AggregateBound, PendingBound
from scheduler.candidates import (
    CandidateTable,
    candidate_table,
    group_exclusion,
    own_exclusion,
    together_units,
)
from scheduler.counting import counting_bound_later, trivial_bound
from scheduler.exports import browser
from scheduler.exports.common import Written, write_outputs
from scheduler.exports.grid import pdf_and_pages
from scheduler.exports.ics import IcsOptions, ics_outputs
from scheduler.greedy import greedy_solution
from scheduler.instance import Instance, Proposal, Slot, load_instance, parse_instance
from scheduler.relaxation import Relaxation
from scheduler.solution import Solution
from scheduler.solve import SolveOptions, SolveStats, _members, solve

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
if str(ROOT) not in sys.path:  # the benchmarks' package, `bench`, is not installed
    sys.path.insert(0, str(ROOT))
TINY = DATA / "tiny.yaml"
BUNDLED = ROOT / "instances" / "commons-ai-2026.yaml"
PUBLISHED = DATA / "commons-ai-2026-published.json"
"""A programme of the bundled instance as published, frozen: one of its optima (75), the
solver's file until 2026-12-06 (cb67e2f; since, the solver writes another optimum). The
tests of exports, diffs and re-solves that build their cases on its workshops (which
talk is where, which slot is free) read it, so a solver finding another optimum
changes none of them."""

FAST = SolveOptions(time_limit=10, seed=0, workers=1)


def base_data() -> dict[str, Any]:
    """One day, two rooms, two parallel 90-minute morning slots, no proposals yet."""
    return {
        "name": "unit",
        "event": {
            "title": "Unit event",
            "venue": "Test venue",
            "timezone": "Europe/Paris",
            "days": ["2026-12-01", "2026-12-01"],
        },
        "themes": [
            {"id": "open", "label": {"fr": "Ouverture", "en": "Openness"}},
            {"id": "data", "label": {"fr": "Données", "en": "Data"}},
        ],
        "rooms": [{"id": "a", "name": "Room A"}, {"id": "b", "name": "Room B"}],
        "slots": [
            {"id": "s1", "room": "a", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:30:00"},
            {"id": "s2", "room": "b", "start": "2026-12-01T09:00:00", "end": "2026-12-01T10:30:00"},
        ],
        "speakers": [
            {"id": f"sp{i}", "name": f"Speaker {i}", "affiliation": f"Org {i}"} for i in range(1, 9)
        ],
        "proposals": [],
    }


def proposal(pid: str, fmt: str = "keynote", lang: str = "fr", speakers=None, themes=None, **extra):
    return {
        "id": pid,
        "title": f"Title of {pid}",
        "format": fmt,
        "language": lang,
        "speakers": speakers or ["sp1"],
        "themes": themes or ["open"],
        **extra,
    }


def build(data: dict[str, Any]) -> Instance:
    return parse_instance(copy.deepcopy(data), "unit.yaml")


def solve_data(data: dict[str, Any], options: SolveOptions = FAST) -> tuple[Instance, Solution]:
    instance = build(data)
    return instance, solve(instance, "sha256:test", options)


def write_yaml(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def to_stdout_file(args: list[str], path: Path) -> subprocess.CompletedProcess[str]:
    """`python -m scheduler ARGS` with its standard output the file `path`, as a shell's
    `> path` gives it (`-o /dev/stdout` then names that file); its stderr captured."""
    with path.open("wb") as stdout:
        return subprocess.run(
            [sys.executable, "-m", "scheduler", *args],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )


@pytest.fixture
def data() -> dict[str, Any]:
    return base_data()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "background_failure: the test makes a background search fail, or a solve list an "
        "error in its SolveStats, on purpose (`_no_background_failure` lets it)",
    )


_TESTS = itertools.count()


@pytest.fixture(autouse=True)
def _no_background_failure(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[None]:
    """Fail a test in which a background search (a child process, or a child's own) stopped
    on an error, or whose `SolveStats` list errors, unless it is marked
    `background_failure`: a solve goes on without such a search and its result still
    holds, so a defect there (a weaker bound, a search that never ran) passed the suite.
    A child killed at its time limit or stopped by its caller sends no error, and is none.

    The warnings are written to a file by a handler of `scheduler.program`'s logger:
    forked children inherit it, so a grandchild's failure, logged in the child that
    receives it, is seen too."""
    if request.node.get_closest_marker("background_failure") is not None:
        yield
        return
    # (opened at the first record only, by whichever process logs it)
    path = tmp_path_factory.getbasetemp() / f"background-{os.getpid()}-{next(_TESTS)}.log"
    handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(levelname)s pid %(process)d: %(message)s"))
    logger = logging.getLogger("scheduler.program")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)  # (its tracebacks come at DEBUG)
    made: list[SolveStats] = []
    init = SolveStats.__init__

    def recorded(self: SolveStats, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        made.append(self)

    SolveStats.__init__ = recorded
    try:
        yield
    finally:
        SolveStats.__init__ = init
        logger.removeHandler(handler)
        logger.setLevel(level)
        handler.close()
    said = path.read_text(encoding="utf-8") if path.exists() else ""
    path.unlink(missing_ok=True)
    errors = [error for stats in made for error in stats.errors]
    if any(line.startswith("WARNING pid ") for line in said.splitlines()) or errors:
        pytest.fail(
            "a background search failed, or a solve listed an error (mark the test "
            f"`background_failure` if it means to):\n{said}"
            + "".join(f"SolveStats.errors: {e}\n" for e in errors),
            pytrace=False,
        )


def greedy_start(instance, candidates):
    """First fit's schedule as members and theme per slot, and its objective."""
    start = greedy_solution(instance, "sha256:x", candidates)
    return _members(start), start.objective


def from_greedy(path):
    """The instance, its relaxation, the greedy schedule's columns and objective."""
    instance = load_instance(path)
    candidates = candidate_table(instance)
    relaxation = Relaxation(instance, candidates)
    (members, themes), objective = greedy_start(instance, candidates)
    return instance, relaxation, relaxation.encode(members, themes), objective


def aggregate_bound(
    instance: Instance,
    candidates: CandidateTable,
    time_limit: float = 5.0,
    work: int | None = None,
) -> AggregateBound:
    """The aggregated relaxation solved within the time limit (in a child process, where
    HiGHS runs; stopped after `work` units of branch and bound when given), as `solve`
    has it from its `PendingBound`."""
    return PendingBound(instance, candidates, time_limit, work=work).final()


def counting_bound(instance: Instance, candidates: CandidateTable, wait: float = 10.0) -> int:
    """The counting bound, computed in a child process (waiting up to `wait` seconds;
    the trivial bound if it has not come by then)."""
    later = counting_bound_later(instance, candidates)
    answer = later(wait, last=True)
    later.stop()
    return trivial_bound(instance, candidates) if answer is None else answer


def exclusion(instance: Instance, proposal: Proposal, slot: Slot) -> str | None:
    """Why `slot` cannot hold `proposal` whatever else is placed, or None, checked pair
    by pair: what `candidate_table` must agree with. The proposal's own reasons
    (`own_exclusion`), else, when its `together` group fits no slot at all, the group's
    there (`group_exclusion`)."""
    why = own_exclusion(instance, proposal, slot)
    unit = together_units(instance).get(proposal.id)
    if why is not None or not unit:
        return why

    def group_why(where: Slot) -> str | None:
        partners = {q.id: own_exclusion(instance, q, where) for q in unit if q is not proposal}
        return group_exclusion(instance, unit, where, partners)

    if any(
        own_exclusion(instance, proposal, s) is None and group_why(s) is None
        for s in instance.slots
    ):
        return None
    return group_why(slot)


def write_ics(
    instance: Instance,
    solution: Solution,
    directory: Path,
    options: IcsOptions = IcsOptions(),
    reference: Solution | list[Solution] | None = None,
) -> list[Written]:
    """programme.ics, then speakers/<id>.ics, rooms/<id>.ics and themes/<id>.ics, written."""
    return write_outputs(ics_outputs(instance, solution, directory, options, reference))


def html_to_pdf(html: str) -> bytes:
    """The grid's PDF (`pdf_and_pages`) without its page count."""
    return pdf_and_pages(html)[0]


def dump_dom(page: Path, timeout: float = 60) -> str:
    """The page's DOM as Chromium serialises it after loading and running its scripts."""
    return browser._run(page, ["--dump-dom"], timeout).stdout.decode("utf-8")
