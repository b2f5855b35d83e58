"""Command line: `scheduler solve | validate | schema | ...` (also `python -m scheduler`).

Exit codes: 0 done, 1 no schedule (or one placing no proposal) or an invalid solution,
2 bad input, 3 a solver library crashed twice, 130 interrupted, 141 the output's reader
left (`| head`).
"""

from __future__ import annotations

import errno
import importlib
import inspect
import json
import logging
import math
import shlex
import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from scheduler import guard
from scheduler.commands import LaidOutConsole, print_table
from scheduler.diff import ReportLanguage
from scheduler.errors import (
    BROKEN_PIPE,
    INTERRUPTED,
    InputError,
    OutputError,
    SchedulerError,
    unknown,
)
from scheduler.files import (
    check_kind,
    check_replaces,
    check_writable,
    is_stdout,
    names_a_folder,
    output_path,
    unwritable,
)
from scheduler.instance import Instance, Language, load_instance
from scheduler.reasons import FINDING, LENGTHS, RULE
from scheduler.rules import SOFT_RULES_FR
from scheduler.solution import Solution, check_instance, load_reference, load_solution
from scheduler.text import (
    LANGUAGE_EN,
    LANGUAGE_FR,
    MORE_FR,
    day_en,
    first_of,
    have_no_theme,
    held_marks,
    more_of,
    plural,
    plural_fr,
    timezone_assumed,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from scheduler.explain import Explanation
    from scheduler.keep import Kept
    from scheduler.solve import Progress

app = typer.Typer(
    name="scheduler",
    help="Compose and schedule participatory workshops: for any event, first for Commons "
    "AI 2026 at FOST.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


console = LaidOutConsole()
err = LaidOutConsole(stderr=True, soft_wrap=True)
MAX_SEED = 1_000_000_000
"""The largest `--seed`: CP-SAT's seeds are 32-bit, with room for the rounds added."""
MAX_SECONDS = 86_400.0
"""The longest time limit taken, a day: 'inf' (or 1e9) ran with no limit, and Ctrl-C,
the only way out, writes nothing."""


def _seconds(
    low: float, unit: str = "seconds", what: str = ""
) -> Callable[[float | None], float | None]:
    """The check of a limit in seconds (or `unit`), from `low` to a day. It is a callback,
    not the option's min and max: click's range check said 'nan' was "more than 86400",
    and some versions of typer take it (every comparison with it is false)."""

    def check(value: float | None) -> float | None:
        if value is not None and not low <= value <= MAX_SECONDS:
            said = "not a number" if math.isnan(value) else f"{value:g} {unit}"
            raise typer.BadParameter(
                f"{said}: give a number of {unit}{what} from {low:g} to {MAX_SECONDS:g}."
            )
        return value

    return check


def _print_version(wanted: bool) -> None:
    """`--version`: this package's version and the solvers' (what a bug report needs)."""
    if not wanted:
        return
    from importlib.metadata import PackageNotFoundError, version

    from scheduler import __version__

    def of(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "not installed"

    python = ".".join(map(str, sys.version_info[:3]))
    print(
        f"commons-scheduler {__version__} (OR-Tools {of('ortools')}, "
        f"HiGHS {of('highspy')}, Python {python})"
    )
    raise typer.Exit()


@app.callback()
def _options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version (with OR-Tools', HiGHS' and Python's) and exit.",
        ),
    ] = False,
) -> None:
    """Options before any command: `--version`."""


# Modules that add their own commands with `register(app)`; one line each.
_COMMAND_MODULES: tuple[str, ...] = (
    "scheduler.commands.export",
    "scheduler.commands.importer",
    "scheduler.commands.bench",
)


class ExitError(SchedulerError):
    """A user-facing failure with its own exit code."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.exit_code = code


PinOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--pin", help="Pin a proposal to a slot for this run: PROPOSAL=SLOT (repeatable)."
    ),
]


KeepBefore = Annotated[
    str | None,
    typer.Option(
        "--keep-before",
        metavar="DATETIME",
        help="With --reference, during the event: the published workshops that start "
        "before DATETIME (e.g. 2026-12-02T14:00, in the event's timezone, or `now`) keep "
        "their proposals, slot, theme and language (their timeline follows the current "
        "rules, but talks begun before DATETIME keep their published times where those "
        "still hold them; a slot closed, a speaker's absence or a talk's themes recorded since over "
        "them are waived there), and no other proposal goes before it; see docs/rules.md.",
    ),
]


@app.command()
def solve(
    instance_path: Annotated[
        Path, typer.Argument(metavar="INSTANCE", help="Instance YAML or JSON.")
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Solution file, or a folder when it ends in / (the file then "
            "<name>.json in it) \\[default: solutions/<name>.json].",
        ),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            callback=_seconds(0.01),
            help="Seconds for the whole solve (the relaxation, the model and the search), "
            "from 0.01 to 86400 (a day).",
        ),
    ] = 60.0,
    seed: Annotated[
        int,
        # (CP-SAT takes 32-bit seeds, and the block search adds its round to it:
        # 2**31 was a traceback)
        typer.Option("--seed", min=0, max=MAX_SEED, help="Random seed of the search."),
    ] = 0,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="CP-SAT's parallel workers (the relaxation's searches run in processes "
            "of their own).",
        ),
    ] = 2,
    reference: Annotated[
        Path | None,
        typer.Option("--reference", help="Published solution to stay close to (penalises moves)."),
    ] = None,
    keep_before: KeepBefore = None,
    pin: PinOpt = None,
    relaxation: Annotated[
        bool,
        typer.Option(
            "--relaxation/--no-relaxation",
            help="Also solve the aggregated relaxation (HiGHS): a lower bound, often an "
            "optimal schedule; see docs/solver.md.",
        ),
    ] = True,
    deterministic_time: Annotated[
        float | None,
        typer.Option(
            "--deterministic-time",
            callback=_seconds(0.01, "units of work", " (CP-SAT's deterministic time)"),
            help="Stop on work instead of the clock: this much CP-SAT deterministic time "
            "(and 20x as many HiGHS work units for the relaxation's searches). The same "
            "file on any machine and load; --time-limit is then a backstop. From 0.01 to "
            "86400.",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress line or summary.")
    ] = False,
    lang: Annotated[
        Language,
        typer.Option(
            "--lang",
            help="The summary's language: its words, days, theme labels, reasons, notes "
            "and progress line (errors stay in English).",
        ),
    ] = Language.EN,
) -> None:
    """Compose workshops, place them in slots, and write the solution file."""
    from scheduler.solve import SolveOptions
    from scheduler.solve import solve as run_solver

    instance = load_instance(instance_path)
    if not instance.proposals:
        # (a schedule of nothing was written with exit 0, over the old file, and `solve
        # && export` published empty calendars, as `places_none` stops for the others)
        raise InputError(
            instance_path,
            None,
            "proposals",
            "no proposal to schedule: add the accepted proposals (`scheduler import` reads "
            "them from the call's form answers, docs/import.md)",
        )
    assumed = timezone_assumed(instance, lang.value)
    if assumed is not None:
        err.print(NOTE[lang is Language.FR] + assumed, highlight=False, markup=False)
    pins = _apply_pins(instance, instance_path, pin, lang.value)
    published = None if reference is None else load_reference(reference, instance.name)
    kept_lines, moment, kept = _keep(
        instance, instance_path, reference, published, keep_before, lang.value, pins
    )
    if moment is None:
        from scheduler.keep import begun_warning

        kept_lines = begun_warning(published, lang.value)
    name = f"{instance.name}.json"
    target = output_path(output, name) or Path("solutions") / name
    # before the solve, not after it
    check_writable(target, {"instance": instance_path, "reference": reference})
    check_kind(target, "a solution (JSON)", (".json",))
    check_replaces(target, "solution", instance.name)
    named = output is not None and not names_a_folder(output)
    if reference is not None and not named and target.exists():
        # (the default file is most often the first published version, which every
        # later export needs for SEQUENCE: a re-solve without -o wrote over it, and
        # with `-o solutions/`, which names the same file)
        raise OutputError(
            target,
            "a re-solve (--reference) does not write over an existing solution unless -o "
            "names the file: it may be a published version, which the exports' --reference "
            f"needs; name the re-solve, e.g. -o solutions/{instance.name}-v2.json",
        )
    unwritten = unwritable(target)  # a folder it cannot create a file in: tried for real
    if unwritten is not None:
        raise OutputError(target, unwritten)
    if is_stdout(target):  # (the summary went into the JSON)
        console.file = sys.stderr
        plain_when_redirected()
    for line in kept_lines:
        # (a moment outside the event; a re-solve after the start without --keep-before)
        if not quiet or line.startswith((*NOTE, *WARNING)):
            err.print(line, highlight=False, markup=False)
    progress = None if quiet else _progress_printer(lang.value)
    solution = run_solver(
        instance,
        instance.source_hash,
        SolveOptions(
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            relaxation_bound=relaxation,
            deterministic_time=deterministic_time,
        ),
        progress=progress,
        reference=published,
    )
    if progress is not None and err.is_interactive:
        err.print()
    if not solution.has_schedule or places_none(instance, solution):
        if not quiet:
            print_summary(instance, solution, lang.value, published)
        _note_themeless(instance, instance_path, lang.value)
        _note_offsets(instance, lang.value)
        _note_unusable_slots(instance, lang.value)
        _note_kept_broken(instance, solution, kept, lang.value)
        # (the same problem, in the language asked)
        command = run_again("explain", instance_path, held=(reference, moment, pin), lang=lang)
        # (a schedule of no workshop was "status optimal", exit 0, and `solve && export`
        # published empty calendars: no schedule either, the old file kept)
        what = (
            f"no schedule found (status {solution.status.value})"
            if not solution.has_schedule
            else f"no proposal could be placed ({main_cause(instance, solution)})"
        )
        raise ExitError(f"{what}; nothing written. Run `{command}` for the reasons.", 1)
    broken = _checked(instance, solution, published, lang.value)
    solution.write(target)
    if not quiet:
        print_summary(instance, solution, lang.value, published)
    _note_themeless(instance, instance_path, lang.value)
    _note_offsets(instance, lang.value)
    _note_unusable_slots(instance, lang.value)
    _note_one_language(instance, solution, lang.value)
    if kept is not None and published is not None:
        from scheduler import keep

        for line in [
            *keep.anchored_lines(instance, published, solution, lang.value),
            *keep.short_notice(instance, published, solution, lang.value),
            *keep.retimed(kept, published, solution, lang.value),
        ]:
            err.print(line, highlight=False, markup=False)
    if solution.unscheduled and not quiet:
        # (how many could be placed at most: solve does not count it, explain does; a
        # file gone with the output, `-o /dev/stdout` or a pipe, is not named as one)
        words = EXPLAIN_WORDS[lang.value]
        kept_file = not is_stdout(target) and target.is_file()
        console.print(
            words[
                ("after solve" if kept_file else "after solve unnamed")
                + (" one" if len(solution.unscheduled) == 1 else "")
            ].format(
                left=len(solution.unscheduled),
                command=run_again(
                    "explain",
                    instance_path,
                    target if kept_file else words["solution"],
                    held=(reference, moment, pin),
                    lang=lang,
                ),
            ),
            highlight=False,
            markup=False,
        )
    console.print(("écrit\u00a0: {}" if lang is Language.FR else "wrote {}").format(target))
    if broken:
        raise ExitError(
            f"the schedule written breaks {', '.join(broken)}: a fault of the solver, "
            f"please report it with the instance; `scheduler validate {instance_path} "
            f"{target}` lists the violations",
            1,
        )


def run_again(
    command: str,
    *arguments: Path | str,
    held: tuple[Path | None, str | None, list[str] | None] = (None, None, None),
    lang: Language | None = None,
) -> str:
    """A `scheduler` command for the coordinator to run, as a shell reads it (each
    argument quoted where it needs it: a path with a space was printed as two), with
    the options `held` as this run was given them: `--reference` and `--keep-before`
    (the reference only with the moment, as it is read without it), then each `--pin`,
    and `--lang fr` when `lang` is French."""
    reference, moment, pins = held
    argv = ["scheduler", command, *(str(argument) for argument in arguments)]
    if moment is not None and reference is not None:
        argv += ["--reference", str(reference), "--keep-before", moment]
    for spec in pins or []:
        argv += ["--pin", spec]
    if lang is Language.FR:
        argv += ["--lang", "fr"]
    return shlex.join(argv)


def _checked(
    instance: Instance,
    solution: Solution,
    published: Solution | None,
    lang: str = "en",
) -> list[str]:
    """The solve's schedule checked by the independent validator before it is written:
    its objective made the validator's where the two differ (said on stderr), and the
    hard rules it breaks, if any (a fault of the solver: the file is still written, for
    the report, and the command fails)."""
    from scheduler.validate import check_claims
    from scheduler.validate import validate as run_validator

    report = run_validator(instance, solution, published, instance.source_hash)
    if report.objective != solution.objective or any(check_claims(solution, report, published)):
        # (CP-SAT once reported 1845 for a schedule costing 1815; see docs/solver.md)
        if report.objective != solution.objective:
            err.print(
                f"note\u00a0: le solveur annonçait {solution.objective}, le validateur compte "
                f"{report.objective}\u00a0: son compte est écrit"
                if lang == "fr"
                else f"note: the solver said {solution.objective}, the validator counts "
                f"{report.objective}: its count is written",
                highlight=False,
                markup=False,
            )
        solution.objective = report.objective
        solution.penalties = report.penalties()
        if solution.bound is not None and solution.bound > solution.objective:
            solution.bound = solution.objective
        # (a feasible schedule whose bound the count reaches was written feasible, which
        # `validate` then refused)
        solution.settle_status()
    return sorted({v.rule for v in report.violations if v.rule != "objective"})


NOTE = ("note: ", "note\u00a0: ")
WARNING = ("warning: ", "avertissement\u00a0: ")
RULES_OUT_FR = {True: "l'exclut", False: "les exclut"}
KEPT_FR = {True: "conservé tel que publié", False: "conservés tels que publiés"}
"""How a note starts, in English and in French."""


def _say_kept(lines: list[str], lang: str = "en") -> None:
    """What `--keep-before` held, each line a note (those that are one already, a moment
    outside the event, not prefixed twice: they read "note: note:")."""
    for line in lines:
        said = line if line.startswith(NOTE) else f"{NOTE[lang == 'fr']}{line}"
        err.print(said, highlight=False, markup=False)


def _note_unusable_slots(instance: Instance, lang: str = "en") -> None:
    """Slots that stay empty whatever the schedule (a slot's end typed wrong, a fixed
    theme no proposal has): said once, with the reason, since the grid only shows them
    empty."""
    from scheduler.candidates import unusable_slots

    unusable = unusable_slots(instance, lang)
    if unusable:
        shown = [f"{slot} ({why})" for slot, why in unusable]
        one = len(unusable) == 1
        err.print(
            f"note\u00a0: {plural_fr(len(unusable), 'créneau', 'créneaux')} ne "
            f"{'peut' if one else 'peuvent'} accueillir aucun atelier et "
            f"{'reste' if one else 'restent'} vide{'' if one else 's'}\u00a0: "
            f"{first_of(shown, 5, MORE_FR)}"
            if lang == "fr"
            else f"note: {plural(len(unusable), 'slot')} can hold no workshop and "
            f"{'stays' if one else 'stay'} empty: {first_of(shown, 5)}",
            highlight=False,
            markup=False,
        )


def _note_kept_broken(
    instance: Instance, solution: Solution, kept: Kept | None, lang: str = "en"
) -> None:
    """Members of kept workshops that no schedule can hold where they were given: a rule
    changed since (fewer initiatives allowed, a longer least participatory time) that
    their workshop breaks. Say that a kept workshop still holds every hard rule but what
    `keep.keep_before` waives (its slot closed, its speakers' windows, its members'
    themes and language), and what to do (docs/rules.md). Not for a workshop left short
    of a member withdrawn since: the summary of what was kept says so, and what to do
    (this note blamed "a rule tightened since")."""
    out = {entry.proposal for entry in solution.unscheduled}
    short = set(kept.short) if kept is not None else set()
    held = [
        p
        for p in instance.proposals
        if p.id in out and p.pin is not None and p.pin in instance.begun and p.pin not in short
    ]
    if not held:
        return
    slots = list(dict.fromkeys(p.pin for p in held if p.pin is not None))
    one = len(held) == 1
    if lang == "fr":
        err.print(
            f"note\u00a0: {first_of([p.id for p in held], 5, MORE_FR)} "
            f"{'a été présentée' if one else 'ont été présentées'} dans "
            f"{first_of(slots, 5, MORE_FR)}, {KEPT_FR[len(slots) == 1]}, là où l'instance telle "
            f"qu'elle est {RULES_OUT_FR[one]}\u00a0: un atelier conservé "
            "doit encore respecter toutes les règles strictes, sauf celles qu'il tient de son "
            "passé (son créneau fermé depuis, les disponibilités de ses intervenant·es, les "
            "thèmes et la langue de ses membres). "
            f"Annulez le changement qui {RULES_OUT_FR[one]} (une règle resserrée depuis\u00a0: moins "
            "d'interventions permises, un temps participatif minimal plus long)\u00a0; voir "
            "docs/rules.md",
            highlight=False,
            markup=False,
        )
        return
    err.print(
        f"note: {first_of([p.id for p in held], 5)} {'was' if len(held) == 1 else 'were'} "
        f"given in {first_of(slots, 5)}, kept as published, where the instance as it "
        f"stands now rules {'it' if len(held) == 1 else 'them'} out: a kept workshop must "
        "still hold every hard rule but those its past sets aside (its slot closed since, its "
        "speakers' windows, its members' themes and language). Undo the change that rules it "
        "out (a rule tightened "
        "since: fewer talks allowed, a longer least participatory time); see docs/rules.md",
        highlight=False,
        markup=False,
    )


def _note_themeless(instance: Instance, instance_path: Path, lang: str = "en") -> None:
    """Proposals without a theme (an import, before `themes --apply`) are never placed:
    a workshop's theme is one its proposals share. Say so once, with the remedy."""
    themeless = sum(1 for p in instance.proposals if not p.themes)
    if themeless:
        err.print(
            f"note\u00a0: {have_no_theme(themeless, 'fr')} (le thème d'un atelier est un "
            f"thème que ses propositions partagent)\u00a0: lancez `scheduler themes "
            f"{instance_path} --apply` ou attribuez les thèmes à la main"
            if lang == "fr"
            else f"note: {have_no_theme(themeless)} (a workshop's theme is one its proposals "
            f"share): run `scheduler themes {instance_path} --apply` or assign themes by hand",
            markup=False,
        )


def _note_one_language(instance: Instance, solution: Solution, lang: str = "en") -> None:
    """Where every proposal is in one language, any two workshops at the same time share
    it: `parallel-language` is paid on each such pair and no schedule can help it (25 of
    an objective of 30 for a two-room English event, more than its real costs). Say so,
    and how to leave the rule out; the model stays as it is."""
    languages = {p.language for p in instance.proposals}
    cost = solution.penalty_totals().get("parallel-language", 0)
    if len(languages) != 1 or not cost:
        return
    [language] = languages
    err.print(
        f"note\u00a0: toutes les propositions sont en {LANGUAGE_FR[language]}\u00a0: les "
        f"{cost} de parallel-language ne peuvent être évités (deux ateliers en même temps "
        "partagent toujours la langue)\u00a0; mettez rules.weights.parallel-language: 0 "
        "pour ne plus les compter"
        if lang == "fr"
        else f"note: every proposal is in {LANGUAGE_EN[language]}: parallel-language's {cost} "
        "cannot be avoided (two workshops at the same time always share the language); set "
        "rules.weights.parallel-language: 0 to leave it out",
        highlight=False,
        markup=False,
    )


def _note_offsets(instance: Instance, lang: str = "en") -> None:
    """Slots written with an offset that is not the event's timezone's on their day
    (`+02:00` in December, a summer habit or a copy from another event): taken as
    written, as documented, so an hour off the time typed; said, with the remedy."""
    zone = instance.event.tz
    odd = [
        slot
        for slot in instance.slots
        if any(m.utcoffset() != m.astimezone(zone).utcoffset() for m in (slot.start, slot.end))
    ]
    if not odd:
        return
    fr = lang == "fr"
    one = len(odd) == 1
    shown = [
        f"{slot.id} ({'de' if fr else 'from'} {slot.start.isoformat(timespec='minutes')[11:]} "
        f"{'à' if fr else 'to'} {slot.end.isoformat(timespec='minutes')[11:]}, "
        f"{'soit' if fr else 'that is'} {instance.local(slot.start):%H:%M}–"
        f"{instance.local(slot.end):%H:%M} {'sur place' if fr else 'there'})"
        for slot in odd
    ]
    named = first_of(shown, 5, MORE_FR if fr else "and {} more")
    timezone = instance.event.timezone
    err.print(
        f"note\u00a0: {plural_fr(len(odd), 'créneau', 'créneaux')} "
        f"{'est écrit' if one else 'sont écrits'} avec un décalage UTC qui n'est pas celui "
        f"du fuseau {timezone} ce jour-là\u00a0; {'il est lu tel' if one else 'ils sont lus tels'}"
        f" qu'écrit{'' if one else 's'}\u00a0: {named}\u00a0; une heure écrite sans décalage est "
        f"lue dans le fuseau {timezone}\u00a0: retirez le décalage pour garder l'heure tapée"
        if fr
        else f"note: {plural(len(odd), 'slot')} {'is' if one else 'are'} written at a UTC "
        f"offset that is not {timezone}'s on {'its' if one else 'their'} day, and "
        f"{'is' if one else 'are'} read as written: {named}; a time written without an "
        f"offset is read in {timezone}: drop the offset to keep the time typed",
        markup=False,
        highlight=False,
    )


def _keep(
    instance: Instance,
    instance_path: Path,
    reference: Path | None,
    published: Solution | None,
    keep_before: str | None,
    lang: str = "en",
    pins: dict[str, str] | None = None,
) -> tuple[list[str], str | None, Kept | None]:
    """Apply `--keep-before`: hold the published workshops that have begun. Returns what
    was held (in words, then as `Kept`), and the moment as a later command can repeat it
    (`now` as its time). A `--pin` (`pins`) of a talk given before the moment elsewhere is
    bad input: it was dropped for the talk as given, with a note blaming the instance's
    pin, and `validate` with the same `--pin` said every rule held."""
    if keep_before is None:
        return [], None, None
    from scheduler import keep

    if reference is None or published is None:
        raise InputError(instance_path, keep.OPTION, None, "needs --reference PUBLISHED.json")
    moment = keep.parse_moment(instance, instance_path, keep_before)
    kept = keep.keep_before(instance, published, reference, moment, instance_path)
    for proposal_id in kept.repinned:
        if proposal_id in (pins or {}):
            given_in = instance.proposal_by_id[proposal_id].pin
            raise InputError(
                instance_path,
                "option --pin",
                None,
                f"--pin {proposal_id}={pins[proposal_id]}: {proposal_id} was given in "
                f"{given_in} before {keep.moment_label(instance, moment)}, where it stays (a "
                "talk given does not move); drop that --pin, or give an earlier --keep-before",
            )
    if keep_before.strip().lower() == keep.NOW:
        keep_before = moment.replace(tzinfo=None).isoformat(timespec="seconds")
    return keep.summary(instance, kept, moment, lang), keep_before, kept


def _apply_pins(
    instance: Instance, path: Path, specs: list[str] | None, lang: str = "en"
) -> dict[str, str]:
    """Apply the `--pin PROPOSAL=SLOT` options given on the command line; returns them."""
    given: dict[str, str] = {}
    for spec in specs or []:
        proposal_id, sep, slot_id = spec.partition("=")
        proposal_id, slot_id = proposal_id.strip(), slot_id.strip()
        if not sep or not proposal_id or not slot_id:
            raise InputError(path, "option --pin", None, f"expected PROPOSAL=SLOT, got {spec!r}")
        if proposal_id not in instance.proposal_by_id:
            raise InputError(
                path,
                "option --pin",
                None,
                unknown("proposal", proposal_id, instance.proposal_by_id),
            )
        if slot_id not in instance.slot_by_id:
            raise InputError(
                path, "option --pin", None, unknown("slot", slot_id, instance.slot_by_id)
            )
        if given.get(proposal_id, slot_id) != slot_id:
            # two slots for one proposal is a typo to report, not a choice to make
            raise InputError(
                path,
                "option --pin",
                None,
                f"{proposal_id} pinned to both {given[proposal_id]} and {slot_id}",
            )
        given[proposal_id] = slot_id
        proposal = instance.proposal_by_id[proposal_id]
        if proposal.pin not in (None, slot_id):
            # (it replaced the file's pin without a word: the opening keynote moved)
            err.print(
                f"note\u00a0: --pin {proposal_id}={slot_id} remplace l'épinglage du fichier {path}, "
                f"{proposal_id}={proposal.pin}, pour cette exécution"
                if lang == "fr"
                else f"note: --pin {proposal_id}={slot_id} replaces the pin in {path}, "
                f"{proposal_id}={proposal.pin}, for this run",
                highlight=False,
                markup=False,
            )
        proposal.pin = slot_id
    return given


PROGRESS_WORDS = {
    "en": ("best", "bound", "gap", "s", "%", "."),
    "fr": ("meilleur", "borne", "écart", "\u00a0s", "\u00a0%", ","),
}
"""The progress line's words, units and decimal mark, in English and French."""


HEARTBEAT_SECONDS = 5.0
"""Piped, the progress line is printed again after this many seconds without a line when
the solve says it is still searching (the block search, after each of its solves): a
278-proposal re-solve printed nothing from 0.9 s to 24.6 s and looked stuck."""


def _progress_printer(lang: str = "en") -> Progress:
    best_word, bound_word, gap_word, seconds, percent, mark = PROGRESS_WORDS[lang]
    best: dict[str, float | None] = {"objective": None, "bound": None}
    shown: list[tuple[float | None, float | None]] = []  # piped: the last line's values
    printed = [-math.inf]  # piped: when the last line was printed

    def report(elapsed: float, objective: float | None, bound: float | None) -> None:
        if objective is not None:
            best["objective"] = (
                objective if best["objective"] is None else min(best["objective"], objective)
            )
        if bound is not None:
            # The finder and the prover both report bounds: show the best one.
            best["bound"] = bound if best["bound"] is None else max(best["bound"], bound)
        obj, bnd = best["objective"], best["bound"]
        gap = ""
        if obj is not None and bnd is not None:
            ratio = f"{100 * abs(obj - bnd) / max(1.0, abs(obj)):5.1f}".replace(".", mark)
            gap = f"  {gap_word} {ratio}{percent}"
        clock = f"{elapsed:6.1f}".replace(".", mark)
        line = (
            f"  {clock}{seconds}  {best_word} {'-' if obj is None else f'{obj:.0f}':>8}"
            f"  {bound_word} {'-' if bnd is None else f'{bnd:.0f}':>8}{gap}"
        )
        if err.is_interactive:  # (a terminal, unless TTY_INTERACTIVE=0)
            err.file.write("\r" + line)
            err.file.flush()
        elif objective is not None and (
            not shown or shown[-1] != (obj, bnd) or elapsed - printed[0] >= HEARTBEAT_SECONDS
        ):
            # a line per better schedule or bound with it, not per schedule found (the
            # finder's first ones may be worse than the greedy schedule shown already),
            # and the same again after `HEARTBEAT_SECONDS` without one
            shown.append((obj, bnd))
            printed[0] = elapsed
            err.print(line, highlight=False)

    return report


SUMMARY_WORKSHOPS = 60
"""Above this many workshops the summary gives a line per day instead of their tables."""
SHORT_ID = 8
"""Ids up to this long share a line in the summary's tables (p01*, p16, p17). A summary
with longer ones (an imported instance's, p-souverainete-numerique-e535b7) lists its
workshops instead, each proposal on a line of its own with its title: in the table they
were broken mid-id over three lines, with no title to tell the talks apart."""
SUMMARY_UNSCHEDULED = 10
"""Unscheduled proposals the summary shows with their reasons (the file has them all)."""


SUMMARY_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "status": "status",
        "objective": "objective",
        "bound": "bound",
        "gap": "gap",
        "placed": "{placed} of {proposals} placed in {workshops}",
        "none": "no schedule for the {proposals}",
        "placed none": "No proposal could be placed: {cause}",
        "day": "  {day}: {workshops} in {rooms}",
        "whole": "  (the whole programme: `scheduler export csv` or `grid` INSTANCE SOLUTION)",
        "columns": "time,room,theme,lang,proposals",
        "keynote": "(* keynote)",
        "published": "published",
        "unscheduled": "Unscheduled",
        "unplaceable": "Cannot be placed as asked",
        # (an unpinned proposal with no slot, listed with the pin, read as a second block)
        "anyway": "Left out anyway ({count}), with no slot they could go to: they do not "
        "stop a schedule",
        "anyway one": "Left out anyway (1), with no slot it could go to: it does not stop a "
        "schedule",
        "more": "  {more}{where}",
        # (explain writes no file: its "and 9 more" pointed nowhere)
        "where explained": ": `solve` writes each with its reasons in the solution file",
        # (the JSON was the only place named: the grid's last pages read better; and
        # `explain`, for what no schedule can avoid)
        # (not explain, without its arguments: the summary's last line gives its command)
        # (the published grid no longer ends with them: the option, or `export all`'s
        # unscheduled.html)
        "each slot": "  (every slot's reason: in the solution file and the grid, `scheduler export "
        "grid --unscheduled`)",
        "penalties": "Penalties by rule",
        "terms": "{count} term{s}",
        "proposal": "proposal",
        "workshop": "workshop",
        "room": "room",
    },
    "fr": {
        "status": "statut",
        "objective": "objectif",
        "bound": "borne",
        "gap": "écart",
        "placed": "{placed} sur {proposals} placées dans {workshops}",
        "none": "aucun programme pour les {proposals}",
        "placed none": "Aucune proposition n'a pu être placée\u00a0: {cause}",
        "day": "  {day}\u00a0: {workshops} dans {rooms}",
        "whole": "  (tout le programme\u00a0: `scheduler export csv` ou `grid` INSTANCE SOLUTION)",
        "columns": "heure,salle,thème,langue,propositions",
        "keynote": "(* keynote)",
        "published": "publiée",
        "unscheduled": "Non programmées",
        "unscheduled one": "Non programmée",
        # (« Ne peuvent être placées (1) », « elles » of one proposal, and « n'empêchent
        # pas un programme », a calque of "do not stop a schedule")
        "unplaceable": "Ne peuvent être placées comme demandé",
        "unplaceable one": "Ne peut être placée comme demandé",
        "anyway": "Laissées de côté de toute façon ({count}), faute de créneau "
        "possible\u00a0: elles n'empêchent pas d'établir un programme",
        "anyway one": "Laissée de côté de toute façon (1), faute de créneau possible\u00a0: "
        "elle n'empêche pas d'établir un programme",
        "more": "  {more}{where}",
        "where explained": "\u00a0: `solve` les écrit, chacune avec ses raisons, dans le "
        "fichier de solution",
        "each slot": "  (la raison de chaque créneau\u00a0: dans le fichier de solution et la "
        "grille, `scheduler export grid --unscheduled`)",
        "penalties": "Pénalités par règle",
        "terms": "{count} occurrence{s}",
        "proposal": "proposition",
        "workshop": "atelier",
        "room": "salle",
    },
}
"""The words of `solve`'s summary, in English and French (`solve --lang`)."""
STATUS_WORDS = {"fr": {"optimal": "optimal", "feasible": "réalisable, non prouvé optimal",
                       "infeasible": "infaisable", "unknown": "inconnu"}}  # fmt: skip


