"""Import: the call's form answers, FOST's slots and speakers' availability -> an instance.

Pandas reads each table (CSV in any common encoding and delimiter, or a spreadsheet);
headers are recognised in French or English; each cell is read by a small function
that either returns a value or says why it cannot. A row that cannot be read becomes
a `RowProblem` naming the file, the row (as a spreadsheet numbers it, header = row 1)
and the column. The assembled instance is validated by `parse_instance` before
anything is written, so a written file always loads.

Ids are stable: speakers get the folded slug of their name (`Jeanne  DUPONT`,
`jeanne dupont` and `Jéanne Dupont` are all `jeanne-dupont`); proposals get the form's
`id` column when there is one, else `p-` + a short slug of the title + six hex digits
of a hash of the folded title and speaker ids, so adding, removing or reordering rows
never renames another proposal. Re-importing with `--keep`, a proposal whose title was
edited keeps the id it had (see `_match_renamed`), and so does one whose presenters
changed (`_match_represented`) and a speaker whose name's spelling was fixed
(`_keep_speaker_ids`): the ids name the calendar events and the speakers' calendars.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import csv
import functools
import hashlib
import io
import itertools
import json
import math
import re
import unicodedata
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import yaml
from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.files import TABLE_SUFFIXES, YAML_LOADER, load_yaml, write_atomic
from scheduler.instance import (
    ABSTRACT_MAX_CHARS,
    MAX_SPEAKERS,
    TEXT_LABELS,
    Instance,
    Theme,
    email_address,
    load_instance,
    parse_instance,
    read_document,
)
from scheduler.text import (
    MORE_FR,
    WEEKDAYS_FR,
    Bilingual,
    first_of,
    guillemets,
    have_no_theme,
    in_language,
    more_of,
    plural,
    plural_fr,
)
from scheduler.themes import (
    STOP_WORDS,
    SUGGESTED_MARK,
    dump_marked,
    fold,
    marked_as_suggested,
)

SPREADSHEET_ENGINES = {
    ".xlsx": "openpyxl",
    ".xlsm": "openpyxl",
    ".xls": "calamine",
    ".ods": "calamine",
}
"""pandas' reader per workbook suffix: openpyxl for Excel's own (pandas' default, given so that
its coming change of default changes nothing here), calamine for LibreOffice's .ods and
Excel 97-2003's .xls (pandas' other readers for them, odfpy and xlrd, read only
the error cells calamine reads as empty, `_mark_calamine_errors`: odfpy reads an .ods a
hundred times slower)."""
TITLE_MAX_CHARS = 300
_EMPTY_VALUES = {"", "-", "--", "/", "n/a", "na", "nan", "none", "null", "aucun", "aucune",
                 "sans objet", "non applicable", "not applicable", "nc", "s.o."}  # fmt: skip


# ---------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be read: file, spreadsheet row number, column, reason."""

    path: Path
    row: int
    column: str | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}, {_sheet_label(self.sheet)}row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"

    def worded(self, lang: str) -> str:
        """The problem for a reader in `lang` (`str` gives the English)."""
        if lang != "fr":
            return str(self)
        where = f"{self.path}, {_sheet_label(self.sheet, lang)}ligne {self.row}"
        if self.column:
            where += f", colonne {_column(self.column, lang)}"
        return f"{where}\u00a0: {in_language(self.message, lang)}"


class BadRowsError(InputError):
    """Some rows cannot be read and the user did not ask to skip them."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        # rows, not problems (a row may have several), counted in the file they are in: a
        # slots row was counted among the form's
        rows: dict[Path, set[tuple[str | None, int]]] = defaultdict(set)
        for problem in problems:
            rows[problem.path].add((problem.sheet, problem.row))
        first, *others = rows
        counts = [plural(len(rows[first]), "row")] + [
            f"{plural(len(rows[path]), 'row')} of {path}" for path in others
        ]
        listed = f"{', '.join(counts[:-1])} and {counts[-1]}" if others else counts[0]
        count_rows = sum(len(numbers) for numbers in rows.values())
        found = f" ({plural(len(problems), 'problem')})" if len(problems) > count_rows else ""
        super().__init__(
            first,
            None,
            None,
            f"{listed} cannot be read{found}; nothing written "
            "(fix them, or pass --skip-bad-rows to import the rest)",
        )

    def __str__(self) -> str:
        head = f"{self.message}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class CellError(ValueError):
    """A cell's value cannot be read; the message says what was expected (a `Bilingual`:
    `args[0]` carries the French)."""


def _cell_error(en: str, fr: str) -> CellError:
    return CellError(Bilingual(en, fr))


@dataclass(frozen=True)
class SheetError:
    """A cell holding a formula's error (`#N/A`...), which pandas reads as an empty cell
    (NaN): a `Statut` whose VLOOKUP found nothing dropped its proposal as not accepted."""

    code: str
    """As the spreadsheet shows it; '' when it could not be read back."""

    def __str__(self) -> str:
        return self.code or "#ERROR"


SHEET_ERRORS = {
    "#N/A": "a formula that found nothing, such as a VLOOKUP",
    "#VALUE!": "a formula given a value of the wrong kind",
    "#REF!": "a formula pointing at a cell that was deleted",
    "#DIV/0!": "a formula dividing by zero",
    "#NAME?": "a formula naming a function or range that does not exist",
    "#NUM!": "a formula whose number is out of range",
    "#NULL!": "a formula whose ranges do not meet",
    "#SPILL!": "a formula whose results have no room",
    "#CALC!": "a formula that cannot be calculated",
}
"""Excel's and LibreOffice's error values, with what causes each. A cell showing one
(read from the workbook, or as text in a CSV saved from it) is a bad row, never a
value: `#VALUE!` was imported as a title."""
SHEET_ERRORS_FR = {
    "#N/A": "une formule qui n'a rien trouvé, comme une RECHERCHEV",
    "#VALUE!": "une formule appliquée à une valeur du mauvais type",
    "#REF!": "une formule qui désigne une cellule supprimée",
    "#DIV/0!": "une formule qui divise par zéro",
    "#NAME?": "une formule qui nomme une fonction ou une plage inexistante",
    "#NUM!": "une formule dont le nombre est hors limites",
    "#NULL!": "une formule dont les plages ne se croisent pas",
    "#SPILL!": "une formule dont les résultats n'ont pas la place de s'afficher",
    "#CALC!": "une formule qui ne peut pas être calculée",
}
"""`SHEET_ERRORS` in French (the codes as the file holds them, English in any Excel)."""
_LIBREOFFICE_ERROR = re.compile(r"Err:\d{3}")


@dataclass(frozen=True)
class UnsavedFormula:
    """A cell holding a formula saved without its value, which pandas reads as empty."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def sheet_error(value: Any) -> str | None:
    """The message for a cell holding a spreadsheet's error value, else None."""
    if isinstance(value, UnsavedFormula):
        return Bilingual(
            f"the cell holds a formula whose value was never computed ({value.formula}), as "
            "a workbook written by a script saves it: open and save the file in Excel or "
            "LibreOffice, or give its value",
            "la cellule contient une formule dont la valeur n'a jamais été calculée "
            f"({guillemets(value.formula)}), comme l'enregistre un classeur écrit par un "
            "script\u00a0: ouvrez et enregistrez le fichier dans Excel ou LibreOffice, ou "
            "donnez sa valeur",
        )
    if isinstance(value, SheetError):
        code = value.code
    else:
        code = _text(value)
        if code not in SHEET_ERRORS and not _LIBREOFFICE_ERROR.fullmatch(code):
            return None
    if not code:
        return Bilingual(
            "the cell holds a spreadsheet error (a formula that failed): give its value",
            "la cellule contient une erreur de tableur (une formule qui a échoué)\u00a0: "
            "donnez sa valeur",
        )
    cause = SHEET_ERRORS.get(code, "a formula that failed")
    cause_fr = SHEET_ERRORS_FR.get(code, "une formule qui a échoué")
    return Bilingual(
        f"the cell holds the spreadsheet error {code} ({cause}): give its value",
        f"la cellule contient l'erreur de tableur {code} ({cause_fr})\u00a0: donnez sa valeur",
    )


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------


@dataclass
class Table:
    """A sheet as rows of cells keyed by the original headers; row numbers as a spreadsheet shows."""

    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    sheet: str | None = None
    """The sheet's name, in a workbook of several sheets (where a row number needs it)."""
    others: list[Table] = field(default_factory=list)
    """The workbook's other sheets, in order, when this is its first."""
    notes: list[str] = field(default_factory=list)
    """How the file was read, where it was a guess (passed on by `pick_sheet`)."""
    repeats: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Column -> its header and which copy it is (1, 2...), for a header written twice."""
    hidden: bool = False
    """A workbook's sheet that Excel or LibreOffice does not show."""
    merged: list[str] = field(default_factory=list)
    """The note on its cells merged over several rows, if any (`_sheet_layout`)."""

    @property
    def place(self) -> str | None:
        """The sheet as the record of an error message: None outside such workbooks."""
        return f"sheet '{self.sheet}'" if self.sheet is not None else None


def _sheet_label(sheet: str | None, lang: str = "en") -> str:
    if sheet is None:
        return ""
    return f"feuille {guillemets(sheet)}, " if lang == "fr" else f"sheet '{sheet}', "


def _column(name: str, lang: str = "en") -> str:
    """A column's header as a note names it: 'Statut', « Statut »."""
    return guillemets(name) if lang == "fr" else f"'{name}'"


def _cell(text: str, lang: str = "en") -> str:
    """A cell's text as a note quotes it: repr's 'bad@' in English, « bad@ » in French
    (a line break shown as repr shows it, so that the quote stays on one line)."""
    if lang != "fr":
        return repr(text)
    return guillemets(re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m[0])[1:-1], text))


def _rows_word(count: int, lang: str = "en") -> str:
    """'row' or 'rows', 'ligne' or 'lignes', as a list of row numbers is headed."""
    if lang == "fr":
        return "ligne" if count == 1 else "lignes"
    return "row" if count == 1 else "rows"


def read_table(path: Path) -> Table:
    """Read a CSV (UTF-8 or Windows encodings, `,` `;` or tab) or a workbook: its first
    sheet, with the others in `Table.others` (see `pick_sheet`)."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, None, None, "is a folder, not a file")
    if not path.is_file():
        raise InputError(path, None, None, "file not found")
    if path.suffix.lower() in (".yaml", ".yml", ".json"):  # an instance or a solution
        raise InputError(
            path,
            None,
            None,
            "a YAML or JSON file, not a table: import reads CSV files or spreadsheets "
            "(an instance is what it writes)",
        )
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_ENGINES:
        engine = SPREADSHEET_ENGINES[suffix]
        with _read_errors(path, calamine=engine == "calamine"):
            sheets = pd.read_excel(
                path,
                sheet_name=None,
                dtype=object,
                keep_default_na=False,
                header=0,
                engine=engine,
            )
        errors_note = None
        if engine == "openpyxl":
            _mark_errors(path, sheets)
            _mark_unsaved_formulas(path, sheets)
        else:
            errors_note = _mark_calamine_errors(path, sheets)
        hidden, merged_notes = _sheet_layout(path, sheets)
        names = list(sheets) if len(sheets) > 1 else [None]
        tables = [
            _table(path, frame, name, sheet in hidden, merged_notes.get(sheet, []))
            for name, (sheet, frame) in zip(names, sheets.items(), strict=True)
        ]
        # the visible sheets first: a hidden one (a stale copy kept out of sight) was
        # read as the first, the answers on the sheet Excel shows left out
        tables.sort(key=lambda table: table.hidden)
        first, others = tables[0], tables[1:]
        first.others = others
        first.notes += [errors_note] if errors_note else []
        return first
    with _read_errors(path):
        data = path.read_bytes()
    text, encoding_note = _decode(path, data)
    text = _line_ends(text)
    if not text.strip():  # (pandas: "No columns to parse from file")
        raise InputError(path, None, None, "the file is empty: no header row, no rows")
    delimiter, note = _delimiter(path.name, text)
    short, width = _check_row_lengths(path, text, delimiter)
    with _read_errors(path), warnings.catch_warnings():
        # (the empty cells past the header's, which `usecols` drops)
        warnings.simplefilter("ignore", pd.errors.ParserWarning)
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            # Blank lines stay rows, so row numbers match what a spreadsheet shows.
            skip_blank_lines=False,
            engine="python",
            # a row longer than the header is not an index: pandas took its first
            # cells as one, every column shifted, and the error named another
            index_col=False,
            # the empty cells past the header's, on any row (without it pandas
            # drops them on the first data row only, and refuses later ones)
            usecols=range(width),
        )
    table = _table(path, frame, None)
    table.notes += [encoding_note] if encoding_note else []
    table.notes += [note] if note else []
    table.notes += [short] if short else []
    _not_utf8(table)
    return table


READ_ERRORS: tuple[type[Exception], ...] = (
    ValueError,  # pandas' ParserError and EmptyDataError; openpyxl's bad values
    OSError,
    zipfile.BadZipFile,  # an .xlsx that is no zip (random bytes, an .xls, an encrypted file)
    KeyError,  # openpyxl: a zip without a workbook's parts (an .ods named .xlsx)
    SyntaxError,  # openpyxl: a part's broken XML (ElementTree's ParseError, lxml's too)
)
"""What pandas and its readers raise on a file that is not the table it claims to be
(each seen on such files, tests/test_import.py `test_a_file_no_library_reads_is_bad_input`);
with calamine's own `CalamineError` (random bytes, a truncated or unknown file). Anything
else raised while reading is a defect, and surfaces as one."""


@contextmanager
def _read_errors(path: Path, calamine: bool = False) -> Iterator[None]:
    """A library's read error in the block as bad input naming the file (exit 2); only the
    libraries' calls go in it, so that a defect of the import's own helpers is not
    reported as an unreadable table. With `calamine`, its errors too."""
    errors = READ_ERRORS
    if calamine:
        from python_calamine import CalamineError  # (as pandas: only .ods and .xls load it)

        errors += (CalamineError,)
    try:
        yield
    except errors as exc:
        said = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise InputError(path, None, None, f"cannot read the table: {said}") from None


def _mark_errors(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Put a `SheetError` where pandas' openpyxl reader put NaN: it does so for error cells
    only (empty ones are ''), and drops the error's code, read back here to be named."""
    if not any(frame.isna().to_numpy().any() for frame in sheets.values()):
        return
    import openpyxl  # (as pandas does: a CSV import never loads it)

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for name, frame in sheets.items():
            codes = {
                (cell.row - 2, cell.column - 1): str(cell.value)
                for row in book[name].iter_rows(min_row=2)
                for cell in row
                if getattr(cell, "data_type", None) == "e"
            }
            for i, j in zip(*frame.isna().to_numpy().nonzero(), strict=True):
                frame.iat[i, j] = SheetError(codes.get((int(i), int(j)), ""))
    finally:
        book.close()


_FORMULA = re.compile(rb"<(?:\w+:)?f[ />]")
"""A formula's element in a worksheet's XML (`<f>`, `<f t="shared" .../>`, `<x:f>`)."""


def _mark_unsaved_formulas(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    """Put an `UnsavedFormula` where a cell holds a formula saved without its value (as a
    script writes a workbook: openpyxl, pandas), which pandas reads as empty: a title was
    "empty", a status `=IF(...)` left its proposal out as not accepted. openpyxl reads a
    cell's formula or its saved value, not both: a workbook with no formula in its sheets
    is not read again, one with formulas twice when a cell read as empty holds one."""
    if not _in_worksheets(path, _FORMULA):
        return
    import openpyxl

    formulas: dict[tuple[str, int, int], str] = {}
    for name, frame, i, j, cell in _cells_of(openpyxl.load_workbook(path, read_only=True), sheets):
        if cell.data_type == "f" and _text(frame.iat[i, j]) == "":
            formulas[name, i, j] = str(cell.value)
    if not formulas:
        return
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for name, frame, i, j, cell in _cells_of(book, sheets):
        # (a formula whose value is an empty text is saved as such: typed 'str')
        if (name, i, j) in formulas and cell.value is None and cell.data_type != "str":
            frame.iat[i, j] = UnsavedFormula(formulas[name, i, j])


def _in_worksheets(path: Path, pattern: re.Pattern[bytes]) -> bool:
    """Whether an .xlsx's sheets hold `pattern` in their XML, a quick look before a slow
    read; True for a file that is no such archive (an .xls)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
            return any(pattern.search(archive.read(part)) for part in parts)
    except (zipfile.BadZipFile, OSError):
        return True


def _cells_of(book: Any, sheets: dict[str, pd.DataFrame]) -> Iterable[tuple[Any, ...]]:
    """Each cell of an openpyxl workbook read-only under a cell pandas read: its sheet, its
    frame, its row and column there, and the cell. Closes the workbook."""
    try:
        for name, frame in sheets.items():
            for i, row in enumerate(book[name].iter_rows(min_row=2, max_row=len(frame) + 1)):
                for j, cell in enumerate(row[: frame.shape[1]]):
                    yield name, frame, i, j, cell
    finally:
        book.close()


def _mark_calamine_errors(path: Path, sheets: dict[str, pd.DataFrame]) -> str | None:
    """Put a `SheetError` where calamine read an `.ods` or `.xls` workbook's error cell as
    empty: it reads them as '', like blank cells (python-calamine cannot tell them apart, its
    issue 105), and an `#N/A` status left its proposal out as not accepted. The error cells
    are read back with odfpy or xlrd, as `_mark_errors` does with openpyxl. A file that
    library cannot open (calamine, which read it, also reads an .xlsx named .xls) keeps its
    cells as calamine read them: the note returned says so."""
    if not any((frame == "").to_numpy().any() for frame in sheets.values()):
        return None
    ods = _is_ods(path)
    try:
        found = _ods_error_cells(path) if ods else _xls_error_cells(path)
    except Exception as exc:  # (either library raises many kinds, on a file calamine read)
        library = "odfpy" if ods else "xlrd"
        return Bilingual(
            f"{path.name}: its cells holding a spreadsheet error (#N/A...) cannot be told "
            f"from empty ones ({library} cannot open the file: {exc}): check that no cell the "
            "import reads shows one, or save the file as .xlsx",
            f"{path.name}\u00a0: ses cellules contenant une erreur de tableur (#N/A…) ne se "
            f"distinguent pas des cellules vides ({library} ne peut pas ouvrir le fichier\u00a0: "
            f"{guillemets(str(exc))})\u00a0: vérifiez qu'aucune des cellules que lit l'import "
            "n'en affiche, ou "
            "enregistrez le fichier en .xlsx",
        )
    for name, cells in found.items():
        frame = sheets.get(name)
        if frame is None:
            continue
        for rows, columns, code in cells:
            value = code if isinstance(code, UnsavedFormula) else SheetError(code)
            # (a sheet's row 0 is the header's; a frame's row 0 is the sheet's second)
            for row in range(max(rows.start, 1), min(rows.stop, len(frame) + 1)):
                for column in range(columns.start, min(columns.stop, frame.shape[1])):
                    if _text(frame.iat[row - 1, column]) == "":
                        frame.iat[row - 1, column] = value
    return None


def _is_ods(path: Path) -> bool:
    """Whether odfpy, not xlrd, reads the file: by its content, as calamine does (an .ods
    named .xls is read as an .ods; an .xlsx under either name goes to xlrd, which says so)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "content.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return path.suffix.lower() == ".ods"


_CellErrors = dict[str, list[tuple[range, range, str | UnsavedFormula]]]
"""Sheet name -> its error cells: rows and columns from A1, 0-based, and the error's code
(or the formula of a cell saved without its value, `UnsavedFormula`)."""


def _xls_error_cells(path: Path) -> _CellErrors:
    """An `.xls` workbook's error cells, read by xlrd (a formula's saved result or a value)."""
    import xlrd  # (as pandas does: only an .xls import loads it)

    # (xlrd writes its warnings to stdout unless given a log file)
    book = xlrd.open_workbook(path, on_demand=True, logfile=io.StringIO())
    try:
        found: _CellErrors = {}
        for name in book.sheet_names():
            sheet = book.sheet_by_name(name)
            found[name] = [
                (range(i, i + 1), range(j, j + 1), xlrd.error_text_from_code.get(code, ""))
                for i in range(sheet.nrows)
                for j, kind in enumerate(sheet.row_types(i))
                if kind == xlrd.XL_CELL_ERROR
                for code in [sheet.cell_value(i, j)]
            ]
            book.unload_sheet(name)
        return found
    finally:
        book.release_resources()


_CALCEXT_VALUE_TYPE = (
    "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "value-type",
)
"""Where LibreOffice marks a cell holding an error (ODF itself has no error type)."""


def _ods_error_cells(path: Path) -> _CellErrors:
    """An `.ods` workbook's error cells, read by odfpy: those LibreOffice marks so, or a
    formula whose shown text is an error's code (as another writer may save one); and its
    formulas saved without their value (no `office:value-type`, as a script writes them
    with odfpy), which calamine reads as empty, as pandas does an .xlsx's."""
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import Table as OdfTable
    from odf.table import TableRow

    found: _CellErrors = {}
    cell_names = {(TABLENS, "table-cell"), (TABLENS, "covered-table-cell")}
    for table in load(str(path)).spreadsheet.getElementsByType(OdfTable):
        cells = found.setdefault(table.attributes.get((TABLENS, "name"), ""), [])
        row = 0
        for element in table.getElementsByType(TableRow):  # (also in header rows, groups)
            rows = int(element.attributes.get((TABLENS, "number-rows-repeated"), 1))
            column = 0
            for cell in element.childNodes:
                if cell.qname not in cell_names:
                    continue
                columns = int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
                text = str(cell).strip()
                formula = cell.attributes.get((TABLENS, "formula"))
                where = (range(row, row + rows), range(column, column + columns))
                if cell.attributes.get(_CALCEXT_VALUE_TYPE) == "error" or (
                    formula and sheet_error(text)
                ):
                    cells.append((*where, text))
                elif formula and not text and (OFFICENS, "value-type") not in cell.attributes:
                    # (LibreOffice saves every formula's value with its type, an empty text's too)
                    cells.append((*where, UnsavedFormula(_ods_formula(formula))))
                column += columns
            row += rows
    return found


def _ods_formula(formula: str) -> str:
    """An .ods cell's formula as a spreadsheet shows it: without OpenFormula's namespace
    (`of:=IF([.A2]=1;...)` is shown `=IF(A2=1;...)`), its cells without brackets."""
    shown = re.sub(r"^\w+:(?==)", "", formula)
    return re.sub(r"\[([^\]]*)\]", lambda cell: cell[1].lstrip(".").replace(":.", ":"), shown)


SHORT_ROWS_SHOWN = 5
"""Rows the note on rows shorter than the header names (then how many more)."""


def _check_row_lengths(path: Path, text: str, delimiter: str) -> tuple[str | None, int]:
    """A row with filled cells past the header's is bad input (a separator left
    unquoted in a cell, most often); empty ones, which spreadsheets add, are dropped.
    Rows with fewer cells than the header are read with the last ones blank, which a
    hand-written file may mean; the note returned names them, since a row cut short
    (a line break left unquoted in a cell) reads the same way. Returns that note and
    the header's number of cells."""
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(rows, [])
    if not any(cell.strip() for cell in header):
        raise InputError(path, "row 1", None, "is empty: the first row must hold the headers")
    short: list[int] = []
    for number, row in enumerate(rows, start=2):
        if any(cell.strip() for cell in row) and len(row) < len(header):
            short.append(number)
        extra = [cell for cell in row[len(header) :] if cell.strip()]
        if extra:
            raise InputError(
                path,
                f"row {number}",
                None,
                f"{len(row)} cells where the header has {len(header)} ({extra[0]!r} is past "
                "the last column): a cell holding the separator must be in quotes",
            )
    if not short:
        return None, len(header)
    named = ", ".join(str(n) for n in short[:SHORT_ROWS_SHOWN])
    left = len(short) - SHORT_ROWS_SHOWN
    more, more_fr = (f" and {left} more", f" {more_of(left, MORE_FR)}") if left > 0 else ("", "")
    one = len(short) == 1
    note = Bilingual(
        f"{path.name}: {plural(len(short), 'row')} ({named}{more}) "
        f"{'has' if one else 'have'} fewer cells than the header ("
        f"{len(header)}): the missing last ones are read as blank (a line break in a cell "
        "must be in quotes)",
        f"{path.name}\u00a0: {plural_fr(len(short), 'ligne')} ({named}{more_fr}) "
        f"{'a' if one else 'ont'} moins de cellules que l'en-tête ({len(header)})\u00a0: "
        "les dernières, absentes, sont lues vides (un saut de ligne dans une cellule doit "
        "être entre guillemets)",
    )
    return note, len(header)


def _sheet_layout(
    path: Path, sheets: dict[str, pd.DataFrame]
) -> tuple[set[str], dict[str, list[str]]]:
    """The workbook's hidden sheets, and per sheet a note on the cells merged over several
    rows, which are filled here with their value on each row (pandas reads the value on
    the first row only: a status merged over a block of answers left the block's other
    proposals out as not accepted). calamine gives no merges for an .ods: odfpy reads them."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError):  # (a file only openpyxl reads)
        return set(), {}
    try:
        hidden = {
            sheet.name
            for sheet in book.sheets_metadata
            if sheet.visible != SheetVisibleEnum.Visible
        }
        notes: dict[str, list[str]] = {}
        ods = _is_ods(path)
        ods_merged = _ods_merged_cells(path) if ods else {}
        # (calamine reads a sheet's every cell to give its merges: not where there are none)
        merges = not ods and _in_worksheets(path, re.compile(rb"<(?:\w+:)?mergeCell "))
        for name, frame in sheets.items():
            try:
                merged = book.get_sheet_by_name(name).merged_cell_ranges if merges else None
            except (CalamineError, ValueError):
                continue
            filled = _fill_merged(frame, merged or ods_merged.get(name, []))
            if filled:
                sheet = name if len(sheets) > 1 else None
                ranges = "; ".join(f"column '{c}', rows {a}-{b}" for c, a, b in filled)
                ranges_fr = "\u00a0; ".join(
                    f"colonne {guillemets(c)}, lignes {a} à {b}" for c, a, b in filled
                )
                notes[name] = [
                    Bilingual(
                        f"{path.name}: {_sheet_label(sheet)}cells merged over several rows "
                        f"are read as their value on each row ({ranges})",
                        f"{path.name}\u00a0: {_sheet_label(sheet, 'fr')}les cellules "
                        "fusionnées sur plusieurs lignes sont lues avec leur valeur sur "
                        f"chaque ligne ({ranges_fr})",
                    )
                ]
        return hidden, notes
    finally:
        book.close()


def _ods_merged_cells(path: Path) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """An `.ods` workbook's cells merged over several rows, as calamine gives an .xlsx's
    (first and last cells, from 0), read by odfpy; none when the file has no such cell
    (odfpy is slow: a file without the attribute is not loaded)."""
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table as OdfTable
    from odf.table import TableRow

    try:
        with zipfile.ZipFile(path) as archive:
            if b"number-rows-spanned" not in archive.read("content.xml"):
                return {}
        document = load(str(path))
    except Exception:  # (odfpy raises many kinds, on a file calamine read)
        return {}
    found: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    cell_names = {(TABLENS, "table-cell"), (TABLENS, "covered-table-cell")}
    for table in document.spreadsheet.getElementsByType(OdfTable):
        ranges = found.setdefault(table.attributes.get((TABLENS, "name"), ""), [])
        row = 0
        for element in table.getElementsByType(TableRow):
            column = 0
            for cell in element.childNodes:
                if cell.qname not in cell_names:
                    continue
                spanned = int(cell.attributes.get((TABLENS, "number-rows-spanned"), 1))
                if spanned > 1:
                    ranges.append(((row, column), (row + spanned - 1, column)))
                column += int(cell.attributes.get((TABLENS, "number-columns-repeated"), 1))
            row += int(element.attributes.get((TABLENS, "number-rows-repeated"), 1))
    return found


def _fill_merged(
    frame: pd.DataFrame, merged: list[tuple[tuple[int, int], tuple[int, int]]]
) -> list[tuple[str, int, int]]:
    """Put each merged range's value in the empty cells of its first column below it
    (`merged`: first and last cells, rows and columns from 0, as calamine gives them);
    what was filled, as its header and its rows as a spreadsheet numbers them. A range
    within one row, or over the header, is left as it is shown."""
    filled = []
    for (top, left), (bottom, _) in merged:
        if top < 1 or bottom == top or left >= frame.shape[1] or top > len(frame):
            continue
        value = frame.iat[top - 1, left]  # (a frame's row 0 is the sheet's second)
        if _text(value) == "":
            continue
        for row in range(top, min(bottom, len(frame))):
            if _text(frame.iat[row, left]) == "":
                frame.iat[row, left] = value
        filled.append((str(frame.columns[left]).strip(), top + 1, bottom + 1))
    return filled


def _table(
    path: Path,
    frame: pd.DataFrame,
    sheet: str | None,
    hidden: bool = False,
    merged: list[str] | None = None,
) -> Table:
    # a column without a header is named by its position, not pandas' "Unnamed: 7"
    columns = [
        f"column {n} (no header)" if re.fullmatch(r"Unnamed: \d+", str(c)) else str(c).strip()
        for n, c in enumerate(frame.columns, start=1)
    ]
    # pandas names a repeated header 'Nom', 'Nom.1' (Google Forms repeats 'Nom' and
    # 'Affiliation' for each presenter); the copies are named 'Nom (2)' here, and
    # `repeats` numbers them all for the readers
    repeats: dict[str, tuple[str, int]] = {}
    for index, column in enumerate(columns):
        copy = re.fullmatch(r"(.+)\.(\d+)", column)
        if copy and copy.group(1) in columns:
            base, number = copy.group(1), int(copy.group(2)) + 1
            columns[index] = f"{base} ({number})"
            repeats[base] = (base, 1)
            repeats[columns[index]] = (base, number)
    frame.columns = columns
    rows: list[tuple[int, dict[str, Any]]] = []
    for offset, record in enumerate(frame.to_dict(orient="records")):
        if all(_text(v) == "" for v in record.values()):
            continue
        rows.append((offset + 2, record))
    return Table(path, columns, rows, sheet, repeats=repeats, hidden=hidden, merged=merged or [])


def pick_sheet(
    table: Table, classify: Callable[[str], str | None], required: Iterable[str], notes: list[str]
) -> Table:
    """The workbook's first sheet holding a column for every required field (a coordinator
    may put a cover page or notes first); the first sheet when none does, for its message."""
    required = list(required)
    notes.extend(table.notes)

    def missing(sheet: Table) -> list[str]:
        names = {classify(column) for column in sheet.columns}
        return [name for name in required if name not in names]

    lacking = missing(table)
    if not lacking:
        notes.extend(table.merged)
        return table
    for other in table.others:
        if not missing(other):
            fields_fr = ", ".join(FIELDS_FR.get(name, name) for name in lacking)
            hidden, hidden_fr = ("hidden; ", "masquée\u00a0; ") if other.hidden else ("", "")
            notes.append(
                Bilingual(
                    f"{table.path.name}: read sheet '{other.sheet}' ({hidden}the first sheet, "
                    f"'{table.sheet}', has no column for {', '.join(lacking)})",
                    f"{table.path.name}\u00a0: feuille {guillemets(str(other.sheet))} lue "
                    f"({hidden_fr}la première, {guillemets(str(table.sheet))}, n'a pas de "
                    f"colonne pour\u00a0: {fields_fr})",
                )
            )
            notes.extend(other.merged)
            return other
    return table


def _decode(path: Path, data: bytes) -> tuple[str, str | None]:
    """A CSV file's text (bytes that are not UTF-8 in a UTF-8 file kept as surrogates),
    and a note when its encoding was a guess."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), None
    if b"\x00" in data:
        # NUL bytes, which no text in UTF-8 or cp1252 holds: UTF-16 saved without its
        # byte order mark (its text was read as UTF-8, a NUL between letters)
        return _utf16_without_bom(path, data), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="surrogateescape")
    if any(ord(ch) > 127 and not _SURROGATE.match(ch) for ch in text):
        # UTF-8 letters elsewhere: a row pasted from a cp1252 file, which reading the
        # whole file as cp1252 garbled silently ('Ã‰loÃ¯se')
        return text, None
    # Excel on Windows saves CSV in cp1252.
    return _cp1252_or_mac_roman(path, data)


