"""Log readers: XES (plain and gzipped, streamed, hardened), CSV and Parquet into one table,
cached by content; bad logs refused with the file, line and column and what to do."""

from __future__ import annotations

import gzip

import duckdb
import pytest

from flowmap.errors import LoadError
from flowmap.loaders.logs import Columns, read_log
from tests.mining.conftest import CORPUS, needs_corpus, write_csv, write_text

XES = """
<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <global scope="event"><string key="concept:name" value="UNKNOWN"/></global>
  <trace>
    <string key="concept:name" value="c1"/>
    <event>
      <string key="concept:name" value="Register"/>
      <string key="org:resource" value="Ann"/>
      <string key="org:role" value="sales.rep"/>
      <date key="time:timestamp" value="2024-03-01T10:00:00+02:00"/>
      <string key="lifecycle:transition" value="complete"/>
    </event>
    <event>
      <string key="concept:name" value="Check"/>
      <string key="org:resource" value="Alan"/>
      <date key="time:timestamp" value="2024-03-01T09:30:00Z"/>
    </event>
  </trace>
  <trace>
    <event>
      <string key="concept:name" value="Register"/>
      <date key="time:timestamp" value="2024-03-02T10:00:00.250+00:00"/>
    </event>
    <string key="concept:name" value="c2"/>
  </trace>
  <trace><string key="concept:name" value="empty"/></trace>
</log>
"""


def rows(log):
    return duckdb.sql(
        f"SELECT * FROM read_parquet('{log.parquet}') ORDER BY case_id, ts"
    ).fetchall()


def test_xes_events_cases_times_in_utc_and_roles(tmp_path):
    log = read_log(write_text(tmp_path / "a.xes", XES))
    assert (log.events, log.cases, log.format) == (3, 2, "xes")
    got = rows(log)
    assert got[0][:7] == ("c1", "Register", 1709280000000, "Ann", "sales.rep", None, "complete")
    assert got[1][:4] == ("c1", "Check", 1709285400000, "Alan")
    # the case id written after the trace's events still names them
    assert got[2][:3] == ("c2", "Register", 1709373600250)
    assert [w.code for w in log.warnings] == ["empty-case"]
    assert "1 trace without events" in log.warnings[0].message


def test_gzipped_xes_reads_like_plain(tmp_path):
    plain = write_text(tmp_path / "a.xes", XES)
    packed = tmp_path / "b.xes.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert rows(read_log(packed)) == rows(read_log(plain))


def test_cache_is_keyed_by_content_and_mapping(tmp_path):
    path = write_text(tmp_path / "a.xes", XES)
    first = read_log(path)
    again = read_log(path)
    assert again.cached and again.parquet == first.parquet and not first.cached
    other = read_log(path, Columns(role="org:resource"))
    assert other.parquet != first.parquet
    path.write_text(path.read_text().replace("Check", "Verify"))
    changed = read_log(path)
    assert changed.parquet != first.parquet and not changed.cached
    assert "Verify" in {r[1] for r in rows(changed)}


def test_xes_with_doctype_is_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<log><trace><string key="concept:name" value="&b;"/></trace></log>\n'
    )
    with pytest.raises(LoadError) as info:
        read_log(write_text(tmp_path / "bomb.xes", bomb))
    problem = info.value.problems[0]
    assert problem.code == "doctype" and "DOCTYPE" in problem.message


def test_broken_xml_names_line_and_column(tmp_path):
    text = XES.replace(
        '<string key="concept:name" value="Check"/>', '<string key="concept:name" value="Check">'
    )
    with pytest.raises(LoadError) as info:
        read_log(write_text(tmp_path / "bad.xes", text))
    problem = info.value.problems[0]
    assert problem.code == "xml-syntax" and problem.location.line > 10


def test_xes_event_without_timestamp_or_with_a_bad_one(tmp_path):
    text = XES.replace(
        '<date key="time:timestamp" value="2024-03-01T09:30:00Z"/>',
        '<date key="time:timestamp" value="yesterday"/>',
    )
    with pytest.raises(LoadError) as info:
        read_log(write_text(tmp_path / "bad.xes", text))
    problem = info.value.problems[0]
    assert problem.code == "bad-timestamp" and "'yesterday'" in problem.message
    assert problem.location.line == 13  # the <event> element
    text = XES.replace('<date key="time:timestamp" value="2024-03-01T09:30:00Z"/>', "")
    with pytest.raises(LoadError) as info:
        read_log(write_text(tmp_path / "none.xes", text))
    assert info.value.problems[0].code == "no-timestamp"


def test_truncated_gzip_and_empty_files(tmp_path):
    packed = tmp_path / "cut.xes.gz"
    packed.write_bytes(gzip.compress(XES.encode())[:200])
    with pytest.raises(LoadError) as info:
        read_log(packed)
    assert info.value.problems[0].code in ("unreadable", "xml-syntax")
    with pytest.raises(LoadError) as info:
        read_log(write_text(tmp_path / "empty.xes", '<log xmlns="http://www.xes-standard.org/"/>'))
    assert info.value.problems[0].code == "empty-log"
    with pytest.raises(LoadError) as info:
        read_log(write_text(tmp_path / "root.xes", "<process/>"))
    assert info.value.problems[0].code == "not-xes"


