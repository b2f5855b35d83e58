"""The code as ruff reads it: the lint rules and the format pyproject.toml sets.

CI runs the suite and nothing else, so the style holds only where a test says so: a
change that ruff would reformat or flag fails here with ruff's own report."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

PATHS = ["scheduler", "tests", "bench"]


@pytest.mark.parametrize(
    "command",
    [["check", "--no-cache"], ["format", "--check", "--no-cache"]],
    ids=["lint", "format"],
)
def test_ruff_finds_nothing(command):
    done = subprocess.run(
        [sys.executable, "-m", "ruff", *command, *PATHS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
