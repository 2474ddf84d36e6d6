"""Configuration: ``[tool.flowmap]`` in ``pyproject.toml`` or a ``flowmap.toml``.

Found by walking up from the file (or folder) being checked; the nearest file that has flowmap
settings wins. Command-line options override it. Example::

    [tool.flowmap]
    preset = "recommended"         # severities: recommended | strict (flowmap/rules/presets.toml)
    select = ["ALL"]
    ignore = ["CX003"]
    fail-on = "warning"            # error | warning | info
    exclude = ["drafts/**"]
    max-file-size-mb = 64
    top = 10                       # findings the text output shows per file (0: all)
    org = "company.org.yaml"       # whose the lanes of imported models are (docs/org-import.md)

    [tool.flowmap.per-file-ignores]
    "legacy/*.flow.yaml" = ["VAL002"]

    [tool.flowmap.rules.SMK003]   # per-rule severity and options
    severity = "error"
    min-gap = 2
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from flowmap.errors import UsageError

SEVERITIES = ("error", "warning", "info")
RENDER_FORMATS = ("svg", "pdf", "png", "dot")
MAX_CONFIG_BYTES = 4 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# The settings, checked by one schema: from a file and from the command line alike
# ---------------------------------------------------------------------------------------------


def _dashed(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        populate_by_name=True,
        alias_generator=_dashed,
        allow_inf_nan=False,
        frozen=True,
        defer_build=True,
    )


def _names(value: Any) -> Any:
    if isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        return value
    raise ValueError(f"must be a text or a list of texts (got {_short(value)})")


# One code or pattern, or several. Checked by hand, so a message names the key ("exclude"),
# not a branch of the type ("exclude.str").
Names = Annotated[str | list[str], BeforeValidator(_names)]


class RenderSettings(_Strict):
    """``[tool.flowmap.render]`` and the matching options of ``flowmap render``."""

    findings: Literal["none", "badges", "full"] | None = None
    paper: str | None = None
    landscape: bool | None = None
    margin: Annotated[float, Field(ge=0, le=5)] | None = None
    legend: bool | None = None
    wrap: Annotated[int, Field(ge=8, le=80)] | None = None
    dpi: Annotated[int, Field(ge=36, le=600)] | None = None
    min_points: Annotated[float, Field(ge=4, le=48)] | None = None
    max_steps: Annotated[int, Field(ge=1, le=10_000_000)] | None = None
    time_budget: Annotated[float, Field(ge=1, le=86_400)] | None = None
    format: str | None = None

    @field_validator("paper")
    @classmethod
    def _paper(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from flowmap.paper import PAPER

        for known in PAPER:
            if known.lower() == value.strip().lower():
                return known
        raise ValueError(f"{value!r} is not a paper size; use one of {', '.join(PAPER)}")

    @field_validator("format")
    @classmethod
    def _format(cls, value: str | None) -> str | None:
        if value is None:
            return None
        found = [part.strip().lower() for part in value.split(",") if part.strip()]
        if not found or any(f not in RENDER_FORMATS for f in found):
            raise ValueError(f"use one or more of {', '.join(RENDER_FORMATS)} (comma-separated)")
        return ",".join(found)


class RuleSettings(BaseModel):
    """``[tool.flowmap.rules.CODE]``: a severity, and options the rule itself checks."""

    model_config = ConfigDict(
        extra="allow", strict=True, alias_generator=_dashed, populate_by_name=True, defer_build=True
    )
    severity: Literal["error", "warning", "info"] | None = None


class Settings(_Strict):
    """Everything ``[tool.flowmap]`` may hold."""

    preset: str | None = None
    select: Names | None = None
    ignore: Names | None = None
    extend_select: Names | None = None
    fail_on: Literal["error", "warning", "info"] | None = None
    exclude: Names | None = None
    per_file_ignores: dict[str, Names] | None = None
    rules: dict[str, RuleSettings] | None = None
    max_file_size_mb: Annotated[int, Field(ge=1, le=4096)] | None = None
    jobs: Annotated[int, Field(ge=0, le=1024)] | None = None
    render: RenderSettings | None = None
    top: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    org: Annotated[str, Field(min_length=1, max_length=4096)] | None = None

    @field_validator("org")
    @classmethod
    def _org(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().endswith((".org.yaml", ".org.yml")):
            raise ValueError(f"{value!r} is not an organisation file: name a *.org.yaml file")
        return value

    @field_validator("preset")
    @classmethod
    def _preset(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from flowmap.rules import presets

        if value not in presets.names():
            raise ValueError(f"{value!r} is not a preset; use one of {', '.join(presets.names())}")
        return value


_KEYS = set(Settings.model_fields) | {_dashed(k) for k in Settings.model_fields}


@dataclass(frozen=True)
class Config:
    preset: str = "recommended"  # the severity preset (flowmap.rules.presets)
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    fail_on: str = "warning"
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> settings
    max_file_size_mb: int = 64
    jobs: int = 0  # 0: one per core
    render: dict[str, Any] = field(default_factory=dict)
    top: int = 10  # findings the text output shows per file, most important first (0: all)
    org: str = ""  # organisation file for imported models (flowmap.loaders.org_file)
    source: str = ""  # the file these settings came from

    def override(self, **changes: Any) -> Config:
        """A copy with the non-None ``changes`` applied (command-line options), checked by the
        same schema as the configuration file; a bad value is named by its option."""
        changes = {k: v for k, v in changes.items() if v is not None}
        checked = check(
            {k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()}, where="option"
        )
        return replace(self, **{k: checked[k] for k in changes})

    @property
    def max_bytes(self) -> int:
        return self.max_file_size_mb * 1024 * 1024

    def is_excluded(self, path: Path) -> bool:
        text = path.as_posix()
        return any(
            fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(path.name, pattern)
            for pattern in self.exclude
        )

    def ignored_for(self, path: str) -> tuple[str, ...]:
        out: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if (
                fnmatch.fnmatch(path, pattern)
                or fnmatch.fnmatch(Path(path).name, pattern)
                or fnmatch.fnmatch(path, "*/" + pattern)
            ):
                out.extend(codes)
        return tuple(out)


# ---------------------------------------------------------------------------------------------
# Finding and reading the file
# ---------------------------------------------------------------------------------------------


def find_config(start: str | Path | None = None) -> Config:
    """The configuration in force for ``start`` (a file or folder; default: the current folder)."""
    here = Path(start or ".").resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        for name in ("flowmap.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                config = read_config(candidate, required=False)
                if config is not None:
                    return config
    return Config()


def read_config(path: str | Path, required: bool = True) -> Config | None:
    """The settings of one ``flowmap.toml`` or ``pyproject.toml`` (``None`` when a
    ``pyproject.toml`` has no ``[tool.flowmap]`` and ``required`` is false)."""
    import tomllib  # here: a folder without a configuration file never needs it

    from flowmap import files

    path = Path(path)
    try:
        text = files.read_bounded(path, MAX_CONFIG_BYTES).decode("utf-8")
        data = tomllib.loads(text)
    except files.ReadRefused as exc:
        raise UsageError(f"{path}: cannot read the configuration: {exc.message}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: the configuration is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    except ValueError:  # an integer of more than 4300 digits
        import re

        found = re.search(r"[0-9_]{4000,}", text)
        line = f":{text.count(chr(10), 0, found.start()) + 1}" if found else ""
        raise UsageError(
            f"{path}{line}: a number too large to read (more than 4300 digits)"
        ) from None
    prefix: tuple[str, ...] = ()
    if path.name == "pyproject.toml":
        prefix = ("tool", "flowmap")
        tool = data.get("tool", {})
        if "flowmap" not in tool:
            return None if not required else Config(source=str(path))
        data = tool["flowmap"]
        if not isinstance(data, dict):
            raise UsageError(
                f"{path}:{_line(text, prefix)}: [tool.flowmap] must be a table of settings"
            )
    return parse(data, str(path), text=text, prefix=prefix)


def _strings(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def parse(
    settings: dict, source: str = "", *, text: str = "", prefix: tuple[str, ...] = ()
) -> Config:
    """Check and convert a settings mapping (as read from TOML); ``text`` is the file's text,
    for the line numbers of messages."""
    checked = check(settings, where=source or "configuration", text=text, prefix=prefix)
    if "org" in checked and source:  # a path in a configuration file is relative to that file
        org = Path(source).parent / checked["org"]
        if not org.is_file():
            line = _line(text, (*prefix, "org")) if text else 0
            raise UsageError(
                f"{source}{f':{line}' if line else ''}: org: {checked['org']!r} "
                f"not found (looked for {org}); write the path relative to "
                "this file"
            )
        checked["org"] = str(org)
    return replace(Config(source=source), **checked)


def check(settings: dict, *, where: str, text: str = "", prefix: tuple[str, ...] = ()) -> dict:
    """Settings checked by :class:`Settings`, as :class:`Config` fields.

    ``where="option"`` names a bad value by its command-line option (``--jobs``); otherwise
    ``where`` is the file, and the message gives its line.
    """
    if not settings:  # nothing to check (a command run without options): no validator built
        return {}
    try:
        model = Settings.model_validate(settings)
    except ValidationError as exc:
        raise UsageError(_message(exc.errors()[0], where, text, prefix)) from None
    out: dict[str, Any] = {}
    for name in model.model_fields_set:
        value = getattr(model, name)
        if name in ("select", "ignore", "extend_select", "exclude"):
            value = _strings(value)
        elif name == "per_file_ignores":
            value = {pattern: _strings(codes) for pattern, codes in value.items()}
        elif name == "rules":
            value = {
                code.upper(): {
                    k.replace("-", "_"): v for k, v in rule.model_dump(exclude_none=True).items()
                }
                for code, rule in value.items()
            }
        elif name == "render":
            value = {_dashed(k): v for k, v in value.model_dump(exclude_none=True).items()}
        out[name] = value
    return out


def render_settings(
    values: dict[str, Any], where: str = "option", text: str = "", prefix: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``flowmap render``'s options (snake_case names), checked like ``[render]``."""
    try:
        model = RenderSettings.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise UsageError(_message(exc.errors()[0], where, text, (*prefix, "render"))) from None
    return model.model_dump(exclude_none=True)