def _utf16_without_bom(path: Path, data: bytes) -> str:
    """UTF-16 text without a byte order mark, told by where its NUL bytes are: text in a
    Latin script has one in every other byte (the high byte of each letter), odd ones in
    little-endian, even ones in big-endian."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    for encoding, nuls, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls.count(0) > len(nuls) * 0.3 and others.count(0) < len(others) * 0.05:
            with contextlib.suppress(UnicodeDecodeError):
                return data[: len(data) // 2 * 2].decode(encoding)
    raise InputError(
        path,
        None,
        None,
        "holds NUL bytes: not text in an encoding import reads (UTF-8, UTF-16 or Windows "
        "cp1252); save it again as 'CSV UTF-8'",
    )


_CELL_BREAK = "\u2028"
"""A line break in a cell of a file whose rows end with CR alone, until `_text`."""


def _line_ends(text: str) -> str:
    """The text with rows ending in LF, as the csv module reads them. Excel for Mac's
    "CSV (Macintosh)" ends rows with CR alone, which the csv module refused as "new-line
    character seen in unquoted field"; its line breaks within a cell are LF, which then
    do not end a row, quoted or not, and are kept as `_CELL_BREAK` (made LF again by
    `_text`) so the csv module does not end a row there."""
    if "\r" not in text:
        return text
    # the line ends outside quoted cells, which alone can end a row (a file whose cells
    # held more CRs, pasted from a classic Mac application, than it had rows was taken
    # for a Mac one, and its rows read as one)
    outside = _QUOTED.sub("", text)
    if "\r\n" not in text and outside.count("\r") > outside.count("\n"):
        return text.replace("\n", _CELL_BREAK).replace("\r", "\n")
    return text.replace("\r\n", "\n").replace("\r", "\n")


_QUOTED = re.compile(r'"[^"]*"')
"""A quoted cell's text (a doubled quote inside it splits it in two, both matched)."""


_MOJIBAKE = re.compile(r"[^\W\d_]*[a-zß-öø-ÿ][ƒˆ‰Š‹ŒŽ†‡•˜™šž›Ÿ\ufffdÀ-ÖØ-Þ][^\W\d_]*")
"""A word with, after a lower-case letter, what Mac Roman's accented letters read as in
cp1252: 'é' is 'Ž', 'ç' undefined ('�'), '’' 'Õ'. Real text has no such symbol there. (A
capital accented letter after a capital, as surnames written in capitals have it,
'LEFÈVRE', is real cp1252: counted, such files were refused.)"""


def _cp1252_or_mac_roman(path: Path, data: bytes) -> tuple[str, str | None]:
    """The text of a file that is not UTF-8: Windows cp1252, or Mac Roman (Excel for
    Mac's "CSV (Macintosh)"), told apart by the words each reading garbles. Read as
    cp1252, a Mac Roman file gave a bad row for every accented word ('AcceptŽ',
    'Fran�ais') and never named its encoding."""
    text = data.decode("cp1252", errors="replace")
    garbled = _MOJIBAKE.findall(text)
    accents = sum(1 for ch in text if ord(ch) > 127)
    if not garbled or len(garbled) < accents * 0.2:
        return text, None
    mac = data.decode("mac_roman")
    if len(_MOJIBAKE.findall(mac)) * 4 <= len(garbled):
        words = list(dict.fromkeys(garbled))[:3]
        examples = _and([repr(w) for w in words])
        examples_fr = _and([_cell(w, "fr") for w in words], "fr")
        return mac, Bilingual(
            f"{path.name}: read as Mac Roman, the encoding of Excel for Mac's 'CSV "
            f"(Macintosh)' (as Windows cp1252 it gave {examples}): check its accents, or "
            "save it again as 'CSV UTF-8'",
            f"{path.name}\u00a0: lu en Mac Roman, l'encodage du {guillemets('CSV (Macintosh)')} "
            f"d'Excel pour Mac (lu en Windows cp1252, il donnait {examples_fr})\u00a0: "
            f"vérifiez ses accents, ou enregistrez-le de nouveau en {guillemets('CSV UTF-8')}",
        )
    if len(garbled) < 3:
        return text, None
    examples = _and([repr(w) for w in dict.fromkeys(garbled)][:3])
    raise InputError(
        path,
        None,
        None,
        f"its encoding cannot be told: it is not UTF-8, and read as Windows cp1252 or as "
        f"Mac Roman it gives garbled words ({examples} in cp1252); save it again as "
        "'CSV UTF-8'",
    )


_SURROGATE = re.compile("[\udc80-\udcff]")


def _not_utf8(table: Table) -> None:
    """Raise an InputError naming the rows and columns holding bytes that are not UTF-8."""
    cells = [(1, column, column) for column in table.columns] + [
        (number, column, _text(value))
        for number, record in table.rows
        for column, value in record.items()
    ]
    bad = [(number, column, text) for number, column, text in cells if _SURROGATE.search(text)]
    if not bad:
        return
    number, column, text = bad[0]
    as_cp1252 = text.encode("utf-8", "surrogateescape").decode("cp1252", errors="replace")
    rows = sorted({n for n, _, _ in bad})
    also = f"; so do {plural(len(rows) - 1, 'other row')} ({', '.join(map(str, rows[1:]))})"
    raise InputError(
        table.path,
        f"row {number}, column '{column}'",
        None,
        f"holds bytes that are not UTF-8 ({as_cp1252!r} if read as Windows cp1252) in a "
        f"file that is otherwise UTF-8{also if len(rows) > 1 else ''}: retype them, or "
        "save the file again as UTF-8",
    )


_DELIMITERS = {",": "','", ";": "';'", "\t": "tabs"}
_DELIMITERS_FR = {",": "la virgule", ";": "le point-virgule", "\t": "la tabulation"}
_SNIFF_CHARS = 64_000


def _delimiter(name: str, text: str) -> tuple[str, str | None]:
    """The delimiter of a CSV text, and a note when another would fit as well."""
    # The header line alone misread a French Excel file whose header says 'Intervenant·es
    # (nom, prénom, affiliation)': the delimiter is the one that cuts every record of a
    # sample into as many fields as the header (csv parses them, quoted line breaks and
    # all); failing that, csv.Sniffer's guess, then the commonest in the header line.
    sample = text[:_SNIFF_CHARS]
    fits = [d for d in _DELIMITERS if _cuts_evenly(sample, d, cut=len(text) > len(sample))]
    if len(fits) == 1:
        return fits[0], None
    if fits:
        chosen = max(fits, key=lambda d: len(next(csv.reader(io.StringIO(sample), delimiter=d))))
        others = " or ".join(_DELIMITERS[d] for d in fits if d != chosen)
        others_fr = " ou ".join(_DELIMITERS_FR[d] for d in fits if d != chosen)
        return chosen, Bilingual(
            f"{name}: read as separated by {_DELIMITERS[chosen]} ({others} would fit as well; "
            "check the columns listed)",
            f"{name}\u00a0: lu avec {_DELIMITERS_FR[chosen]} pour séparateur ({others_fr} "
            "conviendrait aussi\u00a0; vérifiez les colonnes listées)",
        )
    try:  # rows of uneven lengths
        return csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter, None
    except csv.Error:
        header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
        best = max(_DELIMITERS, key=header.count)
        return (best if header.count(best) else ","), None


def _cuts_evenly(sample: str, delimiter: str, cut: bool) -> bool:
    """Whether `delimiter` cuts the header in several fields, and every record in as many."""
    records = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(r)]
    if cut:  # (the last record of a sample cut short is cut short too)
        records = records[:-1]
    return bool(records) and len(records[0]) > 1 and all(len(r) == len(records[0]) for r in records)


def _text(value: Any) -> str:
    """A cell as clean text: '' for empty, integers without '.0', no stray spaces."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    text = str(value).replace("\u00a0", " ").replace("\u202f", " ").strip()
    # One character per character, as the 1500-signs limit counts them and the YAML
    # should carry them: Windows' line ends and decomposed accents (macOS) made two.
    text = unicodedata.normalize(
        "NFC", text.replace("\r\n", "\n").replace("\r", "\n").replace(_CELL_BREAK, "\n")
    )
    return "" if text.lower() in ("nan", "nat") else text


def _blank(text: str) -> bool:
    return fold(text).strip(" .") in _EMPTY_VALUES


# ---------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------


def clean_header(header: str) -> str:
    """Folded header without parentheses, punctuation or a leading article."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", header.split("\n", 1)[0])
    text = re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()
    return re.sub(r"^(?:(?:le|la|les|l|votre|vos|your|the|un|une|a)\s+)+", "", text)


_FORM_HEADERS: list[tuple[str, str]] = [
    ("id", r"^(?:id|identifiant|ref|reference|numero|no|submission id|proposal id|session id|id proposition)$"),
    ("timestamp", r"^(?:horodateur|horodatage|timestamp|date de soumission|submitted|submission date|created|date)\b"),
    ("email", r"\b(?:(?:e ?)?mails?|courriels?|adresses? electroniques?)\b"),
    ("status", r"^(?:statut|status|decision|etat|state|proposal state|submission state|selection|selectionne|accepte|accepted|retenu|resultat|result)\b"),
    ("title", r"^(?:titre|title|intitule|nom de l intervention|nom de la proposition|talk title|proposal title|sujet)\b"),
    ("abstract", r"^(?:resume|abstract|summary|description|descriptif|synopsis)\b"),
    ("format", r"^(?:format(?! participati| of the participatory)|type(?! de structure| d organisation| of organi)|session (?:type|format)|submission type|duree(?!.*participati)|duration(?!.*participat)|length)\b"),
    ("participatory", r"participati|participatory|interactiv"),
    ("language", r"^(?:langue|language|lang|idioma)\b"),
    ("themes", r"^(?:themes?|thematiques?|topics?|tracks?|axes?)\b"),
]  # fmt: skip
_PERSON_WORDS = {
    "intervenant", "intervenante", "intervenants", "intervenantes", "speaker", "speakers",
    "presenter", "presenters", "presentateur", "presentatrice", "orateur", "oratrice",
    "personne", "personnes", "nom", "noms", "name", "names", "presentant", "presenting",
}  # fmt: skip
_AFFILIATION_WORDS = {"affiliation", "affiliations", "organisation", "organization",
                      "structure", "institution", "employeur", "employer"}  # fmt: skip
_ORDINALS = {"1": 1, "2": 2, "premier": 1, "premiere": 1, "first": 1, "second": 2,
             "seconde": 2, "deuxieme": 2, "co": 2}  # fmt: skip


_NOT_PRESENTERS = re.compile(
    r"\b(?:contact|contacter|utilisateur|user|username|respondent|repondant|repondante|"
    r"biographie|biography|bio|photo|photos|picture|portrait|ip|nombre|number|attendu|"
    r"attendus|attendues|expected)\b"
)
"""Words of a header about someone else than the presenters, or about them but not who
they are: 'Personne à contacter' was read as a presenter without a word."""
_PRESENTER_WORDS = _PERSON_WORDS - {"nom", "noms", "name", "names", "personne", "personnes"}
"""Person words that name the presenters' role, not just someone."""
_BARE_NAMES = {"name", "names", "nom", "noms", "nom complet", "full name", "nom et prenom",
               "nom prenom", "prenom nom", "prenom et nom"}  # fmt: skip
"""A header that names no role: the respondent's name in Microsoft Forms' export."""
_GIVEN_HEADER = re.compile(r"\b(?:prenoms?|first ?names?|given names?|forenames?)\b")
_FAMILY_HEADER = re.compile(r"\b(?:noms?(?! de (?:la|l)\b)|last ?names?|surnames?|family names?)\b")
"""A given name's header ('Prénom', 'First name') unless it names the family name too
('Nom, prénom'); the given name was dropped (and 'First name' read as presenter 1)."""
_OTHERS_HEADER = re.compile(
    r"\b(?:autres?|others?|additional|supplementaires?)\s+(?:intervenant|speaker|presenter|"
    r"presentat|personne|orat)"
)
"""'Autres intervenant·es' beside a bare 'Nom': the presenters after the first (the bare
name was dropped as the respondent's, and with it the main presenter)."""
_ORGANISATION_NAME = re.compile(
    r"\b(?:noms?|names?)\s+(?:de|du|d|of)\s+(?:(?:la|l|votre|your|the|their|leur|sa|son)\s+)?"
    rf"(?:{'|'.join(sorted(_AFFILIATION_WORDS))})\b"
    rf"|\b(?:{'|'.join(sorted(_AFFILIATION_WORDS))})\s+names?\b"
)
"""The name of the presenters' organisation ('Nom de la structure', 'Organisation name'):
their affiliation, not a presenter ('Nom' made it a second presenters column)."""
_IDENTIFIERS = re.compile(r"\b(?:ids?|identifiants?|codes?)\b")
"""'Speaker IDs' (pretalx) holds codes, not names."""


_SOMEONE_ELSES_EMAIL = re.compile(
    r"\b(?:contacter|contact person|personne de contact|personne contact|owner|submitter|"
    r"proprietaire|soumissionnaire|respondent|repondant|repondante|utilisateur|user|"
    r"username|organisateur|organisatrice|organizer|organiser|referent|referente)\b"
)
"""An e-mail column about someone else than the presenters: Sessionize's 'Owner Email'
(whoever submitted), 'E-mail de la personne à contacter'."""


def _email_field(text: str) -> str:
    """An e-mail column ('Adresse e-mail', 'Courriel intervenant 2', 'Speaker 1 email'):
    'email' without a number (the first presenter's, or one per presenter in order),
    'speakerN_email' with one, 'email_other' when it is someone else's."""
    if _SOMEONE_ELSES_EMAIL.search(text):
        return "email_other"
    if _OTHERS_HEADER.search(text):
        return "speaker2_email"
    number = next((_ORDINALS[t] for t in text.split() if t in _ORDINALS), None)
    return f"speaker{number}_email" if number else "email"


def form_field(header: str) -> str | None:
    """What a FORM column holds: 'title', 'speakers', 'speaker2_affiliation', ... or None."""
    text = clean_header(header)
    for name, pattern in _FORM_HEADERS:
        if re.search(pattern, text):
            return _email_field(text) if name == "email" else name
    if _IDENTIFIERS.search(text):
        return None
    if _NOT_PRESENTERS.search(text) and not set(text.split()) & _PRESENTER_WORDS:
        # ('Intervenant·e – nom et bio courte' names the presenters all the same; beside
        # another presenters column it is left out: `map_columns`)
        return None
    # '..., 2 max' or '(au maximum 2 personnes)' bounds the presenters, numbers none;
    # 'first name' is a given name, not presenter 1
    text = re.sub(r"\b(?:max(?:imum)?\s+\d+|\d+\s+max(?:imum)?)\b", " ", text)
    given = _GIVEN_HEADER.search(text) and not _FAMILY_HEADER.search(text)
    tokens = _GIVEN_HEADER.sub(" name ", _FAMILY_HEADER.sub(" name ", text)).split()
    number = 2 if _OTHERS_HEADER.search(text) else None
    number = number or next((_ORDINALS[t] for t in tokens if t in _ORDINALS), None)
    person = any(t in _PERSON_WORDS for t in tokens)
    affiliation = any(t in _AFFILIATION_WORDS for t in tokens)
    organisation = _ORGANISATION_NAME.search(text)
    named = {"nom", "noms", "name", "names"} & set(tokens) if not organisation else set()
    if given:
        return f"speaker{number or 1}_given"
    if number is not None and (person or affiliation):
        return f"speaker{number}_affiliation" if affiliation and not named else f"speaker{number}"
    if tokens and (tokens[0] in _AFFILIATION_WORDS or organisation) and not named:
        # 'Affiliation' beside 'Nom', 'Structure de l'intervenant·e': the presenters'
        # (`_row_presenters`); not 'Type de structure'
        return "speaker1_affiliation"
    return "speakers" if person else None


_SLOT_HEADERS: list[tuple[str, str]] = [
    ("id", r"^(?:id|identifiant|slot id|code|ref)$"),
    ("room", r"^(?:salle|room|lieu|espace|location|amphi|amphitheatre|auditorium)\b"),
    ("start", r"^(?:debut|heure de debut|heure debut|horaire de debut|start|starts|start time|begin|from|de|commence)\b"),
    ("end", r"^(?:fin|heure de fin|heure fin|horaire de fin|end|ends|end time|until|to|a|jusqu)\b"),
    ("hours", r"^(?:horaires?|heures?|time|times|creneau|creneaux|plage|slot)\b"),
    ("date", r"^(?:date|jour|day)\b"),
    ("theme", r"^(?:themes?|thematiques?|topic|track)\b"),
    ("language", r"^(?:langue|language|lang)\b"),
    ("closed", r"^(?:ferme|fermee|closed|bloque|blocked)\b"),
    ("capacity", r"^(?:capacite|capacity|places|jauge|seats|nombre de places)\b"),
    ("note", r"^(?:note|notes|remarques?|commentaires?|comments?)\b"),
]  # fmt: skip
_AVAIL_HEADERS: list[tuple[str, str]] = [
    ("speaker", r"^(?:intervenant|intervenante|speaker|presenter|presentateur|presentatrice|nom|name|personne|orateur|oratrice|qui|who)\b"),
    ("kind", r"^(?:disponibilite|disponible|dispo|availability|available|statut|status|type|etat|contrainte|constraint)\b"),
    ("start", _SLOT_HEADERS[2][1]),
    ("end", _SLOT_HEADERS[3][1]),
    ("hours", _SLOT_HEADERS[4][1]),
    ("date", _SLOT_HEADERS[5][1]),
    ("note", _SLOT_HEADERS[10][1]),
]  # fmt: skip


def _presenters_rank(header: str) -> int:
    """How surely a presenters column names them: 3 by their role alone ('Intervenant·es'),
    2 by their role and name among other things ('Presenter name / contact'), 1 a bare
    name (perhaps the respondent), 0 about them but not their name ('Speaker bio')."""
    text = clean_header(header)
    if text in _BARE_NAMES:
        return 1
    if not _NOT_PRESENTERS.search(text):
        return 3
    return 2 if {"nom", "noms", "name", "names"} & set(text.split()) else 0


def _abstract_rank(header: str) -> int:
    """1 for a description ('Description', 'Descriptif'), 2 for an abstract ('Résumé')."""
    return 1 if re.match(r"descri", clean_header(header)) else 2


def _format_rank(header: str) -> int:
    """1 for a duration ('Duration', 'Durée'), 2 for a format ('Session type', 'Format')."""
    return 1 if re.match(r"duree|duration|length", clean_header(header)) else 2


_FORM_SURER: dict[str, tuple[Callable[[str], int], str | None]] = {
    "speakers": (_presenters_rank, None),
    "abstract": (_abstract_rank, None),
    "format": (_format_rank, "minutes"),
}
"""Of two form columns read as one field, the surer is kept and the other ignored, or read
as the field named: a bare 'Name' beside 'Speakers' is the respondent (Microsoft Forms'
export), 'Biographie de l'intervenant' beside either not who they are; pretalx's
'Description' beside its 'Abstract', and its 'Duration' beside its 'Session type' (the
minutes of the format), asked to rename one."""


EMAIL_FIELDS = ("email", "speaker1_email", "speaker2_email")


def map_columns(
    table: Table,
    classify: Callable[[str], str | None],
    required: Iterable[str],
    examples: dict[str, str],
    notes: list[str] | None = None,
    surer: dict[str, tuple[Callable[[str], int], str | None]] | None = None,
) -> dict[str, str]:
    """Field -> column of `table`; an InputError if a required field has no column or two
    (but for the fields of `surer`, see `_FORM_SURER`). Columns read as nothing are listed
    in `notes`, so a coordinator sees what was ignored."""
    found: dict[str, str] = {}
    ignored: list[str] = []
    for column in table.columns:
        name = classify(column)
        if name is None:
            ignored.append(column)
        if name in (None, "note", "email_other"):
            continue
        if name in found and name in EMAIL_FIELDS:
            # (a second address column, a form's own beside the one Google Forms collects,
            # is never worth refusing the import for: the first is read, this one listed)
            ignored.append(column)
            continue
        if name in found and name in (surer or {}):
            rank, other_field = (surer or {})[name]
            kept, other = sorted((found[name], column), key=rank, reverse=True)
            if rank(kept) > rank(other) and (other_field is None or other_field not in found):
                found[name] = kept
                if other_field is None:
                    ignored.append(other)
                else:
                    found[other_field] = other
                continue
        if name in found:
            raise InputError(
                table.path,
                table.place,
                None,
                f"columns '{found[name]}' and '{column}' both read as {name}; rename one",
            )
        found[name] = column
    if ignored and notes is not None:
        ignored_fr = "colonne ignorée" if len(ignored) == 1 else "colonnes ignorées"
        notes.append(
            Bilingual(
                f"{table.path.name}: {_sheet_label(table.sheet)}ignored columns "
                + ", ".join(repr(c) for c in ignored),
                f"{table.path.name}\u00a0: {_sheet_label(table.sheet, 'fr')}{ignored_fr}\u00a0: "
                + ", ".join(_cell(c, "fr") for c in ignored),
            )
        )
    missing = [name for name in required if name not in found]
    if missing:
        expected = "; ".join(f"{n}: {examples.get(n, n)}" for n in missing)
        others = (
            "; no other sheet has them either ("
            + ", ".join(f"'{other.sheet}'" for other in table.others)
            + ")"
            if table.others
            else ""
        )
        headless = all(c.endswith(" (no header)") for c in table.columns)
        found_text = (
            "its first row, where the headers go, is empty"
            if headless
            else f"columns found: {', '.join(repr(c) for c in table.columns)}"
        )
        raise InputError(
            table.path,
            table.place,
            None,
            f"no column for {', '.join(missing)} (expected headers such as {expected}); "
            f"{found_text}{others}",
        )
    return found


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------

_KEYNOTE_WORDS = ("keynote", "key note", "conference", "contextualisation", "problematisation",
                  "intervention longue", "long talk")  # fmt: skip
_INITIATIVE_WORDS = ("initiative", "inspirant", "inspiring", "lightning", "pitch",
                     "retour d experience", "showcase", "short talk")  # fmt: skip
_CANONICAL_MINUTES = {"keynote": 20, "initiative": 10}


def read_format(value: str) -> str:
    """'Keynote (20')', 'Présentation d'initiatives inspirantes (10')' -> keynote / initiative."""
    text = re.sub(r"[^a-z0-9]+", " ", fold(value)).strip()
    by_word = {
        fmt
        for fmt, keys in (("keynote", _KEYNOTE_WORDS), ("initiative", _INITIATIVE_WORDS))
        if any(k in text for k in keys)
    }
    minutes = {int(m) for m in re.findall(r"(\d+)\s*(?:min|mn|minutes?)?\b", text)}
    by_minutes = {fmt for fmt, m in _CANONICAL_MINUTES.items() if m in minutes}
    odd = minutes - set(_CANONICAL_MINUTES.values())
    expected, expected_fr = "keynote (20') or initiative (10')", "keynote (20') ou initiative (10')"
    said = _cell(value, "fr")
    if len(by_word) > 1 or (by_word and by_minutes and by_word != by_minutes):
        raise _cell_error(
            f"cannot tell {value!r} apart: {expected}", f"{said} est ambigu\u00a0: {expected_fr}"
        )
    chosen = by_word or by_minutes
    if not chosen:
        raise _cell_error(
            f"cannot read {value!r} as {expected}", f"impossible de lire {said} comme {expected_fr}"
        )
    if odd:
        raise _cell_error(
            f"cannot read {value!r}: the call offers {expected} only",
            f"impossible de lire {said}\u00a0: l'appel ne propose que {expected_fr}",
        )
    return chosen.pop()


_LANGUAGES = {
    "fr": "fr", "fra": "fr", "fre": "fr", "francais": "fr", "french": "fr", "francaise": "fr",
    "en": "en", "eng": "en", "ang": "en", "anglais": "en", "english": "en", "anglaise": "en",
    "gb": "en", "uk": "en", "us": "en",
}  # fmt: skip


_LANGUAGE_NAMES = {"francais", "francaise", "french", "anglais", "anglaise", "english"}


def read_language(value: str) -> str:
    """'FR', 'Français', 'English', 'anglais' -> fr / en; two languages is not one."""
    words = [w for w in re.split(r"[^a-z]+", fold(value)) if w]
    # 'en' before a language's name is the French preposition ('En français'), not EN
    words = [
        w
        for w, after in itertools.zip_longest(words, words[1:])
        if not (w in ("en", "in") and after in _LANGUAGE_NAMES)
    ]
    found = {_LANGUAGES[w] for w in words if w in _LANGUAGES}
    if len(found) == 1:
        return found.pop()
    outside = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", value)
    if len(found) > 1 and outside != value:
        # 'French (with English slides)': the language spoken is the one outside brackets
        with contextlib.suppress(CellError):
            return read_language(outside)
    if len(found) > 1:
        raise _cell_error(
            f"{value!r} names two languages; each proposal needs one (FR or EN)",
            f"{_cell(value, 'fr')} nomme deux langues\u00a0; chaque proposition n'en a qu'une "
            "(FR ou EN)",
        )
    raise _cell_error(
        f"cannot read {value!r} as a language (FR or EN)",
        f"impossible de lire {_cell(value, 'fr')} comme une langue (FR ou EN)",
    )


_ACCEPTED = {"accepte", "acceptee", "acceptes", "acceptees", "accepted", "accept", "retenu",
             "retenue", "selected", "selectionne", "selectionnee", "oui", "yes", "ok", "valide",
             "validee", "confirme", "confirmee", "confirmed", "go", "programme", "programmee",
             "1", "true", "vrai", "x", "y", "o", "✅", "✓", "✔", "☑", "👍"}  # fmt: skip
_NOT_ACCEPTED = {"refuse", "refusee", "rejete", "rejetee", "rejected", "reject", "declined",
                 "decline", "non", "no", "non retenu", "non retenue", "not selected", "pending",
                 "en attente", "attente", "liste d attente", "waitlist", "waiting list",
                 "waitlisted", "a revoir", "to review", "withdrawn", "retire", "retiree",
                 "annule", "annulee", "cancelled", "canceled", "desiste", "0", "false", "faux",
                 "n", "❌", "✗", "✘", "☒", "❎", "👎", "submitted", "soumis", "soumise",
                 "nominated", "decline queue"}  # fmt: skip
"""Besides people's words, pretalx's states ('submitted': not decided yet) and Sessionize's
('Nominated', 'Decline Queue'); their 'Accept Queue' stays a bad row: not yet accepted,
and not to be dropped without a word."""


def read_status(value: str) -> bool:
    """True for an accepted row ('Accepté', 'ACCEPTED', 'retenue', '✓'), False for others."""
    if _blank(value):
        return False
    text = re.sub(r"\((?:e|s|es)\)|[·.](?:e|es)\b", "", fold(value))  # 'Accepté(e)'
    # symbols kept: '✅' folded to no text and was left out as an empty cell
    text = re.sub(r"[^a-z0-9\u2600-\u27bf\U0001f44d\U0001f44e]+", " ", text)
    text = text.replace("\ufe0f", "").strip()  # '✔️' is '✔' drawn in colour
    if text in _ACCEPTED:
        return True
    if text in _NOT_ACCEPTED:
        return False
    if re.fullmatch(r"[01](?:\.0+)?", value.strip()):  # a spreadsheet's 1.0
        return value.strip().startswith("1")
    # a mark beside a word that says the same ('✅ Accepté', '✓ oui') was a bad row
    tokens = re.sub(r"([\u2600-\u27bf\U0001f44d\U0001f44e])", r" \1 ", text).split()
    if tokens and all(t in _ACCEPTED for t in tokens):
        return True
    if tokens and all(t in _NOT_ACCEPTED for t in tokens):
        return False
    outside = re.sub(r"\((?!(?:e|s|es)\))[^)]*\)|\[[^\]]*\]", " ", value)
    if outside != value and not _blank(outside):
        # a comment in brackets ('Refusé (doublon)', 'Oui (sous réserve)') was a bad row
        with contextlib.suppress(CellError):
            return read_status(outside)
    accepted = ", ".join(map(guillemets, ("accepté", "accepted", "retenu", "oui", "✓")))
    others = ", ".join(map(guillemets, ("refusé", "rejected", "en attente", "non", "✗")))
    raise _cell_error(
        f"cannot read {value!r} as a decision (accepted: 'accepté', 'accepted', 'retenu', "
        "'oui', '✓'; anything else: 'refusé', 'rejected', 'en attente', 'non', '✗', ...)",
        f"impossible de lire {_cell(value, 'fr')} comme une décision (acceptée\u00a0: "
        f"{accepted}\u00a0; tout le reste\u00a0: {others}…)",
    )


@dataclass(frozen=True)
class Person:
    """A presenter as written in the form."""

    name: str
    affiliation: str = ""
    email: str = ""
    unread_emails: tuple[Bilingual, ...] = ()
    """The e-mail cells of the row that gave this person no address, and why ('row 6,
    column 'E-mail': 'ana@gmail' is not an e-mail address'): said in her one note on her
    address (`_choose_email`)."""


_ORG_WORDS = {
    "universite", "university", "univ", "institut", "institute", "lab", "labo", "laboratoire",
    "laboratory", "cnrs", "inria", "inrae", "inserm", "cea", "ens", "ecole", "school",
    "college", "academy", "academie", "association", "asso", "fondation", "foundation",
    "societe", "society", "company", "sas", "sarl", "inc", "ltd", "llc", "gmbh", "startup",
    "collectif", "collective", "cooperative", "coop", "reseau", "network", "centre", "center",
    "chu", "hopital", "hospital", "ministere", "ministry", "agence", "agency", "direction",
    "departement", "department", "mairie", "ville", "city", "metropole", "commune",
    "communaute", "region", "conseil", "council", "consortium", "alliance", "projet",
    "project", "programme", "program", "groupe", "group", "team", "equipe", "federation",
    "union", "syndicat", "chaire", "chair", "observatoire", "observatory", "organisation",
    "organization", "ong", "ngo", "commission", "parlement", "parliament", "gouvernement",
    "government", "independant", "independante", "independent", "freelance", "consultant",
    "consultante", "chercheur", "chercheuse", "researcher", "etudiant", "etudiante", "student",
}  # fmt: skip
_TITLES = re.compile(r"^(?:dr|pr|prof|professeur|professor|m|mme|mlle|mr|mrs|ms|mx)\.?\s+", re.I)
_EMAIL = re.compile(r"<?[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?")
_DASH = re.compile(r"\s+[-–—@]\s+|\s*[–—]\s*|\s*:\s+")


def _top_level_split(text: str, separator: str) -> list[str]:
    """Split on the regex `separator` outside parentheses and brackets; separators kept at odd
    positions of the result."""
    depth, masked = 0, []
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        masked.append(ch if depth == 0 or ch in "([{" else "\0")
    parts, start = [], 0
    for match in re.finditer(separator, "".join(masked)):
        parts += [text[start : match.start()], text[match.start() : match.end()]]
        start = match.end()
    return [*parts, text[start:]]


def _trailing_group(text: str) -> tuple[str, str] | None:
    """'Jeanne Dupont (Université X)' -> ('Jeanne Dupont', 'Université X'); None without."""
    text = text.rstrip()
    if not text.endswith((")", "]")):
        return None
    # the last top-level bracket opens the group (a greedy match of the whole piece read
    # 'A (X) avec B (Y)' as A of 'X) avec B (Y')
    depth, opening = 0, None
    for index, ch in enumerate(text):
        if ch in "([":
            opening = index if depth == 0 else opening
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
    if opening is None or not text[:opening].strip():
        return None
    return text[:opening], text[opening + 1 : -1]


def _split_person(piece: str) -> Person:
    """'Jeanne Dupont (Université X)' or 'John Smith – ACME' -> name and affiliation."""
    piece = piece.strip(" ,;.")
    grouped = _trailing_group(piece)
    if grouped:
        name, affiliation = grouped
    else:
        parts = _top_level_split(piece, _DASH.pattern)
        name, affiliation = parts[0], "".join(parts[2:])
        # 'Jeanne Dupont (CNRS) – Laboratoire X': both are the affiliation
        inner = _trailing_group(name) if affiliation else None
        if inner:
            name, affiliation = inner[0], f"{inner[1]}, {affiliation.strip(' ,;')}"
    name = _TITLES.sub("", name.strip()).strip(" ,;.")
    return Person(name, affiliation.strip(" ,;"))


