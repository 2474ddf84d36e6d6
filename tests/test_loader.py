"""The loader: every class of error with its exact message and position, and hostile input."""

from __future__ import annotations

import pytest

from flowmap.errors import LoadError
from flowmap.loaders.flow_yaml import load_process
from tests.conftest import MINIMAL


def problems_of(path):
    with pytest.raises(LoadError) as info:
        load_process(path)
    return info.value.problems


def one(path):
    found = problems_of(path)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_minimal_file_loads_with_positions(write):
    path = write("demo.flow.yaml", MINIMAL)
    process = load_process(path)
    assert [s.id for s in process.steps] == ["ask", "offer", "done"]
    assert process.flows[0].id == "ask->offer"
    where = process.locate("step", "offer")
    assert (where.path, where.line, where.column) == (str(path), 16, 5)
    assert process.locate("role", "sales.manager").line == 11


def test_unknown_key_with_did_you_mean(write):
    path = write("p.flow.yaml", MINIMAL.replace("    owner: sales.rep", "    ownr: sales.rep"))
    found = problems_of(path)
    unknown = [p for p in found if p.code == "unknown-key"]
    assert len(unknown) == 1
    p = unknown[0]
    assert p.message == "unknown key 'ownr' in step 'offer'"
    assert p.hint == "did you mean 'owner'?"
    assert (p.location.line, p.location.column) == (18, 5)


def test_wrong_type(write):
    p = one(
        write(
            "p.flow.yaml", MINIMAL.replace("{id: manager, level: 3}", "{id: manager, level: high}")
        )
    )
    assert p.message.startswith("level in role 'manager':")
    assert "integer" in p.message
    assert (p.location.line, p.location.column) == (11, 32)


def test_invalid_enum_value_suggests(write):
    p = one(write("p.flow.yaml", MINIMAL.replace("kind: end", "kind: ende")))
    assert p.message == "kind: 'ende' is not a valid kind in step 'done'"
    assert p.hint == "did you mean 'end'?"
    assert p.location.line == 22


def test_bad_duration(write):
    p = one(
        write(
            "p.flow.yaml",
            MINIMAL.replace("    value: customer", "    value: customer\n    work: 5 parsecs"),
        )
    )
    assert "'5 parsecs' is not a duration" in p.message
    assert p.location.line == 20


def test_duplicate_step_id(write):
    text = MINIMAL.replace("  - id: done\n", "  - id: offer\n")
    found = problems_of(write("p.flow.yaml", text))
    dup = [p for p in found if p.code == "duplicate-id"]
    assert dup[0].message == "duplicate step id 'offer'"
    assert dup[0].location.line == 20


def test_duplicate_yaml_key_is_an_error(write):
    p = one(
        write(
            "p.flow.yaml",
            MINIMAL.replace("    value: customer", "    value: customer\n    value: none"),
        )
    )
    assert p.code == "duplicate-key"
    assert p.message == "duplicate key 'value' (first at line 19)"
    assert (p.location.line, p.location.column) == (20, 5)


def test_flow_to_missing_step(write):
    p = one(write("p.flow.yaml", MINIMAL.replace("- offer -> done", "- offer -> dnoe")))
    assert p.message == "flow offer -> dnoe: 'dnoe' is not a step"
    assert p.hint == "did you mean 'done'?"
    assert p.location.line == 25


def test_owner_missing_role_and_function(write):
    found = problems_of(
        write("p.flow.yaml", MINIMAL.replace("owner: sales.rep", "owner: sales.clerk"))
    )
    assert found[0].message == "owner 'sales.clerk': function 'sales' has no role 'clerk'"
    assert found[0].hint == "its roles are: rep, manager"
    found = problems_of(
        write("q.flow.yaml", MINIMAL.replace("owner: sales.rep", "owner: slaes.rep"))
    )
    assert found[0].message == "owner 'slaes.rep': there is no function 'slaes'"
    assert found[0].hint == "did you mean 'sales.rep'?"


def test_reports_to_cycle(write):
    text = MINIMAL.replace(
        "{id: manager, level: 3}",
        "{id: manager, level: 3, reports_to: head}\n"
        "        - {id: head, level: 4, reports_to: manager}",
    )
    found = problems_of(write("p.flow.yaml", text))
    messages = [p.message for p in found]
    assert "the chain of command has a cycle: sales.head -> sales.manager -> sales.head" in messages
    assert "role 'sales.head' (level 4) reports to 'sales.manager' (level 3)" in messages


def test_an_unreachable_step_is_work_in_progress_not_a_load_error(write):
    text = MINIMAL.replace("  - id: done\n", "  - id: lost\n    owner: sales.rep\n  - id: done\n")
    process = load_process(write("p.flow.yaml", text))
    assert "lost" in [s.id for s in process.steps]
    assert process.locate("step", "lost").line == 20  # where STR001 points


