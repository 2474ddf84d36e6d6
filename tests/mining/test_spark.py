"""Both engines give the same numbers: every measure on every corpus log (and on a log with an
organisation, so that chimneys and escalations are not empty) run on DuckDB and on Spark
(``local[2]``). One test, so the run starts one Spark session."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from flowmap.loaders.flow_yaml import load_organisation
from flowmap.loaders.logs import read_log
from flowmap.mining import mine
from tests.mining.conftest import CORPUS, ORG, event, write_csv, write_text

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None,
                       reason="PySpark is not installed (pip install 'flowmap[spark]')"),
    pytest.mark.skipif(shutil.which("java") is None,
                       reason="no Java runtime (make setup installs default-jre-headless)"),
]


def normalised(rows):
    """Rows as sorted tuples, floats to 6 decimals (the engines may order ties differently)."""
    return sorted((tuple(sorted((k, round(v, 6) if isinstance(v, float) else v)
                                for k, v in row.items())) for row in rows), key=repr)


def test_duckdb_and_spark_agree_on_every_log(tmp_path):
    org = load_organisation(write_text(tmp_path / "company.org.yaml", ORG))
    credit = write_csv(tmp_path / "credit.csv", [
        event("c1", "Take order", 0, "sales.rep", "Ann"),
        event("c1", "Escalate", 1, "sales.manager", "Mark"),
        event("c1", "Forward", 2, "finance.manager", "Fiona"),
        event("c1", "Wrong invoice", 3, "finance.analyst", "Alan"),
        event("c1", "Handle complaint", 4, "care.agent", "Cai"),
        event("c2", "Take order", 0, "sales.rep", "Ann", lifecycle="start"),
        event("c2", "Take order", 1, "sales.rep", "Ann", lifecycle="complete"),
        event("c2", "Check credit", 2, "finance.analyst", "Alan"),
        event("c2", "Take order", 3, "sales.rep", "Bo"),
    ])
    logs = [(credit, org)]
    if CORPUS.is_dir():
        logs += [(path, None) for path in sorted(CORPUS.iterdir())
                 if path.name.endswith((".xes", ".xes.gz", ".csv"))]
    compared = 0
    for path, organisation in logs:
        log = read_log(path)
        duck = mine(log, organisation)
        spark = mine(log, organisation, engine="spark", master="local[2]")
        assert duck.measures.keys() == spark.measures.keys()
        for name in duck.measures:
            assert normalised(duck.measures[name]) == normalised(spark.measures[name]), \
                f"{path.name}: {name}"
        compared += 1
    assert compared == len(logs)
    assert duck.totals["events"] > 0
