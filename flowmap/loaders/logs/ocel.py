"""OCEL 2.0 object-centric logs (JSON and SQLite), flattened on one object type.

An object-centric event relates to several objects (an order, its items, the invoice...). The
measures need cases, so the log is read with one *case notion*: an object type (``--object-type
order``). Each event becomes an event of the case of every object of that type it relates to
(an event on two orders counts in both; an event on no order is left out and counted in a
warning). The event's type is the activity, its time the timestamp; resource, role, group and
lifecycle are event attributes (``org:resource`` or ``resource``..., or named with
``--resource``...).

Both are streamed: SQLite by one query over the event, event-to-object and per-type event
tables; JSON one event at a time (:mod:`flowmap.loaders.logs.json_stream`), holding the objects'
types and a window of the file, never the whole file. Errors name the file and the place: the
JSON line and column (of a syntax fault, or of the event), the event (its position in
``events`` and its id), or the SQLite table.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from flowmap.loaders.logs import EventLog, problem

BATCH = 100_000
# Event attributes read for each field when the user names none (first found wins).
ATTRIBUTES = {
    "resource": ("org:resource", "resource"),
    "role": ("org:role", "role"),
    "group": ("org:group", "group"),
    "lifecycle": ("lifecycle:transition", "lifecycle"),
}
SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == SQLITE_MAGIC


def convert(path: Path, target: Path, columns, kind: str) -> EventLog:
    from flowmap.loaders.logs.xes import Clock

    name = str(path)
    clock = Clock(columns.timezone)
    fields = {
        f: (getattr(columns, f),) if getattr(columns, f) else ATTRIBUTES[f] for f in ATTRIBUTES
    }
    writer = _Writer(target)
    try:
        if kind == "ocel-sqlite":
            object_type, left_out = _sqlite(path, name, columns.object_type, fields, clock, writer)
        else:
            object_type, left_out = _json(path, name, columns.object_type, fields, clock, writer)
    finally:
        writer.close()
    if not writer.events:
        raise problem(
            name,
            f"no event relates to an object of type {object_type!r}",
            "pick another case notion with --object-type",
            "empty-log",
        )
    warnings = []
    if left_out:
        from flowmap.errors import Location, Problem

        warnings.append(
            Problem(
                Location(name),
                f"{left_out} event{'s' if left_out != 1 else ''}"
                f" relate to no {object_type!r} object and are left out",
                "",
                "no-case",
                severity="warning",
            )
        )
    used = {
        "case_id": f"object of type {object_type}",
        "activity": "event type",
        "timestamp": "event time",
    }
    return EventLog(name, str(target), writer.events, len(writer.cases), kind, used, warnings)


class _Writer:
    """Rows of the canonical table, written to Parquet in batches."""

    def __init__(self, target: Path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa = pa
        self.schema = pa.schema(
            [
                ("case_id", pa.string()),
                ("activity", pa.string()),
                ("ts", pa.int64()),
                ("resource", pa.string()),
                ("role", pa.string()),
                ("grp", pa.string()),
                ("lifecycle", pa.string()),
                ("line", pa.int64()),
            ]
        )
        self.batch: dict[str, list] = {c: [] for c in self.schema.names}
        self.writer = pq.ParquetWriter(str(target), self.schema, compression="zstd")
        self.events = 0
        self.cases: set[str] = set()

    def add(self, case, activity, ts, resource, role, group, lifecycle, line) -> None:
        for column, value in zip(
            self.schema.names,
            (case, activity, ts, resource, role, group, lifecycle, line),
            strict=True,
        ):
            self.batch[column].append(value)
        self.events += 1
        self.cases.add(case)
        if len(self.batch["case_id"]) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.batch["case_id"]:
            self.writer.write_table(self.pa.table(self.batch, schema=self.schema))
            for values in self.batch.values():
                values.clear()

    def close(self) -> None:
        self.flush()
        self.writer.close()


def _pick(name: str, wanted: str | None, counts: Counter) -> str:
    """The object type that gives the cases: the one named, or the only one there is."""
    listed = ", ".join(f"{t!r} ({n} objects)" for t, n in sorted(counts.items()))
    if wanted is not None:
        if wanted not in counts:
            raise problem(
                name,
                f"--object-type {wanted!r}: the log has no such object type",
                f"its object types are: {listed or 'none'}",
                "object-type",
            )
        return wanted
    if len(counts) == 1:
        return next(iter(counts))
    raise problem(
        name,
        "an OCEL log needs a case notion: name the object type whose objects are the cases",
        f"pass --object-type TYPE; the log's object types are: {listed or 'none'}",
        "object-type",
    )


def _attribute(values: dict, names: tuple[str, ...]):
    for key in names:
        value = values.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def _time(name: str, clock, value, where: str, line: int = 0, column: int = 0) -> int:
    try:
        return clock(str(value).replace(" ", "T", 1))
    except (ValueError, OverflowError, TypeError):
        raise problem(
            name,
            f"{where}: time {value!r} is not a date and time",
            "OCEL 2.0 times are ISO 8601, e.g. 2023-04-01T10:00:00Z",
            "bad-timestamp",
            line,
            column,
        ) from None


# -- JSON -------------------------------------------------------------------------------------
def _json(path: Path, name: str, wanted, fields, clock, writer) -> tuple[str, int]:
    """Events streamed (:mod:`flowmap.loaders.logs.json_stream`): what is held is the objects'
    types and one window of the file. The objects usually come before the events; when they
    come after, the file is read twice (the events are skipped the first time)."""
    from flowmap.loaders.logs.json_stream import END, JSONSyntax, items

    types: dict[str, str] = {}
    state = {"objects": False, "events": False}  # each list read to its end
    picked: list[str] = []
    left_out = 0

    def event(k: int, item, line: int, column: int) -> None:
        nonlocal left_out
        if not picked:
            picked.append(_pick(name, wanted, Counter(types.values())))
        cases = _event(name, k, item, line, column, types, picked[0], fields, clock, writer)
        left_out += not cases

    def read(first: bool) -> None:
        for key, index, item, line, column in items(path, ("objects", "events")):
            if key not in state:
                continue
            if index is None:
                if item is not END:
                    raise _not_ocel(name, line, column)
                state[key] = True
            elif key == "objects" and first:
                if not isinstance(item, dict) or "id" not in item or "type" not in item:
                    raise problem(
                        name,
                        f"objects[{index}]: an object needs an 'id' and a 'type'",
                        "fix or remove that object",
                        "bad-object",
                        line,
                        column,
                    )
                types[str(item["id"])] = str(item["type"])
            elif key == "events" and state["objects"]:
                event(index, item, line, column)

    try:
        read(first=True)
        if state["events"] and state["objects"] and not picked:
            # The events came before the objects (or there are none): read them again.
            read(first=False)
    except JSONSyntax as exc:
        raise problem(
            name,
            f"not valid JSON: {exc.message}",
            "the file is damaged or not OCEL 2.0 JSON; check it was exported completely",
            "json-syntax",
            exc.line,
            exc.column,
        ) from None
    except UnicodeDecodeError:
        raise problem(name, "not UTF-8 text", "OCEL 2.0 JSON is UTF-8", "json-syntax") from None
    if not (state["events"] and state["objects"]):
        raise _not_ocel(name, 1, 1)
    return picked[0] if picked else _pick(name, wanted, Counter(types.values())), left_out


def _not_ocel(name: str, line: int, column: int):
    return problem(
        name,
        "not an OCEL 2.0 log: no 'events' and 'objects' lists at the top",
        "export OCEL 2.0 JSON (objectTypes, eventTypes, objects, events)",
        "not-ocel",
        line,
        column,
    )


def _event(name, k, event, line, column, types, object_type, fields, clock, writer) -> bool:
    """Write one JSON event to the case of each object of the case type it relates to;
    whether it related to any."""
    where = f"events[{k}]"
    if not isinstance(event, dict):
        raise problem(
            name,
            f"{where}: an event is an object with id, type and time",
            "fix or remove that event",
            "bad-event",
            line,
            column,
        )
    if event.get("id") is not None:
        where += f" (id {str(event['id'])!r})"
    for key in ("type", "time"):
        if event.get(key) in (None, ""):
            raise problem(
                name,
                f"{where}: the event has no {key!r}",
                "give every event an id, a type and a time",
                f"no-{key}",
                line,
                column,
            )
    ts = _time(name, clock, event["time"], where, line, column)
    values = {
        a.get("name"): a.get("value") for a in event.get("attributes") or () if isinstance(a, dict)
    }
    cases = [
        str(r["objectId"])
        for r in event.get("relationships") or ()
        if isinstance(r, dict) and types.get(str(r.get("objectId"))) == object_type
    ]
    for case in dict.fromkeys(cases):
        writer.add(
            case,
            str(event["type"]),
            ts,
            *(_attribute(values, fields[f]) for f in ATTRIBUTES),
            k + 1,
        )
    return bool(cases)


# -- SQLite -----------------------------------------------------------------------------------
def _sqlite(path: Path, name: str, wanted, fields, clock, writer) -> tuple[str, int]:
    if not is_sqlite(path):
        raise problem(
            name,
            "not an SQLite database",
            "an OCEL 2.0 .sqlite file starts with 'SQLite format 3'; check the file is complete",
            "not-ocel",
        )
    uri = f"file:{path.resolve().as_posix()}?mode=ro&immutable=1"
    con = sqlite3.connect(uri, uri=True)
    try:
        return _sqlite_read(con, name, wanted, fields, clock, writer)
    except sqlite3.DatabaseError as exc:
        raise problem(
            name,
            f"cannot read the OCEL tables: {exc}",
            "export OCEL 2.0 SQLite "
            "(tables event, object, event_object, event_map_type, event_<type>)",
            "not-ocel",
        ) from None
    finally:
        con.close()


def _sqlite_read(con, name: str, wanted, fields, clock, writer) -> tuple[str, int]:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in ("event", "object", "event_object", "event_map_type") if t not in tables]
    if missing:
        raise problem(
            name,
            f"not an OCEL 2.0 log: no table {', '.join(missing)}",
            "export OCEL 2.0 SQLite",
            "not-ocel",
        )
    counts = Counter(dict(con.execute("SELECT ocel_type, count(*) FROM object GROUP BY ocel_type")))
    object_type = _pick(name, wanted, counts)
    parts = []
    for event_type, suffix in con.execute("SELECT ocel_type, ocel_type_map FROM event_map_type"):
        table = f"event_{suffix}"
        if table not in tables:
            raise problem(
                name,
                f"event_map_type names table {table!r} for events of type "
                f"{event_type!r}, and the log has no such table",
                "export OCEL 2.0 SQLite again",
                "not-ocel",
            )
        present = {r[1] for r in con.execute(f"PRAGMA table_info({_quote(table)})")}
        picked = []
        for field in ATTRIBUTES:
            column = next((c for c in fields[field] if c in present), None)
            picked.append(f"CAST({_quote(column)} AS TEXT)" if column else "NULL")
        res, rol, grp, life = picked
        parts.append(
            f"SELECT ocel_id AS ocel_id, ocel_time AS ocel_time, {res} AS res, "
            f"{rol} AS rol, {grp} AS grp, {life} AS life, {_literal(table)} AS tbl "
            f"FROM {_quote(table)}"
        )
    if not parts:
        raise problem(
            name,
            "the log declares no event types (event_map_type is empty)",
            "export OCEL 2.0 SQLite again",
            "empty-log",
        )
    query = f"""
        SELECT e.rowid, e.ocel_id, e.ocel_type, t.ocel_time, t.res, t.rol, t.grp, t.life, t.tbl,
               eo.ocel_object_id, o.ocel_type
        FROM event e
        LEFT JOIN ({" UNION ALL ".join(parts)}) AS t ON t.ocel_id = e.ocel_id
        LEFT JOIN event_object eo ON eo.ocel_event_id = e.ocel_id
        LEFT JOIN object o ON o.ocel_id = eo.ocel_object_id AND o.ocel_type = ?
        ORDER BY e.rowid"""
    found: set[str] = set()
    left_out, current = 0, None
    for row in con.execute(query, (object_type,)):
        rowid, event_id, event_type, time, res, rol, grp, life, table, object_id, kind = row
        if rowid != current:
            if current is not None and not found:
                left_out += 1
            current, found = rowid, set()
        if time is None:
            raise problem(
                name,
                f"event {event_id!r} (type {event_type!r}) has no row with its "
                f"time in its event table",
                "export OCEL 2.0 SQLite again",
                "no-time",
            )
        if kind is None or object_id in found:  # another type's object, or named twice
            continue
        found.add(object_id)
        ts = _time(name, clock, time, f"table {table}, event {event_id!r}")
        writer.add(str(object_id), str(event_type), ts, res, rol, grp, life, rowid)
    if current is not None and not found:
        left_out += 1
    return object_type, left_out


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
