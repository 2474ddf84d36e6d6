"""Both engines give the same numbers on every corpus log, whole: every measure run on DuckDB
and on Spark (``local[2]``, or ``--master``), compared row by row.

    python benchmarks/spark_agreement.py [--master local[2]] [LOG ...]

The test suite compares the engines on a log pooled from the first cases of every corpus log
(``tests/mining/test_spark.py``: two Spark runs instead of one per log); this script is the
whole comparison, with the time each engine took. Exit status 1 when a measure differs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flowmap.loaders.logs import read_log  # noqa: E402
from flowmap.mining import mine  # noqa: E402
from tests.mining.agreement import differences  # noqa: E402
from tests.mining.conftest import CORPUS  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "logs", nargs="*", type=Path, help=f"logs to compare (default: every log in {CORPUS})"
    )
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    logs = args.logs or sorted(
        p for p in CORPUS.iterdir() if p.name.endswith((".xes", ".xes.gz", ".csv"))
    )
    failed = 0
    for path in logs:
        log = read_log(path)
        start = time.perf_counter()
        duck = mine(log)
        middle = time.perf_counter()
        spark = mine(log, engine="spark", master=args.master)
        end = time.perf_counter()
        differ = differences(duck, spark)
        failed += bool(differ)
        print(
            f"{path.name:40} {log.events:8,} events  duckdb {middle - start:6.2f} s  spark "
            f"{end - middle:6.2f} s  {'agree' if not differ else 'DIFFER: ' + ', '.join(differ)}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
