"""JUnit XML (``--format junit``), for CI systems that show test reports.

A ``testsuite`` per file; in it a ``testcase`` per finding (a ``failure``, or ``skipped`` for
info findings) and a passing ``testcase`` per selected rule that found nothing. A file that could
not be read is a testsuite with one ``error``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("?", str(text))


def _selected(config):
    from flowmap.analysis import selected_rules
    from flowmap.config import Config
    from flowmap.errors import UsageError

    try:
        return selected_rules(config or Config())
    except UsageError:  # a bad selector was already reported by analyze
        return []


def report(results, errors, config=None) -> str:
    rules = _selected(config)
    root = ET.Element("testsuites", name="flowmap")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for result in results:
        path = result.path or result.process.id
        suite = ET.SubElement(root, "testsuite", name=_clean(path))
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        reported = set()
        for f in result.findings:
            reported.add(f.code)
            where = f"{f.location.path or path}:{f.location.line}:{f.location.column}"
            case = ET.SubElement(
                suite,
                "testcase",
                classname=_clean(path),
                name=_clean(f"{f.code} {f.name}: {', '.join(f.elements[:3])}"),
                file=_clean(f.location.path or path),
                line=str(f.location.line),
            )
            counts["tests"] += 1
            body = _clean(
                f"{where}\n{f.message}\nwhy: {f.why}\nfix: {f.suggestion}\n"
                f"fingerprint: {f.fingerprint}"
            )
            if f.severity.value == "info":
                ET.SubElement(case, "skipped", message=_clean(f.message)).text = body
                counts["skipped"] += 1
            else:
                failure = ET.SubElement(
                    case, "failure", message=_clean(f.message), type=f.severity.value
                )
                failure.text = body
                counts["failures"] += 1
        for rule in rules:
            if rule.code not in reported:
                ET.SubElement(
                    suite, "testcase", classname=_clean(path), name=f"{rule.code} {rule.name}"
                )
                counts["tests"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    by_file: dict[str, list] = {}
    for problem in errors:
        by_file.setdefault(problem.location.path, []).append(problem)
    for path, problems in by_file.items():
        suite = ET.SubElement(
            root, "testsuite", name=_clean(path), tests="1", failures="0", errors="1", skipped="0"
        )
        case = ET.SubElement(suite, "testcase", classname=_clean(path), name="load")
        error = ET.SubElement(case, "error", message=_clean(problems[0].message), type="load")
        error.text = _clean("\n".join(str(p) for p in problems))
        totals["tests"] += 1
        totals["errors"] += 1
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
