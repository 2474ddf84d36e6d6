"""The process's flows as a directed graph, and the few graph searches the rules make.

:class:`FlowGraph` holds steps as nodes and flows as keyed edges (two flows between the same
steps are two edges), with the reading methods of ``networkx.MultiDiGraph`` that flowmap uses
(``successors``, ``out_edges(keys=, data=)``, ``graph[a][b]``...). The searches below give the
answers networkx gives, in the same order (which component comes first, which cycle and which
shortest path are found), so findings do not depend on the library.

Why not networkx here: importing it is about a third of a cold ``flowmap analyze`` (it loads
every algorithm it has, and scans the installed packages for back-ends), while the rules need
adjacency and five searches. networkx stays where its breadth serves (the BPMN writer's
layout, process mining).

Pure: no I/O. The searches take a mapping from each node to its successors (an adjacency
dict, or :attr:`FlowGraph.succ`), so the smaller graphs rules build are plain dicts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

N = TypeVar("N", bound=Hashable)
Adjacency = Mapping[N, Iterable[N]]  # node -> its successors, in order


class NoPath(Exception):
    """There is no way from one node to the other."""


class FlowGraph(Generic[N]):
    """A directed graph whose edges have keys (the flow ids) and data; nodes, successors,
    predecessors and keys all keep the order in which they were added."""

    def __init__(self) -> None:
        self.nodes: dict[N, dict[str, Any]] = {}  # node -> its attributes
        self.succ: dict[N, dict[N, dict[Any, dict[str, Any]]]] = {}  # u -> v -> key -> data
        self.pred: dict[N, dict[N, dict[Any, dict[str, Any]]]] = {}  # v -> u -> key -> data

    # -- building ----------------------------------------------------------------------------
    def add_node(self, node: N, **attributes: Any) -> None:
        if node not in self.nodes:
            self.nodes[node] = {}
            self.succ[node] = {}
            self.pred[node] = {}
        self.nodes[node].update(attributes)

    def add_nodes_from(self, nodes: Iterable[N | tuple[N, dict[str, Any]]]) -> None:
        for item in nodes:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
                self.add_node(item[0], **item[1])
            else:
                self.add_node(item)  # type: ignore[arg-type]

    def add_edge(self, u: N, v: N, key: Any = None, **data: Any) -> Any:
        self.add_node(u)
        self.add_node(v)
        keys = self.succ[u].get(v)
        if keys is None:
            keys = self.succ[u][v] = self.pred[v][u] = {}
        if key is None:  # like networkx: the lowest free integer
            key = len(keys)
            while key in keys:
                key += 1
        keys.setdefault(key, {}).update(data)
        return key

    def subgraph(self, nodes: Iterable[N]) -> FlowGraph[N]:
        """The graph of ``nodes`` and the edges between them (a copy, in this graph's order)."""
        inside = set(nodes)
        part: FlowGraph[N] = FlowGraph()
        part.add_nodes_from((n, dict(data)) for n, data in self.nodes.items() if n in inside)
        for u in part.nodes:
            for v, keys in self.succ[u].items():
                if v in inside:
                    for key, data in keys.items():
                        part.add_edge(u, v, key, **data)
        return part

    # -- reading -----------------------------------------------------------------------------
    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __iter__(self) -> Iterator[N]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __getitem__(self, node: N) -> dict[N, dict[Any, dict[str, Any]]]:
        """``graph[a][b]``: the edges from ``a`` to ``b``, key -> data."""
        return self.succ[node]

    def successors(self, node: N) -> Iterator[N]:
        return iter(self.succ[node])

    neighbors = successors

    def predecessors(self, node: N) -> Iterator[N]:
        return iter(self.pred[node])

    def has_edge(self, u: N, v: N) -> bool:
        return v in self.succ.get(u, {})

    def get_edge_data(self, u: N, v: N, default: Any = None) -> Any:
        """The edges from ``u`` to ``v`` (key -> data), or ``default``."""
        return self.succ.get(u, {}).get(v, default)

    def out_degree(self, node: N) -> int:
        return sum(len(keys) for keys in self.succ[node].values())

    def in_degree(self, node: N) -> int:
        return sum(len(keys) for keys in self.pred[node].values())

    def out_edges(
        self, node: N | None = None, keys: bool = False, data: bool = False
    ) -> list[tuple[Any, ...]]:
        """Edges out of ``node`` (of every node when None): (u, v[, key][, data])."""
        nodes = self.nodes if node is None else (node,) if node in self.nodes else ()
        return [
            (u, v, *((key,) if keys else ()), *((d,) if data else ()))
            for u in nodes
            for v, kd in self.succ[u].items()
            for key, d in kd.items()
        ]

    edges = out_edges

    def in_edges(self, node: N, keys: bool = False, data: bool = False) -> list[tuple[Any, ...]]:
        """Edges into ``node``: (u, node[, key][, data])."""
        if node not in self.pred:
            return []
        return [
            (u, node, *((key,) if keys else ()), *((d,) if data else ()))
            for u, kd in self.pred[node].items()
            for key, d in kd.items()
        ]


# -- searches ----------------------------------------------------------------------------------
def strongly_connected_components(adjacency: Adjacency[N]) -> Iterator[set[N]]:
    """The strongly connected components, each a set, in the order networkx yields them
    (Tarjan's algorithm without recursion, from the nodes in order)."""
    preorder: dict[N, int] = {}
    lowlink: dict[N, int] = {}
    found: set[N] = set()
    waiting: list[N] = []
    counter = 0
    successors: dict[N, Iterator[N]] = {}  # made when a node is reached, in the search's order
    for source in adjacency:
        if source in found:
            continue
        stack = [source]
        while stack:
            v = stack[-1]
            if v not in preorder:
                counter += 1
                preorder[v] = counter
                successors[v] = iter(adjacency[v])
            done = True
            for w in successors[v]:
                if w not in preorder:
                    stack.append(w)
                    done = False
                    break
            if not done:
                continue
            low = preorder[v]
            for w in adjacency[v]:
                if w not in found:
                    low = min(low, lowlink[w] if preorder[w] > preorder[v] else preorder[w])
            lowlink[v] = low
            stack.pop()
            if low == preorder[v]:
                component = {v}
                while waiting and preorder[waiting[-1]] > preorder[v]:
                    component.add(waiting.pop())
                found.update(component)
                yield component
            else:
                waiting.append(v)


def find_cycle(adjacency: Adjacency[N], source: N) -> list[tuple[N, N]]:
    """A cycle reached from ``source`` as a list of edges (u, v), the one networkx's
    ``find_cycle`` finds (a depth-first search over edges); :class:`NoPath` when none."""
    edges: list[tuple[N, N]] = []
    active = {source}
    previous: N | None = None
    visited: set[N] = set()
    iterators: dict[N, Iterator[N]] = {}
    stack = [source]
    while stack:
        current = stack[-1]
        if current not in visited:
            iterators[current] = iter(adjacency[current])
            visited.add(current)
        head = next(iterators[current], None)
        if head is None:
            stack.pop()
            continue
        stack.append(head)  # every (current, head) edge is met once: a simple graph
        tail = current
        if previous is not None and tail != previous:
            while True:
                if not edges:
                    active = {tail}
                    break
                active.discard(edges.pop()[1])
                if edges and tail == edges[-1][1]:
                    break
        edges.append((tail, head))
        if head in active:  # the cycle starts at the first edge out of ``head``
            first = next((i for i, (u, _) in enumerate(edges) if u == head), len(edges) - 1)
            return edges[first:]
        active.add(head)
        previous = head
    raise NoPath(f"no cycle from {source!r}")


def shortest_path_between(succ: Adjacency[N], pred: Adjacency[N], source: N, target: N) -> list[N]:
    """A shortest path from ``source`` to ``target``, searched from both ends at once (the path
    networkx's ``bidirectional_shortest_path`` returns); :class:`NoPath` when there is none."""
    if source == target:
        return [source]
    before: dict[N, N | None] = {source: None}
    after: dict[N, N | None] = {target: None}
    forward, backward = [source], [target]
    meet: N | None = None
    while forward and backward and meet is None:
        if len(forward) <= len(backward):
            level, forward = forward, []
            for v in level:
                for w in succ[v]:
                    if w not in before:
                        forward.append(w)
                        before[w] = v
                    if w in after:
                        meet = w
                        break
                if meet is not None:
                    break
        else:
            level, backward = backward, []
            for v in level:
                for w in pred[v]:
                    if w not in after:
                        after[w] = v
                        backward.append(w)
                    if w in before:
                        meet = w
                        break
                if meet is not None:
                    break
    if meet is None:
        raise NoPath(f"no path from {source!r} to {target!r}")
    path: list[N] = []
    node: N | None = meet
    while node is not None:
        path.append(node)
        node = before[node]
    path.reverse()
    node = after[path[-1]]
    while node is not None:
        path.append(node)
        node = after[node]
    return path


def depth_first_labels(adjacency: Adjacency[N]) -> Iterator[tuple[N, N, str]]:
    """(parent, child, label) of a depth-first search from every node in order, as networkx's
    ``dfs_labeled_edges``: 'forward' (a tree edge, and each start with itself), 'nontree' (to a
    node already visited) and 'reverse' (the search backs up over a tree edge)."""
    visited: set[N] = set()
    for start in adjacency:
        if start in visited:
            continue
        yield start, start, "forward"
        visited.add(start)
        stack: list[tuple[N, Iterator[N]]] = [(start, iter(adjacency[start]))]
        while stack:
            parent, children = stack[-1]
            for child in children:
                if child in visited:
                    yield parent, child, "nontree"
                else:
                    yield parent, child, "forward"
                    visited.add(child)
                    stack.append((child, iter(adjacency[child])))
                    break
            else:
                stack.pop()
                if stack:
                    yield stack[-1][0], parent, "reverse"
        yield start, start, "reverse"


def topological_order(adjacency: Adjacency[N]) -> list[N]:
    """The nodes of an acyclic graph, each before its successors, in networkx's order (nodes
    without predecessors first, then generation by generation); :class:`NoPath` on a cycle.
    ``adjacency`` lists each successor once."""
    indegree: dict[N, int] = dict.fromkeys(adjacency, 0)
    for node in adjacency:
        for child in adjacency[node]:
            indegree[child] += 1
    generation = [v for v, d in indegree.items() if d == 0]
    for v in generation:
        del indegree[v]
    order: list[N] = []
    while generation:
        order += generation
        following: list[N] = []
        for node in generation:
            for child in adjacency[node]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    following.append(child)
                    del indegree[child]
        generation = following
    if indegree:
        raise NoPath("the graph has a cycle")
    return order


def reached_from(neighbours: Callable[[N], Iterable[N]], starts: Iterable[N]) -> set[N]:
    """Every node reached from ``starts`` (the starts included)."""
    seen = set(starts)
    stack = list(seen)
    while stack:
        for nxt in neighbours(stack.pop()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen
