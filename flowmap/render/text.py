"""How a name breaks into the lines of a box: by characters, wide (CJK) ones counting twice.

Used by every drawing stage (placement measures the lines, DOT writes them, tables and panels
wrap their sentences the same way).
"""

from __future__ import annotations

import functools
import unicodedata


def text_cells(text: str) -> int:
    """Width of ``text`` in 'narrow character' units: wide (CJK) characters count twice."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def wrap(text: str, width: int = 22, max_lines: int = 4) -> list[str]:
    """Wrap a name into short lines for a box; very long words are cut; wide characters count
    double; lines written by the user (newlines) are kept; too many lines end with '…'."""
    return list(_wrapped(text, width, max_lines))


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, width: int, max_lines: int) -> tuple[str, ...]:
    # Kept: placement measures a name's lines and DOT writes them, on every strip and page.
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            while text_cells(word) > width:  # cut a word longer than a line
                room = width - text_cells(current) - (1 if current else 0)
                if room < 4:
                    lines.append(current)
                    current, room = "", width
                head, word = _cut(word, room)
                lines.append(f"{current} {head}".strip())
                current = ""
            if not current:
                current = word
            elif text_cells(current) + 1 + text_cells(word) <= width:
                current = f"{current} {word}"
            else:
                lines.append(current)
                current = word
        lines.append(current)
    lines = [line for line in lines if line] or [""]
    # A lone "?" (or other closing mark) goes back to the end of the line before it.
    for i in range(len(lines) - 1, 0, -1):
        if len(lines[i]) <= 2 and not any(ch.isalnum() for ch in lines[i]):
            lines[i - 1] += ("" if lines[i - 1].endswith(" ") else " ") + lines[i]
            del lines[i]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _cut(lines[-1], width - 1)[0] + "…"
    return tuple(lines)


def _cut(word: str, room: int) -> tuple[str, str]:
    used = 0
    for i, ch in enumerate(word):
        used += text_cells(ch)
        if used > room:
            i = max(i, 1)  # always at least one character: a line too narrow still ends
            return word[:i], word[i:]
    return word, ""