def _looks_like_name(text: str) -> bool:
    """Two to five words, no digit, no organisation word, not led by an acronym ('IMT Atlantique')."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5 or re.search(r"\d", text) or _names_organisation(text):
        return False
    first = tokens[0]
    led_by_acronym = len(first) > 1 and first.isalpha() and first.isupper() and not text.isupper()
    # a capitalised name has no lower-case word but its particles: 'Directrice de
    # recherche' and 'the help of John Smith' were presenters ('jeanne dupont' is a name)
    prose = text != text.lower() and any(
        t.islower() and fold(t).strip(".'’") not in _PARTICLES for t in tokens
    )
    return not led_by_acronym and not prose


def _names_organisation(text: str) -> bool:
    """Whether `text` has an organisation word, singular or plural ('CNRS', 'Bell Labs')."""
    words = set(re.findall(r"[a-z]+", fold(text)))
    # 'Bell Labs' was a second presenter
    return bool((words | {w[:-1] for w in words if w.endswith("s")}) & _ORG_WORDS)


_PARTICLES = {"de", "du", "des", "d", "la", "le", "les", "l", "van", "von", "der", "den",
              "ter", "ten", "op", "vom", "zur", "da", "das", "di", "do", "dos", "del",
              "della", "y", "e", "bin", "ben", "ibn", "bint", "ould", "el", "al", "zu", "af",
              "av"}  # fmt: skip
"""Lower-case words of a name ('Charles de Gaulle', 'Ludwig van Beethoven'; without
'ould', 'Sidi ould Cheikh' was the affiliation of the presenter before him)."""
_JOINER = (
    r"\s+(?:et|and|avec|with|ET|AND|AVEC|WITH|&|\+|/)\s+"
    r"|(?<=[)\]])\s+(?:Et|And|Avec|With)\s+|(?<=[)\]])\s*[-–—]\s*"
)
"""Between two people: a word, in lower case or capitals, or capitalised after a bracket
('Et' elsewhere is a word of a name:
'Recherche Et Développement Durable' made a presenter of 'Développement Durable'), or a
dash after a bracketed affiliation ('Jeanne Dupont (CNRS) – John Smith (ACME)'; 'John
Smith – ACME' is one person)."""
_GIVEN_NAME = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _last_first(pieces: list[str], guessed: list[str] | None = None) -> list[str]:
    """Comma pieces with 'DUPONT, Jeanne' (last name first, in capitals, as French forms
    ask) or 'Dupont, Jeanne (CNRS)' as ['Jeanne Dupont', ...]. The second is a guess
    ('Pouhiou, Framasoft (Paris)' reads as Framasoft Pouhiou of Paris): `guessed` gets
    a sentence saying how it was read."""
    # it was read as 'DUPONT' of the organisation 'Jeanne'; a surname not in capitals
    # is not told from a one-word name and its organisation ('Pouhiou, Framasoft'), but
    # is when the given name has the affiliation ('Dupont' and 'Jeanne (CNRS)' were two
    # people)
    first, second = (pieces + ["", ""])[:2]
    first = first.strip()
    grouped = _trailing_group(second)
    given, group = (grouped[0].strip(), f" ({grouped[1]})") if grouped else (second.strip(), "")
    capitals = first.isupper() and not given.isupper()
    if (
        (len(first.split()) == 1 or capitals and len(first.split()) <= 3)
        and all(_GIVEN_NAME.fullmatch(word) for word in first.split())
        and _GIVEN_NAME.fullmatch(given)
        and not _names_organisation(given)
        and (capitals or grouped)
    ):
        if not capitals and grouped and guessed is not None:
            written = f"{first}, {second.strip()}"
            guessed.append(
                Bilingual(
                    f"read {written!r} as {given} {first} of {grouped[1]}, "
                    f"last name first; if {given} is an organisation, write "
                    f"'{first} ({given}, {grouped[1]})'",
                    f"{_cell(written, 'fr')} lu comme {given} {first}, de {grouped[1]}, le nom "
                    f"de famille en premier\u00a0; si {given} est une organisation, écrivez "
                    f"{guillemets(f'{first} ({given}, {grouped[1]})')}",
                )
            )
        return [f"{given} {first}{group}", *pieces[2:]]
    return pieces


def read_presenters(
    value: str, names_only: bool = False, guessed: list[str] | None = None
) -> list[Person]:
    """People as they write themselves: 'Jeanne Dupont (Université X), John Smith – ACME',
    'A. Martin et B. Roux', 'Jeanne Dupont, CNRS'; a comma piece that is not a name extends
    the previous person's affiliation. In a column of names only (`names_only`: pretalx's
    'Speaker names'), only a piece with an organisation word does. `guessed` gets a
    sentence for each name read last name first on a guess (`_last_first`)."""

    def a_name(text: str) -> bool:
        # ('Élodie Fabre, Pixelle' and 'Ana Lima, DIALLO Ibrahim' were one presenter and
        # her affiliation, in a column that holds names joined by commas)
        return _looks_like_name(text) or names_only and not _names_organisation(text)

    text = re.sub(r"[ \t]+", " ", _EMAIL.sub(" ", value))
    chunks: list[str] = []
    for line in _top_level_split(text, r"[;\n|]")[::2]:
        parts = _top_level_split(line, _JOINER)
        # Split on 'et' / 'and' only before a name: not in 'Laboratoire Droit et Société';
        # 'DUPONT, Jeanne et MARTIN, Paul' was DUPONT of 'Jeanne et MARTIN, Paul'
        merged = [parts[0]]
        for joiner, part in zip(parts[1::2], parts[2::2], strict=True):
            first = _last_first(part.split(","))[0]
            # after a bracket, a dash starts a person only with its own bracket: 'Jeanne
            # Dupont (Inria) – Directrice de recherche' is one person and her role
            bracketed = joiner.strip() not in "-–—" or _trailing_group(first)
            if bracketed and a_name(_split_person(first).name):
                merged.append(part)
            else:
                merged[-1] += joiner + part
        chunks += [c for c in merged if c.strip(" ,;.")]
    people: list[Person] = []
    for chunk in chunks:
        current: int | None = None
        pieces = _last_first(_top_level_split(chunk, r",")[::2], guessed)
        pieces = [p for p in pieces if p.strip(" ,;.")]
        if (
            names_only
            and len(pieces) > 1
            and all(len(p.split()) == 1 and not _names_organisation(p) for p in pieces)
        ):
            # 'Dupont, Jeanne' or two people known by one name ('Pixelle, Gee')
            raise _cell_error(
                f"cannot tell whether {chunk.strip()!r} is one name written last name first "
                "or several people: write 'Jeanne Dupont' or 'DUPONT, Jeanne', or one "
                "person per line",
                f"impossible de savoir si {_cell(chunk.strip(), 'fr')} est un seul nom, le nom "
                "de famille en premier, ou plusieurs personnes\u00a0: écrivez "
                f"{guillemets('Jeanne Dupont')} ou {guillemets('DUPONT, Jeanne')}, ou une "
                "personne par ligne",
            )
        for piece in pieces:
            person = _split_person(piece)
            if person.affiliation or current is None or a_name(person.name):
                people.append(person)
                current = len(people) - 1
            else:
                last = people[current]
                affiliation = ", ".join(filter(None, [last.affiliation, piece.strip()]))
                people[current] = Person(last.name, affiliation)
    people = [p for p in people if p.name]
    if not people:
        raise _cell_error(
            f"cannot find a presenter's name in {value!r}",
            f"aucun nom d'intervenant·e trouvé dans {_cell(value, 'fr')}",
        )
    for person in people:
        if not re.search(r"[^\W\d_]{2}", person.name):
            raise _cell_error(
                f"cannot read {person.name!r} as a name in {value!r}",
                f"impossible de lire {_cell(person.name, 'fr')} comme un nom dans "
                f"{_cell(value, 'fr')}",
            )
        joined = re.search(r"\s(?:et|and|avec|with)\s", person.name)
        if re.search(r"[)\]](?:\s+\S+){2,}", person.name) or (
            joined and not _looks_like_name(person.name)
        ):
            # two people joined by a word not known as a joiner ('Ana Lima (CNRS) plus Ben
            # Roy (Inria)') or by prose ('Ana Lima with the help of Ben Roy'): never one
            # made-up name; 'Jean (Johnny) Martin' is one
            raise _cell_error(
                f"cannot tell the presenters apart in {value!r}: write 'Name (Affiliation)' "
                "one per line, or separated by ';'",
                f"impossible de distinguer les intervenant·es dans {_cell(value, 'fr')}\u00a0: "
                f"écrivez {guillemets('Nom (Affiliation)')}, une personne par ligne, ou séparées "
                f"par {guillemets(';')}",
            )
    return people


def speaker_id(name: str) -> str:
    """Stable id of a person: folded name, non-letters as '-' ('Éloïse  Le Goff' -> 'eloise-le-goff')."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60].strip("-")


def slug(text: str, limit: int = 40) -> str:
    """Folded words joined by '-', cut at a word boundary within `limit` characters."""
    words = re.sub(r"[^a-z0-9]+", " ", fold(text)).split()
    out = ""
    for word in words:
        if len(out) + len(word) + (1 if out else 0) > limit:
            break
        out = f"{out}-{word}" if out else word
    return out or (words[0][:limit] if words else "")


def proposal_id(title: str, speakers: list[str], form_id: str | None = None) -> str:
    """The form's id if given, else 'p-' + a short title slug + a content hash."""
    if form_id:
        ident = re.sub(r"[^\w.\-]+", "-", form_id.strip()).strip("-")
        return ident if re.match(r"[A-Za-z]", ident) else f"p-{ident}"
    key = " ".join(fold(title).split()) + "|" + ",".join(sorted(speakers))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
    words = [w for w in re.split(r"[^\w]+", fold(title)) if w and w not in STOP_WORDS]
    short = slug(" ".join(w for w in words if len(w) > 1), 24)
    return f"p-{short}-{digest}" if short else f"p-{digest}"


_MONTHS = {
    "jan": 1, "janv": 1, "janvier": 1, "january": 1, "fev": 2, "fevr": 2, "fevrier": 2,
    "feb": 2, "february": 2, "mar": 3, "mars": 3, "march": 3, "avr": 4, "avril": 4, "apr": 4,
    "april": 4, "mai": 5, "may": 5, "juin": 6, "jun": 6, "june": 6, "juil": 7, "juillet": 7,
    "jul": 7, "july": 7, "aou": 8, "aout": 8, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "septembre": 9, "september": 9, "oct": 10, "octobre": 10, "october": 10, "nov": 11,
    "novembre": 11, "november": 11, "dec": 12, "decembre": 12, "december": 12,
}  # fmt: skip


SERIAL_DAYS = (36526, 73050)
"""The day numbers read as dates (2000-01-01..2099-12-31): a spreadsheet counts days from
1899-12-30, and a date cell whose format was lost ('General', or saved so to CSV) shows
its number, 46357 for 2026-12-01. Five digits in a date column mean nothing else."""
_SERIAL_EPOCH = date(1899, 12, 30)


def date_serial(value: Any) -> tuple[date, float] | None:
    """The date and the fraction of a day a spreadsheet's number stands for, if it is one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif m := re.fullmatch(r"(\d{5})(?:[.,](\d+))?", _text(value)):
        number = float(f"{m.group(1)}.{m.group(2) or 0}")
    else:
        return None
    if not (SERIAL_DAYS[0] <= number < SERIAL_DAYS[1] + 1):
        return None
    days = math.floor(number)
    return _SERIAL_EPOCH + timedelta(days=days), number - days


def read_date(value: Any, default_year: int | None = None) -> date:
    """'2026-12-01', '01/12/2026' (day first), '1er décembre 2026', 'Tue 1 Dec' (year given),
    a spreadsheet date cell or its day number (46357)."""
    if isinstance(value, datetime | pd.Timestamp):
        return value.date()
    if isinstance(value, date):
        return value
    if serial := date_serial(value):
        return serial[0]
    text = _text(value)
    weekday, folded = _weekday(fold(text).strip())
    found = _read_date_text(text, folded, default_year)
    if weekday is not None and found.weekday() != weekday:
        # ('mardi 2 décembre 2026' was read as Wednesday 2 December without a word: a typo
        # in the day or in the date, and which cannot be told)
        other = next(
            found + timedelta(days=k) for k in (-1, 1, -2, 2, -3, 3)
            if (found + timedelta(days=k)).weekday() == weekday
        )  # fmt: skip
        us = None
        if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?(?:\s.*)?", folded):
            with contextlib.suppress(ValueError):
                us = date(found.year, found.day, found.month)  # (month first)
        said, is_day, written = _cell(text, "fr"), found.weekday(), weekday
        if us is not None and us.weekday() == weekday:
            raise _cell_error(
                f"{text!r}: read day first, {found} is a {_DAY_NAMES[found.weekday()]}, "
                f"not a {_DAY_NAMES[weekday]}; month first, as US sheets write dates, it "
                f"is {_DAY_NAMES[weekday]} {us}: write it as {us} (or day first)",
                f"{said}\u00a0: lu le jour en premier, le {found} est un {WEEKDAYS_FR[is_day]}, "
                f"pas un {WEEKDAYS_FR[written]}\u00a0; lu le mois en premier, comme l'écrivent "
                f"les tableurs américains, c'est le {WEEKDAYS_FR[written]} {us}\u00a0: "
                f"écrivez-la {us} (ou le jour en premier)",
            )
        raise _cell_error(
            f"{text!r}: {found} is a {_DAY_NAMES[found.weekday()]}, not a "
            f"{_DAY_NAMES[weekday]}: {_DAY_NAMES[weekday]} {other} or "
            f"{_DAY_NAMES[found.weekday()]} {found}? correct the day or the date",
            f"{said}\u00a0: le {found} est un {WEEKDAYS_FR[is_day]}, pas un "
            f"{WEEKDAYS_FR[written]}\u00a0: {WEEKDAYS_FR[written]} {other} ou "
            f"{WEEKDAYS_FR[is_day]} {found}\u00a0? corrigez le jour ou la date",
        )
    return found


_WEEKDAYS = {
    "lundi": 0, "lun": 0, "mardi": 1, "mar": 1, "mercredi": 2, "mer": 2, "jeudi": 3, "jeu": 3,
    "vendredi": 4, "ven": 4, "samedi": 5, "sam": 5, "dimanche": 6, "dim": 6,
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _weekday(folded: str) -> tuple[int | None, str]:
    """The weekday a date leads with ('mardi 1er décembre', 'Tue, Dec 1', 'mar. 1 déc.',
    'mar. 01/12/2026'), and the rest. 'mar' is Tuesday before a month's name ('mar. 1
    déc.' read as 1 March) or a date in figures ('mar. 01/12/2026', the French short date
    with its weekday, read as 1 March too), else March."""
    m = re.match(r"([a-z]+)\.?,?\s+(.*)", folded)
    if not m or m.group(1) not in _WEEKDAYS:
        return None, folded
    rest = m.group(2)
    if (
        m.group(1) == "mar"
        and not any(t in _MONTHS for t in re.findall(r"[a-z]+", rest))
        and not re.match(r"\d{1,2}[/.\-]\d{1,2}|\d{4}-\d{1,2}-\d{1,2}", rest)
    ):
        return None, folded
    return _WEEKDAYS[m.group(1)], rest


def _read_date_text(text: str, folded: str, default_year: int | None) -> date:
    """A date written as text (folded, its weekday cut off)."""
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?", folded):
        parts = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?(?:\s.*)?", folded):
        year = m.group(3)
        year_n = (2000 + int(year) if len(year) == 2 else int(year)) if year else default_year
        parts = (year_n, int(m.group(2)), int(m.group(1)))  # type: ignore[assignment]
    else:
        tokens = re.findall(r"[a-z]+|\d+", folded)
        month = next((_MONTHS[t] for t in tokens if t in _MONTHS), None)
        numbers = [int(t) for t in tokens if t.isdigit()]
        day_n = next((n for n in numbers if 1 <= n <= 31), None)
        year_n = next((n for n in numbers if n >= 1000), default_year)
        if month is None or day_n is None:
            raise _cell_error(
                f"cannot read {text!r} as a date (e.g. 2026-12-01 or 01/12/2026)",
                f"impossible de lire {_cell(text, 'fr')} comme une date (par exemple "
                "2026-12-01 ou 01/12/2026)",
            )
        parts = (year_n, month, day_n)  # type: ignore[assignment]
    if parts[0] is None:
        raise _cell_error(
            f"{text!r} has no year, and no --days to take it from",
            f"{_cell(text, 'fr')} n'a pas d'année, et aucun --days ne la donne",
        )
    try:
        return date(*parts)  # type: ignore[arg-type]
    except ValueError:
        raise _cell_error(
            f"{text!r} is not a calendar date", f"{_cell(text, 'fr')} n'est pas une date qui existe"
        ) from None


def read_time(value: Any) -> time:
    """'14:00', '14h', '9h30', '14 h 30', '2:30 pm', '14.30', a spreadsheet time or fraction of day."""
    if isinstance(value, datetime | pd.Timestamp):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, float | int) and 0 <= value < 1 and not isinstance(value, bool):
        minutes = round(value * 24 * 60)
        return time(minutes // 60, minutes % 60)
    text = _text(value)
    folded = fold(text).replace(" ", "")
    m = re.fullmatch(r"(\d{1,2})(?:[:h.](\d{2})?)?(?::\d{2})?(am|pm|h)?", folded)
    if not m and (serial := date_serial(value)):
        raise _cell_error(
            f"{text!r} is a date as a spreadsheet numbers days ({serial[0]}), with no time: "
            "the cell lost its format; format the column as times and check it",
            f"{_cell(text, 'fr')} est une date comme un tableur numérote les jours "
            f"({serial[0]}), sans heure\u00a0: la cellule a perdu son format\u00a0; donnez à "
            "la colonne un format d'heure et vérifiez-la",
        )
    if not m:
        raise _cell_error(
            f"cannot read {text!r} as a time of day (e.g. 14:00 or 14h30)",
            f"impossible de lire {_cell(text, 'fr')} comme une heure (par exemple 14:00 ou 14h30)",
        )
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) == "pm" and hour < 12:
        hour += 12
    elif m.group(3) == "am" and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        return time(23, 59)
    if hour > 23 or minute > 59:
        raise _cell_error(
            f"{text!r} is not a time of day", f"{_cell(text, 'fr')} n'est pas une heure du jour"
        )
    return time(hour, minute)


def read_hours(value: Any) -> tuple[time, time]:
    """'14h-16h', '14:00 – 15:30', '9h30 à 11h' -> start and end."""
    text = _text(value)
    # 'à' (folded 'a') and 'to' as words only: the 'a' of '10am-12pm' cut it at 'm-12pm'
    parts = re.split(
        r"\s*[-–—>]\s*|\s*(?<![a-gi-z])(?:a|to)(?![a-z])\s*", fold(text).strip(), maxsplit=1
    )
    if len(parts) != 2:
        raise _cell_error(
            f"cannot read {text!r} as hours such as 14h-16h",
            f"impossible de lire {_cell(text, 'fr')} comme un horaire tel que 14h-16h",
        )
    start, end = read_time(parts[0]), read_time(parts[1])
    # '2-4pm': the start takes the end's 'pm' when that keeps it before the end
    suffix = re.search(r"(am|pm)$", parts[1].replace(" ", ""))
    if suffix and not re.search(r"[a-z]$", parts[0].replace(" ", "")):
        shifted = read_time(parts[0] + suffix.group(1))
        start = shifted if shifted < end else start
    return start, end


_TRUE = {"oui", "yes", "y", "o", "x", "true", "vrai", "1", "ferme", "fermee", "closed"}
_FALSE = {"non", "no", "n", "false", "faux", "0", "ouvert", "ouverte", "open", ""}


def read_flag(value: Any) -> bool:
    text = fold(_text(value)).strip(" .")
    if text in _TRUE or text in ("✓", "✔"):
        return True
    if text in _FALSE or _blank(text):
        return False
    raise _cell_error(
        f"cannot read {_text(value)!r} as yes or no",
        f"impossible de lire {_cell(_text(value), 'fr')} comme oui ou non",
    )


_AVAILABLE = {"disponible", "dispo", "available", "oui", "yes", "y", "o", "ok", "x", "1",
              "true", "vrai", "libre", "free", "present", "presente", "✓", "✔"}  # fmt: skip
_UNAVAILABLE = {"indisponible", "indispo", "pas disponible", "non disponible",
                "unavailable", "not available", "non", "no", "n", "0", "false", "faux",
                "absent", "absente", "occupe", "occupee", "busy", "pas dispo", "✗", "✘"}  # fmt: skip
_PREFERRED = {"prefere", "preferee", "preference", "de preference", "preferred", "prefer",
              "prefers", "preferable", "ideal", "souhaite", "souhaitee", "wish"}  # fmt: skip


def read_kind(value: Any) -> str:
    """available / unavailable / preferred, from 'disponible', 'indispo', 'préféré', 'no'..."""
    text = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9✓✔✗✘ ]+", " ", fold(_text(value)))).strip()
    for kind, words in (("unavailable", _UNAVAILABLE), ("preferred", _PREFERRED),
                        ("available", _AVAILABLE)):  # fmt: skip
        if text in words:
            return kind
    words = ", ".join(map(guillemets, ("disponible", "indisponible", "préféré", "yes", "no")))
    raise _cell_error(
        f"cannot read {_text(value)!r} as available, unavailable or preferred "
        "('disponible', 'indisponible', 'préféré', 'yes', 'no', ...)",
        f"impossible de lire {_cell(_text(value), 'fr')} comme disponible, indisponible ou "
        f"préféré ({words}…)",
    )


# ---------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------


@dataclass
class ImportOptions:
    """Everything the import needs besides the tables."""

    name: str | None = None
    """The instance's id, as given (`--name`); None: the kept instance's, if any, else
    `default_name`."""
    default_name: str = "imported"
    """The id the output file's name gives."""
    title: str | None = None
    venue: str | None = None
    timezone: str | None = None
    days: tuple[date, date] | None = None
    skip_bad_rows: bool = False
    keep: Path | None = None


@dataclass
class ImportResult:
    """The instance data, the rows skipped (with --skip-bad-rows) and notes for the user."""

    data: dict[str, Any]
    instance: Instance
    skipped: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_accepted: int = 0
    suggested: dict[str, list[str]] = field(default_factory=dict)
    """Themes carried over from a kept instance that still marked them as suggested."""
    call_themes: bool = False
    """The themes are the Commons AI 2026 call's six, by default (no --themes, no --keep)."""

    @property
    def without_themes(self) -> int:
        return sum(1 for p in self.instance.proposals if not p.themes)


@dataclass(frozen=True)
class CallLimits:
    """The call's limits a form's rows are read against: the rules of the instance
    `--keep` reads (`rules.max_speakers`, `rules.abstract_max_characters`), else their
    defaults, the Commons AI call's. `kept` names that instance's file."""

    max_speakers: int = MAX_SPEAKERS
    abstract_max_characters: int = ABSTRACT_MAX_CHARS
    kept: str | None = None

    @classmethod
    def of(cls, previous: dict[str, Any] | None, keep: Path | None) -> CallLimits:
        if previous is None or keep is None:
            return cls()
        rules = previous.get("rules") or {}  # (checked by load_instance)
        return cls(
            int(rules.get("max_speakers", MAX_SPEAKERS)),
            int(rules.get("abstract_max_characters", ABSTRACT_MAX_CHARS)),
            Path(keep).name,
        )

    def raise_it(self, rule: str, value: int) -> Bilingual:
        """How to lift `rule` to `value`, when the event's call allows it."""
        setting = f"rules: {{{rule}: {value}}}"
        if self.kept:
            return Bilingual(
                f"if the event's call allows it, raise rules.{rule} in {self.kept} ({setting})",
                f"si l'appel de l'événement le permet, relevez rules.{rule} dans "
                f"{guillemets(self.kept)} "
                f"({setting})",
            )
        # (no instance yet on a first import: "in an instance given with --keep" left the
        # coordinator to find that a file of the rules alone is refused)
        return Bilingual(
            f"if the event's call allows it, raise rules.{rule}: import with --skip-bad-rows, "
            f"add {setting} to the instance written, then import again with --keep naming it",
            f"si l'appel de l'événement le permet, relevez rules.{rule}\u00a0: importez avec "
            f"--skip-bad-rows, ajoutez {setting} à l'instance écrite, puis importez de nouveau "
            "avec --keep qui la nomme",
        )


class _Row:
    """Reads the cells of one row, recording every cell that cannot be read."""

    def __init__(
        self,
        table: Table,
        number: int,
        record: dict[str, Any],
        columns: dict[str, str],
        limits: CallLimits | None = None,
    ):
        self.table, self.number, self.record, self.columns = table, number, record, columns
        self.limits = limits or CallLimits()
        self.problems: list[RowProblem] = []
        self.notes: list[str] = []
        """What was read on a guess, said with the row and column (`note`)."""
        # an error cell is reported here, once, whichever reader would read it (some take
        # the text directly); `read` then gives None for it
        self.errors: set[str] = set()
        for name in columns:
            message = sheet_error(self.raw(name))
            if message is not None:
                self.errors.add(name)
                self.fail(name, message)

    def has(self, name: str) -> bool:
        return name in self.columns and not _blank(self.text(name))

    def raw(self, name: str) -> Any:
        return self.record.get(self.columns[name], "") if name in self.columns else ""

    def text(self, name: str) -> str:
        return _text(self.raw(name))

    def read(self, name: str, reader: Callable[[Any], Any], raw: bool = False) -> Any:
        """`reader` applied to the cell (its text unless `raw`); None when it cannot be read."""
        if name in self.errors:
            return None
        try:
            return reader(self.raw(name) if raw else self.text(name))
        except CellError as exc:
            self.fail(name, exc.args[0])
            return None

    def note(self, name: str, message: str) -> None:
        self.notes.append(
            Bilingual(
                f"{self.where(name)}: {message}",
                f"{self.where(name, 'fr')}\u00a0: {in_language(message, 'fr')}",
            )
        )

    def where(self, name: str, lang: str = "en") -> str:
        """'form.csv: row 3, column 'E-mail'' (in French « ligne », « colonne »)."""
        sheet, column = _sheet_label(self.table.sheet, lang), self.columns[name]
        if lang == "fr":
            return (
                f"{self.table.path.name}\u00a0: {sheet}ligne {self.number}, colonne "
                f"{_column(column, lang)}"
            )
        return f"{self.table.path.name}: {sheet}row {self.number}, column '{column}'"

    def fail(self, name: str | None, message: str) -> None:
        column = self.columns.get(name) if name else None
        self.problems.append(
            RowProblem(self.table.path, self.number, column, message, self.table.sheet)
        )


def default_themes() -> list[dict[str, Any]]:
    """The six themes of the Commons AI 2026 call (package data)."""
    text = resources.files("scheduler").joinpath("call_themes.json").read_text(encoding="utf-8")
    return json.loads(text)["themes"]


def read_themes(path: Path) -> list[dict[str, Any]]:
    """A YAML or JSON file with a `themes:` list (as in instances) or a bare list."""
    path = Path(path)
    what = (
        "--themes reads YAML or JSON: a `themes:` list of an id and a label each "
        "(`- {id: open-models, label: Open models}`, docs/import.md)"
    )
    kind = TABLE_SUFFIXES.get(path.suffix.lower())
    if kind is not None:  # (read as YAML: "field 'themes'" of a CSV, "not UTF-8" of a workbook)
        raise InputError(path, "option --themes", None, f"{kind}, not a themes file: {what}")
    data = read_document(path)
    if data is not None and not isinstance(data, dict | list):  # (lines of text: one scalar)
        raise InputError(path, "option --themes", None, f"one text, not a list of themes: {what}")
    themes = data.get("themes") if isinstance(data, dict) else data
    if not isinstance(themes, list) or not themes:
        raise InputError(path, None, "themes", "expected a non-empty list of themes")
    for i, theme in enumerate(themes):
        try:
            # (one text is the label of both languages, as in an instance)
            Theme.model_validate(theme, context=TEXT_LABELS)
        except ValidationError as exc:
            # (worded as an instance's themes are: pydantic's own words named a class,
            # "a valid dictionary or instance of Labels", for a label written as text)
            raise InputError.from_validation(
                path, {"themes": themes}, exc, Theme, at=["themes", i]
            ) from None
    return themes


class ThemeLookup(dict[str, str]):
    """Theme ids by their id and labels, folded; `given` when they are the event's own
    (`--themes`, or the instance `--keep` reads), not the call's six by default."""

    given: bool = False


def _theme_lookup(themes: list[dict[str, Any]], given: bool = False) -> ThemeLookup:
    lookup = ThemeLookup()
    lookup.given = given
    for theme in themes:
        # (read as the instance reads it: a label written as one text, or in one language,
        # crashed `import --keep` here, which took every label for a mapping)
        label = Theme.model_validate(theme, context=TEXT_LABELS).label
        theme_id = str(theme["id"])
        for key in (theme_id, label.fr, label.en):
            lookup[_theme_key(key)] = theme_id
    return lookup


def _theme_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def _labels_in(piece: str, lookup: dict[str, str]) -> list[str]:
    """`piece` cut at its commas into the longest runs that are a theme's label or id
    ("Géodonnées, Données publiques, transparence": two themes), a part that starts
    none alone."""
    words = piece.split(",")
    parts, start = [], 0
    while start < len(words):
        end = next(
            (e for e in range(len(words), start, -1)
             if _theme_key(",".join(words[start:e])) in lookup),
            start + 1,
        )  # fmt: skip
        parts.append(",".join(words[start:end]))
        start = end
    return parts


def read_theme_list(value: str, lookup: dict[str, str]) -> list[str]:
    """'open-models; Trust in AI' -> theme ids, by id or by French or English label. A
    label holding a comma is one theme ("Données publiques, transparence" was read as
    two unknown themes)."""
    found: list[str] = []
    for piece in re.split(r"[;\n|]", value):
        for part in _labels_in(piece, lookup):
            key = _theme_key(part)
            if not key:
                continue
            if key not in lookup:
                # (a CFP tool's own tracks: every row was bad, nothing said how to declare
                # them; with the event's themes given, that hint named the file given)
                given = getattr(lookup, "given", False)
                hint = (
                    "write a theme id or its label, as in the event's themes"
                    if given
                    else "write a theme id or its label, or give the event's themes with "
                    "--themes FILE (the call's six are the default)"
                )
                hint_fr = (
                    "écrivez l'id d'un thème ou son libellé, comme dans les thèmes de l'événement"
                    if given
                    else "écrivez l'id d'un thème ou son libellé, ou donnez les thèmes de "
                    "l'événement avec --themes FICHIER (par défaut, les six de l'appel)"
                )
                raise _cell_error(
                    f"unknown theme {part.strip()!r}: {hint}",
                    f"thème inconnu {_cell(part.strip(), 'fr')}\u00a0: {hint_fr}",
                )
            if lookup[key] not in found:
                found.append(lookup[key])
    return found


@dataclass
class _SpeakerRecord:
    spellings: Counter[str] = field(default_factory=Counter)
    affiliations: Counter[str] = field(default_factory=Counter)
    titles: dict[str, list[str]] = field(default_factory=dict)
    """The titles of the proposals each affiliation was written on."""
    emails: Counter[str] = field(default_factory=Counter)
    unread_emails: list[Bilingual] = field(default_factory=list)
    """Her rows' e-mail cells that gave her no address, and why (`Person.unread_emails`)."""


