"""The command line in the environments it meets: a terminal's encoding, a pipe under
FORCE_COLOR, a SIGTERM while files are written, an output it may not write."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import ROOT

SCHEMA_WITH_AN_ACCENT = """
import sys
from scheduler.instance import Instance
from scheduler.cli import main

schema = Instance.model_json_schema
Instance.model_json_schema = classmethod(
    lambda cls, **options: {**schema(**options), "description": "Créneaux, thèmes"}
)
main(sys.argv[1:])
"""


def test_the_schema_stays_json_on_a_terminal_that_cannot_show_its_text():
    # the streams write what their encoding cannot as Python's escapes, "\\xe9" for "é",
    # which is no JSON escape: `scheduler schema > s.json` on an ASCII terminal (a CI
    # job's PYTHONIOENCODING=ascii, LC_ALL=C) gave a file no JSON reader took
    for encoding, expected in (("ascii", "\\u00e9"), ("utf-8", "é")):
        result = subprocess.run(
            [sys.executable, "-c", SCHEMA_WITH_AN_ACCENT, "schema"],
            cwd=ROOT,
            env={**os.environ, "PYTHONIOENCODING": encoding},
            capture_output=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr.decode()
        text = result.stdout.decode(encoding)
        assert json.loads(text)["description"] == "Créneaux, thèmes"
        assert expected in text