def _print_item(text: str, hanging: int | None = None) -> None:
    """A list item ("  - …"), wrapped to the console's width under its own text (a
    hanging indent, or `hanging` spaces), at spaces only: rich wrapped reasons back to
    the first column, and at no-break spaces too (« Confiance », 45 min)."""
    if not console.is_terminal:  # (a file: a line per item, as `plain_when_redirected`)
        console.print(text, highlight=False, markup=False, soft_wrap=True)
        return
    stripped = text.lstrip(" ")
    lead = len(text) - len(stripped)
    indent = " " * (lead + (2 if stripped.startswith("- ") else 0))
    if hanging is not None:
        indent = " " * hanging
    # (no line starts with « ? ! : ; » »: a title's "open source ?" put "? »" alone)
    text = held_marks(text)
    lines = textwrap.wrap(
        text,
        width=max(40, console.width),
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    console.print("\n".join(lines) or text, highlight=False, markup=False, soft_wrap=True)


def _quoted(title: str, lang: str) -> str:
    """A title between guillemets in French, curly quotes in English, as `diff` and the
    calendars quote titles (repr's quotes changed with the apostrophes)."""
    return f"«\u00a0{title}\u00a0»" if lang == "fr" else f"“{title}”"


LANGUAGE_WORDS = {"en": {}, "fr": {"mixed": "mixte"}}
"""A workshop's language as the summary gives it: its code, or mixed."""


def _print_workshops(instance: Instance, day: str, workshops: list, lang: str) -> None:
    """A day's workshops as a list, where proposal ids are long: a line per workshop
    (its times, room, theme and language), then a line per proposal, its id whole, its
    keynote mark and its title, wrapped under the id."""
    console.print(f"[italic]{escape(day)}[/]", highlight=False)
    for w in workshops:
        language = LANGUAGE_WORDS[lang].get(w.language, w.language)
        room, theme = instance.room_by_id[w.room].name, instance.theme_by_id[w.theme]
        # (the language kept with the theme's last word, as the calendars' [FR])
        _print_item(
            f"  {w.start:%H:%M}\u2013{w.end:%H:%M}  {room} · {theme.label.get(lang)}\u00a0[{language}]",
            hanging=15,
        )
        for p in w.proposals:
            proposal = instance.proposal_by_id[p]
            mark = "*" if proposal.is_keynote else ""
            _print_item(f"    {p}{mark} {_quoted(proposal.title, lang)}", hanging=6)


def _print_unplaced(
    instance: Instance, reasons_of: dict[str, list[str]], where: str = "", lang: str = "en"
) -> None:
    """The first `SUMMARY_UNSCHEDULED` proposals with their titles and reasons (in
    `lang`), then how many more (`where` says where those are)."""
    from scheduler.reasons import translate

    for proposal_id, reasons in list(reasons_of.items())[:SUMMARY_UNSCHEDULED]:
        quoted = _quoted(instance.proposal_by_id[proposal_id].title, lang)
        console.print(f"  {proposal_id} {quoted}", highlight=False, markup=False)
        for reason in reasons:
            with _themes_by_label(instance):
                said = translate(reason, lang) if lang != "en" else reason
            _print_item(f"    - {said}")
    more = len(reasons_of) - SUMMARY_UNSCHEDULED
    if more > 0:
        said = more_of(more, MORE_FR if lang == "fr" else "and {} more")  # (« et 1 autre »)
        console.print(SUMMARY_WORDS[lang]["more"].format(more=said, where=where))


def _print_gists(
    instance: Instance,
    reasons_of: dict[str, list[str]],
    lang: str,
    published: set[str],
    written: bool = True,
) -> None:
    """The first `SUMMARY_UNSCHEDULED` proposals, each with its title and its reasons in
    one line (`reasons.gist`: how many slots each cause rules out), then how many more
    and where each slot's reason is. (Each reason with its slots made ~450 lines for
    ten proposals at 84 slots, a slot-by-slot account nobody could act on.) Those the
    published programme placed (`published`, a re-solve's reference) say so: their
    speakers were told, and a re-solve leaving one out is what a coordinator checks first.
    Not `written` (a schedule placing no proposal), no line pointing to the file."""
    from scheduler.reasons import gist

    words = SUMMARY_WORDS[lang]
    for proposal_id, reasons in list(reasons_of.items())[:SUMMARY_UNSCHEDULED]:
        proposal = instance.proposal_by_id[proposal_id]
        marks = ["keynote"] * proposal.is_keynote + [words["published"]] * (
            proposal_id in published
        )
        mark = f" ({', '.join(marks)})" if marks else ""
        _print_item(f"  {proposal_id}{mark} {_quoted(proposal.title, lang)}", hanging=4)
        with _themes_by_label(instance):
            said = gist(reasons).worded(lang)
        _print_item(f"    {said}", hanging=6)
    more = len(reasons_of) - SUMMARY_UNSCHEDULED
    if more > 0:
        said = more_of(more, MORE_FR if lang == "fr" else "and {} more")
        console.print(f"  {said}", highlight=False, markup=False)
    if written:
        _print_item(words["each slot"], hanging=3)


def places_none(instance: Instance, solution: Solution) -> bool:
    """Whether a schedule leaves every proposal of `instance` out (it has some)."""
    return solution.has_schedule and bool(instance.proposals) and not solution.workshops


def main_cause(instance: Instance, solution: Solution, lang: str = "en") -> str:
    """Why the proposals `solution` leaves out are out, in brief and in `lang`: the cause
    most of them give first (`reasons.gist`: a reason naming no slot, as "no theme
    assigned to the proposal", or the cause ruling out most of their slots), and for how
    many: "for all 25, no theme assigned to the proposal"."""
    from collections import Counter

    from scheduler.reasons import GIST_CAUSES, gist, translate

    causes: Counter[str] = Counter()
    with _themes_by_label(instance):
        for entry in solution.unscheduled:
            brief = gist(entry.reasons)
            if brief.whole:  # (it rules out every slot: no theme, a pin elsewhere)
                cause = brief.whole[0] if lang == "en" else translate(brief.whole[0], lang)
            elif brief.counts:
                english, french = GIST_CAUSES[brief.counts[0][0]]
                cause = (
                    f"surtout des créneaux {french.format(s='s')}"
                    if lang == "fr"
                    else f"slots ruled out chiefly as: {english}"
                )
            else:
                continue
            causes[cause] += 1
    if not causes:
        return "sans raison enregistrée" if lang == "fr" else "no reason recorded"
    (cause, count), total = causes.most_common(1)[0], len(solution.unscheduled)
    if total == 1:
        return cause
    if count == total == 2:
        return f"pour les deux, {cause}" if lang == "fr" else f"for both, {cause}"
    if count == total:
        return f"pour les {total}, {cause}" if lang == "fr" else f"for all {total}, {cause}"
    return (
        f"pour {count} des {total}, {cause}"
        if lang == "fr"
        else f"for {count} of the {total}, {cause}"
    )


def print_summary(
    instance: Instance, solution: Solution, lang: str = "en", published: Solution | None = None
) -> None:
    """Workshops per day and room, unscheduled proposals with reasons (the most important
    first, `by_importance`: `published` is the reference), penalties by rule, in English
    or French (the French coordinators read the grid in French: its theme labels and
    days, not the English ones, are theirs)."""
    from scheduler.exports.common import by_importance, day_label
    from scheduler.solve import left_out_anyway

    words = SUMMARY_WORDS[lang]

    def count(n: int, noun: str) -> str:
        return f"{n} {words[noun]}{'s' if n != 1 else ''}"

    def decimal(number: float, digits: int, unit: str) -> str:
        # (French: a decimal comma, a no-break space before the unit)
        text = f"{number:.{digits}f}{unit}"
        return text if lang == "en" else text.replace(".", ",").replace(unit, f"\u00a0{unit}")

    status = STATUS_WORDS.get(lang, {}).get(solution.status.value, solution.status.value)
    colon = ":" if lang == "en" else "\u00a0:"
    head = f"[bold]{escape(instance.event.title)}[/]{colon} {words['status']} [bold]{status}[/]"
    if solution.objective is not None:
        gap = ""
        if solution.bound is not None and solution.objective:
            ratio = 100 * (solution.objective - solution.bound) / solution.objective
            gap = f", {words['gap']} {decimal(ratio, 1, '%')}"
        head += (
            f", {words['objective']} {solution.objective}, {words['bound']} {solution.bound}{gap}"
        )
    head += f", {decimal(solution.seconds, 2, 's')}"
    console.print(head)
    placed = sum(len(w.proposals) for w in solution.workshops)
    proposals = count(len(instance.proposals), "proposal")
    if solution.has_schedule:
        workshops = count(len(solution.workshops), "workshop")
        console.print(
            words["placed"].format(placed=placed, proposals=proposals, workshops=workshops)
        )
        if places_none(instance, solution):
            cause = main_cause(instance, solution, lang)
            console.print(f"[bold]{escape(words['placed none'].format(cause=cause))}[/]")
    else:
        # ("0 of 36 placed", then "Unscheduled (1)", read as two counts that disagree)
        console.print(words["none"].format(proposals=proposals))
    days: dict[str, list] = {}
    for workshop in solution.workshops:
        local = instance.local(workshop.start)
        day = day_en(local.date()) if lang == "en" else day_label(local.date(), lang, year=False)
        days.setdefault(day, []).append(workshop)
    if len(solution.workshops) > SUMMARY_WORKSHOPS:
        # a table row per workshop made 1,300 lines at 2000 proposals: a line per day
        for day, workshops in days.items():
            rooms = len({w.room for w in workshops})
            console.print(
                words["day"].format(
                    day=day,
                    workshops=count(len(workshops), "workshop"),
                    rooms=count(rooms, "room"),
                )
            )
        console.print(words["whole"])
        days = {}
    listed = any(len(p) > SHORT_ID for w in solution.workshops for p in w.proposals)
    for day, workshops in days.items():
        if listed:
            _print_workshops(instance, day, workshops, lang)
            continue
        table = Table(title=day, title_justify="left", show_lines=False)
        *columns, last = words["columns"].split(",")
        for column in columns:
            table.add_column(column)
        # (never cut, rich's default: folded where the column is narrower)
        table.add_column(last, overflow="fold")
        for w in workshops:
            names = ", ".join(
                f"{p}{'*' if instance.proposal_by_id[p].is_keynote else ''}" for p in w.proposals
            )
            table.add_row(
                f"{w.start:%H:%M}\u2013{w.end:%H:%M}",
                Text(instance.room_by_id[w.room].name),
                Text(instance.theme_by_id[w.theme].label.get(lang)),
                LANGUAGE_WORDS[lang].get(w.language, w.language),
                names,
            )
        print_table(console, table)
    if days:
        console.print(words["keynote"])
    anyway = left_out_anyway(instance, solution)  # (no schedule: those not blocking it)
    if solution.unscheduled:
        reasons = {entry.proposal: entry.reasons for entry in solution.unscheduled}
        ordered = by_importance(instance, reasons, published)
        blocking = "unscheduled" if solution.has_schedule else "unplaceable"
        for key, chosen in (
            (blocking, [p for p in ordered if p not in anyway]),
            ("anyway", [p for p in ordered if p in anyway]),
        ):
            if not chosen:
                continue
            heading = words.get(f"{key} one", words[key]) if len(chosen) == 1 else words[key]
            if key != "anyway":
                heading += " ({count})"
            console.print(f"[bold]{escape(heading.format(count=len(chosen)))}[/]")
            reasons_of = {p: reasons[p] for p in chosen}
            if solution.has_schedule:
                placed = set() if published is None else set(published.workshop_of())
                # (no workshop, no file written: the error after it says to run `explain`)
                _print_gists(
                    instance, reasons_of, lang, placed, written=not places_none(instance, solution)
                )
            else:
                # (no schedule, no file: every reason here, the error after it says to run
                # `explain`; a few, the candidates' own, not a slot-by-slot account)
                _print_unplaced(instance, reasons_of, "", lang)
    totals = solution.penalty_totals()
    if totals:
        console.print(f"[bold]{words['penalties']}[/]")
        for rule, cost in totals.items():
            terms = sum(1 for p in solution.penalties if p.rule == rule)
            said = words["terms"].format(count=terms, s="s" if terms != 1 else "")
            # (in French, what it counts beside the id, which is what `weights:` names)
            said = f"{SOFT_RULES_FR.get(rule, rule)} ({said})" if lang == "fr" else f"({said})"
            console.print(f"  {rule:<22} {cost:>6}  {said}", markup=False)


@app.command()
def validate(
    instance_path: Annotated[Path, typer.Argument(metavar="INSTANCE")],
    solution_path: Annotated[Path, typer.Argument(metavar="SOLUTION")],
    reference: Annotated[
        Path | None,
        typer.Option("--reference", help="Published solution the file was solved against."),
    ] = None,
    keep_before: KeepBefore = None,
    pin: PinOpt = None,
) -> None:
    """Check a solution against its instance, independently of the solver."""
    from scheduler.validate import check_claims, check_reasons
    from scheduler.validate import validate as run_validator

    instance = load_instance(instance_path)
    pins = _apply_pins(instance, instance_path, pin)  # (as `solve --pin` was given)
    solution = load_solution(solution_path)
    check_reasons(solution, solution_path)  # (an entry left out says why)
    # another event's schedule: refused as `export` and `diff` refuse it (it listed a
    # violation per proposal of either, after a note)
    check_instance(solution, instance.name, solution_path, "solution")
    published = None if reference is None else load_reference(reference, instance.name)
    _say_kept(_keep(instance, instance_path, reference, published, keep_before, pins=pins)[0])
    report = run_validator(instance, solution, published, instance.source_hash)
    for note in report.notes:
        err.print(f"note: {note}", highlight=False, markup=False)
    if not solution.has_schedule:
        raise ExitError(f"{solution_path}: no schedule (status {solution.status.value})", 1)
    report.violations.extend(check_claims(solution, report, published))
    for violation in report.violations:
        console.print(f"[red]✗ {violation.rule}[/]: {escape(violation.message)}", highlight=False)
    console.print(
        f"recomputed objective {report.objective} (file: "
        f"{'none' if solution.objective is None else solution.objective}); "
        + ", ".join(f"{rule} {cost}" for rule, cost in report.costs.items() if cost)
    )
    broken = [v for v in report.violations if v.rule != "objective"]
    if broken:
        raise ExitError(f"{plural(len(report.violations), 'violation')} in {solution_path}", 1)
    console.print(f"[green]✓[/] {escape(str(solution_path))} satisfies every hard rule")
    moved = solution.penalty_totals().get("moved", 0)
    if (
        published is None
        and moved
        and solution.objective is not None
        and solution.objective - moved == report.objective
        and all("`moved`" in v.message for v in report.violations)
    ):
        # a re-solve checked without its reference: one cause, said once (it ended
        # "edited by hand, or solved with other weights?")
        raise ExitError(
            f"{solution_path}: a re-solve, whose objective counts `moved` {moved} against "
            "the published schedule it was solved with: give that --reference "
            "PUBLISHED.json to check its objective",
            1,
        )
    if report.violations:
        # a schedule edited by hand, every hard rule held, read "error: 1 violation"; the
        # violation's own hint about --reference is not said twice
        said = any("--reference" in v.message for v in report.violations)
        why = "edited by hand, or solved with other weights" + (
            "?" if said else " or another --reference?"
        )
        what = (
            f"its objective is not its schedule's ({solution.objective} in the file, "
            f"{report.objective} counted)"
            if solution.objective is not None and solution.objective != report.objective
            else "what it says of its schedule is not so (above)"
        )
        raise ExitError(f"{solution_path}: {what}: {why}", 1)


@app.command()
def explain(
    instance_path: Annotated[Path, typer.Argument(metavar="INSTANCE")],
    solution_path: Annotated[
        Path | None,
        typer.Argument(
            metavar="[SOLUTION]",
            help="Your solution (as `solve` wrote it): the proposals it leaves out are the "
            "ones explained, its count beside the most that can be placed, and the count "
            "starts from its schedule.",
        ),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            callback=_seconds(0.1),
            help="Seconds per search, on the clock as a backstop: the searches stop on "
            "work, as much as this many seconds allow on a typical machine, so that the "
            "answer is the same under load. From 0.1 to 86400 (a day).",
        ),
    ] = 20.0,
    reference: Annotated[
        Path | None,
        typer.Option("--reference", help="Published solution (for --keep-before)."),
    ] = None,
    keep_before: KeepBefore = None,
    pin: PinOpt = None,
    lang: Annotated[
        Language,
        typer.Option(
            "--lang",
            help="The answer's language: its sentences, rules, reasons and notes (errors "
            "stay in English).",
        ),
    ] = Language.EN,
) -> None:
    """Say why proposals cannot all be placed: per-proposal checks, the most that can be
    placed, then a minimal conflict; with SOLUTION, why it leaves out what it does."""
    from scheduler.explain import explain as run_explain

    instance = load_instance(instance_path)
    assumed = timezone_assumed(instance, lang.value)
    if assumed is not None:
        err.print(NOTE[lang is Language.FR] + assumed, highlight=False, markup=False)
    pins = _apply_pins(instance, instance_path, pin, lang.value)  # (why `solve --pin` found none)
    solution = None
    if solution_path is not None:
        solution = load_solution(solution_path)
        check_instance(solution, instance.name, solution_path, "solution")
        if not solution.has_schedule:
            # (`solve` writes none: hand-made or another tool's; it was explained as a
            # schedule placing nothing, a pinned keynote "left empty; the search did not
            # find placing it cheaper" where no search was)
            err.print(
                f"note\u00a0: {solution_path} ne contient aucun programme (statut "
                f"{solution.status.value})\u00a0: expliqué sans lui"
                if lang is Language.FR
                else f"note: {solution_path} holds no schedule (status "
                f"{solution.status.value}): explained as without it",
                highlight=False,
                markup=False,
            )
            solution = None
    changed = solution is not None and solution.instance_hash != instance.source_hash
    if changed:
        # (as `export` says it: a proposal added since was listed with no reason, and the
        # others with reasons naming slots the instance no longer has)
        err.print(
            f"note\u00a0: {solution_path} a été résolu à partir d'une autre version de "
            f"{instance_path}\u00a0; ce qu'il laisse de côté est expliqué avec l'instance "
            "telle qu'elle est"
            if lang is Language.FR
            else f"note: {solution_path} was solved from another version of "
            f"{instance_path}; what it leaves out is explained with the instance as it is",
            highlight=False,
            markup=False,
        )
    published = None if reference is None else load_reference(reference, instance.name)
    if published is not None and keep_before is None:
        # (what can be placed does not depend on a published schedule: it was ignored
        # without a word; the solution to explain is given after the instance)
        fr = lang is Language.FR
        given = (
            ""
            if solution_path is not None
            else f"\u00a0; pour expliquer ce qu'une solution laisse de côté, donnez-la après "
            f"l'instance\u00a0: `scheduler explain {instance_path} {reference}`"
            if fr
            else f"; to explain what a solution leaves out, give it after the instance: "
            f"`scheduler explain {instance_path} {reference}`"
        )
        err.print(
            "note\u00a0: --reference n'est lu qu'avec --keep-before (qui conserve les ateliers "
            "commencés)\u00a0; sans lui, explain l'ignore" + given
            if fr
            else "note: --reference is read only with --keep-before (which holds the "
            "workshops begun); without it, explain ignores it" + given,
            highlight=False,
            markup=False,
        )
    kept = _keep(instance, instance_path, reference, published, keep_before, lang.value, pins)
    _say_kept(kept[0], lang.value)
    _note_themeless(instance, instance_path, lang.value)  # (docs/rules.md: the way out)
    _note_offsets(instance, lang.value)
    _note_unusable_slots(instance, lang.value)
    result = run_explain(instance, time_limit=time_limit, solution=solution, changed=changed)
    words = EXPLAIN_WORDS[lang.value]
    if result.given_broken:
        # (its count and reasons are its own; not the count's start)
        err.print(
            words["broken"].format(
                path=solution_path,
                rules=plural(len(result.given_broken), "hard rule")
                if lang is Language.EN
                else plural_fr(len(result.given_broken), "règle stricte", "règles strictes"),
                first=result.given_broken[0],
                # (judged with the pins and what --keep-before holds: the command without
                # them said the file satisfies every hard rule)
                held=words["held"] if pin or kept[1] else "",
                command=run_again(
                    "validate", instance_path, solution_path, held=(reference, kept[1], pin)
                ),
            ),
            highlight=False,
            markup=False,
        )
    command = f"scheduler explain {instance_path} {words['solution']}"
    command += " --lang fr" if lang is Language.FR else ""  # (as solve's own pointer)
    if result.all_placeable:
        console.print(words["all"].format(name=instance.name), highlight=False, markup=False)
        if result.left_out:  # (the given solution leaves placeable proposals out)
            with _themes_by_label(instance):
                _print_explanation(instance, result, lang.value, command)
        return
    with _themes_by_label(instance):
        _print_explanation(instance, result, lang.value, command)
    raise typer.Exit(1)


