"""`scheduler import` (form answers, slots, availability -> instance) and `scheduler themes`."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.table import Table

from scheduler.commands import LaidOutConsole, print_table, within
from scheduler.errors import ID_PATTERN, InputError
from scheduler.files import (
    check_replaces,
    check_writable,
    is_stdout,
    output_path,
    written_through,
)
from scheduler.instance import Language, load_instance, timezone_hint
from scheduler.text import MORE_FR, first_of, have_no_theme, in_language, plural, plural_fr
from scheduler.themes import (
    DEFAULT_THRESHOLD,
    MIN_EVIDENCE,
    SUGGESTED_MARK,
    YAML_SUFFIXES,
    Accuracy,
    ProposalSuggestions,
    accuracy,
    apply_themes,
    marked_as_suggested,
    suggest,
    writes_json,
)

if TYPE_CHECKING:
    from scheduler.importer import ImportResult

console = LaidOutConsole(highlight=False, soft_wrap=True)
err = LaidOutConsole(stderr=True, highlight=False, soft_wrap=True)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date such as 2026-12-01") from None


def _check_keep(keep: Path, tables: dict[str, Path | None]) -> None:
    """Refuse a --keep that is one of the tables: it names a previous instance."""
    for role, table in tables.items():
        if table is not None and table.resolve() == keep.resolve():
            raise InputError(
                keep,
                "option --keep",
                None,
                f"it is the {role} this command reads; --keep names a previous instance "
                "(the YAML an earlier import wrote)",
            )


def _check_timezone(text: str) -> None:
    """Refuse an unknown --timezone by its option, suggesting the zones it may mean."""
    try:
        ZoneInfo(text)
        return
    except (ZoneInfoNotFoundError, ValueError):
        pass
    # the instance's own check blamed the form ("form.csv, event, field 'timezone'")
    # for what the option gave
    hint = timezone_hint(text)
    raise typer.BadParameter(f"{text!r} is not a time zone{hint}", param_hint="'--timezone'")


def _check_name(name: str | None) -> str | None:
    """Refuse a --name that is no id, by its option (the instance's check blamed the form:
    "form.csv, field 'name'", a column the form does not have)."""
    if name is not None and not (re.fullmatch(ID_PATTERN, name) and len(name) <= 80):
        raise typer.BadParameter(
            f"{name!r} is not an id: letters, digits, '_', '.' and '-' only (no spaces or "
            "slashes), at most 80 characters"
        )
    return name


def import_command(
    form: Annotated[
        Path,
        typer.Argument(
            metavar="FORM",
            help="The form's answers: CSV, or a workbook (XLSX, ODS, XLS; the first visible sheet "
            "with the form's columns is read).",
        ),
    ],
    given: Annotated[
        str,
        typer.Option(
            "-o",
            "--output",
            metavar="PATH",
            help="Instance file to write (YAML), or a folder when it ends in / (the file "
            "then <--name, or imported>.yaml in it).",
        ),
    ],
    slots: Annotated[
        Path | None,
        typer.Option("--slots", help="FOST's slots (required): room, date, start, end."),
    ] = None,
    availability: Annotated[
        Path | None,
        typer.Option("--availability", help="Speakers' windows: speaker, date, start, end, kind."),
    ] = None,
    themes: Annotated[
        Path | None,
        typer.Option("--themes", help="YAML/JSON with a `themes:` list (default: the call's six)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            callback=_check_name,
            help="Instance id (default: the --keep instance's, else from the output file name).",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Event title.")] = None,
    venue: Annotated[
        str | None, typer.Option("--venue", help="Event venue (default: TBA).")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Event timezone (default: Europe/Paris).")
    ] = None,
    days: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--days",
            metavar="FIRST LAST",
            help="Event days (default: the slots' first and last days).",
        ),
    ] = None,
    skip_bad_rows: Annotated[
        bool, typer.Option("--skip-bad-rows", help="Import the readable rows, list the others.")
    ] = False,
    keep: Annotated[
        Path | None,
        typer.Option(
            "--keep",
            metavar="PREVIOUS",
            help="Carry themes, pins, rules and other edits over from a previous instance.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace OUTPUT if it exists (its edits are lost).")
    ] = False,
    lang: Annotated[
        Language,
        typer.Option(
            "--lang",
            help="Language of the notes, the rows skipped and the summary (errors stay in "
            "English).",
        ),
    ] = Language.EN,
) -> None:
    """Build an instance from the call's form answers, FOST's slots and speakers' availability."""
    # here, not at the top: the importer needs pandas, whose import (0.7 s) every other
    # command would pay
    from scheduler.importer import (
        BadRowsError,
        ImportOptions,
        import_form,
        write_instance,
    )

    output = output_path(given, f"{name or 'imported'}.yaml")
    tables = {"form": form, "slots file": slots, "availability file": availability}
    # Before "already exists", which a folder or an input does too: `-o answers.csv
    # --force` replaced the form by the instance, and the message without --force
    # suggested `--keep answers.csv`.
    check_writable(output, {**tables, "themes file": themes})
    # (`-o prog.xlsx` wrote YAML that Excel refuses and a later --keep took for a workbook)
    _check_instance_suffix(output)
    if keep is not None:
        _check_keep(keep, tables)
    merging = keep is not None and keep.resolve() == output.resolve()
    to_stdout = is_stdout(output)
    console.file = sys.stderr if to_stdout else None  # (the summary went into the YAML)
    if output.exists() and not (force or merging or to_stdout):
        raise InputError(
            output,
            None,
            None,
            f"already exists; pass --keep {output} to re-import keeping the themes, pins and "
            "other edits made in it, or --force to replace it",
        )
    if timezone is not None:
        _check_timezone(timezone)
    event_days = (_day(days[0]), _day(days[1])) if days else None
    if event_days and event_days[1] < event_days[0]:
        # every slot was said to lie "outside the event's days 2026-12-03..2026-12-01"
        raise typer.BadParameter(
            f"the last day {event_days[1]} is before the first {event_days[0]}",
            param_hint="'--days'",
        )
    file_name = re.sub(r"[^\w.\-]+", "-", output.stem).strip("-") or "imported"
    options = ImportOptions(
        name=name or None,
        default_name=file_name,
        title=title,
        venue=venue,
        timezone=timezone,
        days=event_days,
        skip_bad_rows=skip_bad_rows,
        keep=keep,
    )
    try:
        result = import_form(form, slots, availability, themes, options)
    except BadRowsError as exc:
        # One line per row, printed as plain text: cells may hold [brackets] rich would eat.
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False)
        raise InputError(exc.path, None, None, exc.message) from None
    write_instance(result, output, {"form": form, "slots": slots, "availability": availability})
    said = lang.value
    words = IMPORT_WORDS[said]
    for problem in result.skipped:
        err.print(words["skipped"] + problem.worded(said), markup=False, style="yellow")
    for note in result.notes:
        err.print(words["note"] + in_language(note, said), markup=False)
    console.print(_summary(result, said), markup=False)
    if result.without_themes:
        console.print(
            words["no theme"].format(
                have=have_no_theme(result.without_themes, said), output=output
            ),
            markup=False,
        )
    console.print(words["wrote"].format(output), markup=False)


