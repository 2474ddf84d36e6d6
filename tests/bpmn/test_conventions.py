"""Engine and tool conventions of BPMN models as organisations have them, read before judging:
pools drawn as black boxes, copies of flows made by flattening, task types that say a system
does the work, reminders on approvals, Imixs workflow actions."""

from __future__ import annotations

import flowmap
from flowmap.config import Config
from flowmap.loaders.bpmn import load_bpmn

from .helpers import write


def test_a_pool_drawn_as_a_black_box_is_a_participant_not_a_step_of_ours(tmp_path):
    """Our order desk sends the order to IT's systems and to the accounting package (black boxes
    that answer nothing), and a partner's black box sends the order in (camunda telco, spiff
    invoice approval, signavio underwriter): no IT step 'never reaches the customer' (VAL006),
    no dead end (STR002), no back office that 'does 1 step' (CX003), nothing unreachable
    (STR001). The desk's own forgotten task is still a dead end."""
    path = write(
        tmp_path,
        """
<bpmn:collaboration id="c">
  <bpmn:participant id="cust" name="Customer" processRef="pc"/>
  <bpmn:participant id="desk" name="Order desk" processRef="p"/>
  <bpmn:participant id="it" name="Customer Data Management and IT systems"/>
  <bpmn:participant id="xero" name="Xero"/>
  <bpmn:participant id="partner" name="Partner"/>
  <bpmn:messageFlow id="m0" sourceRef="order" targetRef="take"/>
  <bpmn:messageFlow id="m1" sourceRef="take" targetRef="it"/>
  <bpmn:messageFlow id="m2" sourceRef="confirm" targetRef="xero"/>
  <bpmn:messageFlow id="m3" sourceRef="partner" targetRef="take"/>
  <bpmn:messageFlow id="m4" sourceRef="confirm" targetRef="got"/>
</bpmn:collaboration>
<bpmn:process id="pc"><bpmn:startEvent id="cs"/><bpmn:task id="order" name="Place order"/>
  <bpmn:task id="got" name="Receive confirmation"/><bpmn:endEvent id="ce"/>
  <bpmn:sequenceFlow id="c1" sourceRef="cs" targetRef="order"/>
  <bpmn:sequenceFlow id="c2" sourceRef="order" targetRef="got"/>
  <bpmn:sequenceFlow id="c3" sourceRef="got" targetRef="ce"/></bpmn:process>
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="take" name="Take order"/>
  <bpmn:task id="confirm" name="Confirm order"/><bpmn:endEvent id="e"/>
  <bpmn:task id="forgotten" name="Forgotten"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="take"/>
  <bpmn:sequenceFlow id="f2" sourceRef="take" targetRef="confirm"/>
  <bpmn:sequenceFlow id="f3" sourceRef="confirm" targetRef="e"/>
  <bpmn:sequenceFlow id="f4" sourceRef="take" targetRef="forgotten"/>
</bpmn:process>""",
    )
    process = flowmap.load(path)
    assert {i.element for i in process.inferred if i.value == "black-box"} == {
        "it",
        "xero",
        "partner",
    }
    assert {f.id: f.kind.value for f in process.organisation.functions}[
        "customer-data-management-and-it-systems"
    ] == "it"
    result = flowmap.analyze(
        process, flowmap.load_config(path).override(select=("VAL006", "STR001", "STR002", "CX003"))
    )
    assert [(f.code, tuple(f.elements)) for f in result.findings] == [("STR002", ("forgotten",))]


