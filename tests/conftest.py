from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = ROOT / "processes"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _flowmap_state(tmp_path_factory, monkeypatch):
    """Each test keeps flowmap's record of the files it wrote apart from the user's own."""
    monkeypatch.setenv("FLOWMAP_STATE_HOME", str(tmp_path_factory.mktemp("state")))
    # Every run analyses for real (tests/test_cache.py turns the result cache on where tested).
    monkeypatch.setenv("FLOWMAP_NO_CACHE", "1")


@pytest.fixture
def write(tmp_path):
    """Write a dedented text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


MINIMAL = """
flowmap: 1
process:
  id: demo
  name: Demo
organisation:
  functions:
    - id: sales
      kind: sales
      roles:
        - {id: rep, level: 1, reports_to: manager}
        - {id: manager, level: 3}
steps:
  - id: ask
    owner: customer
    kind: start
  - id: offer
    name: Prepare offer
    owner: sales.rep
    value: customer
  - id: done
    owner: customer
    kind: end
flows:
  - ask -> offer
  - offer -> done
"""
