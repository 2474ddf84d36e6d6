"""``flowmap lsp``: run the language server for editors (over standard input and output)."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (the default; "
    "accepted because many editors pass it).",
)
def command(stdio: bool) -> int:
    """Run the flowmap language server: diagnostics as you type, hover, completion, go to
    definition, references, rename, outline and quick fixes for *.flow.yaml and *.org.yaml
    files (BPMN files are checked on open and save).

    An editor starts it; it talks LSP over standard input and output. Set-up for VS Code,
    Neovim and Helix: docs/editors.md.
    """
    import importlib.util

    from flowmap.errors import UsageError

    if importlib.util.find_spec("pygls") is None:
        raise UsageError("the language server needs pygls: pip install 'flowmap[lsp]'")
    from flowmap.lsp.server import serve

    serve()
    return 0
