"""Paper sizes: one table for the configuration (``paper = "A3"``), the command line
(``flowmap render --paper``) and the renderer (:mod:`flowmap.render.page`, which fits drawings
on these sheets).
"""

from __future__ import annotations

from flowmap.errors import UsageError

# Portrait width and height in inches.
PAPER: dict[str, tuple[float, float]] = {
    "A4": (8.27, 11.69),
    "A3": (11.69, 16.54),
    "A2": (16.54, 23.39),
    "A1": (23.39, 33.11),
    "A0": (33.11, 46.81),
    "letter": (8.5, 11.0),
    "tabloid": (11.0, 17.0),
}
# From small to large, for proposing the next size.
ORDER = ("A4", "letter", "A3", "tabloid", "A2", "A1", "A0")


def paper_name(name: str) -> str:
    """The paper's name as the table spells it (``a3`` -> ``A3``), or a clear error."""
    for known in PAPER:
        if known.lower() == name.strip().lower():
            return known
    raise UsageError(f"unknown paper size {name!r}; use one of {', '.join(PAPER)}")