def test_missing_org_file(write):
    text = (
        MINIMAL.split("organisation:")[0]
        + "organisation: ../org/acme.org.yaml\n"
        + "steps:"
        + MINIMAL.split("steps:")[1]
    )
    found = problems_of(write("p.flow.yaml", text))
    assert found[0].code == "missing-file"
    assert found[0].message.startswith("organisation file '../org/acme.org.yaml' not found")
    assert found[0].location.line == 5


def test_org_file_errors_name_the_org_file(write):
    org = write(
        "acme.org.yaml",
        """
        flowmap: 1
        organisation:
          functions:
            - id: sales
              kind: sales
              roles:
                - {id: rep, level: 1, reports_to: boss}
        """,
    )
    text = (
        MINIMAL.split("organisation:")[0]
        + "organisation: acme.org.yaml\n"
        + "steps:"
        + MINIMAL.split("steps:")[1].replace("owner: sales.rep", "owner: sales.rep")
    )
    found = problems_of(write("p.flow.yaml", text))
    assert found[0].location.path == str(org)
    assert found[0].location.line == 7
    assert "reports to 'boss', which is not a role" in found[0].message


def test_org_file_reference_loads(write):
    write(
        "acme.org.yaml",
        "flowmap: 1\norganisation:\n" + MINIMAL.split("organisation:\n")[1].split("steps:")[0],
    )
    text = (
        MINIMAL.split("organisation:")[0]
        + "organisation: acme.org.yaml\n"
        + "steps:"
        + MINIMAL.split("steps:")[1]
    )
    process = load_process(write("p.flow.yaml", text))
    assert process.organisation.functions[0].id == "sales"
    assert process.locate("role", "sales.rep").path.endswith("acme.org.yaml")


def test_all_errors_reported_in_one_run(write):
    text = (
        MINIMAL.replace("    owner: sales.rep", "    ownr: sales.rep")
        .replace("kind: end", "kind: ende")
        .replace("- offer -> done", "- offer -> nowhere")
    )
    found = problems_of(write("p.flow.yaml", text))
    codes = sorted(p.code for p in found)
    assert codes == ["invalid-value", "missing-reference", "unknown-key"]
    # the step with the bad key is still known: no spurious "not a step" for flows into it
    assert not any("'offer' is not a step" in p.message for p in found)


def test_yaml_syntax_error_position(write):
    p = one(write("p.flow.yaml", "flowmap: 1\nprocess:\n  id: [unclosed\nsteps: []\n"))
    assert p.message.startswith("YAML syntax error")
    assert p.location.line == 4


def test_not_a_mapping(write):
    p = one(write("p.flow.yaml", "- just\n- a list\n"))
    assert p.code == "not-a-process"


def test_future_format_version(write):
    p = one(write("p.flow.yaml", MINIMAL.replace("flowmap: 1", "flowmap: 7")))
    assert p.message == (
        "this file is written in flowmap format 7, newer than this flowmap reads (format 1)"
    )


# -- hostile input -------------------------------------------------------------------------


def test_alias_bomb_is_refused_quickly(write):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    p = one(write("bomb.flow.yaml", "\n".join(lines) + "\n"))
    assert "alias bomb" in p.message
    assert p.location.line >= 2


def test_deep_nesting_is_refused(write):
    p = one(write("deep.flow.yaml", "a: " + "[" * 100_000 + "\n"))
    assert "nested deeper than" in p.message or "YAML syntax error" in p.message
    p = one(write("deep2.flow.yaml", "a: " + "[" * 200 + "]" * 200 + "\n"))
    assert "nested deeper than 64 levels" in p.message


def test_binary_junk(write, tmp_path):
    path = tmp_path / "junk.flow.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    p = one(path)
    assert p.message == "this is a binary file, not YAML text"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.flow.yaml"
    path.write_bytes("flowmap: 1\nprocess:\n  id: caf\xe9\n".encode("latin-1"))
    p = one(path)
    assert p.message == "the file is not valid UTF-8 (byte 0xe9)"
    assert (p.location.line, p.location.column) == (3, 10)


def test_file_too_large_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.flow.yaml"
    with open(path, "wb") as handle:  # a sparse 200 MB file: cheap to make
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(LoadError) as info:
        load_process(path)
    assert "file is 200.0 MiB, above the limit of 64 MiB" in info.value.problems[0].message


def test_unknown_tag_refused(write):
    p = one(write("p.flow.yaml", "flowmap: 1\nprocess: !!python/object:os.system {id: x}\n"))
    assert p.message == "unsupported YAML tag 'tag:yaml.org,2002:python/object:os.system'"


def test_two_documents_refused(write):
    p = one(write("p.flow.yaml", MINIMAL + "---\nflowmap: 1\n"))
    assert p.message == "the file holds more than one YAML document"


def test_missing_file():
    with pytest.raises(LoadError) as info:
        load_process("/nonexistent/x.flow.yaml")
    assert info.value.problems[0].code == "unreadable"
