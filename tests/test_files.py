"""What flowmap promises about your files (docs/files.md): nothing a person wrote is replaced
without --force, writes are atomic and go through symlinks, reads are bounded, nothing hangs."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from flowmap import files
from flowmap.cli import run
from tests.conftest import MINIMAL, ROOT

ORG = """
flowmap: 1
functions:
  - id: sales
    kind: sales
    roles:
      - {id: rep, level: 1, reports_to: manager}
      - {id: manager, level: 3}
"""


def flowmap(capsys, *args: str) -> tuple[int, str, str]:
    """Run a command in this process, as the console entry point runs it."""
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def process(write):
    return write("a.flow.yaml", MINIMAL)


# ---------------------------------------------------------------------------------------------
# 1. One guard for every write
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["analyze", "{a}", "-o", "{a}"],
        ["analyze", "{a}", "-o", "{org}"],
        ["analyze", "{a}", "--write-baseline", "{org}"],
        ["diff", "{a}", "{b}", "-o", "{b}"],
        ["compare", "{a}", "{b}", "-o", "{a}"],
    ],
)
def test_a_report_never_replaces_a_process_file(capsys, write, command):
    a = write("a.flow.yaml", MINIMAL)
    b = write("b.flow.yaml", MINIMAL.replace("Prepare offer", "Prepare the offer"))
    org = write("team.org.yaml", ORG)
    before = {p: p.read_bytes() for p in (a, b, org)}
    args = [part.format(a=a, b=b, org=org) for part in command]
    for extra in ([], ["--force"]):
        code, _, err = flowmap(capsys, *args, *extra)
        assert code == 2
        assert "process or organisation file" in err
        assert {p: p.read_bytes() for p in (a, b, org)} == before


def test_output_over_a_file_flowmap_did_not_write_needs_force(capsys, process, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    code, _, err = flowmap(capsys, "analyze", process, "-o", notes, "--exit-zero")
    assert code == 2
    assert f"{notes} exists and was not written by flowmap" in err and "--force" in err
    assert notes.read_text() == "my notes\n"
    assert flowmap(capsys, "analyze", process, "-o", notes, "--exit-zero", "--force")[0] == 0
    assert "my notes" not in notes.read_text()


def test_flowmap_may_replace_what_it_wrote_until_a_person_edits_it(capsys, process, tmp_path):
    report = tmp_path / "report.json"
    for _ in range(2):  # the second run replaces the first run's report
        assert (
            flowmap(capsys, "analyze", process, "-f", "json", "-o", report, "--exit-zero")[0] == 0
        )
    report.write_text(report.read_text() + " ")  # a person edits it: it is theirs now
    code, _, err = flowmap(capsys, "analyze", process, "-f", "json", "-o", report, "--exit-zero")
    assert code == 2 and "was not written by flowmap" in err
    assert report.read_text().endswith(" ")


def test_the_record_is_a_hash_not_a_word_in_the_file(tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text("made with flowmap\n" * 100)  # the old test: "flowmap" in the first 4 KB
    assert not files.written_by_flowmap(mine)
    files.write_output(tmp_path / "ours.txt", "made with flowmap\n")
    assert files.written_by_flowmap(tmp_path / "ours.txt")
    (tmp_path / "ours.txt").write_text("made with flowmap\n".upper())
    assert not files.written_by_flowmap(tmp_path / "ours.txt")


def test_an_input_of_the_run_is_never_replaced_without_force(tmp_path):
    path = tmp_path / "data.json"
    files.write_output(path, "{}")  # flowmap's own file...
    with files.run():
        files.read_bounded(path, 1000)  # ...read by this run: an input now
        with pytest.raises(files.WriteRefused, match="is an input of this command"):
            files.write_output(path, "[]")
        files.write_output(path, "[]", force=True)
    assert path.read_text() == "[]"


def test_report_command_no_longer_trusts_the_word_flowmap(capsys, process, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>notes about flowmap</p>")
    code, _, err = flowmap(capsys, "report", process, "-o", page, "-q")
    assert code == 2 and "--force" in err
    assert page.read_text() == "<p>notes about flowmap</p>"


# ---------------------------------------------------------------------------------------------
# 2. Symlinks, special files, read-only files
# ---------------------------------------------------------------------------------------------

UNFORMATTED = MINIMAL.replace("flowmap: 1\n", "flowmap:    1\n")


def test_fmt_writes_through_a_symlink(capsys, tmp_path):
    real = tmp_path / "real" / "p.flow.yaml"
    real.parent.mkdir()
    real.write_text(UNFORMATTED)
    link = tmp_path / "link.flow.yaml"
    link.symlink_to(real)
    assert flowmap(capsys, "fmt", link)[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == MINIMAL.lstrip("\n") or "flowmap: 1\n" in real.read_text()
    assert "flowmap:    1" not in real.read_text()


def test_output_into_a_fifo_stays_a_fifo(capsys, process, tmp_path):
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = flowmap(capsys, "analyze", process, "-o", fifo, "--exit-zero")
    reader.join(10)
    assert code == 0
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert b"demo" in got[0] or b"finding" in got[0].lower()


def test_output_to_dev_null_is_written_not_replaced(capsys, process):
    assert flowmap(capsys, "analyze", process, "-o", "/dev/null", "--exit-zero")[0] == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1"])
def test_output_to_dev_stdout_goes_down_a_pipe(process, tmp_path, name):
    """`-o /dev/stdout | less`: the pipe behind it is written, not a file beside /proc."""
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flowmap",
            "analyze",
            str(process),
            "-f",
            "json",
            "-o",
            name,
            "--exit-zero",
        ],
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, "FLOWMAP_NO_CACHE": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert b'"findings"' in done.stdout


def test_output_to_dev_stdout_appends_where_the_shell_said(process, tmp_path):
    """`-o /dev/stdout >> log`: the shell opened the file to append; flowmap neither replaces
    it nor asks for --force (the file is the shell's stream, not an output flowmap names)."""
    import subprocess
    import sys

    log = tmp_path / "log.txt"
    log.write_text("kept\n")
    with log.open("ab") as handle:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "flowmap",
                "analyze",
                str(process),
                "-f",
                "json",
                "-o",
                "/dev/stdout",
                "--exit-zero",
            ],
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
            env={**os.environ, "FLOWMAP_NO_CACHE": "1"},
        )
    assert done.returncode == 0, done.stderr
    text = log.read_text()
    assert text.startswith("kept\n") and '"findings"' in text


