"""Loaders: the only modules that read files. Each turns a file into a Process."""

from __future__ import annotations

import os
from pathlib import Path

PROCESS_SUFFIXES = (".flow.yaml", ".flow.yml")
BPMN_SUFFIXES = (".bpmn", ".bpmn2", ".bpmn20.xml", ".xml")
# What a folder search picks up (a plain .xml file is read only when named explicitly).
FOLDER_SUFFIXES = PROCESS_SUFFIXES + (".bpmn", ".bpmn2", ".bpmn20.xml")


def is_process_file(path: Path) -> bool:
    return path.name.lower().endswith(FOLDER_SUFFIXES)


def is_bpmn(path: Path) -> bool:
    return path.name.lower().endswith(BPMN_SUFFIXES)


def load_any(path: str | os.PathLike, *, warnings: list | None = None, **options):
    """Load a process from a flowmap YAML file or a BPMN 2.0 file, by its name.

    Warnings about a usable file (BPMN imports that had to guess) are appended to ``warnings``.
    """
    path = Path(path)
    if is_bpmn(path):
        from flowmap.loaders.bpmn import load_bpmn

        return load_bpmn(path, warnings=warnings, **options)
    from flowmap.loaders.flow_yaml import load_process

    return load_process(path, **options)
