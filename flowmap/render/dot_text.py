"""DOT syntax: the one place where text becomes DOT strings and HTML-like labels.

Every text from the process goes through :func:`html` (HTML-like labels) or :func:`quoted` (DOT
strings): quotes, ``<``, ``&``, backslashes, newlines, emoji and non-Latin scripts come out as
written, and nothing in a name can inject DOT, SVG or HTML. :func:`attr_list` writes an attribute
list from a dict, an :class:`HTML` value as ``<...>`` and any other through :func:`quoted`.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """Remove characters no XML document may hold (control characters, lone surrogates)."""
    return _CONTROL.sub("\ufffd", str(text)).replace("\r\n", "\n").replace("\r", "\n")


_PLAIN_HTML = re.compile(r'[^&<>"\'\\\n\r\t\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]*')


def html(text: str) -> str:
    """Text for an HTML-like label: XML-escaped; newlines become ``<BR/>``."""
    if type(text) is str and _PLAIN_HTML.fullmatch(text):  # nothing to escape
        return text
    escaped = (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\t", " ")
        # Graphviz reads \N, \G, \L... in labels (even HTML ones) as escapes: a
        # backslash is written twice so that it stays one backslash.
        .replace("\\", "&#92;&#92;")
    )
    return "<BR/>".join(escaped.split("\n"))


_PLAIN = re.compile(r'[^\\"\n\r\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]*')


def quoted(text: str) -> str:
    """A DOT double-quoted string whose content Graphviz shows exactly as ``text``."""
    if type(text) is str and _PLAIN.fullmatch(text):  # nothing to escape (most values)
        return f'"{text}"'
    # The DOT parser turns \\ into \, then Graphviz's escString reading turns \\ into \ again
    # (and \N into the node's name): a backslash is written four times to stay one.
    body = clean(text).replace("\\", "\\\\\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{body}"'


class HTML(str):
    """An HTML-like label built by this module from escaped pieces (written as ``<...>``)."""


def attr_list(values: dict[str, str]) -> str:
    """``[key="value", ...]``; empty values are left out (an empty label is kept)."""
    parts = []
    for key, value in values.items():
        if value == "" and key != "label":
            continue
        if isinstance(value, HTML):
            parts.append(f"{key}=<{value}>")
        else:
            parts.append(f"{key}={quoted(value)}")
    return "[" + ", ".join(parts) + "]"
