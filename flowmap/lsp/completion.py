"""Completion: owners, step ids, enum values and keys, each with its documentation.

Works on a line being typed, which rarely parses: the context is read from the text before the
cursor (``owner: sa|``, ``- take-order -> |``, ``purpose: [approval, |``) and from the keys the
lines above open (``steps:`` > a step; ``organisation:`` > ``functions:`` > ``roles:``). What can
be offered comes from the model: field names and descriptions of the pydantic models, the enums'
values, the roles and steps of the last version of the file that loaded (and of its
organisation file).
"""

from __future__ import annotations

import re
from enum import Enum

from lsprotocol import types
from pydantic import BaseModel

from flowmap import model as m
from flowmap.lsp.documents import Documents, Snapshot

_VALUE = re.compile(r"(?:^|[\s{,])([A-Za-z_]+):\s*([\w.\-]*)$")
_LIST_VALUE = re.compile(r"(?:^|[\s{,])([A-Za-z_]+):\s*\[(?:[^\]]*,)?\s*([\w.\-]*)$")
_FLOW_START = re.compile(r"^\s*-\s+([\w.\-]*)$")
_FLOW_TARGET = re.compile(r"->\s*([\w.\-]*)$")
_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_]*)$")

# The model each section of a file holds, by the keys that open it.
_SECTION_MODEL: dict[tuple[str, ...], type[BaseModel]] = {
    (): m.Process,
    ("process",): m.ProcessInfo,
    ("customer",): m.Customer,
    ("organisation",): m.Organisation,
    ("organisation", "functions"): m.Function,
    ("organisation", "functions", "roles"): m.Role,
    ("organisation", "people"): m.Person,
    ("steps",): m.Step,
    ("flows",): m.Flow,
    ("measures",): m.Measure,
}
# Which enum a key takes, by section.
_ENUMS: dict[tuple[tuple[str, ...], str], type[Enum]] = {
    (("steps",), "kind"): m.StepKind,
    (("steps",), "value"): m.Value,
    (("steps",), "purpose"): m.Purpose,
    (("flows",), "kind"): m.FlowKind,
    (("measures",), "kind"): m.MeasureKind,
    (("process",), "status"): m.Status,
    (("organisation", "functions"), "kind"): m.FunctionKind,
}
_ENUM_NOTES = {
    m.Value: {
        "customer": "value-adding: the customer would pay for it",
        "business": "required by law or the business, not valued by the customer",
        "none": "waste: nobody would pay for it",
    },
    m.FunctionKind: {"service": "customer service / support"},
}


def at(
    documents: Documents, snapshot: Snapshot, position: types.Position
) -> types.CompletionList | None:
    if snapshot.kind not in ("process", "organisation"):
        return None
    line, character = snapshot.spot(position)
    before = snapshot.lines[line][:character] if line < len(snapshot.lines) else ""
    section = _section(snapshot.lines, line, before)
    items = _values(documents, snapshot, section, before) or _keys(section, before)
    if items is None:
        return None
    partial = re.search(r"[\w.\-]*$", before).group(0)
    edit_range = snapshot.range(line, character - len(partial), character)
    for item in items:
        item.text_edit = types.TextEdit(range=edit_range, new_text=item.insert_text or item.label)
        item.insert_text = None
    return types.CompletionList(is_incomplete=False, items=items)


def _section(lines: list[str], line: int, before: str) -> tuple[str, ...]:
    """The keys that open the block the cursor is in, outermost first (lists skipped)."""
    indent = len(before) - len(before.lstrip(" -"))
    if not before.strip():
        indent = len(before)
    keys: list[str] = []
    for number in range(line - 1, -1, -1):
        text = lines[number]
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        width = len(text) - len(stripped)
        if width < indent:
            found = re.match(r"(?:-\s+)?([A-Za-z_]+):(\s*#.*)?\s*$", stripped)
            if found:
                keys.append(found.group(1))
            indent = width
            if width == 0:
                break
    return tuple(
        k
        for k in reversed(keys)
        if k
        in (
            "process",
            "customer",
            "organisation",
            "functions",
            "roles",
            "people",
            "steps",
            "flows",
            "measures",
        )
    )


