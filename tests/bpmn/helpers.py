"""Small BPMN documents for the tests, written as the modelers write them."""

from __future__ import annotations

from pathlib import Path

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<{p}definitions xmlns{colon}{p0}="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
    'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
    'xmlns:flowmap="https://flowmap.dev/bpmn/1" id="defs" targetNamespace="urn:test">\n'
)


def bpmn(body: str, prefix: str = "bpmn") -> str:
    """A definitions element around ``body``; ``<bpmn:`` in body uses ``prefix``."""
    p = f"{prefix}:" if prefix else ""
    head = HEAD.format(p=p, colon=":" if prefix else "", p0=prefix)
    text = body.replace("<bpmn:", f"<{p}").replace("</bpmn:", f"</{p}")
    return head + text + f"\n</{p}definitions>\n"


def write(tmp_path: Path, body: str, name: str = "model.bpmn", prefix: str = "bpmn") -> Path:
    path = tmp_path / name
    path.write_text(bpmn(body, prefix), encoding="utf-8")
    return path
