"""flowmap fmt: canonical layout, comments and blank lines kept, idempotent, safe."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowmap.errors import LoadError
from flowmap.fmt import PROCESS_FILE, format_file, format_text, same_data, shape_for
from tests.ci.helpers import comments, copy_tree, flowmap, library

MESSY = """\
# A process written by hand, out of order.
process:   # the header
  name: 'Messy'
  id: messy
  version: "2"
  status: as-is            # aligned on purpose
flowmap: 1
organisation:
  functions:
    - name: Sales
      id: sales    # the sales department
      kind: sales
      roles:
        - id: rep   # the rep
          level: 1
          reports_to: boss
        - {id: boss, level: 3}
steps:
  # --- first group
  - name: Start
    id: a   # trailing a
    owner: customer
    kind: start

  - id: b
    # about the work
    work: 10m
    owner: sales.rep
    notes: >-
      folded text
      over two lines
    name: "Do b"
  # - id: old-step   (kept as a comment)
  - {id: c, owner: customer, kind: end}
flows: [a -> b, {from: b, to: c}]   # all flows
# the end
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", library(), ids=lambda p: p.parent.name + "/" + p.name)
def test_library_files_format_idempotently_keeping_every_comment(path, tmp_path):
    copy = copy_tree(path, tmp_path)
    result = format_file(copy)
    original = path.read_text(encoding="utf-8")
    assert comments(result.formatted) == comments(original)
    assert same_data(original, result.formatted)
    assert format_text(result.formatted, shape_for(path)) == result.formatted
    # the formatted file still loads, to the same process
    copy.write_text(result.formatted, encoding="utf-8")
    format_file(copy)  # loads without error


def test_layout_follows_the_writer_and_comments_stay_with_their_element(tmp_path):
    out = format_file(_write(tmp_path, "messy.flow.yaml", MESSY)).formatted
    lines = out.splitlines()
    assert lines[0] == "# A process written by hand, out of order."
    assert lines[1] == "flowmap: 1"
    sections = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    assert sections == ["flowmap", "process", "organisation", "steps", "flows"]
    # keys in model order, quotes only where needed, the person's comments on their lines
    assert "process:   # the header" in lines
    assert lines[lines.index("process:   # the header") + 1 :][:4] == [
        "  id: messy",
        "  name: Messy",
        "  status: as-is            # aligned on purpose",
        '  version: "2"',
    ]
    assert "    - id: sales    # the sales department" in lines
    assert "  - id: a   # trailing a" in lines
    assert "        - {id: rep, level: 1, reports_to: boss}" in lines
    # a comment above a key moves with the key; blank-line groups stay
    assert out.index("    # about the work\n    work: 10m") > out.index("    owner: sales.rep")
    assert "    kind: start\n\n  - id: b\n" in out
    # folded text kept as written; the commented-out step stays where it was
    assert "    notes: >-\n      folded text\n      over two lines\n" in out
    assert "      over two lines\n  # - id: old-step   (kept as a comment)\n  - id: c\n" in out
    # flows: block list, shorthand where only from/to, the trailing comment on flows:
    assert "flows:   # all flows\n  - a -> b\n  - b -> c\n# the end\n" in out
    assert comments(out) == comments(MESSY)
    assert format_text(out) == out


def test_flow_with_ignore_is_a_block_mapping_and_shorthand_only_for_plain_flows():
    text = textwrap.dedent("""\
        flowmap: 1
        process: {id: x}
        steps: [{id: a}, {id: b}]
        flows:
          - {to: b, from: a, kind: rework, label: "back, again"}
          - {from: a, to: b, ignore: {SMK001: reason}}
          - {from: b, to: a}
          - b->a
    """)
    out = format_text(text)
    assert '  - {from: a, to: b, kind: rework, label: "back, again"}' in out
    assert "  - from: a\n    to: b\n    ignore:\n      SMK001: reason\n" in out
    assert "  - b -> a\n  - b -> a\n" in out
    assert "steps:\n  - id: a\n  - id: b\n" in out
    assert same_data(text, out)


# -- property: formatting twice changes nothing, and never changes what a file says ------------

STEP_KEYS = ["name", "owner", "value", "work", "notes", "purpose"]
words = (
    st.text(alphabet="abcdefghij -:#'\",[]{}", min_size=1, max_size=12).map(str.strip).filter(bool)
)


