"""The engines that run the measures' SQL: embedded DuckDB (the default) and Apache Spark.

Both offer the same calls — read the canonical log, register a small table, materialise a
query as a table, fetch a query's rows as dicts, run jobs that need each other's tables in
their order (DuckDB: several at a time) — so :mod:`flowmap.mining` runs the same SQL on
either. DuckDB works out of core (it spills to a temporary folder when a log exceeds memory);
Spark runs where ``master`` says (``local[2]``, ``spark://host:7077``, ``yarn``...).
"""

from __future__ import annotations

import copy
import os
import re
import threading
from collections.abc import Callable
from typing import Any

from flowmap.errors import UsageError
from flowmap.loaders.logs import cache_dir, connect, quiet

_SEQUENCE = re.compile(r"SEQUENCE\(([\w.]+) ORDER BY ([\w.]+)\)")
# BEFORE(x, k), AFTER(x, k): x of the row k before or after in the same case, in a table
# stored in case order (IN_CASE_ORDER: the ORDER BY that stores a table so).
_BEFORE = re.compile(r"\bBEFORE\((\w+), (\d+)\)")
_AFTER = re.compile(r"\bAFTER\((\w+), (\d+)\)")
_IN_CASE_ORDER = re.compile(r"\bIN_CASE_ORDER\b")
# BIT_SET_SIZE(x): how many distinct values x (a number >= 0) takes modulo 63 in a group.
_BIT_SET_SIZE = re.compile(r"BIT_SET_SIZE\((\w+)\)")
_VARIANT_KEY = re.compile(r"VARIANT_KEY\((\w+), (\w+)\)")
# LAST_KNOWN(x) OVER ...: the last value of x in the window frame that is not null. The
# argument may hold parentheses (a CASE), so the call is found by its closing ") OVER".
_LAST_KNOWN = re.compile(r"LAST_KNOWN\((.*?)\)(\s+OVER)", re.DOTALL)
_SPARK_TYPES = {
    "VARCHAR": "string",
    "BIGINT": "bigint",
    "INTEGER": "int",
    "BOOLEAN": "boolean",
    "DOUBLE": "double",
}


# A job: the names of the jobs it needs done first, and what it does with an engine.
Job = tuple[set[str], Callable[[Any], Any]]


def schedule(jobs: dict[str, Job], call: Callable, workers: int = 1) -> dict[str, Any]:
    """Each job's result, by name: a job is started (``call(what)``, on ``workers`` threads)
    once every job it needs is done; of the jobs that are ready, the first given (a thread
    that comes free takes the first: the order given is the order of priority)."""
    done: dict[str, Any] = {}
    waiting = dict(jobs)
    if workers < 2:
        while waiting:
            name = next((n for n, (needs, _) in waiting.items() if needs <= done.keys()), None)
            if name is None:
                raise ValueError(f"jobs that wait on each other: {', '.join(waiting)}")
            done[name] = call(waiting.pop(name)[1])
        return done
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    with ThreadPoolExecutor(workers) as pool:
        running: dict[Any, str] = {}
        while waiting or running:
            for name, (needs, what) in list(waiting.items()):
                if len(running) < workers and needs <= done.keys():
                    running[pool.submit(call, what)] = name
                    del waiting[name]
            if not running:
                raise ValueError(f"jobs that wait on each other: {', '.join(waiting)}")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                done[running.pop(future)] = future.result()
    return done


