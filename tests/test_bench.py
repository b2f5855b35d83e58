"""The benchmark ladder: reproducible instances and a smoke run of the two smallest rungs.

The smoke run records times; it never asserts on them.
"""

from __future__ import annotations

import json
import math
import os
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import (  # (it also puts the benchmarks' package, `bench`, on the path)
    PUBLISHED,
    ROOT,
)

from bench.generate import HOLDOUT, HOLDOUT_DIR, INSTANCE_DIR, LADDER, generate, to_yaml
from bench.runner import ladder, markdown, run_ladder, rung_order, size_of
from scheduler.candidates import candidate_table
from scheduler.instance import load_instance

# Solves on the clock (or timings of a search): .ci/run runs them after the parallel
# part of the suite, alone on the machine (see pyproject.toml, "serial").
pytestmark = pytest.mark.serial


def test_same_seed_same_bytes():
    rung = LADDER[2]
    assert to_yaml(generate(rung)) == to_yaml(generate(rung))


def test_another_seed_another_instance():
    rung = LADDER[0]
    other = type(rung)(rung.proposals, rung.variant, rung.days, rung.themes, seed=rung.seed + 1)
    assert to_yaml(generate(rung)) != to_yaml(generate(other))


@pytest.mark.parametrize(
    ("directory", "rung"),
    [(INSTANCE_DIR, rung) for rung in LADDER] + [(HOLDOUT_DIR, rung) for rung in HOLDOUT],
    ids=lambda r: getattr(r, "name", ""),
)
def test_committed_instance_is_what_the_generator_writes(directory, rung):
    committed = (directory / f"{rung.name}.yaml").read_text(encoding="utf-8")
    assert committed == to_yaml(generate(rung))


def test_the_holdout_instances_are_apart_from_the_ladder():
    ladder_names = [p.stem for p in ladder()]
    assert ladder_names == [rung.name for rung in LADDER]  # no holdout instance among them
    holdout = ladder(holdout=True)
    assert sorted(p.stem for p in holdout) == sorted(rung.name for rung in HOLDOUT)
    # another seed of a rung's size and variant: another instance, ordered with its size
    assert all(rung.seed != 1 for rung in HOLDOUT)
    assert [rung_order(p.stem)[1] for p in holdout] == [150, 150, 600, 600, 600]
    assert [rung_order(p.stem)[2] for p in holdout[:2]] == [False, True]
    assert size_of(HOLDOUT_DIR / "bench-600-easy-s7.yaml") == 600
    ladder_texts = {(INSTANCE_DIR / f"{name}.yaml").read_text() for name in ladder_names}
    assert not ladder_texts & {p.read_text() for p in holdout}