def test_the_flow_leaving_a_sub_process_with_several_ends_is_one_handoff(tmp_path):
    """Flattening copies the flow out of 'Assess claim' once per end inside it (camunda bank
    dispute: 'Flow_0tr7v97', '#2', '#3'); SMK005 counts the handoff the modeller drew once."""
    ends = "".join(
        f'<bpmn:task id="a{i}" name="Outcome {i}" flowmap:value="customer"/>'
        f'<bpmn:endEvent id="ee{i}"/>'
        f'<bpmn:sequenceFlow id="g{i}" sourceRef="gw" targetRef="a{i}"/>'
        f'<bpmn:sequenceFlow id="h{i}" sourceRef="a{i}" targetRef="ee{i}"/>'
        for i in (1, 2, 3)
    )
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in ("s", "sub", "close", "e"))
    path = write(
        tmp_path,
        f"""
<bpmn:process id="p">
  <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Claims">{refs}</bpmn:lane>
    <bpmn:lane id="l2" name="Finance"><bpmn:flowNodeRef>pay</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:laneSet>
  <bpmn:startEvent id="s"/>
  <bpmn:subProcess id="sub" name="Assess claim" flowmap:value="customer">
    <bpmn:startEvent id="ss"/><bpmn:task id="check" name="Assess" flowmap:value="customer"/>
    <bpmn:exclusiveGateway id="gw" name="Outcome?"/>
    <bpmn:sequenceFlow id="g0" sourceRef="ss" targetRef="check"/>
    <bpmn:sequenceFlow id="g9" sourceRef="check" targetRef="gw"/>{ends}
  </bpmn:subProcess>
  <bpmn:task id="pay" name="Pay claim" flowmap:value="customer"/>
  <bpmn:task id="close" name="Close claim" flowmap:value="customer"/><bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="sub"/>
  <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="pay"/>
  <bpmn:sequenceFlow id="f3" sourceRef="pay" targetRef="close"/>
  <bpmn:sequenceFlow id="f4" sourceRef="close" targetRef="e"/>
</bpmn:process>""",
    )
    process = flowmap.load(path)
    assert sorted(f.id for f in process.flows if f.target == "pay") == ["f2", "f2#2", "f2#3"]
    config = Config(
        select=("SMK005",), rules={"SMK005": {"min_handoffs": 1, "max_per_value_step": 0.01}}
    )
    [finding] = flowmap.analyze(process, config).findings
    assert finding.evidence["cross_function_handoffs"] == 2
    assert [h["flow"] for h in finding.evidence["handoffs"]] == ["f2", "f3"]
    # the metrics count it as drawn too: f2 (Claims -> Finance) and f3 (Finance -> Claims)
    assert flowmap.analyze(process, config).metrics["handoffs"] == 2


def _invoice(second: str) -> str:
    """The spiff invoice approval in small: a business rule compares the invoice with the
    salary; on a match a sub-process notifies finance (the engine fetches the team, calls a
    shared utility, sends the message), then finance does ``second``."""
    return f"""
<bpmn:process id="p">
  <bpmn:laneSet id="ls">
    <bpmn:lane id="l1" name="Process Initiator"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>compare</bpmn:flowNodeRef><bpmn:flowNodeRef>match</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>notify</bpmn:flowNodeRef><bpmn:flowNodeRef>no</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="l2" name="Finance Team"><bpmn:flowNodeRef>second</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
  <bpmn:startEvent id="s"/>
  <bpmn:businessRuleTask id="compare" name="Compare salary and invoice amount"/>
  <bpmn:exclusiveGateway id="match" name="Match?"/>
  <bpmn:subProcess id="notify" name="Waku Message: Notify Finance">
    <bpmn:startEvent id="ss"/><bpmn:scriptTask id="get" name="Get Finance Team"/>
    <bpmn:callActivity id="call" name="Call Shared: User Info"/>
    <bpmn:serviceTask id="send" name="Send Waku Message"/><bpmn:endEvent id="se"/>
    <bpmn:sequenceFlow id="n1" sourceRef="ss" targetRef="get"/>
    <bpmn:sequenceFlow id="n2" sourceRef="get" targetRef="call"/>
    <bpmn:sequenceFlow id="n3" sourceRef="call" targetRef="send"/>
    <bpmn:sequenceFlow id="n4" sourceRef="send" targetRef="se"/>
  </bpmn:subProcess>
  <bpmn:userTask id="second" name="{second}"/>
  <bpmn:endEvent id="e"/><bpmn:endEvent id="no" name="Invoice rejected"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="compare"/>
  <bpmn:sequenceFlow id="f2" sourceRef="compare" targetRef="match"/>
  <bpmn:sequenceFlow id="f3" sourceRef="match" targetRef="notify" name="Yes"/>
  <bpmn:sequenceFlow id="f4" sourceRef="match" targetRef="no" name="No"/>
  <bpmn:sequenceFlow id="f5" sourceRef="notify" targetRef="second"/>
  <bpmn:sequenceFlow id="f6" sourceRef="second" targetRef="e"/>
</bpmn:process>"""


