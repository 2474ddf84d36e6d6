"""Findings on imported models speak of things by the names a reader sees in the diagram.

A BPMN user never wrote ``finance-processing.staff`` (flowmap's key for a lane that is not split
into roles) and never saw ``Gateway_0sz0cst`` (an unnamed gateway's id): a message or redesign
that prints them reads as noise. Checked on every real business model of the shared corpus
(../shared/corpus/bpmn-business) and on small models built here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flowmap import analysis
from flowmap.config import Config
from flowmap.graph import ProcessGraph
from flowmap.loaders import yamlsrc
from flowmap.loaders.bpmn import load_bpmn
from flowmap.model import Process

BUSINESS = next(
    (
        folder / "shared" / "corpus" / "bpmn-business"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "corpus" / "bpmn-business").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bpmn-business",
)
MODELS = sorted(BUSINESS.glob("*.bpmn")) + sorted(BUSINESS.glob("*.xml"))


def _texts(path: Path):
    process = load_bpmn(path)
    graph = ProcessGraph(process)
    for finding in analysis.analyze(process, Config()).findings:
        for text in (finding.message, finding.suggestion):
            yield graph, finding.code, text


@pytest.mark.skipif(not MODELS, reason=f"business BPMN corpus not found at {BUSINESS}")
@pytest.mark.parametrize("path", MODELS, ids=[p.name[:60] for p in MODELS])
def test_no_role_key_and_no_unnamed_connector_in_what_a_finding_says(path):
    for graph, code, text in _texts(path):
        for key in graph.roles:
            assert not re.search(rf"(?<![\w.-]){re.escape(key)}(?![\w-])", text), (code, text)
        for step in graph.process.steps:
            if not graph.worth_naming(step.id):
                assert f"'{step.id}'" not in text, (code, text)


ORG = """
process: {id: p, name: P}
organisation:
  functions:
    - id: sales
      name: Sales
      roles: [{id: staff}, {id: clerk}, {id: lead, name: Sales lead, level: 3}]
steps:
  - {id: a, name: Take order, owner: sales.staff}
  - {id: g, kind: decision, owner: sales.staff}
  - {id: b, name: Ship, owner: sales.staff}
flows: [a -> g, g -> b]
"""


def test_an_unnamed_role_is_named_by_its_function_and_a_named_one_by_its_name():
    graph = ProcessGraph(Process.model_validate(yamlsrc.parse(ORG)[0]))
    assert graph.owner_label("sales.staff") == "Sales"  # an imported lane not split into roles
    assert graph.owner_label("sales.clerk") == "Sales clerk"
    assert graph.owner_label("sales.lead") == "Sales lead"
    assert graph.owner_label("customer") == "the customer"


def test_work_going_on_past_an_unnamed_gateway_names_the_steps_after_it():
    graph = ProcessGraph(Process.model_validate(yamlsrc.parse(ORG)[0]))
    assert graph.onward("g") == "'Ship'"
    assert graph.onward("b") == "'Ship'"


def test_an_unnamed_gateway_is_mentioned_by_the_named_step_before_it():
    graph = ProcessGraph(Process.model_validate(yamlsrc.parse(ORG)[0]))
    assert graph.mention("a") == "'Take order'"
    assert graph.mention("g") == "the decision after 'Take order'"
    assert graph.named(["a", "g", "b"]) == ["'Take order'", "'Ship'"]
