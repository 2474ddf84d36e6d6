"""SARIF 2.1.0 output (``--format sarif``), for GitHub code scanning and other SARIF viewers.

One run; ``tool.driver.rules`` holds every rule with its help text (the rule's documentation
page) and ``helpUri`` ``docs/rules/<CODE>.md``; each result points at the step or flow in its file
(``region.startLine``/``startColumn``) and carries ``partialFingerprints`` from
:attr:`Finding.fingerprint`, so code scanning tracks a finding across unrelated edits. Files that
could not be read are tool execution notifications.
"""

from __future__ import annotations

import contextlib
import json
import os
from urllib.parse import quote

from flowmap import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "flowmapFingerprint/v1"


def uri(path: str) -> str:
    """A relative URI for a file path (forward slashes, escaped)."""
    text = path
    if os.path.isabs(text):
        with contextlib.suppress(ValueError):  # another drive on Windows
            text = os.path.relpath(text)
    return quote(text.replace(os.sep, "/"), safe="/._-~")


def _rule(rule) -> dict:
    from flowmap.rules.docs import page

    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.why},
        "help": {"text": rule.doc(), "markdown": page(rule)},
        "helpUri": f"docs/rules/{rule.code}.md",
        "defaultConfiguration": {"level": LEVEL[rule.severity.value]},
        "properties": {
            "tags": ["flowmap", rule.family.value],
            "family": rule.family.value,
            "fixable": rule.fixable,
        },
    }


def _region(line: int, column: int) -> dict | None:
    if line < 1:
        return None
    region = {"startLine": line}
    if column >= 1:
        region["startColumn"] = column
    return region


def _location(path: str, line: int, column: int) -> dict:
    physical: dict = {"artifactLocation": {"uri": uri(path)}}
    region = _region(line, column)
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(finding, index: dict[str, int], fallback_path: str) -> dict:
    loc = finding.location
    location = _location(loc.path or fallback_path, loc.line, loc.column)
    if finding.elements:
        location["logicalLocations"] = [
            {"name": element, "kind": "member"} for element in finding.elements[:1]
        ]
    result = {
        "ruleId": finding.code,
        "level": LEVEL[finding.severity.value],
        "message": {"text": f"{finding.message.rstrip('.')}. Fix: {finding.suggestion}"},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "name": finding.name,
            "family": finding.family.value,
            "elements": list(finding.elements),
        },
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    return result


def document(results, errors, config=None) -> dict:
    from flowmap.rules import all_rules

    rules = list(all_rules())
    index = {rule.code: i for i, rule in enumerate(rules)}
    notifications = []
    for problem in errors:
        loc = problem.location
        notifications.append(
            {
                "level": "error" if problem.severity == "error" else "warning",
                "message": {
                    "text": problem.message + (f" ({problem.hint})" if problem.hint else "")
                },
                "locations": [_location(loc.path, loc.line, loc.column)],
                "descriptor": {"id": problem.code or "invalid"},
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "flowmap",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://github.com/flowmap/flowmap",
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "results": [_result(f, index, a.path) for a in results for f in a.findings],
        "invocations": [
            {"executionSuccessful": not errors, "toolExecutionNotifications": notifications}
        ],
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def report(results, errors, config=None) -> str:
    return json.dumps(document(results, errors, config), indent=2, ensure_ascii=False) + "\n"
