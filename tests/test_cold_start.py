"""A cold ``flowmap analyze`` of a BPMN model does only what that model needs (issue 13 §3):
what it does not use is not imported, and nothing is asked of Python's introspection that the
model's declarations already answer. Timings are measured in benchmarks/bench_bpmn.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from flowmap import assemble as assembling
from flowmap.loaders.bpmn import load_bpmn
from flowmap.model import Process
from tests.conftest import ROOT
from tests.fresh import fresh_run


def _a_bpmn_model() -> Path:
    found = sorted((ROOT / "tests").rglob("*.bpmn"))
    if not found:
        pytest.skip("no BPMN fixture in tests/")
    return found[0]


def _modules_after_analyze(
    tmp_path: Path, *options: str, model: Path | None = None
) -> tuple[frozenset[str], dict]:
    model = model or _a_bpmn_model()
    args = ["analyze", "--no-cache", "--exit-zero", "--format", "json", *options, str(model)]
    run = fresh_run("flowmap.launch:main", args, cwd=tmp_path, argv=True)
    assert "Error" not in run.stderr, run.stderr
    return run.modules, json.loads(run.stdout)


def test_a_bpmn_model_without_an_organisation_file_does_not_import_its_reader(tmp_path):
    modules, report = _modules_after_analyze(tmp_path)
    assert isinstance(report, list | dict) and report  # the run reported
    assert "flowmap.loaders.bpmn" in modules
    assert "flowmap.loaders.org_file" not in modules
    assert "difflib" not in modules  # the org file's did-you-mean


def test_defaults_that_take_no_data_are_not_introspected(monkeypatch):
    """A model's list, dict or model defaults are known not to take the validated data:
    assembling a BPMN model's process never asks pydantic (whose answer runs inspect.signature)."""

    def asked(self):
        raise AssertionError(f"asked whether {self.default_factory!r} takes the data")

    monkeypatch.setattr(FieldInfo, "default_factory_takes_validated_data", property(asked))
    assembling._plan.cache_clear()
    try:
        process = load_bpmn(_a_bpmn_model())
    finally:
        assembling._plan.cache_clear()
    assert isinstance(process, Process) and process.steps


def test_a_factory_that_takes_the_data_still_leaves_the_model_to_validation():
    class WithData(BaseModel):
        model_config = {"extra": "forbid"}
        seen: dict = Field(default_factory=lambda data: {**data})

    assert assembling.assemble(WithData, {}) is None  # refused: validation decides


def test_the_bpmn_loader_inference_and_analysis_generate_no_code_at_import(tmp_path):
    """Their records are written out (flowmap.records): a dataclass compiles its methods when
    its module is imported, about 4 million instructions a class on Python 3.11."""
    model = _a_bpmn_model()
    spy = (
        "import dataclasses\n"
        "built = []\n"
        "original = dataclasses._process_class\n"
        "def spy(cls, *args, **kwargs):\n"
        "    built.append(cls.__module__ + '.' + cls.__qualname__)\n"
        "    return original(cls, *args, **kwargs)\n"
        "dataclasses._process_class = spy"
    )
    report = "sys.stderr.write('\\nBUILT ' + ' '.join(built))"
    args = ["analyze", "--no-cache", "--exit-zero", str(model)]
    done = fresh_run("flowmap.launch:main", args, cwd=tmp_path, argv=True, before=spy, after=report)
    built = done.stderr.rpartition("BUILT ")[2].split()
    assert any(name.startswith("flowmap.") for name in built), done.stderr  # the spy saw them
    rooms = ("flowmap.loaders.bpmn.", "flowmap.inference.", "flowmap.analysis.FileResult")
    rooms += ("flowmap.analysis.Rule", "flowmap.analysis.Suppression", "flowmap.applicability.")
    rooms += ("flowmap.rules.base.Context",)
    assert [name for name in built if name.startswith(rooms)] == []


def test_without_a_configuration_the_settings_schema_and_rule_examples_are_not_imported(tmp_path):
    """No configuration file and no options: nothing to check, so the settings' pydantic
    models are not built; the rules' example files are for documentation and tests."""
    from flowmap.config import find_config

    model = tmp_path / "model.bpmn"
    model.write_bytes(_a_bpmn_model().read_bytes())
    if find_config(model).source:
        pytest.skip(
            f"a configuration above the temporary folder applies: {find_config(model).source}"
        )
    modules, report = _modules_after_analyze(tmp_path, model=model)
    assert report and "flowmap.config" in modules
    assert "flowmap.config.settings" not in modules
    assert "flowmap.config.messages" not in modules
    assert "flowmap.rules.examples" not in modules