@pytest.mark.parametrize("rung", LADDER[:4], ids=lambda r: r.name)
def test_generated_instance_loads_with_its_planted_shape(rung):
    instance = load_instance(INSTANCE_DIR / f"{rung.name}.yaml")
    assert len(instance.proposals) == rung.proposals
    candidates = candidate_table(instance)
    without = [p.id for p in instance.proposals if not candidates.slots[p.id]]
    assert 1 <= len(without) <= max(1, rung.proposals // 50)
    assert all(candidates.reasons(p) for p in without)
    assert any(p.pin for p in instance.proposals) or rung.proposals < 100
    speakers = [s for p in instance.proposals for s in p.speakers]
    assert len(speakers) > len(set(speakers))  # some speakers present twice
    assert any(len(p.speakers) == 2 for p in instance.proposals)
    assert any(s.available for s in instance.speakers)
    assert {p.language.value for p in instance.proposals} == {"fr", "en"}


def test_smoke_benchmark(tmp_path):
    # `python -m bench --smoke`, as .ci/run runs it before the suite: there its results
    # (BENCH_SMOKE_RESULTS) are checked here, not solved a second time
    from bench.runner import SMOKE, SMOKE_RESOLVES, SMOKE_TIMES, main, rung_results

    folder = os.environ.get("BENCH_SMOKE_RESULTS")
    if folder:
        folder = Path(folder)
    else:
        main(["--smoke", "--results", str(tmp_path)])
        folder = tmp_path
    results = rung_results(folder)
    assert [r["name"] for r in results] == list(SMOKE)
    for result in results:
        assert result["valid"] is True and result["greedy"]["valid"] is True
        # (the target is on time: recorded, not asserted)
        assert result["problems"] == [] and isinstance(result["target"]["met"], bool)
        assert result["placed"] == result["placeable"]
        # recorded, never asserted on: the times (numbers) and what they ran on
        for key in SMOKE_TIMES:
            assert isinstance(result[key], float | int) and result[key] >= 0, key
        assert datetime.fromisoformat(result["date"]).utcoffset() is not None
        assert result["versions"]["ortools"] and result["load_average_end"] is not None
        assert result["objective"] <= result["greedy"]["objective"]
        assert result["peak_mib"] > 0
        assert result["errors"] == []
        if result["name"] not in SMOKE_RESOLVES:
            assert "resolve" not in result
            continue
        # re-solved after a cancellation against its own schedule, validated with `moved`
        resolved = result["resolve"]
        assert resolved["valid"] is True and resolved["placed"] == resolved["placeable"]
        assert resolved["cancelled"] not in (result["instance"], None)
        # and during the event: the workshops begun by the middle of the schedule kept
        during = result["resolve_during"]
        assert during["valid"] is True and during["kept"] > 0
        assert datetime.fromisoformat(during["kept_before"]).tzinfo is not None
    # stopped on work, the same objectives on any machine: the optima the rungs prove
    # (150-tight the smallest on the block path: first fit, searches by cliques)
    assert [(r["status"], r["objective"]) for r in results] == [
        ("optimal", 1070),
        ("optimal", 1110),
        ("optimal", 2390),
    ]
    assert {r["stopped_by"] for r in results} == {"proof"}
    table = (folder / "results.md").read_text()
    assert all(f"| {name} |" in table for name in SMOKE)
    assert "Reference bounds" not in table  # each rung bounds itself
    assert not (folder / "reference-bounds.json").exists()
    resolve_table = (folder / "resolve.md").read_text()
    assert resolve_table.count("| yes |") == 4
    assert resolve_table.count(" before ") == 2 and resolve_table.count("| — |") == 2


def test_smoke_runs_fail_short_of_their_optimum_or_without_their_times():
    from bench.runner import smoke_problems

    canned = json.loads((ROOT / "bench" / "results" / "bench-40-tight.json").read_text())
    assert smoke_problems(canned) == []
    assert smoke_problems(dict(canned, status="feasible", objective=1115)) == [
        "bench-40-tight: smoke: feasible 1115, expected optimal 1110"
    ]
    assert smoke_problems(dict(canned, first_solution_seconds=None, placed=38)) == [
        "bench-40-tight: smoke: first_solution_seconds not recorded (None)",
        "bench-40-tight: smoke: placed 38/39",
    ]


def test_one_rung_run_again_keeps_the_others_rows_in_both_tables(tmp_path, monkeypatch):
    # results.md and resolve.md are written from every JSON in the folder
    import bench.runner as runner_module

    def canned(path, *args):
        result = json.loads((ROOT / "bench/results/resolve" / f"{path.stem}.json").read_text())
        return result

    monkeypatch.setattr(runner_module, "run_in_child", canned)
    paths = ladder()[:2]
    run_ladder(paths, time_limit=5, seed=0, workers=2, results_dir=tmp_path, resolve=True)
    run_ladder(paths[1:], time_limit=5, seed=0, workers=2, results_dir=tmp_path, resolve=True)
    for name in ("results.md", "resolve.md"):
        table = (tmp_path / name).read_text()
        assert "| bench-40-easy |" in table and "| bench-40-tight |" in table, name


def test_a_re_solve_during_the_event_without_an_initiative_that_had_begun():
    # the fuzz's other re-solve during the event: an initiative of a begun workshop does
    # not come; that workshop keeps its slot, theme and other members (its timeline
    # recomputed), every other begun one stays exactly as published
    import yaml

    from bench.runner import run_resolve
    from scheduler.solution import load_solution
    from scheduler.solve import SolveOptions

    path = ROOT / "instances" / "commons-ai-2026.yaml"
    instance = load_instance(path)
    published = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    options = SolveOptions(time_limit=5, workers=2, deterministic_time=2)
    again = run_resolve(document, path, instance, published, options, during=True, begun=True)
    moment = datetime.fromisoformat(again["kept_before"])
    assert again["begun"] and again["kept"] == sum(w.start < moment for w in published.workshops)
    holding = [w for w in published.workshops if again["cancelled"] in w.proposals]
    assert len(holding) == 1
    workshop = holding[0]
    assert workshop.start < moment
    assert not instance.proposal_by_id[again["cancelled"]].is_keynote
    assert again["valid"] is True, again["violations"]


def test_the_cancelled_keynote_leads_no_pinned_proposal():
    """A pinned initiative whose keynote cancels may be left with no workshop to hold it,
    and the instance without that keynote with no schedule (the fuzz met one): the
    re-solve benchmark cancels a keynote whose workshop holds no pin."""
    import yaml

    from bench.runner import cancellation, without
    from scheduler.instance import parse_instance
    from scheduler.solution import load_solution
    from scheduler.solve import SolveOptions, solve
    from scheduler.validate import validate

    path = ROOT / "instances" / "commons-ai-2026.yaml"
    published = load_solution(ROOT / "solutions" / "commons-ai-2026.json")
    first = cancellation(load_instance(path), published)
    assert first == "p02"  # it leads p13, p14, p15 and p28 on Wednesday morning
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    slot = next(w.slot for w in published.workshops if first in w.proposals)
    for proposal in data["proposals"]:
        if proposal["id"] == "p13":
            proposal["pin"] = slot
    pinned = parse_instance(data, path)
    cancelled = cancellation(pinned, published)
    assert cancelled not in (first, None)
    led = next(w for w in published.workshops if cancelled in w.proposals)
    assert all(pinned.proposal_by_id[p].pin is None for p in led.proposals)
    smaller = parse_instance(without(data, cancelled), path)
    options = SolveOptions(time_limit=10, seed=0, workers=2, deterministic_time=2)
    again = solve(smaller, "sha256:test", options, reference=published)
    assert again.has_schedule and validate(smaller, again, published).ok


def test_a_rejected_re_solve_fails_the_benchmark():
    from bench.runner import check

    result = {
        "name": "r",
        "valid": True,
        "greedy": {"valid": True},
        "resolve": {"cancelled": "k1", "valid": None, "status": "unknown", "violations": []},
    }
    assert check(result) == ["r: re-solve without k1 found no schedule (unknown)"]
    result["resolve"].update(valid=False, violations=["pin: k2 is pinned to s1"])
    assert check(result) == ["r: re-solve without k1 rejected: ['pin: k2 is pinned to s1']"]
    result["resolve"]["valid"] = True
    result["resolve_during"] = {"cancelled": "k3", "valid": False, "violations": ["s2 had begun"]}
    assert check(result) == ["r: re-solve during the event without k3 rejected: ['s2 had begun']"]


@pytest.mark.background_failure
def test_a_background_search_stopped_by_an_error_fails_the_benchmark(tmp_path, monkeypatch):
    import scheduler.bound as bound_module
    from bench.runner import BenchmarkFailure

    def broken(*args, **options):
        raise RuntimeError("the relaxation broke")

    # the relaxation's child is forked from this process: it runs the broken function
    monkeypatch.setattr(bound_module, "aggregate_bounds", broken)
    with pytest.raises(BenchmarkFailure, match="bench-40-tight: a background search stopped"):
        run_ladder(
            ladder()[1:2], time_limit=3, seed=0, workers=1, results_dir=tmp_path, in_child=False
        )
    # the schedule itself was valid and is recorded, with the error
    result = json.loads((tmp_path / "bench-40-tight.json").read_text())
    assert result["valid"] is True
    assert result["errors"] == ["RuntimeError: the relaxation broke"]


def test_scheduler_bench_command(tmp_path, capsys):
    from typer.testing import CliRunner

    from scheduler.cli import app

    smallest = ["bench", "--only", "40", "--workers", "1"]
    result = CliRunner().invoke(app, [*smallest, "--results", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "results.md").read_text().count("| rung |") == 1
    spread = tmp_path / "spread"
    argv = [*smallest, "--seeds", "0", "--seeds", "1", "--results", str(spread)]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert (spread / "spread.md").read_text().count("| rung |") == 1
    # a size no rung has ran nothing and wrote an empty table, successfully
    from scheduler.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["bench", "--only", "7", "--results", str(tmp_path / "x")])
    assert stopped.value.code == 2 and not (tmp_path / "x").exists()
    assert "no rung of size 7" in capsys.readouterr().err


def test_generator_cli_writes_one_instance_of_a_given_size(tmp_path):
    from bench.generate import main

    out = tmp_path / "my.yaml"
    main(["--proposals", "30", "--variant", "tight", "--seed", "7", "-o", str(out)])
    instance = load_instance(out)
    assert len(instance.proposals) == 30


def test_peers_on_the_smallest_rung_are_validated_and_tabled(tmp_path):
    from bench.peers import main, run_peers

    path = ladder()[1]  # bench-40-tight
    results = run_peers(
        [path], ["cp-sat", "highs"], time_limit=2, seed=0, workers=2, results_dir=tmp_path
    )
    by_peer = {r["peer"]: r for r in results}
    assert set(by_peer) == {"cp-sat", "highs"}
    for result in results:
        # a schedule is the validator's: valid, scored, every placeable proposal counted
        assert result["valid"] is True and result["objective"] is not None
        assert 0 < result["placed"] <= result["placeable"] < result["proposals"]
        assert result["bound"] <= result["objective"]
        assert result["peak_mib"] > 0
    # the aggregated program is solved exactly at this size: its optimum is the rung's
    assert by_peer["highs"]["status"] == "optimal"
    assert by_peer["highs"]["objective"] == by_peer["highs"]["bound"]
    assert by_peer["cp-sat"]["objective"] >= by_peer["highs"]["objective"]
    stored = json.loads((tmp_path / "peers.json").read_text())
    assert {(r["name"], r["peer"]) for r in stored} == {
        ("bench-40-tight", "cp-sat"),
        ("bench-40-tight", "highs"),
    }
    table = (tmp_path / "peers.md").read_text()
    assert table.count("| bench-40-tight |") == 1 and "CP-SAT, direct model" in table
    (tmp_path / "peers.md").unlink()
    main(["--table", "--results", str(tmp_path)])  # rewritten from peers.json alone
    assert (tmp_path / "peers.md").read_text() == table


def test_a_peer_that_runs_out_of_time_is_recorded_not_raised(tmp_path):
    from bench.peers import _cell, run_peer_in_child

    path = ladder()[0]
    result = run_peer_in_child(path, "cp-sat", time_limit=60, seed=0, workers=1, seconds=0.5)
    assert result["objective"] is None and result["status"].startswith("nothing after")
    assert _cell(result).startswith("nothing after")


def test_the_plot_reads_the_rungs_and_not_the_peers(tmp_path):
    from bench.plot import load

    rung = {"name": "bench-40-easy", "candidate_pairs": 713}
    (tmp_path / "bench-40-easy.json").write_text(json.dumps(rung))
    (tmp_path / "peers.json").write_text(json.dumps([{"name": "bench-40-easy"}]))
    assert load(tmp_path) == [rung]


def test_the_plot_without_matplotlib_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    from bench.plot import main

    rung = {"name": "bench-40-easy", "candidate_pairs": 713}
    (tmp_path / "bench-40-easy.json").write_text(json.dumps(rung))
    output = tmp_path / "scaling.png"
    output.write_bytes(b"the last plot")
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` fails
    with pytest.raises(SystemExit) as exit_info:
        main(["--results", str(tmp_path), "-o", str(output)])
    assert (
        exit_info.value.code
        == 'python -m bench.plot needs matplotlib, in the bench extra: pip install -e ".[bench]"'
    )
    assert output.read_bytes() == b"the last plot"


def test_any_instance_gets_the_limits_of_the_rung_its_size_fits(tmp_path):
    from bench.runner import rung_results, size_of

    assert size_of(INSTANCE_DIR / "bench-600-tight.yaml") == 600
    assert size_of(ROOT / "instances" / "commons-ai-2026.yaml") == 40  # 36 proposals
    for name, proposals in [("mine", 36), ("bench-150-tight", 150), ("bench-40-easy", 40)]:
        record = {"name": name, "proposals": proposals, "candidate_pairs": 1}
        (tmp_path / f"{name}.json").write_text(json.dumps(record))
    names = [r["name"] for r in rung_results(tmp_path)]
    assert names == ["bench-40-easy", "bench-150-tight", "mine"]


def test_a_trivially_bounded_rung_gets_the_reference_lp_bound(tmp_path, monkeypatch):
    import bench.runner as runner_module
    from bench import reference

    path = ladder()[1]  # bench-40-tight, optimum 1110 (proven on the ladder)
    canned = json.loads((ROOT / "bench" / "results" / "bench-40-tight.json").read_text())
    canned.update(bound=0, bound_from="trivial", gap=1.0)  # as a 2000-proposal rung's
    monkeypatch.setattr(runner_module, "run_in_child", lambda *args: dict(canned))
    run_ladder([path], time_limit=5, seed=0, workers=1, results_dir=tmp_path)
    cache = tmp_path / "reference-bounds.json"
    entry = json.loads(cache.read_text())["bench-40-tight"]
    assert entry["method"] == "lp" and 0 < entry["value"] <= 1110
    written = json.loads((tmp_path / "bench-40-tight.json").read_text())["reference_bound"]
    assert written["value"] == entry["value"]
    assert written["gap"] == pytest.approx((canned["objective"] - entry["value"]) / 1110)
    table = (tmp_path / "results.md").read_text()
    assert "Reference bounds" in table and f"| {entry['value']} (lp) |" in table

    def fail(_path):
        raise AssertionError("a cached bound was computed again")

    assert reference.reference_bound(path, cache, solve=fail) == entry
    changed = tmp_path / "changed.yaml"  # another file: another hash, computed
    changed.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    again = reference.reference_bound(changed, cache)
    assert again["instance_hash"] != entry["instance_hash"] and again["value"] == entry["value"]
    # a rung with its own bound gets none, unless that is PDLP's (the LP stopped short)
    assert "reference_bound" not in reference.attach(dict(canned, bound_from="search"), path)
    own = dict(canned, bound_from="relaxation (lp)")
    assert "reference_bound" not in reference.attach(own, path, cache)
    stopped = dict(canned, bound_from="relaxation (pdlp)")
    assert reference.attach(stopped, path, cache)["reference_bound"]["value"] == entry["value"]
    # nor one whose counting bound is as high (the integer program's may beat the LP)
    counted = dict(canned, bound=entry["value"], bound_from="counting")
    assert "reference_bound" not in reference.attach(counted, path, cache)


def test_a_results_folder_reads_the_committed_reference_bounds(tmp_path):
    # each results folder had its own cache: `--results bench/results/clock` computed the
    # 2000 rungs' LPs again (1-2 minutes each), and got another value
    from bench import reference

    path = ROOT / "instances" / "bench" / "bench-2000-easy.yaml"
    committed = json.loads(reference.CACHE.read_text(encoding="utf-8"))["bench-2000-easy"]

    def fail(_path):
        raise AssertionError("a committed bound was computed again")

    cache = tmp_path / "reference-bounds.json"
    assert reference.reference_bound(path, cache, solve=fail) == committed
    assert not cache.exists()


def test_reference_bounds_are_computed_once_every_rung_has_run(tmp_path, monkeypatch):
    # a child's peak memory starts from its parent's (Linux): an LP computed in the
    # driver between rungs would count in the next rung's peak
    import bench.runner as runner_module
    from bench import reference

    paths = ladder()[:2]
    canned = json.loads((ROOT / "bench" / "results" / "bench-40-tight.json").read_text())
    events = []

    def rung(path, *args):
        events.append(("rung", path.stem))
        return dict(canned, name=path.stem, bound=0, bound_from="trivial", gap=1.0)

    def bound(path):
        events.append(("reference", path.stem))
        return {
            "name": path.stem,
            "instance_hash": "sha256:x",
            "value": 5,
            "method": "lp",
            "seconds": 0.1,
        }

    monkeypatch.setattr(runner_module, "run_in_child", rung)
    monkeypatch.setattr(reference, "compute", bound)
    run_ladder(paths, time_limit=5, seed=0, workers=1, results_dir=tmp_path)
    names = [p.stem for p in paths]
    assert events == [("rung", n) for n in names] + [("reference", n) for n in names]
    for name in names:
        assert json.loads((tmp_path / f"{name}.json").read_text())["reference_bound"]["value"] == 5


def _run(**fields) -> dict:
    """A run's result as `run_rung` writes it, with the fields a target reads."""
    result = {
        "name": "bench-150-easy",
        "size": 150,
        "seed": 0,
        "status": "feasible",
        "objective": 2200,
        "bound": 2180,
        "gap": 20 / 2200,
        "valid": True,
        "placed": 148,
        "placeable": 148,
        "solve_seconds": 9.0,
        "first_solution_seconds": 0.04,
        "peak_mib": 120.0,
        "relaxation_peak_mib": 90.0,
        "deterministic_time": None,
    }
    return result | fields


def test_targets_say_why_a_run_misses_them():
    from bench.targets import target_of, unmet

    assert unmet(_run(), target_of(150)) == []
    assert unmet(_run(objective=2205, gap=25 / 2205), target_of(150)) == ["gap 1.13 %"]
    # proven optimal needs no gap; a run past its time misses whatever it found
    assert unmet(_run(status="optimal", gap=0.0, solve_seconds=10.5), target_of(150)) == ["10.5 s"]
    assert unmet(_run(status="optimal", gap=0.0, solve_seconds=0.9), target_of(40)) == []
    assert unmet(_run(gap=0.0, solve_seconds=0.9), target_of(40)) == ["not proven optimal"]
    assert unmet(_run(placed=590, placeable=594, gap=0.01, solve_seconds=29), target_of(600)) == [
        "placed 590/594"
    ]
    big = _run(placed=1980, placeable=1980, gap=0.6, solve_seconds=50.0)
    assert unmet(big, target_of(2000)) == []
    assert unmet(big | {"first_solution_seconds": 11.0}, target_of(2000)) == [
        "first schedule at 11.0 s"
    ]
    assert unmet(big | {"relaxation_peak_mib": 2100.0}, target_of(2000)) == [
        "2220 MiB (solver + relaxation)"
    ]
    # the two processes run at once: their sum, not the larger, is held against 2 GiB
    both = big | {"peak_mib": 1100.0, "relaxation_peak_mib": 1000.0}
    assert unmet(both, target_of(2000)) == ["2100 MiB (solver + relaxation)"]
    assert unmet(big | {"valid": False}, target_of(2000)) == ["no valid schedule"]


def test_the_spread_table_counts_the_runs_that_meet_the_target():
    from bench.runner import spread_markdown

    runs = [
        _run(seed=0),
        _run(seed=1, objective=2225, gap=45 / 2225),
        _run(seed=2, objective=2190, gap=10 / 2190, solve_seconds=9.4),
    ]
    table = spread_markdown(runs)
    assert "by the clock" in table
    row = next(line for line in table.splitlines() if line.startswith("| bench-150-easy"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[1] == "3"
    assert cells[2] == "2200 / 2225 / 2190"
    assert cells[3] == "0.46 – 2.02 %"
    assert cells[5] == "9.4"
    assert cells[9] == "2/3"
    assert cells[10] == "seed 1: gap 2.02 %"
    assert "- 150 proposals: proven optimal, or gap under 1 %, within 10 s" in table


def test_seeds_run_each_rung_once_per_seed(tmp_path):
    from bench.runner import main, spread_results

    main(["--only", "40", "--seeds", "0-1", "--time-limit", "3", "--results", str(tmp_path)])
    runs = spread_results(tmp_path)
    assert [(r["name"], r["seed"]) for r in runs] == [
        ("bench-40-easy", 0),
        ("bench-40-easy", 1),
        ("bench-40-tight", 0),
        ("bench-40-tight", 1),
    ]
    assert all(r["valid"] is True and r["size"] == 40 for r in runs)
    table = (tmp_path / "spread.md").read_text()
    assert "stopped on deterministic work" in table
    assert table.count("| bench-40-") == 2
    assert not (tmp_path / "results.md").exists()  # the ladder's table is another's


@pytest.mark.parametrize("text", ["x", "3-1", "-2"])
def test_a_bad_seed_range_is_refused_with_its_text(text, capsys):
    from bench.runner import main

    with pytest.raises(SystemExit) as exc:
        main(["--seeds", text])
    assert exc.value.code == 2
    assert repr(text) in capsys.readouterr().err


def test_the_plot_measures_a_trivially_bounded_rung_against_its_reference_bound():
    from bench.plot import gaps, model_sizes

    rows = [
        {"gap": 0.02, "bound_from": "relaxation (lp)", "relaxation": {"columns": 65390}},
        {
            "gap": 0.69,
            "bound_from": "trivial",
            "reference_bound": {"value": 50120, "gap": 0.226},
            "relaxation": {"columns": 354914},
        },
        {"gap": 0.0, "bound_from": "relaxation (mip, exact)", "variables": 1829},
    ]
    own, reference = gaps(rows)
    assert own[0] == pytest.approx(2.0) and own[2] == 0.0
    assert math.isnan(own[1]) and reference[1] == pytest.approx(22.6)
    assert math.isnan(reference[0]) and math.isnan(reference[2])
    columns, variables = model_sizes(rows)
    assert columns[:2] == [65390, 354914] and math.isnan(columns[2])
    assert math.isnan(variables[0]) and variables[2] == 1829


def test_fuzz_checks_drawn_instances_by_the_clock_and_on_work(capsys):
    # seed 0 draws three 30-proposal instances, the second stopped on work (solved twice)
    from bench.fuzz import draw
    from bench.fuzz import main as fuzz_main

    cases = draw(3, 0, (30,))
    assert [case.deterministic for case in cases] == [False, True, False]
    assert draw(3, 0, (30,)) == cases  # the same list every time
    fuzz_main(["--count", "3", "--sizes", "30", "--time-limit", "3", "--seed", "0"])
    out = capsys.readouterr().out
    assert out.count("] ok ") + out.count("] late ") == 3
    assert "on work" in out and "by the clock" in out
    assert "; without p" in out  # a re-solve after a cancellation, validated
    assert "; kept " in out  # and one during the event (--keep-before)
    assert "3 instances: 3 checked without a finding" in out


def test_fuzz_solves_a_case_on_work_again_in_a_process_of_other_string_hashes(
    tmp_path, monkeypatch, capsys
):
    # the second solve of a case stopped on work runs `scheduler solve` in a process
    # whose PYTHONHASHSEED differs (tests/test_determinism.py); a schedule it does not
    # give again is a finding
    import bench.fuzz as fuzz

    assert [case.deterministic for case in fuzz.draw(2, 0, (30,))] == [False, True]
    seen = tmp_path / "seen"  # (each case is checked in a process of its own)
    elsewhere = fuzz._solved_elsewhere

    def changed(document, case, options):
        again = elsewhere(document, case, options)
        with seen.open("a") as record:
            record.write(f"{again.objective}\n")
        return again.model_copy(update={"objective": again.objective + 5})

    monkeypatch.setattr(fuzz, "_solved_elsewhere", changed)
    with pytest.raises(SystemExit):
        fuzz.main(["--count", "2", "--sizes", "30", "--time-limit", "3", "--seed", "0"])
    err = capsys.readouterr().err
    (objective,) = seen.read_text().split()
    assert f"another schedule the second time ({int(objective) + 5}," in err


def test_fuzz_solves_again_a_run_on_work_that_its_solve_says_ended_on_work(
    tmp_path, monkeypatch, capsys
):
    # however long a run on work lasts by the clock, its solve says whether the clock's
    # backstop cut it (`SolveStats.backstop`, on either path): one that ended on its work
    # is compared with a second solve (the share of the time limit it lasted stood for
    # the direct path's backstop, and a slow run that had ended on its work was counted
    # late and not checked)
    from types import SimpleNamespace

    import bench.fuzz as fuzz

    assert [case.deterministic for case in fuzz.draw(2, 0, (30,))] == [False, True]
    ticks = iter(range(0, 10**6, 100))  # each look at the clock 100 s after the last
    monkeypatch.setattr(fuzz, "time", SimpleNamespace(perf_counter=lambda: float(next(ticks))))
    seen = tmp_path / "seen"  # (each case is checked in a process of its own)
    elsewhere = fuzz._solved_elsewhere

    def recorded(document, case, options):
        seen.write_text("solved again")
        return elsewhere(document, case, options)

    monkeypatch.setattr(fuzz, "_solved_elsewhere", recorded)
    fuzz.main(["--count", "2", "--sizes", "30", "--time-limit", "3", "--seed", "0"])
    out = capsys.readouterr().out
    assert "[1/2] late" in out and "[2/2] ok" in out and seen.exists()
    assert "2 instances: 2 checked without a finding, 1 late" in out


def test_fuzz_takes_a_run_on_work_its_solve_says_the_clock_cut_as_late(monkeypatch, capsys):
    # the block path says when its clock backstop came first (`SolveStats.backstop`),
    # which may be well before the whole time limit: such a run is late too, whatever
    # its seconds, and not compared with a second solve
    import bench.fuzz as fuzz

    solve = fuzz.solve

    def cut(instance, instance_hash, options, stats=None):
        solution = solve(instance, instance_hash, options, stats=stats)
        if options.deterministic_time is not None:
            stats.backstop = True
        return solution

    def never(*args):
        raise AssertionError("solved again")

    monkeypatch.setattr(fuzz, "solve", cut)
    monkeypatch.setattr(fuzz, "_solved_elsewhere", never)
    fuzz.main(["--count", "2", "--sizes", "30", "--time-limit", "3", "--seed", "0"])
    out = capsys.readouterr().out
    assert "[2/2] late" in out and "cut by its clock backstop: not solved again" in out


def test_fuzz_reports_a_case_whose_process_dies_and_goes_on(monkeypatch, capsys):
    # a crash in native code (OR-Tools 9.15's CP-SAT once failed an internal check and
    # aborted) ends the process checking that case only: a finding naming the case, and
    # the run goes on to the next
    import os

    import bench.fuzz as fuzz

    checked = fuzz.check
    first = fuzz.draw(2, 0, (30,))[0]

    def crashing(case, *args):
        if case.name == first.name:
            os.abort()
        return checked(case, *args)

    monkeypatch.setattr(fuzz, "check", crashing)
    with pytest.raises(SystemExit) as stopped:
        fuzz.main(["--count", "2", "--sizes", "30", "--time-limit", "3", "--seed", "0"])
    assert stopped.value.code == 1
    captured = capsys.readouterr()
    assert (
        f"[1/2] FAIL {first.name}: the process checking it died (killed by SIGABRT)" in captured.out
    )
    assert "[2/2] ok" in captured.out
    assert "2 instances: 1 checked without a finding" in captured.out
    assert "FUZZ FAILED" in captured.err and "bench.generate" in captured.err


def _fuzz_failure(
    monkeypatch, capsys, violation, re_solves_only: bool, more: tuple[str, ...] = ()
) -> str:
    """`bench.fuzz` on one instance (its options and `more`), its validator adding
    `violation` to every report (or to the re-solve's only): the run's stderr, once it
    has exited 1."""
    import bench.fuzz as fuzz
    import scheduler.validate
    from scheduler.validate import validate

    def broken(instance, solution, reference=None, **options):
        report = validate(instance, solution, reference, **options)
        # (the benchmark's checks only: the solver's own calls, such as first fit's
        # score, imported inside a function after this patch, would see it too)
        checker = sys._getframe(1).f_globals["__name__"]
        if checker.startswith("bench.") and (reference is not None or not re_solves_only):
            report.violations.append(violation)
        return report

    monkeypatch.setattr(fuzz, "validate", broken)
    monkeypatch.setattr(scheduler.validate, "validate", broken)  # the re-solves'
    with pytest.raises(SystemExit) as stopped:
        fuzz.main(["--count", "1", "--sizes", "30", "--time-limit", "3", "--seed", "1", *more])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "FUZZ FAILED" in err
    return err


def test_fuzz_fails_naming_the_command_that_writes_the_instance_again(
    tmp_path, monkeypatch, capsys
):
    from bench.fuzz import draw
    from bench.generate import main as generate_main
    from scheduler.validate import Violation

    clash = Violation("speaker-clash", "sp1 is in two places at once")
    err = _fuzz_failure(monkeypatch, capsys, clash, re_solves_only=False)
    assert "speaker-clash: sp1 is in two places at once" in err
    command = next(line.split() for line in err.splitlines() if "bench.generate" in line)
    # the command writes the very instance that was checked
    (case,) = draw(1, 1, (30,))
    output = tmp_path / "again.yaml"
    generate_main([*command[3:-2], "-o", str(output)])
    assert output.read_text(encoding="utf-8") == to_yaml(generate(case.rung))


def test_fuzz_fails_on_a_rejected_re_solve(monkeypatch, capsys):
    from scheduler.validate import Violation

    moved = Violation("moved", "p0001 moved although it has begun")
    err = _fuzz_failure(monkeypatch, capsys, moved, re_solves_only=True)
    assert "re-solve without p" in err and "moved: p0001 moved although it has begun" in err


def test_fuzz_fails_on_a_re_solve_during_the_event_that_changes_a_begun_workshop(
    tmp_path, monkeypatch, capsys
):
    # the re-solve with --keep-before must give the workshops that had begun exactly as
    # published; here its solve gives one of them another theme
    import bench.fuzz as fuzz
    import scheduler.solve

    solved = scheduler.solve.solve
    changed = tmp_path / "changed"  # (each case is checked in a process of its own)

    def rethemed(instance, instance_hash, options, reference=None):
        solution = solved(instance, instance_hash, options, reference=reference)
        frozen = [s.id for s in instance.slots if s.frozen]
        if not frozen or not solution.has_schedule:
            return solution
        workshops = list(solution.workshops)
        index = next(i for i, w in enumerate(workshops) if w.slot in frozen)
        other = next(t.id for t in instance.themes if t.id != workshops[index].theme)
        workshops[index] = workshops[index].model_copy(update={"theme": other})
        with changed.open("a") as record:
            record.write(f"{workshops[index].slot}\n")
        return solution.model_copy(update={"workshops": workshops})

    monkeypatch.setattr(scheduler.solve, "solve", rethemed)  # (the re-solves')
    with pytest.raises(SystemExit) as stopped:
        fuzz.main(["--count", "1", "--sizes", "30", "--time-limit", "3", "--seed", "1"])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    (slot,) = changed.read_text().split()
    assert "re-solve during the event without p" in err
    assert f"{slot} had begun, but is not as published" in err


def test_fuzz_checks_schedules_against_explain_when_asked(capsys):
    from bench.fuzz import main as fuzz_main

    fuzz_main(["--count", "1", "--sizes", "30", "--time-limit", "3", "--seed", "1", "--explain"])
    out = capsys.readouterr().out
    assert "; explain: " in out and "1 checked without a finding" in out


def test_fuzz_finds_an_explain_sentence_the_french_cannot_read(monkeypatch):
    # `explain --lang fr` shows a sentence the catalog cannot read in English: the fuzz
    # says which
    import scheduler.explain
    from bench.fuzz import _explained
    from scheduler.explain import Explanation
    from scheduler.reasons import CLOSED
    from scheduler.solution import Solution

    instance = load_instance(ROOT / "instances" / "commons-ai-2026.yaml")
    solution = Solution.model_validate_json(
        (ROOT / "solutions" / "commons-ai-2026.json").read_text(encoding="utf-8")
    )
    answer = Explanation(conflict=[CLOSED.format(slot="s1"), "slot s2 is shut"])
    monkeypatch.setattr(scheduler.explain, "explain", lambda *arguments: answer)
    _, problems = _explained(instance, solution, 1.0)
    assert problems == ["explain: 1 sentences not read in French, first: slot s2 is shut"]
    answer.conflict.pop()
    assert _explained(instance, solution, 1.0)[1] == []


def test_fuzz_varies_the_rules_and_writes_a_failing_instance(tmp_path, monkeypatch, capsys):
    # with --vary each instance's rules, slots and proposals change (bench/vary.py): the
    # lines say how, and a failing instance is written where --findings says
    from bench.fuzz import draw
    from bench.fuzz import main as fuzz_main
    from scheduler.instance import load_instance
    from scheduler.validate import Violation

    (case,) = draw(1, 1, (30,), varied=True)
    document = case.document()
    assert case.changes == ["keynotes 0-1"]
    assert document["rules"]["keynotes_per_workshop"] == {"min": 0, "max": 1}
    assert document["name"] == case.name != case.rung.name
    fuzz_main(["--count", "2", "--sizes", "30", "--time-limit", "3", "--seed", "3", "--vary"])
    out = capsys.readouterr().out
    assert "; changeover 5)" in out and "2 checked without a finding" in out
    clash = Violation("speaker-clash", "sp1 is in two places at once")
    findings = tmp_path / "found"
    err = _fuzz_failure(monkeypatch, capsys, clash, False, ("--vary", "--findings", str(findings)))
    written = findings / f"{case.name}.yaml"
    assert f"written to {written}" in err
    assert written.read_text(encoding="utf-8") == to_yaml(document)
    assert load_instance(written).rules.keynotes_per_workshop.max == 1


def test_fuzz_fails_on_a_solve_with_neither_a_schedule_nor_a_verdict(monkeypatch, capsys):
    # first fit once broke a rule under "initiatives 1-3" with pins: the block path ended
    # with no schedule and no proof, and such runs passed the fuzz as "unknown"
    import bench.fuzz as fuzz
    from scheduler.solution import Solution, Status

    def nothing(instance, instance_hash, options, reference=None, stats=None):
        return Solution(instance=instance.name, instance_hash=instance_hash, status=Status.UNKNOWN)

    monkeypatch.setattr(fuzz, "solve", nothing)
    with pytest.raises(SystemExit) as stopped:
        fuzz.main(["--count", "1", "--sizes", "30", "--time-limit", "3", "--seed", "1"])
    assert stopped.value.code == 1
    assert "no schedule and no verdict (status unknown)" in capsys.readouterr().err


def test_fuzz_fails_on_a_file_whose_penalties_are_not_its_schedule_s(monkeypatch, capsys):
    # the solver's own numbers: its penalties rule by rule, its bound and status, which
    # the validator checks as `scheduler validate` does (only the bound was checked)
    import bench.fuzz as fuzz

    real = fuzz.solve

    def miscounted(instance, instance_hash, options, reference=None, stats=None):
        solution = real(instance, instance_hash, options, reference=reference, stats=stats)
        if solution.penalties:
            solution.penalties[0].cost += 1
        return solution

    monkeypatch.setattr(fuzz, "solve", miscounted)
    with pytest.raises(SystemExit) as stopped:
        fuzz.main(["--count", "1", "--sizes", "30", "--time-limit", "3", "--seed", "1"])
    assert stopped.value.code == 1
    assert "objective: the file's penalties add up to" in capsys.readouterr().err


def test_fuzz_compares_a_case_with_no_schedule_by_its_status(monkeypatch, capsys):
    # `scheduler solve` writes nothing and exits 1 when there is no schedule: the second
    # solve of a case stopped on work then says its status (fuzz seed 58 raised there)
    import bench.fuzz as fuzz

    generated = fuzz.generate

    def pinned_to_a_closed_slot(rung):
        document = generated(rung)
        document["slots"][0]["closed"] = True
        document["proposals"][0]["pin"] = document["slots"][0]["id"]
        return document

    monkeypatch.setattr(fuzz, "generate", pinned_to_a_closed_slot)
    (case,) = fuzz.draw(2, 0, (30,))[1:]
    assert case.deterministic
    outcome = fuzz.check(case, 3, 1.0)
    assert "on work: infeasible None" in outcome.line and outcome.problems == []
    elsewhere = fuzz._solved_elsewhere
    monkeypatch.setattr(fuzz, "_solved_elsewhere", lambda *given: elsewhere(*given) + "!")
    problems = fuzz.check(case, 3, 1.0).problems
    assert problems == [
        "stopped on work, another schedule the second time (infeasible!, in a process with "
        "other string hashes)"
    ]


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        # each once ran: nothing (an empty table), or for minutes before failing
        (["--only", "41"], "--only: no rung of size 41 (the sizes: 40, 150, 600, 2000)"),
        (["--time-limit", "nan"], "--time-limit: must be a finite number above 0, not 'nan'"),
        (["--time-limit", "0"], "--time-limit: must be a finite number above 0, not '0'"),
        (["--workers", "0"], "--workers: must be 1 or more, not '0'"),
        (["--rung", "{tmp}/nope.yaml"], "--rung: {tmp}/nope.yaml: no such file"),
        (["--results", "{tmp}/file.md"], "--results: {tmp}/file.md is a file; give a folder"),
        # a traceback, or one after every run (results.md a folder), or silently other
        # than asked: the whole ladder for `--only` alone, --only or the re-solves dropped
        (["--results", "{tmp}/file.md/sub"], "cannot create the folder (Not a directory)"),
        (["--only", "40", "--results", "{tmp}/taken"], "{tmp}/taken/results.md: it is a folder"),
        (["--only"], "argument --only: expected at least one argument"),
        (["--only", "40", "--rung", "{tmp}/file.md"], "--only: not with --rung"),
        (["--only", "40", "--seeds", "0", "--resolve"], "--resolve: not with --seeds"),
        (["--only", "40", "--seeds", "0-1", "--seed", "3"], "--seed: not with --seeds"),
        (["--holdout", "--rung", "{tmp}/file.md"], "--holdout: not with --rung"),
        (["--smoke", "--only", "40"], "--smoke: not with --only: the smoke benchmark is its"),
        (["--smoke", "--clock"], "--smoke: not with --clock"),
        # (a traceback, exit 1, before any rung ran)
        (["--rung", "{tmp}/broken.yaml"], "--rung: {tmp}/broken.yaml: malformed YAML at line 3"),
    ],
)
def test_bench_options_that_would_run_nothing_are_refused(argv, said, tmp_path, capsys):
    from bench.runner import main

    (tmp_path / "file.md").write_text("a table")
    (tmp_path / "broken.yaml").write_text("name: x\nproposals: [\n")
    (tmp_path / "taken" / "results.md").mkdir(parents=True)
    with pytest.raises(SystemExit) as stopped:
        main([a.format(tmp=tmp_path) for a in argv])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert said.format(tmp=tmp_path) in err and "Traceback" not in err
    assert (tmp_path / "file.md").read_text() == "a table"


def test_the_table_s_header_is_read_from_its_rows():
    # the header said the last command's seed and mode, over rows of other runs (`--only
    # 40 --clock --seed 3` above the committed seed-0 rows stopped on work)
    from bench.runner import _table_header

    def row(seed, work, limit=10.0):
        name = "bench-40-easy" if work != 6.0 else "bench-150-easy"
        return {"name": name, "seed": seed, "workers": 2, "deterministic_time": work,
                "time_limit": limit}  # fmt: skip

    undated = "Dates and commits not recorded (rows run before they were: `git log` of each "
    assert _table_header([row(0, 5.0), row(0, 6.0)]).startswith(
        undated + "JSON dates it). Seed 0, 2 workers; stopped on deterministic work "
        "(deterministic times by size: 40: 5"
    )
    mixed = _table_header([row(3, None), row(0, 6.0)])
    assert "dates it). Seeds 0, 3 (rows of several runs; each rung's JSON gives its own)" in mixed
    assert "some rows by the clock, some stopped on work" in mixed
    # a row of other limits (`--time-limit 1`): the defaults by size are not its own
    assert "stopped on deterministic work (limits as each rung's JSON records them)" in (
        _table_header([row(0, 5.0, limit=1.0)])
    )


def test_a_broken_file_in_the_results_folder_is_left_out_with_a_warning(tmp_path, capsys):
    # the tables read every JSON file of the folder: one broken file (an editor's
    # backup, a copy cut short) was a traceback at the end of the whole run
    from bench.runner import rung_results, spread_results

    rung = {"name": "bench-40-easy", "candidate_pairs": 1, "seed": 0}
    (tmp_path / "bench-40-easy.json").write_text(json.dumps(rung))
    (tmp_path / "bench-40-easy-seed0.json").write_text(json.dumps(rung))
    (tmp_path / "cut-seed1.json").write_text('{"name": "bench-40')
    (tmp_path / "list.json").write_text("[1, 2]")
    assert [r["name"] for r in rung_results(tmp_path)] == ["bench-40-easy", "bench-40-easy"]
    assert [r["seed"] for r in spread_results(tmp_path)] == [0]
    err = capsys.readouterr().err
    assert f"warning: {tmp_path / 'cut-seed1.json'}: not read" in err
    assert "left out of the table" in err


def test_a_terminated_benchmark_takes_its_rung_s_processes_with_it(tmp_path):
    # a CI job's timeout (SIGTERM) left the rung's process and its relaxation's solving
    # on to their end, orphaned, holding the cores
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    def rung_processes() -> set[int]:
        found = set()
        for entry in Path("/proc").iterdir():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"--child" in command and str(tmp_path).encode() in b" ".join(command):
                found.add(int(entry.name))
        return found

    marker = tmp_path / "bench-150-easy.yaml"  # the rung, under a path of this test's own
    marker.write_bytes((ROOT / "instances" / "bench" / "bench-150-easy.yaml").read_bytes())
    driver = subprocess.Popen(
        [sys.executable, "-m", "bench", "--rung", str(marker), "--results", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not rung_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert rung_processes(), "the rung's process never started"
    os.kill(driver.pid, signal.SIGTERM)
    assert driver.wait(timeout=20) != 0
    deadline = time.monotonic() + 10
    while rung_processes() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not rung_processes()


def test_a_run_stopped_on_work_says_when_the_clock_stopped_it_instead(tmp_path):
    # 100 units of work behind a 2 s backstop: the clock ends it, and the row says so
    # (it read as stopped on work, the same answer on any machine)
    from bench.runner import run_rung, stopped_by

    path = ROOT / "instances/bench/bench-150-tight.yaml"
    result = run_rung(path, time_limit=0.5, seed=0, workers=2, deterministic=100.0)
    assert result["status"] == "feasible" and result["stopped_by"] == "clock"
    assert "| feasible (clock) |" in markdown([result])
    # (as the solve says it: a run on work that used most of its time limit is no
    # backstop's, and was said to be, by its seconds)
    assert stopped_by("feasible", 5.0, backstop=False) == "work"
    assert stopped_by("feasible", 5.0, backstop=True) == "clock"
    assert stopped_by("feasible", None, backstop=False) == "clock"
    assert stopped_by("optimal", 5.0, backstop=True) == "proof"


def test_a_begun_workshop_whose_one_member_is_cancelled_is_expected_empty():
    # the fuzz's re-solve during the event cancelled the one initiative of a begun
    # workshop (rules allowing no keynote): its slot is closed, left empty, as
    # `keep_before` does, and the check expected the workshop there without members
    from bench.runner import _begun_changed
    from scheduler.solution import load_solution

    published = load_solution(PUBLISHED)
    (alone,) = (w for w in published.workshops if w.slot == "tue-late-aud")
    assert alone.proposals == ["p11"]
    moment = alone.end
    again = published.model_copy(deep=True)
    again.workshops = [w for w in again.workshops if w.slot != "tue-late-aud"]
    assert _begun_changed(published, again, moment, "p11") == []
    assert _begun_changed(published, published, moment, "p11") == [
        "tue-late-aud had begun, but is not as published"
    ]


def _pinned_twice(folder: Path) -> Path:
    """bench-40-tight with a second keynote pinned to p0036's slot (of another theme):
    no schedule holds both pins, as the solve proves."""
    text = (INSTANCE_DIR / "bench-40-tight.yaml").read_text(encoding="utf-8")
    anchor = "  themes: [t01]\n  participatory_format: Fishbowl\n"
    assert text.count("- id: p0035\n") == 1 and anchor in text
    head, tail = text.split("- id: p0035\n")
    tail = tail.replace(anchor, anchor + "  pin: d2-b3-r01\n", 1)
    path = folder / "bench-40-tight.yaml"
    path.write_text(head + "- id: p0035\n" + tail, encoding="utf-8")
    return path


def test_a_rung_that_ends_without_a_schedule_fails_the_benchmark(tmp_path, monkeypatch, capsys):
    # a committed rung has a schedule by construction: "infeasible" or "unknown" there
    # means the solver broke, and the run said so in its table and exited 0
    import bench.runner as runner_module
    from bench.runner import main

    rungs = tmp_path / "rungs"
    rungs.mkdir()
    path = _pinned_twice(rungs)
    monkeypatch.setattr(runner_module, "INSTANCES", rungs)  # as if it were the ladder's
    with pytest.raises(SystemExit) as stopped:
        main(["--rung", str(path), "--results", str(tmp_path / "out")])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "BENCHMARK FAILED: bench-40-tight: no schedule (infeasible), on a rung whose " in err
    row = next(line for line in (tmp_path / "out" / "results.md").read_text().splitlines()
               if line.startswith("| bench-40-tight"))  # fmt: skip
    assert "| counting |" not in row  # (no bound: it read "counting")
    assert "| infeasible FAILED | – | – | – |" in row


def test_an_instance_of_the_user_s_proven_infeasible_is_said_loudly_not_failed(
    tmp_path, monkeypatch, capsys
):
    # a file of one's own may have no schedule, and the solve proving it is an answer
    # (the time to that proof is what is measured); without a verdict it is a failure
    import bench.runner as runner_module
    from bench.runner import main

    path = _pinned_twice(tmp_path)
    main(["--rung", str(path), "--results", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert "WARNING: bench-40-tight: no schedule: proven infeasible" in err
    canned = json.loads((tmp_path / "out" / "bench-40-tight.json").read_text())
    assert canned["valid"] is None and canned["bound_from"] is None
    canned.update(status="unknown")
    monkeypatch.setattr(runner_module, "run_in_child", lambda *args: dict(canned))
    with pytest.raises(SystemExit) as stopped:
        main(["--rung", str(path), "--results", str(tmp_path / "out")])
    assert stopped.value.code == 1
    assert "BENCHMARK FAILED: bench-40-tight: no schedule (unknown)\n" in capsys.readouterr().err


def test_a_rejected_rung_is_marked_in_its_table_and_its_json(tmp_path, monkeypatch, capsys):
    # a rejected schedule failed the run, but its row in results.md read as any valid
    # one's, and the line printed as it ran said nothing
    import bench.runner as runner_module
    from bench.runner import BenchmarkFailure, rung_results

    canned = json.loads((ROOT / "bench" / "results" / "bench-40-tight.json").read_text())
    canned.update(valid=False, violations=["pin: p0036 is not in d2-b3-r01"])
    monkeypatch.setattr(runner_module, "run_in_child", lambda *args: dict(canned))
    with pytest.raises(BenchmarkFailure, match="CP-SAT schedule rejected"):
        run_ladder(ladder()[1:2], time_limit=5, seed=0, workers=1, results_dir=tmp_path)
    line = capsys.readouterr().err.splitlines()[0]
    assert line.startswith("bench-40-tight     optimal REJECTED obj ")
    (written,) = rung_results(tmp_path)
    assert written["problems"] == [
        "bench-40-tight: CP-SAT schedule rejected: ['pin: p0036 is not in d2-b3-r01']"
    ]
    table = (tmp_path / "results.md").read_text()
    assert "| bench-40-tight | 40 × 16 | 408 | optimal REJECTED | 1110 |" in table
    assert "- bench-40-tight: CP-SAT schedule rejected: ['pin: p0036" in table
    assert markdown([written]) in table  # written again from the JSON alone: still marked
    # a valid row is written as before: no mark, no list of failures
    assert "REJECTED" not in markdown([canned]) and "Failed" not in markdown([canned])


TABLES = ["", "holdout", "clock", "clock/holdout", "resolve"]
"""The committed results folders with a results.md (bench/results/…)."""


@pytest.mark.parametrize("folder", TABLES, ids=lambda f: f or "results")
def test_the_committed_tables_are_what_the_tool_writes_from_their_json(folder):
    # (no solve: the tables of each committed folder, written again from its JSON; a
    # header once stayed as it was in one folder when the tool's changed)
    from bench.runner import RESULTS, resolve_markdown, results_markdown, rung_results

    directory = RESULTS / folder
    rows = rung_results(directory)
    assert (directory / "results.md").read_text(encoding="utf-8") == results_markdown(rows)
    if (directory / "resolve.md").exists():
        assert (directory / "resolve.md").read_text(encoding="utf-8") == resolve_markdown(rows)
    if not folder:  # the README's table is the ladder's
        assert markdown(rows) in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", ["clock/spread", "clock/holdout/spread"])
def test_the_committed_spread_tables_are_what_the_tool_writes_from_their_json(folder):
    from bench.runner import RESULTS, spread_markdown, spread_results

    directory = RESULTS / folder
    table = spread_markdown(spread_results(directory))
    assert (directory / "spread.md").read_text(encoding="utf-8") == table


def test_each_result_records_when_and_on_what_it_ran(tmp_path, monkeypatch):
    # a result said nothing of its date, code, solvers or machine: a table mixing rows
    # of several runs could not be told from one run's, nor a loaded machine from a
    # slower solver (the solution itself does not depend on any of it)
    import subprocess
    from importlib.metadata import version

    import bench.runner as runner_module
    from bench.runner import PROC_STAT, git_state, run_rung

    path = INSTANCE_DIR / "bench-40-tight.yaml"
    result = run_rung(path, time_limit=5, seed=0, workers=1, deterministic=5.0)
    assert result["objective"] == 1110  # (the ladder's optimum, as without the context)
    date = datetime.fromisoformat(result["date"])
    assert (
        date.utcoffset().total_seconds() == 0 and abs(datetime.now(date.tzinfo) - date).seconds < 60
    )
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if head.returncode == 0:  # (a checkout: its commit, and whether it differs)
        assert result["git_commit"] == head.stdout.strip()
        assert isinstance(result["git_dirty"], bool)
    assert result["versions"]["ortools"] == version("ortools")
    assert result["versions"]["highspy"] == version("highspy")
    assert result["versions"]["python"] == ".".join(map(str, sys.version_info[:3]))
    assert result["cpu_count"] >= result["cpus_usable"] >= 1
    for moment in ("start", "end"):
        loads = result[f"load_average_{moment}"]
        assert len(loads) == 3 and all(x >= 0 for x in loads)
    # what its own processes and the others used of the CPUs (a number where /proc/stat is)
    assert result["cpu_seconds"] > 0
    if PROC_STAT.exists():
        assert isinstance(result["other_cpu"], float) and result["other_cpu"] >= 0
    # outside a checkout of this repository: no commit, no dirty flag
    monkeypatch.setattr(runner_module, "ROOT", tmp_path)
    assert git_state() == (None, None)


def test_the_relaxation_s_build_is_recorded_apart_from_its_solve_and_tabled(tmp_path):
    # the relaxation builds its program in its own process: "build s" had the solver's
    # build only, and no JSON said how long the relaxation's program took to build
    from bench.runner import RESULTS, _builds, run_rung

    path = INSTANCE_DIR / "bench-40-tight.yaml"
    result = run_rung(path, time_limit=5, seed=0, workers=1, deterministic=5.0)
    relaxation = result["relaxation"]
    build, solve = relaxation["build_seconds"], relaxation["solve_seconds"]
    assert isinstance(build, float) and isinstance(solve, float) and build >= 0
    assert math.isclose(build + solve, relaxation["seconds"], abs_tol=0.002)
    row = markdown([result]).splitlines()[2]
    assert f"| {result['build_seconds']:.2f} / {build:.2f} |" in row
    assert "| build s (solver / relaxation) |" in markdown([])
    # a row run before it was recorded (its relaxation without the field), or with none
    committed = json.loads((RESULTS / "bench-40-tight.json").read_text())
    committed["relaxation"].pop("build_seconds", None)
    assert _builds(committed) == f"{committed['build_seconds']:.2f} / –"
    assert _builds(dict(committed, relaxation=None)) == f"{committed['build_seconds']:.2f} / –"


def test_other_processes_cpu_is_the_machine_s_busy_time_less_the_rung_s_own(tmp_path):
    # (numbers injected: a fake /proc/stat, and samples made by hand)
    from bench.runner import CpuSample, busy_cpu_seconds, cpu_sample, cpu_use

    ticks = os.sysconf("SC_CLK_TCK")
    #      user nice system idle iowait irq softirq steal guest guest_nice
    stat = (
        "cpu  900 30 150 9000 400 10 20 6 70 0\n"
        "cpu0 100 10 20 1000 50 0 5 3 7 0\n"
        "cpu1 200 0 30 900 0 1 2 0 0 0\n"
        "intr 1 2 3\nctxt 4\n"
    )
    # busy: user, nice, system, irq, softirq, steal (not idle, iowait; guest is in user)
    assert busy_cpu_seconds(stat, {0, 1}) == (138 + 233) / ticks
    assert busy_cpu_seconds(stat, {1}) == 233 / ticks
    assert busy_cpu_seconds(stat) == 1116 / ticks  # (all the machine's CPUs)
    assert busy_cpu_seconds(stat, {0, 5}) == 1116 / ticks  # (a CPU without its line)
    assert busy_cpu_seconds("intr 1 2\n") is None
    # other processes kept 25 - 15 CPU seconds busy over 10 s: one core on average
    start, end = CpuSample(10.0, 100.0, 5.0), CpuSample(20.0, 125.0, 20.0)
    assert cpu_use(start, end) == {"cpu_seconds": 15.0, "other_cpu": 1.0}
    # (rounded to /proc/stat's ticks, the busy time can fall short of the rung's own)
    assert cpu_use(start, end._replace(busy=114.9)) == {"cpu_seconds": 15.0, "other_cpu": 0.0}
    # without /proc/stat (not Linux): the rung's own time only
    assert cpu_use(start._replace(busy=None), end)["other_cpu"] is None
    missing = cpu_sample(tmp_path / "no-stat")
    assert missing.busy is None and missing.own > 0
    fake = tmp_path / "stat"
    fake.write_text("cpu  900 30 150 9000 400 10 20 6 70 0\n")  # (no line per CPU)
    assert cpu_sample(fake).busy == 1116 / ticks
    fake.write_text("cpu  not numbers\n")
    assert cpu_sample(fake).busy is None


def test_times_are_said_stretched_by_other_processes_not_by_the_rung_s_own_load():
    # on 2 CPUs a rung's own solver (2 workers) and relaxation child put the 1-minute
    # load above 2 by themselves: "times stretched" named most big rungs of an idle
    # machine; now other processes' CPU use says it (the load, for rows without it)
    from bench.runner import OTHER_CPU_STRETCHED, _table_header

    def row(name, load, **other):
        return {"name": name, "seed": 0, "workers": 2, "deterministic_time": 5.0,
                "time_limit": 10.0, "date": "2026-12-06T12:00:00+00:00", "git_commit": "a" * 40,
                "git_dirty": False, "versions": {}, "cpus_usable": 2,
                "load_average_start": [load, 0, 0], "load_average_end": [0.2, 0, 0], **other}  # fmt: skip

    assert OTHER_CPU_STRETCHED == 0.25
    header = _table_header(
        [
            row("bench-40-easy", 3.5, other_cpu=0.05),  # its own load: not stretched
            row("bench-40-tight", 0.8, other_cpu=0.6),  # others: stretched
            row("bench-150-easy", 4.4),  # run before `other_cpu`: the load says
            row("bench-150-tight", 3.0, other_cpu=None),  # no /proc/stat
        ]
    )
    assert (
        "load average (1 min) up to 4.4 on 2 CPUs (above the CPUs, times stretched: "
        "bench-150-easy); other processes' CPU use up to 0.60 over a row (above 0.25, "
        "times stretched: bench-40-tight); other processes' CPU use not measured (no "
        "/proc/stat): bench-150-tight. "
    ) in header
    idle = _table_header([row("bench-600-easy", 2.6, other_cpu=0.03)])
    assert "times stretched" not in idle
    assert "up to 2.6 on 2 CPUs; other processes' CPU use up to 0.03 over a row." in idle


def test_the_table_s_header_says_when_and_at_which_commit_its_rows_ran():
    from bench.runner import _table_header

    def row(name, date, commit, dirty=False, load=0.5):
        return {"name": name, "seed": 0, "workers": 2, "deterministic_time": 5.0,
                "time_limit": 10.0, "date": date, "git_commit": commit, "git_dirty": dirty,
                "versions": {"ortools": "9.15.6755", "highspy": "1.16.0", "python": "3.11.7"},
                "cpus_usable": 2, "load_average_start": [load, 0, 0],
                "load_average_end": [0.2, 0, 0]}  # fmt: skip

    one = _table_header([row("bench-40-easy", "2026-12-06T09:00:00+00:00", "a" * 40)])
    assert one.startswith(
        f"Run 2026-12-06 (UTC) at commit {'a' * 7}; OR-Tools 9.15.6755, HiGHS 1.16.0, "
        "Python 3.11.7; load average (1 min) up to 0.5 on 2 CPUs. Seed 0, 2 workers;"
    )
    rows = [
        row("bench-40-easy", "2026-12-06T09:00:00+00:00", "b" * 40, dirty=True, load=4.4),
        row("bench-40-tight", "2026-12-05T23:00:00+00:00", "a" * 40),
        {
            "name": "bench-150-easy",
            "seed": 0,
            "workers": 2,
            "deterministic_time": 6.0,
            "time_limit": 10.0,
        },  # fmt: skip
    ]
    mixed = _table_header(rows)
    assert mixed.startswith(
        f"Run 2026-12-05 to 2026-12-06 (UTC) at commits {'a' * 7}, {'b' * 7}-dirty (1 rows "
        "from before dates and commits were recorded);"
    )
    assert "up to 4.4 on 2 CPUs (above the CPUs, times stretched: bench-40-easy)." in mixed


def test_each_row_says_whether_it_meets_its_size_s_target(tmp_path, monkeypatch):
    # `unmet` was used only by --seeds: the headline table never said whether a rung
    # met its target, and 4 of the 5 holdouts (stopped on work) miss theirs
    import bench.runner as runner_module
    from bench.runner import RESULTS, rung_results, size_for

    holdout = {r["name"]: r for r in rung_results(RESULTS / "holdout")}
    assert size_for(holdout["bench-600-easy-s7"]) == 600
    assert size_for({"name": "mine", "proposals": 36}) == 40
    row = markdown([holdout["bench-600-easy-s7"]]).splitlines()[2]
    assert row.endswith("| missed: gap 2.10 % |")
    assert markdown([holdout["bench-150-tight-s7"]]).splitlines()[2].endswith("| met |")
    assert "| target |" in markdown([])
    # the JSON keeps it, as run
    canned = json.loads((RESULTS / "bench-40-tight.json").read_text())
    canned.update(solve_seconds=1.5)
    monkeypatch.setattr(runner_module, "run_in_child", lambda *args: dict(canned))
    run_ladder(ladder()[1:2], time_limit=5, seed=0, workers=1, results_dir=tmp_path)
    (written,) = rung_results(tmp_path)
    assert written["target"] == {"label": "optimal, < 1 s", "met": False, "missed": ["1.5 s"]}
    assert "| missed: 1.5 s |" in (tmp_path / "results.md").read_text()


def test_a_run_writes_a_scratch_folder_unless_asked_to_publish(tmp_path, monkeypatch, capsys):
    # `python -m bench --only 40`, as the README says to reproduce a rung, overwrote the
    # committed JSON and results.md (then a table mixing fresh and old rows)
    import bench.runner as runner_module
    from bench.runner import main

    canned = json.loads((ROOT / "bench" / "results" / "bench-40-tight.json").read_text())
    monkeypatch.setattr(runner_module, "run_in_child", lambda path, *a: dict(canned))
    monkeypatch.setattr(runner_module, "RESULTS", tmp_path)
    monkeypatch.setattr(runner_module, "LOCAL", tmp_path / "local")
    main(["--only", "40"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local"]
    assert (tmp_path / "local" / "results.md").exists()
    main(["--only", "40", "--publish"])
    assert (tmp_path / "results.md").exists() and (tmp_path / "bench-40-tight.json").exists()
    main(["--only", "150", "--holdout"])
    assert (tmp_path / "local" / "holdout" / "results.md").exists()
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main(["--only", "40", "--publish", "--results", str(tmp_path / "x")])
    assert stopped.value.code == 2
    assert "--publish: not with --results" in capsys.readouterr().err
    # the scratch folder is the checkout's, and git leaves it out
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "bench/results/local/" in ignored


@pytest.mark.parametrize("outcome", ["hung", "silent", "crashed", "failed"])
def test_a_rung_s_process_that_hangs_or_says_nothing_fails_the_benchmark(outcome, monkeypatch):
    # a hung rung was a TimeoutExpired traceback, one that printed nothing an IndexError;
    # one that crashed was "the child process failed", its signal not named
    import subprocess

    import bench.runner as runner_module
    from bench.runner import BenchmarkFailure, run_in_child

    def run(command, **options):
        if outcome == "hung":
            raise subprocess.TimeoutExpired(command, options["timeout"], stderr=b"solving...")
        code = {"crashed": -6, "failed": 1}.get(outcome, 0)  # (-6: killed by SIGABRT)
        return subprocess.CompletedProcess(command, code, stdout="", stderr="killed?")

    monkeypatch.setattr(runner_module.subprocess, "run", run)
    said = {
        "hung": "bench-40-easy.yaml: the rung's process did not end within 315 s\nsolving...",
        "silent": "bench-40-easy.yaml: the rung's process ended without a result\nkilled?",
        "crashed": "bench-40-easy.yaml: the rung's process failed (killed by SIGABRT)\nkilled?",
        "failed": "bench-40-easy.yaml: the rung's process failed (exit code 1)\nkilled?",
    }[outcome]
    with pytest.raises(BenchmarkFailure) as failed:
        run_in_child(ladder()[0], 5, 0, 1)
    assert str(failed.value) == said


def test_scheduler_bench_passes_on_the_options_python_m_bench_has(tmp_path, monkeypatch):
    # `scheduler bench` had no --rung, though the README gives it as the same command;
    # then it declared each option a second time, by hand: it passes them on as typed
    from typer.testing import CliRunner

    import bench.runner as runner_module
    from scheduler.cli import app

    given = []
    monkeypatch.setattr(runner_module, "main", lambda argv, prog: given.append((argv, prog)))
    rung = str(INSTANCE_DIR / "bench-40-tight.yaml")
    argv = ["--rung", rung, "--rung", rung, "--publish", "--only", "40", "150"]
    result = CliRunner().invoke(app, ["bench", *argv])
    assert result.exit_code == 0, result.output
    assert given[-1] == (argv, "scheduler bench")
    result = CliRunner().invoke(app, ["bench", "--smoke"])
    assert result.exit_code == 0 and given[-1] == (["--smoke"], "scheduler bench")


def test_scheduler_bench_s_help_and_refusals_are_the_bench_s_own(capsys):
    # its help texts differed from `python -m bench`'s, and a refusal showed the usage
    # of `python -m bench` under `scheduler bench`
    from scheduler.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["bench", "--help"])
    out = capsys.readouterr().out
    assert stopped.value.code == 0 and out.startswith("usage: scheduler bench ")
    for option in ("--only", "--rung", "--smoke", "--publish", "--results", "--seeds"):
        assert f"  {option}" in out
    said = " ".join(out.split())  # (argparse wraps its lines)
    assert "into bench/results/local/smoke/ unless --results says otherwise" in said
    with pytest.raises(SystemExit) as stopped:
        main(["bench", "--publish", "--results", "/nonexistent/x"])
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert "usage: scheduler bench " in err and "python -m bench" not in err
    assert "scheduler bench: error: --publish: not with --results" in err
    # repeated, as `scheduler bench` took them (`--only 40 --only 150`), they add up
    with pytest.raises(SystemExit) as stopped:
        main(["bench", "--only", "7", "--only", "8", "--results", "/nonexistent/x"])
    assert stopped.value.code == 2
    assert "--only: no rung of size 7, 8 (the sizes:" in capsys.readouterr().err


def test_the_table_s_header_lists_the_limits_of_its_rows_sizes_only():
    from bench.runner import _table_header

    row = {"name": "bench-40-easy", "seed": 0, "workers": 2, "deterministic_time": 5.0,
           "time_limit": 10.0}  # fmt: skip
    header = _table_header([row])
    assert "(deterministic times by size: 40: 5)" in header
    # what "build s" is above 1,500 candidate pairs (not the relaxation's program), and
    # the relaxation's own, beside it
    assert "The solver's: the direct CP-SAT model's build up to 1,500 candidate pairs" in header
    assert "build s: the solver's / the relaxation's." in header
    clock = _table_header([dict(row, deterministic_time=None)])
    assert "search time limits by size (40: 10 s)" in clock


def test_each_rung_s_schedule_is_kept_for_the_validator_to_check_again(tmp_path):
    # the JSON said `valid: true`, but no schedule was kept to check it by
    from typer.testing import CliRunner

    from scheduler.cli import app

    path = INSTANCE_DIR / "bench-40-tight.yaml"
    (result,) = run_ladder([path], time_limit=5, seed=0, workers=1, results_dir=tmp_path,
                           in_child=False)  # fmt: skip
    assert result["solution_file"] == "solutions/bench-40-tight.json"
    schedule = tmp_path / result["solution_file"]
    assert json.loads(schedule.read_text())["objective"] == result["objective"] == 1110
    checked = CliRunner().invoke(app, ["validate", str(path), str(schedule)])
    assert checked.exit_code == 0, checked.output


def test_the_plot_draws_every_series_it_names_clear_of_its_legend(tmp_path):
    # the legend hid 150-tight's gain over greedy and named two series without a point;
    # no target was drawn; and no test ever drew the plot
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from bench.plot import BUILD, PEAK, RELAXATION_BUILD, figure, load, main
    from bench.runner import RESULTS
    from bench.targets import peak_sum_mib

    rows = load(RESULTS)
    fig = figure(rows)
    renderer = fig.canvas.get_renderer()
    for axis in fig.axes:
        legend = axis.get_legend()
        assert not legend.get_window_extent(renderer).overlaps(axis.get_window_extent(renderer))
        drawn = {
            line.get_label(): line
            for line in axis.get_lines()
            if not line.get_label().startswith("_")
        }
        assert [text.get_text() for text in legend.get_texts()] == list(drawn)
        for label, line in drawn.items():
            assert any(math.isfinite(y) for y in line.get_ydata()), label
    times, quality, memory, _ = fig.axes
    labels = [text.get_text() for axis in fig.axes for text in axis.texts]
    assert {"target 40: 1 s", "target 2000: 60 s", "target 600: gap < 2 %"} <= set(labels)
    assert f"{BUILD} (easy)" in [t.get_text() for t in times.get_legend().get_texts()]
    assert not any("reference LP" in t.get_text() for t in quality.get_legend().get_texts())
    # peak memory against size, as the tables sum it, under the 2 GiB target (none drawn)
    assert "target 2000: < 2 GiB" in [text.get_text() for text in memory.texts]
    assert any(list(line.get_ydata()) == [2048, 2048] for line in memory.get_lines())
    peaks = {line.get_label(): list(line.get_ydata()) for line in memory.get_lines()}
    for variant in ("easy", "tight"):
        assert peaks[f"{PEAK} ({variant})"] == [
            peak_sum_mib(r) for r in rows if r["name"].endswith(variant)
        ]
    # the relaxation's build, where recorded (runs before it was have none)
    drawn = [t.get_text() for t in times.get_legend().get_texts()]
    has_build = any((r.get("relaxation") or {}).get("build_seconds") for r in rows)
    assert any(RELAXATION_BUILD in label for label in drawn) == has_build
    unrecorded = [dict(r, relaxation=dict(r["relaxation"], build_seconds=None)) for r in rows]
    again = figure(unrecorded)
    drawn = [t.get_text() for t in again.axes[0].get_legend().get_texts()]
    assert not any(RELAXATION_BUILD in label for label in drawn)
    plt.close(again)
    recorded = [dict(r, relaxation=dict(r["relaxation"], build_seconds=0.5)) for r in rows]
    again = figure(recorded)
    drawn = [t.get_text() for t in again.axes[0].get_legend().get_texts()]
    assert f"{RELAXATION_BUILD} (tight)" in drawn
    plt.close(again)
    plt.close(fig)
    output = tmp_path / "scaling.png"
    main(["--results", str(RESULTS), "-o", str(output)])
    assert output.read_bytes().startswith(b"\x89PNG")
