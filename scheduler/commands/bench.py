"""`scheduler bench`: run the benchmark ladder (same as `python -m bench`, from a checkout)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scheduler.errors import SchedulerError

CHECKOUT = Path(__file__).resolve().parents[2]


class BenchError(SchedulerError):
    exit_code = 1


class BenchOptionError(SchedulerError):
    """An option the benchmark refused: bad input, exit 2."""


def bench_command(
    only: Annotated[
        list[int] | None, typer.Option("--only", help="Rung sizes to run (repeat: --only 40).")
    ] = None,
    rung: Annotated[
        list[Path] | None,
        typer.Option(
            "--rung",
            help="An instance file to run instead of the ladder (repeat: --rung a.yaml "
            "--rung b.yaml); the limits of the smallest rung size holding its proposals.",
        ),
    ] = None,
    smoke: Annotated[
        bool,
        typer.Option(
            "--smoke",
            help="The smoke benchmark CI runs: bench-40-easy, bench-40-tight and "
            "bench-150-tight, stopped on work; fails unless each proves its optimum, records "
            "its times and places every placeable proposal.",
        ),
    ] = False,
    time_limit: Annotated[
        float | None,
        typer.Option(
            "--time-limit",
            help="Seconds per rung (default: by size). Stopped on work (without --clock), "
            "the work is by size and this sets only the clock's backstop, 4 times it.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    seeds: Annotated[
        list[str] | None,
        typer.Option(
            "--seeds",
            help="Run each rung once per seed (repeat, or ranges: --seeds 0-7) and write "
            "the spread table: each rung's objectives and how many runs meet its target "
            "(a spread folder).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", min=1)] = 2,
    clock: Annotated[
        bool,
        typer.Option(
            "--clock",
            help="Stop on the wall clock instead of deterministic work "
            "(objectives then vary with the machine's load).",
        ),
    ] = False,
    holdout: Annotated[
        bool,
        typer.Option(
            "--holdout",
            help="Solve the holdout instances (instances/bench/holdout: other generator "
            "seeds, which no tuning looks at) instead, into a holdout folder.",
        ),
    ] = False,
    resolve: Annotated[
        bool,
        typer.Option(
            "--resolve",
            help="Also re-solve each rung after a cancellation, against its schedule, before "
            "the event and during it (resolve.md).",
        ),
    ] = False,
    results: Annotated[
        Path | None,
        typer.Option(
            "--results", help="Results folder (default: bench/results/local, gitignored)."
        ),
    ] = None,
    publish: Annotated[
        bool,
        typer.Option(
            "--publish",
            help="Write into the committed results, bench/results (or its holdout and "
            "spread folders), instead of bench/results/local.",
        ),
    ] = False,
) -> None:
    """Solve the benchmark ladder (instances/bench) and write bench/results/local/ (with
    --publish, the committed bench/results/)."""
    if not (CHECKOUT / "bench" / "runner.py").exists():
        raise BenchError("the benchmark lives in the repository: run this from a git checkout")
    if str(CHECKOUT) not in sys.path:
        sys.path.insert(0, str(CHECKOUT))
    from bench.runner import main

    argv = ["--seed", str(seed), "--workers", str(workers)]
    if only:
        argv += ["--only", *map(str, only)]
    if rung:
        argv += ["--rung", *map(str, rung)]
    if smoke:
        argv.append("--smoke")
    if seeds:
        argv += ["--seeds", *seeds]
    if time_limit is not None:
        argv += ["--time-limit", str(time_limit)]
    if clock:
        argv.append("--clock")
    if holdout:
        argv.append("--holdout")
    if resolve:
        argv.append("--resolve")
    if results is not None:
        argv += ["--results", str(results)]
    if publish:
        argv.append("--publish")
    try:
        main(argv)
    except SystemExit as exc:
        if exc.code == 2:  # (argparse: an option refused)
            raise BenchOptionError("an option was refused (see above)") from None
        if exc.code:
            raise BenchError("the benchmark failed (see above)") from None


def register(app: typer.Typer) -> None:
    app.command("bench")(bench_command)
