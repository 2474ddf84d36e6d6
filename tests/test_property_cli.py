"""Property test: random configuration files and option values through every command.

Whatever the values, a command answers with an exit code and, when it refuses, a one-line
message: never an internal error, never a traceback, never a hang.

The commands are those of ``flowmap.cli.COMMANDS`` and the options each command declares (read
from its click parameters), so a new command or option is driven as soon as it exists; only the
files a command reads are written here (``INPUTS``), and a command without an entry fails
:func:`test_every_command_is_driven`.
"""

from __future__ import annotations

import importlib
import string
from pathlib import Path

import click
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmap.cli import COMMANDS, run
from tests.conftest import MINIMAL

KEYS = [
    "preset",
    "select",
    "ignore",
    "extend-select",
    "fail-on",
    "exclude",
    "per-file-ignores",
    "rules",
    "max-file-size-mb",
    "jobs",
    "render",
    "top",
    "org",
    "bogus",
]
RENDER_KEYS = [
    "findings",
    "paper",
    "landscape",
    "margin",
    "legend",
    "wrap",
    "dpi",
    "min-points",
    "max-steps",
    "time-budget",
    "format",
    "wrpa",
]

toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(alphabet=string.ascii_letters + string.digits + " ,.-_*", max_size=12),
    st.sampled_from(
        [
            "ALL",
            "SMK",
            "SMK001",
            "error",
            "warning",
            "A3",
            "svg,png",
            "full",
            "x",
            "c.org.yaml",
            "recommended",
            "strict",
        ]
    ),
)
toml_values = st.one_of(toml_scalars, st.lists(toml_scalars, max_size=3))


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def config_files(draw) -> str:
    lines = [
        f"{key} = {_toml(draw(toml_values))}"
        for key in draw(
            st.lists(
                st.sampled_from(
                    [k for k in KEYS if k not in ("render", "rules", "per-file-ignores")]
                ),
                max_size=3,
                unique=True,
            )
        )
    ]
    if draw(st.booleans()):
        lines.append("[render]")
        lines += [
            f"{key} = {_toml(draw(toml_values))}"
            for key in draw(st.lists(st.sampled_from(RENDER_KEYS), max_size=3, unique=True))
        ]
    if draw(st.booleans()):
        lines.append(f"[rules.{draw(st.sampled_from(['SMK001', 'SMK003', 'VAL001', 'nope']))}]")
        lines += [
            f"{key} = {_toml(draw(toml_values))}"
            for key in draw(
                st.lists(st.sampled_from(["severity", "min-gap", "x"]), max_size=2, unique=True)
            )
        ]
    if draw(st.booleans()):
        lines.append("[per-file-ignores]")
        lines.append(f'"*.flow.yaml" = {_toml(draw(toml_values))}')
    return "\n".join(lines) + "\n"


option_values = st.one_of(
    st.integers(-5, 5000).map(str),
    st.integers().map(str),
    st.sampled_from(
        [
            "nan",
            "inf",
            "-1",
            "0",
            "1e9",
            "x",
            "",
            "A3",
            "svg",
            "gif",
            "SMK",
            "ALL,VAL",
            "none",
            "json",
            "c.org.yaml",
            "p.flow.yaml",
            "-",
            "SMK001",
        ]
    ),
)

ORG = """\
flowmap: 1
organisation:
  functions:
    - id: sales
      roles:
        - {id: rep, level: 1, reports_to: manager}
        - {id: manager, level: 3}
"""
LOG = (
    "case,activity,time,resource\n"
    "c1,ask,2024-03-01T08:00:00Z,ann\nc1,Prepare offer,2024-03-01T09:00:00Z,bob\n"
    "c1,done,2024-03-01T10:00:00Z,ann\nc2,ask,2024-03-02T08:00:00Z,ann\n"
)
HR = "name,title,department,manager\nAnn,Sales rep,Sales,Bob\nBob,Sales manager,Sales,\n"

