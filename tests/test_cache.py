"""The result cache of ``flowmap analyze`` (flowmap/cache.py): a second run of unchanged files
prints the same output without the analysis machinery, and anything that changes the output (the
file, its organisation file, the configuration, the options) is a miss. Entries are atomic, safe
under concurrent runs, bounded, and ignored when broken."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flowmap import cache, files
from flowmap import replay as hit
from tests.conftest import PROCESSES
from tests.fresh import fresh_run

CLAIM = PROCESSES / "insurance-claim"


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch):
    monkeypatch.delenv("FLOWMAP_NO_CACHE", raising=False)
    monkeypatch.delenv("FLOWMAP_CACHE_DIR", raising=False)


def flowmap(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "flowmap", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=180,
        env=env,
        check=False,
    )


@pytest.fixture
def claim(tmp_path) -> Path:
    """The insurance claim, whose organisation is its own file (insurer.org.yaml)."""
    for name in ("as-is.flow.yaml", "insurer.org.yaml"):
        shutil.copy(CLAIM / name, tmp_path / name)
    return tmp_path / "as-is.flow.yaml"


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("??/*.entry"))


def test_a_second_run_prints_the_same_output_from_the_cache(claim):
    folder = claim.parent
    for fmt in ("text", "json"):
        first = flowmap("analyze", "-f", fmt, claim.name, cwd=folder)
        second = flowmap("analyze", "-f", fmt, claim.name, cwd=folder)
        uncached = flowmap("analyze", "-f", fmt, "--no-cache", claim.name, cwd=folder)
        assert first.returncode == second.returncode == uncached.returncode == 1
        assert first.stdout == second.stdout == uncached.stdout
        assert first.stderr == second.stderr == uncached.stderr
    assert len(entries(folder / ".flowmap_cache")) == 2  # one per format
    assert (folder / ".flowmap_cache" / ".gitignore").read_text() == "*\n"


def test_a_hit_imports_no_model_graph_or_rules(claim):
    flowmap("analyze", claim.name, cwd=claim.parent)
    done = fresh_run("flowmap.cli:run", ["analyze", claim.name], cwd=claim.parent)
    heavy = ("flowmap.model", "flowmap.graph", "flowmap.analysis", "pydantic", "networkx", "yaml")
    rooms = ("flowmap.rules", "flowmap.loaders.flow_yaml")
    assert (done.code, done.loaded(*heavy, under=rooms)) == (1, []), done.stderr
    assert "finding" in done.stdout  # the report itself was printed


def test_an_edit_to_the_file_or_its_organisation_file_is_a_miss(claim):
    folder = claim.parent
    before = flowmap("analyze", "-f", "json", claim.name, cwd=folder)
    org = folder / "insurer.org.yaml"
    text = org.read_text(encoding="utf-8")
    assert "Claims handler" in text
    org.write_text(text.replace("Claims handler", "Claims officer"), encoding="utf-8")
    after = flowmap("analyze", "-f", "json", claim.name, cwd=folder)
    assert (
        after.stdout
        == flowmap("analyze", "-f", "json", "--no-cache", claim.name, cwd=folder).stdout
    )
    assert "Claims officer" in after.stdout and "Claims officer" not in before.stdout

    claim.write_text(
        claim.read_text(encoding="utf-8").replace(
            "name: Motor insurance claim", "name: Motor claim, edited", 1
        ),
        encoding="utf-8",
    )
    edited = flowmap("analyze", "-f", "json", claim.name, cwd=folder)
    assert "Motor claim, edited" in edited.stdout
    assert (
        edited.stdout
        == flowmap("analyze", "-f", "json", "--no-cache", claim.name, cwd=folder).stdout
    )


def test_configuration_and_options_are_part_of_the_key(claim):
    folder = claim.parent
    everything = flowmap("analyze", claim.name, cwd=folder)
    assert "SMK001" in everything.stdout and everything.returncode == 1
    (folder / "flowmap.toml").write_text('ignore = ["SMK"]\n')
    no_smokestacks = flowmap("analyze", claim.name, cwd=folder)
    assert "SMK001" not in no_smokestacks.stdout
    assert (folder / ".flowmap_cache").is_dir()  # beside the configuration
    only_errors = flowmap("analyze", "--fail-on", "error", claim.name, cwd=folder)
    assert only_errors.returncode == 0  # the same findings, another exit code
    assert flowmap("analyze", claim.name, cwd=folder).returncode == 1


def test_no_cache_cache_dir_and_the_environment(claim, tmp_path_factory):
    folder = claim.parent
    flowmap("analyze", "--no-cache", claim.name, cwd=folder)
    assert not (folder / ".flowmap_cache").exists()
    chosen = tmp_path_factory.mktemp("chosen")
    flowmap("analyze", "--cache-dir", str(chosen / "c"), claim.name, cwd=folder)
    assert len(entries(chosen / "c")) == 1
    env = {**os.environ, "FLOWMAP_CACHE_DIR": str(chosen / "env")}
    flowmap("analyze", claim.name, cwd=folder, env=env)
    assert len(entries(chosen / "env")) == 1
    assert not (folder / ".flowmap_cache").exists()
    off = {**os.environ, "FLOWMAP_NO_CACHE": "1"}
    flowmap("analyze", claim.name, cwd=folder, env=off)
    assert not (folder / ".flowmap_cache").exists()


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "longer", "other key", "folder", "empty", "bad code", "bad read"],
)
def test_a_broken_entry_is_ignored_and_replaced(claim, damage):
    folder = claim.parent
    good = flowmap("analyze", claim.name, cwd=folder)
    [entry] = entries(folder / ".flowmap_cache")
    key, raw = entry.stem, entry.read_bytes()
    assert hit.decode(raw, key).stdout == good.stdout
    if damage == "folder":
        entry.unlink()
        entry.mkdir()
    else:
        forged = hit.Entry("forged", "", 0, {})
        broken = {
            "garbage": b"\x00\xff not an entry",
            "truncated": raw[: len(raw) // 2],
            "longer": raw + b"forged",
            "empty": b"",
            "other key": hit.encode(forged, "0" * 64),
            "bad code": hit.encode(hit.Entry("forged", "", 7, {}), key),
            "bad read": hit.encode(hit.Entry("forged", "", 0, {str(claim): "12:zz"}), key),
        }[damage]
        entry.write_bytes(broken)
    again = flowmap("analyze", claim.name, cwd=folder)
    assert (again.returncode, again.stdout, again.stderr) == (
        good.returncode,
        good.stdout,
        good.stderr,
    )
    if damage != "folder":
        assert hit.decode(entry.read_bytes(), key).stdout == good.stdout


def test_an_entry_keeps_any_text_and_any_file_name():
    """What a run printed comes back exactly, whatever it holds (lone surrogates from file
    names that are not UTF-8 included), and so do the names of the files it read."""
    text = "Schritt „Prüfen“ \udcff\n\x00 end"
    entry = hit.Entry(text, "warning: ø\n", 1, {"/tmp/a b/\udcfe.flow.yaml": "3:ab12"})
    back = hit.decode(hit.encode(entry, "ab" * 32), "ab" * 32)
    assert (back.stdout, back.stderr, back.code, back.reads) == (
        entry.stdout,
        entry.stderr,
        entry.code,
        entry.reads,
    )
    assert hit.decode(hit.encode(entry, "ab" * 32), "cd" * 32) is None


def test_a_hit_loads_nothing_but_the_entry_point_and_its_reader(claim):
    """A hit is answered on Python's own start: regular expressions, JSON, pathlib, dataclasses,
    enum, typing, OpenSSL and flowmap's own error and file modules are never loaded (each costs
    milliseconds, and a hit should cost little more than starting Python)."""
    flowmap("analyze", "-f", "json", claim.name, cwd=claim.parent)
    heavy = (
        "re", "json", "pathlib", "dataclasses", "enum", "typing", "inspect", "hashlib",
        "_hashlib", "contextlib", "flowmap.errors", "flowmap.files", "flowmap.cache",
        "click", "pydantic",
    )  # fmt: skip
    args = ["analyze", "-f", "json", claim.name]
    done = fresh_run("flowmap.launch:main", args, cwd=claim.parent, argv=True, bare=True)
    assert (done.code, done.loaded(*heavy)) == (1, []), done.stderr
    assert json.loads(done.stdout)["files"]


def test_the_key_lists_folders_as_the_run_reads_them(tmp_path):
    """The key holds the files a folder search finds (a file added is a miss): the hit's own
    listing must find what flowmap.files.walk finds, and pass over what it passes over."""
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.flow.yaml", "a/b/y.bpmn", "a/notes.txt", "a/plain.xml", "z.flow.yml"):
        (tmp_path / name).write_text("x")
    for hidden in (".git", "node_modules", "venv", ".venv", "__pycache__"):
        (tmp_path / hidden).mkdir()
        (tmp_path / hidden / "h.flow.yaml").write_text("x")
    (tmp_path / "a" / "dangling.flow.yaml").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "a" / "pipe.bpmn")
    mine, passed = hit.listing([str(tmp_path), str(tmp_path / "a" / "notes.txt")])
    theirs = files.walk(
        [str(tmp_path), str(tmp_path / "a" / "notes.txt")],
        hit.is_process_file,
        lambda p: False,
    )
    assert mine == [str(p) for p in theirs.files]
    assert [p for p, _ in passed] == [str(p) for p, _ in theirs.skipped]
    assert len(mine) == 4 and len(passed) == 2


def test_an_installed_flowmap_is_stamped_by_its_record(tmp_path):
    """Installed from a wheel, flowmap's code is stamped by the installation's record (one
    stat, not a walk over every module); a working copy is stamped file by file."""
    package = tmp_path / "flowmap"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "a.py").write_text("x = 1\n")
    walked = hit.code_stamp(str(package))
    assert [name for name, *_ in walked] == [str(package / "rules" / "a.py")]
    record = tmp_path / f"flowmap-{hit.__version__}.dist-info" / "RECORD"
    record.parent.mkdir()
    record.write_text("flowmap/rules/a.py,sha256=...,6\n")
    installed = hit.code_stamp(str(package))
    assert installed[0] == "installed"
    record.write_text("flowmap/rules/a.py,sha256=...,7\n")  # installed again
    assert hit.code_stamp(str(package)) != installed


def test_an_unwritable_cache_folder_does_not_stop_the_run(claim, tmp_path_factory):
    blocker = tmp_path_factory.mktemp("ro") / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    env = {**os.environ, "FLOWMAP_CACHE_DIR": str(blocker)}
    done = flowmap("analyze", claim.name, cwd=claim.parent, env=env)
    assert done.returncode == 1 and "finding" in done.stdout and done.stderr == ""
    refused = flowmap("analyze", "--cache-dir", str(blocker), claim.name, cwd=claim.parent)
    assert refused.returncode == 2 and "is a file" in refused.stderr
    assert blocker.read_text() == "a file where the cache folder would be"


def test_runs_that_fail_are_not_kept(tmp_path):
    (tmp_path / "bad.flow.yaml").write_text("flowmap: 1\nprocess: [\n")
    first = flowmap("analyze", "bad.flow.yaml", cwd=tmp_path)
    assert first.returncode == 2
    assert not entries(tmp_path / ".flowmap_cache")


def test_concurrent_runs_share_the_cache_safely(claim):
    folder = claim.parent
    expected = flowmap("analyze", "-f", "json", "--no-cache", claim.name, cwd=folder)
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "flowmap", "analyze", "-f", "json", claim.name],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=180) for run in runs]
    assert all(out == expected.stdout for out, _ in outputs)
    assert [run.returncode for run in runs] == [1] * 4
    [entry] = entries(folder / ".flowmap_cache")
    assert hit.decode(entry.read_bytes(), entry.stem).stdout == expected.stdout
    assert not list((folder / ".flowmap_cache").glob("??/.*.tmp"))  # no leftovers


def test_the_folder_stays_within_its_size_limit_oldest_out_first(tmp_path):
    folder = tmp_path / "c"
    kept = []
    for i in range(6):
        entry = cache.ResultCache(folder, f"{i:02d}" + "ab" * 31, max_bytes=2_500)
        entry.store(cache.Entry("x" * 900, "", 0, {}))
        os.utime(entry.path, (1_000_000 + i, 1_000_000 + i))  # stored one after the other
        kept.append(entry)
        entry.evict()
    left = entries(folder)
    assert sum(p.stat().st_size for p in left) <= 2_500
    assert [p.name for p in left] == [e.path.name for e in kept[-len(left) :]]
    assert kept[-1].lookup() is not None and kept[0].lookup() is None


@pytest.mark.parametrize(
    "args",
    [
        ["-f", "json"],
        ["--format=json", "--top", "3"],
        ["--all", "--fail-on", "error"],
        ["--select", "SMK,VAL", "--exit-zero", "-j", "1"],
    ],
)
def test_the_entry_point_reads_the_options_as_click_does(claim, args):
    """`flowmap analyze` answers a cached run before click is imported: it must find the entry
    click's parse of the same command line stored, and import neither click nor the model."""
    first = flowmap("analyze", *args, claim.name, cwd=claim.parent)
    hit = fresh_run("flowmap.replay:replay_analyze", [*args, claim.name], cwd=claim.parent)
    rooms = ("click", "pydantic", "networkx", "yaml", "flowmap.model", "flowmap.graph")
    rooms += ("flowmap.rules", "pydantic_core")
    assert (hit.code, hit.loaded(under=rooms)) == (first.returncode, []), hit.stderr
    assert hit.stdout == first.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--fix"],
        ["-o", "report.txt"],
        ["--help"],
        ["-fjson"],
        ["-f=json"],
        ["--format", "yaml"],
        ["--top", "x"],
        ["--no-cache"],
        ["--unknown"],
        ["--select"],
    ],
)
def test_the_entry_point_leaves_anything_else_to_click(claim, args):
    flowmap("analyze", claim.name, cwd=claim.parent)  # an entry exists for the plain run
    code = (
        "from flowmap.replay import replay_analyze\n"
        f"print('CODE', replay_analyze({[*args, claim.name]!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=claim.parent,
        timeout=120,
        check=False,
    )
    assert "CODE None" in done.stdout


def test_an_edit_to_flowmap_itself_is_a_miss(tmp_path):
    """A working copy whose code changed keeps its version number: the entry is not reused."""
    before = cache.ResultCache.for_run(tmp_path, "analyze", {}, [], [], []).key
    module = Path(cache.__file__)
    stat = module.stat()
    try:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert cache.ResultCache.for_run(tmp_path, "analyze", {}, [], [], []).key != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert cache.ResultCache.for_run(tmp_path, "analyze", {}, [], [], []).key == before
