"""`flowmap mine` as a user runs it: findings on stdout, the discovered model with -o (which
validate, analyze and render take), clear one-line errors for bad logs, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from flowmap.loaders import load_any
from tests.mining.conftest import CORPUS, ORG, event, needs_corpus, write_csv, write_text


def run(*args, cwd=None, cache=None):
    env = dict(os.environ)
    if cache:
        env["FLOWMAP_CACHE_DIR"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "flowmap", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        env=env,
        check=False,
    )


@pytest.fixture
def credit(tmp_path):
    rows = []
    for i in range(10):
        case = f"c{i}"
        if i < 4:  # four of ten cases climb the chimney
            rows += [
                event(case, "Take order", 0, "sales.rep", "Ann"),
                event(case, "Escalate", 1, "sales.manager", "Mark"),
                event(case, "Forward", 2, "finance.manager", "Fiona"),
                event(case, "Check credit", 30, "finance.analyst", "Alan"),
                event(case, "Confirm", 31, "sales.rep", "Ann"),
            ]
        else:
            rows += [
                event(case, "Take order", 0, "sales.rep", "Ann"),
                event(case, "Check credit", 1, "finance.analyst", "Alan"),
                event(case, "Confirm", 2, "sales.rep", "Ann"),
            ]
    log = write_csv(tmp_path / "credit.csv", rows)
    org = write_text(tmp_path / "company.org.yaml", ORG)
    return log, org


def test_mine_reports_and_writes_the_discovered_process(tmp_path, credit):
    log, org = credit
    out = tmp_path / "as-is.flow.yaml"
    result = run("mine", str(log), "--org", str(org), "-o", str(out), cache=tmp_path / "c")
    assert result.returncode == 1, result.stderr  # a warning: the chimney
    assert (
        "MNG001 in 40% of 10 cases the work climbed 2 levels to cross from sales to "
        "finance; those cases took a median of 1d 7h (all cases: 2h)"
    ) in result.stdout
    assert "lead time 2h" in result.stdout  # the cases' median, not the model's main path
    assert (
        "credit.csv: 38 events, 10 cases, 2 variants; roles from organisation file" in result.stderr
    )
    process = load_any(out)  # a valid process file
    assert {s.owner for s in process.steps if s.name == "Escalate"} == {"sales.manager"}
    analysed = run("analyze", str(out), "--select", "SMK001")
    assert "SMK001" in analysed.stdout
    rendered = run("render", str(out), "-o", str(tmp_path / "as-is.svg"))
    assert rendered.returncode == 0, rendered.stderr
    # -o goes through files.write_output: a file flowmap wrote is written again...
    again = run("mine", str(log), "--org", str(org), "-o", str(out), cache=tmp_path / "c")
    assert again.returncode == 1 and "wrote " in again.stderr, again.stderr
    # ...one a person wrote (or edited since) is refused before the log is read, and kept
    out.write_text("# my notes\n", encoding="utf-8")
    refused = run("mine", str(log), "--org", str(org), "-o", str(out), cache=tmp_path / "c")
    assert refused.returncode == 2
    assert "was not written by flowmap" in refused.stderr and "--force" in refused.stderr
    assert "events," not in refused.stderr  # refused before mining
    assert out.read_text(encoding="utf-8") == "# my notes\n"
    forced = run(
        "mine", str(log), "--org", str(org), "-o", str(out), "--force", cache=tmp_path / "c"
    )
    assert forced.returncode == 1 and load_any(out).steps


def test_mine_json_output(tmp_path, credit):
    log, org = credit
    result = run(
        "mine", str(log), "--org", str(org), "-f", "json", "--exit-zero", cache=tmp_path / "c"
    )
    assert result.returncode == 0
    data = json.loads(result.stdout)
    [entry] = data["files"]
    chimney = next(f for f in entry["findings"] if f["code"] == "MNG001")
    assert chimney["evidence"]["cases"] == 4 and chimney["evidence"]["of_cases"] == 10
    assert entry["metrics"]["log_cases"] == 10


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            "case:concept:name,concept:name,time:timestamp\n1,A,2024-03-01 10:00\n1,B,soon\n",
            ":3:3: error: line 3 'soon': the event has a timestamp that is not a date and time",
        ),
        ("case,what\n1,A\n", "error: no activity column"),
        ("case:concept:name,concept:name,time:timestamp\n", "error: the log has no events"),
    ],
)
def test_bad_logs_get_one_clear_line(tmp_path, content, expected):
    log = tmp_path / "bad.csv"
    log.write_text(content)
    result = run("mine", str(log), cache=tmp_path / "c")
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_bad_options(tmp_path, credit):
    log, _ = credit
    result = run("mine", str(log), "--master", "local[2]", cache=tmp_path / "c")
    assert result.returncode == 2 and "--master is for --engine spark" in result.stderr
    result = run("mine", str(log), "-o", str(tmp_path / "model.yaml"), cache=tmp_path / "c")
    assert result.returncode == 2 and "*.flow.yaml" in result.stderr
    result = run("mine", str(tmp_path / "missing.xes"), cache=tmp_path / "c")
    assert result.returncode == 2 and "no such log file" in result.stderr


@needs_corpus
def test_bpic2013_with_support_teams_as_roles(tmp_path):
    log = CORPUS / "pm4py__06_bpic2013_closed.xes.gz"
    out = tmp_path / "bpic.flow.yaml"
    result = run(
        "mine",
        str(log),
        "--role",
        "organization involved",
        "-o",
        str(out),
        "-f",
        "json",
        cache=tmp_path / "c",
    )
    data = json.loads(result.stdout)["files"][0]
    failing = any(f["severity"] in ("error", "warning") for f in data["findings"])
    assert result.returncode == (1 if failing else 0), result.stderr
    assert data["metrics"]["log_cases"] == 1487 and data["metrics"]["log_events"] == 6660
    assert {f["code"] for f in data["findings"]} >= {"MNG002", "MNG005", "MNG007"}
    assert run("validate", str(out)).returncode == 0


def test_a_named_pipe_is_called_what_it_is_and_never_read(tmp_path):
    fifo = tmp_path / "log.xes"
    os.mkfifo(fifo)
    result = run("mine", str(fifo), cache=tmp_path / "c")
    assert result.returncode == 2 and "a named pipe (FIFO), not a log file" in result.stderr
