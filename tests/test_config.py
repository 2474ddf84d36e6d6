"""Configuration: every key checked by one schema, shared with the command-line options;
a wrong value is one line naming the file, the line, the key and what to write instead."""

from __future__ import annotations

import pytest

from flowmap.cli import run
from flowmap.config import Config, read_config
from flowmap.errors import UsageError
from tests.conftest import MINIMAL


def flowmap(capsys, *args):
    code = run([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("toml", "line", "message"),
    [
        ('jobs = "x"', 1, "jobs: must be a whole number (got 'x')"),
        ("jobs = -3", 1, "jobs: must be at least 0 (got -3)"),
        ('per-file-ignores = "x"', 1, "per-file-ignores: must be a table"),
        ("rules = 5", 1, "rules: must be a table"),
        ('select = ["ALL"]\nfail-on = "sometimes"', 2, "fail-on: must be one of"),
        ("max-file-size-mb = 0", 1, "max-file-size-mb: must be at least 1"),
        ("top = " + "9" * 5000, 1, "a number too large to read"),
        ("[render]\nwrap = 6", 2, "render.wrap: must be at least 8 (got 6)"),
        ('[render]\ntime-budget = "soon"', 2, "render.time-budget: must be a number"),
        ('[render]\nmax-steps = "x"', 2, "render.max-steps: must be a whole number"),
        ('[render]\nfindings = "lots"', 2, "render.findings: must be one of"),
        ('[render]\npaper = "A9"', 2, "render.paper: 'A9' is not a paper size"),
        ('[render]\nformat = "gif"', 2, "render.format: use one or more of svg"),
        ("[render]\n\nwrpa = 9", 3, "unknown setting 'render.wrpa' (did you mean 'wrap'?)"),
        ('[rules.SMK003]\nseverity = "loud"', 2, "rules.SMK003.severity: must be one of"),
        ('[rules.SMK003]\nmin-gap = "x"', 2, "rules.SMK003.min-gap: must be a whole number"),
        ("[rules.SMK003]\nbogus = 1", 2, "has no option 'bogus'; known: min-gap"),
        # a rule without options lists none (not the top-level settings)
        (
            "[rules.VAL001]\nmin-gap = 2",
            2,
            (
                "rules.VAL001: non-value-adding-step has no options "
                "(only severity); remove 'min-gap'"
            ),
        ),
        # a list setting is named as written, not by a branch of its type ("exclude.str")
        ("exclude = 7", 1, "exclude: must be a text or a list of texts (got 7)"),
        ('select = ["SMK", 1]', 1, "select: must be a text or a list of texts"),
        # a table for a rule that does not exist: a typo would silently change nothing
        (
            'select = ["ALL"]\n[rules.SMK999]\nseverity = "error"',
            2,
            "rules.SMK999: no rule has this code",
        ),
        # found at its line however it is written (codes are read in capitals)
        (
            'select = ["ALL"]\n\n[rules.nope]\nseverity = "error"',
            3,
            "rules.NOPE: no rule has this code",
        ),
        # the line of a quoted key, and the key quoted as TOML writes it
        (
            '[per-file-ignores]\n"legacy/*.flow.yaml" = 3',
            2,
            'per-file-ignores."legacy/*.flow.yaml": must be a text or a list of texts (got 3)',
        ),
    ],
)
def test_a_bad_value_names_file_line_and_key(capsys, write, toml, line, message):
    config = write("flowmap.toml", toml + "\n")
    process = write("p.flow.yaml", MINIMAL)
    for command in (["analyze", process], ["render", process, "-o", process.with_suffix(".svg")]):
        code, _, err = flowmap(capsys, *command)
        if (
            "rules." in message
            and command[0] == "render"
            and "bogus" not in toml
            and "severity" not in toml
        ):
            continue  # render analyses too, but only rules' own options are checked there
        assert code == 2, err
        assert f"{config}:{line}: " in err and message in err, err
        assert "internal error" not in err and "pydantic" not in err


def test_tool_flowmap_that_is_not_a_table(capsys, write):
    write("pyproject.toml", '[project]\nname = "x"\n\n[tool]\nflowmap = 5\n')
    code, _, err = flowmap(capsys, "validate", write("p.flow.yaml", MINIMAL))
    assert code == 2 and "pyproject.toml:5: [tool.flowmap] must be a table" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "-j", "-1"], "--jobs: must be at least 0 (got -1)"),
        (["analyze", "--top", "-2"], "--top: must be at least 0"),
        (["render", "--wrap", "6"], "--wrap: must be at least 8 (got 6)"),
        (["render", "--dpi", "5000"], "--dpi: must be at most 600"),
        (["render", "--time-budget", "0"], "--time-budget: must be at least 1"),
        (["render", "--margin", "nan"], "--margin: must be a finite number"),
        (["render", "--format", "gif"], "--format: use one or more of"),
    ],
)
def test_options_share_the_configuration_schema(capsys, write, tmp_path, args, message):
    process = write("p.flow.yaml", MINIMAL)
    extra = ["-o", tmp_path / "p.svg"] if args[0] == "render" else []
    code, _, err = flowmap(capsys, args[0], process, *extra, *args[1:])
    assert code == 2 and message in err, err


def test_wrap_six_in_the_configuration_does_not_reach_the_renderer(capsys, write, tmp_path):
    write("flowmap.toml", "[render]\nwrap = 6\n")
    process = write("p.flow.yaml", MINIMAL)
    code, _, err = flowmap(capsys, "render", process, "-o", tmp_path / "p.dot")
    assert code == 2 and "render.wrap: must be at least 8" in err
    assert not (tmp_path / "p.dot").exists()


def test_the_library_checks_render_options_by_the_same_schema():
    from flowmap.render import RenderOptions

    # `wrap=6` looped forever in the layout when it came from a Python caller.
    with pytest.raises(UsageError, match="RenderOptions: wrap: must be at least 8"):
        RenderOptions(wrap=6)
    with pytest.raises(UsageError, match="is not a paper size"):
        RenderOptions(paper="B9")
    assert RenderOptions(paper="A3", wrap=16, dpi=300, time_budget=2).wrap == 16


def test_good_settings_still_read(write):
    path = write(
        "flowmap.toml",
        'select = "SMK"\nignore = ["SMK002"]\njobs = 2\n'
        '[per-file-ignores]\n"a/*.flow.yaml" = "VAL001"\n'
        '[rules.smk003]\nseverity = "error"\nmin-gap = 2\n[render]\nwrap = 20\n'
        'paper = "a3"\n',
    )
    config = read_config(path)
    assert config.select == ("SMK",) and config.ignore == ("SMK002",) and config.jobs == 2
    assert config.per_file_ignores == {"a/*.flow.yaml": ("VAL001",)}
    assert config.rules == {"SMK003": {"severity": "error", "min_gap": 2}}
    assert config.render == {"wrap": 20, "paper": "A3"}


def test_override_checks_like_the_file():
    with pytest.raises(UsageError, match="--fail-on: must be one of"):
        Config().override(fail_on="loud")
    assert Config().override(select=("SMK",), jobs=None).select == ("SMK",)
