"""Where a BPMN element was written: the line and column of its ``<``, found without splitting
the whole file into lines (flowmap.loaders.bpmn.xml.Lines decodes a block at a time)."""

from __future__ import annotations

import gc
import random
from types import ModuleType

import pytest
from lxml import etree

from flowmap.loaders.bpmn import load_bpmn
from flowmap.loaders.bpmn.lines import Lines

from .helpers import bpmn


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "latin-1", "cp1252"])
@pytest.mark.parametrize("block", [1, 7, 64, 4096])
def test_lines_are_the_lines_of_the_whole_text(encoding, block, monkeypatch):
    monkeypatch.setattr(Lines, "BLOCK_BYTES", block)
    monkeypatch.setattr(Lines, "KEEP", 3)  # blocks are dropped and decoded again
    pick = random.Random(f"{encoding}-{block}")
    for size in (0, 1, 2, 50, 700):
        rows = [
            "".join(pick.choice('ab é<>"\t') for _ in range(pick.randint(0, 90)))
            for _ in range(size)
        ]
        text = "\n".join(rows) + pick.choice(["", "\n"])
        data = text.encode(encoding)
        whole = data.decode(encoding).split("\n")
        lines = Lines(data, encoding)
        assert len(lines) == len(whole)
        order = list(range(len(whole)))
        pick.shuffle(order)
        assert [lines[i] for i in order] == [whole[i] for i in order]
        with pytest.raises(IndexError):
            lines[len(whole)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_steps_far_down_a_large_file_are_found_where_written(tmp_path, encoding):
    tasks = "".join(
        f'\n  <bpmn:task id="t{i}" name="Prüfung {i}"/>'
        + ("" if i % 3 else f'\n  <bpmn:task\n     id="w{i}"\n     name="Wrapped {i}"/>')
        for i in range(3000)
    )
    text = bpmn(f'<bpmn:process id="p">{tasks}\n</bpmn:process>')
    if encoding != "utf-8":
        text = text.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
    path = tmp_path / "large.bpmn"
    path.write_bytes(text.encode(encoding))
    process = load_bpmn(path)
    rows = text.split("\n")
    for ident in ("t0", "t1501", "t2999", "w0", "w1500", "w2997"):
        where = process.locate("step", ident)
        row = next(n for n, line in enumerate(rows, 1) if f'id="{ident}"' in line)
        if ident.startswith("w"):  # the tag's name is on the line above its id
            row -= 1
        assert (where.line, where.column) == (row, rows[row - 1].index("<") + 1), ident


def test_a_loaded_model_keeps_no_part_of_the_xml_tree(tmp_path):
    # The parsed tree is several times the size of the model (291 MB beside 69 MB of model for
    # 20,000 tasks): positions are kept as lines and ids, and are still found afterwards.
    tasks = "".join(f'\n  <bpmn:task id="t{i}" name="Task {i}"/>' for i in range(200))
    flows = "".join(
        f'\n  <bpmn:sequenceFlow id="f{i}" sourceRef="t{i}" targetRef="t{i + 1}"/>'
        for i in range(199)
    )
    path = tmp_path / "model.bpmn"
    text = bpmn(f'<bpmn:process id="p">{tasks}{flows}\n</bpmn:process>')
    path.write_text(text, encoding="utf-8")
    process = load_bpmn(path)
    seen, todo, found = {id(process)}, [process], []
    while todo:  # everything the process reaches
        for child in gc.get_referents(todo.pop()):
            if isinstance(child, etree._Element | etree._ElementTree):
                found.append(child)
            elif id(child) not in seen and not isinstance(child, type | ModuleType):
                seen.add(id(child))
                todo.append(child)
    assert found == []
    rows = text.split("\n")
    for kind, ident in (("step", "t150"), ("flow", "f7")):
        row = next(n for n, line in enumerate(rows, 1) if f'id="{ident}"' in line)
        assert process.locate(kind, ident).line == row
