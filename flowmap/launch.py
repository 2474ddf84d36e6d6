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


def collect_less() -> None:
    """The command's garbage collection (never the library's: an application calls it)."""
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
    collect_less()
    from flowmap.cli import main as command_line

    command_line()