def _themes_by_label(instance: Instance) -> AbstractContextManager[None]:
    """The French sentences give the themes by their French labels, not their ids."""
    from scheduler.reasons import theme_labels

    return theme_labels({t.id: t.label.get("fr") for t in instance.themes})


EXPLAIN_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "all": "every proposal of {name} can be placed: no conflict found",
        "findings": "Proposals that cannot be placed",
        "others placed": "Every other proposal is placed by a schedule found meanwhile: "
        "nothing else conflicts.",
        "pins": "The pins above cannot all hold: no schedule keeps every one of them.",
        "at most": "At most {most} of {total} can be placed",
        "proven": " (proven)",
        # (which schedule's proposals left out these are: the coordinator read them as
        # her solution's, 3 of 10 in common)
        "leaves": "; a schedule of explain's own placing that many leaves {others} out (not "
        "necessarily those your solution leaves out: `{command}` explains those):",
        "found": "A schedule found places {placed} of {total}",
        "found leaves": " (at most {most} can be, proven); it leaves {others} out (a longer "
        "`solve` may place more; `{command}` explains those your solution leaves out):",
        # (at 400 proposals its 347 read as the schedule `solve` had placed 383 in)
        "quick": "A quick schedule places {placed} of {total}",
        "quick leaves": " (at most {most} can be, proven): above {limit} candidate pairs "
        "({pairs} here) explain builds only a quick schedule, and `solve` may place more; "
        "`{command}` explains those your solution leaves out. The quick one leaves {others} "
        "out:",
        "given": "Your solution places {placed} of {total}",
        "given most": ", the most that can be (proven)",
        "given broken": ", breaking hard rules (see the warning)",
        "given proven": "; {most} can be (proven: a schedule found here places that many; a "
        "longer `solve` may too)",
        "given bound": "; at most {most} can be (a proven bound)",
        "given found": ", and a schedule found here places {found} (a longer `solve` may "
        "place more)",
        "given leaves": "; it leaves {others} out:",
        "solution": "SOLUTION.json",
        # (solve's summary said 383 of 400 placed, never how many could be: explain counts)
        "after solve": "{left} proposals left out: `{command}` says how many proposals can be "
        "placed at most, and why each of these is out",
        "after solve one": "1 proposal left out: `{command}` says how many proposals can be "
        "placed at most, and why this one is out",
        "after solve unnamed": "{left} proposals left out: run explain with the solution "
        "file, `{command}`: it says how many proposals can be placed at most, and why each of "
        "these is out",
        "after solve unnamed one": "1 proposal left out: run explain with the solution file, "
        "`{command}`: it says how many proposals can be placed at most, and why this one is "
        "out",
        "where given": ": your solution file lists each with its reasons (`scheduler export "
        "grid --unscheduled` too)",
        "broken": "warning: the solution {path} breaks {rules} of this instance{held} (first: "
        "{first}); what it places and leaves out is explained as it is, but the count does "
        "not start from this solution; `{command}` lists them",
        "held": " with the options given",
        "proposals": "{count} proposal{s}",
        "others": "{count} other{s}",
        "no schedule": "No schedule was found quickly, and at this size no conflict is "
        "searched for: try `solve` with a longer --time-limit, or explain a part of the "
        "programme.",
        "undecided": "Whether every other proposal can be placed was not decided in the work "
        "allowed (try `solve` with a longer --time-limit)",
        "concern": ": the rules below concern the proposals above.",
        "no rules": "No set of rules behind that count was found in the work allowed (a "
        "longer --time-limit gives more).",
        # (it read "drop any one and the rest can", its verb lost)
        "minimal": "drop any one and the others can all hold",
        "not minimal": "not proven minimal",
        "behind": "The rules behind the checks above",
        "behind one": "The rules behind the check on {ids} above",
        "behind some": "The rules behind the checks on {ids} above",
        "one rule": "This rule cannot hold",
        "whatever": ", whatever the others:",
        "rules": "These rules cannot all hold",
        "all placed": "these {count} proposals must all be placed:",
        "history": "  (what --keep-before kept as begun stays as it is: not a rule to drop)",
        "one conflict": "This is one conflict: once it is resolved, run explain again, "
        "another may remain.",
    },
    "fr": {
        "all": "toutes les propositions de {name} peuvent être programmées\u00a0: aucun "
        "conflit trouvé",
        "findings": "Propositions impossibles à programmer",
        "others placed": "Toutes les autres propositions sont placées par un programme trouvé "
        "entre-temps\u00a0: rien d'autre n'est en conflit.",
        "pins": "Les épinglages ci-dessus ne peuvent pas tous être respectés\u00a0: aucun "
        "programme ne les garde tous.",
        "at most": "Au plus {most} des {total} peuvent être programmées",
        "proven": " (prouvé)",
        # (« en place … des 278 », « peuvent l'être » of a verb that is active, « en
        # laisse 10 de côté » beside 267 of 278 placed, its « autres » lost)
        "leaves": "\u00a0; un programme construit par explain qui en place autant en laisse "
        "{others} de côté (pas forcément celles que votre solution laisse de côté\u00a0: "
        "`{command}` explique celles-là)\u00a0:",
        "found": "Un programme trouvé place {placed} des {total}",
        "found leaves": " (au plus {most} peuvent être placées, prouvé)\u00a0; il en laisse {others} "
        "de côté (un `solve` plus long peut en placer davantage\u00a0; `{command}` explique "
        "celles que votre solution laisse de côté)\u00a0:",
        "quick": "Un programme rapide place {placed} des {total}",
        "quick leaves": " (au plus {most} peuvent être placées, prouvé)\u00a0: au-delà de {limit} "
        "paires candidates ({pairs} ici), explain ne construit qu'un programme rapide, et "
        "`solve` peut en placer davantage\u00a0; `{command}` explique celles que votre "
        "solution laisse de côté. Le programme rapide en laisse {others} de côté\u00a0:",
        "given": "Votre solution place {placed} des {total}",
        "given most": ", soit le maximum possible (prouvé)",
        "given broken": ", en enfreignant des règles strictes (voir l'avertissement)",
        "given proven": "\u00a0; {most} peuvent être placées (prouvé\u00a0: un programme trouvé "
        "ici en place autant\u00a0; un `solve` plus long peut aussi y parvenir)",
        "given bound": "\u00a0; au plus {most} peuvent être placées (borne prouvée)",
        "given found": ", et un programme trouvé ici en place {found} (un `solve` plus long "
        "peut en placer davantage)",
        "given leaves": "\u00a0; elle en laisse {others} de côté\u00a0:",
        "solution": "SOLUTION.json",
        # (it read "12 laissées de côté … pourquoi chacune de celles-ci l'est", that is
        # why each is placed, and "1 laissées")
        "after solve": "{left} propositions laissées de côté\u00a0: `{command}` indique "
        "combien de propositions peuvent être programmées au plus, et pourquoi chacune de "
        "celles-ci est laissée de côté",
        "after solve one": "1 proposition laissée de côté\u00a0: `{command}` indique combien "
        "de propositions peuvent être programmées au plus, et pourquoi celle-ci est laissée de "
        "côté",
        "after solve unnamed": "{left} propositions laissées de côté\u00a0: lancez explain "
        "avec le fichier de solution, `{command}`\u00a0: il indique combien de propositions "
        "peuvent être programmées au plus, et pourquoi chacune de celles-ci est laissée de côté",
        "after solve unnamed one": "1 proposition laissée de côté\u00a0: lancez explain avec le "
        "fichier de solution, `{command}`\u00a0: il indique combien de propositions peuvent "
        "être programmées au plus, et pourquoi celle-ci est laissée de côté",
        "where given": "\u00a0: votre fichier de solution les liste, chacune avec ses raisons "
        "(`scheduler export grid --unscheduled` aussi)",
        # (« ce qu'elle place … ne part pas d'elle » after « la première [règle] », and
        # two colons in the sentence)
        "broken": "avertissement\u00a0: la solution {path} enfreint {rules} de cette instance"
        "{held} (la première, en anglais\u00a0: {first})\u00a0; ce qu'elle place et laisse de côté "
        "est expliqué tel quel, mais le décompte ne part pas de cette solution\u00a0; "
        "`{command}` les liste",
        "held": " avec les options données",
        "proposals": "{count} proposition{s}",
        "others": "{count} autre{s}",
        "no schedule": "Aucun programme n'a été trouvé rapidement, et à cette taille aucun "
        "conflit n'est recherché\u00a0: essayez `solve` avec un --time-limit plus long, ou "
        "expliquez une partie du programme.",
        "undecided": "Le travail alloué n'a pas suffi pour décider si toutes les autres "
        "propositions peuvent être programmées (essayez `solve` avec un --time-limit plus "
        "long)",
        "concern": "\u00a0: les règles ci-dessous concernent les propositions ci-dessus.",
        "no rules": "Aucun ensemble de règles expliquant ce décompte n'a été trouvé dans le "
        "travail alloué (un --time-limit plus long en donne davantage).",
        "minimal": "levez-en une, n'importe laquelle, et les autres peuvent être respectées",
        "not minimal": "minimalité non prouvée",
        "behind": "Les règles à l'origine des constats ci-dessus",
        "behind one": "Les règles à l'origine du constat sur {ids} ci-dessus",
        "behind some": "Les règles à l'origine des constats sur {ids} ci-dessus",
        "one rule": "Cette règle ne peut pas être respectée",
        "whatever": ", quelles que soient les autres\u00a0:",
        "rules": "Ces règles ne peuvent pas toutes être respectées",
        "all placed": "ces {count} propositions doivent toutes être programmées\u00a0:",
        "history": "  (ce que --keep-before a conservé comme commencé reste tel quel\u00a0: ce "
        "n'est pas une règle à lever)",
        "one conflict": "Ce n'est qu'un des conflits possibles\u00a0: une fois celui-ci résolu, "
        "relancez explain, un autre peut subsister.",
    },
}
"""`explain`'s own sentences, per `--lang` (its findings and rules are the catalog's,
`scheduler.reasons`)."""


