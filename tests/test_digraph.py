"""flowmap's own graph (``flowmap.digraph``) answers as networkx answers, in the same order:
which component comes first, which cycle and which shortest path is found decide what a
finding names, so the rules must not see a difference. Compared on random graphs with loops,
parallel flows and self-loops, and on every library process."""

from __future__ import annotations

import random

import networkx as nx
import pytest

import flowmap
from flowmap import digraph
from flowmap.graph import ProcessGraph
from tests.conftest import ROOT


def _random_edges(seed: int) -> tuple[list[str], list[tuple[str, str, str]]]:
    rng = random.Random(seed)
    nodes = [f"s{i}" for i in rng.sample(range(60), rng.randint(1, 30))]
    edges = []
    for i in range(rng.randint(0, 3 * len(nodes))):
        u = rng.choice(nodes)
        v = (
            rng.choice(nodes)
            if rng.random() < 0.5
            else nodes[min(nodes.index(u) + 1, len(nodes) - 1)]
        )
        edges.append((u, v, f"f{i}"))
    if edges and rng.random() < 0.3:
        edges.append(edges[0][:2] + ("parallel",))  # a second flow between the same steps
    return nodes, edges


def _both(seed: int) -> tuple[digraph.FlowGraph[str], nx.MultiDiGraph]:
    nodes, edges = _random_edges(seed)
    mine: digraph.FlowGraph[str] = digraph.FlowGraph()
    theirs = nx.MultiDiGraph()
    for graph in (mine, theirs):
        graph.add_nodes_from((n, {"step": n.upper()}) for n in nodes)
        for u, v, key in edges:
            graph.add_edge(u, v, key=key, flow=key)
    return mine, theirs


SEEDS = range(300)


@pytest.mark.parametrize("seed", SEEDS)
def test_reading_the_graph_is_networkx_reading(seed):
    mine, theirs = _both(seed)
    assert list(mine) == list(theirs) and len(mine) == len(theirs)
    assert mine.edges() == list(theirs.edges())
    assert mine.edges(keys=True) == list(theirs.edges(keys=True))
    for n in theirs:
        assert list(mine.successors(n)) == list(theirs.successors(n))
        assert list(mine.predecessors(n)) == list(theirs.predecessors(n))
        assert mine.out_degree(n) == theirs.out_degree(n)
        assert mine.in_degree(n) == theirs.in_degree(n)
        assert mine.out_edges(n, keys=True, data=True) == list(
            theirs.out_edges(n, keys=True, data=True)
        )
        assert mine.in_edges(n, keys=True, data=True) == list(
            theirs.in_edges(n, keys=True, data=True)
        )
        assert mine.in_edges(n, data=True) == list(theirs.in_edges(n, data=True))
        for m in theirs.successors(n):
            assert dict(mine[n][m]) == dict(theirs[n][m])
            assert mine.get_edge_data(n, m) == theirs.get_edge_data(n, m)
            assert mine.has_edge(n, m)
    assert mine.out_edges("missing") == [] == list(theirs.out_edges("missing"))
    part = list(theirs)[::2]
    assert mine.subgraph(part).edges(keys=True) == list(theirs.subgraph(part).edges(keys=True))


@pytest.mark.parametrize("seed", SEEDS)
def test_searches_find_what_networkx_finds(seed):
    mine, theirs = _both(seed)
    simple = nx.DiGraph(theirs)
    assert list(digraph.strongly_connected_components(mine.succ)) == list(
        nx.strongly_connected_components(theirs)
    )
    assert list(digraph.depth_first_labels(mine.succ)) == list(nx.dfs_labeled_edges(simple))
    rng = random.Random(seed)
    nodes = list(theirs)
    for _ in range(5):
        a, b = rng.choice(nodes), rng.choice(nodes)
        try:
            expected = nx.bidirectional_shortest_path(theirs, a, b)
        except nx.NetworkXNoPath:
            with pytest.raises(digraph.NoPath):
                digraph.shortest_path_between(mine.succ, mine.pred, a, b)
        else:
            assert digraph.shortest_path_between(mine.succ, mine.pred, a, b) == expected
        assert digraph.reached_from(mine.successors, [a]) == {a} | nx.descendants(theirs, a)
    for component in nx.strongly_connected_components(simple):
        if len(component) > 1:
            within = {u: [v for v in mine.succ[u] if v in component] for u in component}
            expected = nx.find_cycle(simple.subgraph(component), min(component))
            assert digraph.find_cycle(within, min(component)) == expected
    acyclic = nx.DiGraph((u, v) for u, v in simple.edges if nodes.index(u) < nodes.index(v))
    acyclic.add_nodes_from(nodes)
    adjacency = {n: dict.fromkeys(acyclic.successors(n)) for n in acyclic}
    assert digraph.topological_order(adjacency) == list(nx.topological_sort(acyclic))


def test_a_cycle_is_no_topological_order():
    with pytest.raises(digraph.NoPath):
        digraph.topological_order({"a": ["b"], "b": ["a"]})


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "processes").rglob("*.flow.yaml")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_the_chain_of_command_is_the_tree_networkx_searched(path):
    """The chain-of-command questions, against networkx on the tree of the process's roles
    below a virtual top."""
    g = ProcessGraph(flowmap.load(path))
    tree = nx.DiGraph()
    tree.add_node("TOP")
    for key in g.roles:
        tree.add_edge(g.superior(key) or "TOP", key)
    for a in g.roles:
        assert g.chain_of_command(a) == list(reversed(nx.shortest_path(tree, "TOP", a)[1:]))
        for b in g.roles:
            common = nx.lowest_common_ancestor(tree, a, b)
            assert g.common_superior(a, b) == (None if common == "TOP" else common)
            assert g.reports_to(b, a) == nx.has_path(tree, a, b)
