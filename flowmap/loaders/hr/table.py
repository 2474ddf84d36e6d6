"""Reading an HR export, CSV or XLSX, into rows of cells, each cell with its place (CSV line and
column, or workbook sheet and cell) so every later problem can name it."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from flowmap.errors import LoadError, Location, Problem

MAX_BYTES = 64 * 2**20
MAX_ROWS = 200_000


def read_table(
    path: str | os.PathLike, sheet: str | None = None
) -> tuple[list[tuple[str, Location]], list[list[tuple[str, Location]]]]:
    """The header cells and the data rows of a CSV or XLSX file, each cell with its place."""
    from flowmap.files import read_bounded

    name = str(path)
    data = read_bounded(path, MAX_BYTES)
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(name, data, sheet)
    else:
        rows = _csv_rows(name, data)
    rows = [r for r in rows if any(value for value, _ in r)]
    if not rows:
        raise LoadError(
            name,
            [
                Problem(
                    Location(name, 1, 1),
                    "the table is empty",
                    "export one row per person with a header row",
                    "empty",
                )
            ],
        )
    if len(rows) > MAX_ROWS:
        raise LoadError(
            name,
            [
                Problem(
                    Location(name),
                    f"the table has more than {MAX_ROWS} rows",
                    "split the export by division",
                    "too-large",
                )
            ],
        )
    return rows[0], rows[1:]


def _csv_rows(name: str, data: bytes) -> list[list[tuple[str, Location]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise LoadError(
            name,
            [
                Problem(
                    Location(name, 1, 1),
                    "this is not a text table",
                    "export the table as CSV or XLSX",
                    "not-a-table",
                )
            ],
        )
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows, start = [], 1
    try:
        for record in reader:
            rows.append(
                [(value.strip(), Location(name, start, i + 1)) for i, value in enumerate(record)]
            )
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LoadError(
            name,
            [
                Problem(
                    Location(name, start, 1),
                    f"cannot read the CSV: {exc}",
                    "check the quotes of this line",
                    "csv",
                )
            ],
        ) from None
    return rows


def _xlsx_rows(name: str, data: bytes, sheet: str | None) -> list[list[tuple[str, Location]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise LoadError(
            name,
            [
                Problem(
                    Location(name),
                    f"cannot read the workbook: {exc}",
                    "save it as .xlsx from the spreadsheet, or export CSV",
                    "not-a-table",
                )
            ],
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise LoadError(
                name,
                [
                    Problem(
                        Location(name),
                        f"no sheet {sheet!r} in the workbook",
                        f"sheets: {', '.join(book.sheetnames)}",
                        "no-sheet",
                    )
                ],
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows = []
        for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if r > MAX_ROWS + 1:
                break
            place = f"{name} [{ws.title}]"
            rows.append([(_text(v), Location(place, r, c)) for c, v in enumerate(values, 1)])
        return rows
    finally:
        book.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def cell_name(where: Location) -> str:
    """'cell C7' for a place in a workbook, 'line 7' for a CSV line."""
    if where.path.endswith("]"):
        from openpyxl.utils import get_column_letter

        return f"cell {get_column_letter(where.column)}{where.line}"
    return f"line {where.line}"


# ---------------------------------------------------------------------------------------------
# Finding the columns
# ---------------------------------------------------------------------------------------------
