"""flowmap's BPMN import + analysis against bpmnlint, on the same generated BPMN files.

    python benchmarks/bench_bpmn.py              # 50, 500, 5,000 and 20,000 tasks
    python benchmarks/bench_bpmn.py --sizes 50 500 --runs 3 --flowmap /path/to/venv/bin/flowmap

Each file is a collaboration as modelers write it: a customer pool and a company pool with
function lanes split into role lanes, a chain of tasks with an exclusive gateway every ten tasks,
message flows to the customer, and a diagram (DI) for every element. Both tools run as whole
processes on the same file: ``flowmap analyze FILE.bpmn`` and ``bpmnlint FILE.bpmn`` (Node.js,
recommended rules, from ``tests/bpmn/node``: ``npm ci --prefix tests/bpmn/node``). The script
runs the tools in turn, run by run (so that other work on the machine weighs on each alike), and
prints the median wall-clock and CPU time of each and the ratio flowmap / bpmnlint (below 1:
flowmap is faster), cold (``--no-cache``: the model read and every rule run) and warm (the same
command again, answered from the result cache), then the table of benchmarks/README.md. The floor under
a warm run is timed too: the console script pip writes starts Python and imports ``re`` before
flowmap's first line runs (``python -c "import re"`` with the script's own Python).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ENV, ROOT, median, row, run_times

NODE_DIR = ROOT / "tests" / "bpmn" / "node"
FUNCTIONS = ("Sales", "Customer service", "Finance", "Warehouse", "Billing")
ROLES = (("Clerk", 1), ("Team lead", 2), ("Manager", 3))


def generate(tasks: int) -> str:
    """A BPMN 2.0 file with ``tasks`` tasks (plus events and gateways), one element a line."""
    lanes = [(f, r) for f in range(len(FUNCTIONS)) for r in range(len(ROLES))]
    lane_h, col_w = 120, 150
    nodes: list[tuple[str, str, str, int, int]] = []  # id, tag, name, lane index, column
    flows: list[tuple[str, str, str]] = []
    col = 0
    nodes.append(("start", "startEvent", "Order received", 0, col))
    previous = "start"
    for i in range(tasks):
        col += 1
        lane = (i * 7) % len(lanes)
        ident = f"task_{i}"
        nodes.append((ident, "task", f"Handle item {i}", lane, col))
        flows.append((f"flow_{i}", previous, ident))
        previous = ident
        if i % 10 == 9 and i + 1 < tasks:
            col += 1
            gateway = f"gateway_{i}"
            nodes.append((gateway, "exclusiveGateway", f"Item {i} complete?", lane, col))
            flows.append((f"flow_g{i}", previous, gateway))
            flows.append((f"flow_r{i}", gateway, f"task_{i - 3}"))  # rework loop
            previous = gateway
    col += 1
    nodes.append(("end", "endEvent", "Order closed", len(lanes) - 1, col))
    flows.append(("flow_end", previous, "end"))
    width = (col + 2) * col_w

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
            'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
            'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
            'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="defs" '
            'targetNamespace="urn:bench">'
        ),
        '  <bpmn:collaboration id="collab">',
        '    <bpmn:participant id="customer" name="Customer" />',
        '    <bpmn:participant id="company" name="Acme" processRef="process" />',
        (
            '    <bpmn:messageFlow id="msg_in" name="Order" sourceRef="customer" '
            'targetRef="start" />'
        ),
        (
            '    <bpmn:messageFlow id="msg_out" name="Delivery" sourceRef="end" '
            'targetRef="customer" />'
        ),
        "  </bpmn:collaboration>",
        '  <bpmn:process id="process" isExecutable="false">',
        '    <bpmn:laneSet id="laneset">',
    ]
    members: dict[int, list[str]] = {}
    for ident, _, _, lane, _ in nodes:
        members.setdefault(lane, []).append(ident)
    for f, function in enumerate(FUNCTIONS):
        out.append(f'      <bpmn:lane id="lane_{f}" name="{function}">')
        out.append(f'        <bpmn:childLaneSet id="laneset_{f}">')
        for r, (role, _) in enumerate(ROLES):
            index = lanes.index((f, r))
            out.append(f'          <bpmn:lane id="lane_{f}_{r}" name="{function} {role}">')
            out += [
                f"            <bpmn:flowNodeRef>{m}</bpmn:flowNodeRef>"
                for m in members.get(index, [])
            ]
            out.append("          </bpmn:lane>")
        out.append("        </bpmn:childLaneSet>")
        out.append("      </bpmn:lane>")
    out.append("    </bpmn:laneSet>")
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for ident, source, target in flows:
        outgoing.setdefault(source, []).append(ident)
        incoming.setdefault(target, []).append(ident)
    for ident, tag, name, _, _ in nodes:
        out.append(f'    <bpmn:{tag} id="{ident}" name="{name}">')
        out += [f"      <bpmn:incoming>{f}</bpmn:incoming>" for f in incoming.get(ident, [])]
        out += [f"      <bpmn:outgoing>{f}</bpmn:outgoing>" for f in outgoing.get(ident, [])]
        out.append(f"    </bpmn:{tag}>")
    for ident, source, target in flows:
        out.append(
            f'    <bpmn:sequenceFlow id="{ident}" sourceRef="{source}" targetRef="{target}" />'
        )
    out.append("  </bpmn:process>")
    out.append('  <bpmndi:BPMNDiagram id="diagram">')
    out.append('    <bpmndi:BPMNPlane id="plane" bpmnElement="collab">')

    def shape(ident: str, x: float, y: float, w: float, h: float, extra: str = "") -> None:
        out.append(f'      <bpmndi:BPMNShape id="{ident}_di" bpmnElement="{ident}"{extra}>')
        out.append(
            f'        <dc:Bounds x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{h:.0f}" />'
        )
        out.append("      </bpmndi:BPMNShape>")

    shape("customer", 0, 0, width, 150, ' isHorizontal="true"')
    top = 200
    shape("company", 0, top, width, lane_h * len(lanes), ' isHorizontal="true"')
    for f in range(len(FUNCTIONS)):
        shape(
            f"lane_{f}",
            30,
            top + f * len(ROLES) * lane_h,
            width - 30,
            len(ROLES) * lane_h,
            ' isHorizontal="true"',
        )
        for r in range(len(ROLES)):
            shape(
                f"lane_{f}_{r}",
                60,
                top + (f * len(ROLES) + r) * lane_h,
                width - 60,
                lane_h,
                ' isHorizontal="true"',
            )
    centre: dict[str, tuple[float, float, float, float]] = {}
    for ident, tag, _, lane, column in nodes:
        w, h = (100, 80) if tag == "task" else (50, 50) if tag.endswith("Gateway") else (36, 36)
        x = 100 + column * col_w
        y = top + lane * lane_h + (lane_h - h) / 2
        centre[ident] = (x, y, w, h)
        shape(ident, x, y, w, h)
    for ident, source, target in flows:
        sx, sy, sw, sh = centre[source]
        tx, ty, _, th = centre[target]
        out.append(f'      <bpmndi:BPMNEdge id="{ident}_di" bpmnElement="{ident}">')
        for x, y in ((sx + sw, sy + sh / 2), (tx, ty + th / 2)):
            out.append(f'        <di:waypoint x="{x:.0f}" y="{y:.0f}" />')
        out.append("      </bpmndi:BPMNEdge>")
    for ident, (x, _, w, _) in (("msg_in", centre["start"]), ("msg_out", centre["end"])):
        out.append(f'      <bpmndi:BPMNEdge id="{ident}_di" bpmnElement="{ident}">')
        out.append(f'        <di:waypoint x="{x + w / 2:.0f}" y="150" />')
        out.append(f'        <di:waypoint x="{x + w / 2:.0f}" y="{top + lane_h / 2:.0f}" />')
        out.append("      </bpmndi:BPMNEdge>")
    out += ["    </bpmndi:BPMNPlane>", "  </bpmndi:BPMNDiagram>", "</bpmn:definitions>", ""]
    return "\n".join(out)


def bpmnlint_command() -> list[str] | None:
    binary = NODE_DIR / "node_modules" / "bpmnlint" / "bin" / "bpmnlint.js"
    if shutil.which("node") is None or not binary.is_file():
        return None
    return ["node", str(binary)]


def interleaved(
    commands: dict[str, tuple[list[str], dict]], runs: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU seconds (user + system, of the process and its children) of each
    command, ``runs`` times each after one warm-up, the commands taking turns run by run."""
    for command, options in commands.values():
        subprocess.run(command, capture_output=True, check=False, **{"env": ENV, **options})
    wall: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, (command, options) in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(
                command, capture_output=True, check=False, **{"env": ENV, **options}
            )
            wall[label].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[label].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    return wall, cpu