# ---------------------------------------------------------------------------------------------
# Messages: the file and line, or the option, and what to write instead
# ---------------------------------------------------------------------------------------------


def _message(error: Mapping[str, Any], where: str, text: str, prefix: tuple[str, ...]) -> str:
    loc = tuple(str(part) for part in error["loc"])
    key = ".".join(
        _dashed(p) if i == 0 or loc[0] == "render" else _toml_key(p) for i, p in enumerate(loc)
    )
    what = _explain(error, loc)
    if where == "option":
        names = [_dashed(p) for p in loc if not p.isdigit()]
        option = {
            "select": "--select",
            "extend-select": "--extend-select",
            "fail-on": "--fail-on",
        }.get(names[0], f"--{names[-1]}")
        if error["type"] == "extra_forbidden":
            return f"unknown option {option}"
        return f"{option}: {what}"
    line = _line(text, (*prefix, *loc)) if text else 0
    if error["type"] == "extra_forbidden":
        return f"{where}{f':{line}' if line else ''}: unknown setting '{key}'{what}"
    return f"{where}{f':{line}' if line else ''}: {key}: {what}"


def _toml_key(part: str) -> str:
    """A key as TOML writes it: ``SMK003``, but ``"*.flow.yaml"`` in quotes."""
    import re

    return part if re.fullmatch(r"[A-Za-z0-9_\-]+", part) else '"' + part.replace('"', '\\"') + '"'


