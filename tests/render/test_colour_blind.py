"""The encoding survives greyscale and colour blindness.

Each process is rendered; the colours and patterns of every sample the key shows are read out of
the SVG; every two entries of one group of the key that have the same pattern (line dashes, pen
widths, shapes) must stay apart in colour by at least :data:`MIN_DELTA_E` CIELAB units after
conversion to greyscale and after simulated deuteranopia and protanopia (the severity-1.0
matrices of Machado, Oliveira & Fernandes, "A Physiologically-based Model for Simulation of Color
Vision Deficiency", IEEE TVCG 15(6), 2009, applied in linear RGB).
"""

from __future__ import annotations

import itertools
import re

import pytest
from lxml import etree

from flowmap.analysis import analyze
from flowmap.loaders import load_any
from flowmap.render import RenderOptions, render
from tests.render.conftest import needs_dot, process_files

FILES = process_files()
MIN_DELTA_E = 12.0
MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}
NAMED = {"black": "#000000", "white": "#ffffff"}
SVG = "{http://www.w3.org/2000/svg}"


def _linear(hex_colour: str) -> tuple[float, float, float]:
    values = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in values)


def _lab(rgb) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def seen(hex_colour: str, vision: str):
    rgb = _linear(hex_colour)
    if vision == "greyscale":
        y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
        return _lab((y, y, y))
    m = MACHADO[vision]
    return _lab(
        tuple(min(1.0, max(0.0, sum(m[r][k] * rgb[k] for k in range(3)))) for r in range(3))
    )


def delta_e(a: str, b: str, vision: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(seen(a, vision), seen(b, vision), strict=True)) ** 0.5


def _colour(value: str | None) -> str | None:
    if not value or value in ("none", "transparent"):
        return None
    value = NAMED.get(value, value)
    return value.lower() if re.fullmatch(r"#[0-9a-fA-F]{6}", value) else None


def key_samples(svg: bytes) -> dict[str, tuple[tuple, list[str]]]:
    """Key sample id -> (its pattern: shapes, dashes, pen widths; its colours, in order)."""
    root = etree.fromstring(svg)
    samples = {}
    for group in root.iter(f"{SVG}g"):
        name = group.get("id", "")
        if not re.fullmatch(r"key-[a-z]+-\d+", name):
            continue
        pattern, colours = [], []
        for shape in group.iter(f"{SVG}path", f"{SVG}polygon", f"{SVG}ellipse", f"{SVG}polyline"):
            pattern.append(
                (
                    etree.QName(shape).localname,
                    shape.get("stroke-dasharray", ""),
                    shape.get("stroke-width", "1"),
                    len((shape.get("points") or shape.get("d") or "").split()),
                )
            )
            colours += [c for c in (_colour(shape.get("fill")), _colour(shape.get("stroke"))) if c]
        classes = group.get("class", "")
        samples[name] = ((classes, tuple(pattern)), colours)
    return samples


@needs_dot
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_key_entries_stay_apart_in_grey_and_for_colour_blind_readers(path):
    process = load_any(path)
    svg = render(process, analyze(process), "svg").data
    samples = key_samples(svg)
    assert any(k.startswith("key-flow") for k in samples) and any(
        k.startswith("key-value") for k in samples
    )
    groups: dict[str, list[str]] = {}
    for name in samples:
        groups.setdefault(name.rsplit("-", 1)[0], []).append(name)
    checked = set()
    for names in groups.values():
        for a, b in itertools.combinations(names, 2):
            (pattern_a, colours_a), (pattern_b, colours_b) = samples[a], samples[b]
            if pattern_a != pattern_b or len(colours_a) != len(colours_b):
                continue  # told apart by their pattern, whatever their colours
            checked.add((a, b))
            for vision in ("greyscale", "deuteranopia", "protanopia"):
                apart = max(
                    (delta_e(x, y, vision) for x, y in zip(colours_a, colours_b, strict=True)),
                    default=0,
                )
                assert apart >= MIN_DELTA_E, f"{a} and {b} look alike in {vision} ({apart:.1f})"
    # Finding families and lit paths differ by hue alone, by design: all of them were compared.
    for group in ("key-family", "key-path"):
        names = groups.get(group, [])
        assert set(itertools.combinations(names, 2)) <= checked


def test_the_simulation_separates_what_it_should_and_not_what_it_should_not():
    # Red and green, far apart for normal vision, become close for a deuteranope.
    assert delta_e("#d55e00", "#009e73", "deuteranopia") < delta_e(
        "#d55e00", "#0072b2", "deuteranopia"
    )
    assert delta_e("#777777", "#777777", "greyscale") == 0
    assert delta_e("#000000", "#ffffff", "greyscale") > 99


@needs_dot
def test_the_key_lists_only_what_is_drawn():
    process = load_any(FILES[0])
    analysis = analyze(process)
    bare = key_samples(render(process, analysis, "svg", RenderOptions(findings="none")).data)
    assert bare and not [k for k in bare if k.startswith(("key-badge", "key-family", "key-path"))]
    full = key_samples(render(process, analysis, "svg").data)
    assert [k for k in full if k.startswith("key-family")]
    from flowmap.diff import element_changes

    steps = list(process.steps)
    steps[1] = steps[1].model_copy(update={"name": steps[1].name + " (renamed)"})
    changed = process.model_copy(update={"steps": steps})
    diff = render(
        changed, analysis, "svg", RenderOptions(changes=element_changes(process, changed))
    ).data
    assert [k for k in key_samples(diff) if k.startswith("key-change")]
    assert b"CHANGED since the old version" in diff
