"""Names with quotes, markup, backslashes, newlines, emoji and other scripts: drawn as written,
never injecting DOT, SVG or HTML."""

from __future__ import annotations

import re

from lxml import etree

from flowmap.analysis import analyze
from flowmap.render import RenderOptions, render
from flowmap.render.dot import to_dot
from flowmap.render.dot_text import html, quoted
from flowmap.render.layout import build
from tests.render.conftest import HOSTILE_NAMES, hostile_process, needs_dot


def test_html_escapes_markup_and_keeps_text():
    assert html('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
    assert html("one\ntwo") == "one<BR/>two"
    assert html("顧客 🚚") == "顧客 🚚"
    assert "\x00" not in html("nul\x00here")
    assert html("a\\N") == "a&#92;&#92;N"


def test_quoted_escapes_quotes_and_backslashes():
    assert quoted('say "hi" \\N') == '"say \\"hi\\" \\\\\\\\N"'
    assert quoted("a\nb") == '"a\\nb"'


def test_dot_text_has_no_raw_user_markup():
    process = hostile_process()
    text = to_dot(build(process, analyze(process)))
    # Outside DOT's quoted strings (shown as text by Graphviz) no markup from a name remains.
    unquoted = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    assert "<script>" not in unquoted
    assert "</text>" not in unquoted
    assert "<b>bold" not in unquoted
    # Every node statement is one of ours: no node was injected by a name.
    names = set(re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*) \[", text, re.MULTILINE))
    assert "evil" not in names and "x" not in names


@needs_dot
def test_svg_shows_hostile_names_as_written_and_injects_nothing():
    process = hostile_process()
    svg = render(process, analyze(process), "svg").data
    tree = etree.fromstring(svg)  # well-formed XML
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert tree.xpath("//svg:script", namespaces=ns) == []
    assert tree.xpath("//*[local-name()='script']") == []
    assert not any(
        attr.startswith("on") for el in tree.iter() if isinstance(el.tag, str) for attr in el.attrib
    )
    # Each step is one node; names are drawn as written (text split over wrapped lines).
    steps = tree.xpath("//svg:g[@class='node'][starts-with(@id, 's')]", namespaces=ns)
    assert len(steps) == len(process.steps)
    text = " ".join(t.strip() for t in tree.xpath("//svg:text/text()", namespaces=ns))
    squeezed = re.sub(r"\s+", "", text)
    for name in HOSTILE_NAMES[1:10]:
        for word in name.split():
            assert re.sub(r"\s+", "", word) in squeezed, word
    assert "\\N" in text and "\\G" in text  # backslash escapes are not interpreted


@needs_dot
def test_html_report_escapes_every_name():
    from flowmap.render.html_report import report

    process = hostile_process()
    page = report(analyze(process), options=RenderOptions())
    assert page.count("<script") == 1  # ours, at the end
    assert "alert(1)</script>" not in page
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in page
