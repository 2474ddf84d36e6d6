"""flowmap's own BPMN attributes edited by hand, and text XML cannot hold (issue 14, item 10),
and entries a BPMN round trip must keep (item 4)."""

from __future__ import annotations

import re

import pytest

from flowmap.errors import LoadError
from flowmap.loaders.bpmn import load_bpmn
from flowmap.loaders.flow_yaml import load_process
from flowmap.writers.bpmn import dump
from tests.conftest import MINIMAL


@pytest.fixture
def exported(tmp_path):
    """MINIMAL written as BPMN by flowmap: (its text, a function to load an edited copy)."""
    source = tmp_path / "demo.flow.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    text = dump(load_process(source))

    def load(edited: str, warnings: list | None = None):
        path = tmp_path / "edited.bpmn"
        path.write_text(edited, encoding="utf-8")
        return load_bpmn(path, warnings=warnings)

    return text, load


def _problems(load, text):
    with pytest.raises(LoadError) as caught:
        load(text)
    return caught.value.problems


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("lane", "what", "name"),
    [
        ('flowmap:org="function" flowmap:id="sales"', "function", "sales"),
        ('flowmap:org="role" flowmap:id="rep"', "role", "rep"),
    ],
)
@pytest.mark.parametrize("bad", ["a.b", "x y", "1st"])
def test_a_lane_id_that_is_no_id_is_an_error_at_the_lane(exported, lane, what, name, bad):
    text, load = exported
    assert lane in text
    edited = text.replace(lane, lane.replace(f'flowmap:id="{name}"', f'flowmap:id="{bad}"'))
    problems = _problems(load, edited)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.message.startswith(f"flowmap:id {bad!r} of {what} ")
    assert problem.message.endswith(f"is not a valid {what} id")
    assert problem.location.line == _line_of(edited, f'flowmap:id="{bad}"')
    assert "letters, digits" in problem.hint
    assert "[A-Za-z" not in problem.message + problem.hint  # no regular expression shown


def test_a_process_id_that_is_no_id_is_an_error_at_the_definitions(exported):
    text, load = exported
    edited = text.replace('flowmap:id="demo"', 'flowmap:id="de mo"', 1)
    problems = _problems(load, edited)
    assert [p.message for p in problems] == [
        "flowmap:id 'de mo' of the process is not a valid process id"
    ]
    assert problems[0].location.line == _line_of(edited, "<bpmn:definitions")


@pytest.mark.parametrize("bad", ["x", "-1", "1.5", "9" * 5000])
def test_an_order_that_is_no_number_is_a_warning_and_ignored(exported, bad):
    text, load = exported
    first = re.search(r'flowmap:order="\d+"', text).group(0)
    edited = text.replace(first, f'flowmap:order="{bad}"', 1)
    warnings = []
    process = load(edited, warnings)
    assert [s.id for s in process.steps] == ["ask", "offer", "done"]
    assert len(warnings) == 1, warnings
    assert warnings[0].message.startswith(f"flowmap:order {bad!r} is not a whole number")
    assert warnings[0].location.line == _line_of(edited, f'flowmap:order="{bad}"')


def test_control_characters_in_names_export_as_replacement_characters(tmp_path):
    source = tmp_path / "odd.flow.yaml"
    source.write_text(
        MINIMAL.replace("name: Prepare offer", 'name: "Prepare\\a offer\\x1b[2J"'), encoding="utf-8"
    )
    process = load_process(source)
    assert process.steps[1].name == "Prepare\a offer\x1b[2J"
    text = dump(process)  # raised "All strings must be XML compatible" before
    path = tmp_path / "odd.bpmn"
    path.write_text(text, encoding="utf-8")
    back = load_bpmn(path)
    assert back.steps[1].name == "Prepare\ufffd offer\ufffd[2J"
    assert process.steps[1].name == "Prepare\a offer\x1b[2J"  # the process itself unchanged


def test_repeated_data_and_systems_survive_a_round_trip(tmp_path):
    source = tmp_path / "data.flow.yaml"
    source.write_text(
        MINIMAL.replace(
            "    value: customer\n",
            "    value: customer\n    systems: [crm, erp, crm]\n    data: [order, order]\n",
        ),
        encoding="utf-8",
    )
    process = load_process(source)
    path = tmp_path / "data.bpmn"
    path.write_text(dump(process), encoding="utf-8")
    back = load_bpmn(path)
    assert back.steps[1].systems == ("crm", "erp", "crm")
    assert back.steps[1].data == ("order", "order")
