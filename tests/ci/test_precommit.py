"""The hooks of .pre-commit-hooks.yaml, run by pre-commit itself on a throwaway repository.

Offline: the hooks are declared as ``repo: local`` with ``language: system`` and the installed
flowmap as entry (a remote or path repo would make pre-commit build a virtualenv from the
network). Skipped when pre-commit or git is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.ci.helpers import ROOT, copy_tree, process_files

PRE_COMMIT = shutil.which("pre-commit") or (
    os.path.join(os.path.dirname(sys.executable), "pre-commit")
    if os.path.exists(os.path.join(os.path.dirname(sys.executable), "pre-commit"))
    else None
)

pytestmark = [
    pytest.mark.skipif(
        PRE_COMMIT is None,
        reason="pre-commit is not installed (pip install pre-commit, part of the test extras)",
    ),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def _manifest() -> list[dict]:
    return yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_manifest_declares_both_hooks():
    hooks = {h["id"]: h for h in _manifest()}
    assert set(hooks) == {"flowmap-fmt", "flowmap-analyze"}
    for hook in hooks.values():
        assert hook["entry"].startswith("flowmap ") and hook["language"] == "python"


def _run(repo, *args):
    env = dict(
        os.environ,
        PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
        NO_COLOR="1",
    )
    return subprocess.run(
        args, cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_hooks_run_by_pre_commit_on_a_throwaway_repository(tmp_path):
    repo = tmp_path / "repo"
    source = next((p for p in process_files() if p.name.startswith("as-is")), process_files()[0])
    path = copy_tree(source, repo / "processes")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nsteps:\n", "\nsteps:\n\n\n", 1), encoding="utf-8")  # untidy
    hooks = []
    for hook in _manifest():
        local = dict(hook, language="system", entry=f"{sys.executable} -m {hook['entry']}")
        hooks.append(local)
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
    )
    assert _run(repo, "git", "init", "-q").returncode == 0
    assert _run(repo, "git", "add", ".").returncode == 0

    fmt = _run(repo, PRE_COMMIT, "run", "flowmap-fmt", "--all-files")
    assert fmt.returncode == 1, fmt.stdout + fmt.stderr
    assert "files were modified by this hook" in fmt.stdout
    assert path.read_text(encoding="utf-8") != text.replace("\nsteps:\n", "\nsteps:\n\n\n", 1)
    again = _run(repo, PRE_COMMIT, "run", "flowmap-fmt", "--all-files")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout

    analyze = _run(repo, PRE_COMMIT, "run", "flowmap-analyze", "--all-files")
    assert analyze.returncode == 1 and "Failed" in analyze.stdout  # the as-is has findings
    assert "finding" in analyze.stdout

    # accept today's findings: the hook then passes until a new one appears
    baseline = _run(
        repo,
        sys.executable,
        "-m",
        "flowmap",
        "analyze",
        "processes",
        "--write-baseline",
        "flowmap-baseline.json",
    )
    assert baseline.returncode == 0, baseline.stderr
    for hook in hooks:
        if hook["id"] == "flowmap-analyze":
            hook["args"] = ["--baseline", "flowmap-baseline.json"]
    (repo / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump(config, sort_keys=False), encoding="utf-8"
    )
    _run(repo, "git", "add", ".")
    passed = _run(repo, PRE_COMMIT, "run", "flowmap-analyze", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
