"""Property tests: whatever the input, the loader answers with a process or a LoadError."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmap.errors import LoadError
from flowmap.loaders.flow_yaml import load_process
from tests.conftest import MINIMAL

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _load(tmp_path, data: bytes):
    path = tmp_path / "fuzz.flow.yaml"
    path.write_bytes(data)
    try:
        return load_process(path)
    except LoadError as exc:
        problems = exc.problems
    assert problems, "a LoadError always says why"
    for problem in problems:
        assert problem.location.line >= 1 and problem.message
    return None


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes(tmp_path, data):
    _load(tmp_path, data)


@SETTINGS
@given(
    st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n -.,?%@`0123456789")), max_size=300)
)
def test_yamlish_text(tmp_path, text):
    _load(tmp_path, text.encode())


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10), st.floats(allow_nan=False), st.text(max_size=12)
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@SETTINGS
@given(
    section=st.sampled_from(
        ["process", "customer", "organisation", "steps", "flows", "measures", "flowmap", "extra"]
    ),
    value=values,
)
def test_mutated_sections(tmp_path, section, value):
    data = yaml.safe_load(MINIMAL)
    data[section] = value
    _load(tmp_path, yaml.safe_dump(data).encode())


@SETTINGS
@given(
    index=st.integers(0, 2),
    key=st.sampled_from(
        ["id", "owner", "kind", "value", "purpose", "work", "wait", "touchpoint", "systems", "cost"]
    ),
    value=values,
)
def test_mutated_step_fields(tmp_path, index, key, value):
    data = yaml.safe_load(MINIMAL)
    data["steps"][index][key] = value
    _load(tmp_path, yaml.safe_dump(data).encode())
