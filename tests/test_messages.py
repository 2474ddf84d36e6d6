"""Messages a person can act on, for inputs that used to get raw library text (issue 14)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from flowmap.errors import LoadError, UsageError
from flowmap.loaders.bpmn import load_bpmn
from flowmap.loaders.flow_yaml import load_process
from tests.conftest import MINIMAL


def _problem(load, path):
    with pytest.raises(LoadError) as caught:
        load(path)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    return problems[0]


@pytest.mark.parametrize(
    ("encoding", "named"),
    [
        ("utf-16", "UTF-16"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
        ("utf-32", "UTF-32"),
        ("utf-32-le", "UTF-32"),
    ],
)
def test_utf16_and_utf32_files_are_named_with_how_to_convert(tmp_path, encoding, named):
    path = tmp_path / "wide.flow.yaml"
    path.write_bytes(MINIMAL.encode(encoding))
    problem = _problem(load_process, path)
    assert problem.message == f"the file is {named} text; flowmap reads UTF-8"
    assert f"iconv -f {named} -t UTF-8" in problem.hint
    assert "binary" not in problem.message


def test_a_binary_file_is_still_called_binary(tmp_path):
    path = tmp_path / "image.flow.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    assert "binary file" in _problem(load_process, path).message


def test_a_control_character_is_reported_where_it_is(tmp_path):
    path = tmp_path / "bell.flow.yaml"
    path.write_text(
        MINIMAL.replace("name: Prepare offer", "name: Prepare\x07 offer"), encoding="utf-8"
    )
    problem = _problem(load_process, path)
    line = next(i for i, text in enumerate(MINIMAL.split("\n"), 1) if "Prepare offer" in text)
    assert (problem.location.line, problem.location.column) == (line, len("    name: Prepare") + 1)
    assert "U+0007" in problem.message
    assert "position" not in problem.message


def test_a_huge_attribute_is_explained_in_plain_words(tmp_path):
    path = tmp_path / "huge.bpmn"
    path.write_text(
        '<?xml version="1.0"?><definitions '
        'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">'
        f'<task id="t" name="{"a" * 11_000_000}"/></process></definitions>'
    )
    problem = _problem(load_bpmn, path)
    assert "XML_PARSE_HUGE" not in problem.message + problem.hint
    assert "longer than flowmap reads" in problem.message
    assert problem.location.line == 1


def test_a_boundary_event_attached_to_nothing_is_named(tmp_path):
    path = tmp_path / "boundary.bpmn"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <process id="p">
    <startEvent id="s"/>
    <task id="t" name="Work"/>
    <boundaryEvent id="late" name="Too late"><timerEventDefinition/></boundaryEvent>
    <endEvent id="e"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
    <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
    <sequenceFlow id="f3" sourceRef="late" targetRef="e"/>
  </process>
</definitions>
""",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load_bpmn(path)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [p.message for p in errors] == [
        "boundary event 'late' (Too late) has no attachedToRef: it is attached to no activity"
    ]
    assert errors[0].location.line == 6
    assert "None" not in errors[0].message


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_revision_in_a_repository_without_commits(tmp_path, monkeypatch):
    from flowmap.loaders.git import process_files

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "a.flow.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        process_files(["a.flow.yaml"], "HEAD", None)
    assert str(caught.value) == (
        "'HEAD': this repository has no commits yet; commit the "
        "processes first, or give two files to compare"
    )
    subprocess.run(
        [
            "git",
            "-c",
            "user.email=a@b",
            "-c",
            "user.name=n",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "first",
        ],
        check=True,
    )
    with pytest.raises(UsageError) as caught:
        process_files(["a.flow.yaml"], "nosuch", None)
    assert str(caught.value) == (
        "'nosuch' is not a revision of this repository (git log --oneline lists them)"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["analyze", "{good}", "--org", "{bad_org}"],
        ["validate", "{good}", "--org", "{bad_org}"],
        ["convert", "{bad}", "-o", "{out}"],
        ["compare", "{bad}", "{good}"],
        ["diff", "{bad}", "{good}"],
        ["render", "{bad}", "-o", "{out_svg}"],
        ["report", "{bad}", "-o", "{out_html}"],
    ],
)
def test_a_file_error_is_said_once_with_its_place(tmp_path, capsys, command):
    """'flowmap: error: x.flow.yaml:3:1: error: ...' said the same thing twice."""
    from flowmap.cli import run

    paths = {
        "good": tmp_path / "good.flow.yaml",
        "bad": tmp_path / "bad.flow.yaml",
        "bad_org": tmp_path / "bad.org.yaml",
        "out": tmp_path / "out.bpmn",
        "out_svg": tmp_path / "out.svg",
        "out_html": tmp_path / "out.html",
    }
    paths["good"].write_text(MINIMAL)
    paths["bad"].write_text(MINIMAL.replace("  - offer -> done\n", "  - offer -> nowhere\n"))
    paths["bad_org"].write_text("flowmap: 1\norganisation:\n  functions:\n    - id: a.b\n")
    code = run([part.format(**{k: str(v) for k, v in paths.items()}) for part in command])
    err = capsys.readouterr().err
    assert code == 2, err
    said = [line for line in err.splitlines() if "error" in line]
    assert said, err
    for line in said:
        assert line.count("error:") == 1, err
    assert any(":" in line.split("error:")[0] and ".yaml:" in line for line in said), err
