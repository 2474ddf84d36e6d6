"""Validation errors said in a process designer's words, one wording for every loader.

pydantic reports ``('steps', 3, 'onwer'): extra_forbidden``; a person needs "unknown key 'onwer' in
step 'take-order'" with "did you mean 'owner'?". :func:`explain` turns one error into that;
the YAML, organisation-file and BPMN loaders and ``flowmap fmt`` use it, and :func:`in_order`
lists the problems of a file as a person reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from flowmap.errors import Problem

if TYPE_CHECKING:
    from pydantic import BaseModel


class Explained(NamedTuple):
    loc: tuple[Any, ...]  # where in the document, as pydantic says it
    message: str
    hint: str
    code: str  # unknown-key, missing-key, invalid-value, invalid-id, format-version
    at_key: bool  # point at the key (an unknown key), not at its value


def _model_at(loc: tuple[Any, ...]) -> tuple[type[BaseModel] | None, str]:
    """Which model (and what to call it) sits at a location of a process file."""
    from flowmap import model as m

    shape = tuple("#" if isinstance(part, int) else part for part in loc)
    table: dict[tuple[Any, ...], tuple[type[BaseModel] | None, str]] = {
        (): (m.Process, "the file"),
        ("process",): (m.ProcessInfo, "process"),
        ("customer",): (m.Customer, "customer"),
        ("organisation",): (m.Organisation, "organisation"),
        ("organisation", "functions", "#"): (m.Function, "function"),
        ("organisation", "functions", "#", "roles", "#"): (m.Role, "role"),
        ("organisation", "people", "#"): (m.Person, "person"),
        ("steps", "#"): (m.Step, "step"),
        ("flows", "#"): (m.Flow, "flow"),
        ("measures", "#"): (m.Measure, "measure"),
    }
    return table.get(shape, (None, ".".join(str(p) for p in loc)))


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _describe(data: Any, loc: tuple) -> str:
    """'step 'take-order'' for a location inside a list item that has an id."""
    _, what = _model_at(loc)
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return what
    if isinstance(node, dict) and isinstance(node.get("id"), str) and node["id"]:
        return f"{what} {node['id']!r}"
    if (
        isinstance(node, dict)
        and what == "person"
        and isinstance(node.get("name"), str)
        and node["name"]
    ):
        return f"person {node['name']!r}"
    if isinstance(node, str) and what == "flow":
        return f"flow {node!r}"
    return what


def explain(error: Mapping[str, Any], data: Any) -> Explained:
    """What one pydantic validation error of the document ``data`` means, in a process
    designer's words: where, what is wrong, what to do, a short code, and whether the error is
    about the key itself (an unknown key) rather than its value."""
    from flowmap.integrity import did_you_mean

    loc = tuple(error["loc"])
    kind = error["type"]
    where = _describe(data, loc[:-1]) if loc else "the file"
    field = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        model, _ = _model_at(loc[:-1])
        keys = _keys(model) if model else []
        hint = did_you_mean(field, keys) or (f"allowed keys: {', '.join(keys)}" if keys else "")
        return Explained(loc, f"unknown key {field!r} in {where}", hint, "unknown-key", True)
    if kind == "missing":
        return Explained(
            loc, f"{where} is missing {field!r}", f"add '{field}:'", "missing-key", False
        )
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",")]
        value = error.get("input")
        hint = did_you_mean(str(value), choices) or f"expected one of: {', '.join(choices)}"
        return Explained(
            loc,
            f"{field}: {value!r} is not a valid {field} in {where}",
            hint,
            "invalid-value",
            False,
        )
    if kind == "less_than_equal" and loc == ("flowmap",):
        return Explained(
            loc,
            (
                f"this file is written in flowmap format {error.get('input')}, "
                "newer than this flowmap reads (format 1)"
            ),
            "upgrade flowmap",
            "format-version",
            False,
        )
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    if kind == "string_pattern_mismatch" and field == "id":
        return Explained(
            loc,
            f"{where}: {error.get('input')!r} is not a valid id",
            "ids start with a letter and use letters, digits, '-' and '_'",
            "invalid-id",
            False,
        )
    label = f"{field} in {where}" if field and not field.isdigit() else where
    if kind == "string_pattern_mismatch":  # never show the regular expression itself
        return Explained(
            loc,
            f"{label}: {_short(error.get('input'))} is not a valid {field or 'value'}",
            "use letters, digits, '-' and '_', starting with a letter",
            "invalid-value",
            False,
        )
    got = error.get("input")
    # NaN fails the range check first (nan >= 0 is false): say what it is, not "at least 0"
    bound = (
        "must be a number"
        if isinstance(got, float) and got != got
        else _bound(kind, error.get("ctx", {}), field)
    )
    if bound:
        return Explained(
            loc, f"{label}: {bound} (got {_short(error.get('input'))})", "", "invalid-value", False
        )
    return Explained(loc, f"{label}: {message}", "", "invalid-value", False)


def _bound(kind: str, ctx: dict, field: str) -> str:
    """A number out of range, said in the field's own unit (durations are minutes)."""
    unit = " minutes" if field in ("work", "wait") else ""
    if kind == "finite_number":
        return "must be a finite number"
    if kind in ("less_than_equal", "less_than"):
        limit = ctx.get("le", ctx.get("lt"))
        return f"must be at most {limit:,.12g}{unit}" if isinstance(limit, int | float) else ""
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        return f"must be at least {limit:,.12g}{unit}" if isinstance(limit, int | float) else ""
    return ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def in_order(problems: list[Problem]) -> list[Problem]:
    """Problems by file, line and column, each said once."""
    seen, out = set(), []
    for p in sorted(problems, key=lambda p: (p.location.path, p.location.line, p.location.column)):
        if (p.location, p.message) not in seen:
            seen.add((p.location, p.message))
            out.append(p)
    return out
