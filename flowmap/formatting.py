"""How flowmap prints numbers for people: durations, shares and changes.

One style everywhere a person reads a number (reports, diffs, findings, diagrams):

>>> duration(90), duration(2880), duration(0.5), duration(0)
('1h 30m', '2d', '30s', '0m')
>>> share(0.253), share(None)
('25%', 'n/a')
>>> points(0.12), points(-0.004)
('+12 pts', '-0.4 pts')
>>> duration_delta(-45), duration_delta(90)
('-45m', '+1h 30m')

Durations are minutes of work time; a day is 24 hours (the calendar days of the process
format, see ``flowmap.model.parse_duration``). At most two units are shown, the largest first,
so a number stays short enough for a diagram label; under a minute is shown in seconds.

This is for reading, not for storing: the YAML writer keeps exact values.
"""

from __future__ import annotations

import math

__all__ = ["capital", "clean", "duration", "duration_delta", "points", "share", "xml_safe"]

# C0 and C1 control characters (escape sequences move the cursor, clear the screen, retitle the
# window), bidirectional overrides (they reorder what a reader sees) and line separators.
_HIDDEN = frozenset(
    [
        *range(32),
        *range(127, 160),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x2028,
        0x2029,
        0x200E,
        0x200F,
        0x061C,
    ]
)


def clean(text: object, *, lines: bool = False) -> str:
    r"""User text (a file name, a step name, a message quoting them) made safe for a terminal
    or a log: hidden characters are shown as escapes (``\x1b``), not sent.

    >>> clean("Approve\x1b[2J"), clean("ok")
    ('Approve\\x1b[2J', 'ok')
    """
    text = str(text)
    if lines:  # a message of several lines: keep the line breaks, clean each line
        return "\n".join(clean(line) for line in text.split("\n"))
    if text.isprintable():
        return text
    return "".join(ch if ord(ch) not in _HIDDEN else repr(ch)[1:-1] for ch in text)


# What XML 1.0 cannot hold at all: control characters but tab and line breaks, lone surrogates,
# and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = frozenset(
    [*range(9), 0x0B, 0x0C, *range(0x0E, 32), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
)


def xml_safe(text: str, replacement: str = "\ufffd") -> str:
    r"""User text made writable into XML (BPMN, JUnit): each character XML cannot hold becomes
    ``replacement`` (U+FFFD, the replacement character).

    >>> xml_safe("Log\x07 call") == "Log\ufffd call", xml_safe("ok\ttab") == "ok\ttab"
    (True, True)
    """
    if text.isprintable():  # the common case: nothing to look at
        return text
    return "".join(replacement if ord(ch) in _NOT_XML else ch for ch in text)


_UNITS = (("d", 1440), ("h", 60), ("m", 1))


def duration(minutes: float | None) -> str:
    """``90`` -> ``'1h 30m'``; ``2880`` -> ``'2d'``; ``0.5`` -> ``'30s'``; ``None`` -> ``'n/a'``."""
    if minutes is None or not math.isfinite(minutes):
        return "n/a"
    if minutes < 0:
        return "-" + duration(-minutes)
    if 0 < minutes < 1:
        return f"{max(1, round(minutes * 60))}s"
    left = round(minutes)
    if left == 0:
        return "0m"
    parts = []
    for unit, size in _UNITS:
        if left >= size:
            parts.append(f"{left // size}{unit}")
            left %= size
    return " ".join(parts[:2])


def duration_delta(minutes: float | None) -> str:
    """A signed change in duration: ``-45`` -> ``'-45m'``; ``90`` -> ``'+1h 30m'``."""
    if minutes is None or not math.isfinite(minutes):
        return "n/a"
    if minutes == 0:
        return "0m"
    return ("+" if minutes > 0 else "-") + duration(abs(minutes))


def share(fraction: float | None) -> str:
    """A fraction as a whole percentage: ``0.253`` -> ``'25%'``; ``None`` -> ``'n/a'``."""
    if fraction is None or not math.isfinite(fraction):
        return "n/a"
    return f"{fraction * 100:.0f}%"


def points(change: float | None) -> str:
    """A change in a share, in percentage points: ``0.12`` -> ``'+12 pts'``.

    Changes under one point keep one decimal so they do not print as ``+0 pts``.
    """
    if change is None or not math.isfinite(change):
        return "n/a"
    value = change * 100
    return f"{value:+.0f} pts" if abs(value) >= 1 or value == 0 else f"{value:+.1f} pts"


def capital(text: str) -> str:
    """``text`` as the start of a sentence: ``"the decision after 'X'"`` -> ``"The decision..."``
    (a quoted name keeps its case)."""
    return text[0].upper() + text[1:] if text else text
