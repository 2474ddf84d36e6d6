"""Run flowmap in a fresh interpreter and see what it imported.

The tests that keep start-up cheap (a cache hit, a cold BPMN analysis, ``--help``) ask the same
question: after this command, which modules did Python load? They ask it here, in one way: the
command runs in a new interpreter, its exit code, output and the names in ``sys.modules`` come
back. The module list is taken before anything is imported to report it, so ``json`` or ``re``
in it were loaded by flowmap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from tests.conftest import ROOT

_MARK = "\n--fresh-run--"


@dataclass(frozen=True)
class Fresh:
    """What one run in a fresh interpreter left: its exit code (the value ``entry`` returned, or
    the code it exited with), its output, and the modules loaded when it finished."""

    code: object
    stdout: str
    stderr: str
    modules: frozenset[str]

    def loaded(self, *names: str, under: tuple[str, ...] = ()) -> list[str]:
        """Which of ``names``, and which modules in the packages ``under``, were imported."""
        packages = tuple(f"{package}." for package in under)
        return sorted(m for m in self.modules if m in names or m in under or m.startswith(packages))


def fresh_run(
    entry: str,
    args: list[str],
    *,
    cwd: Path,
    argv: bool = False,
    bare: bool = False,
    before: str = "",
    after: str = "",
) -> Fresh:
    """Call ``entry`` (``"module:function"``) in a new interpreter, in ``cwd``.

    With ``argv``, ``args`` become the command line (``sys.argv[1:]``) and the function is called
    without arguments, as the ``flowmap`` script calls ``flowmap.launch:main``; otherwise it is
    called with ``args``. ``bare`` starts Python without ``site`` (``-S``), with only flowmap and
    its installed packages on the path: what an installed script imports, without what an
    editable install's path hooks add. ``before`` is code run first (a spy, say), ``after`` code run once the call
    has returned (to report what the spy saw)."""
    module, _, function = entry.partition(":")
    lines = ["import sys"]
    if bare:
        packages = os.path.dirname(os.path.dirname(click.__file__))  # site-packages
        lines.append(f"sys.path[:0] = [{str(ROOT)!r}, {packages!r}]")
    if before:
        lines.append(before)
    if argv:
        lines.append(f"sys.argv = {['flowmap', *args]!r}")
    call = f"{function}()" if argv else f"{function}({args!r})"
    lines += [
        f"from {module} import {function}",
        "try:",
        f"    code = {call}",
        "except SystemExit as exc:",
        "    code = exc.code",
        after,
        "modules = sorted(sys.modules)",
        "import json",
        f"sys.stderr.write({_MARK!r} + json.dumps([code, modules], default=repr))",
    ]
    done = subprocess.run(
        [sys.executable, *(["-S"] if bare else []), "-c", "\n".join(lines)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    stderr, marked, report = done.stderr.rpartition(_MARK)
    if not marked:
        raise AssertionError(f"the fresh run did not finish:\n{done.stderr}")
    code, modules = json.loads(report)
    return Fresh(code, done.stdout, stderr, frozenset(modules))
