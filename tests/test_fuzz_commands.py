"""A few bounded rounds of the command fuzzer (tests/fuzzing.py) on every library process."""

from __future__ import annotations

import random

import pytest

from flowmap.cli import run
from tests.conftest import MINIMAL, ROOT
from tests.fuzzing import mutate, run_one

SEEDS = [MINIMAL.encode()] + [p.read_bytes() for p in sorted(
    (ROOT / "processes").glob("*/as-is.flow.yaml"))[:1]]


@pytest.mark.parametrize("seed", range(6))
def test_mutated_files_through_every_command(tmp_path, capsys, seed):
    rng = random.Random(seed)
    data = mutate(rng.choice(SEEDS), rng)

    def err() -> str:  # what the command said, on either stream (-f json reports on stdout)
        out, said = capsys.readouterr()
        return out + said

    assert run_one(data, tmp_path, run, err) == []