def import_form(
    form: Path,
    slots: Path | None = None,
    availability: Path | None = None,
    themes: Path | None = None,
    options: ImportOptions | None = None,
) -> ImportResult:
    """Read the tables, build and validate the instance; raise BadRowsError unless skipping."""
    options = options or ImportOptions()
    form, slots = Path(form), Path(slots) if slots is not None else None
    if slots is None:
        raise InputError(form, None, None, "an instance needs FOST's slots: pass --slots FILE")
    previous = _previous_instance(Path(options.keep)) if options.keep is not None else None
    problems: list[RowProblem] = []
    notes: list[str] = []
    if themes is not None:
        theme_list = read_themes(themes)
    elif previous is not None:
        theme_list = previous["themes"]
    else:
        theme_list = default_themes()
        # (another event's import got Commons AI's themes with a note lost among the
        # others, and `themes --apply` put them on its proposals)
        notes.append(
            Bilingual(
                "themes: no --themes, so the six of the Commons AI 2026 call were written, "
                "which are that event's themes, not another's: for another event, import "
                "again with --themes FILE giving its own (a themes: list of id and label) "
                "before `scheduler themes --apply` puts these on its proposals",
                "thèmes\u00a0: pas de --themes, donc les six de l'appel de Commons AI 2026 ont "
                "été écrits, qui sont ceux de cet événement, pas d'un autre\u00a0: pour un "
                "autre événement, importez de nouveau avec --themes FICHIER donnant les "
                "siens (une liste themes: d'id et de libellés) avant que `scheduler themes "
                "--apply` ne place ceux-ci sur ses propositions",
            )
        )

    form_table = pick_sheet(read_table(form), form_field, FORM_REQUIRED, notes)
    lookup = _theme_lookup(theme_list, given=themes is not None or previous is not None)
    limits = CallLimits.of(previous, options.keep)
    read = _read_form(form_table, lookup, problems, notes, limits)
    if not read.proposals and not problems:
        # said first: the availability's every row was "no presenter named ..." in the
        # proposals of a form that had none (a form of its header row alone)
        raise InputError(form_table.path, form_table.place, None, _nothing_imported(read))

    slot_table = pick_sheet(read_table(slots), _slot_field, SLOT_REQUIRED, notes)
    year = options.days[0].year if options.days else _year_hint(slot_table)
    rooms, slot_records, given_slot_ids = _read_slots(
        slot_table, year, options.days, lookup, problems, notes
    )
    days = options.days or _kept_days(previous, slot_records, notes)
    notes.extend(_odd_slots(slot_records))

    windows: dict[str, dict[str, list[dict[str, str]]]] = {}
    if availability is not None:
        availability_table = pick_sheet(
            read_table(Path(availability)), _availability_field, AVAILABILITY_REQUIRED, notes
        )
        aliases = _respelled_aliases(previous, read) if previous is not None else {}
        gone = _gone_speakers(previous, read, aliases) if previous is not None else {}
        windows = _read_availability(availability_table, days, read, problems, notes, aliases, gone)

    if problems and not options.skip_bad_rows:
        raise BadRowsError(problems)
    if not read.proposals:
        raise InputError(form_table.path, form_table.place, None, _nothing_imported(read))
    if not slot_records:
        raise InputError(slots, None, None, "no slot could be imported")

    kept_speakers = _kept_by_name(previous) if previous is not None else {}
    speaker_records = []
    unread_only: set[int] = set()  # (speakers whose cells gave no address that could be read)
    for sid, record in read.speakers.items():
        kept = kept_speakers.get(sid, {})
        entry: dict[str, Any] = {"id": sid, "name": _kept_name(sid, record, kept, notes)}
        affiliation = _choose_affiliation(
            record, entry["name"], notes, str(kept.get("affiliation") or "")
        )
        notes.extend(_affiliation_changed(sid, entry["name"], kept, affiliation))
        # (a form that gives none keeps the kept one: added by hand, or lost by the export)
        affiliation = affiliation or str(kept.get("affiliation") or "")
        if affiliation:
            entry["affiliation"] = affiliation
        email = _choose_email(
            sid, record, entry["name"], str(kept.get("email") or ""), notes, form_table
        )
        if email:
            entry["email"] = email
        elif record.unread_emails:
            unread_only.add(id(entry))  # (followed through --keep's renaming of ids)
        entry.update(windows.get(sid, {}))
        speaker_records.append(entry)
    notes.extend(_swapped_names(read.speakers))
    notes.extend(_likely_same_people(speaker_records))

    event = previous.get("event", {}) if previous is not None else {}
    name = _instance_name(options, previous, notes)
    defaults = [
        (option, said, said_fr)
        for option, said, said_fr, given in (
            (
                "--title",
                f"titled {name!r} (the instance's name; no --title)",
                f"le titre {guillemets(name)} (le nom de l'instance\u00a0; pas de --title)",
                options.title,
            ),
            (
                "--venue",
                "the venue 'TBA' (no --venue)",
                f"le lieu {guillemets('TBA')} (pas de --venue)",
                options.venue,
            ),
        )
        if not given and not event.get(option.removeprefix("--"))
    ]
    if defaults:
        # (the grid's pages and the calendars read "commons · TBA" without a word)
        one = len(defaults) == 1
        given_options = [option for option, _, _ in defaults]
        notes.append(
            Bilingual(
                f"event: {' and '.join(said for _, said, _ in defaults)}: "
                f"{'it heads' if one else 'they head'} every page of the grid and "
                f"every calendar; give {' and '.join(given_options)}, or edit "
                "event: in the file written",
                f"événement\u00a0: {' et '.join(said for _, _, said in defaults)}\u00a0: "
                f"{'il figure' if one else 'ils figurent'} en tête de chaque page de la grille "
                f"et de chaque calendrier\u00a0; donnez {' et '.join(given_options)}, ou "
                "modifiez event: dans le fichier écrit",
            )
        )
    if not options.timezone and not event.get("timezone"):
        # (an event outside Paris got Paris times in every calendar without a word)
        notes.append(
            Bilingual(
                "event: the timezone 'Europe/Paris' (no --timezone): every calendar gives "
                "the times in it; give --timezone with the venue's (an IANA zone, as "
                "--timezone Europe/London), or edit event: in the file written",
                f"événement\u00a0: le fuseau horaire {guillemets('Europe/Paris')} (pas de "
                "--timezone)\u00a0: chaque calendrier donne les heures dans ce fuseau\u00a0; "
                "donnez --timezone avec celui du lieu (un fuseau IANA, comme --timezone "
                "Europe/London), ou modifiez event: dans le fichier écrit",
            )
        )
    data: dict[str, Any] = {
        "name": name,
        "event": {
            "title": options.title or event.get("title") or name,
            "venue": options.venue or event.get("venue") or "TBA",
            "timezone": options.timezone or event.get("timezone") or "Europe/Paris",
            "days": [days[0], days[1]],
            # (no option sets it: the organiser added by hand, the calendars' ORGANIZER,
            # went with a re-import)
            **({"organizer": event["organizer"]} if event.get("organizer") else {}),
            # (no option sets it either: the exports' language went with a re-import)
            **({"language": event["language"]} if event.get("language") else {}),
        },
        "themes": theme_list,
        "rooms": rooms,
        "slots": slot_records,
        "speakers": speaker_records,
        "proposals": read.proposals,
    }
    suggested: dict[str, list[str]] = {}
    if previous is not None:
        data = carry_over(previous, data, set(windows), notes, read.given_ids, given_slot_ids)
        notes.extend(_comments_lost(Path(options.keep)))
        suggested = _still_suggested(Path(options.keep), previous, data)
    notes.extend(
        _unmeetable_preferences(data["speakers"], ZoneInfo(str(data["event"]["timezone"])))
    )
    explained = {str(s["id"]) for s in data["speakers"] if id(s) in unread_only}
    notes.extend(_without_email(form_table, read, data["speakers"], explained))
    sources = {
        "themes": themes or options.keep,
        "slots": slots,
        "rooms": slots,
        "speakers": availability or options.keep,
    }
    try:
        instance = parse_instance(data, form)
    except InputError as error:
        # an error in the instance built is named in the file it came from (a theme
        # given twice in --themes was blamed on the form)
        source = _source_of(error, sources) or form
        raise InputError(source, error.record_name, error.field, error.message) from None
    return ImportResult(
        data,
        instance,
        problems,
        notes,
        read.not_accepted,
        suggested,
        call_themes=themes is None and previous is None,
    )


WINDOW_FIELDS = ("available", "unavailable", "preferred")


def _instance_name(
    options: ImportOptions, previous: dict[str, Any] | None, notes: list[str]
) -> str:
    """The name given, else the kept instance's, else the output file's. Every calendar
    UID starts with the name and `solve --reference` checks it: re-imported into
    commons-v2.yaml, the instance was renamed 'commons-v2', its published events were
    duplicated and its published solutions refused."""
    kept = str(previous["name"]) if previous is not None and previous.get("name") else None
    if options.name:
        if kept is not None and options.name != kept:
            was = guillemets(kept)
            notes.append(
                Bilingual(
                    f"name: {options.name!r} (--name) replaces {kept!r}, the kept instance's: "
                    "its calendar events get new UIDs (those published under "
                    f"{kept!r} are not updated but doubled), and solutions of {kept!r} are "
                    "refused as --reference",
                    f"nom\u00a0: {guillemets(options.name)} (--name) remplace {was}, celui de "
                    "l'instance précédente\u00a0: ses événements de calendrier reçoivent de "
                    f"nouveaux UID (ceux publiés sous {was} ne sont pas mis à jour mais "
                    f"doublés), et les solutions de {was} sont refusées comme --reference",
                )
            )
        return options.name
    if kept is None:
        return options.default_name
    if kept != options.default_name:
        notes.append(
            Bilingual(
                f"name: kept {kept!r}, the kept instance's, not {options.default_name!r} as the "
                "output file's name would give: the calendar UIDs and `solve --reference` go by "
                "it (--name renames the instance)",
                f"nom\u00a0: {guillemets(kept)} conservé, celui de l'instance précédente, et non "
                f"{guillemets(options.default_name)} que donnerait le nom du fichier écrit\u00a0: "
                "les UID des calendriers et `solve --reference` en dépendent (--name renomme "
                "l'instance)",
            )
        )
    return kept


def _source_of(error: InputError, sources: dict[str, Path | str | None]) -> Path | str | None:
    """The file a record of the instance built comes from, by its section (the form
    where none of the other files gave it): a speaker's windows come from the
    availability file, the rest of a speaker from the form."""
    section = (error.record_name or "").split("[")[0].split(" ")[0]
    if section == "speakers" and (error.field or "").split("[")[0] not in WINDOW_FIELDS:
        return None
    return sources.get(section)


def _still_suggested(
    keep: Path, previous: dict[str, Any], data: dict[str, Any]
) -> dict[str, list[str]]:
    """The proposals whose themes, marked as `scheduler themes --apply` suggested them in
    the kept instance, are carried over as they were: they stay marked (re-dumped, the
    marks were lost, and the accuracy figure then counted them as a coordinator's). A
    proposal whose title was edited kept its id, so its mark too."""
    marked = marked_as_suggested(keep)
    before = {p.get("id"): p.get("themes") for p in previous.get("proposals", [])}
    return {
        p["id"]: p["themes"]
        for p in data["proposals"]
        if p["id"] in marked and p["themes"] and p["themes"] == before.get(p["id"])
    }


def _nothing_imported(read: _FormRead) -> str:
    """Why the form gave no proposal, when its status column left every row out."""
    message = "no proposal could be imported"
    if read.status_column is None or not read.not_accepted:
        return message
    column = f"column '{read.status_column}'"
    if read.empty_status == read.not_accepted:
        return (
            f"{message}: {column} is empty in every row ({read.empty_status}), and "
            "only rows it marks accepted are imported; fill it in ('accepté', 'oui', '✓'), "
            "or remove the column to import every row"
        )
    return (
        f"{message}: {column} marks none of the {plural(read.not_accepted, 'row')} as "
        f"accepted ({read.empty_status} empty); only accepted rows are imported"
    )


def _previous_instance(path: Path) -> dict[str, Any]:
    """The raw data of a previous instance, after checking that it loads."""
    if Path(path).suffix.lower() in TABLE_SUFFIXES:
        # (the previous form export or programme.csv, the likeliest mistake: read as YAML
        # below, it was "malformed YAML" or "not UTF-8")
        raise InputError(
            path,
            "option --keep",
            None,
            f"{TABLE_SUFFIXES[Path(path).suffix.lower()]}, not an instance: --keep names the "
            "instance YAML an earlier import wrote (the form's answers go first, as FORM)",
        )
    try:
        load_instance(path)
    except InputError as error:
        data = read_document(path) if error.record_name is None else None
        if isinstance(data, dict) and "workshops" in data and "proposals" not in data:
            # (load_instance's words, "the instance comes first", are about validate's
            # arguments, which --keep has not)
            of = f" (of the instance {data['instance']!r})" if data.get("instance") else ""
            raise InputError(
                path,
                "option --keep",
                None,
                f"a solution written by `scheduler solve`{of}, not an instance: --keep names "
                "the instance YAML an earlier import wrote (the one the solution was solved "
                "from)",
            ) from None
        raise
    return read_document(path)


def carry_over(
    previous: dict[str, Any],
    data: dict[str, Any],
    fresh_windows: set[str],
    notes: list[str],
    given_ids: set[str] | None = None,
    given_slot_ids: set[str] | None = None,
) -> dict[str, Any]:
    """Coordinators' edits of a previous instance, carried into a fresh import by id.

    Kept: rules and constraints; a proposal's themes (when the form gives none), pin (when
    its slot still exists), minutes and preferred windows; a speaker's windows (unless the
    availability file gives theirs); a slot's fixed theme, language, closing and freezing.
    A proposal whose id changed with its title keeps its old id, and so what was set on
    it, when it is the only one of its presenters and format to go and to come (see
    `_match_renamed`), with a note, and on every later re-import (see `_keep_ids`);
    likewise one whose presenters changed (`_match_represented`), and a speaker whose
    name's spelling was fixed (`_keep_speaker_ids`). A
    proposal whose id is the form's own (`given_ids`) is no such one: its id does not
    follow its title, and a new id there is a new proposal (another talk of the same
    presenters). Likewise a slot whose id changed with its times keeps its old id when
    it moved (see `_match_moved_slots`), unless the slots file gave it (`given_slot_ids`),
    and a room renamed keeps its id and its slots theirs (`_keep_renamed_rooms`).
    """
    old_proposals = {p.get("id"): p for p in previous.get("proposals", [])}
    fresh = given_ids or set()
    renamed = _keep_speaker_ids(previous, data, fresh, notes)
    fresh_windows = {renamed.get(sid, sid) for sid in fresh_windows}
    _keep_retitled_ids(old_proposals, data["proposals"], fresh, notes)
    old_slots = {s.get("id"): s for s in previous.get("slots", [])}
    _keep_renamed_rooms(previous, data, given_slot_ids or set(), notes)
    _keep_moved_slot_ids(previous, data, given_slot_ids or set(), notes)
    slot_ids = {s["id"] for s in data["slots"]}
    theme_ids = {t["id"] for t in data["themes"]}
    for slot in data["slots"]:
        old = old_slots.get(slot["id"], {})
        slot.update({k: old[k] for k in SLOT_SETTINGS if k in old and k not in slot})
    old_speakers = {s.get("id"): s for s in previous.get("speakers", [])}
    zone = ZoneInfo(str(data["event"]["timezone"]))
    kept_emails = []
    for speaker in data["speakers"]:
        old = old_speakers.get(speaker["id"], {})
        if old.get("email") and not speaker.get("email"):
            # (added by hand, or given by an earlier form: `diff` needs it all the same)
            speaker["email"] = old["email"]
            kept_emails.append(str(speaker["id"]))
        if speaker["id"] not in fresh_windows:
            speaker.update(
                {k: old[k] for k in ("available", "unavailable", "preferred") if k in old}
            )
        else:
            _merge_windows(old, speaker, zone, notes)
    for proposal in data["proposals"]:
        old = old_proposals.get(proposal["id"])
        if old is not None:
            _carry_proposal(old, proposal, slot_ids, theme_ids, notes)
    if kept_emails:
        one = len(kept_emails) == 1
        notes.append(
            Bilingual(
                f"kept the e-mail address of {plural(len(kept_emails), 'speaker')} from the kept "
                f"instance, the form giving them none ({first_of(kept_emails)}): delete one from "
                "the instance if it no longer holds",
                f"{'adresse' if one else 'adresses'} e-mail {'conservée' if one else 'conservées'} "
                "de l'instance précédente pour "
                f"{plural_fr(len(kept_emails), 'intervenant·e', 'intervenant·es')}, le formulaire "
                f"n'en donnant aucune ({first_of(kept_emails, more=MORE_FR)})\u00a0: "
                + (
                    "supprimez-la de l'instance si elle n'est plus valable"
                    if one
                    else "supprimez de l'instance celles qui ne sont plus valables"
                ),
            )
        )
    old_constraints = previous.get("constraints") or {}
    candidates = _renamed_candidates(old_proposals, data, fresh)
    told = {pid for pid, _ in candidates}
    told_new = {new for _, news in candidates for new in news}
    _match_renamed(old_proposals, data, old_constraints, slot_ids, theme_ids, notes, fresh)
    told |= _match_represented(
        old_proposals, previous, data, old_constraints, slot_ids, theme_ids, notes,
        fresh | told_new, told,
    )  # fmt: skip
    kept_ids = {p["id"] for p in data["proposals"]}
    gone = [pid for pid in old_proposals if pid not in kept_ids and pid not in told]
    if gone:
        notes.append(
            Bilingual(
                "no longer imported (not in the form, or not accepted): " + ", ".join(gone),
                (
                    "proposition qui n'est plus importée (absente du formulaire, ou non "
                    "acceptée)\u00a0: "
                    if len(gone) == 1
                    else "propositions qui ne sont plus importées (absentes du formulaire, ou "
                    "non acceptées)\u00a0: "
                )
                + ", ".join(gone),
            )
        )
    constraints: dict[str, list[dict[str, Any]]] = {}
    for kind, groups in old_constraints.items():
        for group in groups:
            members = [p for p in group.get("proposals", []) if p in kept_ids]
            if len(members) >= 2:
                constraints.setdefault(kind, []).append({"proposals": members})
            else:
                notes.append(
                    Bilingual(
                        f"dropped a '{kind}' constraint: its proposals are no longer imported",
                        f"contrainte {guillemets(kind)} abandonnée\u00a0: ses propositions ne sont "
                        "plus importées",
                    )
                )
    _note_form_wins(old_proposals, data["proposals"], fresh, notes)
    # the kept instance's order of proposals, the new ones after them in the form's: a
    # workshop's timeline follows it, so sorting the form's rows changed the talks' times
    # (and sent "changes time" e-mails and calendar updates for nothing)
    place = {pid: n for n, pid in enumerate(old_proposals)}
    data["proposals"].sort(key=lambda p: place.get(p["id"], len(place)))
    merged = {**data, "rules": previous["rules"]} if "rules" in previous else dict(data)
    if constraints:
        merged["constraints"] = constraints
    order = list(Instance.model_fields)
    return {key: merged[key] for key in sorted(merged, key=order.index)}


FORM_FIELDS = (("title", "title"), ("format", "format"), ("language", "language"))
FORM_FIELDS_FR = {
    "title": ("titre", "celui du formulaire est retenu", "changez-le"),
    "format": ("format", "celui du formulaire est retenu", "changez-le"),
    "language": ("langue", "celle du formulaire est retenue", "changez-la"),
}
"""A field of `FORM_FIELDS` in French: its name, which is used, and how to keep the other."""


def _note_form_wins(
    old_proposals: dict[str, dict[str, Any]],
    proposals: list[dict[str, Any]],
    given_ids: set[str],
    notes: list[str],
) -> None:
    """A note per proposal and field the form gives (title, format, language, abstract)
    where the kept instance says otherwise: a coordinator's edit there (a talk to be
    given in English after all) was reverted without a word. The form's is used. A title
    is compared only when it gives the id (or the id is the form's own): a title edited
    in the form has its own note (`_match_renamed`)."""
    for proposal in proposals:
        old = old_proposals.get(proposal["id"])
        if old is None:
            continue
        pid = proposal["id"]
        for key, word in FORM_FIELDS:
            own = pid in given_ids or pid == proposal_id(proposal["title"], proposal["speakers"])
            if key == "title" and not own:
                continue
            was, now = old.get(key), proposal.get(key)
            if was is None or str(was) == str(now):
                continue
            quote = (lambda v: f"“{v}”") if key == "title" else str
            quote_fr = guillemets if key == "title" else str
            word_fr, used_fr, change_fr = FORM_FIELDS_FR[key]
            notes.append(
                Bilingual(
                    f"{pid}: {word} {quote(was)} in the kept instance, {quote(now)} in the form: "
                    f"the form's is used (a re-import takes a proposal's title, format, language "
                    f"and abstract from the form); to keep {quote(was)}, change it in the form",
                    f"{pid}\u00a0: {word_fr} {quote_fr(was)} dans l'instance précédente, "
                    f"{quote_fr(now)} dans le formulaire\u00a0: {used_fr} (une réimportation "
                    "reprend du formulaire le titre, le format, la langue et le résumé d'une "
                    f"proposition)\u00a0; pour garder {quote_fr(was)}, {change_fr} dans le "
                    "formulaire",
                )
            )
        was_text = str(old.get("abstract") or "").strip()
        if was_text and was_text != str(proposal.get("abstract") or "").strip():
            notes.append(
                Bilingual(
                    f"{pid}: the abstract differs in the kept instance and in the form: the "
                    "form's is used; to keep the instance's, copy it into the form",
                    f"{pid}\u00a0: le résumé n'est pas le même dans l'instance précédente et "
                    "dans le formulaire\u00a0: celui du formulaire est retenu\u00a0; pour garder "
                    "celui de l'instance, copiez-le dans le formulaire",
                )
            )
        # (on the grid and in the calendars: a coordinator's edit was reverted silently)
        was_format = str(old.get("participatory_format") or "").strip()
        now_format = str(proposal.get("participatory_format") or "").strip()
        if was_format and was_format != now_format:
            notes.append(
                Bilingual(
                    f"{pid}: participatory format “{was_format}” in the kept instance, "
                    + (f"“{now_format}” in the form" if now_format else "none in the form")
                    + ": the form's is used (a re-import takes it from the form, as the title, "
                    f"format, language and abstract); to keep “{was_format}”, change it in the "
                    "form",
                    f"{pid}\u00a0: format participatif {guillemets(was_format)} dans l'instance "
                    "précédente, "
                    + (
                        f"{guillemets(now_format)} dans le formulaire"
                        if now_format
                        else "aucun dans le formulaire"
                    )
                    + "\u00a0: celui du formulaire est retenu (une réimportation le reprend du "
                    "formulaire, comme le titre, le format, la langue et le résumé)\u00a0; pour "
                    f"garder {guillemets(was_format)}, changez-le dans le formulaire",
                )
            )


def _comments_lost(path: Path) -> list[str]:
    """A note counting the comments of a kept YAML instance that the instance written
    lacks: a re-import writes it afresh, and a coordinator's notes in it (`# a appelé le
    30/11 : malade mercredi`) were gone without a word. The header the import writes and
    the marks of suggested themes (carried over) are not counted."""
    if path.suffix.lower() == ".json":
        return []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    header = bool(lines) and lines[0].startswith("# Imported by `scheduler import`")
    comments = _comment_lines("\n".join(lines))
    found = []
    for number, line in enumerate(lines, 1):
        if header and (number == 1 or _HEADER_LINE.match(line)):
            continue
        header = False
        if SUGGESTED_MARK in line or number not in comments:
            continue
        found.append(number)
    if not found:
        return []
    shown = ", ".join(str(n) for n in found[:8])
    one = len(found) == 1
    not_carried_fr = "n'est pas reprise" if one else "ne sont pas reprises"
    return [
        Bilingual(
            f"{path.name}: {plural(len(found), 'comment line')} ({'line' if one else 'lines'} "
            f"{shown}{', ...' if len(found) > 8 else ''}) {'is' if one else 'are'} not carried "
            "over into the instance written: a re-import writes it afresh, with only its own "
            "header and the marks of suggested themes; copy them back by hand from a copy of "
            "the previous file (keep one before re-importing into it), or keep such notes "
            "elsewhere",
            f"{path.name}\u00a0: {plural_fr(len(found), 'ligne')} de commentaire "
            f"({_rows_word(len(found), 'fr')} {shown}{'…' if len(found) > 8 else ''}) "
            f"{not_carried_fr} dans l'instance "
            "écrite\u00a0: une réimportation la récrit entièrement, avec son seul en-tête et "
            "les marques des thèmes suggérés\u00a0; recopiez-les à la main depuis une copie du "
            "fichier précédent (gardez-en une avant d'y réimporter), ou tenez ces notes "
            "ailleurs",
        )
    ]


_HEADER_LINE = re.compile(
    r"# (\d+ proposals? ha(s|ve) no theme yet|`scheduler themes .* --apply`"
    r"|Themes: the six of the Commons AI 2026 call|themes, not another's|\(its own\) before `scheduler themes --apply`)"
)
"""The lines of the header `write_instance` writes after its first (`themes --apply` keeps
them up to date)."""


def _comment_lines(text: str) -> set[int]:
    """The lines (from 1) of a YAML text that hold a comment: a '#' at a line's start or
    after a space that no scalar covers, as YAML's own reader places its scalars (a '#'
    in an abstract's block, or in a quoted title, is text; read line by line, a hashtag
    in an abstract was counted as a comment). None when the text is not YAML."""
    try:
        root = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        return set()
    spans: list[tuple[int, int]] = []
    nodes = [root] if root is not None else []
    while nodes:
        node = nodes.pop()
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.MappingNode):
            nodes.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            nodes.extend(node.value)
    spans.sort()
    starts = [start for start, _ in spans]
    found = set()
    for hash_mark in re.finditer(r"(?:^|(?<=[ \t]))#", text, re.M):
        at = hash_mark.start()
        before = bisect.bisect_right(starts, at) - 1
        if before < 0 or not spans[before][0] <= at < spans[before][1]:
            found.add(text.count("\n", 0, at) + 1)
    return found


def _window_span(window: Any, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """A window's start and end in the event's local time, without an offset (as the
    availability file gives them); None when they cannot be read so."""
    if not isinstance(window, dict):
        return None
    span = []
    for key in ("start", "end"):
        value = window.get(key)
        try:
            moment = (
                value
                if isinstance(value, datetime)
                else datetime.combine(value, time(0, 0))
                if isinstance(value, date)
                else datetime.fromisoformat(str(value))
            )
        except ValueError:
            return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
        span.append(moment)
    return span[0], span[1]


def _window_text(span: tuple[datetime, datetime], lang: str = "en") -> str:
    """'2026-12-03 13:00–18:00', '2026-12-02, all day', '2026-12-02 09:00 – 2026-12-03 12:00'
    ('2026-12-02, toute la journée', 'du 2026-12-02 au 2026-12-04' in French)."""
    start, end = span
    fr = lang == "fr"
    if start.time() == time(0, 0) and end.time() == time(0, 0) and end > start:
        last = (end - timedelta(days=1)).date()
        if last == start.date():
            return f"{start:%Y-%m-%d}, {'toute la journée' if fr else 'all day'}"
        return f"du {start:%Y-%m-%d} au {last}" if fr else f"{start:%Y-%m-%d}..{last}"
    if start.date() == end.date():
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
    return f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M}"


def _window_said(span: tuple[datetime, datetime]) -> Bilingual:
    return Bilingual(_window_text(span), _window_text(span, "fr"))


_WINDOW_WORDS = {"available": "available", "unavailable": "unavailable", "preferred": "preferred"}
_WINDOW_WORDS_FR = {
    "available": "disponible",
    "unavailable": "indisponible",
    "preferred": "préférée",
}
_WINDOW_KINDS_FR = {
    "available": "de disponibilité",
    "unavailable": "d'indisponibilité",
    "preferred": "préférées",
}
"""A speaker's windows of each kind, as « les plages … » says them."""


def _unmeetable_preferences(speakers: list[dict[str, Any]], zone: ZoneInfo) -> list[str]:
    """Notes on preferred windows no schedule can meet: within the speaker's unavailable
    windows, or outside all her available ones. Such a preference was accepted without a
    word and cost `speaker-preference` in every solve, a penalty nothing could avoid."""
    notes = []
    for speaker in speakers:
        spans = {
            kind: sorted(s for w in speaker.get(kind) or [] if (s := _window_span(w, zone)))
            for kind in WINDOW_FIELDS
        }
        for start, end in spans["preferred"]:
            cover, why, why_fr = start, "", ""
            for s, e in spans["unavailable"]:
                if s <= cover < e:
                    cover = max(cover, e)
            if cover >= end:
                within = [
                    _window_said((s, e)) for s, e in spans["unavailable"] if s < end and start < e
                ]
                why = f"unavailable then ({_and(within)})"
                why_fr = f"indisponible à ce moment-là ({_and(within, 'fr')})"
            elif spans["available"] and not any(
                s < end and start < e for s, e in spans["available"]
            ):
                why, why_fr = (
                    "available only at other times",
                    "disponible à d'autres moments seulement",
                )
            if why:
                who = f"{speaker.get('name', speaker['id'])} ({speaker['id']})"
                notes.append(
                    Bilingual(
                        f"{who} prefers {_window_text((start, end))} but is {why}: the "
                        "preference cannot be met, and costs speaker-preference in every "
                        "schedule; drop one of them",
                        f"{who} préfère {_window_text((start, end), 'fr')} mais est "
                        f"{why_fr}\u00a0: "
                        "la préférence ne peut pas être satisfaite, et coûte speaker-preference "
                        "dans tout programme\u00a0; supprimez l'une des deux",
                    )
                )
    return notes


def _merge_windows(
    old: dict[str, Any], speaker: dict[str, Any], zone: ZoneInfo, notes: list[str]
) -> None:
    """The availability file gives the speaker's windows; those only the kept instance had
    (a coordinator's, added by hand after a phone call, were dropped without a word) are
    said. An unavailable one is kept, unless it lies within one the file gives, or an
    available or preferred window the kept instance did not have overlaps it (the file's
    newer word): an absence kept can only leave a speaker unscheduled when she could
    speak, one dropped can schedule her when she is away. An available or preferred one is dropped: the
    file's list of those is the speaker's (adding one would widen it)."""
    fresh = {
        kind: [span for w in speaker.get(kind, []) if (span := _window_span(w, zone))]
        for kind in WINDOW_FIELDS
    }
    before = [
        span
        for kind in ("available", "preferred")
        for w in old.get(kind) or []
        if (span := _window_span(w, zone))
    ]
    # (the file's new word: an absence set beside a window the file already gave is kept)
    said_by_file = [s for s in fresh["available"] + fresh["preferred"] if s not in before]
    kept, dropped, contradicted = [], [], []
    for kind in WINDOW_FIELDS:
        for window in old.get(kind) or []:
            span = _window_span(window, zone)
            if span is None or span in fresh[kind]:
                continue
            if kind != "unavailable":
                dropped.append(
                    Bilingual(
                        f"{_WINDOW_WORDS[kind]} {_window_text(span)}",
                        f"{_window_text(span, 'fr')} ({_WINDOW_WORDS_FR[kind]})",
                    )
                )
                continue
            if any(s <= span[0] and span[1] <= e for s, e in fresh["unavailable"]):
                continue  # (within one the file gives)
            if any(s < span[1] and span[0] < e for s, e in said_by_file):
                contradicted.append(_window_said(span))
                continue
            speaker.setdefault("unavailable", []).append(
                {"start": span[0].isoformat(), "end": span[1].isoformat()}
            )
            kept.append(_window_said(span))
    who = f"{speaker.get('name', speaker['id'])} ({speaker['id']})"
    if kept:
        one = len(kept) == 1
        notes.append(
            Bilingual(
                f"{who}: kept the unavailable {'window' if one else 'windows'} "
                f"{_and(kept)}, in the kept instance but not in the availability file, which "
                "gives other windows of this speaker (added by hand, or given by an earlier "
                "availability file): an absence is kept, the safer reading; if it no longer "
                "holds (corrected in the file), delete it from the instance, else add it to the "
                "availability file",
                f"{who}\u00a0: {'plage' if one else 'plages'} d'indisponibilité "
                f"{'conservée' if one else 'conservées'}, {_and(kept, 'fr')}, "
                f"{'présente' if one else 'présentes'} dans l'instance précédente mais pas "
                "dans le fichier des disponibilités, qui donne d'autres plages pour cet·te "
                f"intervenant·e ({'ajoutée' if one else 'ajoutées'} à la main, ou "
                f"{'donnée' if one else 'données'} par un fichier des disponibilités "
                "antérieur)\u00a0: une absence est conservée, la lecture la plus sûre\u00a0; si "
                f"{'elle ne tient' if one else 'elles ne tiennent'} plus (corrigée dans le "
                f"fichier), {'supprimez-la' if one else 'supprimez-les'} de l'instance, sinon "
                f"{'ajoutez-la' if one else 'ajoutez-les'} au fichier des disponibilités",
            )
        )
    if contradicted:
        one = len(contradicted) == 1
        notes.append(
            Bilingual(
                f"{who}: dropped the unavailable {'window' if one else 'windows'} "
                f"{_and(contradicted)}, which only the kept instance had: the availability file "
                "now gives this speaker as available or preferring to speak then; if the absence "
                "still holds, add it to the availability file",
                f"{who}\u00a0: {'plage' if one else 'plages'} d'indisponibilité "
                f"{'abandonnée' if one else 'abandonnées'}, {_and(contradicted, 'fr')}, que "
                "seule l'instance précédente avait\u00a0: le fichier des disponibilités donne "
                "désormais cet·te intervenant·e disponible, ou préférant intervenir, à ce "
                "moment-là\u00a0; si l'absence tient toujours, ajoutez-la au fichier des "
                "disponibilités",
            )
        )
    if dropped:
        one = len(dropped) == 1
        notes.append(
            Bilingual(
                f"{who}: dropped the {'window' if one else 'windows'} "
                f"{_and(dropped)}, which only the kept instance had: the availability file gives "
                "this speaker's available and preferred windows; to keep "
                f"{'it' if one else 'them'}, add "
                f"{'it' if one else 'them'} to the availability file",
                f"{who}\u00a0: {'plage abandonnée' if one else 'plages abandonnées'}, "
                f"{_and(dropped, 'fr')}, que seule l'instance précédente avait\u00a0: le "
                "fichier des disponibilités donne les plages de disponibilité et de préférence "
                f"de cet·te intervenant·e\u00a0; pour {'la' if one else 'les'} garder, "
                f"{'ajoutez-la' if one else 'ajoutez-les'} au fichier des disponibilités",
            )
        )


