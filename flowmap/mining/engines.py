"""The engines that run the measures' SQL: embedded DuckDB (the default) and Apache Spark.

Both offer the same four calls — read the canonical log, register a small table, materialise a
query as a table, fetch a query's rows as dicts — so :mod:`flowmap.mining` runs the same SQL on
either. DuckDB works out of core (it spills to a temporary folder when a log exceeds memory);
Spark runs where ``master`` says (``local[2]``, ``spark://host:7077``, ``yarn``...).
"""

from __future__ import annotations

import re
from typing import Any

from flowmap.errors import UsageError

_SEQUENCE = re.compile(r"SEQUENCE\((\w+) ORDER BY (\w+)\)")
_SPARK_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "BOOLEAN": "boolean",
                "DOUBLE": "double"}


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, threads: int | None = None, memory_limit: str | None = None,
                 temp_directory: str | None = None):
        import duckdb

        self._duckdb = duckdb
        self.con = duckdb.connect(config={"preserve_insertion_order": False})
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            try:
                self.con.execute(f"SET memory_limit = '{memory_limit.replace(chr(39), '')}'")
            except duckdb.Error:
                raise UsageError(f"--memory-limit {memory_limit!r}: write a size such as "
                                 "4GB or 500MB") from None
        if not temp_directory:  # where DuckDB spills a log larger than memory
            from flowmap.loaders.logs import cache_dir

            temp_directory = str(cache_dir() / "spill")
        self.con.execute(f"SET temp_directory = '{temp_directory.replace(chr(39), chr(39) * 2)}'")

    def load(self, parquet: str) -> None:
        self.con.execute("CREATE VIEW log AS SELECT * FROM read_parquet("
                         f"'{parquet.replace(chr(39), chr(39) * 2)}')")

    def register(self, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
        import pyarrow as pa

        types = {"VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int32(),
                 "BOOLEAN": pa.bool_(), "DOUBLE": pa.float64()}
        schema = pa.schema([(c, types[t]) for c, t in columns])
        table = pa.Table.from_pylist([dict(zip([c for c, _ in columns], r, strict=True)) for r in rows],
                                     schema=schema)
        self.con.register(f"_{name}_arrow", table)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _{name}_arrow")
        self.con.unregister(f"_{name}_arrow")

    def create(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {self.dialect(sql)}")

    def rows(self, sql: str) -> list[dict[str, Any]]:
        cursor = self.con.execute(self.dialect(sql))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @staticmethod
    def dialect(sql: str) -> str:
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
            raise UsageError("--engine spark needs PySpark: pip install 'flowmap[spark]' "
                             "(and a Java runtime, 17 or later)") from None
        if SparkEngine._session is None:
            builder = (SparkSession.builder.appName("flowmap mine")
                       .config("spark.sql.session.timeZone", "UTC")
                       .config("spark.ui.showConsoleProgress", "false")
                       .config("spark.ui.enabled", "false")
                       .config("spark.sql.shuffle.partitions",
                               "2" if (master or "local").startswith("local") else "200"))
            if master:
                builder = builder.master(master)
            try:
                SparkEngine._session = builder.getOrCreate()
            except Exception as exc:  # noqa: BLE001 -- no Java, or the master cannot be reached
                raise UsageError(f"cannot start Spark ({master or 'default master'}): "
                                 f"{str(exc).splitlines()[0]}") from None
            SparkEngine._session.sparkContext.setLogLevel("ERROR")
        self.spark = SparkEngine._session
        self._views: list[str] = []

    def load(self, parquet: str) -> None:
        self.spark.read.parquet(parquet).createOrReplaceTempView("log")
        self._views.append("log")

    def register(self, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
        schema = ", ".join(f"`{c}` {_SPARK_TYPES[t]}" for c, t in columns)
        frame = self.spark.createDataFrame([tuple(r) for r in rows], schema)
        frame.createOrReplaceTempView(name)
        self._views.append(name)

    def create(self, name: str, sql: str) -> None:
        frame = self.spark.sql(self.dialect(sql)).cache()
        frame.count()  # materialise now, as DuckDB does
        frame.createOrReplaceTempView(name)
        self._views.append(name)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.spark.sql(self.dialect(sql)).collect()]

    @staticmethod
    def dialect(sql: str) -> str:
        return _SEQUENCE.sub(
            r"array_join(transform(array_sort(collect_list(named_struct('k', \2, 'v', \1))), "
            r"s -> s.v), ' > ')", sql)

    def close(self) -> None:
        catalog = self.spark.catalog
        for name in self._views:
            if catalog.tableExists(name):
                self.spark.table(name).unpersist()
            catalog.dropTempView(name)
        self._views = []


def make(engine: str = "duckdb", master: str | None = None, **options):
    if engine == "duckdb":
        if master:
            raise UsageError("--master is for --engine spark")
        return DuckDBEngine(**options)
    if engine == "spark":
        return SparkEngine(master)
    raise UsageError(f"unknown engine {engine!r}: use duckdb or spark")
