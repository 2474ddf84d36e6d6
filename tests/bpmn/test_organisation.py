"""The organisation read out of lane structures as real models draw it, and every guess recorded
in ``Process.inferred``."""

from __future__ import annotations

import itertools

from flowmap.inference import role_level
from flowmap.loaders.bpmn import load_bpmn
from flowmap.writers.flow_yaml import dump

from .helpers import write


def _pool(lanes: list[tuple[str, str, str]], name: str = "Acme", extra: str = "") -> str:
    """One pool whose lanes (id, name, attributes) each hold one task t_<id>."""
    lane_xml = "".join(
        f'<bpmn:lane id="{i}" name="{n}" {a}><bpmn:flowNodeRef>t_{i}</bpmn:flowNodeRef></bpmn:lane>'
        for i, n, a in lanes
    )
    tasks = "".join(f'<bpmn:task id="t_{i}" name="Work of {n}"/>' for i, n, _ in lanes)
    flows = "".join(
        f'<bpmn:sequenceFlow id="f{k}" sourceRef="t_{a[0]}" targetRef="t_{b[0]}"/>'
        for k, (a, b) in enumerate(itertools.pairwise(lanes))
    )
    return (
        f'<bpmn:collaboration id="c"><bpmn:participant id="pool" name="{name}" '
        f'processRef="p"/></bpmn:collaboration><bpmn:process id="p"><bpmn:laneSet id="ls">'
        f"{lane_xml}</bpmn:laneSet>{tasks}{flows}{extra}</bpmn:process>"
    )


def _org(process) -> dict[str, list[tuple[str, int, str | None]]]:
    return {
        f.id: [(r.id, r.level, r.reports_to) for r in f.roles]
        for f in process.organisation.functions
    }


def _reasons(process, element: str, field: str) -> list[str]:
    return [i.reason for i in process.inferred if i.element == element and i.field == field]


def test_lanes_sharing_a_department_name_are_one_function_with_levels(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            _pool(
                [
                    ("a", "Sales Assistant", ""),
                    ("m", "Sales Manager", ""),
                    ("p", "Production Manager", ""),
                ]
            ),
        )
    )
    org = _org(process)
    assert org["sales"] == [("sales-assistant", 1, "sales-manager"), ("sales-manager", 3, None)]
    assert "production-manager" in org
    assert process.step("t_a").owner == "sales.sales-assistant"
    assert _reasons(process, "sales.sales-manager", "level") == [
        "level of lane 'Sales Manager' = 3 (en: manager)"
    ]
    assert "'Sales Assistant' and 'Sales Manager'" in _reasons(process, "sales", "roles")[0]
    assert _reasons(process, "sales.sales-assistant", "reports_to")


def test_german_role_lanes_without_a_department_are_one_chain_of_command(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            _pool(
                [
                    ("s", "Sachbearbeitung", ""),
                    ("a", "Abteilungsleitung", ""),
                    ("g", "Geschäftsführung", ""),
                ],
                name="Müller GmbH",
            ),
        )
    )
    org = _org(process)
    assert list(org) == ["muller-gmbh"]
    assert org["muller-gmbh"] == [
        ("sachbearbeitung", 1, "abteilungsleitung"),
        ("abteilungsleitung", 3, "geschaftsfuhrung"),
        ("geschaftsfuhrung", 5, None),
    ]
    assert _reasons(process, "muller-gmbh.geschaftsfuhrung", "level") == [
        "level of lane 'Geschäftsführung' = 5 (de: geschäftsführung)"
    ]


def test_a_lane_named_after_another_is_a_role_in_it_and_the_executive_heads_the_rest(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            _pool(
                [
                    ("v", "Vertrieb", ""),
                    ("g", "Geschäftsführung", ""),
                    ("ga", "Geschäftsführung Assistenz", ""),
                ]
            ),
        )
    )
    org = _org(process)
    assert org["geschaftsfuhrung"] == [
        ("geschaftsfuhrung", 5, None),
        ("geschaftsfuhrung-assistenz", 1, "geschaftsfuhrung"),
    ]
    assert org["vertrieb"] == [("staff", 1, "geschaftsfuhrung.geschaftsfuhrung")]
    kinds = {f.id: f.kind.value for f in process.organisation.functions}
    assert kinds == {"vertrieb": "sales", "geschaftsfuhrung": "management"}
    assert _reasons(process, "vertrieb", "kind") == [
        "kind of function 'Vertrieb' = sales (de: vertrieb)"
    ]


