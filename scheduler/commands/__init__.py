"""Command groups registered on the main CLI with `register(app)`."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from rich.table import Table

UNBOUNDED = 1_000_000
"""The width a table is measured in where the output is a file or a pipe: any row fits."""


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


def print_table(console: Console, table: Table) -> None:
    """`table` on `console`: in a terminal, fitted to its width (cells folded where they
    must); redirected to a file or a pipe, at the table's own width, a line per row.
    (rich fitted it to 80 columns there, or to the terminal's the command ran from:
    "Licensing and governance" was split over two lines, and `grep governance` found
    the second without its time and room.) Its cells are text, not markup: a title's
    "[EN]" is shown as it is."""
    if console.is_terminal:
        console.print(table, markup=False)
        return
    unbounded = console.options.update(width=UNBOUNDED, markup=False)
    table.width = console.measure(table, options=unbounded).maximum
    console.print(table, markup=False, crop=False)


class LaidOutConsole(Console):
    """A console laid out for a terminal only where it writes to one. rich takes
    FORCE_COLOR (or TTY_COMPATIBLE=1), which CI jobs set, for a terminal; here they give
    colours, as rich documents them, and a file or a pipe keeps its own layout: the
    progress line rewritten with "\\r" made a log of one line, and the summary was
    wrapped at 80 columns for `grep` and e-mail."""

    def __init__(self, stderr: bool = False, **options: Any) -> None:
        colours = Console(stderr=stderr).color_system  # (as rich reads the environment)
        super().__init__(stderr=stderr, color_system=colours, **options)

    @property
    def is_terminal(self) -> bool:
        if not super().is_terminal:  # (TTY_COMPATIBLE=0 and Jupyter as rich has them)
            return False
        try:
            return self.file.isatty()
        except (AttributeError, ValueError):  # (no isatty, or closed)
            return False
