"""Diagnostics as the user types: load problems at their place, findings with their rule page."""

from __future__ import annotations

import pytest
from lsprotocol import types

from flowmap.rules.smokestack.smk001_chimney_handoff import ChimneyHandoff

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHIMNEY = ChimneyHandoff.bad  # the example as one file (its shared organisation written out)


async def test_a_finding_is_a_diagnostic_at_its_step_with_the_rule_page(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    found = await editor.open(path)
    smk = [d for d in found if d.code == "SMK001"]
    assert len(smk) == 1
    line = CHIMNEY.split("\n")[smk[0].range.start.line]
    assert "escalate->forward" in line or "escalate -> forward" in line
    assert smk[0].code_description.href.endswith("SMK001.md")
    assert smk[0].source == "flowmap"
    assert "redesign:" in smk[0].message


async def test_a_typing_error_is_reported_at_its_line_and_column_then_cleared(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    broken = CHIMNEY.replace("owner: sales.manager", "owner: sales.manger")
    found = await editor.replace(path, broken)
    errors = [d for d in found if d.severity == types.DiagnosticSeverity.Error]
    assert errors, found
    wrong = broken.split("\n")[errors[0].range.start.line]
    assert "sales.manger" in wrong
    assert "did you mean 'manager'" in errors[0].message  # the loader's hint
    assert "sales.manger" in wrong[errors[0].range.start.character :]
    healed = await editor.replace(path, CHIMNEY)
    assert not [
        d for d in healed if d.severity == types.DiagnosticSeverity.Error and d.code != "SMK001"
    ]


async def test_a_yaml_syntax_error_names_its_place(editor):
    path = editor.write("bad.flow.yaml", CHIMNEY)
    await editor.open(path)
    found = await editor.replace(path, CHIMNEY.replace("steps:\n", "steps:\n  - {id: [\n"))
    assert len(found) == 1 and "YAML syntax error" in found[0].message


async def test_the_unsaved_text_is_checked_not_the_file(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    fixed = CHIMNEY.replace("owner: sales.manager", "owner: sales.rep").replace(
        "owner: finance.manager", "owner: finance.analyst"
    )
    found = await editor.replace(path, fixed)
    assert not [d for d in found if d.code == "SMK001"]
    assert "owner: sales.manager" in path.read_text(encoding="utf-8")  # nothing written


async def test_an_org_file_being_edited_is_what_the_process_is_checked_against(editor):
    org = editor.write(
        "company.org.yaml",
        """
        flowmap: 1
        organisation:
          functions:
            - id: sales
              kind: sales
              roles:
                - {id: rep, level: 1}
        """,
    )
    process = editor.write(
        "order.flow.yaml",
        """
        flowmap: 1
        process: {id: order}
        organisation: company.org.yaml
        steps:
          - {id: ask, owner: customer, kind: start}
          - {id: answer, owner: sales.rep}
        flows:
          - ask -> answer
        """,
    )
    assert not [
        d for d in await editor.open(process) if d.severity == types.DiagnosticSeverity.Error
    ]
    text = org.read_text(encoding="utf-8")
    await editor.open(org)
    org_found = await editor.replace(org, text.replace("id: rep", "id: clerk"))
    assert not [d for d in org_found if d.severity == types.DiagnosticSeverity.Error]

    def broken(found) -> bool:
        return any(
            d.severity == types.DiagnosticSeverity.Error and "sales.rep" in d.message
            for d in found or ()
        )

    assert await editor.until(process, broken)  # the process, not saved, sees the edit
    bad_org = await editor.replace(org, text.replace("kind: sales", "kind: selling"))
    assert any("selling" in d.message for d in bad_org)


async def test_an_org_file_alone_gets_its_chain_of_command_checked(editor):
    org = editor.write(
        "loop.org.yaml",
        """
        flowmap: 1
        organisation:
          functions:
            - id: sales
              roles:
                - {id: rep, level: 1, reports_to: boss}
        """,
    )
    found = await editor.open(org)
    assert found and "boss" in found[0].message
    assert found[0].range.start.line == 5


async def test_bpmn_is_checked_on_open_and_on_save(editor):
    from tests.bpmn.helpers import bpmn

    path = editor.folder / "model.bpmn"
    path.write_text(
        bpmn(
            '<bpmn:process id="p"><bpmn:startEvent id="s"/><bpmn:task id="t" name="Do it"/>\n'
            '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="missing"/></bpmn:process>'
        ),
        encoding="utf-8",
    )
    found = await editor.open(path)
    wrong = [d for d in found if "missing" in d.message]
    assert wrong and wrong[0].severity == types.DiagnosticSeverity.Error
    line = path.read_text(encoding="utf-8").split("\n")[wrong[0].range.start.line]
    assert line.startswith('<bpmn:sequenceFlow id="f"')
    path.write_text(
        bpmn(
            '<bpmn:process id="p"><bpmn:startEvent id="s"/><bpmn:task id="t" name="Do it"/>'
            '<bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="t"/>'
            '<bpmn:sequenceFlow id="g" sourceRef="t" targetRef="e"/></bpmn:process>'
        ),
        encoding="utf-8",
    )
    uri = editor.uri(path)
    editor.client.diagnostics.pop(uri, None)
    editor.client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    found = await editor.diagnostics(uri)
    assert not any("missing" in d.message for d in found)


async def test_the_status_notification_carries_the_metrics(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    status = await editor.status(path)
    assert status.metrics.steps == 6
    assert "6 steps" in status.text


async def test_an_org_files_lanes_table_is_checked_as_the_bpmn_import_reads_it(editor):
    text = """\
flowmap: 1
organisation:
  functions:
    - id: sales
      roles:
        - {id: rep, level: 1}
lanes:
  Verkauf: sales.rep
"""
    org = editor.write("lanes.org.yaml", text)
    assert not await editor.open(org)
    found = await editor.replace(org, text.replace("sales.rep", "sales.clerk"))
    assert len(found) == 1 and "sales.clerk" in found[0].message
    assert found[0].range.start.line == 7
