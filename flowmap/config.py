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

    [tool.flowmap.per-file-ignores]
    "legacy/*.flow.yaml" = ["VAL002"]

    [tool.flowmap.rules.SMK003]   # per-rule severity and options
    severity = "error"
    min-gap = 2
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from flowmap.errors import UsageError

SEVERITIES = ("error", "warning", "info")
_KEYS = {"preset", "select", "ignore", "extend-select", "fail-on", "exclude", "per-file-ignores",
         "rules", "max-file-size-mb", "jobs", "render", "top"}


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
    source: str = ""  # the file these settings came from

    def override(self, **changes: Any) -> Config:
        """A copy with the non-None ``changes`` applied (command-line options)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def max_bytes(self) -> int:
        return self.max_file_size_mb * 1024 * 1024

    def is_excluded(self, path: Path) -> bool:
        text = path.as_posix()
        return any(fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(path.name, pattern)
                   for pattern in self.exclude)

    def ignored_for(self, path: str) -> tuple[str, ...]:
        out: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(Path(path).name, pattern) or \
                    fnmatch.fnmatch(path, "*/" + pattern):
                out.extend(codes)
        return tuple(out)


def find_config(start: str | Path | None = None) -> Config:
    """The configuration in force for ``start`` (a file or folder; default: the current folder)."""
    here = Path(start or ".").resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        for name in ("flowmap.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                settings = _read(candidate)
                if settings is not None:
                    return parse(settings, str(candidate))
    return Config()


def _read(path: Path) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the configuration: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("flowmap")
    return data


def _strings(value: Any, key: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise UsageError(f"{source}: '{key}' must be a list of strings")


def parse(settings: dict, source: str = "") -> Config:
    """Check and convert a settings mapping (as read from TOML)."""
    import difflib

    where = source or "configuration"
    for key in settings:
        if key not in _KEYS:
            close = difflib.get_close_matches(key, sorted(_KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise UsageError(f"{where}: unknown setting '{key}'{hint}")
    config = Config(source=source)
    changes: dict[str, Any] = {}
    for key in ("select", "ignore", "extend-select", "exclude"):
        if key in settings:
            changes[key.replace("-", "_")] = _strings(settings[key], key, where)
    if "preset" in settings:
        changes["preset"] = check_preset(settings["preset"], f"{where}: preset")
    if "fail-on" in settings:
        changes["fail_on"] = check_severity(settings["fail-on"], f"{where}: fail-on")
    if "max-file-size-mb" in settings:
        value = settings["max-file-size-mb"]
        if not isinstance(value, int) or value < 1:
            raise UsageError(f"{where}: 'max-file-size-mb' must be a positive whole number")
        changes["max_file_size_mb"] = value
    if "jobs" in settings:
        changes["jobs"] = int(settings["jobs"])
    if "top" in settings:
        value = settings["top"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise UsageError(f"{where}: 'top' must be a whole number, 0 or more (0: show all)")
        changes["top"] = value
    if "per-file-ignores" in settings:
        changes["per_file_ignores"] = {
            pattern: _strings(codes, f"per-file-ignores.{pattern}", where)
            for pattern, codes in settings["per-file-ignores"].items()}
    if "rules" in settings:
        rules = {}
        for code, values in settings["rules"].items():
            if not isinstance(values, dict):
                raise UsageError(f"{where}: [rules.{code}] must be a table of settings")
            if "severity" in values:
                check_severity(values["severity"], f"{where}: rules.{code}.severity")
            rules[code.upper()] = {k.replace("-", "_"): v for k, v in values.items()}
        changes["rules"] = rules
    if "render" in settings:
        changes["render"] = dict(settings["render"])
    return replace(config, **changes)


def check_preset(value: Any, what: str) -> str:
    from flowmap.rules import presets

    if value not in presets.names():
        raise UsageError(f"{what}: {value!r} is not a preset; use one of "
                         f"{', '.join(presets.names())}")
    return value


def check_severity(value: Any, what: str) -> str:
    if value not in SEVERITIES:
        raise UsageError(f"{what}: {value!r} is not a severity; use one of {', '.join(SEVERITIES)}")
    return value
