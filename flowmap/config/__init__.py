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
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowmap.errors import UsageError
from flowmap.records import Record

if TYPE_CHECKING:
    from flowmap.config.messages import (
        rule_options_error,
        unknown_rule_error,
        where_in_source,
    )
    from flowmap.config.settings import (
        RENDER_FORMATS,
        SEVERITIES,
        RenderSettings,
        RuleSettings,
        Settings,
        check_severity,
    )

MAX_CONFIG_BYTES = 4 * 1024 * 1024  # a configuration file larger than this is refused

# The settings' schema (pydantic models, built when their module is imported) and its messages
# are imported when a configuration file, an option or a rule's options are checked: a run with
# neither never builds them (cold start, issue 13). Their names are this package's all the same.
_LATER = {
    **dict.fromkeys(
        ("line_of", "message", "rule_options_error", "unknown_rule_error", "where_in_source"),
        "flowmap.config.messages",
    ),
    **dict.fromkeys(
        (
            "RENDER_FORMATS",
            "SEVERITIES",
            "RenderSettings",
            "RuleSettings",
            "Settings",
            "check_severity",
            "dashed",
        ),
        "flowmap.config.settings",
    ),
}


def __getattr__(name: str) -> Any:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LATER[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "MAX_CONFIG_BYTES",
    "RENDER_FORMATS",
    "SEVERITIES",
    "Config",
    "RenderSettings",
    "RuleSettings",
    "Settings",
    "check",
    "check_severity",
    "find_config",
    "parse",
    "read_config",
    "render_settings",
    "rule_options_error",
    "unknown_rule_error",
    "where_in_source",
]


class Config(Record):
    """The settings in force (a plain record: flowmap.records). ``preset``: the severity preset
    (flowmap.rules.presets); ``rules``: code -> settings; ``jobs``: 0, one per core; ``top``:
    findings the text output shows per file, most important first (0: all); ``org``: the
    organisation file for imported models (flowmap.loaders.org_file); ``source``: the file
    these settings came from."""

    __slots__ = (
        "preset",
        "select",
        "ignore",
        "extend_select",
        "fail_on",
        "exclude",
        "per_file_ignores",
        "rules",
        "max_file_size_mb",
        "jobs",
        "render",
        "top",
        "org",
        "source",
    )

    def __init__(
        self,
        preset: str = "recommended",
        select: tuple[str, ...] = ("ALL",),
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        fail_on: str = "warning",
        exclude: tuple[str, ...] = (),
        per_file_ignores: dict[str, tuple[str, ...]] | None = None,
        rules: dict[str, dict[str, Any]] | None = None,
        max_file_size_mb: int = 64,
        jobs: int = 0,
        render: dict[str, Any] | None = None,
        top: int = 10,
        org: str = "",
        source: str = "",
    ):
        self.preset, self.select, self.ignore = preset, select, ignore
        self.extend_select, self.fail_on, self.exclude = extend_select, fail_on, exclude
        self.per_file_ignores = {} if per_file_ignores is None else per_file_ignores
        self.rules = {} if rules is None else rules
        self.max_file_size_mb, self.jobs, self.top = max_file_size_mb, jobs, top
        self.render = {} if render is None else render
        self.org, self.source = org, source

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` (field names) applied."""
        return Config(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})

    def override(self, **changes: Any) -> Config:
        """A copy with the non-None ``changes`` applied (command-line options), checked by the
        same schema as the configuration file; a bad value is named by its option."""
        changes = {k: v for k, v in changes.items() if v is not None}
        checked = check(
            {k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()}, where="option"
        )
        return self.replace(**{k: checked[k] for k in changes})

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
            from flowmap.config.messages import line_of

            raise UsageError(
                f"{path}:{line_of(text, prefix)}: [tool.flowmap] must be a table of settings"
            )
    return parse(data, str(path), text=text, prefix=prefix)


def _strings(value: Any) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def parse(
    settings: dict, source: str = "", *, text: str = "", prefix: tuple[str, ...] = ()
) -> Config:
    """Check and convert a settings mapping (as read from TOML); ``text`` is the file's text,
    for the line numbers of messages."""
    from flowmap.config.messages import line_of

    checked = check(settings, where=source or "configuration", text=text, prefix=prefix)
    if "org" in checked and source:  # a path in a configuration file is relative to that file
        org = Path(source).parent / checked["org"]
        if not org.is_file():
            line = line_of(text, (*prefix, "org")) if text else 0
            raise UsageError(
                f"{source}{f':{line}' if line else ''}: org: {checked['org']!r} "
                f"not found (looked for {org}); write the path relative to "
                "this file"
            )
        checked["org"] = str(org)
    return Config(source=source, **checked)


def check(settings: dict, *, where: str, text: str = "", prefix: tuple[str, ...] = ()) -> dict:
    """Settings checked by :class:`Settings`, as :class:`Config` fields.

    ``where="option"`` names a bad value by its command-line option (``--jobs``); otherwise
    ``where`` is the file, and the message gives its line.
    """
    if not settings:  # nothing to check (a command run without options): no validator built
        return {}
    from pydantic import ValidationError

    from flowmap.config.messages import message
    from flowmap.config.settings import Settings, dashed

    try:
        model = Settings.model_validate(settings)
    except ValidationError as exc:
        raise UsageError(message(exc.errors()[0], where, text, prefix)) from None
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
            value = {dashed(k): v for k, v in value.model_dump(exclude_none=True).items()}
        out[name] = value
    return out


def render_settings(
    values: dict[str, Any], where: str = "option", text: str = "", prefix: tuple[str, ...] = ()
) -> dict[str, Any]:
    """``flowmap render``'s options (snake_case names), checked like ``[render]``."""
    from pydantic import ValidationError

    from flowmap.config.messages import message
    from flowmap.config.settings import RenderSettings

    try:
        model = RenderSettings.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as exc:
        raise UsageError(message(exc.errors()[0], where, text, (*prefix, "render"))) from None
    return model.model_dump(exclude_none=True)