def _keep_ids(
    kept: dict[str, str], records: list[dict[str, Any]], spared: set[str]
) -> list[tuple[dict[str, Any], str, dict[str, Any]]]:
    """Give back the ids that outlived their content: `kept` maps a kept record's id to
    the id its content gives now, and a record whose content id is that of one kept
    record alone (a proposal kept under its first id by an earlier re-import when its
    title was edited, a slot when it moved) takes the kept id. Without this, such an id
    stayed only while nothing else changed, and a new record whose content gave it took
    the other's calendar event. That new record then gets `<its id>-2` (-3...). The
    records of `spared` ids (the file's own) are left as they are. Returns each record
    renamed so, with the id its content gives and the record holding it."""
    owners: dict[str, list[str]] = defaultdict(list)
    for kid, content in kept.items():
        if content != kid:
            owners[content].append(kid)
    holders: dict[str, dict[str, Any]] = {}
    for record in records:
        found = owners.get(record["id"], [])
        exact = kept.get(record["id"]) == record["id"]  # (a kept record of that very content)
        if record["id"] not in spared and len(found) == 1 and not exact:
            record["id"] = found[0]
            holders[found[0]] = record
    taken = set(kept) | {r["id"] for r in records}
    clashes = []
    for record in records:
        own = record["id"]
        if own in holders and holders[own] is not record and own not in spared:
            record["id"] = next(
                f"{own}-{n}" for n in itertools.count(2) if f"{own}-{n}" not in taken
            )
            taken.add(record["id"])
            clashes.append((record, own, holders[own]))
    return clashes


MOVED_SLOT_MINUTES = 60
"""A slot gone and a new one of the same room and day, whose times overlap or start less
than this apart, may be one slot moved (FOST shifting it by half an hour, the commonest
change on site)."""

SLOT_SETTINGS = ("theme", "language", "closed", "frozen")
"""What a coordinator sets on a slot, which --keep carries over."""
_SLOT_SETTINGS_SAID: dict[str, Callable[[Any], Bilingual]] = {
    "theme": lambda v: Bilingual(f"its theme ({v})", f"son thème ({v})"),
    "language": lambda v: Bilingual(f"its language ({v})", f"sa langue ({v})"),
    "closed": lambda v: Bilingual("its closing", "sa fermeture"),
    "frozen": lambda v: Bilingual("its freezing (frozen)", "son gel (frozen)"),
}
"""A setting of `SLOT_SETTINGS` carried over, as a note says it."""


def _keep_moved_slot_ids(
    previous: dict[str, Any], data: dict[str, Any], given: set[str], notes: list[str]
) -> None:
    """Slots whose id came from their times and changed with them keep the kept slot's
    id, so its workshop's calendar event (its UID goes by the slot's id) is updated,
    not cancelled and added again; what was set on it (and the pins to it) follows."""
    zone = ZoneInfo(str(data["event"]["timezone"]))
    old_slots = {
        str(s.get("id")): local
        for s in previous.get("slots", [])
        if (local := _local_times(s, zone)) is not None
    }
    kept = {sid: _slot_id("", str(s["room"]), _slot_span(s)[0]) for sid, s in old_slots.items()}
    # (a room renamed since has only the kept instance's name: a slot moved out of it
    # was named by its id)
    rooms = {
        str(r["id"]): str(r.get("name", r["id"]))
        for r in [*previous.get("rooms", []), *data["rooms"]]
        if isinstance(r, dict) and "id" in r
    }
    for slot, own, holder in _keep_ids(kept, data["slots"], given):
        notes.append(
            Bilingual(
                f"slot {slot['id']} ({_slot_times(slot, rooms)}) is new, and its room and start "
                f"give {own}, the id that the slot of {_slot_times(holder)} kept when it moved: "
                f"it gets {slot['id']} instead",
                f"le créneau {slot['id']} ({_slot_times(slot, rooms)}) est nouveau, et sa salle "
                f"et son début donnent {own}, l'id que le créneau de {_slot_times(holder)} a "
                f"gardé quand il a été déplacé\u00a0: il reçoit {slot['id']} à la place",
            )
        )
    _match_moved_slots(previous, old_slots, data, given, rooms, notes)


def _keep_renamed_rooms(
    previous: dict[str, Any], data: dict[str, Any], given: set[str], notes: list[str]
) -> None:
    """A room renamed in the slots file ('Salle Seine' now 'Salle Seine-Rive') got a new id
    from its name, and its slots new ids from it, so that every workshop there was a new
    calendar event (a workshop's identity is its slot's id and its room). When a kept
    room is gone from the slots file and a new room has exactly its slots, each at the
    same times, each the other's only such room, the new one is that room renamed: it
    keeps the kept id, and its slots theirs, with a note. A room so kept under an id its
    name no longer gives is found by its name at later re-imports. Anything less clean (a
    slot added or moved too, two rooms of the same slots renamed at once) is left to the
    slots' own matching (`_match_moved_slots`)."""
    zone = ZoneInfo(str(data["event"]["timezone"]))
    old_rooms = {str(r["id"]): r for r in previous.get("rooms", []) if isinstance(r, dict)}
    new_rooms = {str(r["id"]): r for r in data["rooms"]}
    old_spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for slot in previous.get("slots", []):
        local = _local_times(slot, zone)
        if local is not None:
            old_spans[str(slot.get("room"))].append(_slot_span(local))
    new_spans: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for slot in data["slots"]:
        new_spans[str(slot["room"])].append(_slot_span(slot))
    gone = [r for r in old_rooms if r not in new_rooms and old_spans.get(r)]
    come = [r for r in new_rooms if r not in old_rooms]
    by_name: dict[str, list[str]] = defaultdict(list)
    for rid in gone:
        by_name[speaker_id(str(old_rooms[rid].get("name", rid)))].append(rid)
    renamed: dict[str, str] = {}
    for rid in come:
        # (kept under its former id by an earlier re-import, and still named so)
        named = by_name.get(rid, [])
        if len(named) == 1 and named[0] != rid:
            renamed[rid] = named[0]
    same = {
        rid: [g for g in gone if sorted(old_spans[g]) == sorted(new_spans[rid])]
        for rid in come
        if rid not in renamed
    }
    for rid, olds in same.items():
        if len(olds) != 1 or olds[0] in renamed.values():
            continue
        if sum(olds[0] in others for others in same.values()) != 1:
            continue
        renamed[rid] = olds[0]
        was = old_rooms[olds[0]]
        count = len(new_spans[rid])
        notes.append(
            Bilingual(
                f"room {new_rooms[rid]['name']!r} has the slots of the kept instance's room "
                f"{olds[0]} ({was.get('name', olds[0])!r}), no longer in the slots file, each at "
                f"the same times ({plural(count, 'slot')}): read as that room "
                f"renamed, so it keeps the id {olds[0]}, and its slots theirs (their workshops "
                f"stay the same calendar events, showing the new name), rather than {rid}, which "
                f"its new name gives; check it: if it is another room, give it the id {rid} in "
                "the instance written, and its slots the ids their new room gives",
                f"la salle {guillemets(str(new_rooms[rid]['name']))} a les créneaux de la salle "
                f"{olds[0]} ({guillemets(str(was.get('name', olds[0])))}) de l'instance "
                "précédente, qui n'est plus dans le fichier des créneaux, chacun aux mêmes "
                f"heures ({plural_fr(count, 'créneau', 'créneaux')})\u00a0: lue comme cette salle "
                f"renommée, elle garde donc l'id {olds[0]}, et ses créneaux les leurs (leurs "
                "ateliers restent les mêmes événements de calendrier, sous le nouveau nom), "
                f"plutôt que {rid}, que donne son nouveau nom\u00a0; vérifiez-le\u00a0: s'il "
                f"s'agit d'une autre salle, donnez-lui l'id {rid} dans l'instance écrite, et à "
                "ses créneaux les ids que donne leur nouvelle salle",
            )
        )
    for rid, old in renamed.items():
        new_rooms[rid]["id"] = old
        for slot in data["slots"]:
            if slot["room"] == rid:
                slot["room"] = old
                if slot["id"] not in given:
                    slot["id"] = _slot_id("", old, _slot_span(slot)[0])


def _local_times(slot: dict[str, Any], zone: ZoneInfo) -> dict[str, Any] | None:
    """A kept slot with its start and end as the slots file gives them: the event's local
    time, without an offset (a kept instance may write `2026-12-02T09:00:00Z`, or a day);
    None when they cannot be read so (the slot then matches by its id only)."""
    times = {}
    for key in ("start", "end"):
        try:
            moment = datetime.fromisoformat(str(slot.get(key)))
        except ValueError:
            return None
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone).replace(tzinfo=None)
        times[key] = moment.isoformat()
    return {**slot, **times}


def _slot_span(slot: dict[str, Any]) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(str(slot["start"])), datetime.fromisoformat(str(slot["end"]))


def _slot_times(slot: dict[str, Any], rooms: dict[str, str] | None = None) -> str:
    """'10:00–11:00', or with the rooms' names 'Salle Parvis, 2026-12-02 10:00–11:00'."""
    start, end = _slot_span(slot)
    hours = f"{start:%H:%M}–{end:%H:%M}"
    if rooms is None:
        return hours
    return f"{rooms.get(str(slot['room']), slot['room'])}, {start:%Y-%m-%d} {hours}"


def _linked(
    gone: list[str], fresh: list[dict[str, Any]], link: Callable[[str, dict[str, Any]], bool]
) -> list[tuple[list[str], list[dict[str, Any]]]]:
    """The slots gone and come, in groups of those `link` ties to each other (through
    one another): which moved where is told only in a group of one of each."""
    groups: list[tuple[list[str], list[dict[str, Any]]]] = []
    for sid in gone:
        links = [slot for slot in fresh if link(sid, slot)]
        if not links:
            continue
        joined = [g for g in groups if any(s in g[1] for s in links)]
        olds = [sid] + [o for g in joined for o in g[0]]
        news = links + [s for g in joined for s in g[1] if s not in links]
        groups = [g for g in groups if g not in joined] + [(olds, news)]
    return groups


