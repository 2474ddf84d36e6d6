"""A bounded reader for one large JSON document: the items of its top-level arrays, one at a
time, each with the line and column where it starts; never the whole file in memory.

OCEL 2.0 JSON logs hold every event in one top-level array; :func:`items` yields them one by
one while holding only a window of the file (:data:`CHUNK`, grown for an item larger than
that, up to :data:`ITEM_LIMIT`). Each item is decoded by the standard library's C decoder;
a syntax error raises :class:`JSONSyntax` with the line and column of the fault in the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20
ITEM_LIMIT = 256 << 20  # one event or object this large is not an event log
_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"
_MARGIN = 16  # longer than any token cut short (an escape pair is 12 characters)


END = object()  # the value given for a streamed array once its last item has been given


class JSONSyntax(ValueError):
    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class _Window:
    """A sliding window of the file's text, which knows the line and column of any offset."""

    def __init__(self, handle, chunk: int):
        self.handle, self.chunk = handle, chunk
        self.text = ""
        self.pos = 0  # the reading position in text
        self.line, self.line_start = 1, 0  # line at text[0], and where that line began
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        data = self.handle.read(self.chunk)
        if not data:
            self.eof = True
            return False
        # Drop what was read: count its lines first, so positions stay absolute.
        done = self.text[: self.pos]
        breaks = done.count("\n")
        if breaks:
            self.line += breaks
            self.line_start = self.pos - (len(done) - done.rfind("\n") - 1)
        self.line_start -= self.pos
        self.text = self.text[self.pos :] + data
        self.pos = 0
        return True

    def where(self, offset: int) -> tuple[int, int]:
        before = self.text[:offset]
        breaks = before.count("\n")
        if breaks:
            return self.line + breaks, offset - before.rfind("\n")
        return self.line, offset - self.line_start + 1

    def skip_space(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _SPACE:
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self.more():
                return ""

    def expect(self, wanted: str, what: str) -> str:
        found = self.skip_space()
        if found not in wanted:
            line, column = self.where(self.pos)
            raise JSONSyntax(
                f"expected {what}, found {found or 'the end of the file'!r}", line, column
            )
        self.pos += 1
        return found

    def value(self):
        """Decode the JSON value at the reading position, reading more of the file as needed."""
        self.skip_space()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                # A value cut by the window's end fails near that end (or as a string left
                # open): read on. A fault well inside the window is the file's.
                at_end = exc.pos >= len(self.text) - _MARGIN or "Unterminated" in exc.msg
                if at_end and len(self.text) - self.pos < ITEM_LIMIT and self.more():
                    continue  # the value goes on past the window
                line, column = self.where(exc.pos)
                raise JSONSyntax(exc.msg, line, column) from None
            if end == len(self.text) and not self.eof and self.more():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value


def items(path: Path, arrays: tuple[str, ...], chunk: int | None = None) -> Iterator[tuple]:
    """(key, index, item, line, column) for each item of the top-level arrays named, then
    (key, None, END, line, column) at the array's end; (key, None, value, line, column) for
    the other top-level values (a named key whose value is not an array included); in the
    order of the file."""
    with path.open(encoding="utf-8") as handle:
        window = _Window(handle, chunk or CHUNK)
        window.expect("{", "'{' (a JSON object)")
        if window.skip_space() == "}":
            return
        while True:
            line, column = window.where(window.pos)
            key = window.value()
            if not isinstance(key, str):
                raise JSONSyntax("expected a key in double quotes", line, column)
            window.expect(":", "':'")
            if key in arrays and window.skip_space() == "[":
                window.pos += 1
                index = 0
                if window.skip_space() == "]":
                    window.pos += 1
                    line, column = window.where(window.pos)
                    yield key, None, END, line, column
                else:
                    while True:
                        window.skip_space()
                        line, column = window.where(window.pos)
                        yield key, index, window.value(), line, column
                        index += 1
                        if window.expect(",]", "',' or ']'") == "]":
                            break
                line, column = window.where(window.pos)
                yield key, None, END, line, column
            else:
                window.skip_space()
                line, column = window.where(window.pos)
                yield key, None, window.value(), line, column
            if window.expect(",}", "',' or '}'") == "}":
                break
        if window.skip_space():
            line, column = window.where(window.pos)
            raise JSONSyntax("extra data after the JSON document", line, column)
