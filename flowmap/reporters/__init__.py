"""Reporters present analysis results; they never analyse. One module per output format.

Each reporter module has a ``report(results, errors, config) -> str`` function, where ``results``
is a list of :class:`~flowmap.analysis.Analysis` and ``errors`` a list of
:class:`~flowmap.errors.Problem` for files that could not be read.
"""

from __future__ import annotations

import importlib

FORMATS: dict[str, str] = {
    "text": "flowmap.reporters.text",
    "json": "flowmap.reporters.json",
    "sarif": "flowmap.reporters.sarif",
    "github": "flowmap.reporters.github",
    "junit": "flowmap.reporters.junit",
    "markdown": "flowmap.reporters.markdown",
}


def available() -> list[str]:
    return [name for name, module in FORMATS.items() if importlib.util.find_spec(module)]


def get(name: str):
    return importlib.import_module(FORMATS[name])
