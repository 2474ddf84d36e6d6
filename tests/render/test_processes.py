"""Every process in processes/ (and every rule's bad example) renders; one in every format."""

from __future__ import annotations

import re

import pytest

from flowmap.analysis import analyze
from flowmap.loaders import load_any
from flowmap.render import RenderOptions, render
from flowmap.rules import all_rules
from tests.render.conftest import needs_dot, process_files, process_from

FILES = process_files()


@needs_dot
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_every_process_renders_to_svg(path):
    process = load_any(path)
    analysis = analyze(process)
    rendered = render(process, analysis, "svg")
    assert rendered.data.startswith(b"<?xml")
    # Every step is drawn, and every finding that names a step has its badge.
    for index in range(len(process.steps)):
        assert f'id="s{index}"'.encode() in rendered.data
    assert not [w for w in rendered.warnings if "graphviz" in w]


@needs_dot
@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_example_renders(rule):
    from flowmap.errors import LoadError

    try:
        process = process_from(rule.bad)
    except LoadError:
        pytest.skip(f"{rule.code}'s example is refused by the loader (a structure problem)")
    rendered = render(process, analyze(process), "svg", RenderOptions(findings="badges"))
    assert b'class="node"' in rendered.data


@needs_dot
@pytest.mark.skipif(not FILES, reason="processes/ has no process files yet")
def test_one_process_in_every_format_and_as_a_poster():
    process = load_any(FILES[0])
    analysis = analyze(process)
    assert render(process, analysis, "pdf").data.startswith(b"%PDF")
    assert render(process, analysis, "png").data.startswith(b"\x89PNG")
    assert render(process, analysis, "dot").data.startswith(b"digraph")
    poster = render(process, analysis, "pdf", RenderOptions(poster=True))
    media = re.findall(rb"/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)", poster.data)
    assert len(media) >= 1  # one PDF; more pages when names would print below 12 pt
    width, height = (float(v) for v in media[0])
    from flowmap.render.page import PAPER

    sizes = {(round(w * 72), round(h * 72)) for w, h in PAPER.values()}
    sizes |= {(h, w) for w, h in sizes}
    assert (round(width), round(height)) in sizes  # exactly a paper size
    assert len(set(media)) == 1  # every page the same paper
