"""The server's document store, without the protocol: kinds, caching per version, the reused
organisation file, and the organisation reference found without a parse."""

from __future__ import annotations

import textwrap

from flowmap.loaders.flow_yaml import load_process
from flowmap.lsp.documents import Documents, Snapshot, kind_of

ORG = """\
flowmap: 1
organisation:
  functions:
    - id: sales
      roles:
        - {id: rep, level: 1}
"""
PROCESS = """\
flowmap: 1
process: {id: order}
organisation: company.org.yaml
steps:
  - {id: ask, owner: customer, kind: start}
  - {id: answer, owner: sales.rep}
flows:
  - ask -> answer
"""


def test_kinds_by_file_name():
    assert kind_of("/a/x.flow.yaml") == "process"
    assert kind_of("/a/x.org.yml") == "organisation"
    assert kind_of("/a/x.bpmn") == kind_of("/a/x.bpmn20.xml") == "bpmn"
    assert kind_of("/a/pom.xml") == kind_of("/a/config.yaml") == ""  # not ours: left alone


def test_the_organisation_file_a_process_names_is_found_by_a_line_scan():
    def org(text: str):
        snapshot = Snapshot("u", "/x/p.flow.yaml", 1, textwrap.dedent(text), "process")
        return snapshot.organisation_file, snapshot.organisation_line

    assert org("flowmap: 1\norganisation: ../c.org.yaml  # shared\n") == ("/c.org.yaml", 1)
    assert org("organisation: 'my org.org.yaml'\n") == ("/x/my org.org.yaml", 0)
    assert org("organisation:\n  functions: []\n")[0] is None
    assert org("organisation: {functions: []}\n")[0] is None


def test_each_version_is_checked_once_and_an_unsaved_org_edit_is_seen(tmp_path):
    (tmp_path / "company.org.yaml").write_text(ORG, encoding="utf-8")
    path = tmp_path / "order.flow.yaml"
    path.write_text(PROCESS, encoding="utf-8")
    documents = Documents()
    snapshot = documents.put(path.as_uri(), PROCESS, 1)
    first = documents.checked(snapshot)
    assert first.analysis is not None and documents.checked(snapshot) is first
    org = documents.put(
        (tmp_path / "company.org.yaml").as_uri(), ORG.replace("id: rep", "id: clerk"), 1
    )
    again = documents.checked(snapshot)
    assert again is not first and again.process is None
    assert "sales.rep" in again.problems[0].message
    assert documents.last_good(snapshot) is first  # completion still knows the roles
    documents.close(org.uri)
    assert documents.checked(snapshot).process is not None  # the file on disk again


def test_a_parsed_organisation_file_is_reused_only_while_its_text_is_the_same(tmp_path):
    org = tmp_path / "company.org.yaml"
    org.write_text(ORG, encoding="utf-8")
    path = tmp_path / "order.flow.yaml"
    path.write_text(PROCESS, encoding="utf-8")
    parsed: dict = {}
    one = load_process(path, parsed=parsed)
    two = load_process(path, parsed=parsed)
    assert len(parsed) == 1 and one.organisation == two.organisation
    org.write_text(ORG.replace("level: 1", "level: 2"), encoding="utf-8")
    three = load_process(path, parsed=parsed)
    assert three.organisation.functions[0].roles[0].level == 2