def _print_explanation(
    instance: Instance,
    result: Explanation,
    lang: str = "en",
    command: str = "scheduler explain INSTANCE SOLUTION",
) -> None:
    """`explain`'s answer when not every proposal can be placed: the proposals that
    cannot, the most that can (and how many the given solution places), what was left
    undecided, and the conflicting rules. `command` is how to give a solution."""
    from scheduler.explain import CONFLICT_MODEL_PAIRS

    words = EXPLAIN_WORDS[lang]
    colon = ":" if lang == "en" else "\u00a0:"

    def say(text: str) -> None:
        _print_item(text)

    def bold(text: str, rest: str = "") -> None:
        console.print(f"[bold]{escape(text)}[/]{escape(rest)}", highlight=False)

    def count(key: str, number: int) -> str:
        return words[key].format(count=number, s="" if number == 1 else "s")

    if result.proposal_findings:
        bold(words["findings"])
        for findings in result.proposal_findings.values():
            for finding in findings:
                say(f"  - {_in(finding, lang, FINDING)}")
    if result.others_placed:
        say(words["others placed"])
    if result.pins_conflict and not result.conflict:
        say(words["pins"])
    total, others = count("proposals", len(instance.proposals)), len(result.left_out)
    if result.given_placed is not None:
        # the coordinator's count beside the most, and her proposals left out
        # (one breaking hard rules is never said to reach the most: it placed 5 where
        # at most 4 can be, "the most that can be (proven)", above the conflict proving it)
        said = words["given broken"] if result.given_broken else ""
        if result.given_broken:
            if result.at_most is not None:
                said += words["given bound"].format(most=result.at_most)
        elif result.at_most is not None and result.given_placed >= result.at_most:
            said = words["given most"]
        elif result.most_placed is not None:
            said = words["given proven"].format(most=result.most_placed)
        elif result.at_most is not None:
            said = words["given bound"].format(most=result.at_most)
            if result.placed is not None and result.placed > result.given_placed:
                said += words["given found"].format(found=result.placed)
        said += words["given leaves"].format(others=count("others", others)) if others else "."
        bold(words["given"].format(placed=result.given_placed, total=total), said)
    elif result.placed is not None and (result.left_out or result.most_placed is not None):
        if result.most_placed is not None:
            leaves = (
                words["leaves"].format(others=count("others", others), command=command)
                if others
                else "."
            )
            bold(
                words["at most"].format(most=result.most_placed, total=total),
                words["proven"] + leaves,
            )
        elif result.quick:
            pairs = (
                f"{result.pairs:,}" if lang == "en" else f"{result.pairs:,}".replace(",", "\u202f")
            )
            limit = f"{CONFLICT_MODEL_PAIRS:,}"
            bold(
                words["quick"].format(placed=result.placed, total=total),
                words["quick leaves"].format(
                    most=result.at_most,
                    others=count("others", others),
                    command=command,
                    pairs=pairs,
                    limit=limit if lang == "en" else limit.replace(",", "\u202f"),
                ),
            )
        else:
            bold(
                words["found"].format(placed=result.placed, total=total),
                words["found leaves"].format(
                    most=result.at_most, others=count("others", others), command=command
                ),
            )
    if result.left_out:
        where = "where given" if result.given else "where explained"
        _print_unplaced(
            instance,
            result.left_out,
            words[where] if result.given else SUMMARY_WORDS[lang][where],
            lang,
        )
    if result.no_schedule:
        say(words["no schedule"])
    if result.others_undecided:
        say(words["undecided"] + (words["concern"] if result.conflict else "."))
    if result.left_out and not result.conflict and not result.minimal:
        say(words["no rules"])
    if result.conflict:
        note = words["minimal"] if result.minimal else words["not minimal"]
        placed = [k.split(":", 1)[1] for k in result.conflict_keys if k.startswith("place:")]
        if result.about_findings and set(placed) < set(result.proposal_findings):
            # (of several proposals found, the rules of one: "behind the checks above"
            # read as lifting one of them would place all three)
            behind = words["behind one" if len(placed) == 1 else "behind some"]
            bold(behind.format(ids=", ".join(placed)), f" ({note}){colon}")
        elif result.about_findings:
            # (read as a second problem, "another may remain", where every other
            # proposal can be placed)
            bold(words["behind"], f" ({note}){colon}")
        elif len(result.conflict) == 1 and result.minimal:
            # ("drop any one and the rest can" of one rule)
            bold(words["one rule"], words["whatever"])
        else:
            bold(words["rules"], f" ({note}){colon}")
        for line in _conflict_lines(result, lang):
            say(line)
        if result.lengths:
            say(f"  ({_in(result.lengths, lang, LENGTHS)})")
        if result.history_held:
            # (workshops already held were among the rules to drop: re-open the past)
            say(words["history"])
        # (a coordinator took "drop any one" for "change one and it works": another
        # conflict may remain, which the model did not look for)
        if not result.about_findings:
            say(words["one conflict"])