IMPORT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "skipped": "skipped ",
        "note": "note: ",
        "no theme": "{have}: run `scheduler themes {output} --apply` or assign themes by hand",
        "wrote": "wrote {}",
    },
    "fr": {
        "skipped": "ignorée\u00a0: ",
        "note": "note\u00a0: ",
        "no theme": "{have}\u00a0: lancez `scheduler themes {output} --apply` ou attribuez les "
        "thèmes à la main",
        "wrote": "écrit\u00a0: {}",
    },
}
"""The words of `scheduler import`'s lines, per `--lang` (the notes and rows bring their own)."""


def _summary(result: ImportResult, lang: str) -> str:
    """What was imported, in one line: '12 proposals (3 keynotes, 9 initiatives), ...'."""
    instance = result.instance
    proposals, speakers = len(instance.proposals), len(instance.speakers)
    keynotes = sum(1 for p in instance.proposals if p.is_keynote)
    emails = sum(1 for s in instance.speakers if s.email)
    first, last = instance.event.days or (None, None)  # (import always sets them)
    skipped, left_out = len(result.skipped), result.not_accepted
    if lang == "fr":
        with_email = f" ({emails} avec une adresse e-mail)" if emails else ""
        summary = (
            f"{plural_fr(proposals, 'proposition')} ({plural_fr(keynotes, 'keynote')}, "
            f"{plural_fr(proposals - keynotes, 'initiative')}), "
            f"{plural_fr(speakers, 'intervenant·e', 'intervenant·es')}{with_email}, "
            f"{plural_fr(len(instance.rooms), 'salle')}, "
            f"{plural_fr(len(instance.slots), 'créneau', 'créneaux')}, du {first} au {last}"
        )
        if left_out:
            summary += (
                f"\u00a0; {plural_fr(left_out, 'ligne')} non "
                f"{'acceptée laissée' if left_out == 1 else 'acceptées laissées'} de côté"
            )
        if skipped:
            summary += (
                f"\u00a0; {plural_fr(skipped, 'ligne illisible', 'lignes illisibles')} "
                f"{'ignorée' if skipped == 1 else 'ignorées'}"
            )
        return summary
    with_email = f" ({emails} with an e-mail address)" if emails else ""
    summary = (
        f"{plural(proposals, 'proposal')} ({plural(keynotes, 'keynote')}, "
        f"{plural(proposals - keynotes, 'initiative')}), "
        f"{plural(speakers, 'speaker')}{with_email}, "
        f"{plural(len(instance.rooms), 'room')}, "
        f"{plural(len(instance.slots), 'slot')}, "
        f"days {first}..{last}"
    )
    if left_out:
        were = "was" if left_out == 1 else "were"
        summary += f"; {plural(left_out, 'row')} not accepted {were} left out"
    if skipped:
        summary += f"; {plural(skipped, 'unreadable row')} skipped"
    return summary


