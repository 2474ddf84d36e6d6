"""The visual encoding, in one place: shapes, colours, line styles (shared by DOT and HTML).

Colours come from the Okabe–Ito palette, safe for colour-blind readers, and nothing relies on
colour alone: a step's value is shown by its fill AND its border pattern (and a word under its
name); a flow's kind by its line pattern and arrowhead; a finding's severity by the letter and
outline of its badge (and a word in the list), its family by the badge's hue. Where two entries of
the key differ only by colour, their greys differ too (tested under greyscale and simulated
deuteranopia and protanopia).
"""

from __future__ import annotations

from flowmap.model import FlowKind, StepKind, Value

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

FONT = "Helvetica,Arial,sans-serif"
INK = "#1A1A1A"
MUTED = "#5A5A5A"

# Step kind -> Graphviz node attributes (shape first).
SHAPES: dict[StepKind, dict[str, str]] = {
    StepKind.task: {"shape": "box", "style": "rounded"},
    StepKind.decision: {"shape": "diamond", "style": ""},
    StepKind.wait: {"shape": "hexagon", "style": ""},
    StepKind.event: {"shape": "ellipse", "style": ""},
    StepKind.start: {"shape": "ellipse", "style": "", "penwidth": "2.5"},
    StepKind.end: {"shape": "ellipse", "style": "", "peripheries": "2"},
    StepKind.subprocess: {"shape": "box3d", "style": ""},
}
SHAPE_NAMES = {
    StepKind.task: "task (rounded box)",
    StepKind.decision: "decision (diamond)",
    StepKind.wait: "wait (hexagon)",
    StepKind.event: "event (ellipse)",
    StepKind.start: "start (bold ellipse)",
    StepKind.end: "end (double ellipse)",
    StepKind.subprocess: "subprocess (3-D box)",
}
# Kinds that carry no value encoding (they are not work).
UNVALUED = (StepKind.start, StepKind.end, StepKind.event)

# Value -> fill (light tints whose greys stay apart) and border pattern.
VALUE_STYLE: dict[Value | None, dict[str, str]] = {
    Value.customer: {
        "fill": "#A9DDC9",
        "border": "solid",
        "penwidth": "2.4",
        "pen": "#006B4F",
        "word": "customer value",
        "css": "solid",
    },
    Value.business: {
        "fill": "#F7F1B0",
        "border": "dashed",
        "penwidth": "1.8",
        "pen": "#6B6200",
        "word": "business need",
        "css": "dashed",
    },
    Value.none: {
        "fill": "#D9CFC9",
        "border": "dotted",
        "penwidth": "2.4",
        "pen": "#3D3D3D",
        "word": "no value",
        "css": "dotted",
    },
    None: {
        "fill": "#FFFFFF",
        "border": "solid",
        "penwidth": "1",
        "pen": "#8C8C8C",
        "word": "value not declared",
        "css": "solid",
    },
}

# Flow kind -> colour, Graphviz style, arrowhead, pen width. Each kind differs from the others by
# its line pattern or arrowhead, not by colour alone. Rework is dashed, heavy and ends in a box, so
# that it never looks like the dotted border of a step that adds no value; Graphviz draws the
# dashes itself, so they show alike in SVG, PDF and PNG.
FLOW_STYLE: dict[FlowKind, dict[str, str]] = {
    FlowKind.normal: {
        "color": "#4D4D4D",
        "style": "solid",
        "arrowhead": "normal",
        "penwidth": "1.4",
    },
    FlowKind.exception: {
        "color": "#8A3B00",
        "style": "dashed",
        "arrowhead": "vee",
        "penwidth": "1.8",
    },
    FlowKind.escalation: {
        "color": "#7A3A63",
        "style": "bold",
        "arrowhead": "normalnormal",
        "penwidth": "2.6",
    },
    FlowKind.rework: {"color": "#9A6A00", "style": "dashed", "arrowhead": "box", "penwidth": "2.4"},
    FlowKind.feedback: {
        "color": OKABE_ITO["blue"],
        "style": "dashed",
        "arrowhead": "empty",
        "penwidth": "1.8",
    },
    FlowKind.information: {
        "color": "#3A8FC4",
        "style": "dotted",
        "arrowhead": "odot",
        "penwidth": "1.4",
    },
}
# A handoff between two functions is drawn as a double line (a pipe between departments).
CROSS_FUNCTION_WIDTH = "1.2"

# Findings. One hue per family (badges and lit paths); severity by the badge's letter and shape.
# Okabe-Ito hues, lightened or darkened so that their greys stay 12 CIELAB units apart and
# they stay apart for deuteranopes and protanopes (tests/render/test_colour_blind.py).
FAMILY_COLOUR = {
    "smokestack": "#B84300",
    "service": OKABE_ITO["reddish_purple"],
    "value": OKABE_ITO["yellow"],
    "customer": "#7CC4EE",
    "structure": "#444444",
}
FAMILY_NAMES = {
    "smokestack": "smokestack (SMK)",
    "service": "service dumping (SRV)",
    "value": "value (VAL)",
    "customer": "customer (CX)",
    "structure": "model structure (STR)",
}
SEVERITY_LETTER = {"error": "E", "warning": "W", "info": "i"}
# The badge's outline: an error is a square with a heavy border, a warning a rounded box, a
# piece of information a rounded box with a thin border.
SEVERITY_BADGE = {
    "error": {"style": "", "border": "2"},
    "warning": {"style": "rounded", "border": "1"},
    "info": {"style": "rounded", "border": "1"},
}
HIGHLIGHT = FAMILY_COLOUR  # a lit path has its family's hue
HIGHLIGHT_NAMES = {
    "smokestack": "chimney path (smokestack), numbered like its finding",
    "service": "problem pushed down to customer service, numbered",
    "value": "non-value work",
    "customer": "customer finding",
    "structure": "model structure",
}


def ink_on(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill``."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "#FFFFFF"


# Bands: the customer, front stage, back stage.
BAND_FILL = {"customer": "#EAF4FB", "front": "#F4F4F4", "back": "#ECECEC", "unassigned": "#FFFFFF"}
LANE_FILL = {"customer": "#EAF4FB", "front": "#FBFBFB", "back": "#F6F6F6", "unassigned": "#FFFFFF"}

# `render --diff`: what changed since the old version (outline colour and pattern AND a word).
CHANGE = {
    "added": {"color": OKABE_ITO["bluish_green"], "word": "NEW", "style": "solid"},
    "changed": {"color": OKABE_ITO["blue"], "word": "CHANGED", "style": "dashed"},
}
