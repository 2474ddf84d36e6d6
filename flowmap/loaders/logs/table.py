"""CSV and Parquet logs: columns found by their XES names (or named by the user), read by DuckDB.

DuckDB reads the file in parallel and out of core, so a log larger than memory converts; every
value is read as text first, so that a bad timestamp is reported with its line and column
instead of failing the whole read.
"""

from __future__ import annotations

from pathlib import Path

from flowmap.loaders.logs import ALIASES, REQUIRED, XES_KEYS, EventLog, connect, problem

OPTION = {
    "case_id": "--case",
    "activity": "--activity",
    "timestamp": "--timestamp",
    "resource": "--resource",
    "role": "--role",
    "group": "--group",
    "lifecycle": "--lifecycle",
}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def detect(header: list[str], columns, name: str) -> dict[str, str]:
    """The source column of each field: the one the user named, else the XES name, else a
    common alias (case-insensitive). Raises when a required field has no column."""
    lower = {h.lower(): h for h in reversed(header)}
    found: dict[str, str] = {}
    for field in XES_KEYS:
        given = getattr(columns, field if field != "group" else "group")
        if given:
            if given not in header:
                match = lower.get(given.lower())
                if match is None:
                    raise problem(
                        name,
                        f"{OPTION[field]} {given!r}: the log has no such column",
                        f"its columns are: {', '.join(header)}",
                        "missing-column",
                        1,
                    )
                given = match
            found[field] = given
            continue
        for candidate in (XES_KEYS[field], *ALIASES[field]):
            match = candidate if candidate in header else lower.get(candidate.lower())
            if match is not None and match not in found.values():
                found[field] = match
                break
    for field in REQUIRED:
        if field not in found:
            label = field.replace("_", " ")
            raise problem(
                name,
                f"no {label} column (looked for {XES_KEYS[field]!r} and "
                f"{', '.join(repr(a) for a in ALIASES[field][:3])}...)",
                f"name it with {OPTION[field]} COLUMN; the columns are: {', '.join(header)}",
                "missing-column",
                1,
            )
    return found


def convert(path: Path, target: Path, columns, kind: str) -> EventLog:
    import duckdb

    name = str(path)
    con = connect()
    try:
        try:
            con.execute(f"SET TimeZone = {_literal(columns.timezone)}")
        except duckdb.Error:
            raise problem(
                name,
                f"--timezone {columns.timezone!r} is not a time zone",
                "use a name such as UTC or Europe/Amsterdam",
                "bad-timezone",
            ) from None
        source = (
            f"read_csv({_literal(str(path))}, header = true, all_varchar = true)"
            if kind == "csv"
            else f"read_parquet({_literal(str(path))})"
        )
        try:
            con.execute(f"CREATE VIEW src AS SELECT *, row_number() OVER () AS __row FROM {source}")
            described = con.execute("DESCRIBE src").fetchall()
        except duckdb.Error as exc:
            raise problem(
                name,
                f"cannot read the {kind.upper()} file: {str(exc).splitlines()[0]}",
                "check the file is complete and in the format its name says",
                "unreadable",
            ) from None
        header = [row[0] for row in described if row[0] != "__row"]
        types = {row[0]: row[1] for row in described}
        found = detect(header, columns, name)
        first_line = 2 if kind == "csv" else 1  # a CSV's first line is its header
        stamp = _timestamp(found["timestamp"], types[found["timestamp"]], columns)

        def text(field: str) -> str:
            column = found.get(field)
            if column is None:
                return "CAST(NULL AS VARCHAR)"
            return f"NULLIF(CAST({_quote(column)} AS VARCHAR), '')"

        con.execute(f"""CREATE VIEW canonical AS SELECT
            {text("case_id")} AS case_id, {text("activity")} AS activity,
            CAST(epoch_ms({stamp}) AS BIGINT) AS ts, {text("resource")} AS resource,
            {text("role")} AS role, {text("group")} AS grp, {text("lifecycle")} AS lifecycle,
            CAST(__row + {first_line - 1} AS BIGINT) AS line,
            CAST({_quote(found["timestamp"])} AS VARCHAR) AS __stamp FROM src""")
        _check(con, name, header, found, kind)
        con.execute(
            f"COPY (SELECT * EXCLUDE (__stamp) FROM canonical) TO "
            f"{_literal(str(target))} (FORMAT parquet, COMPRESSION zstd)"
        )
        events, cases = con.execute(
            f"SELECT count(*), count(DISTINCT case_id) FROM read_parquet({_literal(str(target))})"
        ).fetchone()
    finally:
        con.close()
    if not events:
        raise problem(name, "the log has no events", "a log needs at least one row", "empty-log")
    return EventLog(name, str(target), events, cases, kind, found)


def _timestamp(column: str, kind: str, columns) -> str:
    ref = _quote(column)
    kind = kind.upper()
    if kind.startswith("TIMESTAMP WITH TIME ZONE"):
        return ref
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return f"CAST(CAST({ref} AS TIMESTAMP) AS TIMESTAMPTZ)"
    if columns.timestamp_format:
        return (
            f"CAST(try_strptime(CAST({ref} AS VARCHAR), "
            f"{_literal(columns.timestamp_format)}) AS TIMESTAMPTZ)"
        )
    return f"TRY_CAST(CAST({ref} AS VARCHAR) AS TIMESTAMPTZ)"


def _check(con, name: str, header: list[str], found: dict[str, str], kind: str) -> None:
    """The first row with an empty case, activity or timestamp, or a timestamp that is not
    one, as an error naming its line and column."""
    import duckdb

    unit = "line" if kind == "csv" else "row"
    checks = [
        ("case_id IS NULL", "case_id", "has no case id", "fill in the case column"),
        ("activity IS NULL", "activity", "has no activity", "fill in the activity column"),
        (
            "__stamp IS NULL OR trim(__stamp) = ''",
            "timestamp",
            "has no timestamp",
            "fill in the timestamp column",
        ),
        (
            "ts IS NULL",
            "timestamp",
            "has a timestamp that is not a date and time",
            (
                "write ISO 8601 (2011-10-11 13:45:40+02:00), or give the format with "
                "--timestamp-format (e.g. '%d-%m-%Y %H:%M')"
            ),
        ),
    ]
    for condition, field, what, hint in checks:
        try:
            row = con.execute(
                f"SELECT line, __stamp FROM canonical WHERE {condition} ORDER BY line LIMIT 1"
            ).fetchone()
        except duckdb.Error as exc:  # e.g. a strptime pattern it cannot use
            raise problem(
                name,
                f"cannot read the timestamps: {str(exc).splitlines()[0]}",
                hint,
                "bad-timestamp",
            ) from None
        if row is None:
            continue
        line, stamp = row
        column = header.index(found[field]) + 1 if kind == "csv" else 0
        value = f" {stamp!r}" if field == "timestamp" and stamp else ""
        raise problem(
            name,
            f"{unit} {line}{value}: the event {what} (column {found[field]!r})",
            hint,
            "bad-" + field.replace("_", "-"),
            line if kind == "csv" else 0,
            column,
        )