@st.composite
def processes(draw):
    n = draw(st.integers(1, 5))
    lines = []
    if draw(st.booleans()):
        lines.append("# " + draw(words))
    name = draw(st.sampled_from(["Plain name", '"Quoted"', "x"]))
    header = [f"  id: p{n}", f"  name: {name}", "  status: as-is"]
    header = draw(st.permutations(header))
    sections = {
        "flowmap": ["flowmap: 1"],
        "process": ["process:" + draw(st.sampled_from(["", "  # header"])), *header],
        "organisation": [
            "organisation:",
            "  functions:",
            "    - id: ops",
            "      kind: operations",
            "      roles:",
            "        - {level: 1, id: clerk}",
        ],
    }
    steps = ["steps:"]
    for i in range(n):
        fields = {
            "id": f"s{i}",
            "owner": "ops.clerk",
            "value": "none",
            "work": "5m",
            "name": draw(words).replace('"', "").replace("#", "") or "n",
            "purpose": "[approval]",
        }
        keys = draw(st.permutations(list(fields)))
        if draw(st.booleans()):
            steps.append(f"  # about s{i}")
        flow_style = draw(st.booleans())
        quoted = {k: (f'"{v}"' if k == "name" else v) for k, v in fields.items()}
        if flow_style:
            steps.append("  - {" + ", ".join(f"{k}: {quoted[k]}" for k in keys) + "}")
        else:
            for j, key in enumerate(keys):
                prefix = "  - " if j == 0 else "    "
                comment = draw(st.sampled_from(["", "", f"  # {key} note"]))
                steps.append(f"{prefix}{key}: {quoted[key]}{comment}")
        if draw(st.booleans()):
            steps.append("")
    flows = ["flows:"] + [
        draw(st.sampled_from([f"  - s{i} -> s{i + 1}", f"  - {{to: s{i + 1}, from: s{i}}}"]))
        for i in range(n - 1)
    ]
    sections["steps"] = steps
    sections["flows"] = flows
    for name in draw(st.permutations(list(sections))):
        lines += sections[name]
        if draw(st.booleans()):
            lines.append("")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(processes())
def test_fmt_is_idempotent_and_keeps_meaning_and_comments(text):
    once = format_text(text, PROCESS_FILE)
    assert format_text(once, PROCESS_FILE) == once
    assert same_data(text, once)
    assert sorted(comments(once)) == sorted(comments(text))


# -- command line ---------------------------------------------------------------------------


def test_check_diff_and_write(tmp_path):
    path = _write(tmp_path, "messy.flow.yaml", MESSY)
    check = flowmap("fmt", "--check", str(path))
    assert check.code == 1 and f"would reformat {path}" in check.output
    diff = flowmap("fmt", "--diff", str(path))
    assert diff.code == 1
    assert f"--- {path} (original)\n" in diff.output and "+flowmap: 1" in diff.output
    assert path.read_text(encoding="utf-8") == MESSY  # --check and --diff write nothing
    write = flowmap("fmt", str(tmp_path))
    assert write.code == 0
    assert path.read_text(encoding="utf-8") != MESSY
    again = flowmap("fmt", "--check", str(tmp_path))
    assert again.code == 0 and "would reformat" not in again.output


def test_file_with_errors_is_refused_with_the_loaders_message_and_left_untouched(tmp_path):
    bad = "flowmap: 1\nprocess: {id: x}\nsteps:\n  - id: a\n    owner: nobody\n"
    path = _write(tmp_path, "bad.flow.yaml", bad)
    result = flowmap("fmt", str(path))
    assert result.code == 2
    assert f"{path}:5:12: error: owner 'nobody'" in result.output
    assert path.read_text(encoding="utf-8") == bad
    with pytest.raises(LoadError):
        format_file(path)


def test_anchors_are_refused(tmp_path):
    text = (
        "flowmap: 1\nprocess: {id: x}\norganisation:\n  functions:\n    - id: f\n"
        "      roles: [{id: r, level: 1}]\nsteps:\n  - {id: a, owner: &o f.r}\n"
        "  - {id: b, owner: *o}\nflows: [a -> b]\n"
    )
    path = _write(tmp_path, "anchors.flow.yaml", text)
    result = flowmap("fmt", str(path))
    assert result.code == 2 and "anchors" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_write_is_atomic(tmp_path, monkeypatch):
    path = _write(tmp_path, "messy.flow.yaml", MESSY)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    result = flowmap("fmt", str(path))
    assert result.code != 0
    assert path.read_text(encoding="utf-8") == MESSY
    assert [p.name for p in tmp_path.iterdir()] == ["messy.flow.yaml"]  # no temporary left


