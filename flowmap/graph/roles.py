"""What the graph says about owners: a role with its function (:class:`RoleRef`), and the kind of
handoff when work passes from one owner to another (:class:`Handoff`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flowmap.model import Flow, Function, Role


class HandoffKind(StrEnum):
    """What changes when work passes along a flow (see docs/concepts.md)."""

    none = "none"  # same role: no handoff
    horizontal = "horizontal"  # another role at the same level
    vertical = "vertical"  # same function, another level
    diagonal = "diagonal"  # another function and another level
    customer = "customer"  # between the customer and the organisation (line of interaction)
    unknown = "unknown"  # one end has no owner


@dataclass(frozen=True, slots=True)  # one per flow: no instance dict
class Handoff:
    flow: Flow
    kind: HandoffKind
    source_role: str  # role key "function.role", "customer" or ""
    target_role: str
    source_level: int | None
    target_level: int | None
    cross_function: bool  # between two functions of the organisation (never with the customer)

    @property
    def is_handoff(self) -> bool:
        return self.kind not in (HandoffKind.none, HandoffKind.unknown)


@dataclass(frozen=True, slots=True)
class RoleRef:
    """A role with its function, as steps refer to it (``owner: function.role``)."""

    key: str
    function: Function
    role: Role

    @property
    def level(self) -> int:
        return self.role.level

    @property
    def label(self) -> str:
        """How a sentence names the role: its name, else its function's name with its id
        ('Finance Processing staff' for the role an imported lane gets when it is not split
        into roles is named by the lane), never the 'function.role' key a reader of a BPMN model
        has never seen."""
        if self.role.name:
            return self.role.name
        if self.role.id == "staff":  # a lane or pool not split into roles: its name says it
            return self.function.label
        return f"{self.function.label} {self.role.id.replace('-', ' ')}"

    @property
    def with_function(self) -> str:
        """'Clerk in Billing': the role's label with its function, once."""
        return f"{self.role.name} in {self.function.label}" if self.role.name else self.label
