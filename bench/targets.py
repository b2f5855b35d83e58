"""The issue's targets for each rung size, checked on one run's result.

A target holds for a run, not for a rung: the ladder's table shows one seed, and a
run by the clock moves with the machine's load, so `python -m bench --seeds` runs each
rung over several seeds and counts the runs that meet it (`spread.md`).
"""

from __future__ import annotations

from dataclasses import dataclass

GIB = 1024.0


@dataclass(frozen=True)
class Target:
    """What a run of a rung of this size must reach, and within which time."""

    text: str
    label: str
    """The text, short, for a table cell."""
    seconds: float
    optimal: bool = False
    """Proven optimal (and nothing else will do)."""
    gap: float | None = None
    """Proven optimal, or a gap below this fraction."""
    all_placed: bool = False
    """Every placeable proposal placed."""
    first_seconds: float | None = None
    peak_mib: float | None = None


TARGETS = {
    40: Target(
        "proven optimal in under 1 s, model build included",
        "optimal, < 1 s",
        1.0,
        optimal=True,
    ),
    150: Target(
        "proven optimal, or gap under 1 %, within 10 s",
        "optimal or gap < 1 %, ≤ 10 s",
        10.0,
        gap=0.01,
    ),
    600: Target(
        "every placeable proposal placed, gap under 2 %, within 30 s",
        "all placed, gap < 2 %, ≤ 30 s",
        30.0,
        gap=0.02,
        all_placed=True,
    ),
    2000: Target(
        "a complete schedule (every placeable proposal placed, every hard rule held) within "
        "60 s and under 2 GiB; a first schedule within 10 s",
        "all placed, valid, ≤ 60 s, < 2 GiB, first ≤ 10 s",
        60.0,
        all_placed=True,
        first_seconds=10.0,
        peak_mib=2 * GIB,
    ),
}


def target_of(size: int) -> Target:
    """The target of the ladder size whose limits apply (`bench.runner.size_of`)."""
    return TARGETS[size]


def unmet(result: dict, target: Target) -> list[str]:
    """Why a run's result misses the target, one reason per part it misses ([] when it
    meets it).

    Times are the solve's own (`solve_seconds`: model build included, the process's
    start and imports not); memory is the sum of the solving process's peak and its
    relaxation child's (`peak_sum_mib`: the two run at the same time, so the machine's
    peak lies between the larger and the sum; the sum is the conservative figure).
    """
    reasons = []
    optimal = result["status"] == "optimal"
    if result.get("valid") is not True:
        reasons.append("no valid schedule")
    if target.optimal and not optimal:
        reasons.append("not proven optimal")
    if target.gap is not None and not optimal:
        gap = result.get("gap")
        if gap is None or gap >= target.gap:
            shown = "no bound" if gap is None else f"{100 * gap:.2f} %"
            reasons.append(f"gap {shown}")
    if target.all_placed and result["placed"] < result["placeable"]:
        reasons.append(f"placed {result['placed']}/{result['placeable']}")
    if result["solve_seconds"] > target.seconds:
        reasons.append(f"{result['solve_seconds']:.1f} s")
    first = result.get("first_solution_seconds")
    if target.first_seconds is not None and (first is None or first > target.first_seconds):
        reasons.append("first schedule " + ("never" if first is None else f"at {first:.1f} s"))
    if target.peak_mib is not None:
        peak = peak_sum_mib(result)
        if peak >= target.peak_mib:
            reasons.append(f"{peak:.0f} MiB (solver + relaxation)")
    return reasons


def peak_sum_mib(result: dict) -> float:
    """A run's peak memory, conservatively: its solving process's peak (`peak_mib`) plus
    its relaxation child's (`relaxation_peak_mib`), which runs beside it (forked: its
    pages shared with the solver's until written, so the sum may count some twice)."""
    return result["peak_mib"] + (result.get("relaxation_peak_mib") or 0.0)
