"""Stage 3 of rendering: DOT text -> SVG, PDF, PNG. The ONE module that runs Graphviz's ``dot``.

It runs the executable directly (``subprocess``) rather than through the ``graphviz`` package's
helpers, because it needs a time budget: a layout that takes too long is stopped and reported,
never left to hang. Several formats are produced from one layout (``dot -Tsvg -o a -Tpdf -o b``).

Failures are :class:`RenderError` with a message a user can act on: ``dot`` missing (and how to
install it), ``dot`` failing (its own message), an empty output, a layout over its time budget.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flowmap.errors import FlowmapError

FORMATS = ("svg", "pdf", "png", "dot")
INSTALL_HINT = (
    "install Graphviz: `apt-get install graphviz` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS), `choco install graphviz` (Windows), "
    "or see https://graphviz.org/download/"
)
HEARTBEAT_SECONDS = 5.0


class RenderError(FlowmapError):
    """Drawing a diagram failed."""


class DotMissing(RenderError):
    """Graphviz's ``dot`` is not installed (or not on the PATH)."""


class DotTimeout(RenderError):
    """``dot`` took longer than its time budget and was stopped."""

    def __init__(self, message: str, seconds: float):
        super().__init__(message)
        self.seconds = seconds


@dataclass
class DotResult:
    outputs: dict[str, bytes]  # format -> file content
    seconds: float
    warnings: list[str] = field(default_factory=list)  # what dot said on stderr


def find_dot() -> str:
    """The path of the ``dot`` executable, or :class:`DotMissing` saying how to install it."""
    found = shutil.which("dot")
    if not found:
        raise DotMissing(f"Graphviz's `dot` program was not found on the PATH; {INSTALL_HINT}")
    return found


def run_dot(
    source: str,
    formats: Sequence[str] = ("svg",),
    *,
    timeout: float | None = 120.0,
    progress: Callable[[str], None] | None = None,
    positioned: bool = True,
) -> DotResult:
    """Draw ``source`` with ``dot`` and write it in each of ``formats`` (one layout for all).

    ``positioned``: the DOT gives every position (``pos``, ``bb``), as
    :func:`flowmap.render.dot.to_dot` writes it; ``dot -Kneato -n2`` then only draws. Otherwise
    ``dot`` lays the graph out itself.

    ``timeout`` is the time budget in seconds (None: no limit). ``progress`` is told every few
    seconds while ``dot`` is still working, so that a long layout is never silent.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in ("svg", "pdf", "png", "plain", "json", "xdot")]
    if unknown or not formats:
        raise RenderError(
            f"cannot render to {', '.join(unknown) or 'nothing'}; use svg, pdf or png"
        )
    dot = find_dot()
    with tempfile.TemporaryDirectory(prefix="flowmap-dot-") as folder:
        targets = {fmt: Path(folder) / f"out.{fmt}" for fmt in formats}
        command = [dot, "-Kneato", "-n2"] if positioned else [dot]
        for fmt, target in targets.items():
            command += [f"-T{fmt}", f"-o{target}"]
        started = time.perf_counter()
        try:
            # Its own process group: a time budget stops dot and anything it started.
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=_environment(),
                start_new_session=os.name == "posix",
            )
        except OSError as exc:  # found but cannot be run (permissions, broken install)
            raise DotMissing(f"cannot run {dot}: {exc}; {INSTALL_HINT}") from None
        stderr = _communicate(process, source.encode("utf-8"), timeout, progress, started)
        seconds = time.perf_counter() - started
        message = stderr.decode("utf-8", "replace").strip()
        if process.returncode != 0:
            first = _reason(message)
            raise RenderError(f"Graphviz `dot` failed (exit code {process.returncode}): {first}")
        outputs = {}
        for fmt, target in targets.items():
            data = target.read_bytes() if target.exists() else b""
            if not data.strip():
                raise RenderError(
                    f"Graphviz `dot` produced an empty {fmt.upper()} output"
                    + (f": {message.splitlines()[0]}" if message else "")
                )
            outputs[fmt] = data
    warnings = [line for line in message.splitlines() if line.strip()]
    return DotResult(outputs, seconds, warnings)


def _reason(message: str) -> str:
    """The line of dot's stderr that says why it failed (not its warnings)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if not lines:
        return "no message (it may have crashed)"
    for line in lines:
        if not line.lower().startswith("warning"):
            return line
    return lines[-1]


def _communicate(
    process: subprocess.Popen,
    data: bytes,
    timeout: float | None,
    progress: Callable[[str], None] | None,
    started: float,
) -> bytes:
    pending: bytes | None = data
    while True:
        elapsed = time.perf_counter() - started
        wait = HEARTBEAT_SECONDS
        if timeout is not None:
            wait = min(wait, max(0.01, timeout - elapsed))
        try:
            _, stderr = process.communicate(pending, timeout=wait)
            return stderr
        except subprocess.TimeoutExpired:
            pending = None  # the input has been sent; later calls only wait
            elapsed = time.perf_counter() - started
            if timeout is not None and elapsed >= timeout:
                _stop(process)
                process.communicate()
                raise DotTimeout(
                    f"Graphviz `dot` was still laying out the diagram after {timeout:g} s and "
                    "was stopped; raise the time budget (--time-budget) or render the overview "
                    "(--overview)",
                    elapsed,
                ) from None
            if progress is not None:
                budget = f" of a {timeout:g} s budget" if timeout is not None else ""
                progress(f"dot is still laying out the diagram ({elapsed:.0f} s{budget})")


def _stop(process: subprocess.Popen) -> None:
    """Kill dot and every process it started (its process group): a child left running would
    hold the pipes open, and the time budget would not be kept."""
    if os.name == "posix":
        import signal

        try:
            os.killpg(process.pid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError):
            pass
    process.kill()


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # Fixed fonts configuration and no dates: the same DOT gives the same bytes.
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    return env


def version() -> str:
    """What ``dot -V`` says (for benchmarks and bug reports)."""
    result = subprocess.run(
        [find_dot(), "-V"], capture_output=True, text=True, timeout=30, check=False
    )
    return (result.stderr or result.stdout).strip()


def shown_warnings(lines: list[str]) -> list[str]:
    """What dot said worth passing on, once each: not its notes about labels too large for a
    node or table (flowmap sizes them itself)."""
    kept = [line for line in lines if "too small for" not in line and "in label of" not in line]
    return [f"graphviz: {line}" for line in dict.fromkeys(kept)]
