"""Every file of the shared BPMN corpus is imported, or refused with a clear message.

The corpus (../shared/corpus/bpmn, 52 files from public projects, see SOURCES.md) has models
from some twenty tools and a few broken files. For each file the test states the expected
outcome: imported, with the warnings its known imperfections must raise, or refused with the
reason. Counts are checked against an independent count of the XML's flow nodes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flowmap import integrity
from flowmap.errors import LoadError
from flowmap.loaders.bpmn import FLOW_NODES, load_bpmn

# ../shared/corpus beside the checkout (a worktree under /work/wt/NAME finds /work/shared too)
CORPUS = next(
    (
        folder / "shared" / "corpus" / "bpmn"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "corpus" / "bpmn").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bpmn",
)
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"BPMN corpus not found at {CORPUS}")

OK, REFUSED = "imported", "refused"
# file -> (outcome, warning codes that must be raised, or for a refusal: code and words of the
# message)
EXPECTED: dict[str, tuple] = {
    "activiti__ParallelGatewayTest.testReceyclingExecutionWithCallActivity.bpmn": (OK, set()),
    "activiti__messageflow.bpmn": (OK, set()),
    "activiti__othertoolimport.bpmn": (OK, set()),
    "bpmn-auto-layout__camunda-8-tutorials.telco-service-order-fulfillment-retail.bpmn": (
        OK,
        set(),
    ),
    # the same start event is listed by two sibling lanes
    "bpmn-auto-layout__invalid-lane-membership.bpmn": (OK, {"two-lanes"}),
    "bpmn-auto-layout__lane.redundant-ancestor-membership.bpmn": (OK, set()),
    "bpmn-js__kitchen-sink.bpmn": (OK, set()),
    # a lane without flowNodeRef; its task lies inside it in the diagram
    "bpmn-js__lane-missing-flowNodeRef.bpmn": (OK, {"lane-by-diagram"}),
    "bpmn-js__lanes.only.bpmn": (OK, set()),
    "bpmn-js__pools-with-collection-marker.bpmn": (OK, set()),
    "bpmn-moddle__case-agile-local-ns-declaration.bpmn": (OK, set()),
    # a fragment: the root element is a <lane>
    "bpmn-moddle__lane-childLaneSets.part.bpmn": (REFUSED, "not-bpmn", "fragment"),
    "bpmnlint__complex.bpmn": (OK, set()),
    "bpmnlint__invalid-missing-nested-lane-deep.bpmn": (OK, set()),
    "bpmnlint__invalid-nested-lanes.bpmn": (OK, set()),
    "bpmnlint__valid-complex.bpmn": (OK, set()),
    "bpmnvis-examples__pizza-collaboration.bpmn": (OK, set()),
    "bpmnvis-examples__pools.bpmn": (OK, set()),
    "bpmnvis__issue-2588-both-bpmn-in-color-and-bpmnio_infor-modeler.bpmn": (OK, set()),
    "bpmnvis__model-complete-semantic.bpmn": (OK, set()),
    "bpmnvis__subprocess.01.with.lanes.bpmn": (OK, set()),
    "camunda-examples__camunda-testing-job-announcement.bpmn": (OK, set()),
    "eclipse-bpmn2modeler__CharityOrganizationRequest.bpmn": (OK, set()),
    "eclipse-bpmn2modeler__SampleProcess.bpmn": (OK, set()),
    "eclipse-bpmn2modeler__VacationRequest.bpmn": (OK, set()),
    "fbpmn__e020InternshipProcedure.bpmn": (OK, set()),
    "miwg-adonis17__B.2.0-export.bpmn": (OK, set()),
    "miwg-aeneis5__C.1.0-roundtrip.bpmn": (OK, set()),
    "miwg-aris10__C.2.0-export.bpmn": (OK, set()),
    "miwg-bic-cloud6__C.5.0.1-export.bpmn": (OK, set()),
    "miwg-bizagi28__A.4.1-roundtrip.bpmn": (OK, set()),
    "miwg-bonita723__C.2.0-roundtrip.bpmn": (OK, set()),
    "miwg-bpmnio186__C.4.0-export.bpmn": (OK, set()),
    "miwg-cardanit49__C.4.0-export.bpmn": (OK, set()),
    "miwg-ea12__B.1.0-roundtrip.bpmn": (OK, set()),
    "miwg-enterprise-explorer1__C.5.0-export.bpmn": (OK, set()),
    # declares UTF-8 but holds Latin-1 bytes: recovered, with a warning
    "miwg-genmymodel047__C.1.0-export.bpmn": (OK, {"encoding-mismatch"}),
    "miwg-ibo-prometheus39__C.2.0-roundtrip.bpmn": (OK, set()),
    "miwg-igrafx2013__A.4.0-export.bpmn": (OK, set()),
    "miwg-mid-innovator15__C.7.0-export.bpmn": (OK, set()),
    "miwg-modelio35__C.2.0-export.bpmn": (OK, set()),
    # lanes list no flow nodes at all: membership comes from the diagram
    "miwg-omnitracker123__C.1.0-roundtrip.bpmn": (OK, {"lane-by-diagram"}),
    "miwg-reference__A.4.1.bpmn": (OK, set()),
    "miwg-reference__C.1.0.bpmn": (OK, set()),
    "miwg-signavio199__C.2.0-export.bpmn": (OK, set()),
    "miwg-trisotech-wfm12__C.5.0-export.bpmn": (OK, set()),
    "miwg-visual-paradigm11__C.1.0-roundtrip.bpmn": (OK, set()),
    "miwg-w4-10__C.4.0-export.bpmn": (OK, set()),
    "miwg-yaoqiang4__B.1.0-export.bpmn": (OK, set()),
    "spiff__Action-Management.bpmn": (OK, set()),
    # ids like 'Approvals.Start1' (kept as written) and lane references without the process
    # prefix
    "spiff__Approvals.bpmn": (OK, {"loose-reference"}),
    "spiff__lanes.bpmn": (OK, set()),
}


def test_every_corpus_file_has_an_expectation():
    assert sorted(p.name for p in CORPUS.glob("*.bpmn")) == sorted(EXPECTED)


def _flow_nodes(path: Path) -> tuple[int, int, set[str]]:
    """Flow nodes, sequence plus message flows, and participant ids: an independent count."""
    data = path.read_bytes()
    if "genmymodel" in path.name:
        data = data.decode("utf-8", errors="replace").encode("utf-8")
    root = ET.fromstring(data)
    nodes = flows = 0
    pools = set()
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local in FLOW_NODES:
            nodes += 1
        elif local in ("sequenceFlow", "messageFlow"):
            flows += 1
        elif local == "participant":
            pools.add(element.get("id"))
    return nodes, flows, pools


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name):
    path = CORPUS / name
    expected = EXPECTED[name]
    warnings: list = []
    if expected[0] == REFUSED:
        with pytest.raises(LoadError) as caught:
            load_bpmn(path, warnings=warnings)
        problem = caught.value.problems[0]
        assert problem.code == expected[1]
        assert expected[2] in problem.message
        assert problem.location.path == str(path) and problem.location.line >= 1
        return
    process = load_bpmn(path, warnings=warnings)
    codes = {w.code for w in warnings}
    assert expected[1] <= codes, f"missing warnings {expected[1] - codes}: {warnings}"
    assert all(w.severity == "warning" and w.message for w in warnings)

    nodes, flows, pools = _flow_nodes(path)
    pool_steps = [s for s in process.steps if s.id in pools]
    assert len(process.steps) == nodes + len(pool_steps)
    assert len(process.flows) >= flows
    # the model holds together: only reachability may be imperfect in an import
    issues = [i for i in integrity.check(process) if i.code not in ("unreachable", "no-start")]
    assert issues == []
    # every step points back into the XML, at the element of the same id
    lines = path.read_bytes().decode("utf-8", errors="replace").split("\n")
    for step in process.steps:
        where = process.locate("step", step.id)
        assert where.path == str(path) and where.line >= 1 and where.column >= 1, step.id
        if "id-changed" not in codes:
            tail = "\n".join(lines[where.line - 1 : where.line + 3])
            assert step.id in tail, (step.id, where)


def test_customer_pool_and_a_pool_of_roles():
    # the 'Pizza Customer' pool is the customer; the 'Pizza vendor' pool's lanes are jobs
    # (clerk, pizza chef, delivery boy), so the pool is one function with three roles
    process = load_bpmn(CORPUS / "bpmnvis-examples__pizza-collaboration.bpmn")
    assert process.customer.name == "Pizza Customer"
    assert process.step("SelectAPizzaTask").owner == "customer"
    [vendor] = process.organisation.functions
    assert vendor.name == "Pizza vendor"
    assert [r.id for r in vendor.roles] == ["clerk", "pizza-chef", "delivery-boy"]
    handoffs = [
        f
        for f in process.flows
        if process.step(f.source).is_customer != process.step(f.target).is_customer
    ]
    assert len(handoffs) >= 4  # the message flows between customer and vendor


def test_nested_lanes_become_functions_and_roles():
    # Supplier > Sales, Marketing (Pre-Sales, Post-Sales), Consulting, Engineering: the lane
    # around everything is the company, its lanes the functions, theirs the roles
    process = load_bpmn(CORPUS / "eclipse-bpmn2modeler__SampleProcess.bpmn")
    functions = {f.id: f for f in process.organisation.functions}
    assert {"sales", "marketing", "consulting", "engineering"} <= set(functions)
    assert [r.id for r in functions["marketing"].roles] == ["pre-sales", "post-sales"]


def test_lane_membership_from_the_diagram():
    process = load_bpmn(CORPUS / "miwg-omnitracker123__C.1.0-roundtrip.bpmn")
    owners = {s.owner for s in process.steps}
    assert len([o for o in owners if o]) >= 3  # the lanes' tasks are told apart by geometry


def test_recovered_encoding_reads_the_latin1_word():
    warnings: list = []
    process = load_bpmn(CORPUS / "miwg-genmymodel047__C.1.0-export.bpmn", warnings=warnings)
    assert any(s.name == "Rechnung klären" for s in process.steps)
    mismatch = next(w for w in warnings if w.code == "encoding-mismatch")
    assert mismatch.location.line == 97 and mismatch.location.column > 1


def test_docs_table_lists_every_corpus_file():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "bpmn.md").read_text(encoding="utf-8")
    table = doc.split("<!-- corpus-table:start -->")[1].split("<!-- corpus-table:end -->")[0]
    assert sorted(
        line.split("`")[1] for line in table.splitlines() if line.startswith("| `")
    ) == sorted(EXPECTED), "run `python docs/bpmn_table.py` to regenerate the table"