def test_org_files_are_formatted_with_their_own_layout(tmp_path):
    text = (
        "organisation:\n  functions:\n    - kind: sales\n      id: sales  # front\n"
        "      roles: [{level: 1, id: rep}]\nflowmap: 1\n"
    )
    path = _write(tmp_path, "shop.org.yaml", text)
    out = format_file(path).formatted
    assert out == (
        "flowmap: 1\n\norganisation:\n  functions:\n    - id: sales  # front\n"
        "      kind: sales\n      roles:\n        - {id: rep, level: 1}\n"
    )


# -- comments indented deeper than what follows, and |+ block scalars (issue 14) ---------------

DEEP_BASE = """\
flowmap: 1
process:
  name: X
  id: x
organisation:
  functions:
    - id: sales
      roles:
        - id: rep
          level: 1
        - {id: boss, level: 3}
steps:
  - name: A
    id: a
    owner: sales.rep
  - {id: b, owner: customer}
flows: [a -> b]
measures:
  - {id: m, kind: time}
""".splitlines()


def test_a_deep_comment_before_a_blocks_first_child_stays_before_it(tmp_path):
    text = "flowmap: 1\nprocess: {id: x}\nsteps:\n      # about a\n  - id: a\n  - id: b\n"
    result = format_file(_write(tmp_path, "deep.flow.yaml", text))
    assert "steps:\n  # about a\n  - id: a\n  - id: b\n" in result.formatted
    assert format_text(result.formatted) == result.formatted


def test_a_deep_comment_after_a_section_stays_under_it_and_fmt_is_idempotent(tmp_path):
    text = "flowmap: 1\n # about the version\nprocess: {id: x}\nsteps: [{id: a}]\n"
    once = format_file(_write(tmp_path, "deep.flow.yaml", text)).formatted
    assert once.startswith("flowmap: 1\n  # about the version\n\nprocess:\n")
    assert format_text(once) == once


@pytest.mark.parametrize("at", range(1, len(DEEP_BASE) + 1))
def test_a_comment_at_any_line_and_indent_keeps_meaning_and_fmt_is_idempotent(at):
    for col in range(11):
        for blank in ("", "after", "before"):
            inserted = [" " * col + f"# c{col}"]
            if blank:
                inserted.insert(0 if blank == "before" else 1, "")
            text = "\n".join(DEEP_BASE[:at] + inserted + DEEP_BASE[at:]) + "\n"
            once = format_text(text)
            assert same_data(text, once), text
            assert comments(once) == comments(text), text
            assert format_text(once) == once, text


KEEP_CASES = {
    "before a blank line": "flowmap: 1\nprocess:\n  id: x\nsteps:\n  - id: a\n    notes: |+\n"
    "      kept\n\n  - id: b\nflows: [a -> b]\n",
    "before a section": "flowmap: 1\nprocess:\n  description: |+\n    kept\n\n\n  id: x\n"
    "steps: [{id: a}]\n",
    "without a blank line": "flowmap: 1\nprocess:\n  description: |+\n    kept\n  id: x\n"
    "steps: [{id: a}]\n",
    "folded, with a comment": "flowmap: 1\nprocess:\n  id: x\n  description: >+  # kept\n"
    "    one\n    two\n\nsteps: [{id: a}]\n",
    "at the end of the file": "flowmap: 1\nprocess: {id: x}\nsteps:\n  - id: a\n    notes: |+\n"
    "      kept\n\n\n",
}


@pytest.mark.parametrize("text", KEEP_CASES.values(), ids=list(KEEP_CASES))
def test_keep_block_scalars_keep_their_trailing_blank_lines_exactly(text, tmp_path):
    import yaml

    once = format_file(_write(tmp_path, "keep.flow.yaml", text)).formatted
    assert yaml.safe_load(once) == yaml.safe_load(text)
    assert "|+" in once or ">+" in once
    assert format_text(once) == once
