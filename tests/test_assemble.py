"""Models assembled without pydantic's validators (flowmap/assemble.py) are what validation makes
of the same data, and anything it does not check exactly is left to validation."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from flowmap.assemble import assemble
from flowmap.loaders.bpmn import load_bpmn
from flowmap.model import Process
from tests.bpmn.test_corpus import CORPUS
from tests.conftest import ROOT

BUSINESS = CORPUS.parent / "bpmn-business"
# the module (the package's name `build` is its function)
build_module = importlib.import_module("flowmap.loaders.bpmn.build")


def same(a, b) -> bool:
    """Equal values of the same types all the way down, with the same fields set."""
    if type(a) is not type(b):
        return False
    if hasattr(type(a), "model_fields"):
        fields = type(a).model_fields
        return a.model_fields_set == b.model_fields_set and all(
            same(getattr(a, n), getattr(b, n)) for n in fields
        )
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"BPMN corpus not found at {CORPUS}")
def test_every_corpus_model_is_assembled_as_validation_makes_it(monkeypatch):
    datas = []
    original = build_module.process_data

    def keep(*args, **kwargs):
        datas.append(original(*args, **kwargs))
        return datas[-1]

    monkeypatch.setattr(build_module, "process_data", keep)
    paths = sorted(CORPUS.glob("*.bpmn")) + sorted(BUSINESS.glob("**/*.bpmn"))
    for path in paths:
        try:
            load_bpmn(str(path))
        except Exception:  # noqa: BLE001 - the refused files are test_corpus.py's business
            continue
    assert len(datas) > 80
    for data in datas:
        made = assemble(Process, data)
        assert made is not None, data["process"]["id"]  # the loader's data is all plain
        validated = Process.model_validate(data)
        assert same(made, validated), data["process"]["id"]
        assert made.model_dump(mode="json") == validated.model_dump(mode="json")


@pytest.mark.parametrize(
    ("step", "assembled"),
    [
        ({"id": "a", "work": "2h", "wait": 30, "purpose": "approval"}, True),
        ({"id": "a", "name": "  Check claim  ", "systems": "crm", "ignore": ["VAL001"]}, True),
        ({"id": "a", "value": "customer", "touchpoint": True, "cost": 12}, True),
        ({"id": "a b"}, False),  # not an id
        ({"id": "a", "work": "soon"}, False),  # not a duration
        ({"id": "a", "work": float("inf")}, False),
        ({"id": "a", "cost": -1}, False),
        ({"id": "a", "kind": "meeting"}, False),  # not a step kind
        ({"id": "a", "touchpoint": "yes"}, False),  # validation's business (lax booleans)
        ({"id": "a", "colour": "red"}, False),  # not a field
        ({"name": "no id"}, False),
        ({"id": "a", "notes": 3}, False),
    ],
)
def test_a_step_is_assembled_only_when_validation_would_take_it_as_is(step, assembled):
    data = {"process": {"id": "p"}, "steps": [step], "flows": []}
    made = assemble(Process, data)
    assert (made is not None) is assembled
    if made is not None:
        assert same(made, Process.model_validate(data))


def test_flows_get_their_ids_and_defaults_as_validation_gives_them():
    data = {
        "process": {"id": "p", "version": 2},
        "customer": "Patient",
        "organisation": {"functions": [{"id": "ward", "roles": [{"id": "nurse", "level": 1}]}]},
        "steps": [{"id": "a"}, {"id": "b"}],
        "flows": [{"from": "a", "to": "b"}, {"from": "a", "to": "b", "kind": "rework"}],
    }
    made = assemble(Process, data)
    assert made is not None and same(made, Process.model_validate(data))
    assert [f.id for f in made.flows] == ["a->b", "a->b#2"]
    assert made.info.version == "2" and made.customer.name == "Patient"
    level = {
        **data,
        "organisation": {"functions": [{"id": "w", "roles": [{"id": "r", "level": 9}]}]},
    }
    assert assemble(Process, level) is None  # out of bounds: validation reports it


def test_a_cold_bpmn_analysis_builds_no_validator_and_searches_no_plugins():
    """pydantic builds a model's validator on first use and then looks through every installed
    package for plugins (importlib.metadata): an imported BPMN file needs neither."""
    code = (
        "import sys\n"
        "import flowmap\n"
        "from flowmap.model import Process\n"
        f"result = flowmap.analyze(flowmap.load({str(_a_bpmn_file())!r}))\n"
        "print('FINDINGS', len(result.findings), 'BUILT', Process.__pydantic_complete__,"
        " 'PLUGINS', 'pydantic.plugin._loader' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert "BUILT False PLUGINS False" in done.stdout, done.stdout + done.stderr


def _a_bpmn_file() -> Path:
    found = sorted(ROOT.glob("processes/**/*.bpmn")) or sorted(CORPUS.glob("*.bpmn"))
    if not found:
        pytest.skip("no BPMN file to analyse")
    return found[0]
