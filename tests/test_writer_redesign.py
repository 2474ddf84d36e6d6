"""Writing processes back (canonical YAML, atomic writes) and applying redesign edits."""

from __future__ import annotations

import os

import pytest

from flowmap.loaders.flow_yaml import load_process
from flowmap.model import Process
from flowmap.redesign import redesign
from flowmap.rules.base import Edit, Family, Finding, Fix, Severity
from flowmap.writers import write_atomic
from flowmap.writers.flow_yaml import dump, scalar
from tests.conftest import MINIMAL, PROCESSES

LIBRARY = sorted(PROCESSES.glob("*/*.flow.yaml"))


def _same(a: Process, b: Process) -> None:
    assert a.model_dump() == b.model_dump()


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_dump_round_trips_every_library_process(path, tmp_path):
    process = load_process(path)
    out = tmp_path / "again.flow.yaml"
    out.write_text(dump(process))
    _same(load_process(out), process)


def test_library_is_present():
    assert len(LIBRARY) >= 12, "processes/ should hold six as-is/to-be pairs"


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        "yes",
        "No",
        "null",
        "12",
        "1.5",
        "a: b",
        "#x",
        "- item",
        "quote's",
        'say "hi"',
        "é ü 中文 🙂",
        "",
        " lead",
        "trail ",
        "multi\nline",
        "back\\slash",
        "{x}",
        "@at",
        "%p",
        "true",
        "~",
        "0x1F",
        "1e3",
        ".inf",
        "x #y",
    ],
)
def test_scalars_read_back_as_written(text, tmp_path):
    import yaml

    assert yaml.safe_load(f"k: {scalar(text)}\n")["k"] == text


def test_write_atomic_keeps_old_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "p.flow.yaml"
    target.write_text("original\n")
    os.chmod(target, 0o640)

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "new text\n")
    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["p.flow.yaml"]  # no temp file left
    monkeypatch.undo()
    write_atomic(target, "new text\n")
    assert target.read_text() == "new text\n"
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)


def _finding(*edits: Edit) -> Finding:
    from flowmap.errors import Location

    return Finding(
        "TST001",
        "test",
        Family.value,
        Severity.warning,
        "m",
        ("x",),
        Location("p"),
        {},
        "why",
        "do it",
        Fix("test fix", tuple(edits)),
    )


def test_remove_step_reconnects_neighbours(write):
    process = load_process(write("p.flow.yaml", MINIMAL))
    result = redesign(process, [_finding(Edit("remove-step", step="offer"))])
    assert result.applied == ["TST001 test fix"]
    assert [s.id for s in result.process.steps] == ["ask", "done"]
    assert [(f.source, f.target) for f in result.process.flows] == [("ask", "done")]
    assert result.process.status.value == "to-be"


def test_fix_that_would_break_the_process_is_skipped(write):
    process = load_process(write("p.flow.yaml", MINIMAL))
    result = redesign(process, [_finding(Edit("remove-flow", flow="ask->offer"))])
    assert result.applied == []
    assert "cannot be reached" in result.skipped[0]
    _same(result.process, process)


def test_add_step_between_and_add_measure(write):
    process = load_process(write("p.flow.yaml", MINIMAL))
    result = redesign(
        process,
        [
            _finding(
                Edit(
                    "add-step",
                    after="offer",
                    before="done",
                    fields={"id": "ask-feedback", "owner": "sales.rep", "purpose": ["feedback"]},
                ),
                Edit("add-measure", fields={"id": "nps", "kind": "advocacy"}),
            )
        ],
    )
    flows = [(f.source, f.target) for f in result.process.flows]
    assert ("offer", "ask-feedback") in flows and ("ask-feedback", "done") in flows
    assert ("offer", "done") not in flows
    assert result.process.measures[0].id == "nps"


def test_conflicting_fixes_apply_once(write):
    process = load_process(write("p.flow.yaml", MINIMAL))
    twice = [
        _finding(Edit("remove-step", step="offer")),
        _finding(Edit("remove-step", step="offer")),
    ]
    result = redesign(process, twice)
    assert len(result.applied) == 1 and "no longer there" in result.skipped[0]


def test_removed_step_leaves_no_measure_reference(write):
    text = MINIMAL + "measures:\n  - {id: aht, kind: productivity, steps: [offer, done]}\n"
    process = load_process(write("p.flow.yaml", text))
    result = redesign(process, [_finding(Edit("remove-step", step="offer"))])
    assert result.applied
    assert result.process.measures[0].steps == ["done"]


def test_yaml_writer_keeps_every_number_exactly(tmp_path):
    """1.0001 minutes was written as 1.0m: the writer rounded to three decimals."""
    from flowmap.loaders.flow_yaml import load_process
    from flowmap.writers.flow_yaml import dump
    from tests.conftest import MINIMAL

    values = [1.0001, 0.1 + 0.2, 1 / 60, 1e-7, 12345.678901234, 90.0, 1440.5, 20160.0]
    source = tmp_path / "in.flow.yaml"
    text = MINIMAL.replace(
        "    value: customer\n",
        "    value: customer\n    work: 1\n    wait: 1\n    cost: 0.1234567891\n",
    )
    for value in values:
        source.write_text(
            text.replace("work: 1\n", f"work: {value!r}\n").replace(
                "wait: 1\n", f"wait: {value * 3!r}\n"
            )
        )
        before = load_process(source)
        (tmp_path / "out.flow.yaml").write_text(dump(before))
        after = load_process(tmp_path / "out.flow.yaml")
        offer = next(s for s in after.steps if s.id == "offer")
        assert offer.work == value and offer.wait == value * 3
        assert offer.cost == 0.1234567891
