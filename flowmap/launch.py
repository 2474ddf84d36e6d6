"""The ``flowmap`` command's entry point: a cached ``flowmap analyze`` is answered here, before
click, the model or the rules are imported (:mod:`flowmap.replay`); everything else goes to
:func:`flowmap.cli.main`."""

from __future__ import annotations

import os
import sys


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
    from flowmap.cli import main as command_line

    command_line()
