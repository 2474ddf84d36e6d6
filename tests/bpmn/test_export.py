"""BPMN export: round trip, BPMN 2.0 schema, bpmnlint's recommended rules, `flowmap convert`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowmap.errors import LoadError
from flowmap.loaders.bpmn import load_bpmn
from flowmap.loaders.flow_yaml import load_process
from flowmap.writers.bpmn import dump

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
XSD = HERE / "xsd" / "BPMN20.xsd"
NODE_DIR = HERE / "node"


def _library() -> list[Path]:
    return sorted((ROOT / "processes").glob("*/*.flow.yaml"))


def _rule_examples() -> list[tuple[str, str]]:
    from flowmap import rules

    return [(f"{rule.code}-{which}", getattr(rule, which)) for rule in rules.all_rules()
            for which in ("bad", "good")]


def _sources(tmp_path: Path) -> list[tuple[str, object]]:
    """Every process to export: the library, and the rules' examples that load."""
    out = [(f"{p.parent.name}-{p.name.split('.')[0]}", load_process(p)) for p in _library()]
    for name, text in _rule_examples():
        path = tmp_path / f"{name}.flow.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            out.append((name, load_process(path)))
        except LoadError:  # an example of an invalid file (e.g. an unreachable step)
            continue
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list[tuple[str, object, Path]]:
    tmp = tmp_path_factory.mktemp("export")
    out = []
    for name, process in _sources(tmp):
        path = tmp / f"{name}.bpmn"
        path.write_text(dump(process), encoding="utf-8")
        out.append((name, process, path))
    assert len(out) >= 10
    return out


def test_round_trip_keeps_the_process(exported):
    for name, process, path in exported:
        warnings: list = []
        back = load_bpmn(path, warnings=warnings)
        assert back.model_dump(mode="json") == process.model_dump(mode="json"), name
        assert warnings == [], name


def test_round_trip_through_yaml_again(exported, tmp_path):
    from flowmap.writers.flow_yaml import dump as dump_yaml

    for name, process, path in exported[:6]:
        yaml_path = tmp_path / f"{name}.flow.yaml"
        yaml_path.write_text(dump_yaml(load_bpmn(path)), encoding="utf-8")
        assert load_process(yaml_path).model_dump() == process.model_dump(), name


def test_export_validates_against_the_bpmn_schema(exported):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    for name, _, path in exported:
        document = etree.parse(str(path))
        assert schema.validate(document), (name, str(schema.error_log.last_error))


def test_schema_check_can_fail(exported):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    document = etree.parse(str(exported[0][2]))
    flow = next(document.iter("{http://www.omg.org/spec/BPMN/20100524/MODEL}sequenceFlow"))
    del flow.attrib["targetRef"]
    assert not schema.validate(document)


def test_diagram_has_a_shape_for_every_element(exported):
    from lxml import etree

    model = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    for name, _, path in exported:
        root = etree.parse(str(path)).getroot()
        drawn = {s.get("bpmnElement") for s in root.iter(
            "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape",
            "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNEdge")}
        wanted = {e.get("id") for e in root.iter()
                  if isinstance(e.tag, str) and e.tag.startswith(model) and e.get("id")
                  and etree.QName(e).localname not in (
                      "definitions", "collaboration", "process", "laneSet", "childLaneSet")
                  and not etree.QName(e).localname.endswith("EventDefinition")}
        assert wanted <= drawn, (name, wanted - drawn)


def _bpmnlint_missing() -> str:
    if shutil.which("node") is None:
        return "Node.js is not installed (bpmnlint runs on it)"
    if not (NODE_DIR / "node_modules" / "bpmnlint").is_dir():
        return f"bpmnlint is not installed: run `npm ci --prefix {NODE_DIR.relative_to(ROOT)}`"
    return ""