def test_csv_with_xes_column_names(tmp_path):
    path = write_csv(
        tmp_path / "log.csv",
        [
            {
                "case:concept:name": "1",
                "concept:name": "A",
                "time:timestamp": "2024-03-01 10:00:00+01:00",
                "org:resource": "Ann",
            },
            {
                "case:concept:name": "1",
                "concept:name": "B",
                "time:timestamp": "2024-03-01 11:00:00+01:00",
                "org:resource": "",
            },
        ],
    )
    log = read_log(path)
    assert (log.events, log.cases) == (2, 1)
    assert log.columns["case_id"] == "case:concept:name"
    got = rows(log)
    assert got[0][:4] == ("1", "A", 1709283600000, "Ann")
    assert got[1][3] is None  # an empty cell is no resource
    assert [r[7] for r in got] == [2, 3]  # CSV line numbers (the header is line 1)


def test_csv_with_mapped_columns_format_and_time_zone(tmp_path):
    path = write_csv(
        tmp_path / "export.csv",
        [
            {
                "Ticket": "T1",
                "Status": "Open",
                "When": "01-03-2024 10:00",
                "Owner": "Ann",
                "Team": "desk",
            },
            {
                "Ticket": "T1",
                "Status": "Closed",
                "When": "01-03-2024 12:30",
                "Owner": "Bo",
                "Team": "desk",
            },
        ],
    )
    columns = Columns(
        case_id="Ticket",
        activity="Status",
        timestamp="When",
        resource="Owner",
        group="Team",
        timestamp_format="%d-%m-%Y %H:%M",
        timezone="Europe/Amsterdam",
    )
    got = rows(read_log(path, columns))
    assert got[0][:6] == ("T1", "Open", 1709283600000, "Ann", None, "desk")  # 09:00 UTC


def test_csv_missing_column_lists_the_columns(tmp_path):
    path = write_csv(tmp_path / "log.csv", [{"id": "1", "what": "A", "at": "2024-03-01"}])
    with pytest.raises(LoadError) as info:
        read_log(path)
    problem = info.value.problems[0]
    assert problem.code == "missing-column" and "no case id column" in problem.message
    assert "--case" in problem.hint and "id, what, at" in problem.hint
    with pytest.raises(LoadError) as info:
        read_log(path, Columns(case_id="ticket"))
    assert "--case 'ticket'" in info.value.problems[0].message


def test_csv_bad_timestamp_names_line_and_column(tmp_path):
    path = write_csv(
        tmp_path / "log.csv",
        [
            {"case:concept:name": "1", "concept:name": "A", "time:timestamp": "2024-03-01 10:00"},
            {"case:concept:name": "1", "concept:name": "B", "time:timestamp": "2024-03-01 11:00"},
            {"case:concept:name": "2", "concept:name": "A", "time:timestamp": "31/02/2024"},
        ],
    )
    with pytest.raises(LoadError) as info:
        read_log(path)
    problem = info.value.problems[0]
    assert (problem.location.line, problem.location.column) == (4, 3)
    assert "'31/02/2024'" in problem.message and "--timestamp-format" in problem.hint
    assert str(problem.location).endswith("log.csv:4:3")


def test_csv_empty_case_and_empty_log(tmp_path):
    path = write_csv(
        tmp_path / "log.csv",
        [
            {"case:concept:name": "1", "concept:name": "A", "time:timestamp": "2024-03-01 10:00"},
            {"case:concept:name": "", "concept:name": "B", "time:timestamp": "2024-03-01 11:00"},
        ],
    )
    with pytest.raises(LoadError) as info:
        read_log(path)
    assert info.value.problems[0].code == "bad-case-id"
    assert info.value.problems[0].location.line == 3
    empty = tmp_path / "empty.csv"
    empty.write_text("case:concept:name,concept:name,time:timestamp\n")
    with pytest.raises(LoadError) as info:
        read_log(empty)
    assert info.value.problems[0].code == "empty-log"


def test_bad_time_zone_and_unknown_format(tmp_path):
    path = write_csv(
        tmp_path / "log.csv",
        [{"case:concept:name": "1", "concept:name": "A", "time:timestamp": "2024-03-01 10:00"}],
    )
    with pytest.raises(LoadError) as info:
        read_log(path, Columns(timezone="Mars/Olympus"))
    assert info.value.problems[0].code == "bad-timezone"
    with pytest.raises(LoadError) as info:
        read_log(tmp_path / "log.txt")
    assert info.value.problems[0].code == "not-found"
    (tmp_path / "log.txt").write_text("x")
    with pytest.raises(LoadError) as info:
        read_log(tmp_path / "log.txt")
    assert info.value.problems[0].code == "unknown-format"


def test_parquet_with_timestamp_column(tmp_path):
    path = tmp_path / "log.parquet"
    duckdb.sql(
        "SELECT * FROM (VALUES ('c1', 'A', TIMESTAMPTZ '2024-03-01 10:00:00+00'), "
        "('c1', 'B', TIMESTAMPTZ '2024-03-01 11:00:00+00')) t(case_id, activity, "
        "timestamp)"
    ).write_parquet(str(path))
    log = read_log(path)
    assert (log.events, log.cases, log.format) == (2, 1, "parquet")
    assert [r[2] for r in rows(log)] == [1709287200000, 1709290800000]


@needs_corpus
@pytest.mark.parametrize(
    "name, events, cases",
    [
        ("pm4py__running-example.xes", 42, 6),
        ("pm4py__running-example.csv", 42, 6),
        ("pm4py__06_bpic2013_closed.xes.gz", 6660, 1487),
        ("pm4py__receipt.xes", 8577, 1434),
    ],
)
def test_corpus_logs(name, events, cases):
    log = read_log(CORPUS / name)
    assert (log.events, log.cases) == (events, cases)
