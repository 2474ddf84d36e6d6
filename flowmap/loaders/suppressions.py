"""Suppression comments in process files: ``# flowmap: ignore[SMK001] reason``.

Written at the end of the line where a step or flow starts, or on the line(s) directly above
it; several codes may be given (``ignore[SMK001, VAL002]``). A cheap line scan, not a YAML parse,
done by the YAML loader on the text it has read (the analysis reads no file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = "flowmap:"
_COMMENT = re.compile(r"(?:^|\s)#\s*flowmap:\s*ignore\[([^\]]*)\]\s*(.*?)\s*$")
_CODE = re.compile(r"^[A-Za-z]+[0-9]+$")


@dataclass(frozen=True)
class CommentSuppression:
    line: int  # where the comment is (1-based)
    target_line: int  # the line of the element it applies to
    codes: tuple[str, ...]
    reason: str


def scan(text: str) -> list[CommentSuppression]:
    """Every suppression comment of a text, with the line of the element it applies to."""
    if MARKER not in text:
        return []
    lines = text.splitlines()
    found: list[CommentSuppression] = []
    for number, line in enumerate(lines, start=1):
        if MARKER not in line:
            continue
        match = _COMMENT.search(line)
        if match is None:
            continue
        codes = tuple(c.strip().upper() for c in match.group(1).split(",") if c.strip())
        target = number
        if line[: match.start()].strip() == "" and line.lstrip().startswith("#"):
            # a full-line comment: it applies to the next line that is not a comment
            target = number + 1
            while target <= len(lines) and lines[target - 1].lstrip().startswith("#"):
                target += 1
        found.append(CommentSuppression(number, target, codes, match.group(2)))
    return found


def for_process(process) -> dict[tuple[str, str], str]:
    """``{(element id, CODE): reason}`` from the comments of the file a process was read from.

    Only steps and flows written in that file count (their recorded start lines)."""
    path = process.path
    comments = process._comments
    if not comments:
        return {}
    by_line: dict[int, str] = {}
    for kind, items in (("step", process.steps), ("flow", process.flows)):
        for item in items:
            loc = process._locations.get(f"{kind}:{item.id}")
            if loc is not None and loc.path == path and loc.line:
                by_line.setdefault(loc.line, item.id)
    out: dict[tuple[str, str], str] = {}
    for comment in comments:
        element = by_line.get(comment.target_line)
        if element is None:
            continue
        for code in comment.codes:
            out[(element, code)] = comment.reason
    return out


def stray(process) -> list[CommentSuppression]:
    """Suppression comments that are next to no step or flow (reported as unused)."""
    path = process.path
    comments = process._comments
    if not comments:
        return []
    lines = {
        loc.line
        for key, loc in process._locations.items()
        if key.startswith(("step:", "flow:")) and loc.path == path
    }
    return [c for c in comments if c.target_line not in lines]
