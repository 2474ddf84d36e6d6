"""``flowmap analyze`` without click (flowmap.cli.analyzing.direct): for every command line it
takes, it prints what the click command prints and exits with the same code; everything else
is left to click. A cold run does not import click at all (issue 13 §3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmap.cli import run
from flowmap.cli.analyzing import direct
from tests.conftest import PROCESSES, ROOT
from tests.fresh import fresh_run

BPMN = sorted((ROOT / "tests").rglob("*.bpmn"))
FLOW = sorted(PROCESSES.rglob("*.flow.yaml"))


def _both(argv: list[str], capsys) -> tuple[tuple, tuple]:
    code = direct(argv)
    assert code is not None, f"not run directly: {argv}"
    ran = capsys.readouterr()
    clicked = run(["analyze", *argv])
    through = capsys.readouterr()
    return (code, ran.out, ran.err), (clicked, through.out, through.err)


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["-f", "json"],
        ["--format=sarif", "--exit-zero"],
        ["--select", "SMK,VAL", "--ignore=VAL002", "--top", "2"],
        ["--extend-select", "CX003", "--fail-on", "info", "--all"],
        ["-j", "1", "--fail-on=error"],
    ],
)
def test_the_direct_run_prints_what_click_prints(options, tmp_path, capsys):
    if not BPMN or not FLOW:
        pytest.skip("no BPMN fixture or library process")
    paths = [str(BPMN[0]), str(FLOW[0])]
    argv = ["--no-cache", *options, *paths]
    direct_run, click_run = _both(argv, capsys)
    assert direct_run == click_run
    assert direct_run[1]  # it reported


@pytest.mark.parametrize("name", ["broken.flow.yaml", "none.bpmn"])
def test_problems_and_a_missing_path_are_told_alike(name, tmp_path, capsys):
    (tmp_path / "broken.flow.yaml").write_text("process: [\n", encoding="utf-8")
    direct_run, click_run = _both(["--no-cache", str(tmp_path / name)], capsys)
    assert direct_run == click_run
    assert direct_run[0] == 2 and name in direct_run[2]


def test_cached_runs_agree_and_are_stored_alike(tmp_path, capsys, monkeypatch):
    if not BPMN:
        pytest.skip("no BPMN fixture")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FLOWMAP_NO_CACHE")
    argv = ["--cache-dir", str(tmp_path / "cache"), str(BPMN[0])]
    first, second = _both(argv, capsys)  # the direct run stores, click's answers from it
    assert first == second
    assert list((tmp_path / "cache").rglob("*.entry"))


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["--fix", "-o", "out.flow.yaml", "x.flow.yaml"],
        ["-o", "report.txt", "x.bpmn"],
        ["--format", "svg", "x.bpmn"],  # a format of another kind: click's reason
        ["--top", "many", "x.bpmn"],
        ["--fail-on", "fatal", "x.bpmn"],
        ["--config", "missing.toml", "x.bpmn"],
        ["--org", ".", "x.bpmn"],  # a folder
        ["--baseline", ".", "x.bpmn"],
        ["--select"],  # no value
        ["-fjson", "x.bpmn"],
        ["--", "-x.bpmn"],
    ],
)
def test_anything_else_is_left_to_click(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.bpmn").write_text("<x/>", encoding="utf-8")
    assert direct(argv) is None


def test_a_cache_folder_that_is_a_file_is_left_to_click(tmp_path):
    taken = tmp_path / "cache"
    taken.write_text("", encoding="utf-8")
    assert direct(["--cache-dir", str(taken), str(tmp_path)]) is None


def test_a_cold_run_does_not_import_click(tmp_path):
    if not BPMN:
        pytest.skip("no BPMN fixture")
    args = ["analyze", "--no-cache", "--exit-zero", str(BPMN[0])]
    done = fresh_run("flowmap.launch:main", args, cwd=tmp_path, argv=True)
    assert done.stdout and done.code == 0, done.stderr
    assert done.loaded(under=("click",)) == []
    assert Path(BPMN[0]).name in done.stdout