def test_what_the_file_states_is_not_marked_inferred(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            _pool([("c", "Clerk", 'flowmap:level="2"'), ("m", "Boss", 'flowmap:level="4"')]),
        )
    )
    assert _org(process)["acme"] == [("clerk", 2, "boss"), ("boss", 4, None)]
    assert not [i for i in process.inferred if i.field == "level"]


def test_nested_lanes_are_a_department_and_its_roles_even_beside_other_pools(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:collaboration id="c"><bpmn:participant id="p1" name="Company" processRef="p"/>
  <bpmn:participant id="p2" name="Partner" processRef="q"/></bpmn:collaboration>
<bpmn:process id="p"><bpmn:laneSet id="ls">
  <bpmn:lane id="dept" name="Department A"><bpmn:childLaneSet id="cls">
    <bpmn:lane id="an" name="Analyst"><bpmn:flowNodeRef>t1</bpmn:flowNodeRef></bpmn:lane>
    <bpmn:lane id="mg" name="Manager"><bpmn:flowNodeRef>t2</bpmn:flowNodeRef></bpmn:lane>
  </bpmn:childLaneSet></bpmn:lane>
  <bpmn:lane id="deptb" name="Department B"/></bpmn:laneSet>
  <bpmn:task id="t1" name="Prepare"/><bpmn:task id="t2" name="Approve"/>
  <bpmn:sequenceFlow id="f" sourceRef="t1" targetRef="t2"/></bpmn:process>
<bpmn:process id="q"><bpmn:task id="t3" name="Deliver"/></bpmn:process>""",
        )
    )
    org = _org(process)
    assert org["department-a"] == [("analyst", 1, "manager"), ("manager", 3, None)]
    assert process.step("t2").purpose[0].value == "approval"
    assert _reasons(process, "t2", "purpose") == [
        "purpose of step 'Approve' = approval (en: approve)"
    ]


def test_who_the_customer_is(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            _pool(
                [
                    ("k", "Kunde", ""),
                    ("am", "Private Customer Account Manager", ""),
                    ("h", "Head of Market Service", ""),
                ]
            ),
        )
    )
    assert process.step("t_k").owner == "customer"
    assert process.step("t_am").owner != "customer"
    assert process.customer.name == "Kunde"
    assert _reasons(process, "customer", "customer") == ["lane 'Kunde' is the customer (de: kunde)"]


def test_purposes_read_from_names_are_marked_and_a_stated_purpose_wins(tmp_path):
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:process id="p"><bpmn:task id="a" name="Rechnung freigeben"/>
<bpmn:task id="b" name="Notify about approval"/>
<bpmn:task id="c" name="Check invoice" flowmap:purpose="compliance"/>
<bpmn:task id="d" name="Create purchase order"/></bpmn:process>""",
        )
    )
    assert [p.value for p in process.step("a").purpose] == ["approval"]
    assert _reasons(process, "a", "purpose") == [
        "purpose of step 'Rechnung freigeben' = approval (de: freigeben)"
    ]
    assert process.step("b").purpose == ()
    assert [p.value for p in process.step("c").purpose] == ["compliance"]
    assert not _reasons(process, "c", "purpose")
    assert process.step("d").purpose == ()


def test_cancelling_a_check_or_recording_its_status_is_not_the_check(tmp_path):
    # 'Cancel SSI Review' (ingo-camunda__counterparty-onboarding.bpmn) and 'Zet interne status:
    # Goedkeuring wethouder' (valtimo-backend__evenementenvergunning.bpmn) name a check they are
    # not; 'Submit for approval' asks for one.
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:process id="p"><bpmn:task id="a" name="Cancel SSI Review"/>
<bpmn:task id="b" name="Zet interne status: Goedkeuring wethouder"/>
<bpmn:task id="c" name="Submit for approval"/>
<bpmn:task id="e" name="Approved"/>
<bpmn:task id="d" name="Review the request"/></bpmn:process>""",
        )
    )
    for sid in "abce":  # 'Approved': the state after the check (imixs vacation request)
        assert process.step(sid).purpose == (), sid
        assert not _reasons(process, sid, "purpose")
    assert [p.value for p in process.step("d").purpose] == ["inspection"]


def test_inferences_are_not_written_to_a_process_file(tmp_path):
    process = load_bpmn(write(tmp_path, _pool([("c", "Clerk", ""), ("m", "Manager", "")])))
    assert process.inferred
    assert "inferred" not in process.model_dump(by_alias=True)
    text = dump(process)
    assert "inferred" not in text and "(en: manager)" not in text


def test_lane_placed_by_the_diagram_is_recorded(tmp_path):
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
        )
    )
    assert _reasons(process, "t", "owner") == [
        (
            "step 't' is in lane 'Back office' by where the diagram draws it (the lane does not "
            "list it)"
        )
    ]


def test_a_message_to_a_data_store_is_left_out_with_a_warning(tmp_path):
    warnings: list = []
    process = load_bpmn(
        write(
            tmp_path,
            """
