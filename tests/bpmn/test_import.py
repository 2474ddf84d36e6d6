"""The BPMN import conventions, one at a time, on small models."""

from __future__ import annotations

import pytest

from flowmap.errors import LoadError
from flowmap.loaders import load_any
from flowmap.loaders.bpmn import load_bpmn
from flowmap.model import FlowKind, FunctionKind, StepKind

from .helpers import write

COMPANY = """
<bpmn:collaboration id="c">
  <bpmn:participant id="p_customer" name="Customer" processRef="customer_process"/>
  <bpmn:participant id="p_company" name="Acme" processRef="company_process"/>
  <bpmn:messageFlow id="m1" sourceRef="order" targetRef="take"/>
  <bpmn:messageFlow id="m2" sourceRef="ship" targetRef="receive"/>
</bpmn:collaboration>
<bpmn:process id="customer_process">
  <bpmn:startEvent id="need" name="Needs parts"/>
  <bpmn:task id="order" name="Order parts"/>
  <bpmn:task id="receive" name="Receive parts"/>
  <bpmn:sequenceFlow id="s0" sourceRef="need" targetRef="order"/>
  <bpmn:sequenceFlow id="s00" sourceRef="order" targetRef="receive"/>
</bpmn:process>
<bpmn:process id="company_process">
  <bpmn:laneSet id="ls">
    <bpmn:lane id="l_sales" name="Sales">
      <bpmn:childLaneSet id="ls2">
        <bpmn:lane id="l_rep" name="Sales representative"><bpmn:flowNodeRef>take</bpmn:flowNodeRef></bpmn:lane>
        <bpmn:lane id="l_mgr" name="Sales manager"><bpmn:flowNodeRef>approve</bpmn:flowNodeRef>
          <bpmn:flowNodeRef>ok</bpmn:flowNodeRef></bpmn:lane>
        <bpmn:lane id="l_vp" name="VP Sales" flowmap:level="4"/>
      </bpmn:childLaneSet>
    </bpmn:lane>
    <bpmn:lane id="l_wh" name="Warehouse">
      <bpmn:flowNodeRef>ship</bpmn:flowNodeRef><bpmn:flowNodeRef>fix</bpmn:flowNodeRef>
    </bpmn:lane>
    <bpmn:lane id="l_cs" name="Customer Service">
      <bpmn:childLaneSet id="ls3">
        <bpmn:lane id="l_agent" name="Agent"><bpmn:flowNodeRef>apologise</bpmn:flowNodeRef></bpmn:lane>
      </bpmn:childLaneSet>
    </bpmn:lane>
  </bpmn:laneSet>
  <bpmn:task id="take" name="Take order" flowmap:value="business" flowmap:purpose="re-entry approval"
             flowmap:work="15m">
    <bpmn:documentation>Typed from the email.</bpmn:documentation>
    <bpmn:dataInputAssociation id="di1"><bpmn:sourceRef>po</bpmn:sourceRef></bpmn:dataInputAssociation>
    <bpmn:dataOutputAssociation id="do1"><bpmn:targetRef>erp</bpmn:targetRef></bpmn:dataOutputAssociation>
  </bpmn:task>
  <bpmn:dataObjectReference id="po" name="Purchase order" dataObjectRef="po_obj"/>
  <bpmn:dataObject id="po_obj"/>
  <bpmn:dataStoreReference id="erp" name="ERP"/>
  <bpmn:exclusiveGateway id="approve" name="Credit ok?"/>
  <bpmn:task id="ok" name="Release order"/>
  <bpmn:task id="ship" name="Ship"/>
  <bpmn:boundaryEvent id="broken" name="Damaged" attachedToRef="ship">
    <bpmn:errorEventDefinition id="e1"/>
  </bpmn:boundaryEvent>
  <bpmn:task id="apologise" name="Apologise"/>
  <bpmn:task id="fix" name="Fix the order"/>
  <bpmn:sequenceFlow id="s1" sourceRef="take" targetRef="approve"/>
  <bpmn:sequenceFlow id="s2" name="yes" sourceRef="approve" targetRef="ok"/>
  <bpmn:sequenceFlow id="s3" name="Rejected" sourceRef="approve" targetRef="fix"/>
  <bpmn:sequenceFlow id="s4" sourceRef="ok" targetRef="ship"/>
  <bpmn:sequenceFlow id="s5" sourceRef="broken" targetRef="apologise"/>
  <bpmn:textAnnotation id="note"><bpmn:text>Often late</bpmn:text></bpmn:textAnnotation>
  <bpmn:association id="a1" sourceRef="ship" targetRef="note"/>
</bpmn:process>
"""


