"""Baselines and fingerprints across real edits of a library process."""

from __future__ import annotations

import json

from flowmap.analysis import analyze
from flowmap.loaders import load_any
from flowmap.rules.base import Edit
from flowmap.writers.flow_yaml import dump
from tests.ci.helpers import copy_tree, edited, flowmap, process_files

AS_IS = [p for p in process_files() if p.name.startswith("as-is")] or process_files()


def _prints(path):
    return {f.fingerprint: f for f in analyze(load_any(path)).findings}


def test_fingerprints_survive_unrelated_edits_and_follow_substance(tmp_path):
    path = copy_tree(AS_IS[0], tmp_path)
    before = _prints(path)
    assert before
    text = path.read_text(encoding="utf-8")
    # 1. lines move: blank lines and comments above the steps shift every line number
    path.write_text(
        text.replace("\nsteps:\n", "\n# a note\n\n\n# another\nsteps:\n", 1), encoding="utf-8"
    )
    moved = _prints(path)
    assert set(moved) == set(before)
    assert any(moved[k].location.line != before[k].location.line for k in before)
    # 2. another step is added elsewhere (a customer step at the end, after the last step)
    process = load_any(path)
    last = process.steps[-1]
    extra = edited(
        process,
        Edit(
            "add-step",
            after=last.id,
            fields={"id": "thank-customer", "name": "Thank the customer", "owner": "customer"},
        ),
        Edit("add-flow", source=last.id, target="thank-customer"),
    )
    path.write_text(dump(extra), encoding="utf-8")
    after = _prints(path)
    unrelated = {
        k
        for k, f in after.items()
        if "thank-customer" not in f.elements and last.id not in f.elements
    }
    assert {k for k, f in before.items() if last.id not in f.elements} <= set(after)
    assert unrelated  # the old findings are still recognised
    # 3. the substance changes: the step of a finding is removed -> its fingerprint disappears
    target = next(
        f
        for f in before.values()
        if f.elements and f.elements[0] in {s.id for s in process.steps[1:-1]}
    )
    removed = edited(load_any(path), Edit("remove-step", step=target.elements[0]))
    path.write_text(dump(removed), encoding="utf-8")
    assert target.fingerprint not in _prints(path)


def test_baseline_fails_only_on_new_findings(tmp_path):
    path = copy_tree(AS_IS[0], tmp_path)
    baseline = tmp_path / "flowmap-baseline.json"
    plain = flowmap("analyze", path.name, cwd=tmp_path)
    assert plain.code == 1  # the as-is process has findings
    wrote = flowmap("analyze", path.name, "--write-baseline", baseline.name, cwd=tmp_path)
    assert wrote.code == 0 and "accepted" in wrote.output
    document = json.loads(baseline.read_text(encoding="utf-8"))
    entries = document["findings"]
    assert entries and {"fingerprint", "code", "path", "message"} <= set(entries[0])
    assert {e["path"] for e in entries} == {path.name}
    clean = flowmap("analyze", path.name, "--baseline", baseline.name, "-f", "json", cwd=tmp_path)
    assert clean.code == 0
    report = json.loads(clean.output[clean.output.index("{") :])
    assert report["summary"]["findings"] == 0
    # an unrelated edit (lines move) keeps the run clean
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nsteps:\n", "\n\n# moved\nsteps:\n", 1), encoding="utf-8")
    assert flowmap("analyze", path.name, "--baseline", baseline.name, cwd=tmp_path).code == 0
    # a new problem fails the run, and only it is reported
    process = load_any(path)
    worker = next(s for s in process.steps if s.owner and not s.is_customer)
    first, second = process.steps[0], process.steps[1]
    worse = edited(
        process,
        Edit(
            "add-step",
            after=first.id,
            before=second.id,
            fields={
                "id": "rekey-everything",
                "name": "Re-key the form",
                "owner": worker.owner,
                "value": "none",
                "purpose": ["re-entry"],
                "work": 30,
                "wait": 2880,
            },
        ),
    )
    path.write_text(dump(worse), encoding="utf-8")
    new = flowmap("analyze", path.name, "--baseline", baseline.name, "-f", "json", cwd=tmp_path)
    assert new.code == 1
    found = json.loads(new.output[new.output.index("{") :])["files"][0]["findings"]
    assert found and all(
        "rekey-everything" in f["elements"]
        or any(e in f["elements"] for e in (first.id, second.id))
        for f in found
    )


def test_bad_baseline_file_is_a_usage_error(tmp_path):
    path = copy_tree(AS_IS[0], tmp_path)
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    outcome = flowmap("analyze", path, "--baseline", tmp_path / "b.json")
    assert outcome.code == 2 and "not a flowmap baseline" in outcome.output
    missing = flowmap("analyze", path, "--baseline", tmp_path / "none.json")
    assert missing.code == 2 and "--write-baseline" in missing.output
