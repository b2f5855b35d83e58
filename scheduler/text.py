"""Human-readable times and spans in the event's timezone, lists of ids and counts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.instance import Instance

_DAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def fmt_span(instance: Instance, start: datetime, end: datetime) -> str:
    """'Tue 1 Dec 14:00-16:00' (or with both dates when the span crosses midnight)."""
    a, b = instance.local(start), instance.local(end)
    head = f"{_DAYS_EN[a.weekday()]} {a.day} {a:%b} {a:%H:%M}"
    if a.date() == b.date():
        return f"{head}-{b:%H:%M}"
    return f"{head} to {_DAYS_EN[b.weekday()]} {b.day} {b:%b} {b:%H:%M}"


def first_of(ids: list[str], shown: int = 10, more: str = "and {} more") -> str:
    """The ids, or when there are more than `shown`, the first of them and how many more
    (a reason once named 317 slots, a summary 118 workshops); `more` says it in another
    language."""
    if len(ids) <= shown:
        return ", ".join(ids)
    return f"{', '.join(ids[:shown])} {more.format(len(ids) - shown)}"


def plural(count: int, noun: str) -> str:
    """'1 proposal', '2 proposals'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def have_no_theme(count: int) -> str:
    """'1 proposal has no theme yet', '3 proposals have no theme yet'."""
    return f"{plural(count, 'proposal')} {'has' if count == 1 else 'have'} no theme yet"