def _may_have_moved(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """One room, one day, and times that overlap or start less than an hour apart."""
    (old_start, old_end), (new_start, new_end) = _slot_span(old), _slot_span(new)
    return (
        old.get("room") == new["room"]
        and old_start.date() == new_start.date()
        and (
            (old_start < new_end and new_start < old_end)
            or abs(new_start - old_start) < timedelta(minutes=MOVED_SLOT_MINUTES)
        )
    )


def _match_moved_slots(
    previous: dict[str, Any],
    old_slots: dict[str, dict[str, Any]],
    data: dict[str, Any],
    given: set[str],
    rooms: dict[str, str],
    notes: list[str],
) -> None:
    """A kept slot gone from the slots file and a new one of the same room and day, close
    in time (`_may_have_moved`), each the other's only such one: the new one is the kept
    one moved, and takes its id; so, among the slots left, for one gone and one come at
    the same day and times in another room (FOST giving the slot another room). When
    more are involved which moved where cannot be told, and the new ones keep the ids
    their times give. Either way a note says so."""
    new_ids = {s["id"] for s in data["slots"]}
    gone = [sid for sid in old_slots if sid not in new_ids]
    fresh = [s for s in data["slots"] if s["id"] not in old_slots and s["id"] not in given]
    groups = [
        (olds, news, False)
        for olds, news in _linked(
            gone, fresh, lambda sid, slot: _may_have_moved(old_slots[sid], slot)
        )
    ]
    # then a slot gone and one come at the very same times in another room: the room
    # changed (among the slots the first look left alone)
    linked = {sid for olds, _, _ in groups for sid in olds}
    claimed = [id(slot) for _, news, _ in groups for slot in news]
    groups += [
        (olds, news, True)
        for olds, news in _linked(
            [sid for sid in gone if sid not in linked],
            [slot for slot in fresh if id(slot) not in claimed],
            lambda sid, slot: _slot_span(old_slots[sid]) == _slot_span(slot),
        )
    ]
    # (the pins of the proposals imported again under their ids; a retitled one's pin
    # is said in its own note)
    imported = {p["id"] for p in data["proposals"]}
    pinned: dict[str, list[str]] = defaultdict(list)
    for proposal in previous.get("proposals", []):
        if proposal.get("pin") in old_slots and proposal.get("id") in imported:
            pinned[proposal["pin"]].append(str(proposal.get("id")))
    for olds, news, other_room in groups:
        if len(olds) == len(news) == 1:
            old, slot = old_slots[olds[0]], news[0]
            own, slot["id"] = slot["id"], olds[0]
            carried = [
                _SLOT_SETTINGS_SAID[key](old[key])
                for key in SLOT_SETTINGS
                if old.get(key) and key not in slot
            ]
            if pinned[olds[0]]:
                ids = ", ".join(pinned[olds[0]])
                carried.append(
                    Bilingual(f"the pin to it of {ids}", f"l'épinglage de {ids} à ce créneau")
                )
            start = _slot_span(old)[0]
            room = rooms.get(str(old["room"]), old["room"])
            if other_room:
                now_in = rooms.get(str(slot["room"]), slot["room"])
                moved = (
                    f"slot {olds[0]} ({_slot_times(old, rooms)}) is now in "
                    f"{now_in}: read as the same slot "
                    "moved to another room (no other slot of that day at those times went "
                    "or came), so it keeps its id, and what was set on it, rather than "
                    f"{own}, which its new room gives (its workshop is a new calendar event "
                    "all the same: the one in the room it left is cancelled)"
                )
                moved_fr = (
                    f"le créneau {olds[0]} ({_slot_times(old, rooms)}) a désormais pour salle "
                    f"{now_in}\u00a0: lu comme le même créneau changé de salle (aucun autre "
                    "créneau de ce jour à ces heures n'est parti ni arrivé), il garde donc son "
                    f"id, et ce qui y était réglé, plutôt que {own}, que donne sa nouvelle salle "
                    "(son atelier est tout de même un nouvel événement de calendrier\u00a0: celui "
                    "de la salle quittée est annulé)"
                )
            else:
                moved = (
                    f"slot {olds[0]} ({room}, {start:%Y-%m-%d}) is now at "
                    f"{_slot_times(slot)}, no longer {_slot_times(old)}: read as the same "
                    "slot moved (no other slot of its room near that time went or came), so "
                    "it keeps its id (and its workshop its calendar event) rather than "
                    f"{own}, which its new start gives"
                )
                moved_fr = (
                    f"le créneau {olds[0]} ({room}, {start:%Y-%m-%d}) est désormais à "
                    f"{_slot_times(slot)}, et non plus à {_slot_times(old)}\u00a0: lu comme le "
                    "même créneau déplacé (aucun autre créneau de sa salle n'est parti ni "
                    "arrivé vers cette heure), il garde donc son id (et son atelier son "
                    f"événement de calendrier) plutôt que {own}, que donne son nouveau début"
                )
            notes.append(
                Bilingual(
                    moved
                    + (f"; carried over {_and(carried)}" if carried else "")
                    + f"; check it: if it is another slot, give it the id {own}"
                    + (" and take off what was carried over" if carried else ""),
                    moved_fr
                    + (f"\u00a0; repris\u00a0: {_and(carried, 'fr')}" if carried else "")
                    + f"\u00a0; vérifiez-le\u00a0: s'il s'agit d'un autre créneau, donnez-lui "
                    f"l'id {own}" + (" et retirez ce qui a été repris" if carried else ""),
                )
            )
            continue
        set_on = [
            (sid, ", ".join(k for k in SLOT_SETTINGS if old_slots[sid].get(k)))
            for sid in olds
            if any(old_slots[sid].get(k) for k in SLOT_SETTINGS)
        ]
        went = [
            Bilingual(f"slot {sid} ({times})", f"le créneau {sid} ({times})")
            for sid in olds
            for times in [_slot_times(old_slots[sid], rooms)]
        ]
        came = [f"{slot['id']} ({_slot_times(slot, rooms)})" for slot in news]
        one_went, one_came = len(olds) == 1, len(news) == 1
        notes.append(
            Bilingual(
                f"{_and(went)} {'is' if one_went else 'are'} no longer in the slots file "
                f"and {_and(came)} "
                f"{'is' if one_came else 'are'} new there: which moved where cannot be "
                f"told, so the new {'one keeps its id' if one_came else 'ones keep theirs'}"
                " (a workshop's calendar event goes by it)"
                + (
                    " and nothing was carried over of what was set "
                    + "; ".join(f"on {sid}: {keys}" for sid, keys in set_on)
                    + "; set it again by hand"
                    if set_on
                    else ""
                ),
                f"{_and(went, 'fr')} {NO_LONGER_FR[one_went]} dans le "
                f"fichier des créneaux et {_and(came, 'fr')} "
                f"{'y est nouveau' if one_came else 'y sont nouveaux'}\u00a0: impossible de dire "
                "lequel a été déplacé où, "
                + (
                    "le nouveau garde donc son id"
                    if one_came
                    else "les nouveaux gardent donc les leurs"
                )
                + " (l'événement de calendrier d'un atelier en dépend)"
                + (
                    " et rien n'a été repris de ce qui était réglé "
                    + "\u00a0; ".join(f"sur {sid}\u00a0: {keys}" for sid, keys in set_on)
                    + "\u00a0; réglez-le de nouveau à la main"
                    if set_on
                    else ""
                ),
            )
        )


def _keep_retitled_ids(
    old_proposals: dict[str, dict[str, Any]],
    proposals: list[dict[str, Any]],
    given_ids: set[str],
    notes: list[str],
) -> None:
    """Proposals kept under an id their title no longer gives keep it (`_keep_ids`)."""
    kept = {
        pid: proposal_id(str(p.get("title", "")), [str(s) for s in p.get("speakers", [])])
        for pid, p in old_proposals.items()
    }
    for proposal, own, holder in _keep_ids(kept, proposals, given_ids):
        notes.append(
            Bilingual(
                f"{_titled(proposal)} is new, and its title and presenters give {own}, the id "
                f"that {_titled(holder)} kept when its title or presenters were edited: it gets "
                f"{proposal['id']} instead",
                f"{_titled(proposal, 'fr')} est nouvelle, et son titre et ses intervenant·es "
                f"donnent {own}, l'id que {_titled(holder, 'fr')} a gardé quand son titre ou ses "
                f"intervenant·es ont été modifiés\u00a0: elle reçoit {proposal['id']} à la place",
            )
        )


def _keep_speaker_ids(
    previous: dict[str, Any], data: dict[str, Any], given_ids: set[str], notes: list[str]
) -> dict[str, str]:
    """Speakers whose name's spelling was fixed keep the kept speaker's id: a speaker's
    calendar goes by it, and a proposal's id by its presenters' ids ('John Smith'
    corrected to 'Jon Smith' made his talk a new proposal, its themes and pin lost, the
    talk reported withdrawn during the event). A kept speaker gone from the form and a
    new one whose names are near-identical (`_near_names`), of the same affiliation and
    on the same proposals (title and format), each the other's only such one, are one
    person: the new one takes the kept id, with a note; when more are involved, nothing
    is guessed, and a note says so. A speaker kept under an id its name no longer gives
    keeps it on later re-imports (`_keep_ids`). The proposals' speaker lists and the ids
    that follow from them (not the form's own, `given_ids`) follow. Returns the fresh ids
    renamed, to the ids kept."""
    old_speakers = {str(s.get("id")): s for s in previous.get("speakers", [])}
    fresh_ids = {id(s): s["id"] for s in data["speakers"]}
    kept = {sid: speaker_id(str(s.get("name", sid))) or sid for sid, s in old_speakers.items()}
    for speaker, own, holder in _keep_ids(kept, data["speakers"], set()):
        notes.append(
            Bilingual(
                f"speaker {speaker['id']} ({speaker['name']}) is new, and the name gives {own}, "
                f"the id that {holder['name']} kept when the name's spelling was fixed: it gets "
                f"{speaker['id']} instead",
                f"l'intervenant·e {speaker['id']} ({speaker['name']}) apparaît dans le "
                f"formulaire, et son nom donne {own}, l'id que {holder['name']} a gardé quand "
                f"l'orthographe de son nom a été corrigée\u00a0: {speaker['id']} lui est "
                "attribué à la place",
            )
        )
    rename = {fresh_ids[id(s)]: s["id"] for s in data["speakers"] if fresh_ids[id(s)] != s["id"]}
    _rename_presenters(data, rename, given_ids)
    current = {s["id"] for s in data["speakers"]}
    gone = [sid for sid in old_speakers if sid not in current]
    new = [s for s in data["speakers"] if s["id"] not in old_speakers]

    def talks(proposals: list[dict[str, Any]], sid: str) -> set[tuple[str, str]]:
        return {
            (" ".join(fold(str(p.get("title", ""))).split()), str(p.get("format")))
            for p in proposals
            if sid in [str(x) for x in p.get("speakers", [])]
        }

    def link(sid: str, speaker: dict[str, Any]) -> bool:
        old = old_speakers[sid]
        return (
            fold(str(old.get("affiliation") or "")) == fold(speaker.get("affiliation") or "")
            and _near_names(str(old.get("name", sid)), speaker["name"])
            and bool(talks(previous.get("proposals", []), sid))
            and talks(previous.get("proposals", []), sid) == talks(data["proposals"], speaker["id"])
        )

    respelled: dict[str, str] = {}
    for olds, news in _linked(gone, new, link):
        said = [f"{old_speakers[sid].get('name', sid)} ({sid})" for sid in olds]
        came = [f"{s['name']} ({s['id']})" for s in news]
        if len(olds) == len(news) == 1:
            old, speaker = old_speakers[olds[0]], news[0]
            own, speaker["id"] = speaker["id"], olds[0]
            respelled[own] = olds[0]
            if old.get("affiliation") and speaker.get("affiliation"):
                # (the same, folded: the kept one's writing stays, as for a name unchanged)
                speaker["affiliation"] = old["affiliation"]
            of = f" of {speaker['affiliation']}" if speaker.get("affiliation") else ""
            # (the availability file's windows, when it gives the speaker's, are hers)
            given = any(speaker.get(k) for k in WINDOW_FIELDS)
            windows = [k for k in WINDOW_FIELDS if old.get(k) and not given]
            theirs = [
                str(p.get("id"))
                for p in previous.get("proposals", [])
                if olds[0] in [str(x) for x in p.get("speakers", [])]
            ]
            listed = ", ".join(theirs)
            on = f"{'proposal' if len(theirs) == 1 else 'proposals'} ({listed})"
            on_fr = (
                f"la même proposition ({listed})"
                if len(theirs) == 1
                else f"les mêmes propositions ({listed})"
            )
            of_fr = f" ({speaker['affiliation']})" if speaker.get("affiliation") else ""
            kinds_fr = [_WINDOW_KINDS_FR[k] for k in windows]
            notes.append(
                Bilingual(
                    f"speaker {olds[0]} ({old.get('name', olds[0])}) is no longer in the form "
                    f"and {speaker['name']}{of} is new there, on the same {on}: "
                    "read as the same person with the name's spelling fixed, so the speaker "
                    f"keeps the id {olds[0]} (and with it the speaker's calendar, and the "
                    f"proposals their ids) rather than {own}, which the new spelling gives"
                    + (
                        f", and the {_and([k + ' windows' for k in windows])} set on it"
                        if windows
                        else ""
                    )
                    + f"; check it: if they are two people, give the new one the id {own} in "
                    "speakers: and in the proposals naming it",
                    f"l'intervenant·e {olds[0]} ({old.get('name', olds[0])}) n'est plus dans le "
                    f"formulaire et {speaker['name']}{of_fr} y apparaît, sur {on_fr}\u00a0: lu "
                    "comme la même personne, l'orthographe du nom corrigée, l'intervenant·e "
                    f"garde donc l'id {olds[0]} (et avec lui son calendrier, et les propositions "
                    f"leurs ids) plutôt que {own}, que donne la nouvelle orthographe"
                    + (
                        f", ainsi que les plages {_and(kinds_fr, 'fr')} qui y étaient réglées"
                        if windows
                        else ""
                    )
                    + "\u00a0; vérifiez-le\u00a0: s'il s'agit de deux personnes, donnez à la "
                    f"nouvelle l'id {own} dans speakers: et dans les propositions qui la nomment",
                )
            )
            continue
        notes.append(
            Bilingual(
                f"{_and(said)} {'is' if len(olds) == 1 else 'are'} no longer in the form and "
                f"{_and(came)} {'is' if len(news) == 1 else 'are'} new there, with names spelt "
                "nearly alike, the same affiliation and the same proposals: which is which "
                "cannot be told, so the new ones keep the ids their names give (a speaker's "
                "calendar goes by it); if a name's spelling was fixed, give the speaker the "
                "old id by hand",
                f"{_and(said, 'fr')} {NO_LONGER_FR[len(olds) == 1]} dans le formulaire et "
                f"{_and(came, 'fr')} {'y apparaît' if len(news) == 1 else 'y apparaissent'}, "
                "avec des noms d'orthographe presque identique, la même affiliation et les "
                "mêmes propositions\u00a0: impossible de dire qui est qui, les nouveaux ids "
                "restent donc ceux que donnent les noms (le calendrier d'un·e intervenant·e en "
                "dépend)\u00a0; si l'orthographe d'un nom a été corrigée, donnez à la main "
                "l'ancien id à l'intervenant·e",
            )
        )
    _rename_presenters(data, respelled, given_ids)
    return {**rename, **respelled}


def _rename_presenters(data: dict[str, Any], rename: dict[str, str], given_ids: set[str]) -> None:
    """Speaker ids renamed in the proposals' presenters, and in the ids that follow from
    them (those of the form's own id column, `given_ids`, stay)."""
    if not rename:
        return
    for proposal in data["proposals"]:
        before = list(proposal["speakers"])
        if not any(s in rename for s in before):
            continue
        proposal["speakers"] = [rename.get(s, s) for s in before]
        if proposal["id"] not in given_ids and proposal["id"] == proposal_id(
            proposal["title"], before
        ):
            proposal["id"] = proposal_id(proposal["title"], proposal["speakers"])


def _edit_distance(a: str, b: str) -> int:
    """Letters added, dropped or changed to make `a` into `b` (Levenshtein)."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def _initials(name: str) -> tuple[str, str] | None:
    """A name's given name cut to its initials and the rest folded, when the given name is
    initials ('C. Martin' -> ('c', 'martin'), 'J.-P. Roux' -> ('jp', 'roux'))."""
    words = name.split()
    if len(words) < 2:
        return None
    if not re.fullmatch(r"(?:[^\W\d_]\.?-?){1,2}", words[0]):
        return None
    return re.sub(r"[^a-z]", "", fold(words[0])), " ".join(fold(" ".join(words[1:])).split())


def _initial_of(a: str, b: str) -> bool:
    """Whether one name writes the other's given name as its initial ('C. Martin',
    'Claire Martin'; 'J.-P. Roux', 'Jean-Pierre Roux')."""
    if a.split()[-1:] and b.split()[-1:] and fold(a.split()[-1]) != fold(b.split()[-1]):
        return False  # (not one surname: the rest of the checks, for every pair, was slow)
    for short, full in ((a, b), (b, a)):
        cut, words = _initials(short), full.split()
        if cut is None or len(words) < 2 or _initials(full) is not None:
            continue
        given = [w for w in re.split(r"[-\s]+", fold(words[0])) if w]
        rest = " ".join(fold(" ".join(words[1:])).split())
        if cut == ("".join(w[0] for w in given), rest):
            return True
    return False


def _near_names(a: str, b: str) -> bool:
    """Two names that likely spell one person: their folded letters one or two edits
    apart, at most one per five letters ('John Smith', 'Jon Smith'; 'Marie Le Roy',
    'Marie Leroy'), or one's given name the other's initial ('C. Martin', 'Claire
    Martin')."""
    x, y = (_letters(n) for n in (a, b))
    if not x or not y:
        return False  # (no letter to compare: two such names are not "nearly alike")
    if x == y:
        return True
    edits = _edit_distance(x, y)
    return (edits <= 2 and edits * 5 <= max(len(x), len(y))) or _initial_of(a, b)


def _not_carried(
    gone: list[str],
    old_proposals: dict[str, dict[str, Any]],
    old_constraints: dict[str, list[dict[str, Any]]],
) -> str:
    """What a note says was set on kept proposals that no new one could be told to
    replace (a retitle or a change of presenters among several): nothing carried over."""
    dropped = []
    for pid in gone:
        set_on = _set_on(old_proposals[pid]) + _constraints_naming(pid, old_constraints)
        if set_on:
            dropped.append((pid, set_on))
    if not dropped:
        return Bilingual(
            f"nothing was set on {'it' if len(gone) == 1 else 'them'} to carry over",
            "rien n'y était réglé",
        )
    one = len(gone) == 1
    again = "it, if one does" if one else "each, if one does"
    again_fr = "la remplace, s'il y en a une" if one else "remplace chacune, s'il y en a une"
    return Bilingual(
        "nothing was carried over of what was set on "
        + "; on ".join(f"{pid}: {_and(said)}" for pid, said in dropped)
        + f"; set it again by hand on the new proposal that replaces {again}",
        "rien n'a été repris de ce qui était réglé sur "
        + "\u00a0; sur ".join(f"{pid}\u00a0: {_and(said, 'fr')}" for pid, said in dropped)
        + f"\u00a0; réglez-le de nouveau à la main sur la nouvelle proposition qui {again_fr}",
    )


def _carry_proposal(
    old: dict[str, Any],
    proposal: dict[str, Any],
    slot_ids: set[str],
    theme_ids: set[str],
    notes: list[str],
) -> list[str]:
    """A kept proposal's themes (when the form gives none), pin (when its slot still
    exists), minutes and preferred windows, onto `proposal`; what was carried, said.
    Themes the form gives that differ from the kept ones (a coordinator's choice in the
    instance, the form's themes column unchanged) are used, with a note: they replaced
    the kept ones without a word, and moved the talk to another workshop."""
    carried: list[str] = []
    pid = proposal["id"]
    was = [str(t) for t in old.get("themes") or []]
    if proposal["themes"] and was and was != proposal["themes"]:
        before, now = ", ".join(was), ", ".join(proposal["themes"])
        notes.append(
            Bilingual(
                f"{pid}: themes {before} in the kept instance, "
                f"{now} in the form: the form's are used (a re-import "
                "takes a proposal's themes from the form when it gives any; the first is the "
                f"primary); to keep {before}, write {'it' if len(was) == 1 else 'them'} "
                "in the form, or leave the form's cell empty",
                f"{pid}\u00a0: thèmes {before} dans l'instance précédente, {now} dans le "
                "formulaire\u00a0: ceux du formulaire sont retenus (une réimportation reprend "
                "du formulaire les thèmes d'une proposition quand il en donne\u00a0; le premier "
                f"est le principal)\u00a0; pour garder {before}, "
                f"{'écrivez-le' if len(was) == 1 else 'écrivez-les'} dans le formulaire, ou "
                "laissez vide sa cellule",
            )
        )
    if not proposal["themes"] and old.get("themes"):
        proposal["themes"] = [t for t in old["themes"] if t in theme_ids]
        lost = [t for t in old["themes"] if t not in theme_ids]
        if lost:
            notes.append(
                Bilingual(
                    f"{pid}: dropped themes {', '.join(lost)} (not in the themes)",
                    f"{pid}\u00a0: {'thème abandonné' if len(lost) == 1 else 'thèmes abandonnés'}"
                    f"\u00a0: {', '.join(lost)} "
                    f"({'absent' if len(lost) == 1 else 'absents'} des thèmes)",
                )
            )
        if proposal["themes"]:
            carried.append(_its_themes(proposal["themes"]))
    if old.get("pin") in slot_ids:
        proposal["pin"] = old["pin"]
        carried.append(_its_pin(old["pin"]))
    elif old.get("pin"):
        notes.append(
            Bilingual(
                f"{pid}: dropped its pin to {old['pin']} (no such slot now)",
                f"{pid}\u00a0: épinglage à {old['pin']} abandonné (ce créneau n'existe plus)",
            )
        )
    proposal.update({k: old[k] for k in ("minutes", "preferred") if k in old})
    if old.get("minutes") is not None:
        carried.append(_its_minutes(old["minutes"]))
    if old.get("preferred"):
        carried.append(_its_preferred(len(old["preferred"])))
    return carried


def _its_themes(themes: list[str]) -> Bilingual:
    listed = ", ".join(map(str, themes))
    return Bilingual(f"its themes ({listed})", f"ses thèmes ({listed})")


def _its_pin(slot: str) -> Bilingual:
    return Bilingual(f"its pin to {slot}", f"son épinglage à {slot}")


def _its_minutes(minutes: object) -> Bilingual:
    return Bilingual(f"its minutes ({minutes})", f"sa durée ({minutes}\u00a0min)")


def _its_preferred(count: int) -> Bilingual:
    return Bilingual(
        f"its {plural(count, 'preferred window')}",
        "sa plage préférée" if count == 1 else f"ses {count} plages préférées",
    )


def _presenters_key(proposal: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """A proposal's format and presenters (their ids, in any order)."""
    return str(proposal.get("format")), tuple(sorted(str(s) for s in proposal.get("speakers", [])))


def _renamed_candidates(
    old_proposals: dict[str, dict[str, Any]], data: dict[str, Any], given_ids: set[str]
) -> list[tuple[str, list[str]]]:
    """The kept instance's proposals no longer imported that share their presenters and
    format with a newly imported one (an edited title gives a new id), each with those
    new ones, in the kept instance's order; the new ones of the form's own ids
    (`given_ids`) aside."""
    new_by_key: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for proposal in data["proposals"]:
        if proposal["id"] not in old_proposals and proposal["id"] not in given_ids:
            new_by_key.setdefault(_presenters_key(proposal), []).append(proposal["id"])
    kept_ids = {p["id"] for p in data["proposals"]}
    return [
        (pid, new_by_key[_presenters_key(old)])
        for pid, old in old_proposals.items()
        if pid not in kept_ids and _presenters_key(old) in new_by_key
    ]


def _match_renamed(
    old_proposals: dict[str, dict[str, Any]],
    data: dict[str, Any],
    old_constraints: dict[str, list[dict[str, Any]]],
    slot_ids: set[str],
    theme_ids: set[str],
    notes: list[str],
    given_ids: set[str],
) -> None:
    """Proposals whose id changed because their title was edited: a kept proposal no
    longer imported, and a new one, with the same presenters and format. When they are
    the only ones of those presenters and format to go and to come, the new one is taken
    for the old one: it keeps the old id (its talk's calendar event goes by it; a new id
    cancelled the talk in every calendar and added it again) and gets what was set on
    it (as `_carry_proposal`). Otherwise which is which cannot be told: the new ones keep
    their new ids and nothing is carried. Either way a note names them, and what was set.
    """
    groups: dict[tuple[str, tuple[str, ...]], tuple[list[str], list[str]]] = {}
    for pid, new_ids in _renamed_candidates(old_proposals, data, given_ids):
        groups.setdefault(_presenters_key(old_proposals[pid]), ([], new_ids))[0].append(pid)
    new_proposals = {p["id"]: p for p in data["proposals"]}
    # (the old ids first, for the constraints said: their partners may be retitled too)
    for gone, new in groups.values():
        if len(gone) == len(new) == 1:
            new_proposals[new[0]]["id"] = gone[0]
    kept = {p["id"]: p for p in data["proposals"]}
    names = {s["id"]: s.get("name", s["id"]) for s in data["speakers"]}
    for (fmt, speakers), (gone, new) in groups.items():
        who = [names.get(s, s) for s in speakers]
        same = (
            f"the same {'presenter' if len(speakers) == 1 else 'presenters'} "
            f"({' and '.join(who)}) and format ({fmt})"
        )
        by_fr = (
            f"par {'la même personne' if len(speakers) == 1 else 'les mêmes personnes'} "
            f"({' et '.join(who)}) dans le même format ({fmt})"
        )
        same_fr = f"présentée{'' if len(new) == 1 else 's'} {by_fr}"
        if len(gone) == 1 and len(new) == 1:
            old, proposal = old_proposals[gone[0]], new_proposals[new[0]]
            carried = _carry_proposal(old, proposal, slot_ids, theme_ids, notes)
            carried += _constraints_naming(gone[0], old_constraints, None, kept)
            what = (
                f"carried over {_and(carried)}, since these are the only proposals of "
                "theirs to go and to come"
                if carried
                else "nothing else was set on it to carry over"
            )
            what_fr = (
                f"repris\u00a0: {_and(carried, 'fr')}, puisque ce sont les seules propositions "
                "de ces personnes à partir et à arriver"
                if carried
                else "rien d'autre n'y était réglé"
            )
            notes.append(
                Bilingual(
                    f"{_titled(old)} is no longer in the form and “{proposal['title']}” is new "
                    f"there, with {same}: read as the same proposal with its title edited, so "
                    f"it keeps the id {gone[0]} (and its talk its calendar event) rather than "
                    f"{new[0]}, which the new title gives; {what}; check it: if they are not "
                    f"the same proposal, give the new one the id {new[0]}"
                    + (" and take off what was carried over" if carried else ""),
                    f"{_titled(old, 'fr')} n'est plus dans le formulaire et "
                    f"{guillemets(proposal['title'])} y est nouvelle, {same_fr}\u00a0: lue comme "
                    "la même proposition au titre modifié, elle garde donc l'id "
                    f"{gone[0]} (et son intervention son événement de calendrier) plutôt que "
                    f"{new[0]}, que donne le nouveau titre\u00a0; {what_fr}\u00a0; "
                    "vérifiez-le\u00a0: s'il ne s'agit pas de la même proposition, donnez à la "
                    f"nouvelle l'id {new[0]}"
                    + (" et retirez ce qui a été repris" if carried else ""),
                )
            )
            continue
        what = _not_carried(gone, old_proposals, old_constraints)
        went = [_titled_said(old_proposals[p]) for p in gone]
        came = [_titled_said(new_proposals[p]) for p in new]
        notes.append(
            Bilingual(
                f"{_and(went)} {'is' if len(gone) == 1 else 'are'} no longer imported and "
                f"{_and(came)} {'is' if len(new) == 1 else 'are'} "
                f"new, with {same}: an edited title gives a new id, but which is which cannot "
                "be told, so the new "
                f"{'one keeps its id' if len(new) == 1 else 'ones keep theirs'} "
                f"(a talk's calendar event goes by it) and {what}",
                f"{_and(went, 'fr')} {_NO_LONGER_IMPORTED_FR[len(gone) == 1]} et "
                f"{_and(came, 'fr')} {'est nouvelle' if len(new) == 1 else 'sont nouvelles'}, "
                f"{same_fr}\u00a0: un titre modifié donne un nouvel id, mais impossible de dire "
                "laquelle est laquelle, "
                + (
                    "la nouvelle garde donc son id"
                    if len(new) == 1
                    else "les nouvelles gardent donc les leurs"
                )
                + " (l'événement de calendrier d'une intervention en dépend) et "
                + in_language(what, "fr"),
            )
        )


def _presenters_changed(
    old: list[str], new: list[str], names: dict[str, tuple[str, str]]
) -> str | None:
    """How a proposal's presenters changed, said, when it is by one of them dropped or
    added (one list within the other), or by a name's spelling fixed (a near-identical
    name of the same affiliation, `_near_names`); None otherwise. `names` gives each
    speaker id (of the kept instance or of the form) its name and folded affiliation."""
    before, after = set(old), set(new)
    if before == after or not before & after and len(before) > 1:
        return None
    gone, came = (
        [names[s][0] for s in old if s not in after],
        [names[s][0] for s in new if s not in before],
    )
    if before < after:
        return Bilingual(f"with {_and(came)} added", f"avec {_and(came, 'fr')} en plus")
    if after < before:
        return Bilingual(f"without {_and(gone)}", f"sans {_and(gone, 'fr')}")
    if len(before - after) != 1 or len(after - before) != 1:
        return None
    (was,), (now,) = before - after, after - before
    if names[was][1] == names[now][1] and _near_names(names[was][0], names[now][0]):
        return Bilingual(
            f"{names[now][0]} for {names[was][0]}, a name's spelling fixed",
            f"{names[now][0]} au lieu de {names[was][0]}, l'orthographe d'un nom corrigée",
        )
    return None


def _match_represented(
    old_proposals: dict[str, dict[str, Any]],
    previous: dict[str, Any],
    data: dict[str, Any],
    old_constraints: dict[str, list[dict[str, Any]]],
    slot_ids: set[str],
    theme_ids: set[str],
    notes: list[str],
    spared: set[str],
    told: set[str],
) -> set[str]:
    """Proposals whose id changed because their presenters did: a co-presenter dropped
    or added, or a name's spelling fixed that `_keep_speaker_ids` could not pin down (see
    `_presenters_changed`). A kept proposal no longer imported and a new one of the same
    title (folded) and format, so related by their presenters, each the other's only
    such one: the new one keeps the old id (its talk's calendar event goes by it: Hugo
    Bernard dropping out of Marie Leroy's keynote cancelled it in every calendar and
    added it again, its themes lost, and during the event the talk already given was
    reported withdrawn) and gets what was set on it (as `_match_renamed`). When more are
    involved, which is which cannot be told: the new ones keep their ids. Either way a
    note says so. The new ones of `spared` ids (the form's own, and those a retitle's
    note named) and the kept ones of `told` (named there too) are left alone. Returns the
    kept ids said."""
    current = {p["id"] for p in data["proposals"]}
    gone = [pid for pid in old_proposals if pid not in current and pid not in told]
    fresh = [p for p in data["proposals"] if p["id"] not in old_proposals and p["id"] not in spared]
    names: dict[str, tuple[str, str]] = {}
    for speaker in [*previous.get("speakers", []), *data["speakers"]]:
        sid = str(speaker.get("id"))
        names[sid] = (str(speaker.get("name", sid)), fold(str(speaker.get("affiliation") or "")))

    def said(proposal: dict[str, Any]) -> list[str]:
        found = [str(s) for s in proposal.get("speakers", [])]
        for sid in found:
            names.setdefault(sid, (sid, ""))
        return found

    def link(pid: str, proposal: dict[str, Any]) -> bool:
        old = old_proposals[pid]
        return (
            str(old.get("format")) == str(proposal["format"])
            and " ".join(fold(str(old.get("title", ""))).split())
            == " ".join(fold(proposal["title"]).split())
            and _presenters_changed(said(old), said(proposal), names) is not None
        )

    groups = _linked(gone, fresh, link)
    kept = {p["id"]: p for p in data["proposals"]}
    for olds, news in groups:
        if len(olds) == len(news) == 1:
            kept[olds[0]] = news[0]
    for olds, news in groups:
        if len(olds) == len(news) == 1:
            old, proposal = old_proposals[olds[0]], news[0]
            own, proposal["id"] = proposal["id"], olds[0]
            change = _presenters_changed(said(old), said(proposal), names) or ""
            people = [names[s][0] for s in proposal["speakers"]]
            carried = _carry_proposal(old, proposal, slot_ids, theme_ids, notes)
            carried += _constraints_naming(olds[0], old_constraints, None, kept)
            what = (
                f"carried over {_and(carried)}, since these are the only proposals of that "
                "title and format to go and to come"
                if carried
                else "nothing else was set on it to carry over"
            )
            what_fr = (
                f"repris\u00a0: {_and(carried, 'fr')}, puisque ce sont les seules propositions "
                "de ce titre et de ce format à partir et à arriver"
                if carried
                else "rien d'autre n'y était réglé"
            )
            notes.append(
                Bilingual(
                    f"{_titled(old)} is no longer in the form and a proposal of the same title "
                    f"and format ({proposal['format']}) is new there, presented by "
                    f"{_and(people)} ({change}): read as the same proposal with its presenters "
                    f"changed, so it keeps the id {olds[0]} (and its talk its calendar event) "
                    f"rather than {own}, which its new presenters give; {what}; check it: if "
                    f"they are not the same proposal, give the new one the id {own}"
                    + (" and take off what was carried over" if carried else ""),
                    f"{_titled(old, 'fr')} n'est plus dans le formulaire et une proposition de "
                    f"même titre et de même format ({proposal['format']}) y est nouvelle, "
                    f"présentée par {_and(people, 'fr')} ({in_language(change, 'fr')})\u00a0: "
                    "lue comme la même proposition aux intervenant·es changé·es, elle garde donc "
                    f"l'id {olds[0]} (et son intervention son événement de calendrier) plutôt "
                    f"que {own}, l'id que donnent ses intervenant·es désormais\u00a0; "
                    f"{what_fr}\u00a0; vérifiez-le\u00a0: s'il ne s'agit pas de la même "
                    f"proposition, donnez à la nouvelle l'id {own}"
                    + (" et retirez ce qui a été repris" if carried else ""),
                )
            )
            continue
        what = _not_carried(olds, old_proposals, old_constraints)
        went = [_titled_said(old_proposals[p]) for p in olds]
        came = [_titled_said(p) for p in news]
        notes.append(
            Bilingual(
                f"{_and(went)} {'is' if len(olds) == 1 else 'are'} no longer imported and "
                f"{_and(came)} {'is' if len(news) == 1 else 'are'} new, "
                "of the same title and format, with presenters changed: changed presenters "
                "give a new id, but which is which cannot be told, so the new "
                f"{'one keeps its id' if len(news) == 1 else 'ones keep theirs'} (a talk's "
                f"calendar event goes by it) and {what}",
                f"{_and(went, 'fr')} {_NO_LONGER_IMPORTED_FR[len(olds) == 1]} et "
                f"{_and(came, 'fr')} {'est nouvelle' if len(news) == 1 else 'sont nouvelles'}, "
                "de même titre et de même format, aux intervenant·es changé·es\u00a0: changer "
                "d'intervenant·es donne un nouvel id, mais impossible de dire laquelle est "
                "laquelle, "
                + (
                    "la nouvelle garde donc son id"
                    if len(news) == 1
                    else "les nouvelles gardent donc les leurs"
                )
                + " (l'événement de calendrier d'une intervention en dépend) et "
                + in_language(what, "fr"),
            )
        )
    return {pid for olds, _ in groups for pid in olds}


def _set_on(old: dict[str, Any]) -> list[str]:
    """What a coordinator set on a kept proposal that --keep carries over, said."""
    found = []
    if old.get("themes"):
        found.append(_its_themes(old["themes"]))
    if old.get("pin"):
        found.append(_its_pin(old["pin"]))
    if old.get("minutes") is not None:
        found.append(_its_minutes(old["minutes"]))
    if old.get("preferred"):
        found.append(_its_preferred(len(old["preferred"])))
    return found


def _constraints_naming(
    pid: str,
    constraints: dict[str, list[dict[str, Any]]],
    renames: dict[str, str] | None = None,
    kept: dict[str, Any] | None = None,
) -> list[str]:
    """The kept instance's constraints naming `pid`, said with the other proposals (by
    their ids after `renames`); with `kept`, only those keeping two of its proposals."""
    said = []
    for kind, groups in constraints.items():
        for group in groups:
            members = [(renames or {}).get(p, p) for p in group.get("proposals", [])]
            if pid not in group.get("proposals", []):
                continue
            if kept is not None and sum(p in kept for p in members) < 2:
                continue  # (dropped, and said so)
            others = [p for p in members if p != (renames or {}).get(pid, pid)]
            # (a member no longer imported leaves the group: named apart, not as a partner)
            left = [p for p in others if kept is not None and p not in kept]
            others = [p for p in others if p not in left]
            gone_fr = "qui n'est plus importée" if len(left) == 1 else "qui ne sont plus importées"
            said.append(
                Bilingual(
                    f"its '{kind}' constraint with {', '.join(others)}"
                    + (f" (without {', '.join(left)}, no longer imported)" if left else ""),
                    f"sa contrainte {guillemets(kind)} avec {', '.join(others)}"
                    + (f" (sans {', '.join(left)}, {gone_fr})" if left else ""),
                )
            )
    return said


NO_LONGER_FR = {True: "n'est plus", False: "ne sont plus"}
"""« n'est plus », « ne sont plus », for one or several."""
_NO_LONGER_IMPORTED_FR = {True: "n'est plus importée", False: "ne sont plus importées"}


def _titled(proposal: dict[str, Any], lang: str = "en") -> str:
    title = str(proposal.get("title", ""))
    return f"{proposal['id']} ({guillemets(title) if lang == 'fr' else f'“{title}”'})"


def _titled_said(proposal: dict[str, Any]) -> Bilingual:
    return Bilingual(_titled(proposal), _titled(proposal, "fr"))


def _and(items: list[str], lang: str = "en") -> str:
    """'a, b and c', in French 'a, b et c'; each item in `lang` (a `Bilingual`'s French)."""
    said = [in_language(item, lang) for item in items]
    last = " et " if lang == "fr" else " and "
    return "".join(said) if len(said) < 2 else ", ".join(said[:-1]) + last + said[-1]


@dataclass
class _FormRead:
    proposals: list[dict[str, Any]] = field(default_factory=list)
    speakers: dict[str, _SpeakerRecord] = field(default_factory=dict)
    not_accepted: int = 0
    empty_status: int = 0
    """Rows left out (among `not_accepted`) because their status cell is empty."""
    status_column: str | None = None
    rejected_people: set[str] = field(default_factory=set)
    unread_people: set[str] = field(default_factory=set)
    """Presenters of rows that cannot be read (their availability waits for those rows)."""
    given_ids: set[str] = field(default_factory=set)
    """Proposals whose id is the form's `id` column's: an edited title keeps it."""
    email_columns: list[str] = field(default_factory=list)
    """The columns giving the presenters' e-mail addresses."""


def _read_form(
    table: Table,
    theme_lookup: dict[str, str],
    problems: list[RowProblem],
    notes: list[str],
    limits: CallLimits | None = None,
) -> _FormRead:
    def numbered_field(column: str) -> str | None:
        # 'Nom', 'Affiliation', 'Nom (2)', 'Affiliation (2)': presenters 1 and 2
        header, copy = table.repeats.get(column, (column, 0))
        return form_field(f"{header} {copy}" if copy else column)

    columns = map_columns(
        table,
        numbered_field,
        required=FORM_REQUIRED,
        examples={
            "title": "'Titre de l'intervention' or 'Title'",
            "format": "'Format proposé' or 'Format'",
            "language": "'Langue d'intervention' or 'Language'",
        },
        notes=notes,
        surer=_FORM_SURER,
    )
    if "speakers" not in columns and "speaker1" not in columns:
        raise InputError(
            table.path,
            table.place,
            None,
            "no column for the presenters (expected 'Nom(s) et affiliation(s) des personnes "
            "présentant', 'Speakers', or 'Intervenant 1' and 'Affiliation 1'); columns found: "
            + ", ".join(repr(c) for c in table.columns),
        )
    for name in [f for f in EMAIL_FIELDS if f in columns]:
        if not any("@" in _text(record.get(columns[name], "")) for _, record in table.rows):
            # ('Mail envoyé' ticked 'oui': a coordinator's own column, not an address a row)
            notes.append(
                Bilingual(
                    f"{table.path.name}: {_sheet_label(table.sheet)}column '{columns[name]}' "
                    "holds no e-mail address in any row: ignored",
                    f"{table.path.name}\u00a0: {_sheet_label(table.sheet, 'fr')}la colonne "
                    f"{_column(columns[name], 'fr')} ne contient d'adresse e-mail dans aucune "
                    "ligne\u00a0: ignorée",
                )
            )
            del columns[name]
    out = _FormRead(status_column=columns.get("status"))
    out.email_columns = [columns[f] for f in EMAIL_FIELDS if f in columns]
    first_row: dict[str, int] = {}
    by_content: dict[str, _Row] = {}  # (with an id column: rows of one title and presenters)
    for number, record in table.rows:
        row = _Row(table, number, record, columns, limits)
        if "status" in columns:
            accepted = row.read("status", read_status)
            if accepted is False:
                out.not_accepted += 1
                out.empty_status += not row.has("status")
                out.rejected_people |= _people_leniently(row)
                continue
        proposal, people = _read_proposal(row, theme_lookup)
        notes.extend(row.notes)
        earlier = (
            next(p for p in out.proposals if p["id"] == proposal["id"])
            if proposal is not None and proposal["id"] in first_row and row.has("id")
            else None
        )
        if earlier is not None and proposal is not None and _same_but_speakers(earlier, proposal):
            # a CFP tool's export with a row per speaker (Sessionize's "flattened" one):
            # the rows are one proposal, its presenters those of every row
            _merge_speakers(row, earlier, people, first_row[proposal["id"]], out, notes)
            problems.extend(row.problems)
            continue
        if proposal is not None and proposal["id"] in first_row and row.has("id"):
            # (said "same title and presenters" of two rows that only shared the form's id)
            first = first_row[proposal["id"]]
            row.fail(
                "id",
                Bilingual(
                    f"id {row.text('id')!r} is row {first}'s too",
                    f"l'id {_cell(row.text('id'), 'fr')} est aussi celui de la ligne {first}",
                ),
            )
        elif proposal is not None and proposal["id"] in first_row:
            first = first_row[proposal["id"]]
            row.fail(
                None,
                Bilingual(
                    f"same title and presenters as row {first}: a duplicate submission?",
                    f"même titre et mêmes intervenant·es que la ligne {first}\u00a0: une "
                    "soumission en double\u00a0?",
                ),
            )
        problems.extend(row.problems)
        if row.problems or proposal is None:
            out.unread_people |= _people_leniently(row)
            continue
        first_row[proposal["id"]] = number
        _count_people(out, people, proposal["title"])
        out.proposals.append(proposal)
        if row.has("id"):
            out.given_ids.add(proposal["id"])
            _note_resubmitted(row, proposal, by_content, notes)
    return out


def _note_resubmitted(
    row: _Row, proposal: dict[str, Any], by_content: dict[str, _Row], notes: list[str]
) -> None:
    """Without an id column, a title and presenters given twice is refused as a
    duplicate submission (the two rows get one id); with ids, both rows are read, and
    this notes the second, which a coordinator most likely wants to drop."""
    content = proposal_id(proposal["title"], proposal["speakers"])
    first = by_content.setdefault(content, row)
    if first is not row:
        notes.append(
            Bilingual(
                f"{row.table.path.name}: {_sheet_label(row.table.sheet)}row {row.number} "
                f"(id {row.text('id')!r}) has the same title and presenters as row "
                f"{first.number} (id {first.text('id')!r}): a duplicate submission? Both are "
                "read; drop one, or mark it not accepted",
                f"{row.table.path.name}\u00a0: {_sheet_label(row.table.sheet, 'fr')}la ligne "
                f"{row.number} (id {_cell(row.text('id'), 'fr')}) a le même titre et les mêmes "
                f"intervenant·es que la ligne {first.number} (id "
                f"{_cell(first.text('id'), 'fr')})\u00a0: une soumission en double\u00a0? Les "
                "deux sont lues\u00a0; supprimez-en une, ou marquez-la non acceptée",
            )
        )


def _count_people(out: _FormRead, people: list[Person], title: str = "") -> None:
    """Each person's spelling and affiliation, counted for the names chosen at the end."""
    for person in people:
        entry = out.speakers.setdefault(speaker_id(person.name), _SpeakerRecord())
        entry.spellings[person.name] += 1
        if person.affiliation:
            entry.affiliations[person.affiliation] += 1
            entry.titles.setdefault(person.affiliation, []).append(title)
        if person.email:
            entry.emails[person.email] += 1
        entry.unread_emails.extend(person.unread_emails)


def _same_but_speakers(first: dict[str, Any], other: dict[str, Any]) -> bool:
    """Two rows of one id that differ at most in their presenters."""
    keys = (set(first) | set(other)) - {"speakers"}
    return all(first.get(key) == other.get(key) for key in keys)


def _merge_speakers(
    row: _Row,
    proposal: dict[str, Any],
    people: list[Person],
    first: int,
    out: _FormRead,
    notes: list[str],
) -> None:
    """`row` repeats `proposal` (row `first`) for other presenters: they join it."""
    new = [p for p in people if speaker_id(p.name) not in proposal["speakers"]]
    speakers = proposal["speakers"] + [speaker_id(p.name) for p in new]
    most = row.limits.max_speakers
    if len(speakers) > most:
        lift = row.limits.raise_it("max_speakers", len(speakers))
        row.fail(
            "speakers" if "speakers" in row.columns else None,
            Bilingual(
                f"id {row.text('id')!r} repeats row {first} with other presenters, "
                f"{len(speakers)} together; rules.max_speakers allows at most {most}: {lift}",
                f"l'id {_cell(row.text('id'), 'fr')} reprend la ligne {first} avec d'autres "
                f"intervenant·es, {len(speakers)} en tout\u00a0; rules.max_speakers en permet "
                f"au plus {most}\u00a0: {in_language(lift, 'fr')}",
            ),
        )
        return
    proposal["speakers"] = speakers
    _count_people(out, new, proposal["title"])
    added = ", ".join(p.name for p in new)
    notes.append(
        Bilingual(
            f"{row.table.path.name}: {_sheet_label(row.table.sheet)}row {row.number} repeats "
            f"row {first} (id {row.text('id')!r}, same title) for "
            + (
                f"{added}: read as one proposal with both rows' presenters"
                if new
                else "the same presenters: read once"
            ),
            f"{row.table.path.name}\u00a0: {_sheet_label(row.table.sheet, 'fr')}la ligne "
            f"{row.number} reprend la ligne {first} (id {_cell(row.text('id'), 'fr')}, même "
            "titre) pour "
            + (
                f"{added}\u00a0: lues comme une seule proposition, avec les intervenant·es des "
                "deux lignes"
                if new
                else "les mêmes intervenant·es\u00a0: lue une seule fois"
            ),
        )
    )


def _read_proposal(
    row: _Row, theme_lookup: dict[str, str]
) -> tuple[dict[str, Any] | None, list[Person]]:
    """One form row -> a proposal and its presenters (None when a cell cannot be read)."""
    title = row.read("title", _read_title)
    fmt = row.read("format", lambda v: read_format(_with_minutes(v, row.text("minutes"))))
    language = row.read("language", read_language)
    people = _row_presenters(row)
    abstract = (
        row.read("abstract", lambda v: _read_abstract(v, row.limits, row.columns["abstract"]))
        if "abstract" in row.columns
        else ""
    )
    themes = (
        row.read("themes", lambda v: read_theme_list(v, theme_lookup)) if row.has("themes") else []
    )
    if row.problems or title is None or people is None:
        return None, []
    ids = [speaker_id(p.name) for p in people]
    proposal: dict[str, Any] = {
        "id": proposal_id(title, ids, row.text("id") if row.has("id") else None),
        "title": title,
        "format": fmt,
        "language": language,
        "speakers": ids,
        "themes": themes,
    }
    if abstract:
        proposal["abstract"] = abstract
    if row.has("participatory"):
        proposal["participatory_format"] = row.text("participatory")
    return proposal, people


def _with_minutes(kind: str, minutes: str) -> str:
    """A format cell with the duration column's minutes, as pretalx exports them apart:
    'Keynote' and '20' -> 'Keynote (20 min)', read as one ('Workshop (90 min)' is no format
    of the call, nor 'Keynote (10 min)')."""
    if _blank(minutes):
        return kind
    length = f"{minutes} min" if re.fullmatch(r"\d+", minutes) else minutes
    return length if _blank(kind) else f"{kind} ({length})"


def _read_title(value: str) -> str:
    title = " ".join(value.split())
    if _blank(title):
        raise _cell_error("the title is empty", "le titre est vide")
    if len(title) > TITLE_MAX_CHARS:
        raise _cell_error(
            f"the title has {len(title)} characters, at most {TITLE_MAX_CHARS}",
            f"le titre a {len(title)} caractères, au plus {TITLE_MAX_CHARS}",
        )
    return title


def _read_abstract(value: str, limits: CallLimits | None = None, column: str | None = None) -> str:
    """The abstract of a cell of `column` (as the form heads it), within `limits`."""
    limits = limits or CallLimits()
    text = value.strip()
    if _blank(text):
        return ""
    most = limits.abstract_max_characters
    if len(text) > most:
        # (a cell of 1600 read "1599 characters": say what was counted; "the summary" read
        # for a column the coordinator named 'Abstract')
        around = len(value) != len(text)
        spaces = " (spaces around it not counted)" if around else ""
        spaces_fr = " (sans compter les espaces autour)" if around else ""
        said = repr(column) if column else "the abstract"
        said_fr = _cell(column, "fr") if column else "le résumé"
        lift = limits.raise_it("abstract_max_characters", len(text))
        raise _cell_error(
            f"{said} has {len(text)} characters{spaces}, rules.abstract_max_characters "
            f"allows {most}: shorten it by {len(text) - most}, or {lift}",
            f"{said_fr} a {len(text)} caractères{spaces_fr}, rules.abstract_max_characters en "
            f"permet {most}\u00a0: raccourcissez-le de {len(text) - most}, ou "
            f"{in_language(lift, 'fr')}",
        )
    return text


_NAMES_ONLY_WORDS = _PERSON_WORDS | {"de", "des", "du", "d", "of", "the", "et", "and", "e", "es",
                                     "s", "full", "prenom", "prenoms"}  # fmt: skip


def _names_only(header: str) -> bool:
    """Whether a presenters header asks for their names and nothing else, in the plural
    ('Speaker names', 'Noms des intervenant·es'; not 'Noms et affiliations', nor 'Nom(s) de
    l'intervenant·e', singular without its brackets)."""
    words = set(clean_header(header).split())
    return bool(words & {"names", "noms"} and words & _PRESENTER_WORDS) and (
        words <= _NAMES_ONLY_WORDS
    )


def _presenters_in(row: _Row, field: str) -> list[Person]:
    """The presenters of one column of a row ([] when it is empty or cannot be read)."""
    if not row.has(field):
        return []
    names_only = _names_only(row.columns[field])
    guessed: list[str] = []
    people = row.read(field, lambda v: read_presenters(v, names_only, guessed)) or []
    for sentence in guessed:
        row.note(field, sentence)
    return _cell_addresses(row.text(field), people)


def _cell_addresses(text: str, people: list[Person]) -> list[Person]:
    """`people` with the e-mail addresses their presenters cell gives beside their names
    ('Ana Lima (CNRS) <ana@cnrs.fr>'; they were dropped): one person and one address, or
    as many as the people, each after her name and before the next one's. Any other
    (addresses beside names written otherwise, say) is left to an e-mail column."""
    valid, wrong = _addresses_found(text)
    if wrong is not None or not valid or len(valid) != len(people):
        return people
    if len(people) > 1:
        names = [text.find(p.name) for p in people]
        places = [text.find(a) for a in valid]
        order = [at for pair in zip(names, places, strict=True) for at in pair]
        if -1 in order or order != sorted(order):
            return people
    return [replace(p, email=str(a)) for p, a in zip(people, valid, strict=True)]


def _with_affiliation(people: list[Person], text: str) -> list[Person]:
    """People with an affiliation column's text: one presenter's; several presenters' in
    order when it holds one per line or per ';' ('CNRS; ACME' gave each 'CNRS; ACME');
    else that of each presenter whose cell names none."""
    pieces = [piece.strip() for piece in re.split(r"[;\n]", text) if piece.strip()]
    if len(people) > 1 and len(pieces) == len(people):
        return [
            replace(p, affiliation=p.affiliation or a) for p, a in zip(people, pieces, strict=True)
        ]
    return [
        replace(p, affiliation=text if len(people) == 1 else p.affiliation or text) for p in people
    ]


_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"@]+@[^\s<>()\[\],;:\"@]+")
"""An address in a cell: no space, bracket or separator ('sam.o'neil@…' keeps its quote)."""


def _addresses_found(text: str) -> tuple[list[str], str | None]:
    """The e-mail addresses a cell writes, each as `email_address` checks it, and the
    first text of the cell that is not one (None: none): an address as written, or the
    whole cell when an '@' is left outside the addresses found ('a@b@c.example', where
    'a@b' alone would be quoted: a text the coordinator cannot find in the sheet)."""
    found = [a.strip(".'’") for a in _ADDRESS.findall(text)]
    if "@" in _ADDRESS.sub("", text):
        return [], text.strip()
    valid = []
    for address in found:
        try:
            valid.append(str(email_address(address)))
        except ValueError:
            return [], address
    return valid, None


def _addresses(text: str) -> tuple[list[str], Bilingual | None]:
    """The e-mail addresses of a cell ('ana@x.org', 'Ana Lima <ana@x.org>', 'mailto:ana@x.org',
    several joined by ';', ',' or lines) and what is wrong with it, if anything: the cell is
    then read as giving none."""
    found, wrong = _addresses_found(text)
    if wrong is not None:
        return [], Bilingual(
            f"{wrong!r} is not an e-mail address",
            f"{_cell(wrong, 'fr')} n'est pas une adresse e-mail",
        )
    if not found:
        return [], Bilingual(
            f"{text.strip()!r} holds no e-mail address",
            f"{_cell(text.strip(), 'fr')} ne contient pas d'adresse e-mail",
        )
    return list(dict.fromkeys(found)), None


def _names_address(name: str, address: str) -> bool:
    """Whether an address's local part holds a word of the name ('j.dupont@…' and Jeanne
    Dupont; not 'contact@…')."""
    local = fold(address.split("@")[0])
    return any(len(word) >= 3 and word in local for word in re.split(r"[^a-z]+", fold(name)))


def _with_emails(row: _Row, field: str, people: list[Person]) -> list[Person]:
    """`people` with the addresses of an e-mail column: one address is the presenter's
    whose name it holds, else the first one's (whoever filled in the form, most often); as
    many as the presenters are theirs in order. A cell that is no address, or gives more
    than the presenters, is noted and gives none: an address matters to no schedule, so it
    never stops the row."""
    if not row.has(field) or field in row.errors:
        return people
    if not people:
        # ('E-mail (2)' filled in, 'Nom (2)' left blank)
        cell = row.text(field).strip()
        row.note(
            field,
            Bilingual(
                f"{cell!r} is the address of no presenter: ignored",
                f"{_cell(cell, 'fr')} n'est l'adresse d'aucun·e intervenant·e\u00a0: ignorée",
            ),
        )
        return people
    addresses, wrong = _addresses(row.text(field))
    lacking = [n for n, p in enumerate(people) if not p.email]
    if wrong is None and len(addresses) > 1 and len(addresses) != len(people):
        wrong = Bilingual(
            f"{len(addresses)} addresses for {plural(len(people), 'presenter')}: whose is "
            "whose cannot be told",
            f"{len(addresses)} adresses pour "
            f"{plural_fr(len(people), 'intervenant·e', 'intervenant·es')}\u00a0: impossible de "
            "dire laquelle est à qui",
        )
    if wrong is not None:
        # said in each presenter's one note on her address (`_choose_email`): a speaker on
        # several rows got a note per row, and another on the address chosen
        where = Bilingual(
            f"row {row.number}, column '{row.columns[field]}': {wrong}",
            f"ligne {row.number}, colonne {_column(row.columns[field], 'fr')}\u00a0: "
            f"{in_language(wrong, 'fr')}",
        )
        return [replace(p, unread_emails=(*p.unread_emails, where)) for p in people]
    given = list(enumerate(addresses))  # (one address, or one per presenter: checked above)
    if len(addresses) == 1 and len(people) > 1:
        # the respondent's address (Google Forms' 'Adresse e-mail'): the presenter it names
        # ('john.smith@…' on a row of Jeanne Dupont and John Smith), else the first
        named = [n for n, p in enumerate(people) if _names_address(p.name, addresses[0])]
        given = [(named[0] if len(named) == 1 else 0, addresses[0])]
    out = list(people)
    for n, address in given:
        if n in lacking:
            out[n] = replace(out[n], email=address)
    return out


def _row_presenters(row: _Row) -> list[Person] | None:
    """Presenters from one column, or from numbered name and affiliation columns."""
    people: list[Person] = []
    column = "speakers" if "speakers" in row.columns else "speaker1"
    if "speaker1" in row.columns:
        people = _presenters_in(row, "speakers")
    for n in (1, 2):
        # presenter 1's given name and affiliation complete 'Nom' or 'Intervenant·es' when
        # no column is numbered 1 ('Prénom', 'Nom', 'Affiliation', 'Autres intervenants')
        field = "speakers" if n == 1 and "speaker1" not in row.columns else f"speaker{n}"
        found = _presenters_in(row, field)
        given = row.text(f"speaker{n}_given")
        if row.has(f"speaker{n}_given"):
            if len(found) > 1:
                row.fail(
                    field,
                    Bilingual(
                        f"{len(found)} presenters beside one given name {given!r}",
                        f"{len(found)} intervenant·es pour un seul prénom, {_cell(given, 'fr')}",
                    ),
                )
            family = found[0] if found else Person("")
            found = [replace(family, name=f"{given} {family.name}".strip())]
        if row.has(f"speaker{n}_affiliation"):
            found = _with_affiliation(found, row.text(f"speaker{n}_affiliation"))
        found = _with_emails(row, f"speaker{n}_email", found)
        people.extend(found)
    people = _with_emails(row, "email", people)
    if row.problems:
        return None
    if not people:
        row.fail(column, Bilingual("no presenter named", "aucun·e intervenant·e nommé·e"))
        return None
    ids = [speaker_id(p.name) for p in people]
    most = row.limits.max_speakers
    if len(people) > most:
        names = ", ".join(repr(p.name) for p in people)
        names_fr = ", ".join(_cell(p.name, "fr") for p in people)
        lift = row.limits.raise_it("max_speakers", len(people))
        row.fail(
            column,
            Bilingual(
                f"{len(people)} presenters ({names}); rules.max_speakers allows at most {most} "
                f"(write 'Name (Affiliation)' if an affiliation was read as a name; {lift})",
                f"{len(people)} intervenant·es ({names_fr})\u00a0; rules.max_speakers en permet "
                f"au plus {most} (écrivez {guillemets('Nom (Affiliation)')} si une affiliation "
                f"a été lue comme un nom\u00a0; {in_language(lift, 'fr')})",
            ),
        )
        return None
    if len(set(ids)) < len(ids):
        row.fail(
            column,
            Bilingual("the same presenter is named twice", "la même personne est nommée deux fois"),
        )
        return None
    return people


def _people_leniently(row: _Row) -> set[str]:
    """Speaker ids of a row that is not imported, as far as they can be read."""
    quiet = _Row(row.table, row.number, row.record, row.columns, row.limits)
    return {speaker_id(p.name) for p in _row_presenters(quiet) or []}


def _display_name(spellings: Counter[str]) -> str:
    """The commonest spelling, preferring mixed case and accents; a surname in capitals
    after the given name made Title ('Jeanne DUPONT', as French forms ask the surname,
    printed beside 'Ana Lima' on the grid), and a name all in capitals or lower case too;
    initials ('J.') kept, and capitals leading the name ('DIALLO Aminata': they say which
    word is the surname)."""

    def quality(name: str) -> tuple[int, int, int]:
        mixed = name != name.upper() and name != name.lower()
        accents = sum(1 for c in name if ord(c) > 127)
        return (spellings[name], int(mixed), accents)

    def title(word: str) -> str:
        return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))

    words = max(spellings, key=quality).split()
    if all(w.isupper() or w.islower() for w in words):
        return " ".join(title(w) for w in words)
    leading = next((i for i, w in enumerate(words) if not w.isupper()), len(words))
    return " ".join(
        title(w) if i >= leading and w.isupper() and sum(c.isalpha() for c in w) > 1 else w
        for i, w in enumerate(words)
    )