# The files each command reads (and where it writes), in the run's folder; the options come
# from the command itself. `lsp` talks to an editor: it is driven through its document store.
INPUTS: dict[str, list[str]] = {
    "validate": ["p.flow.yaml"],
    "analyze": ["p.flow.yaml"],
    "compare": ["p.flow.yaml", "other.flow.yaml"],
    "render": ["p.flow.yaml", "-o", "out.dot", "--force"],
    "report": ["p.flow.yaml", "-o", "r.html", "--force"],
    "convert": ["p.flow.yaml", "-o", "c.bpmn", "--force"],
    "fmt": ["p.flow.yaml"],
    "diff": ["p.flow.yaml", "other.flow.yaml"],
    "rules": [],
    "explain": ["SMK001"],
    "schema": [],
    "init": ["new process"],
    "org": ["import", "hr.csv", "-o", "made.org.yaml", "--force"],
    "mine": ["log.csv"],
    "conform": ["p.flow.yaml", "log.csv"],
    "lsp": [],
}
DRIVEN = sorted(name for name in COMMANDS if name != "lsp")


def _options(name: str, inputs: list[str]) -> list[str]:
    """The options of a command (or of its subcommand) that take a value, as it declares them."""
    command = importlib.import_module(COMMANDS[name][0]).command
    for word in inputs:  # a group: its subcommand
        if isinstance(command, click.Group) and word in command.commands:
            command = command.commands[word]
    return sorted(
        max(param.opts, key=len)
        for param in command.params
        if isinstance(param, click.Option)
        and not param.is_flag
        and not param.count
        and param.name != "help"
    )


def _folder(tmp_path: Path, config: str, monkeypatch) -> None:
    (tmp_path / "flowmap.toml").write_text(config)
    (tmp_path / "p.flow.yaml").write_text(MINIMAL)
    (tmp_path / "other.flow.yaml").write_text(MINIMAL.replace("Prepare offer", "Offer"))
    (tmp_path / "c.org.yaml").write_text(ORG)
    (tmp_path / "log.csv").write_text(LOG)
    (tmp_path / "hr.csv").write_text(HR)
    monkeypatch.chdir(tmp_path)  # options such as -o x write in the run's folder
    monkeypatch.setenv("FLOWMAP_CACHE_DIR", str(tmp_path / "cache"))


def test_every_command_is_driven():
    assert set(INPUTS) == set(COMMANDS), "say in INPUTS which files a new command reads"
    for name in DRIVEN:
        assert _options(name, INPUTS[name]) or name in ("rules", "schema", "explain", "fmt")


SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(
    command=st.sampled_from(DRIVEN),
    config=config_files(),
    options=st.lists(st.tuples(st.integers(0, 40), option_values), max_size=3),
)
def test_any_configuration_and_options_never_crash(
    tmp_path_factory, monkeypatch, capsys, command, config, options
):
    tmp_path = tmp_path_factory.mktemp("run")
    with monkeypatch.context() as patch:
        _folder(tmp_path, config, patch)
        inputs = list(INPUTS[command])
        names = _options(command, inputs)
        extra: list[str] = []
        for index, value in options:
            if names:
                extra += [names[index % len(names)], value]
        if command == "render" and "--time-budget" not in extra:
            extra += ["--time-budget", "5", "--max-steps", "50"]
        code = run([command, *inputs, *extra])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), err
    said = out + err  # -f json reports a problem on standard output
    assert "internal error" not in said and "Traceback" not in said, (config, extra, said)
    if code == 2:
        assert err.strip(), "a refusal always says why"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(config=config_files())
def test_the_language_server_shows_any_configuration_problem_on_the_document(
    tmp_path_factory, config
):
    from flowmap.lsp.documents import Documents

    tmp_path = tmp_path_factory.mktemp("lsp")
    (tmp_path / "flowmap.toml").write_text(config)
    (tmp_path / "c.org.yaml").write_text(ORG)
    path = tmp_path / "p.flow.yaml"
    path.write_text(MINIMAL)
    documents = Documents()
    checked = documents.checked(documents.put(path.as_uri(), MINIMAL, 1))
    assert all(problem.code != "internal-error" for problem in checked.problems), (
        config,
        checked.problems,
    )
