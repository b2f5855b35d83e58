"""The declared dependencies and the files that pin them agree."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def _pins(path: Path) -> dict[str, Version]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            (specifier,) = requirement.specifier
            assert specifier.operator == "==", line
            pins[canonicalize_name(requirement.name)] = Version(specifier.version)
    return pins


def _lower_bounds() -> dict[str, Version]:
    """Each dependency's lowest allowed version over the core, the test and bench extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds: dict[str, Version] = {}
    extras = project["optional-dependencies"]
    for line in project["dependencies"] + extras["test"] + extras["bench"]:
        requirement = Requirement(line)
        for specifier in requirement.specifier:
            if specifier.operator == ">=":
                name = canonicalize_name(requirement.name)
                bounds[name] = max(bounds.get(name, Version("0")), Version(specifier.version))
    return bounds


def test_the_minimum_versions_file_pins_every_lower_bound_exactly():
    # the suite was run with .ci/minimum-versions.txt; a bound raised or added in
    # pyproject.toml without it would claim versions nobody tested
    assert _pins(ROOT / ".ci" / "minimum-versions.txt") == _lower_bounds()


def test_every_runtime_lower_bound_is_the_one_the_suite_was_run_with():
    # a runtime bound below the test extra's (icalendar>=6.1 beside >=7.0) was checked by
    # no run: icalendar 6.x has no top-level vCategory, and `export ics` failed with it
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _pins(ROOT / ".ci" / "minimum-versions.txt")
    for line in project["dependencies"]:
        requirement = Requirement(line)
        for specifier in requirement.specifier:
            if specifier.operator == ">=":
                assert Version(specifier.version) == pins[canonicalize_name(requirement.name)], line


def test_ci_pins_solvers_that_pyproject_allows():
    bounds = _lower_bounds()
    pins = _pins(ROOT / ".ci" / "constraints.txt")
    assert set(pins) == {"ortools", "highspy"}
    for name, version in pins.items():
        assert version >= bounds[name], name
