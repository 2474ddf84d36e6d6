"""The structural half of a diff: every change to a process's elements, matched by id (a renamed
step is matched by its flows), worded for the people who run the process."""

from __future__ import annotations

from typing import Any

from flowmap.diff.results import Change
from flowmap.formatting import duration


def _fields(model, skip: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    data = model.model_dump(mode="json", by_alias=True)
    return {k: v for k, v in data.items() if k not in skip}


def _show(value: Any, key: str = "") -> str:
    if key in ("work", "wait") and isinstance(value, int | float):
        return duration(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if value in (None, "", {}):
        return "(none)"
    return str(value)


def _field_changes(old: dict, new: dict) -> list[tuple[str, Any, Any]]:
    return [
        (k, old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)
    ]


def _steps(old, new, out: list[Change]) -> dict[str, str]:
    olds = {s.id: s for s in old.steps}
    news = {s.id: s for s in new.steps}
    gone = [s for sid, s in olds.items() if sid not in news]
    came = [s for sid, s in news.items() if sid not in olds]
    renamed: dict[str, str] = {}
    # A step whose id changed but whose content (or name and owner) did not is a rename.
    for step in list(gone):
        body = _fields(step)
        match = next((s for s in came if _fields(s) == body), None) or next(
            (s for s in came if step.name and s.name == step.name and s.owner == step.owner), None
        )
        if match is not None:
            renamed[step.id] = match.id
            gone.remove(step)
            came.remove(match)
            out.append(
                Change(
                    "step", "renamed", match.id, f"id {step.id} -> {match.id}", step.id, match.id
                )
            )
            _step_fields(step, match, out)
    for step in gone:
        out.append(Change("step", "removed", step.id, f"{step.label} ({step.owner or 'no owner'})"))
    for step in came:
        out.append(Change("step", "added", step.id, f"{step.label} ({step.owner or 'no owner'})"))
    for sid, step in olds.items():
        if sid in news:
            _step_fields(step, news[sid], out)
    return renamed


def _step_fields(old, new, out: list[Change]) -> None:
    changes = _field_changes(_fields(old), _fields(new))
    for key, before, after in changes:
        if key == "owner":
            out.append(
                Change(
                    "step",
                    "moved",
                    new.id,
                    f"owner {before or '(none)'} -> {after or '(none)'}",
                    before,
                    after,
                )
            )
        elif key == "name":
            out.append(Change("step", "renamed", new.id, f"'{before}' -> '{after}'", before, after))
        else:
            out.append(
                Change(
                    "step",
                    "changed",
                    new.id,
                    f"{key} {_show(before, key)} -> {_show(after, key)}",
                    before,
                    after,
                )
            )


def _flow_key(flow, rename: dict[str, str]) -> tuple[str, str]:
    return rename.get(flow.source, flow.source), rename.get(flow.target, flow.target)


def _flows(old, new, rename: dict[str, str], out: list[Change]) -> None:
    def body(flow) -> dict:
        return _fields(flow, ("id", "from", "to"))

    def explicit(flow) -> bool:
        return not flow.id.startswith(f"{flow.source}->{flow.target}")

    # Old flows, with step ids translated to the new version's ids, keyed by endpoints + repeat.
    def keyed(flows, translate: dict[str, str]) -> dict[tuple, Any]:
        seen: dict[tuple, int] = {}
        out_: dict[tuple, Any] = {}
        for flow in flows:
            ends = _flow_key(flow, translate)
            seen[ends] = seen.get(ends, 0) + 1
            out_[(*ends, seen[ends])] = flow
        return out_

    olds, news = keyed(old.flows, rename), keyed(new.flows, {})
    gone = {k: f for k, f in olds.items() if k not in news}
    came = {k: f for k, f in news.items() if k not in olds}
    for key in [k for k in news if k in olds]:  # in the new file's order, whatever the hash seed
        for name, before, after in _field_changes(body(olds[key]), body(news[key])):
            out.append(
                Change(
                    "flow",
                    "changed",
                    news[key].id,
                    f"{name} {_show(before, name)} -> {_show(after, name)}",
                    before,
                    after,
                )
            )
    # Re-routed: the same explicit id, or the only flow removed and added from one step.
    for gkey, flow in list(gone.items()):
        target = None
        if explicit(flow):
            target = next((k for k, f in came.items() if f.id == flow.id), None)
        if target is None:
            same_source = [k for k in came if k[0] == gkey[0]]
            gone_source = [k for k in gone if k[0] == gkey[0]]
            if len(same_source) == 1 and len(gone_source) == 1:
                target = same_source[0]
        if target is None:
            continue
        moved = came.pop(target)
        del gone[gkey]
        out.append(
            Change(
                "flow",
                "rerouted",
                moved.id,
                f"{gkey[0]} -> {gkey[1]} now {target[0]} -> {target[1]}",
                f"{gkey[0]} -> {gkey[1]}",
                f"{target[0]} -> {target[1]}",
            )
        )
    for flow in gone.values():
        out.append(Change("flow", "removed", flow.id, _flow_text(flow)))
    for flow in came.values():
        out.append(Change("flow", "added", flow.id, _flow_text(flow)))


def _flow_text(flow) -> str:
    extra = [flow.kind.value] if flow.kind.value != "normal" else []
    if flow.label:
        extra.append(repr(flow.label))
    return f"{flow.source} -> {flow.target}" + (f" ({', '.join(extra)})" if extra else "")


def _organisation(old, new, out: list[Change]) -> None:
    o, n = old.organisation, new.organisation
    for key in ("id", "name", "description"):
        if getattr(o, key) != getattr(n, key):
            out.append(
                Change(
                    "organisation",
                    "changed",
                    n.id or o.id,
                    f"{key} {_show(getattr(o, key))} -> {_show(getattr(n, key))}",
                )
            )
    ofun = {f.id: f for f in o.functions}
    nfun = {f.id: f for f in n.functions}
    for fid in [f for f in ofun if f not in nfun]:
        out.append(Change("function", "removed", fid, ofun[fid].label))
    for fid in [f for f in nfun if f not in ofun]:
        out.append(Change("function", "added", fid, nfun[fid].label))
    for fid in [f for f in nfun if f in ofun]:
        a, b = ofun[fid], nfun[fid]
        for key, before, after in _field_changes(
            _fields(a, ("id", "roles")), _fields(b, ("id", "roles"))
        ):
            out.append(
                Change(
                    "function",
                    "changed",
                    fid,
                    f"{key} {_show(before, key)} -> {_show(after, key)}",
                    before,
                    after,
                )
            )
        oroles = {r.id: r for r in a.roles}
        nroles = {r.id: r for r in b.roles}
        for rid in [r for r in oroles if r not in nroles]:
            out.append(Change("role", "removed", f"{fid}.{rid}", oroles[rid].label))
        for rid in [r for r in nroles if r not in oroles]:
            role = nroles[rid]
            out.append(
                Change("role", "added", f"{fid}.{rid}", f"{role.label} (level {role.level})")
            )
        for rid in [r for r in nroles if r in oroles]:
            for key, before, after in _field_changes(_fields(oroles[rid]), _fields(nroles[rid])):
                out.append(
                    Change(
                        "role",
                        "changed",
                        f"{fid}.{rid}",
                        f"{key} {_show(before, key)} -> {_show(after, key)}",
                        before,
                        after,
                    )
                )


def _simple(kind: str, olds: dict, news: dict, out: list[Change], label=lambda x: x.id) -> None:
    for key in [k for k in olds if k not in news]:
        out.append(Change(kind, "removed", key, label(olds[key])))
    for key in [k for k in news if k not in olds]:
        out.append(Change(kind, "added", key, label(news[key])))
    for key in [k for k in news if k in olds]:
        for name, before, after in _field_changes(_fields(olds[key]), _fields(news[key])):
            out.append(
                Change(
                    kind,
                    "changed",
                    key,
                    f"{name} {_show(before, name)} -> {_show(after, name)}",
                    before,
                    after,
                )
            )


def structural_changes(old, new) -> tuple[list[Change], dict[str, str]]:
    """Every semantic change from process ``old`` to process ``new``, and step id renames."""
    out: list[Change] = []
    header = _field_changes(_fields(old.info, ()), _fields(new.info, ()))
    for key, before, after in header:
        out.append(
            Change(
                "process",
                "changed",
                new.id,
                f"{key} {_show(before, key)} -> {_show(after, key)}",
                before,
                after,
            )
        )
    for key, before, after in _field_changes(_fields(old.customer, ()), _fields(new.customer, ())):
        out.append(
            Change(
                "customer",
                "changed",
                key,
                f"{key} {_show(before, key)} -> {_show(after, key)}",
                before,
                after,
            )
        )
    _organisation(old, new, out)
    renamed = _steps(old, new, out)
    _flows(old, new, renamed, out)
    _simple(
        "measure",
        {m.id: m for m in old.measures},
        {m.id: m for m in new.measures},
        out,
        lambda m: f"{m.name or m.id} ({m.kind.value})",
    )
    return out, renamed
