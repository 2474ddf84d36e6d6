"""Ids loaders make: readable ids from names (BPMN lanes, event-log resources), and ids from other
formats made to fit flowmap's pattern."""

from __future__ import annotations

import re
import unicodedata

from flowmap.inference.matcher import LETTERS

_LETTERS = str.maketrans(LETTERS)

_ID_BAD = re.compile(r"[^A-Za-z0-9_.-]+")


def slug(text: str, limit: int = 60) -> str:
    """A readable flowmap id from a name: 'Head of Sales' -> 'head-of-sales'."""
    ascii_text = (
        unicodedata.normalize("NFKD", (text or "").translate(_LETTERS))
        .encode("ascii", "ignore")
        .decode()
    )
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    if out and not out[0].isalpha():
        out = f"n{out}"
    return out


def sanitise_id(raw: str, limit: int = 200, dots: bool = False) -> str:
    """``raw`` made to fit flowmap's id pattern (letters, digits, '-', '_', and for step ids
    '.'; no leading digit)."""
    out = unicodedata.normalize("NFKD", raw.translate(_LETTERS)).encode("ascii", "ignore").decode()
    out = _ID_BAD.sub("_", out) or "id"
    if not dots:
        out = out.replace(".", "_")
    if not (out[0].isalpha() or out[0] == "_"):
        out = f"_{out}"
    return out[:limit]
