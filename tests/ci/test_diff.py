"""flowmap diff and compare: semantic differences only, from files and from git revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flowmap.diff import diff_processes, element_changes
from flowmap.loaders import load_any
from flowmap.reporters.markdown import report_diff as to_markdown
from flowmap.reporters.text import report_diff as to_text
from flowmap.rules.base import Edit
from flowmap.writers.flow_yaml import dump
from tests.ci.helpers import PROCESSES, copy_tree, edited, flowmap, process_files

AS_IS = [p for p in process_files() if p.name.startswith("as-is")] or process_files()


def _edit(process, **changes):
    return process.model_copy(update=changes)


def _save(process, path: Path) -> Path:
    path.write_text(dump(process), encoding="utf-8")
    return path


@pytest.fixture
def claim(tmp_path):
    """A real as-is process of the library, copied (with its organisation file)."""
    return copy_tree(AS_IS[0], tmp_path / "work")


def test_reordering_and_reformatting_show_no_difference(claim, tmp_path):
    process = load_any(claim)
    shuffled = _edit(
        process, steps=list(reversed(process.steps)), flows=list(reversed(process.flows))
    )
    other = _save(shuffled, claim.parent / "reordered.flow.yaml")
    assert flowmap("fmt", claim).code == 0  # reformat the original in place
    result = diff_processes(load_any(claim), load_any(other))
    assert result.is_empty, to_text([result])
    outcome = flowmap("diff", claim, other, "--exit-code")
    assert outcome.code == 0 and "no semantic difference" in outcome.output


def test_steps_flows_organisation_findings_and_metrics(claim):
    old = load_any(claim)
    steps = old.steps
    victim = next(s for s in steps if not s.is_customer and s.owner)
    other_owner = next(
        s.owner for s in steps if s.owner and not s.is_customer and s.owner != victim.owner
    )
    removed = next(s for s in reversed(steps[1:-1]) if s.id != victim.id)
    link = next(
        f
        for f in old.flows
        if removed.id not in (f.source, f.target) and victim.id not in (f.source, f.target)
    )
    new_step = {"id": "brand-new-step", "name": "Brand new", "owner": victim.owner}
    new = edited(
        old,
        Edit("set-step", step=victim.id, fields={"owner": other_owner, "name": "A new name"}),
        Edit("remove-step", step=removed.id),
        Edit("add-step", fields=new_step, after=link.source, before=link.target),
    )
    new = load_any(_save(new, claim.parent / "new.flow.yaml"))
    result = diff_processes(old, new)
    kinds = {(c.element, c.change, c.id) for c in result.changes}
    assert ("step", "moved", victim.id) in kinds
    assert ("step", "renamed", victim.id) in kinds
    assert ("step", "removed", removed.id) in kinds
    assert ("step", "added", "brand-new-step") in kinds
    assert any(
        c.element == "flow" and c.change in ("rerouted", "added") and "brand-new-step" in c.detail
        for c in result.changes
    )
    assert result.metrics and {m.name for m in result.metrics} >= {
        "handoffs",
        "handoffs_vertical",
        "non_value_share",
        "cycle_efficiency",
        "first_service_contact",
    }
    # findings are matched by fingerprint: the removed step's findings are resolved
    gone = {f.fingerprint for f in result.resolved}
    assert all(removed.id not in f.elements for f in result.remaining)
    assert gone.isdisjoint({f.fingerprint for f in result.introduced})
    marks = element_changes(old, new)
    assert "brand-new-step" in marks.added and removed.id in marks.removed
    assert victim.id in marks.changed
    text = to_text([result])
    assert f"~ {victim.id}  moved: owner {victim.owner} -> {other_owner}" in text
    markdown = to_markdown([result])
    assert markdown.startswith("## flowmap: process changes") and "| metric |" in markdown


def test_organisation_changes(tmp_path):
    process = load_any(AS_IS[0])
    functions = list(process.organisation.functions)
    role = functions[0].roles[0]
    functions[0] = functions[0].model_copy(
        update={
            "roles": [
                *functions[0].roles,
                role.model_copy(update={"id": "new-role", "reports_to": None}),
            ]
        }
    )
    org = process.organisation.model_copy(update={"functions": functions})
    new = load_any(_save(_edit(process, organisation=org), tmp_path / "org.flow.yaml"))
    old = load_any(_save(process, tmp_path / "old.flow.yaml"))
    changes = diff_processes(old, new).changes
    assert [(c.element, c.change, c.id) for c in changes] == [
        ("role", "added", f"{functions[0].id}.new-role")
    ]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_across_two_git_commits_with_an_organisation_file(tmp_path):
    source = next(
        (
            p
            for p in AS_IS
            if "organisation: " in p.read_text(encoding="utf-8")
            and p.read_text(encoding="utf-8")
            .split("organisation: ")[1]
            .split("\n")[0]
            .strip()
            .endswith(".org.yaml")
        ),
        AS_IS[0],
    )
    repo = tmp_path / "repo"
    folder = repo / "processes" / "claims"
    path = copy_tree(source, folder)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "Test")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "as-is")
    text = path.read_text(encoding="utf-8")
    process = load_any(path)
    dropped = process.steps[-2]
    # the next version removes a step (its flows re-linked) and is written in canonical layout
    kept = edited(process, Edit("remove-step", step=dropped.id))
    ref = (
        text.split("organisation: ")[1].split("\n")[0].strip() if "organisation: " in text else None
    )
    new_text = dump(kept, organisation_ref=ref if ref and ref.endswith(".org.yaml") else None)
    path.write_text(new_text, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "to-be")
    rel = path.relative_to(repo).as_posix()

    outcome = flowmap("diff", "HEAD~1..HEAD", "--", rel, cwd=repo)
    assert outcome.code == 0, outcome.output
    assert f"HEAD~1:{rel} -> HEAD:{rel}" in outcome.output
    assert f"- {dropped.id}" in outcome.output
    one_rev = flowmap("diff", "HEAD~1", "--", "processes", cwd=repo)  # against the work tree
    assert f"- {dropped.id}" in one_rev.output
    same = flowmap("diff", "HEAD", "--", rel, "--exit-code", cwd=repo)
    assert "no semantic difference" in same.output
    as_json = flowmap("diff", "HEAD~1..HEAD", "--", rel, cwd=repo)
    assert as_json.code == 0
    bad = flowmap("diff", "no-such-rev", "--", rel, cwd=repo)
    assert bad.code == 2 and "no-such-rev" in bad.output


def test_diff_json_and_markdown_formats(claim):
    process = load_any(claim)
    other = _save(
        _edit(
            process,
            steps=process.steps[:-1]
            + [process.steps[-1].model_copy(update={"name": "Renamed end"})],
        ),
        claim.parent / "renamed.flow.yaml",
    )
    out = flowmap("diff", claim, other, "-f", "json")
    assert out.code == 0
    document = json.loads(out.output[out.output.index("{") :])
    changes = document["diffs"][0]["changes"]
    assert {"element": "step", "change": "renamed", "id": process.steps[-1].id} == {
        k: changes[0][k] for k in ("element", "change", "id")
    }
    md = flowmap("diff", claim, other, "-f", "markdown")
    assert "### `" in md.output and "renamed" in md.output


def test_compare_reports_metric_deltas_and_resolved_findings():
    pairs = [p for p in process_files() if p.name.startswith("to-be")]
    if not pairs:
        pytest.skip("processes/ has no to-be file yet")
    to_be = pairs[0]
    out = flowmap("compare", to_be)  # the as-is file comes from redesign_of:
    assert out.code == 0, out.output
    assert "metrics" in out.output and "handoffs" in out.output
    as_is = to_be.parent / load_any(to_be).info.redesign_of
    result = diff_processes(load_any(as_is), load_any(to_be), structure=False)
    assert result.resolved  # the to-be redesign removes findings
    assert f"resolved   {result.resolved[0].code}" in out.output
    md = flowmap("compare", as_is, to_be, "-f", "markdown")
    assert "## flowmap: as-is and to-be" in md.output and "| metric | before | after |" in md.output


def test_processes_library_present_or_template_used():
    assert AS_IS, "no process file to test on"
    assert all(p.exists() for p in AS_IS)
    assert PROCESSES.exists() or AS_IS[0].name == "process.flow.yaml"


def test_bpmn_versions_are_compared_like_yaml(tmp_path):
    bpmn = pytest.importorskip("flowmap.writers.bpmn")
    process = load_any(AS_IS[0])
    middle = process.steps[len(process.steps) // 2]
    old = tmp_path / "old.bpmn"
    new = tmp_path / "new.bpmn"
    old.write_text(bpmn.dump(process), encoding="utf-8")
    new.write_text(
        bpmn.dump(edited(process, Edit("remove-step", step=middle.id))), encoding="utf-8"
    )
    assert not diff_processes(process, load_any(old)).changes  # YAML and its BPMN: same model
    result = diff_processes(load_any(old), load_any(new))
    assert ("step", "removed", middle.id) in {(c.element, c.change, c.id) for c in result.changes}
    outcome = flowmap("diff", old, new)
    assert outcome.code == 0 and f"- {middle.id}" in outcome.output


def _chain(functions: list[str], label: str) -> str:
    roles = "\n".join(f"    - {{id: {f}, roles: [{{id: clerk, level: 1}}]}}" for f in functions)
    steps = "\n".join(f"  - {{id: s{i}, owner: work.clerk}}" for i in range(1, 13))
    flows = "\n".join(f"  - {{from: s{i}, to: s{i + 1}{label}}}" for i in range(1, 12))
    return (
        f"flowmap: 1\nprocess: {{id: chain}}\norganisation:\n  functions:\n{roles}\n"
        f"steps:\n  - {{id: s0, owner: customer, kind: start}}\n{steps}\n"
        f"flows:\n  - s0 -> s1\n{flows}\n"
    )


def test_diff_output_is_the_same_whatever_the_hash_seed(tmp_path):
    """Changed flows and functions come in the files' order, not in a set's: two interpreters
    with different hash seeds print the same JSON."""
    old = tmp_path / "old.flow.yaml"
    new = tmp_path / "new.flow.yaml"
    old.write_text(_chain(["work", "a1", "a2", "a3", "a4", "a5"], ""), encoding="utf-8")
    new.write_text(
        _chain(["work", "b1", "b2", "b3", "b4", "b5"], ", label: checked"), encoding="utf-8"
    )
    outputs = []
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "flowmap",
                "diff",
                "-f",
                "json",
                "--no-findings",
                str(old),
                str(new),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    changes = json.loads(outputs[0])["diffs"][0]["changes"]
    assert [c["id"] for c in changes if c["element"] == "flow"] == [
        f"s{i}->s{i + 1}" for i in range(1, 12)
    ]
    assert [(c["change"], c["id"]) for c in changes if c["element"] == "function"] == [
        *(("removed", f"a{i}") for i in range(1, 6)),
        *(("added", f"b{i}") for i in range(1, 6)),
    ]
