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
