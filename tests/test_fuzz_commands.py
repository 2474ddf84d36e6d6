"""A few bounded rounds of the command fuzzer (tests/fuzzing.py): mutated process files, BPMN
models and organisation files through the commands that read them."""

from __future__ import annotations

import random

import pytest

from flowmap.cli import run
from tests.conftest import MINIMAL, ROOT
from tests.fuzzing import mutate, run_one, seeds

PROCESSES = [MINIMAL.encode()] + [
    p.read_bytes() for p in sorted((ROOT / "processes").glob("*/as-is.flow.yaml"))[:1]
]


@pytest.fixture(scope="module")
def seed_files(tmp_path_factory):
    def quiet() -> str:
        return ""

    return seeds(ROOT, tmp_path_factory.mktemp("seeds"), run, quiet, PROCESSES)


@pytest.mark.parametrize("kind", ["process", "bpmn", "org"])
@pytest.mark.parametrize("seed", range(4))
def test_mutated_files_through_every_command(tmp_path, capsys, seed_files, kind, seed):
    rng = random.Random(seed)
    data = mutate(rng.choice([data for k, data in seed_files if k == kind]), rng)

    def err() -> str:  # what the command said, on either stream (-f json reports on stdout)
        out, said = capsys.readouterr()
        return out + said

    assert run_one(data, tmp_path, run, err, kind) == []
