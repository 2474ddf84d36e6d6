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

    return [
        (f"{rule.code}-{which}", getattr(rule, which))
        for rule in rules.all_rules()
        for which in ("bad", "good")
    ]


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
        drawn = {
            s.get("bpmnElement")
            for s in root.iter(
                "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNShape",
                "{http://www.omg.org/spec/BPMN/20100524/DI}BPMNEdge",
            )
        }
        wanted = {
            e.get("id")
            for e in root.iter()
            if isinstance(e.tag, str)
            and e.tag.startswith(model)
            and e.get("id")
            and etree.QName(e).localname
            not in ("definitions", "collaboration", "process", "laneSet", "childLaneSet")
            and not etree.QName(e).localname.endswith("EventDefinition")
        }
        assert wanted <= drawn, (name, wanted - drawn)


DI_NS = {
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}


def _drawing(path: Path) -> tuple[dict, dict]:
    """The flow nodes' boxes (id -> x, y, w, h) and the flows' ends and waypoints
    (id -> (source, target, points)) of an exported diagram, as a modeler reads them."""
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    by_id = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    boxes, flows = {}, {}
    for shape in root.iterfind(".//bpmndi:BPMNShape", DI_NS):
        element = by_id[shape.get("bpmnElement")]
        if etree.QName(element).localname not in ("participant", "lane"):
            bounds = shape.find("dc:Bounds", DI_NS)
            boxes[element.get("id")] = tuple(
                float(bounds.get(k)) for k in ("x", "y", "width", "height")
            )
    for edge in root.iterfind(".//bpmndi:BPMNEdge", DI_NS):
        element = by_id[edge.get("bpmnElement")]
        points = [
            (float(p.get("x")), float(p.get("y"))) for p in edge.iterfind("di:waypoint", DI_NS)
        ]
        flows[element.get("id")] = (element.get("sourceRef"), element.get("targetRef"), points)
    return boxes, flows


def _touches(point: tuple[float, float], box: tuple[float, ...]) -> bool:
    x, y, w, h = box
    return x - 1 <= point[0] <= x + w + 1 and y - 1 <= point[1] <= y + h + 1


def test_the_diagram_is_readable(exported):
    """No shape covers another; every flow leaves its source's shape and enters its target's;
    a flow drawn straight along a column crosses no other shape."""
    for name, _, path in exported:
        boxes, flows = _drawing(path)
        ids = sorted(boxes)
        for i, a in enumerate(ids):
            ax, ay, aw, ah = boxes[a]
            for b in ids[i + 1 :]:
                bx, by, bw, bh = boxes[b]
                assert not (ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah), (
                    name,
                    a,
                    b,
                )
        for flow, (source, target, points) in flows.items():
            assert _touches(points[0], boxes[source]), (name, flow, "source")
            assert _touches(points[-1], boxes[target]), (name, flow, "target")
            if len(points) == 2 and points[0][0] == points[1][0]:
                x, (top, bottom) = points[0][0], sorted(p[1] for p in points)
                crossed = [
                    k
                    for k, (bx, by, bw, bh) in boxes.items()
                    if k not in (source, target)
                    and bx < x < bx + bw
                    and by < bottom
                    and top < by + bh
                ]
                assert not crossed, (name, flow, crossed)


HANDOFF = """\
flowmap: 1
process: {id: handoff}
organisation:
  functions:
    - id: sales
      roles: [{id: rep, level: 1}]
    - id: billing
      roles: [{id: clerk, level: 1}]
steps:
  - {id: ask, owner: customer, kind: start}
  - {id: quote, name: Quote, owner: sales.rep}
  - {id: bill, name: Bill, owner: billing.clerk}
  - {id: done, owner: customer, kind: end}
flows: [ask -> quote, FLOW, bill -> done]
"""


@pytest.mark.parametrize(
    "flow, shared", [("quote -> bill", True), ("{from: quote, to: bill, label: priced}", False)]
)
def test_the_writer_lays_out_columns_as_render_does(tmp_path, flow, shared):
    """One column algorithm (flowmap.columns) for render and the BPMN writer: work handed alone
    to another lane is drawn straight below, in the same column; a labelled flow needs the room
    between two columns."""
    from flowmap.render.columns import columns
    from flowmap.render.layout import build

    source = tmp_path / "handoff.flow.yaml"
    source.write_text(HANDOFF.replace("FLOW", flow), encoding="utf-8")
    process = load_process(source)
    path = tmp_path / "handoff.bpmn"
    path.write_text(dump(process), encoding="utf-8")
    boxes, flows = _drawing(path)
    centre = {step: boxes[step][0] + boxes[step][2] / 2 for step in ("quote", "bill")}
    assert (centre["quote"] == centre["bill"]) is shared
    [(_, _, points)] = [f for f in flows.values() if f[:2] == ("quote", "bill")]
    assert (len(points) == 2 and points[0][0] == points[1][0]) is shared
    diagram = build(process)
    drawn = columns(diagram)
    node = {n.step: n.id for n in diagram.nodes}
    assert (drawn[node["quote"]] == drawn[node["bill"]]) is shared


def _bpmnlint_missing() -> str:
    if shutil.which("node") is None:
        return "Node.js is not installed (bpmnlint runs on it)"
    if not (NODE_DIR / "node_modules" / "bpmnlint").is_dir():
        return f"bpmnlint is not installed: run `npm ci --prefix {NODE_DIR.relative_to(ROOT)}`"
    return ""


@pytest.mark.skipif(bool(_bpmnlint_missing()), reason=_bpmnlint_missing() or "ready")
def test_bpmnlint_recommended_reports_no_errors(exported):
    result = subprocess.run(
        ["node", str(NODE_DIR / "lint.js"), *(str(p) for _, _, p in exported)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=NODE_DIR,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    reports = json.loads(result.stdout)
    assert len(reports) == len(exported)
    errors = {
        Path(f).name: [r for r in found if r["category"] == "error"] for f, found in reports.items()
    }
    assert {f: e for f, e in errors.items() if e} == {}


@pytest.mark.skipif(bool(_bpmnlint_missing()), reason=_bpmnlint_missing() or "ready")
def test_bpmnlint_check_can_fail(tmp_path):
    path = tmp_path / "bad.bpmn"
    path.write_text(
        '<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'id="d" targetNamespace="urn:x"><process id="p"><task id="t"/></process></definitions>'
    )
    result = subprocess.run(
        ["node", str(NODE_DIR / "lint.js"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=NODE_DIR,
        check=False,
    )
    rules = {r["rule"] for r in json.loads(result.stdout)[str(path)] if r["category"] == "error"}
    assert {"label-required", "no-disconnected", "start-event-required"} <= rules


# ---------------------------------------------------------------------------------------------
# flowmap convert
# ---------------------------------------------------------------------------------------------


def _convert(*args: str):
    from flowmap.cli import cli

    return CliRunner().invoke(cli, ["convert", *args], standalone_mode=False, catch_exceptions=True)


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
        '<sequenceFlow id="g" sourceRef="b" targetRef="b"/></process></definitions>'
    )
    from flowmap.cli import cli

    result = CliRunner().invoke(cli, ["convert", str(source), "-o", str(tmp_path / "p.flow.yaml")])
    assert result.exit_code == 0
    assert "1 step(s) cannot be reached from a start (b)" in result.output
