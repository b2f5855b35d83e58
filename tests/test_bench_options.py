"""The benchmark side tools (plot, peers, fuzz, generate) refuse a bad option as
`python -m bench` does: one line naming it, exit code 2, no traceback, and nothing run or
written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT  # (it also puts the benchmarks' package, `bench`, on the path)

import bench.fuzz as fuzz
import bench.generate as generate
import bench.peers as peers
import bench.plot as plot
from scheduler.files import unwritable
from scheduler.instance import parse_instance

UNWRITABLE = Path("/sys/kernel/x")
"""A folder no one may write in, even root (sysfs), where the machine has it."""
needs_unwritable = pytest.mark.skipif(
    unwritable(UNWRITABLE / "x") is None, reason="no folder that cannot be written here"
)


def refused(main, argv: list[str], capsys) -> str:
    """Run a tool's `main` on `argv`, which it must refuse (exit 2, no traceback); the
    last line it said, the one naming the option."""
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


def never(*_args, **_kwargs):
    raise AssertionError("a refused option ran something")


@pytest.fixture
def a_file(tmp_path) -> Path:
    """A file given where a folder is wanted."""
    path = tmp_path / "notes.md"
    path.write_text("not a folder\n")
    return path


@pytest.fixture
def results(tmp_path) -> Path:
    """A results folder holding one rung's result."""
    folder = tmp_path / "results"
    folder.mkdir()
    rung = {"name": "bench-40-easy", "candidate_pairs": 713}
    (folder / "bench-40-easy.json").write_text(json.dumps(rung))
    return folder


@pytest.mark.parametrize("where", ["missing", "empty", "a file"])
def test_the_plot_refuses_a_results_folder_without_rung_results(
    where, tmp_path, a_file, monkeypatch, capsys
):
    monkeypatch.setattr(plot, "plot", never)
    folder = {"missing": tmp_path / "nothing", "empty": tmp_path, "a file": a_file}[where]
    line = refused(plot.main, ["--results", str(folder)], capsys)
    assert line.endswith(f"--results: no rung results in {folder}")
    assert not (tmp_path / "nothing").exists() and a_file.read_text() == "not a folder\n"


@pytest.mark.parametrize(
    "output, reason",
    [
        (lambda folder, file: file / "x.png", "is a file, not a folder"),
        (lambda folder, file: folder, "it is a folder"),
        (lambda folder, file: folder / "x.txt", "the plot is a PNG"),  # (PNG bytes in x.txt)
        pytest.param(
            lambda folder, file: UNWRITABLE / "x.png", "cannot write", marks=needs_unwritable
        ),
    ],
)
def test_the_plot_refuses_an_output_it_cannot_write_before_plotting(
    output, reason, results, a_file, monkeypatch, capsys
):
    monkeypatch.setattr(plot, "plot", never)
    target = output(results, a_file)
    line = refused(plot.main, ["--results", str(results), "-o", str(target)], capsys)
    assert "-o/--output" in line and reason in line
    assert sorted(p.name for p in results.iterdir()) == ["bench-40-easy.json"]


