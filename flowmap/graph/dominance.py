"""Dominance in a process: which steps every route from the start passes to reach a step. A step
dominates the work that exists only because work passed it (the branch an exception opens)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from flowmap.digraph import FlowGraph


def dominator_children(
    flow: FlowGraph[str], entries: Iterable[str], order: Mapping[str, int], back: Collection[str]
) -> dict[str, list[str]]:
    """The dominator tree from the entry steps: each step's children are the steps that
    every route from an entry passes it to reach (and it is the last such step).

    One pass in ``order``, a topological order without the ``back`` flows (loops left out, which does not change dominance in
    a process whose loops go back to a step already on the way): a step's immediate
    dominator is the nearest common dominator of its predecessors."""
    root = ""  # a virtual step above the entries (never a step id: ids are not empty)
    idom: dict[str, str] = {root: root}
    depth: dict[str, int] = {root: 0}
    starts = set(entries)
    # A rank order is usually made in rank order: sorting its own keys is then one pass.
    ranked = sorted(order, key=order.__getitem__)
    if len(ranked) != len(flow):
        ranked = sorted(flow, key=order.__getitem__)
    for node in ranked:
        preds = [root] if node in starts else []
        preds += [
            u
            for u, keys in flow.pred[node].items()
            if u != node and u in idom and any(k not in back for k in keys)
        ]
        if not preds:
            continue  # not reached from an entry
        common = preds[0]
        for other in preds[1:]:
            while common != other:
                if depth[common] >= depth[other]:
                    common = idom[common]
                else:
                    other = idom[other]
        idom[node] = common
        depth[node] = depth[common] + 1
    children: dict[str, list[str]] = {}
    for node, parent in idom.items():
        if node != root and parent != root:
            children.setdefault(parent, []).append(node)
    return children


def below(children: Mapping[str, list[str]], step_id: str) -> frozenset[str]:
    """Steps that can only be reached through ``step_id`` (the step included): the work
    that exists because work passed this step, e.g. the branch an exception opens."""
    seen = {step_id}
    stack = [step_id]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen)
