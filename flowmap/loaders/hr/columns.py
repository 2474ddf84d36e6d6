"""Which column of an HR export holds which field: found by its header in eight languages, or named
by the user; and the data rows read into :class:`Row` by field."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flowmap.errors import LoadError, Location, Problem
from flowmap.inference import fold

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
LABEL = {
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
                    f"no column {wanted!r} for {LABEL[key]}",
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
                    f"no column for {LABEL[key]}",
                    f"looked for {', '.join(repr(n) for n in COLUMNS[key][:6])}...; name it with "
                    f"{option}",
                    "missing-column",
                )
            )
    if problems:
        raise LoadError(path, problems)
    return found


def rows_of(records, columns: dict[str, int]) -> list[Row]:
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
