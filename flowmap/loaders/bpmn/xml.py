"""Stage 1 of the BPMN loader: a BPMN file read as XML, safely; the only part that touches bytes.

* **Hostile input is refused.** The parser (lxml) never loads a DTD, never touches the network,
  never substitutes entities and keeps its limits on (``huge_tree=False``). A document that
  declares entities in a DOCTYPE (billion laughs, quadratic blow-up, external entities such as
  ``file:///etc/passwd`` or ``http://...``) or names an external DTD (``SYSTEM``/``PUBLIC``)
  is refused before it is parsed; a bare ``<!DOCTYPE definitions>`` is ignored. Files above
  ``max_bytes`` are refused before they are read.
* **Encodings.** Any encoding the XML declaration names (UTF-8, UTF-16, ISO-8859-1...) is read as
  declared. A file that *declares* UTF-8 (or declares nothing) but holds bytes that are not UTF-8
  is recovered: each invalid byte is read as Windows-1252 (the usual culprit is a Latin-1
  editor), and a warning names the first such byte's line and column.
* **Positions.** lxml gives the line of each element (the line where its start tag ends);
  :meth:`Document.position` turns that into the line and column of the tag's ``<``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from lxml import etree

from flowmap.errors import LoadError, Location, Problem
from flowmap.loaders.bpmn.lines import Lines

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

MODEL_NS = (
    "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "http://schema.omg.org/spec/BPMN/2.0",
)  # the second: drafts some tools still write
DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
FLOWMAP_NS = "https://flowmap.dev/bpmn/1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
FM = f"{{{FLOWMAP_NS}}}"  # prefix of flowmap's own attributes and extension elements

_ENTITY_MARKS = tuple("<!ENTITY".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))
_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(enc) for enc in ("ascii", "utf-16-le", "utf-16-be"))
_ID_ATTR = re.compile(r"""(?<![\w:.-])id\s*=\s*(["'])(.*?)\1""")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class Document:
    """A parsed BPMN file: its root element (an lxml element: lxml has no type information
    here) and what is needed to point into its text. A plain record (flowmap.records)."""

    __slots__ = ("path", "root", "data", "encoding", "warnings", "_lines", "_columns")

    def __init__(
        self,
        path: str,
        root: Any,
        data: bytes,
        encoding: str,
        warnings: list[Problem] | None = None,
    ):
        self.path, self.root, self.data, self.encoding = path, root, data, encoding
        self.warnings = [] if warnings is None else warnings
        self._lines: Lines | None = None
        self._columns: dict[int, dict[str, int]] = {}

    def lines(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self.data, self.encoding)
        return self._lines

    def position(self, element) -> Location:
        """Line and column of the ``<`` that opens ``element`` (column 0 when not found)."""
        return self.position_of(spot(element))

    def position_of(self, where: Spot) -> Location:
        """Line and column of the ``<`` that opens the element :func:`spot` described."""
        line, ident, local = where
        if not line:
            return Location(self.path)
        lines = self.lines()
        if ident is not None and line <= len(lines):
            column = self._ids_on(line).get(ident)
            if column is not None:
                return Location(self.path, line, column)
        # The start tag ends on `line`; it may begin a few lines above when its attributes wrap.
        for number in range(min(line, len(lines)), max(0, line - 30), -1):
            text = lines[number - 1]
            at = -1
            if ident is not None:
                for quote in ('"', "'"):
                    hit = text.find(f"id={quote}{ident}{quote}")
                    if hit >= 0:
                        at = text.rfind("<", 0, hit)
                        if at < 0:  # the tag's name is on an earlier line
                            return self._tag_above(number, local)
                        break
            else:
                match = re.search(rf"<(?:[\w.-]+:)?{re.escape(local)}[\s/>]", text)
                at = match.start() if match else -1
            if at >= 0:
                return Location(self.path, number, at + 1)
        return Location(self.path, line, 0)

    def _ids_on(self, number: int) -> dict[str, int]:
        """Column of the ``<`` of each tag on line ``number`` that has an id: one pass per line,
        so that files written on a single line stay fast."""
        cache = self._columns.get(number)
        if cache is None:
            text = self.lines()[number - 1]
            cache = {}
            for match in _ID_ATTR.finditer(text):
                at = text.rfind("<", 0, match.start())
                if at >= 0:
                    cache.setdefault(match.group(2), at + 1)
            self._columns[number] = cache
        return cache

    def _tag_above(self, number: int, local: str) -> Location:
        lines = self.lines()
        pattern = re.compile(rf"<(?:[\w.-]+:)?{re.escape(local)}(?:\s|$)")
        for above in range(number - 1, max(0, number - 30), -1):
            match = pattern.search(lines[above - 1])
            if match:
                return Location(self.path, above, match.start() + 1)
        return Location(self.path, number, 0)


_LOCALS: dict[str, str] = {}
_SPACE = re.compile(r"\s+")


def local_name(tag) -> str:
    """The local name of a Clark-notation tag ('{ns}task' -> 'task'); '' for comments."""
    try:
        return _LOCALS[tag]
    except KeyError:
        local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
        if isinstance(tag, str) and len(_LOCALS) < 10_000:
            _LOCALS[tag] = local
        return local
    except TypeError:  # comments and processing instructions have a function as tag
        return ""


# What finding an element's position needs (its line, id and local name), kept instead of the
# element: a kept lxml element keeps the whole parsed tree alive (291 MB for a 15 MB model).
Spot = tuple[int, str | None, str]


def spot(element) -> Spot:
    return element.sourceline or 0, element.get("id"), local_name(element.tag)


def namespace(tag) -> str:
    """The namespace of a Clark-notation tag ('' when it has none)."""
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def clean(text: str | None) -> str:
    """A name as one line: runs of white space (line breaks in a modeler's label) to one space."""
    return _SPACE.sub(" ", text or "").strip()


def documentation(element, exported: bool) -> str:
    """The text of an element's ``<documentation>`` children (kept as written in files flowmap
    wrote, folded to one line per entry otherwise)."""
    tidy = str.strip if exported else clean
    texts = [
        tidy("".join(child.itertext()))
        for child in element
        if local_name(child.tag) == "documentation"
    ]
    return "\n".join(t for t in texts if t)


def flowmap_extensions(element: Any) -> list[Any]:
    """The ``flowmap:`` elements inside an element's ``<extensionElements>``."""
    out: list[Any] = []
    for child in element:
        if local_name(child.tag) == "extensionElements":
            out.extend(c for c in child if isinstance(c.tag, str) and c.tag.startswith(FM))
    return out


def ignore_codes(extensions) -> dict[str, str]:
    """``<flowmap:ignore code=... reason=...>`` entries: rule code -> reason."""
    return {
        e.get("code", ""): e.get("reason", "")
        for e in extensions
        if local_name(e.tag) == "ignore" and e.get("code")
    }


class LazyLocations(dict):
    """Element positions, computed when first asked for.

    Finding an element's column costs a look at its line; a large model has ~100,000 elements
    and a report needs the positions of a few. Keys are known from the start (``in``, ``get``,
    ``[]``, iteration behave as in a plain dict); values are computed on first access. It
    pickles as a plain dict of every position.
    """

    def __init__(self, document: Document):
        super().__init__()
        self._document = document
        self._pending: dict[str, Spot] = {}

    def defer(self, key: str, element) -> None:
        """The position of ``element`` under ``key``, found when first asked for. The element
        itself is not kept (see :func:`spot`), so that the tree can go once the model is read."""
        self._pending[key] = spot(element)
        if dict.__contains__(self, key):
            dict.__delitem__(self, key)

    def __missing__(self, key: str) -> Location:
        where = self._pending.pop(key)  # KeyError when unknown, as a dict would
        value = self._document.position_of(where)
        dict.__setitem__(self, key, value)
        return value

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self._pending

    def get(self, key, default=None):
        if dict.__contains__(self, key) or key in self._pending:
            return self[key]
        return default

    def _all(self) -> None:
        for key in list(self._pending):
            self[key]

    def __iter__(self):
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        return dict.__len__(self) + len(self._pending)

    def keys(self):
        self._all()
        return dict.keys(self)

    def values(self):
        self._all()
        return dict.values(self)

    def items(self):
        self._all()
        return dict.items(self)

    def __reduce__(self):
        self._all()
        return dict, (dict(dict.items(self)),)


def _refuse(path: str, message: str, hint: str, code: str, line: int = 0, column: int = 0):
    raise LoadError(path, [Problem(Location(path, line, column), message, hint, code)])


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def read_bytes(path: Path, max_bytes: int) -> bytes:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            _refuse(
                name,
                f"file is {size / 2**20:.1f} MiB, above the limit of {max_bytes / 2**20:.0f} MiB",
                "split the model, or raise max-file-size-mb in the configuration",
                "too-large",
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        _refuse(
            name,
            f"cannot read the file: {exc.strerror}",
            "check the path and its permissions",
            "unreadable",
        )
    if len(data) > max_bytes:  # the file grew while we looked, or is a device
        _refuse(
            name,
            f"file is larger than the limit of {max_bytes / 2**20:.0f} MiB",
            "raise max-file-size-mb in the configuration",
            "too-large",
        )
    return data


def _check_doctype(name: str, data: bytes) -> None:
    """Refuse a DOCTYPE that declares entities or names an external DTD (parameter entities in
    it could read files or reach the network); a bare ``<!DOCTYPE definitions>`` is harmless."""
    if not any(mark in data for mark in _DOCTYPE_MARKS):
        return
    for mark in _ENTITY_MARKS:
        at = data.find(mark)
        if at >= 0:
            line, column = _line_col(data, at) if mark == _ENTITY_MARKS[0] else (0, 0)
            _refuse(
                name,
                "the file declares XML entities in a DOCTYPE; flowmap refuses them "
                "(they can read local files, reach the network or expand to "
                "gigabytes)",
                "BPMN files never need entities: export the model again from the modeler",
                "entity-declaration",
                line,
                column,
            )
    for encoding, mark in zip(("ascii", "utf-16-le", "utf-16-be"), _DOCTYPE_MARKS, strict=True):
        at = data.find(mark)
        if at < 0:
            continue
        end = data.find(">".encode(encoding), at)
        head = data[at : end if end > 0 else at + 4000]
        if any(word.encode(encoding) in head for word in ("SYSTEM", "PUBLIC")):
            line, column = _line_col(data, at) if encoding == "ascii" else (0, 0)
            _refuse(
                name,
                "the file's DOCTYPE names an external DTD; flowmap does not load "
                "DTDs and refuses such files (they can read local files or reach the "
                "network)",
                "BPMN files need no DOCTYPE: export the model again from the modeler",
                "external-dtd",
                line,
                column,
            )


def _parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
        remove_comments=True,
        remove_pis=True,
    )


def _declared_encoding(data: bytes) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _DECLARED.match(data[:400])
    return match.group(1).decode("ascii").lower() if match else None


def _recover_cp1252(name: str, data: bytes) -> tuple[bytes, Problem]:
    """Re-encode a file that says UTF-8 but is not: invalid bytes are read as Windows-1252."""
    first: list[int] = []

    def handler(error: UnicodeError) -> tuple[str, int]:
        if not isinstance(error, UnicodeDecodeError):  # registered for decoding only
            raise error
        if not first:
            first.append(error.start)
        bad = error.object[error.start : error.end]
        return bad.decode("cp1252", errors="replace"), error.end

    codecs.register_error("flowmap-cp1252", handler)
    text = data.decode("utf-8", errors="flowmap-cp1252")
    line, column = _line_col(data, first[0]) if first else (0, 0)
    byte = data[first[0]] if first else 0
    warning = Problem(
        Location(name, line, column),
        f"the file says it is UTF-8 but byte 0x{byte:02X} here is not UTF-8; flowmap read the "
        "invalid bytes as Windows-1252 (Latin-1)",
        "check the names around this place; save the file as UTF-8 to silence this",
        "encoding-mismatch",
        severity="warning",
    )
    return text.encode("utf-8"), warning


def parse(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and parse a BPMN file; refuses hostile or broken XML with a LoadError."""
    name = str(path)
    data = read_bytes(path, max_bytes)
    _check_doctype(name, data)
    warnings: list[Problem] = []
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        declared = _declared_encoding(data)
        if getattr(exc, "code", None) == 81 and declared in (
            None,
            "utf-8",
            "utf8",
        ):  # ERR_INVALID_ENCODING
            data, warning = _recover_cp1252(name, data)
            warnings.append(warning)
            try:
                root = etree.fromstring(data, _parser())
            except etree.XMLSyntaxError as again:
                _syntax_error(name, again)
        else:
            _syntax_error(name, exc)
    except ValueError as exc:  # e.g. an unsupported encoding name
        _refuse(name, f"cannot decode the file: {exc}", "save it as UTF-8", "encoding")
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        _refuse(
            name,
            "the file declares XML entities in a DOCTYPE; flowmap refuses them",
            "export the model again from the modeler",
            "entity-declaration",
        )
    encoding = (docinfo.encoding or "utf-8").lower()
    if warnings:
        encoding = "utf-8"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    return Document(name, root, data, encoding, warnings)


def _syntax_error(name: str, exc) -> None:
    line, column = exc.position or (exc.lineno or 0, 0)
    message = exc.msg.strip()
    message = re.sub(r", line \d+, column \d+.*$", "", message)
    hint = "the file is not well-formed XML; open it in the modeler that wrote it and save again"
    if "XML_PARSE_HUGE" in message or "huge" in message.lower():  # libxml2's safety limits
        _refuse(
            name,
            "a name, text or attribute here is longer than flowmap reads (10 MB in one "
            "value, or nested too deep)",
            "BPMN names and documentation are short: the file is damaged, or was made to "
            "exhaust memory",
            "xml-syntax",
            line or 0,
            column or 0,
        )
    if "amplification" in message or "entity" in message.lower():
        hint = "flowmap refuses entity expansion; export the model again from the modeler"
    _refuse(name, f"not well-formed XML: {message}", hint, "xml-syntax", line or 0, column or 0)
