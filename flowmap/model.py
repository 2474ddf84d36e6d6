"""The process model: what a ``*.flow.yaml`` file says, as pydantic v2 models.

Pure data, no I/O. Loaders (``flowmap.loaders``) build these models from files;
``flowmap.graph`` turns a :class:`Process` into a graph for the rules.

Every field a user may omit has a default, documented in ``docs/format.md``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from flowmap.errors import Location

FORMAT_VERSION = 1
CUSTOMER = "customer"  # the owner reference that names the customer actor

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


def _string_list(value: Any) -> Any:
    """Allow ``systems: crm`` as well as ``systems: [crm]``."""
    return [value] if isinstance(value, str) else value


StrList = Annotated[list[str], BeforeValidator(_string_list)]
# Per-step collections are tuples: immutable, so pydantic need not copy a default per step.
StrTuple = Annotated[tuple[str, ...], BeforeValidator(_string_list)]


def _ignore_map(value: Any) -> Any:
    """``ignore: SMK001`` or ``ignore: [SMK001]`` or ``ignore: {SMK001: reason}``."""
    if isinstance(value, str):
        return {value: ""}
    if isinstance(value, list):
        return {str(code): "" for code in value}
    return value


Ignore = Annotated[dict[str, str], BeforeValidator(_ignore_map)]


class _Model(BaseModel):
    # Each model's validator is built when it is first used (an imported BPMN file builds the
    # process's, not the organisation file's), not when flowmap.model is imported.
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        use_enum_values=False,
        str_strip_whitespace=True,
        defer_build=True,
    )


# ---------------------------------------------------------------------------------------------
# Organisation
# ---------------------------------------------------------------------------------------------


class Role(_Model):
    """A role in a function's chain of command."""

    id: Id
    name: str = ""
    level: int = Field(
        1,
        ge=1,
        le=5,
        description=(
            "1 front line, 2 team lead/supervisor, 3 manager, 4 head/director, 5 executive"
        ),
    )
    reports_to: str | None = Field(
        None,
        description=(
            "The superior role: a role id of the same function, or 'function.role' in another"
        ),
    )

    @property
    def label(self) -> str:
        return self.name or self.id


class Function(_Model):
    """A department: a band in the swimlane diagram with its roles as sub-bands."""

    id: Id
    name: str = ""
    kind: FunctionKind = FunctionKind.other
    stage: str | None = Field(
        None,
        pattern="^(front|back)$",
        description=(
            "front or back stage in the service blueprint; default: front when any of its steps is "
            "a touchpoint"
        ),
    )
    roles: list[Role] = Field(default_factory=list)
    notes: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


class Person(_Model):
    """A person and the role they hold, e.g. from an HR export (``flowmap org import``)."""

    name: str = Field(min_length=1)
    role: str = Field(description="the role the person holds: 'function.role'")
    id: str = Field(
        "",
        max_length=200,
        description=("a login or resource name, as event logs name the person (default: none)"),
    )


class Organisation(_Model):
    id: str = ""
    name: str = ""
    description: str = ""
    functions: list[Function] = Field(default_factory=list)
    people: list[Person] = Field(
        default_factory=list,
        description=("who holds which role: maps event-log resources to roles"),
    )


# ---------------------------------------------------------------------------------------------
# Process
# ---------------------------------------------------------------------------------------------


class ProcessInfo(_Model):
    """The header of a process file (the ``process:`` section)."""

    id: Id
    name: str = ""
    description: str = ""
    status: Status = Status.as_is
    version: str = ""
    industry: str = ""
    redesign_of: str | None = Field(None, description="path of the as-is file this one redesigns")
    sources: StrList = Field(default_factory=list)
    ignore: Ignore = Field(default_factory=dict)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )


class Customer(_Model):
    """The customer as an actor: the lane at the top of the diagram."""

    name: str = "Customer"
    segment: str = ""
    description: str = ""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class Step(_Model):
    id: StepId
    name: str = ""
    owner: str = Field("", description="'function.role' or 'customer'; empty: no owner")
    kind: StepKind = StepKind.task
    value: Value | None = Field(None, description="unset: not declared (rules infer it)")
    purpose: tuple[Purpose, ...] = ()
    channel: str = ""
    touchpoint: bool | None = Field(
        None,
        description=(
            "the customer meets the organisation here; default: customer steps and company steps "
            "with a flow to or from a customer step"
        ),
    )
    work: Minutes = 0.0
    wait: Minutes = 0.0
    cost: float = Field(0.0, ge=0, le=MAX_COST, allow_inf_nan=False)
    systems: StrTuple = ()
    data: StrTuple = ()
    notes: str = ""
    ignore: Ignore = Field(default_factory=dict)

    @field_validator("purpose", mode="before")
    @classmethod
    def _purpose_list(cls, value: Any) -> Any:
        return _string_list(value)

    @property
    def label(self) -> str:
        return self.name or self.id

    @property
    def is_customer(self) -> bool:
        return self.owner == CUSTOMER


