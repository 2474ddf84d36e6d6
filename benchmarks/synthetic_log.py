"""Synthetic event logs shaped like BPI Challenge 2019 (purchase-order handling), for benchmarks.

BPI Challenge 2019 has about 1.6 million events in 251,734 cases (about 6.4 events a case), 42
activities and some 600 resources. This generator writes a Parquet log of the same shape —
``scale`` 1: 250,000 cases and about 1.6M events; ``scale`` 10: ten times that — with 600
people in four functions, each with a chain of command (clerks, team leads, managers, a head),
and an organisation file whose people table maps them to their roles. Routes include direct
handoffs, chimneys (a clerk escalates to a manager who crosses to another function's manager,
who passes it down), ping-pong between purchasing and accounts payable, and rework.

    python benchmarks/synthetic_log.py OUT_DIR [--scale 1] [--seed 7]

Deterministic for a seed. Uses numpy (a benchmark-only dependency, installed with pandas by
the PM4Py peer).
"""

from __future__ import annotations

import argparse
from datetime import UTC
from pathlib import Path

FUNCTIONS = {  # function -> (kind, people per level 1..4)
    "purchasing": ("procurement", (150, 20, 5, 1)),
    "warehouse": ("logistics", (140, 18, 4, 1)),
    "payables": ("finance", (160, 20, 5, 1)),
    "service": ("service", (65, 8, 2, 1)),
}
LEVEL_ROLES = {1: "clerk", 2: "lead", 3: "manager", 4: "head"}
MINUTE = 60_000

# Routes: (share of cases, [(activity, function, level, mean minutes before it)...]).
ROUTES = [
    (
        0.34,
        [
            ("Create Purchase Requisition Item", "purchasing", 1, 0),
            ("Create Purchase Order Item", "purchasing", 1, 240),
            ("Print and Send Purchase Order", "purchasing", 1, 60),
            ("Receive Order Confirmation", "purchasing", 1, 1440),
            ("Record Goods Receipt", "warehouse", 1, 7200),
            ("Record Invoice Receipt", "payables", 1, 2880),
            ("Clear Invoice", "payables", 1, 10080),
        ],
    ),
    (
        0.16,
        [
            ("Create Purchase Order Item", "purchasing", 1, 0),
            ("Print and Send Purchase Order", "purchasing", 1, 60),
            ("Vendor creates invoice", "payables", 1, 4320),
            ("Record Goods Receipt", "warehouse", 1, 1440),
            ("Record Invoice Receipt", "payables", 1, 1440),
            ("Remove Payment Block", "payables", 2, 4320),
            ("Clear Invoice", "payables", 1, 7200),
        ],
    ),
    (
        0.12,
        [
            ("Create Purchase Order Item", "purchasing", 1, 0),  # a chimney to payables
            ("Approve Purchase Order", "purchasing", 3, 2880),
            ("Check Budget", "payables", 3, 1440),
            ("Record Invoice Receipt", "payables", 1, 2880),
            ("Record Goods Receipt", "warehouse", 1, 1440),
            ("Clear Invoice", "payables", 1, 7200),
        ],
    ),
    (
        0.10,
        [
            ("Create Purchase Order Item", "purchasing", 1, 0),  # ping-pong on the price
            ("Record Invoice Receipt", "payables", 1, 4320),
            ("Change Price", "purchasing", 1, 1440),
            ("Record Invoice Receipt", "payables", 1, 1440),
            ("Change Price", "purchasing", 1, 1440),
            ("Record Goods Receipt", "warehouse", 1, 2880),
            ("Clear Invoice", "payables", 1, 7200),
        ],
    ),
    (
        0.10,
        [
            ("Create Purchase Order Item", "purchasing", 1, 0),  # rework on the quantity
            ("Change Quantity", "purchasing", 1, 600),
            ("Change Quantity", "purchasing", 1, 600),
            ("Record Goods Receipt", "warehouse", 1, 7200),
            ("Record Invoice Receipt", "payables", 1, 2880),
            ("Clear Invoice", "payables", 1, 10080),
        ],
    ),
    (
        0.08,
        [
            ("Create Purchase Order Item", "purchasing", 1, 0),  # a late, wrong delivery
            ("Record Goods Receipt", "warehouse", 1, 7200),
            ("Wrong Goods Received", "warehouse", 1, 60),
            ("Escalate Delivery", "warehouse", 2, 1440),
            ("Handle Vendor Complaint", "service", 1, 2880),
        ],
    ),
    (
        0.06,
        [
            ("Create Purchase Order Item", "purchasing", 1, 0),  # climbs to the heads
            ("Approve Purchase Order", "purchasing", 3, 2880),
            ("Approve Exception", "purchasing", 4, 4320),
            ("Release Exception", "payables", 4, 2880),
            ("Check Budget", "payables", 3, 1440),
            ("Record Invoice Receipt", "payables", 1, 1440),
            ("Clear Invoice", "payables", 1, 7200),
        ],
    ),
    (
        0.04,
        [
            ("Create Purchase Order Item", "purchasing", 1, 0),
            ("Delete Purchase Order Item", "purchasing", 1, 4320),
        ],
    ),
]


