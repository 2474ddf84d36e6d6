"""Reading the user's files safely, and finding them in folders.

Only regular files are read (a FIFO would hang, ``/dev/zero`` never ends), the size checked on the
open file before a byte is read, never more than the limit read. Each file read is an *input* of
the current run (:func:`run`), which no write may replace (:mod:`flowmap.files.writing`).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flowmap.errors import FlowmapError, UsageError
from flowmap.suffixes import SKIPPED_FOLDERS

# ---------------------------------------------------------------------------------------------
# What a run has read (its inputs)
# ---------------------------------------------------------------------------------------------

_inputs: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "flowmap_inputs", default=None
)


@contextlib.contextmanager
def run() -> Iterator[set[str]]:
    """Within this block, every file read is an input that no write may replace.

    The command line wraps each command in one run; a library caller may do the same.
    """
    token = _inputs.set(set())
    try:
        yield _inputs.get()  # type: ignore[misc]
    finally:
        _inputs.reset(token)


def inputs() -> set[str]:
    """The files the current run has read so far (real paths; empty outside a run)."""
    return set(_inputs.get() or ())


_last: contextvars.ContextVar[str] = contextvars.ContextVar("flowmap_last_input", default="")


def note_input(path: str | os.PathLike) -> None:
    """Record a file as read by the current run (done by :func:`read_bounded` itself)."""
    _last.set(str(path))
    seen = _inputs.get()
    if seen is not None:
        seen.add(os.path.realpath(path))


def last_input() -> str:
    """The file read last: the one to name when something goes wrong unexpectedly."""
    return _last.get()


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


class ReadRefused(FlowmapError):
    """A file flowmap will not read: not a regular file, too large, or unreadable."""

    def __init__(self, path: str, message: str, hint: str, code: str):
        super().__init__(f"{path}: {message}")
        self.path, self.message, self.hint, self.code = path, message, hint, code


def kind_of(mode: int) -> str:
    """What a non-regular file is, in a few words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file" if not stat.S_ISREG(mode) else "a regular file"


def read_bounded(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is refused.

    The file is opened without blocking (a FIFO with no writer would wait forever), checked on
    the open descriptor (so a symlink to ``/dev/zero`` is seen for what it is), and read up to
    the limit only (a file that grows meanwhile is refused, not read to the end).
    """
    name = str(path)
    limit = f"{max_bytes / 2**20:.0f} MiB"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _unreadable(name, exc) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadRefused(
                name,
                f"is {kind_of(info.st_mode)}, not a regular file",
                "flowmap reads process files only from regular files",
                "not-a-file",
            )
        if info.st_size > max_bytes:
            raise ReadRefused(
                name,
                f"file is {info.st_size / 2**20:.1f} MiB, above the limit of {limit}",
                "split the process, or raise max-file-size-mb in the configuration",
                "too-large",
            )
        os.set_blocking(fd, True)
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise _unreadable(name, exc) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise ReadRefused(
            name,
            f"file is larger than the limit of {limit}",
            "raise max-file-size-mb in the configuration",
            "too-large",
        )
    note_input(name)
    return data


def _unreadable(name: str, exc: OSError) -> ReadRefused:
    return ReadRefused(
        name,
        f"cannot read the file: {os_error_text(exc)}",
        "check the path and its permissions",
        "unreadable",
    )


def check_regular(path: str | os.PathLike) -> None:
    """Refuse, without blocking or reading, a path that is not a regular file."""
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _unreadable(name, exc) from None
    try:
        mode = os.fstat(fd).st_mode
    finally:
        os.close(fd)
    if not stat.S_ISREG(mode):
        raise ReadRefused(
            name,
            f"is {kind_of(mode)}, not a regular file",
            "flowmap reads process files only from regular files",
            "not-a-file",
        )


def require_file(path: str | os.PathLike) -> None:
    """A command's named input must be a regular file: "no such file" when nothing is there,
    what it is otherwise (a folder, a FIFO, a device), without opening it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the file: {os_error_text(exc)}") from None
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path} is {kind_of(mode)}, not a regular file")


def os_error_text(exc: OSError) -> str:
    """What went wrong, in lower case: 'permission denied', 'no such file or directory'."""
    return (exc.strerror or str(exc)).lower() if exc.strerror else str(exc)


# ---------------------------------------------------------------------------------------------
# Finding files in folders
# ---------------------------------------------------------------------------------------------


@dataclass
class Found:
    """Files found by :func:`walk`, and what was passed over, with the reason."""

    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def walk(
    paths: Iterable[str],
    wanted: Callable[[str], bool],
    excluded: Callable[[Path], bool] = lambda path: False,
) -> Found:
    """Files under ``paths`` (files named are kept as given) whose name is ``wanted``.

    Hidden folders and tool folders (``node_modules``, virtual environments) are not entered.
    Matching names that are not regular files (FIFOs, devices, broken links) are skipped and
    named, and so are folders that cannot be read: nothing is passed over silently.
    """
    found = Found()
    for raw in paths:
        if not os.path.isdir(raw):
            found.files.append(raw)
            continue

        def unreadable(exc: OSError, top: str = raw) -> None:
            found.skipped.append(
                (exc.filename or top, f"cannot read the folder: {os_error_text(exc)}")
            )

        for folder, dirs, names in os.walk(raw, onerror=unreadable):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_FOLDERS)
            for name in sorted(names):
                if not wanted(name):
                    continue
                candidate = Path(folder) / name
                if excluded(candidate):
                    continue
                try:
                    mode = os.stat(candidate).st_mode
                except OSError as exc:
                    found.skipped.append((str(candidate), f"cannot read it: {os_error_text(exc)}"))
                    continue
                if not stat.S_ISREG(mode):
                    found.skipped.append(
                        (str(candidate), (f"is {kind_of(mode)}, not a regular file"))
                    )
                    continue
                found.files.append(str(candidate))
    return found
