"""The ``flowmap`` command's entry point: a cached ``flowmap analyze`` is answered here, before
click, the model or the rules are imported (:mod:`flowmap.replay`); everything else goes to
:func:`flowmap.cli.main`."""

from __future__ import annotations

import gc
import os
import sys

# Python's cyclic garbage collector looks at the young objects every 700 allocations, and at
# everything now and then: with a model of 20,000 steps in memory that took a fifth of the
# analysis (0.5 of 2.1 s of CPU in process on the bpmn-lanes scale shape; 13x the time for 10x
# the steps instead of 16x). A command that runs once and exits looks every 10,000.
YOUNG_COLLECTION = 10_000


# ``flowmap analyze`` reads its files, reports and exits, and what it builds has (almost) no
# cycles: a 20,000-step model with its analysis and report leaves 90 to 260 objects in cycles,
# none for the library's processes. It runs without the cycle collector. The loader and the
# analysis pause it while they build, but a pause only postpones the walk: every object built
# meanwhile stays young, and the first collection after it walked the whole model (0.07 to
# 0.18 s of CPU per command at 20,000 steps, 0.001 s at 2,000).
WITHOUT_COLLECTOR = frozenset({"analyze"})


def collect_less(command: str = "") -> None:
    """The garbage collection of the command ``command`` (never the library's: an application
    calls it): none for a command of :data:`WITHOUT_COLLECTOR`, else rarer young collections.
    A language server (``flowmap lsp``) runs for hours, and keeps the collector."""
    if command in WITHOUT_COLLECTOR:
        gc.disable()
        return
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(YOUNG_COLLECTION, young), middle, old)


def main() -> None:
    if sys.argv[1:2] == ["analyze"]:
        from flowmap.replay import replay_analyze

        try:
            code = replay_analyze(sys.argv[2:])
        except BrokenPipeError:
            code = 0
        if code is not None:
            sys.exit(code)
    # pydantic looks through every installed package for plugins (which watch an application's
    # validation) when flowmap's first model is built, importing importlib.metadata to read
    # each package's metadata. The command validates only its own files: it skips the search.
    # A PYDANTIC_DISABLE_PLUGINS the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    collect_less(sys.argv[1] if len(sys.argv) > 1 else "")
    from flowmap.cli import main as command_line

    command_line()