def test_fmt_leaves_read_only_files_and_goes_on(capsys, tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    locked, other = folder / "a.flow.yaml", folder / "b.flow.yaml"
    locked.write_text(UNFORMATTED)
    other.write_text(UNFORMATTED)
    locked.chmod(0o444)
    code, _, err = flowmap(capsys, "fmt", folder)
    assert code == 2
    assert f"{locked} is read-only" in err
    assert locked.read_text() == UNFORMATTED
    assert "flowmap:    1" not in other.read_text()  # the next file was still formatted


def _as_if_not_root(monkeypatch, locked: Path, refused: str) -> None:
    """Root may write and read anywhere: where the tests run as root, the refusal a person
    would meet in ``locked`` (``refused`` "write" or "read") is the operating system's own
    error, raised where the system would raise it."""
    if os.geteuid() != 0:
        return
    import errno
    import tempfile

    real_mkstemp, real_scandir = tempfile.mkstemp, os.scandir

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    if refused == "write":
        monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    else:
        monkeypatch.setattr(os, "scandir", scandir)


def test_fmt_in_a_read_only_folder_says_so_and_goes_on(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.flow.yaml").write_text(UNFORMATTED)
    (folder / "b.flow.yaml").write_text(UNFORMATTED)
    folder.chmod(0o555)
    _as_if_not_root(monkeypatch, folder, "write")
    try:
        code, _, err = flowmap(capsys, "fmt", folder)
    finally:
        folder.chmod(0o755)
    assert code == 2 and "Errno" not in err
    for name in ("a.flow.yaml", "b.flow.yaml"):  # both tried: the first did not stop the run
        assert f"{folder / name}: cannot write in {folder}" in err, err
        assert (folder / name).read_text() == UNFORMATTED


# ---------------------------------------------------------------------------------------------
# 3. Rendering a folder: two sources never share an output
# ---------------------------------------------------------------------------------------------


def test_render_folder_keeps_both_when_names_collide(capsys, tmp_path):
    from flowmap.loaders import load_any
    from flowmap.writers.bpmn import dump

    source = tmp_path / "in"
    source.mkdir()
    (source / "a.flow.yaml").write_text(MINIMAL)
    (source / "a.bpmn").write_text(dump(load_any(source / "a.flow.yaml")))
    code, _, err = flowmap(capsys, "render", source, "-o", tmp_path / "out", "-f", "dot")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.bpmn.dot", "a.flow.yaml.dot"]


def test_output_tree_keeps_plain_names_without_a_collision():
    plan = files.output_tree(
        "in",
        ["in/x/a.flow.yaml", "in/b.bpmn"],
        "out",
        ["svg", "png"],
        lambda name: name.split(".")[0],
    )
    assert plan == [
        ("in/x/a.flow.yaml", ["out/x/a.svg", "out/x/a.png"]),
        ("in/b.bpmn", ["out/b.svg", "out/b.png"]),
    ]


def test_render_folder_with_a_symlink_to_a_file_outside(capsys, tmp_path):
    outside = tmp_path / "elsewhere.flow.yaml"
    outside.write_text(MINIMAL)
    source = tmp_path / "in"
    source.mkdir()
    (source / "linked.flow.yaml").symlink_to(outside)
    code, _, err = flowmap(capsys, "render", source, "-o", tmp_path / "out", "-f", "dot")
    assert code == 0, err
    assert (tmp_path / "out" / "linked.dot").is_file()


# ---------------------------------------------------------------------------------------------
# 6. Bounded reads: devices and FIFOs are refused, folder walks name what they skip
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "fmt", "analyze"])
def test_a_symlink_to_dev_zero_is_refused_unread(capsys, tmp_path, command):
    link = tmp_path / "zero.flow.yaml"
    link.symlink_to("/dev/zero")
    code, _, err = flowmap(capsys, command, link)
    assert code == 2
    assert "is a character device, not a regular file" in err


