"""The example library in processes/: the acceptance test of the analyzers.

Every file validates; each to-be process (a customer-driven redesign) gets no warning from the
smokestack, value and service families; each as-is process shows the findings its story implies;
`--fix` works on every as-is process and does not make it worse.
"""

from __future__ import annotations

import pytest

from flowmap.analysis import analyze
from flowmap.loaders.flow_yaml import load_process
from flowmap.redesign import redesign
from flowmap.rules.base import Family, Severity
from tests.conftest import PROCESSES

AS_IS = sorted(PROCESSES.glob("*/as-is.flow.yaml"))
TO_BE = sorted(PROCESSES.glob("*/to-be.flow.yaml"))
CORE = (Family.smokestack, Family.value, Family.service)


def _name(path):
    return path.parent.name


def test_library_has_six_processes_with_both_versions():
    assert len(AS_IS) >= 6 and len(TO_BE) >= 6
    assert {_name(p) for p in AS_IS} == {_name(p) for p in TO_BE}
    for folder in {p.parent for p in AS_IS}:
        assert (folder / "README.md").is_file()


@pytest.mark.parametrize("path", TO_BE, ids=_name)
def test_to_be_is_clean_of_core_warnings(path):
    result = analyze(load_process(path))
    assert not result.rule_errors, result.rule_errors
    noisy = [f"{f.code} {f.message}" for f in result.findings
             if f.family in CORE and f.severity.rank >= Severity.warning.rank]
    assert noisy == []


@pytest.mark.parametrize("path", AS_IS, ids=_name)
def test_as_is_shows_its_story(path):
    result = analyze(load_process(path))
    assert not result.rule_errors, result.rule_errors
    families = {f.family for f in result.findings if f.severity.rank >= Severity.warning.rank}
    assert set(CORE) <= families, f"missing families: {set(CORE) - families}"
    codes = {f.code for f in result.findings}
    assert "SMK001" in codes  # every as-is story has a chimney


@pytest.mark.parametrize("path", AS_IS, ids=_name)
def test_fix_improves_every_as_is(path):
    process = load_process(path)
    before = analyze(process)
    result = redesign(process, before.findings)
    assert result.applied, "no fix applied"
    after = analyze(result.process)
    assert not after.rule_errors
    core = lambda a: sum(1 for f in a.findings if f.family in CORE)  # noqa: E731
    assert core(after) < core(before)
    assert after.metrics["handoffs_vertical"] <= before.metrics["handoffs_vertical"]


@pytest.mark.parametrize("path", TO_BE, ids=_name)
def test_to_be_is_better_than_as_is(path):
    before = analyze(load_process(path.parent / "as-is.flow.yaml")).metrics
    after = analyze(load_process(path)).metrics
    assert after["lead_time_minutes"] < before["lead_time_minutes"]
    assert (after["cycle_efficiency"] or 0) > (before["cycle_efficiency"] or 0)
    assert after["vertical_share"] < before["vertical_share"]


@pytest.mark.parametrize("path", TO_BE, ids=_name)
def test_redesign_moves_up_the_maturity_stages(path):
    before = analyze(load_process(path.parent / "as-is.flow.yaml")).maturity
    after = analyze(load_process(path)).maturity
    assert before.stage == "sensitivity"  # measures satisfaction, chimneys and dumping remain
    assert after.level >= 3 and after.level > before.level
    assert before.next_steps  # says what would move it up
    unmet = {c.name for c in before.criteria if not c.met}
    assert "problems are not dumped on customer service" in unmet
