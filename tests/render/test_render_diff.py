"""`flowmap render --diff OLD NEW`: the new version with what changed marked."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROCESSES

ROOT_AS_IS = PROCESSES / "complaint-handling" / "to-be.flow.yaml"


def _render(*args):
    return subprocess.run(
        [sys.executable, "-m", "flowmap", "render", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_changed_added_and_removed_elements_are_marked(tmp_path):
    text = ROOT_AS_IS.read_text()
    new = tmp_path / "new.flow.yaml"
    new.write_text(
        text.replace("name: Log complaint and own it", "name: Log complaint, own it end to end")
    )
    out = tmp_path / "changes.dot"
    result = _render("--diff", str(ROOT_AS_IS), str(new), "-o", str(out))
    assert result.returncode == 0, result.stderr
    dot = out.read_text()
    assert dot.count(">CHANGED</B>") == 1  # only the renamed step
    assert ">NEW</B>" not in dot
    assert "1 CHANGED (blue, dashed)" in dot and "0 element(s) removed" in dot


def test_removed_elements_are_named_under_the_title(tmp_path):
    old = PROCESSES / "complaint-handling" / "as-is.flow.yaml"
    out = tmp_path / "changes.svg"
    result = _render("--diff", str(old), str(ROOT_AS_IS), "-o", str(out))
    assert result.returncode == 0, result.stderr
    svg = out.read_text()
    assert "NEW" in svg and "CHANGED" in svg
    assert "element(s) removed (" in svg


def test_diff_of_a_folder_is_refused(tmp_path):
    result = _render("--diff", str(ROOT_AS_IS), str(PROCESSES), "-o", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "--diff compares two process files" in result.stderr