def _same_text(a: str, b: str) -> bool:
    """Equal after folding (case, accents and spaces aside: 'Éloïse  LEFÈVRE', 'eloise
    lefevre')."""
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


def _kept_by_name(previous: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The kept instance's speakers by the id their name gives (a form's spellings of
    that name give it too), the names two of them give aside. A speaker kept under an id
    her name no longer gives (her name's spelling fixed) is found by her name so."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for speaker in previous.get("speakers", []):
        if speaker.get("name"):
            found[speaker_id(str(speaker["name"]))].append(speaker)
    return {sid: alike[0] for sid, alike in found.items() if len(alike) == 1}


def _kept_name(sid: str, record: _SpeakerRecord, kept: dict[str, Any], notes: list[str]) -> str:
    """The name shown for a speaker: the kept instance's (`kept`, on re-importing with
    --keep) while the form still writes it, case and accents aside, else the one
    `_display_name` chooses among the form's spellings. Chosen among the form's rows alone,
    it changed when the row of the chosen spelling was refused ('Éloïse Lefèvre' became
    'Eloise Lefevre', an update in every calendar of her talks). A form's spelling with
    more accents (or in mixed case where the kept one is not) is a correction, and wins,
    with a note, as does the form's name when it no longer writes the kept one."""
    chosen = _display_name(record.spellings)
    was = str(kept.get("name") or "")
    if not was or was == chosen:
        return chosen
    if not any(_same_text(was, spelling) for spelling in record.spellings):
        notes.append(
            Bilingual(
                f"speaker {sid}: named {chosen!r} as the form writes it now, no longer {was!r} "
                "as in the kept instance (the form no longer writes that): the calendars of "
                "the speaker's talks show the new name",
                f"intervenant·e {sid}\u00a0: nommé·e {guillemets(chosen)} comme l'écrit "
                f"désormais le formulaire, et non plus {guillemets(was)} comme dans l'instance "
                "précédente (le formulaire ne l'écrit plus ainsi)\u00a0: les calendriers de ses "
                "interventions affichent le nouveau nom",
            )
        )
        return chosen

    def looks(name: str) -> tuple[int, int]:
        return int(name not in (name.upper(), name.lower())), sum(ord(c) > 127 for c in name)

    if looks(chosen) > looks(was):
        notes.append(
            Bilingual(
                f"speaker {sid}: named {chosen!r}, as the form now writes it too, no longer "
                f"{was!r} as in the kept instance (read as a correction: accents or capitals "
                "added): the calendars of the speaker's talks show the new name",
                f"intervenant·e {sid}\u00a0: nommé·e {guillemets(chosen)}, comme l'écrit aussi "
                f"désormais le formulaire, et non plus {guillemets(was)} comme dans l'instance "
                "précédente (lu comme une correction\u00a0: accents ou majuscules ajoutés)\u00a0: "
                "les calendriers de ses interventions affichent le nouveau nom",
            )
        )
        return chosen
    return was


def _choose_affiliation(record: _SpeakerRecord, name: str, notes: list[str], kept: str = "") -> str:
    """The commonest affiliation written for a person, or the kept instance's (`kept`)
    while the form still writes it, case and accents aside; the others are noted."""
    if not record.affiliations:
        return ""
    best = record.affiliations.most_common(1)[0][0]
    if kept and any(_same_text(kept, a) for a in record.affiliations):
        best = kept
    others = [a for a in record.affiliations if fold(a) != fold(best)]
    if others:
        # (two people of one name from two organisations were merged without a hint that
        # they may be two: never scheduled in parallel, both printed with one affiliation)
        titles = {a: list(dict.fromkeys(record.titles.get(a, []))) for a in others}
        on = [f"{a!r} on {_and(['“' + t + '”' for t in titles[a]])}" for a in others if titles[a]]
        on_fr = [
            f"{guillemets(a)} sur {_and([guillemets(t) for t in titles[a]], 'fr')}"
            for a in others
            if titles[a]
        ]
        notes.append(
            Bilingual(
                f"{name}: kept affiliation {best!r}, also written "
                + ", ".join(repr(a) for a in others)
                + (f" ({'; '.join(on)})" if on else "")
                + ": one person who gave two affiliations, or two people of one name? As "
                f"written they are one speaker, never scheduled at two places at once and "
                f"shown as of {best!r} on every proposal; if they are two, tell their names "
                "apart in the form (a middle initial, say)",
                f"{name}\u00a0: affiliation {guillemets(best)} retenue, aussi écrite "
                + ", ".join(guillemets(a) for a in others)
                + (" (" + "\u00a0; ".join(on_fr) + ")" if on_fr else "")
                + "\u00a0: une personne qui a donné deux affiliations, ou deux personnes du "
                "même nom\u00a0? Telle qu'écrite, c'est une seule personne, jamais programmée "
                f"à deux endroits à la fois et présentée comme de {guillemets(best)} sur chaque "
                "proposition\u00a0; s'il s'agit de deux personnes, distinguez leurs noms dans "
                "le formulaire (par une initiale, par exemple)",
            )
        )
    return best


def _choose_email(
    sid: str, record: _SpeakerRecord, name: str, kept: str, notes: list[str], form: Table
) -> str:
    """A speaker's e-mail address: the one the form gives most often (the first written of
    as many), or the kept instance's (`kept`, on re-importing with --keep) while the form
    still gives it, case aside. One note says what else there is to know (they were a
    note each, one per row for the cells that gave none): the other addresses the form
    gives, a kept one it no longer gives, and the cells of her rows that gave her none
    (`Person.unread_emails`). A form that gives none leaves the kept one to `carry_over`."""
    unread = record.unread_emails
    if not record.emails and not unread:
        return ""
    best = record.emails.most_common(1)[0][0] if record.emails else ""
    if kept and any(kept.casefold() == e.casefold() for e in record.emails):
        best = kept
    # (others beside the kept one: a coordinator's choice, or told already)
    others = [e for e in record.emails if e.casefold() != best.casefold()] if best != kept else []
    replaced = bool(best and kept and kept.casefold() != best.casefold())
    if not (others or replaced or unread):
        return best
    head, head_fr = f"speaker {sid} ({name}): ", f"intervenant·e {sid} ({name})\u00a0: "
    said, said_fr = [], []
    if best:
        head += f"e-mail {best!r}"
        head_fr += f"adresse e-mail {guillemets(best)}"
    also = _and([repr(e) for e in others]) if others else ""
    also_fr = _and([guillemets(e) for e in others], "fr") if others else ""
    write = (
        "to head the speaker's `diff` paragraphs with another, write it in the instance "
        "(speakers' email:; a re-import keeps it while the form gives it)"
    )
    write_fr = (
        "pour ouvrir les paragraphes de `diff` de l'intervenant·e avec une autre, écrivez-la "
        "dans l'instance (champ email: de speakers\u00a0; une réimportation la garde tant que "
        "le formulaire la donne)"
    )
    if replaced:
        head += (
            f" as the form gives it now, no longer {kept!r} as in the kept instance: `diff` "
            "heads the speaker's paragraph with the new one; to keep the old one, give it in "
            "the form"
        )
        head_fr += (
            f", telle que le formulaire la donne désormais, et non plus {guillemets(kept)} "
            "comme dans l'instance précédente\u00a0: `diff` ouvre le paragraphe de "
            "l'intervenant·e avec la nouvelle\u00a0; pour garder l'ancienne, donnez-la dans "
            "le formulaire"
        )
        if others:
            said.append(f"the form also gives {also} (its commonest, or first, is used): {write}")
            said_fr.append(
                f"le formulaire donne aussi {also_fr} (la plus fréquente, ou la première, est "
                f"retenue)\u00a0: {write_fr}"
            )
    elif others:
        head += f", the form's commonest (or first) for the speaker; it also gives {also}: {write}"
        head_fr += (
            ", la plus fréquente (ou la première) que le formulaire donne pour "
            f"l'intervenant·e\u00a0; il donne aussi {also_fr}\u00a0: {write_fr}"
        )
    if unread:
        source = f"{form.path.name}, {_sheet_label(form.sheet)}".removesuffix(", ")
        source_fr = f"{form.path.name}, {_sheet_label(form.sheet, 'fr')}".removesuffix(", ")
        cells, cells_fr = "; ".join(unread), "\u00a0; ".join(u.fr for u in unread)
        it, it_fr = ("it", "corrigez-la") if len(unread) == 1 else ("them", "corrigez-les")
        if best:
            said.append(f"none from {source}: {cells} (correct {it} in the form)")
            said_fr.append(f"aucune de {source_fr}\u00a0: {cells_fr} ({it_fr} dans le formulaire)")
        else:
            head += (
                f"no e-mail address from {source}: {cells}; correct {it} in the form, or write "
                "the address in the instance (speakers' email:), which a re-import with --keep "
                "keeps"
            )
            head_fr += (
                f"aucune adresse e-mail de {source_fr}\u00a0: {cells_fr}\u00a0; {it_fr} dans le "
                "formulaire, ou écrivez l'adresse dans l'instance (champ email: de speakers), "
                "que garde une réimportation avec --keep"
            )
    notes.append(Bilingual("; ".join([head, *said]), "\u00a0; ".join([head_fr, *said_fr])))
    return best


def _without_email(
    table: Table, read: _FormRead, speakers: list[dict[str, Any]], explained: set[str]
) -> list[str]:
    """One note naming the speakers the form's e-mail column(s) gave no address (a second
    presenter, when the column gives one address a row): `diff` names them without one.
    Those of `explained` ids, whose cells held no address that could be read, have their
    own note, which says why (`_choose_email`)."""
    if not read.email_columns:
        return []
    missing = [str(s["name"]) for s in speakers if not s.get("email") and s["id"] not in explained]
    if not missing:
        return []
    columns = _and([repr(c) for c in read.email_columns])
    columns_fr = _and([_column(c, "fr") for c in read.email_columns], "fr")
    one = len(missing) == 1
    give_fr = "n'en donne" if len(read.email_columns) == 1 else "n'en donnent"
    return [
        Bilingual(
            f"{table.path.name}: {plural(len(missing), 'speaker')} without an e-mail address "
            f"({first_of(missing)}): {columns} gave none for them (one address a row goes to "
            "one presenter: the one it names, else the first); `diff` heads their paragraphs "
            "with their names alone: write theirs in the instance (speakers' email:), which a "
            "re-import with --keep keeps",
            f"{table.path.name}\u00a0: "
            f"{plural_fr(len(missing), 'intervenant·e', 'intervenant·es')} sans adresse e-mail "
            f"({first_of(missing, more=MORE_FR)})\u00a0: {columns_fr} "
            f"{give_fr} aucune (une "
            "adresse par ligne va à une seule personne\u00a0: celle qu'elle nomme, sinon la "
            f"première)\u00a0; `diff` ouvre {'son paragraphe' if one else 'leurs paragraphes'} "
            f"par {'son nom seul' if one else 'leur seul nom'}\u00a0: écrivez "
            f"{'la sienne' if one else 'les leurs'} dans l'instance (champ email: de speakers), "
            "que garde une réimportation avec --keep",
        )
    ]


def _affiliation_changed(sid: str, name: str, kept: dict[str, Any], affiliation: str) -> list[str]:
    """A note when a kept speaker's affiliation (`kept`, on re-importing with --keep) is
    no longer the one the form gives (`affiliation`, chosen among the form's rows): the
    grid and the calendars of her talks changed without a word. The form's wins; a form
    that gives none keeps the kept one (added by hand, or a column the export lost), with
    a note at each re-import until it is deleted from the instance."""
    was = str(kept.get("affiliation") or "")
    if not was or _same_text(was, affiliation):
        return []
    if not affiliation:
        return [
            Bilingual(
                f"speaker {sid} ({name}): kept the affiliation {was!r} of the kept instance: the "
                "form gives the speaker none (it was added by hand, or an earlier form gave it); "
                "if the speaker has none now, delete it from the instance, else write it in the "
                "form",
                f"intervenant·e {sid} ({name})\u00a0: affiliation {guillemets(was)} conservée de "
                "l'instance précédente\u00a0: le formulaire n'en donne aucune (elle a été ajoutée "
                "à la main, ou donnée par un formulaire antérieur)\u00a0; si l'intervenant·e "
                "n'en a plus, supprimez-la de l'instance, sinon écrivez-la dans le formulaire",
            )
        ]
    return [
        Bilingual(
            f"speaker {sid} ({name}): affiliation {affiliation!r} as the form writes it now, no "
            f"longer {was!r} as in the kept instance: the grid and the calendars of the "
            "speaker's talks show the new one; to keep the old one, write it in the form",
            f"intervenant·e {sid} ({name})\u00a0: affiliation {guillemets(affiliation)} telle "
            f"que l'écrit désormais le formulaire, et non plus {guillemets(was)} comme dans "
            "l'instance précédente\u00a0: la grille et les calendriers de ses interventions "
            "affichent la nouvelle\u00a0; pour garder l'ancienne, écrivez-la dans le formulaire",
        )
    ]


def _likely_same_people(speakers: list[dict[str, Any]]) -> list[str]:
    """Notes on speakers kept apart who may be one person: a given name written as its
    initial ('C. Martin', 'Claire Martin'), or names spelt nearly alike of the same
    affiliation ('Jon Smith', 'John Smith'). Kept apart, they can be scheduled at the
    same time in two rooms, and nothing downstream can tell."""
    notes = []
    # (pairs of one surname for an initial; of one affiliation, and sharing a spelling
    # with two letters dropped, for names spelt nearly alike: a form of hundreds of
    # speakers compared every pair, and 1,000 of one affiliation took 25 s)
    letters = [_letters(str(s["name"])) for s in speakers]
    affiliations = [fold(str(s.get("affiliation") or "")) for s in speakers]
    surnames: dict[str, list[int]] = defaultdict(list)
    dropped: dict[tuple[str, str], set[int]] = defaultdict(set)
    for n, speaker in enumerate(speakers):
        words = str(speaker["name"]).split()
        if len(words) > 1:
            surnames[" ".join(fold(" ".join(words[1:])).split())].append(n)
        if affiliations[n] and 0 < len(letters[n]) <= NEAR_NAME_LETTERS:
            # (longer, a pasted text rather than a name: its variants grow as its
            # length cubed, 2.25 GB for 2,000 letters)
            for variant in _deletions(letters[n], 2):
                dropped[affiliations[n], variant].add(n)
    initial = {pair for group in surnames.values() for pair in itertools.combinations(group, 2)}
    near = {
        pair
        for group in dropped.values()
        if len(group) > 1
        for pair in itertools.combinations(sorted(group), 2)
    }
    for i, j in sorted(initial | near):
        first, second = speakers[i], speakers[j]
        a, b = str(first["name"]), str(second["name"])
        same = bool(affiliations[i]) and affiliations[i] == affiliations[j]
        if _initial_of(a, b):
            why, why_fr = "a given name and its initial", "un prénom et son initiale"
        elif same and (i, j) in near and _near_names(a, b):
            why, why_fr = "names spelt nearly alike", "des noms d'orthographe presque identique"
        else:
            continue
        if same:
            why += ", the same affiliation"
            why_fr += ", la même affiliation"

        def said(speaker: dict[str, Any]) -> str:
            of = f", {speaker['affiliation']}" if speaker.get("affiliation") else ""
            return f"{speaker['id']} ({speaker['name']}{of})"

        notes.append(
            Bilingual(
                f"speakers {said(first)} and {said(second)} may be one person ({why}): as "
                "written they are two, who may be scheduled at the same time in two rooms; if "
                "they are one, write the name the same way in the form",
                f"les intervenant·es {said(first)} et {said(second)} sont peut-être une seule "
                f"personne ({why_fr})\u00a0: tels qu'écrits, ce sont deux personnes, qui peuvent "
                "être programmées au même moment dans deux salles\u00a0; s'il s'agit d'une "
                "seule, écrivez son nom de la même façon dans le formulaire",
            )
        )
    return notes


NEAR_NAME_LETTERS = 60
"""The longest name, in letters, compared with others for a spelling nearly alike."""


def _letters(name: str) -> str:
    """A name's letters, folded (lower case, accents dropped), in any script: 'Иван
    Петров' keeps its Cyrillic (kept only a-z, every two such names read as alike)."""
    return "".join(c for c in fold(name) if c.isalpha())


def _deletions(word: str, most: int) -> set[str]:
    """`word` with up to `most` letters dropped: two words at most `most` edits apart
    share one of these (how names spelt nearly alike are found without comparing every
    pair)."""
    found, edge = {word}, {word}
    for _ in range(most):
        edge = {w[:i] + w[i + 1 :] for w in edge for i in range(len(w))}
        found |= edge
    return found


def _swapped_names(speakers: dict[str, _SpeakerRecord]) -> list[str]:
    """Notes on ids made of the same words in another order ('dupont-jeanne', 'jeanne-dupont')."""
    by_words: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for sid in speakers:
        by_words[tuple(sorted(sid.split("-")))].append(sid)
    return [
        Bilingual(
            f"speakers {' and '.join(ids)} have the same names in another order; they were kept "
            "apart (write one spelling in the form if they are one person)",
            f"les intervenant·es {' et '.join(ids)} ont les mêmes noms dans un autre "
            "ordre\u00a0; ces ids restent distincts (écrivez une seule graphie dans le "
            "formulaire s'il s'agit d'une seule personne)",
        )
        for ids in by_words.values()
        if len(ids) > 1
    ]


# The fields each table must have a column for (in a workbook, the sheet read is the
# first that has them all).
FORM_REQUIRED = ("title", "format", "language")
SLOT_REQUIRED = ("room",)
AVAILABILITY_REQUIRED = ("speaker", "kind")
FIELDS_FR = {
    "title": "titre",
    "format": "format",
    "language": "langue",
    "room": "salle",
    "speaker": "intervenant·e",
    "kind": "disponibilité",
}
"""The required fields in French, as a note on a sheet passed over names them."""


def _slot_field(header: str) -> str | None:
    return _classify(header, _SLOT_HEADERS)


def _availability_field(header: str) -> str | None:
    return _classify(header, _AVAIL_HEADERS)


def _classify(header: str, patterns: list[tuple[str, str]]) -> str | None:
    text = clean_header(header)
    return next((name for name, pattern in patterns if re.search(pattern, text)), None)


def _read_slots(
    table: Table,
    year: int | None,
    days: tuple[date, date] | None,
    lookup: ThemeLookup,
    problems: list[RowProblem],
    notes: list[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], set[str]]:
    """The rooms, the slots, and the slot ids the file gave (its `id` column's)."""
    columns = map_columns(
        table,
        _slot_field,
        required=SLOT_REQUIRED,
        examples={"room": "'Salle' or 'Room'"},
        notes=notes,
    )
    _require_times(table, columns, "date" in columns)
    notes.extend(_serial_dates(table, columns))
    notes.extend(_month_first_dates(table, columns, year, refuse=days is None))
    rooms: dict[str, dict[str, Any]] = {}
    slots: list[dict[str, Any]] = []
    placed: dict[str, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    first_row: dict[str, int] = {}
    given: set[str] = set()
    for number, record in table.rows:
        row = _Row(table, number, record, columns)
        room_name = row.read("room", lambda v: _required(v, "room"))
        span = _read_span(row, year, whole_day=False)
        slot: dict[str, Any] = {}
        if row.has("theme"):
            found = row.read("theme", lambda v: read_theme_list(v, lookup)) or []
            if len(found) > 1:
                row.fail(
                    "theme",
                    Bilingual(
                        "a slot can be fixed to one theme only",
                        "un créneau ne peut être réservé qu'à un seul thème",
                    ),
                )
            slot["theme"] = found[0] if found else None
        if row.has("language"):
            slot["language"] = row.read("language", read_language)
        if row.has("closed") and row.read("closed", read_flag, raw=True):
            slot["closed"] = True
        capacity = row.read("capacity", _read_capacity) if row.has("capacity") else None
        if row.problems or room_name is None or span is None:
            problems.extend(row.problems)
            continue
        start, end = span
        room_id = speaker_id(room_name) or "room"
        slot_id = _slot_id(row.text("id"), room_id, start)
        if days and not (_midnight(days[0]) <= start and end <= _midnight_after(days[1])):
            row.fail("date", _outside_days("slot", row, days, year))
        if slot_id in first_row:
            row.fail(
                "id",
                Bilingual(
                    f"slot id {slot_id!r} is already used by row {first_row[slot_id]}",
                    f"l'id de créneau {_cell(slot_id, 'fr')} est déjà pris par la ligne "
                    f"{first_row[slot_id]}",
                ),
            )
        for other_start, other_end, other_row in placed[room_id]:
            if start < other_end and other_start < end:
                row.fail(
                    "start" if "start" in columns else "hours",
                    Bilingual(
                        f"overlaps row {other_row} in the same room {room_name!r}",
                        f"chevauche la ligne {other_row} dans la même salle "
                        f"{_cell(room_name, 'fr')}",
                    ),
                )
        if row.problems:
            problems.extend(row.problems)
            continue
        room = rooms.setdefault(room_id, {"id": room_id, "name": room_name})
        if capacity:
            room["capacity"] = max(capacity, room.get("capacity", 0))
        first_row[slot_id] = number
        placed[room_id].append((start, end, number))
        if row.has("id"):
            given.add(slot_id)
        slots.append(
            {"id": slot_id, "room": room_id, "start": start.isoformat(), "end": end.isoformat()}
            | {k: v for k, v in slot.items() if v is not None}
        )
    return list(rooms.values()), slots, given


def _slot_id(given: str, room_id: str, start: datetime) -> str:
    """The SLOTS file's id, else room + month, day and time: 'salle-seine-1201-1400'."""
    if given and not _blank(given):
        return re.sub(r"[^\w.\-]+", "-", given).strip("-")
    return f"{room_id}-{start:%m%d-%H%M}"


def _require_times(table: Table, columns: dict[str, str], has_date: bool) -> None:
    if ("hours" in columns or ("start" in columns and "end" in columns)) and (
        has_date or "start" in columns
    ):
        return
    raise InputError(
        table.path,
        table.place,
        None,
        "no columns for the times (expected 'Date' with 'Début' and 'Fin', 'Start' and 'End', "
        "or 'Horaire' holding '14h-16h'); columns found: "
        + ", ".join(repr(c) for c in table.columns),
    )


_EMPTY_FR = {"room": "la salle n'est pas donnée", "speaker": "l'intervenant·e n'est pas nommé·e"}


def _required(value: str, what: str) -> str:
    if _blank(value):
        raise _cell_error(f"the {what} is empty", _EMPTY_FR[what])
    return value


def _read_capacity(value: str) -> int:
    if not re.fullmatch(r"\d+", value) or int(value) < 1:
        raise _cell_error(
            f"cannot read {value!r} as a number of seats",
            f"impossible de lire {_cell(value, 'fr')} comme un nombre de places",
        )
    return int(value)


def _year_hint(table: Table) -> int | None:
    """The commonest year written in a table, for dates written without one."""
    years: Counter[int] = Counter()
    for _, record in table.rows:
        for value in record.values():
            if isinstance(value, datetime | date | pd.Timestamp):
                years[value.year] += 1
            else:
                years.update(int(y) for y in re.findall(r"\b(20\d\d)\b", _text(value)))
    return years.most_common(1)[0][0] if years else None


_DATE_IN_TEXT = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}")


def _has_date(value: Any) -> bool:
    if isinstance(value, datetime | pd.Timestamp):
        return True
    if (serial := date_serial(value)) and serial[1]:  # a date-time's number, 46357.583
        return True
    return bool(_DATE_IN_TEXT.search(_text(value)))


def _time_part(value: Any) -> Any:
    """The time of a full date-time cell ('2026-12-01 14:00' -> '14:00'). A time cell,
    or a fraction of a day (a time cell formatted 'General': 0.375), is passed to
    `read_time` as it is (made text, the fraction could not be read)."""
    if isinstance(value, datetime | pd.Timestamp | time):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        return value
    if (serial := date_serial(value)) and serial[1]:
        return serial[1]
    text = _text(value)
    if _blank(text):
        raise _cell_error("the time is empty", "l'heure est vide")
    match = re.search(rf"(?:{_DATE_IN_TEXT.pattern})[ tT]+(.+)$", text)
    return match.group(1) if match else text


def _serial_dates(table: Table, columns: dict[str, str]) -> list[str]:
    """A note on the dates read from a spreadsheet's day numbers: each is read (a column
    of dates that lost their format reads as it did before), but the coordinator should
    see which columns to format as dates, and check one."""
    found: dict[str, list[int]] = {}
    example = ""
    for number, record in table.rows:
        for name in ("date", "start", "end"):
            value = record.get(columns.get(name, ""))
            serial = date_serial(value) if not isinstance(value, datetime | date) else None
            if serial is None or not (name == "date" or serial[1]):
                continue  # (a start's whole number is no date-time: read_time says why)
            found.setdefault(columns[name], []).append(number)
            if not example:
                minutes = round(serial[1] * 24 * 60)
                at = f" {minutes // 60:02d}:{minutes % 60:02d}" if minutes else ""
                example = Bilingual(
                    f"{_text(value)} is {serial[0]}{at}", f"{_text(value)} est le {serial[0]}{at}"
                )
    if not found:
        return []
    names = [f"'{column}'" for column in found]
    names_fr = [_column(column, "fr") for column in found]
    rows = sorted({n for numbers in found.values() for n in numbers})
    left = len(rows) - SHORT_ROWS_SHOWN
    shown = [str(n) for n in rows[:SHORT_ROWS_SHOWN]]
    more = [Bilingual(f"{left} more", f"{left} autre{'s' if left > 1 else ''}")] if left > 0 else []
    one = len(names) == 1
    which = f"column {names[0]} holds" if one else f"columns {_and(names)} hold"
    which_fr = (
        f"la colonne {names_fr[0]} contient"
        if one
        else f"les colonnes {_and(names_fr, 'fr')} contiennent"
    )
    return [
        Bilingual(
            f"{table.path.name}: {_sheet_label(table.sheet)}{which} numbers read as dates, as a "
            f"spreadsheet numbers days ({example}; {_rows_word(len(rows))} "
            f"{_and(shown + more)}): the cells lost their date format; format "
            f"{'the column' if one else 'those columns'} as dates to check them",
            f"{table.path.name}\u00a0: {_sheet_label(table.sheet, 'fr')}{which_fr} des nombres "
            "lus comme des dates, comme un tableur numérote les jours "
            f"({in_language(example, 'fr')}\u00a0; {_rows_word(len(rows), 'fr')} "
            f"{_and(shown + more, 'fr')})\u00a0: les cellules ont perdu leur format de "
            f"date\u00a0; donnez à {'la colonne' if one else 'ces colonnes'} un format de date "
            "pour les vérifier",
        )
    ]


_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2,4}))?(?:\s.*)?")


