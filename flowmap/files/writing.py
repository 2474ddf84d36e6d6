"""Writing the user's files safely: every file flowmap writes goes through one guard
(:func:`write_output`), a regular file is replaced atomically (:func:`write_atomic`), and a record
of what flowmap wrote tells its own files from a person's (see :mod:`flowmap.files`)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from flowmap.errors import UsageError
from flowmap.files.reading import inputs, os_error_text
from flowmap.suffixes import is_model_file

# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class WriteRefused(UsageError):
    """flowmap will not write this file (it would lose something a person wrote)."""


def write_atomic(path: str | os.PathLike, data: str | bytes) -> None:
    """Write a regular file so that a crash or a full disk never leaves it half-written.

    The data goes to a temporary file in the same folder, is flushed to disk, then renamed over
    the target in one step. The target keeps its permissions when it exists. ``path`` should
    be the real file (see :func:`write_output`, which follows symlinks first).
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    import tempfile  # here, not at import: a cached run starts without it

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(
    path: str | os.PathLike,
    data: str | bytes,
    *,
    force: bool = False,
    in_place: bool = False,
    record: bool = True,
) -> None:
    """Write what flowmap produced to ``path``, keeping every promise of this module.

    ``in_place`` is for a command whose job is to rewrite its input (``flowmap fmt``): the
    input guard does not apply, and the result is not recorded as flowmap's (the file stays
    the user's). ``force`` allows replacing an input or a file flowmap did not write; it never
    makes a read-only file writable.
    """
    name = str(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    stream = _stream_number(path)
    if stream is not None:  # /dev/stdout, /dev/fd/3: the open stream, whatever it leads to
        _write_stream(name, stream, payload)
        return
    try:  # os.stat follows links the way open() does (a pipe behind /proc/self/fd/1 too)
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise WriteRefused(f"{name}: cannot write: {os_error_text(exc)}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise WriteRefused(f"{name} is a folder; give a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        try:  # a FIFO, a terminal, /dev/null: write into it, do not replace it
            with open(path, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise WriteRefused(f"{name}: cannot write: {os_error_text(exc)}") from None
        return
    target = os.path.realpath(path)  # through symlinks, to the file they point at
    if info is not None:
        if not in_place and not force:
            seen = inputs()
            if target in seen:
                raise WriteRefused(
                    f"{name} is an input of this command; write to another "
                    "file, or pass --force to replace it"
                )
            if not written_by_flowmap(target, info):
                raise WriteRefused(
                    f"{name} exists and was not written by flowmap (or was "
                    "edited since); pass --force to overwrite it"
                )
        if not info.st_mode & 0o222:
            raise WriteRefused(
                f"{name} is read-only; flowmap leaves it alone (make it "
                "writable first, e.g. chmod u+w)"
            )
    try:
        write_atomic(target, payload)
    except OSError as exc:
        folder = os.path.dirname(target) or "."
        hint = " (is the folder writable?)" if isinstance(exc, PermissionError) else ""
        raise WriteRefused(
            f"{name}: cannot write in {folder}: {os_error_text(exc)}{hint}"
        ) from None
    if record and not in_place:
        _remember(target, payload)


def _stream_number(path: str | os.PathLike) -> int | None:
    """The descriptor a name such as ``/dev/stdout`` or ``/dev/fd/3`` stands for, else None."""
    text = os.path.abspath(path)  # not through links: /dev/stdout is a name for a stream
    named = {"/dev/stdout": 1, "/dev/stderr": 2}
    if text in named:
        return named[text]
    for folder in ("/dev/fd/", "/proc/self/fd/"):
        if text.startswith(folder) and text[len(folder) :].isdigit():
            return int(text[len(folder) :])
    return None


def _write_stream(name: str, number: int, payload: bytes) -> None:
    """Write into an open stream of this process (a pipe, a terminal, a file the shell opened
    with ``>`` or ``>>``): nothing is truncated or replaced, the shell decided that."""
    import sys

    for handle in (sys.stdout, sys.stderr):  # what was printed before comes first
        with contextlib.suppress(Exception):
            handle.flush()
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(number, view) :]
    except OSError as exc:
        raise WriteRefused(f"{name}: cannot write: {os_error_text(exc)}") from None


def emit(
    data: str | bytes, output: str | os.PathLike | None = None, *, force: bool = False, stream=None
) -> None:
    """Send a command's result to ``output`` (through :func:`write_output`) or, without one (or
    with ``-``), to ``stream`` (standard output).

    A result is never written to a process, organisation or BPMN file name, even with
    ``force``: those are a person's work, and a report there would pass for a model.
    """
    if output is None or str(output) == "-":
        import sys

        stream = stream or sys.stdout
        if isinstance(data, bytes):
            stream.buffer.write(data)
        else:
            stream.write(data)
        return
    if is_model_file(output):
        raise WriteRefused(
            f"{output} is a process or organisation file name; write the result "
            "to another file (a report there would pass for a model)"
        )
    write_output(output, data, force=force)


def output_tree(
    source: str | os.PathLike,
    paths: Iterable[str],
    out: str | os.PathLike,
    formats: Iterable[str],
    stem: Callable[[str], str],
) -> list[tuple[str, list[str]]]:
    """Where each file of a folder is drawn: ``source/sub/x.flow.yaml`` -> ``out/sub/x.svg``.

    Paths are mapped by their place in the folder as written (a symlink to a file elsewhere is
    drawn where the link is). Two sources that would land on one output (``a.bpmn`` and
    ``a.flow.yaml``; ``A.bpmn`` and ``a.bpmn`` on a case-blind disk) keep their kind in the name
    their whole name instead (``a.bpmn.svg``, ``a.flow.yaml.svg``), so neither is lost.
    """
    formats = list(formats)
    placed: list[tuple[str, Path, str]] = []
    for path in paths:
        relative = Path(os.path.relpath(path, source))
        placed.append((path, relative.parent, stem(relative.name)))
    taken: dict[str, int] = {}
    for _, folder, name in placed:
        key = (folder / name).as_posix().casefold()
        taken[key] = taken.get(key, 0) + 1
    plan = []
    for path, folder, name in placed:
        if taken[(folder / name).as_posix().casefold()] > 1:
            name = Path(path).name  # the whole source name: a.bpmn.svg, a.flow.yaml.svg
        plan.append((path, [str(Path(out) / folder / f"{name}.{one}") for one in formats]))
    return plan


# The record of what flowmap wrote: one small file per output path, holding the size and the
# SHA-256 of the bytes written. Kept outside the user's folders, so outputs stay clean.


def _state_folder() -> Path:
    base = (
        os.environ.get("FLOWMAP_STATE_HOME")
        or os.environ.get("XDG_STATE_HOME")
        or os.path.join(os.path.expanduser("~"), ".local", "state")
    )
    return Path(base) / "flowmap" / "written"


def _record_path(target: str) -> Path:
    return _state_folder() / hashlib.sha256(target.encode("utf-8", "surrogateescape")).hexdigest()


def _fingerprint(size: int, digest: str) -> str:
    return f"{size} {digest}\n"


def _remember(target: str, payload: bytes) -> None:
    # No state folder (read-only home): the next write there will ask for --force.
    with contextlib.suppress(OSError):
        write_atomic(
            _record_path(target), _fingerprint(len(payload), hashlib.sha256(payload).hexdigest())
        )


def written_by_flowmap(path: str | os.PathLike, info: os.stat_result | None = None) -> bool:
    """Does ``path`` hold exactly the bytes flowmap last wrote there?"""
    target = os.path.realpath(path)
    try:
        recorded = _record_path(target).read_text(encoding="ascii")
        info = info or os.stat(target)
        if not stat.S_ISREG(info.st_mode) or not recorded.startswith(f"{info.st_size} "):
            return False
        digest = hashlib.sha256()
        with open(target, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except (OSError, UnicodeDecodeError):
        return False
    return recorded == _fingerprint(info.st_size, digest.hexdigest())
