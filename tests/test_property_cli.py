"""Property test: random configuration files and option values through every command.

Whatever the values, a command answers with an exit code and, when it refuses, a one-line
message: never an internal error, never a traceback, never a hang.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmap.cli import COMMANDS, run
from tests.conftest import MINIMAL

KEYS = ["preset", "select", "ignore", "extend-select", "fail-on", "exclude", "per-file-ignores",
        "rules", "max-file-size-mb", "jobs", "render", "top", "bogus"]
RENDER_KEYS = ["findings", "paper", "landscape", "margin", "legend", "wrap", "dpi", "min-points",
               "max-steps", "time-budget", "format", "wrpa"]

toml_scalars = st.one_of(
    st.booleans(), st.integers(-10**6, 10**6), st.integers(), st.floats(allow_nan=True),
    st.text(alphabet=string.ascii_letters + string.digits + " ,.-_*", max_size=12),
    st.sampled_from(["ALL", "SMK", "SMK001", "error", "warning", "A3", "svg,png", "full", "x"]))
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
    lines = [f"{key} = {_toml(draw(toml_values))}"
             for key in draw(st.lists(st.sampled_from([k for k in KEYS if k not in (
                 "render", "rules", "per-file-ignores")]), max_size=3, unique=True))]
    if draw(st.booleans()):
        lines.append("[render]")
        lines += [f"{key} = {_toml(draw(toml_values))}"
                  for key in draw(st.lists(st.sampled_from(RENDER_KEYS), max_size=3, unique=True))]
    if draw(st.booleans()):
        lines.append(f"[rules.{draw(st.sampled_from(['SMK001', 'SMK003', 'VAL001', 'nope']))}]")
        lines += [f"{key} = {_toml(draw(toml_values))}"
                  for key in draw(st.lists(st.sampled_from(["severity", "min-gap", "x"]),
                                           max_size=2, unique=True))]
    if draw(st.booleans()):
        lines.append("[per-file-ignores]")
        lines.append(f'"*.flow.yaml" = {_toml(draw(toml_values))}')
    return "\n".join(lines) + "\n"


option_values = st.one_of(st.integers(-5, 5000).map(str), st.integers().map(str),
                          st.sampled_from(["nan", "inf", "-1", "0", "1e9", "x", "", "A3",
                                           "svg", "gif", "SMK", "ALL,VAL", "none"]))
OPTIONS = {
    "analyze": ["-j", "--top", "--select", "--ignore", "--fail-on", "-f"],
    "render": ["--wrap", "--dpi", "--margin", "--max-steps", "--time-budget", "--min-points",
               "--format", "--findings", "--paper"],
    "validate": [], "fmt": [], "compare": ["-f"], "diff": ["-f"], "report": ["--date"],
    "convert": [],
}


def _args(command: str, process, tmp_path) -> list[str]:
    other = tmp_path / "other.flow.yaml"
    return {
        "analyze": [process], "validate": [process], "fmt": ["--check", process],
        "render": [process, "-o", tmp_path / "out.dot"],
        "compare": [process, other], "diff": [process, other],
        "report": [process, "-o", tmp_path / "r.html", "--force"],
        "convert": [process, "-o", tmp_path / "c.bpmn", "--force"],
    }[command]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(command=st.sampled_from(sorted(OPTIONS)), config=config_files(),
       options=st.lists(st.tuples(st.integers(0, 20), option_values), max_size=3))
def test_any_configuration_and_options_never_crash(tmp_path_factory, capsys, command, config,
                                                   options):
    assert set(OPTIONS) <= set(COMMANDS)
    tmp_path = tmp_path_factory.mktemp("run")
    (tmp_path / "flowmap.toml").write_text(config)
    process = tmp_path / "p.flow.yaml"
    process.write_text(MINIMAL)
    (tmp_path / "other.flow.yaml").write_text(MINIMAL.replace("Prepare offer", "Offer"))
    extra: list[str] = []
    names = OPTIONS[command]
    for index, value in options:
        if names:
            extra += [names[index % len(names)], value]
    if command == "render":
        extra += ["--time-budget", "5", "--max-steps", "50"] if "--time-budget" not in extra \
            else []
    code = run([str(a) for a in [command, *_args(command, process, tmp_path), *extra]])
    _, err = capsys.readouterr()
    assert code in (0, 1, 2), err
    assert "internal error" not in err and "Traceback" not in err, (config, extra, err)
    if code == 2:
        assert err.strip(), "a refusal always says why"
