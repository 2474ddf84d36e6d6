"""Stage 7 of the BPMN loader: the organisation, steps and flows put together as a process.

Also the parts of the process the file states for the whole model: its id and name, the
``flowmap:`` header attributes (status, version, sources, ignored rules), the customer's name
and the measures kept in extension elements. Every guess made from a name can be overridden by
a ``flowmap:`` attribute (``docs/bpmn.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from flowmap.assemble import assemble
from flowmap.errors import Location, Problem
from flowmap.loaders.bpmn.datastores import read_rekeying
from flowmap.loaders.bpmn.declared import declare
from flowmap.loaders.bpmn.events import read_semantics
from flowmap.loaders.bpmn.flows import read_flows
from flowmap.loaders.bpmn.organisation import OrgDraft
from flowmap.loaders.bpmn.records import Records
from flowmap.loaders.bpmn.steps import StepIds, read_steps
from flowmap.loaders.bpmn.xml import (
    FM,
    clean,
    documentation,
    flowmap_extensions,
    ignore_codes,
    local_name,
)
from flowmap.loaders.ids import slug
from flowmap.model import CUSTOMER, ID_RE, Process
from flowmap.suffixes import stem

if TYPE_CHECKING:  # an organisation file's reader is imported only when one is given
    from flowmap.loaders.org_file import OrgFile


def build(records: Records, org: OrgFile | None = None) -> Process | None:
    """The process the records describe; None when errors were recorded on ``records``.
    ``org``: an organisation file that states whose some lanes and pools are."""
    data = process_data(records, org)
    if records.errors:
        return None
    try:  # the data is checked above: assembled without building pydantic's validators
        process = assemble(Process, data) or Process.model_validate(data)
    except ValidationError as exc:  # a flowmap: attribute the checks above let through
        from flowmap.loaders.validation import explain  # the YAML loader's wording

        for error in exc.errors(include_url=False):
            _, message, hint, code, _ = explain(error, data)
            records.errors.append(Problem(Location(records.path), message, hint, code))
        return None
    return process.with_source(records.path, records.locations)


def process_data(records: Records, org_file: OrgFile | None = None) -> dict[str, Any]:
    """The process as the plain data a ``*.flow.yaml`` file would hold."""
    r = records
    root = r.doc.root
    org = OrgDraft(r, declare(r, org_file) if org_file is not None else None)
    org.read()
    ids = StepIds()
    semantics = read_semantics(r)
    steps = read_steps(r, org, ids, semantics)
    flows = read_flows(r, org, ids, steps, semantics)
    read_rekeying(r, org, ids, steps, flows)
    org.chain_of_command()
    if ids.renamed:
        old, new = ids.renamed[0]
        r.warn(
            None,
            f"{len(ids.renamed)} element id(s) do not fit flowmap's id pattern and "
            f"were changed, e.g. {old!r} -> {new!r}",
            "flowmap ids use letters, digits, '-' and '_' and start with a letter",
            "id-changed",
            old,
        )
    if r.by_geometry:
        r.warn(
            None,
            "some lanes do not list their flow nodes (flowNodeRef); flowmap placed "
            "those nodes by where the diagram draws them",
            "list each node in its lane to make membership explicit",
            "lane-by-diagram",
        )
    if not org.customer_name and not any(s["owner"] == CUSTOMER for s in steps):
        r.warn(
            None,
            "no pool or lane names the customer, so no step is the customer's",
            "name the customer's pool or lane (e.g. 'Customer'), or set "
            'flowmap:org="customer" on it',
            "no-customer",
        )
    if r.exported:  # files flowmap wrote keep the order of the flowmap file
        steps.sort(key=lambda s: s.pop("_order", 0))
        flows.sort(key=lambda f: f.pop("_order", 0))
    info = _info(r, root)
    r.locations.defer("process", root)
    return {
        "process": info,
        "customer": _customer(org),
        "organisation": org.header(),
        "steps": steps,
        "flows": flows,
        "measures": _measures(r, root),
        "inferred": org.inferred,
    }


def _info(r: Records, root) -> dict[str, Any]:
    info: dict[str, Any] = {}
    own = root.get(FM + "id")
    if own is not None and not ID_RE.match(own):
        r.error(
            root,
            f"flowmap:id {own!r} of the process is not a valid process id",
            "ids start with a letter and use letters, digits, '-' and '_'",
            "invalid-id",
        )
        own = None
    info["id"] = own or slug(stem(r.path)) or "process"
    collaboration = next((c for c in root if local_name(c.tag) == "collaboration"), None)
    processes = [p.process for p in r.pools if p.process is not None]
    name = root.get("name") or (collaboration.get("name") if collaboration is not None else None)
    if not name and len(processes) == 1:
        name = processes[0].get("name")
    info["name"] = (name if r.exported else clean(name)) or ""
    holder = (
        collaboration
        if collaboration is not None
        else (processes[0] if len(processes) == 1 else None)
    )
    if holder is not None:
        info["description"] = documentation(holder, r.exported)
    for key in ("status", "version", "industry"):
        if root.get(FM + key) is not None:
            info[key] = root.get(FM + key)
    if root.get(FM + "redesign-of") is not None:
        info["redesign_of"] = root.get(FM + "redesign-of")
    extensions = flowmap_extensions(root) + (
        flowmap_extensions(collaboration) if collaboration is not None else []
    )
    sources = [(e.text or "") for e in extensions if local_name(e.tag) == "source"]
    if sources:
        info["sources"] = sources
    ignore = ignore_codes(extensions)
    if ignore:
        info["ignore"] = ignore
    if info.get("status") not in (None, "as-is", "to-be", "draft"):
        r.error(
            root,
            f"flowmap:status {info['status']!r} is not a status",
            "write as-is, to-be or draft",
            "invalid-value",
        )
    return info


def _customer(org: OrgDraft) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if org.customer_name:
        out["name"] = org.customer_name
    element = org.customer_element
    for key in ("segment", "description"):
        if element is not None and element.get(FM + key) is not None:
            out[key] = element.get(FM + key)
    return out


def _measures(r: Records, root) -> list[dict[str, Any]]:
    out = []
    for holder in [root, *(c for c in root if local_name(c.tag) == "collaboration")]:
        for element in flowmap_extensions(holder):
            if local_name(element.tag) != "measure":
                continue
            measure = {
                k: element.get(k)
                for k in ("id", "name", "kind", "owner", "target")
                if element.get(k) is not None
            }
            measure["steps"] = element.get("steps", "").split()
            out.append(measure)
            r.locations.defer(f"measure:{measure.get('id')}", element)
    return out
