"""Plot time, gap, peak memory and model size against instance size from bench/results/*.json.

    python -m bench.plot                     # writes bench/results/scaling.png

Needs matplotlib (the `bench` extra: `pip install -e ".[bench]"`), which the scheduler
itself does not.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from pathlib import Path

from bench.runner import RESULTS, rung_results
from bench.targets import GIB, TARGETS, peak_sum_mib
from scheduler.errors import OutputError
from scheduler.files import unwritable, write_atomic


def load(results_dir: Path) -> list[dict]:
    return sorted(rung_results(results_dir), key=lambda r: (r["candidate_pairs"], r["name"]))


NAN = float("nan")


def gaps(rows: list[dict]) -> tuple[list[float], list[float]]:
    """Per rung, in %: the gap to the run's own bound, or, where that is the trivial bound
    and a reference bound was computed apart (`bench.reference`), the gap to that one
    (the trivial bound's gap says what is unproven, not how far the optimum is)."""
    own, reference = [], []
    for r in rows:
        apart = r.get("bound_from") == "trivial" and r.get("reference_bound")
        gap = r.get("gap")
        own.append(NAN if apart or gap is None else 100 * min(1.0, gap))
        reference.append(100 * r["reference_bound"]["gap"] if apart else NAN)
    return own, reference


def model_sizes(rows: list[dict]) -> tuple[list[float], list[float]]:
    """Per rung: the aggregated relaxation's columns, and the direct CP-SAT model's
    variables where it was built (else nan)."""
    columns = [(r.get("relaxation") or {}).get("columns") or NAN for r in rows]
    variables = [r.get("variables") or NAN for r in rows]
    return columns, variables


BUILD = "build: direct model ≤ 1,500 pairs, above: candidates + first fit"
"""What `build_seconds` measures: the direct CP-SAT model's build up to 1,500 candidate
pairs, above that the candidate table and first fit's schedule (the relaxation's
program is built in its child, apart, and is not in it: `RELAXATION_BUILD`)."""
RELAXATION_BUILD = "build: the relaxation's program, in its child"
"""What the relaxation's `build_seconds` measures (rows run before it was recorded have
none)."""
PEAK = "peak: solver + relaxation child"
"""What the memory panel draws: the two processes' peaks summed, as the tables and the
2 GiB target take them (`bench.targets.peak_sum_mib`)."""


def _series(axis, x: list, y: list, **style) -> None:
    """A line, left out (and out of the legend) when it has no point to draw."""
    if any(isinstance(v, int | float) and math.isfinite(v) for v in y):
        axis.plot(x, y, **style)


def _target_line(axis, value: float, text: str, at: float = 0.01, **align) -> None:
    """A target drawn across `axis` at `value`, named by `text` at `at` of its width."""
    axis.axhline(value, color="grey", linewidth=0.8, linestyle="-.", alpha=0.6)
    align.setdefault("va", "bottom")
    axis.annotate(
        text, (at, value), xycoords=("axes fraction", "data"), fontsize=6, color="grey", **align
    )


def figure(results: list[dict]):
    """The four panels (time, quality, peak memory, model size against candidate pairs),
    each with the targets that apply to it and its legend below it, clear of the
    points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (times, quality, memory, sizes) = plt.subplots(1, 4, figsize=(21, 6.2))
    for variant, marker in (("easy", "o"), ("tight", "s")):
        rows = [r for r in results if r["name"].endswith(variant)]
        size = [r["candidate_pairs"] for r in rows]
        _series(
            times,
            size,
            [r["build_seconds"] for r in rows],
            marker=marker,
            label=f"{BUILD} ({variant})",
        )
        _series(
            times,
            size,
            [(r.get("relaxation") or {}).get("build_seconds") or NAN for r in rows],
            marker=marker,
            linestyle="-.",
            label=f"{RELAXATION_BUILD} ({variant})",
        )
        _series(
            times,
            size,
            [r["first_solution_seconds"] or NAN for r in rows],
            marker=marker,
            linestyle="--",
            label=f"first schedule ({variant})",
        )
        _series(
            times,
            size,
            [r["solve_seconds"] for r in rows],
            marker=marker,
            linestyle=":",
            label=f"total ({variant})",
        )
        gains = [
            100 * (r["greedy"]["objective"] - r["objective"]) / r["greedy"]["objective"]
            if r["objective"] is not None and r["greedy"]["objective"]
            else NAN
            for r in rows
        ]
        own, reference = gaps(rows)
        _series(quality, size, own, marker=marker, label=f"gap to its bound ({variant})")
        _series(
            quality,
            size,
            reference,
            marker=marker,
            linestyle="none",
            markerfacecolor="none",
            label=f"gap to the reference LP bound, computed apart ({variant})",
        )
        _series(
            quality,
            size,
            gains,
            marker=marker,
            linestyle="--",
            label=f"gain over greedy ({variant})",
        )
        _series(
            memory,
            size,
            [peak_sum_mib(r) for r in rows],
            marker=marker,
            label=f"{PEAK} ({variant})",
        )
        _series(
            memory,
            size,
            [r.get("relaxation_peak_mib") or NAN for r in rows],
            marker=marker,
            linestyle=":",
            label=f"of which the relaxation child ({variant})",
        )
        columns, variables = model_sizes(rows)
        _series(sizes, size, columns, marker=marker, label=f"relaxation columns ({variant})")
        _series(
            sizes,
            size,
            variables,
            marker=marker,
            linestyle="--",
            label=f"CP-SAT variables, direct model ({variant})",
        )
    pairs = sorted(r["candidate_pairs"] for r in results)
    if pairs:
        sizes.plot(
            [pairs[0], pairs[-1]], [pairs[0], pairs[-1]], color="grey", linestyle=":", label="y = x"
        )
    # the targets (bench/targets.py): times by size, gaps at 150 and 600, memory at 2000
    for size_, target in TARGETS.items():
        _target_line(times, target.seconds, f"target {size_}: {target.seconds:g} s")
        if target.peak_mib is not None:
            text = f"target {size_}: < {target.peak_mib / GIB:g} GiB"
            _target_line(memory, target.peak_mib, text)
    # (at the right, where the gaps are far above: at the left the points sit on them)
    for gap, sizes_, align in ((0.01, "150", "top"), (0.02, "600", "bottom")):
        text = f"target {sizes_}: gap < {100 * gap:g} %"
        _target_line(quality, 100 * gap, text, at=0.99, ha="right", va=align)
    for axis in (times, quality, memory, sizes):
        axis.set_xscale("log")
        axis.set_xlabel("candidate proposal-slot pairs (log)")
        axis.grid(True, which="both", alpha=0.3)
        # below the panel, clear of its points (inside, it hid 150-tight's gain)
        axis.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1)
    times.set_yscale("log")
    times.set_ylabel("seconds (log)")
    times.set_title("Time against size")
    quality.set_ylabel("%")
    quality.set_title("Gap to the bound, gain over greedy")
    memory.set_ylim(bottom=0)
    memory.set_ylabel("MiB")
    memory.set_title("Peak memory against size")
    sizes.set_yscale("log")
    sizes.set_ylabel("columns or variables (log)")
    sizes.set_title("Model size against size")
    for r in results:
        times.annotate(
            r["name"].removeprefix("bench-"),
            (r["candidate_pairs"], r["solve_seconds"]),
            fontsize=6,
            alpha=0.7,
        )
    fig.tight_layout()
    return fig


def plot(results: list[dict], output: Path) -> Path:
    import matplotlib.pyplot as plt

    fig = figure(results)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=110)
    plt.close(fig)
    return write_atomic(output, png.getvalue())  # a reader never sees half a PNG


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.plot", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    results = load(args.results)
    if not results:  # (matplotlib's "Data cannot be log-scaled" said nothing of why)
        parser.error(f"--results: no rung results in {args.results}")
    output = args.output or args.results / "scaling.png"
    reason = unwritable(output)
    if reason is not None:
        parser.error(f"-o/--output: {OutputError(output, reason)}")
    if output.suffix.lower() != ".png":  # (PNG bytes went into x.txt)
        parser.error(f"-o/--output: {output}: the plot is a PNG; name a .png file")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        sys.exit(
            'python -m bench.plot needs matplotlib, in the bench extra: pip install -e ".[bench]"'
        )
    try:
        print(plot(results, output))
    except OutputError as exc:  # found only when writing (a full disk)
        sys.exit(f"error: {exc}")


if __name__ == "__main__":
    main()
