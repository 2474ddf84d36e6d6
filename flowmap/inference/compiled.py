"""The lexicons' regular expressions, compiled once and kept, as Python keeps compiled modules.

Compiling the words of eight languages is most of what reading names costs on a cold start:
Python's regular-expression parser and compiler are written in Python, and a lexicon is
thousands of words. What they produce, the engine's code for an expression, is plain data, so it
is kept in ``flowmap/inference/__pycache__/`` beside the bytecode Python keeps there, and the
next run hands it straight to the engine (``_sre.compile``, what :func:`re.compile` ends with).
The widths of the words (how the lexicons are sorted) are kept with them, and so is each
lexicon as read from the word files, while those files are unchanged (their size and time, as
Python checks a module's source).

Like a ``.pyc`` file, the table is only ever a shortcut: an expression is looked up by its exact
text, so a changed word is simply compiled again; the table is written when a run compiled
something new, atomically, never when Python is told not to write bytecode
(``PYTHONDONTWRITEBYTECODE``) or where the folder cannot be written; a table of another Python,
or one that cannot be read, is ignored. Any failure falls back to :func:`re.compile`.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

try:  # the engine and the compiler re uses; another Python without them simply compiles
    import _sre  # type: ignore[import-not-found]
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Pythons
    _sre = None

_FOLDER = Path(__file__).resolve().parent / "__pycache__"
_FORMAT = 2  # 2: an expression's code and a lexicon are each kept as their own marshal bytes
# The engine's code changes between Python versions: the table is Python's own.
_STAMP = (_FORMAT, sys.version, getattr(_sre, "MAGIC", 0), getattr(_sre, "CODESIZE", 0))
_LIMIT = 8 * 2**20  # a table larger than this is not read (it is rebuilt)
# "re": expression -> engine code; "width": word -> width; "lexicon": concept -> (the word
# files' sizes and times, the words as read)
_KINDS = ("re", "width", "lexicon")
# Kept as marshal bytes each, read when first asked for: a run uses a few dozen of the
# expressions and a few of the lexicons, and reading the whole table cost more than the run's
# own lookups.
_PACKED = ("re", "lexicon")


class _Kept:
    """The table of one run: what was read, what this run used, whether it compiled anew."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._table: dict[str, dict[str, Any]] | None = None  # kind -> key -> value
        self.used: dict[str, dict[str, Any]] = {kind: {} for kind in _KINDS}
        self.dirty = False

    @property
    def path(self) -> Path:
        return self.folder / f"lexicons.{sys.implementation.cache_tag}.marshal"

    @property
    def table(self) -> dict[str, dict[str, Any]]:
        if self._table is None:
            self._table = {kind: {} for kind in _KINDS}
            try:
                if self.path.stat().st_size <= _LIMIT:
                    data = marshal.loads(self.path.read_bytes())
                    if (
                        isinstance(data, dict)
                        and data.get("stamp") == _STAMP
                        and all(isinstance(data.get(kind), dict) for kind in _KINDS)
                    ):
                        self._table = {kind: data[kind] for kind in _KINDS}
            except (OSError, ValueError, EOFError, TypeError):
                pass  # no table yet, or one that cannot be read: compile
        return self._table

    def get(self, kind: str, key: str) -> Any:
        used = self.used[kind]
        if key in used:
            return used[key]
        value = self.table[kind].get(key)
        if value is not None and kind in _PACKED:
            try:
                value = marshal.loads(value)
            except (ValueError, EOFError, TypeError):
                value = None  # a damaged entry: compiled again, and kept anew
        if value is not None:
            used[key] = value
        return value

    def remember(self, kind: str, key: str, value: Any) -> None:
        self.used[kind][key] = value
        self.table[kind][key] = marshal.dumps(value) if kind in _PACKED else value
        if not self.dirty:
            self.dirty = True
            atexit.register(self.save)

    def save(self) -> None:
        """Write the table when this run compiled something new (atomically; quietly not where
        bytecode is not written, nor where the folder cannot be written). A table much larger
        than what this run used keeps only that, so words since changed do not pile up."""
        if not self.dirty or sys.dont_write_bytecode:
            return
        self.dirty = False
        keep = {
            kind: (
                self.table[kind]
                if len(self.table[kind]) <= 4 * max(len(self.used[kind]), 500)
                else {key: self.table[kind][key] for key in self.used[kind]}
            )
            for kind in _KINDS
        }
        try:
            from flowmap.files import write_atomic

            write_atomic(self.path, marshal.dumps({"stamp": _STAMP, **keep}))
        except (OSError, ValueError):
            pass  # a read-only installation: the next run compiles again, as without it


_KEPT = _Kept(_FOLDER)


def pattern(regex: str) -> re.Pattern[str]:
    """``re.compile(regex)``, from the kept engine code when this Python compiled it before."""
    if _sre is None:  # pragma: no cover - other Pythons
        return re.compile(regex)
    kept = _KEPT.get("re", regex)
    if kept is not None:
        try:
            flags, code, groups, groupindex, indexgroup = kept
            compiled: re.Pattern[str] = _sre.compile(
                regex, flags, code, groups, groupindex, indexgroup
            )
        except (TypeError, ValueError, RuntimeError):  # not what this engine wrote: compile
            pass
        else:
            return compiled
    try:
        parsed = _parser.parse(regex, 0)
        code = [int(op) for op in _compiler._code(parsed, 0)]  # named constants: plain ints
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        kept = (parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        compiled = _sre.compile(regex, *kept)
    except (AttributeError, TypeError):  # pragma: no cover - a Python whose internals differ
        return re.compile(regex)
    _KEPT.remember("re", regex, kept)
    return compiled


def width(word: str, measure: Callable[[str], int]) -> int:
    """``measure(word)``, the shortest match of a word, kept with the expressions."""
    known = _KEPT.get("width", word)
    if isinstance(known, int):
        return known
    found = measure(word)
    _KEPT.remember("width", word, found)
    return found


def lexicon(concept: str, sources: tuple[str, ...], read: Callable[[], Any]) -> Any:
    """``read()``, a concept's words as read from the word files ``sources`` (plain data),
    kept while every one of those files has the same size and time."""
    try:
        stamp = [
            (source, info.st_size, info.st_mtime_ns)
            for source in sources
            for info in (os.stat(source),)
        ]
    except OSError:  # no source files (an installation without them): read
        return read()
    kept = _KEPT.get("lexicon", concept)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp:
        return kept[1]
    words = read()
    try:
        marshal.dumps(words)
    except ValueError:  # pragma: no cover - a value that is not plain data: not kept
        return words
    _KEPT.remember("lexicon", concept, (stamp, words))
    return words
