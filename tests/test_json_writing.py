"""The JSON report's fast writer and the findings' plain evidence give exactly what the standard
library gives: reports are compared and diffed by users, so a speed-up must not change a byte."""

from __future__ import annotations

import json
from enum import Enum, IntEnum, StrEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowmap.reporters.json import dumps
from flowmap.rules.base import plain


class Colour(StrEnum):
    red = "red"


class Mixed(str, Enum):  # noqa: UP042 -- the old-style mixin is what is tested
    blue = "blue"


class Count(IntEnum):
    one = 1


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([Colour.red, Mixed.blue, Count.one])
)
keys = st.text() | st.integers() | st.booleans() | st.none() | st.sampled_from([Colour.red])
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_dumps_writes_what_json_dumps_writes(document):
    assert dumps(document) == json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        scalars | st.just(float("nan")) | st.frozensets(st.integers(), max_size=2),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.tuples(inner, inner)
            | st.dictionaries(keys | st.floats(allow_nan=False), inner, max_size=4)
        ),
        max_leaves=30,
    )
)
def test_plain_is_the_json_round_trip(value):
    expected = json.loads(json.dumps(value, default=str))
    got = plain(value)
    # repr compares types too (an enum left in would differ); NaN is not equal to itself
    assert repr(got) == repr(expected)


def test_dumps_refuses_what_json_refuses():
    for bad in ({"x": float("nan")}, [float("inf")], {"x": object()}, {(1, 2): 3}):
        with pytest.raises((ValueError, TypeError)):
            json.dumps(bad, indent=2, ensure_ascii=False, allow_nan=False)
        with pytest.raises((ValueError, TypeError)):
            dumps(bad)