@pytest.mark.skipif(bool(_bpmnlint_missing()), reason=_bpmnlint_missing() or "ready")
def test_bpmnlint_recommended_reports_no_errors(exported):
    result = subprocess.run(["node", str(NODE_DIR / "lint.js"), *(str(p) for _, _, p in exported)],
                            capture_output=True, text=True, timeout=120, cwd=NODE_DIR, check=False)
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert len(reports) == len(exported)
    errors = {Path(f).name: [r for r in found if r["category"] == "error"]
              for f, found in reports.items()}
    assert {f: e for f, e in errors.items() if e} == {}


@pytest.mark.skipif(bool(_bpmnlint_missing()), reason=_bpmnlint_missing() or "ready")
def test_bpmnlint_check_can_fail(tmp_path):
    path = tmp_path / "bad.bpmn"
    path.write_text(
        '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="d" targetNamespace="urn:x"><process id="p"><task id="t"/></process></definitions>')
    result = subprocess.run(["node", str(NODE_DIR / "lint.js"), str(path)], capture_output=True,
                            text=True, timeout=60, cwd=NODE_DIR, check=False)
    rules = {r["rule"] for r in json.loads(result.stdout)[str(path)] if r["category"] == "error"}
    assert {"label-required", "no-disconnected", "start-event-required"} <= rules


# ---------------------------------------------------------------------------------------------
# flowmap convert
# ---------------------------------------------------------------------------------------------


def _convert(*args: str):
    from flowmap.cli import cli

    return CliRunner().invoke(cli, ["convert", *args], standalone_mode=False,
                              catch_exceptions=True)


def test_convert_yaml_to_bpmn_and_back(tmp_path):
    source = _library()[0] if _library() else None
    if source is None:
        pytest.skip("no processes/*.flow.yaml yet")
    bpmn_path, yaml_path = tmp_path / "p.bpmn", tmp_path / "p.flow.yaml"
    assert _convert(str(source), "-o", str(bpmn_path)).exit_code == 0
    assert _convert(str(bpmn_path), "-o", str(yaml_path)).exit_code == 0
    assert load_process(yaml_path).model_dump() == load_process(source).model_dump()


def test_convert_refuses_to_overwrite(tmp_path):
    from flowmap.errors import UsageError

    source = tmp_path / "a.bpmn"
    source.write_text(dump(load_process(_library()[0])) if _library() else "")
    target = tmp_path / "a.flow.yaml"
    target.write_text("mine")
    result = _convert(str(source), "-o", str(target))
    assert isinstance(result.exception, UsageError) and "--force" in str(result.exception)
    assert target.read_text() == "mine"
    assert _convert(str(source), "-o", str(target), "--force").exit_code == 0
    assert target.read_text().startswith("# Converted by flowmap from a.bpmn")
    result = _convert(str(source), "-o", str(tmp_path / "a.txt"))
    assert isinstance(result.exception, UsageError)


def test_convert_reports_a_broken_file(tmp_path):
    source = tmp_path / "broken.bpmn"
    source.write_text("<definitions")
    result = _convert(str(source), "-o", str(tmp_path / "out.flow.yaml"))
    assert isinstance(result.exception, LoadError)
    assert not (tmp_path / "out.flow.yaml").exists()


def test_render_di_draws_every_shape(exported, tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_di", HERE / "render_di.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _, process, path = exported[0]
    svg = module.render(path)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    for step in process.steps:
        assert (step.name or step.id).split()[0] in svg


def test_convert_notes_unreachable_steps(tmp_path):
    source = tmp_path / "pieces.bpmn"
    source.write_text(
        '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="d" targetNamespace="urn:x"><process id="p"><startEvent id="s"/><task id="a"/>'
        '<task id="b"/><sequenceFlow id="f" sourceRef="s" targetRef="a"/>'
        '<sequenceFlow id="g" sourceRef="b" targetRef="b"/></process></definitions>')
    from flowmap.cli import cli

    result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "p.flow.yaml")])
    assert result.exit_code == 0
    assert "1 step(s) cannot be reached from a start (b)" in result.output