def _explain(error: Mapping[str, Any], loc: tuple[str, ...], known: list[str] | None = None) -> str:
    kind, ctx, got = error["type"], error.get("ctx", {}), error.get("input")
    shown = f" (got {_short(got)})" if kind != "extra_forbidden" else ""
    if kind == "extra_forbidden":
        import difflib

        known = (
            known
            if known is not None
            else sorted(
                {
                    _dashed(k)
                    for k in (RenderSettings if loc[:1] == ("render",) else Settings).model_fields
                }
            )
        )
        close = difflib.get_close_matches(_dashed(loc[-1]), known, n=1)
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


def _short(value: Any) -> str:
    text = repr(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return "a number too large"
    return text if len(text) <= 40 else text[:37] + "..."


def _line(text: str, keys: tuple[str, ...]) -> int:
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
    key = _dashed(".".join(str(p) for p in error["loc"]))
    where = _where_in_source(config, ("rules", code, key))
    fields = getattr(options, "model_fields", {}) if options is not None else {}
    if error["type"] == "extra_forbidden":
        if not fields:
            return UsageError(
                f"{where}: rules.{code}: {name} has no options (only severity); remove '{key}'"
            )
        what = _explain(error, ("rules", code, key), sorted(_dashed(f) for f in fields))
        return UsageError(f"{where}: rules.{code}: {name} has no option '{key}'{what}")
    what = _explain(error, ("rules", code, key), sorted(_dashed(f) for f in fields))
    return UsageError(f"{where}: rules.{code}.{key}: {what}")


def _where_in_source(config: Config, keys: tuple[str, ...], any_case: bool = False) -> str:
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
    line = _line(text, keys) if text else 0
    if not line and text and any_case:
        line = _line(text.lower(), tuple(k.lower() for k in keys))
    return f"{config.source or 'configuration'}{f':{line}' if line else ''}"


def unknown_rule_error(config: Config, code: str) -> UsageError:
    """``[rules.CODE]`` for a rule that does not exist (a typo would silently change nothing):
    the file and line of the table."""
    # codes are read in capitals: '[rules.val001]' is found as written, in any case
    where = _where_in_source(config, ("rules", code), any_case=True)
    return UsageError(
        f"{where}: rules.{_toml_key(code)}: no rule has this code; `flowmap rules` lists them"
    )


def check_severity(value: Any, what: str) -> str:
    if value not in SEVERITIES:
        raise UsageError(f"{what}: {value!r} is not a severity; use one of {', '.join(SEVERITIES)}")
    return value
