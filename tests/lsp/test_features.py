"""Hover, completion, go to definition, references, rename, outline and code actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from flowmap.rules.smokestack.smk001_chimney_handoff import ChimneyHandoff
from tests.lsp.conftest import at

pytestmark = pytest.mark.asyncio(loop_scope="module")

CHIMNEY = ChimneyHandoff.bad  # the example as one file (its shared organisation written out)
ORG = """\
flowmap: 1
organisation:
  functions:
    - id: sales
      name: Sales
      kind: sales
      roles:
        - {id: rep, name: Sales representative, level: 1, reports_to: manager}
        - {id: manager, name: Sales manager, level: 3}
"""
AS_IS = """\
flowmap: 1
process: {id: order}
organisation: company.org.yaml
steps:
  - {id: ask, name: Customer asks, owner: customer, kind: start}
  - {id: answer, name: Answer the question, owner: sales.rep, work: 10m, wait: 1h}
  - {id: done, owner: customer, kind: end}
flows:
  - ask -> answer
  - {from: answer, to: done}
"""


def doc(editor, path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=editor.uri(path))


async def test_hover_on_a_finding_gives_the_rule_rationale(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(
            text_document=doc(editor, path), position=at(CHIMNEY, "escalate -> forward", 2)
        )
    )
    text = hover.contents.value
    assert "SMK001" in text and "Why it matters" in text and "SMK001.md" in text


async def test_hover_on_an_owner_gives_the_role_and_its_chain_of_command(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(
            text_document=doc(editor, path), position=at(CHIMNEY, "owner: sales.rep", 14)
        )
    )
    text = hover.contents.value
    assert "sales.rep" in text and "level 1" in text
    assert "chain of command" in text and "sales.manager" in text


async def test_hover_on_a_step_gives_value_times_and_handoffs(editor):
    editor.write("company.org.yaml", ORG)
    path = editor.write("order.flow.yaml", AS_IS)
    await editor.open(path)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(text_document=doc(editor, path), position=at(AS_IS, "ask -> answer", 8))
    )
    text = hover.contents.value
    assert "Answer the question" in text and "work 10m" in text and "wait 1h" in text
    assert "customer" in text  # the handoff from the customer's step


async def test_completion_of_owners_steps_and_enum_values(editor):
    editor.write("company.org.yaml", ORG)
    path = editor.write("order.flow.yaml", AS_IS)
    await editor.open(path)
    typed = AS_IS.replace("  - {from: answer, to: done}\n", "  - answer -> \n")
    await editor.replace(path, typed)
    found = await editor.client.text_document_completion_async(
        types.CompletionParams(
            text_document=doc(editor, path), position=at(typed, "answer -> ", 10)
        )
    )
    assert {"ask", "answer", "done"} <= {i.label for i in found.items}

    typed = AS_IS.replace("owner: sales.rep,", "owner: sa")
    typed = typed.replace("work: 10m, wait: 1h}", "")
    await editor.replace(path, typed)
    found = await editor.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(editor, path), position=at(typed, "owner: sa", 9))
    )
    labels = {i.label: i for i in found.items}
    assert {"sales.rep", "sales.manager", "customer"} <= set(labels)
    assert "Sales representative" in labels["sales.rep"].documentation.value

    typed = AS_IS.replace("kind: start}", "kind: }")
    await editor.replace(path, typed)
    found = await editor.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(editor, path), position=at(typed, "kind: }", 6))
    )
    assert {"start", "task", "decision", "end"} <= {i.label for i in found.items}


async def test_completion_of_keys_with_their_documentation(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    typed = CHIMNEY.replace("steps:\n", "steps:\n  - id: new-step\n    to\n")
    await editor.replace(path, typed)
    found = await editor.client.text_document_completion_async(
        types.CompletionParams(text_document=doc(editor, path), position=at(typed, "    to\n", 6))
    )
    labels = {i.label: i for i in found.items}
    assert "touchpoint" in labels and "owner" in labels
    assert "customer meets" in labels["touchpoint"].documentation.value


async def test_definition_of_an_owner_is_the_role_in_the_org_file(editor):
    org = editor.write("company.org.yaml", ORG)
    path = editor.write("order.flow.yaml", AS_IS)
    await editor.open(path)
    found = await editor.client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(editor, path), position=at(AS_IS, "sales.rep", 7))
    )
    assert [loc.uri for loc in found] == [editor.uri(org)]
    assert found[0].range.start.line == ORG.split("\n").index(
        "        - {id: rep, name: Sales representative, level: 1, reports_to: manager}"
    )
    step = await editor.client.text_document_definition_async(
        types.DefinitionParams(text_document=doc(editor, path), position=at(AS_IS, "to: done", 5))
    )
    assert step[0].range.start.line == 6


async def test_rename_a_role_everywhere_it_is_used(editor):
    org = editor.write("company.org.yaml", ORG)
    path = editor.write("order.flow.yaml", AS_IS)
    other = editor.write(
        "sub/to-be.flow.yaml", AS_IS.replace("company.org.yaml", "../company.org.yaml")
    )
    await editor.open(path)
    await editor.open(org)
    edit = await editor.client.text_document_rename_async(
        types.RenameParams(
            text_document=doc(editor, org), position=at(ORG, "id: rep", 4), new_name="clerk"
        )
    )
    changes = edit.changes
    assert set(changes) == {editor.uri(org), editor.uri(path), editor.uri(other)}
    assert all(e.new_text == "clerk" for edits in changes.values() for e in edits)
    assert len(changes[editor.uri(org)]) == 1 and len(changes[editor.uri(path)]) == 1
    refs = await editor.client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(editor, org),
            position=at(ORG, "reports_to: manager", 12),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert len(refs) == 2  # its definition and the reports_to


async def test_rename_a_step_changes_its_flows_and_refuses_a_taken_id(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    edit = await editor.client.text_document_rename_async(
        types.RenameParams(
            text_document=doc(editor, path),
            position=at(CHIMNEY, "id: escalate", 4),
            new_name="raise-query",
        )
    )
    edits = edit.changes[editor.uri(path)]
    assert len(edits) == 3  # its id and both flows
    lines = CHIMNEY.split("\n")
    for e in edits:
        line = lines[e.range.start.line]
        assert line[e.range.start.character : e.range.end.character] == "escalate"
    with pytest.raises(Exception, match="already"):
        await editor.client.text_document_rename_async(
            types.RenameParams(
                text_document=doc(editor, path),
                position=at(CHIMNEY, "id: escalate", 4),
                new_name="forward",
            )
        )


async def test_outline_lists_steps_functions_and_roles(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    symbols = await editor.client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=doc(editor, path))
    )
    names = {s.detail: s for s in symbols}
    assert "step take-order" in names and "function sales" in names
    assert [c.detail for c in names["function sales"].children] == [
        "role sales.rep",
        "role sales.manager",
    ]


async def test_ignore_action_writes_the_comment_the_analysis_honours(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    found = await editor.open(path)
    smk = next(d for d in found if d.code == "SMK001")
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(editor, path),
            range=smk.range,
            context=types.CodeActionContext(diagnostics=[smk]),
        )
    )
    ignore = next(a for a in actions if a.title.startswith("Ignore SMK001"))
    (edit,) = ignore.edit.changes[editor.uri(path)]
    text = _apply(CHIMNEY, [edit]).replace("<why this is acceptable here>", "agreed in review")
    after = await editor.replace(path, text)
    assert not [d for d in after if d.code == "SMK001"]


async def test_quick_fix_applies_the_redesign_and_keeps_comments(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    found = await editor.open(path)
    smk = next(d for d in found if d.code == "SMK001")
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(editor, path),
            range=smk.range,
            context=types.CodeActionContext(diagnostics=[smk]),
        )
    )
    fix = next(a for a in actions if a.title.startswith("Fix SMK001"))
    text = _apply(CHIMNEY, fix.edit.changes[editor.uri(path)])
    assert text.startswith("# An invalid example")  # the user's comments are kept
    after = await editor.replace(path, text)
    assert not [d for d in after if d.code == "SMK001"]
    assert not [d for d in after if d.severity == types.DiagnosticSeverity.Error]


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply text edits as an editor does (positions in UTF-16 units; ASCII here)."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def offset(p: types.Position) -> int:
        return offsets[p.line] + p.character if p.line < len(lines) else len(text)

    for e in sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    ):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_hover_on_the_process_header_gives_the_metrics(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(text_document=doc(editor, path), position=at(CHIMNEY, "process: {id", 2))
    )
    text = hover.contents.value
    assert "process metrics" in text and "steps: 6" in text and "lead time" in text


async def test_completion_of_reports_to_in_an_org_file(editor):
    org = editor.write("company.org.yaml", ORG)
    await editor.open(org)
    typed = ORG.replace("reports_to: manager}", "reports_to: }")
    await editor.replace(org, typed)
    found = await editor.client.text_document_completion_async(
        types.CompletionParams(
            text_document=doc(editor, org), position=at(typed, "reports_to: }", 12)
        )
    )
    assert {"sales.rep", "sales.manager"} <= {i.label for i in found.items}
    assert "customer" not in {i.label for i in found.items}


async def test_a_bad_configuration_is_reported_on_the_document(editor):
    editor.write("flowmap.toml", 'select = ["NOPE999"]\n')
    path = editor.write("credit.flow.yaml", CHIMNEY)
    found = await editor.open(path)
    assert len(found) == 1 and "NOPE999" in found[0].message


async def test_rename_a_function_changes_every_owner_that_names_it(editor):
    path = editor.write("credit.flow.yaml", CHIMNEY)
    await editor.open(path)
    edit = await editor.client.text_document_rename_async(
        types.RenameParams(
            text_document=doc(editor, path),
            position=at(CHIMNEY, "id: finance", 5),
            new_name="accounts",
        )
    )
    renamed = _apply(CHIMNEY, edit.changes[editor.uri(path)])
    body = renamed.split("flowmap: 1", 1)[1]  # the comments above are the user's prose: kept
    assert "finance." not in body and "id: finance" not in body
    assert "kind: finance" in renamed  # the function's kind is not its id
    assert body.count("accounts.") == 2 and "id: accounts" in body
    found = await editor.replace(path, renamed)
    assert not [d for d in found if d.severity == types.DiagnosticSeverity.Error]
