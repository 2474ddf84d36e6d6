"""Comparing the engines: the measures two mining runs disagree on, and a small log pooled
from the first cases of many, to compare them on at the cost of one run (used by
``test_spark.py``; ``benchmarks/spark_agreement.py`` compares whole logs)."""

from __future__ import annotations

from pathlib import Path

from flowmap.loaders.logs import read_log
from flowmap.mining import Mining


def normalised(rows):
    """Rows as sorted tuples, floats to 6 decimals (the engines may order ties differently)."""
    return sorted(
        (
            tuple(sorted((k, round(v, 6) if isinstance(v, float) else v) for k, v in row.items()))
            for row in rows
        ),
        key=repr,
    )


def differences(one: Mining, other: Mining) -> list[str]:
    """The names of the measures whose rows differ between two runs (empty: they agree)."""
    names = sorted(set(one.measures) | set(other.measures))
    return [
        name
        for name in names
        if normalised(one.measures.get(name, [])) != normalised(other.measures.get(name, []))
    ]


def pooled_sample(logs: list[Path], target: Path, cases: int = 40) -> Path:
    """One Parquet log of the first ``cases`` cases (by case id) of each log, their ids
    prefixed with the log's number, each case's events in their order."""
    import duckdb

    parts = []
    for number, path in enumerate(logs):
        source = "read_parquet('" + read_log(path).parquet.replace("'", "''") + "')"
        parts.append(f"""
            SELECT '{number}:' || case_id AS "case:concept:name", activity AS "concept:name",
                   CAST(epoch_ms(ts) AS TIMESTAMPTZ) AS "time:timestamp",
                   resource AS "org:resource", role AS "org:role", grp AS "org:group",
                   lifecycle AS "lifecycle:transition", {number} AS log, case_no, n
            FROM {source} WHERE case_id IN (
                SELECT DISTINCT case_id FROM {source} ORDER BY case_id LIMIT {cases})""")
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"""COPY (SELECT * EXCLUDE (log, case_no, n) FROM ({" UNION ALL ".join(parts)})
                        ORDER BY log, case_no, n)
                        TO '{str(target).replace("'", "''")}' (FORMAT parquet)""")
    finally:
        con.close()
    return target