<bpmn:collaboration id="c"><bpmn:participant id="p1" name="Company" processRef="p"/>
  <bpmn:messageFlow id="m" sourceRef="t" targetRef="store"/></bpmn:collaboration>
<bpmn:process id="p"><bpmn:task id="t" name="Save offer"/>
  <bpmn:dataStoreReference id="store" name="CRM"/></bpmn:process>""",
        ),
        warnings=warnings,
    )
    assert process.flows == []
    assert [w.code for w in warnings if w.element == "m"] == ["message-to-artifact"]


def test_a_department_named_in_parentheses_groups_lanes_with_their_roles(tmp_path):
    # The Imixs-Office convention (openbpmn__bedarfsmeldung-leiharbeit-de-1.2.0.bpmn): each lane
    # is bound to a unit's team or manager, written in parentheses after the lane's own name.
    process = load_bpmn(
        write(
            tmp_path,
            _pool(
                [
                    ("e", "Einrichtungsleitung (Space Team)", ""),
                    ("c", "Controlling (Prozess Team)", ""),
                    ("r", "RGF (Space Manager)", ""),
                    ("g", "Geschäftsführung (Prozess Manager)", ""),
                    ("t", "PeopleOps (Talent)", ""),
                ]
            ),
        )
    )
    org = _org(process)
    assert org["space"] == [
        ("einrichtungsleitung-space-team", 1, "rgf-space-manager"),
        ("rgf-space-manager", 3, None),
    ]
    # the lane's own name says more than its qualifier: the Geschäftsführung is the executive
    assert org["prozess"][1] == ("geschaftsfuhrung-prozess-manager", 5, None)
    assert org["peopleops-talent"] == [("staff", 1, None)]  # 'Talent' names no role
    assert "named in their parentheses" in _reasons(process, "space", "roles")[0]


def test_customer_service_lanes_are_customer_service_not_a_department_customer(tmp_path):
    # "Customer service Clerk" + "Customer service Manager": the department is the whole phrase
    # "Customer service" (kind service), never a function named "Customer"; likewise in the
    # languages that write it as several words, and German/Dutch compounds stay whole.
    for clerk, manager, name in [
        ("Customer service Clerk", "Customer service Manager", "Customer service"),
        ("Service client conseiller", "Service client responsable", "Service client"),
        ("Atención al cliente agente", "Atención al cliente jefe", "Atención al cliente"),
        ("Obsługa klienta specjalista", "Obsługa klienta kierownik", "Obsługa klienta"),
        ("Servizio clienti operatore", "Servizio clienti responsabile", "Servizio clienti"),
        ("Kundenservice Sachbearbeiter", "Kundenservice Teamleiter", "Kundenservice"),
        ("Klantenservice medewerker", "Klantenservice manager", "Klantenservice"),
    ]:
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        process = load_bpmn(
            write(
                folder,
                _pool(
                    [
                        ("k", "Customer", ""),
                        ("c", clerk, ""),
                        ("m", manager, ""),
                        ("b", "Billing Clerk", ""),
                    ]
                ),
            )
        )
        functions = {f.name: f for f in process.organisation.functions}
        assert set(functions) == {name, "Billing Clerk"}, clerk
        service = functions[name]
        assert service.kind.value == "service", clerk
        assert [r.level for r in service.roles] == [1, role_level(manager)], clerk
        assert process.step("t_k").owner == "customer"
        assert process.step("t_c").owner.startswith(f"{service.id}."), clerk


def test_two_departments_named_in_phrases_stay_two(tmp_path):
    # 'Accounts payable' and 'Accounts receivable' share their first word, not their department.
    process = load_bpmn(
        write(
            tmp_path,
            _pool(
                [
                    ("p", "Accounts Payable Clerk", ""),
                    ("r", "Accounts Receivable Clerk", ""),
                    ("b", "Billing Clerk", ""),
                ]
            ),
        )
    )
    kinds = {f.name: f.kind.value for f in process.organisation.functions}
    assert kinds == {
        "Accounts Payable Clerk": "finance",
        "Accounts Receivable Clerk": "billing",
        "Billing Clerk": "billing",
    }