def interpreter_of(script: str) -> str | None:
    """The Python a console script runs on (its ``#!`` line), to time Python's own start."""
    try:
        with open(script, "rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    return first[2:].split()[0] if first.startswith("#!") and "python" in first else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5_000, 20_000])
    parser.add_argument(
        "--runs",
        type=int,
        default=0,
        help="runs per tool and size (default: 7, 3 from 20,000 tasks)",
    )
    parser.add_argument(
        "--flowmap",
        default=str(Path(sys.executable).parent / "flowmap"),
        help="the flowmap command to time (default: this environment's; e.g. "
        "one installed from a wheel, as users have it)",
    )
    args = parser.parse_args()
    analyze = [args.flowmap, "analyze", "--exit-zero", "--format", "json"]
    lint = bpmnlint_command()
    if lint is None:
        print(
            "bpmnlint not found: run `npm ci --prefix tests/bpmn/node` (needs Node.js); "
            "timing flowmap alone"
        )
    print(
        f"{'':<44} (whole processes, wall clock; ratio = flowmap / bpmnlint, below 1: "
        "flowmap is faster)"
    )
    # The floor under a cache hit: pip's console script starts Python and imports `re` before
    # flowmap's first line runs, so no hit can be faster than `python -c "import re"`.
    python = interpreter_of(args.flowmap)
    floor = None
    if python:
        for label, code in (("python -c pass", "pass"), ('python -c "import re"', "import re")):
            started = run_times([python, "-c", code], runs=max(args.runs, 15))
            print(row(f"floor: {label}", started))
        floor = median(started)  # the last: import re
    summary = []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**ENV, "FLOWMAP_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("FLOWMAP_NO_CACHE", None)
        for size in args.sizes:
            path = Path(tmp) / f"bench-{size}.bpmn"
            path.write_text(generate(size), encoding="utf-8")
            runs = args.runs or (3 if size >= 20_000 else 7)
            # cold: every run reads the model and runs the rules (--no-cache); warm: the same
            # command again, answered from the result cache (the warm-up run fills it). The
            # three take turns, run by run, so that other work on the machine weighs on each.
            commands = {
                "cold": ([*analyze, "--no-cache", str(path)], {"env": env}),
                "warm": ([*analyze, str(path)], {"env": env}),
            }
            if lint:
                commands["bpmnlint"] = ([*lint, str(path)], {"cwd": NODE_DIR})
            times, cpu = interleaved(commands, runs)
            theirs = times.pop("bpmnlint", None)
            their_cpu = cpu.pop("bpmnlint", None)
            mb = path.stat().st_size / 2**20
            ratios = []
            for label, mine in times.items():
                extra = f"cpu {median(cpu[label]):.3f} s"
                if theirs and their_cpu:
                    ratio = median(mine) / median(theirs)
                    ratios.append(f"{label} {ratio:.2f}x")
                    extra += (
                        f"  ratio {ratio:5.2f}x (cpu {median(cpu[label]) / median(their_cpu):.2f}x)"
                    )
                print(row(f"flowmap {label:<5} {size:>6} tasks ({mb:.1f} MiB)", mine, extra))
            if theirs and their_cpu:
                extra = f"cpu {median(their_cpu):.3f} s"
                print(row(f"bpmnlint      {size:>6} tasks", theirs, extra))
                summary.append(
                    (
                        size,
                        median(theirs),
                        median(times["cold"]),
                        median(times["warm"]),
                        median(cpu["cold"]) / median(their_cpu),
                    )
                )
    if summary:
        print(
            "\n| tasks | bpmnlint | flowmap cold | cold / bpmnlint | cold / bpmnlint (cpu) "
            "| flowmap warm (cache hit) | warm / bpmnlint | warm - floor |\n"
            "|---|---|---|---|---|---|---|---|"
        )
        for size, theirs, cold, warm, cold_cpu in summary:
            above = f"{(warm - floor) * 1000:+.1f} ms" if floor else "-"
            print(
                f"| {size:,} | {theirs:.3f} s | {cold:.3f} s | {cold / theirs:.2f}x | "
                f"{cold_cpu:.2f}x | {warm:.3f} s | {warm / theirs:.2f}x | {above} |"
            )
        if floor:
            print(
                f'\nfloor (python -c "import re", the console script\'s own start): {floor:.3f} s'
            )


if __name__ == "__main__":
    main()
