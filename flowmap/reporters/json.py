"""JSON output (``--format json``), versioned. Documented in docs/output.md.

{"version": 1, "tool": {"name": "flowmap", "version": "..."},
 "files": [{"path", "process", "findings": [...], "metrics", "maturity", ...}],
 "errors": [{"path", "line", "column", "severity", "code", "message", "hint", "element"}],
 "summary": {"files", "findings", "by_severity", "errors"}}
"""

from __future__ import annotations

import json
from collections import Counter

from flowmap import __version__

SCHEMA_VERSION = 1


def report(results, errors, config=None) -> str:
    severities = Counter(f.severity.value for r in results for f in r.findings)
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "flowmap", "version": __version__},
        "files": [r.as_dict() for r in results],
        "errors": [p.as_dict() for p in errors],
        "summary": {
            "files": len(results) + len({p.location.path for p in errors}),
            "findings": sum(severities.values()),
            "by_severity": dict(sorted(severities.items())),
            "errors": len(errors),
        },
    }
    return dumps(document) + "\n"


def dumps(value) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False)``, the same text,
    faster on large reports: the standard library writes indented JSON in pure Python, one
    generator step per piece; here each string is written by the C encoder json.dumps uses and
    each container by one join."""
    return _encode(value, "\n")


_STRING = json.encoder.encode_basestring  # the C function json.dumps uses (ensure_ascii=False)
_SCALAR = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def _encode(value, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        return (
            "{"
            + inner
            + ("," + inner).join(
                [
                    (_STRING(k) if isinstance(k, str) else _SCALAR(_key(k)))
                    + ": "
                    + (_STRING(v) if type(v) is str else _encode(v, inner))
                    for k, v in value.items()
                ]
            )
            + newline
            + "}"
        )
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        return (
            "["
            + inner
            + ("," + inner).join(
                [_STRING(v) if type(v) is str else _encode(v, inner) for v in value]
            )
            + newline
            + "]"
        )
    if kind is int:
        return int.__repr__(value)
    if isinstance(value, str):  # a str subclass (an enum): its text
        return _STRING(value)
    if isinstance(value, dict | list | tuple):
        return _encode(dict(value) if isinstance(value, dict) else list(value), newline)
    # other numbers, true, false, null; NaN and what JSON cannot hold are refused as by
    # json.dumps
    return _SCALAR(value)


def _key(key) -> str:
    if isinstance(key, float):
        return _SCALAR(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def report_diff(
    diffs: list,
    *,
    structure: bool = True,
    title: str = "",
    words: tuple[str, str] = ("introduced", "resolved"),
) -> str:
    """Semantic diffs (:class:`~flowmap.diff.ProcessDiff`) as versioned JSON; the wording
    arguments are for the formats a person reads."""
    document = {
        "version": SCHEMA_VERSION,
        "tool": {"name": "flowmap", "version": __version__},
        "diffs": [d.as_dict() for d in diffs],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