@pytest.fixture
def company(tmp_path):
    return load_bpmn(write(tmp_path, COMPANY))


def test_company_pool_lanes_are_functions_and_nested_lanes_roles(company):
    functions = {f.id: f for f in company.organisation.functions}
    assert list(functions) == ["sales", "warehouse", "customer-service"]
    sales = functions["sales"]
    assert [(r.id, r.level) for r in sales.roles] == [
        ("sales-representative", 1),
        ("sales-manager", 3),
        ("vp-sales", 4),
    ]
    # chain of command from the levels: rep -> manager -> VP
    assert [r.reports_to for r in sales.roles] == ["sales-manager", "vp-sales", None]
    assert functions["customer-service"].kind == FunctionKind.service
    assert functions["warehouse"].kind == FunctionKind.logistics
    assert [r.id for r in functions["warehouse"].roles] == ["staff"]


def test_steps_keep_bpmn_ids_and_owners(company):
    assert company.step("take").owner == "sales.sales-representative"
    assert company.step("approve").kind == StepKind.decision
    assert company.step("ship").owner == "warehouse.staff"
    assert company.step("order").owner == "customer"
    assert company.step("need").kind == StepKind.start
    assert company.customer.name == "Customer"


def test_flowmap_attributes_and_data(company):
    take = company.step("take")
    assert take.value.value == "business"
    assert [p.value for p in take.purpose] == ["re-entry", "approval"]
    assert take.work == 15.0
    assert list(take.data) == ["Purchase order"] and list(take.systems) == ["ERP"]
    assert take.notes == "Typed from the email."
    assert company.step("ship").notes == "Often late"
    assert company.step("ok").value is None  # undeclared: the rules infer it


def test_failure_branches_are_exceptions(company):
    flows = {(f.source, f.target): f for f in company.flows}
    assert flows[("approve", "fix")].kind == FlowKind.exception  # "Rejected"
    assert flows[("approve", "ok")].kind == FlowKind.normal
    assert flows[("ship", "broken")].kind == FlowKind.exception  # error boundary event
    assert flows[("broken", "apologise")].kind == FlowKind.exception
    assert company.step("broken").owner == "warehouse.staff"  # the activity's owner


def test_message_flows_are_handoffs_between_pools(company):
    ids = {f.id for f in company.flows}
    assert {"m1", "m2"} <= ids
    m1 = next(f for f in company.flows if f.id == "m1")
    assert (m1.source, m1.target) == ("order", "take")


def test_locations_point_at_the_element(tmp_path):
    path = write(tmp_path, COMPANY)
    process = load_bpmn(path)
    lines = path.read_text().split("\n")
    for kind, ident, text in (
        ("step", "take", '<bpmn:task id="take"'),
        ("flow", "s3", '<bpmn:sequenceFlow id="s3"'),
        ("function", "sales", '<bpmn:lane id="l_sales"'),
        ("role", "sales.vp-sales", '<bpmn:lane id="l_vp"'),
    ):
        where = process.locate(kind, ident)
        assert lines[where.line - 1][where.column - 1 :].startswith(text), (kind, where)


def test_prefixes_do_not_matter(tmp_path):
    plain = load_bpmn(write(tmp_path, COMPANY, "a.bpmn", prefix=""))
    odd = load_bpmn(write(tmp_path, COMPANY, "b.bpmn", prefix="semantic"))
    assert plain.model_dump(exclude={"info"}) == odd.model_dump(exclude={"info"})
    assert plain.info.name == odd.info.name


def test_load_any_dispatches_xml_suffixes(tmp_path):
    for name in ("m.bpmn2", "m.bpmn20.xml", "m.xml"):
        assert load_any(write(tmp_path, COMPANY, name)).step("take").name == "Take order"


