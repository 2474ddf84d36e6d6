"""Loaders: the only modules that read files. Each turns a file into a Process."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flowmap import files, suffixes
from flowmap.errors import LoadError, Location, Problem, UsageError
from flowmap.suffixes import is_bpmn, is_process_file

if TYPE_CHECKING:
    from flowmap.model import Process

PROCESS_SUFFIXES = suffixes.PROCESS
BPMN_SUFFIXES = suffixes.BPMN
FOLDER_SUFFIXES = suffixes.FOLDER

__all__ = [
    "BPMN_SUFFIXES",
    "FOLDER_SUFFIXES",
    "PROCESS_SUFFIXES",
    "is_bpmn",
    "is_process_file",
    "load_any",
]


def discover(
    paths: Iterable[str], config=None, wanted: Callable[[str], bool] = is_process_file
) -> files.Found:
    """The process files named in ``paths`` or found in the folders named (recursively), minus
    those the configuration excludes; what was passed over is in ``skipped``, with the reason.

    A path that does not exist is a :class:`~flowmap.errors.UsageError`.
    """
    paths = list(paths) or ["."]
    for raw in paths:
        if not os.path.lexists(raw):
            raise UsageError(f"{raw}: no such file or folder")
    excluded = config.is_excluded if config is not None else (lambda path: False)
    return files.walk(paths, wanted, excluded)


def load_any(
    path: str | os.PathLike[str],
    *,
    warnings: list[Problem] | None = None,
    org: Any = None,
    **options: Any,
) -> Process:
    """Load a process from a flowmap YAML file or a BPMN 2.0 file, by its name.

    Warnings about a usable file (BPMN imports that had to guess) are appended to ``warnings``.
    ``org``: an organisation file (its path, or :class:`~flowmap.loaders.org_file.OrgFile`)
    stating whose the lanes of an imported model are; a ``*.flow.yaml`` states its own
    organisation and does not use it.
    """
    path = Path(path)
    if is_bpmn(path):
        from flowmap.loaders.bpmn import load_bpmn

        if org is not None and not hasattr(org, "lanes"):
            from flowmap.loaders.org_file import load_org_file

            org = load_org_file(org, **options)
        if org is not None:
            options["org"] = org

        try:  # a FIFO would block the XML reader; a device would be read to the size limit
            files.check_regular(path)
            files.note_input(path)
        except files.ReadRefused as exc:
            raise LoadError(
                str(path), [Problem(Location(str(path)), exc.message, exc.hint, exc.code)]
            ) from None

        return load_bpmn(path, warnings=warnings, **options)
    from flowmap.loaders.flow_yaml import load_process

    return load_process(path, **options)
