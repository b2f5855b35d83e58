"""Make form-errors.ods and form-errors.xls, the fixture form with error cells, and
availability-errors.xls, the fixture availability with one, as LibreOffice saves them (the
tests read the files made so; they never run this). The small .xls keeps its records in
the compound file's mini stream, the larger one in sectors of its own: xlrd reads both.

The form's rows go into an .xlsx written by openpyxl, on a second sheet after a cover page,
with formulas that fail in four cells; LibreOffice computes them and saves the workbook
in its own format and in Excel 97-2003's, error cells and all (calamine, which import reads
these formats with, gives those cells as empty, so import reads them back with odfpy and
xlrd; openpyxl and odfpy compute no formula, and nothing installed writes an .xls). Run it from the repository's root, LibreOffice installed:

    python tests/data/import/make_error_workbooks.py
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
FAILING = {
    # (row as a sheet numbers it, the column's header start): a formula that fails
    (2, "Statut"): "=NA()",  # #N/A: a VLOOKUP into the decisions that found nothing
    (3, "Langue"): "=1/0",  # #DIV/0!
    (4, "Pour les keynotes"): "=#REF!",  # a cell deleted
    (5, "Pour les keynotes"): "=SQRT(-1)",  # LibreOffice's Err:502, #NUM! in an .xls
}


def main() -> None:
    rows = [r for r in csv.reader((HERE / "form.csv").open(encoding="utf-8")) if any(r)]
    book = openpyxl.Workbook()
    book.active.title = "Lisez-moi"
    book.active.append(["Réponses à l'appel, avec quatre cellules en erreur"])
    sheet = book.create_sheet("Réponses")
    for row in rows:
        sheet.append(row)
    for (number, header), formula in FAILING.items():
        column = next(i for i, h in enumerate(rows[0], 1) if h.startswith(header))
        sheet.cell(number, column).value = formula
    convert(book, "form-errors", ("ods", "xls"))
    rows = [r for r in csv.reader((HERE / "availability.csv").open(encoding="utf-8")) if any(r)]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.active.cell(2, 5).value = "=NA()"  # Jeanne Dupont's Disponibilité
    convert(book, "availability-errors", ("xls",))


def convert(book: openpyxl.Workbook, name: str, suffixes: tuple[str, ...]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"{name}.xlsx"
        book.save(source)
        for suffix in suffixes:
            subprocess.run(
                ["soffice", "--headless", "--convert-to", suffix, "--outdir", folder, source],
                check=True,
                capture_output=True,
                env={"HOME": folder, "PATH": "/usr/bin:/bin"},
            )
            shutil.copy(Path(folder) / f"{name}.{suffix}", HERE / f"{name}.{suffix}")


if __name__ == "__main__":
    main()
