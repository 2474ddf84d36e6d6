"""The one list of file names flowmap reads and writes, by kind.

Kept at the bottom of the house (it imports nothing) so loaders, writers, fmt, diff and the
command line all ask the same table.
"""

from __future__ import annotations

import os

PROCESS = (".flow.yaml", ".flow.yml")
ORGANISATION = (".org.yaml", ".org.yml")
BPMN = (".bpmn20.xml", ".bpmn2", ".bpmn", ".xml")  # longest first, for stem()
# What a folder search picks up (a plain .xml file is read only when named explicitly).
FOLDER = PROCESS + (".bpmn20.xml", ".bpmn2", ".bpmn")
# What flowmap fmt formats.
FORMATTED = PROCESS + ORGANISATION
# Files a person writes by hand or exports from a modeller: a report must never land on one.
MODEL = PROCESS + ORGANISATION + (".bpmn20.xml", ".bpmn2", ".bpmn")
# Folders a folder search does not enter (besides hidden ones): tools' own files, never models.
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", ".venv", "venv"})


def _name(path: str | os.PathLike[str]) -> str:
    return os.path.basename(os.fspath(path)).lower()


def is_process_file(path: str | os.PathLike[str]) -> bool:
    """A file a folder search reads: flowmap YAML or BPMN (not a plain .xml)."""
    return _name(path).endswith(FOLDER)


def is_bpmn(path: str | os.PathLike[str]) -> bool:
    return _name(path).endswith(BPMN)


def is_model_file(path: str | os.PathLike[str]) -> bool:
    """A process, organisation or BPMN file: a person's work, never a place for a report."""
    return _name(path).endswith(MODEL)


def stem(path: str | os.PathLike[str]) -> str:
    """The name without its process suffix: ``claims/as-is.flow.yaml`` -> ``as-is``."""
    name = os.path.basename(os.fspath(path))
    for suffix in PROCESS + ORGANISATION + BPMN:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return os.path.splitext(name)[0]
