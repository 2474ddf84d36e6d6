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
        "summary": {"files": len(results) + len({p.location.path for p in errors}),
                    "findings": sum(severities.values()),
                    "by_severity": dict(sorted(severities.items())),
                    "errors": len(errors)},
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
