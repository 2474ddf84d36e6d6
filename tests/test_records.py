"""flowmap.records: value records compare, hash and show like the dataclasses they replace."""

from __future__ import annotations

from flowmap.applicability import Skipped
from flowmap.inference import Match
from flowmap.records import Record


class Pair(Record):
    __slots__ = ("left", "right")

    def __init__(self, left: object, right: object = None):
        self.left, self.right = left, right


class Other(Pair):
    __slots__ = ()


def test_equal_when_the_class_and_every_field_are():
    assert Pair(1, "a") == Pair(1, "a")
    assert Pair(1, "a") != Pair(1, "b")
    assert Pair(1, "a") != Other(1, "a")  # another class is never equal
    assert Pair(1) != (1, None)
    assert len({Pair(1, "a"), Pair(1, "a"), Pair(2)}) == 2


def test_shown_with_its_fields():
    assert repr(Pair(1, "a")) == "Pair(left=1, right='a')"
    assert repr(Match("level", 3, "de", "leiter")) == (
        "Match(concept='level', value=3, lang='de', word='leiter', text='')"
    )


def test_keyword_and_positional_construction_agree():
    assert Skipped(("VAL001",), "values", "why") == Skipped(
        codes=("VAL001",), need="values", reason="why"
    )
    assert Skipped(("VAL001",), "values", "why").as_dict() == {
        "codes": ["VAL001"],
        "need": "values",
        "reason": "why",
    }


def test_a_finding_is_still_copied_with_changes_and_compared_by_value():
    """Finding generates no code at import (flowmap.rules.base), and stays a dataclass for
    dataclasses.replace, which the triage and the baseline use."""
    import dataclasses

    from flowmap.errors import Location
    from flowmap.rules.base import Edit, Family, Finding, Fix, Severity

    fix = Fix("drop it", (Edit("remove-step", step="a"),))
    found = Finding(
        "VAL001",
        "non-value-adding-step",
        Family.value,
        Severity.warning,
        "m",
        ("a",),
        Location("p.flow.yaml", 3, 5),
        {"k": 1},
        "why",
        "do",
        fix,
    )
    moved = dataclasses.replace(found, elements=("b",))
    assert moved.elements == ("b",) and moved.fix is fix and moved.code == "VAL001"
    assert moved != found and dataclasses.replace(moved, elements=("a",)) == found
    assert [f.name for f in dataclasses.fields(Finding)][:3] == ["code", "name", "family"]
    assert found.as_dict()["fix"] == {
        "description": "drop it",
        "edits": [{"op": "remove-step", "step": "a", "kind": "normal"}],
    }
