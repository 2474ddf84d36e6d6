"""The visual encoding, in one place: shapes, colours, line styles (shared by DOT and HTML).

Colours are the Okabe–Ito palette, safe for colour-blind readers. Nothing relies on colour alone:
a step's value is shown by its fill AND its border style (and a word under its name); a flow's
kind by colour AND dash pattern AND arrowhead; so a black-and-white print still reads.
"""

from __future__ import annotations

from flowmap.model import FlowKind, StepKind, Value

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000", "orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish_purple": "#CC79A7",
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
SHAPE_NAMES = {StepKind.task: "task (rounded box)", StepKind.decision: "decision (diamond)",
               StepKind.wait: "wait (hexagon)", StepKind.event: "event (ellipse)",
               StepKind.start: "start (bold ellipse)", StepKind.end: "end (double ellipse)",
               StepKind.subprocess: "subprocess (3-D box)"}
# Kinds that carry no value encoding (they are not work).
UNVALUED = (StepKind.start, StepKind.end, StepKind.event)

# Value -> fill (light tints that stay distinct in grey) and border style.
VALUE_STYLE: dict[Value | None, dict[str, str]] = {
    Value.customer: {"fill": "#BFE6D9", "border": "solid", "penwidth": "2.2",
                     "pen": "#006B4F", "word": "customer value", "css": "solid"},
    Value.business: {"fill": "#F7F1B0", "border": "dashed", "penwidth": "1.6",
                     "pen": "#6B6200", "word": "business need", "css": "dashed"},
    Value.none: {"fill": "#F4C7A9", "border": "dotted", "penwidth": "2.2",
                 "pen": "#8A3B00", "word": "no value", "css": "dotted"},
    None: {"fill": "#FFFFFF", "border": "solid", "penwidth": "1", "pen": "#8C8C8C",
           "word": "value not declared", "css": "solid"},
}

# Flow kind -> colour, Graphviz style, arrowhead, pen width.
FLOW_STYLE: dict[FlowKind, dict[str, str]] = {
    FlowKind.normal: {"color": "#4D4D4D", "style": "solid", "arrowhead": "normal",
                      "penwidth": "1.2"},
    FlowKind.exception: {"color": OKABE_ITO["vermillion"], "style": "dashed", "arrowhead": "vee",
                         "penwidth": "1.6"},
    FlowKind.escalation: {"color": OKABE_ITO["reddish_purple"], "style": "bold",
                          "arrowhead": "normalnormal", "penwidth": "2.4"},
    FlowKind.rework: {"color": OKABE_ITO["orange"], "style": "dotted", "arrowhead": "normal",
                      "penwidth": "2.2"},
    FlowKind.feedback: {"color": OKABE_ITO["blue"], "style": "dashed", "arrowhead": "empty",
                        "penwidth": "1.8"},
    FlowKind.information: {"color": OKABE_ITO["sky_blue"], "style": "dotted", "arrowhead": "odot",
                           "penwidth": "1.2"},
}
# A handoff between two functions is drawn as a double line (a pipe between departments).
CROSS_FUNCTION_WIDTH = "1.1"

# Findings: badge colours by severity, highlight colours by family.
SEVERITY_COLOUR = {"error": OKABE_ITO["vermillion"], "warning": OKABE_ITO["orange"],
                   "info": OKABE_ITO["sky_blue"]}
SEVERITY_TEXT = {"error": "#FFFFFF", "warning": "#000000", "info": "#000000"}
HIGHLIGHT = {"smokestack": OKABE_ITO["vermillion"], "service": OKABE_ITO["reddish_purple"],
             "value": OKABE_ITO["orange"], "customer": OKABE_ITO["blue"],
             "structure": "#7F7F7F"}
HIGHLIGHT_NAMES = {"smokestack": "chimney path (smokestack)",
                   "service": "problem pushed down to customer service",
                   "value": "non-value work", "customer": "customer finding",
                   "structure": "model structure"}

# Bands: the customer, front stage, back stage.
BAND_FILL = {"customer": "#EAF4FB", "front": "#F4F4F4", "back": "#ECECEC",
             "unassigned": "#FFFFFF"}
LANE_FILL = {"customer": "#EAF4FB", "front": "#FBFBFB", "back": "#F6F6F6",
             "unassigned": "#FFFFFF"}

# `render --diff`: what changed since the old version (outline colour AND a word in the step).
CHANGE = {"added": {"color": OKABE_ITO["blue"], "word": "NEW"},
          "changed": {"color": OKABE_ITO["vermillion"], "word": "CHANGED"}}
