"""One model of branching (flowmap.branching), asked through ProcessGraph.split and used the same
way by the main path, the rules' branch probabilities and the BPMN writer."""

from __future__ import annotations

import pytest
from lxml import etree

from flowmap.branching import SplitKind
from flowmap.graph import ProcessGraph
from flowmap.model import Process
from flowmap.writers.bpmn import dump

ORG = {"functions": [{"id": "ops", "kind": "operations", "roles": [{"id": "clerk", "level": 1}]}]}


def process(step_kind: str, branches: list[dict]) -> Process:
    """s -> x, then x's branches b0, b1... (each flow as given), each branch -> e."""
    steps = [
        {"id": "s", "owner": "customer", "kind": "start"},
        {"id": "x", "owner": "ops.clerk", "kind": step_kind},
        *({"id": f"b{i}", "owner": "ops.clerk"} for i in range(len(branches))),
        {"id": "e", "owner": "customer", "kind": "end"},
    ]
    flows = [
        "s -> x",
        *({"from": "x", "to": f"b{i}", **flow} for i, flow in enumerate(branches)),
        *(f"b{i} -> e" for i in range(len(branches))),
    ]
    return Process.model_validate(
        {"process": {"id": "t"}, "organisation": ORG, "steps": steps, "flows": flows}
    )


# One letter per split kind keeps the table below readable.
N, X, P, I = SplitKind.none, SplitKind.exclusive, SplitKind.parallel, SplitKind.inclusive  # noqa: E741
CASES = [
    # step kind, its branches, the split, each branch's share, the BPMN gateway written
    ("task", [{}], N, [1.0], None),
    ("decision", [{}, {}], X, [0.5, 0.5], "exclusiveGateway"),
    ("decision", [{"probability": 0.8}, {}, {}], X, [0.8, 0.1, 0.1], "exclusiveGateway"),
    ("task", [{"probability": 0.7}, {"probability": 0.3}], X, [0.7, 0.3], "exclusiveGateway"),
    ("task", [{"probability": 0.7}, {}], X, [0.7, 0.3], "exclusiveGateway"),
    ("task", [{}, {}], P, [1.0, 1.0], "parallelGateway"),
    ("task", [{}, {}, {"kind": "escalation"}], P, [1.0, 1.0, 1.0], "parallelGateway"),
    ("task", [{}, {"kind": "exception"}], X, [0.5, 0.5], "exclusiveGateway"),
    ("task", [{}, {"kind": "rework"}], X, [0.5, 0.5], "exclusiveGateway"),
    ("task", [{"probability": 0.9}, {"probability": 0.6}], I, [0.9, 0.6], "inclusiveGateway"),
    (
        "task",
        [{"probability": 0.9}, {"probability": 0.6}, {}],
        I,
        [0.9, 0.6, 1.0],
        "inclusiveGateway",
    ),
    # a feedback or information flow runs beside the work: not a branch of the split
    ("task", [{}, {"kind": "feedback"}], N, [1.0, 1.0], "parallelGateway"),
    ("decision", [{}, {}, {"kind": "information"}], X, [0.5, 0.5, 1.0], "exclusiveGateway"),
]


@pytest.mark.parametrize(("step_kind", "branches", "kind", "shares", "gateway"), CASES)
def test_one_answer_for_the_kind_of_split_and_each_branch_share(
    step_kind, branches, kind, shares, gateway
):
    p = process(step_kind, branches)
    g = ProcessGraph(p)
    flows = [f"x->b{i}" for i in range(len(branches))]
    split = g.split("x")
    assert split.kind == kind
    assert [split.share(f) for f in flows] == pytest.approx(shares)
    # the rules' branch probabilities are the same numbers
    assert [g.flow_probability[f] for f in flows] == pytest.approx(shares)
    # the BPMN writer draws the split with the matching gateway
    root = etree.fromstring(dump(p).encode())
    found = sorted(
        etree.QName(e).localname
        for e in root.iter()
        if etree.QName(e).localname.endswith("Gateway")
    )
    assert found == ([gateway] if gateway else [])


def test_the_main_path_weighs_each_branch_by_its_share():
    def main_path(**shares):
        steps = [
            {"id": "s", "owner": "customer", "kind": "start"},
            {"id": "x", "owner": "ops.clerk"},
            {"id": "long1", "owner": "ops.clerk"},
            {"id": "long2", "owner": "ops.clerk"},
            {"id": "short", "owner": "ops.clerk"},
            {"id": "e", "owner": "customer", "kind": "end"},
        ]
        flows = [
            "s -> x",
            {"from": "x", "to": "long1", **shares.get("long", {})},
            "long1 -> long2",
            "long2 -> e",
            {"from": "x", "to": "short", **shares.get("short", {})},
            "short -> e",
        ]
        return ProcessGraph(
            Process.model_validate(
                {"process": {"id": "t"}, "organisation": ORG, "steps": steps, "flows": flows}
            )
        ).main_path

    # parallel: every case takes both branches; the main path follows the longer one
    assert main_path() == ["s", "x", "long1", "long2", "e"]
    # exclusive: most cases take the short branch
    assert main_path(long={"probability": 0.3}, short={"probability": 0.7}) == [
        "s",
        "x",
        "short",
        "e",
    ]
    assert main_path(long={"probability": 0.3}) == ["s", "x", "short", "e"]
