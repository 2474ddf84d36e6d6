"""Write a :class:`~flowmap.model.Process` as a ``*.flow.yaml`` file in the canonical layout.

Used by ``analyze --fix``, ``convert`` (BPMN to YAML) and wherever flowmap creates a process file.
The layout is the one ``docs/format.md`` shows: sections in a fixed order, one step per mapping,
roles, flows and measures one per line, defaults left out. (``flowmap fmt`` keeps a person's
comments and uses a round-trip YAML library instead.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from flowmap.model import Flow, Measure, Process, Role, Step, StepKind

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9 _./()'+-]*$")
_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def scalar(value) -> str:
    """A YAML scalar that reads back as exactly ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return (
            repr(value)
            if isinstance(value, float) and not value.is_integer()
            else str(int(value))
            if isinstance(value, float)
            else str(value)
        )
    text = str(value)
    if (
        _PLAIN.match(text)
        and text.lower() not in _RESERVED
        and not text.endswith((" ", ":"))
        and ": " not in text
        and " #" not in text
        and not text.startswith("- ")
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def duration(minutes: float) -> str:
    """A duration as the process format writes it, exactly: reading it back gives the same
    number (``1.0001`` stays ``1.0001m``; a value only an exponent can write stays a number of
    minutes, ``1e-07``). This is data, not display: see :mod:`flowmap.formatting` for that."""
    for unit, size in (("w", 10080), ("d", 1440), ("h", 60)):
        if minutes >= size and (minutes / size).is_integer() and (minutes / size) * size == minutes:
            return f"{int(minutes / size)}{unit}"
    if float(minutes).is_integer():
        return f"{int(minutes)}m"
    text = repr(float(minutes))
    return text if "e" in text else f"{text}m"


INLINE_WIDTH = 96  # longer one-line elements are written as block mappings (as `flowmap fmt`)


def _element(
    pairs: Sequence[tuple[str, object]], indent: str, extra: Sequence[str] = ()
) -> list[str]:
    """A list item on one line, or as a block mapping when too long or when it has extras."""
    inline = _inline(pairs)
    if len(inline) <= INLINE_WIDTH and not extra:
        return [f"{indent}- {inline}"]
    lines = [f"{indent}- {pairs[0][0]}: {pairs[0][1]}"]
    lines += [f"{indent}  {k}: {v}" for k, v in pairs[1:]]
    return lines + list(extra)


def _inline(pairs: Sequence[tuple[str, object]]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def _list(values) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def _ignore(ignore: dict[str, str], indent: str) -> list[str]:
    if not ignore:
        return []
    lines = [f"{indent}ignore:"]
    lines += [f"{indent}  {code}: {scalar(reason)}" for code, reason in sorted(ignore.items())]
    return lines


def _role(role: Role) -> list[str]:
    pairs: list[tuple[str, object]] = [("id", scalar(role.id))]
    if role.name:
        pairs.append(("name", scalar(role.name)))
    pairs.append(("level", role.level))
    if role.reports_to:
        pairs.append(("reports_to", scalar(role.reports_to)))
    return _element(pairs, "        ")


def _step(step: Step) -> list[str]:
    lines = [f"  - id: {scalar(step.id)}"]
    if step.name:
        lines.append(f"    name: {scalar(step.name)}")
    if step.owner:
        lines.append(f"    owner: {scalar(step.owner)}")
    if step.kind != StepKind.task:
        lines.append(f"    kind: {step.kind.value}")
    if step.value is not None:
        lines.append(f"    value: {step.value.value}")
    if step.purpose:
        lines.append(f"    purpose: {_list(p.value for p in step.purpose)}")
    if step.channel:
        lines.append(f"    channel: {scalar(step.channel)}")
    if step.touchpoint is not None:
        lines.append(f"    touchpoint: {scalar(step.touchpoint)}")
    if step.work:
        lines.append(f"    work: {duration(step.work)}")
    if step.wait:
        lines.append(f"    wait: {duration(step.wait)}")
    if step.cost:
        lines.append(f"    cost: {scalar(step.cost)}")
    if step.systems:
        lines.append(f"    systems: {_list(step.systems)}")
    if step.data:
        lines.append(f"    data: {_list(step.data)}")
    if step.notes:
        lines.append(f"    notes: {scalar(step.notes)}")
    return lines + _ignore(step.ignore, "    ")


def _auto_id(flow: Flow, seen: dict[str, int]) -> bool:
    base = f"{flow.source}->{flow.target}"
    seen[base] = seen.get(base, 0) + 1
    expected = base if seen[base] == 1 else f"{base}#{seen[base]}"
    return flow.id == expected


def _flow(flow: Flow, auto: bool) -> list[str]:
    if flow.is_shorthand and auto and not flow.generated:
        return [f"  - {flow.source} -> {flow.target}"]
    pairs: list[tuple[str, object]] = []
    if not auto:
        pairs.append(("id", scalar(flow.id)))
    pairs += [("from", scalar(flow.source)), ("to", scalar(flow.target))]
    if flow.kind.value != "normal":
        pairs.append(("kind", flow.kind.value))
    if flow.label:
        pairs.append(("label", scalar(flow.label)))
    if flow.probability is not None:
        pairs.append(("probability", scalar(flow.probability)))
    if flow.generated:  # made by a loader (a flattened sub-process...): rules never report it
        pairs.append(("generated", "true"))
    return _element(pairs, "  ", _ignore(flow.ignore, "    "))


def _measure(measure: Measure) -> list[str]:
    pairs: list[tuple[str, object]] = [("id", scalar(measure.id))]
    if measure.name:
        pairs.append(("name", scalar(measure.name)))
    pairs.append(("kind", measure.kind.value))
    if measure.owner:
        pairs.append(("owner", scalar(measure.owner)))
    if measure.steps:
        pairs.append(("steps", _list(measure.steps)))
    if measure.target:
        pairs.append(("target", scalar(measure.target)))
    return _element(pairs, "  ")


def dump(process: Process, organisation_ref: str | None = None, header: str = "") -> str:
    """The process as canonical YAML text. With ``organisation_ref`` the organisation is written
    as a reference to that ``*.org.yaml`` path instead of inline."""
    info = process.info
    out: list[str] = [f"# {line}".rstrip() for line in header.splitlines()]
    out += [f"flowmap: {process.flowmap}", "", "process:", f"  id: {scalar(info.id)}"]
    if info.name:
        out.append(f"  name: {scalar(info.name)}")
    if info.description:
        out.append(f"  description: {scalar(info.description)}")
    out.append(f"  status: {info.status.value}")
    for key in ("version", "industry", "redesign_of"):
        value = getattr(info, key)
        if value:
            out.append(f"  {key}: {scalar(value)}")
    if info.sources:
        out.append("  sources:")
        out += [f"    - {scalar(s)}" for s in info.sources]
    out += _ignore(info.ignore, "  ")

    customer = process.customer
    out += ["", "customer:", f"  name: {scalar(customer.name)}"]
    if customer.segment:
        out.append(f"  segment: {scalar(customer.segment)}")
    if customer.description:
        out.append(f"  description: {scalar(customer.description)}")

    out.append("")
    if organisation_ref:
        out.append(f"organisation: {scalar(organisation_ref)}")
    else:
        out += organisation_lines(process.organisation)

    out += ["", "steps:"] if process.steps else ["", "steps: []"]
    for step in process.steps:
        out += _step(step)
    seen: dict[str, int] = {}
    out += ["", "flows:"] if process.flows else ["", "flows: []"]
    for flow in process.flows:
        out += _flow(flow, _auto_id(flow, seen))
    if process.measures:
        out += ["", "measures:"]
        for measure in process.measures:
            out += _measure(measure)
    return "\n".join(out) + "\n"


def organisation_lines(org, comments: dict[str, str] | None = None) -> list[str]:
    """The ``organisation:`` mapping. ``comments`` ("function:ID", "role:F.R" -> text) are
    written beside a function's kind and a role's level: what was guessed, for a person to
    check."""
    comments = comments or {}
    out = ["organisation:"]
    for key in ("id", "name", "description"):
        value = getattr(org, key)
        if value:
            out.append(f"  {key}: {scalar(value)}")
    if not org.functions:
        out.append("  functions: []")
    else:
        out.append("  functions:")
    for function in org.functions:
        out.append(f"    - id: {scalar(function.id)}")
        if function.name:
            out.append(f"      name: {scalar(function.name)}")
        out.append(
            f"      kind: {function.kind.value}" + _comment(comments.get(f"function:{function.id}"))
        )
        if function.stage:
            out.append(f"      stage: {function.stage}")
        if function.notes:
            out.append(f"      notes: {scalar(function.notes)}")
        if function.roles:
            out.append("      roles:")
            for role in function.roles:
                lines = _role(role)
                note = _comment(comments.get(f"role:{function.id}.{role.id}"))
                at = next(i for i, line in enumerate(lines) if "level: " in line)
                lines[at] += note
                out += lines
        else:
            out.append("      roles: []")
    if org.people:
        out.append("  people:")
        for person in org.people:
            pairs = [("name", scalar(person.name)), ("role", scalar(person.role))]
            if person.id:
                pairs.append(("id", scalar(person.id)))
            out += _element(pairs, "    ")
    return out


def _comment(text: str | None) -> str:
    if not text:
        return ""
    return "  # inferred: " + " ".join(text.split())


def dump_organisation(org, comments: dict[str, str] | None = None, header: str = "") -> str:
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    return "\n".join(lines + ["flowmap: 1", ""] + organisation_lines(org, comments)) + "\n"