def test_lanes_of_department_pools_are_roles(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:collaboration id="c">
  <bpmn:participant id="p1" name="Billing" processRef="pr1"/>
  <bpmn:participant id="p2" name="Help desk" processRef="pr2"/>
  <bpmn:participant id="p3" name="Patient"/>
  <bpmn:messageFlow id="m" sourceRef="invoice" targetRef="answer"/>
  <bpmn:messageFlow id="m2" sourceRef="answer" targetRef="p3"/>
</bpmn:collaboration>
<bpmn:process id="pr1"><bpmn:laneSet id="ls1">
  <bpmn:lane id="a" name="Billing clerk"><bpmn:flowNodeRef>invoice</bpmn:flowNodeRef></bpmn:lane>
  <bpmn:lane id="b" name="Head of billing"/></bpmn:laneSet>
  <bpmn:task id="invoice" name="Send invoice"/></bpmn:process>
<bpmn:process id="pr2"><bpmn:task id="answer" name="Answer the call"/></bpmn:process>
""",
        )
    )
    functions = {f.id: f for f in process.organisation.functions}
    assert [(r.id, r.level) for r in functions["billing"].roles] == [
        ("billing-clerk", 1),
        ("head-of-billing", 4),
    ]
    assert functions["help-desk"].kind == FunctionKind.service
    assert process.step("answer").owner == "help-desk.staff"
    # a message flow to a black-box pool: the pool is a step of the customer
    assert process.step("p3").owner == "customer" and process.customer.name == "Patient"


def test_expanded_subprocess_is_flattened(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/>
  <bpmn:subProcess id="sub" name="Check">
    <bpmn:startEvent id="sub_s"/><bpmn:task id="inner" name="Inner"/>
    <bpmn:endEvent id="sub_e"/>
    <bpmn:sequenceFlow id="i1" sourceRef="sub_s" targetRef="inner"/>
    <bpmn:sequenceFlow id="i2" sourceRef="inner" targetRef="sub_e"/>
  </bpmn:subProcess>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub"/>
  <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="e"/>
</bpmn:process>""",
        )
    )
    pairs = {(f.source, f.target) for f in process.flows}
    assert pairs == {
        ("s", "sub"),
        ("sub", "sub_s"),
        ("sub_s", "inner"),
        ("inner", "sub_e"),
        ("sub_e", "e"),
    }
    assert process.step("sub").kind == StepKind.subprocess
    assert next(f for f in process.flows if f.source == "sub_e").id == "f2"
    # the flow into the sub-process's content is flowmap's, not the modeller's
    generated = {(f.source, f.target) for f in process.flows if f.generated}
    assert generated == {("sub", "sub_s")}
    assert "generated" not in process.model_dump(by_alias=True)["flows"][0]


def test_lane_membership_from_geometry(tmp_path):
    warnings: list = []
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:process id="p"><bpmn:laneSet id="ls">
  <bpmn:lane id="top" name="Front office"/><bpmn:lane id="bottom" name="Back office"/>
</bpmn:laneSet><bpmn:task id="t" name="T"/></bpmn:process>
<bpmndi:BPMNDiagram id="d"><bpmndi:BPMNPlane id="pl" bpmnElement="p">
  <bpmndi:BPMNShape id="s1" bpmnElement="top"><dc:Bounds x="0" y="0" width="500" height="100"/></bpmndi:BPMNShape>
  <bpmndi:BPMNShape id="s2" bpmnElement="bottom"><dc:Bounds x="0" y="100" width="500" height="100"/></bpmndi:BPMNShape>
  <bpmndi:BPMNShape id="s3" bpmnElement="t"><dc:Bounds x="50" y="110" width="100" height="80"/></bpmndi:BPMNShape>
</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>""",
        ),
        warnings=warnings,
    )
    assert process.step("t").owner == "back-office.staff"
    assert "lane-by-diagram" in {w.code for w in warnings}


def test_unreachable_steps_are_kept(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:process id="p"><bpmn:startEvent id="s"/><bpmn:task id="a" name="A"/>
<bpmn:task id="orphan" name="Orphan"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="a"/>
</bpmn:process>""",
        )
    )
    assert process.step("orphan")


