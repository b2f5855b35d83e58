"""The same input gives the same programs and schedules in any process: Python's string
hashes, and with them the order of sets of strings, change from one process to the
next (PYTHONHASHSEED), so nothing the solver builds may follow that order."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import Rung, generate, to_yaml
from bench.vary import vary

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial

BUILT = """
import hashlib, sys
import numpy as np
from scheduler.candidates import candidate_table
from scheduler.counting import _counting
from scheduler.greedy import greedy_solution
from scheduler.instance import load_instance
from scheduler.relaxation import Relaxation

instance = load_instance(sys.argv[1])
candidates = candidate_table(instance)
digest = hashlib.sha256()
for program in (_counting(instance, candidates).program, Relaxation(instance, candidates).program):
    for name in ("cost", "upper", "rows", "cols", "values", "row_lower", "row_upper"):
        digest.update(np.asarray(getattr(program, name), dtype=float).tobytes())
start = greedy_solution(instance, "hash", candidates)
digest.update(start.model_dump_json().encode())
print(digest.hexdigest())
"""


def _mixed_language_instance(path: Path) -> Path:
    document = generate(Rung(proposals=60, variant="easy", days=2, themes=4, seed=3))
    document.setdefault("rules", {})["mixed_language"] = True
    path.write_text(to_yaml(document))
    return path


def test_the_programs_and_the_first_schedule_do_not_follow_string_hashes(tmp_path):
    # the counting program's rows once followed the order of a set of languages: a
    # generated 100-proposal instance where languages mix was written with 1325 or 1310
    # (stopped on work, the same seed) depending on the process
    path = _mixed_language_instance(tmp_path / "mixed.yaml")
    root = Path(__file__).resolve().parents[1]
    digests = set()
    for hash_seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        run = subprocess.run(
            [sys.executable, "-c", BUILT, str(path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_a_solve_stopped_on_work_writes_the_same_file_in_any_process(tmp_path):
    # the instance where the counting program's order of languages showed (bench.fuzz
    # --vary, seed 56): 1325 or 1310 by process before
    document = generate(Rung(proposals=100, variant="tight", days=2, themes=8, seed=89424))
    vary(document, random.Random(102))
    path = tmp_path / "varied.yaml"
    path.write_text(to_yaml(document))
    root = Path(__file__).resolve().parents[1]
    texts = set()
    for hash_seed in ("1", "2"):
        out = tmp_path / f"solution-{hash_seed}.json"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
        argv = ["solve", str(path), "-o", str(out), "--quiet"]
        argv += ["--deterministic-time", "2", "--time-limit", "120"]
        subprocess.run([sys.executable, "-m", "scheduler", *argv], env=env, check=True)
        texts.add(out.read_text())
    assert len(texts) == 1
