"""``flowmap lsp``: a language server for process files (pygls, over standard input/output).

A thin layer over the Python API: the loaders read the editor's unsaved text, the analysis
finds, the redesign fixes; each module here only translates for the protocol.

* :mod:`~flowmap.lsp.server` — the requests and notifications, debounce, publishing, status;
* :mod:`~flowmap.lsp.documents` — open documents, each version checked once, positions;
* :mod:`~flowmap.lsp.index` — where each step, function and role id is written;
* :mod:`~flowmap.lsp.diagnostics` — load problems and findings as diagnostics;
* :mod:`~flowmap.lsp.hover`, :mod:`~flowmap.lsp.completion`, :mod:`~flowmap.lsp.navigation`
  (definition, references, rename, outline), :mod:`~flowmap.lsp.actions` (quick fixes).

Needs the ``lsp`` extra: ``pip install 'flowmap[lsp]'``. Editor set-up: ``docs/editors.md``.
"""