_ARROW = re.compile(r"^\s*(\S+)\s*->\s*(\S+)\s*$")


class Flow(_Model):
    id: str = Field("", description="default: 'from->to' (with '#2', '#3'... for repeats)")
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    kind: FlowKind = FlowKind.normal
    label: str = ""
    probability: float | None = Field(None, ge=0, le=1, allow_inf_nan=False)
    ignore: Ignore = Field(default_factory=dict)
    generated: SkipJsonSchema[bool] = Field(
        False,
        exclude=True,
        description=(
            "made by a loader, not drawn by the modeller (e.g. the flow into a flattened BPMN "
            "sub-process): rules never report it; not part of the file's data"
        ),
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        if isinstance(value, str):
            match = _ARROW.match(value)
            if match is None:
                raise ValueError(
                    f"{value!r} is not a flow: write 'from-step -> to-step' or a mapping "
                    "with from: and to:"
                )
            return {"from": match.group(1), "to": match.group(2)}
        return value

    @property
    def is_shorthand(self) -> bool:
        return (
            self.kind == FlowKind.normal
            and not self.label
            and self.probability is None
            and not self.ignore
        )

    @property
    def drawn_id(self) -> str:
        """The id of the flow the modeller drew that this one stands for. Flattening a BPMN
        sub-process copies the flow that leaves it once for each of its ways out ('Flow_1#2',
        'Flow_1#3', made by the loader): one handoff drawn once, to be counted once."""
        return self.id.split("#", 1)[0] if self.generated else self.id


class Measure(_Model):
    id: Id
    name: str = ""
    kind: MeasureKind
    owner: str = Field("", description="id of the function that is managed by it")
    steps: StrList = Field(default_factory=list, description="steps it is measured on")
    target: str = ""


class Inference(_Model):
    """Something a loader guessed (from a name, a lane's place, the diagram) rather than read.

    ``element`` is a step id, a flow id, a function id or ``function.role``; ``field`` what was
    guessed (``level``, ``kind``, ``customer``, ``reports_to``, ``owner``, ``purpose``...);
    ``reason`` the sentence a user reads, e.g. "level of lane 'Kierownik' = 3 (pl: kierownik)".
    """

    element: str
    field: str
    value: str
    reason: str


class Process(_Model):
    """A whole process file."""

    flowmap: int = Field(FORMAT_VERSION, ge=1, le=FORMAT_VERSION)
    info: ProcessInfo = Field(alias="process")
    customer: Customer = Field(default_factory=Customer)
    organisation: Organisation = Field(
        default_factory=Organisation,
        description=("inline, or the path of a *.org.yaml file relative to this file"),
    )
    steps: list[Step] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    inferred: SkipJsonSchema[list[Inference]] = Field(
        default_factory=list,
        exclude=True,
        description=(
            "what the loader guessed rather than read (imported BPMN); never written to a file: "
            "a process file states facts"
        ),
    )
    # Where each element was written: keys like "step:take-order", "flow:a->b", "role:sales.rep".
    _locations: dict[str, Location] = PrivateAttr(default_factory=dict)
    _path: str = PrivateAttr("")
    # Suppression comments of the source file (flowmap.loaders.suppressions.CommentSuppression).
    _comments: tuple[Any, ...] = PrivateAttr(())

    @model_validator(mode="after")
    def _flow_ids(self) -> Process:
        seen: dict[str, int] = {}
        for flow in self.flows:
            if flow.id:
                continue
            base = f"{flow.source}->{flow.target}"
            seen[base] = seen.get(base, 0) + 1
            object.__setattr__(flow, "id", base if seen[base] == 1 else f"{base}#{seen[base]}")
        return self

    # Convenience accessors -------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.info.id

    @property
    def name(self) -> str:
        return self.info.name or self.info.id

    @property
    def status(self) -> Status:
        return self.info.status

    @property
    def path(self) -> str:
        """The file this process was read from ('' when built in code)."""
        return self._path

    def locate(self, kind: str, element_id: str = "") -> Location:
        """Where an element (``kind`` is step, flow, function, role, measure) was written."""
        key = f"{kind}:{element_id}" if element_id else kind
        return self._locations.get(key) or self._locations.get("process") or Location(self._path)

    def with_source(self, path: str, locations: dict[str, Location]) -> Process:
        """Attach the source file and element positions (used by loaders)."""
        self._path = path
        self._locations = locations
        return self

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


class OrganisationFile(_Model):
    """A ``*.org.yaml`` file that many process files can reference."""

    flowmap: int = Field(FORMAT_VERSION, ge=1, le=FORMAT_VERSION)
    organisation: Organisation
    lanes: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "for imported models (`--org`): a lane or pool, by its id or its name, and whose it is: "
            "'function.role', 'function' or 'customer'"
        ),
    )
