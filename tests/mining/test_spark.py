"""Both engines give the same numbers: every measure, run on DuckDB and on Spark (``local[2]``).

Spark answers each query in about a second however small the log, so the test runs it twice,
not once per log: on a log with an organisation (chimneys, escalations; every event mapped to
a role, no start events), and on the first cases of every corpus log pooled into one log (start
events, events no role is known for). Between them they cover each way the event table finds
an event's neighbours (:func:`flowmap.mining.tables.event_table`).
``benchmarks/spark_agreement.py`` compares every corpus log whole."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

from flowmap.loaders.flow_yaml import load_organisation
from flowmap.loaders.logs import read_log
from flowmap.mining import mine
from tests.mining.agreement import differences, pooled_sample
from tests.mining.conftest import CORPUS, ORG, event, needs_corpus, write_csv, write_text

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pyspark") is None,
        reason="PySpark is not installed (pip install 'flowmap[spark]')",
    ),
    pytest.mark.skipif(
        shutil.which("java") is None,
        reason="no Java runtime (make setup installs default-jre-headless)",
    ),
]


def test_duckdb_and_spark_agree_with_an_organisation(tmp_path):
    org = load_organisation(write_text(tmp_path / "company.org.yaml", ORG))
    credit = write_csv(
        tmp_path / "credit.csv",
        [
            event("c1", "Take order", 0, "sales.rep", "Ann"),
            event("c1", "Escalate", 1, "sales.manager", "Mark"),
            event("c1", "Forward", 2, "finance.manager", "Fiona"),
            event("c1", "Wrong invoice", 3, "finance.analyst", "Alan"),
            event("c1", "Handle complaint", 4, "care.agent", "Cai"),
            event("c2", "Take order", 0, "sales.rep", "Ann"),
            event("c2", "Check credit", 2, "finance.analyst", "Alan"),
            event("c2", "Take order", 3, "sales.rep", "Bo"),
            event("c2", "Take order", 4, "sales.rep", "Bo"),
            event("c3", "Take order", 0, "sales.rep", "Ann"),
            event("c3", "Escalate", 1, "sales.manager", "Mark"),
            event("c3", "Forward", 2, "finance.manager", "Fiona"),
            event("c3", "Check credit", 3, "finance.analyst", "Alan"),
            event("c3", "Take order", 4, "sales.rep", "Bo"),
            event("c3", "Check credit", 5, "finance.analyst", "Alan"),
        ],
    )
    log = read_log(credit)
    duck = mine(log, org)
    assert (duck.has_starts, duck.actors.unmapped_share) == (False, 0)
    measured = duck.measures
    assert measured["chimneys_any"][0]["cases"] == 2
    assert measured["dumped_at_service"] and measured["ping_pong_any"][0]["cases"] >= 1
    assert {r["kind"] for r in measured["rework_by_kind"]} == {"repeat", "redo"}
    assert differences(duck, mine(log, org, engine="spark", master="local[2]")) == []


@needs_corpus
def test_duckdb_and_spark_agree_on_the_first_cases_of_every_corpus_log(tmp_path):
    logs = sorted(p for p in CORPUS.iterdir() if p.name.endswith((".xes", ".xes.gz", ".csv")))
    assert len(logs) >= 5
    log = read_log(pooled_sample(logs, tmp_path / "pooled.parquet", cases=40))
    duck = mine(log)
    assert duck.has_starts and 0 < duck.actors.unmapped_share < 1
    assert duck.measures["work_by_activity"] and duck.measures["ping_pong_any"][0]["cases"]
    assert differences(duck, mine(log, engine="spark", master="local[2]")) == []
