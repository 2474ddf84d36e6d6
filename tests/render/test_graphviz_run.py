"""The one module that runs Graphviz: missing, failing, silent and slow `dot`."""

from __future__ import annotations

import contextlib
import os
import stat
import sys

import pytest

from flowmap.render import graphviz_run
from flowmap.render.graphviz_run import DotMissing, DotTimeout, RenderError, run_dot
from tests.render.conftest import needs_dot

SIMPLE = "digraph { a -> b }"


def fake_dot(tmp_path, monkeypatch, body: str) -> None:
    """Put a `dot` that runs ``body`` (Python) first on the PATH, alone."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "dot"
    script.write_text(f"#!{sys.executable}\nimport sys, time, os\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(folder))


def test_missing_dot_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DotMissing) as caught:
        run_dot(SIMPLE)
    assert "apt-get install graphviz" in str(caught.value)
    assert "brew install graphviz" in str(caught.value)


def test_failing_dot_reports_its_message(tmp_path, monkeypatch):
    fake_dot(
        tmp_path,
        monkeypatch,
        "sys.stdin.read()\n"
        "sys.stderr.write('Warning: something\\nError: <stdin>: syntax error in line 1\\n')\n"
        "sys.exit(1)",
    )
    with pytest.raises(RenderError) as caught:
        run_dot(SIMPLE)
    assert "exit code 1" in str(caught.value)
    assert "syntax error in line 1" in str(caught.value)


def test_empty_output_is_a_failure(tmp_path, monkeypatch):
    # Exits 0 and writes an empty file where -o points.
    fake_dot(
        tmp_path,
        monkeypatch,
        "sys.stdin.read()\n[open(a[2:], 'w').close() for a in sys.argv[1:] if a.startswith('-o')]",
    )
    with pytest.raises(RenderError, match="empty SVG output"):
        run_dot(SIMPLE)


def test_slow_dot_is_stopped_and_reports_progress(tmp_path, monkeypatch):
    fake_dot(tmp_path, monkeypatch, "sys.stdin.read()\ntime.sleep(30)")
    monkeypatch.setattr(graphviz_run, "HEARTBEAT_SECONDS", 0.2)
    told: list[str] = []
    with pytest.raises(DotTimeout, match="time budget"):
        run_dot(SIMPLE, timeout=1.0, progress=told.append)
    assert told and "still laying out" in told[0]


@needs_dot
def test_real_dot_renders_several_formats_from_one_run():
    result = run_dot(SIMPLE, ["svg", "pdf", "png"], positioned=False)
    assert result.outputs["svg"].lstrip().startswith(b"<?xml")
    assert result.outputs["pdf"].startswith(b"%PDF")
    assert result.outputs["png"].startswith(b"\x89PNG")


@needs_dot
def test_real_dot_syntax_error():
    with pytest.raises(RenderError, match="syntax error"):
        run_dot("digraph { a -> }", positioned=False)


def test_unknown_format_is_refused():
    with pytest.raises(RenderError, match="use svg, pdf or png"):
        run_dot(SIMPLE, ["gif"])


def test_render_without_dot_is_a_flowmap_error(tmp_path, monkeypatch):
    from flowmap.errors import FlowmapError
    from flowmap.render import render
    from tests.render.conftest import hostile_process

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FlowmapError, match="install"):
        render(hostile_process(), None, "svg")
    assert os.environ["PATH"] == str(tmp_path)


def test_time_budget_stops_the_children_dot_started(tmp_path, monkeypatch):
    """A `dot` that starts a child (as its layout plug-ins can) was waited on past the budget:
    the child kept the pipes open. The whole process group is stopped now."""
    import time

    marker = tmp_path / "child.pid"
    finished = tmp_path / "dot-finished"  # written only if the fake dot ever ends its sleep
    fake_dot(
        tmp_path,
        monkeypatch,
        "import subprocess\nsys.stdin.read()\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(marker)!r}, 'w').write(str(child.pid))\n"
        f"time.sleep(60)\nopen({str(finished)!r}, 'w').write('1')",
    )
    with pytest.raises(DotTimeout):
        run_dot(SIMPLE, timeout=1.0)
    # Stopped at the budget, not waited on until it ended by itself (no wall-clock limit: a
    # busy machine running tests in parallel must not fail this).
    assert not finished.exists()
    child = int(marker.read_text())
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        # Reap it if it is ours (it is not: it belonged to the fake dot).
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, os.WNOHANG)
        time.sleep(0.1)
    else:
        pytest.fail("the child of dot was left running")
