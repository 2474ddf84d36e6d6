"""What is wrong with a setting, said as a person fixes it: the file and line of the setting (or
the option), what the value must be, and the name meant when a key is misspelt."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from flowmap.config import MAX_CONFIG_BYTES
from flowmap.config.settings import RenderSettings, Settings, dashed, short
from flowmap.errors import UsageError

if TYPE_CHECKING:
    from flowmap.config import Config


def message(error: Mapping[str, Any], where: str, text: str, prefix: tuple[str, ...]) -> str:
    loc = tuple(str(part) for part in error["loc"])
    key = ".".join(
        dashed(p) if i == 0 or loc[0] == "render" else toml_key(p) for i, p in enumerate(loc)
    )
    what = explain(error, loc)
    if where == "option":
        names = [dashed(p) for p in loc if not p.isdigit()]
        option = {
            "select": "--select",
            "extend-select": "--extend-select",
            "fail-on": "--fail-on",
        }.get(names[0], f"--{names[-1]}")
        if error["type"] == "extra_forbidden":
            return f"unknown option {option}"
        return f"{option}: {what}"
    line = line_of(text, (*prefix, *loc)) if text else 0
    if error["type"] == "extra_forbidden":
        return f"{where}{f':{line}' if line else ''}: unknown setting '{key}'{what}"
    return f"{where}{f':{line}' if line else ''}: {key}: {what}"


def toml_key(part: str) -> str:
    """A key as TOML writes it: ``SMK003``, but ``"*.flow.yaml"`` in quotes."""
    import re

    return part if re.fullmatch(r"[A-Za-z0-9_\-]+", part) else '"' + part.replace('"', '\\"') + '"'


def explain(error: Mapping[str, Any], loc: tuple[str, ...], known: list[str] | None = None) -> str:
    kind, ctx, got = error["type"], error.get("ctx", {}), error.get("input")
    shown = f" (got {short(got)})" if kind != "extra_forbidden" else ""
    if kind == "extra_forbidden":
        import difflib

        known = (
            known
            if known is not None
            else sorted(
                {
                    dashed(k)
                    for k in (RenderSettings if loc[:1] == ("render",) else Settings).model_fields
                }
            )
        )
        close = difflib.get_close_matches(dashed(loc[-1]), known, n=1)
        return f" (did you mean '{close[0]}'?)" if close else f"; known: {', '.join(known)}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}{shown}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}{shown}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}{shown}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number{shown}"
    if kind in ("float_type", "float_parsing"):
        return f"must be a number{shown}"
    if kind == "finite_number":
        return f"must be a finite number{shown}"
    if kind == "bool_type":
        return f"must be true or false{shown}"
    if kind in ("string_type", "list_type") or kind.startswith("union"):
        return f"must be a text or a list of texts{shown}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a table of settings{shown}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg'].rstrip('.').lower()}{shown}"


def line_of(text: str, keys: tuple[str, ...]) -> int:
    """The line of ``keys`` (a dotted path) in a TOML text: the key's own line, or else the
    line of its table; 0 when it cannot be found."""
    import re

    table: tuple[str, ...] = ()
    best = 0
    wanted = tuple(k for k in keys if not k.isdigit())
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            table = tuple(_unquote(p) for p in _split_dotted(header.group(1)))
            if table == wanted:
                return number
            if wanted[: len(table)] == table and len(table) > 0:
                best = number
            continue
        match = re.match(r"""^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-. ])+?)\s*=""", line)
        if match:
            key = table + tuple(_unquote(p) for p in _split_dotted(match.group(1)))
            if key == wanted[: len(key)] and len(key) > len(table):
                if key == wanted:
                    return number
                best = number
    return best


def _split_dotted(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text)]


def _unquote(part: str) -> str:
    part = part.strip()
    return part[1:-1] if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'" else part


def rule_options_error(
    config: Config, code: str, name: str, exc: Exception, options: type | None = None
) -> UsageError:
    """A readable message for options of a rule its ``Options`` schema refused: the file and
    line of the setting, the rule, and what the value must be (no raw validation dump)."""
    if not isinstance(exc, ValidationError):
        return UsageError(f"{config.source or 'configuration'}: options of {code} ({name}): {exc}")
    error = exc.errors()[0]
    key = dashed(".".join(str(p) for p in error["loc"]))
    where = where_in_source(config, ("rules", code, key))
    fields = getattr(options, "model_fields", {}) if options is not None else {}
    if error["type"] == "extra_forbidden":
        if not fields:
            return UsageError(
                f"{where}: rules.{code}: {name} has no options (only severity); remove '{key}'"
            )
        what = explain(error, ("rules", code, key), sorted(dashed(f) for f in fields))
        return UsageError(f"{where}: rules.{code}: {name} has no option '{key}'{what}")
    what = explain(error, ("rules", code, key), sorted(dashed(f) for f in fields))
    return UsageError(f"{where}: rules.{code}.{key}: {what}")


def where_in_source(config: Config, keys: tuple[str, ...], any_case: bool = False) -> str:
    """'file:line' of a setting (``keys``, a dotted path) in the configuration it came from;
    the file alone when the line cannot be found."""
    text = ""
    if config.source:
        from flowmap import files

        try:
            text = files.read_bounded(config.source, MAX_CONFIG_BYTES).decode("utf-8", "replace")
        except files.ReadRefused:
            text = ""
        if Path(config.source).name == "pyproject.toml":
            keys = ("tool", "flowmap", *keys)
    line = line_of(text, keys) if text else 0
    if not line and text and any_case:
        line = line_of(text.lower(), tuple(k.lower() for k in keys))
    return f"{config.source or 'configuration'}{f':{line}' if line else ''}"


def unknown_rule_error(config: Config, code: str) -> UsageError:
    """``[rules.CODE]`` for a rule that does not exist (a typo would silently change nothing):
    the file and line of the table."""
    # codes are read in capitals: '[rules.val001]' is found as written, in any case
    where = where_in_source(config, ("rules", code), any_case=True)
    return UsageError(
        f"{where}: rules.{toml_key(code)}: no rule has this code; `flowmap rules` lists them"
    )
