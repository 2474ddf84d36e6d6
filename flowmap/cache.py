"""The result cache: a second ``flowmap analyze`` of unchanged files prints its output at once.

Like ruff's cache: results live in a folder (``.flowmap_cache/`` beside the configuration file,
or in the current folder when there is none; ``--cache-dir`` or ``FLOWMAP_CACHE_DIR`` choose
another, ``--no-cache`` skips it). An entry holds what a run printed (standard output, standard
error, the exit code) and the digest of every file the run read: the process files, their
organisation files (``organisation: x.org.yaml`` or ``--org``/``org``), the configuration files
on the way up and a baseline. It is found by a key made of what else decides the output:
flowmap's version and code, the command's options, the current folder, the files the paths
name (a file added to a folder changes it), which configuration files exist on the way up, and
what decides colours (the terminal, ``NO_COLOR``, ``FORCE_COLOR``). An entry is used only when
every file it read still has the same content, so an edit to an organisation file is seen like
an edit to the process.

A hit is answered by :mod:`flowmap.replay` as soon as Python has started (``flowmap.launch``),
importing nothing of flowmap but that; the key and the entry's format live there. This module
is the writing side, used by a run that missed: entries are written atomically (a concurrent run
reads the old entry or the new one, never half of one), the folder is kept under a size limit
(the oldest entries go first), and an entry that cannot be read, is not what flowmap wrote or is
cut short is ignored and replaced. Runs that end in an error (exit code 2) are not kept: what
caused it may be a file that did not exist.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import flowmap.replay as hit
from flowmap import files
from flowmap.replay import Entry, analyze_options, isatty, replay, replay_analyze

__all__ = ["Entry", "ResultCache", "analyze_options", "for_analyze", "reads_of", "recording"]
__all__ += ["replay", "replay_analyze"]

MAX_BYTES = 256 * 2**20  # the whole folder; the oldest entries are removed beyond it
_README = (
    "This folder is flowmap's result cache (see `flowmap analyze --help`). It is safe to delete.\n"
)


class ResultCache:
    """The cache of one run: its key, and the entry found or to be written."""

    def __init__(self, folder: str | os.PathLike, key: str, max_bytes: int = MAX_BYTES):
        self.folder, self.key, self.max_bytes = Path(folder), key, max_bytes

    @classmethod
    def for_run(
        cls,
        folder: str | os.PathLike,
        command: str,
        options: dict,
        paths: list[str],
        listed: list[str],
        skipped: list,
    ) -> ResultCache:
        """The cache entry of a run of ``command`` with ``options`` on ``paths``; ``listed`` are
        the files the paths name (:func:`flowmap.replay.listing`)."""
        return cls(folder, hit.key_of(command, options, paths, listed, skipped))

    @property
    def path(self) -> Path:
        return Path(hit.entry_path(str(self.folder), self.key))

    def lookup(self) -> Entry | None:
        """The entry of this run if it exists, is intact and every file it read is unchanged."""
        return hit.lookup(str(self.folder), self.key)

    def store(self, entry: Entry) -> None:
        """Keep ``entry`` (quietly nothing when the folder cannot be written)."""
        payload = hit.encode(entry, self.key)
        if len(payload) > hit.MAX_ENTRY_BYTES:
            return
        try:
            fresh = not self.folder.exists()
            files.write_atomic(self.path, payload)
            if fresh:
                for name, text in ((".gitignore", "*\n"), ("README.txt", _README)):
                    files.write_atomic(self.folder / name, text)
            self.evict()
        except OSError:
            return

    def evict(self) -> None:
        """Remove the least recently used entries until the folder is within its limit (entries
        of earlier flowmap versions, whatever their name, count and go first)."""
        entries = []
        for path in self.folder.glob("??/*"):
            with contextlib.suppress(OSError):
                info = path.stat()
                if path.is_file():
                    entries.append((info.st_mtime, info.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size


def for_analyze(
    paths: tuple[str, ...] | list[str],
    options: dict,
    cache_dir: str | None,
    config_file: str | None,
) -> tuple[ResultCache, list[str]] | None:
    """The cache entry of ``flowmap analyze PATHS`` with ``options`` (the values of its options
    that change the output), and the files to check on a hit: those the paths name and the
    configuration files on the way up; None when the cache is off or a path does not exist (the
    run reports that, uncached)."""
    found = hit.analyze_run(paths, options, cache_dir, config_file)
    if found is None:
        return None
    folder, key, listed = found
    configs = hit.config_candidates(paths[0] if paths else ".")
    return ResultCache(folder, key), [*listed, *configs]


def reads_of(inputs: set[str], listed: list[str]) -> dict[str, str]:
    """The digest of every file a run read (and of every file it was given)."""
    out = {}
    for path in sorted({os.path.realpath(p) for p in (*inputs, *listed)}):
        digest = hit.digest(path)
        if digest is not None:
            out[path] = digest
    return out


# ---------------------------------------------------------------------------------------------
# Recording what a command prints
# ---------------------------------------------------------------------------------------------


class _Recorder(io.StringIO):
    """Holds what a command prints, and answers ``isatty`` as the stream it stands for (the
    text report colours only a terminal)."""

    def __init__(self, stream):
        super().__init__()
        self._tty = isatty(stream)

    def isatty(self) -> bool:
        return self._tty


@contextlib.contextmanager
def recording() -> Iterator[tuple[_Recorder, _Recorder]]:
    """Within this block standard output and error are recorded; at its end (also when the
    command fails) what was recorded is written to the real streams."""
    out, err = _Recorder(sys.stdout), _Recorder(sys.stderr)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = real_out, real_err
        replay(Entry(out.getvalue(), err.getvalue(), 0))