def themes_command(
    instance_path: Annotated[Path, typer.Argument(metavar="INSTANCE", help="Instance YAML/JSON.")],
    apply: Annotated[
        bool,
        typer.Option("--apply", help="Write suggestions into proposals that have no theme yet."),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="With --apply, write here instead of INSTANCE (.yaml/.yml: YAML, .json: JSON).",
        ),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            callback=within(0.0, 1.0, "a share"),
            help="Keep the second theme when its score is at least this share of the top's "
            "(0 to 1).",
        ),
    ] = DEFAULT_THRESHOLD,
    top: Annotated[int, typer.Option("--top", min=1, help="Themes listed per proposal.")] = 3,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="With --apply, list every proposal in the table, not only those without a "
            "theme, which it fills.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    lang: Annotated[
        Language,
        typer.Option(
            "--lang",
            help="Language of the table and the lines under it (not of --json's keys; "
            "errors stay in English).",
        ),
    ] = Language.EN,
) -> None:
    """Suggest themes for each proposal from its title and abstract, and explain them."""
    if output is not None and not apply:
        raise typer.BadParameter("-o/--output only makes sense with --apply")
    if every and not apply:
        raise typer.BadParameter(
            "--all only makes sense with --apply (without it, the table lists every proposal)"
        )
    if output is not None:
        _check_instance_suffix(output)
    instance = load_instance(instance_path)
    suggestions = suggest(instance, unchecked=marked_as_suggested(instance_path))
    score = accuracy(suggestions)
    target = output or instance_path
    applied: dict[str, list[str]] = {}
    if apply:
        picks = {s.proposal: s.pick(threshold) for s in suggestions if not s.current}
        if output is not None:  # (a published solution was replaced, with no word)
            check_replaces(output, "instance", instance.name)
        applied = apply_themes(instance_path, picks, target)
    # to stderr when the instance went to a device (`-o /dev/stdout`): the table ended the YAML
    through = apply and written_through(target)
    if as_json:
        report = _as_json(suggestions, score, applied, top, threshold)
        print(json.dumps(report, indent=2), file=sys.stderr if through else sys.stdout)
        return
    out = err if through else console
    said = lang.value
    # (--apply listed all 278 proposals, 1,607 lines, to fill the 39 without a theme:
    # those it fills, or leaves without one, unless --all)
    shown = [s for s in suggestions if not s.current] if apply and not every else suggestions
    if shown:
        _print_suggestions(out, shown, top, threshold, said)
    if len(shown) < len(suggestions) and shown:
        out.print(
            THEMES_WORDS[said]["shown one" if len(shown) == 1 else "shown"].format(
                shown=len(shown), of=len(suggestions)
            ),
            markup=False,
        )
    _print_accuracy(out, score, instance_path, said)
    if apply:
        _print_applied(out, suggestions, applied, instance_path, target, said)
    elif any(not s.current and s.pick(threshold) for s in suggestions):
        out.print(THEMES_WORDS[said]["hint"], markup=False)


