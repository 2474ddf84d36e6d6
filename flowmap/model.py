"""The process model: what a ``*.flow.yaml`` file says, as pydantic v2 models.

Pure data, no I/O. Loaders (``flowmap.loaders``) build these models from files;
``flowmap.graph`` turns a :class:`Process` into a graph for the rules.

Every field a user may omit has a default, documented in ``docs/format.md``.
"""

# No ``from __future__ import annotations`` here: pydantic reads the fields' types when the
# models are built at import, and a type written as text is compiled and evaluated first (77
# fields, about 5M instructions of a cold run); a model's own name in its methods is quoted.
import re
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from flowmap.errors import Location
from flowmap.vocabulary import (
    BLACK_BOX,
    ID_RE,
    MAX_COST,
    MAX_MINUTES,
    RELATIONSHIP_MEASURES,
    STEP_ID_RE,
    FlowKind,
    FunctionKind,
    Id,
    Ignore,
    MeasureKind,
    Minutes,
    Purpose,
    Status,
    StepId,
    StepKind,
    StrList,
    StrTuple,
    Value,
    parse_duration,
    string_list,
)

# The vocabularies and field types live in flowmap.vocabulary; they are the model's names too.
__all__ = [
    "BLACK_BOX",
    "FlowKind",
    "FunctionKind",
    "ID_RE",
    "Id",
    "Ignore",
    "MAX_COST",
    "MAX_MINUTES",
    "MeasureKind",
    "Minutes",
    "Purpose",
    "RELATIONSHIP_MEASURES",
    "STEP_ID_RE",
    "Status",
    "StepId",
    "StepKind",
    "StrList",
    "StrTuple",
    "Value",
    "parse_duration",
    "CUSTOMER",
    "FORMAT_VERSION",
    "Role",
    "Function",
    "Person",
    "Organisation",
    "ProcessInfo",
    "Customer",
    "Step",
    "Flow",
    "Measure",
    "Inference",
    "Process",
    "OrganisationFile",
]

FORMAT_VERSION = 1
CUSTOMER = "customer"  # the owner reference that names the customer actor


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
        return string_list(value)

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
    def _flow_ids(self) -> "Process":
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

    def with_source(self, path: str, locations: dict[str, Location]) -> "Process":
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