def _in(sentence: str, lang: str, within: str) -> str:
    """One of `explain`'s sentences in `lang`: read through the catalog, or as it is
    where the catalog cannot read it whole."""
    from scheduler.reasons import french

    return (french(sentence, within) or sentence) if lang == "fr" else sentence


PLACED_RULE = {"en": " must be placed", "fr": " doit être programmée"}
"""How the sentence of a rule that a proposal be placed ends (`explain`'s `place:` keys),
in each language."""


def _conflict_lines(result: Explanation, lang: str = "en") -> list[str]:
    """The conflict's rules, a line each; the proposals that must be placed (often most
    of a conflict: 27 of 34 rules on site) together under one line, after the others."""
    rules = list(zip(result.conflict_keys, result.conflict, strict=False))
    if len(rules) != len(result.conflict):  # (a message, not rules)
        return [f"  - {_in(sentence, lang, RULE)}" for sentence in result.conflict]
    placed = [s for k, s in rules if k.startswith("place:") and s.endswith(PLACED_RULE["en"])]
    lines = [f"  - {_in(s, lang, RULE)}" for k, s in rules if s not in placed]
    if len(placed) == 1:
        lines.append(f"  - {_in(placed[0], lang, RULE)}")
    elif placed:
        lines.append("  - " + EXPLAIN_WORDS[lang]["all placed"].format(count=len(placed)))
        # (in French as the catalog words them: they were the English, « » without the
        # no-break spaces, "«Une forge publique …»")
        said = [_in(s, lang, RULE) for s in placed]
        lines += [
            f"      {s.removesuffix(PLACED_RULE[lang] if s != e else PLACED_RULE['en'])}"
            for s, e in zip(said, placed, strict=True)
        ]
    return lines


