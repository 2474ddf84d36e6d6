"""Regenerate the corpus table of ``docs/bpmn.md``: what flowmap reads from each BPMN file.

    python docs/bpmn_table.py            # rewrite the table between the markers in docs/bpmn.md
    python docs/bpmn_table.py --print    # print it instead

For every file of ``../shared/corpus/bpmn`` (see its SOURCES.md) it imports the file, runs the
analysis with the default configuration and writes one row: BPMN processes and pools, the
functions, roles and steps flowmap found, customer steps, flows, warnings, and findings (or the
reason the file is refused).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bpmn"
DOC = ROOT / "docs" / "bpmn.md"
START, END = "<!-- corpus-table:start -->", "<!-- corpus-table:end -->"


def _count(path: Path, local: str) -> int:
    from flowmap.errors import LoadError
    from flowmap.loaders.bpmn.xml import MODEL_NS, parse

    try:
        root = parse(path).root
    except LoadError:  # refused files get no count
        return 0
    return sum(1 for ns in MODEL_NS for _ in root.iter(f"{{{ns}}}{local}"))


def rows() -> list[str]:
    from flowmap.analysis import analyze
    from flowmap.config import Config
    from flowmap.errors import LoadError
    from flowmap.loaders.bpmn import load_bpmn

    out = [
        (
            "| file | BPMN processes | pools | functions | roles | steps | customer steps | "
            "flows | warnings | findings |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for path in sorted(CORPUS.glob("*.bpmn")):
        warnings: list = []
        name = f"`{path.name}`"
        try:
            process = load_bpmn(path, warnings=warnings)
        except LoadError as exc:
            reason = exc.problems[0].message.replace("|", "\\|")
            out.append(f"| {name} | | | | | | | | refused: {reason} | |")
            continue
        functions = process.organisation.functions
        findings = Counter(f.code for f in analyze(process, Config()).findings)
        found = ", ".join(f"{code} {n}" for code, n in sorted(findings.items())) or "none"
        codes = Counter(w.code for w in warnings)
        warned = (
            ", ".join(f"{code}" + (f" ×{n}" if n > 1 else "") for code, n in sorted(codes.items()))
            or "none"
        )
        out.append(
            f"| {name} | {_count(path, 'process')} | {_count(path, 'participant')} | "
            f"{len(functions)} | {sum(len(f.roles) for f in functions)} | {len(process.steps)} | "
            f"{sum(s.is_customer for s in process.steps)} | {len(process.flows)} | {warned} | "
            f"{found} |"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--print", action="store_true", help="print the table")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    table = "\n".join(rows())
    if args.print:
        print(table)
        return
    text = DOC.read_text(encoding="utf-8")
    if START not in text or END not in text:
        sys.exit(f"{DOC} lacks the markers {START} and {END}")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    from flowmap.writers import write_atomic

    write_atomic(DOC, f"{head}{START}\n{table}\n{END}{tail}")
    print(f"updated {DOC.relative_to(ROOT)} ({table.count(chr(10)) - 1} files)")


if __name__ == "__main__":
    main()
