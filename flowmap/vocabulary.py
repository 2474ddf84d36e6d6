"""The words a process file may use and the types of its fields: what a function, step, flow
or measure can be (kinds, values, purposes...), durations, ids and the shorthand lists.

Part of the process model (:mod:`flowmap.model` re-exports every name here); kept apart so that
the model's classes read in one sitting. Pure data, no I/O.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

# ---------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------


# The value of the inference (field ``kind``) a loader records for a step that stands for a whole
# pool drawn as a black box (BPMN): what it sends is not known to answer what it receives.
BLACK_BOX = "black-box"


class FunctionKind(StrEnum):
    """What a function (department) does; ``service`` is customer service / support."""

    service = "service"
    sales = "sales"
    marketing = "marketing"
    operations = "operations"
    logistics = "logistics"
    manufacturing = "manufacturing"
    finance = "finance"
    billing = "billing"
    it = "it"
    hr = "hr"
    legal = "legal"
    risk = "risk"
    compliance = "compliance"
    product = "product"
    procurement = "procurement"
    field = "field"
    management = "management"
    other = "other"


class StepKind(StrEnum):
    task = "task"
    decision = "decision"
    wait = "wait"
    event = "event"
    start = "start"
    end = "end"
    subprocess = "subprocess"


class Value(StrEnum):
    """Lean value of a step, seen by the customer."""

    customer = "customer"  # value-adding: the customer would pay for it
    business = "business"  # required by law or the business, not valued by the customer
    none = "none"  # waste


class Purpose(StrEnum):
    """Why a step exists. Several rules read these tags."""

    approval = "approval"
    inspection = "inspection"
    re_entry = "re-entry"
    transport = "transport"
    batching = "batching"
    waiting = "waiting"
    rework = "rework"
    deflection = "deflection"
    placation = "placation"
    compensation = "compensation"
    recovery = "recovery"
    root_cause_fix = "root-cause-fix"
    feedback = "feedback"
    escalation = "escalation"
    notification = "notification"
    chasing = "chasing"
    reporting = "reporting"
    compliance = "compliance"
    diagnosis = "diagnosis"
    delivery = "delivery"
    payment = "payment"
    sale = "sale"
    complaint = "complaint"


class FlowKind(StrEnum):
    normal = "normal"
    exception = "exception"
    escalation = "escalation"
    rework = "rework"
    feedback = "feedback"
    information = "information"


class Status(StrEnum):
    as_is = "as-is"
    to_be = "to-be"
    draft = "draft"


class MeasureKind(StrEnum):
    satisfaction = "satisfaction"
    loyalty = "loyalty"
    emotion = "emotion"
    advocacy = "advocacy"
    effort = "effort"
    cost = "cost"
    productivity = "productivity"
    speed = "speed"
    quality = "quality"
    compliance = "compliance"


# Measures that look at the relationship, not just at one transaction (CX rules, maturity).
RELATIONSHIP_MEASURES = frozenset(
    {MeasureKind.loyalty, MeasureKind.emotion, MeasureKind.advocacy, MeasureKind.effort}
)

# ---------------------------------------------------------------------------------------------
# Small value types
# ---------------------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)?\s*$")
_UNIT_MINUTES = {
    None: 1.0,
    "s": 1 / 60,
    "sec": 1 / 60,
    "m": 1.0,
    "min": 1.0,
    "h": 60.0,
    "d": 1440.0,
    "w": 10080.0,
}


def parse_duration(value: Any) -> Any:
    """``"90s"``, ``"15m"``, ``"2h"``, ``"3d"`` (calendar days), ``"1w"`` or a number of minutes.

    Returns minutes as a float. Anything else is passed on for pydantic to reject.
    """
    kind = type(value)
    if kind is float or kind is int:
        return float(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match is None:
            raise ValueError(
                f"{value!r} is not a duration: write a number with a unit, e.g. 15m, 2h, 3d or 1w"
            )
        return float(match.group(1)) * _UNIT_MINUTES[match.group(2)]
    return value


# Bounds that keep every sum finite: no step takes more than about 190 years of work or waiting,
# or costs more than a trillion; infinity and NaN are not numbers a person measured.
MAX_MINUTES = 1e8
MAX_COST = 1e12
Minutes = Annotated[
    float, BeforeValidator(parse_duration), Field(ge=0, le=MAX_MINUTES, allow_inf_nan=False)
]

_ID = r"^[A-Za-z_][A-Za-z0-9_\-]*$"
ID_RE = re.compile(_ID)
Id = Annotated[str, Field(pattern=_ID, max_length=200)]
# Step ids may also hold dots: BPMN ids such as "Activity_1.2" stay exactly as the modeler wrote
# them. (Function and role ids may not: "function.role" is how an owner is written.)
_STEP_ID = r"^[A-Za-z_][A-Za-z0-9_.\-]*$"
STEP_ID_RE = re.compile(_STEP_ID)
StepId = Annotated[str, Field(pattern=_STEP_ID, max_length=200)]


def string_list(value: Any) -> Any:
    """Allow ``systems: crm`` as well as ``systems: [crm]``."""
    return [value] if isinstance(value, str) else value


StrList = Annotated[list[str], BeforeValidator(string_list)]
# Per-step collections are tuples: immutable, so pydantic need not copy a default per step.
StrTuple = Annotated[tuple[str, ...], BeforeValidator(string_list)]


def _ignore_map(value: Any) -> Any:
    """``ignore: SMK001`` or ``ignore: [SMK001]`` or ``ignore: {SMK001: reason}``."""
    if isinstance(value, str):
        return {value: ""}
    if isinstance(value, list):
        return {str(code): "" for code in value}
    return value


Ignore = Annotated[dict[str, str], BeforeValidator(_ignore_map)]