def test_ids_with_dots_are_kept_exactly(tmp_path):
    warnings: list = []
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:process id="p"><bpmn:task id="x.1" name="A"/><bpmn:task id="x_1" name="B"/>
<bpmn:sequenceFlow id="f" sourceRef="x.1" targetRef="x_1"/></bpmn:process>""",
        ),
        warnings=warnings,
    )
    assert [s.id for s in process.steps] == ["x.1", "x_1"]
    assert (process.flows[0].source, process.flows[0].target) == ("x.1", "x_1")
    assert "id-changed" not in {w.code for w in warnings}


def test_ids_that_do_not_fit_are_sanitised(tmp_path):
    warnings: list = []
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:process id="p"><bpmn:task id="x:1" name="A"/><bpmn:task id="x_1" name="B"/>
<bpmn:sequenceFlow id="f" sourceRef="x:1" targetRef="x_1"/></bpmn:process>""",
        ),
        warnings=warnings,
    )
    ids = [s.id for s in process.steps]
    assert len(set(ids)) == 2 and "x_1" in ids
    flow = process.flows[0]
    assert {flow.source, flow.target} == set(ids)
    assert "id-changed" in {w.code for w in warnings}


@pytest.mark.parametrize(
    "body, element, words",
    [
        (
            (
                '<bpmn:process id="p"><bpmn:task id="a"/>'
                '<bpmn:sequenceFlow id="f9" sourceRef="a" targetRef="ghost"/></bpmn:process>'
            ),
            "f9",
            "'ghost' names no element",
        ),
        (
            '<bpmn:process id="p"><bpmn:task id="a" flowmap:value="maybe"/></bpmn:process>',
            "a",
            "flowmap:value 'maybe'",
        ),
        (
            '<bpmn:process id="p"><bpmn:task id="a"/><bpmn:task id="a"/></bpmn:process>',
            "a",
            "used by more than one element",
        ),
        (
            (
                '<bpmn:process id="p"><bpmn:laneSet id="l"><bpmn:lane id="x" name="X" flowmap:level="9">'
                '<bpmn:flowNodeRef>a</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet><bpmn:task id="a"/>'
                "</bpmn:process>"
            ),
            "x",
            "flowmap:level '9'",
        ),
        (
            '<bpmn:process id="p"><bpmn:boundaryEvent id="b" attachedToRef="nothing"/></bpmn:process>',
            "b",
            "attached to 'nothing'",
        ),
    ],
)
def test_broken_files_are_refused_naming_the_element(tmp_path, body, element, words):
    path = write(tmp_path, body)
    with pytest.raises(LoadError) as caught:
        load_bpmn(path)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert errors and errors[0].element == element and words in errors[0].message
    assert errors[0].location.line >= 2


def test_not_bpmn(tmp_path):
    path = tmp_path / "x.bpmn"
    path.write_text('<?xml version="1.0"?><html><body/></html>')
    with pytest.raises(LoadError, match=r"not a BPMN 2\.0 file"):
        load_bpmn(path)
    path.write_text('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process')
    with pytest.raises(LoadError, match="not well-formed") as caught:
        load_bpmn(path)
    assert caught.value.problems[0].location.line == 1


def test_other_encodings(tmp_path):
    text = write(
        tmp_path, '<bpmn:process id="p"><bpmn:task id="t" name="Prüfen"/></bpmn:process>'
    ).read_text(encoding="utf-8")
    latin = tmp_path / "latin.bpmn"
    latin.write_bytes(text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1"))
    utf16 = tmp_path / "utf16.bpmn"
    utf16.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    lying = tmp_path / "lying.bpmn"
    lying.write_bytes(text.encode("latin-1"))  # says UTF-8, is Latin-1
    for path in (latin, utf16, lying):
        warnings: list = []
        assert load_bpmn(path, warnings=warnings).step("t").name == "Prüfen"
        assert ({w.code for w in warnings} >= {"encoding-mismatch"}) == (path is lying)


def test_locations_survive_pickling(tmp_path):
    # analyze_paths sends processes between worker processes
    import pickle

    path = write(tmp_path, COMPANY)
    process = load_bpmn(path)
    copy = pickle.loads(pickle.dumps(process))
    for kind, ident in (("step", "take"), ("flow", "s3"), ("role", "sales.vp-sales")):
        assert copy.locate(kind, ident) == process.locate(kind, ident)
    assert copy.locate("step", "take").line > 1