@pytest.mark.parametrize(
    "command", ["validate", "fmt", "analyze", "convert", "diff", "compare", "render", "report"]
)
@pytest.mark.parametrize("name", ["x.flow.yaml", "x.bpmn"])
def test_a_fifo_named_as_input_is_refused_not_waited_on(capsys, process, tmp_path, command, name):
    if command == "fmt" and name.endswith(".bpmn"):
        return  # fmt formats YAML only
    fifo = tmp_path / name
    os.mkfifo(fifo)
    out = tmp_path / ("out.flow.yaml" if name.endswith(".bpmn") else "out.bpmn")
    extra = {
        "convert": ["-o", out],
        "diff": [process],
        "compare": [process],
        "render": ["-o", tmp_path / "out.svg"],
        "report": ["-o", tmp_path / "r.html"],
    }
    code, _, err = flowmap(capsys, command, fifo, *extra.get(command, []))
    assert code == 2
    assert "named pipe (FIFO), not a regular file" in err  # not "no such file"


def test_folder_walk_skips_and_names_special_files(capsys, tmp_path):
    (tmp_path / "good.flow.yaml").write_text(MINIMAL)
    os.mkfifo(tmp_path / "pipe.flow.yaml")
    (tmp_path / "dangling.flow.yaml").symlink_to(tmp_path / "nowhere")
    code, out, err = flowmap(capsys, "validate", tmp_path)
    assert code == 0
    assert "good.flow.yaml: ok" in out
    assert "pipe.flow.yaml: skipped: is a named pipe (FIFO)" in err
    assert "dangling.flow.yaml: skipped" in err


