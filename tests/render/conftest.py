from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowmap.model import Process

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz `dot` is not installed (apt-get install graphviz)"
)


def process_from(text: str) -> Process:
    """A process from YAML text, read by flowmap's own loader (as a file would be)."""
    import tempfile

    from flowmap.loaders.flow_yaml import load_process

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.flow.yaml"
        path.write_text(text, encoding="utf-8")
        return load_process(path)


def process_files() -> list[Path]:
    if not PROCESSES.is_dir():
        return []
    return sorted(p for p in PROCESSES.rglob("*") if p.name.endswith((".flow.yaml", ".bpmn")))


HOSTILE_NAMES = [
    'Quote " and \\" and a label="x"] evil [shape=box',
    "</text><script>alert(1)</script>",
    "<b>bold</b> & <i>amp</i> &amp; &#x41; <![CDATA[x]]>",
    "Back\\slash \\N \\G \\l \\\\ end",
    "Line one\nLine two",
    "Emoji 🚚📦 ✅",
    "مرحبا بالعالم",
    "顧客の注文を確認する",
    "Ünïcödé – “curly” ‘quotes’",
    "}} digraph x { a -> b } //",
    "A" * 300,
]


def hostile_process() -> Process:
    steps = [{"id": "start", "name": HOSTILE_NAMES[0], "owner": "customer", "kind": "start"}]
    flows = []
    previous = "start"
    for i, name in enumerate(HOSTILE_NAMES[1:], start=1):
        owner = "sales.rep" if i % 2 else "ops.lead"
        steps.append({"id": f"s{i}", "name": name, "owner": owner, "value": "none"})
        flows.append({"from": previous, "to": f"s{i}", "label": name[:40]})
        previous = f"s{i}"
    steps.append({"id": "end", "name": "<end>", "owner": "customer", "kind": "end"})
    flows.append({"from": previous, "to": "end"})
    return Process.model_validate(
        {
            "process": {
                "id": "hostile",
                "name": '<script>alert("title")</script> & co',
                "version": '1" onload="x',
            },
            "customer": {"name": 'Cust<o>mer & "friends"'},
            "organisation": {
                "functions": [
                    {
                        "id": "sales",
                        "name": "Sales </g><script>x</script>",
                        "kind": "sales",
                        "roles": [{"id": "rep", "name": 'Rep " ] ; node [', "level": 1}],
                    },
                    {
                        "id": "ops",
                        "name": "Ops & <Co>",
                        "kind": "operations",
                        "roles": [{"id": "lead", "name": "Lead\\", "level": 2}],
                    },
                ]
            },
            "steps": steps,
            "flows": flows,
        }
    )
