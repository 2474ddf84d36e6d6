"""XES (IEEE 1849) logs, plain or gzipped, streamed with lxml's ``iterparse``.

Only one trace is held in memory at a time: each event is turned into a row when its element
ends, and elements are deleted as soon as they are read. The parser is hardened: a document
type declaration (and so any entity) is refused, nothing is fetched from the network, and
text nodes above lxml's limit are refused rather than read.
"""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime
from pathlib import Path

from flowmap.loaders.logs import EventLog, problem

BATCH = 100_000
ATTRIBUTES = frozenset({"string", "date", "int", "float", "boolean", "id", "list", "container"})


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rpartition("}")[2]


class Clock:
    """ISO 8601 text to milliseconds since the epoch (UTC); naive times are in ``zone``."""

    def __init__(self, zone: str):
        from zoneinfo import ZoneInfo

        self.zone = UTC if zone.upper() == "UTC" else ZoneInfo(zone)

    def __call__(self, text: str) -> int:
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return int(moment.timestamp() * 1000)


def convert(path: Path, target: Path, columns, kind: str = "xes") -> EventLog:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from lxml import etree

    name = str(path)
    keys = {
        "activity": columns.activity or "concept:name",
        "timestamp": columns.timestamp or "time:timestamp",
        "resource": columns.resource or "org:resource",
        "role": columns.role or "org:role",
        "group": columns.group or "org:group",
        "lifecycle": columns.lifecycle or "lifecycle:transition",
    }
    case_key = columns.case_id or "concept:name"
    case_key = case_key.removeprefix("case:")
    clock = Clock(columns.timezone)
    schema = pa.schema(
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
    batch: dict[str, list] = {c: [] for c in schema.names}
    events = cases = empty = 0
    seen_log = False
    writer = pq.ParquetWriter(str(target), schema, compression="zstd")

    def flush() -> None:
        if batch["case_id"]:
            writer.write_table(pa.table(batch, schema=schema))
            for values in batch.values():
                values.clear()

    opener = gzip.open if name.lower().endswith(".gz") else open
    trace_rows: list[tuple] = []
    trace_attrs: dict[str, str] = {}
    try:
        with opener(path, "rb") as handle:
            context = etree.iterparse(
                handle,
                events=("start", "end"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
                remove_comments=True,
                remove_pis=True,
            )
            for action, elem in context:
                if not seen_log:
                    seen_log = True
                    if elem.getroottree().docinfo.doctype:
                        raise problem(
                            name,
                            "the log declares a document type (DOCTYPE); "
                            "flowmap refuses it (entities can expand without limit)",
                            "remove the <!DOCTYPE ...> declaration",
                            "doctype",
                            elem.sourceline or 1,
                        )
                    if _local(elem.tag) != "log":
                        raise problem(
                            name,
                            f"not an XES log: the root element is <{_local(elem.tag)}>, not <log>",
                            "export the log as XES, or pass a .csv or .parquet file",
                            "not-xes",
                            elem.sourceline or 1,
                        )
                if action == "start":
                    if _local(elem.tag) == "trace":
                        trace_rows, trace_attrs = [], {}
                    continue
                tag = _local(elem.tag)
                parent = elem.getparent()
                parent_tag = _local(parent.tag) if parent is not None else ""
                if tag == "event" and parent_tag == "trace":
                    attrs = {
                        c.get("key"): c.get("value") for c in elem if _local(c.tag) in ATTRIBUTES
                    }
                    trace_rows.append((attrs, elem.sourceline or 0))
                    parent.remove(elem)
                elif tag in ATTRIBUTES and parent_tag == "trace":
                    trace_attrs[elem.get("key")] = elem.get("value")
                elif tag == "trace":
                    line = elem.sourceline or 0
                    if not trace_rows:
                        empty += 1
                    else:
                        case = trace_attrs.get(case_key)
                        for attrs, event_line in trace_rows:
                            value = case if case is not None else attrs.get(case_key)
                            if value is None or value == "":
                                raise problem(
                                    name,
                                    f"the trace has no case id ({case_key!r})",
                                    "give every <trace> a "
                                    "concept:name, or name the case attribute "
                                    "with --case",
                                    "no-case-id",
                                    line,
                                )
                            _row(batch, name, value, attrs, keys, clock, event_line)
                        cases += 1
                        events += len(trace_rows)
                        if len(batch["case_id"]) >= BATCH:
                            flush()
                    trace_rows, trace_attrs = [], {}
                    if parent is not None:
                        parent.remove(elem)
                elif parent_tag == "log":
                    parent.remove(elem)  # extensions, globals, classifiers, log attributes
    except etree.XMLSyntaxError as exc:
        writer.close()
        line, column = exc.position if getattr(exc, "position", None) else (exc.lineno, 0)
        raise problem(
            name,
            f"not well-formed XML: {exc.msg}",
            "the file is damaged or not XES; check it was exported completely",
            "xml-syntax",
            line or 0,
            column or 0,
        ) from None
    except (OSError, EOFError, zlib.error) as exc:
        writer.close()
        raise problem(
            name,
            f"cannot read the file: {exc}",
            "a .xes.gz file must be a complete gzip archive",
            "unreadable",
        ) from None
    except BaseException:
        writer.close()
        raise
    if not seen_log:
        writer.close()
        raise problem(name, "the file is empty", "export the log again", "empty-log")
    flush()
    writer.close()
    if not events:
        raise problem(
            name,
            "the log has no events",
            "a log needs at least one <trace> with <event> elements",
            "empty-log",
        )
    warnings = []
    if empty:
        from flowmap.errors import Location, Problem

        warnings.append(
            Problem(
                Location(name),
                f"{empty} trace{'s' if empty != 1 else ''} without events skipped",
                "",
                "empty-case",
                severity="warning",
            )
        )
    return EventLog(
        name, str(target), events, cases, "xes", {"case_id": f"trace {case_key}", **keys}, warnings
    )


def _row(batch, name, case, attrs, keys, clock, line) -> None:
    activity = attrs.get(keys["activity"])
    if activity is None or activity == "":
        raise problem(
            name,
            f"the event has no activity ({keys['activity']!r})",
            "give every event a concept:name, or name the activity attribute with --activity",
            "no-activity",
            line,
        )
    stamp = attrs.get(keys["timestamp"])
    if stamp is None:
        raise problem(
            name,
            f"the event has no timestamp ({keys['timestamp']!r})",
            "give every event a time:timestamp, or name it with --timestamp",
            "no-timestamp",
            line,
        )
    try:
        ms = clock(stamp)
    except (ValueError, OverflowError):
        raise problem(
            name,
            f"{keys['timestamp']} {stamp!r} is not a date and time",
            "XES dates are ISO 8601, e.g. 2011-10-11T13:45:40.276+02:00",
            "bad-timestamp",
            line,
        ) from None
    batch["case_id"].append(case)
    batch["activity"].append(activity)
    batch["ts"].append(ms)
    batch["resource"].append(attrs.get(keys["resource"]))
    batch["role"].append(attrs.get(keys["role"]))
    batch["grp"].append(attrs.get(keys["group"]))
    batch["lifecycle"].append(attrs.get(keys["lifecycle"]))
    batch["line"].append(line)
