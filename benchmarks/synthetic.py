"""Synthetic processes of any size, for benchmarks and scale tests.

    python benchmarks/synthetic.py 20000 --functions 30 -o /tmp/big.flow.yaml

The process is a long main line of steps across many functions with deep hierarchies (levels
1..5), customer steps every few steps, decisions whose branches rejoin, rework loops that send work
back, manager relays (chimneys), and waits. Deterministic for a given size and seed.
"""

from __future__ import annotations

import argparse
import random
import sys

VALUES = ("customer", "business", "none", None)


def generate(steps: int, functions: int = 30, depth: int = 4, seed: int = 7) -> str:
    """YAML text of a valid process with about ``steps`` steps."""
    rng = random.Random(seed)
    out = [
        "flowmap: 1",
        "process:",
        f"  id: synthetic-{steps}",
        f"  name: Synthetic process with {steps} steps",
        "  status: as-is",
        "customer: {name: Customer}",
        "organisation:",
        "  functions:",
        "    - id: exec",
        "      kind: management",
        "      roles:",
        "        - {id: ceo, name: Chief executive, level: 5}",
    ]
    kinds = ("sales", "operations", "finance", "it", "logistics", "service", "billing", "hr")
    for f in range(functions):
        out += [
            f"    - id: f{f}",
            f"      name: Function {f}",
            f"      kind: {kinds[f % len(kinds)]}",
            "      roles:",
        ]
        top = min(depth, 4)  # the executive above every function is level 5
        for level in range(1, top + 1):
            boss = f"l{level + 1}" if level < top else "exec.ceo"
            out.append(f"        - {{id: l{level}, level: {level}, reports_to: {boss}}}")
    step_lines = ["steps:", "  - {id: s0, name: Customer asks, owner: customer, kind: start}"]
    flow_lines = ["flows:"]
    previous = "s0"
    i = 1
    function = 0
    while i < steps - 1:
        roll = rng.random()
        sid = f"s{i}"
        if roll < 0.1:
            owner = "customer"
        else:
            if roll < 0.35:
                function = rng.randrange(functions)
            level = 1 if rng.random() < 0.7 else rng.randint(2, min(depth, 4))
            owner = f"f{function}.l{level}"
        value = VALUES[i % 4]
        fields = [f"id: {sid}", f"name: Step {i}", f"owner: {owner}"]
        if value:
            fields.append(f"value: {value}")
        fields += [f"work: {rng.randint(1, 60)}m", f"wait: {rng.randint(0, 48)}h"]
        if rng.random() < 0.08 and i + 3 < steps - 1:
            # a decision whose two branches rejoin
            step_lines.append(f"  - {{{', '.join(fields)}, kind: decision}}")
            flow_lines.append(f"  - {previous} -> {sid}")
            a, b, join = f"s{i + 1}", f"s{i + 2}", f"s{i + 3}"
            for branch in (a, b):
                step_lines.append(
                    f"  - {{id: {branch}, name: Branch {branch}, owner: {owner}, "
                    f"value: business, work: 5m}}"
                )
            step_lines.append(
                f"  - {{id: {join}, name: Join {join}, owner: {owner}, value: customer, work: 5m}}"
            )
            flow_lines += [
                f"  - {{from: {sid}, to: {a}, label: 'yes', probability: 0.8}}",
                f"  - {{from: {sid}, to: {b}, label: 'no', probability: 0.2}}",
                f"  - {a} -> {join}",
                f"  - {b} -> {join}",
            ]
            if rng.random() < 0.5:
                flow_lines.append(f"  - {{from: {b}, to: {sid}, kind: rework, probability: 0.3}}")
            previous = join
            i += 4
            continue
        step_lines.append(f"  - {{{', '.join(fields)}}}")
        flow_lines.append(f"  - {previous} -> {sid}")
        previous = sid
        i += 1
    step_lines.append(f"  - {{id: s{i}, name: Customer served, owner: customer, kind: end}}")
    flow_lines.append(f"  - {previous} -> s{i}")
    out += step_lines + flow_lines
    out += ["measures:", "  - {id: csat, name: Satisfaction, kind: satisfaction, owner: f0}"]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("steps", type=int)
    parser.add_argument("--functions", type=int, default=30)
    parser.add_argument("--depth", type=int, default=4, help="levels per function (max 4)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output")
    args = parser.parse_args(argv)
    text = generate(args.steps, args.functions, args.depth, args.seed)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
