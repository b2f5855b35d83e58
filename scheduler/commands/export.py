"""`scheduler export ics | grid | csv | xlsx | all`: files people read, from an instance and a solution."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from scheduler.commands import LaidOutConsole, within
from scheduler.errors import InputError, OutputError
from scheduler.exports.common import (
    Output,
    OutputsError,
    Written,
    check_outputs,
    check_solution,
    write_outputs,
)
from scheduler.files import (
    check_kind,
    check_not_read,
    check_replaces,
    output_path,
    written_through,
)
from scheduler.instance import Instance, Language, load_instance
from scheduler.solution import Solution, load_reference, load_solution
from scheduler.text import MORE_FR, first_of, more_of, plural, plural_fr, timezone_assumed
from scheduler.validate import validate

if TYPE_CHECKING:
    from scheduler.exports.grid import LayingOut

console = LaidOutConsole(highlight=False, soft_wrap=True)
err = LaidOutConsole(stderr=True, highlight=False, soft_wrap=True)

export_app = typer.Typer(
    name="export",
    help="Write the programme as iCalendar, a printable grid (HTML, PDF), CSV or XLSX.",
    no_args_is_help=True,
)


class Paper(StrEnum):
    A4 = "A4"
    A3 = "A3"


InstanceArg = Annotated[Path, typer.Argument(metavar="INSTANCE", help="Instance YAML or JSON.")]
SolutionArg = Annotated[Path, typer.Argument(metavar="SOLUTION", help="Solution JSON.")]
LangOpt = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        help="Language of the labels \\[default: the instance's event.language, else its "
        "proposals' language when they all share one, else fr]. The console's messages "
        "(what was written, notes, warnings) follow it when it is given, and are in "
        "English otherwise; errors stay in English.",
    ),
]


def _messages(lang: Language | None) -> str:
    """The console messages' language: the one given, else English (what scripts and
    earlier users read)."""
    return (lang or Language.EN).value


def _labels(lang: Language | None, instance: Instance) -> str:
    """The labels' language: the one given, else the event's (`Instance.language`: an
    English event's calendars and grid were labelled in French unless every command
    said --lang en)."""
    return (lang or instance.language).value


NOTE = {"en": "note: ", "fr": "note\u00a0: "}
WARNING = {"en": "warning: ", "fr": "avertissement\u00a0: "}
"""How the notes and warnings of an export start, per language."""
PaperOpt = Annotated[Paper, typer.Option("--paper", help="Paper of the printed grid (landscape).")]
ItemsOpt = Annotated[
    bool, typer.Option("--items", help="Also one event per talk (keynote or initiative).")
]
ReferenceOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--reference",
        help="A published solution; give every one, oldest first (repeatable). SEQUENCE "
        "counts the versions a calendar event changed across, events gone since are kept "
        "as cancelled, and the grid marks the workshops that changed since the last.",
    ),
]
KeepBeforeOpt = Annotated[
    str | None,
    typer.Option(
        "--keep-before",
        metavar="DATETIME",
        help="As the re-solve was given it, with --reference: the workshops begun before "
        "DATETIME are taken as given when the schedule is checked (a speaker's absence or "
        "a slot closed since is waived there, as `validate --keep-before` does), instead "
        "of a warning that they break the hard rules. The exports are the same.",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="No progress line on stderr while the PDF is laid out or the calendars made "
        "and written (the lines saying what was written stay).",
    ),
]
MIN_REFRESH = timedelta(minutes=15)


def _refresh(value: str | None) -> timedelta | None:
    """`--refresh` as a duration (RFC 5545, `PT1H`), read by the calendar library."""
    if value is None:
        return None
    from icalendar import vDuration

    try:
        refresh = vDuration.from_ical(value.strip().upper())
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a duration such as PT1H (an hour), PT30M or P1D",
            param_hint="--refresh",
        ) from None
    if not isinstance(refresh, timedelta) or refresh < MIN_REFRESH:
        raise typer.BadParameter(
            f"{value!r}: subscribers are asked to fetch the calendars again every 15 minutes "
            "at the most often (PT15M)",
            param_hint="--refresh",
        )
    return refresh


RefreshOpt = Annotated[
    str | None,
    typer.Option(
        "--refresh",
        metavar="DURATION",
        help="How often subscribed calendar clients fetch the calendars again, as a "
        "duration: PT1H during the event, when re-publications follow each other within "
        "the day \\[default: P1D, a day].",
    ),
]
PngScaleOpt = Annotated[
    float | None,
    typer.Option(
        "--png-scale",
        callback=within(1.0, 4.0, "a scale"),
        metavar="SCALE",
        help="Pixels per CSS pixel of the PNG, from 1 to 4: 1 is 96 dpi (1123 x 794 px on "
        "A4), 2 or 3 for screens and print; with --png \\[default: 1]. The PNG is the "
        "first page only: the other days are in the HTML and the PDF.",
    ),
]
DirectoryOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Directory \\[default: exports/<instance name>]."),
]


def _file_option(what: str, name: str) -> Any:
    """`-o` of a command that writes one file: a string, so that a trailing slash (a
    folder, the file `name` in it: `output_path`) survives."""
    return Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help=f"{what}, or a folder when it ends in / "
            f"\\[default: exports/<instance name>/{name}].",
        ),
    ]


GridFileOpt = _file_option(
    "HTML file, or the grid as PDF or PNG when it ends in .pdf or .png", "grid.html"
)
CsvFileOpt = _file_option("CSV file", "programme.csv")
XlsxFileOpt = _file_option("Workbook", "programme.xlsx")
StampOpt = Annotated[
    str | None,
    typer.Option(
        "--stamp",
        metavar="ISO-DATETIME",
        help="DTSTAMP and XLSX dates: the publication's time, or `now` \\[default: midnight "
        "UTC on the event's first day].",
    ),
]


def _not_inputs(outputs: list[Path | None], *inputs: tuple[str, Path | None]) -> None:
    """Refuse, before anything is read, an output file that is one of the inputs
    (`export csv commons.yaml s.json -o s.json` replaced the solution by the CSV). The
    outputs' other problems are named together later, by `check_outputs` (`export grid`
    named only the first)."""
    for output in outputs:
        if output is not None:
            check_not_read(output, dict(inputs))


def _load(
    instance_path: Path,
    solution_path: Path,
    references: list[Path] | None = None,
    keep_before: str | None = None,
    say: str = "en",
) -> tuple[Instance, Solution, list[Solution]]:
    """The instance, the solution and the published solutions (oldest first), checked
    (with `keep_before`, what began before it taken as given, as `solve` took it); the
    notes and warnings in `say`."""
    instance = load_instance(instance_path)
    assumed = timezone_assumed(instance, say)
    if assumed is not None:
        err.print(NOTE[say] + assumed, highlight=False, markup=False)
    solution = load_solution(solution_path)
    check_solution(instance, solution, solution_path)
    published = [load_reference(path, instance.name) for path in references or ()]
    for path, version in zip(references or (), published, strict=True):
        check_solution(instance, version, path, role="reference", check_ids=False)
    _in_order(list(references or ()), published, solution_path, solution)
    # the solution checked against the last version before it: the docs ask for every
    # published version, and the one exported is itself published (it was checked
    # against itself, its `moved` recounted as 0, and warned of)
    versions = list(zip(references or (), published, strict=True))
    while versions and (
        versions[-1][0].resolve() == solution_path.resolve() or versions[-1][1] == solution
    ):
        versions.pop()
    last = versions[-1] if versions else None
    if last is not None and solution.revision and last[1].revision >= solution.revision:
        _warn_not_from_last(solution_path, solution, last, say)
    checked = instance
    if keep_before is not None:
        from scheduler import keep

        # on a copy: the exports render the instance as it is (keeping sets the begun
        # slots' themes and gives members back a theme or language edited since)
        checked = copy.deepcopy(instance)
        moment = keep.parse_moment(checked, instance_path, keep_before)
        # what began is kept as the last version before the solution published it, else
        # as the solution itself, given as its only --reference (the first publication
        # exported again during the event: it was refused as "needs --reference")
        given = list(zip(references or (), published, strict=True))
        kept = last or (given[-1] if given else None)
        if kept is None:
            raise InputError(instance_path, keep.OPTION, None, "needs --reference PUBLISHED.json")
        keep.keep_before(checked, kept[1], kept[0], moment, instance_path)
    _warn_of_violations(checked, solution, instance_path, solution_path, last, keep_before, say)
    if keep_before is None and last is not None:  # (what it changes of it, on stderr only)
        from scheduler.keep import begun_warning

        for line in begun_warning(last[1], say, solution, solution_path):
            err.print(line, markup=False)
    _warn_if_empty(solution, instance_path, solution_path, say)
    if solution.instance_hash != instance.source_hash:  # (the bytes read: a pipe is read once)
        err.print(
            f"{NOTE[say]}{solution_path} a été résolu à partir d'une autre version de "
            f"{instance_path}\u00a0; les exports reprennent les textes actuels de l'instance"
            if say == "fr"
            else f"{NOTE[say]}{solution_path} was solved from another version of "
            f"{instance_path}; the exports use the instance's current texts",
            markup=False,
        )
    return instance, solution, published


def _in_order(
    paths: list[Path], published: list[Solution], solution_path: Path, solution: Solution
) -> None:
    """Refuse references given newest first, as their revisions tell (a re-solve's is its
    reference's plus one): the last one was taken for the latest publication, and the
    calendars cancelled and added again what had not changed. Out of order: the solution
    exported, given as a --reference before one of a lower revision; a re-solve
    (revision above 0) after one of a higher revision; the solution re-solved against a
    reference given before the last (its revision one below the solution's) when the
    last is not. (A schedule solved afresh, revision 0, may follow re-solves: it is
    published after them; and one published again after others may precede them.)"""

    def itself(path: Path, version: Solution) -> bool:
        return path.resolve() == solution_path.resolve() or version == solution

    given = list(zip(paths, published, strict=True))
    while given and itself(*given[-1]):
        given.pop()
    for index, (path, version) in enumerate(given):
        later = given[index + 1 :]
        older = next(((p, v) for p, v in later if v.revision < version.revision), None)
        if itself(path, version) and older is not None:
            # (before one of a higher revision, it is a schedule published again after it)
            raise InputError(
                path,
                "option --reference",
                None,
                f"is the solution exported, given before {older[0]} (revision "
                f"{older[1].revision}, below its {version.revision}): give the published "
                "versions oldest first, the solution last (or not at all)",
            )
        # (up to the next schedule solved afresh, whose re-solves count from 1 again)
        fresh = next((i for i, (_, v) in enumerate(later) if not v.revision), len(later))
        after = later[:fresh]
        older = next(((p, v) for p, v in after if v.revision < version.revision), None)
        if older is not None:
            raise InputError(
                older[0],
                "option --reference",
                None,
                f"revision {older[1].revision} is given after {path} (revision "
                f"{version.revision}): give the published versions oldest first",
            )
    # the solution re-solved from a reference given before the last, itself no re-solve
    # since (the last of revision 0 and the solution's reference the one before it; a
    # solution of revision 1 could be a re-solve of either)
    if len(given) > 1 and solution.revision > 1 and given[-1][1].revision == 0:
        path, before = given[-2]
        if before.revision == solution.revision - 1:
            raise InputError(
                path,
                "option --reference",
                None,
                f"revision {before.revision}, which {solution_path} (revision "
                f"{solution.revision}) was re-solved from, is given before {given[-1][0]} "
                "(revision 0): give the published versions oldest first",
            )


def _warn_not_from_last(
    solution_path: Path, solution: Solution, last: tuple[Path, Solution], say: str
) -> None:
    """A warning when the solution, a re-solve, was not re-solved from the last published
    version given (a re-solve's revision is its reference's plus one): re-solved from an
    earlier one, it stays close to that one, and may move back what the last one moved."""
    path, version = last
    err.print(
        f"{WARNING[say]}{solution_path} (révision {solution.revision}) n'a pas été résolu à "
        f"partir de {path} (révision {version.revision}), la dernière version publiée "
        f"donnée\u00a0: ce qu'elle a déplacé peut revenir à sa place d'avant\u00a0; "
        f"résolvez de nouveau avec --reference {path}, sauf si c'est voulu"
        if say == "fr"
        else f"{WARNING[say]}{solution_path} (revision {solution.revision}) was not re-solved "
        f"from {path} (revision {version.revision}), the last published version given: "
        "what that one moved may move back; re-solve with "
        f"--reference {path}, unless that is meant",
        markup=False,
    )


def _warn_if_empty(solution: Solution, instance_path: Path, solution_path: Path, say: str) -> None:
    """A solution with no workshop is exported, but not without a word: calendars with
    no event and a grid of empty days were written with exit 0, and a script's
    `solve && export` published them (`solve` now stops before, exit 1; a file made
    otherwise, or by an older version, still gets here)."""
    if solution.workshops:
        return
    left = len(solution.unscheduled)
    command = f"`scheduler explain {instance_path}{' --lang fr' if say == 'fr' else ''}`"
    err.print(
        f"{WARNING[say]}{solution_path} ne place aucune proposition "
        f"({plural_fr(left, 'non programmée', 'non programmées')})\u00a0: ce qui est "
        f"exporté est vide\u00a0; {command} dit pourquoi"
        if say == "fr"
        else f"{WARNING[say]}{solution_path} places no proposal ({left} left out): what is "
        f"exported is empty; {command} says why",
        markup=False,
    )


SHOWN_VIOLATIONS = 3
"""How many of a solution's hard-rule violations an export names."""


def _warn_of_violations(
    instance: Instance,
    solution: Solution,
    instance_path: Path,
    solution_path: Path,
    reference: tuple[Path, Solution] | None,
    keep_before: str | None = None,
    say: str = "en",
) -> None:
    """A schedule that breaks hard rules (edited by hand, or solved from another version
    of the instance) is exported as it is, the coordinator's to decide, but not without
    a word: the first violations, and the command that lists them all. It is checked as
    `scheduler validate` checks it, against the last published solution when there is
    one: a re-solve's `moved` costs count against it (without it, a sound re-solve was
    said to break the hard rules, its objective recounted without them)."""
    report = validate(instance, solution, reference[1] if reference else None)
    command = f"scheduler validate {instance_path} {solution_path}"
    if reference is not None:
        command += f" --reference {reference[0]}"
    if keep_before is not None:
        command += f" --keep-before {keep_before}"
    violations = [v for v in report.violations if v.rule != "objective"]
    fr = say == "fr"
    if violations:
        kept = ""
        waived = {"speaker-availability", "slot-lock", "theme", "language"}
        if reference is not None and keep_before is None and waived & {v.rule for v in violations}:
            # (the schedule of a re-solve after the event, exactly as `solve` wrote it,
            # read as broken)
            kept = (
                " (une nouvelle résolution avec --keep-before prend ce qui a commencé tel "
                "quel\u00a0: donnez ici le même --keep-before)"
                if fr
                else " (a re-solve with --keep-before takes what began as given: give the "
                "same --keep-before here)"
            )
        # (the validator's messages are in English, as `diff --lang fr` says them)
        err.print(
            f"{WARNING[say]}{solution_path} enfreint les règles strictes "
            f"({plural_fr(len(violations), 'violation')}, décrites en anglais)\u00a0; il est "
            f"exporté tel quel, `{command}` les liste{kept}\u00a0:"
            if fr
            else f"{WARNING[say]}{solution_path} breaks the hard rules "
            f"({plural(len(violations), 'violation')}); it is exported as it is, "
            f"`{command}` lists them{kept}:",
            markup=False,
        )
        for violation in violations[:SHOWN_VIOLATIONS]:
            colon = "\u00a0:" if fr else ":"
            err.print(f"  ✗ {violation.rule}{colon} {violation.message}", markup=False)
        if len(violations) > SHOWN_VIOLATIONS:
            more = more_of(len(violations) - SHOWN_VIOLATIONS, MORE_FR if fr else "and {} more")
            err.print(f"  {more}", markup=False)
    if solution.objective is None or solution.objective == report.objective:
        return
    moved = solution.penalty_totals().get("moved", 0)
    if reference is None and moved and solution.objective - moved == report.objective:
        err.print(
            f"{NOTE[say]}l'objectif de {solution_path} compte `moved` {moved} par rapport à "
            "un programme publié\u00a0; passez --reference PUBLISHED.json pour le vérifier"
            if fr
            else f"{NOTE[say]}the objective of {solution_path} counts `moved` {moved} against "
            "a published schedule; pass --reference PUBLISHED.json to check it",
            markup=False,
        )
        return
    # not a hard rule: a file edited by hand, solved with other weights, or against
    # another published version than the last --reference (given newest first, say)
    recounted = report.costs.get("moved", 0)
    if (
        reference is not None
        and not moved
        and solution.revision == 0
        and solution.objective + recounted == report.objective
    ):
        # a schedule solved afresh and published after re-solves (documented): it counts
        # no move, and was said to be solved "against the wrong version"
        return
    why = ""
    if reference is not None and recounted != moved and fr:
        why = (
            f" (il compte `moved` {moved}, {recounted} par rapport à {reference[0]}\u00a0: "
            "a-t-il été résolu par rapport à celle-ci\u00a0? donnez chaque version publiée, "
            "de la plus ancienne à la plus récente)"
        )
    elif reference is not None and recounted != moved:
        why = (
            f" (it counts `moved` {moved}, {recounted} against {reference[0]}: was it solved "
            "against that one? give every published version, oldest first)"
        )
    err.print(
        f"{WARNING[say]}l'objectif de {solution_path} vaut {solution.objective}, recalculé "
        f"{report.objective}{why}\u00a0; `{command}` détaille les coûts"
        if fr
        else f"{WARNING[say]}the objective of {solution_path} is {solution.objective}, "
        f"recomputed {report.objective}{why}; `{command}` details the costs",
        markup=False,
    )


def _note_an_earlier_publication(
    paths: list[Path] | None, published: list[Solution], say: str = "en"
) -> None:
    """A note when the oldest `--reference` is itself a re-solve: the schedule it was
    solved against was likely published too. Its revision keeps the SEQUENCE of what
    changes since above what clients hold, and its calendar events the UIDs
    (`Solution.events`); without the earlier publication, what that one cancelled is
    not cancelled again for a client that skipped it. One written before solutions
    recorded their events says more: the UIDs of the workshops that replaced others
    are counted from it, and differ from those clients hold. A re-solve
    written before solutions had a revision (it counts `moved`, at revision 0) says
    more: without the earlier one, an event changed there falls below the SEQUENCE
    clients hold, and they ignore its updates."""
    if not paths or not published:
        return
    oldest = published[0]
    moved = oldest.penalty_totals().get("moved", 0)
    fr = say == "fr"
    if oldest.revision and not oldest.events and oldest.workshops:
        # (written before solutions recorded their calendar events, `Solution.events`)
        err.print(
            f"{WARNING[say]}{paths[0]}, la plus ancienne --reference, est une nouvelle "
            f"résolution (révision {oldest.revision}) écrite par une version antérieure, "
            "sans les événements de ses ateliers\u00a0: donnez d'abord les programmes "
            "publiés avant elle (--reference EARLIER.json ...)\u00a0; sans eux, un atelier "
            "qui en a remplacé un autre dans son créneau est envoyé sous un autre UID que "
            "celui que détiennent les applications de calendrier (un doublon, ou l'UID d'un "
            "autre atelier)"
            if fr
            else f"{WARNING[say]}{paths[0]}, the oldest --reference, is a re-solve (revision "
            f"{oldest.revision}) written by an earlier version, without its workshops' "
            "calendar events: give the schedules published before it first (--reference "
            "EARLIER.json ...); without them, a workshop that replaced another in its slot is "
            "sent under another UID than the one calendar clients hold (a duplicate, or "
            "another workshop's UID)",
            markup=False,
        )
    elif oldest.revision:
        err.print(
            f"{NOTE[say]}{paths[0]}, la plus ancienne --reference, est une nouvelle "
            f"résolution (révision {oldest.revision})\u00a0; si les programmes d'avant ont "
            "été publiés aussi, donnez-les d'abord (--reference EARLIER.json ...), pour que "
            "ces calendriers annulent à nouveau ce qu'ils avaient annulé, pour un client "
            "qui les aurait manqués"
            if fr
            else f"{NOTE[say]}{paths[0]}, the oldest --reference, is a re-solve (revision "
            f"{oldest.revision}); if the schedules before it were published too, give them "
            "first (--reference EARLIER.json ...), so that these calendars cancel again "
            "what those cancelled, for a client that skipped them",
            markup=False,
        )
    elif moved:
        err.print(
            f"{WARNING[say]}{paths[0]}, la plus ancienne --reference, a été résolue à "
            f"nouveau par rapport à un programme antérieur (elle compte `moved` {moved})"
            "\u00a0; si celui-ci a été publié aussi, donnez-le d'abord (--reference "
            "EARLIER.json ...)\u00a0: sans lui, un événement qu'il a modifié reçoit une "
            "SEQUENCE inférieure à celle que détiennent les applications de calendrier, qui ignorent "
            "la mise à jour (un atelier qu'il avait annulé et que celui-ci rétablit reste "
            "annulé)"
            if fr
            else f"{WARNING[say]}{paths[0]}, the oldest --reference, was re-solved against an "
            f"earlier schedule (it counts `moved` {moved}); if that one was published too, "
            "give it first (--reference EARLIER.json ...): without it, an event changed in it "
            "gets a SEQUENCE below the one calendar clients hold, and they ignore the "
            "update (a workshop it cancelled and this one restores stays cancelled)",
            markup=False,
        )


def _last(published: list[Solution]) -> Solution | None:
    """The published solution the grid marks changes against."""
    return published[-1] if published else None


def _stamp(value: str | None, instance: Instance) -> datetime | None:
    """`--stamp` in UTC; without an offset, a time in the event's timezone, as everywhere
    else (it was read as UTC: 09:00 in Paris stamped 11:00 there)."""
    if value is None:
        return None
    from scheduler import keep

    if value.strip().lower() == keep.NOW:
        # on site, the publication's time is the command's (`--keep-before now` took it
        # and `--stamp now` was refused); the same second as that one
        return keep.whole_second(keep.now()).astimezone(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not `now` or an ISO date and time (e.g. 2026-10-01T12:00:00Z)",
            param_hint="--stamp",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=instance.event.tz)
    if not 1980 <= moment.year <= 9998:
        # (a traceback: year 1 overflowed, and the XLSX's zip dates start in 1980)
        raise typer.BadParameter(
            f"{value!r}: a publication time between the years 1980 and 9998 is needed",
            param_hint="--stamp",
        )
    return moment.astimezone(UTC)


def _write(
    outputs: list[Output], unsuffixed: str, quiet: bool = True, say: str = "en"
) -> list[Written]:
    """Check every output, then write them all: exit 2 with nothing overwritten when any
    cannot be written, or would replace a file of another kind (`_check`). Many files
    (the calendars) are written under a progress line."""
    _check([o.path for o in outputs], unsuffixed)
    with _progress(PROGRESS[say]["writing"].format(files=len(outputs)), quiet, len(outputs)):
        return write_outputs(outputs)


SLOW_PAGES = 20
"""Piped, a PDF of this many pages or more is laid out under a line saying so (a page
takes 0.3-0.4 s: 10 s at 600 proposals, 41 s at 2000): below it, the export is as
quiet as before."""
SLOW_FILES = 500
"""Piped, this many calendars or more are made and written under a line saying so (at
2000 proposals, 2076 files)."""
LISTED_A_PAGE = 6
"""About how many unscheduled proposals a page of their list holds (1013 on 161 pages)."""
PROGRESS = {
    "en": {
        "laying_out": "laying out {path}: {days} on {pages}…",
        "listing": "laying out {path}: {proposals}…",
        "making": "making the calendars: programme.ics and one per speaker, room and theme…",
        "writing": "writing {files} files…",
    },
    "fr": {
        "laying_out": "mise en page de {path}\u00a0: {days} sur {pages}…",
        "listing": "mise en page de {path}\u00a0: {proposals}…",
        "making": "préparation des calendriers\u00a0: programme.ics et un par "
        "intervenant·e, salle et thème…",
        "writing": "écriture de {files} fichiers…",
    },
}
"""The progress lines of the slow steps, in the console's language."""


@contextmanager
def _progress(text: str, quiet: bool, size: int, slow: int | None = None) -> Iterator[None]:
    """`text` on stderr while a step of `size` (pages, files) runs, as `solve`'s progress
    line: in a terminal, a status line that goes when the step ends; piped, the line,
    when `size` reaches `slow` (`SLOW_FILES` by default; a 2000-proposal `export all`
    said nothing for 1.5 min); with --quiet, nothing."""
    slow = SLOW_FILES if slow is None else slow
    if quiet or not (err.is_terminal or size >= slow):
        yield
    elif err.is_terminal:
        with err.status(Text(text), spinner="line"):
            yield
    else:
        err.print(text, markup=False, highlight=False)
        yield


def _making(instance: Instance, quiet: bool, say: str) -> AbstractContextManager[None]:
    """The progress line of the calendars being made, one a speaker, room and theme."""
    size = len(instance.speakers) + len(instance.rooms) + len(instance.themes)
    return _progress(PROGRESS[say]["making"], quiet, size)


def _laying_out(quiet: bool, say: str) -> LayingOut:
    """The grid's `LayingOut`: the progress line of a PDF's layout."""
    words = PROGRESS[say]
    fr = say == "fr"

    def laying_out(path: Path, days: int, pages: int) -> AbstractContextManager[None]:
        if days:
            text = words["laying_out"].format(
                path=path,
                days=plural_fr(days, "jour") if fr else plural(days, "day"),
                pages=plural_fr(pages, "page") if fr else plural(pages, "page"),
            )
        else:  # the unscheduled list: its proposals, a few a page
            proposals = (
                plural_fr(pages, "proposition non programmée", "propositions non programmées")
                if fr
                else plural(pages, "unscheduled proposal")
            )
            text = words["listing"].format(path=path, proposals=proposals)
            pages //= LISTED_A_PAGE
        return _progress(text, quiet, pages, SLOW_PAGES)

    return laying_out


def _check(paths: list[Path], unsuffixed: str) -> None:
    """Refuse the outputs `check_outputs` refuses, then those that would replace a file
    of another kind than theirs (an instance, a solution, the call's answers: `export
    csv -o answers.csv` replaced them by the programme), named together. The kind of
    file written is its suffix's, or `unsuffixed` (a key of `files.EXPORTS`)."""
    check_outputs(paths)
    problems: list[tuple[Path, str]] = []
    for path in paths:
        writes = _KIND_OF.get(_suffix(path), unsuffixed)
        headers = _programme_headers() if writes in ("csv", "xlsx") else ()
        try:
            check_replaces(path, writes, headers=headers)
        except OutputError as exc:
            problems.append((exc.path, exc.reason))
    if len(problems) == 1:
        raise OutputError(*problems[0])
    if problems:
        raise OutputsError(problems)


_KIND_OF = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".ics": "ics",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".png": "png",
}
"""The kind of file (`files.EXPORTS`) an export writes, by its suffix."""


def _programme_headers() -> list[tuple[str, ...]]:
    """The first columns of the programme's tables, in each language: a table whose
    header starts otherwise is not one an export wrote (the first three have not
    changed since the first tables, so that those are still replaced)."""
    from scheduler.exports.tables import COLUMNS, HEADERS

    return [tuple(words[column] for column in COLUMNS[:3]) for words in HEADERS.values()]


_COMMAND_OF = {
    ".html": "grid",
    ".htm": "grid",
    ".pdf": "grid",
    ".png": "grid",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".ics": "ics",
}
"""The export command that writes each kind of file."""


def _suffix(path: Path | None) -> str:
    return path.suffix.lower() if path is not None else ""


def _not_another_format(output: Path | None, what: str, command: str) -> None:
    """Refuse an output file named for what another export command writes (`export csv
    -o programme.xlsx` wrote CSV text into programme.xlsx), before anything is read."""
    kind = _suffix(output)
    writer = _COMMAND_OF.get(kind)
    if writer is not None and writer != command:
        raise typer.BadParameter(
            f"this command writes {what}; for {output.name} use `scheduler export {writer}`",
            param_hint="-o/--output",
        )


def _named_as(output: Path | None, what: str, suffixes: tuple[str, ...], name_it: str) -> None:
    """Refuse an output file whose suffix is none of `suffixes`, those of what the command
    writes (`what`, and `name_it` the names to give): `export grid -o grid.docx` got the
    HTML page, `export csv -o x.txt` CSV. A name without a suffix is taken as given
    (`-o /dev/stdout`)."""
    kind = _suffix(output)
    if kind and kind not in suffixes:
        raise typer.BadParameter(
            f"{what}, not a {kind} file: name it {name_it}", param_hint="-o/--output"
        )


def _a_directory(output: Path | None, what: str) -> None:
    """Refuse a file name where a directory is wanted (`export ics -o programme.ics` made
    a directory programme.ics holding programme.ics)."""
    kind = _suffix(output)
    if kind in _COMMAND_OF:
        raise typer.BadParameter(
            f"-o is the directory for {what}, and {output} names a {kind} file",
            param_hint="-o/--output",
        )


WROTE = {"en": "wrote {path} ({what})", "fr": "écrit\u00a0: {path} ({what})"}
"""A file written, and the exporter's account of it (in the same language)."""


def _report(written: list[Written], say: str = "en") -> None:
    # to stderr when an output is written through (`-o /dev/stdout`): the summary ended
    # the CSV it followed
    out = err if any(written_through(entry.path) for entry in written) else console
    for entry in written:
        out.print(WROTE[say].format(path=entry.path, what=entry.what), markup=False)


def _default_dir(instance: Instance) -> Path:
    return Path("exports") / instance.name


@export_app.command("ics")
def export_ics(
    instance_path: InstanceArg,
    solution_path: SolutionArg,
    output: DirectoryOpt = None,
    items: ItemsOpt = False,
    lang: LangOpt = None,
    reference: ReferenceOpt = None,
    keep_before: KeepBeforeOpt = None,
    stamp: StampOpt = None,
    refresh: RefreshOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """programme.ics, and a calendar per speaker, room and theme (RFC 5545)."""
    from scheduler.exports.ics import IcsOptions, ics_outputs

    _a_directory(output, "programme.ics and the calendars per speaker, room and theme")
    every = _refresh(refresh)
    say = _messages(lang)
    instance, solution, published = _load(instance_path, solution_path, reference, keep_before, say)
    labels = _labels(lang, instance)
    _note_an_earlier_publication(reference, published, say)
    options = IcsOptions(lang=labels, items=items, stamp=_stamp(stamp, instance), messages=say)
    if every is not None:
        options = replace(options, refresh=every)
    directory = output or _default_dir(instance)
    with _making(instance, quiet, say):
        outputs = ics_outputs(instance, solution, directory, options, published)
    written = _write(outputs, "ics", quiet, say)
    _report(written[:1], say)
    calendars = len(written) - 1
    if calendars:
        console.print(_more_calendars(calendars, written[1].path.parent.parent, say), markup=False)
    _note_left(written[1:], say)
    _note_stale(directory, written, say)


def _more_calendars(count: int, directory: Path, say: str) -> str:
    """'wrote 14 more calendars in exports/commons (speakers/, rooms/, themes/)' (it
    said "1 more calendars")."""
    if say == "fr":
        more = plural_fr(count, "autre calendrier", "autres calendriers")
        return f"écrit\u00a0: {more} dans {directory} (speakers/, rooms/, themes/)"
    return f"wrote {plural(count, 'more calendar')} in {directory} (speakers/, rooms/, themes/)"


@export_app.command("grid")
def export_grid(
    instance_path: InstanceArg,
    solution_path: SolutionArg,
    given: GridFileOpt = None,
    pdf: Annotated[
        Path | None, typer.Option("--pdf", help="Also a PDF of the same grid (WeasyPrint).")
    ] = None,
    png: Annotated[
        Path | None,
        typer.Option(
            "--png",
            help="Also a PNG of the first page only, the first day's (needs headless "
            "Chromium); see --png-scale.",
        ),
    ] = None,
    png_scale: PngScaleOpt = None,
    lang: LangOpt = None,
    paper: PaperOpt = Paper.A4,
    reference: ReferenceOpt = None,
    keep_before: KeepBeforeOpt = None,
    unscheduled: Annotated[
        bool,
        typer.Option(
            "--unscheduled",
            help="Also, after the days, the proposals left unscheduled and why: for the "
            "coordinators, not to publish (the reasons name the speakers' availability). "
            "`export all` writes them as unscheduled.html and .pdf.",
        ),
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Printable grid: a page per day (or a few), rooms as columns, blocks to the scale of time."""
    from scheduler.exports.grid import grid_outputs

    output = output_path(given, "grid.html")
    # an input named as an output first: that is the mistake to name, whatever its suffix
    _not_inputs(
        [output, pdf, png],
        ("instance", instance_path),
        ("solution", solution_path),
        *(("reference", path) for path in reference or ()),
    )
    for option, path, suffix in (("--pdf", pdf, ".pdf"), ("--png", png, ".png")):
        if path is not None and _suffix(path) != suffix:  # `--pdf grid.png` got a PDF
            raise typer.BadParameter(
                f"{path.name} does not end in {suffix}: name the file {option} writes *{suffix}",
                param_hint=option,
            )
    html: Path | None = output
    kind = _suffix(output)
    if kind in (".pdf", ".png"):
        # `-o grid.pdf` once wrote the HTML page into grid.pdf
        other = pdf if kind == ".pdf" else png
        if other is not None and other != output:
            raise typer.BadParameter(
                f"{output} is a {kind[1:].upper()} and so is {other}: name one of them",
                param_hint="-o/--output",
            )
        html = None
        pdf, png = (output, png) if kind == ".pdf" else (pdf, output)
    else:
        _not_another_format(output, "an HTML page (or a .pdf / .png of the grid)", "grid")
        _named_as(
            output,
            "the grid is an HTML page, a PDF or a PNG",
            (".html", ".htm"),
            ".html, .pdf or .png",
        )
    _a_png_to_scale(png_scale, png is not None)
    _what_the_grid_needs(pdf is not None, png is not None)
    say = _messages(lang)
    instance, solution, published = _load(instance_path, solution_path, reference, keep_before, say)
    labels = _labels(lang, instance)
    if output is None:
        html = _default_dir(instance) / "grid.html"
    # every output checked before the PDF and the screenshot are made, and again (with
    # them made) before any is written
    _check([p for p in (html, pdf, png) if p is not None], "html")
    outputs = grid_outputs(
        instance,
        solution,
        html,
        pdf,
        png,
        labels,
        paper.value,
        png_scale or 1.0,
        reference=_last(published),
        messages=say,
        unscheduled=unscheduled,
        laying_out=_laying_out(quiet, say),
    )
    _report(_write(outputs, "html"), say)


@export_app.command("csv")
def export_csv(
    instance_path: InstanceArg,
    solution_path: SolutionArg,
    given: CsvFileOpt = None,
    lang: LangOpt = None,
) -> None:
    """One row per timeline item, UTF-8 CSV that spreadsheets open safely."""
    from scheduler.exports.tables import csv_output

    output = output_path(given, "programme.csv")
    _not_another_format(output, "CSV", "csv")
    _not_inputs([output], ("instance", instance_path), ("solution", solution_path))
    if output is not None:
        check_kind(output, "a table (CSV)", (".csv",))
        _named_as(output, "the table is CSV", (".csv",), ".csv")
    say = _messages(lang)
    instance, solution, _ = _load(instance_path, solution_path, say=say)
    labels = _labels(lang, instance)
    path = output or _default_dir(instance) / "programme.csv"
    _report(_write([csv_output(instance, solution, path, labels, say)], "csv"), say)


@export_app.command("xlsx")
def export_xlsx(
    instance_path: InstanceArg,
    solution_path: SolutionArg,
    given: XlsxFileOpt = None,
    lang: LangOpt = None,
    stamp: StampOpt = None,
) -> None:
    """One row per timeline item, as an Excel workbook."""
    from scheduler.exports.tables import xlsx_output

    output = output_path(given, "programme.xlsx")
    _not_another_format(output, "an Excel workbook", "xlsx")
    _not_inputs([output], ("instance", instance_path), ("solution", solution_path))
    if output is not None:
        check_kind(output, "a workbook (XLSX)", (".xlsx",))
        _named_as(output, "the workbook is XLSX", (".xlsx",), ".xlsx")
    say = _messages(lang)
    instance, solution, _ = _load(instance_path, solution_path, say=say)
    labels = _labels(lang, instance)
    path = output or _default_dir(instance) / "programme.xlsx"
    moment = _stamp(stamp, instance)
    _report(_write([xlsx_output(instance, solution, path, labels, moment, say)], "xlsx"), say)


@export_app.command("all")
def export_all(
    instance_path: InstanceArg,
    solution_path: SolutionArg,
    output: DirectoryOpt = None,
    items: ItemsOpt = False,
    lang: LangOpt = None,
    paper: PaperOpt = Paper.A4,
    reference: ReferenceOpt = None,
    keep_before: KeepBeforeOpt = None,
    stamp: StampOpt = None,
    refresh: RefreshOpt = None,
    png: Annotated[
        bool,
        typer.Option(
            "--png", help="Also grid.png, the first page only (needs Chromium); see --png-scale."
        ),
    ] = False,
    png_scale: PngScaleOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Every export into one directory: calendars, grid.html/.pdf, unscheduled.html/.pdf,
    programme.csv/.xlsx."""
    from scheduler.exports.grid import grid_outputs, unscheduled_outputs
    from scheduler.exports.ics import IcsOptions, ics_outputs
    from scheduler.exports.tables import csv_output, xlsx_output

    _a_directory(output, "every export")
    _a_png_to_scale(png_scale, png)
    _what_the_grid_needs(pdf=True, png=png)
    every = _refresh(refresh)
    started = time.perf_counter()
    say = _messages(lang)
    instance, solution, published = _load(instance_path, solution_path, reference, keep_before, say)
    labels = _labels(lang, instance)
    _note_an_earlier_publication(reference, published, say)
    moment = _stamp(stamp, instance)
    directory = output or _default_dir(instance)
    options = IcsOptions(lang=labels, items=items, stamp=moment, messages=say)
    if every is not None:
        options = replace(options, refresh=every)
    with _making(instance, quiet, say):
        calendars = ics_outputs(instance, solution, directory, options, published)
    grid = [directory / "grid.html", directory / "grid.pdf"]
    grid += [directory / "grid.png"] if png else []
    # the unscheduled proposals and why, the coordinators' file: the published grid
    # ended with them, who was turned down and when each speaker is available
    listed = [directory / "unscheduled.html", directory / "unscheduled.pdf"]
    tables = [directory / "programme.csv", directory / "programme.xlsx"]
    # every output checked before the grid's PDF and screenshot are made (seconds), and
    # none written until all are made: a bad one (a folder named grid.pdf) once failed
    # the export after the calendars and grid.html were replaced
    _check([c.path for c in calendars] + grid + listed + tables, "html")
    outputs = [calendars[0]]
    outputs += grid_outputs(
        instance,
        solution,
        *grid[:2],
        grid[2] if png else None,
        labels,
        paper.value,
        png_scale or 1.0,
        reference=_last(published),
        messages=say,
        list_file=listed[0].name,
        laying_out=_laying_out(quiet, say),
    )
    outputs += unscheduled_outputs(
        instance,
        solution,
        *listed,
        labels,
        paper.value,
        _last(published),
        say,
        _laying_out(quiet, say),
    )
    outputs.append(csv_output(instance, solution, tables[0], labels, say))
    outputs.append(xlsx_output(instance, solution, tables[1], labels, moment, say))
    written = _write(outputs + calendars[1:], "html", quiet, say)
    _report(written[: len(outputs)], say)
    seconds = f"{time.perf_counter() - started:.1f}"
    files = (
        f"{plural_fr(len(written), 'fichier')} en {seconds.replace('.', ',')}\u00a0s"
        if say == "fr"
        else f"{plural(len(written), 'file')} in {seconds}s"
    )
    separator = "\u00a0; " if say == "fr" else "; "
    console.print(
        _more_calendars(len(calendars) - 1, directory, say) + separator + files, markup=False
    )
    _note_left(written[len(outputs) :], say)
    _note_stale(directory, written, say)


def _a_png_to_scale(scale: float | None, png: bool) -> None:
    """Refuse --png-scale where no PNG is written: the scale would be dropped without a
    word, and the coordinator left looking for a picture."""
    if scale is not None and not png:
        raise typer.BadParameter(
            "scales the PNG of the grid, and none is asked: add --png", param_hint="--png-scale"
        )


def _what_the_grid_needs(pdf: bool, png: bool) -> None:
    """WeasyPrint's libraries for a PDF, a Chromium for a PNG: checked before anything is
    made, so that a missing one is said at once, and nothing written (`export all` is
    not left half done, with the calendars new and the PDFs of another day)."""
    if pdf:
        from scheduler.exports.grid import load_weasyprint

        load_weasyprint()
    if png:
        from scheduler.exports.browser import chromium

        chromium()


def _note_left(calendars: list[Written], say: str = "en") -> None:
    """The room's or theme's calendars that hold a workshop which left them since a
    published version, written as it is now: said, since whoever follows the calendar
    may wonder why it is there. (A speaker's calendar has its own UIDs and cancels what
    she left; under the workshops' identity rule, only a workshop edited by hand into a
    slot beside another leaves a room's or theme's. Told by the count the exporter
    gives, not by the words of its account.)"""
    left = [f"{c.path.parent.name}/{c.path.name}" for c in calendars if c.left]
    one = len(left) == 1
    if left and say == "fr":
        err.print(
            f"{NOTE[say]}{plural_fr(len(left), 'calendrier')} "
            f"{'contient' if one else 'contiennent'} un atelier qui "
            f"{'l' if one else 'les'}'a quitté{'' if one else 's'} depuis une version publiée, "
            "tel qu'il est maintenant (sa SEQUENCE relevée), pour qu'un client qui "
            f"{'l' if one else 'les'}'a importé{'' if one else 's'} mette l'événement à jour "
            f"plutôt que de le garder tel que publié\u00a0: {first_of(left, 5, MORE_FR)}",
            markup=False,
            highlight=False,
        )
    elif left:
        err.print(
            f"{NOTE[say]}{plural(len(left), 'calendar')} {'holds' if one else 'hold'} "
            f"a workshop that left {'it' if len(left) == 1 else 'them'} since a published "
            "version, as it is now (its SEQUENCE raised), so that a client that imported "
            f"{'it' if len(left) == 1 else 'them'} updates the event "
            f"rather than keeping it as published: {first_of(left, 5)}",
            markup=False,
            highlight=False,
        )


def _note_stale(directory: Path, written: list[Written], say: str = "en") -> None:
    """The calendars of an earlier export in the folder, not written again (a speaker no
    longer scheduled) and still confirmed: named, since uploading the folder publishes
    them as they were."""
    from scheduler.exports.ics import stale_calendars

    stale = [
        f"{p.parent.name}/{p.name}" for p in stale_calendars(directory, [w.path for w in written])
    ]
    one = len(stale) == 1
    if stale and say == "fr":
        published, rewritten = (
            ("s'il a été publié", "qu'il soit réécrit")
            if one
            else ("s'ils ont été publiés", "qu'ils soient réécrits")
        )
        err.print(
            f"{NOTE[say]}{plural_fr(len(stale), 'calendrier')} de {directory} "
            f"{'vient' if one else 'viennent'} d'un export antérieur, "
            f"{'non réécrit' if one else 'non réécrits'} par celui-ci, avec des événements "
            f"encore confirmés\u00a0: {first_of(stale, 5, MORE_FR)}\u00a0; {published}, "
            "donnez chaque solution publiée (--reference V1.json --reference V2.json ..., "
            f"de la plus ancienne à la plus récente) pour {rewritten} avec ces événements "
            f"annulés, sinon {'supprimez-le' if one else 'supprimez-les'}",
            markup=False,
            highlight=False,
        )
    elif stale:
        are = "is" if one else "are"
        err.print(
            f"{NOTE[say]}{plural(len(stale), 'calendar')} in {directory} {are} "
            "from an earlier export, not written by this one, with events still confirmed: "
            f"{first_of(stale, 5)}; if they were published, give every published "
            "solution (--reference V1.json --reference V2.json ..., oldest first) so that they "
            "are written again with those events cancelled, otherwise delete them",
            markup=False,
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    """Add the `export` command group to the main CLI."""
    app.add_typer(export_app, name="export")
