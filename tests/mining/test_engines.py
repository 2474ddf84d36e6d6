"""The engines' job runner, and what the cache keeps beside a converted log."""

from __future__ import annotations

import threading
import time

import pytest

from flowmap.loaders.flow_yaml import load_organisation
from flowmap.loaders.logs import read_log
from flowmap.mining import mine
from flowmap.mining.engines import schedule
from tests.mining.conftest import ORG, event, write_csv, write_text


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_a_job_starts_once_the_jobs_it_needs_are_done(workers):
    finished: list[str] = []
    lock = threading.Lock()

    def job(name, seconds):
        def run(_):
            time.sleep(seconds)
            with lock:
                finished.append(name)
            return name.upper()

        return run

    jobs = {
        "a": (set(), job("a", 0.03)),
        "b": ({"a"}, job("b", 0.0)),
        "c": (set(), job("c", 0.0)),
        "d": ({"b", "c"}, job("d", 0.01)),
        "e": ({"a"}, job("e", 0.0)),
    }
    done = schedule(jobs, lambda what: what(None), workers)
    assert done == {name: name.upper() for name in jobs}
    assert finished.index("a") < finished.index("b") < finished.index("d")
    assert finished.index("c") < finished.index("d") and finished.index("a") < finished.index("e")


@pytest.mark.parametrize("workers", [1, 2])
def test_jobs_that_wait_on_each_other_are_refused_and_errors_reach_the_caller(workers):
    with pytest.raises(ValueError, match="wait on each other: a, b"):
        schedule({"a": ({"b"}, str), "b": ({"a"}, str)}, lambda what: what(1), workers)

    def fails(_):
        raise RuntimeError("no such table")

    with pytest.raises(RuntimeError, match="no such table"):
        schedule({"a": (set(), fails), "b": ({"a"}, str)}, lambda what: what(1), workers)


def test_the_cache_keeps_the_logs_numbers_and_a_run_without_them_agrees(tmp_path):
    """The activity/lifecycle pairs and resource triples (with their events) are kept beside
    the converted log, the same when it is read again from the cache; a run that has to ask
    the log for them gives the same measures."""
    rows = [
        event("c1", "Apply", 0, "sales.rep", "ann"),
        event("c1", "Check", 1, "finance.analyst", "bob", lifecycle="start"),
        event("c1", "Check", 2, "finance.analyst", "bob", lifecycle="complete"),
        event("c2", "Apply", 0, "sales.rep", "ann"),
        event("c2", "Call", 3, None, "eve"),
    ]
    path = write_csv(tmp_path / "small.csv", rows)
    first = read_log(path)
    again = read_log(path)
    assert again.cached and not first.cached
    assert sorted(first.acts) == sorted(again.acts)
    assert sorted(a[1:] for a in first.actors) == [
        ("ann", "sales.rep", None, 2),
        ("bob", "finance.analyst", None, 2),
        ("eve", None, None, 1),
    ]
    assert sorted(a[1:] for a in first.acts) == [
        ("Apply", None),
        ("Call", None),
        ("Check", "complete"),
        ("Check", "start"),
    ]
    org = load_organisation(write_text(tmp_path / "o.org.yaml", ORG))
    kept = mine(again, org)
    again.acts = again.actors = None
    asked = mine(again, org)
    assert kept.measures == asked.measures
    assert kept.measures["totals"][0]["events"] == 5


def test_each_job_names_every_table_it_reads(tmp_path, monkeypatch):
    """With the jobs taken in the reverse order (each as early as what it needs allows), a
    table or measure that read a table it does not name would run before that table is made
    and fail; the measures are those of the usual order."""
    import flowmap.mining as mining

    rows = [
        event("c1", "Apply", 0, "sales.rep", "ann"),
        event("c1", "Check", 1, "sales.manager", "max", lifecycle="start"),
        event("c1", "Check", 2, "sales.manager", "max", lifecycle="complete"),
        event("c1", "Pay", 3, "finance.manager", "fay"),
        event("c1", "Pay", 4, "finance.analyst", "bob"),
        event("c1", "Complaint", 5, "care.agent", "cat"),
        event("c2", "Apply", 0, "sales.rep", "ann"),
        event("c2", "Apply", 1, "sales.rep", "ann"),
        event("c2", "Call", 3, None, "eve"),
    ]
    log = read_log(write_csv(tmp_path / "jobs.csv", rows))
    org = load_organisation(write_text(tmp_path / "o.org.yaml", ORG))
    usual = mine(log, org, threads=1)
    jobs = mining._jobs
    monkeypatch.setattr(mining, "_jobs", lambda *a: dict(reversed(jobs(*a).items())))
    early = mine(log, org, threads=1)
    assert early.measures == usual.measures
    assert usual.measures["chimneys_any"][0]["occurrences"] == 1


def test_duckdb_shows_no_progress_bar_in_the_output():
    """DuckDB's progress bar (on by default once a query has run two seconds) writes to
    standard output even when it is a pipe: in the middle of `mine -f json > out.json` on a
    large log. It is off on the engine's connection, on the cursors its jobs run on (each a
    session of its own), and on the loaders' connection. (Measured: two queries of 4 s on a
    connection and a cursor wrote 7.7 kB of bars to a pipe; none once they are quiet.)"""
    from flowmap.loaders.logs import connect
    from flowmap.mining.engines import DuckDBEngine

    shown = "SELECT current_setting('enable_progress_bar') AS bar"
    engine = DuckDBEngine(threads=2)
    try:
        done = engine.run(
            {
                "a": (set(), lambda e: e.rows(shown)),
                "b": ({"a"}, lambda e: e.rows(shown)),
                "c": ({"a"}, lambda e: e.rows(shown)),
            }
        )
    finally:
        engine.close()
    con = connect()
    try:
        loader = con.execute(shown).fetchall()
    finally:
        con.close()
    assert done == {name: [{"bar": False}] for name in "abc"}
    assert loader == [(False,)]
