"""Suppressions: ignore: keys, '# flowmap: ignore[...]' comments, configuration, unused ones."""

from __future__ import annotations

import json

from flowmap.analysis import analyze
from flowmap.config import Config
from flowmap.loaders import load_any
from flowmap.loaders.suppressions import scan
from tests.ci.helpers import copy_tree, flowmap, process_files

AS_IS = [p for p in process_files() if p.name.startswith("as-is")] or process_files()


def _target(path):
    """A finding of the real process whose first element is a step or flow of this file."""
    process = load_any(path)
    lines = {}
    for kind in ("step", "flow"):
        for key, loc in process._locations.items():
            if key.startswith(kind + ":") and loc.path == str(path):
                lines[key.split(":", 1)[1]] = loc.line
    for finding in analyze(process).findings:
        if finding.elements and finding.elements[0] in lines:
            return process, finding, lines[finding.elements[0]]
    raise AssertionError("no finding on a step or flow")


def _insert(path, line: int, text: str, above: bool) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if above:
        indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
        lines.insert(line - 1, " " * indent + text)
    else:
        lines[line - 1] += "   " + text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _codes(path):
    result = analyze(load_any(path))
    return result, [(f.code, f.fingerprint) for f in result.findings]


def test_scan_finds_codes_reasons_and_targets():
    text = (
        "steps:\n  # flowmap: ignore[SMK001, val002] required by law\n  # more words\n"
        "  - id: a   # flowmap: ignore[CX003]\n  - id: b\n"
        "    notes: 'not # flowmap: ignore[X] a comment'\n"
    )
    found = scan(text)
    assert [(c.line, c.target_line, c.codes, c.reason) for c in found[:2]] == [
        (2, 4, ("SMK001", "VAL002"), "required by law"),
        (4, 4, ("CX003",), ""),
    ]


def test_comment_on_the_line_and_above_suppress_with_unused_reported(tmp_path):
    for above in (False, True):
        path = copy_tree(AS_IS[0], tmp_path / ("above" if above else "inline"))
        process, finding, line = _target(path)
        before = analyze(process).findings
        _insert(path, line, f"# flowmap: ignore[{finding.code}] accepted by the board", above)
        result, codes = _codes(path)
        assert (finding.code, finding.fingerprint) not in codes
        assert len(result.findings) == len(before) - sum(
            1 for f in before if f.code == finding.code and finding.elements[0] in f.elements
        )
        used = [s for s in result.suppressions if s.used]
        assert any(s.code == finding.code and s.reason == "accepted by the board" for s in used)
        assert not result.unused_suppressions


def test_unused_comment_and_key_suppressions_are_reported(tmp_path):
    path = copy_tree(AS_IS[0], tmp_path)
    _, finding, line = _target(path)
    _insert(path, line, "# flowmap: ignore[STR999] nothing to silence", above=False)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "# flowmap: ignore[SMK001] next to nothing\n", encoding="utf-8")
    out = flowmap("analyze", path, "-f", "json")
    document = json.loads(out.output[out.output.index("{") :])
    unused = document["files"][0]["unused_suppressions"]
    assert {
        "element": finding.elements[0],
        "code": "STR999",
        "reason": "nothing to silence",
    } in unused
    assert any(u["code"] == "SMK001" and u["element"].startswith("line ") for u in unused)
    text_out = flowmap("analyze", path)
    assert "unused suppression: ignore STR999" in text_out.output


def test_ignore_key_on_an_element(tmp_path):
    path = copy_tree(AS_IS[0], tmp_path)
    process, finding, _ = _target(path)
    element = finding.elements[0]
    is_step = any(s.id == element for s in process.steps)
    if is_step:
        steps = [
            s.model_copy(update={"ignore": {finding.code: "known"}}) if s.id == element else s
            for s in process.steps
        ]
        changed = process.model_copy(update={"steps": steps})
    else:
        flows = [
            f.model_copy(update={"ignore": {finding.code: "known"}}) if f.id == element else f
            for f in process.flows
        ]
        changed = process.model_copy(update={"flows": flows})
    result = analyze(changed)
    assert finding.fingerprint not in {f.fingerprint for f in result.findings}
    assert any(s.used and s.element == element for s in result.suppressions)


def test_per_file_and_per_path_ignores_in_configuration(tmp_path):
    path = copy_tree(AS_IS[0], tmp_path / "processes" / "claims")
    _, finding, _ = _target(path)
    for pattern in (path.name, "processes/**/*.flow.yaml", str(path)):
        config = Config(per_file_ignores={pattern: (finding.code,)})
        codes = {f.code for f in analyze(load_any(path), config).findings}
        assert finding.code not in codes, pattern
    other = Config(per_file_ignores={"elsewhere/*.flow.yaml": (finding.code,)})
    assert finding.code in {f.code for f in analyze(load_any(path), other).findings}
