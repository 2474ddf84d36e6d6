"""ruff (lint and format) and mypy run with the tests, so every landing run catches lint and type errors.

Their configuration is in pyproject.toml ([tool.ruff], [tool.mypy]): ruff checks the whole
repository; mypy checks the flowmap package, strictly for the pure core. Each is skipped, with the
reason, when it is not installed (``pip install -e '.[test]'`` installs both).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        pytest.skip(f"{name} is not installed: pip install -e '.[test]' installs it")
    return on_path


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def test_ruff_finds_nothing():
    result = _run(_tool("ruff"), "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, (
        f"ruff check .\n{result.stdout}{result.stderr}\n"
        "`.venv/bin/ruff check --fix .` mends import order and the like; a string split over "
        "lines inside a list wants parentheses around it (ISC004: a missing comma looks alike)"
    )


def test_code_is_formatted():
    result = _run(_tool("ruff"), "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, (
        f"ruff format --check .\n{result.stdout}{result.stderr}\n"
        "`.venv/bin/ruff format .` lays the code out ([tool.ruff.format] in pyproject.toml)"
    )


def test_mypy_finds_nothing():
    # The cache (.mypy_cache, git-ignored) makes a run after a small change take seconds.
    result = _run(_tool("mypy"), "--no-error-summary")
    assert result.returncode == 0, (
        f"mypy\n{result.stdout}{result.stderr}\n"
        "the core (see [tool.mypy] in pyproject.toml) is typed strictly: annotate what you add"
    )