@app.command()
def diff(
    old_path: Annotated[Path, typer.Argument(metavar="OLD", help="The published solution.")],
    new_path: Annotated[Path, typer.Argument(metavar="NEW", help="The new solution.")],
    instance_path: Annotated[
        Path | None,
        typer.Option(
            "--instance", help="Instance for names and titles \\[default: instances/<name>.yaml]."
        ),
    ] = None,
    lang: Annotated[
        ReportLanguage,
        typer.Option(
            "--lang",
            help="Language of the sentences (for the e-mail) and of the notes and warnings "
            "(errors stay in English); auto: each speaker's paragraph in her talks' "
            "language, the rest in the event's (its event.language, else its proposals' "
            "when they all share one, else French).",
        ),
    ] = ReportLanguage.EN,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit with 1 when something changed, 0 when not."),
    ] = False,
    keep_before: Annotated[
        str | None,
        typer.Option(
            "--keep-before",
            metavar="DATETIME",
            help="As NEW was re-solved with it, OLD being its --reference: NEW is checked as "
            "`validate --reference OLD --keep-before` checks it (a slot closed or an absence "
            "recorded since over a workshop begun is no warning).",
        ),
    ] = None,
) -> None:
    """List what moved, appeared and disappeared, per speaker, ready to paste into an e-mail,
    then what changed in each workshop."""
    from scheduler.diff import compare, placed_twice, report

    asked, lang = lang, lang.notes()  # (the notes' language; the report's is `asked`)

    old = load_solution(old_path)
    new = load_solution(new_path)
    if new.instance != old.instance:  # two events: every proposal would "move"
        raise InputError(
            new_path,
            None,
            "instance",
            f"the solution is for instance {new.instance!r}, and {old_path} for "
            f"{old.instance!r}: compare two solutions of one instance",
        )
    if new.revision < old.revision:
        # (given backwards, it told the speakers that their talks moved back)
        err.print(
            f"avertissement\u00a0: {old_path} est la révision {old.revision} et {new_path} la "
            f"révision {new.revision}, antérieure\u00a0: le rapport dit ce qui change du "
            f"premier fichier au second\u00a0; si {new_path} est le plus ancien, "
            "donnez-le en premier"
            if lang is Language.FR
            else f"warning: {old_path} is revision {old.revision} and {new_path} revision "
            f"{new.revision}, an earlier one: the report tells what changes from the first "
            f"file to the second; if {new_path} is the older, give it first",
            highlight=False,
            markup=False,
        )
    if instance_path is None:
        guess = Path("instances") / f"{new.instance}.yaml"
        instance_path = guess if guess.exists() else None
        if instance_path is None:
            # the report silently lost titles, speakers and the event's timezone
            err.print(
                f"note\u00a0: pas de {guess} ici\u00a0: donnez --instance pour les titres, "
                "les intervenant·es et les heures de l'événement\u00a0; les heures ci-dessous "
                "sont au décalage horaire du fichier publié"
                if lang is Language.FR
                else f"note: no {guess} here: give --instance for titles, speakers and the "
                "event's times; the times below are at the published file's offset",
                markup=False,
            )
    instance = load_instance(instance_path) if instance_path is not None else None
    if instance is not None and instance.name != new.instance:
        raise InputError(
            instance_path,
            None,
            "name",
            f"the instance is {instance.name!r}, the solutions are for {new.instance!r}",
        )
    lang = asked.notes(instance)  # (`auto`: the event's language, known from here)
    if instance is not None and new.instance_hash != instance.source_hash:
        # (a late keynote missing from the default instance read as withdrawn, and as
        # breaking hard rules, with nothing said of the instance)
        err.print(
            f"note\u00a0: {new_path} a été résolu à partir d'une autre version de "
            f"{instance_path}\u00a0; le rapport lit {instance_path} tel qu'il est\u00a0: "
            "donnez à --instance le fichier à partir duquel il a été résolu"
            if lang is Language.FR
            else f"note: {new_path} was solved from another version of {instance_path}; the "
            f"report reads {instance_path} as it is: give --instance the file it was solved from",
            highlight=False,
            markup=False,
        )
    kept = None
    if keep_before is not None:
        from scheduler import keep

        if instance is None:
            raise InputError(
                Path(f"instances/{new.instance}.yaml"),
                keep.OPTION,
                None,
                "needs the instance: give --instance",
            )
        published = load_reference(old_path, instance.name)
        _, moment, _ = _keep(instance, instance_path, old_path, published, keep_before)
        kept = (old_path, moment)
    # the new solution only: the published one may hold proposals removed since
    _warn_if_broken(
        new_path, new, instance, instance_path, placed_twice(new), lang.value, old, kept
    )
    if keep_before is None:  # (OLD as the reference: what NEW changes of it, on stderr only)
        from scheduler.keep import begun_warning

        for line in begun_warning(old, lang.value, new, new_path):
            err.print(line, highlight=False, markup=False)
    changes = compare(old, new)
    print(report(changes, old, new, instance, asked.value), end="")
    if exit_code and not changes.empty:
        raise typer.Exit(1)


