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

import csv
import difflib
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flowmap.errors import LoadError, Location, Problem
from flowmap.inference import fold, kind, level
from flowmap.loaders.ids import slug
from flowmap.model import Function, FunctionKind, Organisation, Person, Role

MAX_BYTES = 64 * 2**20
MAX_ROWS = 200_000

# What each column may be called (folded: lower case, no accents).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "full name",
        "employee",
        "employee name",
        "person",
        "display name",
        "mitarbeiter",
        "mitarbeitername",
        "nom complet",
        "salarie",
        "employe",
        "nombre",
        "nombre completo",
        "empleado",
        "naam",
        "volledige naam",
        "medewerker",
        "imie i nazwisko",
        "pracownik",
        "nome",
        "nome completo",
        "funcionario",
        "colaborador",
        "dipendente",
        "nominativo",
        "nome e cognome",
    ),
    "first_name": (
        "first name",
        "given name",
        "firstname",
        "vorname",
        "prenom",
        "voornaam",
        "imie",
        "primeiro nome",
        "nombre de pila",
    ),
    "last_name": (
        "last name",
        "surname",
        "family name",
        "lastname",
        "nachname",
        "nom",
        "apellido",
        "apellidos",
        "achternaam",
        "nazwisko",
        "sobrenome",
        "apelido",
        "cognome",
    ),
    "id": (
        "id",
        "employee id",
        "employee number",
        "login",
        "username",
        "user name",
        "user id",
        "userid",
        "email",
        "e mail",
        "personnel number",
        "personalnummer",
        "benutzer",
        "benutzername",
        "kennung",
        "matricule",
        "identifiant",
        "id empleado",
        "usuario",
        "personeelsnummer",
        "gebruikersnaam",
        "numer pracownika",
        "matricula",
        "usuario",
        "utente",
        "matricola",
        "resource",
    ),
    "title": (
        "title",
        "job title",
        "job",
        "role",
        "position title",
        "job role",
        "funktion",
        "stellenbezeichnung",
        "position",
        "titel",
        "rolle",
        "fonction",
        "intitule de poste",
        "poste",
        "titre",
        "cargo",
        "puesto",
        "titulo",
        "functie",
        "functietitel",
        "rol",
        "stanowisko",
        "tytul",
        "funcao",
        "ruolo",
        "qualifica",
        "mansione",
    ),
    "manager": (
        "manager",
        "reports to",
        "supervisor",
        "line manager",
        "manager name",
        "manager id",
        "boss",
        "vorgesetzter",
        "vorgesetzte",
        "fuehrungskraft",
        "berichtet an",
        "superieur hierarchique",
        "n 1",
        "responsable",
        "jefe",
        "jefe directo",
        "leidinggevende",
        "przelozony",
        "gestor",
        "chefe",
        "superior",
        "responsabile",
        "superiore",
    ),
    "department": (
        "department",
        "dept",
        "team",
        "unit",
        "function",
        "division",
        "organisational unit",
        "organizational unit",
        "abteilung",
        "bereich",
        "organisationseinheit",
        "departement",
        "service",
        "direction",
        "equipe",
        "departamento",
        "area",
        "afdeling",
        "dzial",
        "departament",
        "setor",
        "reparto",
        "ufficio",
        "dipartimento",
    ),
}
_LABEL = {
    "name": "the person's name",
    "title": "the job title",
    "department": "the department",
    "manager": "the manager",
    "id": "the login",
    "first_name": "the first name",
    "last_name": "the last name",
}


@dataclass
class Row:
    line: int  # CSV line, or XLSX row
    values: dict[str, str]
    where: dict[str, Location]  # each field's cell

    def at(self, name: str) -> Location:
        return self.where.get(name) or next(iter(self.where.values()))


@dataclass
class OrgImport:
    """An organisation read from an HR table, with the reason of everything guessed."""

    organisation: Organisation
    inferred: dict[str, str] = field(default_factory=dict)  # "function:x" / "role:x.y" -> reason
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading the table
# ---------------------------------------------------------------------------------------------


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


def find_columns(
    header: list[tuple[str, Location]], path: str, named: dict[str, str] | None = None
) -> dict[str, int]:
    """Which column holds which field. ``named`` maps a field to the header the user gave."""
    folded = [" ".join(fold(text).replace(".", " ").split()) for text, _ in header]
    found: dict[str, int] = {}
    problems = []
    for key, wanted in (named or {}).items():
        if not wanted:
            continue
        target = " ".join(fold(wanted).split())
        if target in folded:
            found[key] = folded.index(target)
        else:
            close = difflib.get_close_matches(wanted, [t for t, _ in header], n=1)
            problems.append(
                Problem(
                    header[0][1],
                    f"no column {wanted!r} for {_LABEL[key]}",
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"the columns are: {', '.join(t for t, _ in header)}",
                    "missing-column",
                )
            )
    for key, names in COLUMNS.items():
        if key in found:
            continue
        for synonym in names:
            if synonym in folded and folded.index(synonym) not in found.values():
                found[key] = folded.index(synonym)
                break
    needed = [("title", "--title-column"), ("department", "--department-column")]
    if "name" not in found and not {"first_name", "last_name"} <= set(found):
        needed.insert(0, ("name", "--name-column"))
    for key, option in needed:
        if key not in found and key not in (named or {}):
            problems.append(
                Problem(
                    header[0][1],
                    f"no column for {_LABEL[key]}",
                    f"looked for {', '.join(repr(n) for n in COLUMNS[key][:6])}...; name it with "
                    f"{option}",
                    "missing-column",
                )
            )
    if problems:
        raise LoadError(path, problems)
    return found


