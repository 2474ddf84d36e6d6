"""How fast `flowmap lsp` answers an edit: from the edit sent to its diagnostics received.

    python benchmarks/bench_lsp.py                  # 500 steps, 30 edits
    python benchmarks/bench_lsp.py --steps 2000 --edits 10

A scripted client (pygls's own, over standard input and output, as an editor talks) opens a
synthetic process, then changes one step's name at a time, as a person types, and times each
edit until the diagnostics of that version arrive: one edit at a time (a pause after each), and
bursts of five keystrokes 20 ms apart (timed from the last keystroke: the debounce checks the
burst once). The server's own figure (load and analysis, from its ``flowmap/status``) is printed
beside it, and the peer: ``flowmap analyze --no-cache`` of the same file as a whole process,
what a user waits for without the server after an edit (a changed file misses the cache).

Target (issue 13): a 500-step file gets its diagnostics within 100 ms of an edit (median).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, median, run_times
from synthetic import generate


async def session(path: Path, edits: int, burst: int, debounce: float | None) -> dict:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    arrived: dict[int, float] = {}
    server_ms: dict[int, tuple[float, float]] = {}
    event = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            event.set()

    @client.feature("flowmap/status")
    def _status(params) -> None:
        server_ms[params.version] = (params.milliseconds, params.cpu_milliseconds)

    await client.start_io(PYTHON, "-m", "flowmap", "lsp")
    options = {} if debounce is None else {"debounce": debounce}
    await client.initialize_async(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), initialization_options=options
        )
    )
    client.initialized(types.InitializedParams())
    uri = path.resolve().as_uri()
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    targets = [n for n, line in enumerate(lines) if "name: " in line and "id: s" in line]
    version = 1

    async def wait_for(wanted: int) -> float:
        while wanted not in arrived:
            event.clear()
            await asyncio.wait_for(event.wait(), 60)
        return arrived[wanted]

    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    await wait_for(1)
    single, bursts = [], []
    for n in range(edits):
        for keystroke in range(burst):
            line = targets[(n * 7) % len(targets)]
            where = lines[line].index("name: ") + 6
            version += 1
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        types.TextDocumentContentChangePartial(
                            range=types.Range(
                                start=types.Position(line=line, character=where),
                                end=types.Position(line=line, character=where),
                            ),
                            text="x",
                        )
                    ],
                )
            )
            if keystroke < burst - 1:
                await asyncio.sleep(0.02)
        done = await wait_for(version)
        (single if burst == 1 else bursts).append(done - sent)
        await asyncio.sleep(0.3)  # the person reads, then types again
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    inside = [server_ms[v] for v in server_ms if v > 1]
    return {
        "latency": single or bursts,
        "wall": [w for w, _ in inside],
        "cpu": [c for _, c in inside],
    }


def with_org_file(folder: Path, steps: int, people: int = 3000) -> Path:
    """The synthetic process with its organisation in a large ``*.org.yaml`` (as an HR import
    makes: every role of the 30 functions and ``people`` people), returning the process file."""
    text = generate(steps)
    org_part, rest = text.split("\nsteps:", 1)
    org_lines = org_part.split("\norganisation:", 1)[1].rstrip("\n").split("\n")
    roles = [
        (line.split("- id: ")[1].strip(), None)
        for line in org_lines
        if line.startswith("    - id: ")
    ]
    people_lines = ["  people:"] + [
        f"    - {{name: Person {n}, role: f{n % 30}.l{1 + n % 4}, id: p{n}}}" for n in range(people)
    ]
    org = folder / "company.org.yaml"
    org.write_text(
        "flowmap: 1\norganisation:" + "\n".join(org_lines) + "\n" + "\n".join(people_lines) + "\n",
        encoding="utf-8",
    )
    process = folder / f"with-org-{steps}.flow.yaml"
    process.write_text(
        f"flowmap: 1\nprocess: {{id: with-org}}\norganisation: {org.name}\nsteps:{rest}",
        encoding="utf-8",
    )
    assert roles  # the organisation was found in the generated text
    return process


def report(label: str, result: dict) -> float:
    times = [t * 1000 for t in result["latency"]]
    print(
        f"{label:<44} median {statistics.median(times):6.1f} ms   "
        f"p90 {sorted(times)[max(int(len(times) * 0.9) - 1, 0)]:6.1f}   "
        f"max {max(times):6.1f}   | server's load+analysis: "
        f"{statistics.median(result['wall']):5.1f} ms wall, "
        f"{statistics.median(result['cpu']):5.1f} ms CPU"
    )
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument(
        "--debounce",
        type=float,
        nargs="*",
        default=[0, 30],
        help="debounce settings to compare, in ms (the server's default: 30)",
    )
    args = parser.parse_args(argv)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {os.cpu_count()} cores, load average {load:.1f} (a busy machine inflates "
        "wall-clock times; the server's CPU time is not inflated)"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"synthetic-{args.steps}.flow.yaml"
        path.write_text(generate(args.steps), encoding="utf-8")
        print(
            f"flowmap lsp: {args.steps}-step process ({path.stat().st_size // 1024} KB), "
            f"{args.edits} edits each way; times from the edit sent to its diagnostics"
        )
        medians = {}
        for debounce in args.debounce:
            medians[debounce] = report(
                f"one edit at a time, debounce {debounce:g} ms",
                asyncio.run(session(path, args.edits, 1, debounce)),
            )
            report(
                f"bursts of 5 keys 20 ms apart, debounce {debounce:g} ms",
                asyncio.run(session(path, max(args.edits // 3, 3), 5, debounce)),
            )
        one = medians[args.debounce[-1]]
        org = with_org_file(Path(folder), args.steps)
        report(
            f"with a 3,000-person org file, debounce {args.debounce[-1]:g} ms",
            asyncio.run(session(org, args.edits, 1, args.debounce[-1])),
        )
        cli = run_times(
            [PYTHON, "-m", "flowmap", "analyze", str(path), "--exit-zero", "--no-cache"], runs=5
        )
        print(
            f"{'peer: flowmap analyze (whole process)':<40} median {median(cli) * 1000:6.1f} ms"
            f"   -> the server answers in {one / (median(cli) * 1000):.2f}x that time"
        )
        verdict = "ok" if one <= 100 else "SLOW"
        print(f"target: median within 100 ms of an edit at 500 steps: {verdict} ({one:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