def organisation_yaml(people: list[tuple[str, str]]) -> str:
    lines = [
        "flowmap: 1",
        "",
        "organisation:",
        "  id: synthetic",
        "  name: Synthetic buyer",
        "  functions:",
    ]
    for function, (kind, _) in FUNCTIONS.items():
        lines += [f"    - id: {function}", f"      kind: {kind}", "      roles:"]
        for level in (1, 2, 3, 4):
            role = LEVEL_ROLES[level]
            boss = f", reports_to: {LEVEL_ROLES[level + 1]}" if level < 4 else ""
            lines.append(f"        - {{id: {role}, level: {level}{boss}}}")
    lines.append("  people:")
    lines += [f"    - {{name: {name}, id: {name}, role: {role}}}" for name, role in people]
    return "\n".join(lines) + "\n"


def generate(out: Path, scale: int = 1, seed: int = 7) -> tuple[Path, Path]:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    log_path = out / f"bpic2019-like-x{scale}.parquet"
    org_path = out / "bpic2019-like.org.yaml"
    people, pools = [], {}
    for function, (_, counts) in FUNCTIONS.items():
        for level, count in zip((1, 2, 3, 4), counts, strict=True):
            names = [f"user_{len(people) + i:03d}" for i in range(count)]
            people += [(n, f"{function}.{LEVEL_ROLES[level]}") for n in names]
            pools[(function, level)] = np.array(names, dtype=object)
    org_path.write_text(organisation_yaml(people), encoding="utf-8")

    cases = 250_000 * scale
    route_of = rng.choice(len(ROUTES), size=cases, p=[r[0] for r in ROUTES])
    year_ms = 365 * 24 * 60 * MINUTE
    start = np.int64(1_514_764_800_000)  # 2018-01-01 UTC
    schema = pa.schema(
        [
            ("case:concept:name", pa.string()),
            ("concept:name", pa.string()),
            ("time:timestamp", pa.timestamp("ms", tz="UTC")),
            ("org:resource", pa.string()),
        ]
    )
    writer = pq.ParquetWriter(str(log_path), schema, compression="zstd")
    events = 0
    try:
        for index, (_, steps) in enumerate(ROUTES):
            ids = np.flatnonzero(route_of == index)
            n = len(ids)
            if not n:
                continue
            case_names = np.char.add("case-", np.char.zfill(ids.astype(str), 8)).astype(object)
            clock = start + rng.integers(0, year_ms, size=n, dtype=np.int64)
            columns = {name: [] for name in schema.names}
            for activity, function, level, mean in steps:
                clock = clock + (
                    rng.exponential(mean * MINUTE, size=n).astype(np.int64) if mean else 0
                )
                pool = pools[(function, level)]
                columns["case:concept:name"].append(case_names)
                columns["concept:name"].append(np.full(n, activity, dtype=object))
                columns["time:timestamp"].append(clock)
                columns["org:resource"].append(pool[rng.integers(0, len(pool), size=n)])
            table = pa.table(
                {
                    "case:concept:name": pa.array(np.concatenate(columns["case:concept:name"])),
                    "concept:name": pa.array(np.concatenate(columns["concept:name"])),
                    "time:timestamp": pa.array(
                        np.concatenate(columns["time:timestamp"]), type=pa.timestamp("ms", tz="UTC")
                    ),
                    "org:resource": pa.array(np.concatenate(columns["org:resource"])),
                },
                schema=schema,
            )
            writer.write_table(table, row_group_size=1_000_000)
            events += table.num_rows
    finally:
        writer.close()
    return log_path, org_path


def write_xes(source: Path, target: Path, size: int) -> Path:
    """Write the events of a synthetic Parquet log as XES, trace by trace, until the file
    reaches ``size`` bytes (the 2 GB-file test of the benchmark). Streams: holds one batch of
    cases at a time."""
    import duckdb

    con = duckdb.connect()
    quoted = str(source).replace("'", "''")
    cursor = con.execute(
        'SELECT "case:concept:name", "concept:name", epoch_ms("time:timestamp"), '
        f"\"org:resource\" FROM read_parquet('{quoted}') "
        'ORDER BY "case:concept:name", "time:timestamp"'
    )
    written = 0
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n')
        current = None
        while written < size:
            rows = cursor.fetchmany(100_000)
            if not rows:
                break
            parts = []
            for case, activity, ms, resource in rows:
                if case != current:
                    if current is not None:
                        parts.append("\t</trace>\n")
                    parts.append(f'\t<trace>\n\t\t<string key="concept:name" value="{case}"/>\n')
                    current = case
                stamp = f"{ms // 1000}"
                parts.append(
                    f'\t\t<event>\n\t\t\t<string key="concept:name" value="{activity}"/>\n'
                    f'\t\t\t<string key="org:resource" value="{resource}"/>\n'
                    f'\t\t\t<string key="lifecycle:transition" value="complete"/>\n'
                    f'\t\t\t<date key="time:timestamp" value="{_iso(int(stamp))}"/>\n'
                    "\t\t</event>\n"
                )
            text = "".join(parts)
            out.write(text)
            written += len(text)
        if current is not None:
            out.write("\t</trace>\n")
        out.write("</log>\n")
    con.close()
    tmp.replace(target)
    return target


def _iso(seconds: int) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    log, org = generate(args.out, args.scale, args.seed)
    print(f"wrote {log} and {org}")


if __name__ == "__main__":
    main()
