"""The documents an editor has open, and what flowmap makes of each version of them.

A :class:`Snapshot` is one version of one document: its text, its kind (process, organisation
or BPMN file) and, computed once and kept while that version lives, what the loaders and the
analysis say about it (:class:`Checked`) and where its ids are written
(:mod:`flowmap.lsp.index`). Everything here calls the Python API — the loaders read the unsaved
text of every open YAML document instead of the disk (``texts``) — and translates positions:
flowmap counts 1-based lines and characters, the protocol 0-based lines and client code units
(UTF-16 unless the client asks otherwise).
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from flowmap import suffixes
from flowmap.errors import FlowmapError, LoadError, Location, Problem

if TYPE_CHECKING:
    from flowmap.analysis import Analysis
    from flowmap.config import Config
    from flowmap.graph import ProcessGraph
    from flowmap.loaders.flow_yaml import Parsed
    from flowmap.lsp.index import Index
    from flowmap.model import Process

_ORG_REF = re.compile(
    r"^organisation:([ \t]*)(?:\"([^\"\n]+)\"|'([^'\n]+)'|([^\s#][^#\n]*))?", re.MULTILINE
)


# BPMN files by their own suffixes: a plain .xml file open in the editor is not taken for one.
_BPMN = tuple(s for s in suffixes.BPMN if s != ".xml")


def kind_of(path: str) -> str:
    """``process``, ``organisation``, ``bpmn`` or ``""`` (a file flowmap does not read)."""
    name = os.path.basename(path).lower()
    if name.endswith(suffixes.PROCESS):
        return "process"
    if name.endswith(suffixes.ORGANISATION):
        return "organisation"
    if name.endswith(_BPMN):
        return "bpmn"
    return ""


def key(path: str | os.PathLike) -> str:
    from flowmap.loaders.flow_yaml import text_key

    return text_key(path)


@dataclass
class Checked:
    """What flowmap says about one version of a document."""

    process: Process | None = None  # the process (or, for an org file, a process holding it)
    analysis: Analysis | None = None
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0  # how long loading and analysing took (wall clock)
    cpu_seconds: float = 0.0  # the server's own processor time (a busy machine does not inflate it)
    _graph: ProcessGraph | None = None

    def graph(self) -> ProcessGraph | None:
        """The process as a graph (handoffs, chains of command), built once when asked."""
        if self._graph is None and self.process is not None:
            from flowmap.graph import ProcessGraph

            self._graph = ProcessGraph(self.process)
        return self._graph


@dataclass
class Snapshot:
    uri: str
    path: str  # absolute, normalised
    version: int | None
    text: str
    kind: str
    codec: PositionCodec = field(default_factory=PositionCodec)
    _lines: list[str] | None = None
    _org: tuple[str | None, int] | None = None

    @property
    def organisation_file(self) -> str | None:
        """The ``*.org.yaml`` file a process names (``organisation: FILE``), absolute."""
        return self._organisation()[0]

    @property
    def organisation_line(self) -> int:
        """The 0-based line of ``organisation:`` (0 when there is none)."""
        return self._organisation()[1]

    def _organisation(self) -> tuple[str | None, int]:
        # A line scan, not a parse: asked on every publish, and the text may not parse.
        if self._org is None:
            found = _ORG_REF.search(self.text) if self.kind == "process" else None
            if found is None:
                self._org = (None, 0)
            else:
                ref = next((g for g in found.groups()[1:] if g), "").strip()
                line = self.text.count("\n", 0, found.start())
                is_file = bool(ref) and not ref.startswith(("{", "[", "&", "*", "|", ">"))
                self._org = (
                    key(os.path.join(os.path.dirname(self.path), ref)) if is_file else None,
                    line,
                )
        return self._org

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    # -- positions -----------------------------------------------------------------------------
    def position(self, line: int, character: int) -> types.Position:
        """A 0-based line and code-point column as the client counts them."""
        lines = self.lines
        if line >= len(lines):
            return types.Position(line=len(lines), character=0)
        text = lines[line].rstrip("\r")
        return types.Position(
            line=line, character=self.codec.client_num_units(text[: max(0, character)])
        )

    def range(
        self, line: int, start: int, end: int | None = None, end_line: int | None = None
    ) -> types.Range:
        """From (line, start) to (end_line or line, end); ``end`` None: the end of that line."""
        last = line if end_line is None else end_line
        if end is None:
            end = len(self.lines[last].rstrip("\r")) if last < len(self.lines) else 0
        return types.Range(start=self.position(line, start), end=self.position(last, end))

    def line_range(self, location: Location) -> types.Range:
        """The range a 1-based location names: from its column to the end of its line."""
        line = max(location.line - 1, 0)
        if line >= len(self.lines):
            line = max(len(self.lines) - 1, 0)
        column = max(location.column - 1, 0)
        text = self.lines[line].rstrip("\r") if self.lines else ""
        if column >= len(text.rstrip()):
            column = len(text) - len(text.lstrip())
        return self.range(line, column, len(text.rstrip()) or None)

    def spot(self, position: types.Position) -> tuple[int, int]:
        """A client position as a 0-based line and code-point column."""
        found = self.codec.position_from_client_units(self.lines, position)
        return found.line, found.character


class Documents:
    """Open documents, their checked versions, and the configuration of their folders."""

    def __init__(self) -> None:
        self.open: dict[str, Snapshot] = {}  # by uri
        self._checked: dict[str, tuple[tuple, Checked]] = {}
        self._index: dict[str, tuple[int | None, Index]] = {}
        self._good: dict[str, Checked] = {}  # the last version that loaded, by uri
        self._parsed: Parsed = {}  # organisation files parsed once, reused while unchanged
        self._configs: dict[str, Config] = {}
        self.org_generation = 0  # bumped whenever an organisation file's text may have changed

    # -- the editor's events -------------------------------------------------------------------
    def put(
        self, uri: str, text: str, version: int | None, codec: PositionCodec | None = None
    ) -> Snapshot:
        path = key(to_fs_path(uri) or uri)
        snapshot = Snapshot(uri, path, version, text, kind_of(path), codec or PositionCodec())
        self.open[uri] = snapshot
        if snapshot.kind == "organisation":
            self.org_generation += 1
        return snapshot

    def close(self, uri: str) -> None:
        snapshot = self.open.pop(uri, None)
        self._checked.pop(uri, None)
        self._index.pop(uri, None)
        self._good.pop(uri, None)
        if snapshot is not None and snapshot.kind == "organisation":
            self.org_generation += 1

    def saved(self, uri: str) -> None:
        """A file was written: configuration files are read again, BPMN files re-checked."""
        name = os.path.basename(to_fs_path(uri) or uri)
        if name in ("flowmap.toml", "pyproject.toml"):
            self._configs.clear()
            self._checked.clear()
        snapshot = self.open.get(uri)
        if snapshot is not None and snapshot.kind == "bpmn":
            self._checked.pop(uri, None)

    def texts(self) -> dict[str, str]:
        """The unsaved text of every open YAML document, for the loaders."""
        return {s.path: s.text for s in self.open.values() if s.kind in ("process", "organisation")}

    def text_of(self, path: str) -> str | None:
        """An open document's text, else the file's, else None."""
        path = key(path)
        for snapshot in self.open.values():
            if snapshot.path == path:
                return snapshot.text
        try:
            return Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return None

    def config(self, path: str) -> Config:
        from flowmap.config import find_config

        folder = os.path.dirname(path)
        if folder not in self._configs:
            self._configs[folder] = find_config(path)
        return self._configs[folder]

    # -- what flowmap says ---------------------------------------------------------------------
    def checked(self, snapshot: Snapshot) -> Checked:
        """Load and analyse one version (cached: hover, completion and the next publish of the
        same version reuse it)."""
        stamp = (
            snapshot.version,
            len(snapshot.text),
            hash(snapshot.text),
            self.org_generation if snapshot.kind != "bpmn" else 0,
        )
        cached = self._checked.get(snapshot.uri)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        started, cpu = time.perf_counter(), time.thread_time()
        result = self._check(snapshot)
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = time.thread_time() - cpu
        self._checked[snapshot.uri] = (stamp, result)
        if result.process is not None:
            self._good[snapshot.uri] = result
        return result

    def last_good(self, snapshot: Snapshot) -> Checked | None:
        """This version if it loads, else the last one that did (a line being typed breaks the
        file; completion still needs its roles and steps)."""
        checked = self.checked(snapshot)
        return checked if checked.process is not None else self._good.get(snapshot.uri)

    def _check(self, snapshot: Snapshot) -> Checked:
        from flowmap.analysis import analyze

        warnings: list[Problem] = []  # what a BPMN import had to guess
        try:
            config = self.config(snapshot.path)
            process = self._load(snapshot, config, warnings)
        except LoadError as exc:
            return Checked(problems=list(exc.problems))
        except FlowmapError as exc:  # a bad configuration file, an unreadable file
            return Checked(
                problems=[Problem(Location(snapshot.path, 1, 1), str(exc), code="configuration")]
            )
        except Exception as exc:  # noqa: BLE001 -- a bug in flowmap: say so on the document, keep serving
            return Checked(problems=[_internal(snapshot.path, exc)])
        if snapshot.kind == "organisation":
            return Checked(process=process)
        try:
            return Checked(process=process, analysis=analyze(process, config), problems=warnings)
        except FlowmapError as exc:
            return Checked(
                process=process,
                problems=[Problem(Location(snapshot.path, 1, 1), str(exc), code="configuration")],
            )
        except Exception as exc:  # noqa: BLE001 -- as above: a bug is shown, not fatal
            return Checked(process=process, problems=[_internal(snapshot.path, exc)])

    def _load(self, snapshot: Snapshot, config: Config, warnings: list[Problem]) -> Process:
        from flowmap.loaders import load_any
        from flowmap.loaders.flow_yaml import load_process

        if snapshot.kind == "bpmn":  # read from the disk: checked on open and on save
            return load_any(
                snapshot.path, max_bytes=config.max_bytes, org=config.org or None, warnings=warnings
            )
        texts = self.texts()
        if snapshot.kind == "organisation":
            # The loader --org uses: the chain of command, the lanes table, every position.
            from flowmap.loaders.org_file import load_org_file
            from flowmap.model import Process

            found = load_org_file(snapshot.path, max_bytes=config.max_bytes, texts=texts)
            shell = Process.model_validate(
                {"process": {"id": "organisation"}, "organisation": found.organisation}
            )
            return shell.with_source(snapshot.path, dict(found.locations))
        return load_process(
            snapshot.path, max_bytes=config.max_bytes, texts=texts, parsed=self._parsed
        )

    def index(self, snapshot: Snapshot) -> Index | None:
        """Where the ids of a YAML document are written; the last good one while the text does
        not parse (a half-typed line), None for BPMN."""
        from flowmap.lsp import index

        if snapshot.kind not in ("process", "organisation"):
            return None
        cached = self._index.get(snapshot.uri)
        if cached is not None and cached[0] == snapshot.version and snapshot.version is not None:
            return cached[1]
        built = index.build(snapshot.text, snapshot.path)
        if built is None:
            return cached[1] if cached else None
        if snapshot.uri in self.open:
            self._index[snapshot.uri] = (snapshot.version, built)
        return built

    def index_of_path(self, path: str) -> Index | None:
        """The index of an open document or of a file on disk (an organisation file)."""
        from flowmap.lsp import index

        path = key(path)
        for snapshot in self.open.values():
            if snapshot.path == path:
                return self.index(snapshot)
        text = self.text_of(path)
        return index.build(text, path) if text is not None else None

    def processes_using(self, org_path: str) -> list[Snapshot]:
        """Open process documents whose organisation is the file ``org_path``."""
        org_path = key(org_path)
        found = []
        for snapshot in list(self.open.values()):
            if snapshot.kind != "process":
                continue
            if snapshot.organisation_file == org_path:
                found.append(snapshot)
        return found


def _internal(path: str, exc: Exception) -> Problem:
    if os.environ.get("FLOWMAP_DEBUG"):
        raise exc
    return Problem(
        Location(path, 1, 1),
        f"internal error: {type(exc).__name__}: {exc}",
        "this is a bug in flowmap; please report it with this file",
        "internal-error",
    )
