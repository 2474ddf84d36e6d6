"""A file's lines, decoded a small block at a time: where a BPMN element was written is looked
up on its line (:meth:`flowmap.loaders.bpmn.xml.Document.position`), for the few thousand
elements findings point at in a file of hundreds of thousands of lines."""

from __future__ import annotations

import bisect
import codecs

# Encodings in which byte 10 is always a newline and never part of a longer character, so that
# a block of lines can be decoded alone (not UTF-16 or UTF-32).
_LINE_SAFE = (
    *("utf-8", "ascii", "iso8859", "cp125", "cp874", "cp932", "cp936", "cp949", "cp950"),
    *("mac-", "koi8", "shift_jis", "euc", "gb", "big5"),
)


class Lines:
    """The lines of a file's text, decoded a small block at a time when one is asked for.

    Findings point at a few thousand elements of a model that can have hundreds of thousands of
    lines: splitting the whole text at the first position made a string of every line (30 MB on
    a 15 MB file, built in the middle of the analysis). Only the blocks asked for are decoded,
    and only the last few are kept."""

    BLOCK_BYTES = 4096
    KEEP = 64  # decoded blocks kept

    def __init__(self, data: bytes, encoding: str):
        self._data = data
        self._encoding = encoding
        self._decoded: dict[int, list[str]] = {}
        name = codecs.lookup(encoding).name
        if not name.startswith(_LINE_SAFE):
            self._starts: list[int] = [0]
            self._firsts: list[int] = [0]
            self._decoded[0] = data.decode(encoding, errors="replace").split("\n")
            self._count = len(self._decoded[0])
            return
        # Block k holds the lines from byte starts[k]; its first line has index firsts[k].
        starts, firsts, line = [0], [0], 0
        while (cut := data.find(b"\n", starts[-1] + self.BLOCK_BYTES)) >= 0:
            line += data.count(b"\n", starts[-1], cut + 1)
            starts.append(cut + 1)
            firsts.append(line)
        self._starts, self._firsts = starts, firsts
        self._count = line + data.count(b"\n", starts[-1]) + 1

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < self._count:
            raise IndexError(index)
        block = bisect.bisect_right(self._firsts, index) - 1
        lines = self._decoded.get(block)
        if lines is None:
            if len(self._decoded) >= self.KEEP:
                del self._decoded[next(iter(self._decoded))]
            end = self._starts[block + 1] - 1 if block + 1 < len(self._starts) else None
            text = self._data[self._starts[block] : end]
            lines = self._decoded[block] = text.decode(self._encoding, errors="replace").split("\n")
        return lines[index - self._firsts[block]]