class DuckDBEngine:
    name = "duckdb"

    def __init__(
        self,
        threads: int | None = None,
        memory_limit: str | None = None,
        temp_directory: str | None = None,
    ):
        import duckdb

        self._duckdb = duckdb
        # Insertion order is kept: BEFORE/AFTER read a table's rows in the order it is stored.
        # The tables live in the connection's in-memory database (not TEMP, which one
        # connection alone sees), so that other cursors can read them: see run.
        self.con = connect()
        self.threads = int(threads) if threads else (os.cpu_count() or 1)
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            try:
                self.con.execute(f"SET memory_limit = '{memory_limit.replace(chr(39), '')}'")
            except duckdb.Error:
                raise UsageError(
                    f"--memory-limit {memory_limit!r}: write a size such as 4GB or 500MB"
                ) from None
        if not temp_directory:  # where DuckDB spills a log larger than memory
            temp_directory = str(cache_dir() / "spill")
        self.con.execute(f"SET temp_directory = '{temp_directory.replace(chr(39), chr(39) * 2)}'")

    def load(self, parquet: str) -> None:
        self.con.execute(
            "CREATE VIEW log AS SELECT * FROM read_parquet("
            f"'{parquet.replace(chr(39), chr(39) * 2)}')"
        )

    def register(self, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
        # Columns passed as lists and unnested: no pyarrow table (which imports pandas when it
        # is installed, a third of a second for a few hundred rows).
        declared = ", ".join(f"{c} {t}" for c, t in columns)
        self.con.execute(f"CREATE OR REPLACE TABLE {name} ({declared})")
        if rows:
            values = [list(column) for column in zip(*rows, strict=True)]
            unnested = ", ".join(f"unnest(${k + 1})" for k in range(len(columns)))
            self.con.execute(f"INSERT INTO {name} SELECT {unnested}", values)

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TABLE {name} AS {self.dialect(sql)}")

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE VIEW {name} AS {self.dialect(sql)}")

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return self._rows(self.con, sql)

    def run(self, jobs: dict[str, Job]) -> dict[str, Any]:
        """Run jobs (see :func:`schedule`) as many at a time as DuckDB has threads (the
        machine's cores unless ``threads`` says), each on its own cursor.

        The jobs that need no other (the table every other one reads) run first, alone, on
        every thread. The others then run side by side, each query on one thread: a query
        split over threads does more work in all (a hash table per thread, then merged; sorted
        runs, then merged), and many keep one thread anyway (a streaming window), while jobs
        side by side keep every core busy without that."""
        if self.threads < 2:
            return schedule(jobs, lambda job: job(self))
        done = schedule({n: job for n, job in jobs.items() if not job[0]}, lambda job: job(self))
        local = threading.local()
        cursors = []

        def call(job: Callable[[Any], Any]) -> Any:
            if not hasattr(local, "engine"):
                local.engine = copy.copy(self)
                local.engine.con = quiet(self.con.cursor())
                cursors.append(local.engine.con)
            return job(local.engine)

        rest = {n: (needs - done.keys(), job) for n, (needs, job) in jobs.items() if n not in done}
        self.con.execute("SET threads = 1")
        try:
            done.update(schedule(rest, call, self.threads))
        finally:
            self.con.execute(f"SET threads = {self.threads}")
            for cursor in cursors:
                cursor.close()
        return done

    def _rows(self, con, sql: str) -> list[dict[str, Any]]:
        cursor = con.execute(self.dialect(sql))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @staticmethod
    def dialect(sql: str) -> str:
        # A table stored in case order (ORDER BY case_id, n, kept by insertion order): the
        # row k before (after) is of the same case when its case_id is. OVER () reads the
        # rows as stored, as a stream in one thread, with no sort.
        sql = _IN_CASE_ORDER.sub("ORDER BY case_id, n", sql)
        sql = _BEFORE.sub(
            r"CASE WHEN LAG(case_id, \2) OVER () = case_id THEN LAG(\1, \2) OVER () END", sql
        )
        sql = _AFTER.sub(
            r"CASE WHEN LEAD(case_id, \2) OVER () = case_id THEN LEAD(\1, \2) OVER () END", sql
        )
        sql = _VARIANT_KEY.sub(r"sum(hash(\1, \2))", sql)
        sql = _BIT_SET_SIZE.sub(r"bit_count(bit_or(CAST(1 AS BIGINT) << (\1 % 63)))", sql)
        sql = _LAST_KNOWN.sub(r"last_value(\1 IGNORE NULLS)\2", sql)
        return _SEQUENCE.sub(r"string_agg(\1, ' > ' ORDER BY \2)", sql)

    def close(self) -> None:
        self.con.close()


class SparkEngine:
    """Spark SQL through PySpark. One session per process, reused (starting one takes seconds)."""

    name = "spark"
    _session = None

    def __init__(self, master: str | None = None):
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise UsageError(
                "--engine spark needs PySpark: pip install 'flowmap[spark]' "
                "(and a Java runtime, 17 or later)"
            ) from None
        if SparkEngine._session is None:
            builder = (
                SparkSession.builder.appName("flowmap mine")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.ui.enabled", "false")
                .config(
                    "spark.sql.shuffle.partitions",
                    "2" if (master or "local").startswith("local") else "200",
                )
            )
            if master:
                builder = builder.master(master)
            try:
                SparkEngine._session = builder.getOrCreate()
            except Exception as exc:  # noqa: BLE001 -- no Java, or the master cannot be reached
                raise UsageError(
                    f"cannot start Spark ({master or 'default master'}): {str(exc).splitlines()[0]}"
                ) from None
            SparkEngine._session.sparkContext.setLogLevel("ERROR")
        self.spark = SparkEngine._session
        self._views: list[str] = []

    def load(self, parquet: str) -> None:
        self.spark.read.parquet(parquet).createOrReplaceTempView("log")
        self._views.append("log")

    def register(self, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
        # Written into the query as VALUES: the table travels with the plan to every executor,
        # and no Python worker is started to read Python objects (createDataFrame would).
        typed = ", ".join(f"CAST(`{c}` AS {_SPARK_TYPES[t]}) AS `{c}`" for c, t in columns)
        names = ", ".join(f"`{c}`" for c, _ in columns)
        if rows:
            values = ", ".join(
                "(" + ", ".join(_spark_literal(v) for v in row) + ")" for row in rows
            )
            sql = f"SELECT {typed} FROM VALUES {values} AS t({names})"
        else:
            empty = ", ".join(f"CAST(NULL AS {_SPARK_TYPES[t]}) AS `{c}`" for c, t in columns)
            sql = f"SELECT {empty} WHERE false"
        self.spark.sql(sql).createOrReplaceTempView(name)
        self._views.append(name)

    def create(self, name: str, sql: str) -> None:
        frame = self.spark.sql(self.dialect(sql)).cache()
        frame.count()  # materialise now, as DuckDB does
        frame.createOrReplaceTempView(name)
        self._views.append(name)

    def view(self, name: str, sql: str) -> None:
        self.spark.sql(self.dialect(sql)).createOrReplaceTempView(name)
        self._views.append(name)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.spark.sql(self.dialect(sql)).collect()]

    def run(self, jobs: dict[str, Job]) -> dict[str, Any]:
        return schedule(jobs, lambda job: job(self))

    @staticmethod
    def dialect(sql: str) -> str:
        sql = _IN_CASE_ORDER.sub("", sql)  # windows over the case order each row by itself
        sql = _BEFORE.sub(r"LAG(\1, \2) OVER (PARTITION BY case_id ORDER BY n)", sql)
        sql = _AFTER.sub(r"LEAD(\1, \2) OVER (PARTITION BY case_id ORDER BY n)", sql)
        # A sum of 64-bit hashes, exact (no overflow) as a 38-digit decimal.
        sql = _VARIANT_KEY.sub(r"sum(CAST(xxhash64(\1, \2) AS DECIMAL(38, 0)))", sql)
        sql = _BIT_SET_SIZE.sub(r"bit_count(bit_or(shiftleft(CAST(1 AS BIGINT), \1 % 63)))", sql)
        sql = _LAST_KNOWN.sub(r"last_value(\1, true)\2", sql)
        return _SEQUENCE.sub(
            r"array_join(transform(array_sort(collect_list(named_struct('k', \2, 'v', \1))), "
            r"s -> s.v), ' > ')",
            sql,
        )

    def close(self) -> None:
        catalog = self.spark.catalog
        for name in self._views:
            if catalog.tableExists(name):
                self.spark.table(name).unpersist()
            catalog.dropTempView(name)
        self._views = []


def _spark_literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"


def make(engine: str = "duckdb", master: str | None = None, **options):
    if engine == "duckdb":
        if master:
            raise UsageError("--master is for --engine spark")
        return DuckDBEngine(**options)
    if engine == "spark":
        return SparkEngine(master)
    raise UsageError(f"unknown engine {engine!r}: use duckdb or spark")
