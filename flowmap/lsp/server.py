"""The language server: the editor's requests wired to the modules that answer them.

Text sync is incremental (pygls applies the edits). A change that comes after a pause is
checked at once; changes that follow each other quickly (a held key, a paste, an editor's
multi-part edit) are checked once they pause for ``debounce`` (30 ms; ``initializationOptions``
``{"debounce": MS}``). Only the newest version of a document is checked, and each version
once (:class:`~flowmap.lsp.documents.Documents` keeps the result for hover, completion and
actions).
A process file, the organisation file it names, and the other open processes naming that file
are published together, since each one's diagnostics depend on the others' text.

After each check of a process the server sends the notification ``flowmap/status``
(:func:`status`): the process metrics as one line of text and as figures, for a status line.
"""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from flowmap import __version__
from flowmap.lsp import actions, completion, diagnostics, hover, navigation
from flowmap.lsp.documents import Documents, Snapshot

STATUS = "flowmap/status"
DEBOUNCE_SECONDS = 0.03  # within a burst of changes: check once the burst pauses this long
QUIET_SECONDS = 0.15  # a change this long after the previous one is checked at once
FIRST_DELAY_SECONDS = 0.005


class FlowmapServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "flowmap", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.documents = Documents()
        self.debounce = DEBOUNCE_SECONDS
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._last_change: dict[str, float] = {}

    # -- documents -----------------------------------------------------------------------------
    def snapshot(self, uri: str) -> Snapshot | None:
        """The current version of an open document (read from pygls's synced copy)."""
        document = self.workspace.get_text_document(uri)
        current = self.documents.open.get(uri)
        if (
            current is not None
            and current.version == document.version
            and current.version is not None
        ):
            return current
        return self.documents.put(
            uri, document.source, document.version, self.workspace.position_codec
        )

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Check and publish ``uri``: at once after a pause in the typing, else when the burst
        of changes pauses for ``debounce`` (a held key, a paste, an editor's multi-edit)."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if delay is None:
            quiet = now - self._last_change.get(uri, float("-inf")) >= QUIET_SECONDS
            # After a pause: almost at once — the few milliseconds let the messages already
            # waiting in the pipe (the rest of a burst typed while a check ran) arrive first.
            delay = FIRST_DELAY_SECONDS if quiet and uri not in self._pending else self.debounce
        self._last_change[uri] = now
        handle = self._pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        self._pending[uri] = loop.call_later(delay, self.publish, uri)

    def publish(self, uri: str) -> None:
        """Check a document and everything that depends on it; publish their diagnostics."""
        self._pending.pop(uri, None)
        if uri not in self.documents.open:
            return
        snapshot = self.snapshot(uri)
        if snapshot is None or not snapshot.kind:
            return
        related: list[Snapshot] = []
        org = snapshot.organisation_file
        if snapshot.kind == "organisation":
            related = self.documents.processes_using(snapshot.path)
        elif org is not None:
            related = [s for s in self.documents.open.values() if s.path == org]
            related += [s for s in self.documents.processes_using(org) if s.uri != uri]
        self._publish_one(snapshot)
        for other in related:
            self._publish_one(other)

    def _publish_one(self, snapshot: Snapshot) -> None:
        checked = self.documents.checked(snapshot)
        elsewhere = []
        if snapshot.kind == "organisation":
            for process in self.documents.processes_using(snapshot.path):
                analysis = self.documents.checked(process).analysis
                if analysis is not None:
                    elsewhere += [
                        f
                        for f in analysis.findings
                        if f.location.path and _same(f.location.path, snapshot.path)
                    ]
        found = diagnostics.of(snapshot, checked, elsewhere)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=snapshot.uri, version=snapshot.version, diagnostics=found
            )
        )
        if checked.analysis is not None:
            self.protocol.notify(STATUS, status(snapshot, checked))


def _same(a: str, b: str) -> bool:
    from flowmap.lsp.documents import key

    return key(a) == key(b)