THEMES_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Theme suggestions (score: share of the evidence)",
        "columns": "proposal|current|suggested|words that matched the top theme",
        "no word": "(no word matched)",
        "too little": "(too little evidence to pick a theme)",
        "unchecked": "(suggested, unchecked)",
        "hint": "(--apply writes the suggestions marked * into proposals without themes)",
        "shown": "(the {shown} of {of} proposals that had no theme; --all lists every one)",
        "shown one": "(the one proposal of {of} that had no theme; --all lists every one)",
    },
    "fr": {
        "title": "Suggestions de thèmes (score\u00a0: part des mots-clés)",
        "columns": "proposition|thèmes actuels|suggestions|mots qui désignent le premier thème",
        "no word": "(aucun mot reconnu)",
        "too little": "(trop peu d'indices pour choisir un thème)",
        "unchecked": "(suggérés, non vérifiés)",
        "hint": "(--apply écrit les suggestions marquées * dans les propositions sans thème)",
        # (« les 1 propositions sur 278 », the « sur » read with « qui »)
        "shown": "(les {shown} propositions, sur {of}, qui n'avaient pas de thème\u00a0; "
        "--all les liste toutes)",
        "shown one": "(la seule proposition, sur {of}, qui n'avait pas de thème\u00a0; --all "
        "les liste toutes)",
    },
}
"""The words of `scheduler themes`' table, per `--lang`."""


def _score(score: float, lang: str) -> str:
    """'0.33', in French '0,33'."""
    said = f"{score:.2f}"
    return said.replace(".", ",") if lang == "fr" else said


def _percent(share: float, lang: str) -> str:
    """'75%', in French '75\u00a0%'."""
    return f"{100 * share:.0f}\u00a0%" if lang == "fr" else f"{100 * share:.0f}%"


def _check_instance_suffix(output: Path) -> None:
    """Refuse an output named for neither YAML nor JSON, before anything is read."""
    kind = output.suffix.lower()
    if kind not in ("", ".json", *YAML_SUFFIXES):
        raise typer.BadParameter(
            f"the instance is written as YAML or JSON, not as a {kind} file: name it .yaml, "
            ".yml or .json",
            param_hint="-o/--output",
        )


def _print_suggestions(
    out: Console,
    suggestions: list[ProposalSuggestions],
    top: int,
    threshold: float,
    lang: str = "en",
) -> None:
    words_of = THEMES_WORDS[lang]
    table = Table(show_lines=False, title=words_of["title"])
    for column in words_of["columns"].split("|"):
        table.add_column(column, overflow="fold")
    for s in suggestions:
        ranked = "\n".join(
            f"{'*' if r.theme in s.pick(threshold) and not s.current else ' '} "
            f"{r.theme} {_score(r.score, lang)}"
            for r in s.ranked[:top]
        )
        best = s.ranked[0] if s.ranked else None
        words = ", ".join(w for w, _ in best.words) if best and best.score else words_of["no word"]
        if best and best.score and not s.evident:
            words += "\n" + words_of["too little"]
        current = ", ".join(s.current) or "-"
        if s.unchecked:
            current += "\n" + words_of["unchecked"]
        table.add_row(f"{s.proposal}\n{s.title}", current, ranked, words)
    print_table(out, table)