def test_folder_walk_names_an_unreadable_folder(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.flow.yaml").write_text(MINIMAL)
    locked.chmod(0)
    _as_if_not_root(monkeypatch, locked, "read")
    try:
        found = files.walk([str(tmp_path)], lambda name: True)
    finally:
        locked.chmod(0o755)
    assert (str(locked), "cannot read the folder: permission denied") in found.skipped
    assert found.files == []


def test_validate_names_an_unreadable_subfolder(capsys, tmp_path, monkeypatch):
    (tmp_path / "b.flow.yaml").write_text(MINIMAL)
    locked = tmp_path / "sub"
    locked.mkdir()
    (locked / "a.flow.yaml").write_text(MINIMAL)
    locked.chmod(0)
    _as_if_not_root(monkeypatch, locked, "read")
    try:
        _, out, err = flowmap(capsys, "validate", tmp_path)
    finally:
        locked.chmod(0o755)
    assert "b.flow.yaml: ok" in out
    assert f"{locked}: skipped: cannot read the folder" in err


def test_read_bounded_stops_at_the_limit(tmp_path):
    big = tmp_path / "big.flow.yaml"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(files.ReadRefused, match="above the limit"):
        files.read_bounded(big, 1000)
    assert files.read_bounded(big, 2000) == b"x" * 2000


def test_library_processes_still_read(capsys):
    assert flowmap(capsys, "validate", "-q", ROOT / "processes")[0] == 0


def test_write_atomic_is_below_the_writers():
    import flowmap.writers
    from tests.test_layers import LAYER

    assert flowmap.writers.write_atomic is files.write_atomic
    assert LAYER["files"] < LAYER["loaders"] < LAYER["writers"]


# ---------------------------------------------------------------------------------------------
# 8, 9. Numbers: finite and bounded at load; numbers too long to convert
# ---------------------------------------------------------------------------------------------

WORK = MINIMAL.replace("    value: customer\n", "    value: customer\n    work: WORK\n")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".inf", "work in step 'offer': must be at most 100,000,000 minutes"),
        ("1e308", "work in step 'offer': must be at most 100,000,000 minutes"),
        (".nan", "work in step 'offer': must be a number (got nan)"),
        ("1" + "0" * 4400, "work in step 'offer': must be at most"),
    ],
)
@pytest.mark.parametrize("command", ["validate", "analyze", "fmt", "convert"])
def test_numbers_that_are_not_measurements_are_refused_at_load(
    capsys, write, tmp_path, value, message, command
):
    path = write("p.flow.yaml", WORK.replace("WORK", value))
    extra = ["-o", tmp_path / "p.bpmn"] if command == "convert" else []
    code, out, err = flowmap(capsys, command, path, *extra)
    assert code == 2
    assert message in err and "internal error" not in err
    assert "Infinity" not in out and "NaN" not in out


def test_a_huge_integer_anywhere_is_a_clear_error(capsys, write):
    path = write("p.flow.yaml", MINIMAL.replace("level: 3", "level: " + "7" * 4400))
    code, _, err = flowmap(capsys, "validate", path)
    assert code == 2 and "p.flow.yaml:" in err and "Exceeds the limit" not in err


# ---------------------------------------------------------------------------------------------
# 13. An internal error names its file; the other files of a folder are still done
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "analyze", "fmt", "render"])
def test_a_bug_on_one_file_names_it_and_the_others_are_done(capsys, tmp_path, monkeypatch, command):
    from flowmap.loaders import flow_yaml

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.flow.yaml").write_text(MINIMAL)
    (folder / "b.flow.yaml").write_text(MINIMAL.replace("flowmap: 1\n", "flowmap:   1\n"))
    real = flow_yaml.load_process

    def flaky(path, **options):
        if Path(path).name == "a.flow.yaml":
            raise KeyError("boom")
        return real(path, **options)

    monkeypatch.setattr(flow_yaml, "load_process", flaky)
    if command == "fmt":  # fmt checks a file loads with check_loads
        from flowmap import fmt

        monkeypatch.setattr(fmt, "check_loads", lambda path, limit=None: flaky(path))
    extra = ["-o", tmp_path / "out", "-f", "dot"] if command == "render" else []
    code, out, err = flowmap(capsys, command, folder, *extra)
    assert code == 2
    assert "a.flow.yaml" in err and "KeyError" in err and "internal error" in err
    done = {
        "validate": "b.flow.yaml: ok" in out,
        "analyze": "b.flow.yaml" in out,
        "fmt": "flowmap:   1" not in (folder / "b.flow.yaml").read_text(),
        "render": (tmp_path / "out" / "b.dot").is_file(),
    }
    assert done[command], (out, err)