@pytest.mark.parametrize(
    "argv, option",
    [
        (["--only", "41"], "--only"),
        (["--only"], "--only"),
        (["--rung", "nope.yaml"], "--rung"),
        (["--only", "40", "--rung", str(ROOT / "instances/bench/bench-40-easy.yaml")], "--only"),
        (["--time-limit", "-1"], "--time-limit"),
        (["--time-limit", "nan"], "--time-limit"),
        (["--time-limit", "0"], "--time-limit"),
        (["--workers", "0"], "--workers"),
        (["--table"], "--table"),
    ],
)
def test_peers_refuse_a_bad_option_before_any_run(argv, option, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(peers, "run_peers", never)
    monkeypatch.setattr(peers, "write_table", never)
    folder = tmp_path / "results"
    line = refused(peers.main, [*argv, "--results", str(folder)], capsys)
    assert option in line
    assert not folder.exists()  # no empty peers.json, no table


@pytest.mark.parametrize(
    "results, reason",
    [
        (lambda file: file, "is a file; give a folder"),
        (lambda file: file / "x", "is a file, not a folder"),
        pytest.param(lambda file: UNWRITABLE, "cannot write", marks=needs_unwritable),
    ],
)
def test_peers_refuse_a_results_folder_they_cannot_write(
    results, reason, a_file, monkeypatch, capsys
):
    monkeypatch.setattr(peers, "run_peers", never)
    line = refused(peers.main, ["--only", "40", "--results", str(results(a_file))], capsys)
    assert "--results" in line and reason in line
    assert a_file.read_text() == "not a folder\n"


@pytest.mark.parametrize(
    "argv, option, said",
    [
        (["--deterministic-time", "0"], "--deterministic-time", "above 0"),
        (["--deterministic-time", "-1"], "--deterministic-time", "above 0"),
        (["--deterministic-time", "0.001"], "--deterministic-time", "from 0.01 to 86400"),
        (["--time-limit", "nan"], "--time-limit", "'nan'"),
        (["--time-limit", "inf"], "--time-limit", "'inf'"),
        (["--time-limit", "90000"], "--time-limit", "from 0.01 to 86400"),
        (["--count", "0"], "--count", "1 or more"),
        (["--sizes", "30", "5"], "--sizes", "10 or more, not 5"),
    ],
)
def test_fuzz_refuses_a_bad_option_before_drawing_an_instance(
    argv, option, said, monkeypatch, capsys
):
    # (a deterministic time of 0 once made every run on work a false "FUZZ FAILED")
    monkeypatch.setattr(fuzz, "draw", never)
    line = refused(fuzz.main, argv, capsys)
    assert option in line and said in line


@pytest.mark.parametrize(
    "findings",
    [
        lambda file: file,
        lambda file: file / "x",
        pytest.param(lambda file: UNWRITABLE, marks=needs_unwritable),
    ],
)
def test_fuzz_refuses_a_findings_folder_it_cannot_write_before_the_runs(
    findings, a_file, monkeypatch, capsys
):
    monkeypatch.setattr(fuzz, "draw", never)
    line = refused(fuzz.main, ["--vary", "--findings", str(findings(a_file))], capsys)
    assert "--findings" in line
    assert a_file.read_text() == "not a folder\n"


def test_fuzz_keeps_the_backstop_of_a_run_on_work_within_a_day(monkeypatch, capsys):
    # the run on work is solved again by `scheduler solve`, which takes no more than a day
    # (4 x a --time-limit of 86400 was refused there, a false finding)
    limits = []
    case = fuzz.Case(generate.Rung(30, "easy", days=2, themes=4), seed=0, deterministic=True)
    monkeypatch.setattr(fuzz, "draw", lambda *args: [case])

    def checked(case, limit, *args):
        limits.append(limit)
        return fuzz.Outcome(case, "checked")

    monkeypatch.setattr(fuzz, "_checked_apart", checked)  # (in this process)
    fuzz.main(["--count", "1", "--time-limit", "86400"])
    assert limits == [86400.0]
    assert "1 instances: 1 checked without a finding" in capsys.readouterr().out


def test_fuzz_help_gives_its_whole_first_sentence(capsys):
    with pytest.raises(SystemExit) as exit_info:
        fuzz.main(["--help"])
    assert exit_info.value.code == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "re-solves of each after a cancellation, before the event and during it." in said


@pytest.mark.parametrize(
    "argv, option",
    [
        (["--proposals", "0"], "--proposals"),
        (["--proposals", "-5"], "--proposals"),
        (["--proposals", "4"], "--proposals"),  # (too few to plant: `_trim` failed)
        (["--proposals", "30", "--themes", "-1"], "--themes"),
        (["--proposals", "30", "--themes", "0"], "--themes"),  # (once the rung's default)
        (["--proposals", "30", "--days", "0"], "--days"),
        (["--proposals", "30", "--days", "two"], "--days"),
        (["--seed", "3"], "--seed"),  # without --proposals: the whole ladder, its seeds
        (["--days", "2"], "--days"),
        (["--proposals", "30", "-o", "one.yaml"], "--directory"),  # (it was ignored)
    ],
)
def test_the_generator_refuses_a_bad_option_before_generating(
    argv, option, tmp_path, monkeypatch, capsys
):
    monkeypatch.setattr(generate, "generate", never)
    folder = tmp_path / "out"
    line = refused(generate.main, [*argv, "--directory", str(folder)], capsys)
    assert option in line
    assert not folder.exists()


@pytest.mark.parametrize(
    "argv, option, reason",
    [
        (lambda file: ["--proposals", "30", "-o", str(file / "x.yaml")], "-o/--output", "a file"),
        (lambda file: ["--proposals", "30", "--directory", str(file)], "--directory", "a file"),
        (lambda file: ["--directory", str(file)], "--directory", "is a file, not a folder"),
        (lambda file: ["-o", str(file.parent / "x.yaml")], "-o/--output", "only with --proposals"),
        pytest.param(
            lambda file: ["--proposals", "30", "-o", str(UNWRITABLE / "x.yaml")],
            "-o/--output",
            "cannot write",
            marks=needs_unwritable,
        ),
    ],
)
def test_the_generator_refuses_an_output_it_cannot_write_before_generating(
    argv, option, reason, a_file, monkeypatch, capsys
):
    monkeypatch.setattr(generate, "generate", never)
    line = refused(generate.main, argv(a_file), capsys)
    assert option in line and reason in line
    assert sorted(p.name for p in a_file.parent.iterdir()) == ["notes.md"]


@pytest.mark.parametrize("variant, seed", [("easy", 5), ("tight", 4)])
def test_a_one_day_instance_is_generated(variant, seed):
    # a speaker of a morning and an afternoon talk has no half-day left to be away:
    # `--days 1` ended in an IndexError
    rung = generate.Rung(30, variant, days=1, themes=4, seed=seed)
    instance = parse_instance(generate.generate(rung), f"{rung.name}.yaml")
    assert len(instance.proposals) == 30


@pytest.mark.parametrize(
    "main, prog",
    [
        (generate.main, "python -m bench.generate"),
        (peers.main, "python -m bench.peers"),
        (fuzz.main, "python -m bench.fuzz"),
        (plot.main, "python -m bench.plot"),
    ],
)
def test_help_names_the_tool_as_it_is_run(main, prog, capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert capsys.readouterr().out.startswith(f"usage: {prog} ")


@pytest.mark.parametrize(
    "tool, argv, option",
    [
        ("plot", ["--results", "no-such-folder"], "--results"),
        ("peers", ["--workers", "0"], "--workers"),
        ("fuzz", ["--time-limit", "nan"], "--time-limit"),
        ("generate", ["--proposals", "0"], "--proposals"),
    ],
)
def test_each_tool_run_as_a_module_refuses_without_a_traceback(tool, argv, option):
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{tool}", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "Traceback" not in done.stderr
    assert option in done.stderr.strip().splitlines()[-1]
