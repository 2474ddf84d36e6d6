"""The settings, checked by one schema: from a configuration file and from the command line
alike (see :mod:`flowmap.config`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from flowmap.errors import UsageError

SEVERITIES = ("error", "warning", "info")
RENDER_FORMATS = ("svg", "pdf", "png", "dot")


def dashed(name: str) -> str:
    return name.replace("_", "-")


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        populate_by_name=True,
        alias_generator=dashed,
        allow_inf_nan=False,
        frozen=True,
        defer_build=True,
    )


def _names(value: Any) -> Any:
    if isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(item, str) for item in value)
    ):
        return value
    raise ValueError(f"must be a text or a list of texts (got {short(value)})")


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
        extra="allow", strict=True, alias_generator=dashed, populate_by_name=True, defer_build=True
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


def short(value: Any) -> str:
    text = repr(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return "a number too large"
    return text if len(text) <= 40 else text[:37] + "..."


def check_severity(value: Any, what: str) -> str:
    if value not in SEVERITIES:
        raise UsageError(f"{what}: {value!r} is not a severity; use one of {', '.join(SEVERITIES)}")
    return value