def test_task_types_say_what_a_system_does_and_an_approval_after_a_system_check_repeats_it(
    tmp_path,
):
    path = write(tmp_path, _invoice("Approve Invoice - Finance"))
    process = load_bpmn(path)
    automated = {i.element: i.reason for i in process.inferred if i.field == "automated"}
    assert automated == {
        "compare": "step 'Compare salary and invoice amount' is a BPMN businessRuleTask: a "
        "system does it, not a person",
        "get": "step 'Get Finance Team' is a BPMN scriptTask: a system does it, not a person",
        "send": "step 'Send Waku Message' is a BPMN serviceTask: a system does it, not a person",
    }
    assert process.step("compare").purpose[0].value == "inspection"  # en: compare
    # the parts of a sub-process that notifies are parts of the notification
    assert [process.step(s).purpose[0].value for s in ("get", "call", "send")] == [
        "notification"
    ] * 3
    assert [i.reason for i in process.inferred if i.element == "call"] == [
        (
            "purpose of step 'Call Shared: User Info' = notification (a part of the sub-process "
            "'Waku Message: Notify Finance', which notifies)"
        )
    ]
    config = flowmap.load_config(path).override(select=("VAL009",))
    [finding] = flowmap.analyze(process, config).findings
    assert finding.elements[:2] == ("second", "compare")
    assert "checks again what 'Compare salary and invoice amount' (a system)" in finding.message
    assert "let the system approve what it passes" in finding.suggestion
    assert any("is a BPMN scriptTask" in reason for reason in finding.inferred)
    # an inspection may examine what the system's steps produced: they are steps between
    path = write(tmp_path, _invoice("Review invoice"), "review.bpmn")
    assert not flowmap.analyze(flowmap.load(path), config).findings


def test_a_reminder_on_an_approval_is_no_refusal_and_a_system_step_does_not_hide_the_verdict(
    tmp_path,
):
    """A timer on the approval's boundary sends a reminder: what happens meanwhile, not a way to
    refuse (spiff demand compensation). An approval whose verdict a script records before the
    gateway decides can refuse (spiff invoice: 'Set Message Info' before 'Approved?')."""

    def model(after: str) -> str:
        return f"""
<bpmn:process id="p">
  <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Team"><bpmn:flowNodeRef>s</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>prepare</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="l2" name="Finance"><bpmn:flowNodeRef>approve</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>remind</bpmn:flowNodeRef><bpmn:flowNodeRef>t</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>book</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>record</bpmn:flowNodeRef><bpmn:flowNodeRef>ok</bpmn:flowNodeRef>
    <bpmn:flowNodeRef>no</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
  <bpmn:startEvent id="s"/><bpmn:userTask id="prepare" name="Prepare request"/>
  <bpmn:userTask id="approve" name="Approve request"/>
  <bpmn:boundaryEvent id="t" name="1 day" attachedToRef="approve" cancelActivity="false">
    <bpmn:timerEventDefinition/></bpmn:boundaryEvent>
  <bpmn:scriptTask id="remind" name="Send reminder"/>
  <bpmn:scriptTask id="record" name="Set Message Info"/>
  <bpmn:exclusiveGateway id="ok" name="Approved?"/>
  <bpmn:userTask id="book" name="Book request"/><bpmn:endEvent id="e"/>
  <bpmn:endEvent id="no" name="Request refused"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="prepare"/>
  <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="approve"/>
  <bpmn:sequenceFlow id="f3" sourceRef="t" targetRef="remind"/>
  {after}
  <bpmn:sequenceFlow id="f9" sourceRef="book" targetRef="e"/>
</bpmn:process>"""

    config = flowmap.load_config(tmp_path).override(select=("VAL007",))
    never = write(
        tmp_path, model('<bpmn:sequenceFlow id="f4" sourceRef="approve" targetRef="book"/>')
    )
    [finding] = flowmap.analyze(flowmap.load(never), config).findings
    assert finding.elements == ("approve", "book")
    can = write(
        tmp_path,
        model(
            '<bpmn:sequenceFlow id="f4" sourceRef="approve" targetRef="record"/>'
            '<bpmn:sequenceFlow id="f5" sourceRef="record" targetRef="ok"/>'
            '<bpmn:sequenceFlow id="f6" sourceRef="ok" targetRef="book" name="yes"/>'
            '<bpmn:sequenceFlow id="f7" sourceRef="ok" targetRef="no" name="no"/>'
        ),
        "can.bpmn",
    )
    assert not flowmap.analyze(flowmap.load(can), config).findings


