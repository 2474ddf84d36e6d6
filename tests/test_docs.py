"""The documentation's examples are real: they load, and the README's commands exist."""

from __future__ import annotations

import re

from flowmap.loaders.flow_yaml import load_process
from tests.conftest import ROOT


def _yaml_blocks(path):
    return re.findall(r"```yaml\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)


def test_format_reference_example_loads(tmp_path):
    process_text, org_text = _yaml_blocks(ROOT / "docs" / "format.md")[:2]
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "acme.org.yaml").write_text(org_text)
    (tmp_path / "p").mkdir()
    path = tmp_path / "p" / "credit.flow.yaml"
    path.write_text(process_text)
    process = load_process(path)
    assert process.id == "credit-query"
    assert process.step("take-order").work == 15
    assert process.step("check-credit").wait == 1440
    assert [f.id for f in process.flows][2] == "check-credit->confirm"
    assert {f.id for f in process.organisation.functions} == {"board", "sales", "finance"}