WIDE_DAYS = 7
"""Read day first, slots spread over more days than this where month first they lie within
it are a month-first sheet (`_month_first_dates`)."""


def _month_first_dates(
    table: Table,
    columns: dict[str, str],
    year: int | None,
    days: tuple[date, date] | None = None,
    refuse: bool = False,
) -> list[str]:
    """A note on a date column read day first whose every date also reads month first,
    and closer together so: a US sheet's 12/1/2026 was read as 12 January, with only a
    vague 'check its date' about the slots far from the others. Given the event's `days`
    (the availability file's dates, read after the slots), it is when read month first
    every date lies within them and read day first some do not (each such row is a bad
    row too, see `_outside_days`). With `refuse` (the slots, without --days) a day-first
    reading over more than `WIDE_DAYS` days whose month-first one lies within them is
    refused: a US sheet's 06/10/2027 (10 June) was an event from 6 October to 6 November,
    written with notes alone."""
    notes = []
    for name in ("date", "start"):
        column = columns.get(name)
        if column is None:
            continue
        texts = [
            _text(record.get(column))
            for _, record in table.rows
            if isinstance(record.get(column), str)
        ]
        day_first, month_first, example = [], [], ""
        for text in texts:
            m = _NUMERIC_DATE.fullmatch(fold(text).strip())
            if m is None:
                continue
            try:
                read = read_date(text, year)
                swapped = date(read.year, read.day, read.month)
            except ValueError:
                return notes  # (a date that reads one way only: the column says which)
            day_first.append(read)
            month_first.append(swapped)
            if not example and read != swapped:
                example = Bilingual(
                    f"{text.strip()} is read as {read} (day first); month first, as US "
                    f"sheets write dates, it is {swapped}",
                    f"{text.strip()} est lu comme le {read} (le jour en premier)\u00a0; lu le "
                    "mois en premier, comme l'écrivent les tableurs américains, c'est le "
                    f"{swapped}",
                )
        if not example:
            continue

        def spread(days: list[date]) -> int:
            return (max(days) - min(days)).days

        def within(dates: list[date]) -> bool:
            return days is not None and all(days[0] <= d <= days[1] for d in dates)

        if refuse and spread(day_first) > WIDE_DAYS >= spread(month_first):
            raise InputError(
                table.path,
                table.place,
                None,
                f"column '{column}': {example}; read day first its dates span "
                f"{min(day_first)}..{max(day_first)} ({spread(day_first) + 1} days), month "
                f"first {min(month_first)}..{max(month_first)} "
                f"({spread(month_first) + 1} days): the sheet likely writes the month first; "
                f"write its dates year first ({min(month_first)}) and import it again, or, if "
                f"the event does span {min(day_first)}..{max(day_first)}, pass --days "
                f"{min(day_first)} {max(day_first)}",
            )
        if (
            within(month_first) and not within(day_first)
            if days is not None
            else spread(month_first) < spread(day_first)
        ):
            inside = f", within the event's days {days[0]}..{days[1]}" if days else ""
            inside_fr = (
                f", dans les jours de l'événement, du {days[0]} au {days[1]}" if days else ""
            )
            notes.append(
                Bilingual(
                    f"{table.path.name}: {_sheet_label(table.sheet)}column '{column}': "
                    f"{example}; read day first its dates span "
                    f"{min(day_first)}..{max(day_first)}, month first "
                    f"{min(month_first)}..{max(month_first)}{inside}: if the sheet writes the "
                    "month first, write its dates year first (2026-12-01) and import it again",
                    f"{table.path.name}\u00a0: {_sheet_label(table.sheet, 'fr')}colonne "
                    f"{_column(column, 'fr')}\u00a0: {in_language(example, 'fr')}\u00a0; lues le "
                    f"jour en premier, ses dates vont du {min(day_first)} au {max(day_first)}, "
                    f"le mois en premier du {min(month_first)} au {max(month_first)}"
                    f"{inside_fr}\u00a0: si la feuille écrit le mois en premier, écrivez ses "
                    "dates l'année en premier (2026-12-01) et importez-la de nouveau",
                )
            )
    return notes


def _outside_days(what: str, row: _Row, days: tuple[date, date], year: int | None) -> str:
    """Why a slot or window is a bad row outside the event's days, with the date read
    month first when that reading lies within them (a US sheet's 12/2/2026, read as 12
    February: the row said only 'outside the event's days', and the note on the column,
    when there is one, is not shown beside bad rows)."""
    message = f"the {what} lies outside the event's days {days[0]}..{days[1]}"
    message_fr = (
        f"{'le créneau' if what == 'slot' else 'la plage'} est hors des jours de l'événement, "
        f"du {days[0]} au {days[1]}"
    )
    name = "date" if "date" in row.columns else "start"
    text = row.text(name).strip()
    if not isinstance(row.raw(name), str) or not _NUMERIC_DATE.fullmatch(fold(text)):
        return Bilingual(message, message_fr)
    try:
        read = read_date(text, year)
        swapped = date(read.year, read.day, read.month)
    except ValueError:
        return Bilingual(message, message_fr)
    if read == swapped or not days[0] <= swapped <= days[1]:
        return Bilingual(message, message_fr)
    return Bilingual(
        f"{message}: {text} is read day first, as {read}; month first, as US sheets write "
        f"dates, it is {swapped}, within them: if the sheet writes the month first, write "
        f"its dates year first ({days[0]}) and import it again",
        f"{message_fr}\u00a0: {text} est lu le jour en premier, comme le {read}\u00a0; lu le "
        "mois en premier, comme l'écrivent les tableurs américains, c'est le "
        f"{swapped}, dans ces jours\u00a0: si la feuille écrit le mois en premier, écrivez "
        f"ses dates l'année en premier ({days[0]}) et importez-la de nouveau",
    )


def _read_span(row: _Row, year: int | None, whole_day: bool) -> tuple[datetime, datetime] | None:
    """A row's [start, end): date + start + end, date + hours, full date-times, or a whole day."""
    before = len(row.problems)
    if row.has("date"):
        day = row.read("date", lambda v: read_date(v, year), raw=True)
    elif _has_date(row.raw("start")):
        day = row.read("start", lambda v: read_date(v, year), raw=True)
    else:
        row.fail(
            "date" if "date" in row.columns else "start",
            Bilingual("the date is empty", "la date est vide"),
        )
        return None
    if row.has("hours"):
        hours = row.read("hours", read_hours)
        start_t, end_t = hours if hours else (None, None)
    elif whole_day and not row.has("start") and not row.has("end"):
        return (_midnight(day), _midnight_after(day)) if day else None
    else:
        # a window of a day with one end left empty runs from the day's start, or to its
        # end ("until noon": "the time is empty" before)
        start_t = (
            row.read("start", lambda v: read_time(_time_part(v)), raw=True)
            if row.has("start") or not whole_day
            else time(0, 0)
        )
        end_t = (
            row.read("end", lambda v: read_time(_time_part(v)), raw=True)
            if row.has("end") or not whole_day
            else time(23, 59)
        )
    if len(row.problems) > before or day is None or start_t is None or end_t is None:
        return None
    end_raw = row.raw("end")
    end_day = read_date(end_raw, year) if _has_date(end_raw) else day
    start = datetime.combine(day, start_t)
    end = _midnight_after(end_day) if end_t == time(23, 59) else datetime.combine(end_day, end_t)
    if end <= start:
        row.fail(
            "end" if "end" in row.columns else "hours",
            Bilingual(
                f"ends ({end:%H:%M}) before it starts ({start:%H:%M})",
                f"finit ({end:%H:%M}) avant de commencer ({start:%H:%M})",
            ),
        )
        return None
    return start, end


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0))


def _midnight_after(day: date) -> datetime:
    return _midnight(day + timedelta(days=1))


def _days_of(slots: list[dict[str, Any]]) -> tuple[date, date]:
    """First and last day the slots touch."""
    starts = [datetime.fromisoformat(s["start"]) for s in slots]
    ends = [datetime.fromisoformat(s["end"]) - timedelta(microseconds=1) for s in slots]
    if not starts:
        return date.today(), date.today()
    return min(starts).date(), max(ends).date()


def _kept_days(
    previous: dict[str, Any] | None, slots: list[dict[str, Any]], notes: list[str]
) -> tuple[date, date]:
    """The event's days without --days: the slots' first and last, or on re-importing
    with --keep the kept instance's, as its title and venue are (set with --days for an
    event whose last day's slots were not yet in the file, they shrank to the slots'
    without a word, and that day's availability rows became bad rows), widened with a
    note to slots outside them."""
    spanned = _days_of(slots)
    kept = ((previous or {}).get("event") or {}).get("days")
    if not slots or not isinstance(kept, list | tuple) or len(kept) != 2:
        return spanned
    try:
        first, last = (date.fromisoformat(str(day)[:10]) for day in kept)
    except ValueError:
        return spanned
    days = (min(first, spanned[0]), max(last, spanned[1]))
    if days != (first, last):
        outside = sorted(
            {
                day
                for slot in slots
                for day in (
                    datetime.fromisoformat(slot["start"]).date(),
                    (datetime.fromisoformat(slot["end"]) - timedelta(microseconds=1)).date(),
                )
                if not first <= day <= last
            }
        )
        dates = [str(day) for day in outside]
        notes.append(
            Bilingual(
                f"event: days {days[0]}..{days[1]}, no longer {first}..{last} as in the kept "
                f"instance: the slots file has slots on {', '.join(dates)}; give "
                "--days to set them",
                f"événement\u00a0: jours du {days[0]} au {days[1]}, et non plus du {first} au "
                f"{last} comme dans l'instance précédente\u00a0: le fichier des créneaux a des "
                f"créneaux {'le' if len(dates) == 1 else 'les'} {_and(dates, 'fr')}\u00a0; "
                "donnez --days pour les fixer",
            )
        )
    return days


LONG_SLOT_MINUTES = 240
"""A slot longer than this gets a note: FOST grants 1-2 h slots, and a start read as
midnight (a cell holding 0) made one of 15 h 30 without a word."""
FAR_SLOT_DAYS = 7
"""A slot this many days or more from the slots' middle day gets a note: `3.5` in a date
column reads as 3 May (day first, the year taken from the others) and stretched the
event's days over seven months without a word."""


def _odd_slots(slots: list[dict[str, Any]]) -> list[str]:
    """Notes on slots whose times are likely misread: very long, or far from the rest."""
    notes = []
    for slot in slots:
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        minutes = int((end - start).total_seconds() // 60)
        if minutes > LONG_SLOT_MINUTES:
            notes.append(
                Bilingual(
                    f"slot {slot['id']} lasts {minutes // 60} h {minutes % 60:02d}: "
                    "check its start and end",
                    f"le créneau {slot['id']} dure {minutes // 60}\u00a0h\u00a0{minutes % 60:02d}"
                    "\u00a0: vérifiez son début et sa fin",
                )
            )
    days = sorted(datetime.fromisoformat(s["start"]).date() for s in slots)
    if days:
        middle = days[len(days) // 2]
        for slot in slots:
            day = datetime.fromisoformat(slot["start"]).date()
            if abs((day - middle).days) >= FAR_SLOT_DAYS:
                apart = abs((day - middle).days)
                notes.append(
                    Bilingual(
                        f"slot {slot['id']} is on {day}, {apart} days from the "
                        f"others (around {middle}): check its date",
                        f"le créneau {slot['id']} est le {day}, à {apart}\u00a0jours des autres "
                        f"(autour du {middle})\u00a0: vérifiez sa date",
                    )
                )
    return notes


def _respelled_aliases(
    previous: dict[str, Any], form: _FormRead
) -> dict[str, tuple[str, str, str]]:
    """On re-importing with --keep, the speakers of the form recognised as kept speakers
    whose name's spelling was fixed (`_keep_speaker_ids`, tried here on a copy of the
    form's speakers and proposals, its notes left to the import's own run): the ids the
    kept speaker's former spellings give (her kept id, her kept name) -> (her id in the
    form, the kept id, the kept name). The availability file, collected apart, still
    spelt her name the old way and was refused ('Karim HADDAD' after the form's 'Karim
    Haddad' became 'Karim Hadad')."""
    speakers = []
    for sid, record in form.speakers.items():
        entry = {"id": sid, "name": _display_name(record.spellings)}
        if record.affiliations:
            entry["affiliation"] = record.affiliations.most_common(1)[0][0]
        speakers.append(entry)
    trial = {"speakers": speakers, "proposals": copy.deepcopy(form.proposals)}
    renamed = _keep_speaker_ids(previous, trial, set(form.given_ids), [])
    old_speakers = {str(s.get("id")): s for s in previous.get("speakers", [])}
    aliases: dict[str, tuple[str, str, str]] = {}
    for fresh, kid in renamed.items():
        was = str(old_speakers.get(kid, {}).get("name") or kid)
        for alias in (kid, speaker_id(was)):
            if alias != fresh and alias not in form.speakers:
                aliases[alias] = (fresh, kid, was)
    return aliases


def _gone_speakers(
    previous: dict[str, Any], form: _FormRead, aliases: dict[str, tuple[str, str, str]]
) -> dict[str, tuple[str, str]]:
    """On re-importing with --keep, the kept speakers the form no longer has (a proposal
    withdrawn, its row deleted; not a name respelled, see `_respelled_aliases`): the ids
    their kept id and kept name give -> (the kept id, the kept name). The availability
    file, collected apart, may still have their rows, which were bad rows (nothing
    written) although the kept instance said who they were."""
    here = set(form.speakers) | {kid for _, kid, _ in aliases.values()}
    gone: dict[str, tuple[str, str]] = {}
    for speaker in previous.get("speakers", []):
        kid = str(speaker.get("id") or "")
        name = str(speaker.get("name") or kid)
        ids = {kid, speaker_id(name)} - {""}
        if not kid or ids & here:
            continue
        for alias in ids - set(aliases):
            gone[alias] = (kid, name)
    return gone


@functools.lru_cache(maxsize=4096)
def _name_key(name: str) -> tuple[tuple[str, ...], Counter[str], int, bool]:
    """A name's folded words in order of the alphabet, its letters counted, how many,
    and whether its given name is initials ('C. Martin'): what `_near_reason` compares."""
    folded = fold(name)
    letters = _letters(name)  # (in any script: kept to a-z, two Cyrillic names were alike)
    words = tuple(sorted(re.findall(r"[^\W\d_]+", folded)))
    return words, Counter(letters), len(letters), _initials(name) is not None


def _near_reason(a: str, b: str) -> Bilingual | None:
    """How two names that give different ids may write one person, if they may: the
    importer's near-name rule (`_near_names`), or the same words in another order."""
    (words_a, count_a, size_a, short_a), (words_b, count_b, size_b, short_b) = (
        _name_key(a),
        _name_key(b),
    )
    if words_a == words_b:
        return Bilingual("the same words in another order", "les mêmes mots dans un autre ordre")
    if (short_a or short_b) and _initial_of(a, b):
        return Bilingual("a given name and its initial", "un prénom et son initiale")
    # (letters two names do not share bound their edits from below: a file of unknown
    # names was compared letter by letter with every speaker's)
    if (
        abs(size_a - size_b) > 2
        or max(sum((count_a - count_b).values()), sum((count_b - count_a).values())) > 2
    ):
        return None
    if _near_names(a, b):
        return Bilingual("spelt nearly alike", "d'orthographe presque identique")
    return None


def _affiliation_words(text: str) -> str:
    """An affiliation's folded words, its punctuation aside ('Institut X (association)' and
    'Institut X, association', as the grid writes it, alike)."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _named_with_affiliation(name: str, form: _FormRead) -> tuple[str, str, str] | None:
    """A name written as the form writes a presenter, 'Nadia Garnier (Hugging Face)': the
    name before its trailing brackets, the speaker id it gives and the bracket's text,
    when that id is a speaker of the form (None otherwise)."""
    grouped = _trailing_group(name)
    if grouped is None:
        return None
    bare, bracket = grouped[0].strip(), grouped[1].strip()
    sid = speaker_id(bare)
    return (bare, sid, bracket) if sid and sid in form.speakers else None


def _strip_affiliation(name: str, form: _FormRead) -> str:
    """`name` without a trailing '(Affiliation)' that is the speaker's, case, accents and
    punctuation aside: the form's own way of writing her, which a coordinator copies into
    the availability sheet ('Nadia Garnier (Hugging Face)' was no presenter, with no hint);
    `name` itself otherwise. A presenter of rows not accepted or not read is known by no
    affiliation: her name before the brackets is hers (its row is ignored, with a note)."""
    found = _named_with_affiliation(name, form)
    if found is None:
        grouped = _trailing_group(name)
        bare = grouped[0].strip() if grouped is not None else ""
        left_out = speaker_id(bare) in form.rejected_people | form.unread_people
        return bare if bare and left_out else name
    bare, sid, bracket = found
    mine = {_affiliation_words(a) for a in form.speakers[sid].affiliations}
    return bare if _affiliation_words(bracket) in mine else name


def _no_presenter(name: str, form: _FormRead) -> Bilingual:
    """Why an availability row's name finds no speaker, with the form's names that may be
    the one meant (the same near-name rule as for a name's spelling fixed in the form:
    'Karim HADDAD' when the form says 'Karim Hadad'), and the speaker of the name before
    a trailing bracket that is not her affiliation ('Nadia Garnier (HF)')."""
    message = f"no presenter named {name!r} in the imported proposals"
    message_fr = (
        f"aucun·e intervenant·e nommé·e {_cell(name, 'fr')} dans les propositions importées"
    )
    near: list[str] = []
    bracketed = _named_with_affiliation(name, form)
    if bracketed is not None:
        bare, sid, bracket = bracketed
        record = form.speakers[sid]
        affiliations = _and([repr(a) for a in record.affiliations])
        affiliations_fr = _and([guillemets(a) for a in record.affiliations], "fr")
        of = (
            f"whose affiliation the form gives as {affiliations}, not {bracket!r}"
            if affiliations
            else f"to whom the form gives no affiliation ({bracket!r} is none of hers)"
        )
        of_fr = (
            f"dont le formulaire donne l'affiliation {affiliations_fr}, et non "
            f"{_cell(bracket, 'fr')}"
            if affiliations
            else "à qui le formulaire ne donne aucune affiliation "
            f"({_cell(bracket, 'fr')} n'en est pas une)"
        )
        shown = f"{_display_name(record.spellings)} ({sid})"
        near.append(
            Bilingual(
                f"{shown}, the name before the brackets, {of}",
                f"{shown}, le nom avant les parenthèses, {of_fr}",
            )
        )
    grouped = _trailing_group(name)
    # ('Mei Lemoinne (Open Future)': the name before the brackets compared too)
    written = [name, grouped[0].strip()] if grouped is not None else [name]
    for sid, record in form.speakers.items():
        if bracketed is not None and sid == bracketed[1]:
            continue
        why = next(
            filter(None, (_near_reason(w, s) for w in written for s in record.spellings)), None
        )
        if why is not None:
            shown = f"{_display_name(record.spellings)} ({sid})"
            near.append(Bilingual(f"{shown}, {why}", f"{shown}, {why.fr}"))
    if not near:
        return Bilingual(message, message_fr)
    which = "that is" if len(near) == 1 else "one of them is"
    which_fr = "c'est" if len(near) == 1 else "l'une d'elles est"
    return Bilingual(
        f"{message}; the form has {_and(near)}: if {which} the speaker meant, write the name "
        "as the form does",
        f"{message_fr}\u00a0; le formulaire a {_and(near, 'fr')}\u00a0: si {which_fr} la "
        "personne voulue, écrivez le nom comme le formulaire",
    )


def _read_availability(
    table: Table,
    days: tuple[date, date],
    form: _FormRead,
    problems: list[RowProblem],
    notes: list[str],
    aliases: dict[str, tuple[str, str, str]] | None = None,
    gone: dict[str, tuple[str, str]] | None = None,
) -> dict[str, dict[str, list[dict[str, str]]]]:
    """Speaker id -> {'available' | 'unavailable' | 'preferred': windows}. The availability
    of presenters with no accepted proposal, or only proposals on form rows that cannot be
    read (those rows are reported already), is left out with a note. A name no speaker
    of the form has but a kept speaker recognised in it under a fixed spelling had
    (`aliases`, see `_respelled_aliases`) is read as hers, with a note; one of a kept
    speaker gone from the form (`gone`, see `_gone_speakers`) is ignored, with a note;
    any other such name is a bad row, naming the speakers of names near it."""
    aliases = aliases or {}
    gone = gone or {}
    columns = map_columns(
        table,
        _availability_field,
        required=AVAILABILITY_REQUIRED,
        examples={
            "speaker": "'Intervenant' or 'Speaker'",
            "kind": "'Disponibilité' or 'Availability' (disponible, indisponible, préféré)",
        },
        notes=notes,
    )
    if "date" not in columns and "start" not in columns:
        raise InputError(
            table.path, table.place, None, "no column for the date (expected 'Date' or 'Jour')"
        )
    notes.extend(_serial_dates(table, columns))
    notes.extend(_month_first_dates(table, columns, days[0].year, days))
    windows: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    ignored: set[str] = set()
    waiting: set[str] = set()
    read_as: dict[str, list[int]] = defaultdict(list)
    withdrawn: dict[str, list[int]] = defaultdict(list)
    unknown: dict[str, Bilingual] = {}
    for number, record in table.rows:
        row = _Row(table, number, record, columns)
        name = row.read("speaker", lambda v: _required(v, "speaker"))
        if name is not None and speaker_id(name) not in form.speakers:
            name = _strip_affiliation(name, form)
        kind = row.read("kind", read_kind, raw=True)
        span = _read_span(row, days[0].year, whole_day=True)
        sid = speaker_id(name) if name is not None else ""
        if name is not None and sid not in form.speakers and sid in aliases:
            read_as[name].append(number)
            sid = aliases[sid][0]
        known = name is None or sid in form.speakers
        unread = not known and sid in form.unread_people
        if not known and not unread:
            if sid in form.rejected_people:
                ignored.add(name)
                continue
            if sid in gone:
                withdrawn[name].append(number)
                continue
            if name not in unknown:  # (a file of unknown names: each compared once)
                unknown[name] = _no_presenter(name, form)
            row.fail("speaker", unknown[name])
        if span is not None and not (
            _midnight(days[0]) <= span[0] and span[1] <= _midnight_after(days[1])
        ):
            row.fail("date", _outside_days("window", row, days, days[0].year))
        if unread:
            # her proposals' form rows are reported already; this row's own problems (a
            # date that is no date) too, in the same run, not once those are fixed
            waiting.add(name)
            problems.extend(row.problems)
            continue
        if row.problems or name is None or kind is None or span is None:
            problems.extend(row.problems)
            continue
        windows[sid][kind].append({"start": span[0].isoformat(), "end": span[1].isoformat()})
    for name, numbers in read_as.items():
        fresh, kid, was = aliases[speaker_id(name)]
        now = _display_name(form.speakers[fresh].spellings)
        listed, one = ", ".join(map(str, numbers)), len(numbers) == 1
        also = "" if _same_text(was, now) else f" ({was})"
        notes.append(
            Bilingual(
                f"{table.path.name}: {_sheet_label(table.sheet)}{_rows_word(len(numbers))} "
                f"{listed}: {name!r} names no presenter in the form but the kept instance's "
                f"speaker {kid}{also}, whom the form now spells {now!r} and who keeps the id "
                "(the name's spelling fixed): read as that speaker's windows; write "
                f"{now!r} in the availability file",
                f"{table.path.name}\u00a0: {_sheet_label(table.sheet, 'fr')}"
                f"{_rows_word(len(numbers), 'fr')} {listed}\u00a0: {_cell(name, 'fr')} ne nomme "
                f"aucun·e intervenant·e du formulaire, mais l'intervenant·e {kid}{also} de "
                "l'instance précédente, que le formulaire écrit désormais "
                f"{guillemets(now)} et qui garde son id (l'orthographe du nom corrigée)\u00a0: "
                f"{'lue' if one else 'lues'} comme ses plages\u00a0; écrivez {guillemets(now)} "
                "dans le fichier des disponibilités",
            )
        )
    for name, numbers in withdrawn.items():
        kid, was = gone[speaker_id(name)]
        listed, one = ", ".join(map(str, numbers)), len(numbers) == 1
        them, it = ("row", "it") if one else ("rows", "them")
        notes.append(
            Bilingual(
                f"{table.path.name}: {_sheet_label(table.sheet)}{_rows_word(len(numbers))} "
                f"{listed}: {name!r} is the kept instance's speaker {kid} ({was}), no longer in "
                "the form (a proposal withdrawn, or its row deleted): no longer in the "
                f"programme, so the {them} {'is' if one else 'are'} ignored; delete {it} from "
                "the availability file (the instance written no longer has the speaker, so a "
                f"later re-import reads {it} as naming no presenter, a bad row)",
                f"{table.path.name}\u00a0: {_sheet_label(table.sheet, 'fr')}"
                f"{_rows_word(len(numbers), 'fr')} {listed}\u00a0: {_cell(name, 'fr')} est "
                f"l'intervenant·e {kid} ({was}) de l'instance précédente, qui n'est plus dans le "
                "formulaire (une proposition retirée, ou sa ligne supprimée)\u00a0: plus au "
                "programme, donc "
                + ("la ligne est ignorée" if one else "les lignes sont ignorées")
                + f"\u00a0; {'supprimez-la' if one else 'supprimez-les'} du fichier des "
                "disponibilités (l'instance écrite n'a plus cet·te intervenant·e, une "
                f"réimportation suivante {'la' if one else 'les'} lira donc comme ne nommant "
                "aucun·e intervenant·e, une ligne en erreur)",
            )
        )
    if ignored:
        listed = ", ".join(sorted(ignored))
        notes.append(
            Bilingual(
                f"ignored the availability of presenters with no accepted proposal: {listed}",
                "disponibilités ignorées des intervenant·es sans proposition acceptée\u00a0: "
                + listed,
            )
        )
    if waiting:
        listed = ", ".join(sorted(waiting))
        notes.append(
            Bilingual(
                "ignored the availability of presenters whose proposals are on form rows that "
                f"cannot be read: {listed}",
                "disponibilités ignorées des intervenant·es dont les propositions sont sur des "
                f"lignes illisibles du formulaire\u00a0: {listed}",
            )
        )
    return {sid: dict(kinds) for sid, kinds in windows.items()}


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


class _InstanceDumper(yaml.SafeDumper):
    """Readable instance YAML: one-line records when short, folded long text."""


_SCALARS = (str, int, float, bool, date, type(None))


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ">" if len(value) > 80 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    flow = all(isinstance(v, _SCALARS) for v in value) and sum(len(str(v)) for v in value) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.MappingNode:
    flow = (
        all(isinstance(v, _SCALARS) for v in value.values())
        and sum(len(str(k)) + len(str(v)) + 6 for k, v in value.items()) < 96
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=flow)


_InstanceDumper.add_representer(str, _represent_str)
_InstanceDumper.add_representer(list, _represent_list)
_InstanceDumper.add_representer(dict, _represent_dict)


def dump_instance(data: dict[str, Any], header: str = "") -> str:
    """Readable YAML of instance data, with an optional comment header."""
    body = yaml.dump(data, Dumper=_InstanceDumper, sort_keys=False, allow_unicode=True, width=96)
    if load_yaml(body) != data:
        # The readable styles did not survive a round trip for some text: plain styles do.
        body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join([*lines, body]) if lines else body


def write_instance(result: ImportResult, path: Path, sources: dict[str, Path | None]) -> Path:
    """Write the imported instance atomically, after checking it loads back identically."""
    names = ", ".join(f"{k} {v.name}" for k, v in sources.items() if v is not None)
    header = f"Imported by `scheduler import` from {names}."
    if result.call_themes:
        header += (
            "\nThemes: the six of the Commons AI 2026 call (no --themes), that event's"
            "\nthemes, not another's: for another event, import again with --themes FILE"
            "\n(its own) before `scheduler themes --apply` puts these on its proposals."
        )
    if result.without_themes:
        header += (
            f"\n{have_no_theme(result.without_themes)}: assign themes by hand or run"
            f"\n`scheduler themes {path} --apply` (without one, a proposal gets no slot)."
        )
    if Path(path).suffix.lower() == ".json":
        # (JSON, as `-o x.json` asks: YAML written there was read back as malformed JSON
        # by every later command; JSON has no comments, so no header)
        text = json.dumps(result.data, indent=2, ensure_ascii=False, default=str) + "\n"
        reloaded = parse_instance(json.loads(text), path)
    else:
        text = dump_marked(result.data, result.suggested, header)
        reloaded = parse_instance(load_yaml(text), path)
    if reloaded.model_dump() != result.instance.model_dump():
        raise InputError(path, None, None, "the written instance would not read back identically")
    return write_atomic(path, text)
