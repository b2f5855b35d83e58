"""Plot time, gap and model size against instance size from bench/results/*.json.

    python -m bench.plot                     # writes bench/results/scaling.png

Needs matplotlib (`pip install matplotlib`), which the scheduler itself does not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.runner import RESULTS, rung_results


def load(results_dir: Path) -> list[dict]:
    return sorted(rung_results(results_dir), key=lambda r: (r["candidate_pairs"], r["name"]))


def plot(results: list[dict], output: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (times, quality) = plt.subplots(1, 2, figsize=(11, 4.2))
    for variant, marker in (("easy", "o"), ("tight", "s")):
        rows = [r for r in results if r["name"].endswith(variant)]
        size = [r["candidate_pairs"] for r in rows]
        times.plot(
            size,
            [r["build_seconds"] for r in rows],
            marker=marker,
            label=f"build or greedy ({variant})",
        )
        times.plot(
            size,
            [r["first_solution_seconds"] or float("nan") for r in rows],
            marker=marker,
            linestyle="--",
            label=f"first schedule ({variant})",
        )
        times.plot(
            size,
            [r["solve_seconds"] for r in rows],
            marker=marker,
            linestyle=":",
            label=f"total ({variant})",
        )
        gains = [
            100 * (r["greedy"]["objective"] - r["objective"]) / r["greedy"]["objective"]
            if r["objective"] is not None and r["greedy"]["objective"]
            else float("nan")
            for r in rows
        ]
        gaps = [100 * min(1.0, r["gap"]) if r["gap"] is not None else float("nan") for r in rows]
        quality.plot(size, gaps, marker=marker, label=f"gap to bound ({variant})")
        quality.plot(
            size, gains, marker=marker, linestyle="--", label=f"gain over greedy ({variant})"
        )
    for axis in (times, quality):
        axis.set_xscale("log")
        axis.set_xlabel("candidate proposal-slot pairs (log)")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    times.set_yscale("log")
    times.set_ylabel("seconds (log)")
    times.set_title("Time against size")
    quality.set_ylabel("%")
    quality.set_title("Gap to the bound (none: block search), gain over greedy")
    for r in results:
        times.annotate(
            r["name"].removeprefix("bench-"),
            (r["candidate_pairs"], r["solve_seconds"]),
            fontsize=6,
            alpha=0.7,
        )
    fig.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(output, dpi=120)
    plt.close(fig)
    return output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.plot", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    output = args.output or args.results / "scaling.png"
    print(plot(load(args.results), output))


if __name__ == "__main__":
    main()
