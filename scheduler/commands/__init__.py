"""Command groups registered on the main CLI with `register(app)`."""

from __future__ import annotations

import math
from collections.abc import Callable

import typer


def within(low: float, high: float, what: str) -> Callable[[float | None], float | None]:
    """The check of a number option from `low` to `high` (`what` it is, in words). A
    callback, not the option's min and max: click's range check said 'nan' was "less than
    or equal to" the top (every comparison with it is false)."""

    def check(value: float | None) -> float | None:
        if value is not None and not low <= value <= high:
            said = "not a number" if math.isnan(value) else f"{value:g}"
            raise typer.BadParameter(f"{said}: give {what} from {low:g} to {high:g}")
        return value

    return check
