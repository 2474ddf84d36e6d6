"""flowmap: redesign work processes around the customer.

The Python API does everything the CLI does::

    import flowmap
    process = flowmap.load("processes/insurance-claim/as-is.flow.yaml")
    result = flowmap.analyze(process)
    for finding in result.findings:
        print(finding.code, finding.message)

Heavy libraries (pydantic, networkx, graphviz) are imported on first use, so that importing
flowmap and running ``flowmap --version`` stay fast.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported: a cached answer starts without it (flowmap.replay)
if TYPE_CHECKING:
    import os
    from pathlib import Path
    from typing import Any

    from flowmap.analysis import Analysis
    from flowmap.config import Config
    from flowmap.errors import Problem
    from flowmap.model import Process

__version__ = "0.1.0"

__all__ = ["__version__", "analyze", "load", "load_config", "validate"]


def load(path: str | os.PathLike[str], **options: Any) -> Process:
    """Read a process file (``*.flow.yaml`` or BPMN) into a :class:`flowmap.model.Process`.

    Raises :class:`flowmap.errors.LoadError` with every problem found (file, line, column, hint).
    """
    from flowmap.loaders import load_any

    return load_any(path, **options)


def validate(path: str | os.PathLike[str], **options: Any) -> list[Problem]:
    """The problems of one file as a list (empty when the file is valid)."""
    from flowmap.errors import LoadError

    try:
        load(path, **options)
    except LoadError as exc:
        return exc.problems
    return []


def analyze(process: Process | str | os.PathLike[str], config: Config | None = None) -> Analysis:
    """Run every selected rule on a process (or a path) and return a :class:`~flowmap.analysis.Analysis`."""
    from flowmap.analysis import analyze as _analyze
    from flowmap.model import Process

    if not isinstance(process, Process):
        process = load(process)
    return _analyze(process, config)


def load_config(start: str | Path | None = None) -> Config:
    """The configuration in force for a file or folder (``flowmap.toml`` or ``pyproject.toml``)."""
    from flowmap.config import find_config

    return find_config(start)
