"""A real LSP client (pytest-lsp) driving ``flowmap lsp`` over standard input and output.

One server per test module (starting one costs about a second); each test opens its own files
under a temporary folder. ``Editor`` wraps the client with what an editor does: open, edit,
save, and wait for the diagnostics of a document.
"""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

TIMEOUT = 30  # seconds: generous, the machine may be busy


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "flowmap", "lsp"]),
)
async def client(lsp_client: LanguageClient):
    statuses: list = []
    lsp_client.statuses = statuses  # the flowmap/status notifications, newest last

    @lsp_client.feature("flowmap/status")
    def _status(params) -> None:
        statuses.append(params)

    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(), initialization_options={"debounce": 0}
        )
    )
    yield
    await lsp_client.shutdown_session()


class Editor:
    def __init__(self, client: LanguageClient, folder: Path):
        self.client, self.folder = client, folder
        self.versions: dict[str, int] = {}

    def write(self, name: str, text: str) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def uri(self, path: Path) -> str:
        return path.resolve().as_uri()

    async def open(self, path: Path, text: str | None = None) -> list[types.Diagnostic]:
        uri = self.uri(path)
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] = 1
        language = "xml" if path.suffix == ".bpmn" else "yaml"
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri,
                    language_id=language,
                    version=1,
                    text=path.read_text(encoding="utf-8") if text is None else text,
                )
            )
        )
        return await self.diagnostics(uri)

    async def replace(self, path: Path, text: str) -> list[types.Diagnostic]:
        """Replace the whole text (as an unsaved edit) and wait for the new diagnostics."""
        uri = self.uri(path)
        self.client.diagnostics.pop(uri, None)
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return await self.diagnostics(uri)

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        async def arrived():
            while uri not in self.client.diagnostics:
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return list(self.client.diagnostics[uri])

        return await asyncio.wait_for(arrived(), TIMEOUT)

    async def until(self, path: Path, holds) -> list[types.Diagnostic]:
        """Wait until the diagnostics of ``path`` satisfy ``holds`` (later publishes of other
        documents may arrive in between)."""
        uri = self.uri(path)

        async def arrived():
            while not holds(self.client.diagnostics.get(uri, None)):
                await self.client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            return list(self.client.diagnostics[uri])

        return await asyncio.wait_for(arrived(), TIMEOUT)

    async def status(self, path: Path):
        """The newest ``flowmap/status`` notification about ``path``."""
        uri = self.uri(path)

        async def arrived():
            while not [s for s in self.client.statuses if s.uri == uri]:
                await self.client.wait_for_notification("flowmap/status")
            return [s for s in self.client.statuses if s.uri == uri][-1]

        return await asyncio.wait_for(arrived(), TIMEOUT)

    def close(self, path: Path) -> None:
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=self.uri(path))
            )
        )


@pytest.fixture
def editor(client: LanguageClient, tmp_path: Path) -> Editor:
    return Editor(client, tmp_path)


def at(text: str, needle: str, offset: int = 0) -> types.Position:
    """The position of the first ``needle`` in ``text`` (plus ``offset`` characters)."""
    before = text[: text.index(needle) + offset]
    return types.Position(line=before.count("\n"), character=len(before.rsplit("\n", 1)[-1]))
