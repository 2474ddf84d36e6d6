"""Severity presets (``presets.toml`` beside this module), like yamllint's and bpmnlint's.

A rule does not choose its severity: the preset in force does (``preset`` in the configuration,
``recommended`` by default), and ``[tool.flowmap.rules.CODE] severity`` overrides one rule.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

DEFAULT = "recommended"
FILE = Path(__file__).with_name("presets.toml")


@cache
def presets() -> dict[str, dict[str, str]]:
    """Preset name -> its table (``description`` and ``CODE = severity``)."""
    return tomllib.loads(FILE.read_text(encoding="utf-8"))


def names() -> tuple[str, ...]:
    return tuple(presets())


def description(preset: str) -> str:
    return presets()[preset].get("description", "")


def severity(code: str, preset: str = DEFAULT) -> str:
    """The severity (``error``, ``warning``, ``info``) of a rule's findings in a preset."""
    try:
        return presets()[preset][code]
    except KeyError:
        raise KeyError(f"preset {preset!r} gives no severity for {code}") from None