def _rows(records, columns: dict[str, int]) -> list[Row]:
    rows = []
    for record in records:
        values, where = {}, {}
        for key, index in columns.items():
            if index < len(record):
                values[key], where[key] = record[index]
            else:
                values[key], where[key] = (
                    "",
                    Location(record[0][1].path, record[0][1].line, index + 1),
                )
        if "name" not in values or not values["name"]:
            parts = [values.get("first_name", ""), values.get("last_name", "")]
            if any(parts):
                values["name"] = " ".join(p for p in parts if p)
                where["name"] = where.get("first_name") or where["last_name"]
        rows.append(Row(record[0][1].line, values, where))
    return rows


# ---------------------------------------------------------------------------------------------
# Building the organisation
# ---------------------------------------------------------------------------------------------


def load_hr(
    path: str | os.PathLike, *, sheet: str | None = None, columns: dict[str, str] | None = None
) -> OrgImport:
    """The organisation an HR table describes. Raises LoadError listing every problem."""
    name = str(path)
    header, records = read_table(path, sheet)
    rows = _rows(records, find_columns(header, name, columns))
    problems: list[Problem] = []
    people = _people(rows, problems)
    managers = _managers(rows, people, problems)
    if not problems:
        _cycles(rows, managers, problems)
    if problems:
        raise LoadError(name, sorted(problems, key=lambda p: (p.location.line, p.location.column)))
    return _organisation(rows, managers)


def _people(rows: list[Row], problems: list[Problem]) -> dict[str, int]:
    """Each person's key (login, else name) -> row index; problems for gaps and duplicates."""
    keys: dict[str, int] = {}
    for i, row in enumerate(rows):
        for need in ("name", "title", "department"):
            if not row.values.get(need):
                problems.append(
                    Problem(
                        row.at(need),
                        f"{cell_name(row.at(need))}: {_LABEL[need]} is empty",
                        "fill it in, or leave the row out of the export",
                        "empty-cell",
                    )
                )
        key = row.values.get("id") or row.values.get("name")
        if not key:
            continue
        if key in keys:
            first = rows[keys[key]]
            what = "login" if row.values.get("id") else "name"
            problems.append(
                Problem(
                    row.at("id" if row.values.get("id") else "name"),
                    f"{cell_name(row.at('name'))}: {what} {key!r} is already on "
                    f"{cell_name(first.at('name'))}",
                    "add a login column (--id-column) to tell people of one name apart"
                    if what == "name"
                    else "each login belongs to one person",
                    "duplicate",
                )
            )
            continue
        keys[key] = i
    return keys


def _managers(rows: list[Row], people: dict[str, int], problems: list[Problem]) -> dict[int, int]:
    """Row index -> its manager's row index, found by login, name or title."""
    by_name: dict[str, int] = {}
    for i, row in enumerate(rows):
        by_name.setdefault(fold(row.values.get("name", "")), i)
    managers: dict[int, int] = {}
    for i, row in enumerate(rows):
        value = row.values.get("manager", "")
        if not value:
            continue
        found = people.get(value)
        if found is None:
            found = by_name.get(fold(value))
        if found is None:
            close = difflib.get_close_matches(value, list(people), n=1)
            problems.append(
                Problem(
                    row.at("manager"),
                    f"{cell_name(row.at('manager'))}: manager {value!r} of "
                    f"{row.values.get('name')!r} is not a person in the table",
                    f"did you mean {close[0]!r}?"
                    if close
                    else "add the manager's row, or leave the cell empty for the top of the chain",
                    "unknown-manager",
                )
            )
        elif found == i:
            problems.append(
                Problem(
                    row.at("manager"),
                    f"{cell_name(row.at('manager'))}: "
                    f"{row.values.get('name')!r} is their own manager",
                    "leave the cell empty for the top of the chain",
                    "manager-cycle",
                )
            )
        else:
            managers[i] = found
    return managers


def _cycles(rows: list[Row], managers: dict[int, int], problems: list[Problem]) -> None:
    done: set[int] = set()
    for start in managers:
        path: dict[int, int] = {}
        here: int | None = start
        while here is not None and here not in path and here not in done:
            path[here] = len(path)
            here = managers.get(here)
        if here is not None and here in path:
            cycle = list(path)[path[here] :]
            names = " -> ".join(rows[i].values["name"] for i in cycle + [cycle[0]])
            lines = ", ".join(cell_name(rows[i].at("manager")) for i in cycle)
            problems.append(
                Problem(
                    rows[cycle[0]].at("manager"),
                    f"the chain of command has a cycle: {names} ({lines})",
                    "someone in this circle reports to a person outside it, or to no one",
                    "manager-cycle",
                )
            )
        done.update(path)


