"""Shared pieces of the mining tests: a private cache folder and small logs written on the spot."""

from __future__ import annotations

import csv
import os
import textwrap
from datetime import UTC
from pathlib import Path

import pytest

# The shared corpus sits beside the repository; FLOWMAP_SHARED points elsewhere (a worktree).
SHARED = Path(
    os.environ.get("FLOWMAP_SHARED") or Path(__file__).resolve().parents[2].parent / "shared"
)
CORPUS = SHARED / "corpus" / "event-logs"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"event-log corpus not found at {CORPUS}"
)

ORG = """
flowmap: 1
organisation:
  functions:
    - id: sales
      kind: sales
      roles:
        - {id: rep, level: 1, reports_to: manager}
        - {id: manager, level: 3}
    - id: finance
      kind: finance
      roles:
        - {id: analyst, level: 1, reports_to: manager}
        - {id: manager, level: 3}
    - id: care
      name: Customer care
      kind: service
      roles:
        - {id: agent, level: 1}
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FLOWMAP_CACHE_DIR", str(tmp_path / "cache"))


def write_csv(path: Path, rows: list[dict]) -> Path:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_text(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def hours(h: float, day: int = 1) -> str:
    """An ISO time h hours after 2024-03-<day> 08:00 UTC."""
    from datetime import datetime, timedelta

    moment = datetime(2024, 3, day, 8, tzinfo=UTC) + timedelta(hours=h)
    return moment.isoformat()


def event(case, activity, at, role=None, resource=None, lifecycle=None, day=1) -> dict:
    row = {
        "case:concept:name": case,
        "concept:name": activity,
        "time:timestamp": hours(at, day),
        "org:resource": resource or "",
        "org:role": role or "",
    }
    if lifecycle is not None:
        row["lifecycle:transition"] = lifecycle
    return row