def status(snapshot: Snapshot, checked) -> dict[str, Any]:
    """The ``flowmap/status`` notification: metrics as a line and as figures."""
    from collections import Counter

    from flowmap.formatting import duration, share

    analysis = checked.analysis
    m = analysis.metrics
    counts = Counter(f.severity.value for f in analysis.findings)
    found = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info") if counts[s])
    text = (
        f"{m['steps']} steps · {m['handoffs']} handoffs ({m['handoffs_vertical']} vertical) · "
        f"value-adding {share(m['value_adding_share'])} · "
        f"cycle efficiency {share(m['cycle_efficiency'])} · "
        f"lead time {duration(m['lead_time_minutes'])} · "
        f"{len(analysis.findings)} findings" + (f" ({found})" if found else "")
    )
    return {
        "uri": snapshot.uri,
        "version": snapshot.version,
        "text": text,
        "metrics": m,
        "findings": dict(counts),
        "milliseconds": round(checked.seconds * 1000, 1),
        "cpu_milliseconds": round(checked.cpu_seconds * 1000, 1),
    }


server = FlowmapServer()


@server.feature(types.INITIALIZE)
def initialize(ls: FlowmapServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get("debounce"), int | float):
        ls.debounce = max(0.0, float(options["debounce"]) / 1000)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: FlowmapServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.snapshot(params.text_document.uri)
    ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: FlowmapServer, params: types.DidChangeTextDocumentParams) -> None:
    snapshot = ls.snapshot(params.text_document.uri)
    if snapshot is not None and snapshot.kind in ("process", "organisation"):
        ls.schedule(snapshot.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: FlowmapServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.documents.saved(params.text_document.uri)
    ls.schedule(params.text_document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: FlowmapServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    handle = ls._pending.pop(uri, None)
    if handle is not None:
        handle.cancel()
    ls.documents.close(uri)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: FlowmapServer, params: types.HoverParams) -> types.Hover | None:
    snapshot = ls.snapshot(params.text_document.uri)
    return hover.at(ls.documents, snapshot, params.position) if snapshot else None


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[":", " ", ".", ">", "[", ","]),
)
def on_completion(ls: FlowmapServer, params: types.CompletionParams) -> types.CompletionList | None:
    snapshot = ls.snapshot(params.text_document.uri)
    return completion.at(ls.documents, snapshot, params.position) if snapshot else None


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def on_definition(ls: FlowmapServer, params: types.DefinitionParams) -> list[types.Location]:
    snapshot = ls.snapshot(params.text_document.uri)
    return navigation.definition(ls.documents, snapshot, params.position) if snapshot else []


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def on_references(ls: FlowmapServer, params: types.ReferenceParams) -> list[types.Location]:
    snapshot = ls.snapshot(params.text_document.uri)
    if snapshot is None:
        return []
    return navigation.references(
        ls.documents, snapshot, params.position, params.context.include_declaration
    )


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def on_prepare_rename(ls: FlowmapServer, params: types.PrepareRenameParams) -> types.Range | None:
    snapshot = ls.snapshot(params.text_document.uri)
    return navigation.prepare_rename(ls.documents, snapshot, params.position) if snapshot else None


@server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
def on_rename(ls: FlowmapServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    snapshot = ls.snapshot(params.text_document.uri)
    if snapshot is None:
        return None
    return navigation.rename(ls.documents, snapshot, params.position, params.new_name)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def on_symbols(ls: FlowmapServer, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
    snapshot = ls.snapshot(params.text_document.uri)
    return navigation.symbols(ls.documents, snapshot) if snapshot else []


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def on_code_action(ls: FlowmapServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    snapshot = ls.snapshot(params.text_document.uri)
    if snapshot is None:
        return []
    return actions.for_range(ls.documents, snapshot, params.range, params.context.diagnostics)


def serve() -> None:
    """Serve one editor over standard input and output until it says exit."""
    server.start_io()