def _print_accuracy(out: Console, score: Accuracy, instance_path: Path, lang: str = "en") -> None:
    """How often the top suggestion is the primary theme, and against whose choices."""
    if lang == "fr":
        _print_accuracy_fr(out, score, instance_path)
        return
    # after --apply this read "36/36 proposals (100%)": the themes it had written itself
    if instance_path.suffix.lower() == ".json":
        judged = "proposals with themes"
        left_out = "; JSON cannot mark the themes --apply wrote: any there count too"
    else:
        judged = "proposals with hand-chosen themes"
        left_out = (
            f"; not counted: the {plural(score.unchecked, 'proposal')} whose themes --apply "
            f"wrote (marked `{SUGGESTED_MARK}`)"
            if score.unchecked > 1
            else f"; not counted: the proposal whose themes --apply wrote (marked "
            f"`{SUGGESTED_MARK}`)"
            if score.unchecked
            else ""
        )
    if score.proposals:
        out.print(
            f"top suggestion = primary theme for {score.top1}/{score.proposals} {judged} "
            f"({100 * score.rate(score.top1):.0f}%); primary within the top two "
            f"{score.top2}/{score.proposals} ({100 * score.rate(score.top2):.0f}%); always "
            f"guessing {score.baseline_theme} would get {score.baseline}/{score.proposals} "
            f"({100 * score.rate(score.baseline):.0f}%){left_out}",
            markup=False,
        )
    elif score.unchecked:
        out.print(
            "no hand-chosen themes to measure the suggestions against: those of "
            f"{plural(score.unchecked, 'proposal')} were written by --apply (marked "
            f"`{SUGGESTED_MARK}`)",
            markup=False,
        )


def _print_accuracy_fr(out: Console, score: Accuracy, instance_path: Path) -> None:
    """`_print_accuracy` in French, in sentences (it read « premier thème suggéré = thème
    principal pour 28/36 … ; proposer toujours open-models en trouverait 10/36 », the
    English with French words)."""
    n = score.proposals
    if n:
        if instance_path.suffix.lower() == ".json":
            judged = "ayant des thèmes"
            left_out = (
                " JSON ne pouvant pas marquer les thèmes écrits par --apply, ceux-ci sont "
                "comptés aussi."
            )
        else:
            judged = "dont les thèmes ont été choisis à la main"
            left_out = (
                f" Non comptées\u00a0: les {plural_fr(score.unchecked, 'proposition')} dont "
                f"--apply a écrit les thèmes (marqués `{SUGGESTED_MARK}`)."
                if score.unchecked > 1
                else " Non comptée\u00a0: la proposition dont --apply a écrit les thèmes "
                f"(marqués `{SUGGESTED_MARK}`)."
                if score.unchecked
                else ""
            )
        of = f"des {n} propositions" if n > 1 else "proposition sur 1"
        only = "n'en trouverait que" if score.baseline < score.top1 else "en trouverait"
        out.print(
            f"Le premier thème suggéré est le thème principal de {score.top1} {of} {judged} "
            f"({_percent(score.rate(score.top1), 'fr')})\u00a0; le thème principal figure "
            f"parmi les deux premiers pour {score.top2} sur {n} "
            f"({_percent(score.rate(score.top2), 'fr')})\u00a0; suggérer toujours "
            f"{score.baseline_theme} {only} {score.baseline} sur {n} "
            f"({_percent(score.rate(score.baseline), 'fr')}).{left_out}",
            markup=False,
        )
    elif score.unchecked:
        out.print(
            "aucun thème choisi à la main pour évaluer les suggestions\u00a0: ceux de "
            f"{plural_fr(score.unchecked, 'proposition')} ont été écrits par --apply "
            f"(marqués `{SUGGESTED_MARK}`)",
            markup=False,
        )


