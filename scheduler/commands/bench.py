"""`scheduler bench`: run the benchmark ladder (same as `python -m bench`, from a checkout).

Its options are `python -m bench`'s own, passed on as typed: one definition
(bench/runner.py's parser), one help (`scheduler bench --help` prints it)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from scheduler.errors import SchedulerError

CHECKOUT = Path(__file__).resolve().parents[2]


class BenchError(SchedulerError):
    exit_code = 1


class BenchOptionError(SchedulerError):
    """An option the benchmark refused: bad input, exit 2."""


def bench_command(ctx: typer.Context) -> None:
    """Solve the benchmark ladder (instances/bench) and write bench/results/local/; the
    options are `python -m bench`'s."""
    if not (CHECKOUT / "bench" / "runner.py").exists():
        raise BenchError("the benchmark lives in the repository: run this from a git checkout")
    if str(CHECKOUT) not in sys.path:
        sys.path.insert(0, str(CHECKOUT))
    from bench import runner

    try:
        runner.main(list(ctx.args), prog="scheduler bench")
    except SystemExit as exc:
        if exc.code == 2:  # (argparse: an option refused, its message printed)
            raise BenchOptionError("an option was refused (see above)") from None
        if exc.code:
            raise BenchError("the benchmark failed (see above)") from None


def register(app: typer.Typer) -> None:
    # every argument, --help included, goes to the benchmark's parser
    settings = {"ignore_unknown_options": True, "allow_extra_args": True}
    app.command("bench", context_settings=settings, add_help_option=False)(bench_command)
