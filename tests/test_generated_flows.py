"""Flows a loader made (``generated``: a flattened sub-process, a boundary event, a link event)
carry the work for every rule, are never named by a finding, and survive the YAML writer, fmt
and ``--fix``."""

from __future__ import annotations

import textwrap

from flowmap.analysis import analyze
from flowmap.cli import run
from flowmap.config import Config
from flowmap.loaders import load_any
from flowmap.writers.flow_yaml import dump

from .bpmn.helpers import write

LOOP = """\
flowmap: 1
process: {id: loop}
organisation:
  functions:
    - id: ops
      roles: [{id: clerk}]
    - id: qa
      roles: [{id: checker}]
steps:
  - {id: s, kind: start, owner: ops.clerk}
  - {id: a, name: Prepare claim, owner: ops.clerk}
  - {id: b, name: Check claim, owner: qa.checker}
  - {id: ok, name: Claim right?, owner: qa.checker, kind: decision}
  - {id: e, kind: end, owner: qa.checker}
flows:
  - s -> a
  - a -> b
  - b -> ok
  - {from: ok, to: e, label: right, probability: 0.7}
  - {from: ok, to: a, label: wrong, probability: 0.3, generated: true}
"""


def test_a_rule_follows_a_generated_flow_but_never_names_it(tmp_path):
    path = tmp_path / "loop.flow.yaml"
    path.write_text(LOOP, encoding="utf-8")
    process = load_any(path)
    [rework] = analyze(process, Config(select=("VAL004",))).findings
    assert "ok->a" not in rework.elements
    assert set(rework.elements) == {"a", "b", "ok"}


def test_generated_marks_survive_the_writer_fmt_and_fix(tmp_path):
    path = tmp_path / "loop.flow.yaml"
    path.write_text(LOOP, encoding="utf-8")
    process = load_any(path)
    again = tmp_path / "again.flow.yaml"
    again.write_text(dump(process), encoding="utf-8")
    assert [f.id for f in load_any(again).flows if f.generated] == ["ok->a"]
    assert run(["fmt", str(path)]) == 0
    assert [f.id for f in load_any(path).flows if f.generated] == ["ok->a"]
    fixed = tmp_path / "fixed.flow.yaml"
    assert run(["analyze", "--fix", str(path), "-o", str(fixed)]) == 0  # --fix writes, exit 0
    assert [f.id for f in load_any(fixed).flows if f.generated] == ["ok->a"]


def test_a_converted_bpmn_model_keeps_its_generated_flows(tmp_path):
    model = write(
        tmp_path,
        textwrap.dedent("""
    <bpmn:process id="p">
      <bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>
      <bpmn:subProcess id="sub" name="Check order">
        <bpmn:startEvent id="ss"/><bpmn:task id="t" name="Check"/><bpmn:endEvent id="se"/>
        <bpmn:sequenceFlow id="g1" sourceRef="ss" targetRef="t"/>
        <bpmn:sequenceFlow id="g2" sourceRef="t" targetRef="se"/>
      </bpmn:subProcess>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub"/>
      <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="e"/>
    </bpmn:process>"""),
    )
    out = tmp_path / "model.flow.yaml"
    assert run(["convert", str(model), "-o", str(out)]) == 0
    made = {f.id for f in load_any(model).flows if f.generated}
    assert made and {f.id for f in load_any(out).flows if f.generated} == made
