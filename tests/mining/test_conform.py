"""`flowmap conform MODEL LOG`: replay fitness and deviations located at the model's lines, and
--calibrate writing measured times and branch shares marked with their source."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from flowmap.loaders import load_any
from flowmap.loaders.logs import read_log
from flowmap.mining import mine
from flowmap.mining.conform import calibrate, conform
from tests.mining.conftest import event, write_csv, write_text

MODEL = """
flowmap: 1
process: {id: orders, name: Orders}
organisation:
  functions:
    - id: sales
      kind: sales
      roles:
        - {id: rep, level: 1}
    - id: finance
      kind: finance
      roles:
        - {id: analyst, level: 1}
steps:
  - {id: start, kind: start, owner: customer}
  - {id: take, name: Take order, owner: sales.rep}
  - {id: ok, name: Credit ok?, owner: finance.analyst, kind: decision}
  - {id: check, name: Check credit, owner: finance.analyst, wait: 10m}
  - {id: refuse, name: Refuse order, owner: sales.rep}
  - {id: confirm, name: Confirm, owner: sales.rep}
  - {id: done, kind: end, owner: customer}
flows:
  - start -> take
  - take -> check
  - check -> ok
  - {from: ok, to: confirm, probability: 0.5}
  - {from: ok, to: refuse, probability: 0.5}
  - confirm -> done
  - refuse -> done
"""


def orders_log(tmp_path):
    rows = []
    for i in range(4):  # the designed way; credit checked by sales in c0 and c1
        role = "sales.rep" if i < 2 else "finance.analyst"
        rows += [
            event(f"c{i}", "Take order", 0, "sales.rep", "Ann"),
            event(f"c{i}", "Check credit", 2, role, "Bo" if i < 2 else "Alan"),
            event(f"c{i}", "Confirm", 3, "sales.rep", "Ann"),
        ]
    rows += [
        event("c9", "Take order", 0, "sales.rep", "Ann"),  # off the model
        event("c9", "Call customer", 1, "sales.rep", "Ann"),
        event("c9", "Confirm", 2, "sales.rep", "Ann"),
    ]
    return write_csv(tmp_path / "orders.csv", rows)


def test_fitness_and_deviations_at_the_models_lines(tmp_path):
    model = load_any(write_text(tmp_path / "orders.flow.yaml", MODEL))
    result = mine(read_log(orders_log(tmp_path)), model.organisation)
    findings, figures = conform(model, result)
    # transitions: 5 starts, 4 take->check, 4 check->confirm, 5 ends fit; take->call,
    # call->confirm involve a step the model lacks: 18 of 20 fit
    assert figures["fitness"] == 0.9
    by_code = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    assert "'Call customer' (1 events)" in by_code["CNF001"][0].message
    [skipped] = by_code["CNF002"]
    assert skipped.elements == ("refuse",) and skipped.location.line == 18
    [role] = by_code["CNF004"]
    assert role.elements == ("check",) and role.location.line == 17
    assert "owned by finance.analyst but 50% of its events were done by sales.rep" in role.message
    confirm, refuse = sorted(by_code["CNF006"], key=lambda f: f.elements)
    assert refuse.elements == ("ok->refuse",) and refuse.location.line == 26
    assert "modelled 50%, measured 0% of the work leaving 'Check credit'" in refuse.message
    assert "modelled 50%, measured 100%" in confirm.message
    [time] = by_code["CNF005"]
    assert time.elements == ("check",)
    assert "wait modelled as 10m, measured median 2h" in time.message


def test_calibrate_writes_measured_figures_with_their_source(tmp_path):
    model = load_any(write_text(tmp_path / "orders.flow.yaml", MODEL))
    result = mine(read_log(orders_log(tmp_path)), model.organisation)
    process = calibrate(model, result, "orders.csv")
    check = process.step("check")
    assert check.wait == 120 and "wait: median measured in orders.csv (4 events)" in check.notes
    assert "orders.csv" in process.info.sources
    assert "calibrated from orders.csv (5 cases)" in process.info.description


def test_cli(tmp_path):
    model = write_text(tmp_path / "orders.flow.yaml", MODEL)
    log = orders_log(tmp_path)
    out = tmp_path / "measured.flow.yaml"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flowmap",
            "conform",
            str(model),
            str(log),
            "--calibrate",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "FLOWMAP_CACHE_DIR": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 1, done.stderr  # warnings: the missing activity, the role
    assert "fitness 90.0%" in done.stderr
    assert "17:5  warning CNF004" in done.stdout
    assert load_any(out).step("check").wait == 120
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "flowmap",
            "conform",
            str(model),
            str(log),
            "--calibrate",
            "-o",
            str(model),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 2 and "is the model" in again.stderr
    assert model.read_text(encoding="utf-8") == textwrap.dedent(MODEL).lstrip("\n")


def test_the_share_of_tasks_matched_counts_tasks_only(tmp_path):
    """A log that also names the decision ('Credit ok?') matched it, and the figure said '4 of 4
    model tasks matched' though 'Refuse order' never happened. Of the four tasks, it names three."""
    rows = []
    for i in range(3):
        rows += [
            event(f"c{i}", "Take order", 0, "sales.rep", "Ann"),
            event(f"c{i}", "Check credit", 2, "finance.analyst", "Alan"),
            event(f"c{i}", "Credit ok?", 3, "finance.analyst", "Alan"),
            event(f"c{i}", "Confirm", 4, "sales.rep", "Ann"),
        ]
    log = write_csv(tmp_path / "orders.csv", rows)
    model = write_text(tmp_path / "orders.flow.yaml", MODEL)
    _, figures = conform(load_any(model), mine(read_log(log, cache=tmp_path / "c")))
    assert (figures["matched_steps"], figures["model_tasks"]) == (3, 4)
