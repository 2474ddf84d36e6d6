"""Levels and the chain of command of an imported organisation, when the model does not state
them: a role's level from its lane's name, each role reporting to the nearest higher level of its
function, and the top of each function to the one executive function. Each guess is recorded,
with its reason, in the draft's ``inferred``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from flowmap import inference
from flowmap.model import FunctionKind

if TYPE_CHECKING:
    from flowmap.loaders.bpmn.organisation import OrgDraft


def level_from_name(draft: OrgDraft, key: str, name: str, hint: str, level_name: str | None) -> int:
    """A role's level from its name, recorded as inferred (1 when no word says one)."""
    text = name or hint if level_name is None else level_name
    found = inference.level(text) if text else None
    if draft.r.exported:
        return cast(int, found.value) if found else 1
    what = f"lane '{name}'" if name else f"'{hint}'" if hint else f"role '{key}'"
    if found is not None:
        draft.infer(key, "level", found.value, found.reason(f"level of {what}"))
        return cast(int, found.value)
    kind = inference.kind(text) if text else None
    if kind is not None and kind.value == FunctionKind.management:
        draft.infer(
            key,
            "level",
            5,
            f"level of {what} = 5 ({kind.evidence}: the management of the organisation)",
        )
        return 5
    draft.infer(
        key,
        "level",
        1,
        f"level of {what} = 1 (no word for a level in its name: front line assumed)",
    )
    return 1


def infer_chain(draft: OrgDraft) -> None:
    """Who reports to whom, when the file does not say: by level inside each function, and
    the top of each function to the executive function when there is exactly one."""
    if draft.r.exported:
        return
    for fid, function in draft.functions.items():
        if fid in draft.explicit_chain:
            continue
        roles = function["roles"]
        for role in roles:
            above = [o for o in roles if o["level"] > role["level"]]
            if above:
                lowest = min(o["level"] for o in above)
                boss = next(o for o in above if o["level"] == lowest)
                role["reports_to"] = boss["id"]
                draft.infer(
                    f"{fid}.{role['id']}",
                    "reports_to",
                    boss["id"],
                    f"'{_name(draft, fid, role)}' reports to "
                    f"'{_name(draft, fid, boss)}' (the nearest higher level in "
                    f"function '{function['name'] or fid}')",
                )
    executive = [
        f
        for f in [*draft.functions.values(), *draft.declared_functions()]
        if f["kind"] == FunctionKind.management.value and f["roles"]
    ]
    if len(executive) != 1:
        return
    top_exec = max(executive[0]["roles"], key=lambda role: role["level"])
    for fid, function in draft.functions.items():
        if function is executive[0] or fid in draft.explicit_chain:
            continue
        for role in function["roles"]:
            if "reports_to" not in role and role["level"] < top_exec["level"]:
                role["reports_to"] = f"{executive[0]['id']}.{top_exec['id']}"
                draft.infer(
                    f"{fid}.{role['id']}",
                    "reports_to",
                    role["reports_to"],
                    f"the top of function '{function['name'] or fid}' reports to "
                    f"'{_name(draft, executive[0]['id'], top_exec)}' (the one "
                    "executive function)",
                )


def _name(draft: OrgDraft, fid: str, role: dict[str, Any]) -> str:
    return draft.role_names.get(f"{fid}.{role['id']}") or role.get("name") or role["id"]