def _values(
    documents: Documents, snapshot: Snapshot, section: tuple[str, ...], before: str
) -> list[types.CompletionItem] | None:
    in_flows = section[:1] == ("flows",)
    if in_flows and (_FLOW_TARGET.search(before) or _FLOW_START.match(before)):
        return _steps(documents, snapshot)
    found = _LIST_VALUE.search(before) or _VALUE.search(before)
    if found is None:
        return None
    name = found.group(1)
    if name in ("from", "to") or (name == "steps" and section[:1] == ("measures",)):
        return _steps(documents, snapshot)
    if name in ("owner", "role", "reports_to") and section[:1] != ("measures",):
        return _roles(documents, snapshot, with_customer=name == "owner")
    if name == "owner":
        return _functions(documents, snapshot)
    enum = _ENUMS.get((section, name))
    if enum is None and name == "stage":
        return [
            _item(
                v,
                "front or back stage in the service blueprint",
                types.CompletionItemKind.EnumMember,
            )
            for v in ("front", "back")
        ]
    if enum is None:
        return None
    notes = _ENUM_NOTES.get(enum, {})
    doc = (enum.__doc__ or "").strip()
    return [
        _item(v.value, notes.get(v.value, doc), types.CompletionItemKind.EnumMember) for v in enum
    ]


def _keys(section: tuple[str, ...], before: str) -> list[types.CompletionItem] | None:
    if _KEY.match(before) is None:
        return None
    model = _SECTION_MODEL.get(section[-3:] if section[:1] == ("organisation",) else section[:1])
    if model is None:
        return None
    items = []
    for name, info in model.model_fields.items():
        if name in ("inferred", "generated"):
            continue
        label = info.alias or name
        text = info.description or f"{label} of the {model.__name__.lower()}"
        items.append(_item(label, text, types.CompletionItemKind.Property, f"{label}: "))
    return items


def _item(
    label: str,
    documentation: str,
    kind: types.CompletionItemKind,
    insert: str | None = None,
    detail: str | None = None,
) -> types.CompletionItem:
    return types.CompletionItem(
        label=label,
        kind=kind,
        detail=detail,
        insert_text=insert,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=documentation),
    )


def _organisation(documents: Documents, snapshot: Snapshot):
    """The organisation in force: the last version of this file (or its org file) that loaded."""
    checked = documents.last_good(snapshot)
    return checked.process.organisation if checked is not None else None


def _roles(
    documents: Documents, snapshot: Snapshot, with_customer: bool
) -> list[types.CompletionItem]:
    from flowmap.lsp.hover import LEVELS

    items = []
    if with_customer:
        items.append(
            _item(
                m.CUSTOMER,
                "the customer: the lane at the top of the diagram",
                types.CompletionItemKind.Value,
            )
        )
    organisation = _organisation(documents, snapshot)
    if organisation is None:
        return items
    for function in organisation.functions:
        for role in function.roles:
            key = f"{function.id}.{role.id}"
            items.append(
                _item(
                    key,
                    f"**{role.label}** of {function.label} ({function.kind.value}), level "
                    f"{role.level}: {LEVELS.get(role.level, '')}"
                    + (f"; reports to `{role.reports_to}`" if role.reports_to else ""),
                    types.CompletionItemKind.Reference,
                    detail=f"level {role.level}",
                )
            )
    return items


def _functions(documents: Documents, snapshot: Snapshot) -> list[types.CompletionItem]:
    organisation = _organisation(documents, snapshot)
    if organisation is None:
        return []
    return [
        _item(f.id, f"**{f.label}** ({f.kind.value})", types.CompletionItemKind.Module)
        for f in organisation.functions
    ]


def _steps(documents: Documents, snapshot: Snapshot) -> list[types.CompletionItem]:
    checked = documents.last_good(snapshot)
    index = documents.index(snapshot)
    items = []
    known = {}
    if checked is not None:
        known = {s.id: s for s in checked.process.steps}
    ids = index.ids("step") if index is not None else list(known)
    for step_id in dict.fromkeys(ids + list(known)):
        step = known.get(step_id)
        doc = (
            f"**{step.label}** ({step.kind.value}), owner `{step.owner or 'none'}`"
            if step is not None
            else "a step of this process"
        )
        items.append(
            _item(
                step_id,
                doc,
                types.CompletionItemKind.Function,
                detail=step.label if step is not None else None,
            )
        )
    return items
