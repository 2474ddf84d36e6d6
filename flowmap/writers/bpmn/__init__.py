"""Write a :class:`~flowmap.model.Process` as BPMN 2.0 XML with a diagram (DI) modelers can open.

The model is a collaboration of two pools: the customer on top, and the organisation below it,
whose lanes are the functions, split into nested lanes for the roles. Steps are laid out left to
right in the order of the flow (loops drawn backwards below the shapes), in the columns
``flowmap render`` draws (:mod:`flowmap.columns`): a step handed its work alone from another lane
sits straight below or above the step before it; steps that share a column in one lane stack up.

Flows inside a pool are sequence flows; flows between the customer and the organisation are
message flows. BPMN asks for more than flowmap says (a start and an end event in every process,
a gateway where a task forks, no message flow into a gateway...), so the writer adds those
elements, marks them ``flowmap:synthetic="true"`` and puts the flowmap flow's identity
(``flowmap:id``) on the one sequence or message flow that stands for it. Everything else flowmap
knows (step value, purposes, times, systems, role levels, the chain of command, measures...) is
kept in attributes and extension elements of the namespace ``https://flowmap.dev/bpmn/1``, so
:func:`flowmap.loaders.bpmn.load_bpmn` reads the file back as the same process.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from flowmap.formatting import xml_safe
from flowmap.model import Process
from flowmap.writers.bpmn.diagram import structure
from flowmap.writers.bpmn.layout import lay_out
from flowmap.writers.bpmn.xml import to_xml


def dump(process: Process) -> str:
    """The process as BPMN 2.0 XML text (UTF-8, with an XML declaration)."""
    from lxml import etree

    process = _writable(process)
    diagram = structure(process)  # which elements
    lay_out(process, diagram)  # where they go
    root = to_xml(process, diagram)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode(
        "utf-8"
    )


def _writable(value: Any) -> Any:
    """``value`` (the process, any part of it) with every text XML cannot hold made harmless
    (:func:`flowmap.formatting.xml_safe`); parts without such text are returned as they are."""
    if type(value) is str:  # enum members are str too, and always safe
        safe = xml_safe(value)
        return value if safe == value else safe
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _writable(old)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, (list, tuple)):
        items = [_writable(v) for v in value]
        if any(a is not b for a, b in zip(items, value, strict=True)):
            return type(value)(items)
        return value
    if isinstance(value, dict):
        pairs = {_writable(k): _writable(v) for k, v in value.items()}
        if any(k not in value or pairs[k] is not value[k] for k in pairs):
            return pairs
        return value
    return value
