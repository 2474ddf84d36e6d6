"""Reading and writing the user's files safely: the promises of docs/files.md, kept in one place.

Reading (:func:`read_bounded`): only regular files (a FIFO would hang, ``/dev/zero`` never ends),
the size checked on the open file before a byte is read, never more than the limit read.

Writing (:func:`write_output`): every file flowmap writes goes through one guard.

* It never writes over a file this run read (an input), unless ``force``;
* nor over an existing file flowmap did not write, unless ``force``. "flowmap wrote this" means
  the file holds exactly the bytes flowmap last wrote at that place: a record (its size and
  SHA-256) is kept per output path under the user's state folder. A file a person wrote, or one
  flowmap wrote and a person then edited, is not flowmap's any more;
* a read-only file is refused with a clear error, never replaced (not even with ``force``);
* a symlink is written through, to its target; a special file (FIFO, ``/dev/stdout``) is written
  directly; a regular file is replaced atomically (:func:`write_atomic`).

Reading is :mod:`flowmap.files.reading`, writing :mod:`flowmap.files.writing`. This package is
the lowest layer of flowmap's I/O: it imports nothing from flowmap but :mod:`flowmap.errors` and
:mod:`flowmap.suffixes`, so loaders, writers and the CLI can all use it.
"""

from __future__ import annotations

from flowmap.files.reading import (
    SKIPPED_FOLDERS,
    Found,
    ReadRefused,
    check_regular,
    inputs,
    kind_of,
    last_input,
    note_input,
    os_error_text,
    read_bounded,
    require_file,
    run,
    walk,
)
from flowmap.files.writing import (
    WriteRefused,
    emit,
    output_tree,
    write_atomic,
    write_output,
    written_by_flowmap,
)

__all__ = [
    "SKIPPED_FOLDERS",
    "Found",
    "ReadRefused",
    "WriteRefused",
    "check_regular",
    "emit",
    "inputs",
    "kind_of",
    "last_input",
    "note_input",
    "os_error_text",
    "output_tree",
    "read_bounded",
    "require_file",
    "run",
    "walk",
    "write_atomic",
    "write_output",
    "written_by_flowmap",
]