def _warn_if_broken(
    path: Path,
    solution: Solution,
    instance: Instance | None,
    instance_path: Path | None,
    twice: list[str],
    lang: str = "en",
    old: Solution | None = None,
    kept: tuple[Path, str] | None = None,
) -> None:
    """A solution `diff` reads that breaks hard rules (edited by hand) is compared as it
    is, with a word (in `lang`; the validator's message in English): a proposal in two
    workshops was reported as a plain move, a file without workshops as every proposal
    "no longer scheduled". With `kept` (OLD's path and `--keep-before`'s moment), checked
    against OLD as `validate --reference OLD --keep-before` checks it; without, a word on
    `--keep-before` when OLD (`old`) has begun: an in-event re-solve was said to break the
    rules its `--keep-before` waived."""
    fr = lang == "fr"
    if instance is not None:
        from scheduler import keep
        from scheduler.validate import validate

        report = validate(instance, solution, old if kept else None)
        broken = [v for v in report.violations if v.rule != "objective"]
        options = f" --reference {kept[0]} --keep-before {kept[1]}" if kept else ""
        command = f"`scheduler validate {instance_path} {path}{options}`"
        # (a NEW solved from another instance breaks rules for that reason: noted above)
        begun = (
            not kept
            and old is not None
            and solution.instance_hash == instance.source_hash
            and any(w.start < keep.now() for w in old.workshops)
        )
        if broken and fr:
            err.print(
                f"avertissement\u00a0: la solution {path} enfreint "
                f"{plural_fr(len(broken), 'règle stricte', 'règles strictes')} (la première, "
                f"en anglais\u00a0: {broken[0].message})\u00a0; {command} les liste"
                + (
                    "\u00a0; si elle a été résolue avec --keep-before, donnez-le aussi à diff"
                    if begun
                    else ""
                ),
                markup=False,
            )
        elif broken:
            err.print(
                f"warning: the solution {path} breaks {plural(len(broken), 'hard rule')} "
                f"(first: {broken[0].message}); {command} lists them"
                + ("; if it was re-solved with --keep-before, give diff the same" if begun else ""),
                markup=False,
            )
    elif twice:
        err.print(
            f"avertissement\u00a0: {path} place {', '.join(twice)} dans plusieurs ateliers"
            if fr
            else f"warning: {path} places {', '.join(twice)} in two workshops or more",
            markup=False,
        )


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(help="instance or solution")] = "instance",
) -> None:
    """Print the JSON Schema of instance (or solution) files."""
    from scheduler.instance import Instance as InstanceModel
    from scheduler.solution import Solution as SolutionModel

    models = {"instance": InstanceModel, "solution": SolutionModel}
    if kind not in models:
        raise ExitError(f"unknown schema {kind!r}: choose instance or solution", 2)
    print_json(models[kind].model_json_schema(by_alias=True))


