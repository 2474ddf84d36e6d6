"""Go to definition, find references, rename, and the document outline.

A step id lives in its process file; a function or role id in the organisation, which is either
inline or an ``*.org.yaml`` file that several process files name. So for roles and functions
the files searched (:func:`scope`) are the organisation file and every process file that uses
it: the open ones and those on disk in the organisation file's folder and below.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.uris import from_fs_path

from flowmap import suffixes
from flowmap.lsp.documents import Documents, Snapshot, key, kind_of
from flowmap.lsp.index import Index, Occurrence, Symbol
from flowmap.model import STEP_ID_RE

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
MAX_FILES = 500  # process files read when looking for the users of an organisation file


def _under_cursor(
    documents: Documents, snapshot: Snapshot, position: types.Position
) -> tuple[Index, Occurrence] | None:
    index = documents.index(snapshot)
    if index is None:
        return None
    found = index.at(*snapshot.spot(position))
    return (index, found) if found is not None else None


def _view(documents: Documents, path: str) -> Snapshot | None:
    """An open document, or a file on disk seen as one (for its ranges)."""
    path = key(path)
    for snapshot in documents.open.values():
        if snapshot.path == path:
            return snapshot
    text = documents.text_of(path)
    if text is None:
        return None
    return Snapshot(from_fs_path(path) or path, path, None, text, kind_of(path))


def _location(view: Snapshot, found: Occurrence) -> types.Location:
    return types.Location(uri=view.uri, range=view.range(found.line, found.start, found.end))


def scope(documents: Documents, snapshot: Snapshot, index: Index, kind: str) -> list[str]:
    """The files where ids of ``kind`` defined or used in this document may be written."""
    if kind == "step":
        return [snapshot.path]
    org = snapshot.path if snapshot.kind == "organisation" else index.organisation_file
    if org is None:
        return [snapshot.path]
    users = {s.path for s in documents.processes_using(org)}
    for path in _process_files(Path(org).parent):
        if key(path) not in users:
            other = documents.index_of_path(str(path))
            if other is not None and other.organisation_file == key(org):
                users.add(key(path))
    return [key(org), *sorted(users)]


def _process_files(folder: Path) -> list[Path]:
    """Process files in ``folder`` and below: at most MAX_FILES, hidden folders skipped."""
    found: list[Path] = []
    for root, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f != "node_modules")
        found += [Path(root, n) for n in sorted(names) if n.lower().endswith(suffixes.PROCESS)]
        if len(found) >= MAX_FILES:
            return found[:MAX_FILES]
    return found


def _all(
    documents: Documents, paths: list[str], kind: str, name: str
) -> list[tuple[Snapshot, Occurrence]]:
    found = []
    for path in paths:
        view = _view(documents, path)
        index = documents.index(view) if view is not None else None
        if view is None or index is None:
            continue
        found += [(view, o) for o in index.of(kind, name)]
    return found


def definition(
    documents: Documents, snapshot: Snapshot, position: types.Position
) -> list[types.Location]:
    here = _under_cursor(documents, snapshot, position)
    if here is None:
        return []
    index, found = here
    return [
        _location(view, o)
        for view, o in _all(
            documents,
            scope(documents, snapshot, index, found.kind)[:1]
            if found.kind != "step"
            else [snapshot.path],
            found.kind,
            found.key,
        )
        if o.definition
    ]


def references(
    documents: Documents,
    snapshot: Snapshot,
    position: types.Position,
    include_declaration: bool = True,
) -> list[types.Location]:
    here = _under_cursor(documents, snapshot, position)
    if here is None:
        return []
    index, found = here
    return [
        _location(view, o)
        for view, o in _all(
            documents, scope(documents, snapshot, index, found.kind), found.kind, found.key
        )
        if include_declaration or not o.definition
    ]


def prepare_rename(
    documents: Documents, snapshot: Snapshot, position: types.Position
) -> types.Range | None:
    here = _under_cursor(documents, snapshot, position)
    if here is None:
        return None
    found = here[1]
    return snapshot.range(found.line, found.start, found.end)


def rename(
    documents: Documents, snapshot: Snapshot, position: types.Position, new_name: str
) -> types.WorkspaceEdit | None:
    """Rename a step, function or role everywhere it is written; refuse a bad or taken id."""
    here = _under_cursor(documents, snapshot, position)
    if here is None:
        return None
    index, found = here
    pattern = STEP_ID_RE if found.kind == "step" else _ID
    if not pattern.match(new_name):
        raise JsonRpcInvalidParams(
            f"{new_name!r} is not a valid {found.kind} id: ids start with a letter and use "
            f"letters, digits, '-' and '_'{', and dots' if found.kind == 'step' else ''}"
        )
    paths = scope(documents, snapshot, index, found.kind)
    new_key = new_name
    if found.kind == "role":
        new_key = f"{found.key.partition('.')[0]}.{new_name}"
    if _all(documents, paths, found.kind, new_key):
        raise JsonRpcInvalidParams(f"there is already a {found.kind} {new_key!r}")
    changes: dict[str, list[types.TextEdit]] = {}
    for view, o in _all(documents, paths, found.kind, found.key):
        changes.setdefault(view.uri, []).append(
            types.TextEdit(range=view.range(o.line, o.start, o.end), new_text=new_name)
        )
    return types.WorkspaceEdit(changes=changes)


def symbols(documents: Documents, snapshot: Snapshot) -> list[types.DocumentSymbol]:
    index = documents.index(snapshot)
    if index is None:
        return []
    return [_symbol(snapshot, s) for s in index.symbols]


_KINDS = {
    "step": types.SymbolKind.Event,
    "function": types.SymbolKind.Class,
    "role": types.SymbolKind.Field,
}


def _symbol(snapshot: Snapshot, symbol: Symbol) -> types.DocumentSymbol:
    whole = snapshot.range(symbol.line, 0, None, symbol.end_line)
    chosen = symbol.selection
    selection = snapshot.range(chosen.line, chosen.start, chosen.end) if chosen else whole
    return types.DocumentSymbol(
        name=symbol.name,
        detail=f"{symbol.kind} {symbol.key}",
        kind=_KINDS[symbol.kind],
        range=whole,
        selection_range=selection,
        children=[_symbol(snapshot, c) for c in symbol.children] or None,
    )
