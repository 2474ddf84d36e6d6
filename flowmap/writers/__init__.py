"""Writers turn a process into file contents (flowmap YAML, BPMN 2.0).

Writing the bytes to disk is :mod:`flowmap.files`' job (:func:`~flowmap.files.write_output`,
atomic and guarded); ``write_atomic`` is kept here for callers of the old name.
"""

from __future__ import annotations

from flowmap.files import write_atomic

__all__ = ["write_atomic"]