def _print_applied(
    out: Console,
    suggestions: list[ProposalSuggestions],
    applied: dict[str, list[str]],
    instance_path: Path,
    target: Path,
    lang: str = "en",
) -> None:
    """What --apply wrote where, and which proposals it left without a theme."""
    if lang == "fr":
        _print_applied_fr(out, suggestions, applied, instance_path, target)
        return
    left = [s.proposal for s in suggestions if not s.current and s.proposal not in applied]
    why = ""
    if left:
        why = f"too little evidence to pick a theme for {first_of(left)}, left without one"
        if len(left) > 10:
            why += f" (`scheduler themes {target}` lists them all)"
    if applied:
        # JSON has no comments to mark the themes as suggestions
        marks = (
            "; JSON cannot mark them as suggestions: later runs count them as hand-chosen"
            if writes_json(target, instance_path)
            else f", marked `{SUGGESTED_MARK}`"
        )
        line = f"wrote themes into {plural(len(applied), 'proposal')} in {target}{marks}"
        line += f"; {why}" if why else ""
    else:
        # "wrote themes into 0 proposals" was printed for a file left as it was
        why = why or "every proposal has themes already"
        if target.resolve() == instance_path.resolve():
            line = f"no themes written, {instance_path} left as it was: {why}"
        else:
            line = f"wrote {target}, a copy of {instance_path} with no theme added: {why}"
    out.print(line, markup=False)


def _print_applied_fr(
    out: Console,
    suggestions: list[ProposalSuggestions],
    applied: dict[str, list[str]],
    instance_path: Path,
    target: Path,
) -> None:
    """`_print_applied` in French."""
    left = [s.proposal for s in suggestions if not s.current and s.proposal not in applied]
    why = ""
    if left:
        one = len(left) == 1
        why = (
            f"trop peu d'indices pour choisir un thème pour {first_of(left, more=MORE_FR)}, "
            f"laissée{'' if one else 's'} sans thème"
        )
        if len(left) > 10:
            why += f" (`scheduler themes {target}` les liste toutes)"
    if applied:
        marks = (
            "\u00a0; JSON ne peut pas les marquer comme suggestions\u00a0: les prochaines "
            "exécutions les compteront comme choisis à la main"
            if writes_json(target, instance_path)
            else f", marqués `{SUGGESTED_MARK}`"
        )
        line = f"thèmes écrits dans {plural_fr(len(applied), 'proposition')} de {target}{marks}"
        line += f"\u00a0; {why}" if why else ""
    else:
        why = why or "chaque proposition a déjà des thèmes"
        if target.resolve() == instance_path.resolve():
            line = f"aucun thème écrit, {instance_path} laissé tel quel\u00a0: {why}"
        else:
            line = (
                f"écrit\u00a0: {target}, une copie de {instance_path} sans thème ajouté\u00a0: "
                f"{why}"
            )
    out.print(line, markup=False)


def _as_json(
    suggestions: list[ProposalSuggestions],
    score: Accuracy,
    applied: dict[str, list[str]],
    top: int,
    threshold: float,
) -> dict:
    return {
        "threshold": threshold,
        "min_evidence": MIN_EVIDENCE,
        "proposals": [
            {
                "id": s.proposal,
                "title": s.title,
                "current": s.current,
                "unchecked": s.unchecked,
                "pick": s.pick(threshold),
                "applied": applied.get(s.proposal),
                "ranked": [
                    {
                        "theme": r.theme,
                        "score": round(r.score, 4),
                        "evidence": round(r.evidence, 4),
                        "words": [{"word": w, "weight": round(c, 4)} for w, c in r.words],
                    }
                    for r in s.ranked[:top]
                ],
            }
            for s in suggestions
        ],
        "accuracy": {
            "proposals": score.proposals,
            "top1": score.top1,
            "top2": score.top2,
            "any_theme": score.any_theme,
            "baseline": score.baseline,
            "baseline_theme": score.baseline_theme,
            "unchecked": score.unchecked,
        },
    }


def register(app: typer.Typer) -> None:
    """Add `import` and `themes` to the main CLI."""
    app.command("import")(import_command)
    app.command("themes")(themes_command)
