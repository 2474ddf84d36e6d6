"""The README's tour is what a newcomer sees: its sample output is the real output."""

from __future__ import annotations

import re

from tests.conftest import ROOT
from tests.test_cli import run

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_tour_prints_what_the_readme_shows(tmp_path):
    process = re.search(r"A process file.*?```yaml\n(.*?)```", README, re.DOTALL).group(1)
    console = re.search(r"Analyse it:\n\n```console\n(.*?)```", README, re.DOTALL).group(1)
    command, *shown = console.rstrip("\n").split("\n")
    assert command.startswith("$ flowmap ")
    (tmp_path / "credit.flow.yaml").write_text(process, encoding="utf-8")
    result = run(*command.removeprefix("$ flowmap ").split(), cwd=tmp_path)
    printed = (result.stdout + result.stderr).rstrip("\n").split("\n")
    assert len(printed) == len(shown), "\n".join(printed)
    for want, got in zip(shown, printed, strict=True):
        if want.endswith("..."):  # the README shortens a long line
            assert got.startswith(want[:-3].rstrip()), (want, got)
        else:
            assert got.rstrip() == want.rstrip(), "\n".join(printed)