def _unique(base: str, taken: set[str]) -> str:
    out, n = base or "x", 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def _organisation(rows: list[Row], managers: dict[int, int]) -> OrgImport:
    result = OrgImport(Organisation())
    function_ids: dict[str, str] = {}  # department -> function id
    role_ids: dict[tuple[str, str], str] = {}  # (department, title) -> role id
    taken_f: set[str] = set()
    taken_r: dict[str, set[str]] = {}
    for row in rows:
        dept, title = row.values["department"], row.values["title"]
        if dept not in function_ids:
            function_ids[dept] = _unique(slug(fold(dept)), taken_f)
            taken_r[function_ids[dept]] = set()
        if (dept, title) not in role_ids:
            role_ids[(dept, title)] = _unique(slug(fold(title)), taken_r[function_ids[dept]])

    def role_of(i: int) -> str:
        row = rows[i]
        dept = row.values["department"]
        return f"{function_ids[dept]}.{role_ids[(dept, row.values['title'])]}"

    # A role reports to the role most of its people's managers hold.
    votes: dict[str, Counter] = {}
    for i, m in managers.items():
        if role_of(i) != role_of(m):
            votes.setdefault(role_of(i), Counter())[role_of(m)] += 1
    superior: dict[str, str] = {}
    for role, counter in votes.items():
        (choice, _), *others = counter.most_common()
        if others:
            result.warnings.append(
                f"the people of {role} report to roles {', '.join(counter)}; "
                f"{choice} is taken as its superior (the most common)"
            )
        superior[role] = choice
    _break_role_cycles(superior, result.warnings)
    levels = _levels(rows, role_ids, function_ids, superior, result)

    functions = []
    for dept, fid in function_ids.items():
        said = kind(dept)
        if said is not None:
            result.inferred[f"function:{fid}"] = said.reason(f"kind of {dept!r}")
        roles = []
        for (d, title), rid in role_ids.items():
            if d != dept:
                continue
            key = f"{fid}.{rid}"
            up = superior.get(key)
            if up is not None and up.split(".")[0] == fid:
                up = up.split(".", 1)[1]
            roles.append(Role(id=rid, name=title, level=levels[key], reports_to=up))
        functions.append(
            Function(
                id=fid, name=dept, kind=said.value if said else FunctionKind.other, roles=roles
            )
        )
    people = [
        Person(name=row.values["name"], role=role_of(i), id=row.values.get("id", ""))
        for i, row in enumerate(rows)
    ]
    result.organisation = Organisation(functions=functions, people=people)
    return result


def _break_role_cycles(superior: dict[str, str], warnings: list[str]) -> None:
    """Roles can circle even when people do not (a clerk's manager's manager is a clerk)."""
    for start in list(superior):
        seen: list[str] = []
        here: str | None = start
        while here is not None and here not in seen:
            seen.append(here)
            here = superior.get(here)
        if here is not None:
            cycle = seen[seen.index(here) :]
            last = cycle[-1]
            warnings.append(
                f"roles report to each other in a circle ({' -> '.join(cycle)} -> "
                f"{here}); {last} is left without a superior"
            )
            superior.pop(last, None)


def _levels(
    rows, role_ids, function_ids, superior: dict[str, str], result: OrgImport
) -> dict[str, int]:
    """Each role's level: what its title says, raised above every role that reports to it."""
    said: dict[str, int] = {}
    for (dept, title), rid in role_ids.items():
        key = f"{function_ids[dept]}.{rid}"
        match = level(title)
        if match is not None:
            said[key] = match.value
            result.inferred[f"role:{key}"] = match.reason(f"level of {title!r}")
    below: dict[str, list[str]] = {}
    for role, up in superior.items():
        below.setdefault(up, []).append(role)
    levels: dict[str, int] = {}
    everyone = [f"{function_ids[dept]}.{rid}" for (dept, _), rid in role_ids.items()]
    for root in everyone:  # each role after the roles below it (no recursion: chains are long)
        stack = [(root, False)]
        while stack:
            role, ready = stack.pop()
            if role in levels:
                continue
            if not ready:
                stack.append((role, True))
                stack.extend((r, False) for r in below.get(role, ()) if r not in levels)
                continue
            subs = [levels[r] for r in below.get(role, ())]
            levels[role] = max([said.get(role, 1)] + [s + 1 for s in subs])
            if role not in said or levels[role] != said[role]:
                reason = (
                    f"level {levels[role]}: above the roles that report to it"
                    if subs
                    else "level 1: its title says no level"
                )
                if role in said:
                    reason += f" (its title says {said[role]})"
                result.inferred[f"role:{role}"] = reason
    too_high = [r for r, lv in levels.items() if lv > 5]
    if too_high:
        raise LoadError(
            rows[0].at("name").path,
            [
                Problem(
                    rows[0].at("name"),
                    f"the chain of command is deeper than flowmap's five levels "
                    f"(at {', '.join(sorted(too_high))})",
                    "merge steps of the chain into one role, or "
                    "write the organisation file by hand",
                    "too-deep",
                )
            ],
        )
    return levels
