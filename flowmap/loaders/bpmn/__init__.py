"""Read a BPMN 2.0 file (``.bpmn``, ``.bpmn2``, ``.bpmn20.xml``, ``.xml``) as a flowmap process.

The stages run one way, each module importing only those before it:

1. :mod:`.xml` reads the bytes as XML, refusing hostile input (entities, external DTDs, size);
2. :mod:`.records` turns the XML into plain records: pools, lanes with their nesting, flow nodes,
   sequence and message flows, sub-process containment, diagram bounds, annotations, data;
3. :mod:`.lanes` puts each node in its lane (listed, else its sub-process's, else by geometry);
4. :mod:`.organisation` turns pools and lanes into functions, roles and the customer;
5. :mod:`.steps` turns flow nodes into steps; 6. :mod:`.flows` turns sequence flows, message
   flows, boundary events and sub-processes into flows; :mod:`.datastores` then reads which
   people's tasks key data from one data store into another (re-entry);
7. :mod:`.build` puts them together as a :class:`~flowmap.model.Process`.

The mapping, in short (``docs/bpmn.md`` has the whole of it, with the ``flowmap:`` attributes a
modeller can add to say things outright): every flow node becomes a step whose id is the BPMN id;
expanded sub-processes are flattened; sequence flows and message flows become flows; pools and
lanes become the organisation; data objects and stores become ``data`` and ``systems``;
documentation and text annotations become notes.

Files that cannot be read as a process raise :class:`~flowmap.errors.LoadError` naming the element
and what is wrong. Files that can be read but are imperfect (a node in two lanes, a dangling lane
reference...) load, and each imperfection is appended to ``warnings`` as a
:class:`~flowmap.errors.Problem` with severity ``"warning"``. Unreachable steps are kept (the
structure rules report them). Files this package's writer produced (``flowmap.writers.bpmn``) read
back as the process that was written.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING

from flowmap.errors import Problem
from flowmap.loaders.bpmn.build import build
from flowmap.loaders.bpmn.elements import FLOW_NODES
from flowmap.loaders.bpmn.lanes import assign_lanes
from flowmap.loaders.bpmn.records import read_records
from flowmap.loaders.bpmn.xml import DEFAULT_MAX_BYTES, parse
from flowmap.model import Process

if TYPE_CHECKING:  # an organisation file's reader is imported only when one is given
    from flowmap.loaders.org_file import OrgFile

__all__ = ["FLOW_NODES", "load_bpmn"]


def load_bpmn(
    path: str | os.PathLike,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    warnings: list[Problem] | None = None,
    org: OrgFile | None = None,
) -> Process:
    """Read one BPMN 2.0 file as a :class:`~flowmap.model.Process`.

    ``org`` (:func:`flowmap.loaders.org_file.load_org_file`) states whose the lanes and pools
    it covers are; those replace what would be read from their names (``docs/bpmn.md``).

    Raises :class:`~flowmap.errors.LoadError` when the file cannot be used (its problems also
    list the warnings found so far). Warnings about a usable file are appended to ``warnings``
    when a list is given.
    """
    doc = parse(Path(path), max_bytes)
    collecting = gc.isenabled()
    gc.disable()  # building ~10 objects per element: the cycle collector only slows it down
    records = None
    try:
        records = read_records(doc)
        if records.errors:
            records.fail()
        assign_lanes(records)
        process = build(records, org)
        if process is None or records.errors:
            records.fail()
        # Positions are kept as lines and ids (LazyLocations): the tree, several times the
        # size of the model, can go.
        doc.root = None
    finally:
        if collecting:
            gc.enable()
        if warnings is not None:
            warnings.extend(records.warnings if records is not None else doc.warnings)
    return process
