"""BPMN semantics respected before judging: event sub-processes, link events, engine action
events, compensation, joins and message starts are not structure problems; what the importer
wires itself is marked generated and never reported."""

from __future__ import annotations

import flowmap
from flowmap.loaders.bpmn import load_bpmn

from .helpers import write


def _codes(path) -> list[tuple[str, tuple[str, ...]]]:
    process = flowmap.load(path)
    result = flowmap.analyze(process, flowmap.load_config(path))
    return [(f.code, tuple(f.elements)) for f in result.findings if f.code.startswith("STR")]


def test_event_subprocess_is_started_by_its_own_event(tmp_path):
    path = write(
        tmp_path,
        """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="a" name="Bake pizza"/><bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="e"/>
  <bpmn:subProcess id="sub" name="Cancellation" triggeredByEvent="true">
    <bpmn:startEvent id="ss" name="Cancellation requested"><bpmn:messageEventDefinition/></bpmn:startEvent>
    <bpmn:task id="c" name="Cancel order"/><bpmn:endEvent id="se"/>
    <bpmn:sequenceFlow id="g1" sourceRef="ss" targetRef="c"/>
    <bpmn:sequenceFlow id="g2" sourceRef="c" targetRef="se"/>
  </bpmn:subProcess>
  <bpmn:task id="orphan" name="Forgotten"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert [(f.source, f.target) for f in process.flows if f.generated] == [("sub", "ss")]
    assert _codes(path) == [("STR001", ("orphan",)), ("STR002", ("orphan",))]


def test_link_events_join_and_an_unmatched_link_is_an_exit(tmp_path):
    path = write(
        tmp_path,
        """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="a" name="A"/>
  <bpmn:intermediateThrowEvent id="lt" name="to B"><bpmn:linkEventDefinition name="B"/></bpmn:intermediateThrowEvent>
  <bpmn:intermediateCatchEvent id="lc" name="from A"><bpmn:linkEventDefinition name="B"/></bpmn:intermediateCatchEvent>
  <bpmn:task id="b" name="B"/>
  <bpmn:intermediateThrowEvent id="out" name="Delivery"><bpmn:linkEventDefinition name="Delivery"/></bpmn:intermediateThrowEvent>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="lt"/>
  <bpmn:sequenceFlow id="f3" sourceRef="lc" targetRef="b"/>
  <bpmn:sequenceFlow id="f4" sourceRef="b" targetRef="out"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert [(f.source, f.target) for f in process.flows if f.generated] == [("lt", "lc")]
    assert process.step("out").kind.value == "end"
    assert [i.reason for i in process.inferred if i.element == "out"] == [
        (
            "link event 'Delivery' has no catch event in this model: read as an end (the work goes "
            "on in another one)"
        )
    ]
    assert _codes(path) == []


def test_engine_action_events_and_compensation_handlers_are_not_unreachable(tmp_path):
    path = write(
        tmp_path,
        """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="draft" name="Draft"/>
  <bpmn:intermediateCatchEvent id="save" name="Speichern"/>
  <bpmn:intermediateCatchEvent id="submit" name="Submit"/>
  <bpmn:task id="book" name="Book payment"/><bpmn:endEvent id="e"/>
  <bpmn:boundaryEvent id="comp" attachedToRef="book"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
  <bpmn:task id="undo" name="Cancel payment" isForCompensation="true"/>
  <bpmn:association id="as" sourceRef="comp" targetRef="undo"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="draft"/>
  <bpmn:sequenceFlow id="f2" sourceRef="save" targetRef="draft"/>
  <bpmn:sequenceFlow id="f3" sourceRef="draft" targetRef="submit"/>
  <bpmn:sequenceFlow id="f4" sourceRef="submit" targetRef="book"/>
  <bpmn:sequenceFlow id="f5" sourceRef="book" targetRef="e"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    generated = {(f.source, f.target) for f in process.flows if f.generated}
    assert generated == {("draft", "save"), ("book", "comp"), ("comp", "undo")}
    assert _codes(path) == []


def test_joins_are_not_decisions_but_a_one_way_decision_still_is_reported(tmp_path):
    path = write(
        tmp_path,
        """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:exclusiveGateway id="split" name="Known supplier?"/>
  <bpmn:task id="a" name="Order"/><bpmn:task id="b" name="Find supplier"/>
  <bpmn:exclusiveGateway id="join"/><bpmn:exclusiveGateway id="odd" name="OK?"/>
  <bpmn:task id="c" name="Ship"/><bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="split"/>
  <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="a"/>
  <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="b"/>
  <bpmn:sequenceFlow id="f4" sourceRef="a" targetRef="join"/>
  <bpmn:sequenceFlow id="f5" sourceRef="b" targetRef="join"/>
  <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="odd"/>
  <bpmn:sequenceFlow id="f7" sourceRef="odd" targetRef="c"/>
  <bpmn:sequenceFlow id="f8" sourceRef="c" targetRef="e"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert process.step("join").kind.value == "event"
    assert process.step("split").kind.value == "decision"
    assert _codes(path) == [("STR004", ("odd", "f7"))]


def test_a_message_into_a_message_start_is_not_a_flow_into_start(tmp_path):
    path = write(
        tmp_path,
        """
<bpmn:collaboration id="c">
  <bpmn:participant id="pc" name="Customer" processRef="cp"/>
  <bpmn:participant id="ps" name="Pizza service" processRef="sp"/>
  <bpmn:messageFlow id="m1" sourceRef="order" targetRef="received"/>
  <bpmn:messageFlow id="m2" sourceRef="deliver" targetRef="got"/>
</bpmn:collaboration>
<bpmn:process id="cp"><bpmn:startEvent id="hungry"/><bpmn:task id="order" name="Order pizza"/>
  <bpmn:intermediateCatchEvent id="got" name="Pizza received"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="fed"/>
  <bpmn:sequenceFlow id="c1" sourceRef="hungry" targetRef="order"/>
  <bpmn:sequenceFlow id="c2" sourceRef="order" targetRef="got"/>
  <bpmn:sequenceFlow id="c3" sourceRef="got" targetRef="fed"/></bpmn:process>
<bpmn:process id="sp">
  <bpmn:startEvent id="received" name="Order received"><bpmn:messageEventDefinition/></bpmn:startEvent>
  <bpmn:task id="deliver" name="Deliver pizza"/><bpmn:endEvent id="done"/>
  <bpmn:sequenceFlow id="s1" sourceRef="received" targetRef="deliver"/>
  <bpmn:sequenceFlow id="s2" sourceRef="deliver" targetRef="done"/></bpmn:process>""",
    )
    assert _codes(path) == []


def _loops(path) -> list[str]:
    process = flowmap.load(path)
    result = flowmap.analyze(
        process, flowmap.load_config(path).override(select=("VAL004", "SMK004"))
    )
    return [f.code for f in result.findings]


def test_a_round_through_a_black_box_pool_is_not_rework_or_ping_pong(tmp_path):
    """The bank sends a credit action to its IT (a black box) and, elsewhere, IT's message starts
    a vendor check whose refusal ends at the bank's decision again: the box joins two unrelated
    exchanges, so the 'loop' is a path through the drawing (camunda bank dispute)."""
    path = write(
        tmp_path,
        """
<bpmn:collaboration id="c">
  <bpmn:participant id="bank" name="Bank" processRef="p"/>
  <bpmn:participant id="it" name="Bank IT systems"/>
  <bpmn:messageFlow id="m1" sourceRef="credit" targetRef="it"/>
  <bpmn:messageFlow id="m2" sourceRef="it" targetRef="vendor_check"/>
</bpmn:collaboration>
<bpmn:process id="p">
  <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Disputes">
    <bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>decide</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>outcome</bpmn:flowNodeRef><bpmn:flowNodeRef>credit</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>vendor_check</bpmn:flowNodeRef><bpmn:flowNodeRef>answer</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>declined</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef>
  </bpmn:lane></bpmn:laneSet>
  <bpmn:startEvent id="s"/><bpmn:task id="decide" name="Decide on fraud case"/>
  <bpmn:exclusiveGateway id="outcome" name="Outcome?"/>
  <bpmn:task id="credit" name="Initiate credit action"/>
  <bpmn:task id="vendor_check" name="Request proof from vendor"/>
  <bpmn:exclusiveGateway id="answer" name="Vendor answer?"/>
  <bpmn:intermediateThrowEvent id="declined" name="Vendor declined refund"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="decide"/>
  <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="outcome"/>
  <bpmn:sequenceFlow id="f3" sourceRef="outcome" targetRef="credit" name="credit"/>
  <bpmn:sequenceFlow id="f4" sourceRef="outcome" targetRef="e" name="close"/>
  <bpmn:sequenceFlow id="f5" sourceRef="vendor_check" targetRef="answer"/>
  <bpmn:sequenceFlow id="f6" sourceRef="answer" targetRef="declined" name="declined"/>
  <bpmn:sequenceFlow id="f7" sourceRef="answer" targetRef="e" name="refunded"/>
  <bpmn:sequenceFlow id="f8" sourceRef="declined" targetRef="decide"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert [i.value for i in process.inferred if i.element == "it"] == ["black-box"]
    assert _loops(path) == []


def test_a_flow_drawn_backwards_into_a_gateway_is_read_the_right_way(tmp_path):
    """Both reviewers' 'additional info is required' meet at a gateway nothing leaves; its flow
    to the message to the requester is drawn from the message (spiff travel request). Read the
    right way round, the request goes back through the reviews: rework."""
    path = write(
        tmp_path,
        """
<bpmn:collaboration id="c"><bpmn:participant id="pool" name="Travel" processRef="p"/>
</bpmn:collaboration>
<bpmn:process id="p">
  <bpmn:laneSet id="ls">
    <bpmn:lane id="l1" name="Contributor"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>submit</bpmn:flowNodeRef><bpmn:flowNodeRef>tell</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="l2" name="Budget owner"><bpmn:flowNodeRef>review</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>ok</bpmn:flowNodeRef><bpmn:flowNodeRef>more</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="l3" name="People partner"><bpmn:flowNodeRef>review2</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>ok2</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="s"/><bpmn:userTask id="submit" name="Submit travel request"/>
  <bpmn:userTask id="review" name="Review request"/><bpmn:exclusiveGateway id="ok"/>
  <bpmn:userTask id="review2" name="Review request again"/><bpmn:exclusiveGateway id="ok2"/>
  <bpmn:exclusiveGateway id="more"/>
  <bpmn:serviceTask id="tell" name="Ask the contributor for more information"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="submit"/>
  <bpmn:sequenceFlow id="f2" sourceRef="submit" targetRef="review"/>
  <bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="ok"/>
  <bpmn:sequenceFlow id="f4" sourceRef="ok" targetRef="review2" name="Approved"/>
  <bpmn:sequenceFlow id="f5" sourceRef="ok" targetRef="more" name="Additional info is required"/>
  <bpmn:sequenceFlow id="f6" sourceRef="review2" targetRef="ok2"/>
  <bpmn:sequenceFlow id="f7" sourceRef="ok2" targetRef="e" name="Approved"/>
  <bpmn:sequenceFlow id="f8" sourceRef="ok2" targetRef="more" name="Additional info is required"/>
  <bpmn:sequenceFlow id="back" sourceRef="tell" targetRef="more"/>
  <bpmn:sequenceFlow id="f9" sourceRef="tell" targetRef="submit"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    flow = next(f for f in process.flows if f.id == "back")
    assert (flow.source, flow.target) == ("more", "tell")
    [record] = [i for i in process.inferred if i.element == "back"]
    assert record.field == "reversed" and "drawn the other way" in record.reason
    result = flowmap.analyze(process, flowmap.load_config(path).override(select=("VAL004",)))
    [rework] = result.findings
    assert "f9" in rework.elements and record.reason in rework.inferred


def test_a_flow_into_a_gateway_that_leads_on_is_left_as_drawn(tmp_path):
    path = write(
        tmp_path,
        """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="a" name="A"/><bpmn:task id="b" name="B"/>
  <bpmn:exclusiveGateway id="j"/><bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="j"/>
  <bpmn:sequenceFlow id="f3" sourceRef="a" targetRef="b"/>
  <bpmn:sequenceFlow id="f4" sourceRef="b" targetRef="j"/>
  <bpmn:sequenceFlow id="f5" sourceRef="j" targetRef="e"/>
  <bpmn:sequenceFlow id="f6" sourceRef="b" targetRef="e2"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert [(f.source, f.target) for f in process.flows if f.id in ("f2", "f4")] == [
        ("a", "j"),
        ("b", "j"),
    ]
    assert not [i for i in process.inferred if i.field == "reversed"]


def test_activities_of_an_ad_hoc_process_are_optional_items_not_unreachable(tmp_path):
    """jBPM's checklist processes (adHoc="true"): 'Book car' and 'Blog' have no flow in or out;
    they may be done at any time during the trip."""
    path = write(
        tmp_path,
        """
<bpmn:process id="trip" name="Business trip" xmlns:tns="http://www.jboss.org/drools"
              tns:adHoc="true">
  <bpmn:startEvent id="s"/><bpmn:userTask id="request" name="Request trip"/>
  <bpmn:endEvent id="e"/>
  <bpmn:userTask id="car" name="Book car"/><bpmn:userTask id="blog" name="Blog"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="request"/>
  <bpmn:sequenceFlow id="f2" sourceRef="request" targetRef="e"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert [(f.source, f.target) for f in process.flows if f.generated] == [
        ("s", "car"),
        ("s", "blog"),
    ]
    expected = (
        "'Business trip' is an ad-hoc process: 'Book car', which no flow reaches, may be "
        "done at any time"
    )
    assert expected in [i.reason for i in process.inferred]
    assert _codes(path) == []
    plain = path.read_text().replace('tns:adHoc="true"', "")
    path.write_text(plain)
    assert [code for code, _ in _codes(path)] == ["STR001", "STR001", "STR002", "STR002"]


def test_an_unnamed_gateway_work_only_passes_through_is_not_a_decision(tmp_path):
    path = write(
        tmp_path,
        """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="a" name="Show travel"/>
  <bpmn:exclusiveGateway id="through"/><bpmn:task id="b" name="Submit request"/>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="through"/>
  <bpmn:sequenceFlow id="f3" sourceRef="through" targetRef="b"/>
  <bpmn:sequenceFlow id="f4" sourceRef="b" targetRef="e"/>
</bpmn:process>""",
    )
    assert load_bpmn(path).step("through").kind.value == "event"
    assert _codes(path) == []
    labelled = path.read_text().replace('id="f3" ', 'id="f3" name="valid" ')
    path.write_text(labelled)
    assert _codes(path) == [("STR004", ("through", "f3"))]


def test_an_engine_action_through_a_chain_of_catch_events_is_not_unreachable(tmp_path):
    """Imixs: the action 'Erinnerung' (a reminder nothing leads to) waits for a message and
    then leads to the task 'Angefordert' (openbpmn zertifizierung)."""
    path = write(
        tmp_path,
        """
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="t" name="Angefordert"/><bpmn:endEvent id="e"/>
  <bpmn:intermediateCatchEvent id="remind" name="Erinnerung"/>
  <bpmn:intermediateCatchEvent id="mail"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
  <bpmn:sequenceFlow id="f3" sourceRef="remind" targetRef="mail"/>
  <bpmn:sequenceFlow id="f4" sourceRef="mail" targetRef="t"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert [(f.source, f.target) for f in process.flows if f.generated] == [("t", "remind")]
    assert _codes(path) == []