def print_json(data: Any) -> None:
    """`data` as JSON on standard output: its text as it is where the output's encoding
    holds it, else escaped (`\\u00e9`): the streams write what they cannot as Python's
    escapes (`_tolerant_streams`), and `\\xe9` in a string is not JSON."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(data, indent=2)
    print(text)


for _module in _COMMAND_MODULES:
    importlib.import_module(_module).register(app)


METAVARS = {
    "time_limit": "SECONDS",
    "deterministic_time": "UNITS",
    "seed": "N",
    "workers": "N",
    "top": "N",
    "threshold": "SCORE",
    "png_scale": "SCALE",
    "pin": "PROPOSAL=SLOT",
    "reference": "PUBLISHED.json",
    "only": "SIZE",
}
"""What an option's value is, in its --help line: Typer shows its Python type there
(`<float>`, `<int range>`, `<list[str]>`; FLOAT and INTEGER RANGE in older versions)."""


NARROW_HELP = 100
"""Below this many columns, --help is click's plain list, not rich's panels: in 80
columns the panels' table gave `solve`'s help a column of 13 characters, cut
`--deterministic-time` to "--deterministic-…" and printed the -o default's end twice
("solutions/<name>…"); the plain list keeps every option whole and its help beside it."""


def plain_help(command: Any, narrow: bool | None = None) -> Any:
    """`command` (Typer's click command, and its subcommands) with --help lines a
    coordinator reads: each option named by what it takes (`METAVARS`, else its name,
    `PATH`...) and flags by nothing (newer Typer wrote `<bool>` beside each flag, --help
    included); in a terminal narrower than `NARROW_HELP` (or `narrow`), click's plain
    list. (Typer 0.29 carries a click of its own: parameters are told by their kind,
    not by click's classes.)"""
    if narrow is None:
        narrow = shutil.get_terminal_size().columns < NARROW_HELP  # (COLUMNS first)
    if narrow:
        command.rich_markup_mode = None
        format_help = command.format_help

        def unescaped(ctx: Any, formatter: Any) -> None:
            # (rich markup's escape, written for the panels, shown as is in click's list:
            # the options' own "\[default: …]" and, by Typer 0.16, "INSTANCE \[required]")
            format_help(ctx, formatter)
            formatter.buffer[:] = [part.replace("\\[", "[") for part in formatter.buffer]

        command.format_help = unescaped
    for param in command.params:
        if getattr(param, "param_type_name", None) != "option" or param.metavar is not None:
            continue
        if getattr(param, "is_flag", False):
            param.metavar = ""
        elif param.name in METAVARS:
            param.metavar = METAVARS[param.name]
        else:  # (Typer 0.29 describes a type by `type_descriptor`, older ones by click's)
            described = getattr(param, "type_descriptor", None)
            kind = getattr(param, "type", None)
            if getattr(described, "is_path", False) or getattr(kind, "name", None) == "path":
                param.metavar = "PATH"
            elif not (getattr(described, "is_choice", False) or hasattr(kind, "choices")):
                param.metavar = param.name.upper().replace("_", "-")  # (choices shown)
    help_option = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        if narrow and sub.short_help is None and sub.help:
            # (the list of commands cut each to "… write the...": their first paragraph)
            sub.short_help = " ".join(inspect.cleandoc(sub.help).split("\n\n")[0].split())
        plain_help(sub, narrow)
    return command


def plain_when_redirected() -> None:
    """The console wraps its lines to the terminal's width, and does not where it writes
    to a file or a pipe: rich wrapped them at 80 columns there, a title's end and the
    summary's gap at the first column ("n°101'"), which `grep -v '^ '` then took for
    entries and an e-mail showed as lines of their own."""
    console.soft_wrap = not console.is_terminal


def _tolerant_streams() -> None:
    """Standard output and error write what their encoding cannot as `\\u2713`: on a
    Latin-1 or ASCII terminal (`PYTHONIOENCODING=ascii` in a CI job) the "✓" of a valid
    solution was a traceback and exit 1, the code of an invalid one. (A handler the user
    chose, `PYTHONIOENCODING=ascii:replace`, is kept.)"""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _reader_left(stop: SystemExit) -> bool:
    """Whether `stop` is click's or rich's end of a command whose output's reader left
    (`| head`): both exit with 1 on a broken pipe."""
    cause = stop.__context__
    return isinstance(cause, OSError) and cause.errno == errno.EPIPE


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app and turns known errors into messages and exit codes. The
    command line's own `solve` and `explain` (`argv` None) run in a child process, which
    a crash in OR-Tools' native code ends alone (`scheduler.guard`); a caller's `argv`
    runs here."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    _tolerant_streams()
    console.file = None  # (standard output, unless a command writes its file there)
    plain_when_redirected()
    try:
        if argv is None and guard.watched(sys.argv[1:]):
            guard.watch(sys.argv[1])  # (returns in the child, which runs the command)
        command = plain_help(typer.main.get_command(app))
        try:
            code = command.main(args=argv, standalone_mode=False)
        except SystemExit as stop:
            if _reader_left(stop):  # (quietly: click and rich silenced standard output)
                sys.exit(BROKEN_PIPE)
            raise
        if code == INTERRUPTED:  # Typer's answer to Ctrl-C during a command
            err.print("interrupted")
        if isinstance(code, int) and code:
            sys.exit(code)
    except SchedulerError as exc:
        err.print("error: ", style="bold red", end="")
        err.print(str(exc), markup=False, highlight=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(INTERRUPTED)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(INTERRUPTED)
    except Exception as exc:
        if _interrupted(exc):  # Ctrl-C inside an import (a native module's, as ImportError)
            err.print("interrupted")
            sys.exit(INTERRUPTED)
        # Usage errors from the (vendored) click parser know how to show themselves.
        if callable(getattr(exc, "show", None)) and isinstance(
            getattr(exc, "exit_code", None), int
        ):
            exc.show()
            sys.exit(2)
        raise
    sys.exit(0)


def _interrupted(error: BaseException) -> bool:
    """Whether a KeyboardInterrupt caused `error`, somewhere down its chain."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


__all__ = ["app", "main", "InputError"]
