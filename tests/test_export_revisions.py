"""`export` with the published versions as `--reference`: a re-solve made from an earlier
version than the last one given is said, since it may bring back what the last changed
(a workshop it moved, moved back)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.solution import Solution

ROOT = Path(__file__).parent.parent
BUNDLED = ROOT / "instances" / "commons-ai-2026.yaml"
PUBLISHED = ROOT / "solutions" / "commons-ai-2026.json"


def _version(tmp_path: Path, name: str, revision: int, seed: int) -> Path:
    """The bundled schedule as a version of that revision (the seed tells the files apart)."""
    version = Solution.model_validate_json(PUBLISHED.read_text(encoding="utf-8"))
    version = version.model_copy(update={"revision": revision, "seed": seed})
    path = tmp_path / name
    path.write_text(version.to_json(), encoding="utf-8")
    return path


def _export(tmp_path: Path, solution: Path, references: list[Path], capsys, *extra: str):
    argv = ["export", "ics", str(BUNDLED), str(solution), "-o", str(tmp_path / "ics")]
    for reference in references:
        argv += ["--reference", str(reference)]
    with pytest.raises(SystemExit) as stop:
        main([*argv, *extra])
    return stop.value.code, " ".join(capsys.readouterr().err.split())


def test_a_re_solve_of_an_earlier_version_than_the_last_given_is_said(tmp_path, capsys):
    v1 = _version(tmp_path, "v1.json", 0, 1)
    v2 = _version(tmp_path, "v2.json", 1, 2)  # (re-solved from v1 and published)
    v3 = _version(tmp_path, "v3.json", 1, 3)  # (re-solved from v1 again: not from v2)
    code, err = _export(tmp_path, v3, [v1, v2], capsys)
    assert code == 0, err
    assert f"warning: {v3} (revision 1) was not re-solved from {v2} (revision 1)" in err
    assert f"re-solve with --reference {v2}, unless that is meant" in err
    code, err = _export(tmp_path, v3, [v1, v2], capsys, "--lang", "fr")
    assert code == 0, err
    assert f"{v3} (révision 1) n'a pas été résolu à partir de {v2} (révision 1)" in err


def test_a_re_solve_of_the_last_version_given_is_not_said(tmp_path, capsys):
    v1 = _version(tmp_path, "v1.json", 0, 1)
    v2 = _version(tmp_path, "v2.json", 1, 2)
    v3 = _version(tmp_path, "v3.json", 2, 3)  # (re-solved from v2)
    fresh = _version(tmp_path, "fresh.json", 0, 4)  # (solved afresh, no reference)
    for solution, references in ((v3, [v1, v2]), (v2, [v1]), (v2, [v1, v2]), (fresh, [v1, v2])):
        code, err = _export(tmp_path, solution, references, capsys)
        assert code == 0, err
        assert "was not re-solved from" not in err, (solution, references)