def test_imixs_action_events_are_what_users_do_not_waits(tmp_path):
    """Imixs-Workflow models are states (tasks) and the actions users take on them: catch events
    with imixs:activityid ('Rechnung stornieren', 'Submit'). They are not waits, so not waste
    (VAL002) and not the customer waiting (VAL003); an Imixs timer stays a wait. A state named
    for the customer's payment is no queue of ours (imixs-office pda-rechnungsausgang)."""
    imixs = 'xmlns:imixs="http://www.imixs.org/bpmn2"'
    path = write(
        tmp_path,
        f"""
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="created" name="Rechnung erstellt"/>
  <bpmn:intermediateCatchEvent id="send" name="Rechnung versenden" {imixs} imixs:activityid="10"/>
  <bpmn:task id="paid" name="Warten auf Zahlungseingang"/>
  <bpmn:intermediateCatchEvent id="storno" name="[Rechnung stornieren]" {imixs} imixs:activityid="20"/>
  <bpmn:intermediateCatchEvent id="remind" name="Warten 2 Wochen" {imixs} imixs:activityid="30">
    <bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="created"/>
  <bpmn:sequenceFlow id="f2" sourceRef="created" targetRef="send"/>
  <bpmn:sequenceFlow id="f3" sourceRef="send" targetRef="paid"/>
  <bpmn:sequenceFlow id="f4" sourceRef="paid" targetRef="storno"/>
  <bpmn:sequenceFlow id="f5" sourceRef="storno" targetRef="remind"/>
  <bpmn:sequenceFlow id="f6" sourceRef="remind" targetRef="e"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    assert {s: process.step(s).kind.value for s in ("send", "storno", "remind")} == {
        "send": "event",
        "storno": "event",
        "remind": "wait",
    }
    assert [i.reason for i in process.inferred if i.element == "send"] == [
        (
            "event 'Rechnung versenden' is an Imixs workflow action (imixs:activityid): what a "
            "user does on a state, not a wait"
        )
    ]
    config = flowmap.load_config(path).override(select=("VAL002",))
    assert [f.elements for f in flowmap.analyze(process, config).findings] == [("remind",)]


def _reads(store: str) -> str:
    return (
        f'<bpmn:dataInputAssociation id="in_{store}"><bpmn:sourceRef>{store}'
        "</bpmn:sourceRef></bpmn:dataInputAssociation>"
    )


def _writes(store: str, n: int = 1) -> str:
    return (
        f'<bpmn:dataOutputAssociation id="out_{store}_{n}"><bpmn:targetRef>{store}'
        "</bpmn:targetRef></bpmn:dataOutputAssociation>"
    )


def test_a_person_keying_data_from_one_store_into_another_is_re_entry(tmp_path):
    """ARIS onboarding (miwg-aris10__C.4.0-export.bpmn): payroll validates the employee details
    HR stored, clarifies them and updates its own payroll system by hand; IT creates the domain
    account from the employee details. A script task doing the same is a system's interface,
    and adding permissions to the user store IT already filled is not keying the same data
    again."""
    path = write(
        tmp_path,
        f"""
<bpmn:process id="p">
  <bpmn:dataStoreReference id="hr" name="Employee Details"/>
  <bpmn:dataStoreReference id="pay" name="Payroll system"/>
  <bpmn:dataStoreReference id="users" name="User Management"/>
  <bpmn:dataStoreReference id="ledger" name="Ledger"/>
  <bpmn:startEvent id="s"/>
  <bpmn:userTask id="validate" name="Validate provided information">{_reads("hr")}</bpmn:userTask>
  <bpmn:manualTask id="clarify" name="Clarify missing points"/>
  <bpmn:userTask id="update" name="Update payroll system">{_writes("pay")}</bpmn:userTask>
  <bpmn:userTask id="account" name="Create domain account">{_reads("hr")}{_writes("users")}
  </bpmn:userTask>
  <bpmn:userTask id="permissions" name="Assign permissions">{_writes("users", 2)}</bpmn:userTask>
  <bpmn:scriptTask id="post" name="Post salary">{_reads("pay")}{_writes("ledger")}</bpmn:scriptTask>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="validate"/>
  <bpmn:sequenceFlow id="f2" sourceRef="validate" targetRef="clarify"/>
  <bpmn:sequenceFlow id="f3" sourceRef="clarify" targetRef="update"/>
  <bpmn:sequenceFlow id="f4" sourceRef="update" targetRef="account"/>
  <bpmn:sequenceFlow id="f5" sourceRef="account" targetRef="permissions"/>
  <bpmn:sequenceFlow id="f6" sourceRef="permissions" targetRef="post"/>
  <bpmn:sequenceFlow id="f7" sourceRef="post" targetRef="e"/>
</bpmn:process>""",
    )
    process = load_bpmn(path)
    rekeyed = {s.id for s in process.steps if any(p.value == "re-entry" for p in s.purpose)}
    assert rekeyed == {"update", "account"}
    assert [i.reason for i in process.inferred if i.element == "update"] == [
        (
            "'Update payroll system' keys into 'Payroll system' by hand what 'Validate provided "
            "information' read from 'Employee Details' (BPMN data associations)"
        )
    ]
    findings = flowmap.analyze(
        process, flowmap.load_config(path).override(select=("VAL002",))
    ).findings
    assert {f.elements[0] for f in findings} == {"update", "account"}
    assert all("re-keying" in f.message for f in findings)


def test_a_wait_for_what_a_black_box_sends_is_not_our_waste(tmp_path):
    """'approval of registration' waits for the company's message (signavio underwriter), 'resource
    activation completed' for mobile provisioning's (camunda telco): the organisation cannot
    remove that wait by itself. A wait nobody outside ends ('Temp Fix') stays a finding."""
    path = write(
        tmp_path,
        """
<bpmn:collaboration id="c">
  <bpmn:participant id="bank" name="Credit institute" processRef="p"/>
  <bpmn:participant id="company" name="company"/>
  <bpmn:messageFlow id="m1" sourceRef="company" targetRef="registered"/>
</bpmn:collaboration>
<bpmn:process id="p">
  <bpmn:startEvent id="s"/><bpmn:task id="check" name="Check application"/>
  <bpmn:intermediateCatchEvent id="registered" name="approval of registration">
    <bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="fix" name="Temp Fix"><bpmn:timerEventDefinition/>
    </bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="e"/>
  <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="check"/>
  <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="registered"/>
  <bpmn:sequenceFlow id="f3" sourceRef="registered" targetRef="fix"/>
  <bpmn:sequenceFlow id="f4" sourceRef="fix" targetRef="e"/>
</bpmn:process>""",
    )
    process = flowmap.load(path)
    config = flowmap.load_config(path).override(select=("VAL002",))
    assert [f.elements for f in flowmap.analyze(process, config).findings] == [("fix",)]
