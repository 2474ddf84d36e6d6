"""The command as installed from a wheel: no editable-install finder has imported anything
for it (an editable install imports importlib.util and pathlib at start-up, which hid a
missing import)."""

from __future__ import annotations

import os
import subprocess
import sys

import click

from tests.conftest import ROOT


def test_the_command_runs_without_what_an_editable_install_imports(tmp_path):
    site = os.path.dirname(os.path.dirname(click.__file__))
    code = (
        "import sys\n"
        f"sys.path[:0] = [{str(ROOT)!r}, {site!r}]\n"
        "assert 'importlib.util' not in sys.modules\n"
        "sys.argv = ['flowmap', 'rules']\n"
        "from flowmap.launch import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "SMK001" in done.stdout


def _collector_after(argv: list[str], tmp_path) -> str:
    """Whether the collector is on when the command ``argv`` has run (printed at exit)."""
    code = (
        "import atexit, gc, sys\n"
        f"sys.path[:0] = [{str(ROOT)!r}]\n"
        "atexit.register(lambda: print('collector', gc.isenabled(), gc.get_threshold()[0]))\n"
        f"sys.argv = {['flowmap', *argv]!r}\n"
        "from flowmap.launch import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    return done.stdout.splitlines()[-1]


def test_analyze_runs_without_the_cycle_collector_and_other_commands_keep_it(tmp_path):
    # analyze builds a whole model and its analysis and exits: a collection only walks them;
    # a long-running command (the language server) must keep collecting its garbage.
    model = ROOT / "processes" / "insurance-claim" / "as-is.flow.yaml"
    argv = ["analyze", "--no-cache", "--exit-zero", str(model)]
    assert model.exists()
    assert _collector_after(argv, tmp_path).startswith("collector False")
    assert _collector_after(["rules"], tmp_path) == "collector True 100000"
