"""GitHub Actions workflow commands (``--format github``): one annotation per finding.

    ::warning file=processes/claims.flow.yaml,line=42,col=5,title=SMK001 chimney-handoff::...

Escaping follows GitHub's runner: in the message ``%``, CR and LF are percent-encoded; in
property values ``:`` and ``,`` are too.
"""

from __future__ import annotations

import re

from flowmap.formatting import clean

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    # hidden characters (a name's escape sequences) are shown as escapes first; CR and LF
    # keep the workflow command's own escape
    text = "".join(
        part if part in ("\r", "\n") else clean(part) for part in re.split(r"(\r|\n)", text)
    )
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(
    level: str, message: str, *, file: str = "", line: int = 0, col: int = 0, title: str = ""
) -> str:
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
    if line > 0:
        props.append(f"line={line}")
        if col > 0:
            props.append(f"col={col}")
    if title:
        props.append(f"title={escape_property(title)}")
    head = f"::{level}" + (" " + ",".join(props) if props else "")
    return f"{head}::{escape_data(message)}"


def report(results, errors, config=None) -> str:
    lines: list[str] = []
    for result in results:
        for f in result.findings:
            loc = f.location
            lines.append(
                command(
                    LEVEL[f.severity.value],
                    f"{f.message.rstrip('.')}. Fix: {f.suggestion}",
                    file=loc.path or result.path,
                    line=loc.line,
                    col=loc.column,
                    title=f"{f.code} {f.name}",
                )
            )
        for s in result.unused_suppressions:
            where = (
                result.process.locate("step", s.element)
                if s.element
                else result.process.locate("process")
            )
            lines.append(
                command(
                    "notice",
                    f"unused suppression: ignore {s.code} on "
                    f"{s.element or 'the process'} (no such finding)",
                    file=where.path or result.path,
                    line=where.line,
                    col=where.column,
                    title="flowmap unused suppression",
                )
            )
    for problem in errors:
        loc = problem.location
        message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
        lines.append(
            command(
                "error" if problem.severity == "error" else "warning",
                message,
                file=loc.path,
                line=loc.line,
                col=loc.column,
                title=f"flowmap {problem.code}",
            )
        )
    total = sum(len(r.findings) for r in results)
    lines.append(
        f"flowmap: {total} finding{'s' if total != 1 else ''} in {len(results)} "
        f"file{'s' if len(results) != 1 else ''}"
        + (f", {len(errors)} problem(s) reading files" if errors else "")
    )
    return "\n".join(lines) + "\n"
