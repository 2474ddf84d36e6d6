"""Stage 6 (after the flows) of the BPMN loader: data a person keys by hand from one system into
another.

BPMN draws which data stores an activity reads (``dataInputAssociation``) and writes
(``dataOutputAssociation``). A person's task (a plain, user or manual task, not a service or
script task) that writes into a store, when the case's data came out of another store (read by
the task itself, or by an earlier task of the same function on the way to it), re-keys that
data: its purpose is ``re-entry``, recorded as inferred ("'Update payroll system' keys into
'Payroll system' what 'Validate provided information' read from 'Employee Details'"). Only the
first such task counts: a later task writing into a store the function already filled adds to
it. A purpose the modeller stated (``flowmap:purpose``) or read from the name wins.
"""

from __future__ import annotations

from typing import Any

from flowmap.loaders.bpmn.organisation import OrgDraft
from flowmap.loaders.bpmn.records import Records
from flowmap.model import Purpose

_PEOPLE = frozenset({"task", "userTask", "manualTask"})
_DEPTH = 6  # how far back along the flows the data may have been read


def read_rekeying(
    r: Records, org: OrgDraft, ids: Any, steps: list[dict[str, Any]], flows: list[dict[str, Any]]
) -> None:
    """Mark the people's tasks that key data from one store into another as ``re-entry``."""
    if r.exported or not r.data_refs:
        return
    reads: dict[str, list[str]] = {}
    writes: dict[str, list[str]] = {}
    people: set[str] = set()
    for node in r.nodes.values():
        sid = ids.of.get(node.id)
        if sid is None:
            continue
        found_in, found_out = _stores(r, node.element)
        if found_in:
            reads[sid] = found_in
        if found_out:
            writes[sid] = found_out
        if node.local in _PEOPLE:
            people.add(sid)
    if not writes or not reads:
        return
    by_id = {s["id"]: s for s in steps}
    before: dict[str, list[str]] = {}
    for flow in flows:
        before.setdefault(flow["to"], []).append(flow["from"])
    order = {sid: i for i, sid in enumerate(by_id)}
    for sid in sorted(set(writes) & people, key=lambda s: order.get(s, -1)):
        step = by_id.get(sid)
        if step is None or step.get("purpose"):
            continue
        source = _read_before(sid, step["owner"], by_id, before, reads, writes)
        if source is None:
            continue
        reader, store, filled = source
        new = [s for s in writes[sid] if s != store and s not in filled]
        if not new:
            continue
        step["purpose"] = [Purpose.re_entry.value]
        where = "it" if reader == sid else f"'{by_id[reader]['name'] or reader}'"
        org.infer(
            sid,
            "purpose",
            Purpose.re_entry.value,
            f"'{step['name'] or sid}' keys into '{new[0]}' by hand what {where} read from "
            f"'{store}' (BPMN data associations)",
        )


def _read_before(
    sid: str,
    owner: str,
    by_id: dict[str, dict[str, Any]],
    before: dict[str, list[str]],
    reads: dict[str, list[str]],
    writes: dict[str, list[str]],
) -> tuple[str, str, set[str]] | None:
    """(the task that read the data, the store it read, the stores filled on the way) for the
    nearest read by the same function before ``sid`` (``sid`` itself first), or None."""
    function = owner.split(".", 1)[0]
    filled: set[str] = set()
    frontier, seen = [sid], {sid}
    for _ in range(_DEPTH):
        nxt = []
        for node in frontier:
            if node != sid:
                filled.update(writes.get(node, ()))
            if reads.get(node):
                return node, reads[node][0], filled
            for prev in before.get(node, ()):
                step = by_id.get(prev)
                if prev in seen or step is None or step["owner"].split(".", 1)[0] != function:
                    continue
                seen.add(prev)
                nxt.append(prev)
        frontier = nxt
    return None


def _stores(r: Records, element) -> tuple[list[str], list[str]]:
    """The names of the data stores an element reads and writes."""
    found_in: list[str] = []
    found_out: list[str] = []
    for reads, kind, name in r.data_of(element):
        listed = found_in if reads else found_out
        if kind == "systems" and name not in listed:
            listed.append(name)
    return found_in, found_out