# ---------------------------------------------------------------------------------------------
# Weaker: one sanitiser for printed user text; init keeps backslashes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_diff_output_never_sends_escape_sequences(capsys, write, fmt):
    old = write("old.flow.yaml", MINIMAL)
    new = write("new.flow.yaml", MINIMAL.replace("Prepare offer", "Prepare\\e[2J offer\\a"))
    text = MINIMAL.replace("name: Prepare offer", 'name: "Prepare\\e[2J offer\\a"')
    new.write_text(text)
    code, out, err = flowmap(capsys, "diff", old, new, "-f", fmt)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "\\x1b[2J" in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_analyze_output_never_sends_escape_sequences(capsys, tmp_path, fmt):
    """Step names and file names quoted in findings, in every format read on a terminal."""
    text = (ROOT / "processes" / "complaint-handling" / "as-is.flow.yaml").read_text()
    assert "name: Log complaint in CRM\n" in text
    path = tmp_path / "a\x1b]0;title\x07.flow.yaml"
    path.write_text(
        text.replace("name: Log complaint in CRM\n", 'name: "Log\\e[2J complaint\\a in CRM"\n')
    )
    code, out, err = flowmap(capsys, "analyze", path, "-f", fmt, "--exit-zero", "--all")
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "Log\\x1b[2J complaint\\x07 in CRM" in out  # quoted in a finding, shown escaped
    assert "a\\x1b]0;title\\x07.flow.yaml" in out


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_diff_and_compare_never_send_escape_sequences(capsys, write, fmt):
    old = write("old.flow.yaml", MINIMAL)
    new = write(
        "new.flow.yaml", MINIMAL.replace("name: Prepare offer", 'name: "Prepare\\e[2J offer\\a"')
    )
    for command in ("diff", "compare"):
        code, out, err = flowmap(capsys, command, old, new, "-f", fmt)
        assert code in (0, 1), err
        assert "\x1b" not in out + err and "\x07" not in out + err


def test_validate_ok_line_and_fmt_lines_are_cleaned(capsys, tmp_path):
    path = tmp_path / "a\x1b[2J.flow.yaml"
    path.write_text(UNFORMATTED)
    code, out, err = flowmap(capsys, "validate", path)
    assert code == 0 and "\x1b" not in out and "\\x1b[2J" in out
    code, out, err = flowmap(capsys, "fmt", "--check", path)
    assert "\x1b" not in out + err and "\\x1b[2J" in out
    code, out, err = flowmap(capsys, "fmt", "--diff", path)
    assert code == 1 and "\x1b" not in out + err and f"--- {tmp_path}/a\\x1b[2J.flow.yaml" in out
    code, out, err = flowmap(capsys, "fmt", path)
    assert "\x1b" not in err and "\\x1b[2J" in err


def test_init_keeps_backslashes_in_the_name(capsys, tmp_path):
    from flowmap.loaders import load_any

    target = tmp_path / "p.flow.yaml"
    assert flowmap(capsys, "init", "C:\\new folder", "-o", target)[0] == 0
    assert load_any(target).info.name == "C:\\new folder"


def test_git_runs_in_the_c_locale_and_a_missing_file_is_its_own_error(monkeypatch):
    """The CLI matched git's English messages: a translated git broke `diff REV -- PATH`."""
    import subprocess

    from flowmap.loaders import git

    seen = {}

    class Done:
        returncode, stdout = 128, b""
        stderr = b"fatal: path 'x.flow.yaml' does not exist in 'HEAD'\n"

    def fake(args, **options):
        seen.update(options.get("env") or {})
        return Done()

    monkeypatch.setattr(subprocess, "run", fake)
    with pytest.raises(git.MissingInRevision):
        git.git(["show", "HEAD:x.flow.yaml"])
    assert seen.get("LC_ALL") == "C"
