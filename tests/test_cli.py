"""The command line as a user meets it: exit codes, streams, messages, start-up imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from flowmap.cli import cli
from flowmap.rules.smokestack.smk001_chimney_handoff import ChimneyHandoff
from tests.conftest import MINIMAL, ROOT


def run(*args, cwd=None):
    """Run the real console entry point (so exit codes are the user's)."""
    return subprocess.run(
        [sys.executable, "-m", "flowmap", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_version_and_help_do_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from flowmap.cli import cli\n"
        "for args in (['--version'], ['--help'], ['analyze', '--help']):\n"
        "    try:\n"
        "        cli.main(args, standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('networkx', 'pydantic', 'graphviz', 'lxml', 'ruamel.yaml', 'yaml')\n"
        "         if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("flowmap, version ")


def test_validate_ok_and_invalid(write):
    good = write("good.flow.yaml", MINIMAL)
    bad = write("bad.flow.yaml", MINIMAL.replace("kind: end", "kind: ende"))
    result = run("validate", str(good))
    assert result.returncode == 0
    assert "ok (3 steps, 2 flows, 1 functions)" in result.stdout
    result = run("validate", str(good), str(bad))
    assert result.returncode == 2
    assert f"{bad}:22:11: error: kind: 'ende' is not a valid kind in step 'done'" in result.stderr
    assert "hint: did you mean 'end'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_analyze_exit_codes(write):
    bad = write("bad.flow.yaml", ChimneyHandoff.bad)
    good = write("good.flow.yaml", ChimneyHandoff.good)
    result = run("analyze", str(bad), "--select", "SMK001")
    assert result.returncode == 1
    assert "SMK001" in result.stdout and "chimney-handoff" in result.stdout
    assert run("analyze", str(good), "--select", "SMK001").returncode == 0
    assert run("analyze", str(bad), "--select", "SMK001", "--exit-zero").returncode == 0
    assert run("analyze", str(bad), "--select", "SMK001", "--fail-on", "error").returncode == 0


def test_analyze_usage_errors_exit_2(write, tmp_path):
    good = write("good.flow.yaml", MINIMAL)
    result = run("analyze", str(good), "--select", "NOPE999")
    assert result.returncode == 2
    assert "unknown rule selector 'NOPE999'" in result.stderr
    result = run("analyze", str(tmp_path / "missing.flow.yaml"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    bad = write("broken.flow.yaml", "flowmap: [\n")
    result = run("analyze", str(bad))
    assert result.returncode == 2
    assert "YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_analyze_json_shape(write):
    bad = write("bad.flow.yaml", ChimneyHandoff.bad)
    broken = write("broken.flow.yaml", "flowmap: [\n")
    result = run("analyze", str(bad), str(broken), "--format", "json", "--select", "SMK")
    assert result.returncode == 2  # one file could not be read
    doc = json.loads(result.stdout)
    assert doc["version"] == 1
    (entry,) = doc["files"]
    assert set(entry) >= {"path", "process", "findings", "metrics", "maturity"}
    finding = entry["findings"][0]
    assert set(finding) >= {
        "code",
        "family",
        "severity",
        "message",
        "elements",
        "location",
        "evidence",
        "suggestion",
        "fingerprint",
    }
    assert finding["family"] == "smokestack"
    assert finding["location"]["line"] > 0
    assert doc["errors"][0]["path"] == str(broken)


def test_analyze_folder_recursively(tmp_path, write):
    write("a/one.flow.yaml", MINIMAL)
    write("a/b/two.flow.yaml", MINIMAL.replace("id: demo", "id: demo2"))
    write("a/b/notes.yaml", "not: a process\n")
    result = run("analyze", str(tmp_path / "a"), "--format", "json", "--exit-zero")
    doc = json.loads(result.stdout)
    assert sorted(f["process"]["id"] for f in doc["files"]) == ["demo", "demo2"]


def test_fix_writes_redesign_and_never_overwrites_input(write, tmp_path):
    bad = write("bad.flow.yaml", ChimneyHandoff.bad)
    original = bad.read_text()
    result = run("analyze", str(bad), "--fix", "--select", "SMK001")
    assert result.returncode == 2 and "--fix needs -o FILE" in result.stderr
    result = run("analyze", str(bad), "--fix", "-o", str(bad), "--select", "SMK001")
    assert result.returncode == 2 and "pass --force" in result.stderr
    out = tmp_path / "to-be.flow.yaml"
    result = run("analyze", str(bad), "--fix", "-o", str(out), "--select", "SMK001")
    assert result.returncode == 0, result.stderr
    assert bad.read_text() == original
    assert run("analyze", str(out), "--select", "SMK001").returncode == 0
    assert "status: to-be" in out.read_text()


def test_init_creates_valid_file_and_refuses_overwrite(tmp_path):
    result = run("init", "Order to cash", cwd=tmp_path)
    assert result.returncode == 0
    created = tmp_path / "order-to-cash.flow.yaml"
    assert run("validate", str(created)).returncode == 0
    before = created.read_text()
    result = run("init", "Order to cash", cwd=tmp_path)
    assert result.returncode == 2 and "exists already" in result.stderr
    assert created.read_text() == before


def test_rules_and_explain():
    runner = CliRunner()
    result = runner.invoke(cli, ["rules"])
    assert result.exit_code == 0 and "SMK001" in result.output
    result = runner.invoke(cli, ["explain", "SMK001"])
    assert result.exit_code == 0
    assert result.output.startswith("# SMK001 chimney-handoff")
    assert "## Use instead" in result.output
    result = run("explain", "SMK01")
    assert result.returncode == 2 and "did you mean 'SMK001'" in result.stderr


def test_schema_is_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    result = run("schema")
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    import yaml

    jsonschema.validate(yaml.safe_load(MINIMAL), schema)
    processes = sorted((ROOT / "processes").glob("*/*.flow.yaml"))
    for path in processes:
        data = yaml.safe_load(path.read_text())
        jsonschema.validate(data, schema)


def test_config_in_pyproject_is_found_and_overridden(tmp_path, write):
    write("pyproject.toml", '[tool.flowmap]\nignore = ["SMK001"]\n')
    bad = write("sub/bad.flow.yaml", ChimneyHandoff.bad)
    result = run("analyze", str(bad), "--fail-on", "info")
    assert result.returncode == 1  # other rules still report on the example
    assert "SMK002" in result.stdout and "SMK001" not in result.stdout
    doc = json.loads(run("analyze", str(bad), "--format", "json").stdout)
    assert not [f for f in doc["files"][0]["findings"] if f["code"] == "SMK001"]
    doc = json.loads(run("analyze", str(bad), "--format", "json", "--ignore", "").stdout)
    assert [f for f in doc["files"][0]["findings"] if f["code"] == "SMK001"]


def test_bad_config_is_a_clear_error(tmp_path, write):
    write("flowmap.toml", 'selct = ["ALL"]\n')
    good = write("good.flow.yaml", MINIMAL)
    result = run("analyze", str(good))
    assert result.returncode == 2
    assert "unknown setting 'selct' (did you mean 'select'?)" in result.stderr


def test_terminal_escape_sequences_in_names_are_not_sent(write):
    hostile = ChimneyHandoff.bad.replace(
        "    - id: sales\n", '    - id: sales\n      name: "Sa\\e[2J\\e]0;pwned\\ales"\n'
    )
    path = write("hostile.flow.yaml", hostile)
    result = run("analyze", str(path), "--select", "SMK001")
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Sa\\x1b[2J\\x1b]0;pwned\\x07les reaches" in result.stdout
    bad = write("bad.flow.yaml", ChimneyHandoff.bad.replace("kind: end", 'kind: "e\\e[31mnd"'))
    result = run("validate", str(bad))
    assert result.returncode == 2 and "\x1b" not in result.stderr


def test_validate_shows_bpmn_import_warnings(write):
    bpmn = write(
        "model.bpmn",
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
          <process id="p">
            <startEvent id="s"/>
            <task id="t" name="Do the work"/>
            <endEvent id="e"/>
            <sequenceFlow id="f1" sourceRef="s" targetRef="t"/>
            <sequenceFlow id="f2" sourceRef="t" targetRef="e"/>
          </process>
        </definitions>
        """,
    )
    result = run("validate", str(bpmn))
    assert result.returncode == 0
    assert "warning: no pool or lane names the customer" in result.stderr
    assert "ok (" in result.stdout
