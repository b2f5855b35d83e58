"""A linear program held as arrays, solved by HiGHS (through scipy); work in a child process.

Only numpy and scipy are imported, so a child process starts quickly. The
objective's lower bound is what callers want: the optimum when the program is
solved, else the dual bound HiGHS proved before its limits.
"""

from __future__ import annotations

import math
import multiprocessing
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import LinearConstraint, linprog, milp
from scipy.sparse import csr_array, vstack

Terms = list[tuple[int, float]]
"""A linear expression: (column, coefficient) pairs."""


@dataclass
class LowerBound:
    """What solving a program proved about its minimum."""

    value: float
    """A lower bound on the minimum (-inf when nothing was proved)."""
    exact: bool
    """True when `value` is the minimum itself."""
    method: str
    """"mip" (integer program) or "lp" (its linear relaxation, interior point)."""
    solution: list[int] | None = None
    """The best integer solution found (column values), for "mip"."""


@dataclass
class Program:
    """min cost·x  s.t.  row_lower <= A x <= row_upper,  lower <= x <= upper (x integer)."""

    cost: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)

    @property
    def columns(self) -> int:
        return len(self.cost)

    def var(self, upper: float, cost: float = 0.0) -> int:
        """A new integer column in [0, upper]; its index."""
        self.cost.append(cost)
        self.lower.append(0.0)
        self.upper.append(upper)
        return len(self.cost) - 1

    def row(self, terms: Terms, lower: float = -math.inf, upper: float = math.inf) -> None:
        """lower <= sum(coefficient * column) <= upper."""
        index = len(self.row_lower)
        for column, coefficient in terms:
            self.rows.append(index)
            self.cols.append(column)
            self.values.append(coefficient)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def _matrix(self) -> csr_array:
        return csr_array(
            (self.values, (self.rows, self.cols)), shape=(len(self.row_lower), self.columns)
        )

    def minimum(self, time_limit: float, integral: bool) -> LowerBound:
        """Solve as an integer program (branch and bound) or as its LP relaxation."""
        time_limit = max(0.1, float(time_limit))
        if not self.columns:
            return LowerBound(0.0, True, "mip" if integral else "lp", [])
        if integral:
            return self._mip(time_limit)
        return self._lp(time_limit)

    def _mip(self, time_limit: float) -> LowerBound:
        result = milp(
            np.asarray(self.cost),
            integrality=np.ones(self.columns),
            bounds=(np.asarray(self.lower), np.asarray(self.upper)),
            constraints=LinearConstraint(self._matrix(), self.row_lower, self.row_upper),
            options={"time_limit": time_limit, "disp": False},
        )
        solution = None if result.x is None else [int(round(v)) for v in result.x]
        if result.status == 0:
            return LowerBound(float(result.fun), True, "mip", solution)
        dual = getattr(result, "mip_dual_bound", None)
        if dual is None or not math.isfinite(dual):
            dual = -math.inf
        return LowerBound(float(dual), False, "mip", solution)

    def _lp(self, time_limit: float) -> LowerBound:
        # interior point: 5-10x faster than dual simplex on the aggregated programs
        matrix = self._matrix()
        low, high = np.asarray(self.row_lower), np.asarray(self.row_upper)
        equal = low == high
        above = np.isfinite(low) & ~equal
        below = np.isfinite(high) & ~equal
        result = linprog(
            np.asarray(self.cost),
            A_ub=vstack([matrix[below], -matrix[above]]),
            b_ub=np.concatenate([high[below], -low[above]]),
            A_eq=matrix[equal],
            b_eq=low[equal],
            bounds=np.column_stack([self.lower, self.upper]),
            method="highs-ipm",
            options={"time_limit": time_limit},
        )
        if result.status == 0:
            return LowerBound(float(result.fun), False, "lp")
        return LowerBound(-math.inf, False, "lp")


def _child(target: Callable[..., Any], args: tuple, send) -> None:
    send.send(target(*args))
    send.close()


class Background:
    """`target(*args)` in a child process, beside the caller's own work."""

    def __init__(self, target: Callable[..., Any], args: tuple):
        # fork on Linux: the child starts at once with the arguments in memory (a spawned
        # child imports the caller's modules again and is sent the arguments through a
        # pipe: 2-3 s); elsewhere fork is unsafe or missing
        linux = sys.platform.startswith("linux")
        context = multiprocessing.get_context("fork" if linux else "spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_child, args=(target, args, send), daemon=True)
        self._process.start()
        send.close()

    def ready(self) -> bool:
        """True when the child has answered (or died): `result(0)` then does not wait."""
        return self._receive.poll(0)

    def result(self, wait: float) -> Any | None:
        """The child's answer if it comes within `wait` seconds; the child is stopped either way."""
        answer = None
        try:
            if self._receive.poll(max(0.0, wait)):
                answer = self._receive.recv()
        except (EOFError, OSError):
            answer = None
        finally:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._receive.close()
        return answer
