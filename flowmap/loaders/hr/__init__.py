"""Read the table every HR system exports (CSV or XLSX) into an organisation.

One row per person: a name (or a position), a job title, a department and, usually, the person's
manager. From it come the functions (one per department), their roles (one per job title of a
department), the chain of command (a role reports to the role its people's managers hold) and the
people themselves. Levels and function kinds are read from the names by :mod:`flowmap.inference`
and, for levels, from the chain (a superior stands above whoever reports to it); each guess comes
with its reason, so the writer can mark it for the user to check.

Columns are found by their header in English, German, French, Spanish, Dutch, Polish, Portuguese
or Italian (:data:`COLUMNS`), or named by the caller. Every problem names its row: the CSV line or
the XLSX sheet and cell.
"""

from __future__ import annotations

import os

from flowmap.errors import LoadError, Problem
from flowmap.loaders.hr.columns import COLUMNS, Row, find_columns, rows_of
from flowmap.loaders.hr.organisation import OrgImport, organisation
from flowmap.loaders.hr.people import check_cycles, check_people, managers_of
from flowmap.loaders.hr.table import cell_name, read_table

__all__ = ["COLUMNS", "OrgImport", "Row", "cell_name", "find_columns", "load_hr", "read_table"]


def load_hr(
    path: str | os.PathLike, *, sheet: str | None = None, columns: dict[str, str] | None = None
) -> OrgImport:
    """The organisation an HR table describes. Raises LoadError listing every problem."""
    name = str(path)
    header, records = read_table(path, sheet)
    rows = rows_of(records, find_columns(header, name, columns))
    problems: list[Problem] = []
    people = check_people(rows, problems)
    managers = managers_of(rows, people, problems)
    if not problems:
        check_cycles(rows, managers, problems)
    if problems:
        raise LoadError(name, sorted(problems, key=lambda p: (p.location.line, p.location.column)))
    return organisation(rows, managers)
