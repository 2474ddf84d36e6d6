"""Event logs in: XES (``.xes``, ``.xes.gz``), CSV, Parquet and OCEL 2.0 (JSON, SQLite), read
once into a Parquet cache.

Every reader writes the same table, the *canonical log*, one row per event:

=============  ========  ==============================================================
column         type      meaning
=============  ========  ==============================================================
``case_id``    string    the case (XES trace ``concept:name``; CSV ``case:concept:name``)
``activity``   string    what was done (``concept:name``)
``ts``         int64     when, in milliseconds since 1970-01-01 UTC (``time:timestamp``)
``resource``   string    who did it (``org:resource``), or null
``role``       string    the role the log names (``org:role``), or null
``grp``        string    the group the log names (``org:group``), or null
``lifecycle``  string    ``lifecycle:transition`` (start, complete, ...), or null
``line``       int64     where the event was written (XES: line; CSV: line; Parquet: row)
``case_no``    int64     a number for the case (0, 1, 2...): the measures order and group
                         the events by it, which is faster than by the case's text
``n``          int32     the event's position in its case (1, 2, ...), by time, then line
``act``        int32     a number for the (activity, lifecycle) pair
``actor``      int32     a number for the (resource, role, group) triple
``prev_ts``    int64     ``ts`` of the event before in the case (null for the first)
``next_ts``    int64     ``ts`` of the event after in the case (null for the last)
``prev_act``   int32     ``act`` of the event before in the case (null for the first)
``prev_actor`` int32     ``actor`` of the event before in the case (null for the first)
=============  ========  ==============================================================

The rows are stored in the order of ``case_no`` and ``n``, and each event carries what every
mining run needs of its neighbours in the case (the ``prev_``/``next_`` columns): they are
computed once, in the ordering the conversion makes anyway, so that a run reads them instead of
ordering the log again. The integer codes let an engine compare and group events without
their text.

Timestamps are integers so that every engine (DuckDB, Spark) does the same arithmetic on them.
The cache file is named after a hash of the log's content and of the column mapping, so a log
is converted once, and converted again only when it or the mapping changes.

Bad logs raise :class:`~flowmap.errors.LoadError` naming the file, the line (and column, for
CSV) and what to do; readers never load a whole log into memory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from flowmap.errors import LoadError, Location, Problem
from flowmap.files import kind_of

READER_VERSION = "6"  # bump when the canonical table changes: old cache files are not reused
LOG_SUFFIXES = (
    ".xes",
    ".xes.gz",
    ".csv",
    ".csv.gz",
    ".parquet",
    ".jsonocel",
    ".json",
    ".sqlite",
    ".sqlite3",
)
COLUMNS = (
    "case_id",
    "activity",
    "ts",
    "resource",
    "role",
    "grp",
    "lifecycle",
    "line",
    "case_no",
    "n",
    "act",
    "actor",
    "prev_ts",
    "next_ts",
    "prev_act",
    "prev_actor",
)

# The names XES gives each attribute; CSV exports (PM4Py, ProM, Disco) use the same ones.
XES_KEYS = {
    "case_id": "case:concept:name",
    "activity": "concept:name",
    "timestamp": "time:timestamp",
    "resource": "org:resource",
    "role": "org:role",
    "group": "org:group",
    "lifecycle": "lifecycle:transition",
}
# Other common spellings in CSV headers, tried (case-insensitively) after the XES names.
ALIASES = {
    "case_id": ("case_id", "case id", "caseid", "case", "case:id", "case_concept_name"),
    "activity": ("activity", "activity_name", "event", "task", "concept_name"),
    "timestamp": ("timestamp", "time", "time_timestamp", "start_timestamp", "datetime", "date"),
    "resource": ("resource", "org_resource", "user", "performer", "agent"),
    "role": ("role", "org_role"),
    "group": ("group", "org_group", "team", "department"),
    "lifecycle": ("lifecycle", "transition", "lifecycle_transition", "event_type"),
}
REQUIRED = ("case_id", "activity", "timestamp")
# DuckDB's memory while a converted log is ordered and numbered (it spills beyond it).
CONVERT_MEMORY = "2GB"
# How the cached log is written: Parquet 2's encodings (the times and numbers as deltas) and
# LZ4 read a fifth faster than Parquet 1 with zstd, in about the same size (30 MB for the
# 1.6M-event log); Spark reads them too.
CACHE_FORMAT = "FORMAT parquet, COMPRESSION lz4_raw, PARQUET_VERSION V2"


@dataclass(frozen=True)
class Columns:
    """Which column (CSV, Parquet) or attribute key (XES) holds each field; None: detect it.

    ``timestamp_format`` is a strftime pattern (e.g. ``%d-%m-%Y %H:%M``) for timestamps that
    are not ISO 8601; ``timezone`` is the zone of timestamps written without an offset;
    ``object_type`` is the case notion of an OCEL 2.0 log (:mod:`flowmap.loaders.logs.ocel`).
    """

    case_id: str | None = None
    activity: str | None = None
    timestamp: str | None = None
    resource: str | None = None
    role: str | None = None
    group: str | None = None
    lifecycle: str | None = None
    timestamp_format: str | None = None
    timezone: str = "UTC"
    object_type: str | None = None  # OCEL 2.0: the object type whose objects are the cases

    def key(self) -> str:
        return repr(sorted(vars(self).items()))


@dataclass
class EventLog:
    """A log read into the canonical Parquet table."""

    source: str  # the file the user named
    parquet: str  # the canonical table (in the cache)
    events: int
    cases: int
    format: str  # xes, csv, parquet, ocel-json, ocel-sqlite
    columns: dict[str, str] = field(default_factory=dict)  # field -> source column used
    warnings: list[Problem] = field(default_factory=list)
    cached: bool = False  # read from the cache, not converted now
    # The numbers of the canonical table, kept beside it so that a run need not read the log
    # for them: (act, activity, lifecycle) and (actor, resource, role, group, events).
    acts: list[tuple] | None = None
    actors: list[tuple] | None = None


def is_log_file(path: Path) -> bool:
    return path.name.lower().endswith(LOG_SUFFIXES)


def cache_dir() -> Path:
    """Where converted logs are kept: ``$FLOWMAP_CACHE_DIR``, else the user's cache folder."""
    if os.environ.get("FLOWMAP_CACHE_DIR"):
        return Path(os.environ["FLOWMAP_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "flowmap" / "logs"


def connect():
    """A DuckDB connection that writes nothing to standard output. DuckDB's progress bar, on by
    default, shows once a query has run two seconds, even when the output is a pipe: in the
    middle of the JSON a user pipes. A cursor is a session of its own: :func:`quiet` it too."""
    import duckdb

    return quiet(duckdb.connect())


def quiet(con):
    """``con`` (a DuckDB connection or cursor) without its progress bar."""
    con.execute("SET enable_progress_bar = false")
    return con


def content_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_log(
    path: str | os.PathLike,
    columns: Columns | None = None,
    *,
    cache: str | os.PathLike | None = None,
) -> EventLog:
    """Read an event log into the canonical Parquet table (converting it once, then cached)."""
    columns = columns or Columns()
    path = Path(path)
    name = str(path)
    if not path.is_file():
        try:
            what = f"{kind_of(path.stat().st_mode)}, not a log file"
        except OSError:
            what = "no such log file"
        raise LoadError(
            name,
            [
                Problem(
                    Location(name),
                    what,
                    "name an .xes, .xes.gz, .csv, .parquet, OCEL 2.0 "
                    ".jsonocel/.json or .sqlite file",
                    "not-found",
                )
            ],
        )
    lower = path.name.lower()
    if lower.endswith((".xes", ".xes.gz")):
        kind = "xes"
    elif lower.endswith((".csv", ".csv.gz")):
        kind = "csv"
    elif lower.endswith(".parquet"):
        kind = "parquet"
    elif lower.endswith((".jsonocel", ".json")):
        kind = "ocel-json"
    elif lower.endswith((".sqlite", ".sqlite3")):
        kind = "ocel-sqlite"
    else:
        raise LoadError(
            name,
            [
                Problem(
                    Location(name),
                    "not an event log this version reads",
                    "flowmap reads .xes, .xes.gz, .csv, .parquet and OCEL "
                    "2.0 (.jsonocel, .json, .sqlite) logs",
                    "unknown-format",
                )
            ],
        )
    if columns.object_type and not kind.startswith("ocel"):
        raise LoadError(
            name,
            [
                Problem(
                    Location(name),
                    "--object-type is for OCEL 2.0 logs",
                    "a case-centric log has its cases already; use --case to name the case column",
                    "object-type",
                )
            ],
        )
    folder = Path(cache) if cache else cache_dir()
    key = hashlib.blake2b(
        f"{READER_VERSION}|{kind}|{columns.key()}|{content_hash(path)}".encode(), digest_size=16
    ).hexdigest()
    target = folder / f"{key}.parquet"
    meta = folder / f"{key}.meta"
    if target.is_file() and meta.is_file():
        return _from_cache(name, target, meta, kind)
    folder.mkdir(parents=True, exist_ok=True)
    _check_space(path, folder)
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    numbered = folder / f".{key}.{os.getpid()}.numbered.tmp"
    try:
        if kind == "xes":
            from flowmap.loaders.logs.xes import convert
        elif kind.startswith("ocel"):
            from flowmap.loaders.logs.ocel import convert
        else:
            from flowmap.loaders.logs.table import convert
        log = convert(path, tmp, columns, kind)
        log.acts, log.actors = _number_cases(tmp, numbered, folder)
        os.replace(numbered, target)
    finally:
        for leftover in (tmp, numbered):
            if leftover.exists():
                leftover.unlink()
    log.parquet = str(target)
    _write_meta(meta, log)
    return log


def _number_cases(source: Path, target: Path, folder: Path) -> tuple[list[tuple], list[tuple]]:
    """Add ``case_no``, ``n``, ``act`` and ``actor`` to a reader's table (one number per
    distinct case id, activity/lifecycle pair and resource/role/group triple) and the time,
    act and actor of each event's neighbours in its case (from the same ordering: one sort),
    and store the rows ordered by case and position, once, so that mining never sorts the log
    again. Returns the numbered pairs (act, activity, lifecycle) and triples (actor, resource,
    role, group, events)."""
    quoted = [str(p).replace("'", "''") for p in (source, target, folder / "spill")]
    con = connect()
    try:
        # Ordering a log larger than memory spills to the cache folder instead of growing.
        con.execute(f"SET memory_limit = '{CONVERT_MEMORY}'")
        con.execute(f"SET temp_directory = '{quoted[2]}'")
        con.execute(f"CREATE VIEW l AS SELECT * FROM read_parquet('{quoted[0]}')")
        con.execute("""CREATE TABLE a AS
            SELECT activity, lifecycle, CAST(row_number() OVER () - 1 AS INTEGER) AS act
            FROM (SELECT DISTINCT activity, lifecycle FROM l) d""")
        con.execute("""CREATE TABLE r AS
            SELECT resource, role, grp, events,
                   CAST(row_number() OVER () - 1 AS INTEGER) AS actor
            FROM (SELECT resource, role, grp, count(*) AS events FROM l
                  GROUP BY resource, role, grp) d""")
        con.execute(f"""COPY (
            WITH c AS (SELECT case_id, CAST(row_number() OVER () - 1 AS BIGINT) AS case_no
                       FROM (SELECT DISTINCT case_id FROM l) d)
            SELECT l.*, c.case_no, CAST(row_number() OVER w AS INTEGER) AS n, a.act, r.actor,
                   LAG(l.ts) OVER w AS prev_ts, LEAD(l.ts) OVER w AS next_ts,
                   LAG(a.act) OVER w AS prev_act, LAG(r.actor) OVER w AS prev_actor
            FROM l JOIN c USING (case_id)
            JOIN a ON l.activity IS NOT DISTINCT FROM a.activity
                  AND l.lifecycle IS NOT DISTINCT FROM a.lifecycle
            JOIN r ON l.resource IS NOT DISTINCT FROM r.resource
                  AND l.role IS NOT DISTINCT FROM r.role AND l.grp IS NOT DISTINCT FROM r.grp
            WINDOW w AS (PARTITION BY c.case_no ORDER BY l.ts, l.line)
            ORDER BY case_no, n)
            TO '{quoted[1]}' ({CACHE_FORMAT})""")
        acts = con.execute("SELECT act, activity, lifecycle FROM a ORDER BY act").fetchall()
        actors = con.execute(
            "SELECT actor, resource, role, grp, events FROM r ORDER BY actor"
        ).fetchall()
    finally:
        con.close()
    return acts, actors


def _check_space(path: Path, folder: Path) -> None:
    free = shutil.disk_usage(folder).free
    if free < path.stat().st_size // 2:
        name = str(path)
        raise LoadError(
            name,
            [
                Problem(
                    Location(name),
                    f"not enough disk space in {folder} to convert this log "
                    f"({free // 2**20} MiB free)",
                    "free some space or point FLOWMAP_CACHE_DIR (or --cache) at a larger disk",
                    "no-space",
                )
            ],
        )


def _write_meta(meta: Path, log: EventLog) -> None:
    import json

    from flowmap.files import write_atomic

    write_atomic(
        meta,
        json.dumps(
            {
                "events": log.events,
                "cases": log.cases,
                "columns": log.columns,
                "warnings": [p.as_dict() for p in log.warnings],
                "acts": log.acts,
                "actors": log.actors,
            }
        ),
    )


def _from_cache(name: str, target: Path, meta: Path, kind: str) -> EventLog:
    import json

    data = json.loads(meta.read_text(encoding="utf-8"))
    warnings = [
        Problem(
            Location(w["path"], w["line"], w["column"]),
            w["message"],
            w["hint"],
            w["code"],
            severity=w["severity"],
        )
        for w in data.get("warnings", [])
    ]
    return EventLog(
        name,
        str(target),
        data["events"],
        data["cases"],
        kind,
        data["columns"],
        warnings,
        cached=True,
        acts=[tuple(row) for row in data["acts"]],
        actors=[tuple(row) for row in data["actors"]],
    )


def problem(
    path: str, message: str, hint: str = "", code: str = "bad-log", line: int = 0, column: int = 0
) -> LoadError:
    """A LoadError with one problem (readers raise it for a log they cannot use)."""
    return LoadError(path, [Problem(Location(path, line, column), message, hint, code)])
